"""Sizes and fonts of the charts (`charts`) and the home map (`centroid_map`), both drawn for
a phone: no third-party imports.

Every chart and map is `WIDTH` px wide with its labels, which fits the 358 px page column of a
390 px phone, so the page never scales one down and its text stays `TEXT_SIZE` px there
(issue 9: drawn 560 px wide and scaled to the column, labels were 5-8 px tall). A wide screen
shows them at the same size.
"""

from __future__ import annotations

import re
import unicodedata

# Sarabun is what `text_width` was measured on; the page serves it as a web font. sans-serif
# keeps a reader without it from getting a serif fallback.
FONT = "Sarabun, sans-serif"
WIDTH = 340  # whole chart or map, labels included: a 390 px phone shows it 1:1
TEXT_SIZE = 13  # every label, legend entry and value: at least 12 CSS px on a phone
TITLE_SIZE = 16
# px between a title and what is under it: 4 px let the tail of ญ in the title touch the
# tone marks of a first label drawn from the top of the plot (the weakest-indicators chart).
TITLE_GAP = 10
LINE_HEIGHT = 16  # px per line of a wrapped label at TEXT_SIZE
INK = "#1a1a1a"

# Width of a Sarabun letter, in em, measured in chromium over every label of the code lists:
# at most 0.554 averaged over a line of 20 letters or more (0.60 for the widest short words);
# vowels and tone marks above and below the line (category Mn) take no width.
EM_PER_LETTER = 0.56
BOLD_WIDER = 1.06  # Sarabun Bold is 2-5 % wider than Regular (measured likewise): titles


def text_width(text: str, size: float = TEXT_SIZE) -> float:
    """An estimate of the width of a line of `text` in px in Sarabun at `size` px."""
    letters = sum(1 for c in text if unicodedata.category(c) != "Mn")
    return letters * size * EM_PER_LETTER


_NUMBER = re.compile(r"^\d+\.?$")


def wrap_label(text: str, width: float, size: float = TEXT_SIZE) -> list[str]:
    """`text` in lines no wider than `width` px, broken only at spaces: the code lists' Thai
    labels put spaces between phrases, and Thai must not break inside a word. A phrase wider
    than a line stays whole on its own line, and a leading number ("13.") keeps to its words."""
    lines: list[str] = []
    for word in text.split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and (text_width(candidate, size) <= width or _NUMBER.match(lines[-1])):
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines
