"""`tambon build` end to end on a small tree: one tambon (with hostile cells) + a generic dataset.

Checks the built site as a reader's browser would meet it: escaped data, every internal link
resolving to a file, every page reachable from the home page, nothing loaded from another
host; and that a failing build leaves the previous site byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fixtures.paths import CONFORMANCE
from fixtures.tambon_package import CODE, write_tambon_package
from site_checks import (
    blocking_scripts,
    broken_links,
    charts_drawn_at_first_paint,
    charts_without_their_shape,
    external_loads,
    figure_tables_off_their_rows,
    rendered_near_the_screen,
    search_fragments,
    unreachable_pages,
    unrendered_markdown,
)

from tambon_portal import cli
from tambon_portal.pipeline import build, stages, workspace
from tambon_portal.publish import changelog
from tambon_portal.publish.releases import PublishedVersion, ReleaseContext

HOSTILE_TITLE = "<script>alert(1)</script>**x**"
HOSTILE_NAME = "[a](javascript:alert(1))"


def _hostile(tables, descriptor):
    tables["plan_projects"][1][4] = HOSTILE_TITLE  # project P01
    tables["villages"][1][3] = HOSTILE_NAME  # village หมู่ที่ 1
    tables["plan_issues"][1][3] = "<img src=x onerror=alert(1)>"


def write_hostile_licence_package(folder: Path) -> None:
    """A generic package that validates but names a `javascript:` URL as its licence."""
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "rows.csv").write_text("a\n1\n", encoding="utf-8")
    descriptor = {
        "name": "hostile-licence",
        "licenses": [{"name": "evil", "path": "JavaScript:alert(1)", "title": "Click me"}],
        "resources": [
            {
                "name": "rows",
                "path": "data/rows.csv",
                "schema": {"fields": [{"name": "a", "type": "integer"}]},
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


PHONE_PHOTO = Path(__file__).parent / "fixtures" / "photos" / "phone.jpg"
# A 1x1 PNG: the photograph of the article below. (The one here before had a stray byte in
# its IDAT chunk, which browsers forgave; the photographs' check no longer does.)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154"
    "78da63609899f61f00039b01ff6f1c1eb50000000049454e44ae426082"
)
ARTICLE = f"""---
title: บทเรียนของตำบล
date: 2025-10-15
updated: 2025-11-20
authors: [สภาองค์กรชุมชนตำบล]
tambons: ['{CODE}']
categories: [income]
licence: CC-BY-4.0
---

## เรื่องเล่า

![โรงรมควันของกลุ่ม](images/photo.png)

![ลานตากยาง](images/phone.jpg)

