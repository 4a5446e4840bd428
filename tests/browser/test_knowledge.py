"""The knowledge section in Debian chromium (issue 13): its page lists the articles by tambon,
a profile lists its articles and opens them, an article links its tambons and partners, a
partner's page lists the articles about it, and the feed lists them all.

Expected values are read from the committed article files with yaml, not through the code
that made the pages."""

from __future__ import annotations

import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
KNOWLEDGE = REPO / "datapackages" / "knowledge"
ATOM = "{http://www.w3.org/2005/Atom}"
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
               "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")  # fmt: skip


def be_date(iso: str) -> str:
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{day} {THAI_MONTHS[month - 1]} {year + 543}"


@pytest.fixture(scope="module")
def stories() -> dict[str, dict]:
    """slug -> front matter of every committed article."""
    found = {}
    for path in sorted(KNOWLEDGE.glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        found[path.stem] = yaml.safe_load(front)
    return found


def test_the_section_lists_every_article_newest_first_and_by_tambon(
    page, page_log, axe, server, stories, screenshot_dir
):
    page.goto(f"{server}/knowledge/")
    titles = page.locator("ul.article-list > li strong").all_inner_texts()
    newest = sorted(stories, key=lambda s: str(stories[s]["date"]), reverse=True)
    assert titles == [stories[s]["title"] for s in newest]
    first = page.locator("ul.article-list > li").first.inner_text()
    assert be_date(str(stories[newest[0]]["date"])) in first
    codes = {c for s in stories.values() for c in s["tambons"]}
    for code in codes:
        group = page.locator(f"details:has(#tambon-{code})")
        group.locator("summary").click()
        listed = group.locator(f"#tambon-{code} li a").all_inner_texts()
        expected = [stories[s]["title"] for s in newest if code in stories[s]["tambons"]]
        assert listed[1:] == expected, code  # the first link is the tambon's profile
    page.screenshot(path=screenshot_dir / "knowledge-desktop.png", full_page=True)
    assert axe(page) == []
    page_log.assert_clean()


def test_a_profile_lists_its_articles_and_one_opens_with_its_tambons_and_partners(
    page, page_log, server, stories
):
    code = "800106"
    mine = [s for s in stories if code in stories[s]["tambons"]]
    page.goto(f"{server}/tambon/{code}/")
    links = page.locator("#articles ~ ul.articles").first.locator("a")
    assert sorted(links.all_inner_texts()) == sorted(stories[s]["title"] for s in mine)
    slug = "2568-10-rubber-coop"
    page.locator(f"a[href$='knowledge/{slug}/']").first.click()
    page.wait_for_url(f"**/knowledge/{slug}/")
    assert page.locator("h1").inner_text() == stories[slug]["title"]
    assert page.locator(".sample-notice").is_visible()
    assert be_date(str(stories[slug]["date"])) in page.locator(".subtitle").inner_text()
    tags = page.locator("dl.article-tags")
    assert tags.locator(f"a[href$='tambon/{code}/']").count() == 1
    partner_links = tags.locator("a[href*='partners/']")
    assert partner_links.count() == len(stories[slug]["partners"])
    partner_links.first.click()
    page.wait_for_url(f"**/partners/{stories[slug]['partners'][0]}/")
    listed = page.locator("#articles ~ ul.articles").first.locator("a").all_inner_texts()
    assert stories[slug]["title"] in listed
    page_log.assert_clean()


def test_an_article_fits_a_phone_and_passes_axe(phone_page, page_log, axe, server,
                                                screenshot_dir):  # fmt: skip
    for url in ("knowledge/2569-03-provincial-forum/", "knowledge/"):
        phone_page.goto(f"{server}/{url}")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, url
        assert axe(phone_page) == [], url
    phone_page.goto(f"{server}/knowledge/2569-03-provincial-forum/")
    phone_page.screenshot(path=screenshot_dir / "article-phone.png", full_page=True)
    page_log.assert_clean()


def test_the_feed_lists_every_article_with_its_page(server, stories):
    with urllib.request.urlopen(f"{server}/knowledge/feed.xml") as response:
        feed = ET.fromstring(response.read())
    entries = feed.findall(f"{ATOM}entry")
    assert sorted(e.find(f"{ATOM}title").text for e in entries) == sorted(
        s["title"] for s in stories.values()
    )
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")
        assert href.split("/knowledge/")[1].rstrip("/") in stories
        assert entry.find(f"{ATOM}id").text.startswith("tag:")
