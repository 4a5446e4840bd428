"""The machine-readable catalog of one site version: DCAT, data.json, schema.org, JSON API, sitemap.

Written under the site root of one version (`out_dir`), whose permanent address is
`<site_url>/<version>/`; every URL written points there (downloads at
`<site_url>/<version>/downloads/...`; `urls` makes every path and URL):

    catalog.jsonld                         DCAT 2 in JSON-LD, context inline (no remote context)
    data.json                              Project Open Data v1.1 catalog
    api/v1/tambons.json                    every tambon: names, district, key figures, links
    api/v1/tambons/<code>.json             one tambon's profile figures (with district and province)
    api/3/action/package_list.json         CKAN-shaped, so CKAN harvesters can read the site
    api/3/action/package_show/<name>.json
    sitemap.xml, robots.txt

Everything is a function of the arguments: dates are passed in, keys are sorted, lists are in
code or name order, so two builds of the same data give identical bytes.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd

from tambon_portal.core import gazetteer, licences, settings, urls
from tambon_portal.core.figures import COLUMNS as FIGURE_COLUMNS
from tambon_portal.core.licences import first_licence
from tambon_portal.packages import discovery
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.writer import json_document
from tambon_portal.publish.download_files import DownloadFile
from tambon_portal.stats import aggregate

POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
POD_CATALOG_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
CKAN_API_HELP = "https://docs.ckan.org/en/2.10/api/"

CATALOG_TITLE = ("ข้อมูลเปิดระดับตำบล จังหวัดนครศรีธรรมราช", "Tambon open data, Nakhon Si Thammarat")
CATALOG_DESCRIPTION = (
    "ข้อมูลชุมชนระดับตำบลและแผนแม่บทชุมชน เผยแพร่เป็นข้อมูลเปิด"
    " / Tambon community data and community master plans, published as open data."
)

# How each download format is named to people and harvesters.
FORMAT_LABELS: dict[str, tuple[str, str]] = {
    "csv": ("CSV", "CSV (UTF-8)"),
    "excel-csv": ("CSV", "CSV สำหรับ Excel (UTF-8 with BOM)"),
    "json": ("JSON", "JSON"),
    "xlsx": ("XLSX", "Excel (XLSX)"),
    "zip": ("ZIP", "Frictionless Data Package (zip)"),
}

JSONLD_CONTEXT: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True)
class Dataset:
    """What the catalog says about one published package (or a province bundle)."""

    name: str
    kind: str  # tambon | generic | bundle
    title_th: str
    title_en: str | None
    description: str
    keywords: list[str]
    license: dict
    page_url: str
    files: list[DownloadFile]
    slug: str  # its address (`discovery.published_slug`; a bundle's name is one already)
    tambon_code: str | None = None
    place: dict[str, str] = field(default_factory=dict)  # name_th/name_en of the area covered
    created: str | None = None
    sources: list[dict] = field(default_factory=list)


# --- URLs -------------------------------------------------------------------------------------


def default_page_path(ref: PackageRef) -> str:
    """Where the site shows a package, relative to the version root (overridable per call)."""
    if ref.kind == "tambon" and ref.tambon_code:
        return urls.url_of(urls.tambon_path(ref.tambon_code))
    return urls.url_of(urls.dataset_path(discovery.published_slug(ref)))


# --- datasets ---------------------------------------------------------------------------------


def _place_names(tambon_code: str) -> dict[str, str]:
    tambon = gazetteer.tambon(tambon_code)
    district = gazetteer.district(tambon_code[:4])
    province = gazetteer.province(tambon_code[:2])
    if not (tambon and district and province):
        return {"name_th": tambon_code, "name_en": tambon_code}
    return {
        "name_th": f"ตำบล{tambon.name_th} อำเภอ{district.name_th} จังหวัด{province.name_th}",
        "name_en": f"{tambon.name_en}, {district.name_en}, {province.name_en}, Thailand",
    }


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _tambon_keywords(code: str) -> list[str]:
    tambon, district = gazetteer.tambon(code), gazetteer.district(code[:4])
    province = gazetteer.province(code[:2])
    names = [p.name_th for p in (tambon, district, province) if p]
    names += [p.name_en for p in (tambon, district, province) if p]
    return [*names, "ตำบล", "จปฐ.", "แผนแม่บทชุมชน", "tambon", "BMN", code]


def _default_title_en(tambon_code: str) -> str:
    """An English title when a tambon package has none, so every title is bilingual."""
    return f"Community data of Tambon {_place_names(tambon_code)['name_en']}"


def dataset_for(
    ref: PackageRef,
    descriptor: dict,
    files: Sequence[DownloadFile],
    *,
    page_url: str,
    license: dict,
) -> Dataset:
    code = ref.tambon_code if ref.kind == "tambon" else None
    keywords = [str(k) for k in descriptor.get("keywords") or []]
    if code:
        keywords += _tambon_keywords(code)
    return Dataset(
        name=ref.name,
        kind=ref.kind,
        title_th=str(descriptor.get("title") or ref.name),
        title_en=descriptor.get("title_en") or (_default_title_en(code) if code else None),
        description=str(descriptor.get("description") or descriptor.get("title") or ref.name),
        keywords=_unique(keywords) or [ref.name],
        license=first_licence(descriptor, license),
        page_url=page_url,
        files=sorted(
            (f for f in files if f.package == discovery.published_slug(ref)), key=lambda f: f.path
        ),
        slug=discovery.published_slug(ref),
        tambon_code=code,
        place=_place_names(code) if code else {},
        created=str(descriptor["created"]) if descriptor.get("created") else None,
        sources=list(descriptor.get("sources") or []),
    )


SAMPLE_NOTE = (
    " ข้อมูลตัวอย่างสังเคราะห์ ไม่ใช่ข้อมูลจริง"
    " / SYNTHETIC SAMPLE DATA: the figures are made up; codes and names are real."
)


def bundle_datasets(
    files: Sequence[DownloadFile], *, page_url: str, license: dict, sample: bool = False
) -> list[Dataset]:
    """One dataset per province bundle (the files under bundles/, package "tambons-<pp>")."""
    prefix = f"{urls.BUNDLES_DIR}/"
    names = sorted({f.package for f in files if f.package and f.path.startswith(prefix)})
    datasets = []
    for name in names:
        province_code = name.removeprefix(urls.BUNDLE_PREFIX)
        province = gazetteer.province(province_code)
        th = province.name_th if province else province_code
        en = province.name_en if province else province_code
        description = (
            f"ชุดข้อมูลทุกตำบลที่เผยแพร่ของจังหวัด{th} ในไฟล์เดียว และตารางรวมรายหัวข้อ"
            f" / Every published tambon data package of {en} in one zip, and one table per"
            " resource across the province."
        )
        datasets.append(
            Dataset(
                name=name,
                kind="bundle",
                title_th=f"ข้อมูลทุกตำบลที่เผยแพร่ จังหวัด{th} (รวมไฟล์)",
                title_en=f"All published tambon packages of {en} (bundle)",
                description=description + (SAMPLE_NOTE if sample else ""),
                keywords=_unique([th, en, "ตำบล", "tambon", province_code]),
                license=license,
                page_url=page_url,
                files=sorted((f for f in files if f.package == name), key=lambda f: f.path),
                slug=name,
                place={"name_th": f"จังหวัด{th}", "name_en": f"{en}, Thailand"},
            )
        )
    return datasets


def _title(dataset: Dataset) -> str:
    return f"{dataset.title_th} / {dataset.title_en}" if dataset.title_en else dataset.title_th


def _file_title(f: DownloadFile) -> str:
    what = f.resource or ("แพ็กเกจข้อมูล (package)" if f.format == "zip" else "ทุกตาราง (all tables)")
    return f"{what} — {FORMAT_LABELS[f.format][1]}"


# --- DCAT (JSON-LD) ---------------------------------------------------------------------------


def _lang(th: str, en: str | None) -> list[dict[str, str]]:
    values = [{"@language": "th", "@value": th}]
    return [*values, {"@language": "en", "@value": en}] if en else values


def _dcat_distribution(f: DownloadFile, site_url: str, version: str) -> dict:
    url = urls.download_url(site_url, version, f.path)
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dcat:byteSize": {"@type": "xsd:nonNegativeInteger", "@value": str(f.size)},
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": IANA_MEDIA_TYPES + f.media_type},
        "dct:format": FORMAT_LABELS[f.format][0],
        "dct:title": _file_title(f),
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": {"@type": "xsd:hexBinary", "@value": f.sha256},
        },
    }


def _dcat_spatial(dataset: Dataset, centroid: tuple[float, float] | None) -> dict:
    spatial: dict[str, Any] = {
        "@type": "dct:Location",
        "rdfs:label": _lang(dataset.place["name_th"], dataset.place.get("name_en")),
    }
    if centroid:
        lat, lon = centroid
        spatial["dcat:centroid"] = {
            "@type": "http://www.opengis.net/ont/geosparql#wktLiteral",
            "@value": f"POINT({lon} {lat})",
        }
    return spatial


def dcat_dataset(
    dataset: Dataset, *, version: str, site_url: str, release_date: str, centroid=None
) -> dict:
    node: dict[str, Any] = {
        "@id": f"{dataset.page_url}#dataset",
        "@type": "dcat:Dataset",
        "dcat:distribution": [_dcat_distribution(f, site_url, version) for f in dataset.files],
        "dcat:keyword": dataset.keywords,
        "dcat:landingPage": {"@id": dataset.page_url},
        "dct:description": dataset.description,
        "dct:identifier": dataset.name,
        "dct:language": {"@id": "http://id.loc.gov/vocabulary/iso639-1/th"},
        "dct:license": {"@id": dataset.license.get("path") or dataset.license.get("name")},
        "dct:modified": {"@type": "xsd:date", "@value": release_date},
        "dct:title": _lang(dataset.title_th, dataset.title_en),
        "owl:versionInfo": version,
    }
    if dataset.place:
        node["dct:spatial"] = _dcat_spatial(dataset, centroid)
    return node


def dcat_catalog(
    datasets: Sequence[Dataset],
    *,
    version: str,
    site_url: str,
    release_date: str,
    publisher: Mapping[str, Any],
    centroids: Mapping[str, tuple[float, float]],
) -> dict:
    root = urls.version_root(site_url, version)
    return {
        "@context": JSONLD_CONTEXT,
        "@id": root + urls.CATALOG_FILE,
        "@type": "dcat:Catalog",
        "dcat:dataset": [
            dcat_dataset(
                d,
                version=version,
                site_url=site_url,
                release_date=release_date,
                centroid=centroids.get(d.tambon_code or ""),
            )
            for d in datasets
        ],
        "dct:description": CATALOG_DESCRIPTION,
        "dct:issued": {"@type": "xsd:date", "@value": release_date},
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": _lang(str(publisher["name_th"]), publisher.get("name_en")),
        },
        "dct:title": _lang(*CATALOG_TITLE),
        "foaf:homepage": {"@id": root},
        "owl:versionInfo": version,
    }


# --- Project Open Data v1.1 -------------------------------------------------------------------


def _contact_point(publisher: Mapping[str, Any]) -> dict:
    email = publisher.get("email")
    return {
        "@type": "vcard:Contact",
        "fn": str(publisher["name_th"]),
        "hasEmail": f"mailto:{email}" if email else "mailto:",
    }


def pod_dataset(
    dataset: Dataset, *, version: str, site_url: str, release_date: str, publisher: Mapping
) -> dict:
    return {
        "@type": "dcat:Dataset",
        "accessLevel": "public",
        "contactPoint": _contact_point(publisher),
        "description": dataset.description,
        "distribution": [
            {
                "@type": "dcat:Distribution",
                "downloadURL": urls.download_url(site_url, version, f.path),
                "format": FORMAT_LABELS[f.format][1],
                "mediaType": f.media_type,
                "title": _file_title(f),
            }
            for f in dataset.files
        ],
        "identifier": dataset.name,
        "keyword": dataset.keywords,
        "landingPage": dataset.page_url,
        "language": ["th"],
        "license": dataset.license.get("path") or None,
        "modified": release_date,
        "publisher": {"@type": "org:Organization", "name": str(publisher["name_th"])},
        "spatial": dataset.place.get("name_th") or None,
        "title": _title(dataset),
    }


def pod_catalog(datasets: Sequence[Dataset], **kwargs: Any) -> dict:
    return {
        "conformsTo": POD_SCHEMA,
        "describedBy": POD_CATALOG_SCHEMA,
        "dataset": [pod_dataset(d, **kwargs) for d in datasets],
    }


# --- CKAN-shaped API --------------------------------------------------------------------------


def _ckan_envelope(result: Any) -> dict:
    return {"help": CKAN_API_HELP, "success": True, "result": result}


def _ckan_time(date: str) -> str:
    return date if "T" in date else f"{date}T00:00:00"


def ckan_package(
    dataset: Dataset, *, version: str, site_url: str, release_date: str, publisher: Mapping
) -> dict:
    package_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site_url}/{dataset.name}"))
    extras = {"kind": dataset.kind, "spatial_th": dataset.place.get("name_th")}
    if dataset.tambon_code:
        extras |= {
            "tambon_code": dataset.tambon_code,
            "district_code": dataset.tambon_code[:4],
            "province_code": dataset.tambon_code[:2],
        }
    return {
        "author": str(publisher["name_th"]),
        "extras": [{"key": k, "value": v} for k, v in sorted(extras.items()) if v],
        "id": package_id,
        "license_id": dataset.license.get("name"),
        "license_title": dataset.license.get("title") or dataset.license.get("name"),
        "license_url": dataset.license.get("path"),
        "metadata_created": _ckan_time(dataset.created or release_date),
        "metadata_modified": _ckan_time(release_date),
        "name": dataset.name,
        "notes": dataset.description,
        "num_resources": len(dataset.files),
        "num_tags": len(dataset.keywords),
        "organization": {
            "name": "tambon-portal-publisher",
            "title": str(publisher["name_th"]),
            "description": str(publisher.get("name_en") or ""),
            "type": "organization",
        },
        "private": False,
        "resources": [
            {
                "description": _file_title(f),
                "format": FORMAT_LABELS[f.format][0],
                "hash": f.sha256,
                "id": str(
                    uuid.uuid5(uuid.NAMESPACE_URL, urls.download_url(site_url, version, f.path))
                ),
                "mimetype": f.media_type,
                "name": f.path.rsplit("/", 1)[-1],
                "package_id": package_id,
                "position": i,
                "size": f.size,
                "url": urls.download_url(site_url, version, f.path),
            }
            for i, f in enumerate(dataset.files)
        ],
        "state": "active",
        "tags": [{"name": k} for k in dataset.keywords],
        "title": _title(dataset),
        "type": "dataset",
        "url": dataset.page_url,
        "version": version,
    }


# --- JSON API by tambon -----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A frame cell as JSON: <NA>/NaN -> null, numpy scalars -> int/float."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def figures_of(figures: pd.DataFrame | None, area_code: str, level: str) -> dict[str, Any] | None:
    """One area's key figures (names and codes left out), or None when the frame has none."""
    if figures is None or figures.empty:
        return None
    rows = figures[(figures["area_code"] == area_code) & (figures["level"] == level)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    # What the figures cover, then every figure of the registry (`core.figures`).
    published = (*aggregate.COVERS_COLUMNS, *FIGURE_COLUMNS)
    return {k: _plain(row[k]) for k in published if k in figures.columns}


def _links(dataset: Dataset, *, version: str, site_url: str) -> dict[str, Any]:
    links: dict[str, Any] = {"page": dataset.page_url, "resources": {}}
    for f in dataset.files:
        url = urls.download_url(site_url, version, f.path)
        if f.resource:
            links["resources"].setdefault(f.resource, {})[f.format] = url
        else:
            links[f.format] = url
    return links


def _place_entry(code: str) -> dict[str, Any]:
    tambon = gazetteer.tambon(code)
    district = gazetteer.district(code[:4])
    province = gazetteer.province(code[:2])
    return {
        "code": code,
        "name_th": tambon.name_th if tambon else None,
        "name_en": tambon.name_en if tambon else None,
        "district_code": code[:4],
        "district_name_th": district.name_th if district else None,
        "district_name_en": district.name_en if district else None,
        "province_code": code[:2],
        "province_name_th": province.name_th if province else None,
        "province_name_en": province.name_en if province else None,
    }


def tambon_summary(
    dataset: Dataset, *, version: str, site_url: str, figures: pd.DataFrame | None, centroid=None
) -> dict:
    code = dataset.tambon_code or ""
    return {
        **_place_entry(code),
        "api_url": urls.permanent_url(site_url, version, urls.tambon_api(code)),
        "centroid": {"lat": centroid[0], "lon": centroid[1]} if centroid else None,
        "figures": figures_of(figures, code, "tambon"),
        "links": _links(dataset, version=version, site_url=site_url),
        "package": dataset.name,
        "page_url": dataset.page_url,
    }


def tambon_profile(
    dataset: Dataset,
    *,
    version: str,
    site_url: str,
    figures: pd.DataFrame | None,
    centroid: tuple[float, float] | None = None,
    publisher: Mapping[str, Any] | None = None,
    release_date: str | None = None,
) -> dict:
    code = dataset.tambon_code or ""
    summary = tambon_summary(
        dataset, version=version, site_url=site_url, figures=figures, centroid=centroid
    )
    summary["figures"] = {
        "tambon": figures_of(figures, code, "tambon"),
        "district": figures_of(figures, code[:4], "district"),
        "province": figures_of(figures, code[:2], "province"),
    }
    summary["citation"] = citation_parts(
        (dataset.title_th, dataset.title_en),
        version=version,
        page_url=dataset.page_url,
        publisher=publisher,
        release_date=release_date,
    )
    summary["version"] = version
    return summary


# --- schema.org and citation (for page templates) ---------------------------------------------


def schema_org_dataset(
    ref: PackageRef,
    downloads: Sequence[DownloadFile],
    *,
    version: str,
    site_url: str,
    page_url: str,
    centroid: tuple[float, float] | None,
    date_modified: str | None = None,
    license: dict | None = None,
    publisher: Mapping[str, Any] | None = None,
) -> dict:
    """The schema.org Dataset JSON-LD a page embeds in <script type="application/ld+json">."""
    publisher = publisher or settings.PUBLISHER
    dataset = dataset_for(
        ref,
        discovery.descriptor_of(ref),
        downloads,
        page_url=urls.permanent_url(site_url, version, page_url),
        license=license or licences.DEFAULT,
    )
    organization = {"@type": "Organization", "name": str(publisher["name_th"])}
    if publisher.get("name_en"):
        organization["alternateName"] = str(publisher["name_en"])
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "creator": organization,
        "description": dataset.description,
        "distribution": [
            {
                "@type": "DataDownload",
                "contentSize": f"{f.size} B",
                "contentUrl": urls.download_url(site_url, version, f.path),
                "encodingFormat": f.media_type,
                "isAccessibleForFree": True,
                "name": _file_title(f),
            }
            for f in dataset.files
        ],
        "identifier": dataset.name,
        "inLanguage": "th",
        "isAccessibleForFree": True,
        "keywords": dataset.keywords,
        "license": dataset.license.get("path") or dataset.license.get("name"),
        "name": _title(dataset),
        "publisher": organization,
        "url": dataset.page_url,
        "version": version,
    }
    if date_modified:
        node["dateModified"] = date_modified
    if dataset.place:
        place: dict[str, Any] = {"@type": "Place", "name": dataset.place["name_th"]}
        if centroid:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": centroid[0],
                "longitude": centroid[1],
            }
        node["spatialCoverage"] = place
    return node


