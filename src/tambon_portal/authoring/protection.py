"""Secondary suppression until the disclosure audit passes (issue 11, DESIGN §4).

The per-table rules of `stats.suppress` (a lone suppressed cell of a group gets a partner)
do not see the relations between tables, nor a total of 0 that pins every hidden part of it
to 0, so the pilot published 145 cells a reader could work out exactly. Here the audit
(`checks.disclosure_audit`) is the judge: while some suppressed cell can be placed among
fewer than `MIN_RANGE` values, one more cell of a relation that holds it is suppressed, one per
group of relations per round, and the audit runs again on the groups that changed.

Which cell: in a relation holding the disclosed cell, a published count that may be
suppressed (`schemas.SMALL_COUNT_FIELDS`), preferring, in this order, a part of at least
`MIN_RANGE` (it widens the range by its size at once), a part above 0, a part of 0, then the
total; the smallest first, then the first in table order, so the choice is deterministic. Parts
before totals: a village's count costs a reader less than the tambon's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from tambon_portal.checks import area_audit
from tambon_portal.checks import disclosure_audit as audit
from tambon_portal.checks.tambon_package import TambonPackage
from tambon_portal.core import schemas, urls
from tambon_portal.core.schemas import areas

MAX_ROUNDS = 10_000  # far beyond any package: each round suppresses at least one more cell


class CannotProtect(Exception):
    """No published cell left to suppress next to a disclosed one (a bug, or a table whose
    every count is fixed by totals that may not be suppressed)."""


def protect(tables: Mapping[str, pd.DataFrame], code: str) -> dict[str, pd.DataFrame]:
    """`tables` of one tambon with more cells suppressed until no suppressed cell can be
    worked out to fewer than `audit.MIN_RANGE` values; the frames are copies."""

    def relations_of(current: Mapping[str, pd.DataFrame]) -> list[audit.Relation]:
        return audit.relations_of(_package(code, code, current))

    return _protected(tables, relations_of, f"tambon {code}")


def protect_province(
    tambons: Mapping[str, Mapping[str, pd.DataFrame]],
    totals: Mapping[str, pd.DataFrame],
    province: str,
) -> tuple[dict[str, dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]:
    """The tables of a province's tambons (each protected alone already) and its area totals
    (`schemas.areas`) with more cells suppressed, of either, until no cell can be worked out
    from all of them together (`area_audit`): a district's total less its published tambons
    must not give a suppressed one back. Only the tambons the totals cover take part."""
    package = areas.package_name(province)
    names = {code: urls.tambon_slug(code) for code in tambons}
    flat = {audit.qualified_resource(package, r): f for r, f in totals.items()}
    for code, tables in tambons.items():
        flat |= {audit.qualified_resource(names[code], r): f for r, f in tables.items()}

    def unflattened(current: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, pd.DataFrame]]:
        out: dict[str, dict[str, pd.DataFrame]] = {}
        for key, frame in current.items():
            owner, resource = audit.split_resource(key)
            out.setdefault(owner, {})[resource] = frame
        return out

    def packages(current: Mapping[str, pd.DataFrame]) -> tuple[TambonPackage, dict]:
        split = unflattened(current)
        area = _package(package, province, split.get(package, {}))
        pkgs = {code: _package(names[code], code, split.get(names[code], {})) for code in tambons}
        return area, pkgs

    made: dict[str, tuple[list[pd.DataFrame], list[audit.Relation]]] = {}

    def of_tambon(pkg: TambonPackage) -> list[audit.Relation]:
        """A tambon's relations, made again only when a table of it changed (a round hides
        cells of a few tambons: `_suppressed` copies only the tables it changes)."""
        frames = list(pkg.tables.values())
        kept = made.get(pkg.package)
        if (
            kept is None
            or len(kept[0]) != len(frames)
            or any(a is not b for a, b in zip(kept[0], frames, strict=True))
        ):
            kept = made[pkg.package] = (frames, audit.relations_of(pkg, qualified=True))
        return kept[1]

    def across(current: Mapping[str, pd.DataFrame]) -> list[audit.Relation]:
        area, pkgs = packages(current)
        found = area_audit.relations(area, pkgs, of_tambon=of_tambon)
        return area_audit.across_levels(area, found)

    def everything(current: Mapping[str, pd.DataFrame]) -> list[audit.Relation]:
        return area_audit.relations(*packages(current), of_tambon=of_tambon)

    rank = _area_first(totals, package)
    what = f"province {province}"
    protected = _protected(flat, across, what, rank)
    # Only the groups that reach the totals were audited: where a tambon's own cell had to be
    # hidden (when no total would do), its tambon is audited whole again, and in the rare
    # case that finds a cell, the province is protected over every relation.
    changed = {
        audit.split_resource(key)[0]
        for key, frame in protected.items()
        if not frame.isna().equals(flat[key].isna())
    } - {package}
    if changed:
        _, pkgs = packages(protected)
        again = [r for code, pkg in pkgs.items() if pkg.package in changed
                 for r in audit.relations_of(pkg, qualified=True)]  # fmt: skip
        if audit.ranges(again, disclosed_only=True):
            protected = _protected(protected, everything, what, rank)
    split = unflattened(protected)
    return {code: split.get(names[code], {}) for code in tambons}, split.get(package, {})


def _area_first(totals: Mapping[str, pd.DataFrame], package: str) -> Rank:
    """Which cell the province's protection suppresses first: a cell of the area totals before
    a tambon's, the province's before a district's. A tambon's package then stays as it was
    protected alone wherever hiding a total will do (a district total less its published
    tambons gives back a lone suppressed one: hiding the total, not a second tambon, keeps
    the tambon's own figures), and a district's hidden total is covered by the province's,
    not by a second district whose tambons would give it back."""
    levels = {
        (audit.qualified_resource(package, resource), int(i)): 0 if level == "province" else 1
        for resource, frame in totals.items()
        if "area_level" in frame
        for i, level in zip(frame.index, frame["area_level"].astype(str), strict=True)
    }

    def rank(cell: audit.Cell) -> int:
        return levels.get((cell.resource, cell.index), 2)

    return rank


def _package(name: str, code: str, tables: Mapping[str, pd.DataFrame]) -> TambonPackage:
    return TambonPackage(package=name, code=code, folder_name=code, descriptor={},
                         descriptor_file="", files={}, tables=dict(tables))  # fmt: skip


Relations = Callable[[Mapping[str, pd.DataFrame]], list[audit.Relation]]
Rank = Callable[[audit.Cell], int]  # lower first, before the rule of the module docstring


def _same_rank(cell: audit.Cell) -> int:
    return 0


def _protected(tables: Mapping[str, pd.DataFrame], relations_of: Relations, what: str,
               rank: Rank = _same_rank) -> dict[str, pd.DataFrame]:  # fmt: skip
    """`tables` (copies) with cells suppressed until `relations_of` them discloses none."""
    current = {k: v.copy() for k, v in tables.items()}
    memo: audit.Memo = {}
    for _ in range(MAX_ROUNDS):
        relations = relations_of(current)
        disclosed = {r.cell for r in audit.ranges(relations, memo, disclosed_only=True)}
        if not disclosed:
            return current
        holding: dict[audit.Cell, list[audit.Relation]] = {}
        for relation in relations:
            for term in relation.terms():
                holding.setdefault(term.cell, []).append(relation)
        hidden: set[audit.Cell] = set()
        for group in audit.components(relations):
            if any(c in disclosed for r in group for c in r.unknowns()):
                _protect_group(group, holding, hidden, memo, rank)
        current = _suppressed(current, sorted(hidden))
    raise CannotProtect(f"{what}: still disclosed after {MAX_ROUNDS} rounds")


def _protect_group(
    group: list[audit.Relation],
    holding: Mapping[audit.Cell, list[audit.Relation]],
    hidden: set[audit.Cell],
    memo: audit.Memo,
    rank: Rank,
) -> None:
    """Adds to `hidden` cells of `group`'s relations (and of those a newly hidden cell joins
    it to) until none of its cells is disclosed: the audit of this group alone, not of the
    package, after each added cell. The next round's audit of the whole package confirms."""
    local = list(group)
    for _ in range(MAX_ROUNDS):
        current = [_hiding(r, hidden) for r in local]
        disclosed = {r.cell for r in audit.ranges(current, memo, disclosed_only=True)}
        if not disclosed:
            return

        def pinned(cell: audit.Cell) -> tuple[bool, bool]:
            """Whether a relation holding `cell` would give it back at once if it were hidden
            (every other cell of it published: a total over published parts), and whether
            only cells of a later `rank` could then stop it (a district's total over its
            tambons, where a total of the same rank would do for the row of the total)."""
            blocking = [
                [t for t in relation.terms() if t.cell != cell]
                for relation in holding.get(cell, [])
                if all(t.cell == cell or (t.value is not None and t.cell not in hidden)
                       for t in relation.terms())
            ]  # fmt: skip
            own = rank(cell)
            later = any(all(rank(t.cell) > own for t in others) for others in blocking)
            return later, bool(blocking)

        for part in audit.components(current):
            cell = _next_cell(part, disclosed, rank, pinned)
            if cell is None:
                continue
            for added in _with_rows([cell]) - hidden:
                hidden.add(added)
                local += [r for r in holding.get(added, []) if r not in local]
    raise CannotProtect("a group of relations is still disclosed")


