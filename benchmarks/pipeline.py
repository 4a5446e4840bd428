"""The staged pipeline's targets (issue 10), measured in one run: run
`.venv/bin/python benchmarks/pipeline.py` (about 8 minutes on a 2-core machine).

Works on a copy of the committed `datapackages/` in a temporary folder, so the repository's
own build/ is not touched. Each build is a real `tambon build` in a subprocess, run through a
wrapper that counts, with an audit hook, how many times each data file is opened.

Prints, with the ratios the issue sets as targets:
- cold build (empty work folder) and warm full build (every cache warm, the site rebuilt:
  the last build's key removed) against a bare mkdocs-material build of the same pages
  (navigation.prune, the search plugin, none of ours) in the same run: warm <= 2x bare;
- a rebuild with nothing changed <= 10 % of the cold build, and after one changed CSV cell
  of one tambon <= 25 %;
- `tambon validate` of the packages, cold (its cache emptied) <= 3 s and warm (nothing changed);
- the most times one data file was opened by one build <= 2.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# Counts every open() of a file under the data folder, then runs the CLI; the counts go to a
# JSON file when the process exits.
COUNTING = """
import atexit, json, os, sys
from collections import Counter
data, out = os.path.realpath(sys.argv[1]), sys.argv[2]
opened = Counter()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path.startswith(data + os.sep) and (len(args) < 2 or "w" not in str(args[1] or "")):
            opened[path] += 1
sys.addaudithook(hook)
atexit.register(lambda: open(out, "w").write(json.dumps(opened)))
from tambon_portal import cli
sys.exit(cli.main(sys.argv[3:]))
"""


def timed(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def build(data: Path, out: Path, counts: Path) -> tuple[float, int]:
    """Seconds of one `tambon build`, and the most opens of one data file."""
    seconds = timed(
        [sys.executable, "-c", COUNTING, str(data), str(counts),
         "build", "--data", str(data), "--out", str(out)],
        env={**os.environ, "CI": "true"},
    )  # fmt: skip
    opened = json.loads(counts.read_text())
    return seconds, max(opened.values(), default=0)


def bare_mkdocs(staging: Path, into: Path, plain: bool = False) -> float:
    """A bare mkdocs-material build of the pages our build wrote into its staging project;
    `plain`: of plain pages in their place (each page's text without its HTML, under the
    same address and navigation: material's search plugin stumbles on a heading inside a
    list item of our HTML, which the pilot's pages happen not to have)."""
    config = yaml.safe_load((staging / "mkdocs.yml").read_text(encoding="utf-8"))
    bare = {
        "site_name": config["site_name"],
        "docs_dir": str(into / "docs"),
        "site_dir": str(into / "site"),
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "th", "features": ["navigation.prune"]},
        "plugins": ["search"],
        "markdown_extensions": config["markdown_extensions"],
        "nav": config["nav"],
    }
    if plain:
        plain_pages(staging / "docs", into / "docs")
    else:
        shutil.copytree(staging / "docs", into / "docs")
    (into / "mkdocs.yml").write_text(yaml.safe_dump(bare, allow_unicode=True), encoding="utf-8")
    return timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(into / "mkdocs.yml")])


def plain_pages(docs: Path, into: Path) -> None:
    """Each Markdown page of `docs` as plain text under the same path (tags and attribute
    lists dropped, blank lines kept: the same words for the search index)."""
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        plain = re.sub(r"\{[:#.][^}]*\}|<[^>]*>", " ", text)
        target = into / page.relative_to(docs)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(plain, encoding="utf-8")


def change_one_cell(data: Path) -> Path:
    villages = sorted(data.rglob("villages.csv"))[0]
    lines = villages.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[4] = (cells[4] or "Ban") + " Nuea"  # name_en of the first village: no cross-checks
    lines[1] = ",".join(cells)
    villages.write_text("".join(lines), encoding="utf-8")
    return villages


def validate_seconds(data: Path, cache_dirs: list[Path]) -> tuple[float, float]:
    for folder in cache_dirs:
        shutil.rmtree(folder, ignore_errors=True)
    command = [str(BIN / "tambon"), "validate", "--data", str(data)]
    cold = timed(command, env={**os.environ, "CI": "true"})
    warm = timed(command, env={**os.environ, "CI": "true"})
    return cold, warm


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tambon-bench-") as tmp:
        root = Path(tmp)
        data = root / "datapackages"
        shutil.copytree(REPO / "datapackages", data)
        out = root / "build" / "site"
        work = out.parent / f".{out.name}.tambon-work"
        counts = root / "opened.json"
        cold, cold_opens = build(data, out, counts)
        (work / "built.key").unlink()
        warm, warm_opens = build(data, out, counts)
        bare = bare_mkdocs(work / "staging", root / "bare")
        noop, noop_opens = build(data, out, counts)
        changed = change_one_cell(data)
        cell, cell_opens = build(data, out, counts)
        validate_cold, validate_warm = validate_seconds(data, [work / "cache" / "validate"])
    rows = [
        ("cold build", cold, "", ""),
        ("bare mkdocs-material build of the same pages", bare, "", ""),
        ("warm full build", warm, f"{warm / bare:.2f} x bare", "<= 2 x bare"),
        ("rebuild, nothing changed", noop, f"{noop / cold:.1%} of cold", "<= 10 %"),
        (f"rebuild, one cell of {changed.parent.parent.name}", cell, f"{cell / cold:.1%} of cold",
         "<= 25 %"),
        ("tambon validate, cold", validate_cold, "", "<= 3 s"),
        ("tambon validate, nothing changed", validate_warm, "", "near zero"),
    ]  # fmt: skip
    print(f"machine: {os.cpu_count()} cores · load average {os.getloadavg()[0]:.1f}")
    print("| what | seconds | ratio | target |\n|---|---|---|---|")
    for what, seconds, ratio, target in rows:
        print(f"| {what} | {seconds:.1f} | {ratio} | {target} |")
    opens = {"cold": cold_opens, "warm": warm_opens, "nothing changed": noop_opens,
             "one cell": cell_opens}  # fmt: skip
    print("most opens of one data file in one build (target <= 2): " + ", ".join(
        f"{k} {v}" for k, v in opens.items()))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
