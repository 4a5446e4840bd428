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

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from tambon_portal.checks import disclosure_audit as audit
from tambon_portal.checks.tambon_package import TambonPackage
from tambon_portal.core import schemas

MAX_ROUNDS = 10_000  # far beyond any package: each round suppresses at least one more cell


class CannotProtect(Exception):
    """No published cell left to suppress next to a disclosed one (a bug, or a table whose
    every count is fixed by totals that may not be suppressed)."""


def protect(tables: Mapping[str, pd.DataFrame], code: str) -> dict[str, pd.DataFrame]:
    """`tables` of one tambon with more cells suppressed until no suppressed cell can be
    worked out to fewer than `audit.MIN_RANGE` values; the frames are copies."""
    pkg = TambonPackage(
        package=f"tambon-{code}", code=code, folder_name=code, descriptor={},
        descriptor_file="", files={}, tables={k: v.copy() for k, v in tables.items()},
    )  # fmt: skip
    memo: audit.Memo = {}
    for _ in range(MAX_ROUNDS):
        relations = audit.relations_of(pkg)
        disclosed = {r.cell for r in audit.ranges(relations, memo, disclosed_only=True)}
        if not disclosed:
            return dict(pkg.tables)
        holding: dict[audit.Cell, list[audit.Relation]] = {}
        for relation in relations:
            for term in relation.terms():
                holding.setdefault(term.cell, []).append(relation)
        hidden: set[audit.Cell] = set()
        for group in audit.components(relations):
            if any(c in disclosed for r in group for c in r.unknowns()):
                _protect_group(group, holding, hidden, memo)
        pkg = replace(pkg, tables=_suppressed(pkg.tables, sorted(hidden)))
    raise CannotProtect(f"tambon {code}: still disclosed after {MAX_ROUNDS} rounds")


def _protect_group(
    group: list[audit.Relation],
    holding: Mapping[audit.Cell, list[audit.Relation]],
    hidden: set[audit.Cell],
    memo: audit.Memo,
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
        for part in audit.components(current):
            cell = _next_cell(part, disclosed)
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


def _next_cell(group: Sequence[audit.Relation], disclosed: set[audit.Cell]) -> audit.Cell | None:
    """The cell to suppress for the first disclosed cell of `group`; None when it has none.

    From the relations that hold that cell; when every cell of those is suppressed already,
    from the relations one suppressed cell further, and so on: a BMN row whose surveyed,
    passed and failed are all hidden is still pinned when its surveyed is the one hidden cell
    of its column, and only a cell of that column can widen it."""
    first = min((c for r in group for c in r.unknowns() if c in disclosed), default=None)
    if first is None:
        return None
    reached, seen = {first}, set()
    while True:
        holding = [r for r in group if r not in seen and reached & set(r.unknowns())]
        if not holding:
            raise CannotProtect(f"{first}: no published cell of its totals may be suppressed")
        seen |= set(holding)
        candidates = [
            (_preference(term, is_total), term.value, term.cell)
            for relation in holding
            for is_total, term in [(True, relation.total), *((False, p) for p in relation.parts)]
            if term.value is not None and _may_suppress(term.cell)
        ]
        if candidates:
            return min(candidates)[2]
        reached |= {c for r in holding for c in r.unknowns()}


def _preference(term: audit.Term, is_total: bool) -> int:
    value = term.value or 0
    if is_total:
        return 3
    return 0 if value >= audit.MIN_RANGE else 1 if value > 0 else 2


def _may_suppress(cell: audit.Cell) -> bool:
    return cell.field in schemas.SMALL_COUNT_FIELDS.get(cell.resource, ())


def _with_rows(cells: Sequence[audit.Cell]) -> set[audit.Cell]:
    """`cells`, a BMN row's `surveyed` with its `passed` and `failed`: a published part bounds
    a hidden total from below (the rule of `stats.suppress`, which `checks.privacy` holds)."""
    out = set(cells)
    for cell in cells:
        if cell.resource == "bmn_results" and cell.field == "surveyed":
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
