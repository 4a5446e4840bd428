"""publish/province_workbook: the province's labelled BMN workbook pieced from each tambon's rows,
the same cells as the workbook written whole, with only what changed made again."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tambon_portal.packages import discovery
from tambon_portal.publish import downloads, labelled, province_workbook
from tambon_portal.publish.download_files import Package, no_memo
from tambon_portal.publish.xlsx import sheets_xlsx_bytes

COMMITTED = Path(__file__).resolve().parents[1] / "datapackages"


@pytest.fixture(scope="module")
def pilot() -> list[Package]:
    """The first 12 tambon packages of the committed pilot: enough tambons to join, few enough
    to write whole in seconds."""
    refs = sorted((r for r in discovery.discover(COMMITTED) if r.kind == "tambon"),
                  key=lambda r: r.tambon_code or "")  # fmt: skip
    packages = [downloads.read_package(r) for r in refs]
    return packages[:12]


class CountingMemo:
    """A memo in memory that records the kind of each item it had to make."""

    def __init__(self) -> None:
        self.saved: dict[tuple, object] = {}
        self.made: list[tuple] = []

    def __call__(self, parts, compute):
        missing = [i for i, p in enumerate(parts) if p not in self.saved]
        for i, made in zip(missing, compute(missing), strict=True):
            self.saved[parts[i]] = made
            self.made.append(parts[i])
        return [self.saved[p] for p in parts]


def members_of(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert opened.testzip() is None
        return {name: opened.read(name) for name in opened.namelist()}


def whole(packages: list[Package]) -> bytes:
    rows = labelled.merged_rows([province_workbook.member_rows(p) for p in packages])
    return sheets_xlsx_bytes(labelled.bmn_sheets(rows))


def pieced(packages: list[Package], keys: list[str], memo=no_memo) -> bytes:
    return province_workbook.labelled_workbook(keys, packages.__getitem__, memo)


def with_bmn_rows(package: Package, edit) -> Package:
    tables = [dataclasses.replace(t, rows=edit(t)) if t.name == labelled.BMN_RESOURCE else t
              for t in package.tables]  # fmt: skip
    return dataclasses.replace(package, tables=tables)


def one_count_changed(table) -> list[list[str]]:
    column = table.header.index("surveyed")
    rows = [list(r) for r in table.rows]
    row = next(r for r in rows if r[column].isdigit())
    row[column] = str(int(row[column]) + 1)
    return rows


def test_the_pieced_workbook_holds_every_sheet_the_whole_workbook_holds_to_the_byte(pilot):
    keys = [p.name for p in pilot]
    assert members_of(pieced(pilot, keys)) == members_of(whole(pilot))
    sheet = openpyxl.load_workbook(io.BytesIO(pieced(pilot, keys)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len({r[3] for r in rows[1:-2]}) == len(pilot)  # a row block of every tambon
    assert rows[-1][0] == labelled.NOTE


def test_after_one_tambons_count_changed_only_its_rows_are_made_again(pilot):
    memo = CountingMemo()
    keys = [p.name for p in pilot]
    pieced(pilot, keys, memo)
    changed = [*pilot]
    changed[5] = with_bmn_rows(pilot[5], one_count_changed)
    keys[5] += "-changed"
    memo.made.clear()
    again = pieced(changed, keys, memo)
    assert [part[0] for part in memo.made] == ["labelled-span", "labelled-rows"]
    assert again == pieced(changed, keys)  # as a build with nothing kept
    assert members_of(again) == members_of(whole(changed))


def test_a_tambon_with_one_row_more_moves_and_so_makes_again_the_rows_after_it_only(pilot):
    memo = CountingMemo()
    keys = [p.name for p in pilot]
    pieced(pilot, keys, memo)
    longer = [*pilot]
    longer[8] = with_bmn_rows(pilot[8], lambda table: [*table.rows, table.rows[-1]])
    keys[8] += "-longer"
    memo.made.clear()
    again = pieced(longer, keys, memo)
    assert {part[1] for part in memo.made if part[0] == "labelled-rows"} == set(keys[8:])
    assert members_of(again) == members_of(whole(longer))


def test_rows_out_of_the_tambons_order_are_written_whole_in_the_workbooks_order(pilot):
    later = pilot[-1].descriptor.get("tambon_code") or pilot[-1].ref.tambon_code

    def moved_to_the_last_tambon(table) -> list[list[str]]:
        column = table.header.index("area_code")
        rows = [list(r) for r in table.rows]
        rows[0][column] = str(later) + rows[0][column][6:]
        return rows

    stray = [with_bmn_rows(pilot[0], moved_to_the_last_tambon), *pilot[1:]]
    archive = pieced(stray, [p.name for p in stray])
    assert archive == whole(stray)
    sheet = openpyxl.load_workbook(io.BytesIO(archive), read_only=True).worksheets[0]
    codes = [r[3] for r in list(sheet.iter_rows(values_only=True))[1:-2]]
    assert codes == sorted(codes)


def test_a_formula_looking_village_name_has_the_workbook_written_whole_by_openpyxl(pilot):
    villages = next(t for t in pilot[3].tables if t.name == "villages")
    column = villages.header.index("name_th")
    rows = [list(r) for r in villages.rows]
    rows[0][column] = "=HYPERLINK(1)"  # openpyxl writes it with a quote prefix, sheet_xml never
    tables = [dataclasses.replace(t, rows=rows) if t is villages else t for t in pilot[3].tables]
    formula = [*pilot[:3], dataclasses.replace(pilot[3], tables=tables), *pilot[4:]]
    assert pieced(formula, [p.name for p in formula]) == whole(formula)
