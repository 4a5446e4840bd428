"""Saved outputs of the build's stages, keyed by a content hash of their inputs and the code.

A stage's output is kept in `<work folder>/cache/<stage>/<key>.pickle`. The key is a SHA-256
over the stage's name, `code_version()` and digests of everything the stage reads, so a stage
whose key is present is skipped and its saved output used, and any change of input or code
gives a new key (never a stale hit). An entry is written aside and renamed into place, so a
build killed mid-write leaves no half entry; an entry that cannot be read is dropped and the
stage recomputed, never an error. Only the newest `KEEP` entries of a stage are kept.

Pickle is safe here because the cache lives in the build's own work folder (`workspace`),
which only tambon writes; it is never read from the data repository or the network.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tambon_portal.core import code_version as code_version_of
from tambon_portal.packages.file_store import FileStore

T = TypeVar("T")
KEEP = 4  # entries per stage: the current inputs and a few recent ones (switching branches)
SUFFIX = ".pickle"


@functools.cache
def code_version() -> str:
    """`core.code_version` of this process's code: a change of code is a change of every key.

    Computed on first use, once per process: every command imports this module through the
    CLI, and only a build needs it."""
    return code_version_of.code_version()


def digest(*parts: object) -> str:
    """SHA-256 of `parts` (strings, bytes, numbers, or nested lists/tuples of them)."""
    h = hashlib.sha256()
    _feed(h, parts)
    return h.hexdigest()


def _feed(h: Any, value: object) -> None:
    if isinstance(value, bytes):
        h.update(b"b%d:" % len(value) + value)
    elif isinstance(value, str):
        data = value.encode()
        h.update(b"s%d:" % len(data) + data)
    elif isinstance(value, list | tuple):
        h.update(b"l%d:" % len(value))
        for item in value:
            _feed(h, item)
    elif isinstance(value, dict):
        _feed(h, sorted((str(k), v) for k, v in value.items()))
    else:
        _feed(h, repr(value))


def folder_digest(folder: Path, store: FileStore | None = None) -> str:
    """Digest of every file under `folder` (relative path and bytes), in a stable order.

    Hidden files and folders are skipped, as discovery skips them. The files are read
    through `store` (`file_store`), so the stages after this one do not open them again.
    """
    store = store or FileStore()
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        h.update(relative.as_posix().encode() + b"\0")
        h.update(hashlib.sha256(store.read(path)).digest())
    return h.hexdigest()


@dataclass(frozen=True)
class Outcome:
    """What a cached stage did, for the build's report: ran or skipped, and why."""

    stage: str
    ran: int  # how many of its items were computed
    skipped: int  # how many were taken from the cache

    def describe(self) -> str:
        if not self.ran:
            return f"skipped: inputs unchanged ({self.skipped} saved)"
        if not self.skipped:
            return f"ran: {self.ran} new or changed"
        return f"ran {self.ran} changed, skipped {self.skipped} unchanged"


class StageCache:
    """The saved outputs of one stage."""

    def __init__(self, root: Path, stage: str) -> None:
        self.folder = Path(root) / stage
        self.stage = stage
        self.ran = 0
        self.skipped = 0
        self.used: set[str] = set()  # keys this build asked for: never pruned

    def key(self, *inputs: object) -> str:
        return digest(self.stage, code_version(), *inputs)

    def get(self, key: str) -> tuple[bool, Any]:
        path = self.folder / (key + SUFFIX)
        try:
            with path.open("rb") as file:
                return True, pickle.load(file)
        except FileNotFoundError:
            return False, None
        except Exception:  # a corrupt or foreign entry: dropped, recomputed
            path.unlink(missing_ok=True)
            return False, None

    def put(self, key: str, value: Any) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=self.folder, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self.folder / (key + SUFFIX))
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise

    def run(self, key: str, compute: Callable[[], T]) -> T:
        """The saved output for `key`, else `compute()` saved under it."""
        self.used.add(key)
        hit, value = self.get(key)
        if hit:
            self.skipped += 1
            return value
        value = compute()
        self.put(key, value)
        self.ran += 1
        return value

    def run_many(self, keyed: Mapping[str, Any], compute: Callable[[list[Any]], list[T]]
                 ) -> dict[str, T]:  # fmt: skip
        """`run` of many keys at once (key -> the item its output is made from): the items
        of the keys not saved are computed together, by `compute(items)` (in parallel
        processes, say), which returns their outputs in order."""
        found: dict[str, T] = {}
        missing: dict[str, Any] = {}
        for key, item in keyed.items():
            self.used.add(key)
            hit, value = self.get(key)
            if hit:
                found[key] = value
                self.skipped += 1
            else:
                missing[key] = item
        made = compute(list(missing.values())) if missing else []
        for key, value in zip(missing, made, strict=True):
            self.put(key, value)
            found[key] = value
            self.ran += 1
        return {key: found[key] for key in keyed}

    def memo_many(self, parts: Sequence[tuple], compute: Callable[[list[int]], list[T]]
                  ) -> list[T]:  # fmt: skip
        """`run_many` keyed by each item's `parts`; `compute` takes the indices of the items
        not saved (the shape `downloads.Memo` takes without knowing this module)."""
        keys = [self.key(*p) for p in parts]
        made = self.run_many({key: i for i, key in enumerate(keys)}, compute)
        return [made[key] for key in keys]

    def memo(self, parts: tuple, compute: Callable[[], T]) -> T:
        """`run` keyed by `parts`: the shape a lower stage takes without knowing this module."""
        return self.run(self.key(*parts), compute)

    def prune(self, keep_keys: Iterable[str] = (), others: int = KEEP) -> None:
        """Keeps the entries this build used, those of `keep_keys` and the newest `others`
        besides; drops the rest and any leftover of a killed write."""
        if not self.folder.is_dir():
            return
        for partial in self.folder.glob(".partial-*"):
            partial.unlink(missing_ok=True)
        wanted = {k + SUFFIX for k in [*self.used, *keep_keys]}
        rest = [p for p in self.folder.glob("*" + SUFFIX) if p.name not in wanted]
        rest.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for path in rest[others:]:
            path.unlink(missing_ok=True)

    def outcome(self) -> Outcome:
        return Outcome(self.stage, self.ran, self.skipped)
