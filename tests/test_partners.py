"""The partners package (issue 13): its sample, its checks against the tambons, and the
roll-ups its pages show."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tambon_portal.authoring import pilot, sample, sample_partners
from tambon_portal.checks import validate
from tambon_portal.core.schemas import partners as ps
from tambon_portal.packages import writer
from tambon_portal.stats import partners as partner_stats

REPO = Path(__file__).resolve().parents[1]
CODE = "800106"


def _plan(code: str = CODE) -> dict[str, pd.DataFrame]:
    frames = pilot.skeleton_frames(code)
    return {name: frames[name] for name in sample_partners.PLAN_TABLES}


@pytest.fixture(scope="module")
def sample_tables() -> dict[str, pd.DataFrame]:
    return sample_partners.partner_tables({CODE: _plan(), "800114": _plan("800114")}, "80")


def test_sample_funding_never_exceeds_a_projects_budget(sample_tables):
    links = sample_tables["project_partners"]
    budgets = pd.concat([_plan(c)["plan_projects"] for c in (CODE, "800114")])
    funded = (
        links[links["role"] == "funds"].groupby(["tambon_code", "project_id"])["amount_baht"].sum()
    )
    joined = funded.reset_index().merge(budgets, on=["tambon_code", "project_id"])
    assert len(joined) == len(funded)  # every funded project is a project of the plan
    assert (joined["amount_baht"] <= joined["budget_baht"]).all()
    assert links.loc[links["role"] != "funds", "amount_baht"].isna().all()


def test_sample_names_the_kinds_of_partner_the_agreement_names():
    partners = pd.read_csv(REPO / "datapackages" / "80" / "partners-80" / "data" / "partners.csv")
    assert {"local_government", "government_agency", "civil_society", "research",
            "community_organisation", "private"} <= set(partners["partner_type"])  # fmt: skip
    ids = set(partners["partner_id"])
    assert {f"lg-{CODE}", f"council-{CODE}", "pmua", "codi", "network-80", "province-80"} <= ids
    invented = partners[partners["partner_id"].str.startswith("sample-")]
    assert len(invented) == 2
    assert invented["name_th"].str.contains("(ตัวอย่าง)", regex=False).all()


def test_sample_of_a_tambon_does_not_depend_on_the_others(sample_tables):
    alone = sample_partners.partner_tables({CODE: _plan()}, "80")["project_partners"]
    mine = sample_tables["project_partners"]
    mine = mine[mine["tambon_code"] == CODE].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, mine)


def test_committed_partners_package_is_the_samples_byte_for_byte():
    codes = sample.pilot_codes()
    made = sample_partners.package_files({c: _plan(c) for c in codes}, "80")
    folder = REPO / "datapackages" / "80" / ps.package_name("80")
    for relative, text in made.items():
        assert (folder / relative).read_text(encoding="utf-8") == text, relative


# --- validation ------------------------------------------------------------------------------


def _tree(tmp_path: Path, edit=None) -> Path:
    """The pilot's Tha Rai and a partners package of it, `edit(partners, links)` applied to
    the rows (lists of dicts) before they are written."""
    shutil.copytree(REPO / "datapackages" / "80" / CODE, tmp_path / "80" / CODE)
    files = sample_partners.package_files({CODE: _plan()}, "80")
    tables = {
        name: list(csv.DictReader(io.StringIO(files[f"data/{name}.csv"]))) for name in ps.SCHEMAS
    }
    if edit:
        edit(tables["partners"], tables["project_partners"])
    folder = tmp_path / "80" / ps.package_name("80")
    files |= {
        f"data/{name}.csv": writer.csv_text([ps.field_names(name)] +
                                            [list(r.values()) for r in rows])
        for name, rows in tables.items()
    }  # fmt: skip
    writer.write_files(folder, files)
    return tmp_path


def _problems(root: Path) -> list:
    return [p for p in validate.validate_tree(root) if p.package == ps.package_name("80")]


def test_a_valid_partners_package_passes_with_its_tambon(tmp_path):
    assert _problems(_tree(tmp_path)) == []


def _link(tambon: str, project: str, partner: str, role: str, amount: str = "") -> dict:
    return dict(zip(ps.field_names("project_partners"), (tambon, project, partner, role, amount),
                    strict=True))  # fmt: skip


def test_links_to_projects_and_tambons_not_in_the_data_are_named_by_row_and_field(tmp_path):
    def edit(partners, links):
        links.append(_link(CODE, "P99", "pmua", "supports"))
        links.append(_link("800199", "P01", "pmua", "supports"))

    problems = _problems(_tree(tmp_path, edit))
    found = {(p.code, p.field, p.row) for p in problems}
    rows = 31 + 1  # Tha Rai's 31 links after the header
    assert ("partner-unknown-project", "project_id", rows + 1) in found
    assert ("partner-unknown-tambon", "tambon_code", rows + 2) in found
    assert all(p.file == "80/partners-80/data/project_partners.csv" for p in problems)


def test_funding_over_the_budget_and_money_on_a_role_that_gives_none_are_refused(tmp_path):
    def edit(partners, links):
        links.append(_link(CODE, "P01", "pmua", "funds", "1000"))  # P01 is funded in full
        links[1]["amount_baht"] = "5000"  # row 3: lg-800106 implements P01

    problems = _problems(_tree(tmp_path, edit))
    by_code = {p.code: p for p in problems}
    assert by_code["partner-amount-role"].row == 3
    assert by_code["partner-amount-role"].field == "amount_baht"
    over = by_code["partner-over-budget"]
    assert (over.row, over.field) == (33, "amount_baht")
    assert "1,358,000" in over.message and "1,357,000" in over.message


def test_one_role_twice_and_unknown_partner_ids_are_key_problems(tmp_path):
    def edit(partners, links):
        links.append(dict(links[0]))
        links.append(_link(CODE, "P02", "nobody", "supports"))

    codes = {(p.code, p.row) for p in _problems(_tree(tmp_path, edit))}
    assert ("primary-key", 33) in codes
    assert ("foreign-key", 34) in codes


def test_a_persons_name_in_place_of_an_organisation_is_refused(tmp_path):
    def edit(partners, links):
        partners[0]["name_th"] = "สมชาย ใจดี"
        partners[1]["name_th"] = "นายสมศักดิ์ รักถิ่น และคณะ"

    problems = [p for p in _problems(_tree(tmp_path, edit)) if p.resource == "partners"]
    assert {(p.row, p.field) for p in problems if p.code == "person-name"} == {
        (2, "name_th"),
        (3, "name_th"),
    }


def test_organisation_names_of_two_words_are_not_taken_for_persons(tmp_path):
    def edit(partners, links):
        partners[0]["name_th"] = "มูลนิธิ รักษ์ถิ่น"
        partners[1]["name_th"] = "เครือข่าย ชาวสวนยาง"

    assert _problems(_tree(tmp_path, edit)) == []


# --- roll-ups ---------------------------------------------------------------------------------


def _projects() -> pd.DataFrame:
    return pd.DataFrame({
        "tambon_code": ["800106", "800106", "800201"], "project_id": ["P01", "P02", "P01"],
        "tambon_name_th": ["ท่าไร่", "ท่าไร่", "พรหมโลก"], "district_code": ["8001", "8001", "8002"],
        "district_name_th": ["เมือง", "เมือง", "พรหมคีรี"], "title_th": ["ก", "ข", "ค"],
        "category": ["income"] * 3, "category_th": ["อาชีพ"] * 3, "year_be": [2568] * 3,
        "status": ["completed", "proposed", "completed"], "status_th": ["เสร็จ", "เสนอ", "เสร็จ"],
        "budget_baht": [100_000.0, 50_000.0, 30_000.0],
    }).astype({"tambon_code": "string", "project_id": "string"})  # fmt: skip


def _package() -> dict[str, pd.DataFrame]:
    partners = pd.DataFrame({
        "partner_id": ["fund", "lg"], "name_th": ["กองทุน", "อบต."], "name_en": [None, None],
        "partner_type": ["research", "local_government"], "parent_id": [None, None],
        "website": [None, None],
    })  # fmt: skip
    links = pd.DataFrame(
        [("800106", "P01", "fund", "funds", 60_000), ("800106", "P01", "fund", "supports", None),
         ("800106", "P01", "lg", "funds", 40_000), ("800106", "P02", "lg", "implements", None),
         ("800201", "P01", "fund", "funds", 30_000)],
        columns=ps.field_names("project_partners"),
    )  # fmt: skip
    return {"partners": partners, "project_partners": links}


def test_a_partners_totals_count_each_project_once_whatever_its_roles():
    rollup = partner_stats.partner_rollup({"80": _package()}, _projects())
    fund = rollup["summary"].set_index("partner_id").loc["fund"]
    assert (fund["projects"], fund["tambons"], fund["districts"]) == (2, 2, 2)
    assert fund["funded_baht"] == 90_000  # 60,000 + 30,000: its funds, not its support
    assert fund["budget_baht"] == 130_000  # the two projects' budgets, P01 once
    links = rollup["links"]
    roles = partner_stats.by_role(links[links["partner_id"] == "fund"]).set_index("role")
    assert roles.loc["funds", "projects"] == 2 and roles.loc["supports", "projects"] == 1
    status = partner_stats.by_status(links[links["partner_id"] == "lg"]).set_index("status")
    assert status.loc["completed", "projects"] == 1 and status.loc["proposed", "projects"] == 1
    assert status.loc["completed", "budget_baht"] == 100_000


def test_three_w_has_a_row_per_partner_and_district_it_works_in():
    rollup = partner_stats.partner_rollup({"80": _package()}, _projects())
    three_w = rollup["three_w"]
    cells = {(r.partner_id, r.district_code): (r.projects, r.funded_baht)
             for r in three_w.itertuples()}  # fmt: skip
    assert cells == {
        ("fund", "8001"): (1, 60_000),
        ("fund", "8002"): (1, 30_000),
        ("lg", "8001"): (2, 40_000),
    }


def test_a_tambons_partners_list_their_roles_there():
    rollup = partner_stats.partner_rollup({"80": _package()}, _projects())
    here = partner_stats.of_tambon(rollup["links"], "800106").set_index("partner_id")
    assert here.loc["fund", "roles_th"] == "สนับสนุนงบประมาณ, สนับสนุนด้านวิชาการ/อื่น ๆ"
    assert here.loc["lg", "projects"] == 2
    assert partner_stats.of_tambon(rollup["links"], "800999").empty


def test_no_partners_package_gives_empty_rollups():
    rollup = partner_stats.partner_rollup({}, _projects())
    assert rollup["summary"].empty and rollup["three_w"].empty
