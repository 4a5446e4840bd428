"""site/raw_blocks: the pages' raw HTML blocks stashed before Python-Markdown parses them, with
the HTML of every page the same as Python-Markdown alone makes it."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from tambon_portal.site import mkdocs_config, raw_blocks

DOCS = Path(__file__).resolve().parents[1] / "docs"
# The site's extensions as mkdocs gives them to Python-Markdown: names, and their settings.
NAMES = [e if isinstance(e, str) else next(iter(e)) for e in mkdocs_config.MARKDOWN_EXTENSIONS]
SETTINGS = {k: v for e in mkdocs_config.MARKDOWN_EXTENSIONS if isinstance(e, dict)
            for k, v in e.items()}  # fmt: skip
PLAIN = [name for name in NAMES if name != mkdocs_config.RAW_BLOCKS]


def converter(stashed: bool) -> markdown.Markdown:
    extensions = NAMES if stashed else PLAIN  # the site's, loaded by name as mkdocs does
    return markdown.Markdown(extensions=extensions, extension_configs=SETTINGS)


def html_of(text: str, stashed: bool) -> str:
    return converter(stashed).convert(text)


def stashed_blocks(text: str) -> int:
    """How many blocks the preprocessor itself stashed."""
    md = converter(stashed=True)
    raw_blocks.StashRawBlocks(md).run(text.split("\n"))
    return md.htmlStash.html_counter


TABLE = """<div class="table-wrap" tabindex="0">
<table class="data">
<thead><tr><th>ข้อ</th><th class="num">ร้อยละ</th></tr></thead>
<tbody>
<tr><td>1</td><td class="num">95.0</td></tr>
</tbody>
</table>
</div>"""

CASES = {
    "a table between headings": f"## ตาราง\n\n{TABLE}\n\n## ต่อไป\n\ntext *em*\n",
    "a nested div": '<div class="a">\n<div class="b">x</div>\n</div>\n\npara\n',
    "the last block of the page": f"# หัวข้อ\n\n{TABLE}",
    "a block with markdown inside": "<div markdown>\n*em* text\n</div>\n\nafter\n",
    "a block with markdown=1": '<div markdown="1">\n## heading\n</div>\n',
    "blocks that touch": "<p>one</p>\n<p>two</p>\n## h\n<ul>\n<li>x</li>\n</ul>\n",
    "text after the end tag": "<div>x</div> tail *em*\n\nnext\n",
    "a block in a code fence": "```\n<div>\nnot html\n</div>\n```\n\n<div>y</div>\n",
    "a block that does not close": "<div>\nopen\n\n## heading\n",
    "a comment inside": "<div>\n<!-- note -->\n<p>x</p>\n</div>\n\n- item\n",
    "two blocks on one line": "<p>x</p><p>y</p>\n\nafter\n",
    "a block closed mid-line": "<div>\na</div><div>b\n</div>\n\nafter\n",
    "a table inside an article": "<article>\n\n<div>x</div>\n\n</article>\n\nafter\n",
    "a table inside main": "<main>\n<p>a</p>\n\n<table><tr><td>1</td></tr></table>\n\n</main>\n",
    "a rule between blocks": f"{TABLE}\n\n<hr>\n\n{TABLE}\n",
    "a script with a tag in a string": "<script>\nvar a = '<div>';\n</script>\n\n<div>y</div>\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_a_page_has_the_html_python_markdown_alone_makes(text):
    assert html_of(text, stashed=True) == html_of(text, stashed=False)


def test_a_table_between_blank_lines_is_stashed_and_a_block_of_markdown_is_not():
    assert stashed_blocks(CASES["a table between headings"]) == 1
    assert stashed_blocks(CASES["a block with markdown inside"]) == 0
    assert stashed_blocks(CASES["blocks that touch"]) == 0
    assert stashed_blocks(CASES["a block in a code fence"]) == 1  # the one after the fence
    assert stashed_blocks(CASES["two blocks on one line"]) == 0
    assert stashed_blocks(CASES["a nested div"]) == 1
    assert stashed_blocks(CASES["a table inside an article"]) == 1  # the article, whole
    assert stashed_blocks(CASES["a rule between blocks"]) == 2


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_every_hand_written_page_renders_as_python_markdown_alone_renders_it(page):
    text = page.read_text(encoding="utf-8")
    assert html_of(text, stashed=True) == html_of(text, stashed=False)
