"""A tambon's key figures over its survey years: small multiples, one panel per figure (no I/O).

Like the builders in `charts` (whose palette and configuration it reuses, and whose sizes and
font come from `chart_style`), it returns an Altair chart that `svg.render_svg` turns into an
inline SVG at build time, with a Thai text alternative in its `description`. Kept in its own
module: the figures and rules come from `trends`.

Sizing for a phone: the whole chart is about 340 px wide, so at 390 px it is shown at (almost)
its own size and every label of `TEXT_SIZE` px stays at least 12 CSS px. Each panel has its
own scale (a median income and a percentage share no axis), no y axis: every point carries
its published value, so a reader never reads a value off an axis.
"""

from __future__ import annotations

import pandas as pd

from tambon_portal.core import lazy
from tambon_portal.site import chart_parts
from tambon_portal.site.chart_style import FONT, TEXT_SIZE
from tambon_portal.stats import trends

alt = lazy.module("altair")  # 0.3 s to import: only when a chart is made (core.lazy)

PANEL_WIDTH = 120
PANEL_HEIGHT = 64
COLUMNS = 2
TITLE_TH = "ตัวเลขสำคัญย้อนหลัง (ปี พ.ศ.)"


def trend(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Small multiples of `trends.trend_frame`: a line through the published values of each
    figure, each point labelled, the years (พ.ศ.) below."""
    order = list(dict.fromkeys(frame.sort_values("order", kind="stable")["label_th"]))
    base = alt.Chart().encode(
        x=alt.X(
            "year_be:O",
            title=None,
            scale=alt.Scale(padding=0.6),
            axis=alt.Axis(
                labelAngle=0, labelFontSize=TEXT_SIZE, labelPadding=8, ticks=False, domain=False
            ),
        ),
        # padding (px) leaves room above the top point for its label
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False, nice=False, padding=22)),
    )
    line = base.mark_line(color=chart_parts.BASE, strokeWidth=2, point=alt.OverlayMarkDef(
        color=chart_parts.BASE, size=50, filled=True))  # fmt: skip
    # The highest point of a panel is labelled above it, the others below: no label on a line.
    text = {"fontSize": TEXT_SIZE, "font": FONT}
    above = base.mark_text(dy=-12, **text).encode(text="text:N").transform_filter("datum.top")
    below = base.mark_text(dy=14, **text).encode(text="text:N").transform_filter("!datum.top")
    data = frame.assign(top=frame["value"] == frame.groupby("figure")["value"].transform("max"))
    values = data[["label_th", "year_be", "value", "text", "top"]].to_dict(orient="records")
    chart = (
        alt.layer(line, above, below, data=alt.Data(values=values))
        .properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
        .facet(
            facet=alt.Facet(
                "label_th:N",
                sort=order,
                title=None,
                header=alt.Header(labelFontSize=TEXT_SIZE, labelFont=FONT, labelPadding=2),
            ),
            columns=COLUMNS,
            spacing={"row": 18, "column": 24},
        )
        .resolve_scale(y="independent")
        .resolve_axis(x="independent")  # the years under every panel, not only the last row
    )
    return chart.properties(
        title=alt.TitleParams(TITLE_TH, anchor="start"),
        description=describe_trend(frame),
        config=chart_parts.config(),
    )


def describe_trend(frame: pd.DataFrame) -> str:
    """The text alternative: each figure's published values and its change."""
    parts = []
    for figure, rows in frame.sort_values(["order", "year_be"]).groupby("figure", sort=False):
        rule = trends.RULES[str(figure)]
        points = ", ".join(f"ปี {y} {t}" for y, t in zip(rows["year_be"], rows["text"], strict=True))
        last, before = rows.iloc[-1], rows.iloc[-2]
        c = trends.change(
            rule, last["value"], before["value"], int(last["year_be"]), int(before["year_be"])
        )
        parts.append(f"{rule.label_th}: {points} ({trends.words_th(rule, c)})")
    if not parts:
        return "ไม่มีตัวเลขที่เผยแพร่ได้สองปีขึ้นไป"
    return "; ".join(parts)
