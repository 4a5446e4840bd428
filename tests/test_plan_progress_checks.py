"""Plans followed to results (issue 13, item 2), validated: a project's money goes spent <=
funded <= budget unless a reason is given, and its status history goes forward to the status
it has now. Each edit of the hand-made fixture breaks one rule, by file, row and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.tambon_package import CODE, write_tambon_package

from tambon_portal.checks import validate

PKG = f"80/{CODE}"
PROJECTS, HISTORY = f"{PKG}/data/plan_projects.csv", f"{PKG}/data/plan_project_status.csv"
OVER_BUDGET = [(PROJECTS, 3, "funded_baht", "amount-over-budget")]
OVER_FUNDED = [(PROJECTS, 3, "spent_baht", "amount-over-funded")]


def found(root: Path, edit) -> list[tuple]:
    write_tambon_package(root, edit=edit)
    return [(p.file, p.row, p.field, p.code) for p in validate.validate_tree(root, 2568)]


def set_cells(rows, row: int, **cells: str) -> None:
    for field, value in cells.items():
        rows[row - 1][rows[0].index(field)] = value


def funded_p02(tables, _desc, **cells: str) -> None:
    """P02 (budget 250,000.50) taken on to in_progress, its history with it."""
    set_cells(tables["plan_projects"], 3, status="in_progress", **cells)
    tables["plan_project_status"] += [
        [CODE, "P02", "approved", "2025-01-10", ""],
        [CODE, "P02", "funded", "2025-02-01", ""],
        [CODE, "P02", "in_progress", "2025-03-01", ""],
    ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [({"funded_baht": "250000", "spent_baht": "120000"}, []),
     ({"funded_baht": "250000.50", "spent_baht": "250000.50"}, []),
     ({"funded_baht": "300000", "spent_baht": "0"}, OVER_BUDGET),
     ({"funded_baht": "200000", "spent_baht": "210000"}, OVER_FUNDED),
     ({"funded_baht": "", "spent_baht": "1000"}, OVER_FUNDED),
     ({"funded_baht": "200000", "spent_baht": "210000", "amount_note_th": "ชุมชนสมทบเพิ่ม"}, []),
     ({"funded_baht": "300000", "spent_baht": "0", "amount_note_th": "อบจ. อนุมัติงบเพิ่ม"}, [])],
)  # fmt: skip
def test_spent_is_at_most_funded_and_funded_at_most_the_budget_unless_a_reason_is_given(
    tmp_path, cells, expected
):
    assert found(tmp_path, lambda t, d: funded_p02(t, d, **cells)) == expected


def test_money_on_a_project_not_yet_funded_is_a_problem_even_with_a_reason(tmp_path):
    edit = lambda t, d: set_cells(t["plan_projects"], 2, funded_baht="50000", amount_note_th="x")  # noqa: E731
    assert found(tmp_path, edit) == [(PROJECTS, 2, "funded_baht", "amount-before-funding")]


def test_a_status_the_history_does_not_end_with_is_a_problem_of_the_project_row(tmp_path):
    edit = lambda t, d: set_cells(t["plan_projects"], 3, status="approved")  # noqa: E731
    assert found(tmp_path, edit) == [(PROJECTS, 3, "status", "status-history-mismatch")]


def test_a_step_dated_after_a_later_step_goes_backwards(tmp_path):
    # P02: proposed 2024-11-01, in_lg_plan 2024-12-15; proposing it again later goes back
    edit = lambda t, d: set_cells(t["plan_project_status"], 3, status_date="2025-01-20")  # noqa: E731
    assert found(tmp_path, edit) == [(HISTORY, 3, "status", "status-backwards")]


def test_no_step_follows_a_cancellation(tmp_path):
    def edit(tables, _desc):
        tables["plan_project_status"].insert(3, [CODE, "P02", "cancelled", "2024-12-01", "ซ้ำ"])

    # the step after it, and the project row, which does not say cancelled
    assert found(tmp_path, edit) == [
        (HISTORY, 5, "status", "status-after-cancelled"),
        (PROJECTS, 3, "status", "status-history-mismatch"),
    ]


def test_a_step_of_a_project_that_does_not_exist_is_a_foreign_key_problem(tmp_path):
    edit = lambda t, d: set_cells(t["plan_project_status"], 2, project_id="P09")  # noqa: E731
    assert found(tmp_path, edit) == [(HISTORY, 2, None, "foreign-key")]


def test_a_buddhist_era_year_in_a_step_date_is_named(tmp_path):
    edit = lambda t, d: set_cells(t["plan_project_status"], 2, status_date="2567-11-01")  # noqa: E731
    assert (HISTORY, 2, "status_date", "be-date") in found(tmp_path, edit)


def test_a_package_written_before_status_histories_is_still_valid(tmp_path):
    def edit(tables, desc):
        del tables["plan_project_status"]
        desc["resources"] = [r for r in desc["resources"] if r["name"] != "plan_project_status"]

    assert found(tmp_path, edit) == []
