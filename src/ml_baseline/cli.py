"""The `ml-baseline` command line: parse options, call the library, render the result.

This is the only module that prints. Library errors (`MLBaselineError`) become one line
`Error: ...` on stderr and exit code 1; anything else is a bug, reported in one line too unless
`--debug` (or ML_BASELINE_DEBUG=1) asks for the traceback. Heavy libraries are imported inside
the commands, so `--help` and `--version` start instantly.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core

from ml_baseline import __version__
from ml_baseline.errors import MLBaselineError, Terminated
from ml_baseline.models import ModelKind  # light: heavy imports live in functions
from ml_baseline.training import SplitStrategy, TaskChoice, ThresholdStrategy

if TYPE_CHECKING:
    from ml_baseline.audit import AuditResult
    from ml_baseline.scoring import EvaluateResult, PredictResult
    from ml_baseline.training import TrainResult
    from ml_baseline.view import RunView

DEBUG_ENV = "ML_BASELINE_DEBUG"


class _ErrorReportingGroup(typer.core.TyperGroup):
    """Turns exceptions from any command into the error contract (README: "Errors and exit
    codes")."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, where it is handled, not at exit
            return result
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # Typer's own exits and usage errors (exit code 2)
        except MLBaselineError as exc:
            _stderr(f"Error: {exc}")
            raise typer.Exit(1) from None
        except BrokenPipeError:
            # The reader of stdout went away (`ml-baseline runs show | head -1`): say nothing
            # and exit 1, as Python's documentation, click and rich do. stdout now points at
            # /dev/null so that the final flush does not fail too.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (Terminated): see main()
            _stderr(_interrupted(exc))
            # The codes a shell reports for a process killed by the signal: 128 + its number.
            signum = signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT
            raise typer.Exit(128 + signum) from None
        except Exception as exc:
            if _debugging(ctx):
                raise
            _stderr(
                f"Error: unexpected {type(exc).__name__}: {exc} "
                f"(a bug in ml-baseline; rerun with --debug for the traceback)"
            )
            raise typer.Exit(1) from None


def _interrupted(exc: KeyboardInterrupt) -> str:
    """Return the line that reports Ctrl-C or SIGTERM: what the command had saved by then (the
    notes added from the moment something was saved), else that nothing was written."""
    stopped = "Terminated" if isinstance(exc, Terminated) else "Interrupted"
    saved = getattr(exc, "__notes__", [])
    return f"{stopped}; {'; '.join(saved)}." if saved else f"{stopped}; nothing was written."


@contextlib.contextmanager
def _saved(what: Callable[[], str]) -> Iterator[None]:
    """If the command is interrupted in this block, report `what()` it saved before (when it
    says anything)."""
    try:
        yield
    except KeyboardInterrupt as exc:
        if saved := what():
            exc.add_note(saved)
        raise


def _debugging(ctx: typer.Context) -> bool:
    return bool(ctx.params.get("debug")) or os.environ.get(DEBUG_ENV, "") not in ("", "0")


app = typer.Typer(
    cls=_ErrorReportingGroup,
    help="An honest, reproducible baseline model for a tabular feature table.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
runs_app = typer.Typer(
    cls=_ErrorReportingGroup,
    help="List, show and compare training runs.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(runs_app, name="runs")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ml-baseline {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help=f"Show tracebacks of unexpected errors ({DEBUG_ENV}=1).")
    ] = False,
) -> None:
    """An honest, reproducible baseline model for a tabular feature table."""


# --- shared options ------------------------------------------------------------------------

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout instead of tables.")
]
ModelsDirOption = Annotated[
    Path, typer.Option("--models-dir", help="Folder holding runs/ and registry/.")
]


def _run_ref(value: str) -> str:
    # An empty --run (an unset shell variable) read as the current folder: "Error: . is not a
    # complete run folder" (probe 28).
    if not value.strip():
        raise typer.BadParameter("is empty; pass latest, a run id, or a run folder's path")
    return value


RunOption = Annotated[
    str,
    typer.Option(
        "--run", callback=_run_ref, help="Run to use: latest, a run id, or a run folder path."
    ),
]


def _delimiter(value: str | None) -> str | None:
    from ml_baseline.data import normalize_delimiter

    try:
        return None if value is None else normalize_delimiter(value)
    except MLBaselineError as exc:
        raise typer.BadParameter(str(exc)) from None


def _encoding(value: str | None) -> str | None:
    from ml_baseline.data import normalize_encoding

    try:
        return None if value is None else normalize_encoding(value)
    except MLBaselineError as exc:
        raise typer.BadParameter(str(exc)) from None


DelimiterOption = Annotated[
    str | None,
    typer.Option(
        "--delimiter",
        callback=_delimiter,
        help="CSV column separator, e.g. ';', '|' or tab. Default: found from the header line.",
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        callback=_encoding,
        help="CSV text encoding, e.g. latin-1, cp1252 or utf-16. Default: UTF-8 (UTF-16 when "
        "the file starts with its byte order mark).",
    ),
]


