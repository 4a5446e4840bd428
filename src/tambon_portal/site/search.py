"""Site search: a Pagefind index of the pages as mkdocs writes them (docs/architecture.md §5).

Pagefind splits its index into chunks and fragments, so a search fetches only what its words
need, and the reader's first search (never the page load) fetches the library. Thai is
written without spaces, so an index of words alone cannot find a word typed inside a longer
run (เบาหวาน in โรคเบาหวาน, หัวเตียน in บ้านหัวเตียน). Pagefind's own Thai support cuts the
index and the query with two different dictionaries, which miss each other (แม่เจ้าอยู่หัว,
การท่องเที่ยว and เบาหวาน found nothing). So the index is made without Pagefind's Thai
segmentation (`INDEX_LANGUAGE`), and each run of Thai letters is followed, in the copy of the
page Pagefind reads, by *search tokens*: the run from each word boundary on, up to
`TOKEN_WORDS` words. Pagefind matches a query as the prefix of an indexed word, so whatever
a reader types from the start of a word is found without cutting the query at all, in any
browser. Word boundaries come from pythainlp `newmm` with the place names as dictionary
words; a dictionary word that is itself made of words (โรคเบาหวาน) gets the inner boundaries
too. The tokens sit between `TOKENS_START` and `TOKENS_END`, which the search box
(assets/js/site-search.js) cuts out of what it shows; the served pages stay as they are.

Villages have no page: the copy of each profile has its villages' names, หมู่ที่ and 8-digit
codes in its villages section, so a village (by name, with or without บ้าน, or by code) leads
to that section of its tambon's profile. `search/places.json` lists the tambons, districts and
provinces with a page, for direct links and for "คุณหมายถึง…" when a name was typed with one
wrong letter.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from tambon_portal.core import gazetteer, urls

INDEX_DIR = "pagefind"
# Where the copies Pagefind reads are written, inside the site being built (then removed).
SOURCE_DIR = ".search-source"
PLACES_FILE = Path("search") / "places.json"
# Any language Pagefind does not segment: "th" would make the browser cut the query with
# Intl.Segmenter, whose cuts the index does not share. The search box loads Pagefind under
# the same code (site-search.js), as Pagefind reads the language from the page.
INDEX_LANGUAGE = "und"
# Private-use characters around the search tokens: they never occur in the data, and
# Pagefind keeps them in a page's text but indexes no word for them.
TOKENS_START, TOKENS_END = "\ue000", "\ue001"
TOKEN_WORDS = 4
# The shortest part (in code points) a dictionary word is cut into: โรค|เบาหวาน, not สะ|อาด.
MIN_PART = 3
INDEX_CHUNK_POSITIONS = 5000
ROOT_SELECTOR = "article.md-content__inner"
# What is not text for a reader: numbers in tables and cards (marked data-search-exclude by
# the templates), column headings (every project table repeats them), charts, download lists
# and checksums, embed codes, citations, breadcrumbs (a district page, not every profile in
# it, should answer a district's name).
EXCLUDE_SELECTORS = (
    "[data-search-exclude]",
    "thead",
    "svg",
    "details.embed",
    "details.checksums",
    ".citation-section",
    "nav.breadcrumb",
    "script",
)
# Pagefind writes its own search UIs too; the site has its own box, so they are removed.
UNUSED_BUNDLE_FILES = re.compile(r"^pagefind-(.*-)?ui\.(js|css)$|^pagefind-highlight\.js$")
# Levels of the places list, by the length of a code: the title prefix and the page path.
LEVELS = {
    6: ("ตำบล", urls.tambon_path),
    4: ("อำเภอ", urls.district_path),
    2: ("จังหวัด", urls.province_path),
}
PLACE_PREFIXES = ("หมู่บ้าน", "บ้าน", "ตำบล", "อำเภอ", "จังหวัด")
THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
ARTICLE = re.compile(r"(<article\b[^>]*>)(.*?)(</article>)", re.S)
TEXT_BETWEEN_TAGS = re.compile(r">([^<]+)<")
BREADCRUMB = re.compile(r'<nav class="breadcrumb".*?</nav>', re.S)
LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
TAG = re.compile(r"<[^>]+>")
# The partners' pages (issue 13) are left out of the search: an อบต.'s or a council's short
# page, named after its tambon, outranked the tambon's own profile for the tambon's name
# (Pagefind favours short pages), and an agency's "...จังหวัดนครศรีธรรมราช" the province page.
# Partners are reached from the menu (ภาคีเครือข่าย), their list and every profile.
NOT_INDEXED = (urls.url_of(urls.PARTNERS_PATH),)
# The knowledge section's pages (issue 13) tell stories about places: for the same words they
# rank below the places' own pages (ท่าไร่ leads to ตำบลท่าไร่, then to the articles naming it).
# Applied by the offline copy's ranking (`offline`, site-search.js); Pagefind online already
# puts the profile among the first results.
STORY_PAGES = urls.url_of(urls.KNOWLEDGE_PATH)
STORY_WEIGHT = 0.5


def page_weight(url: str) -> float:
    """How a page's score is scaled in the offline ranking (`url` from the site root)."""
    return STORY_WEIGHT if url.lstrip("/").startswith(STORY_PAGES) else 1.0


