"""How `tambon import` scales with the size of the file: run `python benchmarks/import_scaling.py`.

Writes CSV files of 1, 4 and 16 MB (by default) in a temporary folder, in three shapes, imports
each into a fresh sample package with the library (importer.import_file, what `tambon import`
runs) and prints the seconds and the ratio time(16 MB) / time(1 MB): about 16 is linear, about
256 quadratic. Not a test (it times things): issue 8, item 9.

Shapes:
- wrong-wide: one heading row of columns named ครัวเรือน (one maps, every other one is a
  duplicate) and one row of cells: the shape that took 207 s at 1 MB (pandas renames
  duplicate headings in quadratic time);
- wrong-ragged: headings that map to nothing and rows of 1 to 7 cells;
- right: bmn_results rows with the schema's headings (and a remarks column, left out), valid,
  so the result is validated in full (the slow step: frictionless, about 0.2 ms a row).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tambon_portal.authoring import importer, pilot

CODE = "800106"
MB = 1_000_000
VILLAGES = [f"{CODE}{n:02d}" for n in range(1, 100)]


def _fill(path: Path, size: int, header: list[str], rows: Iterator[list[str]]) -> int:
    """Writes the header, then rows until the file holds `size` bytes; the number of rows."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            if file.tell() >= size:
                break
            writer.writerow(row)
            count += 1
    return count


def wrong_wide(path: Path, size: int) -> int:
    columns = size // 2 // len("ครัวเรือน,".encode())
    path.write_text(",".join(["ครัวเรือน"] * columns) + "\n" + ",".join(["1"] * columns) + "\n")
    return 1


def wrong_ragged(path: Path, size: int) -> int:
    rows = (["x"] * (1 + n % 7) for n in range(size))
    return _fill(path, size, ["ชื่อเล่น", "หมายเหตุ", "อื่น ๆ"], rows)


def right(path: Path, size: int) -> int:
    note = "สำรวจครบทุกครัวเรือน"  # a remarks column, left out, as officers' files have

    def rows() -> Iterator[list[str]]:
        for year in range(2500, 2580):  # later than 10 years ahead is an implausible year
            for indicator in range(1, 32):
                yield [CODE, "tambon", str(year), str(indicator), "1980", "990", "990", note]
                for village in VILLAGES:
                    yield [village, "village", str(year), str(indicator), "20", "10", "10", note]

    header = ["area_code", "area_level", "year_be", "indicator", "surveyed", "passed", "failed"]
    return _fill(path, size, [*header, "หมายเหตุ"], rows())


SHAPES: dict[str, tuple[Callable[[Path, int], int], str]] = {
    "wrong-wide": (wrong_wide, "villages"),
    "wrong-ragged": (wrong_ragged, "villages"),
    "right": (right, "bmn_results"),
}


def _with_99_villages(data: Path) -> None:
    """The sample package with villages 1 to 99 (the new ones empty, so every total still
    adds up), so that 600,000 bmn_results rows can be valid."""
    folder = data / CODE[:2] / CODE / "data"
    with (folder / "villages.csv").open(encoding="utf-8") as file:
        known = list(csv.reader(file))
    have = {row[0] for row in known[1:]}
    added = [[code, CODE, str(int(code[-2:])), f"บ้าน {code[-2:]}", "", "0", "0"]
             for code in VILLAGES if code not in have]  # fmt: skip
    with (folder / "villages.csv").open("a", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(added)
    with (folder / "tambon.csv").open(encoding="utf-8") as file:
        header, row = list(csv.reader(file))
    row[header.index("villages")] = str(len(have) + len(added))
    with (folder / "tambon.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows([header, row])


def run(sizes_mb: list[int], work: Path) -> None:
    pristine = work / "pristine"
    pilot.write_pilot(pristine, codes=[CODE])
    _with_99_villages(pristine)
    print(f"{'shape':<13} {'MB':>3} {'rows':>9} {'seconds':>8}  outcome")
    for shape, (generate, resource) in SHAPES.items():
        seconds = {}
        for size in sizes_mb:
            source = work / f"{shape}-{size}mb.csv"
            rows = generate(source, size * MB)
            data = work / f"data-{shape}-{size}"
            shutil.copytree(pristine, data)
            started = time.perf_counter()
            try:
                report = importer.import_file(source, data, CODE, resource)
                outcome = "written" if report.written else f"{len(report.problems)} problems"
            except importer.ImportFileError as err:
                outcome = f"refused: {err}"[:60]
            seconds[size] = time.perf_counter() - started
            print(f"{shape:<13} {size:>3} {rows:>9,} {seconds[size]:>8.2f}  {outcome}", flush=True)
            source.unlink()
            shutil.rmtree(data)
        small, large = min(sizes_mb), max(sizes_mb)
        ratio = seconds[large] / seconds[small]
        print(
            f"{shape:<13} time({large} MB) / time({small} MB) = {ratio:.1f}"
            f" (linear: {large / small:.0f}, quadratic: {(large / small) ** 2:.0f})",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16], help="sizes in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="import-scaling-") as tmp:
        run(sorted(args.sizes), Path(tmp))


if __name__ == "__main__":
    main()
