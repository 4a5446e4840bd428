"""The tambon profile's context: its key-figure cards beside district and province, with the
change from the previous survey and the rank; its BMN, people, income and plan sections (pure;
rendered by `page_parts.render`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import coverage, gazetteer, settings, urls
from tambon_portal.core import formatting as fmt
from tambon_portal.site.page_parts import (
    CARD_FIGURES,
    Tables,
    breadcrumb,
    first_row,
    place_name,
    records,
    render,
    terms,
    trusted,
)
from tambon_portal.stats import aggregate, area_rollups, plan_progress, plans, trends

# --- tambon profile --------------------------------------------------------------------------


NO_DATA_TH = "ยังไม่มีข้อมูลของตำบลนี้"
NO_DATA_EN = "No data published yet"


AREAS_BESIDE = ("district", "province")  # what a profile compares a tambon with


def area_headers(coverages: Mapping[str, coverage.Coverage]) -> list[dict[str, str]]:
    """Per area beside a tambon: the short label and share of what its figures cover
    ("ตำบลนำร่องในอำเภอ", "3 จาก 16 ตำบล"), for cards and table headers."""
    headers = []
    for level in AREAS_BESIDE:
        cov = coverages.get(level)
        headers.append(
            {"level": level, "label": coverage.short_th(cov), "share": coverage.share_th(cov)}
            if cov
            else {"level": level, "label": coverage.LEVEL_TH[level], "share": ""}
        )
    return headers


def change_view(rule: trends.Rule, change: trends.Change, kind: str) -> dict[str, Any]:
    """A change as a page shows it: arrow, words and the value it is compared with."""
    return {
        "status": change.status,
        "verdict": change.verdict,
        "arrow": trends.arrow(change),
        "words": trends.words_th(rule, change),
        # in a table cell: only a shown change is words; the table's note says what – is
        "cell": trends.words_th(rule, change) if change.status == "shown" else fmt.DASH,
        "since": trends.since_th(change, fmt.by_kind(change.previous, kind)),
        "since_short": trends.since_th(change, fmt.by_kind(change.previous, kind), year=False),
    }


def rank_view(rule: trends.Rule, rank: trends.Rank | None) -> dict[str, str] | None:
    if rank is None:
        return None
    return {"text": trends.rank_th(rank), "key": trends.rank_key_th(rule)}


def key_figure_cards(
    comparison: Mapping[str, Mapping[str, Any]],
    coverages: Mapping[str, coverage.Coverage] | None = None,
    changes: Mapping[str, trends.Change] | None = None,
    ranks: Mapping[str, trends.Rank] | None = None,
) -> list[dict[str, Any]]:
    """One card per `CARD_FIGURES`: the tambon's value, its change from the previous year
    and its rank (`trends`), and the district and province beside it, each saying what it
    covers (`coverage`)."""
    headers = area_headers(coverages or {})
    cards = []
    for figure, label, kind in CARD_FIGURES:
        values = comparison.get(figure)
        if not values:
            continue
        rule = trends.RULES[figure]
        change = (changes or {}).get(figure)
        cards.append(
            {
                "figure": figure,
                "label": label,
                "value": fmt.by_kind(values.get("tambon"), kind),
                "areas": [
                    {**h, "value": fmt.by_kind(values.get(h["level"]), kind)} for h in headers
                ],
                "sentence": values.get("sentence_th"),
                "change": change_view(rule, change, kind) if change else None,
                "rank": rank_view(rule, (ranks or {}).get(figure)),
            }
        )
    return cards


def project_steps(history: pd.DataFrame | None) -> dict[str, list[dict[str, Any]]]:
    """Project id -> the steps it took (status in Thai, date, note), in the order taken
    (`plan_progress.tambon_history`)."""
    steps: dict[str, list[dict[str, Any]]] = {}
    for row in records(history):
        steps.setdefault(str(row["project_id"]), []).append(
            {"status_th": row["status_th"], "date": row["status_date"], "note_th": row["note_th"]}
        )
    return steps


Steps = Mapping[str, list[dict[str, Any]]]  # project id -> its steps (`project_steps`)


def projects_by_issue(issues: pd.DataFrame | None, projects: pd.DataFrame | None,
                      steps: Steps | None = None) -> list[dict]:  # fmt: skip
    """Ranked strategic issues, each with its projects (budget, source, body, year, status,
    money funded and spent, and the steps it took: `project_steps`)."""
    project_rows = records(projects)
    for row in project_rows:
        row["funding_source_th"] = cl.label(cl.FUNDING_SOURCES, row.get("funding_source") or "")
        row["status_th"] = cl.label(cl.PROJECT_STATUSES, row.get("status") or "")
        village = row.get("village_code")
        row["where_th"] = f"หมู่ที่ {int(str(village)[6:])}" if village else "ทั้งตำบล"
        row["anchor"] = urls.project_anchor(str(row["project_id"]))
        row["steps"] = (steps or {}).get(str(row["project_id"]), [])
        for column in ("funded_baht", "spent_baht", "amount_note_th"):
            row.setdefault(column, None)  # a package written before these
    grouped = []
    for issue in sorted(records(issues), key=lambda r: int(r["issue_no"])):
        mine = [p for p in project_rows if int(p["issue_no"]) == int(issue["issue_no"])]
        grouped.append(
            {
                **issue,
                "category_th": cl.label(cl.STRATEGIC_CATEGORIES, issue.get("category") or ""),
                "projects": mine,
                "budget_baht": sum(float(p["budget_baht"] or 0) for p in mine),
            }
        )
    return grouped


def _share(part: float, whole: float) -> float | None:
    return 100 * part / whole if whole else None


def plan_progress_view(projects: pd.DataFrame, history: pd.DataFrame) -> dict[str, Any] | None:
    """A tambon's plan followed to results: money planned, funded and spent (with shares), and
    per year how many projects moved (`plan_progress`); None without projects."""
    if projects.empty:
        return None
    money = plan_progress.money(projects)
    year = plan_progress.latest_year(history)
    moves = records(plan_progress.moves_by_year(history))
    return {
        **money,
        "funded_pct": _share(money["funded_baht"], money["budget_baht"]),
        "spent_pct": _share(money["spent_baht"], money["funded_baht"]),
        "projects": len(projects),
        "year_be": year,
        "year_ce": year - settings.BE_OFFSET if year is not None else None,
        "latest": next((m for m in moves if m["year_be"] == year), None),
        "moves": moves,
    }


def totals_by(projects: pd.DataFrame | None, column: str, items: tuple[cl.Code, ...]) -> list[dict]:
    """Projects and budget per code of `column` in code-list order (codes without projects: out)."""
    rows = records(projects)
    totals = []
    for item in items:
        mine = [r for r in rows if r.get(column) == item.code]
        if mine:
            budget = sum(float(r["budget_baht"] or 0) for r in mine)
            totals.append({"label": item.th, "projects": len(mine), "budget_baht": budget})
    return totals


def _years(by_year: pd.DataFrame | None, code: str) -> tuple[int | None, int | None]:
    """(latest, previous) survey year of a tambon (None where it has none)."""
    if by_year is None or by_year.empty:
        return None, None
    years = sorted(int(y) for y in by_year[by_year["area_code"] == code]["year_be"].dropna())
    return (years[-1] if years else None), (years[-2] if len(years) > 1 else None)


def bmn_indicator_rows(
    rates: pd.DataFrame | None, by_year: pd.DataFrame | None
) -> list[dict[str, Any]]:
    """Every BMN indicator of a tambon: its latest and previous pass rate and the change."""
    if rates is None or rates.empty:
        return []
    latest_two = trends.latest_two_by_indicator(by_year) if by_year is not None else {}
    changes = trends.indicator_changes(by_year, latest_two) if by_year is not None else {}
    previous = {n: before["pass_pct"] if before else None for n, (_, before) in latest_two.items()}
    rows = []
    for row in sorted(records(rates), key=lambda r: int(r["indicator"])):
        number = int(row["indicator"])
        change = changes.get(number)
        rows.append(
            {
                **row,
                "previous_pct": None if fmt.is_missing(previous.get(number)) else previous[number],
                "change": change_view(trends.BMN_INDICATOR_RULE, change, "pct") if change else None,
            }
        )
    return rows


def tambon_context(
    code: str,
    tables: Tables,
    comparison: Mapping[str, Mapping[str, Any]],
    details: Mapping[str, pd.DataFrame],
    charts: Mapping[str, str],
    chart_texts: Mapping[str, str],
    meta: Mapping[str, Any],
    coverages: Mapping[str, coverage.Coverage] | None = None,
    by_year: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Everything a tambon profile shows, from its own tables and its computed figures.

    `details` are the tambon's roll-ups (pyramid, bmn, bmn_by_year, income, occupations:
    aggregate's frames), `charts` their SVGs and `chart_texts` their text alternatives,
    keyed alike. `coverages`: what the district and province figures beside it cover
    (`comparisons.coverages_above`); `by_year`: every tambon's figures per survey year
    (`aggregate.tambon_figures_by_year`), for the change from the previous year and ranks.
    """
    path = urls.tambon_path(code)
    root = urls.root_of(path)
    facts = first_row(tables.get("tambon"))
    place = gazetteer.tambon(code)
    projects = tables.get("plan_projects")
    followed = plans.tambon_projects(code, tables)
    history = plan_progress.tambon_history(code, tables)
    bmn = details.get("bmn")
    by_status = totals_by(projects, "status", cl.PROJECT_STATUSES)
    coverages = coverages or {}
    yearly = (
        by_year if by_year is not None else pd.DataFrame(columns=aggregate.FIGURES_BY_YEAR_COLUMNS)
    )
    card_figures = tuple(f for f, _, _ in CARD_FIGURES)
    group_figures = tuple(f"bmn_pass_pct_{g.code}" for g in cl.BMN_GROUPS)
    changes = trends.figure_changes(yearly, code, card_figures + group_figures)
    ranks = trends.figure_ranks(yearly, code, card_figures)
    year, previous_year = _years(yearly, code)
    indicators = bmn_indicator_rows(bmn, details.get("bmn_by_year"))
    weakest = weakest_indicators(bmn)
    by_number = {int(r["indicator"]): r for r in indicators}
    return {
        "path": path,
        "root": root,
        # the partners active here (`partner_pages.of_tambon`), added by the build when the
        # data has a partners package
        "partners": [],
        "partners_url": root + urls.url_of(urls.PARTNERS_PATH),
        # the articles about it (`knowledge_pages.of_tambon`), added by the build
        "articles": [],
        "knowledge_url": root + urls.url_of(urls.KNOWLEDGE_PATH),
        "code": code,
        "name_th": facts.get("name_th") or place_name(place, code),
        "name_en": gazetteer.english_name(facts.get("name_en") or (place.name_en if place else "")),
        "lg_type_th": cl.label(cl.LOCAL_GOVERNMENT_TYPES, facts.get("lg_type") or ""),
        "lg_name_th": facts.get("lg_name_th"),
        "reference_date": facts.get("reference_date"),
        "no_data": not aggregate.has_published_data(tables),  # no empty charts then
        "no_data_th": NO_DATA_TH,
        "no_data_en": NO_DATA_EN,
        "breadcrumb": breadcrumb(root, tambon_code=code),
        "meta": meta,
        "cards": key_figure_cards(comparison, coverages, changes, ranks),
        "terms": terms(),
        "area_headers": area_headers(coverages),
        "coverage_note": coverage.partial_note(coverages.values()),
        "points_note": trends.POINTS_NOTE_TH,
        "unpublished_note": trends.UNPUBLISHED_NOTE_TH,
        "year_be": year,
        "previous_year_be": previous_year,
        "pyramid": records(details.get("pyramid")),
        "older_share": older_share(records(details.get("pyramid"))),
        "bmn_groups": bmn_group_rates(comparison, changes),
        "bmn_weakest": [{**r, "change": by_number[int(r["indicator"])]["change"]} for r in weakest],
        "weakest_answers": weakest_answers(followed, weakest),
        "bmn_indicators": indicators,
        "income": records(details.get("income")),
        "debt": {k: (comparison.get(k) or {}).get("tambon") for k in ("debt_pct", "mean_debt")},
        "occupations": records(details.get("occupations")),
        "villages": records(tables.get("villages")),
        "plan": first_row(tables.get("plan")),
        "issues": projects_by_issue(tables.get("plan_issues"), projects, project_steps(history)),
        "progress": plan_progress_view(followed, history),
        "totals_by_source": totals_by(projects, "funding_source", cl.FUNDING_SOURCES),
        "totals_by_status": by_status,
        "plan_total_baht": sum(t["budget_baht"] for t in by_status),
        "charts": {k: trusted(v) for k, v in charts.items()},
        "chart_texts": dict(chart_texts),
        # Set by the build's publishing step (publish.page_extras) too: the same address.
        "download_base": root + urls.package_downloads(urls.tambon_slug(code)),
        "publication": None,
        "plan_url": root + urls.url_of(urls.PLAN_PATH),
    }


