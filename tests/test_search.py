"""Thai search post-processing: Thai runs cut into words joined by zero-width spaces."""

from __future__ import annotations

import json

from tambon_portal import search

ZW = "\u200b"


def fake_tokenizer(text: str) -> list[str]:
    """Cuts at the words it knows, so tests do not depend on pythainlp's dictionary."""
    words = ["ตำบล", "ท่าวัง", "ความยากจน", "โครงการ", "เลี้ยงไก่", "พื้นที่", "บาท", "หมู่ที่"]
    out, i = [], 0
    while i < len(text):
        word = next((w for w in words if text.startswith(w, i)), text[i])
        out.append(word)
        i += len(word)
    return out


def test_segment_thai_joins_words_with_zero_width_spaces_and_keeps_other_text():
    text = "ตำบลท่าวัง Tha Wang 800102 โครงการเลี้ยงไก่"
    assert search.segment_thai(text, fake_tokenizer) == (
        f"ตำบล{ZW}ท่าวัง Tha Wang 800102 โครงการ{ZW}เลี้ยงไก่"
    )


def test_segment_index_sets_the_separator_and_collects_thai_words():
    index = {
        "config": {"lang": ["en"], "separator": "[\\s\\-]+"},
        "docs": [{"location": "tambon/800102/", "title": "ตำบลท่าวัง", "text": "ความยากจน 5%"}],
    }
    segmented, words = search.segment_index(index, fake_tokenizer)
    assert segmented["config"] == {"lang": ["en"], "separator": "[\\s\\u200b\\-]+"}
    assert segmented["docs"] == [
        {"location": "tambon/800102/", "title": f"ตำบล{ZW}ท่าวัง", "text": "ความยากจน 5%"}
    ]
    assert words == {"ตำบล", "ท่าวัง", "ความยากจน"}
    assert index["docs"][0]["title"] == "ตำบลท่าวัง"  # the input is not changed


def test_place_words_add_the_name_without_its_administrative_prefix():
    assert search.place_words(["ตำบลท่าวัง", "บ้านนาเคียน", "Tha Wang", "", "ท่าไร่"]) == {
        "ตำบลท่าวัง",
        "ท่าวัง",
        "บ้านนาเคียน",
        "นาเคียน",
        "ท่าไร่",
    }


def test_newmm_with_place_names_keeps_tha_wang_one_word():
    plain = search.newmm_tokenizer()
    with_places = search.newmm_tokenizer(["ท่าวัง"])
    assert plain("ท่าวัง") == ["ท่า", "วัง"]
    assert with_places("ตำบลท่าวัง") == ["ตำบล", "ท่าวัง"]


def test_rewrite_search_index_rewrites_in_place_and_writes_the_query_word_list(tmp_path):
    (tmp_path / "search").mkdir()
    index = {
        "config": {"separator": "x"},
        "docs": [{"location": "", "title": "ตำบลท่าวัง", "text": ""}],
    }
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(index), encoding="utf-8")
    assert search.rewrite_search_index(tmp_path, ["ท่าวัง"]) == 2
    rewritten = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert rewritten["docs"][0]["title"] == f"ตำบล{ZW}ท่าวัง"
    assert rewritten["config"]["separator"] == search.SEPARATOR
    words = json.loads((tmp_path / "search" / "thai_words.json").read_text(encoding="utf-8"))
    assert words == ["ตำบล", "ท่าวัง"]


def test_rewrite_search_index_leaves_a_site_without_an_index_alone(tmp_path):
    assert search.rewrite_search_index(tmp_path) == 0
    assert list(tmp_path.iterdir()) == []


def indexed_text(html: str) -> str:
    """The text mkdocs-material's indexer keeps of a page: its own parser, as in the build."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return " | ".join("".join(section.text).strip() for section in parser.data)


PROJECT_TABLE = (
    '<h2 id="plan">แผน</h2>\n'
    '<div class="table-wrap"><table><thead><tr><th scope="col">โครงการ</th>'
    '<th scope="col">พื้นที่</th><th scope="col" class="num">บาท</th></tr></thead>'
    '<tbody><tr><td>โครงการเลี้ยงไก่</td><td>หมู่ที่ 2</td><td class="num">224,000</td></tr>'
    '<tr><td><a href="x/">ความยากจน</a></td><td>ตำบลท่าวัง</td><td class="num">5</td></tr>'
    "</tbody></table></div>"
    "<ul><li>ตำบล</li><li>ท่าวัง</li></ul>"
    "<div data-search-exclude><table><tr><td>ลับ</td><td>9</td></tr></table></div>"
)


def test_mkdocs_material_alone_runs_table_cells_together():
    """The control of the test below: without separate_blocks the cells touch in the index."""
    assert "โครงการพื้นที่บาทโครงการเลี้ยงไก่หมู่ที่ 2224,000" in indexed_text(PROJECT_TABLE)


def test_table_cells_and_list_items_are_indexed_apart_and_thai_still_segmented():
    text = indexed_text(search.separate_blocks(PROJECT_TABLE))
    assert search.segment_thai(text, fake_tokenizer) == (
        f" | โครงการ พื้นที่ บาท โครงการ{ZW}เลี้ยงไก่ หมู่ที่ 2 224,000 "
        f"ความยากจน ตำบล{ZW}ท่าวัง 5 <ul><li>ตำบล</li> <li>ท่าวัง</li></ul>"
    )


def test_separate_blocks_spaces_only_where_a_closing_cell_or_block_meets_an_opening_tag():
    html = (
        '<tr><td><a href="a/">ก</a><a href="b/">ข</a></td><td>1</td>\n<td>2</td></tr><tr>'
        "<th>x</th></tr><p>p</p>text<li>y</li>"
    )
    assert search.separate_blocks(html) == (
        '<tr><td><a href="a/">ก</a><a href="b/">ข</a></td> <td>1</td>\n<td>2</td></tr> <tr>'
        "<th>x</th></tr> <p>p</p>text<li>y</li>"
    )
