"""The command matrix: every task (binary, multiclass, regression) x every table format (CSV,
Parquet) through every command of the CLI, asserting what the commands say and write, not only
their exit codes.

Each (task, format) is trained once per module, on a small deterministic table built here;
the tests only read those runs (predict, evaluate, report and runs write to their own tmp
folders), so their order does not matter.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ml_baseline.cli import app

runner = CliRunner()

N = 300
TASKS = ("binary", "multiclass", "regression")
FORMATS = ("csv", "parquet")
MATRIX = [(task, fmt) for task in TASKS for fmt in FORMATS]
TARGET = {"binary": "churned", "multiclass": "tier", "regression": "spend"}
# Text labels whose sorted order (high, low, mid) is neither their order of appearance nor of
# frequency: the proba_<label> columns must follow the sorted order.
CLASSES = ("high", "low", "mid")

# The holdout metrics each task must report, for the model and for the baseline.
METRIC_KEYS = {
    "binary": ("roc_auc", "pr_auc", "accuracy", "precision", "recall", "f1", "log_loss", "brier"),
    "multiclass": ("accuracy", "balanced_accuracy", "f1_macro", "f1_weighted", "log_loss"),
    "regression": ("mae", "rmse", "r2"),
}
# How people see them in tables.
DISPLAY_NAMES = {
    "binary": ("ROC AUC", "PR AUC", "Accuracy", "Precision", "Recall", "F1 Score", "Log loss"),
    "multiclass": ("Accuracy", "Balanced accuracy", "F1 (macro)", "F1 (weighted)", "Log loss"),
    "regression": ("MAE", "RMSE", "R2"),
}
# The metric that says whether the model beats the baseline, and which way is better.
KEY_METRIC = {"binary": "roc_auc", "multiclass": "f1_macro", "regression": "mae"}


def invoke(*args: str | Path):
    return runner.invoke(app, [str(arg) for arg in args])


def ok(*args: str | Path):
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def as_json(*args: str | Path) -> dict[str, Any]:
    return json.loads(ok(*args, "--json").stdout)


# --- the tables ------------------------------------------------------------------------------


def make_table(task: str, seed: int = 7, *, target: bool = True, dates: bool = False):
    """Return a deterministic table: user_id, three numeric features, one categorical, and the
    task's target, which follows the features through noise (learnable, never perfect)."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=N)
    x2 = rng.normal(size=N)
    visits = rng.poisson(3, size=N)
    region = rng.choice(["north", "south", "east", "west"], N)
    frame = pd.DataFrame(
        {
            "user_id": np.arange(1, N + 1),
            "x1": x1,
            "x2": x2,
            "visits": visits,
            "region": region,
        }
    )
    if dates:
        day = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, N), unit="D")
        frame["signup_date"] = day.strftime("%Y-%m-%d")
    latent = 1.5 * x1 - x2 + 0.4 * (region == "north") + rng.normal(size=N)
    if target:
        if task == "binary":
            frame[TARGET[task]] = (latent > 0.5).astype(int)
        elif task == "multiclass":
            frame[TARGET[task]] = np.select([latent > 0.8, latent < -0.8], ["high", "low"], "mid")
        else:
            frame[TARGET[task]] = np.round(50 + 10 * latent + 0.5 * visits, 3)
    return frame


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def read_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path) if path.suffix == ".csv" else pd.read_parquet(path)


# --- the trained runs, once per module --------------------------------------------------------


@dataclass
class Case:
    """One (task, format): its folder, table, models folder and the logreg run trained there."""

    task: str
    fmt: str
    root: Path
    table: Path
    new_table: Path  # other rows, shuffled, without the target: what predict scores
    models: Path
    run_id: str = ""
    train: dict[str, Any] = field(default_factory=dict)


@dataclass
class Compared:
    """A second run of a case's table with --model hgb, in its own models folder."""

    case: Case
    models: Path
    run_id: str
    human: str  # the human output of its train


