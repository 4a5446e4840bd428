"""`tambon import`: officers' CSV (UTF-8, BOM, cp874) and XLSX files into a package resource."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fixtures import hostile

from tambon_portal.authoring import importer, pilot, spreadsheet
from tambon_portal.cli import main as cli_main
from tambon_portal.core import schemas

CODE = "800106"
THAI_HEADINGS = ["รหัสหมู่บ้าน", "รหัสตำบล", "หมู่ที่", "ชื่อหมู่บ้าน", "ชื่อหมู่บ้าน (อังกฤษ)"]
THAI_HEADINGS += ["ครัวเรือน", "ประชากร"]


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    root = tmp_path / "datapackages"
    pilot.write_pilot(root, codes=[CODE])
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


# --- large and wrong-shaped files (issue 8, item 9) ----------------------------------------


def _work_files(root: Path) -> list[Path]:
    """What an import leaves behind besides the package: work files, validation copies."""
    return [p for p in root.rglob(".*") if p.name.endswith(".importing") or "validate-" in p.name]


def _ragged_csv(path: Path, rows: int) -> Path:
    """Headings that map to nothing and rows of 1 to 7 cells: a wrong-shaped file."""
    lines = ["ชื่อเล่น,หมายเหตุ,อื่น ๆ", *(",".join(["x"] * (1 + n % 7)) for n in range(rows))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_columns_with_the_same_heading_stay_two_columns(data_root, tmp_path):
    source = tmp_path / "v.csv"
    source.write_text("หมู่ที่,หมู่ที่,ชื่อหมู่บ้าน\n1,2,บ้านหนึ่ง\n", encoding="utf-8")
    report = importer.import_file(source, data_root, CODE, "villages")
    assert report.result.mapping == {"หมู่ที่": "village_no", "ชื่อหมู่บ้าน": "name_th"}
    assert report.result.unmapped == ["หมู่ที่"]  # not pandas' renamed "หมู่ที่.1"


def test_a_wrong_shaped_file_is_streamed_in_memory_that_does_not_grow_with_it(data_root, tmp_path):
    source = _ragged_csv(tmp_path / "v.csv", 240_000)  # 1.9 MB
    size = source.stat().st_size
    tracemalloc.start()
    try:
        report = importer.import_file(source, data_root, CODE, "villages")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.result.rows == 240_000
    assert peak < size / 4, f"peak {peak:,} bytes for a file of {size:,}"


def test_the_file_is_read_a_bounded_number_of_times_and_each_row_converted_once(
    data_root, tmp_path, monkeypatch
):
    opened: list[Path] = []
    real_open = Path.open
    converted: list[int] = []
    real_convert = importer.RowConverter.convert

    def counting_open(self, *args, **kwargs):
        opened.append(self)
        return real_open(self, *args, **kwargs)

    def counting_convert(self, number, cells):
        converted.append(number)
        return real_convert(self, number, cells)

    sources = {rows: _ragged_csv(tmp_path / f"v{rows}.csv", rows) for rows in (2_000, 8_000)}
    monkeypatch.setattr(Path, "open", counting_open)
    monkeypatch.setattr(importer.RowConverter, "convert", counting_convert)
    for rows, source in sources.items():
        opened.clear(), converted.clear()
        importer.import_file(source, data_root, CODE, "villages")
        assert opened.count(source) == 2  # the encoding (a pass or two), then the rows
        assert len(converted) == rows


def test_wrong_shaped_rows_are_named_and_the_slow_validation_is_skipped(
    data_root, tmp_path, monkeypatch
):
    def never(*args):
        raise AssertionError("validated a result that cannot be valid")

    monkeypatch.setattr(importer, "validation_problems", never)
    original = villages_path(data_root).read_bytes()
    report = importer.import_file(_ragged_csv(tmp_path / "v.csv", 30), data_root, CODE, "villages")
    assert report.result.empty_rows["name_th"] == "2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 20 more"
    assert report.problems == [
        "rows with more cells than the heading row (3 columns): 5, 6, 7, 8, 12, 13, 14, 15, 19,"
        " 20 and 6 more; a value containing a comma must be in double quotes, or a heading is"
        " missing",
        importer.NOT_VALIDATED,
    ]
    assert villages_path(data_root).read_bytes() == original


def test_a_quote_never_closed_is_named_by_its_line_not_read_into_one_cell(data_root, tmp_path):
    source = tmp_path / "v.csv"
    source.write_text('village_code,name_th\n80010601,"บ้าน\n' + "80010602,x\n" * 20_000)
    with pytest.raises(importer.ImportFileError, match=r"v\.csv, line 2: a cell is longer than"):
        importer.import_file(source, data_root, CODE, "villages")
    assert _work_files(data_root) == []


def test_no_work_file_is_left_after_success_refusal_or_an_error(data_root, tmp_path, monkeypatch):
    good = write_officer_csv(data_root, tmp_path / "good.csv", "utf-8")
    assert importer.import_file(good, data_root, CODE, "villages").written
    bad = tmp_path / "bad.csv"
    bad.write_text("รหัสหมู่บ้าน,ชื่อหมู่บ้าน\n80010601,บ้านหนึ่ง\n", encoding="utf-8")
    assert not importer.import_file(bad, data_root, CODE, "villages").written
    before = villages_path(data_root).read_bytes()

    def disk_on_fire(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer.validate, "validate_package", disk_on_fire)
    with pytest.raises(OSError, match="No space left"):
        importer.import_file(good, data_root, CODE, "villages")
    assert villages_path(data_root).read_bytes() == before
    assert _work_files(data_root) == []


@pytest.mark.parametrize(("signal_name", "exit_code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_an_import_stopped_by_a_signal_leaves_no_temporary_copy(
    data_root, tmp_path, signal_name, exit_code
):
    source = tmp_path / "bmn.csv"
    rows = [f"800106,tambon,{2500 + n // 31},{1 + n % 31},10,5,5" for n in range(6_000)]
    source.write_text("area_code,area_level,year_be,indicator,surveyed,passed,failed\n"
                      + "\n".join(rows) + "\n", encoding="utf-8")  # fmt: skip
    temp = tmp_path / "tmp"  # where the validation copy went before
    temp.mkdir()
    before = (data_root / "80" / CODE / "data" / "bmn_results.csv").read_bytes()
    argv = ["import", str(source), "--tambon", CODE, "--resource", "bmn_results"]
    process = subprocess.Popen(
        [sys.executable, "-m", "tambon_portal.cli", *argv, "--data", str(data_root)],
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (_work_files(data_root) or any(temp.iterdir())) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    process.send_signal(getattr(signal, signal_name))
    _, err = process.communicate(timeout=60)
    assert process.returncode == exit_code, err
    assert "Traceback" not in err
    assert "interrupted; bmn.csv was not imported and nothing was written" in err
    assert (data_root / "80" / CODE / "data" / "bmn_results.csv").read_bytes() == before
    assert _work_files(data_root) == []
    assert list(temp.iterdir()) == []


def test_a_summary_line_ends_the_import_on_stderr(data_root, tmp_path, capsys):
    source = write_officer_csv(data_root, tmp_path / "villages.csv", "utf-8")
    argv = ["import", str(source), "--tambon", CODE, "--resource", "villages"]
    assert cli_main([*argv, "--data", str(data_root)]) == 0
    last = capsys.readouterr().err.splitlines()[-1]
    assert re.fullmatch(
        r"tambon import: 18 rows of villages\.csv read; written to \S+villages\.csv \(\d+\.\d s\)",
        last,
    )


# --- spreadsheets that are not what they say (issue 8, item 10) ---------------------------


def test_openpyxl_parses_spreadsheets_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def _import_exits_2(data_root: Path, source: Path, capsys) -> str:
    before = {p: p.read_bytes() for p in data_root.rglob("*") if p.is_file()}
    argv = ["import", str(source), "--tambon", CODE, "--resource", "villages"]
    assert cli_main([*argv, "--data", str(data_root)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert {p: p.read_bytes() for p in data_root.rglob("*") if p.is_file()} == before
    return captured.err


def test_an_xlsx_with_an_external_entity_is_refused_and_nothing_leaks(data_root, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    source = hostile.crafted_xlsx(tmp_path / "v.xlsx", strings=hostile.xxe_strings(secret))
    err = _import_exits_2(data_root, source, capsys)
    assert "tambon import: v.xlsx was refused: its XML declares entities (<!ENTITY>)" in err
    assert "TOP-SECRET" not in err


def test_an_xlsx_billion_laughs_is_refused(data_root, tmp_path, capsys):
    source = hostile.crafted_xlsx(tmp_path / "v.xlsx", sheet=hostile.billion_laughs_sheet())
    err = _import_exits_2(data_root, source, capsys)
    assert "tambon import: v.xlsx was refused: its XML declares entities (<!ENTITY>)" in err


def test_a_text_file_named_xlsx_is_not_a_zip_archive(data_root, tmp_path, capsys):
    source = tmp_path / "v.xlsx"
    source.write_text("village_code\n80010601\n", encoding="utf-8")
    err = _import_exits_2(data_root, source, capsys)
    assert err.splitlines()[-1] == (
        "tambon import: v.xlsx is not an Excel .xlsx file (it is not a zip archive);"
        " save it as .xlsx or .csv"
    )


def test_a_zip_that_is_no_workbook_is_named(data_root, tmp_path, capsys):
    source = tmp_path / "v.xlsx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    err = _import_exits_2(data_root, source, capsys)
    assert "tambon import: v.xlsx is not a readable Excel .xlsx workbook" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "v.csv is an Excel 97-2003 .xls file"),
        (b"PK\x03\x04" + b"\0" * 100, "v.csv is a zip archive (an Excel .xlsx file under"),
    ],
)
def test_a_binary_file_named_csv_is_named_for_what_it_is(
    data_root, tmp_path, capsys, content, message
):
    source = tmp_path / "v.csv"
    source.write_bytes(content)
    assert message in _import_exits_2(data_root, source, capsys)


def test_an_xlsx_part_that_unzips_too_large_is_refused(data_root, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_XLSX_PART_BYTES", 10_000)
    strings = hostile.PLAIN_STRINGS.replace("</sst>", "<!--" + " " * 20_000 + "--></sst>")
    source = hostile.crafted_xlsx(tmp_path / "v.xlsx", strings=strings)
    err = _import_exits_2(data_root, source, capsys)
    assert "v.xlsx was refused: its part xl/sharedStrings.xml unzips to 20," in err


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_an_empty_file_exits_2_even_with_force_and_the_rows_stay(
    data_root, tmp_path, capsys, content
):
    source = tmp_path / "v.csv"
    source.write_bytes(content)
    before = villages_path(data_root).read_bytes()
    argv = ["import", str(source), "--tambon", CODE, "--resource", "villages", "--force"]
    assert cli_main([*argv, "--data", str(data_root)]) == 2
    assert "tambon import: v.csv is empty: it has no heading row" in capsys.readouterr().err
    assert villages_path(data_root).read_bytes() == before


def test_a_password_protected_or_old_excel_file_named_xlsx_is_named_so(data_root, tmp_path, capsys):
    source = tmp_path / "v.xlsx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an OLE container
    err = _import_exits_2(data_root, source, capsys)
    assert "v.xlsx is a password-protected workbook or an Excel 97-2003 .xls file" in err
