"""Finding data packages in a folder tree and loading their tables into typed pandas frames.

Every later stage (validate, aggregate, pages, downloads, catalog) starts here, so the rules of
reading a package live in one place:

- a folder that holds a descriptor (`datapackage.json`, `.yaml` or `.yml`) is a package, and
  its sub-folders belong to it (discovery does not descend into it);
- a package is a *tambon* package when its folder name is a 6-digit code or its descriptor
  carries `tambon_code`; every other package is published as a *generic* dataset;
- tables are read with pandas' C parser, not frictionless row iteration (about 100× faster),
  and typed per the resource's Table Schema. Validation (frictionless) is a separate stage:
  this module assumes valid data and turns a cell it cannot parse into a missing value.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml

# Looked for in this order; the first one present wins.
DESCRIPTOR_NAMES: tuple[str, ...] = ("datapackage.json", "datapackage.yaml", "datapackage.yml")

TAMBON_FOLDER = re.compile(r"^\d{6}$")
# A scheme such as http:, https:, ftp:, file:, s3: (two letters or more, so C: is not one).
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")

# Bounds on a descriptor (or a schema file it names), checked before anything else reads it:
# the largest committed descriptor is about 34 kB, while a YAML "billion laughs" of 1 kB
# expands through its aliases (*name) to 400 million values and took validate to 4 GiB.
MAX_DESCRIPTOR_BYTES = 4 * 1024 * 1024
MAX_DESCRIPTOR_VALUES = 1_000_000  # after expanding YAML aliases
MAX_YAML_ALIASES = 100  # reuses of an anchored list or mapping; a descriptor needs a handful
MAX_DESCRIPTOR_DEPTH = 100  # a Table Schema inside a descriptor is about 8 levels deep
# libyaml's parser (and its flow and block nesting cap) is about 5x faster than PyYAML's.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


class PackageError(Exception):
    """A package cannot be read; the message says what is wrong and how to fix it."""


class DescriptorError(PackageError):
    """The descriptor is missing, not valid JSON/YAML, or not an object."""


class TableError(PackageError):
    """A resource cannot be loaded (unsafe path, missing file, undecodable bytes)."""


@dataclass(frozen=True)
class PackageRef:
    folder: Path  # the package folder
    descriptor_path: Path  # datapackage.json | datapackage.yaml | datapackage.yml
    kind: Literal["tambon", "generic"]
    name: str  # descriptor "name", else the folder name
    tambon_code: str | None


# --- discovery -------------------------------------------------------------------------------


def find_descriptor(folder: Path) -> Path | None:
    for name in DESCRIPTOR_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _package_folders(folder: Path) -> Iterator[Path]:
    if find_descriptor(folder):
        yield folder
        return  # the package owns its sub-folders (data/, scripts/, ...)
    for child in sorted(folder.iterdir()):
        # Hidden folders (.git, .cache) never hold published packages; a linked folder is not
        # followed: it leads out of the data tree (or round in a loop, without end).
        if child.is_dir() and not child.is_symlink() and not child.name.startswith("."):
            yield from _package_folders(child)


def package_ref(folder: Path) -> PackageRef:
    """The package in `folder`; a broken descriptor does not raise (validate reports it)."""
    descriptor_path = find_descriptor(folder)
    if descriptor_path is None:
        raise DescriptorError(f"{folder}: no datapackage.json, datapackage.yaml or datapackage.yml")
    try:
        descriptor = read_descriptor(descriptor_path)
    except DescriptorError:
        descriptor = {}
    declared_code = descriptor.get("tambon_code")
    folder_is_code = bool(TAMBON_FOLDER.match(folder.name))
    if declared_code is not None:
        tambon_code: str | None = str(declared_code)
    else:
        tambon_code = folder.name if folder_is_code else None
    is_tambon = folder_is_code or declared_code is not None
    name = descriptor.get("name")
    return PackageRef(
        folder=folder,
        descriptor_path=descriptor_path,
        kind="tambon" if is_tambon else "generic",
        name=name if isinstance(name, str) and name else folder.name,
        tambon_code=tambon_code,
    )


def discover(root: Path) -> list[PackageRef]:
    """Every package under `root` (or `root` itself), sorted by path."""
    root = Path(root)
    if not root.is_dir():
        return []
    return [package_ref(folder) for folder in _package_folders(root)]


# --- published addresses ---------------------------------------------------------------------

# A slug is one lowercase path segment: lowercase so that two names differing only in case do
# not share a folder on a case-insensitive disk (a copy of the site on Windows or macOS).
_NOT_IN_SLUG = re.compile(r"[^a-z0-9._-]+")
SLUG_FALLBACK = "package"  # a name with nothing left (all Thai, all punctuation)
TAMBON_SLUG_PREFIX = "tambon-"


def slug(text: str) -> str:
    """`text` as one path segment of a URL: the rule of every published address.

    Lowercased; every run of characters other than a-z, 0-9, `.`, `_` and `-` (a `/`, a
    space, Thai letters) becomes one `-`; leading and trailing `.` and `-` are dropped (no
    hidden file, no `..`); nothing left gives "package". So `water/data`, `water data` and
    `Water-Data` are all `water-data`: `tambon validate` refuses such a pair (name-collision).
    """
    cleaned = _NOT_IN_SLUG.sub("-", text.lower()).strip(".-")
    return cleaned or SLUG_FALLBACK


def tambon_slug(code: str) -> str:
    """The published name of the package of tambon `code`: tambon-<code>."""
    return slug(f"{TAMBON_SLUG_PREFIX}{code}")


def published_slug(ref: PackageRef) -> str:
    """The one name a package is published under: its folder of downloads/<slug>/, its
    dataset page datasets/<slug>/ and its CKAN file api/3/action/package_show/<slug>.json.

    A tambon package is published by its code (`tambon_slug`), whatever its descriptor calls
    it, like its page tambon/<code>/ and its API file api/v1/tambons/<code>.json; any other
    package by `slug` of its name (the descriptor's `name`, else its folder's name).
    """
    if ref.kind == "tambon" and ref.tambon_code:
        return tambon_slug(ref.tambon_code)
    return slug(ref.name)


# --- descriptors -----------------------------------------------------------------------------


def _nested_too_deeply(path: Path) -> DescriptorError:
    return DescriptorError(
        f"{path.name} is nested too deeply (more than {MAX_DESCRIPTOR_DEPTH} levels of lists"
        " and objects); a data package descriptor needs about 8"
    )


def _unreadable_value(path: Path, err: ValueError) -> DescriptorError:
    if "integer string conversion" in str(err):
        return DescriptorError(
            f"{path.name} holds a number of more than {sys.get_int_max_str_digits():,} digits;"
            " write it in quotes, as text"
        )
    return DescriptorError(
        f"{path.name} holds a value that cannot be read ({err}); write it in quotes, as text"
    )


def _parse_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DescriptorError(
            f"{path.name} is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}"
            " (check for a missing comma or quote, or a trailing comma)"
        ) from err


def _parse_yaml(text: str, path: Path) -> Any:
    try:
        return yaml.load(text, Loader=_YAML_LOADER)  # a SafeLoader: no Python objects
    except yaml.YAMLError as err:
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        if "nesting depth" in problem:  # libyaml's own cap (1000 levels)
            raise _nested_too_deeply(path) from err
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DescriptorError(
            f"{path.name} is not valid YAML: {problem}{where}"
            " (check the indentation and that values with ':' are quoted)"
        ) from err


@dataclass
class _Shape:
    """What a parsed descriptor would be if every YAML alias were written out in full."""

    values: int = 0  # scalars, lists and objects, each alias counted again in full
    depth: int = 0  # deepest nesting of lists and objects
    aliases: int = 0  # a list or object met again: only a YAML alias makes one
    cyclic: bool = False  # an anchor used inside itself (&a [*a])


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    return list(value) if isinstance(value, list) else []


def _shape(root: Any) -> _Shape:
    """Counted without recursion, each list and object once, so a YAML bomb (a few shared
    lists that alias each other) costs its size in the file, not its expanded size."""
    shape = _Shape()
    done: dict[int, tuple[int, int]] = {}  # id -> (expanded values, depth) of a finished node
    on_path: set[int] = set()
    stack: list[tuple[Any, list[Any], list[int]]] = []  # node, children left, [values, depth]

    def visit(value: Any) -> tuple[int, int] | None:
        """The node's (values, depth) when known now; else it is pushed to be counted."""
        if not isinstance(value, dict | list):
            return (1, 0)
        key = id(value)
        if key in on_path:
            shape.cyclic = True
            return (1, 0)
        if key in done:
            shape.aliases += 1
            return done[key]
        on_path.add(key)
        stack.append((value, _children(value)[::-1], [1, 0]))
        return None

    result = visit(root)
    while stack:
        node, left, totals = stack[-1]
        if left:
            child = visit(left.pop())
            if child is not None:
                totals[0] += child[0]
                totals[1] = max(totals[1], child[1])
            continue
        stack.pop()
        on_path.discard(id(node))
        result = done[id(node)] = (totals[0], totals[1] + 1)
        if stack:
            parent = stack[-1][2]
            parent[0] += result[0]
            parent[1] = max(parent[1], result[1])
    shape.values, shape.depth = result or (1, 0)
    return shape


