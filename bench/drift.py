"""The drift benchmark: false alarms on data like training, detection of real shifts, cost.

    uv run --group bench python bench/drift.py --quick    # a few seeds and tables
    uv run --group bench python bench/drift.py --write    # the full run -> RESULTS-drift.md

- False alarms: a run trained on the sample data (seed 42) scores fresh samples of the same
  generator (other seeds) at 1,000, 10,000 and 100,000 rows; and on each real table of the
  leakage benchmark's corpus, a run trained on one random half scores the other half. Any
  column reported as drifted is a false alarm.
- Detection: fresh 10,000-row samples with one shift each (a numeric feature's mean moved by
  0.5 standard deviation, a category's share moved by 20 points, the missing share of a
  column from 2% to 20%, the positive rate of the score doubled): is the shifted column named?
- Cost: predict on a 1,000,000-row table with and without drift counting, alternately in one
  process, median of several runs.

Only the product's public API is used (train, predict and their results).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work" / "drift"
RESULTS = BENCH / "RESULTS-drift.md"
sys.path.insert(0, str(BENCH))


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def sample(rows: int, seed: int) -> pd.DataFrame:
    from ml_baseline.data import make_sample_features

    return make_sample_features(rows, seed).to_pandas()


def train_on(frame: pd.DataFrame, target: str, task: str, name: str, seed: int = 0) -> Path:
    """Train on `frame` and return the run folder."""
    from ml_baseline.training import TrainConfig, train

    path = WORK / "tables" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    config = TrainConfig(
        target=target,
        features=path,
        task=task,
        id_columns=[],
        seed=seed,
        models_dir=WORK / "models",
    )
    return train(config).run_dir


def drifted(run: Path, frame: pd.DataFrame, name: str) -> list[str]:
    """Score `frame` with the run and return the names of the columns reported as drifted;
    the columns noted for rows outside their training range go to OUTSIDE[name]."""
    from ml_baseline.scoring import predict

    path = WORK / "inputs" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    result = predict(path, WORK / "out" / f"{name}.csv", run=str(run), models_dir=WORK / "models")
    assert result.drift is not None
    OUTSIDE[name] = [c.name for c in result.drift.features if c.notable_outside]
    return [column.name for column in result.drift.drifted]


OUTSIDE: dict[str, list[str]] = {}  # per scoring: the columns noted as outside training's range


# --- false alarms --------------------------------------------------------------------------


def sample_false_alarms(seeds: int) -> list[list[str]]:
    rows = []
    run = train_on(sample(1000, 42), "is_high_value", "binary", "sample_42")
    for size in (1_000, 10_000, 100_000):
        alarms = []
        for seed in range(1, seeds + 1):
            names = drifted(run, sample(size, seed), f"sample_{size}_{seed}")
            alarms.append(names)
            if names:
                log(f"false alarm: sample {size} rows seed {seed}: {names}")
        outside = [OUTSIDE[f"sample_{size}_{seed}"] for seed in range(1, seeds + 1)]
        rows.append(
            [
                f"sample data, trained on seed 42 (1,000 rows), fresh seeds of {size:,} rows",
                str(seeds),
                str(sum(bool(a) for a in alarms)),
                ", ".join(sorted({n for a in alarms for n in a})) or "-",
                str(sum(bool(a) for a in outside)),
                ", ".join(sorted({n for a in outside for n in a})) or "-",
            ]
        )
    return rows


def corpus_false_alarms(seeds: int, quick: bool) -> list[list[str]]:
    from audit_corpus import CORPUS, QUICK

    tables = [t for t in CORPUS if t.name in QUICK] if quick else CORPUS
    runs = alarms = outside_runs = 0
    named: list[str] = []
    outside: list[str] = []
    for table in tables:
        frame = table.honest()
        for seed in range(seeds):
            order = np.random.default_rng(seed).permutation(len(frame))
            half = len(frame) // 2
            first, second = frame.iloc[order[:half]], frame.iloc[order[half:]]
            name = f"{table.name}_{seed}"
            try:
                run = train_on(first, table.target, table.task, name, seed)
                names = drifted(run, second, name)
            except Exception as exc:  # a table the tool refuses is not a drift result
                log(f"{name}: skipped ({type(exc).__name__}: {exc})")
                continue
            runs += 1
            if names:
                alarms += 1
                named.extend(f"{table.name}.{n}" for n in names)
                log(f"false alarm: {name}: {names}")
            if OUTSIDE[name]:
                outside_runs += 1
                outside.extend(f"{table.name}.{n}" for n in OUTSIDE[name])
                log(f"outside-range note: {name}: {OUTSIDE[name]}")
    return [
        [
            f"{len(tables)} real tables: trained on a random half, scoring the other half",
            str(runs),
            str(alarms),
            ", ".join(sorted(set(named))) or "-",
            str(outside_runs),
            ", ".join(sorted(set(outside))) or "-",
        ]
    ]


# --- detection -----------------------------------------------------------------------------


def shift_mean(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    values = frame["avg_amount"]
    return frame.assign(avg_amount=values + 0.5 * values.std())


def shift_category(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """US from about 8% to about 28% of the rows: 20 points taken from the other countries."""
    country = frame["country"].copy()
    others = np.flatnonzero((country != "US") & country.notna())
    moved = rng.choice(others, int(0.20 * len(frame)), replace=False)
    country.iloc[moved] = "US"
    return frame.assign(country=country)


def shift_missing(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """country missing in 20% of the rows instead of 2%."""
    country = frame["country"].copy()
    present = np.flatnonzero(country.notna())
    blank = rng.choice(present, int(0.18 * len(frame)), replace=False)
    country.iloc[blank] = None
    return frame.assign(country=country)


def shift_outside(share: float) -> Callable[[pd.DataFrame, np.random.Generator], pd.DataFrame]:
    """`share` of the rows' avg_amount beyond anything in training: the training split's
    largest value plus 0 to 1 standard deviation."""

    def shift(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        values = frame["avg_amount"].copy()
        moved = rng.choice(len(frame), round(share * len(frame)), replace=False)
        top = TRAINING_HIGHEST["avg_amount"]
        values.iloc[moved] = top + rng.uniform(0, 1, len(moved)) * values.std()
        return frame.assign(avg_amount=values)

    shift.outside = True  # type: ignore[attr-defined]  # read as a note, not drift
    return shift


TRAINING_HIGHEST: dict[str, float] = {}  # set from the run's profile by `detection`


def shift_positive_rate(run: Path) -> Callable[[pd.DataFrame, np.random.Generator], pd.DataFrame]:
    """Rows drawn so that twice as many are predicted positive as in training."""

    def shift(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        from ml_baseline.scoring import predict

        path = WORK / "inputs" / "to_score.csv"
        frame.to_csv(path, index=False)
        out = WORK / "out" / "to_score.csv"
        result = predict(path, out, run=str(run), models_dir=WORK / "models")
        assert result.drift is not None and result.drift.positive_rate is not None
        rate = result.drift.positive_rate[0]
        positive = pd.read_csv(out)["score"].to_numpy() >= result.threshold
        n_positive = round(2 * rate * len(frame))
        rows = np.concatenate(
            [
                rng.choice(np.flatnonzero(positive), n_positive, replace=True),
                rng.choice(np.flatnonzero(~positive), len(frame) - n_positive, replace=True),
            ]
        )
        return frame.iloc[rng.permutation(rows)]

    return shift


def detection(seeds: int) -> list[list[str]]:
    import json

    run = train_on(sample(1000, 42), "is_high_value", "binary", "sample_42")
    profile = json.loads((run / "monitoring" / "reference_profile.json").read_text())
    TRAINING_HIGHEST.update(
        {c["name"]: c["high"] for c in profile["columns"] if c.get("high") is not None}
    )
    cases = [
        ("avg_amount: mean + 0.5 SD", "avg_amount", shift_mean),
        ("avg_amount: 1% of rows beyond the training range", "avg_amount", shift_outside(0.01)),
        ("avg_amount: 3% of rows beyond the training range", "avg_amount", shift_outside(0.03)),
        ("country: US share + 20 points", "country", shift_category),
        ("country: missing 2% -> 20%", "country", shift_missing),
        ("score: positive rate doubled", "score", shift_positive_rate(run)),
    ]
    rows = []
    for label, column, shift in cases:
        found, psis = 0, []
        for seed in range(1, seeds + 1):
            rng = np.random.default_rng(seed)
            shifted = shift(sample(10_000, 1000 + seed), rng)
            names = drifted(run, shifted, f"shift_{column}_{seed}")
            if getattr(shift, "outside", False):  # a note, not drift
                names = OUTSIDE[f"shift_{column}_{seed}"]
            found += column in names
            if column not in names:
                log(f"missed: {label} seed {seed} (drifted: {names})")
            psis.append(_last_psi(column))
        rows.append(
            [label, str(seeds), f"{found} ({found / seeds:.0%})", f"{statistics.median(psis):.2f}"]
        )
    return rows


def _last_psi(column: str) -> float:
    import json

    reports = sorted((WORK / "out").glob("shift_*.drift.json"), key=lambda p: p.stat().st_mtime)
    document = json.loads(reports[-1].read_text())
    return next(c["psi"] for c in document["columns"] if c["name"] == column)


# --- cost ------------------------------------------------------------------------------------


def child_predict(input_path: str, run: str, case: str) -> int:
    """In a child process: predict with or without drift counting (the counter replaced by
    None, which is what a run without a reference profile gets)."""
    from ml_baseline import scoring

    if case == "without":
        scoring._drift_counter = lambda loaded, notices: None
    output = WORK / "out" / f"cost_{case}.csv"
    scoring.predict(Path(input_path), output, run=run, models_dir=WORK / "models")
    return 0


def cost(sizes: list[int], repeats: int) -> list[list[str]]:
    """predict with and without drift counting, as whole processes, alternately: wall time
    and peak RSS (wait4), medians of `repeats` runs and of the per-repeat ratios."""
    from run import run_process

    run = train_on(sample(10_000, 42), "is_high_value", "binary", "cost")
    rows = []
    for size in sizes:
        path = WORK / "inputs" / f"cost_{size}.csv"
        # Written by another process: a child's peak RSS (wait4) starts at its parent's RSS
        # when forked, so this process must never hold the big table.
        maker = [sys.executable, "-m", "ml_baseline", "make-sample-data", "--n-users", str(size)]
        maker += ["--seed", "7", "--output", str(path)]
        run_process(maker, WORK / "logs" / f"make_{size}.log")
        samples: dict[str, list] = {"with": [], "without": []}
        for repeat in range(repeats):
            for case in samples:
                argv = [sys.executable, __file__, "--child", str(path), str(run), case]
                log_path = WORK / "logs" / f"cost_{size}_{case}_{repeat}.log"
                samples[case].append(run_process(argv, log_path))
        pairs = list(zip(samples["with"], samples["without"], strict=True))
        rows.append(
            [
                f"predict {size:,} rows (CSV)",
                f"{statistics.median(s.wall for s in samples['with']):.2f}",
                f"{statistics.median(s.wall for s in samples['without']):.2f}",
                f"{statistics.median(a.wall / b.wall for a, b in pairs):.3f}",
                f"{statistics.median(s.rss_mib for s in samples['with']):.0f}",
                f"{statistics.median(s.rss_mib for s in samples['without']):.0f}",
                str(repeats),
            ]
        )
    return rows


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few seeds and tables")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    parser.add_argument("--skip-cost", action="store_true")
    parser.add_argument("--only-cost", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_predict(*args.child)
    seeds, corpus_seeds, repeats = (3, 1, 1) if args.quick else (20, 5, 5)
    shutil.rmtree(WORK, ignore_errors=True)
    started = time.perf_counter()
    quick = " --quick" if args.quick else ""
    sections = [
        "# Drift benchmark results",
        "",
        f"Generated by `uv run --group bench python bench/drift.py{quick}` "
        f"on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC ({platform.python_version()}).",
        "The rule (src/ml_baseline/drift.py): a column has drifted when its PSI is at least 0.1 "
        "and its chi-square test is significant at 5% after Holm's correction over all columns.",
    ]
    if not args.only_cost:
        log("false alarms on the sample data")
        alarms = sample_false_alarms(seeds)
        log("false alarms on the real tables")
        alarms += corpus_false_alarms(corpus_seeds, args.quick)
        log("detection")
        found = detection(seeds)
        sections += [
            "",
            "## False alarms: data like training",
            "",
            table(
                [
                    "scoring",
                    "runs",
                    "runs with any drift reported",
                    "columns named",
                    "runs with an outside-range note",
                    "columns noted",
                ],
                alarms,
            ),
            "",
            "## Detection: 10,000 rows with one shift, run trained on the sample data",
            "",
            table(["shift", "runs", "shifted column named", "median PSI"], found),
        ]
    if not args.skip_cost:
        log("cost")
        header = ["case", "median s with drift", "median s without", "median ratio"]
        header += ["peak RSS MiB with", "without", "runs"]
        sections += [
            "",
            "## Cost: predict with and without drift counting (whole processes, alternately)",
            "",
            table(header, cost([100_000] if args.quick else [1_000_000, 5_000_000], repeats)),
        ]
    sections += ["", f"The whole run took {(time.perf_counter() - started) / 60:.1f} min.", ""]
    text = "\n".join(sections)
    print(text)
    if args.write:
        RESULTS.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
