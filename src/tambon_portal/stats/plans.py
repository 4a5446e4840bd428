"""The community master plans rolled up: every project of every tambon, budget by funding
source, status and year, and the issues tambons share (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer
from tambon_portal.stats import area_rollups, plan_progress
from tambon_portal.stats.aggregate import Tables

# --- master plans ----------------------------------------------------------------------------

PLAN_PROJECT_COLUMNS: list[str] = [
    "tambon_code", "tambon_name_th", "district_code", "district_name_th", "project_id",
    "issue_no", "category", "category_th", "issue_title_th", "village_code", "title_th",
    "budget_baht", "funding_source", "funding_source_th", "responsible_th", "year_be",
    "status", "status_th", "funded_baht", "spent_baht", "amount_note_th",
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
    for column in ("funded_baht", "spent_baht", "amount_note_th"):  # a package written before
        if column not in merged:
            merged[column] = None
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
    for column in plan_progress.MONEY:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Float64")
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
    tambons: Mapping[str, Tables],
    parts: Mapping[str, pd.DataFrame] | None = None,
    bmn_rates: pd.DataFrame | None = None,
    histories: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, pd.DataFrame]:
    """Master-plan totals: by_category, by_funding_source, by_status, by_year, shared_issues,
    and projects_all (`plan_projects_all`, which the totals are computed from; `parts` as
    there); the plans followed to results: history_all (every status step; `histories` as
    `plan_progress.history_all`'s), moves_by_year
    and progress (per tambon, district and province: `plan_progress`); and
    indicator_response (`indicator_response` of the tambons' weakest BMN indicators, read
    from `bmn_rates`, `area_rollups.bmn_indicator_rates_by_area` of `tambons`, computed
    here when not given).

    by_category counts projects by the category of the issue they serve.
    """
    projects = plan_projects_all(tambons, parts)
    history = plan_progress.history_all(tambons, histories)
    if bmn_rates is None:
        bmn_rates = area_rollups.bmn_indicator_rates_by_area(tambons)
    return {
        "indicator_response": indicator_response(weakest_of_area_rates(bmn_rates), projects),
        "history_all": history,
        "moves_by_year": plan_progress.moves_by_year(history),
        "progress": plan_progress.progress_by_area(projects, history),
        "projects_all": projects,
        "by_category": _rollup_by(projects, "category", cl.STRATEGIC_CATEGORIES),
        "by_funding_source": _rollup_by(projects, "funding_source", cl.FUNDING_SOURCES),
        "by_status": _rollup_by(projects, "status", cl.PROJECT_STATUSES),
        "by_year": _rollup_by_year(projects),
        "shared_issues": _shared_issues(tambons),
    }


# --- weakest indicators -> the projects that answer them (issue 13, item 2) ------------------

# A cancelled project answers nothing.
NOT_ANSWERING = ("cancelled",)
RESPONSE_COLUMNS = [
    "indicator", "label_th", "group", "tambons_weak", "tambons_answered", "projects",
    "budget_baht",
]  # fmt: skip


def _answering(projects: pd.DataFrame, indicator: int) -> pd.DataFrame:
    categories = cl.categories_answering(indicator)
    live = ~projects["status"].isin(NOT_ANSWERING)
    return projects[projects["category"].isin(categories) & live]


def projects_answering(indicators: Sequence[int], projects: pd.DataFrame
                       ) -> dict[int, pd.DataFrame]:  # fmt: skip
    """Each indicator -> the projects (`tambon_projects` rows: they carry their issue's
    category) whose category works on it (`codelists.CATEGORY_INDICATORS`), cancelled ones
    left out; an indicator no project answers maps to an empty frame."""
    if projects.empty:
        return {int(i): projects for i in indicators}
    return {int(i): _answering(projects, int(i)) for i in indicators}


def indicator_response(weakest: Mapping[str, Sequence[int]], projects: pd.DataFrame
                       ) -> pd.DataFrame:  # fmt: skip
    """Per BMN indicator, over the tambons that have it among their weakest (`weakest`:
    tambon code -> its weakest indicators): how many, how many of them have a project that
    answers it, and those projects and their budget (`plan_projects_all`). Indicators that
    are no tambon's weakest are left out; the most often weakest first."""
    rows = []
    for indicator in cl.BMN_INDICATORS:
        weak = sorted(code for code, numbers in weakest.items() if indicator.number in numbers)
        if not weak:
            continue
        mine = projects[projects["tambon_code"].isin(weak)] if not projects.empty else projects
        answering = _answering(mine, indicator.number) if not mine.empty else mine
        rows.append({
            "indicator": indicator.number, "label_th": indicator.th, "group": indicator.group,
            "tambons_weak": len(weak),
            "tambons_answered": int(answering["tambon_code"].nunique()) if len(answering) else 0,
            "projects": len(answering),
            "budget_baht": float(pd.to_numeric(answering["budget_baht"]).sum())
            if len(answering) else 0.0,
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=RESPONSE_COLUMNS)
    frame = frame.sort_values(["tambons_weak", "indicator"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True).astype(
        {"indicator": "Int64", "tambons_weak": "Int64", "tambons_answered": "Int64",
         "projects": "Int64", "budget_baht": "Float64"}
    )  # fmt: skip


def weakest_of_area_rates(bmn_rates: pd.DataFrame) -> dict[str, list[int]]:
    """`weakest_by_tambon` read from the tambon rows of
    `area_rollups.bmn_indicator_rates_by_area` (the same rates a profile's table shows)."""
    if bmn_rates.empty:
        return {}
    rows = bmn_rates[bmn_rates["level"] == "tambon"]
    return weakest_by_tambon(
        {str(code): frame for code, frame in rows.groupby("area_code", sort=True)}
    )


def weakest_by_tambon(rates: Mapping[str, pd.DataFrame]) -> dict[str, list[int]]:
    """Tambon code -> its weakest indicators, as its profile lists them (`rates`: each
    tambon's `area_rollups.bmn_indicator_rates`)."""
    return {
        code: [int(i) for i in area_rollups.weakest_indicators(frame)["indicator"]]
        for code, frame in rates.items()
    }  # fmt: skip
