"""Chart builders for the site, one per section of a profile (no file I/O).

Each builder takes a frame from `aggregate` and returns a chart `drawing` drew (an SVG with
its title and description), which `svg.render_svg` makes ready to paste into a page. Each has
a `describe_<name>` twin that says in one or two Thai sentences, with the actual numbers, what
the chart shows: the text alternative (alt text / figcaption) and the chart's `description`,
which `svg` copies into the SVG's aria-label.

Conventions: designed for a phone (`chart_style`): every chart is `WIDTH` px wide with its
labels (the plot takes what the labels and values leave) and its text `TEXT_SIZE` px. Values
are written in a column at the end of each row. Pass rates of 80-99 % sit on an axis that
starts where the data is and says so (`pass_rate_axis_start`): on a 0-100 axis their
differences were invisible. Thai titles and labels in the Sarabun font (self-hosted by the
site); the Okabe-Ito palette, which stays distinct for colour-blind readers; numbers with
thousands separators; a suppressed cell written x, as the tables write it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core.figures import BY_COLUMN as KEY_FIGURES
from tambon_portal.site import drawing
from tambon_portal.site.chart_parts import (
    BAR_STEP,
    BASE,
    HIGHLIGHT,
    OKABE_ITO,
    SEX_COLOURS,
    charted,
    share,
    suppressed_note,
    thousands,
)
from tambon_portal.site.chart_style import LINE_HEIGHT

# The colour of each sex by its code (the charts' palette is keyed by the Thai label).
SEX_COLOUR = {sex.code: SEX_COLOURS[sex.th] for sex in cl.SEXES}


def _by_sex(title: str, description: str, rows: list[drawing.Row], **options: Any) -> dict:
    """A bar chart of men and women, with the legend of the two colours."""
    legend = drawing.Legend(tuple(SEX_COLOURS.items()), title="เพศ")
    chart = drawing.BarChart(title, description, tuple(rows), legend=legend, **options)
    return drawing.bar_chart(chart)


# --- people ----------------------------------------------------------------------------------


def population_pyramid(frame: pd.DataFrame) -> dict[str, Any]:
    """Population pyramid: men to the left, women to the right, oldest at the top; a
    suppressed cell is written x at the middle line, on its side."""
    persons, _ = charted(frame["persons"], frame["suppressed_cells"])
    cells = {
        (age, sex): value
        for age, sex, value in zip(frame["age_group_th"], frame["sex"], persons, strict=True)
    }
    rows = []
    for age in [a.th for a in reversed(cl.AGE_GROUPS)]:
        segments, withheld = [], []
        for sex, sign in (("male", -1), ("female", 1)):
            value = cells.get((age, sex))
            if value is None and (age, sex) in cells:
                withheld.append(drawing.Withheld(0, SEX_COLOUR[sex], leftward=sign < 0))
            elif value is not None:
                segments.append(drawing.Segment(0, sign * int(value), SEX_COLOUR[sex]))
        rows.append(drawing.Row(age, tuple(segments), withheld=tuple(withheld)))
    return _by_sex(
        "ประชากรตามเพศและช่วงอายุ",
        describe_population_pyramid(frame),
        rows,
        axis_title="จำนวนคน (ชาย ← → หญิง)",
        step=LINE_HEIGHT + 1,
        symmetric=True,
    )


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


def income_distribution(frame: pd.DataFrame) -> dict[str, Any]:
    """Households per income bracket, one bar each with its count; brackets under the
    38,000-baht line stand out."""
    households, households_text = charted(frame["households"], frame["suppressed_cells"])
    colours = (OKABE_ITO["vermillion"], BASE)
    rows = []
    for label, below, value, text in zip(
        frame["label_th"], frame["below_line"], households, households_text, strict=True
    ):
        colour = colours[0] if below else colours[1]
        bars = () if value is None else (drawing.Segment(0, float(value), colour),)
        rows.append(drawing.Row(str(label), bars, value_text=text))
    return drawing.bar_chart(
        drawing.BarChart(
            title="ครัวเรือนตามรายได้ต่อคนต่อปี (บาท)",
            subtitle=INCOME_LINE_NOTE,
            description=describe_income_distribution(frame),
            rows=tuple(rows),
            axis_title="ครัวเรือน",
            legend=drawing.Legend(tuple(zip(INCOME_SIDES, colours, strict=True))),
            step=BAR_STEP,
        )
    )


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


def occupations(frame: pd.DataFrame) -> dict[str, Any]:
    """Persons by main occupation, men and women stacked, most common first; a suppressed
    count is written x after the bar, in its sex's colour."""
    shown = {sex: charted(frame[sex], frame[f"{sex}_suppressed"])[0] for sex in ("male", "female")}
    rows = []
    for i, label in enumerate(frame["label_th"]):
        end, segments, withheld = 0.0, [], []
        for sex in ("male", "female"):
            value = shown[sex][i]
            if value is None:
                withheld.append(sex)
            else:
                segments.append(drawing.Segment(end, end + float(value), SEX_COLOUR[sex]))
                end += float(value)
        marks = tuple(drawing.Withheld(end, SEX_COLOUR[sex]) for sex in withheld)
        rows.append(drawing.Row(str(label), tuple(segments), withheld=marks))
    return _by_sex(
        "อาชีพหลักของประชากร",
        describe_occupations(frame),
        rows,
        axis_title="จำนวนคน (อายุ 15 ปีขึ้นไป)",
        step=BAR_STEP - 2,
        tick_count=3,
    )


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
    frame: pd.DataFrame, values: pd.Series, texts: list[str], colour: str
) -> tuple[drawing.Row, ...]:
    return tuple(
        drawing.Row(str(label), (drawing.Segment(0, float(value), colour),), value_text=text)
        for label, value, text in zip(frame["label_th"], values, texts, strict=True)
    )


