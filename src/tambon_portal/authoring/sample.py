"""Seeded synthetic data packages for the 60 pilot tambons (`tambon sample`).

Codes and names are real (from the gazetteer); every figure is made up, but made up so that it
holds together the way real data must: villages add up to the tambon, BMN passed + failed =
surveyed, the income brackets add up to the households surveyed, households under the income
line are the same number in the BMN results and in the income summary. Small counts are
suppressed exactly as real data must be (see `suppress`).

Each tambon draws from its own `random.Random(seed + int(code))`, so adding or dropping a
tambon does not change another's data, and the output is byte-for-byte the same for a seed.
Only `random.Random` is used (not numpy) because its stream is stable across library versions.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, schemas
from tambon_portal.core.settings import PROVINCE_CODE
from tambon_portal.packages import writer as package_writer
from tambon_portal.stats import suppress

DEFAULT_SEED = 2568
PILOT_COUNT = 60
# Tha Rai is in every pilot set so that examples, docs and tests can name one fixed tambon.
ANCHOR_TAMBON = "800106"
REFERENCE_DATE = date(2025, 9, 30)  # end of fiscal year 2568, the date the figures describe
CREATED = "2025-09-30T00:00:00Z"  # fixed: the descriptor must not depend on the clock
CURRENT_YEAR_BE = 2568
BMN_YEARS = (2567, 2568)
PLAN_YEARS = (2568, 2571)

# Districts on the Gulf of Thailand, where fishery is a main occupation of some households.
COASTAL_DISTRICTS = frozenset({"8001", "8008", "8012", "8014", "8015", "8016", "8023"})
# Districts of the Pak Phanang river basin, where rice is still grown widely.
RICE_DISTRICTS = frozenset({"8006", "8007", "8012", "8016", "8017", "8023"})

# ---------------------------------------------------------------------------------------------
# Pilot selection


def pilot_codes(seed: int = DEFAULT_SEED) -> list[str]:
    """60 tambon codes of province 80, at least one in each district, sorted."""
    rng = random.Random(seed)
    chosen = {ANCHOR_TAMBON}
    for district in gazetteer.districts_of(PROVINCE_CODE):
        codes = [t.code for t in gazetteer.tambons_of(district.code)]
        if chosen.isdisjoint(codes):
            chosen.add(rng.choice(codes))
    rest = sorted(
        t.code for t in gazetteer.tambons_of_province(PROVINCE_CODE) if t.code not in chosen
    )
    chosen.update(rng.sample(rest, PILOT_COUNT - len(chosen)))
    return sorted(chosen)


# ---------------------------------------------------------------------------------------------
# Small random helpers


def split_total(
    total: int, weights: Sequence[float], rng: random.Random, jitter: float = 0.15
) -> list[int]:
    """Splits `total` into non-negative integers roughly proportional to `weights`, exactly.

    Each weight is jittered by ±`jitter`, then the largest-remainder method makes the parts
    add up to `total` exactly (no rounding drift).
    """
    noisy = [w * rng.uniform(1 - jitter, 1 + jitter) for w in weights]
    scale = total / sum(noisy)
    raw = [w * scale for w in noisy]
    parts = [math.floor(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _round_to(value: float, step: int) -> int:
    return round(value / step) * step


# ---------------------------------------------------------------------------------------------
# Place names

# Thai place-name parts with their RTGS romanisation.
NAME_HEADS = (
    ("ทุ่ง", "Thung"), ("ควน", "Khuan"), ("นา", "Na"), ("หนอง", "Nong"), ("บาง", "Bang"),
    ("ท่า", "Tha"), ("คลอง", "Khlong"), ("เขา", "Khao"), ("ห้วย", "Huai"), ("โคก", "Khok"),
    ("วัง", "Wang"), ("สวน", "Suan"), ("ไร่", "Rai"), ("ปาก", "Pak"), ("หัว", "Hua"),
    ("บ่อ", "Bo"), ("ดอน", "Don"), ("พรุ", "Phru"), ("สระ", "Sa"), ("ถ้ำ", "Tham"),
)  # fmt: skip
NAME_TAILS = (
    ("ใหญ่", "Yai"), ("น้อย", "Noi"), ("ใหม่", "Mai"), ("กลาง", "Klang"), ("เหนือ", "Nuea"),
    ("ใต้", "Tai"), ("ยาง", "Yang"), ("ไทร", "Sai"), ("ทอง", "Thong"), ("หลวง", "Luang"),
    ("ยาว", "Yao"), ("โพธิ์", "Pho"), ("ตะเคียน", "Takhian"), ("ขาม", "Kham"), ("แดง", "Daeng"),
    ("หิน", "Hin"), ("ทราย", "Sai"), ("ม่วง", "Muang"), ("มะพร้าว", "Maphrao"), ("ขนุน", "Khanun"),
    ("ไม้เรียง", "Mai Riang"), ("ชุมแสง", "Chum Saeng"), ("เตียน", "Tian"), ("จันทร์", "Chan"),
)  # fmt: skip


def village_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` distinct (Thai, RTGS) village names such as ("บ้านทุ่งใหญ่", "Ban Thung Yai")."""
    pairs = [(h, t) for h in NAME_HEADS for t in NAME_TAILS]
    return [
        (f"บ้าน{h_th}{t_th}", f"Ban {h_en} {t_en}")
        for (h_th, h_en), (t_th, t_en) in rng.sample(pairs, count)
    ]


