"""Drift: is the data being scored like the data the model was trained on?

At training, `build_profile` keeps a small reference profile of each model input column (bin
edges at the training split's deciles with the training counts, or the category counts with
"other", plus the missing count) and of the model's output on the holdout. At scoring time a
`DriftCounter` counts every batch into the same bins, in the scoring pass itself: no second
read, memory independent of the input's size. `judge` then decides, per column:

- the effect: the population stability index (PSI) between the training and input shares;
- the evidence: a chi-square test of homogeneity on the two samples' counts (its p-value from
  tables drawn under the null when a bin is too sparse for the chi-square approximation),
  with Holm's correction over all the columns, so that many columns raise no false alarms.

A column has drifted when both hold: PSI at least `NOTABLE_PSI` (a shift people would act on,
whatever the file's size) and a Holm-adjusted p-value under `ALPHA` (more than chance, whatever
the number of columns). Missing cells and unseen categories are bins like any other, so they
are reported when they differ from training beyond chance, not whenever they occur. Values
outside a numeric column's training range (where the model extrapolates) are counted apart,
and noted when there are more of them than chance gives (`_outside_beyond_chance`); values
far outside it are warned of by the input report however few (schema.far_outside). README
"Drift" shows the false-alarm and detection rates measured with bench/drift.py.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ml_baseline.schema import CATEGORICAL, InputSchema, column_batches, far_outside

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy as np
    import pandas as pd

    from ml_baseline.tasks import Task

PROFILE_FORMAT = 1
NOTABLE_PSI = 0.1  # the usual "notable shift" line of credit scoring, checked in bench/drift.py
MAJOR_PSI = 0.25  # the usual "major shift" line
ALPHA = 0.05  # family-wise false-alarm rate over all the columns of one scoring (Holm)
# What the model's output is judged against (DriftReport.output_reference).
TRAINING, HOLDOUT = "training", "holdout"
# After a time split the model's outputs are compared with its outputs on the holdout, the
# latest rows. An input most of whose rows lie in training's period is not that population:
# its outputs differ from the holdout's by the time alone (plotly's gapminder split by year and
# scored whole: "the model's prediction: major drift", PSI 0.75, beside its year's shift noted
# as expected; probe 65). From this share of the input's rows, that is noted, not drift.
PAST_ROWS_SHARE = 0.5
QUANTILES = 10  # numeric bins: the training split's deciles
MAX_CATEGORIES = 50  # categories kept by name, the most frequent first; the rest are "other"
MIN_CATEGORY_ROWS = 5  # as the model's encoder: rarer training categories are "other"
# Cochran's rule: with a bin expecting fewer than 5 rows, the chi-square approximation fails
# and the p-value is computed from MONTE_CARLO_DRAWS tables drawn under the null instead.
MIN_EXPECTED = 5.0
MONTE_CARLO_DRAWS = 10_000
_SHARE_FLOOR = 1e-4  # PSI's usual floor for an empty bin (ln 0 is undefined)

NUMERIC = "numeric"
OTHER = "other"
MISSING = "missing"


@dataclass
class ColumnProfile:
    """One column's reference distribution: counts per bin, the missing count last.

    Numeric bins are cut at `cuts`: bin 0 holds values <= cuts[0], bin i values in
    (cuts[i-1], cuts[i]], the last values above cuts[-1]. Categorical bins are `categories`
    in order, then "other" (rare or unseen). `role` is "feature" or "output".
    """

    name: str
    kind: str  # NUMERIC or CATEGORICAL
    counts: list[int]
    cuts: list[float] | None = None
    categories: list[str] | None = None
    mean: float | None = None
    role: str = "feature"
    # Numeric: the training split's smallest and largest values (None in profiles written
    # before they were kept): rows beyond them are where the model extrapolates.
    low: float | None = None
    high: float | None = None

    @property
    def key(self) -> tuple[str, str]:
        """A feature may be called "score" too: the role tells it from the model's output."""
        return (self.role, self.name)

    @property
    def bin_labels(self) -> list[str]:
        if self.categories is not None:
            return [*self.categories, OTHER, MISSING]
        cuts = [f"{c:.4g}" for c in self.cuts or []]
        if not cuts:
            return ["any value", MISSING]
        middle = [f"({low}, {high}]" for low, high in itertools.pairwise(cuts)]
        return [f"<= {cuts[0]}", *middle, f"> {cuts[-1]}", MISSING]

    def to_dict(self) -> dict[str, Any]:
        data = {"name": self.name, "role": self.role, "kind": self.kind, "counts": self.counts}
        if self.kind == NUMERIC:
            data.update(cuts=self.cuts, mean=self.mean)
            if self.low is not None:
                data.update(low=self.low, high=self.high)
        else:
            data["categories"] = self.categories
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnProfile:
        return cls(
            name=str(data["name"]),
            kind=str(data["kind"]),
            counts=[int(c) for c in data["counts"]],
            cuts=None if data.get("cuts") is None else [float(c) for c in data["cuts"]],
            categories=data.get("categories"),
            mean=data.get("mean"),
            role=str(data.get("role", "feature")),
            low=None if data.get("low") is None else float(data["low"]),
            high=None if data.get("high") is None else float(data["high"]),
        )


