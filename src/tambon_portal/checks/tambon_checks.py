"""Project checks of a tambon package beyond what a Table Schema can say.

Frictionless checks each table against its schema; these check that the tables agree with
the gazetteer, with each other and with the folder they sit in (villages add up to the
tambon, BMN passed + failed = surveyed, ...). They are pure functions of typed frames (from
`packages.load_tables`), run only on tables frictionless found clean, so one bad cell gives
one problem instead of a cascade of sums that no longer add up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, schemas, settings
from tambon_portal.core.problems import Problem

YEAR_FIELDS = ("year_be", "start_year_be", "end_year_be")
DATE_FIELDS = ("reference_date", "adopted_date")
BE_DATE_FROM = 2400  # a date year this large is a Buddhist Era year typed into a CE date
FIRST_DATA_ROW = 2  # frictionless counts the header as row 1


@dataclass(frozen=True)
class TambonPackage:
    """What the checks need to know about one tambon package."""

    package: str  # package name, for the problems
    code: str  # the tambon code the package claims (descriptor, else folder name)
    folder_name: str
    descriptor: dict
    descriptor_file: str  # relative to the data root
    files: dict[str, str]  # resource name -> CSV file relative to the data root
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # clean resources only
    current_year_be: int = 2568


def _problem(pkg: TambonPackage, resource: str | None, index: int | None, column: str | None,
             code: str, message: str) -> Problem:  # fmt: skip
    file = pkg.files.get(resource, pkg.descriptor_file) if resource else pkg.descriptor_file
    row = None if index is None else int(index) + FIRST_DATA_ROW
    return Problem(pkg.package, resource, file, row, column, code, message)


def _n(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


# --- resources and schemas ------------------------------------------------------------------


def schema_difference(resource: str, schema: object) -> str | None:
    """How an embedded schema differs from the shared definition, or None when it is equal."""
    expected = schemas.SCHEMAS[resource]
    if schema == expected:
        return None
    if not isinstance(schema, dict):
        return "the schema is not written inline"
    names = [f.get("name") for f in schema.get("fields", []) if isinstance(f, dict)]
    wanted = schemas.field_names(resource)
    if names != wanted:
        return f"fields are {names}, expected {wanted}"
    for given, defined in zip(schema["fields"], expected["fields"], strict=True):
        if given != defined:
            return f"field '{defined['name']}' differs"
    for key in ("primaryKey", "foreignKeys", "missingValues"):
        if schema.get(key) != expected.get(key):
            return f"'{key}' differs"
    extra = sorted(set(schema) - set(expected))
    return f"unexpected keys {extra}" if extra else "it differs"


def check_resources(pkg: TambonPackage) -> Iterator[Problem]:
    resources = {
        r.get("name"): r for r in pkg.descriptor.get("resources") or [] if isinstance(r, dict)
    }
    for name in schemas.RESOURCE_NAMES:
        if name not in resources:
            yield _problem(
                pkg, None, None, None, "missing-resource",
                f"resource '{name}' ({schemas.RESOURCE_TITLES[name][0]}) is missing; every tambon"
                f" package has all of {', '.join(schemas.RESOURCE_NAMES)}: add data/{name}.csv"
                " and its entry in the descriptor",
            )  # fmt: skip
            continue
        difference = schema_difference(name, resources[name].get("schema"))
        if difference:
            yield Problem(
                pkg.package, name, pkg.descriptor_file, None, None, "schema-drift",
                f"the schema of '{name}' is not the shared one ({difference}); copy"
                f" tambon_portal.core.schemas.schema('{name}') into the descriptor unchanged",
            )  # fmt: skip


# --- codes and names ------------------------------------------------------------------------


def check_descriptor_codes(pkg: TambonPackage) -> Iterator[Problem]:
    code = pkg.code
    if gazetteer.tambon(code) is None:
        yield _problem(
            pkg, None, None, "tambon_code", "unknown-tambon-code",
            f"tambon code {code} is not in the gazetteer (รหัสตำบลไม่มีในทะเบียน); use the"
            " 6-digit DOPA code of the tambon",
        )  # fmt: skip
    declared = pkg.descriptor.get("tambon_code")
    folder_code = pkg.folder_name if re.fullmatch(r"\d{6}", pkg.folder_name) else None
    if folder_code and declared is not None and str(declared) != folder_code:
        yield _problem(
            pkg, None, None, "tambon_code", "code-mismatch",
            f"the descriptor says tambon_code {declared} but the folder is named"
            f" {folder_code} (รหัสไม่ตรงกัน); rename the folder or fix the code",
        )  # fmt: skip
    for key, length in (("district_code", 4), ("province_code", 2)):
        value = pkg.descriptor.get(key)
        if value is not None and str(value) != code[:length]:
            yield _problem(
                pkg, None, None, key, "code-mismatch",
                f"the descriptor says {key} {value} but tambon {code} is in {code[:length]}"
                " (รหัสไม่ตรงกัน); fix the code",
            )  # fmt: skip
    name = str(pkg.descriptor.get("name") or "")
    named_codes = re.findall(r"(?<!\d)\d{6}(?!\d)", name)
    if named_codes and named_codes != [code]:
        yield _problem(
            pkg, None, None, "name", "code-mismatch",
            f"the package name '{name}' names tambon {named_codes[0]} but the package is"
            f" tambon {code} (รหัสไม่ตรงกัน); name it tambon-{code}",
        )  # fmt: skip


def check_tambon_row(pkg: TambonPackage) -> Iterator[Problem]:
    frame = pkg.tables.get("tambon")
    if frame is None:
        return
    if len(frame) != 1:
        yield _problem(
            pkg, "tambon", None, None, "row-count",
            f"the tambon table has {len(frame)} rows; it must have exactly one (this tambon)",
        )  # fmt: skip
        if frame.empty:
            return
    row = frame.iloc[0]
    code = str(row["tambon_code"])
    place = gazetteer.tambon(code)
    if place is None:
        yield _problem(
            pkg, "tambon", 0, "tambon_code", "unknown-tambon-code",
            f"tambon code {code} is not in the gazetteer (รหัสตำบลไม่มีในทะเบียน); use the"
            " 6-digit DOPA code of the tambon",
        )  # fmt: skip
    elif code != pkg.code:
        yield _problem(
            pkg, "tambon", 0, "tambon_code", "code-mismatch",
            f"the table says tambon {code} but the package is tambon {pkg.code}"
            " (รหัสไม่ตรงกัน); one of them is wrong: fix it so all agree",
        )  # fmt: skip
    for column, length in (("district_code", 4), ("province_code", 2)):
        if str(row[column]) != code[:length]:
            yield _problem(
                pkg, "tambon", 0, column, "code-mismatch",
                f"{column} {row[column]} does not match tambon code {code}, which is in"
                f" {code[:length]} (รหัสไม่ตรงกัน); write {code[:length]}",
            )  # fmt: skip
    if place is not None:
        for column in ("name_th", "name_en"):
            expected = getattr(place, column)
            given = str(row[column]).strip()
            # English names differ in case between sources ("Tha yang"); pages write one style.
            if column == "name_en":
                given = gazetteer.english_name(given)
            if given != expected:
                yield _problem(
                    pkg, "tambon", 0, column, "name-mismatch",
                    f"'{row[column]}' is not the gazetteer's name of tambon {code}"
                    f" (ชื่อไม่ตรงกับทะเบียน); write '{expected}'",
                )  # fmt: skip


# --- villages -------------------------------------------------------------------------------


def check_villages(pkg: TambonPackage) -> Iterator[Problem]:
    villages = pkg.tables.get("villages")
    if villages is None:
        return
    for index, row in villages.iterrows():
        number = _n(row["village_no"])
        expected = f"{row['tambon_code']}{number:02d}" if number is not None else None
        if expected and row["village_code"] != expected:
            yield _problem(
                pkg, "villages", index, "village_code", "code-mismatch",
                f"village code {row['village_code']} should be the tambon code and the 2-digit"
                f" หมู่ที่ ({expected}); fix the code or village_no",
            )  # fmt: skip
        if row["tambon_code"] != pkg.code:
            yield _problem(
                pkg, "villages", index, "tambon_code", "code-mismatch",
                f"village row has tambon code {row['tambon_code']}, the package is tambon"
                f" {pkg.code} (รหัสไม่ตรงกัน); fix the code",
            )  # fmt: skip
    numbers = sorted(int(n) for n in villages["village_no"].dropna())
    gaps = sorted(set(range(1, (max(numbers) if numbers else 0) + 1)) - set(numbers))
    if gaps:
        yield _problem(
            pkg, "villages", None, "village_no", "village-numbering",
            f"หมู่ที่ {', '.join(map(str, gaps))} missing: village numbers must run 1, 2, 3, ..."
            " without gaps; add the missing villages or renumber",
        )  # fmt: skip
    yield from _check_village_totals(pkg, villages)


def _check_village_totals(pkg: TambonPackage, villages: pd.DataFrame) -> Iterator[Problem]:
    tambon = pkg.tables.get("tambon")
    if tambon is None or len(tambon) != 1:
        return
    row = tambon.iloc[0]
    if _n(row["villages"]) != len(villages):
        yield _problem(
            pkg, "tambon", 0, "villages", "count-mismatch",
            f"tambon says {_n(row['villages'])} villages but the villages table has"
            f" {len(villages)} rows (จำนวนหมู่บ้านไม่ตรงกัน); make them agree",
        )  # fmt: skip
    for column in ("households", "population"):
        total = int(villages[column].sum())
        if _n(row[column]) != total:
            yield _problem(
                pkg, "tambon", 0, column, "sum-mismatch",
                f"tambon {column} is {_n(row[column])} but its villages add up to {total}"
                " (ผลรวมไม่ตรงกัน); the tambon figure must be the sum of its villages",
            )  # fmt: skip


# --- population, BMN, income ----------------------------------------------------------------


def reference_year_be(pkg: TambonPackage) -> int | None:
    tambon = pkg.tables.get("tambon")
    if tambon is None or len(tambon) != 1:
        return None
    match = re.match(r"^(\d{4})-", str(tambon.iloc[0]["reference_date"]))
    return int(match.group(1)) + settings.BE_OFFSET if match else None


def _sum_agrees(parts: Sequence[int | None], total: int | None) -> bool:
    """Equal when no part is suppressed (None), else not above the total."""
    if total is None:
        return True
    published = _published(parts)
    return published == total if None not in parts else published <= total


def _published(parts: Sequence[int | None]) -> int:
    """The sum of the parts that are published."""
    return sum(part for part in parts if part is not None)


def check_population(pkg: TambonPackage) -> Iterator[Problem]:
    population, tambon = pkg.tables.get("population"), pkg.tables.get("tambon")
    year = reference_year_be(pkg)
    if population is None or tambon is None or year is None:
        return
    cells = _values(population[population["year_be"] == year]["persons"])
    total = _n(tambon.iloc[0]["population"])
    if cells and not _sum_agrees(cells, total):
        yield _problem(
            pkg, "population", None, "persons", "sum-mismatch",
            f"persons of {year} add up to {_published(cells)} but the tambon population is"
            f" {total} (ผลรวมไม่ตรงกัน); the age groups must add up to the tambon total"
            " (suppressed cells excepted)",
        )  # fmt: skip


def check_bmn(pkg: TambonPackage) -> Iterator[Problem]:
    bmn = pkg.tables.get("bmn_results")
    if bmn is None:
        return
    yield from _check_bmn_rows(pkg, bmn)
    yield from _check_bmn_areas(pkg, bmn)
    yield from _check_bmn_village_sums(pkg, bmn)


def _check_bmn_rows(pkg: TambonPackage, bmn: pd.DataFrame) -> Iterator[Problem]:
    surveyed, passed, failed = bmn["surveyed"], bmn["passed"], bmn["failed"]
    both = passed.notna() & failed.notna() & surveyed.notna()
    wrong = both & (passed + failed != surveyed)
    for index in bmn.index[wrong.fillna(False).astype(bool)]:
        yield _problem(
            pkg, "bmn_results", index, "surveyed", "sum-mismatch",
            f"passed {passed[index]} + failed {failed[index]} is not surveyed {surveyed[index]}"
            " (ผ่าน + ไม่ผ่าน ≠ จำนวนที่สำรวจ); fix the counts",
        )  # fmt: skip


def _check_bmn_areas(pkg: TambonPackage, bmn: pd.DataFrame) -> Iterator[Problem]:
    villages = pkg.tables.get("villages")
    area, level = bmn["area_code"].astype(str), bmn["area_level"]
    wrong_tambon = (level == "tambon") & (area != pkg.code)
    unknown_village = (level == "village") & (
        ~area.isin(set(villages["village_code"])) if villages is not None else False
    )
    for index in bmn.index[wrong_tambon | unknown_village]:
        if wrong_tambon[index]:
            yield _problem(
                pkg, "bmn_results", index, "area_code", "code-mismatch",
                f"a tambon-level row must have area_code {pkg.code}, not {area[index]}"
                " (รหัสไม่ตรงกัน); fix the code or area_level",
            )  # fmt: skip
        else:
            yield _problem(
                pkg, "bmn_results", index, "area_code", "unknown-village-code",
                f"village {area[index]} is not in the villages table (ไม่พบรหัสหมู่บ้าน); add the"
                " village there or fix the code",
            )  # fmt: skip


_BMN_COUNTS = ("surveyed", "passed", "failed")


@dataclass(frozen=True)
class _VillageSums:
    """Per (year, indicator) of the village rows: each count's published sum and hidden cells,
    and the number of rows."""

    rows: int
    sums: tuple[int, ...]  # by _BMN_COUNTS
    hidden: tuple[int, ...]


def _integers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values with 0 for missing, whether missing) of an Int64 column, as numpy arrays."""
    missing = column.isna().to_numpy(dtype=bool)
    return column.fillna(0).to_numpy(dtype=np.int64), missing


