"""Downloads as a journalist meets them in chromium: click, save, open, check.

The zip from a tambon profile must be a valid Frictionless data package, the XLSX must hold
the same table as the CSV; the Downloads page and a chart's embed page must pass axe and load
nothing from another host. Screenshots go to build/screenshots/ for people to look at.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from frictionless import Package

SHEET = "villages"  # integers, Thai names and "x" (suppressed) cells: all must survive


@pytest.fixture(scope="module")
def code(site_dir: Path) -> str:
    """The first published tambon (by code)."""
    return sorted(p.name for p in (site_dir / "tambon").iterdir() if p.is_dir())[0]


def _download(page, selector: str, target: Path) -> Path:
    with page.expect_download() as info:
        page.locator(selector).click()
    info.value.save_as(target)
    return target


def test_the_profiles_zip_is_a_valid_package_and_its_xlsx_matches_the_csv(
    page, page_log, server, site_dir, code, tmp_path, screenshot_dir
):
    page.goto(f"{server}/tambon/{code}/")
    section = page.locator(".downloads-section")
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(screenshot_dir / "downloads-section.png"))

    archive = _download(page, ".downloads-section a[data-format=zip]", tmp_path / "package.zip")
    assert archive.name == "package.zip"
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path / "package")
    report = Package(str(tmp_path / "package" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])

    workbook = _download(page, ".downloads-section a[data-format=xlsx]", tmp_path / "book.xlsx")
    sheet = openpyxl.load_workbook(workbook, read_only=True)[SHEET]
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    source = (site_dir / "downloads" / f"tambon-{code}" / f"{SHEET}.csv").read_text("utf-8")
    assert cells == list(csv.reader(io.StringIO(source)))
    page_log.assert_clean()


def test_the_downloads_page_lists_the_bundle_and_checksums_and_passes_axe(
    page, page_log, axe, server, screenshot_dir
):
    page.goto(f"{server}/downloads/")
    assert page.locator("h1").inner_text() == "ดาวน์โหลดข้อมูล"
    assert page.locator('a[href="../downloads/bundles/tambons-80.zip"]').count() == 1
    # once under the bundles, once among the machine-readable files
    assert page.locator('a[href="../downloads/SHA256SUMS"]').count() == 2
    assert page.locator("a", has_text="catalog.jsonld").count() == 1
    page.screenshot(path=str(screenshot_dir / "downloads-page.png"))
    assert [v["id"] for v in axe(page)] == []
    page_log.assert_clean()


def test_a_charts_embed_snippet_and_its_embed_page(
    page, page_log, axe, server, code, screenshot_dir
):
    page.goto(f"{server}/tambon/{code}/")
    # The pyramid's embed code, among those of every chart of the profile.
    pyramid = f"/embed/{code}-pyramid/"
    details = page.locator("details.embed").filter(has=page.locator(f'textarea:text("{pyramid}")'))
    details.locator("summary").click()
    snippet = details.locator("textarea").input_value()
    assert snippet.startswith('<iframe src="') and pyramid in snippet

    page.goto(f"{server}/embed/{code}-pyramid/")
    assert page.locator("figure svg").count() == 1
    assert page.locator(".md-header").count() == 0  # no mkdocs chrome
    # The page declares the self-hosted Sarabun and it loads; `check` alone raced the load
    # (CI saw it false before the face had arrived).
    loaded = "document.fonts.load('16px Sarabun').then(faces => faces.length)"
    assert page.evaluate(loaded) > 0
    assert page.evaluate("document.fonts.check('16px Sarabun')")
    page.screenshot(path=str(screenshot_dir / "embed-pyramid.png"))
    assert [v["id"] for v in axe(page)] == []
    page_log.assert_clean()
