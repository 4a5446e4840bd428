"""Site search: search tokens for Thai runs, the copies Pagefind reads, the index it writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from site_checks import search_fragments

from tambon_portal.core import codelists
from tambon_portal.site import search

START, END = search.TOKENS_START, search.TOKENS_END
DOCS = Path(__file__).resolve().parents[1] / "docs"


def fake_tokenizer(text: str) -> list[str]:
    """Cuts at the words it knows, so tests do not depend on pythainlp's dictionary."""
    words = ["ตำบล", "ท่าวัง", "โครงการ", "เลี้ยงไก่", "บ้าน", "หัวเตียน", "โรค", "เบาหวาน"]
    out, i = [], 0
    while i < len(text):
        word = next((w for w in words if text.startswith(w, i)), text[i])
        out.append(word)
        i += len(word)
    return out


def tokens_of(run: str) -> list[str]:
    return search.search_tokens(run, fake_tokenizer)


def test_place_words_drop_the_prefix_so_that_the_name_starts_a_word():
    # บ้านหัวเตียน as one dictionary word would hide the boundary before หัวเตียน.
    assert search.place_words(["ตำบลท่าวัง", "บ้านหัวเตียน", "Tha Wang", "", "ท่าไร่"]) == {
        "ท่าวัง",
        "หัวเตียน",
        "ท่าไร่",
    }


def test_newmm_cuts_a_dictionary_compound_so_that_the_word_inside_starts_a_boundary():
    tokenize = search.newmm_tokenizer()
    assert "โรค" in tokenize("โครงการคัดกรองโรคเบาหวาน")
    assert tokenize("โรคเบาหวาน")[0] == "โรค"


def test_newmm_keeps_a_place_name_whole_and_does_not_cut_short_syllables():
    tokenize = search.newmm_tokenizer(["ท่าวัง"])
    assert tokenize("ตำบลท่าวัง") == ["ตำบล", "ท่าวัง"]
    assert tokenize("โครงการ") == ["โครง", "การ"]  # not โค|รง|การ
    assert "สะอาด" in tokenize("น้ำสะอาด")  # not สะ|อาด


def test_search_tokens_are_the_run_from_each_inner_word_boundary_on():
    assert tokens_of("บ้านหัวเตียน") == ["หัวเตียน"]
    assert tokens_of("โครงการเลี้ยงไก่ตำบลท่าวัง") == [
        "เลี้ยงไก่ตำบลท่าวัง",
        "ตำบลท่าวัง",
        "ท่าวัง",
    ]
    assert tokens_of("ตำบล") == []


def test_search_tokens_stop_after_token_words_words():
    run = "โรค" * (search.TOKEN_WORDS + 3)
    assert {len(t) for t in tokens_of(run)} <= {len("โรค") * n for n in range(1, 5)}


def test_tokens_follow_each_thai_run_between_the_markers_and_other_text_is_kept():
    text = "บ้านหัวเตียน Ban Hua Tian 80010603 ตำบล"
    assert search.with_search_tokens(text, tokens_of) == (
        f"บ้านหัวเตียน {START} หัวเตียน {END}  Ban Hua Tian 80010603 ตำบล"
    )


PAGE = (
    '<html lang="th"><head><title>ตำบลท่าวัง</title></head><body>'
    '<nav class="md-nav">บ้านหัวเตียน</nav>'
    '<article class="md-content__inner md-typeset"><h1 id="_1">ตำบลท่าวัง</h1>'
    '<nav class="breadcrumb"><ol><li><a href="../">จังหวัดนครศรีธรรมราช</a></li>'
    '<li><a href="../d/">อำเภอเมือง &amp; ท่า</a></li><li><span>ตำบลท่าวัง</span></li></ol></nav>'
    '<h2 id="_7">หมู่บ้าน</h2><table><tr><td>บ้านหัวเตียน</td></tr></table>'
    "</article></body></html>"
)


def test_the_copy_pagefind_reads_has_tokens_in_the_article_only_and_the_trail_as_meta():
    copy = search.page_for_index(PAGE, tokens_of)
    assert '<nav class="md-nav">บ้านหัวเตียน</nav>' in copy  # outside the article: as it was
    assert f"<td>บ้านหัวเตียน {START} หัวเตียน {END} </td>" in copy
    assert 'data-pagefind-meta="trail:อำเภอเมือง &amp;amp; ท่า · จังหวัดนครศรีธรรมราช">' in copy


def test_villages_are_written_into_the_villages_section_of_the_copy():
    villages = pd.DataFrame(
        {
            "village_code": ["80010602", "80010601"],
            "village_no": [2, 1],
            "name_th": ["บ้านหัวเตียน", "บ้านโคก"],
            "name_en": ["Ban Hua Tian", ""],
        }
    )
    text = search.villages_text(villages)
    assert text == "บ้านโคก หมู่ที่ 1 รหัส 80010601 · บ้านหัวเตียน หมู่ที่ 2 รหัส 80010602 Ban Hua Tian"
    copy = search.page_for_index(PAGE, lambda run: [], villages=text)
    assert f'<h2 id="_7">หมู่บ้าน</h2><p>{text}</p><table>' in copy


