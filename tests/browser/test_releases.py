"""Two releases on a gh-pages branch, as a reader's browser meets them.

An older version shows mkdocs-material's outdated banner (driven by versions.json and
`extra.version.default: latest`) whose link opens the same page in the newest version; the
newest version shows no banner; the version menu lists both; the root goes to `latest`.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from fixtures.release import site_address  # noqa: F401 (autouse fixture)

from browser.search_reader import search
from tambon_portal.pipeline import release

SOURCE = Path(__file__).resolve().parents[2] / "datapackages" / "80"
OLD, NEW = "2026.10", "2026.11"
PROFILE = "tambon/800106/"


def _git(repo: Path, *args: str, date: str | None = None) -> bytes:
    env = {**os.environ, **({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {})}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True).stdout


@pytest.fixture(scope="module")
def releases_url(tmp_path_factory, serve) -> str:
    root = tmp_path_factory.mktemp("releases")
    repo = root / "repo"
    for code in ("800106", "800114"):
        shutil.copytree(SOURCE / code, repo / "datapackages" / "80" / code)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.name", "Test Maintainer")
    _git(repo, "config", "user.email", "maintainer@example.org")
    _git(repo, "add", "datapackages")
    _git(repo, "commit", "-q", "-m", "A", date="2026-10-05T09:00:00+00:00")
    release.release(repo, OLD)
    projects = repo / "datapackages" / "80" / "800106" / "data" / "plan_projects.csv"
    text = projects.read_text(encoding="utf-8")
    edited = text.replace("โครงการวางท่อระบายน้ำ ตำบลท่าไร่", "โครงการวางท่อระบายน้ำ สายหลัก ตำบลท่าไร่", 1)
    assert edited != text  # release B must differ from A
    projects.write_text(edited, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "B", date="2026-11-03T09:00:00+00:00")
    release.release(repo, NEW)
    published = root / "gh-pages"
    with tarfile.open(fileobj=io.BytesIO(_git(repo, "archive", "gh-pages"))) as tar:
        tar.extractall(published, filter="data")
    return serve(published)


def test_an_older_version_says_so_and_links_the_same_page_in_the_latest(
    releases_url, page, page_log
):
    page.goto(f"{releases_url}/{OLD}/{PROFILE}")
    banner = page.locator("[data-md-component=outdated]")
    banner.locator(".release-outdated").wait_for(state="visible")
    assert f"ข้อมูลรุ่นเก่า {OLD}" in banner.inner_text()
    assert page.locator(".release-version strong").inner_text() == OLD
    banner.locator("a").click()
    page.wait_for_url(f"{releases_url}/{NEW}/{PROFILE}")
    assert page.locator(".release-version strong").inner_text() == NEW
    page_log.assert_clean()


def test_the_latest_version_shows_no_banner_and_its_menu_lists_both(releases_url, page, page_log):
    page.goto(f"{releases_url}/{NEW}/{PROFILE}")
    page.locator(".md-version__list").wait_for(state="attached")
    items = page.locator(".md-version__list .md-version__link").all_inner_texts()
    assert [i.split()[0] for i in items] == [NEW, OLD]
    assert page.locator("[data-md-component=outdated]").is_hidden()
    page_log.assert_clean()


def test_a_release_page_with_its_version_line_and_banner_passes_axe(releases_url, page, axe):
    page.goto(f"{releases_url}/{OLD}/{PROFILE}")
    page.locator(".release-outdated").wait_for(state="visible")
    assert axe(page) == []


def test_the_root_opens_the_latest_version(releases_url, page, page_log):
    page.goto(f"{releases_url}/")
    page.wait_for_url(f"{releases_url}/{NEW}/")
    page_log.assert_clean()


def test_search_in_an_older_release_finds_its_tambon_and_stays_in_that_version(
    releases_url, page, page_log
):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{releases_url}/{OLD}/")
    assert search(page, "ท่าไร่")[0] == f"/{OLD}/{PROFILE}"
    assert any(url.startswith(f"{releases_url}/{OLD}/pagefind/") for url in fetched)
    page_log.assert_clean()