def _hiding(relation: audit.Relation, hidden: set[audit.Cell]) -> audit.Relation:
    """`relation` with the cells of `hidden` suppressed."""
    if not any(t.cell in hidden for t in relation.terms()):
        return relation

    def term(t: audit.Term) -> audit.Term:
        return audit.Term(t.cell, None) if t.cell in hidden else t

    return audit.Relation(term(relation.total), tuple(term(p) for p in relation.parts))


def _next_cell(group: Sequence[audit.Relation], disclosed: set[audit.Cell], rank: Rank,
               pinned: Callable[[audit.Cell], tuple[bool, bool]] = lambda cell: (False, False)
               ) -> audit.Cell | None:  # fmt: skip
    """The cell to suppress for the first disclosed cell of `group`; None when it has none.

    From the relations that hold that cell; when every cell of those is suppressed already,
    from the relations one suppressed cell further, and so on: a BMN row whose surveyed,
    passed and failed are all hidden is still pinned when its surveyed is the one hidden cell
    of its column, and only a cell of that column can widen it. A cell of a lower `rank` is
    taken however far it is (a province's total two steps away before a tambon's cell one
    step away); of one rank, the nearest. A `pinned` cell comes after the others: hidden, a
    relation whose other cells are all published gives it back, and hiding one of those is
    still to do; pinned by cells of a later rank only, it comes last of all (a district's
    total over published tambons: hiding it costs a tambon's cell)."""
    first = min((c for r in group for c in r.unknowns() if c in disclosed), default=None)
    if first is None:
        return None
    reached, seen = {first}, set()
    candidates = []
    for level in range(len(group) + 1):
        holding = [r for r in group if r not in seen and reached & set(r.unknowns())]
        if not holding:
            break
        seen |= set(holding)
        candidates += [
            (
                *_first_two(pinned(term.cell), rank(term.cell)),
                level,
                _preference(term, is_total),
                term.value,
                term.cell,
            )
            for relation in holding
            for is_total, term in [(True, relation.total), *((False, p) for p in relation.parts)]
            if term.value is not None and _may_suppress(term.cell)
        ]
        if candidates and min(candidates)[:3] == (False, 0, False):  # (later, rank, pinned)
            break  # nothing ranks before it: the nearest of the first rank
        reached |= {c for r in holding for c in r.unknowns()}
    if not candidates:
        raise CannotProtect(f"{first}: no published cell of its totals may be suppressed")
    return min(candidates)[-1]


