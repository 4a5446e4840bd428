"""District and province figures say what they cover (issue 9, item 2).

Unit tests of the coverage counts against the gazetteer and of the words (`coverage`), and a
small built site searched for a partial sum named by its area alone.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from fixtures.tambon_package import CODE, add_previous_year, write_tambon_package
from test_aggregate_fixtures import small_province, tambon_tables

from tambon_portal.core import coverage, gazetteer
from tambon_portal.pipeline import build, stages
from tambon_portal.site import page_parts, pages, profile
from tambon_portal.stats import aggregate as ag
from tambon_portal.stats import comparisons

COMMITTED = Path(__file__).resolve().parents[1] / "datapackages"


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return ag.key_figures(small_province())


def _row(figures: pd.DataFrame, code: str) -> pd.Series:
    return figures[figures["area_code"] == code].iloc[0]


def _counts(figures: pd.DataFrame, code: str) -> tuple[int, int, int]:
    row = _row(figures, code)
    return (row["tambons_with_data"], row["pilots_with_data"], row["tambons_in_area"])


# --- the counts ------------------------------------------------------------------------------


def test_area_rows_count_tambons_with_data_against_the_gazetteer(figures):
    assert len(gazetteer.tambons_of("8001")) == 16
    assert len(gazetteer.tambons_of("8002")) == 5
    assert len(gazetteer.tambons_of_province("80")) == 170
    assert _counts(figures, "8001") == (2, 2, 16)
    assert _counts(figures, "8002") == (2, 1, 5)  # 800201 has data but is not a pilot
    assert _counts(figures, "80") == (4, 3, 170)
    assert _counts(figures, "80-pilot") == (3, 3, 3)  # the pilot set: every pilot package
    assert _counts(figures, "800201") == (1, 0, 1)


def test_a_package_without_data_is_in_the_area_but_not_counted_as_covered():
    tambons = small_province()
    empty = tambon_tables("800103")
    tambons["800103"] = {"tambon": empty["tambon"]}  # listed, nothing published yet
    figures = ag.key_figures(tambons)
    assert _counts(figures, "8001") == (2, 2, 16)
    assert _counts(figures, "800103") == (0, 0, 1)


@pytest.mark.skipif(not (COMMITTED / "80").is_dir(), reason="pilot packages not generated")
def test_the_pilot_data_covers_60_of_the_170_tambons_of_province_80():
    figures = ag.key_figures(stages.load(COMMITTED).tambons)
    districts = figures[figures["level"] == "district"]
    assert _counts(figures, "80") == (60, 60, 170)
    assert int(districts["tambons_with_data"].sum()) == 60
    assert len(districts) == 23 and int(districts["tambons_in_area"].sum()) == 170
    assert _counts(figures, "8001") == (3, 3, 16)
    assert _row(figures, "8001")["covers_th"] == "ตำบลนำร่อง 3 จาก 16 ตำบลในอำเภอเมืองนครศรีธรรมราช"


# --- the words -------------------------------------------------------------------------------


def test_a_partial_sum_is_named_by_its_tambons_never_by_the_area_alone(figures):
    district = coverage.of_row(_row(figures, "8001").to_dict())
    assert coverage.name_th(district) == "ตำบลนำร่อง 2 ตำบลในอำเภอเมืองนครศรีธรรมราช"
    assert coverage.name_en(district) == "2 pilot tambons of Mueang Nakhon Si Thammarat District"
    assert coverage.share_th(district) == "2 จาก 16 ตำบล"
    assert coverage.share_en(district) == "2 of 16 tambons"
    assert coverage.short_th(district) == "ตำบลนำร่องในอำเภอ"
    assert _row(figures, "8001")["covers_en"] == (
        "2 pilot tambons of the 16 in Mueang Nakhon Si Thammarat District"
    )


def test_tambons_with_data_that_are_not_all_pilots_are_not_called_pilot_tambons(figures):
    assert _row(figures, "8002")["covers_th"] == "ตำบลที่มีข้อมูล 2 จาก 5 ตำบลในอำเภอพรหมคีรี"
    assert _row(figures, "80")["covers_en"] == (
        "4 tambons with data of the 170 in Nakhon Si Thammarat Province"
    )
    province = coverage.of_row(_row(figures, "80").to_dict())
    assert coverage.reference_th(province) == "ตำบลที่มีข้อมูลในจังหวัด"


def test_an_area_whose_every_tambon_has_data_is_named_by_the_area():
    tambons = {t.code: tambon_tables(t.code) for t in gazetteer.tambons_of("8002")}
    row = _row(ag.key_figures(tambons), "8002")
    assert (row["tambons_with_data"], row["tambons_in_area"]) == (5, 5)
    assert (row["covers_th"], row["covers_en"]) == (
        "อำเภอพรหมคีรี ครบทั้ง 5 ตำบล",
        "Phrom Khiri District, all 5 tambons",
    )
    cov = coverage.of_row(row.to_dict())
    assert (coverage.name_th(cov), coverage.short_th(cov)) == ("อำเภอพรหมคีรี", "ทั้งอำเภอ")
    assert coverage.partial_note([cov]) is None


def test_an_area_the_gazetteer_does_not_know_has_no_share_of_a_whole():
    cov = coverage.Coverage("district", "8099", "8099", 2, 2, None)
    assert not cov.complete
    assert (coverage.share_th(cov), coverage.covers_th(cov)) == (
        "2 ตำบล",
        "ตำบลนำร่อง 2 ตำบลในอำเภอ8099",
    )


def test_the_note_names_each_partial_level_and_its_share(figures):
    covs = comparisons.coverages_above(figures, "800101")
    note = coverage.partial_note(covs.values())
    assert note == {
        "th": "ตัวเลขของอำเภอและจังหวัดเป็นผลรวมเฉพาะตำบลที่มีข้อมูล "
        "(อำเภอ 2 จาก 16 ตำบล · จังหวัด 4 จาก 170 ตำบล) ไม่ใช่ตัวเลขของทั้งอำเภอหรือทั้งจังหวัด",
        "en": "The district and province figures add up only the tambons with data "
        "(district: 2 of 16 tambons, province: 4 of 170 tambons), not the whole district or "
        "the whole province.",
    }


def test_the_comparison_sentence_names_what_the_province_figure_covers(figures):
    assert comparisons.comparison_sentence(30.0, 19.3, "below_line_pct", "ตำบลนำร่องในจังหวัด") == (
        "สูงกว่าค่าของตำบลนำร่องในจังหวัดราวร้อยละ 60"
    )
    assert comparisons.comparison_sentence(50_000, 51_000, "median_income", "จังหวัด") == (
        "ใกล้เคียงกับจังหวัด"
    )
    assert comparisons.compare(figures, "800101")["median_income"]["sentence_th"] == (
        "ใกล้เคียงกับตำบลที่มีข้อมูลในจังหวัด"
    )


# --- pages -----------------------------------------------------------------------------------

META = {"version": "x", "created": "2025-10-01", "year_be": 2568, "sample": True}


def test_profile_cards_label_district_and_province_by_what_they_cover(figures):
    comparison = comparisons.compare(figures, "800101")
    cards = profile.key_figure_cards(comparison, comparisons.coverages_above(figures, "800101"))
    population = next(c for c in cards if c["figure"] == "population")
    assert population["areas"] == [
        {"level": "district", "label": "ตำบลนำร่องในอำเภอ", "share": "2 จาก 16 ตำบล",
         "value": "4,600"},
        {"level": "province", "label": "ตำบลที่มีข้อมูลในจังหวัด", "share": "4 จาก 170 ตำบล",
         "value": "8,000"},
    ]  # fmt: skip


def test_home_drops_the_province_column_when_it_adds_up_the_same_tambons_as_the_pilots():
    pilots_only = {c: t for c, t in small_province().items() if c != "800201"}
    home = page_parts.render(
        "home.md.j2", **pages.home_context("80", ag.key_figures(pilots_only), {}, [], META)
    )
    assert "ตำบลนำร่องเทียบกับทั้งจังหวัด" not in home
    assert '<th scope="col" class="num">จังหวัด</th>' not in home
    assert "ตัวเลขรวมของตำบลนำร่อง 3 จาก 170 ตำบลในจังหวัดนครศรีธรรมราช" in home


def test_home_compares_pilots_with_all_tambons_with_data_under_their_own_names(figures):
    home = page_parts.render("home.md.j2", **pages.home_context("80", figures, {}, [], META))
    header = (
        '<th scope="col" class="num">ตำบลนำร่องทั้ง 3 ตำบล</th>'
        '<th scope="col" class="num">ตำบลที่มีข้อมูล 4 ตำบลในจังหวัดนครศรีธรรมราช</th>'
    )
    assert header in home


def test_district_and_province_pages_say_what_their_totals_cover(figures):
    district = page_parts.render(
        "district.md.j2", **pages.district_context("8001", figures, {}, META)
    )
    assert "รวมตำบลนำร่อง 2 จาก 16 ตำบลในอำเภอเมืองนครศรีธรรมราช: ประชากร 4,600 คน" in district
    assert "รวมทั้งอำเภอ" not in district
    province = page_parts.render("province.md.j2", **pages.province_context("80", figures, META))
    assert "รวมตำบลที่มีข้อมูล 4 จาก 170 ตำบลในจังหวัดนครศรีธรรมราช: ประชากร 8,000 คน" in province
    assert '<td class="num" data-sort="2">2 จาก 16 ตำบล</td>' in province


# --- the built site --------------------------------------------------------------------------


class _Text(HTMLParser):
    """Visible text of a page (scripts and styles left out, chart text included), the text of
    each SVG <text> and of each header cell of a numeric column."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.svg_texts: list[str] = []
        self.num_headers: list[str] = []
        self._hidden = 0  # inside script/style
        self._collect: list[str] | None = None  # the list whose last item is being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "text":
            self.svg_texts.append("")
            self._collect = self.svg_texts
        elif tag == "th" and "num" in (dict(attrs).get("class") or "").split():
            self.num_headers.append("")
            self._collect = self.num_headers

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1
        elif tag in ("text", "th"):
            self._collect = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.parts.append(data)
        if self._collect is not None:
            self._collect[-1] += data


