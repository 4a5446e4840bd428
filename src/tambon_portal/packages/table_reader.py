"""Loading the tables of a package into typed pandas frames.

Every later stage (validate, aggregate, pages, downloads, catalog) starts here, so the rules of
reading a table live in one place. Tables are read with pandas' C parser, not frictionless row
iteration (about 100x faster), and typed per the resource's Table Schema. Validation
(frictionless) is a separate stage: this module assumes valid data and turns a cell it cannot
parse into a missing value.
"""

from __future__ import annotations

import functools
import io
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from tambon_portal.packages.descriptor_reader import (
    TableError,
    read_descriptor,
    resource_paths,
    unsafe_path_reason,
)
from tambon_portal.packages.discovery import PackageRef, descriptor_of
from tambon_portal.packages.file_store import FileStore

# Table Schema defaults (frictionless v5 / Table Schema v1).
DEFAULT_MISSING_VALUES: tuple[str, ...] = ("",)
DEFAULT_TRUE_VALUES: tuple[str, ...] = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES: tuple[str, ...] = ("false", "False", "FALSE", "0")
# Thai digits ๐–๙: frictionless reads "๑๒" as the integer 12 (Python's int does), so must we.
THAI_DIGIT_CHARACTERS = "๐๑๒๓๔๕๖๗๘๙"  # ๐ to ๙, read as 0 to 9
THAI_DIGITS = str.maketrans(THAI_DIGIT_CHARACTERS, "0123456789")


def normalise_heading(text: str) -> str:
    """A column heading as compared by the importer and the privacy scan.

    Case, spaces, `_`, `-` and `.` do not matter; Thai digits are digits.
    """
    text = unicodedata.normalize("NFC", str(text)).translate(THAI_DIGITS).lower()
    return re.sub(r"[\s_\-.]+", "", text)


# --- tables ----------------------------------------------------------------------------------


