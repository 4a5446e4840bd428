"""Household records in, tables out (issue 11), measured in one run:
`.venv/bin/python benchmarks/households.py [--households N]` (default 1,000,000 household
rows; about 5 minutes on a 2-core machine).

In a temporary folder: synthetic records (`tambon sample households`) of as many tambons of
province 80 (then of the next provinces) as make N household rows, the same records as
Parquet (made by DuckDB, not timed), the tambons' packages (`pilot.skeleton_files`, for the
villages), then, each in its own process with its peak memory:

- a bare DuckDB read of the household file (every column as text): the reference, in place of
  the issue's bare pyarrow read (pyarrow is not a dependency: 170 MB); and of both files, the
  input check and publish read (the members file is three times the household file);
- `tambon households check` of both files, from CSV and from Parquet;
- `tambon households publish` into the packages (check, tables, suppression, writing), from
  CSV and from Parquet;
- `tambon audit` of the published packages (the disclosure audit's linear programs).

Prints rows, seconds, rows a second, peak memory and each ratio to the bare read, and the
audit's summary. The issue's targets: >= 2 million households a second end to end from CSV
(>= 0.4 x the bare read), 20 million households in under 1 GB, the audit of the national
tables in under 5 minutes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from tambon_portal.authoring import households_sample, pilot, sample
from tambon_portal.core import gazetteer
from tambon_portal.packages import writer as package_writer

BIN = Path(sys.executable).parent
BARE = """
import sys, duckdb
connection = duckdb.connect()
for i, path in enumerate(sys.argv[1:]):
    connection.execute(
        f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, header = true, all_varchar = true)",
        [path])
"""
BARE_ONE = "bare DuckDB read of the household file"
BARE_BOTH = "bare DuckDB read of both files"


def tambons_for(households: int, seed: int) -> list[str]:
    """Tambon codes, province 80 first, whose records make at least `households` rows."""
    codes, rows = [], 0
    others = [f"{n}" for n in range(10, 100) if n != 80 and gazetteer.province(f"{n}")]
    provinces = ["80", *others]
    for province in provinces:
        for tambon in gazetteer.tambons_of_province(province):
            if rows >= households:
                return codes
            codes.append(tambon.code)
            villages = sample.raw_tambon(tambon.code, seed)["villages"]
            rows += int(villages["households"].sum()) * len(households_sample.YEARS)
    return codes


def measured(command: list[str]) -> tuple[float, int, str]:
    """Seconds, peak memory (KB, /usr/bin/time) and the last line of output of one process."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], check=False,
                          capture_output=True, text=True)  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
    last = (done.stdout.strip().splitlines() or [""])[-1]
    return seconds, int(done.stderr.strip().splitlines()[-1]), last


def as_parquet(path: Path) -> Path:
    target = path.with_suffix(".parquet")
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true)) TO '{target}'"
               " (FORMAT parquet)")  # fmt: skip
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=sample.DEFAULT_SEED)
    parser.add_argument(
        "--formats", default="CSV,Parquet", help="input formats to time (default CSV,Parquet)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tambon-bench-households-") as folder:
        root = Path(folder)
        started = time.perf_counter()
        codes = tambons_for(args.households, args.seed)
        households, members, rows, persons = households_sample.write_records(
            root / "private", codes, args.seed
        )
        for code in codes:
            folder = root / "data" / code[:2] / code
            package_writer.write_files(folder, pilot.skeleton_files(code, args.seed))
        print(f"made {rows:,} household rows and {persons:,} member rows of {len(codes)}"
              f" tambons, and their packages, in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)  # fmt: skip
        formats = args.formats.split(",")
        with_parquet = "Parquet" in formats
        parquet = {p: as_parquet(p) if with_parquet else p for p in (households, members)}
        tambon = str(BIN / "tambon")
        data, site = str(root / "data"), str(root / "site")
        runs = {
            BARE_ONE: [sys.executable, "-c", BARE, str(households)],
            BARE_BOTH: [sys.executable, "-c", BARE, str(households), str(members)],
        }
        inputs = {
            "CSV": (households, members),
            "Parquet": (parquet[households], parquet[members]),
        }
        for kind, (h, m) in ((k, inputs[k]) for k in formats):
            runs[f"tambon households check, {kind} (both files)"] = [
                tambon,
                "households",
                "check",
                str(h),
                "--members",
                str(m),
            ]
            runs[f"tambon households publish, {kind} (end to end)"] = [
                tambon, "households", "publish", str(h), "--members", str(m),
                "--data", data, "--site", site]  # fmt: skip
        runs["tambon audit of the published packages"] = [
            tambon,
            "audit",
            "--data",
            data,
            "--out",
            site,
            "--no-cache",
        ]
        results = {}
        for what, command in runs.items():
            results[what] = measured(command)
            print(f"{what}: {results[what][0]:.1f} s", file=sys.stderr)
    one, both = results[BARE_ONE][0], results[BARE_BOTH][0]
    print("| what | seconds | households a second | × bare read (household file) |"
          " × bare read (both files) | peak memory |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for what, (seconds, peak, _) in results.items():
        print(
            f"| {what} | {seconds:.1f} | {rows / seconds:,.0f} | {one / seconds:.2f} |"
            f" {both / seconds:.2f} | {peak / 1024:,.0f} MB |"
        )
    print(f"audit: {results['tambon audit of the published packages'][2]}")
    print(
        f"{rows:,} household rows, {persons:,} member rows, {len(codes)} tambons;"
        " targets: >= 2,000,000 households a second end to end, >= 0.4 x the bare read"
    )


if __name__ == "__main__":
    main()
