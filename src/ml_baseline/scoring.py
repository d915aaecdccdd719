"""Batch prediction against a saved run.

The input is read in batches; each batch is checked against the run's input schema, scored,
and appended to a temporary output file that replaces `--output` only when every row is
scored. Problems are counted over all batches and reported once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ml_baseline import registry
from ml_baseline.data import (
    TableLayout,
    check_output_path,
    companion_path,
    count_rows,
    file_kind,
    inspect_table,
    iter_batches,
    read_ahead,
    read_columns,
    table_appender,
)
from ml_baseline.errors import MLBaselineError, shown, spelling_key
from ml_baseline.metrics import DEFAULT_RESAMPLES
from ml_baseline.schema import InputReport, InputSchema, check_id_columns
from ml_baseline.tasks import Task

if TYPE_CHECKING:
    from ml_baseline.drift import DriftCounter, DriftReport, Profile
    from ml_baseline.parts import Piece, TableInput

DEFAULT_BATCH_SIZE = 100_000
DEFAULT_OUTPUT = Path("outputs/preds.csv")


@dataclass
class PredictResult:
    """What `predict` did: where the scores went and what it noticed in the input."""

    run_id: str
    run_dir: Path
    output: Path
    rows: int
    threshold: float | None
    task: str
    predictions: dict[str, Any]  # counts per predicted label, or the mean predicted value
    notices: list[str] = field(default_factory=list)  # what was done with the input's columns
    warnings: list[str] = field(default_factory=list)  # drifted columns (or, for runs without
    # a reference profile, every column with missing, unseen or out-of-range values)
    input_problems: dict[str, dict[str, Any]] = field(default_factory=dict)
    drift: DriftReport | None = None  # None: the run has no reference profile
    drift_path: Path | None = None  # where the drift report was written
    parts: list[str] = field(default_factory=list)  # a folder output: the parts written in it


@dataclass
class LoadedRun:
    """A verified run with its model and schema, ready to score."""

    run: registry.RunFolder
    schema: InputSchema
    model: Any

    @property
    def run_id(self) -> str:
        return self.run.run_id

    @property
    def task(self) -> Task:
        return self.run.task


def load_run(models_dir: Path, ref: str) -> LoadedRun:
    """Return the run named by `ref` with its verified model and input schema."""
    run = registry.open_run(models_dir, ref)
    schema = run.schema()
    return LoadedRun(run, schema, run.model(schema))


def _open_run(
    models_dir: Path, run: str, threshold: float | None, batch_size: int
) -> tuple[LoadedRun, float | None]:
    """Return the run to score with, after checking the options, and the threshold to use."""
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise MLBaselineError(f"--threshold must be between 0 and 1, got {threshold}")
    if batch_size < 1:
        raise MLBaselineError(f"--batch-size must be at least 1, got {batch_size}")
    loaded = load_run(models_dir, run)
    if threshold is not None and not loaded.task.has_threshold:
        raise MLBaselineError(f"--threshold applies to binary runs; this run is {loaded.task.name}")
    return loaded, loaded.run.meta.threshold if threshold is None else threshold


# Called after each batch with (rows done, total rows when the file says, else None).
Progress = Callable[[int, int | None], None]
# Called after each piece of a partitioned prediction with (pieces done, pieces, rows done).
PiecesProgress = Callable[[int, int, int], None]


@dataclass
class _Scorer:
    """One model scoring an input: its schema, model and task, its report on the input, its
    drift counter (None: drift is not measured for it) and, for evaluate, the hashes of its
    run's training rows."""

    schema: InputSchema
    model: Any
    task: Task
    report: InputReport
    drift: DriftCounter | None = None
    training_rows: Any = None  # np.ndarray of uint64, sorted; None when unknown

    @classmethod
    def of(cls, loaded: LoadedRun, report: InputReport, **more: Any) -> _Scorer:
        return cls(loaded.schema, loaded.model, loaded.task, report, **more)


def _scored_batches(
    scorers: list[_Scorer],
    input_path: Path,
    columns: list[str],
    batch_size: int,
    on_batch: Progress | None = None,
    layout: TableLayout | None = None,
) -> Iterator[tuple[Any, list[tuple[Any, Any]]]]:
    """Yield (batch, [(features, outputs) per scorer]) for one input file, in order. Every
    scorer reads the same batches: comparing two runs costs one pass over the input.

    Once a batch has unreadable values nothing more is scored, but reading goes on so that the
    error, raised at the end, counts the bad values of the whole file.
    """
    import contextlib

    from ml_baseline.models import is_linear
    from ml_baseline.threads import native_threads

    total = count_rows(input_path)
    batches = iter_batches(input_path, columns, batch_size, layout)
    # The trees' OpenMP pool gets the cores that are idle now (threads.py says why). Linear
    # models score in numpy without a native pool: they skip the 50 ms of measuring.
    trees = any(not is_linear(scorer.model[-1]) for scorer in scorers)
    pools = native_threads(batch_size * len(columns)) if trees else contextlib.nullcontext()
    done = 0  # rows scored; the reports count the rows converted, which runs ahead
    with pools:
        for batch, scored in _score_batches(scorers, batches, first_row=1):
            if scored is not None:
                yield batch, scored
            done += batch.num_rows
            if on_batch is not None:
                on_batch(done, total)
    for scorer in scorers:
        if (error := scorer.report.error()) is not None:
            raise MLBaselineError(error)
    if scorers[0].report.rows == 0:
        raise MLBaselineError(f"{input_path} has no data rows; nothing to score")


