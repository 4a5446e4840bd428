"""A Python-Markdown extension: the pages' raw HTML blocks stashed before markdown parses them.

The generated pages are mostly HTML (tables, cards, lists of projects) between markdown
headings. Python-Markdown finds raw HTML blocks by feeding the whole page to `html.parser`,
which is pure Python and reads every tag inside every table: two thirds of the time mkdocs
took to render a profile (34 ms of a pilot profile's markdown, 12 ms with its blocks stashed
first, 2026-12-08). This preprocessor, run just before Python-Markdown's own
(`html_block`), puts a block that starts a line with a block-level tag and ends a line with
its matching end tag into the same stash, as that one would: the same text (with a newline
when a blank line follows) in place of the same placeholder, so the page's HTML is the same
to the byte. What it cannot delimit that way it leaves to Python-Markdown: a block with a
`markdown` attribute (`md_in_html`, whose content is markdown), one inside a code fence,
one without a blank line before and after it, one whose end tag has text after it on its
line, or one that does not close.

Tags are counted by name (`<div ...>` opens, `</div>` closes): the pages escape their text,
so a `<` in a block is always a tag.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

# Block-level tags the templates start blocks with (Python-Markdown treats all as blocks).
TAGS = ("div", "details", "section", "table", "figure", "dl", "ul", "ol", "nav", "blockquote",
        "aside", "p")  # fmt: skip
START = re.compile(r"<(" + "|".join(TAGS) + r")(?=[\s>])")
FENCE = re.compile(r"^(```|~~~)")
MARKDOWN_ATTRIBUTE = re.compile(r"<[a-z][^>]*\smarkdown(?=[\s=>])")  # `markdown`, `markdown="1"`
PRIORITY = 21  # Python-Markdown's html_block runs at 20: this one just before it


def block_end(lines: list[str], start: int, tag: str) -> int | None:
    """The index of the line whose last characters close the `tag` opened at the start of
    `lines[start]`, else None: also when it closes earlier on a line (Python-Markdown ends
    the block there and reads the rest of the line on its own)."""
    tags = re.compile(rf"<(/?){tag}(?=[\s>/])[^>]*>")
    depth = 0
    for index in range(start, len(lines)):
        line = lines[index].rstrip()
        for found in tags.finditer(line):
            depth += -1 if found.group(1) else 1
            if depth == 0:
                return index if found.end() == len(line) else None
    return None


def _apart(lines: list[str], start: int, end: int) -> bool:
    """Whether the block has a blank line (or the page's start or end) on each side: blocks
    that touch others or text are joined by Python-Markdown in ways this does not copy."""
    before = start == 0 or not lines[start - 1].strip()
    after = end + 1 == len(lines) or not lines[end + 1].strip()
    return before and after


class StashRawBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        index, fenced = 0, False
        while index < len(lines):
            line = lines[index]
            if FENCE.match(line):
                fenced = not fenced
            found = None if fenced else START.match(line)
            end = block_end(lines, index, found.group(1)) if found else None
            if found is None or end is None:
                out.append(line)
                index += 1
                continue
            block = lines[index : end + 1]
            if _apart(lines, index, end) and not any(MARKDOWN_ATTRIBUTE.search(b) for b in block):
                text = "\n".join(block) + ("\n" if end + 1 < len(lines) else "")
                out += ["", self.md.htmlStash.store(text), ""]
            else:
                out += block
            index = end + 1
        return out


class RawBlocks(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        md.preprocessors.register(StashRawBlocks(md), "tambon_raw_blocks", PRIORITY)


def makeExtension(**kwargs: object) -> RawBlocks:  # how Python-Markdown loads it by name
    return RawBlocks(**kwargs)
