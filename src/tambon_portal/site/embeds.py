"""Charts in pages, and their embeds: the SVG in place of each placeholder, a copyable
`<iframe>` snippet under each chart and home-page map, and one `embed/<chart-id>/` page each.

Pages are rendered with a small placeholder per chart (`chart_placeholder`); `page_with_charts`
turns the HTML mkdocs made of a page's markdown into the finished content (`mkdocs_plugin`
calls it while mkdocs renders the page), and `write_embed_pages` writes the embed pages from
what it found (templates/embed.html.j2).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from tambon_portal.core import settings, siteurl, urls
from tambon_portal.publish import catalog
from tambon_portal.publish.publication import Publication, licence_of

EMBED_TEMPLATE = "embed.html.j2"
EMBED_HEIGHT = 480
# A province map is taller than wide: a taller frame shows it whole at a readable size.
MAP_EMBED_HEIGHT = 720
# The embed pages sit two folders below the site root (embed/<chart-id>/).
EMBED_ROOT = "../../"


@dataclass(frozen=True)
class ChartFigure:
    key: str  # the chart's placeholder key, e.g. "800106/pyramid"
    title: str  # as HTML (already escaped in the page)
    alt: str  # the text alternative, as HTML
    # "map": a centroid map, whose dots are links (not an image) and whose coordinates need
    # their attribution wherever the map is shown.
    kind: str = "chart"


@dataclass(frozen=True)
class Embed:
    """A chart or map found on a page, and that page's URL (relative to the site root)."""

    chart: ChartFigure
    page_url: str


def chart_placeholder(key: str) -> str:
    """Stands in the markdown for an SVG that is put into the page's HTML once mkdocs has made
    it from the markdown (`page_with_charts`).

    Why: Python-Markdown takes ~0.1 s per page to pass large inline SVGs through, and
    mkdocs' search would index every axis label of every chart.
    """
    return f'<div class="chart-svg" data-chart="{key}"></div>'


_CHART_KEY = re.compile(r'<div class="chart-svg" data-chart="([^"]+)"></div>')
_SVG_SIZE = re.compile(r'<svg\b(?=[^>]*\bwidth="([\d.]+)")(?=[^>]*\bheight="([\d.]+)")')
_FIGURE = re.compile(r'<figure class="chart"[^>]*?aria-label="([^"]*)"[^>]*>(.*?)</figure>', re.S)
_ALT = re.compile(r'<div role="img" aria-label="([^"]*)">')
_MAP_FIGURE = re.compile(r'<figure data-map="[^"]*"[^>]*>(.*?)</figure>', re.S)
_SVG_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_SVG_LINK = re.compile(r'<a href="([^"]*)"')


# --- finding the charts of a page ------------------------------------------------------------


def chart_figures(page_html: str) -> list[ChartFigure]:
    """The charts of a page (before their SVGs are put in), with title and text alternative."""
    found = []
    for figure in _FIGURE.finditer(page_html):
        key = _CHART_KEY.search(figure.group(2))
        if key:
            alt = _ALT.search(figure.group(2))
            found.append(
                ChartFigure(key.group(1), figure.group(1), alt.group(1) if alt else figure.group(1))
            )
    return found


def chart_keys(text: str) -> list[str]:
    """The keys of the chart placeholders in a page's markdown or HTML, in order."""
    return _CHART_KEY.findall(text)


def map_figures(page_html: str, svgs: Mapping[str, str]) -> list[ChartFigure]:
    """The centroid maps of a page (the home page's), titled by their SVG's <title>."""
    found = []
    for figure in _MAP_FIGURE.finditer(page_html):
        key = _CHART_KEY.search(figure.group(1))
        title = _SVG_TITLE.search(svgs.get(key.group(1), "")) if key else None
        if key and title:
            found.append(ChartFigure(key.group(1), title.group(1), title.group(1), kind="map"))
    return found


# --- the page: snippets under the figures, SVGs in place -------------------------------------


def page_root_of(page_url: str) -> str:
    """The way from a page (its URL relative to the site root) back up to the root."""
    return "../" * page_url.count("/")


def page_with_charts(
    page_html: str, page_url: str, svgs: Mapping[str, str], pub: Publication
) -> tuple[str, list[Embed], int]:
    """The page with an embed snippet under each chart and map and every placeholder replaced
    by its SVG; the embeds it found and the number of placeholders replaced.

    A page none of whose charts was rendered gets no snippet (there would be no embed page).
    """
    maps = map_figures(page_html, svgs)
    charts = [c for c in chart_figures(page_html) if svgs.get(c.key)] + maps
    if charts:
        page_root = page_root_of(page_url)
        page_html = with_embed_details(page_html, pub, page_root)
        page_html = with_map_embed_details(page_html, pub, page_root, maps)
    page_html, placed = _CHART_KEY.subn(
        lambda m: with_aspect_ratio(svgs.get(m.group(1), "")), page_html
    )
    return page_html, [Embed(chart, page_url) for chart in charts], placed


def with_aspect_ratio(svg: str) -> str:
    """The SVG with its shape as a CSS aspect-ratio. site.css lets the browser skip a chart's
    insides until it comes near the screen (content-visibility); a skipped SVG keeps its size
    through that ratio only (its own width and height count for nothing then), so the page
    below it does not move once it is drawn."""
    return _SVG_SIZE.sub(
        lambda m: f'<svg style="aspect-ratio: {m.group(1)} / {m.group(2)}"', svg, count=1
    )


