"""The fast path of `tambon validate` never calls valid what frictionless finds invalid.

frictionless is the reference (TAMBON_FASTCHECK=off): on every package the validate tests
check, and on packages with one cell changed at random, the problems found with the fast
path are the problems frictionless finds.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from fixtures import validate_corpus
from fixtures.paths import CONFORMANCE, FIXTURES
from fixtures.tambon_package import csv_text, descriptor, tables, write_tambon_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tambon_portal
from tambon_portal.checks import fast_csv, fastcheck, validate
from tambon_portal.core import schemas
from tambon_portal.packages import descriptor_reader, discovery, table_reader

YEAR_BE = 2568
REPO = FIXTURES.parents[1]
COMMITTED = REPO / "datapackages"


class NotProven(Exception):
    """Raised by a stopping Spy where frictionless would now run in the fast path's place."""


class Spy:
    """Records whether the fast path vouched for the packages validated meanwhile; with
    `stop`, a package it does not vouch for raises NotProven instead of going on to
    frictionless (whose problems are then the reference's by construction)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, stop: bool = False) -> None:
        self.vouched: list[bool] = []
        real = fastcheck.proves_valid

        def spying(descriptor: dict, texts: dict) -> object:
            proof = real(descriptor, texts)
            self.vouched.append(proof is not None)
            if proof is None and stop and fastcheck.enabled():
                raise NotProven
            return proof

        monkeypatch.setattr(fastcheck, "proves_valid", spying)


@pytest.fixture
def spy(monkeypatch) -> Spy:
    return Spy(monkeypatch)


def both_paths(ref: discovery.PackageRef, root: Path, year: int, spy: Spy, monkeypatch) -> tuple:
    """(problems with the fast path, problems from frictionless alone, whether it vouched).

    When the fast path does not vouch, frictionless has already run in its place: the two
    are then the same by construction, and frictionless is not run a second time."""
    spy.vouched.clear()
    monkeypatch.delenv(fastcheck.ENV, raising=False)
    fast = validate.validate_package(ref, root, year)
    if not any(spy.vouched):
        return fast, fast, False
    monkeypatch.setenv(fastcheck.ENV, fastcheck.OFF)
    reference = validate.validate_package(ref, root, year)
    monkeypatch.delenv(fastcheck.ENV)
    return fast, reference, True


@pytest.fixture(scope="module")
def validate_corpus_cases(tmp_path_factory) -> list[Path]:
    """A copy of every package tests/test_validate.py and tests/test_packages.py validate
    (the bad-input corpus), made by running them with the fixtures.validate_corpus plugin."""
    corpus = tmp_path_factory.mktemp("corpus")
    source = Path(tambon_portal.__file__).resolve().parents[1]
    env = {
        **os.environ,
        validate_corpus.ENV: str(corpus),
        "PYTHONPATH": os.pathsep.join([str(source), str(FIXTURES.parent)]),
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "fixtures.validate_corpus", "-p",
         "no:cacheprovider", "-q", "-k", "not committed_pilot",  # the committed data: below
         str(REPO / "tests" / "test_validate.py"), str(REPO / "tests" / "test_packages.py")],
        cwd=tmp_path_factory.mktemp("cwd"), env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return sorted(corpus.iterdir())


def test_the_fast_path_and_frictionless_agree_on_the_whole_bad_input_corpus(
    validate_corpus_cases, monkeypatch
):
    """Every package the fast path proves valid gets exactly the problems frictionless alone
    gives it (those of the project checks and the privacy scan, none of frictionless'); every
    other package goes to frictionless, which explains it as before."""
    spy = Spy(monkeypatch, stop=True)
    cases = [
        (discovery.package_ref(folder), case, int((case / validate_corpus.YEAR_FILE).read_text()))
        for case in validate_corpus_cases
        for folder in case.iterdir()
        if folder.is_dir()
    ]
    cases += [(ref, CONFORMANCE, YEAR_BE) for ref in discovery.discover(CONFORMANCE)]
    disagreements, vouched = [], 0
    for ref, root, year in cases:
        try:
            fast, reference, proven = both_paths(ref, root, year, spy, monkeypatch)
        except NotProven:
            continue
        vouched += proven
        if fast != reference:
            disagreements.append((str(ref.folder), reference))
    assert disagreements == []
    # Both ways are exercised: packages proven valid, and packages frictionless explained.
    assert len(cases) > 100 and 20 <= vouched < len(cases) - 50


def proof_and_frames(ref: discovery.PackageRef) -> tuple[object, list]:
    """The fast path's proof for a package whose resources are CSV files, and for each of its
    tables (resource, frame made from what the fast path read, frame load_table gives)."""
    given = descriptor_reader.read_descriptor(ref.descriptor_path)
    texts = {
        r["name"]: (ref.folder / r["path"]).read_text(encoding="utf-8-sig")
        for r in given["resources"]
    }
    proof = fastcheck.proves_valid(given, texts)
    if proof is None:
        return None, []
    return proof, [
        (r["name"], fastcheck.typed_frame(proof[r["name"]], r["schema"]),
         table_reader.load_table(r, ref.folder))
        for r in given["resources"]
    ]  # fmt: skip


def assert_same_frames(frames: list) -> None:
    for name, made, loaded in frames:
        if made is not None:
            pd.testing.assert_frame_equal(made, loaded, check_exact=True, obj=name)


def test_every_committed_package_is_proven_valid_and_typed_as_load_table_types_it():
    refs = discovery.discover(COMMITTED)
    if not refs:
        pytest.skip("pilot packages not generated")
    unproven, not_made = [], []
    for ref in refs:
        proof, frames = proof_and_frames(ref)
        if proof is None:
            unproven.append(ref.name)
        assert_same_frames(frames)
        not_made += [(ref.name, name) for name, made, _ in frames if made is None]
    assert unproven == [] and not_made == []


def test_fastcheck_off_sends_every_package_to_frictionless(tmp_path, spy, monkeypatch):
    write_tambon_package(tmp_path)
    monkeypatch.setenv(fastcheck.ENV, "OFF")
    assert validate.validate_tree(tmp_path, YEAR_BE) == []
    assert spy.vouched == [False]


# --- one cell changed at random ---------------------------------------------------------------

# Values frictionless reads in surprising ways: Thai and Arabic-Indic digits, spaces, signs,
# separators, exponents, other cases of the missing value x, numbers beyond 64 bits ...
ODD_VALUES = [
    "", "x", "X", " ", "-1", "0", "1", "99", "100", "2499", "2500", "2700", "2701", "๑", "๒๕๖๘",
    "2568", " 12", "12 ", "+12", "1_000", "1,000", "1.5", "1.0", "1e3", "١٢", "nan", "NaN",
    "true", "TRUE", "yes", "99999999999999999999", "2025-13-01", "2025-01-01", "๒๐๒๕-๐๑-๐๑",
    "800106", "๘๐๐๑๐๖", "80010601", "8001060", "80010603", "tambon", "village", "male",
    "female", "0-4", "rubber", "P01", "P1", "P001", "sao", "income", "a\nb", '"', "\t1",
]  # fmt: skip
values = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=6))


@st.composite
def one_change(draw) -> tuple:
    """(resource, how, row, column, value): one cell set, copied from another row or moved
    one up (a code or count + 1: another village, an unknown tambon, a number out of range),
    a row repeated or emptied, or a cell dropped or added."""
    rows = tables()
    resource = draw(st.sampled_from(sorted(rows)))
    row = draw(st.integers(1, len(rows[resource]) - 1))
    column = draw(st.integers(0, len(rows[resource][0]) - 1))
    how = draw(st.sampled_from(["set", "set", "copy", "up", "repeat", "empty", "drop", "add"]))
    other = draw(st.integers(1, len(rows[resource]) - 1))
    return resource, how, row, column, draw(values) if how in ("set", "add") else other


def apply(change: tuple, rows: dict, descriptor: dict) -> None:
    """Makes the change, in a package of the changed resource and those it refers to (a
    smaller package: frictionless, the reference, takes a second on all ten)."""
    resource, how, row, column, value = change
    table = rows[resource]
    if how == "set":
        table[row][column] = value
    elif how == "copy":
        table[row][column] = table[value][column]
    elif how == "up":
        cell = table[row][column]
        table[row][column] = str(int(cell) + 1).zfill(len(cell)) if cell.isdigit() else cell + "1"
    elif how == "repeat":
        table.append(list(table[value]))
    elif how == "empty":
        table[row] = [""] * len(table[row])
    elif how == "drop":
        del table[row][column]
    else:
        table[row].insert(column, value)
    kept = referred_to(resource)
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in kept]
    for name in set(rows) - kept:
        del rows[name]


def referred_to(resource: str) -> set[str]:
    """The resource and every resource its foreign keys lead to."""
    found, todo = set(), [resource]
    while todo:
        name = todo.pop()
        found.add(name)
        todo += [fk["reference"]["resource"] for fk in schemas.SCHEMAS[name].get("foreignKeys", [])]
    return found


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(change=one_change())
def test_a_changed_cell_is_never_proven_valid_when_frictionless_finds_a_problem(
    change, tmp_path_factory, spy, monkeypatch
):
    root = tmp_path_factory.mktemp("one-change")
    write_tambon_package(root, edit=lambda t, d: apply(change, t, d))
    (ref,) = discovery.discover(root)
    fast, reference, proven = both_paths(ref, root, YEAR_BE, spy, monkeypatch)
    assert fast == reference
    if proven:  # and the project checks saw the frames load_table gives
        assert_same_frames(proof_and_frames(ref)[1])


def test_thai_digits_frictionless_accepts_are_proven_valid():
    rows = tables()
    rows["villages"][1][2] = "๑"  # village_no 1 in Thai digits: frictionless reads 1
    rows["villages"][1][5] = "๑๒๐"  # households 120
    texts = {name: csv_text(table) for name, table in rows.items()}
    assert fastcheck.proves_valid(descriptor(), texts) is not None


def test_a_key_in_thai_digits_repeating_one_in_arabic_digits_goes_to_frictionless(tmp_path):
    def repeat_in_thai_digits(rows, _descriptor):
        rows["population"][2][1:4] = ["๒๕๖๘", *rows["population"][1][2:4]]  # row 2's key again

    write_tambon_package(tmp_path, edit=repeat_in_thai_digits)
    rows = tables()
    repeat_in_thai_digits(rows, None)
    texts = {name: csv_text(table) for name, table in rows.items()}
    assert fastcheck.proves_valid(descriptor(), texts) is None
    codes = {p.code for p in validate.validate_tree(tmp_path, YEAR_BE)}
    assert "primary-key" in codes


def test_free_text_is_replaced_before_the_metadata_check_and_nothing_else():
    given = descriptor()
    given["keywords"] = ["ตำบลท่าไร่", ""]
    given["title_en"] = "Tha Rai"
    out = fastcheck.canonical(given)
    assert (out["name"], out["title"], out["title_en"], out["tambon_code"]) == ("p", "t", "t", "t")
    assert out["keywords"] == ["t", ""]  # empty text stays empty
    assert out["licenses"] == given["licenses"]
    assert [r["schema"] for r in out["resources"]] == [r["schema"] for r in given["resources"]]
    assert fastcheck.canonical({**given, "name": "Not/A v1 Name"})["name"] == "Not/A v1 Name"


def test_a_blank_row_of_optional_fields_goes_to_frictionless(tmp_path):
    # The shared schemas make some field of every table required, so a blank row of theirs
    # already fails `required`; in a generic table of optional fields only blank-row says it.
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "t.csv").write_text("a,b\n1,2\n,\n", encoding="utf-8")
    schema = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}]}
    resource = {"name": "t", "path": "t.csv", "encoding": "utf-8", "schema": schema}
    (folder / "datapackage.json").write_text(json.dumps({"name": "g", "resources": [resource]}))
    given = {"name": "g", "resources": [resource]}
    assert fastcheck.proves_valid(given, {"t": "a,b\n1,2\n,\n"}) is None
    assert fastcheck.proves_valid(given, {"t": "a,b\n1,2\n,3\n"}) is not None
    assert [(p.row, p.code) for p in validate.validate_tree(tmp_path, YEAR_BE)] == [
        (3, "blank-row")
    ]


@pytest.mark.parametrize(
    ("text", "made"),
    [
        ('a,b\n1,"x, y"\n', True),  # quoted as the csv module quotes: pandas agrees
        ('a,b\n1,"x"y\n', False),  # text after a closing quote: parsers differ, load it
        ("a,b\r1,2\r", False),  # lone carriage returns
        ("a,b\n", False),  # no row: load_table's empty frame
    ],
)
def test_a_frame_is_made_only_from_text_pandas_splits_the_same_way(text, made):
    schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}]}
    resource = {"name": "t", "path": "t.csv", "encoding": "utf-8", "schema": schema}
    proof = fastcheck.proves_valid({"name": "g", "resources": [resource]}, {"t": text})
    assert proof is not None
    assert (fastcheck.typed_frame(proof["t"], schema) is not None) == made


@pytest.mark.parametrize("cell", [" 120", "120 ", "+120", "1_20", "١٢٠", "๑๒๐", "0120"])
def test_an_integer_frictionless_accepts_however_written_is_typed_as_load_table_types_it(
    tmp_path, cell
):
    write_tambon_package(tmp_path, edit=lambda t, d: t["villages"][1].__setitem__(5, cell))
    (ref,) = discovery.discover(tmp_path)
    proof, frames = proof_and_frames(ref)
    assert proof is not None  # frictionless reads each of them as 120
    assert_same_frames(frames)


# --- the sniff ----------------------------------------------------------------------------------


def _sniff(sniffer: csv.Sniffer, sample: str) -> tuple:
    try:
        dialect = sniffer.sniff(sample, fast_csv.SNIFF_DELIMITERS)
    except csv.Error as error:
        return ("error", str(error))
    return (dialect.delimiter, dialect.quotechar, dialect.doublequote, dialect.escapechar,
            dialect.skipinitialspace)  # fmt: skip


def sample_lines(rng: random.Random) -> str:
    """Lines of a few fields joined by one delimiter, some with a field more or less, other
    delimiters, quotes or spaces in them, and lines of anything: the sniffer's every way to
    a verdict (a tenth of a field more or less is what its 90 % consistency rule weighs)."""
    delimiter, width = rng.choice(",;|\t:"), rng.randint(1, 4)

    def text(alphabet: str, longest: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))

    lines = []
    for _ in range(rng.randint(1, 40)):
        kind = rng.random()
        if kind < 0.75:
            lines.append(delimiter.join(text("ab1 .", 3) for _ in range(width)))
        elif kind < 0.9:
            fields = rng.randint(1, width + 2)
            lines.append(delimiter.join(text("ab1 .,;|\t'\"", 3) for _ in range(fields)))
        else:
            lines.append(text(",;|\t \"'ab1.x\r", 12))
    return "\n".join(lines)


def test_the_sniff_gives_what_csv_sniffer_gives_frictionless():
    rng = random.Random(10)
    for sample in (sample_lines(rng) for _ in range(2000)):
        assert _sniff(fast_csv.Sniffer(), sample) == _sniff(csv.Sniffer(), sample), sample


def test_the_sniff_gives_what_csv_sniffer_gives_on_every_committed_file():
    files = sorted(COMMITTED.rglob("*.csv"))[:120] + sorted(FIXTURES.rglob("*.csv"))
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        sample = "".join(text.splitlines(keepends=True)[: fast_csv.SNIFF_LINES])
        assert _sniff(fast_csv.Sniffer(), sample) == _sniff(csv.Sniffer(), sample), path
