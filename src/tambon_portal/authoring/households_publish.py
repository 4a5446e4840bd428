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

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tambon_portal.authoring import area_totals, households_check, protection, sample
from tambon_portal.checks import workers
from tambon_portal.core import codelists as cl
from tambon_portal.core import schemas, settings
from tambon_portal.core.problems import Problem
from tambon_portal.core.progress import Progress
from tambon_portal.core.schemas import areas
from tambon_portal.core.schemas import households as hs
from tambon_portal.packages import discovery, table_reader
from tambon_portal.packages import writer as package_writer
from tambon_portal.packages.file_store import FileStore

# The resources made from the records; the others (the plan) are the package's own, kept as
# they are, byte for byte.
MADE_RESOURCES = schemas.COUNTED_RESOURCES
# What publish reads of a package: the names of its places (the rest it makes, or leaves).
READ_RESOURCES = ("tambon", "villages")
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


def _typed_tables(connection: Any, bmn: cl.BmnSet, with_members: bool) -> None:
    """The checked text of `households` and `members` as typed tables `h` and `p`, made once
    (each table below reads them many times): numbers with Thai digits read, answers as 1,
    0 or NULL, labels as codes, and each person with the village and year of the household."""
    connection.execute(f"CREATE MACRO whole(x) AS {households_check.whole_number_sql('x')}")
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
    if not with_members:
        return  # no members file: no person table
    member_columns = {r[0] for r in connection.execute("DESCRIBE members").fetchall()}
    connection.execute(
        f"CREATE TABLE p AS SELECT h.tambon_code, h.village_code, h.year_be,"
        f" {_coded('sex', 'm.sex')} AS sex, whole(m.age) AS age,"
        f" nullif({_coded('occupation', 'm.occupation')}, '') AS occupation"
        + answers("person", member_columns, "m.")
        + " FROM members m JOIN h ON m.household_id = h.household_id"
        " AND whole(m.year_be) = h.year_be"
    )


# --- counts of every tambon at once ----------------------------------------------------------
# Each table is one GROUP BY over all the records (plain SQL, as a bigger engine runs it); a
# tambon's table is then its rows laid on the full grid of its code lists, 0 where no record
# falls (a query per tambon would scan the records once per tambon).


def _query(connection: Any, sql: str, types: dict[str, str]) -> pd.DataFrame:
    return connection.execute(sql).df().astype(types)


def _case(column: str, bounds: Sequence[tuple[str, int]], last: str) -> str:
    """SQL of the code of `column`'s band: the first (code, upper bound) it falls under."""
    cases = " ".join(f"WHEN {column} < {upper} THEN '{code}'" for code, upper in bounds)
    return f"CASE {cases} ELSE '{last}' END"


@dataclass(frozen=True)
class Counts:
    """What the records count, every tambon at once (frames of plain GROUP BY results)."""

    villages: pd.DataFrame  # tambon_code, village_code, year_be, households, persons
    population: pd.DataFrame  # tambon_code, year_be, sex, age_group, persons
    answers: pd.DataFrame  # village_code, year_be, indicator, surveyed, passed
    brackets: pd.DataFrame  # tambon_code, year_be, bracket, households
    summary: pd.DataFrame  # the columns of income_summary
    occupations: pd.DataFrame  # tambon_code, year_be, occupation, sex, persons (15 and over)
    persons: bool  # a members file was given: the tables of persons can be made


def _no_rows(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})


