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

from typing import Any

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import lazy
from tambon_portal.core.figures import BY_COLUMN as KEY_FIGURES
from tambon_portal.site.chart_parts import (
    BAR_STEP,
    BASE,
    HIGHLIGHT,
    OKABE_ITO,
    SEX_COLOURS,
    VALUE_GAP,
    charted,
    finish,
    share,
    suppressed_note,
    thousands,
    vega_data,
)
from tambon_portal.site.chart_style import (
    LINE_HEIGHT,
)

alt = lazy.module("altair")  # 0.3 s to import: only when a chart is made (core.lazy)

# --- people ----------------------------------------------------------------------------------


def population_pyramid(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Population pyramid: men to the left, women to the right, oldest at the top."""
    persons, persons_text = charted(frame["persons"], frame["suppressed_cells"])
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
        alt.Chart(vega_data(data[["sex_th", "age_group_th", "persons_text", "signed"]]))
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
    return finish(chart, "ประชากรตามเพศและช่วงอายุ", describe_population_pyramid(frame))


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
    return text + suppressed_note(frame, "คน")


# --- income and work -------------------------------------------------------------------------


INCOME_SIDES = ("ต่ำกว่าเกณฑ์ จปฐ.", "ตั้งแต่เกณฑ์ขึ้นไป")
# Under the title: what the line is (the legend beside the plot has no room for it).
INCOME_LINE_NOTE = f"เกณฑ์ จปฐ.: รายได้ {cl.INCOME_LINE_BAHT:,} บาทต่อคนต่อปี"


def income_distribution(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Households per income bracket, one bar each with its count; brackets under the
    38,000-baht line stand out."""
    households, households_text = charted(frame["households"], frame["suppressed_cells"])
    data = frame.assign(
        side=[INCOME_SIDES[0] if b else INCOME_SIDES[1] for b in frame["below_line"]],
        households=households,
        households_text=households_text,
    )
    order = list(frame["label_th"])
    columns = ["label_th", "households", "households_text", "pct", "side"]
    base = alt.Chart(vega_data(data[columns]))
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
    return finish(chart, title, describe_income_distribution(frame), subtitle=INCOME_LINE_NOTE)


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
    ) + suppressed_note(frame, "ครัวเรือน")


def occupations(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Persons by main occupation, men and women stacked, most common first."""
    order = list(frame["label_th"])
    long = frame.melt(
        id_vars=["label_th", "persons"], value_vars=["male", "female"], var_name="sex"
    )
    suppressed = frame.melt(
        id_vars=["label_th"], value_vars=["male_suppressed", "female_suppressed"]
    )["value"]
    long["value"], long["value_text"] = charted(long["value"], suppressed)
    long["sex_th"] = [cl.label(cl.SEXES, s) for s in long["sex"]]
    chart = (
        alt.Chart(vega_data(long[["label_th", "sex_th", "value", "value_text", "persons"]]))
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
    return finish(chart, "อาชีพหลักของประชากร", describe_occupations(frame))


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
    ) + suppressed_note(frame, "คน")


# --- master plan -----------------------------------------------------------------------------


def _plan_bars(
    frame: pd.DataFrame, value: str, title_x: str, colour: str, value_format: str
) -> alt.LayerChart:
    order = list(frame["label_th"])
    data = frame.assign(budget_mbaht=frame["budget_baht"].astype(float) / 1e6)
    base = alt.Chart(
        vega_data(data[["label_th", "projects", "budget_baht", "budget_mbaht", "tambons"]])
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
    return finish(chart, "งบประมาณตามแหล่งงบประมาณ", describe_plan_by_funding_source(frame))


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
    return finish(chart, "โครงการตามสถานะ", describe_plan_by_status(frame))


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
    base = alt.Chart(vega_data(rows))
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
    return finish(chart, f"{title} รายตำบล", describe_compare_tambons(figures, column, highlight))


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
