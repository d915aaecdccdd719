"""False alarms of the leakage audit on random samples of the honest tables.

    uv run --group bench python bench/audit_samples.py            # print the results
    uv run --group bench python bench/audit_samples.py --write    # and write the file

A real table of 400 rows is not a 2,000-row table seen through a keyhole, but a test that
sees a measurement's relations on the whole table can miss them on fewer rows, and the
corpora (bench/audit.py) hold each table at one size only. So each honest table of both
corpora is sampled at random (without replacement) to 80, 150, 250, 400, 700, 1,000, 1,500,
2,000 and 3,000 rows, those it has, 10 seeds each, and audited with
`ml_baseline.training.audit_table`. Every finding at leakage level is a false alarm. A sample
whose rarest class is too small to split is counted, not audited. Reports, per sample size,
the runs and the runs with a false alarm, and each false alarm's table, column and check; and
the strongest honest column the target-only test tested and found unrelated (p > 0.10; from a
score of 0.94, p > 0.02), per task and band of audited rows: how close the honest columns
come to its lines; and the largest p-value of the honest columns that score 0.94 or more,
which sets the stricter line for them. Then every column is tested on samples of the binary
tables around SCREEN_FLAG_ROWS audited rows, and the flags' p-values reported per band: how
plainly honest flags near the line show their relations, which set SCREEN_FLAG_ROWS; and on
samples of the regression tables, whether their flags do under SCREEN_FULL_ROWS audited rows.
Results go to bench/RESULTS-audit-samples.md with `--write`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit import LEAKAGE, markdown_table
from audit_corpus import CHECK, CORPUS, Table
from run import code_state, log, same_code, write_section

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-samples.md"
# The small sizes are a table of a few dozen to a few hundred rows, where a strong honest
# measurement's score and the target-only test's p-value vary most from sample to sample.
SIZES = (80, 150, 250, 400, 700, 1_000, 1_500, 2_000, 3_000)
SEEDS = 10
BANDS = ((60, 299), (300, 599), (600, 999), (1_000, 1_999), (2_000, 10**9))  # audited rows
# Samples on which every column is tested, whatever its strength (the lines lowered to 0):
# how plainly honest columns just under the lines show their relations on 1,000 audited rows
# and more, which set SCREEN_FULL_ROWS and the task's `unrelated_p_two_valued`.
EVERY_SIZES = (1_250, 1_500, 2_000, 3_000)  # 1,000 to 2,400 audited rows
EVERY_FROM_ROWS = 1_000
EVERY_SEEDS = 5
UNDER_THE_LINE = 0.10  # ... reported from this far under the task's line
# Flags and yes/no columns of binary tables, every column tested on samples around
# SCREEN_FLAG_ROWS audited rows: how plainly the honest ones near the line show their
# relations there, which set SCREEN_FLAG_ROWS.
FLAG_SIZES = (400, 500, 550, 625, 700, 850, 1_000, 1_250)
FLAG_SEEDS = 10
FLAG_BANDS = ((300, 399), (400, 599), (600, 999), (1_000, 1_499))  # audited rows
FLAG_MARGIN = 0.05  # ... reported from this far under the line
# Flags of regression tables, every column tested on samples of 320 to 1,500 audited rows:
# whether honest flags of a number show their relations under SCREEN_FULL_ROWS, which set
# the regression task's `unrelated_mid_for_flags`.
NUMBER_FLAG_SIZES = (400, 700, 1_000, 1_400, 1_875)
NUMBER_FLAG_BANDS = ((300, 599), (600, 999), (1_000, 1_499), (1_500, 10**9))  # audited rows
NUMBER_FLAG_FROM = 0.30  # ... reported from this R2


def audit_samples(
    tables: list[Table], seeds: int, sizes: tuple[int, ...] | list[int] = SIZES
) -> list[dict]:
    """Return one record per sample: its table, size, seed and audit (None when its rarest
    class is too small to split)."""
    from ml_baseline.errors import MLBaselineError
    from ml_baseline.training import audit_table

    records = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.csv"
        for table in tables:
            honest = table.honest()
            for size in (s for s in sizes if s <= len(honest)):
                for seed in range(seeds):
                    honest.sample(n=size, random_state=seed).to_csv(path, index=False)
                    try:
                        audit = audit_table(table.config(path, seed)).to_dict()
                    except MLBaselineError:  # too few rows of a class to split
                        audit = None
                    records.append({"table": table, "size": size, "seed": seed, "audit": audit})
                log(f"{table.name} {size} rows: {seeds} samples")
    return records


def audit_every_column(
    tables: list[Table], seeds: int, sizes: tuple[int, ...] = EVERY_SIZES
) -> list[dict]:
    """Return one record per sample of `sizes` rows, audited with the target-only test run
    on every column: the task's lines lowered to 0 for this pass only (so its findings are
    not false alarms; only the columns' p-values are read)."""
    from dataclasses import replace

    from ml_baseline.tasks import TASKS

    for task in TASKS.values():
        lowered = {
            "unrelated": 0.0,
            "unrelated_mid": None,
            "unrelated_more": None,
            "holds_labels_unrelated": None,
        }
        task.audit_lines = replace(task.audit_lines, **lowered)  # shadows the class's lines
    try:
        records = []
        for table in tables:
            sized = [size for size in sizes if size <= len(table.honest())]
            records += audit_samples([table], seeds, sized)
        return [record for record in records if record["audit"] is not None]
    finally:
        for task in TASKS.values():
            del task.audit_lines


