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
    score: np.ndarray,
    threshold: float,
    limit: int = WORST_CASES,
) -> pa.Table:
    """Return the most confident false positives and false negatives, with ids and raw
    feature values: the rows to read first when asking why the model is wrong."""
    import numpy as np
    import pyarrow as pa

    predicted = score >= threshold
    false_pos = np.flatnonzero(predicted & (y == 0))
    false_neg = np.flatnonzero(~predicted & (y == 1))
    false_pos = false_pos[np.argsort(-score[false_pos], kind="stable")][:limit]
    false_neg = false_neg[np.argsort(score[false_neg], kind="stable")][:limit]
    rows = np.concatenate([false_pos, false_neg])
    kinds = ["false_positive"] * len(false_pos) + ["false_negative"] * len(false_neg)
    picked = holdout.take(rows)
    columns: dict[str, Any] = {"error": pa.array(kinds, type=pa.string())}
    for name in schema.id_columns:
        columns[name] = picked.column(name)
    columns[schema.target] = picked.column(schema.target)
    columns["score"] = pa.array(score[rows], type=pa.float64())
    columns["prediction"] = schema.predicted_labels(score[rows], threshold)
    for name in schema.feature_names:
        columns[name] = picked.column(name)
    return pa.table(columns)


def slice_metrics(
    schema: InputSchema, X: pd.DataFrame, y: np.ndarray, score: np.ndarray, threshold: float
) -> pd.DataFrame:
    """Return holdout metrics per value of each categorical or boolean feature, with counts."""
    import numpy as np
    import pandas as pd
    from sklearn.metrics import roc_auc_score

    rows = []
    predicted = score >= threshold
    for feature in schema.features:
        if feature.kind not in (CATEGORICAL, BOOLEAN):
            continue
        values = pd.Series(X[feature.name].to_numpy(), dtype=object).where(
            X[feature.name].notna().to_numpy(), MISSING
        )
        for value, index in values.groupby(values, sort=True).indices.items():
            y_slice, p_slice = y[index], predicted[index]
            tp = int(np.sum(p_slice & (y_slice == 1)))
            fp = int(np.sum(p_slice & (y_slice == 0)))
            fn = int(np.sum(~p_slice & (y_slice == 1)))
            both = 0 < y_slice.sum() < len(y_slice)
            rows.append(
                {
                    "feature": feature.name,
                    "value": _slice_value(value, feature.kind),
                    "n": len(index),
                    "positives": int(y_slice.sum()),
                    "prevalence": float(y_slice.mean()),
                    "predicted_positive_rate": float(p_slice.mean()),
                    "accuracy": float(np.mean(p_slice == (y_slice == 1))),
                    "precision": tp / (tp + fp) if tp + fp else 0.0,
                    "recall": tp / (tp + fn) if tp + fn else None,
                    "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None,
                    "roc_auc": float(roc_auc_score(y_slice, score[index])) if both else None,
                }
            )
    columns = ["feature", "value", "n", "positives", "prevalence", "predicted_positive_rate"]
    columns += ["accuracy", "precision", "recall", "f1", "roc_auc"]
    return pd.DataFrame(rows, columns=columns)


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


def feature_importance(model: Any, X: pd.DataFrame, y: np.ndarray, seed: int) -> dict[str, Any]:
    """Return the model's coefficients (on scaled, one-hot inputs) and the permutation
    importance of each input column on the holdout (drop in ROC AUC when it is shuffled)."""
    import numpy as np
    from sklearn.inspection import permutation_importance

    names = model[:-1].get_feature_names_out()
    coefficients = model[-1].coef_[0]
    coefficient_rows = sorted(
        (
            {"feature": str(name), "coefficient": float(value)}
            for name, value in zip(names, coefficients, strict=True)
        ),
        key=lambda row: -abs(row["coefficient"]),
    )
    rows = np.arange(len(y))
    if len(rows) > PERMUTATION_ROWS:
        rows = np.sort(np.random.default_rng(seed).choice(rows, PERMUTATION_ROWS, replace=False))
    permutation: list[dict[str, Any]] = []
    if 0 < y[rows].sum() < len(rows):
        result = permutation_importance(
            model,
            X.iloc[rows],
            y[rows],
            scoring="roc_auc",
            n_repeats=PERMUTATION_REPEATS,
            random_state=seed,
        )
        permutation = sorted(
            (
                {
                    "feature": name,
                    "roc_auc_drop_mean": float(mean),
                    "roc_auc_drop_std": float(std),
                }
                for name, mean, std in zip(
                    X.columns, result.importances_mean, result.importances_std, strict=True
                )
            ),
            key=lambda row: -row["roc_auc_drop_mean"],
        )
    return {
        "intercept": float(model[-1].intercept_[0]),
        "coefficients": coefficient_rows,
        "permutation_importance": {
            "scoring": "roc_auc",
            "rows": len(rows),
            "repeats": PERMUTATION_REPEATS,
            "seed": seed,
            "features": permutation,
        },
    }
