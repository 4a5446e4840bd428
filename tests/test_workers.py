"""Packages checked in parallel processes (`checks.workers`): the same verdicts, in the same
order, as one after another in this process."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tambon_portal.checks import validate, workers

PILOT = Path(__file__).resolve().parents[1] / "datapackages" / "80"


def _pid(_: int) -> int:
    return os.getpid()


def _square(number: int) -> int:
    return number * number


def test_results_come_back_in_the_order_of_the_items():
    assert workers.map_in_processes(_square, list(range(40)), 2) == [n * n for n in range(40)]


def test_the_work_is_done_in_other_processes():
    assert set(workers.map_in_processes(_pid, list(range(8)), 2)) - {os.getpid()}


def _scaled(shared, number: int) -> tuple[int, int]:
    return shared["factor"] * number, os.getpid()


def test_shared_inputs_reach_every_worker_and_are_gone_after_the_call(monkeypatch):
    monkeypatch.setattr(workers, "worker_count", lambda items, per_worker=4: 2)
    results = workers.map_sharing(_scaled, list(range(12)), {"factor": 3})
    assert [value for value, _ in results] == [3 * n for n in range(12)]
    assert {pid for _, pid in results} - {os.getpid()}  # made in other processes
    assert workers._SHARED == {}
    with pytest.raises(KeyError):  # nothing of a call is left for the next one
        workers.map_sharing(_scaled, [1], {})


def test_streamed_results_come_back_in_order_from_other_processes_as_they_are_ready():
    stream = workers.imap_in_processes(_square, list(range(40)), 2)
    assert next(stream) == 0  # a result before the rest are done: nothing waits for all
    assert list(stream) == [n * n for n in range(1, 40)]
    assert set(workers.imap_in_processes(_pid, list(range(8)), 2)) - {os.getpid()}


def test_streamed_items_are_taken_from_a_generator_only_as_processes_free_up():
    taken = []

    def items():
        for n in range(40):
            taken.append(n)
            yield n

    stream = workers.imap_in_processes(_square, items(), 2)
    assert next(stream) == 0
    assert len(taken) < 40  # the parent never holds every item
    assert list(stream) == [n * n for n in range(1, 40)]


def test_a_pool_that_breaks_midway_loses_no_item(monkeypatch):
    real = workers.ProcessPoolExecutor

    class Breaking(real):  # type: ignore[misc, valid-type]
        submitted = 0

        def submit(self, function, *args, **kwargs):
            Breaking.submitted += 1
            if Breaking.submitted > 10:
                raise workers.BrokenProcessPool("a worker was killed")
            return super().submit(function, *args, **kwargs)

    monkeypatch.setattr(workers, "ProcessPoolExecutor", Breaking)
    assert list(workers.imap_in_processes(_square, iter(range(30)), 2)) == [
        n * n for n in range(30)
    ]


def test_streamed_work_falls_back_to_this_process_when_no_pool_can_start(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", refuse)
    assert list(workers.imap_in_processes(_pid, list(range(8)), 2)) == [os.getpid()] * 8


def test_a_pool_that_cannot_start_leaves_the_work_to_this_process(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", refuse)
    assert workers.map_in_processes(_pid, list(range(8)), 2) == [os.getpid()] * 8


@pytest.mark.parametrize(("packages", "expected"), [(1, 1), (7, 1), (3 * 4, 3)])
def test_a_process_takes_at_least_a_few_packages(monkeypatch, packages, expected):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2})
    assert workers.worker_count(packages) == expected


def _broken_pilot(tmp_path: Path) -> Path:
    """Ten pilot packages, three of them broken in different ways."""
    data = tmp_path / "data"
    for folder in sorted(PILOT.iterdir())[:10]:
        shutil.copytree(folder, data / folder.name)
    first, second, third = sorted(data.iterdir())[:3]
    bmn = first / "data" / "bmn_results.csv"
    bmn.write_text(bmn.read_text(encoding="utf-8").replace(",5,5,0", ",5,five,0", 1))
    villages = second / "data" / "villages.csv"
    villages.write_bytes(villages.read_text(encoding="utf-8").encode("cp874"))
    (third / "data" / "plan.csv").unlink()
    return data


def test_packages_checked_in_processes_get_the_verdicts_of_one_process(tmp_path):
    data = _broken_pilot(tmp_path)
    alone = validate.check_folder(data, workers=1)
    parallel = validate.check_folder(data, workers=2)
    assert parallel.problems == alone.problems
    files = {p.file.split("/")[0] for p in alone.problems}
    assert len(files) == 3  # each broken package reported, and only those


def test_packages_checked_in_processes_keep_their_verdicts_in_the_cache(tmp_path):
    data = _broken_pilot(tmp_path)
    cache = tmp_path / "cache"
    first = validate.check_folder(data, cache_dir=cache, workers=2)
    again = validate.check_folder(data, cache_dir=cache, workers=2)
    assert first.cached == (0, 10)
    assert again.cached == (10, 0)
    assert again.problems == first.problems
