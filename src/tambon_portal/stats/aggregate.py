"""Roll-ups of tambon packages to district, province and the pilot set (pure functions, no I/O).

The rules below hold for every roll-up of the tambons: the key figures here, the detail
roll-ups of an area (`area_rollups`), the comparisons beside district and province
(`comparisons`) and the master plans (`plans`), which build on the helpers of this module.

Input is `Tables` per tambon: resource name -> typed frame, as `packages.load_tables` returns
(counts are nullable `Int64`, <NA> where a small count was suppressed).

Rules, so every area is computed the same way (docs/architecture.md §3, §4):

- Each yearly table of a tambon is cut to its own latest `year_be`; an area reports the latest
  year among its tambons in `year_be`.
- A rate is the sum of numerators over the sum of denominators of the area's tambons, never a
  mean of rates. A suppressed cell (<NA>) is left out of numerator *and* denominator, so a rate
  only uses tambons whose figure is known; counts summed for an area likewise add up only the
  published cells (a lower bound, off by at most 4 per suppressed cell) because adding back a
  suppressed cell would let a reader subtract it out again. Where a province has true area
  totals (`true_totals`: counted from the records and protected with the tambons) that add up
  exactly an area's tambons with data, its surveyed, under-the-line and in-debt households and
  its BMN pass rates are those totals, each where every cell it needs is published.
- A percentage whose denominator is under 10 is <NA> (privacy rule).
- BMN counts per indicator (`area_rollups.bmn_indicator_rates`, `..._by_area`): a tambon is
  *published* for an indicator when its surveyed, passed and failed are all published.
  `surveyed`, `passed` and `failed` of an area are summed over its published tambons only, so
  passed + failed = surveyed holds in every row where the three are published, and
  `tambons_suppressed` counts the tambons left out. A tambon row is the tambon's own cells, so
  a suppressed cell stays <NA> (written x), never 0. When every tambon of an area is
  suppressed for the indicator, passed and failed stay <NA> and surveyed is the sum of the
  tambons' surveyed (<NA> if one is suppressed). No differencing recovers a suppressed cell:
  every number of an area row is a sum of cells published in tambon rows, so subtracting one
  row from another (the province from its districts, an area from the sum of the surveyed
  of all its tambons) only gives back sums of published cells.
- `median_income` of a tambon is the median it reports; of a larger area it is the grouped
  median interpolated linearly inside the bracket that holds the middle household of the pooled
  income brackets (bounds from `codelists.INCOME_BRACKET_BOUNDS`; the open top bracket is closed
  at 250,000 baht).
- `mean_income` is weighted by households surveyed; `mean_debt` by households with debt.
- Coverage: an area row adds up the tambons that have data, not every tambon of the area.
  `tambons_with_data` counts them (`pilots_with_data` those of the pilot set),
  `tambons_in_area` is the number of tambons of the area in the gazetteer (for the pilot row:
  the pilot tambons), and `covers_th`/`covers_en` say it in words (`coverage`): no output
  names a partial sum by the area alone.

Kept over 400 lines: a tenth of it is the rules above, which every roll-up module follows,
and the per-tambon parts the build saves (`TambonPart`) are made of the private sums and
rows here: split off, they would import this module's internals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import coverage, gazetteer
from tambon_portal.core.figures import COLUMNS as FIGURE_COLUMNS
from tambon_portal.stats import true_totals

Tables = Mapping[str, pd.DataFrame]

LEVELS: tuple[str, ...] = ("tambon", "district", "province", "pilot")
MIN_DENOMINATOR = 10  # percentages over fewer than this are suppressed (architecture §4)
GROUPS: tuple[str, ...] = tuple(cl.codes(cl.BMN_GROUPS))
_GROUP_OF: dict[int, str] = {i.number: i.group for i in cl.BMN_INDICATORS}
_BRACKETS: list[str] = cl.codes(cl.INCOME_BRACKETS)
_YEARLY = ("population", "bmn_results", "income_brackets", "income_summary", "occupations")

AREA_COLUMNS: tuple[str, ...] = ("area_code", "level", "name_th", "name_en", "parent_code")
COVERS_COLUMNS: tuple[str, ...] = ("covers_th", "covers_en")  # what a row's figures add up
# The key-figures table: the area, what its figures cover, then the figures (`figures`).
KEY_FIGURE_COLUMNS: list[str] = [*AREA_COLUMNS, *COVERS_COLUMNS, *FIGURE_COLUMNS]
_INT_COLUMNS = (
    "tambons_with_data", "pilots_with_data", "tambons_in_area", "villages", "households",
    "population", "households_surveyed",
    "households_below_line", "median_income", "mean_income", "households_with_debt",
    "mean_debt", "projects", "year_be",
)  # fmt: skip
_FLOAT_COLUMNS = (
    "area_km2", "below_line_pct", "debt_pct", "bmn_pass_pct",
    *(f"bmn_pass_pct_{g}" for g in GROUPS), "plan_budget_baht",
)  # fmt: skip


# --- small numeric helpers -------------------------------------------------------------------


def _num(value: Any) -> float:
    """A cell as float, NaN for <NA>/None (so sums can skip it explicitly)."""
    if value is None or value is pd.NA:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def percent(numerator: float, denominator: float) -> float:
    """100 × numerator / denominator to 1 decimal; NaN when the denominator is under 10."""
    if math.isnan(denominator) or denominator < MIN_DENOMINATOR or math.isnan(numerator):
        return math.nan
    return round(100.0 * numerator / denominator, 1)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def latest_rows(frame: pd.DataFrame | None) -> pd.DataFrame:
    """Rows of the latest year_be (an empty frame when the table is missing or empty)."""
    if frame is None or frame.empty:
        return pd.DataFrame()
    years = pd.to_numeric(frame["year_be"], errors="coerce")
    return frame[years == years.max()]


def _latest_year(tables: Tables) -> float:
    years = [
        _num(pd.to_numeric(tables[name]["year_be"], errors="coerce").max())
        for name in _YEARLY
        if name in tables and not tables[name].empty
    ]
    years = [y for y in years if not math.isnan(y)]
    return max(years) if years else math.nan


def grouped_median(counts: Mapping[str, float]) -> float:
    """Median income interpolated from households per bracket (NaN under 10 households).

    Linear interpolation inside the bracket that holds the middle household:
    L + (N/2 − households below L) / households in bracket × bracket width.
    """
    total = sum(c for c in counts.values() if not math.isnan(c))
    if total < MIN_DENOMINATOR:
        return math.nan
    below = 0.0
    for bracket in _BRACKETS:
        n = counts.get(bracket, 0.0)
        n = 0.0 if math.isnan(n) else n
        if n > 0 and below + n >= total / 2:
            lower, upper = cl.INCOME_BRACKET_BOUNDS[bracket]
            return lower + (total / 2 - below) / n * (upper - lower)
        below += n
    return math.nan  # unreachable when total > 0; kept for type completeness


# --- per-tambon numerators and denominators -------------------------------------------------


def _known_pair(numerator: Any, denominator: Any) -> tuple[float, float]:
    """(numerator, denominator) when both are known, else (0, 0): suppressed cells drop out."""
    n, d = _num(numerator), _num(denominator)
    return (0.0, 0.0) if math.isnan(n) or math.isnan(d) else (n, d)


def _income_sums(tables: Tables) -> dict[str, float]:
    summary = latest_rows(tables.get("income_summary"))
    if summary.empty:
        return {"median_income": math.nan}
    row = summary.iloc[0]
    surveyed = _num(row["households_surveyed"])
    below_n, below_d = _known_pair(row["households_below_line"], surveyed)
    debt_n, debt_d = _known_pair(row["households_with_debt"], surveyed)
    income_w, income_d = _known_pair(_num(row["mean_income"]) * surveyed, surveyed)
    mean_debt_w, mean_debt_d = _known_pair(
        _num(row["mean_debt"]) * _num(row["households_with_debt"]), row["households_with_debt"]
    )
    return {
        "households_surveyed": surveyed,
        "below_num": below_n,
        "below_den": below_d,
        "below_known": float(below_d > 0 or below_n > 0),
        "debt_num": debt_n,
        "debt_den": debt_d,
        "debt_known": float(debt_d > 0 or debt_n > 0),
        "income_wsum": income_w,
        "income_wden": income_d,
        "mean_debt_wsum": mean_debt_w,
        "mean_debt_wden": mean_debt_d,
        "median_income": _num(row["median_income"]),
    }


def _bracket_sums(tables: Tables) -> dict[str, float]:
    brackets = latest_rows(tables.get("income_brackets"))
    sums = {f"bracket_{b}": 0.0 for b in _BRACKETS}
    for _, row in brackets.iterrows():
        n = _num(row["households"])
        if not math.isnan(n):
            sums[f"bracket_{row['bracket']}"] += n
    return sums


def tambon_bmn_rows(tables: Tables) -> pd.DataFrame:
    """The tambon-level BMN rows of the latest year (village rows are detail, not totals)."""
    bmn = tables.get("bmn_results")
    if bmn is None or bmn.empty:
        return pd.DataFrame(columns=["indicator", "surveyed", "passed", "failed"])
    return latest_rows(bmn[bmn["area_level"] == "tambon"])


def _bmn_sums(tables: Tables) -> dict[str, float]:
    sums = {f"bmn_{kind}_{g}": 0.0 for g in (*GROUPS, "all") for kind in ("passed", "total")}
    for _, row in tambon_bmn_rows(tables).iterrows():
        passed, failed = _num(row["passed"]), _num(row["failed"])
        if math.isnan(passed) or math.isnan(failed):
            continue
        for group in (_GROUP_OF.get(int(row["indicator"]), ""), "all"):
            if f"bmn_passed_{group}" in sums:
                sums[f"bmn_passed_{group}"] += passed
                sums[f"bmn_total_{group}"] += passed + failed
    return sums


def _plan_sums(tables: Tables) -> dict[str, float]:
    projects = tables.get("plan_projects")
    if projects is None or projects.empty:
        return {"projects": 0.0, "plan_budget_baht": 0.0}
    budget = pd.to_numeric(projects["budget_baht"], errors="coerce").sum()
    return {"projects": float(len(projects)), "plan_budget_baht": float(budget)}


def has_published_data(tables: Tables) -> bool:
    """Whether any table besides the tambon row has rows. A package just made by
    `tambon new-tambon` has none: it is listed, but counts as no tambon with data."""
    return any(name != "tambon" and len(frame) > 0 for name, frame in tables.items())


def _tambon_sums(code: str, tables: Tables) -> dict[str, Any]:
    facts = tables["tambon"].iloc[0]
    return {
        "tambon_code": code,
        "district_code": str(facts["district_code"]),
        "province_code": str(facts["province_code"]),
        "name_th": facts["name_th"],
        "name_en": gazetteer.english_name(facts["name_en"]),  # one case style ("Tha Yang")
        "pilot": bool(facts["pilot"]) if not pd.isna(facts["pilot"]) else False,
        "with_data": has_published_data(tables),
        "villages": _num(facts["villages"]),
        "households": _num(facts["households"]),
        "population": _num(facts["population"]),
        "area_km2": _num(facts["area_km2"]),
        "year_be": _latest_year(tables),
        **_income_sums(tables),
        **_bracket_sums(tables),
        **_bmn_sums(tables),
        **_plan_sums(tables),
    }


def tambon_sums(tambons: Mapping[str, Tables]) -> pd.DataFrame:
    """One row of numerators and denominators per tambon, sorted by code (order-independent)."""
    rows = [_tambon_sums(code, tambons[code]) for code in sorted(tambons)]
    return pd.DataFrame(rows)


# --- area figures from sums ------------------------------------------------------------------


def _total(sums: pd.DataFrame, column: str) -> float:
    return float(sums[column].sum(min_count=1)) if column in sums else math.nan


def _area_figures(sums: pd.DataFrame) -> dict[str, float]:
    """Figures of an area from the numerators/denominators of its tambons."""
    surveyed = _total(sums, "households_surveyed")
    below_known = _total(sums, "below_known") > 0
    debt_known = _total(sums, "debt_known") > 0
    figures = {
        "tambons_with_data": float(sums["with_data"].sum()),
        "pilots_with_data": float((sums["with_data"] & sums["pilot"]).sum()),
        "villages": _total(sums, "villages"),
        "households": _total(sums, "households"),
        "population": _total(sums, "population"),
        "area_km2": round(_total(sums, "area_km2"), 2),
        "households_surveyed": surveyed,
        "households_below_line": _total(sums, "below_num") if below_known else math.nan,
        "below_line_pct": percent(_total(sums, "below_num"), _total(sums, "below_den")),
        "median_income": grouped_median(
            {b: _total(sums, f"bracket_{b}") for b in _BRACKETS if f"bracket_{b}" in sums}
        ),
        "mean_income": _ratio(_total(sums, "income_wsum"), _total(sums, "income_wden")),
        "households_with_debt": _total(sums, "debt_num") if debt_known else math.nan,
        "debt_pct": percent(_total(sums, "debt_num"), _total(sums, "debt_den")),
        "mean_debt": _ratio(_total(sums, "mean_debt_wsum"), _total(sums, "mean_debt_wden")),
        "bmn_pass_pct": percent(_total(sums, "bmn_passed_all"), _total(sums, "bmn_total_all")),
        "projects": _total(sums, "projects"),
        "plan_budget_baht": _total(sums, "plan_budget_baht"),
        "year_be": float(sums["year_be"].max()) if "year_be" in sums else math.nan,
    }
    for group in GROUPS:
        figures[f"bmn_pass_pct_{group}"] = percent(
            _total(sums, f"bmn_passed_{group}"), _total(sums, f"bmn_total_{group}")
        )
    return figures


def _covered(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its coverage in words (`coverage`), from its own counts."""
    cov = coverage.of_row(row)
    return {**row, "covers_th": coverage.covers_th(cov), "covers_en": coverage.covers_en(cov)}


