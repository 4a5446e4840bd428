"""Page rendering: escaping of data text, Thai number formatting, URLs, a golden profile."""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import numpy as np
import pandas as pd
import pytest
from fixtures.tambon_package import CODE, add_previous_year, write_tambon_package

from tambon_portal.core import formatting, urls
from tambon_portal.packages import discovery, table_reader
from tambon_portal.pipeline import stages
from tambon_portal.site import page_parts, pages, profile
from tambon_portal.stats import aggregate, comparisons

GOLDEN = Path(__file__).parent / "golden" / "pages"
HOSTILE_TITLE = "<script>alert(1)</script>**x**"
HOSTILE_NAME = "[a](javascript:alert(1))"


def test_escape_text_makes_html_and_markdown_inert():
    assert formatting.escape_text(HOSTILE_TITLE) == (
        "&#60;script&#62;alert(1)&#60;/script&#62;&#42;&#42;x&#42;&#42;"
    )
    assert formatting.escape_text(HOSTILE_NAME) == "&#91;a&#93;(javascript&#58;alert(1))"
    assert formatting.escape_text(None) == ""


def test_escaped_text_renders_as_the_same_characters_through_markdown():
    html = markdown.markdown(f"<p>{formatting.escape_text(HOSTILE_TITLE + HOSTILE_NAME)}</p>")
    assert "<script" not in html and "<strong>" not in html and "<a " not in html
    assert html == (
        "<p>&#60;script&#62;alert(1)&#60;/script&#62;&#42;&#42;x&#42;&#42;"
        "&#91;a&#93;(javascript&#58;alert(1))</p>"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234567, "1,234,567"), (0, "0"), (None, "–"), (float("nan"), "–"), (12.5, "12")],
)
def test_number_uses_thousands_separators(value, expected):
    assert formatting.number(value) == expected


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, np.float64("nan"), pd.NaT], ids=repr)
def test_every_missing_value_pandas_or_numpy_makes_is_missing_true(value):
    # pd.NA != pd.NA is pd.NA and NaN != NaN is numpy.bool_: both used to read as "not missing"
    assert formatting.is_missing(value)
    assert formatting.number(value) == formatting.DASH


@pytest.mark.parametrize("value", [0, 0.0, "", "x", np.int64(3), "2568"], ids=repr)
def test_values_are_not_missing(value):
    assert not formatting.is_missing(value)


def test_percent_baht_and_buddhist_era_year():
    assert formatting.percent(23.94) == "23.9%"
    assert formatting.baht(250000.5) == "250,000 บาท"
    assert formatting.year_be(2568, with_ce=True) == "พ.ศ. 2568 (2025)"
    assert formatting.count_cell(None) == "x"
    assert formatting.thai_date("2025-09-30") == "30 กันยายน 2568"


@pytest.mark.parametrize(
    ("path", "url", "root"),
    [
        ("index.md", "", ""),
        ("tambon/800106.md", "tambon/800106/", "../../"),
        ("district/8001/index.md", "district/8001/", "../../"),
        ("plan/index.md", "plan/", "../"),
    ],
)
def test_page_urls_and_the_way_back_to_the_root(path, url, root):
    assert urls.url_of(path) == url
    assert urls.root_of(path) == root


def _profile(tmp_path: Path, edit=None) -> str:
    folder = write_tambon_package(tmp_path, edit=edit)
    tables = table_reader.load_tables(discovery.package_ref(folder))
    figures = aggregate.key_figures({CODE: tables})
    details = stages.tambon_details(tables)
    meta = {"version": "2568.1", "created": "2025-10-01", "year_be": 2568, "sample": True}
    context = profile.tambon_context(
        CODE, tables, comparisons.compare(figures, CODE), details, {}, {}, meta,
        coverages=comparisons.coverages_above(figures, CODE),
        by_year=aggregate.tambon_figures_by_year({CODE: tables}),
    )  # fmt: skip
    return profile.render_tambon(context)


