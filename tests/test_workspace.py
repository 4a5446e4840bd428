"""The build's output and work folder: nothing outside them touched, one build at a time,
no moment without a site, and what a killed build left repaired by the next one."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tambon_portal.pipeline import workspace
from tambon_portal.pipeline.workspace import SITE_MARKER, WORK_MARKER, WorkspaceError


def _site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    (folder / SITE_MARKER).write_text("", encoding="utf-8")
    return folder


def _publish(out: Path, text: str) -> None:
    with workspace.workspace(out) as ws:
        workspace.swap_in(ws, _site(ws.new_site_folder(), text))


def test_the_work_folder_is_beside_the_output_and_named_after_it(tmp_path):
    out = tmp_path / "x" / "site"
    _publish(out, "one")
    assert sorted(p.name for p in out.parent.iterdir()) == [".site.tambon-work", "site"]
    assert (out.parent / ".site.tambon-work" / WORK_MARKER).is_file()
    assert (out / "index.html").read_text("utf-8") == "one"


def test_folders_beside_the_output_are_never_touched(tmp_path):
    out = tmp_path / "x" / "site"
    for name in ("publish", "staging", "cache"):
        (out.parent / name).mkdir(parents=True)
        (out.parent / name / "mine.txt").write_text("keep", encoding="utf-8")
    _publish(out, "one")
    _publish(out, "two")
    for name in ("publish", "staging", "cache"):
        assert (out.parent / name / "mine.txt").read_text("utf-8") == "keep"


def test_a_folder_named_like_the_work_folder_but_not_ours_is_refused(tmp_path):
    out = tmp_path / "site"
    foreign = tmp_path / ".site.tambon-work"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="not a tambon work folder"):
        _publish(out, "one")
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert not out.exists()


def test_an_output_folder_holding_other_files_is_refused_not_replaced(tmp_path):
    out = tmp_path / "Documents"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="not built by tambon"):
        _publish(out, "one")
    assert (out / "thesis.docx").read_text("utf-8") == "years of work"


def test_an_empty_output_folder_and_a_site_of_an_earlier_version_are_replaced(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    _publish(empty, "new")
    assert (empty / "index.html").read_text("utf-8") == "new"
    legacy = tmp_path / "legacy"  # built before SITE_MARKER existed
    (legacy / "api" / "v1").mkdir(parents=True)
    (legacy / "catalog.jsonld").write_text("{}", encoding="utf-8")
    (legacy / "api" / "v1" / "tambons.json").write_text("[]", encoding="utf-8")
    _publish(legacy, "new")
    assert sorted(p.name for p in legacy.iterdir()) == [SITE_MARKER, "index.html"]


def test_the_output_never_disappears_while_a_new_site_is_swapped_in(tmp_path):
    out = tmp_path / "site"
    _publish(out, "0")
    missing: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not (out / "index.html").exists():
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with workspace.workspace(out) as ws:
            for n in range(200):
                workspace.swap_in(ws, _site(ws.new_site_folder(), str(n)))
    finally:
        stop.set()
        watcher.join()
    assert missing == []
    assert (out / "index.html").read_text("utf-8") == "199"


def test_without_an_atomic_exchange_two_renames_are_used_and_nothing_is_left(tmp_path):
    out = tmp_path / "site"
    _publish(out, "old")
    with workspace.workspace(out) as ws:
        workspace.swap_in(ws, _site(ws.new_site_folder(), "new"), exchange=lambda a, b: False)
        assert sorted(p.name for p in ws.root.iterdir()) == [WORK_MARKER, "lock"]
    assert (out / "index.html").read_text("utf-8") == "new"


def test_a_build_killed_between_the_two_renames_gets_its_old_site_back_first_thing(tmp_path):
    out = tmp_path / "site"
    _publish(out, "good")
    root = workspace.work_folder_of(out)
    # What the fallback swap leaves when killed after its first rename: no site, the old
    # one aside, the new one (here half-built) beside it.
    out.rename(root / "old-abc12345")
    (root / "new-def67890").mkdir()
    (root / "new-def67890" / "half.html").write_text("", encoding="utf-8")
    with workspace.workspace(out) as ws:
        assert (out / "index.html").read_text("utf-8") == "good"
        assert sorted(p.name for p in ws.root.iterdir()) == [WORK_MARKER, "lock"]


def test_leftovers_of_builds_of_an_earlier_version_are_restored_or_removed(tmp_path):
    out = tmp_path / "site"
    _site(tmp_path / ".site.old-a1b2c3d4", "good")  # killed mid-swap by an earlier version
    (tmp_path / ".site.new-e5f6g7h8").mkdir()
    (tmp_path / ".site.new-notours").mkdir()  # not a name those builds made: left alone
    with workspace.workspace(out):
        pass
    assert (out / "index.html").read_text("utf-8") == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".site.new-notours",
        ".site.tambon-work",
        "site",
    ]


def test_a_second_build_into_the_same_output_waits_for_the_first(tmp_path):
    out = tmp_path / "site"
    events: list[str] = []
    first_inside = threading.Event()

    def first() -> None:
        with workspace.workspace(out) as ws:
            first_inside.set()
            time.sleep(0.5)
            workspace.swap_in(ws, _site(ws.new_site_folder(), "first"))
            events.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait()
    with workspace.workspace(out, on_wait=events.append) as ws:
        events.append("second inside")
        assert (out / "index.html").read_text("utf-8") == "first"
        workspace.swap_in(ws, _site(ws.new_site_folder(), "second"))
    thread.join()
    assert len(events) == 3
    assert events[0].startswith("another build into this output is running (pid ")
    assert events[1:] == ["first done", "second inside"]


def test_builds_into_different_outputs_do_not_share_a_work_folder(tmp_path):
    a, b = tmp_path / "out" / "a", tmp_path / "out" / "b"
    assert workspace.work_folder_of(a) != workspace.work_folder_of(b)
    with workspace.workspace(a) as ws_a, workspace.workspace(b) as ws_b:  # no waiting
        workspace.swap_in(ws_a, _site(ws_a.new_site_folder(), "a"))
        workspace.swap_in(ws_b, _site(ws_b.new_site_folder(), "b"))
    assert (a / "index.html").read_text("utf-8") == "a"
    assert (b / "index.html").read_text("utf-8") == "b"


def test_an_output_that_is_a_symbolic_link_is_refused(tmp_path):
    real = tmp_path / "real"
    _site(real, "x")
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(WorkspaceError, match="symbolic link"):
        _publish(tmp_path / "link", "y")
    assert (real / "index.html").read_text("utf-8") == "x"


def test_a_refused_build_still_gets_the_old_site_back_but_creates_no_work_folder(tmp_path):
    out = tmp_path / "site"
    _publish(out, "good")
    root = workspace.work_folder_of(out)
    out.rename(root / "old-abc12345")  # killed mid-swap
    assert workspace.repair(out) == ["restored the previous site from old-abc12345"]
    assert (out / "index.html").read_text("utf-8") == "good"
    elsewhere = tmp_path / "never-built"
    assert workspace.repair(elsewhere) == []
    assert not workspace.work_folder_of(elsewhere).exists()
