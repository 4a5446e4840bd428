"""Change from the previous survey year and rank among the pilot tambons (pure, no I/O).

The rules, one per figure in `RULES` (made from `figures`, where each figure is defined) and
unit-tested:

- A change is the latest survey year's published figure minus the previous survey year's
  (both as published: percentages to one decimal, so a reader can check 8.1% → 6.5% is 1.6).
  It is shown only when both are published: a figure that is suppressed (x) or has a
  denominator under 10 in either year gives no change, so no difference ever involves a
  suppressed cell (docs/architecture.md §4). Figures without a yearly table (population,
  households, villages come from the one-row tambon table) have no previous year.
- A change of a percentage is in percentage points ("จุด"); of a count in persons or
  households; of money in baht. A change that rounds to 0 at the published precision is
  "เท่าเดิม".
- Whether up is better is a property of the figure (`Rule.better`): fewer households under
  the line is better, a higher median income is better; for a size (population) neither, and
  the words say only "เพิ่มขึ้น"/"ลดลง".
- A rank places a pilot tambon among the pilot tambons of its province with a published
  figure in the same survey year; 1 is the best by `Rule.better` (1 = fewest households under
  the line). Ties share the better rank ("1224" competition ranking) and say "ร่วม". A tambon
  whose figure is not published has no rank and is not counted in "จาก N".
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tambon_portal.core import coverage
from tambon_portal.core import figures as key_figures
from tambon_portal.core import formatting as fmt
from tambon_portal.core.figures import POINTS_TH

POINTS_NOTE_TH = (
    "การเปลี่ยนแปลงของร้อยละนับเป็นจุด (percentage points): จาก 10.0% เป็น 12.5% "
    "คือเพิ่มขึ้น 2.5 จุด (ไม่ใช่ร้อยละ 25)"
)


@dataclass(frozen=True)
class Rule:
    """How one figure changes and ranks."""

    unit_th: str  # of a change: จุด, บาท, คน, ครัวเรือน
    digits: int  # decimals the figure is published with
    better: int  # +1 higher is better, -1 lower is better, 0 neither (a size)
    label_th: str  # short name, for a trend chart's panel
    # What rank 1 means, said under the figure's own label ("(1 = น้อยที่สุด)" on the card
    # "ครัวเรือนรายได้ต่ำกว่าเกณฑ์"); None: the figure is not ranked.
    best_th: str | None = None


# One rule per figure that has one, from the figure's own definition (`figures`).
RULES: dict[str, Rule] = {
    f.column: Rule(f.change_unit_th, f.digits, f.better, f.panel_th, f.best_th)
    for f in key_figures.FIGURES
    if f.change_unit_th
}
BMN_INDICATOR_RULE = Rule(POINTS_TH, 1, +1, "ผ่านเกณฑ์ (%)")  # `pass_pct` of one indicator

# The panels of a profile's trend chart, in this order.
TREND_FIGURES: tuple[str, ...] = (
    "below_line_pct", "median_income", "debt_pct", "mean_debt", "bmn_pass_pct",
)  # fmt: skip

WORDS_TH = {"better": "ดีขึ้น", "worse": "แย่ลง", "up": "เพิ่มขึ้น", "down": "ลดลง"}
SAME_TH = "เท่าเดิม"
ARROWS = {"up": "▲", "down": "▼", "same": "="}
NO_PREVIOUS_TH = "ไม่มีตัวเลขปีก่อนให้เทียบ"
UNPUBLISHED_TH = "ไม่แสดงการเปลี่ยนแปลง"
# Under a table whose change column shows a dash where no change may be shown.
UNPUBLISHED_NOTE_TH = (
    f"– = {UNPUBLISHED_TH}: ตัวเลขปีใดปีหนึ่งไม่เผยแพร่ (ปกปิดเพราะจำนวนน้อย "
    "หรือมีผู้ตอบน้อยกว่า 10) จึงไม่คำนวณผลต่างจากตัวเลขนั้น"
)


def higher_is_better(figure: str) -> bool:
    return RULES[figure].better > 0


def _published(value: Any) -> float | None:
    return None if fmt.is_missing(value) else float(value)


# --- change from the previous year -----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A figure now and in the previous survey year. `delta` is None unless both are
    published (`status` "shown"); "unpublished": one of the two is not; "no_previous": no
    earlier year."""

    status: str
    year_be: int | None = None
    previous_year_be: int | None = None
    value: float | None = None
    previous: float | None = None
    delta: float | None = None
    better: int = 0

    @property
    def direction(self) -> str | None:
        if self.delta is None:
            return None
        return "same" if self.delta == 0 else "up" if self.delta > 0 else "down"

    @property
    def verdict(self) -> str | None:
        """better / worse / same, or up / down for a figure where neither is better."""
        direction = self.direction
        if direction in (None, "same") or self.better == 0:
            return direction
        return "better" if (direction == "up") == (self.better > 0) else "worse"