ข้อความของบทเรียน a < b
"""


def write_article(root: Path) -> None:
    """A knowledge article with a photograph beside it."""
    (root / "knowledge" / "images").mkdir(parents=True)
    (root / "knowledge" / "images" / "photo.png").write_bytes(PNG)
    # a phone's photo: EXIF with a GPS position, XMP, a comment (tests/fixtures/photos)
    shutil.copyfile(PHONE_PHOTO, root / "knowledge" / "images" / "phone.jpg")
    (root / "knowledge" / "a-lesson.md").write_text(ARTICLE, encoding="utf-8")


def write_tree(root: Path) -> Path:
    write_tambon_package(root, edit=_hostile)
    write_article(root)
    shutil.copytree(CONFORMANCE / "gold-prices", root / "gold-prices")
    shutil.copytree(CONFORMANCE / "country-codes", root / "country-codes")  # datapackage.yml
    write_hostile_licence_package(root / "hostile-licence")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("build")
    data = write_tree(base / "datapackages")
    site = base / "out" / "site"
    build.build_site(data, site)
    return data, site


def test_profile_shows_hostile_cells_as_text_and_no_injected_element(built):
    _, site = built
    text = (site / "tambon" / CODE / "index.html").read_text(encoding="utf-8")
    assert "&#60;script&#62;alert(1)&#60;/script&#62;&#42;&#42;x&#42;&#42;" in text
    assert "&#91;a&#93;(javascript&#58;alert(1))" in text
    assert "&#60;img src&#61;x onerror&#61;alert(1)&#62;" in text
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "javascript:" not in text
    assert "<strong>x</strong>" not in text
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert all(
        "src=" in s or "__config" in s or s in ("<script>", '<script type="application/ld+json">')
        for s in scripts
    )


def test_an_article_is_a_page_with_its_photograph_and_linked_from_its_profile(built):
    _, site = built
    page = site / "knowledge" / "a-lesson" / "index.html"
    text = page.read_text(encoding="utf-8")
    src = re.search(r'<img alt="โรงรมควันของกลุ่ม" src="([^"]+)"', text).group(1)
    assert (page.parent / src).resolve().read_bytes() == PNG
    src = re.search(r'<img alt="ลานตากยาง" src="([^"]+)"', text).group(1)
    published, original = (page.parent / src).resolve().read_bytes(), PHONE_PHOTO.read_bytes()
    assert b"GPS" in original and b"GPS" not in published and b"xmpmeta" not in published
    scan = original.index(b"\xff\xda")
    assert published.endswith(original[scan:])  # the picture itself, byte for byte
    assert "a &lt; b" in text
    assert '(ปรับปรุง <time datetime="2025-11-20">20 พฤศจิกายน 2568</time>)' in text
    profile = (site / "tambon" / CODE / "index.html").read_text(encoding="utf-8")
    assert 'href="../../knowledge/a-lesson/"' in profile
    feed = (site / "knowledge" / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 1 and "a-lesson" in feed
    catalog = json.loads((site / "catalog.jsonld").read_text(encoding="utf-8"))
    (document,) = catalog["dcat:resource"]
    assert document["@id"].endswith("/knowledge/a-lesson/")
    assert "schema:CreativeWork" in document["@type"]


def test_a_javascript_licence_url_is_shown_as_text_not_linked(built):
    # Escaping does not help inside href: a browser decodes javascript&#58; before following it.
    _, site = built
    text = (site / "datasets" / "hostile-licence" / "index.html").read_text(encoding="utf-8")
    assert "สัญญาอนุญาต (licence): Click me" in text
    assert re.findall(r'href="[^"]*(?:script|&#58;)[^"]*"', text, flags=re.I) == []


def test_search_index_has_hostile_cells_as_the_text_the_page_shows_and_no_checksums(built):
    # Pagefind keeps a page's text, not its markup: an element injected from the data would
    # not be there as text (it drops <script> and <img>). The search box escapes what it shows.
    _, site = built
    texts = " ".join(f["meta"].get("title", "") + f["content"] for f in search_fragments(site))
    assert HOSTILE_TITLE in texts and "<img src=x onerror=alert(1)>" in texts
    assert re.findall(r"\b[0-9a-f]{64}\b", texts) == []


def test_every_internal_link_resolves_to_a_file(built):
    _, site = built
    assert broken_links(site) == []


def test_every_page_is_reachable_from_the_home_page(built):
    _, site = built
    assert unreachable_pages(site) == []


def test_no_page_shows_markdown_as_text(built):
    _, site = built
    assert unrendered_markdown(site) == []


def test_no_page_runs_a_script_before_its_first_paint(built):
    _, site = built
    assert blocking_scripts(site) == []
    profile = (site / "tambon" / CODE / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script type="text/plain" data-after-load src="[^"]*bundle\.', profile)


def test_material_bundle_starts_after_the_first_frame_and_mounts_in_a_task_of_its_own(built):
    # On a slow phone `load` can come before the first frame is on the screen: the bundle
    # then ran before it. Its evaluation and its mount were one ~110 ms task.
    _, site = built
    profile = (site / "tambon" / CODE / "index.html").read_text(encoding="utf-8")
    loader = profile.split("function startBundle()")[-1]
    assert 'observe({ type: "paint", buffered: true })' in loader
    assert 'addEventListener("load", function () { afterFirstPaint(startBundle); })' in loader
    mount = 'setTimeout(function () { document.dispatchEvent(new Event("DOMContentLoaded"))'
    assert mount in loader


def test_the_page_is_styled_for_javascript_before_its_stylesheets_load(built):
    # Else Material's bundle made the swap once it started, restyling every element.
    _, site = built
    profile = (site / "tambon" / CODE / "index.html").read_text(encoding="utf-8")
    swap = profile.find('<script>document.documentElement.classList.replace("no-js", "js")')
    assert 0 < swap < profile.index('<link rel="stylesheet"')


def test_the_home_page_lays_out_one_map_first_and_shows_all_four_without_javascript(built):
    _, site = built
    home = (site / "index.html").read_text(encoding="utf-8")
    figures = re.findall(r"<figure data-map=[^>]*>", home)
    assert len(figures) == 4 and "hidden" not in figures[0]
    assert all(f.endswith('class="map-extra" hidden>') for f in figures[1:])
    assert (
        "<noscript><style>.md-typeset .map figure.map-extra[hidden] { display: flow-root; }"
        "</style></noscript>" in home
    )


def test_charts_maps_and_long_tables_are_drawn_near_the_screen_at_the_size_they_will_have(
    built,
):
    # A first paint that styled and laid out a profile's ~2,000 elements took ~1.5 s of a
    # slowed phone's CPU (Lighthouse mobile); its charts are ~750 of them, the home page's
    # table of the pilots ~800. Skipped until they come near the screen, they keep their size.
    _, site = built
    assert charts_drawn_at_first_paint(site) == []
    assert charts_without_their_shape(site) == []
    css = (site / "assets" / "css" / "site.css").read_text(encoding="utf-8")
    assert ("figure-table", None) in rendered_near_the_screen(css)
    assert figure_tables_off_their_rows(site) == []
    profile = (site / "tambon" / CODE / "index.html").read_text(encoding="utf-8")
    # The checks above pass on a page with no chart at all: this one has some, shaped.
    assert re.search(r'<svg style="aspect-ratio: [\d.]+ / [\d.]+"[^>]*\bwidth=', profile)
    for table in ("ประชากรตามช่วงอายุ", "ช่วงรายได้", "อาชีพ", "หมู่บ้าน", "งบประมาณตามแหล่ง"):
        assert re.search(rf'figure-table" style="--rows: \d+"[^>]*aria-label="{table}"', profile)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<div class="table-wrap figure-table" style="--rows: 1"' in home


def test_nothing_is_loaded_from_another_host(built):
    _, site = built
    assert external_loads(site) == []


def test_generic_dataset_page_shows_schema_preview_and_downloads(built):
    _, site = built
    text = (site / "datasets" / "gold-prices" / "index.html").read_text(encoding="utf-8")
    assert "ตัวอย่าง 10 แถวแรก" in text
    assert "ผ่านการตรวจสอบ (valid)" in text
    assert (site / "downloads" / "gold-prices" / "gold-prices.zip").is_file()
    assert 'href="../../downloads/gold-prices/gold-prices.xlsx"' in text


def test_the_sample_notice_is_on_every_page_when_packages_say_sample(tmp_path):
    data = tmp_path / "data"
    write_tambon_package(data, edit=lambda t, d: d.update(sample=True))
    site = tmp_path / "out" / "site"
    build.build_site(data, site)
    pages = list(site.rglob("*.html"))
    assert pages and all("ข้อมูลตัวอย่าง (สังเคราะห์)" in p.read_text("utf-8") for p in pages)


def test_a_tree_without_pilot_tambons_still_builds_its_home_page(tmp_path):
    # The key figures then have no pilot row: the home page used to fail on it (StrictUndefined).
    data = tmp_path / "data"
    write_tambon_package(data, edit=lambda t, d: t["tambon"][1].__setitem__(-1, "false"))
    site = tmp_path / "out" / "site"
    build.build_site(data, site)
    home = (site / "index.html").read_text("utf-8")
    card = '<div class="card" data-figure="{}">\n<p class="label">{}</p>\n<p class="value">{}</p>'
    assert card.format("tambons&#95;with&#95;data", "ตำบลนำร่องที่มีข้อมูล", "0") in home
    assert card.format("population", "ประชากร (คน)", "–") in home
    assert (site / "tambon" / CODE / "index.html").is_file()


def test_tambon_build_with_its_default_relative_paths_builds_the_site(
    tmp_path, monkeypatch, capsys
):
    # What `make site` runs: `tambon build` in the repo, datapackages/ -> build/site/.

    write_tambon_package(tmp_path / "datapackages")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CI", "true")
    assert cli.main(["build"]) == 0
    assert (tmp_path / "build" / "site" / "tambon" / CODE / "index.html").is_file()
    # Progress: one line per stage as it ends (stderr), then what each took (stdout).
    captured = capsys.readouterr()
    stages = re.findall(r"^tambon build: ([a-z -]+) \d+\.\d s", captured.err, re.M)
    assert stages == ["validate", "load", "roll-ups", "downloads", "charts", "pages", "mkdocs",
                      "embeds", "search index", "catalog", "swap"]  # fmt: skip
    assert re.search(
        r"^tambon build: load \d+\.\d s · 1 tambons, 0 other packages · ran: 1 new or changed$",
        captured.err,
        re.M,
    )
    assert re.search(r"^stage +seconds +share$", captured.out, re.M)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_build_that_fails_midway_leaves_the_previous_site_byte_identical(built, monkeypatch):
    data, site = built
    before = digest(site)

    def broken_mkdocs(config_file, plugin=None, dirty=False):
        raise RuntimeError("mkdocs fell over")

    monkeypatch.setattr(build, "run_mkdocs", broken_mkdocs)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # a new input: unchanged is skipped
    with pytest.raises(RuntimeError, match="mkdocs fell over"):
        build.build_site(data, site)
    assert digest(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == [".site.tambon-work", "site"]
    assert list(workspace.work_folder_of(site).glob("new-*")) == []


def test_invalid_data_is_refused_and_the_previous_site_stays(built, tmp_path, capsys):
    data, site = built
    before = digest(site)
    bad = tmp_path / "bad"
    shutil.copytree(data, bad)
    villages = bad / "80" / CODE / "data" / "villages.csv"
    villages.write_text(villages.read_text("utf-8").replace(",120,", ",lots,"), "utf-8")
    assert cli.build_main(bad, site) == 1
    assert "villages" in capsys.readouterr().err
    assert digest(site) == before


def test_a_release_build_shows_its_version_and_the_data_changelog(tmp_path):
    data = tmp_path / "data"
    write_tambon_package(data)
    (tmp_path / "empty").mkdir()
    changes = changelog.diff_trees(tmp_path / "empty", data).to_dict()
    this = PublishedVersion("2025.10", "2025-10-01", "c0ffee")
    release = ReleaseContext("2025.10", "2025-10-01", "c0ffee", None, [this], changes)
    site = tmp_path / "out" / "site"
    build.build_site(data, site, release=release)
    profile = (site / "tambon" / CODE / "index.html").read_text("utf-8")
    assert "ข้อมูลรุ่น 2025.10" in profile
    assert "ปรับปรุงล่าสุด 1 ตุลาคม 2568" in profile
    assert "ข้อมูลรุ่น (data version) <strong>2025.10</strong> · 1 ตุลาคม 2568" in profile
    assert (site / "changes" / "index.html").is_file()
    assert (site / "releases" / "index.html").is_file()
    assert json.loads((site / "changes.json").read_text("utf-8"))["version"] == "2025.10"
    assert (site / "feed.xml").read_bytes().count(b"<entry>") == 1


def test_serve_refuses_a_folder_without_a_built_site(tmp_path, capsys):
    assert cli.main(["serve", "--site", str(tmp_path), "--port", "0"]) == 2
    assert capsys.readouterr().err == (
        f"tambon serve: {tmp_path} has no index.html; run `tambon build` first\n"
    )


def test_a_generic_dataset_described_in_yaml_gets_its_page_and_descriptor(built):
    _, site = built
    text = (site / "datasets" / "country-codes" / "index.html").read_text(encoding="utf-8")
    assert "Comprehensive country codes" in text
    with zipfile.ZipFile(site / "downloads" / "country-codes" / "country-codes.zip") as package:
        assert "datapackage.json" in package.namelist()  # a YAML descriptor is zipped as JSON
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="datasets/country-codes/"' in home


def test_the_newest_package_version_is_chosen_by_number_not_by_text():
    figures = pd.DataFrame({"year_be": [2568]})
    descriptors = {"a": {"version": "2568.9"}, "b": {"version": "2568.10"}, "c": {}}
    assert stages.site_meta(descriptors, figures)["version"] == "2568.10"


# --- one pass over the HTML ------------------------------------------------------------------

# The files opened while a build is watched, as (real path, opened for writing); None when no
# build is watched. An audit hook cannot be removed, so one is installed once and reads this.
_opens: list[tuple[str, bool]] | None = None
_hook_installed = False
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT


def _record_open(event: str, args: tuple) -> None:
    if event != "open" or _opens is None:
        return
    path, mode, flags = args
    if not isinstance(path, str | bytes | os.PathLike):  # a file descriptor
        return
    writing = any(c in mode for c in "wax+") if mode else bool(flags & _WRITE_FLAGS)
    _opens.append((os.path.realpath(os.fsdecode(path)), writing))


@contextlib.contextmanager
def file_opens() -> Iterator[list[tuple[str, bool]]]:
    """Every open of a file in this process meanwhile (Python's "open" audit event)."""
    global _opens, _hook_installed
    if not _hook_installed:
        sys.addaudithook(_record_open)
        _hook_installed = True
    _opens = opens = []
    try:
        yield opens
    finally:
        _opens = None


def reads_of_data_files(opens: list[tuple[str, bool]], data: Path) -> Counter:
    root = os.path.realpath(data) + os.sep
    return Counter(path for path, writing in opens if path.startswith(root) and not writing)


def test_mkdocs_writes_each_built_page_once_and_nothing_reads_a_built_page_back(tmp_path):
    # Charts, embed snippets and search copies are made as mkdocs renders each page; before,
    # every page with charts was written three times and every page read back twice.
    data = tmp_path / "datapackages"
    write_tambon_package(data)
    out = tmp_path / "out" / "site"
    with file_opens() as opens:
        build.build_site(data, out)
    work = os.path.realpath(workspace.work_folder_of(out))
    staging = os.path.realpath(workspace.work_folder_of(out) / "staging")  # theme templates
    built = [
        (p, w)
        for p, w in opens
        if p.endswith(".html") and p.startswith(work + os.sep) and not p.startswith(staging)
    ]
    writes = Counter(path for path, writing in built if writing)
    profile = f"tambon/{CODE}/index.html"
    assert any(path.endswith(profile) for path in writes)  # the watch saw the pages written
    assert [path for path, n in writes.items() if n > 1] == []
    assert [path for path, writing in built if not writing] == []
    assert "<svg" in (out / profile).read_text(encoding="utf-8")


# --- each data file read at most twice per build (issue 10) -----------------------------------


def test_a_build_reads_each_data_file_at_most_twice_cold_warm_and_after_one_changed_cell(
    tmp_path,
):
    # Before the file store, one CSV was opened 14 times per build (checked, hashed, typed,
    # converted to downloads, ...) and a descriptor 15 times.
    data = write_tree(tmp_path / "datapackages")
    out = tmp_path / "out" / "site"
    villages = next(data.rglob("villages.csv"))
    counts = {}
    for run in ("cold", "warm", "one cell"):
        if run == "warm":
            build.built_key_file(workspace.Workspace(out, workspace.work_folder_of(out))).unlink()
        if run == "one cell":
            villages.write_text(
                villages.read_text(encoding="utf-8").replace("Ban", "Baan", 1), encoding="utf-8"
            )
        with file_opens() as opens:
            build.build_site(data, out)
        counts[run] = reads_of_data_files(opens, data)
    assert counts["cold"][os.path.realpath(villages)] >= 1  # the watch saw the data read
    assert len(counts["cold"]) >= 8  # descriptors and tables of the four packages
    assert {run: [(p, n) for p, n in c.items() if n > 2] for run, c in counts.items()} == {
        "cold": [],
        "warm": [],
        "one cell": [],
    }
