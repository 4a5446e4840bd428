"""The benchmarks keep working as the library changes: each is run by hand, rarely, so a
renamed function (pilot.skeleton_files, once) broke two of them without a test noticing."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = sorted((REPO / "benchmarks").glob("*.py"))


def _project_modules(tree: ast.Module) -> dict[str, str]:
    """Local name -> module of every `from tambon_portal... import x [as y]` of a script."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tambon_portal"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if _is_module(candidate):  # not a function imported by name
                    names[alias.asname or alias.name] = candidate
    return names


def _is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_every_project_function_a_benchmark_calls_exists(script):
    tree = ast.parse(script.read_text(encoding="utf-8"))
    modules = _project_modules(tree)
    missing = [
        f"{script.name}:{node.lineno}: {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and not hasattr(importlib.import_module(modules[node.value.id]), node.attr)
    ]
    assert missing == []


def test_the_household_benchmark_runs_end_to_end_at_a_small_scale(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "households.py"), "--households", "2000",
         "--formats", "CSV"],
        capture_output=True, text=True, cwd=tmp_path, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| tambon households publish, CSV (end to end) |" in done.stdout
    assert "none can be worked out to fewer than 5 values" in done.stdout
