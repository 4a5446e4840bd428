"""The built portal in Debian chromium: what a reader sees and never loads (search: test_search.py).

Uses the harness in conftest.py: `server` serves the site built from datapackages/; every
page blocks and records requests leaving 127.0.0.1, console and script errors.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures.paths import CONFORMANCE
from fixtures.tambon_package import write_tambon_package

from tambon_portal.packages import discovery, table_reader
from tambon_portal.pipeline import build
from tambon_portal.stats import aggregate, plans

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def figures() -> tuple[dict, object]:
    refs = [r for r in discovery.discover(REPO / "datapackages") if r.kind == "tambon"]
    tambons = {r.tambon_code: table_reader.load_tables(r) for r in refs}
    return tambons, aggregate.key_figures(tambons)


@pytest.fixture(scope="module")
def one_tambon(figures) -> dict:
    """The first pilot tambon (by code) and its key figures."""
    _, frame = figures
    rows = frame[frame["level"] == "tambon"].sort_values("area_code")
    return rows.iloc[0].to_dict()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_home_lists_all_pilot_tambons_in_a_sortable_table(
    page, page_log, axe, server, figures, screenshot_dir
):
    _, frame = figures
    page.goto(f"{server}/")
    assert page.locator("h1").inner_text() == "ข้อมูลตำบล จังหวัดนครศรีธรรมราช"
    page.screenshot(path=str(screenshot_dir / "site-home-desktop.png"))
    rows = page.locator("table.sortable tbody tr")
    assert rows.count() == int((frame["level"] == "tambon").sum())
    page.locator("table.sortable thead th", has_text="ประชากร").locator("button").click()
    populations = [
        int(t.replace(",", "")) for t in rows.locator("td:nth-child(3)").all_inner_texts()
    ]
    assert populations == sorted(populations)
    assert page.locator(".md-banner").inner_text().startswith("ข้อมูลตัวอย่าง (สังเคราะห์)")
    assert [v["id"] for v in axe(page)] == []
    page_log.assert_clean()


def test_home_map_select_swaps_the_indicator_map(page, page_log, server):
    page.goto(f"{server}/")
    visible = page.locator("#maps figure:visible")
    assert visible.count() == 1
    assert visible.get_attribute("data-map") == "below_line_pct"
    page.select_option("#map-select", "median_income")
    assert page.locator("#maps figure:visible").get_attribute("data-map") == "median_income"
    page_log.assert_clean()


def test_profile_key_figures_equal_the_data(
    page, page_log, axe, server, one_tambon, screenshot_dir
):
    code = one_tambon["area_code"]
    page.goto(f"{server}/tambon/{code}/")
    assert page.locator("h1").inner_text() == f"ตำบล{one_tambon['name_th']}"
    card = page.locator(".card[data-figure=population] .value")
    assert card.inner_text() == f"{one_tambon['population']:,}"
    households = page.locator(".card[data-figure=households] .value").inner_text()
    assert households == f"{one_tambon['households']:,}"
    below = page.locator(".card[data-figure=below_line_pct] .value").inner_text()
    assert below == f"{one_tambon['below_line_pct']:.1f}%"
    crumbs = page.locator("nav.breadcrumb a").all_inner_texts()
    assert crumbs[0] == "จังหวัดนครศรีธรรมราช" and crumbs[1].startswith("อำเภอ")
    assert page.locator("figure.chart svg").count() >= 4
    page.screenshot(path=str(screenshot_dir / "site-profile-desktop.png"), full_page=True)
    assert [v["id"] for v in axe(page)] == []
    page_log.assert_clean()


def test_profile_on_a_phone_shows_cards_first_and_never_scrolls_sideways(
    phone_page, page_log, server, one_tambon, screenshot_dir
):
    phone_page.goto(f"{server}/tambon/{one_tambon['area_code']}/")
    assert no_horizontal_scroll(phone_page)
    assert phone_page.locator(".card").first.is_visible()
    phone_page.screenshot(path=str(screenshot_dir / "site-profile-phone.png"))
    district = str(one_tambon["parent_code"])
    for path in ("/", f"/district/{district}/", "/province/80/", "/plan/", "/about/"):
        phone_page.goto(f"{server}{path}")
        assert no_horizontal_scroll(phone_page), path
    page_log.assert_clean()


def test_district_page_compares_its_pilot_tambons(page, page_log, axe, server, one_tambon, figures):
    _, frame = figures
    district = str(one_tambon["parent_code"])
    pilots = int(((frame["level"] == "tambon") & (frame["parent_code"] == district)).sum())
    page.goto(f"{server}/district/{district}/")
    assert page.locator("h1").inner_text().startswith("อำเภอ")
    assert page.locator("table.sortable tbody tr").count() == pilots
    assert [v["id"] for v in axe(page)] == []
    page_log.assert_clean()


def test_plan_rollup_totals_all_projects(page, page_log, axe, server, figures):
    tambons, _ = figures
    projects = plans.plan_projects_all(tambons)
    page.goto(f"{server}/plan/")
    subtitle = page.locator("p.subtitle").inner_text()
    assert f"{len(projects):,} โครงการ" in subtitle
    assert page.locator("details").count() >= 1
    assert [v["id"] for v in axe(page)] == []
    page_log.assert_clean()


@pytest.fixture(scope="module")
def generic_site(tmp_path_factory, serve) -> str:
    base = tmp_path_factory.mktemp("generic")
    write_tambon_package(base / "data")
    shutil.copytree(CONFORMANCE / "gold-prices", base / "data" / "gold-prices")
    build.build_site(base / "data", base / "out" / "site")
    return serve(base / "out" / "site")


def test_generic_dataset_page_shows_schema_preview_and_files(page, page_log, axe, generic_site):
    page.goto(f"{generic_site}/datasets/gold-prices/")
    assert page.locator("table caption", has_text="ตัวอย่าง 10 แถวแรก").count() >= 1
    preview = page.locator("table", has=page.locator("caption", has_text="ตัวอย่าง 10 แถวแรก"))
    assert preview.first.locator("tbody tr").count() == 10
    assert page.locator("ul.downloads a", has_text="gold-prices.zip").count() == 1
    assert [v["id"] for v in axe(page)] == []
    page_log.assert_clean()
