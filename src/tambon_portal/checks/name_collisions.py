"""Published names: no two packages, and no two tables of one package, may be published
at one address, and no package may take a name the portal uses itself (`validate`, step 7).

Each would overwrite the other's files in the built site ("name-collision"). The problems of
the whole tree are worked out from every package's name each run (never cached).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from tambon_portal.checks.validate_files import relative_file
from tambon_portal.core import urls
from tambon_portal.core.problems import Problem
from tambon_portal.packages import discovery, table_reader
from tambon_portal.packages.discovery import PackageRef

NAME_COLLISION = "name-collision"
# Names of a generic package that look like the portal's own: a tambon package (tambon-<code>),
# a province bundle (tambons-<pp>) or a roll-up package (<area>-rollups, whose area follows
# the data: `scope.Scope.rollup_package`). Refused even when no such tambon is in the tree
# yet, or adding it later would take the generic package's address.
_OWN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(re.escape(urls.TAMBON_SLUG_PREFIX) + r"\d{6}"), "a tambon package's name"),
    (re.compile(re.escape(urls.BUNDLE_PREFIX) + r"\d{2}"), "a province bundle's name"),
    (re.compile(r".+" + re.escape(urls.ROLLUP_PACKAGE_SUFFIX)), "the roll-up package's name"),
)


def reserved_names() -> dict[str, str]:
    """Slugs the portal publishes under itself -> what uses them (no package may take one)."""
    index = PurePosixPath(urls.DATASETS_PATH).stem  # datasets/index.md, downloads/index.md
    return {
        urls.slug(urls.BUNDLES_DIR): f"the folder downloads/{urls.BUNDLES_DIR}/",
        urls.slug(urls.INDEX_FILE): f"the file downloads/{urls.INDEX_FILE}",
        urls.slug(urls.SUMS_FILE): f"the file downloads/{urls.SUMS_FILE}",
        index: f"the list of datasets, {urls.DATASETS_PATH}",
        f"{index}.html": f"the pages datasets/{index}.html and downloads/{index}.html",
    }


def _addresses(ref: PackageRef) -> str:
    """Where a package is published, for a message."""
    slug = discovery.published_slug(ref)
    page = (
        urls.dataset_path(slug) if ref.kind != "tambon" else urls.tambon_path(str(ref.tambon_code))
    )
    return f"{urls.package_downloads(slug)}, {urls.url_of(page)} and {urls.ckan_package(slug)}"


def _collision(ref: PackageRef, others: Sequence[PackageRef], root: Path) -> Problem:
    slug = discovery.published_slug(ref)
    named = ", ".join(
        f"package '{o.name}' ({relative_file(o.descriptor_path, root)})" for o in others
    )
    same_tambon = ref.kind == "tambon" and all(o.kind == "tambon" for o in others)
    fix = (
        f"both are tambon {ref.tambon_code}: keep one package per tambon"
        if same_tambon
        else "give one of them another 'name' in its descriptor (a-z, 0-9, '-')"
    )
    message = (
        f"this package is published as '{slug}' ({_addresses(ref)}), like {named}: one would"
        f" overwrite the other's files (ชื่อซ้ำกัน); {fix}"
    )
    return Problem(ref.name, None, relative_file(ref.descriptor_path, root), None, "name",
                   NAME_COLLISION, message)  # fmt: skip


def _reserved_use(slug: str) -> str | None:
    """What the portal itself publishes under `slug`, or None when it is free."""
    if (use := reserved_names().get(slug)) is not None:
        return use
    return next((use for pattern, use in _OWN_PATTERNS if pattern.fullmatch(slug)), None)


def _reserved(ref: PackageRef, use: str, root: Path) -> Problem:
    slug = discovery.published_slug(ref)
    message = (
        f"this package would be published as '{slug}', which is {use} (ชื่อนี้สงวนไว้);"
        " give it another 'name' in its descriptor (a-z, 0-9, '-')"
    )
    return Problem(ref.name, None, relative_file(ref.descriptor_path, root), None, "name",
                   NAME_COLLISION, message)  # fmt: skip


def name_collisions(refs: Sequence[PackageRef], root: Path) -> dict[Path, list[Problem]]:
    """Descriptor path -> its name-collision problems: packages with one published slug
    (`discovery.published_slug`), each told about the others, and generic packages that take a
    name the portal uses itself (`reserved_names`, tambon-<code>, tambons-<pp>)."""
    by_slug: dict[str, list[PackageRef]] = {}
    for ref in refs:
        by_slug.setdefault(discovery.published_slug(ref), []).append(ref)
    problems: dict[Path, list[Problem]] = {}
    for slug, group in by_slug.items():
        for ref in group:
            others = [o for o in group if o is not ref]
            use = _reserved_use(slug) if ref.kind == "generic" else None
            if others:  # the pair is the problem; each side is told about the other
                problems.setdefault(ref.descriptor_path, []).append(_collision(ref, others, root))
            elif use is not None:
                problems.setdefault(ref.descriptor_path, []).append(_reserved(ref, use, root))
    return problems


def resource_collisions(ref: PackageRef, root: Path, descriptor: dict) -> list[Problem]:
    """Tables of one package whose download files would have one name (`t/x` and `t-x` both
    write t-x.csv; `t.excel` writes t.excel.csv, the Excel copy of `t`)."""
    writers: dict[str, list[str]] = {}
    for resource in table_reader.tabular_resources(descriptor):
        if (name := table_reader.table_name(resource)) is not None:
            for file in urls.table_files(name).values():
                writers.setdefault(file, []).append(name)
    # One problem per pair of resources (on the later one), with the first file they share.
    pairs: dict[tuple[str, str], str] = {}
    for file, names in writers.items():
        for name in names[1:]:
            pairs.setdefault((name, names[0]), file)
    return [
        Problem(ref.name, name, relative_file(ref.descriptor_path, root), None, "name",
                NAME_COLLISION,
                f"resource '{name}' would be published as {file}, like resource '{first}':"
                " one would overwrite the other (ชื่อซ้ำกัน); rename one of them (a-z, 0-9, '-')")
        for (name, first), file in pairs.items()
    ]  # fmt: skip
