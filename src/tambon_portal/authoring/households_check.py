"""`tambon households check`: every broken row of a household file (and its members file),
by file, row and field, before anything is made from it (issue 11).

The records are read once into DuckDB (as text, in file order), and checked there as SQL; the
verdict on a value is frictionless' own cell reader's (type and every constraint of
`core.schemas.households`), asked once per distinct value of a column, so the checks agree
with frictionless on every cell while a file of millions of households is read at columnar
speed. What frictionless checks across rows is SQL: the primary key (a household twice in a
year) and the foreign keys (a member of no household; a village that is not in the data).

Refused as well, since these files must carry nothing that identifies a person: a column
whose heading names personal data (names, house numbers, house codes, birth dates, contact
accounts, coordinates), a column the schema does not know (it may hold any of those), and an
id, in any column, that is a national ID number, a phone number or has the shape of a house
code (11 digits). Problems quote no value of the file: they name its row and field only, so
nothing household-level reaches a terminal, a log or CI.

A comma-separated CSV in UTF-8 without blank lines is read by DuckDB as it is, its rows
numbered in file order. Any other file (cp874, XLSX, a blank line, or a row DuckDB cannot read
as it is: more or fewer cells than the heading) is read by `spreadsheet.open_source` and its
mapped columns written, with each row's number, as UTF-8 into a private temporary folder
(mode 0700, removed on leaving) for DuckDB; rows with the wrong number of cells are reported
and left out, blank rows skipped. Both paths give the same problems (a test).

Kept whole at about 400 lines: its parts are the queries of one DuckDB connection over the
two tables, read once.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tambon_portal.authoring import column_mapping, spreadsheet
from tambon_portal.checks import privacy_detectors, privacy_words
from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, lazy
from tambon_portal.core.problems import Problem
from tambon_portal.core.schemas import households as hs
from tambon_portal.packages import discovery, table_reader
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore
from tambon_portal.packages.writer import csv_writer

duckdb = lazy.module("duckdb")  # only the household commands use it
frictionless = lazy.module("frictionless")

FIRST_DATA_ROW = 2  # rows are numbered as frictionless numbers them: the heading is row 1
HOUSE_CODE_DIGITS = 11  # รหัสประจำบ้าน: a DOPA house code identifies a house
_KEY = "primary-key"
_FOREIGN = "foreign-key"


@dataclass(frozen=True)
class HouseholdReport:
    """What the check found, with the counts of the records it read."""

    problems: list[Problem]
    households: int
    members: int
    villages: int
    years: tuple[int, ...]


class HouseholdFileError(Exception):
    """A file that cannot be read at all (missing, binary, unknown encoding): exit 2."""


# --- reading a file into DuckDB --------------------------------------------------------------


@dataclass
class _Table:
    """One input file as a DuckDB table of text columns named by the schema's fields, with
    `_row`, its row number in the file."""

    name: str  # households or members
    file: str  # as the officer named it
    schema: dict[str, Any]
    fields: list[str]  # the schema's fields the file has
    rows: int


# DuckDB keeps the records in a database file in the private folder and holds at most this
# much of them in memory (the rest waits in the file and its spill folder, both removed with
# the folder): 20 million households fit a machine of 1 GB.
MEMORY_LIMIT = "500MB"
MEMORY_LIMIT_VARIABLE = "TAMBON_RECORDS_MEMORY"  # e.g. "2GB" on a machine that has it


def _database(private: Path) -> Any:
    limit = os.environ.get(MEMORY_LIMIT_VARIABLE) or MEMORY_LIMIT
    return duckdb.connect(
        str(private / "records.duckdb"),
        config={"memory_limit": limit, "temp_directory": str(private / "spill")},
    )


@contextmanager
def _private_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="tambon-households-") as folder:
        os.chmod(folder, 0o700)
        yield Path(folder)


def _problem(table: str, file: str, row: int | None, field: str | None, code: str,
             message: str) -> Problem:  # fmt: skip
    return Problem(table, table, file, row, field, code, message)


def _heading_problems(
    name: str, file: str, header: Sequence[str], schema: dict[str, Any]
) -> tuple[list[Problem], dict[int, str]]:
    """Problems of the heading row, and {position of a column: the field it maps to}."""
    positions, unmapped = column_mapping.column_positions(list(header), schema)
    problems = []
    for position in unmapped:
        heading = header[position]
        kind = privacy_words.column_kind(heading)
        if kind is None and privacy_words.is_ambiguous_name_column(heading):
            kind = "person-name"
        if kind is None and privacy_words.is_location_column(heading):
            kind = "precise-location"
        if kind is not None:
            message = (f"column {position + 1} ({heading!r}) holds personal data ({kind}), which"
                       " must not be in the household file at all; remove the column")  # fmt: skip
            problems.append(_problem(name, file, 1, heading, kind, message))
        else:
            message = (f"column {position + 1} ({heading!r}) is not a field of the {name} file;"
                       " rename it to one of its fields (docs/households.md) or remove it:"
                       " a column the portal does not know may hold personal data")  # fmt: skip
            problems.append(_problem(name, file, 1, heading or None, "unknown-column", message))
    for field in schema["fields"]:
        required = (field.get("constraints") or {}).get("required")
        if required and field["name"] not in positions:
            message = f"the required column {field['name']} ({field['title']}) is missing"
            problems.append(_problem(name, file, 1, field["name"], "missing-column", message))
    return problems, {position: field for field, position in positions.items()}


def _write_canonical(
    source: spreadsheet.SourceTable, columns: Mapping[int, str], target: Path, name: str, file: str
) -> tuple[list[Problem], int]:
    """The mapped columns of `source` as a UTF-8 CSV at `target`, with each row's number;
    rows with more or fewer cells than the heading are reported and left out."""
    problems, rows, width = [], 0, len(source.header)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv_writer(out)
        writer.writerow(["_row", *columns.values()])
        for number, cells in source.rows:
            if source.read_as == "xlsx" and len(cells) < width:
                cells = cells + [""] * (width - len(cells))  # a sheet's row ends at its last value
            if len(cells) < width or spreadsheet.nonblank(cells[width:]):
                code = "extra-cell" if len(cells) > width else "missing-cell"
                message = (f"this row has {len(cells)} cells where the heading row has {width};"
                           " a value containing a comma must be in double quotes")  # fmt: skip
                problems.append(_problem(name, file, number, None, code, message))
                continue
            writer.writerow([number, *(cells[position] for position in columns)])
            rows += 1
    return problems, rows


_UTF8_CSV = ("utf-8", "utf-8-sig", "ascii")
_CHUNK = 1 << 22


def _has_blank_line(path: Path) -> bool:
    """Whether the file has an empty line (DuckDB skips it, which would shift row numbers)."""
    with path.open("rb") as file:
        previous = b"\n"  # a blank first line counts too
        while chunk := file.read(_CHUNK):
            text = previous + chunk
            if b"\n\n" in text or b"\n\r\n" in text:
                return True
            previous = chunk[-2:]
    return False


def _fast_header(path: Path) -> list[str] | None:
    """The heading row of a comma-separated UTF-8 CSV without blank lines, which DuckDB can
    read as it is; None for any other file (the careful path reads it)."""
    if path.suffix.lower() != ".csv" or spreadsheet.file_encoding(path) not in _UTF8_CSV:
        return None
    with path.open(encoding="utf-8-sig", newline="") as file:
        first = file.readline()
        header = next(csv.reader([first]), [])
    if not header or spreadsheet.separator(first) != "," or _has_blank_line(path):
        return None
    return header


def _load_directly(connection: Any, name: str, path: Path, header: list[str],
                   columns: Mapping[int, str]) -> int | None:  # fmt: skip
    """`path` read by DuckDB as it is into a table of all its columns, and the view `name` of
    the mapped ones, rows numbered by their order (`rowid`); None when DuckDB finds a row it
    cannot read (a ragged one): the careful path then names it."""
    raw = f"_raw_{name}"
    types = {f"c{i}": "VARCHAR" for i in range(len(header))}
    try:
        connection.execute(
            f"CREATE TABLE {raw} AS SELECT * FROM read_csv(?, header = true, columns = ?,"
            " auto_detect = false, quote = '\"', escape = '\"', delim = ',',"
            " strict_mode = true, null_padding = false)",
            [str(path), types],
        )
    except duckdb.OutOfMemoryException:
        raise  # not a ragged row: the careful path would run out of memory too
    except duckdb.Error:
        connection.execute(f"DROP TABLE IF EXISTS {raw}")
        return None
    return _mapped_view(connection, name, raw, columns)


def _mapped_view(connection: Any, name: str, raw: str, columns: Mapping[int, str]) -> int:
    """The view `name` of the mapped columns of `raw` (columns c0, c1, ...), rows numbered by
    their order (`rowid`) as frictionless numbers them; the number of rows. A view, not a
    second copy: the records are held once, in the file's order."""
    selected = ", ".join(f"c{position} AS {_quoted(field)}" for position, field in columns.items())
    connection.execute(
        f"CREATE VIEW {name} AS SELECT rowid + {FIRST_DATA_ROW} AS _row"
        f"{', ' if selected else ''}{selected} FROM {raw}"
    )
    return int(connection.execute(f"SELECT count(*) FROM {raw}").fetchone()[0])


