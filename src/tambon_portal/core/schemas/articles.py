"""Knowledge articles (issue 13): lessons and news, kept as markdown files beside the packages
(`<data>/knowledge/2568-10-rubber-coop.md`), each opening with a YAML front matter between two
`---` lines. The fields of that front matter are defined here once: the reader
(`packages.articles`), the checks (`checks.article_checks`), the pages, the feed, the catalog
and the data officers' docs (docs/publishing.md, held to this table by a test) all read them
from here.

An article's file name without `.md` is its slug: its page is /knowledge/<slug>/. Photographs
sit beside the articles (`knowledge/images/...`) and are shown with markdown's
`![caption](images/x.jpg)`; the caption is scanned for personal data like the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from tambon_portal.core.schemas.partners import PARTNER_ID

KNOWLEDGE_DIR = "knowledge"  # under the data folder
SUFFIX = ".md"
# What a photograph may be: formats a browser shows without a script (no SVG: it can run one).
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
TITLE_MAX = 200
SUMMARY_MAX = 500


@dataclass(frozen=True)
class FrontField:
    """One field of an article's front matter."""

    name: str
    kind: str  # text, date, list, licence or flag (how the checks read it)
    required: bool
    title_th: str
    description: str


FIELDS: tuple[FrontField, ...] = (
    FrontField("title", "text", True, "ชื่อเรื่อง",
               f"The title, in Thai (at most {TITLE_MAX} characters)"),
    FrontField("title_en", "text", False, "ชื่อเรื่อง (อังกฤษ)", "The title in English"),
    FrontField("date", "date", True, "วันที่",
               "Date of the article, stored in CE as YYYY-MM-DD (2025-10-15); pages show it in BE"),
    FrontField("updated", "date", False, "วันที่ปรับปรุง",
               "Date of its last real edit (CE, YYYY-MM-DD), not before `date`; the feed and"
               " the page show it (without it: `date`)"),
    FrontField("authors", "list", True, "ผู้เขียน",
               "Organisations that wrote it: partner ids of the partners package (linked to their"
               " page) or names of organisations; never a person's name"),
    FrontField("summary", "text", False, "สรุป",
               "One or two sentences for the lists, the feed and the catalog"
               f" (at most {SUMMARY_MAX} characters)"),
    FrontField("tambons", "list", False, "ตำบล", "6-digit codes of the tambons it is about"),
    FrontField("categories", "list", False, "หมวดแผน",
               "Plan categories it is about (the codes of the plan's strategic categories)"),
    FrontField("partners", "list", False, "ภาคี", "Partner ids of the partners it is about"),
    FrontField("licence", "licence", True, "สัญญาอนุญาต", "SPDX id of its licence, e.g. CC-BY-4.0"),
    FrontField("sample", "flag", False, "เรื่องตัวอย่าง",
               "true for an invented article (the pages say so)"),
)  # fmt: skip
BY_NAME = {f.name: f for f in FIELDS}
REQUIRED = tuple(f.name for f in FIELDS if f.required)
# An author written as a partner id (`partners.PARTNER_ID`) is a partner's: it must be listed.
AUTHOR_IS_PARTNER = PARTNER_ID
