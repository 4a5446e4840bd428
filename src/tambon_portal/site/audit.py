"""Measuring built pages as a phone meets them: Lighthouse scores and first-load weight.

Used by benchmarks/pages.py (not by tests: scores are measurements, and timed tests are noisy).
Lighthouse (npm, Apache-2.0) is installed on demand into build/tools/, pinned, never into
the project; it drives Debian's chromium. First-load weight is read with Playwright (the
`test` extra): the bytes on the wire of every response a page load fetches, with gzip.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LIGHTHOUSE_VERSION = "13.5.0"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@dataclass(frozen=True)
class Scores:
    page: str
    performance: int
    accessibility: int
    best_practices: int
    seo: int
    lcp_ms: float
    tbt_ms: float
    first_load_gzip: int  # bytes on the wire at first load (compressed)
    requests: int


def lighthouse_bin(tools: Path) -> Path:
    """The pinned Lighthouse in `tools`, installed with npm first if it is not there."""
    binary = tools / "node_modules" / ".bin" / "lighthouse"
    if not binary.is_file():
        tools.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent",
             f"lighthouse@{LIGHTHOUSE_VERSION}"],
            cwd=tools, check=True,
        )  # fmt: skip
    return binary


def lighthouse(binary: Path, url: str) -> dict:
    """One Lighthouse run (mobile, default throttling) of `url`: the JSON report."""
    with tempfile.TemporaryDirectory(prefix="tambon-lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [str(binary), url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
            check=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
        )  # fmt: skip
        return json.loads(report.read_text(encoding="utf-8"))


def first_load(url: str) -> tuple[int, int]:
    """(bytes transferred, requests) of a first visit at 390 px, nothing cached."""
    from playwright.sync_api import sync_playwright

    sizes: list[int] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.on(
            "requestfinished",
            lambda r: sizes.append(
                r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
            ),
        )
        page.goto(url, wait_until="networkidle")
        browser.close()
    return sum(sizes), len(sizes)


def measure(binary: Path, base_url: str, path: str) -> Scores:
    report = lighthouse(binary, base_url + path)
    categories, audits = report["categories"], report["audits"]
    weight, requests = first_load(base_url + path)
    return Scores(
        page=path,
        performance=round(100 * (categories["performance"]["score"] or 0)),
        accessibility=round(100 * (categories["accessibility"]["score"] or 0)),
        best_practices=round(100 * (categories["best-practices"]["score"] or 0)),
        seo=round(100 * (categories["seo"]["score"] or 0)),
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        first_load_gzip=weight,
        requests=requests,
    )


def median_run(binary: Path, base_url: str, path: str, runs: int) -> tuple[Scores, int, int]:
    """The run of median performance among `runs` (Lighthouse's own advice for a noisy
    machine: one run's score moves by a few points), with the lowest and highest score."""
    results = sorted((measure(binary, base_url, path) for _ in range(runs)),
                     key=lambda s: s.performance)  # fmt: skip
    return results[len(results) // 2], results[0].performance, results[-1].performance


def failing_audits(report: dict, category: str) -> list[str]:
    """Ids of the audits that cost `category` points, for the benchmark's notes."""
    refs = report["categories"][category]["auditRefs"]
    return [
        r["id"] for r in refs
        if r.get("weight") and (report["audits"][r["id"]].get("score") or 0) < 1
    ]  # fmt: skip
