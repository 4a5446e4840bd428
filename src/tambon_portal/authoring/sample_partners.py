"""The sample partners package of a province (`tambon sample`, issue 13): the organisations
of the partnership and who funds, implements or supports each pilot tambon's plan projects.

Made from the projects the tambons' plans already hold (their funding source and the body
responsible), so funder and plan agree: a project funded by local government is funded by
that tambon's own อบต./เทศบาล, one of a government agency by the province's office of it. The
kinds the partnership agreement names are there: local governments, the province, the
research fund (บพท.), the community organisations institute (พอช.), the provincial community
network, a university; a foundation and a company stand for civil society and the private
sector, their names marked as samples. Amounts are made up; funding never exceeds a budget.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from tambon_portal.authoring import sample
from tambon_portal.authoring.sample_figures import round_to
from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, licences, schemas
from tambon_portal.core.schemas import partners as ps
from tambon_portal.packages import writer as package_writer

# What the draw reads of each tambon's package.
PLAN_TABLES = ("tambon", "plan_issues", "plan_projects")
# The draw has its own stream, apart from the tambons' (`sample.tambon_rng`).
_STREAM = 13_000_000


@dataclass(frozen=True)
class Partner:
    partner_id: str
    name_th: str
    name_en: str
    partner_type: str
    parent_id: str | None = None
    website: str | None = None


def _bodies(province: str) -> dict[str, Partner]:
    """The partners of a whole province, by the role they play in the sample."""
    place = gazetteer.province(province)
    th, en = (place.name_th, place.name_en) if place else (province, province)
    office = f"province-{province}"

    def agency(key: str, name_th: str, name_en: str) -> Partner:
        return Partner(f"{key}-{province}", f"{name_th}จังหวัด{th}", f"{en} {name_en}",
                       "government_agency", office)  # fmt: skip

    bodies = {
        "province": Partner(office, f"จังหวัด{th}", f"{en} Province", "government_agency"),
        "pao": Partner(f"pao-{province}", f"องค์การบริหารส่วนจังหวัด{th}",
                       f"{en} Provincial Administrative Organization", "local_government"),
        "income": agency("cdd", "สำนักงานพัฒนาชุมชน", "Provincial Community Development Office"),
        "agriculture": agency("agriculture", "สำนักงานเกษตร", "Provincial Agricultural Office"),
        "health": agency("health", "สำนักงานสาธารณสุข", "Provincial Public Health Office"),
        "education": agency("learning", "สำนักงานส่งเสริมการเรียนรู้",
                            "Provincial Office of Learning Promotion"),
        "environment": agency("environment", "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อม",
                              "Provincial Office of Natural Resources and Environment"),
        "infrastructure": agency("public-works", "สำนักงานโยธาธิการและผังเมือง",
                                 "Provincial Office of Public Works and Town Planning"),
        "culture": agency("culture", "สำนักงานวัฒนธรรม", "Provincial Cultural Office"),
        "governance": agency("dopa", "ที่ทำการปกครอง", "Provincial Administration Office"),
        "network": Partner(f"network-{province}", f"เครือข่ายองค์กรชุมชนจังหวัด{th}",
                           f"{en} Provincial Community Organisations Network", "civil_society"),
        "research": Partner("pmua", "หน่วยบริหารและจัดการทุนด้านการพัฒนาระดับพื้นที่ (บพท.)",
                            "Program Management Unit on Area Based Development (PMU A)",
                            "research", None, "https://www.pmua.or.th/"),
        "codi": Partner("codi", "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
                        "Community Organizations Development Institute (CODI)",
                        "community_organisation", None, "https://www.codi.or.th/"),
        "university": Partner("walailak-university", "มหาวิทยาลัยวลัยลักษณ์",
                              "Walailak University", "research", None, "https://www.wu.ac.th/"),
        "ngo": Partner("sample-foundation", "มูลนิธิพัฒนาชุมชนภาคใต้ (ตัวอย่าง)",
                       "Southern Community Development Foundation (sample)", "civil_society"),
        "private": Partner("sample-company", "บริษัท ยางพาราปักษ์ใต้ จำกัด (ตัวอย่าง)",
                           "Pak Tai Rubber Co., Ltd. (sample)", "private"),
    }  # fmt: skip
    bodies["debt"] = bodies["income"]  # household debt is community development's too
    return bodies


def _local(tambon: pd.Series) -> tuple[Partner, Partner]:
    """The tambon's own: its local government and its community organisations council."""
    code, name_th, name_en = str(tambon["tambon_code"]), tambon["name_th"], tambon["name_en"]
    lg_en = cl.label(cl.LOCAL_GOVERNMENT_TYPES, str(tambon["lg_type"]), "en")
    return (
        Partner(f"lg-{code}", str(tambon["lg_name_th"]), f"{name_en} {lg_en}", "local_government"),
        Partner(f"council-{code}", f"สภาองค์กรชุมชนตำบล{name_th}",
                f"{name_en} Community Organisations Council", "community_organisation"),
    )  # fmt: skip