def every_column_section(records: list[dict]) -> str:
    """Per task, for columns of two values and of more, on 1,000 to SCREEN_FULL_ROWS - 1
    audited rows and from SCREEN_FULL_ROWS: the honest columns from UNDER_THE_LINE under the
    task's line, their largest p-value, the strongest column above each p-value line, and the
    line and p-value line that apply there."""
    from ml_baseline.audit.scores import (
        SCREEN_FULL_ROWS,
        SCREEN_P,
        column_strength,
        two_valued,
    )
    from ml_baseline.tasks import get_task

    bands = ((EVERY_FROM_ROWS, SCREEN_FULL_ROWS - 1), (SCREEN_FULL_ROWS, None))
    tested: dict[tuple[str, bool, int], list[tuple[float, float, str]]] = {}
    for record in records:
        task, audited = record["table"].task, record["audit"]["method"]["rows_audited"]
        if audited < EVERY_FROM_ROWS:
            continue
        band = int(audited >= SCREEN_FULL_ROWS)
        above = get_task(task).audit_lines.unrelated_more_above_values
        for column in record["audit"]["columns"]:
            if (p := column.get("screen_p")) is None:
                continue
            name = f"{record['table'].name} `{column['column']}`"
            values = 2 if two_valued(column) else (above + 1 if column["distinct"] > above else 3)
            key = (task, values, band)
            tested.setdefault(key, []).append((column_strength(column), p, name))
    rows = []
    for (task, values, band), found in sorted(tested.items()):
        lines = get_task(task).audit_lines
        full, flags = band == 1, values == 2
        many = values > lines.unrelated_more_above_values and lines.unrelated_more is not None
        line = lines.unrelated if full or flags else lines.unrelated_mid
        if full and many:
            line = lines.unrelated_more
        alpha = lines.unrelated_p_two_valued if full and flags else None
        near = [(p, name) for strength, p, name in found if strength >= line - UNDER_THE_LINE]
        low, high = bands[band]
        said = "two" if flags else f"more than {values - 1}" if values > 3 else "more"
        row = [task, said, f"{low:,}" + (f" to {high:,}" if high else "+")]
        row += [f"{line - UNDER_THE_LINE:.2f}", len({name for _, name in near}), len(near)]
        row.append(f"{max(near)[0]:.3f} ({max(near)[1]})" if near else "")
        for limit in (0.02, SCREEN_P):
            above = [(strength, p, name) for strength, p, name in found if p > limit]
            best = max(above) if above else None
            row.append(f"{best[0]:.3f} ({best[2]}, p {best[1]:.3f})" if best else "none")
        rows.append([*row, f"{line:.2f}", f"{alpha or SCREEN_P:.2f}"])
    header = [
        "task",
        "values",
        "audited rows",
        "from",
        "columns",
        "tests",
        "largest p (column)",
        "strongest column with p > 0.02",
        "strongest with p > 0.10",
        "line",
        "p line",
    ]
    return markdown_table(header, rows) if rows else "None tested."


