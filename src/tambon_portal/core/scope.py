"""What a portal covers, from its data (issue 12): the provinces of its tambon packages, and
the names every output gives that area (the site's name, the catalog's title, the releases'
feed, the roll-up package's title and name), so they cannot disagree.

One province (the pilot's) is named as the province, จังหวัดนครศรีธรรมราช; every province of
the gazetteer is the country; any other set is counted, "2 จังหวัด".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tambon_portal.core import gazetteer, settings, urls

COUNTRY_TH, COUNTRY_EN = "ทั้งประเทศ", "Thailand"


@dataclass(frozen=True)
class Scope:
    provinces: tuple[str, ...]  # province codes, in code order

    @property
    def single(self) -> bool:
        return len(self.provinces) == 1

    @property
    def country(self) -> bool:
        return set(self.provinces) == {p.code for p in gazetteer.provinces()}

    def _one(self) -> gazetteer.Place | None:
        return gazetteer.province(self.provinces[0]) if self.single else None

    @property
    def short_th(self) -> str:
        """The area in a title where space is short: นครศรีธรรมราช, ทั้งประเทศ, 2 จังหวัด."""
        one = self._one()
        if one is not None:
            return one.name_th
        return COUNTRY_TH if self.country else f"{len(self.provinces)} จังหวัด"

    @property
    def area_th(self) -> str:
        """The area in running text: จังหวัดนครศรีธรรมราช, ทั้งประเทศ, 2 จังหวัด."""
        one = self._one()
        return f"จังหวัด{one.name_th}" if one is not None else self.short_th

    def after_th(self, words: str) -> str:
        """`words` then the area: Thai joins words without a space, but not to a number
        (ข้อมูลรวมจังหวัดนครศรีธรรมราช, ข้อมูลรวม 2 จังหวัด)."""
        area = self.area_th
        return f"{words} {area}" if area[:1].isdigit() else f"{words}{area}"

    @property
    def area_en(self) -> str:
        one = self._one()
        if one is not None:
            return one.name_en
        return COUNTRY_EN if self.country else f"{len(self.provinces)} provinces"

    @property
    def rollup_package(self) -> str:
        """The roll-up package's published name: the province's English name (the pilot's
        nakhon-si-thammarat-rollups, its permanent address), thailand-rollups, or the
        province codes (provinces-80-96-rollups)."""
        one = self._one()
        if one is not None:
            area = one.name_en
        else:
            area = COUNTRY_EN if self.country else "provinces-" + "-".join(self.provinces)
        return urls.slug(area) + urls.ROLLUP_PACKAGE_SUFFIX


def of_tambons(codes: Iterable[str]) -> Scope:
    """The scope of a portal of these tambons; without any, the partnership's province."""
    provinces = sorted({str(code)[:2] for code in codes})
    return Scope(tuple(provinces or [settings.PROVINCE_CODE]))
