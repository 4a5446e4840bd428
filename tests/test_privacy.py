"""The personal-data scan: each detector, its false positives, and its place in `validate`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fixtures.paths import CONFORMANCE
from fixtures.tambon_package import CODE, csv_text, write_tambon_package

from tambon_portal.checks import privacy, validate
from tambon_portal.pipeline import build

VALID_ID = "1234567890121"  # checksum: (11 - 352 % 11) % 10 = 1
INVALID_ID = "1234567890122"


def compact(problems) -> list[tuple]:
    return [(p.row, p.field, p.code) for p in problems]


def scan(header, *rows, resource="people", tambon=False):
    return compact(privacy.scan_table(resource, list(rows), header, tambon=tambon))


# --- national ID numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "valid"),
    [(VALID_ID, True), (INVALID_ID, False), ("3101700000003", False), ("3101700000008", True),
     ("123456789012", False), ("12345678901210", False)],
)  # fmt: skip
def test_national_id_checksum(digits, valid):
    assert privacy.is_valid_national_id(digits) is valid


def test_national_ids_found_plain_or_dashed_but_not_with_a_bad_checksum():
    assert privacy.find_national_ids(f"{VALID_ID} 1-2345-67890-12-1 {INVALID_ID}") == [
        VALID_ID,
        "1-2345-67890-12-1",
    ]
    assert privacy.find_national_ids("1-2345-67890-12-2 12345678901210 1234567890121.5") == []


def test_national_id_in_any_cell_is_reported_with_its_row():
    header = ["note", "amount"]
    assert scan(header, ["ok", "5"], [f"id {VALID_ID}", "6"], [INVALID_ID, "7"]) == [
        (3, "note", "national-id"),
    ]


# --- phone numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["081-234-5678", "0812345678", "091 234 5678", "02-123-4567", "075-123456", "075123456",
     "+66 81 234 5678", "+66812345678", "+66-2-123-4567", "โทร.081-234-5678"],
)  # fmt: skip
def test_thai_phone_numbers_are_found(text):
    assert len(privacy.find_phone_numbers(text)) == 1


@pytest.mark.parametrize(
    "text",
    ["93", "1-268", "004", "+44 20 7946 0958", "0.123456789", "2025-09-30", "80010601",
     "0112345678", "081234567", "08123456789", "250000.50", "12,345,678"],
)  # fmt: skip
def test_codes_prices_and_foreign_numbers_are_not_phone_numbers(text):
    assert privacy.find_phone_numbers(text) == []


def test_phone_number_cell_is_reported():
    assert scan(["contact"], ["โทร 081-234-5678"]) == [(2, "contact", "phone-number")]


# --- person names ---------------------------------------------------------------------------


def test_person_name_columns_are_reported_once_per_column():
    header = ["first_name", "ชื่อ-สกุล", "หัวหน้าครัวเรือน", "amount"]
    assert scan(header, ["a", "b", "c", "1"], ["d", "e", "f", "2"]) == [
        (None, "first_name", "person-name"),
        (None, "ชื่อ-สกุล", "person-name"),
        (None, "หัวหน้าครัวเรือน", "person-name"),
    ]


def test_an_empty_person_name_column_is_not_reported():
    assert scan(["last_name", "n"], ["", "1"]) == []


def test_name_of_a_place_or_code_list_is_a_place_name():
    assert scan(["village_code", "name_th", "name"], ["80010601", "บ้านท่าไร่", "Ban Tha Rai"]) == []
    assert scan(["รหัส", "ชื่อ"], ["800106", "ท่าไร่"]) == []


def test_a_bare_name_column_without_codes_is_a_person_name():
    assert scan(["ชื่อ", "อายุ"], ["สมชาย", "40"]) == [(None, "ชื่อ", "person-name")]


@pytest.mark.parametrize(
    "text",
    ["นายสมชาย ใจดี", "นางสาวมะลิ หอมดี", "นาง สมศรี ดีใจ", "ด.ช.ก้อง ฟ้าใส", "ด.ญ. มะลิ หอม",
     "เด็กหญิงมะลิ หอมดี", "ผู้รับผิดชอบ: นายสมชาย ใจดี", "Mr. John Smith",
     "คุณสมศรี ดีใจ", "คุณ สมศรี ดีใจ", "ดร.สมชาย ใจดี", "ดร. สมชาย ใจดี", "นพ.ก้อง ฟ้าใส",
     "กำนันสมชาย ใจดี", "ผู้ใหญ่บ้านมะลิ หอมดี", "Dr. Jane Smith"],
)  # fmt: skip
def test_titled_person_names_are_found(text):
    assert len(privacy.find_titled_names(text)) == 1


@pytest.mark.parametrize(
    "text",
    ["นายกองค์การบริหารส่วนตำบลท่าไร่", "นายอำเภอ เมืองนครศรีธรรมราช", "นายก อบต.ท่าไร่",
     "นายช่างโยธา อบต.", "นายกเทศมนตรี ตำบลท่าไร่", "นางรอง", "บ้านนาเคียน",
     "กลุ่มเกษตรกรหมู่ 1", "อบต.ท่าไร่",
     "คุณภาพชีวิตดี ตำบลท่าไร่", "คุณค่าของชุมชน เข้มแข็ง", "คุณธรรม จริยธรรม",
     "กำนันตำบลท่าไร่ ร่วมประชุม", "ผู้ใหญ่บ้าน ทุกหมู่บ้าน ร่วมกัน", "ผู้ใหญ่บ้านหมู่ที่ 3",
     "กำนัน และผู้ใหญ่บ้าน ร่วมเวที"],
)  # fmt: skip
def test_job_titles_and_place_names_are_not_person_names(text):
    assert privacy.find_titled_names(text) == []


def test_titled_name_cell_is_reported():
    assert scan(["responsible_th"], ["อบต.ท่าไร่"], ["นายสมชาย ใจดี"]) == [
        (3, "responsible_th", "person-name"),
    ]


# --- house numbers --------------------------------------------------------------------------


def test_house_number_columns_and_values_are_reported():
    header = ["house_no", "บ้านเลขที่", "note"]
    assert scan(header, ["12", "3/1", "บ้านเลขที่ 12/3"], ["5", "7", "45/1 หมู่ 2"]) == [
        (None, "house_no", "house-number"),
        (None, "บ้านเลขที่", "house-number"),
        (2, "note", "house-number"),
        (3, "note", "house-number"),
    ]


def test_fractions_and_year_ranges_are_not_house_numbers():
    assert privacy.find_house_numbers("2568/2569 1/2 ของครัวเรือน หมู่ 4") == []


# --- small counts and complements (tambon packages) ----------------------------------------


POPULATION = ["tambon_code", "year_be", "sex", "age_group", "persons"]
BMN = ["area_code", "area_level", "year_be", "indicator", "surveyed", "passed", "failed"]


def test_small_counts_are_reported_only_in_tambon_packages():
    rows = [[CODE, "2568", "male", "0-4", "4"], [CODE, "2568", "female", "0-4", "0"],
            [CODE, "2568", "male", "5-9", "5"]]  # fmt: skip
    assert scan(POPULATION, *rows, resource="population", tambon=True) == [
        (2, "persons", "small-count"),
    ]
    assert scan(POPULATION, *rows, resource="population", tambon=False) == []


@pytest.mark.parametrize("written", ["03", "+3", " 3", "๓"])
def test_a_small_count_is_found_however_the_integer_is_written(written):
    rows = [[CODE, "2568", "male", "0-4", written], [CODE, "2568", "female", "0-4", "50"]]
    assert scan(POPULATION, *rows, resource="population", tambon=True) == [
        (2, "persons", "small-count"),
    ]


def test_a_small_count_written_with_a_leading_zero_fails_validation(tmp_path):
    write_tambon_package(tmp_path, edit=lambda t, d: t["occupations"][3].__setitem__(4, "03"))
    assert [(p.row, p.field, p.code) for p in validate.validate_tree(tmp_path, 2568)] == [
        (4, "persons", "small-count"),
    ]


def test_a_lone_suppressed_cell_of_a_group_is_revealed():
    rows = [[CODE, "2568", "male", "0-4", "x"], [CODE, "2568", "female", "0-4", "10"],
            [CODE, "2567", "male", "0-4", "x"], [CODE, "2567", "female", "0-4", "x"]]  # fmt: skip
    assert scan(POPULATION, *rows, resource="population", tambon=True) == [
        (2, "persons", "complement-revealed"),
    ]


def test_bmn_pair_with_one_suppressed_cell_is_revealed():
    rows = [
        [CODE, "tambon", "2568", "22", "300", "250", "50"],
        ["80010601", "village", "2568", "22", "120", "x", "x"],
        ["80010602", "village", "2568", "22", "180", "x", "30"],
    ]
    # Village 2's failed gives its passed back (pair), and then village 1's failed is the
    # only suppressed failed of the group: the tambon's 50 minus 30 gives it back.
    assert scan(BMN, *rows, resource="bmn_results", tambon=True) == [
        (3, "failed", "complement-revealed"),
        (4, "failed", "complement-revealed"),
    ]


def test_bmn_row_with_suppressed_surveyed_must_hide_passed_and_failed():
    rows = [
        ["80010601", "village", "2568", "22", "x", "x", "0"],
        ["80010602", "village", "2568", "22", "x", "x", "x"],
    ]
    # Row 2's published failed bounds its hidden surveyed; and with it published, row 3's
    # failed is the only suppressed failed of the village group.
    assert scan(BMN, *rows, resource="bmn_results", tambon=True) == [
        (2, "failed", "complement-revealed"),
        (3, "failed", "complement-revealed"),
    ]


def test_bmn_village_group_with_one_suppressed_cell_is_revealed():
    rows = [
        [CODE, "tambon", "2568", "22", "300", "250", "50"],
        ["80010601", "village", "2568", "22", "120", "x", "x"],
        ["80010602", "village", "2568", "22", "180", "150", "30"],
    ]
    assert scan(BMN, *rows, resource="bmn_results", tambon=True) == [
        (3, "failed", "complement-revealed"),
        (3, "passed", "complement-revealed"),
    ]


def test_scan_table_accepts_a_typed_frame():
    import pandas as pd

    frame = pd.DataFrame({"persons": pd.array([3, None, 7], dtype="Int64"), "note": ["", "", ""]})
    problems = privacy.scan_table("population", frame, tambon=True)
    assert compact(problems) == [(2, "persons", "small-count")]


# --- inside validate ------------------------------------------------------------------------


def _file(name: str) -> str:
    return f"80/{CODE}/data/{name}.csv"


def test_small_count_in_a_tambon_package(tmp_path):
    def edit(tables, desc):
        tables["population"][1][4] = "4"  # and 446 in the next row keeps the total at 900
        tables["population"][2][4] = "446"

    write_tambon_package(tmp_path, edit=edit)
    problems = validate.validate_tree(tmp_path, 2568)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [
        (_file("population"), 2, "persons", "small-count"),
    ]
    assert "write x" in problems[0].message


def test_complement_revealed_in_a_tambon_package(tmp_path):
    def edit(tables, desc):
        tables["bmn_results"][2][5] = "x"  # village 1 passed; failed 20 and surveyed 120 remain

    write_tambon_package(tmp_path, edit=edit)
    assert [(p.file, p.row, p.field, p.code) for p in validate.validate_tree(tmp_path, 2568)] == [
        (_file("bmn_results"), 3, "failed", "complement-revealed"),
        (_file("bmn_results"), 3, "passed", "complement-revealed"),
    ]


def test_personal_data_in_a_generic_package(tmp_path):
    folder = tmp_path / "survey"
    folder.mkdir()
    rows = [["respondent", "village", "phone", "id"],
            ["นายสมชาย ใจดี", "บ้านท่าไร่", "081-234-5678", VALID_ID],
            ["นางสมศรี ใจดี", "บ้านนาเคียน", "", INVALID_ID]]  # fmt: skip
    (folder / "survey.csv").write_text(csv_text(rows), encoding="utf-8")
    descriptor = {"name": "survey", "resources": [{"name": "survey", "path": "survey.csv"}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    problems = validate.validate_tree(tmp_path, 2568)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [
        ("survey/survey.csv", None, "respondent", "person-name"),
        ("survey/survey.csv", 2, "id", "national-id"),
        ("survey/survey.csv", 2, "phone", "phone-number"),
        ("survey/survey.csv", 2, "respondent", "person-name"),
        ("survey/survey.csv", 3, "respondent", "person-name"),
    ]


def test_conformance_packages_have_no_personal_data():
    problems = validate.validate_tree(CONFORMANCE, 2568)
    assert [p for p in problems if p.code in privacy.CODES] == []


def test_inline_data_is_scanned(tmp_path):
    folder = tmp_path / "inline"
    folder.mkdir()
    descriptor = {"name": "inline", "resources": [{"name": "t", "data": [["a"], ["081-234-5678"]]}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    problems = validate.validate_tree(tmp_path, 2568)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [
        ("inline/datapackage.json", 2, "a", "phone-number"),
    ]


# --- generic packages: every kind of personal data ------------------------------------------


def write_generic(root, rows, *, fields=None, name="survey", **properties):
    """A small generic package root/<name>/ with one table; `fields` gives it a schema."""
    folder = root / name
    folder.mkdir()
    (folder / "data.csv").write_text(csv_text(rows), encoding="utf-8")
    resource = {"name": "data", "path": "data.csv"}
    if fields is not None:
        resource["schema"] = {"fields": fields}
    descriptor = {"name": name, **properties, "resources": [resource]}
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False), encoding="utf-8"
    )
    return folder


def problems_in(root) -> list[tuple]:
    return [(p.file, p.row, p.field, p.code) for p in validate.validate_tree(root, 2568)]


def test_email_addresses_in_a_column_and_in_text_are_refused(tmp_path):
    write_generic(tmp_path, [["village", "contact", "note"],
                             ["บ้านท่าไร่", "somchai.j@gmail.com", "ส่งเรื่องที่ mali_h@hotmail.co.th ได้"],
                             ["บ้านนาเคียน", "", "ไม่มี"]])  # fmt: skip
    problems = validate.validate_tree(tmp_path, 2568)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [
        ("survey/data.csv", 2, "contact", "email"),
        ("survey/data.csv", 2, "note", "email"),
    ]
    assert "'somchai.j@gmail.com' is an e-mail address" in problems[0].message


@pytest.mark.parametrize("text", ["a.b@x.go.th", "อีเมล:somchai@gmail.com", "<mali@ex.org>"])
def test_email_addresses_are_found(text):
    assert len(privacy.find_emails(text)) == 1


@pytest.mark.parametrize("text", ["@tambon", "a@b", "user@localhost", "2 @ 5 บาท"])
def test_handles_and_prices_are_not_email_addresses(text):
    assert privacy.find_emails(text) == []


def test_person_name_headers_written_with_spaces_or_variants_are_refused(tmp_path):
    header = ["ชื่อ - สกุล", "ชื่อ-นามสกุล", "first name", "full_name", "Surname (TH)",
              "ชื่อผู้ให้ข้อมูล", "amount"]  # fmt: skip
    write_generic(tmp_path, [header, ["ก", "ข", "c", "d", "e", "ฉ", "1"]])
    assert problems_in(tmp_path) == [
        ("survey/data.csv", None, column, "person-name") for column in sorted(header[:-1])
    ]


@pytest.mark.parametrize(
    ("header", "kind"),
    [("ชื่อ - สกุล", "person-name"), ("FirstName", "person-name"), ("ชื่อผู้ใช้", "social-handle"),
     ("name_th", None), ("Country Name", None), ("official_name_en", None)],
)  # fmt: skip
def test_headers_are_normalised_before_matching(header, kind):
    assert privacy.column_kind(header) == kind


def test_precise_coordinates_are_refused_row_by_row(tmp_path):
    header = ["village", "lat_lon", "latitude", "longitude", "lat", "lng", "ละติจูด", "ลองจิจูด",
              "พิกัด"]  # fmt: skip
    write_generic(tmp_path, [header,
                             ["บ้านท่าไร่", "8.43215,99.96321", "8.432151", "99.963214", "8.43215",
                              "99.96321", "8.43215", "99.96321", "8.43215, 99.96321"],
                             ["บ้านนาเคียน", "8.432,99.963", "8.432", "99.963", "8.4", "99.9",
                              "8.432", "99.963", "8.432, 99.963"]])  # fmt: skip
    problems = validate.validate_tree(tmp_path, 2568)
    assert [(p.row, p.field, p.code) for p in problems] == [
        (2, column, "precise-location") for column in sorted(header[1:])
    ]
    assert "4 or more decimals is about 11 m" in problems[0].message


@pytest.mark.parametrize(
    ("value", "precise"),
    [("8.4321", True), ("99.963214", True), ("๘.๔๓๒๑๕", True), ("612345", True),
     ("1034567.5", True), ("8.432", False), ("99.96", False), ("8", False), ("", False)],
)  # fmt: skip
def test_a_coordinate_with_4_or_more_decimals_or_in_utm_metres_is_precise(value, precise):
    assert privacy.is_precise_coordinate(value) is precise


@pytest.mark.parametrize(
    ("header", "location"),
    [("gps_lat", True), ("homeLatitude", True), ("พิกัดบ้าน", True), ("long", True),
     ("long_name", False), ("location_type", False), ("Capital", False), ("Dial", False)],
)  # fmt: skip
def test_coordinate_columns_are_known_by_any_word_of_their_header(header, location):
    assert privacy.is_location_column(header) is location


def test_a_precise_position_in_free_text_is_refused_but_not_one_outside_thailand():
    assert scan(["note"], ["บ้านอยู่ที่ 8.43215, 99.96321 ครับ"], ["London 51.50735, -0.12776"]) == [
        (2, "note", "precise-location"),
    ]


def test_the_shipped_tambon_centroids_are_areas_not_houses():
    import csv

    path = Path(privacy.__file__).parents[1] / "data/thai-province-data/tambons.csv"
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][-2:] == ["lat", "long"]
    assert privacy.scan_table("centroids", rows[1:], rows[0]) == []


def test_birth_date_columns_are_refused(tmp_path):
    header = ["birth_date", "dob", "Date of Birth", "วันเกิด", "วันเดือนปีเกิด", "persons"]
    write_generic(tmp_path, [header, ["2500-01-01", "x", "x", "1 ม.ค. 2500", "x", "12"]])
    assert problems_in(tmp_path) == [
        ("survey/data.csv", None, column, "birth-date") for column in sorted(header[:-1])
    ]


@pytest.mark.parametrize(
    "text",
    ["(081) 234 5678", "(081)234-5678", "081.234.5678", "(02) 123 4567", "(075) 123456",
     "๐๘๑-๒๓๔-๕๖๗๘", "๐๘๑๒๓๔๕๖๗๘", "โทร.๐๗๕-๓๑๒๓๔๕", "+66.81.234.5678"],
)  # fmt: skip
def test_phone_numbers_in_brackets_with_dots_or_in_thai_digits_are_found(text):
    assert privacy.find_phone_numbers(text) == [text.removeprefix("โทร.")]


@pytest.mark.parametrize(
    "text", ["2026.10.23", "08.12.2567", "0.08123456", "10.0812345678", "(01) 234 5678", "๘๐๐๑๐๖"]
)
def test_dates_decimals_and_codes_with_dots_are_not_phone_numbers(text):
    assert privacy.find_phone_numbers(text) == []


def test_phone_numbers_written_otherwise_are_refused_inside_text(tmp_path):
    write_generic(tmp_path, [["note"], ["ติดต่อผู้ใหญ่ (081) 234 5678"], ["โทร ๐๘๑.๒๓๔.๕๖๗๘"],
                             ["แจ้ง 081.234.5678 ก่อน"]])  # fmt: skip
    assert problems_in(tmp_path) == [
        ("survey/data.csv", row, "note", "phone-number") for row in (2, 3, 4)
    ]


def test_line_id_and_social_handle_columns_are_refused(tmp_path):
    header = ["line_id", "ไลน์", "Facebook", "village"]
    write_generic(tmp_path, [header, ["somchai01", "@mali", "fb.com/x", "บ้านท่าไร่"],
                             ["", "", "", "หมายเหตุ Line: somchai_01"]])  # fmt: skip
    assert problems_in(tmp_path) == [
        ("survey/data.csv", None, "Facebook", "social-handle"),
        ("survey/data.csv", None, "line_id", "social-handle"),
        ("survey/data.csv", None, "ไลน์", "social-handle"),
        ("survey/data.csv", 3, "village", "social-handle"),
    ]


def test_household_id_columns_and_dopa_house_codes_are_refused(tmp_path):
    header = ["household_id", "hh_id", "รหัสบ้าน", "เลขรหัสประจำบ้าน", "note"]
    write_generic(tmp_path, [header, ["H001", "12", "80010123456", "8001-012345-6",
                                      "ครัวเรือน 8001-012345-6 ยากจน"]])  # fmt: skip
    assert problems_in(tmp_path) == [
        ("survey/data.csv", None, column, "household-id") for column in sorted(header[:-1])
    ] + [
        ("survey/data.csv", 2, "note", "household-id"),
        ("survey/data.csv", 2, "เลขรหัสประจำบ้าน", "household-id"),
    ]


def test_persons_names_in_a_name_column_beside_a_code_column_are_refused(tmp_path):
    write_generic(tmp_path, [["village_code", "name", "amount"],
                             ["80010601", "สมชาย ใจดี", "500"],
                             ["80010602", "บ้านท่าไร่", "600"],
                             ["80010603", "นางสาวมะลิ หอมดี", "700"],
                             ["80010604", "บ้านนา ใต้", "800"]])  # fmt: skip
    assert problems_in(tmp_path) == [
        ("survey/data.csv", 2, "name", "person-name"),
        ("survey/data.csv", 4, "name", "person-name"),
    ]


def test_a_name_column_beside_a_household_id_is_no_place_list(tmp_path):
    write_generic(tmp_path, [["hh_id", "name"], ["H001", "สมชาย"]])
    assert problems_in(tmp_path) == [
        ("survey/data.csv", None, "hh_id", "household-id"),
        ("survey/data.csv", None, "name", "person-name"),
    ]


@pytest.mark.parametrize(
    ("value", "person"),
    [("สมชาย ใจดี", True), ("มะลิ  หอมดี", True), ("บ้านท่าไร่", False), ("บ้านนา ใต้", False),
     ("ตำบล ท่าไร่", False), ("ท่าไร่ ใหม่", False), ("โรงเรียน บ้านนา", False),
     ("ปอภาร (ปอพาน)", False), ("Ban Tha Rai", False), ("สมชาย ใจดี ดีมาก", False)],
)  # fmt: skip
def test_a_persons_name_without_a_title_is_two_thai_words_with_no_place_word(value, person):
    assert privacy.is_untitled_thai_name(value) is person


# --- descriptor text ------------------------------------------------------------------------


def test_personal_data_in_descriptor_text_is_refused_naming_the_property(tmp_path):
    write_generic(
        tmp_path,
        [["village", "amount"], ["บ้านท่าไร่", "1"]],
        fields=[{"name": "village", "type": "string", "title": "ผู้กรอก นายสมชาย ใจดี"},
                {"name": "amount", "type": "integer", "description": "โทร 081-234-5678"}],
        title="สำรวจ ติดต่อ somchai@gmail.com",
        description="ผู้ประสานงาน (081) 234 5678",
        keywords=["ท่าไร่", "line: somchai01"],
        sources=[{"title": "แบบสำรวจ", "email": "mali@hotmail.com"}],
        contributors=[{"title": "Somchai Jaidee", "email": "somchai.j@gmail.com",
                       "phone": "๐๘๑๒๓๔๕๖๗๘", "role": "author"},
                      {"title": "นายสมชาย ใจดี", "role": "contributor"}],
        maintainers=[{"name": "Mali", "email": "mali@ex.org"}],
    )  # fmt: skip
    problems = validate.validate_tree(tmp_path, 2568)
    assert [(p.file, p.resource, p.row, p.field, p.code) for p in problems] == [
        ("survey/datapackage.json", None, None, "title", "email"),
        ("survey/datapackage.json", None, None, "description", "phone-number"),
        ("survey/datapackage.json", None, None, "keywords[1]", "social-handle"),
        ("survey/datapackage.json", None, None, "sources[0].email", "email"),
        ("survey/datapackage.json", None, None, "contributors[0].email", "email"),
        ("survey/datapackage.json", None, None, "contributors[0].phone", "phone-number"),
        ("survey/datapackage.json", None, None, "maintainers[0].email", "email"),
        ("survey/datapackage.json", "data", None, "resources[0].schema.fields[0].title",
         "person-name"),
        ("survey/datapackage.json", "data", None, "resources[0].schema.fields[1].description",
         "phone-number"),
    ]  # fmt: skip


def test_resource_title_and_description_are_scanned():
    descriptor = {"name": "x", "resources": [
        {"name": "t", "title": "บ้านเลขที่ 12/3", "description": f"บัตร {VALID_ID}"}]}  # fmt: skip
    assert [(p.resource, p.field, p.code) for p in privacy.scan_descriptor(descriptor)] == [
        ("t", "resources[0].title", "house-number"),
        ("t", "resources[0].description", "national-id"),
    ]


# --- reviewed-and-public declarations -------------------------------------------------------


REVIEW = {"detectors": ["phone-number"], "by": "Somsri (provincial data officer)",
          "reason": "office phone of the tambon office, published on its own website",
          "date": "2026-11-30"}  # fmt: skip


def _office_fields(review=REVIEW) -> list[dict]:
    return [
        {"name": "office", "type": "string"},
        {"name": "office_phone", "type": "string", privacy.REVIEW_PROPERTY: review},
        {"name": "note", "type": "string"},
    ]


def test_a_reviewed_public_column_is_exempt_from_its_detectors_only(tmp_path):
    rows = [["office", "office_phone", "note"],
            ["อบต.ท่าไร่", "075-123-456", "ok"],
            ["อบต.นาสาร", "(075) 312 345", "มือถือ 081-234-5678"],
            ["อบต.ท่าไร่", "nayok@gmail.com", "ok"],
            ["อบต.ท่าไร่", VALID_ID, "ok"]]  # fmt: skip
    write_generic(tmp_path, rows, fields=_office_fields())
    assert problems_in(tmp_path) == [
        ("survey/data.csv", 3, "note", "phone-number"),
        ("survey/data.csv", 4, "office_phone", "email"),
        ("survey/data.csv", 5, "office_phone", "national-id"),
    ]


def test_a_declaration_without_a_reason_is_a_problem_and_exempts_nothing(tmp_path):
    review = {"detectors": ["phone-number"], "by": "Somsri"}
    write_generic(
        tmp_path, [["office", "office_phone", "note"], ["อบต.ท่าไร่", "075-123-456", "ok"]],
        fields=_office_fields(review),
    )  # fmt: skip
    problems = validate.validate_tree(tmp_path, 2568)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [
        ("survey/data.csv", 2, "office_phone", "phone-number"),
        ("survey/datapackage.json", None, "resources[0].schema.fields[1].publicReviewed",
         "invalid-review"),
    ]  # fmt: skip
    assert "has no 'reason'" in problems[1].message


@pytest.mark.parametrize(
    ("declaration", "wrong"),
    [({**REVIEW, "detectors": ["national-id"]}, "never publishable"),
     ({**REVIEW, "detectors": ["phone"]}, "unknown detectors ['phone']"),
     ({**REVIEW, "detectors": []}, "'detectors' list"),
     ({**REVIEW, "reason": "  "}, "has no 'reason'"),
     ({**REVIEW, "date": "30/11/2569"}, "YYYY-MM-DD"),
     ({**REVIEW, "date": "2026-02-30"}, "YYYY-MM-DD"),
     ({**REVIEW, "detectors": [{"code": "email"}]}, "unknown detectors"),
     ("reviewed", "must be an object")],
)  # fmt: skip
def test_a_declaration_must_name_reviewable_detectors_and_a_reason(declaration, wrong):
    assert wrong in privacy.review_problem(declaration)


def test_national_ids_are_never_exempt(tmp_path):
    review = {**REVIEW, "detectors": ["national-id", "phone-number"]}
    write_generic(
        tmp_path, [["office", "office_phone", "note"], ["อบต.ท่าไร่", VALID_ID, "075-123-456"]],
        fields=_office_fields(review),
    )  # fmt: skip
    assert problems_in(tmp_path) == [
        ("survey/data.csv", 2, "note", "phone-number"),
        ("survey/data.csv", 2, "office_phone", "national-id"),
        ("survey/datapackage.json", None, "resources[0].schema.fields[1].publicReviewed",
         "invalid-review"),
    ]  # fmt: skip


def test_a_reviewed_contributor_email_is_exempt_and_the_package_stays_valid(tmp_path):
    declarations = [
        {**REVIEW, "property": "contributors[0].email", "detectors": ["email"],
         "reason": "the tambon office's agency address, on its website"},
        {**REVIEW, "property": "contributors[1]", "detectors": ["email", "phone-number"],
         "reason": "the provincial office's public contact desk"},
    ]  # fmt: skip
    write_generic(
        tmp_path, [["village", "amount"], ["บ้านท่าไร่", "5"]],
        contributors=[{"title": "อบต.ท่าไร่", "email": "saraban@tharai.go.th"},
                      {"title": "สำนักงานจังหวัด", "email": "info@province.go.th",
                       "phone": "075-123-456"},
                      {"title": "Somchai", "email": "somchai@gmail.com"}],
        publicReviewed=declarations,
    )  # fmt: skip
    assert problems_in(tmp_path) == [
        ("survey/datapackage.json", None, "contributors[2].email", "email"),
    ]


def test_a_package_declaration_must_name_a_property_of_the_descriptor(tmp_path):
    declarations = [{**REVIEW, "property": "contributors[5].email"}, {**REVIEW}]
    write_generic(tmp_path, [["a"], ["1"]], publicReviewed=declarations)
    problems = validate.validate_tree(tmp_path, 2568)
    assert [(p.field, p.code) for p in problems] == [
        ("publicReviewed[0]", "invalid-review"),
        ("publicReviewed[1]", "invalid-review"),
    ]
    assert "holds no text in this descriptor" in problems[0].message
    assert "must name the descriptor 'property'" in problems[1].message


# --- build ----------------------------------------------------------------------------------


def test_build_refuses_a_generic_package_with_an_email_column_and_writes_nothing(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    write_generic(data, [["village", "email"], ["บ้านท่าไร่", "somchai@gmail.com"]])
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(build.BuildRefused) as refused:
        build.build_site(data, tmp_path / "out" / "site")
    assert [(p.file, p.row, p.field, p.code) for p in refused.value.problems] == [
        ("survey/data.csv", 2, "email", "email"),
    ]
    assert sorted(tmp_path.rglob("*")) == before


def test_the_publishing_guide_example_declarations_keep_a_package_valid(tmp_path):
    guide = Path(__file__).resolve().parents[1] / "docs" / "publishing.md"
    blocks = re.findall(r"```json\n(.*?)```", guide.read_text(encoding="utf-8"), re.DOTALL)
    (descriptor,) = [json.loads(b) for b in blocks if privacy.REVIEW_PROPERTY in b]
    folder = tmp_path / "offices"
    folder.mkdir()
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (folder / "offices.csv").write_text("tambon_code,office_phone\n800106,075-123-456\n")
    assert problems_in(tmp_path) == []
