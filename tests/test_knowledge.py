"""Knowledge articles (issue 13): read from <data>/knowledge/, validated like data (file, line,
field), the sample's reproducible and valid."""

from __future__ import annotations

import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tambon_portal import cli
from tambon_portal.authoring import pilot, sample_knowledge, sample_partners
from tambon_portal.checks import article_checks, validate
from tambon_portal.core import scope
from tambon_portal.core.schemas import articles as schema
from tambon_portal.packages import articles, discovery, writer
from tambon_portal.publish import knowledge
from tambon_portal.site import knowledge_pages

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "datapackages"
CODE = "800106"
PHOTO = REPO / "tests" / "fixtures" / "photos" / "phone.jpg"  # a real JPEG, with GPS
ATOM = "{http://www.w3.org/2005/Atom}"
GOOD = """---
title: กลุ่มออมทรัพย์ตำบลท่าไร่
date: 2025-10-15
authors: [council-800106]
tambons: ['800106']
categories: [debt]
partners: [lg-800106]
licence: CC-BY-4.0
---

## เรื่องเล่า

กลุ่มออมทรัพย์ของตำบลรวมเงินได้มากขึ้น
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The pilot's Tha Rai with the province's partners package, and no article yet."""
    shutil.copytree(DATA / "80" / CODE, tmp_path / "80" / CODE)
    frames = pilot.skeleton_frames(CODE)
    plan = {name: frames[name] for name in sample_partners.PLAN_TABLES}
    files = sample_partners.package_files({CODE: plan}, "80")
    writer.write_files(tmp_path / "80" / "partners-80", files)
    (tmp_path / schema.KNOWLEDGE_DIR).mkdir()
    return tmp_path


def problems_of(tree: Path, text: str | bytes, name: str = "a-story.md") -> list:
    path = tree / schema.KNOWLEDGE_DIR / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    refs = discovery.discover(tree)
    return [p for p in validate.check_packages(refs, tree) if p.package == articles.PACKAGE]


def located(problems: list) -> list[tuple]:
    return [(p.file, p.row, p.field, p.code) for p in problems]


# --- the sample ----------------------------------------------------------------------------


def test_the_committed_articles_are_the_samples_byte_for_byte(tmp_path):
    assert cli.main(["sample", "--out", str(tmp_path)]) == 0
    made = {p.name: p.read_bytes() for p in (tmp_path / "knowledge").iterdir()}
    committed = {p.name: p.read_bytes() for p in (DATA / "knowledge").iterdir()}
    assert made == committed
    assert len(made) == 5


def test_the_committed_articles_are_valid_and_each_says_it_is_a_sample():
    found, unreadable = articles.read_articles(DATA)
    assert unreadable == [] and len(found) == 5
    refs = discovery.discover(DATA)
    ids = article_checks.partner_ids(refs, discovery.FileStore())
    for article in found:
        assert article_checks.check_article(article, ids) == [], article.file
        assert article.front["sample"] is True  # the page says so (article.md.j2)
        assert sample_knowledge.NOTE in article.body  # and the text what is real


def test_sample_articles_name_only_partners_and_tambons_they_are_given():
    text = sample_knowledge.article_text(sample_knowledge.STORIES[4], ["800114"], {"pmua"})
    assert "tambons:\n- '800114'\n" in text
    assert "partners:\n- pmua\n" in text
    assert "authors:\n- เครือข่ายองค์กรชุมชนจังหวัดนครศรีธรรมราช\n" in text


# --- reading -------------------------------------------------------------------------------


def test_a_good_article_has_no_problem_and_its_fields_know_their_lines(tree):
    assert problems_of(tree, GOOD) == []
    (article,), _ = articles.read_articles(tree)
    assert article.slug == "a-story"
    assert article.front["date"] == "2025-10-15"  # YAML's date kept as the text it was
    assert article.lines["date"] == 3 and article.lines["licence"] == 8
    assert article.body_line == 10


def test_an_article_in_cp874_is_an_encoding_problem_at_its_line(tree):
    found = problems_of(tree, GOOD.encode("cp874"))
    assert located(found) == [("knowledge/a-story.md", 2, None, "article-encoding")]


