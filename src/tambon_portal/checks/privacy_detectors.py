"""Detectors of personal data written in text: one cell, or one descriptor property (privacy).

Each `find_*` gives what it found, as written (Thai digits too); `text_findings` runs them all
on one text and words each finding as a problem (code, message). The detectors are narrow on
purpose (see `privacy`): the real third-party packages of the conformance set and the pilot
packages come out clean.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from tambon_portal.checks.privacy_review import REVIEW_HINT
from tambon_portal.packages.table_reader import THAI_DIGITS


def _ascii_digits(text: str) -> str:
    """Thai digits as ASCII, one character for one: match positions stay those of `text`."""
    return text if text.isascii() else text.translate(THAI_DIGITS)


def _found(pattern: re.Pattern, text: str) -> list[str]:
    """What `pattern` finds in `text` read with ASCII digits, as written in `text`."""
    return [text[m.start() : m.end()] for m in pattern.finditer(_ascii_digits(text))]


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

_THAI_WORD = r"[\u0E01-\u0E4E]{2,}"
_TITLES = r"(?:นางสาว|นาง|นาย|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง)"
# Words that follow นาย/นาง in job titles and common words, not in a person's name.
_NOT_A_NAME = (
    r"(?!ก(?:เทศ|องค์|อบต|รัฐ|สมาคม|ชมรม)|อำเภอ|ช่าง|ทะเบียน|จ้าง|ทุน|หน้า|ด่าน|พราน"
    r"|ร้อย|พัน|สิบ|พล|แพทย์|ทหาร|ตรวจ|ประกัน|ธนาคาร|ห้าง|อากร|งาน|พยาบาล|ฟ้า|พญา|รอง)"
)
# Titles an article writes before a name (issue 13): คุณ, a doctor's, and the village and
# tambon heads' (written against the name: "กำนันสมชาย ใจดี"; "กำนัน ตำบล..." is the office).
_COURTESY = r"(?:คุณ(?!ภาพ|ค่า|ธรรม|สมบัติ|ประโยชน์|ลักษณะ|วุฒิ|งาม|ความ|ูป|าก)|ดร\.|นพ\.|พญ\.)"
_HEADS = r"(?:กำนัน|ผู้ใหญ่บ้าน|ผญบ\.)"
_NOT_A_PLACE = r"(?!ตำบล|หมู่|บ้าน|ทุก|และ|ของ|ใน|ได้|ที่|ซึ่ง|ผู้|คน|แต่|จะ|เป็น)"
# A title, a given name and a surname: "นายสมชาย ใจดี", "ด.ญ. มะลิ หอมดี".
_TITLED_NAME = re.compile(
    rf"(?:^|[\s:(,])({_TITLES}\s?{_NOT_A_NAME}{_THAI_WORD}\s+{_THAI_WORD})"
    r"|(?:^|[\s:(,])((?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+\s+[A-Z][a-z]+)"
    rf"|(?:^|[\s:(,])((?:{_COURTESY}\s?|{_HEADS}){_NOT_A_PLACE}{_THAI_WORD}\s+{_THAI_WORD})"
)
# A given name and a surname without a title: exactly two Thai words.
_TWO_THAI_WORDS = re.compile(rf"^({_THAI_WORD})\s+({_THAI_WORD})$")
# What a place's or a body's name starts with; a person's given name does not.
_PLACE_WORDS = (
    "บ้าน", "ตำบล", "อำเภอ", "จังหวัด", "หมู่", "ชุมชน", "วัด", "โรงเรียน", "เทศบาล", "อบต",
    "องค์การ", "กลุ่ม", "สำนักงาน", "ศูนย์", "โรงพยาบาล", "สถานี", "ตลาด", "ถนน", "ซอย", "คลอง",
    "แม่น้ำ", "สหกรณ์", "มัสยิด", "โบสถ์", "สภา", "ประเทศ", "เมือง", "นิคม", "อุทยาน",
    # organisations (a partners list, issue 13): มูลนิธิ รักษ์ถิ่น is a foundation, not a person
    "มูลนิธิ", "สมาคม", "มหาวิทยาลัย", "เครือข่าย", "บริษัท", "สถาบัน", "หน่วย", "กรม",
    "กระทรวง", "ธนาคาร", "วิสาหกิจ", "ชมรม", "ห้างหุ้นส่วน", "สำนัก",
)  # fmt: skip
# Second words that split a place in two (บ้านนา ใต้, ท่าไร่ ใหม่), never a surname.
_PLACE_PARTS = frozenset(
    {"เหนือ", "ใต้", "ใหม่", "เก่า", "กลาง", "ตะวันออก", "ตะวันตก", "บน", "ล่าง", "นอก", "ใน",
     "พัฒนา", "สามัคคี"}
)  # fmt: skip


def find_titled_names(text: str) -> list[str]:
    if text.isascii() and "M" not in text and "D" not in text:  # no Thai title, Mr/Ms/Dr
        return []
    return [m.group(1) or m.group(2) or m.group(3) for m in _TITLED_NAME.finditer(text)]


def is_untitled_thai_name(value: str) -> bool:
    """สมชาย ใจดี (a given name and a surname), but not บ้านนา ใต้ or ตำบล ท่าไร่."""
    match = _TWO_THAI_WORDS.match(value.strip())
    if not match:
        return False
    first, second = match.groups()
    return not first.startswith(_PLACE_WORDS) and second not in _PLACE_PARTS


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


# --- one text, every detector ----------------------------------------------------------------

LOCATION_CODES = frozenset({"precise-location"})
CREDIT_CODES = frozenset({"person-name"})  # a credited contributor's own name is no leak
Finding = tuple[str, str]  # (code, message)


# What each detector finds, in the order they run, and how a finding is worded ({} is the text
# found, as written).
_DETECTORS: tuple[tuple[str, Callable[[str], list[str]], str], ...] = (
    ("national-id", find_national_ids,
     "'{}' is a Thai national ID number (เลขประจำตัวประชาชน, valid checksum); personal IDs are"
     " never published: remove it"),
    ("phone-number", find_phone_numbers,
     "'{}' looks like a Thai phone number (เบอร์โทรศัพท์); personal contact details are never"
     " published: remove it" + REVIEW_HINT),
    ("email", find_emails,
     "'{}' is an e-mail address (อีเมล); personal contact details are never published: remove"
     " it" + REVIEW_HINT),
    ("person-name", find_titled_names,
     "'{}' looks like a person's name (ชื่อบุคคล, with a title such as นาย/นาง); names of"
     " persons are never published: remove it or give a role instead"),
    ("house-number", find_house_numbers,
     "'{}' looks like a house number (บ้านเลขที่), which identifies a household; remove it"
     " (give the village, หมู่ที่, instead)"),
    ("household-id", find_household_ids,
     "'{}' looks like a DOPA house code (เลขรหัสประจำบ้าน), which identifies a household;"
     " remove it"),
    ("social-handle", find_social_handles,
     "'{}' is a LINE or social-media account (ไลน์); personal contact details are never"
     " published: remove it" + REVIEW_HINT),
    ("precise-location", find_coordinate_pairs,
     "'{}' is a position precise to a house (พิกัดละเอียด: 4 or more decimals is about 11 m);"
     " give at most 3 decimals or the village instead"),
)  # fmt: skip


@lru_cache(maxsize=1 << 16)  # tables repeat their texts (titles, names) row after row
def text_findings(value: str, skip: frozenset[str] = frozenset()) -> tuple[Finding, ...]:
    """Every detector for personal data written in text, on one cell or descriptor property:
    (code, message) of each finding, in the order the detectors run.

    `skip`: codes not looked for here (person-name in a contributor's own name,
    precise-location in a coordinate column, whose cells are judged by their precision).
    """
    return tuple(
        (code, message.format(found))
        for code, find, message in _DETECTORS
        if code not in skip
        for found in find(value)
    )
