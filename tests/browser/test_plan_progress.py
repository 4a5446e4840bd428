"""Plans followed to results in Debian chromium (issue 13, item 2): a profile shows each
project's money and dated steps, the tambon's moves and money; the provincial plan page the
same by district. Expected values are read from the committed CSV files with the csv module,
not through the code that made the pages."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from tambon_portal.core import codelists as cl

REPO = Path(__file__).resolve().parents[2]
PROVINCE = REPO / "datapackages" / "80"
CODE = "800106"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _baht(text: str) -> float:
    return float(text.replace(",", "").replace("บาท", "").strip() or 0)


def _tambon(code: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    data = PROVINCE / code / "data"
    return _rows(data / "plan_projects.csv"), _rows(data / "plan_project_status.csv")


def test_a_profile_shows_each_projects_steps_and_the_tambons_money(page, page_log, axe, server):
    projects, steps = _tambon(CODE)
    by_project = defaultdict(list)
    for step in sorted(steps, key=lambda s: s["status_date"]):
        by_project[step["project_id"]].append(step)
    page.goto(f"{server}/tambon/{CODE}/")
    for project in projects:
        cell = page.locator(f"tr#project-{project['project_id']} td.progress")
        mine = by_project[project["project_id"]]
        summary = cell.locator("details.steps summary")
        assert summary.inner_text().startswith(f"{len(mine)} ขั้น")
        summary.click()
        items = cell.locator("details.steps li").all_inner_texts()
        labels = [cl.label(cl.PROJECT_STATUSES, s["status"]) for s in mine]
        assert [i.split(" ")[0] for i in items] == labels
        if project["funded_baht"]:
            money = cell.locator(".money").inner_text()
            assert f"ได้รับ {float(project['funded_baht']):,.0f}" in money
            assert f"เบิกจ่าย {float(project['spent_baht']):,.0f}" in money
    table = page.locator("table.plan-money")
    cells = [_baht(t) for t in table.locator("tbody td:nth-child(2)").all_inner_texts()]
    planned = sum(float(p["budget_baht"]) for p in projects)
    funded = sum(float(p["funded_baht"] or 0) for p in projects)
    spent = sum(float(p["spent_baht"] or 0) for p in projects)
    assert cells == [planned, funded, spent]
    latest = max(int(s["status_date"][:4]) for s in steps)
    moved = {s["project_id"] for s in steps
             if s["status"] != "proposed" and int(s["status_date"][:4]) == latest}  # fmt: skip
    years = page.locator("table.plan-moves tbody tr")
    last = years.last.locator("th, td").all_inner_texts()
    assert (int(last[0]), int(last[1])) == (latest + 543, len(moved))
    assert [v["id"] for v in axe(page)] == []
    page_log.assert_clean()


def test_on_a_phone_a_projects_steps_open_inside_its_card(phone_page, page_log, server,
                                                          screenshot_dir):  # fmt: skip
    phone_page.goto(f"{server}/tambon/{CODE}/")
    cell = phone_page.locator("tr#project-P02 td.progress")
    cell.locator("summary").click()
    card = phone_page.locator("tr#project-P02").bounding_box()
    steps = cell.locator("details.steps ol").bounding_box()
    assert card and steps
    assert card["x"] <= steps["x"] and steps["x"] + steps["width"] <= card["x"] + card["width"]
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    cell.scroll_into_view_if_needed()
    phone_page.screenshot(path=str(screenshot_dir / "plan-progress-project-phone.png"))
    page_log.assert_clean()


def test_the_provincial_plan_page_follows_projects_by_district(page, page_log, server):
    projects, steps = defaultdict(list), defaultdict(list)
    for folder in sorted(PROVINCE.glob("80????")):
        mine, moved = _tambon(folder.name)
        projects[folder.name[:4]] += mine
        steps[folder.name[:4]] += moved
    page.goto(f"{server}/plan/")
    rows = page.locator("table.plan-progress tbody tr")
    assert rows.count() == len(projects)
    latest = max(int(s["status_date"][:4]) for d in steps.values() for s in d)
    for i in range(rows.count()):
        row = rows.nth(i)
        district = row.get_attribute("data-area")
        cells = row.locator("td").all_inner_texts()
        mine = projects[district]
        moved = {(s["tambon_code"], s["project_id"]) for s in steps[district]
                 if s["status"] != "proposed" and int(s["status_date"][:4]) == latest}  # fmt: skip
        assert int(cells[0].replace(",", "")) == len(mine)
        assert int(cells[1].replace(",", "")) == len(moved)
        assert _baht(cells[4]) == sum(float(p["funded_baht"] or 0) for p in mine)
        assert _baht(cells[5]) == sum(float(p["spent_baht"] or 0) for p in mine)
    total = page.locator("table.plan-progress tfoot tr td").all_inner_texts()
    assert int(total[0].replace(",", "")) == sum(len(p) for p in projects.values())
    link = rows.first.locator("th a")
    link.click()
    assert "/district/" in page.url
    page_log.assert_clean()