def _flags_in_band(
    records: list[dict], low: int, high: int, start: float, p_above: float
) -> list[Any]:
    """Return the cells of one band of audited rows (`low` to `high`) for the honest
    two-valued columns tested there: how many from strength `start`, their tests, the largest
    p-value among them, and the strongest flag of any strength with a p-value above
    `p_above`."""
    from ml_baseline.audit.scores import (
        column_strength,
        two_valued,
    )

    found = [
        (column_strength(column), column["screen_p"], f"{r['table'].name} `{column['column']}`")
        for r in records
        if low <= r["audit"]["method"]["rows_audited"] <= high
        for column in r["audit"]["columns"]
        if column.get("screen_p") is not None and two_valued(column)
    ]
    near = [(p, name) for strength, p, name in found if strength >= start]
    above = [(strength, p, name) for strength, p, name in found if p > p_above]
    best = max(above) if above else None
    return [
        len({name for _, name in near}),
        len(near),
        f"{max(near)[0]:.3f} ({max(near)[1]})" if near else "",
        f"{best[0]:.3f} ({best[2]}, p {best[1]:.3f})" if best else "none",
    ]


# A flag's audit entry, as the line and p-value functions read it.
_FLAG = {"missingness_score": None, "distinct": 2}


def flags_section(records: list[dict]) -> str:
    """Per band of FLAG_BANDS audited rows, the honest two-valued columns of binary tables
    from FLAG_MARGIN under the line: how many, their largest p-value, the strongest flag of
    any strength above p 0.02, and the p-value above which the test names a flag there."""
    from ml_baseline.audit.scores import screen_alpha
    from ml_baseline.tasks import get_task

    lines = get_task("binary").audit_lines
    start = lines.unrelated - FLAG_MARGIN
    rows = []
    for low, high in FLAG_BANDS:
        alpha = screen_alpha({**_FLAG, "value_score": lines.unrelated}, lines, low)
        rows.append(
            [
                f"{low:,} to {high:,}",
                *_flags_in_band(records, low, high, start, 0.02),
                f"{lines.unrelated:.2f}",
                f"{alpha:.2f}",
            ]
        )
    header = [
        "audited rows",
        f"flags from {start:.2f}",
        "tests",
        "largest p (column)",
        "strongest flag with p > 0.02",
        "line",
        "p line",
    ]
    return markdown_table(header, rows)


def number_flags_section(records: list[dict]) -> str:
    """Per band of NUMBER_FLAG_BANDS audited rows, the honest two-valued columns of
    regression tables from NUMBER_FLAG_FROM: how many, their largest p-value, the strongest
    with p above SCREEN_P, and the line from which the audit tests a flag there."""
    from ml_baseline.audit.scores import (
        SCREEN_P,
        unrelated_line,
    )
    from ml_baseline.tasks import get_task

    lines = get_task("regression").audit_lines
    rows = []
    for low, high in NUMBER_FLAG_BANDS:
        line = unrelated_line(lines, low, {**_FLAG, "value_score": 0.0})
        rows.append(
            [
                f"{low:,} to {high:,}" if high < 10**9 else f"{low:,}+",
                *_flags_in_band(records, low, high, NUMBER_FLAG_FROM, SCREEN_P),
                f"{line:.2f}",
            ]
        )
    header = [
        "audited rows",
        f"flags from R2 {NUMBER_FLAG_FROM:.2f}",
        "tests",
        "largest p (column)",
        f"strongest flag with p > {SCREEN_P}",
        "line",
    ]
    return markdown_table(header, rows)


def false_alarms(record: dict) -> list[tuple[str, str]]:
    return [
        (str(f["column"]), f["check"]) for f in record["audit"]["findings"] if f["level"] == LEAKAGE
    ]


