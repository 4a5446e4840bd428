"""`tambon households publish`: the tables of the data model made from household records, as
SQL in DuckDB, suppressed, and written into the tambon packages (issue 11).

From the checked records (`households_check.checked_records`; a file with any problem is
refused and nothing is written), for every tambon the records cover:

- `villages` and `tambon`: households and persons of the latest survey year (the reference
  date becomes 30 September of that year);
- `population`: persons of the latest year by sex and five-year age group;
- `bmn_results`: per year, village and indicator of the BMN set, surveyed (an answer given),
  passed and failed, households for the household indicators and persons for the person
  ones; the tambon rows are the sums of its villages. Indicator 22 is read from the income
  (under 38,000 baht a person a year fails), so it always agrees with the income tables;
- `income_brackets` and `income_summary`: per year, households by income a person a year (the
  top bracket is open: top-coded), the median (whole hundreds down) and mean (nearest hundred),
  households under the line and with debt, mean debt of the indebted;
- `occupations`: persons aged 15 and over of the latest year by occupation and sex.

Then the rules of DESIGN §4, from the records, before anything is written: counts of 1–4 and
their partners suppressed (`stats.suppress`), then secondary suppression until the disclosure
audit finds no suppressed cell a reader can narrow below 5 values (`protection`). A median
needs at least 10 households: a tambon-year with fewer is refused.

The records never reach the packages: only those tables. Input files inside the data folder
or the site's output are refused, so records cannot be published by mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from tambon_portal.authoring import households_check, sample
from tambon_portal.core import codelists as cl
from tambon_portal.core import schemas, settings
from tambon_portal.core.problems import Problem
from tambon_portal.core.progress import Progress
from tambon_portal.core.schemas import households as hs
from tambon_portal.packages import discovery, table_reader
from tambon_portal.packages import writer as package_writer
from tambon_portal.packages.file_store import FileStore

# The resources made from the records; the others (the plan) are the package's own, kept as
# they are, byte for byte.
MADE_RESOURCES = ("tambon", "villages", "population", "bmn_results", "income_brackets",
                  "income_summary", "occupations")  # fmt: skip
MIN_FOR_MEDIAN = 10  # households: a median of fewer is too close to one household's income
ADULT_AGE = 15


class PublishRefused(Exception):
    """An input that may not be published from (inside the data or site folder), or a
    tambon-year too small for its median: nothing was written (exit 2)."""


@dataclass(frozen=True)
class PublishReport:
    problems: list[Problem]  # of the records: then nothing was written
    records: households_check.HouseholdReport
    written: tuple[str, ...]  # tambon codes whose packages were written


def refuse_inside(inputs: Sequence[Path], folders: Sequence[Path]) -> None:
    """Raises PublishRefused for an input file inside one of `folders`."""
    for path in inputs:
        for folder in folders:
            if Path(path).resolve().is_relative_to(Path(folder).resolve()):
                raise PublishRefused(
                    f"{path} is inside {folder}: household records must stay outside the data"
                    " and the site (keep them in private/, which git ignores)"
                )


# --- typed tables of the checked text --------------------------------------------------------


def _coded(field: str, column: str) -> str:
    """SQL of `column` as codes: a Thai or English label of a code becomes the code (the
    labels of `households.LABEL_CODES`, as the check accepts them)."""
    key = f"lower(regexp_replace(trim({column}), '\\s+', ' ', 'g'))"
    cases = " ".join(
        f"WHEN {key} = '{label.replace(chr(39), chr(39) * 2)}' THEN '{code}'"
        for label, code in hs.LABEL_CODES[field].items()
    )
    return f"CASE {cases} ELSE trim({column}) END"


def _typed_tables(connection: Any, bmn: cl.BmnSet) -> None:
    """The checked text of `households` and `members` as typed tables `h` and `p`, made once
    (each table below reads them many times): numbers with Thai digits read, answers as 1,
    0 or NULL, labels as codes, and each person with the village and year of the household."""
    thai = table_reader.THAI_DIGIT_CHARACTERS
    connection.execute(
        f"CREATE MACRO whole(x) AS TRY_CAST(trim(translate(x, '{thai}', '0123456789')) AS BIGINT)"
    )
    yes = ", ".join(f"'{w}'" for w in hs.PASS_WORDS)
    no = ", ".join(f"'{w}'" for w in hs.FAIL_WORDS)
    connection.execute(
        f"CREATE MACRO answer(x) AS CASE WHEN lower(trim(x)) IN ({yes}) THEN 1"
        f" WHEN lower(trim(x)) IN ({no}) THEN 0 END"
    )

    def answers(unit: str, present: set[str], prefix: str = "") -> str:
        """The answers of `unit` as 1, 0 or NULL; a column the file lacks is all NULL."""
        columns = [cl.bmn_field(i.number) for i in bmn.of_unit(unit)
                   if i.number != cl.INCOME_LINE_INDICATOR]  # fmt: skip
        return "".join(
            f", answer({prefix}{c}) AS {c}" if c in present else f", NULL::INTEGER AS {c}"
            for c in columns
        )

    columns = {r[0] for r in connection.execute("DESCRIBE households").fetchall()}
    line, income_line = cl.INCOME_LINE_BAHT, cl.bmn_field(cl.INCOME_LINE_INDICATOR)
    connection.execute(
        "CREATE TABLE h AS SELECT household_id, village_code, substr(village_code, 1, 6) AS"
        " tambon_code, whole(year_be) AS year_be, whole(members) AS members,"
        " whole(income_baht) AS income, whole(debt_baht) AS debt,"
        " whole(income_baht) // whole(members) AS income_per_person"
        + answers("household", columns)
        + f", CASE WHEN income_per_person >= {line} THEN 1 ELSE 0 END AS {income_line}"
        " FROM households"
    )
    member_columns = {r[0] for r in connection.execute("DESCRIBE members").fetchall()}
    connection.execute(
        f"CREATE TABLE p AS SELECT h.tambon_code, h.village_code, h.year_be,"
        f" {_coded('sex', 'm.sex')} AS sex, whole(m.age) AS age,"
        f" nullif({_coded('occupation', 'm.occupation')}, '') AS occupation"
        + answers("person", member_columns, "m.")
        + " FROM members m JOIN h ON m.household_id = h.household_id"
        " AND whole(m.year_be) = h.year_be"
    )


# --- the tables of one tambon ----------------------------------------------------------------


def _frame(connection: Any, sql: str, params: Sequence[Any], resource: str) -> pd.DataFrame:
    rows = connection.execute(sql, list(params)).fetchall()
    return pd.DataFrame(rows, columns=schemas.field_names(resource))


def _counts(connection: Any, code: str, year: int) -> dict[str, tuple[int, int]]:
    rows = connection.execute(
        "SELECT village_code, count(*), sum(members) FROM h WHERE tambon_code = ?"
        " AND year_be = ? GROUP BY village_code",
        [code, year],
    ).fetchall()
    return {village: (int(households), int(persons)) for village, households, persons in rows}


def _areas(tables: dict[str, pd.DataFrame], counts: dict[str, tuple[int, int]], year: int
           ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    villages = tables["villages"].copy()
    villages["households"] = [counts.get(v, (0, 0))[0] for v in villages["village_code"]]
    villages["population"] = [counts.get(v, (0, 0))[1] for v in villages["village_code"]]
    tambon = tables["tambon"].copy()
    tambon["villages"] = len(villages)
    tambon["households"] = int(villages["households"].sum())
    tambon["population"] = int(villages["population"].sum())
    tambon["reference_date"] = f"{year - settings.BE_OFFSET}-09-30"
    return villages, tambon


def _population(connection: Any, code: str, year: int) -> pd.DataFrame:
    groups = cl.codes(cl.AGE_GROUPS)
    case = " ".join(f"WHEN age < {5 * (i + 1)} THEN '{g}'" for i, g in enumerate(groups[:-1]))
    sql = (
        f"WITH g AS (SELECT sex, CASE {case} ELSE '{groups[-1]}' END AS age_group FROM p"
        " WHERE tambon_code = ? AND year_be = ?),"
        " cells AS (SELECT s.sex, a.age_group, s.o * 100 + a.o AS o"
        " FROM (SELECT unnest(?) AS sex, generate_subscripts(?, 1) AS o) s,"
        " (SELECT unnest(?) AS age_group, generate_subscripts(?, 1) AS o) a)"
        " SELECT ?, ?, c.sex, c.age_group, count(g.sex) FROM cells c"
        " LEFT JOIN g ON g.sex = c.sex AND g.age_group = c.age_group"
        " GROUP BY c.sex, c.age_group, c.o ORDER BY c.o"
    )
    sexes = cl.codes(cl.SEXES)
    params = [code, year, sexes, sexes, groups, groups, code, year]
    return _frame(connection, sql, params, "population")


def bmn_answers(connection: Any, bmn: cl.BmnSet) -> pd.DataFrame:
    """Surveyed (an answer given) and passed per village, year and indicator, of every tambon
    at once (one pass over each table: a query per tambon would scan them once per tambon)."""
    parts = []
    for table, unit in (("h", "household"), ("p", "person")):
        columns = ", ".join(cl.bmn_field(i.number) for i in bmn.of_unit(unit))
        parts.append(
            f"SELECT village_code, year_be, CAST(substr(name, 5) AS INTEGER) AS indicator,"
            f" count(*) AS surveyed, sum(value) AS passed FROM (UNPIVOT (SELECT village_code,"
            f" year_be, {columns} FROM {table}) ON {columns} INTO NAME name VALUE value)"
            " GROUP BY ALL"
        )
    frame = connection.execute(" UNION ALL ".join(parts)).df()
    return frame.astype({"year_be": "int64", "indicator": "int64", "surveyed": "int64",
                         "passed": "int64"})  # fmt: skip


def _bmn(code: str, villages: Sequence[str], years: Sequence[int], answers: pd.DataFrame,
         bmn: cl.BmnSet) -> pd.DataFrame:  # fmt: skip
    """Every village's row for every year and indicator (0 where nobody answered), and the
    tambon's rows as their sums."""
    keys = pd.MultiIndex.from_product(
        [list(villages), list(years), [i.number for i in bmn.indicators]],
        names=["village_code", "year_be", "indicator"],
    ).to_frame(index=False)
    rows = keys.merge(answers, how="left", on=["village_code", "year_be", "indicator"])
    rows[["surveyed", "passed"]] = rows[["surveyed", "passed"]].fillna(0).astype("int64")
    rows = rows.rename(columns={"village_code": "area_code"}).assign(area_level="village")
    totals = (rows.groupby(["year_be", "indicator"], as_index=False)[["surveyed", "passed"]]
              .sum().assign(area_code=code, area_level="tambon"))  # fmt: skip
    both = pd.concat([totals, rows], ignore_index=True)
    both["failed"] = both["surveyed"] - both["passed"]
    both = both.sort_values(["year_be", "indicator", "area_code"], ignore_index=True)
    return both[schemas.field_names("bmn_results")]


