"""Error analysis of a model on its holdout: the worst mistakes, metrics per slice, the
threshold curve, and feature importance. Every table here is computed on holdout rows only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ml_baseline.schema import BOOLEAN, CATEGORICAL, InputSchema
from ml_baseline.tasks import get_task

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

WORST_CASES = 20
THRESHOLD_STEPS = 101  # 0.00, 0.01, ..., 1.00
PERMUTATION_ROWS = 5_000
PERMUTATION_REPEATS = 5
# rows x columns x repeats scored at most (fewer rows on wide tables), but never under
# PERMUTATION_MIN_ROWS rows: a few hundred rows make a drop too noisy to rank columns by.
PERMUTATION_CELLS = 10_000_000
PERMUTATION_MIN_ROWS = 500
SHUFFLED_VALUES = 2_000_000  # raw outputs of shuffled columns held at once (16 MB)
MISSING = "(missing)"


ERROR_KIND = "error"  # tables/error_analysis.csv: the kind of each mistake


def worst_errors_own_columns(task_name: str, labels: list[Any] | None) -> set[str]:
    """Return the columns tables/error_analysis.csv writes of its own: the kind of mistake and
    the model's outputs (score, prediction, proba_<label>)."""
    return {ERROR_KIND, *get_task(task_name).output_names(labels)}


def data_column(name: str, own: set[str]) -> str:
    """Return the column of a run's table (tables/error_analysis.csv, holdout_predictions)
    that holds the data column `name` (an id, the target or a feature): its name, or
    `data:<name>` when one of the table's own columns (`own`) has it. A feature named `score`
    overwrote the model's score: the summary showed the feature's value as the model's
    (close_elections_lmb), or the run stopped when it held text (mstate's ebmt1, probe 22);
    a target so named, a test's score (modeldata's testing_data), was refused (probe 23)."""
    return f"data:{name}" if name in own else name


def worst_errors(
    schema: InputSchema,
    holdout: pa.Table,
    y: np.ndarray,
    out: np.ndarray,
    threshold: float | None,
    limit: int = WORST_CASES,
) -> pa.Table:
    """Return the worst mistakes with ids and raw feature values: the rows to read first when
    asking why the model is wrong (the task says which: see Task.worst_cases)."""
    import pyarrow as pa

    task = get_task(schema.task)
    rows, kinds = task.worst_cases(y, out, threshold, limit)
    picked = holdout.take(rows)
    own = worst_errors_own_columns(schema.task, schema.labels)
    columns: dict[str, Any] = {ERROR_KIND: pa.array(kinds, type=pa.string())}
    for name in schema.id_columns:
        columns[data_column(name, own)] = picked.column(name)
    columns[data_column(schema.target, own)] = picked.column(schema.target)
    columns.update(task.output_columns(schema.labels, out[rows], threshold))
    for name in schema.feature_names:
        columns[data_column(name, own)] = picked.column(name)
    return pa.table(columns)


def slice_metrics(
    schema: InputSchema,
    X: pd.DataFrame,
    y: np.ndarray,
    out: np.ndarray,
    threshold: float | None,
) -> pd.DataFrame:
    """Return holdout metrics per value of each categorical or boolean feature, with counts."""
    import pandas as pd

    task = get_task(schema.task)
    rows = []
    for feature in schema.features:
        if feature.kind not in (CATEGORICAL, BOOLEAN):
            continue
        values = pd.Series(X[feature.name].to_numpy(), dtype=object).where(
            X[feature.name].notna().to_numpy(), MISSING
        )
        for value, index in values.groupby(values, sort=True).indices.items():
            rows.append(
                {
                    "feature": feature.name,
                    "value": _slice_value(value, feature.kind),
                    "n": len(index),
                    **task.slice_metrics(y[index], out[index], threshold),
                }
            )
    return pd.DataFrame(rows, columns=["feature", "value", "n", *task.slice_columns])


def _slice_value(value: Any, kind: str) -> str:
    if value == MISSING or kind != BOOLEAN:
        return str(value)
    return "true" if value == 1.0 else "false"


