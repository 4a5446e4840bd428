"""Serving a built site locally the way a real host does: text compressed with gzip.

Lighthouse and page-weight figures are only meaningful with compression (every real host and
CDN compresses HTML, CSS, JS, JSON and SVG), and Python's http.server does not compress. This
handler gzips those types when the browser accepts it, and serves the rest as they are.
"""

from __future__ import annotations

import functools
import gzip
import io
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

COMPRESSED_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "application/ld+json",
    "application/xml",
    "image/svg+xml",
)
GZIP_LEVEL = 6  # what nginx and most hosts use


class GzipHandler(SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler with gzip for text types (and quiet logs)."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".json": "application/json",
        ".jsonld": "application/ld+json",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
    }

    def send_head(self):  # type: ignore[no-untyped-def]
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's own URL
            target = target / "index.html"
        kind = self.guess_type(str(target))
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and target.is_file() and kind.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        body = gzip.compress(target.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def server(site_dir: Path, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A compressing server of `site_dir` on host:port (port 0: any free port), not started."""
    handler = functools.partial(GzipHandler, directory=str(site_dir))
    return ThreadingHTTPServer((host, port), handler)


def serve_in_background(site_dir: Path) -> tuple[ThreadingHTTPServer, str]:
    """The server running in a daemon thread, and its base URL (for benchmarks and tests)."""
    httpd = server(site_dir)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    host, port = httpd.server_address[:2]
    return httpd, f"http://{host}:{port}"
