"""A third-party module imported on first use, for the few whose import costs a command that
never uses them.

Every command is one `tambon` program, whose CLI imports every stage at its top (the import
rule of docs/architecture.md), so a library one stage uses is imported by all: altair (the
chart library then) alone took 0.3 s of `tambon validate`'s 3 s, which draws no chart;
openpyxl takes 0.06 s. `module("openpyxl")` gives the module object at once and runs its
import at the first use of one of its attributes (`importlib.util.LazyLoader`, the standard
library's recipe). Only for third-party modules: ours are imported at the top of the module
that uses them.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def module(name: str) -> ModuleType:
    """The module `name`, imported when one of its attributes is first used (at once if it
    already is, or if it cannot be found: then the import's own error says so)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return importlib.import_module(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    lazy = importlib.util.module_from_spec(spec)
    sys.modules[name] = lazy
    loader.exec_module(lazy)
    return lazy
