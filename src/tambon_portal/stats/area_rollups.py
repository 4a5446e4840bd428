"""The detail roll-ups of an area from the tambons inside it: BMN pass rates per indicator,
the population pyramid, income brackets and occupations, by the rules of `aggregate`'s
docstring (sums of published cells only; a suppressed cell never counted as 0)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.stats import aggregate, true_totals
from tambon_portal.stats.aggregate import Tables

# --- detail roll-ups of an area (tambons_subset = the tambons inside it) ---------------------


def _latest_frames(tambons: Mapping[str, Tables], resource: str) -> list[pd.DataFrame]:
    frames = [aggregate.latest_rows(tambons[c].get(resource)) for c in sorted(tambons)]
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
        rows = aggregate.tambon_bmn_rows(tambons[code])
        if rows.empty:
            continue
        rows = rows[["indicator", "year_be", *BMN_COUNT_COLUMNS]].copy()
        rows["tambon_code"] = code
        rows["pilot"] = bool(tambons[code]["tambon"].iloc[0]["pilot"])
        frames.append(rows)
    columns = ["indicator", "year_be", *BMN_COUNT_COLUMNS, "tambon_code", "pilot"]
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
                aggregate.percent(float(n), float(n + f)) if k > 0 else math.nan
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


def weakest_indicators(rates: pd.DataFrame) -> pd.DataFrame:
    """The indicators a profile lists as weakest: the first WEAKEST_SHOWN of `rated_indicators`."""
    return rated_indicators(rates).head(WEAKEST_SHOWN)


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


def _with_true_totals(rates: pd.DataFrame, rows: pd.DataFrame,
                      totals: Mapping[str, Tables]) -> pd.DataFrame:  # fmt: skip
    """`rates` of districts and provinces with the counts of their true totals
    (`true_totals`) where those add up exactly the area's tambons with BMN rows, in one year,
    and an indicator's three counts are published: then no tambon is left out."""
    rates = rates.copy()
    codes = rows["tambon_code"].astype(str)
    prefixes: dict[int, pd.Series] = {}  # the codes cut to an area's length, cut once per length
    areas = rates["area_code"].astype(str).to_numpy()
    indicators = rates["indicator"].to_numpy()
    positions: list[int] = []
    values: list[tuple[Any, Any, Any, float]] = []  # surveyed, passed, failed, pass_pct
    for area in dict.fromkeys(areas):
        if len(area) not in prefixes:
            prefixes[len(area)] = codes.str[: len(area)]
        mine = rows[(prefixes[len(area)] == area).to_numpy()]
        years = pd.to_numeric(mine["year_be"], errors="coerce").dropna().unique()
        province_totals = totals.get(area[:2])
        if len(years) != 1 or not true_totals.applies(
            province_totals, area, set(mine["tambon_code"].astype(str))
        ):
            continue
        counts = true_totals.bmn_counts(province_totals, area, int(years[0]))  # type: ignore[arg-type]
        for position in np.flatnonzero(areas == area):
            if (found := counts.get(int(indicators[position]))) is not None:
                surveyed, passed, failed = found
                pct = aggregate.percent(float(passed), float(passed + failed))
                positions.append(int(position))
                values.append((surveyed, passed, failed, pct))
    # One assignment per column: a cell at a time was most of the roll-ups after one change.
    for column, column_values in zip(("surveyed", "passed", "failed", "pass_pct"),
                                     zip(*values, strict=True), strict=False):  # fmt: skip
        rates.iloc[positions, rates.columns.get_loc(column)] = list(column_values)
    if positions:
        rates.iloc[positions, rates.columns.get_loc("tambons_suppressed")] = 0
    return rates


def bmn_indicator_rates_by_area(
    tambons: Mapping[str, Tables], totals: Mapping[str, Tables] | None = None
) -> pd.DataFrame:
    """`bmn_indicator_rates` for every area of `key_figures` at once (area_code, level first),
    ordered like `key_figures` and by indicator number within an area; districts and
    provinces from their true `totals` where those apply (`_with_true_totals`)."""
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
    for level in aggregate.LEVELS:
        if keyed[level].empty:
            continue
        rates = _indicator_rates(keyed[level], "area_code")
        if totals and level in ("district", "province"):
            rates = _with_true_totals(rates, keyed[level], totals)
        rates.insert(1, "level", level)
        frames.append(rates)
    frame = pd.concat(frames, ignore_index=True)
    frame = frame.astype({"area_code": "string", "level": "string"})
    return frame[["area_code", "level", *BMN_RATE_COLUMNS]]


PYRAMID_COLUMNS = ("sex", "sex_th", "age_group", "age_group_th", "persons", "suppressed_cells")
OCCUPATION_COLUMNS = ("occupation", "label_th", "male", "female", "persons", "suppressed_cells",
                      "male_suppressed", "female_suppressed")  # fmt: skip


def population_pyramid(tambons_subset: Mapping[str, Tables]) -> pd.DataFrame:
    """Persons by sex and age group (published cells summed; `suppressed_cells` counts the
    rest); no rows when no tambon of the subset published any."""
    population = _concat(
        _latest_frames(tambons_subset, "population"), ["sex", "age_group", "persons"]
    )
    if population.empty:  # nobody published persons (e.g. records without a members file)
        return pd.DataFrame(columns=PYRAMID_COLUMNS)
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
        math.nan if h == 0 and s > 0 else aggregate.percent(float(h), total)
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
    counted per sex too, so a reader of one column knows whether its sum is missing cells; no
    rows when no tambon of the subset published any."""
    occupations = _concat(
        _latest_frames(tambons_subset, "occupations"), ["occupation", "sex", "persons"]
    )
    if occupations.empty:  # unknown, not zero: no table rather than a table of zeros
        return pd.DataFrame(columns=OCCUPATION_COLUMNS)
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


def bmn_rates_by_year(tables: Tables) -> pd.DataFrame:
    """`bmn_indicator_rates` of one tambon for each survey year with BMN rows, with year_be,
    by indicator number then year."""
    code = str(tables["tambon"].iloc[0]["tambon_code"])
    frames = []
    for year in aggregate.survey_years(tables):
        of_year = aggregate.tables_of_year(tables, year)
        if aggregate.tambon_bmn_rows(of_year).empty:
            continue
        rates = bmn_indicator_rates({code: of_year}).assign(year_be=year)
        frames.append(rates)
    if not frames:
        return pd.DataFrame(columns=[*BMN_RATE_COLUMNS, "year_be"])
    frame = pd.concat(frames, ignore_index=True).astype({"year_be": "Int64"})
    return frame.sort_values(["indicator", "year_be"], kind="stable").reset_index(drop=True)
