"""The national sample data (issue 12): a package for every sub-district of the gazetteer (or
of the provinces asked for), its tables published from synthetic household records through
`households publish`, the way a province's office publishes its own.

Not the committed pilot (`pilot`): no master-plan partners and no articles, and the tree goes
outside `datapackages/` (by default `build/national-data/`), because it is hundreds of
megabytes. The records stay in a private folder of their own, never inside the tree.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from tambon_portal.authoring import households_publish, households_sample, pilot, sample
from tambon_portal.core import gazetteer
from tambon_portal.core.progress import Progress
from tambon_portal.packages import writer as package_writer

DEFAULT_OUT = Path("build/national-data")
DEFAULT_RECORDS = Path("private/national-households")


class UnknownProvince(ValueError):
    """A province code that is not in the gazetteer."""


def codes_of(provinces: Sequence[str] | None = None) -> list[str]:
    """The sub-districts of `provinces` (codes), of every province when none is given."""
    if not provinces:
        return households_sample.national_codes()
    unknown = [p for p in provinces if gazetteer.province(p) is None]
    if unknown:
        raise UnknownProvince(f"unknown province code(s): {', '.join(unknown)}")
    return [t.code for p in sorted(set(provinces)) for t in gazetteer.tambons_of_province(p)]


def write_national(
    out: Path,
    records: Path,
    codes: Sequence[str],
    seed: int = sample.DEFAULT_SEED,
    progress: Progress | None = None,
) -> households_publish.PublishReport:
    """Writes the packages of `codes` under `out`, published from records drawn into
    `records`. The tree is made beside `out` and takes its place only when complete, so a
    failed or interrupted run leaves an earlier tree as it was. `progress` is told the stages
    (packages, records, then publish's)."""
    progress = progress or Progress()
    out = Path(out)
    households_publish.refuse_inside([records / "households.csv"], [out])
    partial = out.parent / f".{out.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        with progress.stage("packages", total=len(codes)):
            for code in codes:  # the villages publish fills, and the plan it keeps
                package_writer.write_files(
                    partial / code[:2] / code, pilot.skeleton_files(code, seed)
                )
                progress.advance()
        with progress.stage("records", total=len(codes)):
            households, members, rows, persons = households_sample.write_records(
                records, codes, seed, progress=progress
            )
            progress.note(f"{rows:,} household rows, {persons:,} persons")
        report = households_publish.publish(households, members, partial, None, progress)
        if report.problems:
            return report
        shutil.rmtree(out, ignore_errors=True)
        partial.rename(out)
        return report
    finally:
        shutil.rmtree(partial, ignore_errors=True)
