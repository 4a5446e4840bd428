"""Reading the knowledge articles (`core.schemas.articles`): every `<data>/knowledge/*.md`, its
YAML front matter and its markdown body, with the line of each front-matter field so that a
problem points at it (file:line:field, as the data's problems do).

What cannot be read (not UTF-8, no front matter, broken YAML, a linked file) is a problem, not
an exception; what the fields mean is `checks.article_checks`'.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import nh3
import yaml

from tambon_portal.core.problems import Problem
from tambon_portal.core.schemas import articles as schema
from tambon_portal.packages.file_store import FileStore, TooLarge

PACKAGE = "knowledge"  # what a problem of an article names as its package
FENCE = "---"
MAX_BYTES = 1_000_000  # an article is text: a megabyte is a mistake (a photo saved as .md)
NOT_ARTICLES = frozenset({"readme.md"})  # a note about the folder, not an article


@dataclass(frozen=True)
class Article:
    slug: str  # its file name without .md: its page's address
    file: str  # relative to the data folder, "/"-separated
    front: dict[str, Any]  # the front matter as YAML reads it
    lines: dict[str, int]  # front-matter field -> its line in the file
    body: str  # the markdown after the front matter
    body_line: int  # the file's line of the body's first line
    path: Path = field(compare=False, repr=False)  # the file on disk

    def text(self, name: str) -> str:
        value = self.front.get(name)
        return value.strip() if isinstance(value, str) else ""

    def items(self, name: str) -> list[str]:
        """A list field's items as text (`as_list`)."""
        return as_list(self.front.get(name))

    @property
    def title(self) -> str:
        return self.text("title") or self.slug

    @property
    def date(self) -> str:
        """Its date as stored (CE, YYYY-MM-DD)."""
        return str(self.front.get("date") or "")[:10]

    @property
    def updated(self) -> str:
        """Its last edit as stored (CE, YYYY-MM-DD): `updated`, else its date."""
        return str(self.front.get("updated") or "")[:10] or self.date

    @property
    def sample(self) -> bool:
        return self.front.get("sample") is True


def as_list(value: Any) -> list[str]:
    """A list field's items as text; one value alone is taken as a list of one."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in items if str(item).strip()]


def newest_first(articles: list[Article]) -> list[Article]:
    """By date, newest first; one day's by file name."""
    by_name = sorted(articles, key=lambda a: a.slug)
    return sorted(by_name, key=lambda a: a.date, reverse=True)


def knowledge_folder(root: Path) -> Path:
    return Path(root) / schema.KNOWLEDGE_DIR


def article_files(root: Path) -> list[Path]:
    """The articles' files under `root`, by name (none without a knowledge folder)."""
    folder = knowledge_folder(root)
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix == schema.SUFFIX
        and p.name.lower() not in NOT_ARTICLES
        and not p.name.startswith(".")
    )


def _problem(
    file: str, line: int | None, field_name: str | None, code: str, message: str
) -> Problem:
    return Problem(PACKAGE, None, file, line, field_name, code, message)


def _field_lines(text: str) -> dict[str, int]:
    """Top-level key -> its line (1 = the opening ---), from YAML's own parse."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 2 for k, _ in node.value}


def _dates_as_text(front: dict[str, Any]) -> dict[str, Any]:
    """YAML reads `2025-10-15` as a date: kept as the text it was, so a check sees one kind."""
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in front.items()}


def parse(text: str, file: str, path: Path) -> tuple[Article | None, list[Problem]]:
    """One article's text; None and the problem when its front matter cannot be read."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        return None, [
            _problem(
                file,
                1,
                None,
                "article-front-matter",
                "an article starts with a front matter: a line '---', the fields"
                " (title:, date:, ...), then another '---'",
            )
        ]
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if closing is None:
        return None, [
            _problem(
                file,
                1,
                None,
                "article-front-matter",
                "the front matter is not closed: add a line '---' after its fields",
            )
        ]
    head = "\n".join(lines[1:closing])
    try:
        front = yaml.safe_load(head) if head.strip() else {}
        field_lines = _field_lines(head) if head.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(error, "problem", None) or "not YAML"
        return None, [
            _problem(
                file,
                line,
                None,
                "article-front-matter",
                f"the front matter is not valid YAML ({reason}): write each field"
                " as 'name: value' and lists as [a, b]",
            )
        ]
    except (ValueError, RecursionError) as error:  # an impossible date (2025-13-01), deep nesting
        return None, [_problem(file, 2, None, "article-front-matter",
                               f"the front matter cannot be read ({str(error)[:80]}): dates are"
                               " YYYY-MM-DD in CE, fields 'name: value'")]  # fmt: skip
    if not isinstance(front, dict):
        return None, [
            _problem(
                file,
                2,
                None,
                "article-front-matter",
                "the front matter must be fields ('name: value'), one per line",
            )
        ]
    slug = Path(file).stem
    body = "\n".join(lines[closing + 1 :])
    article = Article(
        slug,
        file,
        _dates_as_text({str(k): v for k, v in front.items()}),
        field_lines,
        body,
        closing + 2,
        path,
    )
    return article, []


