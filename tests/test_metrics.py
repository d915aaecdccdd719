"""Tests of ml_baseline.metrics: the vectorised weighted metrics against scikit-learn, the
bootstrap intervals, the holdout metrics and the F1-optimal threshold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from ml_baseline import metrics
from ml_baseline.metrics import (
    INTERVAL_METRICS,
    best_f1_threshold,
    binary_metrics,
    bootstrap_intervals,
    weighted_metrics,
)


def sklearn_metrics(y_true: np.ndarray, score: np.ndarray, predicted: np.ndarray) -> list:
    """INTERVAL_METRICS computed by scikit-learn, in order."""
    return [
        skm.roc_auc_score(y_true, score),
        skm.average_precision_score(y_true, score),
        skm.accuracy_score(y_true, predicted),
        skm.precision_score(y_true, predicted, zero_division=0),
        skm.recall_score(y_true, predicted, zero_division=0),
        skm.f1_score(y_true, predicted, zero_division=0),
    ]


@st.composite
def labels_and_scores(draw: st.DrawFn, min_size: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Labels with both classes, and scores drawn from a few values (many ties) or freely."""
    n = draw(st.integers(min_size, 40))
    y_true = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    assume(0 < y_true.sum() < n)
    values = st.one_of(
        st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),
        st.floats(0, 1, allow_subnormal=False),
    )
    score = np.array(draw(st.lists(values, min_size=n, max_size=n)), dtype=np.float64)
    return y_true, score


