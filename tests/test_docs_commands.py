"""README.md stays true to the `tambon` command (datasette's habit: docs kept true by tests)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from tambon_portal.cli import parser

README = Path(__file__).resolve().parents[1] / "README.md"
# The README's list of commands: lines like "- `tambon build` — ..." inside the marked block.
COMMAND_LIST = re.compile(r"<!-- commands:start.*?-->(.*?)<!-- commands:end -->", re.DOTALL)
LISTED_COMMAND = re.compile(r"^- `tambon ([a-z][a-z-]*)", re.MULTILINE)


def subcommand_names() -> list[str]:
    actions = parser()._actions
    sub = next(a for a in actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def readme_command_list() -> list[str]:
    block = COMMAND_LIST.search(README.read_text(encoding="utf-8"))
    assert block, "README.md lost its <!-- commands:start --> ... <!-- commands:end --> block"
    return LISTED_COMMAND.findall(block.group(1))


def test_the_cli_has_subcommands_to_document():
    assert {"validate", "sample"} <= set(subcommand_names())


@pytest.mark.parametrize("command", subcommand_names())
def test_every_subcommand_is_in_the_readme_command_list(command: str):
    assert command in readme_command_list(), (
        f"`tambon {command}` exists but README.md does not list it: add a line "
        f"'- `tambon {command}` — ...' between the commands markers"
    )


def test_readme_lists_no_command_that_does_not_exist():
    assert sorted(set(readme_command_list()) - set(subcommand_names())) == []
