"""`tambon build` and `tambon serve`: data packages in, a static mkdocs-material site out.

Stages, each a function: validate (refuse on any problem) → load → aggregate → charts →
pages (jinja2 → markdown in a staging mkdocs project, never the repo's docs/) → mkdocs build
into a new folder, which puts in the charts, embed snippets and search copies as it renders
each page (`mkdocs_plugin`) → embed pages → Pagefind index → downloads copied → swap into place.
Everything but the finished site is written in the output's own work folder (`workspace`),
and the swap is one atomic step: whatever fails before it leaves the previous site byte for
byte as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tambon_portal.core import siteurl
from tambon_portal.core.progress import Progress
from tambon_portal.packages import discovery
from tambon_portal.packages.file_store import FileStore
from tambon_portal.pipeline import cache, page_reuse, serving, workspace
from tambon_portal.pipeline.stages import (
    SiteData,
    load,
    of_provinces,
    place_names,
    prepare_publication,
    publish_catalog,
    rollups,
    validation_problems,
)
from tambon_portal.pipeline.staging import (
    HAND_WRITTEN,
    REPO_DOCS,
    run_mkdocs,
    write_release_files,
    write_staging,
)
from tambon_portal.site import (
    embeds,
    mkdocs_plugin,
    offline,
    search,
)

log = logging.getLogger(__name__)


class BuildRefused(Exception):
    """The data has problems; nothing was built and the previous site is untouched."""

    def __init__(self, problems: list[Any]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


# --- skipping a build whose inputs did not change ----------------------------------------------


def built_key_file(ws: workspace.Workspace) -> Path:
    """Where the key of the site now in the output is kept (beside it, never inside)."""
    return ws.root / "built.key"


def site_key(
    data: SiteData, release: Any, site_url: str | None, license: dict | None, copy: str = "served"
) -> str:
    """Digest of every input of a site: the code, every package's files, the hand-written
    pages, the release, the address, the default licence, SOURCE_DATE_EPOCH and the kind of
    copy (served, or offline)."""
    hand_written = [
        (name, (REPO_DOCS / name).read_bytes() if (REPO_DOCS / name).is_file() else b"")
        for name, _ in HAND_WRITTEN
    ]
    return cache.digest(
        cache.code_version(),
        sorted(data.digests.items()),
        hand_written,
        repr(release),
        siteurl.resolve(site_url, data.root) or "",
        license or {},
        os.environ.get("SOURCE_DATE_EPOCH", ""),
        copy,
    )


def _unchanged(ws: workspace.Workspace, key: str) -> bool:
    built = built_key_file(ws)
    return (
        built.is_file()
        and built.read_text(encoding="utf-8") == key
        and (ws.out / "index.html").is_file()
        and (ws.out / workspace.SITE_MARKER).is_file()
    )


def _skipped_stats(data: SiteData, progress: Progress, started: float) -> dict[str, Any]:
    return {
        "tambons": len(data.tambons),
        "datasets": len(data.generic),
        "charts": 0,
        "skipped": True,
        "seconds": round(time.perf_counter() - started, 1),
        "stages": list(progress.stages),
    }


# --- entry points ----------------------------------------------------------------------------


def build_site(
    data_dir: Path,
    out_dir: Path,
    *,
    validate: bool = True,
    release: Any = None,
    site_url: str | None = None,
    license: dict | None = None,
    on_wait: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    offline_copy: bool = False,
    provinces: Sequence[str] = (),
) -> dict[str, Any]:
    """Builds the site from `data_dir` into `out_dir`, atomically; returns timings and counts.

    `provinces` (2-digit codes) makes a portal of those provinces only (`of_provinces`: a
    province's own site, or its offline copy, from a national data tree); raises
    NoSuchProvince, before anything is written, for a province the data has no tambon of.

    With `offline_copy`, the site is made into the copy that works opened from a folder,
    with no server (`site.offline`); its stats then have "offline" (pages, files, bytes).

    Writes only `out_dir` and its work folder (`workspace`); waits for another build into the
    same output (calling `on_wait` with why) and repairs what a killed build left.

    `site_url` (else $TAMBON_SITE_URL, else a placeholder) is used only in permanent URLs:
    citations, JSON-LD and the catalog; pages link relatively. `license` is stated for
    packages whose descriptor names none (default CC BY 4.0).

    Raises BuildRefused when validation finds problems (nothing is written then).
    """
    # Absolute from here on: mkdocs resolves paths in its config against the config's folder.
    # (The output is resolved by `workspace`, which must see whether it is a link.)
    data_dir = Path(data_dir).resolve()
    progress = progress or Progress()
    started = time.perf_counter()
    # What a killed build left is repaired even when this one is refused; a refused build
    # writes nothing else (not even a work folder).
    workspace.repair(out_dir, on_wait)
    store = FileStore()  # every data file read once for the whole build (`file_store`)
    refs = discovery.discover(data_dir, store)
    if provinces:
        refs = of_provinces(refs, provinces)
    verdicts = None
    if validate:
        with progress.stage("validate"):
            problems, verdicts = validation_problems(refs, data_dir, out_dir, store)
            progress.note(f"{len(problems)} problem(s)")
        if problems:
            raise BuildRefused(problems)
    with workspace.workspace(out_dir, on_wait) as ws:
        if verdicts is not None:
            verdicts.save()  # kept from the first build on: the next validates from them
        return _build_in(ws, data_dir, refs, store, release, site_url, license, progress,
                         started, offline_copy)  # fmt: skip


def _build_in(
    ws: workspace.Workspace,
    data_dir: Path,
    refs: list[discovery.PackageRef],
    store: FileStore,
    release: Any,
    site_url: str | None,
    license: dict | None,
    progress: Progress,
    started: float,
    offline_copy: bool = False,
) -> dict[str, Any]:
    with progress.stage("load"):
        saved_tables = cache.StageCache(ws.cache, "load")
        data = load(data_dir, saved_tables, store, refs)
        saved_tables.prune()
        key = site_key(data, release, site_url, license, "offline" if offline_copy else "served")
        unchanged = _unchanged(ws, key)
        progress.note(
            f"{len(data.tambons)} tambons, {len(data.generic)} other packages · "
            + saved_tables.outcome().describe()
            + (" · nothing changed since the last build: every later stage skipped" * unchanged)
        )
    if unchanged:
        return _skipped_stats(data, progress, started)
    live_pages = {} if offline_copy else page_reuse.live_keys(ws)
    built_key_file(ws).unlink(missing_ok=True)  # the output is about to change
    page_reuse.keys_file(ws).unlink(missing_ok=True)
    site_tmp = ws.new_site_folder()
    try:
        with progress.stage("roll-ups"):
            saved_rollups = cache.StageCache(ws.cache, "roll-ups")
            saved_parts = cache.StageCache(ws.cache, "roll-up-parts")  # one entry per tambon
            rollup_key = saved_rollups.key(data.rollup_inputs())
            computed = saved_rollups.run(rollup_key, lambda: rollups(data, saved_parts))
            saved_rollups.prune()
            if saved_parts.used:  # the parts were asked for: those of this build are kept
                saved_parts.prune(others=0)
                progress.note("tambons " + saved_parts.outcome().describe())
            else:
                progress.note(saved_rollups.outcome().describe())
        with progress.stage("downloads"):
            saved_downloads = cache.StageCache(ws.cache, "downloads")
            publication = prepare_publication(
                data, ws.publish, saved_downloads, release, site_url, license, computed, ws.out
            )
            saved_downloads.prune()
            progress.note(
                f"{len(publication.files)} files · packages " + saved_downloads.outcome().describe()
            )
        stats = write_staging(
            data, ws.staging, site_tmp, ws.cache, release, publication, computed,
            progress,
        )  # fmt: skip
        svgs = stats.pop("svgs")
        with progress.stage("mkdocs"):
            saved_tokens = cache.StageCache(ws.cache, "search-tokens")
            dictionary = sorted(place_names(data))
            tokens_key = saved_tokens.key(dictionary)
            _, known = saved_tokens.get(tokens_key)
            copies = search.SearchCopies(site_tmp, data.tambons, dictionary, known)
            pages = _pages_to_render(ws, site_tmp, svgs, publication, copies, live_pages)
            plugin = mkdocs_plugin.PortalPlugin(svgs, publication, copies, pages.reused,
                                                pages.keep)  # fmt: skip
            run_mkdocs(ws.staging / "mkdocs.yml", plugin, dirty=bool(pages.reused))
            pages.finish()
            progress.note(pages.describe())
            if (used := copies.tokens_used()) != known:
                saved_tokens.put(tokens_key, used)
            saved_tokens.used.add(tokens_key)
            saved_tokens.prune()
            stats["charts"] = plugin.charts_placed
        with progress.stage("embeds"):
            stats["embeds"] = embeds.write_embed_pages(site_tmp, plugin.embeds, svgs, publication)
            progress.note(f"{stats['embeds']} embed pages, {stats['charts']} charts placed")
        with progress.stage("search index"):
            saved_index = cache.StageCache(ws.cache, "search-index")
            stats["search"] = search.write_index(site_tmp, copies, data.tambons, saved_index.memo)
            saved_index.prune()
            progress.note(saved_index.outcome().describe())
        with progress.stage("catalog"):
            stats["catalog"] = publish_catalog(
                site_tmp, publication, stats.pop("figures"), stats.pop("package_pages"), data
            )
            stats["downloads"] = len(publication.files)
            if release is not None:
                write_release_files(site_tmp, release)
        if offline_copy:
            with progress.stage("offline copy"):
                stats["offline"] = offline.make_offline(site_tmp)
                progress.note(
                    f"{stats['offline']['files']:,} files, {stats['offline']['bytes'] / 1e6:.1f} MB"
                )
        with progress.stage("swap"):
            workspace.swap_in(ws, site_tmp)
        built_key_file(ws).write_text(key, encoding="utf-8")
        if not offline_copy:  # its pages were rewritten after mkdocs: none may be reused
            page_reuse.write_keys(ws, pages)
    except BaseException:
        shutil.rmtree(site_tmp, ignore_errors=True)
        raise
    stats["seconds"] = round(time.perf_counter() - started, 1)
    stats["stages"] = list(progress.stages)
    return stats


def _pages_to_render(ws: workspace.Workspace, site_tmp: Path, svgs: dict[str, str],
                     publication: Any, copies: search.SearchCopies, live_pages: page_reuse.Keys
                     ) -> page_reuse.PageReuse:  # fmt: skip
    """The keys of this build's pages, with those of the live site that are unchanged
    linked into `site_tmp` (`page_reuse`); none when `live_pages` is empty."""
    docs, config = ws.staging / "docs", ws.staging / "mkdocs.yml"
    address = (publication.site_url, publication.version)
    site = page_reuse.site_digest(config, site_tmp, docs, address, copies.dictionary)
    saved = cache.StageCache(ws.cache, page_reuse.STAGE)
    pages = page_reuse.PageReuse(
        saved, page_reuse.page_keys(saved, docs, site, svgs, copies.villages)
    )
    if live_pages:
        page_reuse.reuse_pages(ws, live_pages, site_tmp, docs, pages)
    return pages


class NoSite(Exception):
    """`tambon serve` was given a folder without a built site; the message says what to run."""


def serve(
    site_dir: Path,
    port: int = 8000,
    host: str = "127.0.0.1",
    on_ready: Callable[[str], None] = lambda url: None,
) -> None:
    """`tambon serve`: the built site over http on `host:port` until Ctrl-C, compressed as a
    real host would serve it (`serving`); `on_ready` gets the address once it listens. Raises
    NoSite for a folder without index.html."""
    if not (Path(site_dir) / "index.html").is_file():
        raise NoSite(f"{site_dir} has no index.html; run `tambon build` first")
    with serving.server(Path(site_dir), port, host) as httpd:
        on_ready(f"http://{host}:{port}/")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
