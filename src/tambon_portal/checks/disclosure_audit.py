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

For each unknown, two linear programs (HiGHS, `highspy`) give the lowest and highest value
consistent with all of them, rounded inward to whole numbers. A cell whose range is narrower
than `MIN_RANGE` is disclosed: a reader can place it among fewer than five values, so inside
1–4 or next to it. The district and province roll-ups add up published cells only, so they
tell a reader nothing more about a suppressed cell, and are left out.

The linear program is the relaxation τ-Argus' audit also solves: an integer program can be
tighter still, so a cell this audit clears may in rare cases be narrower; a cell it flags is
disclosed for certain.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tambon_portal.checks import validate
from tambon_portal.checks.tambon_package import TambonPackage, problem
from tambon_portal.checks.tambon_sums import reference_year_be
from tambon_portal.checks.validate_files import relative_file
from tambon_portal.core import codelists as cl
from tambon_portal.core import lazy
from tambon_portal.core.problems import Problem
from tambon_portal.packages import discovery, table_reader
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore

highspy = lazy.module("highspy")  # only `tambon audit` solves anything

MIN_RANGE = 5  # highest − lowest at least this: no suppressed cell placed inside 1–4
CODE = "recoverable-suppressed-cell"
_BMN_COUNTS = ("surveyed", "passed", "failed")
_SLACK = 1e-6  # a solver's rounding, not a reader's knowledge


@dataclass(frozen=True, order=True)
class Cell:
    """A cell of a published table: its resource, row (index of the frame) and field."""

    resource: str
    index: int
    field: str


Term = int | Cell  # a published number, or a suppressed cell


@dataclass(frozen=True)
class Relation:
    """total = sum(parts), as the published tables keep it."""

    total: Term
    parts: tuple[Term, ...]

    def unknowns(self) -> list[Cell]:
        return [t for t in (self.total, *self.parts) if isinstance(t, Cell)]


@dataclass(frozen=True)
class CellRange:
    """What the published numbers leave of one suppressed cell: its lowest and highest
    whole value (`math.inf` when nothing bounds it from above)."""

    cell: Cell
    lowest: float
    highest: float

    @property
    def width(self) -> float:
        return self.highest - self.lowest

    @property
    def disclosed(self) -> bool:
        return self.width < MIN_RANGE


# --- the relations of one package ------------------------------------------------------------


def _term(frame: pd.DataFrame, resource: str, index: int, field: str) -> Term | None:
    """A count as a term; None when the table has no such cell."""
    if field not in frame.columns:
        return None
    value = frame.at[index, field]
    return Cell(resource, int(index), field) if pd.isna(value) else int(value)


def bmn_relations(pkg: TambonPackage) -> Iterator[Relation]:
    bmn = pkg.tables.get("bmn_results")
    if bmn is None or bmn.empty:
        return
    for index in bmn.index:
        surveyed, passed, failed = (_term(bmn, "bmn_results", index, c) for c in _BMN_COUNTS)
        if surveyed is not None and passed is not None and failed is not None:
            yield Relation(surveyed, (passed, failed))
    villages = pkg.tables.get("villages")
    if villages is None:
        return
    village_codes = set(villages["village_code"].astype(str))
    level, area = bmn["area_level"].astype(str), bmn["area_code"].astype(str)
    own = bmn[(level == "tambon") & (area == pkg.code)]
    village_rows = bmn[level == "village"]
    groups = {key: rows for key, rows in village_rows.groupby(["year_be", "indicator"])}
    for index, row in own.iterrows():
        rows = groups.get((row["year_be"], row["indicator"]))
        if rows is None or set(rows["area_code"].astype(str)) != village_codes:
            continue  # not every village has a row: the tambon is more than their sum
        if len(rows) != len(village_codes):
            continue  # a village twice (refused by the checks): no relation to rely on
        for column in _BMN_COUNTS:
            total = _term(bmn, "bmn_results", index, column)
            parts = tuple(_term(bmn, "bmn_results", i, column) for i in rows.index)
            if total is not None and None not in parts:
                yield Relation(total, parts)  # type: ignore[arg-type]


def population_relations(pkg: TambonPackage) -> Iterator[Relation]:
    population, tambon = pkg.tables.get("population"), pkg.tables.get("tambon")
    reference_year = reference_year_be(pkg)
    if population is None or tambon is None or len(tambon) != 1 or reference_year is None:
        return
    total = _term(tambon, "tambon", tambon.index[0], "population")
    rows = population[population["year_be"] == reference_year]
    parts = tuple(_term(population, "population", i, "persons") for i in rows.index)
    if total is not None and parts and None not in parts:
        yield Relation(total, parts)  # type: ignore[arg-type]


