"""The import rule of docs/architecture.md, beyond what import-linter (`make test`) checks."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tambon_portal"
MODULES = sorted(SRC.rglob("*.py"))


def own_imports_inside_functions(path: Path, root: Path = SRC) -> list[str]:
    """`import`s of tambon_portal made inside a function body: invisible to a reader of the
    module's top, and the usual hiding place of an import cycle."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                names = []
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                    "tambon_portal"
                ):
                    names = [inner.module or ""]
                elif isinstance(inner, ast.Import):
                    names = [a.name for a in inner.names if a.name.startswith("tambon_portal")]
                found += [f"{path.relative_to(root)}:{inner.lineno} {n}" for n in names]
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_our_own_modules_inside_a_function(path):
    assert own_imports_inside_functions(path) == []


def test_the_check_finds_an_import_inside_a_function_and_not_one_at_the_top(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from tambon_portal.core import settings\n"
        "def f():\n    from tambon_portal.core import urls\n    return urls\n"
    )
    assert own_imports_inside_functions(module, tmp_path) == ["m.py:3 tambon_portal.core"]


# Only the command line talks to the person running it (docs/architecture.md §2).
SPEAKERS = frozenset({"cli.py", "cli_progress.py"})
_EXITS = frozenset({("sys", "exit"), ("os", "_exit")})


def prints_and_exits(path: Path, root: Path = SRC) -> list[str]:
    """Calls of print(), sys.exit() or os._exit() and raises of SystemExit: a library function
    that prints or ends the process cannot be reused, tested or quieted by its caller."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        what = None
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("print", "exit", "quit"):
                what = f"{func.id}()"
            elif (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and (func.value.id, func.attr) in _EXITS
            ):
                what = f"{func.value.id}.{func.attr}()"
        elif isinstance(node, ast.ClassDef) and any(
            isinstance(base, ast.Name) and base.id == "SystemExit" for base in node.bases
        ):
            what = f"class {node.name}(SystemExit)"
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "SystemExit":
                what = "raise SystemExit"
        if what:
            found.append((node.lineno, f"{path.relative_to(root)}:{node.lineno} {what}"))
    return [text for _, text in sorted(found)]


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if str(p.relative_to(SRC)) not in SPEAKERS],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_only_the_command_line_prints_or_exits(path):
    assert prints_and_exits(path) == []


def test_the_check_finds_prints_and_exits_and_not_a_method_named_print(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import os, sys\n"
        "def f(console):\n"
        "    console.print('drawn by a reporter given by the caller')\n"
        "    print('hello')\n"
        "    sys.exit(2)\n"
        "    os._exit(1)\n"
        "    raise SystemExit(3)\n"
        "class Stop(SystemExit):\n    pass\n"
    )
    assert prints_and_exits(module, tmp_path) == [
        "m.py:4 print()",
        "m.py:5 sys.exit()",
        "m.py:6 os._exit()",
        "m.py:7 raise SystemExit",
        "m.py:8 class Stop(SystemExit)",
    ]


def test_the_cli_does_not_import_the_libraries_only_some_commands_use():
    # altair (the chart library then) took 0.3 s of `tambon validate`'s 3 s (issue 10):
    # core.lazy imports openpyxl and rich's bar at their first use.
    code = (
        "import sys, tambon_portal.cli; "
        "print(sorted(m for m in ('rich.live', 'openpyxl.workbook')"
        " if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(SRC.parent)})  # fmt: skip
    assert run.stdout.strip() == "[]"


def test_a_lazy_module_is_imported_at_the_first_use_of_an_attribute(tmp_path):
    (tmp_path / "noisy.py").write_text("print('imported')\nvalue = 1\n")
    code = (
        "from tambon_portal.core import lazy; m = lazy.module('noisy'); print('made');"
        " print(m.value)"
    )
    path = os.pathsep.join([str(SRC.parent), str(tmp_path)])
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": path})  # fmt: skip
    assert run.stdout.split() == ["made", "imported", "1"]
