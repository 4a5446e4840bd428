"""A map without tiles: tambon centroids as dots, pilot tambons coloured by one indicator.

No map tiles (no network at page load), no script: a plain SVG written here. Coordinates come
from thai-province-data by kongvut (MIT), whose sub-districts (all 77 provinces) are copied
into `data/thai-province-data/` so a build reads nothing outside the package.

Drawn for a phone like the charts (`chart_style`): 340 px wide, shown 1:1 on a 390 px phone,
with its legend under the dots in two columns of `TEXT_SIZE` px text (drawn 560 px wide and
scaled down, the legend was 5-7 px tall).
"""

from __future__ import annotations

import csv
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tambon_portal.site.chart_style import FONT, INK, LINE_HEIGHT, TEXT_SIZE, wrap_label
from tambon_portal.site.chart_style import WIDTH as CHART_WIDTH

# Sequential blues (light → dark), readable for colour-blind readers; five classes.
CLASS_COLOURS = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
OTHER_COLOUR = "#bdbdbd"
NO_DATA_COLOUR = "#ffffff"
# A pilot without a value is a dashed ring: white alone reads as the lightest class.
NO_DATA_STROKE = 'stroke-dasharray="2 1.5"'
WIDTH = CHART_WIDTH
MARGIN = 10
PILOT_RADIUS = 6
OTHER_RADIUS = 2.5
# The legend under the dots: its first lines say what the colours mean, then one entry per
# class in two columns.
LEGEND_LINE = LINE_HEIGHT + 4  # px per line
LEGEND_SWATCH = 14
LEGEND_COLUMNS = 2
DARKER_TH = "สีเข้มกว่า = น่าห่วงกว่า"
NO_DATA_TH = "ไม่มีข้อมูล"
NOT_PILOT_TH = "ไม่ใช่ตำบลนำร่อง"


@dataclass(frozen=True)
class Wording:
    """What a map's legend says: which end the darker colour is, a coloured tambon without a
    value (None: the map has none), and the grey dots."""

    darker: str = DARKER_TH
    no_data: str | None = NO_DATA_TH
    other: str = NOT_PILOT_TH


INDICATOR_WORDING = Wording()  # the maps of key figures: darker is worse


@dataclass(frozen=True)
class Centroid:
    code: str
    name_th: str
    lat: float
    lon: float


@cache
def _centroids() -> tuple[Centroid, ...]:
    """Every tambon with coordinates (tambons without any are left out)."""
    path = resources.files("tambon_portal") / "data" / "thai-province-data" / "tambons.csv"
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines())
    return tuple(
        Centroid(r["tambon_code"], r["name_th"], float(r["lat"]), float(r["long"]))
        for r in rows
        if r["lat"] and r["long"]
    )


@cache
def province_centroids(province_code: str) -> tuple[Centroid, ...]:
    """Tambons of the province with coordinates."""
    return tuple(c for c in _centroids() if c.code.startswith(province_code))