@pytest.mark.parametrize(
    ("text", "line"),
    [("no front matter\n", 1), ("---\ntitle: x\n", 1), ("---\ntitle: [x\n---\n", 2),
     ("---\n- a\n- b\n---\n", 2)],
)  # fmt: skip
def test_an_unreadable_front_matter_is_one_problem_at_its_line(tree, text, line):
    found = problems_of(tree, text)
    assert located(found) == [("knowledge/a-story.md", line, None, "article-front-matter")]


def test_a_readme_in_the_folder_is_not_an_article(tree):
    (tree / "knowledge" / "README.md").write_text("# notes", encoding="utf-8")
    assert articles.read_articles(tree) == ([], [])


# --- the front matter ----------------------------------------------------------------------


def test_missing_and_unknown_fields_are_named_at_their_line(tree):
    text = GOOD.replace("licence: CC-BY-4.0\n", "lisence: CC-BY-4.0\n")
    found = located(problems_of(tree, text))
    assert ("knowledge/a-story.md", 8, "lisence", "article-unknown-field") in found
    assert ("knowledge/a-story.md", 1, "licence", "article-missing-field") in found


def test_a_buddhist_era_date_is_caught_and_the_ce_date_given(tree):
    (problem,) = problems_of(tree, GOOD.replace("2025-10-15", "2568-10-15"))
    assert (problem.row, problem.field, problem.code) == (3, "date", "article-be-date")
    assert "2025-10-15" in problem.message


def test_an_edit_dated_before_the_article_is_named_at_the_updated_line(tree):
    text = GOOD.replace("date: 2025-10-15\n", "date: 2025-10-15\nupdated: 2025-10-01\n")
    (problem,) = problems_of(tree, text)
    assert (problem.row, problem.field, problem.code) == (
        4, "updated", "article-updated-before-date",
    )  # fmt: skip
    assert "2025-10-01" in problem.message and "2025-10-15" in problem.message


def test_a_buddhist_era_updated_date_is_caught_like_the_date(tree):
    text = GOOD.replace("date: 2025-10-15\n", "date: 2025-10-15\nupdated: 2568-11-01\n")
    (problem,) = problems_of(tree, text)
    assert (problem.row, problem.field, problem.code) == (4, "updated", "article-be-date")
    assert "2025-11-01" in problem.message


def test_the_feed_entry_says_when_an_edited_article_was_published_and_updated(tree):
    text = GOOD.replace("date: 2025-10-15\n", "date: 2025-10-15\nupdated: 2025-11-20\n")
    (tree / schema.KNOWLEDGE_DIR / "a-story.md").write_text(text, encoding="utf-8")
    (article,), _ = articles.read_articles(tree)
    feed = knowledge.atom_feed(
        [article], "https://example.org/portal", "v1", {}, scope.of_tambons([CODE])
    )
    entry = ET.fromstring(feed).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published").startswith("2025-10-15")
    assert entry.findtext(f"{ATOM}updated").startswith("2025-11-20")
    assert ET.fromstring(feed).findtext(f"{ATOM}updated").startswith("2025-11-20")


def test_an_article_never_edited_is_updated_on_its_own_date(tree):
    (tree / schema.KNOWLEDGE_DIR / "a-story.md").write_text(GOOD, encoding="utf-8")
    (article,), _ = articles.read_articles(tree)
    assert article.updated == article.date == "2025-10-15"
    card = knowledge_pages.card(article, "../")
    assert card["updated"] == "" and card["updated_th"] == ""


def test_not_a_date_is_a_problem(tree):
    (problem,) = problems_of(tree, GOOD.replace("2025-10-15", "15/10/2025"))
    assert (problem.field, problem.code) == ("date", "article-bad-date")


