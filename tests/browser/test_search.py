"""The search box in Debian chromium: nothing loaded until a reader searches, then what they type
is found (the query set of search_reader.py), readable on a phone, in Thai.

Uses the harness in conftest.py (`server`, `page`, `phone_page`, `page_log`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser.search_reader import (
    BOX,
    DESKTOP,
    HEADER_BUTTON,
    META,
    PHONE,
    QUERIES,
    RESULTS,
    TOP,
    Query,
    found_in_top,
    open_box,
    result_paths,
    search,
    type_query,
    wait_for_answer,
)
from tambon_portal.packages import discovery, table_reader
from tambon_portal.stats import plans

REPO = Path(__file__).resolve().parents[2]
SEARCH_FILES = re.compile(r"/(pagefind|search)/")


def test_no_search_file_is_requested_when_home_or_a_profile_loads(page, page_log, server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("/", "/tambon/800106/"):
        page.goto(f"{server}{path}")
        page.wait_for_load_state("networkidle")
    assert [url for url in requested if SEARCH_FILES.search(url)] == []
    search(page, "ท่าไร่")
    fetched = {re.sub(r"^.*?/(pagefind|search)/", r"\1/", u) for u in requested}
    assert "pagefind/pagefind.js" in fetched
    assert any(f.startswith("pagefind/fragment/") for f in fetched)
    # The places list only for a name no result has as typed (a typo).
    assert "search/places.json" not in fetched
    page.locator(BOX).fill("")
    type_query(page, "การะเกต")
    wait_for_answer(page, "การะเกต")
    assert any(u.endswith("/search/places.json") for u in requested)
    page_log.assert_clean()


def query_id(query: Query) -> str:
    return query.kind.replace(" ", "-")


@pytest.mark.parametrize("query", QUERIES, ids=query_id)
def test_what_a_reader_types_finds_the_right_page_in_the_top_3(
    query, page, phone_page, page_log, server
):
    reader = phone_page if query.screen == PHONE else page
    reader.goto(f"{server}/about/")
    paths = search(reader, query.text, query.screen)
    assert found_in_top(paths, query), f"{query.text!r}: {paths[:TOP]}"
    page_log.assert_clean()


@pytest.fixture(scope="module")
def projects():
    refs = [r for r in discovery.discover(REPO / "datapackages") if r.kind == "tambon"]
    return plans.plan_projects_all({r.tambon_code: table_reader.load_tables(r) for r in refs})


@pytest.mark.parametrize("words", ["เบาหวาน", "ผักปลอดสารพิษ"])
def test_words_inside_project_titles_lead_to_the_tambons_that_have_those_projects(
    words, page, page_log, server, projects
):
    """เบาหวาน is inside โรคเบาหวาน: the index finds words inside a Thai run, not only whole."""
    having = set(projects[projects["title_th"].str.contains(words, regex=False)]["tambon_code"])
    page.goto(f"{server}/")
    paths = search(page, words)
    top = [m.group(1) for p in paths[:TOP] if (m := re.match(r"^/tambon/(\d{6})/", p))]
    assert top and set(top) <= having, paths[:TOP]
    page_log.assert_clean()


def test_a_bmn_topic_word_leads_to_the_indicator_not_only_to_a_data_table(page, page_log, server):
    page.goto(f"{server}/")
    paths = search(page, "น้ำสะอาด")
    assert "/methodology/#bmn-indicators" in paths[:TOP]
    page_log.assert_clean()


def test_what_the_results_show_has_no_zero_width_spaces_or_search_tokens(page, page_log, server):
    page.goto(f"{server}/")
    search(page, "ผักปลอดสารพิษ")
    shown = page.locator(RESULTS).inner_text()
    assert re.findall(r"[\u200b\ue000\ue001]", shown) == []
    titles = page.locator(f"{RESULTS} .site-search__title").all_inner_texts()
    assert titles and all(re.fullmatch(r"[^\u200b]+", t) for t in titles)
    page_log.assert_clean()


def test_results_on_a_phone_are_readable_and_in_thai(phone_page, page_log, server, screenshot_dir):
    phone_page.goto(f"{server}/tambon/800106/")
    search(phone_page, "หัวเตียน", PHONE)
    phone_page.screenshot(path=str(screenshot_dir / "site-search-phone.png"))
    assert re.fullmatch(r"พบ \d+ รายการ", phone_page.locator(META).inner_text())
    sizes = phone_page.locator(f"{RESULTS} article *").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert min(sizes) >= 12
    panel = phone_page.locator(".md-search__inner").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.locator(BOX).fill("")  # the box is open: the reader types again
    type_query(phone_page, "Mamuang Song Tom")
    wait_for_answer(phone_page, "Mamuang Song Tom")
    phone_page.screenshot(path=str(screenshot_dir / "site-search-phone-typo.png"))
    assert phone_page.locator(f"{RESULTS} .site-search__hint").first.inner_text() == "คุณหมายถึง"
    page_log.assert_clean()


def test_the_open_search_box_with_results_passes_axe(page, axe, server):
    page.goto(f"{server}/")
    search(page, "ท่าไร่")
    assert [v["id"] for v in axe(page)] == []


def test_a_query_typed_before_pagefind_has_arrived_is_answered_once_it_does(page, page_log, server):
    held = []
    page.route("**/pagefind/pagefind.js", lambda route: held.append(route))  # held back
    page.goto(f"{server}/")
    open_box(page, DESKTOP)
    type_query(page, "ท่าไร่")
    page.wait_for_timeout(300)
    assert len(held) == 1 and result_paths(page) == []
    held[0].continue_()
    wait_for_answer(page, "ท่าไร่")
    assert result_paths(page)[0].startswith("/tambon/800106/")
    page_log.assert_clean()


def test_the_header_button_opens_the_box_on_a_phone(phone_page, page_log, server):
    phone_page.goto(f"{server}/")
    phone_page.locator(HEADER_BUTTON).first.click()
    assert phone_page.evaluate("document.activeElement.matches('[data-site-search-query]')")
    page_log.assert_clean()