def _load_parquet(connection: Any, name: str, path: Path, schema: dict[str, Any]
                  ) -> tuple[_Table, list[Problem]]:  # fmt: skip
    """A Parquet file (an export of a bigger system) read by DuckDB as it is, every column as
    text so it is checked exactly as a CSV's would be; rows numbered as a CSV's (heading = 1)."""
    file = str(path)
    try:
        described = connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [file]).fetchall()
    except duckdb.Error as error:
        raise HouseholdFileError(f"{file}: not a Parquet file DuckDB can read") from error
    header = [str(row[0]) for row in described]
    problems, columns = _heading_problems(name, file, header, schema)
    raw = f"_raw_{name}"
    text = ", ".join(f"CAST({_quoted(column)} AS VARCHAR) AS c{i}" for i, column in
                     enumerate(header))  # fmt: skip
    connection.execute(f"CREATE TABLE {raw} AS SELECT {text} FROM read_parquet(?)", [file])
    rows = _mapped_view(connection, name, raw, columns)
    return _Table(name, file, schema, list(columns.values()), rows), problems


def _load(connection: Any, name: str, path: Path, schema: dict[str, Any], private: Path
          ) -> tuple[_Table, list[Problem]]:  # fmt: skip
    """`path` into the DuckDB table `name`, its columns renamed to the schema's fields."""
    file = str(path)
    if path.suffix.lower() == ".parquet":
        return _load_parquet(connection, name, path, schema)
    try:
        header = _fast_header(path)
        if header is not None:
            problems, columns = _heading_problems(name, file, header, schema)
            rows = _load_directly(connection, name, path, header, columns)
            if rows is not None:
                return _Table(name, file, schema, list(columns.values()), rows), problems
        with spreadsheet.open_source(path) as source:
            problems, columns = _heading_problems(name, file, source.header, schema)
            canonical = private / f"{name}.csv"
            found, rows = _write_canonical(source, columns, canonical, name, file)
    except spreadsheet.ImportFileError as error:
        raise HouseholdFileError(f"{file}: {error}") from error
    except OSError as error:
        raise HouseholdFileError(f"{file}: cannot read it ({error.strerror})") from error
    fields = list(columns.values())
    types = {"_row": "BIGINT", **dict.fromkeys(fields, "VARCHAR")}
    connection.execute(
        f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, header = true, columns = ?,"
        " auto_detect = false, quote = '\"', escape = '\"', delim = ',',"
        " null_padding = false)",
        [str(canonical), types],
    )
    canonical.unlink()
    return _Table(name, file, schema, fields, rows), problems + found


