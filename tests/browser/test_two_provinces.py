"""A portal of two provinces (issue 12, at small scale): the scope comes from the data, the
home page lists the provinces, each province its districts and each district its tambons with
coverage, the navigation does not list every tambon, and the search finds a tambon of each
province by its Thai name, English name and code.

The data: two tambons of Nakhon Si Thammarat (80) and two of Narathiwat (96), published from
synthetic household records as the pilot is (`pilot.write_pilot`).
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from browser.search_reader import PHONE, search
from tambon_portal import cli
from tambon_portal.authoring import pilot
from tambon_portal.core import gazetteer
from tambon_portal.pipeline.build import build_site

TAMBONS = ("800106", "800114", "960101", "960102")
NARATHIWAT_DISTRICT = "9601"


@pytest.fixture(scope="module")
def data_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("two-provinces")
    pilot.write_pilot(root / "data", codes=TAMBONS)
    return root


@pytest.fixture(scope="module")
def two_provinces(data_tree) -> Path:
    build_site(data_tree / "data", data_tree / "site")
    return data_tree / "site"


@pytest.fixture(scope="module")
def narathiwat_offline(data_tree) -> Path:
    """The offline copy of one province of the tree, as a tambon office there would get it."""
    out = data_tree / "offline-96"
    args = ["build", "--data", str(data_tree / "data"), "--out", str(out), "--province", "96",
            "--offline"]  # fmt: skip
    assert cli.main(args) == 0
    return out


def _text(path: Path) -> str:
    """The page's article as plain text."""
    page = path.read_text("utf-8")
    article = re.search(r"<article.*?</article>", page, re.S)
    assert article, path
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", article.group(0))))


def test_the_home_page_lists_both_provinces_with_their_coverage(two_provinces):
    home = two_provinces / "index.html"
    text = _text(home)
    assert "ข้อมูลตำบล 2 จังหวัด" in text
    assert "มีข้อมูล 4 จาก 247 ตำบลของ 2 จังหวัด" in text
    assert "จังหวัดนครศรีธรรมราช Nakhon Si Thammarat 2 จาก 170 ตำบล" in text
    assert "จังหวัดนราธิวาส Narathiwat 2 จาก 77 ตำบล" in text
    html = home.read_text("utf-8")
    for code in ("80", "96"):
        assert f'href="province/{code}/"' in html
        assert (two_provinces / "province" / code / "index.html").is_file()


def test_a_province_page_lists_every_district_with_how_many_tambons_have_data(two_provinces):
    text = _text(two_provinces / "province" / "96" / "index.html")
    districts = gazetteer.districts_of("96")
    assert f"อำเภอ ({len(districts)} อำเภอ)" in text
    for district in districts:
        assert f"อำเภอ{district.name_th}" in text
    in_district = len(gazetteer.tambons_of(NARATHIWAT_DISTRICT))
    name = gazetteer.district(NARATHIWAT_DISTRICT).name_th
    assert f"อำเภอ{name} 2 จาก {in_district} ตำบล" in text
    assert "0 จาก" in text  # the districts without data are listed all the same


def test_a_district_page_lists_its_tambons_and_links_those_with_data(two_provinces):
    page = two_provinces / "district" / NARATHIWAT_DISTRICT / "index.html"
    text, html = _text(page), page.read_text("utf-8")
    for tambon in gazetteer.tambons_of(NARATHIWAT_DISTRICT):
        assert tambon.name_th in text
    for code in ("960101", "960102"):
        assert f'href="../../tambon/{code}/"' in html
        assert (two_provinces / "tambon" / code / "index.html").is_file()


def test_the_pilot_s_permanent_addresses_stay_with_a_second_province(two_provinces):
    for path in ("tambon/800106/index.html", "province/80/index.html", "district/8001/index.html"):
        assert (two_provinces / path).is_file(), path