def sizes_section(records: list[dict]) -> str:
    rows = []
    for size in SIZES:
        drawn = [r for r in records if r["size"] == size]
        done = [r for r in drawn if r["audit"] is not None]
        if not done:
            continue
        alarms = Counter(
            (r["table"].name, column, check) for r in done for column, check in false_alarms(r)
        )
        listed = ", ".join(f"{t} `{c}` ({k}) {n}" for (t, c, k), n in sorted(alarms.items()))
        rows.append(
            [
                f"{size:,}",
                len({r["table"].name for r in done}),
                len(done),
                len(drawn) - len(done),
                sum(bool(false_alarms(r)) for r in done),
                listed or "none",
            ]
        )
    header = [
        "sample rows",
        "tables",
        "runs",
        "samples too small to split",
        "runs with a false alarm",
        "false alarms",
    ]
    return markdown_table(header, rows)


def unrelated_section(records: list[dict]) -> str:
    """The strongest honest column found unrelated by the target-only test, per task and
    band of audited rows."""
    from ml_baseline.audit.scores import (
        column_strength,
        screen_alpha,
    )
    from ml_baseline.tasks import get_task

    best: dict[tuple[str, tuple[int, int]], tuple[float, str, int]] = {}
    for record in records:
        audited = record["audit"]["method"]["rows_audited"]
        band = next((b for b in BANDS if b[0] <= audited <= b[1]), None)
        if band is None:
            continue
        for column in record["audit"]["columns"]:
            p, strength = column.get("screen_p"), column_strength(column)
            lines = get_task(record["table"].task).audit_lines
            if p is None or p <= screen_alpha(column, lines, audited):
                continue
            key = (record["table"].task, band)
            name = f"{record['table'].name} `{column['column']}` (p {p:.2f})"
            if strength > best.get(key, (-1.0, "", 0))[0]:
                best[key] = (strength, name, audited)
    rows = [
        [task, f"{lo:,} to {hi:,}" if hi < 10**9 else f"{lo:,} and more", f"{s:.3f}", name]
        for (task, (lo, hi)), (s, name, _) in sorted(best.items())
    ]
    header = ["task", "audited rows", "strongest honest column tested and unrelated", "column"]
    return markdown_table(header, rows) if rows else "None: every tested column was related."