# --- the checks --------------------------------------------------------------------------------


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _cell_problems(connection: Any, table: _Table) -> list[Problem]:
    """Frictionless' verdict on every cell, asked once per distinct value of each column, and
    the personal-data scan of each distinct value; values SQL proves valid and harmless
    (`_certainly_valid`, `_may_identify`) are asked of neither."""
    schema = frictionless.Schema.from_descriptor(table.schema)
    problems = []
    for field in schema.fields:
        if field.name not in table.fields:
            continue
        column = _quoted(field.name)
        reader = field.create_cell_reader()
        valid = f"coalesce({_certainly_valid(field, 'v') or 'false'}, false)"
        suspect = f"coalesce({_may_identify('v')}, false)"
        # judged per distinct value, not per row: the answers' columns have three
        values = connection.execute(
            f"SELECT * FROM (SELECT v, {valid} AS valid, {suspect} AS suspect FROM"
            f" (SELECT DISTINCT {column} AS v FROM {table.name})) WHERE NOT valid OR suspect"
        )
        bad: dict[str, tuple[str, str]] = {}
        # in batches: the household ids are as many as the households (10 million values
        # held at once were a gigabyte of Python strings)
        while batch := values.fetchmany(_BATCH):
            for value, proven, _ in batch:
                if proven:
                    continue
                _, notes = reader(hs.code_of(field.name, value) if value is not None else "")
                if notes:
                    bad[value if value is not None else ""] = _note(field, notes)
            bad |= _identifying(field.name, [v for v, _, may in batch if v and may])
        if not bad:
            continue
        rows = connection.execute(
            f"SELECT _row, coalesce({column}, '') FROM {table.name}"
            f" WHERE coalesce({column}, '') IN (SELECT unnest(?)) ORDER BY _row",
            [list(bad)],
        ).fetchall()
        problems += [
            _problem(table.name, table.file, row, field.name, *bad[value]) for row, value in rows
        ]
    return problems


