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

from collections.abc import Collection, Iterator, Mapping

import pandas as pd

from tambon_portal.core import codelists as cl

Tables = Mapping[str, pd.DataFrame]

_GROUP_OF: dict[int, str] = {i.number: i.group for i in cl.BMN_INDICATORS}
_BMN_COUNTS = ("surveyed", "passed", "failed")


class Indexed(Mapping[str, pd.DataFrame]):
    """A province's area totals with each table's rows grouped by area and year once: a
    lookup filtered the whole table for every area (17 ms each under a profiler at Bangkok;
    the country has 928 districts). Give the roll-ups one per province (`indexed`); it reads
    as the tables."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self._rows: dict[str, dict[tuple[str, float], pd.DataFrame]] = {}
        self._coverage: dict[str, set[str]] | None = None

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    def coverage(self, area_code: str) -> set[str]:
        if self._coverage is None:
            frame = self.tables.get("area_tambons")
            self._coverage = {} if frame is None or frame.empty else {
                str(code): set(group["tambon_code"].astype(str))
                for code, group in frame.groupby(frame["area_code"].astype(str), sort=False)
            }  # fmt: skip
        return set(self._coverage.get(area_code, set()))

    def rows(self, resource: str, area_code: str, year_be: int) -> pd.DataFrame:
        """The rows of `resource` of the area and year, in the table's order."""
        frame = self.tables.get(resource)
        if frame is None or frame.empty:
            return pd.DataFrame()
        if resource not in self._rows:
            keys = [
                frame["area_code"].astype(str),
                pd.to_numeric(frame["year_be"], errors="coerce"),
            ]
            self._rows[resource] = {
                (str(area), float(year)): group
                for (area, year), group in frame.groupby(keys, sort=False)  # NaN years: none
            }  # fmt: skip
        return self._rows[resource].get((area_code, float(year_be)), frame.iloc[0:0])


def indexed(totals: Tables) -> Indexed:
    return totals if isinstance(totals, Indexed) else Indexed(totals)


def coverage(totals: Tables, area_code: str) -> set[str]:
    return indexed(totals).coverage(area_code)


def _rows(totals: Tables, resource: str, area_code: str, year_be: int) -> pd.DataFrame:
    return indexed(totals).rows(resource, area_code, year_be)


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
