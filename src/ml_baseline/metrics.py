"""The metrics of each task and their bootstrap confidence intervals, as numpy kernels.

Each task's metrics are defined once, by a kernel that takes a weight per row for many
resamples at once (`weighted_metrics`, `multiclass_resample_metrics`,
`regression_resample_metrics`): the holdout estimate is the kernel at unit weights and each
bootstrap resample is the kernel at that resample's counts, so an estimate and its interval
cannot disagree on a definition. A resample is drawn as counts of interchangeable rows or
cells (a multinomial draw), which bounds the cost whatever the size of the holdout. At unit
weights the kernels equal scikit-learn's metrics (tests check this on repeated rows).

numpy only at import: the plot worker imports this module without scikit-learn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# The rows each resampling kernel returns, in order. Which metric a task shows, with what name
# and direction, is the task's business (tasks.py); this module only computes.
INTERVAL_METRICS = ("roc_auc", "pr_auc", "accuracy", "precision", "recall", "f1")  # binary
MULTICLASS_INTERVALS = ("accuracy", "balanced_accuracy", "f1_macro", "f1_weighted")
REGRESSION_INTERVALS = ("mae", "rmse", "r2")
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
# Every multiclass metric is defined once, in _class_metrics, from the weighted counts per class
# (hits, true support, predictions): the holdout estimate is multiclass_resample_metrics at unit
# counts and each bootstrap resample is it at that resample's counts. The definitions are
# scikit-learn's defaults (no `labels` argument): macro averages run over the classes present in
# the true labels or in the predictions, balanced accuracy is the mean recall over the classes
# present in the true labels, and weighted F1 weighs each class's F1 by its true support.

_CLASS_AVERAGES = (
    "balanced_accuracy",
    "f1_macro",
    "f1_weighted",
    "precision_macro",
    "recall_macro",
)


def multiclass_metrics(y_true: np.ndarray, proba: np.ndarray, labels: list[Any]) -> dict[str, Any]:
    """Return holdout metrics for class indices `y_true` and class probabilities `proba`.

    Accuracy and the averaged metrics are multiclass_resample_metrics at unit counts (so they
    are what the bootstrap intervals resample); the per-class report lists every class.
    """
    import numpy as np
    from sklearn import metrics as skm

    n_classes = len(labels)
    classes = list(range(n_classes))
    y_true = np.asarray(y_true, dtype=np.int64)
    predicted = np.argmax(proba, axis=1)
    matrix = confusion_counts(y_true, predicted, n_classes)
    # The confusion cells weighted by their rows give the same whole-number counts per class as
    # the rows at unit counts, hence the same numbers, in O(classes^2) rather than O(rows).
    true_class, predicted_class = np.divmod(np.arange(matrix.size), n_classes)
    counts = matrix.reshape(1, -1).astype(np.float64)
    averaged = _class_metrics(*_class_counts(counts, true_class, predicted_class, n_classes))
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
    probabilities = np.clip(proba, 1e-15, 1.0)
    return {
        **{name: _finite(averaged[name][0]) for name in ("accuracy", *_CLASS_AVERAGES)},
        "log_loss": float(
            skm.log_loss(
                y_true, probabilities / probabilities.sum(axis=1, keepdims=True), labels=classes
            )
        ),
        "n": len(y_true),
        "per_class": per_class,
        "confusion_matrix": {
            "labels": [str(label) for label in labels],
            "rows_true_columns_predicted": matrix.tolist(),
        },
    }


def multiclass_resample_metrics(
    y_true: np.ndarray, predicted: np.ndarray, n_classes: int, counts: np.ndarray
) -> np.ndarray:
    """Return MULTICLASS_INTERVALS (rows) for each row of `counts` (columns), as an array.

    Rows i of `y_true` and `predicted` (class indices below `n_classes`) carry weight
    `counts[b, i]` in resample b; rows may be single holdout rows or cells of alike rows. A
    metric undefined for a resample (nothing drawn) is NaN.
    """
    import numpy as np

    counts = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    by_class = _class_counts(
        counts, np.asarray(y_true, dtype=np.int64), np.asarray(predicted, dtype=np.int64), n_classes
    )
    values = _class_metrics(*by_class)
    return np.vstack([values[metric] for metric in MULTICLASS_INTERVALS])


def _class_counts(
    counts: np.ndarray, true_class: np.ndarray, predicted_class: np.ndarray, n_classes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the weighted (hits, true support, predictions) per resample and class: each
    (resamples, n_classes). Whole-number counts give whole-number sums, exact in any order."""
    import numpy as np

    classes = np.arange(n_classes)
    is_true = (true_class[:, None] == classes).astype(np.float64)
    is_predicted = (predicted_class[:, None] == classes).astype(np.float64)
    return counts @ (is_true * is_predicted), counts @ is_true, counts @ is_predicted


