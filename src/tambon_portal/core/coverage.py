"""What a figure of an area larger than a tambon covers, and the words every output uses for it.

A district or province row of `aggregate.key_figures` adds up the tambons that have data, not
every tambon of the area (docs/architecture.md §3): in province 80, 60 of 170 tambons. A
journalist who reads "จังหวัด 739,602" quotes it as the province's population. So every output
that shows an area figure says what it covers, with the words defined here and nowhere else:

- a row that covers every tambon of its area (in the gazetteer) is named by the area
  ("อำเภอเมืองนครศรีธรรมราช");
- a row that covers only some is never named by the area alone: it is "ตำบลนำร่อง 3 ตำบลใน
  อำเภอเมืองนครศรีธรรมราช" / "3 pilot tambons of Mueang Nakhon Si Thammarat District", with its
  share "3 จาก 16 ตำบล" / "3 of 16 tambons" where space allows;
- "ตำบลนำร่อง" (pilot tambons) only when every tambon with data in the area is a pilot one,
  else "ตำบลที่มีข้อมูล" (tambons with data).

The numbers (`tambons_with_data`, `pilots_with_data`, `tambons_in_area`) are computed once, in
`aggregate`; this module only words them (pure, no pandas).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Levels of a key-figures row whose figures are sums over tambons.
LEVEL_TH: dict[str, str] = {"district": "อำเภอ", "province": "จังหวัด"}
LEVEL_EN: dict[str, str] = {"district": "District", "province": "Province"}
PILOTS_TH, PILOTS_EN = "ตำบลนำร่อง", "pilot tambons"
WITH_DATA_TH, WITH_DATA_EN = "ตำบลที่มีข้อมูล", "tambons with data"
TAMBON_TH, TAMBONS_EN = "ตำบล", "tambons"
_SINGULAR_EN = {PILOTS_EN: "pilot tambon", WITH_DATA_EN: "tambon with data", TAMBONS_EN: "tambon"}


def _count_en(n: int, noun: str) -> str:
    """ "1 pilot tambon", "3 pilot tambons" (Thai has no plural)."""
    return f"{n} {_SINGULAR_EN[noun] if n == 1 else noun}"


def _is_known(value: Any) -> bool:
    """False for None/NaN/pd.NA (without importing pandas: NaN != NaN, NA raises on bool)."""
    if value is None:
        return False
    try:
        return bool(value == value)
    except TypeError:
        return False


@dataclass(frozen=True)
class Coverage:
    """What one key-figures row adds up: `with_data` of the `in_area` tambons of its area
    (`in_area` None when the gazetteer does not know the area)."""

    level: str  # tambon | district | province | pilot
    name_th: str  # the area's own name, without อำเภอ/จังหวัด
    name_en: str
    with_data: int
    pilots_with_data: int
    in_area: int | None

    @property
    def complete(self) -> bool:
        """Whether the row covers every tambon of its area: then its name may be the area's."""
        return self.in_area is not None and 0 < self.in_area <= self.with_data

    @property
    def all_pilots(self) -> bool:
        return self.pilots_with_data == self.with_data


def of_row(row: Mapping[str, Any]) -> Coverage:
    """The coverage of a `key_figures` row (a mapping of its columns)."""
    in_area = row.get("tambons_in_area")
    return Coverage(
        level=str(row.get("level") or ""),
        name_th=str(row.get("name_th") or row.get("area_code") or ""),
        name_en=str(row.get("name_en") or row.get("area_code") or ""),
        with_data=int(row["tambons_with_data"]) if _is_known(row.get("tambons_with_data")) else 0,
        pilots_with_data=int(row["pilots_with_data"])
        if _is_known(row.get("pilots_with_data"))
        else 0,
        in_area=int(in_area) if _is_known(in_area) else None,
    )


def _noun_th(cov: Coverage) -> str:
    return PILOTS_TH if cov.all_pilots else WITH_DATA_TH


def _noun_en(cov: Coverage) -> str:
    return PILOTS_EN if cov.all_pilots else WITH_DATA_EN


def _area_th(cov: Coverage) -> str:
    return f"{LEVEL_TH.get(cov.level, '')}{cov.name_th}"


def _area_en(cov: Coverage) -> str:
    level = LEVEL_EN.get(cov.level)
    return f"{cov.name_en} {level}" if level else cov.name_en


def share_th(cov: Coverage) -> str:
    """The share, "3 จาก 16 ตำบล" (or "3 ตำบล" when the area's tambons are unknown)."""
    if cov.in_area is None:
        return f"{cov.with_data} {TAMBON_TH}"
    return f"{cov.with_data} จาก {cov.in_area} {TAMBON_TH}"


def share_en(cov: Coverage) -> str:
    if cov.in_area is None:
        return _count_en(cov.with_data, TAMBONS_EN)
    return f"{cov.with_data} of {_count_en(cov.in_area, TAMBONS_EN)}"


