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
