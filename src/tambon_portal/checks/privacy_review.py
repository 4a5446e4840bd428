"""publicReviewed declarations, and the reporter that honours them (privacy).

A maintainer may declare a column, or a descriptor property, reviewed and public (e.g. the
office phone of a tambon office) with a `publicReviewed` declaration naming the detectors it
exempts and why (docs/publishing.md). It exempts only that column or property, only from the
detectors it names, and never from national-id; a declaration without a reason, or naming an
unknown detector, is itself a problem and exempts nothing. `Reporter` is where every problem
of the scan is made, so no detector can forget a declaration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from tambon_portal.core.problems import Problem

# Every code this scan reports.
CODES = frozenset(
    {"national-id", "phone-number", "email", "person-name", "house-number", "household-id",
     "birth-date", "social-handle", "precise-location", "small-count", "complement-revealed",
     "invalid-review"}
)  # fmt: skip
# What a publicReviewed declaration may exempt: contact details and columns a maintainer can
# check are public. National IDs are never publishable, and suppression is not a detector.
REVIEWABLE = CODES - {"national-id", "small-count", "complement-revealed", "invalid-review"}
REVIEW_PROPERTY = "publicReviewed"
REVIEW_HINT = (
    "; if it is an office's public contact, declare it reviewed"
    f" ({REVIEW_PROPERTY}, see docs/publishing.md)"
)


# --- reviewed-and-public declarations -------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def review_problem(declaration: object) -> str | None:
    """What is wrong with a publicReviewed declaration, or None when it is valid."""
    example = ' e.g. {"detectors": ["phone-number"], "reason": "office phone of ...", "by": ...}'
    if not isinstance(declaration, dict):
        return f"must be an object with 'detectors' and 'reason',{example}"
    reason = declaration.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        return (
            "has no 'reason': say why the data is public (e.g. 'office phone of the tambon"
            " office, published on its own website'); without one it exempts nothing"
        )
    detectors = declaration.get("detectors")
    if not isinstance(detectors, list) or not detectors:
        return f"must name the detectors it exempts in a 'detectors' list,{example}"
    if "national-id" in detectors:
        return "names national-id: national ID numbers are never publishable, whoever reviewed"
    unknown = [d for d in detectors if not isinstance(d, str) or d not in REVIEWABLE]
    if unknown:
        return f"names unknown detectors {unknown}; reviewable: {', '.join(sorted(REVIEWABLE))}"
    if not _is_iso_date(declaration.get("date", "2000-01-01")):
        return f"has date {declaration['date']!r}; write the review date as YYYY-MM-DD"
    return None


def _is_iso_date(value: object) -> bool:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _reviewed_detectors(declaration: object) -> frozenset[str]:
    """The detectors a declaration exempts: none when it is not valid."""
    if declaration is None or review_problem(declaration):
        return frozenset()
    return frozenset(declaration["detectors"])


def schema_fields(resource: Mapping) -> list:
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    return fields if isinstance(fields, list) else []


def reviewed_columns(resource: Mapping) -> dict[str, frozenset[str]]:
    """Field name -> detectors exempted by the field's valid publicReviewed declaration."""
    reviewed = {}
    for item in schema_fields(resource):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            detectors = _reviewed_detectors(item.get(REVIEW_PROPERTY))
            if detectors:
                reviewed[item["name"]] = detectors
    return reviewed


def is_within(path: str, scope: str) -> bool:
    """`contributors[0].email` is within `contributors[0]` and itself; `phone` within `phone`."""
    return path == scope or path.startswith((scope + ".", scope + "["))


class Reporter:
    """Collects the problems of one table or descriptor; a reviewed field's are dropped."""

    def __init__(
        self, package: str, resource: str | None, file: str, first_row: int,
        reviewed: Mapping[str, frozenset[str]] | None = None,
    ) -> None:  # fmt: skip
        self.package, self.resource, self.file, self.first_row = package, resource, file, first_row
        self.reviewed = dict(reviewed or {})
        self.problems: list[Problem] = []

    def is_reviewed(self, field: str | None, code: str) -> bool:
        return field is not None and any(
            code in detectors and is_within(field, scope)
            for scope, detectors in self.reviewed.items()
        )

    def add(self, index: int | None, field: str | None, code: str, message: str) -> None:
        if code != "national-id" and self.is_reviewed(field, code):
            return
        row = None if index is None else index + self.first_row
        self.problems.append(
            Problem(self.package, self.resource, self.file, row, field, code, message)
        )
