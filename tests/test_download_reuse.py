"""publish/downloads on a rebuild: what the live site already has is linked from it, neither
made nor written again, and the downloads are those a clean write gives, byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

from test_downloads_fixtures import OTHER_CODE, SITE_URL, VERSION, all_refs
from test_province_workbook import CountingMemo

from tambon_portal.packages import discovery
from tambon_portal.publish import downloads, live_downloads
from tambon_portal.publish.download_files import DownloadFile


def write(refs, out: Path, memo=None, previous=None) -> list[DownloadFile]:
    return downloads.write_downloads(refs, out, version=VERSION, site_url=SITE_URL, memo=memo,
                                     previous=previous)  # fmt: skip


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def rename_a_village(data: Path) -> None:
    villages = data / "80" / OTHER_CODE / "data" / "villages.csv"
    lines = villages.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[4] += " Nuea"  # name_en
    lines[1] = ",".join(cells)
    villages.write_text("".join(lines), encoding="utf-8")


def linked(files: list[DownloadFile], new: Path, live: Path) -> set[str]:
    """The paths of `files` in `new` that are the live site's file itself (a hard link)."""
    same = [f.path for f in files if (live / f.path).exists()]
    return {path for path in same if os.path.samefile(new / path, live / path)}


def test_a_rebuild_links_the_unchanged_downloads_from_the_live_site_and_makes_the_changed(
    tmp_path,
):
    memo, live = CountingMemo(), tmp_path / "live"
    write(all_refs(tmp_path), live, memo)
    rename_a_village(tmp_path / "data")
    refs = discovery.discover(tmp_path / "data")
    memo.made.clear()
    files = write(refs, tmp_path / "new", memo, live_downloads.PreviousDownloads(live))
    clean = write(refs, tmp_path / "clean")
    assert files == clean
    assert tree(tmp_path / "new") == tree(tmp_path / "clean")
    changed = f"tambon-{OTHER_CODE}"
    reused = linked(files, tmp_path / "new", live)
    assert reused == {f.path for f in files if f.package not in (changed, "tambons-80")}
    # Made of the packages: only the changed one (its items are keyed by digest and version).
    assert len([parts for parts in memo.made if VERSION in parts]) == 1
    assert "bundle" in {parts[0] for parts in memo.made}


def test_a_live_download_edited_by_hand_is_written_again_not_linked(tmp_path):
    memo, live = CountingMemo(), tmp_path / "live"
    refs = all_refs(tmp_path)
    files = write(refs, live, memo)
    edited = next(f for f in files if f.package == "tiny" and f.format == "csv")
    with (live / edited.path).open("ab") as handle:
        handle.write(b"z,1,1,added\n")
    again = write(refs, tmp_path / "new", memo, live_downloads.PreviousDownloads(live))
    write(refs, tmp_path / "clean")
    assert tree(tmp_path / "new") == tree(tmp_path / "clean")
    tiny = {f.path for f in again if f.package == "tiny"}
    assert linked(again, tmp_path / "new", live) == {f.path for f in again} - tiny


def test_downloads_kept_by_the_memo_but_gone_from_the_live_site_are_made_again(tmp_path):
    memo = CountingMemo()
    refs = all_refs(tmp_path)
    write(refs, tmp_path / "live", memo)
    memo.made.clear()
    files = write(refs, tmp_path / "new", memo, live_downloads.PreviousDownloads(tmp_path / "gone"))
    assert memo.made == []  # every listing came from the memo
    assert files == write(refs, tmp_path / "clean")
    assert tree(tmp_path / "new") == tree(tmp_path / "clean")
