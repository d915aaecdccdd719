"""Leaks injected into the corpus's honest tables, one new column (or duplicated rows) each.

Every variant records what the audit must name: the injected column, or for duplicated rows
the `duplicates` check. The injected columns have neutral names (x_...), so that no rule on
names can find them; their values carry the target in the ways real pipelines leak it.

The noise of a variant is drawn from the seed of the run, so each seed is another draw as
well as another split.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from audit_corpus import BINARY, MULTICLASS, REGRESSION, Table

NEXT_ROWS = 5  # next_rows: the mean label of the next k rows in file order
GROUP_SIZES = (3, 10)  # group_rate: random groups of 3 to 10 rows
DUPLICATED_SHARE = 0.20  # duplicates: this share of rows appended again
IN_SAMPLE_BINS = 20  # in_sample_score: quantile bins of a numeric column
TOP_SHARE = 0.20  # regression's "one class": the rows with the top 20% of the target
# Words for a label-derived status, one per class (binary: the rare class is "closed").
STATUS_WORDS = ("open", "closed", "pending", "void", "held", "sent", "lost", "won", "late")


@dataclass
class Variant:
    """A table given to the audit, and what the audit should name in it."""

    kind: str  # honest, copy, status, one_class, half_missing, total, group_rate, ...
    strength: str  # the leak's strength, e.g. "flip 5%"; "" when it has one strength
    frame: pd.DataFrame
    column: str | None = None  # the injected column the audit must name
    check: str | None = None  # or a check it must report for the whole table (duplicates)

    @property
    def name(self) -> str:
        return "-".join(part for part in (self.kind, self.strength) if part).replace(" ", "")


@dataclass
class Labels:
    """The target of a table, in the forms the leaks are made from."""

    task: str
    values: pd.Series  # as in the table
    codes: np.ndarray  # classification: index of the label in `classes`; regression: values
    classes: list

    @classmethod
    def of(cls, frame: pd.DataFrame, table: Table) -> Labels:
        values = frame[table.target]
        if table.task == REGRESSION:
            return cls(table.task, values, values.to_numpy(dtype=float), [])
        codes, classes = pd.factorize(values, sort=True)
        return cls(table.task, values, codes, list(classes))

    @property
    def outcome(self) -> np.ndarray:
        """Rows of "one class": the rarest class (binary: the positives, the rare outcome), or
        regression's rows with the top share of the target."""
        if self.task == REGRESSION:
            return self.codes >= np.quantile(self.codes, 1 - TOP_SHARE)
        return self.codes == np.bincount(self.codes).argmin()

    def spread(self) -> float:
        return float(np.std(self.codes))


def _flip(codes: np.ndarray, k: int, share: float, rng: np.random.Generator) -> np.ndarray:
    """Return class codes (0..k-1) with `share` of the rows moved to another random class."""
    codes = codes.copy()
    rows = rng.choice(len(codes), size=round(share * len(codes)), replace=False)
    codes[rows] = (codes[rows] + rng.integers(1, k, size=len(rows))) % k
    return codes


# --- the leaks: each returns (strength, column values) pairs --------------------------------