@pytest.mark.parametrize(
    ("old", "new", "field", "code"),
    [("['800106']", "['800199']", "tambons", "article-unknown-tambon"),
     ("[debt]", "[debts]", "categories", "article-unknown-category"),
     ("[lg-800106]", "[lg-999999]", "partners", "article-unknown-partner"),
     ("[council-800106]", "[council-80010]", "authors", "article-unknown-partner"),
     ("CC-BY-4.0", "all rights reserved", "licence", "article-unknown-licence")],
)  # fmt: skip
def test_unknown_codes_are_named_with_their_field(tree, old, new, field, code):
    (problem,) = problems_of(tree, GOOD.replace(old, new))
    assert (problem.field, problem.code) == (field, code)
    assert new.strip("[]'") in problem.message


def test_an_author_that_is_a_person_is_refused_with_or_without_a_title(tree):
    for author in ("นายสมชาย ใจดี", "สมชาย ใจดี"):
        found = problems_of(tree, GOOD.replace("[council-800106]", f"['{author}']"))
        assert [(p.field, p.code) for p in found] == [("authors", "person-name")], author
    text = GOOD.replace("[council-800106]", "['มูลนิธิ รักษ์ถิ่น']")
    assert problems_of(tree, text) == []


def test_a_file_name_that_is_not_an_address_is_refused(tree):
    (problem,) = problems_of(tree, GOOD, "Rubber Coop.md")
    assert problem.code == "article-file-name" and "rubber-coop.md" in problem.message


# --- the text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field", "code"),
    [("โทร 081-234-5678 ได้ทุกวัน", "body", "phone-number"),
     ("เลขบัตร 1-1017-00230-70-8", "body", "national-id"),
     ("ประธานกลุ่ม นางสมศรี มีสุข", "body", "person-name"),
     ("![ประธานกลุ่ม นายสมชาย ใจดี](images/p.jpg)", "caption", "person-name"),
     ('<script>alert(1)</script>', "body", "article-html"),
     ("[ดูที่นี่](javascript:alert(1))", "body", "article-unsafe-link"),
     ("![ภาพ](https://example.org/p.jpg)", "image", "article-remote-image"),
     ("![ภาพ](images/none.jpg)", "image", "article-missing-image"),
     ("![ภาพ](images/p.svg)", "image", "article-image-type"),
     ("![ภาพ](../../etc/passwd.jpg)", "image", "article-missing-image")],
)  # fmt: skip
def test_the_text_is_scanned_line_by_line(tree, line, field, code):
    images = tree / "knowledge" / "images"
    images.mkdir()
    shutil.copyfile(PHOTO, images / "p.jpg")
    (images / "p.svg").write_bytes(b"<svg/>")
    found = problems_of(tree, GOOD + "\n" + line + "\n")
    assert (15, field, code) in [(p.row, p.field, p.code) for p in found]


@pytest.mark.parametrize(
    ("name", "code"),
    [("นายสมชาย_ใจดี.jpg", "person-name"), ("boat-0812345678.jpg", "phone-number"),
     ("%E0%B8%99%E0%B8%B2%E0%B8%A2%E0%B8%AA%E0%B8%A1%E0%B8%8A%E0%B8%B2%E0%B8%A2-ใจดี.jpg",
      "person-name")],
)  # fmt: skip
def test_a_photographs_file_name_is_scanned_for_personal_data(tree, name, code):
    images = tree / "knowledge" / "images"
    images.mkdir()
    shutil.copyfile(PHOTO, images / urllib.parse.unquote(name))
    found = problems_of(tree, GOOD + f"\n![ลานตากยาง](images/{name})\n")
    assert [(p.row, p.field, p.code) for p in found] == [(15, "image", code)]


def test_a_file_named_like_a_photograph_that_is_none_is_a_problem_of_its_line(tree):
    images = tree / "knowledge" / "images"
    images.mkdir()
    (images / "p.jpg").write_bytes(b"\xff\xd8\xff")  # a JPEG cut after three bytes
    found = problems_of(tree, GOOD + "\n![ภาพ](images/p.jpg)\n")
    assert [(p.row, p.field, p.code) for p in found] == [(15, "image", "article-image-unreadable")]


def test_a_photograph_beside_the_article_with_a_plain_caption_is_fine(tree):
    images = tree / "knowledge" / "images"
    images.mkdir()
    shutil.copyfile(PHOTO, images / "p.jpg")
    assert problems_of(tree, GOOD + '\n![โรงรมควันของกลุ่ม](images/p.jpg "ภาพตัวอย่าง")\n') == []


