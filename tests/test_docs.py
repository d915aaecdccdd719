"""The README documents every command and option, and its quick start works as written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from conftest import SEED_ARTIFACTS
from ml_baseline.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: typer.Typer, prefix: str = "") -> list[tuple[str, object]]:
    click_group = typer.main.get_command(group)
    found = []
    for name, command in click_group.commands.items():
        full = f"{prefix}{name}"
        if hasattr(command, "commands"):
            found.extend((f"{full} {sub}", c) for sub, c in command.commands.items())
        else:
            found.append((full, command))
    return found


def test_readme_starts_with_the_two_fresh_machine_commands():
    first_block = README.split("```")[1]
    lines = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert lines == ["uv run ml-baseline demo", "uv run pytest"]


@pytest.mark.parametrize("name", [name for name, _ in _commands(app)])
def test_every_command_is_documented_with_help_and_options(name: str):
    command = dict(_commands(app))[name]
    assert command.help, f"{name} has no help text"
    assert f"ml-baseline {name}" in README or f"`{name}" in README, name
    for param in command.params:
        for option in getattr(param, "opts", []):
            if option.startswith("--") and option != "--help":
                assert f"`{option}" in README, f"{name} {option} is not in the README"


# The original project's quick start, which users type exactly as written.
SEED_QUICK_START = [
    "uv run ml-baseline make-sample-data",
    "uv run ml-baseline train --target is_high_value",
    "uv run ml-baseline predict --run latest --input data/processed/features.csv "
    "--output outputs/preds.csv",
]


def test_seed_quick_start_works_verbatim(tmp_path: Path):
    """The seed README's three commands, run as processes in an empty folder."""
    executable = shutil.which("ml-baseline", path=str(Path(sys.executable).parent))
    assert executable, "the console script is not installed"
    quick_start = README.split("## Quick start", 1)[1].split("```")[1]
    for command in SEED_QUICK_START:
        assert command in quick_start
        args = command.split()[3:]
        done = subprocess.run([executable, *args], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    run_id = (tmp_path / "models/registry/latest.txt").read_text().strip()
    run = tmp_path / "models/runs" / run_id
    for artifact in SEED_ARTIFACTS:
        assert (run / artifact).is_file(), artifact
    assert (tmp_path / "data/processed/features.csv").is_file()
    assert (tmp_path / "outputs/preds.csv").is_file()
