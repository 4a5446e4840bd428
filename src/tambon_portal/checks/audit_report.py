"""`tambon audit`: the disclosure audit of a folder of packages, with its numbers (cells
suppressed, how many sit inside published totals, the narrowest and widest range). `tambon
validate` runs the same audit as one of its project checks and stops at the first verdict;
this command gives every range."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tambon_portal.checks import validate, workers
from tambon_portal.checks.disclosure_audit import (
    MIN_RANGE,
    AuditSummary,
    PackageAudit,
    audit_package,
    problems_of,
    summarise,
)
from tambon_portal.checks.tambon_package import TambonPackage
from tambon_portal.checks.validate_files import relative_file
from tambon_portal.core.problems import Problem
from tambon_portal.packages import discovery, table_reader
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
    items = [(ref, Path(data)) for ref in report.refs if ref.kind == "tambon"]
    audited = workers.map_in_processes(_audit_one, items, workers.worker_count(len(items)))
    audits = [audit for audit, _ in audited]
    problems = [problem for _, found in audited for problem in found]
    return FolderAudit(report.refs, [], problems, summarise(audits))


def _audit_one(item: tuple[PackageRef, Path]) -> tuple[PackageAudit, list[Problem]]:
    """One package read and audited (in a worker process: packages are independent)."""
    ref, root = item
    pkg = _package(ref, root, FileStore())
    audit = audit_package(pkg)
    return audit, problems_of(pkg, audit)


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
