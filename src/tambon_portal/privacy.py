"""The personal-data scan: cells and columns that must never be published (DESIGN.md §4).

It runs on every package, tambon or generic, over the raw CSV text (before any typing), so
that what is checked is exactly what would be published. Detectors are deliberately narrow:
a national ID must have a valid checksum, a phone number must have a Thai number's shape,
and a "name" column of a place or code list is a place name, not a person's. The real
third-party packages in the conformance set must come out clean.

Small counts (1–4) and complements that reveal a suppressed cell are checked for tambon
packages only, where the shared schemas say which counts describe households or persons.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd

from tambon_portal import schemas, suppress
from tambon_portal.problems import Problem

SUPPRESSED_VALUES = frozenset(schemas.MISSING_VALUES)  # "" and "x"
# Every code this scan reports.
CODES = frozenset(
    {"national-id", "phone-number", "person-name", "house-number", "small-count",
     "complement-revealed"}
)  # fmt: skip

# --- national ID numbers -----------------------------------------------------------------

# 13 digits, plain or in the printed 1-2345-67890-12-1 grouping (dashes or spaces).
_NATIONAL_ID = re.compile(
    r"(?<![\d-])(?<!\d[.,])(\d{13}|\d([- ])\d{4}\2\d{5}\2\d{2}\2\d)(?![\d-]|[.,]\d)"
)


def is_valid_national_id(digits: str) -> bool:
    """The mod-11 checksum of a Thai 13-digit national ID number."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def find_national_ids(text: str) -> list[str]:
    """13-digit numbers in `text` that pass the checksum (a random number passes 1 in 10)."""
    found = []
    for match in _NATIONAL_ID.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if is_valid_national_id(digits):
            found.append(match.group(1))
    return found


# --- phone numbers -------------------------------------------------------------------------

# A trunk prefix (0, or +66 / 66 with a plus) then digits with optional dashes or spaces.
_PHONE = re.compile(
    r"(?<![0-9A-Za-z_+/-])(?<!\d[.,])(\+66[- ]?|0)(\d(?:[- ]?\d){7,8})(?![0-9A-Za-z_/-]|[.,]\d)"
)


def _is_thai_subscriber_number(national: str) -> bool:
    """Digits after the trunk prefix: mobile 6/8/9 + 8 digits, landline 2–7 + 7 digits."""
    if len(national) == 9:
        return national[0] in "689"
    return len(national) == 8 and national[0] in "234567"


def find_phone_numbers(text: str) -> list[str]:
    found = []
    for match in _PHONE.finditer(text):
        if _is_thai_subscriber_number(re.sub(r"\D", "", match.group(2))):
            found.append(match.group(0))
    return found


# --- person names ---------------------------------------------------------------------------

# Column names that always mean a person's name.
_PERSON_COLUMNS = re.compile(
    r"^(first_?name|given_?name|last_?name|sur_?name|family_?name|full_?name|name_person"
    r"|person_?name|head_of_household|household_head|respondent(_name)?|owner_name"
    r"|ชื่อ-?สกุล|ชื่อ-?นามสกุล|ชื่อและนามสกุล|นามสกุล|ชื่อจริง|ชื่อผู้.*|หัวหน้าครัวเรือน)$",
    re.IGNORECASE,
)
# Column names that mean a person's name unless the table is a list of places or codes.
_AMBIGUOUS_NAME_COLUMNS = re.compile(r"^(ชื่อ|name)$", re.IGNORECASE)
_CODE_COLUMN = re.compile(r"(code|รหัส|^id$|_id$|_no$|^iso)", re.IGNORECASE)

_THAI_WORD = r"[\u0E01-\u0E4E]{2,}"
_TITLES = r"(?:นางสาว|นาง|นาย|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง)"
# Words that follow นาย/นาง in job titles and common words, not in a person's name.
_NOT_A_NAME = (
    r"(?!ก(?:เทศ|องค์|อบต|รัฐ|สมาคม|ชมรม)|อำเภอ|ช่าง|ทะเบียน|จ้าง|ทุน|หน้า|ด่าน|พราน"
    r"|ร้อย|พัน|สิบ|พล|แพทย์|ทหาร|ตรวจ|ประกัน|ธนาคาร|ห้าง|อากร|งาน|พยาบาล|ฟ้า|พญา|รอง)"
)
# A title, a given name and a surname: "นายสมชาย ใจดี", "ด.ญ. มะลิ หอมดี".
_TITLED_NAME = re.compile(
    rf"(?:^|[\s:(,])({_TITLES}\s?{_NOT_A_NAME}{_THAI_WORD}\s+{_THAI_WORD})"
    r"|(?:^|[\s:(,])((?:Mr|Mrs|Ms|Miss)\.?\s+[A-Z][a-z]+\s+[A-Z][a-z]+)"
)


def find_titled_names(text: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in _TITLED_NAME.finditer(text)]


