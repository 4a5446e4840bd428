"""What a reader sees of coverage and change over time (issue 9, items 2 and 6), on a phone
(390 px) and a wide screen: profile cards that say what the district and province figures
cover with nothing cut off, the change from the previous year beside a key figure and a BMN
indicator, a rank, and the trend chart with its text alternative and labels of 12 px or more.
"""

from __future__ import annotations

import re

import pytest

PROFILE = "/tambon/800106/"  # ท่าไร่: in every pilot set (sample.py)
DISTRICT = "8001"
CARD_FIGURES = ("population", "households", "villages", "below_line_pct", "median_income",
                "debt_pct", "mean_debt")  # fmt: skip
CHANGE_WORDS = re.compile(r"^[▲▼=] (ดีขึ้น|แย่ลง|เท่าเดิม)( [\d,.]+ (จุด|บาท))? จาก .+ ในปี 25\d\d$")
RANK = re.compile(r"^อันดับ(ร่วม)? \d+ จาก \d+ ตำบลนำร่อง \(1 = .+\)$")
# An area figure named by the area alone: a level word then a number in one stretch of text,
# unless it is a code ("รหัสจังหวัด 80") or a share ("อำเภอ 3 จาก 16 ตำบล").
UNQUALIFIED = re.compile(r"(?<!รหัส)(?:อำเภอ|จังหวัด)\s*\d[\d,.]*%?(?![\d,.%])(?!\s*จาก)")

# Every element of a card inside the card, and no element wider than its box: nothing cut off.
CUT_OFF = """cards => cards.flatMap(card => {
  const box = card.getBoundingClientRect();
  return [card, ...card.querySelectorAll('*')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.left < box.left - 1 || r.right > box.right + 1 || el.scrollWidth > el.clientWidth + 1;
  }).map(el => card.dataset.figure + ': ' + el.tagName + ' ' + el.textContent.trim().slice(0, 40));
})"""