def tambons_in_area(code: str, level: str) -> float:
    """Tambons of a district or province in the gazetteer (NaN when it does not know the area)."""
    places = {"district": gazetteer.tambons_of, "province": gazetteer.tambons_of_province}
    count = len(places[level](code)) if gazetteer.place(code) else 0
    return float(count) if count else math.nan


def _tambon_row(sums: pd.DataFrame) -> dict[str, Any]:
    row = sums.iloc[0]
    figures = _area_figures(sums)
    figures["median_income"] = row["median_income"]  # the tambon's own median beats a grouped one
    return _covered(
        {
            "area_code": row["tambon_code"],
            "level": "tambon",
            "name_th": row["name_th"],
            "name_en": row["name_en"],
            "parent_code": row["district_code"],
            "tambons_in_area": 1.0,
            **figures,
        }
    )


def _true_figures(counts: Mapping[str, float]) -> dict[str, float]:
    """The figures of an area row that its true totals give (`true_totals.key_counts`)."""
    figures: dict[str, float] = {}
    surveyed = counts.get("households_surveyed")
    if surveyed is not None:
        figures["households_surveyed"] = surveyed
        for count, pct in (("households_below_line", "below_line_pct"),
                           ("households_with_debt", "debt_pct")):  # fmt: skip
            if count in counts:
                figures[count] = counts[count]
                figures[pct] = percent(counts[count], surveyed)
    for group in (*GROUPS, "all"):
        if f"bmn_total_{group}" in counts:
            column = "bmn_pass_pct" if group == "all" else f"bmn_pass_pct_{group}"
            figures[column] = percent(counts[f"bmn_passed_{group}"], counts[f"bmn_total_{group}"])
    return figures


