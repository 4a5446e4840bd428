"""Chart builders, their Thai text alternatives, and SVG rendering (Thai text, cache, spawn)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_aggregate_fixtures import small_province

from tambon_portal.core import codelists as cl
from tambon_portal.site import bmn_charts, chart_parts, chart_style, drawing, svg
from tambon_portal.site import charts as ch
from tambon_portal.stats import aggregate as ag
from tambon_portal.stats import area_rollups, plans


@pytest.fixture(scope="module")
def province():
    return small_province()


@pytest.fixture(scope="module")
def figures(province):
    return ag.key_figures(province)


@pytest.fixture(scope="module")
def district(province):
    return ag.subset(province, "8001")


@pytest.fixture(scope="module")
def all_charts(province, figures, district):
    plan = plans.plan_rollup(district)
    return {
        "population_pyramid": ch.population_pyramid(area_rollups.population_pyramid(district)),
        "bmn_groups": bmn_charts.bmn_groups(figures, "800101"),
        "bmn_weakest": bmn_charts.bmn_weakest(area_rollups.bmn_indicator_rates(district)),
        "income_distribution": ch.income_distribution(area_rollups.income_distribution(district)),
        "occupations": ch.occupations(area_rollups.occupation_totals(district)),
        "plan_by_funding_source": ch.plan_by_funding_source(plan["by_funding_source"]),
        "plan_by_status": ch.plan_by_status(plan["by_status"]),
        "compare_tambons": ch.compare_tambons(figures, "below_line_pct", highlight="800101"),
    }


def test_every_chart_has_a_thai_title_sarabun_font_and_its_description(all_charts):
    for name, chart in all_charts.items():
        spec = chart
        assert 'font-family="Sarabun, sans-serif"' in spec["drawn"].split(">", 1)[0], name
        assert spec["title"]["text"], name
        assert spec["description"], name


def test_describe_population_pyramid_gives_totals_and_suppressed_cells(district):
    text = ch.describe_population_pyramid(area_rollups.population_pyramid(district))
    assert text == (
        "ประชากร 262 คน เป็นชาย 160 คน และหญิง 102 คน; ช่วงอายุที่มีคนมากที่สุดคือ 0–4 ปี "
        "(250 คน) และผู้มีอายุ 60 ปีขึ้นไปมี 12 คน (ร้อยละ 4.6); "
        "ไม่รวม 2 ช่องที่ปกปิด (จำนวน 1–4 คน หรือช่องที่ปกปิดเพิ่มเพื่อไม่ให้คำนวณตัวเลขที่ปกปิดย้อนกลับได้)"
    )


def test_describe_bmn_groups_names_weakest_group_and_province_value(figures):
    text = bmn_charts.describe_bmn_groups(figures, "800101")
    assert text == (
        "ตำบลในเมือง ผ่านเกณฑ์ จปฐ. หมวดเศรษฐกิจและรายได้ต่ำที่สุด (ร้อยละ 80.0) "
        "และหมวดสุขภาพสูงที่สุด (ร้อยละ 97.8); ตำบลที่มีข้อมูล 4 ตำบลในจังหวัดนครศรีธรรมราช "
        "หมวดเดียวกันร้อยละ 74.1"
    )


def test_bmn_groups_compare_tambon_district_and_province(figures):
    frame = bmn_charts.bmn_groups_frame(figures, "800101")
    assert list(dict.fromkeys(frame["area_code"])) == ["800101", "8001", "80"]
    assert len(frame) == 15


def test_describe_bmn_weakest_names_the_weakest_indicator(district):
    text = bmn_charts.describe_bmn_weakest(area_rollups.bmn_indicator_rates(district))
    assert text.startswith("ตัวชี้วัดที่ผ่านเกณฑ์น้อยที่สุดคือข้อ 22 ")
    assert "(ผ่านร้อยละ 76.5, ไม่ผ่าน 324 ครัวเรือน)" in text  # 22 counts households
    assert "รองลงมาคือข้อ 25 " in text


def test_describe_bmn_weakest_counts_an_indicator_of_persons_in_persons(district):
    rates = area_rollups.bmn_indicator_rates(district)
    text = bmn_charts.describe_bmn_weakest(rates[rates["indicator"] != 22])  # 25 first: persons
    assert text.startswith("ตัวชี้วัดที่ผ่านเกณฑ์น้อยที่สุดคือข้อ 25 ")
    assert text.split(")")[0].endswith(" คน")


def test_bmn_weakest_shows_as_many_indicators_as_the_profile_table(district):
    chart = bmn_charts.bmn_weakest(area_rollups.bmn_indicator_rates(district))
    lines = [t for _, _, _, _, t in _TEXT.findall(chart["drawn"])]
    starts = [t[:3] for t in lines if re.match(r"\d+\. ", t)]  # each label's first line
    assert starts == ["22.", "25.", "8. ", "16.", "1. "]
    assert len(starts) == area_rollups.WEAKEST_SHOWN
    assert len(re.findall("<circle ", chart["drawn"])) == area_rollups.WEAKEST_SHOWN
    assert chart["title"]["text"] == "ตัวชี้วัด จปฐ. ที่ผ่านเกณฑ์น้อยที่สุด 5 ข้อ"


def test_describe_income_distribution_counts_households_below_the_line_and_suppressed_cells(
    district,
):
    text = ch.describe_income_distribution(area_rollups.income_distribution(district))
    assert text == (
        "จาก 1,376 ครัวเรือน มี 270 ครัวเรือน (ร้อยละ 19.6) มีรายได้ต่ำกว่า 38,000 บาทต่อคนต่อปี; "
        "ช่วงที่มีครัวเรือนมากที่สุดคือ 38,000–59,999 บาท (600 ครัวเรือน); "
        "ไม่รวม 1 ช่องที่ปกปิด (จำนวน 1–4 ครัวเรือน หรือช่องที่ปกปิดเพิ่มเพื่อไม่ให้คำนวณตัวเลขที่ปกปิดย้อนกลับได้)"
    )


def test_describe_occupations_gives_top_two_and_suppressed_cells(district):
    text = ch.describe_occupations(area_rollups.occupation_totals(district))
    assert text == (
        "อาชีพหลักที่มีคนทำมากที่สุดคือทำสวนยางพารา 600 คน (ร้อยละ 69.0 ของ 870 คน) "
        "รองลงมาคือค้าขาย/ธุรกิจส่วนตัว 270 คน; ไม่รวม 1 ช่องที่ปกปิด (จำนวน 1–4 คน "
        "หรือช่องที่ปกปิดเพิ่มเพื่อไม่ให้คำนวณตัวเลขที่ปกปิดย้อนกลับได้)"
    )


def test_describe_plan_charts_give_totals(district):
    plan = plans.plan_rollup(district)
    assert ch.describe_plan_by_funding_source(plan["by_funding_source"]) == (
        "โครงการตามแผน 5 โครงการ งบประมาณรวม 2,680,000 บาท; แหล่งงบประมาณที่มากที่สุดคือ"
        "หน่วยงานราชการ 2,000,000 บาท (ร้อยละ 74.6)"
    )
    assert ch.describe_plan_by_status(plan["by_status"]) == (
        "จาก 5 โครงการ เสร็จสิ้นแล้ว 2 โครงการ (ร้อยละ 40.0) และกำลังดำเนินการ 1 โครงการ"
    )


def test_describe_compare_tambons_gives_range_and_rank(figures):
    text = ch.describe_compare_tambons(figures, "below_line_pct", highlight="800101")
    assert text == (
        "ครัวเรือนรายได้ต่ำกว่าเกณฑ์ จปฐ. (%) ของ 2 ตำบล: สูงสุดคือตำบลพรหมโลก (30.0) "
        "ต่ำสุดคือตำบลในเมือง (10.0); ตำบลในเมือง (10.0) อยู่ลำดับที่ 2 จาก 2"
    )


def test_text_alternatives_give_no_percentage_of_fewer_than_ten_households():
    frame = pd.DataFrame(
        {"label_th": ["ต่ำ", "สูง"], "below_line": [True, False], "households": [3, 6]}
    )
    assert ch.describe_income_distribution(frame) == (
        "จาก 9 ครัวเรือน มี 3 ครัวเรือน (ร้อยละ –) มีรายได้ต่ำกว่า 38,000 บาทต่อคนต่อปี; "
        "ช่วงที่มีครัวเรือนมากที่สุดคือ สูง (6 ครัวเรือน)"
    )
    assert (chart_parts.share(3, 9), chart_parts.share(3, 10)) == ("–", "30.0")


def test_thousands_separator_and_missing_value():
    assert chart_parts.thousands(1234567) == "1,234,567"
    assert chart_parts.thousands(1234.56, 1) == "1,234.6"
    assert chart_parts.thousands(None) == "–"


# --- SVG -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pyramid_svg(all_charts):
    return svg.render_svg(all_charts["population_pyramid"])


def test_svg_keeps_thai_as_text_including_sara_am(pyramid_svg):
    # "จำนวนคน" carries ำ (U+0E33), which PNG renderers mis-draw; SVG keeps it as text.
    assert ">จำนวนคน (ชาย ← → หญิง)</text>" in pyramid_svg
    assert ">ประชากรตามเพศและช่วงอายุ</text>" in pyramid_svg
    assert 'font-family="Sarabun, sans-serif"' in pyramid_svg


def test_svg_is_inline_ready_with_role_and_aria_label(pyramid_svg, district):
    assert pyramid_svg.startswith("<svg ")
    assert 'role="img"' in pyramid_svg.split(">", 1)[0]
    label = ch.describe_population_pyramid(area_rollups.population_pyramid(district))
    assert f'aria-label="{label}"' in pyramid_svg.split(">", 1)[0]


def test_make_inline_strips_prolog_and_prefixes_ids():
    raw = (
        '<?xml version="1.0" encoding="utf-8"?>\n<svg width="1" role="graphics-document">'
        '<clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/></svg>'
    )
    assert svg.make_inline(raw, 'a "b"', "c9") == (
        '<svg width="1" role="img" aria-label="a &quot;b&quot;">'
        '<clipPath id="c9-clip1"/><g clip-path="url(#c9-clip1)"/><use href="#c9-clip1"/></svg>'
    )


def test_render_many_gives_each_chart_its_inline_svg_in_the_order_given(all_charts):
    specs = {n: all_charts[n] for n in ("plan_by_status", "compare_tambons")}
    rendered = svg.render_many(specs)
    assert list(rendered) == ["plan_by_status", "compare_tambons"]
    assert all(s.startswith("<svg ") and 'role="img"' in s for s in rendered.values())


def test_a_chart_is_drawn_to_the_same_bytes_every_time(province, figures, district):
    # an unchanged tambon's page must not change between builds (incremental = clean)
    again = ch.population_pyramid(area_rollups.population_pyramid(district))
    assert again == ch.population_pyramid(area_rollups.population_pyramid(district))
    assert bmn_charts.bmn_groups(figures, "800101") == bmn_charts.bmn_groups(figures, "800101")


def test_a_spec_that_was_not_drawn_is_refused_not_rendered_empty():
    with pytest.raises(ValueError, match="not a drawn chart"):
        svg.render_svg({"mark": "bar", "description": "a Vega-Lite spec"})


_TEXT = re.compile(
    r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)"[^>]*fill="([^"]+)">([^<]*)</text>'
)
_RECT = re.compile(
    r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="([^"]+)"/>'
)


def _rows(drawn: str) -> dict[str, dict]:
    """What a drawn bar chart shows in each row, by its label: the bars' (x, width, colour),
    and the other texts on the row's line (value column, suppressed marks) as (x, text,
    colour)."""
    texts = [(float(x), float(y), a, f, t) for x, y, a, f, t in _TEXT.findall(drawn)]
    rects = [(float(x), float(y), float(w), float(h), f) for x, y, w, h, f in _RECT.findall(drawn)]
    rows = {}
    for x, y, anchor, _, label in texts:
        if anchor != "end" or label == "x":
            continue
        band = [r for r in rects if r[1] < y < r[1] + r[3] + 2 and r[2] < 300]
        rows[label] = {
            "bars": [(r[0], r[2], r[4]) for r in band],
            "texts": [
                (tx, t, f) for tx, ty, a, f, t in texts if ty == y and tx > x - 1 and t != label
            ],
        }
    return rows


def test_compare_tambons_gives_tambons_with_the_same_name_their_own_bar(figures):
    twin = figures[figures["area_code"] == "800101"].assign(area_code="800301")
    chart = ch.compare_tambons(pd.concat([figures, twin]), "below_line_pct")
    rows = _rows(chart["drawn"])
    assert list(rows) == ["พรหมโลก", "ในเมือง (800101)", "ในเมือง (800301)"]
    assert all(len(row["bars"]) == 1 for row in rows.values())


def test_a_sum_of_suppressed_cells_only_is_charted_as_x_not_as_a_bar_of_zero(province, district):
    pyramid = _rows(ch.population_pyramid(area_rollups.population_pyramid(district))["drawn"])
    income = _rows(
        ch.income_distribution(area_rollups.income_distribution(ag.subset(province, "800202")))[
            "drawn"
        ]
    )
    occupations = _rows(ch.occupations(area_rollups.occupation_totals(district))["drawn"])
    male = chart_parts.SEX_COLOURS["ชาย"]

    def marked(rows):  # (row, colour of the x) of every cell written x
        return [(label, f) for label, row in rows.items() for _, t, f in row["texts"] if t == "x"]

    assert marked(pyramid) == [("80 ปีขึ้นไป", male)]
    assert male not in [c for _, _, c in pyramid["80 ปีขึ้นไป"]["bars"]]  # no bar for the men
    assert [t for _, t, _ in income["ต่ำกว่า 30,000 บาท"]["texts"]] == ["x"]  # value column
    assert income["ต่ำกว่า 30,000 บาท"]["bars"] == []
    assert marked(occupations) == [("ประมง", male)]
    assert male not in [c for _, _, c in occupations["ประมง"]["bars"]]
    every = [b for rows in (pyramid, income, occupations) for r in rows.values() for b in r["bars"]]
    assert all(width > 0 for _, width, _ in every)


# --- drawn for a phone -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def all_svgs(all_charts):
    return {name: svg.render_svg(chart) for name, chart in all_charts.items()}


def test_every_chart_is_drawn_340_px_wide_so_a_390_px_phone_shows_it_unscaled(all_svgs):
    # The page column of a 390 px phone is 358 px: a chart no wider is never scaled down.
    widths = {
        name: re.search(r'<svg[^>]* width="([\d.]+)"', s).group(1) for name, s in all_svgs.items()
    }
    assert set(widths.values()) == {"340"}, widths


def test_every_text_of_every_chart_is_at_least_12_px(all_svgs):
    for name, drawn in all_svgs.items():
        sizes = {float(size) for size in re.findall(r'font-size="([\d.]+)px"', drawn)}
        assert sizes and min(sizes) >= 12, (name, sorted(sizes))


def test_pass_rate_axis_starts_at_a_multiple_of_5_at_least_2_points_under_the_lowest_rate():
    assert chart_parts.pass_rate_axis_start([90.1, 97.5]) == 85
    assert chart_parts.pass_rate_axis_start([92.0, None, pd.NA]) == 90
    assert chart_parts.pass_rate_axis_start([85.8]) == 80
    assert chart_parts.pass_rate_axis_start([100.0, 100.0]) == 95  # five points at least
    assert chart_parts.pass_rate_axis_start([3.0, 50.0]) == 0
    assert chart_parts.pass_rate_axis_start([]) == 0
    assert chart_parts.pass_rate_ticks(85) == [85, 90, 95, 100]
    assert chart_parts.pass_rate_ticks(60) == [60, 70, 80, 90, 100]


def _axis(drawn: str) -> tuple[list[str], str]:
    """(tick labels, title) of a drawn chart's x axis: the texts centred under the plot."""
    centred = [t for _, _, anchor, _, t in _TEXT.findall(drawn) if anchor == "middle"]
    return centred[:-1], centred[-1]


