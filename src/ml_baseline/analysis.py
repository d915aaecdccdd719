"""Error analysis of a model on its holdout: the worst mistakes, metrics per slice, the
threshold curve, and feature importance. Every table here is computed on holdout rows only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ml_baseline.schema import BOOLEAN, CATEGORICAL, InputSchema

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

WORST_CASES = 20
THRESHOLD_STEPS = 101  # 0.00, 0.01, ..., 1.00
PERMUTATION_ROWS = 5_000
PERMUTATION_REPEATS = 5
MISSING = "(missing)"


def worst_errors(
    schema: InputSchema,
    holdout: pa.Table,
    y: np.ndarray,
    out: np.ndarray,
    threshold: float | None,
    limit: int = WORST_CASES,
) -> pa.Table:
    """Return the worst mistakes with ids and raw feature values: the rows to read first when
    asking why the model is wrong. Binary: the most confident false positives and false
    negatives; multiclass: the most confident wrong classes; regression: the largest errors."""
    import numpy as np
    import pyarrow as pa

    from ml_baseline.models import BINARY, REGRESSION, output_columns

    if schema.task == BINARY:
        predicted = out >= threshold
        false_pos = np.flatnonzero(predicted & (y == 0))
        false_neg = np.flatnonzero(~predicted & (y == 1))
        false_pos = false_pos[np.argsort(-out[false_pos], kind="stable")][:limit]
        false_neg = false_neg[np.argsort(out[false_neg], kind="stable")][:limit]
        rows = np.concatenate([false_pos, false_neg])
        kinds = ["false_positive"] * len(false_pos) + ["false_negative"] * len(false_neg)
    elif schema.task == REGRESSION:
        error = out - y
        rows = np.argsort(-np.abs(error), kind="stable")[: 2 * limit]
        kinds = ["over_predicted" if error[r] > 0 else "under_predicted" for r in rows]
    else:
        wrong = np.flatnonzero(out.argmax(axis=1) != y)
        rows = wrong[np.argsort(-out[wrong].max(axis=1), kind="stable")][: 2 * limit]
        kinds = ["wrong_class"] * len(rows)
    picked = holdout.take(rows)
    columns: dict[str, Any] = {"error": pa.array(kinds, type=pa.string())}
    for name in schema.id_columns:
        columns[name] = picked.column(name)
    columns[schema.target] = picked.column(schema.target)
    columns.update(output_columns(schema, out[rows], threshold))
    for name in schema.feature_names:
        columns[name] = picked.column(name)
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
                    **_slice(schema.task, y[index], out[index], threshold),
                }
            )
    return pd.DataFrame(rows, columns=["feature", "value", "n", *SLICE_COLUMNS[schema.task]])


SLICE_COLUMNS = {
    "binary": (
        "positives",
        "prevalence",
        "predicted_positive_rate",
        "accuracy",
        "precision",
        "recall",
        "f1",
        "roc_auc",
    ),
    "multiclass": ("accuracy", "f1_macro"),
    "regression": ("mean_target", "mean_prediction", "mae", "rmse"),
}


def _slice(task: str, y: np.ndarray, out: np.ndarray, threshold: float | None) -> dict[str, Any]:
    import numpy as np
    from sklearn.metrics import f1_score, roc_auc_score

    if task == "regression":
        error = out - y
        return {
            "mean_target": float(y.mean()),
            "mean_prediction": float(out.mean()),
            "mae": float(np.abs(error).mean()),
            "rmse": float(np.sqrt((error**2).mean())),
        }
    if task == "multiclass":
        predicted = out.argmax(axis=1)
        return {
            "accuracy": float(np.mean(predicted == y)),
            "f1_macro": float(f1_score(y, predicted, average="macro", zero_division=0)),
        }
    predicted = out >= threshold
    tp = int(np.sum(predicted & (y == 1)))
    fp = int(np.sum(predicted & (y == 0)))
    fn = int(np.sum(~predicted & (y == 1)))
    both = 0 < y.sum() < len(y)
    return {
        "positives": int(y.sum()),
        "prevalence": float(y.mean()),
        "predicted_positive_rate": float(predicted.mean()),
        "accuracy": float(np.mean(predicted == (y == 1))),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else None,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None,
        "roc_auc": float(roc_auc_score(y, out)) if both else None,
    }


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


PERMUTATION_SCORING = {"binary": "roc_auc", "multiclass": "accuracy", "regression": "r2"}


def feature_importance(
    schema: InputSchema, model: Any, X: pd.DataFrame, y: np.ndarray, seed: int
) -> dict[str, Any]:
    """Return the linear model's coefficients (on scaled, one-hot inputs), and the permutation
    importance of each input column on the holdout: how much the task's score (ROC AUC,
    accuracy or R2) drops when the column is shuffled."""
    import numpy as np
    from sklearn.inspection import permutation_importance

    estimator = model[-1]
    coefficient_rows: list[dict[str, Any]] = []
    if hasattr(estimator, "coef_"):
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
    rows = np.arange(len(y))
    if len(rows) > PERMUTATION_ROWS:
        rows = np.sort(np.random.default_rng(seed).choice(rows, PERMUTATION_ROWS, replace=False))
    scoring = PERMUTATION_SCORING[schema.task]
    permutation: list[dict[str, Any]] = []
    # The score must be defined on these rows: both classes for ROC AUC, two rows for R2.
    defined = {
        "binary": 0 < y[rows].sum() < len(rows),
        "multiclass": len(rows) > 0,
        "regression": len(rows) >= 2,
    }
    if defined[schema.task]:
        result = permutation_importance(
            model,
            X.iloc[rows],
            y[rows],
            scoring=scoring,
            n_repeats=PERMUTATION_REPEATS,
            random_state=seed,
        )
        permutation = sorted(
            (
                {"feature": name, "drop_mean": float(mean), "drop_std": float(std)}
                for name, mean, std in zip(
                    X.columns, result.importances_mean, result.importances_std, strict=True
                )
            ),
            key=lambda row: -row["drop_mean"],
        )
    return {
        "coefficients": coefficient_rows,
        "permutation_importance": {
            "scoring": scoring,
            "rows": len(rows),
            "repeats": PERMUTATION_REPEATS,
            "seed": seed,
            "features": permutation,
        },
    }
