"""Where a build may write: its output folder and its own work folder, nothing else.

`tambon build --out DIR` writes the finished site to DIR and everything else (the staging
mkdocs project, downloads being written, caches, the site being built) to one work folder
beside it, `.<name>.tambon-work/` (`build/.site.tambon-work/` for the default `build/site`).
Rules, each because a user once lost files or got a broken site:

- Nothing outside DIR and the work folder is created, changed or removed. The work folder is
  recognised by its marker file; a folder of that name without the marker is not ours and
  the build refuses to touch it. DIR itself is replaced only when it is empty or holds a site
  this tool built (its marker file `SITE_MARKER`, or the catalog files earlier versions wrote).
- One build per output at a time: a lock file in the work folder. A second build into the
  same output waits for the first; builds into different outputs share nothing.
- The new site replaces the old one in a single atomic step (Linux `renameat2` with
  RENAME_EXCHANGE), so there is no moment without a site. Where the kernel or file system
  cannot exchange, two renames are used, and a build killed between them is repaired by the
  next one, first thing: the old site is put back before anything else happens.
- A killed build leaves at most `new-*` / `old-*` folders inside the work folder; the next
  build removes them.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

WORK_SUFFIX = ".tambon-work"
WORK_MARKER = "TAMBON-WORK-FOLDER"
SITE_MARKER = ".tambon-site"
SITE_MARKER_TEXT = (
    "Built by tambon-portal (`tambon build`). The next build replaces this whole folder.\n"
)
# Files only a site built by an earlier version of this tool holds (it had no SITE_MARKER).
LEGACY_SITE_FILES = ("catalog.jsonld", "api/v1/tambons.json")
_NEW, _OLD = "new-", "old-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class WorkspaceError(Exception):
    """The output or work folder cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Workspace:
    out: Path  # the published site (absolute)
    root: Path  # the work folder (absolute), beside `out`

    @property
    def staging(self) -> Path:
        return self.root / "staging"

    @property
    def publish(self) -> Path:
        return self.root / "publish"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def new_site_folder(self) -> Path:
        """An empty folder for the site being built (removed again unless it is swapped in)."""
        folder = Path(tempfile.mkdtemp(dir=self.root, prefix=_NEW))
        folder.chmod(0o755)  # mkdtemp makes it private; a web server must read the site
        return folder


def work_folder_of(out: Path) -> Path:
    return out.parent / f".{out.name}{WORK_SUFFIX}"


def _is_our_site(folder: Path) -> bool:
    if (folder / SITE_MARKER).is_file():
        return True
    return all((folder / name).is_file() for name in LEGACY_SITE_FILES)


def _check_output(out: Path) -> None:
    if out.is_symlink():
        raise WorkspaceError(
            f"{out} is a symbolic link; give the real folder as --out (a build replaces the "
            "folder itself, not what a link points to)"
        )
    if not out.exists():
        return
    if not out.is_dir():
        raise WorkspaceError(f"{out} exists and is not a folder; choose another --out")
    if any(out.iterdir()) and not _is_our_site(out):
        raise WorkspaceError(
            f"{out} is not empty and was not built by tambon; a build replaces its output "
            "folder whole, so choose a new or empty folder for --out (nothing was changed)"
        )


def _claim_work_folder(root: Path) -> None:
    marker = root / WORK_MARKER
    if root.exists() and not marker.is_file():
        raise WorkspaceError(
            f"{root} exists but is not a tambon work folder (no {WORK_MARKER} file); "
            "rename or remove it, or choose another --out (nothing was changed)"
        )
    root.mkdir(parents=True, exist_ok=True)
    if not marker.is_file():
        marker.write_text(
            "Work folder of `tambon build` for the site beside it: staging, caches and the\n"
            "site being built. Safe to delete when no build is running.\n",
            encoding="utf-8",
        )


