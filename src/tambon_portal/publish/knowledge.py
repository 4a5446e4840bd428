"""The knowledge articles for machines (issue 13): each article's schema.org Article, their
entries in the DCAT catalog (documents: `dcat:Resource`, `foaf:Document`, `schema:CreativeWork`)
and their Atom feed (knowledge/feed.xml). Pure: every date comes from the articles.

Addresses are permanent (`<site_url>/<version>/knowledge/<slug>/`); an entry's Atom id is a
tag URI of the site's host, the article's date and its slug, so that a reader of the feed
sees one article once over every release.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, licences, urls
from tambon_portal.core.scope import Scope
from tambon_portal.packages.articles import Article, newest_first

FEED_TITLE = "บทเรียนและข่าว (lessons and news)"


def author_names(article: Article, partner_names: Mapping[str, str]) -> list[str]:
    """Its authors as names: a partner id gives the partner's name."""
    return [partner_names.get(a, a) for a in article.items("authors")]


def licence_of(article: Article) -> dict[str, Any]:
    return licences.complete({"name": article.text("licence").upper()})


def page_url(site_url: str, version: str, article: Article) -> str:
    return urls.permanent_url(site_url, version, urls.url_of(urls.article_path(article.slug)))


def tag_id(site_url: str, article: Article) -> str:
    """The article's Atom id (RFC 4151 tag URI): the same in every release."""
    host = urlsplit(site_url).hostname or "tambon-portal.invalid"
    return f"tag:{host},{article.date}:{urls.url_of(urls.article_path(article.slug))}"


def _places(article: Article) -> list[dict[str, str]]:
    found = [(c, gazetteer.tambon(c)) for c in article.items("tambons")]
    return [{"@type": "Place", "name": f"ตำบล{p.name_th}", "identifier": c} for c, p in found if p]


def schema_org_article(
    article: Article, url: str | None, partner_names: Mapping[str, str]
) -> dict[str, Any]:
    """The schema.org Article (a CreativeWork) an article's page embeds; `url`: its permanent
    address, None while the site has none."""
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "datePublished": article.date,
        "dateModified": article.updated,
        "inLanguage": "th",
        "author": [{"@type": "Organization", "name": n}
                   for n in author_names(article, partner_names)],
        "license": licence_of(article)["path"],
        "isAccessibleForFree": True,
        "keywords": [cl.label(cl.STRATEGIC_CATEGORIES, c) for c in article.items("categories")],
    }  # fmt: skip
    if article.text("title_en"):
        node["alternativeHeadline"] = article.text("title_en")
    if article.text("summary"):
        node["description"] = article.text("summary")
    if places := _places(article):
        node["spatialCoverage"] = places
    if url:
        node["url"] = url
    return node


def dcat_resources(
    articles: Sequence[Article], site_url: str, version: str, partner_names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The catalog's documents: one per article, newest first (`catalog.dcat_catalog`)."""
    resources = []
    for article in newest_first(list(articles)):
        url = page_url(site_url, version, article)
        entry: dict[str, Any] = {
            "@id": url,
            "@type": ["dcat:Resource", "foaf:Document", "schema:CreativeWork"],
            "dct:title": [{"@language": "th", "@value": article.title}],
            "dct:issued": {"@type": "xsd:date", "@value": article.date},
            "dct:creator": [{"@type": "foaf:Organization", "foaf:name": n}
                            for n in author_names(article, partner_names)],
            "dct:license": {"@id": licence_of(article)["path"]},
            "dct:language": {"@id": "http://id.loc.gov/vocabulary/iso639-1/th"},
            "dcat:landingPage": {"@id": url},
            "dcat:keyword": [cl.label(cl.STRATEGIC_CATEGORIES, c)
                             for c in article.items("categories")],
        }  # fmt: skip
        if article.text("title_en"):
            entry["dct:title"].append({"@language": "en", "@value": article.text("title_en")})
        if article.text("summary"):
            entry["dct:description"] = article.text("summary")
        if places := _places(article):
            entry["dct:spatial"] = [{"@type": "dct:Location", "rdfs:label": p["name"]}
                                    for p in places]  # fmt: skip
        resources.append(entry)
    return resources


def _when(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def atom_feed(
    articles: Sequence[Article], site_url: str, version: str, partner_names: Mapping[str, str],
    area: Scope,
) -> bytes:  # fmt: skip
    """knowledge/feed.xml: one entry per article, newest first (the same bytes for the same
    articles: no date from the clock)."""
    from feedgen.feed import FeedGenerator

    ordered = newest_first(list(articles))
    index = urls.permanent_url(site_url, version, urls.url_of(urls.KNOWLEDGE_PATH))
    fg = FeedGenerator()
    fg.id(index)
    fg.title(f"{FEED_TITLE} · {area.area_th}")
    fg.subtitle("บทเรียนและข่าวของภาคีเครือข่าย / Lessons and news of the partnership")
    fg.link(href=index, rel="alternate")
    fg.link(href=urls.permanent_url(site_url, version, urls.KNOWLEDGE_FEED), rel="self")
    fg.language("th")
    fg.author({"name": f"ภาคีเครือข่าย{area.area_th}"})
    latest = max((a.updated for a in ordered), default="")
    fg.updated(_when(latest) if latest else datetime(1970, 1, 1, tzinfo=UTC))
    for article in reversed(ordered):  # feedgen puts the last added first
        entry = fg.add_entry()
        entry.id(tag_id(site_url, article))
        entry.title(article.title)
        entry.link(href=page_url(site_url, version, article), rel="alternate")
        entry.published(_when(article.date))
        entry.updated(_when(article.updated))
        for name in author_names(article, partner_names):
            entry.author({"name": name})
        if article.text("summary"):
            entry.summary(article.text("summary"))
        entry.rights(licence_of(article)["title"])
        for code in article.items("categories"):
            entry.category(term=code, label=cl.label(cl.STRATEGIC_CATEGORIES, code))
    return fg.atom_str(pretty=True)
