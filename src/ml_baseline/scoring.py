"""Batch prediction against a saved run.

The input is read in batches; each batch is checked against the run's input schema, scored,
and appended to a temporary output file that replaces `--output` only when every row is
scored. Problems are counted over all batches and reported once.
"""

from __future__ import annotations

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
    inspect_table,
    iter_batches,
    read_columns,
    table_appender,
)
from ml_baseline.errors import MLBaselineError, shown
from ml_baseline.metrics import DEFAULT_RESAMPLES
from ml_baseline.schema import InputReport, InputSchema, check_id_columns
from ml_baseline.tasks import Task

if TYPE_CHECKING:
    from ml_baseline.drift import DriftCounter, DriftReport

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
    input_problems: dict[str, dict[str, int]] = field(default_factory=dict)
    drift: DriftReport | None = None  # None: the run has no reference profile
    drift_path: Path | None = None  # where the drift report was written


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


def _scored_batches(
    loaded: LoadedRun,
    input_path: Path,
    columns: list[str],
    report: InputReport,
    batch_size: int,
    on_batch: Progress | None = None,
    layout: TableLayout | None = None,
    drift: DriftCounter | None = None,
) -> Iterator[tuple[Any, Any]]:
    """Yield (batch, model outputs) for the input, in order, counting each scored batch into
    `drift`'s bins.

    Once a batch has unreadable values nothing more is scored, but reading goes on so that the
    error, raised at the end, counts the bad values of the whole file.
    """
    from ml_baseline.models import outputs

    task = loaded.task
    total = count_rows(input_path)
    for batch in iter_batches(input_path, columns, batch_size, layout):
        check_id_columns(batch, loaded.schema.id_columns, report.source)
        X = loaded.schema.convert(batch, report, first_row=report.rows + 1)
        report.add_rows(batch.num_rows)
        if not report.has_errors:
            out = outputs(loaded.model, X, task)
            if drift is not None:
                drift.add(X, out, task, loaded.schema.labels)
            yield batch, out
        if on_batch is not None:
            on_batch(report.rows, total)
    if (error := report.error()) is not None:
        raise MLBaselineError(error)
    if report.rows == 0:
        raise MLBaselineError(f"{report.source} has no data rows; nothing to score")


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
) -> PredictResult:
    """Return a summary of scoring `input_path` with a saved run into `output_path`.

    The output holds the input's id columns and the run's prediction columns (see the task's
    `output_columns`), one row per input row, in input order. `delimiter` and `encoding` say how
    to read a CSV input (by default they are found from its first lines). The drift report
    (drift.py) is written to `drift_report`, by default beside the output (preds.drift.json).
    """
    import pyarrow as pa

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

    with table_appender(output_path) as append:
        scored = _scored_batches(
            loaded, input_path, columns, report, batch_size, on_batch, layout, counter
        )
        for batch, out in scored:
            columns_out = schema.id_values(batch)
            columns_out.update(task.output_columns(schema.labels, out, cutoff))
            append(pa.table(columns_out))
            task.summarize(columns_out["prediction"], out, totals)
    drift = _judge_drift(counter, loaded, input_path, report, drift_path)

    return PredictResult(
        run_id=loaded.run_id,
        run_dir=loaded.run.path,
        output=output_path,
        rows=report.rows,
        threshold=cutoff,
        task=task.name,
        predictions=task.summary(totals, report.rows),
        notices=notices,
        warnings=_input_warnings(report, drift),
        input_problems=report.summary(),
        drift=drift,
        drift_path=None if drift is None else drift_path,
    )