@dataclass
class Profile:
    """The reference profile saved in the run folder (monitoring/reference_profile.json)."""

    columns: list[ColumnProfile]
    threshold: float | None = None  # binary: the run's threshold, for the positive rate
    positive_rate: float | None = None  # binary: holdout share with score >= threshold

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PROFILE_FORMAT,
            "threshold": self.threshold,
            "positive_rate": self.positive_rate,
            "columns": [column.to_dict() for column in self.columns],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        if data.get("format") != PROFILE_FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")
        return cls(
            [ColumnProfile.from_dict(column) for column in data["columns"]],
            data.get("threshold"),
            data.get("positive_rate"),
        )


# --- the profile, at training -------------------------------------------------------------


def build_profile(
    schema: InputSchema,
    X_train: pd.DataFrame,
    task: Task,
    holdout_out: np.ndarray,
    threshold: float | None,
) -> Profile:
    """Return the reference profile: the training split's model input columns, and the
    model's output on the holdout (what it says about rows it has not seen)."""
    import numpy as np

    categorical = set(schema.model_columns((CATEGORICAL,)))
    numeric = [name for name in X_train.columns if name not in categorical]
    profiles = {}
    for batch in column_batches(numeric, len(X_train)):
        # One row per column, contiguous: each column's mean sums as a copy of it would.
        rows = np.ascontiguousarray(X_train[batch].to_numpy(dtype=np.float64).T)
        profiles |= zip(batch, _numeric_profiles(batch, rows), strict=True)
    columns = [
        _categorical_profile(name, X_train[name].to_numpy())
        if name in categorical
        else profiles[name]
        for name in X_train.columns
    ]
    name, kind, values = task.drift_output(holdout_out, schema.labels)
    output = (
        _numeric_profile(name, values) if kind == NUMERIC else _categorical_profile(name, values)
    )
    output.role = "output"
    columns.append(output)
    positive_rate = None
    if task.has_threshold and threshold is not None:
        positive_rate = float(np.mean(holdout_out >= threshold))
    return Profile(columns, threshold, positive_rate)


def _numeric_profile(name: str, values: np.ndarray) -> ColumnProfile:
    import numpy as np

    present = values[~np.isnan(values)]
    quantiles = np.quantile(present, _deciles()) if len(present) else np.array([])
    return _profile_of(name, present, quantiles, len(values) - len(present))


def _numeric_profiles(names: list[str], rows: np.ndarray) -> list[ColumnProfile]:
    """Return `_numeric_profile` of each row of `rows` (one column each): the deciles of the
    columns without missing values, most of them, come from one call (on a 2,000-column
    table the profile took 0.8 s column by column)."""
    import numpy as np

    complete = ~np.isnan(rows).any(axis=1) if rows.shape[1] else np.zeros(len(rows), bool)
    quantiles = np.quantile(rows[complete], _deciles(), axis=1).T if complete.any() else []
    position = np.cumsum(complete) - 1
    return [
        _profile_of(name, rows[j], quantiles[position[j]], 0)
        if complete[j]
        else _numeric_profile(name, rows[j])
        for j, name in enumerate(names)
    ]


def _deciles() -> np.ndarray:
    import numpy as np

    return np.linspace(0, 1, QUANTILES + 1)[1:-1]


def _profile_of(
    name: str, present: np.ndarray, quantiles: np.ndarray, missing: int
) -> ColumnProfile:
    """Return a numeric column's profile from its present values, their deciles and its
    count of missing cells."""
    cuts = sorted(set(quantiles.tolist()))
    # A bin no training value falls in (a few-valued column's top bin, say) says nothing:
    # drop the cut that makes it, so every bin has training rows.
    while cuts and 0 in (counts := _numeric_counts(present, cuts)[:-1]):
        del cuts[min(counts.index(0), len(cuts) - 1)]
    mean = float(present.mean()) if len(present) else None
    counts = [*_numeric_counts(present, cuts)[:-1], missing]
    low, high = (float(present.min()), float(present.max())) if len(present) else (None, None)
    return ColumnProfile(name, NUMERIC, counts, cuts, None, mean, low=low, high=high)


def _numeric_counts(values: np.ndarray, cuts: list[float]) -> list[int]:
    """Return the count of values in each bin, the missing (NaN) count last."""
    import numpy as np

    # One comparison pass per cut (NaN is above none): about 10x faster than placing each
    # value with a binary search, which matters because this runs on every scored batch.
    above = [int(np.count_nonzero(values > cut)) for cut in cuts]
    missing = int(np.count_nonzero(np.isnan(values)))
    present = len(values) - missing
    edges = [present, *above, 0]
    return [high - low for high, low in itertools.pairwise(edges)] + [missing]


