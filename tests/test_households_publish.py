"""`tambon households publish` and `tambon sample households`: tables made from household
records (by hand on a small fixture), suppressed so that the audit recovers nothing, written
reproducibly into packages that pass `tambon validate`; records are never published."""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from fixtures.published_tables import differing_numbers
from fixtures.record_files import parquet_of, write_records
from fixtures.tambon_package import CODE, write_tambon_package

from tambon_portal import cli
from tambon_portal.authoring import households_check as hc
from tambon_portal.authoring import households_publish as hp
from tambon_portal.authoring import households_sample
from tambon_portal.checks import disclosure_audit as da
from tambon_portal.checks import validate
from tambon_portal.checks.tambon_package import TambonPackage
from tambon_portal.core import codelists as cl
from tambon_portal.core import schemas
from tambon_portal.core.progress import Progress
from tambon_portal.core.schemas import households as hs
from tambon_portal.packages import discovery, table_reader

SET = cl.BMN_SET_VERSIONS[0]
PILOT = Path(__file__).resolve().parents[1] / "datapackages" / "80"
MADE_FILES = {f"{name}.csv" for name in hp.MADE_RESOURCES}
V1, V2 = f"{CODE}01", f"{CODE}02"
# (id, village, members, income a year, debt, answer of indicator 4)
HOUSEHOLDS = [
    ("H01", V1, 2, 60_000, 0, "1"), ("H02", V1, 3, 150_000, 50_000, "0"),
    ("H03", V1, 1, 20_000, 10_000, "1"), ("H04", V1, 4, 400_000, 0, "1"),
    ("H05", V1, 2, 140_000, 0, "1"), ("H06", V1, 2, 400_000, 100_000, "1"),
    ("H07", V1, 3, 120_000, 0, "1"), ("H08", V2, 1, 45_000, 0, ""),
    ("H09", V2, 2, 80_000, 20_000, "1"), ("H10", V2, 5, 150_000, 0, "1"),
    ("H11", V2, 2, 200_000, 0, "1"), ("H12", V2, 3, 240_000, 60_000, "1"),
]  # fmt: skip
# Person n of every household that has n members: (sex, age, occupation, answer of 7).
PEOPLE = [
    ("male", 40, "rubber", "1"), ("female", 38, "trade", "1"), ("female", 10, "student", "1"),
    ("male", 70, "none", "0"), ("male", 2, "", ""),
]  # fmt: skip


