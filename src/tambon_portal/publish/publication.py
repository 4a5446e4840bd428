"""The build's publishing step: downloads, the roll-up package, catalog, citation, chart embeds.

Wires the library modules (downloads, catalog, rollup_package) into `tambon build`:

1. `prepare` (before pages are rendered): writes the roll-up package and every download into a
   work folder, so pages can show each file's size and SHA-256.
2. `page_extras` / `downloads_page_context`: what a tambon or dataset page and the Downloads page
   show (links relative to the page; the permanent URL only in citations and JSON-LD).
3. `add_embeds` (after mkdocs): one `embed/<chart-id>/` page per chart and per home-page map,
   and a copyable `<iframe>` snippet under each.
4. `finish`: moves the downloads into the site and writes the catalog, sitemap and robots.txt.

Permanent addresses are `<site_url>/<version>/...` (what `catalog` and `downloads` write).
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from tambon_portal.core import formatting, gazetteer, licences, schemas, settings, siteurl, urls
from tambon_portal.packages import descriptor_reader, discovery, table_reader
from tambon_portal.packages import writer as package_writer
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.publish import catalog, downloads, labelled, rollup_package
from tambon_portal.publish.downloads import DownloadFile

DEV_VERSION = "dev"
# Machine-readable files of the site, as (path relative to the site root, label).
MACHINE_FILES: tuple[tuple[str, str], ...] = (
    (urls.CATALOG_FILE, "แค็ตตาล็อก DCAT (JSON-LD)"),
    (urls.POD_FILE, "แค็ตตาล็อก Project Open Data (data.json)"),
    (urls.TAMBONS_API, "API รายตำบล: รายการทุกตำบล (api/v1/tambons/<รหัส>.json รายตำบล)"),
    (urls.CKAN_PACKAGE_LIST, "API แบบ CKAN (package_list, package_show/<ชื่อ>.json)"),
    (urls.download_path(urls.INDEX_FILE), "รายการไฟล์ดาวน์โหลดพร้อมขนาดและ SHA-256 (index.json)"),
    (urls.download_path(urls.SUMS_FILE), "ค่า SHA-256 ของทุกไฟล์ (SHA256SUMS, ใช้กับ sha256sum -c)"),
    (urls.SITEMAP_FILE, "แผนผังเว็บไซต์ (sitemap.xml)"),
)
DOWNLOADS_PAGE_URL = urls.url_of(urls.DOWNLOADS_PATH)
RESOURCE_FORMATS = ("csv", "excel-csv", "json")
PACKAGE_FORMATS = ("xlsx", "zip")
FORMAT_NAMES = {
    "csv": "CSV",
    "excel-csv": "CSV สำหรับ Excel",
    "json": "JSON",
    "xlsx": "Excel (XLSX)",
    "zip": "แพ็กเกจข้อมูล (zip)",
}
# The one bundle a journalist can read as it opens (labelled.py): said so where it is listed.
LABELLED_NAME = "Excel (XLSX) พร้อมชื่อพื้นที่และตัวชี้วัด อ่านได้ทันที (labelled: names beside codes)"
EMBED_HEIGHT = 480
# A province map is taller than wide: a taller frame shows it whole at a readable size.
MAP_EMBED_HEIGHT = 720

log = logging.getLogger(__name__)


@dataclass
class Publication:
    """What one build publishes besides its pages; made by `prepare`."""

    version: str
    site_url: str
    release_date: str  # ISO date: the only date the machine outputs carry
    license: dict
    refs: list[PackageRef]  # tambons, generic datasets, the roll-up package
    files: list[DownloadFile]
    downloads_dir: Path
    rollup: PackageRef | None = None
    centroids: dict[str, tuple[float, float]] = field(default_factory=dict)
    sample: bool = False  # synthetic data: every page, embeds included, says so

    def permanent(self, path: str) -> str:
        return urls.permanent_url(self.site_url, self.version, path)

    @property
    def addressed(self) -> bool:
        """Whether the site has its public address (else pages must not print one)."""
        return not siteurl.is_placeholder(self.site_url)

    def cited_url(self, path: str) -> str:
        """What a reader is shown as `path`'s permanent address: it, or a plain note."""
        return self.permanent(path) if self.addressed else siteurl.NOT_SET

    def files_of(self, package_name: str) -> list[DownloadFile]:
        return [f for f in self.files if f.package == package_name]

    def tambon_ref(self, code: str) -> PackageRef | None:
        """The published package of a tambon (None when its downloads were left out)."""
        return next((r for r in self.refs if r.kind == "tambon" and r.tambon_code == code), None)


