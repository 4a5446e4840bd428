"""Project checks that parts add up to their totals: population, BMN results and income.

A suppressed cell (x) is a part whose value is not known, so a total with suppressed parts
must be at least the sum of those published, and a total without them must be their sum.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tambon_portal.checks.tambon_package import (
    TambonPackage,
    cell,
    integer_list,
    integers,
    n,
    problem,
    texts,
)
from tambon_portal.core import codelists as cl
from tambon_portal.core import settings
from tambon_portal.core.problems import Problem


def reference_year_be(pkg: TambonPackage) -> int | None:
    tambon = pkg.tables.get("tambon")
    if tambon is None or len(tambon) != 1:
        return None
    match = re.match(r"^(\d{4})-", str(tambon.iloc[0]["reference_date"]))
    return int(match.group(1)) + settings.BE_OFFSET if match else None


def _sum_agrees(parts: Sequence[int | None], total: int | None) -> bool:
    """Equal when no part is suppressed (None), else not above the total."""
    if total is None:
        return True
    published = _published(parts)
    return published == total if None not in parts else published <= total


def _published(parts: Sequence[int | None]) -> int:
    """The sum of the parts that are published."""
    return sum(part for part in parts if part is not None)


def check_population(pkg: TambonPackage) -> Iterator[Problem]:
    population, tambon = pkg.tables.get("population"), pkg.tables.get("tambon")
    year = reference_year_be(pkg)
    if population is None or tambon is None or year is None:
        return
    cells = integer_list(population[population["year_be"] == year]["persons"])
    total = n(tambon.iloc[0]["population"])
    if cells and not _sum_agrees(cells, total):
        yield problem(
            pkg, "population", None, "persons", "sum-mismatch",
            f"persons of {year} add up to {_published(cells)} but the tambon population is"
            f" {total} (ผลรวมไม่ตรงกัน); the age groups must add up to the tambon total"
            " (suppressed cells excepted)",
        )  # fmt: skip


def check_bmn(pkg: TambonPackage) -> Iterator[Problem]:
    bmn = pkg.tables.get("bmn_results")
    if bmn is None:
        return
    yield from _check_bmn_rows(pkg, bmn)
    yield from _check_bmn_areas(pkg, bmn)
    yield from _check_bmn_village_sums(pkg, bmn)


def _check_bmn_rows(pkg: TambonPackage, bmn: pd.DataFrame) -> Iterator[Problem]:
    surveyed, passed, failed = bmn["surveyed"], bmn["passed"], bmn["failed"]
    both = passed.notna() & failed.notna() & surveyed.notna()
    wrong = both & (passed + failed != surveyed)
    for index in bmn.index[wrong.fillna(False).astype(bool)]:
        yield problem(
            pkg, "bmn_results", index, "surveyed", "sum-mismatch",
            f"passed {passed[index]} + failed {failed[index]} is not surveyed {surveyed[index]}"
            " (ผ่าน + ไม่ผ่าน ≠ จำนวนที่สำรวจ); fix the counts",
        )  # fmt: skip


def _check_bmn_areas(pkg: TambonPackage, bmn: pd.DataFrame) -> Iterator[Problem]:
    villages = pkg.tables.get("villages")
    area, level = bmn["area_code"].astype(str), bmn["area_level"]
    wrong_tambon = (level == "tambon") & (area != pkg.code)
    unknown_village = (level == "village") & (
        ~area.isin(set(villages["village_code"])) if villages is not None else False
    )
    for index in bmn.index[wrong_tambon | unknown_village]:
        if wrong_tambon[index]:
            yield problem(
                pkg, "bmn_results", index, "area_code", "code-mismatch",
                f"a tambon-level row must have area_code {pkg.code}, not {area[index]}"
                " (รหัสไม่ตรงกัน); fix the code or area_level",
            )  # fmt: skip
        else:
            yield problem(
                pkg, "bmn_results", index, "area_code", "unknown-village-code",
                f"village {area[index]} is not in the villages table (ไม่พบรหัสหมู่บ้าน); add the"
                " village there or fix the code",
            )  # fmt: skip


_BMN_COUNTS = ("surveyed", "passed", "failed")


@dataclass(frozen=True)
class _VillageSums:
    """Per (year, indicator) of the village rows: each count's published sum and hidden cells,
    and the number of rows."""

    rows: int
    sums: tuple[int, ...]  # by _BMN_COUNTS
    hidden: tuple[int, ...]


def _village_sums(
    bmn: pd.DataFrame, columns: dict[str, tuple[np.ndarray, np.ndarray]]
) -> dict[tuple[int, int], _VillageSums]:
    """(year, indicator) -> the sums of its village rows (rows without a year or indicator
    form no group); `columns` are the `_integers` of the table's integer columns. One pass of
    numpy: a groupby, a merge and a loop over rows took 9 ms a package, half of the project
    checks of `tambon validate`."""
    village = texts(bmn["area_level"]) == "village"
    (year, no_year), (indicator, no_indicator) = columns["year_be"], columns["indicator"]
    rows = village & ~no_year & ~no_indicator
    year_of, years = pd.factorize(year[rows])
    indicator_of, indicators = pd.factorize(indicator[rows])
    # A group per (year, indicator) seen: its number in `groups`, and each row's group.
    groups, group_of = np.unique(year_of * len(indicators) + indicator_of, return_inverse=True)
    sizes = np.bincount(group_of, minlength=len(groups))
    sums, hidden = [], []
    for column in _BMN_COUNTS:
        values, missing = columns[column]
        total = np.zeros(len(groups), dtype=np.int64)
        np.add.at(total, group_of, values[rows])
        sums.append(total)
        hidden.append(np.bincount(group_of, weights=missing[rows], minlength=len(groups)))
    return {
        (int(y), int(i)): _VillageSums(
            int(sizes[g]),
            tuple(int(total[g]) for total in sums),
            tuple(int(count[g]) for count in hidden),
        )
        for g, key in enumerate(groups)
        for y, i in [(years[key // len(indicators)], indicators[key % len(indicators)])]
    }


def _check_bmn_village_sums(pkg: TambonPackage, bmn: pd.DataFrame) -> Iterator[Problem]:
    villages = pkg.tables.get("villages")
    village_count = len(villages) if villages is not None else None
    columns = {name: integers(bmn[name]) for name in ("year_be", "indicator", *_BMN_COUNTS)}
    sums = _village_sums(bmn, columns)
    totals = (texts(bmn["area_level"]) == "tambon") & (texts(bmn["area_code"]) == pkg.code)
    for position in np.flatnonzero(totals):
        year, indicator = (cell(columns[name], position) for name in ("year_be", "indicator"))
        group = sums.get((year, indicator))
        if group is None:
            continue
        complete = village_count is None or group.rows == village_count
        for column, published, hidden in zip(_BMN_COUNTS, group.sums, group.hidden, strict=True):
            total = cell(columns[column], position)
            exact = complete and hidden == 0
            if total is None or (published == total if exact else published <= total):
                continue
            yield problem(
                pkg, "bmn_results", bmn.index[position], column, "sum-mismatch",
                f"tambon {column} for indicator {indicator} in {year} is"
                f" {total} but its villages add up to {published} (ผลรวมไม่ตรงกัน);"
                " the tambon row must be the sum of its village rows",
            )  # fmt: skip


def check_income(pkg: TambonPackage) -> Iterator[Problem]:
    brackets, summary = pkg.tables.get("income_brackets"), pkg.tables.get("income_summary")
    if summary is None:
        return
    bmn = pkg.tables.get("bmn_results")
    line = _income_line_failed(pkg, bmn) if bmn is not None else None
    by_year = _brackets_by_year(brackets) if brackets is not None else None
    columns = ("year_be", "households_surveyed", "households_below_line")
    for index, year, total, expected in zip(
        summary.index, *(integer_list(summary[name]) for name in columns), strict=True
    ):
        if by_year is not None:
            cells = by_year.get(year, []) if year is not None else []
            households = [count for _, count in cells]
            if cells and not _sum_agrees(households, total):
                yield problem(
                    pkg, "income_brackets", None, "households", "sum-mismatch",
                    f"income brackets of {year} add up to {_published(households)} but"
                    f" households_surveyed is {total} (ผลรวมไม่ตรงกัน); make them agree",
                )  # fmt: skip
            below = [count for bracket, count in cells if bracket in cl.BRACKETS_BELOW_LINE]
            yield from _check_below_line_brackets(pkg, index, year, expected, below)
        if line is not None and year is not None:
            failed = line.get(year, [])
            yield from _check_below_line_bmn(pkg, index, year, expected, failed)


def _brackets_by_year(brackets: pd.DataFrame) -> dict[int, list[tuple[object, int | None]]]:
    """Year -> (bracket, households) of its rows."""
    by_year: dict[int, list[tuple[object, int | None]]] = {}
    columns = (integer_list(brackets["year_be"]), texts(brackets["bracket"]))
    for year, bracket, count in zip(*columns, integer_list(brackets["households"]), strict=True):
        if year is not None:
            by_year.setdefault(year, []).append((bracket, count))
    return by_year


def _check_below_line_brackets(
    pkg: TambonPackage, index: int, year: int | None, expected: int | None,
    below: list[int | None],
) -> Iterator[Problem]:  # fmt: skip
    if expected is None or not below or None in below or _published(below) == expected:
        return
    yield problem(
        pkg, "income_summary", index, "households_below_line", "value-mismatch",
        f"households_below_line is {expected} but the brackets under"
        f" {cl.INCOME_LINE_BAHT:,} baht hold {_published(below)} households in {year}"
        " (ข้อมูลไม่ตรงกัน); make them agree",
    )  # fmt: skip


def _income_line_failed(pkg: TambonPackage, bmn: pd.DataFrame) -> dict[int, list[int | None]]:
    """Year -> `failed` of the tambon's own BMN rows of the income indicator that year."""
    rows = (
        (texts(bmn["area_code"]) == pkg.code)
        & (texts(bmn["area_level"]) == "tambon")
        & (bmn["indicator"] == cl.INCOME_LINE_INDICATOR).to_numpy(dtype=bool, na_value=False)
    )
    failed: dict[int, list[int | None]] = {}
    years, counts = integer_list(bmn["year_be"][rows]), integer_list(bmn["failed"][rows])
    for year, count in zip(years, counts, strict=True):
        if year is not None:
            failed.setdefault(year, []).append(count)
    return failed


def _check_below_line_bmn(
    pkg: TambonPackage, index: int, year: int, expected: int | None, line: list[int | None]
) -> Iterator[Problem]:
    failed = line[0] if len(line) == 1 else None
    if expected is None or failed is None or expected == failed:
        return
    yield problem(
        pkg, "income_summary", index, "households_below_line", "value-mismatch",
        f"households_below_line is {expected} but BMN indicator {cl.INCOME_LINE_INDICATOR}"
        f" (income ≥ {cl.INCOME_LINE_BAHT:,} baht) failed is {failed} for the tambon in"
        f" {year} (ข้อมูลไม่ตรงกัน); both count the same households: make them agree",
    )  # fmt: skip