# ---------------------------------------------------------------------------------------------
# Tambon and villages


def tambon_frame(
    place: gazetteer.Place, villages: pd.DataFrame, rng: random.Random
) -> pd.DataFrame:
    lg_type = "tm_tambon" if rng.random() < 0.15 else "sao"
    lg_name = cl.label(cl.LOCAL_GOVERNMENT_TYPES, lg_type) + place.name_th
    row = {
        "province_code": place.code[:2],
        "district_code": place.code[:4],
        "tambon_code": place.code,
        "name_th": place.name_th,
        "name_en": place.name_en,
        "lg_type": lg_type,
        "lg_name_th": lg_name,
        "area_km2": round(rng.uniform(10, 150), 1),
        "villages": len(villages),
        "households": int(villages["households"].sum()),
        "population": int(villages["population"].sum()),
        "reference_date": REFERENCE_DATE.isoformat(),
        "pilot": True,
    }
    return pd.DataFrame([row], columns=schemas.field_names("tambon"))


def villages_frame(code: str, rng: random.Random) -> pd.DataFrame:
    count = rng.randint(5, 18)
    rows = []
    for no, (name_th, name_en) in enumerate(village_names(count, rng), start=1):
        households = rng.randint(80, 600)
        rows.append(
            {
                "village_code": f"{code}{no:02d}",
                "tambon_code": code,
                "village_no": no,
                "name_th": name_th,
                "name_en": name_en,
                "households": households,
                "population": round(households * rng.uniform(2.6, 3.4)),
            }
        )
    return pd.DataFrame(rows, columns=schemas.field_names("villages"))


# ---------------------------------------------------------------------------------------------
# Population

# Shares of the 17 five-year age groups in rural southern Thailand around 2025: few births,
# a bulge at 35–59 and a growing old-age population.
AGE_WEIGHTS = (4.4, 5.0, 5.6, 6.0, 6.1, 6.2, 6.4, 7.0, 7.5, 7.8, 7.8, 7.3, 6.3, 5.0, 3.6, 2.4, 2.6)
# Women's share of each age group: about even in youth, rising with age (women live longer).
FEMALE_SHARE = (0.49, 0.49, 0.49, 0.49, 0.49, 0.50, 0.50, 0.50, 0.51, 0.51, 0.52, 0.52, 0.53,
                0.54, 0.56, 0.58, 0.62)  # fmt: skip


def population_frame(code: str, population: int, rng: random.Random) -> pd.DataFrame:
    by_age = split_total(population, AGE_WEIGHTS, rng, jitter=0.12)
    females = [
        min(n, round(n * share * rng.uniform(0.97, 1.03)))
        for n, share in zip(by_age, FEMALE_SHARE, strict=True)
    ]
    persons = {"female": females, "male": [n - f for n, f in zip(by_age, females, strict=True)]}
    rows = [
        {"tambon_code": code, "year_be": CURRENT_YEAR_BE, "sex": sex, "age_group": age,
         "persons": persons[sex][i]}
        for sex in cl.codes(cl.SEXES)
        for i, age in enumerate(cl.codes(cl.AGE_GROUPS))
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=schemas.field_names("population"))


