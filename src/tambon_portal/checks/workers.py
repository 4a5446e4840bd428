"""Independent work in parallel processes, one per core: the packages `tambon validate`
checks, the tambons `households publish` suppresses, and in a build each tambon's chart
specs and each package's downloads.

Each package's check reads its own files and returns its own problems, and each tambon's
tables are protected alone, so the items are independent: on the 2 cores of CI the 60 pilot
packages take about half the time. Processes,
not threads: the checks are Python (pandas, frictionless, the audit's programs) and hold the
interpreter lock. The workers are forked, so they start with the parent's imports and code
already loaded; where fork is not available, or a pool cannot start or dies, the packages
are checked one after another in this process: the verdicts are the same either way.
Fork is safe here because this work starts no threads. (vl-convert, whose runtime made a fork
pool hang once it had run in the parent, is no longer used: the charts are drawn in Python,
`site.drawing`.)
"""

from __future__ import annotations

import collections
import functools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

MIN_PER_WORKER = 4  # fewer packages than this per process: starting it costs more than it saves

Item = TypeVar("Item")
Result = TypeVar("Result")


def worker_count(items: int, per_worker: int = MIN_PER_WORKER) -> int:
    """Processes for `items` packages: one per core this process may run on, at most one per
    `per_worker` packages (1 for tasks as large as a province's audit), at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, items // per_worker))


def map_in_processes(
    function: Callable[[Item], Result], items: Sequence[Item], workers: int
) -> list[Result]:
    """`[function(item) for item in items]`, in order, over `workers` forked processes.
    `function` and the items and results must pickle (a function of a module, data)."""
    context = _fork_context() if workers > 1 and len(items) > 1 else None
    if context is None:
        return [function(item) for item in items]
    chunk = max(1, len(items) // (workers * 4))  # small chunks: packages differ in size
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(function, items, chunksize=chunk))
    except (BrokenProcessPool, OSError):  # a pool that cannot start, or a worker killed
        return [function(item) for item in items]


# What every item of a `map_sharing` reads besides its own, for the length of the call.
_SHARED: dict[str, Any] = {}


def map_sharing(
    function: Callable[[Mapping[str, Any], Item], Result],
    items: Sequence[Item],
    shared: Mapping[str, Any],
    per_worker: int = MIN_PER_WORKER,
) -> list[Result]:
    """`[function(shared, item) for item in items]`, in order, over one forked process per
    core (at most one per `per_worker` items): the workers inherit `shared` (the country's
    figures, every package's bytes) instead of a pickled copy of it with each item; only the
    items and results travel."""
    _SHARED.update(shared)
    try:
        call = functools.partial(_with_shared, function)
        return map_in_processes(call, items, worker_count(len(items), per_worker))
    finally:
        _SHARED.clear()


def _with_shared(function: Callable[[Mapping[str, Any], Item], Result], item: Item) -> Result:
    return function(_SHARED, item)


def imap_in_processes(
    function: Callable[[Item], Result], items: Iterable[Item], workers: int
) -> Iterator[Result]:
    """`map_in_processes`, but each result is yielded, in order, as soon as it is ready, and
    at most two items per process are in flight: memory holds a few items and results, not
    all (the national household records are gigabytes). `items` may be made lazily (a
    generator): the next is taken only when a process is free for it."""
    context = _fork_context() if workers > 1 else None
    if context is None:
        yield from (function(item) for item in items)
        return
    rest = iter(items)
    waiting: collections.deque[Item] = collections.deque()  # taken, not yet yielded, in order
    futures: collections.deque[Future[Result]] = collections.deque()  # theirs, once submitted
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            for item in rest:
                waiting.append(item)  # before submit: an item it fails on is not lost
                futures.append(pool.submit(function, item))
                while len(futures) >= 2 * workers or (futures and futures[0].done()):
                    yield _next_result(waiting, futures)
            while futures:
                yield _next_result(waiting, futures)
    except (BrokenProcessPool, OSError):  # what was in flight, and the rest, in this process
        yield from (function(item) for item in waiting)
        yield from (function(item) for item in rest)


def _next_result(
    waiting: collections.deque[Item], futures: collections.deque[Future[Result]]
) -> Result:
    """The first future's result; its item and future are dropped only once it is in hand."""
    result = futures[0].result()
    futures.popleft()
    waiting.popleft()
    return result


def _fork_context() -> multiprocessing.context.BaseContext | None:
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # no fork on this system
        return None
