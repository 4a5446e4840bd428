"""The personal-data scan: each detector, its false positives, and its place in `validate`."""

from __future__ import annotations

import json

import pytest
from fixtures.paths import CONFORMANCE
from fixtures.tambon_package import CODE, csv_text, write_tambon_package

from tambon_portal import privacy, validate

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
     "เด็กหญิงมะลิ หอมดี", "ผู้รับผิดชอบ: นายสมชาย ใจดี", "Mr. John Smith"],
)  # fmt: skip
def test_titled_person_names_are_found(text):
    assert len(privacy.find_titled_names(text)) == 1


@pytest.mark.parametrize(
    "text",
    ["นายกองค์การบริหารส่วนตำบลท่าไร่", "นายอำเภอ เมืองนครศรีธรรมราช", "นายก อบต.ท่าไร่",
     "นายช่างโยธา อบต.", "นายกเทศมนตรี ตำบลท่าไร่", "นางรอง", "บ้านนาเคียน",
     "กลุ่มเกษตรกรหมู่ 1", "อบต.ท่าไร่"],
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
