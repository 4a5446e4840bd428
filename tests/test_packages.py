from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from fixtures import hostile
from fixtures.paths import CONFORMANCE
from fixtures.tambon_package import write_tambon_package

from tambon_portal.core import schemas
from tambon_portal.packages import descriptor_reader, discovery, table_reader


def _generic(root: Path, name: str, descriptor_name: str = "datapackage.json") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    desc = {
        "name": name,
        "resources": [
            {
                "name": "t",
                "path": "t.csv",
                "schema": {"fields": [{"name": "code", "type": "string"}]},
            }
        ],
    }
    (folder / descriptor_name).write_text(json.dumps(desc), encoding="utf-8")
    (folder / "t.csv").write_text("code\n007\n", encoding="utf-8")
    return folder


def test_discover_finds_packages_sorted_and_does_not_descend_into_a_package(tmp_path):
    write_tambon_package(tmp_path)
    _generic(tmp_path, "b-generic")
    _generic(tmp_path / "b-generic", "nested")  # belongs to b-generic: not a package of its own
    _generic(tmp_path, "a-generic", "datapackage.yaml")
    _generic(tmp_path / ".git", "hidden")
    refs = discovery.discover(tmp_path)
    assert [
        (r.folder.relative_to(tmp_path).as_posix(), r.kind, r.name, r.tambon_code) for r in refs
    ] == [
        ("80/800106", "tambon", "tambon-800106", "800106"),
        ("a-generic", "generic", "a-generic", None),
        ("b-generic", "generic", "b-generic", None),
    ]


def test_a_descriptor_with_tambon_code_makes_a_tambon_package_whatever_the_folder_name(tmp_path):
    write_tambon_package(tmp_path, folder="tha-rai")
    (ref,) = discovery.discover(tmp_path)
    assert (ref.kind, ref.tambon_code, ref.name) == ("tambon", "800106", "tambon-800106")


def test_a_broken_descriptor_is_still_discovered_named_after_its_folder(tmp_path):
    folder = tmp_path / "800107"
    folder.mkdir()
    (folder / "datapackage.json").write_text("{not json", encoding="utf-8")
    (ref,) = discovery.discover(tmp_path)
    assert (ref.kind, ref.name, ref.tambon_code) == ("tambon", "800107", "800107")


def test_discover_does_not_follow_linked_folders(tmp_path):
    root = tmp_path / "data"
    _generic(root, "a")
    _generic(tmp_path, "elsewhere")
    (root / "linked").symlink_to(tmp_path / "elsewhere")
    (root / "loop").symlink_to(root)
    assert [ref.name for ref in discovery.discover(root)] == ["a"]


def test_discover_of_a_missing_or_empty_folder_is_empty(tmp_path):
    assert discovery.discover(tmp_path / "nope") == []
    assert discovery.discover(tmp_path) == []


def test_read_descriptor_reports_json_line_and_column(tmp_path):
    path = tmp_path / "datapackage.json"
    path.write_text('{\n  "name": "x",\n  "resources": [,]\n}\n', encoding="utf-8")
    with pytest.raises(
        descriptor_reader.DescriptorError, match=r"not valid JSON: .* line 3, column 17"
    ):
        descriptor_reader.read_descriptor(path)


def test_read_descriptor_reports_yaml_line_and_column(tmp_path):
    path = tmp_path / "datapackage.yml"
    path.write_text("name: x\nresources:\n  - name: a\n   path: b\n", encoding="utf-8")
    with pytest.raises(
        descriptor_reader.DescriptorError, match=r"not valid YAML: .* line 4, column 4"
    ):
        descriptor_reader.read_descriptor(path)


def test_read_descriptor_refuses_a_list(tmp_path):
    path = tmp_path / "datapackage.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(descriptor_reader.DescriptorError, match="must hold an object"):
        descriptor_reader.read_descriptor(path)


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    path = tmp_path / "datapackage.yaml"
    path.write_text(hostile.yaml_alias_bomb(), encoding="utf-8")
    with pytest.raises(
        descriptor_reader.DescriptorError, match=r"datapackage\.yaml holds [0-9,]+ values once"
    ):
        descriptor_reader.read_descriptor(path)


