"""The model card, the evaluation summary and the plots of a run.

Plots are drawn once, at training. The two Markdown documents are rendered from the run
folder's own files (run_meta, schema, metrics, audit, tables), so `ml-baseline report` can
write them again anywhere without retraining, and a person can check every number in them.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ml_baseline.data import write_bytes_atomic

if TYPE_CHECKING:
    import numpy as np

    from ml_baseline.audit import AuditResult
    from ml_baseline.drift import DriftReport
    from ml_baseline.registry import RunFolder
    from ml_baseline.view import RunView


class RunReader(Protocol):
    """The files of a run the documents read: a RunFolder (verified) or a run being staged."""

    def read_json(self, relative: str) -> Any: ...

    def read_rows(self, relative: str) -> list[dict[str, str]]: ...

    def files(self, prefix: str = "") -> list[str]: ...


MODEL_CARD = "model_card.md"
EVAL_SUMMARY = "eval_summary.md"
_PLOT_POINTS = 50_000  # rows drawn in curves: as smooth as a million, and much faster


# --- plots -----------------------------------------------------------------------------------


@dataclass
class PlotJob:
    """What the plots of a run are drawn from: the holdout's targets and the model's outputs."""

    plots_dir: Path
    task: str
    labels: list[Any] | None
    y: np.ndarray
    out: np.ndarray
    threshold: float | None
    seed: int


def write_plots(job: PlotJob, create: bool = True) -> None:
    """Draw the holdout plots of the job's task as PNG files, in this process; into a folder
    that must exist already unless `create`."""
    from ml_baseline.tasks import get_task

    _import_matplotlib()
    if create:
        job.plots_dir.mkdir(parents=True, exist_ok=True)
    get_task(job.task).draw_plots(
        job.plots_dir, job.labels, job.y, job.out, job.threshold, job.seed
    )


# The plots are files drawn with matplotlib.figure.Figure (not pyplot), so any backend would do;
# but matplotlib reads MPLBACKEND when it is imported and refuses to import at all when the
# name is one it does not know (Jupyter sets module://matplotlib_inline.backend_inline, unknown
# outside a notebook). The plots are drawn with Agg whatever the user's environment says.
_BACKEND = "agg"


def _import_matplotlib() -> None:
    """Import matplotlib with the Agg backend, leaving os.environ as it was."""
    if "matplotlib" in sys.modules:
        return  # imported already, with a backend that worked
    users = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = _BACKEND
    try:
        import matplotlib
    finally:
        if users is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = users
    if users:
        # What matplotlib would have done with a name it knows, for the rest of this process.
        with contextlib.suppress(ValueError):
            matplotlib.rcParams["backend"] = users


def _worker_environment() -> dict[str, str]:
    """Return the environment of the plot worker: this process's, with the Agg backend, and
    one thread per native pool (drawing needs none; the cores are the training's)."""
    from ml_baseline.threads import THREAD_VARIABLES

    return {**dict.fromkeys(THREAD_VARIABLES, "1"), **os.environ, "MPLBACKEND": _BACKEND}


_WORKER_NICENESS = 19  # the lowest priority: the worker runs only on a core nothing else wants
_PLOT_INPUTS = ".plot_inputs.npz"  # the worker's inputs, in the plots folder while it draws
_OS_ERROR_EXIT = 3  # the worker's exit code for an OSError, described as JSON on stderr


class PlotWorker:
    """A child process that draws a run's plots while the training goes on.

    Importing matplotlib and drawing take about 0.8 s whatever the size of the table. Started
    before the fit, the worker imports numpy and matplotlib (not scikit-learn) while this
    process imports scikit-learn and fits; `draw` hands it the holdout results and returns at
    once, and the worker draws while this process runs the bootstrap, the audit and the
    importance. With a second core the plots then cost next to nothing.

    The worker runs at the lowest priority: while the fit's OpenMP or BLAS threads want both
    cores, it yields its core to them (an OpenMP thread that loses its core stalls the others
    at every step), and it imports and draws on whichever core the steps after the fit leave
    free. `threads.idle_cores` counts such low-priority work as idle.

    Use it as a context manager: leaving the block stops a worker that is still running.
    Where no process can be started, `wait` draws the plots in this process.
    """

    def __init__(self) -> None:
        import subprocess

        self._job: PlotJob | None = None
        self._stderr: bytes | None = None  # set once the worker has ended and been reaped
        try:
            self._child: Any = subprocess.Popen(
                _worker_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=_worker_environment(),
            )
        except OSError:
            self._child = None
        else:
            with contextlib.suppress(AttributeError, OSError):  # no priorities on Windows
                os.setpriority(os.PRIO_PROCESS, self._child.pid, _WORKER_NICENESS)

    def __enter__(self) -> PlotWorker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._child is not None and self._stderr is None:
            self._child.kill()  # a no-op if it has ended already
            self._finish()
        if self._job is not None:
            (self._job.plots_dir / _PLOT_INPUTS).unlink(missing_ok=True)

    def draw(self, job: PlotJob) -> None:
        """Start drawing the plots of these holdout results into `job.plots_dir`."""
        import numpy as np

        job.plots_dir.mkdir(parents=True, exist_ok=True)
        self._job = job
        if self._child is None:
            return
        inputs = job.plots_dir / _PLOT_INPUTS
        np.savez(
            inputs,
            y=job.y,
            out=job.out,
            task=job.task,
            labels=np.asarray([str(label) for label in job.labels or []], dtype=str),
            threshold=np.nan if job.threshold is None else job.threshold,
            seed=job.seed,
        )
        with contextlib.suppress(BrokenPipeError):  # a dead worker is reported by wait()
            # One JSON line: a path may hold any character, a line break too.
            self._child.stdin.write(json.dumps(str(inputs)).encode() + b"\n")
            self._child.stdin.flush()

    def wait(self) -> None:
        """Wait until the plots are drawn. Raise what the worker met: an OSError as such (so
        that the caller names the path it could not write), anything else as RuntimeError."""
        if self._job is None:
            raise RuntimeError("PlotWorker.wait() before draw()")
        plots_dir = self._job.plots_dir
        if self._child is None:
            write_plots(self._job)
            return
        stderr = self._finish()
        (plots_dir / _PLOT_INPUTS).unlink(missing_ok=True)  # not an artifact of the run
        if self._child.returncode == _OS_ERROR_EXIT:
            error = json.loads(stderr.decode().splitlines()[-1])
            raise OSError(error["errno"], error["strerror"], error["filename"])
        if self._child.returncode != 0:
            output = stderr.decode(errors="replace").strip()
            reason = output.splitlines()[-1] if output else f"exit code {self._child.returncode}"
            # Not bad input but a failure of ours: reported as unexpected, and --debug shows
            # the worker's own traceback, carried as the cause.
            raise RuntimeError(f"drawing the plots in {plots_dir} failed: {reason}") from (
                RuntimeError(f"the plot worker's output:\n{output}")
            )

    def _finish(self) -> bytes:
        """Wait for the worker to end, reap it, close its pipes; return its stderr."""
        _, self._stderr = self._child.communicate()
        return self._stderr


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "ml_baseline.report"]


