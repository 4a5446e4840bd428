"""publish/sheet_xml: a labelled workbook's rows written as openpyxl writes them, to the byte."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tambon_portal.publish import sheet_xml, xlsx
from tambon_portal.publish.download_files import looks_like_formula

TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab ก่ิ๑&<>\"'\r\n\t=+-@x\x01")), max_size=12),
    st.sampled_from(["ตำบล", " lead", "trail ", "=SUM(A1)", ""]),
)
VALUE = st.one_of(
    st.none(),
    TEXT,
    st.integers(min_value=-(10**16), max_value=10**16),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
SHEET = st.tuples(
    st.text(alphabet="abc", min_size=1, max_size=5),
    st.lists(TEXT, min_size=1, max_size=4),
    st.lists(st.lists(VALUE, max_size=5), max_size=6),
    TEXT,
)


def openpyxl_only(sheets) -> bytes:
    return xlsx._deterministic_xlsx(xlsx._labelled_workbook(sheets, with_rows=True))


@settings(max_examples=150, deadline=None)
@given(st.lists(SHEET, min_size=1, max_size=2, unique_by=lambda s: s[0]))
def test_a_labelled_workbook_has_the_bytes_openpyxl_alone_writes(sheets):
    assert xlsx.sheets_xlsx_bytes(sheets) == openpyxl_only(sheets)


def test_the_fast_rows_cover_text_numbers_and_empty_cells_and_refuse_what_they_do_not():
    assert sheet_xml.cell_xml("A1", None) == ""
    assert (
        sheet_xml.cell_xml("B2", 97.90000000000001)
        == '<c r="B2" t="n"><v>97.90000000000001</v></c>'
    )
    assert sheet_xml.cell_xml("C3", "ก & b") == (
        '<c r="C3" t="inlineStr"><is><t>&#3585; &amp; b</t></is></c>'
    )
    assert sheet_xml.cell_xml("D4", float("nan")) is None  # openpyxl writes these
    assert sheet_xml.cell_xml("D4", True) is None
    assert sheet_xml.column_letters(28)[-3:] == ["Z", "AA", "AB"]


COVERED_TEXT = st.text(alphabet=st.sampled_from(list("ab ก่ิ๑&<>\"'\r\n\tx")), max_size=12).filter(
    lambda text: not looks_like_formula(text)  # formula-looking text goes to openpyxl
)
COVERED = st.one_of(
    st.none(),
    COVERED_TEXT,
    st.integers(min_value=-(10**14), max_value=10**14),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(COVERED, max_size=6), min_size=1, max_size=8), COVERED_TEXT)
def test_rows_of_text_numbers_and_empty_cells_take_the_fast_path_with_the_same_bytes(rows, note):
    assert xlsx._rows_below_header([*rows, [], [note]]) is not None  # the fast path is taken
    sheets = [("s", ["a", "ข"], rows, note)]
    assert xlsx.sheets_xlsx_bytes(sheets) == openpyxl_only(sheets)
