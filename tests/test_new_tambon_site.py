"""A package just made by `tambon new-tambon`, placed among the 60 samples: it validates, the
site builds, its profile says no data is published yet, and the roll-ups do not change."""

from __future__ import annotations

import html
import shutil
from datetime import date
from pathlib import Path

import pytest
from site_checks import broken_links, parse, resolve

from tambon_portal.authoring import scaffold
from tambon_portal.checks import validate
from tambon_portal.pipeline import build, stages
from tambon_portal.stats import aggregate

ROOT = Path(__file__).resolve().parents[1]
NEW = "800101"  # ในเมือง, district 8001: not among the 60 sample tambons
NO_DATA = "ยังไม่มีข้อมูลของตำบลนี้</strong> / No data published yet"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("new-tambon") / "datapackages"
    shutil.copytree(ROOT / "datapackages", root)
    assert not (root / "80" / NEW).exists()
    assert scaffold.create_package(root, NEW, date(2026, 11, 26)) == root / "80" / NEW
    return root


@pytest.fixture(scope="module")
def site(data) -> Path:
    out = data.parent / "out" / "site"
    build.build_site(data, out)
    return out


def test_the_new_package_among_the_samples_validates(data):
    assert validate.validate_tree(data) == []


def test_an_empty_package_contributes_nothing_to_district_and_province_figures(data):
    loaded = stages.load(data).tambons
    assert not aggregate.has_published_data(loaded[NEW])
    assert sum(aggregate.has_published_data(t) for t in loaded.values()) == 60
    before = aggregate.key_figures({c: t for c, t in loaded.items() if c != NEW})
    after = aggregate.key_figures(loaded)
    for area in ("8001", "80", "80-pilot"):  # tambons_with_data counts tambons with data
        old, new = (f[f["area_code"] == area].iloc[0] for f in (before, after))
        assert old.equals(new), area
    tambons = after.set_index("area_code")["tambons_with_data"]
    assert (tambons["8001"], tambons["80"], tambons[NEW]) == (3, 60, 0)


def test_the_profile_says_no_data_is_published_yet_and_draws_no_chart(site):
    text = (site / "tambon" / NEW / "index.html").read_text(encoding="utf-8")
    assert NO_DATA in text
    assert 'class="chart"' not in text and "ฝังแผนภูมินี้" not in text
    assert "ตัวเลขสำคัญ" not in text and "ปิรามิดประชากร" not in text
    assert not any(p.name.startswith(f"{NEW}-") for p in (site / "embed").iterdir())
    assert "tambon-800101.zip" in text  # the empty package can still be downloaded


def test_a_profile_with_data_keeps_its_charts(site):
    text = (site / "tambon" / "800106" / "index.html").read_text(encoding="utf-8")
    assert NO_DATA not in text and "ตัวเลขสำคัญ" in text and 'class="chart"' in text
    assert (site / "embed" / "800106-pyramid" / "index.html").is_file()


def test_the_district_page_links_the_new_tambon_and_leaves_it_out_of_the_comparison(site):
    page = site / "district" / "8001" / "index.html"
    text = page.read_text(encoding="utf-8")
    links = [html.unescape(h) for h in parse(page).links]
    # resolve() only does path arithmetic: the profile must also exist where it points.
    target = resolve(page, "../../tambon/800101/")
    assert target == site / "tambon" / NEW / "index.html" and target.is_file()
    assert "../../tambon/800101/" in links
    assert "ตำบลในเมือง</a> (ยังไม่มีข้อมูล / no data yet)" in text
    comparison = text.split("<caption>ตัวเลขสำคัญของตำบลนำร่อง")[1].split("</table>")[0]
    assert "ในเมือง" not in comparison and "ท่าไร่" in comparison


def test_the_province_page_counts_only_tambons_with_data(site):
    text = (site / "province" / "80" / "index.html").read_text(encoding="utf-8")
    assert "รวมตำบลนำร่อง 60 จาก 170 ตำบลในจังหวัดนครศรีธรรมราช" in text  # 61 packages, 60 with data


def test_every_internal_link_resolves_to_a_file(site):
    assert broken_links(site) == []
