"""A tambon's plan followed to results (issue 13, item 2): its projects' money and status
history agree with each other.

- money: spent <= funded <= budget, unless `amount_note_th` says why; no money before the
  project was funded (a funded amount on a proposal is a typo or a status left behind);
- history: a project reaches each status once, forward along `codelists.STATUS_ORDER`
  (steps may be skipped; cancelled ends it), dates never go back, and its last step is the
  status `plan_projects` gives it.

A project with no history rows is allowed (a plan kept before histories were): its page then
shows its status alone. Pure functions of the typed tables frictionless found clean.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from tambon_portal.checks.tambon_package import TambonPackage, problem
from tambon_portal.core import codelists as cl
from tambon_portal.core.problems import Problem

PROJECTS, HISTORY = "plan_projects", "plan_project_status"


def _amount(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _has_reason(row: pd.Series) -> bool:
    note = row.get("amount_note_th")
    return isinstance(note, str) and bool(note.strip())


def check_amounts(pkg: TambonPackage) -> Iterator[Problem]:
    projects = pkg.tables.get(PROJECTS)
    if projects is None or "funded_baht" not in projects.columns:
        return
    for index, row in projects.iterrows():
        budget = _amount(row["budget_baht"])
        funded, spent = _amount(row["funded_baht"]), _amount(row["spent_baht"])
        rank = cl.status_rank(str(row["status"]))
        funded_rank = cl.status_rank(cl.FUNDED_FROM)
        if rank is not None and rank < funded_rank and (funded or spent):  # type: ignore[operator]
            field = "funded_baht" if funded else "spent_baht"
            yield problem(
                pkg, PROJECTS, index, field, "amount-before-funding",
                f"project {row['project_id']} is '{row['status']}' ("
                f"{cl.label(cl.PROJECT_STATUSES, str(row['status']))}) but has {field}"
                f" {funded or spent:,.0f}; money comes from status '{cl.FUNDED_FROM}' on: fix"
                " the status or empty the amount",
            )  # fmt: skip
            continue
        if _has_reason(row):
            continue
        if funded is not None and budget is not None and funded > budget:
            yield problem(
                pkg, PROJECTS, index, "funded_baht", "amount-over-budget",
                f"project {row['project_id']} was funded {funded:,.0f} baht, more than its"
                f" budget {budget:,.0f} (งบที่ได้รับเกินงบประมาณ); fix the amount or say why in"
                " amount_note_th",
            )  # fmt: skip
        if spent is not None and spent > (funded or 0):
            yield problem(
                pkg, PROJECTS, index, "spent_baht", "amount-over-funded",
                f"project {row['project_id']} spent {spent:,.0f} baht, more than it was funded"
                f" ({funded or 0:,.0f}) (เบิกจ่ายเกินงบที่ได้รับ); fix the amounts or say why"
                " in amount_note_th",
            )  # fmt: skip


Step = tuple[object, str, object]  # the row's index, its status and its status_date


def _step_problems(pkg: TambonPackage, project: str, steps: list[Step]) -> Iterator[Problem]:
    """One project's steps (sorted by date, then by order) go forward and end at most once."""
    last_rank, last_date, ended = -1, None, False
    for index, status, when in steps:
        rank = cl.status_rank(status)
        if ended:
            yield problem(
                pkg, HISTORY, index, "status", "status-after-cancelled",
                f"project {project} was cancelled on {last_date} but is '{status}' on {when};"
                " a cancelled project takes no further step: fix the dates or the status",
            )  # fmt: skip
        elif rank is not None and rank < last_rank:
            yield problem(
                pkg, HISTORY, index, "status", "status-backwards",
                f"project {project} is '{status}' on {when}, after a later step"
                f" ('{cl.STATUS_ORDER[last_rank]}' on {last_date}); the steps are"
                f" {' -> '.join(cl.STATUS_ORDER)}, or cancelled: fix the date or the status",
            )  # fmt: skip
        last_rank = rank if rank is not None else last_rank
        last_date, ended = when, ended or status == cl.CANCELLED


def check_history(pkg: TambonPackage) -> Iterator[Problem]:
    history, projects = pkg.tables.get(HISTORY), pkg.tables.get(PROJECTS)
    if history is None or history.empty or projects is None:
        return
    order = {s: i for i, s in enumerate((*cl.STATUS_ORDER, cl.CANCELLED))}
    # plain lists, not a pandas group per project: at national scale (7,436 plans) the
    # groups cost more than every other check of a package together
    statuses = history["status"].astype(str).tolist()
    rows = sorted(
        zip(pd.to_datetime(history["status_date"]).tolist(),
            [order.get(s, len(order)) for s in statuses],
            history.index.tolist(), history["project_id"].astype(str).tolist(), statuses,
            history["status_date"].tolist(), strict=True),
        key=lambda row: (row[0], row[1]),
    )  # fmt: skip
    steps: dict[str, list[Step]] = {}
    furthest: dict[str, tuple[int, str]] = {}
    for _, _, index, project, status, when in rows:
        steps.setdefault(project, []).append((index, status, when))
        # the furthest step, not the last dated: a step out of order is reported once, below
        rank = order.get(status, -1)
        if project not in furthest or rank > furthest[project][0]:
            furthest[project] = (rank, status)
    for project in sorted(steps):
        yield from _step_problems(pkg, project, steps[project])
    latest = {project: status for project, (_, status) in furthest.items()}
    given = zip(projects.index.tolist(), projects["project_id"].astype(str).tolist(),
                projects["status"].astype(str).tolist(), strict=True)  # fmt: skip
    for index, project, status in given:
        if project in latest and latest[project] != status:
            yield problem(
                pkg, PROJECTS, index, "status", "status-history-mismatch",
                f"project {project} is '{status}' here but its furthest step in {HISTORY} is"
                f" '{latest[project]}' (สถานะไม่ตรงกับประวัติ); add the step it took, with its"
                " date, or fix the status",
            )  # fmt: skip


CHECKS = (check_amounts, check_history)
