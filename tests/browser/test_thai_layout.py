"""Thai in tables as a reader sees it: names break only between words, and project tables
show every field on a phone (docs/architecture.md §6: a phone never scrolls sideways)."""

from __future__ import annotations

import pytest

ONE_LINE = """els => els.map(el => {
  const link = el.querySelector('a') || el;
  return [link.textContent.trim(), link.getClientRects().length];
})"""


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]
)
def test_place_names_in_tables_stay_on_one_line(page, page_log, server, viewport, screenshot_dir):
    district = "8001"  # เมืองนครศรีธรรมราช: the longest names
    for path in ("/", f"/district/{district}/", "/province/80/"):
        page.goto(f"{server}{path}")
        names = page.locator("table .place").evaluate_all(ONE_LINE)
        assert len(names) > 0, path
        broken = [name for name, lines in names if lines != 1]
        assert broken == [], f"{path} at {viewport['width']} px: {broken}"
    page.goto(f"{server}/")
    page.locator("table.sortable").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / f"home-table-{viewport['width']}.png"))
    page_log.assert_clean()


def test_project_tables_are_stacked_cards_with_every_field_on_a_phone(
    phone_page, page_log, server, screenshot_dir
):
    phone_page.goto(f"{server}/tambon/800106/")
    rows = phone_page.locator("table.projects tbody tr")
    assert rows.count() > 0
    first = rows.first
    first.scroll_into_view_if_needed()
    cells = first.locator("td")
    assert cells.count() == 7
    labels = cells.evaluate_all(
        "tds => tds.map(td => getComputedStyle(td, '::before').content.replace(/\"/g, ''))"
    )
    assert labels == ["โครงการ", "พื้นที่", "งบประมาณ (บาท)", "แหล่งงบประมาณ", "ผู้รับผิดชอบ",
                      "ปี (พ.ศ.)", "สถานะ"]  # fmt: skip
    for i in range(7):
        box = cells.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, i
    wraps = phone_page.locator(".issue .table-wrap").evaluate_all(
        "ws => ws.filter(w => w.scrollWidth > w.clientWidth + 1).length"
    )
    assert wraps == 0  # nothing hidden off the side of a project box
    phone_page.screenshot(path=str(screenshot_dir / "profile-projects-phone.png"))
    page_log.assert_clean()


def test_project_tables_stay_tables_on_a_wide_screen(page, page_log, server):
    page.goto(f"{server}/tambon/800106/")
    assert page.locator("table.projects thead").first.is_visible()
    display = page.locator("table.projects tbody tr").first.evaluate(
        "tr => getComputedStyle(tr).display"
    )
    assert display == "table-row"
    page_log.assert_clean()