# Rendered size (CSS px) of every <text> of an SVG: its font size times the SVG's scale.
TEXT_SIZES = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t =>
    [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * scale]);
}"""


# For screenshots of long elements: the sticky header and the back-to-top button off them.
STATIC_HEADER = ".md-header { position: static; } .md-top { display: none; }"


def _card(page, figure: str):
    return page.locator(f'.card[data-figure="{figure}"]')


def test_profile_cards_say_what_district_and_province_cover_with_nothing_cut_off_on_a_phone(
    phone_page, page_log, axe, server, screenshot_dir
):
    phone_page.goto(f"{server}{PROFILE}")
    cards = phone_page.locator(".card")
    assert cards.count() == len(CARD_FIGURES)
    for figure in CARD_FIGURES:
        areas = _card(phone_page, figure).locator("dl.compare dt").all_inner_texts()
        assert areas == ["ตำบลนำร่องในอำเภอ (3 จาก 16 ตำบล)", "ตำบลนำร่องในจังหวัด (60 จาก 170 ตำบล)"]
    assert cards.evaluate_all(CUT_OFF) == []
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    note = phone_page.locator(".coverage-note")
    assert note.is_visible() and "ไม่ใช่ตัวเลขของทั้งอำเภอหรือทั้งจังหวัด" in note.inner_text()
    assert [v["id"] for v in axe(phone_page)] == []
    phone_page.add_style_tag(content=STATIC_HEADER)
    phone_page.locator(".cards").screenshot(path=str(screenshot_dir / "coverage-cards-390.png"))
    page_log.assert_clean()


def test_a_key_figure_and_a_bmn_indicator_show_their_change_in_words_on_a_phone(
    phone_page, page_log, server
):
    phone_page.goto(f"{server}{PROFILE}")
    below = _card(phone_page, "below_line_pct")
    change = below.locator(".change")
    assert change.is_visible()
    assert CHANGE_WORDS.match(change.inner_text()), change.inner_text()
    assert RANK.match(below.locator(".rank").inner_text()), below.locator(".rank").inner_text()
    assert _card(phone_page, "population").locator(".change").inner_text() == ("ไม่มีตัวเลขปีก่อนให้เทียบ")
    weakest = phone_page.locator("table", has_text="ตัวชี้วัดที่ผ่านเกณฑ์น้อยที่สุด 5 ข้อ")
    first = weakest.locator("tbody tr").first.locator(".change")
    first.scroll_into_view_if_needed()
    assert re.match(r"^[▲▼=] (ดีขึ้น|แย่ลง|เท่าเดิม)", first.inner_text()), first.inner_text()
    every = phone_page.locator("details.bmn-all")
    every.locator("summary").click()
    rows = every.locator("tbody tr")
    assert rows.count() == 31
    words = rows.locator(".change").all_inner_texts()
    assert any(re.match(r"^[▲▼=] (ดีขึ้น|แย่ลง|เท่าเดิม)", w) for w in words)
    assert all(re.match(r"^([▲▼=] (ดีขึ้น|แย่ลง|เท่าเดิม)|–$)", w) for w in words), words
    page_log.assert_clean()


def test_the_trend_chart_renders_with_a_text_alternative_and_labels_of_12_px_on_a_phone(
    phone_page, page_log, server, screenshot_dir
):
    phone_page.goto(f"{server}{PROFILE}")
    figure = phone_page.locator("figure.chart", has_text="ตัวเลขสำคัญย้อนหลัง")
    svg = figure.locator("svg")
    assert svg.count() == 1
    label = svg.get_attribute("aria-label") or ""
    assert label.startswith("รายได้ต่ำกว่าเกณฑ์ (%): ปี 2567 ") and "ปี 2568" in label
    alternative = figure.locator("details.text-alt")
    alternative.locator("summary").click()
    assert alternative.locator("p").inner_text() == label
    sizes = svg.evaluate(TEXT_SIZES)
    assert sizes and [t for t, size in sizes if size < 12] == []
    box = svg.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    phone_page.add_style_tag(content=STATIC_HEADER)
    figure.screenshot(path=str(screenshot_dir / "coverage-trend-chart-390.png"))
    page_log.assert_clean()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}])
def test_profile_cards_and_trend_on_a_wide_screen(page, page_log, server, screenshot_dir):
    page.goto(f"{server}{PROFILE}")
    cards = page.locator(".card")
    assert cards.evaluate_all(CUT_OFF) == []
    page.add_style_tag(content=STATIC_HEADER)
    page.locator(".cards").screenshot(path=str(screenshot_dir / "coverage-cards-1280.png"))
    page.locator("figure.chart", has_text="ตัวเลขสำคัญย้อนหลัง").screenshot(
        path=str(screenshot_dir / "coverage-trend-chart-1280.png")
    )
    page_log.assert_clean()


@pytest.mark.parametrize(
    "path", ["/", "/province/80/", f"/district/{DISTRICT}/", PROFILE, "/methodology/"]
)
def test_no_page_names_a_pilot_only_sum_by_the_district_or_province_alone(
    phone_page, page_log, server, path, screenshot_dir
):
    phone_page.goto(f"{server}{path}")
    texts = phone_page.locator("main p, main li, main th, main td, main dt, main dd, main h2")
    found = [m.group() for t in texts.all_inner_texts() for m in UNQUALIFIED.finditer(t)]
    assert found == []
    body = phone_page.locator("main").inner_text()
    for words in ("ค่าของจังหวัด", "ใกล้เคียงกับจังหวัด", "รวมทั้งอำเภอ", "เทียบกับทั้งจังหวัด"):
        assert words not in body, words
    chart_texts = phone_page.locator("svg text").evaluate_all("ts => ts.map(t => t.textContent)")
    assert not [t for t in chart_texts if re.fullmatch(r"(จังหวัด|อำเภอ)\S+", t.strip())]
    if path == "/":
        assert "ตัวเลขรวมของตำบลนำร่อง 60 จาก 170 ตำบลในจังหวัดนครศรีธรรมราช" in body
        phone_page.locator(".area-total").scroll_into_view_if_needed()
        phone_page.screenshot(path=str(screenshot_dir / "coverage-home-390.png"))
    page_log.assert_clean()
