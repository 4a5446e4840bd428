"""The site's one pass over the HTML, inside mkdocs: a plugin `pipeline.build` adds to the
configuration it loads (an object, as it carries the build's rendered charts; no entry point).

As mkdocs renders each page: its chart placeholders become their SVGs and each chart and map
gets its embed snippet (`embeds.page_with_charts`, on the page's content, before the theme
wraps it); then the finished page, as mkdocs writes it, gives the copy Pagefind indexes
(`search.SearchCopies`). So mkdocs writes each page once and nothing reads it back.
"""

from __future__ import annotations

from collections.abc import Mapping

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from tambon_portal.publish.publication import Publication
from tambon_portal.site import embeds, search

PLUGIN_NAME = "tambon-portal"


class PortalPlugin(BasePlugin):
    """Charts, embed snippets and search copies of the pages of one build.

    After the build, `embeds` holds every chart and map found (for `embeds.write_embed_pages`)
    and `charts_placed` the number of placeholders replaced.
    """

    def __init__(
        self,
        svgs: Mapping[str, str],
        publication: Publication,
        search_copies: search.SearchCopies | None = None,
    ) -> None:
        super().__init__()
        self.svgs = svgs
        self.publication = publication
        self.search_copies = search_copies
        self.embeds: list[embeds.Embed] = []
        self.charts_placed = 0

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        content, found, placed = embeds.page_with_charts(
            html, page.url, self.svgs, self.publication
        )
        self.embeds += found
        self.charts_placed += placed
        return content

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self.search_copies is not None:
            self.search_copies.add(page.url, output)
        return output
