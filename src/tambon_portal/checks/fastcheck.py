"""A proof that frictionless would find nothing wrong with a package, without its row loop.

frictionless stays the reference: `proves_valid` gives the tables it read only for a package it
can prove frictionless would pass, and then `validate` skips frictionless for it; any other
package (one problem found, a feature this module does not cover, any doubt) goes to
frictionless, which explains it exactly as before. So no verdict and no message can change;
only valid packages get faster. `TAMBON_FASTCHECK=off` sends every package to frictionless
(the agreement test and `benchmarks/validate.py` use it as the reference).

How each thing frictionless does is done here, the same way, column by column:

- metadata: frictionless' own metadata validation, of the descriptor with its free text
  (titles, descriptions, keywords, the tambon's own codes) replaced by a placeholder, so the
  60 tambon packages share one check; a JSON Schema `{"type": "string"}` is all frictionless
  asks of those values. Only the profiles frictionless knows by name are covered;
- parsing: Python's csv module on the decoded text, as frictionless does, after the sniff
  of the same first 100 lines (`fast_csv`: csv.Sniffer's answer, counting only the candidate
  delimiters); only a plain comma-and-double-quote dialect is covered;
- header: the first row must be the schema's field names in order (frictionless' header
  row, its labels and its "exact" field match then all agree);
- cells: every distinct value of a column goes once through the cell reader frictionless
  builds for that field (types, Thai digits, missing values, required, pattern, enum,
  minimum/maximum, lengths ...); a column of 5,000 rows with 40 distinct values costs 40 calls;
- rows: the same width as the header (else extra/missing cells), none blank, primary key
  and unique fields without repeats, foreign keys found in the referenced resource, all on
  the typed values the readers gave (so `๒๕๖๗` and `2567` are one key, as in frictionless).

The tables it read are handed on: `typed_frame` (`fast_frames`) makes from them the frame
`table_reader.load_table` would give, so the project checks do not read the CSV files again.

What is not covered goes to frictionless: dialects, multipart or inline (`data`) resources,
other formats, encodings other than a declared UTF-8 (undeclared, frictionless guesses),
declared hash/bytes/rows/fields, `fieldsMatch`, custom profiles, `$schema`, descriptor
properties beyond the few listed below (the project's own included), a header that is not
exactly the field names, keys over types other than string and integer, a foreign key to
resource "".
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tambon_portal.checks import fast_csv
from tambon_portal.checks.fast_frames import CheckedTable, typed_frame

# typed_frame and CheckedTable live in fast_frames; named here too, where readers look for them.
__all__ = ["ENV", "OFF", "CheckedTable", "canonical", "enabled", "proves_valid", "typed_frame"]

ENV = "TAMBON_FASTCHECK"  # "off": every package goes to frictionless, the reference
OFF = "off"

_PACKAGE_KEYS = frozenset(
    {"name", "title", "description", "licenses", "sources", "keywords", "created", "version",
     "homepage", "contributors", "profile", "resources"}
)  # fmt: skip
_RESOURCE_KEYS = frozenset(
    {"name", "path", "profile", "format", "mediatype", "encoding", "title", "description",
     "schema"}
)  # fmt: skip
_SCHEMA_KEYS = frozenset({"fields", "primaryKey", "foreignKeys", "missingValues"})
_PACKAGE_PROFILES = frozenset({"data-package", "tabular-data-package"})
_RESOURCE_PROFILES = frozenset({"data-resource", "tabular-data-resource"})
# Keys are compared as frictionless compares them (tuples of typed values); over strings and
# integers that equality is plain. Numbers (Decimal NaN), dates ... are frictionless' to judge.
_KEY_TYPES = frozenset({"string", "integer"})
# Descriptor text frictionless only asks to be a string (profile {"type": "string"}), and the
# properties the project adds to a tambon descriptor (schemas.tambon_package_descriptor),
# which frictionless does not know: their text is replaced before the metadata check.
_FREE_TEXT = ("title", "description")
_PROJECT_KEYS = ("tambon_code", "district_code", "province_code", "title_en", "sample")
_TRANSLATION = re.compile(r"^(title|description)_[a-z]{2}$")  # title_en, description_en
_SIMPLE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # valid under frictionless' v1 rule
_PLACEHOLDER = "t"


def enabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() != OFF


def proves_valid(descriptor: dict, texts: Mapping[str, str]) -> dict[str, CheckedTable] | None:
    """The tables of the package (resource name -> what was read) when frictionless would
    report no error for `descriptor` (as `validate` gives it to frictionless) whose resources
    hold `texts` (resource name -> decoded CSV text); None when not proven, for frictionless
    to explain."""
    if not enabled():
        return None
    try:
        return _proof(descriptor, texts)
    except Exception:  # a case this module did not foresee: not proven, frictionless judges
        return None


# --- what is covered --------------------------------------------------------------------------


def _covered(descriptor: dict, texts: Mapping[str, str]) -> bool:
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return False
    if not set(descriptor) <= _PACKAGE_KEYS | set(_PROJECT_KEYS):
        return False
    if descriptor.get("profile", "data-package") not in _PACKAGE_PROFILES:
        return False
    if not all(isinstance(r, dict) and _covered_resource(r) for r in resources):
        return False
    names = [r["name"] for r in resources]
    return len(set(names)) == len(names) and all(name in texts for name in names)


def _covered_resource(resource: dict) -> bool:
    if not set(resource) <= _RESOURCE_KEYS:
        return False
    path, name = resource.get("path"), resource.get("name")
    if not (isinstance(path, str) and path.endswith(".csv") and isinstance(name, str) and name):
        return False
    if resource.get("format", "csv") != "csv":
        return False
    if resource.get("profile", "tabular-data-resource") not in _RESOURCE_PROFILES:
        return False
    return _is_utf8(resource.get("encoding")) and _covered_schema(resource.get("schema"))


def _is_utf8(encoding: object) -> bool:
    # Undeclared, frictionless guesses the encoding from the bytes: not covered.
    try:
        return isinstance(encoding, str) and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _covered_schema(schema: object) -> bool:
    if not isinstance(schema, dict) or not set(schema) <= _SCHEMA_KEYS:
        return False
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields or not all(isinstance(f, dict) for f in fields):
        return False
    names = [f.get("name") for f in fields]
    if not all(isinstance(n, str) and n and n == n.strip() for n in names):
        return False
    if len(set(names)) != len(names):
        return False
    types = {f["name"]: f.get("type") for f in fields}
    key = schema.get("primaryKey", [])
    if not _names_of(key, types) and key != []:
        return False
    unique = [f["name"] for f in fields if (f.get("constraints") or {}).get("unique")]
    if unique and not _names_of(unique, types):
        return False
    return all(_covered_foreign_key(fk, types) for fk in schema.get("foreignKeys", []))


def _names_of(names: object, types: Mapping[str, object]) -> bool:
    """A non-empty list of field names of this schema, each of a type keys are covered for."""
    return (
        isinstance(names, list)
        and bool(names)
        and all(isinstance(n, str) and types.get(n) in _KEY_TYPES for n in names)
    )


def _covered_foreign_key(fk: object, types: Mapping[str, object]) -> bool:
    if not isinstance(fk, dict) or not _names_of(fk.get("fields"), types):
        return False
    reference = fk.get("reference")
    if not isinstance(reference, dict) or not isinstance(reference.get("resource"), str):
        return False
    fields = reference.get("fields")
    return (
        bool(reference["resource"])  # "": the resource itself, written the short way
        and isinstance(fields, list)
        and len(fields) == len(fk["fields"])
        and all(isinstance(f, str) for f in fields)
    )


# --- metadata -----------------------------------------------------------------------------------


def canonical(descriptor: dict) -> dict:
    """The descriptor with the text frictionless only asks to be a string replaced by one
    placeholder (empty text stays empty): its metadata verdict is the original's, and the
    tambon packages, which differ only there, share it."""
    out = json.loads(json.dumps(descriptor))
    for key, value in list(out.items()):
        if key in _FREE_TEXT or key in _PROJECT_KEYS or _TRANSLATION.match(key):
            out[key] = _placeholder(value)
    if isinstance(out.get("name"), str) and _SIMPLE_NAME.match(out["name"]):
        out["name"] = "p"
    if isinstance(out.get("keywords"), list):
        out["keywords"] = [_placeholder(k) for k in out["keywords"]]
    for key in ("sources", "licenses"):
        for item in out.get(key) or []:
            if isinstance(item, dict) and "title" in item:
                item["title"] = _placeholder(item["title"])
    for resource in out.get("resources") or []:
        if isinstance(resource, dict):
            for key in _FREE_TEXT:
                if key in resource:
                    resource[key] = _placeholder(resource[key])
    return out


def _placeholder(value: Any) -> Any:
    return _PLACEHOLDER if isinstance(value, str) and value else value


_METADATA: dict[str, dict[str, list] | None] = {}  # canonical JSON -> readers, or None: invalid
_METADATA_KEPT = 256  # descriptor shapes remembered (a run of the pilots has one)


def _readers(descriptor: dict) -> dict[str, list] | None:
    """Resource name -> frictionless' cell reader of each field, when frictionless finds the
    descriptor's metadata valid (the checks `Package.validate` and `Resource.validate` make
    before reading a row); None when it does not. Memoised per canonical descriptor."""
    key = json.dumps(canonical(descriptor), sort_keys=True, ensure_ascii=False)
    if key not in _METADATA:
        if len(_METADATA) >= _METADATA_KEPT:
            _METADATA.clear()  # a long test run sees many shapes; one run of validate a few
        _METADATA[key] = _frictionless_readers(json.loads(key))
    return _METADATA[key]


class _Remembering:
    """A frictionless cell reader that keeps its verdict on each text: its verdict depends on
    the text alone, and the readers of one descriptor shape serve every package of that shape
    (the 60 pilots repeat most of their texts: 85,000 reader calls become 25,000)."""

    def __init__(self, reader: Callable[[Any], tuple[Any, Any]]) -> None:
        self.reader = reader
        self.verdicts: dict[str, tuple[Any, Any]] = {}

    def __call__(self, value: str) -> tuple[Any, Any]:
        verdict = self.verdicts.get(value)
        if verdict is None:
            verdict = self.verdicts[value] = self.reader(value)
        return verdict


def _frictionless_readers(descriptor: dict) -> dict[str, list] | None:
    from frictionless import FrictionlessException, Package  # slow import, only when needed

    try:
        package = Package(descriptor)
        package.to_descriptor(validate=True)
        readers = {}
        for resource in package.resources:
            resource.to_descriptor(validate=True)
            readers[resource.name] = [
                _Remembering(f.create_cell_reader()) for f in resource.schema.fields
            ]
    except FrictionlessException:
        return None
    return readers


# --- data ---------------------------------------------------------------------------------------


def _typed_columns(raw: list[Sequence[str]], readers: list) -> list[list[Any]] | None:
    """Each column's cells as frictionless types them, or None at the first cell it would
    not accept. One reader call per distinct value: a cell's verdict depends on it alone."""
    typed_columns = []
    for column, reader in zip(raw, readers, strict=True):
        typed = {}
        for value in set(column):
            target, notes = reader(value)
            if notes:
                return None
            typed[value] = target
        typed_columns.append([typed[value] for value in column])
    return typed_columns


