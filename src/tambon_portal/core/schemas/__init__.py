"""The shared Table Schemas of a tambon package, defined once.

Every tambon package carries an inline copy of these schemas in its `datapackage.json`
(frictionless refuses `../` paths, so a package cannot point at a shared file). A test fails
when a committed package's copy drifts from the definitions here.

Counts that could identify a household are suppressed when they are 1–4: the cell holds
`SUPPRESSED` ("x") instead, which the schemas declare as a missing value.
"""

from __future__ import annotations

import copy
from typing import Any

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, licences, settings, urls

SUPPRESSED = settings.SUPPRESSED
MISSING_VALUES = ["", SUPPRESSED]

PROVINCE = r"^\d{2}$"
DISTRICT = r"^\d{4}$"
TAMBON = r"^\d{6}$"
VILLAGE = r"^\d{8}$"
AREA = r"^(\d{6}|\d{8})$"
PROJECT_ID = r"^P\d{2,3}$"  # within its tambon's plan

Field = dict[str, Any]


def _field(name: str, type_: str, th: str, en: str, **constraints: Any) -> Field:
    field: Field = {"name": name, "type": type_, "title": th, "description": en}
    if constraints:
        field["constraints"] = constraints
    return field


def code(name: str, pattern: str, th: str, en: str, required: bool = True) -> Field:
    return _field(name, "string", th, en, required=required, pattern=pattern)


def enum(name: str, items: list[str], th: str, en: str, required: bool = True) -> Field:
    return _field(name, "string", th, en, required=required, enum=items)


def count(name: str, th: str, en: str, required: bool = True) -> Field:
    """A non-negative count; `x` in the CSV marks it as suppressed (then it must be optional)."""
    return _field(name, "integer", th, en, required=required, minimum=0)


def year_be(name: str = "year_be") -> Field:
    return _field(
        name, "integer", "ปี พ.ศ.", "Year, Buddhist Era (CE = BE − 543)",
        required=True, minimum=2500, maximum=2700,
    )  # fmt: skip


def text(name: str, th: str, en: str, required: bool = True, max_length: int = 500) -> Field:
    return _field(name, "string", th, en, required=required, maxLength=max_length)


TAMBON_CODE = code("tambon_code", TAMBON, "รหัสตำบล", "DOPA tambon code (6 digits)")
AREA_CODE = code("area_code", AREA, "รหัสพื้นที่", "Tambon (6 digits) or village (8 digits) code")
AREA_LEVEL = enum("area_level", cl.codes(cl.AREA_LEVELS), "ระดับพื้นที่", "tambon or village")


def _schema(fields: list[Field], primary_key: list[str], foreign_keys: list | None = None) -> dict:
    schema: dict[str, Any] = {
        "fields": fields,
        "primaryKey": primary_key,
        "missingValues": MISSING_VALUES,
    }
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _fk(fields: list[str], resource: str, ref_fields: list[str]) -> dict:
    return {"fields": fields, "reference": {"resource": resource, "fields": ref_fields}}


_TO_TAMBON = _fk(["tambon_code"], "tambon", ["tambon_code"])

