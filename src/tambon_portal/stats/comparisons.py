"""A tambon's figures beside its district and province, and the plain Thai sentence that
places one beside the other (pure; the rows are `aggregate.key_figures`')."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from tambon_portal.core import coverage
from tambon_portal.stats import aggregate

# --- comparison sentences --------------------------------------------------------------------

# Figures where comparing a tambon with the province makes sense (rates and typical values,
# not sizes: a tambon always has fewer people than its province).
COMPARABLE: tuple[str, ...] = (
    "below_line_pct", "median_income", "mean_income", "debt_pct", "mean_debt",
    "bmn_pass_pct", *(f"bmn_pass_pct_{g}" for g in aggregate.GROUPS),
)  # fmt: skip
COMPARED: tuple[str, ...] = (
    "population", "households", "villages", "area_km2", "households_surveyed", *COMPARABLE,
    "projects", "plan_budget_baht",
)  # fmt: skip

# Ratio tambon / province thresholds of the sentences (unit-tested):
NEAR = 0.10  # within ±10 %: "close to the province"
NOTABLE = 0.25  # 10–25 % off: "slightly"; 25 % or more: say by how much
TIMES_FROM = 1.75  # from 1.75× on: "about N times" (N rounded to the nearest half)
HALF_BAND = (0.375, 0.625)  # about half
FEW_BELOW = 0.375  # under this: "only about P % of"


def _round_to(value: float, step: float) -> float:
    return math.floor(value / step + 0.5) * step


def _format_times(ratio: float) -> str:
    n = _round_to(ratio, 0.5)
    return f"{n:.0f}" if n == int(n) else f"{n:.1f}"


def comparison_sentence(
    value: float,
    reference: float,
    figure: str = "",
    reference_th: str = coverage.LEVEL_TH["province"],
) -> str | None:
    """A plain Thai sentence that places a tambon's value beside its province's.

    `reference_th` names what the province value covers (`coverage.reference_th`: "จังหวัด"
    only when it adds up every tambon of the province, else "ตำบลนำร่องในจังหวัด").
    None when either value is missing or the province value is not positive.
    """
    if value is None or reference is None or pd.isna(value) or pd.isna(reference):
        return None
    if reference <= 0:
        return None
    what = f"ค่ากลางของ{reference_th}" if figure == "median_income" else f"ค่าของ{reference_th}"
    ratio = float(value) / float(reference)
    if abs(ratio - 1) <= NEAR:
        return f"ใกล้เคียงกับ{reference_th}"
    if ratio >= TIMES_FROM:
        return f"สูงกว่า{what}ราว {_format_times(ratio)} เท่า"
    if ratio >= 1 + NOTABLE:
        return f"สูงกว่า{what}ราวร้อยละ {_round_to((ratio - 1) * 100, 10):.0f}"
    if ratio > 1:
        return f"สูงกว่า{what}เล็กน้อย"
    if ratio < FEW_BELOW:
        return f"เพียงราวร้อยละ {_round_to(ratio * 100, 5):.0f} ของ{what}"
    if HALF_BAND[0] <= ratio <= HALF_BAND[1]:
        return f"ต่ำกว่า{what}ราวครึ่งหนึ่ง"
    if ratio <= 1 - NOTABLE:
        return f"ต่ำกว่า{what}ราวร้อยละ {_round_to((1 - ratio) * 100, 10):.0f}"
    return f"ต่ำกว่า{what}เล็กน้อย"


def _value(rows: Mapping[str, Mapping[str, Any]], code: str | None, column: str) -> Any:
    """`column` of the first row of area `code` in `rows` (area code -> row), None if absent."""
    value = rows.get(code, {}).get(column) if code is not None else None
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value  # numpy scalar -> int/float


def coverages_above(figures: pd.DataFrame, tambon_code: str) -> dict[str, coverage.Coverage]:
    """What the district and province rows beside a tambon cover ({"district": ..,
    "province": ..}; a level without a row is left out)."""
    found = {}
    for level, code in (("district", tambon_code[:4]), ("province", tambon_code[:2])):
        rows = figures[(figures["level"] == level) & (figures["area_code"] == code)]
        if not rows.empty:
            found[level] = coverage.of_row(rows.iloc[0].to_dict())
    return found


def compare(figures: pd.DataFrame, area_code: str) -> dict[str, dict[str, Any]]:
    """A tambon's figures beside its district and province, with a Thai sentence per rate.

    {figure: {"tambon": v, "district": v, "province": v, "sentence_th": str | None}};
    sizes (population, households, ...) get no sentence: only rates and typical values compare.
    """
    row = figures[figures["area_code"] == area_code]
    if row.empty:
        raise KeyError(f"no key figures for area {area_code}")
    district_code = row.iloc[0]["parent_code"]
    district_code = None if pd.isna(district_code) else str(district_code)
    province_code = district_code[:2] if district_code else None
    province = coverages_above(figures, area_code).get("province")
    reference_th = coverage.reference_th(province) if province else coverage.LEVEL_TH["province"]
    # The three rows once, not the whole frame scanned per figure and area (that made the
    # profiles quadratic in the number of tambons).
    codes = [c for c in (area_code, district_code, province_code) if c is not None]
    found = figures[figures["area_code"].isin(codes)]
    rows: dict[str, dict[str, Any]] = {}
    for row in found.to_dict("records"):  # a dict per area: no frame indexed per figure
        rows.setdefault(row["area_code"], row)
    result: dict[str, dict[str, Any]] = {}
    for column in COMPARED:
        tambon = _value(rows, area_code, column)
        province = _value(rows, province_code, column)
        result[column] = {
            "tambon": tambon,
            "district": _value(rows, district_code, column),
            "province": province,
            "sentence_th": comparison_sentence(tambon, province, column, reference_th)
            if column in COMPARABLE
            else None,
        }
    return result
