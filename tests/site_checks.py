"""Checks of a built site as a browser meets it, shared by the small-tree and full-site tests.

Each function returns what is wrong (empty when all is well), so a test asserts `== []` and a
failure lists the offending pages.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

# 404.html is served at any missing path, so mkdocs writes it with root-absolute URLs.
NOT_FOUND_PAGE = "404.html"


class Links(HTMLParser):
    """Collects href/src of a page and the scripts, styles, fonts and images it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])
        if tag == "script" and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("rel") in {"stylesheet", "icon", "preload", "preconnect"}:
            self.loads.append(a.get("href", ""))
        if tag in {"img", "source", "iframe", "audio", "video"} and a.get("src"):
            self.loads.append(a["src"])


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(page: Path, href: str) -> Path | None:
    """The file an internal href points at, or None for external/anchor-only links."""
    href, _ = urldefrag(html.unescape(href))
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not href:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    if href.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != NOT_FOUND_PAGE or p.parent != site)


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, href) for every internal link or source that names no file."""
    broken = []
    for page in pages(site):
        for href in parse(page).links:
            target = resolve(page, href)
            if target is not None and not target.is_file():
                broken.append((str(page.relative_to(site)), href))
    return broken


def unreachable_pages(site: Path) -> list[str]:
    """Pages a reader cannot reach by following links from the home page."""
    seen: set[Path] = set()
    todo = [(site / "index.html").resolve()]
    while todo:
        page = todo.pop()
        if page in seen or page.suffix != ".html":
            continue
        seen.add(page)
        todo += [t for h in parse(page).links if (t := resolve(page, h)) and t.is_file()]
    return sorted(str(p.relative_to(site)) for p in {p.resolve() for p in pages(site)} - seen)


def external_loads(site: Path) -> list[tuple[str, str]]:
    """(file, url) for every script, style, font or image a page would fetch from another host."""
    external = [
        (str(page.relative_to(site)), url)
        for page in site.rglob("*.html")
        for url in parse(page).loads
        if urlsplit(url).scheme or url.startswith("//")
    ]
    external += [
        (str(css.relative_to(site)), "url(...)")
        for css in site.rglob("*.css")
        if re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8"))
    ]
    return external


# Markdown that reached a page as text: a heading line ("## ...") outside code, e.g. inside an
# HTML block that md_in_html was not told to render (no markdown attribute).
VERBATIM = re.compile(r"<(pre|code|textarea|script)\b.*?</\1>", re.S)
MARKDOWN_HEADING = re.compile(r"^\s*#{1,6} \S.*$", re.M)


def unrendered_markdown(site: Path) -> list[tuple[str, str]]:
    """(page, line) for every markdown heading a page shows as text."""
    return [
        (str(page.relative_to(site)), line.strip())
        for page in pages(site)
        for line in MARKDOWN_HEADING.findall(VERBATIM.sub("", page.read_text(encoding="utf-8")))
    ]


SCRIPT_TAG = re.compile(r"<script\b[^>]*\bsrc=[^>]*>")


def blocking_scripts(site: Path) -> list[tuple[str, str]]:
    """(page, tag) for every script a page runs before its first paint: each must be deferred,
    or held (type="text/plain" data-after-load) for the loader that fetches it on load."""
    return [
        (str(page.relative_to(site)), tag)
        for page in pages(site)
        for tag in SCRIPT_TAG.findall(page.read_text(encoding="utf-8"))
        if " defer" not in tag and "data-after-load" not in tag and ' type="module"' not in tag
    ]


def search_fragments(site: Path) -> list[dict]:
    """What the search index holds of each page: Pagefind's fragments (gzip, then
    "pagefind_dcd" and the page's JSON: url, content, meta)."""
    out = []
    for path in sorted((site / "pagefind" / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        out.append(json.loads(data[len(b"pagefind_dcd") :]))
    return out


# Rules that let the browser render an element only once it comes near the screen, and the
# selectors of theirs this check understands: `.md-typeset .X` and `.md-typeset .X tag`.
RENDERED_NEAR_SCREEN = re.compile(r"([^{}]+)\{[^{}]*content-visibility:\s*auto[^{}]*\}")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
TYPESET_SELECTOR = re.compile(r"^\.md-typeset \.([\w-]+)(?: ([a-z]+))?$")
# Elements with no end tag (HTML void elements): they never hold others.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


def rendered_near_the_screen(css: str) -> set[tuple[str, str | None]]:
    """(class X, tag or None) of the `.md-typeset .X [tag]` rules of `css` with
    `content-visibility: auto`."""
    return {
        (found.group(1), found.group(2))
        for rule in RENDERED_NEAR_SCREEN.finditer(CSS_COMMENT.sub("", css))
        for selector in rule.group(1).split(",")
        if (found := TYPESET_SELECTOR.match(selector.strip()))
    }


class FirstPaintElements(HTMLParser):
    """Counts the elements a browser styles and lays out for a page's first paint: all but
    those inside a [hidden] element, a closed <details> (past its summary), or an element that
    `skipped` renders only near the screen: (class, None) an element of that class, (class,
    tag) a `tag` inside one."""

    def __init__(self, skipped: set[tuple[str, str | None]]) -> None:
        super().__init__()
        self.skipped = skipped
        # (tag, its classes, nothing it holds is drawn, it is a closed <details>)
        self.stack: list[tuple[str, set[str], bool, bool]] = []
        self.count = 0
        self.drawn_charts: list[str] = []  # the aria-label of each chart or map SVG drawn

    def _rendered_near_the_screen(self, tag: str, classes: set[str]) -> bool:
        outer = set().union(*(c for _, c, _, _ in self.stack))
        return any(
            (inside is None and cls in classes) or (inside == tag and cls in outer)
            for cls, inside in self.skipped
        )

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        in_closed_details = bool(self.stack) and self.stack[-1][3] and tag != "summary"
        undrawn = in_closed_details or any(entry[2] for entry in self.stack)
        if not undrawn:
            self.count += 1
        if tag in VOID:
            return
        classes = set((a.get("class") or "").split())
        holds_undrawn = undrawn or "hidden" in a or self._rendered_near_the_screen(tag, classes)
        # A chart or a map: an SVG of a set size (icons have a viewBox only).
        if tag == "svg" and "width" in a and "height" in a and not holds_undrawn:
            self.drawn_charts.append(a.get("aria-label") or "")
        self.stack.append((tag, classes, holds_undrawn, tag == "details" and "open" not in a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        # Up to the element it closes (an end tag may close others left open inside it).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


def skipped_until_near_the_screen(site: Path) -> set[tuple[str, str | None]]:
    """What the site's stylesheet renders only near the screen (rendered_near_the_screen)."""
    return rendered_near_the_screen(
        (site / "assets" / "css" / "site.css").read_text(encoding="utf-8")
    )


def site_pages(site: Path) -> list[Path]:
    """The pages drawn with site.css: all but the embed pages (a chart alone, drawn whole)."""
    return [p for p in pages(site) if "assets/css/site.css" in p.read_text(encoding="utf-8")]


def charts_drawn_at_first_paint(site: Path) -> list[tuple[str, str]]:
    """(page, chart) for every chart or map a page's first paint lays out, wherever it is."""
    skipped = skipped_until_near_the_screen(site)
    drawn = []
    for page in site_pages(site):
        counter = FirstPaintElements(skipped)
        counter.feed(page.read_text(encoding="utf-8"))
        drawn += [(str(page.relative_to(site)), label) for label in counter.drawn_charts]
    return drawn


SVG_TAG = re.compile(r"<svg\b[^>]*>")
SVG_ATTRIBUTE = re.compile(r'\b(width|height|style)="([^"]*)"')


def charts_without_their_shape(site: Path) -> list[tuple[str, str]]:
    """(page, tag) for every SVG of a set size (a chart or a map; icons have a viewBox only)
    without the aspect-ratio of its width / height: skipped until it comes near the screen
    (content-visibility), it would have no height."""
    missing = []
    for page in site_pages(site):
        for tag in SVG_TAG.findall(page.read_text(encoding="utf-8")):
            a = dict(SVG_ATTRIBUTE.findall(tag))
            sized = "width" in a and "height" in a
            if sized and a.get("style") != f"aspect-ratio: {a['width']} / {a['height']}":
                missing.append((str(page.relative_to(site)), tag[:120]))
    return missing


FIGURE_TABLE = re.compile(
    r'<div class="table-wrap figure-table" style="--rows: (\d+)"[^>]*>.*?<tbody>(.*?)</tbody>', re.S
)


def figure_tables_off_their_rows(site: Path) -> list[tuple[str, int, int]]:
    """(page, --rows, rows) for every table of figures whose --rows (the size it takes until it
    is first drawn) is not the number of rows of its body."""
    return [
        (str(page.relative_to(site)), int(found.group(1)), rows)
        for page in site_pages(site)
        for found in FIGURE_TABLE.finditer(page.read_text(encoding="utf-8"))
        if (rows := found.group(2).count("<tr")) != int(found.group(1))
    ]
