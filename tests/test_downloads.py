from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import frictionless
import openpyxl
import pandas as pd
import pytest
from test_downloads_fixtures import (
    FORMULA_TITLES,
    OTHER_CODE,
    SITE_URL,
    VERSION,
    all_refs,
    write_tambons,
)

from tambon_portal.core import schemas, urls
from tambon_portal.packages import discovery, table_reader
from tambon_portal.publish import download_files, downloads
from tambon_portal.publish.download_files import DownloadFile

CODE = "800106"
TAMBON = f"tambon-{CODE}"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path, list[DownloadFile]]:
    """(data root, downloads folder, files) for two tambons, tiny and the conformance packages."""
    root = tmp_path_factory.mktemp("published")
    refs = all_refs(root)
    out = root / "site" / "downloads"
    files = downloads.write_downloads(refs, out, version=VERSION, site_url=SITE_URL)
    return root / "data", out, files


def _source(data: Path, *parts: str) -> Path:
    return data.joinpath(*parts)


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- plain CSV -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("download", "source"),
    [
        (f"{TAMBON}/plan_projects.csv", ("80", CODE, "data", "plan_projects.csv")),
        (f"{TAMBON}/villages.csv", ("80", CODE, "data", "villages.csv")),
        ("gold-prices/monthly.csv", ("other", "gold-prices", "data", "monthly.csv")),
        ("tiny/changes.csv", ("tiny", "data", "nested", "changes.csv")),
    ],
)
def test_plain_csv_is_a_byte_identical_copy_of_the_source(published, download, source):
    data, out, _ = published
    assert (out / download).read_bytes() == _source(data, *source).read_bytes()


# --- Excel CSV -------------------------------------------------------------------------------


def test_excel_csv_has_a_bom_and_crlf_line_ends(published):
    _, out, _ = published
    raw = (out / TAMBON / "villages.excel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfvillage_code,tambon_code,")
    assert raw.count(b"\r\n") == 3
    assert raw.replace(b"\r\n", b"").count(b"\n") == 0


@pytest.mark.parametrize("resource", ["villages", "plan", "income_summary", "population"])
def test_excel_csv_reread_with_pandas_equals_the_source_table(published, resource):
    data, out, _ = published
    read = {"dtype": str, "keep_default_na": False}
    excel = pd.read_csv(out / TAMBON / f"{resource}.excel.csv", encoding="utf-8", **read)
    source = pd.read_csv(data / "80" / CODE / "data" / f"{resource}.csv", **read)
    assert list(excel.columns) == list(source.columns)  # the BOM is not part of the first name
    pd.testing.assert_frame_equal(excel, source)


def test_excel_csv_neutralises_formula_text_while_plain_csv_keeps_it(published):
    _, out, _ = published
    plain = [r[4] for r in _csv_rows((out / TAMBON / "plan_projects.csv").read_bytes())[3:]]
    excel = [r[4] for r in _csv_rows((out / TAMBON / "plan_projects.excel.csv").read_bytes())[3:]]
    assert plain == FORMULA_TITLES
    assert excel == ["'" + t for t in FORMULA_TITLES]


def test_excel_csv_keeps_negative_numbers_in_numeric_columns_but_guards_text(published):
    _, out, _ = published
    rows = _csv_rows((out / "tiny" / "changes.excel.csv").read_bytes())
    assert rows == [
        ["item", "delta", "ratio", "note"],
        ["a", "-5", "-2.5", "'-5"],
        ["b", "+3", "1e3", "ok"],
        ["c", "", "", "'=1+1"],
    ]


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("-5", {"type": "integer"}, "-5"),
        ("-5", {"type": "string"}, "'-5"),
        ("-2.5", {"type": "number"}, "-2.5"),
        ("=1+2", {"type": "integer"}, "'=1+2"),  # not a number, so a formula: guard it
        ("-", {"type": "number"}, "'-"),
        ("\tx", {"type": "string"}, "'\tx"),
        ("\rx", {"type": "string"}, "'\rx"),
        ("a=b", {"type": "string"}, "a=b"),
        ("2568", {"type": "year"}, "2568"),
        ("-", {"type": "integer", "missingValues": ["-"]}, "'-"),  # a marker is text
    ],
)
def test_neutralise_for_excel_decides_by_schema_type(text, field, expected):
    assert download_files.neutralise_for_excel(text, field) == expected


# --- JSON ------------------------------------------------------------------------------------


