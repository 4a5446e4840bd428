"""A Python-Markdown extension: the pages' raw HTML blocks stashed before markdown parses them.

The generated pages are mostly HTML (tables, cards, lists of projects) between markdown
headings. Python-Markdown finds raw HTML blocks by feeding the whole page to `html.parser`,
which is pure Python and reads every tag inside every table: two thirds of the time mkdocs
took to render a profile (34 ms of a pilot profile's markdown, 12 ms with its blocks stashed
first, 2026-12-08). This preprocessor, run just before Python-Markdown's own
(`html_block`), puts a block that starts a line with a block-level tag (Python-Markdown's
own list) and ends a line with its matching end tag into the same stash, as that one would:
the same text (with a newline when a blank line follows) in place of the same placeholder,
so the page's HTML is the same to the byte. What it cannot delimit that way it leaves to
Python-Markdown: a block with a `markdown` attribute (`md_in_html`, whose content is
markdown), one inside a code fence, one without a blank line before and after it, and
anything inside such a block. After one
whose end tag has text after it on its line, or that does not close, it leaves the rest of
the page to Python-Markdown.

A block's tags of its name are followed in order (`<div ...>` opens, `</div>` closes): the
pages escape their text, so a `<` in a block is always a tag.
"""

from __future__ import annotations

import functools
import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.htmlparser import void_tags
from markdown.preprocessors import Preprocessor

START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(?=[\s>/])")  # a tag at the start of a line
FENCE = re.compile(r"^(```|~~~)")
MARKDOWN_ATTRIBUTE = re.compile(r"<[a-z][^>]*\smarkdown(?=[\s=>])")  # `markdown`, `markdown="1"`
PRIORITY = 21  # Python-Markdown's html_block runs at 20: this one just before it


@functools.cache
def _tags(tag: str) -> re.Pattern[str]:
    """The start and end tags of `tag` (group 1: "/" for an end tag)."""
    return re.compile(rf"<(/?){tag}(?=[\s>/])[^>]*>", re.IGNORECASE)


def block_end(lines: list[str], start: int, tag: str) -> int | None:
    """The index of the line whose last characters close the `tag` opened at the start of
    `lines[start]`, else None: also when it closes earlier on a line (Python-Markdown ends
    the block there and reads the rest of the line on its own)."""
    depth = 0
    for index in range(start, len(lines)):
        line = lines[index].rstrip()
        for found in _tags(tag).finditer(line):
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
    """Every block that starts a line with one of Python-Markdown's own block-level tags
    (`md.is_block_level`) is delimited; one this can stash is stashed whole, any other is
    passed on whole, so that nothing inside a block Python-Markdown reads is stashed apart.
    After a block it cannot delimit, the rest of the page is passed on as it is."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        index, fenced = 0, False
        while index < len(lines):
            line = lines[index]
            if FENCE.match(line):
                fenced = not fenced
            found = None if fenced else START.match(line)
            tag = found.group(1).lower() if found else ""
            if not tag or not self.md.is_block_level(tag) or tag in void_tags:
                out.append(line)
                index += 1
                continue
            end = block_end(lines, index, tag)
            if end is None:
                return out + lines[index:]
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
