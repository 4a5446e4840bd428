"""The disclosure audit (`checks/disclosure_audit`, issue 11): a suppressed cell that a reader
can work out from the published numbers is found, with its file, row and field."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import highspy
import pandas as pd
import pytest
from csv_edits import add_to_first_row
from hypothesis import given, settings
from hypothesis import strategies as st

from tambon_portal import cli
from tambon_portal.authoring import sample
from tambon_portal.checks import disclosure_audit as da
from tambon_portal.checks.tambon_package import TambonPackage

COMMITTED = Path(__file__).resolve().parents[1] / "datapackages"
X = None  # a suppressed cell, as the typed frames hold it (<NA>)


def frame(rows: list[dict], counts: tuple[str, ...]) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    return table.astype({c: "Int64" for c in counts})


def package(**tables: pd.DataFrame) -> TambonPackage:
    return TambonPackage(
        package="tambon-800415", code="800415", folder_name="800415", descriptor={},
        descriptor_file="80/800415/datapackage.json",
        files={name: f"80/800415/data/{name}.csv" for name in tables}, tables=dict(tables),
    )  # fmt: skip


def bmn(rows: list[tuple]) -> pd.DataFrame:
    keys = ("area_code", "area_level", "year_be", "indicator", "surveyed", "passed", "failed")
    return frame([dict(zip(keys, r, strict=True)) for r in rows], keys[2:])


def villages(*codes: str) -> pd.DataFrame:
    return pd.DataFrame({"village_code": list(codes)})


def ranges_by_cell(pkg: TambonPackage) -> dict[tuple[str, int, str], tuple[float, float]]:
    audit = da.audit_package(pkg)
    return {(r.cell.resource, r.cell.index, r.cell.field): (r.lowest, r.highest)
            for r in audit.ranges}  # fmt: skip


# --- the two kinds of leak the issue names ---------------------------------------------------


def test_villages_suppressed_whole_under_a_tambon_with_none_failed_are_each_known_to_be_zero():
    # downloads/tambon-800415/bmn_results.csv row 12 of the pilot: a village's x,x,x under a
    # tambon row 38,38,0: every village has failed = 0, so each household's result is known.
    pkg = package(
        bmn_results=bmn([
            ("800415", "tambon", 2568, 2, 38, 38, 0),
            ("80041501", "village", 2568, 2, X, X, X),
            ("80041502", "village", 2568, 2, 9, 9, 0),
            ("80041503", "village", 2568, 2, X, X, X),
            ("80041504", "village", 2568, 2, 25, 25, 0),
        ]),
        villages=villages("80041501", "80041502", "80041503", "80041504"),
    )  # fmt: skip
    found = ranges_by_cell(pkg)
    assert found[("bmn_results", 1, "failed")] == (0, 0)
    assert found[("bmn_results", 3, "failed")] == (0, 0)
    assert found[("bmn_results", 1, "surveyed")] == (0, 4)  # 38 − 9 − 25 between the two
    problems = da.problems_of(pkg, da.audit_package(pkg))
    where = {(p.file, p.row, p.field) for p in problems}
    assert ("80/800415/data/bmn_results.csv", 3, "failed") in where  # frame row 1 = file row 3
    assert all(p.code == da.CODE for p in problems)
    assert "it is exactly 0" in next(p.message for p in problems if p.row == 3)


def test_an_income_bracket_suppressed_with_its_partner_is_given_back_by_the_households_below_line():
    # A bracket of 3 hidden with a partner passes the per-cell rule, but households_below_line
    # minus the other bracket under the line gives it back.
    brackets = frame(
        [{"year_be": 2568, "bracket": b, "households": n}
         for b, n in [("lt30k", X), ("30k-38k", 19), ("38k-60k", 640), ("60k-100k", X),
                      ("100k-150k", 186), ("ge150k", 128)]],
        ("year_be", "households"),
    )  # fmt: skip
    summary = frame(
        [{"year_be": 2568, "households_surveyed": 1476, "households_below_line": 22}],
        ("year_be", "households_surveyed", "households_below_line"),
    )
    found = ranges_by_cell(package(income_brackets=brackets, income_summary=summary))
    assert found[("income_brackets", 0, "households")] == (3, 3)
    assert found[("income_brackets", 3, "households")] == (1476 - 22 - 640 - 186 - 128,) * 2


def test_cells_hidden_among_enough_others_keep_a_range_of_at_least_five():
    pkg = package(
        bmn_results=bmn([
            ("800415", "tambon", 2568, 2, 40, 31, 9),
            ("80041501", "village", 2568, 2, 20, X, X),
            ("80041502", "village", 2568, 2, 20, X, X),
        ]),
        villages=villages("80041501", "80041502"),
    )  # fmt: skip
    audit = da.audit_package(pkg)
    assert audit.suppressed == 4 and len(audit.ranges) == 4
    assert {(r.lowest, r.highest) for r in audit.ranges} == {(11, 20), (0, 9)}
    assert audit.disclosed() == []


def test_a_tambon_row_is_no_sum_of_villages_when_a_village_has_no_row():
    pkg = package(
        bmn_results=bmn([
            ("800415", "tambon", 2568, 2, 38, 38, 0),
            ("80041501", "village", 2568, 2, X, X, X),
        ]),
        villages=villages("80041501", "80041502"),  # 80041502 has no row: not a sum
    )  # fmt: skip
    found = ranges_by_cell(pkg)
    assert found[("bmn_results", 1, "failed")] == (0, float("inf"))


# --- soundness: the true value is always inside its range ------------------------------------


@st.composite
def hidden_sums(draw: st.DrawFn) -> tuple[list[list[int]], list[list[bool]]]:
    """A few totals of parts (non-negative counts), some parts hidden."""
    totals = draw(st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=6), min_size=1,
                           max_size=3))  # fmt: skip
    hidden = [draw(st.lists(st.booleans(), min_size=len(p), max_size=len(p))) for p in totals]
    return totals, hidden


@settings(max_examples=60, deadline=None)
@given(hidden_sums())
def test_every_hidden_value_lies_in_its_range_and_a_lone_hidden_part_is_pinned(case):
    totals, hidden = case
    relations, truth = [], {}
    for t, (parts, mask) in enumerate(zip(totals, hidden, strict=True)):
        terms: list[da.Term] = []
        for i, (value, secret) in enumerate(zip(parts, mask, strict=True)):
            cell = da.Cell("t", t, f"c{i}")
            if secret:
                truth[cell] = value
            terms.append(da.Term(cell, None if secret else value))
        relations.append(da.Relation(da.Term(da.Cell("t", t, "total"), sum(parts)), tuple(terms)))
    found = {r.cell: r for r in da.ranges(relations)}
    assert set(found) == set(truth)
    for cell, value in truth.items():
        assert found[cell].lowest <= value <= found[cell].highest
    for t, mask in enumerate(hidden):
        if sum(mask) == 1:
            lone = next(c for c in truth if c.index == t)
            assert found[lone].width == 0


@st.composite
def hidden_tables(draw: st.DrawFn) -> tuple[list[list[int]], set[tuple[int, int]]]:
    """A two-way table of counts with its row and column totals (the last row and column),
    some cells hidden: how villages x (passed, failed) sit under a tambon row."""
    rows = draw(st.integers(1, 4))
    columns = draw(st.integers(1, 3))
    body = [draw(st.lists(st.integers(0, 30), min_size=columns, max_size=columns))
            for _ in range(rows)]  # fmt: skip
    table = [[*r, sum(r)] for r in body]
    table.append([sum(r[c] for r in table) for c in range(columns + 1)])
    cells = [(r, c) for r in range(rows + 1) for c in range(columns + 1)]
    return table, set(draw(st.lists(st.sampled_from(cells), min_size=1, max_size=8)))


def _plain_lp_range(relations: list[da.Relation], cell: da.Cell) -> tuple[float, float]:
    """The lowest and highest of `cell` from two linear programs of their own, nothing
    skipped (the oracle of `ranges`, which skips programs it can)."""
    unknowns = sorted({c for r in relations for c in r.unknowns()})
    found = []
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        for _ in unknowns:
            h.addVar(0, 1e9)
        for r in relations:
            coefficients: dict[int, float] = {}
            rhs = 0.0
            for sign, term in [(-1.0, r.total), *((1.0, p) for p in r.parts)]:
                if term.value is None:
                    at = unknowns.index(term.cell)
                    coefficients[at] = coefficients.get(at, 0.0) + sign
                else:
                    rhs -= sign * term.value
            h.addRow(rhs, rhs, len(coefficients), list(coefficients), list(coefficients.values()))
        h.changeColCost(unknowns.index(cell), 1.0)
        h.changeObjectiveSense(sense)
        h.run()
        found.append(h.getInfo().objective_function_value)
    low, high = found
    return math.ceil(low - 1e-6), math.inf if high >= 5e8 else math.floor(high + 1e-6)


@settings(max_examples=80, deadline=None)
@given(hidden_tables())
def test_ranges_equal_two_plain_linear_programs_per_cell(case):
    """The programs `ranges` skips (a solution already at a cell's floor or ceiling) change
    no range: each equals the lowest and highest two programs of its own give."""
    table, hidden = case
    cell = {
        (r, c): da.Cell("t", r, f"c{c}") for r in range(len(table)) for c in range(len(table[0]))
    }
    term = {k: da.Term(cell[k], None if k in hidden else v)
            for k, v in ((k, table[k[0]][k[1]]) for k in cell)}  # fmt: skip
    last_row, last_column = len(table) - 1, len(table[0]) - 1
    relations = [
        da.Relation(term[(r, last_column)], tuple(term[(r, c)] for c in range(last_column)))
        for r in range(last_row + 1)
    ] + [
        da.Relation(term[(last_row, c)], tuple(term[(r, c)] for r in range(last_row)))
        for c in range(last_column + 1)
    ]
    for found in da.ranges(relations):
        assert (found.lowest, found.highest) == _plain_lp_range(relations, found.cell)


def test_a_hidden_total_and_its_hidden_part_are_unbounded_not_bounded_by_the_solver_cap():
    total, part = da.Cell("t", 0, "total"), da.Cell("t", 0, "c0")
    relation = da.Relation(
        da.Term(total, None), (da.Term(part, None), da.Term(da.Cell("t", 0, "c1"), 20))
    )
    found = {r.cell: r for r in da.ranges([relation])}
    assert found[total].lowest == 20 and found[part].lowest == 0
    assert found[total].highest == found[part].highest == math.inf


# --- the command -----------------------------------------------------------------------------


def write_with_primary_suppression_only(root: Path, code: str) -> None:
    """The package the generator wrote before secondary suppression (the pilot until issue
    11): small counts hidden with a partner in each table, nothing across tables."""
    frames = {
        name: sample.SUPPRESSORS.get(name, pd.DataFrame.copy)(frame)
        for name, frame in sample.raw_tambon(code).items()
    }
    folder = root / "80" / code
    (folder / "data").mkdir(parents=True)
    descriptor = json.dumps(sample.descriptor(code), ensure_ascii=False, indent=2) + "\n"
    (folder / "datapackage.json").write_text(descriptor, encoding="utf-8")
    for relative, text in sample.data_files(frames).items():
        (folder / relative).write_text(text, encoding="utf-8")


def test_validate_refuses_a_package_whose_suppressed_cells_can_be_worked_out(tmp_path, capsys):
    # downloads/tambon-800415/bmn_results.csv row 12 of the pilot before issue 11: x,x,x under
    # a tambon row 38,38,0.
    write_with_primary_suppression_only(tmp_path / "data", "800415")
    assert cli.main(["validate", "--data", str(tmp_path / "data"), "--no-cache"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("80/800415/data/bmn_results.csv:12:failed: ") for line in out)
    assert all(line.endswith(f"[{da.CODE}]") for line in out[:-1])


def test_the_committed_pilot_passes_the_audit_and_tambon_audit_says_with_what_margin(
    tmp_path, capsys
):
    data = tmp_path / "data"
    shutil.copytree(COMMITTED / "80" / "800415", data / "80" / "800415")
    assert cli.main(["audit", "--data", str(data), "--no-cache"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("1 package audited: ")
    assert "none can be worked out to fewer than 5 values" in out[-1]
    assert "the narrowest range is " in out[-1]


def test_secondary_suppression_leaves_no_cell_the_audit_can_narrow_and_only_adds_x():
    code = "800415"
    primary = {
        name: sample.SUPPRESSORS.get(name, pd.DataFrame.copy)(frame)
        for name, frame in sample.raw_tambon(code).items()
    }
    protected = sample.suppressed(sample.raw_tambon(code))
    for name, frame in primary.items():
        for column in frame.columns:
            if str(frame[column].dtype) == "Int64":
                published = protected[name][column].notna()
                assert (frame[column][published] == protected[name][column][published]).all()
                assert not (frame[column].isna() & published).any()  # nothing revealed
    pkg = TambonPackage(f"tambon-{code}", code, code, {}, "", {}, protected)
    assert da.audit_package(pkg).disclosed() == []
    assert da.audit_package(TambonPackage(code, code, code, {}, "", {}, primary)).disclosed()


def test_tambon_audit_of_invalid_data_reports_the_problems_and_audits_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(COMMITTED / "80" / "800415", data / "80" / "800415")
    summary = data / "80" / "800415" / "data" / "income_summary.csv"
    add_to_first_row(summary, "households_below_line", 1)  # no longer indicator 22's failed
    assert cli.main(["audit", "--data", str(data), "--no-cache"]) == 1
    captured = capsys.readouterr()
    assert "households_below_line" in captured.out
    assert "the audit reads valid packages only" in captured.err
    assert "audited" not in captured.out


def test_tambon_audit_of_a_folder_without_packages_exits_2(tmp_path, capsys):
    assert cli.main(["audit", "--data", str(tmp_path), "--no-cache"]) == 2
    assert "no data packages" in capsys.readouterr().err


@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "cache"])
def test_tambon_audit_names_the_cells_it_can_work_out_with_or_without_the_verdict_cache(
    tmp_path, capsys, cached
):
    # Without the cache the validation leaves its own audit to this one: the same cells are
    # named either way, as the audit's problems with its summary, not as invalid data.
    write_with_primary_suppression_only(tmp_path / "data", "800415")
    options = ["--out", str(tmp_path / "site")] if cached else ["--no-cache"]
    assert cli.main(["audit", "--data", str(tmp_path / "data"), *options]) == 1
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    assert any(line.startswith("80/800415/data/bmn_results.csv:12:failed: ") for line in out)
    assert all(line.endswith(f"[{da.CODE}]") for line in out[:-1])
    assert out[-1].startswith("1 package audited: ") and "can be worked out" in out[-1]
    assert "the audit reads valid packages only" not in captured.err