def is_place_or_code_list(header: Sequence[str]) -> bool:
    """A table with a code column lists places or codes: its "name" is a place's name."""
    return any(_CODE_COLUMN.search(column) for column in header)


def is_person_name_column(column: str, header: Sequence[str]) -> bool:
    name = column.strip()
    if _PERSON_COLUMNS.match(name):
        return True
    return bool(_AMBIGUOUS_NAME_COLUMNS.match(name)) and not is_place_or_code_list(header)


# --- house numbers --------------------------------------------------------------------------

_HOUSE_COLUMNS = re.compile(
    r"^(house_?(no|number|num)|houseno|address(_line\d?)?|home_address|street_address"
    r"|บ้านเลขที่|เลขที่บ้าน|ที่อยู่|ที่อยู่ตามทะเบียนบ้าน)$",
    re.IGNORECASE,
)
# "บ้านเลขที่ 12/3", "เลขที่ 45/1", "12/3 หมู่ 4", "12/3 ม.4".
_HOUSE_NUMBER = re.compile(
    r"บ้านเลขที่\s*\d+(?:/\d+)?|เลขที่\s*\d+/\d+|(?<![\d/])\d+/\d+\s*(?:หมู่(?:ที่)?|ม\.)\s*\d"
)


def is_house_number_column(column: str) -> bool:
    return bool(_HOUSE_COLUMNS.match(column.strip()))


def find_house_numbers(text: str) -> list[str]:
    return _HOUSE_NUMBER.findall(text)


# --- the scan -------------------------------------------------------------------------------


def _unique(names: Sequence[object]) -> list[str]:
    """Column names made unique (a repeated header is frictionless's to report)."""
    seen: dict[str, int] = {}
    out = []
    for position, name in enumerate(map(str, names)):
        out.append(name if name not in seen else f"{name} (column {position + 1})")
        seen[name] = position
    return out


def _text_frame(
    table: pd.DataFrame | Iterable[Sequence[str]], header: Sequence[str] | None
) -> pd.DataFrame:
    """All cells as str ("" for missing), one uniquely named column per position."""
    if isinstance(table, pd.DataFrame):
        names = list(table.columns)
        values = table.astype(object).where(table.notna(), "").astype(str)
        frame = pd.DataFrame(values.to_numpy(), columns=range(len(names)), dtype=object)
    else:
        names = list(header or [])
        width = len(names)
        # Ragged rows are frictionless's to report; pad or cut them so every cell is scanned.
        padded = [(list(row) + [""] * width)[:width] for row in table]
        frame = pd.DataFrame(padded, columns=range(width), dtype=object)
    frame.columns = _unique(names)
    return frame


class _Reporter:
    def __init__(self, package: str, resource: str, file: str, first_row: int) -> None:
        self.package, self.resource, self.file, self.first_row = package, resource, file, first_row
        self.problems: list[Problem] = []

    def add(self, index: int | None, field: str | None, code: str, message: str) -> None:
        row = None if index is None else index + self.first_row
        self.problems.append(
            Problem(self.package, self.resource, self.file, row, field, code, message)
        )


def _scan_columns(frame: pd.DataFrame, report: _Reporter) -> None:
    header = [str(c) for c in frame.columns]
    for column in header:
        has_values = bool((frame[column].str.strip() != "").any())
        if not has_values:
            continue
        if is_person_name_column(column, header):
            report.add(
                None,
                column,
                "person-name",
                f"column '{column}' holds names of persons (ชื่อบุคคล), which are never"
                " published; remove the column (publish counts, not people)",
            )
        if is_house_number_column(column):
            report.add(
                None,
                column,
                "house-number",
                f"column '{column}' holds house numbers or addresses (บ้านเลขที่/ที่อยู่),"
                " which identify a household; remove the column",
            )


def _scan_cells(frame: pd.DataFrame, report: _Reporter) -> None:
    for column in frame.columns:
        for index, value in enumerate(frame[column]):
            if not value or (len(value) < 8 and not any(ord(ch) > 127 for ch in value)):
                continue  # too short to hold an ID, a phone number or a titled name
            _scan_cell(value, index, str(column), report)


def _scan_cell(value: str, index: int, column: str, report: _Reporter) -> None:
    for found in find_national_ids(value):
        report.add(
            index,
            column,
            "national-id",
            f"'{found}' is a Thai national ID number (เลขประจำตัวประชาชน, valid checksum);"
            " personal IDs are never published: remove it",
        )
    for found in find_phone_numbers(value):
        report.add(
            index,
            column,
            "phone-number",
            f"'{found}' looks like a Thai phone number (เบอร์โทรศัพท์); personal contact"
            " details are never published: remove it (an office number belongs on a web page)",
        )
    for found in find_titled_names(value):
        report.add(
            index,
            column,
            "person-name",
            f"'{found}' looks like a person's name (ชื่อบุคคล, with a title such as นาย/นาง);"
            " names of persons are never published: remove it or give a role instead",
        )
    for found in find_house_numbers(value):
        report.add(
            index,
            column,
            "house-number",
            f"'{found}' looks like a house number (บ้านเลขที่), which identifies a household;"
            " remove it (give the village, หมู่ที่, instead)",
        )


