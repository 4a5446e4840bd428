"""Chart builders, their Thai text alternatives, and SVG rendering (Thai text, cache, spawn)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_aggregate_fixtures import small_province

from tambon_portal.core import codelists as cl
from tambon_portal.site import bmn_charts, chart_parts, chart_style, svg
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
        spec = chart.to_dict()
        assert spec["config"]["font"] == "Sarabun, sans-serif", name
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
    values = chart.to_dict()["data"]["values"]  # Altair lifts shared layer data to the top
    assert [v["label"][:3] for v in values] == ["22.", "25.", "8. ", "16.", "1. "]
    assert len(values) == area_rollups.WEAKEST_SHOWN
    assert chart.to_dict()["title"]["text"] == "ตัวชี้วัด จปฐ. ที่ผ่านเกณฑ์น้อยที่สุด 5 ข้อ"


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
    return svg.render_svg(all_charts["population_pyramid"].to_dict())


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


def test_cache_key_changes_with_the_spec_only():
    assert svg.cache_key({"a": 1, "b": 2}) == svg.cache_key({"b": 2, "a": 1})
    assert svg.cache_key({"a": 1}) != svg.cache_key({"a": 2})


def test_cache_hit_does_not_render_again(all_charts, tmp_path, monkeypatch):
    calls = []
    real = svg.render_svg

    def counting(spec):
        calls.append(spec)
        return real(spec)

    monkeypatch.setattr(svg, "render_svg", counting)
    specs = {n: all_charts[n].to_dict() for n in ("plan_by_status", "plan_by_funding_source")}
    specs["same_again"] = specs["plan_by_status"]
    first = svg.render_many(specs, tmp_path, workers=1)
    assert len(calls) == 2  # identical specs render once
    second = svg.render_many(specs, tmp_path, workers=1)
    assert len(calls) == 2
    assert first == second
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".svg", ".svg"]


def test_spawn_pool_gives_the_same_bytes_as_serial(all_charts, tmp_path):
    specs = {n: all_charts[n].to_dict() for n in ("plan_by_status", "compare_tambons")}
    pooled = svg.render_many(specs, tmp_path, workers=2)
    assert pooled == {name: svg.render_svg(spec) for name, spec in specs.items()}


def test_spec_without_validation_equals_the_validated_spec(all_charts):
    for name, chart in all_charts.items():
        assert ch.spec(chart) == chart.to_dict(validate=True), name


def test_compare_tambons_gives_tambons_with_the_same_name_their_own_bar(figures):
    twin = figures[figures["area_code"] == "800101"].assign(area_code="800301")
    chart = ch.compare_tambons(pd.concat([figures, twin]), "below_line_pct")
    labels = [v["label"] for v in ch.spec(chart)["data"]["values"]]
    assert labels == ["พรหมโลก", "ในเมือง (800101)", "ในเมือง (800301)"]


def _values(chart) -> list[dict]:
    spec = chart.to_dict()
    return spec["data"]["values"] if "data" in spec else spec["layer"][0]["data"]["values"]


def test_a_sum_of_suppressed_cells_only_is_charted_as_x_not_as_a_bar_of_zero(province, district):
    pyramid = _values(ch.population_pyramid(area_rollups.population_pyramid(district)))
    income = _values(
        ch.income_distribution(area_rollups.income_distribution(ag.subset(province, "800202")))
    )
    occupations = _values(ch.occupations(area_rollups.occupation_totals(district)))
    withheld = [
        [
            (v["age_group_th"], v["sex_th"], v["signed"])
            for v in pyramid
            if v["persons_text"] == "x"
        ],
        [(v["label_th"], v["households"]) for v in income if v["households_text"] == "x"],
        [(v["label_th"], v["sex_th"], v["value"]) for v in occupations if v["value_text"] == "x"],
    ]
    assert withheld == [
        [("80 ปีขึ้นไป", "ชาย", None)],
        [("ต่ำกว่า 30,000 บาท", None)],
        [("ประมง", "ชาย", None)],
    ]


# --- drawn for a phone -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def all_svgs(all_charts):
    return {name: svg.render_svg(ch.spec(chart)) for name, chart in all_charts.items()}


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


def _x_scale(spec: dict) -> tuple[list, str]:
    """(domain, axis title) of the pass-rate axis of a layered chart."""
    for layer in spec["layer"]:
        x = layer["encoding"].get("x", {})
        if x.get("field") == "pass_pct":
            return x["scale"]["domain"], x["title"]
    raise AssertionError("no pass-rate axis")


def test_bmn_group_rates_sit_on_an_axis_that_starts_where_they_are_and_says_so(figures):
    rates = bmn_charts.bmn_groups_frame(figures, "800101")["pass_pct"].dropna()
    domain, title = _x_scale(ch.spec(bmn_charts.bmn_groups(figures, "800101")))
    assert domain == [chart_parts.pass_rate_axis_start(rates), 100]
    assert 0 < domain[0] <= rates.min() - 2
    assert title == f"ร้อยละที่ผ่านเกณฑ์ (แกนเริ่มที่ {domain[0]} ไม่ใช่ 0)"


def test_the_weakest_indicators_sit_on_an_axis_that_starts_where_they_are(district):
    rates = area_rollups.bmn_indicator_rates(district)
    domain, title = _x_scale(ch.spec(bmn_charts.bmn_weakest(rates)))
    shown = area_rollups.rated_indicators(rates).head(area_rollups.WEAKEST_SHOWN)["pass_pct"]
    assert domain == [70, 100] and shown.min() == 76.5
    assert "แกนเริ่มที่ 70" in title


def test_each_rate_is_written_at_the_end_of_its_row(figures):
    groups = ch.spec(bmn_charts.bmn_groups(figures, "800101"))
    written = [layer for layer in groups["layer"] if layer["mark"]["type"] == "text"]
    assert written[0]["encoding"]["x"] == {"value": "width"}  # a column right of the plot
    assert written[0]["encoding"]["text"]["field"] == "rate_text"
    rates = bmn_charts.bmn_groups_frame(figures, "800101")["pass_pct"]
    texts = [v["rate_text"] for v in groups["data"]["values"]]
    assert texts == [chart_parts.thousands(r, 1) for r in rates]


def test_long_indicator_labels_wrap_at_spaces_into_lines_that_fit_the_chart():
    width = chart_style.WIDTH - chart_parts.PADDING["left"] - chart_parts.PADDING["right"]
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
    groups = ch.spec(bmn_charts.bmn_groups(figures, "800101"))
    layers = groups["layer"]
    assert all(layer["encoding"]["y"].get("axis", None) is None for layer in layers[:2])
    names = [
        layer for layer in layers if layer["encoding"].get("text", {}).get("field") == "group_th"
    ]
    assert [v["group_th"] for v in names[0]["data"]["values"]] == [g.th for g in cl.BMN_GROUPS]
    legend = layers[0]["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == 0  # never cut: wrapped at spaces if wider than the chart
    assert '"ตำบลในเมือง": ["ตำบลในเมือง"]' in legend["labelExpr"]
