"""What a release is and the files it carries: its context, releases.json, changes.json, the
Atom feed, the root robots.txt, and its Releases page (pure: no git, no I/O).

Publishing a release into the `gh-pages` branch is `pipeline.release`'s work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tambon_portal.core import scope, settings, urls
from tambon_portal.core.formatting import thai_date
from tambon_portal.core.scope import Scope
from tambon_portal.packages.writer import json_document
from tambon_portal.publish import catalog, changelog, changelog_text

DATA_DIR = "datapackages"
BRANCH = "gh-pages"
LATEST = "latest"
CHANGES_JSON = "changes.json"
RELEASES_JSON = "releases.json"
FEED = "feed.xml"
ROBOTS = urls.ROBOTS_FILE  # also at the branch root, where crawlers read it
CHANGES_URL = urls.url_of(urls.CHANGES_PATH)  # the changelog page of a release
CALVER = re.compile(r"(?P<year>\d{4})\.(?P<month>0[1-9]|1[0-2])(?:\.(?P<patch>[1-9]\d*))?")


class ReleaseError(Exception):
    """A release that must not go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class PublishedVersion:
    version: str
    date: str  # ISO date (CE) of the commit the release was built from
    commit: str


@dataclass
class ReleaseContext:
    """What a build needs to know to render a release (and what it shows to readers)."""

    version: str
    date: str
    commit: str
    previous: PublishedVersion | None
    history: list[PublishedVersion] = field(default_factory=list)  # oldest first, incl. this
    changelog: dict | None = None  # changelog.Changelog.to_dict() since `previous`
    source_date_epoch: int = 0
    # Feed entries and releases.json need absolute addresses (siteurl.resolve).
    site_url: str = settings.PLACEHOLDER_SITE_URL
    # The changelogs earlier releases published (version -> to_dict()), for the feed.
    past_changelogs: dict[str, dict] = field(default_factory=dict)
    # Files under datapackages/ that git ignores: not in the commit, so not in the release.
    left_out: list[str] = field(default_factory=list)
    # What the released data covers (the feed's title names it).
    area: Scope = field(default_factory=lambda: scope.of_tambons(()))


def version_key(version: str) -> tuple[int, int, int]:
    """Sort key of a calendar version `YYYY.MM` or `YYYY.MM.N`; refuses anything else."""
    # fullmatch, not match with "$": "$" also matches before a final newline, and a version
    # "2026.11\n" passed, built the whole site, then broke mike.
    m = CALVER.fullmatch(version)
    if not m:
        raise ReleaseError(
            f"{version!r} is not a calendar version: use YYYY.MM (e.g. 2026.11), "
            "or YYYY.MM.N for a second release in the same month"
        )
    return int(m["year"]), int(m["month"]), int(m["patch"] or 0)


def check_new_version(version: str, published: list[PublishedVersion]) -> None:
    key = version_key(version)
    if any(p.version == version for p in published):
        raise ReleaseError(f"version {version} is already published; releases are never replaced")
    if published:
        last = max(published, key=lambda p: version_key(p.version))
        if key <= version_key(last.version):
            raise ReleaseError(
                f"version {version} does not sort after the last release {last.version}; "
                "pick a later calendar version"
            )


# --- what a release adds to its own site, and to the branch root -----------------------------


def version_url(context: ReleaseContext, version: str, path: str = "") -> str:
    """The permanent address of `path` in `version` of the release's site (`urls`)."""
    return urls.permanent_url(context.site_url, version, path)


def releases_document(context: ReleaseContext) -> dict:
    """releases.json: every version up to this one, newest first, with its changelog address."""
    return {
        "latest": context.version,
        "versions": [
            {
                "version": p.version,
                "date": p.date,
                "commit": p.commit,
                "url": version_url(context, p.version),
                "changelog": version_url(context, p.version, CHANGES_URL),
                "changelog_json": version_url(context, p.version, CHANGES_JSON),
            }
            for p in reversed(context.history)
        ],
    }


def changes_document(context: ReleaseContext) -> dict:
    """changes.json: this release's data changelog and what it was compared with."""
    return {
        "version": context.version,
        "date": context.date,
        "commit": context.commit,
        "previous": context.previous.version if context.previous else None,
        "changelog": context.changelog or {},
    }


