"""A data changelog (`changelog.Changelog`) as people read it: the markdown page of a release,
its one-line summary, and the Atom feed of every release."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from tambon_portal.core import codelists as cl
from tambon_portal.core import figures as key_figures
from tambon_portal.core import formatting as fmt
from tambon_portal.core import scope
from tambon_portal.core.scope import Scope
from tambon_portal.publish.changelog import (
    ArticleChange,
    Changelog,
    FigureChange,
    ResourceDiff,
    Value,
)

# A markdown table longer than this lists the first rows and says how many more; the JSON
# changelog always has every row.
MAX_ROWS_IN_MARKDOWN = 50


def feed_author(area: Scope) -> str:
    """Who the feed is by: the portal of its area (`core.scope`)."""
    return f"ข้อมูลตำบล {area.area_th} ({area.area_en} tambon data)"


# --- markdown ------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = "\\`*_{}[]#+!|~"


def escape_cell(text: Any) -> str:
    """Cell text that renders as itself in a markdown table and can carry no HTML."""
    # Markdown first, HTML second: the `#` of an entity such as `&amp;` must stay as it is.
    flat = " ".join(str(text).split())
    marked = "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in flat)
    return html.escape(marked, quote=False)


def _code(text: str) -> str:
    return f"`{text}`" if "`" not in text else escape_cell(text)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = [
        "| " + " | ".join(escape_cell(h) for h in header) + " |",
        "|" + "---|" * len(header),
    ]
    shown = rows[:MAX_ROWS_IN_MARKDOWN]
    lines += ["| " + " | ".join(escape_cell(c) for c in row) + " |" for row in shown]
    if len(rows) > len(shown):
        more = len(rows) - len(shown)
        lines += ["", f"และอีก {more:,} แถว (and {more:,} more rows: see the JSON changelog)"]
    return [*lines, ""]


def _format_value(value: Value, figure: str | None = None) -> str:
    if value is None:
        return "–"
    if figure in key_figures.BY_COLUMN and not isinstance(value, str):
        return fmt.by_kind(value, key_figures.BY_COLUMN[figure].kind)
    return f"{value:,}" if isinstance(value, int) else str(value)


def _rows_table(title: str, rows: list[dict[str, str]]) -> list[str]:
    if not rows:
        return []
    header = list(rows[0])
    return [f"**{title}**", "", *_table(header, [[r.get(h, "") for h in header] for r in rows])]


def _resource_markdown(diff: ResourceDiff) -> list[str]:
    lines = [f"#### {_code(diff.name)}", ""]
    if diff.schema:
        s = diff.schema
        items = [
            *(f"เพิ่มคอลัมน์ (field added) {_code(f)}" for f in s.fields_added),
            *(f"ลบคอลัมน์ (field removed) {_code(f)}" for f in s.fields_removed),
            *(
                f"เปลี่ยนชนิด (type changed) {_code(t.field)}:"
                f" {escape_cell(t.old)} → {escape_cell(t.new)}"
                for t in s.types_changed
            ),
        ]
        if s.primary_key:
            old_key, new_key = (escape_cell(", ".join(k)) or "–" for k in s.primary_key)
            items.append(f"เปลี่ยนคีย์หลัก (primary key changed): {old_key} → {new_key}")
        if s.foreign_keys_changed:
            items.append("เปลี่ยนคีย์อ้างอิง (foreign keys changed)")
        # Each item is markdown already (code spans, escaped values): not escaped again.
        lines += ["**โครงสร้างตาราง (schema)**", "", *(f"- {i}" for i in items), ""]
    lines += _rows_table("แถวที่เพิ่ม (rows added)", diff.rows_added)
    lines += _rows_table("แถวที่ลบ (rows removed)", diff.rows_removed)
    if diff.rows_changed:
        header = ["คีย์ (key)", "คอลัมน์ (field)", "เดิม (old)", "ใหม่ (new)"]
        rows = [
            [", ".join(f"{k}={v}" for k, v in change.key.items()), cell.field, cell.old, cell.new]
            for change in diff.rows_changed
            for cell in change.cells
        ]
        lines += ["**ค่าที่แก้ไข (values changed)**", "", *_table(header, rows)]
    return lines


def _summary_counts(changelog: Changelog) -> tuple[int, int, int, int, int]:
    resources = [r for p in changelog.packages_changed for r in p.resources]
    return (
        len(changelog.packages_added),
        len(changelog.packages_removed),
        sum(len(r.rows_added) for r in resources),
        sum(len(r.rows_removed) for r in resources),
        sum(len(r.rows_changed) for r in resources),
    )


def summary(changelog: Changelog) -> str:
    """One line, Thai then English, for a feed entry or a release note."""
    if changelog.is_empty:
        return "ไม่มีการเปลี่ยนแปลงข้อมูล (no data changes)"
    added, removed, rows_added, rows_removed, rows_changed = _summary_counts(changelog)
    line = (
        f"ชุดข้อมูลใหม่ {added:,} ชุด, ถอดออก {removed:,} ชุด, "
        f"แถวเพิ่ม {rows_added:,} แถว, ลบ {rows_removed:,} แถว, แก้ไข {rows_changed:,} แถว "
        f"({added:,} packages added, {removed:,} removed; rows: {rows_added:,} added, "
        f"{rows_removed:,} removed, {rows_changed:,} changed)"
    )
    return line + _articles_summary(changelog.articles)


def _articles_summary(articles: list[ArticleChange]) -> str:
    """The summary's tail for the release's articles (none: nothing, so a data-only release
    reads as before)."""
    if not articles:
        return ""
    counts = {c: sum(a.change == c for a in articles) for c in ("added", "removed", "changed")}
    return (
        f"; บทความใหม่ {counts['added']:,} เรื่อง, ถอดออก {counts['removed']:,} เรื่อง, "
        f"แก้ไข {counts['changed']:,} เรื่อง ({counts['added']:,} articles added, "
        f"{counts['removed']:,} removed, {counts['changed']:,} edited)"
    )


def _figures_markdown(figures: list[FigureChange]) -> list[str]:
    if not figures:
        return []
    header = ["ตำบล (tambon)", "ตัวเลข (figure)", "เดิม (old)", "ใหม่ (new)"]
    rows = [
        [
            f"{f.name_th} {f.tambon_code}",
            _figure_label(f.figure),
            _format_value(f.old, f.figure),
            _format_value(f.new, f.figure),
        ]
        for f in figures
    ]
    return ["## ตัวเลขสำคัญที่เปลี่ยน / Key figures that moved", "", *_table(header, rows)]


PROJECTS = "plan_projects"


def _status_moves(changelog: Changelog) -> list[list[str]]:
    """(package, project, old status, new status) of every project whose status cell changed."""
    rows = []
    for package in changelog.packages_changed:
        for resource in (r for r in package.resources if r.name == PROJECTS):
            for row in resource.rows_changed:
                for cell in (c for c in row.cells if c.field == "status"):
                    old, new = (cl.label(cl.PROJECT_STATUSES, s) for s in (cell.old, cell.new))
                    rows.append([package.package, row.key.get("project_id", ""), old, new])
    return rows


def _status_moves_markdown(changelog: Changelog) -> list[str]:
    """The plans followed to results across releases: the projects that moved (issue 13)."""
    rows = _status_moves(changelog)
    if not rows:
        return []
    header = ["ชุดข้อมูล (package)", "โครงการ (project)", "สถานะเดิม (old)", "สถานะใหม่ (new)"]
    return [
        f"## โครงการที่เปลี่ยนสถานะ / Projects whose status changed ({len(rows):,})", "",
        *_table(header, rows),
    ]  # fmt: skip


ARTICLE_CHANGES_TH = {"added": "ใหม่ (added)", "removed": "ถอดออก (removed)",
                      "changed": "แก้ไข (changed)"}  # fmt: skip


def _articles_markdown(changelog: Changelog) -> list[str]:
    """The knowledge articles added, removed or edited since the previous release."""
    if not changelog.articles:
        return []
    lines = ["## บทเรียนและข่าว / Lessons and news", ""]
    lines += [
        f"- {ARTICLE_CHANGES_TH.get(a.change, escape_cell(a.change))}: {escape_cell(a.title)}"
        f" ({_code(a.slug)})"
        for a in changelog.articles
    ]
    return [*lines, ""]


def _figure_label(column: str) -> str:
    """The card's label, then the English one; a figure an older release listed that the
    registry no longer has (a stored changelog) by its column name."""
    figure = key_figures.BY_COLUMN.get(column)
    return f"{figure.card_th} / {figure.card_en}" if figure else column


def _as_changelog(changelog: Changelog | dict) -> Changelog:
    return Changelog.from_dict(changelog) if isinstance(changelog, dict) else changelog


def to_markdown(changelog: Changelog | dict, version: str, previous: str | None) -> str:
    """The changelog of one release as a markdown page (Thai headings, English beside them).

    Takes a `Changelog` or its `to_dict()` form (what a release context carries).
    """
    changelog = _as_changelog(changelog)
    since = (
        f"เทียบกับรุ่น {escape_cell(previous)} (compared with {escape_cell(previous)})"
        if previous
        else "รุ่นแรก (first release)"
    )
    lines = [
        f"# การเปลี่ยนแปลงข้อมูล รุ่น {escape_cell(version)} / Data changes in {escape_cell(version)}",
        "",
        since,
        "",
        escape_cell(summary(changelog)),
        "",
    ]
    if changelog.packages_added:
        lines += ["## ชุดข้อมูลใหม่ / Packages added", ""]
        lines += [f"- {_code(p)}" for p in changelog.packages_added] + [""]
    if changelog.packages_removed:
        lines += ["## ชุดข้อมูลที่ถอดออก / Packages removed", ""]
        lines += [f"- {_code(p)}" for p in changelog.packages_removed] + [""]
    lines += _figures_markdown(changelog.figures)
    lines += _status_moves_markdown(changelog)
    lines += _articles_markdown(changelog)
    if changelog.packages_changed:
        lines += ["## ตารางที่เปลี่ยน / Tables changed", ""]
    for package in changelog.packages_changed:
        lines += [f"### {_code(package.package)}", ""]
        lines += [f"- ตารางใหม่ (resource added) {_code(r)}" for r in package.resources_added]
        lines += [
            f"- ตารางที่ถอดออก (resource removed) {_code(r)}" for r in package.resources_removed
        ]
        if package.resources_added or package.resources_removed:
            lines.append("")
        for resource in package.resources:
            lines += _resource_markdown(resource)
    return "\n".join(lines).rstrip("\n") + "\n"


# --- Atom feed -----------------------------------------------------------------------------


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0, 0), tzinfo=UTC)


def atom_feed(
    entries: list[tuple[str, date | datetime, Changelog | dict, str]],
    site_url: str,
    feed_path: str = "feed.xml",
    area: Scope | None = None,
) -> bytes:
    """An Atom feed with one entry per release (version, date, changelog, url), newest first.

    Deterministic: every date comes from `entries`, none from the clock, so the same releases
    give the same bytes.
    """
    from feedgen.feed import FeedGenerator

    site_url = site_url.rstrip("/") + "/"
    ordered = sorted(entries, key=lambda e: (_as_datetime(e[1]), e[0]), reverse=True)
    fg = FeedGenerator()
    fg.id(site_url)
    area = area or scope.of_tambons(())
    fg.title(f"ข้อมูลตำบล {area.area_th}: รุ่นของข้อมูล (data releases)")
    fg.subtitle("การเปลี่ยนแปลงข้อมูลในแต่ละรุ่น / What changed in each release of the data")
    fg.link(href=site_url, rel="alternate")
    fg.link(href=site_url + feed_path.lstrip("/"), rel="self")  # where the feed is served
    fg.language("th")
    # Atom (RFC 4287) wants an author for the feed or each entry
    fg.author({"name": feed_author(area)})
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    fg.updated(_as_datetime(ordered[0][1]) if ordered else epoch)
    for version, when, changes, url in ordered:
        changelog = _as_changelog(changes)
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.title(f"รุ่น {version} (release {version})")
        entry.link(href=url, rel="alternate")
        entry.published(_as_datetime(when))
        entry.updated(_as_datetime(when))
        entry.summary(summary(changelog))
    return fg.atom_str(pretty=True)
