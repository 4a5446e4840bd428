"""A village leaves a synthetic tambon (pure), as a maintainer's edit would: the tests of
releases and roll-ups use it for a package that changed shape and still validates.

A maintainer whose tambon loses a village (split off, merged into a neighbour) does not only
delete its row: every total must still add up, or the release refuses the package. These
functions make that edit to the unsuppressed frames so that the package still validates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from tambon_portal.authoring.sample_figures import (
    adults_by_sex,
    bmn_tambon_row,
    income_averages,
    with_tambon_totals,
)
from tambon_portal.core import codelists as cl
from tambon_portal.core import schemas


def scaled_parts(parts: Sequence[int], total: int) -> list[int]:
    """`parts` scaled to add up to `total` exactly, keeping their shape (largest remainder).

    Integer arithmetic only, and ties go to the earlier part, so the result is deterministic.
    """
    whole = sum(parts)
    if whole == 0:
        if total != 0:
            raise ValueError(f"cannot scale parts that add up to 0 to {total}")
        return list(parts)
    floors = [p * total // whole for p in parts]
    remainders = [p * total % whole for p in parts]
    by_remainder = sorted(range(len(parts)), key=lambda i: (-remainders[i], i))
    for i in by_remainder[: total - sum(floors)]:
        floors[i] += 1
    return floors


def _scaled_count(count: int, new: int, old: int) -> int:
    """`count` * new / old rounded half up, in integers."""
    return (2 * count * new + old) // (2 * old)


def _scale_groups(
    frame: pd.DataFrame, column: str, by: list[str], target: Callable[[tuple, int], int]
) -> pd.DataFrame:
    """A copy of `frame` with each group's cells scaled to add up to target(key, old sum)."""
    out = frame.copy()
    for key, cells in frame.groupby(by, sort=False)[column]:
        parts = [int(n) for n in cells]
        out.loc[cells.index, column] = scaled_parts(parts, target(key, sum(parts)))
    return out


def _bmn_without(bmn: pd.DataFrame, village_code: str, tambon_code: str) -> pd.DataFrame:
    kept = bmn[(bmn["area_level"] == "village") & (bmn["area_code"] != village_code)]
    return with_tambon_totals(kept.reset_index(drop=True), tambon_code)


def _scaled_counts(rows: pd.DataFrame, total: int) -> dict[str, int]:
    """Bracket -> households of some bracket rows, scaled to add up to `total`."""
    counts = scaled_parts([int(n) for n in rows["households"]], total)
    return dict(zip(rows["bracket"], counts, strict=True))


def _income_without(
    brackets: pd.DataFrame, summary: pd.DataFrame, bmn: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Brackets and summary agreeing with the new BMN income-line row (indicator 22) each year.

    The brackets under the line are scaled to the households that failed indicator 22, those
    above it to the households that passed, so the shape of the distribution is kept.
    """
    new_brackets, new_summary = brackets.copy(), summary.copy()
    for index, row in summary.iterrows():
        year = row["year_be"]
        line = bmn_tambon_row(bmn, year, cl.INCOME_LINE_INDICATOR)
        surveyed, below = int(line["surveyed"]), int(line["failed"])
        rows = brackets[brackets["year_be"] == year]
        under = rows["bracket"].isin(cl.BRACKETS_BELOW_LINE)
        counts = _scaled_counts(rows[under], below) | _scaled_counts(rows[~under], surveyed - below)
        new_brackets.loc[rows.index, "households"] = [counts[b] for b in rows["bracket"]]
        median, mean = income_averages(counts)
        old_surveyed = int(row["households_surveyed"])
        with_debt = _scaled_count(int(row["households_with_debt"]), surveyed, old_surveyed)
        new_summary.loc[index, ["households_surveyed", "median_income", "mean_income"]] = [
            surveyed, median, mean
        ]  # fmt: skip
        new_summary.loc[index, ["households_below_line", "households_with_debt"]] = [
            below, min(with_debt, surveyed)
        ]  # fmt: skip
    return new_brackets, new_summary


def without_village(raw: dict[str, pd.DataFrame], village_code: str) -> dict[str, pd.DataFrame]:
    """The unsuppressed frames of a tambon (`raw_tambon`) after its last village has left.

    Its row and BMN rows go; the tambon's villages, households, population and BMN rows are
    recomputed from the villages left; population and occupation cells are scaled to the new
    population (occupations stay under the adults of each sex); income brackets and summary
    are scaled to the new BMN income-line row; the village's projects become tambon-wide.
    Only the last village can leave, because village numbers must run 1, 2, 3, ... (a real
    renumbering would change every later village's code).
    """
    villages = raw["villages"]
    last = villages.loc[villages["village_no"].idxmax(), "village_code"]
    if village_code != last:
        raise ValueError(f"{village_code} is not the last village of the tambon ({last})")
    kept = villages[villages["village_code"] != village_code].reset_index(drop=True)
    tambon = raw["tambon"].copy()
    old_population = int(tambon["population"].iloc[0])
    new_population = int(kept["population"].sum())
    tambon.loc[:, ["villages", "households", "population"]] = [
        len(kept), int(kept["households"].sum()), new_population
    ]  # fmt: skip
    population = _scale_groups(
        raw["population"], "persons", ["tambon_code", "year_be"],
        lambda _key, total: _scaled_count(total, new_population, old_population),
    )  # fmt: skip
    adults = adults_by_sex(population)

    def occupied(key: tuple, total: int) -> int:  # those who answered stay under the adults
        return min(adults[key[1]], _scaled_count(total, new_population, old_population))

    occupations = _scale_groups(raw["occupations"], "persons", ["year_be", "sex"], occupied)
    bmn = _bmn_without(raw["bmn_results"], village_code, str(tambon["tambon_code"].iloc[0]))
    brackets, summary = _income_without(raw["income_brackets"], raw["income_summary"], bmn)
    projects = raw["plan_projects"].copy()
    projects.loc[projects["village_code"] == village_code, "village_code"] = None
    frames = raw | {
        "tambon": tambon,
        "villages": kept,
        "population": population,
        "bmn_results": bmn,
        "income_brackets": brackets,
        "income_summary": summary,
        "occupations": occupations,
        "plan_projects": projects,
    }
    return {name: frames[name] for name in schemas.RESOURCE_NAMES}