def _plot_worker() -> int:
    """The child process of PlotWorker; return its exit code."""
    # Import now, while the parent fits; the inputs come later.
    import numpy as np
    from matplotlib.figure import Figure  # noqa: F401

    line = sys.stdin.readline()
    if not line:  # the training ended before its plots
        return 0
    inputs = Path(json.loads(line))
    try:
        with np.load(inputs, allow_pickle=False) as saved:
            threshold = float(saved["threshold"])
            # The parent made the folder. If it is gone, the parent was killed and `runs gc`
            # removed its staged run: fail, rather than make the folder again as a half run
            # nothing will remove (a SIGKILLed training's worker draws on, orphaned).
            write_plots(
                PlotJob(
                    inputs.parent,
                    str(saved["task"]),
                    saved["labels"].tolist(),
                    saved["y"],
                    saved["out"],
                    None if np.isnan(threshold) else threshold,
                    int(saved["seed"]),
                ),
                create=False,
            )
    except OSError as exc:
        error = {"errno": exc.errno, "strerror": exc.strerror, "filename": str(exc.filename)}
        print(json.dumps(error), file=sys.stderr)
        return _OS_ERROR_EXIT
    return 0


def _new_figure(width: float, height: float) -> tuple[Any, Any]:
    from matplotlib.figure import Figure  # not pyplot: no GUI backend, no global state

    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(left=0.16, right=0.95, bottom=0.13, top=0.9)
    return fig, fig.subplots()


def _sample(n: int, seed: int) -> np.ndarray:
    import numpy as np

    if n <= _PLOT_POINTS:
        return np.arange(n)
    return np.random.default_rng(seed).choice(n, _PLOT_POINTS, replace=False)


