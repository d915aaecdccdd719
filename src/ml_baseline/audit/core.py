"""The audit of a training run: every check, in order, on the training split and (for the
file-order checks) the whole table's targets, and the result they make."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ml_baseline.audit.base import INFO, LEAKAGE, STRONG, WARNING, Finding, Part, natural_order
from ml_baseline.audit.designs import design_factors
from ml_baseline.audit.duplicates import _duplicates, _every_group
from ml_baseline.audit.events import (
    FOLLOW_UP_END_EVENT_VALUES,
    FOLLOW_UP_END_SHARE,
    FOLLOW_UP_KAPPA,
    FOLLOW_UP_LOWEST,
    carries_follow_up,
    event_dates,
    event_of_time,
    follow_up_time,
    statuses_of_follow_ups,
)
from ml_baseline.audit.findings import (
    SPARED_BELOW,
    AuditResult,
    _column_findings,
    _one_per_date,
    _small_table,
    _strong_enough_to_name,
    _too_good,
)
from ml_baseline.audit.formulas import (
    CONTAINS_CHANCE,
    CONTAINS_MIN_SHARE,
    COPY_MIN_DISTINCT,
    COPY_SHARE,
    FORMULA_ROWS,
    FORMULA_SHARE,
    GROUP_MIN_ROWS,
    LINEAR_CARRIED,
    LINEAR_MAX_COLUMNS,
    LINEAR_MAX_SUMS,
    NAMED_BOUND_ROWS,
    PRODUCT_MAX_COLUMNS,
    RANK_ORDER,
    RESCALED_MAX_GROUPS,
    _with_ids,
    contains_target,
    copies_target,
    curved_formula,
    named_bound,
    out_of_order_share,
    range_end_side,
    target_amounts,
    target_formula,
    target_linear,
    target_log,
    target_of_dates,
    target_product,
    target_ranks,
    target_rescaled,
)
from ml_baseline.audit.labels import (
    CHOSEN_KAPPA,
    CHOSEN_SHARE,
    COARSENS_MAX_SHARE,
    FEW_BANDS,
    RELABEL_AGREEMENT,
    RELABEL_FEW_BANDS_KAPPA,
    RELABEL_GROUP_SHARE,
    RELABEL_KAPPA,
    RELABEL_NEARLY_EXACT,
    RELATED_P,
    _relabels_target,
    chosen_option,
    coarsening_of,
    holds_text_labels,
    relabelled_target,
)
from ml_baseline.audit.marks import (
    BANDS_MAX_LEVELS,
    CLASS_COLUMNS_MIN_ROWS,
    CLASS_COLUMNS_SHARE,
    CUT_LEAKAGE_ROWS,
    CUT_MIN_CLASSES,
    CUT_MIN_ROWS,
    CUT_PAIR_ALONE_BELOW,
    CUT_PAIR_MAX_COLUMNS,
    CUT_PAIR_TWO_CLASS_ALONE_BELOW,
    CUT_PAIR_TWO_CLASS_ROWS,
    MARK_OTHER_SHARE,
    MARK_PRECISION,
    MARK_RECALL,
    PAIR_CLASS_MAX_COLUMNS,
    PAIR_CLASS_MAX_VALUES,
    PAIR_CLASS_MIN_ROWS,
    THRESHOLD_GAP,
    THRESHOLD_MAX_WRONG,
    THRESHOLD_MIN_ROWS,
    THRESHOLD_WARNING_ROWS,
    bands_cutting_target,
    classes_of_pair,
    cut_of_column,
    cut_of_pair,
    flags_completing_target,
    flags_cutting_target,
    flags_marking_class,
    flags_or_target,
    flags_spelling_target,
    groups_classes,
    largest_of_class_columns,
    marked_by_flags,
    marked_class,
    mixed_level,
    nested_in_classes,
    target_times,
)
from ml_baseline.audit.missing import (
    MISSING_FOLLOWS_AT,
    MISSING_FOLLOWS_EXACTLY,
    MISSING_FOLLOWS_FAR,
    MISSING_FOLLOWS_MARGIN,
    _entity_codes,
    _missing_explained,
    _name_one_side_classes,
    _one_side_by_group,
    _one_side_by_time,
    chance_by_period,
    empty_until,
    one_sided_within_periods,
)
from ml_baseline.audit.order import (
    ENCODING_SHARE,
    LEAD_ROWS,
    WINDOW_SHARE,
    _lead_check,
    derived_from_target,
    entity_totals,
    label_window,
)
from ml_baseline.audit.scores import (
    _SCREEN_LEVEL_SHARE,
    _SCREEN_LEVELS,
    FOLDS,
    HOLDS_LABELS_ROWS,
    ONE_CLASS_CHANCE,
    SCREEN_FLAG_ROWS,
    SCREEN_FULL_ROWS,
    SCREEN_MIN_ROWS,
    SCREEN_P,
    SCREEN_P_STRONG,
    SCREEN_SMALL_ROWS,
    SCREEN_STRONG_AT,
    _fold_ids,
    _group_fold_ids,
    _screen_columns,
    _stratified_sample,
    single_feature_scores,
    target_lookup,
    two_valued,
)
from ml_baseline.audit.series import (
    _as_grid,
    _as_season,
    _as_trend,
    _time_scores,
    earlier_reading,
    later_reading,
    periods_of_time,
    rescaled_readings,
    series_of_time,
)
from ml_baseline.audit.values import date_days
from ml_baseline.roles import panel_entity_features, panel_periods
from ml_baseline.schema import CATEGORICAL, DATETIME, NUMERIC, InputSchema, column_batches
from ml_baseline.tasks import get_task

if TYPE_CHECKING:
    import pandas as pd

    from ml_baseline.tasks import Task

AUDIT_ROWS = 50_000


def _not_explained_by_a_leak(
    findings: list[Finding], columns: list[dict[str, Any]], rows: int, task: Task
) -> list[Finding]:
    """Return the findings with a column's one-sided emptiness judged again, as leakage,
    where the other column said to tell where it is empty (`missing_follows`) is suspected
    itself: a leak explains no other. sampleSelection's Smoke: `cigs_intervals`, the target's
    bins, empty exactly where `cigs` is 0, was "empty for another reason" because `smoker`,
    the flag made from the target, told it as well (probe 59)."""
    leaked = {f.column for f in findings if f.level == LEAKAGE and f.column}
    again: dict[str, list[Finding]] = {}
    for entry in columns:
        side = entry.get("one_side") or {}
        if entry["column"] not in leaked and side.get("missing_follows") in leaked:
            unexplained = {**entry, "one_side": {**side, "missing_follows": None}}
            again[entry["column"]] = _column_findings(
                entry["column"], entry["kind"], unexplained, rows, task
            )
    if not again:
        return findings
    kept = [f for f in findings if f.column not in again]
    return kept + [f for found in again.values() for f in found]


def _every_entity(
    training: Part, holdout: Part, group_column: str | None = None
) -> pd.DataFrame | None:
    """Return the ids left out and the groups of a group split (as `group_column`), on the
    training rows, then the holdout's, or None when there are neither."""
    import pandas as pd

    frames = []
    if training.ids is not None and holdout.ids is not None:
        frames.append(pd.concat([training.ids, holdout.ids]).reset_index(drop=True))
    groups = _every_group(training, holdout)
    if group_column is not None and groups is not None:
        ids = frames[0].columns if frames else []
        if group_column not in ids:
            frames.append(pd.DataFrame({group_column: groups}))
    return pd.concat(frames, axis=1) if frames else None


