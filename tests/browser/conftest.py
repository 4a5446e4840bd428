"""Browser-test harness: a built site, a local web server, Debian chromium through Playwright.

Fixtures for everyone's browser tests (all tests under tests/browser/ are marked `browser`):

- `site_dir` (session): the portal built once per test session from the repo's datapackages/,
  or the already built site named by the environment variable TAMBON_SITE_DIR.
- `serve` (session): a function `serve(directory) -> base_url` serving a folder on 127.0.0.1.
- `server` (session): base URL of `site_dir` being served, e.g. "http://127.0.0.1:41235".
- `browser` (session): Debian chromium, headless.
- `viewport` (function): desktop size for `page`; override with
  `@pytest.mark.parametrize("viewport", [{"width": 800, "height": 600}])`.
- `page` / `phone_page` (function): a fresh page (desktop 1280x900 / phone 390x844, touch)
  that blocks every request leaving 127.0.0.1 and records it, plus console and script errors,
  into `page_log`; call `page_log.assert_clean()` at the end of a test.
- `axe` (session): `axe(page) -> list of axe-core violations of impact serious or critical`.
- `screenshot_dir` (session): build/screenshots/, where tests save PNGs for people to look at.
"""

from __future__ import annotations

import fcntl
import functools
import importlib.resources
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tambon_portal.pipeline.build import build_site

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "datapackages"
SCREENSHOT_DIR = REPO_ROOT / "build" / "screenshots"

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium keeps calling Google services, which a
# closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The shared site is built as a release is, with a public address (embed codes and citations
# need one; without it pages say the address is set at release).
SITE_URL = "https://nst.example.test/tambon-portal"
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
PHONE_VIEWPORT = {"width": 390, "height": 844}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Schemes that never reach the network.
OFFLINE_SCHEMES = {"data", "blob", "about", "file"}
SERIOUS_IMPACTS = {"serious", "critical"}
# Fail fast: a missing element should not hang a test for Playwright's default 30 s.
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session: mark only the tests that live under tests/browser/.
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


# --- the site -------------------------------------------------------------------------------


def _shared_tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temp folder common to all pytest-xdist workers of this run (their basetemps' parent)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _build_site_once(root: Path) -> Path:
    """Build the site into root/site unless another worker of this run already did.

    A file lock makes the xdist workers take turns; the first builds, the others reuse it.
    A failed build is recorded so the next worker reports it instead of building again.
    """
    out_dir = root / "site"
    done, failed = root / "site.done", root / "site.failed"
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            pytest.fail(f"site build failed in another worker: {failed.read_text()}")
        if not done.exists():
            try:
                build_site(DATA_DIR, out_dir, site_url=SITE_URL)
            except Exception as exc:
                failed.write_text(repr(exc))
                raise
            done.touch()
    return out_dir


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built portal: TAMBON_SITE_DIR if set (fast local iteration), else built once."""
    prebuilt = os.environ.get("TAMBON_SITE_DIR")
    if prebuilt:
        path = Path(prebuilt)
        if not (path / "index.html").is_file():
            pytest.fail(f"TAMBON_SITE_DIR={prebuilt} has no index.html: build the site first")
        return path
    return _build_site_once(_shared_tmp_root(tmp_path_factory) / "tambon-site")


# --- the web server -------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would drown pytest's output


def _start_server(directory: Path) -> ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: the OS picks a free one
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """A function that serves a folder over http on 127.0.0.1 and returns its base URL."""
    servers: list[ThreadingHTTPServer] = []

    def serve_directory(directory: Path) -> str:
        httpd = _start_server(directory)
        servers.append(httpd)
        host, port = httpd.server_address[:2]
        return f"http://{host}:{port}"

    yield serve_directory
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(serve: Callable[[Path], str], site_dir: Path) -> str:
    """Base URL (no trailing slash) of the built site served locally."""
    return serve(site_dir)


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Playwright's own browser download cannot work here: always use Debian's chromium.
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `make setup` (installs Debian chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class PageLog:
    """What a page did that a test should not allow: network requests and errors."""

    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        problems = {
            "requests leaving 127.0.0.1 (blocked)": self.external_requests,
            "console errors": self.console_errors,
            "uncaught script errors": self.page_errors,
        }
        found = {label: items for label, items in problems.items() if items}
        assert not found, "page was not clean:\n" + "\n".join(
            f"  {label}: {items}" for label, items in found.items()
        )


def is_local_url(url: str) -> bool:
    """True when loading url cannot leave this machine."""
    parts = urlsplit(url)
    return parts.scheme in OFFLINE_SCHEMES or parts.hostname in LOCAL_HOSTS


def _block_external(route: Any) -> None:
    if is_local_url(route.request.url):
        route.continue_()
    else:
        route.abort("blockedbyclient")


def _record_external_request(log: PageLog, request: Any) -> None:
    if not is_local_url(request.url):
        log.external_requests.append(request.url)


def _record_console_error(log: PageLog, message: Any) -> None:
    if message.type == "error":
        log.console_errors.append(message.text)


def _new_watched_page(browser: Any, log: PageLog, **context_options: Any) -> Any:
    """A page in its own context: Thai locale, no network beyond 127.0.0.1, events into log."""
    context = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok", **context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.route("**/*", _block_external)
    context.on("request", functools.partial(_record_external_request, log))
    page = context.new_page()
    page.on("console", functools.partial(_record_console_error, log))
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    return page


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def viewport() -> dict[str, int]:
    return dict(DESKTOP_VIEWPORT)


@pytest.fixture
def page(browser: Any, page_log: PageLog, viewport: dict[str, int]) -> Iterator[Any]:
    watched = _new_watched_page(browser, page_log, viewport=viewport)
    yield watched
    watched.context.close()


@pytest.fixture
def phone_page(browser: Any, page_log: PageLog) -> Iterator[Any]:
    watched = _new_watched_page(
        browser,
        page_log,
        viewport=dict(PHONE_VIEWPORT),
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield watched
    watched.context.close()


# --- accessibility and screenshots ----------------------------------------------------------


def _axe_source() -> str:
    # axe-core (MPL-2.0) as shipped inside the axe-playwright-python wheel: no CDN, no vendoring.
    return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")


@pytest.fixture(scope="session")
def axe() -> Callable[..., list[dict[str, Any]]]:
    """`axe(page, disable=("rule-id", ...))` -> axe-core violations of impact serious/critical.

    Each violation is axe's dict (id, impact, help, nodes, ...); assert on the ids for short
    failure messages: `assert [v["id"] for v in axe(page)] == []`.
    """
    source = _axe_source()

    def run_axe(page: Any, disable: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        page.evaluate(source)
        options = {
            "resultTypes": ["violations"],
            "rules": {rule: {"enabled": False} for rule in disable},
        }
        results = page.evaluate("options => axe.run(document, options)", options)
        return [v for v in results["violations"] if v["impact"] in SERIOUS_IMPACTS]

    return run_axe


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR
