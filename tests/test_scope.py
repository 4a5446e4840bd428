"""`core.scope`: what a portal covers comes from its tambon packages, and every output names
that area the same way."""

from __future__ import annotations

from tambon_portal.core import gazetteer, scope


def test_one_province_is_named_as_the_province():
    area = scope.of_tambons(["800106", "800114"])
    assert area.provinces == ("80",)
    assert (area.short_th, area.area_th, area.area_en) == (
        "นครศรีธรรมราช", "จังหวัดนครศรีธรรมราช", "Nakhon Si Thammarat")  # fmt: skip
    assert area.after_th("ข้อมูลรวม") == "ข้อมูลรวมจังหวัดนครศรีธรรมราช"


def test_several_provinces_are_counted_and_a_number_is_not_glued_to_a_thai_word():
    area = scope.of_tambons(["960101", "800106", "800114"])
    assert area.provinces == ("80", "96")
    assert (area.short_th, area.area_th, area.area_en) == ("2 จังหวัด", "2 จังหวัด", "2 provinces")
    assert area.after_th("ข้อมูลรวม") == "ข้อมูลรวม 2 จังหวัด"


def test_every_province_is_the_country():
    area = scope.of_tambons(f"{p.code}0101" for p in gazetteer.provinces())
    assert len(area.provinces) == 77
    assert (area.area_th, area.area_en) == ("ทั้งประเทศ", "Thailand")


def test_a_portal_without_tambons_is_the_partnership_s_province():
    assert scope.of_tambons([]).provinces == ("80",)


def test_the_roll_up_package_is_named_after_the_area_and_the_pilot_keeps_its_address():
    assert scope.of_tambons(["800106"]).rollup_package == "nakhon-si-thammarat-rollups"
    assert scope.of_tambons(["960101"]).rollup_package == "narathiwat-rollups"
    assert scope.of_tambons(["960101", "800106"]).rollup_package == "provinces-80-96-rollups"
    country = scope.of_tambons(f"{p.code}0101" for p in gazetteer.provinces())
    assert country.rollup_package == "thailand-rollups"