def with_embed_details(page_html: str, pub: Publication, page_root: str) -> str:
    """The page with an "Embed this chart" block at the end of each chart figure."""

    def add(figure: re.Match) -> str:
        key = _CHART_KEY.search(figure.group(2))
        if not key:
            return figure.group(0)
        chart = ChartFigure(key.group(1), figure.group(1), figure.group(1))
        return (
            figure.group(0)[: -len("</figure>")]
            + embed_details(pub, chart, page_root)
            + ("</figure>")
        )

    return _FIGURE.sub(add, page_html)


def with_map_embed_details(
    page_html: str, pub: Publication, page_root: str, maps: Sequence[ChartFigure]
) -> str:
    """The page with an "Embed this map" block at the end of each map figure.

    One block per map, inside its figure: the home page's select hides the figures of the
    other indicators, so the snippet shown is always the one of the map shown.
    """
    by_key = {m.key: m for m in maps}

    def add(figure: re.Match) -> str:
        key = _CHART_KEY.search(figure.group(1))
        if not key or key.group(1) not in by_key:
            return figure.group(0)
        details = embed_details(pub, by_key[key.group(1)], page_root)
        return figure.group(0)[: -len("</figure>")] + details + "</figure>"

    return _MAP_FIGURE.sub(add, page_html)


def embed_id(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-")


def embed_snippet(url: str, title_html: str, height: int = EMBED_HEIGHT) -> str:
    """The <iframe> a reader copies (text, not markup: shown inside a textarea)."""
    return (
        f'<iframe src="{url}" title="{title_html}" width="100%" height="{height}" '
        'style="border:0" loading="lazy"></iframe>'
    )


def embed_details(pub: Publication, chart: ChartFigure, page_root: str) -> str:
    """The "Embed this chart" (or map) block put under a chart or map on its page."""
    chart_id = embed_id(chart.key)
    is_map = chart.kind == "map"
    snippet = embed_snippet(
        pub.permanent(urls.embed_url(chart_id)),
        chart.title,
        MAP_EMBED_HEIGHT if is_map else EMBED_HEIGHT,
    )
    summary = "ฝังแผนที่นี้ / Embed this map" if is_map else "ฝังแผนภูมินี้ / Embed this chart"
    if pub.addressed:
        code = (
            f'<label for="embed-{chart_id}">คัดลอกโค้ดนี้ไปวางในเว็บไซต์ของคุณ (copy this code)</label>'
            f'<textarea id="embed-{chart_id}" readonly rows="3">{html.escape(snippet)}</textarea>'
        )
    else:  # an <iframe> needs the permanent address: no made-up host in a reader's site
        code = f'<p class="embed-not-set">โค้ดสำหรับฝัง{siteurl.NOT_SET}</p>'
    return (
        f'<details class="embed"><summary>{summary}</summary>{code}'
        f'<p><a href="{page_root}{urls.embed_url(chart_id)}">ดูหน้าที่จะฝัง (preview)</a></p>'
        "</details>"
    )


# --- the embed pages -------------------------------------------------------------------------


def _escape_html(value: Any) -> Markup:
    """Text as HTML the way `html.escape` writes it (`&quot;`, `&#x27;`), markup as it is."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


@cache
def environment() -> Environment:
    """The jinja2 environment of the embed pages: plain HTML, every value escaped.

    Not `pages.environment`, whose templates are markdown and escape its punctuation too.
    """
    return Environment(
        loader=PackageLoader("tambon_portal.site", "templates"),
        autoescape=True,
        finalize=_escape_html,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def rebased_links(svg: str, root: str) -> str:
    """The SVG with its relative links prefixed by `root` and opened in the whole window.

    Why: a map's dots link to tambon pages relative to the home page; its embed page sits two
    folders deeper, and a click inside an iframe must not open the portal inside the frame.
    """

    def rebase(link: re.Match) -> str:
        href = html.unescape(link.group(1))
        if href and not (href.startswith(("/", "#")) or re.match(r"^[a-z][a-z0-9+.-]*:", href)):
            href = root + href
        return f'<a href="{html.escape(href)}" target="_top"'

    return _SVG_LINK.sub(rebase, svg)


def embed_page(
    pub: Publication, chart: ChartFigure, svg: str, page_url: str, licence: Mapping[str, str]
) -> str:
    """A minimal self-contained page: the chart, its title, source, licence, link back.

    A map keeps its dots as links (to the site's pages, from the embed page's folder) and
    names where its coordinates come from.
    """
    is_map = chart.kind == "map"
    return (
        environment()
        .get_template(EMBED_TEMPLATE)
        .render(
            root=EMBED_ROOT,
            page_url=page_url,
            is_map=is_map,
            title=Markup(chart.title),
            alt=Markup(chart.alt),
            svg=Markup(rebased_links(svg, EMBED_ROOT) if is_map else svg),
            sample=pub.sample,
            sample_notice=(settings.SAMPLE_NOTICE_TH, settings.SAMPLE_NOTICE_EN),
            coordinates=settings.COORDINATES_ATTRIBUTION,
            source=catalog.catalog_title(pub.area),
            version=pub.version,
            licence_path=licence.get("path", ""),
            licence_title=licence.get("title") or licence.get("name", ""),
        )
    )


def write_embed_pages(
    site: Path, embeds: Sequence[Embed], svgs: Mapping[str, str], pub: Publication
) -> int:
    """Writes embed/<chart-id>/index.html for each of `embeds`; returns how many."""
    licence = licence_of({}, pub.license)
    for embed in embeds:
        target = site / urls.embed_file(embed_id(embed.chart.key))
        target.parent.mkdir(parents=True, exist_ok=True)
        page = embed_page(pub, embed.chart, svgs[embed.chart.key], embed.page_url, licence)
        target.write_text(page, encoding="utf-8")
    return len(embeds)