def model_data(n: int, seed: int = 0) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Labels (~30% positive), an informative model score and a constant baseline score."""
    rng = np.random.default_rng(seed)
    y_true = (rng.random(n) < 0.3).astype(np.int64)
    model = 1 / (1 + np.exp(-(1.5 * y_true - 0.8 + rng.normal(size=n))))
    baseline = np.full(n, y_true.mean())
    return y_true, {"baseline": baseline, "model": model}


THRESHOLDS = {"baseline": 0.5, "model": 0.4}


# --- weighted metrics ---------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(labels_and_scores(), st.floats(0, 1))
def test_weighted_metrics_with_unit_counts_equal_sklearn(drawn, threshold: float) -> None:
    y_true, score = drawn
    # Thresholds that fall on a score exercise `>=`.
    threshold = score[0] if threshold < 0.2 else threshold
    predicted = score >= threshold
    got = weighted_metrics(y_true, score, predicted, np.ones((1, len(y_true))))
    assert got.shape == (len(INTERVAL_METRICS), 1)
    np.testing.assert_allclose(
        got[:, 0], sklearn_metrics(y_true, score, predicted), rtol=1e-12, atol=1e-12
    )


@settings(max_examples=60, deadline=None)
@given(labels_and_scores(), st.data())
def test_weighted_metrics_counts_act_as_repeated_rows(drawn, data: st.DataObject) -> None:
    y_true, score = drawn
    predicted = score >= 0.5
    n = len(y_true)
    counts = np.array(
        [data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)) for _ in range(3)]
    )
    got = weighted_metrics(y_true, score, predicted, counts)
    assert got.shape == (len(INTERVAL_METRICS), 3)
    for b, row in enumerate(counts):
        y_rep, s_rep, p_rep = (np.repeat(a, row) for a in (y_true, score, predicted))
        positives = y_rep.sum()
        if 0 < positives < len(y_rep):
            np.testing.assert_allclose(
                got[:, b], sklearn_metrics(y_rep, s_rep, p_rep), rtol=1e-12, atol=1e-12
            )
        else:
            # Undefined for a resample with one class: NaN, left out of the percentiles.
            assert np.isnan(got[0, b])
            assert np.isnan(got[1, b]) == (positives == 0)


def test_weighted_metrics_by_hand() -> None:
    y_true = np.array([1, 0, 1, 0])
    score = np.array([0.9, 0.9, 0.4, 0.1])  # a tie between a positive and a negative
    predicted = score >= 0.5
    (roc_auc, pr_auc, accuracy, precision, recall, f1) = weighted_metrics(
        y_true, score, predicted, np.ones((1, 4))
    )[:, 0]
    # Pairs (pos, neg): (0.9, 0.9) tie -> 0.5, (0.9, 0.1) 1, (0.4, 0.9) 0, (0.4, 0.1) 1.
    assert roc_auc == pytest.approx(2.5 / 4)
    # Recall steps of 1/2 at precision 1/2 (first group) and 2/3.
    assert pr_auc == pytest.approx(0.5 * 0.5 + 0.5 * 2 / 3)
    assert (accuracy, precision, recall, f1) == pytest.approx((0.5, 0.5, 0.5, 0.5))


# --- bootstrap ----------------------------------------------------------------------------------


def test_bootstrap_intervals_are_deterministic_for_a_seed() -> None:
    y_true, scores = model_data(300)
    first = bootstrap_intervals(y_true, scores, THRESHOLDS, n_resamples=200, seed=3)
    again = bootstrap_intervals(y_true, scores, THRESHOLDS, n_resamples=200, seed=3)
    other = bootstrap_intervals(y_true, scores, THRESHOLDS, n_resamples=200, seed=4)
    assert first == again
    assert first != other


def test_bootstrap_intervals_shape_and_order() -> None:
    y_true, scores = model_data(400)
    intervals = bootstrap_intervals(y_true, scores, THRESHOLDS, n_resamples=300)
    assert set(intervals) == {"baseline", "model"}
    for name, by_metric in intervals.items():
        assert list(by_metric) == list(INTERVAL_METRICS)
        for metric, (low, high) in by_metric.items():
            assert low is not None and high is not None, (name, metric)
            assert 0.0 <= low <= high <= 1.0, (name, metric)
    # An informative score has a proper interval; a constant score ranks nothing.
    assert intervals["model"]["roc_auc"][0] < intervals["model"]["roc_auc"][1]
    assert intervals["baseline"]["roc_auc"] == [0.5, 0.5]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bootstrap_intervals_contain_the_point_estimate(seed: int) -> None:
    y_true, scores = model_data(500, seed=seed)
    intervals = bootstrap_intervals(y_true, scores, THRESHOLDS, n_resamples=400, seed=seed)
    for name, score in scores.items():
        point = binary_metrics(y_true, score, THRESHOLDS[name])
        for metric in INTERVAL_METRICS:
            low, high = intervals[name][metric]
            assert low <= point[metric] <= high, (name, metric, low, point[metric], high)


def test_bootstrap_intervals_paired_difference() -> None:
    y_true, scores = model_data(500)
    scores["other"] = scores["model"][::-1].copy()  # uninformative
    thresholds = {**THRESHOLDS, "other": 0.4}
    intervals = bootstrap_intervals(
        y_true, scores, thresholds, n_resamples=300, reference="baseline"
    )
    assert set(intervals) == {
        "baseline",
        "model",
        "other",
        "model_minus_baseline",
        "other_minus_baseline",
    }
    # The model clearly outranks a constant score; the difference interval is above 0.
    low, high = intervals["model_minus_baseline"]["roc_auc"]
    assert 0 < low <= high
    # With a constant baseline (AUC 0.5 in every resample) the difference is a plain shift.
    model_low, model_high = intervals["model"]["roc_auc"]
    assert (low, high) == pytest.approx((model_low - 0.5, model_high - 0.5))

    without = bootstrap_intervals(y_true, scores, thresholds, n_resamples=300)
    assert set(without) == {"baseline", "model", "other"}


def test_bootstrap_intervals_undefined_metric_is_none() -> None:
    # Two positives among 200 rows: most resamples still have one, some have none.
    y_true = np.zeros(200, dtype=np.int64)
    y_true[:2] = 1
    score = np.linspace(0, 1, 200)
    intervals = bootstrap_intervals(y_true, {"m": score}, {"m": 0.5}, n_resamples=100)
    assert all(low is not None for low, _ in intervals["m"].values())
    only_negatives = np.zeros(50, dtype=np.int64)
    intervals = bootstrap_intervals(only_negatives, {"m": score[:50]}, {"m": 0.5}, n_resamples=50)
    assert intervals["m"]["roc_auc"] == [None, None]
    assert intervals["m"]["pr_auc"] == [None, None]
    assert intervals["m"]["accuracy"][0] is not None


def test_bootstrap_binned_path_is_close_to_the_exact_path(monkeypatch: pytest.MonkeyPatch) -> None:
    n = 6000
    assert n > metrics.EXACT_ROWS
    y_true, scores = model_data(n, seed=5)
    binned = bootstrap_intervals(
        y_true, scores, THRESHOLDS, n_resamples=500, seed=1, reference="baseline"
    )
    monkeypatch.setattr(metrics, "EXACT_ROWS", n)
    exact = bootstrap_intervals(
        y_true, scores, THRESHOLDS, n_resamples=500, seed=1, reference="baseline"
    )
    assert set(binned) == set(exact)
    for name in exact:
        for metric in INTERVAL_METRICS:
            assert binned[name][metric] == pytest.approx(exact[name][metric], abs=0.01), (
                name,
                metric,
            )


# --- holdout metrics and threshold --------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(labels_and_scores(), st.floats(0, 1))
def test_binary_metrics_confusion_adds_up(drawn, threshold: float) -> None:
    y_true, score = drawn
    result = binary_metrics(y_true, score, threshold)
    confusion = result["confusion"]
    assert sum(confusion.values()) == result["n"] == len(y_true)
    assert confusion["tp"] + confusion["fn"] == y_true.sum()
    assert confusion["tp"] + confusion["fp"] == (score >= threshold).sum()
    assert result["accuracy"] == pytest.approx((confusion["tp"] + confusion["tn"]) / len(y_true))
    assert result["positive_rate"] == pytest.approx((score >= threshold).mean())
    assert result["prevalence"] == pytest.approx(y_true.mean())
    # The same numbers as the bootstrap's formulas at unit counts.
    unit = weighted_metrics(y_true, score, score >= threshold, np.ones((1, len(y_true))))[:, 0]
    assert [result[m] for m in INTERVAL_METRICS] == pytest.approx(unit.tolist(), abs=1e-12)


def test_binary_metrics_with_one_class_has_no_ranking_metrics() -> None:
    y_true = np.zeros(10, dtype=np.int64)
    result = binary_metrics(y_true, np.linspace(0, 1, 10), 0.5)
    assert result["roc_auc"] is None
    assert result["pr_auc"] is None
    assert result["confusion"] == {"tn": 5, "fp": 5, "fn": 0, "tp": 0}
    assert result["n"] == 10


def _f1_at(y_true: np.ndarray, score: np.ndarray, threshold: float) -> float:
    predicted = score >= threshold
    tp = int((predicted & (y_true == 1)).sum())
    return 2 * tp / (predicted.sum() + y_true.sum())


@settings(max_examples=100, deadline=None)
@given(labels_and_scores())
def test_best_f1_threshold_maximises_f1(drawn) -> None:
    y_true, score = drawn
    threshold = best_f1_threshold(y_true, score)
    assert threshold in set(score.tolist())
    brute_force = max(_f1_at(y_true, score, t) for t in np.unique(score))
    assert _f1_at(y_true, score, threshold) == pytest.approx(brute_force, abs=1e-12)


def test_best_f1_threshold_by_hand() -> None:
    y_true = np.array([0, 0, 1, 0, 1, 1])
    score = np.array([0.1, 0.2, 0.3, 0.4, 0.8, 0.9])
    # >= 0.8: P 1, R 2/3, F1 0.8; >= 0.3: P 3/4, R 1, F1 6/7 (best); >= 0.1: F1 2/3.
    assert best_f1_threshold(y_true, score) == 0.3


# --- curves for the plots (numpy only, so that the plot worker needs no scikit-learn) --------


@settings(max_examples=100, deadline=None)
@given(data=labels_and_scores())
def test_curves_equal_sklearn(data: tuple[np.ndarray, np.ndarray]) -> None:
    from sklearn.calibration import calibration_curve

    y_true, score = data
    fpr, tpr, _ = skm.roc_curve(y_true, score, drop_intermediate=False)
    ours = metrics.roc_points(y_true, score)
    np.testing.assert_allclose(ours[0], fpr)
    np.testing.assert_allclose(ours[1], tpr)
    precision, recall, _ = skm.precision_recall_curve(y_true, score, drop_intermediate=False)
    ours = metrics.precision_recall_points(y_true, score)
    np.testing.assert_allclose(ours[0], precision)
    np.testing.assert_allclose(ours[1], recall)
    observed, predicted = calibration_curve(y_true, score, n_bins=10, strategy="quantile")
    ours = metrics.calibration_points(y_true, score, n_bins=10)
    np.testing.assert_allclose(ours[0], observed)
    np.testing.assert_allclose(ours[1], predicted)


def test_confusion_counts_equal_sklearn() -> None:
    rng = np.random.default_rng(3)
    y_true, predicted = rng.integers(0, 4, 500), rng.integers(0, 4, 500)
    expected = skm.confusion_matrix(y_true, predicted, labels=[0, 1, 2, 3])
    np.testing.assert_array_equal(metrics.confusion_counts(y_true, predicted, 4), expected)
    # A class never seen still has its row and column.
    np.testing.assert_array_equal(
        metrics.confusion_counts(np.array([0, 0]), np.array([0, 2]), 3),
        [[1, 0, 1], [0, 0, 0], [0, 0, 0]],
    )


def test_roc_points_of_one_class_are_undefined_not_an_error() -> None:
    fpr, tpr = metrics.roc_points(np.array([1, 1, 1]), np.array([0.2, 0.5, 0.9]))
    assert np.isnan(fpr).all() and tpr[-1] == 1.0
