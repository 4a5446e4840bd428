"""Download files for every published data package: CSV, Excel-safe CSV, JSON, XLSX, zip, bundles.

Layout under `out_dir` (which becomes `<site>/downloads/`):

    <package>/<resource>.csv          the source CSV, byte for byte
    <package>/<resource>.excel.csv    UTF-8 with BOM, CRLF, formula-looking text cells neutralised
    <package>/<resource>.json         records typed per the Table Schema, null if missing
    <package>/<package>.xlsx          README sheet + one sheet per resource
    <package>/<package>.zip           datapackage.json + the resource files exactly as the source
    bundles/tambons-<pp>.zip          every tambon package of province <pp>, one folder each
    bundles/<resource>-<pp>.csv       one table per resource across the province (+ .excel.csv)
    index.json, SHA256SUMS            what was written, with sizes and checksums

`<package>` is the package's `discovery.published_slug`, `<resource>` its `urls.slug`; no
path is written twice in one build (`DuplicateDownload`).

Every output is a deterministic function of the inputs (no clock): zip entries carry the time
of SOURCE_DATE_EPOCH, else 1980-01-01, so two builds of the same data give identical bytes.

The formats themselves are in download_files and xlsx; the province bundles, made from each
tambon's kept part, in province_bundle.

A rebuild does not write again what the live site already has. The memo keeps, per package
(and per province bundle), the list of its files with their sizes and checksums, not their
bytes; a file listed so whose path, size and SHA-256 are those of the live site's (its
index.json, `live_downloads`) is linked from it into the new site (a hard link; a copy where
links are refused). Only the packages that changed, or whose files the live site lacks, are
made. Nothing writes a download after it is placed: a linked file is shared with the live
site until the swap removes that one. So the cache holds no second copy of the downloads
(Bangkok: 35 MB of bundle parts for 116 MB of downloads, 2026-12-08).

Kept over 400 lines: reading the packages, making their files, and writing, linking or
listing them are one pass that the memo keys and `DuplicateDownload` guard together.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tambon_portal.checks import workers
from tambon_portal.core import licences, urls
from tambon_portal.packages import descriptor_reader, discovery, table_reader
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore
from tambon_portal.packages.writer import descriptor_text, json_document
from tambon_portal.publish.download_files import (
    MEDIA_TYPES,
    DownloadFile,
    Memo,
    Output,
    Package,
    Table,
    excel_csv_bytes,
    json_bytes,
    no_memo,
    package_zip_entries,
    sha256_hex,
    sha256sums,
    zip_bytes,
)
from tambon_portal.publish.live_downloads import PreviousDownloads
from tambon_portal.publish.province_bundle import bundle_name, province_bundle_outputs
from tambon_portal.publish.xlsx import xlsx_bytes

# --- reading packages ------------------------------------------------------------------------


def _dialect_delimiter(resource: dict) -> str:
    dialect = resource.get("dialect") or {}
    if not isinstance(dialect, dict):
        return ","
    # frictionless v5 nests CSV options under dialect.csv; Table Dialect v1 puts them at the top.
    return str({**dialect, **(dialect.get("csv") or {})}.get("delimiter") or ",")


def _parse_csv(source: bytes, delimiter: str) -> list[list[str]]:
    text = source.decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if row]


def _package_files(descriptor: dict, folder: Path, store: FileStore) -> dict[str, bytes]:
    """The files a package's zip holds: resource data and external schemas, by relative path.

    Unsafe paths (absolute, `..`, URLs) are skipped, never opened: `tambon validate` refuses
    such a package before a build gets here.
    """
    files: dict[str, bytes] = {}
    for resource in descriptor.get("resources") or []:
        if not isinstance(resource, dict):
            continue
        schema = resource.get("schema")
        paths = descriptor_reader.resource_paths(resource) + (
            [schema] if isinstance(schema, str) else []
        )
        for path in paths:
            if (
                descriptor_reader.unsafe_path_reason(path, folder) is None
                and (folder / path).is_file()
            ):
                files[path] = store.read(folder / path)
    return files


def _table(resource: dict, folder: Path, files: dict[str, bytes], store: FileStore) -> Table | None:
    name, paths = table_reader.table_name(resource), descriptor_reader.resource_paths(resource)
    if name is None or paths[0] not in files:
        return None
    schema = table_reader.resource_schema(resource, folder, store)
    rows = _parse_csv(files[paths[0]], _dialect_delimiter(resource))
    dialect = resource.get("dialect")
    if isinstance(dialect, dict) and dialect.get("header") is False:
        rows.insert(0, [str(f.get("name")) for f in schema.get("fields", [])])
    header = rows[0] if rows else []
    return Table(
        name=name,
        title=str(resource.get("title") or ""),
        description=str(resource.get("description") or ""),
        fields=schema.get("fields") or [{"name": h, "type": "string"} for h in header],
        header=header,
        rows=rows[1:],
        missing_values=tuple(str(v) for v in schema.get("missingValues", [""])),
        source=files[paths[0]],
    )


@dataclass(frozen=True)
class Source:
    """A package's bytes as published (read without parsing a table): enough to know whether
    its downloads changed."""

    ref: PackageRef
    name: str
    descriptor: dict
    descriptor_json: bytes  # the source bytes when the descriptor is JSON, else a JSON rendering
    files: dict[str, bytes]  # zip arcname -> bytes

    def digest(self) -> str:
        digest = hashlib.sha256(f"{self.name}\0".encode() + self.descriptor_json)
        for arcname, data in sorted(self.files.items()):
            digest.update(f"\0{arcname}\0{len(data)}\0".encode() + data)
        return digest.hexdigest()

    def province(self) -> str | None:
        code = self.ref.tambon_code or self.descriptor.get("tambon_code")
        return str(code)[:2] if self.ref.kind == "tambon" and code else None

    def tambon_order(self) -> tuple[str, str]:
        return (str(self.ref.tambon_code or self.descriptor.get("tambon_code") or ""), self.name)


def read_source(ref: PackageRef, store: FileStore | None = None) -> Source:
    """The package's bytes, read through `store` (`file_store`; a new one when None)."""
    store = store or FileStore()
    descriptor = discovery.descriptor_of(ref)
    if ref.descriptor_path.suffix.lower() == ".json":
        descriptor_json = store.read(ref.descriptor_path)
    else:  # a YAML descriptor: the zip must still carry a datapackage.json
        descriptor_json = descriptor_text(descriptor).encode()
    files = _package_files(descriptor, ref.folder, store)
    return Source(ref, discovery.published_slug(ref), descriptor, descriptor_json, files)