def _read(page: Path) -> _Text:
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


# A level word followed by a number in one text node is an area figure without its coverage
# ("อำเภอ 900 · จังหวัด 900"), unless it is a code ("รหัสจังหวัด 80") or a share ("อำเภอ 1 จาก
# 16 ตำบล"). Per text node: a table row "จังหวัด | 0 | 0" (a funding source) is no figure.
UNQUALIFIED_FIGURE = re.compile(r"(?<!รหัส)(?:อำเภอ|จังหวัด)\s*\d[\d,.]*%?(?![\d,.%])(?!\s*จาก)")
UNQUALIFIED_WORDS = ("ค่าของจังหวัด", "ค่ากลางของจังหวัด", "ใกล้เคียงกับจังหวัด", "รวมทั้งอำเภอ",
                     "เทียบกับทั้งจังหวัด")  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("coverage")
    data = base / "datapackages"
    write_tambon_package(data, edit=add_previous_year)
    out = base / "out" / "site"
    build.build_site(data, out)
    return out


def test_no_built_page_names_a_partial_sum_by_its_area_alone(site):
    pages_html = sorted(site.rglob("*.html"))
    assert len(pages_html) > 20
    district, province = gazetteer.district("8001"), gazetteer.province("80")
    area_names = {f"อำเภอ{district.name_th}", f"จังหวัด{province.name_th}"}
    problems = []
    for page in pages_html:
        found, name = _read(page), str(page.relative_to(site))
        for part in found.parts:
            problems += [(name, m.group()) for m in UNQUALIFIED_FIGURE.finditer(part)]
            problems += [(name, w) for w in UNQUALIFIED_WORDS if w in part]
        problems += [(name, h) for h in found.num_headers if h.strip() in ("อำเภอ", "จังหวัด")]
        problems += [(name, t) for t in found.svg_texts if t.strip() in area_names]
    assert problems == []


