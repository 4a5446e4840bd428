"""The area totals (issue 11): district and province rows made from the household records by
`tambon households publish`, one package per province beside its tambon packages.

A district or province figure summed from published tambon cells is a lower bound: a
suppressed cell cannot be added. These are the true totals, counted from the records, and
protected with the tambons they add up (`authoring.protection.protect_province`): a reader
who subtracts the published tambons from a total learns nothing the audit has not cleared.

- `area_tambons`: which tambons an area's totals add up (its coverage). A total is the sum of
  exactly these tambons' rows; the site uses it only when they are the area's tambons with data.
- `area_bmn_results`: surveyed, passed and failed per area, year and BMN indicator: the sum of
  the tambon rows (`bmn_results`, area_level tambon) of its tambons;
- `area_income`: households surveyed, under the income line and in debt per area and year:
  the sums of the tambons' `income_summary`.
"""

from __future__ import annotations

import copy

from tambon_portal.core import codelists as cl
from tambon_portal.core.schemas import SCHEMAS as TAMBON_SCHEMAS
from tambon_portal.core.schemas import (
    TAMBON,
    _schema,
    code,
    count,
    enum,
    year_be,
)

AREA_CODE = code("area_code", r"^(\d{2}|\d{4})$", "รหัสพื้นที่",
                 "District (4 digits) or province (2 digits) code")  # fmt: skip
AREA_LEVEL = enum("area_level", cl.codes(cl.TOTAL_LEVELS), "ระดับพื้นที่", "district or province")

# The BMN fields of an area row are a tambon row's (`schemas.SCHEMAS["bmn_results"]`).
_BMN_COUNTS = ("surveyed", "passed", "failed")
_TAMBON_BMN = {f["name"]: f for f in TAMBON_SCHEMAS["bmn_results"]["fields"]}

SCHEMAS: dict[str, dict] = {
    "area_tambons": _schema(
        [
            AREA_CODE,
            AREA_LEVEL,
            code("tambon_code", TAMBON, "รหัสตำบล", "A tambon whose rows the area's totals add up"),
        ],
        ["area_code", "tambon_code"],
    ),
    "area_bmn_results": _schema(
        [
            AREA_CODE,
            AREA_LEVEL,
            year_be(),
            *(copy.deepcopy(_TAMBON_BMN[name]) for name in ("indicator", *_BMN_COUNTS)),
        ],
        ["area_code", "year_be", "indicator"],
    ),
    "area_income": _schema(
        [
            AREA_CODE,
            AREA_LEVEL,
            year_be(),
            count("households_surveyed", "ครัวเรือนที่สำรวจ", "Households surveyed",
                  required=False),
            count("households_below_line", "ครัวเรือนรายได้ต่ำกว่าเกณฑ์",
                  "Households under 38,000 baht per person per year (x = suppressed)",
                  required=False),
            count("households_with_debt", "ครัวเรือนที่มีหนี้สิน",
                  "Households with debt (x = suppressed)", required=False),
        ],
        ["area_code", "year_be"],
    ),
}  # fmt: skip

RESOURCE_TITLES: dict[str, tuple[str, str]] = {
    "area_tambons": ("ตำบลที่รวมในตัวเลขของแต่ละพื้นที่", "The tambons each area's totals add up"),
    "area_bmn_results": ("ผล จปฐ. รวมระดับอำเภอและจังหวัด",
                         "BMN results of districts and the province"),
    "area_income": ("รายได้และหนี้สินครัวเรือนรวมระดับอำเภอและจังหวัด",
                    "Household income and debt of districts and the province"),
}  # fmt: skip

# The counts of the area tables a reader could narrow: suppressed like a tambon's (1–4), and
# more where the audit asks; the BMN ones by the rules of `bmn_results`.
SMALL_COUNT_FIELDS: dict[str, tuple[str, ...]] = {
    "area_bmn_results": _BMN_COUNTS,
    "area_income": ("households_surveyed", "households_below_line", "households_with_debt"),
}

# The tambon table (and its count fields) each area table adds up.
SUMMED: dict[str, tuple[str, tuple[str, ...]]] = {
    "area_bmn_results": ("bmn_results", ("surveyed", "passed", "failed")),
    "area_income": (
        "income_summary",
        ("households_surveyed", "households_below_line", "households_with_debt"),
    ),
}


def package_name(province_code: str) -> str:
    return f"area-totals-{province_code}"


def field_names(resource: str) -> list[str]:
    return [f["name"] for f in SCHEMAS[resource]["fields"]]