def _income(connection: Any, code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    bounds = cl.INCOME_BRACKET_BOUNDS
    brackets = cl.codes(cl.INCOME_BRACKETS)
    case = " ".join(f"WHEN income_per_person < {bounds[b][1]} THEN '{b}'" for b in brackets[:-1])
    sql = (
        f"WITH b AS (SELECT year_be, CASE {case} ELSE '{brackets[-1]}' END AS bracket FROM h"
        " WHERE tambon_code = ?),"
        " cells AS (SELECT y.year_be, k.bracket, k.o FROM (SELECT DISTINCT year_be FROM b) y,"
        " (SELECT unnest(?) AS bracket, generate_subscripts(?, 1) AS o) k)"
        " SELECT ?, c.year_be, c.bracket, count(b.bracket) FROM cells c LEFT JOIN b"
        " ON b.year_be = c.year_be AND b.bracket = c.bracket"
        " GROUP BY c.year_be, c.bracket, c.o ORDER BY c.year_be, c.o"
    )
    bracket_frame = _frame(connection, sql, [code, brackets, brackets, code], "income_brackets")
    summary = _frame(
        connection,
        "SELECT ?, year_be, count(*), CAST(floor(median(income_per_person) / 100) * 100 AS"
        " BIGINT), CAST(round(avg(income_per_person) / 100) * 100 AS BIGINT),"
        f" count(*) FILTER (WHERE income_per_person < {cl.INCOME_LINE_BAHT}),"
        " count(*) FILTER (WHERE debt > 0),"
        " CAST(round(avg(debt) FILTER (WHERE debt > 0) / 100) * 100 AS BIGINT)"
        " FROM h WHERE tambon_code = ? GROUP BY year_be ORDER BY year_be",
        [code, code],
        "income_summary",
    )
    small = summary[summary["households_surveyed"] < MIN_FOR_MEDIAN]
    if not small.empty:
        years = ", ".join(str(y) for y in small["year_be"])
        raise PublishRefused(
            f"tambon {code}: fewer than {MIN_FOR_MEDIAN} households in {years}, too few to"
            " publish a median income; add the year's other households or leave the year out"
        )
    return bracket_frame, summary.astype({"mean_debt": "Int64"})


def _occupations(connection: Any, code: str, year: int) -> pd.DataFrame:
    occupations, sexes = cl.codes(cl.OCCUPATIONS), cl.codes(cl.SEXES)
    sql = (
        "WITH cells AS (SELECT o.occupation, s.sex, o.i * 10 + s.i AS k FROM"
        " (SELECT unnest(?) AS occupation, generate_subscripts(?, 1) AS i) o,"
        " (SELECT unnest(?) AS sex, generate_subscripts(?, 1) AS i) s)"
        " SELECT ?, ?, c.occupation, c.sex, count(p.sex) FROM cells c LEFT JOIN p"
        f" ON p.occupation = c.occupation AND p.sex = c.sex AND p.age >= {ADULT_AGE}"
        " AND p.tambon_code = ? AND p.year_be = ?"
        " GROUP BY c.occupation, c.sex, c.k ORDER BY c.k"
    )
    params = [occupations, occupations, sexes, sexes, code, year, code, year]
    return _frame(connection, sql, params, "occupations")


def tambon_tables(
    connection: Any,
    code: str,
    tables: dict[str, pd.DataFrame],
    bmn: cl.BmnSet,
    answers: pd.DataFrame,
) -> dict[str, pd.DataFrame]:
    """Every resource of tambon `code`'s package with the tables made from the records (before
    suppression); the plan and the names of places are kept from `tables`."""
    brackets, summary = _income(connection, code)  # a row for each survey year
    years = sorted(int(y) for y in summary["year_be"])
    year = years[-1]  # the latest: the year of the counts, the population and occupations
    villages, tambon = _areas(tables, _counts(connection, code, year), year)
    codes = list(villages["village_code"])
    made = {  # MADE_RESOURCES
        "tambon": tambon,
        "villages": villages,
        "population": _population(connection, code, year),
        "bmn_results": _bmn(code, codes, years, answers, bmn),
        "income_brackets": brackets,
        "income_summary": summary,
        "occupations": _occupations(connection, code, year),
    }
    return {name: made.get(name, tables.get(name)) for name in schemas.RESOURCE_NAMES}


# --- the command -----------------------------------------------------------------------------


def made_tables(
    records: households_check.Records,
    refs: dict[str, discovery.PackageRef],
    progress: Progress | None = None,
    store: FileStore | None = None,
) -> dict[str, dict[str, pd.DataFrame]]:
    """Tambon code -> every resource of its package with the tables made from the (checked,
    problem-free) records, before suppression; the packages are read through `store`."""
    bmn = cl.known_bmn_set(records.bmn_set)
    _typed_tables(records.connection, bmn)
    codes = [c for (c,) in records.connection.execute(
        "SELECT DISTINCT tambon_code FROM h ORDER BY tambon_code").fetchall()]  # fmt: skip
    answers = bmn_answers(records.connection, bmn)
    by_tambon = dict(tuple(answers.groupby(answers["village_code"].str[:6])))
    empty = answers.iloc[0:0]
    made = {}
    for code in codes:
        tables = table_reader.load_tables(refs[code], store)
        answered = by_tambon.get(code, empty)
        made[code] = tambon_tables(records.connection, code, tables, bmn, answered)
        if progress is not None:
            progress.advance()
    return made


@dataclass(frozen=True)
class Publication:
    """What publishing the records would write: for each tambon its package folder and the
    relative path -> text of every data file (suppressed), or the records' problems."""

    report: PublishReport
    files: dict[str, dict[str, str]]
    folders: dict[str, Path]


def published_files(
    households: Path,
    members: Path,
    data: Path,
    site: Path | None = None,
    progress: Progress | None = None,
) -> Publication:
    """Checks the records, makes and suppresses each tambon's tables (nothing is written).
    `progress` is told the stages (check, tables, suppression) and the tambons done."""
    progress = progress or Progress()
    refuse_inside([households, members], [data, *([site] if site is not None else [])])
    store = FileStore()  # the packages' files read once: for the villages, then the tables
    found = discovery.discover(Path(data), store)
    refs = {ref.tambon_code: ref for ref in found if ref.kind == "tambon"}
    villages = households_check.villages_of(found, store)
    with ExitStack() as stack:
        with progress.stage("check"):
            records = stack.enter_context(
                households_check.checked_records(households, members, villages)
            )
            report = records.report
            progress.note(f"{report.households:,} households, {report.members:,} persons,"
                          f" {len(report.problems)} problems")  # fmt: skip
        if report.problems:
            return Publication(PublishReport(report.problems, report, ()), {}, {})
        with progress.stage("tables"):
            made = made_tables(records, refs, progress, store)
            progress.note(f"{len(made)} tambons")
    with progress.stage("suppression", total=len(made)):
        files = {}
        for code, tables in made.items():
            published = sample.suppressed(tables)
            files[code] = sample.data_files({name: published[name] for name in MADE_RESOURCES})
            progress.advance()
    folders = {code: refs[code].folder for code in files}
    return Publication(PublishReport([], report, tuple(files)), files, folders)


def publish(
    households: Path,
    members: Path,
    data: Path,
    site: Path | None = None,
    progress: Progress | None = None,
) -> PublishReport:
    """Checks the records, makes and suppresses each tambon's tables, and writes them into its
    package under `data` (only after every tambon's tables are made: a refusal writes none).
    `progress` is told the stages (check, tables, suppression, write) and the tambons done."""
    progress = progress or Progress()
    publication = published_files(households, members, data, site, progress)
    if publication.report.problems:
        return publication.report
    with progress.stage("write", total=len(publication.files)):
        for code, texts in publication.files.items():
            package_writer.write_files(publication.folders[code], texts)
            progress.advance()
    return publication.report
