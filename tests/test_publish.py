"""Downloads, catalog, licence/citation, schema.org and chart embeds in the built site.

A small tree (one tambon whose descriptor title tries to close a <script>, plus gold-prices)
is built once; the tests read the site as a harvester or a journalist would.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from fixtures.paths import CONFORMANCE
from fixtures.tambon_package import CODE, write_tambon_package

from tambon_portal.core import licences, urls
from tambon_portal.packages import discovery
from tambon_portal.pipeline import build
from tambon_portal.publish import downloads, live_downloads
from tambon_portal.publish import publication as publish
from tambon_portal.publish.download_files import DownloadFile
from tambon_portal.site import embeds

SITE_URL = "https://data.example.test/portal"
ROOT = f"{SITE_URL}/dev/"
HOSTILE_TITLE = "ตำบลท่าไร่ </script><script>alert(1)</script>"
TAMBON_PACKAGE = f"tambon-{CODE}"
RESOURCES = 11  # tables of a tambon package (schemas.RESOURCE_NAMES)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("publish")
    data = base / "datapackages"
    write_tambon_package(data, edit=lambda tables, d: d.update(title=HOSTILE_TITLE))
    shutil.copytree(CONFORMANCE / "gold-prices", data / "gold-prices")
    out = base / "out" / "site"
    build.build_site(data, out, site_url=SITE_URL)
    return out


def _page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _site_file(site: Path, url: str) -> Path:
    """The file a permanent URL of this version names inside the built site."""
    rel = urldefrag(url).url.removeprefix(ROOT)  # "#dataset" names the node within a page
    return site / rel / "index.html" if rel == "" or rel.endswith("/") else site / rel


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def _json_ld(page_html: str) -> dict:
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page_html)
    return json.loads(script)


# --- pure helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "text"),
    [(812, "812 ไบต์"), (12_595, "12.3 KB"), (1_310_720, "1.25 MB"), (1023, "1,023 ไบต์")],
)
def test_sizes_are_shown_in_thai_formatted_bytes_kb_and_mb(size, text):
    assert publish.size_text(size) == text


def test_json_ld_cannot_close_its_script_element():
    script = publish.json_ld_script({"name": "</script><b>&"})
    assert script == (
        '<script type="application/ld+json">'
        '{"name": "\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}</script>'
    )
    assert json.loads(script[len('<script type="application/ld+json">') : -len("</script>")]) == {
        "name": "</script><b>&"
    }


def test_licence_is_the_descriptors_when_it_names_one_else_the_default():
    default = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
    own = {"name": "ODC-PDDL-1.0", "title": "PDDL"}
    pddl = "https://opendatacommons.org/licenses/pddl/1-0/"  # known SPDX id: link filled in
    assert publish.licence_of({"licenses": [own]}, default) == {**own, "path": pddl}
    assert publish.licence_of({}, default) == {
        **default,
        "title": "Creative Commons Attribution 4.0",
    }


@pytest.mark.parametrize(
    "path, linked",
    [
        (
            "https://opendatacommons.org/licenses/pddl/",
            "https://opendatacommons.org/licenses/pddl/",
        ),
        ("LICENSE.txt", "LICENSE.txt"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
    ],
)
def test_a_licence_path_is_linked_only_when_it_is_http_mailto_or_relative(path, linked):
    own = {"name": "own", "path": path, "title": "Own"}
    assert publish.licence_of({"licenses": [own]}, {}) == {**own, "path": linked}


def test_downloads_section_puts_package_files_first_and_one_row_per_table():
    def f(path, fmt, resource=None):
        return DownloadFile(path, 2048, "ab" * 32, "text/csv", "p", resource, fmt)

    files = [
        f("p/p.zip", "zip"),
        f("p/t.json", "json", "t"),
        f("p/t.csv", "csv", "t"),
        f("p/p.xlsx", "xlsx"),
        f("p/t.excel.csv", "excel-csv", "t"),
    ]
    section = publish.downloads_section(files, {"t": "ตาราง ที"}, "../../")
    assert [e["name"] for e in section["package"]] == ["p.xlsx", "p.zip"]
    assert [(r["title"], [e["name"] for e in r["files"]]) for r in section["resources"]] == [
        ("ตาราง ที", ["t.csv", "t.excel.csv", "t.json"])
    ]
    assert section["package"][0]["href"] == "../../downloads/p/p.xlsx"
    assert section["package"][0]["size_text"] == "2.0 KB"


def test_embed_details_are_added_inside_each_chart_figure_only():
    page = (
        '<figure class="chart" data-search-exclude role="group" aria-label="ปิรามิด">'
        '<div role="img" aria-label="ข้อความแทน"><div class="chart-svg" data-chart="800106/pyramid">'
        "</div></div><figcaption>ปิรามิด</figcaption></figure>"
        '<figure data-map="x"><svg></svg></figure>'
    )
    assert embeds.chart_figures(page) == [
        embeds.ChartFigure("800106/pyramid", "ปิรามิด", "ข้อความแทน")
    ]
    pub = publish.Publication("2025.10", SITE_URL, "2025-10-01", {}, [], [], Path("."))
    out = embeds.with_embed_details(page, pub, "../../")
    assert out.count('<details class="embed">') == 1
    assert (
        "&lt;iframe src=&quot;https://data.example.test/portal/2025.10/embed/800106-pyramid/&quot;"
        in out
    )
    assert 'href="../../embed/800106-pyramid/"' in out
    assert out.endswith('</details></figure><figure data-map="x"><svg></svg></figure>')


def test_a_page_gets_its_svgs_in_place_and_a_snippet_only_when_a_chart_was_rendered():
    figure = (
        '<figure class="chart" role="group" aria-label="ปิรามิด"><div role="img" aria-label="alt">'
        '<div class="chart-svg" data-chart="800106/pyramid"></div></div></figure>'
    )
    pub = publish.Publication("2025.10", SITE_URL, "2025-10-01", {}, [], [], Path("."))
    page, found, placed = embeds.page_with_charts(
        figure, "tambon/800106/", {"800106/pyramid": "<svg/>"}, pub
    )
    assert placed == 1 and '<div role="img" aria-label="alt"><svg/></div>' in page
    assert 'href="../../embed/800106-pyramid/"' in page
    assert found == [
        embeds.Embed(embeds.ChartFigure("800106/pyramid", "ปิรามิด", "alt"), "tambon/800106/")
    ]
    # No SVG rendered: the placeholder goes, and no snippet points to an embed page not written.
    page, found, placed = embeds.page_with_charts(figure, "tambon/800106/", {}, pub)
    assert (placed, found) == (1, []) and "chart-svg" not in page and "embed" not in page


def test_an_embed_page_is_rendered_from_its_template_with_data_as_escaped_text():
    pub = publish.Publication(
        '2025.10"<b>', SITE_URL, "2025-10-01", {}, [], [], Path("."), sample=True
    )
    chart = embeds.ChartFigure("800106/pyramid", "ปิรามิด &amp; อายุ", "ข้อความแทน")
    licence = {"name": "x", "path": "https://e.test/?a=1&b=2", "title": "CC <BY>"}
    page = embeds.embed_page(pub, chart, "<svg></svg>", "tambon/800106/", licence)
    assert page.startswith('<!doctype html>\n<html lang="th">\n') and page.endswith("</html>\n")
    assert "<title>ปิรามิด &amp; อายุ</title>" in page  # the title is HTML already
    assert '<div role="img" aria-label="ข้อความแทน">\n<svg></svg>\n</div>' in page
    assert "ข้อมูลรุ่น 2025.10&quot;&lt;b&gt; ·" in page
    assert (
        '<a href="https://e.test/?a=1&amp;b=2" rel="license" target="_blank">CC &lt;BY&gt;</a>'
        in page
    )
    assert '<a href="../../tambon/800106/" target="_top">' in page
    assert '<p class="sample-notice">ข้อมูลตัวอย่าง (สังเคราะห์) · Sample data' in page
    assert "พิกัด" not in page  # a chart, not a map: no coordinates to attribute


# --- the built site -------------------------------------------------------------------------


def test_every_url_in_the_catalog_api_and_sitemap_resolves_to_a_file(site):
    sources = [site / "catalog.jsonld", site / "data.json", *sorted((site / "api").rglob("*.json"))]
    urls = {u for path in sources for u in _strings(json.loads(path.read_text("utf-8")))}
    urls |= {loc.text for loc in ET.parse(site / "sitemap.xml").iter() if loc.tag.endswith("loc")}
    ours = sorted(u for u in urls if u.startswith(ROOT))
    assert [u for u in ours if not _site_file(site, u).is_file()] == []
    assert f"{ROOT}downloads/bundles/tambons-80.zip" in ours
    assert f"{ROOT}api/v1/tambons/{CODE}.json" in ours
    assert f"{ROOT}datasets/nakhon-si-thammarat-rollups/" in ours


def test_the_sitemap_lists_every_page_but_the_embeds_and_404(site):
    locs = {loc.text for loc in ET.parse(site / "sitemap.xml").iter() if loc.tag.endswith("loc")}
    pages = {
        ROOT + ("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/")
        for p in site.rglob("index.html")
        if "embed" not in p.relative_to(site).parts
    }
    assert locs == pages
    assert not (site / "sitemap.xml.gz").exists()
    assert (site / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\n\nSitemap: {ROOT}sitemap.xml\n"
    )


def test_every_download_linked_from_the_tambon_page_exists_with_the_size_and_sha256_shown(site):
    page = _page(site, f"tambon/{CODE}")
    links = re.findall(r'<a href="([^"]+)" download data-format="([^"]+)" data-size="(\d+)" '
                       r'data-sha256="([0-9a-f]{64})">', page)  # fmt: skip
    assert len(links) == RESOURCES * 3 + 2  # CSV, Excel CSV, JSON per table; XLSX and zip
    for href, _, size, sha256 in links:
        target = (site / "tambon" / CODE / html.unescape(href)).resolve()
        data = target.read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (int(size), sha256)
        assert f'<code class="sha256">{sha256}</code>' in page
        assert f"{publish.size_text(len(data))}</" in page
    assert {fmt for _, fmt, _, _ in links} == {"csv", "excel-csv", "json", "xlsx", "zip"}


def test_the_tambon_page_embeds_schema_org_json_ld_that_parses(site):
    node = _json_ld(_page(site, f"tambon/{CODE}"))
    assert node["@type"] == "Dataset"
    assert node["name"].startswith(HOSTILE_TITLE)
    assert node["identifier"] == TAMBON_PACKAGE
    assert node["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert node["spatialCoverage"]["@type"] == "Place"
    assert node["url"] == f"{ROOT}tambon/{CODE}/"
    assert len(node["distribution"]) == RESOURCES * 3 + 2
    assert f"{ROOT}downloads/{TAMBON_PACKAGE}/{TAMBON_PACKAGE}.zip" in {
        d["contentUrl"] for d in node["distribution"]
    }


def test_a_descriptor_title_cannot_break_out_of_the_json_ld_script(site):
    page = _page(site, f"tambon/{CODE}")
    assert "<script>alert(1)" not in page
    assert len(re.findall(r"</script>", page)) == len(re.findall(r"<script\b", page))


def test_tambon_and_dataset_pages_show_licence_and_citation_with_the_permanent_url(site):
    tambon = _page(site, f"tambon/{CODE}")
    assert 'rel="license">Creative Commons Attribution 4.0</a>' in tambon
    assert f"สืบค้นจาก {ROOT}tambon/{CODE}/".replace(":", "&#58;") in tambon
    gold = _page(site, "datasets/gold-prices")
    assert 'rel="license">Open Data Commons Public Domain Dedication and License</a>' in gold
    assert f"version dev. {ROOT}datasets/gold-prices/".replace(":", "&#58;") in gold
    assert _json_ld(gold)["license"] == "https://opendatacommons.org/licenses/pddl/1-0/"


def test_the_rollup_package_is_published_as_a_dataset_with_its_page_and_downloads(site):
    page = _page(site, "datasets/nakhon-si-thammarat-rollups")
    assert "ข้อมูลรวมจังหวัดนครศรีธรรมราช" in page
    folder = site / "downloads" / "nakhon-si-thammarat-rollups"
    assert (folder / "nakhon-si-thammarat-rollups.zip").is_file()
    assert (folder / "key_figures.excel.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert 'href="datasets/nakhon-si-thammarat-rollups/"' in (site / "index.html").read_text()


def test_the_downloads_page_lists_sha256sums_the_bundle_and_the_machine_files(site):
    page = html.unescape(_page(site, "downloads"))
    for href in (
        "../downloads/SHA256SUMS",
        "../downloads/bundles/tambons-80.zip",
        "../downloads/bundles/villages-80.excel.csv",
        "../catalog.jsonld",
        "../data.json",
        "../api/v1/tambons.json",
        "../api/3/action/package_list.json",
    ):
        assert f'href="{href}"' in page, href
    assert "Excel" in page and "CSV สำหรับ Excel" in page


def test_the_downloads_page_lists_tambons_by_district_with_thai_names_and_no_hash_column(site):
    page = html.unescape(_page(site, "downloads"))
    # By district, then tambon, named in Thai; each links its whole package and its page.
    assert '<h3 id="d8001">อำเภอเมืองนครศรีธรรมราช <span class="count">(1 ตำบล)</span></h3>' in page
    assert f'<a href="../tambon/{CODE}/#downloads">ตำบลท่าไร่ ({CODE})</a>' in page
    for name in (f"tambon-{CODE}.zip", f"tambon-{CODE}.xlsx"):
        assert f'href="../downloads/tambon-{CODE}/{name}" download' in page
        assert (site / "downloads" / f"tambon-{CODE}" / name).is_file()
    assert f"tambon-{CODE} (tambon-{CODE})" not in page
    # Checksums: only the bundles', behind a details element; all of them in SHA256SUMS.
    listed = set(re.findall(r'<code class="sha256">([0-9a-f]{64})</code>', page))
    sums = [line.split() for line in (site / "downloads" / "SHA256SUMS").read_text().splitlines()]
    assert listed == {digest for digest, path in sums if path.startswith("bundles/")}
    assert '<th scope="col">SHA-256</th>' not in page
    assert page.count("<") < 1500  # was 14,608 elements for the 60 pilots


def test_the_downloads_page_carries_a_citation_with_the_version(site):
    page = html.unescape(_page(site, "downloads"))
    citation = re.search(r'<p class="citation">(.*?)</p>', page, re.S).group(1)
    assert "ข้อมูลเปิดระดับตำบล จังหวัดนครศรีธรรมราช [ชุดข้อมูล] รุ่น dev" in citation
    assert "Tambon open data, Nakhon Si Thammarat [Data set], version dev" in citation


def test_every_chart_has_an_embed_page_and_a_copyable_snippet(site):
    page = _page(site, f"tambon/{CODE}")
    snippets = re.findall(
        r'<textarea id="embed-([^"]+)" readonly rows="3">([^<]*)</textarea>', page
    )
    assert [chart_id for chart_id, _ in snippets] == [
        f"{CODE}-{name}"
        for name in ("pyramid", "bmn_groups", "bmn_weakest", "income", "occupations")
    ]
    for chart_id, snippet in snippets:
        assert f"&lt;iframe src=&quot;{ROOT}embed/{chart_id}/&quot;" in snippet
        embed = _page(site, f"embed/{chart_id}")
        assert "<svg" in embed and "mkdocs" not in embed.lower()
        assert f'<a href="../../tambon/{CODE}/" target="_top">' in embed
        assert 'href="../../assets/css/fonts.css"' in embed
        assert "CC-BY-4.0" in embed or "Creative Commons" in embed


def test_every_embed_page_names_an_icon_that_exists_so_no_favicon_ico_is_requested(site):
    embeds = sorted((site / "embed").glob("*/index.html"))
    assert embeds
    for embed in embeds:
        icon = re.search(r'<link rel="icon" href="([^"]+)">', embed.read_text("utf-8"))
        assert icon, f"{embed} declares no icon: browsers then fetch /favicon.ico (404)"
        assert (embed.parent / icon.group(1)).resolve().is_file()


MAP_COLUMNS = ("below_line_pct", "median_income", "debt_pct", "bmn_pass_pct")


def test_every_home_page_map_has_an_embed_page_with_its_attribution_and_working_links(site):
    home = _page(site, "")
    snippets = re.findall(
        r'<textarea id="embed-([^"]+)" readonly rows="3">([^<]*)</textarea>', home
    )
    assert [chart_id for chart_id, _ in snippets] == [f"home-{c}" for c in MAP_COLUMNS]
    # each snippet sits inside its own map's figure, so the select shows the one of its map
    figures = re.findall(r'<figure data-map="[^"]*"[^>]*>(.*?)</figure>', home, re.S)
    assert len(figures) == len(MAP_COLUMNS)
    for column, figure in zip(MAP_COLUMNS, figures, strict=True):
        assert re.findall(r'<textarea id="embed-([^"]+)"', figure) == [f"home-{column}"]
        assert "Embed this map" in figure
    for chart_id, snippet in snippets:
        assert f"&lt;iframe src=&quot;{ROOT}embed/{chart_id}/&quot;" in snippet
        assert "height=&quot;720&quot;" in snippet
        embed = _page(site, f"embed/{chart_id}")
        assert "<svg" in embed and 'role="group"' in embed and 'role="img"' not in embed
        # the tambon's dot links its profile from the embed page's folder, in the whole window
        assert f'<a href="../../tambon/{CODE}/" target="_top" aria-label="ตำบล' in embed
        assert '<a href="../../" target="_top">' in embed  # back to the home page
        assert "thai-province-data by kongvut, MIT" in embed
        assert "CC-BY-4.0" in embed or "Creative Commons" in embed


def test_every_chart_and_map_of_the_site_has_exactly_one_embed_page(site):
    embeds = {p.parent.name for p in (site / urls.EMBED_DIR).glob("*/index.html")}
    snippets, figures = [], 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        figures += text.count('<figure class="chart"') + text.count("<figure data-map=")
        snippets += re.findall(r'<textarea id="embed-([^"]+)"', text)
    assert len(snippets) == len(set(snippets)) == figures == len(embeds)
    assert set(snippets) == embeds
    assert {f"home-{c}" for c in MAP_COLUMNS} <= embeds


def test_map_links_are_rebased_for_the_embed_page_and_open_the_whole_window():
    svg = (
        '<svg><a href="tambon/800106/" aria-label="x"><circle/></a>'
        '<a href="https://example.org/"><circle/></a><a href="#top"><circle/></a></svg>'
    )
    assert embeds.rebased_links(svg, "../../") == (
        '<svg><a href="../../tambon/800106/" target="_top" aria-label="x"><circle/></a>'
        '<a href="https://example.org/" target="_top"><circle/></a>'
        '<a href="#top" target="_top"><circle/></a></svg>'
    )


def test_a_package_whose_bytes_did_not_change_is_not_converted_again_and_a_changed_byte_is(
    tmp_path, monkeypatch
):
    folder = write_tambon_package(tmp_path / "data")
    refs = [discovery.package_ref(folder)]
    settings = {"version": "dev", "site_url": SITE_URL, "license": licences.DEFAULT}
    saved: dict[tuple, list] = {}

    def memo(parts, compute):
        missing = [i for i, p in enumerate(parts) if p not in saved]
        for i, made in zip(missing, compute(missing), strict=True):
            saved[parts[i]] = made
        return [saved[p] for p in parts]

    first = downloads.write_downloads(refs, tmp_path / "a", memo=memo, **settings)

    def must_not_run(*args, **kwargs):
        raise AssertionError("the package was converted again")

    with monkeypatch.context() as m:
        m.setattr(downloads, "package_outputs", must_not_run)
        m.setattr(downloads, "province_bundle_outputs", must_not_run)
        m.setattr(downloads, "read_package", must_not_run)  # no table parsed either
        # Its files are linked from the live site (`live_downloads.PreviousDownloads`).
        live = live_downloads.PreviousDownloads(tmp_path / "a")
        again = downloads.write_downloads(refs, tmp_path / "b", memo=memo, previous=live,
                                          **settings)  # fmt: skip
    assert again == first
    assert (tmp_path / "b" / "SHA256SUMS").read_bytes() == (
        tmp_path / "a" / "SHA256SUMS"
    ).read_bytes()

    villages = folder / "data" / "villages.csv"
    villages.write_text(villages.read_text("utf-8") + "\n", encoding="utf-8")
    changed = downloads.write_downloads(refs, tmp_path / "c", memo=memo, **settings)
    assert changed != first
    # Before and after: the package, its province's bundle, its part of the bundle
    # (`province_bundle`), and the span and rows of it in the labelled workbook.
    assert len(saved) == 10
