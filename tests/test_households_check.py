"""`tambon households check`: the household input (core.schemas.households) checked by file,
row and field, with frictionless' verdicts, and refused when it holds personal data."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import frictionless
import pytest
from fixtures.record_files import parquet_of
from fixtures.record_files import write_records as write
from hypothesis import given, settings
from hypothesis import strategies as st

from tambon_portal import cli
from tambon_portal.authoring import households_check as hc
from tambon_portal.core import codelists as cl
from tambon_portal.core.schemas import households as hs

SET = cl.BMN_SET_VERSIONS[0]
VILLAGES = frozenset({"80010601", "80010602"})
HOUSEHOLD_FIELDS = [f["name"] for f in hs.households_schema(SET)["fields"]]
MEMBER_FIELDS = [f["name"] for f in hs.members_schema(SET)["fields"]]


def household(number: int, **cells: str) -> dict[str, str]:
    row = {
        "household_id": f"H{number:04d}", "village_code": "80010601", "year_be": "2568",
        "bmn_set": SET, "members": "2", "income_baht": "96000", "debt_baht": "0",
        "savings_baht": "1500", "main_occupation": "rubber",
    }  # fmt: skip
    row |= {name: "1" for name in HOUSEHOLD_FIELDS if name[4:].isdigit()}
    return row | cells


def member(number: int, person: int, **cells: str) -> dict[str, str]:
    row = {"household_id": f"H{number:04d}", "year_be": "2568", "person_no": str(person),
           "sex": "female" if person % 2 else "male", "age": str(20 + person),
           "occupation": "rubber"}  # fmt: skip
    return row | cells


def good(tmp_path: Path) -> tuple[Path, Path]:
    households = [household(n, village_code=f"8001060{1 + n % 2}") for n in range(6)]
    members = [member(n, p) for n in range(6) for p in (1, 2)]
    return (write(tmp_path / "households.csv", HOUSEHOLD_FIELDS, households),
            write(tmp_path / "members.csv", MEMBER_FIELDS, members))  # fmt: skip


def test_good_records_pass_and_are_counted(tmp_path):
    households, members = good(tmp_path)
    report = hc.check(households, members, VILLAGES)
    assert report.problems == []
    assert (report.households, report.members, report.villages, report.years) == (6, 12, 2, (2568,))


# --- the same verdicts as frictionless -------------------------------------------------------

BROKEN_HOUSEHOLDS = [
    household(10, members="abc"),  # type
    household(11, members="0"),  # minimum
    household(12, members=""),  # required
    household(13, bmn_04="yes"),  # boolean
    household(14, bmn_set="2599-2603"),  # enum
    household(15, household_id="-15"),  # pattern
    household(16, year_be="2400"),  # minimum
    household(17, village_code="80010699"),  # no such village
    household(1),  # the key of an earlier row
    household(18, income_baht="-5"),  # minimum
    household(19, main_occupation="farmer"),  # enum
    household(20, village_code="8001060"),  # pattern
]
BROKEN_MEMBERS = [
    member(99, 1),  # a household that is not in the file
    member(2, 3, sex="m"),  # enum
    member(3, 3, age="200"),  # maximum
    member(0, 1),  # the key of an earlier row
    member(4, 3, bmn_01="2"),  # boolean
]


def _frictionless(households: Path, members: Path, villages: Path) -> set[tuple]:
    """frictionless' own errors on the same files, as (file, row, field, code)."""
    village_fk = {"fields": ["village_code"],
                  "reference": {"resource": "villages", "fields": ["village_code"]}}  # fmt: skip
    households_schema = hs.households_schema(SET)
    households_schema["foreignKeys"] = [village_fk]
    package = frictionless.Package.from_descriptor(
        {
            "resources": [
                {"name": "households", "path": households.name, "schema": households_schema},
                {"name": "members", "path": members.name, "schema": hs.members_schema(SET)},
                {"name": "villages", "path": villages.name,
                 "schema": {"fields": [{"name": "village_code", "type": "string"}]}},
            ]
        },
        basepath=str(households.parent),
    )  # fmt: skip
    found = set()
    for task in package.validate().tasks:
        for error in task.errors:
            row_error = error.type in ("primary-key", "foreign-key")
            field = None if row_error else getattr(error, "field_name", None)
            found.add((task.name, error.row_number, field, error.type))
    return found