def test_many_yaml_aliases_are_refused(tmp_path):
    path = tmp_path / "datapackage.yaml"
    uses = ", ".join(["*x"] * (descriptor_reader.MAX_YAML_ALIASES + 1))
    path.write_text(f"name: a\nx: &x {{a: 1}}\nresources: [{uses}]\n", encoding="utf-8")
    with pytest.raises(
        descriptor_reader.DescriptorError, match=r"uses YAML aliases \(\*name\) 101 times"
    ):
        descriptor_reader.read_descriptor(path)


def test_a_few_yaml_aliases_are_read_in_full(tmp_path):
    path = tmp_path / "datapackage.yaml"
    path.write_text("schema: &s {fields: [{name: a}]}\nresources: [{schema: *s}]\n")
    assert descriptor_reader.read_descriptor(path)["resources"] == [
        {"schema": {"fields": [{"name": "a"}]}}
    ]


def test_a_yaml_alias_inside_itself_is_refused(tmp_path):
    path = tmp_path / "datapackage.yml"
    path.write_text("name: a\nresources: &r [*r]\n", encoding="utf-8")
    with pytest.raises(
        descriptor_reader.DescriptorError, match=r"datapackage\.yml refers to itself"
    ):
        descriptor_reader.read_descriptor(path)


def test_a_descriptor_larger_than_the_cap_is_refused_unread(tmp_path):
    path = tmp_path / "datapackage.json"
    path.write_bytes(b'{"name": "' + b"a" * descriptor_reader.MAX_DESCRIPTOR_BYTES + b'"}')
    with pytest.raises(
        descriptor_reader.DescriptorError, match=r"datapackage\.json is larger than 4 MB"
    ):
        descriptor_reader.read_descriptor(path)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("datapackage.json", hostile.deeply_nested_json()),
        ("datapackage.yaml", hostile.deeply_nested_yaml()),
        (
            "datapackage.json",
            hostile.deeply_nested_json(descriptor_reader.MAX_DESCRIPTOR_DEPTH + 1),
        ),
        (
            "datapackage.yaml",
            hostile.deeply_nested_yaml(descriptor_reader.MAX_DESCRIPTOR_DEPTH + 1),
        ),
    ],
)
def test_a_deeply_nested_descriptor_is_refused_not_a_recursion_error(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        descriptor_reader.DescriptorError, match=re.escape(f"{name} is nested too deeply")
    ):
        descriptor_reader.read_descriptor(path)


def test_a_schema_file_goes_through_the_same_bounds(tmp_path):
    (tmp_path / "schema.yaml").write_text(hostile.yaml_alias_bomb(), encoding="utf-8")
    resource = {"name": "t", "path": "t.csv", "schema": "schema.yaml"}
    with pytest.raises(descriptor_reader.DescriptorError, match=r"schema\.yaml holds"):
        table_reader.resource_schema(resource, tmp_path)


def test_discover_names_a_deeply_nested_package_without_raising(tmp_path):
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "datapackage.json").write_text(hostile.deeply_nested_json())
    assert [ref.name for ref in discovery.discover(tmp_path)] == ["deep"]


@pytest.mark.parametrize(
    ("path", "unsafe"),
    [
        ("data/x.csv", False),
        ("x..y.csv", False),
        ("/etc/passwd", True),
        ("../other/x.csv", True),
        ("data/../../x.csv", True),
        ("~/x.csv", True),
        ("https://example.org/x.csv", True),
        ("file:///etc/passwd", True),
        ("ftp://example.org/x.csv", True),
        ("C:\\data\\x.csv", True),
    ],
)
def test_unsafe_path_reason(path, unsafe):
    assert (descriptor_reader.unsafe_path_reason(path) is not None) is unsafe


def test_load_tables_types_columns_per_schema(tmp_path):
    ref = discovery.package_ref(write_tambon_package(tmp_path))
    tables = table_reader.load_tables(ref)
    assert list(tables) == list(schemas.RESOURCE_NAMES)
    villages = tables["villages"]
    assert villages["village_code"].tolist() == ["80010601", "80010602"]
    assert str(villages["village_no"].dtype) == "Int64"
    assert villages["name_en"].isna().tolist() == [False, True]
    tambon = tables["tambon"]
    assert tambon.loc[0, "province_code"] == "80"
    assert tambon.loc[0, "area_km2"] == 12.5
    assert bool(tambon.loc[0, "pilot"]) is True
    assert str(tambon["pilot"].dtype) == "boolean"
    assert tambon.loc[0, "reference_date"] == "2025-01-01"
    assert tables["plan_projects"]["budget_baht"].tolist() == [50000.0, 250000.5]


def test_load_tables_reads_x_as_missing_and_keeps_leading_zeros(tmp_path):
    def edit(rows, desc):
        rows["population"][1][4] = "x"

    ref = discovery.package_ref(write_tambon_package(tmp_path, edit=edit))
    persons = table_reader.load_tables(ref)["population"]["persons"]
    assert persons.tolist()[1:] == [250, 200, 250]
    assert persons.isna().tolist() == [True, False, False, False]
    folder = _generic(tmp_path / "g", "codes")
    codes = table_reader.load_tables(discovery.package_ref(folder))["t"]
    assert codes["code"].tolist() == ["007"]


def test_load_tables_accepts_a_byte_order_mark(tmp_path):
    package = write_tambon_package(tmp_path)
    csv_path = package / "data" / "villages.csv"
    csv_path.write_bytes(b"\xef\xbb\xbf" + csv_path.read_bytes())
    villages = table_reader.load_tables(discovery.package_ref(package))["villages"]
    assert villages.columns[0] == "village_code"


def test_load_tables_refuses_an_unsafe_path_without_opening_it(tmp_path):
    folder = _generic(tmp_path, "g")
    desc = json.loads((folder / "datapackage.json").read_text())
    desc["resources"][0]["path"] = "../outside.csv"
    (folder / "datapackage.json").write_text(json.dumps(desc))
    with pytest.raises(descriptor_reader.TableError, match="leaves the package folder"):
        table_reader.load_tables(discovery.package_ref(folder))


def test_load_tables_refuses_a_symbolic_link_out_of_the_package(tmp_path):
    folder = _generic(tmp_path, "g")
    (tmp_path / "secret.csv").write_text("code\nsecret\n", encoding="utf-8")
    (folder / "t.csv").unlink()
    (folder / "t.csv").symlink_to(tmp_path / "secret.csv")
    with pytest.raises(
        descriptor_reader.TableError, match="symbolic link out of the package folder"
    ):
        table_reader.load_tables(discovery.package_ref(folder))


def test_a_symbolic_link_inside_the_package_is_allowed(tmp_path):
    folder = _generic(tmp_path, "g")
    (folder / "t.csv").rename(folder / "real.csv")
    (folder / "t.csv").symlink_to(folder / "real.csv")
    assert descriptor_reader.unsafe_path_reason("t.csv", folder) is None
    assert list(table_reader.load_tables(discovery.package_ref(folder))) == ["t"]


def test_load_tables_reads_the_conformance_packages():
    shapes = {
        (ref.name, name): frame.shape
        for ref in discovery.discover(CONFORMANCE)
        for name, frame in table_reader.load_tables(ref).items()
    }
    assert shapes == {
        ("country-codes", "country-codes"): (249, 56),
        ("gold-prices", "monthly-processed"): (2322, 2),
        ("gold-prices", "annual"): (192, 2),
        ("gold-prices", "monthly"): (2322, 2),
        ("population", "population"): (17195, 4),
    }


def test_type_column_follows_boolean_and_number_options():
    raw = pd.Series(["yes", "no", "", "maybe"])
    field = {"type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]}
    assert table_reader.type_column(raw, field, [""]).tolist() == [True, False, pd.NA, pd.NA]
    number = {"type": "number", "groupChar": ",", "decimalChar": "."}
    assert table_reader.type_column(pd.Series(["1,234.5"]), number, [""]).tolist() == [1234.5]


@pytest.mark.parametrize(
    ("resource", "name"),
    [
        ({"name": "villages", "path": "data/v.csv"}, "villages"),
        ({"path": ["data/part1.csv", "data/part2.csv"]}, "part1"),
        ({"data": [["a"], ["1"]]}, "data"),
    ],
)
def test_resource_name_is_the_name_else_the_first_file_stem_else_data(resource, name):
    assert table_reader.resource_name(resource) == name


def test_inline_rows_keep_the_text_none_and_read_null_or_an_absent_key_as_missing():
    schema = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}]}
    objects = {"name": "t", "data": [{"a": "None", "b": 1}, {"a": None}], "schema": schema}
    arrays = {"name": "t", "data": [["a", "b"], ["None", 1], [None, None]], "schema": schema}
    for resource in (objects, arrays):
        frame = table_reader.load_table(resource, Path("."))
        assert frame["a"].tolist()[0] == "None" and pd.isna(frame["a"].tolist()[1])
        assert frame["b"].tolist() == [1, pd.NA]


def test_ragged_inline_rows_are_padded_or_cut_to_the_header():
    frame = table_reader.inline_frame([["a", "b"], ["1"], ["2", "3", "4"], "bad"])
    assert frame.to_numpy().tolist() == [["1", ""], ["2", "3"], ["", ""]]


def test_thai_digits_in_numbers_are_read_as_frictionless_reads_them():
    integer, number = {"name": "n", "type": "integer"}, {"name": "v", "type": "number"}
    raw = pd.Series(["๑๒", "๐๓", "x"])
    assert table_reader.type_column(raw, integer, ["", "x"]).tolist() == [12, 3, pd.NA]
    assert table_reader.type_column(pd.Series(["๑.๕"]), number, [""]).tolist() == [1.5]


# --- one typer, as frictionless reads cells ----------------------------------------------------

FIELDS = [
    {"name": "f", "type": "integer"},
    {"name": "f", "type": "integer", "bareNumber": False},
    {"name": "f", "type": "number"},
    {"name": "f", "type": "number", "groupChar": ","},
    {"name": "f", "type": "number", "groupChar": ".", "decimalChar": ","},
    {"name": "f", "type": "number", "groupChar": ",", "bareNumber": False},
    {"name": "f", "type": "year"},
    {"name": "f", "type": "boolean"},
    {"name": "f", "type": "boolean", "trueValues": ["ใช่"], "falseValues": ["ไม่ใช่"]},
    {"name": "f", "type": "string"},
]
CELLS = [
    "", "x", "0", "12", " 12 ", "+5", "-5", "1_000", "๑๒", "๒๕๖๘", "2568", "256", "1,000",
    "1.000,5", "1,5", "1.5", "-1,234.50", "12%", "฿1,000", "$-1,000.50", "1e3", "NaN", "inf",
    "abc", "99999999999999999999", "true", "TRUE", "yes", "ใช่", "ไม่ใช่", "2025-01-01",
]  # fmt: skip


def _frictionless_value(field: dict, cell: str):
    import frictionless  # slow import, for this comparison only

    schema = frictionless.Schema.from_descriptor({"fields": [field], "missingValues": ["", "x"]})
    value, _notes = schema.fields[0].read_cell(cell)
    return float(value) if field["type"] == "number" and value is not None else value


def _same(a, b) -> bool:
    nan = isinstance(a, float) and isinstance(b, float) and a != a and b != b
    return nan or (a == b and type(a) is type(b))


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: "-".join(map(str, f.values()))[2:])
def test_cells_are_typed_as_frictionless_reads_them(field):
    read = table_reader.cell_reader(field)
    missing = table_reader.field_missing_values(field, ["", "x"])
    ours = {cell: None if cell in missing else read(cell) for cell in CELLS}
    theirs = {cell: _frictionless_value(field, cell) for cell in CELLS}
    assert [c for c in CELLS if not _same(ours[c], theirs[c])] == []


def test_a_number_column_with_a_group_char_reads_thousands_and_thai_digits():
    number = {"name": "n", "type": "number", "groupChar": ","}
    raw = pd.Series(["1,000", "๑,๒๐๐.๕", "x", "1.2.3"])
    assert table_reader.type_column(raw, number, ["", "x"]).tolist()[:2] == [1000.0, 1200.5]
    assert table_reader.type_column(raw, number, ["", "x"]).isna().tolist() == [0, 0, 1, 1]


def test_an_integer_column_with_a_fraction_infinity_or_a_huge_number_reads_them_as_missing():
    # The typer assumes valid data and turns what it cannot hold into a missing value; the
    # old one raised TypeError or OverflowError on these instead.
    raw = pd.Series(["1.5", "inf", "99999999999999999999", "7"])
    integer = {"name": "n", "type": "integer"}
    assert table_reader.type_column(raw, integer, [""]).tolist() == [pd.NA, pd.NA, pd.NA, 7]