def adults_by_sex(population: pd.DataFrame) -> dict[str, int]:
    """Persons aged 15 and over, by sex (the first three age groups are 0–14)."""
    children = set(cl.codes(cl.AGE_GROUPS)[:3])
    adults = population[~population["age_group"].isin(children)]
    return {sex: int(n) for sex, n in adults.groupby("sex")["persons"].sum().items()}


# ---------------------------------------------------------------------------------------------
# Basic Minimum Needs

# Persons counted by a person indicator, as a share of the village population.
PERSON_SUBGROUP_SHARE = {
    1: 0.009, 2: 0.009, 3: 0.14, 6: 0.55, 7: 0.92, 16: 0.03, 17: 0.10, 18: 0.012, 19: 0.01,
    20: 0.62, 21: 0.62, 23: 0.21, 25: 0.80, 26: 0.80, 27: 0.92, 28: 0.21, 29: 0.025,
}  # fmt: skip
# Typical pass rates where they are lower than the usual 90-odd per cent.
LOWER_PASS_RATE = {7: 0.84, 24: 0.82, 25: 0.80, 26: 0.86, 13: 0.88}


def _indicator_rates(rng: random.Random) -> dict[int, float]:
    rates = {}
    for indicator in cl.BMN_INDICATORS:
        base = LOWER_PASS_RATE.get(indicator.number, 0.95)
        rates[indicator.number] = min(0.995, max(0.80, base + rng.uniform(-0.05, 0.04)))
    # The income line separates tambons most: 70–98 % of households above it.
    rates[cl.INCOME_LINE_INDICATOR] = rng.uniform(0.72, 0.95)
    return rates


def _surveyed(indicator: cl.Indicator, households: int, population: int, rng: random.Random) -> int:
    if indicator.unit == "household":
        return round(households * rng.uniform(0.93, 1.0))
    return round(population * PERSON_SUBGROUP_SHARE[indicator.number] * rng.uniform(0.8, 1.2))


def bmn_frame(villages: pd.DataFrame, rng: random.Random) -> pd.DataFrame:
    """Village rows drawn per indicator-year, and tambon rows as their exact sums."""
    rates = _indicator_rates(rng)
    rows = []
    for year in BMN_YEARS:
        improvement = 0.0 if year == BMN_YEARS[0] else rng.uniform(0.0, 0.02)
        for village in villages.itertuples():
            village_shift = rng.uniform(-0.03, 0.03)
            for indicator in cl.BMN_INDICATORS:
                surveyed = _surveyed(indicator, village.households, village.population, rng)
                rate = rates[indicator.number] + improvement + village_shift
                rate = min(1.0, max(0.5, rate + rng.uniform(-0.02, 0.02)))
                passed = round(surveyed * rate)
                rows.append((village.village_code, "village", year, indicator.number,
                             surveyed, passed, surveyed - passed))  # fmt: skip
    frame = pd.DataFrame(rows, columns=schemas.field_names("bmn_results"))
    return with_tambon_totals(frame, villages["tambon_code"].iloc[0])


def with_tambon_totals(village_rows: pd.DataFrame, tambon_code: str) -> pd.DataFrame:
    """The village rows of BMN results with the tambon rows added as their exact sums."""
    totals = (
        village_rows.groupby(["year_be", "indicator"], as_index=False)[
            ["surveyed", "passed", "failed"]
        ]
        .sum()
        .assign(area_code=tambon_code, area_level="tambon")
    )
    both = pd.concat([totals[village_rows.columns], village_rows], ignore_index=True)
    # Tambon row first, then its villages, for each year and indicator.
    return both.sort_values(["year_be", "indicator", "area_code"], kind="stable", ignore_index=True)


def bmn_tambon_row(bmn: pd.DataFrame, year: int, indicator: int) -> pd.Series:
    rows = bmn[
        (bmn["area_level"] == "tambon") & (bmn["year_be"] == year) & (bmn["indicator"] == indicator)
    ]
    return rows.iloc[0]


# ---------------------------------------------------------------------------------------------
# Income and debt

