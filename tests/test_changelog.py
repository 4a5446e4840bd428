"""The data changelog between two trees of packages, its markdown page and its Atom feed."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from tambon_portal.authoring import pilot
from tambon_portal.core import schemas
from tambon_portal.publish import changelog as cl
from tambon_portal.publish import changelog_text

TAMBON_HEADER = schemas.field_names("tambon")


def _tambon_row(code: str, name_th: str, population: str, households: str) -> list[str]:
    return [
        code[:2], code[:4], code, name_th, "Name", "sao", "อบต." + name_th, "10.5",
        "7", households, population, "2025-03-31", "true",
    ]  # fmt: skip


def write_package(
    root: Path, code: str, tables: dict[str, list[list[str]]], schema_overrides: dict | None = None
) -> Path:
    """A tambon package with inline schemas; `tables` maps resource -> rows (header first)."""
    folder = root / code[:2] / code
    folder.mkdir(parents=True)
    resources = []
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        schema = (schema_overrides or {}).get(name) or schemas.schema(name)
        resources.append({"name": name, "path": f"{name}.csv", "schema": schema})
    descriptor = {"name": f"tambon-{code}", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    return folder


VILLAGE_HEADER = schemas.field_names("villages")
INCOME_HEADER = schemas.field_names("income_summary")


def _villages(*rows: tuple[str, str, str]) -> list[list[str]]:
    """(village code, name, population) rows."""
    return [VILLAGE_HEADER] + [
        [v, v[:6], str(int(v[6:])), name, "", "50", pop] for v, name, pop in rows
    ]


def _income(year: str, median: str, below: str) -> list[str]:
    return ["800106", year, "400", median, "60000", below, "120", "85000"]


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    write_package(
        old,
        "800106",
        {
            "tambon": [TAMBON_HEADER, _tambon_row("800106", "ท่าวัง", "4,000", "1200")],
            "villages": _villages(
                ("80010601", "บ้านหนึ่ง", "500"),
                ("80010602", "บ้านสอง", "600"),
                ("80010603", "บ้านสาม", "x"),
            ),
            "income_summary": [INCOME_HEADER, _income("2567", "41000", "x")],
        },
    )
    write_package(old, "800107", {"tambon": [TAMBON_HEADER, _tambon_row("800107", "ก", "1", "1")]})
    write_package(
        new,
        "800106",
        {
            "tambon": [TAMBON_HEADER, _tambon_row("800106", "ท่าวัง", "4,000", "1250")],
            # 02 removed, 03's suppressed count became a number, 04 added, order shuffled
            "villages": _villages(
                ("80010604", "บ้านสี่", "300"),
                ("80010603", "บ้านสาม", "7"),
                ("80010601", "บ้านหนึ่ง", "500"),
            ),
            "income_summary": [
                INCOME_HEADER,
                _income("2567", "41000", "x"),
                _income("2568", "43500", "52"),
            ],
        },
    )
    write_package(new, "800108", {"tambon": [TAMBON_HEADER, _tambon_row("800108", "ข", "2", "2")]})
    return old, new


def test_packages_added_and_removed_are_listed_by_folder(trees):
    log = cl.diff_trees(*trees)
    assert log.packages_added == ["80/800108"]
    assert log.packages_removed == ["80/800107"]
    assert [p.package for p in log.packages_changed] == ["80/800106"]


def test_rows_are_matched_by_primary_key_with_old_and_new_values(trees):
    package = cl.diff_trees(*trees).packages_changed[0]
    villages = next(r for r in package.resources if r.name == "villages")
    assert villages.key == ["village_code"]
    assert [r["village_code"] for r in villages.rows_added] == ["80010604"]
    assert villages.rows_added[0]["population"] == "300"
    assert [r["village_code"] for r in villages.rows_removed] == ["80010602"]
    assert villages.rows_changed == [
        cl.RowChange({"village_code": "80010603"}, [cl.CellChange("population", "x", "7")])
    ]
    assert villages.schema is None


def test_unchanged_resources_are_left_out(trees):
    package = cl.diff_trees(*trees).packages_changed[0]
    assert [r.name for r in package.resources] == ["tambon", "villages", "income_summary"]
    income = package.resources[2]
    assert income.rows_changed == [] and income.rows_removed == []
    assert [(r["year_be"], r["median_income"]) for r in income.rows_added] == [("2568", "43500")]


def test_the_figures_that_moved_are_the_cards_of_the_latest_income_year(trees):
    # The changelog had its own list, said to be the cards' figures: it listed the count
    # households_below_line (on no card) and none of the debt figures; it now reads the cards'
    # (`figures.CARDS`) and their values as the cards publish them (52 of 400 is 13.0%).
    figures = cl.diff_trees(*trees).figures
    assert figures == [
        cl.FigureChange("800106", "ท่าวัง", "households", 1200, 1250),
        cl.FigureChange("800106", "ท่าวัง", "below_line_pct", None, 13.0),
        cl.FigureChange("800106", "ท่าวัง", "median_income", 41000, 43500),
    ]


def test_a_move_of_the_debt_of_households_is_in_the_changelog(tmp_path):
    def income(debtors: str, debt: str) -> list[str]:
        return ["800106", "2568", "400", "41000", "60000", "52", debtors, debt]

    tambon = [TAMBON_HEADER, _tambon_row("800106", "ท่าวัง", "4000", "1200")]
    write_package(
        tmp_path / "a",
        "800106",
        {"tambon": tambon, "income_summary": [INCOME_HEADER, income("120", "85000")]},
    )
    write_package(
        tmp_path / "b",
        "800106",
        {"tambon": tambon, "income_summary": [INCOME_HEADER, income("100", "90000")]},
    )
    moved = [
        (f.figure, f.old, f.new) for f in cl.diff_trees(tmp_path / "a", tmp_path / "b").figures
    ]
    assert moved == [("debt_pct", 30.0, 25.0), ("mean_debt", 85000, 90000)]


def test_identical_trees_give_an_empty_changelog(trees):
    log = cl.diff_trees(trees[0], trees[0])
    assert log.is_empty
    assert log.figures == []


def test_schema_changes_are_reported_field_by_field(tmp_path):
    old_schema = schemas.schema("villages")
    new_schema = schemas.schema("villages")
    new_schema["fields"] = [f for f in new_schema["fields"] if f["name"] != "name_en"]
    new_schema["fields"].append({"name": "note", "type": "string"})
    next(f for f in new_schema["fields"] if f["name"] == "village_no")["type"] = "string"
    new_schema["primaryKey"] = ["tambon_code", "village_no"]
    tambon = [TAMBON_HEADER, _tambon_row("800106", "ท่าวัง", "1", "1")]
    write_package(
        tmp_path / "a",
        "800106",
        {"tambon": tambon, "villages": _villages(("80010601", "บ้านหนึ่ง", "500"))},
        {"villages": old_schema},
    )
    new_header = ["village_code", "tambon_code", "village_no", "name_th", "households"]
    new_header += ["population", "note"]
    write_package(
        tmp_path / "b",
        "800106",
        {
            "tambon": tambon,
            "villages": [new_header, ["80010601", "800106", "1", "บ้านหนึ่ง", "50", "500", "ใหม่"]],
        },
        {"villages": new_schema},
    )
    (villages,) = cl.diff_trees(tmp_path / "a", tmp_path / "b").packages_changed[0].resources
    assert villages.schema == cl.SchemaChange(
        fields_added=["note"],
        fields_removed=["name_en"],
        types_changed=[cl.TypeChange("village_no", "integer", "string")],
        primary_key=(["village_code"], ["tambon_code", "village_no"]),
        foreign_keys_changed=False,
    )
    # the same row under the new key: no row change in the columns both versions have
    assert villages.key == ["tambon_code", "village_no"]
    assert (villages.rows_added, villages.rows_removed, villages.rows_changed) == ([], [], [])


def test_schema_changes_render_field_names_as_code_and_escape_types_and_keys():
    schema = cl.SchemaChange(
        fields_added=["area_km2"],
        types_changed=[cl.TypeChange("households", "integer", "<b>number</b>")],
        primary_key=(["village_code"], ["tambon_code", "village_no"]),
    )
    change = cl.ResourceDiff("villages", ["village_code"], schema=schema)
    log = cl.Changelog(packages_changed=[cl.PackageDiff("p", [], [], [change])])
    text = changelog_text.to_markdown(log, "v2", "v1")
    assert (
        "- เพิ่มคอลัมน์ (field added) `area_km2`\n"
        "- เปลี่ยนชนิด (type changed) `households`: integer → &lt;b&gt;number&lt;/b&gt;\n"
        "- เปลี่ยนคีย์หลัก (primary key changed): village\\_code → tambon\\_code, village\\_no\n"
    ) in text


def test_without_a_primary_key_whole_rows_are_compared_and_duplicates_counted():
    old = cl.pd.DataFrame({"a": ["1", "1", "2"], "b": ["x", "x", "y"]})
    new = cl.pd.DataFrame({"a": ["1", "2", "3"], "b": ["x", "y", "z"]})
    key, added, removed, changed = cl.diff_rows(old, new, [])
    assert key == []
    assert added == [{"a": "3", "b": "z"}]
    assert removed == [{"a": "1", "b": "x"}]
    assert changed == []


def test_a_resource_added_to_a_package_is_named(tmp_path):
    tambon = [TAMBON_HEADER, _tambon_row("800106", "ท่าวัง", "1", "1")]
    write_package(tmp_path / "a", "800106", {"tambon": tambon})
    write_package(
        tmp_path / "b", "800106", {"tambon": tambon, "plan": [schemas.field_names("plan")]}
    )
    package = cl.diff_trees(tmp_path / "a", tmp_path / "b").packages_changed[0]
    assert (package.resources_added, package.resources_removed, package.resources) == (
        ["plan"],
        [],
        [],
    )


def test_to_dict_is_json_serialisable(trees):
    data = cl.diff_trees(*trees).to_dict()
    assert json.loads(json.dumps(data))["packages_added"] == ["80/800108"]
    assert data["figures"][1] == {
        "tambon_code": "800106",
        "name_th": "ท่าวัง",
        "figure": "below_line_pct",
        "old": None,
        "new": 13.0,
    }


def test_from_dict_gives_back_the_changelog(trees, tmp_path):
    log = cl.diff_trees(*trees)
    assert cl.Changelog.from_dict(log.to_dict()) == log
    schema_change = cl.SchemaChange(
        ["a"], [], [cl.TypeChange("b", "integer", "string")], (["a"], ["b"])
    )
    with_schema = cl.Changelog(
        packages_changed=[
            cl.PackageDiff("p", resources=[cl.ResourceDiff("t", ["b"], schema=schema_change)])
        ]
    )
    assert cl.Changelog.from_dict(json.loads(json.dumps(with_schema.to_dict()))) == with_schema


def test_markdown_has_thai_headings_and_the_changed_values(trees):
    text = changelog_text.to_markdown(cl.diff_trees(*trees), "2026.11", "2026.10")
    assert text.startswith("# การเปลี่ยนแปลงข้อมูล รุ่น 2026.11 / Data changes in 2026.11\n")
    assert "เทียบกับรุ่น 2026.10 (compared with 2026.10)" in text
    assert "## ชุดข้อมูลใหม่ / Packages added\n\n- `80/800108`" in text
    assert "| village\\_code=80010603 | population | x | 7 |" in text
    assert (
        "| ท่าวัง 800106 | รายได้มัธยฐาน (บาท/คน/ปี) / Median income (baht per person per year)"
        " | 41,000 | 43,500 |"
    ) in text
    assert (
        "| ท่าวัง 800106 | ครัวเรือนรายได้ต่ำกว่าเกณฑ์ จปฐ. / Households under the income line"
        " | – | 13.0% |"
    ) in text
    assert changelog_text.to_markdown(cl.diff_trees(*trees).to_dict(), "2026.11", "2026.10") == text


def test_a_hostile_cell_is_escaped_for_markdown_and_html():
    hostile = "<script>alert('x')</script>|**b**\n[l](http://e) &amp;"
    assert changelog_text.escape_cell(hostile) == (
        "&lt;script&gt;alert('x')&lt;/script&gt;\\|\\*\\*b\\*\\* \\[l\\](http://e) &amp;amp;"
    )


def test_a_hostile_cell_cannot_break_the_changelog_table():
    change = cl.ResourceDiff(
        "villages",
        ["village_code"],
        rows_changed=[
            cl.RowChange(
                {"village_code": "80010601"}, [cl.CellChange("name_th", "a", "<b>x</b> | y")]
            )
        ],
    )
    log = cl.Changelog(packages_changed=[cl.PackageDiff("80/800106", resources=[change])])
    text = changelog_text.to_markdown(log, "v1", None)
    assert "| village\\_code=80010601 | name\\_th | a | &lt;b&gt;x&lt;/b&gt; \\| y |" in text
    assert "<b>" not in text
    assert "รุ่นแรก (first release)" in text


def test_long_row_lists_are_cut_in_markdown_with_a_count():
    rows = [{"a": str(i)} for i in range(changelog_text.MAX_ROWS_IN_MARKDOWN + 3)]
    log = cl.Changelog(
        packages_changed=[cl.PackageDiff("p", resources=[cl.ResourceDiff("t", [], rows)])]
    )
    text = changelog_text.to_markdown(log, "v2", "v1")
    assert f"| {changelog_text.MAX_ROWS_IN_MARKDOWN - 1} |" in text
    assert f"| {changelog_text.MAX_ROWS_IN_MARKDOWN} |" not in text
    assert "และอีก 3 แถว (and 3 more rows: see the JSON changelog)" in text


ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(trees) -> bytes:
    log = cl.diff_trees(*trees)
    return changelog_text.atom_feed(
        [
            ("2026.10", date(2026, 10, 1), cl.Changelog(), "https://e.org/p/2026.10/"),
            ("2026.11", date(2026, 11, 20), log, "https://e.org/p/2026.11/"),
        ],
        "https://e.org/p",
    )


def test_feed_has_one_entry_per_release_newest_first(trees):
    root = ET.fromstring(_feed(trees))
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "https://e.org/p/2026.11/",
        "https://e.org/p/2026.10/",
    ]
    assert root.findtext(f"{ATOM}updated") == "2026-11-20T00:00:00+00:00"
    assert (
        root.findtext(f"{ATOM}author/{ATOM}name")
        == "ข้อมูลตำบล จังหวัดนครศรีธรรมราช (Nakhon Si Thammarat tambon data)"
    )
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"alternate": "https://e.org/p/", "self": "https://e.org/p/feed.xml"}
    assert entries[1].findtext(f"{ATOM}summary") == "ไม่มีการเปลี่ยนแปลงข้อมูล (no data changes)"
    assert entries[0].findtext(f"{ATOM}summary").startswith("ชุดข้อมูลใหม่ 1 ชุด, ถอดออก 1 ชุด,")


def test_feed_is_deterministic_and_parses_as_atom(trees):
    import feedparser

    first = _feed(trees)
    assert _feed(trees) == first
    parsed = feedparser.parse(first)
    assert parsed.bozo == 0
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == [
        "รุ่น 2026.11 (release 2026.11)",
        "รุ่น 2026.10 (release 2026.10)",
    ]


def test_row_counts_add_up_between_two_sample_packages(tmp_path):
    pilot.write_pilot(tmp_path / "old", seed=1, codes=["800106"])
    pilot.write_pilot(tmp_path / "new", seed=2, codes=["800106"])
    changed = cl.diff_trees(tmp_path / "old", tmp_path / "new").packages_changed
    # the tambon's package, and its province's area totals and partners (drawn from its plan)
    assert sorted(p.package for p in changed) == [
        "80/800106",
        "80/area-totals-80",
        "80/partners-80",
    ]
    (package,) = [p for p in changed if p.package == "80/800106"]
    for resource in package.resources:
        old = cl.pd.read_csv(tmp_path / "old/80/800106/data" / f"{resource.name}.csv", dtype=str)
        new = cl.pd.read_csv(tmp_path / "new/80/800106/data" / f"{resource.name}.csv", dtype=str)
        assert len(new) - len(old) == len(resource.rows_added) - len(resource.rows_removed)
        assert resource.key == schemas.SCHEMAS[resource.name]["primaryKey"]
        assert resource.schema is None


PROJECT_HEADER = schemas.field_names("plan_projects")


def _project(project_id: str, status: str, funded: str = "", spent: str = "") -> list[str]:
    return ["800106", project_id, "1", "", "โครงการ", "100000", "local_government", "อบต.",
            "2568", status, funded, spent, ""]  # fmt: skip


def test_projects_whose_status_changed_between_releases_are_listed_with_thai_statuses(tmp_path):
    tambon = [TAMBON_HEADER, _tambon_row("800106", "ท่าวัง", "4000", "1200")]
    before = [PROJECT_HEADER, _project("P01", "approved"), _project("P02", "proposed")]
    after = [PROJECT_HEADER, _project("P01", "funded", "90000", "0"), _project("P02", "proposed")]
    write_package(tmp_path / "a", "800106", {"tambon": tambon, "plan_projects": before})
    write_package(tmp_path / "b", "800106", {"tambon": tambon, "plan_projects": after})
    page = changelog_text.to_markdown(cl.diff_trees(tmp_path / "a", tmp_path / "b"), "2", "1")
    assert "## โครงการที่เปลี่ยนสถานะ / Projects whose status changed (1)" in page
    assert "| 80/800106 | P01 | อนุมัติแล้ว | ได้รับงบประมาณ |" in page
    assert "| P02 |" not in page


def _article(root: Path, slug: str, title: str, text: str) -> None:
    (root / "knowledge").mkdir(parents=True, exist_ok=True)
    (root / "knowledge" / f"{slug}.md").write_text(
        f"---\ntitle: {title}\ndate: 2025-10-15\n---\n\n{text}\n", encoding="utf-8"
    )


def test_articles_added_removed_and_edited_between_releases_are_listed(tmp_path):
    old, new = tmp_path / "a", tmp_path / "b"
    for root in (old, new):
        root.mkdir()
    _article(old, "kept", "เรื่องเดิม", "ข้อความ")
    _article(new, "kept", "เรื่องเดิม", "ข้อความ")
    _article(old, "edited", "เรื่องที่แก้", "ก่อน")
    _article(new, "edited", "เรื่องที่แก้", "หลัง")
    _article(old, "gone", "เรื่องที่ถอด", "ข้อความ")
    _article(new, "fresh", "เรื่องใหม่", "ข้อความ")
    changes = cl.diff_trees(old, new)
    assert [(a.slug, a.change) for a in changes.articles] == [
        ("edited", "changed"), ("fresh", "added"), ("gone", "removed"),
    ]  # fmt: skip
    assert not changes.is_empty
    assert cl.Changelog.from_dict(changes.to_dict()) == changes
    page = changelog_text.to_markdown(changes, "2", "1")
    assert "## บทเรียนและข่าว / Lessons and news" in page
    assert "- ใหม่ (added): เรื่องใหม่ (`fresh`)" in page and "`kept`" not in page
    assert changelog_text.summary(changes).endswith(
        "; บทความใหม่ 1 เรื่อง, ถอดออก 1 เรื่อง, แก้ไข 1 เรื่อง (1 articles added, 1 removed, 1 edited)"
    )


def test_a_release_without_article_changes_keeps_its_summary_free_of_articles():
    summary = changelog_text.summary(cl.Changelog(packages_added=["80/800106"]))
    assert "บทความ" not in summary and "articles" not in summary


def test_a_changelog_stored_before_articles_were_compared_reads_back_with_none():
    stored = {"packages_added": ["80/800106"], "packages_changed": [], "figures": []}
    assert cl.Changelog.from_dict(stored).articles == []
