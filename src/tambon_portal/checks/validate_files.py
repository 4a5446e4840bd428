"""A package's files read safely, before anything else looks at them (`validate`, steps 2-3).

Each resource's paths are refused unopened when unsafe (absolute, `..`, `~`, a URL, a link out
of the package), its schema and dialect files are read with the descriptor's bounds, and its
bytes are decoded with the declared encoding; anything else is a problem naming the file and
how to fix it ("unsafe-path", "missing-file", "encoding", "invalid-descriptor"). What passes
is handed on as `Resource`, with its text, to frictionless and the other checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from tambon_portal.checks import fastcheck
from tambon_portal.core.problems import Problem
from tambon_portal.packages import descriptor_reader, table_reader
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore


@dataclass
class Resource:
    """One resource of the descriptor and what the pre-checks learned about it."""

    descriptor: dict
    position: int  # index in the descriptor's resources list
    name: str
    file: str  # relative to the data root (the first path of a multipart resource)
    text: str | None = None  # decoded CSV text, when it could be read
    refused: bool = False  # unsafe, missing or undecodable: frictionless must not see it
    problems: list[Problem] = field(default_factory=list)
    # "schema" / "dialect" given as a file, read by descriptor_reader.read_descriptor:
    # frictionless gets them inline, so it never parses a file itself (its YAML reader has
    # no bounds).
    referenced: dict[str, dict] = field(default_factory=dict)
    checked: fastcheck.CheckedTable | None = None  # read by the fast path, which found it valid


def detected_encoding(data: bytes) -> str:
    """A human name for the encoding of bytes that are not UTF-8.

    charset-normalizer guesses Hebrew or Korean for short Thai cp874 files, so Thai is tried
    first: bytes that decode as cp874 into mostly Thai letters are Thai.
    """
    try:
        text = data.decode("cp874")
        non_ascii = [ch for ch in text if ord(ch) > 127]
        thai = [ch for ch in non_ascii if "\u0e00" <= ch <= "\u0e7f"]
        if non_ascii and len(thai) >= 0.9 * len(non_ascii):
            return "cp874 (Thai Windows, also TIS-620)"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    return best.encoding if best else "unknown"


def _encoding_problem(ref: PackageRef, res: Resource, data: bytes, error: UnicodeError) -> Problem:
    found = detected_encoding(data)
    source = found.split(" ")[0].upper().replace("_", "-") if found != "unknown" else "CP874"
    return Problem(
        ref.name, res.name, res.file, None, None, "encoding",
        f"the file is not UTF-8 (byte {getattr(error, 'start', '?')}); it looks like {found}."
        f" Convert it: `iconv -f {source} -t UTF-8 in.csv > out.csv`, or in Excel save as"
        " 'CSV UTF-8 (Comma delimited)' (ไฟล์ต้องเป็น UTF-8)",
    )  # fmt: skip


def precheck(
    ref: PackageRef, root: Path, descriptor: dict, position: int, store: FileStore
) -> Resource:
    """The resource's files read (through `store`) and decoded, or why they cannot be."""
    name = str(descriptor.get("name") or f"resource {position + 1}")
    paths = descriptor_reader.resource_paths(descriptor)
    descriptor_file = relative_file(ref.descriptor_path, root)
    res = Resource(descriptor, position, name, descriptor_file)
    for reference in descriptor_reader.named_files(descriptor):
        reason = descriptor_reader.unsafe_path_reason(reference, ref.folder)
        if reason:
            res.refused = True
            res.problems.append(
                Problem(
                    ref.name,
                    name,
                    descriptor_file,
                    None,
                    None,
                    "unsafe-path",
                    f"resource '{name}' refers to {reference!r}, which was not opened: {reason}",
                )
            )
    if res.refused:
        return res
    _read_referenced(ref, root, res, store)
    if res.refused or not paths:
        return res
    res.file = relative_file(ref.folder / paths[0], root)
    texts = []
    for relative in paths:
        path = ref.folder / relative
        try:
            data = store.read(path)
        except OSError:
            res.refused = True
            res.problems.append(
                Problem(
                    ref.name,
                    name,
                    relative_file(path, root),
                    None,
                    None,
                    "missing-file",
                    f"file {relative} named by resource '{name}' is not there; add it or fix"
                    " the path in the descriptor (paths are relative to the package folder)",
                )
            )
            continue
        try:
            texts.append(data.decode(table_reader.text_encoding(descriptor)))
        except UnicodeDecodeError as error:
            res.refused = True
            res.problems.append(_encoding_problem(ref, res, data, error))
        except LookupError:  # "encoding": "no-such" (or 5): not a codec at all
            res.refused = True
            res.problems.append(
                Problem(ref.name, res.name, res.file, None, None, "encoding",
                        f"resource '{name}' declares the encoding"
                        f" {descriptor.get('encoding')!r}, which is not a known text encoding;"
                        ' declare "utf-8" and save the file as UTF-8')
            )  # fmt: skip
    if not res.refused:
        res.text = "".join(texts)
    return res


def _read_referenced(ref: PackageRef, root: Path, res: Resource, store: FileStore) -> None:
    """Reads the schema and dialect files (already found safe) with the descriptor's bounds."""
    for key, relative in descriptor_reader.referenced_files(res.descriptor).items():
        path = ref.folder / relative.strip()
        try:
            res.referenced[key] = descriptor_reader.read_descriptor(path, store)
        except descriptor_reader.DescriptorError as error:
            res.refused = True
            res.problems.append(
                Problem(ref.name, res.name, relative_file(path, root), None, None,
                        "invalid-descriptor",
                        f"the {key} of resource '{res.name}' cannot be used: {error}")
            )  # fmt: skip


def relative_file(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
