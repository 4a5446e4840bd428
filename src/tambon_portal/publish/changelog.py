"""The data changelog: what changed in the data between two releases (`changelog_text` writes it).

A release is a folder of data packages. `diff_trees` compares two such folders table by table:
rows are matched by the resource's primary key (so an edited count shows up as one changed cell,
not as a removed and an added row), schemas field by field, and the key figures a reader sees on
a tambon page are compared tambon by tambon. Cells are compared as the text written in the CSV,
so a suppressed count (`x`) that becomes a number is a change, and `1` vs `01` is a change too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tambon_portal.core import figures as key_figures
from tambon_portal.core import formatting as fmt
from tambon_portal.packages import articles, discovery, table_reader
from tambon_portal.stats import aggregate

# A key figure as published: a count or baht (int), a percentage to one decimal (float), or
# None when it is not published (suppressed, a denominator under 10, no data).
Value = int | float | str | None

_OCCURRENCE = "__occurrence__"


# --- the changelog model -------------------------------------------------------------------


@dataclass
class CellChange:
    field: str
    old: str
    new: str


@dataclass
class RowChange:
    key: dict[str, str]
    cells: list[CellChange]


@dataclass
class TypeChange:
    field: str
    old: str
    new: str


@dataclass
class SchemaChange:
    fields_added: list[str] = field(default_factory=list)
    fields_removed: list[str] = field(default_factory=list)
    types_changed: list[TypeChange] = field(default_factory=list)
    primary_key: tuple[list[str], list[str]] | None = None
    foreign_keys_changed: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.fields_added
            or self.fields_removed
            or self.types_changed
            or self.primary_key
            or self.foreign_keys_changed
        )


@dataclass
class ResourceDiff:
    name: str
    key: list[str]  # the columns rows were matched on; [] = whole-row identity
    rows_added: list[dict[str, str]] = field(default_factory=list)
    rows_removed: list[dict[str, str]] = field(default_factory=list)
    rows_changed: list[RowChange] = field(default_factory=list)
    schema: SchemaChange | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.rows_added or self.rows_removed or self.rows_changed or self.schema)


@dataclass
class PackageDiff:
    package: str  # path of the package folder relative to the tree root, e.g. "80/800106"
    resources_added: list[str] = field(default_factory=list)
    resources_removed: list[str] = field(default_factory=list)
    resources: list[ResourceDiff] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.resources_added or self.resources_removed or self.resources)


@dataclass
class FigureChange:
    tambon_code: str
    name_th: str
    figure: str  # a column of `figures.CARDS`
    old: Value
    new: Value


@dataclass
class ArticleChange:
    """A knowledge article (`<data>/knowledge/<slug>.md`) added, removed or edited."""

    slug: str
    title: str
    change: str  # "added", "removed" or "changed" (its front matter or text)


@dataclass
class Changelog:
    packages_added: list[str] = field(default_factory=list)
    packages_removed: list[str] = field(default_factory=list)
    packages_changed: list[PackageDiff] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)
    articles: list[ArticleChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.packages_added or self.packages_removed or self.packages_changed
            or self.articles
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts and lists only, so `json.dumps` works on it as is."""
        return json.loads(json.dumps(asdict(self), ensure_ascii=False))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Changelog:
        """The inverse of `to_dict`: a changelog stored as JSON (e.g. in a release) back."""
        return cls(
            packages_added=list(data.get("packages_added", [])),
            packages_removed=list(data.get("packages_removed", [])),
            packages_changed=[_package_diff(p) for p in data.get("packages_changed", [])],
            figures=[FigureChange(**f) for f in data.get("figures", [])],
            # a changelog stored before articles were compared has none
            articles=[ArticleChange(**a) for a in data.get("articles", [])],
        )


def _schema_change(data: dict[str, Any] | None) -> SchemaChange | None:
    if data is None:
        return None
    key = data.get("primary_key")
    return SchemaChange(
        fields_added=list(data.get("fields_added", [])),
        fields_removed=list(data.get("fields_removed", [])),
        types_changed=[TypeChange(**t) for t in data.get("types_changed", [])],
        primary_key=(list(key[0]), list(key[1])) if key else None,
        foreign_keys_changed=bool(data.get("foreign_keys_changed", False)),
    )


def _package_diff(data: dict[str, Any]) -> PackageDiff:
    return PackageDiff(
        package=data["package"],
        resources_added=list(data.get("resources_added", [])),
        resources_removed=list(data.get("resources_removed", [])),
        resources=[
            ResourceDiff(
                name=r["name"],
                key=list(r.get("key", [])),
                rows_added=list(r.get("rows_added", [])),
                rows_removed=list(r.get("rows_removed", [])),
                rows_changed=[
                    RowChange(c["key"], [CellChange(**cell) for cell in c["cells"]])
                    for c in r.get("rows_changed", [])
                ],
                schema=_schema_change(r.get("schema")),
            )
            for r in data.get("resources", [])
        ],
    )


