"""Thai search: segment the Thai text of mkdocs' search index (docs/architecture.md §5).

mkdocs-material's lunr index splits only at its separator, and Thai is written without spaces
between words, so a word inside a Thai sentence is never found. After mkdocs has written
`search/search_index.json`, every run of Thai letters is cut into words with pythainlp `newmm`
and the words are joined with zero-width spaces (U+200B), which the configured separator
`[\\s\\u200b\\-]+` splits on while a reader sees nothing. Place names join the tokenizer's
dictionary so that ท่าวัง stays one word instead of ท่า|วัง.

The query side (assets/js/thai-search.js) splits what a reader types against the distinct
Thai words of the index, written next to it as `search/thai_words.json`.

Before indexing, `separate_blocks` (run by the mkdocs hook in `mkdocs_hooks.py`) puts a space
between adjacent table cells and block elements: mkdocs-material's indexer keeps only text, so
`<td>หมู่ที่ 2</td><td>224,000</td>` would otherwise reach readers' result snippets as
"หมู่ที่ 2224,000".
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

ZWSP = "\u200b"
SEPARATOR = r"[\s\u200b\-]+"
THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
WORDS_FILE = "thai_words.json"
# The last closing tag of a cell, row, table part, list, item or block when an opening tag
# follows it directly: where the indexer would glue two texts together. Whitespace there is
# not rendered (between cells, rows and blocks; the breadcrumb list is a flexbox).
BLOCK_END_BEFORE_TAG = re.compile(
    r"(</(?:td|th|tr|thead|tbody|tfoot|table|caption|ul|ol|li|dl|dt|dd|p|div|section"
    r"|figure|figcaption|h[1-6])>)(?=<[a-zA-Z])"
)

Tokenizer = Callable[[str], list[str]]


def newmm_tokenizer(custom_words: Iterable[str] = ()) -> Tokenizer:
    """pythainlp's newmm over its default dictionary plus `custom_words` (place names)."""
    # Without this, importing pythainlp creates ~/pythainlp-data: a build writes nothing
    # outside its output and work folder. newmm's dictionary ships inside the package.
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import dict_trie

    extra = {w.strip() for w in custom_words if w and w.strip()}
    trie = dict_trie(set(thai_words()) | extra)

    def tokenize(text: str) -> list[str]:
        return word_tokenize(text, engine="newmm", custom_dict=trie, keep_whitespace=False)

    return tokenize


def place_words(names: Iterable[str]) -> set[str]:
    """Thai place names as dictionary words, also without a leading ตำบล/อำเภอ/บ้าน."""
    words: set[str] = set()
    for name in names:
        for part in (name or "").split():
            if not THAI_RUN.fullmatch(part):
                continue
            words.add(part)
            for prefix in ("ตำบล", "อำเภอ", "บ้าน", "หมู่บ้าน"):
                if part.startswith(prefix) and len(part) > len(prefix) + 1:
                    words.add(part[len(prefix) :])
    return words


def separate_blocks(html: str) -> str:
    """`html` with a space after each closing cell, row, item or block an opening tag follows.

    Done on the page HTML, before mkdocs-material indexes it, because only there are cell
    boundaries still known; its indexer turns the space into one separator in the text.
    """
    return BLOCK_END_BEFORE_TAG.sub(r"\1 ", html)


def segment_thai(text: str, tokenize: Tokenizer) -> str:
    """`text` with each Thai run cut into words joined by zero-width spaces; other text kept."""

    def cut(match: re.Match[str]) -> str:
        return ZWSP.join(w for w in tokenize(match.group(0)) if w.strip())

    return THAI_RUN.sub(cut, text)


def segment_index(index: dict, tokenize: Tokenizer) -> tuple[dict, set[str]]:
    """A copy of a mkdocs search index with Thai segmented, and the set of Thai words in it."""
    words: set[str] = set()
    docs = []
    for doc in index.get("docs", []):
        new = dict(doc)
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                new[key] = segment_thai(doc[key], tokenize)
                words |= _words_between_breaks(new[key])
        docs.append(new)
    config = dict(index.get("config", {}))
    config["separator"] = SEPARATOR
    return {**index, "config": config, "docs": docs}, words


def _words_between_breaks(segmented: str) -> set[str]:
    return {part for part in re.split(SEPARATOR, segmented) if THAI_RUN.fullmatch(part)}


def rewrite_search_index(site_dir: Path, custom_words: Iterable[str] = ()) -> int:
    """Segments `site_dir/search/search_index.json` in place; writes the query word list.

    Returns the number of distinct Thai words. A site without a search index is left alone.
    """
    index_path = site_dir / "search" / "search_index.json"
    if not index_path.exists():
        return 0
    index = json.loads(index_path.read_text(encoding="utf-8"))
    segmented, words = segment_index(index, newmm_tokenizer(custom_words))
    index_path.write_text(
        json.dumps(segmented, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    (index_path.parent / WORDS_FILE).write_text(
        json.dumps(sorted(words), ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return len(words)
