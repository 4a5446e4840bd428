"""The personal-data scan: cells, columns and descriptor text that must never be published.

It runs on every package, tambon or generic, over the raw CSV text (before any typing), so
that what is checked is exactly what would be published (docs/architecture.md §4). Detectors are
deliberately narrow, so that the real third-party packages in the conformance set and the
pilot packages come out clean:

- national-id: a 13-digit number with a valid checksum (Thai digits too), anywhere;
- phone-number: a Thai number's shape, written 081-234-5678, 081.234.5678, (081) 234 5678,
  +66 81 234 5678 or in Thai digits, anywhere;
- email: an e-mail address, anywhere;
- person-name: a person-name column (first_name, ชื่อ - สกุล, ...), a title and two names
  (นายสมชาย ใจดี, Mr. John Smith) anywhere, and two Thai words with no place word in front
  (สมชาย ใจดี) in the "name" column of a place or code list (Thai place names are one word:
  บ้านท่าไร่; they start with a place word when they are not: บ้านนา ใต้);
- house-number, household-id, birth-date, social-handle: columns with such headers, and house
  numbers, DOPA house codes (1234-567890-1) and "Line: handle" written in text;
- precise-location: a coordinate column (lat, lng, latitude, lat_lon, gps, ละติจูด, พิกัด ...)
  whose value has 4 or more decimals of a degree (about 11 m: one house) or is a UTM metre
  value (6–7 digits), and a latitude, longitude pair inside Thailand with 4 or more decimals
  anywhere in text. 3 decimals (about 110 m) is an area, not a house: the tambon centroids the
  portal ships (src/tambon_portal/data) have 3 and are never published as a dataset.

Headers are compared after `header_key`: case, spaces, `_`, `-`, `.` and a language suffix
(_th, _en, (ไทย)) do not matter, so `ชื่อ - สกุล`, `first name` and `Full_Name_TH` are found;
`HEADER_WORDS` is the one list of header words.

Descriptor text is scanned too: the package's and each resource's title, description,
keywords, sources, contributors and maintainers, and each field's title and description. A
contributor's or maintainer's own name (its title) is credit the contributor gave for
publication and is not refused; their e-mail or phone is, unless reviewed.

A maintainer may declare a column, or a descriptor property, reviewed and public (e.g. the
office phone of a tambon office) with a `publicReviewed` declaration naming the detectors it
exempts and why (docs/publishing.md). It exempts only that column or property, only from the
detectors it names, and never from national-id; a declaration without a reason, or naming an
unknown detector, is itself a problem and exempts nothing.

Small counts (1–4) and complements that reveal a suppressed cell are checked for tambon
packages only, where the shared schemas say which counts describe households or persons.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import pandas as pd

from tambon_portal.core import schemas
from tambon_portal.core.problems import Problem
from tambon_portal.packages.table_reader import THAI_DIGITS, normalise_heading
from tambon_portal.stats import suppress

SUPPRESSED_VALUES = frozenset(schemas.MISSING_VALUES)  # "" and "x"
# Every code this scan reports.
CODES = frozenset(
    {"national-id", "phone-number", "email", "person-name", "house-number", "household-id",
     "birth-date", "social-handle", "precise-location", "small-count", "complement-revealed",
     "invalid-review"}
)  # fmt: skip
# What a publicReviewed declaration may exempt: contact details and columns a maintainer can
# check are public. National IDs are never publishable, and suppression is not a detector.
REVIEWABLE = CODES - {"national-id", "small-count", "complement-revealed", "invalid-review"}
REVIEW_PROPERTY = "publicReviewed"
_REVIEW_HINT = (
    "; if it is an office's public contact, declare it reviewed"
    f" ({REVIEW_PROPERTY}, see docs/publishing.md)"
)


def _ascii_digits(text: str) -> str:
    """Thai digits as ASCII, one character for one: match positions stay those of `text`."""
    return text if text.isascii() else text.translate(THAI_DIGITS)


def _found(pattern: re.Pattern, text: str) -> list[str]:
    """What `pattern` finds in `text` read with ASCII digits, as written in `text`."""
    return [text[m.start() : m.end()] for m in pattern.finditer(_ascii_digits(text))]


# --- header words --------------------------------------------------------------------------

# Headers of columns that hold one kind of personal data, as written; compared after
# `header_key`. A word ending in * also matches headers that start with it (ชื่อผู้ตอบ).
# precise-location words match any word of a header (gps_lat, home_latitude, ละติจูด (องศา)),
# since a coordinate column is refused only when its values are precise.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "person-name": (
        "first name", "fname", "given name", "last name", "lname", "surname", "family name",
        "full name", "name surname", "name person", "person name", "head of household",
        "household head", "respondent", "respondent name", "owner name", "contact name",
        "contact person", "nickname", "ชื่อ-สกุล", "ชื่อ-นามสกุล", "ชื่อและนามสกุล",
        "ชื่อ/สกุล", "ชื่อ/นามสกุล", "นามสกุล", "สกุล", "ชื่อจริง", "ชื่อเล่น", "ผู้ติดต่อ",
        "หัวหน้าครัวเรือน", "ชื่อผู้*",
    ),
    "house-number": (
        "house no", "house number", "house num", "address", "address line*", "home address",
        "street address", "บ้านเลขที่", "เลขที่บ้าน", "ที่อยู่", "ที่อยู่ตามทะเบียนบ้าน",
        "ที่อยู่ปัจจุบัน",
    ),
    "household-id": (
        "household id", "hh id", "household code", "household no", "household number",
        "house id", "house code", "รหัสบ้าน", "รหัสประจำบ้าน", "เลขรหัสประจำบ้าน",
        "เลขประจำบ้าน", "รหัสครัวเรือน", "เลขที่ครัวเรือน",
    ),
    "birth-date": (
        "birth date", "date of birth", "dob", "birthday", "วันเกิด", "วันเดือนปีเกิด",
        "วันที่เกิด", "เกิดวันที่", "ว/ด/ป เกิด", "ว.ด.ป. เกิด",
    ),
    "social-handle": (
        "line id", "id line", "ไลน์", "ไลน์ไอดี", "ไอดีไลน์", "facebook", "fb", "เฟซบุ๊ก",
        "เฟสบุ๊ค", "instagram", "ig", "twitter", "tiktok", "social media", "social handle",
        "username", "ชื่อผู้ใช้",
    ),
    "precise-location": (
        "lat", "latitude", "lng", "lon", "long", "longitude", "latlon", "latlng", "latlong",
        "gps", "coord", "coords", "coordinates", "geolocation", "location", "utm", "easting",
        "northing", "ละติจูด", "ลองจิจูด", "ลองติจูด", "พิกัด",
    ),
}  # fmt: skip
# Headers that are a person's name unless the table is a list of places or codes.
_AMBIGUOUS_NAME_WORDS = ("name", "ชื่อ")
# A language suffix says which language a column is in, not what it holds: name_th is name.
_LANGUAGE_SUFFIX = re.compile(
    r"[\s_\-.(]+(?:th|en|thai|eng|english|ไทย|อังกฤษ|ภาษาไทย|ภาษาอังกฤษ)\)?\s*$", re.IGNORECASE
)
_HEADER_WORD_SPLIT = re.compile(r"[^0-9A-Za-z\u0E00-\u0E7F]+|(?<=[a-z])(?=[A-Z])")
# Location words that are also everyday words (long_name, location_type): only a whole header.
_WHOLE_HEADER_LOCATION_WORDS = frozenset({"long", "location"})


@cache  # the same few headers recur in every package
def header_key(column: str) -> str:
    """A header as compared with the header words (`ชื่อ - สกุล` and `ชื่อ-สกุล` are one)."""
    return normalise_heading(_LANGUAGE_SUFFIX.sub("", str(column).strip()))


def _header_index() -> tuple[dict[str, str], tuple[tuple[str, str], ...], frozenset[str]]:
    """(exact key -> kind, (prefix key, kind) pairs, location words), from HEADER_WORDS."""
    exact: dict[str, str] = {}
    prefixes = []
    for kind, words in HEADER_WORDS.items():
        if kind == "precise-location":
            continue
        for word in words:
            key = header_key(word.rstrip("*"))
            if word.endswith("*"):
                prefixes.append((key, kind))
            elif exact.setdefault(key, kind) != kind:
                raise ValueError(f"header word {word!r} is listed for two kinds")
    location = frozenset(header_key(word) for word in HEADER_WORDS["precise-location"])
    return exact, tuple(prefixes), location


_EXACT_HEADERS, _PREFIX_HEADERS, _LOCATION_WORDS = _header_index()
_AMBIGUOUS_NAME_KEYS = frozenset(header_key(word) for word in _AMBIGUOUS_NAME_WORDS)


@cache
def column_kind(column: str) -> str | None:
    """The kind of personal data a column holds by its header alone (not precise-location)."""
    key = header_key(column)
    if key in _EXACT_HEADERS:
        return _EXACT_HEADERS[key]
    # Exact words first: ชื่อผู้ใช้ is a handle, ชื่อผู้ตอบ (ชื่อผู้*) a person's name.
    return next((kind for prefix, kind in _PREFIX_HEADERS if key.startswith(prefix)), None)


@cache
def is_location_column(column: str) -> bool:
    """A header with a coordinate word: lat, gps_lat, Longitude, lat_lon, พิกัดบ้าน."""
    key = header_key(column)
    words = {normalise_heading(w) for w in _HEADER_WORD_SPLIT.split(str(column)) if w}
    if key in _LOCATION_WORDS or words & (_LOCATION_WORDS - _WHOLE_HEADER_LOCATION_WORDS):
        return True
    return any(word in key for word in _LOCATION_WORDS if not word.isascii())


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
    if len(text) < 13:
        return []
    found = []
    for match in _NATIONAL_ID.finditer(_ascii_digits(text)):
        digits = re.sub(r"\D", "", match.group(1))
        if is_valid_national_id(digits):
            found.append(text[match.start(1) : match.end(1)])
    return found


# --- phone numbers -------------------------------------------------------------------------

# A trunk prefix (0, or +66 / 66 with a plus) then digits with optional dashes, dots or
# spaces; or an area code in brackets, (081) 234 5678.
_PHONE = re.compile(
    r"(?<![0-9A-Za-z_+/-])(?<!\d[.,])"
    r"(?:\((0\d{1,2})\)[- .]?(\d(?:[- .]?\d){5,7})|(\+66[- .]?|0)(\d(?:[- .]?\d){7,8}))"
    r"(?![0-9A-Za-z_/-]|[.,]\d)"
)


def _is_thai_subscriber_number(national: str) -> bool:
    """Digits after the trunk prefix: mobile 6/8/9 + 8 digits, landline 2–7 + 7 digits."""
    if len(national) == 9:
        return national[0] in "689"
    return len(national) == 8 and national[0] in "234567"


def find_phone_numbers(text: str) -> list[str]:
    if len(text) < 9:  # 02 123 456 is the shortest
        return []
    found = []
    for match in _PHONE.finditer(_ascii_digits(text)):
        area, rest, _trunk, national = match.groups()
        digits = area[1:] + rest if area else national
        if _is_thai_subscriber_number(re.sub(r"\D", "", digits)):
            found.append(text[match.start() : match.end()])
    return found


# --- e-mail addresses ----------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])",
    re.ASCII,  # ติดต่อsomchai@gmail.com: the Thai word before is not part of the address
)


def find_emails(text: str) -> list[str]:
    return _found(_EMAIL, text) if "@" in text else []


# --- person names ---------------------------------------------------------------------------

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
# A given name and a surname without a title: exactly two Thai words.
_TWO_THAI_WORDS = re.compile(rf"^({_THAI_WORD})\s+({_THAI_WORD})$")
# What a place's or a body's name starts with; a person's given name does not.
_PLACE_WORDS = (
    "บ้าน", "ตำบล", "อำเภอ", "จังหวัด", "หมู่", "ชุมชน", "วัด", "โรงเรียน", "เทศบาล", "อบต",
    "องค์การ", "กลุ่ม", "สำนักงาน", "ศูนย์", "โรงพยาบาล", "สถานี", "ตลาด", "ถนน", "ซอย", "คลอง",
    "แม่น้ำ", "สหกรณ์", "มัสยิด", "โบสถ์", "สภา", "ประเทศ", "เมือง", "นิคม", "อุทยาน",
)  # fmt: skip
# Second words that split a place in two (บ้านนา ใต้, ท่าไร่ ใหม่), never a surname.
_PLACE_PARTS = frozenset(
    {"เหนือ", "ใต้", "ใหม่", "เก่า", "กลาง", "ตะวันออก", "ตะวันตก", "บน", "ล่าง", "นอก", "ใน",
     "พัฒนา", "สามัคคี"}
)  # fmt: skip


def find_titled_names(text: str) -> list[str]:
    if text.isascii() and "M" not in text:  # neither a Thai title nor Mr/Mrs/Ms/Miss
        return []
    return [m.group(1) or m.group(2) for m in _TITLED_NAME.finditer(text)]


def is_untitled_thai_name(value: str) -> bool:
    """สมชาย ใจดี (a given name and a surname), but not บ้านนา ใต้ or ตำบล ท่าไร่."""
    match = _TWO_THAI_WORDS.match(value.strip())
    if not match:
        return False
    first, second = match.groups()
    return not first.startswith(_PLACE_WORDS) and second not in _PLACE_PARTS


def is_place_or_code_list(header: Sequence[str]) -> bool:
    """A table with a code column lists places or codes: its "name" is a place's name.

    A household ID or a LINE ID is no code of a place: it makes no place list.
    """
    return any(_CODE_COLUMN.search(column) and column_kind(column) is None for column in header)


def is_ambiguous_name_column(column: str) -> bool:
    return header_key(column) in _AMBIGUOUS_NAME_KEYS


# --- house numbers, household IDs, handles --------------------------------------------------

# "บ้านเลขที่ 12/3", "เลขที่ 45/1", "12/3 หมู่ 4", "12/3 ม.4".
_HOUSE_NUMBER = re.compile(
    r"บ้านเลขที่\s*\d+(?:/\d+)?|เลขที่\s*\d+/\d+|(?<![\d/])\d+/\d+\s*(?:หมู่(?:ที่)?|ม\.)\s*\d"
)
# The 11-digit DOPA house code (เลขรหัสประจำบ้าน) as printed, 1234-567890-1, or named.
_HOUSEHOLD_ID = re.compile(
    r"(?<![\d-])\d{4}-\d{6}-\d(?![\d-])|(?:รหัสประจำบ้าน|รหัสบ้าน)\s*[:：]?\s*\d{11}(?!\d)"
)
# "Line: somchai_01", "LINE ID: somchai", "ไลน์ไอดี: @somchai" (a colon: "line 2" is no handle).
_SOCIAL_HANDLE = re.compile(
    r"(?<![A-Za-z])(?:line\s*id|line|ไลน์(?:\s*ไอดี)?|ไอดีไลน์|id\s*line)\s*[:：]\s*@?[\w.-]{3,}",
    re.IGNORECASE,
)


def find_house_numbers(text: str) -> list[str]:
    return [] if text.isascii() else _found(_HOUSE_NUMBER, text)  # each form has Thai words


def find_household_ids(text: str) -> list[str]:
    return [] if len(text) < 13 else _found(_HOUSEHOLD_ID, text)


def find_social_handles(text: str) -> list[str]:
    return _found(_SOCIAL_HANDLE, text) if ":" in text or "：" in text else []


# --- coordinates ----------------------------------------------------------------------------

# Decimal degrees with 4 or more decimals (about 11 m or better), or UTM metres (6-7 digits).
_PRECISE_DEGREES = re.compile(r"\d\.\d{4,}")
_UTM_METRES = re.compile(r"^\s*-?\d{6,7}(?:\.\d*)?\s*$")
# A latitude, longitude pair written in text: 8.43215, 99.96321.
_COORDINATE_PAIR = re.compile(r"(?<![\d.])(\d{1,3}\.\d{4,})\s*,\s*(\d{1,3}\.\d{4,})(?![\d.])")
_THAILAND_LATITUDES = (5.5, 20.5)
_THAILAND_LONGITUDES = (97.3, 105.7)


def is_precise_coordinate(value: str) -> bool:
    """A coordinate cell precise to a house: 8.43215 or 612345 (UTM), not 8.432 (an area)."""
    text = _ascii_digits(value)
    return bool(_PRECISE_DEGREES.search(text) or _UTM_METRES.match(text))


def _in_thailand(latitude: float, longitude: float) -> bool:
    (south, north), (west, east) = _THAILAND_LATITUDES, _THAILAND_LONGITUDES
    return south <= latitude <= north and west <= longitude <= east


def find_coordinate_pairs(text: str) -> list[str]:
    """Precise latitude, longitude (or longitude, latitude) pairs in Thailand."""
    if "," not in text or "." not in text:
        return []
    found = []
    for match in _COORDINATE_PAIR.finditer(_ascii_digits(text)):
        first, second = float(match.group(1)), float(match.group(2))
        if _in_thailand(first, second) or _in_thailand(second, first):
            found.append(text[match.start() : match.end()])
    return found


# --- reviewed-and-public declarations -------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def review_problem(declaration: object) -> str | None:
    """What is wrong with a publicReviewed declaration, or None when it is valid."""
    example = ' e.g. {"detectors": ["phone-number"], "reason": "office phone of ...", "by": ...}'
    if not isinstance(declaration, dict):
        return f"must be an object with 'detectors' and 'reason',{example}"
    reason = declaration.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        return (
            "has no 'reason': say why the data is public (e.g. 'office phone of the tambon"
            " office, published on its own website'); without one it exempts nothing"
        )
    detectors = declaration.get("detectors")
    if not isinstance(detectors, list) or not detectors:
        return f"must name the detectors it exempts in a 'detectors' list,{example}"
    if "national-id" in detectors:
        return "names national-id: national ID numbers are never publishable, whoever reviewed"
    unknown = [d for d in detectors if not isinstance(d, str) or d not in REVIEWABLE]
    if unknown:
        return f"names unknown detectors {unknown}; reviewable: {', '.join(sorted(REVIEWABLE))}"
    if not _is_iso_date(declaration.get("date", "2000-01-01")):
        return f"has date {declaration['date']!r}; write the review date as YYYY-MM-DD"
    return None


def _is_iso_date(value: object) -> bool:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _reviewed_detectors(declaration: object) -> frozenset[str]:
    """The detectors a declaration exempts: none when it is not valid."""
    if declaration is None or review_problem(declaration):
        return frozenset()
    return frozenset(declaration["detectors"])


def _schema_fields(resource: Mapping) -> list:
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    return fields if isinstance(fields, list) else []


def reviewed_columns(resource: Mapping) -> dict[str, frozenset[str]]:
    """Field name -> detectors exempted by the field's valid publicReviewed declaration."""
    reviewed = {}
    for item in _schema_fields(resource):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            detectors = _reviewed_detectors(item.get(REVIEW_PROPERTY))
            if detectors:
                reviewed[item["name"]] = detectors
    return reviewed


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