SCHEMAS: dict[str, dict] = {
    "tambon": _schema(
        [
            code("province_code", PROVINCE, "รหัสจังหวัด", "DOPA province code (2 digits)"),
            code("district_code", DISTRICT, "รหัสอำเภอ", "DOPA district code (4 digits)"),
            TAMBON_CODE,
            text("name_th", "ชื่อตำบล", "Tambon name in Thai", max_length=100),
            text("name_en", "ชื่อตำบล (อังกฤษ)", "Tambon name in English", max_length=100),
            # Optional: a new package (`tambon new-tambon`) cannot know them yet.
            enum("lg_type", cl.codes(cl.LOCAL_GOVERNMENT_TYPES), "ประเภท อปท.", "Local government type", required=False),
            text("lg_name_th", "ชื่อ อปท.", "Local government name in Thai", required=False, max_length=150),
            _field("area_km2", "number", "พื้นที่ (ตร.กม.)", "Area in km²", required=False, minimum=0),
            count("villages", "จำนวนหมู่บ้าน", "Number of villages"),
            count("households", "ครัวเรือน", "Registered households"),
            count("population", "ประชากร", "Registered population"),
            _field("reference_date", "date", "ข้อมูล ณ วันที่", "Reference date of the figures (CE)", required=True),
            _field("pilot", "boolean", "ตำบลนำร่อง", "In the partnership's pilot set", required=True),
        ],
        ["tambon_code"],
    ),
    "villages": _schema(
        [
            code("village_code", VILLAGE, "รหัสหมู่บ้าน", "Village code: tambon code + 2-digit หมู่ที่"),
            TAMBON_CODE,
            _field("village_no", "integer", "หมู่ที่", "Village number (หมู่ที่)", required=True, minimum=1, maximum=99),
            text("name_th", "ชื่อหมู่บ้าน", "Village name in Thai", max_length=100),
            text("name_en", "ชื่อหมู่บ้าน (อังกฤษ)", "Village name in English", required=False, max_length=100),
            count("households", "ครัวเรือน", "Registered households"),
            count("population", "ประชากร", "Registered population"),
        ],
        ["village_code"],
        [_TO_TAMBON],
    ),
    "population": _schema(
        [
            TAMBON_CODE,
            year_be(),
            enum("sex", cl.codes(cl.SEXES), "เพศ", "male or female"),
            enum("age_group", cl.codes(cl.AGE_GROUPS), "ช่วงอายุ", "Five-year age group"),
            count("persons", "จำนวนคน", "Persons (x = suppressed, 1–4)", required=False),
        ],
        ["tambon_code", "year_be", "sex", "age_group"],
        [_TO_TAMBON],
    ),
    "bmn_results": _schema(
        [
            AREA_CODE,
            AREA_LEVEL,
            year_be(),
            _field("indicator", "integer", "ตัวชี้วัด จปฐ.", "BMN indicator number",
                   required=True, minimum=1, maximum=len(cl.BMN_INDICATORS)),
            count("surveyed", "จำนวนที่สำรวจ", "Households or persons surveyed (x = suppressed)",
                  required=False),
            count("passed", "ผ่านเกณฑ์", "Passed (x = suppressed)", required=False),
            count("failed", "ไม่ผ่านเกณฑ์", "Failed (x = suppressed)", required=False),
        ],
        ["area_code", "year_be", "indicator"],
    ),
    "income_brackets": _schema(
        [
            TAMBON_CODE,
            year_be(),
            enum("bracket", cl.codes(cl.INCOME_BRACKETS), "ช่วงรายได้ต่อคนต่อปี",
                 "Income per person per year, baht"),
            count("households", "ครัวเรือน", "Households (x = suppressed)", required=False),
        ],
        ["tambon_code", "year_be", "bracket"],
        [_TO_TAMBON],
    ),
    "income_summary": _schema(
        [
            TAMBON_CODE,
            year_be(),
            count("households_surveyed", "ครัวเรือนที่สำรวจ", "Households surveyed"),
            count("median_income", "รายได้มัธยฐาน (บาท/คน/ปี)", "Median income, baht per person per year"),
            count("mean_income", "รายได้เฉลี่ย (บาท/คน/ปี)", "Mean income, baht per person per year"),
            count("households_below_line", "ครัวเรือนรายได้ต่ำกว่าเกณฑ์",
                  "Households under 38,000 baht per person per year (x = suppressed)", required=False),
            count("households_with_debt", "ครัวเรือนที่มีหนี้สิน",
                  "Households with debt (x = suppressed)", required=False),
            count("mean_debt", "หนี้สินเฉลี่ย (บาท/ครัวเรือนที่มีหนี้)",
                  "Mean debt per indebted household, baht", required=False),
        ],
        ["tambon_code", "year_be"],
        [_TO_TAMBON],
    ),
    "occupations": _schema(
        [
            TAMBON_CODE,
            year_be(),
            enum("occupation", cl.codes(cl.OCCUPATIONS), "อาชีพหลัก", "Main occupation"),
            enum("sex", cl.codes(cl.SEXES), "เพศ", "male or female"),
            count("persons", "จำนวนคน", "Persons aged 15+ (x = suppressed)", required=False),
        ],
        ["tambon_code", "year_be", "occupation", "sex"],
        [_TO_TAMBON],
    ),
    "plan": _schema(
        [
            TAMBON_CODE,
            text("title_th", "ชื่อแผน", "Plan title in Thai", max_length=200),
            year_be("start_year_be"),
            year_be("end_year_be"),
            text("vision_th", "วิสัยทัศน์", "Vision in Thai", max_length=1000),
            _field("adopted_date", "date", "วันที่ประชาคมรับรอง", "Date the community adopted the plan (CE)", required=False),
        ],
        ["tambon_code"],
        [_TO_TAMBON],
    ),
    "plan_issues": _schema(
        [
            TAMBON_CODE,
            _field("issue_no", "integer", "ลำดับความสำคัญ", "Rank of the strategic issue (1 = first)",
                   required=True, minimum=1, maximum=50),
            enum("category", cl.codes(cl.STRATEGIC_CATEGORIES), "หมวดยุทธศาสตร์", "Strategic category"),
            text("title_th", "ประเด็นยุทธศาสตร์", "Strategic issue in Thai", max_length=300),
            text("description_th", "รายละเอียด", "Description in Thai", required=False, max_length=2000),
        ],
        ["tambon_code", "issue_no"],
        [_TO_TAMBON],
    ),
    "plan_projects": _schema(
        [
            TAMBON_CODE,
            code("project_id", PROJECT_ID, "รหัสโครงการ", "Project id within the plan (P01, P02, ...)"),
            _field("issue_no", "integer", "ประเด็นยุทธศาสตร์", "Strategic issue the project serves", required=True, minimum=1),
            code("village_code", VILLAGE, "หมู่บ้าน", "Village code; empty for a tambon-wide project", required=False),
            text("title_th", "ชื่อโครงการ", "Project title in Thai", max_length=300),
            _field("budget_baht", "number", "งบประมาณ (บาท)", "Budget in baht", required=True, minimum=0),
            enum("funding_source", cl.codes(cl.FUNDING_SOURCES), "แหล่งงบประมาณ", "Funding source"),
            text("responsible_th", "ผู้รับผิดชอบ", "Responsible body in Thai", max_length=200),
            year_be(),
            enum("status", cl.codes(cl.PROJECT_STATUSES), "สถานะ", "Project status"),
            # Followed to results (issue 13, item 2): spent <= funded <= budget, or a reason.
            _field("funded_baht", "number", "งบที่ได้รับจัดสรร (บาท)", "Amount allocated, baht; empty until funded", required=False, minimum=0),
            _field("spent_baht", "number", "เบิกจ่ายแล้ว (บาท)", "Amount spent so far, baht", required=False, minimum=0),
            text("amount_note_th", "เหตุผลที่ยอดเกิน", "Why more was funded than budgeted or more spent than funded (then required)", required=False, max_length=300),
        ],
        ["tambon_code", "project_id"],
        [
            _TO_TAMBON,
            _fk(["tambon_code", "issue_no"], "plan_issues", ["tambon_code", "issue_no"]),
            _fk(["village_code"], "villages", ["village_code"]),
        ],
    ),
    # Each step a project took, with its date: its status history (issue 13, item 2).
    "plan_project_status": _schema(
        [
            TAMBON_CODE,
            code("project_id", PROJECT_ID, "รหัสโครงการ", "Project id in plan_projects"),
            enum("status", cl.codes(cl.PROJECT_STATUSES), "สถานะ", "The status the project reached"),
            _field("status_date", "date", "วันที่", "Date it reached that status (CE)", required=True),
            text("note_th", "หมายเหตุ", "What happened, in Thai", required=False, max_length=300),
        ],
        ["tambon_code", "project_id", "status"],
        [_fk(["tambon_code", "project_id"], "plan_projects", ["tambon_code", "project_id"])],
    ),
}  # fmt: skip

