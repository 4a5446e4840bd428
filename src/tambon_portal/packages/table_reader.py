"""Loading the tables of a package into typed pandas frames.

Every later stage (validate, aggregate, pages, downloads, catalog) starts here, so the rules of
reading a table live in one place. Tables are read with pandas' C parser, not frictionless row
iteration (about 100x faster), and typed per the resource's Table Schema. Validation
(frictionless) is a separate stage: this module assumes valid data and turns a cell it cannot
parse into a missing value.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from tambon_portal.packages.descriptor_reader import (
    TableError,
    read_descriptor,
    resource_paths,
    unsafe_path_reason,
)
from tambon_portal.packages.discovery import PackageRef

# Table Schema defaults (frictionless v5 / Table Schema v1).
DEFAULT_MISSING_VALUES: tuple[str, ...] = ("",)
DEFAULT_TRUE_VALUES: tuple[str, ...] = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES: tuple[str, ...] = ("false", "False", "FALSE", "0")
# Thai digits ๐–๙: frictionless reads "๑๒" as the integer 12 (Python's int does), so must we.
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


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


def _read_csv_text(resource: dict, folder: Path) -> pd.DataFrame:
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
                    path,
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


def missing_values(schema: dict, field: dict) -> list[str]:
    """The cells that are missing values in `field`: its own missingValues, else the schema's."""
    values = field.get("missingValues", schema.get("missingValues", DEFAULT_MISSING_VALUES))
    return [str(v) for v in values]


def _as_integer(raw: pd.Series, field: dict) -> pd.Series:
    if field.get("bareNumber", True) is False:
        raw = raw.str.replace(r"[^\d+-]", "", regex=True)
    return pd.to_numeric(raw, errors="coerce").astype("Int64")


def _as_number(raw: pd.Series, field: dict) -> pd.Series:
    text = raw
    if field.get("groupChar"):
        text = text.str.replace(field["groupChar"], "", regex=False)
    if field.get("decimalChar", ".") != ".":
        text = text.str.replace(field["decimalChar"], ".", regex=False)
    if field.get("bareNumber", True) is False:
        text = text.str.replace(r"[^\d.eE+-]", "", regex=True)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _as_boolean(raw: pd.Series, field: dict) -> pd.Series:
    true_values = set(field.get("trueValues", DEFAULT_TRUE_VALUES))
    false_values = set(field.get("falseValues", DEFAULT_FALSE_VALUES))
    mapped = raw.map(lambda v: True if v in true_values else False if v in false_values else None)
    return mapped.astype("boolean")


def type_column(raw: pd.Series, field: dict, missing: list[str]) -> pd.Series:
    """One column of CSV text typed per its Table Schema field.

    string (and date, time, yearmonth, ...) stays text, so codes keep their leading zeros;
    integer and year become nullable Int64; number float64; boolean the nullable "boolean".
    Missing values ("" and "x" in tambon packages) and unparseable cells become missing.
    """
    text = raw.astype(str).where(~raw.isin(missing))
    field_type = field.get("type", "string")
    if field_type in ("integer", "year"):
        return _as_integer(text.str.translate(THAI_DIGITS), field)
    if field_type == "number":
        return _as_number(text.str.translate(THAI_DIGITS), field)
    if field_type == "boolean":
        return _as_boolean(text, field)
    return text


def typed_frame(raw: pd.DataFrame, schema: dict) -> pd.DataFrame:
    """Types the columns of an all-text frame per `schema`; columns not in it stay text."""
    out = raw.copy()
    for field in schema.get("fields", []):
        name = field.get("name")
        if name in out.columns:
            out[name] = type_column(out[name], field, missing_values(schema, field))
    return out


def resource_schema(resource: dict, folder: Path) -> dict:
    """The resource's schema: inline, or a safe relative path to a JSON/YAML file."""
    schema = resource.get("schema") or {}
    if isinstance(schema, str):
        reason = unsafe_path_reason(schema, folder)
        if reason:
            raise TableError(
                f"resource '{resource.get('name')}': refusing schema {schema!r}: {reason}"
            )
        schema = read_descriptor(folder / schema)
    return schema


def load_table(resource: dict, folder: Path) -> pd.DataFrame:
    """One resource of a package as a typed frame (see `type_column`)."""
    if "data" in resource and "path" not in resource:
        raw = inline_frame(resource["data"])
    else:
        raw = _read_csv_text(resource, folder)
    return typed_frame(raw, resource_schema(resource, folder))


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


def load_tables(ref: PackageRef) -> dict[str, pd.DataFrame]:
    """Resource name -> typed frame, for every tabular resource of the package.

    Raises DescriptorError or TableError (both PackageError) when the package cannot be read.
    """
    descriptor = read_descriptor(ref.descriptor_path)
    return {
        resource_name(resource): load_table(resource, ref.folder)
        for resource in tabular_resources(descriptor)
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