BRACKETS = cl.codes(cl.INCOME_BRACKETS)
ABOVE_LINE_WEIGHTS = (0.42, 0.33, 0.16, 0.09)  # 38k-60k, 60k-100k, 100k-150k, ge150k
# Mean income inside each bracket, for the mean of the whole distribution.
BRACKET_MEAN = {"lt30k": 22_000, "30k-38k": 34_000, "38k-60k": 48_000, "60k-100k": 76_000,
                "100k-150k": 120_000, "ge150k": 190_000}  # fmt: skip


def grouped_median(counts: dict[str, int]) -> int:
    """Median income by linear interpolation inside the bracket where half the households fall."""
    half = sum(counts.values()) / 2
    cumulative = 0
    for bracket in BRACKETS:
        n = counts[bracket]
        if n and cumulative + n >= half:
            low, high = cl.INCOME_BRACKET_BOUNDS[bracket]
            value = low + (half - cumulative) / n * (high - low)
            return min(high - 1, max(low, int(value)))
        cumulative += n
    raise ValueError("no households")


def brackets_for(surveyed: int, below_line: int, rng: random.Random) -> dict[str, int]:
    poorest = round(below_line * rng.uniform(0.30, 0.55))
    above = split_total(surveyed - below_line, ABOVE_LINE_WEIGHTS, rng, jitter=0.25)
    return dict(zip(BRACKETS, [poorest, below_line - poorest, *above], strict=True))


def income_averages(counts: dict[str, int]) -> tuple[int, int]:
    """(median, mean) income of the bracket counts, as published (rounded to 100 baht)."""
    median = grouped_median(counts)
    mean = sum(BRACKET_MEAN[b] * n for b, n in counts.items()) / sum(counts.values())
    # The median is rounded down so that it stays inside its bracket.
    return median // 100 * 100, _round_to(max(mean, median * 1.08), 100)


def income_frames(
    code: str, bmn: pd.DataFrame, rng: random.Random
) -> tuple[pd.DataFrame, pd.DataFrame]:
    bracket_rows, summary_rows = [], []
    debt_share = rng.uniform(0.45, 0.75)
    mean_debt = rng.uniform(90_000, 220_000)
    for year in BMN_YEARS:
        income_line = bmn_tambon_row(bmn, year, cl.INCOME_LINE_INDICATOR)
        surveyed, below = int(income_line["surveyed"]), int(income_line["failed"])
        counts = brackets_for(surveyed, below, rng)
        bracket_rows += [{"tambon_code": code, "year_be": year, "bracket": b, "households": n}
                         for b, n in counts.items()]  # fmt: skip
        median, mean = income_averages(counts)
        summary_rows.append(
            {
                "tambon_code": code,
                "year_be": year,
                "households_surveyed": surveyed,
                "median_income": median,
                "mean_income": mean,
                "households_below_line": below,
                "households_with_debt": round(surveyed * debt_share * rng.uniform(0.97, 1.03)),
                "mean_debt": _round_to(mean_debt * rng.uniform(0.95, 1.08), 100),
            }
        )
    brackets = pd.DataFrame(bracket_rows, columns=schemas.field_names("income_brackets"))
    summary = pd.DataFrame(summary_rows, columns=schemas.field_names("income_summary"))
    return brackets, summary


# ---------------------------------------------------------------------------------------------
# Occupations

OCCUPATION_WEIGHTS = {  # per cent of adults of each sex, inland default
    "male": {"rubber": 27, "rice": 3, "orchard": 11, "fishery": 1, "livestock": 2, "trade": 7,
             "employee": 9, "government": 3, "labourer": 16, "student": 5, "none": 6, "other": 2},
    "female": {"rubber": 21, "rice": 3, "orchard": 8, "fishery": 0.5, "livestock": 2, "trade": 14,
               "employee": 8, "government": 4, "labourer": 11, "student": 6, "none": 13,
               "other": 3},
}  # fmt: skip


def occupation_weights(sex: str, district_code: str) -> dict[str, float]:
    weights = dict(OCCUPATION_WEIGHTS[sex])
    if district_code in COASTAL_DISTRICTS:
        weights["fishery"] *= 9
    if district_code in RICE_DISTRICTS:
        weights["rice"] *= 4
    return weights


