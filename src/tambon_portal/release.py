"""Versioned releases: each release is a whole built site kept at its permanent URL.

A release is published with mike (https://github.com/jimporter/mike) into the `gh-pages`
branch of the repository: `/<version>/...` holds the site as built from the commit, `latest`
redirects to the newest version, `versions.json` feeds mkdocs-material's version menu.

The site is built completely *before* anything is written to the branch, so a build that
fails midway leaves every published version exactly as it was.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

DATA_DIR = "datapackages"
BRANCH = "gh-pages"
LATEST = "latest"
CALVER = re.compile(r"^(?P<year>\d{4})\.(?P<month>0[1-9]|1[0-2])(?:\.(?P<patch>[1-9]\d*))?$")


class ReleaseError(Exception):
    """A release that must not go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class PublishedVersion:
    version: str
    date: str  # ISO date (CE) of the commit the release was built from
    commit: str


@dataclass
class ReleaseContext:
    """What a build needs to know to render a release (and what it shows to readers)."""

    version: str
    date: str
    commit: str
    previous: PublishedVersion | None
    history: list[PublishedVersion] = field(default_factory=list)  # oldest first, incl. this
    changelog: dict | None = None  # changelog.Changelog.to_dict() since `previous`
    source_date_epoch: int = 0


def version_key(version: str) -> tuple[int, int, int]:
    """Sort key of a calendar version `YYYY.MM` or `YYYY.MM.N`; refuses anything else."""
    m = CALVER.match(version)
    if not m:
        raise ReleaseError(
            f"'{version}' is not a calendar version: use YYYY.MM (e.g. 2026.11), "
            "or YYYY.MM.N for a second release in the same month"
        )
    return int(m["year"]), int(m["month"]), int(m["patch"] or 0)


def check_new_version(version: str, published: list[PublishedVersion]) -> None:
    key = version_key(version)
    if any(p.version == version for p in published):
        raise ReleaseError(f"version {version} is already published; releases are never replaced")
    if published:
        last = max(published, key=lambda p: version_key(p.version))
        if key <= version_key(last.version):
            raise ReleaseError(
                f"version {version} does not sort after the last release {last.version}; "
                "pick a later calendar version"
            )


def _git(repo: Path, *args: str, binary: bool = False) -> str | bytes:
    out = subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False)
    if out.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)} failed: {out.stderr.decode().strip()}")
    return out.stdout if binary else out.stdout.decode()


def published_versions(repo: Path, branch: str = BRANCH) -> list[PublishedVersion]:
    """The versions already on the release branch, oldest first."""
    has_branch = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
        cwd=repo,
        capture_output=True,
        check=False,
    )
    if has_branch.returncode != 0:
        return []
    listing = json.loads(_git(repo, "show", f"{branch}:versions.json"))
    found = [
        PublishedVersion(
            v["version"],
            (v.get("properties") or {}).get("date", ""),
            (v.get("properties") or {}).get("commit", ""),
        )
        for v in listing
    ]
    return sorted(found, key=lambda p: version_key(p.version))


def head_commit(repo: Path) -> tuple[str, int]:
    """The commit a release is built from and its commit time (seconds since the epoch)."""
    sha, epoch = str(_git(repo, "log", "-1", "--format=%H %ct")).split()
    return sha, int(epoch)


def check_data_committed(repo: Path) -> None:
    dirty = str(_git(repo, "status", "--porcelain", "--", DATA_DIR)).strip()
    if dirty:
        raise ReleaseError(
            "the data has uncommitted changes; a release must be built from a commit so that "
            f"it can be rebuilt and compared later. Commit or discard them first:\n{dirty}"
        )


def extract_data(repo: Path, commit: str, dest: Path) -> Path:
    """Writes the data packages as they were at `commit` into dest; returns the data folder."""
    archive = _git(repo, "archive", "--format=tar", commit, DATA_DIR, binary=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:  # type: ignore[arg-type]
        tar.extractall(dest, filter="data")
    return dest / DATA_DIR


def prepare(repo: Path, version: str, branch: str = BRANCH) -> ReleaseContext:
    """Checks that `version` may be released now and computes what it changes."""
    from tambon_portal import changelog

    published = published_versions(repo, branch)
    check_new_version(version, published)
    check_data_committed(repo)
    commit, epoch = head_commit(repo)
    date = datetime.fromtimestamp(epoch, tz=UTC).date().isoformat()
    previous = published[-1] if published else None
    with tempfile.TemporaryDirectory(prefix="tambon-release-") as tmp:
        old = extract_data(repo, previous.commit, Path(tmp)) if previous else Path(tmp) / "none"
        old.mkdir(parents=True, exist_ok=True)
        changes = changelog.diff_trees(old, repo / DATA_DIR).to_dict()
    this = PublishedVersion(version, date, commit)
    return ReleaseContext(
        version=version,
        date=date,
        commit=commit,
        previous=previous,
        history=[*published, this],
        changelog=changes,
        source_date_epoch=epoch,
    )


BuildFn = Callable[[Path, Path, ReleaseContext], None]


def _default_build(data_dir: Path, out_dir: Path, context: ReleaseContext) -> None:
    from tambon_portal.build import build_site

    build_site(data_dir, out_dir, release=context)


@contextlib.contextmanager
def _in_directory(path: Path) -> Iterator[None]:
    # mike runs git in the current directory; keep that change local to the deploy.
    with contextlib.chdir(path):
        yield


def publish(repo: Path, site_dir: Path, context: ReleaseContext, branch: str = BRANCH) -> None:
    """Adds an already built site to the release branch as `context.version`, with `latest`."""
    from mike import commands

    cfg = {"site_dir": str(site_dir), "use_directory_urls": True}
    with _in_directory(repo):
        with commands.deploy(
            cfg,
            context.version,
            aliases=[LATEST],
            update_aliases=True,
            alias_type=commands.AliasType.redirect,
            branch=branch,
            message=f"Release {context.version} built from {context.commit[:12]}",
            set_props=[("date", context.date), ("commit", context.commit)],
        ):
            pass  # the site is already built: nothing is written unless it succeeded
        if context.previous is None:  # the root redirect follows `latest` from then on
            commands.set_default(LATEST, branch=branch, message="Root redirects to latest")


def release(
    repo: Path,
    version: str,
    *,
    dry_run: bool = False,
    branch: str = BRANCH,
    build: BuildFn = _default_build,
) -> ReleaseContext:
    """Builds the data of HEAD and publishes it as `version`; with dry_run, only reports."""
    context = prepare(repo, version, branch)
    if dry_run:
        return context
    with tempfile.TemporaryDirectory(prefix="tambon-release-site-") as tmp:
        site = Path(tmp) / "site"
        build(repo / DATA_DIR, site, context)
        publish(repo, site, context, branch)
    return context
