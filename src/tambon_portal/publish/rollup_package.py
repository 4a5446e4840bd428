"""The provincial roll-ups written as a Frictionless data package (published like the rest).

Same input, same bytes: no timestamps, fixed resource and row order, one float format, so a
release diff only shows real changes and the data changelog can compare roll-ups too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from tambon_portal.core import figures as key_figures
from tambon_portal.core import gazetteer, licences, schemas, scope
from tambon_portal.packages import writer as package_writer
from tambon_portal.stats import aggregate, area_rollups, plans

PARTNERS_3W = "partners_3w"  # the partners' 3W table, where the data has partners

RESOURCE_TITLES: dict[str, tuple[str, str]] = {
    "key_figures": ("ตัวเลขสำคัญรายตำบล อำเภอ จังหวัด", "Key figures by tambon, district, province"),
    "bmn_indicator_rates": ("ผล จปฐ. รายตัวชี้วัดตามพื้นที่", "BMN pass rates by indicator and area"),
    "plan_by_category": ("โครงการตามหมวดยุทธศาสตร์", "Plan projects by strategic category"),
    "plan_by_funding_source": ("โครงการตามแหล่งงบประมาณ", "Plan projects by funding source"),
    "plan_by_status": ("โครงการตามสถานะ", "Plan projects by status"),
    "plan_by_year": ("โครงการตามปี", "Plan projects by year"),
    "plan_projects_all": ("โครงการตามแผนแม่บทชุมชนทุกตำบล", "All master-plan projects"),
    "plan_shared_issues": (
        "ประเด็นยุทธศาสตร์ของแต่ละตำบลตามหมวด",
        "Strategic issues of each tambon by category",
    ),
    "plan_progress": (
        "ความคืบหน้าของโครงการรายตำบล อำเภอ จังหวัด",
        "Plan projects followed to results by tambon, district, province",
    ),
    "plan_moves_by_year": ("โครงการที่ขยับสถานะในแต่ละปี", "Projects that moved, by year"),
    "plan_status_history_all": ("ประวัติสถานะโครงการทุกตำบล", "Status history of every project"),
    "plan_indicator_response": (
        "ตัวชี้วัดที่ยังไม่ผ่านและโครงการที่ตอบ",
        "Weakest BMN indicators and the plan projects that answer them",
    ),
    PARTNERS_3W: (
        "ภาคีเครือข่ายรายอำเภอ (ใคร ทำอะไร ที่ไหน)",
        "Partners by district (3W: who, what, where)",
    ),
}

# Descriptions of the columns a reader is least likely to guess: a key figure's is in `figures`.
FIELD_DESCRIPTIONS: dict[str, str] = {
    **{f.column: f.description for f in key_figures.FIGURES if f.description},
    "level": "tambon, district, province, or pilot (the partnership's pilot tambons)",
    "covers_th": "What the figures of the row add up, in Thai: the area only when every tambon "
    "of it has data (อำเภอ… ครบทั้ง 16 ตำบล), else its tambons with data "
    "(ตำบลนำร่อง 3 จาก 16 ตำบลในอำเภอ…)",
    "covers_en": "What the figures of the row add up, in English (3 pilot tambons of the 16 in "
    "… District)",
    "pass_pct": "Σ passed ÷ Σ (passed + failed), in percent; empty when under 10",
    "surveyed": "BMN rows: households surveyed; in an area row, summed over the tambons whose "
    "surveyed, passed and failed are all published, so passed + failed = surveyed (when no "
    "tambon is, the sum of the tambons' surveyed); x = suppressed",
    "passed": "Households passing the indicator; in an area row, summed over the tambons whose "
    "three counts are published; x = suppressed (a 1–4 count, or the cell that would reveal it; "
    "in an area row: every tambon of it suppressed)",
    "failed": "Households failing the indicator; summed like passed; x = suppressed",
    "tambons_suppressed": "Tambons of the area whose counts of this indicator are suppressed (x) "
    "and left out of surveyed, passed and failed; 0 where the row is the area's true total "
    "(the area-totals package of the province, counted from the household records, used "
    "where it adds up exactly the area's tambons with data and its three counts are "
    "published)",
    "year_be": "Year, Buddhist Era (CE = BE − 543)",
    "budget_baht": "Budget in baht",
    "funded_baht": "Baht funded: in the plan tables, allocated to the projects of the row; in"
    " partners_3w, what the partner funds (role funds) over its projects of the row",
    "spent_baht": "Baht spent so far by the projects of the row (empty amounts count 0)",
    "projects_moved": "Projects with a step after their proposal dated in the year (moved_year_be"
    " in plan_progress: the latest year with steps), each counted once",
    "moved_year_be": "The Buddhist Era year projects_moved counts: the latest year of the status"
    " history",
    "tambons_weak": "Tambons that have the indicator among their five weakest (lowest pass rates"
    " on their profile)",
    "tambons_answered": "Of tambons_weak, those with a plan project that answers the indicator"
    " (its issue's category works on it: codelists CATEGORY_INDICATORS; cancelled left out)",
    "projects": "Distinct plan projects (in partners_3w: those the partner takes part in, in"
    " any role)",
}


def _field_type(dtype: Any) -> str:
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    return "string"


# Per resource, the columns where <NA> is a suppressed count: written as schemas.SUPPRESSED
# ("x", like the tambon packages), so a reader never takes it for a rate left empty or for 0.
SUPPRESSED_COLUMNS: dict[str, tuple[str, ...]] = {
    "bmn_indicator_rates": area_rollups.BMN_COUNT_COLUMNS,
}


def table_schema(
    frame: pd.DataFrame, primary_key: list[str], suppressed: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The Table Schema of a roll-up; "x" is a missing value only where `suppressed` columns
    can hold it (elsewhere "x" could be a text value, such as a project's title)."""
    fields = []
    for name in frame.columns:
        field: dict[str, Any] = {"name": name, "type": _field_type(frame[name].dtype)}
        if name in FIELD_DESCRIPTIONS:
            field["description"] = FIELD_DESCRIPTIONS[name]
        fields.append(field)
    missing = list(schemas.MISSING_VALUES) if suppressed else [""]
    return {"fields": fields, "primaryKey": primary_key, "missingValues": missing}


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _cell(value: Any) -> str:
    if hasattr(value, "item"):
        value = value.item()  # NumPy scalar -> Python, so repr() is the plain number
    if _is_missing(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def csv_text(frame: pd.DataFrame, suppressed: tuple[str, ...] = ()) -> str:
    """The frame as CSV; <NA> in a `suppressed` column is written "x", elsewhere empty."""
    marked = [column in suppressed for column in frame.columns]
    rows = [
        [
            schemas.SUPPRESSED if is_suppressed and _is_missing(v) else _cell(v)
            for v, is_suppressed in zip(row, marked, strict=True)
        ]
        for row in frame.itertuples(index=False)
    ]
    return package_writer.csv_text([list(frame.columns), *rows])


def rollup_tables(
    tambons: Mapping[str, aggregate.Tables],
    figures: pd.DataFrame | None = None,
    plan: Mapping[str, pd.DataFrame] | None = None,
    bmn_rates: pd.DataFrame | None = None,
    three_w: pd.DataFrame | None = None,
) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    """Resource name -> (frame, primary key), in publishing order.

    `figures` (`aggregate.key_figures`), `plan` (`plans.plan_rollup`) and `bmn_rates`
    (`area_rollups.bmn_indicator_rates_by_area`) of `tambons` when the caller has them
    already (the build computes them once in its roll-ups stage and keeps them); `three_w`
    (`stats.partners.three_w`) where the data has partners (else no partners_3w).
    """
    figures = aggregate.key_figures(tambons) if figures is None else figures
    if bmn_rates is None:
        bmn_rates = area_rollups.bmn_indicator_rates_by_area(tambons)
    plan = plans.plan_rollup(tambons, bmn_rates=bmn_rates) if plan is None else plan
    return {
        "key_figures": (figures, ["area_code"]),
        "bmn_indicator_rates": (bmn_rates, ["area_code", "indicator"]),
        "plan_by_category": (plan["by_category"], ["category"]),
        "plan_by_funding_source": (plan["by_funding_source"], ["funding_source"]),
        "plan_by_status": (plan["by_status"], ["status"]),
        "plan_by_year": (plan["by_year"], ["year_be"]),
        "plan_projects_all": (plan["projects_all"], ["tambon_code", "project_id"]),
        "plan_shared_issues": (plan["shared_issues"], ["tambon_code", "issue_no"]),
        "plan_progress": (plan["progress"], ["area_code"]),
        "plan_moves_by_year": (plan["moves_by_year"], ["year_be"]),
        "plan_status_history_all": (plan["history_all"], ["tambon_code", "project_id", "status"]),
        "plan_indicator_response": (plan["indicator_response"], ["indicator"]),
        **({PARTNERS_3W: (three_w, ["partner_id", "district_code"])}
           if three_w is not None and not three_w.empty else {}),
    }  # fmt: skip


def _descriptor(resources: list[dict[str, Any]], sample: bool, area: scope.Scope
                ) -> dict[str, Any]:  # fmt: skip
    description = (
        "ตัวเลขรวมระดับอำเภอ จังหวัด และตำบลนำร่อง คำนวณจากชุดข้อมูลรายตำบล: อัตราคิดจากผลรวมตัวตั้ง"
        "หารผลรวมตัวหาร ไม่ใช่ค่าเฉลี่ยของอัตรา; ช่องที่ปกปิดไม่นำมารวมและยังแสดงเป็น x; "
        "ร้อยละที่ตัวหารน้อยกว่า 10 เว้นว่าง; ตัวเลขของอำเภอและจังหวัดรวมเฉพาะตำบลที่มีข้อมูล "
        "ไม่ใช่ทั้งอำเภอหรือทั้งจังหวัด (ดูคอลัมน์ covers_th, tambons_with_data, tambons_in_area). "
        "Roll-ups of the tambon packages to district, province and the pilot set: rates are sums "
        "of numerators over sums of denominators; suppressed cells are left out and stay x; "
        "percentages over fewer than 10 are left empty; district and province figures add up "
        "only the tambons with data, not the whole district or province (see the columns "
        "covers_en, tambons_with_data, tambons_in_area)."
    )
    if sample:
        description += " ข้อมูลตัวอย่างสังเคราะห์ (ไม่ใช่ข้อมูลจริง). SYNTHETIC SAMPLE DATA."
    return {
        "name": area.rollup_package,
        "title": area.after_th("ข้อมูลรวม"),
        "title_en": f"{area.area_en} roll-ups",
        "description": description,
        "sample": sample,
        "licenses": [dict(licences.DEFAULT)],
        "sources": [
            {"title": f"ชุดข้อมูลรายตำบลใน datapackages/; ชื่อพื้นที่จาก geothai "
             f"{gazetteer.GAZETTEER_VERSION}"}
        ],
        "resources": resources,
    }  # fmt: skip


def package_files(
    tambons: Mapping[str, aggregate.Tables],
    sample: bool = False,
    figures: pd.DataFrame | None = None,
    plan: Mapping[str, pd.DataFrame] | None = None,
    bmn_rates: pd.DataFrame | None = None,
    three_w: pd.DataFrame | None = None,
) -> dict[str, str]:
    """Relative path -> text of every file of the roll-up package (pure; see `rollup_tables`)."""
    files: dict[str, str] = {}
    resources = []
    tables = rollup_tables(tambons, figures, plan, bmn_rates, three_w)
    for name, (frame, primary_key) in tables.items():
        suppressed = SUPPRESSED_COLUMNS.get(name, ())
        files[f"data/{name}.csv"] = csv_text(frame, suppressed)
        schema = table_schema(frame, primary_key, suppressed)
        resources.append(schemas.resource_descriptor(name, schema, RESOURCE_TITLES))
    descriptor = _descriptor(resources, sample, scope.of_tambons(tambons))
    files["datapackage.json"] = package_writer.descriptor_text(descriptor)
    return files


def write_rollup_package(
    tambons: Mapping[str, aggregate.Tables],
    out_dir: Path,
    sample: bool = False,
    figures: pd.DataFrame | None = None,
    plan: Mapping[str, pd.DataFrame] | None = None,
    bmn_rates: pd.DataFrame | None = None,
    three_w: pd.DataFrame | None = None,
) -> Path:
    """Writes the roll-up package into `out_dir`; returns the path of its datapackage.json."""
    out_dir = Path(out_dir)
    files = package_files(tambons, sample, figures, plan, bmn_rates, three_w)
    package_writer.write_files(out_dir, files)
    return out_dir / "datapackage.json"
