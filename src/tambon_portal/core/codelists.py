"""Code lists shared by the schemas, the validator and the site.

Codes are short English identifiers (stable, machine-friendly); every code has a Thai label
(what a reader sees) and an English label. Schemas take their `enum` constraints from here so
that a code list is defined exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    th: str
    en: str


def codes(items: tuple[Code, ...]) -> list[str]:
    return [c.code for c in items]


def label(items: tuple[Code, ...], code: str, lang: str = "th") -> str:
    for c in items:
        if c.code == code:
            return c.th if lang == "th" else c.en
    return code


SEXES = (Code("male", "ชาย", "Male"), Code("female", "หญิง", "Female"))

AGE_GROUPS = (
    *(Code(f"{a}-{a + 4}", f"{a}–{a + 4} ปี", f"{a}–{a + 4}") for a in range(0, 80, 5)),
    Code("80+", "80 ปีขึ้นไป", "80+"),
)

AREA_LEVELS = (Code("tambon", "ตำบล", "Tambon"), Code("village", "หมู่บ้าน", "Village"))
# The levels of the area totals (`schemas.areas`): above the tambon.
TOTAL_LEVELS = (Code("district", "อำเภอ", "District"), Code("province", "จังหวัด", "Province"))

LOCAL_GOVERNMENT_TYPES = (
    Code("sao", "องค์การบริหารส่วนตำบล", "Subdistrict Administrative Organization"),
    Code("tm_tambon", "เทศบาลตำบล", "Subdistrict Municipality"),
    Code("tm_mueang", "เทศบาลเมือง", "Town Municipality"),
    Code("tm_nakhon", "เทศบาลนคร", "City Municipality"),
)

# Basic Minimum Needs (จปฐ.) indicator groups and indicators. Numbering follows this project's
# code list (indicator 22 is the income line of 38,000 baht per person per year); wording is
# abbreviated from the survey's indicator texts.
BMN_GROUPS = (
    Code("health", "สุขภาพ", "Health"),
    Code("living", "สภาพความเป็นอยู่", "Living conditions"),
    Code("education", "การศึกษา", "Education"),
    Code("economy", "เศรษฐกิจและรายได้", "Economy and income"),
    Code("values", "ค่านิยม", "Values"),
)


@dataclass(frozen=True)
class Indicator:
    number: int
    group: str
    th: str
    en: str
    unit: str  # what is counted: "household" or "person"


BMN_INDICATORS = (
    Indicator(1, "health", "เด็กแรกเกิดมีน้ำหนัก 2,500 กรัมขึ้นไป", "Newborns weigh at least 2,500 g", "person"),
    Indicator(2, "health", "เด็กแรกเกิดได้กินนมแม่อย่างเดียวอย่างน้อย 6 เดือน", "Newborns exclusively breastfed for 6 months", "person"),
    Indicator(3, "health", "เด็กแรกเกิดถึง 12 ปี ได้รับวัคซีนครบตามตาราง", "Children 0–12 fully vaccinated", "person"),
    Indicator(4, "health", "ครัวเรือนกินอาหารถูกสุขลักษณะและปลอดภัย", "Households eat safe, hygienic food", "household"),
    Indicator(5, "health", "ครัวเรือนใช้ยาบำบัดอาการเจ็บป่วยเบื้องต้นอย่างเหมาะสม", "Households use medicines appropriately", "household"),
    Indicator(6, "health", "คนอายุ 35 ปีขึ้นไป ได้รับการตรวจสุขภาพประจำปี", "People 35+ have an annual health check", "person"),
    Indicator(7, "health", "คนอายุ 6 ปีขึ้นไป ออกกำลังกายสัปดาห์ละ 3 วัน", "People 6+ exercise 3 days a week", "person"),
    Indicator(8, "living", "ครัวเรือนมีที่อยู่อาศัยมั่นคงและบ้านคงทนถาวร", "Households have secure, durable housing", "household"),
    Indicator(9, "living", "ครัวเรือนมีน้ำสะอาดสำหรับดื่มเพียงพอตลอดปี", "Households have enough clean drinking water", "household"),
    Indicator(10, "living", "ครัวเรือนมีน้ำใช้เพียงพอตลอดปี", "Households have enough water for use", "household"),
    Indicator(11, "living", "ครัวเรือนจัดบ้านเรือนเป็นระเบียบและถูกสุขลักษณะ", "Households keep a clean, orderly home", "household"),
    Indicator(12, "living", "ครัวเรือนไม่ถูกรบกวนจากมลพิษ", "Households are free from pollution", "household"),
    Indicator(13, "living", "ครัวเรือนป้องกันอุบัติภัยและภัยธรรมชาติอย่างถูกวิธี", "Households prepare for accidents and disasters", "household"),
    Indicator(14, "living", "ครัวเรือนมีความปลอดภัยในชีวิตและทรัพย์สิน", "Households are safe in life and property", "household"),
    Indicator(15, "living", "ครัวเรือนมีการจัดการขยะอย่างเหมาะสม", "Households manage waste properly", "household"),
    Indicator(16, "education", "เด็กอายุ 3–5 ปี ได้รับการเตรียมความพร้อมก่อนวัยเรียน", "Children 3–5 receive pre-school care", "person"),
    Indicator(17, "education", "เด็กอายุ 6–14 ปี ได้รับการศึกษาภาคบังคับ 9 ปี", "Children 6–14 receive 9 years of schooling", "person"),
    Indicator(18, "education", "เด็กจบ ม.3 ได้เรียนต่อ ม.4 หรือเทียบเท่า", "Lower-secondary graduates continue to upper secondary", "person"),
    Indicator(19, "education", "ผู้ไม่ได้เรียนต่อและไม่มีงานทำ ได้รับการฝึกอาชีพ", "Young people out of school and work get vocational training", "person"),
    Indicator(20, "education", "คนอายุ 15–59 ปี อ่าน เขียนภาษาไทย และคิดเลขง่าย ๆ ได้", "People 15–59 can read, write Thai and do simple arithmetic", "person"),
    Indicator(21, "economy", "คนอายุ 15–59 ปี มีอาชีพและมีรายได้", "People 15–59 have an occupation and income", "person"),
    Indicator(22, "economy", "คนในครัวเรือนมีรายได้เฉลี่ยไม่น้อยกว่า 38,000 บาทต่อคนต่อปี", "Household income at least 38,000 baht per person per year", "household"),
    Indicator(23, "economy", "คนอายุ 60 ปีขึ้นไป มีอาชีพและมีรายได้", "People 60+ have an occupation and income", "person"),
    Indicator(24, "economy", "ครัวเรือนมีการเก็บออมเงิน", "Households save money", "household"),
    Indicator(25, "values", "คนในครัวเรือนไม่ดื่มสุรา", "Household members do not drink alcohol", "person"),
    Indicator(26, "values", "คนในครัวเรือนไม่สูบบุหรี่", "Household members do not smoke", "person"),
    Indicator(27, "values", "คนอายุ 6 ปีขึ้นไป ปฏิบัติกิจกรรมทางศาสนาสัปดาห์ละครั้ง", "People 6+ take part in religious activity weekly", "person"),
    Indicator(28, "values", "ผู้สูงอายุได้รับการดูแลจากครอบครัว ชุมชน หรือรัฐ", "Older people are cared for", "person"),
    Indicator(29, "values", "ผู้พิการได้รับการดูแลจากครอบครัว ชุมชน หรือรัฐ", "People with disabilities are cared for", "person"),
    Indicator(30, "values", "ครัวเรือนมีส่วนร่วมทำกิจกรรมสาธารณะของชุมชน", "Households take part in community activities", "household"),
    Indicator(31, "values", "ครอบครัวมีความอบอุ่น", "Families are harmonious", "household"),
)  # fmt: skip


@dataclass(frozen=True)
class BmnSet:
    """A versioned BMN indicator set: the survey's indicators change between periods, and a
    household's answers are read against the set its questionnaire followed (the household
    file names it in `bmn_set`)."""

    version: str  # as written in the data
    first_year_be: int  # the survey period it was issued for
    last_year_be: int
    indicators: tuple[Indicator, ...]

    def of_unit(self, unit: str) -> tuple[Indicator, ...]:
        """The indicators a household answers (unit "household") or each member (unit "person")."""
        return tuple(i for i in self.indicators if i.unit == unit)


# The sets this project knows. The list above is the 2560–2564 set (31 indicators in 5 groups);
# the later set is to be added from its official text, not from memory. The sample data of
# 2567–2568 declares the 2560–2564 set it was generated with.
BMN_SETS = (BmnSet("2560-2564", 2560, 2564, BMN_INDICATORS),)
BMN_SET_VERSIONS = tuple(s.version for s in BMN_SETS)


def bmn_set(version: str) -> BmnSet | None:
    return next((s for s in BMN_SETS if s.version == version), None)


def known_bmn_set(version: str) -> BmnSet:
    """The BMN set `version`; ValueError for a version the code list does not hold (callers
    pass versions the household check has accepted)."""
    found = bmn_set(version)
    if found is None:
        raise ValueError(f"{version} is not a BMN set of codelists.BMN_SETS")
    return found


def bmn_field(number: int) -> str:
    """The household input's column of BMN indicator `number`: bmn_01 ... bmn_31."""
    return f"bmn_{number:02d}"


