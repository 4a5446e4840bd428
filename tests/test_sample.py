"""The seeded sample tables: pilot selection, package text and internal consistency (the
committed pilot, made from records through publish, is tested in test_pilot)."""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from tambon_portal import cli
from tambon_portal.authoring import pilot, sample
from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, schemas

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "datapackages" / "80"
PILOTS = sample.pilot_codes(sample.DEFAULT_SEED)


@cache
def raw(code: str) -> dict[str, pd.DataFrame]:
    return sample.raw_tambon(code)


@cache
def published(code: str) -> dict[str, pd.DataFrame]:
    return sample.build_tambon(code)


# --- golden files ---------------------------------------------------------------------------


def test_sample_exits_2_when_the_output_folder_cannot_be_written(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert cli.main(["sample", "--out", str(blocker)]) == 2


def test_a_package_holds_a_descriptor_and_one_csv_per_resource_in_schema_order(tmp_path):
    folder, totals, partners, knowledge = pilot.write_pilot(tmp_path, codes=["800106"])
    assert totals == tmp_path / "80" / "area-totals-80"  # its province's area totals
    assert partners == tmp_path / "80" / "partners-80"  # and its partners
    assert knowledge == tmp_path / "knowledge"  # and the sample articles about it
    assert folder == tmp_path / "80" / "800106"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == list(schemas.RESOURCE_NAMES)
    assert sorted(p.name for p in (folder / "data").iterdir()) == sorted(
        f"{name}.csv" for name in schemas.RESOURCE_NAMES
    )


def test_csv_files_are_utf8_without_bom_with_unix_newlines_and_x_for_suppressed():
    text = sample.csv_text(
        pd.DataFrame(
            {
                "tambon_code": ["800106"],
                "year_be": [2568],
                "sex": ["male"],
                "age_group": ["80+"],
                "persons": pd.array([pd.NA], dtype="Int64"),
            }
        ),
        "population",
    )
    assert text == "tambon_code,year_be,sex,age_group,persons\n800106,2568,male,80+,x\n"


def test_empty_optional_values_are_written_as_empty_and_booleans_in_lower_case():
    frames = published("800106")
    tambon_csv = sample.csv_text(frames["tambon"], "tambon")
    assert tambon_csv.splitlines()[1].endswith(",2025-09-30,true")
    projects = frames["plan_projects"]
    tambon_wide = projects[projects["village_code"].isna()]
    assert not tambon_wide.empty
    line = sample.csv_text(tambon_wide.head(1), "plan_projects").splitlines()[1]
    assert line.split(",")[3] == ""


# --- descriptor -----------------------------------------------------------------------------


def test_descriptor_marks_the_package_as_synthetic_sample_data():
    descriptor = sample.descriptor("800106")
    assert descriptor["sample"] is True
    assert "SYNTHETIC SAMPLE DATA" in descriptor["description"]
    assert "ข้อมูลตัวอย่างสังเคราะห์" in descriptor["description"]
    assert descriptor["name"] == "tambon-800106"
    assert descriptor["title"] == ("ข้อมูลชุมชนตำบลท่าไร่ อำเภอเมืองนครศรีธรรมราช จังหวัดนครศรีธรรมราช")
    assert (descriptor["tambon_code"], descriptor["district_code"]) == ("800106", "8001")
    assert descriptor["province_code"] == "80"
    assert descriptor["created"] == "2025-09-30T00:00:00Z"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"


def test_descriptor_carries_the_shared_schemas_inline():
    resources = sample.descriptor("800106")["resources"]
    assert [r["schema"] for r in resources] == [schemas.schema(n) for n in schemas.RESOURCE_NAMES]
    assert {r["path"] for r in resources} == {f"data/{n}.csv" for n in schemas.RESOURCE_NAMES}


def test_committed_package_is_valid_frictionless():
    from frictionless import Package

    report = Package(str(COMMITTED / "800106" / "datapackage.json")).validate()
    assert report.flatten(["resourceName", "rowNumber", "fieldName", "type"]) == []


# --- pilot selection ------------------------------------------------------------------------


def test_pilot_selection_has_60_sorted_gazetteer_codes_covering_every_district():
    assert len(PILOTS) == 60
    assert sorted(set(PILOTS)) == PILOTS
    assert all(gazetteer.tambon(code) is not None for code in PILOTS)
    assert all(code.startswith("80") for code in PILOTS)
    districts = {d.code for d in gazetteer.districts_of("80")}
    assert {code[:4] for code in PILOTS} == districts


def test_pilot_selection_always_includes_the_anchor_tambon_and_depends_on_the_seed():
    assert sample.ANCHOR_TAMBON in sample.pilot_codes(1)
    assert sample.pilot_codes(1) != sample.pilot_codes(2)


def test_a_tambon_draws_the_same_tables_whichever_other_tambons_are_drawn():
    before = sample.data_files(sample.build_tambon("800106"))
    sample.build_tambon("800107")
    assert sample.data_files(sample.build_tambon("800106")) == before


def test_split_total_adds_up_exactly():
    parts = sample.split_total(1001, [1, 2, 3, 4], random.Random(0))
    assert sum(parts) == 1001
    assert all(p >= 0 for p in parts)


# --- consistency of every pilot tambon ------------------------------------------------------


@pytest.fixture(scope="module", params=PILOTS)
def frames(request) -> dict[str, pd.DataFrame]:
    return raw(request.param)


def test_tambon_totals_are_the_sums_of_its_villages(frames):
    tambon, villages = frames["tambon"].iloc[0], frames["villages"]
    assert tambon["villages"] == len(villages)
    assert tambon["households"] == villages["households"].sum()
    assert tambon["population"] == villages["population"].sum()
    assert villages["village_no"].tolist() == list(range(1, len(villages) + 1))
    assert 5 <= len(villages) <= 18
    assert villages["households"].between(80, 600).all()
    ratio = villages["population"] / villages["households"]
    assert ratio.between(2.59, 3.41).all()


def test_population_by_sex_and_age_adds_up_to_the_tambon_population(frames):
    population = frames["population"]
    assert len(population) == len(cl.SEXES) * len(cl.AGE_GROUPS)
    assert population["persons"].sum() == frames["tambon"]["population"].iloc[0]


def test_bmn_passed_plus_failed_is_surveyed_and_tambon_rows_sum_the_villages(frames):
    bmn = frames["bmn_results"]
    assert (bmn["passed"] + bmn["failed"] == bmn["surveyed"]).all()
    villages = bmn[bmn["area_level"] == "village"]
    sums = villages.groupby(["year_be", "indicator"])[["surveyed", "passed", "failed"]].sum()
    tambon = bmn[bmn["area_level"] == "tambon"].set_index(["year_be", "indicator"])
    pd.testing.assert_frame_equal(
        tambon[["surveyed", "passed", "failed"]].sort_index(), sums.sort_index()
    )
    assert len(tambon) == 2 * len(cl.BMN_INDICATORS)


def test_income_brackets_add_up_and_below_line_matches_bmn_indicator_22(frames):
    bmn, brackets = frames["bmn_results"], frames["income_brackets"]
    summary = frames["income_summary"].set_index("year_be")
    for year in sample.BMN_YEARS:
        line = sample.bmn_tambon_row(bmn, year, cl.INCOME_LINE_INDICATOR)
        counts = brackets[brackets["year_be"] == year].set_index("bracket")["households"]
        assert list(counts.index) == cl.codes(cl.INCOME_BRACKETS)
        assert counts.sum() == summary.loc[year, "households_surveyed"] == line["surveyed"]
        below = counts["lt30k"] + counts["30k-38k"]
        assert below == summary.loc[year, "households_below_line"] == line["failed"]
        assert 0.70 <= line["passed"] / line["surveyed"] <= 0.98


def test_bracket_bounds_follow_the_code_list_and_the_income_line_falls_after_two_brackets():
    assert list(cl.INCOME_BRACKET_BOUNDS) == cl.codes(cl.INCOME_BRACKETS)
    bounds = list(cl.INCOME_BRACKET_BOUNDS.values())
    assert [upper for _, upper in bounds[:-1]] == [lower for lower, _ in bounds[1:]]
    # brackets_for puts the households under the line into the first two brackets
    assert cl.BRACKETS_BELOW_LINE == {"lt30k", "30k-38k"} == set(sample.BRACKETS[:2])


def test_median_income_lies_in_the_bracket_where_half_the_households_fall(frames):
    brackets, summary = frames["income_brackets"], frames["income_summary"]
    for row in summary.itertuples():
        counts = brackets[brackets["year_be"] == row.year_be].set_index("bracket")["households"]
        cumulative = counts.cumsum()
        crossing = cumulative[cumulative >= counts.sum() / 2].index[0]
        low, high = cl.INCOME_BRACKET_BOUNDS[crossing]
        assert low <= row.median_income < high
        assert row.mean_income > row.median_income
        assert 0 < row.households_with_debt <= row.households_surveyed


def test_occupations_count_at_most_the_adults_of_each_sex(frames):
    occupations = frames["occupations"]
    adults = sample.adults_by_sex(frames["population"])
    by_sex = occupations.groupby("sex")["persons"].sum()
    assert all(by_sex[sex] <= adults[sex] for sex in adults)
    assert len(occupations) == len(cl.OCCUPATIONS) * len(cl.SEXES)


def test_plan_projects_refer_to_existing_issues_and_villages(frames):
    issues, projects = frames["plan_issues"], frames["plan_projects"]
    assert 3 <= len(issues) <= 7
    assert issues["issue_no"].tolist() == list(range(1, len(issues) + 1))
    assert 10 <= len(projects) <= 30
    assert projects["project_id"].tolist() == [f"P{i:02d}" for i in range(1, len(projects) + 1)]
    assert set(projects["issue_no"]) == set(issues["issue_no"])  # every issue has a project
    village_codes = set(frames["villages"]["village_code"])
    assert set(projects["village_code"].dropna()) <= village_codes
    assert (projects["budget_baht"] % 1000 == 0).all()
    assert projects["year_be"].between(2568, 2571).all()


def test_published_frames_show_no_count_of_one_to_four(frames):
    code = frames["tambon"]["tambon_code"].iloc[0]
    for resource, fields in schemas.SMALL_COUNT_FIELDS.items():
        for field in fields:
            assert not published(code)[resource][field].dropna().between(1, 4).any()


def test_a_sample_tambons_projects_name_agencies_of_its_own_province_only():
    # The national sample: a Bangkok tambon's provincial agencies are Bangkok's, not the
    # pilot province's (whose own sample is unchanged: its province is นครศรีธรรมราช).
    responsible = [
        text
        for place in gazetteer.tambons_of_province("10")[:12]
        for text in sample.raw_tambon(place.code)["plan_projects"]["responsible_th"]
    ]
    assert not [text for text in responsible if "นครศรีธรรมราช" in text]
    assert [text for text in responsible if text.endswith("จังหวัดกรุงเทพมหานคร")]
