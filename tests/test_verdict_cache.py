"""`tambon validate` keeps its verdicts in the build's work folder: a run with nothing changed
opens no CSV file, a changed cell is seen, and a broken cache is only ignored."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.tambon_package import write_tambon_package

from tambon_portal import cli
from tambon_portal.checks import cell_ranges, validate, verdict_cache
from tambon_portal.checks.disclosure_audit import split_resource
from tambon_portal.core import code_version
from tambon_portal.packages import discovery
from tambon_portal.packages.file_store import FileStore
from tambon_portal.pipeline import workspace

HOUR_AGO = time.time() - 3600
_opened: list[str] | None = None  # the files opened while a test watches (`watch_opens`)


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], str | bytes | Path):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # an audit hook cannot be removed: it records only while watched


@contextlib.contextmanager
def watch_opens() -> Iterator[list[str]]:
    """The paths of the files opened inside the `with` block."""
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def write_data(tmp_path: Path, edit=None) -> Path:
    """The fixture tambon package and a small generic one under tmp_path/data, their files
    last modified an hour ago (well before any run hashes them)."""
    data = tmp_path / "data"
    write_tambon_package(data, edit=edit)
    generic = data / "g"
    generic.mkdir()
    (generic / "t.csv").write_text("a\n1\n", encoding="utf-8")
    resource = {
        "name": "t",
        "path": "t.csv",
        "schema": {"fields": [{"name": "a", "type": "integer"}]},
    }
    (generic / "datapackage.json").write_text(json.dumps({"name": "g", "resources": [resource]}))
    for path in data.rglob("*"):
        os.utime(path, (HOUR_AGO, HOUR_AGO))
    return data


def run(data: Path, out: Path, capsys, *extra: str) -> tuple[int, str, str]:
    status = cli.main(["validate", "--data", str(data), "--out", str(out), *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def cache_file(out: Path) -> Path:
    return workspace.work_folder_of(out.absolute()) / "cache" / "validate" / verdict_cache.FILE_NAME


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_a_second_run_with_nothing_changed_opens_no_csv_and_says_so(tmp_path, capsys):
    data, out = write_data(tmp_path), tmp_path / "site"
    first = run(data, out, capsys)
    assert first[0] == 0 and first[2].endswith("2 packages: 0 from cache, 2 checked\n")
    with watch_opens() as opened:
        second = run(data, out, capsys)
    assert second[:2] == first[:2]
    assert second[2].endswith("2 packages: 2 from cache, 0 checked\n")
    assert [path for path in opened if path.endswith(".csv")] == []


def test_one_changed_cell_is_checked_again_and_its_verdict_changes(tmp_path, capsys):
    data, out = write_data(tmp_path), tmp_path / "site"
    assert run(data, out, capsys)[0] == 0
    villages = data / "80" / "800106" / "data" / "villages.csv"
    text = villages.read_text(encoding="utf-8")
    # Same size, and its modification time put back: only its change time (ctime) tells.
    villages.write_text(text.replace(",120,", ",12?,", 1), encoding="utf-8")
    os.utime(villages, (HOUR_AGO, HOUR_AGO))
    status, stdout, stderr = run(data, out, capsys)
    assert status == 1
    assert "80/800106/data/villages.csv:2:households: '12?' is not a valid integer" in stdout
    assert stderr.endswith("2 packages: 1 from cache, 1 checked\n")
    assert run(data, out, capsys)[2].endswith("2 packages: 2 from cache, 0 checked\n")


@pytest.mark.parametrize(
    "corrupt",
    [
        b"",
        b"{not json",
        b"[]",
        json.dumps({"format": verdict_cache.FORMAT, "files": [], "packages": 5}).encode(),
        b"\xff\xfe garbage",
    ],
    ids=["empty", "not-json", "a-list", "wrong-shapes", "not-utf8"],
)
def test_a_corrupt_cache_file_is_ignored_and_rewritten(tmp_path, capsys, corrupt):
    data, out = write_data(tmp_path), tmp_path / "site"
    first = run(data, out, capsys)
    cache_file(out).write_bytes(corrupt)
    again = run(data, out, capsys)
    assert again[:2] == first[:2] and again[2].endswith("0 from cache, 2 checked\n")
    assert json.loads(cache_file(out).read_text(encoding="utf-8"))["format"] == verdict_cache.FORMAT
    assert run(data, out, capsys)[2].endswith("2 from cache, 0 checked\n")


def test_a_corrupt_entry_is_checked_again(tmp_path, capsys):
    data, out = write_data(tmp_path), tmp_path / "site"
    first = run(data, out, capsys)
    content = json.loads(cache_file(out).read_text(encoding="utf-8"))
    for entry in content["packages"].values():
        entry["problems"] = [{"not": "a problem"}]
    cache_file(out).write_text(json.dumps(content), encoding="utf-8")
    again = run(data, out, capsys)
    assert again[:2] == first[:2] and again[2].endswith("0 from cache, 2 checked\n")


def test_the_cache_is_written_in_the_outputs_work_folder_only(tmp_path, capsys):
    data, out = write_data(tmp_path), tmp_path / "site"
    before = tree_hash(data)
    run(data, out, capsys)
    assert tree_hash(data) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.tambon-work", "data"]
    assert cache_file(out).is_file()
    assert (workspace.work_folder_of(out.absolute()) / workspace.WORK_MARKER).is_file()


def test_a_folder_of_the_work_folders_name_that_is_not_ours_is_left_alone(tmp_path, capsys):
    data, out = write_data(tmp_path), tmp_path / "site"
    theirs = workspace.work_folder_of(out)
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine", encoding="utf-8")
    status, stdout, stderr = run(data, out, capsys)
    assert status == 0 and stdout.endswith("all valid\n")
    assert "no cache of verdicts" in stderr and "every package is checked" in stderr
    assert sorted(p.name for p in theirs.iterdir()) == ["notes.txt"]


def test_no_cache_checks_everything_and_writes_nothing(tmp_path, capsys):
    data, out = write_data(tmp_path), tmp_path / "site"
    status, _stdout, stderr = run(data, out, capsys, "--no-cache")
    assert status == 0 and "from cache" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_a_change_of_code_or_year_checks_everything_again(tmp_path, capsys, monkeypatch):
    data, out = write_data(tmp_path), tmp_path / "site"
    run(data, out, capsys)
    monkeypatch.setattr(code_version, "code_version", lambda file_hash: "another version")
    assert run(data, out, capsys)[2].endswith("0 from cache, 2 checked\n")
    monkeypatch.setattr("tambon_portal.checks.validate.current_year_be", lambda: 2600)
    assert run(data, out, capsys)[2].endswith("0 from cache, 2 checked\n")


COMMITTED = Path(__file__).resolve().parents[1] / "datapackages"


def test_a_provinces_audit_after_one_tambon_changed_reads_again_only_that_tambon(tmp_path):
    # The area totals are audited with every tambon of the province; the tambons that did not
    # change are taken typed from the cache (`verdict_cache.kept_tables`), not read again.
    data = tmp_path / "data"
    shutil.copytree(COMMITTED, data)
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    assert validate.validate_tree(data, cache_dir=cache_dir) == []
    tables = cache_dir / verdict_cache.TABLES
    first = set(os.listdir(tables))
    tambons = len(list((data / "80").glob("80????/datapackage.json")))
    assert len(first) == tambons + 1  # and the area totals
    villages = data / "80" / "800106" / "data" / "villages.csv"
    villages.write_text(villages.read_text("utf-8").replace(",Ban ", ",Baan ", 1), "utf-8")
    with watch_opens() as opened:
        assert validate.validate_tree(data, cache_dir=cache_dir) == []
    second = set(os.listdir(tables))
    assert len(first - second) == len(second - first) == 1  # the changed tambon's, replaced
    # Of the other tambons, only their projects, which the partners' check reads (not typed);
    # of the area package, the list of tambons it covers.
    tambon_csvs = {Path(p).name for p in opened
                   if p.endswith(".csv") and "/80/80" in p and "/800106/" not in p}  # fmt: skip
    assert tambon_csvs == {"plan_projects.csv"}


def count_solved_groups(monkeypatch, *, across_packages: bool = False) -> list[int]:
    """A list that grows by one for each group of relations the audit solves (only those of
    an audit across packages, a province's, whose cells are named by package too)."""
    solved: list[int] = []
    solve = cell_ranges._group_ranges

    def counted(solver, group, disclosed_only):
        named = [split_resource(t.cell.resource)[0] for r in group for t in r.terms()]
        if not across_packages or all(named):
            solved.append(1)
        return solve(solver, group, disclosed_only)

    monkeypatch.setattr(cell_ranges, "_group_ranges", counted)
    return solved


def _relations(hidden_total: int) -> list[cell_ranges.Relation]:
    """Two independent groups: a total of three suppressed parts, and another of two."""

    def term(resource: str, index: int, value: int | None) -> cell_ranges.Term:
        return cell_ranges.Term(cell_ranges.Cell(resource, index, "households"), value)

    return [
        cell_ranges.Relation(term("a", 0, 30), tuple(term("a", i, None) for i in (1, 2, 3))),
        cell_ranges.Relation(term("b", 0, hidden_total), (term("b", 1, None), term("b", 2, None))),
    ]


def test_kept_ranges_solve_again_only_the_group_whose_published_value_changed(
    tmp_path, monkeypatch
):
    (tmp_path / "ranges").mkdir()
    path = verdict_cache.ranges_file(tmp_path / "ranges", "area-totals-10")
    solved = count_solved_groups(monkeypatch)
    plain = {total: cell_ranges.ranges(_relations(total)) for total in (20, 3)}  # no memo

    def solve_with(code: str, total: int) -> int:
        """How many groups `ranges` solves with the memo kept under `code`."""
        solved.clear()
        memo = verdict_cache.KeptRanges(path, code)
        assert cell_ranges.ranges(_relations(total), memo) == plain[total]
        memo.save()
        return len(solved)

    assert solve_with("code-1", 20) == 2
    assert solve_with("code-1", 20) == 0  # both groups answered by the file
    assert solve_with("code-1", 3) == 1  # "b" changed: only it is solved again
    assert solve_with("code-2", 3) == 2  # kept under another version of the code: not taken


def test_kept_ranges_are_not_written_where_the_cache_folder_is_missing(tmp_path):
    path = verdict_cache.ranges_file(tmp_path / "no-cache" / "ranges", "area-totals-10")
    memo = verdict_cache.KeptRanges(path, "code-1")
    cell_ranges.ranges(_relations(20), memo)
    memo.save()
    assert not (tmp_path / "no-cache").exists()


def test_a_provinces_audit_after_a_name_changed_solves_no_linear_program(tmp_path, monkeypatch):
    # The name is in no published relation: every group of the province's audit is answered
    # by the ranges kept from the run before (`verdict_cache.KeptRanges`).
    data = tmp_path / "data"
    shutil.copytree(COMMITTED, data)
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    solved = count_solved_groups(monkeypatch, across_packages=True)
    assert validate.validate_tree(data, cache_dir=cache_dir) == []
    assert solved  # the first run solved the groups
    assert os.listdir(cache_dir / verdict_cache.RANGES) == ["area-totals-80.pickle"]
    solved.clear()
    villages = data / "80" / "800106" / "data" / "villages.csv"
    villages.write_text(villages.read_text("utf-8").replace(",Ban ", ",Baan ", 1), "utf-8")
    assert validate.validate_tree(data, cache_dir=cache_dir) == []
    assert solved == []  # (the changed tambon's own audit, of its package alone, is solved)


def test_a_first_build_keeps_the_provinces_audit_once_it_has_its_cache_folder(
    tmp_path, monkeypatch
):
    # A build validates before it claims its work folder (a refused build writes nothing):
    # what the province's audit read and solved is held until `save`, so the rebuild after a
    # change reads again only the changed tambon and solves no group of the province.
    data = tmp_path / "data"
    shutil.copytree(COMMITTED, data)
    cache_dir = tmp_path / "work" / "cache" / verdict_cache.FOLDER  # no work folder yet
    store = FileStore()
    cache = verdict_cache.VerdictCache(cache_dir, store)
    assert validate.check_packages(discovery.discover(data, store), data, cache=cache,
                                   store=store) == []  # fmt: skip
    assert not (tmp_path / "work").exists()
    cache_dir.parent.mkdir(parents=True)  # the build has claimed its work folder
    cache.save()
    tambons = len(list((data / "80").glob("80????/datapackage.json")))
    assert len(os.listdir(cache_dir / verdict_cache.TABLES)) == tambons + 1
    assert os.listdir(cache_dir / verdict_cache.RANGES) == ["area-totals-80.pickle"]
    solved = count_solved_groups(monkeypatch, across_packages=True)
    villages = data / "80" / "800106" / "data" / "villages.csv"
    villages.write_text(villages.read_text("utf-8").replace(",Ban ", ",Baan ", 1), "utf-8")
    with watch_opens() as opened:
        assert validate.validate_tree(data, cache_dir=cache_dir) == []
    assert solved == []
    tambon_csvs = {Path(p).name for p in opened
                   if p.endswith(".csv") and "/80/80" in p and "/800106/" not in p}  # fmt: skip
    assert tambon_csvs == {"plan_projects.csv"}
