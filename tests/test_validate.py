"""`tambon validate` on a tiny valid tambon package, each test breaking exactly one thing."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path

import pytest
from fixtures import hostile
from fixtures.paths import CONFORMANCE
from fixtures.tambon_package import CODE, csv_text, write_tambon_package

from tambon_portal import cli
from tambon_portal.checks import validate

PKG = f"80/{CODE}"
DESCRIPTOR = f"{PKG}/datapackage.json"
YEAR_BE = 2568


def data(name: str) -> str:
    return f"{PKG}/data/{name}.csv"


def compact(root: Path) -> list[tuple]:
    return [(p.file, p.row, p.field, p.code) for p in validate.validate_tree(root, YEAR_BE)]


def broken(root: Path, edit) -> list[tuple]:
    write_tambon_package(root, edit=edit)
    return compact(root)


def set_cell(rows, row: int, field: str, value: str) -> None:
    """Sets a cell by CSV row number (header = 1) and field name."""
    rows[row - 1][rows[0].index(field)] = value


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# --- valid input ----------------------------------------------------------------------------


def test_the_fixture_package_is_valid(tmp_path):
    write_tambon_package(tmp_path)
    assert compact(tmp_path) == []


def test_utf8_with_byte_order_mark_is_accepted(tmp_path):
    package = write_tambon_package(tmp_path)
    path = package / "data" / "villages.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert compact(tmp_path) == []


def test_conformance_packages_are_valid_and_exit_0(capsys):
    assert cli.main(["validate", "--data", str(CONFORMANCE)]) == 0
    assert capsys.readouterr().out == "3 packages checked (0 tambon, 3 generic): all valid\n"


# --- malformed CSV --------------------------------------------------------------------------


def test_ragged_rows_are_missing_and_extra_cells(tmp_path):
    package = write_tambon_package(tmp_path)
    path = package / "data" / "villages.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "80010603,800106,3,บ้านใหม่,,50\n"
        + "80010604,800106,4,บ้านใหม่,,50,60,70\n",
        encoding="utf-8",
    )
    assert compact(tmp_path) == [
        (data("villages"), 4, "population", "missing-cell"),
        (data("villages"), 5, None, "extra-cell"),
    ]


def test_an_unclosed_quote_swallows_the_row_and_is_reported(tmp_path):
    package = write_tambon_package(tmp_path)
    path = package / "data" / "villages.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("บ้านท่าไร่", '"บ้านท่าไร่'))
    assert compact(tmp_path) == [
        (data("villages"), 2, "name_en", "missing-cell"),
        (data("villages"), 2, "households", "missing-cell"),
        (data("villages"), 2, "population", "missing-cell"),
    ]


def test_a_cp874_file_names_its_encoding_and_the_iconv_fix(tmp_path):
    package = write_tambon_package(tmp_path)
    path = package / "data" / "villages.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp874"))
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.file, problem.row, problem.field, problem.code) == (
        data("villages"), None, None, "encoding",
    )  # fmt: skip
    assert "cp874" in problem.message
    assert "iconv -f CP874 -t UTF-8 in.csv > out.csv" in problem.message
    assert "CSV UTF-8" in problem.message


# --- schema: types, required, keys ----------------------------------------------------------


def test_wrong_type(tmp_path):
    assert broken(tmp_path, lambda t, d: set_cell(t["villages"], 2, "households", "abc")) == [
        (data("villages"), 2, "households", "type-error"),
    ]


def test_missing_required_value(tmp_path):
    assert broken(tmp_path, lambda t, d: set_cell(t["villages"], 2, "name_th", "")) == [
        (data("villages"), 2, "name_th", "constraint-error"),
    ]


def test_x_in_a_count_that_may_not_be_suppressed_is_a_missing_required_value(tmp_path):
    problems = broken(tmp_path, lambda t, d: set_cell(t["villages"], 2, "households", "x"))
    assert problems == [(data("villages"), 2, "households", "constraint-error")]


def test_duplicate_primary_key(tmp_path):
    assert broken(
        tmp_path, lambda t, d: set_cell(t["villages"], 3, "village_code", "80010601")
    ) == [
        (data("villages"), 3, None, "primary-key"),
    ]


def test_foreign_key_to_a_missing_village(tmp_path):
    edit = lambda t, d: set_cell(t["plan_projects"], 2, "village_code", "80010609")  # noqa: E731
    assert broken(tmp_path, edit) == [(data("plan_projects"), 2, None, "foreign-key")]


def test_foreign_key_to_a_missing_strategic_issue(tmp_path):
    edit = lambda t, d: set_cell(t["plan_projects"], 3, "issue_no", "3")  # noqa: E731
    assert broken(tmp_path, edit) == [(data("plan_projects"), 3, None, "foreign-key")]


# --- codes ----------------------------------------------------------------------------------


def _recode(tables, desc, code: str) -> None:
    for rows in tables.values():
        for row in rows:
            row[:] = [cell.replace(CODE, code) for cell in row]
    desc["tambon_code"] = code
    desc["name"] = f"tambon-{code}"


def test_unknown_tambon_code(tmp_path):
    write_tambon_package(tmp_path, folder="800199", edit=lambda t, d: _recode(t, d, "800199"))
    assert compact(tmp_path) == [
        ("80/800199/data/tambon.csv", 2, "tambon_code", "unknown-tambon-code"),
        ("80/800199/datapackage.json", None, "tambon_code", "unknown-tambon-code"),
    ]


def test_tambon_code_that_does_not_match_the_folder(tmp_path):
    write_tambon_package(tmp_path, folder="800107")
    assert compact(tmp_path) == [
        ("80/800107/datapackage.json", None, "tambon_code", "code-mismatch")
    ]


def test_tambon_table_code_that_does_not_match_the_package(tmp_path):
    problems = broken(tmp_path, lambda t, d: set_cell(t["tambon"], 2, "tambon_code", "800107"))
    # The FKs of the other tables point at the tambon table's code, so they fail too.
    assert [p for p in problems if p[3] != "foreign-key"] == [
        (data("tambon"), 2, "tambon_code", "code-mismatch"),
        (data("tambon"), 2, "name_th", "name-mismatch"),  # the names are not Pak Nakhon's
        (data("tambon"), 2, "name_en", "name-mismatch"),
    ]
    # and every one of the 21 rows of the 8 tables with a tambon_code foreign key
    assert len(problems) == 3 + 21


def test_district_and_province_codes_must_match_the_tambon_code(tmp_path):
    def edit(tables, desc):
        set_cell(tables["tambon"], 2, "district_code", "8002")
        desc["province_code"] = "81"

    assert broken(tmp_path, edit) == [
        (data("tambon"), 2, "district_code", "code-mismatch"),
        (DESCRIPTOR, None, "province_code", "code-mismatch"),
    ]


def test_descriptor_name_naming_another_tambon(tmp_path):
    assert broken(tmp_path, lambda t, d: d.update(name="tambon-800107")) == [
        (DESCRIPTOR, None, "name", "code-mismatch"),
    ]


def test_names_must_match_the_gazetteer(tmp_path):
    def edit(tables, desc):
        set_cell(tables["tambon"], 2, "name_th", "ท่าไร")
        set_cell(tables["tambon"], 2, "name_en", "Tharai")

    assert broken(tmp_path, edit) == [
        (data("tambon"), 2, "name_th", "name-mismatch"),
        (data("tambon"), 2, "name_en", "name-mismatch"),
    ]


def test_an_english_name_in_another_case_is_still_the_gazetteer_name(tmp_path):
    # Sources differ in case ("Tha yang"); pages write the name in one style anyway.
    assert broken(tmp_path, lambda t, d: set_cell(t["tambon"], 2, "name_en", "tha RAI")) == []


def test_village_code_is_tambon_code_and_village_number(tmp_path):
    assert broken(tmp_path, lambda t, d: set_cell(t["villages"], 3, "village_no", "3")) == [
        (data("villages"), None, "village_no", "village-numbering"),
        (data("villages"), 3, "village_code", "code-mismatch"),
    ]


def test_village_numbers_without_gap_and_bmn_areas_known(tmp_path):
    def edit(tables, desc):
        set_cell(tables["villages"], 3, "village_no", "3")
        set_cell(tables["villages"], 3, "village_code", "80010603")

    assert broken(tmp_path, edit) == [
        (data("bmn_results"), 4, "area_code", "unknown-village-code"),
        (data("villages"), None, "village_no", "village-numbering"),
    ]


def test_bmn_tambon_row_must_carry_the_tambon_code(tmp_path):
    assert broken(tmp_path, lambda t, d: set_cell(t["bmn_results"], 2, "area_code", "800107")) == [
        (data("bmn_results"), 2, "area_code", "code-mismatch"),
    ]


# --- sums and cross-table agreement -----------------------------------------------------------


def test_tambon_village_count_must_match_the_villages_table(tmp_path):
    assert broken(tmp_path, lambda t, d: set_cell(t["tambon"], 2, "villages", "3")) == [
        (data("tambon"), 2, "villages", "count-mismatch"),
    ]


def test_tambon_households_and_population_are_sums_of_villages(tmp_path):
    def edit(tables, desc):
        set_cell(tables["villages"], 2, "households", "121")
        set_cell(tables["villages"], 3, "population", "499")

    assert broken(tmp_path, edit) == [
        (data("tambon"), 2, "households", "sum-mismatch"),
        (data("tambon"), 2, "population", "sum-mismatch"),
    ]


def test_population_of_the_reference_year_sums_to_the_tambon_population(tmp_path):
    assert broken(tmp_path, lambda t, d: set_cell(t["population"], 2, "persons", "201")) == [
        (data("population"), None, "persons", "sum-mismatch"),
    ]


def test_bmn_passed_plus_failed_is_surveyed(tmp_path):
    # The village row breaks its own sum and, with it, the tambon row's sum of passed.
    assert broken(tmp_path, lambda t, d: set_cell(t["bmn_results"], 3, "passed", "101")) == [
        (data("bmn_results"), 2, "passed", "sum-mismatch"),
        (data("bmn_results"), 3, "surveyed", "sum-mismatch"),
    ]


def test_bmn_tambon_row_is_the_sum_of_its_villages(tmp_path):
    def edit(tables, desc):
        set_cell(tables["bmn_results"], 2, "surveyed", "301")
        set_cell(tables["bmn_results"], 2, "passed", "251")

    assert broken(tmp_path, edit) == [
        (data("bmn_results"), 2, "surveyed", "sum-mismatch"),
        (data("bmn_results"), 2, "passed", "sum-mismatch"),
    ]


def test_bmn_tambon_row_may_exceed_the_published_villages_when_some_are_suppressed(tmp_path):
    def edit(tables, desc):
        for row in (3, 4):  # suppress both villages' pair: nothing can be worked back
            set_cell(tables["bmn_results"], row, "passed", "x")
            set_cell(tables["bmn_results"], row, "failed", "x")

    assert broken(tmp_path, edit) == []


def test_income_brackets_sum_to_households_surveyed(tmp_path):
    assert broken(tmp_path, lambda t, d: set_cell(t["income_brackets"], 7, "households", "11")) == [
        (data("income_brackets"), None, "households", "sum-mismatch"),
    ]


def test_households_below_line_agree_with_bmn_indicator_22_and_the_brackets(tmp_path):
    edit = lambda t, d: set_cell(t["income_summary"], 2, "households_below_line", "51")  # noqa: E731
    assert broken(tmp_path, edit) == [
        (data("income_summary"), 2, "households_below_line", "value-mismatch"),
        (data("income_summary"), 2, "households_below_line", "value-mismatch"),
    ]


def test_missing_resource_and_schema_drift(tmp_path):
    def edit(tables, desc):
        del tables["occupations"]
        desc["resources"] = [r for r in desc["resources"] if r["name"] != "occupations"]
        desc["resources"][1]["schema"]["fields"][3]["title"] = "ชื่อ"

    assert broken(tmp_path, edit) == [
        (DESCRIPTOR, None, None, "schema-drift"),
        (DESCRIPTOR, None, None, "missing-resource"),
    ]


# --- years ----------------------------------------------------------------------------------


def test_a_christian_era_year_says_add_543(tmp_path):
    write_tambon_package(
        tmp_path, edit=lambda t, d: set_cell(t["population"], 2, "year_be", "2025")
    )
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.file, problem.row, problem.field, problem.code) == (
        data("population"), 2, "year_be", "ce-year",
    )  # fmt: skip
    assert "add 543" in problem.message and "2568" in problem.message


def test_years_too_far_ahead_or_before_2500(tmp_path):
    def edit(tables, desc):
        set_cell(tables["plan"], 2, "end_year_be", "2590")
        set_cell(tables["plan_projects"], 2, "year_be", "2400")

    assert broken(tmp_path, edit) == [
        (data("plan"), 2, "end_year_be", "implausible-year"),
        (data("plan_projects"), 2, "year_be", "constraint-error"),
    ]


def test_a_buddhist_era_date_says_subtract_543(tmp_path):
    write_tambon_package(
        tmp_path, edit=lambda t, d: set_cell(t["tambon"], 2, "reference_date", "2568-01-01")
    )
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.file, problem.row, problem.field, problem.code) == (
        data("tambon"), 2, "reference_date", "be-date",
    )  # fmt: skip
    assert "subtract 543 (write 2025-01-01)" in problem.message


# --- safety ---------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "../800107/data/villages.csv", "~/villages.csv",
     "http://127.0.0.1:9/villages.csv", "https://example.org/villages.csv",
     "file:///etc/passwd"],
)  # fmt: skip
def test_unsafe_resource_paths_are_refused_and_nothing_is_fetched(tmp_path, no_network, path):
    write_tambon_package(tmp_path, edit=lambda t, d: d["resources"][1].update(path=path))
    problems = validate.validate_tree(tmp_path, YEAR_BE)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [
        (DESCRIPTOR, None, None, "unsafe-path"),
    ]
    assert no_network == []
    assert repr(path) in problems[0].message


def test_a_data_file_linked_out_of_the_package_is_refused_unread(tmp_path):
    package = write_tambon_package(tmp_path)
    secret = tmp_path / "secret.csv"
    secret.write_text("village_code\n", encoding="utf-8")
    (package / "data" / "villages.csv").unlink()
    (package / "data" / "villages.csv").symlink_to(secret)
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.file, problem.row, problem.field, problem.code) == (
        DESCRIPTOR, None, None, "unsafe-path"
    )  # fmt: skip
    assert "symbolic link out of the package folder" in problem.message


def test_invalid_json_descriptor_gives_line_and_column(tmp_path):
    package = write_tambon_package(tmp_path)
    (package / "datapackage.json").write_text('{"name": "x",\n "resources": [}\n')
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.file, problem.code) == (DESCRIPTOR, "invalid-descriptor")
    assert "line 2, column 16" in problem.message


def test_invalid_yaml_descriptor_gives_line_and_column(tmp_path):
    package = write_tambon_package(tmp_path)
    (package / "datapackage.json").unlink()
    (package / "datapackage.yaml").write_text("name: x\nresources:\n- name: a\n  path: [b\n")
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.file, problem.code) == (f"{PKG}/datapackage.yaml", "invalid-descriptor")
    assert "line 5, column 1" in problem.message


def test_a_descriptor_frictionless_refuses_is_an_invalid_descriptor(tmp_path):
    write_tambon_package(tmp_path, edit=lambda t, d: d["resources"][0].update(name="Bad Name!"))
    problems = validate.validate_tree(tmp_path, YEAR_BE)
    # the renamed resource also leaves the package without its 'tambon' resource
    assert [(p.file, p.code) for p in problems] == [
        (DESCRIPTOR, "invalid-descriptor"),
        (DESCRIPTOR, "missing-resource"),
    ]
    assert "'Bad Name!' does not match" in problems[0].message


def test_two_broken_packages_are_both_reported(tmp_path):
    write_tambon_package(tmp_path, edit=lambda t, d: set_cell(t["villages"], 2, "households", "?"))
    other = write_tambon_package(
        tmp_path, folder="800107", edit=lambda t, d: _recode(t, d, "800107")
    )
    (other / "datapackage.json").write_text("{")
    assert compact(tmp_path) == [
        (data("villages"), 2, "households", "type-error"),
        ("80/800107/datapackage.json", None, None, "invalid-descriptor"),
    ]


def test_validation_never_modifies_the_data(tmp_path):
    write_tambon_package(tmp_path, edit=lambda t, d: set_cell(t["villages"], 2, "households", "?"))
    before = tree_hash(tmp_path)
    assert validate.check_folder(tmp_path).problems != []
    assert tree_hash(tmp_path) == before


# --- the command ----------------------------------------------------------------------------


def test_missing_folder_and_empty_folder_are_usage_errors(tmp_path, capsys):
    assert cli.main(["validate", "--data", str(tmp_path / "nope")]) == 2
    assert cli.main(["validate", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is not a folder" in err and "empty folder" in err


def test_text_output_has_one_line_per_problem_and_a_summary(tmp_path, capsys):
    write_tambon_package(tmp_path, edit=lambda t, d: set_cell(t["villages"], 2, "households", "?"))
    assert cli.main(["validate", "--data", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{data('villages')}:2:households: '?' is not a valid integer")
    assert lines[0].endswith("[type-error]")
    assert lines[1] == "1 problem in 1 of 1 packages"


def test_json_output_shape(tmp_path, capsys):
    write_tambon_package(tmp_path, edit=lambda t, d: set_cell(t["villages"], 2, "households", "?"))
    assert cli.main(["validate", "--data", str(tmp_path), "--format", "json"]) == 1
    (item,) = json.loads(capsys.readouterr().out)
    assert list(item) == ["package", "resource", "file", "row", "field", "code", "message"]
    assert {k: v for k, v in item.items() if k != "message"} == {
        "package": f"tambon-{CODE}",
        "resource": "villages",
        "file": data("villages"),
        "row": 2,
        "field": "households",
        "code": "type-error",
    }


def test_valid_tree_prints_the_summary_and_exits_0(tmp_path, capsys):
    write_tambon_package(tmp_path)
    assert cli.main(["validate", "--data", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "1 packages checked (1 tambon, 0 generic): all valid\n"


def test_generic_package_beside_a_tambon_package(tmp_path, capsys):
    write_tambon_package(tmp_path)
    generic = tmp_path / "other" / "schools"
    generic.mkdir(parents=True)
    (generic / "schools.csv").write_text(csv_text([["id", "name"], ["1", "โรงเรียนวัดท่าไร่"]]))
    (generic / "datapackage.json").write_text(
        json.dumps({"name": "schools", "resources": [{"name": "schools", "path": "schools.csv"}]})
    )
    assert cli.main(["validate", "--data", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "2 packages checked (1 tambon, 1 generic): all valid\n"


COMMITTED = Path(__file__).resolve().parents[1] / "datapackages"


@pytest.mark.skipif(not (COMMITTED / "80").is_dir(), reason="pilot packages not generated")
def test_committed_pilot_packages_are_valid(capsys):
    assert cli.main(["validate", "--data", str(COMMITTED)]) == 0
    checked = "62 packages and 5 articles checked (60 tambon, 2 generic)"
    assert capsys.readouterr().out == f"{checked}: all valid\n"


def _generic(root: Path, rows_bytes: bytes, **resource) -> None:
    folder = root / "g"
    folder.mkdir()
    (folder / "t.csv").write_bytes(rows_bytes)
    descriptor = {"name": "g", "resources": [{"name": "t", "path": "t.csv", **resource}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor))


def test_a_repeated_header_is_reported_not_a_crash(tmp_path):
    _generic(tmp_path, b"a,a\n1,2\n")
    assert compact(tmp_path) == [("g/t.csv", None, "a2", "duplicate-label")]


def test_an_empty_file_is_a_source_error(tmp_path):
    _generic(tmp_path, b"")
    assert compact(tmp_path) == [("g/t.csv", None, None, "source-error")]


def test_a_utf16_file_says_utf16(tmp_path):
    _generic(tmp_path, "a,b\nก,ข\n".encode("utf-16"))
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert problem.code == "encoding"
    assert "iconv -f UTF-16 -t UTF-8" in problem.message


def test_a_crash_in_one_package_does_not_hide_the_others(tmp_path, monkeypatch):
    write_tambon_package(tmp_path, edit=lambda t, d: set_cell(t["villages"], 2, "households", "?"))
    _generic(tmp_path, b"a\n1\n")
    real = validate.validate_package

    def crash_on_generic(ref, *args, **options):
        if ref.kind == "generic":
            raise RuntimeError("boom")
        return real(ref, *args, **options)

    monkeypatch.setattr(validate, "validate_package", crash_on_generic)
    assert compact(tmp_path) == [
        (data("villages"), 2, "households", "type-error"),
        ("g/datapackage.json", None, None, "check-crashed"),
    ]


@pytest.mark.parametrize("profile", ["http://127.0.0.1:9/p.json", "HTTP://127.0.0.1:9/p.json"])
def test_a_profile_url_in_any_case_is_never_fetched(tmp_path, profile):
    folder = tmp_path / "generic"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "t.csv").write_text("a\n1\n", encoding="utf-8")
    resource = {"name": "t", "path": "data/t.csv", "format": "csv"}
    resource["schema"] = {"fields": [{"name": "a", "type": "integer"}]}
    descriptor = {"name": "generic", "profile": profile, "resources": [resource]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert validate.validate_tree(tmp_path, YEAR_BE) == []


# --- hostile descriptors -------------------------------------------------------------------


def _yaml_package(root: Path, text: str) -> Path:
    folder = root / "g"
    folder.mkdir()
    (folder / "t.csv").write_text("a\n1\n", encoding="utf-8")
    (folder / "datapackage.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_yaml_alias_bomb_is_refused_with_a_message(tmp_path):
    _yaml_package(tmp_path, hostile.yaml_alias_bomb())
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.file, problem.code) == ("g/datapackage.yaml", "invalid-descriptor")
    assert "once its YAML aliases (*name) are written out" in problem.message


def test_a_schema_file_with_an_alias_bomb_is_refused_and_never_given_to_frictionless(tmp_path):
    descriptor = "name: g\nresources:\n- {name: t, path: t.csv, schema: schema.yaml}\n"
    folder = _yaml_package(tmp_path, descriptor)
    (folder / "schema.yaml").write_text(hostile.yaml_alias_bomb_schema(), encoding="utf-8")
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.resource, problem.file, problem.code) == (
        "t", "g/schema.yaml", "invalid-descriptor"
    )  # fmt: skip
    assert "the schema of resource 't' cannot be used: schema.yaml holds" in problem.message


def test_a_schema_file_is_read_by_the_project_and_given_to_frictionless_inline(tmp_path):
    folder = _yaml_package(
        tmp_path, "name: g\nresources:\n- {name: t, path: t.csv, schema: s.yml}\n"
    )
    (folder / "s.yml").write_text("fields: [{name: a, type: integer}]\n", encoding="utf-8")
    (folder / "t.csv").write_text("a\nx\n", encoding="utf-8")
    assert compact(tmp_path) == [("g/t.csv", 2, "a", "type-error")]


def test_a_profile_naming_a_file_is_never_opened(tmp_path, monkeypatch):
    folder = _yaml_package(
        tmp_path, "name: g\nprofile: p.json\nresources: [{name: t, path: t.csv}]\n"
    )
    (folder / "p.json").write_text('{"required": ["not-there"]}', encoding="utf-8")
    monkeypatch.chdir(folder)  # frictionless opens a profile path from the current folder
    assert compact(tmp_path) == []


def test_a_nested_bomb_is_a_problem_of_its_package_and_the_others_are_checked(tmp_path, capsys):
    write_tambon_package(tmp_path)
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "datapackage.json").write_text(hostile.deeply_nested_json())
    assert cli.main(["validate", "--data", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "deep/datapackage.json: datapackage.json is nested too deeply (more than 100 levels of"
        " lists and objects); a data package descriptor needs about 8; nothing else in this"
        " package was checked [invalid-descriptor]",
        "1 problem in 1 of 2 packages",
    ]


@pytest.mark.parametrize("text", [hostile.deeply_nested_yaml(), hostile.deeply_nested_yaml(500)])
def test_deeply_nested_yaml_is_an_invalid_descriptor(tmp_path, text):
    _yaml_package(tmp_path, text)
    assert compact(tmp_path) == [("g/datapackage.yaml", None, None, "invalid-descriptor")]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("datapackage.json", '{"resources": [], "x": ' + "9" * 5000 + "}", "a number of more"),
        ("datapackage.yaml", "resources: []\nx: " + "9" * 5000 + "\n", "a number of more"),
        ("datapackage.yaml", "resources: []\ncreated: 2024-13-45\n", "month must be in 1..12"),
    ],
)
def test_a_value_the_parser_cannot_make_is_an_invalid_descriptor(
    tmp_path, capsys, name, text, message
):
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / name).write_text(text, encoding="utf-8")
    assert cli.main(["validate", "--data", str(tmp_path)]) == 1
    (line, _summary) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"g/{name}: {name} holds ") and line.endswith("[invalid-descriptor]")
    assert message in line


@pytest.mark.parametrize(
    "dialect", [{"delimiter": ""}, {"delimiter": "ab"}, [1], {"csv": "x"}, {"quoteChar": 5}]
)
def test_a_malformed_dialect_is_reported_not_a_crash(tmp_path, dialect):
    _generic(tmp_path, b"a,b\n1,2\n", dialect=dialect)
    codes = [code for *_, code in compact(tmp_path)]
    assert "check-crashed" not in codes


@pytest.mark.parametrize("encoding", ["no-such-codec", 5])
def test_an_unknown_declared_encoding_is_named(tmp_path, encoding):
    _generic(tmp_path, b"a\n1\n", encoding=encoding)
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.file, problem.code) == ("g/t.csv", "encoding")
    assert f"declares the encoding {encoding!r}, which is not a known text encoding" in (
        problem.message
    )


@pytest.mark.parametrize(
    ("resources", "reason"),
    [
        ([{"path": "data/t.csv", "format": "csv"}], "'name' is a required property"),
        ([{"name": "t", "path": "data/t.csv", "format": "csv"}, "t2"], "'t2' is not of type"),
    ],
)
def test_an_unnamed_or_malformed_resource_is_reported_not_skipped(tmp_path, resources, reason):
    folder = tmp_path / "generic"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "t.csv").write_text("a\n1\n", encoding="utf-8")
    descriptor = {"name": "generic", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.file, problem.code) == ("generic/datapackage.json", "invalid-descriptor")
    assert reason in problem.message


# --- published names ------------------------------------------------------------------------


def _named_generic(root: Path, folder: str, name: str | None) -> str:
    """A valid generic package in root/<folder>; its descriptor path relative to root."""
    path = root / folder
    path.mkdir(parents=True)
    (path / "t.csv").write_text("a\n1\n", encoding="utf-8")
    descriptor = {"resources": [{"name": "t", "path": "t.csv"}]}
    if name is not None:
        descriptor["name"] = name
    (path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return f"{folder}/datapackage.json"


def _collisions(root: Path) -> list[tuple[str, str, str]]:
    """(file, code, message) of every problem of the tree."""
    return [(p.file, p.code, p.message) for p in validate.validate_tree(root, YEAR_BE)]


def test_a_generic_package_named_like_a_tambon_package_collides_with_it(tmp_path, capsys):
    write_tambon_package(tmp_path)
    generic = _named_generic(tmp_path, "other/impostor", f"tambon-{CODE}")
    problems = _collisions(tmp_path)
    assert [(file, code) for file, code, _ in problems] == [
        (DESCRIPTOR, "name-collision"),
        (generic, "name-collision"),
    ]
    assert generic in problems[0][2] and f"tambon-{CODE}" in problems[0][2]
    assert DESCRIPTOR in problems[1][2]
    assert cli.main(["validate", "--data", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "[name-collision]" in out
    assert out.endswith("2 problems in 2 of 2 packages\n")  # one name, two packages


def test_two_packages_of_one_tambon_collide(tmp_path):
    write_tambon_package(tmp_path)
    (tmp_path / "other").mkdir()
    (tmp_path / "80" / CODE).rename(tmp_path / "other" / CODE)
    write_tambon_package(tmp_path)
    problems = _collisions(tmp_path)
    assert [(file, code) for file, code, _ in problems] == [
        (DESCRIPTOR, "name-collision"),
        (f"other/{CODE}/datapackage.json", "name-collision"),
    ]
    assert f"other/{CODE}/datapackage.json" in problems[0][2]
    assert f"both are tambon {CODE}" in problems[0][2]
    assert DESCRIPTOR in problems[1][2]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("water", "water/data"), ("water-data", "water-data")),  # descriptor names
        (("water data", None), ("water-data", None)),  # folder names, when unnamed
        (("Water-Data", None), ("water-data", None)),  # case: one folder on Windows or macOS
    ],
)
def test_names_with_one_published_slug_collide(tmp_path, first, second):
    one, other = _named_generic(tmp_path, *first), _named_generic(tmp_path, *second)
    problems = _collisions(tmp_path)
    assert [(file, code) for file, code, _ in problems] == [
        (one, "name-collision"),
        (other, "name-collision"),
    ]
    assert other in problems[0][2] and one in problems[1][2]
    assert "'water-data'" in problems[0][2]


@pytest.mark.parametrize(
    "name",
    [
        "nakhon-si-thammarat-rollups",
        "narathiwat-rollups",  # a roll-up package of another area, too
        "bundles",
        "tambons-80",
        "tambon-800199",
        "index",
        "sha256sums",
    ],
)
def test_a_name_the_portal_uses_itself_is_refused(tmp_path, name):
    generic = _named_generic(tmp_path, "mine", name)
    ((file, code, message),) = _collisions(tmp_path)
    assert (file, code) == (generic, "name-collision")
    assert f"'{name}'" in message


def test_distinct_names_do_not_collide(tmp_path):
    write_tambon_package(tmp_path)
    _named_generic(tmp_path, "water", "water")
    _named_generic(tmp_path, "water-data", "water-data")
    _named_generic(tmp_path, "survey", "tambon-survey")
    assert _collisions(tmp_path) == []


@pytest.mark.parametrize(("first", "second"), [("t/x", "t-x"), ("t", "t.excel")])
def test_tables_of_one_package_whose_files_would_share_a_name_collide(tmp_path, first, second):
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "t.csv").write_text("a\n1\n", encoding="utf-8")
    resources = [{"name": n, "path": "t.csv"} for n in (first, second)]
    (folder / "datapackage.json").write_text(json.dumps({"name": "g", "resources": resources}))
    (problem,) = validate.validate_tree(tmp_path, YEAR_BE)
    assert (problem.file, problem.resource, problem.field, problem.code) == (
        "g/datapackage.json", second, "name", "name-collision",
    )  # fmt: skip
    assert f"'{first}'" in problem.message
