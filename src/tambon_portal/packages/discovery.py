"""Finding data packages in a folder tree, and the one name each is published under.

- a folder that holds a descriptor (`datapackage.json`, `.yaml` or `.yml`) is a package, and
  its sub-folders belong to it (discovery does not descend into it);
- a package is a *tambon* package when its folder name is a 6-digit code or its descriptor
  carries `tambon_code`; every other package is published as a *generic* dataset.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tambon_portal.core.urls import slug, tambon_slug
from tambon_portal.packages.descriptor_reader import DescriptorError, read_descriptor
from tambon_portal.packages.file_store import FileStore

# Looked for in this order; the first one present wins.
DESCRIPTOR_NAMES: tuple[str, ...] = ("datapackage.json", "datapackage.yaml", "datapackage.yml")

TAMBON_FOLDER = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class PackageRef:
    folder: Path  # the package folder
    descriptor_path: Path  # datapackage.json | datapackage.yaml | datapackage.yml
    kind: Literal["tambon", "generic"]
    name: str  # descriptor "name", else the folder name
    tambon_code: str | None
    # The descriptor as discovery read it, pickled (None: it could not be read). Every later
    # stage takes it from here (`descriptor_of`): one read of the file per build, and every
    # stage sees the same descriptor. Not part of the ref's identity.
    descriptor_pickle: bytes | None = field(default=None, compare=False, repr=False)


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


def package_ref(folder: Path, files: FileStore | None = None) -> PackageRef:
    """The package in `folder`; a broken descriptor does not raise (validate reports it)."""
    descriptor_path = find_descriptor(folder)
    if descriptor_path is None:
        raise DescriptorError(f"{folder}: no datapackage.json, datapackage.yaml or datapackage.yml")
    try:
        descriptor = read_descriptor(descriptor_path, files)
    except DescriptorError:
        descriptor = {}
    # Pickled: a fast deep copy per later reader, exact for what YAML gives (dates, number keys).
    frozen = pickle.dumps(descriptor, protocol=pickle.HIGHEST_PROTOCOL) if descriptor else None
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
        descriptor_pickle=frozen,
    )


def descriptor_of(ref: PackageRef) -> dict:
    """The package's descriptor, a new dict each call (callers may change it): the one read at
    discovery, else read now (raising DescriptorError as `read_descriptor` does)."""
    if ref.descriptor_pickle is not None:
        return pickle.loads(ref.descriptor_pickle)  # pickled by package_ref, in this process
    return read_descriptor(ref.descriptor_path)


def discover(root: Path, files: FileStore | None = None) -> list[PackageRef]:
    """Every package under `root` (or `root` itself), sorted by path; `files`: the store the
    build reads every data file through (`file_store`)."""
    root = Path(root)
    if not root.is_dir():
        return []
    return [package_ref(folder, files) for folder in _package_folders(root)]


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
