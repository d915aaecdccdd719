"""Batch prediction against a saved run.

The input is read in batches; each batch is checked against the run's input schema, scored,
and appended to a temporary output file that replaces `--output` only when every row is
scored. Problems are counted over all batches and reported once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ml_baseline import registry
from ml_baseline.data import (
    count_rows,
    iter_batches,
    read_columns,
    table_appender,
    table_format,
)
from ml_baseline.errors import MLBaselineError
from ml_baseline.schema import InputReport, InputSchema, check_id_columns

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
    warnings: list[str] = field(default_factory=list)  # missing, unseen or out-of-range values
    input_problems: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class LoadedRun:
    """A run's model and schema, ready to score."""

    run_id: str
    run_dir: Path
    meta: dict[str, Any]
    schema: InputSchema
    model: Any

    def read_json(self, relative: str) -> Any:
        """Return one of the run's JSON files."""
        path = self.run_dir / relative
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise MLBaselineError(f"cannot read {path}: {exc}; the run folder is damaged") from exc


def load_run(models_dir: Path, ref: str) -> LoadedRun:
    """Return the run named by `ref` with its verified model and input schema."""
    run_dir = registry.resolve_run(models_dir, ref)
    meta = registry.load_run_meta(run_dir)
    schema_path = run_dir / registry.SCHEMA_FILE
    try:
        schema = InputSchema.from_dict(json.loads(schema_path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MLBaselineError(
            f"cannot read {schema_path}: {exc}; the run folder is damaged"
        ) from exc
    model = registry.load_model(run_dir, meta)
    return LoadedRun(meta["run_id"], run_dir, meta, schema, model)


def _open_run(
    models_dir: Path, run: str, threshold: float | None, batch_size: int
) -> tuple[LoadedRun, float | None]:
    """Return the run to score with, after checking the options, and the threshold to use."""
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise MLBaselineError(f"--threshold must be between 0 and 1, got {threshold}")
    if batch_size < 1:
        raise MLBaselineError(f"--batch-size must be at least 1, got {batch_size}")
    loaded = load_run(models_dir, run)
    if threshold is not None and loaded.schema.task != "binary":
        raise MLBaselineError(
            f"--threshold applies to binary runs; this run is {loaded.schema.task}"
        )
    return loaded, loaded.meta["threshold"] if threshold is None else threshold


# Called after each batch with (rows done, total rows when the file says, else None).
Progress = Callable[[int, int | None], None]


def _scored_batches(
    loaded: LoadedRun,
    input_path: Path,
    columns: list[str],
    report: InputReport,
    batch_size: int,
    on_batch: Progress | None = None,
) -> Iterator[tuple[Any, Any]]:
    """Yield (batch, positive-class scores) for the input, in order.

    Once a batch has unreadable values nothing more is scored, but reading goes on so that the
    error, raised at the end, counts the bad values of the whole file.
    """
    from ml_baseline.models import outputs

    total = count_rows(input_path)
    for batch in iter_batches(input_path, columns, batch_size):
        check_id_columns(batch, loaded.schema.id_columns, report.source)
        X = loaded.schema.convert(batch, report, first_row=report.rows + 1)
        report.add_rows(batch.num_rows)
        if not report.has_errors:
            yield batch, outputs(loaded.model, X, loaded.schema.task)
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
) -> PredictResult:
    """Return a summary of scoring `input_path` with a saved run into `output_path`.

    The output holds the input's id columns and the run's prediction columns (see
    models.output_columns), one row per input row, in input order.
    """
    import pyarrow as pa

    from ml_baseline.models import output_columns

    table_format(output_path)  # an unknown output extension fails before any work
    if input_path.resolve() == output_path.resolve():
        raise MLBaselineError(f"--output {output_path} is the input file; choose another path")

    loaded, cutoff = _open_run(models_dir, run, threshold, batch_size)
    schema = loaded.schema
    columns, notices = schema.columns_to_read(read_columns(input_path), str(input_path))
    report = InputReport(str(input_path))
    summary = _PredictionSummary(schema)

    with table_appender(output_path) as append:
        scored = _scored_batches(loaded, input_path, columns, report, batch_size, on_batch)
        for batch, out in scored:
            columns_out = schema.id_values(batch)
            columns_out.update(output_columns(schema, out, cutoff))
            append(pa.table(columns_out))
            summary.add(columns_out["prediction"], out)

    return PredictResult(
        run_id=loaded.run_id,
        run_dir=loaded.run_dir,
        output=output_path,
        rows=report.rows,
        threshold=cutoff,
        task=schema.task,
        predictions=summary.result(report.rows),
        notices=notices,
        warnings=report.warnings(),
        input_problems=report.summary(),
    )


class _PredictionSummary:
    """What was predicted, over all batches: counts per label, or the sum of values."""

    def __init__(self, schema: InputSchema) -> None:
        self.task = schema.task
        self.counts: dict[str, int] = {}
        self.total = 0.0

    def add(self, predictions: Any, out: Any) -> None:
        import pyarrow.compute as pc

        if self.task == "regression":
            self.total += float(out.sum())
            return
        for item in pc.value_counts(predictions).to_pylist():
            key = str(item["values"])
            self.counts[key] = self.counts.get(key, 0) + item["counts"]

    def result(self, rows: int) -> dict[str, Any]:
        if self.task == "regression":
            return {"mean_prediction": self.total / rows if rows else None}
        return {"counts": dict(sorted(self.counts.items()))}


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


def evaluate(
    input_path: Path,
    *,
    run: str = "latest",
    models_dir: Path = Path("models"),
    threshold: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Progress | None = None,
) -> EvaluateResult:
    """Return the run's metrics, with bootstrap intervals, on a table that carries the target."""
    import numpy as np

    from ml_baseline import metrics
    from ml_baseline.models import BINARY, MULTICLASS

    loaded, cutoff = _open_run(models_dir, run, threshold, batch_size)
    schema = loaded.schema
    source = str(input_path)
    columns, notices = schema.columns_to_read(read_columns(input_path), source, with_target=True)
    report = InputReport(source)
    targets, outs, bad_labels = [], [], []
    first_row = 1
    scored = _scored_batches(loaded, input_path, columns, report, batch_size, on_batch)
    for batch, out in scored:
        y, unknown = schema.encode_target(batch.column(schema.target))
        for position in np.flatnonzero(unknown)[: 3 - len(bad_labels)]:
            value = batch.column(schema.target)[int(position)].as_py()
            bad_labels.append(f"row {first_row + int(position)} {value!r}")
        targets.append(y)
        outs.append(out)
        first_row += batch.num_rows
    if bad_labels:
        expected = (
            "numbers" if schema.task == "regression" else f"the run's labels {schema.labels!r}"
        )
        raise MLBaselineError(
            f"{source}: target {schema.target!r} holds values other than {expected} "
            f"({', '.join(bad_labels)}); fix those cells or leave them empty"
        )
    y_all, out_all = np.concatenate(targets), np.concatenate(outs)
    labelled = ~np.isnan(y_all)
    if labelled.sum() == 0:
        raise MLBaselineError(f"{source}: every row's target {schema.target!r} is empty")
    if labelled.sum() < len(y_all):
        skipped = len(y_all) - labelled.sum()
        notices.append(f"{skipped} row(s) with an empty target were not evaluated")
    y, out = y_all[labelled], out_all[labelled]
    holdout = loaded.read_json("metrics/holdout_metrics.json")
    seed = holdout["confidence_intervals"]["seed"]
    if schema.task == BINARY:
        y = y.astype(np.int64)
        if len(np.unique(y)) < 2:
            notices.append(
                "the labelled rows hold one class only: ROC AUC and PR AUC are undefined"
            )
        results = metrics.binary_metrics(y, out, cutoff)
        intervals = metrics.bootstrap_intervals(y, {"model": out}, {"model": cutoff}, seed=seed)
    elif schema.task == MULTICLASS:
        y = y.astype(np.int64)
        results = metrics.multiclass_metrics(y, out, schema.labels)
        intervals = metrics.multiclass_intervals(
            y, {"model": out.argmax(axis=1)}, len(schema.labels), seed=seed
        )
    else:
        results = metrics.regression_metrics(y, out)
        intervals = metrics.regression_intervals(y, {"model": out}, seed=seed)
    return EvaluateResult(
        run_id=loaded.run_id,
        task=schema.task,
        rows=report.rows,
        labelled_rows=int(labelled.sum()),
        metrics=results,
        intervals=intervals["model"],
        holdout=holdout,
        notices=notices,
        warnings=report.warnings(),
        input_problems=report.summary(),
    )
