"""The plans followed to results (issue 13, item 2): how many projects moved, and the money
planned, funded and spent, per tambon, district and province (pure).

A project *moves* when it takes a step after its proposal (`plan_project_status`): a year's
moves are the projects with at least one such step dated in that Buddhist Era year
(calendar year: the dates are days, not fiscal years). A proposal is where a project starts,
not a move.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, settings
from tambon_portal.stats.aggregate import Tables

HISTORY = "plan_project_status"
FIRST_STEP = cl.STATUS_ORDER[0]  # proposed: a project's start, not a move

HISTORY_COLUMNS = [
    "tambon_code", "tambon_name_th", "district_code", "district_name_th", "project_id",
    "status", "status_th", "status_date", "year_be", "note_th",
]  # fmt: skip
MOVE_COLUMNS = ["year_be", "projects_moved", "funded", "completed", "cancelled"]
PROGRESS_COLUMNS = [
    "area_code", "area_level", "name_th", "tambons", "projects", "completed", "in_progress",
    "cancelled", "moved_year_be", "projects_moved", "budget_baht", "funded_baht", "spent_baht",
]  # fmt: skip
MONEY = ("budget_baht", "funded_baht", "spent_baht")


def _year_be(dates: pd.Series) -> pd.Series:
    return (pd.to_datetime(dates).dt.year + settings.BE_OFFSET).astype("Int64")


def tambon_history(code: str, tables: Tables) -> pd.DataFrame:
    """One tambon's status steps with its names, the status in Thai and the step's BE year,
    in the order they were taken (by project, then date)."""
    steps = tables.get(HISTORY)
    if steps is None or steps.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    facts = tables["tambon"].iloc[0]
    district = gazetteer.district(str(facts["district_code"]))
    frame = steps.copy()
    frame["tambon_code"] = code
    frame["tambon_name_th"] = facts["name_th"]
    frame["district_code"] = str(facts["district_code"])
    frame["district_name_th"] = district.name_th if district else str(facts["district_code"])
    frame["status_date"] = pd.to_datetime(frame["status_date"]).dt.strftime("%Y-%m-%d")
    frame["status_th"] = frame["status"].map(lambda s: cl.label(cl.PROJECT_STATUSES, str(s)))
    frame["year_be"] = _year_be(frame["status_date"])
    frame = frame.sort_values(["project_id", "status_date"], kind="stable")
    return frame[HISTORY_COLUMNS].reset_index(drop=True)


def history_all(
    tambons: Mapping[str, Tables], histories: Mapping[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """Every step of every tambon's projects (`tambon_history`), tambon by tambon;
    `histories`: each tambon's already made (a build keeps them with its roll-up parts)."""
    if histories is None:
        histories = {code: tambon_history(code, tables) for code, tables in tambons.items()}
    frames = [histories[code] for code in sorted(tambons) if not histories[code].empty]
    if not frames:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    for column in ("tambon_code", "tambon_name_th", "district_code", "district_name_th"):
        frame[column] = frame[column].astype("string")
    return frame


def moves_by_year(history: pd.DataFrame) -> pd.DataFrame:
    """Per BE year with steps: projects that moved, and how many were funded, completed or
    cancelled that year (a project counted once per year however many steps it took)."""
    moves = history[history["status"] != FIRST_STEP]
    rows = []
    for year, steps in moves.groupby("year_be", sort=True):
        key = steps["tambon_code"].astype(str) + "/" + steps["project_id"].astype(str)
        reached = {s: int(key[steps["status"] == s].nunique()) for s in ("funded", "completed")}
        rows.append({
            "year_be": int(year), "projects_moved": int(key.nunique()), **reached,
            "cancelled": int(key[steps["status"] == cl.CANCELLED].nunique()),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=MOVE_COLUMNS).astype("Int64")


def latest_year(history: pd.DataFrame) -> int | None:
    """The BE year of the latest step: the year whose moves a page leads with."""
    years = history["year_be"].dropna() if not history.empty else pd.Series(dtype="Int64")
    return int(years.max()) if len(years) else None


def money(projects: pd.DataFrame) -> dict[str, float]:
    """Baht planned (budget), funded and spent over `projects` (empty amounts count 0)."""
    return {
        c: float(pd.to_numeric(projects[c], errors="coerce").fillna(0).sum())
        if c in projects and len(projects) else 0.0
        for c in MONEY
    }  # fmt: skip


def _area_row(code: str, level: str, name: str, projects: pd.DataFrame, history: pd.DataFrame,
              year: int | None) -> dict:  # fmt: skip
    moved = history[(history["year_be"] == year) & (history["status"] != FIRST_STEP)]
    statuses = projects["status"].value_counts() if len(projects) else pd.Series(dtype=int)
    return {
        "area_code": code, "area_level": level, "name_th": name,
        "tambons": int(projects["tambon_code"].nunique()) if len(projects) else 0,
        "projects": len(projects),
        **{s: int(statuses.get(s, 0)) for s in ("completed", "in_progress", "cancelled")},
        "moved_year_be": year,
        "projects_moved": int((moved["tambon_code"] + "/" + moved["project_id"]).nunique())
        if year is not None else 0,
        **money(projects),
    }  # fmt: skip


def progress_by_area(projects: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """One row per tambon, per district and for each province of `projects`
    (`plans.plan_projects_all`): projects, how many are completed, in progress, cancelled,
    how many moved in the latest year of `history` (`history_all`), and the money."""
    year = latest_year(history)
    rows = []
    levels = (("province", 2, gazetteer.province), ("district", 4, gazetteer.district),
              ("tambon", 6, gazetteer.tambon))  # fmt: skip
    tambon_of_step = history["tambon_code"].astype(str)
    no_steps = history.iloc[0:0]
    for level, length, place in levels:
        codes = projects["tambon_code"].astype(str).str[:length] if len(projects) else []
        # Each area's projects and steps split once per level, not masked once per area.
        mine_of = dict(tuple(projects.groupby(codes, sort=False))) if len(projects) else {}
        steps_of = dict(tuple(history.groupby(tambon_of_step.str[:length], sort=False)))
        for code in sorted(set(codes)):
            known = place(code)
            name = known.name_th if known else code
            steps = steps_of.get(code, no_steps)
            rows.append(_area_row(code, level, name, mine_of[code], steps, year))
    frame = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    counts = ["tambons", "projects", "completed", "in_progress", "cancelled", "moved_year_be",
              "projects_moved"]  # fmt: skip
    return frame.astype({**dict.fromkeys(counts, "Int64"), **dict.fromkeys(MONEY, "Float64")})
