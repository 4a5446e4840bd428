"""frictionless' errors as `tambon validate` words them: what is wrong and how to fix it.

frictionless names the error (its type is kept as the problem's code) and the cell; the
message says, in plain English with the Thai term, what to write instead: a CE year as BE, a
count that may be suppressed as x, a code with its leading zeros ... (`validate`, step 4).
"""

from __future__ import annotations

import re

from tambon_portal.checks import tambon_checks
from tambon_portal.core import schemas, settings
from tambon_portal.core.problems import Problem

CE_YEARS = range(1900, 2200)  # a year_be in this range was almost surely written in CE

_FIX_BY_TYPE = {
    "integer": "a whole number such as 1200 (no thousands separator)",
    "number": "a number such as 12.5 (a point for decimals, no thousands separator)",
    "boolean": "true or false",
    "date": "a date as YYYY-MM-DD (Christian Era), e.g. 2025-09-30",
    "year": "a 4-digit year",
}


def _missing_hint(schema: dict, spec: dict) -> str:
    """A count that may be suppressed accepts x: say so where it applies."""
    suppressible = spec.get("type") == "integer" and not spec.get("constraints", {}).get("required")
    return (
        " (or x for a suppressed count)"
        if suppressible and schemas.SUPPRESSED in (schema.get("missingValues") or [])
        else ""
    )


def _field_schema(resource: dict, name: str | None) -> tuple[dict, dict]:
    schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
    for item in schema.get("fields", []):
        if item.get("name") == name:
            return schema, item
    return schema, {}


def _constraint_message(error, resource: dict) -> tuple[str, str]:
    """(code, message) of a frictionless constraint-error, by the constraint that failed."""
    _schema, spec = _field_schema(resource, error.field_name)
    constraints = spec.get("constraints", {})
    match = re.match(r'constraint "(\w+)"', error.note or "")
    constraint = match.group(1) if match else ""
    cell, name = error.cell, error.field_name
    if constraint == "required":
        only_counts = " (x is only allowed where a count may be suppressed)"
        return "constraint-error", (
            f"'{name}' is required but empty (ต้องมีค่า); fill it in"
            + (only_counts if cell == schemas.SUPPRESSED else "")
        )
    if constraint == "minimum" and name in tambon_checks.YEAR_FIELDS and cell.isdigit():
        if int(cell) in CE_YEARS:
            return "ce-year", (
                f"{cell} looks like a Christian Era year; years here are Buddhist Era (พ.ศ.):"
                f" add {settings.BE_OFFSET} (write {int(cell) + settings.BE_OFFSET})"
            )
        return "constraint-error", f"year {cell} is before พ.ศ. 2500; check the year"
    hints = {
        "pattern": f"does not have the required form ({constraints.get('pattern')});"
        " codes are digits only, with their leading zeros (รูปแบบรหัสไม่ถูกต้อง)",
        "enum": "is not one of the allowed codes ("
        + ", ".join(map(str, constraints.get("enum", [])[:12]))
        + (", ..." if len(constraints.get("enum", [])) > 12 else "")
        + ")",
        "minimum": f"is below the minimum {constraints.get('minimum')}",
        "maximum": f"is above the maximum {constraints.get('maximum')}",
        "maxLength": f"is longer than {constraints.get('maxLength')} characters; shorten it",
        "minLength": f"is shorter than {constraints.get('minLength')} characters; check the value",
        "unique": "appears more than once but must be unique",
    }
    return "constraint-error", f"'{cell}' in '{name}' {hints.get(constraint, error.note)}"


def explain(error, resource: dict) -> tuple[str, str]:
    """(code, plain-English message with a fix) for one frictionless error."""
    kind = error.type
    if kind == "constraint-error":
        return _constraint_message(error, resource)
    if kind == "type-error":
        schema, spec = _field_schema(resource, error.field_name)
        wanted = spec.get("type", "the field's type")
        fix = _FIX_BY_TYPE.get(wanted, f"a valid {wanted}")
        return kind, (
            f"'{error.cell}' is not a valid {wanted} (ชนิดข้อมูลไม่ถูกต้อง);"
            f" write {fix}{_missing_hint(schema, spec)}"
        )
    if kind == "missing-cell":
        return kind, (
            f"the row has fewer cells than the header: '{error.field_name}' is missing"
            " (ข้อมูลไม่ครบคอลัมน์); check for a missing comma or an unclosed quote"
        )
    if kind == "extra-cell":
        return kind, (
            f"the row has more cells than the header (extra cell '{error.cell}');"
            " a value containing a comma must be in double quotes"
        )
    if kind == "primary-key":
        return kind, (
            f"the row repeats the key {_primary_key(resource)} of another row ({error.note})"
            " (ข้อมูลซ้ำ); remove the duplicate or fix the key"
        )
    if kind == "foreign-key":
        reference = (
            f"{error.reference_name or 'this resource'}.{','.join(error.reference_field_names)}"
        )
        return kind, (
            f"{', '.join(error.field_names)} = {', '.join(map(str, error.field_cells))} is not"
            f" found in {reference} (ไม่พบรหัสอ้างอิง); add it there or fix the code"
        )
    if kind == "blank-row":
        return kind, "the row is completely blank; delete it"
    if kind in (
        "duplicate-label",
        "blank-label",
        "missing-label",
        "extra-label",
        "incorrect-label",
    ):
        return (
            kind,
            f"header problem: {error.message}; the header row must list the schema's field"
            " names in order",
        )
    if kind == "source-error":
        return kind, (
            f"the file cannot be read as a table ({error.note}); it needs a header row and"
            " comma-separated rows"
        )
    return kind, f"{error.message} ({error.description})".replace("..", ".")


def _primary_key(resource: dict) -> str:
    schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
    key = schema.get("primaryKey") or []
    return "(" + ", ".join([key] if isinstance(key, str) else key) + ")"


def drop_redundant(problems: list[Problem]) -> list[Problem]:
    """A missing cell also fails `required`: report the cause (missing-cell) only."""
    missing = {(p.file, p.row, p.field) for p in problems if p.code == "missing-cell"}
    return [
        p
        for p in problems
        if not (p.code == "constraint-error" and (p.file, p.row, p.field) in missing)
    ]


def exception_reason(error) -> str:
    """The innermost reasons frictionless gives, which name the property at fault."""
    reasons = [reason.message for reason in getattr(error, "reasons", None) or []]
    return "; ".join(reasons) if reasons else error.error.message
