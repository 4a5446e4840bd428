"""The disclosure audit across levels (issue 11): a province's area totals
(`core.schemas.areas`) with the tambon packages they add up.

A district's total is the sum of its tambons' rows; a reader who subtracts the published ones
learns the sum of the suppressed ones, and, when one alone is suppressed, that cell. So the
relations of one province are audited together: every relation of each tambon package
(`disclosure_audit.relations_of`), each area row's own (passed + failed = surveyed; under the
income line = failed of the income indicator), and for each area, year and count: the area's
cell = the sum of its tambons' cells (`area_tambons` says which). A cell is named by its
package as well (`disclosure_audit.qualified_resource`): two tambons both have a row 3 of
`bmn_results`.

The area package is read as a `TambonPackage` whose code is the province's, so the problems
name its files, rows and fields as a tambon's are named.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from tambon_portal.checks import disclosure_audit as audit
from tambon_portal.checks.disclosure_audit import (
    CountColumns,
    Relation,
    Term,
    qualified_resource,
    split_resource,
)
from tambon_portal.checks.tambon_package import TambonPackage, problem
from tambon_portal.core import codelists as cl
from tambon_portal.core.problems import Problem
from tambon_portal.core.schemas import areas

T = TypeVar("T")


def is_area_package(tables: Mapping[str, object]) -> bool:
    return "area_tambons" in tables and any(name in tables for name in areas.SUMMED)


def coverage(area: TambonPackage) -> dict[str, list[str]]:
    """Area code -> the tambons its totals add up, in code order."""
    frame = area.tables["area_tambons"]
    found: dict[str, list[str]] = {}
    for code, tambon in zip(frame["area_code"].astype(str), frame["tambon_code"].astype(str),
                            strict=True):  # fmt: skip
        found.setdefault(code, []).append(tambon)
    return {code: sorted(tambons) for code, tambons in found.items()}


def _tambon_rows(pkg: TambonPackage, resource: str) -> dict[tuple[str, ...], int]:
    """(year, indicator) -> row position of the tambon's own BMN rows; (year,) -> row of its
    income summary: the rows an area total adds up."""
    frame = pkg.tables.get(resource)
    if frame is None:
        return {}
    years = frame["year_be"].astype(str).tolist()
    if resource == "bmn_results":
        own = (frame["area_level"].astype(str) == "tambon") & (
            frame["area_code"].astype(str) == pkg.code
        )
        indicators = frame["indicator"].astype(str).tolist()
        return {(years[i], indicators[i]): i for i in np.flatnonzero(own.to_numpy()).tolist()}
    return {(year,): i for i, year in enumerate(years)}


def _keys(frame, resource: str) -> list[tuple[str, ...]]:
    years = frame["year_be"].astype(str).tolist()
    if resource == "area_bmn_results":
        return list(zip(years, frame["indicator"].astype(str).tolist(), strict=True))
    return [(year,) for year in years]


# The cells of a tambon's own rows that the area totals add up, as terms:
# summed resource (`areas.SUMMED`) -> row key (`_tambon_rows`) -> field -> its term.
RowTerms = dict[str, dict[tuple[str, ...], dict[str, Term]]]


def tambon_row_terms(pkg: TambonPackage) -> RowTerms:
    """The cells of `pkg` an area total can add up, each made a term once."""
    found: RowTerms = {}
    for summed, fields in areas.SUMMED.values():
        if summed not in pkg.tables:
            continue
        counts = CountColumns(pkg.tables[summed], qualified_resource(pkg.package, summed))
        columns = {f: column for f in fields if (column := counts.column(f)) is not None}
        found[summed] = {
            key: {field: column[position] for field, column in columns.items()}
            for key, position in _tambon_rows(pkg, summed).items()
        }
    return found


def cross_relations(
    area: TambonPackage, tambons: Mapping[str, RowTerms], hiding_only: bool = False
) -> Iterator[Relation]:
    """Each area cell = the sum of its tambons' cells (`tambons`: each one's row terms), where
    every tambon of its coverage has the row (else the total is not their sum, and a reader
    cannot rely on it)."""
    covered = coverage(area)
    for resource, (summed, fields) in areas.SUMMED.items():
        frame = area.tables.get(resource)
        if frame is None or frame.empty:
            continue
        counts = CountColumns(frame, qualified_resource(area.package, resource))
        codes = frame["area_code"].astype(str).tolist()
        for position, (code, key) in enumerate(zip(codes, _keys(frame, resource), strict=True)):
            members = covered.get(code, [])
            found = [tambons[t][summed].get(key) for t in members
                     if summed in tambons.get(t, {})]  # fmt: skip
            if not members or len(found) != len(members) or any(r is None for r in found):
                continue
            for field in fields:
                total = counts.column(field)
                if total is None or any(field not in row for row in found):  # type: ignore[operator]
                    continue
                relation = Relation(total[position], tuple(row[field] for row in found))  # type: ignore[index]
                if not hiding_only or relation.unknowns():
                    yield relation


def row_relations(area: TambonPackage) -> Iterator[Relation]:
    """Each area row's own: passed + failed = surveyed; households under the income line =
    failed of the income-line indicator (as in a tambon's tables)."""
    bmn, income = area.tables.get("area_bmn_results"), area.tables.get("area_income")
    line: dict[tuple[str, str], Term] = {}
    if bmn is not None and not bmn.empty:
        counts = CountColumns(bmn, qualified_resource(area.package, "area_bmn_results"))
        surveyed, passed, failed = (counts.column(f) for f in ("surveyed", "passed", "failed"))
        keys = zip(bmn["area_code"].astype(str), _keys(bmn, "area_bmn_results"), strict=True)
        for position, (code, (year, indicator)) in enumerate(keys):
            yield Relation(surveyed[position], (passed[position], failed[position]))  # type: ignore[index]
            if indicator == str(cl.INCOME_LINE_INDICATOR):
                line[(code, year)] = failed[position]  # type: ignore[index]
    if income is not None and not income.empty:
        below = CountColumns(income, qualified_resource(area.package, "area_income")).column(
            "households_below_line"
        )
        keys = zip(income["area_code"].astype(str), income["year_be"].astype(str), strict=True)
        for position, key in enumerate(keys):
            if key in line:
                yield Relation(below[position], (line[key],))  # type: ignore[index]


TambonRelations = Callable[[TambonPackage], list[Relation]]


def relations(
    area: TambonPackage,
    tambons: Mapping[str, TambonPackage],
    hiding_only: bool = False,
    of_tambon: TambonRelations | None = None,
) -> list[Relation]:
    """Every relation of a province: its tambons' (`of_tambon`, by default
    `disclosure_audit.relations_of` with qualified cells), its area rows', and between them."""

    def own_relations(pkg: TambonPackage) -> list[Relation]:
        return audit.relations_of(pkg, hiding_only=hiding_only, qualified=True)

    found = [r for pkg in tambons.values() for r in (of_tambon or own_relations)(pkg)]
    own = list(row_relations(area))
    found += [r for r in own if r.unknowns()] if hiding_only else own
    rows = {code: tambon_row_terms(pkg) for code, pkg in tambons.items()}
    found += cross_relations(area, rows, hiding_only)
    return found


def across_levels(area: TambonPackage, found: list[Relation]) -> list[Relation]:
    """Of `found` (a province's relations), those a province adds to its tambons' own audits:
    the groups of relations (`components`) that hold a cell of the area totals, and every
    relation without an unknown (protection follows a cell it hides into those). A group of
    one tambon's relations alone was cleared when that tambon was protected (and is audited
    with it): the totals above it cannot narrow what no relation joins to them."""
    prefix = qualified_resource(area.package, "")
    touching = [
        group for group in audit.components(found)
        if any(t.cell.resource.startswith(prefix) for r in group for t in r.terms())
    ]  # fmt: skip
    return [r for r in found if not r.unknowns()] + [r for group in touching for r in group]


def covered_tambons(area: TambonPackage, tambons: Mapping[str, T]) -> dict[str, T]:
    """The packages of `tambons` whose rows the area's totals add up."""
    wanted = {t for members in coverage(area).values() for t in members}
    return {code: pkg for code, pkg in tambons.items() if code in wanted}


def audit_province(area: TambonPackage, tambons: Mapping[str, TambonPackage]
                   ) -> audit.PackageAudit:  # fmt: skip
    """The audit an area package adds to its tambons' own (`across_levels`): the ranges of
    the cells in groups that reach the totals (tambon cells among them, named by package),
    and the area package's own suppressed cells."""
    return audited_area(area, tambons).province


@dataclass(frozen=True)
class AreaAudit:
    """A province audited whole (`audited_area`): each covered tambon's own audit (the
    groups the totals do not reach, cells named by package), the province's (the groups they
    reach, tambon cells among them), and the sums that do not add up."""

    tambons: list[audit.PackageAudit]
    province: audit.PackageAudit
    sums: list[Problem]


def audited_area(area: TambonPackage, tambons: Mapping[str, TambonPackage]) -> AreaAudit:
    """What `tambon audit` needs of a province and the tambons it covers, from one reading of
    each package, one set of relations and one program per group: each group is audited once,
    with the totals when they reach it, else as its tambon's own.

    A tambon's relations of published cells only are left out: a relation without an unknown
    joins no group (`cell_ranges.components`), and the sums are checked on the area's."""
    mine = covered_tambons(area, tambons)
    own = {pkg.package: _hiding_relations(pkg) for pkg in mine.values()}
    everything = relations(area, mine, of_tambon=lambda pkg: own[pkg.package])
    reaching = across_levels(area, everything)
    joined = set(reaching)
    found = [
        audit.PackageAudit(pkg.package, len(audit.suppressed_cells(pkg)),
                           audit.ranges([r for r in own[pkg.package] if r not in joined]))
        for pkg in mine.values()
    ]  # fmt: skip
    province = audit.PackageAudit(
        area.package, len(audit.suppressed_cells(area)), audit.ranges(reaching)
    )
    return AreaAudit(found, province, _sum_problems(area, mine, everything))


def _hiding_relations(pkg: TambonPackage) -> list[Relation]:
    return audit.relations_of(pkg, hiding_only=True, qualified=True)


def problems_of(packages: Iterable[TambonPackage], disclosed: Iterable[audit.CellRange]
                ) -> list[Problem]:  # fmt: skip
    """A problem per disclosed cell, named by the file, row and field of its own package."""
    by_name = {pkg.package: pkg for pkg in packages}
    found = []
    for r in disclosed:
        package, resource = split_resource(r.cell.resource)
        found.append(problem(by_name[package], resource, r.cell.index, r.cell.field,
                             audit.CODE, audit.message_of(r)))  # fmt: skip
    return found


@dataclass(frozen=True)
class TambonPart:
    """What `check_parts` needs of one tambon package, small enough to keep between runs
    (`checks.validate` keeps it under the package's files): the package without its tables
    (its files name the problems), the cells the area totals add up (`tambon_row_terms`),
    and its relations that can meet those totals: the groups (`components`) of its hiding
    relations that hold one of those cells suppressed. A group without one shares no cell
    with a total, so the totals cannot narrow it: it is the tambon's own check's
    (`disclosure_audit.check_disclosure`). At Bangkok they were 8 % of a tambon's relations."""

    package: TambonPackage
    rows: RowTerms
    reaching: list[Relation]


def tambon_part(pkg: TambonPackage) -> TambonPart:
    rows = tambon_row_terms(pkg)
    hidden = {t.cell for by_key in rows.values() for terms in by_key.values()
              for t in terms.values() if t.value is None}  # fmt: skip
    own = _hiding_relations(pkg)
    meeting = set()
    for group in audit.components(own):
        if any(cell in hidden for relation in group for cell in relation.unknowns()):
            meeting.update(group)
    return TambonPart(dataclasses.replace(pkg, tables={}), rows, [r for r in own if r in meeting])


def check_province(
    area: TambonPackage, tambons: Mapping[str, TambonPackage], memo: audit.Memo | None = None
) -> list[Problem]:
    """`check_parts` of the packages themselves."""
    parts = {code: tambon_part(pkg) for code, pkg in covered_tambons(area, tambons).items()}
    return check_parts(area, parts, memo)


def check_parts(
    area: TambonPackage, tambons: Mapping[str, TambonPart], memo: audit.Memo | None = None
) -> list[Problem]:
    """`tambon validate`'s check of an area package, from its tambons' parts (`TambonPart`):
    a problem per cell (of it or of a tambon it covers) that the province's published
    numbers together narrow to fewer than `MIN_RANGE` values, and per area total whose
    published tambons do not add up to it. A group of one tambon's relations that no total
    meets is left to that tambon's own check: validate audits a province only once each of
    its tambons passed its own. `memo`: the disclosed cells of each group already solved
    (`cell_ranges.ranges`)."""
    mine = covered_tambons(area, tambons)
    everything = [r for part in mine.values() for r in part.reaching]
    everything += row_relations(area)
    everything += cross_relations(area, {code: part.rows for code, part in mine.items()})
    hiding = [r for r in everything if r.unknowns()]
    disclosed = audit.ranges(hiding, memo, disclosed_only=True)
    packages = [area, *(part.package for part in mine.values())]
    return _sum_problems(area, mine, everything) + problems_of(packages, disclosed)


def _sum_problems(area: TambonPackage, mine: Mapping[str, object],
                  everything: Iterable[Relation]) -> list[Problem]:  # fmt: skip
    """A covered tambon without a valid package, and area totals their parts do not add up to."""
    missing = sorted({t for m in coverage(area).values() for t in m} - set(mine))
    problems = [
        problem(area, "area_tambons", None, "tambon_code", "unknown-tambon",
                f"tambon {code} is listed as covered but no valid tambon package has that code;"
                " publish the area totals again with the tambons they add up")
        for code in missing
    ]  # fmt: skip
    return problems + _mismatches(area, everything)


def _mismatches(area: TambonPackage, found: Iterable[Relation]) -> list[Problem]:
    """An area total that its parts, all published, do not add up to: the area package is
    out of date (a tambon was published again without it) or edited by hand."""
    problems = []
    for r in found:
        package, resource = split_resource(r.total.cell.resource)
        if package != area.package or r.unknowns():
            continue
        parts = sum(p.value or 0 for p in r.parts)
        if r.total.value != parts:
            problems.append(problem(
                area, resource, r.total.cell.index, r.total.cell.field, "area-total-mismatch",
                f"this total is {r.total.value} but the published cells it adds up come to"
                f" {parts} (ตัวเลขรวมไม่ตรงกับผลรวม); publish the area totals again from the"
                " records with `tambon households publish`",
            ))  # fmt: skip
    return problems
