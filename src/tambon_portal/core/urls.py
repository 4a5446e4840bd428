"""Every published address, made here once: page paths and their URLs, download file names,
the slug rule of a package's name, and the reserved names of what the build publishes itself.

Pure: no I/O.
"""

from __future__ import annotations

import re

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


# --- downloads -------------------------------------------------------------------------------

BUNDLES_DIR = "bundles"
BUNDLE_PREFIX = "tambons-"  # a province bundle is the package "tambons-<pp>"
INDEX_FILE = "index.json"
SUMS_FILE = "SHA256SUMS"
ROLLUP_PACKAGE_NAME = "nakhon-si-thammarat-rollups"  # the provincial roll-up package


def table_files(name: str) -> dict[str, str]:
    """Format -> file name of the downloads of the table `name` (in its package's folder)."""
    stem = slug(name)
    return {"csv": f"{stem}.csv", "excel-csv": f"{stem}.excel.csv", "json": f"{stem}.json"}


# --- pages ------------------------------------------------------------------------------------


def tambon_path(code: str) -> str:
    return f"tambon/{code}.md"


def district_path(code: str) -> str:
    return f"district/{code}/index.md"


def province_path(code: str) -> str:
    return f"province/{code}/index.md"


def dataset_path(name: str) -> str:
    return f"datasets/{name}.md"


PLAN_PATH = "plan/index.md"
DATASETS_PATH = "datasets/index.md"


def url_of(path: str) -> str:
    """The directory URL (relative to the site root) of a markdown page path."""
    stem = path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


def root_of(path: str) -> str:
    """Relative path from a page's URL back to the site root ("" at the root)."""
    return "../" * url_of(path).count("/")