def whole_number_sql(expression: str) -> str:
    """SQL of a text cell as a whole number, Thai digits read as digits (NULL if it is none):
    how the check compares and publish counts the records' numbers."""
    thai = table_reader.THAI_DIGIT_CHARACTERS
    return f"TRY_CAST(trim(translate({expression}, '{thai}', '0123456789')) AS BIGINT)"


_BATCH = 100_000  # distinct values judged at a time
# Up to 8 ASCII digits, no leading zero: a whole number frictionless reads as it is, too short
# to be a national ID (13 digits) or a phone number (9-10), so it needs no Python at all.
_PLAIN_INTEGER = "0|[1-9][0-9]{0,7}"


def _certainly_valid(field: Any, column: str) -> str | None:
    """SQL true for a cell that frictionless certainly reads without a note: only the other
    distinct values are asked of it (the incomes and the household ids of a million
    households are mostly distinct). None for a field this cannot judge (then every value is
    asked)."""
    return _plain_integer(field, column) or _plain_pattern(field, column)


def _plain_integer(field: Any, column: str) -> str | None:
    """Plain digits inside the field's minimum and maximum, for an integer field with no
    other rule."""
    descriptor = field.to_descriptor()
    rules = set(descriptor.get("constraints", {})) - {"required", "minimum", "maximum"}
    if descriptor.get("type") != "integer" or rules or descriptor.get("bareNumber") is False:
        return None
    constraints = descriptor.get("constraints", {})
    bounds = "".join(
        f" AND TRY_CAST({column} AS BIGINT) {op} {int(constraints[key])}"
        for key, op in (("minimum", ">="), ("maximum", "<="))
        if key in constraints
    )
    return f"(regexp_full_match({column}, '{_PLAIN_INTEGER}'){bounds})"


