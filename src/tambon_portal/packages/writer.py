"""Writing data packages and machine files the one deterministic way: CSV, descriptors, JSON.

Every package the portal writes (the sample, a new tambon's scaffold, an import, the roll-up
package) and every download goes through here, so one input gives the same bytes whoever
writes it: UTF-8 without a byte-order mark (but for Excel's CSV), LF line ends, CSV quoted only
where needed, JSON keys in their given order for descriptors and sorted for machine files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

# Excel opens a UTF-8 CSV as UTF-8 only with a byte-order mark (else Thai is mojibake).
EXCEL_BOM = b"\xef\xbb\xbf"


def csv_writer(stream: Any, *, excel: bool = False) -> Any:
    """A csv.writer of the portal's CSV: minimal quoting, LF line ends (CRLF for Excel)."""
    return csv.writer(stream, lineterminator="\r\n" if excel else "\n", quoting=csv.QUOTE_MINIMAL)


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """The rows (header first) as CSV text."""
    buffer = io.StringIO()
    csv_writer(buffer).writerows(rows)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]], *, excel: bool = False) -> bytes:
    """CSV bytes: plain UTF-8 with LF, or for Excel UTF-8 with BOM and CRLF (Thai opens intact)."""
    buffer = io.StringIO()
    csv_writer(buffer, excel=excel).writerows(rows)
    encoded = buffer.getvalue().encode("utf-8")
    return EXCEL_BOM + encoded if excel else encoded


def descriptor_text(descriptor: Mapping[str, Any]) -> str:
    """A datapackage.json: keys in the order given (as a person wrote them), Thai unescaped,
    indented by 2; a value JSON has no type for (a date read from YAML) as its text."""
    return json.dumps(descriptor, ensure_ascii=False, indent=2, default=str) + "\n"


def json_document(document: Any) -> bytes:
    """A machine-readable JSON file (catalog, API, index of downloads, releases): keys
    sorted, so the same content gives the same bytes, indented by 1, Thai unescaped."""
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def write_files(folder: Path, files: Mapping[str, str]) -> None:
    """Writes relative path -> text under `folder` as UTF-8 bytes (LF line ends on every
    platform: text mode would turn them into CRLF on Windows)."""
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
