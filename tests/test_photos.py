"""An article's photographs are published without the camera's metadata (core.photos): no GPS
position, XMP, comment or text chunk survives, the picture's bytes are untouched, a JPEG
keeps its orientation, and bytes that are no photograph are refused with NotAPhoto.

The fixtures (tests/fixtures/photos/, made by make_photos.py: chromium's own encodings with a
phone's metadata added) carry the text GPS so a test can look for it."""

from __future__ import annotations

import contextlib
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tambon_portal.core import photos

PHOTOS = Path(__file__).parent / "fixtures" / "photos"
GPS = b"GPS 8.4304N 99.9631E"
NAMES = ("phone.jpg", "phone.png", "phone.webp")


def _jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of each segment before the scan, then (0xDA, the rest)."""
    out, at = [], 2
    while data[at + 1] != 0xDA:
        (length,) = struct.unpack_from(">H", data, at + 2)
        out.append((data[at + 1], data[at + 4 : at + 2 + length]))
        at += 2 + length
    return [*out, (0xDA, data[at:])]


def _png_chunks(data: bytes) -> list[bytes]:
    out, at = [], 8
    while at < len(data):
        (length,) = struct.unpack_from(">I", data, at)
        kind, body, crc = (
            data[at + 4 : at + 8],
            data[at + 8 : at + 8 + length],
            data[at + 8 + length : at + 12 + length],
        )
        assert struct.unpack(">I", crc)[0] == zlib.crc32(kind + body)
        out.append(kind)
        at += 12 + length
    return out


@pytest.mark.parametrize("name", NAMES)
def test_the_position_and_every_other_metadata_text_are_gone(name):
    original = (PHOTOS / name).read_bytes()
    assert GPS in original
    cleaned = photos.without_metadata(original)
    assert GPS not in cleaned and b"xmpmeta" not in cleaned
    assert photos.without_metadata(cleaned) == cleaned  # nothing left to take out


def test_a_jpeg_keeps_its_picture_byte_for_byte_and_only_its_orientation():
    original = (PHOTOS / "phone.jpg").read_bytes()
    before, after = _jpeg_segments(original), _jpeg_segments(photos.without_metadata(original))
    assert after[-1] == before[-1]  # the scan: the picture itself
    kept = [m for m, _ in before if m not in photos.JPEG_DROPPED]
    assert 0xE2 in kept  # chromium's colour profile, which drawing the picture needs
    assert [m for m, _ in after] == [kept[0], 0xE1, *kept[1:]]  # JFIF, then the orientation
    exif = dict(after)[0xE1]
    assert photos._orientation(exif) == 6  # a phone's portrait photo stays upright
    assert len(exif) == 6 + 8 + 2 + 12 + 4  # "Exif\0\0", TIFF header, one entry, no next IFD


def test_a_png_loses_its_text_time_and_exif_but_its_orientation_and_keeps_its_crcs():
    original = (PHOTOS / "phone.png").read_bytes()
    before, after = _png_chunks(original), _png_chunks(photos.without_metadata(original))
    assert {b"tEXt", b"eXIf", b"tIME"} <= set(before)
    assert after == [k for k in before if k not in photos.PNG_DROPPED or k == b"eXIf"]
    cleaned = photos.without_metadata(original)
    exif = cleaned[cleaned.index(b"eXIf") + 4 : cleaned.index(b"IDAT") - 8]
    assert photos._orientation(b"Exif\x00\x00" + exif) == 6  # the orientation alone is left
    assert len(exif) == 8 + 2 + 12 + 4


def test_a_webp_loses_its_exif_and_xmp_and_no_longer_announces_them():
    cleaned = photos.without_metadata((PHOTOS / "phone.webp").read_bytes())
    assert struct.unpack_from("<I", cleaned, 4)[0] == len(cleaned) - 8  # the RIFF size
    assert cleaned[12:16] == b"VP8X" and cleaned[20] & photos.WEBP_METADATA_FLAGS == 0
    assert b"EXIF" not in cleaned and b"XMP " not in cleaned and b"VP8 " in cleaned


@pytest.mark.parametrize(
    "data",
    [b"", b"GIF89a", b"\xff\xd8", b"\xff\xd8\xff", b"\xff\xd8\xff\xe1\xff\xff",
     b"\xff\xd8\x00\x00", photos.PNG_SIGNATURE, photos.PNG_SIGNATURE + b"\x00\x00\x00\x0dIHDR"],
)  # fmt: skip
def test_what_is_no_photograph_is_refused_by_name(data):
    with pytest.raises(photos.NotAPhoto):
        photos.without_metadata(data)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NAMES), st.integers(0, 2000), st.binary(max_size=40))
def test_a_cut_or_corrupted_photograph_is_a_not_a_photo_never_a_crash(name, cut, tail):
    data = (PHOTOS / name).read_bytes()
    broken = data[: cut % max(len(data), 1)] + tail
    with contextlib.suppress(photos.NotAPhoto):
        photos.without_metadata(broken)
