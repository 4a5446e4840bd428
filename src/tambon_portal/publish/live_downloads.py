"""What a rebuild takes from the live site's downloads: the files it already holds.

A download whose path, size and SHA-256 are those the live site's `downloads/index.json`
lists, and whose file there still has that size, is hard-linked from it into the new site
(a copy where links are refused) instead of being made and written again (`downloads`).
The index is the site's own: it is written with the files it lists and swapped in with
them, so it cannot list a file of another build. A file edited by hand to another size is
not trusted; nothing the build writes changes a download after it is placed, so the two
sites share the file until the swap removes the old one.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tambon_portal.core import urls
from tambon_portal.publish.download_files import DownloadFile


class PreviousDownloads:
    """The downloads of the live site, as its index.json lists them; none when `folder` is
    None or has no readable index (a first build, or an offline copy's own)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._listed: dict[str, tuple[int, str]] = {}  # path -> (size, SHA-256)
        if folder is None:
            return
        try:
            index = json.loads((folder / urls.INDEX_FILE).read_bytes())
            self._listed = {str(f["path"]): (int(f["size"]), str(f["sha256"]))
                            for f in index["files"]}  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError):
            self._listed = {}  # not ours, or broken: every file is written

    def has(self, file: DownloadFile) -> bool:
        """Whether the live site lists `file` with its size and checksum, and still holds a
        file of that size there (one edited by hand is not trusted)."""
        if self.folder is None or self._listed.get(file.path) != (file.size, file.sha256):
            return False
        try:
            return (self.folder / file.path).stat().st_size == file.size
        except OSError:
            return False

    def link(self, file: DownloadFile, target: Path) -> None:
        """Puts the live site's `file` at `target` (in a folder that exists): a hard link,
        else a copy."""
        assert self.folder is not None
        try:
            os.link(self.folder / file.path, target)
        except OSError:  # another file system, or links refused
            shutil.copyfile(self.folder / file.path, target)
