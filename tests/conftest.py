"""Shared fixtures: a sample feature table and a trained run, built once per session in a
temporary folder (tests never write into the repository's data/, models/ or outputs/)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from ml_baseline.data import write_sample_data
from ml_baseline.training import TrainConfig, TrainResult, train

# Property tests draw the same examples on every run ("ci", the default), so that a commit's
# CI result does not depend on luck; HYPOTHESIS_PROFILE=explore draws new ones each run, to
# hunt for bugs locally. A failure found either way is replayed from .hypothesis/.
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# What the seed README names in a run folder, plus what a run needs to score (README, "The run
# folder").
SEED_ARTIFACTS = (
    "run_meta.json",
    "metrics/holdout_metrics.json",
    "tables/holdout_predictions.csv",
    "tables/holdout_predictions.parquet",
    "model/model.joblib",
    "schema/input_schema.json",
    "env/pip_freeze.txt",
)


@pytest.fixture(scope="session")
def trained_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TrainResult]:
    """A project folder with the sample table and one trained run. Read-only: copy it first
    (the `project` fixture) to change anything."""
    root = tmp_path_factory.mktemp("trained")
    features = root / "data" / "processed" / "features.csv"
    write_sample_data(features)
    result = train(
        TrainConfig(target="is_high_value", features=features, models_dir=root / "models")
    )
    return root, result


@pytest.fixture
def project(
    tmp_path: Path, trained_project: tuple[Path, TrainResult], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A private copy of the trained project, and the current directory for the test."""
    root = tmp_path / "project"
    shutil.copytree(trained_project[0], root)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def empty_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory."""
    root = tmp_path / "empty"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def tree(root: Path) -> set[str]:
    """Return every file under `root`, relative: to assert that a failed command wrote nothing."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def assert_error(result, exit_code: int, *fragments: str) -> None:
    """The error contract: exit code, one `Error:` line naming what is wrong, no traceback."""
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    if exit_code == 1:
        lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(lines) == 1, result.stderr
        for fragment in fragments:
            assert fragment in lines[0], lines[0]
    else:
        # Typer draws usage errors in a box that wraps lines: compare the words only.
        words = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
        for fragment in fragments:
            assert fragment in words, words