def citation_parts(
    title: tuple[str, str | None],
    *,
    version: str,
    page_url: str,
    publisher: Mapping[str, Any] | None = None,
    release_date: str | None = None,
) -> dict[str, str]:
    """The citation of a work titled (Thai, English) in Thai (year in Buddhist Era) and in
    English (year CE)."""
    publisher = publisher or settings.PUBLISHER
    org_th = str(publisher["name_th"])
    org_en = str(publisher.get("name_en") or org_th)
    year_ce = int(release_date[:4]) if release_date else None
    when_th = f" ({year_ce + settings.BE_OFFSET})" if year_ce else ""
    when_en = f" ({year_ce})" if year_ce else ""
    title_th, title_en = title[0], title[1] or title[0]
    return {
        "th": f"{org_th}.{when_th} {title_th} [ชุดข้อมูล] รุ่น {version}. สืบค้นจาก {page_url}",
        "en": f"{org_en}.{when_en} {title_en} [Data set], version {version}. {page_url}",
    }


def citation(
    ref: PackageRef,
    *,
    version: str,
    page_url: str,
    site_url: str | None = None,
    release_date: str | None = None,
    publisher: Mapping[str, Any] | None = None,
) -> str:
    """Suggested citation, Thai then English, naming the version and its permanent URL.

    `page_url` should already be the permanent one (`urls.permanent_url(site_url, version, path)`);
    a relative path is made permanent when `site_url` is given. With `release_date` the year
    is cited too (Buddhist Era in Thai, CE in English).
    """
    if site_url and "://" not in page_url:
        page_url = urls.permanent_url(site_url, version, page_url)
    descriptor = discovery.descriptor_of(ref)
    dataset = dataset_for(ref, descriptor, [], page_url=page_url, license=licences.DEFAULT)
    parts = citation_parts(
        (dataset.title_th, dataset.title_en),
        version=version,
        page_url=page_url,
        publisher=publisher,
        release_date=release_date,
    )
    return f"{parts['th']}\n{parts['en']}"


