"""The copy of a built site for the tambon office (issue 13): opened from a folder or a USB
stick, with no server and no internet (`tambon build --offline`).

A browser opens a `file://` page fine, but three things of the served site do not work there,
and this stage changes exactly those in the built site:

- **Links to folders.** Pages link to `../../district/8001/`; a web server answers with the
  folder's index.html, a browser shows a folder listing. Every relative `href` and `src` of
  every page that names a folder holding an index.html gets `index.html` (`offline_link`).
- **Search.** Pagefind loads its library as a module and its index with `fetch`, which a
  browser refuses from `file://`. The copy gets its own index, a classic script
  (`OFFLINE_INDEX`, loaded by a `<script>` tag, which `file://` allows), made from Pagefind's
  own fragments: the same text with the same exclusions, every page cut into its sections,
  plus the places list. The search box (assets/js/site-search.js) answers from it when its
  script tag carries `OFFLINE_ATTRIBUTE`, and keeps its behaviour: every word of the query
  inside the page (Thai typed without spaces is found inside longer runs), ranked by where
  the words are (title, headings, text), the section they are in, and "คุณหมายถึง…" for a
  name one letter off. Pagefind's folder is left out (it cannot run here).
- **Fonts.** A browser refuses a font file to a `file://` page (CORS: its origin is "null"),
  so the copy's font stylesheet has the two Sarabun files inside it (data: URLs, 53 KB) and
  its pages no font preloads.

Nothing else fetches: charts are SVG in the page or beside it, and the downloads are in the
copy.

The index holds every page's text, which suits a province (1 MB for the 60 pilots), not the
country's 8,000 pages in one file: a national copy is made per province (docs/publishing.md).
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import posixpath
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tambon_portal.site import search
from tambon_portal.site.mkdocs_config import FONTS_CSS, SEARCH_SCRIPT

OFFLINE_INDEX = "search/offline-index.js"
# The global the index script sets; site-search.js reads it (OFFLINE_GLOBAL there).
OFFLINE_GLOBAL = "__tambonOfflineIndex"
OFFLINE_ATTRIBUTE = "data-offline-index"
PAGE_FILE = "index.html"
# What Pagefind writes at the start of a fragment once it is gunzipped (its "decompressed"
# marker); anything else means its format changed, and the copy is refused rather than
# made without search.
FRAGMENT_SIGNATURE = b"pagefind_dcd"
ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")
SEARCH_SCRIPT_TAG = re.compile(r'(<script\b[^>]*\bsrc="[^"]*' + re.escape(SEARCH_SCRIPT) + r'")')
TOKENS = re.compile(
    r"\s*" + re.escape(search.TOKENS_START) + "[^" + re.escape(search.TOKENS_END) + "]*"
    + re.escape(search.TOKENS_END)
)  # fmt: skip
SPACES = re.compile(r"\s+")
FONT_PRELOAD = re.compile(r'<link rel="preload"[^>]*\bas="font"[^>]*>\n?')
FONT_URL = re.compile(r'url\("([^":]+\.woff2)"\)')


class OfflineError(Exception):
    """The built site cannot be made into an offline copy; the message says why."""


# --- links -----------------------------------------------------------------------------------


def offline_link(value: str, page_dir: str, site: Path, folders: dict[str, bool]) -> str:
    """`value` (an attribute as written in a page in folder `page_dir` of `site`, "" for the
    root) with `index.html` added when it names a folder of the site that has one.

    Other values (an address with a scheme, #fragment, a file, a path outside the site) are
    returned as they are. `folders` caches what the disk said about each folder.
    """
    raw = html.unescape(value)
    if not raw or raw[0] in "#?" or SCHEME.match(raw):
        return value
    cut = min((i for i in (raw.find("#"), raw.find("?")) if i >= 0), default=len(raw))
    path, rest = raw[:cut], raw[cut:]
    target = posixpath.normpath(posixpath.join(page_dir, path))
    if target == ".." or target.startswith("../") or path.startswith("/"):
        return value
    if target not in folders:
        folders[target] = (site / target / PAGE_FILE).is_file()
    if not folders[target]:
        return value
    return html.escape(posixpath.join(path, PAGE_FILE) + rest, quote=True)


def offline_page(text: str, page_dir: str, site: Path, folders: dict[str, bool]) -> str:
    """A page's HTML with its links to folders made into links to their index.html, and the
    search box told to use the offline index."""
    linked = ATTRIBUTE.sub(
        lambda m: f'{m.group(1)}="{offline_link(m.group(2), page_dir, site, folders)}"', text
    )
    linked = FONT_PRELOAD.sub("", linked)
    return SEARCH_SCRIPT_TAG.sub(rf'\1 {OFFLINE_ATTRIBUTE}="{OFFLINE_INDEX}"', linked, count=1)


def inline_fonts(css: Path) -> None:
    """The font stylesheet `css` with each font file it names inside it, as a data: URL."""

    def inlined(match: re.Match[str]) -> str:
        font = (css.parent / match.group(1)).resolve()
        data = base64.b64encode(font.read_bytes()).decode("ascii")
        return f'url("data:font/woff2;base64,{data}")'

    css.write_text(FONT_URL.sub(inlined, css.read_text(encoding="utf-8")), encoding="utf-8")


def page_url(url: str) -> str:
    """A site URL as the index has it ("/tambon/800106/") as a path from the copy's root
    ("tambon/800106/index.html")."""
    path = url.lstrip("/")
    return path + PAGE_FILE if path == "" or path.endswith("/") else path


# --- the search index ------------------------------------------------------------------------


def plain(text: str) -> str:
    """Text as a reader sees it: without the search tokens, spaces squeezed."""
    return SPACES.sub(" ", TOKENS.sub("", text)).strip()


def fragments(index_dir: Path) -> Iterator[dict[str, Any]]:
    """Pagefind's fragment of every page of the site (its text, title, trail and headings)."""
    folder = index_dir / "fragment"
    if not folder.is_dir():
        raise OfflineError(f"{folder}: the site has no search index to make the copy's from")
    for path in sorted(folder.iterdir()):
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(FRAGMENT_SIGNATURE):
            raise OfflineError(f"{path}: not a Pagefind fragment this version can read")
        yield json.loads(data[len(FRAGMENT_SIGNATURE) :])


def page_record(fragment: dict[str, Any]) -> dict[str, Any]:
    """One page of the offline index: u (path from the root), t (title), r (trail) and s, its
    sections as [heading id, heading, text], the first the text above the first heading.

    Pagefind's anchors give each heading's position as a count of the words before it in the
    content (split at spaces, the token markers included), so the sections are cut there.
    """
    words = fragment["content"].split()
    anchors = sorted(
        (a for a in fragment.get("anchors", []) if a.get("id") and a.get("element") != "h1"),
        key=lambda a: a["location"],
    )
    starts = [0, *(a["location"] for a in anchors), len(words)]
    headings = [("", ""), *((a["id"], plain(a["text"])) for a in anchors)]
    sections = []
    for (anchor, heading), start, end in zip(headings, starts, starts[1:], strict=False):
        text = plain(" ".join(words[start:end]))
        if heading and text.startswith(heading):  # the heading's own words open its section
            text = text[len(heading) :].strip()
        if anchor or text:
            sections.append([anchor, heading, text])
    meta = fragment.get("meta", {})
    weight = search.page_weight(fragment["url"])
    return {
        "u": page_url(fragment["url"]),
        "t": plain(meta.get("title", "")),
        "r": plain(meta.get("trail", "")),
        "s": sections,
        **({"w": weight} if weight != 1 else {}),  # `search.page_weight`; most pages 1
    }


def offline_places(places: dict[str, Any]) -> dict[str, Any]:
    """The search box's places list with each level's page pattern as a path to a file."""
    levels = {k: {**v, "url": page_url(v["url"])} for k, v in places["levels"].items()}
    return {**places, "levels": levels}


def index_script(pages: list[dict[str, Any]], places: dict[str, Any]) -> str:
    data = json.dumps({"pages": pages, "places": places}, ensure_ascii=False,
                      separators=(",", ":"))  # fmt: skip
    # "</" closes nothing in a .js file, but this keeps the script safe to inline too.
    data = data.replace("</", "<\\/")
    return f"window.{OFFLINE_GLOBAL}={data};\n"


# --- the copy --------------------------------------------------------------------------------


def make_offline(site: Path) -> dict[str, int]:
    """Makes the built site in `site` into its offline copy, in place (the build does this to
    the site it is building, before it replaces the old one). Returns pages, files, bytes."""
    index_dir = site / search.INDEX_DIR
    pages = [page_record(f) for f in fragments(index_dir)]
    places = json.loads((site / search.PLACES_FILE).read_text(encoding="utf-8"))
    script = site / OFFLINE_INDEX
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(index_script(pages, offline_places(places)), encoding="utf-8")
    shutil.rmtree(index_dir)
    inline_fonts(site / FONTS_CSS)
    folders: dict[str, bool] = {}
    for path in sorted(site.rglob("*.html")):
        page_dir = path.parent.relative_to(site).as_posix()
        page_dir = "" if page_dir == "." else page_dir
        text = path.read_text(encoding="utf-8")
        changed = offline_page(text, page_dir, site, folders)
        if changed != text:
            path.write_text(changed, encoding="utf-8")
    files = [p for p in site.rglob("*") if p.is_file()]
    return {"pages": len(pages), "files": len(files), "bytes": sum(p.stat().st_size for p in files)}