def read_articles(
    root: Path, store: FileStore | None = None
) -> tuple[list[Article], list[Problem]]:
    """Every article under `root`/knowledge, and the problems of those that cannot be read."""
    store = store or FileStore()
    root = Path(root)
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in article_files(root):
        file = path.relative_to(root).as_posix()
        if path.is_symlink() or not path.is_file():
            problems.append(
                _problem(
                    file,
                    None,
                    None,
                    "article-unsafe-path",
                    "an article is a file of the data folder, not a link (it"
                    " may lead outside the data): copy the file in",
                )
            )
            continue
        try:
            raw = store.read(path, limit=MAX_BYTES)
        except TooLarge:
            problems.append(
                _problem(
                    file,
                    None,
                    None,
                    "article-too-large",
                    f"larger than {MAX_BYTES:,} bytes: an article is text;"
                    " photographs go in knowledge/images/",
                )
            )
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            problems.append(
                _problem(
                    file,
                    line,
                    None,
                    "article-encoding",
                    "not UTF-8 text (saved as TIS-620/cp874?): save it as UTF-8",
                )
            )
            continue
        article, found = parse(text.replace("\r\n", "\n"), file, path)
        problems += found
        if article is not None:
            articles.append(article)
    return articles, problems


# --- the text as published --------------------------------------------------------------------

# What an article's HTML may hold: markdown's own elements. No attributes but links', images'
# and headings' ids; no script, style or event handler; links to http(s), mailto or relative.
TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "img", "strong", "em",
                  "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "hr",
                  "br"})  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
              **{f"h{n}": {"id"} for n in range(2, 7)}}  # fmt: skip
URL_SCHEMES = frozenset({"http", "https", "mailto"})
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
BLOCK = re.compile(r"<(p|h[2-6]|li|td|th|blockquote)\b[^>]*>(.*?)</\1>", re.S)
INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


def rendered(body: str) -> str:
    """The body as markdown makes it (tables, heading ids), before it is cleaned."""
    return markdown.markdown(body, extensions=["tables", "sane_lists", "toc"])


def image_sources(text: str) -> list[str]:
    """Every image's src in rendered HTML, entities decoded (inline and by reference)."""
    return [html.unescape(m) for m in re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', text)]


def link_targets(text: str) -> list[str]:
    """Every link's href in rendered HTML, entities decoded."""
    return [html.unescape(m) for m in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', text)]


def body_html(body: str, image_prefix: str) -> str:
    """The body as its page shows it: rendered, then cleaned to `TAGS` and `ATTRIBUTES`; an
    image beside the article gets `image_prefix` (its page is a folder deeper), one from
    another site is dropped. One HTML block: no blank line (which would end it in markdown)."""

    def attribute(element: str, name: str, value: str) -> str | None:
        if element == "img" and name == "src":
            return None if SCHEME.match(value) else image_prefix + value
        return value

    cleaned = nh3.clean(rendered(body), tags=set(TAGS), attributes=ATTRIBUTES,
                        url_schemes=set(URL_SCHEMES), attribute_filter=attribute)  # fmt: skip
    return "\n".join(line for line in cleaned.splitlines() if line.strip())


def plain_blocks(body: str) -> list[str]:
    """The text of each paragraph, heading, list item and cell as a reader sees it (markup
    gone, entities decoded, invisible characters removed), for the personal-data scan: a name
    or a number broken over source lines or by markup is whole here."""
    blocks = []
    for _, inner in BLOCK.findall(rendered(body)):
        text = html.unescape(re.sub(r"<[^>]+>", "", inner))
        blocks.append(" ".join(INVISIBLE.sub("", text).split()))
    return [b for b in blocks if b]