def test_json_records_are_typed_per_schema_with_null_for_missing(published):
    _, out, _ = published
    villages = json.loads((out / TAMBON / "villages.json").read_text("utf-8"))
    assert villages[1] == {
        "village_code": "80010602",
        "tambon_code": CODE,
        "village_no": 2,
        "name_th": "บ้านนาเคียน",
        "name_en": None,
        "households": 180,
        "population": 500,
    }
    tambon = json.loads((out / TAMBON / "tambon.json").read_text("utf-8"))[0]
    assert (tambon["area_km2"], tambon["pilot"], tambon["reference_date"]) == (
        12.5,
        True,
        "2025-01-01",
    )
    assert "ท่าไร่" in (out / TAMBON / "tambon.json").read_text("utf-8")  # not \\u escaped


def test_json_writes_a_suppressed_count_as_x_like_the_csv_and_an_empty_cell_as_null(tmp_path):
    def suppress(tables, _descriptor):
        tables["population"][1][4] = "x"

    from fixtures.tambon_package import write_tambon_package

    write_tambon_package(tmp_path / "data", edit=suppress)
    refs = discovery.discover(tmp_path / "data")
    downloads.write_downloads(refs, tmp_path / "dl", version=VERSION, site_url=SITE_URL)
    records = json.loads((tmp_path / "dl" / TAMBON / "population.json").read_text("utf-8"))
    assert [r["persons"] for r in records] == ["x", 250, 200, 250]
    villages = json.loads((tmp_path / "dl" / TAMBON / "villages.json").read_text("utf-8"))
    assert None in {v["name_en"] for v in villages}  # an empty cell: null, not "x"


def test_a_number_with_a_group_char_is_1000_on_the_page_in_json_and_in_xlsx(tmp_path):
    # The downloads had a typer of their own that ignored groupChar: JSON and XLSX gave the
    # text "1,000" where the page (table_reader) showed 1000.
    folder = tmp_path / "data" / "grouped"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "t.csv").write_text('amount,count\n"1,000",๑๒\n', encoding="utf-8")
    fields = [{"name": "amount", "type": "number", "groupChar": ","},
              {"name": "count", "type": "integer"}]  # fmt: skip
    descriptor = {"name": "grouped", "resources": [
        {"name": "t", "path": "data/t.csv", "schema": {"fields": fields}}]}  # fmt: skip
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    refs = discovery.discover(tmp_path / "data")
    page = table_reader.load_tables(refs[0])["t"].iloc[0].tolist()
    downloads.write_downloads(refs, tmp_path / "dl", version=VERSION, site_url=SITE_URL)
    record = json.loads((tmp_path / "dl" / "grouped" / "t.json").read_text("utf-8"))[0]
    sheet = openpyxl.load_workbook(tmp_path / "dl" / "grouped" / "grouped.xlsx")["t"]
    assert page == [1000, 12]
    assert list(record.values()) == [1000, 12]
    assert [c.value for c in sheet[2]] == [1000, 12]


# --- XLSX ------------------------------------------------------------------------------------


def _sheet_values(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_xlsx_has_readme_first_then_one_sheet_per_resource(published):
    _, out, _ = published
    book = openpyxl.load_workbook(out / TAMBON / f"{TAMBON}.xlsx")
    assert book.sheetnames == ["README", "tambon", "villages", "population", "bmn_results",
                               "income_brackets", "income_summary", "occupations", "plan",
                               "plan_issues", "plan_projects", "plan_project_status"]  # fmt: skip
    readme = {row[0]: row[1] for row in _sheet_values(book["README"]) if row and row[0]}
    assert readme["รุ่นข้อมูล / Version"] == VERSION
    assert readme["สัญญาอนุญาต / Licence"] == (
        "Creative Commons Attribution 4.0 https://creativecommons.org/licenses/by/4.0/"
    )
    assert readme["ชื่อชุดข้อมูล / Title"] == "ตำบลท่าไร่ (Tha Rai)"
    described = [
        row for row in _sheet_values(book["README"]) if row[:2] == ["villages", "households"]
    ]
    assert described == [["villages", "households", "integer", "ครัวเรือน", "Registered households"]]


def test_xlsx_header_is_bold_and_frozen(published):
    _, out, _ = published
    sheet = openpyxl.load_workbook(out / TAMBON / f"{TAMBON}.xlsx")["villages"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])