@contextlib.contextmanager
def _locked(root: Path, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    with open(root / "lock", "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            if on_wait is not None:
                on_wait(f"another build into this output is running (pid {holder}); waiting")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _legacy_leftovers(out: Path, kind: str) -> list[Path]:
    """`.site.new-XXXXXXXX` / `.site.old-XXXXXXXX` beside the output: what builds of earlier
    versions left when killed (mkdtemp names: the prefix and 8 random characters)."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.{kind}-[a-z0-9_]{{8}}$")
    if not out.parent.is_dir():
        return []
    return sorted(p for p in out.parent.iterdir() if p.is_dir() and pattern.match(p.name))


def recover(ws: Workspace) -> list[str]:
    """Repairs what a killed build left; returns what it did, for the build's log.

    If the output is missing while an old site waits in the work folder (killed between the
    two renames of the fallback swap), the old site is put back. Then every half-built
    `new-*` and superseded `old-*` folder is removed.
    """
    done = []
    olds = sorted(ws.root.glob(_OLD + "*"), key=lambda p: p.stat().st_mtime)
    olds += _legacy_leftovers(ws.out, "old")
    if not ws.out.exists() and olds:
        os.rename(olds[-1], ws.out)
        done.append(f"restored the previous site from {olds[-1].name}")
        olds = olds[:-1]
    leftovers = [*ws.root.glob(_NEW + "*"), *_legacy_leftovers(ws.out, "new"), *olds]
    for folder in leftovers:
        shutil.rmtree(folder, ignore_errors=True)
        done.append(f"removed {folder.name}, left by an interrupted build")
    return done


def _absolute(out: Path) -> Path:
    out = Path(out).absolute()
    return out.parent.resolve() / out.name  # the output itself is not resolved: it may be a link


def repair(out: Path, on_wait: Callable[[str], None] | None = None) -> list[str]:
    """What `recover` does, for a command that may not build (say, refused data): only when
    the output already has a work folder of ours, which is then neither created nor claimed."""
    ws = Workspace(_absolute(out), work_folder_of(_absolute(out)))
    if not (ws.root / WORK_MARKER).is_file():
        return []
    with _locked(ws.root, on_wait):
        return recover(ws)


def cache_folder(out: Path, name: str) -> Path:
    """Folder `name` of the cache in `out`'s work folder, for a command that keeps a cache but
    builds nothing (`tambon validate`): the work folder is claimed as a build claims it
    (WorkspaceError when a folder of its name is not ours); the output is not touched."""
    ws = Workspace(_absolute(out), work_folder_of(_absolute(out)))
    _claim_work_folder(ws.root)
    folder = ws.cache / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def planned_cache_folder(out: Path, name: str) -> Path | None:
    """Where a build into `out` keeps its cache `name`, created by no one here: a build reads
    what a previous one kept there and writes it once its work folder is claimed. None when a
    folder of the work folder's name exists and is not ours (its files are not trusted)."""
    root = work_folder_of(_absolute(out))
    if root.exists() and not (root / WORK_MARKER).is_file():
        return None
    return root / "cache" / name


@contextlib.contextmanager
def workspace(out: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[Workspace]:
    """The output's work folder, locked for this build and repaired first.

    Raises WorkspaceError when the output or the work folder is not ours to replace.
    """
    out = _absolute(out)
    _check_output(out)
    ws = Workspace(out, work_folder_of(out))
    _claim_work_folder(ws.root)
    with _locked(ws.root, on_wait):
        recover(ws)
        _check_output(out)  # again: the site may have been restored or built while waiting
        yield ws


def _exchange(a: Path, b: Path) -> bool:
    """Swaps two paths in one step (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    path, fd = ctypes.c_char_p, ctypes.c_int
    renameat2.argtypes = [fd, path, fd, path, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(ws: Workspace, new: Path, exchange: Callable[[Path, Path], bool] = _exchange) -> None:
    """Puts the built site `new` at the output; the previous site is then deleted.

    `exchange` is the atomic swap (a parameter so that tests can take the fallback path).
    """
    (new / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")
    if not ws.out.exists():
        os.rename(new, ws.out)
        return
    if exchange(new, ws.out):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous site
        return
    old = Path(tempfile.mkdtemp(dir=ws.root, prefix=_OLD))
    old.rmdir()
    os.rename(ws.out, old)
    try:
        os.rename(new, ws.out)
    except OSError:
        os.rename(old, ws.out)
        raise
    shutil.rmtree(old, ignore_errors=True)
