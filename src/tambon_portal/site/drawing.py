"""Bar and dot charts drawn straight to SVG, in Python, with no Vega (no file I/O).

Why: rendering a chart with vl-convert took about 42 ms (Vega's runtime in Deno) after about
40 ms of Altair building its spec; with six charts a tambon that was 44 % of a build and about
an hour of CPU for the country (docs/architecture.md §5). Drawing the same chart here takes
about a millisecond. The charts stay static SVG, so a page still loads no chart script.

One layout for every bar and dot chart of the site: the title (wrapped) and an optional
subtitle, an optional legend, one row per category with its label right-aligned in a column on
the left (or lines across the chart above it), the bars (stacked or diverging segments) or dots
on a linear x scale, the values in a column right of
the plot, and the x axis with its ticks, grid and title under the plot. Text widths are
estimated with `chart_style.text_width` (measured on Sarabun in chromium); text stays <text>,
so the page's self-hosted Sarabun draws it. A suppressed cell has no bar and is written as the
tables write it (`formatting.SUPPRESSED`), at the place of its bar.

The result is a drawn chart: a dict with the SVG under "drawn" and the same "title" and
"description" keys (`svg` labels the chart with them); `Canvas` and `title_block` serve the
charts of another layout (the trend's small multiples).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tambon_portal.core.formatting import SUPPRESSED
from tambon_portal.site.chart_style import (
    BOLD_WIDER,
    FONT,
    INK,
    LINE_HEIGHT,
    TEXT_SIZE,
    TITLE_GAP,
    TITLE_SIZE,
    WIDTH,
    text_width,
    wrap_label,
)

PADDING = {"left": 8, "top": 8, "right": 8, "bottom": 8}
LABEL_GAP = 6  # px between a row's label and the plot
# Values are written in a column right of the plot, not at the end of each bar, so that they
# line up and none can run off the chart.
VALUE_GAP = 8  # px between the plot and the column of values
TICK = 5  # px of a tick under the axis line
GRID = "#dddddd"
AXIS = "#888888"
SYMBOL = 10  # px of a legend's square
LEGEND_GAP = 16  # px between two legend entries on one line
TRACK = "#d9d9d9"  # the line a dot sits on, up to 100 %
DOT_RADIUS = 6  # px: the 110 px² dots of the Vega charts
ASCENT = 0.8  # of the font size: from the top of a line to its baseline, tone marks included
BASELINE = TEXT_SIZE * ASCENT + 2  # px from the top of a line of text to its baseline


@dataclass(frozen=True)
class Segment:
    """One bar of a row, from `start` to `end` on the x scale."""

    start: float
    end: float
    colour: str


@dataclass(frozen=True)
class Withheld:
    """A suppressed cell: written x at `at` on the x scale, to the left of it if `leftward`
    (the men's side of a pyramid), in the colour its bar would have."""

    at: float
    colour: str
    leftward: bool = False


@dataclass(frozen=True)
class Dot:
    """A point of a dot plot (a pass rate), outlined so that a light colour shows on white."""

    at: float
    colour: str


@dataclass(frozen=True)
class Row:
    """One category: its label (left of the plot), its bars or dots, a grey track under the
    dots, the text in the value column, the suppressed cells written where their bars would
    start, and lines written across the chart above the row (a group's name, in bold, or a
    label too long for the left column)."""

    label: str = ""
    segments: tuple[Segment, ...] = ()
    value_text: str = ""
    withheld: tuple[Withheld, ...] = ()
    dots: tuple[Dot, ...] = ()
    track: tuple[float, float] | None = None
    above: tuple[str, ...] = ()
    above_bold: bool = False


@dataclass(frozen=True)
class Legend:
    entries: tuple[tuple[str, str], ...]  # (label, colour)
    title: str | None = None
    vertical: bool = False
    dots: bool = False  # round symbols, as the dots of a dot plot


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    rows: tuple[Row, ...]
    axis_title: str
    subtitle: str | None = None
    legend: Legend | None = None
    step: int = 22  # px per row
    tick_count: int = 4
    symmetric: bool = False  # a diverging chart (the pyramid): 0 in the middle
    tick_text: Callable[[float], str] = field(default=lambda v: f"{abs(v):,.0f}")
    domain: tuple[float, float] | None = None  # fixed (a pass-rate axis), else from the data
    ticks: tuple[float, ...] | None = None  # fixed, else nice steps that fit
    row_gap: int = 0  # px between one row and the lines above the next


class Canvas:
    """The SVG elements of one chart, in drawing order."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(
        self,
        x: float,
        baseline: float,
        content: str,
        *,
        anchor: str = "start",
        size: float = TEXT_SIZE,
        bold: bool = False,
        fill: str = INK,
    ) -> None:
        weight = ' font-weight="bold"' if bold else ""
        self.parts.append(
            f'<text x="{_n(x)}" y="{_n(baseline)}" text-anchor="{anchor}" '
            f'font-size="{_n(size)}px"{weight} fill="{fill}">{html.escape(content)}</text>'
        )

    def rect(self, x: float, y: float, width: float, height: float, fill: str) -> None:
        self.parts.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
            f'fill="{fill}"/>'
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1
    ) -> None:
        self.parts.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}"'
            + (f' stroke-width="{_n(width)}"' if width != 1 else "")
            + "/>"
        )

    def circle(self, x: float, y: float, radius: float, fill: str, outline: bool = True) -> None:
        stroke = f' stroke="{INK}" stroke-width="0.8"' if outline else ""
        self.parts.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius)}" fill="{fill}"{stroke}/>'
        )

    def polyline(self, points: Sequence[tuple[float, float]], stroke: str, width: float) -> None:
        coordinates = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        self.parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{stroke}" '
            f'stroke-width="{_n(width)}"/>'
        )

    def document(self, height: float) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_n(height)}" '
            f'viewBox="0 0 {WIDTH} {_n(height)}" font-family="{FONT}">'
            f'<rect width="{WIDTH}" height="{_n(height)}" fill="white"/>'
            + "".join(self.parts)
            + "</svg>"
        )


def _n(value: float) -> str:
    """A coordinate as short text: at most one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --- scale -----------------------------------------------------------------------------------


def nice_step(span: float, count: int) -> float:
    """The 1, 2 or 5 × 10^k step nearest to `span` / `count` (d3's tickIncrement, as Vega)."""
    if span <= 0:
        return 1.0
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    multiple = (
        10
        if error >= math.sqrt(50)
        else 5
        if error >= math.sqrt(10)
        else 2
        if error >= math.sqrt(2)
        else 1
    )
    return multiple * power


def _coarser(step: float) -> float:
    """The next 1, 2, 5 × 10^k step after `step`."""
    power = 10 ** math.floor(math.log10(step) + 1e-9)
    multiple = round(step / power)
    return {1: 2, 2: 5}.get(multiple, 10) * power


def axis_ticks(
    low: float, high: float, step: float, plot_width: float, label: Callable[[float], str]
) -> list[float]:
    """Ticks from `low` to `high` at multiples of `step`, made coarser until their labels
    do not touch each other on `plot_width` px (Vega's labelOverlap)."""
    while True:
        ticks = [
            i * step
            for i in range(math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9) + 1)
        ]
        room = plot_width * step / (high - low)
        widest = max((text_width(label(t)) for t in ticks), default=0)
        if len(ticks) <= 2 or room >= widest + 8:
            return ticks
        step = _coarser(step)


