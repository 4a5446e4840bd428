"""Pages mkdocs need not render again: a rebuild renders only the pages whose HTML would change.

mkdocs cannot build part of a site, but its dirty build (`build(config, dirty=True)`) skips a
page whose output file is newer than its source. A page's HTML, and what the site's plugin
takes from it (`mkdocs_plugin.PageResult`: embeds, search copy), is made of:

- its markdown and the SVGs of the charts it places;
- the site as a whole: the mkdocs configuration (navigation, theme, extra), the list of files
  in the project (mkdocs links a page only to a file that exists), the publication's address
  and version (embed snippets) and the search dictionary;
- for a profile, its tambon's villages (they are in its search copy);
- the code and the library versions (`cache.code_version`, in every key).

Each page gets a key over those. Where the live site was built with the same key for a page,
its HTML is linked from the live site into the new one (a hard link: it is never written
again, see below; a copy where links are refused), its source is dated to 1970 so that
mkdocs skips it, and its result comes from the stage cache under the same key. So after one
tambon changed, mkdocs renders that tambon's pages and those that show its figures (its
district's, province's and the pages beside it), not the whole site.

The live site's keys are in `<work folder>/built-pages.json`: read when a build starts,
removed before it changes the site, written again after the swap. A build with an offline
copy rewrites its pages after mkdocs (`site.offline`), so it reuses nothing (its pages must
not be links into the live site) and leaves no key file (nothing may be reused from it).
Nothing else writes a page's HTML after mkdocs.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tambon_portal.core import urls
from tambon_portal.pipeline import cache, workspace
from tambon_portal.site import embeds, mkdocs_plugin

KEYS_FILE = "built-pages.json"
STAGE = "mkdocs-pages"
EPOCH = (0, 0)  # the date a reused page's source is given: older than any output

Keys = dict[str, list[str]]  # page source path -> [its key, its output path]


def keys_file(ws: workspace.Workspace) -> Path:
    return ws.root / KEYS_FILE


def live_keys(ws: workspace.Workspace) -> Keys:
    """The keys of the live site's pages; none when there is no key file or it is unreadable."""
    try:
        found = json.loads(keys_file(ws).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


@dataclass
class PageReuse:
    """The pages of one build: their keys, those reused, and what the rendered ones gave."""

    saved: cache.StageCache
    keys: dict[str, str]  # source path -> key
    reused: dict[str, mkdocs_plugin.PageResult] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # source path -> output path

    def keep(self, source: str, output: str, result: mkdocs_plugin.PageResult) -> None:
        """The plugin's report of a rendered page: saved for the builds after this one."""
        key = self.keys.get(source)
        if key is not None:
            self.saved.put(key, result)
            self.saved.used.add(key)
        self.outputs[source] = output

    def finish(self) -> None:
        """Drops the saved results no page of this build has."""
        self.saved.prune(others=0)

    def written_keys(self) -> Keys:
        return {s: [k, self.outputs[s]] for s, k in sorted(self.keys.items()) if s in self.outputs}

    def describe(self) -> str:
        rendered = len(self.keys) - len(self.reused)
        return f"{rendered} pages rendered, {len(self.reused)} unchanged reused"


def site_digest(config_file: Path, site_tmp: Path, docs: Path, address: tuple[str, str],
                dictionary: list[str]) -> str:  # fmt: skip
    """What every page is made of besides itself (the module docstring's second point)."""
    config = config_file.read_text(encoding="utf-8").replace(str(site_tmp), "")
    files = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    return cache.digest(config, files, list(address), dictionary)


def page_keys(saved: cache.StageCache, docs: Path, site: str, svgs: Mapping[str, str],
              villages: Mapping[str, str]) -> dict[str, str]:  # fmt: skip
    """Each markdown page's key: the site's digest, its source, its charts' SVGs, and the
    villages its search copy holds."""
    keys = {}
    for path in sorted(docs.rglob("*.md")):
        source = path.relative_to(docs).as_posix()
        text = path.read_text(encoding="utf-8")
        charts = [svgs.get(k, "") for k in embeds.chart_keys(text)]
        keys[source] = saved.key(site, text, charts, villages.get(urls.url_of(source), ""))
    return keys


def reuse_pages(ws: workspace.Workspace, previous: Keys, site_tmp: Path, docs: Path,
                pages: PageReuse) -> None:  # fmt: skip
    """Links into `site_tmp` the live site's HTML of every page whose key is unchanged and
    whose result is saved, and dates their sources back so mkdocs skips them."""
    for source, key in pages.keys.items():
        old = previous.get(source)
        if not isinstance(old, list) or len(old) != 2 or old[0] != key:
            continue
        hit, result = pages.saved.get(key)
        if not hit or not _linked(ws.out / old[1], site_tmp / old[1]):
            continue
        os.utime(docs / source, ns=EPOCH)
        pages.saved.used.add(key)
        pages.reused[source] = result
        pages.outputs[source] = old[1]


def _linked(live: Path, new: Path) -> bool:
    if not live.is_file() or live.is_symlink():
        return False
    new.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(live, new)
    except OSError:  # another file system, or links refused: a copy keeps the live one safe
        shutil.copy2(live, new)
    return True


def write_keys(ws: workspace.Workspace, pages: PageReuse) -> None:
    """After the swap: the keys of the site now live."""
    target = keys_file(ws)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(pages.written_keys(), ensure_ascii=False), encoding="utf-8")
    os.replace(partial, target)
