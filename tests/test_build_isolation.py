"""`tambon build` as a real process: it writes only its output and its work folder, builds
into one output one at a time, survives a kill, and reports a full disk instead of crashing.

These run the command in subprocesses (as a user or CI does), so a kill is a real SIGKILL and
two builds are really concurrent.
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixtures.tambon_package import CODE, write_tambon_package

from tambon_portal import cli
from tambon_portal.pipeline import build, workspace
from tambon_portal.publish import downloads

pytestmark = pytest.mark.slow

EPOCH = "1767225600"  # 2026-01-01: two builds of the same data give the same bytes


def tambon(*args: str, home: Path, wait: bool = True) -> subprocess.Popen | int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHAINLP")}
    env.update(HOME=str(home), SOURCE_DATE_EPOCH=EPOCH, CI="true")
    process = subprocess.Popen(
        [sys.executable, "-m", "tambon_portal.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if not wait:
        return process
    _, err = process.communicate(timeout=600)
    assert "Traceback" not in err
    return process.returncode


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def every_path(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def build_caught_writing_its_site(data: Path, out: Path, home: Path) -> subprocess.Popen:
    """A `tambon build` started and caught while it writes the new site (to be stopped)."""
    process = tambon("build", "--data", str(data), "--out", str(out), home=home, wait=False)
    work = workspace.work_folder_of(out)
    deadline = time.monotonic() + 300
    while not any(work.glob("new-*/*")):
        assert process.poll() is None, "the build ended before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return process


def village_named(name: str):
    def edit(tables, descriptor):
        tables["villages"][1][3] = name

    return edit


def test_a_build_writes_nothing_outside_its_output_and_work_folder(tmp_path):
    data = tmp_path / "data"
    write_tambon_package(data)
    out = tmp_path / "x" / "out" / "site"
    planted = {}
    for name in ("publish", "staging", "cache", ".site.new-mine", "site.old"):
        (out.parent / name).mkdir(parents=True)
        (out.parent / name / "mine.txt").write_text(f"keep {name}", encoding="utf-8")
        planted[out.parent / name / "mine.txt"] = f"keep {name}"
    home = tmp_path / "home"
    home.mkdir()
    before = every_path(tmp_path)

    assert tambon("build", "--data", str(data), "--out", str(out), home=home) == 0

    for path, text in planted.items():
        assert path.read_text("utf-8") == text
    work = workspace.work_folder_of(out)
    new = every_path(tmp_path) - before
    outside = {
        p for p in new if not (tmp_path / p).is_relative_to(out)
        and not (tmp_path / p).is_relative_to(work)
    }  # fmt: skip
    assert outside == set()
    assert {"x/out/site", "x/out/.site.tambon-work"} <= new
    assert list(home.iterdir()) == []  # no ~/pythainlp-data, no ~/.cache
    assert (out / "tambon" / CODE / "index.html").is_file()


def test_two_builds_into_one_output_at_once_end_with_the_site_a_serial_build_gives(tmp_path):
    data = tmp_path / "data"
    write_tambon_package(data)
    home = tmp_path / "home"
    serial, shared = tmp_path / "serial" / "site", tmp_path / "shared" / "site"
    assert tambon("build", "--data", str(data), "--out", str(serial), home=home) == 0

    both = [
        tambon("build", "--data", str(data), "--out", str(shared), home=home, wait=False)
        for _ in range(2)
    ]
    results = [p.communicate(timeout=600) for p in both]
    assert [p.returncode for p in both] == [0, 0]
    assert all("Traceback" not in err for _, err in results)
    assert any("another build into this output is running" in err for _, err in results)
    assert digest(shared) == digest(serial)
    assert sorted(p.name for p in workspace.work_folder_of(shared).iterdir()) == [
        "TAMBON-WORK-FOLDER",
        "built-pages.json",
        "built.key",
        "cache",
        "lock",
        "publish",
        "staging",
    ]


def test_builds_into_two_outputs_at_once_from_different_data_keep_their_own_pages(tmp_path):
    home = tmp_path / "home"
    runs = []
    for name in ("a", "b"):
        data = tmp_path / f"data-{name}"
        write_tambon_package(data, edit=village_named(f"บ้านทดสอบ{name}"))
        out = tmp_path / "out" / name
        runs.append((name, out, tambon("build", "--data", str(data), "--out", str(out),
                                       home=home, wait=False)))  # fmt: skip
    for name, out, process in runs:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        profile = (out / "tambon" / CODE / "index.html").read_text("utf-8")
        other = "b" if name == "a" else "a"
        assert f"บ้านทดสอบ{name}" in profile
        assert f"บ้านทดสอบ{other}" not in profile
        sums = subprocess.run(
            ["sha256sum", "--quiet", "-c", "SHA256SUMS"],
            cwd=out / "downloads",
            capture_output=True,
            text=True,
        )
        assert sums.returncode == 0, sums.stdout + sums.stderr


def test_a_build_killed_midway_leaves_the_previous_site_and_the_next_one_cleans_up(tmp_path):
    data = tmp_path / "data"
    write_tambon_package(data)
    home = tmp_path / "home"
    out = tmp_path / "out" / "site"
    assert tambon("build", "--data", str(data), "--out", str(out), home=home) == 0
    before = digest(out)
    work = workspace.work_folder_of(out)
    (work / "built.key").unlink()  # else a build of unchanged data is skipped: nothing to stop

    process = build_caught_writing_its_site(data, out, home)
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert digest(out) == before
    assert list(work.glob("new-*")) != []  # what a kill leaves, until the next build
    assert tambon("build", "--data", str(data), "--out", str(out), home=home) == 0
    assert list(work.glob("new-*")) == list(work.glob("old-*")) == []
    assert digest(out) == before


def test_a_terminated_build_removes_its_half_built_site_and_keeps_the_old_one(tmp_path):
    data = tmp_path / "data"
    write_tambon_package(data)
    home = tmp_path / "home"
    out = tmp_path / "out" / "site"
    assert tambon("build", "--data", str(data), "--out", str(out), home=home) == 0
    before = digest(out)
    work = workspace.work_folder_of(out)
    (work / "built.key").unlink()  # else a build of unchanged data is skipped: nothing to stop
    process = build_caught_writing_its_site(data, out, home)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in err
    assert list(work.glob("new-*")) == []
    assert digest(out) == before


def test_a_full_disk_is_reported_with_the_file_and_the_previous_site_stays(
    tmp_path, monkeypatch, capsys
):
    data = tmp_path / "data"
    write_tambon_package(data)
    out = tmp_path / "out" / "site"
    build.build_site(data, out)
    before = digest(out)
    full = tmp_path / "out" / "disk-full.zip"

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(full))

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # a new cache key: downloads are written
    monkeypatch.setattr(downloads, "zip_bytes", no_space)
    assert cli.build_main(data, out) == 2
    err = capsys.readouterr().err
    assert f"{full}: No space left on device" in err
    assert "Traceback" not in err
    assert digest(out) == before
    work = workspace.work_folder_of(out)
    assert list(work.glob("new-*")) == []
    assert list((work / "cache" / "downloads").glob("*.pickle")) != []  # the old entries
    assert list((work / "cache" / "downloads").glob(".partial-*")) == []


def test_an_output_that_is_not_a_tambon_site_is_refused_with_exit_2(tmp_path, capsys):
    data = tmp_path / "data"
    write_tambon_package(data)
    out = tmp_path / "Documents"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work", encoding="utf-8")
    assert cli.build_main(data, out) == 2
    assert "not built by tambon" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]


def test_an_unexpected_error_is_one_line_with_exit_3_not_a_traceback(tmp_path, monkeypatch, capsys):
    def bug(*args, **kwargs):
        raise ValueError("something the code did not expect")

    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    monkeypatch.setattr(build, "build_site", bug)
    assert cli.main(["build", "--data", str(tmp_path), "--out", str(tmp_path / "site")]) == 3
    err = capsys.readouterr().err
    assert "internal error (a bug; please report it): ValueError: something" in err
    assert "TAMBON_DEBUG=1" in err
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    with pytest.raises(ValueError):
        cli.main(["build", "--data", str(tmp_path), "--out", str(tmp_path / "site")])