class Runs:
    """Trains each case at most once, when a test first needs it."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.cases: dict[tuple[str, str], Case] = {}
        self.compared: dict[str, Compared] = {}
        self.time_split: Path | None = None

    def case(self, task: str, fmt: str) -> Case:
        if (task, fmt) not in self.cases:
            root = self.factory.mktemp(f"{task}_{fmt}")
            table = write_table(make_table(task), root / f"table.{fmt}")
            new = make_table(task, seed=8, target=False)
            new = new.iloc[np.random.default_rng(3).permutation(N)].reset_index(drop=True)
            case = Case(task, fmt, root, table, write_table(new, root / f"new.{fmt}"), root / "m")
            case.train = as_json(
                "train", "--target", TARGET[task], "--features", table, "--models-dir", case.models
            )
            case.run_id = case.train["run_id"]
            self.cases[task, fmt] = case
        return self.cases[task, fmt]

    def hgb(self, task: str) -> Compared:
        if task not in self.compared:
            case = self.case(task, "csv")
            models = case.root / "m_hgb"
            # HistGradientBoosting's OpenMP threads busy-wait: on a loaded 2-core machine an
            # unlimited fit of 240 rows took 10-35 s instead of 1 s.
            from threadpoolctl import threadpool_limits

            with threadpool_limits(limits=1, user_api="openmp"):
                result = ok(
                    "train",
                    "--target",
                    TARGET[task],
                    "--features",
                    case.table,
                    "--model",
                    "hgb",
                    "--models-dir",
                    models,
                )
            run_id = (models / "registry/latest.txt").read_text().strip()
            self.compared[task] = Compared(case, models, run_id, result.stdout)
        return self.compared[task]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return Runs(tmp_path_factory)


def interval_ok(bounds: Any) -> bool:
    return (
        isinstance(bounds, list)
        and len(bounds) == 2
        and all(isinstance(v, int | float) and math.isfinite(v) for v in bounds)
        and bounds[0] <= bounds[1]
    )


# --- train -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("task", "fmt"), MATRIX)
def test_train_json(runs: Runs, task: str, fmt: str):
    case = runs.case(task, fmt)
    document = case.train
    assert document["run_id"] == (case.models / "registry/latest.txt").read_text().strip()
    assert document["task"] == task
    for who in ("model", "baseline"):
        metrics = document["metrics"][who]
        for key in METRIC_KEYS[task]:
            assert isinstance(metrics.get(key), int | float), (who, key, metrics)
    model, baseline = document["metrics"]["model"], document["metrics"]["baseline"]
    key = KEY_METRIC[task]
    # The signal is real but noisy: the model beats the baseline, and is not perfect.
    if task == "regression":
        assert model["mae"] < baseline["mae"] and 0.3 < model["r2"] < 0.99
    else:
        assert model[key] > baseline[key] and model["accuracy"] < 0.99
        # The baseline's probabilities are the training split's class shares: its log loss
        # is their entropy (at most log of the classes' count), not the 10-26 of hard 0/1.
        assert 0.1 < baseline["log_loss"] < 1.1 * np.log(3 if task == "multiclass" else 2)
    low, high = document["intervals"]["model"][key]
    assert low <= model[key] <= high


@pytest.mark.parametrize("task", TASKS)
def test_train_human_output(runs: Runs, task: str):
    compared = runs.hgb(task)
    out = compared.human
    for name in DISPLAY_NAMES[task]:
        assert name in out, (name, out)
    assert "Baseline" in out and "Model" in out and "95% CI" in out
    assert f"Run id:     {compared.run_id}" in out
    assert "Recommendation: " in out


# --- predict ---------------------------------------------------------------------------------


def predict_args(case: Case, out: Path) -> tuple[str | Path, ...]:
    """The predict command scoring the case's new table with its run into `out`."""
    return (
        "predict",
        "--run",
        "latest",
        "--input",
        case.new_table,
        "--output",
        out,
        "--models-dir",
        case.models,
    )