def _funder(project: pd.Series, category: str, bodies: Mapping[str, Partner],
            lg: Partner, council: Partner) -> Partner | None:  # fmt: skip
    source = project["funding_source"]
    if source in ("community", "community_fund"):
        return council
    if source == "local_government":
        return lg
    if source in ("government_agency", "province"):
        return bodies[category] if source == "government_agency" else bodies["province"]
    return bodies["private"] if source == "private" else bodies["ngo"]


def _implementer(project: pd.Series, category: str, bodies: Mapping[str, Partner],
                 lg: Partner, council: Partner) -> Partner:  # fmt: skip
    source = project["funding_source"]
    if source in ("community", "community_fund"):
        return council
    if source in ("government_agency", "province"):
        return bodies[category]
    return bodies["ngo"] if source == "ngo" else lg


def _project_links(project: pd.Series, category: str, bodies: Mapping[str, Partner],
                   lg: Partner, council: Partner, rng: random.Random) -> list[tuple]:  # fmt: skip
    """(partner, role, amount) of one project: its funders (a share of the budget, at most
    all of it), who carries it out and who supports it."""
    budget = int(project["budget_baht"])
    links: list[tuple] = []
    funder = _funder(project, category, bodies, lg, council)
    if budget > 0 and funder is not None:
        if rng.random() < 0.2:  # co-funded: the research fund or the province adds its part
            other = (
                bodies["research"]
                if category in ("income", "agriculture", "debt")
                else (bodies["pao"])
            )
            share = round_to(budget * rng.uniform(0.5, 0.8), 1000)
            links += [(funder, "funds", share), (other, "funds", budget - share)]
        else:
            links.append((funder, "funds", budget))
    links.append((_implementer(project, category, bodies, lg, council), "implements", None))
    supporters = [("research", 0.25), ("university", 0.15), ("network", 0.2)]
    if project["funding_source"] in ("community", "community_fund"):
        supporters.append(("codi", 0.4))
    for key, chance in supporters:
        if rng.random() < chance:
            links.append((bodies[key], "supports", None))
    return _distinct(links)