# --- settings ---------------------------------------------------------------------------------


def release_date_of(descriptors: Mapping[str, dict], release: Any = None) -> str:
    """The release's date, else the newest `created` of the packages (never the clock)."""
    if release is not None and getattr(release, "date", None):
        return str(release.date)[:10]
    created = sorted(str(d["created"])[:10] for d in descriptors.values() if d.get("created"))
    return created[-1] if created else "1970-01-01"


def licence_of(descriptor: Mapping[str, Any], default: Mapping[str, str]) -> dict[str, str]:
    """The descriptor's first licence when it names one, else the configured default, with
    name, title and a safe link always present (`licences.complete`)."""
    return licences.first_licence(descriptor, default)


# --- preparing --------------------------------------------------------------------------------


def publishable(refs: Sequence[PackageRef]) -> list[PackageRef]:
    """The packages the downloads module can read; a broken generic package is logged, skipped.

    Why: a generic dataset with a broken table still gets its page (which says what is wrong),
    but must not stop every other download from being written.
    """
    kept = []
    for ref in refs:
        try:
            downloads.read_package(ref)
        except (descriptor_reader.PackageError, OSError, ValueError) as error:
            log.warning("downloads of %s left out: %r", ref.name, error)
            continue
        kept.append(ref)
    return kept


def prepare(
    tambons: Mapping[str, Any],
    folders: Mapping[str, Path],
    generic: Sequence[PackageRef],
    work_dir: Path,
    *,
    version: str,
    site_url: str,
    release_date: str,
    sample: bool,
    license: dict | None = None,
    centroids: Mapping[str, tuple[float, float]] | None = None,
    cache_dir: Path | None = None,
    figures: Any = None,
    plan: Mapping[str, Any] | None = None,
) -> Publication:
    """Writes the roll-up package and every download under `work_dir` (emptied first).

    With `cache_dir`, downloads whose inputs did not change are copied from the last build.
    `figures` and `plan`: the roll-ups of `tambons` when already computed
    (`rollup_package.rollup_tables`).
    """
    if work_dir.exists():
        shutil.rmtree(work_dir)
    work_dir.mkdir(parents=True)
    rollup = None
    if tambons:
        folder = work_dir / "rollup" / urls.ROLLUP_PACKAGE_NAME
        rollup_package.write_rollup_package(tambons, folder, sample, figures, plan)
        rollup = discovery.package_ref(folder)
    tambon_refs = [discovery.package_ref(folders[code]) for code in sorted(folders)]
    # Tambon packages passed the build's validation and the roll-up is ours: only generic
    # packages can be unreadable here.
    refs = [*tambon_refs, *publishable(generic), *([rollup] if rollup else [])]
    license = license or licences.DEFAULT
    out = work_dir / "downloads"
    files = cached_downloads(
        refs, out, cache_dir, version=version, site_url=site_url, license=license
    )
    return Publication(
        version=version,
        site_url=site_url,
        release_date=release_date,
        license=license,
        refs=refs,
        files=files,
        downloads_dir=out,
        rollup=rollup,
        centroids=dict(centroids or {}),
        sample=sample,
    )


