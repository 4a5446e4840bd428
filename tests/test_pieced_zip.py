"""publish/pieced_zip: zip members joined from deflate pieces compressed apart."""

from __future__ import annotations

import io
import zipfile
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from tambon_portal.publish import pieced_zip
from tambon_portal.publish.download_files import zip_bytes, zip_date_time

CHUNKS = st.lists(st.binary(max_size=3000), max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=5000), st.binary(max_size=5000))
def test_the_combined_crc_of_two_parts_is_the_crc_of_the_two_joined(first, second):
    combined = pieced_zip.crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)


@settings(max_examples=100, deadline=None)
@given(CHUNKS, st.binary(max_size=2000))
def test_a_member_joined_from_pieces_reads_back_as_the_parts_one_after_the_other(parts, other):
    pieces = [pieced_zip.piece(part) for part in parts]
    entries = [("xl/sheet.xml", pieces), ("other.xml", other)]
    archive = zipfile.ZipFile(io.BytesIO(pieced_zip.pieced_zip_bytes(entries, zip_date_time())))
    assert archive.testzip() is None  # every member's CRC-32 checks
    assert archive.read("xl/sheet.xml") == b"".join(parts)
    assert archive.read("other.xml") == other
    assert archive.namelist() == ["xl/sheet.xml", "other.xml"]  # in the order given


def test_entries_of_bytes_give_the_archive_zipfile_writes_to_the_byte():
    entries = [("b.txt", b"hello " * 300), ("a/ตำบล.csv", "ตำบลท่าไร่\n".encode() * 40),
               ("empty", b"")]  # fmt: skip
    assert pieced_zip.pieced_zip_bytes(entries, zip_date_time()) == zip_bytes(entries, sort=False)


def test_an_archive_past_the_classic_zip_limits_is_refused_for_zipfile_to_write():
    entries = [(f"{n}.txt", b"") for n in range(0xFFFF)]
    try:
        pieced_zip.pieced_zip_bytes(entries, zip_date_time())
    except pieced_zip.NeedsZip64 as refused:
        assert "65535 entries" in str(refused)
    else:
        raise AssertionError("a zip of 65,535 entries needs zip64")
