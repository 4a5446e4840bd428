"""Page contexts (pure functions of the data) and their rendering with jinja2 into markdown.

Every page is a markdown file whose body is mostly HTML blocks. Values reach a template as
data; the environment's `finalize` escapes every printed value for HTML and markdown at once
(`formatting.escape_text`), so a cell holding `<script>` or `[a](javascript:...)` shows as
text. Only values a template marks as trusted markup (our SVG charts, our own macros) pass.

Links inside HTML blocks are not rewritten by mkdocs, so each page gets `root`, the relative
path from its URL back to the site root (pages use directory URLs: tambon/800106/).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from tambon_portal.core import codelists as cl
from tambon_portal.core import coverage, gazetteer, licences, urls
from tambon_portal.core import figures as key_figures
from tambon_portal.core import formatting as fmt
from tambon_portal.stats import aggregate, area_rollups, trends

Tables = Mapping[str, pd.DataFrame]


def _cards(columns: Sequence[str]) -> tuple[tuple[str, str, str], ...]:
    """(key-figure column, its card label, kind) of cards: every page labels a figure alike
    (`key_figures`); a card writes a percentage as "16.7%", so its label does not say "(%)" too."""
    return tuple((f.column, f.card_th, f.kind) for f in key_figures.of(columns))


# Key-figure cards of a profile, in the order of docs/architecture.md §6.
CARD_FIGURES: tuple[tuple[str, str, str], ...] = _cards(key_figures.CARDS)

# Cards of the home page (the pilot tambons together).
HOME_CARDS: tuple[tuple[str, str, str], ...] = _cards(
    ("tambons_with_data", "villages", "population", "households", "below_line_pct",
     "median_income", "debt_pct", "bmn_pass_pct", "projects")
)  # fmt: skip

# Columns of the home page's sortable table: (key-figure column, Thai header, kind).
_HOME_TABLE = ("population", "households", "villages", "below_line_pct", "median_income",
               "debt_pct", "bmn_pass_pct", "projects")  # fmt: skip
HOME_TABLE_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (f.column, f.header_th, f.kind) for f in key_figures.of(_HOME_TABLE)
)

# Map indicators on the home page: (column, Thai label, True when higher is better).
MAP_INDICATORS: tuple[tuple[str, str, bool], ...] = tuple(
    (f.column, f.label_th, f.better > 0)
    for f in key_figures.of(("below_line_pct", "median_income", "debt_pct", "bmn_pass_pct"))
)

# Terms each kind of page explains where it first uses them (codelists.TERMS).
PAGE_TERMS = ("bmn", "income_line", "median")


def terms(codes: Sequence[str] = PAGE_TERMS) -> list[cl.Term]:
    """The explanations of `codes` (codelists.TERMS), in that order."""
    by_code = {t.code: t for t in cl.TERMS}
    return [by_code[code] for code in codes]


# --- the jinja2 environment ------------------------------------------------------------------


def _finalize(value: Any) -> Any:
    return fmt.escape_text(value)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tambon_portal.site", "templates"),
        autoescape=True,  # every template, .md included: data is never markup
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        number=fmt.number,
        pct=fmt.percent,
        baht=fmt.baht,
        be=fmt.year_be,
        thai_date=fmt.thai_date,
        count=fmt.count_cell,
        published_sum=fmt.published_sum,
        value=fmt.by_kind,
        sort_key=sort_key,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def sort_key(value: Any) -> str:
    """The data-sort attribute of a numeric cell (missing values sort first)."""
    return "" if fmt.is_missing(value) else repr(float(value))


def trusted(svg: str | None) -> Markup:
    """Our own build-time SVG, minus blank lines (a blank line would end markdown's HTML block)."""
    if not svg:
        return Markup("")
    return Markup("\n".join(line for line in svg.splitlines() if line.strip()))


# --- shared pieces ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    href: str


def breadcrumb(root: str, tambon_code: str | None = None, district_code: str = "") -> list[Link]:
    """Province → district → tambon, each a link relative to `root`."""
    code = tambon_code or district_code
    province = gazetteer.province(code[:2])
    links = [
        Link(f"จังหวัด{_name(province, code[:2])}", root + urls.url_of(urls.province_path(code[:2])))
    ]
    if len(code) >= 4:
        district = gazetteer.district(code[:4])
        links.append(
            Link(
                f"อำเภอ{_name(district, code[:4])}",
                root + urls.url_of(urls.district_path(code[:4])),
            )
        )
    if tambon_code:
        tambon = gazetteer.tambon(tambon_code)
        links.append(
            Link(
                f"ตำบล{_name(tambon, tambon_code)}",
                root + urls.url_of(urls.tambon_path(tambon_code)),
            )
        )
    return links


def _name(place: gazetteer.Place | None, code: str) -> str:
    return place.name_th if place else code


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Rows as dicts with <NA>/NaN as None (templates test `is none`)."""
    if frame is None or frame.empty:
        return []
    # Row by row on to_dict's native values: `astype(object).where(...)` over the whole frame
    # cost a profile build seconds (839 calls).
    return [
        {k: None if _is_na(v) else v for k, v in row.items()} for row in frame.to_dict("records")
    ]


def _is_na(value: Any) -> bool:
    """What `DataFrame.notna` calls missing, for one cell (a list in a cell is not missing)."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def _first_row(frame: pd.DataFrame | None) -> dict[str, Any]:
    rows = records(frame.iloc[:1] if frame is not None else None)  # not the whole frame
    return rows[0] if rows else {}


# --- tambon profile --------------------------------------------------------------------------


NO_DATA_TH = "ยังไม่มีข้อมูลของตำบลนี้"
NO_DATA_EN = "No data published yet"


AREAS_BESIDE = ("district", "province")  # what a profile compares a tambon with


def area_headers(coverages: Mapping[str, coverage.Coverage]) -> list[dict[str, str]]:
    """Per area beside a tambon: the short label and share of what its figures cover
    ("ตำบลนำร่องในอำเภอ", "3 จาก 16 ตำบล"), for cards and table headers."""
    headers = []
    for level in AREAS_BESIDE:
        cov = coverages.get(level)
        headers.append(
            {"level": level, "label": coverage.short_th(cov), "share": coverage.share_th(cov)}
            if cov
            else {"level": level, "label": coverage.LEVEL_TH[level], "share": ""}
        )
    return headers


def change_view(rule: trends.Rule, change: trends.Change, kind: str) -> dict[str, Any]:
    """A change as a page shows it: arrow, words and the value it is compared with."""
    return {
        "status": change.status,
        "verdict": change.verdict,
        "arrow": trends.arrow(change),
        "words": trends.words_th(rule, change),
        # in a table cell: only a shown change is words; the table's note says what – is
        "cell": trends.words_th(rule, change) if change.status == "shown" else fmt.DASH,
        "since": trends.since_th(change, fmt.by_kind(change.previous, kind)),
        "since_short": trends.since_th(change, fmt.by_kind(change.previous, kind), year=False),
    }


def rank_view(rule: trends.Rule, rank: trends.Rank | None) -> dict[str, str] | None:
    if rank is None:
        return None
    return {"text": trends.rank_th(rank), "key": trends.rank_key_th(rule)}


def key_figure_cards(
    comparison: Mapping[str, Mapping[str, Any]],
    coverages: Mapping[str, coverage.Coverage] | None = None,
    changes: Mapping[str, trends.Change] | None = None,
    ranks: Mapping[str, trends.Rank] | None = None,
) -> list[dict[str, Any]]:
    """One card per `CARD_FIGURES`: the tambon's value, its change from the previous year
    and its rank (`trends`), and the district and province beside it, each saying what it
    covers (`coverage`)."""
    headers = area_headers(coverages or {})
    cards = []
    for figure, label, kind in CARD_FIGURES:
        values = comparison.get(figure)
        if not values:
            continue
        rule = trends.RULES[figure]
        change = (changes or {}).get(figure)
        cards.append(
            {
                "figure": figure,
                "label": label,
                "value": fmt.by_kind(values.get("tambon"), kind),
                "areas": [
                    {**h, "value": fmt.by_kind(values.get(h["level"]), kind)} for h in headers
                ],
                "sentence": values.get("sentence_th"),
                "change": change_view(rule, change, kind) if change else None,
                "rank": rank_view(rule, (ranks or {}).get(figure)),
            }
        )
    return cards


def projects_by_issue(issues: pd.DataFrame | None, projects: pd.DataFrame | None) -> list[dict]:
    """Ranked strategic issues, each with its projects (budget, source, body, year, status)."""
    project_rows = records(projects)
    for row in project_rows:
        row["funding_source_th"] = cl.label(cl.FUNDING_SOURCES, row.get("funding_source") or "")
        row["status_th"] = cl.label(cl.PROJECT_STATUSES, row.get("status") or "")
        village = row.get("village_code")
        row["where_th"] = f"หมู่ที่ {int(str(village)[6:])}" if village else "ทั้งตำบล"
    grouped = []
    for issue in sorted(records(issues), key=lambda r: int(r["issue_no"])):
        mine = [p for p in project_rows if int(p["issue_no"]) == int(issue["issue_no"])]
        grouped.append(
            {
                **issue,
                "category_th": cl.label(cl.STRATEGIC_CATEGORIES, issue.get("category") or ""),
                "projects": mine,
                "budget_baht": sum(float(p["budget_baht"] or 0) for p in mine),
            }
        )
    return grouped


def totals_by(projects: pd.DataFrame | None, column: str, items: tuple[cl.Code, ...]) -> list[dict]:
    """Projects and budget per code of `column` in code-list order (codes without projects: out)."""
    rows = records(projects)
    totals = []
    for item in items:
        mine = [r for r in rows if r.get(column) == item.code]
        if mine:
            budget = sum(float(r["budget_baht"] or 0) for r in mine)
            totals.append({"label": item.th, "projects": len(mine), "budget_baht": budget})
    return totals


def _years(by_year: pd.DataFrame | None, code: str) -> tuple[int | None, int | None]:
    """(latest, previous) survey year of a tambon (None where it has none)."""
    if by_year is None or by_year.empty:
        return None, None
    years = sorted(int(y) for y in by_year[by_year["area_code"] == code]["year_be"].dropna())
    return (years[-1] if years else None), (years[-2] if len(years) > 1 else None)


def bmn_indicator_rows(
    rates: pd.DataFrame | None, by_year: pd.DataFrame | None
) -> list[dict[str, Any]]:
    """Every BMN indicator of a tambon: its latest and previous pass rate and the change."""
    if rates is None or rates.empty:
        return []
    changes = trends.indicator_changes(by_year) if by_year is not None else {}
    previous = {}
    if by_year is not None and not by_year.empty:
        for indicator, rows in by_year.groupby("indicator"):
            ordered = rows.sort_values("year_be")
            previous[int(indicator)] = ordered.iloc[-2]["pass_pct"] if len(ordered) > 1 else None
    rows = []
    for row in sorted(records(rates), key=lambda r: int(r["indicator"])):
        number = int(row["indicator"])
        change = changes.get(number)
        rows.append(
            {
                **row,
                "previous_pct": None if fmt.is_missing(previous.get(number)) else previous[number],
                "change": change_view(trends.BMN_INDICATOR_RULE, change, "pct") if change else None,
            }
        )
    return rows


def tambon_context(
    code: str,
    tables: Tables,
    comparison: Mapping[str, Mapping[str, Any]],
    details: Mapping[str, pd.DataFrame],
    charts: Mapping[str, str],
    chart_texts: Mapping[str, str],
    meta: Mapping[str, Any],
    coverages: Mapping[str, coverage.Coverage] | None = None,
    by_year: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Everything a tambon profile shows, from its own tables and its computed figures.

    `details` are the tambon's roll-ups (pyramid, bmn, bmn_by_year, income, occupations:
    aggregate's frames), `charts` their SVGs and `chart_texts` their text alternatives,
    keyed alike. `coverages`: what the district and province figures beside it cover
    (`comparisons.coverages_above`); `by_year`: every tambon's figures per survey year
    (`aggregate.tambon_figures_by_year`), for the change from the previous year and ranks.
    """
    path = urls.tambon_path(code)
    root = urls.root_of(path)
    facts = _first_row(tables.get("tambon"))
    place = gazetteer.tambon(code)
    projects = tables.get("plan_projects")
    bmn = details.get("bmn")
    by_status = totals_by(projects, "status", cl.PROJECT_STATUSES)
    coverages = coverages or {}
    yearly = (
        by_year if by_year is not None else pd.DataFrame(columns=aggregate.FIGURES_BY_YEAR_COLUMNS)
    )
    card_figures = tuple(f for f, _, _ in CARD_FIGURES)
    group_figures = tuple(f"bmn_pass_pct_{g.code}" for g in cl.BMN_GROUPS)
    changes = trends.figure_changes(yearly, code, card_figures + group_figures)
    ranks = trends.figure_ranks(yearly, code, card_figures)
    year, previous_year = _years(yearly, code)
    indicators = bmn_indicator_rows(bmn, details.get("bmn_by_year"))
    weakest = weakest_indicators(bmn)
    by_number = {int(r["indicator"]): r for r in indicators}
    return {
        "path": path,
        "root": root,
        "code": code,
        "name_th": facts.get("name_th") or _name(place, code),
        "name_en": gazetteer.english_name(facts.get("name_en") or (place.name_en if place else "")),
        "lg_type_th": cl.label(cl.LOCAL_GOVERNMENT_TYPES, facts.get("lg_type") or ""),
        "lg_name_th": facts.get("lg_name_th"),
        "reference_date": facts.get("reference_date"),
        "no_data": not aggregate.has_published_data(tables),  # no empty charts then
        "no_data_th": NO_DATA_TH,
        "no_data_en": NO_DATA_EN,
        "breadcrumb": breadcrumb(root, tambon_code=code),
        "meta": meta,
        "cards": key_figure_cards(comparison, coverages, changes, ranks),
        "terms": terms(),
        "area_headers": area_headers(coverages),
        "coverage_note": coverage.partial_note(coverages.values()),
        "points_note": trends.POINTS_NOTE_TH,
        "unpublished_note": trends.UNPUBLISHED_NOTE_TH,
        "year_be": year,
        "previous_year_be": previous_year,
        "pyramid": records(details.get("pyramid")),
        "older_share": older_share(records(details.get("pyramid"))),
        "bmn_groups": bmn_group_rates(comparison, changes),
        "bmn_weakest": [{**r, "change": by_number[int(r["indicator"])]["change"]} for r in weakest],
        "bmn_indicators": indicators,
        "income": records(details.get("income")),
        "debt": {k: (comparison.get(k) or {}).get("tambon") for k in ("debt_pct", "mean_debt")},
        "occupations": records(details.get("occupations")),
        "villages": records(tables.get("villages")),
        "plan": _first_row(tables.get("plan")),
        "issues": projects_by_issue(tables.get("plan_issues"), projects),
        "totals_by_source": totals_by(projects, "funding_source", cl.FUNDING_SOURCES),
        "totals_by_status": by_status,
        "plan_total_baht": sum(t["budget_baht"] for t in by_status),
        "charts": {k: trusted(v) for k, v in charts.items()},
        "chart_texts": dict(chart_texts),
        # Set by the build's publishing step (publish.page_extras) too: the same address.
        "download_base": root + urls.package_downloads(urls.tambon_slug(code)),
        "publication": None,
        "plan_url": root + urls.url_of(urls.PLAN_PATH),
    }


def weakest_indicators(bmn: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The indicators a profile lists as weakest (as many as its chart shows), each with the
    counter of what it counts (คน or ครัวเรือน)."""
    rows = records(
        area_rollups.rated_indicators(bmn).head(area_rollups.WEAKEST_SHOWN)
        if bmn is not None
        else None
    )
    return [{**row, "counter_th": cl.indicator_counter(row["indicator"])} for row in rows]


OLDER_FROM_AGE = 60


def older_share(pyramid: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Persons aged 60+ and their share of the published persons (for the one-line reading);
    the share is None under 10 persons, as every percentage (aggregate.percent)."""
    total = sum(int(r["persons"] or 0) for r in pyramid)
    if total == 0:
        return None
    older = sum(
        int(r["persons"] or 0)
        for r in pyramid
        if int(str(r["age_group"]).split("-")[0].rstrip("+")) >= OLDER_FROM_AGE
    )
    pct = aggregate.percent(older, total)
    return {"persons": older, "total": total, "pct": None if math.isnan(pct) else pct}


def bmn_group_rates(
    comparison: Mapping[str, Mapping[str, Any]],
    changes: Mapping[str, trends.Change] | None = None,
) -> list[dict[str, Any]]:
    rows = []
    for group in cl.BMN_GROUPS:
        figure = f"bmn_pass_pct_{group.code}"
        values = comparison.get(figure) or {}
        change = (changes or {}).get(figure)
        rows.append(
            {
                "label": group.th,
                **{k: values.get(k) for k in ("tambon", "district", "province")},
                "change": change_view(trends.RULES[figure], change, "pct") if change else None,
            }
        )
    return rows


def render_tambon(context: Mapping[str, Any]) -> str:
    return render("tambon.md.j2", **context)


# --- district, province, home, plan roll-up --------------------------------------------------


def area_figures(figures: pd.DataFrame, area_code: str, name_th: str) -> dict[str, Any]:
    """An area's key-figure row; without one (no pilot tambon, or no tambon package at all)
    every figure is None, so its page still renders, with dashes, instead of failing."""
    row = _first_row(figures[figures["area_code"] == area_code])
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
    district_row = _first_row(
        figures[(figures["level"] == "district") & (figures["area_code"] == district_code)]
    )
    return {
        "path": path,
        "root": root,
        "code": district_code,
        "name_th": _name(place, district_code),
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


def province_context(
    province_code: str, figures: pd.DataFrame, meta: Mapping[str, Any]
) -> dict[str, Any]:
    path = urls.province_path(province_code)
    root = urls.root_of(path)
    place = gazetteer.province(province_code)
    by_district = {r["area_code"]: r for r in area_rows(figures, "district", province_code)}
    districts = []
    for d in gazetteer.districts_of(province_code):
        row = by_district.get(d.code) or {}
        # a district without data has no row: its tambons are counted all the same
        counts = {
            "tambons_with_data": row.get("tambons_with_data") or 0,
            "tambons_in_area": aggregate.tambons_in_area(d.code, "district"),
        }
        districts.append(
            {"code": d.code, "name_th": d.name_th, "name_en": d.name_en, "figures": row,
             **counts, "share": coverage.share_th(coverage.of_row({**row, **counts})),
             "href": root + urls.url_of(urls.district_path(d.code))}
        )  # fmt: skip
    province = area_figures(figures, province_code, _name(place, province_code))
    partial = [coverage.of_row(r) for r in (province, *by_district.values())]
    return {
        "path": path,
        "root": root,
        "code": province_code,
        "name_th": _name(place, province_code),
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
    province = area_figures(figures, province_code, _name(place, province_code))
    province_cov = coverage.of_row({**province, "level": "province"})
    pilots_in_province = coverage.within(coverage.of_row(pilot), province_cov)
    return {
        "path": path,
        "root": root,
        "meta": meta,
        "province_name_th": _name(place, province_code),
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


def plan_context(
    rollup: Mapping[str, pd.DataFrame],
    meta: Mapping[str, Any],
    charts: Mapping[str, str] | None = None,
    chart_texts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
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