def _first_two(pinned: tuple[bool, bool], rank: int) -> tuple[bool, int, bool]:
    """The first keys of a candidate: pinned by later ranks only, its rank, pinned at all."""
    return pinned[0], rank, pinned[1]


def _preference(term: audit.Term, is_total: bool) -> int:
    value = term.value or 0
    if is_total:
        return 3
    return 0 if value >= audit.MIN_RANGE else 1 if value > 0 else 2


def _may_suppress(cell: audit.Cell) -> bool:
    resource = audit.base_resource(cell.resource)
    small = schemas.SMALL_COUNT_FIELDS.get(resource) or areas.SMALL_COUNT_FIELDS.get(resource)
    return cell.field in (small or ())


def _with_rows(cells: Sequence[audit.Cell]) -> set[audit.Cell]:
    """`cells`, a BMN row's `surveyed` with its `passed` and `failed`: a published part bounds
    a hidden total from below (the rule of `stats.suppress`, which `checks.privacy` holds)."""
    out = set(cells)
    for cell in cells:
        bmn = audit.base_resource(cell.resource) in ("bmn_results", "area_bmn_results")
        if bmn and cell.field == "surveyed":
            out |= {audit.Cell(cell.resource, cell.index, f) for f in ("passed", "failed")}
    return out


def _suppressed(
    tables: Mapping[str, pd.DataFrame], cells: Sequence[audit.Cell]
) -> dict[str, pd.DataFrame]:
    out = dict(tables)
    for cell in sorted(_with_rows(cells)):
        if out[cell.resource] is tables[cell.resource]:
            out[cell.resource] = tables[cell.resource].copy()
        out[cell.resource].loc[cell.index, cell.field] = pd.NA
    return out