def nice_domain(low: float, high: float, count: int) -> tuple[float, float, float]:
    """(low, high, step): the extent widened to multiples of about `count` nice steps, as
    Vega's `nice` does for a bar chart's scale."""
    step = nice_step(high - low, count)
    return math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step, step


def _extent(rows: Sequence[Row], symmetric: bool) -> tuple[float, float]:
    ends = [e for r in rows for s in r.segments for e in (s.start, s.end)]
    ends += [d.at for r in rows for d in r.dots]
    low, high = min([0.0, *ends]), max([0.0, *ends])
    if symmetric:
        high = max(high, -low)
        low = -high
    if high == low:
        high = low + 1
    return low, high


# --- blocks ----------------------------------------------------------------------------------


def title_block(canvas: Canvas, title: str, subtitle: str | None = None) -> float:
    """The title (wrapped to the width) and subtitle at the top; returns the y under them."""
    inner = WIDTH - PADDING["left"] - PADDING["right"]
    y = PADDING["top"]
    for line in wrap_label(title, inner, TITLE_SIZE * BOLD_WIDER):
        canvas.text(PADDING["left"], y + TITLE_SIZE * ASCENT + 2, line, size=TITLE_SIZE, bold=True)
        y += TITLE_SIZE + 4
    if subtitle:
        for line in wrap_label(subtitle, inner):
            canvas.text(PADDING["left"], y + BASELINE, line)
            y += LINE_HEIGHT
    return y + TITLE_GAP


def _legend(canvas: Canvas, legend: Legend, top: float) -> float:
    """The legend's title and entries (one a line if `vertical`, else as many as fit)."""
    inner = WIDTH - PADDING["left"] - PADDING["right"]
    y = top
    if legend.title:
        canvas.text(PADDING["left"], y + BASELINE, legend.title, bold=True)
        y += LINE_HEIGHT + 2
    x, lines = PADDING["left"], 1
    for label, colour in legend.entries:
        wrapped = wrap_label(label, inner - SYMBOL - 4)  # a long coverage name: lines, not cut
        width = SYMBOL + 4 + max(text_width(line) for line in wrapped)
        if x > PADDING["left"] and (legend.vertical or x + width > PADDING["left"] + inner):
            x, y = PADDING["left"], y + lines * LINE_HEIGHT + 2
        if legend.dots:
            canvas.circle(x + SYMBOL / 2, y + LINE_HEIGHT / 2, SYMBOL / 2, colour)
        else:
            canvas.rect(x, y + (LINE_HEIGHT - SYMBOL) / 2, SYMBOL, SYMBOL, colour)
        for i, line in enumerate(wrapped):
            canvas.text(x + SYMBOL + 4, y + i * LINE_HEIGHT + BASELINE, line)
        x, lines = x + width + LEGEND_GAP, len(wrapped)
    return y + lines * LINE_HEIGHT + 8


