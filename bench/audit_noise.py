"""False alarms of the leakage audit on honest tables given columns that carry nothing.

    uv run --group bench python bench/audit_noise.py            # print the results
    uv run --group bench python bench/audit_noise.py --write    # and write the file

Real tables carry columns unrelated to their target: a sign-up time, a row's batch, a few
random codes. The audit's target-only test asks whether a strong column is related to the
other features within each class; unrelated columns add chance to that test, and on ISLR's
Default (3 features) a random moment's 5 calendar parts made `balance` look unrelated to
them: suspected leakage (probe 69). So every honest table of the three corpora is audited
(`ml_baseline.training.audit_table`, as `train` does) with, added, a random moment of 2020
to 2022 (5 calendar parts), or 5 columns of random normal numbers, over 3 seeds. Every
finding at leakage level is a false alarm. Results go to bench/RESULTS-audit-noise.md with
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


def report(records: list[dict[str, Any]], tables: int, stamp: str) -> str:
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
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=SEEDS, help=f"default {SEEDS}")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    args = parser.parse_args()
    tables = [*CORPUS, *CHECK, *FRESH]
    records, stamp = stamped_run("audit_noise.py", lambda: audit_all(tables, args.seeds))
    publish(report(records, len(tables), stamp), RESULTS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