SUBTITLE = '<p class="subtitle">'
SUBTITLE_WEIGHT = 5  # Pagefind weighs an h1 7, an h2 6, text 1
# The heading of a profile's villages section (templates/tambon.md.j2 "## หมู่บ้าน").
VILLAGES_HEADING = re.compile(r"<h2[^>]*>หมู่บ้าน</h2>")

Tokenizer = Callable[[str], list[str]]


# --- Thai words and search tokens ------------------------------------------------------------


def place_words(names: Iterable[str]) -> set[str]:
    """Thai place names as dictionary words, without a leading บ้าน/ตำบล/อำเภอ.

    Without the prefix only: บ้านหัวเตียน as one word would hide the boundary before หัวเตียน.
    """
    words: set[str] = set()
    for name in names:
        for part in (name or "").split():
            if not THAI_RUN.fullmatch(part):
                continue
            for prefix in PLACE_PREFIXES:
                if part.startswith(prefix) and len(part) > len(prefix) + 1:
                    part = part[len(prefix) :]
                    break
            words.add(part)
    return words


def newmm_tokenizer(custom_words: Iterable[str] = ()) -> Tokenizer:
    """pythainlp's newmm over its dictionary plus `custom_words`, that also cuts compounds.

    A dictionary word is cut again without itself in the dictionary (โรคเบาหวาน → โรค|เบาหวาน),
    so that a word inside it starts at a boundary too; a place name is a name, and stays whole.
    """
    # Without this, importing pythainlp creates ~/pythainlp-data: a build writes nothing
    # outside its output and work folder. newmm's dictionary ships inside the package.
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import dict_trie

    names = {w.strip() for w in custom_words if w and w.strip()}
    trie = dict_trie(set(thai_words()) | names)

    def newmm(text: str) -> list[str]:
        return word_tokenize(text, engine="newmm", custom_dict=trie, keep_whitespace=False)

    @functools.cache
    def parts_of(word: str) -> tuple[str, ...]:
        if len(word) < 2 * MIN_PART or word in names or word not in trie:
            return (word,)
        trie.remove(word)
        try:
            parts = newmm(word)
        finally:
            trie.add(word)
        # Only a cut into dictionary words of a syllable or more: โครงการ is not โค|รง|การ.
        if len(parts) > 1 and all(p in trie and len(p) >= MIN_PART for p in parts):
            return tuple(p for part in parts for p in parts_of(part))
        return (word,)

    def tokenize(text: str) -> list[str]:
        return [p for word in newmm(text) if word.strip() for p in parts_of(word)]

    return tokenize


def search_tokens(run: str, tokenize: Tokenizer) -> list[str]:
    """The run from each inner word boundary on, up to TOKEN_WORDS words (the run itself is
    indexed as it is)."""
    words = tokenize(run)
    return ["".join(words[i : i + TOKEN_WORDS]) for i in range(1, len(words))]


def with_search_tokens(text: str, tokens_of: Callable[[str], list[str]]) -> str:
    """`text` with the search tokens of each Thai run right after it, between the markers."""

    def add(match: re.Match[str]) -> str:
        tokens = tokens_of(match.group(0))
        if not tokens:
            return match.group(0)
        return f"{match.group(0)} {TOKENS_START} {' '.join(tokens)} {TOKENS_END} "

    return THAI_RUN.sub(add, text)


