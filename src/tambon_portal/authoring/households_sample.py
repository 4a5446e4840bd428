"""Seeded synthetic household records (`tambon sample households`, issue 11): a household
file and a members file for the pilot tambons, in the shape of `core.schemas.households`.

Made up, but shaped like a BMN survey: the villages and their household counts are those of
the synthetic packages (`sample.raw_tambon`), households of 1–7 members with ages drawn from
the province's age structure, incomes a person a year log-normal around the tambon's own
median (about one household in eight under the 38,000-baht line), debt in about six
households of ten, and each indicator answered by the households or persons it applies to
(a newborn for indicator 1, people of 60 and over for 23, ...), passed at the tambon's own
rate. Two survey years; the second keeps the households and moves incomes and answers a
little. Each tambon draws from its own `random.Random`, so the records of one tambon do not
depend on the others, and the files are byte-for-byte the same for a seed.

The records are synthetic, but they are records: write them outside the data (the CLI
refuses a folder inside it), as real ones would be.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from tambon_portal.authoring import sample
from tambon_portal.authoring.sample_figures import AGE_WEIGHTS, occupation_weights
from tambon_portal.checks import workers
from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer
from tambon_portal.core.progress import Progress
from tambon_portal.core.schemas import households as hs
from tambon_portal.packages.writer import csv_writer

YEARS = sample.BMN_YEARS
BMN_SET = "2560-2564"  # the one set the code list holds (codelists.BMN_SETS)
MEMBER_WEIGHTS = (14, 22, 24, 20, 11, 6, 3)  # households of 1..7 members, per cent
# Who a person indicator asks: (lowest age, highest age, share of those of that age asked).
PERSON_INDICATORS: dict[int, tuple[int, int, float]] = {
    1: (0, 0, 1.0), 2: (0, 1, 1.0), 3: (0, 12, 1.0), 6: (35, 130, 1.0), 7: (6, 130, 1.0),
    16: (3, 5, 1.0), 17: (6, 14, 1.0), 18: (15, 17, 1.0), 19: (15, 24, 0.1),
    20: (15, 59, 1.0), 21: (15, 59, 1.0), 23: (60, 130, 1.0), 25: (15, 130, 1.0),
    26: (15, 130, 1.0), 27: (6, 130, 1.0), 28: (60, 130, 1.0), 29: (0, 130, 0.02),
}  # fmt: skip


@dataclass(frozen=True)
class Person:
    age: int
    sex: str
    occupation: str


def _age(rng: random.Random, low: int = 0) -> int:
    groups = [i for i in range(len(AGE_WEIGHTS)) if i * 5 + 4 >= low]
    group = rng.choices(groups, weights=[AGE_WEIGHTS[i] for i in groups])[0]
    return max(low, min(95, group * 5 + rng.randrange(5 if group < 16 else 15)))


def _person(rng: random.Random, district: str, low_age: int = 0) -> Person:
    age, sex = _age(rng, low_age), rng.choice(cl.codes(cl.SEXES))
    if age < 15:
        occupation = "student" if age >= 6 else ""
    else:
        weights = occupation_weights(sex, district)
        occupation = rng.choices(list(weights), weights=list(weights.values()))[0]
    return Person(age, sex, occupation)


def _household(rng: random.Random, district: str) -> list[Person]:
    size = rng.choices(range(1, len(MEMBER_WEIGHTS) + 1), weights=MEMBER_WEIGHTS)[0]
    return [_person(rng, district, low_age=20), *(_person(rng, district) for _ in range(size - 1))]


def _answer(rng: random.Random, rate: float) -> str:
    return "1" if rng.random() < rate else "0"


_SET = cl.known_bmn_set(BMN_SET)
# In the schemas' column order: who each person indicator asks, and the household indicators.
_ASKED = tuple((i.number, *PERSON_INDICATORS[i.number]) for i in _SET.of_unit("person"))
_HOUSEHOLD_INDICATORS = tuple(i.number for i in _SET.of_unit("household"))


def _person_answers(rng: random.Random, person: Person, rates: dict[int, float]) -> list[str]:
    cells = []
    for number, low, high, share in _ASKED:
        asked = low <= person.age <= high and rng.random() < share
        cells.append(_answer(rng, rates[number]) if asked else "")
    return cells


def tambon_records(code: str, seed: int = sample.DEFAULT_SEED
                   ) -> tuple[list[list[str]], list[list[str]]]:  # fmt: skip
    """(household rows, member rows) of one tambon, as text in the schemas' column order."""
    rng = random.Random(seed * 1_000_003 + int(code))
    villages = sample.raw_tambon(code, seed)["villages"]
    rates = {i.number: rng.uniform(0.84, 0.99) for i in _SET.indicators}
    median = rng.uniform(58_000, 78_000)
    household_rows, member_rows = [], []
    for village in villages.itertuples():
        for number in range(1, int(village.households) + 1):
            household_id = f"{village.village_code}-{number:04d}"
            people = _household(rng, code[:4])
            base = median * math.exp(rng.gauss(0, 0.5))
            in_debt = rng.random() < 0.6
            debt = round(100_000 * math.exp(rng.gauss(0, 0.6)), -2) if in_debt else 0
            for year in YEARS:
                growth = 1.0 if year == YEARS[0] else rng.uniform(0.99, 1.06)
                debt = round(debt * (1.0 if year == YEARS[0] else rng.uniform(0.85, 1.1)), -2)
                income = round(base * growth * len(people), -2)
                per_person = income // len(people)
                answers = [
                    _answer(rng, rates[number] + (0.01 if year != YEARS[0] else 0))
                    if number != cl.INCOME_LINE_INDICATOR
                    else ("1" if per_person >= cl.INCOME_LINE_BAHT else "0")
                    for number in _HOUSEHOLD_INDICATORS
                ]
                savings = round(20_000 * math.exp(rng.gauss(0, 1)), -2) if rng.random() < 0.7 else 0
                household_rows.append([
                    household_id, village.village_code, str(year), BMN_SET, str(len(people)),
                    str(int(income)), str(int(debt)), str(int(savings)),
                    people[0].occupation, *answers,
                ])  # fmt: skip
                member_rows += [
                    [household_id, str(year), str(no), p.sex, str(p.age + (year - YEARS[0])),
                     p.occupation, *_person_answers(rng, p, rates)]
                    for no, p in enumerate(people, start=1)
                ]  # fmt: skip
    return household_rows, member_rows


