"""`tambon sample national`: the national sample data (issue 12), published from records."""

from __future__ import annotations

import pytest

from tambon_portal import cli
from tambon_portal.authoring import households_publish, national


def test_a_provinces_codes_are_its_sub_districts_and_none_means_the_country():
    phuket = national.codes_of(["83"])
    assert len(phuket) == 17 and all(code.startswith("83") for code in phuket)
    assert phuket == sorted(phuket)
    assert len(national.codes_of(None)) == 7436


def test_an_unknown_province_is_refused_with_exit_2_and_nothing_written(tmp_path, capsys):
    out = tmp_path / "data"
    args = ["sample", "national", "--province", "00", "--out", str(out),
            "--records", str(tmp_path / "records")]  # fmt: skip
    assert cli.main(args) == 2
    assert "unknown province code(s): 00" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "records").exists()


def test_tambons_of_two_provinces_are_published_from_records_into_packages_that_validate(
    tmp_path,
):
    out, records = tmp_path / "national-data", tmp_path / "private"
    report = national.write_national(out, records, ["830101", "850101"])
    assert report.problems == [] and set(report.written) == {"830101", "850101"}
    folders = sorted(p.parent.relative_to(out).as_posix() for p in out.rglob("datapackage.json"))
    assert folders == ["83/830101", "83/area-totals-83", "85/850101", "85/area-totals-85"]
    assert not any(p.name.startswith("households") for p in out.rglob("*"))  # records stay out
    assert (records / "households.csv").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no .partial
    assert cli.main(["validate", "--data", str(out), "--no-cache"]) == 0


def test_a_failed_publish_leaves_the_earlier_tree_as_it_was(tmp_path, monkeypatch, capsys):
    out = tmp_path / "national-data"
    out.mkdir()
    (out / "earlier.txt").write_text("the tree of an earlier run")

    def refused(*args, **kwargs):
        raise households_publish.PublishRefused("tambon 830101, 2567: fewer than 10 households")

    monkeypatch.setattr(households_publish, "publish", refused)
    args = ["sample", "national", "--province", "83", "--out", str(out),
            "--records", str(tmp_path / "records")]  # fmt: skip
    assert cli.main(args) == 2
    assert "fewer than 10 households; nothing was written" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["earlier.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["national-data", "records"]


def test_records_inside_the_tree_are_refused(tmp_path):
    out = tmp_path / "national-data"
    with pytest.raises(households_publish.PublishRefused, match="must stay outside"):
        national.write_national(out, out / "private", ["830101"])
    assert not out.exists()
