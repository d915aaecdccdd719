"""Batch prediction against a saved run.

The input is read in batches; each batch is checked against the run's input schema, scored,
and appended to a temporary output file that replaces `--output` only when every row is
scored. Problems are counted over all batches and reported once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ml_baseline import registry
from ml_baseline.data import iter_batches, read_columns, table_appender, table_format
from ml_baseline.errors import MLBaselineError
from ml_baseline.schema import InputReport, InputSchema

DEFAULT_BATCH_SIZE = 100_000
DEFAULT_OUTPUT = Path("outputs/preds.csv")


@dataclass
class PredictResult:
    """What `predict` did: where the scores went and what it noticed in the input."""

    run_id: str
    run_dir: Path
    output: Path
    rows: int
    threshold: float
    predicted_positive: int
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


def predict(
    input_path: Path,
    output_path: Path = DEFAULT_OUTPUT,
    *,
    run: str = "latest",
    models_dir: Path = Path("models"),
    threshold: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> PredictResult:
    """Return a summary of scoring `input_path` with a saved run into `output_path`.

    The output holds the input's id columns, `score` (probability of the positive label) and
    `prediction` (the predicted label), one row per input row, in input order.
    """
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise MLBaselineError(f"--threshold must be between 0 and 1, got {threshold}")
    if batch_size < 1:
        raise MLBaselineError(f"--batch-size must be at least 1, got {batch_size}")
    table_format(output_path)  # an unknown output extension fails before any work
    if input_path.resolve() == output_path.resolve():
        raise MLBaselineError(f"--output {output_path} is the input file; choose another path")

    loaded = load_run(models_dir, run)
    schema = loaded.schema
    source = str(input_path)
    columns, notices = schema.columns_to_read(read_columns(input_path), source)
    cutoff = loaded.meta["threshold"] if threshold is None else threshold
    report = InputReport(source)
    predicted_positive = 0

    with table_appender(output_path) as append:
        for batch in iter_batches(input_path, columns, batch_size):
            X = schema.convert(batch, report, first_row=report.rows + 1)
            report.add_rows(batch.num_rows)
            if report.error() is not None:
                continue  # keep reading: the error reports counts over the whole file
            scored, positives = _score_batch(loaded, batch, X, cutoff)
            predicted_positive += positives
            append(scored)
        if (error := report.error()) is not None:
            raise MLBaselineError(error)
        if report.rows == 0:
            raise MLBaselineError(f"{source} has no data rows; nothing to score")

    return PredictResult(
        run_id=loaded.run_id,
        run_dir=loaded.run_dir,
        output=output_path,
        rows=report.rows,
        threshold=cutoff,
        predicted_positive=predicted_positive,
        notices=notices,
        warnings=report.warnings(),
        input_problems=report.summary(),
    )


def _score_batch(loaded: LoadedRun, batch: Any, X: Any, threshold: float) -> tuple[Any, int]:
    """Return the output table for one batch, and how many rows were predicted positive."""
    import pyarrow as pa

    from ml_baseline.training import positive_scores

    schema = loaded.schema
    score = positive_scores(loaded.model, X)
    columns = schema.id_values(batch)
    columns["score"] = pa.array(score, type=pa.float64())
    columns["prediction"] = schema.predicted_labels(score, threshold)
    return pa.table(columns), int((score >= threshold).sum())
