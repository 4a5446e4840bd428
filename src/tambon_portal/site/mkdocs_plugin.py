"""The site's one pass over the HTML, inside mkdocs: a plugin `pipeline.build` adds to the
configuration it loads (an object, as it carries the build's rendered charts; no entry point).

As mkdocs renders each page: its chart placeholders become their SVGs and each chart and map
gets its embed snippet (`embeds.page_with_charts`, on the page's content, before the theme
wraps it); then the finished page, as mkdocs writes it, gives the copy Pagefind indexes
(`search.SearchCopies`). So mkdocs writes each page once and nothing reads it back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from tambon_portal.publish.publication import Publication
from tambon_portal.site import embeds, search

PLUGIN_NAME = "tambon-portal"


@dataclass(frozen=True)
class PageResult:
    """What the plugin takes from one rendered page beyond the page itself: a build that does
    not render the page again (`pipeline.page_reuse`) takes these from the build that did."""

    embeds: list[embeds.Embed]
    placed: int  # chart placeholders replaced
    copy: bytes | None  # the copy Pagefind reads (None: search leaves the page out)
    runs: list[str]  # the runs of Thai letters in it (`SearchCopies.tokens_of`)


class PageMissing(Exception):
    """A page was neither rendered by mkdocs nor given as reused."""


class PortalPlugin(BasePlugin):
    """Charts, embed snippets and search copies of the pages of one build.

    `reused`: by source path, the results of pages mkdocs does not render again (a dirty
    build: their HTML is already in the site folder); `keep` is told each rendered page's
    result. After the build, `embeds` holds every chart and map found, in mkdocs' page order
    (for `embeds.write_embed_pages`), and `charts_placed` the number of placeholders replaced.
    """

    def __init__(
        self,
        svgs: Mapping[str, str],
        publication: Publication,
        search_copies: search.SearchCopies | None = None,
        reused: Mapping[str, PageResult] | None = None,
        keep: Callable[[str, str, PageResult], None] | None = None,
    ) -> None:
        super().__init__()
        self.svgs = svgs
        self.publication = publication
        self.search_copies = search_copies
        self.reused = dict(reused or {})
        self.keep = keep
        self.embeds: list[embeds.Embed] = []
        self.charts_placed = 0
        # By source path: the embeds and placeholders of each page, while it is rendered
        # (`_found`) and once it is (`_rendered`; its search copy is on disk by then, and
        # with `keep`, not held here: at national scale the copies are hundreds of MB).
        self._found: dict[str, tuple[list[embeds.Embed], int]] = {}
        self._rendered: dict[str, tuple[list[embeds.Embed], int]] = {}
        self._pages: list[tuple[str, str]] = []  # (source path, URL) in mkdocs' order

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        # A page's URL as the page has it ("" for the home page, whose file says "./").
        self._pages = [
            (f.src_uri, f.page.url if f.page is not None else f.url)
            for f in files.documentation_pages()
        ]
        return nav

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        content, found, placed = embeds.page_with_charts(
            html, page.url, self.svgs, self.publication
        )
        self._found[page.file.src_uri] = (found, placed)
        return content

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        copy: bytes | None = None
        runs: list[str] = []
        if self.search_copies is not None:
            made = self.search_copies.copy_of(page.url, output)
            if made is not None:
                copy, runs = made
                self.search_copies.write(page.url, copy)
        found, placed = self._found.pop(page.file.src_uri, ([], 0))
        self._rendered[page.file.src_uri] = (found, placed)
        if self.keep is not None:
            self.keep(page.file.src_uri, page.file.dest_uri, PageResult(found, placed, copy, runs))
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Every page's embeds in mkdocs' order, and the copies of the pages not rendered."""
        for source, url in self._pages:
            if source in self._rendered:
                found, placed = self._rendered[source]
            elif (result := self.reused.get(source)) is not None:
                found, placed = result.embeds, result.placed
                if result.copy is not None and self.search_copies is not None:
                    self.search_copies.reuse(url, result.copy, result.runs)
            else:
                raise PageMissing(f"{source}: neither rendered nor reused")
            self.embeds += found
            self.charts_placed += placed