# --- loading a tree ------------------------------------------------------------------------


@dataclass
class _Package:
    descriptor: dict  # with every resource's schema inline
    tables: dict[str, pd.DataFrame]  # every cell as the text in the CSV


def _load_package(ref: discovery.PackageRef) -> _Package:
    descriptor = discovery.descriptor_of(ref)
    resources = table_reader.tabular_resources(descriptor)
    tables = {}
    for resource in resources:
        # Named as table_reader.load_tables names it, schema inline for diff_schema.
        resource["name"] = table_reader.resource_name(resource)
        resource["schema"] = table_reader.resource_schema(resource, ref.folder)
        # Loaded without a schema, so nothing is typed: the changelog reports what the CSV
        # says, and a suppressed "x" must stay "x" rather than become a missing value.
        table = table_reader.load_table({**resource, "schema": {}}, ref.folder)
        tables[resource["name"]] = table.fillna("")  # a short (ragged) row: empty, not NaN
    return _Package({**descriptor, "resources": resources}, tables)


def load_tree(root: Path) -> dict[str, _Package]:
    """Every data package under `root`, keyed by its folder relative to `root`."""
    return {
        ref.folder.relative_to(root).as_posix(): _load_package(ref)
        for ref in discovery.discover(root)
    }


# --- comparing -----------------------------------------------------------------------------


def _schemas_by_resource(descriptor: dict) -> dict[str, dict]:
    return {r["name"]: r.get("schema") or {} for r in descriptor.get("resources", [])}


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def diff_schema(old: dict, new: dict) -> SchemaChange | None:
    old_types = {f["name"]: f.get("type", "any") for f in old.get("fields", [])}
    new_types = {f["name"]: f.get("type", "any") for f in new.get("fields", [])}
    change = SchemaChange(
        fields_added=[n for n in new_types if n not in old_types],
        fields_removed=[n for n in old_types if n not in new_types],
        types_changed=[
            TypeChange(n, old_types[n], t)
            for n, t in new_types.items()
            if n in old_types and old_types[n] != t
        ],
    )
    old_key, new_key = _as_list(old.get("primaryKey")), _as_list(new.get("primaryKey"))
    if old_key != new_key:
        change.primary_key = (old_key, new_key)
    change.foreign_keys_changed = (old.get("foreignKeys") or []) != (new.get("foreignKeys") or [])
    return None if change.is_empty else change


def _matching_key(old: pd.DataFrame, new: pd.DataFrame, key: list[str]) -> list[str]:
    """The primary key when both tables have it and it is unique in both, else []."""
    usable = (
        key
        and all(k in old.columns and k in new.columns for k in key)
        and not old.duplicated(key).any()
        and not new.duplicated(key).any()
    )
    return list(key) if usable else []


