"""Settings every stage shares (core/settings): each decided in one place, read alike by all."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest
from fixtures.tambon_package import CODE, write_tambon_package

from tambon_portal.core import licences, settings
from tambon_portal.packages import descriptor_reader, discovery
from tambon_portal.pipeline import stages
from tambon_portal.publish import catalog
from tambon_portal.publish import datasets as dataset_records
from tambon_portal.publish.download_files import DownloadFile

SRC = Path(__file__).resolve().parents[1] / "src" / "tambon_portal"
BUNDLE = DownloadFile("bundles/tambons-80.zip", 1, "0" * 64, "application/zip", "tambons-80",
                      None, "zip")  # fmt: skip


def _pages_and_catalog_say_sample(root: Path, flag: object) -> tuple[bool, bool]:
    write_tambon_package(root, edit=lambda _tables, d: d.update(sample=flag))
    refs = discovery.discover(root)
    descriptors = {CODE: descriptor_reader.read_descriptor(refs[0].descriptor_path)}
    meta = stages.site_meta(descriptors, pd.DataFrame({"year_be": pd.array([], dtype="Int64")}))
    datasets = catalog.build_datasets(
        refs, [BUNDLE], version="dev", site_url="https://x.test", license=licences.DEFAULT
    )
    bundle = next(d for d in datasets if d.kind == "bundle")
    return meta["sample"], bundle.description.endswith(dataset_records.SAMPLE_NOTE)


@pytest.mark.parametrize(
    ("flag", "said"), [(True, (True, True)), ("false", (False, False)), ("yes", (False, False))]
)
def test_pages_and_catalog_call_a_package_synthetic_only_when_its_sample_is_true(
    tmp_path, flag, said
):
    # Pages tested bool(sample) and the catalog `is True`: the text "false" made every page
    # say "synthetic" while the catalog said nothing.
    assert _pages_and_catalog_say_sample(tmp_path, flag) == said


def _literals(value: object) -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and node.value == value
                and type(node.value) is type(value)
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


# Where else a setting's value may be written: the table of well-known licences is keyed by id.
ALSO_IN = {settings.LICENCE_ID: ["core/licences.py"]}


@pytest.mark.parametrize(
    "value",
    [
        settings.BE_OFFSET,
        settings.PROVINCE_CODE,
        settings.LICENCE_ID,
        settings.PLACEHOLDER_SITE_URL,
    ],
)
def test_each_setting_is_written_only_in_settings(value):
    # A second copy of a setting is how copies came to disagree (a bare 543 beside BE_OFFSET,
    # "80" in three modules, the licence written out in the roll-up package).
    files = {found.split(":")[0] for found in _literals(value)}
    assert files == {"core/settings.py", *ALSO_IN.get(value, [])}