def change(
    rule: Rule,
    value: Any,
    previous: Any,
    year_be: int | None = None,
    previous_year_be: int | None = None,
) -> Change:
    """The change of one figure by the rules of the module docstring."""
    if previous_year_be is None:
        return Change("no_previous", year_be, better=rule.better)
    now, before = _published(value), _published(previous)
    if now is None or before is None:
        return Change("unpublished", year_be, previous_year_be, now, before, better=rule.better)
    delta = round(now - before, rule.digits)
    delta = 0.0 if delta == 0 else delta  # no "-0.0"
    return Change("shown", year_be, previous_year_be, now, before, delta, rule.better)


def words_th(rule: Rule, c: Change) -> str:
    """The change in words: "ดีขึ้น 1.6 จุด", "แย่ลง 1,200 บาท", "เพิ่มขึ้น 30 คน",
    "เท่าเดิม", or why none is shown."""
    if c.status == "no_previous":
        return NO_PREVIOUS_TH
    if c.status == "unpublished":
        missing = [
            y for y, v in ((c.previous_year_be, c.previous), (c.year_be, c.value)) if v is None
        ]
        return f"{UNPUBLISHED_TH}: ไม่มีตัวเลขที่เผยแพร่ได้ของปี {' และ '.join(map(str, missing))}"
    if c.verdict == "same" or c.delta is None:
        return SAME_TH
    return f"{WORDS_TH[c.verdict or '']} {fmt.number(abs(c.delta), rule.digits)} {rule.unit_th}"


def since_th(c: Change, previous_text: str, year: bool = True) -> str:
    """What it is compared with, "จาก 8.1% ในปี 2567" ("จาก 8.1%" with `year` False, where
    the year is said already); `previous_text` is the previous value formatted by the caller."""
    if c.status != "shown":
        return ""
    return f"จาก {previous_text} ในปี {c.previous_year_be}" if year else f"จาก {previous_text}"


def arrow(c: Change) -> str:
    return ARROWS.get(c.direction or "", "")


def _two_latest(rows: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None]:
    """The latest and the previous year's row of one tambon's yearly figures."""
    ordered = rows.sort_values("year_be", kind="stable")
    latest = ordered.iloc[-1] if len(ordered) else None
    previous = ordered.iloc[-2] if len(ordered) > 1 else None
    return latest, previous


def figure_changes(by_year: pd.DataFrame, code: str, figures: tuple[str, ...]) -> dict[str, Change]:
    """The change of each figure of a tambon (`aggregate.tambon_figures_by_year` rows)."""
    latest, previous = _two_latest(by_year[by_year["area_code"] == code])
    year = int(latest["year_be"]) if latest is not None else None
    previous_year = int(previous["year_be"]) if previous is not None else None
    changes = {}
    for figure in figures:
        rule = RULES[figure]
        if latest is None or figure not in by_year.columns:
            changes[figure] = change(rule, None, None, year, None)
            continue
        before = previous[figure] if previous is not None else None
        changes[figure] = change(rule, latest[figure], before, year, previous_year)
    return changes


def latest_two_by_indicator(
    bmn_by_year: pd.DataFrame,
) -> dict[int, tuple[dict[str, Any], dict[str, Any] | None]]:
    """Each BMN indicator's latest and previous year's row (`area_rollups.bmn_rates_by_year`
    rows), by indicator number: one sort of the whole frame, not one per indicator."""
    if bmn_by_year.empty:
        return {}
    ordered = bmn_by_year.sort_values(["indicator", "year_be"], kind="stable")
    found: dict[int, tuple[dict[str, Any], dict[str, Any] | None]] = {}
    for indicator, rows in itertools.groupby(
        ordered.to_dict("records"), key=lambda r: r["indicator"]
    ):
        listed = list(rows)
        found[int(indicator)] = (listed[-1], listed[-2] if len(listed) > 1 else None)
    return found


def indicator_changes(
    bmn_by_year: pd.DataFrame,
    latest_two: Mapping[int, tuple[dict[str, Any], dict[str, Any] | None]] | None = None,
) -> dict[int, Change]:
    """The change of each BMN indicator's pass rate (`area_rollups.bmn_rates_by_year` rows);
    `latest_two`: their `latest_two_by_indicator`, when the caller has it already."""
    changes = {}
    if latest_two is None:
        latest_two = latest_two_by_indicator(bmn_by_year)
    for indicator, (latest, previous) in latest_two.items():
        changes[indicator] = change(
            BMN_INDICATOR_RULE,
            latest["pass_pct"],
            previous["pass_pct"] if previous is not None else None,
            int(latest["year_be"]),
            int(previous["year_be"]) if previous is not None else None,
        )
    return changes


# --- rank among the pilot tambons ------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    position: int  # 1 = best
    of: int  # tambons ranked (published figure)
    tied: bool
    year_be: int | None = None


def rank(rule: Rule, values: Mapping[str, Any], code: str) -> Rank | None:
    """`code`'s rank among `values` (code -> figure; unpublished ones are left out)."""
    if rule.best_th is None or rule.better == 0:
        return None
    known = {c: float(v) for c, v in values.items() if not fmt.is_missing(v)}
    if code not in known or len(known) < 2:
        return None
    own = known[code]
    ahead = sum(1 for v in known.values() if (v - own) * rule.better > 0)
    tied = sum(1 for v in known.values() if v == own) > 1
    return Rank(ahead + 1, len(known), tied)


def figure_ranks(by_year: pd.DataFrame, code: str, figures: tuple[str, ...]) -> dict[str, Rank]:
    """Ranks of a pilot tambon's figures in its latest survey year among its province's pilot
    tambons (none for a tambon outside the pilot set)."""
    own = by_year[by_year["area_code"] == code]
    if own.empty or not bool(own.iloc[-1]["pilot"]):
        return {}
    year = int(own["year_be"].max())
    peers = by_year[
        by_year["pilot"].astype(bool)
        & (by_year["year_be"] == year)
        & (by_year["area_code"].astype(str).str[:2] == code[:2])
    ]
    ranks = {}
    for figure in figures:
        if figure not in RULES or figure not in peers.columns:
            continue
        values = dict(zip(peers["area_code"].astype(str), peers[figure], strict=True))
        found = rank(RULES[figure], values, code)
        if found is not None:
            ranks[figure] = Rank(found.position, found.of, found.tied, year)
    return ranks


def rank_th(r: Rank) -> str:
    """The rank in words, "อันดับ 12 จาก 60 ตำบลนำร่อง" (อันดับร่วม for a tie)."""
    tie = "ร่วม" if r.tied else ""
    return f"อันดับ{tie} {r.position} จาก {r.of} {coverage.PILOTS_TH}"


def rank_key_th(rule: Rule) -> str:
    """What rank 1 means, "(1 = น้อยที่สุด)", shown under the figure's label."""
    return f"(1 = {rule.best_th})" if rule.best_th else ""


# --- a tambon's figures over the years (the trend chart) -------------------------------------


def trend_frame(by_year: pd.DataFrame, code: str) -> pd.DataFrame:
    """One row per figure of `TREND_FIGURES` and year where the figure is published, for the
    figures published in two or more years (a single point shows no trend).

    Columns: figure, label_th, year_be, value, text (as published), order.
    """
    own = by_year[by_year["area_code"] == code].sort_values("year_be", kind="stable")
    rows = []
    for order, figure in enumerate(TREND_FIGURES):
        rule = RULES[figure]
        points = [
            (int(year), float(value))
            for year, value in zip(own["year_be"], own[figure], strict=True)
            if not fmt.is_missing(value)
        ]
        if len(points) < 2:
            continue
        for year, value in points:
            text = fmt.number(value, rule.digits)
            rows.append({"figure": figure, "label_th": rule.label_th, "year_be": str(year),
                         "value": value, "text": text, "order": order})  # fmt: skip
    columns = ["figure", "label_th", "year_be", "value", "text", "order"]
    return pd.DataFrame(rows, columns=columns)
