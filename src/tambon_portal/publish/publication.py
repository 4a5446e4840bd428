"""The build's publishing step: downloads, the roll-up package, catalog, citation.

Wires the library modules (downloads, catalog, rollup_package) into `tambon build`:

1. `prepare` (before pages are rendered): writes the roll-up package and every download into a
   work folder, so pages can show each file's size and SHA-256.
2. `page_extras` / `downloads_page_context`: what a tambon or dataset page and the Downloads page
   show (links relative to the page; the permanent URL only in citations and JSON-LD).
3. `finish`: moves the downloads into the site and writes the catalog, sitemap and robots.txt.

Permanent addresses are `<site_url>/<version>/...` (what `catalog` and `downloads` write).

Kept over 400 lines: the one step that ties downloads, roll-up package and page extras
together for the build.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from tambon_portal.core import formatting, gazetteer, licences, schemas, scope, siteurl, urls
from tambon_portal.packages import descriptor_reader, discovery
from tambon_portal.packages.articles import Article
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore
from tambon_portal.publish import (
    catalog,
    citation,
    downloads,
    knowledge,
    labelled,
    live_downloads,
    rollup_package,
)
from tambon_portal.publish.download_files import DownloadFile, files_by_package

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
        return list(self._files_by_package.get(package_name, ()))

    @functools.cached_property
    def _files_by_package(self) -> dict[str | None, list[DownloadFile]]:
        # Asked once per page: a scan of every file per page was quadratic in the country.
        return files_by_package(self.files)

    @property
    def area(self) -> scope.Scope:
        """What the published tambons cover (`core.scope`)."""
        return scope.of_tambons(r.tambon_code for r in self.refs
                                if r.kind == "tambon" and r.tambon_code)  # fmt: skip

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


def publishable(refs: Sequence[PackageRef], store: FileStore | None = None) -> list[PackageRef]:
    """The packages the downloads module can read; a broken generic package is logged, skipped.

    Why: a generic dataset with a broken table still gets its page (which says what is wrong),
    but must not stop every other download from being written.
    """
    kept = []
    for ref in refs:
        try:
            downloads.read_package(ref, store=store)
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
    memo: downloads.Memo | None = None,
    figures: Any = None,
    plan: Mapping[str, Any] | None = None,
    bmn_rates: Any = None,
    three_w: Any = None,
    store: FileStore | None = None,
    previous: live_downloads.PreviousDownloads | None = None,
) -> Publication:
    """Writes the roll-up package and every download under `work_dir` (emptied first).

    `memo` (`downloads.write_downloads`) keeps the downloads of a package whose bytes did not
    change from being made again.
    `store`: the files of the packages, read once per build (`file_store`).
    `figures`, `plan` and `bmn_rates`: the roll-ups of `tambons` when already computed, and
    `three_w` the partners' (`rollup_package.rollup_tables`). `previous`: the live site's
    downloads, linked from it where unchanged (`live_downloads`).
    """
    if work_dir.exists():
        shutil.rmtree(work_dir)
    work_dir.mkdir(parents=True)
    rollup = None
    if tambons:
        folder = work_dir / "rollup" / scope.of_tambons(tambons).rollup_package
        rollup_package.write_rollup_package(
            tambons, folder, sample, figures, plan, bmn_rates, three_w
        )
        rollup = discovery.package_ref(folder)
    store = store or FileStore()
    tambon_refs = [discovery.package_ref(folders[code], store) for code in sorted(folders)]
    # Tambon packages passed the build's validation and the roll-up is ours: only generic
    # packages can be unreadable here.
    refs = [*tambon_refs, *publishable(generic, store), *([rollup] if rollup else [])]
    license = license or licences.DEFAULT
    out = work_dir / "downloads"
    files = downloads.write_downloads(refs, out, version=version, site_url=site_url,
                                      license=license, memo=memo, store=store,
                                      previous=previous)  # fmt: skip
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
    descriptor = discovery.descriptor_of(ref)
    name = discovery.published_slug(ref)
    files = pub.files_of(name)
    centroid = pub.centroids.get(ref.tambon_code or "") if ref.kind == "tambon" else None
    node = citation.schema_org_dataset(
        ref,
        files,
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
            "citation": citation.citation(
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
    parts = citation.citation_parts(
        catalog.catalog_title(pub.area), version=pub.version, page_url=pub.cited_url(page_url),
        release_date=pub.release_date,
    )  # fmt: skip
    return [parts["th"], parts["en"]]


def _bundles(pub: Publication) -> set[str]:
    return {f.package for f in pub.files if f.package and f.path.startswith(f"{urls.BUNDLES_DIR}/")}


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
    articles: Sequence[Article] = (),
    partner_names: Mapping[str, str] | None = None,
) -> list[str]:
    """Downloads into the site, then the catalog (with a sitemap of every page), robots.txt
    and, with `articles`, their Atom feed (`knowledge`).

    `package_pages` maps a package's `discovery.published_slug` to its page URL relative to
    the site root.
    """
    move_downloads(pub, site)
    (site / "sitemap.xml.gz").unlink(missing_ok=True)  # mkdocs' copy would go stale
    names = partner_names or {}
    written = []
    if articles:
        feed = knowledge.atom_feed(articles, pub.site_url, pub.version, names, pub.area)
        (site / urls.KNOWLEDGE_FEED).parent.mkdir(parents=True, exist_ok=True)
        (site / urls.KNOWLEDGE_FEED).write_bytes(feed)
        written.append(urls.KNOWLEDGE_FEED)
    return written + catalog.write_catalog(
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
        documents=knowledge.dcat_resources(articles, pub.site_url, pub.version, names),
    )
