"""The lowest and highest value a set of published additive relations leaves each suppressed
cell (the linear programs of the disclosure audit, `disclosure_audit`, issue 11).

Each suppressed count is an unknown, at least 0; each relation, total = sum(parts), is an
equation over published numbers and unknowns. The relations are grouped so that no unknown
is in two groups, and for each unknown of a group two linear programs (HiGHS, `highspy`) give
its lowest and highest value, rounded inward to whole numbers. A cell whose range is
narrower than `MIN_RANGE` is disclosed: a reader can place it among fewer than five values.

The linear program is the relaxation τ-Argus' audit also solves: an integer program can be
tighter still, so a cell this clears may in rare cases be narrower; a cell it flags is
disclosed for certain.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

import numpy as np

from tambon_portal.core import lazy

highspy = lazy.module("highspy")  # only the audit solves anything

MIN_RANGE = 5  # highest − lowest at least this: no suppressed cell placed inside 1–4
_SLACK = 1e-6  # a solver's rounding, not a reader's knowledge
_CAP = 1e9  # above any published count (the country has 70 million people)
# A highest this far up is the cap showing through a relation (x = y + 20, both unbounded),
# not a bound the published numbers set.
_UNBOUNDED = _CAP / 2


class Cell(NamedTuple):
    """A cell of a published table: its resource, row (index of the frame) and field.
    (Named tuples, not dataclasses: the audit hashes and compares cells a million times.)"""

    resource: str
    index: int
    field: str


class Term(NamedTuple):
    """A cell of a relation and its published value (None: suppressed, unknown)."""

    cell: Cell
    value: int | None


class Relation(NamedTuple):
    """total = sum(parts), as the published tables keep it."""

    total: Term
    parts: tuple[Term, ...]

    def terms(self) -> tuple[Term, ...]:
        return (self.total, *self.parts)

    def unknowns(self) -> list[Cell]:
        return [t.cell for t in self.terms() if t.value is None]


@dataclass(frozen=True)
class CellRange:
    """What the published numbers leave of one suppressed cell: its lowest and highest
    whole value (`math.inf` when nothing bounds it from above)."""

    cell: Cell
    lowest: float
    highest: float

    @property
    def width(self) -> float:
        return self.highest - self.lowest

    @property
    def disclosed(self) -> bool:
        return self.width < MIN_RANGE


def components(relations: Sequence[Relation]) -> list[list[Relation]]:
    """The relations grouped so that no unknown is in two groups: each group is one small
    linear program (a tambon's indicator in one year, say), not one program of thousands."""
    parent: dict[Cell, Cell] = {}

    def root(cell: Cell) -> Cell:
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for relation in relations:
        unknowns = relation.unknowns()
        for other in unknowns[1:]:
            parent[root(other)] = root(unknowns[0])
    groups: dict[Cell, list[Relation]] = {}
    for relation in relations:
        if unknowns := relation.unknowns():
            groups.setdefault(root(unknowns[0]), []).append(relation)
    return list(groups.values())


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints its banner from C++ when a solver is made, before any option can be set:
    only the CLI prints, so the process's own stdout is closed for that moment."""
    try:
        saved = os.dup(1)
    except OSError:  # no stdout at all: nothing to keep clean
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _solver() -> Any:  # highspy is imported lazily: its types are not at hand here
    with _quiet_stdout():
        solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("presolve", "off")  # tiny programs, re-solved from the last basis
    return solver


Group = tuple[Relation, ...]


class Memo(Protocol):
    """Each group's answer, by the group: a dict, or one kept on disk between runs
    (`verdict_cache.KeptRanges`)."""

    def get(self, group: Group, /) -> list[CellRange] | None: ...

    def __setitem__(self, group: Group, found: list[CellRange], /) -> None: ...


def ranges(
    relations: Sequence[Relation], memo: Memo | None = None, *, disclosed_only: bool = False
) -> list[CellRange]:
    """The range of every unknown of `relations`, in cell order.

    `disclosed_only`: the ranges of the disclosed cells only (each exact). A cell is proved
    safe as soon as two solutions already found put it `MIN_RANGE` apart, so most cells need
    no program of their own: what `authoring.protection` asks after each cell it suppresses.
    `memo` keeps each group's answer under the group itself (its cells and published values);
    one memo serves one `disclosed_only`."""
    found: list[CellRange] = []
    solver = None
    for group in components(relations):
        key = tuple(group)
        if memo is not None and (kept := memo.get(key)) is not None:
            found += kept
            continue
        solver = solver or _solver()
        group_ranges = _group_ranges(solver, group, disclosed_only)
        if memo is not None:
            memo[key] = group_ranges
        found += group_ranges
    return sorted(found, key=lambda r: r.cell)


def _group_ranges(solver: Any, group: list[Relation], disclosed_only: bool) -> list[CellRange]:
    cells = sorted({c for relation in group for c in relation.unknowns()})
    column = {cell: i for i, cell in enumerate(cells)}
    solver.clearModel()
    # A cap far above any count keeps every program bounded, so each run gives a solution
    # (`_Seen`); a cell that reaches it is unbounded.
    solver.addVars(len(cells), np.zeros(len(cells)), np.full(len(cells), _CAP))
    # what one relation alone allows each cell at least and at most (the others being >= 0)
    floor, ceiling = np.zeros(len(cells)), np.full(len(cells), np.inf)
    for relation in group:
        # sum(parts) - total = 0, published numbers moved to the right-hand side
        coefficients: dict[int, float] = {}
        rhs = 0.0
        for sign, term in [(-1.0, relation.total), *((1.0, p) for p in relation.parts)]:
            if term.value is None:
                at = column[term.cell]
                coefficients[at] = coefficients.get(at, 0.0) + sign
            else:
                rhs -= sign * term.value
        indices = np.array(list(coefficients), dtype=np.int32)
        values = np.array(list(coefficients.values()), dtype=np.float64)
        solver.addRow(rhs, rhs, len(indices), indices, values)
        _tighten(floor, ceiling, indices, values, rhs)
    seen = _Seen(len(cells))
    result = []
    n = len(cells)
    everything = np.arange(n, dtype=np.int32)
    for i, cell in enumerate(cells):
        if disclosed_only and seen.apart(i):
            continue  # two feasible solutions already differ by MIN_RANGE here: safe
        # The highest first: vertex solutions put most cells at 0, so after it most cells
        # are known to reach both ends. A solution found already at the cell's ceiling is
        # its highest (no solution passes a ceiling), one at its floor (0, for most) its
        # lowest, with no program of their own; a cell the maximum already set apart needs
        # no minimum when only the disclosed are asked for.
        costs = np.zeros(n)
        costs[i] = 1.0
        objective = (solver, n, everything, costs)
        if seen.high[i] >= ceiling[i] - _SLACK:
            highest: float | None = float(ceiling[i])
        else:
            highest = _optimum(objective, highspy.ObjSense.kMaximize, seen)
        if seen.low[i] <= floor[i] + _SLACK:
            lowest: float | None = float(floor[i])
        elif disclosed_only and seen.apart(i):
            continue
        else:
            lowest = _optimum(objective, highspy.ObjSense.kMinimize, seen)
        if lowest is None or highest is None:
            continue  # inconsistent published numbers: the project checks report those
        low = math.ceil(lowest - _SLACK)
        high = math.inf if highest >= _UNBOUNDED else math.floor(highest + _SLACK)
        found = CellRange(cell, float(low), float(high))
        if not disclosed_only or found.disclosed:
            result.append(found)
    return result


def _tighten(
    floor: np.ndarray, ceiling: np.ndarray, indices: np.ndarray, values: np.ndarray, rhs: float
) -> None:
    """Tightens `floor` and `ceiling` by one relation, sum(values * cells) = rhs, every cell
    >= 0. A cell counted the same way as every other cell of it is at most rhs over its
    coefficient (a part of a published total); one counted against all the others, at least
    that (a hidden total is at least its published parts)."""
    if not len(values):
        return
    bound = rhs / values
    positive, negative = values > 0, values < 0
    if positive.all() or negative.all():
        np.minimum.at(ceiling, indices, bound)
    for side in (positive, negative):
        if side.sum() == 1:
            np.maximum.at(floor, indices[side], bound[side])


class _Seen:
    """The lowest and highest value of each unknown among the solutions found so far."""

    def __init__(self, size: int) -> None:
        self.low = np.full(size, np.inf)
        self.high = np.full(size, -np.inf)

    def add(self, solution: Sequence[float]) -> None:
        values = np.asarray(solution, dtype=np.float64)
        self.low = np.minimum(self.low, values)
        self.high = np.maximum(self.high, values)

    def apart(self, i: int) -> bool:
        return bool(self.high[i] - self.low[i] >= MIN_RANGE + _SLACK)


def _optimum(objective: tuple[Any, int, np.ndarray, np.ndarray], sense: Any, seen: _Seen
             ) -> float | None:  # fmt: skip
    """The optimum of one cell (`objective`: the solver and the costs that pick the cell, set
    only here, so a cell its floor and ceiling answer costs no call into HiGHS at all)."""
    solver, n, everything, costs = objective
    solver.changeColsCost(n, everything, costs)
    solver.changeObjectiveSense(sense)
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kUnbounded:
        return math.inf if sense == highspy.ObjSense.kMaximize else -math.inf
    if status != highspy.HighsModelStatus.kOptimal:
        return None
    seen.add(solver.getSolution().col_value)
    return float(solver.getInfo().objective_function_value)