def class_breaks(values: list[float], classes: int = len(CLASS_COLOURS)) -> list[float]:
    """Upper bounds of equal-count classes (quantiles) of `values`, the last one the maximum;
    a bound that repeats (many equal values, such as small counts) is one class, not two."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = [
        ordered[min(len(ordered) - 1, math.ceil(len(ordered) * (i + 1) / classes) - 1)]
        for i in range(classes)
    ]
    return sorted(set(bounds))


def colour_of(value: float, breaks: list[float], higher_is_better: bool) -> str:
    index = next((i for i, b in enumerate(breaks) if value <= b), len(breaks) - 1)
    # Darker means "needs attention" whichever way the indicator points.
    if higher_is_better:
        index = len(breaks) - 1 - index
    # Fewer classes than colours: spread over the whole ramp, so the darkest still shows.
    steps = len(CLASS_COLOURS) - 1
    return CLASS_COLOURS[round(index * steps / max(1, len(breaks) - 1))]


def _projector(points: tuple[Centroid, ...]) -> tuple[callable, int]:
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    # Equirectangular with the longitude shrunk by cos(latitude): fine for one province.
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = (max(lons) - min(lons)) * shrink or 1.0
    span_y = (max(lats) - min(lats)) or 1.0
    scale = (WIDTH - 2 * MARGIN) / span_x
    height = round(span_y * scale + 2 * MARGIN)

    def project(p: Centroid) -> tuple[float, float]:
        return (
            round(MARGIN + (p.lon - min(lons)) * shrink * scale, 1),
            round(MARGIN + (max(lats) - p.lat) * scale, 1),
        )

    return project, height


def map_svg(
    values: Mapping[str, float | None],
    names: Mapping[str, str],
    hrefs: Mapping[str, str],
    label: str,
    higher_is_better: bool,
    province_code: str,
    value_format: str = "{:,.1f}",
    wording: Wording = INDICATOR_WORDING,
) -> str:
    """The province's tambons as dots; tambons in `values` coloured and linked to their page.

    role="group", not "img": the dots are links, and an image may not hold controls.
    """
    points = province_centroids(province_code)
    if not points:  # Bangkok's khwaeng have no coordinates in the source: no map
        return ""
    project, height = _projector(points)
    known = [float(v) for v in values.values() if v is not None and not _nan(v)]
    breaks = class_breaks(known)
    dots_other, dots_pilot = [], []
    for p in points:
        x, y = project(p)
        value = values.get(p.code)
        if p.code not in values:
            dots_other.append(
                f'<circle cx="{x}" cy="{y}" r="{OTHER_RADIUS}" fill="{OTHER_COLOUR}"/>'
            )
            continue
        name = html.escape(names.get(p.code, p.name_th))
        shown = NO_DATA_TH if value is None or _nan(value) else value_format.format(value)
        missing = value is None or _nan(value)
        fill = NO_DATA_COLOUR if missing else colour_of(float(value), breaks, higher_is_better)
        dashed = f" {NO_DATA_STROKE}" if missing else ""
        dots_pilot.append(
            f'<a href="{html.escape(hrefs.get(p.code, ""))}" '
            f'aria-label="ตำบล{name}: {html.escape(shown)}">'
            f'<circle cx="{x}" cy="{y}" r="{PILOT_RADIUS}" '
            f'fill="{fill}" stroke="{INK}" stroke-width="1"{dashed}>'
            f"<title>ตำบล{name}: {html.escape(shown)}</title>"
            f"</circle></a>"
        )
    legend, legend_height = _legend(label, breaks, higher_is_better, value_format, height, wording)
    title = html.escape(label)
    total = height + legend_height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total}" '
        f'width="{WIDTH}" height="{total}" role="group" aria-label="แผนที่ตำบล: {title}">'
        f"<title>แผนที่ตำบล: {title}</title>"
        + "".join(dots_other)
        + "".join(dots_pilot)
        + legend
        + "</svg>"
    )


def legend_entries(
    breaks: list[float], higher_is_better: bool, value_format: str,
    wording: Wording = INDICATOR_WORDING,
) -> list[tuple[str, str, str]]:  # fmt: skip
    """(kind, colour, text) of each entry of a map's legend: the classes from low to high
    ("class"), then a pilot without a value ("no_data") and the other tambons ("other")."""
    entries = []
    lower = None
    for upper in breaks:
        text = (
            f"≤ {value_format.format(upper)}"
            if lower is None
            else f"{value_format.format(lower)}–{value_format.format(upper)}"
        )
        entries.append(("class", colour_of(upper, breaks, higher_is_better), text))
        lower = upper
    if wording.no_data:
        entries.append(("no_data", NO_DATA_COLOUR, wording.no_data))
    entries.append(("other", OTHER_COLOUR, wording.other))
    return entries


def _swatch(kind: str, colour: str, x: float, top: float) -> str:
    """The legend's sample of an entry: a square for a class, else the dot as the map draws it."""
    middle = top + LEGEND_SWATCH / 2
    if kind == "class":
        return (
            f'<rect x="{x}" y="{top}" width="{LEGEND_SWATCH}" height="{LEGEND_SWATCH}" '
            f'fill="{colour}" stroke="{INK}" stroke-width="0.5"/>'
        )
    centre = f'cx="{x + LEGEND_SWATCH / 2}" cy="{middle}"'
    if kind == "no_data":
        return (
            f'<circle {centre} r="{PILOT_RADIUS}" fill="{colour}" stroke="{INK}" '
            f'stroke-width="1" {NO_DATA_STROKE}/>'
        )
    return f'<circle {centre} r="{OTHER_RADIUS}" fill="{colour}"/>'


def _text(x: float, y: float, text: str) -> str:
    return (
        f'<text x="{x}" y="{y}" font-size="{TEXT_SIZE}" font-family="{FONT}" fill="{INK}">'
        f"{html.escape(text)}</text>"
    )


def _legend(
    label: str, breaks: list[float], higher_is_better: bool, value_format: str, top: int,
    wording: Wording,
) -> tuple[str, int]:  # fmt: skip
    """The legend under the dots and its height: the indicator and which end is worse on its
    own lines (wrapped to the map's width), then the entries in two columns."""
    parts = []
    y = top + 6
    for line in [*wrap_label(label, WIDTH - 2 * MARGIN), wording.darker]:
        y += LEGEND_LINE
        parts.append(_text(MARGIN, y - 5, line))
    column = (WIDTH - 2 * MARGIN) / LEGEND_COLUMNS
    entries = legend_entries(breaks, higher_is_better, value_format, wording)
    for i, (kind, colour, text) in enumerate(entries):
        x = round(MARGIN + (i % LEGEND_COLUMNS) * column, 1)
        row_top = y + 6 + (i // LEGEND_COLUMNS) * LEGEND_LINE
        parts.append(_swatch(kind, colour, x, row_top))
        parts.append(_text(x + LEGEND_SWATCH + 6, row_top + LEGEND_SWATCH / 2 + 4.5, text))
    rows = math.ceil(len(entries) / LEGEND_COLUMNS)
    return "".join(parts), y + 6 + rows * LEGEND_LINE + 4 - top


def _nan(value: object) -> bool:
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