def test_cell_and_key_verdicts_equal_frictionless(tmp_path):
    households = [household(n) for n in range(6)] + BROKEN_HOUSEHOLDS
    members = [member(n, p) for n in range(6) for p in (1, 2)] + BROKEN_MEMBERS
    households_file = write(tmp_path / "households.csv", HOUSEHOLD_FIELDS, households)
    members_file = write(tmp_path / "members.csv", MEMBER_FIELDS, members)
    villages_file = tmp_path / "villages.csv"
    villages_file.write_text("village_code\n" + "\n".join(sorted(VILLAGES)) + "\n")
    ours = {
        (p.resource, p.row, None if p.code in ("primary-key", "foreign-key") else p.field, p.code)
        for p in hc.check(households_file, members_file, VILLAGES).problems
        if p.code != "members-count"  # ours alone: frictionless does not count members
    }
    theirs = _frictionless(households_file, members_file, villages_file)
    assert ours == theirs
    # Each broken row found once, the short village code twice (its pattern; no such village).
    assert len(ours) == len(BROKEN_HOUSEHOLDS) + len(BROKEN_MEMBERS) + 1


def test_a_household_whose_members_are_not_all_listed_is_named(tmp_path):
    households, _ = good(tmp_path)
    members = write(tmp_path / "m.csv", MEMBER_FIELDS, [member(n, 1) for n in range(6)])
    problems = hc.check(households, members, VILLAGES).problems
    assert {(p.row, p.field, p.code) for p in problems} == {
        (row, "members", "members-count") for row in range(2, 8)
    }


def test_a_members_count_in_thai_digits_is_compared_as_its_number(tmp_path):
    households = write(tmp_path / "h.csv", HOUSEHOLD_FIELDS,
                       [household(0, members="๒"), household(1, members="๓")])  # fmt: skip
    members = write(tmp_path / "m.csv", MEMBER_FIELDS,
                    [member(n, p) for n in range(2) for p in (1, 2)])  # fmt: skip
    problems = hc.check(households, members, VILLAGES).problems
    assert [(p.row, p.code) for p in problems] == [(3, "members-count")]  # ๓ listed as 2


# --- personal data ---------------------------------------------------------------------------

PERSONAL_COLUMNS = [
    ("เลขประจำตัวประชาชน", "1101700207366", "national-id"),
    ("เบอร์โทร", "0812345678", "phone-number"),
    ("บ้านเลขที่", "12/3", "house-number"),
    ("ชื่อ-สกุล", "สมชาย ใจดี", "person-name"),
    ("ชื่อ", "สมชาย", "person-name"),
    ("รหัสประจำบ้าน", "80010012345", "household-id"),
    ("latitude", "8.43210", "precise-location"),
]


@pytest.mark.parametrize(("heading", "value", "code"), PERSONAL_COLUMNS)
def test_a_column_of_personal_data_is_refused_without_quoting_it(tmp_path, heading, value, code):
    rows = [household(n) | {heading: value} for n in range(3)]
    path = write(tmp_path / "h.csv", [*HOUSEHOLD_FIELDS, heading], rows)
    problems = hc.check(path, None, VILLAGES).problems
    assert [(p.row, p.field, p.code) for p in problems] == [(1, heading, code)]
    assert value not in json.dumps([p.as_dict() for p in problems], ensure_ascii=False)


@pytest.mark.parametrize(
    ("value", "code"),
    [("1101700207366", "national-id"), ("0812345678", "phone-number"),
     ("80010012345", "household-id")],
)  # fmt: skip
def test_an_id_that_identifies_a_person_or_house_is_refused(tmp_path, value, code):
    path = write(
        tmp_path / "h.csv", HOUSEHOLD_FIELDS, [household(1), household(2, household_id=value)]
    )
    problems = hc.check(path, None, VILLAGES).problems
    assert [(p.row, p.field, p.code) for p in problems] == [(3, "household_id", code)]
    assert value not in " ".join(p.message for p in problems)


def test_an_unknown_column_is_refused(tmp_path):
    path = write(tmp_path / "h.csv", [*HOUSEHOLD_FIELDS, "หมายเหตุ"], [household(1)])
    assert [p.code for p in hc.check(path, None, VILLAGES).problems] == ["unknown-column"]


def test_a_missing_required_column_is_named(tmp_path):
    fields = [f for f in HOUSEHOLD_FIELDS if f != "members"]
    path = write(tmp_path / "h.csv", fields, [household(1)])
    problems = hc.check(path, None, VILLAGES).problems
    assert [(p.field, p.code) for p in problems] == [("members", "missing-column")]


# --- what an export looks like ---------------------------------------------------------------