def test_bmn_group_rates_sit_on_an_axis_that_starts_where_they_are_and_says_so(figures):
    rates = bmn_charts.bmn_groups_frame(figures, "800101")["pass_pct"].dropna()
    start = chart_parts.pass_rate_axis_start(rates)
    ticks, title = _axis(bmn_charts.bmn_groups(figures, "800101")["drawn"])
    assert ticks == [str(t) for t in chart_parts.pass_rate_ticks(start)]
    assert ticks[0] == str(start) and ticks[-1] == "100"
    assert 0 < start <= rates.min() - 2
    assert title == f"ร้อยละที่ผ่านเกณฑ์ (แกนเริ่มที่ {start} ไม่ใช่ 0)"


def test_the_weakest_indicators_sit_on_an_axis_that_starts_where_they_are(district):
    rates = area_rollups.bmn_indicator_rates(district)
    ticks, title = _axis(bmn_charts.bmn_weakest(rates)["drawn"])
    shown = area_rollups.rated_indicators(rates).head(area_rollups.WEAKEST_SHOWN)["pass_pct"]
    assert ticks[0] == "70" and shown.min() == 76.5
    assert "แกนเริ่มที่ 70" in title


def test_each_rate_is_written_at_the_end_of_its_row(figures):
    drawn = bmn_charts.bmn_groups(figures, "800101")["drawn"]
    frame = bmn_charts.bmn_groups_frame(figures, "800101")
    groups = [g.code for g in cl.BMN_GROUPS]
    frame["group_order"] = [groups.index(g) for g in frame["group"]]
    rates = frame.sort_values(["group_order", "order"], kind="stable")["pass_pct"]  # as drawn
    written = [(float(x), t) for x, _, anchor, _, t in _TEXT.findall(drawn) if anchor == "start"]
    column = [(x, t) for x, t in written if t in {chart_parts.rate_text(r) for r in rates}]
    assert [t for _, t in column] == [chart_parts.thousands(r, 1) for r in rates]
    assert len({x for x, _ in column}) == 1  # one column, right of the plot
    dots = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', drawn)]
    assert min(x for x, _ in column) > max(dots)


