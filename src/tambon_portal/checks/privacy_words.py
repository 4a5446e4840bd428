"""Header words of personal data: which column, by its header alone, holds what (privacy).

Headers are compared after `header_key`: case, spaces, `_`, `-`, `.` and a language suffix
(_th, _en, (ไทย)) do not matter, so `ชื่อ - สกุล`, `first name` and `Full_Name_TH` are found;
`HEADER_WORDS` is the one list of header words. A table with a code column lists places or
codes, so its bare "name" is a place's name, not a person's (`is_place_or_code_list`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from tambon_portal.packages.table_reader import normalise_heading

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
    # Found by their values in published tables; by their heading too in household files.
    "national-id": (
        "national id", "citizen id", "id card", "id card no", "pid", "เลขประจำตัวประชาชน",
        "เลขบัตรประชาชน", "บัตรประชาชน", "เลขบัตร",
    ),
    "phone-number": (
        "phone", "phone no", "phone number", "telephone", "tel", "mobile", "เบอร์โทร",
        "เบอร์โทรศัพท์", "โทรศัพท์", "มือถือ", "เบอร์",
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


_CODE_COLUMN = re.compile(r"(code|รหัส|^id$|_id$|_no$|^iso)", re.IGNORECASE)


def is_place_or_code_list(header: Sequence[str]) -> bool:
    """A table with a code column lists places or codes: its "name" is a place's name.

    A household ID or a LINE ID is no code of a place: it makes no place list.
    """
    return any(_CODE_COLUMN.search(column) and column_kind(column) is None for column in header)


def is_ambiguous_name_column(column: str) -> bool:
    return header_key(column) in _AMBIGUOUS_NAME_KEYS
