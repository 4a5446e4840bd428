"""The partners' pages (issue 13): the list, one page per partner, the partners a tambon
profile shows and the 3W table of a province page; pure functions of `stats.partners`'
roll-up (`partner_rollup`), their links relative to each page like the other pages'."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, urls
from tambon_portal.site import centroid_map, page_parts
from tambon_portal.site.page_parts import records
from tambon_portal.stats import partners as partner_stats

Rollup = Mapping[str, pd.DataFrame]  # stats.partners.partner_rollup
# A partner's map: its tambons coloured by its projects there (more is darker, not worse).
MAP_WORDING = centroid_map.Wording("สีเข้มกว่า = ร่วมหลายโครงการกว่า", None, "ตำบลที่องค์กรไม่ได้ร่วม")


def has_partners(rollup: Rollup | None) -> bool:
    return rollup is not None and not rollup["summary"].empty


def _href(root: str, partner_id: str) -> str:
    return root + urls.url_of(urls.partner_path(str(partner_id)))


def index_context(rollup: Rollup, meta: Mapping[str, Any]) -> dict[str, Any]:
    """The list of partners, by type (every type that has one)."""
    root = urls.root_of(urls.PARTNERS_PATH)
    rows = records(rollup["summary"])
    for row in rows:
        row["href"] = _href(root, row["partner_id"])
    groups = [
        {"code": t.code, "th": t.th, "en": t.en,
         "partners": [r for r in rows if r["partner_type"] == t.code]}
        for t in cl.PARTNER_TYPES
    ]  # fmt: skip
    links = rollup["links"]
    return {
        "path": urls.PARTNERS_PATH,
        "root": root,
        "meta": meta,
        "groups": [g for g in groups if g["partners"]],
        "partners": len(rows),
        "projects": int(links.drop_duplicates(["tambon_code", "project_id"]).shape[0]),
        "tambons": int(links["tambon_code"].nunique()),
        "roles": cl.PARTNER_ROLES,
    }


def map_key(partner_id: str, province: str) -> str:
    """The chart key of a partner's map of one province (its embed page's address too)."""
    return f"partners/{partner_id}/map-{province}"


def _maps(partner_id: str, mine: pd.DataFrame, root: str) -> list[dict[str, Any]]:
    """One map per province the partner works in: its tambons coloured by its projects, with
    the words a screen reader gives instead (key, svg, title, text)."""
    maps = []
    for province in sorted({str(c)[:2] for c in mine["tambon_code"]}):
        here = mine[mine["tambon_code"].astype(str).str.startswith(province)]
        counts = here.drop_duplicates(["tambon_code", "project_id"]).groupby("tambon_code").size()
        names = dict(zip(here["tambon_code"], here["tambon_name_th"], strict=True))
        hrefs = {c: root + urls.url_of(urls.tambon_path(str(c))) for c in counts.index}
        values = {str(c): float(n) for c, n in counts.items()}
        label = "โครงการที่ร่วม"
        svg = centroid_map.map_svg(values, names, hrefs, label, False, province, "{:,.0f}",
                                   MAP_WORDING)  # fmt: skip
        if svg:
            place = gazetteer.province(province)
            listed = ", ".join(f"ตำบล{names[c]} {n} โครงการ"
                               for c, n in counts.sort_values(ascending=False).items())  # fmt: skip
            located = {p.code for p in centroid_map.province_centroids(province)}
            unplaced = [f"ตำบล{names[c]}" for c in counts.index if str(c) not in located]
            title = f"ตำบลที่ร่วมงานในจังหวัด{place.name_th if place else province}"
            if unplaced:  # the centroids' source lacks a few tambons: say so, not hide them
                title += f" (ไม่มีพิกัดของ{' '.join(unplaced)} จึงไม่อยู่บนแผนที่)"
            maps.append({"key": map_key(partner_id, province), "svg": svg, "title": title,
                         "text": f"{len(counts)} ตำบล: {listed}"})  # fmt: skip
    return maps


def _projects(mine: pd.DataFrame, root: str) -> list[dict[str, Any]]:
    """The projects a partner takes part in, in (tambon, project) order, each with its roles
    (in the order of its links) and the amount it funds (NaN when it funds nothing there).
    Plain Python over the partner's few rows: under the profiler, pandas calls per project
    took 4 s of the pilot's 7 s of partner pages (2,483 projects, 135 partners), and one
    groupby per partner still 2.5 s."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in mine.to_dict("records"):
        groups.setdefault((str(row["tambon_code"]), str(row["project_id"])), []).append(row)
    projects = []
    for (tambon, project), group in sorted(groups.items()):
        first = group[0]
        funded = [
            r["amount_baht"]
            for r in group
            if r["role"] == cl.FUNDING_ROLE and not page_parts.is_na(r["amount_baht"])
        ]
        projects.append({
            "tambon_code": first["tambon_code"], "tambon_name_th": first["tambon_name_th"],
            "district_name_th": first["district_name_th"], "project_id": first["project_id"],
            "title_th": first["title_th"], "status_th": first["status_th"],
            "roles_th": ", ".join(cl.label(cl.PARTNER_ROLES, r["role"]) for r in group),
            "budget_baht": first["budget_baht"],
            "amount_baht": float(sum(funded)) if funded else math.nan,
            "href": root + urls.url_of(urls.tambon_path(tambon)) + "#"
            + urls.project_anchor(project),
        })  # fmt: skip
    return projects


