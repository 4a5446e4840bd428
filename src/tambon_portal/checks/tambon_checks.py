"""Project checks of a tambon package beyond what a Table Schema can say.

Frictionless checks each table against its schema; these check that the tables agree with
the gazetteer, with each other and with the folder they sit in (villages add up to the
tambon, BMN passed + failed = surveyed, ...). They are pure functions of typed frames (from
`packages.load_tables`), run only on tables frictionless found clean, so one bad cell gives
one problem instead of a cascade of sums that no longer add up.

The checks live in four modules: `tambon_package` (the package and the helpers they share),
`tambon_sums` (parts that add up to totals), `plan_checks` (projects' money and status
history) and this one (resources, codes, names, villages, years), which runs them all and
names what other modules use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd

from tambon_portal.checks import plan_checks
from tambon_portal.checks.disclosure_audit import check_disclosure
from tambon_portal.checks.tambon_package import FIRST_DATA_ROW, TambonPackage, integers, n, problem
from tambon_portal.checks.tambon_sums import check_bmn, check_income, check_population
from tambon_portal.core import gazetteer, schemas, settings
from tambon_portal.core.problems import Problem

__all__ = [
    "BE_DATE_FROM", "CHECKS", "DATE_FIELDS", "FIRST_DATA_ROW", "YEAR_FIELDS", "TambonPackage",
    "check_tambon_package", "schema_difference",
]  # fmt: skip

YEAR_FIELDS = ("year_be", "start_year_be", "end_year_be")
DATE_FIELDS = ("reference_date", "adopted_date", "status_date")
BE_DATE_FROM = 2400  # a date year this large is a Buddhist Era year typed into a CE date


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
        if name not in resources and name in schemas.OPTIONAL_RESOURCES:
            continue
        if name not in resources:
            yield problem(
                pkg, None, None, None, "missing-resource",
                f"resource '{name}' ({schemas.RESOURCE_TITLES[name][0]}) is missing; every tambon"
                f" package has all of {', '.join(schemas.REQUIRED_RESOURCES)}: add data/{name}.csv"
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
        yield problem(
            pkg, None, None, "tambon_code", "unknown-tambon-code",
            f"tambon code {code} is not in the gazetteer (รหัสตำบลไม่มีในทะเบียน); use the"
            " 6-digit DOPA code of the tambon",
        )  # fmt: skip
    declared = pkg.descriptor.get("tambon_code")
    folder_code = pkg.folder_name if re.fullmatch(r"\d{6}", pkg.folder_name) else None
    if folder_code and declared is not None and str(declared) != folder_code:
        yield problem(
            pkg, None, None, "tambon_code", "code-mismatch",
            f"the descriptor says tambon_code {declared} but the folder is named"
            f" {folder_code} (รหัสไม่ตรงกัน); rename the folder or fix the code",
        )  # fmt: skip
    for key, length in (("district_code", 4), ("province_code", 2)):
        value = pkg.descriptor.get(key)
        if value is not None and str(value) != code[:length]:
            yield problem(
                pkg, None, None, key, "code-mismatch",
                f"the descriptor says {key} {value} but tambon {code} is in {code[:length]}"
                " (รหัสไม่ตรงกัน); fix the code",
            )  # fmt: skip
    name = str(pkg.descriptor.get("name") or "")
    named_codes = re.findall(r"(?<!\d)\d{6}(?!\d)", name)
    if named_codes and named_codes != [code]:
        yield problem(
            pkg, None, None, "name", "code-mismatch",
            f"the package name '{name}' names tambon {named_codes[0]} but the package is"
            f" tambon {code} (รหัสไม่ตรงกัน); name it tambon-{code}",
        )  # fmt: skip


def check_tambon_row(pkg: TambonPackage) -> Iterator[Problem]:
    frame = pkg.tables.get("tambon")
    if frame is None:
        return
    if len(frame) != 1:
        yield problem(
            pkg, "tambon", None, None, "row-count",
            f"the tambon table has {len(frame)} rows; it must have exactly one (this tambon)",
        )  # fmt: skip
        if frame.empty:
            return
    row = frame.iloc[0]
    code = str(row["tambon_code"])
    place = gazetteer.tambon(code)
    if place is None:
        yield problem(
            pkg, "tambon", 0, "tambon_code", "unknown-tambon-code",
            f"tambon code {code} is not in the gazetteer (รหัสตำบลไม่มีในทะเบียน); use the"
            " 6-digit DOPA code of the tambon",
        )  # fmt: skip
    elif code != pkg.code:
        yield problem(
            pkg, "tambon", 0, "tambon_code", "code-mismatch",
            f"the table says tambon {code} but the package is tambon {pkg.code}"
            " (รหัสไม่ตรงกัน); one of them is wrong: fix it so all agree",
        )  # fmt: skip
    for column, length in (("district_code", 4), ("province_code", 2)):
        if str(row[column]) != code[:length]:
            yield problem(
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
                yield problem(
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
        number = n(row["village_no"])
        expected = f"{row['tambon_code']}{number:02d}" if number is not None else None
        if expected and row["village_code"] != expected:
            yield problem(
                pkg, "villages", index, "village_code", "code-mismatch",
                f"village code {row['village_code']} should be the tambon code and the 2-digit"
                f" หมู่ที่ ({expected}); fix the code or village_no",
            )  # fmt: skip
        if row["tambon_code"] != pkg.code:
            yield problem(
                pkg, "villages", index, "tambon_code", "code-mismatch",
                f"village row has tambon code {row['tambon_code']}, the package is tambon"
                f" {pkg.code} (รหัสไม่ตรงกัน); fix the code",
            )  # fmt: skip
    numbers = sorted(int(number) for number in villages["village_no"].dropna())
    gaps = sorted(set(range(1, (max(numbers) if numbers else 0) + 1)) - set(numbers))
    if gaps:
        yield problem(
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
    if n(row["villages"]) != len(villages):
        yield problem(
            pkg, "tambon", 0, "villages", "count-mismatch",
            f"tambon says {n(row['villages'])} villages but the villages table has"
            f" {len(villages)} rows (จำนวนหมู่บ้านไม่ตรงกัน); make them agree",
        )  # fmt: skip
    for column in ("households", "population"):
        total = int(villages[column].sum())
        if n(row[column]) != total:
            yield problem(
                pkg, "tambon", 0, column, "sum-mismatch",
                f"tambon {column} is {n(row[column])} but its villages add up to {total}"
                " (ผลรวมไม่ตรงกัน); the tambon figure must be the sum of its villages",
            )  # fmt: skip


# --- years ----------------------------------------------------------------------------------


def check_years(pkg: TambonPackage) -> Iterator[Problem]:
    latest = pkg.current_year_be + 10
    for resource, frame in pkg.tables.items():
        for column in (c for c in YEAR_FIELDS if c in frame.columns):
            years, missing = integers(frame[column])
            for position in np.flatnonzero(~missing & (years > latest)):
                yield problem(
                    pkg, resource, frame.index[position], column, "implausible-year",
                    f"year {int(years[position])} is more than 10 years ahead (after พ.ศ."
                    f" {latest}); check the year (Buddhist Era)",
                )  # fmt: skip
    yield from _check_dates_are_ce(pkg)
    plan = pkg.tables.get("plan")
    if plan is not None:
        for index, row in plan.iterrows():
            if n(row["start_year_be"]) > n(row["end_year_be"]):
                yield problem(
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
                    yield problem(
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
    *plan_checks.CHECKS,
    check_disclosure,  # last: the sums above hold the totals it relies on
)


def check_tambon_package(pkg: TambonPackage, *, audit: bool = True) -> list[Problem]:
    """Every check of `CHECKS` on `pkg`; `audit=False`: all but the disclosure audit."""
    checks = CHECKS if audit else tuple(c for c in CHECKS if c is not check_disclosure)
    return [found for check in checks for found in check(pkg)]