def national_codes() -> list[str]:
    """Every sub-district of the gazetteer (7,436): the national file of the benchmarks."""
    return [t.code for t in gazetteer.all_tambons()]


def write_records(out: Path, codes: Sequence[str], seed: int = sample.DEFAULT_SEED,
                  leaving: Collection[str] = (), progress: Progress | None = None
                  ) -> tuple[Path, Path, int, int]:  # fmt: skip
    """households.csv and members.csv of `codes` under `out`, without the households of the
    villages `leaving` (codes); (paths, households, persons). The tambons are drawn in
    processes and written as they come, so a national file never sits in memory; `progress`
    is told each tambon written."""
    progress = progress or Progress()
    out.mkdir(parents=True, exist_ok=True)
    household_file, member_file = out / "households.csv", out / "members.csv"
    households = members = 0
    drawn = workers.imap_in_processes(  # tambons are independent: one process per core
        functools.partial(tambon_records, seed=seed), list(codes), workers.worker_count(len(codes))
    )
    with (household_file.open("w", encoding="utf-8", newline="") as h_file,
          member_file.open("w", encoding="utf-8", newline="") as m_file):  # fmt: skip
        h_writer, m_writer = csv_writer(h_file), csv_writer(m_file)
        h_writer.writerow([f["name"] for f in hs.households_schema(BMN_SET)["fields"]])
        m_writer.writerow([f["name"] for f in hs.members_schema(BMN_SET)["fields"]])
        for household_rows, member_rows in drawn:
            gone = {row[0] for row in household_rows if row[1] in leaving}
            kept = [row for row in household_rows if row[0] not in gone]
            people = [row for row in member_rows if row[0] not in gone]
            h_writer.writerows(kept)
            m_writer.writerows(people)
            households, members = households + len(kept), members + len(people)
            progress.advance()
    return household_file, member_file, households, members
