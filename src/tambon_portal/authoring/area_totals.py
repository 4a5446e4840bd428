"""District and province totals of the tambons published from household records (issue 11):
the area package of a province (`core.schemas.areas`).

Summed from each tambon's tables before suppression (its own BMN rows and its income
summary), so they are the true totals of exactly the tambons they list in `area_tambons`,
not the sums of published cells a roll-up of the site can make. Then suppressed (1–4, the
row rules) and protected together with the tambons (`protection.protect_province`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

import pandas as pd

from tambon_portal.authoring import sample
from tambon_portal.core import codelists as cl
from tambon_portal.core import gazetteer, licences, schemas
from tambon_portal.core.schemas import areas
from tambon_portal.stats import suppress

_BMN_COUNTS = ["surveyed", "passed", "failed"]
_INCOME_COUNTS = ["households_surveyed", "households_below_line", "households_with_debt"]


def tambon_part(code: str, tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """What a tambon gives its areas' totals, from its tables before suppression: its own BMN
    rows and its income summary (small: the parent process keeps a province's)."""
    bmn = tables["bmn_results"]
    own = bmn[(bmn["area_level"] == "tambon") & (bmn["area_code"] == code)]
    return {
        "bmn": own[["year_be", "indicator", *_BMN_COUNTS]].assign(tambon_code=code),
        "income": tables["income_summary"][["year_be", *_INCOME_COUNTS]].assign(tambon_code=code),
    }


def _levels(frame: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    codes = frame["tambon_code"].astype(str)
    return [("district", codes.str[:4]), ("province", codes.str[:2])]


def _summed(frame: pd.DataFrame, keys: list[str], counts: list[str], resource: str
            ) -> pd.DataFrame:  # fmt: skip
    frames = []
    for level, area in _levels(frame):
        sums = (
            frame.assign(area_code=area).groupby(["area_code", *keys], as_index=False)[counts].sum()
        )
        frames.append(sums.assign(area_level=level))
    out = pd.concat(frames, ignore_index=True).astype({c: "int64" for c in counts})
    return out[areas.field_names(resource)].reset_index(drop=True)


def raw_tables(parts: Mapping[str, Mapping[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """The area totals of one province's tambons (`tambon_part` of each), before suppression:
    each district's rows, then the province's."""
    codes = sorted(parts)
    coverage = pd.DataFrame(
        [(area, level, code) for code in codes
         for level, area in (("district", code[:4]), ("province", code[:2]))],
        columns=areas.field_names("area_tambons"),
    )  # fmt: skip
    bmn = pd.concat([parts[c]["bmn"] for c in codes], ignore_index=True)
    income = pd.concat([parts[c]["income"] for c in codes], ignore_index=True)
    return {
        "area_tambons": _districts_first(coverage),
        "area_bmn_results": _districts_first(
            _summed(bmn, ["year_be", "indicator"], _BMN_COUNTS, "area_bmn_results")
        ),
        "area_income": _districts_first(
            _summed(income, ["year_be"], _INCOME_COUNTS, "area_income")
        ),
    }


def _districts_first(frame: pd.DataFrame) -> pd.DataFrame:
    order = frame["area_level"].map({c.code: i for i, c in enumerate(cl.TOTAL_LEVELS)})
    keys = [k for k in ("area_code", "year_be", "indicator", "tambon_code") if k in frame]
    frame = frame.assign(_order=order).sort_values(["_order", *keys], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


def primary(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The area totals with 1–4 suppressed (the province's protection follows)."""
    return {
        "area_tambons": tables["area_tambons"],
        "area_bmn_results": suppress.suppress_area_bmn_results(tables["area_bmn_results"]),
        "area_income": suppress.suppress_area_income(tables["area_income"]),
    }


def descriptor(province: str, *, sample: bool, source_title: str, created: str) -> dict:
    """The datapackage.json of a province's area totals."""
    place = gazetteer.province(province)
    name_th = place.name_th if place else province
    name_en = place.name_en if place else province
    return {
        "name": areas.package_name(province),
        "title": f"ตัวเลขรวมระดับอำเภอและจังหวัด{name_th} จากระเบียนครัวเรือน",
        "title_en": f"District and province totals of {name_en}, from household records",
        "description": (
            "ผลรวมจริงของตำบลที่ระบุในตาราง area_tambons นับจากระเบียนครัวเรือน"
            " ปกปิดเซลล์ร่วมกับข้อมูลรายตำบลเพื่อไม่ให้คำนวณย้อนกลับได้"
            " The true totals of the tambons listed in area_tambons, counted from the"
            " household records by `tambon households publish` and suppressed together with"
            " the tambons' tables, so that no suppressed cell of either can be worked out."
        ),
        "province_code": province,
        "sample": sample,
        "licenses": [dict(licences.DEFAULT)],
        "sources": [{"title": source_title}],
        "keywords": [f"จังหวัด{name_th}", "จปฐ.", "ตัวเลขรวมระดับอำเภอ"],
        "created": created,
        "resources": [
            schemas.resource_descriptor(
                name, copy.deepcopy(areas.SCHEMAS[name]), areas.RESOURCE_TITLES
            )
            for name in areas.SCHEMAS
        ],
    }


def data_files(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Relative path -> CSV text of each area table (suppressed already)."""
    return {
        f"data/{name}.csv": sample.csv_text(frame, name, areas.SCHEMAS, areas.SMALL_COUNT_FIELDS)
        for name, frame in tables.items()
    }
