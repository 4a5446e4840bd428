"""The bytes of the data files one command reads, each read from disk once (issue 10).

A build checks a package, hashes it, types its tables and converts it to downloads: four
stages that each opened every file (up to 14 opens of one CSV per build). They now ask one
`FileStore` for the bytes instead, which reads a file the first time and keeps what it read,
so the stages also see the same bytes even if the file changes under a running build.

What it keeps is bounded (`BUDGET` bytes): beyond it a file is read again when asked for, so
a national build (issue 12) costs opens, not memory. A descriptor is read with the size bound
of `descriptor_reader`, which is why `read` takes a `limit`.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

BUDGET = 256 * 1024 * 1024  # bytes kept: the 60 pilot tambons hold about 6 MB


class TooLarge(OSError):
    """A file larger than the limit it was read with (nothing of it is kept)."""


class FileStore:
    """Files by absolute path -> their bytes, as first read by this store."""

    def __init__(self, budget: int = BUDGET) -> None:
        self._bytes: dict[str, bytes] = {}
        self._read_at: dict[str, int] = {}  # when each kept file was read (time.time_ns)
        self._kept = 0
        self._budget = budget
        self.reads = 0  # files read from disk (a test counts them)

    def read(self, path: Path, limit: int | None = None) -> bytes:
        """The file's bytes; raises OSError as `Path.read_bytes` does, TooLarge past `limit`."""
        key = str(Path(path).absolute())
        data = self._bytes.get(key)
        if data is None:
            started = time.time_ns()
            data = _read(Path(path), limit)
            self.reads += 1
            if self._kept + len(data) <= self._budget:
                self._bytes[key] = data
                self._read_at[key] = started
                self._kept += len(data)
        elif limit is not None and len(data) > limit:
            raise TooLarge(f"{path}: larger than {limit} bytes")
        return data

    def sha256(self, path: Path) -> tuple[str, int]:
        """The SHA-256 of the file's bytes, and when they were read (time.time_ns): a cache that
        trusts a file's stat must date its hash from the read, not from the hashing."""
        started = time.time_ns()
        digest = hashlib.sha256(self.read(path)).hexdigest()
        return digest, self._read_at.get(str(Path(path).absolute()), started)


def _read(path: Path, limit: int | None) -> bytes:
    if limit is None:
        return path.read_bytes()
    # In pieces: read(limit + 1) would set aside the whole limit for every small file.
    pieces: list[bytes] = []
    size = 0
    with path.open("rb") as file:
        while size <= limit and (piece := file.read(64 * 1024)):
            pieces.append(piece)
            size += len(piece)
    if size > limit:
        raise TooLarge(f"{path}: larger than {limit} bytes")
    return b"".join(pieces)