# A pattern of ASCII character classes with counts (the household id's): DuckDB's RE2 and
# Python's re read it alike, so a text RE2 matches whole, Python's anchored match accepts.
_SIMPLE_PATTERN = re.compile(r"\^?(?:\[[A-Za-z0-9_-]+\](?:\{\d+(?:,\d+)?\}|[*+?])?)+\$?")


def _plain_pattern(field: Any, column: str) -> str | None:
    """The whole text matching the field's pattern, for a string field whose only other
    rule is `required` and whose pattern is simple (`_SIMPLE_PATTERN`)."""
    descriptor = field.to_descriptor()
    constraints = descriptor.get("constraints", {})
    pattern = constraints.get("pattern")
    simple = isinstance(pattern, str) and _SIMPLE_PATTERN.fullmatch(pattern)
    if descriptor.get("type") != "string" or set(constraints) - {"required", "pattern"}:
        return None
    if descriptor.get("format", "default") != "default" or not simple:
        return None
    body = pattern.removeprefix("^").removesuffix("$")
    return f"regexp_full_match({column}, '{body}')"


_DIGIT = r"\p{Nd}"  # any decimal digit, as Python's \d (Thai digits among them)
# What every finding of `_identifying` holds (a superset, RE2 having no look-behind): 13
# digits in a row or in the printed grouping (a national ID); a trunk 0, +66 or a bracket
# not after a letter, a digit or _+/- (a phone number); 11 characters (a house code).
_MAY_IDENTIFY = (
    f"{_DIGIT}{{13}}|{_DIGIT}[- ]{_DIGIT}{{4}}[- ]{_DIGIT}{{5}}[- ]{_DIGIT}{{2}}[- ]{_DIGIT}"
    "|(^|[^0-9๐-๙A-Za-z_+/-])(\\(|\\+[6๖][6๖]|[0๐])"
)


def _may_identify(column: str) -> str:
    """SQL true for a cell the personal-data scan (`_identifying`) must look at."""
    return (f"(length({column}) = {HOUSE_CODE_DIGITS}"
            f" OR regexp_matches({column}, '{_MAY_IDENTIFY}'))")  # fmt: skip


def _note(field: Any, notes: Mapping[str, str]) -> tuple[str, str]:
    """frictionless' error type and a message that says how to fix the cell (no value)."""
    if "type" in notes:
        expected = {"integer": "a whole number (digits only, no commas)",
                    "boolean": "1 or ผ่าน (passed), 0 or ไม่ผ่าน (failed), or empty"}  # fmt: skip
        want = expected.get(field.type, f"of type {field.type}")
        return "type-error", f"this cell is not {want}"
    constraint, note = next(iter(notes.items()))
    if constraint == "required":
        return "constraint-error", f"{field.name} ({field.title}) is required; fill it in"
    return "constraint-error", f"this cell breaks the rule of {field.name}: {note}"