def _is_within(path: str, scope: str) -> bool:
    """`contributors[0].email` is within `contributors[0]` and itself; `phone` within `phone`."""
    return path == scope or path.startswith((scope + ".", scope + "["))


class _Reporter:
    def __init__(
        self, package: str, resource: str | None, file: str, first_row: int,
        reviewed: Mapping[str, frozenset[str]] | None = None,
    ) -> None:  # fmt: skip
        self.package, self.resource, self.file, self.first_row = package, resource, file, first_row
        self.reviewed = dict(reviewed or {})
        self.problems: list[Problem] = []

    def is_reviewed(self, field: str | None, code: str) -> bool:
        return field is not None and any(
            code in detectors and _is_within(field, scope)
            for scope, detectors in self.reviewed.items()
        )

    def add(self, index: int | None, field: str | None, code: str, message: str) -> None:
        if code != "national-id" and self.is_reviewed(field, code):
            return
        row = None if index is None else index + self.first_row
        self.problems.append(
            Problem(self.package, self.resource, self.file, row, field, code, message)
        )


_COLUMN_MESSAGES = {
    "person-name": "holds names of persons (ชื่อบุคคล), which are never published; remove the"
    " column (publish counts, not people)",
    "house-number": "holds house numbers or addresses (บ้านเลขที่/ที่อยู่), which identify a"
    " household; remove the column",
    "household-id": "holds household IDs (รหัสประจำบ้าน/รหัสครัวเรือน), which identify a"
    " household; remove the column (publish counts per village)",
    "birth-date": "holds dates of birth (วันเกิด), which with a village identify a person;"
    " remove the column (publish counts by age group)",
    "social-handle": "holds LINE or social-media accounts (ไลน์/โซเชียลมีเดีย), which are personal"
    " contact details; remove the column" + _REVIEW_HINT,
}


