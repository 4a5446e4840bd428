"""The JSON API by tambon: api/v1/tambons.json (every tambon, its names, district, key figures
and links) and api/v1/tambons/<code>.json (one profile's figures beside its district and
province); keys sorted, lists in code order."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from tambon_portal.core import gazetteer, urls
from tambon_portal.core.figures import COLUMNS as FIGURE_COLUMNS
from tambon_portal.publish.citation import citation_parts
from tambon_portal.publish.datasets import Dataset
from tambon_portal.stats import aggregate

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


AreaFigures = Mapping[tuple[str, str], dict[str, Any]]  # (area code, level) -> its figures


def by_area(figures: pd.DataFrame | None) -> AreaFigures:
    """Every area's key figures (names and codes left out), looked up by (code, level): the
    first row of each, what the figures cover and then every figure of the registry
    (`core.figures`). Made once for the whole API, not filtered per tambon."""
    if figures is None or figures.empty:
        return {}
    published = [k for k in (*aggregate.COVERS_COLUMNS, *FIGURE_COLUMNS) if k in figures.columns]
    found: dict[tuple[str, str], dict[str, Any]] = {}
    keys = zip(figures["area_code"], figures["level"], strict=True)
    for key, row in zip(keys, figures[published].to_dict("records"), strict=True):
        found.setdefault(key, {k: _plain(row[k]) for k in published})
    return found


def figures_of(figures: pd.DataFrame | None, area_code: str, level: str) -> dict[str, Any] | None:
    """One area's key figures (`by_area`), or None when the frame has none."""
    return by_area(figures).get((area_code, level))


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
    dataset: Dataset, *, version: str, site_url: str, figures: AreaFigures, centroid=None
) -> dict:
    code = dataset.tambon_code or ""
    return {
        **_place_entry(code),
        "api_url": urls.permanent_url(site_url, version, urls.tambon_api(code)),
        "centroid": {"lat": centroid[0], "lon": centroid[1]} if centroid else None,
        "figures": figures.get((code, "tambon")),
        "links": _links(dataset, version=version, site_url=site_url),
        "package": dataset.name,
        "page_url": dataset.page_url,
    }


def tambon_profile(
    dataset: Dataset,
    *,
    version: str,
    site_url: str,
    figures: AreaFigures,
    centroid: tuple[float, float] | None = None,
    publisher: Mapping[str, Any] | None = None,
    release_date: str | None = None,
) -> dict:
    code = dataset.tambon_code or ""
    summary = tambon_summary(
        dataset, version=version, site_url=site_url, figures=figures, centroid=centroid
    )
    summary["figures"] = {
        "tambon": figures.get((code, "tambon")),
        "district": figures.get((code[:4], "district")),
        "province": figures.get((code[:2], "province")),
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
