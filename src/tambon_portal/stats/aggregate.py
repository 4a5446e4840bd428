"""Roll-ups of tambon packages to district, province and the pilot set (pure functions, no I/O).

Input is `Tables` per tambon: resource name -> typed frame, as `packages.load_tables` returns
(counts are nullable `Int64`, <NA> where a small count was suppressed).

Rules, so every area is computed the same way (docs/architecture.md §3, §4):

- Each yearly table of a tambon is cut to its own latest `year_be`; an area reports the latest
  year among its tambons in `year_be`.
- A rate is the sum of numerators over the sum of denominators of the area's tambons, never a
  mean of rates. A suppressed cell (<NA>) is left out of numerator *and* denominator, so a rate
  only uses tambons whose figure is known; counts summed for an area likewise add up only the
  published cells (a lower bound, off by at most 4 per suppressed cell) because adding back a
  suppressed cell would let a reader subtract it out again.
- A percentage whose denominator is under 10 is <NA> (privacy rule).
- BMN counts per indicator (`bmn_indicator_rates`, `bmn_indicator_rates_by_area`): a tambon is
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
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import coverage, gazetteer
from tambon_portal.core.figures import COLUMNS as FIGURE_COLUMNS

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


def _latest(frame: pd.DataFrame | None) -> pd.DataFrame:
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
    summary = _latest(tables.get("income_summary"))
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
    brackets = _latest(tables.get("income_brackets"))
    sums = {f"bracket_{b}": 0.0 for b in _BRACKETS}
    for _, row in brackets.iterrows():
        n = _num(row["households"])
        if not math.isnan(n):
            sums[f"bracket_{row['bracket']}"] += n
    return sums


def _tambon_bmn_rows(tables: Tables) -> pd.DataFrame:
    """The tambon-level BMN rows of the latest year (village rows are detail, not totals)."""
    bmn = tables.get("bmn_results")
    if bmn is None or bmn.empty:
        return pd.DataFrame(columns=["indicator", "surveyed", "passed", "failed"])
    return _latest(bmn[bmn["area_level"] == "tambon"])


def _bmn_sums(tables: Tables) -> dict[str, float]:
    sums = {f"bmn_{kind}_{g}": 0.0 for g in (*GROUPS, "all") for kind in ("passed", "total")}
    for _, row in _tambon_bmn_rows(tables).iterrows():
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


def _place_row(code: str, level: str, sums: pd.DataFrame) -> dict[str, Any]:
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


def key_figures(tambons: Mapping[str, Tables]) -> pd.DataFrame:
    """Key figures per tambon, district, province and pilot set (see the module docstring).

    Sorted by level in the order tambon, district, province, pilot, then by area code.
    """
    sums = tambon_sums(tambons)
    if sums.empty:
        return _typed([])
    rows = [_tambon_row(sums.iloc[[i]]) for i in range(len(sums))]
    for code, group in sums.groupby("district_code", sort=True):
        rows.append(_place_row(str(code), "district", group))
    for code, group in sums.groupby("province_code", sort=True):
        rows.append(_place_row(str(code), "province", group))
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
    rows = []
    for code in sorted(tambons):
        for year in survey_years(tambons[code]):
            sums = tambon_sums({code: tables_of_year(tambons[code], year)})
            rows.append({**_tambon_row(sums), "year_be": float(year)})
    if not rows:
        return pd.DataFrame(columns=FIGURES_BY_YEAR_COLUMNS)
    typed = _typed(rows)
    pilot = {c: bool(tambons[c]["tambon"].iloc[0]["pilot"]) for c in tambons}
    typed["pilot"] = [pilot.get(str(c), False) for c in typed["area_code"]]
    typed = typed.sort_values(["area_code", "year_be"], kind="stable")
    return typed[FIGURES_BY_YEAR_COLUMNS].reset_index(drop=True)


def bmn_rates_by_year(tables: Tables) -> pd.DataFrame:
    """`bmn_indicator_rates` of one tambon for each survey year with BMN rows, with year_be,
    by indicator number then year."""
    code = str(tables["tambon"].iloc[0]["tambon_code"])
    frames = []
    for year in survey_years(tables):
        of_year = tables_of_year(tables, year)
        if _tambon_bmn_rows(of_year).empty:
            continue
        rates = bmn_indicator_rates({code: of_year}).assign(year_be=year)
        frames.append(rates)
    if not frames:
        return pd.DataFrame(columns=[*BMN_RATE_COLUMNS, "year_be"])
    frame = pd.concat(frames, ignore_index=True).astype({"year_be": "Int64"})
    return frame.sort_values(["indicator", "year_be"], kind="stable").reset_index(drop=True)


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


# --- comparison sentences --------------------------------------------------------------------

# Figures where comparing a tambon with the province makes sense (rates and typical values,
# not sizes: a tambon always has fewer people than its province).
COMPARABLE: tuple[str, ...] = (
    "below_line_pct", "median_income", "mean_income", "debt_pct", "mean_debt",
    "bmn_pass_pct", *(f"bmn_pass_pct_{g}" for g in GROUPS),
)  # fmt: skip
COMPARED: tuple[str, ...] = (
    "population", "households", "villages", "area_km2", "households_surveyed", *COMPARABLE,
    "projects", "plan_budget_baht",
)  # fmt: skip

# Ratio tambon / province thresholds of the sentences (unit-tested):
NEAR = 0.10  # within ±10 %: "close to the province"
NOTABLE = 0.25  # 10–25 % off: "slightly"; 25 % or more: say by how much
TIMES_FROM = 1.75  # from 1.75× on: "about N times" (N rounded to the nearest half)
HALF_BAND = (0.375, 0.625)  # about half
FEW_BELOW = 0.375  # under this: "only about P % of"


def _round_to(value: float, step: float) -> float:
    return math.floor(value / step + 0.5) * step


def _format_times(ratio: float) -> str:
    n = _round_to(ratio, 0.5)
    return f"{n:.0f}" if n == int(n) else f"{n:.1f}"


def comparison_sentence(
    value: float,
    reference: float,
    figure: str = "",
    reference_th: str = coverage.LEVEL_TH["province"],
) -> str | None:
    """A plain Thai sentence that places a tambon's value beside its province's.

    `reference_th` names what the province value covers (`coverage.reference_th`: "จังหวัด"
    only when it adds up every tambon of the province, else "ตำบลนำร่องในจังหวัด").
    None when either value is missing or the province value is not positive.
    """
    if value is None or reference is None or pd.isna(value) or pd.isna(reference):
        return None
    if reference <= 0:
        return None
    what = f"ค่ากลางของ{reference_th}" if figure == "median_income" else f"ค่าของ{reference_th}"
    ratio = float(value) / float(reference)
    if abs(ratio - 1) <= NEAR:
        return f"ใกล้เคียงกับ{reference_th}"
    if ratio >= TIMES_FROM:
        return f"สูงกว่า{what}ราว {_format_times(ratio)} เท่า"
    if ratio >= 1 + NOTABLE:
        return f"สูงกว่า{what}ราวร้อยละ {_round_to((ratio - 1) * 100, 10):.0f}"
    if ratio > 1:
        return f"สูงกว่า{what}เล็กน้อย"
    if ratio < FEW_BELOW:
        return f"เพียงราวร้อยละ {_round_to(ratio * 100, 5):.0f} ของ{what}"
    if HALF_BAND[0] <= ratio <= HALF_BAND[1]:
        return f"ต่ำกว่า{what}ราวครึ่งหนึ่ง"
    if ratio <= 1 - NOTABLE:
        return f"ต่ำกว่า{what}ราวร้อยละ {_round_to((1 - ratio) * 100, 10):.0f}"
    return f"ต่ำกว่า{what}เล็กน้อย"


def _value(rows: Mapping[str, Mapping[str, Any]], code: str | None, column: str) -> Any:
    """`column` of the first row of area `code` in `rows` (area code -> row), None if absent."""
    value = rows.get(code, {}).get(column) if code is not None else None
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value  # numpy scalar -> int/float


def coverages_above(figures: pd.DataFrame, tambon_code: str) -> dict[str, coverage.Coverage]:
    """What the district and province rows beside a tambon cover ({"district": ..,
    "province": ..}; a level without a row is left out)."""
    found = {}
    for level, code in (("district", tambon_code[:4]), ("province", tambon_code[:2])):
        rows = figures[(figures["level"] == level) & (figures["area_code"] == code)]
        if not rows.empty:
            found[level] = coverage.of_row(rows.iloc[0].to_dict())
    return found


def compare(figures: pd.DataFrame, area_code: str) -> dict[str, dict[str, Any]]:
    """A tambon's figures beside its district and province, with a Thai sentence per rate.

    {figure: {"tambon": v, "district": v, "province": v, "sentence_th": str | None}};
    sizes (population, households, ...) get no sentence: only rates and typical values compare.
    """
    row = figures[figures["area_code"] == area_code]
    if row.empty:
        raise KeyError(f"no key figures for area {area_code}")
    district_code = row.iloc[0]["parent_code"]
    district_code = None if pd.isna(district_code) else str(district_code)
    province_code = district_code[:2] if district_code else None
    province = coverages_above(figures, area_code).get("province")
    reference_th = coverage.reference_th(province) if province else coverage.LEVEL_TH["province"]
    # The three rows once, not the whole frame scanned per figure and area (that made the
    # profiles quadratic in the number of tambons).
    codes = [c for c in (area_code, district_code, province_code) if c is not None]
    found = figures[figures["area_code"].isin(codes)]
    rows: dict[str, dict[str, Any]] = {}
    for row in found.to_dict("records"):  # a dict per area: no frame indexed per figure
        rows.setdefault(row["area_code"], row)
    result: dict[str, dict[str, Any]] = {}
    for column in COMPARED:
        tambon = _value(rows, area_code, column)
        province = _value(rows, province_code, column)
        result[column] = {
            "tambon": tambon,
            "district": _value(rows, district_code, column),
            "province": province,
            "sentence_th": comparison_sentence(tambon, province, column, reference_th)
            if column in COMPARABLE
            else None,
        }
    return result


# --- detail roll-ups of an area (tambons_subset = the tambons inside it) ---------------------


def _latest_frames(tambons: Mapping[str, Tables], resource: str) -> list[pd.DataFrame]:
    frames = [_latest(tambons[c].get(resource)) for c in sorted(tambons)]
    return [f for f in frames if not f.empty]


def _concat(frames: Iterable[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = list(frames)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _sum_known(values: pd.Series) -> int:
    return int(pd.to_numeric(values, errors="coerce").fillna(0).sum())


def _count_suppressed(values: pd.Series) -> int:
    return int(pd.to_numeric(values, errors="coerce").isna().sum())


BMN_RATE_COLUMNS = [
    "indicator", "group", "label_th", "surveyed", "passed", "failed", "pass_pct",
    "tambons_suppressed",
]  # fmt: skip
BMN_COUNT_COLUMNS = ("surveyed", "passed", "failed")  # <NA> here is a suppressed count


def _bmn_stack(tambons: Mapping[str, Tables]) -> pd.DataFrame:
    """Tambon-level BMN rows of the latest year of every tambon, with its code and pilot flag."""
    frames = []
    for code in sorted(tambons):
        rows = _tambon_bmn_rows(tambons[code])
        if rows.empty:
            continue
        rows = rows[["indicator", *BMN_COUNT_COLUMNS]].copy()
        rows["tambon_code"] = code
        rows["pilot"] = bool(tambons[code]["tambon"].iloc[0]["pilot"])
        frames.append(rows)
    columns = ["indicator", *BMN_COUNT_COLUMNS, "tambon_code", "pilot"]
    return _concat(frames, columns)


def _indicator_rates(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of column `by` and per indicator (all 31; zeros where no row): surveyed,
    passed, failed, pass_pct and tambons_suppressed, by the rule of the module docstring."""
    counts = {c: pd.to_numeric(rows[c], errors="coerce") for c in BMN_COUNT_COLUMNS}
    published = counts["surveyed"].notna() & counts["passed"].notna() & counts["failed"].notna()
    work = pd.DataFrame(
        {
            by: rows[by].astype(str),
            "indicator": pd.to_numeric(rows["indicator"], errors="coerce"),
            **{c: counts[c].where(published, 0).fillna(0) for c in BMN_COUNT_COLUMNS},
            "published": published.astype(int),
            "tambons_suppressed": (~published).astype(int),
            "surveyed_all": counts["surveyed"].fillna(0),
            "surveyed_unknown": counts["surveyed"].isna().astype(int),
        }
    )
    grid = pd.MultiIndex.from_product(
        [sorted(work[by].unique()), [i.number for i in cl.BMN_INDICATORS]],
        names=[by, "indicator"],
    )
    sums = work.groupby([by, "indicator"]).sum().reindex(grid, fill_value=0).reset_index()
    # An area whose every tambon is suppressed has nothing that may be summed: passed and
    # failed stay suppressed, surveyed is the sum of its tambons' (published, or x) figures.
    none_published = (sums["published"] == 0) & (sums["tambons_suppressed"] > 0)
    surveyed = sums["surveyed"].where(~none_published, sums["surveyed_all"])
    surveyed = surveyed.where(~(none_published & (sums["surveyed_unknown"] > 0)))
    indicators = {i.number: i for i in cl.BMN_INDICATORS}
    frame = pd.DataFrame(
        {
            by: sums[by],
            "indicator": sums["indicator"],
            "group": [indicators[n].group for n in sums["indicator"]],
            "label_th": [indicators[n].th for n in sums["indicator"]],
            "surveyed": surveyed,
            "passed": sums["passed"].where(~none_published),
            "failed": sums["failed"].where(~none_published),
            "pass_pct": [
                percent(float(n), float(n + f)) if k > 0 else math.nan
                for n, f, k in zip(sums["passed"], sums["failed"], sums["published"], strict=True)
            ],
            "tambons_suppressed": sums["tambons_suppressed"],
        }
    )
    counts_columns = ("indicator", *BMN_COUNT_COLUMNS, "tambons_suppressed")
    return frame.astype({**{c: "Int64" for c in counts_columns}, "pass_pct": "Float64"})


