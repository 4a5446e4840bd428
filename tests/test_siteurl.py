"""The site's public address: from the option, the environment or the GitHub remote; without
one, pages say the address is set at release and never print a made-up host."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fixtures.tambon_package import CODE, write_tambon_package

from tambon_portal.core import siteurl
from tambon_portal.pipeline import build, release
from tambon_portal.publish import releases


def _repo(folder: Path, origin: str | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    if origin:
        subprocess.run(["git", "-C", str(folder), "remote", "add", "origin", origin], check=True)
    return folder


@pytest.mark.parametrize(
    "origin",
    ["https://github.com/NST-Data/tambon-portal.git", "git@github.com:nst-data/tambon-portal.git",
     "https://github.com/nst-data/tambon-portal"],
)  # fmt: skip
def test_a_github_clone_is_published_at_its_pages_address(tmp_path, origin):
    repo = _repo(tmp_path / "repo", origin)
    assert siteurl.github_pages_url(repo) == "https://nst-data.github.io/tambon-portal"


def test_the_option_wins_then_the_environment_then_the_remote(tmp_path, monkeypatch):
    repo = _repo(tmp_path / "repo", "https://github.com/o/r.git")
    monkeypatch.delenv(siteurl.ENV, raising=False)
    assert siteurl.resolve(None, repo) == "https://o.github.io/r"
    monkeypatch.setenv(siteurl.ENV, "https://env.example/x/")
    assert siteurl.resolve(None, repo) == "https://env.example/x"
    assert siteurl.resolve("https://opt.example/", repo) == "https://opt.example"


def test_without_any_address_there_is_none(tmp_path, monkeypatch):
    monkeypatch.delenv(siteurl.ENV, raising=False)
    assert siteurl.resolve(None, _repo(tmp_path / "repo", None)) is None
    assert siteurl.resolve(None, tmp_path) is None  # not a git clone at all


def test_a_build_without_an_address_prints_no_placeholder_host_on_any_page(tmp_path, monkeypatch):
    monkeypatch.delenv(siteurl.ENV, raising=False)
    data = tmp_path / "data"
    write_tambon_package(data)
    site = tmp_path / "out" / "site"
    build.build_site(data, site)
    pages = {p: p.read_text("utf-8") for p in site.rglob("*.html")}
    assert [str(p) for p, text in pages.items() if "example.org" in text] == []
    profile = pages[site / "tambon" / CODE / "index.html"]
    assert siteurl.NOT_SET_TH in profile  # the citation says it plainly
    assert "&lt;iframe" not in profile  # no embed code with a made-up host
    assert siteurl.NOT_SET_TH in pages[site / "downloads" / "index.html"]


def test_a_release_without_an_address_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv(siteurl.ENV, raising=False)
    repo = _repo(tmp_path / "repo", None)
    with pytest.raises(releases.ReleaseError, match="needs the site's public address"):
        release._release_site_url(None, repo)