def _check_shape(descriptor: Any, path: Path) -> None:
    """Refuses what would exhaust memory or the stack of whatever reads the descriptor next
    (frictionless' JSON Schema check walks every value of every alias)."""
    shape = _shape(descriptor)
    if shape.cyclic:
        raise DescriptorError(
            f"{path.name} refers to itself through a YAML alias (an anchor &name used inside"
            " itself as *name); write the value out instead"
        )
    if shape.depth > MAX_DESCRIPTOR_DEPTH:
        raise _nested_too_deeply(path)
    if shape.aliases > MAX_YAML_ALIASES:
        raise DescriptorError(
            f"{path.name} uses YAML aliases (*name) {shape.aliases:,} times; at most"
            f" {MAX_YAML_ALIASES} are accepted: write the values out instead"
        )
    if shape.values > MAX_DESCRIPTOR_VALUES:
        raise DescriptorError(
            f"{path.name} holds {shape.values:,} values once its YAML aliases (*name) are"
            f" written out, more than the {MAX_DESCRIPTOR_VALUES:,} accepted (a 'billion"
            " laughs' alias bomb?); write the values out, and keep table rows in CSV files"
        )


def _read_bounded(path: Path) -> bytes:
    # In pieces: read(MAX_DESCRIPTOR_BYTES + 1) would set aside 4 MB for every 30 kB file.
    pieces: list[bytes] = []
    size = 0
    try:
        with path.open("rb") as file:
            while size <= MAX_DESCRIPTOR_BYTES and (piece := file.read(64 * 1024)):
                pieces.append(piece)
                size += len(piece)
    except OSError as err:
        raise DescriptorError(f"{path}: cannot read the descriptor ({err.strerror})") from err
    raw = b"".join(pieces)
    if len(raw) > MAX_DESCRIPTOR_BYTES:
        raise DescriptorError(
            f"{path.name} is larger than {MAX_DESCRIPTOR_BYTES // (1024 * 1024)} MB, too large"
            " for a descriptor; keep table rows in CSV files and name them in 'resources'"
        )
    return raw


