"""The weakest BMN indicators and the plan projects that answer them (issue 13, item 2)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.stats import plans


def test_every_category_answers_known_indicators_and_every_indicator_has_a_category():
    numbers = {i.number for i in cl.BMN_INDICATORS}
    assert set(cl.CATEGORY_INDICATORS) == set(cl.codes(cl.STRATEGIC_CATEGORIES))
    answered = {n for ns in cl.CATEGORY_INDICATORS.values() for n in ns}
    assert answered <= numbers
    assert numbers - answered == set(), "an indicator no category of the plan can answer"
    assert cl.categories_answering(22) == ("income", "agriculture", "debt")


def _projects() -> pd.DataFrame:
    return pd.DataFrame({
        "tambon_code": ["800106", "800106", "800106", "800114"],
        "project_id": ["P01", "P02", "P03", "P01"],
        "category": ["income", "health", "debt", "income"],
        "status": ["proposed", "completed", "cancelled", "funded"],
        "budget_baht": [10_000.0, 20_000.0, 30_000.0, 40_000.0],
    })  # fmt: skip


def test_projects_answering_follow_the_category_and_leave_cancelled_out():
    found = plans.projects_answering(
        [22, 6, 31], _projects()[lambda f: f["tambon_code"] == "800106"]
    )
    assert list(found[22]["project_id"]) == ["P01"]  # P03 (debt) is cancelled
    assert list(found[6]["project_id"]) == ["P02"]
    assert found[31].empty


def test_indicator_response_counts_the_weak_tambons_that_plan_an_answer():
    weakest = {"800106": [22, 31], "800114": [22], "800119": [22]}
    frame = plans.indicator_response(weakest, _projects()).set_index("indicator")
    assert list(frame.index) == [22, 31]  # most often weakest first
    assert frame.loc[22, "tambons_weak"] == 3
    assert frame.loc[22, "tambons_answered"] == 2  # 800119 has no project
    assert frame.loc[22, "projects"] == 2 and frame.loc[22, "budget_baht"] == 50_000
    assert frame.loc[31, "tambons_answered"] == 0


def test_the_methodology_page_shows_the_mapping_the_code_uses():
    text = (Path(__file__).resolve().parents[1] / "docs" / "methodology.md").read_text("utf-8")
    shown = dict(re.findall(r"^\| [^|(]+ \((\w+)\) \| ([\d, ]+) \|$", text, re.M))
    assert {c: tuple(int(n) for n in ns.split(", ")) for c, ns in shown.items()} == (
        cl.CATEGORY_INDICATORS
    )