def _score_batches(
    scorers: list[_Scorer], batches: Iterator[Any], first_row: int
) -> Iterator[tuple[Any, list[tuple[Any, Any]] | None]]:
    """Yield (batch, [(features, outputs) per scorer]) for each batch, checked and converted
    against each scorer's schema and counted into its report (and drift counter); None instead
    of the list once a report has unreadable values. `first_row` is the number of the first
    batch's first row in its file. The one loop of every engine and command.

    A thread reads and converts the next batch while this one is scored: both are mostly
    pyarrow's work, done without the GIL, so they run on the second core. The reports are
    written by that thread only, and read here once it has finished."""
    from ml_baseline.models import outputs

    for batch, frames in read_ahead(_converted_batches(scorers, batches, first_row)):
        if frames is None:
            yield batch, None
            continue
        scored = []
        for scorer, X in zip(scorers, frames, strict=True):
            out = outputs(scorer.model, X, scorer.task)
            if scorer.drift is not None:
                scorer.drift.add(X, out, scorer.task, scorer.schema.labels)
                if scorer.drift.unit_column in batch.column_names:
                    scorer.drift.add_units(batch.column(scorer.drift.unit_column).to_numpy())
            scored.append((X, out))
        yield batch, scored


def _converted_batches(
    scorers: list[_Scorer], batches: Iterator[Any], first_row: int
) -> Iterator[tuple[Any, list[Any] | None]]:
    """Yield (batch, [features per scorer]) for each batch, checked and converted against each
    scorer's schema and counted into its report; None instead of the list once a report has
    unreadable values (the batches after it are still converted, so that the error counts
    every bad value of the file, but not scored: see `_scored_batches`)."""
    rows = 0
    for batch in batches:
        frames = []
        for scorer in scorers:
            check_id_columns(batch, scorer.schema.id_columns, scorer.report.source)
            frames.append(scorer.schema.convert(batch, scorer.report, first_row=first_row + rows))
            scorer.report.add_rows(batch.num_rows)
        rows += batch.num_rows
        yield batch, None if any(scorer.report.has_errors for scorer in scorers) else frames


def _output_table(
    schema: InputSchema,
    task: Task,
    batch: Any,
    out: Any,
    cutoff: float | None,
    totals: dict[str, Any],
) -> Any:
    """Return the output rows of one scored batch (ids, then the task's columns), adding its
    predictions to `totals`."""
    import pyarrow as pa

    columns_out = schema.id_values(batch)
    columns_out.update(task.output_columns(schema.labels, out, cutoff))
    task.summarize(columns_out["prediction"], out, totals)
    return pa.table(columns_out)


def predict(
    input_path: Path,
    output_path: Path = DEFAULT_OUTPUT,
    *,
    run: str = "latest",
    models_dir: Path = Path("models"),
    threshold: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Progress | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    drift_report: Path | None = None,
    output_folder: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    on_piece: PiecesProgress | None = None,
) -> PredictResult:
    """Return a summary of scoring `input_path` with a saved run into `output_path`.

    The output holds the input's id columns and the run's prediction columns (see the task's
    `output_columns`), one row per input row, in input order. `delimiter` and `encoding` say how
    to read a CSV input (by default they are found from its first lines). The drift report
    (drift.py) is written to `drift_report`, by default beside the output (preds.drift.json).

    `input_path` may also be a folder of part files or a glob (parts.py), and `output_folder`
    asks for one output part per input part in the folder `output_path`. `engine` "dask"
    scores the pieces on a Dask cluster (scaleout.py): the one at `scheduler`, or a local one
    with `workers` processes; the output is the same as the local engine's, byte for byte.
    """
    from ml_baseline.parts import find_input

    table_input = find_input(input_path)
    if table_input.partitioned or output_folder or engine != "local":
        return _predict_pieces(
            table_input,
            output_path,
            output_folder=output_folder,
            run=run,
            models_dir=models_dir,
            threshold=threshold,
            batch_size=batch_size,
            delimiter=delimiter,
            encoding=encoding,
            drift_report=drift_report,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            on_piece=on_piece,
        )
    check_output_path(output_path, "preds.csv")  # a folder or unknown extension fails first
    if input_path.resolve() == output_path.resolve():
        raise MLBaselineError(f"--output {output_path} is the input file; choose another path")

    loaded, cutoff = _open_run(models_dir, run, threshold, batch_size)
    schema, task = loaded.schema, loaded.task
    layout = inspect_table(input_path, delimiter=delimiter, encoding=encoding)
    columns, notices = schema.columns_to_read(read_columns(input_path, layout), str(input_path))
    notices[:0] = layout.notes
    report = InputReport(str(input_path))
    totals: dict[str, Any] = {}
    counter = _drift_counter(loaded, notices)
    drift_path = drift_report or companion_path(output_path, ".drift.json")
    taken = {input_path.resolve(), output_path.resolve()}
    if counter is not None and drift_path.resolve() in taken:
        raise MLBaselineError(
            f"--drift-report {drift_path} is the input or the output; choose another path"
        )

    scorer = _Scorer.of(loaded, report, drift=counter)
    with table_appender(output_path) as append:
        scored = _scored_batches([scorer], input_path, columns, batch_size, on_batch, layout)
        for batch, [(_, out)] in scored:
            append(_output_table(schema, task, batch, out, cutoff, totals))
    drift = _judge_drift(counter, loaded, input_path, report, drift_path)
    return _predict_result(loaded, output_path, cutoff, report, totals, notices, drift, drift_path)