def _from_totals(code: str, sums: pd.DataFrame, totals: Tables | None) -> dict[str, float]:
    """What the area's true totals say of its row (nothing where they do not apply)."""
    with_data = sums[sums["with_data"]]
    years = pd.to_numeric(with_data["year_be"], errors="coerce").dropna()
    if totals is None or years.empty or years.nunique() != 1:
        return {}
    if not true_totals.applies(totals, code, set(with_data["tambon_code"].astype(str))):
        return {}
    return _true_figures(true_totals.key_counts(totals, code, int(years.iloc[0])))


def _place_row(code: str, level: str, sums: pd.DataFrame, totals: Tables | None = None
               ) -> dict[str, Any]:  # fmt: skip
    place = gazetteer.place(code)
    return _covered(
        {
            "area_code": code,
            "level": level,
            "name_th": place.name_th if place else code,
            "name_en": place.name_en if place else code,
            "parent_code": place.parent_code if place else None,
            "tambons_in_area": tambons_in_area(code, level),
            **_area_figures(sums),
            **_from_totals(code, sums, totals),
        }
    )


def pilot_code(province_code: str) -> str:
    return f"{province_code}-pilot"


def _pilot_row(province_code: str, sums: pd.DataFrame) -> dict[str, Any]:
    n = len(sums)
    return _covered(
        {
            "area_code": pilot_code(province_code),
            "level": "pilot",
            "name_th": f"{coverage.PILOTS_TH} {n} ตำบล",
            "name_en": f"{n} {coverage.PILOTS_EN}",
            "parent_code": province_code,
            "tambons_in_area": float(n),  # the pilot set: every package marked pilot
            **_area_figures(sums),
        }
    )


