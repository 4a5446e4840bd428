"""Altair chart builders for the site, one per section of a profile (no file I/O).

Each builder takes a frame from `aggregate` and returns an Altair chart whose Vega-Lite spec
(`chart.to_dict()`) `svg.render_svg` turns into an inline SVG. Each has a `describe_<name>`
twin that says in one or two Thai sentences, with the actual numbers, what the chart shows:
the text alternative (alt text / figcaption) and the chart's `description`, which `svg`
copies into the SVG's aria-label.

Conventions: designed for a phone (`chart_style`): every chart is `WIDTH` px wide with its
labels (Vega's `fit-x` autosize shrinks the plot, never the text) and its text `TEXT_SIZE` px.
Values are written in a column at the end of each row. Pass rates of 80-99 % sit on an axis
that starts where the data is and says so (`pass_rate_axis_start`): on a 0-100 axis their
differences were invisible. Thai titles and labels in the Sarabun font (bundled, see `svg`);
the Okabe-Ito palette, which stays distinct for colour-blind readers; numbers with thousands
separators.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import altair as alt
import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import coverage
from tambon_portal.core import formatting as fmt
from tambon_portal.core.figures import BY_COLUMN as KEY_FIGURES
from tambon_portal.site.chart_style import (
    BOLD_WIDER,
    FONT,
    INK,
    LINE_HEIGHT,
    TEXT_SIZE,
    TITLE_GAP,
    TITLE_SIZE,
    WIDTH,
    wrap_label,
)
from tambon_portal.stats.aggregate import percent
from tambon_portal.stats.area_rollups import WEAKEST_SHOWN, rated_indicators

BAR_STEP = 22  # px per bar of a horizontal bar chart
# Values are written in a column right of the plot, not at the end of each bar: Vega's fit-x
# sizes the plot once, so a label at the end of the longest bar could overflow the chart.
VALUE_GAP = 8
# The plot shrinks so that axes, legends and value labels fit WIDTH ("fit-x").
FIT = alt.AutoSizeParams(type="fit-x", contains="padding")
# Extra room on the left: browsers draw Thai axis labels a little wider than vl-convert measures.
PADDING = {"left": 18, "top": 8, "right": 10, "bottom": 8}
TRACK = "#d9d9d9"

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
SEX_COLOURS = {"ชาย": OKABE_ITO["blue"], "หญิง": OKABE_ITO["vermillion"]}
LEVEL_COLOURS = [OKABE_ITO["orange"], OKABE_ITO["sky"], OKABE_ITO["green"]]
HIGHLIGHT = OKABE_ITO["vermillion"]
BASE = OKABE_ITO["blue"]


# --- formatting shared by builders and descriptions ------------------------------------------


def thousands(value: Any, decimals: int = 0) -> str:
    """12345.6 -> "12,346" (or "12,345.6" with decimals=1); "–" for a missing value."""
    if value is None or pd.isna(value):
        return "–"
    return f"{float(value):,.{decimals}f}"


# One Config object instead of a chain of configure_*() calls: each of those deep-copies the
# whole chart, data included, which made spec building the slowest step of a build.
CONFIG = alt.Config(
    font=FONT,
    padding=PADDING,
    background="white",
    axis=alt.AxisConfig(
        labelFont=FONT,
        titleFont=FONT,
        labelFontSize=TEXT_SIZE,
        titleFontSize=TEXT_SIZE,
        titleFontWeight="normal",
    ),
    legend=alt.LegendConfig(
        labelFont=FONT,
        titleFont=FONT,
        labelFontSize=TEXT_SIZE,
        titleFontSize=TEXT_SIZE,
        labelLimit=WIDTH - 40,
    ),
    title=alt.TitleConfig(
        font=FONT,
        fontSize=TITLE_SIZE,
        subtitleFont=FONT,
        subtitleFontSize=TEXT_SIZE,
        offset=TITLE_GAP,
    ),
    text=alt.MarkConfig(font=FONT, fontSize=TEXT_SIZE),
    view=alt.ViewConfig(stroke=None),
)


def _finish(
    chart: alt.TopLevelMixin, title: str, description: str, subtitle: str | None = None
) -> alt.TopLevelMixin:
    """Title (wrapped to the width), text alternative, the phone width and the font
    configuration every chart shares."""
    lines = wrap_label(title, WIDTH - PADDING["left"] - PADDING["right"], TITLE_SIZE * BOLD_WIDER)
    text = lines[0] if len(lines) == 1 else lines
    heading = alt.TitleParams(text, anchor="start", **({"subtitle": subtitle} if subtitle else {}))
    return chart.properties(
        title=heading,
        description=description,
        width=WIDTH,
        autosize=FIT,
        config=CONFIG,
    )


def share(part: float, total: float) -> str:
    """A share of persons or households for a text alternative: "12.5", or "–" under 10
    (the privacy rule of every published percentage, `aggregate.percent`)."""
    return thousands(percent(float(part), float(total)), 1)


# --- pass-rate axes --------------------------------------------------------------------------

PASS_AXIS_MARGIN = 2  # points of room below the lowest rate, so its dot is off the axis line
PASS_AXIS_ROUND = 5  # the axis starts at a multiple of 5 ...
PASS_AXIS_LATEST_START = 95  # ... and spans at least 5 points


def pass_rate_axis_start(values: Iterable[Any]) -> int:
    """Where the axis of pass rates (0-100) starts: the multiple of 5 at least 2 points under
    the lowest rate, so that rates of 90-98 % spread over the chart instead of crowding the
    end of a 0-100 axis; 0 without any rate."""
    known = [float(v) for v in values if v is not None and not pd.isna(v)]
    if not known:
        return 0
    start = math.floor((min(known) - PASS_AXIS_MARGIN) / PASS_AXIS_ROUND) * PASS_AXIS_ROUND
    return int(min(max(start, 0), PASS_AXIS_LATEST_START))


def pass_rate_axis_title(start: int) -> str:
    """The axis says where it starts when that is not 0 (a reader assumes 0)."""
    return "ร้อยละที่ผ่านเกณฑ์" + (f" (แกนเริ่มที่ {start} ไม่ใช่ 0)" if start else "")


def pass_rate_ticks(start: int) -> list[int]:
    """Ticks of a pass-rate axis from `start` to 100: multiples of 5, 10 or 20, at most seven."""
    span = 100 - start
    step = 5 if span <= 30 else 10 if span <= 60 else 20
    return [t for t in range(0, 101, step) if t >= start]


def _pass_rate_x(start: int) -> alt.X:
    return alt.X(
        "pass_pct:Q",
        title=pass_rate_axis_title(start),
        scale=alt.Scale(domain=[start, 100], nice=False, zero=False),
        axis=alt.Axis(values=pass_rate_ticks(start), format="d"),
    )


def _rate_text(value: Any) -> str:
    """A pass rate as the chart writes it beside its dot ("92.6"), "–" without one."""
    return "–" if value is None or pd.isna(value) else f"{float(value):.1f}"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Plain-Python rows (no pandas NA/NumPy scalars) so the spec is canonical JSON."""
    rows = []
    for record in frame.to_dict(orient="records"):
        rows.append(
            {
                k: None if (v is None or (not isinstance(v, str) and pd.isna(v))) else _plain(v)
                for k, v in record.items()
            }
        )
    return rows


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value  # NumPy scalar -> int/float


