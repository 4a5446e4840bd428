"""The Basic Minimum Needs (จปฐ.) charts of a profile: pass rates of the five groups beside
the district and province, and the weakest indicators (`charts` conventions)."""

from __future__ import annotations

import json

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import coverage, lazy
from tambon_portal.site.chart_parts import (
    LEVEL_COLOURS,
    OKABE_ITO,
    PADDING,
    TRACK,
    VALUE_GAP,
    finish,
    pass_rate_axis_start,
    pass_rate_x,
    rate_text,
    thousands,
    vega_data,
)
from tambon_portal.site.chart_style import (
    INK,
    LINE_HEIGHT,
    WIDTH,
    wrap_label,
)
from tambon_portal.stats.area_rollups import WEAKEST_SHOWN, rated_indicators

alt = lazy.module("altair")  # 0.3 s to import: only when a chart is made (core.lazy)

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


LEGEND_SYMBOL_ROOM = 20  # px of a legend entry before its text: the symbol and the gap after it
GROUP_GAP = 0.32  # of a group's step: the room (about 24 px) above its rows for its name


def _wrapped_legend_labels(names: list[str], width: float) -> str:
    """A Vega `labelExpr` that writes each legend entry in `names` in lines no wider than
    `width` px (`wrap_label`): the coverage names ("ตำบลนำร่อง 3 ตำบลในอำเภอ...") are long."""
    lines = {name: wrap_label(name, width) for name in names}
    return f"{json.dumps(lines, ensure_ascii=False)}[datum.label] || datum.label"


def bmn_groups(figures: pd.DataFrame, area_code: str) -> alt.TopLevelMixin:
    """Dot plot: BMN pass rate per group, the area beside its district and province, one row
    each, the rate written at the end of the row; the axis starts where the rates are. Each
    group's name is written above its rows, not beside them, so the plot and the legend of
    the (long) coverage names above it have the chart's whole width."""
    frame = bmn_groups_frame(figures, area_code)
    frame["rate_text"] = [rate_text(v) for v in frame["pass_pct"]]
    areas = list(dict.fromkeys(frame.sort_values("order")["area_th"]))
    start = pass_rate_axis_start(frame["pass_pct"])
    groups = [g.th for g in cl.BMN_GROUPS]
    base = alt.Chart(vega_data(frame))
    y = alt.Y(
        "group_th:N",
        sort=groups,
        title=None,
        scale=alt.Scale(paddingInner=GROUP_GAP, paddingOuter=GROUP_GAP),
        axis=None,
    )
    y_offset = alt.YOffset("area_th:N", sort=areas)
    legend_width = WIDTH - PADDING["left"] - PADDING["right"] - LEGEND_SYMBOL_ROOM
    dots = base.mark_point(filled=True, size=110, opacity=1, stroke=INK, strokeWidth=0.8).encode(
        y=y,
        yOffset=y_offset,
        x=pass_rate_x(start),
        color=alt.Color(
            "area_th:N",
            title=None,
            sort=areas,
            scale=alt.Scale(domain=areas, range=LEVEL_COLOURS[: len(areas)]),
            # one entry a line, never cut: the coverage names are long, so they wrap
            legend=alt.Legend(
                orient="top",
                direction="vertical",
                labelLimit=0,
                labelExpr=_wrapped_legend_labels(areas, legend_width),
            ),
        ),
        tooltip=[
            alt.Tooltip("area_th:N", title="พื้นที่"),
            alt.Tooltip("group_th:N", title="หมวด"),
            alt.Tooltip("rate_text:N", title="ผ่านเกณฑ์ (%)"),
        ],
    )
    rates = base.mark_text(align="left", dx=VALUE_GAP).encode(
        y=y, yOffset=y_offset, x=alt.value("width"), text="rate_text:N"
    )
    names = (
        alt.Chart(alt.Data(values=[{"group_th": g} for g in groups]))
        .mark_text(align="left", baseline="bottom", dy=-2, fontWeight="bold")
        .encode(
            y=alt.Y("group_th:N", sort=groups, bandPosition=0), x=alt.value(0), text="group_th:N"
        )
    )
    chart = (dots + rates + names).properties(height=alt.Step(LINE_HEIGHT + 1))
    return finish(chart, "ผลการสำรวจ จปฐ. ผ่านเกณฑ์ตามหมวด", describe_bmn_groups(figures, area_code))


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