def test_a_thai_export_in_cp874_maps_without_editing(tmp_path):
    headings = ["รหัสครัวเรือน", "รหัสหมู่บ้าน", "ปี พ.ศ.", "ชุดตัวชี้วัด", "จำนวนสมาชิก",
                "รายได้ครัวเรือนทั้งปี (บาท)", "หนี้สิน", "เงินออม", "อาชีพหลัก", "ข้อ 4", "ข้อ 22"]  # fmt: skip
    lines = [",".join(headings), f"H1,80010601,๒๕๖๘,{SET},๓,90000,0,100,rubber,ผ่าน,ไม่ผ่าน"]
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp874"))
    report = hc.check(path, None, VILLAGES)
    assert report.problems == []
    assert (report.households, report.years) == (1, (2568,))


def test_a_ragged_row_is_reported_and_the_others_checked(tmp_path):
    path = write(tmp_path / "h.csv", HOUSEHOLD_FIELDS, [household(1), household(2, members="x")])
    with path.open("a", encoding="utf-8") as file:
        file.write("H9,80010601\n")
    codes = [(p.row, p.code) for p in hc.check(path, None, VILLAGES).problems]
    assert codes == [(3, "type-error"), (4, "missing-cell")]


def test_the_temporary_copy_is_removed(tmp_path, monkeypatch):
    households, members = good(tmp_path)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    hc.check(households, members, VILLAGES)
    assert list((tmp_path / "tmp").iterdir()) == []


# --- the command -----------------------------------------------------------------------------


def test_the_command_exits_0_on_good_records_and_1_with_problems(tmp_path, capsys):
    households, members = good(tmp_path)
    assert cli.main(["households", "check", str(households), "--members", str(members)]) == 0
    assert (
        "6 households in 2 villages (years 2568), 12 members: no problems"
        in capsys.readouterr().err
    )
    broken = write(tmp_path / "b.csv", HOUSEHOLD_FIELDS, [household(1, members="abc")])
    assert cli.main(["households", "check", str(broken), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(p["row"], p["field"], p["code"]) for p in out] == [(2, "members", "type-error")]


def test_the_command_checks_villages_against_the_data(tmp_path, capsys):
    data = Path(__file__).resolve().parents[1] / "datapackages"
    path = write(tmp_path / "h.csv", HOUSEHOLD_FIELDS, [household(1, village_code="80010699")])
    assert cli.main(["households", "check", str(path), "--data", str(data)]) == 1
    assert "h.csv:2:village_code" in capsys.readouterr().out


@pytest.mark.parametrize("content", [None, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)])
def test_a_file_that_cannot_be_read_exits_2_without_a_traceback(tmp_path, capsys, content):
    path = tmp_path / "h.csv"
    if content is not None:
        path.write_bytes(content)
    assert cli.main(["households", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "tambon households check:" in err and "Traceback" not in err


def test_the_officers_guide_lists_every_field_and_bmn_set():
    guide = (Path(__file__).resolve().parents[1] / "docs" / "households.md").read_text("utf-8")
    named = [n for n in HOUSEHOLD_FIELDS + MEMBER_FIELDS if not n[4:].isdigit()]
    assert [n for n in named if f"`{n}`" not in guide] == []
    assert [v for v in cl.BMN_SET_VERSIONS if f"`{v}`" not in guide] == []


def test_the_direct_and_the_careful_read_give_the_same_problems(tmp_path):
    rows = [household(n) for n in range(6)] + BROKEN_HOUSEHOLDS
    direct = write(tmp_path / "utf8.csv", HOUSEHOLD_FIELDS, rows)
    text = direct.read_text("utf-8").replace(",members,", ",จำนวนสมาชิก,", 1)  # Thai heading
    direct.write_text(text, encoding="utf-8")
    careful = tmp_path / "cp874.csv"
    careful.write_bytes(direct.read_text("utf-8").encode("cp874"))
    assert hc._fast_header(direct) is not None and hc._fast_header(careful) is None

    def found(path: Path) -> list[tuple]:
        return [(p.row, p.field, p.code) for p in hc.check(path, None, VILLAGES).problems]

    assert found(direct) == found(careful) != []


def test_a_parquet_file_gives_the_problems_and_counts_of_the_same_csv(tmp_path):
    rows = [household(n, village_code=f"8001060{1 + n % 2}") for n in range(6)]
    rows += BROKEN_HOUSEHOLDS
    households = write(tmp_path / "households.csv", HOUSEHOLD_FIELDS, rows)
    members = write(tmp_path / "members.csv", MEMBER_FIELDS,
                    [member(n, p) for n in range(6) for p in (1, 2)])  # fmt: skip

    def found(report: hc.HouseholdReport) -> tuple:
        problems = [(p.resource, p.row, p.field, p.code) for p in report.problems]
        return problems, report.households, report.members, report.villages

    as_csv = hc.check(households, members, VILLAGES)
    as_parquet = hc.check(parquet_of(households), parquet_of(members), VILLAGES)
    assert found(as_parquet) == found(as_csv)
    assert as_csv.problems != []


def test_a_file_named_parquet_that_is_not_one_is_refused(tmp_path, capsys):
    fake = tmp_path / "households.parquet"
    fake.write_text("household_id\nH1\n", encoding="utf-8")
    assert cli.main(["households", "check", str(fake)]) == 2
    assert "not a Parquet file" in capsys.readouterr().err


def test_codes_may_be_given_as_their_thai_labels(tmp_path):
    households, _ = good(tmp_path)
    rows = [member(n, p, sex="หญิง" if p % 2 else "ชาย", occupation="ทำสวนยางพารา")
            for n in range(6) for p in (1, 2)]  # fmt: skip
    rows[0]["sex"] = "ผู้หญิงค่ะ"  # not a label
    members = write(tmp_path / "m.csv", MEMBER_FIELDS, rows)
    problems = hc.check(households, members, VILLAGES).problems
    assert [(p.row, p.field, p.code) for p in problems] == [(2, "sex", "constraint-error")]


EDGE_INTEGERS = [
    "0", "1", "5", "99", "100", "00", "007", "+5", "-1", " 5", "5 ", "1e3", "5.0", "๕",
    "12345678", "123456789", "0812345678", "1234567890123", "", "abc",
]  # fmt: skip


@pytest.mark.parametrize("name", ["members", "income_baht", "age"])
def test_the_sql_shortcut_passes_only_cells_frictionless_reads_without_a_note(name):
    schema = hs.members_schema(SET) if name == "age" else hs.households_schema(SET)
    field = frictionless.Schema.from_descriptor(schema).get_field(name)
    plain = hc._plain_integer(field, "v")
    assert plain is not None
    reader = field.create_cell_reader()
    connection = duckdb.connect()
    skipped = set()
    for value in EDGE_INTEGERS:
        (plain_value,) = connection.execute(
            f"SELECT coalesce({plain}, false) FROM (SELECT ? AS v)", [value or None]
        ).fetchone()
        if plain_value:  # never asked of frictionless or of the personal-data scan
            assert not reader(value)[1], value
            assert hc._identifying(name, [value]) == {}, value
            skipped.add(value)
    expected = {"members": {"1", "5", "99"}, "age": {"0", "1", "5", "99", "100"},
                "income_baht": {"0", "1", "5", "99", "100", "12345678"}}  # fmt: skip
    assert skipped == expected[name]
    assert hc._plain_integer(frictionless.Schema.from_descriptor(schema).get_field("year_be"),
                             "v") is not None  # fmt: skip


IDENTIFYING = ["1101700207366", "1-1017-00207-36-6", "๑๑๐๑๗๐๐๒๐๗๓๖๖", "0812345678",
               "081-234-5678", "(02) 123 4567", "+66 81 234 5678", "โทร ๐๘๑๒๓๔๕๖๗๘",
               "80010012345", "H0001", "80010101-0001", "A-0812345678"]  # fmt: skip
_TEXT = st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙٣- .+()/_Hxก", max_size=20)


def _may_identify(value: str) -> bool:
    (found,) = (
        duckdb.connect()
        .execute(f"SELECT coalesce({hc._may_identify('v')}, false) FROM (SELECT ? AS v)", [value])
        .fetchone()
    )
    return bool(found)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_TEXT, st.sampled_from(IDENTIFYING)))
