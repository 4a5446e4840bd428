"""The home page's tile-free map: tambon centroids as dots, pilot tambons coloured and linked."""

from __future__ import annotations

import re

from tambon_portal.site import centroid_map


def test_centroids_of_province_80_come_from_the_copied_reference_rows():
    points = centroid_map.province_centroids("80")
    assert len(points) == 166  # 170 tambons, 4 without coordinates in thai-province-data
    tha_wang = next(p for p in points if p.code == "800102")
    assert (tha_wang.name_th, tha_wang.lat, tha_wang.lon) == ("ท่าวัง", 8.449, 99.961)


def test_class_breaks_are_equal_count_upper_bounds():
    assert centroid_map.class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [2, 4, 6, 8, 10]
    assert centroid_map.class_breaks([]) == []


def test_darker_means_needs_attention_whichever_way_the_indicator_points():
    breaks = [2.0, 4.0, 6.0, 8.0, 10.0]
    assert centroid_map.colour_of(9, breaks, higher_is_better=False) == "#08519c"
    assert centroid_map.colour_of(9, breaks, higher_is_better=True) == "#deebf7"
    assert centroid_map.colour_of(1, breaks, higher_is_better=True) == "#08519c"


def test_map_links_pilot_tambons_and_escapes_their_names():
    svg = centroid_map.map_svg(
        {"800102": 12.5, "800101": None},
        {"800102": "<b>ท่าวัง</b>", "800101": "ในเมือง"},
        {"800102": "tambon/800102/", "800101": "tambon/800101/"},
        "ครัวเรือนรายได้ต่ำกว่าเกณฑ์ (%)",
        higher_is_better=False,
        province_code="80",
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert '<a href="tambon/800102/" aria-label="ตำบล&lt;b&gt;ท่าวัง&lt;/b&gt;: 12.5">' in svg
    assert 'aria-label="ตำบลในเมือง: ไม่มีข้อมูล"' in svg
    assert svg.count("<circle") == 166 + 2  # the tambons, and two dots of the legend
    assert "<b>" not in svg


def _map(values: dict) -> str:
    return centroid_map.map_svg(
        values,
        {},
        {},
        "ครัวเรือนรายได้ต่ำกว่าเกณฑ์ จปฐ. (%)",
        higher_is_better=False,
        province_code="80",
    )


def test_the_map_is_drawn_340_px_wide_with_its_legend_text_13_px_so_a_phone_shows_it_1_to_1():
    svg = _map({"800102": 12.5, "800101": 30.0, "800103": None})
    assert re.match(r'<svg [^>]*viewBox="0 0 340 \d+" width="340"', svg)
    sizes = set(re.findall(r'<text [^>]*font-size="([\d.]+)"', svg))
    assert sizes == {"13"}
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert texts[:2] == ["ครัวเรือนรายได้ต่ำกว่าเกณฑ์ จปฐ. (%)", "สีเข้มกว่า = น่าห่วงกว่า"]
    assert texts[-2:] == ["ไม่มีข้อมูล", "ไม่ใช่ตำบลนำร่อง"]


def test_a_pilot_without_a_value_is_a_dashed_ring_unlike_the_lightest_class():
    svg = _map({"800102": 12.5, "800101": None})
    without = re.search(r'aria-label="ตำบลในเมือง: ไม่มีข้อมูล"><circle [^>]*>', svg).group(0)
    assert 'fill="#ffffff"' in without and "stroke-dasharray" in without
    with_value = re.search(r'aria-label="ตำบลท่าวัง: 12.5"><circle [^>]*>', svg).group(0)
    assert "stroke-dasharray" not in with_value


def test_legend_entries_run_from_low_to_high_then_no_data_and_the_other_tambons():
    entries = centroid_map.legend_entries([2.0, 4.0], False, "{:,.1f}")
    assert [(kind, text) for kind, _, text in entries] == [
        ("class", "≤ 2.0"), ("class", "2.0–4.0"), ("no_data", "ไม่มีข้อมูล"),
        ("other", "ไม่ใช่ตำบลนำร่อง"),
    ]  # fmt: skip


def test_every_province_has_centroids_and_a_map_of_its_own_tambons():
    for code in ("50", "80", "96"):
        points = centroid_map.province_centroids(code)
        assert points and all(p.code.startswith(code) for p in points)
    assert centroid_map.province_centroids("10") == ()  # Bangkok: none in the source
    assert centroid_map.map_svg({}, {}, {}, "x", higher_is_better=False, province_code="10") == ""
    svg = centroid_map.map_svg({"960101": 3.0}, {}, {}, "x", higher_is_better=False,
                               province_code="96")  # fmt: skip
    assert svg.count("<circle") == len(centroid_map.province_centroids("96")) + 2


def test_repeated_bounds_of_small_counts_make_one_class_each_and_keep_the_darkest_colour():
    breaks = centroid_map.class_breaks([1, 1, 1, 1, 2, 2, 3, 4])
    assert breaks == [1, 2, 3, 4]
    assert centroid_map.colour_of(4, breaks, higher_is_better=False) == "#08519c"
    assert centroid_map.colour_of(1, breaks, higher_is_better=False) == "#deebf7"
    entries = centroid_map.legend_entries(breaks, False, "{:,.0f}")
    assert [text for kind, _, text in entries if kind == "class"] == ["≤ 1", "1–2", "2–3", "3–4"]
