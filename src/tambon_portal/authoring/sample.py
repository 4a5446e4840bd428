"""Seeded synthetic data of the 60 pilot tambons: the pilot set, each tambon's tables drawn
directly, and the package text (descriptor, CSV).

Codes and names are real (from the gazetteer); every figure is made up, but made up so that it
holds together the way real data must: villages add up to the tambon, BMN passed + failed =
surveyed, the income brackets add up to the households surveyed, households under the income
line are the same number in the BMN results and in the income summary. Small counts are
suppressed exactly as real data must be (see `suppress`).

Each tambon draws from its own `random.Random(seed + int(code))`, so adding or dropping a
tambon does not change another's data, and the output is byte-for-byte the same for a seed.
Only `random.Random` is used (not numpy) because its stream is stable across library versions.

The committed pilot is not these tables: `pilot` draws household records from them
(`households_sample`: the villages and their household counts) and publishes the records
(`households_publish`), as real data must be made; only the names of places and the plan are
kept from here. The tables drawn here are the skeleton that publish fills and the quick
consistent tables of tests. One tambon's figures are made in `sample_figures` and
`sample_plan`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from tambon_portal.authoring import protection
from tambon_portal.authoring.sample_figures import (
    BMN_YEARS,
    BRACKETS,
    adults_by_sex,
    bmn_frame,
    bmn_tambon_row,
    income_frames,
    occupations_frame,
    population_frame,
    split_total,
    tambon_frame,
    villages_frame,
)
from tambon_portal.authoring.sample_plan import plan_frames
from tambon_portal.core import gazetteer, schemas
from tambon_portal.core.settings import PROVINCE_CODE
from tambon_portal.packages import writer as package_writer
from tambon_portal.stats import suppress

__all__ = [  # what callers use; the figures live in the modules named above
    "ANCHOR_TAMBON",
    "BMN_YEARS",
    "BRACKETS",
    "DEFAULT_SEED",
    "adults_by_sex",
    "bmn_tambon_row",
    "build_tambon",
    "csv_text",
    "data_files",
    "descriptor",
    "pilot_codes",
    "raw_tambon",
    "split_total",
    "suppressed",
]

DEFAULT_SEED = 2568
PILOT_COUNT = 60
# Tha Rai is in every pilot set so that examples, docs and tests can name one fixed tambon.
ANCHOR_TAMBON = "800106"
CREATED = "2025-09-30T00:00:00Z"  # fixed: the descriptor must not depend on the clock

# ---------------------------------------------------------------------------------------------
# Pilot selection


def pilot_codes(seed: int = DEFAULT_SEED) -> list[str]:
    """60 tambon codes of province 80, at least one in each district, sorted."""
    rng = random.Random(seed)
    chosen = {ANCHOR_TAMBON}
    for district in gazetteer.districts_of(PROVINCE_CODE):
        codes = [t.code for t in gazetteer.tambons_of(district.code)]
        if chosen.isdisjoint(codes):
            chosen.add(rng.choice(codes))
    rest = sorted(
        t.code for t in gazetteer.tambons_of_province(PROVINCE_CODE) if t.code not in chosen
    )
    chosen.update(rng.sample(rest, PILOT_COUNT - len(chosen)))
    return sorted(chosen)


# ---------------------------------------------------------------------------------------------
# One tambon, end to end (pure)


def tambon_rng(code: str, seed: int) -> random.Random:
    """The tambon's own stream: its data does not depend on which other tambons are drawn."""
    return random.Random(seed + int(code))


