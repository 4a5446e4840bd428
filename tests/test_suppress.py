"""Small-cell suppression: exact expected frames for each rule, plus a property test."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tambon_portal.stats import suppress

NA = pd.NA


def counts(values: list) -> pd.Series:
    return pd.Series(values, dtype="Int64")


def test_counts_of_one_to_four_are_suppressed_and_zero_and_five_are_not():
    frame = pd.DataFrame({"n": [0, 1, 4, 5, 120]})
    out = suppress.suppress_small_counts(frame, ["n"])
    pd.testing.assert_series_equal(out["n"], counts([0, NA, NA, 5, 120]), check_names=False)


def test_suppress_small_counts_does_not_change_its_input():
    frame = pd.DataFrame({"n": [3, 10]})
    suppress.suppress_small_counts(frame, ["n"])
    assert frame["n"].tolist() == [3, 10]


def test_a_lone_suppressed_cell_in_a_group_gets_the_smallest_non_zero_cell_as_complement():
    frame = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 3, "n": [3, 0, 50, 9, 7, 10, 20, 30]})
    out = suppress.suppress_group_counts(frame, "n", ["g"])
    expected = counts([NA, 0, 50, 9, NA, 10, 20, 30])
    pd.testing.assert_series_equal(out["n"], expected, check_names=False)


def test_a_group_with_two_small_cells_needs_no_complement():
    frame = pd.DataFrame({"g": ["a"] * 4, "n": [2, 4, 6, 8]})
    out = suppress.suppress_group_counts(frame, "n", ["g"])
    pd.testing.assert_series_equal(out["n"], counts([NA, NA, 6, 8]), check_names=False)


def test_a_zero_is_the_complement_only_when_no_non_zero_cell_is_left():
    frame = pd.DataFrame({"g": ["a"] * 3, "n": [2, 0, 0]})
    out = suppress.suppress_group_counts(frame, "n", ["g"])
    pd.testing.assert_series_equal(out["n"], counts([NA, NA, 0]), check_names=False)


def test_equal_smallest_cells_complement_the_first_one():
    frame = pd.DataFrame({"g": ["a"] * 4, "n": [1, 8, 8, 9]})
    out = suppress.suppress_group_counts(frame, "n", ["g"])
    pd.testing.assert_series_equal(out["n"], counts([NA, NA, 8, 9]), check_names=False)


def bmn(rows: list[tuple]) -> pd.DataFrame:
    columns = ["area_code", "area_level", "year_be", "indicator", "surveyed", "passed", "failed"]
    return pd.DataFrame(rows, columns=columns)


def test_bmn_suppresses_the_partner_in_the_row_and_a_complement_among_the_villages():
    frame = bmn(
        [
            ("800106", "tambon", 2568, 1, 60, 57, 3),
            ("80010601", "village", 2568, 1, 20, 17, 3),
            ("80010602", "village", 2568, 1, 25, 25, 0),
            ("80010603", "village", 2568, 1, 15, 15, 0),
        ]
    )
    out = suppress.suppress_bmn_results(frame)
    # Tambon failed 3 and village 1 failed 3 are small; their passed cells follow (row rule);
    # village 1's passed is alone among the villages' passed, so the smallest other (15) goes,
    # then village 3's failed 0 follows its passed (row rule), which also pairs the failed column.
    assert out["passed"].tolist() == [NA, NA, 25, NA]
    assert out["failed"].tolist() == [NA, NA, 0, NA]
    assert out["surveyed"].tolist() == [60, 20, 25, 15]


def test_bmn_row_with_a_small_surveyed_count_is_suppressed_whole_with_a_complement_row():
    frame = bmn(
        [
            ("800106", "tambon", 2568, 1, 33, 30, 3),
            ("80010601", "village", 2568, 1, 3, 3, 0),
            ("80010602", "village", 2568, 1, 12, 10, 2),
            ("80010603", "village", 2568, 1, 18, 17, 1),
        ]
    )
    out = suppress.suppress_bmn_results(frame)
    # Three newborns in village 1 are too few to publish even as a total: its whole row goes,
    # and so does the row of the smallest other village, or the tambon total would give it back.
    assert out["surveyed"].tolist() == [33, NA, NA, 18]
    assert out["passed"].tolist() == [NA, NA, NA, NA]
    assert out["failed"].tolist() == [NA, NA, NA, NA]


def test_bmn_groups_are_separate_for_each_tambon_year_and_indicator():
    frame = bmn(
        [
            ("80010601", "village", 2568, 1, 20, 18, 2),
            ("80010602", "village", 2568, 1, 30, 20, 10),
            ("80010601", "village", 2568, 2, 20, 10, 10),
            ("80010602", "village", 2568, 2, 30, 15, 15),
        ]
    )
    out = suppress.suppress_bmn_results(frame)
    assert out["passed"].tolist() == [NA, NA, 10, 15]
    assert out["failed"].tolist() == [NA, NA, 10, 15]


def test_income_summary_only_suppresses_its_small_counts():
    frame = pd.DataFrame(
        {
            "households_surveyed": [3],
            "households_below_line": [3],
            "households_with_debt": [0],
            "mean_debt": [2],
        }
    )
    out = suppress.suppress_income_summary(frame)
    assert out.iloc[0].tolist() == [3, NA, 0, 2]


# --- property: the rules hold for any counts ---------------------------------------------------

group_counts = st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=12)


def assert_no_small_cell_and_no_lone_suppression(frame: pd.DataFrame, column: str, by: list[str]):
    published = frame[column].dropna()
    assert not published.between(1, 4).any()
    lone = frame[column].isna().groupby([frame[k] for k in by]).sum()
    assert not (lone == 1).any()


@settings(max_examples=200, deadline=None)
@given(st.lists(group_counts, min_size=1, max_size=4))
def test_after_group_suppression_no_small_cell_is_published_and_no_group_has_one_suppressed(
    groups: list[list[int]],
):
    frame = pd.DataFrame(
        [(g, n) for g, values in enumerate(groups) for n in values], columns=["g", "n"]
    )
    out = suppress.suppress_group_counts(frame, "n", ["g"])
    assert_no_small_cell_and_no_lone_suppression(out, "n", ["g"])
    unchanged = out["n"].notna()
    assert (out.loc[unchanged, "n"] == frame.loc[unchanged, "n"]).all()


village_rows = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=2, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(village_rows, min_size=1, max_size=3))
def test_after_bmn_suppression_rows_and_village_groups_never_reveal_one_cell(
    indicators: list[list[tuple[int, int]]],
):
    rows = []
    for indicator, villages in enumerate(indicators, start=1):
        total_passed = sum(p for p, _ in villages)
        total_failed = sum(f for _, f in villages)
        rows.append(("800106", "tambon", 2568, indicator, total_passed + total_failed,
                     total_passed, total_failed))  # fmt: skip
        for no, (p, f) in enumerate(villages, start=1):
            rows.append((f"800106{no:02d}", "village", 2568, indicator, p + f, p, f))
    out = suppress.suppress_bmn_results(bmn(rows))
    for column in ("surveyed", "passed", "failed"):
        assert not out[column].dropna().between(1, 4).any()
    assert (out["passed"].isna() == out["failed"].isna()).all()
    assert not (out["surveyed"].isna() & out["passed"].notna()).any()
    villages = out[out["area_level"] == "village"]
    for column in ("surveyed", "passed", "failed"):
        assert_no_small_cell_and_no_lone_suppression(villages, column, ["indicator"])


@pytest.mark.parametrize(
    "function",
    [suppress.suppress_population, suppress.suppress_occupations],
)
def test_person_tables_are_grouped_by_tambon_and_year(function):
    frame = pd.DataFrame(
        {
            "tambon_code": ["800106", "800106", "800107", "800107"],
            "year_be": [2568] * 4,
            "persons": [2, 40, 30, 40],
        }
    )
    out = function(frame)
    assert out["persons"].tolist() == [NA, NA, 30, 40]


def test_income_brackets_are_grouped_by_tambon_and_year():
    frame = pd.DataFrame(
        {
            "tambon_code": ["800106"] * 4,
            "year_be": [2567, 2567, 2568, 2568],
            "households": [4, 100, 50, 60],
        }
    )
    out = suppress.suppress_income_brackets(frame)
    assert out["households"].tolist() == [NA, NA, 50, 60]