def regression_plots(
    plots_dir: Path, titles: dict[str, str], y: np.ndarray, predicted: np.ndarray, seed: int
) -> None:
    import numpy as np

    rows = _sample(len(y), seed)
    fig, ax = _new_figure(5, 5)
    ax.scatter(y[rows], predicted[rows], s=6, alpha=0.4, label="model")
    low, high = float(min(y.min(), predicted.min())), float(max(y.max(), predicted.max()))
    ax.plot([low, high], [low, high], linestyle="--", color="grey", label="perfect")
    ax.axhline(float(np.mean(y)), color="orange", linestyle=":", label="baseline (mean)")
    ax.set(xlabel="Actual", ylabel="Predicted", title=titles["predicted_vs_actual.png"])
    ax.legend(loc="upper left")
    fig.savefig(plots_dir / "predicted_vs_actual.png", dpi=100)

    fig, ax = _new_figure(6, 4)
    ax.hist(predicted[rows] - y[rows], bins=40)
    ax.axvline(0, color="black", linestyle=":")
    ax.set(xlabel="Predicted - actual", ylabel="Rows", title=titles["residuals.png"])
    fig.savefig(plots_dir / "residuals.png", dpi=100)


def multiclass_plots(
    plots_dir: Path, titles: dict[str, str], labels: list[Any], y: np.ndarray, proba: np.ndarray
) -> None:
    import numpy as np

    from ml_baseline.metrics import confusion_counts

    predicted = proba.argmax(axis=1)
    matrix = confusion_counts(y, predicted, len(labels))
    size = min(4 + 0.4 * len(labels), 14)
    fig, ax = _new_figure(size, size * 0.9)
    ax.imshow(matrix, cmap="Blues")
    if len(labels) <= 20:
        for (i, j), count in np.ndenumerate(matrix):
            colour = "white" if count > matrix.max() / 2 else "black"
            ax.text(j, i, str(count), ha="center", va="center", color=colour, fontsize=8)
    ticks = list(range(len(labels)))
    ax.set(xticks=ticks, yticks=ticks, xlabel="Predicted", ylabel="Actual")
    ax.set_xticklabels([str(label) for label in labels], rotation=45, ha="right")
    ax.set_yticklabels([str(label) for label in labels])
    ax.set_title(titles["confusion_matrix.png"])
    fig.savefig(plots_dir / "confusion_matrix.png", dpi=100)

    confidence = proba.max(axis=1)
    fig, ax = _new_figure(6, 4)
    bins = np.linspace(0, 1, 41)
    right = predicted == y
    for rows, name in ((right, "right"), (~right, "wrong")):
        if rows.any():  # a density of no rows is undefined
            ax.hist(confidence[rows], bins=bins, alpha=0.6, density=True, label=name)
    ax.set(xlabel="Probability of the predicted class", ylabel="Density")
    ax.set_title(titles["confidence.png"])
    ax.legend()
    fig.savefig(plots_dir / "confidence.png", dpi=100)


def binary_plots(
    plots_dir: Path,
    titles: dict[str, str],
    y: np.ndarray,
    score: np.ndarray,
    threshold: float,
    seed: int,
) -> None:
    import numpy as np

    from ml_baseline.metrics import confusion_counts

    prevalence = float(np.mean(y))
    matrix = confusion_counts(y, score >= threshold, 2)
    # Curves from a random sample: as smooth as from a million rows, and drawn in a moment.
    sample = _sample(len(y), seed)
    y, score = y[sample], score[sample]
    figures = {
        "roc.png": _roc_figure(y, score),
        "precision_recall.png": _precision_recall_figure(y, score, prevalence),
        "calibration.png": _calibration_figure(y, score),
        "confusion_matrix.png": _binary_confusion_figure(matrix, threshold),
        "score_distribution.png": _score_distribution_figure(y, score, threshold),
    }
    for name, (fig, ax) in figures.items():
        ax.set_title(titles[name])
        fig.savefig(plots_dir / name, dpi=100)


def _roc_figure(y: np.ndarray, score: np.ndarray) -> tuple[Any, Any]:
    from ml_baseline.metrics import roc_points

    fpr, tpr = roc_points(y, score)
    fig, ax = _new_figure(5, 5)
    ax.plot(fpr, tpr, label="model")
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="baseline (majority class)")
    ax.set(xlabel="False positive rate", ylabel="True positive rate")
    ax.legend(loc="lower right")
    return fig, ax


def _precision_recall_figure(
    y: np.ndarray, score: np.ndarray, prevalence: float
) -> tuple[Any, Any]:
    from ml_baseline.metrics import precision_recall_points

    precision, recall = precision_recall_points(y, score)
    fig, ax = _new_figure(5, 5)
    ax.step(recall, precision, where="post", label="model")
    ax.axhline(prevalence, linestyle="--", color="grey", label=f"baseline ({prevalence:.2f})")
    ax.set(xlabel="Recall", ylabel="Precision")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper right")
    return fig, ax