def occupations_frame(code: str, population: pd.DataFrame, rng: random.Random) -> pd.DataFrame:
    rows = []
    adults = adults_by_sex(population)
    for occupation in cl.codes(cl.OCCUPATIONS):
        rows += [{"tambon_code": code, "year_be": CURRENT_YEAR_BE, "occupation": occupation,
                  "sex": sex, "persons": 0} for sex in cl.codes(cl.SEXES)]  # fmt: skip
    frame = pd.DataFrame(rows, columns=schemas.field_names("occupations"))
    for sex in cl.codes(cl.SEXES):
        # Not every adult answered the occupation question: the total stays under the adults.
        answered = round(adults[sex] * rng.uniform(0.90, 0.98))
        weights = occupation_weights(sex, code[:4])
        parts = split_total(answered, [weights[o] for o in cl.codes(cl.OCCUPATIONS)], rng, 0.3)
        frame.loc[frame["sex"] == sex, "persons"] = parts
    return frame


# ---------------------------------------------------------------------------------------------
# Community master plan

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
    return plan, issues, projects


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
        funding = _weighted(rng, FUNDING_WEIGHTS)
        low, high = BUDGET_RANGE.get(category, DEFAULT_BUDGET_RANGE)
        budget = _round_to(rng.uniform(low, high), 1000)
        if funding == "community":  # run by volunteers: often no money at all
            budget = 0 if rng.random() < 0.5 else _round_to(rng.uniform(5_000, 50_000), 1000)
        elif funding in SMALL_FUNDERS:
            budget = min(budget, _round_to(rng.uniform(10_000, 150_000), 1000))
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
                    funding, category, tambon, district_name, village_no
                ),
                "year_be": year,
                "status": _weighted(rng, STATUS_WEIGHTS[year]),
            }
        )
    rows.sort(key=lambda r: (r["issue_no"], r["year_be"], r["title_th"]))
    for i, row in enumerate(rows, start=1):
        row["project_id"] = f"P{i:02d}"
    return pd.DataFrame(rows, columns=schemas.field_names("plan_projects"))


def _responsible(
    funding: str, category: str, tambon: pd.Series, district_name: str, village_no: int | None
) -> str:
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
            else "นครศรีธรรมราช"
            if agency.endswith("จังหวัด")
            else tambon["name_th"]
        )
    if funding == "province":
        return "จังหวัดนครศรีธรรมราช"
    if funding == "private":
        return "ภาคเอกชนในพื้นที่ร่วมกับ" + str(tambon["lg_name_th"])
    return "องค์กรพัฒนาเอกชนร่วมกับสภาองค์กรชุมชน"


# ---------------------------------------------------------------------------------------------
# One tambon, end to end (pure)


def tambon_rng(code: str, seed: int) -> random.Random:
    """The tambon's own stream: its data does not depend on which other tambons are drawn."""
    return random.Random(seed + int(code))


