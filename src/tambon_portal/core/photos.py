"""A photograph's bytes without what the camera wrote about it (pure).

A phone's photo carries EXIF: the place it was taken (GPS latitude and longitude, often to a
few metres: a household's house), the time, the phone's owner and serial number, and XMP or
IPTC with names and captions. An article's photographs are published, so the build copies
them without any of it (docs/architecture.md §4: nothing on the site may point at a household).

Lossless: the picture's own data is copied byte for byte, never decoded and encoded again;
only metadata segments are left out. What is kept is what drawing the picture needs: for
JPEG the JFIF header, the colour profile (APP2 ICC) and Adobe's colour transform (APP14),
and the EXIF orientation alone (rewritten as a one-tag EXIF, so a phone's portrait photo is
not shown on its side); for PNG every chunk but text and time, and of EXIF the orientation
alone, as for JPEG (chromium turns a PNG by it too); for WebP every chunk but EXIF and XMP
(and the flags that announced them: chromium does not turn a WebP by its EXIF).

Written here rather than taken from a library: the candidates re-encode the picture (Pillow:
a JPEG loses quality each time), cover one format (piexif: JPEG and WebP, no longer kept up)
or need a desktop stack (mat2: GdkPixbuf, poppler).
"""

from __future__ import annotations

import struct
import zlib

JPEG_START = b"\xff\xd8"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ORIENTATION_TAG = 0x0112

# JPEG markers whose segments are metadata: APP1 (EXIF, XMP), APP3-APP13 (APP13: Photoshop
# IPTC, with captions and names), APP15, COM (comments). Kept: APP0 (JFIF), APP2 (ICC colour
# profile), APP14 (Adobe colour transform): the picture looks different without them.
JPEG_DROPPED = frozenset({0xE1, *range(0xE3, 0xEE), 0xEF, 0xFE})
JPEG_START_OF_SCAN = 0xDA
PNG_DROPPED = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})
WEBP_DROPPED = frozenset({b"EXIF", b"XMP "})
WEBP_METADATA_FLAGS = 0x08 | 0x04  # VP8X: EXIF and XMP present


class NotAPhoto(ValueError):
    """The bytes are not a JPEG, PNG or WebP file this module can read."""


def without_metadata(data: bytes) -> bytes:
    """The photograph `data` (JPEG, PNG or WebP, by its signature) without its metadata."""
    if data.startswith(JPEG_START):
        return _jpeg(data)
    if data.startswith(PNG_SIGNATURE):
        return _png(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    raise NotAPhoto("not a JPEG, PNG or WebP file")


# --- JPEG ------------------------------------------------------------------------------------


def _orientation(exif: bytes) -> int | None:
    """The orientation tag of an APP1 EXIF payload ("Exif\\0\\0" + TIFF), None if absent."""
    if not exif.startswith(b"Exif\x00\x00") or len(exif) < 14:
        return None
    tiff = exif[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None
    try:
        (ifd,) = struct.unpack_from(order + "I", tiff, 4)
        (count,) = struct.unpack_from(order + "H", tiff, ifd)
        for entry in range(count):
            tag, kind, _, value = struct.unpack_from(order + "HHIH", tiff, ifd + 2 + 12 * entry)
            if tag == ORIENTATION_TAG and kind == 3:
                return value if 1 <= value <= 8 else None
    except struct.error:
        return None
    return None


def _orientation_tiff(orientation: int) -> bytes:
    """EXIF's TIFF that says only the orientation (big-endian, one IFD entry)."""
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
    return tiff + struct.pack(">HHIHH", ORIENTATION_TAG, 3, 1, orientation, 0) + bytes(4)


def _orientation_segment(orientation: int) -> bytes:
    """A JPEG APP1 EXIF segment that says only the orientation."""
    payload = b"Exif\x00\x00" + _orientation_tiff(orientation)
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _jpeg(data: bytes) -> bytes:
    kept: list[bytes] = []
    at, orientation = 2, None
    while at < len(data):
        if data[at] != 0xFF:
            raise NotAPhoto(f"JPEG: no marker at byte {at}")
        marker = data[at + 1] if at + 1 < len(data) else None
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker is None or at + 4 > len(data):
            raise NotAPhoto("JPEG: cut short")
        if marker == JPEG_START_OF_SCAN:  # the picture itself, to the end: copied as it is
            if orientation is not None:  # where cameras write it: after JFIF's APP0, if any
                first = 1 if kept and kept[0][1] == 0xE0 else 0
                kept.insert(first, _orientation_segment(orientation))
            return JPEG_START + b"".join(kept) + data[at:]
        (length,) = struct.unpack_from(">H", data, at + 2)
        segment = data[at : at + 2 + length]
        if length < 2 or len(segment) < 2 + length:
            raise NotAPhoto("JPEG: a segment runs past the end")
        if marker == 0xE1:
            orientation = orientation or _orientation(segment[4:])
        if marker not in JPEG_DROPPED:
            kept.append(segment)
        at += 2 + length
    raise NotAPhoto("JPEG: no picture data (no start of scan)")


# --- PNG and WebP ----------------------------------------------------------------------------


def _png(data: bytes) -> bytes:
    out, at = bytearray(PNG_SIGNATURE), len(PNG_SIGNATURE)
    while at < len(data):
        if at + 12 > len(data):
            raise NotAPhoto("PNG: cut short")
        (length,) = struct.unpack_from(">I", data, at)
        kind = data[at + 4 : at + 8]
        chunk = data[at : at + 12 + length]
        if len(chunk) < 12 + length:
            raise NotAPhoto("PNG: a chunk runs past the end")
        if kind not in PNG_DROPPED:
            out += chunk
        elif kind == b"eXIf":  # chromium turns a PNG by it too: keep the orientation alone
            orientation = _orientation(b"Exif\x00\x00" + chunk[8:-4])
            out += _png_chunk(kind, _orientation_tiff(orientation)) if orientation else b""
        at += 12 + length
        if kind == b"IEND":
            return bytes(out)
    raise NotAPhoto("PNG: no end chunk")


def _webp(data: bytes) -> bytes:
    chunks, at = [], 12
    while at + 8 <= len(data):
        kind = data[at : at + 4]
        (size,) = struct.unpack_from("<I", data, at + 4)
        chunk = bytearray(data[at : at + 8 + size + (size & 1)])  # chunks are padded to even
        if len(chunk) < 8 + size:
            raise NotAPhoto("WebP: a chunk runs past the end")
        if kind == b"VP8X" and size >= 1:
            chunk[8] &= ~WEBP_METADATA_FLAGS & 0xFF
        if kind not in WEBP_DROPPED:
            chunks.append(bytes(chunk))
        at += len(chunk)
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