def _calibration_figure(y: np.ndarray, score: np.ndarray) -> tuple[Any, Any]:
    from ml_baseline.metrics import calibration_points

    observed, predicted = calibration_points(y, score, n_bins=10)
    fig, ax = _new_figure(5, 5)
    ax.plot(predicted, observed, marker="o", label="model")
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    ax.set(xlabel="Mean predicted score", ylabel="Observed positive rate")
    ax.legend(loc="upper left")
    return fig, ax


def _binary_confusion_figure(matrix: np.ndarray, threshold: float) -> tuple[Any, Any]:
    import numpy as np

    fig, ax = _new_figure(4.5, 4)
    ax.imshow(matrix, cmap="Blues")
    for (i, j), count in np.ndenumerate(matrix):
        colour = "white" if count > matrix.max() / 2 else "black"
        ax.text(j, i, str(count), ha="center", va="center", color=colour)
    ax.set(
        xticks=[0, 1],
        yticks=[0, 1],
        xticklabels=["negative", "positive"],
        yticklabels=["negative", "positive"],
        xlabel=f"Predicted (threshold {threshold:.2f})",
        ylabel="Actual",
    )
    return fig, ax


def _score_distribution_figure(
    y: np.ndarray, score: np.ndarray, threshold: float
) -> tuple[Any, Any]:
    import numpy as np

    fig, ax = _new_figure(6, 4)
    bins = np.linspace(0, 1, 41)
    for label, name in ((0, "negative"), (1, "positive")):
        if np.any(y == label):  # a density of no rows is undefined
            ax.hist(score[y == label], bins=bins, alpha=0.6, density=True, label=name)
    ax.axvline(threshold, color="black", linestyle=":", label=f"threshold {threshold:.2f}")
    ax.set(xlabel="Score", ylabel="Density")
    ax.legend()
    return fig, ax


# --- drift -----------------------------------------------------------------------------------

_DRIFT_PANELS = 9  # the drifted columns shown, most drifted first; the report lists them all


def write_drift_plot(path: Path, drift: DriftReport) -> None:
    """Draw the training and input shares of each drifted column and of the model's output,
    side by side per bin, in one PNG at `path` (written atomically)."""
    from ml_baseline.data import atomic_path

    _import_matplotlib()
    from matplotlib.figure import Figure

    drifted = sorted((c for c in drift.features if c.drifted), key=lambda c: -c.psi)
    columns = drifted[:_DRIFT_PANELS] + ([drift.output] if drift.output is not None else [])
    n_cols = min(3, len(columns))
    n_rows = -(-len(columns) // n_cols)
    fig = Figure(figsize=(4.2 * n_cols, 3.2 * n_rows), layout="constrained")
    axes = fig.subplots(n_rows, n_cols, squeeze=False).ravel()
    for ax, column in zip(axes, columns, strict=False):
        reference = drift.output_reference if column.role == "output" else "training"
        _drift_panel(ax, column, reference)
    for ax in axes[len(columns) :]:
        ax.set_axis_off()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=90, format="png")


def _drift_panel(ax: Any, column: Any, reference: str) -> None:
    import numpy as np

    bins = [b for b in column.bins if b["training"] or b["input"]]
    where = np.arange(len(bins))
    ax.bar(where - 0.2, [b["training"] for b in bins], width=0.4, label=reference)
    ax.bar(where + 0.2, [b["input"] for b in bins], width=0.4, label="input")
    ax.set_xticks(where, [b["bin"] for b in bins], rotation=45, ha="right", fontsize=7)
    state = f"{column.level} drift" if column.drifted else "no drift"
    ax.set_title(f"{column.name}: PSI {column.psi:.2f}, {state}", fontsize=9)
    ax.set_ylabel("share of rows", fontsize=8)
    ax.legend(fontsize=7)


# --- the documents ---------------------------------------------------------------------------