def _categorical_profile(name: str, values: np.ndarray) -> ColumnProfile:
    import pandas as pd

    counts = pd.Series(values, dtype=object).value_counts(dropna=True)
    kept = counts[counts >= MIN_CATEGORY_ROWS].iloc[:MAX_CATEGORIES]
    categories = [str(c) for c in kept.index]
    other = int(counts.sum() - kept.sum())
    missing = int(len(values) - counts.sum())
    counts_kept = [int(count) for count in kept]
    return ColumnProfile(name, CATEGORICAL, [*counts_kept, other, missing], None, categories)


# --- rows seen in training ----------------------------------------------------------------


def row_fingerprints(X: pd.DataFrame, y: np.ndarray) -> np.ndarray:
    """Return one 64-bit hash per row of its model inputs and target (8 bytes a row): equal
    rows get equal hashes, whichever file or batch they come from, because training and
    scoring convert rows with the same InputSchema.convert."""
    import numpy as np
    import pandas as pd

    features = pd.util.hash_pandas_object(X, index=False).to_numpy()
    target = pd.util.hash_array(np.asarray(y, dtype=np.float64))
    return features ^ (target * np.uint64(0x9E3779B97F4A7C15))  # wraps around, as hashes do


def seen_in_training(fingerprints: np.ndarray, training: np.ndarray) -> np.ndarray:
    """Return which rows' fingerprints are among `training`'s (sorted, unique)."""
    import numpy as np

    if len(training) == 0:
        return np.zeros(len(fingerprints), dtype=bool)
    at = np.minimum(np.searchsorted(training, fingerprints), len(training) - 1)
    return training[at] == fingerprints


# --- counting, at scoring time ------------------------------------------------------------


@dataclass
class _Tally:
    counts: Any  # np.ndarray of int64, one per bin, missing last
    total: float = 0.0  # numeric: the sum of the present values, for the mean
    below: int = 0  # numeric: values under the training split's smallest
    above: int = 0  # ... and over its largest
    least: float = float("inf")  # numeric: the input's smallest and largest values
    most: float = float("-inf")

    def add_extremes(self, values: np.ndarray, low: float, high: float) -> None:
        import numpy as np

        self.below += int(np.count_nonzero(values < low))
        self.above += int(np.count_nonzero(values > high))
        if np.any(~np.isnan(values)):
            self.least = min(self.least, float(np.nanmin(values)))
            self.most = max(self.most, float(np.nanmax(values)))

    def merge(self, other: _Tally) -> None:
        self.counts += other.counts
        self.total += other.total
        self.below += other.below
        self.above += other.above
        self.least = min(self.least, other.least)
        self.most = max(self.most, other.most)


@dataclass
class DriftCounter:
    """Counts scored batches into a profile's bins; memory is the profile's size."""

    profile: Profile
    rows: int = 0
    positives: int = 0
    _tallies: dict[str, _Tally] = field(default_factory=dict)
    # After a group split: the group column, whose distinct values in the input are the units
    # the tests count (`judge`); memory is the input's groups.
    unit_column: str | None = None
    _units: set[Any] = field(default_factory=set)

    def __post_init__(self) -> None:
        import numpy as np

        for column in self.profile.columns:
            self._tallies[column.key] = _Tally(np.zeros(len(column.counts), dtype=np.int64))

    def add(self, X: pd.DataFrame, out: np.ndarray, task: Task, labels: list[Any] | None) -> None:
        """Count one batch: its converted features and the model's outputs for them."""
        import numpy as np

        for column in self.profile.columns:
            if column.role == "output":
                values = task.drift_output(out, labels)[2]
            elif column.name in X.columns:
                values = X[column.name].to_numpy()
            else:
                continue
            tally = self._tallies[column.key]
            if column.kind == NUMERIC:
                values = np.asarray(values, dtype=np.float64)
                tally.counts += _numeric_counts(values, column.cuts or [])
                tally.total += float(np.nansum(values))
                if column.low is not None and column.high is not None:
                    tally.add_extremes(values, column.low, column.high)
            else:
                tally.counts += _categorical_counts(values, column.categories or [])
        self.rows += len(out)
        if self.profile.threshold is not None and task.has_threshold:
            self.positives += int(np.count_nonzero(out >= self.profile.threshold))

    def add_units(self, values: Any) -> None:
        """Count the groups of one batch's rows (`values`: the unit column, any array-like)."""
        import pandas as pd

        self._units.update(pd.unique(pd.Series(values, dtype=object)).tolist())

    @property
    def units(self) -> int:
        """The distinct groups of the input met (0: none counted, no unit column read)."""
        return len(self._units)

    def merge(self, other: DriftCounter) -> None:
        """Add the counts of another part of the input (counted by another task, say): counts
        add up exactly, so the judgement is that of a single pass over both."""
        if other.profile is not self.profile and other.profile != self.profile:
            raise ValueError("cannot merge drift counts made against different profiles")
        for key, tally in other._tallies.items():
            self._tallies[key].merge(tally)
        self.rows += other.rows
        self.positives += other.positives
        self._units |= other._units

    def __iadd__(self, other: DriftCounter) -> DriftCounter:
        self.merge(other)
        return self

    def counts(self, column: ColumnProfile) -> np.ndarray:
        return self._tallies[column.key].counts

    def mean(self, column: ColumnProfile) -> float | None:
        tally = self._tallies[column.key]
        present = int(tally.counts[:-1].sum())
        return tally.total / present if present else None

    def outside(self, column: ColumnProfile) -> dict[str, Any] | None:
        """Return the rows of a numeric column outside its training range (under its lowest
        training value, over its highest), the range and the input's extremes; None when
        every value is inside, or the profile has no range."""
        tally = self._tallies[column.key]
        if column.low is None or not (tally.below or tally.above):
            return None
        return {
            "below": tally.below,
            "above": tally.above,
            "training_range": [column.low, column.high],
            "training_rows": int(sum(column.counts[:-1])),
            "input_range": [tally.least, tally.most],
        }