def test_the_profile_cards_of_the_built_site_say_their_coverage(site):
    html = (site / "tambon" / CODE / "index.html").read_text(encoding="utf-8")
    assert html.count('<dt>ตำบลนำร่องในอำเภอ <span class="share">(1 จาก 16 ตำบล)</span></dt>') == 7
    assert html.count('<dt>ตำบลนำร่องในจังหวัด <span class="share">(1 จาก 170 ตำบล)</span></dt>') == 7
    assert "ไม่ใช่ตัวเลขของทั้งอำเภอหรือทั้งจังหวัด" in html


def _rollup_key_figures(site: Path) -> list[dict[str, str]]:
    (path,) = site.glob("downloads/*rollups*/key_figures.csv")
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_rollup_package_says_what_each_area_row_covers(site):
    rows = {r["area_code"]: r for r in _rollup_key_figures(site)}
    district = rows["8001"]
    assert (district["tambons_with_data"], district["tambons_in_area"]) == ("1", "16")
    assert district["covers_th"] == "ตำบลนำร่อง 1 จาก 16 ตำบลในอำเภอเมืองนครศรีธรรมราช"
    (bundle,) = site.glob("downloads/*rollups*/*rollups.zip")
    with zipfile.ZipFile(bundle) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
    fields = {
        f["name"]: f.get("description", "")
        for r in descriptor["resources"]
        if r["name"] == "key_figures"
        for f in r["schema"]["fields"]
    }
    assert "not over the whole area" in fields["tambons_with_data"]
    assert "tambons_with_data = tambons_in_area" in fields["tambons_in_area"]


def test_the_json_api_says_what_district_and_province_figures_cover(site):
    profile = json.loads((site / "api" / "v1" / "tambons" / f"{CODE}.json").read_text("utf-8"))
    province = profile["figures"]["province"]
    assert (province["tambons_with_data"], province["tambons_in_area"]) == (1, 170)
    assert province["covers_en"] == "1 pilot tambon of the 170 in Nakhon Si Thammarat Province"