def _identifying(name: str, values: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Values that identify a person or a house, whatever their column."""
    bad = {}
    for value in values:
        if privacy_detectors.find_national_ids(value):
            bad[value] = ("national-id", "this cell holds a national ID number (เลขประจำตัว"
                          "ประชาชน); use the survey's own household number instead")  # fmt: skip
        elif privacy_detectors.find_phone_numbers(value):
            bad[value] = ("phone-number", "this cell holds a phone number; remove it")
        elif name == "household_id" and value.isdigit() and len(value) == HOUSE_CODE_DIGITS:
            bad[value] = ("household-id", "this id has the shape of a house code"
                          " (รหัสประจำบ้าน, 11 digits), which identifies a house; use the"
                          " survey's own number")  # fmt: skip
    return bad


def _key_problems(connection: Any, table: _Table) -> list[Problem]:
    """A household twice in a year (or a person twice in a household): every row after the
    first, as frictionless reports a primary key."""
    key = table.schema["primaryKey"]
    if not set(key) <= set(table.fields):
        return []
    columns = ", ".join(_quoted(k) for k in key)
    present = " AND ".join(f"{_quoted(k)} IS NOT NULL" for k in key)
    # A GROUP BY, not a window over every row: an aggregate spills to disk at 20 million
    rows = connection.execute(
        f"WITH repeated AS (SELECT {columns}, min(_row) AS first FROM {table.name}"
        f" WHERE {present} GROUP BY ALL HAVING count(*) > 1)"
        f" SELECT t._row FROM {table.name} t JOIN repeated r USING ({columns})"
        " WHERE t._row > r.first ORDER BY t._row"
    ).fetchall()
    message = f"this row repeats the key ({', '.join(key)}) of an earlier row"
    return [_problem(table.name, table.file, row, None, _KEY, message) for (row,) in rows]


def _village_problems(
    connection: Any, table: _Table, villages: frozenset[str] | None
) -> list[Problem]:
    """A village code that is not a village of the data (with --data), or not of a tambon of
    the gazetteer."""
    if "village_code" not in table.fields:
        return []
    codes = [c for (c,) in connection.execute(
        f"SELECT DISTINCT village_code FROM {table.name} WHERE village_code IS NOT NULL"
    ).fetchall()]  # fmt: skip
    if villages is not None:
        unknown = [c for c in codes if c not in villages]
        message = "this village is not in the villages table of any tambon package in --data"
    else:
        unknown = [c for c in codes if len(c) == 8 and gazetteer.tambon(c[:6]) is None]
        message = "this village code's first 6 digits are not a tambon of the gazetteer"
    if not unknown:
        return []
    rows = connection.execute(
        f"SELECT _row FROM {table.name} WHERE village_code IN (SELECT unnest(?)) ORDER BY _row",
        [unknown],
    ).fetchall()
    return [_problem(table.name, table.file, r, "village_code", _FOREIGN, message) for (r,) in rows]


def _member_problems(connection: Any, members: _Table, households: _Table) -> list[Problem]:
    """Members of no household of the household file, and households whose `members` is not
    the number of persons the members file lists for them."""
    if not {"household_id", "year_be"} <= set(members.fields):
        return []
    orphans = connection.execute(
        "SELECT m._row FROM members m ANTI JOIN households h"
        " ON m.household_id = h.household_id AND m.year_be = h.year_be"
        " WHERE m.household_id IS NOT NULL ORDER BY m._row"
    ).fetchall()
    problems = [
        _problem(members.name, members.file, row, "household_id", _FOREIGN,
                 "this person's household (household_id, year_be) is not in the household file")
        for (row,) in orphans
    ]  # fmt: skip
    if "members" in households.fields:
        # Only the households that differ leave DuckDB (all ten million did, at 20 million
        # rows); a `members` that is no whole number is a type-error, not compared here.
        thai = table_reader.THAI_DIGIT_CHARACTERS
        stated = whole_number_sql("h.members")
        differing = connection.execute(
            "WITH listed AS (SELECT household_id, year_be, count(*) AS persons FROM members"
            " WHERE household_id IS NOT NULL GROUP BY ALL)"
            f" SELECT h._row, l.persons FROM households h JOIN listed l"
            " ON l.household_id = h.household_id AND l.year_be = h.year_be"
            f" WHERE regexp_full_match(trim(h.members), '[0-9{thai}]+')"
            f" AND {stated} <> l.persons ORDER BY h._row"
        ).fetchall()
        problems += [
            _problem(households.name, households.file, row, "members", "members-count",
                     f"members differs from the {persons} persons the members file lists for"
                     " this household")
            for row, persons in differing
        ]  # fmt: skip
    return problems


def _bmn_set(connection: Any) -> str:
    """The BMN set the household file's rows name (the first known one; others are enum
    errors of their cells)."""
    found = connection.execute("SELECT DISTINCT bmn_set FROM households").fetchall()
    known = sorted(v for (v,) in found if v in cl.BMN_SET_VERSIONS)
    return known[0] if known else cl.BMN_SET_VERSIONS[0]


def _whole(text: str | None) -> int | None:
    """A whole number as frictionless reads one (Thai digits too), else None."""
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _counts(connection: Any, table: _Table) -> tuple[int, tuple[int, ...]]:
    """The villages and the survey years (พ.ศ.) of the household file."""
    villages, years = 0, set()
    if "village_code" in table.fields:
        villages = connection.execute(
            f"SELECT count(DISTINCT village_code) FROM {table.name}"
        ).fetchone()[0]
    if "year_be" in table.fields:
        found = connection.execute(f"SELECT DISTINCT year_be FROM {table.name}").fetchall()
        years = {y for (text,) in found if (y := _whole(text)) is not None}
    return villages, tuple(sorted(years))


def villages_of(refs: Sequence[PackageRef], store: FileStore | None = None) -> frozenset[str]:
    """The village codes of the tambon packages `refs` (their `villages` tables), read
    through `store`."""
    codes: set[str] = set()
    for ref in refs:
        if ref.kind != "tambon":
            continue
        descriptor = discovery.descriptor_of(ref)
        for resource in table_reader.tabular_resources(descriptor):
            if table_reader.resource_name(resource) == "villages":
                frame = table_reader.load_table(resource, ref.folder, store)
                codes |= set(frame["village_code"].astype(str))
    return frozenset(codes)


def data_villages(data: Path) -> frozenset[str]:
    """The village codes of the tambon packages under `data`."""
    return villages_of(discovery.discover(Path(data)))


@dataclass
class Records:
    """The records read into DuckDB and checked: the connection holds the tables `households`
    and (with a members file) `members`, text in file order with `_row` (for `publish`)."""

    connection: Any
    report: HouseholdReport
    bmn_set: str
    with_members: bool  # a members file was read: the tables of persons can be made


@contextmanager
def checked_records(
    households: Path, members: Path | None = None, villages: frozenset[str] | None = None
) -> Iterator[Records]:
    """The records of a household file and its optional members file, read once and checked
    (`check`); the connection is closed on leaving. Raises HouseholdFileError for a file that
    cannot be read at all."""
    version = cl.BMN_SET_VERSIONS[0]
    with _private_folder() as private:
        connection = _database(private)
        try:
            table, problems = _load(
                connection, hs.HOUSEHOLDS, Path(households), hs.households_schema(version), private
            )
            if "bmn_set" in table.fields:
                version = _bmn_set(connection)
                table.schema = hs.households_schema(version)
            problems += _cell_problems(connection, table)
            problems += _key_problems(connection, table)
            problems += _village_problems(connection, table, villages)
            people = 0
            if members is not None:
                person, found = _load(
                    connection, hs.MEMBERS, Path(members), hs.members_schema(version), private
                )
                problems += found + _cell_problems(connection, person)
                problems += _key_problems(connection, person)
                problems += _member_problems(connection, person, table)
                people = person.rows
            village_count, years = _counts(connection, table)
            ordered = sorted(problems, key=lambda p: (p.resource != hs.HOUSEHOLDS, p.row or 0))
            report = HouseholdReport(ordered, table.rows, people, village_count, years)
            yield Records(connection, report, version, members is not None)
        finally:
            connection.close()


def check(
    households: Path, members: Path | None = None, villages: frozenset[str] | None = None
) -> HouseholdReport:
    """Every problem of a household file and its optional members file. `villages`: the
    village codes of the data packages the records are for (None: any village of a tambon of
    the gazetteer). Raises HouseholdFileError for a file that cannot be read at all."""
    with checked_records(households, members, villages) as records:
        return records.report
