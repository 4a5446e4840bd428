"""What readers type into the search box, and a reader typing it (tests and benchmarks/search.py).

Each query is written once here, with the page a reader wants among the first three results,
so the browser tests and the benchmark measure the same set. The queries are about the pilot
data in datapackages/ (real codes and names; synthetic figures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PHONE, DESKTOP = "phone", "desktop"
TOP = 3
BOX = "[data-site-search-query]"
RESULTS = "[data-site-search-results]"
META = "[data-site-search-meta]"
FOUND = re.compile(r"^พบ \d+ รายการ$")
NOT_FOUND = re.compile(r"^ไม่พบผลลัพธ์")
HEADER_BUTTON = "label.md-header__button[for=__search]"


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    expected: str  # a regex that the path (and #section) of one of the first TOP results matches
    screen: str = DESKTOP


QUERIES: tuple[Query, ...] = (
    Query("Thai tambon name, no spaces", "ท่าไร่", r"^/tambon/800106/", PHONE),
    Query("Thai tambon name, many syllables", "แม่เจ้าอยู่หัว", r"^/tambon/800613/"),
    Query("Thai tambon name with ตำบล", "ตำบลควนหนองหงษ์", r"^/tambon/800709/"),
    Query("Thai tambon name, first letters", "ควนหนอง", r"^/tambon/800709/", PHONE),
    Query("English tambon name, lower case", "tha rai", r"^/tambon/800106/"),
    Query("English tambon name, capitals", "KHUAN NONG HONG", r"^/tambon/800709/"),
    Query("English tambon name, one wrong letter", "Mamuang Song Tom", r"^/tambon/800114/", PHONE),
    Query("Thai tambon name, one wrong letter", "การะเกต", r"^/tambon/800611/", PHONE),
    Query("Thai tambon name, wrong tone mark", "ท่าประจ๊ะ", r"^/tambon/800703/"),
    Query("6-digit tambon code", "800106", r"^/tambon/800106/", PHONE),
    Query("district name", "ชะอวด", r"^/district/8007/"),
    Query("district name with อำเภอ", "อำเภอทุ่งสง", r"^/district/8009/"),
    Query("English district name", "Thung Song", r"^/district/8009/"),
    Query("province name", "นครศรีธรรมราช", r"^/province/80/|^/$"),
    Query("village name with บ้าน", "บ้านห้วยไม้เรียง", r"^/tambon/800612/", PHONE),
    Query("village name without บ้าน", "ห้วยไม้เรียง", r"^/tambon/800612/", PHONE),
    Query("8-digit village code", "80061201", r"^/tambon/800612/", PHONE),
    Query("words inside a project title, no spaces", "ผักปลอดสารพิษ", r"^/tambon/\d{6}/", PHONE),
    Query("a word inside a project title", "บรรจุภัณฑ์", r"^/tambon/\d{6}/"),
    # a result opens at the issue or, better, at the project's own row (tr id="project-P01")
    Query("part of a compound word", "เบาหวาน", r"^/tambon/\d{6}/#(issue|project)-"),
    Query("BMN topic word", "น้ำสะอาด", r"^/methodology/#bmn-indicators$"),
    Query("funding source word", "กองทุนชุมชน", r"^/plan/|^/tambon/\d{6}/#(issue|project)-"),
    Query("plan category word", "การท่องเที่ยว", r"^/plan/"),
    # a knowledge article (issue 13) by words of its title, typed without spaces
    Query(
        "words of an article's title",
        "ธนาคารน้ำใต้ดิน",
        r"^/knowledge/2569-01-groundwater-bank/",
        PHONE,
    ),
)


def open_box(page: Any, screen: str) -> Any:
    """Opens the search box as a reader does on that screen; returns the box."""
    if screen == PHONE:
        page.locator(HEADER_BUTTON).first.click()
    box = page.locator(BOX)
    box.click()
    return box


def type_query(page: Any, text: str) -> None:
    """Types `text` key by key into the open box (each key fires a search, as for a reader)."""
    page.locator(BOX).press_sequentially(text)


def wait_for_answer(page: Any, text: str, timeout_ms: float = 10_000) -> None:
    """Waits until the result list answers `text` (not a query typed on the way)."""
    page.locator(f"{RESULTS}[data-query='{text.strip()}']").wait_for(
        state="attached", timeout=timeout_ms
    )


def result_paths(page: Any) -> list[str]:
    """The links of the result list, in order, as site paths with their #section."""
    return page.locator(f"{RESULTS} a").evaluate_all(
        "links => links.map(a => { const u = new URL(a.href); return u.pathname + u.hash; })"
    )


def search(page: Any, text: str, screen: str = DESKTOP) -> list[str]:
    """A reader opens the box, types `text`, and reads the result links."""
    open_box(page, screen)
    type_query(page, text)
    wait_for_answer(page, text)
    return result_paths(page)


def found_in_top(paths: list[str], query: Query, top: int = TOP) -> bool:
    return any(re.search(query.expected, path) for path in paths[:top])