def downloads_key(refs: Sequence[PackageRef], **writer_settings: Any) -> str:
    """SHA-256 of everything the downloads depend on: the writer's code, every file of every
    package (by path and bytes), the writer_settings and SOURCE_DATE_EPOCH (zip timestamps)."""
    digest = hashlib.sha256()
    # The downloads module, the typer of its JSON and XLSX values, and the CSV/JSON writer.
    for module in (downloads, table_reader, package_writer):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(json.dumps(writer_settings, sort_keys=True, default=str).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for ref in refs:
        digest.update(f"\0{ref.name}\0{ref.kind}\0{ref.tambon_code}\0".encode())
        for path in sorted(p for p in ref.folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(ref.folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cached_downloads(
    refs: Sequence[PackageRef],
    out: Path,
    cache_dir: Path | None,
    *,
    version: str,
    site_url: str,
    license: dict,
) -> list[DownloadFile]:
    """`downloads.write_downloads`, or a copy of its output from the last build with the same
    inputs (~0.5 s instead of ~5-9 s for 60 tambons). Only the latest entry is kept."""
    writer_settings = {"version": version, "site_url": site_url, "license": license}
    if cache_dir is None:
        return downloads.write_downloads(list(refs), out, **writer_settings)
    entry = cache_dir / downloads_key(refs, **writer_settings)
    listing = entry / "files.json"
    if listing.is_file():
        shutil.copytree(entry / "files", out)
        return [DownloadFile(**f) for f in json.loads(listing.read_text("utf-8"))]
    files = downloads.write_downloads(list(refs), out, **writer_settings)
    # Written aside and renamed in whole: an entry cut short (a full disk, a kill) is never
    # taken for a complete one by the next build.
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=cache_dir, prefix=".partial-"))
    try:
        shutil.copytree(out, partial / "files")
        (partial / "files.json").write_text(
            json.dumps([f.to_dict() for f in files]), encoding="utf-8"
        )
        for stale in cache_dir.iterdir():
            if stale != partial:
                shutil.rmtree(stale, ignore_errors=True)
        os.rename(partial, entry)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return files


# --- what pages show --------------------------------------------------------------------------


def size_text(size: int) -> str:
    """A file size as Thai readers see it: 812 ไบต์, 12.3 KB, 1.25 MB (1 KB = 1,024 bytes)."""
    if size < 1024:
        return f"{formatting.number(size)} ไบต์"
    if size < 1024 * 1024:
        return f"{formatting.number(size / 1024, 1)} KB"
    return f"{formatting.number(size / (1024 * 1024), 2)} MB"


def file_entry(f: DownloadFile, root: str) -> dict[str, Any]:
    return {
        "href": root + urls.download_path(f.path),
        "name": f.path.rsplit("/", 1)[-1],
        "path": f.path,
        "format": f.format,
        "label": LABELLED_NAME
        if f.path.endswith(labelled.LABELLED_SUFFIX)
        else FORMAT_NAMES[f.format],
        "size": f.size,
        "size_text": size_text(f.size),
        "sha256": f.sha256,
    }


def resource_titles(descriptor: Mapping[str, Any]) -> dict[str, str]:
    """Resource name -> Thai title (the shared schemas' for tambon resources)."""
    titles = {name: th for name, (th, _) in schemas.RESOURCE_TITLES.items()}
    for resource in descriptor.get("resources") or []:
        if isinstance(resource, dict) and resource.get("title") and resource.get("name"):
            titles.setdefault(str(resource["name"]), str(resource["title"]))
    return titles


def downloads_section(
    files: Sequence[DownloadFile], titles: Mapping[str, str], root: str
) -> dict[str, Any]:
    """A package's files for its page: whole-package files, then a row per resource."""
    package = [file_entry(f, root) for f in files if f.format in PACKAGE_FORMATS]
    package.sort(key=lambda e: PACKAGE_FORMATS.index(e["format"]))
    rows: dict[str, list[dict]] = {}
    for f in files:
        if f.resource and f.format in RESOURCE_FORMATS:
            rows.setdefault(f.resource, []).append(file_entry(f, root))
    resources = [
        {
            "name": name,
            "title": titles.get(name, name),
            "files": sorted(entries, key=lambda e: RESOURCE_FORMATS.index(e["format"])),
        }
        for name, entries in rows.items()
    ]
    return {
        "package": package,
        "resources": resources,
        "all": package + [e for r in resources for e in r["files"]],
        "sums_href": root + urls.download_path(urls.SUMS_FILE),
        "page_href": root + DOWNLOADS_PAGE_URL,
    }


def json_ld_script(node: Mapping[str, Any]) -> Markup:
    """JSON-LD in a <script>: `<`, `>` and `&` as \\u escapes, so no data can close the tag.

    One line: a blank line would end markdown's HTML block.
    """
    text = json.dumps(node, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def page_extras(pub: Publication, ref: PackageRef, page_url: str, root: str) -> dict[str, Any]:
    """What a package's page adds: downloads, licence, citation, schema.org JSON-LD.

    `page_url` is the page's URL relative to the site root (tambon/800106/).
    """
    descriptor = descriptor_reader.read_descriptor(ref.descriptor_path)
    name = discovery.published_slug(ref)
    files = pub.files_of(name)
    centroid = pub.centroids.get(ref.tambon_code or "") if ref.kind == "tambon" else None
    node = catalog.schema_org_dataset(
        ref,
        pub.files,
        version=pub.version,
        site_url=pub.site_url,
        page_url=page_url,
        centroid=centroid,
        date_modified=pub.release_date,
        license=pub.license,
    )
    return {
        "download_base": root + urls.package_downloads(name),
        "publication": {
            "downloads": downloads_section(files, resource_titles(descriptor), root),
            "licence": licence_of(descriptor, pub.license),
            "citation": catalog.citation(
                ref,
                version=pub.version,
                page_url=pub.cited_url(page_url),
                release_date=pub.release_date,
            ).split("\n"),
            "permanent_url": pub.cited_url(page_url),
            "version": pub.version,
            # schema.org needs absolute URLs: none rather than a made-up host.
            "jsonld": json_ld_script(node) if pub.addressed else "",
        },
    }


def downloads_page_context(
    pub: Publication, pages_by_package: Mapping[str, tuple[str, str]]
) -> dict[str, Any]:
    """The Downloads page: the province bundles, a citation, the files for programs, then
    every tambon by district (Thai names) and every other dataset, each with its package
    files and a link to its page's per-table downloads.

    Checksums are not shown in columns (a SHA-256 squeezed into a phone column stood 64
    lines tall and made the page 300 screens long): they are in SHA256SUMS and index.json,
    and behind a details element for the bundles. `pages_by_package` maps a non-tambon
    package's `discovery.published_slug` to (title, page URL from the root).
    """
    root = urls.root_of(urls.DOWNLOADS_PATH)
    # The whole-province zip first: it is what most people who come here want.
    bundles = sorted(
        (file_entry(f, root) for f in pub.files if f.path.startswith(f"{urls.BUNDLES_DIR}/")),
        key=lambda e: (e["format"] != "zip", e["path"]),
    )
    tambons = [r for r in pub.refs if r.kind == "tambon" and r.tambon_code]
    datasets = []
    for ref in (r for r in pub.refs if r not in tambons):
        title, url = pages_by_package.get(discovery.published_slug(ref), (ref.name, ""))
        datasets.append(_package_row(pub, ref, title, url, root))
    return {
        "path": urls.DOWNLOADS_PATH,
        "root": root,
        "version": pub.version,
        "bundles": bundles,
        "citation": site_citation(pub, DOWNLOADS_PAGE_URL),
        "machine": [{"href": root + p, "path": p, "label": label} for p, label in MACHINE_FILES],
        "sums_href": root + urls.download_path(urls.SUMS_FILE),
        "index_href": root + urls.download_path(urls.INDEX_FILE),
        "districts": _tambons_by_district(pub, tambons, root),
        "datasets": datasets,
        "count": len(pub.files),
        "total_size": size_text(sum(f.size for f in pub.files)),
    }


def _package_row(pub: Publication, ref: PackageRef, title: str, url: str, root: str) -> dict:
    """One package on the Downloads page: its title, its page's downloads, zip and XLSX."""
    slug = discovery.published_slug(ref)
    files = {f.format: file_entry(f, root) for f in pub.files_of(slug)}
    return {
        "name": slug,
        "title": title,
        "href": f"{root}{url}#downloads" if url else "",
        "zip": files.get("zip"),
        "xlsx": files.get("xlsx"),
    }


def _tambons_by_district(pub: Publication, refs: Sequence[PackageRef], root: str) -> list[dict]:
    by_district: dict[str, list[dict]] = {}
    for ref in sorted(refs, key=lambda r: str(r.tambon_code)):
        code = str(ref.tambon_code)
        place = gazetteer.tambon(code)
        title = f"ตำบล{place.name_th} ({code})" if place else code
        url = urls.url_of(urls.tambon_path(code))
        by_district.setdefault(code[:4], []).append(_package_row(pub, ref, title, url, root))
    districts = []
    for district_code, rows in sorted(by_district.items()):
        place = gazetteer.district(district_code)
        name = f"อำเภอ{place.name_th}" if place else district_code
        districts.append({"code": district_code, "name_th": name, "tambons": rows})
    return districts


def site_citation(pub: Publication, page_url: str) -> list[str]:
    """How to cite the whole collection (Thai, then English), with its permanent address."""
    parts = catalog.citation_parts(
        catalog.CATALOG_TITLE, version=pub.version, page_url=pub.cited_url(page_url),
        release_date=pub.release_date,
    )  # fmt: skip
    return [parts["th"], parts["en"]]


def _bundles(pub: Publication) -> set[str]:
    return {f.package for f in pub.files if f.package and f.path.startswith(f"{urls.BUNDLES_DIR}/")}


# --- chart embeds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartFigure:
    key: str  # the chart's placeholder key, e.g. "800106/pyramid"
    title: str  # as HTML (already escaped in the page)
    alt: str  # the text alternative, as HTML
    # "map": a centroid map, whose dots are links (not an image) and whose coordinates need
    # their attribution wherever the map is shown.
    kind: str = "chart"


_FIGURE = re.compile(r'<figure class="chart"[^>]*?aria-label="([^"]*)"[^>]*>(.*?)</figure>', re.S)
_CHART_KEY = re.compile(r'<div class="chart-svg" data-chart="([^"]+)"></div>')
_ALT = re.compile(r'<div role="img" aria-label="([^"]*)">')
_MAP_FIGURE = re.compile(r'<figure data-map="[^"]*"[^>]*>(.*?)</figure>', re.S)
_SVG_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_SVG_LINK = re.compile(r'<a href="([^"]*)"')


def chart_figures(page_html: str) -> list[ChartFigure]:
    """The charts of a built page (before their SVGs are put in), with title and text alt."""
    found = []
    for figure in _FIGURE.finditer(page_html):
        key = _CHART_KEY.search(figure.group(2))
        if key:
            alt = _ALT.search(figure.group(2))
            found.append(
                ChartFigure(key.group(1), figure.group(1), alt.group(1) if alt else figure.group(1))
            )
    return found


def map_figures(page_html: str, svgs: Mapping[str, str]) -> list[ChartFigure]:
    """The centroid maps of a built page (the home page's), titled by their SVG's <title>."""
    found = []
    for figure in _MAP_FIGURE.finditer(page_html):
        key = _CHART_KEY.search(figure.group(1))
        title = _SVG_TITLE.search(svgs.get(key.group(1), "")) if key else None
        if key and title:
            found.append(ChartFigure(key.group(1), title.group(1), title.group(1), kind="map"))
    return found


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


def embed_page(
    pub: Publication, chart: ChartFigure, svg: str, page_url: str, licence: Mapping[str, str]
) -> str:
    """A minimal self-contained page: the chart, its title, source, licence, link back.

    A map keeps its dots as links (to the site's pages, from the embed page's folder) and
    names where its coordinates come from.
    """
    root = "../../"
    if chart.kind == "map":
        figure = f'<div class="map">\n{rebased_links(svg, root)}\n</div>'
        coordinates = f"\nพิกัด (coordinates): {html.escape(settings.COORDINATES_ATTRIBUTION)} ·"
    else:
        figure = f'<div role="img" aria-label="{chart.alt}">\n{svg}\n</div>'
        coordinates = ""
    version = html.escape(pub.version)
    sample = (
        f'<p class="sample-notice">{settings.SAMPLE_NOTICE_TH} · {settings.SAMPLE_NOTICE_EN}</p>'
        if pub.sample
        else ""
    )
    title_en, title_th = catalog.CATALOG_TITLE[1], catalog.CATALOG_TITLE[0]
    licence_link = (
        f'<a href="{html.escape(licence.get("path", ""))}" rel="license" target="_blank">'
        f"{html.escape(licence.get('title') or licence.get('name', ''))}</a>"
        if licence.get("path")
        else html.escape(licence.get("title") or licence.get("name", ""))
    )
    return f"""<!doctype html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{chart.title}</title>
<link rel="icon" href="{root}assets/images/favicon.png">
<link rel="stylesheet" href="{root}assets/css/fonts.css">
<style>
body {{ font-family: "Sarabun", "Loma", "Garuda", sans-serif; margin: 0; padding: 0.5rem;
  color: #1a1a1a; background: #fff; }}
h1 {{ font-size: 1.05rem; margin: 0 0 0.25rem; }}
figure {{ margin: 0; }}
svg {{ max-width: 100%; height: auto; }}
.map svg {{ max-height: calc(100vh - 9rem); width: auto; }}
.credit {{ font-size: 0.8rem; color: #444; margin: 0.25rem 0 0; }}
.sample-notice {{ font-size: 0.8rem; background: #fff3cd; padding: 0.1rem 0.4rem; margin: 0; }}
a {{ color: #00695c; }}
</style>
</head>
<body>
<figure>
<h1>{chart.title}</h1>
{sample}
{figure}
<figcaption class="credit">ที่มา (source): {html.escape(title_th)} / {html.escape(title_en)},
ข้อมูลรุ่น {version} · สัญญาอนุญาต (licence): {licence_link} ·{coordinates}
<a href="{root}{page_url}" target="_top">ดูหน้าเต็มและดาวน์โหลดข้อมูล (full page and data)</a>
</figcaption>
</figure>
</body>
</html>
"""


def add_embeds(site: Path, svgs: Mapping[str, str], pub: Publication) -> int:
    """Writes embed/<chart-id>/index.html for every chart and map of the built site, and puts
    the copyable snippet under each; returns the number of embed pages.

    Runs after mkdocs and before the SVGs are injected (pages then hold small placeholders).
    """
    licence = licence_of({}, pub.license)
    count = 0
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        maps = map_figures(text, svgs)
        charts = [c for c in chart_figures(text) if svgs.get(c.key)] + maps
        if not charts:
            continue
        rel = page.relative_to(site)
        page_url = "" if rel.parent == Path(".") else rel.parent.as_posix() + "/"
        page_root = "../" * page_url.count("/")
        for chart in charts:
            target = site / urls.embed_file(embed_id(chart.key))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(
                embed_page(pub, chart, svgs[chart.key], page_url, licence), encoding="utf-8"
            )
            count += 1
        text = with_embed_details(text, pub, page_root)
        page.write_text(with_map_embed_details(text, pub, page_root, maps), encoding="utf-8")
    return count


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


# --- finishing the site -------------------------------------------------------------------------


def site_pages(site: Path) -> list[str]:
    """Directory URLs (relative to the site root) of every page a search engine should list."""
    page_urls = []
    for page in sorted(site.rglob("index.html")):
        rel = page.relative_to(site).parent.as_posix()
        if urls.is_embed_url(rel):
            continue  # embed pages are for iframes (noindex), not for search results
        page_urls.append("" if rel == "." else rel + "/")
    return page_urls


def move_downloads(pub: Publication, site: Path) -> None:
    """Moves the written downloads into site/downloads/ (beside the Downloads page's index.html)."""
    target = site / urls.DOWNLOADS_DIR
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(pub.downloads_dir.iterdir()):
        os.replace(entry, target / entry.name)


def finish(
    site: Path,
    pub: Publication,
    figures: Any,
    package_pages: Mapping[str, str],
) -> list[str]:
    """Downloads into the site, then the catalog (with a sitemap of every page) and robots.txt.

    `package_pages` maps a package's `discovery.published_slug` to its page URL relative to
    the site root.
    """
    move_downloads(pub, site)
    (site / "sitemap.xml.gz").unlink(missing_ok=True)  # mkdocs' copy would go stale
    return catalog.write_catalog(
        pub.refs,
        pub.files,
        site,
        version=pub.version,
        site_url=pub.site_url,
        release_date=pub.release_date,
        figures=figures,
        centroids=pub.centroids,
        page_urls=site_pages(site),
        package_pages=package_pages,
        license=pub.license,
    )
