"""The Basic Minimum Needs (จปฐ.) charts of a profile: pass rates of the five groups beside
the district and province, and the weakest indicators (`charts` conventions)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import coverage
from tambon_portal.site import drawing
from tambon_portal.site.chart_parts import (
    LEVEL_COLOURS,
    OKABE_ITO,
    pass_rate_axis_start,
    pass_rate_axis_title,
    pass_rate_ticks,
    rate_text,
    thousands,
)
from tambon_portal.site.chart_style import LINE_HEIGHT, WIDTH, wrap_label
from tambon_portal.stats.area_rollups import WEAKEST_SHOWN, rated_indicators

# --- basic minimum needs ---------------------------------------------------------------------


def bmn_groups_frame(figures: pd.DataFrame, area_code: str) -> pd.DataFrame:
    """Pass rate per BMN group of an area and the areas above it (tambon → district → province)."""
    codes = [area_code]
    row = figures[figures["area_code"] == area_code].iloc[0]
    parent = row["parent_code"]
    while parent is not None and not pd.isna(parent):
        codes.append(str(parent))
        parents = figures[figures["area_code"] == parent]
        parent = parents.iloc[0]["parent_code"] if not parents.empty else None
    rows = []
    for order, code in enumerate(codes):
        area = figures[figures["area_code"] == code]
        if area.empty:
            continue
        area = area.iloc[0]
        for group in cl.BMN_GROUPS:
            rows.append(
                {
                    "area_code": code,
                    # what the row covers: never "จังหวัด…" for a sum of some tambons
                    "area_th": coverage.name_th(coverage.of_row(area.to_dict())),
                    "order": order,
                    "group": group.code,
                    "group_th": group.th,
                    "pass_pct": area[f"bmn_pass_pct_{group.code}"],
                }
            )
    frame = pd.DataFrame(rows)
    frame["pass_pct"] = frame["pass_pct"].astype("Float64")
    return frame


def _pass_rate_chart(
    title: str, description: str, rows: list[drawing.Row], start: int, **options
) -> dict:
    """A dot plot of pass rates on an axis from `start` to 100 that says where it starts."""
    return drawing.bar_chart(
        drawing.BarChart(
            title=title,
            description=description,
            rows=tuple(rows),
            axis_title=pass_rate_axis_title(start),
            domain=(start, 100),
            ticks=tuple(pass_rate_ticks(start)),
            tick_text=lambda v: f"{v:.0f}",
            **options,
        )
    )


def bmn_groups(figures: pd.DataFrame, area_code: str) -> dict[str, Any]:
    """Dot plot: BMN pass rate per group, the area beside its district and province, one row
    each, the rate written at the end of the row; the axis starts where the rates are. Each
    group's name is written above its rows, not beside them, so the plot and the legend of
    the (long) coverage names above it have the chart's whole width."""
    frame = bmn_groups_frame(figures, area_code)
    areas = list(dict.fromkeys(frame.sort_values("order")["area_th"]))
    colours = dict(zip(areas, LEVEL_COLOURS, strict=False))
    rows = []
    for group in cl.BMN_GROUPS:
        rates = frame[frame["group"] == group.code].sort_values("order", kind="stable")
        for i, (area, rate) in enumerate(zip(rates["area_th"], rates["pass_pct"], strict=True)):
            dots = () if pd.isna(rate) else (drawing.Dot(float(rate), colours[area]),)
            rows.append(
                drawing.Row(
                    dots=dots,
                    value_text=rate_text(rate),
                    above=(group.th,) if i == 0 else (),
                    above_bold=True,
                )
            )
    return _pass_rate_chart(
        "ผลการสำรวจ จปฐ. ผ่านเกณฑ์ตามหมวด",
        describe_bmn_groups(figures, area_code),
        rows,
        pass_rate_axis_start(frame["pass_pct"]),
        legend=drawing.Legend(tuple(colours.items()), vertical=True, dots=True),
        step=LINE_HEIGHT + 1,
    )