def _column_problem(column: str, place_list: bool) -> str | None:
    """The kind of personal data a column holds by its header, or None.

    A bare "name" is a person's name unless the table lists places or codes.
    """
    kind = column_kind(column)
    if kind is None and is_ambiguous_name_column(column) and not place_list:
        return "person-name"
    return kind if kind in _COLUMN_MESSAGES else None


def _has_values(values: pd.Series) -> bool:
    return bool((values.str.strip() != "").any())


def _scan_columns(frame: pd.DataFrame, report: _Reporter) -> None:
    header = [str(c) for c in frame.columns]
    place_list = is_place_or_code_list(header)
    for column in header:
        kind = _column_problem(column, place_list)
        if kind and _has_values(frame[column]):
            report.add(None, column, kind, f"column '{column}' {_COLUMN_MESSAGES[kind]}")
        if is_location_column(column):
            _scan_coordinates(frame[column], column, report)
        if place_list and is_ambiguous_name_column(column):
            _scan_place_names(frame[column], column, report)


def _scan_coordinates(values: pd.Series, column: str, report: _Reporter) -> None:
    for index, value in enumerate(values):
        if value and is_precise_coordinate(value):
            report.add(
                index,
                column,
                "precise-location",
                f"'{value.strip()}' in '{column}' is a coordinate precise to a house"
                " (พิกัดละเอียดถึงระดับบ้าน: 4 or more decimals is about 11 m); publish at most"
                " 3 decimals (about 110 m) or the village instead; if the column locates public"
                f" places, declare it reviewed ({REVIEW_PROPERTY}, see docs/publishing.md)",
            )


