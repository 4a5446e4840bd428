"""The made-up community master plan of one synthetic tambon (`tambon sample`): its vision,
ranked strategic issues and projects with village, budget, funding source, responsible body,
year and status, drawn from the tambon's own `random.Random` (`sample_figures` draws first).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd

from tambon_portal.authoring.sample_figures import REFERENCE_DATE, round_to, weighted
from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, schemas

PLAN_YEARS = (2568, 2571)

VISIONS = (
    "ตำบล{name}น่าอยู่ ประชาชนมีอาชีพมั่นคง รายได้พอเพียง ชุมชนเข้มแข็ง",
    "เศรษฐกิจพอเพียง สิ่งแวดล้อมยั่งยืน คุณภาพชีวิตดี ตำบล{name}ไม่ทิ้งใครไว้ข้างหลัง",
    "ตำบล{name} ชุมชนพึ่งตนเอง เกษตรปลอดภัย หนี้สินลดลง ผู้สูงอายุมีคุณภาพชีวิตที่ดี",
    "ชุมชนเข้มแข็ง เศรษฐกิจฐานรากมั่นคง ทรัพยากรสมบูรณ์ ประชาชนตำบล{name}มีความสุข",
)

# (category, issue title, issue description, project titles serving the issue).
ISSUES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("income", "ความยากจนและรายได้ไม่เพียงพอ",
     "ครัวเรือนจำนวนมากมีรายได้ต่ำกว่าเกณฑ์ จปฐ. 38,000 บาทต่อคนต่อปี ขาดอาชีพเสริม",
     ("โครงการส่งเสริมอาชีพเสริมแก่ครัวเรือนยากจน", "โครงการฝึกอบรมการแปรรูปผลผลิตทางการเกษตร",
      "โครงการส่งเสริมการปลูกผักปลอดสารพิษ", "โครงการพัฒนาผลิตภัณฑ์ชุมชนและบรรจุภัณฑ์")),
    ("agriculture", "ราคายางพาราตกต่ำและต้นทุนการผลิตสูง",
     "รายได้หลักพึ่งยางพาราอย่างเดียว ราคาผันผวน ปุ๋ยและปัจจัยการผลิตมีราคาสูง",
     ("โครงการส่งเสริมการปลูกพืชร่วมยาง", "โครงการผลิตปุ๋ยอินทรีย์ใช้เองในชุมชน",
      "โครงการจัดตั้งกลุ่มแปรรูปยางพาราแผ่นรมควัน", "โครงการเลี้ยงผึ้งโพรงในสวนยาง")),
    ("agriculture", "ขาดแคลนน้ำเพื่อการเกษตรในฤดูแล้ง",
     "แหล่งน้ำตื้นเขิน น้ำไม่พอทำการเกษตรช่วงกุมภาพันธ์ถึงเมษายน",
     ("โครงการขุดลอกคลองส่งน้ำ", "โครงการก่อสร้างฝายชะลอน้ำ", "โครงการขุดสระน้ำประจำไร่นา",
      "โครงการวางท่อส่งน้ำเพื่อการเกษตร")),
    ("debt", "หนี้สินครัวเรือนสูง",
     "ครัวเรือนมีหนี้ทั้งในและนอกระบบ ขาดการวางแผนการเงินและการออม",
     ("โครงการจัดทำบัญชีครัวเรือน", "โครงการปรับโครงสร้างหนี้นอกระบบ",
      "โครงการส่งเสริมการออมผ่านกลุ่มสัจจะออมทรัพย์")),
    ("health", "ผู้สูงอายุและผู้ป่วยติดเตียงเพิ่มขึ้น",
     "สัดส่วนผู้สูงอายุสูงขึ้น ขาดผู้ดูแลและอุปกรณ์ช่วยเหลือ",
     ("โครงการอบรมอาสาสมัครดูแลผู้สูงอายุ", "โครงการโรงเรียนผู้สูงอายุ",
      "โครงการจัดหากายอุปกรณ์สำหรับผู้ป่วยติดเตียง", "โครงการตรวจคัดกรองโรคเบาหวานและความดันโลหิตสูง")),
    ("education", "เยาวชนขาดโอกาสทางการศึกษาและมีปัญหายาเสพติด",
     "เยาวชนบางส่วนไม่ได้เรียนต่อ ว่างงาน และเสี่ยงต่อยาเสพติด",
     ("โครงการค่ายเยาวชนต้านยาเสพติด", "โครงการทุนการศึกษาเด็กยากจน",
      "โครงการลานกีฬาสร้างสุขสำหรับเยาวชน", "โครงการฝึกทักษะอาชีพให้เยาวชนนอกระบบการศึกษา")),
    ("environment", "ปัญหาขยะและสิ่งแวดล้อมในชุมชน",
     "ขยะตกค้างริมถนนและลำคลอง ขาดการคัดแยกขยะต้นทาง",
     ("โครงการธนาคารขยะชุมชน", "โครงการคัดแยกขยะต้นทางในครัวเรือน",
      "โครงการปลูกป่าชุมชนและรักษาต้นน้ำ", "โครงการทำปุ๋ยหมักจากขยะอินทรีย์")),
    ("environment", "น้ำท่วมซ้ำซากในฤดูมรสุม",
     "ช่วงพฤศจิกายนถึงธันวาคมน้ำท่วมพื้นที่เกษตรและบ้านเรือน ทางระบายน้ำไม่เพียงพอ",
     ("โครงการขุดลอกคูระบายน้ำ", "โครงการซ้อมแผนป้องกันภัยพิบัติชุมชน",
      "โครงการวางท่อระบายน้ำ")),
    ("infrastructure", "ถนนและไฟฟ้าส่องสว่างไม่ทั่วถึง",
     "ถนนสายรองชำรุดในฤดูฝน ไฟส่องสว่างไม่เพียงพอ เสี่ยงต่ออุบัติเหตุ",
     ("โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก", "โครงการติดตั้งไฟฟ้าส่องสว่างพลังงานแสงอาทิตย์",
      "โครงการซ่อมแซมถนนลูกรัง", "โครงการขยายเขตประปาหมู่บ้าน")),
    ("culture", "ศักยภาพการท่องเที่ยวชุมชนยังไม่ได้รับการพัฒนา",
     "มีแหล่งธรรมชาติและวัฒนธรรมท้องถิ่น แต่ขาดการบริหารจัดการและประชาสัมพันธ์",
     ("โครงการพัฒนาแหล่งท่องเที่ยวเชิงเกษตร", "โครงการอนุรักษ์ประเพณีสารทเดือนสิบ",
      "โครงการฝึกอบรมมัคคุเทศก์ชุมชน")),
    ("governance", "การมีส่วนร่วมของประชาชนในการพัฒนาน้อย",
     "ประชาชนเข้าร่วมเวทีประชาคมน้อย ข้อมูลชุมชนไม่เป็นปัจจุบัน",
     ("โครงการจัดเก็บข้อมูลชุมชนและ จปฐ.", "โครงการเวทีประชาคมทบทวนแผนชุมชน",
      "โครงการพัฒนาศักยภาพผู้นำชุมชน")),
)  # fmt: skip

FUNDING_WEIGHTS = {"community": 10, "community_fund": 10, "local_government": 35,
                   "government_agency": 20, "province": 12, "private": 5, "ngo": 8}  # fmt: skip
# Status weights by project year: plans for later years are mostly still proposals.
STATUS_WEIGHTS = {
    2568: {"proposed": 3, "in_lg_plan": 5, "approved": 5, "funded": 10, "in_progress": 22,
           "completed": 48, "cancelled": 7},
    2569: {"proposed": 15, "in_lg_plan": 30, "approved": 25, "funded": 15, "in_progress": 10,
           "completed": 2, "cancelled": 3},
    2570: {"proposed": 45, "in_lg_plan": 40, "approved": 10, "funded": 3, "cancelled": 2},
    2571: {"proposed": 65, "in_lg_plan": 30, "approved": 4, "cancelled": 1},
}  # fmt: skip
BUDGET_RANGE = {"infrastructure": (150_000, 2_500_000), "agriculture": (50_000, 1_500_000),
                "environment": (20_000, 600_000)}  # fmt: skip
DEFAULT_BUDGET_RANGE = (10_000, 300_000)
SMALL_FUNDERS = frozenset({"community_fund", "ngo", "private"})  # grants of tens of thousands
AGENCY_BY_CATEGORY = {
    "income": "สำนักงานพัฒนาชุมชนอำเภอ", "agriculture": "สำนักงานเกษตรอำเภอ",
    "debt": "สำนักงานพัฒนาชุมชนอำเภอ", "health": "โรงพยาบาลส่งเสริมสุขภาพตำบล",
    "education": "สำนักงานส่งเสริมการเรียนรู้อำเภอ",
    "environment": "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด",
    "infrastructure": "สำนักงานโยธาธิการและผังเมืองจังหวัด", "culture": "สำนักงานวัฒนธรรมจังหวัด",
    "governance": "ที่ทำการปกครองอำเภอ",
}  # fmt: skip


def plan_frames(
    tambon: pd.Series, villages: pd.DataFrame, rng: random.Random
) -> tuple[pd.DataFrame, ...]:
    code, name = tambon["tambon_code"], tambon["name_th"]
    adopted = date(2024, 10, 1) + timedelta(days=rng.randint(0, 150))
    plan = pd.DataFrame(
        [{"tambon_code": code, "title_th": f"แผนแม่บทชุมชนตำบล{name} พ.ศ. 2568–2571",
          "start_year_be": PLAN_YEARS[0], "end_year_be": PLAN_YEARS[1],
          "vision_th": rng.choice(VISIONS).format(name=name), "adopted_date": adopted.isoformat()}],
        columns=schemas.field_names("plan"),
    )  # fmt: skip
    chosen = rng.sample(ISSUES, rng.randint(3, 7))
    issues = pd.DataFrame(
        [{"tambon_code": code, "issue_no": no, "category": cat, "title_th": title,
          "description_th": description}
         for no, (cat, title, description, _) in enumerate(chosen, 1)],
        columns=schemas.field_names("plan_issues"),
    )  # fmt: skip
    projects = projects_frame(tambon, villages, chosen, rng)
    projects, history = followed(projects, adopted, rng)  # last: the draws above stay as they were
    return plan, issues, projects, history


def project_issue_numbers(issue_count: int, project_count: int, rng: random.Random) -> list[int]:
    """The issue of each project: every issue has one, higher-ranked issues get more."""
    weights = [issue_count - i + 2 for i in range(issue_count)]
    extra = rng.choices(range(1, issue_count + 1), weights=weights, k=project_count - issue_count)
    return list(range(1, issue_count + 1)) + extra


def projects_frame(
    tambon: pd.Series, villages: pd.DataFrame, issues: Sequence[tuple], rng: random.Random
) -> pd.DataFrame:
    rows = []
    district_name = gazetteer.district(tambon["district_code"]).name_th
    province_name = gazetteer.province(str(tambon["tambon_code"])[:2]).name_th
    seen: set[str] = set()
    for issue_no in project_issue_numbers(len(issues), rng.randint(10, 30), rng):
        category, _, _, titles = issues[issue_no - 1]
        while True:  # a fresh title: each issue offers at least 3 titles x 6 places
            village_no = rng.randint(1, len(villages)) if rng.random() < 0.6 else None
            place = f" หมู่ที่ {village_no}" if village_no else f" ตำบล{tambon['name_th']}"
            title = rng.choice(titles) + place
            if title not in seen:
                break
        seen.add(title)
        funding = weighted(rng, FUNDING_WEIGHTS)
        low, high = BUDGET_RANGE.get(category, DEFAULT_BUDGET_RANGE)
        budget = round_to(rng.uniform(low, high), 1000)
        if funding == "community":  # run by volunteers: often no money at all
            budget = 0 if rng.random() < 0.5 else round_to(rng.uniform(5_000, 50_000), 1000)
        elif funding in SMALL_FUNDERS:
            budget = min(budget, round_to(rng.uniform(10_000, 150_000), 1000))
        year = rng.randint(*PLAN_YEARS)
        rows.append(
            {
                "tambon_code": tambon["tambon_code"],
                "project_id": "",
                "issue_no": issue_no,
                "village_code": f"{tambon['tambon_code']}{village_no:02d}" if village_no else None,
                "title_th": title,
                "budget_baht": budget,
                "funding_source": funding,
                "responsible_th": _responsible(
                    funding, category, tambon, (district_name, province_name), village_no
                ),
                "year_be": year,
                "status": weighted(rng, STATUS_WEIGHTS[year]),
            }
        )
    rows.sort(key=lambda r: (r["issue_no"], r["year_be"], r["title_th"]))
    for i, row in enumerate(rows, start=1):
        row["project_id"] = f"P{i:02d}"
    columns = [c for c in schemas.field_names("plan_projects") if c in rows[0]]
    return pd.DataFrame(rows, columns=columns)


def _responsible(
    funding: str, category: str, tambon: pd.Series, names: tuple[str, str], village_no: int | None
) -> str:
    """Who runs a project; `names`: the Thai names of the tambon's district and province (an
    agency's office is the one of the tambon's own province, not the pilot's)."""
    district_name, province_name = names
    if funding in ("community", "community_fund"):
        if village_no:
            return f"คณะกรรมการหมู่บ้าน หมู่ที่ {village_no}"
        return f"สภาองค์กรชุมชนตำบล{tambon['name_th']}"
    if funding == "local_government":
        return str(tambon["lg_name_th"])
    if funding == "government_agency":
        agency = AGENCY_BY_CATEGORY[category]
        return agency + (
            district_name
            if agency.endswith("อำเภอ")
            else province_name
            if agency.endswith("จังหวัด")
            else tambon["name_th"]
        )
    if funding == "province":
        return f"จังหวัด{province_name}"
    if funding == "private":
        return "ภาคเอกชนในพื้นที่ร่วมกับ" + str(tambon["lg_name_th"])
    return "องค์กรพัฒนาเอกชนร่วมกับสภาองค์กรชุมชน"