def _categorical_counts(values: np.ndarray, categories: list[str]) -> np.ndarray:
    import numpy as np
    import pandas as pd

    # Count the distinct values first (a hash table over the rows), then place the few
    # distinct values in the bins: far cheaper than placing every row.
    distinct = pd.Series(values, dtype=object, copy=False).value_counts(dropna=False)
    missing = distinct.index.isna()
    bins = pd.Index(categories, dtype=object).get_indexer(distinct.index[~missing])
    bins[bins < 0] = len(categories)  # "other": rare in training, or never seen there
    counts = np.bincount(bins, weights=distinct.to_numpy()[~missing], minlength=len(categories) + 1)
    return np.append(counts.astype(np.int64), int(distinct.to_numpy()[missing].sum()))


# --- the judgement ------------------------------------------------------------------------


@dataclass
class ColumnDrift:
    """One column's training and input distributions, and whether it has drifted."""

    name: str
    role: str
    kind: str
    psi: float
    p_value: float
    p_holm: float
    drifted: bool
    change: str  # the biggest change, in words: "US 41.0% -> 12.0%", "mean 38.1 -> 61.0"
    bins: list[dict[str, Any]]
    # The time column of a time split: later values than training are what the model was
    # trained to meet, so a shift there is noted, never drift.
    expected: bool = False
    outside: dict[str, Any] | None = None  # numeric: rows outside the training range
    notable_outside: bool = False  # ... more of them than chance gives (_outside_beyond_chance)
    of_time: bool = False  # the time split's column, or one of its calendar parts
    earlier: bool = False  # numbers: the input's mean is below training's
    within: bool = False  # numbers: every input value inside the training range
    # The output after a time split: the input's rows within training's period, when they are
    # PAST_ROWS_SHARE of it or more (its shift from the holdout's is then expected).
    past_rows: int = 0

    @property
    def moved(self) -> str:
        """Where a time's input rows lie beside training's: "within" its range (every one),
        "later" (some above it, none below), "earlier" (some below, none above); by the means
        when they lie on both sides, or when the range was not counted."""
        if self.within:
            return "within"
        if self.outside is not None and not (self.outside["below"] and self.outside["above"]):
            return "earlier" if self.outside["below"] else "later"
        return "earlier" if self.earlier else "later"

    @property
    def shown_name(self) -> str:
        return f"the model's {self.name}" if self.role == "output" else self.name

    @property
    def level(self) -> str:
        if not self.drifted:
            return "none"
        return "major" if self.psi >= MAJOR_PSI else "notable"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "kind": self.kind,
            "psi": round(self.psi, 6),
            "p_value": self.p_value,
            "p_holm": self.p_holm,
            "drifted": self.drifted,
            "level": self.level,
            "change": self.change,
            "expected": self.expected,
            "rows_of_training_period": self.past_rows,
            "outside_training_range": None
            if self.outside is None
            else {**self.outside, "beyond_chance": self.notable_outside},
            "bins": self.bins,
        }