def metric_table(view: RunView) -> str:
    """Return the Baseline-vs-Model table of a run in Markdown."""
    lines = [
        "| Metric | Baseline | Model | Model 95% CI | Model - Baseline [95% CI] |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in view.metric_rows:
        interval, gain = row.shown_interval(row.interval), ""
        if row.gain is not None and (bounds := row.shown_interval(row.gain_interval, True)):
            gain = f"{row.shown(row.gain, True)} {bounds}"
        lines.append(
            f"| {row.label} | {row.shown(row.baseline)} | {row.shown(row.model)} | {interval} "
            f"| {gain} |"
        )
    return "\n".join(lines)


def _findings(audit: AuditResult, levels: tuple[str, ...]) -> list[str]:
    return [f"- **{f.level}**: {f.message}" for f in audit.shown_findings() if f.level in levels]


def _feature_rows(schema: dict[str, Any]) -> list[str]:
    lines = [
        "| Feature | Kind | Type at training | Missing (train) | Range or categories |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in schema["features"]:
        detail = _feature_range(f)
        lines.append(
            f"| `{f['name']}` | {f['kind']} | {f['dtype']} | {f['missing_share']:.1%} | {detail} |"
        )
    return lines


def _feature_range(f: dict[str, Any]) -> str:
    """Return what training saw of a feature: its categories or its range."""
    if f["categories"] is not None:
        count = f.get("n_categories") or len(f["categories"])
        shown = ", ".join(f["categories"][:8]) + (" ..." if count > 8 else "")
        return f"{count} categories: {shown}"
    if f["min"] is None:
        return "all missing"
    if f["kind"] == "datetime":
        return f"{f['min']} to {f['max']} (as {', '.join(f['parts'])}){_dates_written(f)}"
    return f"{f['min']:g} to {f['max']:g}" + _written(f.get("number_format"))


def _dates_written(f: dict[str, Any]) -> str:
    """Return how a date feature read from text or numbers is written, as predict will read
    it: its form, the hundred years of its two-digit years, its placeholders."""
    from ml_baseline.convert import DATE_FORMATS

    said = []
    if (form := f.get("date_format")) is not None:
        said.append(f"written {DATE_FORMATS[form]}")
    if (first := f.get("years_from")) is not None:
        said.append(f"two-digit years {first} to {first + 99}")
    if missing := f.get("date_missing"):
        said.append("missing: " + ", ".join(f"`{token}`" for token in missing))
    return f"; {'; '.join(said)}" if said else ""


def _written(number_format: dict[str, Any] | None) -> str:
    """Return how a numeric feature read from text is written, as predict will read it: a
    table written otherwise is refused (a decimal comma's `9,5` against a plain `9.5`)."""
    if number_format is None:
        return ""
    from ml_baseline.convert import NumberFormat

    written = NumberFormat.from_dict(number_format).describe()
    missing = ", ".join(f"`{token}`" for token in number_format.get("missing", []))
    said = [part for part in (written, f"missing: {missing}" if missing else "") if part]
    return f" (read from text: {'; '.join(said)})" if said else " (read from text)"


def _monitoring(view: RunView) -> list[str]:
    from ml_baseline.drift import ALPHA, MAJOR_PSI, NOTABLE_PSI

    run_id = view.meta.run_id
    lines = [
        "Every `predict` and `evaluate` compares its input with this run's training data in "
        "the same pass, and says so in one line: "
        f"`ml-baseline predict --run {run_id} --input new.csv --output scored.csv "
        "--fail-on-drift` writes `scored.drift.json` and exits 1 (after writing) when a column "
        f"or the model's output has drifted: PSI at least {NOTABLE_PSI} ({MAJOR_PSI} is major) "
        f"and a chi-square test significant at {ALPHA:.0%} after Holm's correction over all "
        "the columns. What is compared, per column:",
        "",
    ]
    for f in view.schema["features"]:
        missing = f"missing share (training {f['missing_share']:.1%})"
        if f["categories"] is not None:
            count = f.get("n_categories") or len(f["categories"])
            lines.append(
                f"- `{f['name']}`: share of values outside the {count} training categories; "
                + missing
            )
        elif f["kind"] == "datetime":
            lines.append(f"- `{f['name']}`: dates after {f['max']}; " + missing)
        elif f["min"] is not None:
            lines.append(
                f"- `{f['name']}`: values outside [{f['min']:g}, {f['max']:g}]; " + missing
            )
    lines.append(f"- {view.task.output_monitoring(view.holdout)}")
    lines.append(
        f"- {view.task.monitoring_measure} on newly labelled data: "
        f"`ml-baseline evaluate --run {run_id} --input labelled.csv`."
    )
    lines += [
        "",
        "When drift is reported, read the named columns' training and input shares in the "
        "drift report. A broken feed (a column suddenly empty, a unit or code changed) is "
        "fixed at the source, not in the model; a world that changed (a new market, new "
        "prices) calls for training on recent data and comparing the runs "
        "(`ml-baseline runs compare`) on newly labelled data before switching.",
    ]
    return lines


def _plot_links(view: RunView, plots: str) -> str:
    return "\n\n".join(f"![{title}]({plots}/{name})" for name, title in view.task.plots.items())


def model_card(view: RunView, run: RunReader, plots: str) -> str:
    """Return the model card in Markdown, with plots linked under the `plots` prefix."""
    meta, schema = view.meta, view.schema
    config, dataset, git = meta.config, meta.dataset, meta.git
    ids = ", ".join(f"`{name}`" for name in schema["id_columns"]) or "none"
    excluded = [f"`{name}` ({why})" for name, why in schema["excluded_columns"].items()]
    limitations = _findings(view.audit, ("leakage", "warning", "strong")) or [
        "- The leakage audit found no column that predicts the target on its own."
    ]
    # Notes that limit what the result means: what the audit could not look for on a small
    # table, a near-perfect score on a holdout too small to call it too good.
    limits = ("small_table", "too_good")
    limitations += [
        f"- {f.message}" for f in view.audit.findings if f.level == "info" and f.check in limits
    ]
    limitations.append(f"- {view.holdout_limitation}")
    if config.get("model", "logreg") == "logreg":
        limitations.append(
            "- A linear model on the given columns: interactions and non-linear effects are "
            "missed (try --model hgb)."
        )
    if view.task.has_threshold:
        limitations.append(
            f"- Threshold {view.threshold_text}; other costs of errors call for another "
            "threshold (see tables/threshold_curve.csv)."
        )
    from ml_baseline.registry import MANIFEST, REPORTS_DIR, RUN_META

    listed = {name for name in run.files() if not name.startswith(REPORTS_DIR + "/")}
    artifacts = "\n".join(f"- `{name}`" for name in sorted(listed | {RUN_META, MANIFEST}))
    sections = [
        f"# Model card: {schema['target']}",
        f"Run `{meta.run_id}`, trained {meta.started_at[:19].replace('T', ' ')} UTC.",
        "## Problem",
        f"- **Target:** `{schema['target']}` ({view.target_text})",
        f"- **Unit of analysis:** {meta.problem.get('unit') or 'one row of the feature table'}",
        f"- **Decision enabled:** {meta.problem.get('decision') or 'not stated (pass --decision)'}",
        "## Model",
        f"- **Model:** `{meta.model}` in a scikit-learn pipeline, fit on the training split only",
        f"- **Preprocessing:** {'; '.join(_preprocessing(view))}",
        f"- **Baseline:** `{view.task.baseline_text}`",
        "## Data",
        f"- **Feature table:** `{dataset['path']}` ({dataset['rows']} rows, sha256 "
        f"`{dataset['sha256']}`)",
        f"- **Forbidden columns:** {', '.join(f'`{c}`' for c in schema['forbidden_columns'])} "
        "(the target; never a model input)",
        f"- **ID columns:** {ids} (carried into predictions, never features)",
        f"- **Left out:** {', '.join(excluded) or 'nothing'}",
        "\n".join(_feature_rows(schema)),
        "## Splits",
        f"- **Holdout strategy:** {view.split_text}",
        f"- **Rows:** {meta.rows['train']} training, {meta.rows['holdout']} holdout "
        f"({meta.rows['dropped_missing_target']} dropped for a missing target)",
        "## Metrics (holdout)",
        metric_table(view),
        _plot_links(view, plots),
        # The card is what a reader of the model reads first: it says the call, as the
        # evaluation summary does (probe 68: it had no model type and no verdict).
        f"**Recommendation: {view.verdict.text}.** Rule: {view.verdict.rule}.",
        "## Limitations",
        *limitations,
        "## Monitoring sketch",
        *_monitoring(view),
        "## Reproducibility",
        f"- **Run ID:** `{meta.run_id}`",
        f"- **Git commit:** `{git.get('commit') or 'not a git work tree'}`"
        + (" (uncommitted changes)" if git.get("dirty") else ""),
        "- **Environment:** `env/pip_freeze.txt`, `env/env_meta.json`",
        "- **Versions:** "
        + ", ".join(f"{k} {v}" for k, v in meta.versions.items() if v is not None),
        f"- **Artifacts** (the sha256 of each is in {MANIFEST}; check them with "
        f"`sha256sum -c {MANIFEST}` in the run folder):\n\n" + artifacts,
    ]
    return "\n\n".join(_join_lists(sections)) + "\n"


def _preprocessing(view: RunView) -> list[str]:
    kinds = {f["kind"] for f in view.schema["features"]}
    lines = []
    if view.meta.config.get("model", "logreg") == "hgb":
        lines.append("numbers as they are; the trees handle missing values")
        if "categorical" in kinds:
            lines.append("categorical: ordinal codes; rare and unseen levels as missing")
        return lines
    if kinds & {"numeric", "boolean", "datetime"}:
        lines.append("numeric, boolean and calendar parts of dates: median imputation, scaling")
    if "categorical" in kinds:
        lines.append(
            "categorical: most-frequent imputation, one-hot encoding (rare and unseen "
            "levels share one column)"
        )
    return lines


def eval_summary(view: RunView, run: RunReader, plots: str) -> str:
    """Return the evaluation summary in Markdown, ending with a ship / don't ship call."""
    from ml_baseline.registry import ERROR_ANALYSIS, FEATURE_IMPORTANCE, SLICE_METRICS

    meta, schema, audit = view.meta, view.schema, view.audit
    permutation = run.read_json(FEATURE_IMPORTANCE)["permutation_importance"]
    important = [f["feature"] for f in permutation["features"]]
    worst = _worst_lines(view, run.read_rows(ERROR_ANALYSIS), important)
    slice_lines = _weak_slices(view, run.read_rows(SLICE_METRICS)) or [
        "- No categorical slice with at least 20 holdout rows."
    ]
    importance = [
        f"- `{f['feature']}`: {permutation['scoring']} drops by {f['drop_mean']:.3f} when shuffled"
        for f in permutation["features"][:3]
    ]
    if importance:  # what was computed (older runs did not record the holdout's size)
        of = f" of {permutation['holdout_rows']:,}" if "holdout_rows" in permutation else ""
        importance.append(
            f"- computed on {permutation['rows']:,}{of} holdout rows, each column shuffled "
            f"{permutation['repeats']} times"
        )
    leakage = _findings(audit, ("leakage", "warning", "strong", "info")) or [
        "- No column predicts the target on its own; no duplicates across the split."
    ]
    sections = [
        f"# Evaluation summary: {schema['target']}",
        f"Run `{meta.run_id}` on `{meta.dataset['path']}`.",
        "## Model family",
        f"Baseline: `{view.task.baseline_text}`. Model: `{meta.model}` in a scikit-learn pipeline.",
        "## Preprocessing",
        *[f"- {line}" for line in _preprocessing(view)],
        "- fit on the training split only (inside the pipeline)",
        "## Baseline vs model (holdout)",
        f"Holdout: {view.split_text}.",
        metric_table(view),
        _plot_links(view, plots),
        "## Error analysis",
        "### Worst cases (most confident mistakes; all in tables/error_analysis.csv)",
        *(worst or ["- No mistakes on the holdout."]),
        "### Weakest slices (tables/slice_metrics.csv)",
        *slice_lines,
        "### What the model relies on (metrics/feature_importance.json)",
        *(importance or ["- Permutation importance was not computed."]),
        "### Leakage checks (metrics/leakage_audit.json)",
        *leakage,
        "### Next data fixes",
        *_next_fixes(audit, schema),
        "## Recommendation",
        f"**{view.verdict.text.capitalize()}.** Rule: {view.verdict.rule}.",
    ]
    return "\n\n".join(_join_lists(sections)) + "\n"


WORST_CASE_FEATURES = 5  # feature values shown per worst case: the ones the model relies on most


def _worst_lines(view: RunView, errors: list[dict[str, str]], important: list[str]) -> list[str]:
    """Return one short bullet per worst case: its ids, what the model said, and the values of
    the features that matter most (by permutation importance; all of them are in the table)."""
    from ml_baseline.analysis import ERROR_KIND, data_column, worst_errors_own_columns

    schema = view.schema
    own = worst_errors_own_columns(schema["task"], schema.get("labels"))
    names = [f["name"] for f in schema["features"]]
    shown_names = [name for name in important if name in names] or names
    shown_names = shown_names[:WORST_CASE_FEATURES]
    lines = []
    for row in view.task.worst_case_summary(errors):
        cell = {name: row[data_column(name, own)] for name in (*names, *schema["id_columns"])}
        ident = ", ".join(f"{name}={cell[name]}" for name in schema["id_columns"])
        values = ", ".join(f"{name}={_cell(cell[name])}" for name in shown_names)
        said = view.task.worst_case_said(row, data_column(schema["target"], own))
        kind = row[ERROR_KIND].replace("_", " ")
        lines.append(f"- {kind} ({ident or 'no id'}): {said}; {values}")
    return list(dict.fromkeys(lines))


def _cell(value: str) -> str:
    """Return a table cell as a bullet shows it: ∅ when empty, long text cut."""
    if not value:
        return "∅"
    return value if len(value) <= 30 else value[:29] + "…"


def _weak_slices(view: RunView, slices: list[dict[str, str]]) -> list[str]:
    """Return the three weakest slices with at least 20 rows, by the task's slice metric."""
    key = view.task.slice_key
    higher_is_better = view.task.metric(key).higher_is_better
    usable = [s for s in slices if int(s["n"]) >= 20 and s.get(key) not in ("", None)]
    worst_first = sorted(usable, key=lambda s: float(s[key]), reverse=not higher_is_better)[:3]
    return [
        f"- `{s['feature']}` = {s['value']}: {key} {float(s[key]):.3f} on {s['n']} rows"
        for s in worst_first
    ]


def _next_fixes(audit: AuditResult, schema: dict[str, Any]) -> list[str]:
    fixes = [
        f"- Remove or rebuild `{column}` so that it is known before the outcome."
        for column in audit.suspected_leakage
    ]
    for f in audit.findings:
        if f.check == "id_like":  # audits written before ids were decided with the roles
            fixes.append(f"- Declare `{f.column}` with --id-col, or drop it.")
        if f.check == "duplicates" and f.level == "warning":
            fixes.append("- Deduplicate repeated records before splitting.")
        if f.check == "look_alikes":
            fixes.append(
                "- Find columns that tell apart rows with equal features and different labels."
            )
        if f.check == "shared_ids" and f.level == "warning":
            column = audit.duplicates["id_columns"][0]
            fixes.append(f"- Split by entity: `--split group --group-col {column}`.")
    missing = [f["name"] for f in schema["features"] if f["missing_share"] >= 0.2]
    if missing:
        # An empty cell often means "none" (no pool, no fence): a question, not a fix.
        fixes.append(
            "- Do empty cells in "
            + ", ".join(f"`{name}`" for name in missing[:10])
            + (f" (and {len(missing) - 10} more)" if len(missing) > 10 else "")
            + ' mean "none", or are values missing? If missing, fill them at the source.'
        )
    fixes.append("- Label more rows of the weakest slices above.")
    return fixes


def _join_lists(sections: list[str]) -> list[str]:
    """Join consecutive list items and table rows into one block each."""
    blocks: list[str] = []
    for section in sections:
        starts_item = section.startswith(("- ", "| "))
        if blocks and starts_item and blocks[-1].split("\n")[-1].startswith(section[:2]):
            blocks[-1] += "\n" + section
        else:
            blocks.append(section)
    return blocks


def write_documents(run: RunReader, view: RunView, out_dir: Path, plots: str) -> list[Path]:
    """Write model_card.md and eval_summary.md for the run into `out_dir`; return their paths."""
    written = []
    for name, render in ((MODEL_CARD, model_card), (EVAL_SUMMARY, eval_summary)):
        path = out_dir / name
        write_bytes_atomic(path, render(view, run, plots).encode("utf-8"))
        written.append(path)
    return written


def _remove_other_plots(folder: Path, kept: set[str]) -> None:
    """Remove from a report's plots folder the plots of another task that this run does not
    have: a binary run's report written where a regression run's was kept its residuals.png
    and predicted_vs_actual.png, which the documents no longer named (probe 68). Only the
    names a run's plots take are removed; any other file there is the user's."""
    from ml_baseline.tasks import TASKS

    for name in {name for task in TASKS.values() for name in task.plots} - kept:
        (folder / name).unlink(missing_ok=True)


def export_report(run: RunFolder, out_dir: Path) -> list[Path]:
    """Write a run's two documents and their plots to `out_dir` (e.g. the top-level reports/)
    for sharing; return the files written. Everything is read and verified before anything is
    written, so a damaged run writes nothing."""
    from ml_baseline.registry import PLOTS_DIR
    from ml_baseline.view import RunView

    view = RunView.from_run(run)
    plots = {
        name: run.verified_bytes(f"{PLOTS_DIR}/{name}")
        for name in view.task.plots
        if run.has(f"{PLOTS_DIR}/{name}")
    }
    documents = {
        name: render(view, run, "plots").encode("utf-8")
        for name, render in ((MODEL_CARD, model_card), (EVAL_SUMMARY, eval_summary))
    }
    files = {out_dir / name: content for name, content in documents.items()}
    files.update({out_dir / "plots" / name: content for name, content in plots.items()})
    written = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(path, content)
            written.append(path)
        _remove_other_plots(out_dir / "plots", set(plots))
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: say what is there (files are whole)
        if written:
            exc.add_note(f"{len(written)} of {len(files)} report files were written to {out_dir}")
        raise
    except OSError as exc:  # --out is a file, or a folder the user cannot write, or disk full
        from ml_baseline.errors import MLBaselineError

        where = exc.filename or path
        done = f"; {len(written)} of {len(files)} files were written" if written else ""
        raise MLBaselineError(
            f"cannot write the report to {where}: {exc.strerror or exc}{done}; pass --out "
            "with a folder you can write"
        ) from exc
    return written


if __name__ == "__main__":  # the child process of PlotWorker
    sys.exit(_plot_worker())