def raw_tambon(code: str, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Every resource of one tambon's package before small-cell suppression."""
    place = gazetteer.tambon(code)
    if place is None:
        raise ValueError(f"{code} is not a tambon code in the gazetteer")
    rng = tambon_rng(code, seed)
    villages = villages_frame(code, rng)
    tambon = tambon_frame(place, villages, rng)
    population = population_frame(code, int(tambon["population"].iloc[0]), rng)
    bmn = bmn_frame(villages, rng)
    brackets, summary = income_frames(code, bmn, rng)
    occupations = occupations_frame(code, population, rng)
    plan, issues, projects = plan_frames(tambon.iloc[0], villages, rng)
    frames = {
        "tambon": tambon,
        "villages": villages,
        "population": population,
        "bmn_results": bmn,
        "income_brackets": brackets,
        "income_summary": summary,
        "occupations": occupations,
        "plan": plan,
        "plan_issues": issues,
        "plan_projects": projects,
    }
    return {name: frames[name] for name in schemas.RESOURCE_NAMES}


SUPPRESSORS = {
    "population": suppress.suppress_population,
    "bmn_results": suppress.suppress_bmn_results,
    "income_brackets": suppress.suppress_income_brackets,
    "income_summary": suppress.suppress_income_summary,
    "occupations": suppress.suppress_occupations,
}


def suppressed(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every resource of a package as published: small counts suppressed."""
    return {name: SUPPRESSORS.get(name, pd.DataFrame.copy)(frame) for name, frame in raw.items()}


def build_tambon(code: str, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Every resource of one tambon's package as published (small counts suppressed)."""
    return suppressed(raw_tambon(code, seed))


# ---------------------------------------------------------------------------------------------
# A village leaves the tambon (pure)
#
# A maintainer whose tambon loses a village (split off, merged into a neighbour) does not only
# delete its row: every total must still add up, or the release refuses the package. These
# functions make that edit to the unsuppressed frames so that the package still validates.


def scaled_parts(parts: Sequence[int], total: int) -> list[int]:
    """`parts` scaled to add up to `total` exactly, keeping their shape (largest remainder).

    Integer arithmetic only, and ties go to the earlier part, so the result is deterministic.
    """
    whole = sum(parts)
    if whole == 0:
        if total != 0:
            raise ValueError(f"cannot scale parts that add up to 0 to {total}")
        return list(parts)
    floors = [p * total // whole for p in parts]
    remainders = [p * total % whole for p in parts]
    by_remainder = sorted(range(len(parts)), key=lambda i: (-remainders[i], i))
    for i in by_remainder[: total - sum(floors)]:
        floors[i] += 1
    return floors


def _scaled_count(count: int, new: int, old: int) -> int:
    """`count` * new / old rounded half up, in integers."""
    return (2 * count * new + old) // (2 * old)


def _scale_groups(
    frame: pd.DataFrame, column: str, by: list[str], target: Callable[[tuple, int], int]
) -> pd.DataFrame:
    """A copy of `frame` with each group's cells scaled to add up to target(key, old sum)."""
    out = frame.copy()
    for key, cells in frame.groupby(by, sort=False)[column]:
        parts = [int(n) for n in cells]
        out.loc[cells.index, column] = scaled_parts(parts, target(key, sum(parts)))
    return out


def _bmn_without(bmn: pd.DataFrame, village_code: str, tambon_code: str) -> pd.DataFrame:
    kept = bmn[(bmn["area_level"] == "village") & (bmn["area_code"] != village_code)]
    return with_tambon_totals(kept.reset_index(drop=True), tambon_code)


def _scaled_counts(rows: pd.DataFrame, total: int) -> dict[str, int]:
    """Bracket -> households of some bracket rows, scaled to add up to `total`."""
    counts = scaled_parts([int(n) for n in rows["households"]], total)
    return dict(zip(rows["bracket"], counts, strict=True))


def _income_without(
    brackets: pd.DataFrame, summary: pd.DataFrame, bmn: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Brackets and summary agreeing with the new BMN income-line row (indicator 22) each year.

    The brackets under the line are scaled to the households that failed indicator 22, those
    above it to the households that passed, so the shape of the distribution is kept.
    """
    new_brackets, new_summary = brackets.copy(), summary.copy()
    for index, row in summary.iterrows():
        year = row["year_be"]
        line = bmn_tambon_row(bmn, year, cl.INCOME_LINE_INDICATOR)
        surveyed, below = int(line["surveyed"]), int(line["failed"])
        rows = brackets[brackets["year_be"] == year]
        under = rows["bracket"].isin(cl.BRACKETS_BELOW_LINE)
        counts = _scaled_counts(rows[under], below) | _scaled_counts(rows[~under], surveyed - below)
        new_brackets.loc[rows.index, "households"] = [counts[b] for b in rows["bracket"]]
        median, mean = income_averages(counts)
        old_surveyed = int(row["households_surveyed"])
        with_debt = _scaled_count(int(row["households_with_debt"]), surveyed, old_surveyed)
        new_summary.loc[index, ["households_surveyed", "median_income", "mean_income"]] = [
            surveyed, median, mean
        ]  # fmt: skip
        new_summary.loc[index, ["households_below_line", "households_with_debt"]] = [
            below, min(with_debt, surveyed)
        ]  # fmt: skip
    return new_brackets, new_summary


def without_village(raw: dict[str, pd.DataFrame], village_code: str) -> dict[str, pd.DataFrame]:
    """The unsuppressed frames of a tambon (`raw_tambon`) after its last village has left.

    Its row and BMN rows go; the tambon's villages, households, population and BMN rows are
    recomputed from the villages left; population and occupation cells are scaled to the new
    population (occupations stay under the adults of each sex); income brackets and summary
    are scaled to the new BMN income-line row; the village's projects become tambon-wide.
    Only the last village can leave, because village numbers must run 1, 2, 3, ... (a real
    renumbering would change every later village's code).
    """
    villages = raw["villages"]
    last = villages.loc[villages["village_no"].idxmax(), "village_code"]
    if village_code != last:
        raise ValueError(f"{village_code} is not the last village of the tambon ({last})")
    kept = villages[villages["village_code"] != village_code].reset_index(drop=True)
    tambon = raw["tambon"].copy()
    old_population = int(tambon["population"].iloc[0])
    new_population = int(kept["population"].sum())
    tambon.loc[:, ["villages", "households", "population"]] = [
        len(kept), int(kept["households"].sum()), new_population
    ]  # fmt: skip
    population = _scale_groups(
        raw["population"], "persons", ["tambon_code", "year_be"],
        lambda _key, total: _scaled_count(total, new_population, old_population),
    )  # fmt: skip
    adults = adults_by_sex(population)

    def occupied(key: tuple, total: int) -> int:  # those who answered stay under the adults
        return min(adults[key[1]], _scaled_count(total, new_population, old_population))

    occupations = _scale_groups(raw["occupations"], "persons", ["year_be", "sex"], occupied)
    bmn = _bmn_without(raw["bmn_results"], village_code, str(tambon["tambon_code"].iloc[0]))
    brackets, summary = _income_without(raw["income_brackets"], raw["income_summary"], bmn)
    projects = raw["plan_projects"].copy()
    projects.loc[projects["village_code"] == village_code, "village_code"] = None
    frames = raw | {
        "tambon": tambon,
        "villages": kept,
        "population": population,
        "bmn_results": bmn,
        "income_brackets": brackets,
        "income_summary": summary,
        "occupations": occupations,
        "plan_projects": projects,
    }
    return {name: frames[name] for name in schemas.RESOURCE_NAMES}


# ---------------------------------------------------------------------------------------------
# Descriptor and CSV text (pure)


def descriptor(code: str, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    return schemas.tambon_package_descriptor(
        code,
        description=(
            f"ข้อมูลตัวอย่างสังเคราะห์ (ไม่ใช่ข้อมูลจริง) สร้างด้วยโปรแกรมสุ่มแบบกำหนด seed {seed}: "
            "ตัวเลขทั้งหมดสมมุติขึ้น ส่วนรหัสและชื่อพื้นที่เป็นของจริง "
            f"SYNTHETIC SAMPLE DATA made by a seeded generator (seed {seed}): "
            "all figures are made up; area codes and names are real."
        ),
        sample=True,
        source_title=f"ข้อมูลสังเคราะห์จาก tambon-portal `tambon sample --seed {seed}`",
        created=CREATED,
        extra_keywords=("ข้อมูลตัวอย่าง", "sample data"),
    )


def _cell(value: Any, suppressible: bool) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return schemas.SUPPRESSED if suppressible else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_text(frame: pd.DataFrame, resource: str) -> str:
    """The resource as CSV text: header in schema order, "x" for suppressed, "" for empty."""
    fields = schemas.SCHEMAS[resource]["fields"]
    names = [f["name"] for f in fields]
    suppressible = set(schemas.SMALL_COUNT_FIELDS.get(resource, ()))
    integers = {f["name"] for f in fields if f["type"] == "integer"}
    rows: list[list[str]] = [names]
    for row in frame[names].itertuples(index=False):
        cells = []
        for name, value in zip(names, row, strict=True):
            if name in integers and value is not None and value is not pd.NA:
                value = int(value)
            cells.append(_cell(value, name in suppressible))
        rows.append(cells)
    return package_writer.csv_text(rows)


def package_files(code: str, seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Relative path -> text of every file of one tambon package."""
    files = {"datapackage.json": package_writer.descriptor_text(descriptor(code, seed))}
    return files | data_files(build_tambon(code, seed))


def data_files(published: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Relative path -> CSV text of every resource of a package (frames already suppressed)."""
    return {f"data/{name}.csv": csv_text(frame, name) for name, frame in published.items()}


# ---------------------------------------------------------------------------------------------
# I/O


def write_package(out: Path, code: str, seed: int = DEFAULT_SEED) -> Path:
    folder = out / code[:2] / code
    package_writer.write_files(folder, package_files(code, seed))
    return folder


def write_samples(out: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    return [write_package(out, code, seed) for code in pilot_codes(seed)]