@dataclass
class DriftReport:
    """The judgement over every column of one scoring."""

    rows: int
    columns: list[ColumnDrift]
    # binary: the share predicted positive at the run's threshold, (holdout, input)
    positive_rate: tuple[float, float] | None = None
    # What the model's output is compared with: its outputs on the holdout, which stand for
    # training's after a random split (rows drawn from the same table) and are said to be the
    # holdout's after a time or group split (a later period, other groups).
    output_reference: str = TRAINING
    # After a group split, the groups the tests counted (`_units_record`); None: rows.
    units: dict[str, Any] | None = None

    @property
    def features(self) -> list[ColumnDrift]:
        return [c for c in self.columns if c.role == "feature"]

    @property
    def output(self) -> ColumnDrift | None:
        return next((c for c in self.columns if c.role == "output"), None)

    @property
    def drifted(self) -> list[ColumnDrift]:
        return [c for c in self.columns if c.drifted]

    def summary(self) -> str:
        """One line: "No drift: ..." or "Drift in 2 of 12 features: ..."."""
        features = self.features
        drifted = [c for c in features if c.drifted]
        output = self.output
        output_name = output.name if output is not None else "output"
        rate = ""
        if self.positive_rate is not None:
            before, after = self.positive_rate
            rate = f"positive rate {before:.1%} -> {after:.1%}"
        holdouts = self.output_reference == HOLDOUT
        if not self.drifted:
            if holdouts and output is not None and output.expected:
                return (
                    f"No drift: {len(features)} feature(s) look like training, and the "
                    f"{output_name} is unlike the holdout's as rows of training's period are "
                    f"({self.rows} rows)"
                )
            if holdouts:
                return (
                    f"No drift: {len(features)} feature(s) look like training and the "
                    f"{output_name} like the holdout's ({self.rows} rows)"
                )
            return (
                f"No drift: {len(features)} feature(s) and the {output_name} look like training "
                f"({self.rows} rows)"
            )
        parts = []
        if drifted:
            shown = ", ".join(f"{c.name} (PSI {c.psi:.2f}: {c.change})" for c in drifted[:5])
            more = f" and {len(drifted) - 5} more" if len(drifted) > 5 else ""
            parts.append(f"Drift in {len(drifted)} of {len(features)} features: {shown}{more}")
        else:
            parts.append(f"No drift in the {len(features)} features")
        if output is not None and output.drifted:
            detail = rate or output.change
            against = " from the holdout's" if holdouts else ""
            parts.append(f"{output_name}: PSI {output.psi:.2f}{against}, {detail}")
        elif output is not None and output.expected:
            parts.append(f"{output_name} unlike the holdout's, as rows of training's period are")
        elif output is not None:
            like = "the holdout's" if holdouts else "training"
            parts.append(f"{output_name} like {like}" + (f" ({rate})" if rate else ""))
        return "; ".join(parts)

    def notes(self) -> list[str]:
        """One note per column of the time split that moved on, as expected, and per feature
        with values outside the training range (not the time split's: later times are what
        it was trained to meet)."""
        # Rows earlier than training (scoring the past again) moved too, the other way, and
        # rows of its training period in other proportions: each said so, not "later than
        # training" (probe 30's 1967 rows of a run trained from 1967; probe 52's 1990 rows of
        # a run trained on 1985 to 1993).
        where = {
            "later": "later than training as expected",
            "earlier": "earlier than training",
            "within": "within its training range, in other proportions",
        }
        moved = [
            f"{c.name}: {c.change} (PSI {c.psi:.2f}), {where[c.moved]} after a time split on "
            "it: not counted as drift"
            for c in self.features
            if c.expected
        ]
        if (output := self.output) is not None and output.expected:
            moved.append(
                f"{output.shown_name}: {output.change} (PSI {output.psi:.2f}) from its "
                f"{output.name}s on the holdout, the latest rows; {output.past_rows:,} of the "
                f"{self.rows:,} input rows lie in training's period, where the model's "
                f"{output.name}s differ by the time alone: not counted as drift (score the "
                "later rows alone to check them)"
            )
        counted = [] if self.units is None else [_units_note(self.units)]
        return (
            counted
            + moved
            + [
                _outside_note(c, self.rows)
                for c in self.features
                if c.notable_outside and not c.of_time
            ]
        )

    def warnings(self, examples: dict[str, str] | None = None) -> list[str]:
        """One warning per drifted column; `examples` adds, per column, the unseen values
        met (from the input report)."""
        examples = examples or {}
        return [
            f"{c.shown_name}: {c.level} drift{self._against(c)} (PSI {c.psi:.2f}, "
            f"p = {c.p_holm:.2g} after Holm's correction): {c.change}"
            + (
                f" ({examples[c.name]}), scored like the rare or unknown categories of training"
                if "unseen" in c.change and c.name in examples
                else ""
            )
            for c in self.drifted
        ]

    def _against(self, column: ColumnDrift) -> str:
        if column.role == "output" and self.output_reference == HOLDOUT:
            return f" from its {column.name}s on the holdout"
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "output_reference": self.output_reference,
            "units": self.units,
            "rule": {
                "effect": f"PSI >= {NOTABLE_PSI} (major >= {MAJOR_PSI})",
                "evidence": f"chi-square test, Holm-adjusted p < {ALPHA} over "
                f"{len(self.columns)} columns",
            },
            "drifted": [c.name for c in self.drifted],
            "positive_rate": None
            if self.positive_rate is None
            else {"holdout": self.positive_rate[0], "input": self.positive_rate[1]},
            "summary": self.summary(),
            "columns": [c.to_dict() for c in self.columns],
        }