# --- sitemap and robots -----------------------------------------------------------------------


def sitemap_xml(page_urls: Iterable[str], *, lastmod: str) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url in sorted(set(page_urls)):
        lines.append(f"  <url><loc>{escape(url)}</loc><lastmod>{escape(lastmod)}</lastmod></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def robots_txt(sitemap_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()


# --- writing ----------------------------------------------------------------------------------


def _write(out_dir: Path, rel: str, data: bytes, written: list[str]) -> None:
    target = out_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    written.append(rel)


def build_datasets(
    refs: Sequence[PackageRef],
    downloads: Sequence[DownloadFile],
    *,
    version: str,
    site_url: str,
    license: dict,
    package_pages: Mapping[str, str] | None = None,
) -> list[Dataset]:
    """Datasets of the packages (in name order), then one per province bundle."""
    package_pages = package_pages or {}
    datasets = [
        dataset_for(
            ref,
            discovery.descriptor_of(ref),
            downloads,
            page_url=urls.permanent_url(
                site_url,
                version,
                package_pages.get(discovery.published_slug(ref)) or default_page_path(ref),
            ),
            license=license,
        )
        for ref in sorted(refs, key=lambda r: r.name)
    ]
    home = urls.version_root(site_url, version)
    sample = settings.any_sample(discovery.descriptor_of(r) for r in refs if r.kind == "tambon")
    return datasets + bundle_datasets(downloads, page_url=home, license=license, sample=sample)


def write_catalog(
    refs: Sequence[PackageRef],
    downloads: Sequence[DownloadFile],
    out_dir: Path,
    *,
    version: str,
    site_url: str,
    release_date: str,
    figures: pd.DataFrame | None = None,
    centroids: Mapping[str, tuple[float, float]] | None = None,
    page_urls: Sequence[str] | None = None,
    package_pages: Mapping[str, str] | None = None,
    license: dict | None = None,
    publisher: Mapping[str, Any] | None = None,
) -> list[str]:
    """Write the catalog files under the site root `out_dir`; return their relative paths.

    `release_date` (ISO date) is the only date written. `centroids` maps a tambon code to
    (latitude, longitude). `page_urls` (absolute, or relative to the version root) are written
    to sitemap.xml; with None no sitemap.xml is written (mkdocs writes its own, which robots.txt
    then points to). `package_pages` maps a package's `discovery.published_slug` to its page
    (default `default_page_path`). `license` applies to packages that name none (default CC BY 4.0).
    """
    license = license or licences.DEFAULT
    publisher = publisher or settings.PUBLISHER
    centroids = centroids or {}
    datasets = build_datasets(
        refs,
        downloads,
        version=version,
        site_url=site_url,
        license=license,
        package_pages=package_pages,
    )
    common = {"version": version, "site_url": site_url, "release_date": release_date}
    written: list[str] = []

    catalog = dcat_catalog(datasets, publisher=publisher, centroids=centroids, **common)
    _write(out_dir, urls.CATALOG_FILE, json_document(catalog), written)
    _write(
        out_dir,
        urls.POD_FILE,
        json_document(pod_catalog(datasets, publisher=publisher, **common)),
        written,
    )

    tambons = sorted((d for d in datasets if d.tambon_code), key=lambda d: d.tambon_code or "")
    api = {
        "version": version,
        "release_date": release_date,
        "count": len(tambons),
        "tambons": [
            tambon_summary(
                d,
                version=version,
                site_url=site_url,
                figures=figures,
                centroid=centroids.get(d.tambon_code or ""),
            )
            for d in tambons
        ],
    }
    _write(out_dir, urls.TAMBONS_API, json_document(api), written)
    for d in tambons:
        profile = tambon_profile(
            d,
            version=version,
            site_url=site_url,
            figures=figures,
            centroid=centroids.get(d.tambon_code or ""),
            publisher=publisher,
            release_date=release_date,
        )
        _write(out_dir, urls.tambon_api(str(d.tambon_code)), json_document(profile), written)

    names = sorted(d.name for d in datasets)
    _write(out_dir, urls.CKAN_PACKAGE_LIST, json_document(_ckan_envelope(names)), written)
    for d in datasets:
        package = ckan_package(d, publisher=publisher, **common)
        _write(
            out_dir,
            urls.ckan_package(d.slug),
            json_document(_ckan_envelope(package)),
            written,
        )

    if page_urls is not None:  # None keeps the sitemap.xml mkdocs wrote
        pages = [urls.permanent_url(site_url, version, p) for p in page_urls]
        _write(out_dir, urls.SITEMAP_FILE, sitemap_xml(pages, lastmod=release_date), written)
    sitemap = urls.permanent_url(site_url, version, urls.SITEMAP_FILE)
    _write(out_dir, urls.ROBOTS_FILE, robots_txt(sitemap), written)
    return written