ROW_GAP = 14  # px between one indicator's dot and the next indicator's label


def _weakest(frame: pd.DataFrame, n: int = WEAKEST_SHOWN) -> pd.DataFrame:
    top = rated_indicators(frame).head(n).copy()
    top["label"] = [
        f"{i}. {label}" for i, label in zip(top["indicator"], top["label_th"], strict=True)
    ]
    top["group_th"] = [cl.label(cl.BMN_GROUPS, g) for g in top["group"]]
    top["unit_th"] = [cl.indicator_counter(i) for i in top["indicator"]]
    return top


def _label_rows(labels: list[str], width: float) -> tuple[list[str], list[int], list[int], int]:
    """Each label wrapped to `width`, the y of its first line and of its dot below it (px from
    the top), and the height of them all: a phone has no room for long labels beside a bar."""
    texts, label_ys, dot_ys = [], [], []
    y = 0
    for label in labels:
        lines = wrap_label(label, width)
        texts.append("\n".join(lines))
        label_ys.append(y)
        dot_ys.append(y + len(lines) * LINE_HEIGHT + LINE_HEIGHT // 2)
        y = dot_ys[-1] + LINE_HEIGHT // 2 + ROW_GAP
    return texts, label_ys, dot_ys, y


def bmn_weakest(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """The BMN indicators with the lowest pass rate (frame from `bmn_indicator_rates`), as many
    as the profile's table lists: each its label across the chart, a dot on a track up to 100
    below it and the rate at the end; the axis starts where the rates are."""
    top = _weakest(frame)
    top["label"], top["label_y"], top["dot_y"], height = _label_rows(
        list(top["label"]), WIDTH - PADDING["left"] - PADDING["right"]
    )
    start = pass_rate_axis_start(top["pass_pct"])
    top["track_from"], top["track_to"] = start, 100
    top["rate_text"] = [rate_text(v) for v in top["pass_pct"]]
    columns = ["label", "label_y", "dot_y", "track_from", "track_to", "rate_text", "pass_pct",
               "group_th", "failed", "unit_th"]  # fmt: skip
    base = alt.Chart(vega_data(top[columns]))
    y_px = alt.Scale(domain=[0, max(height, 1)], range=[0, max(height, 1)])
    labels = base.mark_text(
        align="left", baseline="top", lineBreak="\n", lineHeight=LINE_HEIGHT
    ).encode(x=alt.value(0), y=alt.Y("label_y:Q", scale=y_px, axis=None), text="label:N")
    tracks = base.mark_rule(color=TRACK, strokeWidth=2).encode(
        x=alt.X("track_from:Q", scale=alt.Scale(domain=[start, 100])),
        x2="track_to:Q",
        y=alt.Y("dot_y:Q", scale=y_px, axis=None),
    )
    dots = base.mark_point(
        filled=True, size=110, opacity=1, color=OKABE_ITO["vermillion"], stroke=INK, strokeWidth=0.8
    ).encode(
        x=pass_rate_x(start),
        y=alt.Y("dot_y:Q", scale=y_px, axis=None),
        tooltip=[
            alt.Tooltip("label:N", title="ตัวชี้วัด"),
            alt.Tooltip("group_th:N", title="หมวด"),
            alt.Tooltip("rate_text:N", title="ผ่านเกณฑ์ (%)"),
            alt.Tooltip("failed:Q", title="ไม่ผ่านเกณฑ์", format=",~f"),
            alt.Tooltip("unit_th:N", title="หน่วย"),
        ],
    )
    rates = base.mark_text(align="left", baseline="middle", dx=VALUE_GAP).encode(
        x=alt.value("width"), y=alt.Y("dot_y:Q", scale=y_px, axis=None), text="rate_text:N"
    )
    chart = (tracks + dots + rates + labels).properties(height=max(height, 1))
    return finish(chart, weakest_title(len(top)), describe_bmn_weakest(frame))


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
