"""publish/province_bundle: a province's bundle joined from each tambon's kept part, the same
bytes as the province's tables and zip made whole, with only a changed package read again."""

from __future__ import annotations

import dataclasses

from test_province_workbook import CountingMemo, pilot  # noqa: F401 (pilot: a fixture)

from tambon_portal.publish import province_bundle
from tambon_portal.publish.download_files import (
    Package,
    excel_csv_bytes,
    no_memo,
    package_zip_entries,
    zip_bytes,
)


def made_whole(packages: list[Package]) -> dict[str, bytes]:
    """The bundle's zip and tables as one concatenation of every package (before the parts)."""
    entries = [e for p in packages for e in package_zip_entries(p, prefix=f"{p.name}/")]
    files = {"bundles/tambons-80.zip": zip_bytes(entries)}
    for name in dict.fromkeys(t.name for p in packages for t in p.tables):
        table = province_bundle.concatenated_table(
            [t for p in packages for t in p.tables if t.name == name], name
        )
        files[f"bundles/{name}-80.csv"] = table.source
        files[f"bundles/{name}-80.excel.csv"] = excel_csv_bytes(table)
    return files


def bundle(packages: list[Package], keys: list[str], memo=no_memo, read=None) -> dict[str, bytes]:
    def load(i: int) -> Package:
        if read is not None:
            read.append(i)
        return packages[i]

    outputs = province_bundle.province_bundle_outputs("80", keys, load, memo)
    return {o.rel: o.data for o in outputs if not o.rel.endswith(".labelled.xlsx")}


def test_the_bundle_joined_from_parts_has_the_bytes_of_the_province_made_whole(pilot):  # noqa: F811
    assert bundle(pilot, [p.name for p in pilot]) == made_whole(pilot)


def test_after_one_package_changed_only_it_is_read_and_the_bundle_is_as_made_whole(pilot):  # noqa: F811
    memo, keys = CountingMemo(), [p.name for p in pilot]
    bundle(pilot, keys, memo)
    changed = [*pilot]
    villages = next(t for t in pilot[4].tables if t.name == "villages")
    column = villages.header.index("name_en")
    rows = [list(r) for r in villages.rows]
    rows[0][column] += " Nuea"
    tables = [dataclasses.replace(t, rows=rows) if t is villages else t for t in pilot[4].tables]
    changed[4] = dataclasses.replace(pilot[4], tables=tables)
    keys[4] += "-changed"
    read: list[int] = []
    again = bundle(changed, keys, memo, read)
    assert set(read) == {4}
    assert again == made_whole(changed)
    assert again != made_whole(pilot)


def test_a_table_of_another_shape_is_joined_as_concatenated_table_joins_it(pilot):  # noqa: F811
    other = [*pilot]
    villages = next(t for t in pilot[2].tables if t.name == "villages")
    extra = dataclasses.replace(villages, header=[*villages.header, "note"],
                                rows=[[*r, "=1+1"] for r in villages.rows])  # fmt: skip
    tables = [extra if t is villages else t for t in pilot[2].tables]
    other[2] = dataclasses.replace(pilot[2], tables=tables)
    joined = bundle(other, [p.name for p in other])
    assert joined == made_whole(other)
    header = joined["bundles/villages-80.csv"].split(b"\n", 1)[0]
    assert header.endswith(b",note")  # the column one package added, empty for the others


def test_a_bundle_past_the_classic_zip_limits_is_written_by_zipfile_with_zip64(pilot, monkeypatch):  # noqa: F811
    def refused(*_args):
        raise province_bundle.NeedsZip64("too many entries")

    monkeypatch.setattr(province_bundle, "pieced_zip_bytes", refused)
    assert bundle(pilot[:3], [p.name for p in pilot[:3]]) == made_whole(pilot[:3])
