"""Thai-first formatting of values for pages, and escaping that is safe in markdown *and* HTML.

Pages are markdown files with HTML blocks, so a value from the data must not be read as
markup by either: `escape_text` turns every character that HTML or Python-Markdown treats
specially into a numeric entity, which both leave alone and a browser shows as the character.
"""

from __future__ import annotations

import math
import re
from typing import Any

from markupsafe import Markup

from tambon_portal.core import settings

DASH = "–"
SUPPRESSED = settings.SUPPRESSED  # a suppressed cell shows as the CSV writes it

# One table for HTML and markdown: entities are inert in both (Python-Markdown keeps them).
_ENTITIES = {
    ord(c): f"&#{ord(c)};"
    for c in "&<>\"'\\`*_[]#|{}!~$^+=:"  # `:` so no "javascript:" or emoji shortcode survives
}
_ENTITIES.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): " "})


def escape_text(value: Any) -> Markup:
    """Data text as inert markup; None/NA as empty."""
    if isinstance(value, Markup):
        return value
    if is_missing(value):
        return Markup("")
    return Markup(str(value).translate(_ENTITIES))


# Schemes a link from the data may use. Escaping is no defence inside href: a browser decodes
# `javascript&#58;` back to `javascript:` before following the link.
SAFE_URL_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_href(url: Any) -> str:
    """`url` when a link to it is harmless (http, https, mailto or relative), else ""."""
    if is_missing(url):
        return ""
    text = str(url).strip()
    # Browsers drop tabs and line breaks inside a URL ("java\tscript:" is still a scheme).
    scheme = _SCHEME.match(re.sub(r"[\x00-\x20]", "", text))
    return text if scheme is None or scheme.group(1).lower() in SAFE_URL_SCHEMES else ""


def is_missing(value: Any) -> bool:
    """None, NaN (float or NumPy) and pd.NA, without importing pandas."""
    if value is None:
        return True
    missing = value != value  # True only for NaN; pd.NA != pd.NA is pd.NA itself
    if missing is value:
        return True
    if hasattr(missing, "__len__"):  # an array or a string compares element-wise: not missing
        return False
    try:
        return bool(missing)  # bool or numpy.bool_
    except TypeError:
        return True  # a missing-value type that refuses bool()


def number(value: Any, digits: int = 0, missing: str = DASH) -> str:
    """Thousands separators as Thai readers expect (1,234,567); `missing` for none."""
    if is_missing(value):
        return missing
    value = float(value)
    if math.isinf(value):
        return missing
    return f"{value:,.{digits}f}"


def percent(value: Any, missing: str = DASH) -> str:
    return missing if is_missing(value) else f"{float(value):,.1f}%"


def baht(value: Any, missing: str = DASH) -> str:
    return missing if is_missing(value) else f"{number(value)} บาท"


def year_be(value: Any, with_ce: bool = False) -> str:
    """A Buddhist Era year, with the Common Era year in brackets when asked (CE = BE − 543)."""
    if is_missing(value):
        return DASH
    be = int(value)
    return f"พ.ศ. {be} ({be - settings.BE_OFFSET})" if with_ce else str(be)


THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip


def thai_date(value: Any) -> str:
    """An ISO date (CE) as a Thai reader writes it: 2025-09-30 -> 30 กันยายน 2568."""
    if is_missing(value):
        return DASH
    text = str(value)[:10]
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return f"{day} {THAI_MONTHS[month - 1]} {year + settings.BE_OFFSET}"
    except (ValueError, IndexError):
        return text


def by_kind(value: Any, kind: str) -> str:
    """A value written as its kind says (a figure's `figures.Figure.kind`, a table column's):
    int 1,234 · pct 16.7% · baht 1,234 บาท · count x when suppressed · num1 1,234.5 · any
    other kind as its text."""
    writers = {
        "int": number,
        "pct": percent,
        "baht": baht,
        "count": count_cell,
        "num1": lambda v: number(v, 1),
    }
    return writers.get(kind, lambda v: DASH if is_missing(v) else str(v))(value)


def count_cell(value: Any) -> str:
    """A count from a published table: suppressed small counts show as x, like the CSV."""
    return SUPPRESSED if is_missing(value) else number(value)


def published_sum(value: Any, suppressed_cells: Any) -> str:
    """A sum of published cells (aggregate's roll-ups): x when every cell in it was suppressed.

    Why: a roll-up adds suppressed cells as nothing, so a cell of 1–4 persons would read 0.
    With some cells published the sum is shown: a lower bound (aggregate's docstring).
    """
    any_suppressed = not is_missing(suppressed_cells) and int(suppressed_cells) > 0
    nothing_published = is_missing(value) or float(value) == 0
    return SUPPRESSED if any_suppressed and nothing_published else number(value)
