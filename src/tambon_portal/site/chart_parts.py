"""What every chart of the site shares: its palette (Okabe-Ito), bar sizes, number formatting,
the pass-rate axis that starts where the data is, and how a sum with suppressed cells is
charted (no file I/O)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from tambon_portal.core import formatting as fmt
from tambon_portal.core import settings
from tambon_portal.stats.aggregate import percent

BAR_STEP = 22  # px per bar of a horizontal bar chart

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


def rate_text(value: Any) -> str:
    """A pass rate as the chart writes it beside its dot ("92.6"), "–" without one."""
    return "–" if value is None or pd.isna(value) else f"{float(value):.1f}"


def charted(values: pd.Series, suppressed: pd.Series) -> tuple[list[Any], list[str]]:
    """(value, text) of sums of published cells (aggregate's roll-ups) as a chart shows them:
    where every cell was suppressed the value is None (no bar, no 0) and the text is x, as in
    the table beside the chart (`formatting.published_sum`)."""
    texts = [fmt.published_sum(v, n) for v, n in zip(values, suppressed, strict=True)]
    shown = [None if t == fmt.SUPPRESSED else v for v, t in zip(values, texts, strict=True)]
    return shown, texts


def suppressed_note(frame: pd.DataFrame, unit: str) -> str:
    """The end of a text alternative when some cells of its sums are suppressed."""
    if "suppressed_cells" not in frame:
        return ""
    suppressed = int(frame["suppressed_cells"].fillna(0).sum())
    why = settings.SUPPRESSED_WHY_TH.replace("1–4", f"1–4 {unit}", 1)
    return f"; ไม่รวม {suppressed} ช่องที่ปกปิด ({why})" if suppressed else ""