def counts_of(connection: Any, bmn: cl.BmnSet, persons: bool) -> Counts:
    """Every table's counts; without a members file, none of persons (no population by sex
    and age, no occupations, no person indicators) rather than zeros that would say nobody."""
    groups = cl.codes(cl.AGE_GROUPS)
    age_group = _case("age", [(g, 5 * (i + 1)) for i, g in enumerate(groups[:-1])], groups[-1])
    brackets = cl.codes(cl.INCOME_BRACKETS)
    bounds = cl.INCOME_BRACKET_BOUNDS
    bracket = _case("income_per_person", [(b, bounds[b][1]) for b in brackets[:-1]], brackets[-1])
    whole = {"year_be": "int64"}
    population_sql = (
        f"SELECT tambon_code, year_be, sex, {age_group} AS age_group, count(*) AS persons"
        " FROM p GROUP BY ALL"
    )
    occupation_sql = (
        "SELECT tambon_code, year_be, occupation, sex, count(*) AS persons FROM p"
        f" WHERE age >= {ADULT_AGE} AND occupation IS NOT NULL GROUP BY ALL"
    )
    return Counts(
        villages=_query(connection, "SELECT tambon_code, village_code, year_be,"
                        " count(*) AS households, sum(members) AS persons FROM h GROUP BY ALL",
                        whole | {"households": "int64", "persons": "int64"}),
        population=_query(connection, population_sql, whole | {"persons": "int64"}) if persons
        else _no_rows(["tambon_code", "year_be", "sex", "age_group", "persons"]),
        answers=bmn_answers(connection, bmn, persons),
        brackets=_query(connection, f"SELECT tambon_code, year_be, {bracket} AS bracket,"
                        " count(*) AS households FROM h GROUP BY ALL",
                        whole | {"households": "int64"}),
        summary=_query(
            connection,
            "SELECT tambon_code, year_be, count(*) AS households_surveyed,"
            " CAST(floor(median(income_per_person) / 100) * 100 AS BIGINT) AS median_income,"
            " CAST(round(avg(income_per_person) / 100) * 100 AS BIGINT) AS mean_income,"
            f" count(*) FILTER (WHERE income_per_person < {cl.INCOME_LINE_BAHT})"
            " AS households_below_line,"
            " count(*) FILTER (WHERE debt > 0) AS households_with_debt,"
            " CAST(round(avg(debt) FILTER (WHERE debt > 0) / 100) * 100 AS BIGINT) AS mean_debt"
            " FROM h GROUP BY ALL ORDER BY tambon_code, year_be",
            whole | {"households_surveyed": "int64", "median_income": "int64",
                     "mean_income": "int64", "households_below_line": "int64",
                     "households_with_debt": "int64", "mean_debt": "Int64"},
        ),
        occupations=_query(connection, occupation_sql, whole | {"persons": "int64"}) if persons
        else _no_rows(["tambon_code", "year_be", "occupation", "sex", "persons"]),
        persons=persons,
    )  # fmt: skip


def bmn_answers(connection: Any, bmn: cl.BmnSet, persons: bool = True) -> pd.DataFrame:
    """Surveyed (an answer given) and passed per village, year and indicator, of every tambon
    at once (of the household indicators only, without `persons`)."""
    # The largest count table (a row per village, year and indicator: 2 million at 20 million
    # households): fetched with the village codes as an ENUM (a pandas category: each code
    # held once, not once per row) and small integers, so it costs a third of the memory.
    connection.execute("CREATE TYPE IF NOT EXISTS _village AS ENUM"
                       " (SELECT DISTINCT village_code FROM h ORDER BY 1)")  # fmt: skip
    parts = []
    units = (("h", "household"), ("p", "person")) if persons else (("h", "household"),)
    for table, unit in units:
        columns = ", ".join(cl.bmn_field(i.number) for i in bmn.of_unit(unit))
        parts.append(
            f"SELECT village_code::_village AS village_code, year_be::SMALLINT AS year_be,"
            f" CAST(substr(name, 5) AS SMALLINT) AS indicator, count(*)::INTEGER AS surveyed,"
            f" sum(value)::INTEGER AS passed FROM (UNPIVOT (SELECT village_code,"
            f" year_be, {columns} FROM {table}) ON {columns} INTO NAME name VALUE value)"
            " GROUP BY ALL"
        )
    return connection.execute(" UNION ALL ".join(parts)).df()


class _ByTambon:
    """The rows of each tambon of a count table: the table sorted by tambon once, then sliced
    (a copy per tambon, as a groupby gives, doubled the memory of the national counts)."""

    def __init__(self, frame: pd.DataFrame, key: pd.Series) -> None:
        keys = key.astype(str).to_numpy()
        order = np.argsort(keys, kind="stable")  # stable: the rows keep their order
        self.frame = frame.iloc[order].reset_index(drop=True)
        codes, starts = np.unique(keys[order], return_index=True)
        ends = [*starts[1:].tolist(), len(keys)] if len(keys) else []
        self.bounds = dict(zip(codes.tolist(), zip(starts.tolist(), ends, strict=True),
                               strict=True))  # fmt: skip

    def of(self, code: str) -> pd.DataFrame:
        """The tambon's rows (none when the records have none), codes as plain text and
        numbers as int64, as the tables are made of."""
        start, end = self.bounds.get(code, (0, 0))
        part = self.frame.iloc[start:end]
        plain = {
            c: str if isinstance(t, pd.CategoricalDtype) else "int64"
            for c, t in part.dtypes.items()
            if isinstance(t, pd.CategoricalDtype) or (t.kind == "i" and t != "int64")
        }
        return part.astype(plain) if plain else part


