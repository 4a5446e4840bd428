"""DOPA codes and names of provinces, districts and tambons, from the `geothai` package.

Everything that needs to know whether a code exists, or what a place is called, asks here,
so that one gazetteer version is used throughout a build. English names are written in one
case style (`english_name`): the gazetteer has a few in mixed case ("Tha yang", "Lan SaKa").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geothai

GAZETTEER_VERSION = geothai.DATA_VERSION


def english_name(name: str) -> str:
    """A romanised Thai place name as the portal writes it: each word capitalised and the rest
    of it in lower case ("Tha yang" -> "Tha Yang", "Lan SaKa" -> "Lan Saka"), as in almost all
    of the gazetteer's names; a hyphen joins syllables of one word ("Cha-uat" stays)."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in str(name).split())


@dataclass(frozen=True)
class Place:
    code: str
    name_th: str
    name_en: str
    level: str  # "province" | "district" | "tambon"

    @property
    def parent_code(self) -> str | None:
        return {"province": None, "district": self.code[:2], "tambon": self.code[:4]}[self.level]


@cache  # a Place is immutable; pages and downloads look the same codes up many times
def province(code: str) -> Place | None:
    p = geothai.province(code)
    return Place(p.code, p.name_th, english_name(p.name_en), "province") if p else None


@cache
def district(code: str) -> Place | None:
    d = geothai.district(code)
    return Place(d.code, d.name_th, english_name(d.name_en), "district") if d else None


@cache
def tambon(code: str) -> Place | None:
    s = geothai.subdistrict(code)
    return Place(s.code, s.name_th, english_name(s.name_en), "tambon") if s else None


def tambon_address(code: str) -> tuple[str, str]:
    """(Thai, English) "ตำบล… อำเภอ… จังหวัด…" of a tambon code in the gazetteer."""
    tambon_, district_, province_ = tambon(code), district(code[:4]), province(code[:2])
    if not (tambon_ and district_ and province_):
        raise ValueError(f"{code} is not a tambon code in the gazetteer")
    return (
        f"ตำบล{tambon_.name_th} อำเภอ{district_.name_th} จังหวัด{province_.name_th}",
        f"Tambon {tambon_.name_en}, {district_.name_en} District, {province_.name_en} Province",
    )


def place(code: str) -> Place | None:
    """Looks a code up at the level its length implies (2, 4 or 6 digits)."""
    lookup = {2: province, 4: district, 6: tambon}.get(len(code))
    return lookup(code) if lookup and code.isdigit() else None


@cache
def districts_of(province_code: str) -> tuple[Place, ...]:
    return tuple(
        Place(d.code, d.name_th, english_name(d.name_en), "district")
        for d in geothai.districts(province_code)
    )


@cache
def tambons_of(district_code: str) -> tuple[Place, ...]:
    return tuple(
        Place(s.code, s.name_th, english_name(s.name_en), "tambon")
        for s in geothai.subdistricts(district_code)
    )


def tambons_of_province(province_code: str) -> tuple[Place, ...]:
    return tuple(t for d in districts_of(province_code) for t in tambons_of(d.code))


@cache
def provinces() -> tuple[Place, ...]:
    return tuple(
        Place(p.code, p.name_th, english_name(p.name_en), "province") for p in geothai.provinces()
    )


def all_tambons() -> tuple[Place, ...]:
    """Every sub-district of the country, by province, district and code."""
    return tuple(t for p in provinces() for t in tambons_of_province(p.code))