# --- followed to results (issue 13, item 2) ----------------------------------------------

# Money from these goes to the community directly: no local-government plan in between.
OUTSIDE_LG_PLAN = frozenset({"community", "community_fund", "ngo", "private"})
CANCEL_REASONS = ("ไม่ได้รับการจัดสรรงบประมาณ", "ซ้ำซ้อนกับโครงการของหน่วยงานอื่น",
                  "ประชาคมมีมติเลื่อนไปปีถัดไป")  # fmt: skip
OVERSPEND_REASONS = ("ชุมชนสมทบค่าแรงและวัสดุเพิ่มเติม", "ราคาวัสดุสูงขึ้น ได้รับงบเพิ่มเติมจาก อปท.")
OVERSPEND_SHARE = 0.04  # of completed projects: spent more than funded, with the reason


def _steps(status: str, funding: str, rng: random.Random) -> list[str]:
    """The statuses a project passed to reach `status`, in order."""
    if status == cl.CANCELLED:
        reached = rng.choice(cl.STATUS_ORDER[: cl.STATUS_ORDER.index("in_progress") + 1])
        return [*_steps(reached, funding, rng), cl.CANCELLED]
    steps = cl.STATUS_ORDER[: cl.STATUS_ORDER.index(status) + 1]
    skip = funding in OUTSIDE_LG_PLAN and status != "in_lg_plan"
    return [s for s in steps if not (skip and s == "in_lg_plan")]


