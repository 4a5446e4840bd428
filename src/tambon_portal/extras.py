"""Which optional parts of the install a command needs, read from the package's own metadata.

`tambon build` and `tambon release` need the `site` extra (Altair, vl-convert, mkdocs, ...).
Without it they used to die deep inside with `ModuleNotFoundError: altair`; the CLI now asks
here first and says which extra to install. The list is pyproject.toml's, not a copy.
"""

from __future__ import annotations

import re
from importlib import metadata

DISTRIBUTION = "tambon-portal"
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def requirements_of(extra: str) -> list[str]:
    """Distribution names the `extra` of this package requires (as pyproject.toml lists them)."""
    names = []
    for requirement in metadata.requires(DISTRIBUTION) or []:
        spec, _, marker = requirement.partition(";")
        wanted = _EXTRA.search(marker)
        name = _NAME.match(spec)
        if wanted and wanted.group(1) == extra and name:
            names.append(name.group(1))
    return names


def missing(extra: str) -> list[str]:
    """The distributions of `extra` that are not installed."""
    absent = []
    for name in requirements_of(extra):
        try:
            metadata.version(name)
        except metadata.PackageNotFoundError:
            absent.append(name)
    return absent


def install_hint(extra: str) -> str:
    return f"pip install -e '.[{extra}]' (or run `make setup`)"
