"""How long the bootstrap intervals take, and how far they are from resampling rows.

For each task (binary, multiclass with 3 classes, regression) and holdout size, times the
task's intervals (1,000 resamples, a model and its baseline on the same resamples, as `train`
computes them) as the median of several runs, and on the smaller sizes compares the interval
ends with a direct reference: draw the holdout's rows with replacement 1,000 times, score each
resample with scikit-learn, take the 2.5% and 97.5% percentiles. Both sides are Monte Carlo
estimates from 1,000 resamples, so their ends differ by about 0.12 standard deviations of the
metric (0.085 each) even when both are exact: the table gives the largest difference in those
units too.

    uv run python bench/intervals.py                       # 1k, 10k, 100k, 1M; reference to 10k
    uv run python bench/intervals.py --sizes 1000,10000 --reference-sizes 1000,10000 --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn import metrics as skm

from ml_baseline import metrics

RESAMPLES = 1_000


def binary_holdout(n: int, seed: int) -> dict[str, Any]:
    """Rain tomorrow (22%) scored like a gradient-boosting model scores a weather table: over
    half the scores below 0.001; a majority-class baseline scoring 0."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.22).astype(np.int64)
    piled = rng.beta(0.3, 200, n)
    model = np.where((y == 1) & (rng.random(n) > 0.2), rng.beta(3, 2, n), piled)
    return {
        "y": y,
        "outputs": {"baseline": np.zeros(n), "model": model},
        "thresholds": {"baseline": 0.5, "model": 0.4},
    }


def multiclass_holdout(n: int, seed: int) -> dict[str, Any]:
    """Three classes (50/30/20%), a model right 70% of the time, the majority class."""
    rng = np.random.default_rng(seed)
    y = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    model = np.where(rng.random(n) < 0.7, y, rng.integers(0, 3, n))
    return {"y": y, "outputs": {"baseline": np.zeros(n, dtype=np.int64), "model": model}}


def regression_holdout(n: int, seed: int) -> dict[str, Any]:
    """A skewed target (lognormal, like prices or salaries), a model with heavy-tailed errors
    (Student t, 3 degrees of freedom) and the training mean as baseline."""
    rng = np.random.default_rng(seed)
    y = np.exp(rng.normal(10, 1, n))
    model = y + 0.3 * y.std() * rng.standard_t(3, n)
    return {"y": y, "outputs": {"baseline": np.full(n, y.mean() * 1.01), "model": model}}


def binary_intervals(holdout: dict[str, Any]) -> dict[str, Any]:
    return metrics.bootstrap_intervals(
        holdout["y"], holdout["outputs"], holdout["thresholds"], reference="baseline"
    )


def multiclass_intervals(holdout: dict[str, Any]) -> dict[str, Any]:
    return metrics.multiclass_intervals(holdout["y"], holdout["outputs"], 3, reference="baseline")


def regression_intervals(holdout: dict[str, Any]) -> dict[str, Any]:
    return metrics.regression_intervals(holdout["y"], holdout["outputs"], reference="baseline")


def binary_reference(holdout: dict[str, Any], rows: np.ndarray) -> dict[str, np.ndarray]:
    y = holdout["y"]
    samples = {}
    for name, score in holdout["outputs"].items():
        predicted = score >= holdout["thresholds"][name]
        values = []
        for r in rows:
            truth, guess = y[r], predicted[r]
            precision, recall, f1, _ = skm.precision_recall_fscore_support(
                truth, guess, average="binary", zero_division=0
            )
            ranked = 0 < truth.sum() < len(truth)
            values.append(
                [
                    skm.roc_auc_score(truth, score[r]) if ranked else np.nan,
                    skm.average_precision_score(truth, score[r]) if ranked else np.nan,
                    skm.accuracy_score(truth, guess),
                    precision,
                    recall,
                    f1,
                ]
            )
        samples[name] = np.array(values).T
    return samples


def multiclass_reference(holdout: dict[str, Any], rows: np.ndarray) -> dict[str, np.ndarray]:
    y = holdout["y"]
    samples = {}
    for name, predicted in holdout["outputs"].items():
        values = []
        for r in rows:
            truth, guess = y[r], predicted[r]
            values.append(
                [
                    skm.accuracy_score(truth, guess),
                    skm.balanced_accuracy_score(truth, guess),
                    skm.f1_score(truth, guess, average="macro", zero_division=0),
                    skm.f1_score(truth, guess, average="weighted", zero_division=0),
                ]
            )
        samples[name] = np.array(values).T
    return samples


