"""Commands that need the `site` extra say so when it is missing, instead of a traceback."""

from __future__ import annotations

from importlib import metadata

from tambon_portal import cli, extras


def test_the_site_extra_is_read_from_the_package_metadata():
    assert {"altair", "mkdocs-material", "pythainlp"} <= set(extras.requirements_of("site"))
    assert "pytest" not in extras.requirements_of("site")
    assert extras.missing("site") == []  # this test environment has it


def test_build_without_the_site_extra_says_which_extra_to_install(tmp_path, monkeypatch, capsys):
    real_version = metadata.version

    def without_altair(name: str) -> str:
        if name == "altair":
            raise metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(metadata, "version", without_altair)
    out = tmp_path / "site"
    assert cli.main(["build", "--data", str(tmp_path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "needs the 'site' extra, which is not installed (missing: altair)" in err
    assert "pip install -e '.[site]'" in err
    assert not out.exists()
    assert cli.main(["release", "2026.12", "--dry-run"]) == 2