def _weakest_first(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.sort_values(["pass_pct", "indicator"], na_position="last", kind="stable")
    return frame.reset_index(drop=True)


# How many of the weakest indicators a profile shows: its chart and its table alike.
WEAKEST_SHOWN = 5


def rated_indicators(rates: pd.DataFrame) -> pd.DataFrame:
    """The rows of `bmn_indicator_rates` with a pass rate, weakest first: what a list of the
    weakest indicators shows (an indicator without data or suppressed has no rank, and its
    counts would read as 0 or x beside a rate of –)."""
    known = rates[rates["pass_pct"].notna()]
    return known.sort_values(["pass_pct", "indicator"], kind="stable").reset_index(drop=True)


def bmn_indicator_rates(tambons_subset: Mapping[str, Tables]) -> pd.DataFrame:
    """Pass rate per BMN indicator over an area's tambon-level rows, weakest first.

    Columns: indicator, group, label_th, surveyed, passed, failed, pass_pct,
    tambons_suppressed (the rule is in the module docstring); indicators without a rate come
    last with <NA>.
    """
    rows = _bmn_stack(tambons_subset).assign(area="all")
    if rows.empty:  # still one line per indicator, every rate <NA>
        rows = pd.DataFrame({"area": ["all"], "indicator": [0], "surveyed": [pd.NA],
                             "passed": [pd.NA], "failed": [pd.NA]})  # fmt: skip
    frame = _indicator_rates(rows, "area")
    return _weakest_first(frame[BMN_RATE_COLUMNS])


def bmn_indicator_rates_by_area(tambons: Mapping[str, Tables]) -> pd.DataFrame:
    """`bmn_indicator_rates` for every area of `key_figures` at once (area_code, level first),
    ordered like `key_figures` and by indicator number within an area."""
    rows = _bmn_stack(tambons)
    if rows.empty:
        return pd.DataFrame(columns=["area_code", "level", *BMN_RATE_COLUMNS])
    codes = rows["tambon_code"].astype(str)
    keyed = {
        "tambon": rows.assign(area_code=codes),
        "district": rows.assign(area_code=codes.str[:4]),
        "province": rows.assign(area_code=codes.str[:2]),
        "pilot": rows[rows["pilot"]].assign(area_code=codes[rows["pilot"]].str[:2] + "-pilot"),
    }
    frames = []
    for level in LEVELS:
        if keyed[level].empty:
            continue
        rates = _indicator_rates(keyed[level], "area_code")
        rates.insert(1, "level", level)
        frames.append(rates)
    frame = pd.concat(frames, ignore_index=True)
    frame = frame.astype({"area_code": "string", "level": "string"})
    return frame[["area_code", "level", *BMN_RATE_COLUMNS]]


def population_pyramid(tambons_subset: Mapping[str, Tables]) -> pd.DataFrame:
    """Persons by sex and age group (published cells summed; `suppressed_cells` counts the rest)."""
    population = _concat(
        _latest_frames(tambons_subset, "population"), ["sex", "age_group", "persons"]
    )
    rows = []
    for sex in cl.SEXES:
        for age in cl.AGE_GROUPS:
            cells = population[
                (population["sex"] == sex.code) & (population["age_group"] == age.code)
            ]
            rows.append(
                {
                    "sex": sex.code,
                    "sex_th": sex.th,
                    "age_group": age.code,
                    "age_group_th": age.th,
                    "persons": _sum_known(cells["persons"]),
                    "suppressed_cells": _count_suppressed(cells["persons"]),
                }
            )
    frame = pd.DataFrame(rows)
    return frame.astype({"persons": "Int64", "suppressed_cells": "Int64"})


def income_distribution(tambons_subset: Mapping[str, Tables]) -> pd.DataFrame:
    """Households per income bracket (baht per person per year) with their share in percent."""
    brackets = _concat(_latest_frames(tambons_subset, "income_brackets"), ["bracket", "households"])
    rows = []
    for bracket in cl.INCOME_BRACKETS:
        cells = brackets[brackets["bracket"] == bracket.code]
        lower, upper = cl.INCOME_BRACKET_BOUNDS[bracket.code]
        rows.append(
            {
                "bracket": bracket.code,
                "label_th": bracket.th,
                "lower_baht": lower,
                "upper_baht": upper,
                "below_line": upper <= cl.INCOME_LINE_BAHT,
                "households": _sum_known(cells["households"]),
                "suppressed_cells": _count_suppressed(cells["households"]),
            }
        )
    frame = pd.DataFrame(rows)
    total = float(frame["households"].sum())
    # A bracket whose every cell is suppressed has an unknown share, not 0 %.
    frame["pct"] = [
        math.nan if h == 0 and s > 0 else percent(float(h), total)
        for h, s in zip(frame["households"], frame["suppressed_cells"], strict=True)
    ]
    return frame.astype(
        {
            "lower_baht": "Int64",
            "upper_baht": "Int64",
            "households": "Int64",
            "suppressed_cells": "Int64",
            "pct": "Float64",
        }
    )


def occupation_totals(tambons_subset: Mapping[str, Tables]) -> pd.DataFrame:
    """Persons by main occupation (male, female, both), most common first; suppressed cells
    counted per sex too, so a reader of one column knows whether its sum is missing cells."""
    occupations = _concat(
        _latest_frames(tambons_subset, "occupations"), ["occupation", "sex", "persons"]
    )
    rows = []
    for occupation in cl.OCCUPATIONS:
        cells = occupations[occupations["occupation"] == occupation.code]
        of_sex = {s.code: cells[cells["sex"] == s.code]["persons"] for s in cl.SEXES}
        by_sex = {sex: _sum_known(persons) for sex, persons in of_sex.items()}
        rows.append(
            {
                "occupation": occupation.code,
                "label_th": occupation.th,
                "male": by_sex["male"],
                "female": by_sex["female"],
                "persons": by_sex["male"] + by_sex["female"],
                "suppressed_cells": _count_suppressed(cells["persons"]),
                "male_suppressed": _count_suppressed(of_sex["male"]),
                "female_suppressed": _count_suppressed(of_sex["female"]),
            }
        )
    frame = pd.DataFrame(rows)
    counts = (
        "male",
        "female",
        "persons",
        "suppressed_cells",
        "male_suppressed",
        "female_suppressed",
    )
    frame = frame.astype({c: "Int64" for c in counts})
    frame = frame.sort_values("persons", ascending=False, kind="stable")
    return frame.reset_index(drop=True)


# --- master plans ----------------------------------------------------------------------------

PLAN_PROJECT_COLUMNS: list[str] = [
    "tambon_code", "tambon_name_th", "district_code", "district_name_th", "project_id",
    "issue_no", "category", "category_th", "issue_title_th", "village_code", "title_th",
    "budget_baht", "funding_source", "funding_source_th", "responsible_th", "year_be",
    "status", "status_th",
]  # fmt: skip


def _projects_of(code: str, tables: Tables) -> pd.DataFrame:
    projects = tables.get("plan_projects")
    if projects is None or projects.empty:
        return pd.DataFrame(columns=PLAN_PROJECT_COLUMNS)
    issues = tables.get("plan_issues", pd.DataFrame(columns=["issue_no", "category", "title_th"]))
    issues = issues[["issue_no", "category", "title_th"]].rename(
        columns={"title_th": "issue_title_th"}
    )
    facts = tables["tambon"].iloc[0]
    district_code = str(facts["district_code"])
    district = gazetteer.district(district_code)
    merged = projects.astype({"issue_no": "Int64"}).merge(
        issues.astype({"issue_no": "Int64"}), on="issue_no", how="left"
    )
    merged["tambon_code"] = code
    merged["tambon_name_th"] = facts["name_th"]
    merged["district_code"] = district_code
    merged["district_name_th"] = district.name_th if district else district_code
    return merged


def _label_column(codes: pd.Series, items: tuple[cl.Code, ...]) -> pd.Series:
    return codes.map(lambda c: cl.label(items, c) if isinstance(c, str) else c)


def plan_projects_all(tambons: Mapping[str, Tables]) -> pd.DataFrame:
    """Every project of every master plan, with tambon/district names and its issue."""
    frames = [_projects_of(c, tambons[c]) for c in sorted(tambons)]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=PLAN_PROJECT_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    frame["category_th"] = _label_column(frame["category"], cl.STRATEGIC_CATEGORIES)
    frame["funding_source_th"] = _label_column(frame["funding_source"], cl.FUNDING_SOURCES)
    frame["status_th"] = _label_column(frame["status"], cl.PROJECT_STATUSES)
    frame["budget_baht"] = pd.to_numeric(frame["budget_baht"], errors="coerce").astype("Float64")
    frame["year_be"] = frame["year_be"].astype("Int64")
    for column in ("tambon_code", "tambon_name_th", "district_code", "district_name_th"):
        frame[column] = frame[column].astype("string")
    frame = frame[PLAN_PROJECT_COLUMNS].sort_values(["tambon_code", "project_id"], kind="stable")
    return frame.reset_index(drop=True)


def _rollup_by(projects: pd.DataFrame, column: str, items: tuple[cl.Code, ...]) -> pd.DataFrame:
    """Projects, budget and tambons per code, every code of the list shown (zeros included)."""
    rows = []
    for item in items:
        cells = projects[projects[column] == item.code]
        rows.append(
            {
                column: item.code,
                "label_th": item.th,
                "label_en": item.en,
                "projects": len(cells),
                "budget_baht": float(pd.to_numeric(cells["budget_baht"]).sum()),
                "tambons": int(cells["tambon_code"].nunique()),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.astype({"projects": "Int64", "budget_baht": "Float64", "tambons": "Int64"})


def _rollup_by_year(projects: pd.DataFrame) -> pd.DataFrame:
    rows = [
        {
            "year_be": int(year),
            "projects": len(cells),
            "budget_baht": float(pd.to_numeric(cells["budget_baht"]).sum()),
            "tambons": int(cells["tambon_code"].nunique()),
        }
        for year, cells in projects.groupby("year_be", sort=True)
    ]
    frame = pd.DataFrame(rows, columns=["year_be", "projects", "budget_baht", "tambons"])
    return frame.astype(
        {"year_be": "Int64", "projects": "Int64", "budget_baht": "Float64", "tambons": "Int64"}
    )


SHARED_ISSUE_COLUMNS = [
    "category", "category_th", "tambon_code", "tambon_name_th", "district_code", "issue_no",
    "title_th",
]  # fmt: skip


def _shared_issues(tambons: Mapping[str, Tables]) -> pd.DataFrame:
    """Per strategic category, the tambons that rank an issue in it (rank and title)."""
    rows = []
    for code in sorted(tambons):
        tables = tambons[code]
        issues = tables.get("plan_issues")
        if issues is None or issues.empty:
            continue
        facts = tables["tambon"].iloc[0]
        for _, issue in issues.iterrows():
            rows.append(
                {
                    "category": issue["category"],
                    "category_th": cl.label(cl.STRATEGIC_CATEGORIES, issue["category"]),
                    "tambon_code": code,
                    "tambon_name_th": facts["name_th"],
                    "district_code": str(facts["district_code"]),
                    "issue_no": int(issue["issue_no"]),
                    "title_th": issue["title_th"],
                }
            )
    frame = pd.DataFrame(rows, columns=SHARED_ISSUE_COLUMNS)
    order = {c: i for i, c in enumerate(cl.codes(cl.STRATEGIC_CATEGORIES))}
    frame = frame.assign(_order=frame["category"].map(order))
    frame = frame.sort_values(["_order", "issue_no", "tambon_code"], kind="stable")
    frame = frame.drop(columns="_order").reset_index(drop=True)
    return frame.astype({"issue_no": "Int64"})


def plan_rollup(tambons: Mapping[str, Tables]) -> dict[str, pd.DataFrame]:
    """Master-plan totals: by_category, by_funding_source, by_status, by_year, shared_issues,
    and projects_all (`plan_projects_all`, which the totals are computed from).

    by_category counts projects by the category of the issue they serve.
    """
    projects = plan_projects_all(tambons)
    return {
        "projects_all": projects,
        "by_category": _rollup_by(projects, "category", cl.STRATEGIC_CATEGORIES),
        "by_funding_source": _rollup_by(projects, "funding_source", cl.FUNDING_SOURCES),
        "by_status": _rollup_by(projects, "status", cl.PROJECT_STATUSES),
        "by_year": _rollup_by_year(projects),
        "shared_issues": _shared_issues(tambons),
    }
