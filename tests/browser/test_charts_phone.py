"""Charts and maps as a reader sees them on a phone: every word of every chart at least
12 CSS px tall at 390 px, nothing cut off at the side, and the same charts at 1280 px
(issue 9, item 5). Screenshots go to build/screenshots/ for a person to look at."""

from __future__ import annotations

from typing import Any

import pytest

MIN_TEXT_PX = 12.0
PHONE_WIDTH = 390
# A page of each kind that carries charts: home (maps), a profile, a district with two or more
# pilot tambons (its comparison chart), the plan roll-up.
CHART_PAGES = {
    "home": "/",
    "profile": "/tambon/800106/",
    "district": "/district/8001/",
    "plan": "/plan/",
}
# Every chart and map of a page: the profile/district/plan charts (figure.chart) and the
# home maps (figure[data-map]); each is one <svg>.
CHARTS = "figure.chart svg, figure[data-map] svg"

# The size a <text> is drawn at on the screen: its computed font size times the scale the
# page gives the SVG (getScreenCTM, in CSS px; hypot also holds for the rotated axis titles).
TEXT_SIZES = """svgs => svgs.filter(svg => svg.getBoundingClientRect().width > 0).flatMap(svg =>
  [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    return {text: t.textContent.trim(), px: Math.round(px * 10) / 10,
            chart: (svg.getAttribute('aria-label') || '').slice(0, 40)};
  }))"""

# Texts whose box leaves the chart's box, or charts that leave the screen, by more than 1 px.
OVERFLOWING = """svgs => svgs.filter(svg => svg.getBoundingClientRect().width > 0).flatMap(svg => {
  const box = svg.getBoundingClientRect();
  const out = [];
  if (box.left < -1 || box.right > window.innerWidth + 1) out.push('chart ' + box.right);
  for (const t of svg.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) out.push(t.textContent);
  }
  return out;
})"""


def _map_keys(page: Any) -> list[str]:
    return page.locator("#map-select option").evaluate_all("os => os.map(o => o.value)")


def _measure(page: Any, js: str) -> list[Any]:
    """`js` over the visible charts of the page; on the home page, over each map in turn
    (one map shows at a time, chosen with the select)."""
    if not page.locator("#map-select").count():
        return page.locator(CHARTS).evaluate_all(js)
    found = []
    for key in _map_keys(page):
        page.select_option("#map-select", key)
        found += page.locator(CHARTS).evaluate_all(js)
    return found


@pytest.mark.parametrize("name", list(CHART_PAGES))
def test_every_chart_text_is_at_least_12_css_px_on_a_390_px_phone(
    phone_page, page_log, server, name
):
    phone_page.goto(f"{server}{CHART_PAGES[name]}")
    phone_page.evaluate("document.fonts.ready")
    sizes = _measure(phone_page, TEXT_SIZES)
    assert len(sizes) > 10, name  # the page's charts were there and measured
    small = [s for s in sizes if s["px"] < MIN_TEXT_PX]
    assert small == [], f"{name}: {len(small)} of {len(sizes)} texts under {MIN_TEXT_PX} px"
    page_log.assert_clean()


def _shoot_charts(page: Any, path_prefix: str) -> int:
    """A screenshot of each visible chart's figure (each map in turn); returns how many."""
    keys = _map_keys(page) if page.locator("#map-select").count() else [None]
    shots = 0
    for key in keys:
        if key is not None:
            page.select_option("#map-select", key)
        charts = page.locator(CHARTS)
        for i in range(charts.count()):
            if charts.nth(i).is_visible():
                figure = charts.nth(i).locator("xpath=ancestor::figure[1]")
                figure.screenshot(path=f"{path_prefix}-{key or i}.png")
                shots += 1
    return shots


@pytest.mark.parametrize(
    "viewport", [{"width": PHONE_WIDTH, "height": 844}, {"width": 1280, "height": 900}]
)
@pytest.mark.parametrize("name", list(CHART_PAGES))
def test_no_chart_text_is_cut_off_and_no_chart_leaves_the_screen(
    page, page_log, server, screenshot_dir, viewport, name
):
    page.goto(f"{server}{CHART_PAGES[name]}")
    page.evaluate("document.fonts.ready")
    assert _measure(page, OVERFLOWING) == [], name
    width = viewport["width"]
    assert _shoot_charts(page, str(screenshot_dir / f"chart-{name}-{width}")) > 0
    page.screenshot(path=str(screenshot_dir / f"page-{name}-{width}.png"), full_page=True)
    page_log.assert_clean()