def _scan_place_names(values: pd.Series, column: str, report: _Reporter) -> None:
    """The "name" of a place or code list: a person's name there is two Thai words."""
    for index, value in enumerate(values):
        if value and is_untitled_thai_name(value) and not find_titled_names(value):
            report.add(
                index,
                column,
                "person-name",
                f"'{value.strip()}' in '{column}' looks like a person's given name and surname"
                " (ชื่อ-นามสกุล), not a place: place names are one word or start with บ้าน,"
                " ตำบล, หมู่ ...; names of persons are never published: remove it",
            )


def _scan_cells(frame: pd.DataFrame, report: _Reporter) -> None:
    for column in map(str, frame.columns):
        # A coordinate column's cells are judged by their precision (_scan_coordinates).
        skip = _LOCATION_CODES if is_location_column(column) else frozenset()
        for index, value in enumerate(frame[column]):
            # Too short to hold an ID, a phone number, a name or a pair of coordinates.
            if not value or (len(value) < 8 and value.isascii() and "@" not in value):
                continue
            _scan_text(value, index, column, report, skip=skip)


_LOCATION_CODES = frozenset({"precise-location"})
_CREDIT_CODES = frozenset({"person-name"})  # a credited contributor's own name is no leak


def _scan_text(
    value: str, index: int | None, field: str, report: _Reporter, *,
    skip: frozenset[str] = frozenset(),
) -> None:  # fmt: skip
    """Every detector for personal data written in text, on one cell or descriptor property.

    `skip`: codes not looked for here (e.g. person-name in a contributor's own name).
    """
    for found in find_national_ids(value):
        report.add(
            index,
            field,
            "national-id",
            f"'{found}' is a Thai national ID number (เลขประจำตัวประชาชน, valid checksum);"
            " personal IDs are never published: remove it",
        )
    for found in find_phone_numbers(value):
        report.add(
            index,
            field,
            "phone-number",
            f"'{found}' looks like a Thai phone number (เบอร์โทรศัพท์); personal contact"
            " details are never published: remove it" + _REVIEW_HINT,
        )
    for found in find_emails(value):
        report.add(
            index,
            field,
            "email",
            f"'{found}' is an e-mail address (อีเมล); personal contact details are never"
            " published: remove it" + _REVIEW_HINT,
        )
    for found in [] if "person-name" in skip else find_titled_names(value):
        report.add(
            index,
            field,
            "person-name",
            f"'{found}' looks like a person's name (ชื่อบุคคล, with a title such as นาย/นาง);"
            " names of persons are never published: remove it or give a role instead",
        )
    for found in find_house_numbers(value):
        report.add(
            index,
            field,
            "house-number",
            f"'{found}' looks like a house number (บ้านเลขที่), which identifies a household;"
            " remove it (give the village, หมู่ที่, instead)",
        )
    for found in find_household_ids(value):
        report.add(
            index,
            field,
            "household-id",
            f"'{found}' looks like a DOPA house code (เลขรหัสประจำบ้าน), which identifies a"
            " household; remove it",
        )
    for found in find_social_handles(value):
        report.add(
            index,
            field,
            "social-handle",
            f"'{found}' is a LINE or social-media account (ไลน์); personal contact details are"
            " never published: remove it" + _REVIEW_HINT,
        )
    for found in [] if "precise-location" in skip else find_coordinate_pairs(value):
        report.add(
            index,
            field,
            "precise-location",
            f"'{found}' is a position precise to a house (พิกัดละเอียด: 4 or more decimals is"
            " about 11 m); give at most 3 decimals or the village instead",
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
    reviewed: Mapping[str, frozenset[str]] | None = None,
) -> list[Problem]:
    """Personal data in one table; `table` is a frame or the data rows (without the header).

    `first_row` is the row number of the first data row (frictionless counts the header as 1).
    With `tambon=True` the small-count and complement rules of the shared schemas apply too.
    `reviewed` (from `reviewed_columns`) exempts columns from the detectors declared for them.
    """
    frame = _text_frame(table, header)
    report = _Reporter(package, resource, file, first_row, reviewed)
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


