"""The roll-up data package: valid for frictionless, deterministic bytes, expected contents."""

from __future__ import annotations

import json

import frictionless
import pytest
from test_aggregate_fixtures import small_province

from tambon_portal import rollup_package as rp


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
    ]
    assert descriptor["sample"] is True


def test_rollup_package_bytes_do_not_depend_on_tambon_order(province):
    reversed_order = {code: province[code] for code in reversed(list(province))}
    assert rp.package_files(province) == rp.package_files(reversed_order)


def test_key_figures_csv_writes_empty_cells_for_suppressed_rates(province):
    text = rp.package_files(province)["data/key_figures.csv"]
    line = next(line for line in text.splitlines() if line.startswith("800202,"))
    assert line == (
        "800202,tambon,บ้านเกาะ,Ban Ko,8002,1,3,300,900,10,8,,,38000,40000,,,,,,,,,,0,0,2567"
    )


def test_bmn_rates_cover_every_area_and_indicator(province):
    text = rp.package_files(province)["data/bmn_indicator_rates.csv"]
    rows = text.splitlines()
    assert rows[0] == "area_code,level,indicator,group,label_th,surveyed,passed,failed,pass_pct"
    assert len(rows) == 1 + 8 * 31  # 4 tambons, 2 districts, province, pilot
    assert "8001,district,22,economy," in text
    line = next(r for r in rows if r.startswith("8001,district,22,"))
    assert line.endswith(",1380,1056,324,76.5")
