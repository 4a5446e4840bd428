"""Saved stage outputs (`pipeline.cache`) and the incremental build they make (issue 10)."""

from __future__ import annotations

import hashlib
import pickle
import shutil
from pathlib import Path

from fixtures.tambon_package import CODE, write_tambon_package

from tambon_portal.pipeline import build, cache, workspace


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- the cache -------------------------------------------------------------------------------


def test_a_stage_with_the_same_inputs_is_taken_from_the_cache_and_not_recomputed(tmp_path):
    calls = []
    stage = cache.StageCache(tmp_path, "s")
    key = stage.key("input", 1)
    assert stage.run(key, lambda: calls.append(1) or "out") == "out"
    again = cache.StageCache(tmp_path, "s")
    assert again.run(again.key("input", 1), lambda: calls.append(2) or "other") == "out"
    assert calls == [1]
    assert again.outcome().describe() == "skipped: inputs unchanged (1 saved)"


def test_many_items_at_once_compute_only_those_not_saved_in_one_call_and_keep_order(tmp_path):
    stage = cache.StageCache(tmp_path, "s")
    calls: list[list[int]] = []

    def squares(indices: list[int]) -> list[int]:
        calls.append(indices)
        return [n * n for n in (items[i] for i in indices)]

    items = [2, 3]
    assert stage.memo_many([(n,) for n in items], squares) == [4, 9]
    items = [3, 4, 2]
    assert cache.StageCache(tmp_path, "s").memo_many([(n,) for n in items], squares) == [9, 16, 4]
    assert calls == [[0, 1], [1]]  # the second time only 4 was not saved
    stage = cache.StageCache(tmp_path, "s")
    assert stage.memo_many([(3,), (2,)], squares) == [9, 4] and len(calls) == 2
    assert (stage.ran, stage.skipped) == (0, 2)


def test_a_changed_input_gives_a_new_key():
    stage = cache.StageCache(Path("unused"), "s")
    assert stage.key("a", [1, 2]) != stage.key("a", [1, 3])
    assert stage.key("ab", "c") != stage.key("a", "bc")  # parts are length-prefixed
    assert cache.StageCache(Path("unused"), "t").key("a", [1, 2]) != stage.key("a", [1, 2])


def test_a_corrupt_entry_is_dropped_and_recomputed_not_an_error(tmp_path):
    stage = cache.StageCache(tmp_path, "s")
    key = stage.key("x")
    stage.folder.mkdir(parents=True)
    (stage.folder / f"{key}.pickle").write_bytes(b"not a pickle")
    assert stage.run(key, lambda: 42) == 42
    assert pickle.loads((stage.folder / f"{key}.pickle").read_bytes()) == 42


def test_prune_keeps_the_wanted_entries_and_removes_leftovers_of_a_killed_write(tmp_path):
    stage = cache.StageCache(tmp_path, "s")
    keys = [stage.key(i) for i in range(6)]
    for key in keys:
        stage.put(key, key)
    (stage.folder / ".partial-123").write_bytes(b"half")
    stage.prune([keys[0]], others=1)
    left = sorted(p.name for p in stage.folder.iterdir())
    assert f"{keys[0]}.pickle" in left
    assert len(left) == 2 and not any(n.startswith(".partial") for n in left)


def test_a_folder_digest_changes_with_one_byte_and_ignores_hidden_files(tmp_path):
    (tmp_path / "a.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    before = cache.folder_digest(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    assert cache.folder_digest(tmp_path) == before
    (tmp_path / "a.csv").write_text("x,y\n1,3\n", encoding="utf-8")
    assert cache.folder_digest(tmp_path) != before


# --- the incremental build (small scale) -----------------------------------------------------


def stage_notes(stats: dict) -> dict[str, str]:
    return {s.name: s.detail for s in stats["stages"]}


def test_a_rebuild_with_nothing_changed_skips_every_stage_after_load_and_keeps_the_site(tmp_path):
    data = tmp_path / "data"
    write_tambon_package(data)
    out = tmp_path / "out" / "site"
    first = build.build_site(data, out)
    before = digest(out)
    again = build.build_site(data, out)
    assert again.get("skipped") is True
    assert "nothing changed since the last build" in stage_notes(again)["load"]
    assert "skipped: inputs unchanged (1 saved)" in stage_notes(again)["load"]
    assert [s.name for s in again["stages"]] == ["validate", "load"]
    assert digest(out) == before
    assert first.get("skipped") is None


def test_a_rebuild_after_one_changed_cell_equals_a_clean_build_byte_for_byte(tmp_path):
    data = tmp_path / "data"
    write_tambon_package(data)
    out = tmp_path / "out" / "site"
    build.build_site(data, out)
    villages = next(data.rglob("villages.csv"))
    text = villages.read_text("utf-8")
    villages.write_text(text.replace("Ban Tha Rai,", "Ban Tha Rai Nuea,"), "utf-8")
    rebuilt = build.build_site(data, out)
    assert rebuilt.get("skipped") is None
    assert "ran: 1 new or changed" in stage_notes(rebuilt)["load"]
    clean = tmp_path / "clean" / "site"
    build.build_site(data, clean)
    assert digest(out) == digest(clean)
    published = (out / "downloads" / f"tambon-{CODE}" / "villages.csv").read_text("utf-8")
    assert "Ban Tha Rai Nuea" in published


COMMITTED = Path(__file__).resolve().parents[1] / "datapackages"


def two_tambons_of_one_district(root: Path) -> Path:
    for code in ("800106", "800114"):  # both in อำเภอเมืองนครศรีธรรมราช (8001)
        shutil.copytree(COMMITTED / "80" / code, root / "80" / code)
    return root


def test_a_warm_build_redoes_no_page_and_a_moved_figure_redoes_every_page_that_shows_it(
    tmp_path,
):
    # A warm build renders no page, sums no tambon and runs no Pagefind again; a figure that
    # moves the district's and province's numbers re-renders the other tambon's profile too
    # (it shows them beside its own), and the result equals a clean build byte for byte.
    data = two_tambons_of_one_district(tmp_path / "data")
    out = tmp_path / "out" / "site"
    build.build_site(data, out)
    first = digest(out)
    build.built_key_file(workspace.Workspace(out, workspace.work_folder_of(out))).unlink()
    warm = stage_notes(build.build_site(data, out))
    assert "pages skipped: inputs unchanged" in warm["pages"]
    assert warm["roll-ups"] == "skipped: inputs unchanged (1 saved)"
    assert warm["search index"] == "skipped: inputs unchanged (1 saved)"
    assert digest(out) == first

    summary = data / "80" / "800114" / "data" / "income_summary.csv"
    text = summary.read_text("utf-8")
    head, mean_debt = text.rstrip("\n").rsplit(",", 1)  # of the last year
    summary.write_text(f"{head},{int(mean_debt) - 10_000}\n", "utf-8")
    changed = stage_notes(build.build_site(data, out))
    assert changed["roll-ups"] == "tambons ran 1 changed, skipped 1 unchanged"
    assert changed["search index"] == "ran: 1 new or changed"
    other = "tambon/800106/index.html"
    assert text != summary.read_text("utf-8")
    assert digest(out)[other] != first[other]  # its district's and province's debt moved
    clean = tmp_path / "clean" / "site"
    build.build_site(data, clean)
    assert digest(out) == digest(clean)