def is_small_count(value: str) -> bool:
    """1–4 however the integer is written: frictionless reads "03", "+3" and Thai "๓" as 3."""
    try:
        count = int(value)
    except ValueError:
        return False
    return 1 <= count < suppress.SMALLEST_PUBLISHED


def _scan_small_counts(frame: pd.DataFrame, fields: Sequence[str], report: _Reporter) -> None:
    for field in fields:
        if field not in frame.columns:
            continue
        for index, value in enumerate(frame[field]):
            if is_small_count(value):
                report.add(
                    index,
                    field,
                    "small-count",
                    f"count {value.strip()} is 1–4 and could identify a household"
                    " (ข้อมูลจำนวนน้อย); suppress it: write x (and suppress a second cell"
                    " where a total would reveal it)",
                )


def _is_suppressed(value: str) -> bool:
    return value.strip() in SUPPRESSED_VALUES


def _scan_bmn_pairs(frame: pd.DataFrame, report: _Reporter) -> None:
    """passed + failed = surveyed: one cell of a row must not be worked back from the others."""
    needed = {"surveyed", "passed", "failed"}
    if not needed <= set(frame.columns):
        return
    for index, (surveyed, passed, failed) in enumerate(
        frame[["surveyed", "passed", "failed"]].itertuples(index=False)
    ):
        if _is_suppressed(surveyed):
            # A published passed or failed bounds (both together give) the hidden surveyed.
            for name, value in (("passed", passed), ("failed", failed)):
                if not _is_suppressed(value):
                    report.add(
                        index,
                        name,
                        "complement-revealed",
                        f"'surveyed' is suppressed but '{name}' is published, which gives it"
                        f" back or bounds it (เปิดเผยค่าที่ปกปิด); suppress {name} too: write x",
                    )
            continue
        if _is_suppressed(passed) == _is_suppressed(failed):
            continue
        hidden, shown = ("passed", "failed") if _is_suppressed(passed) else ("failed", "passed")
        report.add(
            index,
            shown,
            "complement-revealed",
            f"'{hidden}' is suppressed but surveyed − {shown} gives it back"
            f" (เปิดเผยค่าที่ปกปิด); suppress {shown} too: write x",
        )


def _group_frame(resource: str, frame: pd.DataFrame) -> pd.DataFrame:
    if resource != "bmn_results":
        return frame
    # Only village rows form groups; the tambon row is their total.
    villages = frame[frame["area_level"].str.strip() == "village"].copy()
    villages["tambon"] = villages["area_code"].str.strip().str[:6]
    return villages


def _scan_lone_suppressed(resource: str, frame: pd.DataFrame, report: _Reporter) -> None:
    # Cells of one group add up to a published total: one suppressed cell alone is revealed.
    keys, columns = suppress.GROUPS[resource]
    needed = (set(keys) - {"tambon"}) | set(columns)
    if resource == "bmn_results":
        needed |= {"area_code", "area_level"}
    if not needed <= set(frame.columns):
        return
    groups = _group_frame(resource, frame.reset_index(drop=True))
    for column in columns:
        suppressed = groups[column].map(_is_suppressed)
        lone = suppressed.groupby([groups[k] for k in keys]).transform("sum") == 1
        for index in groups.index[suppressed & lone]:
            report.add(
                int(index),
                column,
                "complement-revealed",
                f"the only suppressed '{column}' of its group (เปิดเผยค่าที่ปกปิด): the total"
                " minus the other cells gives it back; suppress a second cell of the group"
                " (the smallest non-zero one): write x",
            )


def scan_table(
    resource: str,
    table: pd.DataFrame | Iterable[Sequence[str]],
    header: Sequence[str] | None = None,
    *,
    package: str = "",
    file: str = "",
    tambon: bool = False,
    first_row: int = 2,
) -> list[Problem]:
    """Personal data in one table; `table` is a frame or the data rows (without the header).

    `first_row` is the row number of the first data row (frictionless counts the header as 1).
    With `tambon=True` the small-count and complement rules of the shared schemas apply too.
    """
    frame = _text_frame(table, header)
    report = _Reporter(package, resource, file, first_row)
    _scan_columns(frame, report)
    _scan_cells(frame, report)
    if tambon:
        _scan_small_counts(frame, schemas.SMALL_COUNT_FIELDS.get(resource, ()), report)
        if resource == "bmn_results":
            _scan_bmn_pairs(frame, report)
        if resource in suppress.GROUPS:
            _scan_lone_suppressed(resource, frame, report)
    return sorted(report.problems, key=_order)


def _order(problem: Problem) -> tuple:
    return (problem.row or 0, problem.field or "", problem.code)
