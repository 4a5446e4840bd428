"""What a package's page embeds: its schema.org Dataset JSON-LD and how to cite it (Buddhist Era
in Thai, CE in English), for one fixed version."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tambon_portal.core import licences, settings, urls
from tambon_portal.packages import discovery
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.publish.datasets import dataset_for, dataset_title, file_title
from tambon_portal.publish.download_files import DownloadFile

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
                "name": file_title(f),
            }
            for f in dataset.files
        ],
        "identifier": dataset.name,
        "inLanguage": "th",
        "isAccessibleForFree": True,
        "keywords": dataset.keywords,
        "license": dataset.license.get("path") or dataset.license.get("name"),
        "name": dataset_title(dataset),
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