def _expected_cell(text: str, field_type: str):
    """What a spreadsheet user should see for a CSV cell (written independently of downloads)."""
    if text == "":
        return None
    if field_type in ("integer", "year") and text.lstrip("+-").isdigit():
        return int(text)
    if field_type == "number":
        return float(text)
    if field_type == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text


@pytest.mark.parametrize(
    "resource", ["tambon", "villages", "bmn_results", "income_summary", "plan", "plan_projects"]
)
def test_xlsx_reread_with_openpyxl_equals_the_source_table(published, resource):
    data, out, _ = published

    types = [f["type"] for f in schemas.SCHEMAS[resource]["fields"]]
    source = _csv_rows((data / "80" / CODE / "data" / f"{resource}.csv").read_bytes())
    expected = [source[0]] + [[_expected_cell(t, k) for t, k in zip(row, types, strict=True)]
                              for row in source[1:]]  # fmt: skip
    sheet = openpyxl.load_workbook(out / TAMBON / f"{TAMBON}.xlsx")[resource]
    assert _sheet_values(sheet) == expected


def test_xlsx_stores_formula_text_as_strings_never_formulas(published):
    _, out, _ = published
    sheet = openpyxl.load_workbook(out / TAMBON / f"{TAMBON}.xlsx")["plan_projects"]
    titles = [row[4] for row in sheet.iter_rows(min_row=4)]
    assert [c.value for c in titles] == FORMULA_TITLES
    assert [c.data_type for c in titles] == ["s", "s", "s", "s"]
    assert all(c.quotePrefix for c in titles)
    with zipfile.ZipFile(out / TAMBON / f"{TAMBON}.xlsx") as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in book.read(n) for n in sheets)


def test_xlsx_keeps_negative_numbers_as_numbers(published):
    _, out, _ = published
    sheet = openpyxl.load_workbook(out / "tiny" / "tiny.xlsx")["changes"]
    row = [(c.value, c.data_type) for c in sheet[2]]
    assert row == [("a", "s"), (-5, "n"), (-2.5, "n"), ("-5", "s")]


def test_sheet_names_are_legal_unique_and_at_most_31_characters():
    names = download_files.sheet_names(
        ["a" * 40, "a" * 40, "readme", "x/y:z", "A" * 31 + "b", "monthly-processed"]
    )
    assert names == ["a" * 31, "a" * 29 + "~2", "readme~2", "x_y_z", "A" * 29 + "~3",
                     "monthly-processed"]  # fmt: skip


# --- zips ------------------------------------------------------------------------------------


def _unzip(path: Path, target: Path) -> Path:
    with zipfile.ZipFile(path) as archive:
        archive.extractall(target)
    return target


@pytest.mark.parametrize("package", [TAMBON, "gold-prices", "country-codes", "tiny"])
def test_unzipped_package_passes_frictionless_validation(published, tmp_path, package):
    _, out, _ = published
    folder = _unzip(out / package / f"{package}.zip", tmp_path / package)
    report = frictionless.validate(folder / "datapackage.json")
    assert report.flatten(["type"]) == []
    assert report.valid


