"""The knowledge section's pages (issue 13): the list of lessons and news (newest first, then by
tambon, by plan category and by partner), one page per article, and the lists a tambon's
profile and a partner's page show. Pure functions of the articles (`packages.articles`), the
tambons that have a profile and the partners' names; links relative to each page.

An article's text is markdown written by a data officer, and markdown passes HTML, attributes
and `javascript:` links through: it reaches the page as HTML rendered here and cleaned to an
allow-list (`articles.body_html`), whatever `tambon validate` said of it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, urls
from tambon_portal.core.formatting import thai_date
from tambon_portal.packages.articles import Article, body_html, newest_first
from tambon_portal.publish import knowledge as machine


def _href(root: str, article: Article) -> str:
    return root + urls.url_of(urls.article_path(article.slug))


def card(article: Article, root: str) -> dict[str, Any]:
    """What a list shows of an article: title, date in BE, summary, link."""
    return {
        "title": article.title,
        "href": _href(root, article),
        "date": article.date,
        "date_th": thai_date(article.date),
        # shown only when the article was edited after it was published
        "updated": article.updated if article.updated != article.date else "",
        "updated_th": thai_date(article.updated) if article.updated != article.date else "",
        "summary": article.text("summary"),
        "sample": article.sample,
    }


def _place(code: str, root: str, profiles: Collection[str]) -> dict[str, Any]:
    """A tambon by name, linked to its profile where the portal has one."""
    place = gazetteer.tambon(code)
    district = gazetteer.district(code[:4])
    return {
        "code": code, "name_th": f"ตำบล{place.name_th}" if place else code,
        "district_th": f"อ.{district.name_th}" if district else "",
        "href": root + urls.url_of(urls.tambon_path(code)) if code in profiles else "",
    }  # fmt: skip


def _tambons(article: Article, root: str, profiles: Collection[str]) -> list[dict[str, Any]]:
    return [_place(code, root, profiles) for code in article.items("tambons")]


def _partners(ids: Sequence[str], root: str, names: Mapping[str, str]) -> list[dict[str, str]]:
    """Partner ids (or organisations' names) with their names, linked to their page."""
    return [
        {"name_th": names.get(i, i),
         "href": root + urls.url_of(urls.partner_path(i)) if i in names else ""}
        for i in ids
    ]  # fmt: skip


def _categories(article: Article, root: str) -> list[dict[str, str]]:
    index = root + urls.url_of(urls.KNOWLEDGE_PATH)
    return [
        {
            "th": cl.label(cl.STRATEGIC_CATEGORIES, c),
            "href": index + "#" + urls.knowledge_group("topic", c),
        }
        for c in article.items("categories")
    ]


def article_context(
    article: Article, meta: Mapping[str, Any], profiles: Collection[str],
    partner_names: Mapping[str, str], permanent_url: str | None = None,
    jsonld: Markup | str = "",
) -> dict[str, Any]:  # fmt: skip
    """One article's page."""
    path = urls.article_path(article.slug)
    root = urls.root_of(path)
    licence = machine.licence_of(article)
    return {
        "path": path,
        "root": root,
        "meta": meta,
        "article": card(article, root),
        "title_en": article.text("title_en"),
        "authors": _partners(article.items("authors"), root, partner_names),
        "tambons": _tambons(article, root, profiles),
        "categories": _categories(article, root),
        "partners": _partners(article.items("partners"), root, partner_names),
        # trusted: rendered and cleaned to an allow-list (`articles.body_html`); its photographs
        # are copied under the section's folder
        "body": Markup(body_html(article.body, root + urls.url_of(urls.KNOWLEDGE_PATH))),
        "licence": licence,
        "permanent_url": permanent_url,
        "jsonld": jsonld,
        "list_href": root + urls.url_of(urls.KNOWLEDGE_PATH),
    }


def index_context(
    articles: Sequence[Article], meta: Mapping[str, Any], profiles: Collection[str],
    partner_names: Mapping[str, str],
) -> dict[str, Any]:  # fmt: skip
    """The section's list: every article newest first, then grouped by tambon (by district),
    by plan category and by partner (authors included)."""
    root = urls.root_of(urls.KNOWLEDGE_PATH)
    ordered = newest_first(list(articles))
    rows = []
    for article in ordered:
        rows.append({**card(article, root), "tambons": _tambons(article, root, profiles),
                     "categories": _categories(article, root)})  # fmt: skip
    codes = sorted({c for a in ordered for c in a.items("tambons")})
    by_tambon = [
        {**_place(c, root, profiles), "anchor": urls.knowledge_group("tambon", c),
         "articles": [card(a, root) for a in ordered if c in a.items("tambons")]}
        for c in codes
    ]  # fmt: skip
    by_topic = [
        {"th": t.th, "en": t.en, "anchor": urls.knowledge_group("topic", t.code),
         "articles": [card(a, root) for a in ordered if t.code in a.items("categories")]}
        for t in cl.STRATEGIC_CATEGORIES
    ]  # fmt: skip
    ids = sorted({i for a in ordered for i in mentioned_partners(a) if i in partner_names})
    by_partner = [
        {"name_th": partner_names[i], "anchor": urls.knowledge_group("partner", i),
         "href": root + urls.url_of(urls.partner_path(i)),
         "articles": [card(a, root) for a in ordered if i in mentioned_partners(a)]}
        for i in ids
    ]  # fmt: skip
    return {
        "path": urls.KNOWLEDGE_PATH,
        "root": root,
        "meta": meta,
        "articles": rows,
        "by_tambon": by_tambon,
        "by_topic": [t for t in by_topic if t["articles"]],
        "by_partner": by_partner,
        "feed_href": root + urls.KNOWLEDGE_FEED,
    }


def mentioned_partners(article: Article) -> list[str]:
    """The partners an article is about or by."""
    return list(dict.fromkeys(article.items("partners") + article.items("authors")))


def of_tambon(articles: Sequence[Article], code: str, root: str) -> list[dict[str, Any]]:
    """The articles a tambon's profile lists, newest first."""
    return [card(a, root) for a in newest_first(list(articles)) if code in a.items("tambons")]


def of_partner(articles: Sequence[Article], partner_id: str, root: str) -> list[dict[str, Any]]:
    """The articles a partner's page lists: those about it or by it, newest first."""
    return [card(a, root) for a in newest_first(list(articles))
            if partner_id in mentioned_partners(a)]  # fmt: skip