def weakest_indicators(bmn: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The indicators a profile lists as weakest (as many as its chart shows), each with the
    counter of what it counts (คน or ครัวเรือน)."""
    rows = records(area_rollups.weakest_indicators(bmn) if bmn is not None else None)
    return [{**row, "counter_th": cl.indicator_counter(row["indicator"])} for row in rows]


def weakest_answers(projects: pd.DataFrame, weakest: list[dict[str, Any]]
                    ) -> list[dict[str, Any]]:  # fmt: skip
    """Each weakest indicator with the tambon's plan projects (`plans.tambon_projects`) that
    answer it (by their issue's category: `codelists.CATEGORY_INDICATORS`), each linked to
    its row in the plan table."""
    answering = plans.projects_answering([int(r["indicator"]) for r in weakest], projects)
    out = []
    for row in weakest:
        number = int(row["indicator"])
        mine = [
            {**p, "status_th": cl.label(cl.PROJECT_STATUSES, p.get("status") or ""),
             "href": "#" + urls.project_anchor(str(p["project_id"]))}
            for p in records(answering[number])
        ]  # fmt: skip
        out.append({
            "indicator": number, "label_th": row["label_th"], "pass_pct": row["pass_pct"],
            "categories_th": [cl.label(cl.STRATEGIC_CATEGORIES, c)
                              for c in cl.categories_answering(number)],
            "projects": mine,
        })  # fmt: skip
    return out


OLDER_FROM_AGE = 60


def older_share(pyramid: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Persons aged 60+ and their share of the published persons (for the one-line reading);
    the share is None under 10 persons, as every percentage (aggregate.percent)."""
    total = sum(int(r["persons"] or 0) for r in pyramid)
    if total == 0:
        return None
    older = sum(
        int(r["persons"] or 0)
        for r in pyramid
        if int(str(r["age_group"]).split("-")[0].rstrip("+")) >= OLDER_FROM_AGE
    )
    pct = aggregate.percent(older, total)
    return {"persons": older, "total": total, "pct": None if math.isnan(pct) else pct}


def bmn_group_rates(
    comparison: Mapping[str, Mapping[str, Any]],
    changes: Mapping[str, trends.Change] | None = None,
) -> list[dict[str, Any]]:
    rows = []
    for group in cl.BMN_GROUPS:
        figure = f"bmn_pass_pct_{group.code}"
        values = comparison.get(figure) or {}
        change = (changes or {}).get(figure)
        rows.append(
            {
                "label": group.th,
                **{k: values.get(k) for k in ("tambon", "district", "province")},
                "change": change_view(trends.RULES[figure], change, "pct") if change else None,
            }
        )
    return rows


def render_tambon(context: Mapping[str, Any]) -> str:
    return render("tambon.md.j2", **context)
