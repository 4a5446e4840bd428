"""The offline copy (`site.offline`, `tambon build --offline`): links to folders become links to
their index.html, the search index comes from Pagefind's fragments, fonts go inside their
stylesheet, and the command builds the copy like any site (atomically, nothing beside it).

What a reader sees from file:// is tested in chromium (tests/browser/test_offline.py).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from fixtures.tambon_package import CODE, write_tambon_package

from tambon_portal import cli
from tambon_portal.site import offline, search


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site of three pages as mkdocs writes them (folders with index.html) and a file."""
    root = tmp_path / "site"
    for folder in ("", "tambon/800106", "district/8001"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "index.html").write_text("<html></html>", encoding="utf-8")
    (root / "downloads").mkdir()
    (root / "downloads" / "a_b.csv").write_text("a\n", encoding="utf-8")
    return root


UP = "../../"  # from a profile (tambon/800106/) to the root
P = "tambon/800106"  # a profile's folder
CC = "https&#58;//creativecommons.org/licenses/by/4.0/"  # as mkdocs writes it


@pytest.mark.parametrize(
    ("value", "page_dir", "expected"),
    [
        (f"{UP}district/8001/", "tambon/800106", f"{UP}district/8001/index.html"),
        (f"{UP}district/8001/#v", "tambon/800106", f"{UP}district/8001/index.html#v"),
        (f"{UP}district/8001?q=a&amp;b", P, f"{UP}district/8001/index.html?q=a&amp;b"),
        ("../..", "tambon/800106", "../../index.html"),
        ("./", "tambon/800106", "./index.html"),
        ("tambon/800106/", "", "tambon/800106/index.html"),
        ("district/8001", "", "district/8001/index.html"),
        (f"{UP}downloads/a&#95;b.csv", "tambon/800106", f"{UP}downloads/a&#95;b.csv"),
        ("../../downloads/", "tambon/800106", "../../downloads/"),  # no index.html: as it was
        ("#licence", "tambon/800106", "#licence"),
        (CC, "", CC),
        ("//cdn.example/x/", "", "//cdn.example/x/"),
        ("mailto:a@example.org", "", "mailto:a@example.org"),
        ("../../../../", "tambon/800106", "../../../../"),  # outside the copy
        ("/tambon/800106/", "district/8001", "/tambon/800106/"),  # from the disk's root
        ("", "", ""),
    ],
)  # fmt: skip
def test_a_link_to_a_folder_of_the_site_names_its_index_file(site, value, page_dir, expected):
    assert offline.offline_link(value, page_dir, site, {}) == expected


def test_a_page_gets_file_links_no_font_preload_and_the_offline_search(site):
    html = (
        '<link rel="preload" href="../../assets/fonts/Sarabun-Regular.woff2" as="font" '
        'type="font/woff2" crossorigin>\n'
        '<a href="../../district/8001/">x</a><img src="../../downloads/a_b.csv">'
        '<script defer src="../../assets/js/site-search.js"></script>'
    )
    out = offline.offline_page(html, "tambon/800106", site, {})
    assert "preload" not in out
    assert 'href="../../district/8001/index.html"' in out
    assert 'src="../../downloads/a_b.csv"' in out
    assert (
        '<script defer src="../../assets/js/site-search.js" '
        'data-offline-index="search/offline-index.js"></script>'
    ) in out


def _fragment(url: str, content: str, anchors: list[dict], title: str) -> bytes:
    data = {"url": url, "content": content, "word_count": 1, "filters": {},
            "meta": {"title": title, "trail": "จังหวัดนครศรีธรรมราช"}, "anchors": anchors}  # fmt: skip
    return gzip.compress(offline.FRAGMENT_SIGNATURE + json.dumps(data).encode())


