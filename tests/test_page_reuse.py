"""mkdocs renders again only the pages whose HTML would change (`pipeline.page_reuse`): a
rebuild after one tambon changed renders that tambon's pages and those that show its figures,
links the others from the live site, equals a clean build byte for byte, and never writes
into the live site, also when it fails."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tambon_portal.core import urls
from tambon_portal.pipeline import build, page_reuse, workspace
from tambon_portal.site import search

COMMITTED = Path(__file__).resolve().parents[1] / "datapackages"
TAMBONS = ("800106", "800114", "800202")  # two of อำเภอเมือง (8001), one of 8002


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def mkdocs_note(stats: dict) -> str:
    return next(s.detail for s in stats["stages"] if s.name == "mkdocs")


def rendered(stats: dict) -> int:
    return int(mkdocs_note(stats).split(" pages rendered")[0])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    for code in TAMBONS:
        shutil.copytree(COMMITTED / "80" / code, root / "80" / code)
    return root


def rename_a_village(data: Path, code: str) -> None:
    villages = data / "80" / code / "data" / "villages.csv"
    lines = villages.read_text("utf-8").splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[4] += " Nuea"  # name_en of the first village: in its tambon's downloads and pages
    lines[1] = ",".join(fields)
    villages.write_text("".join(lines), "utf-8")


def test_after_one_village_is_renamed_only_its_tambons_pages_are_rendered_and_equal_a_clean_build(
    data, tmp_path
):
    out = tmp_path / "out" / "site"
    first = build.build_site(data, out)
    pages = rendered(first)
    assert mkdocs_note(first).endswith(", 0 unchanged reused")

    rename_a_village(data, "800202")
    again = build.build_site(data, out)
    assert 1 <= rendered(again) <= 3, mkdocs_note(again)  # its profile, plan page: not 20 pages
    assert mkdocs_note(again).endswith(f", {pages - rendered(again)} unchanged reused")

    clean = tmp_path / "clean" / "site"
    build.build_site(data, clean)
    assert digest(out) == digest(clean)
    published = (out / "downloads" / "tambon-800202" / "villages.csv").read_text("utf-8")
    assert "Ban Tham Hin Nuea" in published


def test_the_search_index_of_a_rebuild_holds_the_pages_it_did_not_render(data, tmp_path):
    out = tmp_path / "out" / "site"
    build.build_site(data, out)
    before = digest(out / search.INDEX_DIR)
    ws = workspace.Workspace(out, workspace.work_folder_of(out))
    build.built_key_file(ws).unlink()  # a build with every input unchanged: all pages reused
    again = build.build_site(data, out)
    assert rendered(again) == 0
    assert digest(out / search.INDEX_DIR) == before  # the same copies: the same index


def test_a_rebuild_that_fails_after_mkdocs_leaves_the_live_site_byte_for_byte(
    data, tmp_path, monkeypatch
):
    out = tmp_path / "out" / "site"
    build.build_site(data, out)
    before = digest(out)
    rename_a_village(data, "800114")

    def broken(*args, **kwargs):
        raise RuntimeError("the search index failed")

    monkeypatch.setattr(search, "write_index", broken)
    with pytest.raises(RuntimeError):
        build.build_site(data, out)
    assert digest(out) == before
    monkeypatch.undo()
    ws = workspace.Workspace(out, workspace.work_folder_of(out))
    assert not page_reuse.keys_file(ws).exists()  # the failed build's pages are not vouched for
    build.build_site(data, out)
    clean = tmp_path / "clean" / "site"
    build.build_site(data, clean)
    assert digest(out) == digest(clean)


def test_an_offline_copy_reuses_no_page_and_leaves_nothing_to_reuse(data, tmp_path):
    out = tmp_path / "out" / "site"
    first = build.build_site(data, out)
    served = (out / "tambon" / "800106" / "index.html").read_bytes()
    offline = build.build_site(data, out, offline_copy=True)
    assert rendered(offline) == rendered(first)
    ws = workspace.Workspace(out, workspace.work_folder_of(out))
    assert not page_reuse.keys_file(ws).exists()
    assert (out / "tambon" / "800106" / "index.html").read_bytes() != served  # rewritten
    again = build.build_site(data, out)
    assert rendered(again) == rendered(first)  # nothing taken from the offline copy
    assert (out / "tambon" / "800106" / "index.html").read_bytes() == served


def test_a_page_missing_from_the_live_site_is_rendered_again(data, tmp_path):
    out = tmp_path / "out" / "site"
    build.build_site(data, out)
    profile = out / "tambon" / "800114" / "index.html"
    kept = profile.read_bytes()
    profile.unlink()
    ws = workspace.Workspace(out, workspace.work_folder_of(out))
    build.built_key_file(ws).unlink()
    again = build.build_site(data, out)
    assert rendered(again) == 1
    assert profile.read_bytes() == kept


def test_the_live_sites_keys_name_every_page_and_its_output(data, tmp_path):
    out = tmp_path / "out" / "site"
    build.build_site(data, out)
    ws = workspace.Workspace(out, workspace.work_folder_of(out))
    keys = json.loads(page_reuse.keys_file(ws).read_text("utf-8"))
    assert keys[urls.tambon_path("800106")][1] == "tambon/800106/index.html"
    assert all((out / output).is_file() for _, output in keys.values())
