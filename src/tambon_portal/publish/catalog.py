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

Kept over 400 lines: one section per machine format (DCAT, data.json, CKAN, sitemap) that
share the Dataset records and the writing; the records, citations and JSON API have modules
of their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd

from tambon_portal.core import licences, scope, settings, urls
from tambon_portal.core.scope import Scope
from tambon_portal.packages import discovery
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.writer import json_document
from tambon_portal.publish.datasets import (
    FORMAT_LABELS,
    Dataset,
    bundle_datasets,
    dataset_for,
    dataset_title,
    default_page_path,
    file_title,
)
from tambon_portal.publish.download_files import DownloadFile, files_by_package
from tambon_portal.publish.tambon_api import by_area, tambon_profile, tambon_summary

POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
POD_CATALOG_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
CKAN_API_HELP = "https://docs.ckan.org/en/2.10/api/"


def catalog_title(area: Scope) -> tuple[str, str]:
    """The collection's title (Thai, English), of the area its tambons cover (`scope`)."""
    return f"ข้อมูลเปิดระดับตำบล {area.area_th}", f"Tambon open data, {area.area_en}"


CATALOG_DESCRIPTION = (
    "ข้อมูลชุมชนระดับตำบลและแผนแม่บทชุมชน เผยแพร่เป็นข้อมูลเปิด"
    " / Tambon community data and community master plans, published as open data."
)

JSONLD_CONTEXT: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


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
        "dct:title": file_title(f),
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
    documents: Sequence[dict] = (),
) -> dict:
    """`documents`: the catalog's resources that are not datasets (the knowledge articles,
    `knowledge.dcat_resources`), under dcat:resource."""
    root = urls.version_root(site_url, version)
    area = scope.of_tambons(d.tambon_code for d in datasets if d.tambon_code)
    extra = {"dcat:resource": list(documents)} if documents else {}
    return {
        **extra,
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
        "dct:title": _lang(*catalog_title(area)),
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
                "title": file_title(f),
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
        "title": dataset_title(dataset),
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
                "description": file_title(f),
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
        "title": dataset_title(dataset),
        "type": "dataset",
        "url": dataset.page_url,
        "version": version,
    }


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
    by_package = files_by_package(downloads)  # not every file scanned for every package
    datasets = [
        dataset_for(
            ref,
            discovery.descriptor_of(ref),
            by_package.get(discovery.published_slug(ref), []),
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
    documents: Sequence[dict] = (),
) -> list[str]:
    """Write the catalog files under the site root `out_dir`; return their relative paths.

    `release_date` (ISO date) is the only date written. `centroids` maps a tambon code to
    (latitude, longitude). `page_urls` (absolute, or relative to the version root) are written
    to sitemap.xml; with None no sitemap.xml is written (mkdocs writes its own, which robots.txt
    then points to). `package_pages` maps a package's `discovery.published_slug` to its page
    (default `default_page_path`). `license` applies to packages that name none (default CC BY 4.0).
    `documents`: what the catalog lists besides datasets (`dcat_catalog`).
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

    catalog = dcat_catalog(datasets, publisher=publisher, centroids=centroids,
                           documents=documents, **common)  # fmt: skip
    _write(out_dir, urls.CATALOG_FILE, json_document(catalog), written)
    _write(
        out_dir,
        urls.POD_FILE,
        json_document(pod_catalog(datasets, publisher=publisher, **common)),
        written,
    )

    tambons = sorted((d for d in datasets if d.tambon_code), key=lambda d: d.tambon_code or "")
    area_figures = by_area(figures)
    api = {
        "version": version,
        "release_date": release_date,
        "count": len(tambons),
        "tambons": [
            tambon_summary(
                d,
                version=version,
                site_url=site_url,
                figures=area_figures,
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
            figures=area_figures,
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