def _distinct(links: list[tuple]) -> list[tuple]:
    """One link per partner and role (the key of project_partners), the first kept."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for partner, role, amount in links:
        if (partner.partner_id, role) not in seen:
            seen.add((partner.partner_id, role))
            kept.append((partner, role, amount))
    return kept


def partner_tables(
    tambons: Mapping[str, Mapping[str, pd.DataFrame]],
    province: str,
    seed: int = sample.DEFAULT_SEED,
) -> dict[str, pd.DataFrame]:
    """The partners and project_partners tables of a province's tambons (code -> their raw
    frames: `tambon`, `plan_issues`, `plan_projects`), drawn from `seed` (pure)."""
    bodies = _bodies(province)
    used: dict[str, Partner] = {}
    rows = []
    for code in sorted(tambons):
        frames = tambons[code]
        lg, council = _local(frames["tambon"].iloc[0])
        rng = random.Random(seed + _STREAM + int(code))
        categories = dict(zip(frames["plan_issues"]["issue_no"], frames["plan_issues"]["category"],
                              strict=True))  # fmt: skip
        for _, project in frames["plan_projects"].iterrows():
            category = str(categories[project["issue_no"]])
            for partner, role, amount in _project_links(project, category, bodies, lg, council,
                                                        rng):  # fmt: skip
                used[partner.partner_id] = partner
                rows.append((code, project["project_id"], partner.partner_id, role, amount))
    for partner in list(used.values()):  # a parent is a partner too
        if partner.parent_id and partner.parent_id not in used:
            used[partner.parent_id] = next(b for b in bodies.values()
                                           if b.partner_id == partner.parent_id)  # fmt: skip
    links = pd.DataFrame(rows, columns=ps.field_names("project_partners"))
    links["amount_baht"] = links["amount_baht"].astype("Int64")
    return {"partners": _partners_frame(used.values()), "project_partners": links}


def _partners_frame(partners) -> pd.DataFrame:
    order = {c: i for i, c in enumerate(cl.codes(cl.PARTNER_TYPES))}
    listed = sorted(partners, key=lambda p: (order[p.partner_type], p.partner_id))
    return pd.DataFrame(
        [(p.partner_id, p.name_th, p.name_en, p.partner_type, p.parent_id, p.website)
         for p in listed],
        columns=ps.field_names("partners"),
    )  # fmt: skip


def descriptor(province: str, seed: int = sample.DEFAULT_SEED) -> dict:
    """The datapackage.json of a province's sample partners package."""
    place = gazetteer.province(province)
    name_th, name_en = (place.name_th, place.name_en) if place else (province, province)
    return {
        "name": ps.package_name(province),
        "title": f"ภาคีเครือข่ายและโครงการตามแผนแม่บทชุมชน จังหวัด{name_th} (ข้อมูลตัวอย่าง)",
        "title_en": f"Partners of the community master plans, {name_en} (sample data)",
        "description": (
            "ข้อมูลตัวอย่างสังเคราะห์ (ไม่ใช่ข้อมูลจริง): องค์กรภาคีและบทบาทในแต่ละโครงการ"
            " (สนับสนุนงบประมาณ ดำเนินการ สนับสนุนด้านวิชาการ) จำนวนเงินสมมุติขึ้น"
            f" SYNTHETIC SAMPLE DATA (seed {seed}): the partner organisations and what each"
            " does in the tambons' plan projects (funds, implements, supports); amounts are"
            " made up; names marked (ตัวอย่าง) are invented."
        ),
        "province_code": province,
        "sample": True,
        "licenses": [dict(licences.DEFAULT)],
        "sources": [{"title": f"ข้อมูลสังเคราะห์จาก tambon-portal `tambon sample --seed {seed}`"}],
        "keywords": [f"จังหวัด{name_th}", "ภาคีเครือข่าย", "ข้อมูลตัวอย่าง", "sample data"],
        "created": sample.CREATED,
        "resources": [
            schemas.resource_descriptor(name, copy.deepcopy(ps.SCHEMAS[name]), ps.RESOURCE_TITLES)
            for name in ps.SCHEMAS
        ],
    }


def package_files(tambons: Mapping[str, Mapping[str, pd.DataFrame]], province: str,
                  seed: int = sample.DEFAULT_SEED) -> dict[str, str]:  # fmt: skip
    """Relative path -> text of every file of the province's partners package."""
    from_tables = partner_tables(tambons, province, seed)
    return {"datapackage.json": package_writer.descriptor_text(descriptor(province, seed))} | {
        f"data/{name}.csv": sample.csv_text(frame, name, ps.SCHEMAS, {})
        for name, frame in from_tables.items()
    }
