"""What keeps training fast on every shape: permutation importance re-scores only what a
shuffled column feeds (and equals re-running the whole model), its artifact says what was
computed, native thread pools stay within the cores and the user's limits, wide tables
train without pandas' fragmentation warnings (warnings are errors in this suite), and the
per-column steps done a batch of columns at a time give each column what it gets alone."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml_baseline import analysis, models, threads
from ml_baseline.roles import infer_features
from ml_baseline.schema import InputReport, InputSchema
from ml_baseline.tasks import get_task
from ml_baseline.training import TrainConfig, audit_table, train

# The column empty in the fitting rows below: scikit-learn's imputer says it drops it.
_EMPTY_COLUMN = "ignore:Skipping features without any observed values"


def _frame(task: str, n: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "x": x,
            "noise": rng.normal(size=n),
            "colour": rng.choice(["red", "blue", "green", "grey"], size=n),
            "rare": rng.choice(["a"] * 20 + ["b", "c", "d"], size=n),  # levels folded as rare
            # Empty in the rows the model is fit on: the imputer drops it (no transformed column).
            "late": np.where(np.arange(n) < 250, np.nan, rng.normal(size=n)),
        }
    )
    signal = x + (frame["colour"] == "red") + rng.normal(scale=0.5, size=n)
    if task == "binary":
        frame["y"] = (signal > 0.5).astype(int)
    elif task == "multiclass":
        frame["y"] = np.array(["lo", "mid", "hi"])[np.digitize(signal, [-0.3, 0.9])]
    else:
        frame["y"] = signal
    return frame


def _fitted(tmp_path: Path, task: str, kind: str):
    import pyarrow as pa

    frame = _frame(task)
    table = pa.Table.from_pandas(frame.drop(columns="y"), preserve_index=False)
    features, *_ = infer_features(table, set(), {})
    labels = sorted(frame["y"].unique().tolist()) if task == "multiclass" else None
    schema = InputSchema(
        target="y",
        labels=labels,
        positive_label=None,
        task=task,
        features=features,
        id_columns={},
        excluded_columns={},
    )
    X = schema.convert(table, InputReport("t"))
    y = frame["y"].to_numpy()
    if task == "multiclass":
        y = np.searchsorted(labels, y)
    model = models.build_pipeline(schema, kind, seed=0)
    # The trees cannot bin a column with no values at all (scikit-learn fails): all rows.
    fit_rows = 250 if kind == "logreg" else len(X)
    models.fit(model, X.iloc[:fit_rows], y[:fit_rows])
    return schema, model, X, y


@pytest.mark.filterwarnings(_EMPTY_COLUMN)
@pytest.mark.parametrize(
    ("kind", "sparse_share"),
    # Trees re-score only the rows whose path tests the column, or every row (narrow tables).
    [("logreg", None), ("hgb", 1.0), ("hgb", 0.0)],
)
@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_shuffling_a_column_equals_rerunning_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, task: str, kind: str, sparse_share
):
    if sparse_share is not None:
        monkeypatch.setattr(models, "_SPARSE_SHARE", sparse_share)
    _schema, model, X, _y = _fitted(tmp_path, task, kind)
    task_ = get_task(task)
    shuffler = models.ColumnShuffler(model, X)
    assert np.allclose(task_.from_linear(shuffler.raw), models.outputs(model, X, task_))
    rng = np.random.default_rng(1)
    orders = np.stack([[rng.permutation(len(X)) for _ in range(3)] for _ in X.columns])
    # All columns in one call, and one column on its own: the same outputs.
    every = shuffler.shuffled(list(range(X.shape[1])), orders)
    assert np.array_equal(shuffler.shuffled([1], orders[1:2])[0], every[1])
    for j, name in enumerate(X.columns):
        raw = every[j]
        for copy, order in enumerate(orders[j]):
            shuffled = X.copy()
            shuffled[name] = X[name].to_numpy()[order]
            expected = models.outputs(model, shuffled, task_)
            assert np.allclose(task_.from_linear(raw[copy]), expected, atol=1e-9), name


@pytest.mark.filterwarnings(_EMPTY_COLUMN)
def test_importance_agrees_with_scikit_learn(tmp_path: Path):
    from sklearn.inspection import permutation_importance

    schema, model, X, y = _fitted(tmp_path, "binary", "logreg")
    ours = analysis.feature_importance(schema, model, X, y, seed=0)["permutation_importance"]
    theirs = permutation_importance(model, X, y, scoring="roc_auc", n_repeats=20, random_state=0)
    by_name = {row["feature"]: row for row in ours["features"]}
    for name, mean, std in zip(
        X.columns, theirs.importances_mean, theirs.importances_std, strict=True
    ):
        # Different shuffles of the same rows: equal within the spread of the drops.
        assert abs(by_name[name]["drop_mean"] - mean) <= 3 * max(std, by_name[name]["drop_std"])
    assert ours["features"][0]["feature"] == "x"
    assert by_name["late"] == {
        "feature": "late",
        "drop_mean": 0.0,
        "drop_std": 0.0,
    }


@pytest.mark.filterwarnings(_EMPTY_COLUMN)
def test_importance_says_what_it_computed_and_is_bounded_on_wide_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    schema, model, X, y = _fitted(tmp_path, "regression", "logreg")
    narrow = analysis.feature_importance(schema, model, X, y, seed=0)["permutation_importance"]
    assert narrow["rows"] == narrow["holdout_rows"] == len(X)
    assert narrow["repeats"] == analysis.PERMUTATION_REPEATS
    assert narrow["evaluations"] == X.shape[1] * narrow["repeats"]
    assert narrow["scoring"] == "r2" and "shuffled" in narrow["method"]

    # A wide table (small limits, so that the test stays small): fewer rows, same meaning.
    monkeypatch.setattr(analysis, "PERMUTATION_CELLS", 300_000)
    monkeypatch.setattr(analysis, "PERMUTATION_MIN_ROWS", 100)
    n, columns = 2_000, 300
    rng = np.random.default_rng(0)
    wide = pd.DataFrame(rng.normal(size=(n, columns)), columns=[f"c{j}" for j in range(columns)])
    wide["y"] = wide["c0"] + rng.normal(size=n)
    path = tmp_path / "wide.parquet"
    wide.to_parquet(path)
    result = train(TrainConfig("y", features=path, models_dir=tmp_path / "models"))
    permutation = json.loads((result.run_dir / "metrics/feature_importance.json").read_text())[
        "permutation_importance"
    ]
    assert permutation["rows"] == 300_000 // (columns * permutation["repeats"]) == 200
    assert permutation["holdout_rows"] == 400
    assert permutation["evaluations"] == columns * permutation["repeats"]
    assert permutation["features"][0]["feature"] == "c0"
    summary = (result.run_dir / "reports/eval_summary.md").read_text()
    assert "computed on 200 of 400 holdout rows, each column shuffled 5 times" in summary


def test_a_2000_column_audit_warns_of_nothing(tmp_path: Path):
    # pytest turns every warning into an error (pyproject.toml): pandas' "DataFrame is highly
    # fragmented" PerformanceWarning included.
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(200, 2_000)), columns=[f"c{j}" for j in range(2_000)])
    frame["y"] = (frame["c0"] > 0).astype(int)
    path = tmp_path / "wide.parquet"
    frame.to_parquet(path)
    result = audit_table(TrainConfig("y", features=path))
    assert len(result.columns) == 2_000
    assert "c0" in result.suspected_leakage


def _mixed_columns(n: int, seed: int) -> pd.DataFrame:
    """Columns of every shape the audit and the profile meet: ties, few values, constants,
    missing cells (few and many), large numbers, text and booleans (a model frame has no
    infinities: convert makes them missing)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "normal": rng.normal(size=n),
            "grade": rng.integers(1, 4, size=n).astype(float),
            "constant": np.full(n, 2.5),
            "rounded": np.round(rng.normal(size=n), 1),
            "few_missing": np.where(rng.random(n) < 0.05, np.nan, rng.normal(size=n)),
            "half_missing": np.where(rng.random(n) < 0.5, np.nan, rng.exponential(size=n)),
            "large": rng.normal(size=n) * 1e12,
            "colour": pd.Series(rng.choice(["red", "blue", None], size=n), dtype=object),
            "flag": rng.random(n) < 0.3,
        }
    )
    frame.loc[frame.index[:3], "grade"] = np.nan if seed % 2 else 1.0
    return frame


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
@pytest.mark.parametrize("seed", [0, 1])
def test_audit_scores_columns_in_a_batch_as_one_at_a_time(task: str, seed: int):
    # single_feature_scores scores a batch of columns with one array operation per step;
    # each column's scores must be those it gets alone (offsets, shared bins, NaN handling).
    from ml_baseline.audit.scores import (
        FOLDS,
        single_feature_scores,
    )
    from ml_baseline.schema import BOOLEAN, CATEGORICAL, NUMERIC

    n = 400
    frame = _mixed_columns(n, seed)
    kinds = {name: NUMERIC for name in frame.columns}
    kinds |= {"colour": CATEGORICAL, "flag": BOOLEAN}
    rng = np.random.default_rng(seed + 10)
    y = {
        "binary": (frame["normal"].to_numpy() + rng.normal(size=n) > 0).astype(np.int64),
        "multiclass": rng.integers(0, 3, size=n),
        "regression": frame["normal"].to_numpy() + rng.normal(size=n),
    }[task]
    folds = rng.integers(0, FOLDS, size=n)
    together = single_feature_scores(frame, kinds, y, folds, get_task(task))
    for name, scores in zip(frame.columns, together, strict=True):
        alone = single_feature_scores(frame[[name]], kinds, y, folds, get_task(task))[0]
        assert scores == alone, name


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_training_profile_of_many_columns_equals_each_columns_own(seed: int):
    # build_profile sorts and cuts the columns without missing cells in one call each; every
    # profile must be bit for bit the one-column profile (which predict's drift reads).
    from ml_baseline.drift import _numeric_profile, _numeric_profiles

    frame = _mixed_columns(300, seed).drop(columns=["colour", "flag"])
    rows = np.ascontiguousarray(frame.to_numpy(dtype=np.float64).T)
    together = _numeric_profiles(list(frame.columns), rows)
    for name, profile in zip(frame.columns, together, strict=True):
        alone = _numeric_profile(name, frame[name].to_numpy(dtype=np.float64).copy())
        assert profile == alone, name