@dataclass
class _Table:
    schema: dict
    names: list[str]
    header: list[str]
    rows: list[list[str]]
    raw: list[Sequence[str]]  # the rows' text, by field
    columns: list[list[Any]]  # typed, by field

    @property
    def types(self) -> dict[str, object]:
        return {f["name"]: f.get("type") for f in self.schema["fields"]}

    def column(self, name: str) -> list[Any]:
        return self.columns[self.names.index(name)]

    def keys(self, names: Sequence[str]) -> list[tuple]:
        return list(zip(*(self.column(n) for n in names), strict=True))


def _read_table(resource: dict, text: str, readers: list) -> _Table | None:
    rows = fast_csv.parse(text)
    names = [f["name"] for f in resource["schema"]["fields"]]
    if not rows or rows[0] != names or any(len(row) != len(names) for row in rows):
        return None  # header or width off: frictionless explains
    raw = list(zip(*rows[1:], strict=True)) if len(rows) > 1 else [() for _ in names]
    columns = _typed_columns(raw, readers)
    if columns is None:
        return None
    return _Table(resource["schema"], names, rows[0], rows[1:], raw, columns)


def _no_blank_row(table: _Table) -> bool:
    if any(all(v is not None for v in column) for column in table.columns):
        return True  # a column without a blank cell: no row is all blank
    return all(any(v is not None for v in row) for row in zip(*table.columns, strict=True))