def read_package(
    ref: PackageRef, source: Source | None = None, store: FileStore | None = None
) -> Package:
    """Read a package's descriptor, its CSV tables and the files its zip holds."""
    store = store or FileStore()
    source = source or read_source(ref, store)
    tables = [
        table
        for resource in table_reader.tabular_resources(source.descriptor)
        if (table := _table(resource, ref.folder, source.files, store)) is not None
    ]
    return Package(
        ref=ref,
        name=source.name,
        descriptor=source.descriptor,
        descriptor_json=source.descriptor_json,
        tables=tables,
        files=source.files,
    )


# --- writing -----------------------------------------------------------------------------------


class DuplicateDownload(RuntimeError):
    """Two downloads of one build were given the same path: a bug, never to be silent.

    `tambon validate` refuses packages whose names collide (name-collision), so this is only
    reached when a published name is derived without `discovery.published_slug`.
    """


class _Writer:
    """Writes files under the downloads folder and remembers a DownloadFile for each.

    A path is written at most once per build: the second file would replace the first and
    SHA256SUMS would then list a checksum the folder no longer matches.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.files: list[DownloadFile] = []
        self._writers: dict[str, str] = {}  # casefolded path -> who wrote it
        self._folders: set[Path] = set()

    def _claim(self, rel: str, *, by: str) -> None:
        # Casefolded: on a case-insensitive disk (a copy on Windows or macOS) A.csv is a.csv.
        key = rel.casefold()
        if key in self._writers:
            raise DuplicateDownload(
                f"{urls.download_path(rel)} would be written twice in one build, by"
                f" {self._writers[key]}"
                f" and then by {by}; the second would overwrite the first"
            )
        self._writers[key] = by

    def write_unlisted(self, rel: str, data: bytes, *, by: str) -> None:
        """Write `rel` without listing it among the downloads (index.json, SHA256SUMS)."""
        self._claim(rel, by=by)
        self._folder_made(rel).write_bytes(data)

    def _folder_made(self, rel: str) -> Path:
        """The path of `rel`, its folder made once a build (6,373 files in 723 folders at
        Bangkok; each mkdir of one that exists still costs a call to the file system)."""
        target = self.out_dir / rel
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target

    def place(self, file: DownloadFile, previous: PreviousDownloads) -> None:
        """Lists `file` and links it from the live site (`previous.has(file)` was true)."""
        self._claim(file.path, by=f"package {file.package}")
        previous.link(file, self._folder_made(file.path))
        self.files.append(file)

    def write(
        self, rel: str, data: bytes, *, fmt: str, package: str | None, resource: str | None
    ) -> None:
        self.write_listed(listed(Output(rel, data, fmt, resource), package), data)

    def write_listed(self, file: DownloadFile, data: bytes) -> None:
        """Writes `data` as `file` (listed already, its checksum taken) and lists it."""
        by = f"package {file.package}" + (f", resource {file.resource}" if file.resource else "")
        self.write_unlisted(file.path, data, by=by)
        self.files.append(file)


Made = list[Output]  # the downloads of one package, or of one province bundle
Listed = list[DownloadFile]  # what the memo keeps of them: no bytes


def listed(output: Output, package: str | None) -> DownloadFile:
    """How `output` of `package` is listed in index.json and SHA256SUMS."""
    return DownloadFile(
        path=output.rel,
        size=len(output.data),
        sha256=sha256_hex(output.data),
        media_type=MEDIA_TYPES[output.fmt],
        package=package,
        resource=output.resource,
        format=output.fmt,
    )


class _Placed:
    """The downloads of one build: each package's listed files linked from the live site,
    else written from what was made in this build (`listing`), else made again."""

    def __init__(self, writer: _Writer, previous: PreviousDownloads) -> None:
        self.writer, self.previous = writer, previous
        # Made in this build, by the package's index or the bundle's province (not by name:
        # two packages of one name must still meet `DuplicateDownload`).
        self.fresh: dict[int | str, Made] = {}

    def listing(self, made: Made, key: int | str, name: str) -> Listed:
        """What the memo keeps of `made`, the files of `name`, which `put` then writes."""
        self.fresh[key] = made
        return [listed(output, name) for output in made]

    def put(self, files: Listed, key: int | str, name: str) -> bool:
        """Places the files of `name`; False when they must be made again (not made in this
        build, and the live site lacks one of them)."""
        made = self.fresh.pop(key, None)
        if made is not None:  # `files` is its listing: each checksum taken once
            for file, output in zip(files, made, strict=True):
                self.writer.write_listed(file, output.data)
        elif all(self.previous.has(f) for f in files):
            for file in files:
                self.writer.place(file, self.previous)
        else:
            return False
        return True


def package_outputs(
    package: Package, *, version: str, site_url: str, license: dict
) -> list[Output]:
    """Every download of one package: per table CSV, Excel-CSV and JSON; the XLSX; the zip."""
    name = package.name
    outputs = []
    for table in package.tables:
        contents = {
            "csv": table.source,
            "excel-csv": excel_csv_bytes(table),
            "json": json_bytes(table),
        }
        for fmt, file in urls.table_files(table.name).items():
            outputs.append(Output(f"{name}/{file}", contents[fmt], fmt, table.name))
    if package.tables:
        data = xlsx_bytes(package, version=version, site_url=site_url, license=license)
        outputs.append(Output(f"{name}/{name}.xlsx", data, "xlsx", None))
    outputs.append(
        Output(f"{name}/{name}.zip", zip_bytes(package_zip_entries(package)), "zip", None)
    )
    return outputs


def _outputs_of(shared: Mapping[str, Any], index: int) -> Made:
    """`package_outputs` of the source at `index` (in a worker: `workers.map_sharing`)."""
    source = shared["sources"][index]
    package = read_package(source.ref, source, shared["store"])
    return package_outputs(package, version=shared["version"], site_url=shared["site_url"],
                           license=shared["license"])  # fmt: skip


def write_downloads(
    refs: list[PackageRef],
    out_dir: Path,
    *,
    version: str,
    site_url: str,
    license: dict | None = None,
    memo: Memo | None = None,
    store: FileStore | None = None,
    previous: PreviousDownloads | None = None,
) -> list[DownloadFile]:
    """Write every download of `refs` under `out_dir`; return them sorted by path.

    With `memo`, a package's files are made only when its bytes (or the settings) changed;
    with `previous` too, those the live site has are linked from it instead of written.

    `license` is stated in the XLSX README of packages whose descriptor names none
    (default CC BY 4.0). Also writes `index.json` and `SHA256SUMS` (which covers index.json).
    """
    license = license or licences.DEFAULT
    memo = memo or no_memo
    writer = _Writer(out_dir)
    store = store or FileStore()  # every file read once (`file_store`)
    sources = [read_source(ref, store) for ref in refs]  # bytes only: no table parsed yet
    digests = [source.digest() for source in sources]
    read: dict[int, Package] = {}

    def package(i: int) -> Package:  # parsed only when something of it must be made
        if i not in read:
            read[i] = read_package(sources[i].ref, sources[i], store)
        return read[i]

    settings = json.dumps(license, sort_keys=True)  # hashable, for any memo
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")  # zip timestamps
    shared = {"sources": sources, "store": store, "version": version, "site_url": site_url,
              "license": license}  # fmt: skip
    placed = _Placed(writer, previous or PreviousDownloads())

    def made(indices: list[int]) -> list[Listed]:  # each package's XLSX and zip: one per core
        outputs = workers.map_sharing(_outputs_of, indices, shared)
        return [placed.listing(o, i, sources[i].name)
                for i, o in zip(indices, outputs, strict=True)]  # fmt: skip

    listed_all = memo([(d, version, site_url, settings, epoch) for d in digests], made)
    again = [i for i, files in enumerate(listed_all)
             if not placed.put(files, i, sources[i].name)]  # fmt: skip
    for i, outputs in zip(again, workers.map_sharing(_outputs_of, again, shared), strict=True):
        _write_all(writer, outputs, sources[i].name)
    provinces: dict[str, list[int]] = {}
    for i, source in enumerate(sources):
        if code := source.province():
            provinces.setdefault(code, []).append(i)
    for code, members in sorted(provinces.items()):
        members.sort(key=lambda i: sources[i].tambon_order())
        keys, name = [digests[i] for i in members], bundle_name(code)

        def bundle(code: str = code, keys: list[str] = keys, members: list[int] = members) -> Made:
            return province_bundle_outputs(code, keys, lambda j: package(members[j]), memo)

        [files] = memo(
            [("bundle", code, tuple(keys), epoch)],
            lambda missing, bundle=bundle, code=code, name=name: [  # none when saved
                placed.listing(bundle(), code, name) for _ in missing],
        )  # fmt: skip
        if not placed.put(files, code, name):
            _write_all(writer, bundle(), name)

    files = sorted(writer.files, key=lambda f: f.path)
    index = index_document(files, version=version, site_url=site_url)
    index_data = json_document(index)
    writer.write_unlisted(urls.INDEX_FILE, index_data, by="the index of downloads")
    index_entry = DownloadFile(
        urls.INDEX_FILE,
        len(index_data),
        sha256_hex(index_data),
        "application/json",
        None,
        None,
        "json",
    )
    writer.write_unlisted(urls.SUMS_FILE, sha256sums([*files, index_entry]), by="the checksums")
    return files


def _write_all(writer: _Writer, outputs: list[Output], package: str) -> None:
    for output in outputs:
        writer.write(
            output.rel, output.data, fmt=output.fmt, package=package, resource=output.resource
        )


def index_document(files: Sequence[DownloadFile], *, version: str, site_url: str) -> dict:
    return {
        "version": version,
        "files": [
            {**f.to_dict(), "url": urls.download_url(site_url, version, f.path)} for f in files
        ],
    }
