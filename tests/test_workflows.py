"""The GitHub workflows and the pre-commit hook: they parse, lint, and call real commands."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tambon_portal import cli

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
YAML_FILES = [WORKFLOWS / "validate.yml", WORKFLOWS / "release.yml", PRE_COMMIT]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def run_scripts(workflow: dict) -> str:
    return "\n".join(s.get("run", "") for job in workflow["jobs"] for s in steps(workflow, job))


def github_filter(pattern: str) -> re.Pattern:
    """A GitHub Actions branch/tag filter as a regex (`*`, `+`, `[...]`; `.` is literal)."""
    regex = ""
    for char in pattern:
        regex += {"*": "[^/]*", ".": r"\.", "?": "."}.get(char, char)
    return re.compile(f"^{regex}$")


def test_validate_runs_on_pull_requests_with_python_311():
    workflow = load(WORKFLOWS / "validate.yml")
    assert "pull_request" in triggers(workflow)
    (setup,) = [s for s in steps(workflow, "validate") if "setup-python" in s.get("uses", "")]
    assert setup["with"]["python-version"] == "3.11"
    assert workflow["permissions"] == {"contents": "read"}


def test_validate_appends_the_text_report_to_the_step_summary_and_fails_on_problems():
    script = run_scripts(load(WORKFLOWS / "validate.yml"))
    assert "tambon validate --format text > validate-report.txt 2>&1 || status=$?" in script
    assert '>> "$GITHUB_STEP_SUMMARY"' in script
    assert script.rstrip().endswith('exit "$status"')


@pytest.mark.parametrize(
    ("tag", "released"),
    [
        ("v1.0", True),
        ("v2026.11", True),
        ("2026.11", True),
        ("2026.11.1", True),
        ("2026", False),
        ("latest", False),
        ("release-2026.11", False),
    ],
)
def test_release_runs_on_version_and_calendar_tags(tag, released):
    push = triggers(load(WORKFLOWS / "release.yml"))["push"]
    assert set(push) == {"tags"}
    assert any(github_filter(p).match(tag) for p in push["tags"]) is released


def test_release_runs_tambon_release_with_the_tag_then_deploys_gh_pages():
    workflow = load(WORKFLOWS / "release.yml")
    (release,) = [s for s in steps(workflow, "release") if "tambon release" in s.get("run", "")]
    assert release["env"]["VERSION"] == "${{ github.ref_name }}"
    assert release["env"]["TAMBON_SITE_URL"].startswith("${{ vars.SITE_URL || format(")
    assert 'tambon release "${VERSION#v}"' in release["run"]
    script = run_scripts(workflow)
    assert "git push origin gh-pages" in script
    assert workflow["jobs"]["release"]["permissions"] == {"contents": "write"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "release"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert workflow["concurrency"] == {"group": "release", "cancel-in-progress": False}


def _tambon_commands(text: str) -> set[str]:
    return set(re.findall(r"\btambon (\w[\w-]*)", text))


def test_every_tambon_command_the_workflows_call_exists():
    used = set()
    for path in (WORKFLOWS / "validate.yml", WORKFLOWS / "release.yml"):
        used |= _tambon_commands(run_scripts(load(path)))
    subcommands = next(
        a for a in cli.parser()._actions if a.__class__.__name__ == "_SubParsersAction"
    ).choices
    assert used == {"validate", "release"}
    assert used <= set(subcommands)


def test_pre_commit_validates_when_files_under_datapackages_change():
    config = load(PRE_COMMIT)
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    hook = next(h for h in repo["hooks"] if h["id"] == "tambon-validate")
    assert shlex.split(hook["entry"])[1:3] == ["validate", "--format"]
    assert (hook["language"], hook["pass_filenames"]) == ("system", False)
    files = re.compile(hook["files"])
    assert files.search("datapackages/80/800106/data/tambon.csv")
    assert not files.search("src/tambon_portal/cli.py")
    assert not files.search("docs/datapackages.md")


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_yaml_passes_yamllint(path):
    from yamllint import linter
    from yamllint.config import YamlLintConfig

    config = YamlLintConfig(
        "{extends: default, rules: {line-length: {max: 100}, document-start: disable,"
        " truthy: {check-keys: false}}}"
    )
    problems = [str(p) for p in linter.run(path.read_text(encoding="utf-8"), config)]
    assert problems == []


@pytest.mark.skipif(not shutil.which("actionlint"), reason="actionlint is not installed")
def test_workflows_pass_actionlint():
    result = subprocess.run(
        ["actionlint", *map(str, sorted(WORKFLOWS.glob("*.yml")))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "")


PUBLISHING = ROOT / "docs" / "publishing.md"


def _documented_command_lines() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", PUBLISHING.read_text(encoding="utf-8"), re.DOTALL)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("tambon ")]


def test_every_tambon_command_line_in_the_publishing_guide_parses():
    lines = _documented_command_lines()
    assert sorted({shlex.split(line)[1] for line in lines}) == [
        "audit",
        "import",
        "new-tambon",
        "validate",
    ]
    for line in lines:
        cli.parser().parse_args(shlex.split(line)[1:])  # exits (SystemExit) on a wrong option