def _dates(count: int, adopted: date, rng: random.Random) -> list[date]:
    """`count` dates from the plan's adoption to no later than the figures' date, in order."""
    span = (REFERENCE_DATE - adopted).days * rng.uniform(0.5, 1.0)
    gaps = [0.0] + [rng.uniform(1, 4) for _ in range(count - 1)]
    total = sum(gaps) or 1.0
    dates, run = [], 0.0
    for gap in gaps:
        run += gap
        dates.append(adopted + timedelta(days=round(span * run / total)))
    return dates


def _amounts(
    budget: int, steps: list[str], rng: random.Random
) -> tuple[int | None, int | None, str | None]:
    """(funded, spent, reason) of a project that took `steps`: none before it was funded."""
    if cl.FUNDED_FROM not in steps:
        return None, None, None
    funded = budget if rng.random() < 0.55 else round_to(budget * rng.uniform(0.6, 1.0), 1000)
    last = steps[-1] if steps[-1] != cl.CANCELLED else steps[-2]
    if last == "completed":
        if rng.random() < OVERSPEND_SHARE and funded:
            return (
                funded,
                round_to(funded * rng.uniform(1.02, 1.1), 100),
                rng.choice(OVERSPEND_REASONS),
            )
        return funded, round_to(funded * rng.uniform(0.85, 1.0), 100), None
    if last == "in_progress":
        return funded, round_to(funded * rng.uniform(0.1, 0.8), 100), None
    return funded, 0, None


def followed(projects: pd.DataFrame, adopted: date, rng: random.Random
             ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """The projects with the amounts funded and spent, and each one's status history: the
    dated steps it took from its proposal at the plan's adoption to its status now."""
    projects = projects.copy()
    amounts, history = [], []
    for row in projects.itertuples(index=False):
        steps = _steps(row.status, row.funding_source, rng)
        amounts.append(_amounts(int(row.budget_baht), steps, rng))
        for step, when in zip(steps, _dates(len(steps), adopted, rng), strict=True):
            note = rng.choice(CANCEL_REASONS) if step == cl.CANCELLED else None
            history.append({"tambon_code": row.tambon_code, "project_id": row.project_id,
                            "status": step, "status_date": when.isoformat(),
                            "note_th": note})  # fmt: skip
    funded, spent, notes = zip(*amounts, strict=True) if amounts else ((), (), ())
    projects["funded_baht"] = pd.array(funded, dtype="Int64")
    projects["spent_baht"] = pd.array(spent, dtype="Int64")
    projects["amount_note_th"] = list(notes)
    columns = schemas.field_names("plan_project_status")
    return projects[schemas.field_names("plan_projects")], pd.DataFrame(history, columns=columns)