def strongest_section(records: list[dict]) -> str:
    """Per task: the honest columns scoring SCREEN_STRONG_AT or more that the target-only
    test tested, and the one with the largest p-value."""
    from ml_baseline.audit.scores import (
        SCREEN_P_STRONG,
        SCREEN_STRONG_AT,
        column_strength,
    )

    tested: dict[str, list[tuple[float, str]]] = {}
    for record in records:
        for column in record["audit"]["columns"]:
            p, strength = column.get("screen_p"), column_strength(column)
            if p is not None and strength >= SCREEN_STRONG_AT:
                name = (
                    f"{record['table'].name} `{column['column']}` ({strength:.3f}, "
                    f"{record['audit']['method']['rows_audited']:,} rows)"
                )
                tested.setdefault(record["table"].task, []).append((p, name))
    rows = [
        [task, len(found), f"{max(found)[0]:.3f}", max(found)[1], SCREEN_P_STRONG]
        for task, found in sorted(tested.items())
    ]
    header = ["task", "columns tested", "largest p", "column", "line"]
    return markdown_table(header, rows) if rows else "None scored that high."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=SEEDS, help=f"default {SEEDS}")
    parser.add_argument("--tables", help="comma-separated table names (default: all)")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    args = parser.parse_args()
    tables = [t for t in CORPUS + CHECK if not args.tables or t.name in args.tables.split(",")]
    started, clock, code = datetime.now(UTC), time.perf_counter(), code_state()
    load = os.getloadavg()[0]
    drawn = audit_samples(tables, args.seeds)
    records = [record for record in drawn if record["audit"] is not None]
    every = audit_every_column(tables, min(args.seeds, EVERY_SEEDS))
    binary = [table for table in tables if table.task == "binary"]
    flags = audit_every_column(binary, min(args.seeds, FLAG_SEEDS), FLAG_SIZES)
    regression = [table for table in tables if table.task == "regression"]
    number_flags = audit_every_column(regression, min(args.seeds, FLAG_SEEDS), NUMBER_FLAG_SIZES)
    if not same_code(code, code_state()):
        log("warning: src/ changed during the run")
    runs, alarmed = len(records), sum(bool(false_alarms(r)) for r in records)
    command = " ".join(["uv run --group bench python bench/audit_samples.py", *sys.argv[1:]])
    text = "\n".join(
        [
            "# Leakage audit on random samples of the honest tables",
            "",
            f"Generated by `{command}` on {started:%Y-%m-%d %H:%M} UTC; the run took "
            f"{(time.perf_counter() - clock) / 60:.1f} min (load {load:.2f} / "
            f"{os.getloadavg()[0]:.2f}); code {code}.",
            "",
            "Each honest table of both corpora (bench/audit_corpus.py), sampled at random to "
            f"each size it has, {args.seeds} seeds, audited with `audit_table`: "
            f"**{alarmed:,} of {runs:,} runs** have a finding at leakage level (a false alarm).",
            "",
            sizes_section(drawn),
            "",
            "How close honest columns come to the target-only test's lines: the strongest "
            "column it tested and found unrelated to every other feature (p above "
            "`screen_alpha`: 0.10, or 0.02 from a score of 0.94 and for flags of binary "
            "tables of 400 audited rows or more), which "
            "it would name from a line at or under that strength (only columns above the "
            "lines are tested).",
            "",
            unrelated_section(records),
            "",
            "The strongest honest columns: those scoring `SCREEN_STRONG_AT` or more, tested, "
            "and the largest p-value among them (the test names such a column above "
            "`SCREEN_P_STRONG`).",
            "",
            strongest_section(records),
            "",
            "Every column tested: samples of "
            f"{', '.join(f'{size:,}' for size in EVERY_SIZES)} rows, "
            f"{min(args.seeds, EVERY_SEEDS)} seeds, with the target-only test run on every "
            "column whatever its strength (the lines lowered to 0 for this pass), read on "
            "1,000 audited rows or more. Per task, for columns of two values (flags, yes/no "
            "statuses) and of more, under and from `SCREEN_FULL_ROWS` audited rows: the "
            "honest columns from 0.10 under the line that applies there, how many, and their "
            "largest p-value; the strongest columns whose p-value is above 0.02 and above "
            "0.10 (the test would name them from a line at or under their score); the line, "
            "and the p-value above which a column is named there (`unrelated_p_two_valued` "
            "where the honest two-valued columns near the line all showed their relations "
            "plainly).",
            "",
            every_column_section(every),
            "",
            "Flags and yes/no columns of binary tables around `SCREEN_FLAG_ROWS`: samples of "
            f"{', '.join(f'{size:,}' for size in FLAG_SIZES)} rows, "
            f"{min(args.seeds, FLAG_SEEDS)} seeds, every column tested as above. Per band of "
            f"audited rows: the honest two-valued columns from {FLAG_MARGIN} under the line, "
            "how many, and their largest p-value; the strongest flag of any strength whose "
            "p-value is above 0.02; the line, and the p-value above which a flag is named "
            "there.",
            "",
            flags_section(flags),
            "",
            "Flags of regression tables: samples of "
            f"{', '.join(f'{size:,}' for size in NUMBER_FLAG_SIZES)} rows, "
            f"{min(args.seeds, FLAG_SEEDS)} seeds, every column tested as above. Per band of "
            f"audited rows: the honest two-valued columns from R2 {NUMBER_FLAG_FROM}, how many, "
            "and their largest p-value; the strongest flag of any strength that looked "
            "unrelated; the line from which a flag is tested there (scikit-survival's aids, "
            "`strat2`, the CD4 stratum at screening beside the baseline CD4 count, R2 0.52 on "
            "921 audited rows, looked unrelated on 4 seeds of 6 at the lower line).",
            "",
            number_flags_section(number_flags),
            "",
        ]
    )
    print(text)
    if args.write:
        RESULTS.write_text(text, encoding="utf-8")
        log(f"wrote {RESULTS.relative_to(BENCH.parent)}")
        summary = [
            "## Leakage audit: random samples of the honest tables",
            "",
            f"From [{RESULTS.name}]({RESULTS.name}): `{command}`, {started:%Y-%m-%d %H:%M} "
            f"UTC, code {code}. {alarmed:,} of {runs:,} runs with a false alarm (target: none).",
            "",
            sizes_section(drawn),
        ]
        write_section("audit-samples", "\n".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