def plan_by_funding_source(frame: pd.DataFrame) -> dict[str, Any]:
    """Planned budget per funding source (frame: plan_rollup()["by_funding_source"])."""
    budget = frame["budget_baht"].astype(float) / 1e6
    return drawing.bar_chart(
        drawing.BarChart(
            title="งบประมาณตามแหล่งงบประมาณ",
            description=describe_plan_by_funding_source(frame),
            rows=_plan_bars(frame, budget, [f"{v:,.2f}" for v in budget], BASE),
            axis_title="งบประมาณ (ล้านบาท)",
            step=BAR_STEP,
            tick_count=3,
        )
    )


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


def plan_by_status(frame: pd.DataFrame) -> dict[str, Any]:
    """Number of projects per status (frame: plan_rollup()["by_status"])."""
    projects = frame["projects"].astype(float)
    return drawing.bar_chart(
        drawing.BarChart(
            title="โครงการตามสถานะ",
            description=describe_plan_by_status(frame),
            rows=_plan_bars(frame, projects, [f"{v:,.0f}" for v in projects], OKABE_ITO["green"]),
            axis_title="จำนวนโครงการ",
            step=BAR_STEP,
            tick_count=3,
        )
    )


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
) -> dict[str, Any]:
    """One bar per tambon in `figures` (pass the tambons of a district or province) for one
    key-figure column, largest first; `highlight` (a tambon code) is drawn in another colour."""
    rows = _tambon_rows(figures, column)
    title, decimals = KEY_FIGURES[column].label_th, KEY_FIGURES[column].digits
    drawn = tuple(
        drawing.Row(
            str(label),
            (drawing.Segment(0, float(value), HIGHLIGHT if code == highlight else BASE),),
            value_text=f"{float(value):,.{decimals}f}",
        )
        for label, value, code in zip(rows["label"], rows["value"], rows["area_code"], strict=True)
    )
    return drawing.bar_chart(
        drawing.BarChart(
            title=f"{title} รายตำบล",
            description=describe_compare_tambons(figures, column, highlight),
            rows=drawn,
            axis_title=title,
            step=BAR_STEP - 2,
            tick_count=3,
        )
    )


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
