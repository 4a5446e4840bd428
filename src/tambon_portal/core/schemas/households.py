"""The household input (issue 11): the private survey records a tambon keeps, one row per
household and, optionally, one per person. Defined here beside the published schemas of
`core.schemas`, with Thai titles that an export's headings map onto (`authoring.column_mapping`).

These files are never published: they stay in the data officer's `private/` folder, and the
portal publishes only the village and tambon tables made from them (`tambon households
publish`). Their ids are opaque survey numbers: never a national ID, a house code
(รหัสประจำบ้าน) or a house number, which `tambon households check` refuses.

BMN answers are per household for the household indicators and per person, in the members
file, for the person indicators of the BMN set the household names (`codelists.BMN_SETS`):
1 (ผ่าน), 0 (ไม่ผ่าน), or empty when the indicator does not apply (no newborn, say).
"""

from __future__ import annotations

from typing import Any

from tambon_portal.core import codelists as cl
from tambon_portal.core.schemas import VILLAGE, _field, code, enum, year_be

HOUSEHOLDS = "households"
MEMBERS = "members"
# Opaque: letters, digits, - and _, up to 40; a 13-digit national ID is refused by the check.
HOUSEHOLD_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"
PASS_WORDS = ["1", "true", "ผ่าน"]
FAIL_WORDS = ["0", "false", "ไม่ผ่าน"]
MISSING_VALUES = [""]  # no "x": nothing is suppressed in the records, only in what is published

# Fields whose codes an export may give as their Thai (or English) labels: ชาย for male.
LABELLED: dict[str, tuple[cl.Code, ...]] = {
    "sex": cl.SEXES, "occupation": cl.OCCUPATIONS, "main_occupation": cl.OCCUPATIONS,
}  # fmt: skip


def _label_key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


LABEL_CODES: dict[str, dict[str, str]] = {
    field: {_label_key(label): c.code for c in codes for label in (c.th, c.en)}
    for field, codes in LABELLED.items()
}


def code_of(field: str, value: str) -> str:
    """`value` of `field` as its code when it is a code's Thai or English label (spaces and
    case aside), else as it is."""
    labels = LABEL_CODES.get(field)
    return labels.get(_label_key(value), value) if labels else value


TITLES: dict[str, tuple[str, str]] = {
    HOUSEHOLDS: ("ครัวเรือน (ข้อมูลส่วนบุคคล ไม่เผยแพร่)", "Households (private, never published)"),
    MEMBERS: ("สมาชิกครัวเรือน (ข้อมูลส่วนบุคคล ไม่เผยแพร่)", "Household members (private)"),
}


def _household_id() -> dict[str, Any]:
    return code("household_id", HOUSEHOLD_ID, "รหัสครัวเรือนในแบบสำรวจ",
                "Survey household id (opaque; not a national ID or house code)")  # fmt: skip


def _count(name: str, th: str, en: str, low: int, high: int, required: bool = True) -> dict:
    return _field(name, "integer", th, en, required=required, minimum=low, maximum=high)


def _baht(name: str, th: str, en: str, required: bool = True) -> dict:
    return _field(name, "integer", th, en, required=required, minimum=0, maximum=10**10)


def _answers(bmn: cl.BmnSet, unit: str) -> list[dict[str, Any]]:
    fields = []
    for indicator in bmn.of_unit(unit):
        field = _field(cl.bmn_field(indicator.number), "boolean",
                       f"จปฐ. ข้อ {indicator.number}", f"BMN {indicator.number}: {indicator.en}",
                       required=False)  # fmt: skip
        field["trueValues"], field["falseValues"] = PASS_WORDS, FAIL_WORDS
        fields.append(field)
    return fields


def households_schema(version: str) -> dict[str, Any]:
    """The Table Schema of a household file whose answers follow BMN set `version`."""
    bmn = cl.known_bmn_set(version)
    return {
        "fields": [
            _household_id(),
            code("village_code", VILLAGE, "รหัสหมู่บ้าน", "Village code (8 digits)"),
            year_be(),
            enum("bmn_set", list(cl.BMN_SET_VERSIONS), "ชุดตัวชี้วัด จปฐ.", "BMN indicator set"),
            _count("members", "จำนวนสมาชิก", "Household members", 1, 99),
            _baht("income_baht", "รายได้ครัวเรือนทั้งปี (บาท)", "Household income a year, baht"),
            _baht("debt_baht", "หนี้สิน (บาท)", "Debt, baht (0: none)"),
            _baht("savings_baht", "เงินออม (บาท)", "Savings, baht", required=False),
            enum("main_occupation", cl.codes(cl.OCCUPATIONS), "อาชีพหลักของครัวเรือน",
                 "Main occupation of the household", required=False),
            *_answers(bmn, "household"),
        ],
        "primaryKey": ["household_id", "year_be"],
        "missingValues": MISSING_VALUES,
    }  # fmt: skip


def members_schema(version: str) -> dict[str, Any]:
    """The Table Schema of a members file (one row per person) for BMN set `version`."""
    bmn = cl.known_bmn_set(version)
    return {
        "fields": [
            _household_id(),
            year_be(),
            _count("person_no", "ลำดับที่ในครัวเรือน", "Person number in the household", 1, 99),
            enum("sex", cl.codes(cl.SEXES), "เพศ", "male or female"),
            _count("age", "อายุ (ปี)", "Age in whole years", 0, 130),
            enum("occupation", cl.codes(cl.OCCUPATIONS), "อาชีพหลัก", "Main occupation",
                 required=False),
            *_answers(bmn, "person"),
        ],
        "primaryKey": ["household_id", "year_be", "person_no"],
        "foreignKeys": [
            {"fields": ["household_id", "year_be"],
             "reference": {"resource": HOUSEHOLDS, "fields": ["household_id", "year_be"]}},
        ],
        "missingValues": MISSING_VALUES,
    }  # fmt: skip
