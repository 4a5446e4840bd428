"""A map without tiles: tambon centroids as dots, pilot tambons coloured by one indicator.

No map tiles (no network at page load), no script: a plain SVG written here. Coordinates come
from thai-province-data by kongvut (MIT), whose province-80 rows are copied into
`data/thai-province-data/` so a build reads nothing outside the package.
"""

from __future__ import annotations

import csv
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

ATTRIBUTION = "thai-province-data by kongvut, MIT"
# Sequential blues (light → dark), readable for colour-blind readers; five classes.
CLASS_COLOURS = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
OTHER_COLOUR = "#bdbdbd"
WIDTH = 560
MARGIN = 12


@dataclass(frozen=True)
class Centroid:
    code: str
    name_th: str
    lat: float
    lon: float


@cache
def province_centroids(province_code: str = "80") -> tuple[Centroid, ...]:
    """Tambons of the province with coordinates (tambons without any are left out)."""
    path = (
        resources.files("tambon_portal") / "data" / "thai-province-data" / "province80_tambons.csv"
    )
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines())
    return tuple(
        Centroid(r["tambon_code"], r["name_th"], float(r["lat"]), float(r["long"]))
        for r in rows
        if r["tambon_code"].startswith(province_code) and r["lat"] and r["long"]
    )


def class_breaks(values: list[float], classes: int = len(CLASS_COLOURS)) -> list[float]:
    """Upper bounds of equal-count classes (quantiles) of `values`, the last one the maximum."""
    ordered = sorted(values)
    if not ordered:
        return []
    return [
        ordered[min(len(ordered) - 1, math.ceil(len(ordered) * (i + 1) / classes) - 1)]
        for i in range(classes)
    ]


def colour_of(value: float, breaks: list[float], higher_is_better: bool) -> str:
    index = next((i for i, b in enumerate(breaks) if value <= b), len(breaks) - 1)
    # Darker means "needs attention" whichever way the indicator points.
    if higher_is_better:
        index = len(breaks) - 1 - index
    return CLASS_COLOURS[index]


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
    value_format: str = "{:,.1f}",
    province_code: str = "80",
) -> str:
    """The province's tambons as dots; tambons in `values` coloured and linked to their page.

    role="group", not "img": the dots are links, and an image may not hold controls.
    """
    points = province_centroids(province_code)
    project, height = _projector(points)
    known = [float(v) for v in values.values() if v is not None and not _nan(v)]
    breaks = class_breaks(known)
    dots_other, dots_pilot = [], []
    for p in points:
        x, y = project(p)
        value = values.get(p.code)
        if p.code not in values:
            dots_other.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{OTHER_COLOUR}"/>')
            continue
        name = html.escape(names.get(p.code, p.name_th))
        shown = "ไม่มีข้อมูล" if value is None or _nan(value) else value_format.format(value)
        fill = (
            "#ffffff"
            if value is None or _nan(value)
            else colour_of(float(value), breaks, higher_is_better)
        )
        dots_pilot.append(
            f'<a href="{html.escape(hrefs.get(p.code, ""))}" '
            f'aria-label="ตำบล{name}: {html.escape(shown)}">'
            f'<circle cx="{x}" cy="{y}" r="7" '
            f'fill="{fill}" stroke="#1a1a1a" stroke-width="1">'
            f"<title>ตำบล{name}: {html.escape(shown)}</title>"
            f"</circle></a>"
        )
    legend = _legend(breaks, higher_is_better, value_format, height)
    title = html.escape(label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height + 40}" '
        f'width="{WIDTH}" height="{height + 40}" role="group" aria-label="แผนที่ตำบล: {title}">'
        f"<title>แผนที่ตำบล: {title}</title>"
        + "".join(dots_other)
        + "".join(dots_pilot)
        + legend
        + "</svg>"
    )


def _legend(breaks: list[float], higher_is_better: bool, value_format: str, top: int) -> str:
    parts = []
    lower = None
    for i, upper in enumerate(breaks):
        colour = colour_of(upper, breaks, higher_is_better)
        x = MARGIN + i * 108
        text = (
            f"≤ {value_format.format(upper)}"
            if lower is None
            else f"{value_format.format(lower)}–{value_format.format(upper)}"
        )
        parts.append(
            f'<rect x="{x}" y="{top + 10}" width="14" height="14" fill="{colour}" '
            f'stroke="#1a1a1a" stroke-width="0.5"/><text x="{x + 18}" y="{top + 22}" '
            f'font-size="11" font-family="Sarabun, sans-serif">{html.escape(text)}</text>'
        )
        lower = upper
    return "".join(parts)


def _nan(value: object) -> bool:
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