def copy(labels: Labels, rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    """A noisy copy of the target, at several strengths."""
    n = len(labels.codes)
    if labels.task == REGRESSION:  # noise whose variance leaves the wanted share explained
        sd = {r2: labels.spread() * np.sqrt((1 - r2) / r2) for r2 in (0.99, 0.95)}
        return [(f"R2 {r2}", labels.codes + rng.normal(0, sd[r2], n)) for r2 in sd]
    k = len(labels.classes)
    if labels.task == BINARY:  # the label as 0/1
        flips = [(f"flip {p:.0%}", _flip(labels.codes, k, p, rng)) for p in (0.01, 0.05)]
        return [*flips, ("noise sd 0.3", labels.codes + rng.normal(0, 0.3, n))]
    classes = np.asarray(labels.classes, dtype=object)  # multiclass: the label's text
    return [(f"flip {p:.0%}", classes[_flip(labels.codes, k, p, rng)]) for p in (0.01, 0.05, 0.2)]


def status(labels: Labels, rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    """A text status derived from the target: binary "closed" for the rare class and "open";
    a word per class for multiclass; for regression the target's decile, "band_01" to
    "band_10". Some rows are given another status."""
    if labels.task == REGRESSION:
        codes = np.asarray(pd.qcut(labels.codes, 10, labels=False, duplicates="drop"))
        words = [f"band_{i + 1:02d}" for i in range(codes.max() + 1)]
    elif labels.task == BINARY:
        codes, words = labels.outcome.astype(np.int64), ["open", "closed"]
    else:
        codes, words = labels.codes, list(STATUS_WORDS[: len(labels.classes)])
    text = np.asarray(words, dtype=object)
    return [(f"flip {p:.0%}", text[_flip(codes, len(words), p, rng)]) for p in (0.0, 0.05, 0.2)]


def one_class(labels: Labels, rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    """Random amounts filled in for one class only, missing for the others."""
    values = np.round(rng.lognormal(3, 1, len(labels.codes)), 2)
    return [("", np.where(labels.outcome, values, np.nan))]


def half_missing(labels: Labels, rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    """Honest-looking random numbers, missing for a random half of one class only."""
    values = np.round(rng.normal(50, 10, len(labels.codes)), 1)
    rows = np.flatnonzero(labels.outcome)
    values[rng.choice(rows, size=len(rows) // 2, replace=False)] = np.nan
    return [("", values)]


def total(
    labels: Labels, rng: np.random.Generator, frame: pd.DataFrame
) -> list[tuple[str, np.ndarray]]:
    """A total known only after the outcome: an amount paid by the positives (multiclass: an
    amount whose size depends on the class); for regression the target plus another column
    of the table, scaled to a fifth of the target's spread."""
    n = len(labels.codes)
    if labels.task == BINARY:
        paid = labels.outcome * rng.lognormal(3, 1, n)
        return [("", np.round(paid + rng.normal(0, 0.5, n), 2))]
    if labels.task == MULTICLASS:
        return [("", np.round(np.exp(labels.codes + rng.normal(0, 0.25, n)), 2))]
    other = _first_numeric(frame, labels)
    scaled = (other - other.mean()) / (other.std() or 1.0)
    return [("", labels.codes + 0.2 * labels.spread() * scaled)]


def _first_numeric(frame: pd.DataFrame, labels: Labels) -> np.ndarray:
    """Return the table's first numeric column other than the target, its missing values
    filled with its median (zeros if there is none)."""
    for name in frame.columns:
        if name != labels.values.name and pd.api.types.is_numeric_dtype(frame[name]):
            return frame[name].fillna(frame[name].median()).to_numpy(dtype=float)
    return np.zeros(len(frame))


def group_rate(labels: Labels, rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    """Target encoding done wrong: random groups of 3-10 rows, each row given its group's mean
    target computed on the whole table, its own row included (multiclass: the group's most
    frequent label). The group id itself is not in the table."""
    n = len(labels.codes)
    sizes = rng.integers(GROUP_SIZES[0], GROUP_SIZES[1] + 1, size=n // GROUP_SIZES[0] + 1)
    groups = np.empty(n, dtype=np.int64)
    groups[rng.permutation(n)] = np.repeat(np.arange(len(sizes)), sizes)[:n]
    means = pd.DataFrame(_targets(labels)).groupby(groups).transform("mean")
    return [("", _summary(labels, means.to_numpy()))]


def next_rows(labels: Labels, rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    """A feature computed from later rows in file order: the mean target of the next k rows
    (multiclass: their most frequent label); the last row has none."""
    backwards = pd.DataFrame(_targets(labels)[::-1])
    # Reversed, a trailing window of k rows ending at row i is rows i..i+k-1 in file order.
    ahead = backwards.rolling(NEXT_ROWS, min_periods=1).mean().to_numpy()[::-1]
    later = np.full_like(ahead, np.nan)
    later[:-1] = ahead[1:]  # rows i+1..i+k
    return [("", _summary(labels, later))]


def _targets(labels: Labels) -> np.ndarray:
    """Return the target as columns to average: one column of values (binary: 0/1 of the rare
    class), or one 0/1 column per class for multiclass."""
    if labels.task == MULTICLASS:
        return np.eye(len(labels.classes))[labels.codes]
    if labels.task == BINARY:
        return labels.outcome.astype(float)[:, None]
    return labels.codes[:, None]


def _summary(labels: Labels, means: np.ndarray) -> np.ndarray:
    """Return averaged targets as one column: the mean, or for multiclass the most frequent
    label (missing where there was nothing to average)."""
    if labels.task != MULTICLASS:
        return means[:, 0]
    classes = np.asarray(labels.classes, dtype=object)
    empty = np.isnan(means).any(axis=1)
    return np.where(empty, None, classes[np.nan_to_num(means).argmax(axis=1)])


# Each kind of injected leak, in the order of the results table: (labels, rng, table) ->
# [(strength, values of the new column)]. The column is named x_<kind>.
LEAKS = {
    "copy": lambda labels, rng, frame: copy(labels, rng),
    "status": lambda labels, rng, frame: status(labels, rng),
    "one_class": lambda labels, rng, frame: one_class(labels, rng),
    "half_missing": lambda labels, rng, frame: half_missing(labels, rng),
    "total": total,
    "group_rate": lambda labels, rng, frame: group_rate(labels, rng),
    "next_rows": lambda labels, rng, frame: next_rows(labels, rng),
}
KINDS = (*LEAKS, "duplicates", "real")


def variants(table: Table, seed: int, kinds: tuple[str, ...] = KINDS) -> Iterator[Variant]:
    """Yield the honest table, then each leak of `kinds` injected into it at each strength."""
    honest = table.honest()
    yield Variant("honest", "", honest)
    labels = Labels.of(honest, table)
    for kind, make in LEAKS.items():
        if kind in kinds:
            column = f"x_{kind}"
            for strength, values in make(labels, _rng(seed, table, kind), honest):
                yield Variant(kind, strength, honest.assign(**{column: values}), column=column)
    if "duplicates" in kinds:
        # Appended copies of random rows: a random split puts about a third of the pairs on
        # both sides (2 x 0.8 x 0.2), so some holdout rows have exact copies in training.
        copies = honest.sample(frac=DUPLICATED_SHARE, random_state=_rng(seed, table, "dup"))
        both = pd.concat([honest, copies], ignore_index=True)
        yield Variant("duplicates", f"{DUPLICATED_SHARE:.0%} rows", both, check="duplicates")
    if "real" in kinds:
        raw = table.raw()
        for column in table.real_leaks:
            leaky = honest.assign(**{column: raw[column]})
            yield Variant("real", f"{table.name}.{column}", leaky, column=column)


def _rng(seed: int, table: Table, kind: str) -> np.random.Generator:
    """Return the random numbers of one leak of one table for one seed, the same whichever
    other tables and kinds are run."""
    return np.random.default_rng([seed, zlib.crc32(f"{table.name}/{kind}".encode())])


def in_sample_score(values: pd.Series, labels: Labels) -> float:
    """Return how much a column tells about the target on its own, independent of the audit's
    rules: each of its 20 quantile bins (or each value or category, if fewer; missing values a
    bin of their own) predicts its mean target over the whole table, scored as the audit
    scores a column (ROC AUC, macro ROC AUC or R2). In sample, so an upper bound on what any
    single-column check can see."""
    from sklearn.metrics import r2_score, roc_auc_score

    if pd.api.types.is_numeric_dtype(values) and values.nunique() > IN_SAMPLE_BINS:
        bins = pd.qcut(values, IN_SAMPLE_BINS, labels=False, duplicates="drop")
        bins = bins.fillna(-1).to_numpy()
    else:  # categories, and numbers with few values
        bins = pd.factorize(values)[0]
    predicted = pd.DataFrame(_targets(labels)).groupby(bins).transform("mean").to_numpy()
    if labels.task == BINARY:
        return float(roc_auc_score(labels.outcome, predicted[:, 0]))
    if labels.task == MULTICLASS:
        return float(roc_auc_score(labels.codes, predicted, multi_class="ovr"))
    return float(r2_score(labels.codes, predicted[:, 0]))