def income_relations(pkg: TambonPackage) -> Iterator[Relation]:
    summary = pkg.tables.get("income_summary")
    if summary is None:
        return
    brackets, bmn = pkg.tables.get("income_brackets"), pkg.tables.get("bmn_results")
    for index, year in zip(summary.index, summary["year_be"], strict=True):
        if pd.isna(year):
            continue
        surveyed = _term(summary, "income_summary", index, "households_surveyed")
        below = _term(summary, "income_summary", index, "households_below_line")
        if brackets is not None:
            rows = brackets[brackets["year_be"] == year]
            all_parts = [(b, _term(brackets, "income_brackets", i, "households"))
                         for i, b in zip(rows.index, rows["bracket"], strict=True)]  # fmt: skip
            if surveyed is not None and all_parts and all(p is not None for _, p in all_parts):
                yield Relation(surveyed, tuple(p for _, p in all_parts))  # type: ignore[misc]
            under = tuple(p for b, p in all_parts if b in cl.BRACKETS_BELOW_LINE)
            if below is not None and under and None not in under:
                yield Relation(below, under)  # type: ignore[arg-type]
        if bmn is not None and below is not None:
            line = bmn[
                (bmn["area_level"].astype(str) == "tambon")
                & (bmn["area_code"].astype(str) == pkg.code)
                & (bmn["indicator"] == cl.INCOME_LINE_INDICATOR)
                & (bmn["year_be"] == year)
            ]
            if len(line) == 1:
                failed = _term(bmn, "bmn_results", line.index[0], "failed")
                if failed is not None:
                    yield Relation(below, (failed,))


def relations_of(pkg: TambonPackage) -> list[Relation]:
    """Every additive relation of one tambon package's published tables."""
    return [
        *bmn_relations(pkg),
        *population_relations(pkg),
        *income_relations(pkg),
    ]


def suppressed_cells(pkg: TambonPackage) -> list[Cell]:
    """Every suppressed count of the package (an empty cell of an integer column)."""
    cells = []
    for resource, frame in pkg.tables.items():
        for column in frame.columns:
            if str(frame[column].dtype) == "Int64":
                cells += [Cell(resource, int(i), column) for i in frame.index[frame[column].isna()]]
    return cells


# --- the linear programs ---------------------------------------------------------------------


def _components(relations: Sequence[Relation]) -> list[list[Relation]]:
    """The relations grouped so that no unknown is in two groups: each group is one small
    linear program (a tambon's indicator in one year, say), not one program of thousands."""
    parent: dict[Cell, Cell] = {}

    def root(cell: Cell) -> Cell:
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for relation in relations:
        unknowns = relation.unknowns()
        for other in unknowns[1:]:
            parent[root(other)] = root(unknowns[0])
    groups: dict[Cell, list[Relation]] = {}
    for relation in relations:
        if unknowns := relation.unknowns():
            groups.setdefault(root(unknowns[0]), []).append(relation)
    return list(groups.values())


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints its banner from C++ when a solver is made, before any option can be set:
    only the CLI prints, so the process's own stdout is closed for that moment."""
    try:
        saved = os.dup(1)
    except OSError:  # no stdout at all: nothing to keep clean
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _solver() -> Any:  # highspy is imported lazily: its types are not at hand here
    with _quiet_stdout():
        solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    return solver


def ranges(relations: Sequence[Relation]) -> list[CellRange]:
    """The range of every unknown of `relations`, in cell order."""
    found: list[CellRange] = []
    solver = _solver()
    for group in _components(relations):
        found += _group_ranges(solver, group)
    return sorted(found, key=lambda r: r.cell)


