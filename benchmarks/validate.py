"""How long `tambon validate` takes on the committed data: run `python benchmarks/validate.py`.

In one run, each in a fresh subprocess (the code of this checkout, its src/ first on the path):

- old: the frictionless-only path (TAMBON_FASTCHECK=off, --no-cache), what validate did before
  the fast path (issue 10: 33-39 s for 4.85 MB of CSV);
- cold: the fast path with an empty cache (a new --out, so a new work folder);
- warm: again, nothing changed: every verdict from the cache;
- one cell: a copy of the data with one cell of one tambon changed, after a warm run of it;
- import: `import tambon_portal.checks.validate` alone, the floor of a warm run.

It checks that every way prints the same report (stdout) and exit status as the old one (the
changed copy: that it finds the one problem), then prints the seconds, the ratios to the old
path and the targets of issue 10 (cold <= 3 s; warm near zero). Not a test (it times things).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COLD_TARGET = 3.0  # seconds, issue 10
WARM_NEAR_ZERO = 0.10  # of the old path: "near zero"
CHANGED_FILE = Path("80/800106/data/villages.csv")


@dataclass(frozen=True)
class Run:
    seconds: float  # wall clock
    cpu: float  # user + system seconds of the subprocess: less moved by other users' load
    status: int
    stdout: str
    stderr: str


def tambon_validate(data: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    environment = {**os.environ, **(env or {})}
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    command = [sys.executable, "-m", "tambon_portal.cli", "validate", "--data", str(data), *args]
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    return Run(seconds, _children_cpu() - cpu, done.returncode, done.stdout, done.stderr)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def import_seconds() -> float:
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import tambon_portal.checks.validate"], env=environment,
                   check=True)  # fmt: skip
    return time.perf_counter() - started


def best(runs: list[Run]) -> Run:
    """The fastest of the runs: on a shared machine the others waited for a core."""
    return min(runs, key=lambda run: run.seconds)


def same_report(reference: Run, runs: list[Run], what: str) -> None:
    for run in runs:
        if (run.status, run.stdout) != (reference.status, reference.stdout):
            sys.exit(f"{what}: a report other than the frictionless path's:\n{run.stdout[-2000:]}")


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as info:  # Linux; the model name when known
        models = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
    return (
        f"{models[0] if models else cpu}, {os.cpu_count()} cores, load {load};"
        f" Python {platform.python_version()}"
    )


def change_one_cell(data: Path) -> None:
    path = data / CHANGED_FILE
    header, first, *rest = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = first.split(",")
    cells[header.split(",").index("households")] = "12?"
    path.write_text("".join([header, ",".join(cells), *rest]), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO / "datapackages")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each fast way (best kept)")
    parser.add_argument("--old-repeat", type=int, default=1, help="runs of the old path")
    args = parser.parse_args()
    data = args.data.resolve()
    size = sum(p.stat().st_size for p in data.rglob("*.csv")) / 1e6
    print(f"tambon validate of {data} ({size:.2f} MB of CSV)")
    print(f"machine: {machine()}")

    old = [
        tambon_validate(data, "--no-cache", env={"TAMBON_FASTCHECK": "off"})
        for _ in range(args.old_repeat)
    ]
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as scratch:
        cold, warm = [], []
        for n in range(args.repeat):
            out = Path(scratch) / f"site-{n}"  # a new output: a new, empty work folder
            cold.append(tambon_validate(data, "--out", str(out)))
            warm.append(tambon_validate(data, "--out", str(out)))
        copy = Path(scratch) / "data"
        shutil.copytree(data, copy)
        out = Path(scratch) / "site-changed"
        tambon_validate(copy, "--out", str(out))
        change_one_cell(copy)
        changed = tambon_validate(copy, "--out", str(out))
    floor = statistics.median(import_seconds() for _ in range(3))

    same_report(old[0], old[1:] + cold + warm, "the fast path")
    if changed.status != 1 or "'12?' is not a valid integer" not in changed.stdout:
        sys.exit(f"one changed cell: not found:\n{changed.stdout[-2000:]}\n{changed.stderr}")
    print(f"same report as the frictionless path: yes (exit {old[0].status}); cache: "
          f"{warm[0].stderr.strip().splitlines()[-1]}; one cell: "
          f"{changed.stderr.strip().splitlines()[-1]}")  # fmt: skip

    base = best(old).seconds
    rows = [("old (frictionless only)", best(old)), ("cold (fast path, empty cache)", best(cold)),
            ("warm (nothing changed)", best(warm)), ("one cell changed", changed)]  # fmt: skip
    print(f"  {'':32} {'wall':>7}    {'of old':>6}   {'cpu':>7}")
    for label, run in rows:
        print(f"  {label:32} {run.seconds:7.2f} s  {run.seconds / base:6.1%}  {run.cpu:7.2f} s")
    print(f"  {'import tambon_portal.checks.validate':32} {floor:7.2f} s  {floor / base:6.1%}")
    verdict = {True: "met", False: "NOT met"}
    cold_s, warm_s = best(cold).seconds, best(warm).seconds
    print(f"target cold <= {COLD_TARGET:.0f} s: {verdict[cold_s <= COLD_TARGET]}"
          f" ({cold_s:.2f} s, {base / cold_s:.1f}x faster than old)")  # fmt: skip
    print(f"target warm near zero (<= {WARM_NEAR_ZERO:.0%} of old): "
          f"{verdict[warm_s <= WARM_NEAR_ZERO * base]} ({warm_s:.2f} s,"
          f" of which {floor:.2f} s importing the validator)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
