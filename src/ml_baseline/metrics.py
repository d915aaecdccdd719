"""The metrics of each task and their bootstrap confidence intervals, as numpy kernels.

Each task's metrics are defined once, by a kernel that takes a weight per row for many
resamples at once (`weighted_metrics`, `multiclass_resample_metrics`,
`regression_resample_metrics`): the holdout estimate is the kernel at unit weights and each
bootstrap resample is the kernel at that resample's counts, so an estimate and its interval
cannot disagree on a definition. At unit weights the kernels equal scikit-learn's metrics
(tests check this on repeated rows).

A resample is drawn as counts of cells of interchangeable rows (a multinomial draw with the
cells' shares of the rows): the same distribution as drawing the rows with replacement, and
cheap while the cells are few. Up to EXACT_CELLS cells, and for multiclass at any size, this
is the row bootstrap exactly. Beyond, where an exact draw would cost a count per row (20 s for
1,000 resamples of 1M rows), binary scores are cut into blocks of adjacent scores and
regression rows into exact tails and strata; the section comments say what that leaves out
(far less than the Monte Carlo error of the intervals). After a group split, whole groups are
drawn instead (`_cell_draws`, `_group_regression`): a group's rows share their errors.

numpy only at import: the plot worker imports this module without scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np

# The rows each resampling kernel returns, in order. Which metric a task shows, with what name
# and direction, is the task's business (tasks.py); this module only computes.
INTERVAL_METRICS = ("roc_auc", "pr_auc", "accuracy", "precision", "recall", "f1")  # binary
MULTICLASS_INTERVALS = ("accuracy", "balanced_accuracy", "f1_macro", "f1_weighted")
REGRESSION_INTERVALS = ("mae", "rmse", "r2")
DEFAULT_RESAMPLES = 1000
CONFIDENCE = 0.95


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
    # Rows without a positive leave precision, recall and F1 at 0/0 (a week with no event,
    # scored perfectly): undefined, as ROC AUC is, not a collapse to 0 (probe 68).
    rated = tp + fn > 0
    eps = np.finfo(np.float64).eps  # as scikit-learn's log_loss clips
    clipped = np.clip(score, eps, 1 - eps)
    log_loss = -np.mean(np.where(positive, np.log(clipped), np.log1p(-clipped)))
    return {
        "roc_auc": float(roc_auc) if both_classes else None,
        "pr_auc": float(pr_auc) if both_classes else None,
        "accuracy": float(accuracy),
        "precision": float(precision) if rated else None,
        "recall": float(recall) if rated else None,
        "f1": float(f1) if rated else None,
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
    counts: np.ndarray | None = None,
    groups: np.ndarray | None = None,
) -> dict[str, dict[str, list[float | None]]]:
    """Return 95% percentile bootstrap intervals of INTERVAL_METRICS for each scored model.

    All models are evaluated on the same resamples of the holdout rows, so intervals of the
    paired difference `<model> - <reference>` are returned too (as
    "<model>_minus_<reference>"); a difference interval above 0 is evidence that the model
    beats the reference.

    A resample is drawn as counts of cells of rows (see "binary: ranked cells" below), which
    is the same draw as counting rows drawn with replacement. `groups` (a group number per
    row, from 0) resamples whole groups instead (see `_cell_draws`). `counts` (resamples x
    rows) gives the resamples' row counts instead of drawing them, to check against a
    reference (and then the raw percentiles are returned, without `_no_errors_seen`).
    """
    import numpy as np

    y_true = np.asarray(y_true, dtype=np.int64)
    groups = _group_numbers(groups)
    names = list(scores)
    rankings = _rankings(y_true, scores, thresholds)
    if counts is not None:
        counts = np.atleast_2d(np.asarray(counts, dtype=np.float64))
        samples = {
            name: _ranked_metrics(
                rankings[name],
                _sum_columns(counts, rankings[name].cell_of_row, rankings[name].n_cells),
            )
            for name in names
        }
        return _intervals(samples, INTERVAL_METRICS, reference)  # the raw percentiles

    # All models resample the same rows: draw cells of rows alike for every model at once.
    joint_of_row, joint_rows = _joint_cells([rankings[name].cell_of_row for name in names])
    first_row = _first_rows(joint_of_row, len(joint_rows))
    rng = np.random.default_rng(seed)
    parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
    widest = max(ranking.n_cells for ranking in rankings.values())
    for drawn in _cell_draws(rng, joint_of_row, joint_rows, n_resamples, groups, widest):
        for name in names:
            ranking = rankings[name]
            own = _sum_columns(drawn, ranking.cell_of_row[first_row], ranking.n_cells)
            parts[name].append(_ranked_metrics(ranking, own))
    samples = {name: np.hstack(parts[name]) for name in names}
    sizes = _binary_sizes(y_true, scores, thresholds, groups)
    lows = {name: _no_errors_in(metrics) for name, metrics in sizes.items()}
    return _no_errors_seen(_intervals(samples, INTERVAL_METRICS, reference), lows)


def _binary_sizes(
    y_true: np.ndarray,
    scores: dict[str, np.ndarray],
    thresholds: dict[str, float],
    groups: np.ndarray | None = None,
) -> dict[str, dict[str, int]]:
    """Return, per model and metric, how many units (rows, or groups when whole groups are
    resampled) a perfect score was earned on."""
    import numpy as np

    positive = y_true == 1
    positives, negatives = _units(positive, groups), _units(~positive, groups)
    everything = _units(np.ones(len(y_true), dtype=bool), groups)
    sizes = {}
    for name, score in scores.items():
        threshold = thresholds.get(name)
        predicted = everything if threshold is None else _units(score >= threshold, groups)
        sizes[name] = {
            "roc_auc": min(positives, negatives),
            "pr_auc": positives,
            "accuracy": everything,
            "precision": predicted,
            "recall": positives,
            "f1": positives,
        }
    return sizes


def _units(rows: np.ndarray, groups: np.ndarray | None) -> int:
    """Return how many of the rows (a mask) there are, or how many groups they fall in."""
    import numpy as np

    if groups is None:
        return int(rows.sum())
    return int(np.count_nonzero(np.bincount(groups[rows])))


NO_ERRORS_ALPHA = 0.025  # the one-sided level of the exact bound with no error seen


def _no_errors_seen(
    intervals: dict[str, dict[str, list[float | None]]], lows: dict[str, dict[str, float]]
) -> dict[str, dict[str, list[float | None]]]:
    """Widen a model's [1, 1] interval (no error in any resample) to its exact lower bound.

    Resampling rows without a single error can only ever give a perfect score, so the
    percentile bootstrap says [1, 1]: certainty it does not have. With no error in n rows, the
    error rate can still be up to 1 - 0.025^(1/n) (Clopper-Pearson, the 97.5% one-sided
    bound; about 3.7/n), so the interval becomes [0.025^(1/n), 1]: [0.902, 1] on 36 rows.
    `lows` gives that bound per model and metric (`_no_errors_in`; a mean over classes has
    its own, `_classes_without_errors`); a metric earned on no unit has none.
    """
    for name, metrics in lows.items():
        for metric, low in metrics.items():
            bounds = intervals.get(name, {}).get(metric)
            if bounds and bounds[0] is not None and bounds[0] >= 1.0 - 1e-12:
                intervals[name][metric] = [low, bounds[1]]
                _widen_gains(intervals, name, metric, low)
    return intervals


def _no_errors_in(sizes: dict[str, int]) -> dict[str, float]:
    """Return, per metric earned on n units with no error, its lower bound 0.025^(1/n); none
    for a metric earned on no unit."""
    return {metric: NO_ERRORS_ALPHA ** (1.0 / n) for metric, n in sizes.items() if n > 0}


def _classes_without_errors(class_units: list[int]) -> dict[str, float]:
    """Return the lower bounds of balanced accuracy and macro F1 when no error was seen in
    classes of `class_units` units each.

    Recalls r_k give no error with probability prod(r_k^n_k); the exact 97.5% bound of their
    mean is the lowest mean with that probability at least 0.025, which puts r_k = min(1,
    c * n_k) (the smallest classes carry the doubt; equal classes give accuracy's bound). The
    macro F1 bound takes those recalls, each class receiving every other class's misses. The
    smallest class's bound alone, given to the mean before, said [0.478, 1] for pizzaplace's
    perfect 10,008 rows, its XXL class 5 of them (probe 64): it is 0.896."""
    import math

    import numpy as np

    units = np.asarray(class_units, dtype=np.float64)

    def recalls(log_c: float) -> np.ndarray:
        return np.minimum(1.0, np.exp(log_c) * units)

    low, high = math.log(NO_ERRORS_ALPHA) - math.log(units.max()), -math.log(units.min())
    for _ in range(100):  # the chance of no error grows with c: bisect its log
        middle = (low + high) / 2
        chance = float(np.sum(units * np.log(recalls(middle))))
        low, high = (middle, high) if chance < math.log(NO_ERRORS_ALPHA) else (low, middle)
    recall = recalls(high)
    missed = (1.0 - recall) * units  # each class's units that may be wrong
    caught = recall * units
    f1 = 2 * caught / (2 * caught + missed + (missed.sum() - missed))
    return {"balanced_accuracy": float(recall.mean()), "f1_macro": float(f1.mean())}


def _widen_gains(
    intervals: dict[str, dict[str, list[float | None]]], name: str, metric: str, low: float
) -> None:
    """Lower the intervals of `name`'s paired gains over another model to what its widened
    lower bound `low` allows against that model's upper bound: a perfect ROC AUC on a holdout
    of one positive (MASS's beav1 split by time) widened to [0.025, 1], while its gain over
    the baseline's 0.5 stayed [+0.5, +0.5] and said ship."""
    prefix = f"{name}_minus_"
    for key, gains in intervals.items():
        reference = intervals.get(key.removeprefix(prefix), {}).get(metric)
        bounds = gains.get(metric) if key.startswith(prefix) else None
        if bounds and bounds[0] is not None and reference and reference[1] is not None:
            bounds[0] = min(bounds[0], low - reference[1])


def weighted_metrics(
    y_true: np.ndarray, score: np.ndarray, predicted: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    """Return INTERVAL_METRICS (rows) for each row of `counts` (columns), as an array.

    Rows i of `y_true`, `score` and `predicted` (0/1 labels, scores, predicted positive) carry
    weight `counts[b, i]` in resample b. A metric undefined for a resample (no positives, say)
    is NaN. This is the bootstrap's kernel on the rows' exact cells.
    """
    import numpy as np

    counts = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    ranking = _ranking(
        np.asarray(y_true, dtype=np.int64), np.asarray(score), np.asarray(predicted), None
    )
    return _ranked_metrics(ranking, _sum_columns(counts, ranking.cell_of_row, ranking.n_cells))


# --- binary: ranked cells ----------------------------------------------------------------------
# The binary metrics of a resample depend on its row counts only through cells of rows: rows
# with the same label, prediction and score are interchangeable, and ROC AUC and average
# precision depend on the scores only through their order and ties. So each model's rows are
# sorted by score once, rows of equal score form a group, and the cells are (group, predicted,
# label). A resample is then drawn as counts of cells: a multinomial draw with each cell's share
# of the rows, the same distribution as counting n rows drawn with replacement, and the kernel
# (_ranked_metrics) walks the cells in score order. This is the exact row bootstrap, and it
# is cheap while the cells are few: up to EXACT_CELLS cells (of all models together), or when
# scores take few values, whatever the number of rows.
#
# Continuous scores on a large holdout give a cell per row, and an exact resample then costs a
# count per row: about 20 ms per resample at 1M rows (drawing and counting 1M row numbers,
# measured; a Poisson(1) count per row, the Poisson bootstrap, costs as much and is not the
# row bootstrap), 20 s for 1,000 resamples, whatever the kernel. Beyond EXACT_CELLS, adjacent
# groups are therefore merged into blocks, and a resample is drawn exactly as counts of
# (block, predicted, label) cells. Only the order of the draws inside a block is not drawn:
# each block carries constants that replace what the metrics take from that order by its
# expected value given the block's counts.
# - ROC AUC counts the (positive, negative) pairs where the positive ranks higher. Pairs in
#   different blocks are ranked by their blocks. For the pairs inside a block, the expected
#   share is the block's own ROC AUC (given its counts, a block's positives and negatives are
#   drawn independently among its positive and negative rows): exact in expectation.
# - Average precision sums, over the positives drawn, the precision at their score. A positive
#   with x positives and y negatives of its own block drawn below it has precision
#   (tp - x) / (tp + fp - x - y), tp and fp counted to the block's end; it is taken at the
#   expected x and y (after_positive, after_negative). Blocks are single groups for the top
#   1 / BLOCK_SHARE rows and then hold at most BLOCK_SHARE of the rows ranked above them, so
#   the precision moves by less than BLOCK_SHARE (relative) inside a block.
# - The threshold metrics only need the (predicted, label) counts, which the cells keep.
# What this leaves out is a small noise around each resample's value: on the same row counts,
# blocks and rows differ by 0.1 to 1.7% of the metric's standard deviation, with a mean
# difference below 0.3% of it (measured from 20,000 to 200,000 rows with scores piled near 0,
# logistic, rare positives and ties). An interval end moves by a fraction of that, against a
# Monte Carlo error of about 8% of the standard deviation (a 2.5% percentile of 1,000
# resamples); tests and bench/intervals.py compare with resampling rows.

EXACT_CELLS = 5_000
BLOCK_SHARE = 1 / 100
_CHUNK_VALUES = 4_000_000  # resamples x cells held at once
_CACHED_COUNTS = 1 << 18  # counts bincount fills at once when drawing whole groups


@dataclass(frozen=True)
class _Ranking:
    """One model's holdout rows in cells: rows sorted by decreasing score, cut into blocks of
    adjacent scores (equal scores always in one block), each split by (predicted, label)."""

    cell_of_row: np.ndarray  # 4 * block + 2 * predicted + label
    blocks: int
    # Per block, None when every block holds one score (the exact kernel): ROC AUC among the
    # block's own rows; the mean share of the block's positives and negatives ranked strictly
    # below a positive of the block.
    within_auc: np.ndarray | None = None
    after_positive: np.ndarray | None = None
    after_negative: np.ndarray | None = None

    @property
    def n_cells(self) -> int:
        return 4 * self.blocks


def _rankings(
    y_true: np.ndarray, scores: dict[str, np.ndarray], thresholds: dict[str, float]
) -> dict[str, _Ranking]:
    """Return each model's cells: exact (one group of equal scores per block) if all models'
    cells together are at most EXACT_CELLS, else blocks."""
    import numpy as np

    grouped = {}
    for name, score in scores.items():
        score = np.asarray(score, dtype=np.float64)
        grouped[name] = _sorted_groups(y_true, score, score >= thresholds[name])
    # A model's groups each hold a cell at least, so the joint cells are at least as many.
    if max(len(groups[1]) for groups in grouped.values()) <= EXACT_CELLS:
        exact = {name: _ranking_of(*groups, None) for name, groups in grouped.items()}
        _, joint_rows = _joint_cells([ranking.cell_of_row for ranking in exact.values()])
        if len(joint_rows) <= EXACT_CELLS:
            return exact
    return {name: _ranking_of(*groups, BLOCK_SHARE) for name, groups in grouped.items()}


def _ranking(
    y_true: np.ndarray, score: np.ndarray, predicted: np.ndarray, share: float | None
) -> _Ranking:
    return _ranking_of(*_sorted_groups(y_true, score, predicted), share)


def _sorted_groups(
    y_true: np.ndarray, score: np.ndarray, predicted: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (order of the rows by decreasing score, the first sorted row of each group of
    equal scores, the sorted labels, the sorted predictions)."""
    import numpy as np

    predicted = np.asarray(predicted, dtype=bool)
    if len(score) and score.min() == score.max():
        # One score (a constant baseline): one group, the rows in their own order.
        return np.arange(len(score)), np.zeros(1, dtype=np.int64), y_true, predicted
    order = np.argsort(-score)  # the order within ties does not matter
    ranked = score[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    return order, starts, y_true[order], predicted[order]


def _ranking_of(
    order: np.ndarray,
    starts: np.ndarray,
    label: np.ndarray,
    predicted: np.ndarray,
    share: float | None,
) -> _Ranking:
    """Return a model's cells from its sorted groups: one block per group (share None), or
    blocks holding at most `share` of the rows ranked above them."""
    import numpy as np

    n_groups = len(starts)
    block_of_group = np.arange(n_groups)
    if share is not None:
        # Blocks are bins of log(rows above) of width log(1 + share); the top 1/share rows are
        # one block per group.
        level = np.floor(np.log(np.maximum(starts * share, 1.0)) / np.log1p(share))
        key = np.where(starts * share < 1, np.arange(n_groups), n_groups + level)
        block_of_group = np.cumsum(np.r_[True, key[1:] != key[:-1]]) - 1
    blocks = int(block_of_group[-1]) + 1 if n_groups else 0
    sizes = np.diff(np.r_[starts, len(order)])
    cell = 4 * np.repeat(block_of_group, sizes) + 2 * predicted + label
    if n_groups == 1:
        cell_of_row = cell  # the rows in their own order
    else:
        cell_of_row = np.empty_like(cell)
        cell_of_row[order] = cell
    if blocks == n_groups:
        return _Ranking(cell_of_row, blocks)
    positives = np.add.reduceat(label, starts).astype(np.float64)
    constants = _block_constants(positives, sizes - positives, block_of_group)
    return _Ranking(cell_of_row, blocks, *constants)


def _block_constants(
    positives: np.ndarray, negatives: np.ndarray, block_of_group: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (within_auc, after_positive, after_negative) of each block from the
    positives and negatives of each group (see the section comment)."""
    import numpy as np

    first = np.flatnonzero(np.r_[True, block_of_group[1:] != block_of_group[:-1]])
    blocks = len(first)
    tp, fp = np.cumsum(positives), np.cumsum(negatives)
    pos, neg = np.add.reduceat(positives, first), np.add.reduceat(negatives, first)
    # Within its block: the positives and negatives of the group's block ranked strictly below
    # the group.
    end_tp, end_fp = np.cumsum(pos), np.cumsum(neg)
    pos_below = end_tp[block_of_group] - tp
    neg_below = end_fp[block_of_group] - fp

    def per_block(values: np.ndarray, total: np.ndarray) -> np.ndarray:
        summed = np.add.reduceat(values, first)
        return np.divide(summed, total, out=np.zeros(blocks), where=total > 0)

    within_auc = per_block(positives * (neg_below + 0.5 * negatives), pos * neg)
    after_positive = per_block(positives * pos_below, pos * pos)
    after_negative = per_block(positives * neg_below, pos * neg)
    return within_auc, after_positive, after_negative


def _precision_sums(
    pos: np.ndarray,
    neg: np.ndarray,
    tp: np.ndarray,
    fp: np.ndarray,
    after_positive: np.ndarray | None,
    after_negative: np.ndarray | None,
) -> np.ndarray:
    """Return, per resample and block, the precision summed over the positives drawn in the
    block (NaN where none are drawn and nothing above either), from the positives and
    negatives drawn in the block (`pos`, `neg`) and down to its end (`tp`, `fp`)."""
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        precision = tp / (tp + fp)  # at the block's end: exact for a block of equal scores
        if after_positive is None or after_negative is None:
            return pos * precision
        # A positive with x positives and y negatives of its block drawn below it has
        # precision (tp - x) / (tp + fp - x - y): taken at the expected x and y.
        below_pos = np.maximum(pos - 1, 0) * after_positive
        below_neg = neg * after_negative
        shift = ((1 - precision) * below_pos - precision * below_neg) / (
            tp + fp - below_pos - below_neg
        )
        return pos * (precision - shift)


def _ranked_metrics(ranking: _Ranking, counts: np.ndarray) -> np.ndarray:
    """Return INTERVAL_METRICS (rows) for each resample (rows of `counts`, the counts of the
    ranking's cells); NaN where a metric is undefined."""
    import numpy as np

    cells = counts.reshape(len(counts), ranking.blocks, 2, 2)  # block, predicted, label
    pos = cells[:, :, 0, 1] + cells[:, :, 1, 1]
    neg = cells[:, :, 0, 0] + cells[:, :, 1, 0]
    tp = cells[:, :, 1, 1].sum(axis=1)
    fp = cells[:, :, 1, 0].sum(axis=1)
    total_pos = pos.sum(axis=1)
    total_neg = neg.sum(axis=1)
    tp_at = np.cumsum(pos, axis=1)
    fp_at = np.cumsum(neg, axis=1)
    # ROC AUC: chance a positive outranks a negative, ties counting half. Blocks descend, so the
    # negatives ranked below a block are those of all later blocks.
    within = 0.5 if ranking.within_auc is None else ranking.within_auc
    outranked = (pos * (total_neg[:, None] - fp_at + within * neg)).sum(axis=1)
    # Average precision: precision at each threshold, weighted by the recall it adds.
    precision_sums = _precision_sums(
        pos, neg, tp_at, fp_at, ranking.after_positive, ranking.after_negative
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        roc_auc = outranked / (total_pos * total_neg)
        pr_auc = np.nansum(precision_sums, axis=1) / total_pos
        fn = total_pos - tp
        tn = total_neg - fp
        accuracy = (tp + tn) / (total_pos + total_neg)
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = tp / total_pos
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    roc_auc[(total_pos == 0) | (total_neg == 0)] = np.nan
    pr_auc[total_pos == 0] = np.nan
    return np.vstack([roc_auc, pr_auc, accuracy, precision, recall, f1])


# --- drawing resamples -------------------------------------------------------------------------


def _joint_cells(cells: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return each row's joint cell (rows in the same cell of every model) and the number of
    rows per joint cell."""
    import numpy as np

    key = np.zeros(len(cells[0]), dtype=np.int64)
    rows = np.ones(1, dtype=np.int64)
    for cell in cells:
        # Renumbered after each model, so the key stays below rows x cells.
        _, key, rows = _cells_of_keys(key * (int(cell.max()) + 1) + cell)
    return key, rows


def _cells_of_keys(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (the distinct keys, each row's number among them, rows per key) of non-negative
    integer keys."""
    import numpy as np

    if len(key) and int(key.max()) < 16 * len(key):  # a count per possible key is cheap
        used = np.bincount(key)
        cells = np.flatnonzero(used)
        return cells, (np.cumsum(used > 0) - 1)[key], used[cells]
    cells, cell_of_row, rows = np.unique(key, return_inverse=True, return_counts=True)
    return cells, cell_of_row.ravel(), rows


def _first_rows(cell_of_row: np.ndarray, n_cells: int) -> np.ndarray:
    """Return a row of each cell (every cell holds one)."""
    import numpy as np

    first = np.zeros(n_cells, dtype=np.int64)
    first[cell_of_row[::-1]] = np.arange(len(cell_of_row))[::-1]
    return first


def _chunks(n_resamples: int, n_cells: int) -> list[int]:
    """Return the sizes of the batches of resamples drawn at once (bounded memory)."""
    size = max(1, _CHUNK_VALUES // max(n_cells, 1))
    return [min(size, n_resamples - start) for start in range(0, n_resamples, size)]


def _draw(rng: np.random.Generator, rows: np.ndarray, size: int) -> np.ndarray:
    """Return `size` bootstrap resamples (rows) as counts of cells holding `rows` rows each.

    Drawing all n rows with replacement and counting them by cell is a multinomial draw of n
    with the cells' shares of the rows; both ways give that same distribution, and the cheaper
    is used: the multinomial's binomials cost about 5 times a row number drawn and counted.
    """
    import numpy as np

    rows = np.asarray(rows, dtype=np.int64)
    n = int(rows.sum())
    if 5 * len(rows) < n:
        return rng.multinomial(n, rows / n, size=size).astype(np.float64)
    counts = np.empty((size, len(rows)))
    batch = max(1, _CHUNK_VALUES // max(n, 1))  # resamples whose row numbers are held at once
    cell_of_row = None
    if len(rows) < n:
        cell_of_row = np.repeat(np.arange(len(rows)), rows)
    else:
        # Every cell holds one row (groups drawn whole): a row drawn is its cell, and counting
        # a batch whose counts stay in the cache (2 MB) is 4 times as fast at 20,000 groups.
        batch = max(1, min(batch, _CACHED_COUNTS // len(rows)))
    for start in range(0, size, batch):
        stop = min(start + batch, size)
        drawn = rng.integers(0, n, (stop - start, n))
        if cell_of_row is not None:
            drawn = cell_of_row[drawn]
        drawn += np.arange(stop - start)[:, None] * len(rows)
        counted = np.bincount(drawn.ravel(), minlength=(stop - start) * len(rows))
        counts[start:stop] = counted.reshape(stop - start, len(rows))
    return counts


def _group_numbers(groups: np.ndarray | None) -> np.ndarray | None:
    """Return the groups numbered 0, 1, ... in order of value (every number used), or None."""
    import numpy as np

    if groups is None:
        return None
    _, number, _ = _cells_of_keys(np.asarray(groups, dtype=np.int64))
    return number


# Beyond this many groups, groups are merged (at random, seeded) into this many units before
# resampling. Independent groups make independent unions, so resampling the unions is the
# cluster bootstrap still, and with this many units its variance differs from resampling the
# groups themselves by about sqrt(2 / MAX_GROUP_UNITS) = 1% relative (0.5% of an interval's
# width, against the 2% Monte Carlo error of 1,000 resamples): a draw then costs a count per
# unit, not per group (at 1M holdout rows in 500,000 groups, 12 s drawn group by group).
MAX_GROUP_UNITS = 20_000


def _resampled_units(groups: np.ndarray) -> np.ndarray:
    """Return the unit each row is resampled with: its group, or beyond MAX_GROUP_UNITS
    groups (numbered 0, 1, ...), a seeded random union of groups."""
    import numpy as np

    n_groups = int(groups.max()) + 1
    if n_groups <= MAX_GROUP_UNITS:
        return groups
    union_of_group = np.random.default_rng(0).permutation(n_groups) % MAX_GROUP_UNITS
    return union_of_group[groups]


def _cell_draws(
    rng: np.random.Generator,
    cell_of_row: np.ndarray,
    rows: np.ndarray,
    n_resamples: int,
    groups: np.ndarray | None,
    widest: int = 0,
) -> Iterator[np.ndarray]:
    """Yield batches of bootstrap resamples (rows) as counts of the cells (columns) holding
    `rows` rows each, `n_resamples` in all; `widest` is the most columns a caller derives
    from a batch (its memory is bounded too).

    With `groups` (a group number per row, from 0), a resample draws the holdout's groups
    with replacement and takes every row of each group drawn, as often as it was drawn: after
    a group split the groups, not the rows, are the independent units (statsmodels' grunfeld
    holds 3 firms' 20 years each in its holdout; rows resampled one by one, as 60 independent
    cases, make the intervals far narrower than 3 firms allow). A resample's cell counts are
    then the groups' counts times each group's rows per cell (a sparse groups x cells
    matrix): exact, at a cost of a count per group and per (group, cell) pair drawn; beyond
    MAX_GROUP_UNITS groups, per union of groups (see there).
    """
    import numpy as np

    if groups is None:
        for size in _chunks(n_resamples, max(len(rows), widest)):
            yield _draw(rng, rows, size)
        return
    from scipy import sparse

    groups = _resampled_units(groups)
    n_cells, n_groups = len(rows), int(groups.max()) + 1
    # rows_in[g, c]: the rows of group g in cell c (the conversion sums repeated pairs). As
    # CSR, (resamples x groups) @ rows_in is scipy's fastest product here (4 times the other
    # orders at 1M rows).
    rows_in = sparse.coo_matrix(
        (np.ones(len(groups)), (groups, cell_of_row)), shape=(n_groups, n_cells)
    ).tocsr()
    for size in _chunks(n_resamples, max(n_groups, n_cells, widest)):
        picked = _draw(rng, np.ones(n_groups, dtype=np.int64), size)
        yield np.asarray(picked @ rows_in)


# --- blocks of consecutive rows, after a time split --------------------------------------------
# After --split time the holdout is a stretch of time, and a model's errors on neighbouring
# rows are often alike (a slow drift, a season, a persistent series): rows resampled one by
# one treat them as independent and make the intervals too narrow. The holdout is then cut in
# time order into blocks of consecutive rows, resampled whole as groups are (the
# non-overlapping block bootstrap), with the block length estimated from the errors' own
# autocorrelation (Politis and White 2004, with Patton, Politis and White's 2009 correction):
# about n^(1/3) rows times how persistent the errors are, and 1 (rows, as before) when they
# show no persistence beyond chance.


def block_length(series: np.ndarray) -> float:
    """Return the estimated optimal block length of a block bootstrap of the mean of
    `series` (in its order): 1.0 when its autocorrelation is within chance at every lag.

    Politis and White's rule: the first lag m after which KN lags in a row have an
    autocorrelation under 2 sqrt(log10(n) / n) sets the window M = 2m of a flat-top
    estimate of the spectral density at 0 (g) and of its derivative (G); the block is
    (2 G^2 / D)^(1/3) n^(1/3) rows, with D = 2 g^2 for non-overlapping blocks, at most
    min(3 sqrt(n), n / 3). Within 9% of arch's stationary-bootstrap length on AR(1)
    series (tests); arch's window starts a lag earlier and it never returns 1."""
    import numpy as np

    x = np.asarray(series, dtype=np.float64)
    n = len(x)
    if n < 8:
        return 1.0
    x = x - x.mean()
    if not np.any(x):
        return 1.0
    lags_in_a_row = max(5, int(np.ceil(np.sqrt(np.log10(n)))))
    max_lag = min(int(np.ceil(np.sqrt(n))) + lags_in_a_row, n - 1)
    # Every lag's autocovariance at once through the FFT (zero-padded, so not circular):
    # O(n log n), where a product per lag costs sqrt(n) passes over a million rows.
    spectrum = np.fft.rfft(x, 2 * n)
    covariance = np.fft.irfft(spectrum * np.conj(spectrum), 2 * n)[: max_lag + 1] / n
    small = np.abs(covariance[1:] / covariance[0]) < 2 * np.sqrt(np.log10(n) / n)
    m = next(
        (
            lag
            for lag in range(max_lag - lags_in_a_row + 1)
            if small[lag : lag + lags_in_a_row].all()
        ),
        max_lag,
    )
    window = min(2 * m, max_lag)
    if window == 0:
        return 1.0
    longest = min(3 * np.sqrt(n), n / 3)
    lags = np.arange(-window, window + 1)
    t = np.abs(lags) / window
    flat_top = np.where(t <= 0.5, 1.0, 2 * (1 - t))
    autocovariance = covariance[np.abs(lags)]
    derivative = float(np.sum(flat_top * np.abs(lags) * autocovariance))
    density = float(np.sum(flat_top * autocovariance))
    if density <= 0:
        # A cycle within the window (a season: nottem's monthly temperatures) cancels in the
        # density at 0, and the rule's ratio means nothing, though the errors persist
        # (their autocorrelation left the band at lag 1 and for m lags): blocks as long as
        # the window that holds that persistence.
        return float(np.clip(window, 1.0, longest))
    # Capped as arch's optimal_block_length caps it (after Patton's code): the estimate can
    # run away on a series that barely reverts.
    return float(np.clip((derivative**2 / density**2) ** (1 / 3) * n ** (1 / 3), 1.0, longest))


@dataclass(frozen=True)
class TimeBlocks:
    """The blocks of a time split's holdout (time_blocks): a block number per row, and each
    block's `length` in consecutive distinct times (rows, when no two rows share a time), the
    blocks' `count`, whether rows share times (`tied`), and the series whose errors set the
    length (`source`; None when none persists, every time a block of its own)."""

    blocks: np.ndarray
    length: int
    count: int
    tied: bool
    source: str | None


def time_blocks(moments: np.ndarray, series: dict[str, np.ndarray]) -> TimeBlocks:
    """Return the blocks of consecutive times the bootstrap resamples whole: the rows' times
    (`moments`, numbers in time order) and each model's errors row by row (`series`, by
    model). The errors are averaged per distinct time in time order (rows that share a time
    are never split by the file's order within it), the longest block_length of the models
    is the blocks' length in times, and the blocks are cut in time order."""
    import numpy as np

    moments = np.asarray(moments, dtype=np.float64)
    times, time_of_row = np.unique(moments, return_inverse=True)  # NaN last, one time each
    rows_per_time = np.bincount(time_of_row, minlength=len(times))
    length, source = 1.0, None
    for name, errors in series.items():
        per_time = np.bincount(time_of_row, weights=np.asarray(errors, np.float64)) / rows_per_time
        if (found := block_length(per_time)) > length:
            length, source = found, name
    times_each = max(1, round(length))
    blocks = time_of_row // times_each
    return TimeBlocks(
        blocks,
        times_each,
        int(blocks.max()) + 1 if len(blocks) else 0,
        bool(len(times) < len(moments)),
        source if times_each > 1 else None,
    )


def _sum_columns(counts: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Return counts summed over columns that share a group: (resamples, n_groups)."""
    import numpy as np

    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    summed = np.zeros((len(counts), n_groups), dtype=np.float64)
    if len(group):
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


def independent_difference(
    a: float | None,
    a_interval: list[float | None] | None,
    b: float | None,
    b_interval: list[float | None] | None,
) -> list[float] | None:
    """Return a 95% interval of a - b for a metric measured on two independent sets of rows
    (new labelled rows and the run's holdout), from each one's own 95% interval: Zou and
    Donner's MOVER (method of variance estimates recovery, 2008), which keeps each interval's
    asymmetry where a plain sum of variances would not. None when anything is undefined."""
    import math

    if a is None or b is None or not a_interval or not b_interval:
        return None
    (a_low, a_high), (b_low, b_high) = a_interval, b_interval
    if None in (a_low, a_high, b_low, b_high):
        return None
    difference = a - b
    low = difference - math.hypot(a - a_low, b_high - b)
    high = difference + math.hypot(a_high - a, b - b_low)
    return [low, high]


def best_f1_threshold(y_true: np.ndarray, score: np.ndarray) -> float:
    """Return the score threshold that maximises F1 for these labels and scores."""
    import numpy as np
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y_true, score)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    # The last precision/recall pair has no threshold (recall 0 by convention).
    return float(thresholds[int(np.argmax(f1[:-1]))])


# --- one score for each of many predictions (the audit's columns, permutation importance) ----
# scikit-learn's metric functions check their input first: about 5 ms a call, which the audit
# (three scores per column) and permutation importance (one per shuffled copy) paid thousands
# of times on wide tables. These take a stack of predictions, one per row of `scores`.


def roc_auc_rows(y_true: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Return the ROC AUC of 0/1 labels for each row of `scores` (or for a 1-D `scores`, a
    1-element array): the Mann-Whitney statistic with ties counted half, which is the area
    under the ROC curve (scikit-learn's roc_auc_score). NaN when the labels are one class."""
    import numpy as np

    positive = np.asarray(y_true) == 1
    scores = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    n_pos = int(positive.sum())
    n_neg = len(positive) - n_pos
    if n_pos == 0 or n_neg == 0:
        return np.full(len(scores), np.nan)
    # Ranks from 1, tied scores sharing their mean rank (scipy's rankdata, without its checks).
    n = scores.shape[1]
    order = np.argsort(scores, axis=1, kind="stable")
    ranked = np.take_along_axis(scores, order, axis=1)
    position = np.arange(n)
    starts = np.ones(ranked.shape, dtype=bool)
    starts[:, 1:] = ranked[:, 1:] != ranked[:, :-1]
    ends = np.ones(ranked.shape, dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=1)
    last = np.minimum.accumulate(np.where(ends, position, n - 1)[:, ::-1], axis=1)[:, ::-1]
    ranks = np.empty(ranked.shape)
    np.put_along_axis(ranks, order, (first + last) / 2 + 1, axis=1)
    return (ranks[:, positive].sum(axis=1) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def r2_rows(y_true: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Return R2 for each row of `predicted`; as scikit-learn's r2_score, 1.0 (perfect) or
    0.0 when the target is constant."""
    import numpy as np

    y = np.asarray(y_true, dtype=np.float64)
    predicted = np.atleast_2d(np.asarray(predicted, dtype=np.float64))
    residual = ((predicted - y) ** 2).sum(axis=1)
    total = float(((y - y.mean()) ** 2).sum())
    if total == 0:
        return np.where(residual == 0, 1.0, 0.0)
    return 1.0 - residual / total


def accuracy_rows(y_true: np.ndarray, proba: np.ndarray) -> np.ndarray:
    """Return the accuracy of the most probable class for each of a stack of class
    probabilities `proba` (copies, rows, classes)."""
    import numpy as np

    return (np.asarray(proba).argmax(axis=-1) == np.asarray(y_true)).mean(axis=-1)


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
    counts: np.ndarray | None = None,
    groups: np.ndarray | None = None,
) -> dict[str, dict[str, list[float | None]]]:
    """Return 95% bootstrap intervals of MULTICLASS_INTERVALS for each model's predicted
    classes, and of the paired differences with `reference`.

    Every metric here is a function of the confusion matrix, so a resample is a multinomial
    draw of (true class, each model's predicted class) cells, scored by
    multiclass_resample_metrics on the cells: exact, and cheap at any size. `groups` (a
    group number per row) resamples whole groups (see `_cell_draws`). `counts` (resamples x
    rows) gives the resamples' row counts instead of drawing them.
    """
    import numpy as np

    groups = _group_numbers(groups)
    names = list(predicted)
    key = np.asarray(y_true, dtype=np.int64)
    for name in names:
        key = key * n_classes + np.asarray(predicted[name], dtype=np.int64)
    cells, cell_of_row, rows = _cells_of_keys(key)
    if counts is None:
        rng = np.random.default_rng(seed)
        cell_counts = np.vstack(list(_cell_draws(rng, cell_of_row, rows, n_resamples, groups)))
    else:
        cell_counts = _sum_columns(np.atleast_2d(counts), cell_of_row, len(cells))
    true_class = cells // n_classes ** len(names)
    samples = {}
    for position, name in enumerate(names):
        # Decode this model's predicted class of every cell.
        later = len(names) - 1 - position
        model_class = (cells // n_classes**later) % n_classes
        samples[name] = multiclass_resample_metrics(true_class, model_class, n_classes, cell_counts)
    if counts is not None:
        return _intervals(samples, MULTICLASS_INTERVALS, reference)  # the raw percentiles
    y_true = np.asarray(y_true, dtype=np.int64)
    class_units = [_units(y_true == label, groups) for label in range(n_classes)]
    everything = _units(np.ones(len(key), dtype=bool), groups)
    per_model = _no_errors_in({"accuracy": everything, "f1_weighted": everything})
    if min(class_units) > 0:
        per_model.update(_classes_without_errors(class_units))
    return _no_errors_seen(
        _intervals(samples, MULTICLASS_INTERVALS, reference), dict.fromkeys(names, per_model)
    )


# --- regression ------------------------------------------------------------------------------
# As for the other tasks, regression_resample_metrics defines MAE, RMSE and R2 for weighted
# rows; the holdout estimate is it at unit counts. R2 is undefined (NaN, None in the holdout
# metrics) when the target does not vary: scikit-learn returns 0 or 1 there by convention.
#
# The metrics of a resample are made of sums over the rows drawn: of each model's absolute and
# squared errors, and of the target and its square. Rows with the same target and predictions
# are interchangeable, so up to EXACT_CELLS such cells a resample is drawn as counts of cells,
# exactly as for the other tasks. Beyond, rows are nearly all distinct and an exact draw costs
# a count per row (20 s for 1,000 resamples of 1M rows, see the binary section), so the draw
# is split, exactly, into cells: each of the TAIL_ROWS rows with the lowest and the highest
# target, and the lowest and highest error of each model, is a cell of its own (where the
# sums' skewness lives), and the other rows form BULK_STRATA strata of rows alike in how far
# they lie from the middle of every column. The sums over the tail rows drawn are then exact,
# and so is the number of draws m that fall in each stratum; the sums over those m draws (of
# every model jointly, so the differences stay paired) are drawn from their normal limit,
# with the exact mean and covariance of m draws from the stratum. What this leaves out is the
# strata's own skewness beyond that normal limit: measured (a lognormal target, errors with
# Student t tails, 20,000 rows and 20,000 resamples on each side), the resampled metrics have
# the row bootstrap's standard deviation within 1% and its skewness within its Monte Carlo
# error, and the interval ends move by about 1% of the interval's width, against a Monte Carlo
# error of about 2% of it for 1,000 resamples (tests and bench/intervals.py compare with
# resampling rows).

TAIL_ROWS = 500
BULK_STRATA = 64


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
        "mean_prediction": float(np.mean(predicted)),
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
    counts: np.ndarray | None = None,
    groups: np.ndarray | None = None,
) -> dict[str, dict[str, list[float | None]]]:
    """Return 95% bootstrap intervals of MAE, RMSE and R2 for each model, and of the paired
    differences with `reference`.

    Resamples are drawn as counts of cells of alike rows, or above EXACT_CELLS cells as exact
    tails and a bulk (see the section comment). `groups` (a group number per row) resamples
    whole groups, exactly at any size (see `_group_regression`). `counts` (resamples x rows)
    gives the resamples' row counts instead of drawing them.
    """
    import numpy as np

    y = np.asarray(y_true, dtype=np.float64)
    values = {name: np.asarray(p, dtype=np.float64) for name, p in predicted.items()}
    groups = _group_numbers(groups)
    if groups is not None and counts is None:
        samples = _group_regression(np.random.default_rng(seed), y, values, groups, n_resamples)
        return _intervals(samples, REGRESSION_INTERVALS, reference)
    cells = _regression_cells(y, list(values.values()))
    if counts is not None:
        counts = np.atleast_2d(np.asarray(counts, dtype=np.float64))
        if cells is None:
            samples = {
                name: regression_resample_metrics(y, v, counts) for name, v in values.items()
            }
            return _intervals(samples, REGRESSION_INTERVALS, reference)
    rng = np.random.default_rng(seed)
    if cells is None:
        samples = _tails_and_bulk(rng, y, values, n_resamples)
        return _intervals(samples, REGRESSION_INTERVALS, reference)
    cell_of_row, first, rows = cells
    # A resample counts the rows drawn from each cell, all alike: a count weighs one row's values.
    y_cell, ones = y[first], np.ones(len(rows))
    if counts is None:
        batches = (_draw(rng, rows, size) for size in _chunks(n_resamples, len(rows)))
    else:
        batches = iter([_sum_columns(counts, cell_of_row, len(rows))])
    parts: dict[str, list[np.ndarray]] = {name: [] for name in values}
    for drawn in batches:
        target = _target_sums(drawn, ones, y_cell, np.zeros(len(rows)), y_cell, y_cell)
        for name, value in values.items():
            error = y_cell - value[first]
            parts[name].append(_error_metrics(drawn, target, np.abs(error), error * error))
    samples = {name: np.hstack(part) for name, part in parts.items()}
    return _intervals(samples, REGRESSION_INTERVALS, reference)


def _group_regression(
    rng: np.random.Generator,
    y: np.ndarray,
    values: dict[str, np.ndarray],
    groups: np.ndarray,
    n_resamples: int,
) -> dict[str, np.ndarray]:
    """Return each model's MAE, RMSE and R2 (rows) over resamples of whole groups.

    MAE, RMSE and R2 are made of sums over the rows drawn, so a group drawn k times adds k
    times its own sums: a group is a unit of the kernel (its rows, sum and spread of the
    target, sums of each model's |error| and error^2), and a resample is the groups' counts.
    Exact, and a count per group rather than per row; beyond MAX_GROUP_UNITS groups, per
    union of groups (see there).
    """
    import numpy as np

    groups = _resampled_units(groups)
    n_groups = int(groups.max()) + 1

    def per_group(column: np.ndarray) -> np.ndarray:
        return np.bincount(groups, weights=column, minlength=n_groups)

    rows = np.bincount(groups, minlength=n_groups).astype(np.float64)
    y_sum = per_group(y)
    group_mean = y_sum / np.maximum(rows, 1)
    spread = per_group((y - group_mean[groups]) ** 2)
    low = np.full(n_groups, np.inf)
    high = np.full(n_groups, -np.inf)
    np.minimum.at(low, groups, y)
    np.maximum.at(high, groups, y)
    sums = {}
    for name, value in values.items():
        error = y - value
        sums[name] = (per_group(np.abs(error)), per_group(error * error))
    parts: dict[str, list[np.ndarray]] = {name: [] for name in values}
    for size in _chunks(n_resamples, n_groups):
        drawn = _draw(rng, np.ones(n_groups, dtype=np.int64), size)
        target = _target_sums(drawn, rows, y_sum, spread, low, high)
        for name, (abs_error, squared_error) in sums.items():
            parts[name].append(_error_metrics(drawn, target, abs_error, squared_error))
    return {name: np.hstack(part) for name, part in parts.items()}


def _regression_cells(
    y: np.ndarray, predictions: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Return (each row's cell, a row of each cell, rows per cell) for cells of rows with the
    same target and predictions, or None if there are more than EXACT_CELLS."""
    import numpy as np

    columns = [y, *predictions]
    # A column's distinct values among its first rows are at most its distinct values.
    if any(len(np.unique(column[: EXACT_CELLS + 1])) > EXACT_CELLS for column in columns):
        return None
    _, first, cell_of_row, rows = np.unique(
        np.column_stack(columns),
        axis=0,
        return_index=True,
        return_inverse=True,
        return_counts=True,
    )
    if len(rows) > EXACT_CELLS:
        return None
    return cell_of_row.ravel(), first, rows.astype(np.float64)


def _tails_and_bulk(
    rng: np.random.Generator, y: np.ndarray, values: dict[str, np.ndarray], n_resamples: int
) -> dict[str, np.ndarray]:
    """Return each model's resampled MAE, RMSE and R2 (rows) from exact tail rows and normal
    sums over strata of the bulk (see the section comment)."""
    import numpy as np

    n = len(y)
    errors = [y - value for value in values.values()]
    tails = min(TAIL_ROWS, n // 4)
    in_tail = np.zeros(n, dtype=bool)
    extremeness = np.zeros(n)
    every = max(1, n // 20_000)  # rows whose quartiles set a column's scale
    for column in (y, *errors):
        order = np.argpartition(column, (tails, n - tails - 1))
        in_tail[order[:tails]] = in_tail[order[n - tails :]] = True
        low, middle, high = np.percentile(column[::every], [25, 50, 75])
        distance = np.abs(column - middle)
        distance /= (high - low) or 1.0
        np.maximum(extremeness, distance, out=extremeness)
    # Strata of the bulk: rows alike in how far they lie from the middle in every column.
    bulk = np.flatnonzero(~in_tail)
    strata = min(BULK_STRATA, len(bulk))
    edges = np.quantile(extremeness[bulk][::every], np.linspace(0, 1, strata + 1)[1:-1])
    stratum = np.searchsorted(edges, extremeness[bulk]).astype(np.uint8)
    sizes = np.bincount(stratum, minlength=strata)
    sizes = sizes[sizes > 0]
    # The tail rows, then the strata one after the other.
    order = np.r_[np.flatnonzero(in_tail), bulk[np.argsort(stratum, kind="stable")]]
    # Per row (columns of `sums_of`): the target about its mean and its square (about the
    # mean, so that the sum of squares keeps its precision for a large target), then each
    # model's |error| and error^2.
    sums_of = np.empty((2 + 2 * len(errors), n))
    np.subtract(y[order], y.mean(), out=sums_of[0])
    np.square(sums_of[0], out=sums_of[1])
    for i, error in enumerate(errors):
        ordered_error = error[order]
        np.abs(ordered_error, out=sums_of[2 + 2 * i])
        np.square(ordered_error, out=sums_of[3 + 2 * i])
    n_tail = n - int(sizes.sum())
    tail, strata_rows = sums_of[:, :n_tail].T, sums_of[:, n_tail:]
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    means = np.add.reduceat(strata_rows, starts, axis=1) / sizes
    roots = np.empty((len(sizes), len(sums_of), len(sums_of)))
    for k, (start, size) in enumerate(zip(starts, sizes, strict=True)):
        deviations = strata_rows[:, start : start + size] - means[:, k : k + 1]
        # A square root of the covariance of one draw; eigh, because sums that are functions
        # of each other (a constant model's error is the target, shifted) make it singular.
        eigenvalues, eigenvectors = np.linalg.eigh(deviations @ deviations.T / size)
        roots[k] = eigenvectors * np.sqrt(np.clip(eigenvalues, 0, None))
    rows = np.r_[np.ones(len(tail)), sizes]
    parts = []
    for size in _chunks(n_resamples, len(rows)):
        drawn = _draw(rng, rows, size)
        in_strata = drawn[:, len(tail) :]
        normal = rng.standard_normal((size, len(sizes), len(sums_of)))
        spread = np.einsum("bs,sdk,bsk->bd", np.sqrt(in_strata), roots, normal)
        parts.append(drawn[:, : len(tail)] @ tail + in_strata @ means.T + spread)
    sums = np.vstack(parts)
    with np.errstate(divide="ignore", invalid="ignore"):
        squares = sums[:, 1] - sums[:, 0] ** 2 / n  # of the target about the resample's mean
        # A resample whose target does not vary leaves only rounding (R2 undefined).
        varies = (squares > 1e-9 * sums[:, 1]) & (np.ptp(y) > 0)
        samples = {}
        for i, name in enumerate(values):
            absolute, squared = sums[:, 2 + 2 * i], np.maximum(sums[:, 3 + 2 * i], 0.0)
            r2 = np.where(varies, 1 - squared / squares, np.nan)
            samples[name] = np.vstack([absolute / n, np.sqrt(squared / n), r2])
    return samples
