"""The disclosure audit (issue 11, DESIGN §4): can a reader work a suppressed cell out of what
is published, by adding and subtracting?

Each suppressed count (x) is an unknown, at least 0. Every additive relation the published
tables keep is an equation over published numbers and unknowns; they are the relations the
project checks hold the data to (`tambon_sums`), so a reader may rely on them:

- `bmn_results`, each row: passed + failed = surveyed;
- `bmn_results`, each year and indicator: each count of the tambon row is the sum of its
  village rows (when every village of the `villages` table has a row);
- `population`: the persons of the reference year add up to the tambon's population;
- `income_brackets`: a year's brackets add up to `households_surveyed`, and those under the
  income line to `households_below_line` (`income_summary`);
- `bmn_results`: the tambon's `failed` of the income indicator is `households_below_line`.

`cell_ranges` gives each unknown the lowest and highest value consistent with all of them
(linear programs); a cell whose range is narrower than `MIN_RANGE` is disclosed: a reader can
place it among fewer than five values, so inside 1–4 or next to it. The district and province
roll-ups the site adds up from published cells tell a reader nothing more; the true area
totals published from the records (`core.schemas.areas`) do, and `area_audit` audits them
with the tambons they add up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tambon_portal.checks.cell_ranges import (
    MIN_RANGE,
    Cell,
    CellRange,
    Memo,
    Relation,
    Term,
    components,
    ranges,
)
from tambon_portal.checks.tambon_package import TambonPackage, problem
from tambon_portal.checks.tambon_sums import reference_year_be
from tambon_portal.core import codelists as cl
from tambon_portal.core.problems import Problem

# The model of `cell_ranges`, named here too for the callers of the audit (protection, tests).
__all__ = [
    "CODE", "MIN_RANGE", "AuditSummary", "Cell", "CellRange", "CountColumns", "Memo",
    "PackageAudit",
    "Relation", "Term", "audit_package", "base_resource", "check_disclosure", "components",
    "problems_of", "qualified_resource", "ranges", "relations_of", "split_resource",
    "summarise", "suppressed_cells",
]  # fmt: skip

CODE = "recoverable-suppressed-cell"
_BMN_COUNTS = ("surveyed", "passed", "failed")

# --- cells of several packages ---------------------------------------------------------------

_SEPARATOR = "/"  # package/resource: never in a resource name (`schemas`: [a-z_])


def qualified_resource(package: str, resource: str) -> str:
    """A resource named by its package too, for an audit of several packages at once
    (`area_audit`): two tambons both have a row 3 of `bmn_results`."""
    return f"{package}{_SEPARATOR}{resource}"


def split_resource(resource: str) -> tuple[str, str]:
    """(package, resource) of a qualified resource name; ("", resource) of a plain one."""
    package, _, name = resource.rpartition(_SEPARATOR)
    return package, name


def base_resource(resource: str) -> str:
    return split_resource(resource)[1]


def _named(pkg: TambonPackage, resource: str, qualified: bool) -> str:
    return qualified_resource(pkg.package, resource) if qualified else resource


# --- the relations of one package ------------------------------------------------------------


class CountColumn:
    """One count column of a table, its cells made into terms when asked for: most cells of
    a package are published and in no relation the audit needs."""

    def __init__(self, resource: str, field: str, index: list[int], values: pd.Series) -> None:
        self.resource, self.field, self.index = resource, field, index
        self.known = values.to_numpy(dtype=np.int64, na_value=0).tolist()
        self.hidden = values.isna().to_numpy(dtype=bool)
        self.missing = self.hidden.tolist()

    def __getitem__(self, position: int) -> Term:
        cell = Cell(self.resource, self.index[position], self.field)
        return Term(cell, None if self.missing[position] else self.known[position])

    def __iter__(self) -> Iterator[Term]:
        return (self[position] for position in range(len(self.index)))


class CountColumns:
    """The count columns of one table, by row position, each column read once (a lookup per
    cell through pandas cost 30 µs: most of the audit)."""

    def __init__(self, frame: pd.DataFrame, resource: str) -> None:
        self.frame, self.resource = frame, resource
        self.index = [int(i) for i in frame.index]
        self._columns: dict[str, CountColumn | None] = {}

    def column(self, field: str) -> CountColumn | None:
        if field not in self._columns:
            self._columns[field] = (
                CountColumn(self.resource, field, self.index, self.frame[field].astype("Int64"))
                if field in self.frame.columns
                else None
            )
        return self._columns[field]


def _text(frame: pd.DataFrame, column: str) -> list[str]:
    return frame[column].astype(str).tolist()


def bmn_relations(pkg: TambonPackage, hiding_only: bool = False, qualified: bool = False
                  ) -> Iterator[Relation]:  # fmt: skip
    bmn = pkg.tables.get("bmn_results")
    if bmn is None or bmn.empty:
        return
    counts = CountColumns(bmn, _named(pkg, "bmn_results", qualified))
    columns = [counts.column(c) for c in _BMN_COUNTS]
    if any(c is None for c in columns):
        return
    surveyed, passed, failed = columns  # type: ignore[misc]
    rows = range(len(bmn))
    if hiding_only:
        rows = np.flatnonzero(surveyed.hidden | passed.hidden | failed.hidden).tolist()
    for position in rows:
        yield Relation(surveyed[position], (passed[position], failed[position]))
    villages = pkg.tables.get("villages")
    if villages is None:
        return
    village_codes = set(_text(villages, "village_code"))
    areas, levels = _text(bmn, "area_code"), _text(bmn, "area_level")
    keys = list(zip(_text(bmn, "year_be"), _text(bmn, "indicator"), strict=True))
    own: list[int] = []
    rows_of: dict[tuple[str, str], list[int]] = {}
    for position, (area, level, key) in enumerate(zip(areas, levels, keys, strict=True)):
        if level == "tambon" and area == pkg.code:
            own.append(position)
        elif level == "village":
            rows_of.setdefault(key, []).append(position)
    for position in own:
        parts = rows_of.get(keys[position], [])
        if {areas[r] for r in parts} != village_codes or len(parts) != len(village_codes):
            continue  # a village without a row (or twice): the tambon is not their sum
        for column in (surveyed, passed, failed):
            if not hiding_only or column.hidden[[position, *parts]].any():
                yield Relation(column[position], tuple(column[r] for r in parts))


def population_relations(pkg: TambonPackage, qualified: bool = False) -> Iterator[Relation]:
    population, tambon = pkg.tables.get("population"), pkg.tables.get("tambon")
    reference_year = reference_year_be(pkg)
    if population is None or tambon is None or len(tambon) != 1 or reference_year is None:
        return
    total = CountColumns(tambon, _named(pkg, "tambon", qualified)).column("population")
    persons = CountColumns(population, _named(pkg, "population", qualified)).column("persons")
    if total is None or persons is None:
        return
    years = population["year_be"].astype("Int64").tolist()
    parts = tuple(t for t, year in zip(persons, years, strict=True) if year == reference_year)
    if parts:
        yield Relation(total[0], parts)


def income_relations(pkg: TambonPackage, qualified: bool = False) -> Iterator[Relation]:
    summary = pkg.tables.get("income_summary")
    if summary is None:
        return
    brackets, bmn = pkg.tables.get("income_brackets"), pkg.tables.get("bmn_results")
    sums = CountColumns(summary, _named(pkg, "income_summary", qualified))
    surveyed, below = sums.column("households_surveyed"), sums.column("households_below_line")
    if surveyed is None or below is None:
        return
    by_year: dict[str, list[tuple[str, Term]]] = {}
    if brackets is not None and (households := CountColumns(
        brackets, _named(pkg, "income_brackets", qualified)
    ).column("households")) is not None:  # fmt: skip
        for year, bracket, term in zip(
            _text(brackets, "year_be"), _text(brackets, "bracket"), households, strict=True
        ):
            by_year.setdefault(year, []).append((bracket, term))
    line: dict[str, Term] = {}
    failed = None
    if bmn is not None:
        failed = CountColumns(bmn, _named(pkg, "bmn_results", qualified)).column("failed")
    if bmn is not None and failed is not None:
        rows = zip(_text(bmn, "area_code"), _text(bmn, "area_level"), _text(bmn, "indicator"),
                   _text(bmn, "year_be"), failed, strict=True)  # fmt: skip
        found = [(year, term) for area, level, indicator, year, term in rows
                 if area == pkg.code and level == "tambon"
                 and indicator == str(cl.INCOME_LINE_INDICATOR)]  # fmt: skip
        years = [year for year, _ in found]
        line = {year: term for year, term in found if years.count(year) == 1}
    for position, year in enumerate(_text(summary, "year_be")):
        cells = by_year.get(year, [])
        if cells:
            yield Relation(surveyed[position], tuple(term for _, term in cells))
            under = tuple(term for b, term in cells if b in cl.BRACKETS_BELOW_LINE)
            if under:
                yield Relation(below[position], under)
        if year in line:
            yield Relation(below[position], (line[year],))


def relations_of(pkg: TambonPackage, *, hiding_only: bool = False, qualified: bool = False
                 ) -> list[Relation]:  # fmt: skip
    """Every additive relation of one tambon package's published tables; `hiding_only`: only
    those holding a suppressed cell, all the audit needs (`authoring.protection` needs the
    others too, to follow a cell it suppresses into the totals that hold it); `qualified`:
    cells named by the package too (`qualified_resource`)."""
    found = [
        *bmn_relations(pkg, hiding_only, qualified),
        *population_relations(pkg, qualified),
        *income_relations(pkg, qualified),
    ]
    return [r for r in found if r.unknowns()] if hiding_only else found


def suppressed_cells(pkg: TambonPackage) -> list[Cell]:
    """Every suppressed count of the package (an empty cell of an integer column)."""
    cells = []
    for resource, frame in pkg.tables.items():
        for column in frame.columns:
            if str(frame[column].dtype) == "Int64":
                cells += [Cell(resource, int(i), column) for i in frame.index[frame[column].isna()]]
    return cells


# --- the audit of a package ------------------------------------------------------------------


@dataclass(frozen=True)
class PackageAudit:
    """One package's suppressed cells and the ranges the published numbers leave them."""

    package: str
    suppressed: int  # every suppressed count of its tables
    ranges: list[CellRange]  # of those inside a published relation

    def disclosed(self) -> list[CellRange]:
        return [r for r in self.ranges if r.disclosed]


