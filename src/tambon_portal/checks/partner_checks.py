"""Step 9 of `tambon validate`: a partners package (`core.schemas.partners`) against the tambon
packages whose projects it links.

Within the package its schema holds the rules (frictionless reports them): a link to a partner
id the package does not list is a foreign-key problem, the same partner twice in one role of
one project a primary-key one, a person's name in place of an organisation's the privacy
scan's (`privacy`, the name column of a list with a code column). Here, what needs the tambons
too: a link to a tambon or project that is not in the data, an amount on a role that gives no
money, and funding that adds up to more than the project's budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from tambon_portal.checks import verdict_cache
from tambon_portal.checks.tambon_package import TambonPackage, problem, read_package
from tambon_portal.core import codelists as cl
from tambon_portal.core.problems import Problem
from tambon_portal.core.schemas import partners as ps
from tambon_portal.packages import discovery
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore

_LINKS = "project_partners"


def is_partners_ref(ref: PackageRef) -> bool:
    """A generic package whose descriptor lists the partners resources."""
    if ref.kind != "generic" or ref.descriptor_pickle is None:
        return False
    resources = discovery.descriptor_of(ref).get("resources") or []
    return ps.is_partners_package(r.get("name") for r in resources if isinstance(r, dict))


def _budgets(tambons: Mapping[str, TambonPackage]) -> dict[str, dict[str, float | None]]:
    """Tambon code -> project id -> budget, of the tambons whose plan_projects is clean."""
    found = {}
    for code, pkg in tambons.items():
        projects = pkg.tables.get("plan_projects")
        if projects is not None:
            budgets = pd.to_numeric(projects["budget_baht"], errors="coerce")
            found[code] = {
                str(p): (None if pd.isna(b) else float(b))
                for p, b in zip(projects["project_id"], budgets, strict=True)
            }
    return found


def check_links(partners: TambonPackage, tambons: Mapping[str, TambonPackage],
                present: set[str] | None = None) -> list[Problem]:  # fmt: skip
    """The problems of a partners package's links against the tambon packages of the tree
    (tambon code -> package). `present`: every tambon code with a package (default: those of
    `tambons`); a tambon there but not in `tambons`, whose package has problems of its own, is
    known but its projects are not checked."""
    present = set(tambons) if present is None else present
    links = partners.tables.get(_LINKS)
    if links is None:
        return []
    budgets = _budgets(tambons)
    problems: list[Problem] = []
    funded: dict[tuple[str, str], float] = {}

    def report(index: int, column: str, code: str, message: str) -> None:
        problems.append(problem(partners, _LINKS, index, column, code, message))

    for index, row in enumerate(links.itertuples(index=False)):
        tambon, project = str(row.tambon_code), str(row.project_id)
        amount = None if pd.isna(row.amount_baht) else float(row.amount_baht)
        if tambon not in present:
            report(index, "tambon_code", "partner-unknown-tambon",
                   f"tambon {tambon} has no package in this data; link only projects of"
                   " tambons published here (ตำบลนี้ไม่มีในข้อมูล)")  # fmt: skip
        elif tambon in budgets and project not in budgets[tambon]:
            report(index, "project_id", "partner-unknown-project",
                   f"tambon {tambon}'s plan_projects has no project {project}; use an id of"
                   " its plan (ไม่มีโครงการนี้ในแผนของตำบล)")  # fmt: skip
        if amount is not None and row.role != cl.FUNDING_ROLE:
            report(index, "amount_baht", "partner-amount-role",
                   f"an amount is given for role '{row.role}', which gives no money; leave"
                   f" amount_baht empty, or make the role '{cl.FUNDING_ROLE}'")  # fmt: skip
        elif amount is not None:
            key = (tambon, project)
            funded[key] = funded.get(key, 0.0) + amount
            budget = budgets.get(tambon, {}).get(project)
            if budget is not None and funded[key] > budget >= funded[key] - amount:
                report(index, "amount_baht", "partner-over-budget",
                       f"the partners of project {project} of tambon {tambon} fund"
                       f" {funded[key]:,.0f} baht up to this row, more than its budget of"
                       f" {budget:,.0f} baht in plan_projects; correct the amounts or the"
                       " budget (เงินสนับสนุนเกินงบโครงการ)")  # fmt: skip
    return problems


def tree_problems(
    refs: Sequence[PackageRef], root: Path, store: FileStore, problems: Sequence[Problem],
    cache: verdict_cache.VerdictCache | None = None,
) -> list[Problem]:  # fmt: skip
    """Every partners package of the tree checked against the tambon packages, once it passed
    its own checks (a broken link table is reported by those). With `cache`, kept under every
    file of the packages it read."""
    broken = {p.package for p in problems}
    tambons = [ref for ref in refs if ref.kind == "tambon" and ref.tambon_code]
    found: list[Problem] = []
    for ref in refs:
        if ref.name in broken or not is_partners_ref(ref):
            continue

        def check(ref: PackageRef = ref) -> list[Problem]:
            packages = {t.tambon_code: read_package(t, root, store, ["plan_projects"])
                        for t in tambons if t.name not in broken}  # fmt: skip
            present = {str(t.tambon_code) for t in tambons}
            return check_links(read_package(ref, root, store), packages, present)  # type: ignore[arg-type]

        found += cache.across([ref, *tambons], check) if cache is not None else check()
    return found