def threshold_curve(y: np.ndarray, score: np.ndarray) -> pd.DataFrame:
    """Return precision, recall, F1 and the predicted-positive rate at thresholds 0.00-1.00."""
    import numpy as np
    import pandas as pd

    thresholds = np.round(np.linspace(0.0, 1.0, THRESHOLD_STEPS), 2)
    order = np.sort(score)
    positives_sorted = np.sort(score[y == 1])
    # Rows with score >= t are predicted positive.
    predicted = len(score) - np.searchsorted(order, thresholds, side="left")
    tp = len(positives_sorted) - np.searchsorted(positives_sorted, thresholds, side="left")
    fp = predicted - tp
    fn = len(positives_sorted) - tp
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = tp / max(len(positives_sorted), 1)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    return pd.DataFrame(
        {
            "threshold": thresholds,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "predicted_positive_rate": predicted / len(score),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": len(score) - tp - fp - fn,
        }
    )


def feature_importance(
    schema: InputSchema, model: Any, X: pd.DataFrame, y: np.ndarray, seed: int
) -> dict[str, Any]:
    """Return the linear model's coefficients (on scaled, one-hot inputs), and the permutation
    importance of each input column on the holdout: how much the task's score (ROC AUC,
    accuracy or R2) drops when the column's rows are shuffled (drop_mean and drop_std over
    the repeats, as scikit-learn's permutation_importance).

    The rows are a sample of at most PERMUTATION_ROWS, fewer on wide tables: rows x columns x
    repeats stays within PERMUTATION_CELLS, so the cost is linear in the columns. Only the
    part of the model a shuffled column feeds is re-scored (models.ColumnShuffler)."""
    import numpy as np

    from ml_baseline.models import ColumnShuffler, is_linear

    estimator = model[-1]
    coefficient_rows: list[dict[str, Any]] = []
    if is_linear(estimator):
        names = model[:-1].get_feature_names_out()
        coef = np.atleast_2d(estimator.coef_)
        classes = [None] if len(coef) == 1 else [str(label) for label in schema.labels]
        for row, label in zip(coef, classes, strict=True):
            for name, value in zip(names, row, strict=True):
                entry = {"feature": str(name), "coefficient": float(value)}
                if label is not None:
                    entry["class"] = label
                coefficient_rows.append(entry)
        coefficient_rows.sort(key=lambda entry: -abs(entry["coefficient"]))
    repeats = PERMUTATION_REPEATS
    limit = min(
        PERMUTATION_ROWS, max(PERMUTATION_MIN_ROWS, PERMUTATION_CELLS // (X.shape[1] * repeats))
    )
    rng = np.random.default_rng(seed)
    rows = np.arange(len(y))
    if len(rows) > limit:
        rows = np.sort(rng.choice(rows, limit, replace=False))
    task = get_task(schema.task)
    permutation: list[dict[str, Any]] = []
    if task.permutation_defined(y[rows]):
        y_rows = y[rows]
        shuffler = ColumnShuffler(model, X.iloc[rows])
        score = float(task.permutation_scores(y_rows, task.from_linear(shuffler.raw)[None])[0])
        # Columns are shuffled a batch at a time, within SHUFFLED_VALUES raw outputs.
        batch = max(1, SHUFFLED_VALUES // (repeats * len(rows) * shuffler.raw.shape[1]))
        for first in range(0, X.shape[1], batch):
            columns = list(range(first, min(first + batch, X.shape[1])))
            orders = np.stack(
                [rng.permuted(np.tile(np.arange(len(rows)), (repeats, 1)), axis=1) for _ in columns]
            )
            for j, raw in zip(columns, shuffler.shuffled(columns, orders), strict=True):
                outputs = task.from_linear(raw.reshape(-1, raw.shape[2]))
                outputs = outputs.reshape(repeats, len(rows), *outputs.shape[1:])
                drops = score - task.permutation_scores(y_rows, outputs)
                permutation.append(
                    {
                        "feature": str(X.columns[j]),
                        "drop_mean": float(drops.mean()),
                        "drop_std": float(drops.std()),
                    }
                )
        permutation.sort(key=lambda row: -row["drop_mean"])
    return {
        "coefficients": coefficient_rows,
        "permutation_importance": {
            "scoring": task.permutation_scoring,
            "method": "each input column's rows shuffled `repeats` times; the drop of the "
            "score on the same rows, its mean and standard deviation over the repeats",
            "rows": len(rows),
            "holdout_rows": len(y),
            "repeats": repeats,
            "evaluations": X.shape[1] * repeats if permutation else 0,
            "seed": seed,
            "features": permutation,
        },
    }
