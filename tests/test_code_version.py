"""The one version of the code that the build's stage cache and the validator's verdicts are
keyed by (`core.code_version`)."""

from __future__ import annotations

from pathlib import Path

from tambon_portal.checks import verdict_cache
from tambon_portal.core import code_version
from tambon_portal.pipeline import cache


def hashed_files() -> list[str]:
    seen: list[str] = []

    def record(path: Path) -> str:
        seen.append(path.relative_to(code_version.PACKAGE).as_posix())
        return code_version.file_sha256(path)

    code_version.code_version(record)
    return seen


def test_every_source_schema_template_and_asset_of_every_subpackage_is_in_the_version():
    # The verdicts' own copy hashed only checks/: a changed schema kept yesterday's verdicts.
    seen = hashed_files()
    for expected in (
        "checks/validate.py",
        "core/codelists.py",
        "core/schemas/__init__.py",
        "packages/table_reader.py",
        "site/templates/tambon.md.j2",
        "cli.py",
    ):
        assert expected in seen
    assert any(p.startswith("site/assets/fonts/") for p in seen)
    assert any(p.startswith("data/thai-province-data/") for p in seen)
    assert not any("__pycache__" in p or p.endswith(".pyc") for p in seen)


def test_the_stage_cache_and_the_verdicts_are_keyed_by_the_same_version(tmp_path):
    verdicts = verdict_cache.VerdictCache(tmp_path)
    assert verdicts.code == cache.code_version() == code_version.code_version()


def test_one_changed_byte_of_any_file_is_another_version():
    before = code_version.code_version()
    target = "core/codelists.py"

    def one_byte_off(path: Path) -> str:
        digest = code_version.file_sha256(path)
        changed = path.relative_to(code_version.PACKAGE).as_posix() == target
        return digest[:-1] + "x" if changed else digest

    assert code_version.code_version(one_byte_off) != before
