"""Settings of the portal that every stage shares, each defined here once (pure: no I/O).

Imports nothing of the project, so every module of core/ can read it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

PROVINCE_CODE = "80"  # Nakhon Si Thammarat, the partnership's province

# Who publishes the data: the catalog, citations and schema.org name it.
PUBLISHER: dict[str, str | None] = {
    "name_th": "ภาคีความร่วมมือแก้ไขปัญหาความยากจน จังหวัดนครศรีธรรมราช",
    "name_en": "Nakhon Si Thammarat poverty-alleviation partnership",
    "email": None,  # no address is invented: pass the real one in `publisher`
}

# The SPDX id of the licence every tambon package states, and that a package naming no licence
# is published under (`licences.DEFAULT` is it with its title and link).
LICENCE_ID = "CC-BY-4.0"

# The site address of machine files (DCAT, data.json) when none is configured (`siteurl`):
# a reserved domain, never a real site.
PLACEHOLDER_SITE_URL = "https://example.org/tambon-portal"

# A Buddhist Era year is the Common Era year + 543 (พ.ศ. = ค.ศ. + 543).
BE_OFFSET = 543
# What a suppressed cell holds, in every output: the CSV, the XLSX, the JSON, the pages; and
# what it means, wherever it is explained (a secondary cell may hold any count).
SUPPRESSED = "x"
SUPPRESSED_WHY_TH = "จำนวน 1–4 หรือช่องที่ปกปิดเพิ่มเพื่อไม่ให้คำนวณตัวเลขที่ปกปิดย้อนกลับได้"
SUPPRESSED_WHY_EN = "a count of 1–4, or a cell hidden so that none can be worked out from the rest"
SUPPRESSED_NOTE = f"{SUPPRESSED} = ปกปิด: {SUPPRESSED_WHY_TH} (suppressed: {SUPPRESSED_WHY_EN})"

# Shown on every page and in every download of the synthetic sample packages.
SAMPLE_NOTICE_TH = "ข้อมูลตัวอย่าง (สังเคราะห์)"
SAMPLE_NOTICE_EN = "Sample data (synthetic): figures are made up; codes and names are real."

# The source of the tambon centroids of the home map (src/tambon_portal/data/thai-province-data).
COORDINATES_ATTRIBUTION = "thai-province-data by kongvut, MIT"


def is_sample(descriptor: Mapping[str, Any]) -> bool:
    """Whether a package says its data is synthetic: its `sample` is the JSON boolean true.

    Why strict: `bool()` took the text "false" (or "no") for true, so pages called real data
    synthetic while the catalog, which tested `is True`, did not.
    """
    return descriptor.get("sample") is True


def any_sample(descriptors: Iterable[Mapping[str, Any]]) -> bool:
    """Whether any of the packages is synthetic (then every page and the catalog say so)."""
    return any(is_sample(d) for d in descriptors)