def judge(
    counter: DriftCounter,
    time_column: str | None = None,
    times: Iterable[str] = (),
    output_reference: str = TRAINING,
    reference_units: dict[str, Any] | None = None,
) -> DriftReport:
    """Return which columns of the scored input have drifted from the profile. The
    `time_column` of a time split (and its calendar parts) and the other `times` (a year
    under a year's name: pydataset's Prostitutes, `Year` beside the `date` split on) are
    expected to move on: a shift there is `expected`, not drift (statsmodels' grunfeld,
    trained to 1950 by year: every later year scored was "major drift", so --fail-on-drift
    could never pass). Not a date's month, day or weekday, which cycle: a file of weekend
    rows only is drift of its weekday, whenever it was written (HistData's Hawks, split by
    `Date`: `Date__day_of_week` at PSI 7.78 was "later than training as expected", probe
    52); `times` holds a date's year. `output_reference` is HOLDOUT after a time or group
    split, whose holdout (the model's outputs in the profile) is not training's population:
    scoring the training rows again was "major drift" of the score, the holdout's rows "like
    training" (Ecdat's Computers split by `trend`, probe 53). The outputs on the training
    rows themselves would be no fairer a reference: the model has seen them.

    `reference_units` (after a group split: the group column and the training split's and the
    holdout's groups) make the tests count groups, not rows, when the input's groups were
    counted: see `_unit_scales`."""
    times = set(times)
    units = _units_record(counter, reference_units)
    columns = [_column_drift(column, counter, units) for column in counter.profile.columns]
    for column, adjusted in zip(columns, holm([c.p_value for c in columns]), strict=True):
        column.p_holm = adjusted
        shifted = column.psi >= NOTABLE_PSI and adjusted < ALPHA
        of_time = column.role == "feature" and (column.name in times or column.name == time_column)
        # Later times are expected, not times far past (or before) all training's: a run
        # trained on 2009 to 2013 scoring 2064 "as expected" gave every row "yes" (probe 53).
        expected = of_time and not _far_in_time(column.outside)
        column.drifted = shifted and not expected
        column.expected = shifted and expected
        column.of_time = of_time
    if output_reference == HOLDOUT:
        _past_outputs_expected(columns, counter.rows)
    profile = counter.profile
    positive_rate = None
    if profile.positive_rate is not None and counter.rows:
        positive_rate = (profile.positive_rate, counter.positives / counter.rows)
    return DriftReport(counter.rows, columns, positive_rate, output_reference, units)


def _past_outputs_expected(columns: list[ColumnDrift], rows: int) -> None:
    """Mark the output's shift from the holdout's expected when PAST_ROWS_SHARE of the input's
    `rows` or more lie within the training range of a time column of the split."""
    times = [c for c in columns if c.of_time and c.kind == NUMERIC]
    past = max((rows - _outside_rows(c) for c in times), default=0)
    if not times or past < PAST_ROWS_SHARE * rows:
        return
    for column in columns:
        if column.role == "output" and column.drifted:
            column.drifted, column.expected, column.past_rows = False, True, past


def _outside_rows(column: ColumnDrift) -> int:
    """Return the input's rows outside a numeric column's training range."""
    return 0 if column.outside is None else column.outside["below"] + column.outside["above"]


def _far_in_time(outside: dict[str, Any] | None) -> bool:
    """Whether a time column's input reaches far outside its training range (FAR_WIDTHS of
    its width, a year at least: a run trained on one year meets the next)."""
    if outside is None:
        return False
    import numpy as np

    low, high = outside["training_range"]
    high = max(high, low + 1)
    extremes = np.array(outside["input_range"], dtype=np.float64)
    return bool(far_outside(extremes, low, high).any() and (outside["below"] or outside["above"]))


