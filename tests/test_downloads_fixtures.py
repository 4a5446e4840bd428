"""Packages the downloads and catalog tests publish (helpers only, no tests here).

Two tambon packages built from the hand-written fixture (800106 and a copy renamed to 800102),
one of them with formula-looking text in plan_projects, plus the real third-party
conformance packages (tests/fixtures/conformance) and a tiny generic package with negative numbers.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from fixtures.paths import CONFORMANCE
from fixtures.tambon_package import CODE, Rows, write_tambon_package

from tambon_portal.packages import discovery

OTHER_CODE = "800102"  # ท่าวัง, same district (8001) as 800106
SITE_URL = "https://data.example.org/portal"
VERSION = "2026.11.0"

# Text cells a spreadsheet would run as formulas (plan_projects.title_th of 800106).
FORMULA_TITLES = ['=HYPERLINK("http://evil.example","x")', "+1", "@SUM(A1)", "-2+3"]


def _add_formula_projects(tables: dict[str, Rows], _descriptor: dict) -> None:
    for n, title in enumerate(FORMULA_TITLES, start=3):
        tables["plan_projects"].append(
            [CODE, f"P0{n}", "1", "", title, "1000", "community", "กลุ่มเยาวชน", "2568",
             "proposed", "", "", ""]
        )  # fmt: skip


def _renamed(code: str):
    def edit(tables: dict[str, Rows], descriptor: dict) -> None:
        for rows in tables.values():
            for row in rows:
                row[:] = [cell.replace(CODE, code) for cell in row]
        descriptor["name"] = f"tambon-{code}"
        descriptor["tambon_code"] = code

    return edit


def write_tambons(root: Path) -> list[discovery.PackageRef]:
    """Two tambon packages under root/80/; 800106 holds the formula-looking titles."""
    write_tambon_package(root, edit=_add_formula_projects)
    write_tambon_package(root, folder=OTHER_CODE, edit=_renamed(OTHER_CODE))
    return discovery.discover(root)


def write_tiny_generic(root: Path) -> Path:
    """A generic package with a negative integer/number next to the same text in a string column."""
    folder = root / "tiny"
    (folder / "data" / "nested").mkdir(parents=True)
    (folder / "data" / "nested" / "changes.csv").write_text(
        "item,delta,ratio,note\na,-5,-2.5,-5\nb,+3,1e3,ok\nc,,,=1+1\n", encoding="utf-8"
    )
    descriptor = {
        "name": "tiny",
        "title": "Tiny changes",
        "resources": [
            {
                "name": "changes",
                "path": "data/nested/changes.csv",
                "format": "csv",
                "schema": {
                    "fields": [
                        {"name": "item", "type": "string"},
                        {"name": "delta", "type": "integer"},
                        {"name": "ratio", "type": "number"},
                        {"name": "note", "type": "string"},
                    ]
                },
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return folder


def copy_conformance(root: Path) -> list[discovery.PackageRef]:
    target = root / "other"
    shutil.copytree(CONFORMANCE, target, ignore=shutil.ignore_patterns("SOURCES.txt"))
    return discovery.discover(target)


def all_refs(root: Path) -> list[discovery.PackageRef]:
    write_tambons(root / "data")
    write_tiny_generic(root / "data")
    copy_conformance(root / "data")
    return discovery.discover(root / "data")