# The order resources appear in a package and on a page.
RESOURCE_NAMES: tuple[str, ...] = tuple(SCHEMAS)

RESOURCE_TITLES: dict[str, tuple[str, str]] = {
    "tambon": ("ข้อมูลพื้นฐานตำบล", "Tambon facts"),
    "villages": ("หมู่บ้าน", "Villages"),
    "population": ("ประชากรตามเพศและอายุ", "Population by sex and age"),
    "bmn_results": ("ผลการสำรวจ จปฐ.", "Basic Minimum Needs results"),
    "income_brackets": ("การกระจายรายได้ครัวเรือน", "Household income distribution"),
    "income_summary": ("รายได้และหนี้สินครัวเรือน", "Household income and debt"),
    "occupations": ("อาชีพหลัก", "Main occupations"),
    "plan": ("แผนแม่บทชุมชน", "Community master plan"),
    "plan_issues": ("ประเด็นยุทธศาสตร์", "Strategic issues"),
    "plan_projects": ("โครงการตามแผน", "Plan projects"),
    "plan_project_status": ("ประวัติสถานะโครงการ", "Project status history"),
}

# Resources a package may leave out (one written before they existed is still valid).
OPTIONAL_RESOURCES: frozenset[str] = frozenset({"plan_project_status"})
REQUIRED_RESOURCES: tuple[str, ...] = tuple(
    n for n in RESOURCE_NAMES if n not in OPTIONAL_RESOURCES
)

