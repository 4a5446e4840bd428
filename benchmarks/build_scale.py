"""The whole country's targets (issue 12), measured in one run (not a test):

    .venv/bin/python benchmarks/build_scale.py                     # the 7,436 sub-districts
    .venv/bin/python benchmarks/build_scale.py --provinces 80 10   # a part, to try it

In a temporary folder (`--keep DIR` to keep everything there): the national sample data
(`tambon sample national`, not timed against anything), then, each a real `tambon build` in
its own process:

- a full build of that data, its time and peak memory (the resident memory of the build and
  its worker processes together, sampled every 0.25 s: pages the workers share with their
  parent are counted in each, so this is an upper bound);
- a bare mkdocs-material build (navigation.prune, the search plugin, nothing of ours) of the
  same pages, from the build's own staging project: the full build's ratio to it (<= 1.5 x);
- a rebuild with nothing changed (<= 5 % of the full build) and after one tambon changed
  (the English name of one village: <= 10 %), and what that change adds to a host holding
  both versions (the bytes of the files that differ, by SHA-256);
- the bytes and files of one version of the site (and of the pilot's);
- served gzip-compressed at a slow-4G pace, on a phone with a 4x slower CPU (Debian
  chromium): a profile's first load (<= 150 KB gzip) and the bytes a first search transfers,
  Pagefind included (<= 300 KB gzip), per query of tests/browser/search_reader.py;
- a cold build of the committed pilot (60 tambons: < 30 s).

At national scale this takes hours (the data alone is some 60 million household rows); a few
provinces take minutes. The search queries name the pilot's tambons: keep province 80 in.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pipeline  # benchmarks/pipeline.py: the bare mkdocs build, the one-cell change
import search  # benchmarks/search.py: the slow-4G server and the phone's search

from tambon_portal.core import gazetteer

REPO = search.REPO
BIN = Path(sys.executable).parent
SAMPLE_EVERY_S = 0.25
Hashes = dict[str, tuple[str, int]]  # relative path -> (SHA-256, bytes) of a site's files
# One query of each kind a reader types (the search benchmark has them all): Thai name without
# spaces, English name with a typo, code, village code, a word inside a project title.
QUERY_KINDS = (
    "Thai tambon name, no spaces",
    "English tambon name, one wrong letter",
    "6-digit tambon code",
    "8-digit village code",
    "words inside a project title, no spaces",
)


@dataclass
class Run:
    seconds: float
    peak_bytes: int
    log: str = ""  # what the command wrote to stderr (a build: a line per stage)


def _tree_rss(root: int) -> int:
    """Resident bytes of process `root` and all its descendants, from /proc."""
    parents, rss = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        fields = text.rsplit(") ", 1)[1].split()
        pid = int(stat.parent.name)
        parents[pid], rss[pid] = int(fields[1]), int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in tree)


def run(command: list[str]) -> Run:
    """Runs `command` (quietly, as in CI), timing it and sampling its memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "CI": "true"})  # fmt: skip
    peak = 0
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.append(process.stderr.read()))
    reader.start()
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(SAMPLE_EVERY_S)
    reader.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        tail = b"".join(errors).decode("utf-8", "replace")[-3000:]
        sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{tail}")
    return Run(seconds, peak, b"".join(errors).decode("utf-8", "replace"))


def tambon(*args: str | Path) -> list[str]:
    return [str(BIN / "tambon"), *map(str, args)]


def hashes(site: Path) -> Hashes:
    """Relative path -> (SHA-256, bytes) of every file of a built site."""
    found = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found[path.relative_to(site).as_posix()] = (hashlib.sha256(data).hexdigest(), len(data))
    return found


def growth(
    before: dict[str, tuple[str, int]], after: dict[str, tuple[str, int]]
) -> tuple[int, int]:
    """Files and bytes a host holding `before` must add to hold `after` too."""
    new = [size for path, (digest, size) in after.items() if before.get(path, ("",))[0] != digest]
    return len(new), sum(new)


def size_of(files: Hashes) -> str:
    return f"{sum(size for _, size in files.values()) / 1e6:,.1f} MB in {len(files):,} files"