def name_th(cov: Coverage) -> str:
    """What the row's figures are of, in Thai: the area when complete, else its tambons."""
    if cov.level == "pilot":
        return (
            f"{PILOTS_TH}ทั้ง {cov.in_area} ตำบล"
            if cov.complete
            else f"{PILOTS_TH} {cov.with_data} ตำบลที่มีข้อมูล"
        )
    if cov.level == "tambon":
        return f"{TAMBON_TH}{cov.name_th}"
    if cov.level not in LEVEL_TH or cov.complete:
        return _area_th(cov)
    return f"{_noun_th(cov)} {cov.with_data} ตำบลใน{_area_th(cov)}"


def name_en(cov: Coverage) -> str:
    if cov.level == "pilot":
        return (
            f"all {cov.in_area} {PILOTS_EN}"
            if cov.complete
            else f"{_count_en(cov.with_data, PILOTS_EN)} with data"
        )
    if cov.level == "tambon":
        return f"Tambon {cov.name_en}"
    if cov.level not in LEVEL_EN or cov.complete:
        return _area_en(cov)
    return f"{_count_en(cov.with_data, _noun_en(cov))} of {_area_en(cov)}"


def covers_th(cov: Coverage) -> str:
    """The `covers_th` column of the roll-ups: "ตำบลนำร่อง 3 จาก 16 ตำบลในอำเภอเมือง…",
    "อำเภอ… ครบทั้ง 16 ตำบล", or the tambon's name for a tambon row."""
    if cov.level == "pilot" or cov.level not in LEVEL_TH or cov.in_area is None:
        return name_th(cov)
    if cov.complete:
        return f"{_area_th(cov)} ครบทั้ง {cov.in_area} ตำบล"
    return f"{_noun_th(cov)} {share_th(cov)}ใน{_area_th(cov)}"


def covers_en(cov: Coverage) -> str:
    if cov.level == "pilot" or cov.level not in LEVEL_EN or cov.in_area is None:
        return name_en(cov)
    if cov.complete:
        return f"{_area_en(cov)}, all {cov.in_area} {TAMBONS_EN}"
    return f"{_count_en(cov.with_data, _noun_en(cov))} of the {cov.in_area} in {_area_en(cov)}"


def short_th(cov: Coverage) -> str:
    """A label that fits a card or a table header: "ตำบลนำร่องในอำเภอ" / "ทั้งอำเภอ" (the
    place is on the page already); `share_th` goes beside it."""
    level = LEVEL_TH.get(cov.level, "")
    return f"ทั้ง{level}" if cov.complete else f"{_noun_th(cov)}ใน{level}"


def reference_th(cov: Coverage) -> str:
    """The area a comparison sentence compares with: "จังหวัด" / "ตำบลนำร่องในจังหวัด"."""
    level = LEVEL_TH.get(cov.level, "")
    return level if cov.complete else f"{_noun_th(cov)}ใน{level}"


def within(part: Coverage, area: Coverage) -> Coverage:
    """`part`'s tambons seen as a share of `area` (the pilot set within its province)."""
    return Coverage(
        area.level, area.name_th, area.name_en, part.with_data, part.pilots_with_data,
        area.in_area,
    )  # fmt: skip


def partial_note(coverages: Iterable[Coverage]) -> dict[str, str] | None:
    """The note under figures some of whose areas are covered only in part (None if none is):
    Thai, then English for a reader who quotes the figure in another language. Each level is
    named once; its share is given when the note is about one area of that level."""
    partial = [c for c in coverages if c.level in LEVEL_TH and not c.complete]
    if not partial:
        return None
    levels = list(dict.fromkeys(c.level for c in partial))
    single = [c for c in partial if sum(o.level == c.level for o in partial) == 1]
    pilots = all(c.all_pilots for c in partial)
    noun_th = f"{PILOTS_TH}ที่มีข้อมูล" if pilots else WITH_DATA_TH
    noun_en = f"{PILOTS_EN} with data" if pilots else WITH_DATA_EN
    levels_th = "และ".join(LEVEL_TH[level] for level in levels)
    wholes_th = "หรือ".join(f"ทั้ง{LEVEL_TH[level]}" for level in levels)
    levels_en = " and ".join(LEVEL_EN[level].lower() for level in levels)
    wholes_en = " or ".join(f"the whole {LEVEL_EN[level].lower()}" for level in levels)
    shares_th = " · ".join(f"{LEVEL_TH[c.level]} {share_th(c)}" for c in single)
    shares_en = ", ".join(f"{LEVEL_EN[c.level].lower()}: {share_en(c)}" for c in single)
    return {
        "th": f"ตัวเลขของ{levels_th}เป็นผลรวมเฉพาะ{noun_th}"
        + (f" ({shares_th})" if single else "")
        + f" ไม่ใช่ตัวเลขของ{wholes_th}",
        "en": f"The {levels_en} figures add up only the {noun_en}"
        + (f" ({shares_en})" if single else "")
        + f", not {wholes_en}.",
    }