def audit_package(pkg: TambonPackage) -> PackageAudit:
    relations = relations_of(pkg, hiding_only=True)
    return PackageAudit(pkg.package, len(suppressed_cells(pkg)), ranges(relations))


def check_disclosure(pkg: TambonPackage) -> list[Problem]:
    """The project check `tambon validate` runs (`tambon_checks.CHECKS`): a problem per
    suppressed cell the published totals narrow to fewer than `MIN_RANGE` values."""
    disclosed = ranges(relations_of(pkg, hiding_only=True), disclosed_only=True)
    return _problems(pkg, disclosed)


def problems_of(pkg: TambonPackage, audit: PackageAudit) -> list[Problem]:
    """A problem per disclosed cell of `audit`, by file, row and field."""
    return _problems(pkg, audit.disclosed())


def _problems(pkg: TambonPackage, disclosed: Iterable[CellRange]) -> list[Problem]:
    return [
        problem(pkg, r.cell.resource, r.cell.index, r.cell.field, CODE, message_of(r))
        for r in disclosed
    ]


def message_of(found: CellRange) -> str:
    if found.lowest == found.highest:
        where = f"it is exactly {found.lowest:.0f}"
    else:
        where = f"it lies between {found.lowest:.0f} and {found.highest:.0f}"
    return (
        f"this suppressed count can be worked out from the published numbers: {where}"
        " (เซลล์ที่ปกปิดคำนวณย้อนกลับได้จากตัวเลขที่เผยแพร่); suppress another cell of the"
        " same total (secondary suppression) so that it could be any of at least"
        f" {MIN_RANGE} values"
    )


@dataclass(frozen=True)
class AuditSummary:
    """The audit of many packages, in numbers."""

    packages: int
    suppressed: int
    in_relations: int
    disclosed: int
    exact: int  # pinned to one value
    two_values: int
    narrowest: float | None  # of the cells in a relation
    widest: float | None  # of the bounded ones


def summarise(audits: Iterable[PackageAudit]) -> AuditSummary:
    audits = list(audits)
    found = [r for a in audits for r in a.ranges]
    bounded = [r.width for r in found if not math.isinf(r.width)]
    return AuditSummary(
        packages=len(audits),
        suppressed=sum(a.suppressed for a in audits),
        in_relations=len(found),
        disclosed=sum(r.disclosed for r in found),
        exact=sum(r.width == 0 for r in found),
        two_values=sum(r.width == 1 for r in found),
        narrowest=min((r.width for r in found), default=None),
        widest=max(bounded, default=None),
    )