def _values(column: pd.Series) -> list[int | None]:
    """An Int64 column's cells as Python integers, None where missing."""
    values, missing = _integers(column)
    pairs = zip(values.tolist(), missing.tolist(), strict=True)
    return [None if hidden else value for value, hidden in pairs]


def _text(column: pd.Series) -> np.ndarray:
    """A text column as a numpy array (missing cells NaN, equal to no text)."""
    return column.to_numpy(dtype=object)


def _village_sums(
    bmn: pd.DataFrame, columns: dict[str, tuple[np.ndarray, np.ndarray]]
) -> dict[tuple[int, int], _VillageSums]:
    """(year, indicator) -> the sums of its village rows (rows without a year or indicator
    form no group); `columns` are the `_integers` of the table's integer columns. One pass of
    numpy: a groupby, a merge and a loop over rows took 9 ms a package, half of the project
    checks of `tambon validate`."""
    village = _text(bmn["area_level"]) == "village"
    (year, no_year), (indicator, no_indicator) = columns["year_be"], columns["indicator"]
    rows = village & ~no_year & ~no_indicator
    year_of, years = pd.factorize(year[rows])
    indicator_of, indicators = pd.factorize(indicator[rows])
    # A group per (year, indicator) seen: its number in `groups`, and each row's group.
    groups, group_of = np.unique(year_of * len(indicators) + indicator_of, return_inverse=True)
    sizes = np.bincount(group_of, minlength=len(groups))
    sums, hidden = [], []
    for column in _BMN_COUNTS:
        values, missing = columns[column]
        total = np.zeros(len(groups), dtype=np.int64)
        np.add.at(total, group_of, values[rows])
        sums.append(total)
        hidden.append(np.bincount(group_of, weights=missing[rows], minlength=len(groups)))
    return {
        (int(y), int(i)): _VillageSums(
            int(sizes[g]),
            tuple(int(total[g]) for total in sums),
            tuple(int(count[g]) for count in hidden),
        )
        for g, key in enumerate(groups)
        for y, i in [(years[key // len(indicators)], indicators[key % len(indicators)])]
    }


def _check_bmn_village_sums(pkg: TambonPackage, bmn: pd.DataFrame) -> Iterator[Problem]:
    villages = pkg.tables.get("villages")
    village_count = len(villages) if villages is not None else None
    columns = {name: _integers(bmn[name]) for name in ("year_be", "indicator", *_BMN_COUNTS)}
    sums = _village_sums(bmn, columns)
    totals = (_text(bmn["area_level"]) == "tambon") & (_text(bmn["area_code"]) == pkg.code)
    for position in np.flatnonzero(totals):
        year, indicator = (_cell(columns[name], position) for name in ("year_be", "indicator"))
        group = sums.get((year, indicator))
        if group is None:
            continue
        complete = village_count is None or group.rows == village_count
        for column, published, hidden in zip(_BMN_COUNTS, group.sums, group.hidden, strict=True):
            total = _cell(columns[column], position)
            exact = complete and hidden == 0
            if total is None or (published == total if exact else published <= total):
                continue
            yield _problem(
                pkg, "bmn_results", bmn.index[position], column, "sum-mismatch",
                f"tambon {column} for indicator {indicator} in {year} is"
                f" {total} but its villages add up to {published} (ผลรวมไม่ตรงกัน);"
                " the tambon row must be the sum of its village rows",
            )  # fmt: skip


def _cell(column: tuple[np.ndarray, np.ndarray], position: int) -> int | None:
    """One cell of an `_integers` column: its value, or None when missing."""
    values, missing = column
    return None if missing[position] else int(values[position])


def check_income(pkg: TambonPackage) -> Iterator[Problem]:
    brackets, summary = pkg.tables.get("income_brackets"), pkg.tables.get("income_summary")
    if summary is None:
        return
    bmn = pkg.tables.get("bmn_results")
    line = _income_line_failed(pkg, bmn) if bmn is not None else None
    by_year = _brackets_by_year(brackets) if brackets is not None else None
    columns = ("year_be", "households_surveyed", "households_below_line")
    for index, year, total, expected in zip(
        summary.index, *(_values(summary[name]) for name in columns), strict=True
    ):
        if by_year is not None:
            cells = by_year.get(year, []) if year is not None else []
            households = [count for _, count in cells]
            if cells and not _sum_agrees(households, total):
                yield _problem(
                    pkg, "income_brackets", None, "households", "sum-mismatch",
                    f"income brackets of {year} add up to {_published(households)} but"
                    f" households_surveyed is {total} (ผลรวมไม่ตรงกัน); make them agree",
                )  # fmt: skip
            below = [count for bracket, count in cells if bracket in cl.BRACKETS_BELOW_LINE]
            yield from _check_below_line_brackets(pkg, index, year, expected, below)
        if line is not None and year is not None:
            failed = line.get(year, [])
            yield from _check_below_line_bmn(pkg, index, year, expected, failed)


def _brackets_by_year(brackets: pd.DataFrame) -> dict[int, list[tuple[object, int | None]]]:
    """Year -> (bracket, households) of its rows."""
    by_year: dict[int, list[tuple[object, int | None]]] = {}
    columns = (_values(brackets["year_be"]), _text(brackets["bracket"]))
    for year, bracket, count in zip(*columns, _values(brackets["households"]), strict=True):
        if year is not None:
            by_year.setdefault(year, []).append((bracket, count))
    return by_year


def _check_below_line_brackets(
    pkg: TambonPackage, index: int, year: int | None, expected: int | None,
    below: list[int | None],
) -> Iterator[Problem]:  # fmt: skip
    if expected is None or not below or None in below or _published(below) == expected:
        return
    yield _problem(
        pkg, "income_summary", index, "households_below_line", "value-mismatch",
        f"households_below_line is {expected} but the brackets under"
        f" {cl.INCOME_LINE_BAHT:,} baht hold {_published(below)} households in {year}"
        " (ข้อมูลไม่ตรงกัน); make them agree",
    )  # fmt: skip


def _income_line_failed(pkg: TambonPackage, bmn: pd.DataFrame) -> dict[int, list[int | None]]:
    """Year -> `failed` of the tambon's own BMN rows of the income indicator that year."""
    rows = (
        (_text(bmn["area_code"]) == pkg.code)
        & (_text(bmn["area_level"]) == "tambon")
        & (bmn["indicator"] == cl.INCOME_LINE_INDICATOR).to_numpy(dtype=bool, na_value=False)
    )
    failed: dict[int, list[int | None]] = {}
    years, counts = _values(bmn["year_be"][rows]), _values(bmn["failed"][rows])
    for year, count in zip(years, counts, strict=True):
        if year is not None:
            failed.setdefault(year, []).append(count)
    return failed


def _check_below_line_bmn(
    pkg: TambonPackage, index: int, year: int, expected: int | None, line: list[int | None]
) -> Iterator[Problem]:
    failed = line[0] if len(line) == 1 else None
    if expected is None or failed is None or expected == failed:
        return
    yield _problem(
        pkg, "income_summary", index, "households_below_line", "value-mismatch",
        f"households_below_line is {expected} but BMN indicator {cl.INCOME_LINE_INDICATOR}"
        f" (income ≥ {cl.INCOME_LINE_BAHT:,} baht) failed is {failed} for the tambon in"
        f" {year} (ข้อมูลไม่ตรงกัน); both count the same households: make them agree",
    )  # fmt: skip


# --- years ----------------------------------------------------------------------------------


def check_years(pkg: TambonPackage) -> Iterator[Problem]:
    latest = pkg.current_year_be + 10
    for resource, frame in pkg.tables.items():
        for column in (c for c in YEAR_FIELDS if c in frame.columns):
            years, missing = _integers(frame[column])
            for position in np.flatnonzero(~missing & (years > latest)):
                yield _problem(
                    pkg, resource, frame.index[position], column, "implausible-year",
                    f"year {int(years[position])} is more than 10 years ahead (after พ.ศ."
                    f" {latest}); check the year (Buddhist Era)",
                )  # fmt: skip
    yield from _check_dates_are_ce(pkg)
    plan = pkg.tables.get("plan")
    if plan is not None:
        for index, row in plan.iterrows():
            if _n(row["start_year_be"]) > _n(row["end_year_be"]):
                yield _problem(
                    pkg, "plan", index, "end_year_be", "value-mismatch",
                    f"the plan ends ({row['end_year_be']}) before it starts"
                    f" ({row['start_year_be']}); swap or fix the years",
                )  # fmt: skip


def _check_dates_are_ce(pkg: TambonPackage) -> Iterator[Problem]:
    """Dates are Christian Era (ISO 8601); a Thai writer often types the BE year into them."""
    for resource, frame in pkg.tables.items():
        for column in (c for c in DATE_FIELDS if c in frame.columns):
            for index, value in frame[column].items():
                match = re.match(r"^(\d{4})-", str(value))
                if match and int(match.group(1)) >= BE_DATE_FROM:
                    year = int(match.group(1))
                    yield _problem(
                        pkg, resource, index, column, "be-date",
                        f"{value} has a Buddhist Era year; dates are written in the Christian"
                        f" Era (ค.ศ.): subtract {settings.BE_OFFSET}"
                        f" (write {year - settings.BE_OFFSET}{value[4:]})",
                    )  # fmt: skip


CHECKS = (
    check_resources,
    check_descriptor_codes,
    check_tambon_row,
    check_villages,
    check_population,
    check_bmn,
    check_income,
    check_years,
)


def check_tambon_package(pkg: TambonPackage) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(pkg)]