def _entities_beside_features(
    schema: InputSchema, training: Part, holdout: Part, entities: pd.DataFrame | None
) -> pd.DataFrame | None:
    """Return the columns, beside the features, that may name the entities of a long table,
    on the training and holdout rows: `entities` (`_every_entity`: the ids left out, the
    groups of a group split; datasets' Loblolly measures 14 trees at 6 ages, and under
    `--group-col Seed` the age was suspected at R2 0.981, a key of the table with the tree
    under any other split; probe 58), and each date as one column (the model sees a date as
    its parts, none of which is the day alone: stevedata's aluminum_premiums quotes 4
    markets' premiums each day, and under `--split time` its market, `group`, was suspected
    at R2 0.969 and the run said don't ship; probe 54)."""
    import numpy as np
    import pandas as pd

    frames = [entities] if entities is not None else []
    # Each side's dates as days, side by side: no copy of the features for it.
    trained, held = date_days(schema, training.X), date_days(schema, holdout.X)
    if trained:
        days = {name: np.concatenate([trained[name][1], held[name][1]]) for name in trained}
        frames.append(pd.DataFrame(days))
    return pd.concat(frames, axis=1) if frames else None


def audit(
    schema: InputSchema,
    training: Part,
    holdout: Part,
    holdout_metrics: dict[str, Any],
    seed: int,
    split: str = "random",
    time_column: str | None = None,
    holdout_intervals: dict[str, Any] | None = None,
    group_column: str | None = None,
) -> AuditResult:
    """Return the leakage audit of a training run.
    `holdout_metrics` are the model's (the task says which one can be too good), with their
    95% intervals in `holdout_intervals` (metric -> [low, high]) when the run computed them;
    `split` is the split strategy (random, time or group), `time_column` the --time-col of a
    time split and `group_column` the --group-col of a group split."""
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
    # Columns empty on the same rows, on the same side of the target, get the same answer: the
    # others that may tell where they are empty leave every one-sided column out. A
    # questionnaire's blocks are: HELPfull `--target TIME` asked 171 columns, 71 such sets.
    explained: dict[tuple[bytes, str, str], dict[str, Any]] = {}
    for column in columns:
        if column["one_side"] is None:
            continue
        if (before := empty_until(X_sample, column["column"], model_times)) is not None:
            column["one_side"]["empty_until"] = before
            continue
        side = column["one_side"]
        rows = X_sample[column["column"]].isna().to_numpy().tobytes()
        if (key := (rows, side["cells"], side["side"])) not in explained:
            explained[key] = _missing_explained(
                column["column"], X_sample, kinds, y_sample, task, seed, one_sided, side
            )
        side |= explained[key]
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
            if (lookup := nested_in_classes(X_sample[column["column"]], y_sample)) is not None:
                column["lookup_of_classes"] = lookup
            elif (level := mixed_level(X_sample[column["column"]], y_sample)) is not None:
                column["mixed_level"] = level
            elif (values := groups_classes(X_sample[column["column"]], y_sample)) is not None:
                column["groups_classes"] = values
    for name, figures in chosen_option(X_sample[list(numeric)], y_sample, labels, task).items():
        numeric[name] |= figures
    if task.classifies:
        many = [name for name, column in numeric.items() if not two_valued(column)]
        flags = {column["column"]: column for column in columns if two_valued(column)}
        for name, figures in marked_class(X_sample[many], y_sample, labels).items():
            numeric[name] |= figures
        if len(labels) > 2:  # two classes: a flag on one class's rows is the target, named
            for name, figures in marked_by_flags(X_sample[list(flags)], y_sample, labels).items():
                flags[name] |= figures
        for name, figures in cut_of_column(X_sample[many], y_sample, labels).items():
            numeric[name] |= figures
        alone_below = CUT_PAIR_ALONE_BELOW if len(labels) > 2 else CUT_PAIR_TWO_CLASS_ALONE_BELOW
        weak = [
            name
            for name in many
            if "cut_ranges" not in numeric[name] and numeric[name]["value_score"] < alone_below
        ]
        for name, figures in cut_of_pair(X_sample[weak], y_sample, labels).items():
            numeric[name] |= figures
        by_name = {column["column"]: column for column in columns}
        for name, figures in classes_of_pair(X_sample[list(by_name)], y_sample, labels).items():
            by_name[name] |= figures
        for name, figures in largest_of_class_columns(
            X_sample[list(numeric)], y_sample, labels
        ).items():
            numeric[name] |= figures
        for name, figures in flags_marking_class(X_sample[list(flags)], y_sample, labels).items():
            flags[name] |= figures
        for name, figures in flags_spelling_target(X_sample[list(flags)], y_sample).items():
            flags[name] |= figures
        completing = flags_completing_target(X_sample[list(flags)], y_sample, labels)
        for name, figures in completing.items():
            flags[name] |= figures
        for name, figures in flags_or_target(X_sample[list(flags)], y_sample, labels).items():
            flags[name] |= figures
        for name, figures in target_times(X_sample[list(numeric)], y_sample, labels).items():
            numeric[name] |= figures
        # A panel's period (mosaicData's HELPfull: TIME, the interview at 0 to 24 months, by
        # which its 470 people were found) is no time that runs to the event.
        periods = panel_periods(schema.excluded_columns, schema.features)
        timed = [name for name in numeric if name not in periods]
        named = follow_up_time(X_sample, timed, y_sample, labels, schema.target)
        for name, figures in named.items():
            numeric[name] |= figures
        follow_ups = [name for name, figures in named.items() if "follow_up_kappa" in figures]
        for name, figures in carries_follow_up(X_sample, timed, follow_ups).items():
            numeric[name] |= figures
        for name, figures in statuses_of_follow_ups(list(flags), follow_ups).items():
            flags[name] |= figures
        for name, (date, part) in event_dates(schema, labels).items():
            if name in numeric:
                numeric[name] |= {"event_date": date, "event_date_part": part}
    if not task.classifies:
        flags = {column["column"]: column for column in columns if two_valued(column)}
        for name, figures in flags_cutting_target(X_sample[list(flags)], y_sample).items():
            flags[name] |= figures
        few = [name for name, c in numeric.items() if 3 <= c["distinct"] <= BANDS_MAX_LEVELS]
        for name, figures in bands_cutting_target(X_sample[few], y_sample).items():
            numeric[name] |= figures
        for name, figures in event_of_time(X_sample, list(flags), y_sample, schema.target).items():
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
    readings = [name for name, column in numeric.items() if "earlier_reading" in column]
    if readings:
        unnamed = [name for name, column in numeric.items() if "earlier_reading" not in column]
        for name, reading in rescaled_readings(X_sample, readings, unnamed).items():
            numeric[name]["earlier_reading"] = {
                **numeric[reading]["earlier_reading"],
                "rescaled_from": reading,
            }
    strong = [c["column"] for c in columns if _strong_enough_to_name(c, task)]
    every_y = np.concatenate([training.y, holdout.y])
    entities = _every_entity(training, holdout, group_column)
    every_id = _entities_beside_features(schema, training, holdout, entities)
    if entities is not None:
        every_x = pd.concat([X_train[list(numeric)], holdout.X[list(numeric)]])
        for name, figures in entity_totals(every_x, entities, every_y, labels, task).items():
            numeric[name] |= figures
    for name, figures in design_factors(X_train, holdout.X, every_y, strong, every_id).items():
        next(c for c in columns if c["column"] == name)["design_factor"] = figures
    # A panel's entity kept under a time split by its period is known before any outcome, and
    # the holdout holds the same entities later: plm's Cigar, `pop` by `state` at R2 0.999 on
    # its own, was suspected and the run said don't ship (bench/roles_panel_time.py).
    kept = panel_entity_features(schema.features)
    for column in columns:
        if column["column"] in kept:
            column["panel_entity"] = kept[column["column"]]
    if (amounts := target_amounts(y_sample, labels, task)) is not None:
        formulas = target_formula(X_sample, list(numeric), amounts, schema.target)
        for name, figures in formulas.items():
            numeric[name] |= figures
        for name, figures in target_log(X_sample, list(numeric), amounts).items():
            numeric[name] |= figures
        # A sum of two columns is a pair the formulas name, the one of it they chose.
        pairs = {frozenset((n, f["formula_other"])) for n, f in formulas.items()}
        # A column a curve of the target gives is explained by it, and left out of the sums.
        summed = [n for n, c in numeric.items() if not curved_formula(c)]
        for name, figures in target_linear(X_sample, summed, amounts, schema.target).items():
            if frozenset((name, *figures["linear_with"])) not in pairs:
                numeric[name] |= figures
        # A product of three columns, among those no formula or sum above explains.
        unexplained = [n for n, c in numeric.items() if not {"formula", "linear_with"} & c.keys()]
        for name, figures in target_product(X_sample, unexplained, amounts).items():
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
                if entry["value_score"] >= SPARED_BELOW:
                    entry["out_of_order"] = out_of_order_share(values, y_sample)
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
    findings = _not_explained_by_a_leak(findings, columns, len(y_sample), task)

    findings = _one_per_date(findings, schema)
    duplicates = _duplicates(
        training, holdout, split, group_column, schema.times_to_split_by(), schema.target
    )
    findings.extend(duplicates.pop("findings"))
    # The verdict's columns: the findings added below name none.
    suspected = sorted(
        {f.column for f in findings if f.level == LEAKAGE and f.column}, key=natural_order
    )
    interval = (holdout_intervals or {}).get(lines.holdout_metric)
    lookup = None
    if holdout_score is not None and holdout_score >= lines.too_good and not suspected:
        lookup = target_lookup(X_sample, columns, y_sample, folds, task)
    findings.extend(_too_good(holdout_score, holdout.y, columns, task, suspected, interval, lookup))
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
            "unrelated_more_at": {
                "score": lines.unrelated_more,
                "columns_of_more_values_than": lines.unrelated_more_above_values,
            },
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
            "pair_classes_at": (
                {
                    "max_values": PAIR_CLASS_MAX_VALUES,
                    "rows_per_pair_of_values": PAIR_CLASS_MIN_ROWS,
                    "max_columns": PAIR_CLASS_MAX_COLUMNS,
                }
                if task.classifies
                else None
            ),
            "class_columns_at": (
                {"share": CLASS_COLUMNS_SHARE, "min_rows": CLASS_COLUMNS_MIN_ROWS}
                if task.classifies
                else None
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
                        "two_classes": {
                            "rows_per_class": CUT_PAIR_TWO_CLASS_ROWS,
                            "each_alone_below": CUT_PAIR_TWO_CLASS_ALONE_BELOW,
                        },
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
                    "max_sums": LINEAR_MAX_SUMS,
                    "products_max_columns": PRODUCT_MAX_COLUMNS,
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


def _audited_columns(schema: InputSchema) -> dict[str, tuple[str, str]]:
    """Return each model column the audit scores, with its kind and the feature it comes
    from: a date is audited by its calendar parts, as numbers."""
    return {
        name: (NUMERIC if feature.kind == DATETIME else feature.kind, feature.name)
        for feature in schema.features
        for name in feature.model_columns
    }
