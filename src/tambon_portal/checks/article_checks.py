"""Step 10 of `tambon validate`: the knowledge articles (`core.schemas.articles`), validated like
data, each problem at its file, line and field.

- the front matter: every required field there, no unknown field (a typo would be lost), a date
  in CE (a BE year is caught: 2568-10-15), tambon codes the gazetteer knows, partner ids the
  partners packages list, plan category codes, a known licence, organisations as authors;
- the text: no raw HTML (a page would run it), links only to http(s), mailto or relative
  addresses, photographs kept beside the articles (no page loads from another site) in a
  format a browser shows without a script;
- personal data: every detector of the privacy scan (ID numbers, phone numbers, e-mail, a
  person's name, house numbers, ...) over the title, summary, authors, every line of the text
  and every photograph's caption.
"""

from __future__ import annotations

import datetime
import re
import urllib.parse
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from tambon_portal.checks import privacy_detectors
from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, licences, photos, settings, urls
from tambon_portal.core.problems import Problem
from tambon_portal.core.schemas import articles as schema
from tambon_portal.packages import articles as reader
from tambon_portal.packages import descriptor_reader, discovery, table_reader
from tambon_portal.packages.articles import Article
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore

# A tag's opening (<div, </p, <!--, <?php): markdown would pass it to the page as HTML.
HTML_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*[\s/>]|/[A-Za-z]|!--|\?)")
# ![caption](target "title"), and [text](target) not preceded by "!".
IMAGE = re.compile(r'!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"([^"]*)")?\s*\)')
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # not the week dates fromisoformat also reads
BE_YEARS = 2400  # a year past this is a Buddhist Era year written where CE belongs


def _problem(
    article: Article, line: int | None, field: str | None, code: str, message: str
) -> Problem:
    return Problem(reader.PACKAGE, None, article.file, line, field, code, message)


# --- the front matter ------------------------------------------------------------------------


def _field_problems(article: Article) -> Iterator[Problem]:
    """Missing, unknown and mistyped fields."""
    known = ", ".join(f.name for f in schema.FIELDS)
    for name in article.front:
        if name not in schema.BY_NAME:
            yield _problem(
                article,
                article.lines.get(name),
                name,
                "article-unknown-field",
                f"unknown field '{name}' (a typo?); the fields are {known}",
            )
    for spec in schema.FIELDS:
        value = article.front.get(spec.name)
        line = article.lines.get(spec.name)
        if value is None or value == "" or value == []:
            if spec.required:
                yield _problem(
                    article,
                    line or 1,
                    spec.name,
                    "article-missing-field",
                    f"'{spec.name}' ({spec.title_th}) is required: {spec.description}",
                )
            continue
        if spec.kind in ("text", "licence") and not isinstance(value, str):
            expected = "one SPDX id (text), e.g. CC-BY-4.0" if spec.kind == "licence" else "text"
            yield _problem(
                article,
                line,
                spec.name,
                "article-bad-value",
                f"'{spec.name}' must be {expected}, not {type(value).__name__}",
            )
        elif spec.kind == "list" and spec.required and not article.items(spec.name):
            yield _problem(
                article,
                line,
                spec.name,
                "article-missing-field",
                f"'{spec.name}' ({spec.title_th}) is required: {spec.description}",
            )
        elif spec.kind == "flag" and not isinstance(value, bool):
            yield _problem(
                article, line, spec.name, "article-bad-value", f"'{spec.name}' is true or false"
            )
    for name, limit in (("title", schema.TITLE_MAX), ("summary", schema.SUMMARY_MAX)):
        value = article.front.get(name)
        if isinstance(value, str) and len(value) > limit:
            yield _problem(
                article,
                article.lines.get(name),
                name,
                "article-bad-value",
                f"'{name}' has {len(value)} characters; at most {limit}",
            )


def article_date(article: Article, name: str = "date") -> datetime.date | None:
    """The article's date field `name` (CE), None when it is missing or not a date."""
    try:
        return datetime.date.fromisoformat(str(article.front.get(name) or "")[:10])
    except ValueError:
        return None


DATE_FIELDS = tuple(f.name for f in schema.FIELDS if f.kind == "date")


def _date_problems(article: Article) -> Iterator[Problem]:
    for name in DATE_FIELDS:
        yield from _one_date_problems(article, name)
    published, updated = article_date(article), article_date(article, "updated")
    if published and updated and updated < published:
        yield _problem(
            article,
            article.lines.get("updated"),
            "updated",
            "article-updated-before-date",
            f"updated {updated.isoformat()} is before the article's date"
            f" {published.isoformat()}: an edit comes after the article",
        )


