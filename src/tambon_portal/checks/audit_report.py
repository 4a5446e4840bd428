"""`tambon audit`: the disclosure audit of a folder of packages, with its numbers (cells
suppressed, how many sit inside published totals, the narrowest and widest range). `tambon
validate` runs the same audit as one of its project checks and stops at the first verdict;
this command gives every range."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tambon_portal.checks import area_audit, validate, workers
from tambon_portal.checks.disclosure_audit import (
    CODE,
    MIN_RANGE,
    AuditSummary,
    Cell,
    PackageAudit,
    audit_package,
    problems_of,
    summarise,
)
from tambon_portal.checks.tambon_package import TambonPackage, read_package
from tambon_portal.core import schemas
from tambon_portal.core.problems import Problem
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore


@dataclass(frozen=True)
class FolderAudit:
    """What `tambon audit` found: the validation problems (then nothing was audited: the
    audit reads the typed tables of valid packages only), else a problem per disclosed cell
    and the numbers of the whole folder."""

    refs: list[PackageRef]
    invalid: list[Problem]
    problems: list[Problem]
    summary: AuditSummary | None


def audit_folder(data: Path, cache_dir: Path | None = None) -> FolderAudit:
    """Validates the packages in `data` (`validate.check_folder`, which raises FolderUnusable
    for a folder of none), then audits every tambon package of a valid folder, and each
    province's area totals with its tambons.

    With `cache_dir`, the validation is the whole one, through the verdict cache (nearly free
    when `tambon validate` or a build has run). Without, it leaves out the disclosure audit and
    step 8 (the area totals), which the audit here does anyway, with the ranges: at a million
    households they were 80 % of the validation's time, so every package was audited twice.
    Either way, a cell the audit finds is its problem, not the validation's, and the audit
    takes each tambon's tables of counts as the validation typed them (`check_folder(keep=
    True)`): only the packages the cache answered are read again."""
    whole = cache_dir is not None
    # the tables the validation typed are the audit's (those the cache answered are read)
    report = validate.check_folder(data, cache_dir=cache_dir, audit=whole, keep=True)
    invalid = [p for p in report.problems if p.code != CODE]
    if invalid:
        return FolderAudit(report.refs, invalid, [], None)
    provinces = _provinces(report.refs, Path(data))
    covered = {ref for _, tambons, _ in provinces for ref in tambons}
    # a tambon no area package covers is audited alone; the others with their province,
    # from the one reading of it (a province's audit is the largest single task: provinces
    # in parallel, one per core)
    alone = [(ref, Path(data)) for ref in report.refs if ref.kind == "tambon"
             and ref not in covered]  # fmt: skip
    kept = {"packages": report.packages}  # forked workers inherit them: not pickled again
    audited = workers.map_sharing(_audit_one, alone, kept)
    across = workers.map_sharing(_audit_province, provinces, kept, per_worker=1)
    audits = [audit for audit, _ in audited]
    problems = [problem for _, found in audited for problem in found]
    # a tambon covered by two area packages: a cell either's totals reach is that one's
    reached = {r.cell for found, _ in across for r in found.province.ranges}
    for found, disclosed in across:
        audits += [_without(a, reached) for a in found.tambons] + [found.province]
        invalid += found.sums  # found already by a whole validation
        problems += disclosed
    if invalid:
        return FolderAudit(report.refs, invalid, [], None)
    return FolderAudit(report.refs, [], _unique(problems), summarise(_once(audits)))


Province = tuple[PackageRef, tuple[PackageRef, ...], Path]  # area totals, tambons, root


def _provinces(refs: list[PackageRef], root: Path) -> list[Province]:
    """Each area package of the folder with the tambon packages it covers."""
    store = FileStore()
    tambons = {ref.tambon_code: ref for ref in refs if ref.kind == "tambon" and ref.tambon_code}
    found = []
    for ref in refs:
        if ref.kind == "generic" and validate.is_area_package(ref):
            area = read_package(ref, root, store)
            covered = {t for m in area_audit.coverage(area).values() for t in m if t in tambons}
            found.append((ref, tuple(tambons[t] for t in sorted(covered)), root))
    return found


def _audit_province(shared: Mapping[str, Any], item: Province
                    ) -> tuple[area_audit.AreaAudit, list[Problem]]:  # fmt: skip
    """A province's area totals audited with its tambons (in a worker process), each package
    read once: the audit and a problem per cell it can work out."""
    area_ref, tambon_refs, root = item
    store = FileStore()
    area = read_package(area_ref, root, store)
    tambons = {ref.tambon_code or "": _counted(shared, ref, root, store) for ref in tambon_refs}
    found = area_audit.audited_area(area, tambons)
    disclosed = [r for a in (*found.tambons, found.province) for r in a.disclosed()]
    return found, area_audit.problems_of([area, *tambons.values()], disclosed)


def _counted(shared: Mapping[str, Any], ref: PackageRef, root: Path, store: FileStore
             ) -> TambonPackage:  # fmt: skip
    """A tambon package's tables of counts: as the validation typed them, else read."""
    kept = shared["packages"].get(ref.name)
    return kept or read_package(ref, root, store, schemas.COUNTED_RESOURCES)


def _without(found: PackageAudit, cells: set[Cell]) -> PackageAudit:
    """`found` (a tambon's own audit, cells named by package) without the ranges of
    `cells`."""
    return replace(found, ranges=[r for r in found.ranges if r.cell not in cells])


def _once(audits: list[PackageAudit]) -> list[PackageAudit]:
    """Each package's audit once: a tambon two area packages cover is audited with each."""
    return list({a.package: a for a in reversed(audits)}.values())


def _unique(problems: list[Problem]) -> list[Problem]:
    """A cell disclosed alone and with its province is reported once."""
    return list(dict.fromkeys(problems))


def _audit_one(shared: Mapping[str, Any], item: tuple[PackageRef, Path]
               ) -> tuple[PackageAudit, list[Problem]]:  # fmt: skip
    """One package audited (in a worker process: packages are independent)."""
    ref, root = item
    pkg = _counted(shared, ref, root, FileStore())
    audit = audit_package(pkg)
    return audit, problems_of(pkg, audit)


def summary_text(summary: AuditSummary) -> str:
    """The audit's numbers in one paragraph (English, as `tambon validate` reports)."""
    # tambon packages and the provinces' area totals
    audited = f"{summary.packages} package{'' if summary.packages == 1 else 's'} audited"
    if summary.in_relations == 0:
        return f"{audited}: {summary.suppressed} suppressed cells, none inside a published total"
    verdict = (
        f"{summary.disclosed} can be worked out to fewer than {MIN_RANGE} values"
        f" ({summary.exact} exactly, {summary.two_values} to two values)"
        if summary.disclosed
        else f"none can be worked out to fewer than {MIN_RANGE} values"
    )
    widest = "unbounded" if summary.widest is None else f"{summary.widest:.0f}"
    return (
        f"{audited}: {summary.suppressed} suppressed cells,"
        f" {summary.in_relations} inside published totals; {verdict}; the narrowest range"
        f" is {summary.narrowest:.0f} wide, the widest bounded one {widest}"
    )
