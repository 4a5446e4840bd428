"""Tables labelled for the people who open them in Excel: names and labels beside the codes.

The province bundle `bundles/bmn_results-<pp>.csv` is the tambons' `bmn_results` tables one
after the other: codes only (area 80010601, indicator 22), tambon and village rows mixed. A
journalist needs it usable as it opens, so the bundle also carries
`bmn_results-<pp>.labelled.xlsx`: one sheet of tambon rows and one of village rows, each row
with the year, the district, tambon and village names, the indicator's group and label, the
counts, and the pass rate (suppressed under 10 households or persons, like every page).
Suppressed counts stay `x`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, settings
from tambon_portal.stats import aggregate

BMN_RESOURCE = "bmn_results"
LABELLED_SUFFIX = ".labelled.xlsx"
COLUMNS = (
    "ปี พ.ศ. (year BE)",
    "รหัสอำเภอ (district code)",
    "อำเภอ (district)",
    "รหัสตำบล (tambon code)",
    "ตำบล (tambon)",
    "รหัสหมู่บ้าน (village code)",
    "หมู่บ้าน (village)",
    "ข้อ (indicator)",
    "หมวด (group)",
    "ตัวชี้วัด (indicator label)",
    "สำรวจ (surveyed)",
    "ผ่าน (passed)",
    "ไม่ผ่าน (failed)",
    "ร้อยละที่ผ่าน (% passed)",
)
SHEETS = (("tambon", "ระดับตำบล (tambons)"), ("village", "ระดับหมู่บ้าน (villages)"))
NOTE = (
    f"{settings.SUPPRESSED_NOTE}; ร้อยละว่างเมื่อสำรวจ"
    f"น้อยกว่า {aggregate.MIN_DENOMINATOR} (no % under {aggregate.MIN_DENOMINATOR})"
)
_INDICATORS = {i.number: i for i in cl.BMN_INDICATORS}
_GROUPS = {g.code: g.th for g in cl.BMN_GROUPS}


def _count(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _pass_pct(passed: str, surveyed: str) -> float | None:
    if not (passed.isdigit() and surveyed.isdigit()):
        return None
    value = aggregate.percent(float(passed), float(surveyed))
    return None if math.isnan(value) else value


def bmn_rows(bmn: Sequence[dict[str, str]], village_names: dict[str, str]) -> dict[str, list[list]]:
    """Labelled rows by area level ("tambon", "village") from `bmn_results` cells."""
    out: dict[str, list[list]] = {"tambon": [], "village": []}
    for row in bmn:
        area, level = row.get("area_code", ""), row.get("area_level", "")
        if level not in out:
            continue
        tambon = gazetteer.tambon(area[:6])
        district = gazetteer.district(area[:4])
        number = int(row["indicator"]) if row.get("indicator", "").isdigit() else None
        indicator = _INDICATORS.get(number) if number is not None else None
        out[level].append(
            [
                _count(row.get("year_be", "")),
                area[:4],
                district.name_th if district else "",
                area[:6],
                tambon.name_th if tambon else "",
                area if level == "village" else "",
                village_names.get(area, "") if level == "village" else "",
                number if number is not None else row.get("indicator", ""),
                _GROUPS.get(indicator.group, "") if indicator else "",
                indicator.th if indicator else "",
                _count(row.get("surveyed", "")),
                _count(row.get("passed", "")),
                _count(row.get("failed", "")),
                _pass_pct(row.get("passed", ""), row.get("surveyed", "")),
            ]
        )
    for rows in out.values():
        rows.sort(key=row_order)
    return out


def row_order(row: Sequence) -> tuple:
    """Where a labelled row stands in its sheet: by tambon, village, year and indicator."""
    return (row[3], row[5], row[0], row[7] if isinstance(row[7], int) else 0)


def merged_rows(parts: Sequence[dict[str, list[list]]]) -> dict[str, list[list]]:
    """The rows of several `bmn_rows` (one per tambon package) in one workbook's order."""
    return {level: sorted((r for part in parts for r in part[level]), key=row_order)
            for level, _ in SHEETS}  # fmt: skip


def bmn_sheets(rows: dict[str, list[list]]) -> list[tuple[str, tuple[str, ...], list[list], str]]:
    """(sheet title, header, rows, note) of the labelled workbook: tambons, then villages."""
    return [(title, COLUMNS, rows[level], NOTE) for level, title in SHEETS]