def _data(frame: pd.DataFrame) -> alt.Data:
    return alt.Data(values=_records(frame))


def _charted(values: pd.Series, suppressed: pd.Series) -> tuple[list[Any], list[str]]:
    """(value, text) of sums of published cells (aggregate's roll-ups) as a chart shows them:
    where every cell was suppressed the value is None (no bar, no 0) and the text is x, as in
    the table beside the chart (`formatting.published_sum`)."""
    texts = [fmt.published_sum(v, n) for v, n in zip(values, suppressed, strict=True)]
    shown = [None if t == fmt.SUPPRESSED_TH else v for v, t in zip(values, texts, strict=True)]
    return shown, texts


def _suppressed_note(frame: pd.DataFrame, unit: str) -> str:
    """The end of a text alternative when some cells of its sums are suppressed."""
    if "suppressed_cells" not in frame:
        return ""
    suppressed = int(frame["suppressed_cells"].fillna(0).sum())
    return f"; ไม่รวม {suppressed} ช่องที่ปกปิดเพราะมีจำนวน 1–4 {unit}" if suppressed else ""


# --- people ----------------------------------------------------------------------------------


def population_pyramid(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Population pyramid: men to the left, women to the right, oldest at the top."""
    persons, persons_text = _charted(frame["persons"], frame["suppressed_cells"])
    data = frame.assign(
        persons=persons,
        persons_text=persons_text,
        signed=[
            None if p is None else -int(p) if s == "male" else int(p)
            for s, p in zip(frame["sex"], persons, strict=True)
        ],
    )
    ages = [a.th for a in reversed(cl.AGE_GROUPS)]
    chart = (
        alt.Chart(_data(data[["sex_th", "age_group_th", "persons_text", "signed"]]))
        .mark_bar()
        .encode(
            x=alt.X(
                "signed:Q",
                title="จำนวนคน (ชาย ← → หญิง)",
                axis=alt.Axis(labelExpr="format(abs(datum.value), ',')", tickCount=4),
            ),
            y=alt.Y("age_group_th:N", sort=ages, title=None),
            color=alt.Color(
                "sex_th:N",
                title="เพศ",
                scale=alt.Scale(domain=list(SEX_COLOURS), range=list(SEX_COLOURS.values())),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("sex_th:N", title="เพศ"),
                alt.Tooltip("age_group_th:N", title="ช่วงอายุ"),
                alt.Tooltip("persons_text:N", title="จำนวนคน"),
            ],
        )
        .properties(height=alt.Step(LINE_HEIGHT + 1))
    )
    return _finish(chart, "ประชากรตามเพศและช่วงอายุ", describe_population_pyramid(frame))


def describe_population_pyramid(frame: pd.DataFrame) -> str:
    persons = frame["persons"].fillna(0)
    by_sex = {s: int(persons[frame["sex"] == s].sum()) for s in ("male", "female")}
    total = by_sex["male"] + by_sex["female"]
    if total == 0:
        return "ไม่มีข้อมูลประชากรตามเพศและช่วงอายุ"
    by_age = frame.assign(p=persons).groupby("age_group_th", sort=False)["p"].sum()
    largest = str(by_age.idxmax())
    elderly = int(
        persons[frame["age_group"].isin(["60-64", "65-69", "70-74", "75-79", "80+"])].sum()
    )
    text = (
        f"ประชากร {thousands(total)} คน เป็นชาย {thousands(by_sex['male'])} คน "
        f"และหญิง {thousands(by_sex['female'])} คน; ช่วงอายุที่มีคนมากที่สุดคือ {largest} "
        f"({thousands(by_age.max())} คน) และผู้มีอายุ 60 ปีขึ้นไปมี {thousands(elderly)} คน "
        f"(ร้อยละ {share(elderly, total)})"
    )
    return text + _suppressed_note(frame, "คน")


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
    frame["rate_text"] = [_rate_text(v) for v in frame["pass_pct"]]
    areas = list(dict.fromkeys(frame.sort_values("order")["area_th"]))
    start = pass_rate_axis_start(frame["pass_pct"])
    groups = [g.th for g in cl.BMN_GROUPS]
    base = alt.Chart(_data(frame))
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
        x=_pass_rate_x(start),
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
    return _finish(chart, "ผลการสำรวจ จปฐ. ผ่านเกณฑ์ตามหมวด", describe_bmn_groups(figures, area_code))


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
    top["rate_text"] = [_rate_text(v) for v in top["pass_pct"]]
    columns = ["label", "label_y", "dot_y", "track_from", "track_to", "rate_text", "pass_pct",
               "group_th", "failed", "unit_th"]  # fmt: skip
    base = alt.Chart(_data(top[columns]))
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
        x=_pass_rate_x(start),
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
    return _finish(chart, weakest_title(len(top)), describe_bmn_weakest(frame))


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


# --- income and work -------------------------------------------------------------------------


INCOME_SIDES = ("ต่ำกว่าเกณฑ์ จปฐ.", "ตั้งแต่เกณฑ์ขึ้นไป")
# Under the title: what the line is (the legend beside the plot has no room for it).
INCOME_LINE_NOTE = f"เกณฑ์ จปฐ.: รายได้ {cl.INCOME_LINE_BAHT:,} บาทต่อคนต่อปี"


def income_distribution(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Households per income bracket, one bar each with its count; brackets under the
    38,000-baht line stand out."""
    households, households_text = _charted(frame["households"], frame["suppressed_cells"])
    data = frame.assign(
        side=[INCOME_SIDES[0] if b else INCOME_SIDES[1] for b in frame["below_line"]],
        households=households,
        households_text=households_text,
    )
    order = list(frame["label_th"])
    columns = ["label_th", "households", "households_text", "pct", "side"]
    base = alt.Chart(_data(data[columns]))
    y = alt.Y("label_th:N", sort=order, title=None)
    bars = base.mark_bar().encode(
        y=y,
        x=alt.X("households:Q", title="ครัวเรือน", axis=alt.Axis(format=",~f", tickCount=4)),
        color=alt.Color(
            "side:N",
            title=None,
            scale=alt.Scale(domain=list(INCOME_SIDES), range=[OKABE_ITO["vermillion"], BASE]),
            legend=alt.Legend(orient="top", direction="vertical"),
        ),
        tooltip=[
            alt.Tooltip("label_th:N", title="ช่วงรายได้"),
            alt.Tooltip("households_text:N", title="ครัวเรือน"),
            alt.Tooltip("pct:Q", title="ร้อยละ", format=".1f"),
        ],
    )
    counts = base.mark_text(align="left", dx=VALUE_GAP).encode(
        y=y, x=alt.value("width"), text=alt.Text("households_text:N")
    )
    chart = (bars + counts).properties(height=alt.Step(BAR_STEP))
    title = "ครัวเรือนตามรายได้ต่อคนต่อปี (บาท)"
    return _finish(chart, title, describe_income_distribution(frame), subtitle=INCOME_LINE_NOTE)


def describe_income_distribution(frame: pd.DataFrame) -> str:
    households = frame["households"].fillna(0).astype(int)
    total = int(households.sum())
    if total == 0:
        return "ไม่มีข้อมูลการกระจายรายได้ครัวเรือน"
    below = int(households[frame["below_line"].astype(bool)].sum())
    biggest = frame.loc[households.idxmax()]
    return (
        f"จาก {thousands(total)} ครัวเรือน มี {thousands(below)} ครัวเรือน "
        f"(ร้อยละ {share(below, total)}) มีรายได้ต่ำกว่า 38,000 บาทต่อคนต่อปี; "
        f"ช่วงที่มีครัวเรือนมากที่สุดคือ {biggest['label_th']} ({thousands(biggest['households'])} ครัวเรือน)"
    ) + _suppressed_note(frame, "ครัวเรือน")


def occupations(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Persons by main occupation, men and women stacked, most common first."""
    order = list(frame["label_th"])
    long = frame.melt(
        id_vars=["label_th", "persons"], value_vars=["male", "female"], var_name="sex"
    )
    suppressed = frame.melt(
        id_vars=["label_th"], value_vars=["male_suppressed", "female_suppressed"]
    )["value"]
    long["value"], long["value_text"] = _charted(long["value"], suppressed)
    long["sex_th"] = [cl.label(cl.SEXES, s) for s in long["sex"]]
    chart = (
        alt.Chart(_data(long[["label_th", "sex_th", "value", "value_text", "persons"]]))
        .mark_bar()
        .encode(
            y=alt.Y("label_th:N", sort=order, title=None),
            x=alt.X(
                "value:Q", title="จำนวนคน (อายุ 15 ปีขึ้นไป)", axis=alt.Axis(format=",~f", tickCount=3)
            ),
            color=alt.Color(
                "sex_th:N",
                title="เพศ",
                scale=alt.Scale(domain=list(SEX_COLOURS), range=list(SEX_COLOURS.values())),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("sex_th:N", sort="ascending"),
            tooltip=[
                alt.Tooltip("label_th:N", title="อาชีพ"),
                alt.Tooltip("sex_th:N", title="เพศ"),
                alt.Tooltip("value_text:N", title="จำนวนคน"),
                alt.Tooltip("persons:Q", title="รวม", format=",~f"),
            ],
        )
        .properties(height=alt.Step(BAR_STEP - 2))
    )
    return _finish(chart, "อาชีพหลักของประชากร", describe_occupations(frame))


def describe_occupations(frame: pd.DataFrame) -> str:
    persons = frame["persons"].fillna(0).astype(int)
    total = int(persons.sum())
    if total == 0:
        return "ไม่มีข้อมูลอาชีพหลัก"
    ranked = frame.assign(p=persons).sort_values("p", ascending=False, kind="stable")
    first, second = ranked.iloc[0], ranked.iloc[1]
    return (
        f"อาชีพหลักที่มีคนทำมากที่สุดคือ{first['label_th']} {thousands(first['p'])} คน "
        f"(ร้อยละ {share(first['p'], total)} ของ {thousands(total)} คน) "
        f"รองลงมาคือ{second['label_th']} {thousands(second['p'])} คน"
    ) + _suppressed_note(frame, "คน")


# --- master plan -----------------------------------------------------------------------------


def _plan_bars(
    frame: pd.DataFrame, value: str, title_x: str, colour: str, value_format: str
) -> alt.LayerChart:
    order = list(frame["label_th"])
    data = frame.assign(budget_mbaht=frame["budget_baht"].astype(float) / 1e6)
    base = alt.Chart(
        _data(data[["label_th", "projects", "budget_baht", "budget_mbaht", "tambons"]])
    )
    bars = base.mark_bar(color=colour).encode(
        y=alt.Y("label_th:N", sort=order, title=None),
        x=alt.X(f"{value}:Q", title=title_x, axis=alt.Axis(format=",~f", tickCount=3)),
        tooltip=[
            alt.Tooltip("label_th:N", title=""),
            alt.Tooltip("projects:Q", title="โครงการ", format=",~f"),
            alt.Tooltip("budget_baht:Q", title="งบประมาณ (บาท)", format=",~f"),
            alt.Tooltip("tambons:Q", title="ตำบล", format=",~f"),
        ],
    )
    labels = base.mark_text(align="left", dx=VALUE_GAP).encode(
        y=alt.Y("label_th:N", sort=order),
        x=alt.value("width"),
        text=alt.Text(f"{value}:Q", format=value_format),
    )
    return (bars + labels).properties(height=alt.Step(BAR_STEP))


def plan_by_funding_source(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Planned budget per funding source (frame: plan_rollup()["by_funding_source"])."""
    chart = _plan_bars(frame, "budget_mbaht", "งบประมาณ (ล้านบาท)", BASE, ",.2f")
    return _finish(chart, "งบประมาณตามแหล่งงบประมาณ", describe_plan_by_funding_source(frame))


def describe_plan_by_funding_source(frame: pd.DataFrame) -> str:
    budget = frame["budget_baht"].fillna(0).astype(float)
    total = float(budget.sum())
    if total == 0:
        return "ยังไม่มีโครงการตามแผน"
    top = frame.loc[budget.idxmax()]
    return (
        f"โครงการตามแผน {thousands(frame['projects'].sum())} โครงการ งบประมาณรวม "
        f"{thousands(total)} บาท; แหล่งงบประมาณที่มากที่สุดคือ{top['label_th']} "
        f"{thousands(top['budget_baht'])} บาท (ร้อยละ {100 * float(top['budget_baht']) / total:.1f})"
    )


def plan_by_status(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Number of projects per status (frame: plan_rollup()["by_status"])."""
    chart = _plan_bars(frame, "projects", "จำนวนโครงการ", OKABE_ITO["green"], ",")
    return _finish(chart, "โครงการตามสถานะ", describe_plan_by_status(frame))


def describe_plan_by_status(frame: pd.DataFrame) -> str:
    projects = frame["projects"].fillna(0).astype(int)
    total = int(projects.sum())
    if total == 0:
        return "ยังไม่มีโครงการตามแผน"
    count = dict(zip(frame["status"], projects, strict=True))
    done = count.get("completed", 0)
    running = count.get("in_progress", 0)
    return (
        f"จาก {thousands(total)} โครงการ เสร็จสิ้นแล้ว {thousands(done)} โครงการ "
        f"(ร้อยละ {100 * done / total:.1f}) และกำลังดำเนินการ {thousands(running)} โครงการ"
    )


# --- comparing tambons -----------------------------------------------------------------------


def _tambon_rows(figures: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = figures[(figures["level"] == "tambon") & figures[column].notna()]
    rows = rows.sort_values([column, "area_code"], ascending=[False, True], kind="stable")
    rows = rows[["area_code", "name_th", column]].rename(columns={column: "value"})
    # One bar per tambon: Thai names repeat across districts (two ปากแพรก in province 80),
    # and bars sharing a label would be drawn on top of each other.
    repeated = rows["name_th"].duplicated(keep=False)
    rows["label"] = [
        f"{name} ({code})" if twin else str(name)
        for name, code, twin in zip(rows["name_th"], rows["area_code"], repeated, strict=True)
    ]
    return rows


def compare_tambons(
    figures: pd.DataFrame, column: str, highlight: str | None = None
) -> alt.TopLevelMixin:
    """One bar per tambon in `figures` (pass the tambons of a district or province) for one
    key-figure column, largest first; `highlight` (a tambon code) is drawn in another colour."""
    rows = _tambon_rows(figures, column)
    rows["is_highlight"] = ["เลือก" if c == highlight else "อื่น" for c in rows["area_code"]]
    title, decimals = KEY_FIGURES[column].label_th, KEY_FIGURES[column].digits
    value_format = f",.{decimals}f"
    order = list(rows["label"])
    base = alt.Chart(_data(rows))
    bars = base.mark_bar().encode(
        y=alt.Y("label:N", sort=order, title=None),
        x=alt.X("value:Q", title=title, axis=alt.Axis(format=",~f", tickCount=3)),
        color=alt.Color(
            "is_highlight:N",
            scale=alt.Scale(domain=["เลือก", "อื่น"], range=[HIGHLIGHT, BASE]),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("name_th:N", title="ตำบล"),
            alt.Tooltip("area_code:N", title="รหัส"),
            alt.Tooltip("value:Q", title=title, format=value_format),
        ],
    )
    labels = base.mark_text(align="left", dx=VALUE_GAP).encode(
        y=alt.Y("label:N", sort=order),
        x=alt.value("width"),
        text=alt.Text("value:Q", format=value_format),
    )
    chart = (bars + labels).properties(height=alt.Step(BAR_STEP - 2))
    return _finish(chart, f"{title} รายตำบล", describe_compare_tambons(figures, column, highlight))


def describe_compare_tambons(
    figures: pd.DataFrame, column: str, highlight: str | None = None
) -> str:
    rows = _tambon_rows(figures, column)
    title, decimals = KEY_FIGURES[column].label_th, KEY_FIGURES[column].digits
    if rows.empty:
        return f"ไม่มีข้อมูล{title}รายตำบลที่เผยแพร่ได้"
    top, bottom = rows.iloc[0], rows.iloc[-1]
    text = (
        f"{title} ของ {len(rows)} ตำบล: สูงสุดคือตำบล{top['name_th']} "
        f"({thousands(top['value'], decimals)}) ต่ำสุดคือตำบล{bottom['name_th']} "
        f"({thousands(bottom['value'], decimals)})"
    )
    if highlight is not None and highlight in set(rows["area_code"]):
        position = list(rows["area_code"]).index(highlight) + 1
        own = rows.iloc[position - 1]
        text += (
            f"; ตำบล{own['name_th']} ({thousands(own['value'], decimals)}) "
            f"อยู่ลำดับที่ {position} จาก {len(rows)}"
        )
    return text


def spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec of a chart as a plain dict (what `svg.render_svg` takes).

    Skips Altair's JSON-schema validation (10× faster, ~10 ms per chart): every builder's
    output is validated in tests/test_charts.py instead.
    """
    return chart.to_dict(validate=False)
