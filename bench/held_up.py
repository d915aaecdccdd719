"""Whether `evaluate` says a model held up or fell, on new rows like its holdout's and on rows
where it is worse.

    uv run --group bench python bench/held_up.py            # print the results
    uv run --group bench python bench/held_up.py --write    # and write RESULTS-held-up.md

`evaluate` says the model *fell* when the 95% interval of a monitored metric's change from the
run's holdout (new rows - holdout; ROC AUC, balanced accuracy, MAE and RMSE) lies wholly on the
worse side of 0. The interval combines the two intervals (Zou and Donner's MOVER: the holdout
and the new rows are independent samples), so it is right when each is; this measures it.

Each honest table of the three corpora (bench/audit_corpus.py) with 300 rows or more is
shuffled with a seed and cut in two: 70% is trained on (`train`, default model, its own 80/20
holdout), and the other 30% are the *new rows*, drawn from the same table as the holdout.
`evaluate` then scores
- the new rows as they are: every "fell" is a false alarm (at 95% on each side, about 2.5%
  for one metric would be expected, somewhat more for two);
- the new rows with a share of their labels replaced by another class's, or their targets
  shuffled among the rows (regression), at 10% and 30%: the model is as good as before but
  the labels it is checked against have drifted, a fall it should report once the new rows
  are enough to see it.
Results go to bench/RESULTS-held-up.md with `--write`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from audit import markdown_table, share
from audit_corpus import CHECK, CORPUS, FRESH, REGRESSION, Table
from run import log, publish, stamped_run

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-held-up.md"
SEEDS = 5
MIN_ROWS = 300
NEW_SHARE = 0.30
CORRUPTED = (0.10, 0.30)  # share of the new rows' labels made wrong


def corrupted(frame: pd.DataFrame, table: Table, share_: float, seed: int) -> pd.DataFrame:
    """Return the new rows with `share_` of their labels wrong: another class's label, or for
    regression the targets of those rows shuffled among them."""
    rng = np.random.default_rng(seed)
    frame = frame.copy()
    rows = rng.choice(len(frame), size=round(share_ * len(frame)), replace=False)
    target = frame[table.target].to_numpy(copy=True)
    if table.task == REGRESSION:
        target[rows] = target[rng.permutation(rows)]
    else:
        labels = pd.unique(frame[table.target])
        for row in rows:
            others = labels[labels != target[row]]
            target[row] = others[rng.integers(len(others))]
    frame[table.target] = target
    return frame


def measure(table: Table, seed: int, work: Path) -> list[dict[str, Any]]:
    from ml_baseline.errors import MLBaselineError
    from ml_baseline.scoring import evaluate
    from ml_baseline.training import train

    frame = table.honest().sample(frac=1.0, random_state=seed).reset_index(drop=True)
    cut = round(len(frame) * (1 - NEW_SHARE))
    trained, new = frame.iloc[:cut], frame.iloc[cut:]
    folder = work / f"{table.name}-{seed}"
    folder.mkdir()
    trained.to_csv(folder / "train.csv", index=False)
    models = folder / "models"
    try:
        train(table.config(folder / "train.csv", seed, models_dir=models))
    except MLBaselineError as exc:
        log(f"{table.name} seed {seed}: not trained: {exc}")
        return []
    found = []
    for strength in (0.0, *CORRUPTED):
        rows = new if strength == 0 else corrupted(new, table, strength, seed)
        path = folder / f"new-{strength}.csv"
        rows.to_csv(path, index=False)
        try:
            result = evaluate(path, models_dir=models)
        except MLBaselineError as exc:
            log(f"{table.name} seed {seed} {strength}: not evaluated: {exc}")
            continue
        verdict, rule = result.held_up or ("none", "")
        found.append(
            {
                "table": table.name,
                "task": table.task,
                "rows": len(new),
                "strength": strength,
                "verdict": verdict,
                "rule": rule,
            }
        )
    return found


def report(results: list[dict[str, Any]], stamp: str) -> str:
    by = defaultdict(list)
    for result in results:
        by[(result["strength"], result["task"])].append(result)
    rows = []
    for (strength, task), runs in sorted(by.items()):
        fell = sum(run["verdict"] == "fell" for run in runs)
        undecided = sum(run["verdict"] not in ("fell", "held up") for run in runs)
        what = "as they are" if strength == 0 else f"{strength:.0%} of labels wrong"
        tables = len({run["table"] for run in runs})
        median = int(np.median([run["rows"] for run in runs]))
        by_size = [
            share(sum(r["verdict"] == "fell" for r in part), len(part))
            for part in (
                [r for r in runs if r["rows"] < 300],
                [r for r in runs if r["rows"] >= 300],
            )
        ]
        rows.append([what, task, tables, len(runs), median, share(fell, len(runs)), *by_size])
        rows[-1].append(undecided)
    false_alarms = [r for r in results if r["strength"] == 0 and r["verdict"] == "fell"]
    lines = [
        "# evaluate: held up or fell",
        "",
        stamp,
        "",
        __doc__.split("\n\n", 2)[2].split("Results go to")[0].strip(),
        "",
        markdown_table(
            [
                "new rows",
                "task",
                "tables",
                "runs",
                "new rows (median)",
                "said 'fell'",
                "under 300 new rows",
                "300 or more",
                "undecided",
            ],
            rows,
        ),
        "",
        "False alarms (new rows as they are, said to have fallen):",
        "",
        *(
            [f"- {r['table']} ({r['rows']} new rows): {r['rule']}" for r in false_alarms]
            or ["- none"]
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=SEEDS, help=f"default {SEEDS}")
    parser.add_argument("--tables", help="comma-separated table names (default: all)")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    args = parser.parse_args()
    chosen = set(args.tables.split(",")) if args.tables else None
    tables = [
        t
        for t in (*CORPUS, *CHECK, *FRESH)
        if (chosen is None or t.name in chosen) and len(t.honest()) >= MIN_ROWS
    ]

    def work() -> list[dict[str, Any]]:
        results = []
        with tempfile.TemporaryDirectory() as temp:
            for table in tables:
                for seed in range(1, args.seeds + 1):
                    log(f"{table.name} seed {seed}")
                    results += measure(table, seed, Path(temp))
        return results

    results, stamp = stamped_run("held_up.py", work)
    publish(report(results, stamp), RESULTS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