def phone_search(site: Path, landing: str) -> list[search.Measured]:
    from playwright.sync_api import sync_playwright  # only this step needs a browser

    search.LANDING = landing
    base = search.serve(site)
    queries = [q for q in search.search_reader.QUERIES if q.kind in QUERY_KINDS]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=search.CHROMIUM, args=search.CHROMIUM_ARGS
        )
        measured = [search.measure(browser, base, q) for q in queries]
        browser.close()
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", nargs="+", metavar="CODE",
                        help="only these provinces (default: all of the gazetteer)")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tambon-scale-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        os.environ["NO_MKDOCS_2_WARNING"] = "1"  # mkdocs-material's notice, each build
        return measure_all(root, args.provinces)


def measure_all(root: Path, provinces: list[str] | None) -> int:
    data, site = root / "national-data", root / "national-site"
    work = site.parent / f".{site.name}.tambon-work"
    print(f"machine: {os.cpu_count()} cores · load average {os.getloadavg()[0]:.1f}", flush=True)
    chosen = [f"--province={p}" for p in provinces or ()]
    made = run(tambon("sample", "national", "--out", data, "--records", root / "private", *chosen))
    packages = sorted(p.parent.name for p in data.glob("*/*/datapackage.json"))
    tambons = [code for code in packages if gazetteer.tambon(code)]
    print(f"data: {len(tambons):,} tambons of {len({c[:2] for c in tambons})} provinces"
          f" ({len(packages):,} packages) in {made.seconds:.0f} s", flush=True)  # fmt: skip
    full = run(tambon("build", "--data", data, "--out", site))
    print(f"full build {full.seconds:.1f} s", flush=True)
    bare = pipeline.bare_mkdocs(work / "staging", root / "bare", plain=True)
    version = hashes(site)
    nothing = run(tambon("build", "--data", data, "--out", site))
    changed_file = pipeline.change_one_cell(data)
    one = run(tambon("build", "--data", data, "--out", site))
    added_files, added_bytes = growth(version, hashes(site))
    pilot_data, pilot_site = root / "pilot-data", root / "pilot-site"
    shutil.copytree(REPO / "datapackages", pilot_data)
    pilot = run(tambon("build", "--data", pilot_data, "--out", pilot_site))
    landing = "800106" if "800106" in tambons else tambons[0]
    phone = phone_search(site, f"/tambon/{landing}/")
    changed = next(part for part in changed_file.parts if gazetteer.tambon(part))
    rows = [
        (f"full build, {len(tambons):,} tambons", f"{full.seconds:.1f} s",
         f"{full.seconds / bare:.2f} x bare", "<= 1.5 x bare"),
        ("bare mkdocs-material build of the same pages", f"{bare:.1f} s", "", ""),
        ("rebuild, nothing changed", f"{nothing.seconds:.1f} s",
         f"{nothing.seconds / full.seconds:.1%} of full", "<= 5 %"),
        (f"rebuild, one tambon changed ({changed})", f"{one.seconds:.1f} s",
         f"{one.seconds / full.seconds:.1%} of full", "<= 10 %"),
        ("peak memory of the full build", f"{full.peak_bytes / 2**30:.2f} GB", "", "< 4 GB"),
        ("pilot build (60 tambons), cold", f"{pilot.seconds:.1f} s",
         f"peak {pilot.peak_bytes / 2**30:.2f} GB", "< 30 s"),
    ]  # fmt: skip
    print("the rebuild after one tambon changed, by stage:")
    for line in one.log.splitlines():
        if line.startswith("tambon build: "):
            print("  " + line.removeprefix("tambon build: "))
    print("| what | measured | ratio | target |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(
        f"one version of the site: {size_of(version)}; the pilot's: {size_of(hashes(pilot_site))}"
    )
    print(f"a release after one tambon changed adds {added_bytes / 1e6:,.1f} MB in"
          f" {added_files:,} files (that differ from the version before, by SHA-256)")  # fmt: skip
    print(f"on a phone (slow 4G, CPU 4x slower), landing on /tambon/{landing}/:"
          f" first load {phone[0].load_bytes / 1024:.1f} KB gzip (target <= 150 KB)")  # fmt: skip
    print(search.report(phone))
    print("first search: target <= 300 KB gzip, results in < 1 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
