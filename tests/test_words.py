"""The portal's Thai as a reader meets it (issue 9, item 9): units said once, counters that
match what is counted, one label per figure, English names in one case style, and the terms
a reader may not know explained on the page that uses them."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from fixtures.tambon_package import CODE, write_tambon_package
from test_aggregate_fixtures import small_province

from tambon_portal.core import figures as key_figures
from tambon_portal.core import gazetteer
from tambon_portal.packages import discovery, table_reader
from tambon_portal.pipeline import stages
from tambon_portal.site import bmn_charts, page_parts, pages, profile
from tambon_portal.stats import aggregate, comparisons, plans

META = {"version": "2568.1", "created": "2025-10-01", "year_be": 2568, "sample": True}
PROFILE = "800101"
COMMITTED = Path(__file__).resolve().parents[1] / "datapackages"


@pytest.fixture(scope="module")
def province():
    return small_province()


@pytest.fixture(scope="module")
def figures(province):
    return aggregate.key_figures(province)


def _profile(province, figures, code: str = PROFILE) -> str:
    """A profile as the build renders it, with its charts' text alternatives."""
    details = stages.tambon_details(province[code])
    _, texts = stages.tambon_chart_specs(code, details, figures)
    own_texts = {key.split("/", 1)[1]: text for key, text in texts.items()}
    context = profile.tambon_context(
        code, province[code], comparisons.compare(figures, code), details, {}, own_texts, META
    )
    return profile.render_tambon(context)


@pytest.fixture(scope="module")
def rendered(province, figures) -> dict[str, str]:
    """Every kind of page with figures, rendered from the small province."""
    plan = plans.plan_rollup(province)
    _, plan_texts = stages.plan_chart_specs(plan)
    plan_texts = {key.split("/", 1)[1]: text for key, text in plan_texts.items()}
    return {
        "profile": _profile(province, figures),
        "district": page_parts.render(
            "district.md.j2", **pages.district_context("8001", figures, {}, META)
        ),
        "province": page_parts.render(
            "province.md.j2", **pages.province_context("80", figures, META)
        ),
        "home": page_parts.render("home.md.j2", **pages.home_context("80", figures, {}, [], META)),
        "plan": page_parts.render("plan.md.j2", **pages.plan_context(plan, META, {}, plan_texts)),
    }


# --- units and counters ----------------------------------------------------------------------

UNIT_TWICE = re.compile(r"ร้อยละ\s*[\d,.–]+\s*%")  # "ร้อยละ 49.8%"


def test_no_page_says_percent_twice_as_in_ร้อยละ_49_8_percent(rendered):
    twice = {name: UNIT_TWICE.findall(text) for name, text in rendered.items()}
    assert {name: found for name, found in twice.items() if found} == {}
    assert "ครัวเรือนที่มีหนี้สินร้อยละ 50.0 หนี้สินเฉลี่ย 100,000 บาทต่อครัวเรือนที่มีหนี้" in rendered["profile"]


def test_the_weakest_indicators_chart_counts_them_as_the_table_beside_it_does(province, figures):
    profile = _profile(province, figures)
    caption = re.search(r"<caption>ตัวชี้วัดที่ผ่านเกณฑ์น้อยที่สุด (\d+) (\S+)</caption>", profile)
    table = profile[caption.end() :].split("</table>")[0]
    chart = bmn_charts.bmn_weakest(stages.tambon_details(province[PROFILE])["bmn"])
    title = re.fullmatch(r"ตัวชี้วัด จปฐ\. ที่ผ่านเกณฑ์น้อยที่สุด (\d+) (\S+)", chart["title"]["text"])
    assert (title.group(1), title.group(2)) == (caption.group(1), caption.group(2)) == ("5", "ข้อ")
    assert chart["drawn"].count("<circle ") == table.count("<tr><td>") == 5  # one dot each


def test_each_count_of_the_weakest_indicators_says_whether_it_counts_persons_or_households(
    province, figures
):
    profile = _profile(province, figures)
    table = profile[profile.index("<caption>ตัวชี้วัดที่ผ่านเกณฑ์น้อยที่สุด") :].split("</table>")[0]
    counted = re.findall(r"<tr><td>(\d+)</td><td>[^<]*</td><td class=\"num\">([^<]*)</td>", table)
    assert counted == [("22", "900 ครัวเรือน"), ("25", "2,000 คน"), ("8", "900 ครัวเรือน"),
                       ("16", "300 คน"), ("1", "900 คน")]  # fmt: skip


def test_a_card_of_a_percentage_says_percent_once_with_its_value(rendered):
    for name in ("profile", "home"):
        cards = re.findall(r'<p class="label">([^<]*)</p>\s*<p class="value">([^<]*)</p>',
                           rendered[name])  # fmt: skip
        assert "ครัวเรือนที่มีหนี้สิน" in dict(cards), name
        assert [(label, value) for label, value in cards if "%" in label and "%" in value] == []


def test_district_and_province_summaries_put_the_counter_after_the_number(rendered):
    for name in ("district", "province"):
        assert not re.search(r"ครัวเรือน [\d,]+ ·", rendered[name]), name
    assert "ประชากร 4,600 คน · 1,500 ครัวเรือน ·" in rendered["district"]


def test_buddhist_era_years_of_projects_say_so(rendered):
    assert '<th scope="col">ปี (พ.ศ.)</th>' in rendered["profile"]
    assert 'data-label="ปี (พ.ศ.)">2568<' in rendered["profile"]