def _group_ranges(solver: Any, group: list[Relation]) -> list[CellRange]:
    cells = sorted({c for relation in group for c in relation.unknowns()})
    column = {cell: i for i, cell in enumerate(cells)}
    inf = highspy.kHighsInf
    solver.clearModel()
    solver.addVars(len(cells), np.zeros(len(cells)), np.full(len(cells), inf))
    for relation in group:
        # sum(parts) - total = 0, published numbers moved to the right-hand side
        coefficients: dict[int, float] = {}
        rhs = 0.0
        for sign, term in [(-1.0, relation.total), *((1.0, p) for p in relation.parts)]:
            if isinstance(term, Cell):
                coefficients[column[term]] = coefficients.get(column[term], 0.0) + sign
            else:
                rhs -= sign * term
        indices = np.array(list(coefficients), dtype=np.int32)
        values = np.array(list(coefficients.values()), dtype=np.float64)
        solver.addRow(rhs, rhs, len(indices), indices, values)
    result = []
    everything = np.arange(len(cells), dtype=np.int32)
    for i, cell in enumerate(cells):
        costs = np.zeros(len(cells))
        costs[i] = 1.0
        solver.changeColsCost(len(cells), everything, costs)
        lowest = _optimum(solver, highspy.ObjSense.kMinimize)
        highest = _optimum(solver, highspy.ObjSense.kMaximize)
        if lowest is None or highest is None:
            continue  # inconsistent published numbers: the project checks report those
        low = math.ceil(lowest - _SLACK)
        high = math.inf if math.isinf(highest) else math.floor(highest + _SLACK)
        result.append(CellRange(cell, float(low), float(high)))
    return result


def _optimum(solver: Any, sense: Any) -> float | None:
    solver.changeObjectiveSense(sense)
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kUnbounded:
        return math.inf if sense == highspy.ObjSense.kMaximize else -math.inf
    if status != highspy.HighsModelStatus.kOptimal:
        return None
    return float(solver.getInfo().objective_function_value)


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
    return PackageAudit(pkg.package, len(suppressed_cells(pkg)), ranges(relations_of(pkg)))


def problems_of(pkg: TambonPackage, audit: PackageAudit) -> list[Problem]:
    """A problem per disclosed cell, by file, row and field."""
    return [
        problem(pkg, r.cell.resource, r.cell.index, r.cell.field, CODE, _message(r))
        for r in audit.disclosed()
    ]


def _message(found: CellRange) -> str:
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


# --- the audit of a folder (`tambon audit`) --------------------------------------------------


@dataclass(frozen=True)
class FolderAudit:
    """What `tambon audit` found: the validation problems (then nothing was audited: the
    audit reads the typed tables of valid packages only), else a problem per disclosed cell
    and the numbers of the whole folder."""

    refs: list[PackageRef]
    invalid: list[Problem]
    problems: list[Problem]
    summary: AuditSummary | None


def _package(ref: PackageRef, root: Path, store: FileStore) -> TambonPackage:
    descriptor = discovery.descriptor_of(ref)
    folder = relative_file(ref.folder, root)
    files = {
        str(r["name"]): f"{folder}/{r['path']}"
        for r in descriptor.get("resources", [])
        if isinstance(r, dict) and "name" in r and isinstance(r.get("path"), str)
    }
    return TambonPackage(
        package=ref.name,
        code=ref.tambon_code or ref.folder.name,
        folder_name=ref.folder.name,
        descriptor=descriptor,
        descriptor_file=relative_file(ref.descriptor_path, root),
        files=files,
        tables=table_reader.load_tables(ref, store),
    )


def audit_folder(data: Path, cache_dir: Path | None = None) -> FolderAudit:
    """Validates the packages in `data` (`validate.check_folder`, which raises FolderUnusable
    for a folder of none), then audits every tambon package of a valid folder."""
    report = validate.check_folder(data, cache_dir=cache_dir)
    if report.problems:
        return FolderAudit(report.refs, report.problems, [], None)
    store = FileStore()
    audits, problems = [], []
    for ref in report.refs:
        if ref.kind != "tambon":
            continue
        pkg = _package(ref, Path(data), store)
        audit = audit_package(pkg)
        audits.append(audit)
        problems += problems_of(pkg, audit)
    return FolderAudit(report.refs, [], problems, summarise(audits))


def summary_text(summary: AuditSummary) -> str:
    """The audit's numbers in one paragraph (English, as `tambon validate` reports)."""
    if summary.in_relations == 0:
        return (
            f"{summary.packages} tambon packages audited: {summary.suppressed} suppressed cells,"
            " none inside a published total"
        )
    verdict = (
        f"{summary.disclosed} can be worked out to fewer than {MIN_RANGE} values"
        f" ({summary.exact} exactly, {summary.two_values} to two values)"
        if summary.disclosed
        else f"none can be worked out to fewer than {MIN_RANGE} values"
    )
    widest = "unbounded" if summary.widest is None else f"{summary.widest:.0f}"
    return (
        f"{summary.packages} tambon packages audited: {summary.suppressed} suppressed cells,"
        f" {summary.in_relations} inside published totals; {verdict}; the narrowest range"
        f" is {summary.narrowest:.0f} wide, the widest bounded one {widest}"
    )