def _existing_table(path: Path) -> Path:
    """A table to read: a file, a folder of part files, or a glob that matches some."""
    import glob

    from ml_baseline.parts import is_pattern

    if path.exists() or (is_pattern(str(path)) and glob.glob(str(path))):
        return path
    if is_pattern(str(path)):
        raise typer.BadParameter(f"no file matches the pattern {str(path)!r}")
    raise typer.BadParameter(
        f"file {str(path)!r} does not exist (for the demo table, run "
        "`ml-baseline make-sample-data` first)"
    )


def _one_labelled_file(path: Path) -> Path:
    """A labelled table for evaluate: one file (a folder of part files, which predict reads,
    met click's bare "is a directory", probe 52)."""
    from ml_baseline.parts import is_pattern

    if path.is_dir():
        raise typer.BadParameter(
            f"{str(path)!r} is a folder: evaluate reads one labelled file; join its parts into "
            "one (.csv or .parquet), or score them with predict"
        )
    # A glob, which predict reads, was "does not exist" however many files it matched.
    if not path.exists() and is_pattern(str(path)):
        raise typer.BadParameter(
            f"{str(path)!r} is a pattern: evaluate reads one labelled file; join the files it "
            "matches into one (.csv or .parquet), or score them with predict"
        )
    if not path.exists():
        raise typer.BadParameter(f"file {str(path)!r} does not exist")
    return path


def _stderr(message: str) -> None:
    """Print one line on stderr: line breaks and other control characters inside (a column
    name's, say) are shown escaped, so that no input can rewrite the terminal."""
    typer.echo(_printable(message), err=True)


def _printable(text: str) -> str:
    """Return `text` with control characters escaped (\\n, \\x1b, ...)."""
    return "".join(
        char if char.isprintable() or char == " " else char.encode("unicode_escape").decode()
        for char in text
    )


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str, allow_nan=False))


def _notices(notices: list[str]) -> None:
    for notice in notices:
        _stderr(f"Note: {notice}")


def _indented(label: str, lines: list[str]) -> list[str]:
    """Return lines under a label, the first beside it and the others aligned with it."""
    return [(label if i == 0 else " " * len(label)) + line for i, line in enumerate(lines)]


ThresholdOverride = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        help="Override the run's decision threshold (binary runs), between 0 and 1.",
    ),
]
BatchSizeOption = Annotated[
    int, typer.Option("--batch-size", min=1, help="Rows read and scored at a time.")
]


class Engine(StrEnum):
    """Where predict scores: in this process, or as tasks on a Dask cluster."""

    local = "local"
    dask = "dask"


QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display on stderr.")]
FailOnDriftOption = Annotated[
    bool,
    typer.Option(
        "--fail-on-drift",
        help="Exit 1 (after writing everything) when drift is found. For pipelines.",
    ),
]


@contextlib.contextmanager
def _progress(quiet: bool, description: str, rows: bool = True) -> Iterator[Any]:
    """Yield a rich progress display on stderr (rows scored, or only the current step), or
    None when quiet or when stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: tuple[Any, ...] = (SpinnerColumn(), TextColumn("{task.description}"))
    if rows:
        columns += (
            BarColumn(),
            TextColumn("{task.completed:,.0f} rows {task.fields[rate]}"),
            TimeRemainingColumn(),
        )
    else:
        columns += (TimeElapsedColumn(),)
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        progress.add_task(description, total=None, rate="")
        yield progress


def _on_step(progress: Any) -> Any:
    """Return a training step callback that shows the step's name."""
    if progress is None:
        return None
    task = progress.task_ids[0]
    return lambda name: progress.update(task, description=f"train: {name.replace('_', ' ')}")


def _on_batch(progress: Any) -> Any:
    """Return a batch callback that shows rows scored, rows per second and, for files that
    record their size, the time remaining."""
    if progress is None:
        return None
    task = progress.task_ids[0]
    started = time.perf_counter()

    def update(rows: int, total: int | None) -> None:
        rate = rows / max(time.perf_counter() - started, 1e-9)
        progress.update(task, completed=rows, total=total, rate=f"({rate:,.0f} rows/s)")

    return update


def _on_piece(progress: Any) -> Any:
    """Return a callback for partitioned scoring that shows parts done of all, rows scored
    and rows per second."""
    if progress is None:
        return None
    task = progress.task_ids[0]
    started = time.perf_counter()

    def update(done: int, total: int, rows: int) -> None:
        rate = rows / max(time.perf_counter() - started, 1e-9)
        progress.update(
            task,
            description=f"predict: {done}/{total} parts",
            completed=rows,
            rate=f"({rate:,.0f} rows/s)",
        )

    return update


def _console() -> Any:
    from rich.console import Console

    # Piped output has no terminal width; wide enough that run ids are never cut.
    width = None if sys.stdout.isatty() else 160
    return Console(highlight=False, soft_wrap=False, width=width)


# --- make-sample-data ----------------------------------------------------------------------


