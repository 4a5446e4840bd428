"""Verdicts of `tambon validate` kept between runs, keyed by a content hash of every input.

A package whose inputs are all unchanged gets its problems from the cache; any other package
is checked and its verdict stored. A package's inputs, all in its key:

- the code: every file of the tambon_portal package (the checks, schemas, code lists and
  gazetteer data), the versions of the libraries whose answers the messages carry
  (frictionless, geothai, pandas ...) and Python's;
- the year (พ.ศ.) the checks compare with, the package's place under the data root, its
  descriptor's name, kind, name and tambon code;
- the bytes of the descriptor and of every file it names (data, schema and dialect files),
  or that such a file is missing, or refused unopened (an unsafe path, and why).

Name collisions are not cached: they are worked out from every package's name each run.

A province's audit solves two linear programs per suppressed cell of its groups of relations
(`cell_ranges`): most of a one-tambon rebuild's validation for Bangkok's 180 tambons (28.4 s;
9.7 s with the groups kept, 2026-12-07). A group's
ranges depend on nothing but the group (its cells and their published values), so they are
kept too, per province, under a digest of the group (`KeptRanges`, `ranges/<package>.pickle`):
after one tambon changed, only the groups whose cells or values changed are solved again.

The checks across packages (a province's area totals with its tambons) read every package of
the province again, typed, also those whose own verdict was kept: one changed tambon made its
province's 130 packages be read again (6 s of a 12 s rebuild's validation on the pilot). So
each package they read typed is kept too, pickled under `tables/<key>.pickle` beside the
verdicts (`tables_key`: the code, the resources read and every input of the package, as for
its verdict); entries no package of the run has are removed (`prune_tables`). Pickle is safe
here for the reason it is in the build's stage cache: the folder is the work folder's, which
only tambon writes, never the data's.

A file is not read again just to learn that it did not change (as git does): one whose size,
modification and change times, inode and device are those recorded with its hash keeps the
hash, unless it had been modified less than `RACY_SECONDS` before it was hashed (a change in
the same tick of the file system's clock would then leave its times as they were).

The cache is one JSON file in the cache folder of a build's work folder (the CLI makes it
with `workspace.cache_folder`), never in the data. One that is corrupt, unreadable or of another
format is ignored and rewritten; one that cannot be written is skipped: the cache never
changes a verdict, a message or the exit status. A package whose check crashed is not kept.

Kept over 400 lines: the verdicts, the tables and the ranges are one cache of one folder,
keyed and written alike.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import stat
import tempfile
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tambon_portal.core import code_version
from tambon_portal.core.problems import CHECK_CRASHED, Problem
from tambon_portal.packages import descriptor_reader, discovery
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore

FOLDER = "validate"  # in the work folder's cache/
FILE_NAME = "verdicts.json"
TABLES = "tables"  # beside FILE_NAME: the packages the checks across packages read, typed
RANGES = "ranges"  # beside FILE_NAME: each province's audited groups, by their content
FORMAT = 1  # of the file; another number is ignored, like a corrupt file
RACY_SECONDS = 2


@dataclass(frozen=True)
class Verdict:
    """What the cache knows of one package: its kept problems, or None (check it), with the
    key its check is kept under."""

    folder: str  # absolute package folder
    context: str  # hash of the code, year and the package's place and name
    inputs: dict[str, str] | None  # file -> marker; None: not to be kept (unhashable)
    problems: list[Problem] | None


class VerdictCache:
    """The cache file of one folder, loaded once, written back by `save`."""

    def __init__(self, folder: Path, store: FileStore | None = None) -> None:
        self.path = Path(folder) / FILE_NAME
        self.store = store  # a data file is hashed from the bytes the check reads (`file_store`)
        self.from_cache = 0  # packages whose problems came from the cache in this run
        self.checked = 0  # packages checked in this run
        self._files: dict[str, Any] = {}  # absolute path -> {"stat", "hashed_at", "sha256"}
        self._packages: dict[str, Any] = {}  # absolute package folder -> entry
        self._across: dict[str, Any] = {}  # a check across packages: first folder -> entry
        # (package folder, file name) -> why it is refused, or None: found once per run, as it
        # resolves every link on the path, and a file is marked up to four times in a run (its
        # verdict, its province's, the keys it is kept under)
        self._refusals: dict[tuple[Path, str], str | None] = {}
        self._changed = False  # whether `save` has anything new to write
        # What the checks across packages kept while the cache folder did not exist yet:
        # written by `save` (`kept_tables`).
        self.unsaved: Unsaved = {}
        self._load()
        # Unchanged code files are not read again (their stat is as it was).
        self.code = code_version.code_version(self._file_hash)

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            files, found = data["files"], data["packages"]
            if data["format"] == FORMAT and isinstance(files, dict) and isinstance(found, dict):
                self._files, self._packages = files, found
                across = data.get("across")
                self._across = across if isinstance(across, dict) else {}
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no cache yet, or one not to be trusted: every package is checked

    # --- one package -------------------------------------------------------------------------

    def problems(
        self, ref: PackageRef, root: Path, year_be: int, check: Callable[[], list[Problem]]
    ) -> list[Problem]:
        """The package's problems: from the cache when its inputs are unchanged, else `check()`
        (then stored)."""
        verdict = self.lookup(ref, root, year_be)
        if verdict.problems is not None:
            return verdict.problems
        return self.keep(verdict, check())

    def across(self, refs: list[PackageRef], check: Callable[[], list[Problem]]) -> list[Problem]:
        """The problems of a check that reads several packages (a province's area totals with
        its tambons, `validate.area_problems`): kept under the code and the markers of every
        file of all of `refs`, the first of which names the entry."""
        inputs = self.inputs_across(refs)
        kept = self.across_kept(refs, inputs)
        if kept is not None:
            return kept
        problems = check()
        self.keep_across(refs, inputs, problems)
        return problems

    def inputs_across(self, refs: list[PackageRef]) -> dict[str, Any] | None:
        """The markers of every file of `refs`, taken before the check reads them (so an edit
        made meanwhile is seen next time); None when a file cannot be stat'ed."""
        try:
            return {f"{ref.folder.absolute()}/{name}": marker
                    for ref in refs for name, marker in self._inputs(ref).items()}  # fmt: skip
        except Exception:  # the cache is only a shortcut: then checked, and not kept
            return None

    def across_kept(self, refs: list[PackageRef], inputs: dict[str, Any] | None
                    ) -> list[Problem] | None:  # fmt: skip
        """`across`'s kept problems when the files of `refs` are as `inputs` says they were
        then, else None: check them (elsewhere, in worker processes) and `keep_across`."""
        entry = self._across.get(str(refs[0].folder.absolute())) if inputs is not None else None
        if entry and entry.get("code") == self.code and entry.get("inputs") == inputs:
            try:
                return [Problem(**problem) for problem in entry["problems"]]
            except Exception:  # an entry of another shape: checked
                return None
        return None

    def keep_across(self, refs: list[PackageRef], inputs: dict[str, Any] | None,
                    problems: list[Problem]) -> None:  # fmt: skip
        """Keeps the problems of a check across `refs` (none of a crashed check)."""
        if inputs is None or any(p.code == CHECK_CRASHED for p in problems):
            return
        self._across[str(refs[0].folder.absolute())] = {
            "code": self.code, "inputs": inputs, "problems": [p.as_dict() for p in problems]
        }  # fmt: skip
        self._changed = True

    def lookup(self, ref: PackageRef, root: Path, year_be: int) -> Verdict:
        """The package's kept verdict when its inputs are unchanged (counted `from_cache`),
        else a verdict without problems to check it for and `keep`. Its files are hashed
        here, before the check reads anything, so an edit made meanwhile is seen."""
        folder = str(ref.folder.absolute())
        try:
            context = self._context(ref, root, year_be)
            cached = self._cached(folder, ref, context)
            inputs = None if cached is not None else self._inputs(ref)
        except Exception:  # the cache is only a shortcut: a file it cannot stat is checked
            context, cached, inputs = "", None, None
        if cached is not None:
            self.from_cache += 1
        return Verdict(folder, context, inputs, cached)

    def keep(self, verdict: Verdict, problems: list[Problem]) -> list[Problem]:
        """`problems`, the check of `verdict`'s package, stored unless the check crashed."""
        self.checked += 1
        if verdict.inputs is not None and all(p.code != CHECK_CRASHED for p in problems):
            self._packages[verdict.folder] = {
                "context": verdict.context,
                "inputs": verdict.inputs,
                "problems": [p.as_dict() for p in problems],
            }
            self._changed = True
        return problems

    def _context(self, ref: PackageRef, root: Path, year_be: int) -> str:
        where = os.path.relpath(ref.folder, root)
        descriptor = ref.descriptor_path.name
        parts = [self.code, str(year_be), where, descriptor, ref.kind, ref.name, ref.tambon_code]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def _cached(self, folder: str, ref: PackageRef, context: str) -> list[Problem] | None:
        entry = self._packages.get(folder)
        try:
            if entry["context"] != context or entry["inputs"] != self._markers(ref, entry):
                return None
            return [Problem(**problem) for problem in entry["problems"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # no entry, or a corrupt one: checked again and rewritten

    def _markers(self, ref: PackageRef, entry: dict) -> dict[str, str]:
        """The current markers of the files the entry was made from."""
        return {name: self._marker(ref, name) for name in entry["inputs"]}

    @property
    def tables_folder(self) -> Path:
        return self.path.parent / TABLES

    @property
    def ranges_folder(self) -> Path:
        return self.path.parent / RANGES

    def tables_key(self, ref: PackageRef, names: Collection[str] | None) -> str | None:
        """The key a package read typed (its resources `names`, or all) is kept under; None
        when one of its files cannot be stat'ed (then it is read, and not kept)."""
        try:
            inputs = self._inputs(ref)
        except Exception:  # the cache is only a shortcut
            return None
        folder = str(ref.folder.absolute())
        parts = [self.code, folder, sorted(names or ["*"]), sorted(inputs.items())]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def _inputs(self, ref: PackageRef) -> dict[str, str]:
        """Every file the package's check reads (relative to the package folder) -> marker."""
        names = [os.path.relpath(ref.descriptor_path, ref.folder)]
        try:
            descriptor = discovery.descriptor_of(ref)
        except descriptor_reader.DescriptorError:
            descriptor = {}  # its bytes alone decide the verdict
        resources = descriptor.get("resources")
        for resource in resources if isinstance(resources, list) else []:
            if isinstance(resource, dict):
                for name in descriptor_reader.named_files(resource):
                    names += [name, name.strip()]  # data paths are opened as written
        return {name: self._marker(ref, name) for name in dict.fromkeys(names)}

    def _marker(self, ref: PackageRef, name: str) -> str:
        where = (ref.folder, name)
        if where not in self._refusals:
            self._refusals[where] = descriptor_reader.unsafe_path_reason(name, ref.folder)
        reason = self._refusals[where]
        if reason is not None:
            return f"refused: {reason}"  # the check never opens it, nor does the cache
        return self._file_hash(ref.folder / name)

    def _file_hash(self, path: Path) -> str:
        try:
            found = os.stat(path)
        except (OSError, ValueError) as error:
            return f"absent: {type(error).__name__} {getattr(error, 'errno', '')}"
        if not stat.S_ISREG(found.st_mode):
            return "not a file"
        signature = [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns,
                     found.st_ctime_ns]  # fmt: skip
        key = str(path.absolute())
        known = self._files.get(key)
        with contextlib.suppress(KeyError, TypeError):
            if (
                known["stat"] == signature
                and found.st_mtime_ns < known["hashed_at"] - RACY_SECONDS * 10**9
            ):
                return str(known["sha256"])
        hashed_at = time.time_ns()
        try:
            if self.store is not None:
                digest, hashed_at = self.store.sha256(path)
            else:
                digest = code_version.file_sha256(path)
        except OSError as error:
            return f"unreadable: {error.errno}"
        self._files[key] = {"stat": signature, "hashed_at": hashed_at, "sha256": digest}
        self._changed = True
        return digest

    # --- the file ----------------------------------------------------------------------------

    def save(self) -> None:
        """Writes the cache (in one step: a reader sees the old file or the new one); entries of
        files and packages that are gone are dropped. An error is ignored: the cache is only
        a shortcut."""
        if self.unsaved:
            with contextlib.suppress(OSError):
                self.path.parent.mkdir(parents=True, exist_ok=True)
            save_unsaved(self.unsaved)
        if not self._changed:
            return  # nothing new: a run from the cache writes nothing
        files = {k: v for k, v in self._files.items() if os.path.lexists(k)}
        found = {k: v for k, v in self._packages.items() if os.path.isdir(k)}
        across = {k: v for k, v in self._across.items() if os.path.isdir(k)}
        text = json.dumps({"format": FORMAT, "files": files, "packages": found, "across": across})
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".verdicts-")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    file.write(text)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass


Unsaved = dict[str, Any]  # pickle path -> what could not be written there yet (`save_unsaved`)


def kept_tables(
    folder: Path, key: str | None, read: Callable[[], Any], unsaved: Unsaved | None = None
) -> Any:
    """What `read()` gives, kept in `folder` under `key` (none: read, not kept); an entry that
    cannot be read is read again, one that cannot be written is skipped. Kept only where the
    cache folder exists: a refused build makes none, so the first build, which has no work
    folder while it validates, puts what it read in `unsaved` instead, for `save_unsaved` once
    it has claimed its work folder (without them its first rebuild read every tambon again:
    6 of its 7.8 s of validation at Bangkok, 2026-12-08)."""
    if key is None:
        return read()
    path = folder / f"{key}.pickle"
    with contextlib.suppress(Exception), path.open("rb") as file:  # absent, or corrupt: read
        return pickle.load(file)
    value = read()
    if not _write_pickle(path, value) and unsaved is not None:
        unsaved[str(path)] = value
    return value


def _write_pickle(path: Path, value: Any) -> bool:
    """Writes `value` at `path` in one step; False when its folder's parent (the cache folder)
    does not exist yet or it cannot be written."""
    try:
        path.parent.mkdir(exist_ok=True)  # not its parents: see `kept_tables`
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        return True
    except OSError:
        return False
    finally:
        Path(partial).unlink(missing_ok=True)


def save_unsaved(unsaved: Unsaved) -> None:
    """Writes what `kept_tables` and `KeptRanges.save` could not, once the cache folder exists
    (`VerdictCache.save`); an error is ignored."""
    for path, value in unsaved.items():
        _write_pickle(Path(path), value)
    unsaved.clear()


def prune_tables(folder: Path, keys: Iterable[str | None]) -> None:
    """Removes the kept packages not among `keys` (the packages of this run)."""
    wanted = {f"{key}.pickle" for key in keys if key is not None}
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if path.name not in wanted:
                path.unlink(missing_ok=True)


def ranges_file(folder: Path, area_package: str) -> Path:
    """Where the groups of the province of `area_package` are kept (`KeptRanges`)."""
    return folder / f"{area_package}.pickle"


def prune_ranges(folder: Path, area_packages: Iterable[str]) -> None:
    """Removes the kept groups of provinces not among `area_packages` (those of this run)."""
    prune_tables(folder, area_packages)  # the same file names: <name>.pickle


class KeptRanges:
    """A memo of `cell_ranges.ranges` (group -> its ranges, `cell_ranges.Memo`) kept in a file
    between runs.

    Keys are digests of the group's text (its relations: cells and published values, all
    plain tuples of text and numbers), so the same group in a later run finds its answer;
    the file holds the code version it was made with and is ignored under another. `save`
    writes only the groups asked for in this run (the others are gone from the data), and
    only into a cache folder that exists (see `kept_tables`)."""

    def __init__(self, path: Path, code: str) -> None:
        self.path, self.code = path, code
        self._kept: dict[bytes, Any] = {}
        self._used: dict[bytes, Any] = {}
        with contextlib.suppress(Exception), path.open("rb") as file:  # absent or corrupt
            kept = pickle.load(file)
            if kept["code"] == code:
                self._kept = dict(kept["groups"])

    @staticmethod
    def _digest(group: Any) -> bytes:
        return hashlib.blake2b(repr(group).encode(), digest_size=20).digest()

    def get(self, group: Any) -> Any:
        digest = self._digest(group)
        found = self._used.get(digest, self._kept.get(digest))
        if found is not None:
            self._used[digest] = found
        return found

    def __setitem__(self, group: Any, ranges: Any) -> None:
        self._used[self._digest(group)] = ranges

    def save(self, unsaved: Unsaved | None = None) -> None:
        """Writes the groups of this run (in one step), unless they are those of the file;
        an error is ignored. Where the cache folder does not exist yet, they go into
        `unsaved` (see `kept_tables`)."""
        if self._used == self._kept:
            return
        kept = {"code": self.code, "groups": self._used}
        if not _write_pickle(self.path, kept) and unsaved is not None:
            unsaved[str(self.path)] = kept