def test_long_indicator_labels_wrap_at_spaces_into_lines_that_fit_the_chart():
    width = chart_style.WIDTH - drawing.PADDING["left"] - drawing.PADDING["right"]
    for indicator in cl.BMN_INDICATORS:
        label = f"{indicator.number}. {indicator.th}"
        lines = chart_style.wrap_label(label, width)
        assert " ".join(lines) == label
        # A line is wider only when it is one phrase, with no space to break at (5., 16.).
        too_wide = [line for line in lines if chart_style.text_width(line) > width]
        assert all(re.fullmatch(r"(\d+\. )?\S+", line) for line in too_wide), too_wide
        assert not any(re.fullmatch(r"\d+\.", line) for line in lines), lines
    assert chart_style.wrap_label("22. คนในครัวเรือนมีรายได้เฉลี่ยไม่น้อยกว่า 38,000 บาทต่อคนต่อปี", width) == [
        "22. คนในครัวเรือนมีรายได้เฉลี่ยไม่น้อยกว่า 38,000",
        "บาทต่อคนต่อปี",
    ]


def test_group_names_are_written_above_their_rows_so_the_long_coverage_names_have_the_width(
    figures,
):
    drawn = bmn_charts.bmn_groups(figures, "800101")["drawn"]
    bold = re.findall(r'font-weight="bold" fill="[^"]+">([^<]*)</text>', drawn)
    assert bold[1:] == [g.th for g in cl.BMN_GROUPS]  # the first is the title
    texts = _TEXT.findall(drawn)
    assert not [t for _, _, anchor, _, t in texts if anchor == "end"]  # no label column
    left = {float(x) for x, _, _, _, t in texts if t in {g.th for g in cl.BMN_GROUPS}}
    assert left == {drawing.PADDING["left"]}
    # the legend's long coverage names are never cut: every word of each is written
    legend = " ".join(t for _, _, _, _, t in texts)
    for area in bmn_charts.bmn_groups_frame(figures, "800101")["area_th"].unique():
        assert all(word in legend for word in area.split(" ")), area
