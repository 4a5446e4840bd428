"""`tambon serve` compresses text as a real host does, so local measurements mean something."""

from __future__ import annotations

import gzip
import urllib.request

from tambon_portal.pipeline import serving


def _get(url: str, gzip_ok: bool = True) -> tuple[dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request) as response:
        return dict(response.headers), response.read()


def test_text_is_sent_gzipped_when_accepted_and_binary_files_as_they_are(tmp_path):
    (tmp_path / "page").mkdir()
    html = "<p>ตำบลท่าไร่</p>" * 200
    (tmp_path / "page" / "index.html").write_text(html, encoding="utf-8")
    (tmp_path / "f.woff2").write_bytes(b"\x00font")
    httpd, base = serving.serve_in_background(tmp_path)
    try:
        headers, body = _get(f"{base}/page/")
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body).decode("utf-8") == html
        assert len(body) < len(html.encode()) / 10
        headers, body = _get(f"{base}/page/", gzip_ok=False)
        assert "Content-Encoding" not in headers
        assert body.decode("utf-8") == html
        headers, body = _get(f"{base}/f.woff2")
        assert "Content-Encoding" not in headers and body == b"\x00font"
        headers, _ = _get(f"{base}/page")  # redirected to the folder, then compressed
        assert headers["Content-Encoding"] == "gzip"
    finally:
        httpd.shutdown()