def test_package_zip_holds_the_descriptor_and_data_exactly_as_the_source(published):
    data, out, _ = published
    with zipfile.ZipFile(out / TAMBON / f"{TAMBON}.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert names[-1] == "datapackage.json"
        assert (
            archive.read("datapackage.json")
            == (data / "80" / CODE / "datapackage.json").read_bytes()
        )
        assert (
            archive.read("data/villages.csv")
            == (data / "80" / CODE / "data" / "villages.csv").read_bytes()
        )
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_yaml_descriptor_becomes_datapackage_json_in_the_zip(published):
    _, out, _ = published
    with zipfile.ZipFile(out / "country-codes" / "country-codes.zip") as archive:
        assert archive.namelist() == ["data/country-codes.csv", "datapackage.json"]
        descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["name"] == "country-codes"
    assert descriptor["last_modified"] == "2023-09-25"


def test_zip_timestamps_follow_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")  # 2025-11-26T00:00:00Z
    archive = zipfile.ZipFile(io.BytesIO(download_files.zip_bytes([("b", b"2"), ("a", b"1")])))
    assert [(i.filename, i.date_time) for i in archive.infolist()] == [
        ("a", (2025, 11, 26, 0, 0, 0)),
        ("b", (2025, 11, 26, 0, 0, 0)),
    ]


# --- province bundles ------------------------------------------------------------------------


def test_province_zip_holds_every_tambon_package_in_its_own_folder(published):
    _, out, _ = published
    with zipfile.ZipFile(out / "bundles" / "tambons-80.zip") as archive:
        folders = sorted({n.split("/")[0] for n in archive.namelist()})
        assert folders == [f"tambon-{OTHER_CODE}", TAMBON]
        assert f"{TAMBON}/datapackage.json" in archive.namelist()
        assert f"{TAMBON}/data/plan_projects.csv" in archive.namelist()


def test_province_table_has_one_header_and_rows_in_tambon_code_order(tmp_path):
    refs = write_tambons(tmp_path / "data")
    # Publishing order must not matter: 800106 first here, 800102 rows still come first.
    downloads.write_downloads(refs[::-1], tmp_path / "dl", version=VERSION, site_url=SITE_URL)
    rows = _csv_rows((tmp_path / "dl" / "bundles" / "villages-80.csv").read_bytes())
    assert [r[0] for r in rows] == ["village_code", "80010201", "80010202", "80010601", "80010602"]
    excel = (tmp_path / "dl" / "bundles" / "villages-80.excel.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbfvillage_code,") and excel.count(b"\r\n") == 5


def test_generic_packages_are_not_in_the_province_bundle(published):
    _, _, files = published
    bundle = {f.path for f in files if f.path.startswith("bundles/")}
    assert "bundles/tambons-80.zip" in bundle
    assert not any("gold" in p or "tiny" in p or "country" in p for p in bundle)


# --- index, checksums, determinism -----------------------------------------------------------


def test_sha256sums_match_every_file_written(published):
    _, out, files = published
    lines = (out / "SHA256SUMS").read_text("utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert sorted(listed) == sorted([f.path for f in files] + ["index.json"])
    for path, digest in listed.items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == digest


def test_index_json_lists_every_download_with_size_and_url(published):
    _, out, files = published
    index = json.loads((out / "index.json").read_text("utf-8"))
    assert index["version"] == VERSION
    assert [f["path"] for f in index["files"]] == [f.path for f in files]
    first = next(f for f in index["files"] if f["path"] == f"{TAMBON}/villages.csv")
    assert first["size"] == (out / TAMBON / "villages.csv").stat().st_size
    assert first["url"] == f"{SITE_URL}/{VERSION}/downloads/{TAMBON}/villages.csv"
    assert (first["media_type"], first["package"], first["resource"], first["format"]) == (
        "text/csv",
        TAMBON,
        "villages",
        "csv",
    )


def test_every_package_gets_each_format(published):
    _, _, files = published
    formats = {(f.package, f.resource, f.format) for f in files}
    for fmt in ("csv", "excel-csv", "json"):
        assert (TAMBON, "plan_projects", fmt) in formats
        assert ("gold-prices", "monthly-processed", fmt) in formats
    assert (TAMBON, None, "xlsx") in formats and (TAMBON, None, "zip") in formats
    assert ("tambons-80", "bmn_results", "csv") in formats


def test_two_runs_write_identical_bytes(tmp_path):
    refs = all_refs(tmp_path)
    first = downloads.write_downloads(refs, tmp_path / "a", version=VERSION, site_url=SITE_URL)
    second = downloads.write_downloads(refs, tmp_path / "b", version=VERSION, site_url=SITE_URL)
    assert first == second
    for name in ["SHA256SUMS", "index.json", *(f.path for f in first)]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def _write_generic(folder: Path, name: str, csv_text: str) -> None:
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "t.csv").write_text(csv_text, encoding="utf-8")
    descriptor = {"name": name, "resources": [{"name": "t", "path": "data/t.csv"}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_xlsx_drops_control_characters_xml_cannot_hold_but_csv_keeps_them(tmp_path):
    _write_generic(tmp_path / "data" / "ctl", "ctl", "a,b\nx\x0by,=2\n")
    refs = discovery.discover(tmp_path / "data")
    downloads.write_downloads(refs, tmp_path / "dl", version=VERSION, site_url=SITE_URL)
    assert (tmp_path / "dl" / "ctl" / "t.csv").read_bytes() == b"a,b\nx\x0by,=2\n"
    sheet = openpyxl.load_workbook(tmp_path / "dl" / "ctl" / "ctl.xlsx")["t"]
    assert [c.value for c in sheet[2]] == ["xy", "=2"]
    assert sheet["B2"].data_type == "s"


def test_a_package_name_that_is_not_a_safe_path_gets_a_safe_folder(tmp_path):
    _write_generic(tmp_path / "data" / "odd", "../odd name", "a\n1\n")
    refs = discovery.discover(tmp_path / "data")
    files = downloads.write_downloads(refs, tmp_path / "dl", version=VERSION, site_url=SITE_URL)
    assert [f.path for f in files] == [
        "odd-name/odd-name.xlsx",
        "odd-name/odd-name.zip",
        "odd-name/t.csv",
        "odd-name/t.excel.csv",
        "odd-name/t.json",
    ]
    assert {f.package for f in files} == {"odd-name"}


def test_a_csv_without_header_row_takes_its_column_names_from_the_schema(tmp_path):
    folder = tmp_path / "data" / "nohead"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "t.csv").write_text("1;=x\n", encoding="utf-8")
    descriptor = {"name": "nohead", "resources": [{
        "name": "t", "path": "data/t.csv", "dialect": {"header": False, "delimiter": ";"},
        "schema": {"fields": [{"name": "n", "type": "integer"}, {"name": "s", "type": "string"}]},
    }]}  # fmt: skip
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    downloads.write_downloads(discovery.discover(tmp_path / "data"), tmp_path / "dl",
                              version=VERSION, site_url=SITE_URL)  # fmt: skip
    assert json.loads((tmp_path / "dl" / "nohead" / "t.json").read_text()) == [{"n": 1, "s": "=x"}]
    excel = (tmp_path / "dl" / "nohead" / "t.excel.csv").read_bytes()
    assert excel == b"\xef\xbb\xbfn,s\r\n1,'=x\r\n"


def test_a_path_written_twice_in_one_build_raises_instead_of_overwriting(tmp_path):
    # Unvalidated on purpose: `tambon validate` refuses this pair (name-collision).
    _write_generic(tmp_path / "data" / "water", "water/data", "a\n1\n")
    _write_generic(tmp_path / "data" / "water-data", "water-data", "a\n2\n")
    refs = discovery.discover(tmp_path / "data")
    with pytest.raises(downloads.DuplicateDownload, match=r"downloads/water-data/t\.csv"):
        downloads.write_downloads(refs, tmp_path / "dl", version=VERSION, site_url=SITE_URL)
    assert (tmp_path / "dl" / "water-data" / "t.csv").read_text() == "a\n1\n"


def test_a_tambon_package_is_published_under_its_code_whatever_its_name(tmp_path):
    from fixtures.tambon_package import write_tambon_package

    write_tambon_package(tmp_path / "data", edit=lambda _t, d: d.update(name="tha-rai"))
    refs = discovery.discover(tmp_path / "data")
    files = downloads.write_downloads(refs, tmp_path / "dl", version=VERSION, site_url=SITE_URL)
    assert {f.path.split("/")[0] for f in files} == {TAMBON, urls.BUNDLES_DIR}


def _sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_province_bmn_bundle_has_a_labelled_workbook_a_journalist_can_read_as_it_opens(
    published,
):
    _, out, files = published
    path = out / "bundles" / "bmn_results-80.labelled.xlsx"
    assert "bundles/bmn_results-80.labelled.xlsx" in {f.path for f in files}
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["ระดับตำบล (tambons)", "ระดับหมู่บ้าน (villages)"]
    header, *rows = _sheet_rows(book["ระดับตำบล (tambons)"])
    assert header[:5] == ["ปี พ.ศ. (year BE)", "รหัสอำเภอ (district code)", "อำเภอ (district)",
                          "รหัสตำบล (tambon code)", "ตำบล (tambon)"]  # fmt: skip
    line = next(r for r in rows if r[3] == CODE and r[7] == 22)
    assert line[:5] == [2568, "8001", "เมืองนครศรีธรรมราช", CODE, "ท่าไร่"]
    assert line[5:7] == [None, None]  # a tambon row names no village
    assert line[8] == "เศรษฐกิจและรายได้" and "38,000" in line[9]
    assert line[10:] == [300, 250, 50, 83.3]
    assert rows[-1][0].startswith("x = ปกปิด: จำนวน 1–4 หรือช่องที่ปกปิดเพิ่ม")
    _, *villages = _sheet_rows(book["ระดับหมู่บ้าน (villages)"])
    village = next(r for r in villages if r[5] == "80010601" and r[7] == 22)
    assert village[6] == "บ้านท่าไร่" and village[10:] == [120, 100, 20, 83.3]
    assert all(r[5] for r in villages if r and isinstance(r[0], int))  # village rows only
