"""`tambon import`: officers' CSV (UTF-8, BOM, cp874) and XLSX files into a package resource."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tambon_portal import importer, sample, schemas
from tambon_portal.cli import main as cli_main

CODE = "800106"
THAI_HEADINGS = ["รหัสหมู่บ้าน", "รหัสตำบล", "หมู่ที่", "ชื่อหมู่บ้าน", "ชื่อหมู่บ้าน (อังกฤษ)"]
THAI_HEADINGS += ["ครัวเรือน", "ประชากร"]


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    root = tmp_path / "datapackages"
    sample.write_package(root, CODE)
    return root


def villages_path(root: Path) -> Path:
    return root / "80" / CODE / "data" / "villages.csv"


def officer_table(root: Path) -> pd.DataFrame:
    """The package's own villages as an officer would type them: Thai headings, Thai digits
    in counts, thousands separators."""
    frame = pd.read_csv(villages_path(root), dtype=str, keep_default_na=False)
    frame.columns = THAI_HEADINGS
    thai = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    frame["ประชากร"] = [f"{int(v):,}".translate(thai) for v in frame["ประชากร"]]
    return frame


def write_officer_csv(root: Path, path: Path, encoding: str) -> Path:
    path.write_bytes(officer_table(root).to_csv(index=False).encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874"])
def test_csv_in_each_encoding_round_trips_to_the_same_file(data_root, tmp_path, encoding):
    original = villages_path(data_root).read_bytes()
    source = write_officer_csv(data_root, tmp_path / "villages.csv", encoding)
    villages_path(data_root).write_text("village_code\n", encoding="utf-8")  # clobbered first
    report = importer.import_file(source, data_root, CODE, "villages")
    assert report.problems == []
    assert report.read_as == {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig"}.get(
        encoding, encoding
    )
    assert report.result.unmapped == []
    assert villages_path(data_root).read_bytes() == original


def test_xlsx_with_numbers_and_a_named_sheet(data_root, tmp_path):
    from openpyxl import Workbook

    original = villages_path(data_root).read_bytes()
    frame = pd.read_csv(villages_path(data_root), dtype=str, keep_default_na=False)
    workbook = Workbook()
    workbook.active.title = "อื่น"
    sheet = workbook.create_sheet("หมู่บ้าน")
    sheet.append(["", ""])  # a blank first row, as officers' sheets often have
    sheet.append(["Village Code", "TAMBON_CODE", "หมู่", "ชื่อ", "name en", "Households", "ประชากร"])
    for row in frame.itertuples(index=False):
        sheet.append([row[0], row[1], int(row[2]), row[3], row[4], float(row[5]), int(row[6])])
    workbook.save(tmp_path / "villages.xlsx")
    report = importer.import_file(tmp_path / "villages.xlsx", data_root, CODE, "villages", "หมู่บ้าน")
    assert (report.read_as, report.problems, report.result.unmapped) == ("xlsx", [], [])
    assert report.result.mapping["หมู่"] == "village_no"
    assert villages_path(data_root).read_bytes() == original


def test_a_column_it_cannot_map_is_reported_and_left_out(data_root, tmp_path):
    frame = officer_table(data_root)
    frame.insert(3, "เบอร์โทรผู้ใหญ่บ้าน", "0812345678")
    source = tmp_path / "villages.csv"
    source.write_text(frame.to_csv(index=False), encoding="utf-8")
    report = importer.import_file(source, data_root, CODE, "villages")
    assert report.result.unmapped == ["เบอร์โทรผู้ใหญ่บ้าน"]
    assert report.ok
    assert "0812345678" not in villages_path(data_root).read_text(encoding="utf-8")


def test_an_invalid_result_exits_1_and_leaves_the_package_alone(data_root, tmp_path, capsys):
    original = villages_path(data_root).read_bytes()
    source = tmp_path / "villages.csv"
    source.write_text("รหัสหมู่บ้าน,ชื่อหมู่บ้าน\n80010601,บ้านหนึ่ง\n", encoding="utf-8")
    argv = ["import", str(source), "--tambon", CODE, "--resource", "villages"]
    assert cli_main([*argv, "--data", str(data_root)]) == 1
    out = capsys.readouterr().out
    assert "ช่องบังคับที่ว่าง (required fields left empty): village_no, households, population" in out
    assert "not written" in out
    assert villages_path(data_root).read_bytes() == original


def test_force_writes_an_invalid_result_for_fixing_in_place(data_root, tmp_path):
    source = tmp_path / "villages.csv"
    source.write_text("village_code,name_th\n80010601,บ้านหนึ่ง\n", encoding="utf-8")
    report = importer.import_file(source, data_root, CODE, "villages", force=True)
    assert not report.ok
    assert villages_path(data_root).read_text(encoding="utf-8") == (
        "village_code,tambon_code,village_no,name_th,name_en,households,population\n"
        "80010601,800106,,บ้านหนึ่ง,,,\n"
    )


def test_a_tambon_without_a_package_exits_2(tmp_path, capsys):
    source = tmp_path / "v.csv"
    source.write_text("village_code\n", encoding="utf-8")
    argv = ["import", str(source), "--tambon", "800107", "--resource", "villages"]
    assert cli_main([*argv, "--data", str(tmp_path)]) == 2
    assert "tambon new-tambon 800107" in capsys.readouterr().err


@pytest.mark.parametrize("code", ["../../x", "80/800106", "8001060", ""])
def test_a_tambon_code_that_is_not_six_digits_exits_2_before_any_path_is_built(
    tmp_path, capsys, code
):
    source = tmp_path / "v.csv"
    source.write_text("village_code\n", encoding="utf-8")
    argv = ["import", str(source), "--tambon", code, "--resource", "villages"]
    assert cli_main([*argv, "--data", str(tmp_path / "data")]) == 2
    assert f"tambon import: {code!r} is not a 6-digit tambon code" in capsys.readouterr().err


@pytest.mark.parametrize("force", [False, True])
def test_a_resource_path_leaving_the_package_is_never_written(data_root, tmp_path, force):
    descriptor_path = data_root / "80" / CODE / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    villages = next(r for r in descriptor["resources"] if r["name"] == "villages")
    villages["path"] = "../../../outside.csv"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    source = tmp_path / "v.csv"
    source.write_text("village_code\n80010601\n", encoding="utf-8")
    with pytest.raises(importer.ImportFileError, match="must be one file inside the package"):
        importer.import_file(source, data_root, CODE, "villages", force=force)
    assert not (tmp_path / "outside.csv").exists()


def test_rows_of_another_tambon_are_a_problem():
    schema = schemas.schema("income_summary")
    source = pd.DataFrame({"tambon_code": ["800107"], "year_be": ["2568"]})
    result = importer.to_resource_table(source, schema, CODE)
    assert result.problems == [
        "rows for other tambons (800107): this file is imported into tambon 800106 only"
    ]


def test_headings_match_by_name_title_and_alias_ignoring_case_and_spaces():
    schema = schemas.schema("plan_projects")
    mapping, unmapped = importer.map_columns(
        [" Project_ID ", "งบประมาณ (บาท)", "แหล่งงบ", "ปี พ.ศ.", "สถานะ", "ที่มา"], schema
    )
    assert mapping == {
        " Project_ID ": "project_id",
        "งบประมาณ (บาท)": "budget_baht",
        "แหล่งงบ": "funding_source",
        "ปี พ.ศ.": "year_be",
        "สถานะ": "status",
    }
    assert unmapped == ["ที่มา"]


def test_a_second_column_for_the_same_field_is_unmapped():
    mapping, unmapped = importer.map_columns(["households", "ครัวเรือน"], schemas.schema("villages"))
    assert (mapping, unmapped) == ({"households": "households"}, ["ครัวเรือน"])


def _field(resource: str, name: str) -> dict:
    return next(f for f in schemas.SCHEMAS[resource]["fields"] if f["name"] == name)


@pytest.mark.parametrize(
    ("resource", "name", "raw", "expected"),
    [
        ("villages", "population", "๑,๒๓๔", "1234"),
        ("villages", "population", " 1 234 ", "1234"),
        ("villages", "population", "1200.0", "1200"),
        ("population", "persons", "X", "x"),
        ("plan_projects", "budget_baht", "1,500,000.50 บาท", "1500000.50"),
        ("population", "year_be", "2025", "2568"),
        ("population", "year_be", "๒๕๖๘", "2568"),
        ("tambon", "reference_date", "30/9/2568", "2025-09-30"),
        ("tambon", "reference_date", "2568-09-30", "2025-09-30"),
        ("tambon", "reference_date", "30.09.2025", "2025-09-30"),
        ("tambon", "pilot", "ใช่", "true"),
        ("tambon", "pilot", "ไม่", "false"),
        ("villages", "village_code", "๘๐๐๑๐๖๐๑", "80010601"),
        ("villages", "name_th", "บ้านหมู่ ๓", "บ้านหมู่ ๓"),
        ("villages", "population", "ไม่ทราบ", "ไม่ทราบ"),
    ],
)
def test_values_are_converted_to_what_the_schema_wants(resource, name, raw, expected):
    assert importer.convert_value(raw, _field(resource, name)) == expected


def test_undecodable_bytes_fall_back_to_cp874():
    text, encoding = importer.decode_bytes("ตำบลท่าไร่".encode("cp874"))
    assert (text, encoding) == ("ตำบลท่าไร่", "cp874")


def test_excel_unicode_text_utf16_tab_separated_is_read():
    data = "หมู่ที่\tครัวเรือน\n๑\t1,200\n".encode("utf-16")
    frame, encoding = importer.read_csv_bytes(data)
    assert encoding == "utf_16"
    assert frame.to_dict("list") == {"หมู่ที่": ["๑"], "ครัวเรือน": ["1,200"]}


def test_an_unknown_resource_exits_2_naming_the_resources(data_root, tmp_path, capsys):
    source = tmp_path / "v.csv"
    source.write_text("a\n1\n", encoding="utf-8")
    argv = ["import", str(source), "--tambon", CODE, "--resource", "village"]
    assert cli_main([*argv, "--data", str(data_root)]) == 2
    err = capsys.readouterr().err
    assert "the package has no resource 'village' (it has: tambon, villages, population," in err


def test_village_codes_come_from_village_numbers_when_the_file_has_none():
    source = pd.DataFrame({"หมู่ที่": ["๑", "12"], "ชื่อหมู่บ้าน": ["บ้านหนึ่ง", "บ้านสิบสอง"]})
    table = importer.to_resource_table(source, schemas.schema("villages"), CODE).table
    assert table[["village_code", "tambon_code", "village_no"]].values.tolist() == [
        ["80010601", "800106", "1"],
        ["80010612", "800106", "12"],
    ]


def test_empty_tambon_code_cells_are_filled_with_the_tambon():
    source = pd.DataFrame({"tambon_code": ["", "800106"], "year_be": ["2568", "2567"]})
    result = importer.to_resource_table(source, schemas.schema("income_summary"), CODE)
    assert result.table["tambon_code"].tolist() == ["800106", "800106"]
    assert result.problems == []
