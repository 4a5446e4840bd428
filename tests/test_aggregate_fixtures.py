"""Hand-made tambon tables for the aggregate and chart tests (helpers only, no tests here).

`tambon_tables` builds typed frames the way `packages.load_tables` returns them (string codes,
`Int64` counts with <NA> for a suppressed "x", floats, booleans), small enough that every
expected number in the tests can be worked out by hand.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from tambon_portal.core import gazetteer
from tambon_portal.core.schemas import field_names

NA = pd.NA
YEAR = 2568


def _frame(resource: str, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=field_names(resource))
    for column in frame.columns:
        if column in INTEGER_COLUMNS:
            frame[column] = frame[column].astype("Int64")
        elif column in ("area_km2", "budget_baht"):
            frame[column] = frame[column].astype("float64")
        elif column == "pilot":
            frame[column] = frame[column].astype("bool")
        else:
            frame[column] = frame[column].astype("string")
    return frame


INTEGER_COLUMNS = {
    "villages", "households", "population", "year_be", "persons", "indicator", "surveyed",
    "passed", "failed", "households_surveyed", "median_income", "mean_income",
    "households_below_line", "households_with_debt", "mean_debt", "issue_no", "village_no",
    "start_year_be", "end_year_be",
}  # fmt: skip


def tambon_tables(
    code: str,
    *,
    pilot: bool = True,
    households: int = 100,
    population: int = 300,
    villages: int = 2,
    area_km2: float = 10.0,
    surveyed: int = 100,
    below_line: int | None = 20,
    with_debt: int | None = 50,
    median_income: int = 50_000,
    mean_income: int = 60_000,
    mean_debt: int | None = 100_000,
    bmn: Mapping[int, tuple[int, int | None, int | None]] | None = None,
    brackets: Mapping[str, int | None] | None = None,
    persons: Mapping[tuple[str, str], int | None] | None = None,
    occupations: Mapping[tuple[str, str], int | None] | None = None,
    issues: list[tuple[int, str, str]] | None = None,
    projects: list[tuple[str, int, float, str, int, str]] | None = None,
    year_be: int = YEAR,
) -> dict[str, pd.DataFrame]:
    """One tambon package's tables. bmn: indicator -> (surveyed, passed, failed), tambon level;
    projects: (project_id, issue_no, budget, funding_source, year_be, status)."""
    place = gazetteer.tambon(code)
    assert place is not None, code
    bmn = bmn if bmn is not None else {1: (surveyed, surveyed - 10, 10), 22: (surveyed, 80, 20)}
    brackets = brackets if brackets is not None else {"lt30k": 20, "38k-60k": 50, "60k-100k": 30}
    persons = persons if persons is not None else {("male", "0-4"): 10, ("female", "0-4"): 12}
    occupations = occupations if occupations is not None else {("rubber", "male"): 40}
    issues = issues if issues is not None else [(1, "income", "รายได้ไม่พอ")]
    projects = projects if projects is not None else [
        ("P01", 1, 10_000.0, "community", YEAR, "proposed")
    ]  # fmt: skip
    return {
        "tambon": _frame(
            "tambon",
            [
                {
                    "province_code": code[:2],
                    "district_code": code[:4],
                    "tambon_code": code,
                    "name_th": place.name_th,
                    "name_en": place.name_en,
                    "lg_type": "sao",
                    "lg_name_th": f"อบต.{place.name_th}",
                    "area_km2": area_km2,
                    "villages": villages,
                    "households": households,
                    "population": population,
                    "reference_date": "2025-10-01",
                    "pilot": pilot,
                }
            ],
        ),
        "population": _frame(
            "population",
            [
                {
                    "tambon_code": code,
                    "year_be": year_be,
                    "sex": sex,
                    "age_group": age,
                    "persons": n,
                }
                for (sex, age), n in persons.items()
            ],
        ),
        "bmn_results": _frame(
            "bmn_results",
            [
                {
                    "area_code": code,
                    "area_level": "tambon",
                    "year_be": year_be,
                    "indicator": i,
                    "surveyed": s,
                    "passed": p,
                    "failed": f,
                }
                for i, (s, p, f) in bmn.items()
            ]
            # A village row that must never be counted (villages are detail, not totals).
            + [
                {
                    "area_code": code + "01",
                    "area_level": "village",
                    "year_be": year_be,
                    "indicator": 1,
                    "surveyed": 999,
                    "passed": 0,
                    "failed": 999,
                }
            ],
        ),
        "income_brackets": _frame(
            "income_brackets",
            [
                {"tambon_code": code, "year_be": year_be, "bracket": b, "households": n}
                for b, n in brackets.items()
            ],
        ),
        "income_summary": _frame(
            "income_summary",
            [
                {
                    "tambon_code": code,
                    "year_be": year_be,
                    "households_surveyed": surveyed,
                    "median_income": median_income,
                    "mean_income": mean_income,
                    "households_below_line": below_line,
                    "households_with_debt": with_debt,
                    "mean_debt": mean_debt,
                }
            ],
        ),
        "occupations": _frame(
            "occupations",
            [
                {"tambon_code": code, "year_be": year_be, "occupation": o, "sex": s, "persons": n}
                for (o, s), n in occupations.items()
            ],
        ),
        "plan": _frame(
            "plan",
            [
                {
                    "tambon_code": code,
                    "title_th": "แผนแม่บทชุมชน",
                    "start_year_be": 2568,
                    "end_year_be": 2571,
                    "vision_th": "ชุมชนเข้มแข็ง",
                    "adopted_date": "2025-01-01",
                }
            ],
        ),
        "plan_issues": _frame(
            "plan_issues",
            [
                {
                    "tambon_code": code,
                    "issue_no": n,
                    "category": c,
                    "title_th": t,
                    "description_th": "",
                }
                for n, c, t in issues
            ],
        ),
        "plan_projects": _frame(
            "plan_projects",
            [
                {
                    "tambon_code": code,
                    "project_id": pid,
                    "issue_no": issue,
                    "village_code": None,
                    "title_th": f"โครงการ {pid}",
                    "budget_baht": budget,
                    "funding_source": source,
                    "responsible_th": "ชุมชน",
                    "year_be": year,
                    "status": status,
                }
                for pid, issue, budget, source, year, status in projects
            ],
        ),
    }


def small_province() -> dict[str, dict[str, pd.DataFrame]]:
    """Four tambons in two districts of province 80; 800201 is not a pilot tambon.

    Numbers are chosen so rates can be checked by hand (see test_aggregate.py).
    """
    return {
        "800101": tambon_tables(
            "800101", households=1000, population=3000, villages=10, surveyed=900,
            below_line=90, with_debt=450, median_income=55_000, mean_income=70_000,
            mean_debt=100_000,
            bmn={1: (900, 880, 20), 8: (900, 810, 90), 16: (300, 270, 30), 22: (900, 720, 180),
                 25: (2000, 1600, 400)},
            brackets={"lt30k": 40, "30k-38k": 50, "38k-60k": 400, "60k-100k": 300,
                      "100k-150k": 80, "ge150k": 30},
            persons={("male", "0-4"): 100, ("female", "0-4"): 90, ("male", "80+"): NA,
                     ("female", "80+"): 12},
            occupations={("rubber", "male"): 300, ("rubber", "female"): 200,
                         ("trade", "female"): 150, ("fishery", "male"): NA},
            issues=[(1, "income", "รายได้ไม่พอ"), (2, "debt", "หนี้นอกระบบ")],
            projects=[("P01", 1, 500_000.0, "local_government", 2568, "completed"),
                      ("P02", 2, 100_000.0, "community_fund", 2569, "proposed")],
        ),
        "800102": tambon_tables(
            "800102", households=500, population=1600, villages=5, surveyed=480,
            below_line=NA, with_debt=300, median_income=42_000, mean_income=50_000,
            mean_debt=NA,
            bmn={1: (480, 470, 10), 8: (480, 400, 80), 16: (100, NA, NA), 22: (480, 336, 144),
                 25: (1000, 700, 300)},
            brackets={"lt30k": 100, "30k-38k": 80, "38k-60k": 200, "60k-100k": 80,
                      "100k-150k": NA, "ge150k": 16},
            persons={("male", "0-4"): 60, ("female", "0-4"): NA},
            occupations={("rubber", "male"): 100, ("trade", "female"): 120},
            issues=[(1, "agriculture", "น้ำไม่พอทำเกษตร"), (2, "income", "ไม่มีอาชีพเสริม")],
            projects=[("P01", 1, 2_000_000.0, "government_agency", 2569, "in_progress"),
                      ("P02", 2, 50_000.0, "community", 2568, "completed"),
                      ("P03", 2, 30_000.0, "community", 2570, "cancelled")],
        ),
        "800201": tambon_tables(
            "800201", pilot=False, households=800, population=2500, villages=8, surveyed=790,
            below_line=237, with_debt=395, median_income=40_000, mean_income=45_000,
            mean_debt=80_000,
            bmn={1: (790, 700, 90), 8: (790, 632, 158), 16: (200, 150, 50), 22: (790, 553, 237),
                 25: (1500, 1200, 300)},
            brackets={"lt30k": 150, "30k-38k": 87, "38k-60k": 350, "60k-100k": 150,
                      "100k-150k": 40, "ge150k": 13},
            persons={("male", "0-4"): 80, ("female", "0-4"): 70},
            occupations={("rice", "male"): 250, ("rice", "female"): 240},
            issues=[(1, "income", "ราคายางตกต่ำ")],
            projects=[("P01", 1, 300_000.0, "province", 2568, "funded")],
        ),
        "800202": tambon_tables(
            "800202", households=300, population=900, villages=3, surveyed=8,
            below_line=NA, with_debt=NA, median_income=38_000, mean_income=40_000,
            mean_debt=NA,
            bmn={1: (8, 6, 2), 22: (8, NA, NA)},
            brackets={"lt30k": NA, "38k-60k": 6},
            persons={("male", "0-4"): 20, ("female", "0-4"): 25},
            occupations={("rice", "male"): 30},
            issues=[(1, "health", "ผู้สูงอายุขาดการดูแล")],
            projects=[],
            year_be=2567,
        ),
    }  # fmt: skip