# --- one label per figure --------------------------------------------------------------------


def test_tables_and_cards_label_each_figure_as_the_figures_registry_does(rendered):
    for name in ("district", "province", "home"):
        # The figure tables (sortable); the home page's comparison table is headed by areas.
        tables = "".join(re.findall(r'<table class="sortable">.*?</table>', rendered[name], re.S))
        cells = re.findall(r'<th scope="col" class="num">(.*?)</th>', tables)
        headers = {re.sub(r"<[^>]+>", "", cell) for cell in cells}
        headers -= {"ตำบลนำร่อง", "ตำบลที่มีข้อมูล", "ตำบล", "อำเภอ", "จังหวัด"}
        assert headers and headers <= set(key_figures.HEADERS_TH.values()), name
        assert {"ประชากร (คน)", "รายได้มัธยฐาน (บาท/คน/ปี)", "มีหนี้สิน (%)"} <= headers
        # A header wraps at its spaces only, never inside a Thai word.
        assert (
            '<span class="word">รายได้มัธยฐาน</span> <span class="word">(บาท/คน/ปี)</span>'
            in (rendered[name])
        )
    for name in ("profile", "home"):
        cards = re.findall(r'<p class="label">([^<]*)</p>', rendered[name])
        assert cards and set(cards) <= {f.card_th for f in key_figures.FIGURES}, name
    mapped = ("below_line_pct", "median_income", "debt_pct", "bmn_pass_pct")
    assert [label for _, label, _ in page_parts.MAP_INDICATORS] == [
        key_figures.LABELS_TH[c] for c in mapped
    ]


# --- terms explained where they are used -----------------------------------------------------


def _section_of(text: str, index: int) -> tuple[int, int]:
    """Start and end of the "## " section of a markdown page holding `index`."""
    starts = [0, *(m.start() for m in re.finditer(r"^## ", text, re.M)), len(text)]
    start = max(s for s in starts if s <= index)
    return start, min(s for s in starts if s > index)


@pytest.mark.parametrize("name", ["profile", "district", "province", "home"])
def test_median_and_the_income_line_are_explained_where_the_page_first_uses_them(rendered, name):
    text = rendered[name]
    note = re.search(r'<p class="terms">.*?</p>', text)
    assert note is not None, name
    outside = text[: note.start()] + " " * len(note.group(0)) + text[note.end() :]
    first_uses = {term: outside.index(term) for term in ("มัธยฐาน", "ต่ำกว่าเกณฑ์")}
    # One note, read by the end of the section where each term first appears, and not before
    # the section of the first of them.
    earliest = _section_of(text, min(first_uses.values()))[0]
    for term, index in first_uses.items():
        assert earliest <= note.start() < _section_of(text, index)[1], (name, term)
    assert "<dfn>รายได้มัธยฐาน</dfn> คือรายได้ต่อคนของครัวเรือนที่อยู่ตรงกลาง" in note.group(0)
    assert "<dfn>รายได้ต่ำกว่าเกณฑ์ จปฐ.</dfn> หมายถึงรายได้เฉลี่ยต่ำกว่า 38,000 บาท" in note.group(0)


# --- English names ---------------------------------------------------------------------------


def test_english_names_are_written_in_one_case_style():
    assert gazetteer.english_name("Tha yang") == "Tha Yang"
    assert gazetteer.english_name("Lan SaKa") == "Lan Saka"
    assert gazetteer.english_name("Cha-uat") == "Cha-uat"  # one word, its syllables hyphenated
    assert gazetteer.english_name(" Mueang  Nakhon Si Thammarat ") == "Mueang Nakhon Si Thammarat"
    assert gazetteer.tambon("801101").name_en == "Tha Yang"  # the gazetteer says "Tha yang"
    assert gazetteer.district("8003").name_en == "Lan Saka"
    assert [t.name_en for t in gazetteer.tambons_of("8011") if t.code == "801101"] == ["Tha Yang"]


def test_a_profile_writes_the_tambon_english_name_in_that_style_whatever_the_data_says(tmp_path):
    def edit(tables, descriptor):
        tables["tambon"][1][4] = "tha RAI"

    folder = write_tambon_package(tmp_path, edit=edit)
    tables = table_reader.load_tables(discovery.package_ref(folder))
    figures = aggregate.key_figures({CODE: tables})
    comparison, details = comparisons.compare(figures, CODE), stages.tambon_details(tables)
    context = profile.tambon_context(CODE, tables, comparison, details, {}, {}, META)
    assert '<p class="subtitle">Tha Rai · รหัสตำบล 800106' in profile.render_tambon(context)
    assert set(figures.loc[figures["area_code"] == CODE, "name_en"]) == {"Tha Rai"}


def test_the_committed_packages_write_english_names_as_the_pages_do():
    # Their titles are shown and catalogued as they stand ("Tha yang", "Lan SaKa" were not).
    folders = sorted(p.parent for p in COMMITTED.glob("*/??????/datapackage.json"))
    assert folders
    for folder in folders:
        code = folder.name
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        assert descriptor["title_en"] == f"Community data of {gazetteer.tambon_address(code)[1]}"
        with (folder / "data" / "tambon.csv").open(encoding="utf-8") as f:
            assert [row["name_en"] for row in csv.DictReader(f)] == [gazetteer.tambon(code).name_en]
