"""`tambon validate`: every package checked, every problem explained.

For each package, in this order (each step only sees what the previous ones let through):

1. the descriptor parses (JSON or YAML), else one "invalid-descriptor" problem;
2. safety: a resource path that is absolute, has `..`, starts with `~` or is a URL is refused
   ("unsafe-path") before anything opens it; nothing is ever fetched;
3. encoding: the bytes are read first; anything but UTF-8 (a BOM is fine) is an "encoding"
   problem naming the detected encoding and the iconv command that fixes it;
4. frictionless validates what is left (types, constraints, keys, ragged rows), its error
   types kept as codes and its messages rewritten to say how to fix the data;
5. tambon packages: the project checks of `tambon_checks` on the tables frictionless passed;
6. every package: the personal-data scan of `privacy` on the raw rows and on the descriptor's
   text (titles, descriptions, contributors ...), with its publicReviewed declarations;
7. the whole tree: no two packages share a published address and none takes a name the portal
   uses itself ("name-collision", `name_collisions`): one would overwrite the other's files;
8. each province's area totals with the tambons they add up (`area_audit`): no suppressed
   cell of either recoverable from both together, and every total its published parts' sum;
9. each partners package with the tambons whose projects it links (`partner_checks`): known
   tambons and projects, amounts only where a partner funds, no more funding than budget;
10. the knowledge articles of `<data>/knowledge/` (`article_checks`): their front matter, links,
   photographs and the personal-data scan over their text and captions.

Data is only read, never written. One package's problems never stop another's checks.

The steps live in their own modules: `validate_files` (2, 3), `validate_messages` (the words
of 4), `tambon_checks` (5), `privacy` (6) and `name_collisions` (7); this one runs them, on
one package and on the whole tree, and reports on a folder for `tambon validate` (check_folder).

Kept over 400 lines: it is the one entry of the checks (tree walk, verdict cache, report), each
part calling into a module of its own job.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tambon_portal.checks import (
    area_audit,
    article_checks,
    disclosure_audit,
    fastcheck,
    partner_checks,
    privacy,
    tambon_checks,
    verdict_cache,
)
from tambon_portal.checks.name_collisions import name_collisions, resource_collisions
from tambon_portal.checks.tambon_package import TambonPackage, read_package
from tambon_portal.checks.validate_files import Resource, precheck, relative_file
from tambon_portal.checks.validate_messages import (
    CE_YEARS,
    drop_redundant,
    exception_reason,
    explain,
)
from tambon_portal.checks.workers import map_in_processes, map_sharing, worker_count
from tambon_portal.core import schemas, settings
from tambon_portal.core.problems import CHECK_CRASHED, Problem
from tambon_portal.packages import descriptor_reader, discovery, table_reader
from tambon_portal.packages.articles import PACKAGE as ARTICLES
from tambon_portal.packages.articles import article_files
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CE_YEARS", "Problem", "check_folder", "validate_package", "validate_tree"]

_KNOWN_PROFILE_PREFIXES = (
    "https://datapackage.org/profiles/",
    "https://specs.frictionlessdata.io/",
)
# The profiles frictionless knows by name, without opening a file or fetching a URL
# (frictionless 5 package.py and resource.py; "fiscal-data-package" is fetched, so not here).
_PROFILE_NAMES = frozenset(
    {"data-package", "tabular-data-package", "data-resource", "tabular-data-resource"}
)


# Package name -> its typed tables of counts, kept by a validation for `tambon audit`.
Kept = dict[str, TambonPackage]


def current_year_be() -> int:
    return date.today().year + settings.BE_OFFSET


# --- frictionless ---------------------------------------------------------------------------


def _frictionless_descriptor(
    descriptor: dict, refused: set[int], referenced: dict[int, dict[str, dict]] | None = None
) -> dict:
    """The descriptor with refused resources (by position), and foreign keys into them, left out,
    and the schema and dialect files already read (`referenced`, by position) put inline.

    Everything else stays as written, unnamed or malformed resources too: frictionless names
    what is wrong with them. What differs is in new objects and the rest is shared with
    `descriptor` (a deep copy of 60 descriptors was a tenth of the fast path's time), so give
    frictionless, which may change what it is given, a copy.
    """
    out = dict(descriptor)
    out["resources"] = [
        {**r, **(referenced or {}).get(i, {})} if isinstance(r, dict) else r
        for i, r in enumerate(descriptor["resources"])
        if i not in refused
    ]
    resources = [r for r in out["resources"] if isinstance(r, dict)]
    kept = {r.get("name") for r in resources} | {"", None}  # "" and None: the resource itself
    for resource in resources:
        schema = resource.get("schema")
        if isinstance(schema, dict) and isinstance(schema.get("foreignKeys"), list):
            resource["schema"] = {
                **schema,
                "foreignKeys": [
                    fk
                    for fk in schema["foreignKeys"]
                    if not isinstance(fk, dict)
                    or not isinstance(fk.get("reference"), dict)
                    or fk["reference"].get("resource") in kept
                ],
            }
    # A profile given as an unknown URL (any case: HTTP:// too) or as a file would be fetched
    # or opened to validate against (a relative path from the current folder, not the
    # package's, and parsed by frictionless' unbounded YAML reader): drop it.
    for item in [out, *resources]:
        for key in ("profile", "$schema"):
            value = item.get(key)
            if isinstance(value, str) and not _profile_frictionless_knows(value):
                item.pop(key)
    return out


def _profile_frictionless_knows(value: str) -> bool:
    return value in _PROFILE_NAMES or value.startswith(_KNOWN_PROFILE_PREFIXES)


def _frictionless_problems(
    ref: PackageRef, root: Path, descriptor: dict, resources: list[Resource]
) -> list[Problem]:
    from frictionless import FrictionlessException, Package  # slow import, only when needed

    descriptor_file = relative_file(ref.descriptor_path, root)
    refused = {res.position for res in resources if res.refused}
    referenced = {res.position: res.referenced for res in resources if res.referenced}
    given = _frictionless_descriptor(descriptor, refused, referenced)
    texts = {res.name: res.text for res in resources if res.text is not None}
    proof = fastcheck.proves_valid(given, texts) if not refused else None
    if proof is not None:
        for res in resources:
            res.checked = proof[res.name]  # its typed frame is made from what was read
        return []  # frictionless would find nothing (fastcheck proved it): not run
    try:
        package = Package(copy.deepcopy(given), basepath=str(ref.folder))
        report = package.validate()
    except FrictionlessException as error:
        return [
            Problem(
                ref.name,
                None,
                descriptor_file,
                None,
                None,
                "invalid-descriptor",
                f"the descriptor is not a valid data package: {exception_reason(error)};"
                " fix the descriptor (see https://datapackage.org/standard/data-package/)",
            )
        ]
    problems = [
        Problem(ref.name, None, descriptor_file, None, None, e.type, e.message)
        for e in report.errors
    ]
    named = {res.name: res for res in resources if not res.refused}
    for task in report.tasks:
        res = named.get(task.name)
        resource = res.descriptor if res else {}
        file = res.file if res else descriptor_file
        for error in task.errors:
            code, message = explain(error, resource)
            row = getattr(error, "row_number", None)
            name = getattr(error, "field_name", None) or getattr(error, "label", None) or None
            problems.append(Problem(ref.name, task.name, file, row, name, code, message))
    return drop_redundant(problems)


# --- one package ----------------------------------------------------------------------------


def _table_cells(res: Resource) -> tuple[list[str], list, bool]:
    """(header, cells, whether by column) as text: from the CSV file, or inline `data`."""
    if res.text is None:
        data = res.descriptor.get("data")
        if not isinstance(data, list) or not data:
            return [], [], False
        frame = table_reader.inline_frame(data)
        return list(frame.columns), frame.to_numpy().tolist(), False
    if res.checked is not None and "\r" not in res.text.replace("\r\n", ""):
        # The cells the fast path read: the csv module's, split at the same line ends (a lone
        # \r splits lines there and not here, where the csv module then refuses the text).
        return res.checked.header, res.checked.columns, True
    options = table_reader.csv_options({**res.descriptor, **res.referenced})  # a dialect file too
    reader = csv.reader(io.StringIO(res.text), delimiter=options["sep"])
    rows = list(reader)
    return (rows[0] if rows else []), rows[1:], False


def _privacy_problems(
    ref: PackageRef, root: Path, descriptor: dict, resources: Iterable[Resource]
) -> list[Problem]:
    """The personal-data scan of the descriptor's text and of every table that could be read."""
    problems = privacy.scan_descriptor(
        descriptor, package=ref.name, file=relative_file(ref.descriptor_path, root)
    )
    for res in resources:
        if res.refused:
            continue
        try:
            header, cells, by_column = _table_cells(res)
        except csv.Error:
            continue  # frictionless has reported the malformed CSV
        problems += privacy.scan_table(
            res.name, cells, header, package=ref.name, file=res.file,
            tambon=ref.kind == "tambon", reviewed=privacy.reviewed_columns(res.descriptor),
            by_column=by_column,
        )  # fmt: skip
    return problems


def _typed_table(res: Resource, folder: Path, store: FileStore) -> pd.DataFrame:
    """The resource's typed frame: made from what the fast path read, else from the bytes the
    check read (`store`)."""
    frame = fastcheck.typed_frame(res.checked, res.descriptor["schema"]) if res.checked else None
    return table_reader.load_table(res.descriptor, folder, store) if frame is None else frame


def _tambon_problems(
    ref: PackageRef, root: Path, descriptor: dict, resources: list[Resource], dirty: set[str],
    year_be: int, store: FileStore, audit: bool = True, kept: Kept | None = None,
) -> list[Problem]:  # fmt: skip
    tables = {}
    for res in resources:
        if res.refused or res.text is None or res.name in dirty:
            continue
        if res.name not in schemas.SCHEMAS:
            continue
        if tambon_checks.schema_difference(res.name, res.descriptor.get("schema")):
            continue
        try:
            tables[res.name] = _typed_table(res, ref.folder, store)
        except (descriptor_reader.PackageError, ValueError):
            continue
    pkg = tambon_checks.TambonPackage(
        package=ref.name,
        code=ref.tambon_code or ref.folder.name,
        folder_name=ref.folder.name,
        descriptor=descriptor,
        descriptor_file=relative_file(ref.descriptor_path, root),
        files={res.name: res.file for res in resources},
        tables=tables,
        current_year_be=year_be,
    )
    if kept is not None:
        counted = {n: t for n, t in tables.items() if n in schemas.COUNTED_RESOURCES}
        kept[ref.name] = dataclasses.replace(pkg, descriptor={}, tables=counted)
    return tambon_checks.check_tambon_package(pkg, audit=audit)


def validate_package(
    ref: PackageRef,
    root: Path | None = None,
    year_be: int | None = None,
    store: FileStore | None = None,
    *,
    audit: bool = True,
    kept: Kept | None = None,
) -> list[Problem]:
    """Every problem of one package; files are named relative to `root` (default: its parent).

    Its files are read through `store` (`file_store`), so a build that goes on to load the
    package does not open them again; a new store when None. `audit=False` leaves out the
    disclosure audit (`tambon audit` runs its own, with the ranges, right after); `kept`
    receives a tambon package's typed tables of counts (`schemas.COUNTED_RESOURCES`), under
    its name, for that audit: the tables are then typed once."""
    root = Path(root) if root is not None else ref.folder.parent
    year_be = year_be or current_year_be()
    store = store or FileStore()
    try:
        descriptor = discovery.descriptor_of(ref)
    except descriptor_reader.DescriptorError as error:
        return [
            Problem(ref.name, None, relative_file(ref.descriptor_path, root), None, None,
                    "invalid-descriptor", f"{error}; nothing else in this package was checked")
        ]  # fmt: skip
    listed = descriptor.get("resources")
    if not isinstance(listed, list) or not listed:
        return [
            Problem(ref.name, None, relative_file(ref.descriptor_path, root), None, None,
                    "invalid-descriptor",
                    "the descriptor has no 'resources' list; add one entry per data file")
        ]  # fmt: skip
    resources = [
        precheck(ref, root, item, i, store)
        for i, item in enumerate(listed)
        if isinstance(item, dict)
    ]
    problems = [p for res in resources for p in res.problems]
    if len(listed) > sum(res.refused for res in resources):  # something left to validate
        problems += _frictionless_problems(ref, root, descriptor, resources)
    if ref.kind == "tambon":
        dirty = {p.resource for p in problems if p.resource}
        problems += _tambon_problems(
            ref, root, descriptor, resources, dirty, year_be, store, audit, kept
        )
    privacy_problems = _privacy_problems(ref, root, descriptor, resources)
    problems = _without_repeats(problems, privacy_problems) + privacy_problems
    problems += resource_collisions(ref, root, descriptor)
    return _ordered(problems)


def _without_repeats(problems: list[Problem], privacy_problems: list[Problem]) -> list[Problem]:
    """`problems` without the audit's on a row the privacy scan already names: its per-row
    rule (suppress the partner) says the same, in the words of what to write."""
    rows = {(p.file, p.row) for p in privacy_problems if p.code == "complement-revealed"}
    return [
        p for p in problems
        if not (p.code == disclosure_audit.CODE and (p.file, p.row) in rows)
    ]  # fmt: skip


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Grouped by file, then row; the order of checks is kept within a row."""
    return sorted(problems, key=lambda p: (p.file, p.row or 0))


def _checked(
    ref: PackageRef, root: Path, year_be: int | None, store: FileStore | None = None,
    audit: bool = True, keep: bool = False,
) -> tuple[list[Problem], TambonPackage | None]:  # fmt: skip
    """validate_package, but a crash in one package is reported and the others still run;
    with the package's tables of counts when `keep` (see `validate_package`'s `kept`)."""
    kept: Kept | None = {} if keep else None
    try:
        problems = validate_package(ref, root, year_be, store, audit=audit, kept=kept)
    except Exception as error:  # a bug or an unforeseen input must not hide other packages
        return [
            Problem(ref.name, None, relative_file(ref.descriptor_path, root), None, None,
                    CHECK_CRASHED,
                    f"the validator crashed on this package ({type(error).__name__}: {error});"
                    " please report it with the package attached")
        ], None  # fmt: skip
    return problems, (kept or {}).get(ref.name)


def _tree_problems(
    refs: Sequence[PackageRef], root: Path, year_be: int | None,
    cache: verdict_cache.VerdictCache | None = None, store: FileStore | None = None,
    workers: int | None = 1, audit: bool = True, kept: Kept | None = None,
) -> list[Problem]:  # fmt: skip
    """Every package's problems, each followed by its name collisions with the others;
    `audit=False`: without the disclosure audit (see `check_folder`).

    `workers` > 1: the packages the cache does not answer are checked in that many processes
    (`workers`; None: as many as `worker_count` gives for them); their files are then read in
    those, not through `store`, so a build, whose later stages take the bytes and tables from
    `store`, checks in its own process."""
    store = store or FileStore()
    year = year_be or current_year_be()
    collisions = name_collisions(refs, root)
    verdicts = [cache.lookup(ref, root, year) if cache is not None else None for ref in refs]
    unknown = [r for r, v in zip(refs, verdicts, strict=True) if v is None or v.problems is None]
    if workers is None:
        workers = worker_count(len(unknown))
    if workers > 1:
        checked = map_in_processes(
            partial(_checked, root=root, year_be=year, audit=audit, keep=kept is not None),
            unknown, workers,
        )  # fmt: skip
    else:
        checked = [_checked(ref, root, year, store, audit, kept is not None) for ref in unknown]
    if kept is not None:
        kept.update((pkg.package, pkg) for _, pkg in checked if pkg is not None)
    found = (problems for problems, _ in checked)
    problems: list[Problem] = []
    for ref, verdict in zip(refs, verdicts, strict=True):
        if verdict is not None and verdict.problems is not None:
            problems += verdict.problems
        elif cache is not None and verdict is not None:
            problems += cache.keep(verdict, next(found))
        else:
            problems += next(found)
        problems += collisions.get(ref.descriptor_path, [])
    if audit:  # else `tambon audit` checks the area totals with its own audit of them
        problems += area_problems(refs, root, store, problems, cache)
    problems += partner_checks.tree_problems(refs, root, store, problems, cache)
    return problems + article_checks.tree_problems(refs, root, store)


def area_problems(
    refs: Sequence[PackageRef], root: Path, store: FileStore, problems: Sequence[Problem],
    cache: verdict_cache.VerdictCache | None = None,
) -> list[Problem]:  # fmt: skip
    """Step 8: each province's area totals (`core.schemas.areas`) audited with the tambon
    packages they add up (`area_audit.check_province`), when all of them are valid: a
    package with problems of its own is reported by them, and audited once they are fixed.
    With `cache`, kept under every file of the packages it read (`VerdictCache.across`).

    The provinces the cache does not answer are checked in worker processes, one province
    per core (forked: they read the files through `store`, whose bytes they inherit): at
    national scale, 77 provinces one after another were most of a whole validation."""
    broken = {p.package for p in problems}
    tambons = {ref.tambon_code: ref for ref in refs if ref.kind == "tambon" and ref.tambon_code}
    provinces: list[list[PackageRef]] = []  # the area package, then the tambons it covers
    for ref in refs:
        if ref.kind != "generic" or ref.name in broken or not is_area_package(ref):
            continue
        area = read_package(ref, root, store, ("area_tambons",))
        covered = {t for members in area_audit.coverage(area).values() for t in members}
        if any(t in tambons and tambons[t].name in broken for t in covered):
            continue
        provinces.append([ref, *(tambons[t] for t in sorted(covered) if t in tambons)])
    inputs = [cache.inputs_across(p) if cache is not None else None for p in provinces]
    kept = [cache.across_kept(p, i) if cache is not None else None
            for p, i in zip(provinces, inputs, strict=True)]  # fmt: skip
    # The area package typed, and each tambon's part of the audit (`area_audit.TambonPart`),
    # kept under their keys (`verdict_cache.kept_tables`): a tambon read again only if changed.
    keys = [[cache.tables_key(r, None if i == 0 else schemas.COUNTED_RESOURCES)
             if cache is not None else None for i, r in enumerate(p)]
            for p in provinces]  # fmt: skip
    unknown = [(p, k) for p, k, known in zip(provinces, keys, kept, strict=True) if known is None]
    tables = cache.tables_folder if cache is not None else None
    ranges = cache.ranges_folder if cache is not None else None
    code = cache.code if cache is not None else ""
    shared = {"root": root, "store": store, "tables": tables, "ranges": ranges, "code": code}
    checked = iter(map_sharing(_province_problems, unknown, shared, per_worker=1))
    found: list[Problem] = []
    for province, given, known in zip(provinces, inputs, kept, strict=True):
        if known is None:
            known, unsaved = next(checked)
            if cache is not None:
                cache.keep_across(province, given, known)
                cache.unsaved.update(unsaved)
        found += known
    if cache is not None:
        verdict_cache.prune_tables(cache.tables_folder, [k for p in keys for k in p])
        verdict_cache.prune_ranges(cache.ranges_folder, [p[0].name for p in provinces])
    return found


Province = tuple[list[PackageRef], list[str | None]]  # its packages, and their keys


def _province_problems(
    shared: Mapping[str, Any], item: Province
) -> tuple[list[Problem], verdict_cache.Unsaved]:
    """One province's step 8 (in a worker process); a crash is reported, the others still run.
    `item`: the area package and its tambons, and the keys they are kept under (typed, for
    the area package; as their parts of the audit, for the tambons). Also gives what could
    not be kept yet, for the parent to keep (`verdict_cache.kept_tables`)."""
    unsaved: verdict_cache.Unsaved = {}
    return _province_check(shared, item, unsaved), unsaved


def _province_check(
    shared: Mapping[str, Any], item: Province, unsaved: verdict_cache.Unsaved
) -> list[Problem]:
    root, store, tables = shared["root"], shared["store"], shared["tables"]
    province, keys = item
    area_ref, *mine = province

    def kept(key: str | None, read: Callable[[], Any]) -> Any:
        if tables is None:
            return read()
        return verdict_cache.kept_tables(tables, key, read, unsaved)

    def part(ref: PackageRef) -> area_audit.TambonPart:
        return area_audit.tambon_part(read_package(ref, root, store, schemas.COUNTED_RESOURCES))

    try:
        area = kept(keys[0], lambda: read_package(area_ref, root, store))
        parts = {r.tambon_code or "": kept(k, partial(part, r))
                 for r, k in zip(mine, keys[1:], strict=True)}  # fmt: skip
        if shared["ranges"] is None:
            return area_audit.check_parts(area, parts)
        memo = verdict_cache.KeptRanges(verdict_cache.ranges_file(shared["ranges"], area_ref.name),
                                        shared["code"])  # fmt: skip
        found = area_audit.check_parts(area, parts, memo)
        memo.save(unsaved)
        return found
    except Exception as error:  # a bug or an unforeseen input must not hide other provinces
        return [
            Problem(area_ref.name, None, relative_file(area_ref.descriptor_path, root), None,
                    None, CHECK_CRASHED,
                    f"the check of these area totals with their tambons crashed"
                    f" ({type(error).__name__}: {error}); please report it with the packages"
                    " attached")
        ]  # fmt: skip


def is_area_package(ref: PackageRef) -> bool:
    resources = discovery.descriptor_of(ref).get("resources") or []
    return area_audit.is_area_package({r.get("name"): r for r in resources if isinstance(r, dict)})


def validate_tree(
    root: Path, year_be: int | None = None, cache_dir: Path | None = None
) -> list[Problem]:
    """Every problem of every package under `root`; with `cache_dir`, a package whose inputs
    did not change since its verdict was kept there is not checked again (`verdict_cache`)."""
    root = Path(root)
    store = FileStore()
    cache = verdict_cache.VerdictCache(cache_dir, store) if cache_dir is not None else None
    refs = discovery.discover(root, store)
    problems = check_packages(refs, root, cache=cache, store=store)
    if cache is not None:
        cache.save()
    return problems


def check_packages(
    refs: Sequence[PackageRef],
    root: Path,
    *,
    year_be: int | None = None,
    cache: verdict_cache.VerdictCache | None = None,
    store: FileStore | None = None,
) -> list[Problem]:
    """`validate_tree` of packages already discovered, their files read through `store`; the
    caller saves `cache` (a build does once it has a work folder to keep it in)."""
    return _tree_problems(refs, Path(root), year_be or current_year_be(), cache, store)


# --- the command ----------------------------------------------------------------------------


def _broken_packages(refs: list[PackageRef], problems: list[Problem], root: Path) -> int:
    """Packages with a problem, by the folder its file is in (not by name: two packages of one
    name, a name-collision, are two). Package folders never nest, so a prefix is one package."""
    files = {p.file for p in problems}
    folders = [relative_file(ref.folder, root) for ref in refs]
    return sum(any(f == "." or file.startswith(f"{f}/") for file in files) for f in folders)


def summary(refs: list[PackageRef], problems: list[Problem], root: Path) -> str:
    tambons = sum(1 for r in refs if r.kind == "tambon")
    articles = len(article_files(root))
    written = f" and {articles} articles" if articles else ""
    checked = (
        f"{len(refs)} packages{written} checked ({tambons} tambon, {len(refs) - tambons} generic)"
    )
    if not problems:
        return f"{checked}: all valid"
    broken = _broken_packages(refs, problems, root)
    noun = "problem" if len(problems) == 1 else "problems"
    in_articles = len({p.file for p in problems if p.package == ARTICLES})
    of_articles = f" and {in_articles} of {articles} articles" if in_articles else ""
    return f"{len(problems)} {noun} in {broken} of {len(refs)} packages{of_articles}"


def format_text(refs: list[PackageRef], problems: list[Problem], root: Path) -> str:
    return "\n".join([*(p.as_text() for p in problems), summary(refs, problems, root)])


def format_json(problems: list[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)


class FolderUnusable(Exception):
    """`tambon validate --data` names no folder of packages; the message says why (exit 2)."""


@dataclass(frozen=True)
class FolderReport:
    """What `tambon validate` found; `cached` is (from cache, checked), None without a cache."""

    refs: list[PackageRef]
    problems: list[Problem]
    cached: tuple[int, int] | None = None
    # `check_folder(keep=True)`: each tambon package's typed tables of counts, by name
    packages: Kept = dataclasses.field(default_factory=dict)


def check_folder(
    data: Path,
    cache_dir: Path | None = None,
    workers: int | None = None,
    *,
    audit: bool = True,
    keep: bool = False,
) -> FolderReport:
    """Every problem of the packages in `data`, for `tambon validate`; raises FolderUnusable
    for a folder that is not one, cannot be read or holds no package (nothing to say valid).

    `cache_dir`: the folder where the verdicts are kept between runs (`verdict_cache`; the CLI
    gives one in the build's work folder); None checks every package and keeps nothing.
    `workers`: processes that check packages (`workers`; default one per core).
    `audit=False`: every check but the disclosure audit, for `tambon audit`, which audits the
    valid folder itself with the ranges; no cache then (its verdicts are whole validations).
    `keep`: the report keeps each tambon package's typed tables of counts (`packages`) of the
    packages checked (none the cache answered), for that audit.
    """
    data = Path(data)
    if not data.is_dir():
        raise FolderUnusable(f"{data} is not a folder (give --data DIR)")
    store = FileStore()
    try:
        refs = discovery.discover(data, store)
    except OSError as error:
        raise FolderUnusable(f"cannot read {data}: {error}") from error
    if not refs:
        raise FolderUnusable(
            f"no data packages in {data} (empty folder): a package is a folder"
            " with a datapackage.json"
        )
    if not audit:
        cache_dir = None
    cache = verdict_cache.VerdictCache(cache_dir, store) if cache_dir is not None else None
    kept: Kept | None = {} if keep else None
    problems = _tree_problems(
        refs, data, current_year_be(), cache, store, workers=workers, audit=audit, kept=kept
    )
    if cache is None:
        return FolderReport(refs, problems, packages=kept or {})
    cache.save()
    return FolderReport(refs, problems, (cache.from_cache, cache.checked))
