"""The roll-up data package: valid for frictionless, deterministic bytes, expected contents."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import frictionless
import pytest
from test_aggregate_fixtures import small_province

from tambon_portal.packages import discovery, table_reader
from tambon_portal.publish import rollup_package as rp
from tambon_portal.stats import area_rollups


@pytest.fixture(scope="module")
def province():
    return small_province()


@pytest.fixture(scope="module")
def written(province, tmp_path_factory):
    out = tmp_path_factory.mktemp("rollups")
    return rp.write_rollup_package(province, out, sample=True)


def test_rollup_package_is_valid_for_frictionless(written):
    report = frictionless.validate(str(written))
    assert report.flatten(["resourceName", "rowNumber", "fieldName", "type"]) == []
    assert report.valid


def test_rollup_package_lists_its_resources_in_order(written):
    descriptor = json.loads(written.read_text(encoding="utf-8"))
    assert descriptor["name"] == "nakhon-si-thammarat-rollups"
    assert [r["name"] for r in descriptor["resources"]] == [
        "key_figures",
        "bmn_indicator_rates",
        "plan_by_category",
        "plan_by_funding_source",
        "plan_by_status",
        "plan_by_year",
        "plan_projects_all",
        "plan_shared_issues",
        "plan_progress",
        "plan_moves_by_year",
        "plan_status_history_all",
        "plan_indicator_response",
    ]
    assert descriptor["sample"] is True


def test_rollup_package_bytes_do_not_depend_on_tambon_order(province):
    reversed_order = {code: province[code] for code in reversed(list(province))}
    assert rp.package_files(province) == rp.package_files(reversed_order)


def test_key_figures_csv_writes_empty_cells_for_suppressed_rates(province):
    text = rp.package_files(province)["data/key_figures.csv"]
    line = next(line for line in text.splitlines() if line.startswith("800202,"))
    assert line == (
        "800202,tambon,บ้านเกาะ,Ban Ko,8002,ตำบลบ้านเกาะ,Tambon Ban Ko,1,1,1,3,300,900,10,8,,,"
        "38000,40000,,,,,,,,,,0,0,2567"
    )


def test_bmn_rates_cover_every_area_and_indicator(province):
    text = rp.package_files(province)["data/bmn_indicator_rates.csv"]
    rows = text.splitlines()
    assert rows[0] == (
        "area_code,level,indicator,group,label_th,surveyed,passed,failed,pass_pct,"
        "tambons_suppressed"
    )
    assert len(rows) == 1 + 8 * 31  # 4 tambons, 2 districts, province, pilot
    assert "8001,district,22,economy," in text
    line = next(r for r in rows if r.startswith("8001,district,22,"))
    assert line.endswith(",1380,1056,324,76.5,0")


def _bmn_line(text: str, start: str) -> str:
    line = next(r for r in text.splitlines() if r.startswith(start))
    return ",".join(line.rsplit(",", 5)[1:])  # surveyed,passed,failed,pass_pct,tambons_suppressed


def test_bmn_rates_keep_a_suppressed_tambon_cell_as_x_and_areas_add_up(province):
    text = rp.package_files(province)["data/bmn_indicator_rates.csv"]
    # 800102 suppressed indicator 16 (100 surveyed, passed and failed x): it stays x, and its
    # district sums the other tambon only, with passed + failed = surveyed.
    assert _bmn_line(text, "800102,tambon,16,") == "100,x,x,,1"
    assert _bmn_line(text, "8001,district,16,") == "300,270,30,90,1"
    assert _bmn_line(text, "80,province,16,") == "500,420,80,84,1"


def test_only_the_bmn_rates_declare_x_a_missing_value(written):
    descriptor = json.loads(written.read_text(encoding="utf-8"))
    missing = {r["name"]: r["schema"]["missingValues"] for r in descriptor["resources"]}
    assert missing.pop("bmn_indicator_rates") == ["", "x"]
    assert set(map(tuple, missing.values())) == {("",)}


COMMITTED = Path(__file__).resolve().parents[1] / "datapackages"


@pytest.mark.skipif(not (COMMITTED / "80").is_dir(), reason="pilot packages not generated")
def test_committed_pilot_packages_keep_every_suppressed_bmn_cell_as_x():
    refs = [r for r in discovery.discover(COMMITTED) if r.kind == "tambon"]
    tambons = {r.tambon_code: table_reader.load_tables(r) for r in refs}
    text = rp.package_files(tambons)["data/bmn_indicator_rates.csv"]
    rows = list(csv.DictReader(io.StringIO(text)))
    source = {
        (str(r["area_code"]), str(r["indicator"])): (r["passed"], r["failed"])
        for r in _source_bmn_rows(COMMITTED)
    }
    suppressed = {key for key, cells in source.items() if cells == ("x", "x")}
    # The pilot data has this many suppressed tambon cells (tables published from household
    # records, issue 11; the tables once drawn directly had 114, then 183 with secondary
    # suppression; 76 before a cell a relation of published cells gives back came last).
    assert len(suppressed) == 67
    tambon_rows = {(r["area_code"], r["indicator"]): r for r in rows if r["level"] == "tambon"}
    assert {(tambon_rows[k]["passed"], tambon_rows[k]["failed"]) for k in suppressed} == {
        ("x", "x")
    }
    published = [r for r in rows if "x" not in (r["surveyed"], r["passed"], r["failed"])]
    assert [r for r in published if int(r["passed"]) + int(r["failed"]) != int(r["surveyed"])] == []


def _source_bmn_rows(root: Path) -> list[dict[str, str]]:
    """The tambon rows of the latest year (what the roll-ups use) of every committed
    bmn_results.csv, as the text the source holds."""
    rows = []
    for path in sorted(root.glob("80/*/data/bmn_results.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            tambon = [r for r in csv.DictReader(handle) if r["area_level"] == "tambon"]
        latest = max(r["year_be"] for r in tambon)
        rows += [r for r in tambon if r["year_be"] == latest]
    return rows


def test_indicator_response_download_counts_the_weakest_indicators_profiles_list(province):
    # What each profile lists as its weakest, from its own tables alone.
    weakest = {
        code: [int(i) for i in area_rollups.weakest_indicators(
            area_rollups.bmn_indicator_rates({code: tables}))["indicator"]]
        for code, tables in province.items()
    }  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(
        rp.package_files(province)["data/plan_indicator_response.csv"])))  # fmt: skip
    assert rows, "some indicator is some tambon's weakest"
    for row in rows:
        weak = [code for code, numbers in weakest.items() if int(row["indicator"]) in numbers]
        assert int(row["tambons_weak"]) == len(weak)
        assert 0 <= int(row["tambons_answered"]) <= len(weak)
    listed = {int(r["indicator"]) for r in rows}
    assert listed == {i for numbers in weakest.values() for i in numbers}