def bar_chart(chart: BarChart) -> dict[str, Any]:
    """The drawn chart: {"drawn": svg, "title": {"text": ...}, "description": ...}."""
    canvas = Canvas()
    y = title_block(canvas, chart.title, chart.subtitle)
    if chart.legend is not None:
        y = _legend(canvas, chart.legend, y)
    if chart.domain is not None:
        (low, high), step = chart.domain, 1.0
    else:
        low, high, step = nice_domain(*_extent(chart.rows, chart.symmetric), chart.tick_count)
    labels_width = max((text_width(r.label) for r in chart.rows), default=0)
    values_width = max((text_width(r.value_text) for r in chart.rows), default=0)
    left = PADDING["left"] + labels_width + (LABEL_GAP if labels_width else 0)
    edge_label = text_width(chart.tick_text(high)) / 2  # the last tick's label, centred on it
    right = WIDTH - PADDING["right"] - (values_width + VALUE_GAP if values_width else edge_label)
    left = max(left, PADDING["left"] + text_width(chart.tick_text(low)) / 2)
    ticks = (
        list(chart.ticks)
        if chart.ticks is not None
        else axis_ticks(low, high, step, right - left, chart.tick_text)
    )

    def x_of(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    plot_top = y
    grid = len(canvas.parts)  # the grid goes under the rows: drawn once their height is known
    for row in chart.rows:
        y = _row(canvas, chart, row, y, x_of, left, right) + chart.row_gap
    plot_bottom = y - chart.row_gap + (4 if any(r.dots for r in chart.rows) else 0)  # a dot's room
    canvas.parts[grid:grid] = [
        f'<line x1="{_n(x_of(t))}" y1="{_n(plot_top)}" x2="{_n(x_of(t))}" '
        f'y2="{_n(plot_bottom)}" stroke="{GRID}"/>'
        for t in ticks
    ]
    canvas.line(left, plot_bottom, right, plot_bottom, AXIS)
    for tick in ticks:
        canvas.line(x_of(tick), plot_bottom, x_of(tick), plot_bottom + TICK, AXIS)
        baseline = plot_bottom + TICK + 2 + BASELINE
        canvas.text(x_of(tick), baseline, chart.tick_text(tick), anchor="middle")
    title_baseline = plot_bottom + TICK + 2 + LINE_HEIGHT + TEXT_SIZE + 4
    half = text_width(chart.axis_title) / 2  # centred under the plot, kept inside the chart
    centre = min(max((left + right) / 2, PADDING["left"] + half), WIDTH - PADDING["right"] - half)
    canvas.text(centre, title_baseline, chart.axis_title, anchor="middle")
    return finished(canvas, title_baseline + TEXT_SIZE * 0.3, chart.title, chart.description)


def finished(canvas: Canvas, bottom: float, title: str, description: str) -> dict[str, Any]:
    """The drawn chart, `bottom` px of drawing plus the padding: {"drawn": svg, "title":
    {"text": title}, "description": description}, as a Vega-Lite spec names them."""
    return {
        "drawn": canvas.document(math.ceil(bottom + PADDING["bottom"])),
        "title": {"text": title},
        "description": description,
    }


def _row(
    canvas: Canvas,
    chart: BarChart,
    row: Row,
    top: float,
    x_of: Callable[[float], float],
    left: float,
    right: float,
) -> float:
    """One row drawn from `top`; returns the y under it."""
    for line in row.above:
        canvas.text(PADDING["left"], top + BASELINE, line, bold=row.above_bold)
        top += LINE_HEIGHT
    middle = top + chart.step / 2
    baseline = middle + TEXT_SIZE * 0.35  # of a line centred on the row
    if row.label:
        canvas.text(left - LABEL_GAP, baseline, row.label, anchor="end")
    if row.track is not None:
        canvas.line(x_of(row.track[0]), middle, x_of(row.track[1]), middle, TRACK, 2)
    for s in row.segments:
        start, end = sorted((x_of(s.start), x_of(s.end)))
        if end - start < 0.05:
            continue  # a published 0: no bar (its row says so in the table)
        canvas.rect(start, top + 2, end - start, chart.step - 4, s.colour)
    for dot in row.dots:
        canvas.circle(x_of(dot.at), middle, DOT_RADIUS, dot.colour)
    for cell in row.withheld:
        shift, anchor = (-3, "end") if cell.leftward else (3, "start")
        canvas.text(x_of(cell.at) + shift, baseline, SUPPRESSED, anchor=anchor, fill=cell.colour)
    if row.value_text:
        canvas.text(right + VALUE_GAP, baseline, row.value_text)
    return top + chart.step


def is_drawn(spec: dict[str, Any]) -> bool:
    """A chart this module drew (its SVG is ready), as opposed to a Vega-Lite spec."""
    return "drawn" in spec
