"""Metric functions for binary classification and their bootstrap confidence intervals.

The bootstrap is vectorised: each resample is a vector of counts (how often each holdout row,
or each group of interchangeable rows, was drawn), and every metric is computed for all
resamples at once from sorted scores and cumulative sums. With all counts equal to one the
formulas give exactly scikit-learn's roc_auc_score, average_precision_score and f1_score
(tests check this).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# Display names, in the order of the seed project's Baseline-vs-Model table, then the rest.
METRIC_LABELS = {
    "roc_auc": "ROC AUC",
    "pr_auc": "PR AUC",
    "accuracy": "Accuracy",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1 Score",
    "threshold": "Threshold",
    "log_loss": "Log loss",
    "brier": "Brier score",
    "positive_rate": "Positive rate",
}
INTERVAL_METRICS = ("roc_auc", "pr_auc", "accuracy", "precision", "recall", "f1")

MULTICLASS_LABELS = {
    "accuracy": "Accuracy",
    "balanced_accuracy": "Balanced accuracy",
    "f1_macro": "F1 (macro)",
    "f1_weighted": "F1 (weighted)",
    "precision_macro": "Precision (macro)",
    "recall_macro": "Recall (macro)",
    "log_loss": "Log loss",
}
MULTICLASS_INTERVALS = ("accuracy", "balanced_accuracy", "f1_macro", "f1_weighted")

REGRESSION_LABELS = {
    "mae": "MAE",
    "rmse": "RMSE",
    "r2": "R2",
    "median_ae": "Median AE",
    "mean_target": "Mean target",
}
REGRESSION_INTERVALS = ("mae", "rmse", "r2")
LOWER_IS_BETTER = {"mae", "rmse", "median_ae", "log_loss", "brier"}

# Per task: display names of the holdout metrics, and those with bootstrap intervals.
TASK_METRICS = {
    "binary": (METRIC_LABELS, INTERVAL_METRICS),
    "multiclass": (MULTICLASS_LABELS, MULTICLASS_INTERVALS),
    "regression": (REGRESSION_LABELS, REGRESSION_INTERVALS),
}
# The metric that decides "is the model better than the baseline?", per task.
KEY_METRIC = {"binary": "roc_auc", "multiclass": "f1_macro", "regression": "mae"}
DEFAULT_RESAMPLES = 1000
CONFIDENCE = 0.95
EXACT_ROWS = 2_000
SCORE_BINS = 1_000


def binary_metrics(y_true: np.ndarray, score: np.ndarray, threshold: float) -> dict[str, Any]:
    """Return the holdout metrics for 0/1 labels and positive-class scores at `threshold`.

    Computed with numpy in one sort (the same formulas as the bootstrap, equal to
    scikit-learn's to rounding): scikit-learn's metric functions validate and sort their input
    again each, which cost seconds on a million-row holdout.
    """
    import numpy as np

    y_true = np.asarray(y_true, dtype=np.int64)
    score = np.asarray(score, dtype=np.float64)
    predicted = score >= threshold
    positive = y_true == 1
    tp = int(np.sum(predicted & positive))
    fp = int(np.sum(predicted & ~positive))
    fn = int(np.sum(~predicted & positive))
    tn = len(y_true) - tp - fp - fn
    roc_auc, pr_auc, accuracy, precision, recall, f1 = weighted_metrics(
        y_true, score, predicted, np.ones((1, len(y_true)))
    )[:, 0]
    both_classes = 0 < tp + fn < len(y_true)
    eps = np.finfo(np.float64).eps  # as scikit-learn's log_loss clips
    clipped = np.clip(score, eps, 1 - eps)
    log_loss = -np.mean(np.where(positive, np.log(clipped), np.log1p(-clipped)))
    return {
        "roc_auc": float(roc_auc) if both_classes else None,
        "pr_auc": float(pr_auc) if both_classes else None,
        "accuracy": float(accuracy),
        "precision": float(precision),
        "recall": float(recall) if tp + fn else 0.0,
        "f1": float(f1),
        "threshold": float(threshold),
        "log_loss": float(log_loss),
        "brier": float(np.mean((score - y_true) ** 2)),
        "positive_rate": float(predicted.mean()),
        "prevalence": float(y_true.mean()),
        "n": len(y_true),
        "confusion": {"tn": tn, "fp": fp, "fn": fn, "tp": tp},
    }


def bootstrap_intervals(
    y_true: np.ndarray,
    scores: dict[str, np.ndarray],
    thresholds: dict[str, float],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    reference: str | None = None,
) -> dict[str, dict[str, list[float | None]]]:
    """Return 95% percentile bootstrap intervals of INTERVAL_METRICS for each scored model.

    All models are evaluated on the same resamples of the holdout rows, so intervals of the
    paired difference `<model> - <reference>` are returned too (as
    "<model>_minus_<reference>"); a difference interval above 0 is evidence that the model
    beats the reference.

    Rows with the same label, predictions and scores are interchangeable, so a resample is
    drawn as counts of such cells (a multinomial draw) rather than of rows. Above EXACT_ROWS
    rows, scores are binned to 1/SCORE_BINS for this, which bounds the cost whatever the size
    of the holdout; threshold metrics stay exact and ranking metrics move by far less than
    their interval width.
    """
    import numpy as np

    y_true = np.asarray(y_true, dtype=np.int64)
    n = len(y_true)
    names = list(scores)
    columns = {name: _cell_columns(np.asarray(scores[name]), thresholds[name], n) for name in names}
    cell_of_row, cell_rows = _cells(y_true, [columns[name] for name in names])

    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n, cell_rows / n, size=n_resamples)
    samples = {}
    for name in names:
        predicted, score = columns[name]
        # This model's own cells: rows alike in label, prediction and score.
        own_of_row, _ = _cells(y_true, [columns[name]])
        own_of_cell = np.zeros(len(cell_rows), dtype=np.int64)
        own_of_cell[cell_of_row] = own_of_row
        first_row = np.zeros(own_of_row.max() + 1, dtype=np.int64)
        first_row[own_of_row[::-1]] = np.arange(n)[::-1]
        samples[name] = weighted_metrics(
            y_true[first_row],
            score[first_row],
            predicted[first_row],
            _sum_columns(counts, own_of_cell, len(first_row)),
        )
    return _intervals(samples, INTERVAL_METRICS, reference)


def _cell_columns(score: np.ndarray, threshold: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (predicted positive, score as used to group rows) for one model."""
    import numpy as np

    predicted = score >= threshold
    grouped = score if n <= EXACT_ROWS else np.floor(score * SCORE_BINS) / SCORE_BINS
    return predicted, grouped


def _cells(y_true: np.ndarray, columns: list[tuple[np.ndarray, np.ndarray]]) -> tuple[Any, Any]:
    """Return each row's cell number and the number of rows per cell, where a cell holds the
    rows with the same label and, for every model, the same prediction and score."""
    import numpy as np

    if len(y_true) > EXACT_ROWS:
        # Binned scores are whole multiples of 1/SCORE_BINS: pack everything in one integer.
        key = y_true.astype(np.int64)
        for predicted, score in columns:
            key = key * 2 + predicted
            key = key * (SCORE_BINS + 1) + np.rint(score * SCORE_BINS).astype(np.int64)
        _, cell, rows = np.unique(key, return_inverse=True, return_counts=True)
        return cell, rows
    keys = [y_true.astype(np.float64)]
    for predicted, score in columns:
        keys += [predicted.astype(np.float64), score]
    _, cell, rows = np.unique(
        np.column_stack(keys), axis=0, return_inverse=True, return_counts=True
    )
    return cell.ravel(), rows


def _sum_columns(counts: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Return counts summed over columns that share a group: (resamples, n_groups)."""
    import numpy as np

    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    summed = np.zeros((len(counts), n_groups), dtype=np.float64)
    # reduceat adds each run of columns of one group; a group without columns stays 0.
    summed[:, sorted_group[starts]] = np.add.reduceat(counts[:, order], starts, axis=1)
    return summed


def _intervals(
    samples: dict[str, np.ndarray], metrics: tuple[str, ...], reference: str | None
) -> dict[str, dict[str, list[float | None]]]:
    """Return the percentile intervals of each model's resampled metrics (rows: `metrics`)
    and, with a reference, of each other model's paired difference from it."""
    intervals = {name: _percentiles(values, metrics) for name, values in samples.items()}
    if reference is not None:
        for name, values in samples.items():
            if name != reference:
                intervals[f"{name}_minus_{reference}"] = _percentiles(
                    values - samples[reference], metrics
                )
    return intervals


def _percentiles(
    values: np.ndarray, names: tuple[str, ...] = INTERVAL_METRICS
) -> dict[str, list[float | None]]:
    import numpy as np

    tail = (1.0 - CONFIDENCE) / 2 * 100
    out = {}
    for i, metric in enumerate(names):
        row = values[i][np.isfinite(values[i])]
        if len(row) == 0:
            out[metric] = [None, None]
        else:
            low, high = np.percentile(row, [tail, 100 - tail])
            out[metric] = [float(low), float(high)]
    return out


def weighted_metrics(
    y_true: np.ndarray, score: np.ndarray, predicted: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    """Return INTERVAL_METRICS (rows) for each row of `counts` (columns), as an array.

    Rows i of `y_true`, `score` and `predicted` (0/1 labels, scores, predicted positive) carry
    weight `counts[b, i]` in resample b. A metric undefined for a resample (no positives, say)
    is NaN.
    """
    import numpy as np

    counts = np.asarray(counts, dtype=np.float64)
    order = np.argsort(-score, kind="mergesort")
    sorted_score = score[order]
    positive = y_true[order].astype(bool)
    chosen = predicted[order].astype(bool)
    w = counts[:, order]
    w_pos = np.where(positive, w, 0.0)
    w_neg = w - w_pos
    # Rows with equal scores form one group: they share a rank and a threshold step.
    starts = np.flatnonzero(np.r_[True, sorted_score[1:] != sorted_score[:-1]])
    pos_by_group = np.add.reduceat(w_pos, starts, axis=1)
    neg_by_group = np.add.reduceat(w_neg, starts, axis=1)
    total_pos = pos_by_group.sum(axis=1)
    total_neg = neg_by_group.sum(axis=1)

    with np.errstate(divide="ignore", invalid="ignore"):
        # ROC AUC: chance a positive outranks a negative, ties counting half. Scores descend,
        # so the negatives ranked below a group are those of all later groups.
        neg_below = total_neg[:, None] - np.cumsum(neg_by_group, axis=1)
        roc_auc = (pos_by_group * (neg_below + 0.5 * neg_by_group)).sum(axis=1) / (
            total_pos * total_neg
        )
        # Average precision: precision at each threshold, weighted by the recall it adds.
        tp_at = np.cumsum(pos_by_group, axis=1)
        fp_at = np.cumsum(neg_by_group, axis=1)
        precision_at = tp_at / (tp_at + fp_at)
        pr_auc = np.nansum(pos_by_group * precision_at, axis=1) / total_pos

        tp = w_pos[:, chosen].sum(axis=1)
        fp = w_neg[:, chosen].sum(axis=1)
        fn = total_pos - tp
        tn = total_neg - fp
        accuracy = (tp + tn) / (total_pos + total_neg)
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = tp / total_pos
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)

    roc_auc[(total_pos == 0) | (total_neg == 0)] = np.nan
    pr_auc[total_pos == 0] = np.nan
    return np.vstack([roc_auc, pr_auc, accuracy, precision, recall, f1])


def best_f1_threshold(y_true: np.ndarray, score: np.ndarray) -> float:
    """Return the score threshold that maximises F1 for these labels and scores."""
    import numpy as np
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y_true, score)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    # The last precision/recall pair has no threshold (recall 0 by convention).
    return float(thresholds[int(np.argmax(f1[:-1]))])


# --- curves, for the plots -------------------------------------------------------------------
# numpy only, so that the plots can be drawn in a process that does not import scikit-learn.


def _ranked_counts(y_true: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (true positives, false positives) among the rows scoring at or above each
    distinct score, from the highest score down."""
    import numpy as np

    order = np.argsort(-score, kind="mergesort")
    ranked = score[order]
    last = np.r_[np.flatnonzero(ranked[1:] != ranked[:-1]), len(ranked) - 1]
    tp = np.cumsum(np.asarray(y_true)[order] == 1)[last].astype(np.float64)
    return tp, (last + 1) - tp


def roc_points(y_true: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the ROC curve (false positive rates, true positive rates) from (0, 0) to (1, 1);
    NaN when the labels are all one class."""
    import numpy as np

    tp, fp = _ranked_counts(y_true, score)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.r_[0.0, fp] / fp[-1], np.r_[0.0, tp] / tp[-1]


def precision_recall_points(y_true: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the precision-recall curve as scikit-learn's precision_recall_curve does:
    (precision, recall) by decreasing recall, ending at (1, 0)."""
    import numpy as np

    tp, fp = _ranked_counts(y_true, score)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision, recall = tp / (tp + fp), tp / tp[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0]


def calibration_points(
    y_true: np.ndarray, score: np.ndarray, n_bins: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """Return (observed positive rate, mean score) per quantile bin of the scores, empty bins
    left out, as scikit-learn's calibration_curve(strategy="quantile") does."""
    import numpy as np

    edges = np.percentile(score, np.linspace(0, 100, n_bins + 1))
    bins = np.searchsorted(edges[1:-1], score)
    size = len(edges)
    total = np.bincount(bins, minlength=size)
    positives = np.bincount(bins, weights=np.asarray(y_true, dtype=np.float64), minlength=size)
    scores = np.bincount(bins, weights=score, minlength=size)
    filled = total > 0
    return positives[filled] / total[filled], scores[filled] / total[filled]


def confusion_counts(y_true: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """Return the confusion matrix of class indices: rows true, columns predicted."""
    import numpy as np

    cells = np.asarray(y_true, dtype=np.int64) * n_classes + np.asarray(predicted, dtype=np.int64)
    return np.bincount(cells, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


# --- multiclass ------------------------------------------------------------------------------


def multiclass_metrics(y_true: np.ndarray, proba: np.ndarray, labels: list[Any]) -> dict[str, Any]:
    """Return holdout metrics for class indices `y_true` and class probabilities `proba`."""
    import numpy as np
    from sklearn import metrics as skm

    classes = list(range(len(labels)))
    predicted = np.argmax(proba, axis=1)
    report = skm.precision_recall_fscore_support(y_true, predicted, labels=classes, zero_division=0)
    per_class = {
        str(label): {
            "precision": float(report[0][i]),
            "recall": float(report[1][i]),
            "f1": float(report[2][i]),
            "support": int(report[3][i]),
        }
        for i, label in enumerate(labels)
    }

    def averaged(kind: str, average: str) -> float:
        function = {"precision": skm.precision_score, "recall": skm.recall_score}.get(
            kind, skm.f1_score
        )
        return float(function(y_true, predicted, labels=classes, average=average, zero_division=0))

    probabilities = np.clip(proba, 1e-15, 1.0)
    return {
        "accuracy": float(skm.accuracy_score(y_true, predicted)),
        "balanced_accuracy": float(
            np.mean([c["recall"] for c in per_class.values() if c["support"]])
        ),
        "f1_macro": averaged("f1", "macro"),
        "f1_weighted": averaged("f1", "weighted"),
        "precision_macro": averaged("precision", "macro"),
        "recall_macro": averaged("recall", "macro"),
        "log_loss": float(
            skm.log_loss(
                y_true, probabilities / probabilities.sum(axis=1, keepdims=True), labels=classes
            )
        ),
        "n": len(y_true),
        "per_class": per_class,
        "confusion_matrix": {
            "labels": [str(label) for label in labels],
            "rows_true_columns_predicted": skm.confusion_matrix(
                y_true, predicted, labels=classes
            ).tolist(),
        },
    }


def multiclass_intervals(
    y_true: np.ndarray,
    predicted: dict[str, np.ndarray],
    n_classes: int,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    reference: str | None = None,
) -> dict[str, dict[str, list[float | None]]]:
    """Return 95% bootstrap intervals of MULTICLASS_INTERVALS for each model's predicted
    classes, and of the paired differences with `reference`.

    Every metric here is a function of the confusion matrix, so a resample is a multinomial
    draw of (true class, each model's predicted class) cells: exact, and cheap at any size.
    """
    import numpy as np

    names = list(predicted)
    key = np.asarray(y_true, dtype=np.int64)
    for name in names:
        key = key * n_classes + np.asarray(predicted[name], dtype=np.int64)
    cells, rows = np.unique(key, return_counts=True)
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(key), rows / len(key), size=n_resamples).astype(np.float64)
    samples = {}
    for position, name in enumerate(names):
        # Decode this model's predicted class and the true class of every cell.
        later = len(names) - 1 - position
        model_class = (cells // n_classes**later) % n_classes
        true_class = cells // n_classes ** len(names)
        samples[name] = _confusion_metrics(counts, true_class, model_class, n_classes)
    return _intervals(samples, MULTICLASS_INTERVALS, reference)


def _confusion_metrics(
    counts: np.ndarray, true_class: np.ndarray, predicted_class: np.ndarray, n_classes: int
) -> np.ndarray:
    """Return MULTICLASS_INTERVALS (rows) per resample (columns) from cell counts."""
    import numpy as np

    total = counts.sum(axis=1)
    tp = np.zeros((len(counts), n_classes))
    actual = np.zeros_like(tp)
    chosen = np.zeros_like(tp)
    for k in range(n_classes):
        tp[:, k] = counts[:, (true_class == k) & (predicted_class == k)].sum(axis=1)
        actual[:, k] = counts[:, true_class == k].sum(axis=1)
        chosen[:, k] = counts[:, predicted_class == k].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = np.where(actual > 0, tp / actual, np.nan)
        f1 = np.where(actual + chosen > 0, 2 * tp / (actual + chosen), 0.0)
        accuracy = tp.sum(axis=1) / total
        balanced = np.nanmean(recall, axis=1)
        present = actual > 0
        f1_macro = np.where(present, f1, 0.0).sum(axis=1) / np.maximum(present.sum(axis=1), 1)
        f1_weighted = (f1 * actual).sum(axis=1) / total
    return np.vstack([accuracy, balanced, f1_macro, f1_weighted])


# --- regression ------------------------------------------------------------------------------

_BOOTSTRAP_UNITS = 5_000  # above this many rows, resample random groups of rows (see below)


def regression_metrics(y_true: np.ndarray, predicted: np.ndarray) -> dict[str, Any]:
    """Return holdout metrics for a regression: MAE, RMSE, R2 and median absolute error."""
    import numpy as np
    from sklearn import metrics as skm

    y_true, predicted = np.asarray(y_true, float), np.asarray(predicted, float)
    return {
        "mae": float(skm.mean_absolute_error(y_true, predicted)),
        "rmse": float(np.sqrt(skm.mean_squared_error(y_true, predicted))),
        "r2": float(skm.r2_score(y_true, predicted)) if len(y_true) > 1 else None,
        "median_ae": float(skm.median_absolute_error(y_true, predicted)),
        "mean_target": float(np.mean(y_true)),
        "n": len(y_true),
    }


def regression_intervals(
    y_true: np.ndarray,
    predicted: dict[str, np.ndarray],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    reference: str | None = None,
) -> dict[str, dict[str, list[float | None]]]:
    """Return 95% bootstrap intervals of MAE, RMSE and R2 for each model, and of the paired
    differences with `reference`.

    MAE, MSE and R2 are made of sums over rows, so a resample only needs the sums of |e|, e2,
    y and y2 of the rows drawn. Above _BOOTSTRAP_UNITS rows, rows are dealt at random into that
    many groups and groups are resampled: the group sums are independent and alike, so this
    estimates the same variability at a bounded cost.
    """
    import numpy as np

    y = np.asarray(y_true, dtype=np.float64)
    n = len(y)
    rng = np.random.default_rng(seed)
    unit = np.arange(n) if n <= _BOOTSTRAP_UNITS else rng.integers(0, _BOOTSTRAP_UNITS, n)
    n_units = int(unit.max()) + 1

    def unit_sums(values: np.ndarray) -> np.ndarray:
        return np.bincount(unit, weights=values, minlength=n_units)

    rows = unit_sums(np.ones(n))
    y_sum, y2_sum = unit_sums(y), unit_sums(y * y)
    counts = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_resamples)
    counts = counts.astype(np.float64)
    drawn = counts @ rows
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_y = (counts @ y_sum) / drawn
        total = counts @ y2_sum - drawn * mean_y**2
        samples = {}
        for name, values in predicted.items():
            error = y - np.asarray(values, dtype=np.float64)
            mae = (counts @ unit_sums(np.abs(error))) / drawn
            mse = (counts @ unit_sums(error * error)) / drawn
            r2 = np.where(total > 0, 1 - mse * drawn / total, np.nan)
            samples[name] = np.vstack([mae, np.sqrt(mse), r2])
    return _intervals(samples, REGRESSION_INTERVALS, reference)