def _with_occurrence(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Numbers identical rows 0, 1, 2... so that whole-row matching keeps duplicates apart."""
    frame = frame.copy()
    frame[_OCCURRENCE] = frame.groupby(columns, sort=False).cumcount() if columns else 0
    return frame


def _records(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]


def diff_rows(
    old: pd.DataFrame, new: pd.DataFrame, key: list[str]
) -> tuple[list[str], list[dict], list[dict], list[RowChange]]:
    """(key used, rows added, rows removed, rows changed) of one table."""
    key = _matching_key(old, new, key)
    common = [c for c in new.columns if c in old.columns]
    if not common:  # nothing to match rows on (a table appeared or vanished)
        return [], _records(new), _records(old), []
    on = key or [*common, _OCCURRENCE]
    if not key:
        old, new = _with_occurrence(old, common), _with_occurrence(new, common)
    merged = old[on].merge(new[on], on=on, how="outer", indicator=True, sort=False)
    removed_keys = merged.loc[merged["_merge"] == "left_only", on]
    added_keys = merged.loc[merged["_merge"] == "right_only", on]
    removed = old.merge(removed_keys, on=on).drop(columns=_OCCURRENCE, errors="ignore")
    added = new.merge(added_keys, on=on).drop(columns=_OCCURRENCE, errors="ignore")
    changed = _changed_rows(old, new, key, common) if key else []
    return key, _records(added), _records(removed), changed


def _changed_rows(
    old: pd.DataFrame, new: pd.DataFrame, key: list[str], common: list[str]
) -> list[RowChange]:
    values = [c for c in common if c not in key]
    both = new[[*key, *values]].merge(old[[*key, *values]], on=key, suffixes=("", "__old"))
    changes = []
    for row in both.to_dict("records"):
        cells = [
            CellChange(c, str(row[f"{c}__old"]), str(row[c]))
            for c in values
            if row[c] != row[f"{c}__old"]
        ]
        if cells:
            changes.append(RowChange({k: str(row[k]) for k in key}, cells))
    return changes


def diff_resource(
    name: str, old: pd.DataFrame, new: pd.DataFrame, old_schema: dict, new_schema: dict
) -> ResourceDiff:
    key = _as_list(new_schema.get("primaryKey")) or _as_list(old_schema.get("primaryKey"))
    if old_schema == new_schema and old.equals(new):  # most tables of a release: skip the merge
        return ResourceDiff(name, key)
    used, added, removed, changed = diff_rows(old, new, key)
    return ResourceDiff(name, used, added, removed, changed, diff_schema(old_schema, new_schema))


def diff_package(name: str, old: _Package, new: _Package) -> PackageDiff:
    old_schemas = _schemas_by_resource(old.descriptor)
    new_schemas = _schemas_by_resource(new.descriptor)
    diff = PackageDiff(
        name,
        resources_added=[r for r in new_schemas if r not in old_schemas],
        resources_removed=[r for r in old_schemas if r not in new_schemas],
    )
    for resource in new_schemas:
        if resource not in old_schemas:
            continue
        empty = pd.DataFrame(dtype=str)
        resource_diff = diff_resource(
            resource,
            old.tables.get(resource, empty),
            new.tables.get(resource, empty),
            old_schemas[resource],
            new_schemas[resource],
        )
        if not resource_diff.is_empty:
            diff.resources.append(resource_diff)
    return diff


# --- key figures ---------------------------------------------------------------------------


def _typed_tables(package: _Package) -> dict[str, pd.DataFrame]:
    """The package's tables typed per their schemas, as `table_reader.load_tables` gives them
    (no second read of the files)."""
    schemas = _schemas_by_resource(package.descriptor)
    return {name: table_reader.typed_frame(frame, schemas.get(name) or {})
            for name, frame in package.tables.items()}  # fmt: skip


def _published(value: Any, figure: str) -> Value:
    if fmt.is_missing(value):
        return None
    number = round(float(value), key_figures.BY_COLUMN[figure].digits)
    return number if key_figures.BY_COLUMN[figure].kind == "pct" else int(number)


def tree_figures(packages: Iterable[_Package]) -> dict[str, tuple[str, dict[str, Value]]]:
    """Tambon code -> (Thai name, the figures of its cards as the cards publish them), from
    the same roll-up as the cards (`aggregate.key_figures`); packages that are not a tambon's
    give none."""
    tambons = {}
    for package in packages:
        tambon = package.tables.get("tambon")
        if tambon is not None and not tambon.empty and "tambon_code" in tambon.columns:
            tambons[str(tambon.iloc[0]["tambon_code"])] = _typed_tables(package)
    figures = aggregate.key_figures(tambons)
    rows = figures[figures["level"] == "tambon"].to_dict("records")
    return {
        str(row["area_code"]): (
            str(row["name_th"]),
            {f: _published(row[f], f) for f in key_figures.CARDS},
        )
        for row in rows
    }


def diff_figures(old: Iterable[_Package], new: Iterable[_Package]) -> list[FigureChange]:
    """Card figures that moved, for tambons present in both trees (in tambon code order)."""
    before, after = tree_figures(old), tree_figures(new)
    return [
        FigureChange(code, name_th, figure, before[code][1][figure], value)
        for code, (name_th, figures) in after.items()
        if code in before
        for figure, value in figures.items()
        if before[code][1][figure] != value
    ]


def diff_trees(old_root: Path, new_root: Path) -> Changelog:
    """Compares two folders of data packages (an older and a newer release of the data)."""
    old, new = load_tree(Path(old_root)), load_tree(Path(new_root))
    changelog = Changelog(
        packages_added=[p for p in new if p not in old],
        packages_removed=[p for p in old if p not in new],
    )
    for name in new:
        if name in old:
            package_diff = diff_package(name, old[name], new[name])
            if not package_diff.is_empty:
                changelog.packages_changed.append(package_diff)
    changelog.figures = diff_figures(old.values(), new.values())
    changelog.articles = diff_articles(Path(old_root), Path(new_root))
    return changelog


def _articles_of(root: Path) -> dict[str, articles.Article]:
    read, _ = articles.read_articles(root)  # an unreadable one: validation names it
    return {a.slug: a for a in read}


def diff_articles(old_root: Path, new_root: Path) -> list[ArticleChange]:
    """The knowledge articles added, removed or edited between two data folders, by slug."""
    old, new = _articles_of(old_root), _articles_of(new_root)
    changes = []
    for slug in sorted(set(old) | set(new)):
        before, after = old.get(slug), new.get(slug)
        if before is None or after is None:
            change = "added" if before is None else "removed"
        elif (before.front, before.body) != (after.front, after.body):
            change = "changed"
        else:
            continue
        title = after.title if after is not None else before.title if before is not None else slug
        changes.append(ArticleChange(slug, title, change))
    return changes
