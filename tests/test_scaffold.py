"""`tambon new-tambon`: an empty package in the shape of the sample packages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tambon_portal.authoring import importer, sample, scaffold
from tambon_portal.checks import validate
from tambon_portal.cli import main as cli_main
from tambon_portal.core import gazetteer, schemas

CODE = "800101"  # ในเมือง, เมืองนครศรีธรรมราช
CREATED = date(2026, 11, 26)


def _create(root: Path) -> Path:
    return scaffold.create_package(root, CODE, CREATED)


def _problems(root: Path) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.file, p.row, p.field, p.code) for p in validate.validate_tree(root, 2569)]


def test_descriptor_has_the_shape_of_the_sample_packages():
    ours, theirs = scaffold.descriptor(CODE, CREATED), sample.descriptor(CODE)
    assert list(ours) == list(theirs)
    assert ours["resources"] == theirs["resources"]
    assert ours["sample"] is False
    assert ours["created"] == "2026-11-26T00:00:00Z"
    assert ours["title"] == "ข้อมูลชุมชนตำบลในเมือง อำเภอเมืองนครศรีธรรมราช จังหวัดนครศรีธรรมราช"
    assert "ข้อมูลตัวอย่าง" not in ours["keywords"]


def test_tambon_address_names_tambon_district_and_province_and_refuses_unknown_codes():
    assert gazetteer.tambon_address(CODE) == (
        "ตำบลในเมือง อำเภอเมืองนครศรีธรรมราช จังหวัดนครศรีธรรมราช",
        "Tambon Nai Mueang, Mueang Nakhon Si Thammarat District, Nakhon Si Thammarat Province",
    )
    with pytest.raises(ValueError, match="999999 is not a tambon code"):
        gazetteer.tambon_address("999999")


def test_every_csv_has_its_header_and_only_tambon_has_a_row(tmp_path):
    folder = _create(tmp_path)
    assert (folder / "data" / "villages.csv").read_text("utf-8") == (
        "village_code,tambon_code,village_no,name_th,name_en,households,population\n"
    )
    assert (folder / "data" / "tambon.csv").read_text("utf-8") == (
        ",".join(schemas.field_names("tambon"))
        + "\n80,8001,800101,ในเมือง,Nai Mueang,,,,0,0,0,2026-11-26,false\n"
    )
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    assert [r["path"] for r in descriptor["resources"]] == [
        f"data/{n}.csv" for n in schemas.RESOURCE_NAMES
    ]


def test_a_new_package_validates_with_no_villages_and_only_the_unknowable_fields_empty(tmp_path):
    _create(tmp_path)
    assert scaffold.fields_to_fill() == ["lg_type", "lg_name_th", "area_km2"]
    assert _problems(tmp_path) == []


def test_the_tambon_row_is_dated_the_day_the_package_is_created():
    row = scaffold.tambon_row(CODE, date(2027, 1, 2))
    assert (row["reference_date"], row["villages"], row["pilot"]) == ("2027-01-02", "0", "false")


def test_the_command_names_the_fields_to_fill(tmp_path, capsys):
    assert cli_main(["new-tambon", CODE, "--data", str(tmp_path)]) == 0
    assert "(fill these in data/tambon.csv): lg_type, lg_name_th, area_km2" in (
        capsys.readouterr().out
    )


def test_filled_in_and_imported_the_new_package_validates(tmp_path):
    folder = _create(tmp_path)
    tambon_csv = folder / "data" / "tambon.csv"
    header, row = tambon_csv.read_text("utf-8").splitlines()
    row = row.replace(
        ",,,,0,0,0,2026-11-26,false",
        ",tm_nakhon,เทศบาลนครนครศรีธรรมราช,22.56,1,3000,9000,2025-09-30,false",
    )
    tambon_csv.write_text(f"{header}\n{row}\n", encoding="utf-8")
    officer_file = tmp_path / "หมู่บ้าน.csv"
    officer_file.write_text(
        'รหัสหมู่บ้าน,หมู่ที่,ชื่อหมู่บ้าน,ครัวเรือน,ประชากร\n80010101,1,บ้านในเมือง,"3,000",๙๐๐๐\n',
        encoding="utf-8",
    )
    report = importer.import_file(officer_file, tmp_path, CODE, "villages")
    assert report.problems == []
    assert _problems(tmp_path) == []


def test_an_existing_package_is_refused(tmp_path, capsys):
    _create(tmp_path)
    before = (tmp_path / "80" / CODE / "data" / "tambon.csv").read_bytes()
    assert cli_main(["new-tambon", CODE, "--data", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "80" / CODE / "data" / "tambon.csv").read_bytes() == before


@pytest.mark.parametrize("code", ["999999", "8001", "80010x", "80010101"])
def test_an_unknown_code_exits_2_and_writes_nothing(tmp_path, capsys, code):
    assert cli_main(["new-tambon", code, "--data", str(tmp_path)]) == 2
    assert "is not a tambon code in the gazetteer" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
