"""The offline copy for a tambon office (issue 13 item 4), opened from file:// in chromium, as
from a folder or a USB stick: links open pages (never a folder listing), search finds what
the served site's search finds (the query set of search_reader.py), fonts, charts and
downloads are there, and nothing is requested from anywhere.

The copy is made from the session's built pilot site by the build's own stage
(`offline.make_offline`, what `tambon build --offline` runs before it swaps the site in).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser.search_reader import PHONE, QUERIES, found_in_top, search
from tambon_portal.site import offline


@pytest.fixture(scope="module")
def copy_dir(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("offline") / "tambon-portal"
    shutil.copytree(site_dir, copy)
    offline.make_offline(copy)
    return copy


def _url(copy: Path, path: str = "") -> str:
    """The file:// address of the page at site path `path` of the copy."""
    return (copy / path / "index.html").as_uri()


def site_path(copy: Path, url: str) -> str:
    """A result link of the copy as the site path the query set names ("/tambon/800106/#x")."""
    parts = urlsplit(url)
    assert parts.scheme == "file", url
    path = unquote(parts.path)
    root = copy.as_posix()
    assert path.startswith(root + "/"), f"{url} leaves the copy"
    inside = path[len(root) :]
    assert inside.endswith("/index.html"), f"{url} is not a page file"
    return inside[: -len("index.html")] + (f"#{parts.fragment}" if parts.fragment else "")


def _is_page(page) -> bool:
    """A page of the site, not chromium's listing of a folder ("Index of …")."""
    return page.locator("article.md-content__inner").count() == 1


def test_links_from_the_home_page_open_district_and_profile_pages(page, page_log, copy_dir):
    page.goto(_url(copy_dir))
    assert _is_page(page)
    page.locator("a[href$='district/8001/index.html']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/district/8001/index.html") and _is_page(page)
    page.locator("a[href$='tambon/800106/index.html']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/tambon/800106/index.html") and _is_page(page)
    assert "ท่าไร่" in page.locator("h1").inner_text()
    # Back to the home page by the header's logo (a link to the root folder).
    page.locator("a.md-header__button.md-logo").click()
    page.wait_for_load_state()
    assert page.url == _url(copy_dir) and _is_page(page)
    page_log.assert_clean()


def test_every_relative_link_of_a_profile_opens_a_file_of_the_copy(page, page_log, copy_dir):
    page.goto(_url(copy_dir, "tambon/800106"))
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    local = [h for h in hrefs if h.startswith("file:")]
    assert len(local) > 50
    for href in local:
        target = Path(unquote(urlsplit(href).path))
        assert target.is_file(), f"{href} opens no file (a folder shows a listing)"
    page_log.assert_clean()


def test_profile_has_its_fonts_charts_and_downloads(page, page_log, copy_dir):
    page.goto(_url(copy_dir, "tambon/800106"))
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('700 16px Sarabun') && "
                         "document.fonts.check('16px Sarabun')")  # fmt: skip
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Sarabun')"
        ".map(f => f.status)"
    )
    assert loaded and all(status == "loaded" for status in loaded), loaded
    charts = page.locator("article svg, article img")
    assert charts.count() >= 5
    broken = page.locator("article img").evaluate_all(
        "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    assert broken == []
    zip_link = page.locator("a[href$='tambon-800106.zip']").first
    target = Path(unquote(urlsplit(zip_link.evaluate("a => a.href")).path))
    assert target.is_file() and target.stat().st_size > 1000
    page_log.assert_clean()


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.kind)
def test_search_from_file_finds_what_the_served_search_finds(
    page, phone_page, page_log, copy_dir, query
):
    reader = phone_page if query.screen == PHONE else page
    reader.goto(_url(copy_dir))
    found = [site_path(copy_dir, url) for url in _result_urls(reader, query.text, query.screen)]
    assert found_in_top(found, query), f"{query.text!r}: {found[:5]}"
    page_log.assert_clean()


def _result_urls(page, text: str, screen: str) -> list[str]:
    search(page, text, screen)
    return page.locator("[data-site-search-results] a").evaluate_all(
        "links => links.map(a => a.href)"
    )


def test_a_search_result_opens_the_profile_and_nothing_is_fetched(
    phone_page, page_log, copy_dir, screenshot_dir
):
    requested: list[str] = []
    phone_page.on("request", lambda request: requested.append(request.url))
    phone_page.goto(_url(copy_dir, "district/8001"))
    search(phone_page, "ท่าไร่", PHONE)
    phone_page.screenshot(path=str(screenshot_dir / "offline-search-phone.png"))
    phone_page.locator("[data-site-search-results] a").first.click()
    phone_page.wait_for_load_state()
    assert phone_page.url.endswith("/tambon/800106/index.html") and _is_page(phone_page)
    phone_page.screenshot(path=str(screenshot_dir / "offline-profile-phone.png"), full_page=False)
    assert all(url.startswith(("file:", "data:")) for url in requested), [
        u for u in requested if not u.startswith(("file:", "data:"))
    ]
    assert not any(re.search(r"/pagefind/", u) for u in requested)
    page_log.assert_clean()
