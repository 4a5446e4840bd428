"""Page contexts (pure functions of the data) and their rendering with jinja2 into markdown.

Every page is a markdown file whose body is mostly HTML blocks. Values reach a template as
data; the environment's `finalize` escapes every printed value for HTML and markdown at once
(`formatting.escape_text`), so a cell holding `<script>` or `[a](javascript:...)` shows as
text. Only values a template marks as trusted markup (our SVG charts, our own macros) pass.

Links inside HTML blocks are not rewritten by mkdocs, so each page gets `root`, the relative
path from its URL back to the site root (pages use directory URLs: tambon/800106/).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import pandas as pd

from tambon_portal.core import coverage, gazetteer, licences, urls
from tambon_portal.core import figures as key_figures
from tambon_portal.site.page_parts import (
    HOME_CARDS,
    HOME_TABLE_COLUMNS,
    MAP_INDICATORS,
    breadcrumb,
    first_row,
    place_name,
    records,
    terms,
    trusted,
)
from tambon_portal.stats import aggregate, area_rollups

# --- district, province, home, plan roll-up --------------------------------------------------


def area_figures(figures: pd.DataFrame, area_code: str, name_th: str) -> dict[str, Any]:
    """An area's key-figure row; without one (no pilot tambon, or no tambon package at all)
    every figure is None, so its page still renders, with dashes, instead of failing."""
    row = first_row(figures[figures["area_code"] == area_code])
    return row or {**dict.fromkeys(figures.columns), "name_th": name_th, "tambons_with_data": 0}


def area_rows(figures: pd.DataFrame, level: str, parent: str | None = None) -> list[dict]:
    rows = figures[figures["level"] == level]
    if parent is not None:
        rows = rows[rows["parent_code"] == parent]
    return records(rows)


def district_context(
    district_code: str,
    figures: pd.DataFrame,
    charts: Mapping[str, str],
    meta: Mapping[str, Any],
    without_data: Collection[str] = (),
) -> dict[str, Any]:
    """`without_data`: tambons whose package has no data yet; they are linked in the list of
    tambons, not compared in the table (a row of zeros and dashes compares nothing)."""
    path = urls.district_path(district_code)
    root = urls.root_of(path)
    place = gazetteer.district(district_code)
    packaged = {r["area_code"]: r for r in area_rows(figures, "tambon", district_code)}
    pilots = {c: r for c, r in packaged.items() if c not in without_data}
    all_tambons = [
        {"code": t.code, "name_th": t.name_th, "name_en": t.name_en, "pilot": t.code in pilots,
         "no_data": t.code in packaged and t.code in without_data,
         "href": root + urls.url_of(urls.tambon_path(t.code))}
        for t in gazetteer.tambons_of(district_code)
    ]  # fmt: skip
    district_row = first_row(
        figures[(figures["level"] == "district") & (figures["area_code"] == district_code)]
    )
    return {
        "path": path,
        "root": root,
        "code": district_code,
        "name_th": place_name(place, district_code),
        "name_en": place.name_en if place else "",
        "breadcrumb": breadcrumb(root, district_code=district_code),
        "meta": meta,
        "tambons": all_tambons,
        "pilots": [
            {**pilots[c], "href": root + urls.url_of(urls.tambon_path(c))} for c in sorted(pilots)
        ],
        "district": district_row,
        "district_covers": coverage.covers_th(coverage.of_row(district_row))
        if district_row
        else "",
        "coverage_note": coverage.partial_note([coverage.of_row(district_row)])
        if district_row
        else None,
        "columns": HOME_TABLE_COLUMNS,
        "labels": key_figures.LABELS_TH,
        "terms": terms(),
        "charts": {k: trusted(v) for k, v in charts.items()},
    }


def _child_row(place: gazetteer.Place | str, level: str, row: Mapping[str, Any] | None,
               href: str) -> dict[str, Any]:  # fmt: skip
    """A district of a province's page, or a province of the country's: its key figures and
    how many of its tambons have data. An area without data has no row: its tambons are
    counted all the same. `place` is the gazetteer's, or the bare code when it has none."""
    code = place if isinstance(place, str) else place.code
    found = place if not isinstance(place, str) else None
    row = dict(row or {})
    counts = {
        "tambons_with_data": row.get("tambons_with_data") or 0,
        "tambons_in_area": aggregate.tambons_in_area(code, level),
    }
    share = coverage.share_th(coverage.of_row({**row, **counts}))
    return {"code": code, "name_th": place_name(found, code),
            "name_en": found.name_en if found else "", "figures": row, **counts,
            "share": share, "href": href}  # fmt: skip


