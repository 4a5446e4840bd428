"""The partners' pages in Debian chromium (issue 13): a partner's page lists the tambons and
totals of its links, a profile its partners and its weakest indicators' projects, the province
page the 3W table and its download.

Expected values are read from the committed CSV files with the csv module, not through the
code that made the pages."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from tambon_portal.core import codelists as cl
from tambon_portal.site import centroid_map

REPO = Path(__file__).resolve().parents[2]
PARTNERS = REPO / "datapackages" / "80" / "partners-80" / "data"
AGENCY = "agriculture-80"
CODE = "800106"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def links() -> list[dict[str, str]]:
    return _rows(PARTNERS / "project_partners.csv")


@pytest.fixture(scope="module")
def names() -> dict[str, str]:
    return {r["partner_id"]: r["name_th"] for r in _rows(PARTNERS / "partners.csv")}


def _tambon_names() -> dict[str, str]:
    return {
        r["tambon_code"]: r["name_th"]
        for folder in (REPO / "datapackages" / "80").glob("80????")
        for r in _rows(folder / "data" / "tambon.csv")
    }


def test_partner_page_lists_its_tambons_and_totals(page, page_log, axe, server, links, names,
                                                   screenshot_dir):  # fmt: skip
    mine = [r for r in links if r["partner_id"] == AGENCY]
    projects = {(r["tambon_code"], r["project_id"]) for r in mine}
    funded = sum(float(r["amount_baht"]) for r in mine if r["role"] == "funds")
    page.goto(f"{server}/partners/{AGENCY}/")
    assert page.locator("h1").inner_text() == names[AGENCY]
    total = page.locator(".area-total").inner_text()
    tambons = {t for t, _ in projects}
    assert f"ร่วม {len(projects)} โครงการใน {len(tambons)} ตำบล" in total
    assert f"สนับสนุนงบประมาณ {funded:,.0f} บาท" in total
    rows = page.locator("table.projects tbody tr")
    assert rows.count() == len(projects)
    shown = {t.split(" อ.")[0] for t in rows.locator("td:first-child").all_inner_texts()}
    expected = {f"ตำบล{_tambon_names()[t]}" for t in tambons}
    assert {s.strip() for s in shown} == expected
    funds_row = page.locator("table.by-role tbody tr", has_text="สนับสนุนงบประมาณ")
    assert funds_row.locator("td").last.inner_text() == f"{funded:,.0f}"
    # the map links every tambon of the partner that has coordinates, and names the others
    located = {p.code for p in centroid_map.province_centroids("80")}
    assert page.locator("figure.chart svg a").count() == len(tambons & located)
    caption = page.locator("figure.chart figcaption").inner_text()
    for code in sorted(tambons - located):
        assert f"ไม่มีพิกัดของตำบล{_tambon_names()[code]}" in caption
    page.screenshot(path=str(screenshot_dir / "partner-agency-desktop.png"), full_page=False)
    assert [v["id"] for v in axe(page)] == []
    # a project's link opens its tambon's profile at that project's row (rows in code order)
    tambon, project = sorted(projects)[0]
    rows.first.locator("td:first-child a").click()
    page.wait_for_url(f"{server}/tambon/{tambon}/#project-{project}")
    assert page.locator(f"tr#project-{project}").is_visible()
    page_log.assert_clean()


def test_profile_lists_the_partners_active_there_and_links_their_pages(page, page_log, server,
                                                                        links, names):  # fmt: skip
    here = defaultdict(set)
    for r in links:
        if r["tambon_code"] == CODE:
            here[r["partner_id"]].add(r["project_id"])
    page.goto(f"{server}/tambon/{CODE}/")
    table = page.locator("table.partners")
    listed = table.locator("tbody tr td:first-child a").all_inner_texts()
    assert sorted(listed) == sorted(names[p] for p in here)
    most = max(here, key=lambda p: (len(here[p]), p))
    first = table.locator("tbody tr").first
    assert first.locator("td[data-label=โครงการ]").inner_text() == str(len(here[most]))
    table.locator("a", has_text=names["pmua"]).click()
    page.wait_for_url(f"{server}/partners/pmua/")
    assert page.locator("h1").inner_text() == names["pmua"]
    page_log.assert_clean()


def test_province_page_has_the_3w_table_and_its_download(page, page_log, server, links, names):
    page.goto(f"{server}/province/80/")
    table = page.locator("table.three-w")
    row = table.locator("tbody tr", has=page.locator("a", has_text=names["pmua"]))
    pmua = {(r["tambon_code"], r["project_id"]) for r in links if r["partner_id"] == "pmua"}
    assert row.locator("td").last.inner_text() == f"{len(pmua):,}"
    href = page.locator("a", has_text="ดาวน์โหลดตาราง 3W").get_attribute("href")
    response = page.request.get(page.url + href)
    assert response.ok
    header = response.text().lstrip("\ufeff").splitlines()[0]
    assert header.startswith("partner_id,name_th,partner_type,district_code")
    page_log.assert_clean()


@pytest.mark.parametrize("path", ["partners/", f"partners/{AGENCY}/", f"tambon/{CODE}/"])
def test_partner_pages_fit_a_phone(phone_page, page_log, server, path, screenshot_dir):
    phone_page.goto(f"{server}/{path}")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if path == "partners/":
        phone_page.screenshot(path=str(screenshot_dir / "partners-list-phone.png"))
    page_log.assert_clean()


def test_profile_links_its_weakest_indicators_to_the_projects_that_answer_them(page, page_log,
                                                                              server):  # fmt: skip
    data = REPO / "datapackages" / "80" / CODE / "data"
    categories = {r["issue_no"]: r["category"] for r in _rows(data / "plan_issues.csv")}
    projects = _rows(data / "plan_projects.csv")
    page.goto(f"{server}/tambon/{CODE}/")
    items = page.locator("ul.weakest-answers > li")
    weakest = page.locator("table caption", has_text="ตัวชี้วัดที่ผ่านเกณฑ์น้อยที่สุด")
    listed = weakest.locator("xpath=..").locator("tbody tr td:first-child").all_inner_texts()
    assert [items.nth(i).get_attribute("data-indicator") for i in range(items.count())] == listed
    for i in range(items.count()):
        item = items.nth(i)
        number = int(item.get_attribute("data-indicator"))
        answering = set(cl.categories_answering(number))
        live = [p for p in projects if p["status"] != "cancelled"]
        expected = {p["title_th"] for p in live if categories[p["issue_no"]] in answering}
        assert set(item.locator("li a").all_inner_texts()) == expected
    first = items.locator("li a").first
    target = first.get_attribute("href")
    first.click()
    assert page.evaluate("location.hash") == target
    assert page.locator(f"tr{target}").is_visible()
    page_log.assert_clean()


def test_plan_rollup_lists_the_weakest_indicators_and_their_answers(page, page_log, server):
    page.goto(f"{server}/plan/")
    rows = page.locator("table.indicator-response tbody tr")
    assert rows.count() > 0
    weak = [int(t.replace(",", "")) for t in rows.locator("td:nth-child(2)").all_inner_texts()]
    answered = [int(t.replace(",", "")) for t in rows.locator("td:nth-child(3)").all_inner_texts()]
    assert weak == sorted(weak, reverse=True)
    assert all(0 <= a <= w for a, w in zip(answered, weak, strict=True))
    assert sum(weak) <= 60 * 5  # five weakest per tambon at most
    link = page.get_by_role("link", name="ดาวน์โหลดตารางนี้ (CSV)")
    response = page.request.get(page.url + link.get_attribute("href"))
    assert response.ok
    downloaded = list(csv.DictReader(response.text().splitlines()))
    numbers = [int(r.get_attribute("data-indicator")) for r in rows.all()]
    assert [int(r["indicator"]) for r in downloaded] == numbers
    assert [int(r["tambons_weak"]) for r in downloaded] == weak
    assert [int(r["tambons_answered"]) for r in downloaded] == answered
    page_log.assert_clean()
