"""The rows of a labelled sheet as the worksheet XML openpyxl writes for them, byte for byte.

Why: the province's labelled BMN workbook holds about 700,000 cells, and openpyxl makes an
object per cell: it was most of a rebuild after one changed cell (about 5 s of 19 s). This
writes the same `<row>`/`<c>` elements openpyxl's write-only sheet writes (inline strings,
`%.16g` numbers, `xml:space="preserve"` for text with outer spaces, characters outside ASCII
as references), and says None for any value it does not cover (a formula-looking text, which
openpyxl styles with a quote prefix; a date; a number that is not finite; ...), so the caller
lets openpyxl write that sheet. `tests/test_downloads.py` compares the two writers' bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

# openpyxl writes text through an ASCII XML serialiser: markup characters escaped, a carriage
# return and every character outside ASCII as a numeric reference.
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_MAX_EXACT_INT = 10**15  # below this "%.16g" writes an integer's digits as they are


def _escaped(text: str) -> str:
    # Python's "xmlcharrefreplace" writes the same decimal references (&#3585;) as openpyxl,
    # at C speed: Thai text is all outside ASCII, a reference per letter.
    return text.translate(_MARKUP).encode("ascii", "xmlcharrefreplace").decode("ascii")


def column_letters(count: int) -> list[str]:
    """A, B, ..., Z, AA, ...: the column part of the first `count` cell references."""
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def cell_xml(ref: str, value: Any) -> str | None:
    """One `<c>` element as openpyxl writes it, or None where openpyxl must write it. `value`
    is text already cleaned for XML (`xlsx.xlsx_text`) and not formula-looking."""
    if value is None:
        return ""  # openpyxl writes no element for an empty cell
    if isinstance(value, str):
        if value == "":
            return f'<c r="{ref}" t="inlineStr"></c>'
        return _inline_text(ref, value, _escaped(value))
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) < _MAX_EXACT_INT:
        return f'<c r="{ref}" t="n"><v>{value}</v></c>'
    if isinstance(value, float) and math.isfinite(value):
        return f'<c r="{ref}" t="n"><v>{value:.16g}</v></c>'
    return None


def _inline_text(ref: str, value: str, escaped: str) -> str:
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


# Stands for the row number in a row's template: a control character that `_escaped` text
# never holds (`xlsx.xlsx_text` drops them), so numbering is one `str.replace` per row.
NUMBER = "\x00"


def row_templates(rows: Sequence[Sequence[Any]]) -> list[str] | None:
    """Each row's `<row>` element with its number left as `NUMBER` (an empty row is
    `<row r="n"></row>`), so rows made apart can be numbered where they are joined. None as soon
    as one value is not covered (`cell_xml`)."""
    width = max((len(row) for row in rows), default=0)
    refs = [letter + NUMBER for letter in column_letters(width)]
    templates = []
    escaped: dict[str, str] = {}  # a sheet repeats its labels and names: each escaped once
    for row in rows:
        parts = [f'<row r="{NUMBER}">']
        for ref, value in zip(refs, row, strict=False):
            if isinstance(value, str) and value:
                if (text := escaped.get(value)) is None:
                    text = escaped[value] = _escaped(value)
                cell = _inline_text(ref, value, text)
            else:
                cell = cell_xml(ref, value)
                if cell is None:  # not covered: openpyxl writes the sheet
                    return None
            parts.append(cell)
        parts.append("</row>")
        templates.append("".join(parts))
    return templates


def numbered(templates: Sequence[str], first_row: int) -> str:
    """The rows of `templates` numbered from `first_row` on."""
    return "".join(t.replace(NUMBER, str(n)) for n, t in enumerate(templates, first_row))


def rows_xml(rows: Sequence[Sequence[Any]], first_row: int) -> str | None:
    """`<row>` elements from row number `first_row` on; None as soon as one value is not
    covered (`cell_xml`)."""
    templates = row_templates(rows)
    return None if templates is None else numbered(templates, first_row)