# --- descriptor text ------------------------------------------------------------------------

# Descriptor properties that hold text for readers, at package and at resource level; also
# any title_xx / description_xx translation of the title or description.
_TEXT_PROPERTIES = ("title", "description", "keywords", "sources", "contributors", "maintainers")
_FIELD_TEXT_PROPERTIES = ("title", "description")
# Lists of people credited, and the properties that carry a credited person's own name.
_CREDIT_LISTS = ("contributors", "maintainers")
_CREDIT_NAMES = ("title", "name", "givenName", "familyName")


@dataclass(frozen=True)
class DescriptorText:
    path: str  # e.g. "contributors[0].email", "resources[1].schema.fields[2].description"
    text: str
    resource: str | None  # the resource's name, for a property of a resource
    credit: bool  # a credited person's own name


def _is_text_property(key: object) -> bool:
    return isinstance(key, str) and (
        key in _TEXT_PROPERTIES or key.startswith(("title_", "description_"))
    )


def _strings(value: object, path: str, credit: bool) -> Iterator[tuple[str, str, bool]]:
    """(path, text, credit) of every string in a property's value, however nested."""
    if isinstance(value, str):
        yield path, value, credit
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]", credit)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}", credit)


def _texts_of(node: Mapping, prefix: str, resource: str | None) -> Iterator[DescriptorText]:
    for key, value in node.items():
        if not _is_text_property(key):
            continue
        if key in _CREDIT_LISTS and isinstance(value, list):
            for i, person in enumerate(value):
                items = person.items() if isinstance(person, dict) else [(None, person)]
                for sub, item in items:
                    path = f"{prefix}{key}[{i}]" + (f".{sub}" if sub is not None else "")
                    for where, text, credit in _strings(item, path, sub in _CREDIT_NAMES):
                        yield DescriptorText(where, text, resource, credit)
            continue
        for where, text, credit in _strings(value, prefix + key, False):
            yield DescriptorText(where, text, resource, credit)