def raw_tambon(code: str, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Every resource of one tambon's package before small-cell suppression."""
    place = gazetteer.tambon(code)
    if place is None:
        raise ValueError(f"{code} is not a tambon code in the gazetteer")
    rng = tambon_rng(code, seed)
    villages = villages_frame(code, rng)
    tambon = tambon_frame(place, villages, rng)
    population = population_frame(code, int(tambon["population"].iloc[0]), rng)
    bmn = bmn_frame(villages, rng)
    brackets, summary = income_frames(code, bmn, rng)
    occupations = occupations_frame(code, population, rng)
    plan, issues, projects, history = plan_frames(tambon.iloc[0], villages, rng)
    frames = {
        "tambon": tambon,
        "villages": villages,
        "population": population,
        "bmn_results": bmn,
        "income_brackets": brackets,
        "income_summary": summary,
        "occupations": occupations,
        "plan": plan,
        "plan_issues": issues,
        "plan_projects": projects,
        "plan_project_status": history,
    }
    return {name: frames[name] for name in schemas.RESOURCE_NAMES}


SUPPRESSORS = {
    "population": suppress.suppress_population,
    "bmn_results": suppress.suppress_bmn_results,
    "income_brackets": suppress.suppress_income_brackets,
    "income_summary": suppress.suppress_income_summary,
    "occupations": suppress.suppress_occupations,
}


def suppressed(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every resource of a package as published: small counts suppressed with their partners
    in each table (`suppress`), then more cells until no suppressed cell can be worked out
    from the package's published totals (`protection`, which the disclosure audit judges)."""
    primary = {name: SUPPRESSORS.get(name, pd.DataFrame.copy)(f) for name, f in raw.items()}
    return protection.protect(primary, str(raw["tambon"]["tambon_code"].iloc[0]))


def build_tambon(code: str, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Every resource of one tambon's package as published (`suppressed`)."""
    return suppressed(raw_tambon(code, seed))


# ---------------------------------------------------------------------------------------------
# Descriptor and CSV text (pure)


def descriptor(code: str, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    return schemas.tambon_package_descriptor(
        code,
        description=(
            f"ข้อมูลตัวอย่างสังเคราะห์ (ไม่ใช่ข้อมูลจริง) สร้างด้วยโปรแกรมสุ่มแบบกำหนด seed {seed}: "
            "ตัวเลขทั้งหมดสมมุติขึ้น ส่วนรหัสและชื่อพื้นที่เป็นของจริง "
            "ตารางสถิติทำจากระเบียนครัวเรือนสังเคราะห์ด้วย `tambon households publish` "
            f"SYNTHETIC SAMPLE DATA made by a seeded generator (seed {seed}): "
            "all figures are made up; area codes and names are real. The statistical tables "
            "were made from synthetic household records by `tambon households publish`."
        ),
        sample=True,
        source_title=f"ข้อมูลสังเคราะห์จาก tambon-portal `tambon sample --seed {seed}`",
        created=CREATED,
        extra_keywords=("ข้อมูลตัวอย่าง", "sample data"),
    )


def _cell(value: Any, suppressible: bool) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return schemas.SUPPRESSED if suppressible else ""
    if isinstance(value, bool | np.bool_):  # a loaded table's booleans are numpy's
        return "true" if value else "false"
    return str(value)


def csv_text(frame: pd.DataFrame, resource: str, registry: Mapping[str, dict] | None = None,
             small: Mapping[str, Sequence[str]] | None = None) -> str:  # fmt: skip
    """The resource as CSV text: header in schema order, "x" for suppressed, "" for empty.
    Its schema and suppressible counts from `registry` and `small` (default: a tambon's)."""
    fields = (registry or schemas.SCHEMAS)[resource]["fields"]
    names = [f["name"] for f in fields]
    suppressible = set((small or schemas.SMALL_COUNT_FIELDS).get(resource, ()))
    integers = {f["name"] for f in fields if f["type"] == "integer"}
    rows: list[list[str]] = [names]
    for row in frame[names].itertuples(index=False):
        cells = []
        for name, value in zip(names, row, strict=True):
            if name in integers and value is not None and value is not pd.NA:
                value = int(value)
            cells.append(_cell(value, name in suppressible))
        rows.append(cells)
    return package_writer.csv_text(rows)


def data_files(published: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Relative path -> CSV text of every resource of a package (frames already suppressed)."""
    return {f"data/{name}.csv": csv_text(frame, name) for name, frame in published.items()}