def fixture_records(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    households, members = [], []
    for hid, village, size, income, debt, answer in HOUSEHOLDS:
        households.append({"household_id": hid, "village_code": village, "year_be": "2568",
                           "bmn_set": SET, "members": str(size), "income_baht": str(income),
                           "debt_baht": str(debt), "bmn_04": answer})  # fmt: skip
        for number, (sex, age, occupation, exercise) in enumerate(PEOPLE[:size], start=1):
            members.append({"household_id": hid, "year_be": "2568", "person_no": str(number),
                            "sex": sex, "age": str(age), "occupation": occupation,
                            "bmn_07": exercise})  # fmt: skip
    names = [f["name"] for f in hs.households_schema(SET)["fields"]]
    member_names = [f["name"] for f in hs.members_schema(SET)["fields"]]
    return (write_records(folder / "households.csv", names, households),
            write_records(folder / "members.csv", member_names, members))  # fmt: skip


def made(tmp_path: Path) -> dict:
    data = tmp_path / "data"
    write_tambon_package(data)
    households, members = fixture_records(tmp_path / "private")
    refs = {r.tambon_code: r for r in discovery.discover(data)}
    with hc.checked_records(households, members, hc.data_villages(data)) as records:
        assert records.report.problems == []
        return hp.made_tables(records, refs)[CODE]


def _rows(frame, *columns):
    return [tuple(row) for row in frame[list(columns)].itertuples(index=False)]


def test_tables_of_a_small_fixture_equal_the_hand_computed_values(tmp_path):
    tables = made(tmp_path)
    assert _rows(tables["villages"], "village_code", "households", "population") == [
        (V1, 7, 17), (V2, 5, 13)]  # fmt: skip
    tambon = tables["tambon"].iloc[0]
    assert (tambon["households"], tambon["population"], tambon["reference_date"]) == (
        12, 30, "2025-09-30")  # fmt: skip
    bmn = tables["bmn_results"].set_index(["area_code", "indicator"])
    counts = ["surveyed", "passed", "failed"]
    assert bmn.loc[(CODE, 4), counts].tolist() == [11, 10, 1]  # H08 was not asked
    assert bmn.loc[(V1, 4), counts].tolist() == [7, 6, 1]
    assert bmn.loc[(V2, 4), counts].tolist() == [4, 4, 0]
    # indicator 22 from the income: under 38,000 baht a person are H01, H03 and H10
    assert bmn.loc[(CODE, 22), counts].tolist() == [12, 9, 3]
    assert bmn.loc[(V1, 22), counts].tolist() == [7, 5, 2]
    # indicator 7 asks everyone of 6 and over (not the 2-year-old)
    assert bmn.loc[(CODE, 7), counts].tolist() == [29, 27, 2]
    assert bmn.loc[(V2, 7), counts].tolist() == [12, 11, 1]
    assert bmn.loc[(CODE, 1), counts].tolist() == [0, 0, 0]  # nobody answered
    brackets = dict(_rows(tables["income_brackets"], "bracket", "households"))
    assert brackets == {"lt30k": 1, "30k-38k": 2, "38k-60k": 4, "60k-100k": 2,
                        "100k-150k": 2, "ge150k": 1}  # fmt: skip
    summary = tables["income_summary"].iloc[0]
    assert summary[["households_surveyed", "median_income", "mean_income",
                    "households_below_line", "households_with_debt", "mean_debt"]].tolist() == [
        12, 47_500, 67_100, 3, 5, 48_000]  # fmt: skip
    population = {
        (s, a): n for s, a, n in _rows(tables["population"], "sex", "age_group", "persons")
    }
    assert len(population) == len(cl.SEXES) * len(cl.AGE_GROUPS)
    assert {k: v for k, v in population.items() if v} == {
        ("male", "40-44"): 12, ("female", "35-39"): 10, ("female", "10-14"): 5,
        ("male", "70-74"): 2, ("male", "0-4"): 1}  # fmt: skip
    occupations = {(o, s): n for o, s, n in _rows(tables["occupations"], "occupation", "sex",
                                                   "persons") if n}  # fmt: skip
    assert occupations == {("rubber", "male"): 12, ("trade", "female"): 10, ("none", "male"): 2}
    assert sorted(tables) == sorted(hp.MADE_RESOURCES)  # the plan is not publish's to write


def test_a_year_with_fewer_than_10_households_is_refused(tmp_path):
    data = tmp_path / "data"
    write_tambon_package(data)
    households, members = fixture_records(tmp_path / "private")
    lines = households.read_text(encoding="utf-8").splitlines()
    households.write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")  # 9 households
    kept = [line for line in members.read_text("utf-8").splitlines()
            if not line.startswith(("H10", "H11", "H12"))]  # fmt: skip
    members.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(hp.PublishRefused, match="fewer than 10 households"):
        hp.publish(households, members, data)


def _keep_rows(path: Path, keep) -> set[tuple[str, str]]:
    """Rewrites a record file with the rows `keep(row)` accepts; the (id, year) left out."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for r in rows if keep(r)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.DictWriter(handle, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(kept)
    return {(r["household_id"], r["year_be"]) for r in rows if not keep(r)}


def test_a_tambon_refused_after_others_were_made_writes_no_package(tmp_path, monkeypatch):
    """Tambons are made one by one and wait in a temporary folder: the second one's refusal
    leaves the first one's package as it was, and the temporary folder is gone."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    data = tmp_path / "data"
    for code in ("800106", "800114"):
        shutil.copytree(PILOT / code, data / "80" / code)
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    households, members, *_ = households_sample.write_records(
        tmp_path / "private", ["800106", "800114"])  # fmt: skip
    seen: list[str] = []

    first_year = str(households_sample.YEARS[0])

    def small(row: dict) -> bool:  # 800114 keeps 9 households in its first year
        if row["village_code"].startswith("800114") and row["year_be"] == first_year:
            seen.append(row["household_id"])
            return len(seen) <= 9
        return True

    dropped = _keep_rows(households, small)
    _keep_rows(members, lambda r: (r["household_id"], r["year_be"]) not in dropped)
    with pytest.raises(hp.PublishRefused, match="tambon 800114: fewer than 10 households"):
        hp.publish(households, members, data)
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before
    assert list((tmp_path / "tmp").iterdir()) == []


def test_published_files_can_go_to_a_sink_instead_of_memory(tmp_path):
    data = tmp_path / "data"
    write_tambon_package(data)
    households, members = fixture_records(tmp_path / "private")
    taken: dict[str, dict[str, str]] = {}
    publication = hp.published_files(households, members, data, sink=taken.__setitem__)
    assert publication.files == {} and list(taken) == [CODE]
    assert taken == hp.published_files(households, members, data).files


# --- published from synthetic records ---------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """Two pilot packages with their tables made from `tambon sample households` records."""
    root = tmp_path_factory.mktemp("published")
    for code in ("800106", "800114"):
        shutil.copytree(PILOT / code, root / "data" / "80" / code)
    households, members, *_ = households_sample.write_records(
        root / "private", ["800106", "800114"])  # fmt: skip
    report = hp.publish(households, members, root / "data")
    assert report.problems == [] and report.written == ("800106", "800114")
    return root


def test_packages_published_from_records_pass_validate(published):
    assert validate.validate_tree(published / "data") == []


def test_publishing_some_of_the_pilots_records_again_publishes_the_committed_numbers(published):
    # the committed pilot is what publish makes of all 60 tambons' records together
    # (tests/test_pilot.py); two of them alone publish the same numbers, what publish does not
    # make (the plan, the descriptor) byte for byte, and may differ only in which cells the
    # province's protection hid (here the area totals cover two tambons, there sixty)
    for code in ("800106", "800114"):
        for path in sorted((PILOT / code).rglob("*")):
            if not path.is_file():
                continue
            again = published / "data" / "80" / code / path.relative_to(PILOT / code)
            if path.name in MADE_FILES:
                assert differing_numbers(again.read_text("utf-8"), path.read_text("utf-8")) == []
            else:
                assert again.read_bytes() == path.read_bytes(), path


def test_publishing_writes_the_provinces_true_area_totals_protected_with_its_tambons(published):
    folder = published / "data" / "80" / "area-totals-80"
    with (folder / "data" / "area_tambons.csv").open(encoding="utf-8") as file:
        covered = {(r["area_code"], r["tambon_code"]) for r in csv.DictReader(file)}
    assert covered == {("8001", "800106"), ("8001", "800114"), ("80", "800106"),
                       ("80", "800114")}  # fmt: skip
    totals = table_reader.load_tables(discovery.discover(folder)[0])
    data = published / "data" / "80"
    tambons = {code: table_reader.load_tables(discovery.discover(data / code)[0])
               for code in ("800106", "800114")}  # fmt: skip
    bmn = totals["area_bmn_results"]
    district = bmn[bmn["area_code"] == "8001"].set_index(["year_be", "indicator"])
    for (year, indicator), row in district.iterrows():
        parts = [t["bmn_results"] for t in tambons.values()]
        own = [p[(p["area_level"] == "tambon") & (p["year_be"] == year)
                 & (p["indicator"] == indicator)].iloc[0] for p in parts]  # fmt: skip
        for field in ("surveyed", "passed", "failed"):
            values = [o[field] for o in own]
            if not pd.isna(row[field]) and not any(pd.isna(v) for v in values):
                assert row[field] == sum(values)  # a true total, its parts all published
    # every cell of the province is a true count, so the one with a tambon hidden is hidden too
    # or has a second hidden part: the audit across levels finds nothing to work out
    assert validate.validate_tree(published / "data") == []


def test_no_published_count_is_1_to_4(published):
    found = []
    for path in sorted((published / "data").rglob("*.csv")):
        resource = path.stem
        with path.open(encoding="utf-8") as file:
            for row in csv.DictReader(file):
                for field in schemas.SMALL_COUNT_FIELDS.get(resource, ()):
                    if row[field] in {"1", "2", "3", "4"}:
                        found.append((path.name, field, row[field]))
    assert found == []


def test_no_suppressed_cell_can_be_worked_out_from_the_published_tables(published):
    for ref in [r for r in discovery.discover(published / "data") if r.kind == "tambon"]:
        tables = table_reader.load_tables(ref)
        pkg = TambonPackage(package=ref.name, code=ref.tambon_code,
                               folder_name=ref.folder.name, descriptor={},
                               descriptor_file="", files={}, tables=tables)  # fmt: skip
        audit = da.audit_package(pkg)
        assert audit.suppressed > 100  # the records' small cells, and their secondary cells
        assert audit.disclosed() == []
        assert min(r.width for r in audit.ranges) >= da.MIN_RANGE


def test_no_record_reaches_the_packages(published):
    with (published / "private" / "households.csv").open(encoding="utf-8") as file:
        ids = sorted({row["household_id"] for row in csv.DictReader(file)})
    text = " ".join(p.read_text("utf-8") for p in (published / "data").rglob("*.csv"))
    assert len(ids) > 10_000
    assert [i for i in ids if i in text] == []


def test_records_and_tables_are_byte_reproducible(published, tmp_path):
    again = tmp_path / "again"
    for code in ("800106", "800114"):
        shutil.copytree(PILOT / code, again / "data" / "80" / code)
    households, members, *_ = households_sample.write_records(
        again / "private", ["800106", "800114"])  # fmt: skip
    hp.publish(households, members, again / "data")
    for name in ("households.csv", "members.csv"):
        assert (again / "private" / name).read_bytes() == (
            published / "private" / name
        ).read_bytes()
    for path in sorted((published / "data").rglob("*")):
        if path.is_file():
            assert (again / path.relative_to(published)).read_bytes() == path.read_bytes(), path


# --- the commands ------------------------------------------------------------------------------


def test_records_inside_the_data_folder_are_refused_and_nothing_written(tmp_path, capsys):
    data = tmp_path / "data"
    write_tambon_package(data)
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    households, members = fixture_records(data / "private")
    status = cli.main(["households", "publish", str(households), "--members", str(members),
                       "--data", str(data)])  # fmt: skip
    assert status == 2
    assert "inside" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in before} == before