# The tables of counts of households and persons: what `households publish` makes from the
# records, under disclosure control, and all the disclosure audit reads of a tambon package
# (the plan's tables are the tambon's own, and no count of them is suppressed).
COUNTED_RESOURCES: tuple[str, ...] = ("tambon", "villages", "population", "bmn_results",
                                      "income_brackets", "income_summary", "occupations")  # fmt: skip

# Counts that describe few enough people to identify a household: 1–4 must be suppressed.
SMALL_COUNT_FIELDS: dict[str, tuple[str, ...]] = {
    "population": ("persons",),
    "bmn_results": ("surveyed", "passed", "failed"),
    "income_brackets": ("households",),
    "income_summary": ("households_below_line", "households_with_debt"),
    "occupations": ("persons",),
}


def schema(resource: str) -> dict:
    """A fresh copy of a resource's schema (callers may mutate it)."""
    return copy.deepcopy(SCHEMAS[resource])


def field_names(resource: str) -> list[str]:
    return [f["name"] for f in SCHEMAS[resource]["fields"]]


def resource_descriptor(
    name: str, table_schema: dict | None = None, titles: dict[str, tuple[str, str]] | None = None
) -> dict[str, Any]:
    """The descriptor of a CSV resource at data/<name>.csv with its schema inline.

    Defaults to the shared schema and Thai/English titles of a tambon resource; the roll-up
    package passes its own.
    """
    title_th, title_en = (titles or RESOURCE_TITLES)[name]
    return {
        "name": name,
        "path": f"data/{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": title_th,
        "description": title_en,
        "schema": schema(name) if table_schema is None else table_schema,
    }


def tambon_package_descriptor(
    code: str,
    *,
    description: str,
    sample: bool,
    source_title: str,
    created: str,
    extra_keywords: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The datapackage.json of a tambon package: one shape for generated and new packages.

    `code` must be a tambon in the gazetteer (callers check first, with their own message).
    """
    tambon, district, province = (
        gazetteer.tambon(code),
        gazetteer.district(code[:4]),
        gazetteer.province(code[:2]),
    )
    assert tambon and district and province, f"{code} is not a tambon in the gazetteer"
    where_th, where_en = gazetteer.tambon_address(code)
    return {
        "name": urls.tambon_slug(code),
        "title": f"ข้อมูลชุมชน{where_th}",
        "title_en": f"Community data of {where_en}",
        "description": description,
        "tambon_code": code,
        "district_code": code[:4],
        "province_code": code[:2],
        "sample": sample,
        "licenses": [dict(licences.DEFAULT)],
        "sources": [
            {"title": f"{source_title}; รหัสและชื่อพื้นที่จาก geothai {gazetteer.GAZETTEER_VERSION}"}
        ],
        "keywords": [
            f"ตำบล{tambon.name_th}",
            f"อำเภอ{district.name_th}",
            f"จังหวัด{province.name_th}",
            "จปฐ.",
            "แผนแม่บทชุมชน",
            *extra_keywords,
        ],
        "created": created,
        "resources": [resource_descriptor(name) for name in RESOURCE_NAMES],
    }