def _class_metrics(tp: np.ndarray, actual: np.ndarray, chosen: np.ndarray) -> dict[str, Any]:
    """Return accuracy and _CLASS_AVERAGES per resample from the counts per class (see the
    section comment for the definitions); NaN where a resample has no rows."""
    import numpy as np

    in_true = actual > 0
    listed = in_true | (chosen > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = np.where(in_true, tp / actual, 0.0)
        precision = np.where(chosen > 0, tp / chosen, 0.0)
        f1 = np.where(listed, 2 * tp / (actual + chosen), 0.0)
        total = actual.sum(axis=1)

        def mean_over(values: np.ndarray, classes: np.ndarray) -> np.ndarray:
            return values.sum(axis=1) / classes.sum(axis=1)  # 0/0: NaN

        return {
            "accuracy": tp.sum(axis=1) / total,
            "balanced_accuracy": mean_over(recall, in_true),
            "f1_macro": mean_over(f1, listed),
            "f1_weighted": (f1 * actual).sum(axis=1) / total,
            "precision_macro": mean_over(precision, listed),
            "recall_macro": mean_over(recall, listed),
        }


def _finite(value: float) -> float | None:
    import numpy as np

    return float(value) if np.isfinite(value) else None


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
    draw of (true class, each model's predicted class) cells, scored by
    multiclass_resample_metrics on the cells: exact, and cheap at any size.
    """
    import numpy as np

    names = list(predicted)
    key = np.asarray(y_true, dtype=np.int64)
    for name in names:
        key = key * n_classes + np.asarray(predicted[name], dtype=np.int64)
    cells, rows = np.unique(key, return_counts=True)
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(key), rows / len(key), size=n_resamples).astype(np.float64)
    true_class = cells // n_classes ** len(names)
    samples = {}
    for position, name in enumerate(names):
        # Decode this model's predicted class of every cell.
        later = len(names) - 1 - position
        model_class = (cells // n_classes**later) % n_classes
        samples[name] = multiclass_resample_metrics(true_class, model_class, n_classes, counts)
    return _intervals(samples, MULTICLASS_INTERVALS, reference)


# --- regression ------------------------------------------------------------------------------
# As for the other tasks, regression_resample_metrics defines MAE, RMSE and R2 for weighted
# rows; the holdout estimate is it at unit counts. R2 is undefined (NaN, None in the holdout
# metrics) when the target does not vary: scikit-learn returns 0 or 1 there by convention.

_BOOTSTRAP_UNITS = 5_000  # above this many rows, resample random groups of rows (see below)


def regression_metrics(y_true: np.ndarray, predicted: np.ndarray) -> dict[str, Any]:
    """Return holdout metrics for a regression: MAE, RMSE, R2 and median absolute error."""
    import numpy as np
    from sklearn import metrics as skm

    y_true, predicted = np.asarray(y_true, float), np.asarray(predicted, float)
    mae, rmse, r2 = regression_resample_metrics(y_true, predicted, np.ones((1, len(y_true))))[:, 0]
    return {
        "mae": float(mae),
        "rmse": float(rmse),
        "r2": _finite(r2),
        "median_ae": float(skm.median_absolute_error(y_true, predicted)),
        "mean_target": float(np.mean(y_true)),
        "n": len(y_true),
    }


def regression_resample_metrics(
    y_true: np.ndarray, predicted: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    """Return REGRESSION_INTERVALS (rows: MAE, RMSE, R2) for each row of `counts` (columns).

    Row i of `y_true` and `predicted` carries weight `counts[b, i]` in resample b. MAE and RMSE
    are undefined (NaN) for a resample with no rows; R2 is NaN unless the resample's target
    takes at least two values.
    """
    import numpy as np

    y = np.asarray(y_true, dtype=np.float64)
    error = y - np.asarray(predicted, dtype=np.float64)
    counts = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    # Each row is a unit of one row: its sum is itself, and it has no spread of its own.
    target = _target_sums(counts, np.ones(len(y)), y, np.zeros(len(y)), y, y)
    return _error_metrics(counts, target, np.abs(error), error * error)


def _target_sums(
    counts: np.ndarray,
    rows: np.ndarray,
    y_sum: np.ndarray,
    spread: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, per resample, (rows drawn, sum of squares of the target about its mean, whether
    the target varies) from units of rows: their row count, sum of y, sum of squares of y about
    the unit's own mean, and lowest and highest y (an empty unit: 0, 0, 0, inf, -inf).

    The sum of squares is taken about the mean of all units and then moved to the resample's
    mean, rather than as sum(y^2) - n mean^2, which loses all precision when the mean is large.
    Where moving it would still cancel most digits (a resample whose mean is far from the
    overall mean for its spread: never a bootstrap resample of many rows, but possible for
    arbitrary counts, and every resample whose target takes one value), it is taken about the
    resample's own mean instead, and the values drawn decide whether the target varies.
    """
    import numpy as np

    drawn = counts @ rows
    unit_mean = y_sum / np.maximum(rows, 1)
    deviation = unit_mean - y_sum.sum() / max(rows.sum(), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        offset = (counts @ (rows * deviation)) / drawn  # the resample's mean, less the overall
        squares = counts @ (spread + rows * deviation**2)
        total = squares - drawn * offset**2
        # Rounding error here is a few ulps of `squares`: below 1e-12 of `total` if accepted.
        varies = total > 1e-3 * squares
    redo = np.flatnonzero(~varies & (drawn > 0))
    if len(redo):
        some = counts[redo]
        between = (deviation - offset[redo, None]) ** 2 * rows
        total[redo] = some @ spread + np.einsum("bu,bu->b", some, between)
        taken = some > 0
        highest = np.where(taken, high, -np.inf).max(axis=1)
        lowest = np.where(taken, low, np.inf).min(axis=1)
        varies[redo] = highest > lowest
    return drawn, total, varies


def _error_metrics(
    counts: np.ndarray,
    target: tuple[np.ndarray, np.ndarray, np.ndarray],
    abs_error: np.ndarray,
    squared_error: np.ndarray,
) -> np.ndarray:
    """Return MAE, RMSE and R2 (rows) per resample from per-unit sums of |e| and e^2."""
    import numpy as np

    drawn, total, varies = target
    with np.errstate(divide="ignore", invalid="ignore"):
        mae = (counts @ abs_error) / drawn
        residual = counts @ squared_error
        rmse = np.sqrt(residual / drawn)
        r2 = np.where(varies & (total > 0), 1 - residual / total, np.nan)
    return np.vstack([mae, rmse, r2])


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

    MAE, MSE and R2 are made of sums over rows, so a resample only needs sums over the rows
    drawn: up to _BOOTSTRAP_UNITS rows, this is regression_resample_metrics on the rows. Above,
    rows are dealt at random into that many groups and groups are resampled: the group sums are
    independent and alike, so this estimates the same variability at a bounded cost, and the
    numbers are those of regression_resample_metrics with every row of a group drawn as often
    as its group.
    """
    import numpy as np

    y = np.asarray(y_true, dtype=np.float64)
    n = len(y)
    rng = np.random.default_rng(seed)
    unit = np.arange(n) if n <= _BOOTSTRAP_UNITS else rng.integers(0, _BOOTSTRAP_UNITS, n)
    n_units = int(unit.max()) + 1

    def unit_sums(values: np.ndarray) -> np.ndarray:
        return np.bincount(unit, weights=values, minlength=n_units)

    # Per unit (one row each up to _BOOTSTRAP_UNITS rows): the target's sums and range.
    rows, y_sum = unit_sums(np.ones(n)), unit_sums(y)
    spread = unit_sums((y - (y_sum / np.maximum(rows, 1))[unit]) ** 2)
    low, high = np.full(n_units, np.inf), np.full(n_units, -np.inf)
    np.minimum.at(low, unit, y)
    np.maximum.at(high, unit, y)
    counts = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_resamples)
    counts = counts.astype(np.float64)
    target = _target_sums(counts, rows, y_sum, spread, low, high)
    samples = {}
    for name, values in predicted.items():
        error = y - np.asarray(values, dtype=np.float64)
        samples[name] = _error_metrics(
            counts, target, unit_sums(np.abs(error)), unit_sums(error * error)
        )
    return _intervals(samples, REGRESSION_INTERVALS, reference)
