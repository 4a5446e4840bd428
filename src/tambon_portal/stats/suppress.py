"""Small-cell suppression of published counts (docs/architecture.md §4), as pure pandas functions.

A count of 1–4 could identify a household, so it is replaced by <NA> (written "x" in a CSV).
Suppressing one cell is not enough when a published total lets a reader subtract it back, so
a second, complementary cell is suppressed:

- within a BMN row, `passed + failed = surveyed`: when one of the pair is suppressed the other
  is too (even a zero, because the pair is the only protection); when `surveyed` itself is
  1–4 (three newborns in a village) the whole row is suppressed, since a published pair would
  add back up to it;
- within a group of cells that sums to a published total (the population cells of a
  tambon-year, its occupation cells, its income brackets, the villages of a tambon for one
  BMN indicator-year) either no cell or at least two cells are suppressed: the smallest
  non-zero published cell is added (a zero only when no non-zero cell is left).

Zero itself is never a primary suppression: "nobody" identifies nobody. Totals (the tambon
rows of BMN results) must be computed from the unsuppressed figures before calling these.
Every function returns a new frame with the count columns as nullable `Int64`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

SMALLEST_PUBLISHED = 5  # counts 1..SMALLEST_PUBLISHED-1 are suppressed
# Village-level BMN groups: the cells of one indicator-year in one tambon add up to the tambon row.
BMN_VILLAGE_GROUP = ("tambon", "year_be", "indicator")
# Per resource, (group keys, count columns): the cells of a group add up to a published total,
# so a group has no suppressed cell or at least two. `privacy` checks published data by these.
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "population": (("tambon_code", "year_be"), ("persons",)),
    "occupations": (("tambon_code", "year_be"), ("persons",)),
    "income_brackets": (("tambon_code", "year_be"), ("households",)),
    "bmn_results": (BMN_VILLAGE_GROUP, ("surveyed", "passed", "failed")),
}


def _as_nullable(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = out[column].astype("Int64")
    return out


def suppress_small_counts(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Primary suppression: every cell of 1–4 in `columns` becomes <NA>."""
    out = _as_nullable(frame, columns)
    for column in columns:
        small = out[column].between(1, SMALLEST_PUBLISHED - 1).fillna(False)
        out.loc[small.astype(bool), column] = pd.NA
    return out


def _complete_pairs(frame: pd.DataFrame, first: str, second: str) -> bool:
    """Suppresses the partner of a lone suppressed cell in each row; True if anything changed."""
    lone_first = frame[first].isna() & frame[second].notna()
    lone_second = frame[second].isna() & frame[first].notna()
    frame.loc[lone_first, second] = pd.NA
    frame.loc[lone_second, first] = pd.NA
    return bool(lone_first.any() or lone_second.any())


def _complement_cell(values: pd.Series) -> object | None:
    """Index of the cell to suppress next to a lone suppressed cell: smallest non-zero first."""
    published = values.dropna()
    if published.empty:
        return None
    non_zero = published[published > 0]
    candidates = non_zero if not non_zero.empty else published
    # A stable sort keeps the first of equal cells, so the choice is deterministic.
    return candidates.sort_values(kind="stable").index[0]


def _complete_groups(frame: pd.DataFrame, column: str, by: Sequence[str]) -> bool:
    """Adds a second suppressed cell to every group with exactly one; True if anything changed."""
    changed = False
    for _, values in frame.groupby(list(by), sort=False)[column]:
        if int(values.isna().sum()) != 1:
            continue
        cell = _complement_cell(values)
        if cell is not None:
            frame.loc[cell, column] = pd.NA
            changed = True
    return changed


def suppress_group_counts(frame: pd.DataFrame, column: str, by: Sequence[str]) -> pd.DataFrame:
    """Suppresses 1–4 in `column`, then a complementary cell in each group `by` that has one."""
    out = suppress_small_counts(frame, [column])
    _complete_groups(out, column, by)
    return out


def _suppress_whole_rows(frame: pd.DataFrame) -> bool:
    """A row whose `surveyed` is suppressed loses `passed` and `failed` too."""
    hidden = frame["surveyed"].isna() & (frame["passed"].notna() | frame["failed"].notna())
    frame.loc[hidden, ["passed", "failed"]] = pd.NA
    return bool(hidden.any())


def suppress_bmn_results(frame: pd.DataFrame) -> pd.DataFrame:
    """Suppresses the counts of BMN rows (village rows and tambon total rows).

    Row rules and village groups interact (a complementary cell in a group leaves its row
    with a lone suppressed cell, and so on), so all rules are applied until nothing changes;
    suppression only ever grows, so this ends.
    """
    out = suppress_small_counts(frame, ["surveyed", "passed", "failed"])
    villages = out["area_level"] == "village"
    keys = out.loc[villages, ["year_be", "indicator"]].copy()
    keys.insert(0, "tambon", out.loc[villages, "area_code"].str[:6])
    changed = True
    while changed:
        changed = _suppress_whole_rows(out)
        for column in ("surveyed", "passed", "failed"):
            # Rows first, so a complement chosen for one column is seen by the others.
            changed |= _suppress_whole_rows(out)
            changed |= _complete_pairs(out, "passed", "failed")
            cells = pd.concat([keys, out.loc[villages, [column]]], axis=1)
            if _complete_groups(cells, column, BMN_VILLAGE_GROUP):
                out.loc[villages, column] = cells[column]
                changed = True
    return out


def _suppress_by_groups(frame: pd.DataFrame, resource: str) -> pd.DataFrame:
    (by, (column,)) = GROUPS[resource]
    return suppress_group_counts(frame, column, by)


def suppress_population(frame: pd.DataFrame) -> pd.DataFrame:
    return _suppress_by_groups(frame, "population")


def suppress_occupations(frame: pd.DataFrame) -> pd.DataFrame:
    return _suppress_by_groups(frame, "occupations")


def suppress_income_brackets(frame: pd.DataFrame) -> pd.DataFrame:
    return _suppress_by_groups(frame, "income_brackets")


def suppress_income_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Primary suppression only: the summary's counts are not parts of a published total."""
    return suppress_small_counts(frame, ["households_below_line", "households_with_debt"])


def suppress_area_bmn_results(frame: pd.DataFrame) -> pd.DataFrame:
    """The BMN rows of district and province totals (`schemas.areas`): 1–4 suppressed with
    the row rules of `suppress_bmn_results`; what their tambons' cells reveal, the province's
    protection adds (`authoring.protection.protect_province`)."""
    out = suppress_small_counts(frame, ["surveyed", "passed", "failed"])
    changed = True
    while changed:
        changed = _suppress_whole_rows(out)
        changed |= _complete_pairs(out, "passed", "failed")
    return out


def suppress_area_income(frame: pd.DataFrame) -> pd.DataFrame:
    return suppress_small_counts(
        frame, ["households_surveyed", "households_below_line", "households_with_debt"]
    )