def _one_date_problems(article: Article, name: str) -> Iterator[Problem]:
    value = article.front.get(name)
    if value in (None, ""):
        return  # reported as missing where it is required
    line = article.lines.get(name)
    when = article_date(article, name)
    if when is None or not ISO_DATE.match(str(value)):
        yield _problem(
            article,
            line,
            name,
            "article-bad-date",
            f"'{value}' is not a date: write it in CE as YYYY-MM-DD (2025-10-15)",
        )
    elif when.year > BE_YEARS:
        ce = when.year - settings.BE_OFFSET
        yield _problem(
            article,
            line,
            name,
            "article-be-date",
            f"{value} is a Buddhist Era date: store it in CE ({ce}{str(value)[4:]});"
            " pages show it in BE",
        )


def _code_problems(article: Article, partner_ids: Collection[str] | None) -> Iterator[Problem]:
    """Tambons, categories, partners and the licence against what they name."""
    for code in article.items("tambons"):
        if gazetteer.tambon(code) is None:
            yield _problem(
                article,
                article.lines.get("tambons"),
                "tambons",
                "article-unknown-tambon",
                f"'{code}' is not a tambon code of the gazetteer (6 digits, e.g. 800106)",
            )
    categories = cl.codes(cl.STRATEGIC_CATEGORIES)
    for code in article.items("categories"):
        if code not in categories:
            yield _problem(
                article,
                article.lines.get("categories"),
                "categories",
                "article-unknown-category",
                f"'{code}' is not a plan category; the categories are {', '.join(categories)}",
            )
    if partner_ids is not None:
        for name in ("partners", "authors"):
            for item in article.items(name):
                if (name == "partners" or re.match(schema.AUTHOR_IS_PARTNER, item)) and (
                    item not in partner_ids
                ):
                    yield _problem(
                        article,
                        article.lines.get(name),
                        name,
                        "article-unknown-partner",
                        f"'{item}' is not a partner id of the partners package: add"
                        " the partner there, or correct the id",
                    )
    licence = article.front.get("licence")
    if isinstance(licence, str) and licence.strip().upper() not in licences.KNOWN:
        yield _problem(
            article,
            article.lines.get("licence"),
            "licence",
            "article-unknown-licence",
            f"'{licence}' is not a licence this portal knows; give an SPDX id:"
            f" {', '.join(licences.KNOWN)}",
        )


# --- the text --------------------------------------------------------------------------------


def body_lines(article: Article) -> Iterator[tuple[int, str]]:
    """(line in the file, text) of every line of the body."""
    for offset, text in enumerate(article.body.split("\n")):
        yield article.body_line + offset, text


def _line_of(article: Article, needle: str) -> int:
    """The first line of the body that has `needle` (the body's first line if none has)."""
    return next(
        (line for line, text in body_lines(article) if needle and needle in text), article.body_line
    )


def _rendered_problems(article: Article, store: FileStore) -> Iterator[Problem]:
    """Links and photographs as markdown renders them (inline, by reference, over several
    lines, with entities): the page's cleaner drops the unsafe ones, the officer is told."""
    text = reader.rendered(article.body)
    for target in reader.link_targets(text):
        scheme = SCHEME.match(re.sub(r"[\x00-\x20]", "", target))
        if scheme and scheme.group(1).lower() not in reader.URL_SCHEMES:
            yield _problem(
                article,
                _line_of(article, target),
                "body",
                "article-unsafe-link",
                f"a link to '{target}': links go to http(s), mailto or a relative address",
            )
    for target in reader.image_sources(text):
        yield from _image_problems(article, _line_of(article, target), target, store)


def image_targets(article: Article) -> list[str]:
    """The paths of the photographs its text shows, as written (inline or by reference)."""
    return reader.image_sources(reader.rendered(article.body))


def image_file(article: Article, target: str) -> Path | None:
    """The photograph a body's image names, when it is a file inside the knowledge folder."""
    folder = article.path.parent.resolve()
    # a browser asks for images/%E0%B8%A0.jpg as the file images/ภ.jpg
    path = (article.path.parent / urllib.parse.unquote(target)).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    return path


def _image_problems(article: Article, line: int, target: str, store: FileStore
                    ) -> Iterator[Problem]:  # fmt: skip
    if SCHEME.match(target) or target.startswith("//"):
        yield _problem(
            article,
            line,
            "image",
            "article-remote-image",
            f"the photograph '{target}' is on another site: keep it beside the"
            " article (knowledge/images/) — no page loads from another site",
        )
        return
    # its file name is published too (the page's address of the photograph)
    name = re.sub(r"[-_.]+", " ", urllib.parse.unquote(Path(target).stem))
    yield from _findings(article, line, "image", name)
    known_type = Path(target).suffix.lower() in schema.IMAGE_SUFFIXES
    if not known_type:
        yield _problem(
            article,
            line,
            "image",
            "article-image-type",
            f"'{target}': a photograph is {', '.join(schema.IMAGE_SUFFIXES)}",
        )
    unlinked = (article.path.parent / urllib.parse.unquote(target)).absolute()
    found = image_file(article, target)
    if found is None or unlinked.is_symlink():
        yield _problem(
            article,
            line,
            "image",
            "article-missing-image",
            f"'{target}' is not a file inside the knowledge folder (paths are"
            " relative to the article, e.g. images/photo.jpg)",
        )
        return
    if not known_type:
        return
    try:  # the build copies it without its metadata (GPS, names): it must be readable
        photos.without_metadata(store.read(found))
    except (photos.NotAPhoto, OSError) as error:
        yield _problem(
            article,
            line,
            "image",
            "article-image-unreadable",
            f"'{target}' cannot be read as a photograph ({error}); save it again as JPEG,"
            " PNG or WebP",
        )