INCOME_LINE_INDICATOR = 22
INCOME_LINE_BAHT = 38_000

INCOME_BRACKETS = (
    Code("lt30k", "ต่ำกว่า 30,000 บาท", "Under 30,000"),
    Code("30k-38k", "30,000–37,999 บาท", "30,000–37,999"),
    Code("38k-60k", "38,000–59,999 บาท", "38,000–59,999"),
    Code("60k-100k", "60,000–99,999 บาท", "60,000–99,999"),
    Code("100k-150k", "100,000–149,999 บาท", "100,000–149,999"),
    Code("ge150k", "150,000 บาทขึ้นไป", "150,000 and over"),
)
# Lower and upper bounds in baht per person per year, for grouped medians.
INCOME_BRACKET_BOUNDS = {
    "lt30k": (0, 30_000),
    "30k-38k": (30_000, 38_000),
    "38k-60k": (38_000, 60_000),
    "60k-100k": (60_000, 100_000),
    "100k-150k": (100_000, 150_000),
    "ge150k": (150_000, 250_000),
}
# The brackets wholly under the income line: their households fail BMN indicator 22.
BRACKETS_BELOW_LINE = frozenset(
    code for code, (_, upper) in INCOME_BRACKET_BOUNDS.items() if upper <= INCOME_LINE_BAHT
)

OCCUPATIONS = (
    Code("rubber", "ทำสวนยางพารา", "Rubber farming"),
    Code("rice", "ทำนา", "Rice farming"),
    Code("orchard", "ทำสวนผลไม้/ปาล์มน้ำมัน", "Fruit and oil-palm orchards"),
    Code("fishery", "ประมง", "Fishery"),
    Code("livestock", "เลี้ยงสัตว์", "Livestock"),
    Code("trade", "ค้าขาย/ธุรกิจส่วนตัว", "Trade and own business"),
    Code("employee", "พนักงานบริษัท/ลูกจ้าง", "Private employee"),
    Code("government", "รับราชการ/รัฐวิสาหกิจ", "Government and state enterprise"),
    Code("labourer", "รับจ้างทั่วไป", "General labourer"),
    Code("student", "นักเรียน/นักศึกษา", "Student"),
    Code("none", "ไม่มีอาชีพ/ว่างงาน", "No occupation"),
    Code("other", "อื่น ๆ", "Other"),
)

STRATEGIC_CATEGORIES = (
    Code("income", "อาชีพและรายได้", "Jobs and income"),
    Code("agriculture", "เกษตรและแหล่งน้ำ", "Agriculture and water"),
    Code("debt", "หนี้สินและการออม", "Debt and savings"),
    Code("health", "สุขภาพและสวัสดิการ", "Health and welfare"),
    Code("education", "การศึกษาและเยาวชน", "Education and youth"),
    Code("environment", "ทรัพยากรและสิ่งแวดล้อม", "Natural resources and environment"),
    Code("infrastructure", "โครงสร้างพื้นฐาน", "Infrastructure"),
    Code("culture", "วัฒนธรรมและการท่องเที่ยว", "Culture and tourism"),
    Code("governance", "การบริหารจัดการชุมชน", "Community governance"),
)

FUNDING_SOURCES = (
    Code("community", "ชุมชนดำเนินการเอง", "Community itself"),
    Code("community_fund", "กองทุนชุมชน", "Community fund"),
    Code("local_government", "องค์กรปกครองส่วนท้องถิ่น", "Local government"),
    Code("government_agency", "หน่วยงานราชการ", "Government agency"),
    Code("province", "จังหวัด", "Province"),
    Code("private", "ภาคเอกชน", "Private sector"),
    Code("ngo", "องค์กรพัฒนาเอกชน", "NGO"),
)

