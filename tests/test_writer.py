"""The one CSV, descriptor and machine-JSON writer (packages/writer) and that all use it."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from tambon_portal.packages import writer

SRC = Path(__file__).resolve().parents[1] / "src" / "tambon_portal"


def test_csv_is_quoted_only_where_needed_with_lf_line_ends():
    rows = [["a", "b"], ["1,2", 'x"y'], ["ท่าวัง", ""]]
    assert writer.csv_text(rows) == 'a,b\n"1,2","x""y"\nท่าวัง,\n'
    assert writer.csv_bytes(rows) == writer.csv_text(rows).encode("utf-8")


def test_csv_for_excel_has_a_byte_order_mark_and_crlf():
    assert writer.csv_bytes([["ก", "1"]], excel=True) == "\ufeffก,1\r\n".encode()


def test_a_descriptor_keeps_its_key_order_and_thai_and_writes_a_date_as_text():
    descriptor = {"name": "t", "title": "ท่าวัง", "created": date(2025, 1, 31)}
    assert writer.descriptor_text(descriptor) == (
        '{\n  "name": "t",\n  "title": "ท่าวัง",\n  "created": "2025-01-31"\n}\n'
    )


def test_a_machine_file_has_its_keys_sorted():
    assert (
        writer.json_document({"b": [1], "a": "ก"})
        == '{\n "a": "ก",\n "b": [\n  1\n ]\n}\n'.encode()
    )


def test_files_are_written_as_utf8_with_lf_under_their_folder(tmp_path):
    writer.write_files(tmp_path / "p", {"data/t.csv": "a\nก\n"})
    assert (tmp_path / "p" / "data" / "t.csv").read_bytes() == "a\nก\n".encode()


def _own_writers(path: Path) -> list[str]:
    """Calls that write CSV or a descriptor by hand: csv.writer, DataFrame.to_csv, and
    json.dumps indented as a descriptor or machine file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        owner = node.func.value.id if isinstance(node.func.value, ast.Name) else ""
        indented = any(k.arg == "indent" for k in node.keywords)
        if (
            (owner, name) in {("csv", "writer"), ("csv", "DictWriter")}
            or name == "to_csv"
            or ((owner, name) == ("json", "dumps") and indented)
        ):
            found.append(f"{path.relative_to(SRC)} {owner}.{name}")
    return found


def test_only_the_writer_writes_csv_or_descriptors():
    # sample, scaffold, importer, rollup_package, downloads, catalog and releases each had
    # their own csv.writer or json.dumps; the problems report of `tambon validate --json`
    # is not a descriptor.
    modules = [p for p in sorted(SRC.rglob("*.py")) if p != SRC / "packages" / "writer.py"]
    found = [hit for path in modules for hit in _own_writers(path)]
    # fastcheck writes rows back into a string only to compare them with the file's own text.
    assert found == ["checks/fastcheck.py csv.writer", "checks/validate.py json.dumps"]