def test_the_sql_prefilter_of_the_personal_data_scan_misses_nothing_it_finds(value):
    """A value the SQL leaves out is never one the Python scan finds."""
    for name in ("household_id", "occupation"):
        if hc._identifying(name, [value]):
            assert _may_identify(value), value


def test_the_sql_prefilter_passes_the_survey_s_own_ids():
    left_out = ["H0001", "80010101-0001", "A-0812345678"]  # the last: no phone after a dash
    assert [v for v in IDENTIFYING if not _may_identify(v)] == left_out
    assert not any(hc._identifying("household_id", [v]) for v in left_out)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet="AZaz09_-.ก \n", max_size=42),
                 st.from_regex(hs.HOUSEHOLD_ID, fullmatch=True)))  # fmt: skip
def test_a_household_id_sql_proves_valid_frictionless_reads_without_a_note(value):
    field = frictionless.Schema.from_descriptor(hs.households_schema(SET)).get_field("household_id")
    plain = hc._certainly_valid(field, "v")
    assert plain is not None
    (proven,) = (
        duckdb.connect()
        .execute(f"SELECT coalesce({plain}, false) FROM (SELECT ? AS v)", [value or None])
        .fetchone()
    )
    if proven:
        assert not field.create_cell_reader()(value)[1], value
