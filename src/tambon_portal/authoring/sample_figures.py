"""The made-up figures of one synthetic tambon (`tambon sample`): its villages, people, Basic
Minimum Needs results, household income and debt, and occupations, drawn from the tambon's own
`random.Random` so that they hold together as real data must (villages add up to the tambon,
BMN passed + failed = surveyed, income brackets add up to the households surveyed, households
under the income line agree between the BMN results and the income summary).

Pure: frames in, frames out; the master plan is `sample_plan`, the package `sample`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date

import pandas as pd

from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, schemas

REFERENCE_DATE = date(2025, 9, 30)  # end of fiscal year 2568, the date the figures describe
CURRENT_YEAR_BE = 2568
BMN_YEARS = (2567, 2568)

# Districts on the Gulf of Thailand, where fishery is a main occupation of some households.
COASTAL_DISTRICTS = frozenset({"8001", "8008", "8012", "8014", "8015", "8016", "8023"})
# Districts of the Pak Phanang river basin, where rice is still grown widely.
RICE_DISTRICTS = frozenset({"8006", "8007", "8012", "8016", "8017", "8023"})

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


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def round_to(value: float, step: int) -> int:
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
    return median // 100 * 100, round_to(max(mean, median * 1.08), 100)


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
                "mean_debt": round_to(mean_debt * rng.uniform(0.95, 1.08), 100),
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