def province_context(
    province_code: str, figures: pd.DataFrame, meta: Mapping[str, Any]
) -> dict[str, Any]:
    path = urls.province_path(province_code)
    root = urls.root_of(path)
    place = gazetteer.province(province_code)
    by_district = {r["area_code"]: r for r in area_rows(figures, "district", province_code)}
    districts = [
        _child_row(
            d, "district", by_district.get(d.code), root + urls.url_of(urls.district_path(d.code))
        )
        for d in gazetteer.districts_of(province_code)
    ]
    province = area_figures(figures, province_code, place_name(place, province_code))
    partial = [coverage.of_row(r) for r in (province, *by_district.values())]
    return {
        "path": path,
        "root": root,
        "code": province_code,
        "name_th": place_name(place, province_code),
        "name_en": place.name_en if place else "",
        "breadcrumb": breadcrumb(root, district_code=province_code),
        "meta": meta,
        "districts": districts,
        "columns": HOME_TABLE_COLUMNS,
        "labels": key_figures.LABELS_TH,
        "terms": terms(),
        "province": province,
        "province_covers": coverage.covers_th(coverage.of_row(province)),
        "coverage_note": coverage.partial_note(partial),
        "plan_url": root + urls.url_of(urls.PLAN_PATH),
        "three_w": None,  # the partners' 3W table (`partner_pages.three_w_context`), if any
    }


def country_context(
    provinces: Sequence[str],
    figures: pd.DataFrame,
    datasets: Sequence[Mapping[str, Any]],
    meta: Mapping[str, Any],
) -> dict[str, Any]:
    """The home page of a portal of several provinces: each with its key figures and how
    many of its tambons have data, linked to its page."""
    by_province = {r["area_code"]: r for r in area_rows(figures, "province")}
    rows = [
        _child_row(gazetteer.province(code) or code, "province", by_province.get(code),
                   urls.url_of(urls.province_path(code)))
        for code in provinces
    ]  # fmt: skip
    return {
        "path": urls.HOME_PATH,
        "root": "",
        "meta": meta,
        "provinces": rows,
        "tambons_with_data": sum(r["tambons_with_data"] for r in rows),
        "tambons_in_area": sum(int(n) for r in rows if (n := r["tambons_in_area"]) == n),
        "columns": HOME_TABLE_COLUMNS,
        "terms": terms(),
        "datasets": [{**d, "href": urls.url_of(urls.dataset_path(d["name"]))} for d in datasets],
        "plan_url": urls.url_of(urls.PLAN_PATH),
        "datasets_url": urls.url_of(urls.DATASETS_PATH),
    }


def home_context(
    province_code: str,
    figures: pd.DataFrame,
    maps: Mapping[str, str],
    datasets: Sequence[Mapping[str, Any]],
    meta: Mapping[str, Any],
) -> dict[str, Any]:
    path = urls.HOME_PATH
    root = ""
    tambons = area_rows(figures, "tambon")
    for row in tambons:
        row["href"] = urls.url_of(urls.tambon_path(row["area_code"]))
        district = gazetteer.district(str(row["parent_code"] or ""))
        row["district_th"] = district.name_th if district else row["parent_code"]
        row["district_href"] = urls.url_of(urls.district_path(str(row["parent_code"])))
    place = gazetteer.province(province_code)
    pilot = area_figures(figures, aggregate.pilot_code(province_code), coverage.PILOTS_TH)
    province = area_figures(figures, province_code, place_name(place, province_code))
    province_cov = coverage.of_row({**province, "level": "province"})
    pilots_in_province = coverage.within(coverage.of_row(pilot), province_cov)
    return {
        "path": path,
        "root": root,
        "meta": meta,
        "province_name_th": place_name(place, province_code),
        "province_name_en": place.name_en if place else "",
        "province_code": province_code,
        "province_href": urls.url_of(urls.province_path(province_code)),
        "pilot": pilot,
        "province": province,
        "pilot_covers": coverage.covers_th(pilots_in_province),
        "coverage_note": coverage.partial_note([pilots_in_province]),
        # The province row adds up every tambon with data; the pilot row only the pilot ones.
        # The same tambons: one column says it all (two identical columns said nothing).
        "province_differs": (province.get("tambons_with_data") or 0)
        != (pilot.get("tambons_with_data") or 0),
        "pilot_name": coverage.name_th(coverage.of_row(pilot)),
        "province_name": coverage.name_th(province_cov),
        "tambons": tambons,
        "cards": HOME_CARDS,
        "columns": HOME_TABLE_COLUMNS,
        "terms": terms(),
        "maps": [
            {"key": key, "label": label, "svg": trusted(maps.get(key))}
            for key, label, _ in MAP_INDICATORS
            if maps.get(key)
        ],
        "datasets": [{**d, "href": urls.url_of(urls.dataset_path(d["name"]))} for d in datasets],
        "plan_url": urls.url_of(urls.PLAN_PATH),
        "datasets_url": urls.url_of(urls.DATASETS_PATH),
    }


