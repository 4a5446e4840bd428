"""Reading a descriptor (or a schema file it names) safely, and the rule of a safe resource path.

Every descriptor and schema file is read here, and only here, so the bounds (size, YAML
aliases, nesting) hold for every command.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tambon_portal.packages.file_store import FileStore, TooLarge

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


class PackageError(Exception):
    """A package cannot be read; the message says what is wrong and how to fix it."""


class DescriptorError(PackageError):
    """The descriptor is missing, not valid JSON/YAML, or not an object."""


class TableError(PackageError):
    """A resource cannot be loaded (unsafe path, missing file, undecodable bytes)."""


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


def _opened(node: dict | list) -> list[Any]:
    """[node, its list and object children left to count (last first), values so far (itself,
    and its keys and scalars: none of them can be an alias), deepest child so far]."""
    children = node.values() if isinstance(node, dict) else node
    nested = [child for child in children if isinstance(child, dict | list)]
    scalars = (2 * len(node) if isinstance(node, dict) else len(node)) - len(nested)
    return [node, nested[::-1], 1 + scalars, 0]


def _shape(root: Any) -> _Shape:
    """Counted without recursion, each list and object once, so a YAML bomb (a few shared
    lists that alias each other) costs its size in the file, not its expanded size. Keys and
    scalars are counted together, not one by one: they cannot alias (a key cannot be a list
    or an object), and a descriptor is mostly scalars (twice as fast on the pilots')."""
    shape = _Shape()
    if not isinstance(root, dict | list):
        shape.values, shape.depth = 1, 0
        return shape
    done: dict[int, tuple[int, int]] = {}  # id -> (expanded values, depth) of a finished node
    on_path = {id(root)}
    stack = [_opened(root)]
    result = (1, 0)
    while stack:
        entry = stack[-1]
        if entry[1]:
            child = entry[1].pop()
            if id(child) in on_path:
                shape.cyclic = True
                entry[2] += 1
            elif (known := done.get(id(child))) is not None:
                shape.aliases += 1
                entry[2] += known[0]
                entry[3] = max(entry[3], known[1])
            else:
                on_path.add(id(child))
                stack.append(_opened(child))
            continue
        stack.pop()
        node = entry[0]
        on_path.discard(id(node))
        result = done[id(node)] = (entry[2], entry[3] + 1)
        if stack:
            stack[-1][2] += result[0]
            stack[-1][3] = max(stack[-1][3], result[1])
    shape.values, shape.depth = result
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


def _read_bounded(path: Path, files: FileStore) -> bytes:
    try:
        return files.read(path, limit=MAX_DESCRIPTOR_BYTES)
    except TooLarge as err:
        raise DescriptorError(
            f"{path.name} is larger than {MAX_DESCRIPTOR_BYTES // (1024 * 1024)} MB, too large"
            " for a descriptor; keep table rows in CSV files and name them in 'resources'"
        ) from err
    except OSError as err:
        raise DescriptorError(f"{path}: cannot read the descriptor ({err.strerror})") from err


def read_descriptor(path: Path, files: FileStore | None = None) -> dict:
    """The descriptor as a dict (JSON or YAML by file extension); raises DescriptorError.

    Every descriptor and schema file is read here, and only here, so the bounds above
    (size, aliases, nesting) hold for every command.
    """
    path = Path(path)
    raw = _read_bounded(path, files or FileStore())
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
