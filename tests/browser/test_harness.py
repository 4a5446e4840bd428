"""The browser harness proves itself on two small pages: one clean, one broken on purpose."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGE_HEAD = """<!doctype html>
<html lang="th">
<head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ทดสอบ — harness self-test</title></head>
<body><main>
"""
CLEAN_PAGE = PAGE_HEAD + "<h1>ตำบลท่าวัง</h1><p>ข้อมูลตัวอย่าง (sample data)</p></main></body></html>"
# One image from outside (must be blocked and recorded), one image without alt text (axe
# "image-alt", critical) and one console error.
BROKEN_PAGE = (
    PAGE_HEAD
    + """<h1>หน้าที่ผิด</h1>
<img src="http://example.com/x.png" alt="ภาพจากภายนอก">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<script>console.error("ผิดพลาดโดยตั้งใจ")</script>
</main></body></html>"""
)


@pytest.fixture(scope="module")
def pages_url(serve, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("harness-pages")
    (folder / "clean.html").write_text(CLEAN_PAGE, encoding="utf-8")
    (folder / "broken.html").write_text(BROKEN_PAGE, encoding="utf-8")
    return serve(folder)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", png[16:24])


def test_clean_page_loads_thai_text_with_no_network_errors_or_violations(
    page, page_log, axe, pages_url
):
    page.goto(f"{pages_url}/clean.html")

    assert page.locator("h1").inner_text() == "ตำบลท่าวัง"
    assert [v["id"] for v in axe(page)] == []
    page_log.assert_clean()


def test_screenshot_is_a_png_of_the_viewport_saved_under_build(
    page, pages_url, screenshot_dir: Path
):
    page.goto(f"{pages_url}/clean.html")
    target = screenshot_dir / "harness-clean-desktop.png"

    page.screenshot(path=str(target))

    assert png_size(target.read_bytes()) == (1280, 900)


def test_phone_page_has_phone_viewport_and_touch(phone_page, pages_url, screenshot_dir: Path):
    phone_page.goto(f"{pages_url}/clean.html")
    target = screenshot_dir / "harness-clean-phone.png"

    phone_page.screenshot(path=str(target))

    # Width only: headless chromium's mobile emulation may crop the last row of pixels.
    assert png_size(target.read_bytes())[0] == 780  # 390 CSS px at device scale 2
    assert phone_page.evaluate("[innerWidth, innerHeight]") == [390, 844]
    assert phone_page.evaluate("'ontouchstart' in window") is True


@pytest.mark.parametrize("viewport", [{"width": 800, "height": 600}])
def test_viewport_can_be_overridden_by_parametrize(page, pages_url):
    page.goto(f"{pages_url}/clean.html")

    assert page.evaluate("[innerWidth, innerHeight]") == [800, 600]


def test_external_request_is_blocked_and_recorded(page, page_log, pages_url):
    page.goto(f"{pages_url}/broken.html")
    page.wait_for_load_state("load")

    assert page_log.external_requests == ["http://example.com/x.png"]
    assert page.evaluate("document.images[0].naturalWidth") == 0  # never loaded
    with pytest.raises(AssertionError, match=r"requests leaving 127\.0\.0\.1"):
        page_log.assert_clean()


def test_console_error_is_recorded(page, page_log, pages_url):
    page.goto(f"{pages_url}/broken.html")

    assert "ผิดพลาดโดยตั้งใจ" in page_log.console_errors


def test_axe_reports_image_without_alt(page, axe, pages_url):
    page.goto(f"{pages_url}/broken.html")

    violations = axe(page)

    assert [(v["id"], v["impact"]) for v in violations] == [("image-alt", "critical")]
    assert [node["target"] for node in violations[0]["nodes"]] == [["img:nth-child(3)"]]


def test_axe_rule_can_be_disabled(page, axe, pages_url):
    page.goto(f"{pages_url}/broken.html")

    assert axe(page, disable=("image-alt",)) == []