def _typed(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=KEY_FIGURE_COLUMNS)
    for column in _INT_COLUMNS:
        frame[column] = pd.array(
            [pd.NA if pd.isna(v) else round(float(v)) for v in frame[column]], dtype="Int64"
        )
    for column in _FLOAT_COLUMNS:
        frame[column] = frame[column].astype("Float64")
    for column in (*AREA_COLUMNS, *COVERS_COLUMNS):
        frame[column] = frame[column].astype("string")
    order = frame["level"].map({level: i for i, level in enumerate(LEVELS)})
    frame = frame.assign(_order=order).sort_values(["_order", "area_code"], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


@dataclass(frozen=True)
class TambonPart:
    """What one tambon gives every roll-up of `key_figures` and `tambon_figures_by_year`,
    made from its own tables alone: the build keeps it per tambon (`pipeline.stages`), so
    after one tambon changed only its part is made again and the areas are summed anew."""

    sums: dict[str, Any]  # numerators and denominators of its latest year (`tambon_sums`)
    row: dict[str, Any]  # its own row of `key_figures`
    by_year: list[dict[str, Any]]  # its rows of `tambon_figures_by_year`, oldest first
    pilot: bool


def tambon_part(code: str, tables: Tables) -> TambonPart:
    by_year = [
        {**_tambon_row(tambon_sums({code: tables_of_year(tables, year)})), "year_be": float(year)}
        for year in survey_years(tables)
    ]
    sums = _tambon_sums(code, tables)
    pilot = bool(tables["tambon"].iloc[0]["pilot"])
    return TambonPart(sums, _tambon_row(pd.DataFrame([sums])), by_year, pilot)


def tambon_parts(tambons: Mapping[str, Tables]) -> dict[str, TambonPart]:
    return {code: tambon_part(code, tambons[code]) for code in sorted(tambons)}


def key_figures(
    tambons: Mapping[str, Tables], totals: Mapping[str, Tables] | None = None
) -> pd.DataFrame:
    """Key figures per tambon, district, province and pilot set (see the module docstring);
    `totals`: province code -> its area totals (`true_totals`), where the data has them.

    Sorted by level in the order tambon, district, province, pilot, then by area code.
    """
    return key_figures_of(tambon_parts(tambons), totals)


def key_figures_of(
    parts: Mapping[str, TambonPart], totals: Mapping[str, Tables] | None = None
) -> pd.DataFrame:
    """`key_figures` from the tambons' parts (`tambon_part`) and the provinces' `totals`."""
    totals = totals or {}
    codes = sorted(parts)
    sums = pd.DataFrame([parts[code].sums for code in codes])
    if sums.empty:
        return _typed([])
    rows = [parts[code].row for code in codes]
    for code, group in sums.groupby("district_code", sort=True):
        rows.append(_place_row(str(code), "district", group, totals.get(str(code)[:2])))
    for code, group in sums.groupby("province_code", sort=True):
        rows.append(_place_row(str(code), "province", group, totals.get(str(code))))
        pilots = group[group["pilot"]]
        if not pilots.empty:
            rows.append(_pilot_row(str(code), pilots))
    return _typed(rows)


# --- survey years of a tambon (change over time) -----------------------------------------------

# Key figures that come from the yearly tables, so a tambon has one per survey year. The others
# (villages, households, population, area from the one-row tambon table; plan totals) have no
# earlier year to compare with.
YEARLY_FIGURES: tuple[str, ...] = (
    "households_surveyed", "households_below_line", "below_line_pct", "median_income",
    "mean_income", "households_with_debt", "debt_pct", "mean_debt", "bmn_pass_pct",
    *(f"bmn_pass_pct_{g}" for g in GROUPS),
)  # fmt: skip
FIGURES_BY_YEAR_COLUMNS: list[str] = ["area_code", "pilot", "year_be", *YEARLY_FIGURES]


def survey_years(tables: Tables) -> list[int]:
    """Every year_be of a tambon's yearly tables, oldest first."""
    years: set[int] = set()
    for name in _YEARLY:
        frame = tables.get(name)
        if frame is not None and not frame.empty:
            years.update(int(y) for y in pd.to_numeric(frame["year_be"], errors="coerce").dropna())
    return sorted(years)


def tables_of_year(tables: Tables, year_be: int) -> dict[str, pd.DataFrame]:
    """A tambon's tables with every yearly table cut to one year (the rest as they are), so
    the latest-year rules of this module compute that year's figures."""
    cut = dict(tables)
    for name in _YEARLY:
        frame = tables.get(name)
        if frame is not None and not frame.empty:
            cut[name] = frame[pd.to_numeric(frame["year_be"], errors="coerce") == year_be]
    return cut


def tambon_figures_by_year(tambons: Mapping[str, Tables]) -> pd.DataFrame:
    """`YEARLY_FIGURES` of every tambon in every one of its survey years, by the same rules as
    `key_figures` (a suppressed cell stays <NA>, a percentage over fewer than 10 is <NA>).

    Columns `FIGURES_BY_YEAR_COLUMNS`, sorted by tambon code then year.
    """
    return figures_by_year_of(tambon_parts(tambons))


def figures_by_year_of(parts: Mapping[str, TambonPart]) -> pd.DataFrame:
    """`tambon_figures_by_year` from the tambons' parts (`tambon_part`)."""
    rows = [row for code in sorted(parts) for row in parts[code].by_year]
    if not rows:
        return pd.DataFrame(columns=FIGURES_BY_YEAR_COLUMNS)
    typed = _typed(rows)
    pilot = {code: part.pilot for code, part in parts.items()}
    typed["pilot"] = [pilot.get(str(c), False) for c in typed["area_code"]]
    typed = typed.sort_values(["area_code", "year_be"], kind="stable")
    return typed[FIGURES_BY_YEAR_COLUMNS].reset_index(drop=True)


def subset(tambons: Mapping[str, Tables], area_code: str) -> dict[str, Tables]:
    """The tambons inside an area: a tambon, district or province code, or "<pp>-pilot"."""
    if area_code.endswith("-pilot"):
        province = area_code.split("-")[0]
        return {
            c: t
            for c, t in tambons.items()
            if c.startswith(province) and bool(t["tambon"].iloc[0]["pilot"])
        }
    return {c: t for c, t in tambons.items() if c.startswith(area_code)}
