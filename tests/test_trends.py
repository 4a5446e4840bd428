"""Change from the previous survey year and rank among the pilot tambons (issue 9, item 6):
the rules of `trends`, suppressed cells and ties, the yearly figures of `aggregate`, and the
trend chart."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_aggregate_fixtures import NA, tambon_tables

from tambon_portal.site import page_parts, svg, trend_chart
from tambon_portal.stats import aggregate as ag
from tambon_portal.stats import area_rollups, trends

RULES = trends.RULES


def _two_years(code: str, old: dict, new: dict, pilot: bool = True) -> dict[str, pd.DataFrame]:
    """A tambon surveyed in 2567 (`old` arguments of tambon_tables) and 2568 (`new`)."""
    before = tambon_tables(code, year_be=2567, pilot=pilot, **old)
    after = tambon_tables(code, year_be=2568, pilot=pilot, **new)
    tables = {k: pd.concat([before[k], after[k]], ignore_index=True) for k in after}
    for name in ("tambon", "plan", "plan_issues", "plan_projects"):
        tables[name] = after[name]
    return tables


# --- change ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "before", "now", "words", "arrow"),
    [
        ("below_line_pct", 8.1, 6.5, "ดีขึ้น 1.6 จุด", "▼"),  # fewer under the line: better
        ("below_line_pct", 6.5, 8.6, "แย่ลง 2.1 จุด", "▲"),
        ("median_income", 63_200, 64_800, "ดีขึ้น 1,600 บาท", "▲"),  # higher income: better
        ("mean_debt", 123_500, 127_700, "แย่ลง 4,200 บาท", "▲"),  # more debt: worse
        ("bmn_pass_pct", 91.2, 92.6, "ดีขึ้น 1.4 จุด", "▲"),
        ("population", 900, 930, "เพิ่มขึ้น 30 คน", "▲"),  # a size: neither better nor worse
        ("households", 300, 290, "ลดลง 10 ครัวเรือน", "▼"),
        ("debt_pct", 40.0, 40.0, "เท่าเดิม", "="),
    ],
)
def test_a_change_says_its_direction_and_whether_that_is_better(figure, before, now, words, arrow):
    change = trends.change(RULES[figure], now, before, 2568, 2567)
    assert (trends.words_th(RULES[figure], change), trends.arrow(change)) == (words, arrow)
    assert trends.since_th(change, str(before)) == f"จาก {before} ในปี 2567"


def test_a_change_of_published_rates_is_their_difference_to_one_decimal():
    change = trends.change(RULES["debt_pct"], 0.3, 0.1, 2568, 2567)
    assert change.delta == 0.2  # not 0.19999999999999998
    same = trends.change(RULES["debt_pct"], 20.1, 20.1, 2568, 2567)
    assert (same.delta, same.verdict, str(same.delta)) == (0.0, "same", "0.0")  # never -0.0


@pytest.mark.parametrize("suppressed", [None, NA, float("nan")])
def test_no_change_is_computed_from_a_suppressed_figure(suppressed):
    earlier = trends.change(RULES["below_line_pct"], 6.5, suppressed, 2568, 2567)
    later = trends.change(RULES["below_line_pct"], suppressed, 6.5, 2568, 2567)
    for change in (earlier, later):
        assert (change.status, change.delta, change.direction, trends.arrow(change)) == (
            "unpublished", None, None, "",
        )  # fmt: skip
        assert trends.since_th(change, "x") == ""
    assert trends.words_th(RULES["below_line_pct"], earlier) == (
        "ไม่แสดงการเปลี่ยนแปลง: ไม่มีตัวเลขที่เผยแพร่ได้ของปี 2567"
    )
    assert trends.words_th(RULES["below_line_pct"], later).endswith("ของปี 2568")


def test_a_figure_without_an_earlier_year_says_so():
    change = trends.change(RULES["population"], 900, None, 2568, None)
    assert (change.status, trends.words_th(RULES["population"], change)) == (
        "no_previous",
        "ไม่มีตัวเลขปีก่อนให้เทียบ",
    )


def test_every_figure_has_one_rule_and_the_map_colours_follow_it():
    for column, _, higher_is_better in page_parts.MAP_INDICATORS:
        assert higher_is_better == (RULES[column].better > 0), column
    for figure, _, _ in page_parts.CARD_FIGURES:
        assert figure in RULES


# --- the yearly figures of a tambon ----------------------------------------------------------


def test_yearly_figures_are_computed_per_survey_year_by_the_key_figure_rules():
    tables = _two_years("800101", {"below_line": 30, "median_income": 48_000},
                        {"below_line": 20, "median_income": 50_000})  # fmt: skip
    by_year = ag.tambon_figures_by_year({"800101": tables})
    assert list(by_year["year_be"]) == [2567, 2568]
    assert list(by_year["below_line_pct"]) == [30.0, 20.0]
    assert list(by_year["median_income"]) == [48_000, 50_000]
    assert "population" not in by_year  # the one-row tambon table has no earlier year
    latest = ag.key_figures({"800101": tables}).iloc[0]
    assert latest["below_line_pct"] == by_year.iloc[-1]["below_line_pct"]
    changes = trends.figure_changes(by_year, "800101", ("below_line_pct", "population"))
    assert changes["below_line_pct"].delta == -10.0
    assert changes["population"].status == "no_previous"  # the tambon table has no years


def test_a_suppressed_count_in_the_previous_year_gives_no_change():
    tables = _two_years("800101", {"below_line": NA}, {"below_line": 20})
    by_year = ag.tambon_figures_by_year({"800101": tables})
    assert pd.isna(by_year.iloc[0]["below_line_pct"])
    change = trends.figure_changes(by_year, "800101", ("below_line_pct",))["below_line_pct"]
    assert (change.status, change.delta) == ("unpublished", None)


def test_a_rate_over_fewer_than_ten_households_gives_no_change():
    tables = _two_years("800101", {"surveyed": 8, "below_line": 2}, {"below_line": 20})
    by_year = ag.tambon_figures_by_year({"800101": tables})
    change = trends.figure_changes(by_year, "800101", ("below_line_pct",))["below_line_pct"]
    assert change.status == "unpublished"


def test_a_suppressed_bmn_indicator_in_either_year_gives_no_change():
    tables = _two_years(
        "800101",
        {"bmn": {1: (100, NA, NA), 22: (100, 70, 30)}},
        {"bmn": {1: (100, 90, 10), 22: (100, 80, 20)}},
    )
    changes = trends.indicator_changes(area_rollups.bmn_rates_by_year(tables))
    assert (changes[1].status, changes[1].delta) == ("unpublished", None)
    assert (changes[22].delta, changes[22].verdict) == (10.0, "better")
    assert changes[8].status == "unpublished"  # no data in either year: nothing to compare


# --- rank ------------------------------------------------------------------------------------


def test_rank_one_is_the_best_by_the_figure_and_ties_share_the_better_rank():
    values = {"a": 5.0, "b": 7.5, "c": 7.5, "d": 9.0, "e": NA}
    lower_is_better = RULES["below_line_pct"]
    ranks = {c: trends.rank(lower_is_better, values, c) for c in values}
    assert ranks["a"] == trends.Rank(1, 4, False)
    assert ranks["b"] == ranks["c"] == trends.Rank(2, 4, True)
    assert ranks["d"] == trends.Rank(4, 4, False)  # "1224": the tie takes places 2 and 3
    assert ranks["e"] is None  # a suppressed figure has no rank and is not counted
    higher_is_better = RULES["median_income"]
    assert trends.rank(higher_is_better, values, "d") == trends.Rank(1, 4, False)
    assert trends.rank_th(ranks["b"]) == "อันดับร่วม 2 จาก 4 ตำบลนำร่อง"
    assert trends.rank_key_th(lower_is_better) == "(1 = น้อยที่สุด)"  # under the card's label


def test_sizes_and_lone_values_are_not_ranked():
    assert trends.rank(RULES["population"], {"a": 10, "b": 20}, "a") is None
    assert trends.rank(RULES["below_line_pct"], {"a": 10.0, "b": NA}, "a") is None


def test_ranks_are_among_the_pilot_tambons_of_the_same_year_with_a_published_figure():
    tambons = {
        "800101": _two_years("800101", {"below_line": 30}, {"below_line": 20}),
        "800102": _two_years("800102", {"below_line": 10}, {"below_line": 10}),
        "800103": _two_years("800103", {"below_line": 5}, {"below_line": NA}),  # suppressed
        "800201": _two_years("800201", {"below_line": 1}, {"below_line": 5}, pilot=False),
        "800202": tambon_tables("800202", below_line=90, year_be=2567),  # 2567 only
    }
    by_year = ag.tambon_figures_by_year(tambons)
    ranks = trends.figure_ranks(by_year, "800101", ("below_line_pct", "population"))
    assert ranks == {"below_line_pct": trends.Rank(2, 2, False, 2568)}
    assert trends.figure_ranks(by_year, "800103", ("below_line_pct",)) == {}
    assert trends.figure_ranks(by_year, "800201", ("below_line_pct",)) == {}  # not a pilot


# --- the trend chart -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def by_year() -> pd.DataFrame:
    tables = _two_years(
        "800101",
        {"below_line": 30, "median_income": 48_000, "with_debt": NA},
        {"below_line": 20, "median_income": 50_000, "with_debt": 40},
    )
    return ag.tambon_figures_by_year({"800101": tables})


def test_the_trend_shows_only_figures_published_in_two_or_more_years(by_year):
    frame = trends.trend_frame(by_year, "800101")
    assert "debt_pct" not in set(frame["figure"])  # 2567 suppressed: one point is no trend
    assert list(frame[frame["figure"] == "below_line_pct"]["text"]) == ["30.0", "20.0"]
    assert list(frame[frame["figure"] == "median_income"]["year_be"]) == ["2567", "2568"]


def test_the_trend_chart_says_every_value_and_change_in_its_text_alternative(by_year):
    text = trend_chart.describe_trend(trends.trend_frame(by_year, "800101"))
    assert text.startswith(
        "รายได้ต่ำกว่าเกณฑ์ (%): ปี 2567 30.0, ปี 2568 20.0 (ดีขึ้น 10.0 จุด); "
        "รายได้มัธยฐาน (บาท): ปี 2567 48,000, ปี 2568 50,000 (ดีขึ้น 2,000 บาท)"
    )


def test_the_trend_chart_fits_a_phone_unscaled_with_labels_of_12_px_or_more(by_year):
    chart = trend_chart.trend(trends.trend_frame(by_year, "800101"))
    rendered = svg.render_svg(chart)
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', rendered).group(1))
    assert width <= 350  # the content column of a 390 px phone: shown at its own size
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', rendered)]
    sizes += [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", rendered)]
    assert sizes and min(sizes) >= 12
    assert "ปี 2567" in rendered and 'role="img"' in rendered
