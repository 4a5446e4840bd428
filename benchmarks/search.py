"""Search benchmark: what a reader's search costs on a phone, per kind of query (not a test).

    .venv/bin/python benchmarks/search.py [--site build/site]

Builds the site from datapackages/ (or takes a built one), serves it gzip-compressed as a host
does, at a slow-4G pace (150 ms per request, 1.6 Mbit/s), and in Debian chromium with a phone
screen and a 4× slower CPU types each query of tests/browser/search_reader.py into the search
box. Prints, per query: found in the top 3, bytes transferred for the search (on a first
search, so Pagefind itself included), time from typing to results, and what a profile's first
load transfers (search files included: there should be none).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tambon_portal.pipeline import build

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import search_reader  # noqa: E402  (the query set, shared with the browser tests)
from browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE_VIEWPORT  # noqa: E402

LANDING = "/tambon/800106/"  # a profile: where a reader from a search engine arrives
WARM_UP = "นา"  # a first query, before the measured one of a "next search"
SEARCH_PATHS = ("/pagefind/", "/search/")
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt")
# Lighthouse's mobile profile: slow 4G (150 ms round trip, 1.6 Mbit/s down), CPU 4× slower.
LATENCY_S = 0.150
BYTES_PER_S = 1.6e6 / 8
CPU_SLOWDOWN = 4
TIMEOUT_MS = 180_000


class SlowGzipHandler(SimpleHTTPRequestHandler):
    """Serves text gzip-compressed (as GitHub Pages and CDNs do), at the slow-4G pace."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = _gzipped(path, path.stat().st_mtime)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def copyfile(self, source, outputfile):  # type: ignore[override]
        time.sleep(LATENCY_S)
        data = source.read()
        for start in range(0, len(data), 16_384):
            outputfile.write(data[start : start + 16_384])
            time.sleep(min(16_384, len(data) - start) / BYTES_PER_S)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self) -> bytes:
        return self.data

    def close(self) -> None:
        pass


@functools.cache
def _gzipped(path: Path, mtime: float) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6)


def serve(site: Path) -> str:
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(SlowGzipHandler, directory=str(site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


@dataclass
class Transfers:
    """Bytes on the wire (body as sent, gzip) of every request of a page, its workers too."""

    items: list[tuple[str, int]] = field(default_factory=list)

    def record(self, request: Any) -> None:
        sizes = request.sizes()
        self.items.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    def total(self, since: int = 0, only_search: bool = False) -> int:
        return sum(
            n
            for url, n in self.items[since:]
            if not only_search or any(p in url for p in SEARCH_PATHS)
        )


@dataclass
class Measured:
    query: search_reader.Query
    found: bool
    search_bytes: int  # a first search: Pagefind itself, the places list, index, fragments
    seconds: float
    load_bytes: int
    load_search_bytes: int
    next_bytes: int = 0  # the same query after another search: index chunks and fragments
    next_seconds: float = 0.0


def measure(browser: Any, base: str, query: search_reader.Query) -> Measured:
    """A reader lands on a profile, opens the box and types the query (a first search); then
    another reader does the same after a first query (a next search)."""
    context, page, transfers = _phone_page(browser, base)
    load_bytes, load_search = transfers.total(), transfers.total(only_search=True)
    loaded = len(transfers.items)  # opening the box starts loading Pagefind: count that too
    search_reader.open_box(page, search_reader.PHONE)
    _, seconds = _timed_search(page, transfers, query.text)
    searched = transfers.total(since=loaded)
    found = search_reader.found_in_top(search_reader.result_paths(page), query)
    context.close()
    context, page, transfers = _phone_page(browser, base)
    search_reader.open_box(page, search_reader.PHONE)
    _timed_search(page, transfers, WARM_UP)
    next_bytes, next_seconds = _timed_search(page, transfers, query.text)
    context.close()
    return Measured(
        query, found, searched, seconds, load_bytes, load_search, next_bytes, next_seconds
    )


def _phone_page(browser: Any, base: str) -> tuple[Any, Any, Transfers]:
    """A mid-range phone (4× slower CPU) on the landing page, its transfers recorded."""
    context = browser.new_context(
        viewport=dict(PHONE_VIEWPORT), device_scale_factor=2, is_mobile=True,
        has_touch=True, locale="th-TH",
    )  # fmt: skip
    page = context.new_page()
    transfers = Transfers()
    page.on("requestfinished", transfers.record)
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    # Long timeouts: at the slow-4G pace a profile takes seconds, more on a busy machine.
    page.goto(base + LANDING, wait_until="load", timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    return context, page, transfers


def _timed_search(page: Any, transfers: Transfers, text: str) -> tuple[int, float]:
    """Types `text` into the open box: bytes transferred and seconds until its results."""
    before = len(transfers.items)
    started = time.perf_counter()
    page.locator(search_reader.BOX).fill(text)
    search_reader.wait_for_answer(page, text, timeout_ms=TIMEOUT_MS)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    return transfers.total(since=before), seconds


def report(rows: list[Measured]) -> str:
    lines = [
        f"{'query kind':40} {'query':18} {'top 3':>5} "
        f"{'first search KB':>15} {'s':>5} {'next search KB':>14} {'s':>5}",
    ]
    for r in rows:
        lines.append(
            f"{r.query.kind[:40]:40} {r.query.text[:18]:18} {'yes' if r.found else 'NO':>5} "
            f"{r.search_bytes / 1024:15.1f} {r.seconds:5.2f} "
            f"{r.next_bytes / 1024:14.1f} {r.next_seconds:5.2f}"
        )
    worst = max(rows, key=lambda r: r.search_bytes)
    lines += [
        "",
        f"found in top 3: {sum(r.found for r in rows)} of {len(rows)}",
        f"first search (gzip): median {_median([r.search_bytes for r in rows]) / 1024:.1f} KB,"
        f" max {worst.search_bytes / 1024:.1f} KB ({worst.query.text});"
        f" time to results median {_median([r.seconds for r in rows]):.2f} s,"
        f" max {max(r.seconds for r in rows):.2f} s",
        f"next search (gzip): median {_median([r.next_bytes for r in rows]) / 1024:.1f} KB,"
        f" max {max(r.next_bytes for r in rows) / 1024:.1f} KB;"
        f" time to results median {_median([r.next_seconds for r in rows]):.2f} s,"
        f" max {max(r.next_seconds for r in rows):.2f} s",
        f"profile first load: {rows[0].load_bytes / 1024:.1f} KB gzip,"
        f" of which search files: {max(r.load_search_bytes for r in rows)} bytes",
    ]
    return "\n".join(lines)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    args = parser.parse_args(argv)
    site = args.site or build_site()
    base = serve(site)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        rows = [measure(browser, base, q) for q in search_reader.QUERIES]
        browser.close()
    print(report(rows))
    return 0


def build_site() -> Path:
    out = REPO / "build" / "site"
    build.build_site(REPO / "datapackages", out)
    return out


if __name__ == "__main__":
    sys.exit(main())