def _findings(article: Article, line: int | None, field: str, text: str) -> Iterator[Problem]:
    for code, message in privacy_detectors.text_findings(text):
        yield _problem(article, line, field, code, message)


def _text_problems(article: Article) -> Iterator[Problem]:
    if not article.body.strip():
        yield _problem(
            article,
            article.body_line,
            "body",
            "article-empty",
            "the article has no text after its front matter",
        )
    for name in ("title", "title_en", "summary"):
        value = article.front.get(name)
        if isinstance(value, str):
            yield from _findings(article, article.lines.get(name), name, value)
    for author in article.items("authors"):
        if not re.match(schema.AUTHOR_IS_PARTNER, author):
            found = list(_findings(article, article.lines.get("authors"), "authors", author))
            yield from found
            if not found and privacy_detectors.is_untitled_thai_name(author):
                yield _problem(
                    article,
                    article.lines.get("authors"),
                    "authors",
                    "person-name",
                    f"'{author}' looks like a person's name (a given name and a"
                    " surname); authors are organisations: give its name or"
                    " partner id",
                )
    seen: set[tuple[str, str]] = set()
    for line, text in body_lines(article):
        for match in IMAGE.finditer(text):
            caption = " ".join(part for part in (match.group(1), match.group(3)) if part)
            yield from _findings(article, line, "caption", caption)
        rest = IMAGE.sub(" ", text)
        for problem in _findings(article, line, "body", rest):
            seen.add((problem.code, problem.message))
            yield problem
        if HTML_TAG.search(rest):
            yield _problem(
                article,
                line,
                "body",
                "article-html",
                "raw HTML in an article (the page would run it): write markdown",
            )
    # What only the text as read shows: a name or number broken over lines or by markup.
    for block in reader.plain_blocks(article.body):
        for problem in _findings(article, _line_of(article, block[:12]), "body", block):
            if (problem.code, problem.message) not in seen:
                seen.add((problem.code, problem.message))
                yield problem


def check_article(article: Article, partner_ids: Collection[str] | None,
                  store: FileStore | None = None) -> list[Problem]:  # fmt: skip
    """Every problem of one article; `partner_ids`: those of the partners packages (None: not
    known, when a partners package is broken: its own problems say so); `store` reads its
    photographs (the build's, so the copy does not read them again)."""
    problems: list[Problem] = []
    if urls.slug(article.slug) != article.slug:
        problems.append(
            _problem(
                article,
                None,
                None,
                "article-file-name",
                f"'{article.slug}.md': the file name is the page's address:"
                f" lowercase a-z, 0-9 and '-' (e.g. {urls.slug(article.slug)}.md)",
            )
        )
    problems += _field_problems(article)
    problems += _date_problems(article)
    problems += _code_problems(article, partner_ids)
    problems += _text_problems(article)
    problems += _rendered_problems(article, store or FileStore())
    return problems


# --- the tree --------------------------------------------------------------------------------


def partner_ids(refs: Sequence[PackageRef], store: FileStore) -> set[str] | None:
    """Every partner id the partners packages among `refs` list; None when one cannot be read."""
    ids: set[str] = set()
    for ref in refs:
        if ref.kind != "generic" or ref.descriptor_pickle is None:
            continue
        resources = discovery.descriptor_of(ref).get("resources") or []
        if "partners" not in {r.get("name") for r in resources if isinstance(r, dict)}:
            continue
        try:
            partners = table_reader.load_tables(ref, store, ["partners"])["partners"]
        except (descriptor_reader.PackageError, KeyError, ValueError):
            return None
        ids |= set(partners["partner_id"].dropna().astype(str))
    return ids


def in_scope(article: Article, provinces: Collection[str]) -> bool:
    """Whether a portal of `provinces` shows the article: it names no tambon (it is about the
    partnership), or one of those provinces'."""
    codes = article.items("tambons")
    return not codes or any(code[:2] in provinces for code in codes)


def scoped(articles: Sequence[Article], refs: Sequence[PackageRef]) -> list[Article]:
    """The articles of the portal of `refs`' tambons (`in_scope`)."""
    provinces = {str(r.tambon_code)[:2] for r in refs if r.kind == "tambon" and r.tambon_code}
    return [a for a in articles if in_scope(a, provinces)]


def tree_problems(refs: Sequence[PackageRef], root: Path, store: FileStore) -> list[Problem]:
    """Every problem of the articles in the data folder `root` that the portal of `refs` shows."""
    articles, problems = reader.read_articles(root, store)
    ids = partner_ids(refs, store)
    for article in scoped(articles, refs):
        problems += check_article(article, ids, store)
    return problems
