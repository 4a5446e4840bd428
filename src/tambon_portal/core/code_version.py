"""The version of the code that every saved output is keyed by, defined once: the build's stage
cache (`pipeline.cache`) and `tambon validate`'s verdicts (`checks.verdict_cache`) both use it.

It is a digest of Python's version, of the versions of the libraries whose behaviour shows in
an output (a verdict's message, a typed frame, a chart, a page, a workbook, the search index)
and of every file of the tambon_portal package: sources, templates, schemas, code lists,
assets. The only I/O here is reading the package's own files.

Why one definition: the two copies had drifted apart. After the package was split into
subpackages, the verdicts' copy hashed only the files of `checks/`, so a changed schema or
code list in `core/` kept yesterday's verdicts.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the tambon_portal folder
LIBRARIES = (
    "frictionless", "geothai", "pandas", "numpy", "charset-normalizer", "PyYAML",
    "mkdocs", "mkdocs-material", "openpyxl", "pythainlp",
    "pagefind-bin-extended",
)  # fmt: skip


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while piece := file.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()


def package_files() -> list[Path]:
    """Every file of the package but compiled bytecode, in a stable order."""
    return [
        path
        for path in sorted(PACKAGE.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    ]


def code_version(file_hash: Callable[[Path], str] = file_sha256) -> str:
    """The digest; `file_hash` gives a file's SHA-256 (a caller that remembers the hashes of
    unchanged files, as `verdict_cache` does, need not read them again)."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} absent\n".encode())
    for path in package_files():
        digest.update(f"{path.relative_to(PACKAGE).as_posix()}={file_hash(path)}\n".encode())
    return digest.hexdigest()