def descriptor_texts(descriptor: Mapping) -> Iterator[DescriptorText]:
    """Every text of the descriptor that readers see, with its property path."""
    yield from _texts_of(descriptor, "", None)
    resources = descriptor.get("resources")
    for i, resource in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(resource, dict):
            continue
        name = str(resource.get("name") or f"resource {i + 1}")
        yield from _texts_of(resource, f"resources[{i}].", name)
        for j, item in enumerate(_schema_fields(resource)):
            if isinstance(item, dict):
                texts = {k: item[k] for k in _FIELD_TEXT_PROPERTIES if k in item}
                yield from _texts_of(texts, f"resources[{i}].schema.fields[{j}].", name)


def _field_declarations(descriptor: Mapping) -> Iterator[tuple[str, str, object]]:
    """(path, resource name, declaration) of every field's publicReviewed declaration."""
    resources = descriptor.get("resources")
    for i, resource in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(resource, dict):
            continue
        name = str(resource.get("name") or f"resource {i + 1}")
        for j, item in enumerate(_schema_fields(resource)):
            if isinstance(item, dict) and REVIEW_PROPERTY in item:
                path = f"resources[{i}].schema.fields[{j}].{REVIEW_PROPERTY}"
                yield path, name, item[REVIEW_PROPERTY]


