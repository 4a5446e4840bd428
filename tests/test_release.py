"""`tambon release` end to end in a temporary git repository with three (then four) tambons.

Release A, then change rows in two tambons, add a tambon, remove a village (with every total
recomputed, as its maintainer must: both releases use the validating build), release B: every
file of A stays byte for byte where it was, `latest` points to B, B's changelog lists exactly
the rows the edits changed (found by comparing the CSV files by primary key, independently of
the changelog) and the Atom feed has both releases. Plus: the dry run writes nothing, refused
versions and failed builds leave the branch as it was, and two builds of one commit are
identical byte for byte.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from fixtures.published_tables import differing_numbers
from fixtures.release import site_address  # noqa: F401 (autouse fixture)

from tambon_portal.authoring import pilot, sample
from tambon_portal.cli import main as cli_main
from tambon_portal.core import codelists as cl
from tambon_portal.core import schemas
from tambon_portal.pipeline import release
from tambon_portal.pipeline.build import BuildRefused, build_site
from tambon_portal.publish import releases

SOURCE = Path(__file__).resolve().parents[1] / "datapackages" / "80"
FIRST = ("800106", "800114", "800119")
ADDED = "800202"
A, B = "2026.10", "2026.11"
DATE_A, DATE_B = "2026-10-05T09:00:00+00:00", "2026-11-03T09:00:00+00:00"
BANG_CHAK = "800119"
REMOVED_VILLAGE = "80011909"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, **({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {})}
    out = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True)
    return out.stdout.decode()


def branch_head(repo: Path) -> str:
    return git(repo, "rev-parse", releases.BRANCH).strip()


def published_blobs(repo: Path, prefix: str = "") -> dict[str, str]:
    """Path -> blob id of every file under `prefix` (default: all) on the release branch."""
    listing = git(repo, "ls-tree", "-r", releases.BRANCH, *(["--", prefix] if prefix else []))
    return {line.split("\t")[1]: line.split()[2] for line in listing.splitlines()}


def published_json(repo: Path, path: str) -> dict | list:
    return json.loads(git(repo, "show", f"{releases.BRANCH}:{path}"))


def make_repo(root: Path) -> Path:
    repo = root / "repo"
    (repo / "datapackages" / "80").mkdir(parents=True)
    for code in FIRST:
        shutil.copytree(SOURCE / code, repo / "datapackages" / "80" / code)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Maintainer")
    git(repo, "config", "user.email", "maintainer@example.org")
    git(repo, "add", "datapackages")
    git(repo, "commit", "-q", "-m", "data for release A", date=DATE_A)
    return repo


# --- the edits between A and B ---------------------------------------------------------------


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def edit_cell(path: Path, key: dict[str, str], column: str, value: str) -> str:
    """Sets one cell of the row matching `key`; returns the old text."""
    rows = read_rows(path)
    header = rows[0]
    for row in rows[1:]:
        if all(row[header.index(k)] == v for k, v in key.items()):
            old, row[header.index(column)] = row[header.index(column)], value
            write_rows(path, rows)
            return old
    raise AssertionError(f"no row {key} in {path}")


# A row of the data the edits touched: (package, resource, "added"/"removed"/"changed", key).
RowEdit = tuple[str, str, str, tuple[str, ...]]


def keyed_rows(path: Path, resource: str) -> dict[tuple[str, ...], list[str]]:
    """The rows of a CSV file by their primary key values."""
    header, *rows = read_rows(path)
    key = [header.index(k) for k in schemas.SCHEMAS[resource]["primaryKey"]]
    return {tuple(row[i] for i in key): row for row in rows}


def package_rows(folder: Path) -> dict[str, dict[tuple[str, ...], list[str]]]:
    return {
        name: keyed_rows(folder / "data" / f"{name}.csv", name) for name in schemas.RESOURCE_NAMES
    }


def row_edits(package: str, before: dict, after: dict) -> set[RowEdit]:
    """What a changelog must list: rows by primary key that went, came or differ."""
    edits = set()
    for resource in schemas.RESOURCE_NAMES:
        old, new = before[resource], after[resource]
        edits |= {(package, resource, "removed", key) for key in old.keys() - new.keys()}
        edits |= {(package, resource, "added", key) for key in new.keys() - old.keys()}
        edits |= {
            (package, resource, "changed", key)
            for key in old.keys() & new.keys()
            if old[key] != new[key]
        }
    return edits


def remove_village(data: Path, code: str) -> set[RowEdit]:
    """Removes the last village of tambon 800119 the way its maintainer must: the package is
    published again from the records without that village's households (`pilot`: village
    and BMN rows gone, every table made again from what is left, suppressed again), so it
    still validates. Returns the rows that changed."""
    folder = data / "80" / BANG_CHAK
    generated = pilot.package_files(BANG_CHAK)
    # the committed package is the generator's (published with its province's sixty tambons;
    # alone, its protection may hide other cells), so the edit starts from the same numbers
    assert all(
        differing_numbers((folder / path).read_text(encoding="utf-8"), text) == []
        if path.startswith("data/") else (folder / path).read_text(encoding="utf-8") == text
        for path, text in generated.items()
    )  # fmt: skip
    before = package_rows(folder)
    for path, text in pilot.package_files(BANG_CHAK, leaving=code).items():
        (folder / path).write_bytes(text.encode("utf-8"))
    return row_edits(f"80/{BANG_CHAK}", before, package_rows(folder))


def change_data_for_b(repo: Path) -> set[RowEdit]:
    """The edits between A and B, committed; returns every row they changed."""
    data = repo / "datapackages"
    # a project moves on (issue 13): approved -> funded, with its amounts and the dated step
    projects = data / "80" / "800106" / "data" / "plan_projects.csv"
    assert edit_cell(projects, {"project_id": "P06"}, "status", "funded") == "approved"
    edit_cell(projects, {"project_id": "P06"}, "funded_baht", "60000")
    edit_cell(projects, {"project_id": "P06"}, "spent_baht", "0")
    steps = data / "80" / "800106" / "data" / "plan_project_status.csv"
    write_rows(steps, [*read_rows(steps), ["800106", "P06", "funded", "2025-09-15", ""]])
    villages = data / "80" / "800114" / "data" / "villages.csv"
    assert edit_cell(villages, {"village_no": "1"}, "name_en", "Ban Rai Ta Khian") == (
        "Ban Rai Takhian"
    )
    shutil.copytree(SOURCE / ADDED, data / "80" / ADDED)
    edits = remove_village(data, REMOVED_VILLAGE)
    git(repo, "add", "-A", "datapackages")
    git(repo, "commit", "-q", "-m", "data for release B", date=DATE_B)
    return edits | {
        ("80/800106", "plan_projects", "changed", ("800106", "P06")),
        ("80/800106", "plan_project_status", "added", ("800106", "P06", "funded")),
        ("80/800114", "villages", "changed", ("80011401",)),
    }


# --- the two releases ------------------------------------------------------------------------


def build_as_released(data_dir: Path, out_dir: Path, context: releases.ReleaseContext) -> None:
    """What release's default build does (validated), into a folder of the test's choosing."""
    with release.source_date_epoch(context.source_date_epoch):
        build_site(data_dir, out_dir, release=context, site_url=context.site_url)


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> dict:
    """Releases A and B; what A had published is kept to compare with what is there after B."""
    repo = make_repo(tmp_path_factory.mktemp("release"))
    context_a = release.release(repo, A)  # the default build: validated
    blobs_a = published_blobs(repo, A)
    edits = change_data_for_b(repo)
    context_b = release.release(repo, B)  # validated too: the edited data is consistent
    return {"repo": repo, "a": context_a, "b": context_b, "blobs_a": blobs_a, "edits": edits}


def test_every_file_of_release_a_is_unchanged_after_release_b(released):
    repo, before = released["repo"], released["blobs_a"]
    assert f"{A}/tambon/800106/index.html" in before
    assert f"{A}/{releases.CHANGES_JSON}" in before
    assert len(before) > 100
    assert published_blobs(repo, A) == before


def test_release_a_pages_still_show_a(released):
    page = git(released["repo"], "show", f"{releases.BRANCH}:{A}/tambon/800119/index.html")
    assert f"ข้อมูลรุ่น (data version) <strong>{A}</strong>" in page
    # หมู่ที่ 9 was removed in B only
    assert "บ้านควนจันทร์" in page


def test_latest_points_to_b_and_the_root_redirects_to_latest(released):
    repo = released["repo"]
    versions = published_json(repo, "versions.json")
    assert [(v["version"], v["aliases"]) for v in versions] == [(B, ["latest"]), (A, [])]
    assert versions[0]["properties"] == {
        "date": "2026-11-03",
        "commit": git(repo, "rev-parse", "main").strip(),
    }
    redirect = git(repo, "show", f"{releases.BRANCH}:latest/tambon/800106/index.html")
    assert f'url=../../../{B}/tambon/800106/"' in redirect
    assert "url=latest/" in git(repo, "show", f"{releases.BRANCH}:index.html")


def test_changelog_of_b_lists_exactly_the_changes(released):
    document = published_json(released["repo"], f"{B}/{releases.CHANGES_JSON}")
    assert (document["version"], document["previous"], document["date"]) == (B, A, "2026-11-03")
    changes = document["changelog"]
    assert changes["packages_added"] == [f"80/{ADDED}"]
    assert changes["packages_removed"] == []
    by_package = {
        p["package"]: {r["name"]: r for r in p["resources"]} for p in changes["packages_changed"]
    }
    assert sorted(by_package) == ["80/800106", "80/800114", "80/800119"]
    assert sorted(by_package["80/800106"]) == ["plan_project_status", "plan_projects"]
    assert by_package["80/800106"]["plan_projects"]["rows_changed"] == [
        {
            "key": {"tambon_code": "800106", "project_id": "P06"},
            "cells": [
                {"field": "status", "old": "approved", "new": "funded"},
                {"field": "funded_baht", "old": "", "new": "60000"},
                {"field": "spent_baht", "old": "", "new": "0"},
            ],
        }
    ]
    assert by_package["80/800106"]["plan_project_status"]["rows_added"] == [
        {"tambon_code": "800106", "project_id": "P06", "status": "funded",
         "status_date": "2025-09-15", "note_th": ""}
    ]  # fmt: skip
    assert sorted(by_package["80/800114"]) == ["villages"]
    assert by_package["80/800114"]["villages"]["rows_changed"] == [
        {
            "key": {"village_code": "80011401"},
            "cells": [{"field": "name_en", "old": "Ban Rai Takhian", "new": "Ban Rai Ta Khian"}],
        }
    ]
    bangchak = by_package["80/800119"]
    assert bangchak["villages"]["rows_removed"] == [
        {
            "village_code": REMOVED_VILLAGE,
            "tambon_code": "800119",
            "village_no": "9",
            "name_th": "บ้านควนจันทร์",
            "name_en": "Ban Khuan Chan",
            "households": "544",
            "population": "1722",
        }
    ]
    assert bangchak["tambon"]["rows_changed"][0]["cells"] == [
        {"field": "villages", "old": "9", "new": "8"},
        {"field": "households", "old": "2488", "new": "1944"},
        {"field": "population", "old": "7904", "new": "6182"},
    ]
    # 2568: 286 of 2,488 households under the line (11.5%); without the 544 of หมู่ที่ 9, 221
    # of 1,944 (11.4%, the card's figure). The median income, made from the records, stays
    # 70,600, so it is not a moved figure; households with debt: 1,504 of 2,488 (60.5%), then
    # 1,157 of 1,944 (59.5%).
    assert [(f["tambon_code"], f["figure"], f["old"], f["new"]) for f in changes["figures"]] == [
        ("800119", "population", 7904, 6182),
        ("800119", "households", 2488, 1944),
        ("800119", "villages", 9, 8),
        ("800119", "below_line_pct", 11.5, 11.4),
        ("800119", "debt_pct", 60.5, 59.5),
    ]


def changelog_edits(changes: dict) -> set[RowEdit]:
    """The rows a changelog lists, in the form `row_edits` gives them."""
    edits = set()
    for package in changes["packages_changed"]:
        for resource in package["resources"]:
            name, key = resource["name"], schemas.SCHEMAS[resource["name"]]["primaryKey"]
            for kind in ("added", "removed"):
                edits |= {
                    (package["package"], name, kind, tuple(row[k] for k in key))
                    for row in resource[f"rows_{kind}"]
                }
            edits |= {
                (package["package"], name, "changed", tuple(change["key"][k] for k in key))
                for change in resource["rows_changed"]
            }
    return edits


def test_changelog_of_b_lists_exactly_the_rows_the_edits_changed(released):
    changes = published_json(released["repo"], f"{B}/{releases.CHANGES_JSON}")["changelog"]
    assert changelog_edits(changes) == released["edits"]


def test_removing_the_village_removes_exactly_its_row_and_bmn_rows_and_adds_none(released):
    bangchak = {(r, kind, key) for p, r, kind, key in released["edits"] if p == "80/800119"}
    bmn_rows = {
        ("bmn_results", "removed", (REMOVED_VILLAGE, str(year), str(indicator.number)))
        for year in sample.BMN_YEARS
        for indicator in cl.BMN_INDICATORS
    }
    removed = {edit for edit in bangchak if edit[1] != "changed"}
    assert removed == {("villages", "removed", (REMOVED_VILLAGE,))} | bmn_rows
    assert len(removed) == 63
    projects = {key[1] for r, kind, key in bangchak if r == "plan_projects"}
    assert projects == {"P03", "P09"}  # the two projects of หมู่ที่ 9 become tambon-wide
    # every BMN tambon row changes (its village is no longer in the sum)
    tambon_bmn = {key for r, kind, key in bangchak if r == "bmn_results" and key[0] == BANG_CHAK}
    assert len(tambon_bmn) == len(bmn_rows)
    changed = Counter(r for r, kind, key in bangchak if kind == "changed")
    # every cell of population (2 sexes x 17 age groups), occupations (12 x 2) and the income
    # brackets (6 x 2 years) counts fewer people; besides the 62 tambon BMN rows, 1 row of
    # another village changes suppression (secondary suppression is worked out again on the
    # new totals)
    assert changed == {
        "tambon": 1, "bmn_results": 63, "population": 34, "occupations": 24,
        "income_brackets": 12, "income_summary": 2, "plan_projects": 2,
    }  # fmt: skip


def test_changelog_page_of_b_shows_the_removed_village_and_moved_figures(released):
    page = git(released["repo"], "show", f"{releases.BRANCH}:{B}/changes/index.html")
    assert "บ้านควนจันทร์" in page
    assert "7,904" in page and "6,182" in page  # the tambon's population, before and after
    assert f"80/{ADDED}" in page
    assert "โครงการที่เปลี่ยนสถานะ" in page  # P06: approved -> funded
    assert "อนุมัติแล้ว" in page and "ได้รับงบประมาณ" in page


def test_the_atom_feed_has_both_releases_newest_first_in_b_and_at_the_root(released):
    repo = released["repo"]
    for path in (releases.FEED, f"{B}/{releases.FEED}"):
        feed = ET.fromstring(git(repo, "show", f"{releases.BRANCH}:{path}"))
        entries = feed.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}title").text for e in entries] == [
            f"รุ่น {B} (release {B})",
            f"รุ่น {A} (release {A})",
        ]
        assert [e.find(f"{ATOM}id").text for e in entries] == [
            f"https://nst.example.test/tambon-portal/{v}/changes/" for v in (B, A)
        ]
        # 62 BMN rows of the removed village + the village itself; P06 (and its new step), one
        # village name and the 138 rows of 800119 the removal changed (see the test above)
        assert (
            entries[0]
            .find(f"{ATOM}summary")
            .text.endswith("(1 packages added, 0 removed; rows: 1 added, 63 removed, 140 changed)")
        )
        assert (
            entries[1]
            .find(f"{ATOM}summary")
            .text.endswith("(3 packages added, 0 removed; rows: 0 added, 0 removed, 0 changed)")
        )
        assert entries[1].find(f"{ATOM}published").text == "2026-10-05T00:00:00+00:00"


def test_releases_json_at_the_root_lists_both_versions(released):
    document = published_json(released["repo"], releases.RELEASES_JSON)
    assert document["latest"] == B
    assert [(v["version"], v["date"]) for v in document["versions"]] == [
        (B, "2026-11-03"),
        (A, "2026-10-05"),
    ]


def test_the_root_robots_txt_names_the_sitemap_of_the_newest_version_which_exists(released):
    repo = released["repo"]
    robots = git(repo, "show", f"{releases.BRANCH}:robots.txt")
    assert robots == (
        f"User-agent: *\nAllow: /\n\nSitemap: https://nst.example.test/tambon-portal/{B}/sitemap.xml\n"
    )
    sitemap = ET.fromstring(git(repo, "show", f"{releases.BRANCH}:{B}/sitemap.xml"))
    locations = [loc.text for loc in sitemap.iter(f"{SITEMAP_NS}loc")]
    assert f"https://nst.example.test/tambon-portal/{B}/tambon/800106/" in locations


def test_pages_of_b_link_their_releases_page_and_a_banner_to_the_same_page_in_latest(released):
    repo = released["repo"]
    releases_page = git(repo, "show", f"{releases.BRANCH}:{B}/releases/index.html")
    assert f'<a href="../../{A}/changes/">' in releases_page
    assert f'<a href="../../{B}/changes/">' in releases_page
    profile = git(repo, "show", f"{releases.BRANCH}:{A}/tambon/800106/index.html")
    # mkdocs-material shows the outdated banner where `latest` is not this version
    assert 'href="../../../latest/tambon/800106/"' in profile
    assert 'href="../../feed.xml"' in profile


# --- refusals, the dry run, a failed build ---------------------------------------------------


@pytest.mark.parametrize(
    ("version", "reason"),
    [(A, "already published"), (B, "already published"), ("2026.09", "does not sort after")],
)
def test_a_published_or_earlier_version_is_refused_and_nothing_changes(released, version, reason):
    repo = released["repo"]
    head = branch_head(repo)
    with pytest.raises(releases.ReleaseError, match=reason):
        release.release(repo, version)
    assert branch_head(repo) == head


@pytest.mark.parametrize(
    "version", ["2026.13", "v2026.12", "2026.12.0", "latest", "26.12", "2026.12\n", " 2026.12"]
)
def test_anything_but_a_calendar_version_is_refused(version):
    with pytest.raises(releases.ReleaseError, match="not a calendar version"):
        releases.version_key(version)


def test_the_cli_refuses_a_published_version_with_exit_code_1(released, monkeypatch, capsys):
    monkeypatch.chdir(released["repo"])
    assert cli_main(["release", A]) == 1
    assert "already published" in capsys.readouterr().err


def test_a_version_ending_in_a_newline_is_refused_before_anything_is_built(
    released, monkeypatch, capsys
):
    repo = released["repo"]
    head = branch_head(repo)
    monkeypatch.chdir(repo)
    assert cli_main(["release", "2026.12\n"]) == 1
    assert "'2026.12\\n' is not a calendar version" in capsys.readouterr().err
    assert branch_head(repo) == head


def ignored_package(repo: Path) -> Path:
    """A generic package inside datapackages/ that git ignores (.git/info/exclude)."""
    folder = repo / "datapackages" / "private-notes"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "notes.csv").write_text("note\nnot for publication\n", encoding="utf-8")
    (folder / "datapackage.json").write_text(
        json.dumps(
            {"name": "private-notes", "resources": [{"name": "notes", "path": "data/notes.csv"}]}
        ),
        encoding="utf-8",
    )
    (repo / ".git" / "info" / "exclude").write_text("datapackages/private-notes/\n")
    return folder


def test_a_release_builds_exactly_the_committed_tree_not_files_git_ignores(released):
    repo = released["repo"]
    head = branch_head(repo)
    folder = ignored_package(repo)
    seen: list[str] = []

    def recording_build(data_dir: Path, out_dir: Path, context: releases.ReleaseContext) -> None:
        seen.extend(sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*.json")))
        raise RuntimeError("stop after looking")

    try:
        with pytest.raises(RuntimeError, match="stop after looking"):
            release.release(repo, "2026.12", build=recording_build)
    finally:
        shutil.rmtree(folder)
        (repo / ".git" / "info" / "exclude").write_text("")
    committed = git(repo, "ls-files", "datapackages/*.json").split()
    assert seen == sorted(p.removeprefix("datapackages/") for p in committed)
    assert branch_head(repo) == head


def test_dry_run_names_the_ignored_files_a_release_leaves_out(released, monkeypatch, capsys):
    repo = released["repo"]
    folder = ignored_package(repo)
    monkeypatch.chdir(repo)
    try:
        assert cli_main(["release", "2026.12", "--dry-run"]) == 0
    finally:
        shutil.rmtree(folder)
        (repo / ".git" / "info" / "exclude").write_text("")
    out = capsys.readouterr().out
    assert "ไม่มีการเปลี่ยนแปลงข้อมูล (no data changes)" in out  # not "1 package added"
    assert "left out: 2 file(s) git ignores" in out
    assert "  datapackages/private-notes/datapackage.json" in out


def test_dry_run_reports_what_would_change_and_writes_nothing(released, monkeypatch, capsys):
    repo = released["repo"]
    head = branch_head(repo)
    monkeypatch.chdir(repo)
    assert cli_main(["release", "2026.12", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "2026.12" in out
    assert f"รุ่นก่อนหน้า (previous): {B}" in out
    assert "จะเพิ่มใน (would add to) branch gh-pages: 2026.12/ (whole site), latest → 2026.12" in out
    assert "ไม่มีการเปลี่ยนแปลงข้อมูล (no data changes)" in out
    assert "nothing written" in out
    assert branch_head(repo) == head


def test_dry_run_of_a_first_release_creates_no_branch(tmp_path, monkeypatch, capsys):
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    assert cli_main(["release", A, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "รุ่นก่อนหน้า (previous): ไม่มี (none: first release)" in out
    assert "(3 packages added, 0 removed; rows: 0 added, 0 removed, 0 changed)" in out
    assert git(repo, "branch", "--list", releases.BRANCH) == ""


def test_serve_releases_refuses_a_repository_without_releases(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(make_repo(tmp_path))
    assert cli_main(["serve", "--releases", "--port", "0"]) == 2
    assert capsys.readouterr().err == (
        "tambon serve: no gh-pages branch yet; run `tambon release` first\n"
    )


def test_data_not_committed_is_refused(released):
    repo = released["repo"]
    extra = repo / "datapackages" / "80" / "800106" / "notes.txt"
    extra.write_text("draft", encoding="utf-8")
    try:
        with pytest.raises(releases.ReleaseError, match="uncommitted"):
            release.release(repo, "2026.12", dry_run=True)
    finally:
        extra.unlink()


def test_data_that_does_not_validate_is_refused_and_nothing_is_published(tmp_path):
    repo = make_repo(tmp_path)
    tambon = repo / "datapackages" / "80" / BANG_CHAK / "data" / "tambon.csv"
    # a village dropped from the total only: the villages no longer add up to the tambon
    assert edit_cell(tambon, {"tambon_code": BANG_CHAK}, "households", "1944") == "2488"
    git(repo, "commit", "-q", "-am", "households without หมู่ที่ 9", date=DATE_A)
    with pytest.raises(BuildRefused):
        release.release(repo, A)
    assert git(repo, "branch", "--list", releases.BRANCH) == ""


def test_a_build_failing_midway_leaves_every_published_version_as_it_was(released):
    repo = released["repo"]
    head, blobs = branch_head(repo), published_blobs(repo)

    def half_build(data_dir: Path, out_dir: Path, context: releases.ReleaseContext) -> None:
        (out_dir / "tambon").mkdir(parents=True)
        (out_dir / "index.html").write_text("half a site", encoding="utf-8")
        raise RuntimeError("the build broke midway")

    with pytest.raises(RuntimeError, match="midway"):
        release.release(repo, "2026.12", build=half_build)
    assert branch_head(repo) == head
    assert published_blobs(repo) == blobs


def test_a_publish_step_failing_after_the_version_commit_restores_the_branch(released, monkeypatch):
    repo = released["repo"]
    head = branch_head(repo)

    def tiny_build(data_dir: Path, out_dir: Path, context: releases.ReleaseContext) -> None:
        out_dir.mkdir(parents=True)
        (out_dir / "index.html").write_text("tiny", encoding="utf-8")

    def broken_root_commit(context, branch):
        raise OSError("disk full")

    monkeypatch.setattr(release, "_commit_root_files", broken_root_commit)
    with pytest.raises(OSError, match="disk full"):
        release.release(repo, "2026.12", build=tiny_build)
    assert branch_head(repo) == head
    assert [p.version for p in release.published_versions(repo)] == [A, B]


# --- reproducibility -------------------------------------------------------------------------


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_two_builds_of_one_commit_are_identical_byte_for_byte(released, tmp_path):
    repo, context = released["repo"], released["b"]
    first, second = tmp_path / "one" / "site", tmp_path / "two" / "site"
    build_as_released(repo / "datapackages", first, context)
    build_as_released(repo / "datapackages", second, context)
    one, two = tree_bytes(first), tree_bytes(second)
    assert len(one) > 100
    assert sorted(one) == sorted(two)
    assert [path for path in sorted(one) if one[path] != two[path]] == []
    # and equal, file for file, to what release B published from the same commit
    rebuilt = {f"{B}/{path}": git_blob_id(data) for path, data in one.items()}
    assert rebuilt == published_blobs(repo, B)


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