def plan_progress_context(rollup: Mapping[str, pd.DataFrame], root: str) -> dict[str, Any]:
    """The plans followed to results, for the provincial roll-up: the province and district
    rows of `plan_progress.progress_by_area` (with the funded and spent shares, and the
    district's page) and the moves by year."""
    rows = []
    for row in records(rollup.get("progress")):
        if row["area_level"] == "tambon":
            continue
        budget, funded = float(row["budget_baht"] or 0), float(row["funded_baht"] or 0)
        rows.append({
            **row,
            "href": root + urls.url_of(urls.district_path(str(row["area_code"]))),
            "funded_pct": 100 * funded / budget if budget else None,
            "spent_pct": 100 * float(row["spent_baht"] or 0) / funded if funded else None,
        })  # fmt: skip
    year = next((r["moved_year_be"] for r in rows if r["moved_year_be"] is not None), None)
    return {
        "progress_areas": [r for r in rows if r["area_level"] == "district"],
        "progress_totals": [r for r in rows if r["area_level"] == "province"],
        "progress_year_be": year,
        "moves_by_year": records(rollup.get("moves_by_year")),
    }


# The plan page's tables a reader can download from the roll-up package (its resource names).
PLAN_DOWNLOADS = ("plan_progress", "plan_moves_by_year", "plan_indicator_response")


def plan_context(
    rollup: Mapping[str, pd.DataFrame],
    meta: Mapping[str, Any],
    charts: Mapping[str, str] | None = None,
    chart_texts: Mapping[str, str] | None = None,
    rollup_package: str | None = None,
) -> dict[str, Any]:
    """The provincial plan roll-up (`plans.plan_rollup`); `rollup_package`: the name its
    tables are downloadable under, when the build publishes them."""
    root = urls.root_of(urls.PLAN_PATH)
    shared = records(rollup.get("shared_issues"))
    categories = []
    for row in records(rollup.get("by_category")):
        mine = [s for s in shared if s["category"] == row["category"]]
        for s in mine:
            s["href"] = root + urls.url_of(urls.tambon_path(str(s["tambon_code"])))
        categories.append({**row, "issues": mine})
    return {
        "path": urls.PLAN_PATH,
        "root": root,
        "meta": meta,
        "charts": {k: trusted(v) for k, v in (charts or {}).items()},
        "chart_texts": dict(chart_texts or {}),
        "by_category": categories,
        "by_funding_source": records(rollup.get("by_funding_source")),
        "by_status": records(rollup.get("by_status")),
        "by_year": records(rollup.get("by_year")),
        "indicator_response": records(rollup.get("indicator_response")),
        "csv_href": {
            table: root + urls.package_downloads(rollup_package) + urls.table_files(table)["csv"]
            for table in PLAN_DOWNLOADS
        }
        if rollup_package
        else {},
        **plan_progress_context(rollup, root),
        "weakest_shown": area_rollups.WEAKEST_SHOWN,
        "total_projects": sum(int(r["projects"] or 0) for r in records(rollup.get("by_status"))),
        "total_budget": sum(float(r["budget_baht"] or 0) for r in records(rollup.get("by_status"))),
    }


# --- generic datasets ------------------------------------------------------------------------


def field_constraints(field: Mapping[str, Any]) -> str:
    parts = []
    for key, value in (field.get("constraints") or {}).items():
        if key == "enum":
            value = ", ".join(str(v) for v in value)
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


def dataset_context(
    name: str,
    descriptor: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    problems: Sequence[str],
) -> dict[str, Any]:
    """A generic (non-tambon) package: what it is, its schema, a preview (its downloads: the
    build's publishing step adds them as `publication`)."""
    path = urls.dataset_path(name)
    root = urls.root_of(path)
    resources = []
    for resource in descriptor.get("resources", []):
        rname = str(resource.get("name", ""))
        frame = tables.get(rname)
        schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
        fields = [
            {"name": f.get("name"), "type": f.get("type", "string"),
             "description": f.get("description") or f.get("title") or "",
             "constraints": field_constraints(f)}
            for f in schema.get("fields", [])
        ]  # fmt: skip
        preview = frame.head(10) if frame is not None else None
        resources.append(
            {
                "name": rname,
                "title": resource.get("title") or rname,
                "description": resource.get("description") or "",
                "fields": fields,
                "rows": None if frame is None else len(frame),
                "columns": [] if preview is None else [str(c) for c in preview.columns],
                "preview": []
                if preview is None
                else preview.astype(object).where(preview.notna(), None).values.tolist(),
            }
        )
    return {
        "path": path,
        "root": root,
        "name": name,
        "title": descriptor.get("title") or name,
        "description": descriptor.get("description") or "",
        "licenses": [
            licences.complete(lic)["title"]
            for lic in descriptor.get("licenses") or []
            if isinstance(lic, dict)
        ],
        "sources": [
            {"title": s.get("title") or s.get("path") or "", "path": s.get("path") or ""}
            for s in descriptor.get("sources", [])
            if isinstance(s, dict)
        ],
        "resources": resources,
        "publication": None,
        "problems": list(problems),
    }


def datasets_index_context(datasets: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    root = urls.root_of(urls.DATASETS_PATH)
    return {
        "path": urls.DATASETS_PATH,
        "root": root,
        "datasets": [
            {**d, "href": root + urls.url_of(urls.dataset_path(d["name"]))} for d in datasets
        ],
    }
