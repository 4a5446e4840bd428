"""Plans followed to results, rolled up (issue 13, item 2): projects that moved per year, and
the money planned, funded and spent per tambon, district and province, against hand-counted
values, and the areas add up whatever the data (property test)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tambon_portal.core import codelists as cl
from tambon_portal.stats import plan_progress, plans

# Two tambons of district 8001 and one of 8002 (all Nakhon Si Thammarat, 80).
TAMBONS = {"800106": ("ท่าไร่", "8001"), "800114": ("มะม่วงสองต้น", "8001"),
           "800201": ("พรหมโลก", "8002")}  # fmt: skip


def tables(code: str, projects: list[tuple], steps: list[tuple]) -> dict[str, pd.DataFrame]:
    """projects: (id, status, budget, funded, spent); steps: (id, status, date)."""
    name, district = TAMBONS[code]
    return {
        "tambon": pd.DataFrame([{"tambon_code": code, "name_th": name, "district_code": district}]),
        "plan_issues": pd.DataFrame([{"issue_no": 1, "category": "income", "title_th": "ประเด็น"}]),
        "plan_projects": pd.DataFrame(
            [{"project_id": p, "issue_no": 1, "village_code": None, "title_th": p,
              "budget_baht": b, "funding_source": "community", "responsible_th": "ชุมชน",
              "year_be": 2568, "status": s, "funded_baht": f, "spent_baht": x,
              "amount_note_th": None} for p, s, b, f, x in projects]
        ),
        "plan_project_status": pd.DataFrame(
            [{"tambon_code": code, "project_id": p, "status": s, "status_date": d, "note_th": None}
             for p, s, d in steps]
        ),
    }  # fmt: skip


HAND = {
    "800106": tables(
        "800106",
        [("P01", "completed", 100_000, 90_000, 88_000), ("P02", "approved", 50_000, None, None)],
        [("P01", "proposed", "2024-11-01"), ("P01", "funded", "2024-12-20"),
         ("P01", "in_progress", "2025-02-01"), ("P01", "completed", "2025-06-30"),
         ("P02", "proposed", "2024-11-01"), ("P02", "approved", "2025-03-01")],
    ),
    "800201": tables(
        "800201",
        [("P01", "cancelled", 20_000, 20_000, 5_000)],
        [("P01", "proposed", "2024-10-05"), ("P01", "funded", "2024-10-30"),
         ("P01", "cancelled", "2025-01-15")],
    ),
}  # fmt: skip


def test_a_year_counts_each_moving_project_once_and_a_proposal_is_no_move():
    moves = plan_progress.moves_by_year(plan_progress.history_all(HAND))
    assert moves.to_dict("records") == [
        # 2567 (2024): 800106 P01 funded, 800201 P01 funded; the proposals are not moves
        {"year_be": 2567, "projects_moved": 2, "funded": 2, "completed": 0, "cancelled": 0},
        # 2568 (2025): 800106 P01 (two steps, once), P02; 800201 P01 cancelled
        {"year_be": 2568, "projects_moved": 3, "funded": 0, "completed": 1, "cancelled": 1},
    ]


def test_each_area_has_its_projects_moves_of_the_latest_year_and_money():
    rollup = plans.plan_rollup(HAND)
    rows = {r["area_code"]: r for r in rollup["progress"].to_dict("records")}
    assert list(rows) == ["80", "8001", "8002", "800106", "800201"]
    assert rows["80"] == {
        "area_code": "80", "area_level": "province", "name_th": "นครศรีธรรมราช", "tambons": 2,
        "projects": 3, "completed": 1, "in_progress": 0, "cancelled": 1, "moved_year_be": 2568,
        "projects_moved": 3, "budget_baht": 170_000.0, "funded_baht": 110_000.0,
        "spent_baht": 93_000.0,
    }  # fmt: skip
    assert (rows["8001"]["projects_moved"], rows["8001"]["funded_baht"]) == (2, 90_000.0)
    assert (rows["800201"]["name_th"], rows["800201"]["spent_baht"]) == ("พรหมโลก", 5_000.0)


def test_every_step_is_published_with_its_names_thai_status_and_year():
    history = plans.plan_rollup(HAND)["history_all"]
    first = history.iloc[0].to_dict()
    assert first == {
        "tambon_code": "800106", "tambon_name_th": "ท่าไร่", "district_code": "8001",
        "district_name_th": "เมืองนครศรีธรรมราช", "project_id": "P01", "status": "proposed",
        "status_th": "เสนอโครงการ", "status_date": "2024-11-01", "year_be": 2567,
        "note_th": None,
    }  # fmt: skip
    assert len(history) == 9


def test_a_tambon_without_status_history_has_its_money_and_no_moves():
    without = {code: {k: v for k, v in t.items() if k != "plan_project_status"}
               for code, t in HAND.items()}  # fmt: skip
    rollup = plans.plan_rollup(without)
    assert rollup["moves_by_year"].empty and rollup["history_all"].empty
    province = rollup["progress"].iloc[0]
    assert (province["projects_moved"], province["funded_baht"]) == (0, 110_000.0)


# --- property: the areas add up --------------------------------------------------------------

STATUSES = st.sampled_from(cl.codes(cl.PROJECT_STATUSES))
DATES = st.dates(
    min_value=pd.Timestamp("2023-01-01").date(), max_value=pd.Timestamp("2026-12-31").date()
)
AMOUNT = st.one_of(st.none(), st.integers(0, 5_000_000))


@st.composite
def tambon_tables(draw, code: str) -> dict[str, pd.DataFrame]:
    count = draw(st.integers(0, 6))
    projects = [(f"P{i:02d}", draw(STATUSES), draw(st.integers(0, 5_000_000)), draw(AMOUNT),
                 draw(AMOUNT)) for i in range(1, count + 1)]  # fmt: skip
    steps = [(p[0], draw(STATUSES), draw(DATES).isoformat())
             for p in projects for _ in range(draw(st.integers(0, 3)))]  # fmt: skip
    return tables(code, projects, steps)


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({code: tambon_tables(code) for code in TAMBONS}))
def test_tambons_add_up_to_their_district_and_districts_to_the_province(tambons):
    progress = plans.plan_rollup(tambons)["progress"]
    summed = ["projects", "completed", "in_progress", "cancelled", "projects_moved",
              "budget_baht", "funded_baht", "spent_baht"]  # fmt: skip
    by_level = {level: rows for level, rows in progress.groupby("area_level")}
    if "province" not in by_level:  # no tambon has a project
        assert progress.empty
        return
    province = by_level["province"][summed].sum()
    for level in ("district", "tambon"):
        assert (by_level[level][summed].sum() == province).all(), level
    assert province["projects"] == sum(len(t["plan_projects"]) for t in tambons.values())