def _no_repeats(keys: Iterable[tuple]) -> bool:
    seen = set()
    for key in keys:
        if key in seen:
            return False
        seen.add(key)
    return True


def _keys_hold(table: _Table) -> bool:
    """Primary key and unique fields as frictionless checks them: no key all empty, no repeat."""
    key = table.schema.get("primaryKey") or []
    if key:
        keys = table.keys(key)
        if any(all(v is None for v in k) for k in keys) or not _no_repeats(keys):
            return False
    for field in table.schema["fields"]:
        if (field.get("constraints") or {}).get("unique"):
            values = [(v,) for v in table.column(field["name"]) if v is not None]
            if not _no_repeats(values):
                return False
    return True


def _references_hold(table: _Table, tables: Mapping[str, _Table]) -> bool:
    """Every foreign key's typed values (not all empty) are in the referenced resource."""
    for fk in table.schema.get("foreignKeys", []):
        reference = fk["reference"]
        source = tables.get(reference["resource"])  # the table itself too, as in frictionless
        if source is None or not _names_of(reference["fields"], source.types):
            return False
        lookup = {k for k in source.keys(reference["fields"]) if set(k) != {None}}
        if any(k not in lookup for k in table.keys(fk["fields"]) if set(k) != {None}):
            return False
    return True


def _proof(descriptor: dict, texts: Mapping[str, str]) -> dict[str, CheckedTable] | None:
    if not _covered(descriptor, texts):
        return None
    readers = _readers(descriptor)
    if readers is None:
        return None
    tables: dict[str, _Table] = {}
    for resource in descriptor["resources"]:
        table = _read_table(resource, texts[resource["name"]], readers[resource["name"]])
        if table is None or not _no_blank_row(table) or not _keys_hold(table):
            return None
        tables[resource["name"]] = table
    if not all(_references_hold(table, tables) for table in tables.values()):
        return None
    return {
        name: CheckedTable(t.header, t.rows, _plain(texts[name], t), t.raw)
        for name, t in tables.items()
    }


def _plain(text: str, table: _Table) -> bool:
    """Whether pandas' C parser reads the same cells as the csv module: a text without quotes
    or lone \r, or one written exactly as the csv module writes these rows (RFC 4180)."""
    if '"' not in text and "\r" not in text.replace("\r\n", ""):
        return True
    written = io.StringIO()
    csv.writer(written, lineterminator="\r\n" if "\r\n" in text else "\n").writerows(
        [table.header, *table.rows]
    )
    return written.getvalue() == text
