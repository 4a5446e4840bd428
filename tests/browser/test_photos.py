"""A photograph without its metadata (core.photos) still opens in Debian chromium, the size it
was, and a phone's portrait photo still stands upright (its orientation was kept)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tambon_portal.core import photos

PHOTOS = Path(__file__).resolve().parents[1] / "fixtures" / "photos"
MEDIA = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def _shown_size(page, data: bytes, media: str) -> list[float]:
    """The size chromium draws the photograph at, in a page (orientation applied)."""
    url = f"data:{media};base64,{base64.b64encode(data).decode()}"
    page.set_content(f'<img id="photo" alt="" src="{url}">')
    return page.evaluate(
        """() => new Promise((done, fail) => { const i = document.getElementById('photo');
        const size = () => { const r = i.getBoundingClientRect(); done([r.width, r.height]); };
        if (i.complete && i.naturalWidth) size(); else { i.onload = size;
        i.onerror = () => fail('not decoded'); } })"""
    )


@pytest.mark.parametrize("name", ["phone.jpg", "phone.png", "phone.webp"])
def test_a_cleaned_photograph_opens_as_the_original_did(page, name):
    original = (PHOTOS / name).read_bytes()
    media = MEDIA[Path(name).suffix]
    shown = _shown_size(page, photos.without_metadata(original), media)
    assert shown == _shown_size(page, original, media)
    # drawn 24 x 16; the orientation 6 (rotate 90°) of the JPEG's and the PNG's EXIF stands
    # it up as 16 x 24 (chromium ignores a WebP's)
    assert shown == ([24, 16] if name.endswith(".webp") else [16, 24])