PROJECT_STATUSES = (
    Code("proposed", "เสนอโครงการ", "Proposed"),
    Code("in_lg_plan", "บรรจุในแผนท้องถิ่น", "In local-government plan"),
    Code("approved", "อนุมัติแล้ว", "Approved"),
    Code("funded", "ได้รับงบประมาณ", "Funded"),
    Code("in_progress", "กำลังดำเนินการ", "In progress"),
    Code("completed", "เสร็จสิ้น", "Completed"),
    Code("cancelled", "ยกเลิก", "Cancelled"),
)
# A project's statuses in the order it passes them (PROJECT_STATUSES less cancelled, which may
# end any of them). A step may be skipped (a community-funded project is in no
# local-government plan) but never taken backwards.
STATUS_ORDER: tuple[str, ...] = tuple(c.code for c in PROJECT_STATUSES if c.code != "cancelled")
CANCELLED = "cancelled"
# From this step on a project has money: its funded amount is known (and may be spent).
FUNDED_FROM = "funded"


def status_rank(status: str) -> int | None:
    """Where a status stands in STATUS_ORDER (None for cancelled or an unknown code)."""
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else None


# Which BMN indicators (numbers of BMN_INDICATORS) a strategic category of the master plan
# works on (issue 13, item 2): a project serves an issue of one category, and so answers the
# indicators of that category. This project's reading of the indicators' wording, to be
# reviewed with the partnership; a category may answer indicators of several groups.
CATEGORY_INDICATORS: dict[str, tuple[int, ...]] = {
    "income": (19, 21, 22, 23),
    "agriculture": (9, 10, 21, 22),
    "debt": (22, 24),
    "health": (1, 2, 3, 4, 5, 6, 7, 28, 29),
    "education": (16, 17, 18, 19, 20),
    "environment": (11, 12, 13, 15),
    "infrastructure": (8, 9, 10, 13, 14),
    "culture": (27, 30, 31),
    "governance": (14, 25, 26, 30),
}


def categories_answering(indicator: int) -> tuple[str, ...]:
    """The strategic categories whose projects work on a BMN indicator, in code-list order."""
    return tuple(c.code for c in STRATEGIC_CATEGORIES
                 if int(indicator) in CATEGORY_INDICATORS.get(c.code, ()))  # fmt: skip


# The kinds of partner the partnership agreement names (issue 13): who does what where.
PARTNER_TYPES = (
    Code("local_government", "องค์กรปกครองส่วนท้องถิ่น", "Local government"),
    Code("government_agency", "หน่วยงานราชการ", "Government agency"),
    Code("civil_society", "ภาคประชาสังคม", "Civil society"),
    Code("research", "สถาบันวิชาการและแหล่งทุนวิจัย", "Research"),
    Code("community_organisation", "องค์กรชุมชน", "Community organisation"),
    Code("private", "ภาคเอกชน", "Private sector"),
    Code("international", "องค์กรระหว่างประเทศ", "International"),
)

# What a partner does in a project; only "funds" carries an amount of the project's budget.
PARTNER_ROLES = (
    Code("funds", "สนับสนุนงบประมาณ", "Funds"),
    Code("implements", "ดำเนินการ", "Implements"),
    Code("supports", "สนับสนุนด้านวิชาการ/อื่น ๆ", "Supports"),
)
FUNDING_ROLE = "funds"


@dataclass(frozen=True)
class Term:
    code: str
    th: str  # the term as pages write it
    explanation_th: str  # one short sentence for a reader who does not know it


# Terms a reader may not know: each page explains those it uses, where it first uses them
# ("<term> <explanation>" reads as one Thai sentence).
TERMS = (
    Term("bmn", "จปฐ.",
         f"คือข้อมูลความจำเป็นพื้นฐาน ที่สำรวจครัวเรือนทุกปีตามตัวชี้วัด {len(BMN_INDICATORS)} ข้อ"),
    Term("income_line", "รายได้ต่ำกว่าเกณฑ์ จปฐ.",
         f"หมายถึงรายได้เฉลี่ยต่ำกว่า {INCOME_LINE_BAHT:,} บาทต่อคนต่อปี"
         f" (ตัวชี้วัดข้อ {INCOME_LINE_INDICATOR})"),
    Term("median", "รายได้มัธยฐาน",
         "คือรายได้ต่อคนของครัวเรือนที่อยู่ตรงกลาง: ครึ่งหนึ่งของครัวเรือนมีรายได้ต่ำกว่านี้"
         " อีกครึ่งหนึ่งสูงกว่า"),
)  # fmt: skip

# Counters of what a BMN indicator counts (Indicator.unit).
UNIT_COUNTERS_TH = {"household": "ครัวเรือน", "person": "คน"}


def indicator_counter(number: int) -> str:
    """The Thai counter of what BMN indicator `number` counts: คน or ครัวเรือน."""
    unit = next((i.unit for i in BMN_INDICATORS if i.number == int(number)), "household")
    return UNIT_COUNTERS_TH[unit]