def _input_warnings(report: InputReport, drift: DriftReport | None) -> list[str]:
    """One warning per drifted column; for a run without a reference profile, one per column
    with missing, unseen or out-of-range values (what could be said before drift)."""
    if drift is None:
        return report.warnings()
    return drift.warnings(report.unseen_examples())


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
    return DriftCounter(profile)


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
    from ml_baseline.drift import judge

    if counter is None:
        return None
    drift = judge(counter)
    if path is not None:
        document = {
            "run_id": loaded.run_id,
            "input": str(input_path),
            **drift.to_dict(),
            "input_problems": report.summary(),
        }
        write_bytes_atomic(path, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
    return drift


@dataclass
class EvaluateResult:
    """The run's metrics on newly labelled data, next to its holdout metrics from training."""

    run_id: str
    task: str
    rows: int
    labelled_rows: int
    metrics: dict[str, Any]
    intervals: dict[str, list[float | None]]
    holdout: dict[str, Any]  # the run's metrics/holdout_metrics.json
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    input_problems: dict[str, dict[str, int]] = field(default_factory=dict)
    drift: DriftReport | None = None
    drift_path: Path | None = None


def evaluate(
    input_path: Path,
    *,
    run: str = "latest",
    models_dir: Path = Path("models"),
    threshold: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Progress | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    drift_report: Path | None = None,
) -> EvaluateResult:
    """Return the run's metrics, with bootstrap intervals, on a table that carries the target.
    `delimiter` and `encoding` say how to read a CSV input, as for `predict`; the drift report
    is written to `drift_report` when given."""
    import numpy as np

    loaded, cutoff = _open_run(models_dir, run, threshold, batch_size)
    schema, task = loaded.schema, loaded.task
    holdout = loaded.run.holdout_metrics()  # a damaged file fails before the input is read
    source = str(input_path)
    layout = inspect_table(input_path, delimiter=delimiter, encoding=encoding)
    available = read_columns(input_path, layout)
    columns, notices = schema.columns_to_read(available, source, with_target=True)
    notices[:0] = layout.notes
    report = InputReport(source)
    counter = _drift_counter(loaded, notices)
    if drift_report is not None and drift_report.resolve() == input_path.resolve():
        raise MLBaselineError(f"--drift-report {drift_report} is the input; choose another path")
    scored = _scored_batches(
        loaded, input_path, columns, report, batch_size, on_batch, layout, counter
    )
    y_all, out_all = _labelled_outputs(scored, schema, task, source)
    labelled = ~np.isnan(y_all)
    if labelled.sum() == 0:
        raise MLBaselineError(f"{source}: every row's target {schema.target!r} is empty")
    if labelled.sum() < len(y_all):
        skipped = len(y_all) - labelled.sum()
        notices.append(f"{skipped} row(s) with an empty target were not evaluated")
    y, out = y_all[labelled], out_all[labelled]
    if task.classifies:
        y = y.astype(np.int64)
    notices.extend(task.evaluation_notes(y))
    results = task.holdout_metrics(y, out, schema.labels, cutoff)
    intervals = task.intervals(
        y,
        {"model": out},
        {"model": cutoff},
        schema.labels,
        n_resamples=holdout["confidence_intervals"].get("resamples", DEFAULT_RESAMPLES),
        seed=holdout["confidence_intervals"].get("seed", 0),
    )
    drift = _judge_drift(counter, loaded, input_path, report, drift_report)
    return EvaluateResult(
        run_id=loaded.run_id,
        task=task.name,
        rows=report.rows,
        labelled_rows=int(labelled.sum()),
        metrics=results,
        intervals=intervals["model"],
        holdout=holdout,
        notices=notices,
        warnings=_input_warnings(report, drift),
        input_problems=report.summary(),
        drift=drift,
        drift_path=None if drift is None else drift_report,
    )


def _labelled_outputs(
    scored: Iterator[tuple[Any, Any]], schema: InputSchema, task: Task, source: str
) -> tuple[Any, Any]:
    """Return every row's target (NaN where empty) and the model's outputs, over all batches;
    a target cell that is not a valid target is an error naming up to three rows."""
    import numpy as np

    targets, outs, bad_labels = [], [], []
    first_row = 1
    for batch, out in scored:
        y, unknown = schema.encode_target(batch.column(schema.target))
        for position in np.flatnonzero(unknown)[: 3 - len(bad_labels)]:
            value = batch.column(schema.target)[int(position)].as_py()
            bad_labels.append(f"row {first_row + int(position)} {shown(value)}")
        targets.append(y)
        outs.append(out)
        first_row += batch.num_rows
    if bad_labels:
        raise MLBaselineError(
            f"{source}: target {schema.target!r} holds values other than "
            f"{task.expected_targets(schema.labels)} "
            f"({', '.join(bad_labels)}); fix those cells or leave them empty"
        )
    return np.concatenate(targets), np.concatenate(outs)
