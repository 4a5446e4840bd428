"""A province's bundle: every tambon package in one zip (`bundles/tambons-<pp>.zip`), each
table of every tambon as one CSV and one Excel-CSV (`bundles/<resource>-<pp>.csv`), and the
labelled BMN workbook (`province_workbook`).

Why in parts: a province's bundle holds every tambon's files, and making it whole again after
one tambon changed meant reading every package of the province (2.7 s at Bangkok's 180), joining
their tables (2 s), neutralising them for Excel (1.8 s) and compressing the zip again. Each
tambon package gives its `Part` instead (its zip entries compressed, each table's rows as CSV
and Excel-CSV without the header), kept under its package's digest by the downloads memo, and
the province's files are joined from the parts: after one tambon changed only its package is
read for them (the labelled workbook reads again the tambons after it when its BMN rows grew
or shrank: `province_workbook`). The files are the bytes `concatenated_table` and `zip_bytes`
give for the whole province. A resource whose tables differ between tambons in header, fields
or missing values (a hand-made package) is joined from the packages themselves, as
`concatenated_table` joins them, and so has every package read on every rebuild.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tambon_portal.core import urls
from tambon_portal.packages.writer import csv_bytes
from tambon_portal.publish import labelled, province_workbook
from tambon_portal.publish.download_files import (
    Memo,
    Output,
    Package,
    Table,
    excel_csv_bytes,
    excel_header,
    excel_rows,
    package_zip_entries,
    zip_bytes,
    zip_date_time,
)
from tambon_portal.publish.pieced_zip import NeedsZip64, Piece, pieced_zip_bytes, whole


def bundle_name(province: str) -> str:
    """The package name of the bundle of every tambon package of `province`."""
    return f"{urls.BUNDLE_PREFIX}{province}"


def concatenated_table(tables: Sequence[Table], name: str) -> Table:
    """One table from many with the same resource: header once, columns in first-seen order."""
    header: list[str] = []
    for table in tables:
        header += [c for c in table.header if c not in header]
    rows = []
    for table in tables:
        index = {c: i for i, c in enumerate(table.header)}
        rows += [
            [row[index[c]] if c in index and index[c] < len(row) else "" for c in header]
            for row in table.rows
        ]
    first = tables[0]
    fields = {f.get("name"): f for t in reversed(tables) for f in t.fields}
    return Table(
        name=name,
        title=first.title,
        description=first.description,
        fields=[fields.get(c, {"name": c, "type": "string"}) for c in header],
        header=header,
        rows=rows,
        missing_values=tuple(dict.fromkeys(m for t in tables for m in t.missing_values)),
        source=csv_bytes([header, *rows]),
    )


@dataclass(frozen=True)
class TablePart:
    """One table of a tambon package as the province's files hold it."""

    name: str
    shape: tuple  # header, fields and missing values: tables of one shape join as bytes
    csv: bytes  # its rows, as the province CSV writes them (no header)
    excel: bytes  # its rows, as the province Excel-CSV writes them (no BOM, no header)


@dataclass(frozen=True)
class Part:
    """What a tambon package gives its province's bundle."""

    entries: tuple[tuple[str, Piece], ...]  # its zip entries under its folder, compressed
    tables: tuple[TablePart, ...]


def _table_part(table: Table) -> TablePart:
    alone = concatenated_table([table], table.name)  # its rows as a province's table holds them
    fields = tuple(tuple(sorted((k, repr(v)) for k, v in f.items())) for f in alone.fields)
    return TablePart(
        name=table.name,
        shape=(tuple(alone.header), fields, alone.missing_values),
        csv=csv_bytes(alone.rows),
        excel=excel_rows(alone),
    )


def part(package: Package) -> Part:
    entries = package_zip_entries(package, prefix=f"{package.name}/")
    return Part(tuple((name, whole(data)) for name, data in entries),
                tuple(_table_part(t) for t in package.tables))  # fmt: skip


def _joined_table(
    parts: Sequence[TablePart], tables: Callable[[], list[Table]]
) -> tuple[bytes, bytes]:
    """(CSV, Excel-CSV) of one resource across the province; `tables` when shapes differ."""
    if any(p.shape != parts[0].shape for p in parts):
        table = concatenated_table(tables(), parts[0].name)
        return table.source, excel_csv_bytes(table)
    header = list(parts[0].shape[0])
    return (csv_bytes([header]) + b"".join(p.csv for p in parts),
            excel_header(header) + b"".join(p.excel for p in parts))  # fmt: skip


def _zip(entries: list[tuple[str, Piece]]) -> bytes:
    try:
        return pieced_zip_bytes(entries, zip_date_time())
    except NeedsZip64:  # zipfile writes zip64; the pieces were each a whole stream
        return zip_bytes([(name, zlib.decompress(p.data, -15)) for name, p in entries])


def province_bundle_outputs(
    province: str, keys: Sequence[str], load: Callable[[int], Package], memo: Memo
) -> list[Output]:
    """The bundle of the tambon packages `load(i)`, in tambon order, whose digests are `keys`.
    A package is read only when its part is not kept (`memo`)."""
    parts: list[Part] = memo([("bundle-part", k) for k in keys],
                             lambda missing: [part(load(i)) for i in missing])  # fmt: skip
    entries = sorted((e for p in parts for e in p.entries), key=lambda e: e[0])
    outputs = [Output(f"{urls.BUNDLES_DIR}/{bundle_name(province)}.zip", _zip(entries), "zip",
                      None)]  # fmt: skip
    by_resource: dict[str, list[TablePart]] = {}
    for each in parts:
        for table in each.tables:
            by_resource.setdefault(table.name, []).append(table)
    for resource, tables in by_resource.items():
        csv, excel = _joined_table(tables, lambda resource=resource: [
            t for i in range(len(keys)) for t in load(i).tables if t.name == resource])  # fmt: skip
        stem = f"{urls.BUNDLES_DIR}/{urls.slug(resource)}-{province}"
        outputs.append(Output(f"{stem}.csv", csv, "csv", resource))
        outputs.append(Output(f"{stem}.excel.csv", excel, "excel-csv", resource))
        if resource == labelled.BMN_RESOURCE:
            workbook = province_workbook.labelled_workbook(keys, load, memo)
            outputs.append(Output(f"{stem}{labelled.LABELLED_SUFFIX}", workbook, "xlsx", resource))
    return outputs