def _on_grid(rows: pd.DataFrame, fixed: dict[str, Any], grid: dict[str, Sequence[Any]],
             value: str, resource: str) -> pd.DataFrame:  # fmt: skip
    """`rows`' `value` on every combination of `grid` (in the code lists' order, the first
    key outermost), 0 where `rows` has none, with the `fixed` columns; the resource's columns."""
    names = list(grid)
    cells = pd.MultiIndex.from_product(list(grid.values()), names=names).to_frame(index=False)
    out = cells.merge(rows[[*names, value]], how="left", on=names)
    out[value] = out[value].fillna(0).astype("int64")
    return out.assign(**fixed)[schemas.field_names(resource)]


# --- the tables of one tambon ----------------------------------------------------------------


def _areas(tables: dict[str, pd.DataFrame], villages_found: pd.DataFrame, year: int
           ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    found = villages_found[villages_found["year_be"] == year].set_index("village_code")
    villages = tables["villages"].copy()
    villages["households"] = [int(found["households"].get(v, 0)) for v in villages["village_code"]]
    villages["population"] = [int(found["persons"].get(v, 0)) for v in villages["village_code"]]
    tambon = tables["tambon"].copy()
    tambon["villages"] = len(villages)
    tambon["households"] = int(villages["households"].sum())
    tambon["population"] = int(villages["population"].sum())
    tambon["reference_date"] = f"{year - settings.BE_OFFSET}-09-30"
    return villages, tambon


def _bmn(code: str, villages: Sequence[str], years: Sequence[int], answers: pd.DataFrame,
         indicators: Sequence[int]) -> pd.DataFrame:  # fmt: skip
    """Every village's row for every year and indicator (0 where nobody answered), and the
    tambon's rows as their sums."""
    keys = pd.MultiIndex.from_product(
        [list(villages), list(years), list(indicators)],
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


def _summary(code: str, found: pd.DataFrame) -> pd.DataFrame:
    summary = found.reset_index(drop=True)[schemas.field_names("income_summary")]
    small = summary[summary["households_surveyed"] < MIN_FOR_MEDIAN]
    if not small.empty:
        years = ", ".join(str(y) for y in small["year_be"])
        raise PublishRefused(
            f"tambon {code}: fewer than {MIN_FOR_MEDIAN} households in {years}, too few to"
            " publish a median income; add the year's other households or leave the year out"
        )
    return summary


def tambon_tables(code: str, tables: dict[str, pd.DataFrame], bmn: cl.BmnSet,
                  counts: dict[str, pd.DataFrame], persons: bool = True
                  ) -> dict[str, pd.DataFrame]:  # fmt: skip
    """The tables of tambon `code`'s package made from its `counts` (the parts of `Counts` of
    this tambon; before suppression), with the names of places kept from `tables`. Without
    `persons` (no members file) the tables of persons have no rows and the BMN results only
    the household indicators: the records cannot say them, and zeros would say nobody."""
    summary = _summary(code, counts["summary"])  # a row for each survey year
    years = [int(y) for y in summary["year_be"]]
    year = years[-1]  # the latest: the year of the counts, the population and occupations
    villages, tambon = _areas(tables, counts["villages"], year)
    latest = {"tambon_code": code, "year_be": year}

    def of_year(frame: pd.DataFrame, wanted: int = year) -> pd.DataFrame:
        return frame[frame["year_be"] == wanted]

    brackets = pd.concat(
        [_on_grid(of_year(counts["brackets"], y), {"tambon_code": code, "year_be": y},
                  {"bracket": cl.codes(cl.INCOME_BRACKETS)}, "households", "income_brackets")
         for y in years],
        ignore_index=True,
    )  # fmt: skip
    made = {  # MADE_RESOURCES
        "tambon": tambon,
        "villages": villages,
        "population": _on_grid(
            of_year(counts["population"]), latest,
            {"sex": cl.codes(cl.SEXES), "age_group": cl.codes(cl.AGE_GROUPS)},
            "persons", "population",
        ),
        "bmn_results": _bmn(code, list(villages["village_code"]), years, counts["answers"],
                            [i.number for i in bmn.indicators
                             if persons or i.unit == "household"]),
        "income_brackets": brackets,
        "income_summary": summary,
        "occupations": _on_grid(
            of_year(counts["occupations"]), latest,
            {"occupation": cl.codes(cl.OCCUPATIONS), "sex": cl.codes(cl.SEXES)},
            "persons", "occupations",
        ),
    }  # fmt: skip
    if not persons:
        for name in ("population", "occupations"):
            made[name] = _no_rows(schemas.field_names(name))
    return made


# --- the command -----------------------------------------------------------------------------


def _by_tambon(counts: Counts) -> dict[str, _ByTambon]:
    return {
        "villages": _ByTambon(counts.villages, counts.villages["tambon_code"]),
        "population": _ByTambon(counts.population, counts.population["tambon_code"]),
        "answers": _ByTambon(counts.answers, counts.answers["village_code"].str[:6]),
        "brackets": _ByTambon(counts.brackets, counts.brackets["tambon_code"]),
        "summary": _ByTambon(counts.summary, counts.summary["tambon_code"]),
        "occupations": _ByTambon(counts.occupations, counts.occupations["tambon_code"]),
    }


def tambons_of(counts: Counts) -> list[str]:
    """The tambons the records cover (each has a row of income per survey year)."""
    return sorted(str(c) for c in counts.summary["tambon_code"].unique())


def each_tambon_tables(
    counts: Counts,
    bmn: cl.BmnSet,
    refs: dict[str, discovery.PackageRef],
    store: FileStore | None = None,
) -> Iterator[tuple[str, dict[str, pd.DataFrame]]]:
    """(tambon code, the tables of its package made from `counts`, before suppression), one
    tambon at a time, in code order: made as they are asked for, so memory holds a few
    tambons' tables, never the country's. The packages are read through `store`."""
    parts = _by_tambon(counts)
    for code in tambons_of(counts):
        tables = table_reader.load_tables(refs[code], store, READ_RESOURCES)
        mine = {name: part.of(code) for name, part in parts.items()}
        yield code, tambon_tables(code, tables, bmn, mine, counts.persons)


def records_counts(records: households_check.Records) -> tuple[cl.BmnSet, Counts]:
    """The counts of every table of the (checked, problem-free) records, and their BMN set."""
    bmn = cl.known_bmn_set(records.bmn_set)
    _typed_tables(records.connection, bmn, records.with_members)
    return bmn, counts_of(records.connection, bmn, records.with_members)


def made_tables(
    records: households_check.Records,
    refs: dict[str, discovery.PackageRef],
    store: FileStore | None = None,
) -> dict[str, dict[str, pd.DataFrame]]:
    """Tambon code -> the tables of its package made from the records (`MADE_RESOURCES`),
    before suppression, all at once (for a few tambons: `each_tambon_tables` streams)."""
    bmn, counts = records_counts(records)
    return dict(each_tambon_tables(counts, bmn, refs, store))


def _protected(item: tuple[str, dict[str, pd.DataFrame]]) -> tuple[str, dict[str, pd.DataFrame]]:
    code, tables = item
    return code, sample.suppressed(tables)


Sink = Callable[[str, dict[str, str]], None]  # takes a tambon's published texts as they come


@dataclass(frozen=True)
class Publication:
    """What publishing the records would write: for each tambon its package folder and, unless
    they went to a sink, the relative path -> text of every data file (suppressed); for each
    province the files of its area totals (`area_totals`) and their folder; or the records'
    problems."""

    report: PublishReport
    files: dict[str, dict[str, str]]
    folders: dict[str, Path]
    areas: dict[str, dict[str, str]] = field(default_factory=dict)
    area_folders: dict[str, Path] = field(default_factory=dict)


def area_folder(data: Path, province: str) -> Path:
    """Where a province's area totals go: beside its tambon packages."""
    return Path(data) / province / areas.package_name(province)


class _ByProvince:
    """Each province's protection once all its tambons are made (`protect_province`): the
    tambons come in code order, so a province's are together, and only one province's
    tables are held at a time."""

    def __init__(self, keep: Sink, refs: dict[str, discovery.PackageRef]) -> None:
        self.keep, self.refs = keep, refs
        self.parts: dict[str, dict[str, pd.DataFrame]] = {}  # area_totals.tambon_part
        self.pending: dict[str, dict[str, pd.DataFrame]] = {}  # protected alone
        self.areas: dict[str, dict[str, str]] = {}

    def made(self, items: Iterator[tuple[str, dict[str, pd.DataFrame]]]
             ) -> Iterator[tuple[str, dict[str, pd.DataFrame]]]:  # fmt: skip
        for code, tables in items:
            self.parts[code] = area_totals.tambon_part(code, tables)
            yield code, tables

    def protected(self, code: str, tables: dict[str, pd.DataFrame]) -> None:
        if self.pending and next(iter(self.pending))[:2] != code[:2]:
            self.finish()
        self.pending[code] = tables

    def finish(self) -> None:
        if not self.pending:
            return
        province = next(iter(self.pending))[:2]
        codes = list(self.pending)
        totals = area_totals.primary(area_totals.raw_tables({c: self.parts[c] for c in codes}))
        tambons, totals = protection.protect_province(self.pending, totals, province)
        for code in codes:
            self.keep(code, sample.data_files(tambons[code]))
            del self.parts[code]
        self.areas[province] = self._area_files(province, codes, totals)
        self.pending = {}

    def _area_files(self, province: str, codes: list[str], totals: dict[str, pd.DataFrame]
                    ) -> dict[str, str]:  # fmt: skip
        descriptors = [discovery.descriptor_of(self.refs[c]) for c in codes]
        created = max((str(d.get("created", "")) for d in descriptors), default="")
        descriptor = area_totals.descriptor(
            province,
            sample=settings.any_sample(descriptors),
            source_title=AREA_SOURCE_TITLE,
            created=created,
        )
        return {"datapackage.json": package_writer.descriptor_text(descriptor),
                **area_totals.data_files(totals)}  # fmt: skip


AREA_SOURCE_TITLE = "ระเบียนครัวเรือนของตำบลที่ระบุใน area_tambons (`tambon households publish`)"


def published_files(
    households: Path,
    members: Path | None,
    data: Path,
    site: Path | None = None,
    progress: Progress | None = None,
    sink: Sink | None = None,
) -> Publication:
    """Checks the records, makes and suppresses each tambon's tables (nothing is written).
    Each tambon's texts go to `sink` as soon as they are made (then `files` stays empty: the
    country's texts are gigabytes), else into `files`. `progress` is told the stages (check,
    tables, suppression) and the tambons done."""
    progress = progress or Progress()
    inputs = [households, *([members] if members is not None else [])]
    refuse_inside(inputs, [data, *([site] if site is not None else [])])
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
            bmn, counts = records_counts(records)
            codes = tambons_of(counts)
            progress.note(f"{len(codes)} tambons")
    files: dict[str, dict[str, str]] = {}
    provinces = _ByProvince(sink or files.__setitem__, refs)
    with progress.stage("suppression", total=len(codes)):
        # tambon by tambon (each is protected alone), made as the processes take them (the
        # records' connection is closed, so the forked workers hold no DuckDB threads); then
        # each province's tambons with its area totals
        made = provinces.made(each_tambon_tables(counts, bmn, refs, store))
        for code, tables in workers.imap_in_processes(
            _protected, made, workers.worker_count(len(codes))
        ):
            provinces.protected(code, tables)
            progress.advance()
        provinces.finish()
    folders = {code: refs[code].folder for code in codes}
    area_folders = {p: area_folder(data, p) for p in provinces.areas}
    return Publication(PublishReport([], report, tuple(codes)), files, folders,
                       provinces.areas, area_folders)  # fmt: skip


def publish(
    households: Path,
    members: Path | None,
    data: Path,
    site: Path | None = None,
    progress: Progress | None = None,
) -> PublishReport:
    """Checks the records, makes and suppresses each tambon's tables, and writes them into its
    package under `data` (only after every tambon's tables are made: a refusal writes none).
    The texts wait in a temporary folder meanwhile, not in memory. `progress` is told the
    stages (check, tables, suppression, write) and the tambons done."""
    progress = progress or Progress()
    with tempfile.TemporaryDirectory(prefix="tambon-publish-") as staging:
        staged = Path(staging)

        def stage(code: str, texts: dict[str, str]) -> None:
            package_writer.write_files(staged / code, texts)

        publication = published_files(households, members, data, site, progress, stage)
        if publication.report.problems:
            return publication.report
        with progress.stage("write", total=len(publication.folders)):
            for code, folder in publication.folders.items():
                made = sorted(p for p in (staged / code).rglob("*") if p.is_file())
                package_writer.write_files(folder, {
                    p.relative_to(staged / code).as_posix(): p.read_bytes().decode("utf-8")
                    for p in made
                })  # fmt: skip
                progress.advance()
            for province, folder in publication.area_folders.items():
                package_writer.write_files(folder, publication.areas[province])
    return publication.report