def test_tambon_profile_matches_the_golden_file(tmp_path):
    rendered = _profile(tmp_path, add_previous_year)
    golden = GOLDEN / "tambon_800106.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_tambon_profile_shows_hostile_cells_as_text(tmp_path):
    def edit(tables, descriptor):
        tables["plan_projects"][1][4] = HOSTILE_TITLE
        tables["villages"][1][3] = HOSTILE_NAME

    rendered = _profile(tmp_path, edit)
    html = markdown.markdown(rendered, extensions=["md_in_html", "attr_list", "tables"])
    assert "&#60;script&#62;alert(1)&#60;/script&#62;&#42;&#42;x&#42;&#42;" in html
    assert "&#91;a&#93;(javascript&#58;alert(1))" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_profile_shows_a_suppressed_count_as_x_not_as_zero(tmp_path):
    def edit(tables, descriptor):
        tables["population"][2][4] = "x"  # female 0-4
        tables["income_brackets"][2][3] = "x"  # 30k-38k
        tables["occupations"][1][4] = "x"  # rubber, male (female: 150)

    rendered = _profile(tmp_path, edit)
    assert '<tr><th scope="row">0–4 ปี</th><td class="num">200</td><td class="num">x</td></tr>' in (
        rendered
    )
    income = next(line for line in rendered.splitlines() if "30,000–37,999" in line)
    assert income.endswith('<td class="num">x</td><td class="num">–</td></tr>')
    rubber = '<th scope="row">ทำสวนยางพารา</th><td class="num">x</td><td class="num">150</td>'
    assert f'{rubber}<td class="num">150</td></tr>' in rendered


def test_a_profile_without_persons_says_so_instead_of_a_table_of_zeros(tmp_path):
    # what `households publish` writes without a members file: no rows of persons
    def edit(tables, descriptor):
        del tables["population"][1:]
        del tables["occupations"][1:]

    rendered = _profile(tmp_path, edit)
    assert "ยังไม่มีข้อมูลประชากรตามเพศและช่วงอายุของตำบลนี้" in rendered
    assert "ยังไม่มีข้อมูลอาชีพของตำบลนี้" in rendered
    assert "ประชากรตามช่วงอายุและเพศ (คน)" not in rendered  # the table of zeros
    assert "อาชีพหลัก (คน)" not in rendered
    details = stages.tambon_details(
        table_reader.load_tables(discovery.package_ref(tmp_path / "80" / CODE))
    )
    specs, _ = stages.tambon_chart_specs(CODE, details, aggregate.key_figures({}))
    assert f"{CODE}/pyramid" not in specs and f"{CODE}/occupations" not in specs


def test_older_share_counts_persons_aged_60_and_over():
    pyramid = [
        {"age_group": "55-59", "persons": 10},
        {"age_group": "60-64", "persons": 5},
        {"age_group": "80+", "persons": 5},
        {"age_group": "0-4", "persons": None},
    ]
    assert profile.older_share(pyramid) == {"persons": 10, "total": 20, "pct": 50.0}
    assert profile.older_share([]) is None


def test_older_share_gives_no_percentage_of_fewer_than_ten_persons():
    pyramid = [{"age_group": "60-64", "persons": 3}, {"age_group": "0-4", "persons": 6}]
    assert profile.older_share(pyramid) == {"persons": 3, "total": 9, "pct": None}


def test_a_district_without_pilot_tambons_says_so_and_lists_its_tambons(tmp_path):
    folder = write_tambon_package(tmp_path)
    figures = aggregate.key_figures({CODE: table_reader.load_tables(discovery.package_ref(folder))})
    meta = {"version": "x", "created": "2025-10-01", "year_be": 2568, "sample": True}
    without = page_parts.render(
        "district.md.j2", **pages.district_context("8002", figures, {}, meta)
    )
    assert "อำเภอนี้ยังไม่มีตำบลนำร่อง" in without
    assert "ตำบลพรหมโลก · Phrom Lok · 800201" in without
    with_pilot = page_parts.render(
        "district.md.j2", **pages.district_context("8001", figures, {}, meta)
    )
    assert '<a href="../../tambon/800106/">ท่าไร่</a>' in with_pilot
    assert "อำเภอนี้ยังไม่มีตำบลนำร่อง" not in with_pilot


def test_the_weakest_indicators_of_a_profile_are_those_with_a_rate_never_a_suppressed_one(
    tmp_path,
):
    def edit(tables, descriptor):  # indicator 22, the tambon's only BMN row: pair suppressed
        tables["bmn_results"][1][5:7] = ["x", "x"]

    weakest = "<caption>ตัวชี้วัดที่ผ่านเกณฑ์น้อยที่สุด"
    rendered = _profile(tmp_path, edit)
    table = rendered[rendered.index(weakest) :].split("</table>")[0]
    assert "<td>" not in table  # no row: nothing of 22 (x) nor of indicators without data (0)
    assert "(ยังไม่มีผลที่เผยแพร่ได้)" in table
    assert "ตัวชี้วัดที่ผ่านเกณฑ์น้อยที่สุดของตำบลคือ" not in rendered
    shown = _profile(tmp_path / "published")
    table = shown[shown.index(weakest) :].split("</table>")[0]
    assert table.count("<tr><td>") == 1 and "<td>22</td>" in table
    assert "น้อยที่สุด 1 ข้อ</caption>" in table