def read_descriptor(path: Path) -> dict:
    """The descriptor as a dict (JSON or YAML by file extension); raises DescriptorError.

    Every descriptor and schema file is read here, and only here, so the bounds above
    (size, aliases, nesting) hold for every command.
    """
    path = Path(path)
    raw = _read_bounded(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DescriptorError(
            f"{path.name} is not UTF-8 text (byte {err.start}); save it as UTF-8"
        ) from err
    parse = _parse_json if path.suffix == ".json" else _parse_yaml
    try:
        descriptor = parse(text, path)
    except RecursionError as err:  # json (and PyYAML) recurse once per level of nesting
        raise _nested_too_deeply(path) from err
    except ValueError as err:  # a value the parser cannot make: a 5,000-digit number, 2024-13-45
        raise _unreadable_value(path, err) from err
    _check_shape(descriptor, path)
    if not isinstance(descriptor, dict):
        raise DescriptorError(
            f"{path.name} must hold an object with a 'resources' list,"
            f" not a {type(descriptor).__name__}"
        )
    return descriptor


# --- resource paths --------------------------------------------------------------------------


def unsafe_path_reason(path: str, folder: Path | None = None) -> str | None:
    """Why a resource path must not be opened, or None when it stays inside the package.

    A package is published as it is, so a path that reaches outside it (absolute, `..`, `~`)
    or to the network (a URL) could leak another file or fetch at build time. Given the
    package `folder`, a path is also refused when a symbolic link on it leads out of the
    folder (a link committed as data/x.csv -> /etc/passwd would otherwise be published).
    """
    reason = _unsafe_text_reason(path)
    if reason is None and folder is not None:
        target, inside = (Path(folder) / path.strip()).resolve(), Path(folder).resolve()
        if not target.is_relative_to(inside):
            return "it is a symbolic link out of the package folder; copy the file in instead"
    return reason


def _unsafe_text_reason(path: str) -> str | None:
    if not isinstance(path, str) or not path.strip():
        return "the path is empty"
    text = path.strip()
    if _URL_SCHEME.match(text) and not _WINDOWS_DRIVE.match(text):
        return "it is a URL; copy the file into the package folder and give its relative path"
    if text.startswith("~"):
        return "it starts with '~' (a home folder); give a path relative to the package folder"
    if text.startswith(("/", "\\")) or _WINDOWS_DRIVE.match(text):
        return "it is an absolute path; give a path relative to the package folder"
    if ".." in re.split(r"[\\/]", text):
        return "it contains '..' and leaves the package folder; keep every file inside it"
    return None


def resource_paths(resource: dict) -> list[str]:
    """The resource's path(s) as given (a multipart resource has a list)."""
    path = resource.get("path")
    if path is None:
        return []
    return [str(p) for p in path] if isinstance(path, list) else [str(path)]


def referenced_files(resource: dict) -> dict[str, str]:
    """The resource's "schema" and "dialect" when they name a file rather than being inline."""
    return {k: resource[k] for k in ("schema", "dialect") if isinstance(resource.get(k), str)}


def named_files(resource: dict) -> list[str]:
    """Every file a resource names, as written: its data path(s), schema and dialect files."""
    return [*resource_paths(resource), *referenced_files(resource).values()]


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
