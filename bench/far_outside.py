"""How far outside the training range do fresh rows of real tables reach?

    uv run --group bench python bench/far_outside.py            # print the table
    uv run --group bench python bench/far_outside.py --write    # -> RESULTS-far-outside.md

`predict` warns of every value far outside a numeric feature's training range, however few
(schema.far_outside: beyond the range by more than FAR_WIDTHS of its width, or of a sign no
training value had). Here each table of the audit's three corpora (the honest version, its
numeric columns, target left out; tables of 40 rows or more) is cut into random halves (5
seeds): the first half's range is training's, the second half is scored. A scoring counts
for a rule when any value of the second half breaks it. The columns are read as pandas reads
them, not through the product's conversion: numbers written as text are left out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from audit import markdown_table
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-far-outside.md"

SEEDS = 5
WIDTHS = (1, 2, 3, 5, 10)


def scorings(seeds: int) -> list[dict]:
    """Return one record per (table, seed, numeric column) with the far counts."""
    from audit_corpus import CHECK, CORPUS, FRESH

    from ml_baseline.schema import far_outside

    records: list[dict] = []
    seen: set[str] = set()
    for table in CORPUS + CHECK + FRESH:
        if table.name in seen:
            continue
        seen.add(table.name)
        frame = table.honest()
        numbers = frame.drop(columns=[table.target], errors="ignore").select_dtypes("number")
        if numbers.empty or len(frame) < 40:
            continue
        for seed in range(seeds):
            order = np.random.default_rng(seed).permutation(len(frame))
            half = len(frame) // 2
            first, second = numbers.iloc[order[:half]], numbers.iloc[order[half:]]
            for column in numbers.columns:
                trained = first[column].dropna().to_numpy(dtype=np.float64)
                scored = second[column].to_numpy(dtype=np.float64)
                if len(np.unique(trained)) < 3:
                    continue
                low, high = float(trained.min()), float(trained.max())
                width = high - low
                record = {"table": table.name, "column": column, "seed": seed}
                for k in WIDTHS:
                    with np.errstate(invalid="ignore"):
                        beyond = (scored < low - k * width) | (scored > high + k * width)
                    record[k] = int(beyond.sum())
                with np.errstate(invalid="ignore"):
                    record["sign"] = int(((low >= 0) & (scored < 0)).sum())
                    record["sign"] += int(((high <= 0) & (scored > 0)).sum())
                record["rule"] = int(far_outside(scored, low, high).sum())
                records.append(record)
    return records


def report(records: list[dict], seeds: int, header: str) -> str:
    """Return the results text: per rule, the scorings and columns with a value breaking it."""
    tables = {r["table"] for r in records}
    runs = {(r["table"], r["seed"]) for r in records}
    rows = []
    rules = [(k, f"beyond by more than {k} width(s)") for k in WIDTHS]
    rules += [("sign", "of a sign no training value had"), ("rule", "the product's rule")]
    for key, said in rules:
        hit = [r for r in records if r[key]]
        hit_runs = {(r["table"], r["seed"]) for r in hit}
        columns = sorted({f"{r['table']}.{r['column']}" for r in hit})
        more = f" and {len(columns) - 8} more" if len(columns) > 8 else ""
        rows.append(
            [
                said,
                f"{len(hit_runs)} of {len(runs)} ({len(hit_runs) / len(runs):.1%})",
                f"{len(hit)} of {len(records)}",
                ", ".join(columns[:8]) + more or "-",
            ]
        )
    return "\n".join(
        [
            "# Values far outside the training range: fresh halves of real tables",
            "",
            f"{header} {len(tables)} tables of the audit's corpora, {seeds} random halves each "
            "(the first half's range is training's).",
            "",
            markdown_table(
                ["a scored value ...", "scorings with one", "column-scorings", "columns"], rows
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("far_outside.py", __doc__, RESULTS, SEEDS, scorings, report))