def _units_record(counter: DriftCounter, reference: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return the groups the tests count (the group column, the input's groups, the training
    split's and the holdout's), or None when they count rows. An input without the group
    column is taken to hold as many rows a group as training did (`estimated`): counted as
    rows, new counties of Wooldridge's crime4 drifted in 10 of 56 features, and 6 of 9 panels
    so scored drifted where their group column gave none (probe 70)."""
    if reference is None:
        return None
    if counter.units:
        return {**reference, "input": counter.units}
    rows_a_group = reference["training_rows"] / max(reference["training"], 1)
    estimated = max(1, round(counter.rows / rows_a_group))
    return {**reference, "input": estimated, "estimated": True}


def _units_note(units: dict[str, Any]) -> str:
    """Say that the tests count groups (`_units_record`), and how the input's were known."""
    counted = f"drift tests count whole groups of {units['column']!r}, as the run's intervals do"
    if not units.get("estimated"):
        return (
            f"{counted}: {units['input']:,} in the input, {units['training']:,} in training, "
            f"{units['holdout']:,} in the holdout (a group's rows are alike)"
        )
    per_group = units["training_rows"] / max(units["training"], 1)
    return (
        f"{counted} (a group's rows are alike); the input has no {units['column']!r}, so they "
        f"take it to hold {per_group:.3g} rows a group as training did (about "
        f"{units['input']:,} groups): add the column to count them"
    )


# After a group split the rows of one group are alike (a person's education on each of 8
# yearly rows), so rows from new groups vary as that many groups do, not as that many rows:
# tested as rows, new people (Wooldridge's wagepan: 145 men on 1,160 rows, beside the
# holdout's 80) made the model's prediction "notable drift", p = 9e-05 (probe 68). The tests
# then count each side's groups: the counts are scaled to them, as if each group were one
# row, which is right for what a group's rows share and cautious for what varies within
# them; the run's intervals resample whole groups alike. PSI, a share's change, is unchanged.
# On a test panel (tests/test_drift.py's), 6 of 6 batches of new people drawn from the
# training population drifted counted as rows, 1 of 6 counted as groups.
def _unit_scales(
    column: ColumnProfile, counter: DriftCounter, units: dict[str, Any]
) -> tuple[float, float]:
    """Return the factors (reference, input) that scale a column's counts to groups."""
    reference_rows = max(sum(column.counts), 1)
    reference = units["holdout"] if column.role == "output" else units["training"]
    return reference / reference_rows, units["input"] / max(counter.rows, 1)


def _column_drift(
    column: ColumnProfile, counter: DriftCounter, units: dict[str, Any] | None = None
) -> ColumnDrift:
    import numpy as np

    reference = np.asarray(column.counts, dtype=np.float64)
    observed = counter.counts(column).astype(np.float64)
    if units is None:
        p_value = homogeneity_p(reference, observed)
    else:
        to_reference, to_input = _unit_scales(column, counter, units)
        p_value = homogeneity_p(
            np.round(reference * min(to_reference, 1.0)), np.round(observed * min(to_input, 1.0))
        )
    psi = population_stability(reference, observed)
    shares_before = reference / max(reference.sum(), 1.0)
    shares_after = observed / max(observed.sum(), 1.0)
    bins = [
        {"bin": label, "training": round(float(b), 6), "input": round(float(a), 6)}
        for label, b, a in zip(column.bin_labels, shares_before, shares_after, strict=True)
    ]
    outside = counter.outside(column) if column.role == "feature" else None
    mean = counter.mean(column)
    return ColumnDrift(
        column.name,
        column.role,
        column.kind,
        psi,
        p_value,
        p_value,
        False,
        _change(column, shares_before, shares_after, mean),
        bins,
        outside=outside,
        earlier=column.mean is not None and mean is not None and mean < column.mean,
        within=column.low is not None and outside is None,
        notable_outside=outside is not None
        and _outside_beyond_chance(
            outside["below"] + outside["above"], outside["training_rows"], int(observed[:-1].sum())
        ),
    )


# New values from the training distribution fall outside the training split's range too: the
# share of a continuous column's distribution beyond the least and the largest of n training
# values is itself random, Beta(2, n - 1) (mean 2 / (n + 1); a narrow training sample leaves
# more outside). So rows outside are noted when, given that, chance would put as many there
# with probability at most OUTSIDE_CHANCE: a binomial count of the input's rows, its
# probability averaged over that Beta (OUTSIDE_SLICES slices of equal probability). The
# drift report (JSON) records them whatever their number.
OUTSIDE_CHANCE = 1e-3
OUTSIDE_SLICES = 10_000


def _outside_beyond_chance(count: int, training_rows: int, rows: int) -> bool:
    """Return whether `count` of `rows` present input values outside the range of
    `training_rows` present training values are more than chance gives."""
    import numpy as np
    from scipy.special import bdtrc

    if not count or training_rows < 2:
        return False
    shares = _outside_shares(training_rows)
    chance = float(np.mean(bdtrc(count - 1, rows, shares)))  # P(at least `count` outside)
    return chance <= OUTSIDE_CHANCE


@functools.lru_cache(maxsize=8)
def _outside_shares(training_rows: int) -> np.ndarray:
    """Return OUTSIDE_SLICES slices of equal probability of Beta(2, training_rows - 1): the
    same for every column filled on as many training rows (a wide table's 2,000 columns took
    5 s computing them again)."""
    import numpy as np
    from scipy.special import betaincinv

    slices = (np.arange(OUTSIDE_SLICES) + 0.5) / OUTSIDE_SLICES
    shares = betaincinv(2, training_rows - 1, slices)
    shares.flags.writeable = False  # shared between calls
    return shares


def _outside_note(column: ColumnDrift, rows: int) -> str:
    """Say how many rows of a feature lie outside its training range, and how far."""
    outside = column.outside or {}
    low, high = outside["training_range"]
    least, most = outside["input_range"]
    count = outside["below"] + outside["above"]
    reach = []
    if outside["below"]:
        reach.append(f"down to {least:.4g}")
    if outside["above"]:
        reach.append(f"up to {most:.4g}")
    return (
        f"{column.name}: {count:,} of {rows:,} rows ({count / max(rows, 1):.1%}) are outside "
        f"the training range [{low:.4g}, {high:.4g}] ({', '.join(reach)}), more than chance "
        f"leaves outside {outside['training_rows']:,} training rows: the model extrapolates "
        "there (a linear model's output keeps moving with them; hgb's stays at its edge value)"
    )


def _change(
    column: ColumnProfile, before: np.ndarray, after: np.ndarray, mean: float | None
) -> str:
    """The change that weighs most in the PSI, in words: a category's or the missing share,
    or for numbers the mean (the share of the range that moved most, when the mean did not)."""
    import numpy as np

    biggest = int(np.argmax(_psi_terms(before, after)))
    label = column.bin_labels[biggest]
    shares = f"{before[biggest]:.1%} -> {after[biggest]:.1%}"
    if column.kind == NUMERIC and label != MISSING:
        if column.mean is None or mean is None:
            return "no values present in one of the two"
        same = f"{column.mean:.4g}" == f"{mean:.4g}"
        means = (
            f"mean {mean:.4g} in both"
            if same
            else "mean {} -> {}".format(*_two_means(column.mean, mean))
        )
        if (spread := _spread_change(before, after)) is not None:
            # A spread that widens about a mean that barely moves was said as the mean alone
            # ("mean -0.04286 -> 0.08298" for values three times as spread; probe 68).
            return f"{spread}; {means}"
        if not same:
            return means
        # Values can move about a mean that stays put: modeldata's ames sold after 2008 had
        # fewer houses built in 2005-2006 and more after, and its drift read "mean 1971 -> 1971".
        return f"{label} {shares} ({means})"
    if label == OTHER:
        label = "other or unseen categories"
    elif _reads_as_number(label):
        # A class or category written as a number is quoted: mlmRev's GSSvocab's output class
        # 5 read "prediction: PSI 2.27, 5 12.5% -> 0.0%" (probe 52).
        label = repr(label)
    return f"{label} {shares}"


def _two_means(before: float, after: float) -> tuple[str, str]:
    """Return two means as a change says them: 4 significant digits, more when rounding to
    them would misstate their difference by a tenth or more (ISLR's Smarket by year: 2001.5
    -> 2004.5 read "2002 -> 2004", probe 70)."""
    for digits in (4, 5, 6, 7):
        shown = f"{before:.{digits}g}", f"{after:.{digits}g}"
        said = float(shown[1]) - float(shown[0])
        if abs(said - (after - before)) <= 0.1 * abs(after - before):
            break
    return shown


def _spread_change(before: np.ndarray, after: np.ndarray) -> str | None:
    """Return how a numeric column's spread changed, from the shares of its bins (the missing
    share last), or None when it is rather its values' place: a shift moves rows from one
    outer bin into the other, a wider or narrower spread fills or empties both, so the spread
    is said when the two outer bins' changes are more alike than opposed."""
    if len(before) < 4:  # two bins and the missing share: no middle to spread from
        return None
    low, high = after[0] - before[0], after[-2] - before[-2]
    together, apart = (low + high) / 2, (high - low) / 2
    if abs(together) <= abs(apart):
        return None
    word = "wider" if together > 0 else "narrower"
    return (
        f"spread {word} ({before[0] + before[-2]:.1%} -> {after[0] + after[-2]:.1%} of rows "
        "in the lowest and highest bins)"
    )


def _reads_as_number(label: str) -> bool:
    try:
        float(label)
    except ValueError:
        return False
    return True


def homogeneity_p(reference: np.ndarray, observed: np.ndarray) -> float:
    """The p-value of the chi-square test that both samples' counts come from one
    distribution. With a bin expecting fewer than MIN_EXPECTED rows (where the chi-square
    approximation fails: a few unseen categories in a small input, say) the p-value is
    exact up to Monte Carlo error: the statistic is compared with its distribution over
    MONTE_CARLO_DRAWS tables drawn under the null with the same margins."""
    import numpy as np
    from scipy.special import chdtrc  # chi2.sf without importing scipy.stats (slow)

    keep = (reference + observed) > 0
    reference, observed = reference[keep], observed[keep]
    if len(reference) < 2 or reference.sum() == 0 or observed.sum() == 0:
        return 1.0
    statistic, expected_min = _chi_square(reference[None, :], observed[None, :])
    if expected_min >= MIN_EXPECTED:
        return float(chdtrc(len(reference) - 1, statistic[0]))
    pooled = (reference + observed).astype(np.int64)
    rng = np.random.default_rng(0)  # the same input gets the same verdict
    drawn = rng.multivariate_hypergeometric(pooled, int(observed.sum()), size=MONTE_CARLO_DRAWS)
    null, _ = _chi_square(pooled - drawn, drawn)
    as_extreme = np.count_nonzero(null >= statistic[0] * (1 - 1e-9))  # ties count
    return float((1 + as_extreme) / (MONTE_CARLO_DRAWS + 1))


def _chi_square(reference: np.ndarray, observed: np.ndarray) -> tuple[np.ndarray, float]:
    """Return the chi-square statistic of each row pair of 2 x k tables (one table per row of
    `reference` and `observed`, all with the same margins) and the smallest expected count."""
    pooled = reference[0] + observed[0]
    n_ref, n_obs = reference[0].sum(), observed[0].sum()
    expected_ref = pooled * n_ref / (n_ref + n_obs)
    expected_obs = pooled * n_obs / (n_ref + n_obs)
    statistic = ((reference - expected_ref) ** 2 / expected_ref).sum(axis=1) + (
        (observed - expected_obs) ** 2 / expected_obs
    ).sum(axis=1)
    return statistic, float(min(expected_ref.min(), expected_obs.min()))


def population_stability(reference: np.ndarray, observed: np.ndarray) -> float:
    """PSI = sum over bins of (input share - training share) * ln(input share / training share)."""
    import numpy as np

    if reference.sum() == 0 or observed.sum() == 0:
        return 0.0
    return float(np.sum(_psi_terms(reference / reference.sum(), observed / observed.sum())))


def _psi_terms(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Return each bin's share of the PSI, from the training and input shares."""
    import numpy as np

    before, after = np.maximum(before, _SHARE_FLOOR), np.maximum(after, _SHARE_FLOOR)
    return (after - before) * np.log(after / before)


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values (family-wise error over all the tests)."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted
