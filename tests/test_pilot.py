"""The committed pilot is made from synthetic household records through `households publish`
(`tambon sample`), byte for byte, and nothing of the records is left behind."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from fixtures.published_tables import differing_numbers

from tambon_portal import cli
from tambon_portal.authoring import households_publish, pilot, sample
from tambon_portal.core.problems import Problem

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "datapackages" / "80"
MADE = {f"data/{name}.csv" for name in households_publish.MADE_RESOURCES}


def relative_files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_generating_the_pilot_reproduces_the_committed_packages_byte_for_byte(tmp_path):
    assert cli.main(["sample", "--out", str(tmp_path)]) == 0
    generated = relative_files(tmp_path / "80")
    committed = relative_files(COMMITTED)
    assert sorted(generated) == sorted(committed)
    differing = [name for name in generated if generated[name] != committed[name]]
    assert differing == []


def test_one_tambon_made_alone_publishes_the_committed_numbers():
    # alone, its area totals cover it alone; in the pilot, sixty tambons: which cells the
    # province's protection hides may differ, a published number may not
    files = pilot.package_files("800119")
    committed = {name: (COMMITTED / "800119" / name).read_text(encoding="utf-8") for name in files}
    assert sorted(files) == sorted(committed)
    for name in files:
        if name.startswith("data/"):
            assert differing_numbers(files[name], committed[name]) == [], name
        else:
            assert files[name] == committed[name], name


def test_the_published_tables_are_the_records_and_the_plan_is_the_packages_own():
    files = pilot.package_files("800106")
    drawn = sample.data_files(sample.build_tambon("800106"))
    assert {name for name in files if name.startswith("data/")} == set(drawn)
    assert all(files[name] == drawn[name] for name in drawn if name not in MADE)  # the plan
    assert all(files[name] != drawn[name] for name in MADE - {"data/tambon.csv"})
    descriptor = json.loads(files["datapackage.json"])
    assert "tambon households publish" in descriptor["description"]


def test_the_pilot_depends_on_the_seed():
    assert pilot.package_files("800106", 1) != pilot.package_files("800106", 2)


def test_no_record_file_is_left_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where TemporaryDirectory makes it
    pilot.package_files("800106")
    assert list(tmp_path.iterdir()) == []


def test_records_with_problems_write_nothing_and_exit_2(tmp_path, monkeypatch, capsys):
    problem = Problem("households", "households", "households.csv", 7, "members",
                      "type-error", "not a whole number")  # fmt: skip
    broken = households_publish.Publication(
        households_publish.PublishReport([problem], None, ()),
        {},
        {},  # type: ignore[arg-type]
    )
    monkeypatch.setattr(households_publish, "published_files", lambda *a, **k: broken)
    out = tmp_path / "data"
    assert cli.main(["sample", "--out", str(out), "--tambon", "800106"]) == 2
    assert not out.exists()
    assert "households.csv:7:members" in capsys.readouterr().err


def test_the_sample_command_shows_each_stage(tmp_path, capsys):
    assert cli.main(["sample", "--out", str(tmp_path), "--tambon", "800106"]) == 0
    err = capsys.readouterr().err
    for stage in ("packages", "records", "check", "tables", "suppression", "write"):
        assert f"tambon sample: {stage}" in err