def test_thread_count_respects_the_users_limit(monkeypatch: pytest.MonkeyPatch):
    for name in threads.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert threads.user_limit() is None
    assert threads.thread_count(10) == 1  # small: no threads to start
    assert 1 <= threads.thread_count(10**9) <= threads.usable_cores()
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert threads.user_limit() == 1
    assert threads.thread_count(10**9) == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "not a number")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    assert threads.user_limit() == 3


def test_native_threads_limits_the_pools(monkeypatch: pytest.MonkeyPatch):
    import sklearn.ensemble  # noqa: F401  (loads the OpenMP runtime)
    from threadpoolctl import threadpool_info

    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    with threads.native_threads(10**9) as count:
        assert count == 1
        assert all(pool["num_threads"] == 1 for pool in threadpool_info())


def test_the_console_script_leaves_its_objects_out_of_the_last_collections(
    monkeypatch: pytest.MonkeyPatch,
):
    import sys

    from ml_baseline import cli

    frozen = []
    monkeypatch.setattr(cli.gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(cli.gc, "set_threshold", lambda *args: None)
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)  # keep pytest's handlers
    monkeypatch.setattr(sys, "argv", ["ml-baseline", "--help"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 0
    assert frozen == [True]


def test_low_priority_work_counts_as_idle():
    # user nice system idle iowait irq softirq steal: 100 niced ticks are free for our threads
    assert threads.busy_and_idle("cpu  300 100 50 500 25 5 5 0 0 0") == (360, 625)
    assert threads.busy_and_idle("cpu  10 0 0 90") == (10, 90)  # no iowait column


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no process priorities here")
def test_plot_worker_runs_at_the_lowest_priority():
    from ml_baseline.report import PlotWorker

    with PlotWorker() as worker:
        assert os.getpriority(os.PRIO_PROCESS, worker._child.pid) == 19


def test_plot_worker_runs_single_threaded_unless_the_user_says(monkeypatch: pytest.MonkeyPatch):
    from ml_baseline.report import _worker_environment

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert _worker_environment()["OMP_NUM_THREADS"] == "1"
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    assert _worker_environment()["OMP_NUM_THREADS"] == "2"


def test_score_kernels_equal_scikit_learn():
    from sklearn.metrics import accuracy_score, r2_score, roc_auc_score

    from ml_baseline.metrics import accuracy_rows, r2_rows, roc_auc_rows

    rng = np.random.default_rng(0)
    for n in (2, 7, 500):
        y = np.r_[0, 1, rng.integers(0, 2, n - 2)]
        scores = np.round(rng.normal(size=(3, n)), 1)  # many ties
        assert np.allclose(roc_auc_rows(y, scores), [roc_auc_score(y, s) for s in scores])
        target = rng.normal(size=n)
        assert np.allclose(r2_rows(target, scores), [r2_score(target, s) for s in scores])
        proba = rng.random(size=(3, n, 4))
        labels = rng.integers(0, 4, n)
        expected = [accuracy_score(labels, p.argmax(axis=1)) for p in proba]
        assert np.allclose(accuracy_rows(labels, proba), expected)
    assert np.isnan(roc_auc_rows(np.ones(5), np.arange(5.0))).all()
