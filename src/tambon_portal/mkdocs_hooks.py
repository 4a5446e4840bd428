"""mkdocs hooks of the generated site (site_config lists this file under `hooks`).

Kept to one line each: the work is in the modules they call, which are tested on their own.
"""

from __future__ import annotations

from tambon_portal import search


def on_page_content(html: str, **_: object) -> str:
    """Page HTML with table cells and blocks apart, so search snippets do not run them together."""
    return search.separate_blocks(html)