def test_an_article_with_no_text_is_a_problem(tree):
    (problem,) = problems_of(tree, GOOD.split("## เรื่องเล่า")[0])
    assert problem.code == "article-empty"


def test_validate_counts_the_articles_and_fails_on_a_broken_one(tree, capsys):
    (tree / "knowledge" / "good.md").write_text(GOOD, encoding="utf-8")
    assert cli.main(["validate", "--data", str(tree), "--out", str(tree / "site")]) == 0
    assert "and 1 articles checked" in capsys.readouterr().out
    (tree / "knowledge" / "bad.md").write_text(GOOD.replace("2025", "2568"), encoding="utf-8")
    assert cli.main(["validate", "--data", str(tree), "--out", str(tree / "site")]) == 1
    out = capsys.readouterr().out
    assert "knowledge/bad.md:3:date:" in out and "[article-be-date]" in out
    assert "and 1 of 2 articles" in out


def test_a_portal_of_one_province_checks_only_its_articles():
    about = articles.Article("x", "knowledge/x.md", {"tambons": ["100101"]}, {}, "", 1, Path("x"))
    general = articles.Article("y", "knowledge/y.md", {}, {}, "", 1, Path("y"))
    assert not article_checks.in_scope(about, {"80"})
    assert article_checks.in_scope(general, {"80"})


def test_the_data_officers_guide_lists_every_front_matter_field_as_the_schema_defines_it():
    guide = (REPO / "docs" / "publishing.md").read_text(encoding="utf-8")
    for spec in schema.FIELDS:
        required = "ต้องมี (required)" if spec.required else "–"
        row = f"| `{spec.name}` | {spec.title_th} | {required} | {spec.description} |"
        assert guide.count(row) == 2, spec.name  # the Thai section and the English one


# --- found by review: what markdown lets through, and values of the wrong kind ----------------

HOSTILE = [
    '[x](https://example.org){: onclick="alert(1)" }',
    '## หัวข้อ {: onmouseover="alert(1)" }',
    "[a [b] c](javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x]\n\n[x]:\n    javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
    "![remote][p]\n\n[p]: https://evil.example/t.png",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_page_of_any_article_text_has_no_script_handler_or_remote_load(text):
    made = articles.body_html(text, "../")
    tags = re.findall(r"<[^>]*>", made)
    assert not [t for t in tags if re.search(r"\bon\w+\s*=", t)], made
    assert not [t for t in tags if "javascript" in t.lower()], made
    assert "evil.example" not in made


@pytest.mark.parametrize(
    ("text", "code"),
    [("[a [b] c](javascript:alert(1))", "article-unsafe-link"),
     ("[x](&#106;avascript:alert(1))", "article-unsafe-link"),
     ("![remote][p]\n\n[p]: https://evil.example/t.png", "article-remote-image"),
     ("ประธานกลุ่ม นาย\nสมชาย ใจดี", "person-name"),
     ("ติดต่อ somchai&#64;gmail.com", "email")],
)  # fmt: skip
def test_what_the_page_would_show_is_validated_not_only_each_source_line(tree, text, code):
    found = problems_of(tree, GOOD + "\n" + text + "\n")
    assert code in [p.code for p in found]


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [("2025-10-15", "2025-13-01", "article-front-matter"),
     ("2025-10-15", "2025-W42-3", "article-bad-date"),
     ("CC-BY-4.0", "[CC-BY-4.0]", "article-bad-value"),
     ("[council-800106]", "['']", "article-missing-field")],
)  # fmt: skip
def test_values_of_the_wrong_kind_are_problems_not_tracebacks(tree, old, new, code):
    assert code in [p.code for p in problems_of(tree, GOOD.replace(old, new))]


def test_deep_nesting_in_the_front_matter_is_a_problem_not_a_traceback(tree):
    deep = "x: " + "[" * 2000 + "]" * 2000 + "\n"
    found = problems_of(tree, GOOD.replace("licence:", deep + "licence:"))
    assert [p.code for p in found] == ["article-front-matter"]