def test_places_list_every_place_with_a_page_and_the_url_pattern_of_its_level():
    listed = search.places({"800106": {}, "800114": {}})
    assert listed["levels"] == {
        "6": {"prefix": "ตำบล", "url": "tambon/{code}/"},
        "4": {"prefix": "อำเภอ", "url": "district/{code}/"},
        "2": {"prefix": "จังหวัด", "url": "province/{code}/"},
    }
    codes = [p[0] for p in listed["places"]]
    assert codes[0] == "80" and "8001" in codes and codes[-2:] == ["800106", "800114"]
    assert ["800106", "ท่าไร่", "Tha Rai"] in listed["places"]
    assert len(codes) == 1 + 23 + 2  # the province, its 23 districts, the two tambons


def test_methodology_lists_the_31_bmn_indicators_as_the_code_lists_name_them():
    """A BMN topic word (น้ำสะอาด) must find the page that explains the indicator."""
    rows = re.findall(
        r"^\| (\d+) \| [^|]+ \| ([^|]+) \| ([^|]+) \|$", _read(DOCS / "methodology.md"), re.M
    )
    assert [(int(n), th.strip(), en.strip()) for n, th, en in rows] == [
        (i.number, i.th, i.en) for i in codelists.BMN_INDICATORS
    ]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- the index Pagefind writes ----------------------------------------------------------------

SHA = "a5bf9a354eda1ca23124c16336e9d06be10dad8ab98a96726629b7729e782569"
PROFILE = (
    '<!doctype html><html lang="th"><head><title>ตำบลท่าวัง</title></head><body>'
    '<article class="md-content__inner md-typeset"><h1 id="_1">ตำบลท่าวัง</h1>'
    "<p>โครงการเลี้ยงไก่ไข่</p>"
    '<h2 id="_7">หมู่บ้าน</h2>'
    "<table><thead><tr><th>ชื่อหมู่บ้าน</th></tr></thead><tbody><tr><td>บ้านหัวเตียน</td></tr></tbody></table>"
    "<div data-search-exclude><p>ครัวเรือน 5,475</p></div>"
    f'<details class="checksums"><summary>SHA-256</summary><code>{SHA}</code></details>'
    '<details class="embed"><textarea>&lt;iframe src="x"&gt;</textarea></details>'
    "</article></body></html>"
)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> tuple[Path, dict, list[dict]]:
    site = tmp_path_factory.mktemp("site")
    villages = pd.DataFrame(
        {"village_code": ["80010203"], "village_no": [3], "name_th": ["บ้านหัวเตียน"]}
    )
    tambons = {"800102": {"villages": villages}}
    copies = search.SearchCopies(site, tambons, ["หัวเตียน"])
    copies.add("tambon/800102/", PROFILE)  # as mkdocs writes the page (mkdocs_plugin)
    stats = search.write_index(site, copies, tambons)
    return site, stats, search_fragments(site)


def without_tokens(content: str) -> str:
    """What the search box shows of a page's text."""
    return re.sub(rf" ?{START}[^{END}]*{END} ?", " ", content)


def test_the_index_has_the_page_text_with_its_tokens_and_villages(indexed):
    _, stats, found = indexed
    assert stats["pages"] == 1 and stats["places"] == 1 + 23 + 1
    [page] = found
    assert page["url"] == "/tambon/800102/"
    assert page["meta"]["title"].startswith("ตำบลท่าวัง")
    content = page["content"]
    assert "โครงการเลี้ยงไก่ไข่" in content and "บ้านหัวเตียน" in content
    assert f"{START} หัวเตียน {END}" in content  # the token that finds หัวเตียน
    assert "บ้านหัวเตียน หมู่ที่ 3 รหัส 80010203" in without_tokens(content)


def test_the_index_has_no_hashes_numbers_embed_codes_or_column_headings(indexed):
    _, _, [page] = indexed
    content = page["content"]
    assert re.search(r"[0-9a-f]{64}", content) is None
    assert "iframe" not in content and "5,475" not in content and "ชื่อหมู่บ้าน" not in content


def test_the_bundle_has_no_search_uis_of_pagefind_and_the_places_list_beside_it(indexed):
    site, _, _ = indexed
    names = sorted(p.name for p in (site / search.INDEX_DIR).iterdir())
    assert "pagefind.js" in names and "pagefind-worker.js" in names
    assert [n for n in names if "ui" in n or "highlight" in n] == []
    listed = json.loads((site / search.PLACES_FILE).read_text(encoding="utf-8"))
    assert ["800102", "ท่าวัง", "Tha Wang"] in listed["places"]
    assert not (site / search.SOURCE_DIR).exists()  # the copies are gone