def _package_review_problem(declaration: object, paths: Sequence[str]) -> str | None:
    """A package-level declaration also names the property it exempts, which must exist."""
    if isinstance(declaration, dict):
        scope = declaration.get("property")
        if not isinstance(scope, str) or not scope:
            return (
                "must name the descriptor 'property' it exempts, as the problem names it"
                ' (e.g. "contributors[0].email"); a column is declared on its schema field'
            )
        if not any(_is_within(path, scope) for path in paths):
            return f"names property {scope!r}, which holds no text in this descriptor"
    return review_problem(declaration)


def _package_declarations(descriptor: Mapping) -> list:
    listed = descriptor.get(REVIEW_PROPERTY)
    return listed if isinstance(listed, list) else []


def reviewed_properties(descriptor: Mapping) -> dict[str, frozenset[str]]:
    """Descriptor property path -> detectors exempted by the package's valid declarations."""
    paths = [t.path for t in descriptor_texts(descriptor)]
    reviewed: dict[str, frozenset[str]] = {}
    for declaration in _package_declarations(descriptor):
        if _package_review_problem(declaration, paths) is None:
            scope = declaration["property"]
            reviewed[scope] = reviewed.get(scope, frozenset()) | frozenset(declaration["detectors"])
    return reviewed


def _declaration_problems(descriptor: Mapping, paths: Sequence[str], report: _Reporter) -> None:
    def refuse(path: str, wrong: str) -> None:
        report.add(
            None, path, "invalid-review",
            f"this {REVIEW_PROPERTY} declaration {wrong} (see docs/publishing.md)",
        )  # fmt: skip

    report.resource = None
    listed = descriptor.get(REVIEW_PROPERTY)
    if listed is not None and not isinstance(listed, list):
        refuse(REVIEW_PROPERTY, "of the package must be a list of declarations")
    for k, declaration in enumerate(_package_declarations(descriptor)):
        wrong = _package_review_problem(declaration, paths)
        if wrong:
            refuse(f"{REVIEW_PROPERTY}[{k}]", wrong)
    for path, resource, declaration in _field_declarations(descriptor):
        report.resource = resource
        wrong = review_problem(declaration)
        if wrong:
            refuse(path, wrong)


def scan_descriptor(descriptor: Mapping, *, package: str = "", file: str = "") -> list[Problem]:
    """Personal data in the descriptor's text, and every publicReviewed declaration checked."""
    texts = list(descriptor_texts(descriptor))
    report = _Reporter(package, None, file, 0, reviewed_properties(descriptor))
    for item in texts:
        report.resource = item.resource
        _scan_text(
            item.text, None, item.path, report, skip=_CREDIT_CODES if item.credit else frozenset()
        )
    _declaration_problems(descriptor, [t.path for t in texts], report)
    return report.problems
