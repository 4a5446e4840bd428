"""District and province figures from a province's area totals (`core.schemas.areas`, made
from the household records by `tambon households publish`), where the roll-ups of `aggregate`
and `area_rollups` would otherwise add up published tambon cells only (pure functions).

An area's totals are used only where they add up exactly the tambons the site has data for
in that area (`area_tambons`), all in the same latest year, and a figure only where every
cell it is made of is published: a percentage over the area's cells, one of them suppressed
and its true value inside, would give that value back. Elsewhere the rules of `aggregate`
hold (published cells only, a lower bound, with its coverage).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

from tambon_portal.core import codelists as cl

Tables = Mapping[str, pd.DataFrame]

_GROUP_OF: dict[int, str] = {i.number: i.group for i in cl.BMN_INDICATORS}
_BMN_COUNTS = ("surveyed", "passed", "failed")


def coverage(totals: Tables, area_code: str) -> set[str]:
    frame = totals.get("area_tambons")
    if frame is None or frame.empty:
        return set()
    return set(frame.loc[frame["area_code"].astype(str) == area_code, "tambon_code"].astype(str))


def _rows(totals: Tables, resource: str, area_code: str, year_be: int) -> pd.DataFrame:
    frame = totals.get(resource)
    if frame is None or frame.empty:
        return pd.DataFrame()
    mine = (frame["area_code"].astype(str) == area_code) & (
        pd.to_numeric(frame["year_be"], errors="coerce") == year_be
    )
    return frame[mine]


def applies(totals: Tables | None, area_code: str, tambons: Collection[str]) -> bool:
    """Whether `totals` add up exactly `tambons` (the area's tambons with data) for the area."""
    return bool(totals) and bool(tambons) and coverage(totals, area_code) == set(tambons)  # type: ignore[arg-type]


def _published(values: pd.Series) -> bool:
    return bool(len(values)) and not bool(values.isna().any())


def key_counts(totals: Tables, area_code: str, year_be: int) -> dict[str, float]:
    """The counts an area row of `aggregate.key_figures` is made of that its totals give:
    households surveyed, under the line and in debt; the BMN passed and total (passed +
    failed) over all indicators ("all") and per group. A count with a hidden cell is left out
    (the caller keeps its own sum of published cells)."""
    out: dict[str, float] = {}
    income = _rows(totals, "area_income", area_code, year_be)
    if len(income) == 1:
        row = income.iloc[0]
        if not pd.isna(row["households_surveyed"]):
            out["households_surveyed"] = float(row["households_surveyed"])
            for count in ("households_below_line", "households_with_debt"):
                if not pd.isna(row[count]):
                    out[count] = float(row[count])
    bmn = _rows(totals, "area_bmn_results", area_code, year_be)
    if not bmn.empty:
        groups = bmn["indicator"].astype(int).map(_GROUP_OF)
        for group, rows in [("all", bmn), *((g, bmn[groups == g]) for g in sorted(set(groups)))]:
            if _published(rows["passed"]) and _published(rows["failed"]):
                passed, failed = float(rows["passed"].sum()), float(rows["failed"].sum())
                out[f"bmn_passed_{group}"], out[f"bmn_total_{group}"] = passed, passed + failed
    return out


def bmn_counts(totals: Tables, area_code: str, year_be: int) -> dict[int, tuple[int, int, int]]:
    """Indicator -> (surveyed, passed, failed) of an area's year, where all three are
    published."""
    rows = _rows(totals, "area_bmn_results", area_code, year_be)
    found = {}
    for _, row in rows.iterrows():
        counts = [row[c] for c in _BMN_COUNTS]
        if not any(pd.isna(c) for c in counts):
            found[int(row["indicator"])] = tuple(int(c) for c in counts)
    return found  # type: ignore[return-value]
