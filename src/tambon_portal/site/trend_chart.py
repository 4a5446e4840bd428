"""A tambon's key figures over its survey years: small multiples, one panel per figure (no I/O).

Like the builders in `charts` (whose palette it reuses, and whose sizes and font come from
`chart_style`), it draws its SVG itself with `drawing`, with a Thai text alternative in its
`description`. Kept in its own module: the figures and rules come from `trends`.

Sizing for a phone: the whole chart is about 340 px wide, so at 390 px it is shown at (almost)
its own size and every label of `TEXT_SIZE` px stays at least 12 CSS px. Each panel has its
own scale (a median income and a percentage share no axis), no y axis: every point carries
its published value, so a reader never reads a value off an axis.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tambon_portal.site import chart_parts, drawing
from tambon_portal.site.chart_style import TEXT_SIZE, WIDTH
from tambon_portal.stats import trends

COLUMNS = 2
COLUMN_GAP = 24
ROW_GAP = 18
PANEL_WIDTH = (WIDTH - drawing.PADDING["left"] - drawing.PADDING["right"] - COLUMN_GAP) / COLUMNS
PANEL_HEIGHT = 64
LABEL_ROOM = 22  # px above the highest and below the lowest point, for their labels
YEAR_PADDING = 0.6  # of a year's step, left of the first year and right of the last (Vega's)
TITLE_TH = "ตัวเลขสำคัญย้อนหลัง (ปี พ.ศ.)"


def trend(frame: pd.DataFrame) -> dict[str, Any]:
    """Small multiples of `trends.trend_frame`: a line through the published values of each
    figure, each point labelled, the years (พ.ศ.) below."""
    canvas = drawing.Canvas()
    top = drawing.title_block(canvas, TITLE_TH)
    order = list(dict.fromkeys(frame.sort_values("order", kind="stable")["label_th"]))
    bottom = top
    for i, label in enumerate(order):
        x = drawing.PADDING["left"] + (i % COLUMNS) * (PANEL_WIDTH + COLUMN_GAP)
        y = top + (i // COLUMNS) * (PANEL_HEIGHT + 2 * TEXT_SIZE + ROW_GAP + 12)
        rows = frame[frame["label_th"] == label].sort_values("year_be")
        bottom = _panel(canvas, rows, str(label), x, y)
    return drawing.finished(canvas, bottom, TITLE_TH, describe_trend(frame))


def _panel(canvas: drawing.Canvas, rows: pd.DataFrame, label: str, x: float, y: float) -> float:
    """One figure's panel from (x, y): its name, the line and labelled points, the years;
    returns the y under it. Its own scale: a median income and a share need no common axis."""
    canvas.text(x + PANEL_WIDTH / 2, y + drawing.BASELINE, label, anchor="middle")
    plot_top = y + TEXT_SIZE + 6
    values = [float(v) for v in rows["value"]]
    low, high = min(values), max(values)
    step = PANEL_WIDTH / (len(values) - 1 + 2 * YEAR_PADDING)
    inner = PANEL_HEIGHT - 2 * LABEL_ROOM

    def y_of(value: float) -> float:
        share = 0.5 if high == low else (high - value) / (high - low)
        return plot_top + LABEL_ROOM + share * inner

    points = [(x + (YEAR_PADDING + i) * step, y_of(v)) for i, v in enumerate(values)]
    canvas.polyline(points, chart_parts.BASE, 2)
    for (px, py), value, text, year in zip(
        points, values, rows["text"], rows["year_be"], strict=True
    ):
        canvas.circle(px, py, 4, chart_parts.BASE, outline=False)
        # the highest point is labelled above it, the others below: no label on the line
        dy = -9 if value == high else 9 + drawing.BASELINE
        canvas.text(px, py + dy, str(text), anchor="middle")
        canvas.text(px, plot_top + PANEL_HEIGHT + 12 + drawing.BASELINE, str(year), anchor="middle")
    return plot_top + PANEL_HEIGHT + 12 + TEXT_SIZE


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
