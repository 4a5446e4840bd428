"""sample.without_village: a tambon losing its last village still makes a valid package."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from tambon_portal.authoring import sample
from tambon_portal.checks import validate
from tambon_portal.core import codelists as cl

TAMBON, LAST = "800119", "80011909"  # Bang Chak: 9 villages, หมู่ที่ 9 บ้านควนจันทร์ leaves


@cache
def raw(code: str = TAMBON) -> dict[str, pd.DataFrame]:
    return sample.raw_tambon(code)


@cache
def edited(code: str = TAMBON) -> dict[str, pd.DataFrame]:
    frames = raw(code)
    return sample.without_village(frames, frames["villages"]["village_code"].iloc[-1])


def write_package(root: Path, code: str, frames: dict[str, pd.DataFrame]) -> None:
    folder = root / code[:2] / code
    (folder / "data").mkdir(parents=True)
    text = json.dumps(sample.descriptor(code), ensure_ascii=False, indent=2) + "\n"
    (folder / "datapackage.json").write_bytes(text.encode("utf-8"))
    for relative, csv_text in sample.data_files(sample.suppressed(frames)).items():
        (folder / relative).write_bytes(csv_text.encode("utf-8"))


# --- scaled_parts ---------------------------------------------------------------------------


def test_scaled_parts_add_up_exactly_and_keep_the_shape():
    assert sample.scaled_parts([10, 20, 30], 30) == [5, 10, 15]
    assert sample.scaled_parts([1, 1, 1], 2) == [1, 1, 0]  # a tie goes to the earlier part
    assert sample.scaled_parts([5, 3, 2], 7) == [4, 2, 1]  # 3.5, 2.1, 1.4: the .5 wins the one
    assert sample.scaled_parts([0, 0], 0) == [0, 0]
    with pytest.raises(ValueError, match="add up to 0"):
        sample.scaled_parts([0, 0], 3)


# --- the edited package ---------------------------------------------------------------------


@pytest.mark.parametrize("code", [TAMBON, sample.ANCHOR_TAMBON, "800202"])
def test_the_package_without_its_last_village_validates_with_no_problem(tmp_path, code):
    write_package(tmp_path, code, edited(code))
    assert validate.validate_tree(tmp_path) == []


def test_the_village_and_its_bmn_rows_are_gone_and_the_tambon_counts_what_is_left():
    frames = edited()
    assert frames["villages"]["village_code"].tolist() == [f"8001190{n}" for n in range(1, 9)]
    assert LAST not in set(frames["bmn_results"]["area_code"])
    tambon = frames["tambon"].iloc[0]
    # หมู่ที่ 9 had 544 households and 1,636 people of 2,488 and 7,348
    assert (tambon["villages"], tambon["households"], tambon["population"]) == (8, 1944, 5712)
    pd.testing.assert_frame_equal(frames["villages"], raw()["villages"].iloc[:8])


def test_tambon_bmn_rows_are_the_old_ones_minus_the_village():
    old, new = raw()["bmn_results"], edited()["bmn_results"]
    counts = ["surveyed", "passed", "failed"]
    keys = ["year_be", "indicator"]
    old_tambon = old[old["area_level"] == "tambon"].set_index(keys)[counts]
    village = old[old["area_code"] == LAST].set_index(keys)[counts]
    new_tambon = new[new["area_level"] == "tambon"].set_index(keys)[counts]
    pd.testing.assert_frame_equal(new_tambon, old_tambon - village)
    assert len(new) == len(old) - len(village) == 2 * len(cl.BMN_INDICATORS) * 9


def test_population_cells_are_scaled_to_the_new_population_keeping_their_shape():
    old, new = raw()["population"], edited()["population"]
    assert new["persons"].sum() == 5712
    assert (new[["sex", "age_group"]].values == old[["sex", "age_group"]].values).all()
    # each cell within one person of its exact share
    exact = old["persons"] * 5712 / 7348
    assert ((new["persons"] - exact).abs() < 1).all()


def test_income_tables_agree_with_the_new_income_line_row():
    frames = edited()
    brackets, summary = frames["income_brackets"], frames["income_summary"]
    for row in summary.itertuples():
        line = sample.bmn_tambon_row(frames["bmn_results"], row.year_be, cl.INCOME_LINE_INDICATOR)
        counts = brackets[brackets["year_be"] == row.year_be].set_index("bracket")["households"]
        assert counts.sum() == row.households_surveyed == line["surveyed"]
        assert counts["lt30k"] + counts["30k-38k"] == row.households_below_line == line["failed"]
        cumulative = counts.cumsum()
        low, high = cl.INCOME_BRACKET_BOUNDS[cumulative[cumulative >= counts.sum() / 2].index[0]]
        assert low <= row.median_income < high
        assert row.mean_income > row.median_income
        assert 0 < row.households_with_debt <= row.households_surveyed
    # 2568: 2,416 households surveyed and 123 under the line before; the village had 541 and 36
    latest = summary.set_index("year_be").loc[2568]
    assert (latest["households_surveyed"], latest["households_below_line"]) == (1875, 87)


def test_occupations_stay_under_the_adults_of_each_sex():
    frames = edited()
    adults = sample.adults_by_sex(frames["population"])
    by_sex = frames["occupations"].groupby("sex")["persons"].sum()
    assert all(0 < by_sex[sex] <= adults[sex] for sex in adults)


def test_the_village_projects_become_tambon_wide_and_nothing_else_in_the_plan_changes():
    old, new = raw(), edited()
    moved = old["plan_projects"]["village_code"] == LAST
    assert old["plan_projects"].loc[moved, "project_id"].tolist() == ["P03", "P09"]
    assert new["plan_projects"].loc[moved, "village_code"].isna().all()
    pd.testing.assert_frame_equal(new["plan_projects"][~moved], old["plan_projects"][~moved])
    for name in ("plan", "plan_issues"):
        pd.testing.assert_frame_equal(new[name], old[name])


def test_the_input_frames_are_left_as_they_were():
    before = {name: frame.copy() for name, frame in sample.raw_tambon(TAMBON).items()}
    sample.without_village(before, LAST)
    for name, frame in sample.raw_tambon(TAMBON).items():
        pd.testing.assert_frame_equal(before[name], frame)


def test_only_the_last_village_can_leave():
    with pytest.raises(ValueError, match="not the last village"):
        sample.without_village(raw(), "80011903")
