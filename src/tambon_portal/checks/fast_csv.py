"""CSV text read into rows as frictionless' CSV parser reads it, for `fastcheck`.

frictionless (formats/csv/parser.py) sniffs the dialect of the first 100 lines with
`csv.Sniffer().sniff(sample, ",\\t;|")` and then reads every line with the csv module. Here the
same happens, with one difference that cannot change a result: the sniffer's delimiter guess
(`csv.Sniffer._guess_delimiter`) counts each of the 127 ASCII characters on every sampled
line, yet only the candidate delimiters can be chosen, and the count of one character never
changes the verdict on another. `Sniffer` counts only the candidates, in the same order, and so
returns what `csv.Sniffer` returns in a thirtieth of the time (it was 0.8 s of the 2 s fastcheck
took over the 600 committed files). tests/test_fastcheck.py compares the two on random samples,
so a Python whose sniffer guesses differently fails there rather than here in silence.
"""

from __future__ import annotations

import csv
import io
import itertools

# frictionless' CSV parser sniffs the dialect on its first 100 lines, among these delimiters
# (formats/csv/parser.py: SAMPLE_SIZE and the `default` of get_defined("delimiter")).
SNIFF_LINES = 100
SNIFF_DELIMITERS = ",\t;|"
_ASCII = [chr(c) for c in range(127)]  # the characters csv.Sniffer counts (7-bit ASCII)
_PLAIN = (",", '"', None, False)  # delimiter, quote, escape character, skipinitialspace


class Sniffer(csv.Sniffer):
    """`csv.Sniffer` whose delimiter guess counts only the characters it may return."""

    def _guess_delimiter(self, data: str, delimiters: str | None) -> tuple[str, bool | int]:
        """csv.Sniffer._guess_delimiter (CPython 3.11-3.13), line for line, over the ASCII
        characters in `delimiters` alone: a character outside them is counted there but never
        kept as a candidate (`delims`), and each character's mode depends on its own counts."""
        if delimiters is None:
            return super()._guess_delimiter(data, delimiters)
        lines = list(filter(None, data.split("\n")))
        candidates = [char for char in _ASCII if char in delimiters]
        chunk = min(10, len(lines))
        iteration = 0
        frequencies: dict[str, dict[int, int]] = {}
        modes: dict[str, tuple[int, int]] = {}
        delims: dict[str, tuple[int, int]] = {}
        start, end = 0, chunk
        while start < len(lines):
            iteration += 1
            for line in lines[start:end]:
                for char in candidates:
                    meta = frequencies.setdefault(char, {})
                    count = line.count(char)
                    meta[count] = meta.get(count, 0) + 1
            for char, meta in frequencies.items():
                items = list(meta.items())
                if len(items) == 1 and items[0][0] == 0:
                    continue
                if len(items) > 1:
                    mode = max(items, key=lambda x: x[1])
                    items.remove(mode)
                    modes[char] = (mode[0], mode[1] - sum(item[1] for item in items))
                else:
                    modes[char] = items[0]
            total = float(min(chunk * iteration, len(lines)))
            consistency = 1.0
            while len(delims) == 0 and consistency >= 0.9:
                for char, (count, rows) in modes.items():
                    if count > 0 and rows > 0 and rows / total >= consistency:
                        delims[char] = (count, rows)
                consistency -= 0.01
            if len(delims) == 1:
                delim = next(iter(delims))
                return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")
            start = end
            end += chunk
        if not delims:
            return "", 0
        if len(delims) > 1:
            for delim in self.preferred:
                if delim in delims:
                    return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")
        delim = sorted((v, k) for k, v in delims.items())[-1][1]
        return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")


def sniffed(sample: str, sniffer: csv.Sniffer | None = None) -> tuple:
    """(delimiter, quote, escape character, skipinitialspace) frictionless reads `sample` with:
    the sniffed dialect, or the csv module's excel when sniffing fails, a ' quote read as "."""
    try:
        dialect = (sniffer or Sniffer()).sniff(sample, SNIFF_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    quote = '"' if dialect.quotechar == "'" else dialect.quotechar  # frictionless' own fix
    return dialect.delimiter, quote, dialect.escapechar, dialect.skipinitialspace


def parse(text: str) -> list[list[str]] | None:
    """The rows frictionless' CSV parser reads from `text`, or None when its sniffed dialect is
    not plain CSV (or the text is not CSV at all)."""
    lines = io.StringIO(text, newline="")  # as frictionless' text stream: \n, \r, \r\n kept
    sample = list(itertools.islice(lines, SNIFF_LINES))
    if sniffed("".join(sample)) != _PLAIN:
        return None
    try:
        return list(csv.reader(itertools.chain(sample, lines), csv.excel))
    except csv.Error:  # NUL byte, a field over the size limit ...: frictionless reports it
        return None