def _predict_result(
    loaded: LoadedRun,
    output_path: Path,
    cutoff: float | None,
    report: InputReport,
    totals: dict[str, Any],
    notices: list[str],
    drift: DriftReport | None,
    drift_path: Path,
    parts: list[str] | None = None,
) -> PredictResult:
    """Return what a prediction did, whichever engine and input scored it (`parts`: the part
    files written into a folder output)."""
    return PredictResult(
        run_id=loaded.run_id,
        run_dir=loaded.run.path,
        output=output_path,
        rows=report.rows,
        threshold=cutoff,
        task=loaded.task.name,
        predictions=loaded.task.summary(totals, report.rows),
        notices=[
            *notices,
            *report.respelled_notes(),
            *report.moments_said.values(),
            *(drift.notes() if drift is not None else []),
        ],
        warnings=_input_warnings(report, drift),
        input_problems=report.summary(),
        drift=drift,
        drift_path=None if drift is None else drift_path,
        parts=parts or [],
    )


def _input_warnings(report: InputReport, drift: DriftReport | None) -> list[str]:
    """One warning per drifted column, and per other column with categories unseen in
    training (ggplot2's diamonds: one `cut` of "Superb" in 53,940 rows is no drift) or with
    missing values training never had; per column with values far outside its training range
    (however few); for a run without a reference profile, one per column
    with missing, unseen or out-of-range values (what could be said before drift)."""
    if drift is None:
        return (
            report.empty_rows_warnings()
            + report.warnings()
            + report.far_warnings()
            + report.thousands_point_warnings()
        )
    # A drift warning names the unseen values when they are what changed most.
    said = {column.name for column in drift.drifted if "unseen" in column.change}
    # ... and the newly missing cells when they are not what its drift line names (Ecdat's
    # Cigar: a column drifted for its values said nothing of its new empty cells; probe 53).
    drifted = {column.name for column in drift.drifted if "missing" in column.change}
    return (
        report.empty_rows_warnings()
        + drift.warnings(report.unseen_examples())
        + report.unseen_warnings(said)
        + report.newly_missing_warnings(drifted)
        + report.far_warnings()
        + report.thousands_point_warnings()
    )


def _drift_counter(loaded: LoadedRun, notices: list[str]) -> DriftCounter | None:
    """Return a counter for the run's reference profile; a run trained before profiles were
    saved has none, and a notice says so."""
    from ml_baseline.drift import DriftCounter

    profile = loaded.run.reference_profile()
    if profile is None:
        notices.append(
            f"drift not measured: run {loaded.run_id} has no reference profile (it was trained "
            "by an older ml-baseline); train again to measure drift when scoring"
        )
        return None
    split = loaded.run.meta.split
    unit_column = split.get("group_column") if split.get("strategy") == "group" else None
    return DriftCounter(profile, unit_column=unit_column)