def page_for_index(html: str, tokens_of: Callable[[str], list[str]], villages: str = "") -> str:
    """The copy of a page that Pagefind reads: search tokens in its article, its trail as meta,
    and `villages` (text) at the start of its villages section."""
    trail = page_trail(html)

    def rewrite(match: re.Match[str]) -> str:
        opening, body, closing = match.groups()
        if trail:
            meta = trail.replace("&", "&amp;").replace('"', "&quot;")
            opening = opening[:-1] + f' data-pagefind-meta="trail:{meta}">'
        if villages:
            body = _with_villages(body, villages)
        # The subtitle names the page (English name, code): it weighs like a heading, so
        # "tha rai" ranks the profile above pages that mention Tha Rai.
        body = body.replace(SUBTITLE, SUBTITLE[:-1] + f' data-pagefind-weight="{SUBTITLE_WEIGHT}">')
        body = TEXT_BETWEEN_TAGS.sub(
            lambda m: ">" + with_search_tokens(m.group(1), tokens_of) + "<", body
        )
        return opening + body + closing

    return ARTICLE.sub(rewrite, html, count=1)


def _with_villages(body: str, villages: str) -> str:
    """`body` with a paragraph of `villages` after its villages heading (else at its end)."""
    paragraph = f"<p>{villages}</p>"
    heading = VILLAGES_HEADING.search(body)
    if heading is None:
        return body + paragraph
    return body[: heading.end()] + paragraph + body[heading.end() :]


def page_trail(html: str) -> str:
    """ "จังหวัด… › อำเภอ…" of a page's breadcrumb, without the page itself ("" if none)."""
    crumbs = BREADCRUMB.search(html)
    if not crumbs:
        return ""
    items = [TAG.sub("", item).strip() for item in LIST_ITEM.findall(crumbs.group(0))]
    return " · ".join(reversed(items[:-1]))


# --- what is indexed besides the pages -------------------------------------------------------


def villages_text(villages: Any) -> str:
    """ "บ้านหัวเตียน หมู่ที่ 3 รหัส 80010603 Ban Hua Tian · …" of a villages table (or "")."""
    if villages is None or villages.empty:
        return ""
    rows = villages.sort_values("village_code").itertuples()
    return " · ".join(
        " ".join(
            str(part)
            for part in (
                row.name_th,
                f"หมู่ที่ {int(row.village_no)}",
                f"รหัส {row.village_code}",
                getattr(row, "name_en", "") or "",
            )
            if part
        )
        for row in rows
    )