def feed(context: ReleaseContext, feed_path: str) -> bytes:
    """The Atom feed of every release up to this one (one entry each), newest first."""

    changelogs = {**context.past_changelogs, context.version: context.changelog or {}}
    entries = [
        (
            p.version,
            date.fromisoformat(p.date) if p.date else date(1970, 1, 1),
            changelogs.get(p.version, {}),
            version_url(context, p.version, CHANGES_URL),
        )
        for p in context.history
    ]
    return changelog_text.atom_feed(entries, context.site_url, feed_path=feed_path,
                                    area=context.area)  # fmt: skip


def release_files(context: ReleaseContext) -> dict[str, bytes]:
    """The machine-readable files each release carries at its root (path -> bytes)."""
    return {
        CHANGES_JSON: json_document(changes_document(context)),
        RELEASES_JSON: json_document(releases_document(context)),
        FEED: feed(context, f"{context.version}/{FEED}"),
    }


def root_robots_txt(context: ReleaseContext) -> bytes:
    """robots.txt for the branch root: crawlers read it only there, never in /<version>/, so
    its Sitemap line names the newest version's sitemap (older versions stay reachable from
    their own pages but are not offered for indexing)."""

    return catalog.robots_txt(version_url(context, context.version, urls.SITEMAP_FILE))


def root_files(context: ReleaseContext) -> dict[str, bytes]:
    """What the branch root carries so that a harvester or crawler finds the newest release."""
    return {
        RELEASES_JSON: json_document(releases_document(context)),
        FEED: feed(context, FEED),
        ROBOTS: root_robots_txt(context),
    }


def releases_markdown(context: ReleaseContext) -> str:
    """The Releases page of a version: every version up to it, with dates and changelogs.

    Links are relative (`../../<version>/...`): the page lives at /<version>/releases/.
    """

    lines = [
        "# รุ่นของข้อมูล / Releases",
        "",
        "ทุกรุ่นอยู่ที่ที่อยู่ถาวรของตัวเอง (`/<รุ่น>/...`) และไม่ถูกแก้ไขหรือลบ; "
        "`latest/` พาไปยังหน้าเดียวกันในรุ่นล่าสุด. "
        "Every release stays at its permanent address (`/<version>/...`) and is never changed; "
        "cite those. `latest/` redirects pages (not downloads) to the newest release.",
        "",
        "| รุ่น (version) | วันที่ (date) | การเปลี่ยนแปลง (changes) |",
        "|---|---|---|",
    ]
    for p in reversed(context.history):
        when = f"{thai_date(p.date)} ({p.date})" if p.date else "–"
        lines.append(
            f'| <a href="../../{p.version}/">{p.version}</a> | {when} | '
            f'<a href="../../{p.version}/{CHANGES_URL}">หน้า (page)</a> · '
            f'<a href="../../{p.version}/{CHANGES_JSON}">JSON</a> |'
        )
    lines += [
        "",
        f'ฟีด Atom ของทุกรุ่น (feed of every release): <a href="../{FEED}">{FEED}</a> · '
        f'<a href="../{RELEASES_JSON}">{RELEASES_JSON}</a>',
        "",
    ]
    return "\n".join(lines)


def describe(context: ReleaseContext, branch: str = BRANCH, done: bool = False) -> str:
    """What a release writes (or, before it is done, would write), Thai then English."""

    previous = context.previous.version if context.previous else "ไม่มี (none: first release)"
    aliases = f"{LATEST} → {context.version}"
    return "\n".join(
        [
            f"รุ่น (version) {context.version} · วันที่ (date) {context.date} · "
            f"commit {context.commit[:12]}",
            f"รุ่นก่อนหน้า (previous): {previous}",
            ("เพิ่มใน (added to)" if done else "จะเพิ่มใน (would add to)")
            + f" branch {branch}: {context.version}/ (whole site), "
            f"{aliases}, versions.json, {RELEASES_JSON}, {FEED}, {ROBOTS}",
            changelog_text.summary(changelog.Changelog.from_dict(context.changelog or {})),
            *_left_out_lines(context.left_out),
        ]
    )


def _left_out_lines(left_out: list[str], shown: int = 10) -> list[str]:
    if not left_out:
        return []
    lines = [
        f"ไม่รวม {len(left_out)} ไฟล์ที่ git ละเว้น (left out: {len(left_out)} file(s) git "
        "ignores, not in the commit):"
    ]
    lines += [f"  {path}" for path in left_out[:shown]]
    if len(left_out) > shown:
        lines.append(f"  … and {len(left_out) - shown} more")
    return lines