@pytest.mark.parametrize(("task", "fmt"), MATRIX)
def test_predict_output(runs: Runs, task: str, fmt: str, tmp_path: Path):
    case = runs.case(task, fmt)
    out = tmp_path / f"out.{fmt}"
    ok(*predict_args(case, out))
    scored = read_table(out)
    expected = {
        "binary": ["user_id", "score", "prediction"],
        "multiclass": ["user_id", *(f"proba_{label}" for label in CLASSES), "prediction"],
        "regression": ["user_id", "prediction"],
    }[task]
    assert list(scored.columns) == expected
    new = read_table(case.new_table)
    assert len(scored) == len(new) == N
    assert scored["user_id"].astype(str).tolist() == new["user_id"].astype(str).tolist()
    if task == "binary":
        assert scored["score"].between(0, 1).all()
        assert set(scored["prediction"]) <= {0, 1}
        assert ((scored["score"] >= 0.5).astype(int) == scored["prediction"]).all()
        assert 0 < scored["prediction"].sum() < N
    elif task == "multiclass":
        probas = scored[[f"proba_{label}" for label in CLASSES]].to_numpy()
        np.testing.assert_allclose(probas.sum(axis=1), 1.0)
        assert scored["prediction"].tolist() == [CLASSES[i] for i in probas.argmax(axis=1)]
        assert set(scored["prediction"]) == set(CLASSES)
    else:
        assert np.isfinite(scored["prediction"].to_numpy(dtype=float)).all()
        assert scored["prediction"].std() > 1  # not the baseline's constant


@pytest.mark.parametrize(("task", "fmt"), MATRIX)
def test_predict_json(runs: Runs, task: str, fmt: str, tmp_path: Path):
    case = runs.case(task, fmt)
    out = tmp_path / f"out.{fmt}"
    document = as_json(*predict_args(case, out))
    assert document["rows"] == N
    assert document["task"] == task
    assert document["run_id"] == case.run_id
    assert out.is_file()


# --- evaluate --------------------------------------------------------------------------------


@pytest.mark.parametrize(("task", "fmt"), MATRIX)
def test_evaluate_json(runs: Runs, task: str, fmt: str):
    case = runs.case(task, fmt)
    document = as_json("evaluate", "--input", case.table, "--models-dir", case.models)
    assert document["task"] == task
    assert document["rows"] == document["labelled_rows"] == N
    for key in METRIC_KEYS[task]:
        assert isinstance(document["metrics"].get(key), int | float), (key, document["metrics"])
    assert document["intervals"], "no metric has an interval"
    assert KEY_METRIC[task] in document["intervals"]
    for key, bounds in document["intervals"].items():
        assert interval_ok(bounds), (key, bounds)


@pytest.mark.parametrize(("task", "fmt"), MATRIX)
def test_evaluate_human(runs: Runs, task: str, fmt: str):
    case = runs.case(task, fmt)
    result = ok("evaluate", "--input", case.table, "--models-dir", case.models)
    assert case.run_id in result.stdout and "New data" in result.stdout
    for name in DISPLAY_NAMES[task]:
        assert name in result.stdout, (name, result.stdout)


# --- report ----------------------------------------------------------------------------------


def holdout_strategy_line(card: str) -> str:
    lines = [line for line in card.splitlines() if "Holdout strategy" in line]
    assert len(lines) == 1, card
    return lines[0]


@pytest.mark.parametrize(("task", "fmt"), MATRIX)
def test_report_card_matches_the_recorded_split(runs: Runs, task: str, fmt: str, tmp_path: Path):
    case = runs.case(task, fmt)
    out = tmp_path / "shared"
    ok("report", "--run", "latest", "--out", out, "--models-dir", case.models)
    card = (out / "model_card.md").read_text()
    assert (out / "eval_summary.md").read_text().strip()
    assert case.run_id in card
    split = as_json("runs", "show", "--models-dir", case.models)["meta"]["split"]
    assert split["strategy"] == "random"
    assert split["stratified"] is (task != "regression")
    line = holdout_strategy_line(card)
    if split["stratified"]:
        assert "stratified" in line, line
    else:
        assert "stratified" not in line, line  # fails today: "random stratified split"
        assert "random" in line, line