def regression_reference(holdout: dict[str, Any], rows: np.ndarray) -> dict[str, np.ndarray]:
    y = holdout["y"]
    samples = {}
    for name, predicted in holdout["outputs"].items():
        parts = []
        for chunk in np.array_split(rows, max(1, rows.size // 5_000_000)):
            truth, guess = y[chunk].T, predicted[chunk].T  # columns are resamples
            parts.append(
                np.vstack(
                    [
                        skm.mean_absolute_error(truth, guess, multioutput="raw_values"),
                        np.sqrt(skm.mean_squared_error(truth, guess, multioutput="raw_values")),
                        skm.r2_score(truth, guess, multioutput="raw_values"),
                    ]
                )
            )
        samples[name] = np.hstack(parts)
    return samples


TASKS: dict[str, tuple[Callable, Callable, Callable, tuple[str, ...]]] = {
    "binary": (binary_holdout, binary_intervals, binary_reference, metrics.INTERVAL_METRICS),
    "multiclass": (
        multiclass_holdout,
        multiclass_intervals,
        multiclass_reference,
        metrics.MULTICLASS_INTERVALS,
    ),
    "regression": (
        regression_holdout,
        regression_intervals,
        regression_reference,
        metrics.REGRESSION_INTERVALS,
    ),
}


def compare(
    intervals: dict[str, Any], samples: dict[str, np.ndarray], names: tuple[str, ...]
) -> tuple[float, float, str]:
    """Return the largest difference of an interval end from the reference's, absolute and in
    standard deviations of the reference's resampled metric, and where."""
    samples = {**samples, "model_minus_baseline": samples["model"] - samples["baseline"]}
    worst = (0.0, 0.0, "")
    for name, values in samples.items():
        for metric, row in zip(names, values, strict=True):
            row = row[np.isfinite(row)]
            got = intervals[name][metric]
            if got[0] is None or len(row) == 0:
                continue
            difference = np.abs(np.array(got) - np.percentile(row, [2.5, 97.5])).max()
            spread = row.std()
            in_sd = difference / spread if spread > 0 else 0.0
            if in_sd > worst[1]:
                worst = (float(difference), float(in_sd), f"{name} {metric}")
    return worst


def percentile_intervals(samples: dict[str, np.ndarray], names: tuple[str, ...]) -> dict[str, Any]:
    """The intervals a reference's resamples give, as the bootstrap reports them."""
    samples = {**samples, "model_minus_baseline": samples["model"] - samples["baseline"]}
    out: dict[str, Any] = {}
    for name, values in samples.items():
        out[name] = {}
        for metric, row in zip(names, values, strict=True):
            row = row[np.isfinite(row)]
            out[name][metric] = np.percentile(row, [2.5, 97.5]) if len(row) else [None, None]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--reference-sizes", default="1000,10000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tasks", default=",".join(TASKS))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    reference_sizes = {int(s) for s in args.reference_sizes.split(",") if s}
    print(
        f"| holdout rows | task | median seconds ({args.repeats} runs) | largest end difference "
        "from resampling rows, in standard deviations of the metric (where) | the same between "
        "two resamplings of rows (Monte Carlo alone) |"
    )
    print("| ---: | --- | ---: | --- | --- |")
    for n in sizes:
        for task in args.tasks.split(","):
            make, intervals_of, reference_of, names = TASKS[task]
            holdout = make(n, seed=n)
            intervals_of(holdout)  # warm-up: imports, caches
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                intervals = intervals_of(holdout)
                times.append(time.perf_counter() - start)
            row = f"| {n:,} | {task} | {statistics.median(times):.3f} |"
            if n in reference_sizes:
                print(f"references: {task}, {n:,} rows ...", file=sys.stderr)
                first, second = (
                    reference_of(
                        holdout, np.random.default_rng(n + k).integers(0, n, (RESAMPLES, n))
                    )
                    for k in (1, 2)
                )
                _, in_sd, where = compare(intervals, first, names)
                _, alone, alone_where = compare(percentile_intervals(second, names), first, names)
                row += f" {in_sd:.3f} ({where}) | {alone:.3f} ({alone_where}) |"
            else:
                row += " | |"
            print(row, flush=True)


if __name__ == "__main__":
    main()
