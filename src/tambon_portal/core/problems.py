"""One problem found in a data package: where it is, a stable code, and how to fix it.

Shared by the validator and the privacy scan, so both report in one shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

CHECK_CRASHED = "check-crashed"  # the checks of a package raised: a bug, reported as a problem


@dataclass(frozen=True)
class Problem:
    package: str  # the package name
    resource: str | None  # None for a problem of the package as a whole
    file: str  # path relative to the data root, "/"-separated
    row: int | None  # CSV row as frictionless counts it (header = 1), or None
    field: str | None  # column name, or None
    code: str  # stable kebab-case id, e.g. "type-error", "national-id"
    message: str  # plain English: what is wrong and how to fix it

    def location(self) -> str:
        """`file:row:field`, leaving out the parts that are not known."""
        parts = [self.file]
        if self.row is not None:
            parts.append(str(self.row))
        if self.field is not None:
            parts.append(self.field)
        return ":".join(parts)

    def as_text(self) -> str:
        return f"{self.location()}: {self.message} [{self.code}]"

    def as_dict(self) -> dict:
        return asdict(self)