def places(tambons: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The places list of the search box: every tambon, district and province with a page.

    Compact, as it is fetched by a reader's first search: [code, Thai name, English name];
    the level (from the code's length) gives the title prefix and the URL.
    """
    tambon_codes = sorted(tambons)
    provinces = sorted({code[:2] for code in tambon_codes})
    found = [gazetteer.province(p) for p in provinces]
    found += [d for p in provinces for d in gazetteer.districts_of(p)]
    found += [gazetteer.tambon(code) for code in tambon_codes]
    # The URL of each level as a pattern ("tambon/{code}/"), from the page path rules in pages.
    levels = {
        str(length): {"prefix": prefix, "url": urls.url_of(path_of("{code}"))}
        for length, (prefix, path_of) in LEVELS.items()
    }
    return {
        "levels": levels,
        "places": [[p.code, p.name_th, p.name_en] for p in found if p is not None],
    }


# --- the index -------------------------------------------------------------------------------


class SearchCopies:
    """The copies of a site's pages that Pagefind reads, written one by one as the pages are
    made (`mkdocs_plugin` adds each page as mkdocs writes it): search tokens in the article,
    the trail as meta, a profile's villages (`page_for_index`).

    `tambons` are the tables by tambon code (for the villages); `dictionary` the place names
    newmm must know (`place_words`). The copies go in the site's own folder (a build writes
    nowhere else) and `write_index` removes them.
    """

    def __init__(
        self,
        site_dir: Path,
        tambons: Mapping[str, Mapping[str, Any]],
        dictionary: Iterable[str],
        known: Mapping[str, list[str]] | None = None,
    ) -> None:
        self.source = site_dir / SOURCE_DIR
        self.dictionary = list(dictionary)
        # Run of Thai text -> its tokens. `known`: those a build with the same dictionary
        # found (the build keeps them in its stage cache), so newmm and its 62,000-word
        # dictionary are loaded only when a page has a run not seen before.
        self.known: dict[str, list[str]] = dict(known or {})
        self.used: set[str] = set()  # the runs the pages of this build hold
        self._tokenize: Tokenizer | None = None
        self.villages = {
            urls.url_of(urls.tambon_path(code)): villages_text(tables.get("villages"))
            for code, tables in tambons.items()
        }
        self.pages = 0
        self._digests: dict[str, str] = {}  # URL -> SHA-256 of its copy
        self._page_runs: set[str] = set()  # the runs of the page being copied

    def add(self, url: str, html: str) -> None:
        """The copy of the page at `url` (relative to the site root, e.g. tambon/800106/);
        none for the pages search leaves out (`NOT_INDEXED`)."""
        made = self.copy_of(url, html)
        if made is not None:
            self.write(url, made[0])

    def copy_of(self, url: str, html: str) -> tuple[bytes, list[str]] | None:
        """What `add` writes for the page, and the Thai runs it holds (for `reuse`)."""
        if url.startswith(NOT_INDEXED):
            return None
        self._page_runs = set()
        text = page_for_index(html, self.tokens_of, self.villages.get(url, "")).encode()
        return text, sorted(self._page_runs)

    def reuse(self, url: str, copy: bytes, runs: Iterable[str]) -> None:
        """Writes a copy an earlier build made of a page not rendered again (`copy_of`'s)."""
        for run in runs:
            self.tokens_of(run)  # kept for the next build, as if the page had been read
        self.write(url, copy)

    def write(self, url: str, copy: bytes) -> None:
        target = self.source / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(copy)
        self._digests[url] = hashlib.sha256(copy).hexdigest()
        self.pages += 1

    def digest(self) -> str:
        """What Pagefind will read (the URL and bytes of every copy): the index's one input."""
        whole = hashlib.sha256()
        for url in sorted(self._digests):
            whole.update(f"{len(url)}:{url}{self._digests[url]}".encode())
        return whole.hexdigest()

    def tokens_of(self, run: str) -> list[str]:
        self.used.add(run)
        self._page_runs.add(run)
        found = self.known.get(run)
        if found is None:
            if self._tokenize is None:
                self._tokenize = newmm_tokenizer(self.dictionary)
            found = self.known[run] = search_tokens(run, self._tokenize)
        return found

    def tokens_used(self) -> dict[str, list[str]]:
        """The tokens of the runs this build's pages hold: what the next build may reuse."""
        return {run: self.known[run] for run in sorted(self.used)}


Memo = Callable[[tuple, Callable[[], Any]], Any]


def write_index(
    site_dir: Path,
    copies: SearchCopies,
    tambons: Mapping[str, Mapping[str, Any]],
    memo: Memo | None = None,
) -> dict[str, int]:
    """Indexes the `copies` of the site's pages into site_dir/pagefind/ and removes them;
    writes the places list of `tambons` (by code). Returns counts: pages, places, and bytes of
    the index folder.

    With `memo` (a stage cache's), the index files are kept under the digest of the copies:
    the same copies give the same index (Pagefind's output is deterministic), so Pagefind
    runs only when a page's searchable text changed.
    """
    try:
        index = (memo or (lambda parts, compute: compute()))(
            ("pagefind", copies.digest()), lambda: index_files(copies.source)
        )
    finally:
        shutil.rmtree(copies.source, ignore_errors=True)
    for relative, data in index.items():
        target = site_dir / INDEX_DIR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    listed = places(tambons)
    places_path = site_dir / PLACES_FILE
    places_path.parent.mkdir(parents=True, exist_ok=True)
    places_path.write_text(
        json.dumps(listed, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return {
        "pages": copies.pages,
        "places": len(listed["places"]),
        "bytes": sum(f.stat().st_size for f in (site_dir / INDEX_DIR).rglob("*") if f.is_file()),
    }


def index_files(source: Path) -> dict[str, bytes]:
    """Pagefind's index of the copies in `source`: its files (path relative to the index
    folder -> bytes), without the parts of its bundle the site does not use."""
    out = source.with_name(source.name + "-index")  # beside the copies, not among them
    run_pagefind(source, out)
    try:
        _remove_unused_bundle_files(out)
        return {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file()
        }
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run_pagefind(source: Path, out: Path) -> None:
    """Pagefind's indexer (the binary in the pagefind-bin-extended wheel) over `source`.

    Its command line, not its Python service: the service reads one answer per 0.1 s, a
    minute for a few hundred files.
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(out)]
    command += ["--root-selector", ROOT_SELECTOR, "--force-language", INDEX_LANGUAGE, "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    # Smaller index chunks than Pagefind's 20,000 word positions: the search tokens make many
    # short words, and a query fetches the whole chunk its word falls in (133 KB gzip → 45 KB).
    env = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_POSITIONS)}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"pagefind failed ({done.returncode}): {done.stderr or done.stdout}")


def _remove_unused_bundle_files(bundle: Path) -> None:
    for path in bundle.iterdir():
        if UNUSED_BUNDLE_FILES.match(path.name):
            path.unlink()
