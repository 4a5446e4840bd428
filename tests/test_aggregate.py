"""Roll-ups: exact hand-computed figures, comparison sentences, golden files and properties."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_aggregate_fixtures import small_province, tambon_tables

from tambon_portal.stats import aggregate as ag
from tambon_portal.stats import area_rollups, comparisons, plans

GOLDEN = Path(__file__).parent / "golden" / "aggregate"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def province():
    return small_province()


@pytest.fixture(scope="module")
def figures(province):
    return ag.key_figures(province)


def row(figures: pd.DataFrame, code: str) -> pd.Series:
    return figures[figures["area_code"] == code].iloc[0]


# --- key_figures -----------------------------------------------------------------------------


def test_key_figures_has_the_contract_columns_in_order(figures):
    assert list(figures.columns) == ag.KEY_FIGURE_COLUMNS


def test_key_figures_rows_sorted_by_level_then_code(figures):
    assert list(zip(figures["level"], figures["area_code"], strict=True)) == [
        ("tambon", "800101"),
        ("tambon", "800102"),
        ("tambon", "800201"),
        ("tambon", "800202"),
        ("district", "8001"),
        ("district", "8002"),
        ("province", "80"),
        ("pilot", "80-pilot"),
    ]


def test_district_sums_counts_of_its_tambons(figures):
    district = row(figures, "8001")
    assert (district["households"], district["population"], district["villages"]) == (
        1500,
        4600,
        15,
    )
    assert district["households_surveyed"] == 1380
    assert district["projects"] == 5
    assert district["plan_budget_baht"] == 2_680_000.0


def test_rate_leaves_a_suppressed_count_out_of_numerator_and_denominator(figures):
    # 800102 suppressed its below-line count: only 800101 (90 of 900) is left.
    assert row(figures, "8001")["below_line_pct"] == 10.0
    assert row(figures, "8001")["households_below_line"] == 90
    assert row(figures, "80")["below_line_pct"] == 19.3  # (90 + 237) / (900 + 790)


def test_debt_pct_is_sum_over_sum_not_mean_of_rates(figures):
    # 750 / 1380 = 54.35 %; the mean of the two tambon rates (50 %, 62.5 %) would be 56.25 %.
    assert row(figures, "8001")["debt_pct"] == 54.3


def test_mean_income_is_weighted_by_households_surveyed(figures):
    assert row(figures, "8001")["mean_income"] == 63043  # (70,000×900 + 50,000×480) / 1380


def test_mean_debt_is_weighted_by_households_with_debt_and_skips_unknown(figures):
    assert row(figures, "8001")["mean_debt"] == 100_000


def test_bmn_group_rates_use_only_tambon_level_rows_and_skip_suppressed(figures):
    district = row(figures, "8001")
    assert district["bmn_pass_pct_health"] == 97.8  # 1350 / 1380; village row (0/999) ignored
    assert district["bmn_pass_pct_education"] == 90.0  # 270 / 300; 800102's "x" pair left out
    assert district["bmn_pass_pct_economy"] == 76.5  # 1056 / 1380
    assert district["bmn_pass_pct"] == 83.1  # 6186 / 7440


def test_percentage_over_fewer_than_ten_is_suppressed(figures):
    small = row(figures, "800202")  # 8 households surveyed
    assert pd.isna(small["bmn_pass_pct_health"])
    assert pd.isna(small["bmn_pass_pct"])
    assert pd.isna(small["below_line_pct"])


def test_district_median_is_grouped_median_of_pooled_brackets(figures):
    # pooled 140, 130, 600, ...: middle household 688 falls in 38,000–60,000:
    # 38,000 + (688 − 270) / 600 × 22,000 = 53,326.7
    assert row(figures, "8001")["median_income"] == 53327


def test_tambon_median_is_its_reported_median(figures):
    assert row(figures, "800202")["median_income"] == 38_000


def test_year_is_the_latest_among_the_areas_tambons(figures):
    assert row(figures, "800202")["year_be"] == 2567
    assert row(figures, "8002")["year_be"] == 2568


def test_pilot_row_covers_only_pilot_tambons(figures):
    pilot = row(figures, "80-pilot")
    assert (pilot["name_th"], pilot["name_en"], pilot["parent_code"]) == (
        "ตำบลนำร่อง 3 ตำบล",
        "3 pilot tambons",
        "80",
    )
    assert (pilot["tambons_with_data"], pilot["tambons_in_area"]) == (3, 3)
    assert pilot["households"] == 1800


def test_names_and_parents_come_from_the_gazetteer(figures):
    district = row(figures, "8001")
    assert (district["name_th"], district["parent_code"]) == ("เมืองนครศรีธรรมราช", "80")
    assert row(figures, "80")["name_th"] == "นครศรีธรรมราช"
    assert pd.isna(row(figures, "80")["parent_code"])


def test_latest_year_only_is_used_for_yearly_tables():
    old = tambon_tables("800101", surveyed=100, below_line=90, year_be=2567)
    new = tambon_tables("800101", surveyed=100, below_line=10, year_be=2568)
    tables = {k: pd.concat([old[k], new[k]], ignore_index=True) for k in old}
    tables["tambon"] = new["tambon"]
    figures = ag.key_figures({"800101": tables})
    assert row(figures, "800101")["below_line_pct"] == 10.0


# --- helpers ---------------------------------------------------------------------------------


def test_grouped_median_interpolates_inside_the_middle_bracket():
    assert ag.grouped_median({"lt30k": 10, "30k-38k": 10, "38k-60k": 20}) == 38_000.0
    assert ag.grouped_median({"38k-60k": 10}) == 49_000.0


def test_grouped_median_of_fewer_than_ten_households_is_nan():
    assert math.isnan(ag.grouped_median({"lt30k": 9}))


def test_percent_rounds_to_one_decimal_and_suppresses_small_denominators():
    assert ag.percent(1, 3 * 10) == 3.3
    assert ag.percent(5, 10) == 50.0
    assert math.isnan(ag.percent(5, 9))


# --- compare ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reference", "figure", "expected"),
    [
        (105, 100, "debt_pct", "ใกล้เคียงกับจังหวัด"),
        (91, 100, "debt_pct", "ใกล้เคียงกับจังหวัด"),
        (115, 100, "debt_pct", "สูงกว่าค่าของจังหวัดเล็กน้อย"),
        (85, 100, "debt_pct", "ต่ำกว่าค่าของจังหวัดเล็กน้อย"),
        (140, 100, "debt_pct", "สูงกว่าค่าของจังหวัดราวร้อยละ 40"),
        (200, 100, "below_line_pct", "สูงกว่าค่าของจังหวัดราว 2 เท่า"),
        (260, 100, "below_line_pct", "สูงกว่าค่าของจังหวัดราว 2.5 เท่า"),
        (175, 100, "below_line_pct", "สูงกว่าค่าของจังหวัดราว 2 เท่า"),
        (50, 100, "median_income", "ต่ำกว่าค่ากลางของจังหวัดราวครึ่งหนึ่ง"),
        (60, 100, "median_income", "ต่ำกว่าค่ากลางของจังหวัดราวครึ่งหนึ่ง"),
        (70, 100, "median_income", "ต่ำกว่าค่ากลางของจังหวัดราวร้อยละ 30"),
        (20, 100, "mean_income", "เพียงราวร้อยละ 20 ของค่าของจังหวัด"),
    ],
)
def test_comparison_sentence_thresholds(value, reference, figure, expected):
    assert comparisons.comparison_sentence(value, reference, figure) == expected


def test_comparison_sentence_is_none_without_a_usable_reference():
    assert comparisons.comparison_sentence(10, None) is None
    assert comparisons.comparison_sentence(None, 10) is None
    assert comparisons.comparison_sentence(10, 0) is None


def test_compare_places_tambon_beside_district_and_province(figures):
    result = comparisons.compare(figures, "800201")
    assert result["below_line_pct"] == {
        "tambon": 30.0,
        "district": 30.0,
        "province": 19.3,
        # the province row adds up 4 of its 170 tambons: the sentence must not call it จังหวัด
        "sentence_th": "สูงกว่าค่าของตำบลที่มีข้อมูลในจังหวัดราวร้อยละ 60",
    }
    assert result["population"] == {
        "tambon": 2500,
        "district": 3400,
        "province": 8000,
        "sentence_th": None,
    }
    assert type(result["population"]["tambon"]) is int


def test_compare_gives_what_a_scan_of_the_whole_frame_per_figure_gives(figures):
    """`compare` looks its three rows up once; the result is the one the old per-figure scan
    of the whole frame gave, for every tambon."""

    def scanned(code, column):
        rows = figures[figures["area_code"] == code] if code else figures.iloc[0:0]
        value = rows.iloc[0][column] if not rows.empty else None
        return None if value is None or pd.isna(value) else getattr(value, "item", lambda: value)()

    for code in figures.loc[figures["level"] == "tambon", "area_code"]:
        district = figures.loc[figures["area_code"] == code, "parent_code"].iloc[0]
        for column, got in comparisons.compare(figures, code).items():
            assert got["tambon"] == scanned(code, column)
            assert got["district"] == scanned(district, column)
            assert got["province"] == scanned(district[:2], column)


def test_compare_unknown_area_raises(figures):
    with pytest.raises(KeyError):
        comparisons.compare(figures, "999999")


# --- detail roll-ups -------------------------------------------------------------------------


def test_bmn_indicator_rates_weakest_first_with_exact_counts(province):
    rates = area_rollups.bmn_indicator_rates(ag.subset(province, "8001"))
    top = rates.head(2)[["indicator", "group", "surveyed", "passed", "failed", "pass_pct"]]
    assert top.astype(object).values.tolist() == [
        [22, "economy", 1380, 1056, 324, 76.5],
        [25, "values", 3000, 2300, 700, 76.7],
    ]
    assert len(rates) == 31
    assert pd.isna(rates.iloc[-1]["pass_pct"])  # indicators without data go last


def test_population_pyramid_sums_published_cells_and_counts_suppressed(province):
    pyramid = area_rollups.population_pyramid(ag.subset(province, "8001"))
    cell = pyramid[(pyramid["sex"] == "female") & (pyramid["age_group"] == "0-4")].iloc[0]
    assert (cell["persons"], cell["suppressed_cells"]) == (90, 1)
    old = pyramid[(pyramid["sex"] == "male") & (pyramid["age_group"] == "80+")].iloc[0]
    assert (old["persons"], old["suppressed_cells"]) == (0, 1)
    assert len(pyramid) == 34


def test_income_distribution_shares(province):
    income = area_rollups.income_distribution(ag.subset(province, "8002"))
    assert income["households"].tolist() == [150, 87, 356, 150, 40, 13]
    assert income["suppressed_cells"].tolist() == [1, 0, 0, 0, 0, 0]
    assert income["pct"].tolist() == [18.8, 10.9, 44.7, 18.8, 5.0, 1.6]  # of 796
    assert income["below_line"].tolist() == [True, True, False, False, False, False]


def test_occupation_totals_most_common_first(province):
    occupations = area_rollups.occupation_totals(ag.subset(province, "8001"))
    first = occupations.iloc[0]
    assert (first["occupation"], first["male"], first["female"], first["persons"]) == (
        "rubber",
        400,
        200,
        600,
    )
    fishery = occupations[occupations["occupation"] == "fishery"].iloc[0]
    assert (fishery["persons"], fishery["suppressed_cells"]) == (0, 1)
    assert (fishery["male_suppressed"], fishery["female_suppressed"]) == (1, 0)


def test_plan_projects_all_carries_names_and_issue(province):
    projects = plans.plan_projects_all(province)
    assert list(projects.columns) == plans.PLAN_PROJECT_COLUMNS
    first = projects.iloc[0]
    assert (
        first["tambon_code"],
        first["tambon_name_th"],
        first["district_name_th"],
        first["category"],
        first["issue_title_th"],
        first["funding_source_th"],
        first["status_th"],
    ) == (
        "800101",
        "ในเมือง",
        "เมืองนครศรีธรรมราช",
        "income",
        "รายได้ไม่พอ",
        "องค์กรปกครองส่วนท้องถิ่น",
        "เสร็จสิ้น",
    )
    assert len(projects) == 6


def test_plan_rollup_by_funding_source_counts_projects_budget_and_tambons(province):
    rollup = plans.plan_rollup(province)
    community = rollup["by_funding_source"].set_index("funding_source").loc["community"]
    assert (community["projects"], community["budget_baht"], community["tambons"]) == (
        2,
        80_000.0,
        1,
    )
    assert rollup["by_year"]["year_be"].tolist() == [2568, 2569, 2570]
    income = rollup["by_category"].set_index("category").loc["income"]
    assert (income["projects"], income["tambons"]) == (4, 3)


def test_shared_issues_list_tambons_per_category_with_rank(province):
    shared = plans.plan_rollup(province)["shared_issues"]
    income = shared[shared["category"] == "income"]
    assert income[["tambon_code", "issue_no"]].astype(object).values.tolist() == [
        ["800101", 1],
        ["800201", 1],
        ["800102", 2],
    ]


# --- golden files ----------------------------------------------------------------------------


def _check_golden(frame: pd.DataFrame, name: str) -> None:
    path = GOLDEN / f"{name}.csv"
    text = frame.to_csv(index=False, lineterminator="\n")
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"regenerate with UPDATE_GOLDEN=1: {path}"


def test_key_figures_golden(figures):
    _check_golden(figures, "key_figures")


@pytest.mark.parametrize("table", ["by_category", "by_funding_source", "by_status", "by_year"])
def test_plan_rollup_golden(province, table):
    _check_golden(plans.plan_rollup(province)[table], f"plan_{table}")


# --- properties ------------------------------------------------------------------------------

CODES = ["800101", "800102", "800103", "800201", "800202", "800301"]

tambon_numbers = st.fixed_dictionaries(
    {
        "households": st.integers(10, 5000),
        "surveyed": st.integers(10, 5000),
        "below_share": st.floats(0, 1),
        "debt_share": st.floats(0, 1),
        "bmn_share": st.floats(0, 1),
        "pilot": st.booleans(),
    }
)


def _tambon(code: str, n: dict) -> dict[str, pd.DataFrame]:
    surveyed = n["surveyed"]
    passed = round(n["bmn_share"] * surveyed)
    return tambon_tables(
        code,
        pilot=n["pilot"],
        households=n["households"],
        population=3 * n["households"],
        surveyed=surveyed,
        below_line=round(n["below_share"] * surveyed),
        with_debt=round(n["debt_share"] * surveyed),
        bmn={22: (surveyed, passed, surveyed - passed)},
    )


provinces = st.dictionaries(st.sampled_from(CODES), tambon_numbers, min_size=1, max_size=6)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(provinces)
def test_totals_add_up_from_tambons_to_districts_to_province(numbers):
    figures = ag.key_figures({c: _tambon(c, n) for c, n in numbers.items()})
    tambons = figures[figures["level"] == "tambon"]
    districts = figures[figures["level"] == "district"]
    for _, district in districts.iterrows():
        inside = tambons[tambons["parent_code"] == district["area_code"]]
        assert district["households"] == inside["households"].sum()
    assert row(figures, "80")["households"] == districts["households"].sum()
    assert row(figures, "80")["households_surveyed"] == districts["households_surveyed"].sum()


@SETTINGS
@given(provinces, st.randoms())
def test_order_of_tambons_does_not_matter(numbers, rng):
    tambons = {c: _tambon(c, n) for c, n in numbers.items()}
    codes = list(tambons)
    rng.shuffle(codes)
    shuffled = {}
    for code in codes:
        tables = dict(tambons[code])
        tables["bmn_results"] = tables["bmn_results"].iloc[::-1].reset_index(drop=True)
        shuffled[code] = tables
    pd.testing.assert_frame_equal(ag.key_figures(tambons), ag.key_figures(shuffled))


RATES = ["below_line_pct", "debt_pct", "bmn_pass_pct", "bmn_pass_pct_economy"]


@SETTINGS
@given(provinces)
def test_rates_lie_between_0_and_100_and_district_between_its_tambons(numbers):
    figures = ag.key_figures({c: _tambon(c, n) for c, n in numbers.items()})
    for column in RATES:
        values = figures[column].dropna()
        assert ((values >= 0) & (values <= 100)).all()
    tambons = figures[figures["level"] == "tambon"]
    for _, district in figures[figures["level"] == "district"].iterrows():
        inside = tambons[tambons["parent_code"] == district["area_code"]]
        for column in RATES:
            # one decimal of rounding on each side
            assert inside[column].min() - 0.05 <= district[column] <= inside[column].max() + 0.05


def test_bmn_rates_by_area_match_the_rates_of_each_area(province, figures):
    by_area = area_rollups.bmn_indicator_rates_by_area(province)
    assert list(dict.fromkeys(by_area["area_code"])) == list(figures["area_code"])
    for code in figures["area_code"]:
        one = area_rollups.bmn_indicator_rates(ag.subset(province, code))
        one = one.sort_values("indicator").reset_index(drop=True)
        rows = by_area[by_area["area_code"] == code].drop(columns=["area_code", "level"])
        pd.testing.assert_frame_equal(one, rows.reset_index(drop=True))


def test_bmn_rates_of_no_tambons_list_every_indicator_without_a_rate():
    rates = area_rollups.bmn_indicator_rates({})
    assert rates["indicator"].tolist() == list(range(1, 32))
    assert rates["pass_pct"].isna().all()
    assert rates["surveyed"].sum() == 0


# A tambon's BMN row for one indicator, suppressed as `suppress` does: published, the pair
# passed/failed suppressed, or the whole row (surveyed 1-4).
BMN_STATES = ("published", "pair", "row")
bmn_cells = st.tuples(st.integers(0, 500), st.floats(0, 1), st.sampled_from(BMN_STATES))
bmn_tambons = st.dictionaries(
    st.sampled_from(CODES),
    st.tuples(st.booleans(), st.dictionaries(st.sampled_from([1, 8, 22]), bmn_cells, min_size=1)),
    min_size=1,
    max_size=6,
)


def _bmn_row(surveyed: int, share: float, state: str) -> tuple:
    passed = round(share * surveyed)
    if state == "row":
        return (pd.NA, pd.NA, pd.NA)
    if state == "pair":
        return (surveyed, pd.NA, pd.NA)
    return (surveyed, passed, surveyed - passed)


def _area_of(code: str, level: str, pilot: bool) -> str | None:
    if level == "pilot":
        return f"{code[:2]}-pilot" if pilot else None
    return {"tambon": code, "district": code[:4], "province": code[:2]}[level]


@SETTINGS
@given(bmn_tambons)
def test_bmn_rollup_rows_add_up_and_never_show_a_suppressed_cell_as_a_number(tambons):
    source = {
        code: {i: _bmn_row(*cells) for i, cells in rows.items()}
        for code, (_, rows) in tambons.items()
    }
    pilots = {code: pilot for code, (pilot, _) in tambons.items()}
    tables = {c: tambon_tables(c, pilot=pilots[c], bmn=source[c]) for c in source}
    rates = area_rollups.bmn_indicator_rates_by_area(tables)
    for _, out in rates.iterrows():
        counts = [out["surveyed"], out["passed"], out["failed"]]
        if not any(pd.isna(v) for v in counts):
            assert out["passed"] + out["failed"] == out["surveyed"]
        cells = [
            cells
            for code, rows in source.items()
            if _area_of(code, str(out["level"]), pilots[code]) == out["area_code"]
            for indicator, cells in rows.items()
            if indicator == out["indicator"]
        ]
        shown = [c for c in cells if not any(pd.isna(v) for v in c)]
        assert out["tambons_suppressed"] == len(cells) - len(shown)
        if shown or not cells:  # sums of published cells only
            assert counts == [sum(c[k] for c in shown) for k in range(3)]
        else:  # nothing may be summed: passed and failed stay suppressed, never 0
            assert pd.isna(out["passed"]) and pd.isna(out["failed"])
        if out["level"] == "tambon" and cells:  # a tambon row is its own cells, x kept
            assert [pd.isna(v) for v in counts] == [pd.isna(v) for v in cells[0]]


@pytest.mark.parametrize(("second", "surveyed"), [((50, pd.NA, pd.NA), 150), ((pd.NA,) * 3, pd.NA)])
def test_an_area_whose_every_tambon_is_suppressed_shows_no_passed_or_failed(second, surveyed):
    tambons = {
        "800101": tambon_tables("800101", bmn={16: (100, pd.NA, pd.NA)}),
        "800102": tambon_tables("800102", bmn={16: second}),
    }
    rates = area_rollups.bmn_indicator_rates_by_area(tambons)
    district = rates[(rates["area_code"] == "8001") & (rates["indicator"] == 16)].iloc[0]
    counts = ["surveyed", "passed", "failed", "pass_pct", "tambons_suppressed"]
    assert district[counts].tolist() == [surveyed, pd.NA, pd.NA, pd.NA, 2]