def partner_context(partner_id: str, rollup: Rollup, meta: Mapping[str, Any]) -> dict[str, Any]:
    """One partner's page: who it is, its totals by role and status, where (a map and its
    tambons) and every project it takes part in."""
    path = urls.partner_path(partner_id)
    root = urls.root_of(path)
    summary = rollup["summary"]
    partner = records(summary[summary["partner_id"] == partner_id])[0]
    links = rollup["links"]
    mine = links[links["partner_id"] == partner_id]
    parent = records(summary[summary["partner_id"] == partner["parent_id"]])
    members = records(summary[summary["parent_id"] == partner_id])
    for row in members:
        row["href"] = _href(root, row["partner_id"])
    projects = _projects(mine, root)
    return {
        "path": path,
        "root": root,
        "meta": meta,
        "partner": partner,
        "parent": {**parent[0], "href": _href(root, parent[0]["partner_id"])} if parent else None,
        "members": members,
        "by_role": records(partner_stats.by_role(mine)),
        "by_status": records(partner_stats.by_status(mine)),
        "maps": _maps(partner_id, mine, root),  # the build puts each svg in by its key
        "projects": projects,
        "list_href": root + urls.url_of(urls.PARTNERS_PATH),
        "articles": [],  # the articles about it or by it (`knowledge_pages.of_partner`)
    }


def of_tambon(rollup: Rollup | None, code: str, root: str) -> list[dict[str, Any]]:
    """The partners a tambon's profile lists (none without a partners package)."""
    if not has_partners(rollup):
        return []
    rows = records(partner_stats.of_tambon(rollup["links"], code))  # type: ignore[index]
    for row in rows:
        row["href"] = _href(root, row["partner_id"])
    return rows


def three_w_context(rollup: Rollup | None, province: str, root: str, download_href: str
                    ) -> dict[str, Any] | None:  # fmt: skip
    """The province page's 3W table: the partners active in two districts or more of it (a
    tambon's own bodies are on its profile), by the projects they take part in per district;
    every partner and district is in the download. None without partners in the province."""
    if not has_partners(rollup):
        return None
    frame = rollup["three_w"]  # type: ignore[index]
    here = frame[frame["district_code"].astype(str).str.startswith(province)]
    if here.empty:
        return None
    districts = [d for d in gazetteer.districts_of(province)
                 if d.code in set(here["district_code"].astype(str))]  # fmt: skip
    spread = here.groupby("partner_id", sort=False)["district_code"].nunique()
    wide = [p for p in here["partner_id"].drop_duplicates() if spread[p] >= 2]
    rows = []
    for partner_id in wide:
        cells = here[here["partner_id"] == partner_id]
        counts = dict(zip(cells["district_code"].astype(str), cells["projects"], strict=True))
        rows.append({
            "name_th": cells["name_th"].iloc[0], "href": _href(root, partner_id),
            "type_th": cl.label(cl.PARTNER_TYPES, cells["partner_type"].iloc[0]),
            "cells": [counts.get(d.code) for d in districts],
            "projects": int(cells["projects"].sum()),
        })  # fmt: skip
    local = here[~here["partner_id"].isin(wide)]["partner_id"].nunique()
    return {
        "districts": districts,
        "rows": rows,
        "local_partners": int(local),
        "download_href": download_href,
        "list_href": root + urls.url_of(urls.PARTNERS_PATH),
    }
