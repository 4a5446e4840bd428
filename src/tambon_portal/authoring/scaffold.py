"""`tambon new-tambon CODE`: an empty, valid package for a tambon, ready to be filled.

The package has the same shape as the committed sample packages (descriptor keys, one resource
per shared schema with an inline copy of it, CSVs under data/), with `"sample": false`. Every
CSV has its header only, except `tambon.csv`, whose one row carries what the gazetteer knows
(codes and names) and what is true of a package with no data yet: no villages, households or
people recorded (0), not in the pilot set, figures as of the day it was created. What a new
package cannot know (local government, area) is left empty, which the schema allows, so the
package passes `tambon validate` and the site shows it as "no data published yet".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tambon_portal.core import gazetteer, schemas
from tambon_portal.packages import writer as package_writer

# The tambon fields the gazetteer fills.
GAZETTEER_FIELDS = ("province_code", "district_code", "tambon_code", "name_th", "name_en")

# What an empty package honestly says: nothing recorded yet, and not a pilot tambon until the
# partnership says so. `reference_date` is the creation date (see `tambon_row`).
EMPTY_FACTS = {"villages": "0", "households": "0", "population": "0", "pilot": "false"}


class ScaffoldError(Exception):
    """The package cannot be created; the message says why (exit 2)."""


def _places(code: str) -> tuple[gazetteer.Place, gazetteer.Place, gazetteer.Place]:
    tambon = gazetteer.tambon(code) if len(code) == 6 and code.isdigit() else None
    if tambon is None:
        raise ScaffoldError(
            f"{code!r} is not a tambon code in the gazetteer (geothai "
            f"{gazetteer.GAZETTEER_VERSION}): give the 6-digit DOPA code, e.g. 800106"
        )
    district, province = gazetteer.district(code[:4]), gazetteer.province(code[:2])
    assert district and province  # a tambon in the gazetteer has both
    return tambon, district, province


def descriptor(code: str, created: date) -> dict[str, Any]:
    """The datapackage.json of a new tambon package (pure: `created` comes from the caller)."""
    tambon, _district, _province = _places(code)
    where_th, where_en = gazetteer.tambon_address(code)
    return schemas.tambon_package_descriptor(
        code,
        description=(
            f"ข้อมูลชุมชน{where_th} จากฐานข้อมูลชุมชนและแผนแม่บทชุมชนของตำบล "
            f"Community data of {where_en}, from the tambon's community database and master plan."
        ),
        sample=False,
        source_title=f"ฐานข้อมูลชุมชนตำบล{tambon.name_th}",
        created=f"{created.isoformat()}T00:00:00Z",
    )


def tambon_row(code: str, created: date) -> dict[str, str]:
    """The tambon row of an empty package; lg_type, lg_name_th and area_km2 stay empty."""
    tambon, _district, _province = _places(code)
    known = dict(
        zip(
            GAZETTEER_FIELDS,
            (code[:2], code[:4], code, tambon.name_th, tambon.name_en),
            strict=True,
        )
    )
    known |= EMPTY_FACTS | {"reference_date": created.isoformat()}
    return {name: known.get(name, "") for name in schemas.field_names("tambon")}


def fields_to_fill() -> list[str]:
    """Tambon fields a new package leaves empty: what the officer fills in first."""
    filled = {*GAZETTEER_FIELDS, *EMPTY_FACTS, "reference_date"}
    return [name for name in schemas.field_names("tambon") if name not in filled]


def package_files(code: str, created: date) -> dict[str, str]:
    """Relative path -> text of every file of the new package (pure)."""
    files = {"datapackage.json": package_writer.descriptor_text(descriptor(code, created))}
    for name in schemas.RESOURCE_NAMES:
        header = schemas.field_names(name)
        rows = [tambon_row(code, created)] if name == "tambon" else []
        files[f"data/{name}.csv"] = package_writer.csv_text(
            [header, *([row[column] for column in header] for row in rows)]
        )
    return files


def create_package(data_root: Path, code: str, created: date) -> Path:
    """Writes the package to data_root/<province>/<code>/; refuses to touch an existing one."""
    files = package_files(code, created)  # raises ScaffoldError for an unknown code first
    folder = data_root / code[:2] / code
    if folder.exists():
        raise ScaffoldError(
            f"{folder} already exists: edit that package (or `tambon import` into it) instead"
        )
    package_writer.write_files(folder, files)
    return folder
