"""The home page's tile-free map: tambon centroids as dots, pilot tambons coloured and linked."""

from __future__ import annotations

from tambon_portal import centroid_map


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
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert '<a href="tambon/800102/" aria-label="ตำบล&lt;b&gt;ท่าวัง&lt;/b&gt;: 12.5">' in svg
    assert 'aria-label="ตำบลในเมือง: ไม่มีข้อมูล"' in svg
    assert svg.count("<circle") == 166
    assert "<b>" not in svg
