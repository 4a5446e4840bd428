"""Who does what where (issue 13): the partners packages joined with the plan projects they
name, and what the pages and the roll-up package show of them (pure).

A link counts once per partner, project and role; a partner's projects are its distinct
projects whatever its roles, their budget the projects' own (the whole budget of each
project it takes part in, not its share); what it gives is the sum of its `funds` amounts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core.schemas import partners as ps
from tambon_portal.stats.aggregate import Tables

LINK_COLUMNS = [
    "partner_id", "name_th", "partner_type", "role", "role_th", "amount_baht", "tambon_code",
    "tambon_name_th", "district_code", "district_name_th", "project_id", "title_th",
    "category", "category_th", "year_be", "status", "status_th", "budget_baht",
]  # fmt: skip
PARTNER_COLUMNS = [
    "partner_id", "name_th", "name_en", "partner_type", "type_th", "parent_id", "website",
    "tambons", "districts", "projects", "funded_baht", "budget_baht",
]  # fmt: skip
# The 3W table of the province page and of the roll-up package: one row per partner and
# district where it takes part in a project.
THREE_W_COLUMNS = [
    "partner_id", "name_th", "partner_type", "district_code", "district_name_th", "tambons",
    "projects", "funded_baht",
]  # fmt: skip


def combined(packages: Iterable[Tables]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(partners, project_partners) of every partners package, a partner listed by two
    packages kept once (the first)."""
    tables = list(packages)
    if not tables:
        return (pd.DataFrame(columns=ps.field_names("partners")),
                pd.DataFrame(columns=ps.field_names("project_partners")))  # fmt: skip
    partners = pd.concat([t["partners"] for t in tables], ignore_index=True)
    links = pd.concat([t["project_partners"] for t in tables], ignore_index=True)
    return partners.drop_duplicates("partner_id").reset_index(drop=True), links


def partner_links(links: pd.DataFrame, partners: pd.DataFrame, projects: pd.DataFrame
                  ) -> pd.DataFrame:  # fmt: skip
    """Every link with its partner's name and type and its project's tambon, title, status and
    budget (`plans.plan_projects_all`); a link to no project in `projects` is left out."""
    if links.empty or projects.empty:
        return pd.DataFrame(columns=LINK_COLUMNS)
    keyed = links.astype({"tambon_code": "string", "project_id": "string"})
    named = keyed.merge(partners[["partner_id", "name_th", "partner_type"]], on="partner_id")
    joined = named.merge(projects, on=["tambon_code", "project_id"], suffixes=("", "_project"))
    joined["role_th"] = joined["role"].map(lambda r: cl.label(cl.PARTNER_ROLES, r))
    joined["amount_baht"] = pd.to_numeric(joined["amount_baht"]).astype("Float64")
    joined = joined[LINK_COLUMNS].sort_values(["partner_id", "tambon_code", "project_id"])
    return joined.reset_index(drop=True)


def _funded(links: pd.DataFrame) -> pd.Series:
    return links["amount_baht"].where(links["role"] == cl.FUNDING_ROLE).fillna(0.0)