def test_report_of_a_time_split_run(runs: Runs, tmp_path: Path):
    table = write_table(make_table("binary", dates=True), tmp_path / "dated.csv")
    models = tmp_path / "m"
    ok(
        "train",
        "--target",
        "churned",
        "--features",
        table,
        "--models-dir",
        models,
        "--split",
        "time",
        "--time-col",
        "signup_date",
    )
    split = as_json("runs", "show", "--models-dir", models)["meta"]["split"]
    assert split["strategy"] == "time" and split["time_column"] == "signup_date"
    ok("report", "--run", "latest", "--out", tmp_path / "shared", "--models-dir", models)
    card = (tmp_path / "shared/model_card.md").read_text()
    assert "time split" in holdout_strategy_line(card)
    assert "One random holdout" not in card  # fails today: the limitations say so anyway


# --- runs list / show --------------------------------------------------------------------------


@pytest.mark.parametrize(("task", "fmt"), MATRIX)
def test_runs_list_and_show(runs: Runs, task: str, fmt: str):
    case = runs.case(task, fmt)
    listed = as_json("runs", "list", "--models-dir", case.models)["runs"]
    assert [(row["run_id"], row["task"], row["latest"]) for row in listed] == [
        (case.run_id, task, True)
    ]
    assert listed[0]["target"] == TARGET[task] and listed[0]["rows"] == N

    shown = as_json("runs", "show", case.run_id, "--models-dir", case.models)
    assert shown["meta"]["run_id"] == case.run_id
    assert shown["meta"]["task"] == task

    human = ok("runs", "show", "--models-dir", case.models).stdout
    assert case.run_id in human
    for name in DISPLAY_NAMES[task]:
        assert name in human, (name, human)


# --- runs compare ------------------------------------------------------------------------------


def approx_delta(row: dict[str, Any]) -> None:
    a, b = row["a"], row["b"]
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b)):
        assert row["delta"] == pytest.approx(b - a), row


@pytest.mark.parametrize("task", TASKS)
def test_runs_compare_covers_the_task_metrics(runs: Runs, task: str):
    compared = runs.hgb(task)
    a_dir = compared.case.models / "runs" / compared.case.run_id  # A by path, B by id
    base = ("runs", "compare", a_dir, compared.run_id, "--models-dir", compared.models)
    everything = as_json(*base, "--all")
    assert everything["a"] == compared.case.run_id and everything["b"] == compared.run_id
    rows = {row["field"]: row for row in everything["fields"]}
    expected = [f"{who}.{key}" for who in ("model", "baseline") for key in METRIC_KEYS[task]]
    missing = [name for name in expected if name not in rows]
    assert not missing, f"not compared: {missing}"  # fails today for multiclass, regression
    for name in expected:
        assert isinstance(rows[name]["a"], int | float), rows[name]
        approx_delta(rows[name])
    assert rows["config.model"]["a"] == "logreg" and rows["config.model"]["b"] == "hgb"
    # ... and the model each fitted: "logreg" is a Ridge regression too (probe 52).
    linear = "Ridge" if task == "regression" else "LogisticRegression"
    assert rows["model"]["a"] == linear and rows["model"]["b"].startswith("HistGradientBoosting")
    # The same table, split and baseline: the baselines agree.
    for key in METRIC_KEYS[task]:
        assert rows[f"baseline.{key}"]["delta"] == pytest.approx(0.0)

    # Without --all: exactly the fields whose values differ.
    differing = as_json(*base)["fields"]
    assert {row["field"] for row in differing} == {
        name for name, row in rows.items() if row["a"] != row["b"]
    }
    for row in differing:
        approx_delta(row)
    assert f"model.{KEY_METRIC[task]}" in {row["field"] for row in differing}

    table = ok(*base).stdout
    assert f"model.{KEY_METRIC[task]}" in table  # "model.mae" fails today for regression
