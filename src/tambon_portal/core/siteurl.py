"""The site's public address, used only in permanent URLs (citations, embed codes, catalog).

Where it comes from, first found wins: `--site-url`, `$TAMBON_SITE_URL`, else the address the
release workflow will publish to (.github/workflows/release.yml: GitHub Pages of the `origin`
remote, https://<owner>.github.io/<repo>). Without any of these there is no address: pages
then say plainly that the permanent address is set at release, and never print a made-up
host; machine files (DCAT, data.json) still need absolute identifiers and use
`settings.PLACEHOLDER_SITE_URL` (`or_placeholder`).
A release refuses to go ahead without an address.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tambon_portal.core import settings

ENV = "TAMBON_SITE_URL"
NOT_SET_TH = "ที่อยู่ถาวรจะกำหนดเมื่อออกรุ่น"
NOT_SET_EN = "the permanent address is set when a version is released"
NOT_SET = f"({NOT_SET_TH} · {NOT_SET_EN})"
_GITHUB = re.compile(r"github\.com[:/](?P<owner>[^/\s]+)/(?P<repo>[^/\s]+?)(?:\.git)?/?$")


def github_pages_url(folder: Path) -> str | None:
    """https://<owner>.github.io/<repo> when `folder` is in a git clone of a GitHub repo."""
    try:
        found = subprocess.run(
            ["git", "-C", str(folder), "remote", "get-url", "origin"],
            capture_output=True, text=True, check=False, timeout=10,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _GITHUB.search(found.stdout.strip()) if found.returncode == 0 else None
    if not match:
        return None
    return f"https://{match['owner'].lower()}.github.io/{match['repo']}"


def resolve(explicit: str | None, folder: Path | None = None) -> str | None:
    """The configured address without a trailing slash, or None when there is none."""
    url = explicit or os.environ.get(ENV) or (github_pages_url(folder) if folder else None)
    return url.rstrip("/") if url else None


def is_placeholder(url: str) -> bool:
    return url.rstrip("/") == settings.PLACEHOLDER_SITE_URL


def or_placeholder(url: str | None) -> str:
    """`url`, or the placeholder when there is no address: for machine files, which need an
    absolute identifier (pages test `is_placeholder` and print NOT_SET instead)."""
    return url or settings.PLACEHOLDER_SITE_URL