def _one_character(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 1


def csv_options(resource: dict) -> dict[str, Any]:
    """pandas' read_csv options from the resource's dialect; a dialect that is not an object,
    or a delimiter or quote that is not one character, is frictionless's to report: the file
    is then read with the defaults rather than crash the reader."""
    dialect = resource.get("dialect")
    dialect = dialect if isinstance(dialect, dict) else {}
    nested = dialect.get("csv")
    # frictionless v5 nests CSV options under dialect.csv; Table Dialect v1 puts them at the top.
    csv = {**dialect, **(nested if isinstance(nested, dict) else {})}
    delimiter = csv.get("delimiter", ",")
    options: dict[str, Any] = {"sep": delimiter if _one_character(delimiter) else ","}
    if _one_character(csv.get("quoteChar")):
        options["quotechar"] = csv["quoteChar"]
    if csv.get("skipInitialSpace"):
        options["skipinitialspace"] = True
    if dialect.get("header") is False:
        options["header"] = None
    return options


def text_encoding(resource: dict) -> str:
    """The codec to decode a resource's bytes with, from its declared encoding."""
    encoding = str(resource.get("encoding") or "utf-8").lower()
    # utf-8-sig drops a byte-order mark (Excel's "CSV UTF-8") and reads plain UTF-8 unchanged.
    return "utf-8-sig" if encoding.replace("_", "-") in ("utf-8", "utf8") else encoding


def _read_csv_text(resource: dict, folder: Path, files: FileStore) -> pd.DataFrame:
    frames = []
    for relative in resource_paths(resource):
        reason = unsafe_path_reason(relative, folder)
        if reason:
            raise TableError(
                f"resource '{resource.get('name')}': refusing path {relative!r}: {reason}"
            )
        path = folder / relative
        try:
            frames.append(
                pd.read_csv(
                    io.BytesIO(files.read(path)),
                    dtype=str,
                    keep_default_na=False,  # the schema's missingValues decide what is missing
                    na_filter=False,
                    encoding=text_encoding(resource),
                    **csv_options(resource),
                )
            )
        except FileNotFoundError as err:
            raise TableError(
                f"resource '{resource.get('name')}': file {relative} not found"
            ) from err
        except UnicodeDecodeError as err:
            raise TableError(
                f"resource '{resource.get('name')}': {relative} is not"
                f" {text_encoding(resource)} text;"
                " run `tambon validate` for the detected encoding and the fix"
            ) from err
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def inline_frame(data: list) -> pd.DataFrame:
    """Inline rows (objects, or arrays after a header array) as text, as a CSV would give them:
    null and an absent key are empty cells; the text "None" stays "None"."""
    if data and isinstance(data[0], dict):
        objects = [row for row in data if isinstance(row, dict)]
        header = list(dict.fromkeys(key for row in objects for key in row))
        rows = [[row.get(key) for key in header] for row in objects]
    else:
        header, rows = (list(data[0]), data[1:]) if data else ([], [])
        # A ragged or malformed row is frictionless's to report; here it is padded or cut.
        rows = [(list(row) if isinstance(row, list) else [])[: len(header)] for row in rows]
        rows = [row + [None] * (len(header) - len(row)) for row in rows]
    cells = [["" if value is None else str(value) for value in row] for row in rows]
    return pd.DataFrame(cells, columns=[str(name) for name in header], dtype=object)


# --- typing cells, as frictionless reads them ------------------------------------------------

# With bareNumber false, frictionless strips what precedes the number (any character but a
# digit or "-") and what follows its last digit: "฿1,000" is 1,000 and "12%" is 12.
_NOT_BARE = re.compile(r"((^[^-\d]*)|(\D*$))")
# What a nullable Int64 column holds; a larger integer is valid but cannot be a frame cell.
_INT64_MIN, _INT64_END = -(2**63), 2**63
TYPED_FIELDS = frozenset({"integer", "year", "number", "boolean"})

CellReader = Callable[[str], Any]


def missing_values(schema: dict, field: dict) -> list[str]:
    """The cells that are missing values in `field`: its own missingValues, else the schema's."""
    return field_missing_values(field, schema.get("missingValues", DEFAULT_MISSING_VALUES))


def _read_integer(text: str, bare: bool) -> int | None:
    text = text.strip() if bare else _NOT_BARE.sub("", text.strip())
    try:
        return int(text)  # Python's int reads Thai digits (๑๒ is 12), as frictionless does
    except ValueError:
        return None


def _read_year(text: str) -> int | None:
    if len(text) != 4:
        return None
    try:
        year = int(text)
    except ValueError:
        return None
    return year if 0 <= year <= 9999 else None


def _number_text(text: str, field: Mapping[str, Any]) -> str | None:
    """The cell as decimal text after the field's number options (None: cannot be one)."""
    if not ({"groupChar", "decimalChar", "bareNumber"} & field.keys()):
        return text
    if not field.get("bareNumber", True):
        text = _NOT_BARE.sub("", text)
    text = text.replace(str(field.get("groupChar", "")), "")
    decimal = str(field.get("decimalChar", "."))
    if decimal != "." and "." in text:
        return None
    return text.replace(decimal, ".")


def _read_number(text: str, field: Mapping[str, Any]) -> float | None:
    number = _number_text(text.strip(), field)
    if number is None:
        return None
    try:
        value = Decimal(number)  # frictionless' number type: a float only at the end
    except ArithmeticError:
        return None
    return math.nan if value.is_nan() else float(value)


def _read_boolean(text: str, values: Mapping[str, bool]) -> bool | None:
    return values.get(text)


def cell_reader(field: Mapping[str, Any]) -> CellReader:
    """The one rule of typing a cell of `field` for every output: what frictionless'
    `Field.read_cell` gives, before missing values and constraints.

    Text in, value out: integer and year an int, number a float (NaN and infinities included),
    boolean a bool, None when the text does not parse as the type; any other type (string,
    date, ...) keeps the text. groupChar, decimalChar, bareNumber, trueValues and falseValues
    are honoured, and Thai digits are digits.

    Why not frictionless itself: importing it takes 0.6-1.5 s in every command, and over the
    255,661 typed cells of the committed data its cell reader takes 1.5-2 times as long as
    `type_column` (1.5-2.1 s vs 0.9-1.1 s, best of 5), before any frame is built. Tests check
    that the two agree.
    """
    kind = field.get("type", "string")
    if kind == "integer":
        return functools.partial(_read_integer, bare=bool(field.get("bareNumber", True)))
    if kind == "year":
        return _read_year
    if kind == "number":
        return functools.partial(_read_number, field=field)
    if kind == "boolean":
        values = {str(v): False for v in field.get("falseValues", DEFAULT_FALSE_VALUES)}
        values |= {str(v): True for v in field.get("trueValues", DEFAULT_TRUE_VALUES)}
        return functools.partial(_read_boolean, values=values)
    return str


def field_missing_values(field: Mapping[str, Any], schema_missing: Sequence[str]) -> list[str]:
    """The field's own missingValues, else its schema's (as frictionless decides)."""
    return [str(v) for v in field.get("missingValues", schema_missing)]


def _frame_array(values: list[Any], kind: str) -> Any:
    """The typed values as the array of a frame column (None is missing)."""
    if kind == "number":
        return np.array([math.nan if v is None else v for v in values], dtype="float64")
    if kind == "boolean":
        return pd.array(values, dtype="boolean")
    # A valid integer beyond 64 bits is no Int64 cell: missing, like an unparseable one.
    fits = [v if v is not None and _INT64_MIN <= v < _INT64_END else None for v in values]
    return pd.array(fits, dtype="Int64")


def type_column(raw: pd.Series, field: dict, missing: list[str]) -> pd.Series:
    """One column of CSV text typed per its Table Schema field (`cell_reader`).

    string (and date, time, yearmonth, ...) stays text, so codes keep their leading zeros;
    integer and year become nullable Int64; number float64; boolean the nullable "boolean".
    Missing values ("" and "x" in tambon packages) and unparseable cells become missing.
    """
    kind = field.get("type", "string")
    if kind not in TYPED_FIELDS:
        return raw.astype(str).where(~raw.isin(missing))
    # Each distinct text is read once (a column repeats few values), then spread by code.
    codes, uniques = pd.factorize(raw.astype(str).to_numpy())
    read, skip = cell_reader(field), set(missing)
    values = [None if text in skip else read(text) for text in uniques]
    return pd.Series(_frame_array(values, kind).take(codes), index=raw.index, name=raw.name)


def typed_frame(raw: pd.DataFrame, schema: dict) -> pd.DataFrame:
    """Types the columns of an all-text frame per `schema`; columns not in it stay text."""
    out = raw.copy()
    for field in schema.get("fields", []):
        name = field.get("name")
        if name in out.columns:
            missing = field_missing_values(
                field, schema.get("missingValues", DEFAULT_MISSING_VALUES)
            )
            out[name] = type_column(out[name], field, missing)
    return out


def resource_schema(resource: dict, folder: Path, files: FileStore | None = None) -> dict:
    """The resource's schema: inline, or a safe relative path to a JSON/YAML file."""
    schema = resource.get("schema") or {}
    if isinstance(schema, str):
        reason = unsafe_path_reason(schema, folder)
        if reason:
            raise TableError(
                f"resource '{resource.get('name')}': refusing schema {schema!r}: {reason}"
            )
        schema = read_descriptor(folder / schema, files)
    return schema


def load_table(resource: dict, folder: Path, files: FileStore | None = None) -> pd.DataFrame:
    """One resource of a package as a typed frame (see `type_column`); its files are read
    through `files` (`file_store`), a new store when None."""
    files = files or FileStore()
    if "data" in resource and "path" not in resource:
        raw = inline_frame(resource["data"])
    else:
        raw = _read_csv_text(resource, folder, files)
    return typed_frame(raw, resource_schema(resource, folder, files))


def tabular_resources(descriptor: dict) -> list[dict]:
    """Resources that are tables (CSV/TSV files or inline rows), in descriptor order."""
    tables = []
    for resource in descriptor.get("resources") or []:
        if not isinstance(resource, dict):
            continue
        paths = resource_paths(resource)
        fmt = str(resource.get("format") or "").lower()
        is_csv = fmt in ("csv", "tsv") or (
            paths and all(p.lower().endswith((".csv", ".tsv")) for p in paths)
        )
        if is_csv or isinstance(resource.get("data"), list):
            tables.append(resource)
    return tables


def load_tables(ref: PackageRef, files: FileStore | None = None,
                names: Collection[str] | None = None) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Resource name -> typed frame, for every tabular resource of the package (only those
    `names`, when given).

    Raises DescriptorError or TableError (both PackageError) when the package cannot be read.
    """
    descriptor = descriptor_of(ref)
    return {
        resource_name(resource): load_table(resource, ref.folder, files)
        for resource in tabular_resources(descriptor)
        if names is None or resource_name(resource) in names
    }


def resource_name(resource: dict) -> str:
    """The resource's name, else its first file's stem (inline rows without one: "data")."""
    paths = resource_paths(resource)
    return str(resource.get("name") or (Path(paths[0]).stem if paths else "data"))


def table_name(resource: dict) -> str | None:
    """The name a resource's downloads are published under (its `urls.slug` is the file
    stem), or None when it has none of its own: inline or multipart data is published in the
    package zip only."""
    paths = resource_paths(resource)
    if len(paths) != 1:
        return None
    return str(resource.get("name") or PurePosixPath(paths[0]).stem)