def describe_bmn_groups(figures: pd.DataFrame, area_code: str) -> str:
    frame = bmn_groups_frame(figures, area_code)
    own = frame[(frame["area_code"] == area_code) & frame["pass_pct"].notna()]
    if own.empty:
        return "ไม่มีผลการสำรวจ จปฐ. ที่เผยแพร่ได้"
    weakest = own.loc[own["pass_pct"].astype(float).idxmin()]
    strongest = own.loc[own["pass_pct"].astype(float).idxmax()]
    text = (
        f"{own.iloc[0]['area_th']} ผ่านเกณฑ์ จปฐ. หมวด{weakest['group_th']}ต่ำที่สุด "
        f"(ร้อยละ {weakest['pass_pct']:.1f}) และหมวด{strongest['group_th']}สูงที่สุด "
        f"(ร้อยละ {strongest['pass_pct']:.1f})"
    )
    province = frame[(frame["order"] == frame["order"].max()) & (frame["area_code"] != area_code)]
    same = province[province["group"] == weakest["group"]]
    if not same.empty and not pd.isna(same.iloc[0]["pass_pct"]):
        text += f"; {same.iloc[0]['area_th']} หมวดเดียวกันร้อยละ {same.iloc[0]['pass_pct']:.1f}"
    return text


ROW_GAP = 10  # px between one indicator's dot and the next indicator's label


def _weakest(frame: pd.DataFrame, n: int = WEAKEST_SHOWN) -> pd.DataFrame:
    top = rated_indicators(frame).head(n).copy()
    top["label"] = [
        f"{i}. {label}" for i, label in zip(top["indicator"], top["label_th"], strict=True)
    ]
    top["group_th"] = [cl.label(cl.BMN_GROUPS, g) for g in top["group"]]
    top["unit_th"] = [cl.indicator_counter(i) for i in top["indicator"]]
    return top


def bmn_weakest(frame: pd.DataFrame) -> dict[str, Any]:
    """The BMN indicators with the lowest pass rate (frame from `bmn_indicator_rates`), as many
    as the profile's table lists: each its label across the chart (a phone has no room for
    long labels beside a dot), a dot on a track up to 100 below it and the rate at the end;
    the axis starts where the rates are."""
    top = _weakest(frame)
    start = pass_rate_axis_start(top["pass_pct"])
    width = WIDTH - drawing.PADDING["left"] - drawing.PADDING["right"]
    rows = [
        drawing.Row(
            dots=() if pd.isna(rate) else (drawing.Dot(float(rate), OKABE_ITO["vermillion"]),),
            track=(start, 100),
            value_text=rate_text(rate),
            above=tuple(wrap_label(label, width)),
        )
        for label, rate in zip(top["label"], top["pass_pct"], strict=True)
    ]
    return _pass_rate_chart(
        weakest_title(len(top)),
        describe_bmn_weakest(frame),
        rows,
        start,
        step=LINE_HEIGHT + 2,
        row_gap=ROW_GAP,
    )


def weakest_title(count: int) -> str:
    """The title of the weakest-indicators chart: the counter of indicators is ข้อ, as in the
    table beside it, and the number is how many the chart shows."""
    return f"ตัวชี้วัด จปฐ. ที่ผ่านเกณฑ์น้อยที่สุด {count} ข้อ"


def describe_bmn_weakest(frame: pd.DataFrame) -> str:
    top = _weakest(frame)
    if top.empty:
        return "ไม่มีผลการสำรวจ จปฐ. ที่เผยแพร่ได้"
    first = top.iloc[0]
    text = (
        f"ตัวชี้วัดที่ผ่านเกณฑ์น้อยที่สุดคือข้อ {first['indicator']} {first['label_th']} "
        f"(ผ่านร้อยละ {first['pass_pct']:.1f}, ไม่ผ่าน {thousands(first['failed'])} "
        f"{first['unit_th']})"
    )
    if len(top) > 1:
        second = top.iloc[1]
        text += (
            f" รองลงมาคือข้อ {second['indicator']} {second['label_th']} "
            f"(ร้อยละ {second['pass_pct']:.1f})"
        )
    return text