def partner_summary(partners: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Each partner with its tambons, districts, distinct projects, the baht it funds and the
    budget of its projects; in the order of the partner types, then by name."""
    rows = []
    for partner in partners.itertuples(index=False):
        mine = links[links["partner_id"] == partner.partner_id]
        projects = mine.drop_duplicates(["tambon_code", "project_id"])
        rows.append({
            "partner_id": partner.partner_id, "name_th": partner.name_th,
            "name_en": partner.name_en, "partner_type": partner.partner_type,
            "type_th": cl.label(cl.PARTNER_TYPES, partner.partner_type),
            "parent_id": partner.parent_id, "website": partner.website,
            "tambons": mine["tambon_code"].nunique(), "districts": mine["district_code"].nunique(),
            "projects": len(projects), "funded_baht": float(_funded(mine).sum()),
            "budget_baht": float(pd.to_numeric(projects["budget_baht"]).sum()),
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=PARTNER_COLUMNS)
    order = {c: i for i, c in enumerate(cl.codes(cl.PARTNER_TYPES))}
    frame = frame.assign(_order=frame["partner_type"].map(order))
    frame = frame.sort_values(["_order", "name_th"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def by_role(links: pd.DataFrame) -> pd.DataFrame:
    """One partner's links by role: projects, tambons and baht, every role shown. (Grouped
    once by role: a filter per role, and per status in `by_status`, took 0.9 s for the
    pilot's 135 partners, grouped 0.4 s, in one process.)"""
    projects = links.drop_duplicates(["role", "tambon_code", "project_id"]).groupby("role").size()
    tambons = links.groupby("role")["tambon_code"].nunique()
    funded = _funded(links).groupby(links["role"]).sum()
    return pd.DataFrame(
        [{"role": r.code, "role_th": r.th, "projects": int(projects.get(r.code, 0)),
          "tambons": int(tambons.get(r.code, 0)), "amount_baht": float(funded.get(r.code, 0.0))}
         for r in cl.PARTNER_ROLES]
    )  # fmt: skip


def by_status(links: pd.DataFrame) -> pd.DataFrame:
    """One partner's distinct projects by status (every status shown) with their budget."""
    projects = links.drop_duplicates(["tambon_code", "project_id"])
    counts = projects.groupby("status").size()
    budgets = pd.to_numeric(projects["budget_baht"]).groupby(projects["status"]).sum()
    return pd.DataFrame(
        [{"status": s.code, "status_th": s.th, "projects": int(counts.get(s.code, 0)),
          "budget_baht": float(budgets.get(s.code, 0.0))}
         for s in cl.PROJECT_STATUSES]
    )  # fmt: skip


def three_w(links: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Who, what, where: one row per partner and district it takes part in (tambons, projects,
    baht funded there), partners in the order of `summary`."""
    if links.empty:
        return pd.DataFrame(columns=THREE_W_COLUMNS)
    keys = ["partner_id", "district_code", "district_name_th"]
    funded = links.assign(_funded=_funded(links)).groupby(keys)["_funded"].sum()
    distinct = links.drop_duplicates(["partner_id", "tambon_code", "project_id"]).groupby(keys)
    frame = pd.concat(
        [distinct["tambon_code"].nunique().rename("tambons"), distinct.size().rename("projects"),
         funded.rename("funded_baht")], axis=1,
    ).reset_index()  # fmt: skip
    order = {p: i for i, p in enumerate(summary["partner_id"])}
    names = summary.set_index("partner_id")[["name_th", "partner_type"]]
    frame = frame.join(names, on="partner_id")
    frame = frame.assign(_order=frame["partner_id"].map(order))
    frame = frame.sort_values(["_order", "district_code"], kind="stable")
    return frame[THREE_W_COLUMNS].reset_index(drop=True)


def of_tambon(links: pd.DataFrame, code: str) -> pd.DataFrame:
    """The partners active in one tambon: their projects there and roles, most projects
    first."""
    mine = links[links["tambon_code"] == code]
    rows = []
    for (partner_id, name, kind), group in mine.groupby(
        ["partner_id", "name_th", "partner_type"], sort=False
    ):
        roles = [r.th for r in cl.PARTNER_ROLES if (group["role"] == r.code).any()]
        rows.append({
            "partner_id": partner_id, "name_th": name, "partner_type": kind,
            "type_th": cl.label(cl.PARTNER_TYPES, kind), "roles_th": ", ".join(roles),
            "projects": int(group["project_id"].nunique()),
            "funded_baht": float(_funded(group).sum()),
        })  # fmt: skip
    frame = pd.DataFrame(
        rows, columns=["partner_id", "name_th", "partner_type", "type_th", "roles_th", "projects",
                       "funded_baht"],
    )  # fmt: skip
    return frame.sort_values(["projects", "name_th"], ascending=[False, True], kind="stable")


def partner_rollup(packages: Mapping[str, Tables], projects: pd.DataFrame
                   ) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Everything the pages and the roll-up package show of the partners: summary (one row
    per partner), links (`partner_links`) and three_w."""
    partners, links = combined(packages[p] for p in sorted(packages))
    joined = partner_links(links, partners, projects)
    summary = partner_summary(partners, joined)
    return {"summary": summary, "links": joined, "three_w": three_w(joined, summary)}