S, E = search.TOKENS_START, search.TOKENS_END
CONTENT = (
    f"ตำบลท่าไร่ {S} ไร่ {E} Tha Rai · รหัสตำบล 800106. "
    f"หมู่บ้าน {S} บ้าน {E} บ้านนาเคียน {S} นาเคียน เคียน {E} หมู่ที่ 2. "
    f"ดาวน์โหลด ไฟล์ CSV."
)
WORDS = CONTENT.split()  # Pagefind's locations count these, the token markers too
ANCHORS = [
    {"element": "h1", "id": "_1", "text": f"ตำบลท่าไร่ {S} ไร่ {E}", "location": 0},
    {"element": "h2", "id": "_7", "text": f"หมู่บ้าน {S} บ้าน {E}",
     "location": WORDS.index("หมู่บ้าน")},
    {"element": "h2", "id": "downloads", "text": "ดาวน์โหลด", "location": WORDS.index("ดาวน์โหลด")},
]  # fmt: skip


def test_a_page_of_the_index_is_its_sections_without_the_search_tokens():
    fragment = json.loads(gzip.decompress(_fragment("/tambon/800106/", CONTENT, ANCHORS,
                                                    f"ตำบลท่าไร่ {S} ไร่ {E}"))[12:])  # fmt: skip
    assert offline.page_record(fragment) == {
        "u": "tambon/800106/index.html",
        "t": "ตำบลท่าไร่",
        "r": "จังหวัดนครศรีธรรมราช",
        "s": [
            ["", "", "ตำบลท่าไร่ Tha Rai · รหัสตำบล 800106."],
            ["_7", "หมู่บ้าน", "บ้านนาเคียน หมู่ที่ 2."],
            ["downloads", "ดาวน์โหลด", "ไฟล์ CSV."],
        ],
    }


def test_site_urls_become_paths_of_page_files():
    assert offline.page_url("/") == "index.html"
    assert offline.page_url("/tambon/800106/") == "tambon/800106/index.html"
    assert offline.page_url("tambon/{code}/") == "tambon/{code}/index.html"
    assert offline.page_url("/search/places.json") == "search/places.json"


def test_a_fragment_pagefind_no_longer_writes_so_is_refused_not_skipped(tmp_path):
    (tmp_path / "fragment").mkdir()
    (tmp_path / "fragment" / "x.pf_fragment").write_bytes(gzip.compress(b'{"url": "/"}'))
    with pytest.raises(offline.OfflineError, match="not a Pagefind fragment"):
        list(offline.fragments(tmp_path))
    with pytest.raises(offline.OfflineError, match="no search index"):
        list(offline.fragments(tmp_path / "missing"))


def test_the_font_stylesheet_holds_its_fonts(tmp_path):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "css").mkdir()
    (tmp_path / "fonts" / "Sarabun-Regular.woff2").write_bytes(b"wOF2-font")
    css = tmp_path / "css" / "fonts.css"
    css.write_text('src: url("../fonts/Sarabun-Regular.woff2") format("woff2");', encoding="utf-8")
    offline.inline_fonts(css)
    assert css.read_text(encoding="utf-8") == (
        'src: url("data:font/woff2;base64,d09GMi1mb250") format("woff2");'
    )


def test_tambon_build_offline_writes_a_copy_that_needs_no_server(tmp_path, capsys):
    data = tmp_path / "datapackages"
    write_tambon_package(data)
    out = tmp_path / "out" / "offline"
    assert cli.main(["build", "--offline", "--data", str(data), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert (out / "index.html").as_uri() in said and "MB" in said
    assert not (out / search.INDEX_DIR).exists()
    script = (out / offline.OFFLINE_INDEX).read_text(encoding="utf-8")
    index = json.loads(script[script.index("=") + 1 :].rstrip().rstrip(";"))
    pages = {p["u"]: p for p in index["pages"]}
    assert f"tambon/{CODE}/index.html" in pages
    assert "Tha Rai" in pages[f"tambon/{CODE}/index.html"]["s"][0][2]
    assert index["places"]["levels"]["6"]["url"] == "tambon/{code}/index.html"
    profile = (out / "tambon" / CODE / "index.html").read_text(encoding="utf-8")
    assert 'href="../../district/8001/index.html"' in profile
    assert f'data-offline-index="{offline.OFFLINE_INDEX}"' in profile
    assert 'url("data:font/woff2;base64,' in (out / "assets/css/fonts.css").read_text()
    # Built as any site is: the output and its work folder, nothing else beside them.
    assert sorted(p.name for p in out.parent.iterdir()) == [".offline.tambon-work", "offline"]