def test_records_with_problems_are_not_published(tmp_path, capsys):
    data = tmp_path / "data"
    write_tambon_package(data)
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    households, members = fixture_records(tmp_path / "private")
    households.write_text(households.read_text("utf-8").replace(",2568,", ",25x8,", 1), "utf-8")
    status = cli.main(["households", "publish", str(households), "--members", str(members),
                       "--data", str(data)])  # fmt: skip
    out = capsys.readouterr()
    assert (
        status == 1 and "households.csv:2:year_be" in out.out and "nothing was written" in out.err
    )
    assert {p: p.read_bytes() for p in before} == before


def test_the_commands_make_records_then_tables(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(PILOT / "800106", data / "80" / "800106")
    out = tmp_path / "private"
    assert cli.main(["sample", "households", "--tambon", "800106", "--out", str(out)]) == 0
    assert "households" in capsys.readouterr().out
    status = cli.main(["households", "publish", str(out / "households.csv"), "--members",
                       str(out / "members.csv"), "--data", str(data)])  # fmt: skip
    assert status == 0
    assert "written into 1 tambon packages" in capsys.readouterr().out
    assert cli.main(["validate", "--data", str(data), "--no-cache"]) == 0


def test_publishing_shows_its_stages(tmp_path, monkeypatch):
    data = tmp_path / "data"
    write_tambon_package(data)
    households, members = fixture_records(tmp_path / "private")
    started: list[str] = []

    class Watched(Progress):
        def on_start(self, name: str, total: int | None) -> None:
            started.append(name)

    real = hc.checked_records

    def checked(*args, **kwargs):  # the records are read and checked inside the check stage
        assert started[-1:] == ["check"]
        return real(*args, **kwargs)

    monkeypatch.setattr(hc, "checked_records", checked)
    progress = Watched()
    hp.publish(households, members, data, progress=progress)
    assert [s.name for s in progress.stages] == ["check", "tables", "suppression", "write"]
    assert progress.stages[0].detail == "12 households, 30 persons, 0 problems"


def test_thai_labels_count_as_their_codes(tmp_path):
    coded = made(tmp_path / "coded")
    labelled = tmp_path / "labelled"
    data = labelled / "data"
    write_tambon_package(data)
    households, members = fixture_records(labelled / "private")
    text = members.read_text("utf-8")
    for code, label in (("female", "หญิง"), ("male", "  Male "), ("rubber", "ทำสวนยางพารา"),
                        ("trade", "ค้าขาย/ธุรกิจส่วนตัว")):  # fmt: skip
        text = text.replace(f",{code},", f",{label},")
    members.write_text(text, encoding="utf-8")
    assert "หญิง" in text and ",female," not in text
    refs = {r.tambon_code: r for r in discovery.discover(data)}
    with hc.checked_records(households, members, hc.data_villages(data)) as records:
        assert records.report.problems == []
        tables = hp.made_tables(records, refs)[CODE]
    for name in ("population", "occupations", "bmn_results"):
        assert tables[name].equals(coded[name]), name


def test_records_from_parquet_publish_the_same_packages_as_from_csv(tmp_path):
    written = {}
    for kind in ("csv", "parquet"):
        data = tmp_path / kind / "data"
        write_tambon_package(data)
        households, members = fixture_records(tmp_path / kind / "private")
        if kind == "parquet":
            households, members = (parquet_of(households), parquet_of(members))
        assert hp.publish(households, members, data).problems == []
        written[kind] = {p.relative_to(data): p.read_bytes() for p in data.rglob("*.csv")}
    assert written["parquet"] == written["csv"]


def test_the_national_file_covers_every_sub_district_of_the_gazetteer():
    codes = households_sample.national_codes()
    assert len(codes) == len(set(codes)) == 7436
    assert len({code[:2] for code in codes}) == 77


def test_national_and_tambon_together_are_refused(tmp_path, capsys):
    out = tmp_path / "records"
    assert cli.main(["sample", "households", "--national", "--tambon", CODE,
                     "--out", str(out)]) == 2  # fmt: skip
    assert "not both" in capsys.readouterr().err
    assert not out.exists()


def test_without_a_members_file_the_tables_of_persons_stay_empty_and_the_rest_is_made(
    tmp_path, capsys
):
    data = tmp_path / "data"
    write_tambon_package(data)
    households, _members = fixture_records(tmp_path / "private")
    assert cli.main(["households", "publish", str(households), "--data", str(data),
                     "--site", str(tmp_path / "site")]) == 0  # fmt: skip
    assert "no members file" in capsys.readouterr().out
    (ref,) = [r for r in discovery.discover(data) if r.kind == "tambon"]
    tables = table_reader.load_tables(ref)
    assert tables["population"].empty and tables["occupations"].empty  # not zeros: unknown
    units = {i.number: i.unit for i in cl.BMN_INDICATORS}
    assert {units[int(n)] for n in tables["bmn_results"]["indicator"]} == {"household"}
    # the persons the households declare (their members column) are still the population
    assert (tables["tambon"]["households"].iloc[0], tables["tambon"]["population"].iloc[0]) == (
        12, 30)  # fmt: skip
    assert validate.validate_tree(data) == []
