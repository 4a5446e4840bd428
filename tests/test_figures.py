"""The key figures (core/figures): one definition each, read by every output that shows one."""

from __future__ import annotations

import pytest
from test_aggregate_fixtures import small_province

from tambon_portal.core import figures as key_figures
from tambon_portal.publish import rollup_package, tambon_api
from tambon_portal.site import page_parts, trend_chart
from tambon_portal.site.chart_style import text_width
from tambon_portal.stats import aggregate, trends

BY_COLUMN = key_figures.BY_COLUMN


def test_cards_tables_and_maps_take_their_words_from_the_figures():
    assert [c for c, _, _ in page_parts.CARD_FIGURES] == list(key_figures.CARDS)
    for column, label, kind in (*page_parts.CARD_FIGURES, *page_parts.HOME_CARDS):
        assert (label, kind) == (BY_COLUMN[column].card_th, BY_COLUMN[column].kind)
    for column, header, kind in page_parts.HOME_TABLE_COLUMNS:
        assert (header, kind) == (BY_COLUMN[column].header_th, BY_COLUMN[column].kind)
    assert [label for _, label, _ in page_parts.MAP_INDICATORS] == [
        BY_COLUMN[c].label_th for c, _, _ in page_parts.MAP_INDICATORS
    ]


@pytest.mark.parametrize("column", sorted(trends.RULES))
def test_a_trend_rule_is_the_figures_own(column):
    rule, figure = trends.RULES[column], BY_COLUMN[column]
    assert (rule.label_th, rule.digits, rule.better, rule.best_th) == (
        figure.panel_th, figure.digits, figure.better, figure.best_th
    )  # fmt: skip


@pytest.mark.parametrize("column", trends.TREND_FIGURES)
def test_a_trend_panel_names_its_figure_within_its_panel(column):
    # Why a figure has a short unit: "รายได้มัธยฐาน (บาท/คน/ปี)" is 160 px, wider than a
    # 120 px panel and the gap beside it, so the panel says "รายได้มัธยฐาน (บาท)".
    assert text_width(BY_COLUMN[column].panel_th) <= trend_chart.PANEL_WIDTH + 24


def test_the_roll_up_package_describes_a_figure_as_the_figures_do():
    for figure in key_figures.FIGURES:
        if figure.description:
            assert rollup_package.FIELD_DESCRIPTIONS[figure.column] == figure.description


def test_the_api_gives_every_figure_and_what_it_covers():
    figures = aggregate.key_figures(small_province())
    code = str(figures[figures["level"] == "tambon"].iloc[0]["area_code"])
    published = tambon_api.figures_of(figures, code, "tambon")
    assert published is not None
    assert list(published) == [*aggregate.COVERS_COLUMNS, *key_figures.COLUMNS]


def test_a_percentage_is_labelled_without_its_unit_on_a_card_and_with_it_elsewhere():
    below = BY_COLUMN["below_line_pct"]
    assert (below.card_th, below.label_th, below.header_th, below.panel_th) == (
        "ครัวเรือนรายได้ต่ำกว่าเกณฑ์ จปฐ.",
        "ครัวเรือนรายได้ต่ำกว่าเกณฑ์ จปฐ. (%)",
        "รายได้ต่ำกว่าเกณฑ์ (%)",
        "รายได้ต่ำกว่าเกณฑ์ (%)",
    )
