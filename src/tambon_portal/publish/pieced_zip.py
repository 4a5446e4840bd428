"""A zip whose members may be deflate streams joined from pieces compressed apart.

Why: the province's labelled BMN workbook is one sheet of every tambon's rows (160 MB of XML at
Bangkok's 180 tambons); compressing it again whole after one tambon changed was seconds of a
rebuild. Deflate allows a stream to be a run of blocks from independent compressors: each piece
is compressed from an empty window and ended with a sync flush (byte-aligned, not final), so
pieces kept from an earlier build join with a new one, and one empty final block ends the
stream. The member's CRC-32 is combined from the pieces' (`crc32_combine`, zlib's method, which
Python's zlib does not expose), so no piece is decompressed.

Entries given as bytes (or as a `whole` piece) are compressed as one stream, as `zipfile`
compresses them, and the archive is written with the headers `zipfile` writes (fixed time,
0644, made on unix): for such entries `zip_bytes` gives the same archive to the byte
(`tests/test_pieced_zip.py`).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

_CRC_POLY = 0xEDB88320  # CRC-32 (reflected), as zlib
_WBITS = -15  # raw deflate: a zip member has no zlib header
_END = b"\x03\x00"  # an empty final block (fixed Huffman): what a flush of nothing writes
_VERSION = 20  # 2.0: deflate
_UNIX = 3
_MODE = 0o644 << 16


class NeedsZip64(ValueError):
    """The archive is past what a zip without the zip64 extension holds."""


@dataclass(frozen=True)
class Piece:
    """Part of a member: raw deflate blocks ending byte-aligned, none final; or a whole
    member's stream (`whole`)."""

    data: bytes
    crc: int
    size: int  # uncompressed bytes
    final: bool = False  # ends the stream (`whole`): the member's only piece


def piece(data: bytes) -> Piece:
    """`data` compressed from an empty window, ended by a sync flush."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, _WBITS)
    deflated = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return Piece(deflated, zlib.crc32(data), len(data))


def _times_mod_p(a: int, b: int) -> int:
    """a * b modulo the CRC polynomial (bit-reflected, as zlib's multmodp)."""
    product, bit = 0, 1 << 31
    while True:
        if a & bit:
            product ^= b
            if a & (bit - 1) == 0:
                return product
        bit >>= 1
        b = (b >> 1) ^ _CRC_POLY if b & 1 else b >> 1


_X_POWERS = [1 << 30]  # x^(2^k) modulo the polynomial, k = 0..31: x^1 is 1 << 30 reflected
for _ in range(31):
    _X_POWERS.append(_times_mod_p(_X_POWERS[-1], _X_POWERS[-1]))


def crc32_combine(crc1: int, crc2: int, size2: int) -> int:
    """The CRC-32 of A + B from crc(A), crc(B) and len(B): crc(A) shifted by len(B) bytes."""
    shift, k, n = 1 << 31, 3, size2  # x^(8 * size2): bits, as powers of two from 2^3
    while n:
        if n & 1:
            shift = _times_mod_p(_X_POWERS[k & 31], shift)
        n >>= 1
        k += 1
    return _times_mod_p(shift, crc1) ^ crc2


def whole(data: bytes) -> Piece:
    """`data` as a member's whole stream, compressed as `zipfile` compresses it."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, _WBITS)
    return Piece(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data), True)


def _joined(pieces: Sequence[Piece]) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, size) of the pieces one after the other."""
    if len(pieces) == 1 and pieces[0].final:
        return pieces[0].data, pieces[0].crc, pieces[0].size
    assert not any(p.final for p in pieces), "a whole stream is a member's only piece"
    crc, size = 0, 0
    for part in pieces:
        crc = crc32_combine(crc, part.crc, part.size)
        size += part.size
    return b"".join(p.data for p in pieces) + _END, crc, size


def _dos_time(when: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = when
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def pieced_zip_bytes(
    entries: Sequence[tuple[str, bytes | Piece | Sequence[Piece]]],
    when: tuple[int, int, int, int, int, int],
) -> bytes:
    """A zip of (name, bytes, a whole piece or pieces) in the order given, every entry
    deflated, at `when`. Raises `NeedsZip64` past the classic format's limits (65,535
    entries, 4 GiB), which this writer does not go beyond; `zipfile` does."""
    if len(entries) >= 0xFFFF:
        raise NeedsZip64(f"{len(entries)} entries")
    dos_time, dos_date = _dos_time(when)
    out, directory = bytearray(), bytearray()
    for name, content in entries:
        content = whole(content) if isinstance(content, bytes) else content
        data, crc, size = _joined([content] if isinstance(content, Piece) else content)
        encoded = name.encode("ascii") if name.isascii() else name.encode()
        flags = 0 if name.isascii() else 0x800  # bit 11: the name is UTF-8
        fields = (flags, zlib.DEFLATED, dos_time, dos_date, crc, len(data), size, len(encoded))
        directory += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0,
                                 *fields, 0, 0, 0, 0, _MODE, len(out)) + encoded  # fmt: skip
        out += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", _VERSION, 0, *fields, 0)
        out += encoded + data
        if max(size, len(out), len(directory)) >= 0xFFFFFFFF:
            raise NeedsZip64(f"{name}: {size} bytes")
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(directory), len(out), 0)  # fmt: skip
    return bytes(out + directory + end)
