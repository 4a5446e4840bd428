"""The community master plans rolled up: every project of every tambon, budget by funding
source, status and year, and the issues tambons share (pure)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer
from tambon_portal.stats.aggregate import Tables

# --- master plans ----------------------------------------------------------------------------

PLAN_PROJECT_COLUMNS: list[str] = [
    "tambon_code", "tambon_name_th", "district_code", "district_name_th", "project_id",
    "issue_no", "category", "category_th", "issue_title_th", "village_code", "title_th",
    "budget_baht", "funding_source", "funding_source_th", "responsible_th", "year_be",
    "status", "status_th",
]  # fmt: skip


def tambon_projects(code: str, tables: Tables) -> pd.DataFrame:
    """One tambon's projects with its names and each project's issue: its part of
    `plan_projects_all`, which the build keeps per tambon."""
    projects = tables.get("plan_projects")
    if projects is None or projects.empty:
        return pd.DataFrame(columns=PLAN_PROJECT_COLUMNS)
    issues = tables.get("plan_issues", pd.DataFrame(columns=["issue_no", "category", "title_th"]))
    issues = issues[["issue_no", "category", "title_th"]].rename(
        columns={"title_th": "issue_title_th"}
    )
    facts = tables["tambon"].iloc[0]
    district_code = str(facts["district_code"])
    district = gazetteer.district(district_code)
    merged = projects.astype({"issue_no": "Int64"}).merge(
        issues.astype({"issue_no": "Int64"}), on="issue_no", how="left"
    )
    merged["tambon_code"] = code
    merged["tambon_name_th"] = facts["name_th"]
    merged["district_code"] = district_code
    merged["district_name_th"] = district.name_th if district else district_code
    return merged


def _label_column(codes: pd.Series, items: tuple[cl.Code, ...]) -> pd.Series:
    return codes.map(lambda c: cl.label(items, c) if isinstance(c, str) else c)


def plan_projects_all(
    tambons: Mapping[str, Tables], parts: Mapping[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """Every project of every master plan, with tambon/district names and its issue.
    `parts`: each tambon's `tambon_projects`, when the caller has them."""
    if parts is None:
        parts = {code: tambon_projects(code, tables) for code, tables in tambons.items()}
    frames = [parts[code] for code in sorted(parts)]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=PLAN_PROJECT_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    frame["category_th"] = _label_column(frame["category"], cl.STRATEGIC_CATEGORIES)
    frame["funding_source_th"] = _label_column(frame["funding_source"], cl.FUNDING_SOURCES)
    frame["status_th"] = _label_column(frame["status"], cl.PROJECT_STATUSES)
    frame["budget_baht"] = pd.to_numeric(frame["budget_baht"], errors="coerce").astype("Float64")
    frame["year_be"] = frame["year_be"].astype("Int64")
    for column in ("tambon_code", "tambon_name_th", "district_code", "district_name_th"):
        frame[column] = frame[column].astype("string")
    frame = frame[PLAN_PROJECT_COLUMNS].sort_values(["tambon_code", "project_id"], kind="stable")
    return frame.reset_index(drop=True)


def _rollup_by(projects: pd.DataFrame, column: str, items: tuple[cl.Code, ...]) -> pd.DataFrame:
    """Projects, budget and tambons per code, every code of the list shown (zeros included)."""
    rows = []
    for item in items:
        cells = projects[projects[column] == item.code]
        rows.append(
            {
                column: item.code,
                "label_th": item.th,
                "label_en": item.en,
                "projects": len(cells),
                "budget_baht": float(pd.to_numeric(cells["budget_baht"]).sum()),
                "tambons": int(cells["tambon_code"].nunique()),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.astype({"projects": "Int64", "budget_baht": "Float64", "tambons": "Int64"})


def _rollup_by_year(projects: pd.DataFrame) -> pd.DataFrame:
    rows = [
        {
            "year_be": int(year),
            "projects": len(cells),
            "budget_baht": float(pd.to_numeric(cells["budget_baht"]).sum()),
            "tambons": int(cells["tambon_code"].nunique()),
        }
        for year, cells in projects.groupby("year_be", sort=True)
    ]
    frame = pd.DataFrame(rows, columns=["year_be", "projects", "budget_baht", "tambons"])
    return frame.astype(
        {"year_be": "Int64", "projects": "Int64", "budget_baht": "Float64", "tambons": "Int64"}
    )


SHARED_ISSUE_COLUMNS = [
    "category", "category_th", "tambon_code", "tambon_name_th", "district_code", "issue_no",
    "title_th",
]  # fmt: skip


def _shared_issues(tambons: Mapping[str, Tables]) -> pd.DataFrame:
    """Per strategic category, the tambons that rank an issue in it (rank and title)."""
    rows = []
    for code in sorted(tambons):
        tables = tambons[code]
        issues = tables.get("plan_issues")
        if issues is None or issues.empty:
            continue
        facts = tables["tambon"].iloc[0]
        for _, issue in issues.iterrows():
            rows.append(
                {
                    "category": issue["category"],
                    "category_th": cl.label(cl.STRATEGIC_CATEGORIES, issue["category"]),
                    "tambon_code": code,
                    "tambon_name_th": facts["name_th"],
                    "district_code": str(facts["district_code"]),
                    "issue_no": int(issue["issue_no"]),
                    "title_th": issue["title_th"],
                }
            )
    frame = pd.DataFrame(rows, columns=SHARED_ISSUE_COLUMNS)
    order = {c: i for i, c in enumerate(cl.codes(cl.STRATEGIC_CATEGORIES))}
    frame = frame.assign(_order=frame["category"].map(order))
    frame = frame.sort_values(["_order", "issue_no", "tambon_code"], kind="stable")
    frame = frame.drop(columns="_order").reset_index(drop=True)
    return frame.astype({"issue_no": "Int64"})


def plan_rollup(
    tambons: Mapping[str, Tables], parts: Mapping[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    """Master-plan totals: by_category, by_funding_source, by_status, by_year, shared_issues,
    and projects_all (`plan_projects_all`, which the totals are computed from; `parts` as
    there).

    by_category counts projects by the category of the issue they serve.
    """
    projects = plan_projects_all(tambons, parts)
    return {
        "projects_all": projects,
        "by_category": _rollup_by(projects, "category", cl.STRATEGIC_CATEGORIES),
        "by_funding_source": _rollup_by(projects, "funding_source", cl.FUNDING_SOURCES),
        "by_status": _rollup_by(projects, "status", cl.PROJECT_STATUSES),
        "by_year": _rollup_by_year(projects),
        "shared_issues": _shared_issues(tambons),
    }
