"""A bare `git clone` has nothing beside it: no file of the project may need a path outside the
repository (the workplace's shared folder beside the clone, its design notes), and the
README's two commands must be its first ones."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTSIDE = re.compile(r"\.\./shared|parents\[\d+\]\s*/\s*\"shared\"|DESIGN\.md")


def tracked_text_files() -> list[Path]:
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode()
    files = [REPO / name for name in listing.split("\0") if name]
    return [f for f in files if f.is_file() and f.suffix not in {".woff2", ".png", ".zip"}]


def test_no_tracked_file_refers_to_a_path_outside_the_repository():
    offenders = []
    for path in tracked_text_files():
        if "tests/fixtures/conformance" in path.as_posix():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        offenders += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in OUTSIDE.finditer(text)]
    assert offenders == []


def test_the_readme_opens_with_the_build_and_the_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
    assert [line.split()[:2] for line in first_block.splitlines()] == [
        ["make", "site"],
        ["make", "test"],
    ]
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