def _judge_drift(
    counter: DriftCounter | None,
    loaded: LoadedRun,
    input_path: Path,
    report: InputReport,
    path: Path | None,
) -> DriftReport | None:
    """Return the drift judgement of a scored input, written as JSON to `path` if given."""
    import json

    from ml_baseline.data import write_bytes_atomic
    from ml_baseline.drift import HOLDOUT, TRAINING, judge

    if counter is None:
        return None
    split = loaded.run.meta.split
    strategy = split.get("strategy")
    output_reference = HOLDOUT if strategy in ("time", "group") else TRAINING
    units = None
    if strategy == "group" and "holdout_groups" in split:
        units = {
            "column": split["group_column"],
            "training": split["train_groups"],
            "holdout": split["holdout_groups"],
            "training_rows": loaded.run.meta.rows["train"],
        }
    if strategy == "time":
        time_column = split.get("time_column")
        times = loaded.schema.time_columns(time_column)
        drift = judge(counter, time_column, times, output_reference)
    else:
        drift = judge(counter, output_reference=output_reference, reference_units=units)
    if path is not None:
        document = {
            "run_id": loaded.run_id,
            "input": str(input_path),
            **drift.to_dict(),
            "input_problems": report.summary(),
        }
        write_bytes_atomic(path, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
        if drift.drifted:  # a picture is worth its import time only when there is drift
            from ml_baseline.report import write_drift_plot

            write_drift_plot(drift_plot_path(path), drift)
        else:
            # An earlier scoring's picture beside this report would contradict it (probe 53).
            drift_plot_path(path).unlink(missing_ok=True)
    return drift


def drift_plot_path(report: Path) -> Path:
    """Return where the drift picture goes: beside the report, preds.drift.png."""
    return report.with_suffix(".png")


@dataclass
class EvaluateResult:
    """The run's metrics on newly labelled data, next to its holdout metrics from training;
    with a challenger, both runs' metrics on the same rows and the verdict between them."""

    run_id: str
    task: str
    rows: int
    labelled_rows: int
    metrics: dict[str, Any]
    intervals: dict[str, list[float | None]]
    holdout: dict[str, Any]  # the run's metrics/holdout_metrics.json
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    input_problems: dict[str, dict[str, Any]] = field(default_factory=dict)
    drift: DriftReport | None = None
    drift_path: Path | None = None
    # Per run id: labelled rows equal to one of the run's training rows (None: not known).
    training_rows: dict[str, int | None] = field(default_factory=dict)
    comparison: dict[str, Any] | None = None  # champion vs challenger (--against)
    # Per interval metric, the 95% interval of its change from the holdout (new - holdout).
    changes: dict[str, list[float] | None] = field(default_factory=dict)
    held_up: tuple[str, str] | None = None  # verdict.held_up's verdict and rule


def evaluate(
    input_path: Path,
    *,
    run: str = "latest",
    against: str | None = None,
    models_dir: Path = Path("models"),
    threshold: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Progress | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    drift_report: Path | None = None,
) -> EvaluateResult:
    """Return the run's metrics, with bootstrap intervals, on a table that carries the target.

    With `against` (a challenger run), both runs score the same rows in one pass and the
    result compares them: each metric for both, the paired difference with its 95% bootstrap
    interval, and the verdict. `delimiter` and `encoding` say how to read a CSV input, as for
    `predict`; the drift report (against `run`) is written to `drift_report` when given.
    """
    import numpy as np

    from ml_baseline.verdict import UNDECIDED, few_labelled_rows_note, held_up

    champion, cutoff = _open_run(models_dir, run, threshold, batch_size)
    runs, cutoffs = [champion], [cutoff]
    if against is not None:
        challenger, challenger_cutoff = _open_run(models_dir, against, threshold, batch_size)
        _check_comparable(champion, challenger)
        runs.append(challenger)
        cutoffs.append(challenger_cutoff)
    schema, task = champion.schema, champion.task
    holdout = champion.run.holdout_metrics()  # a damaged file fails before the input is read
    source = str(input_path)
    layout = inspect_table(input_path, delimiter=delimiter, encoding=encoding)
    available = read_columns(input_path, layout)
    unit_column, unit_said = _evaluation_unit_column(champion, available)
    columns, notices = _columns_for(runs, available, source, unit_column)
    notices[:0] = layout.notes
    if drift_report is not None and drift_report.resolve() == input_path.resolve():
        raise MLBaselineError(f"--drift-report {drift_report} is the input; choose another path")
    scorers = [
        _Scorer.of(
            loaded,
            InputReport(source),
            drift=_drift_counter(loaded, notices) if loaded is champion else None,
            training_rows=loaded.run.training_fingerprints(),
        )
        for loaded in runs
    ]
    if unit_said:
        notices.append(unit_said)
    scored = _scored_batches(scorers, input_path, columns, batch_size, on_batch, layout)
    y_all, outs_all, seen_all, units_all = _labelled_outputs(scored, scorers, source, unit_column)
    labelled = ~np.isnan(y_all)
    if labelled.sum() == 0:
        raise MLBaselineError(f"{source}: every row's target {schema.target!r} is empty")
    if labelled.sum() < len(y_all):
        skipped = len(y_all) - labelled.sum()
        notices.append(f"{skipped} row(s) with an empty target were not evaluated")
    y = y_all[labelled]
    outs = [out[labelled] for out in outs_all]
    if task.classifies:
        y = y.astype(np.int64)
    notices.extend(task.evaluation_notes(y, schema.labels))
    if (moved := _threshold_override_note(champion, cutoff)) is not None:
        notices.append(moved)
    units, units_record = None, {}
    if units_all is not None:
        units, said, units_record = _evaluation_units(champion, units_all[labelled], y, outs)
        notices.append(said)
    resampling = {
        "n_resamples": holdout["confidence_intervals"].get("resamples", DEFAULT_RESAMPLES),
        "seed": holdout["confidence_intervals"].get("seed", 0),
        "groups": units,
    }
    results = task.holdout_metrics(y, outs[0], schema.labels, cutoff)
    intervals = task.intervals(
        y, {"model": outs[0]}, {"model": cutoff}, schema.labels, **resampling
    )
    _no_interval_where_undefined(intervals["model"], [results])
    changes, verdict, rule = held_up(task, holdout, results, intervals["model"])
    if moved is not None:  # two thresholds: no change of the model's
        changes.update({spec.key: None for spec in task.metrics if spec.at_threshold})
    report = scorers[0].report
    drift = _judge_drift(scorers[0].drift, champion, input_path, report, drift_report)
    warnings = _input_warnings(report, drift)
    few = few_labelled_rows_note(task, {**results, "confidence_intervals": units_record})
    if few is not None:
        warnings.append(few)
    seen_counts: dict[str, int | None] = {}
    for loaded, seen in zip(runs, seen_all, strict=True):
        count = None if seen is None else int(seen[labelled].sum())
        seen_counts[loaded.run_id] = count
        if count:
            beyond_chance, said = _training_rows_finding(loaded, count, len(y))
            (warnings if beyond_chance else notices).append(said)
            if beyond_chance and loaded is champion:
                # Rows it was trained on say nothing of new data: "held up" on them, beside
                # the warning that says so, read as a verdict (probe 70).
                verdict = UNDECIDED
                rule = f"{count:,} of {len(y):,} rows are rows it was trained on"
    comparison = None
    if against is not None:
        comparison = _comparison(runs, cutoffs, y, outs, resampling)
    return EvaluateResult(
        run_id=champion.run_id,
        task=task.name,
        rows=report.rows,
        labelled_rows=int(labelled.sum()),
        metrics=results,
        intervals=intervals["model"],
        holdout=holdout,
        notices=[
            *notices,
            *report.respelled_notes(),
            *report.moments_said.values(),
            *(drift.notes() if drift is not None else []),
        ],
        warnings=warnings,
        input_problems=report.summary(),
        drift=drift,
        drift_path=None if drift is None else drift_report,
        training_rows=seen_counts,
        comparison=comparison,
        changes=changes,
        held_up=(verdict, rule),
    )


def _threshold_override_note(loaded: LoadedRun, cutoff: float | None) -> str | None:
    """Return a note when --threshold moved the threshold away from the run's: the holdout
    figures printed beside are at the run's own, so the metrics read at a threshold differ by
    that too (probe 68: nothing said so)."""
    trained = loaded.run.meta.threshold
    if cutoff is None or trained is None or cutoff == trained:
        return None
    return (
        f"threshold {cutoff:.3g} (--threshold), not the run's {trained:.3g}: the holdout "
        "figures beside are at the run's, so accuracy, precision, recall and F1 differ by the "
        "threshold too; ROC AUC and PR AUC do not depend on it"
    )


def _check_comparable(champion: LoadedRun, challenger: LoadedRun) -> None:
    """Two runs can be compared on one labelled table when they predict the same target, for
    the same task, with the same labels."""
    a, b = champion.schema, challenger.schema
    if (a.target, a.task, a.labels) != (b.target, b.task, b.labels):
        raise MLBaselineError(
            f"runs {champion.run_id} and {challenger.run_id} cannot be compared on one table: "
            f"the first predicts {a.target!r} ({a.task}, labels {a.labels}), the second "
            f"{b.target!r} ({b.task}, labels {b.labels})"
        )


def _columns_for(
    runs: list[LoadedRun], available: list[str], source: str, unit_column: str | None = None
) -> tuple[Any, Any]:
    """Return the columns every run needs (each run's missing columns are an error naming the
    run), with the column of the intervals' units (`unit_column`, read though no model uses
    it), and the notices on the input's columns."""
    used = [name for loaded in runs for name in loaded.schema.feature_names]
    used += [name for loaded in runs for name in loaded.schema.id_columns]
    used += [unit_column] if unit_column is not None else []
    columns: list[str] = []
    notices: list[str] = []
    for loaded in runs:
        where = source if len(runs) == 1 else f"{source} (for run {loaded.run_id})"
        needed, said = loaded.schema.columns_to_read(
            available, where, with_target=True, also_used=used
        )
        columns += [name for name in needed if name not in columns]
        notices = notices or [note.replace(where, source) for note in said]
    if unit_column is not None and unit_column not in columns:
        columns.append(unit_column)  # a time column that is not a feature
    return columns, notices


# Labelled rows equal to training rows are reported as a warning when chance (the share of
# holdout rows that equalled a training row at training) would give as many with at most this
# probability, else as a note: coarse features make honest rows look alike.
SEEN_ROWS_CHANCE = 1e-3


def _training_rows_finding(loaded: LoadedRun, seen: int, labelled: int) -> tuple[bool, str]:
    """Return (beyond chance, what to say) about labelled rows equal to rows the run was
    trained on: the model has seen those, so they measure nothing."""
    from scipy.special import bdtrc  # the binomial tail, without importing scipy.stats

    said = (
        f"{seen} of {labelled} labelled rows ({seen / labelled:.1%}) equal a row run "
        f"{loaded.run_id} was trained on (every model input and the target)"
    )
    chance = loaded.run.audit().duplicates.get("share")
    chance = float(chance) if isinstance(chance, int | float) else 0.0
    if chance > 0 and bdtrc(seen - 1, labelled, chance) > SEEN_ROWS_CHANCE:
        return False, (
            f"{said}, about as many as chance gives (on its holdout, {chance:.1%} of rows "
            "equalled a training row): most likely rows that look alike, not training rows"
        )
    return True, (
        f"{said}: the model has seen them, so their metrics say nothing about new data "
        f"(on its holdout, {chance:.1%} of rows equalled a training row by chance); "
        "evaluate on rows labelled after training"
    )


def _leaks_said(runs: list[LoadedRun]) -> str:
    """Return, for a comparison's rule, which run's training suspected leakage in which
    columns: ISLR's Wage with `logwage` kept was "Challenger: better" (MAE 24.46 to 6.43)
    beside its own "don't ship: leakage" (probe 68). Labelled rows that carry the leaked
    column let it score as well as at training."""
    said = []
    for role, loaded in zip(("champion", "challenger"), runs, strict=True):
        if suspected := loaded.run.meta.suspected_leakage:
            said.append(f"the {role}'s training suspected leakage in {', '.join(suspected)}")
    if not said:
        return ""
    return (
        f"; but {' and '.join(said)}: a leaked column scores as well on labelled rows that "
        "carry it, and is no gain on rows scored before the outcome"
    )


def _comparison(
    runs: list[LoadedRun],
    cutoffs: list[float | None],
    y: Any,
    outs: list[Any],
    resampling: dict[str, Any],
) -> dict[str, Any]:
    """Return both runs' metrics on the same rows, the paired differences challenger -
    champion with 95% bootstrap intervals (both scored on the same resamples), and the
    verdict."""
    from ml_baseline.verdict import challenger_verdict

    champion, challenger = runs
    task, labels = champion.task, champion.schema.labels
    metrics = [
        task.holdout_metrics(y, out, labels, cut) for out, cut in zip(outs, cutoffs, strict=True)
    ]
    intervals = task.intervals(
        y,
        {"champion": outs[0], "challenger": outs[1]},
        {"champion": cutoffs[0], "challenger": cutoffs[1]},
        labels,
        reference="champion",
        **resampling,
    )
    difference = intervals["challenger_minus_champion"]
    _no_interval_where_undefined(difference, metrics)
    verdict, rule = challenger_verdict(task, difference)
    rule += _leaks_said(runs)
    rows = []
    for spec in task.metrics:
        a, b = metrics[0].get(spec.key), metrics[1].get(spec.key)
        if not isinstance(a, int | float) or not isinstance(b, int | float):
            continue
        rows.append(
            {
                "metric": spec.key,
                "label": spec.label,
                "champion": a,
                "challenger": b,
                "difference": b - a,
                "interval": difference.get(spec.key),
                "deciding": spec.decides,
            }
        )
    return {
        "champion": champion.run_id,
        "challenger": challenger.run_id,
        "rows": len(y),
        "metrics": rows,
        "verdict": verdict,
        "rule": rule,
    }


def _no_interval_where_undefined(
    intervals: dict[str, list[float | None]], metrics: list[dict[str, Any]]
) -> None:
    """Blank the intervals of metrics undefined on the rows in any of `metrics` (ROC AUC of
    rows of one class): the resamples' values are no interval of a metric that has none, and
    a challenger was judged on them (ISLR's Credit labelled all 'yes': PR AUC "n/a" beside a
    95% interval of [0.929, 1.000]; probe 53)."""
    for key in intervals:
        values = [document.get(key) for document in metrics]
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
            intervals[key] = [None, None]


def _evaluation_unit_column(champion: LoadedRun, columns: list[str]) -> tuple[str | None, str]:
    """Return the column the intervals' units come from (a group split's --group-col, or a time
    split's --time-col, when the input has it), and a notice when the input lacks it ("" for a
    random split, or when the units are said once chosen: `_evaluation_units`)."""
    split = champion.run.meta.split
    if (column := split.get("group_column")) is not None:
        units, how = f"rows of one {column} are alike", "resample whole groups"
    elif split.get("strategy") == "time":
        column = split["time_column"]
        units = "neighbouring rows' errors are alike"
        how = "resample blocks of consecutive rows where the errors persist"
    else:
        return None, ""
    if column not in columns:
        return None, (
            f"run {champion.run_id} was split by {column!r}, which the input lacks: its "
            f"intervals resample rows, and are narrower than they should be if {units} (add "
            f"the column to {how})"
        )
    return column, ""


def _evaluation_units(
    champion: LoadedRun, values: Any, y: Any, outs: list[Any]
) -> tuple[Any, str, dict[str, Any]]:
    """Return the unit each labelled row is resampled with (None: rows), from the values of
    the run's group or time column (an object array), as at training, what that is, and its
    record as holdout_metrics.json keeps it (how many groups or blocks): whole groups; blocks
    of consecutive rows in time order as long as any run's errors persist
    (metrics.time_blocks), or rows when none does."""
    import pyarrow as pa

    from ml_baseline.metrics import time_blocks
    from ml_baseline.splits import (
        blocks_said,
        class_groups_record,
        group_numbers,
        time_blocks_record,
        time_moments,
    )

    split, task = champion.run.meta.split, champion.task
    if (group := split.get("group_column")) is not None:
        said = f"the intervals resample whole groups of {group!r}, as at training"
        numbers = group_numbers(values)
        record = {"groups": int(numbers.max()) + 1, "group_column": group}
        if task.classifies:
            record |= class_groups_record(y, numbers, champion.schema.labels or [])
        return numbers, said, record
    column = split["time_column"]
    # The cells as read (numbers, text, timestamps), typed again as the time split reads them.
    times = time_moments(pa.chunked_array([pa.array(values, from_pandas=True)]))[0]
    names = ["model", "challenger"][: len(outs)]
    errors = {name: task.row_errors(y, out) for name, out in zip(names, outs, strict=True)}
    blocks = time_blocks(times, errors)
    if blocks.source is None:
        said = f"the errors do not persist over {column!r}: the intervals resample rows"
        return None, said, {}
    record = time_blocks_record(blocks, column)
    return (
        blocks.blocks,
        f"the intervals resample {blocks_said(record)}, each block whole: its length from "
        "these rows' errors, as train finds it on the holdout",
        record,
    )


def _labelled_outputs(
    scored: Iterator[tuple[Any, list[tuple[Any, Any]]]],
    scorers: list[_Scorer],
    source: str,
    group_column: str | None = None,
) -> tuple[Any, list[Any], list[Any], Any]:
    """Return every row's target (NaN where empty), each scorer's outputs, for each scorer
    which rows equal one of its training rows (None when its run does not say), and the
    values of `group_column` (None without one), over all batches; a target cell that is not
    a valid target is an error naming up to three rows."""
    import numpy as np

    from ml_baseline.drift import row_fingerprints, seen_in_training

    schema, task = scorers[0].schema, scorers[0].task
    targets: list[Any] = []
    outs: list[list[Any]] = [[] for _ in scorers]
    seen: list[list[Any] | None] = [
        None if scorer.training_rows is None else [] for scorer in scorers
    ]
    bad_labels: list[str] = []
    bad_values: list[Any] = []
    groups: list[Any] = []
    first_row = 1
    for batch, scored_batch in scored:
        if group_column is not None:
            groups.append(batch.column(group_column).to_pandas().to_numpy(dtype=object))
        y, unknown = schema.encode_target(batch.column(schema.target))
        for position in np.flatnonzero(unknown)[: 3 - len(bad_labels)]:
            value = batch.column(schema.target)[int(position)].as_py()
            bad_labels.append(f"row {first_row + int(position)} {shown(value)}")
            bad_values.append(value)
        targets.append(y)
        for i, (scorer, (X, out)) in enumerate(zip(scorers, scored_batch, strict=True)):
            outs[i].append(out)
            if (found := seen[i]) is not None:
                found.append(seen_in_training(row_fingerprints(X, y), scorer.training_rows))
        first_row += batch.num_rows
    if bad_labels:
        raise MLBaselineError(
            f"{source}: target {schema.target!r} holds values other than "
            f"{task.expected_targets(schema.labels)} "
            f"({', '.join(bad_labels)}){_written_otherwise(schema, task, bad_values)}; fix those "
            "cells or leave them empty"
        )
    return (
        np.concatenate(targets),
        [np.concatenate(parts) for parts in outs],
        [None if parts is None else np.concatenate(parts) for parts in seen],
        np.concatenate(groups) if group_column is not None else None,
    )


# --- partitioned input, and the engines that score its pieces -----------------------------


@dataclass
class ScoringJob:
    """What every piece is scored with: the verified model and its schema, and where staged
    outputs go. Sent once to each Dask worker, so no worker reads a model from a path."""

    schema: InputSchema
    model: Any
    task_name: str
    cutoff: float | None
    batch_size: int
    profile: Profile | None  # None: the run has no reference profile (drift not measured)
    staging: Path
    # --output FOLDER/: where a piece that is a whole part writes its output part itself, in
    # its final name and format, so that the client has nothing to rewrite (parts.py moves
    # the folder into place); None for one output file.
    output_parts: Path | None = None
    unit_column: str | None = None  # the drift counter's (DriftCounter.unit_column)


@dataclass
class PieceResult:
    """What scoring one piece found: its rows, input report, drift counts and predictions
    (counted or summed), and its staged output (None when nothing was scored)."""

    index: int
    rows: int
    report: InputReport
    drift: DriftCounter | None
    totals: dict[str, Any]
    staged: Path | None
    schema: Any = None  # the output's Arrow schema, when rows were written
    final: bool = False  # `staged` is the finished output part (see ScoringJob.output_parts)


def score_piece(job: ScoringJob, piece: Piece) -> PieceResult:
    """Return what scoring one piece found, its output written to the staging folder.

    The same function for every engine (a Dask task runs it on a worker). Unreadable values
    do not raise here: the piece is read to its end to count them, and the caller reports
    them once for the whole input. Anything else (an unreadable file) raises.
    """
    from ml_baseline.drift import DriftCounter
    from ml_baseline.tasks import get_task

    task = get_task(job.task_name)
    report = InputReport(piece.source)
    counter = None
    if job.profile is not None:
        counter = DriftCounter(job.profile, unit_column=job.unit_column)
    totals: dict[str, Any] = {}
    if piece.layout is None:  # an empty CSV part (0 bytes): no rows, no header
        return PieceResult(piece.index, 0, report, counter, totals, None)
    final = job.output_parts is not None and piece.row_groups is None
    if final:
        staged = job.output_parts / piece.path.name
    else:
        staged = job.staging / f"{piece.index:06d}.parquet"
    schema = None
    batches = iter_batches(
        piece.path,
        list(piece.columns),
        job.batch_size,
        piece.layout,
        None if piece.row_groups is None else list(piece.row_groups),
    )
    scorer = _Scorer(job.schema, job.model, task, report, counter)
    with table_appender(staged) as append:
        for batch, scored in _score_batches([scorer], batches, piece.first_row):
            if scored is not None:
                [(_, out)] = scored
                table = _output_table(job.schema, task, batch, out, job.cutoff, totals)
                schema = table.schema
                append(table)
    if schema is None or report.has_errors:
        staged.unlink(missing_ok=True)  # an empty file is not a table; the client writes one
        return PieceResult(piece.index, report.rows, report, counter, totals, None)
    return PieceResult(piece.index, report.rows, report, counter, totals, staged, schema, final)


def score_locally(
    job: ScoringJob, pieces: list[Piece], on_piece: PiecesProgress | None = None
) -> list[PieceResult]:
    """Return the results of scoring the pieces one after another in this process."""
    results: list[PieceResult] = []
    rows = 0
    for piece in pieces:
        results.append(score_piece(job, piece))
        rows += results[-1].rows
        if on_piece is not None:
            on_piece(len(results), len(pieces), rows)
    return results


def _predict_pieces(
    table_input: TableInput,
    output_path: Path,
    *,
    output_folder: bool,
    run: str,
    models_dir: Path,
    threshold: float | None,
    batch_size: int,
    delimiter: str | None,
    encoding: str | None,
    drift_report: Path | None,
    engine: str,
    scheduler: str | None,
    workers: int | None,
    on_piece: PiecesProgress | None,
) -> PredictResult:
    """`predict` for a partitioned input, a folder output or the Dask engine: plan the
    pieces, score them with the engine into a staging folder, merge what each found in
    order, and only then write the output (one file, or one part per input part)."""
    from ml_baseline.parts import (
        plan_pieces,
        scoring_staging,
        write_output_file,
        write_output_folder,
    )

    if engine not in ("local", "dask"):
        raise MLBaselineError(f"--engine must be local or dask, got {engine!r}")
    if engine == "dask":
        from ml_baseline.scaleout import require_dask

        require_dask()  # before any work: says how to install it
    folder = output_folder or (table_input.partitioned and output_path.is_dir())
    _check_output(table_input, output_path, folder)
    loaded, cutoff = _open_run(models_dir, run, threshold, batch_size)
    layouts, columns, notices = _check_parts(loaded, table_input, delimiter, encoding)
    pieces = plan_pieces(list(table_input.files), layouts, columns)
    counter = _drift_counter(loaded, notices)
    drift_path = drift_report or companion_path(output_path, ".drift.json")
    taken = {p.resolve() for p in table_input.files} | {output_path.resolve()}
    if counter is not None and drift_path.resolve() in taken:
        raise MLBaselineError(
            f"--drift-report {drift_path} is the input or the output; choose another path"
        )
    with scoring_staging(output_path.parent) as (staging, removed):
        notices.extend(f"removed {path}, left by a prediction that was killed" for path in removed)
        output_parts = staging / "output" if folder else None
        if output_parts is not None:
            output_parts.mkdir()
        job = ScoringJob(
            loaded.schema,
            loaded.model,
            loaded.task.name,
            cutoff,
            batch_size,
            None if counter is None else counter.profile,
            staging,
            output_parts,
            None if counter is None else counter.unit_column,
        )
        if engine == "dask":
            from ml_baseline.scaleout import score_on_dask

            results = score_on_dask(job, pieces, scheduler, workers, on_piece)
        else:
            results = score_locally(job, pieces, on_piece)
        report = InputReport(table_input.label)
        totals: dict[str, Any] = {}
        for result in sorted(results, key=lambda r: r.index):
            report.merge(result.report)
            if counter is not None and result.drift is not None:
                counter.merge(result.drift)
            _add_totals(totals, result.totals)
        if (error := report.error()) is not None:
            raise MLBaselineError(error)
        if report.rows == 0:
            raise MLBaselineError(f"{table_input.label} has no data rows; nothing to score")
        results.sort(key=lambda r: r.index)
        staged = [r.staged for r in results]
        names = [path.name for path in table_input.files]
        if output_parts is not None:
            by_part: list[list[Path]] = [[] for _ in names]
            for piece, result in zip(pieces, results, strict=True):
                if result.staged is not None and not result.final:
                    by_part[piece.part].append(result.staged)
            schema = next(r.schema for r in results if r.schema is not None)
            write_output_folder(by_part, names, output_path, output_parts, batch_size, schema)
        else:
            write_output_file(staged, [names[p.part] for p in pieces], output_path, batch_size)
    drift = _judge_drift(counter, loaded, Path(table_input.label), report, drift_path)
    parts = names if output_parts is not None else None
    return _predict_result(
        loaded, output_path, cutoff, report, totals, notices, drift, drift_path, parts
    )


def _check_output(table_input: TableInput, output_path: Path, folder: bool) -> None:
    """Refuse an output that would overwrite the input, and a file output that is a folder."""
    if not folder:
        check_output_path(output_path, "preds.csv")
        if output_path.resolve() in {p.resolve() for p in table_input.files}:
            raise MLBaselineError(f"--output {output_path} is an input file; choose another path")
        return
    if output_path.exists() and not output_path.is_dir():
        raise MLBaselineError(
            f"--output {output_path}/ names a folder, but {output_path} is a file; choose "
            "another path"
        )
    if output_path.resolve() in {p.parent.resolve() for p in table_input.files}:
        raise MLBaselineError(
            f"--output {output_path}/ is the input's folder: its parts would be overwritten; "
            "choose another folder"
        )


def _check_parts(
    loaded: LoadedRun, table_input: TableInput, delimiter: str | None, encoding: str | None
) -> tuple[list[TableLayout | None], list[str], list[str]]:
    """Return each part's layout, the columns to read and the notices, after checking every
    part's columns against the schema (an error names the part). The notices are those of
    the first part, said of the whole input."""
    layouts: list[TableLayout | None] = []
    columns: list[str] | None = None
    first: Path | None = None
    notices: list[str] = []
    for path in table_input.files:
        if table_input.partitioned and path.stat().st_size == 0 and file_kind(path).format == "csv":
            layouts.append(None)  # Spark writes empty partitions as empty files
            continue
        layout = inspect_table(path, delimiter=delimiter, encoding=encoding)
        available = read_columns(path, layout)
        wanted, _ = loaded.schema.columns_to_read(available, str(path))
        if columns is None:
            columns, first = wanted, path
            _, notices = loaded.schema.columns_to_read(available, table_input.label)
            notices[:0] = layout.notes
        elif wanted != columns:
            raise MLBaselineError(
                f"{path}: the columns to score ({', '.join(wanted)}) differ from those of the "
                f"first part {first} ({', '.join(columns)}); every part needs the same id "
                "and feature columns"
            )
        layouts.append(layout)
    if columns is None:
        raise MLBaselineError(f"{table_input.label} has no data rows; nothing to score")
    return layouts, columns, notices


def _add_totals(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Add one piece's prediction totals (counts per label, or sums) to `into`."""
    for key, value in other.items():
        if isinstance(value, dict):
            counts = into.setdefault(key, {})
            for label, count in value.items():
                counts[label] = counts.get(label, 0) + count
        else:
            into[key] = into.get(key, 0) + value


def _written_otherwise(schema: InputSchema, task: Task, values: list[Any]) -> str:
    """Return, when a numeric target's refused labels are numbers written as text in a form
    training did not read them in ("$9.50", "9,5"), that they are; when a class's are one of
    the run's labels but for case or spaces (`no ` for `No`: probe 67), that they are; ""
    otherwise."""
    from ml_baseline.convert import WRITTEN_OTHERWISE, written_as_numbers

    texts = [value for value in values if isinstance(value, str)]
    if task.classifies:
        labels = {spelling_key(str(label)): label for label in schema.labels or []}
        alike = {text: labels[spelling_key(text)] for text in texts if spelling_key(text) in labels}
        said = ", ".join(f"{shown(text)} for {shown(label)}" for text, label in alike.items())
        return f": written {said}, which differ only in case or spaces" if alike else ""
    if len(texts) < len(values) or not written_as_numbers(texts):
        return ""
    if (written := schema.target_number_format) is not None:
        return f": numbers written otherwise than training's ({written.describe()})"
    return f": {WRITTEN_OTHERWISE}"
