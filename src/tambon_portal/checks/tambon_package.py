"""One tambon package as the project checks see it, and the helpers they share.

`TambonPackage` carries the typed frames of the tables frictionless found clean; `problem`
names a problem by resource, row (as frictionless counts rows) and field. The column helpers
give a frame's integer and text columns as numpy arrays and Python lists: the checks look at
a few hundred cells of each package, where a pandas operation costs more than the cells.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tambon_portal.checks.validate_files import relative_file
from tambon_portal.core.problems import Problem
from tambon_portal.packages import discovery, table_reader
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore

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


def problem(pkg: TambonPackage, resource: str | None, index: int | None, column: str | None,
             code: str, message: str) -> Problem:  # fmt: skip
    file = pkg.files.get(resource, pkg.descriptor_file) if resource else pkg.descriptor_file
    row = None if index is None else int(index) + FIRST_DATA_ROW
    return Problem(pkg.package, resource, file, row, column, code, message)


def n(value: object) -> int | None:
    """A typed cell as an integer, None when missing."""
    return None if value is None or pd.isna(value) else int(value)


def integers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values with 0 for missing, whether missing) of an Int64 column, as numpy arrays."""
    missing = column.isna().to_numpy(dtype=bool)
    return column.to_numpy(dtype=np.int64, na_value=0), missing


def integer_list(column: pd.Series) -> list[int | None]:
    """An Int64 column's cells as Python integers, None where missing."""
    values, missing = integers(column)
    pairs = zip(values.tolist(), missing.tolist(), strict=True)
    return [None if hidden else value for value, hidden in pairs]


def texts(column: pd.Series) -> np.ndarray:
    """A text column as a numpy array (missing cells NaN, equal to no text)."""
    return column.to_numpy(dtype=object)


def cell(column: tuple[np.ndarray, np.ndarray], position: int) -> int | None:
    """One cell of an `integers` column: its value, or None when missing."""
    values, missing = column
    return None if missing[position] else int(values[position])


def read_package(ref: PackageRef, root: Path, store: FileStore,
                 names: Collection[str] | None = None) -> TambonPackage:  # fmt: skip
    """A valid package read for the checks across packages (the audit): every tabular
    resource typed (only those `names`, when given); a generic one's code is its descriptor's
    province_code, else its folder's."""
    descriptor = discovery.descriptor_of(ref)
    folder = relative_file(ref.folder, root)
    files = {
        str(r["name"]): f"{folder}/{r['path']}"
        for r in descriptor.get("resources", [])
        if isinstance(r, dict) and "name" in r and isinstance(r.get("path"), str)
    }
    return TambonPackage(
        package=ref.name,
        code=ref.tambon_code or str(descriptor.get("province_code") or ref.folder.name),
        folder_name=ref.folder.name,
        descriptor=descriptor,
        descriptor_file=relative_file(ref.descriptor_path, root),
        files=files,
        tables=table_reader.load_tables(ref, store, names),
    )