def nav_paths(site: Path, page: str) -> list[str]:
    """The site paths the primary navigation of `page` (a folder URL) links to."""
    html = (site / page / "index.html").read_text("utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', html, re.S)
    assert nav, page
    links = re.findall(r'<a [^>]*href="([^"#]*)"[^>]*class="md-nav__link', nav.group(0))
    links += re.findall(r'<a [^>]*class="md-nav__link[^"]*"[^>]*href="([^"#]*)"', nav.group(0))
    return sorted({urlsplit(urljoin(f"http://site/{page}", link)).path for link in links})


def test_the_navigation_lists_provinces_and_districts_not_every_tambon(two_provinces):
    # navigation.prune: a page's navigation opens its own province only
    district = nav_paths(two_provinces, f"district/{NARATHIWAT_DISTRICT}/")
    assert {"/province/96/", "/province/80/"} <= set(district)
    assert {f"/district/{d.code}/" for d in gazetteer.districts_of("96")} <= set(district)
    assert [p for p in district if p.startswith("/district/80")] == []
    for page in (f"district/{NARATHIWAT_DISTRICT}/", "tambon/960101/", ""):
        paths = nav_paths(two_provinces, page)
        assert [p for p in paths if p.startswith("/tambon/")] == [], page


def test_the_names_of_the_site_catalog_and_roll_ups_say_two_provinces(two_provinces):
    home = (two_provinces / "index.html").read_text("utf-8")
    assert "ข้อมูลตำบล 2 จังหวัด" in re.search(r"<title>(.*?)</title>", home).group(1)
    catalog = json.loads((two_provinces / "catalog.jsonld").read_text("utf-8"))
    titles = {t["@value"] for t in catalog["dct:title"]}
    assert titles == {"ข้อมูลเปิดระดับตำบล 2 จังหวัด", "Tambon open data, 2 provinces"}
    assert "Nakhon Si Thammarat" not in json.dumps(catalog["dct:title"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [("บางนาค", "960101"), ("Lamphu", "960102"), ("960101", "960101"),
     ("ท่าไร่", "800106"), ("Tha Rai", "800106"), ("800114", "800114")],
)  # fmt: skip
def test_the_search_finds_a_tambon_of_each_province(
    text, expected, two_provinces, serve, page, page_log
):
    server = serve(two_provinces)
    page.goto(f"{server}/about/")
    paths = search(page, text)
    assert any(path.startswith(f"/tambon/{expected}/") for path in paths[:3]), paths[:3]
    page_log.assert_clean()


@pytest.mark.parametrize(
    ("path", "shot"),
    [("/", "home"), ("/province/96/", "province-96"), (f"/district/{NARATHIWAT_DISTRICT}/",
                                                      f"district-{NARATHIWAT_DISTRICT}")],
)  # fmt: skip
def test_the_country_province_and_district_pages_fit_a_phone(
    path, shot, two_provinces, serve, phone_page, page_log, screenshot_dir
):
    server = serve(two_provinces)
    phone_page.goto(f"{server}{path}")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=str(screenshot_dir / f"two-provinces-{shot}-phone.png"),
                          full_page=True)  # fmt: skip
    page_log.assert_clean()


def test_a_province_of_the_tree_is_built_alone_with_its_own_names(narathiwat_offline):
    out = narathiwat_offline
    assert sorted(p.name for p in (out / "tambon").iterdir()) == ["960101", "960102"]
    assert sorted(p.name for p in (out / "province").iterdir()) == ["96"]
    home = (out / "index.html").read_text("utf-8")
    assert "<title>ข้อมูลตำบล นราธิวาส" in home
    assert (out / "downloads" / "narathiwat-rollups").is_dir()
    assert not (out / "downloads" / "nakhon-si-thammarat-rollups").exists()
    assert not (out / "downloads" / "area-totals-80").exists()
    assert (out / "downloads" / "area-totals-96").is_dir()


def test_the_province_s_offline_copy_finds_its_tambon_from_file(
    phone_page, page_log, narathiwat_offline
):
    name = gazetteer.tambon("960102").name_th
    phone_page.goto((narathiwat_offline / "index.html").as_uri())
    found = search(phone_page, name, PHONE)
    assert found and found[0].endswith("/tambon/960102/index.html"), found[:3]
    phone_page.locator("[data-site-search-results] a").first.click()
    phone_page.wait_for_load_state()
    assert name in phone_page.locator("h1").inner_text()
    page_log.assert_clean()


def test_a_province_the_tree_has_no_tambon_of_is_refused_before_anything_is_written(
    data_tree, capsys
):
    out = data_tree / "never"
    args = ["build", "--data", str(data_tree / "data"), "--out", str(out), "--province", "10"]
    assert cli.main(args) == 2
    said = capsys.readouterr().err
    assert "จังหวัด 10" in said and "provinces 80, 96" in said
    assert not out.exists() and not (data_tree / ".never.tambon-work").exists()
