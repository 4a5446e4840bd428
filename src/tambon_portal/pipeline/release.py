"""Versioned releases: each release is a whole built site kept at its permanent URL.

A release is published with mike (https://github.com/jimporter/mike) into the `gh-pages`
branch of the repository: `/<version>/...` holds the site as built from the commit, `latest`
redirects to the newest version (pages only: mike writes redirects for .html files, so the
versioned URLs are the permanent ones), `versions.json` feeds mkdocs-material's version menu,
and the root `releases.json`, `feed.xml` (Atom) and `robots.txt` (whose Sitemap line names the
newest version's sitemap.xml) follow the newest release for harvesters and crawlers.
Each version carries its data changelog (`changes/`, `changes.json`) and a Releases page.

The site is built completely *before* anything is written to the branch, so a build that
fails midway leaves every published version exactly as it was.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from tambon_portal.core import scope, siteurl
from tambon_portal.packages import discovery
from tambon_portal.pipeline.build import build_site
from tambon_portal.publish import changelog
from tambon_portal.publish.releases import (
    BRANCH,
    CHANGES_JSON,
    DATA_DIR,
    FEED,
    LATEST,
    RELEASES_JSON,
    ROBOTS,
    PublishedVersion,
    ReleaseContext,
    ReleaseError,
    check_new_version,
    root_files,
    version_key,
)


def _git(repo: Path, *args: str, binary: bool = False) -> str | bytes:
    out = subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False)
    if out.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)} failed: {out.stderr.decode().strip()}")
    return out.stdout if binary else out.stdout.decode()


def published_versions(repo: Path, branch: str = BRANCH) -> list[PublishedVersion]:
    """The versions already on the release branch, oldest first."""
    if _branch_ref(repo, branch) is None:
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


def files_not_in_commit(repo: Path) -> list[str]:
    """Files under the data folder that git ignores (.gitignore, .git/info/exclude): a release
    is built from the commit, so they are left out, and the maintainer is told so."""
    listing = str(_git(repo, "ls-files", "--others", "--ignored", "--exclude-standard", DATA_DIR))
    return sorted(line for line in listing.splitlines() if line)


def extract_data(repo: Path, commit: str, dest: Path) -> Path:
    """Writes the data packages as they were at `commit` into dest; returns the data folder."""
    archive = _git(repo, "archive", "--format=tar", commit, DATA_DIR, binary=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:  # type: ignore[arg-type]
        tar.extractall(dest, filter="data")
    return dest / DATA_DIR


def past_changelogs(
    repo: Path, published: list[PublishedVersion], branch: str = BRANCH
) -> dict[str, dict]:
    """The changelog each published version carries (its /<version>/changes.json)."""
    found = {}
    for p in published:
        shown = subprocess.run(
            ["git", "show", f"{branch}:{p.version}/{CHANGES_JSON}"],
            cwd=repo,
            capture_output=True,
            check=False,
        )
        if shown.returncode == 0:  # a version published before changelogs existed has none
            found[p.version] = json.loads(shown.stdout)["changelog"]
    return found


def _release_site_url(explicit: str | None, repo: Path) -> str:
    """A release is cited at its permanent address, so it needs one (siteurl.resolve)."""
    url = siteurl.resolve(explicit, repo)
    if url is None:
        raise ReleaseError(
            "a release needs the site's public address for its permanent URLs: give "
            f"--site-url https://..., or set ${siteurl.ENV}, or release from a clone whose "
            "'origin' is on GitHub (its Pages address is then used, as the release workflow does)"
        )
    return url


def prepare(
    repo: Path, version: str, branch: str = BRANCH, site_url: str | None = None
) -> ReleaseContext:
    """Checks that `version` may be released now and computes what it changes.

    `site_url`: else $TAMBON_SITE_URL, else the documented placeholder (as `tambon build`).
    """

    published = published_versions(repo, branch)
    check_new_version(version, published)
    check_data_committed(repo)
    commit, epoch = head_commit(repo)
    date = datetime.fromtimestamp(epoch, tz=UTC).date().isoformat()
    previous = published[-1] if published else None
    with tempfile.TemporaryDirectory(prefix="tambon-release-") as tmp:
        before = Path(tmp) / "previous"
        old = extract_data(repo, previous.commit, before) if previous else before / DATA_DIR
        old.mkdir(parents=True, exist_ok=True)
        new = extract_data(repo, commit, Path(tmp) / "head")
        changes = changelog.diff_trees(old, new).to_dict()
        area = scope.of_tambons(r.tambon_code for r in discovery.discover(new)
                                if r.kind == "tambon" and r.tambon_code)  # fmt: skip
    this = PublishedVersion(version, date, commit)
    return ReleaseContext(
        version=version,
        date=date,
        commit=commit,
        previous=previous,
        history=[*published, this],
        changelog=changes,
        source_date_epoch=epoch,
        site_url=_release_site_url(site_url, repo),
        past_changelogs=past_changelogs(repo, published, branch),
        left_out=files_not_in_commit(repo),
        area=area,
    )


BuildFn = Callable[[Path, Path, ReleaseContext], None]


@contextlib.contextmanager
def source_date_epoch(epoch: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set for a build: mkdocs dates the sitemap (lastmod, gzip header) from
    it instead of the clock, so two builds of one commit give the same bytes."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _default_build(data_dir: Path, out_dir: Path, context: ReleaseContext) -> None:
    with source_date_epoch(context.source_date_epoch):
        build_site(data_dir, out_dir, release=context, site_url=context.site_url)


def _branch_ref(repo: Path, branch: str) -> str | None:
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
        cwd=repo,
        capture_output=True,
        check=False,
    )
    return found.stdout.decode().strip() if found.returncode == 0 else None


@contextlib.contextmanager
def _all_or_nothing(repo: Path, branch: str) -> Iterator[None]:
    """The release branch as it was if anything inside fails (a release is several commits)."""
    before = _branch_ref(repo, branch)
    try:
        yield
    except BaseException:
        if before is None:
            subprocess.run(["git", "branch", "-D", branch], cwd=repo, capture_output=True)
        else:
            _git(repo, "update-ref", f"refs/heads/{branch}", before)
        raise


def _commit_root_files(context: ReleaseContext, branch: str) -> None:
    from mike import git_utils

    message = f"Root {RELEASES_JSON}, {FEED} and {ROBOTS} follow {context.version}"
    with git_utils.Commit(branch, message) as commit:
        for path, data in sorted(root_files(context).items()):
            commit.add_file(git_utils.FileInfo(path, data))


def publish(repo: Path, site_dir: Path, context: ReleaseContext, branch: str = BRANCH) -> None:
    """Adds an already built site to the release branch as `context.version`, with `latest`,
    and refreshes the root releases.json, feed.xml and robots.txt; all of it or (on failure)
    none."""
    from mike import commands

    cfg = {"site_dir": str(site_dir), "use_directory_urls": True}
    with contextlib.chdir(repo), _all_or_nothing(repo, branch):  # mike runs git in the cwd
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
        _commit_root_files(context, branch)


def release(
    repo: Path,
    version: str,
    *,
    dry_run: bool = False,
    branch: str = BRANCH,
    build: BuildFn = _default_build,
    site_url: str | None = None,
) -> ReleaseContext:
    """Builds the data of HEAD and publishes it as `version`; with dry_run, only reports.
    Raises ReleaseError (refused: version, address, git) or BuildRefused (the data has
    problems); `tambon release` says which and every published version is as it was."""
    context = prepare(repo, version, branch, site_url)
    if dry_run:
        return context
    with tempfile.TemporaryDirectory(prefix="tambon-release-site-") as tmp:
        # Exactly the committed tree: files git ignores never reach a release.
        data = extract_data(repo, context.commit, Path(tmp) / "source")
        site = Path(tmp) / "site"
        build(data, site, context)
        publish(repo, site, context, branch)
    return context


class NoReleases(Exception):
    """The repository has no release branch to serve; the message says what to run (exit 2)."""


@contextlib.contextmanager
def published(repo: Path, branch: str = BRANCH) -> Iterator[Path]:
    """Every published version as the branch holds them, in a temporary folder removed on
    leaving (`tambon serve --releases` serves it); raises NoReleases without the branch."""
    if _branch_ref(Path(repo), branch) is None:
        raise NoReleases(f"no {branch} branch yet; run `tambon release` first")
    with tempfile.TemporaryDirectory(prefix="tambon-releases-") as tmp:
        archive = _git(Path(repo), "archive", "--format=tar", branch, binary=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:  # type: ignore[arg-type]
            tar.extractall(tmp, filter="data")
        yield Path(tmp)
