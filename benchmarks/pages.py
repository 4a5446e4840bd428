"""Lighthouse (mobile, default throttling) and first-load weight of five pages, served with
gzip as a real host does (issue 9, item 3). Prints one table; run after `make site`:

    .venv/bin/python benchmarks/pages.py [SITE_DIR] [RUNS]

Each page is audited RUNS times (default 3); the row is the run of median performance, with
the lowest and highest score of the runs beside it.

Targets: performance >= 95; accessibility, best practices and SEO 100; profile first load
<= 150 KB gzip. Lighthouse is installed on first use into build/tools/ (npm).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tambon_portal.pipeline import serving
from tambon_portal.site import audit

REPO = Path(__file__).resolve().parents[1]
RUNS = 3
PAGES = ("/", "/tambon/800106/", "/district/8001/", "/plan/", "/downloads/")


def main() -> int:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "build" / "site"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else RUNS
    if not (site / "index.html").is_file():
        print(f"no site in {site}: run `make site` first", file=sys.stderr)
        return 2
    binary = audit.lighthouse_bin(REPO / "build" / "tools")
    httpd, base = serving.serve_in_background(site)
    try:
        rows = [audit.median_run(binary, base, path, runs) for path in PAGES]
    finally:
        httpd.shutdown()
    print(
        f"| page | perf (median of {runs}) | perf range | a11y | best pr. | SEO | LCP s | TBT ms "
        "| first load KB gzip | requests |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r, low, high in rows:
        print(
            f"| {r.page} | {r.performance} | {low}–{high} | {r.accessibility} "
            f"| {r.best_practices} | {r.seo} | "
            f"{r.lcp_ms / 1000:.1f} | {r.tbt_ms:.0f} | {r.first_load_gzip / 1024:.0f} | "
            f"{r.requests} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
