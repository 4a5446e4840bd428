"""A package's licence as every output shows it: name, title and a safe link always there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tambon_portal.core import licences
from tambon_portal.pipeline import build


@pytest.mark.parametrize(
    "stated, expected",
    [
        (
            {"name": "CC-BY-4.0"},
            {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
             "path": "https://creativecommons.org/licenses/by/4.0/"},
        ),
        (
            {"name": "odc-pddl-1.0"},  # SPDX ids are matched without regard to case
            {"name": "odc-pddl-1.0",
             "title": "Open Data Commons Public Domain Dedication and License v1.0",
             "path": "https://opendatacommons.org/licenses/pddl/1-0/"},
        ),
        ({"name": "Own-Licence"}, {"name": "Own-Licence", "title": "Own-Licence", "path": ""}),
        (
            {"path": "LICENSE.txt"},
            {"name": "", "title": "LICENSE.txt", "path": "LICENSE.txt"},
        ),
        (
            {"name": "CC-BY-4.0", "path": "javascript:alert(1)"},
            {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0", "path": ""},
        ),
    ],
)  # fmt: skip
def test_a_licence_is_completed_with_a_title_and_a_link_where_one_is_known(stated, expected):
    assert licences.complete(stated) == expected


def test_a_descriptor_without_a_licence_gets_the_default():
    assert licences.first_licence({}, licences.DEFAULT) == licences.DEFAULT
    assert licences.first_licence({"licenses": ["CC-BY-4.0"]}, licences.DEFAULT) == (
        licences.DEFAULT
    )  # not an object: frictionless reports it; the page shows the default


def _generic(folder: Path, licence: dict) -> None:
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "rows.csv").write_text("a\n1\n", encoding="utf-8")
    descriptor = {
        "name": folder.name,
        "licenses": [licence],
        "resources": [
            {"name": "rows", "path": "data/rows.csv",
             "schema": {"fields": [{"name": "a", "type": "integer"}]}},
        ],
    }  # fmt: skip
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_packages_whose_licence_has_only_a_name_or_only_a_path_build(tmp_path):
    data = tmp_path / "data"
    _generic(data / "spdx-only", {"name": "CC0-1.0"})
    _generic(data / "name-only", {"name": "Own-Licence"})
    _generic(data / "path-only", {"path": "https://example.org/licence"})
    site = tmp_path / "out" / "site"
    build.build_site(data, site)
    page = (site / "datasets" / "spdx-only" / "index.html").read_text("utf-8")
    assert "<dd>Creative Commons Zero v1.0 Universal</dd>" in page
    assert (
        '<a href="https&#58;//creativecommons.org/publicdomain/zero/1.0/" rel="license">'
        "Creative Commons Zero v1.0 Universal</a>"
    ) in page
    page = (site / "datasets" / "name-only" / "index.html").read_text("utf-8")
    assert "สัญญาอนุญาต (licence): Own-Licence · " in page
    page = (site / "datasets" / "path-only" / "index.html").read_text("utf-8")
    assert 'href="https&#58;//example.org/licence" rel="license">https' in page
    catalog = json.loads((site / "data.json").read_text("utf-8"))
    stated = {d.get("license") for d in catalog["dataset"]}
    assert "https://creativecommons.org/publicdomain/zero/1.0/" in stated
    assert "https://example.org/licence" in stated
