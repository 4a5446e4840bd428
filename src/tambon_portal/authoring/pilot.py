"""The committed pilot, made the way real data must be made (`tambon sample`, issue 11): the
60 pilot tambons' synthetic household records are drawn (`households_sample`) into a private
temporary folder, and their tables are made, suppressed and protected from the records by
`tambon households publish`'s own code (`households_publish.published_files`), never drawn
as tables directly.

The published tables of a package are the records' (households and persons, population,
BMN results, income, occupations); what records do not hold is the synthetic package's own
(`sample`): the names of places and the community plan. So each tambon starts as a package
of `sample.raw_tambon` in the temporary folder (it gives publish the villages and the plan),
and only the descriptor and what publish makes are written to `out`.

Nothing of the records is kept: the temporary folder is private (0700) and removed, also
when the run fails. A tambon's files depend only on its own records (each draws from its
own stream, each is published alone), so one tambon made alone equals that tambon made with
the others, and the output is byte-for-byte the same for a seed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from tambon_portal.authoring import (
    households_publish,
    households_sample,
    sample,
    sample_knowledge,
    sample_partners,
)
from tambon_portal.core.progress import Progress
from tambon_portal.core.schemas import articles
from tambon_portal.core.schemas import partners as ps
from tambon_portal.packages import writer as package_writer


class PilotFailed(Exception):
    """The records the generator drew did not pass their own check (a bug of the generator):
    nothing was written."""


def _descriptor_text(code: str, seed: int) -> str:
    return package_writer.descriptor_text(sample.descriptor(code, seed))


def skeleton_frames(code: str, seed: int = sample.DEFAULT_SEED, leaving: str | None = None
                    ) -> dict[str, pd.DataFrame]:  # fmt: skip
    """The tables of a package publish can fill, drawn directly (publish reads
    the villages' names, keeps the plan and replaces the rest by the records' tables). With
    `leaving`, that village (the tambon's last) has left: its row is gone and its projects
    are the tambon's."""
    frames = sample.raw_tambon(code, seed)
    return _without_village(frames, leaving) if leaving is not None else frames


def skeleton_files(code: str, seed: int = sample.DEFAULT_SEED, leaving: str | None = None
                   ) -> dict[str, str]:  # fmt: skip
    """Relative path -> text of a package publish can fill: its descriptor and the tables of
    `skeleton_frames` (what the benchmarks give `households publish`)."""
    return _files_of(code, seed, skeleton_frames(code, seed, leaving))


def _files_of(code: str, seed: int, frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    return {"datapackage.json": _descriptor_text(code, seed)} | sample.data_files(frames)


def _without_village(frames: dict[str, pd.DataFrame], village_code: str
                     ) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Only the last village can leave: village numbers must run 1, 2, 3, ... (a real
    renumbering would change every later village's code)."""
    villages = frames["villages"]
    last = villages.loc[villages["village_no"].idxmax(), "village_code"]
    if village_code != last:
        raise ValueError(f"{village_code} is not the last village of the tambon ({last})")
    projects = frames["plan_projects"].copy()
    projects.loc[projects["village_code"] == village_code, "village_code"] = None
    kept = villages[villages["village_code"] != village_code].reset_index(drop=True)
    return frames | {"villages": kept, "plan_projects": projects}


def pilot_files(codes: Sequence[str], seed: int = sample.DEFAULT_SEED,
                progress: Progress | None = None, leaving: Mapping[str, str] | None = None
                ) -> dict[str, dict[str, str]]:  # fmt: skip
    """Package folder (relative: 80/800106, the province's area totals, 80/area-totals-80, and
    its partners, 80/partners-80; and the sample articles, knowledge/)
    -> relative path -> text of every file of the package, as published from the synthetic
    records. `leaving` maps a tambon to its last village, which has left: its
    records and row are gone and every table is published from what is left (the edit a
    maintainer makes when a village splits off). `progress` is told the stages (packages,
    records, check, tables, suppression)."""
    progress = progress or Progress()
    leaving = leaving or {}
    with tempfile.TemporaryDirectory(prefix="tambon-pilot-") as work:
        # mkdtemp makes the folder 0700: the records are no one else's to read
        data, records = Path(work) / "data", Path(work) / "records"
        skeletons, plans = {}, {}
        with progress.stage("packages", total=len(codes)):
            for code in codes:
                frames = skeleton_frames(code, seed, leaving.get(code))
                plans[code] = {name: frames[name] for name in sample_partners.PLAN_TABLES}
                skeletons[code] = _files_of(code, seed, frames)
                package_writer.write_files(data / code[:2] / code, skeletons[code])
                progress.advance()
        with progress.stage("records", total=len(codes)):
            households, members, rows, persons = households_sample.write_records(
                records, codes, seed, set(leaving.values()), progress
            )
            progress.note(f"{rows:,} household rows, {persons:,} persons")
        publication = households_publish.published_files(households, members, data, None, progress)
    problems = publication.report.problems
    if problems:
        first = problems[0]
        raise PilotFailed(
            f"the synthetic records have {len(problems)} problems, first:"
            f" {first.location()}: {first.message}"
        )
    folders = {f"{code[:2]}/{code}": skeletons[code] | publication.files[code] for code in codes}
    for province, files in publication.areas.items():
        relative = households_publish.area_folder(Path(), province).as_posix()
        folders[relative] = files
    partner_ids: dict[str, list[str]] = {}
    for province in sorted({code[:2] for code in codes}):
        mine = {code: plan for code, plan in plans.items() if code[:2] == province}
        folders[f"{province}/{ps.package_name(province)}"] = sample_partners.package_files(
            mine, province, seed
        )
        tables = sample_partners.partner_tables(mine, province, seed)
        partner_ids[province] = list(tables["partners"]["partner_id"])
    first = min(partner_ids)  # the articles are about the first province's tambons
    folders[articles.KNOWLEDGE_DIR] = sample_knowledge.article_files(
        [c for c in codes if c[:2] == first], partner_ids[first]
    )
    return folders


def package_files(code: str, seed: int = sample.DEFAULT_SEED, leaving: str | None = None
                  ) -> dict[str, str]:  # fmt: skip
    """Relative path -> text of every file of one pilot tambon's package (without the
    village `leaving`, when given: see `pilot_files`)."""
    made = pilot_files([code], seed, leaving={code: leaving} if leaving else None)
    return made[f"{code[:2]}/{code}"]


def write_pilot(out: Path, seed: int = sample.DEFAULT_SEED, codes: Sequence[str] | None = None,
                progress: Progress | None = None) -> list[Path]:  # fmt: skip
    """Writes the pilot packages under `out` (all made first: a failure writes nothing)."""
    progress = progress or Progress()
    made = pilot_files(list(codes or sample.pilot_codes(seed)), seed, progress)
    folders = []
    with progress.stage("write", total=len(made)):
        for relative, files in made.items():
            folder = out / relative
            package_writer.write_files(folder, files)
            folders.append(folder)
            progress.advance()
    return folders