@app.command("make-sample-data")
def make_sample_data(
    n_users: Annotated[
        int, typer.Option("--n-users", min=1, help="Number of rows (users).")
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same bytes.")] = 42,
    output: Annotated[
        Path, typer.Option("--output", help="Where to write it (.csv or .parquet).")
    ] = Path("data/processed/features.csv"),
    leaky: Annotated[
        bool,
        typer.Option(
            "--leaky",
            help="Use the seed project's target, is_high_value = total_amount >= 80 (leaks).",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing file with other contents.")
    ] = False,
) -> None:
    """Write a deterministic demo feature table (one row per user)."""
    from ml_baseline.data import write_sample_data

    status = write_sample_data(output, n_users=n_users, seed=seed, leaky=leaky, force=force)
    with _saved(lambda: f"{output} is complete"):
        kind = "leaky (seed definition)" if leaky else "realistic"
        verb = {"unchanged": "Already up to date", "written": "Wrote", "replaced": "Replaced"}
        typer.echo(
            f"{verb[status]}: {output} ({n_users} users, seed {seed}, {kind} target is_high_value)"
        )


# --- train ---------------------------------------------------------------------------------


@app.command()
def train(
    target: Annotated[str, typer.Option("--target", help="Column to predict.")],
    features: Annotated[
        Path,
        typer.Option(
            "--features",
            callback=_existing_table,
            help="Feature table (.csv or .parquet; also .tsv and .csv.gz, .csv.bz2, .csv.zst), "
            "or a folder of part files or a glob: the parts are read in name order.",
        ),
    ] = Path("data/processed/features.csv"),
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    task: Annotated[
        TaskChoice,
        typer.Option(
            "--task",
            help="auto: two values -> binary; a few values -> multiclass; a numeric target "
            "with many values -> regression (the choice is printed).",
        ),
    ] = TaskChoice.auto,
    model: Annotated[
        ModelKind,
        typer.Option(
            "--model",
            help="logreg: LogisticRegression (Ridge for regression). hgb: HistGradientBoosting.",
        ),
    ] = ModelKind.logreg,
    id_col: Annotated[
        list[str] | None,
        typer.Option(
            "--id-col",
            help="Id column, carried to predictions, never a feature. Repeatable. "
            "Default: user_id when present.",
        ),
    ] = None,
    test_size: Annotated[
        float, typer.Option("--test-size", help="Share of rows held out for evaluation.")
    ] = 0.2,
    split: Annotated[
        SplitStrategy,
        typer.Option(
            "--split",
            help="random: stratified random holdout. time: the latest rows by --time-col. "
            "group: whole groups of --group-col on one side.",
        ),
    ] = SplitStrategy.random,
    time_col: Annotated[
        str | None, typer.Option("--time-col", help="Column ordering rows, for --split time.")
    ] = None,
    group_col: Annotated[
        str | None,
        typer.Option("--group-col", help="Column of groups kept together, for --split group."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the split and bootstrap.")] = 42,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Decision threshold on the score (fixed).")
    ] = 0.5,
    threshold_strategy: Annotated[
        ThresholdStrategy,
        typer.Option(
            "--threshold-strategy",
            help="fixed: use --threshold. max_f1: the F1-best threshold from out-of-fold "
            "predictions on the training split (never the holdout).",
        ),
    ] = ThresholdStrategy.fixed,
    positive_label: Annotated[
        str | None,
        typer.Option(
            "--positive-label",
            help="The target value that counts as positive. Default: 1/True (of 0/1, -1/1 or "
            "booleans), else yes/y, else an event's status (survival data's codes), else the "
            "rarer.",
        ),
    ] = None,
    drop_col: Annotated[
        list[str] | None,
        typer.Option("--drop-col", help="Column to leave out of the features. Repeatable."),
    ] = None,
    models_dir: ModelsDirOption = Path("models"),
    fail_on_leakage: Annotated[
        bool,
        typer.Option(
            "--fail-on-leakage",
            help="Exit 1 (after saving the run) when the audit suspects leakage. For CI.",
        ),
    ] = False,
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="Unit of analysis, for the model card (e.g. 'one user')."),
    ] = None,
    quiet: QuietOption = False,
    decision: Annotated[
        str | None,
        typer.Option("--decision", help="Decision the model enables, for the model card."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Fit a dummy baseline and a model (LogisticRegression, Ridge for regression, or
    HistGradientBoosting) on a holdout (stratified random, by time or by group), compare them
    with 95% intervals, audit for leakage, and save the run."""
    from ml_baseline.training import TrainConfig
    from ml_baseline.training import train as train_run

    config = TrainConfig(
        target=target,
        features=features,
        task=task,
        model=model,
        id_columns=id_col or None,
        test_size=test_size,
        split=split,
        time_column=time_col,
        group_column=group_col,
        seed=seed,
        threshold=threshold,
        threshold_strategy=threshold_strategy,
        positive_label=positive_label,
        drop_columns=drop_col or [],
        models_dir=models_dir,
        unit=unit,
        decision=decision,
        delimiter=delimiter,
        encoding=encoding,
    )
    if (problem := config.problem()) is not None:  # one rule for option values: exit 2
        raise typer.BadParameter(problem)
    from ml_baseline.registry import committed_state

    with _progress(quiet, "train", rows=False) as progress:
        result = train_run(config, on_step=_on_step(progress))
    with _saved(lambda: committed_state(models_dir, result.run_id)):
        _train_notices(result)
        _audit_findings(result.audit)
        if as_json:
            _print_json(_train_json(result))
        else:
            _print_train(result)
    if fail_on_leakage and result.suspected_leakage:
        raise MLBaselineError(
            f"suspected leakage in {', '.join(result.suspected_leakage)} (run saved as "
            f"{result.run_id}); failing because of --fail-on-leakage"
        )


def _train_notices(result: TrainResult) -> None:
    """Print a training's notes, its columns by role (once), and its warnings about the data."""
    _notices(result.notices)
    for line in _indented("Note: columns: ", result.view.column_roles):
        _stderr(line)
    for warning in result.warnings:
        _stderr(f"Warning: {warning}")


def _audit_findings(audit: AuditResult) -> None:
    prefixes = {"leakage": "Warning: suspected leakage: ", "warning": "Warning: "}
    for finding in audit.shown_findings():
        _stderr(prefixes.get(finding.level, "Note: ") + finding.message)


def _train_json(result: TrainResult) -> dict[str, Any]:
    return {
        "run_id": result.run_id,
        "run_dir": str(result.run_dir),
        "rows": result.rows,
        "task": result.schema.task,
        "positive_label": result.schema.positive_label,
        "metrics": result.metrics,
        "intervals": result.intervals,
        "leakage_audit": {
            "suspected_leakage": result.suspected_leakage,
            "findings": result.audit.to_dict()["findings"],
        },
        "recommendation": result.verdict.to_dict(),
        "notices": result.notices,
        "warnings": result.warnings,
    }


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _interval(bounds: list[float | None] | None, signed: bool = False) -> str:
    if not bounds or bounds[0] is None or bounds[1] is None:
        return ""
    low, high = bounds[0] + 0.0, bounds[1] + 0.0  # + 0.0: a gain of -0.0 reads 0, not "-0.000"
    return f"[{low:+.3f}, {high:+.3f}]" if signed else f"[{low:.3f}, {high:.3f}]"


def _print_metrics(view: RunView) -> None:
    """Print the holdout line and the Baseline-vs-Model table of a run's view. The line is
    printed on its own: as a rich title it would be padded with spaces to the table's width."""
    typer.echo(view.holdout_title)
    _console().print(_metrics_table(view))


def _metrics_table(view: RunView) -> Any:
    """Return the Baseline-vs-Model table of a run's view, for the terminal."""
    from rich.table import Table

    table = Table()
    table.add_column("Metric")
    table.add_column("Baseline", justify="right")
    table.add_column("Model", justify="right")
    table.add_column("95% CI", justify="right")
    table.add_column("Model - Baseline [95% CI]", justify="right")
    for row in view.metric_rows:
        delta = ""
        if row.gain is not None:
            delta = f"{row.shown(row.gain, True)} {row.shown_interval(row.gain_interval, True)}"
        table.add_row(
            row.label,
            row.shown(row.baseline),
            row.shown(row.model),
            row.shown_interval(row.interval),
            delta.strip(),
        )
    return table


def _print_train(result: TrainResult) -> None:
    view = result.view  # the one the run's documents were rendered from
    _print_metrics(view)
    typer.echo(f"Recommendation: {view.verdict.text} ({view.verdict.rule})")
    typer.echo(f"Run id:     {result.run_id}")
    typer.echo(f"Run folder: {result.run_dir}")


# --- predict -------------------------------------------------------------------------------


@app.command()
def predict(
    input_path: Annotated[
        Path,
        typer.Option(
            "--input",
            callback=_existing_table,
            help="Table to score (.csv or .parquet) with the training feature columns; or a "
            "folder of part files (as Spark and Dask write them), or a glob.",
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            help="Where to write scores (.csv or .parquet; also .tsv, .csv.gz, ...); FOLDER/ "
            "(or an existing folder, for partitioned input): one output part per input part.",
        ),
    ] = "outputs/preds.csv",
    engine: Annotated[
        Engine,
        typer.Option("--engine", help="local: this process; dask: a Dask cluster (see README)."),
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="With --engine dask: the address of a running Dask scheduler "
            "(tcp://host:8786). Default: start a local cluster for this command.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="With --engine dask and no --scheduler: worker processes of the local "
            "cluster. Default: one per core.",
        ),
    ] = None,
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    run: RunOption = "latest",
    threshold: ThresholdOverride = None,
    batch_size: BatchSizeOption = 100_000,
    models_dir: ModelsDirOption = Path("models"),
    drift_report: Annotated[
        Path | None,
        typer.Option(
            "--drift-report",
            dir_okay=False,
            help="Where to write the drift report (JSON); by default beside the output, "
            "e.g. outputs/preds.drift.json.",
        ),
    ] = None,
    fail_on_drift: FailOnDriftOption = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Score a table with a saved run: ids, score and prediction per row, in input order;
    measure drift from training in the same pass."""
    from ml_baseline.scoring import predict as predict_table

    if engine != Engine.dask and (scheduler is not None or workers is not None):
        raise typer.BadParameter("--scheduler and --workers apply to --engine dask")
    if scheduler is not None and workers is not None:
        raise typer.BadParameter("--workers applies to the local cluster; not with --scheduler")
    output_folder = output.endswith(("/", os.sep))
    output_path = Path(output)
    with _progress(quiet, "predict") as progress:
        result = predict_table(
            input_path,
            output_path,
            run=run,
            models_dir=models_dir,
            threshold=threshold,
            batch_size=batch_size,
            on_batch=_on_batch(progress),
            delimiter=delimiter,
            encoding=encoding,
            drift_report=drift_report,
            output_folder=output_folder,
            engine=engine.value,
            scheduler=scheduler,
            workers=workers,
            on_piece=_on_piece(progress),
        )
    with _saved(lambda: f"the predictions are complete in {output}"):
        _report_input(result)
        if as_json:
            _print_json(_predict_json(result))
        else:
            _print_predict(result)
    _fail_on_drift(fail_on_drift, result)


def _report_input(result: PredictResult | EvaluateResult) -> None:
    _notices(result.notices)
    if result.drift is not None:
        _stderr(result.drift.summary())
    for warning in result.warnings:
        _stderr(f"Warning: {warning}")


def _fail_on_drift(fail: bool, result: PredictResult | EvaluateResult) -> None:
    if fail and result.drift is not None and result.drift.drifted:
        names = ", ".join(column.name for column in result.drift.drifted)
        raise MLBaselineError(
            f"drift in {names}; failing because of --fail-on-drift"
            + (f" (report: {result.drift_path})" if result.drift_path else "")
        )


def _drift_json(result: PredictResult | EvaluateResult) -> dict[str, Any] | None:
    from ml_baseline.scoring import drift_plot_path

    if result.drift is None:
        return None
    path = result.drift_path
    return {
        "report": None if path is None else str(path),
        "plot": str(drift_plot_path(path)) if path and result.drift.drifted else None,
        **result.drift.to_dict(),
    }


def _predict_json(result: PredictResult) -> dict[str, Any]:
    return {
        "run_id": result.run_id,
        "output": str(result.output),
        "parts": result.parts,
        "rows": result.rows,
        "threshold": result.threshold,
        "task": result.task,
        "predictions": result.predictions,
        "input_problems": result.input_problems,
        "drift": _drift_json(result),
        "notices": result.notices,
        "warnings": result.warnings,
    }


def _print_predict(result: PredictResult) -> None:
    from ml_baseline.parts import SUCCESS_MARKER
    from ml_baseline.scoring import drift_plot_path
    from ml_baseline.tasks import get_task

    said = f"Scored {result.rows} rows with run {result.run_id}"
    if result.threshold is not None:
        shown = f"{result.threshold:.3f}"
        if shown in ("0.000", "1.000") and result.threshold not in (0.0, 1.0):
            shown = f"{result.threshold:.6g}"  # 0.9996 is no "1.000" (probe 26)
        said += f" (threshold {shown})"
    said += ": " + get_task(result.task).describe_predictions(result.predictions, result.rows)
    typer.echo(said)
    if result.parts:
        # Into a folder: its parts by name ("Wrote pred" named no file; probe 53).
        shown = ", ".join(result.parts[:3]) + (", ..." if len(result.parts) > 3 else "")
        typer.echo(
            f"Wrote {len(result.parts)} part(s) into {result.output}/ ({shown}) and "
            f"{SUCCESS_MARKER}"
        )
    else:
        typer.echo(f"Wrote {result.output}")
    if result.drift_path is not None:
        typer.echo(f"Wrote {result.drift_path}")
        if result.drift is not None and result.drift.drifted:
            typer.echo(f"Wrote {drift_plot_path(result.drift_path)}")


# --- evaluate ------------------------------------------------------------------------------


@app.command()
def evaluate(
    input_path: Annotated[
        Path,
        typer.Option(
            "--input",
            callback=_one_labelled_file,
            help="Labelled table (.csv or .parquet): the feature columns and the target.",
        ),
    ],
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    run: RunOption = "latest",
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="A challenger run to compare with --run on the same rows: both metrics, the "
            "paired difference with its 95% interval, and which is better.",
        ),
    ] = None,
    threshold: ThresholdOverride = None,
    batch_size: BatchSizeOption = 100_000,
    models_dir: ModelsDirOption = Path("models"),
    drift_report: Annotated[
        Path | None,
        typer.Option(
            "--drift-report", dir_okay=False, help="Also write the drift report (JSON) here."
        ),
    ] = None,
    fail_on_drift: FailOnDriftOption = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Score newly labelled data with a run and compare its metrics with the run's holdout;
    measure drift from training in the same pass."""
    from ml_baseline.scoring import evaluate as evaluate_table

    with _progress(quiet, "evaluate") as progress:
        result = evaluate_table(
            input_path,
            run=run,
            against=against,
            models_dir=models_dir,
            threshold=threshold,
            batch_size=batch_size,
            on_batch=_on_batch(progress),
            delimiter=delimiter,
            encoding=encoding,
            drift_report=drift_report,
        )
    _report_input(result)
    if as_json:
        _print_json(
            {
                "run_id": result.run_id,
                "task": result.task,
                "rows": result.rows,
                "labelled_rows": result.labelled_rows,
                "metrics": result.metrics,
                "intervals": result.intervals,
                "holdout": result.holdout,
                "training_rows": result.training_rows,
                "changes": result.changes,
                "held_up": None
                if result.held_up is None
                else {"verdict": result.held_up[0], "rule": result.held_up[1]},
                "comparison": result.comparison,
                "drift": _drift_json(result),
                "notices": result.notices,
                "warnings": result.warnings,
            }
        )
    else:
        _print_evaluate(result, input_path)
        if result.comparison is not None:
            _print_comparison(result.comparison)
    _fail_on_drift(fail_on_drift, result)


def _print_evaluate(result: EvaluateResult, input_path: Path) -> None:
    from rich.table import Table

    from ml_baseline.tasks import get_task
    from ml_baseline.verdict import UNDECIDED

    holdout_intervals = result.holdout["confidence_intervals"]["model"]
    table = Table(
        title=f"Run {result.run_id}: holdout at training vs {input_path} "
        f"({result.labelled_rows} labelled rows)",
        title_justify="left",
    )
    for column in ("Metric", "Holdout", "95% CI", "New data", "95% CI ", "Change"):
        table.add_column(column, justify="left" if column == "Metric" else "right")
    task = get_task(result.task)
    for spec in (*task.metrics, *task.mix_metrics):
        key, label = spec.key, spec.label
        before, after = result.holdout.get(key), result.metrics.get(key)
        change = f"{after - before:+.3f}" if before is not None and after is not None else ""
        if change and result.changes.get(key):
            change += f" {_interval(result.changes[key], True)}"
        table.add_row(
            label,
            _fmt(before),
            _interval(holdout_intervals.get(key)),
            _fmt(after),
            _interval(result.intervals.get(key)),
            change,
        )
    _console().print(table)
    if result.held_up is not None:
        verdict, rule = result.held_up
        # Beside a challenger, the run judged against its own holdout is named.
        who = "the model" if result.comparison is None else f"run {result.run_id} (A)"
        if verdict == UNDECIDED:
            typer.echo(f"On these rows whether {who} held up is undecided ({rule})")
        else:
            typer.echo(f"On these rows {who} {verdict} ({rule})")


def _print_comparison(comparison: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(
        title=f"Champion {comparison['champion']} (A) vs challenger {comparison['challenger']} "
        f"(B), on the same {comparison['rows']} rows",
        title_justify="left",
    )
    for column in ("Metric", "A", "B", "B - A [95% CI]"):
        table.add_column(column, justify="left" if column == "Metric" else "right")
    for row in comparison["metrics"]:
        difference = f"{row['difference']:+.3f} {_interval(row['interval'], True)}".strip()
        label = row["label"] + (" *" if row["deciding"] else "")
        table.add_row(label, _fmt(row["champion"]), _fmt(row["challenger"]), difference)
    _console().print(table)
    typer.echo(f"Challenger: {comparison['verdict']} ({comparison['rule']}; * deciding metrics)")


# --- report --------------------------------------------------------------------------------


@app.command()
def report(
    run: RunOption = "latest",
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the documents and their plots.")
    ] = Path("reports"),
    models_dir: ModelsDirOption = Path("models"),
) -> None:
    """Write a run's model card and evaluation summary, with plots, to reports/ for sharing."""
    from ml_baseline.registry import open_run
    from ml_baseline.report import export_report

    opened = open_run(models_dir, run)
    written = export_report(opened, out)
    with _saved(lambda: f"the {len(written)} report files are complete in {out}"):
        typer.echo(f"Wrote {len(written)} files for run {opened.run_id}:")
        for path in written:
            typer.echo(f"  {path}")


# --- runs ----------------------------------------------------------------------------------


@runs_app.command("list")
def runs_list(models_dir: ModelsDirOption = Path("models"), as_json: JsonOption = False) -> None:
    """List the complete runs, oldest first, marking the latest."""
    from rich.table import Table

    from ml_baseline.registry import latest_run_id, list_runs, staging_leftovers
    from ml_baseline.view import headline

    metas, unreadable = list_runs(models_dir)
    latest = latest_run_id(models_dir)
    leftovers = staging_leftovers(models_dir)
    rows = []
    for meta in metas:
        metric, model, baseline = headline(meta)
        rows.append(
            {
                "run_id": meta.run_id,
                "started_at": meta.started_at,
                "target": meta.target.get("name"),
                "rows": meta.dataset.get("rows"),
                "task": meta.task,
                "metric": metric,
                "model": model,
                "baseline": baseline,
                "latest": meta.run_id == latest,
            }
        )
    for problem in unreadable:
        _stderr(f"Warning: skipped a run: {problem}")
    if as_json:
        _print_json(
            {
                "models_dir": str(models_dir),
                "runs": rows,
                "incomplete": leftovers,
                "damaged": unreadable,  # run folders that could not be read, one line each
            }
        )
        return
    killed = [item["run_id"] for item in leftovers if not item["in_progress"]]
    running = [item["run_id"] for item in leftovers if item["in_progress"]]
    if running:
        _stderr(f"Note: {len(running)} run(s) being trained now: {', '.join(running)}")
    if killed:
        _stderr(
            f"Warning: {len(killed)} incomplete run(s) left by killed or crashed trainings in "
            f"{models_dir}/.staging ({', '.join(killed)}); `ml-baseline runs gc` removes them"
        )
    if not rows:
        typer.echo(f"No runs in {models_dir}/runs yet; train one with `ml-baseline train`.")
        return
    table = Table(title=f"Runs in {models_dir}/runs", title_justify="left")
    for column in ("Run id", "Started (UTC)", "Target", "Rows", "Metric", "Model", "Baseline", ""):
        right = column in ("Rows", "Model", "Baseline")
        table.add_column(column, justify="right" if right else "left")
    for row in rows:
        table.add_row(
            row["run_id"],
            (row["started_at"] or "")[:19].replace("T", " "),
            str(row["target"]),
            str(row["rows"]),
            row["metric"],
            _fmt(row["model"]),
            _fmt(row["baseline"]),
            "latest" if row["latest"] else "",
        )
    _console().print(table)


def _show(run: str, models_dir: Path, as_json: bool) -> None:
    from ml_baseline.registry import open_run
    from ml_baseline.view import RunView

    opened = open_run(models_dir, run)
    view = RunView.from_run(opened)
    if as_json:
        _print_json(
            {
                "run_dir": str(opened.path),
                "meta": view.meta.to_dict(),
                "holdout_metrics": view.holdout,
            }
        )
        return
    meta, dataset = view.meta, view.meta.dataset
    lines = [
        f"Run id:      {meta.run_id}",
        f"Run folder:  {opened.path}",
        f"Started:     {meta.started_at}  ({meta.duration_seconds} s)",
        f"Target:      {meta.target['name']} ({view.target_text.replace('`', '')}; {meta.model})",
        f"Dataset:     {dataset['path']}  sha256 {str(dataset.get('sha256'))[:16]}...  "
        f"{dataset['rows']} rows",
        *_indented("Columns:     ", view.column_roles),
        f"Split:       {view.split_text}",
        f"Threshold:   {view.threshold_text}",
        f"Git:         {meta.git.get('commit') or 'not a git work tree'}"
        + (" (dirty)" if meta.git.get("dirty") else ""),
        f"Verdict:     {view.verdict.text} ({view.verdict.rule})",
    ]
    typer.echo("\n".join(lines))
    _print_metrics(view)


@runs_app.command("show")
def runs_show(
    run: Annotated[str, typer.Argument(help="latest, a run id, or a run folder path.")] = "latest",
    models_dir: ModelsDirOption = Path("models"),
    as_json: JsonOption = False,
) -> None:
    """Show a run's summary and holdout metrics."""
    _show(run, models_dir, as_json)


@app.command("show-run")
def show_run(
    run: Annotated[str, typer.Argument(help="latest, a run id, or a run folder path.")] = "latest",
    models_dir: ModelsDirOption = Path("models"),
    as_json: JsonOption = False,
) -> None:
    """Show a run's summary and holdout metrics (alias of `runs show`)."""
    _show(run, models_dir, as_json)


@runs_app.command("gc")
def runs_gc(models_dir: ModelsDirOption = Path("models"), as_json: JsonOption = False) -> None:
    """Remove the leftovers of killed or crashed trainings (never a run being trained)."""
    from ml_baseline.registry import collect_garbage

    removed = collect_garbage(models_dir) if models_dir.is_dir() else []
    if as_json:
        _print_json({"removed": removed})
        return
    if not removed:
        typer.echo("Nothing to remove.")
    for run_id in removed:
        typer.echo(f"Removed incomplete run {run_id}")


@runs_app.command("compare")
def runs_compare(
    run_a: Annotated[str, typer.Argument(help="First run: latest, a run id, or a path.")],
    run_b: Annotated[str, typer.Argument(help="Second run: latest, a run id, or a path.")],
    show_all: Annotated[
        bool, typer.Option("--all", help="Show every field, not only those that differ.")
    ] = False,
    models_dir: ModelsDirOption = Path("models"),
    as_json: JsonOption = False,
) -> None:
    """Compare two runs' config, data hash and holdout metrics side by side, with deltas."""
    from rich.table import Table

    from ml_baseline.registry import compare_runs, different_questions, open_run

    first, second = open_run(models_dir, run_a), open_run(models_dir, run_b)
    rows = compare_runs(first, second, show_all=show_all)
    a, b = first.run_id, second.run_id
    apart = different_questions(first, second)
    if as_json:
        _print_json({"a": a, "b": b, "comparable": apart is None, "fields": rows})
        return
    if apart is not None:
        typer.echo(f"Note: {apart}", err=True)
    if not rows:
        typer.echo(f"{a} and {b} do not differ (pass --all to see everything).")
        return
    table = Table(title=f"A: {a}\nB: {b}", title_justify="left")
    for column in ("Field", "A", "B", "B - A"):
        table.add_column(column, justify="left" if column == "Field" else "right")
    for row in rows:
        delta = "" if row["delta"] is None else f"{row['delta']:+.4g}"
        table.add_row(row["field"], _cell(row["a"]), _cell(row["b"]), delta)
    _console().print(table)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    text = str(value)
    return (
        text[:16] + "..."
        if len(text) == 64 and all(c in "0123456789abcdef" for c in text)
        else text
    )


# --- demo ----------------------------------------------------------------------------------


@app.command()
def demo(
    models_dir: ModelsDirOption = Path("models"),
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace data/processed/features.csv if it holds other data."),
    ] = False,
) -> None:
    """Run the quick start here: sample data, train, predict; then say where everything went."""
    from ml_baseline.data import write_sample_data

    features = Path("data/processed/features.csv")
    output = Path("outputs/preds.csv")
    # demo always writes here: it has no --output to suggest.
    status = write_sample_data(features, force=force, elsewhere="move that file away first")
    with _saved(lambda: f"the sample data is complete in {features}"):
        _demo_steps(features, output, status, models_dir)


def _demo_steps(features: Path, output: Path, status: str, models_dir: Path) -> None:
    """The demo after its sample data is written: train, score, say where things are."""
    from ml_baseline.registry import committed_state
    from ml_baseline.scoring import predict as predict_table
    from ml_baseline.training import TrainConfig
    from ml_baseline.training import train as train_run

    typer.echo(f"1. Sample data: {features} ({status})")
    typer.echo("2. Training: ml-baseline train --target is_high_value")
    result = train_run(
        TrainConfig(target="is_high_value", features=features, models_dir=models_dir)
    )
    with _saved(lambda: committed_state(models_dir, result.run_id)):
        _train_notices(result)
        _print_train(result)
        typer.echo(
            f"3. Scoring: ml-baseline predict --run latest --input {features} --output {output}"
        )
        scored = predict_table(features, output, models_dir=models_dir)
    with _saved(lambda: f"the predictions are complete in {output}"):
        _demo_where(models_dir, result.run_dir, output, scored)


def _demo_where(models_dir: Path, run: Path, output: Path, scored: Any) -> None:
    _report_input(scored)
    _print_predict(scored)
    typer.echo(
        "\nWhere to look:\n"
        f"  latest run id:        {models_dir}/registry/latest.txt\n"
        f"  what was run:         {run}/run_meta.json\n"
        f"  holdout metrics:      {run}/metrics/holdout_metrics.json\n"
        f"  leakage audit:        {run}/metrics/leakage_audit.json\n"
        f"  model card, summary:  {run}/reports/\n"
        f"  holdout predictions:  {run}/tables/holdout_predictions.csv\n"
        f"  scores for every row: {output}"
    )


def _raise_terminated(signum: int, frame: object) -> None:
    # One is enough: a second SIGTERM (say, from a supervisor that repeats it) must not cut
    # short the clean-up the first one started; SIGKILL still stops everything.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


def main() -> None:
    """Entry point of the `ml-baseline` console script."""
    try:
        _run_app()
    finally:
        # The interpreter's last collections walk every object the scientific stack made:
        # 0.5 s after the command has finished (measured on `import sklearn, pandas,
        # pyarrow`: 0.46 s to exit; 0.07 s with this). The process is ending and its memory
        # goes back with it, so those objects are left out of the collector's passes.
        gc.freeze()


def _run_app() -> None:
    # SIGTERM (timeout, a cancelled CI job, docker stop) stops a command as Ctrl-C does, so the
    # same clean-up runs and it is reported in one line (exit code 143). Installed here only:
    # the library never changes a program's signal handling.
    signal.signal(signal.SIGTERM, _raise_terminated)
    # Importing scikit-learn, SciPy and pandas makes many objects and little garbage, yet with
    # the default thresholds the cyclic collector walks them some 400 times: about 0.5 s of
    # CPU in a `predict` (0.1 s with these thresholds; timed with gc.callbacks). Rarer passes
    # still collect every cycle. Set by the console script only: the library never changes
    # a program's collector.
    gc.set_threshold(10_000, 50, 50)
    try:
        app(prog_name="ml-baseline")
    except SystemExit as exc:
        # Stopped before the command ran (while its options were parsed): Typer turns the
        # KeyboardInterrupt into a silent exit 130, so a SIGTERM would look like a Ctrl-C.
        stopped = getattr(exc.__context__, "__cause__", None)
        if not isinstance(stopped, KeyboardInterrupt):
            raise
        _stderr(_interrupted(stopped))
        signum = signal.SIGTERM if isinstance(stopped, Terminated) else signal.SIGINT
        raise SystemExit(128 + signum) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
