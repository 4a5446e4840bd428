"""The key figures, each defined once: its Thai and English name, unit, how it is written, how it
changes and ranks, and what the roll-up package says it is (pure: no I/O).

Every figure is a column of the key-figures table (`aggregate.key_figures`, the roll-up
package's key_figures.csv and the JSON API's `figures`), in that table's order. Cards, tables,
maps, charts, the changelog and the trends (`trends.RULES`) all take their words from here, so
a reader meets one name and one unit for a figure wherever it is shown:

- `label_th`: the name with its unit, "รายได้มัธยฐาน (บาท/คน/ปี)" (cards, maps, charts);
- `card_th` (and `card_en`, the changelog's): a card writes a percentage as "16.7%", so its
  label drops the "(%)";
- `header_th`: a column header of a figure table, with a shorter name where one is needed;
- `panel_th`: a trend chart's panel (120 px): the short name and the short unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tambon_portal.core import codelists as cl

POINTS_TH = "จุด"  # the unit of a change of a percentage: percentage points


@dataclass(frozen=True)
class Figure:
    column: str
    name_th: str
    name_en: str
    unit_th: str = ""  # in brackets after the name: คน, %, บาท/คน/ปี
    unit_en: str = ""
    kind: str = "int"  # how a value is written (`formatting.by_kind`): int, pct, num1, year
    short_th: str = ""  # the name in a narrow column header ("": the name)
    short_unit_th: str = ""  # the unit in a trend chart's panel ("": the unit)
    # How it changes from the previous survey year and ranks among the pilots (`trends`):
    # the unit of a change ("": the figure has no change rule), whether up is better (+1),
    # worse (-1) or neither (0, a size), and what rank 1 means (None: not ranked).
    change_unit_th: str = ""
    better: int = 0
    best_th: str | None = None
    description: str = ""  # the roll-up package's description of the column (English)

    @property
    def label_th(self) -> str:
        return _with_unit(self.name_th, self.unit_th)

    @property
    def label_en(self) -> str:
        return _with_unit(self.name_en, self.unit_en)

    @property
    def card_th(self) -> str:
        return self.name_th if self.kind == "pct" else self.label_th

    @property
    def card_en(self) -> str:
        return self.name_en if self.kind == "pct" else self.label_en

    @property
    def header_th(self) -> str:
        return _with_unit(self.short_th or self.name_th, self.unit_th)

    @property
    def panel_th(self) -> str:
        return _with_unit(self.short_th or self.name_th, self.short_unit_th or self.unit_th)

    @property
    def digits(self) -> int:
        """Decimals the figure is published with: a percentage or an area to one decimal."""
        return 1 if self.kind in ("pct", "num1") else 0


def _with_unit(name: str, unit: str) -> str:
    return f"{name} ({unit})" if unit else name


def _pct(column: str, name_th: str, name_en: str, **more) -> Figure:
    return Figure(column, name_th, name_en, "%", "%", "pct", change_unit_th=POINTS_TH, **more)


_IN_AREA = "; in an area row, the sum over its tambons with data only"

FIGURES: tuple[Figure, ...] = (
    Figure("tambons_with_data", "ตำบลนำร่องที่มีข้อมูล", "Tambons with data",
           description="Tambons of the area that have data: every figure of a district, "
           "province or pilot row is a sum over these tambons only, not over the whole area"),
    Figure("pilots_with_data", "ตำบลนำร่องในตำบลที่มีข้อมูล", "Pilot tambons with data",
           description="Of tambons_with_data, the tambons of the pilot set"),
    Figure("tambons_in_area", "ตำบลทั้งหมดในพื้นที่", "Tambons in the area",
           description="Tambons of the area in the gazetteer (geothai, see sources); the pilot "
           "row: the pilot tambons. A row covers its whole area only when "
           "tambons_with_data = tambons_in_area"),
    Figure("villages", "หมู่บ้าน", "Villages", change_unit_th="หมู่บ้าน",
           description="Villages" + _IN_AREA),
    Figure("households", "ครัวเรือน", "Households", change_unit_th="ครัวเรือน",
           description="Households" + _IN_AREA),
    Figure("population", "ประชากร", "Population", "คน", "persons", change_unit_th="คน",
           description="Persons; in an area row, the sum over its tambons with data only "
           "(tambons_with_data of tambons_in_area)"),
    Figure("area_km2", "พื้นที่", "Area", "ตร.กม.", "km²", "num1"),
    Figure("households_surveyed", "ครัวเรือนที่สำรวจ", "Households surveyed"),
    Figure("households_below_line", "ครัวเรือนรายได้ต่ำกว่าเกณฑ์ จปฐ.",
           "Households under the income line"),
    _pct("below_line_pct", "ครัวเรือนรายได้ต่ำกว่าเกณฑ์ จปฐ.", "Households under the income line",
         short_th="รายได้ต่ำกว่าเกณฑ์", better=-1, best_th="น้อยที่สุด",
         description="100 × households below 38,000 baht/person/year ÷ households surveyed "
         "(tambons with a suppressed count left out of both, unless the province's area "
         "totals give the area's true count; empty when the denominator is under 10)"),
    Figure("median_income", "รายได้มัธยฐาน", "Median income", "บาท/คน/ปี",
           "baht per person per year", short_unit_th="บาท", change_unit_th="บาท", better=+1,
           best_th="สูงที่สุด",
           description="Baht per person per year: a tambon's reported median; for larger areas "
           "the grouped median interpolated from pooled income brackets"),
    Figure("mean_income", "รายได้เฉลี่ย", "Mean income", "บาท/คน/ปี", "baht per person per year",
           short_unit_th="บาท", change_unit_th="บาท", better=+1,
           description="Baht per person per year, weighted by households surveyed"),
    Figure("households_with_debt", "ครัวเรือนที่มีหนี้สิน", "Households in debt"),
    _pct("debt_pct", "ครัวเรือนที่มีหนี้สิน", "Households in debt", short_th="มีหนี้สิน",
         better=-1, best_th="น้อยที่สุด",
         description="100 × households with debt ÷ households surveyed"),
    Figure("mean_debt", "หนี้สินเฉลี่ย", "Mean debt", "บาท/ครัวเรือนที่มีหนี้",
           "baht per indebted household", short_unit_th="บาท", change_unit_th="บาท", better=-1,
           best_th="ต่ำที่สุด",
           description="Baht per indebted household, weighted by households with debt"),
    _pct("bmn_pass_pct", "ผ่านเกณฑ์ จปฐ.", "Passing the Basic Minimum Needs", better=+1,
         best_th="สูงที่สุด",
         description="Σ passed ÷ Σ (passed + failed) over tambon-level BMN rows, in percent"),
    *(
        _pct(f"bmn_pass_pct_{g.code}", f"ผ่านเกณฑ์ จปฐ. หมวด{g.th}",
             f"Passing the Basic Minimum Needs, {g.en}", better=+1)
        for g in cl.BMN_GROUPS
    ),
    Figure("projects", "โครงการในแผนแม่บทชุมชน", "Projects in the community master plans",
           short_th="โครงการ"),
    Figure("plan_budget_baht", "งบประมาณตามแผน", "Budget of the plans", "บาท", "baht",
           description="Total budget of the master-plan projects, baht"),
    Figure("year_be", "ปีที่สำรวจ", "Survey year", "พ.ศ.", "Buddhist Era", "year"),
)  # fmt: skip

BY_COLUMN: dict[str, Figure] = {f.column: f for f in FIGURES}
COLUMNS: tuple[str, ...] = tuple(BY_COLUMN)

# The figures on a tambon's cards (docs/architecture.md §6), in their order; the changelog
# lists the moves of these.
CARDS: tuple[str, ...] = (
    "population", "households", "villages", "below_line_pct", "median_income", "debt_pct",
    "mean_debt",
)  # fmt: skip

LABELS_TH: dict[str, str] = {f.column: f.label_th for f in FIGURES}
HEADERS_TH: dict[str, str] = {f.column: f.header_th for f in FIGURES}


def of(columns: Iterable[str]) -> tuple[Figure, ...]:
    """The figures of `columns`, in that order."""
    return tuple(BY_COLUMN[c] for c in columns)
