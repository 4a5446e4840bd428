"""Every address is made by core/urls: no other module writes a page path, a download or
embed path, a machine file's path or a permanent URL by hand."""

from __future__ import annotations

import ast
from pathlib import Path

from tambon_portal.core import urls

SRC = Path(__file__).resolve().parents[1] / "src" / "tambon_portal"
# Where an address starts; "plan/" is left out: it also names the plan's charts ("plan/<chart>").
PREFIXES = ("tambon/", "district/", "province/", "datasets/", "embed/", "api/", "downloads/")
# The files a site built by an earlier version held: its names then, not addresses made now.
KEPT = {"pipeline/workspace.py": {"api/v1/tambons.json"}}


def _addresses_by_hand(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    relative = path.relative_to(SRC).as_posix()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if id(node) in docstrings or text in KEPT.get(relative, set()):
                continue
            if text.startswith(PREFIXES):
                found.append(f"{relative}:{node.lineno} {text!r}")
        if isinstance(node, ast.JoinedStr) and "rstrip('/')}/{" in ast.unparse(node):
            found.append(f"{relative}:{node.lineno} {ast.unparse(node)}")  # site_url/version
    return found


def test_no_module_but_urls_writes_an_address_by_hand():
    # Permanent URLs were joined in catalog, downloads (twice) and releases, page paths in
    # catalog, validate and build beside urls', download paths in publication and pages.
    modules = [p for p in sorted(SRC.rglob("*.py")) if p != SRC / "core" / "urls.py"]
    assert [hit for path in modules for hit in _addresses_by_hand(path)] == []


def test_a_permanent_url_is_one_join_whatever_slashes_it_is_given():
    root = "https://x.test/portal/2026.11/"
    assert urls.permanent_url("https://x.test/portal/", "2026.11", "/tambon/800106/") == (
        root + "tambon/800106/"
    )
    assert urls.download_url("https://x.test/portal", "2026.11", "bundles/tambons-80.zip") == (
        root + "downloads/bundles/tambons-80.zip"
    )
    assert urls.permanent_url("https://x.test/portal", "2026.11", "https://elsewhere.test/x") == (
        "https://elsewhere.test/x"
    )
