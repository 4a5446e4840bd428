"""What every page context shares: the card and table figures, the jinja2 environment that
escapes every printed value (the module docstring of `pages` says why), breadcrumbs, and frame
rows as template values."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from tambon_portal.core import codelists as cl
from tambon_portal.core import figures as key_figures
from tambon_portal.core import formatting as fmt
from tambon_portal.core import gazetteer, urls

Tables = Mapping[str, pd.DataFrame]


def cards_of(columns: Sequence[str]) -> tuple[tuple[str, str, str], ...]:
    """(key-figure column, its card label, kind) of cards: every page labels a figure alike
    (`key_figures`); a card writes a percentage as "16.7%", so its label does not say "(%)" too."""
    return tuple((f.column, f.card_th, f.kind) for f in key_figures.of(columns))


# Key-figure cards of a profile, in the order of docs/architecture.md §6.
CARD_FIGURES: tuple[tuple[str, str, str], ...] = cards_of(key_figures.CARDS)

# Cards of the home page (the pilot tambons together).
HOME_CARDS: tuple[tuple[str, str, str], ...] = cards_of(
    ("tambons_with_data", "villages", "population", "households", "below_line_pct",
     "median_income", "debt_pct", "bmn_pass_pct", "projects")
)  # fmt: skip

# Columns of the home page's sortable table: (key-figure column, Thai header, kind).
_HOME_TABLE = ("population", "households", "villages", "below_line_pct", "median_income",
               "debt_pct", "bmn_pass_pct", "projects")  # fmt: skip
HOME_TABLE_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (f.column, f.header_th, f.kind) for f in key_figures.of(_HOME_TABLE)
)

# Map indicators on the home page: (column, Thai label, True when higher is better).
MAP_INDICATORS: tuple[tuple[str, str, bool], ...] = tuple(
    (f.column, f.label_th, f.better > 0)
    for f in key_figures.of(("below_line_pct", "median_income", "debt_pct", "bmn_pass_pct"))
)

# Terms each kind of page explains where it first uses them (codelists.TERMS).
PAGE_TERMS = ("bmn", "income_line", "median")


def terms(codes: Sequence[str] = PAGE_TERMS) -> list[cl.Term]:
    """The explanations of `codes` (codelists.TERMS), in that order."""
    by_code = {t.code: t for t in cl.TERMS}
    return [by_code[code] for code in codes]


# --- the jinja2 environment ------------------------------------------------------------------


def _finalize(value: Any) -> Any:
    return fmt.escape_text(value)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tambon_portal.site", "templates"),
        autoescape=True,  # every template, .md included: data is never markup
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        number=fmt.number,
        pct=fmt.percent,
        baht=fmt.baht,
        be=fmt.year_be,
        thai_date=fmt.thai_date,
        count=fmt.count_cell,
        published_sum=fmt.published_sum,
        value=fmt.by_kind,
        sort_key=sort_key,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def sort_key(value: Any) -> str:
    """The data-sort attribute of a numeric cell (missing values sort first)."""
    return "" if fmt.is_missing(value) else repr(float(value))


def trusted(svg: str | None) -> Markup:
    """Our own build-time SVG, minus blank lines (a blank line would end markdown's HTML block)."""
    if not svg:
        return Markup("")
    return Markup("\n".join(line for line in svg.splitlines() if line.strip()))


# --- shared pieces ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    href: str


def breadcrumb(root: str, tambon_code: str | None = None, district_code: str = "") -> list[Link]:
    """Province → district → tambon, each a link relative to `root`."""
    code = tambon_code or district_code
    province = gazetteer.province(code[:2])
    links = [
        Link(
            f"จังหวัด{place_name(province, code[:2])}",
            root + urls.url_of(urls.province_path(code[:2])),
        )
    ]
    if len(code) >= 4:
        district = gazetteer.district(code[:4])
        links.append(
            Link(
                f"อำเภอ{place_name(district, code[:4])}",
                root + urls.url_of(urls.district_path(code[:4])),
            )
        )
    if tambon_code:
        tambon = gazetteer.tambon(tambon_code)
        links.append(
            Link(
                f"ตำบล{place_name(tambon, tambon_code)}",
                root + urls.url_of(urls.tambon_path(tambon_code)),
            )
        )
    return links


def place_name(place: gazetteer.Place | None, code: str) -> str:
    return place.name_th if place else code


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Rows as dicts with <NA>/NaN as None (templates test `is none`)."""
    if frame is None or frame.empty:
        return []
    # Row by row on to_dict's native values: `astype(object).where(...)` over the whole frame
    # cost a profile build seconds (839 calls).
    return [
        {k: None if is_na(v) else v for k, v in row.items()} for row in frame.to_dict("records")
    ]


def is_na(value: Any) -> bool:
    """What `DataFrame.notna` calls missing, for one cell (a list in a cell is not missing)."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def first_row(frame: pd.DataFrame | None) -> dict[str, Any]:
    rows = records(frame.iloc[:1] if frame is not None else None)  # not the whole frame
    return rows[0] if rows else {}
