"""How often a 95% percentile bootstrap interval holds on a small holdout: the evidence for
the verdict's smallest holdout (verdict.MIN_HOLDOUT_ROWS).

    uv run python bench/holdout_size.py             # about 4 minutes here
    uv run python bench/holdout_size.py --trials 500

A model's gain over the baseline in MAE is a mean over holdout rows of the per-row difference
of their errors. For each holdout size, draw that many differences with a true mean of 0 from
a distribution (normal; lognormal, a skewed one; Student t with 3 degrees of freedom, heavy
tails), take the 95% percentile bootstrap interval of their mean (1,000 resamples, as `train`
does) and count how often it holds the true 0. An interval that holds it 95% of the time
deserves its name; on 2 rows it holds it half the time.

A second table does the same for binary ROC AUC, whose interval rests on the smaller class
(verdict.MIN_HOLDOUT_ROWS applies to it too): holdouts of 150 negatives and 2 to 30 positives,
scores normal with a shift that makes the true ROC AUC 0.80 or 0.95, the interval that
`train` computes (metrics.bootstrap_intervals), and how often it holds the true ROC AUC.

A third does it for multiclass balanced accuracy and macro F1, averages over the classes that
give a rare class the weight of a common one: holdouts of 3 or 5 classes, 50 rows of each but
one with 2 to 30, a model right on 70% of each class's rows (its mistakes spread evenly over
the other classes), the intervals that `train` computes (metrics.multiclass_intervals), and
how often they hold the metric on the population (the expected confusion matrix).
"""

from __future__ import annotations

import argparse

import numpy as np

SIZES = (2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30)
RESAMPLES = 1_000


def coverage(draw, n: int, trials: int, rng: np.random.Generator) -> float:
    """Return the share of `trials` samples of `n` draws whose bootstrap interval holds 0."""
    held = 0
    for _ in range(trials):
        sample = draw(n)
        means = sample[rng.integers(0, n, size=(RESAMPLES, n))].mean(axis=1)
        low, high = np.percentile(means, [2.5, 97.5])
        held += low <= 0 <= high
    return held / trials


POSITIVES = (2, 3, 5, 7, 10, 15, 30)
NEGATIVES = 150


def auc_coverage(true_auc: float, positives: int, trials: int, rng: np.random.Generator) -> float:
    """Return the share of `trials` holdouts (`positives` positives, NEGATIVES negatives) whose
    ROC AUC interval, as `train` computes it, holds `true_auc`."""
    from scipy.stats import norm

    from ml_baseline.metrics import bootstrap_intervals

    shift = np.sqrt(2) * norm.ppf(true_auc)  # P(X + shift > Y) for X, Y standard normal
    y = np.r_[np.ones(positives, dtype=np.int64), np.zeros(NEGATIVES, dtype=np.int64)]
    held = 0
    for trial in range(trials):
        score = np.r_[rng.normal(shift, 1, positives), rng.normal(0, 1, NEGATIVES)]
        low, high = bootstrap_intervals(y, {"m": score}, {"m": 0.5}, seed=trial)["m"]["roc_auc"]
        held += low <= true_auc <= high
    return held / trials


RARE_ROWS = (2, 3, 5, 7, 10, 15, 30)
COMMON_ROWS = 50
RIGHT = 0.7


def multiclass_coverage(
    classes: int, rare: int, trials: int, rng: np.random.Generator
) -> tuple[float, float]:
    """Return the shares of `trials` holdouts (`classes` classes of COMMON_ROWS rows, the last
    of `rare`) whose balanced accuracy and macro F1 intervals, as `train` computes them, hold
    the population's values."""
    from ml_baseline.metrics import multiclass_intervals

    sizes = np.array([COMMON_ROWS] * (classes - 1) + [rare])
    wrong = (1 - RIGHT) / (classes - 1)
    chance = np.full((classes, classes), wrong) + np.eye(classes) * (RIGHT - wrong)
    expected = sizes[:, None] * chance  # rows true, columns predicted
    hits, actual, chosen = np.diag(expected), expected.sum(axis=1), expected.sum(axis=0)
    truth = {"balanced_accuracy": RIGHT, "f1_macro": float(np.mean(2 * hits / (actual + chosen)))}
    y = np.repeat(np.arange(classes), sizes)
    held = dict.fromkeys(truth, 0)
    for trial in range(trials):
        predicted = np.array([rng.choice(classes, p=chance[label]) for label in y])
        intervals = multiclass_intervals(y, {"m": predicted}, classes, seed=trial)["m"]
        for metric, value in truth.items():
            low, high = intervals[metric]
            held[metric] += low <= value <= high
    return held["balanced_accuracy"] / trials, held["f1_macro"] / trials


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=2_000, help="samples per size")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    distributions = {
        "normal": lambda n: rng.normal(size=n),
        "lognormal": lambda n: rng.lognormal(sigma=1.0, size=n) - np.exp(0.5),
        "Student t, 3 df": lambda n: rng.standard_t(3, size=n),
    }
    print(f"Coverage of the 95% percentile bootstrap interval of a mean ({args.trials} samples)")
    print()
    print("| holdout rows | " + " | ".join(distributions) + " |")
    print("| ---: |" + " ---: |" * len(distributions))
    for n in SIZES:
        held = [coverage(draw, n, args.trials, rng) for draw in distributions.values()]
        print(f"| {n} | " + " | ".join(f"{share:.3f}" for share in held) + " |")
    trials = max(1, args.trials // 4)  # a ROC AUC interval costs more than a mean's
    print()
    print(f"Coverage of the 95% ROC AUC interval, {NEGATIVES} negatives ({trials} holdouts)")
    print()
    print("| holdout positives | true ROC AUC 0.80 | true ROC AUC 0.95 |")
    print("| ---: | ---: | ---: |")
    for positives in POSITIVES:
        held = [auc_coverage(auc, positives, trials, rng) for auc in (0.80, 0.95)]
        print(f"| {positives} | " + " | ".join(f"{share:.3f}" for share in held) + " |")
    print()
    print(
        f"Coverage of the 95% balanced accuracy / macro F1 intervals, {COMMON_ROWS} rows of "
        f"each class but one, {RIGHT:.0%} right on each ({trials} holdouts)"
    )
    print()
    print("| rows of the rare class | 3 classes | 5 classes |")
    print("| ---: | ---: | ---: |")
    for rare in RARE_ROWS:
        held = [multiclass_coverage(classes, rare, trials, rng) for classes in (3, 5)]
        print(f"| {rare} | " + " | ".join(f"{a:.3f} / {b:.3f}" for a, b in held) + " |")


if __name__ == "__main__":
    main()
