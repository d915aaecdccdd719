"""The model card, the evaluation summary and the plots of a run.

Plots are drawn once, at training. The two Markdown documents are rendered from the run
folder's own files (run_meta, schema, metrics, audit, tables), so `ml-baseline report` can
write them again anywhere without retraining, and a person can check every number in them.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ml_baseline.data import write_bytes_atomic

if TYPE_CHECKING:
    import numpy as np

PLOTS = {  # per task: file name -> title
    "binary": {
        "roc.png": "ROC curve",
        "precision_recall.png": "Precision-recall curve",
        "calibration.png": "Calibration curve",
        "confusion_matrix.png": "Confusion matrix",
        "score_distribution.png": "Score distribution by class",
    },
    "multiclass": {
        "confusion_matrix.png": "Confusion matrix",
        "confidence.png": "Confidence of right and wrong predictions",
    },
    "regression": {
        "predicted_vs_actual.png": "Predicted vs actual",
        "residuals.png": "Residuals",
    },
}
MODEL_CARD = "model_card.md"
EVAL_SUMMARY = "eval_summary.md"
_PLOT_POINTS = 50_000  # rows drawn in curves: as smooth as a million, and much faster


# --- plots -----------------------------------------------------------------------------------


def write_plots(
    plots_dir: Path,
    task: str,
    labels: list[Any] | None,
    y: np.ndarray,
    out: np.ndarray,
    threshold: float | None,
    seed: int,
) -> None:
    """Draw the holdout plots of `task` as PNG files, in this process."""
    plots_dir.mkdir(parents=True, exist_ok=True)
    if task == "regression":
        _regression_plots(plots_dir, y, out, seed)
    elif task == "multiclass":
        _multiclass_plots(plots_dir, labels or [], y, out)
    else:
        _binary_plots(plots_dir, y, out, threshold, seed)


_PLOT_INPUTS = ".plot_inputs.npz"  # the worker's inputs, in the plots folder while it draws
_OS_ERROR_EXIT = 3  # the worker's exit code for an OSError, described as JSON on stderr


class PlotWorker:
    """A child process that draws a run's plots while the training goes on.

    Importing matplotlib and drawing take about 0.8 s whatever the size of the table. Started
    before the fit, the worker imports numpy and matplotlib (not scikit-learn) while this
    process imports scikit-learn and fits; `draw` hands it the holdout results and returns at
    once, and the worker draws while this process runs the bootstrap, the audit and the
    importance. With a second core the plots then cost next to nothing.

    Use it as a context manager: leaving the block stops a worker that is still running.
    Where no process can be started, `wait` draws the plots in this process.
    """

    def __init__(self) -> None:
        import subprocess

        self._job: tuple[Any, ...] | None = None
        self._stderr: bytes | None = None  # set once the worker has ended and been reaped
        try:
            self._child: Any = subprocess.Popen(
                _worker_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError:
            self._child = None

    def __enter__(self) -> PlotWorker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._child is not None and self._stderr is None:
            self._child.kill()  # a no-op if it has ended already
            self._finish()
        if self._job is not None:
            (self._job[0] / _PLOT_INPUTS).unlink(missing_ok=True)

    def draw(
        self,
        plots_dir: Path,
        task: str,
        labels: list[Any] | None,
        y: np.ndarray,
        out: np.ndarray,
        threshold: float | None,
        seed: int,
    ) -> None:
        """Start drawing the plots of these holdout results into `plots_dir`."""
        import numpy as np

        plots_dir.mkdir(parents=True, exist_ok=True)
        self._job = (plots_dir, task, labels, y, out, threshold, seed)
        if self._child is None:
            return
        inputs = plots_dir / _PLOT_INPUTS
        np.savez(
            inputs,
            y=y,
            out=out,
            task=task,
            labels=np.asarray([str(label) for label in labels or []], dtype=str),
            threshold=np.nan if threshold is None else threshold,
            seed=seed,
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
        plots_dir = self._job[0]
        if self._child is None:
            write_plots(*self._job)
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
            write_plots(
                inputs.parent,
                str(saved["task"]),
                saved["labels"].tolist(),
                saved["y"],
                saved["out"],
                None if np.isnan(threshold) else threshold,
                int(saved["seed"]),
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


def _regression_plots(plots_dir: Path, y: np.ndarray, predicted: np.ndarray, seed: int) -> None:
    import numpy as np

    rows = _sample(len(y), seed)
    fig, ax = _new_figure(5, 5)
    ax.scatter(y[rows], predicted[rows], s=6, alpha=0.4, label="model")
    low, high = float(min(y.min(), predicted.min())), float(max(y.max(), predicted.max()))
    ax.plot([low, high], [low, high], linestyle="--", color="grey", label="perfect")
    ax.axhline(float(np.mean(y)), color="orange", linestyle=":", label="baseline (mean)")
    ax.set(
        xlabel="Actual", ylabel="Predicted", title=PLOTS["regression"]["predicted_vs_actual.png"]
    )
    ax.legend(loc="upper left")
    fig.savefig(plots_dir / "predicted_vs_actual.png", dpi=100)

    fig, ax = _new_figure(6, 4)
    ax.hist(predicted[rows] - y[rows], bins=40)
    ax.axvline(0, color="black", linestyle=":")
    ax.set(xlabel="Predicted - actual", ylabel="Rows", title=PLOTS["regression"]["residuals.png"])
    fig.savefig(plots_dir / "residuals.png", dpi=100)


def _multiclass_plots(plots_dir: Path, labels: list[Any], y: np.ndarray, proba: np.ndarray) -> None:
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
    ax.set_title(PLOTS["multiclass"]["confusion_matrix.png"])
    fig.savefig(plots_dir / "confusion_matrix.png", dpi=100)

    confidence = proba.max(axis=1)
    fig, ax = _new_figure(6, 4)
    bins = np.linspace(0, 1, 41)
    right = predicted == y
    for rows, name in ((right, "right"), (~right, "wrong")):
        if rows.any():  # a density of no rows is undefined
            ax.hist(confidence[rows], bins=bins, alpha=0.6, density=True, label=name)
    ax.set(xlabel="Probability of the predicted class", ylabel="Density")
    ax.set_title(PLOTS["multiclass"]["confidence.png"])
    ax.legend()
    fig.savefig(plots_dir / "confidence.png", dpi=100)


def _binary_plots(
    plots_dir: Path, y: np.ndarray, score: np.ndarray, threshold: float, seed: int
) -> None:
    import numpy as np

    from ml_baseline.metrics import (
        calibration_points,
        confusion_counts,
        precision_recall_points,
        roc_points,
    )

    titles = PLOTS["binary"]
    prevalence = float(np.mean(y))
    matrix = confusion_counts(y, score >= threshold, 2)
    # Curves from a random sample: as smooth as from a million rows, and drawn in a moment.
    sample = _sample(len(y), seed)
    y, score = y[sample], score[sample]

    new = _new_figure

    def save(fig: Any, name: str) -> None:
        fig.savefig(plots_dir / name, dpi=100)

    fpr, tpr = roc_points(y, score)
    fig, ax = new(5, 5)
    ax.plot(fpr, tpr, label="model")
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="baseline (majority class)")
    ax.set(xlabel="False positive rate", ylabel="True positive rate", title=titles["roc.png"])
    ax.legend(loc="lower right")
    save(fig, "roc.png")

    precision, recall = precision_recall_points(y, score)
    fig, ax = new(5, 5)
    ax.step(recall, precision, where="post", label="model")
    ax.axhline(prevalence, linestyle="--", color="grey", label=f"baseline ({prevalence:.2f})")
    ax.set(xlabel="Recall", ylabel="Precision", title=titles["precision_recall.png"])
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper right")
    save(fig, "precision_recall.png")

    observed, predicted = calibration_points(y, score, n_bins=10)
    fig, ax = new(5, 5)
    ax.plot(predicted, observed, marker="o", label="model")
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    ax.set(xlabel="Mean predicted score", ylabel="Observed positive rate")
    ax.set_title(titles["calibration.png"])
    ax.legend(loc="upper left")
    save(fig, "calibration.png")

    fig, ax = new(4.5, 4)
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
        title=titles["confusion_matrix.png"],
    )
    save(fig, "confusion_matrix.png")

    fig, ax = new(6, 4)
    bins = np.linspace(0, 1, 41)
    for label, name in ((0, "negative"), (1, "positive")):
        if np.any(y == label):  # a density of no rows is undefined
            ax.hist(score[y == label], bins=bins, alpha=0.6, density=True, label=name)
    ax.axvline(threshold, color="black", linestyle=":", label=f"threshold {threshold:.2f}")
    ax.set(xlabel="Score", ylabel="Density", title=titles["score_distribution.png"])
    ax.legend()
    save(fig, "score_distribution.png")


# --- the documents ---------------------------------------------------------------------------


@dataclass
class RunFiles:
    """What the documents are made of, read from a run folder."""

    run_dir: Path
    meta: dict[str, Any]
    schema: dict[str, Any]
    holdout: dict[str, Any]
    audit: dict[str, Any]
    importance: dict[str, Any]
    errors: list[dict[str, str]]
    slices: list[dict[str, str]]

    @classmethod
    def read(cls, run_dir: Path, meta: dict[str, Any]) -> RunFiles:
        def load(relative: str) -> Any:
            return json.loads((run_dir / relative).read_text(encoding="utf-8"))

        def rows(relative: str) -> list[dict[str, str]]:
            with open(run_dir / relative, encoding="utf-8", newline="") as f:
                return list(csv.DictReader(f))

        return cls(
            run_dir=run_dir,
            meta=meta,
            schema=load("schema/input_schema.json"),
            holdout=load("metrics/holdout_metrics.json"),
            audit=load("metrics/leakage_audit.json"),
            importance=load("metrics/feature_importance.json"),
            errors=rows("tables/error_analysis.csv"),
            slices=rows("tables/slice_metrics.csv"),
        )


def recommendation(task: str, holdout: dict[str, Any], audit: dict[str, Any]) -> tuple[str, str]:
    """Return ("ship" or "don't ship (yet)", the rule that decided it)."""
    from ml_baseline.metrics import KEY_METRIC, LOWER_IS_BETTER, TASK_METRICS

    if audit["suspected_leakage"]:
        columns = ", ".join(audit["suspected_leakage"])
        return "don't ship (yet)", f"leakage is suspected in {columns}: fix the data and retrain"
    if any(f["check"] == "too_good" for f in audit["findings"]):
        return "don't ship (yet)", "the holdout result is too good to be true: find out why first"
    shared = audit["duplicates"].get("id_share")
    if any(f["check"] == "shared_ids" and f["level"] == "warning" for f in audit["findings"]):
        column = audit["duplicates"]["id_columns"][0]
        return (
            "don't ship (yet)",
            f"{shared:.0%} of the holdout rows share an id with training rows, so its metrics "
            f"overstate performance on new entities: retrain with --split group --group-col "
            f"{column} (or --split time)",
        )
    labels = TASK_METRICS[task][0]
    keys = ("roc_auc", "pr_auc") if task == "binary" else (KEY_METRIC[task],)
    gains = []
    for key in keys:
        low, high = holdout["confidence_intervals"]["model_minus_baseline"][key]
        # The gain is model - baseline, or baseline - model for an error such as MAE.
        gain = (None if high is None else -high) if key in LOWER_IS_BETTER else low
        gains.append((labels[key], gain))
    names = " or ".join(name for name, _ in gains)
    if any(gain is None or gain <= 0 for _, gain in gains):
        return (
            "don't ship (yet)",
            f"the 95% interval of the model's gain over the baseline ({names}) reaches 0: "
            "there is no evidence it beats the baseline",
        )
    shown = ", ".join(f"{name} gain at least {gain:+.3f}" for name, gain in gains)
    return (
        "ship",
        "no leakage is suspected and the 95% intervals of the model's gain over the baseline "
        f"are above 0 ({shown}), as a baseline to beat",
    )


def _number(value: Any, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _metric_table(task: str, holdout: dict[str, Any]) -> str:
    from ml_baseline.metrics import TASK_METRICS

    baseline = holdout["baseline"]
    intervals = holdout["confidence_intervals"]
    lines = [
        "| Metric | Baseline | Model | Model 95% CI | Model - Baseline [95% CI] |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key, label in TASK_METRICS[task][0].items():
        model_value, base_value = holdout.get(key), baseline.get(key)
        interval, gain = "", ""
        if key in intervals["model"]:
            low, high = intervals["model"][key]
            interval = f"[{_number(low)}, {_number(high)}]"
            g_low, g_high = intervals["model_minus_baseline"][key]
            if model_value is not None and base_value is not None and g_low is not None:
                gain = f"{model_value - base_value:+.3f} [{g_low:+.3f}, {g_high:+.3f}]"
        lines.append(
            f"| {label} | {_number(base_value)} | {_number(model_value)} | {interval} | {gain} |"
        )
    return "\n".join(lines)


def _findings(audit: dict[str, Any], levels: tuple[str, ...]) -> list[str]:
    return [
        f"- **{f['level']}**: {f['message']}" for f in audit["findings"] if f["level"] in levels
    ]


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
        return f"{f['min']} to {f['max']} (as {', '.join(f['parts'])})"
    return f"{f['min']:g} to {f['max']:g}"


def _split_description(split: dict[str, Any], config: dict[str, Any]) -> str:
    size = f"test size {config['test_size']}, seed {config['seed']}"
    if split.get("strategy") == "time":
        train, holdout = split["train_range"], split["holdout_range"]
        return (
            f"time split on `{split['time_column']}` ({size}): training {train[0]} to "
            f"{train[1]}, holdout {holdout[0]} to {holdout[1]} (strictly later)"
        )
    if split.get("strategy") == "group":
        return (
            f"group split on `{split['group_column']}` ({size}): {split['train_groups']} groups "
            f"in training, {split['holdout_groups']} other groups in the holdout"
        )
    return f"random stratified split, {size}"


def _task_text(schema: dict[str, Any]) -> str:
    task = schema.get("task", "binary")
    if task == "binary":
        return f"binary classification; positive label `{schema['positive_label']!r}`"
    if task == "multiclass":
        shown = ", ".join(f"`{label!r}`" for label in schema["labels"][:10])
        return f"multiclass classification; {len(schema['labels'])} classes: {shown}"
    return "regression"


def model_card(run: RunFiles, plots: str) -> str:
    """Return the model card in Markdown, with plots linked under the `plots` prefix."""
    meta, schema, holdout = run.meta, run.schema, run.holdout
    task = schema.get("task", "binary")
    config, dataset, git = meta["config"], meta["dataset"], meta.get("git") or {}
    ids = ", ".join(f"`{name}`" for name in schema["id_columns"]) or "none"
    excluded = [f"`{name}` ({why})" for name, why in schema["excluded_columns"].items()]
    problem = meta.get("problem", {})
    limitations = _findings(run.audit, ("leakage", "warning", "strong")) or [
        "- The leakage audit found no column that predicts the target on its own."
    ]
    limitations += [
        "- One random holdout of "
        f"{meta['rows']['holdout']} rows: the intervals above show how much that number can move.",
    ]
    if config.get("model", "logreg") == "logreg":
        limitations.append(
            "- A linear model on the given columns: interactions and non-linear effects are "
            "missed (try --model hgb)."
        )
    if task == "binary":
        limitations.append(
            f"- Threshold {meta['threshold']:.3f} ({config['threshold_strategy']}); other costs "
            "of errors call for another threshold (see tables/threshold_curve.csv)."
        )
    monitoring = []
    for f in schema["features"]:
        missing = f"missing share (training {f['missing_share']:.1%})"
        if f["categories"] is not None:
            count = f.get("n_categories") or len(f["categories"])
            monitoring.append(
                f"- `{f['name']}`: share of values outside the {count} training categories; "
                + missing
            )
        elif f["kind"] == "datetime":
            monitoring.append(f"- `{f['name']}`: dates after {f['max']}; " + missing)
        elif f["min"] is not None:
            monitoring.append(
                f"- `{f['name']}`: values outside [{f['min']:g}, {f['max']:g}]; " + missing
            )
    if task == "binary":
        monitoring.append(
            "- Score distribution and predicted positive rate (holdout: "
            f"{holdout['positive_rate']:.1%})."
        )
    else:
        monitoring.append("- The distribution of predictions, against the holdout's.")
    measures = {"binary": "Precision and recall", "multiclass": "Per-class recall"}
    monitoring.append(
        f"- {measures.get(task, 'MAE and R2')} on newly labelled data: "
        f"`ml-baseline evaluate --run {meta['run_id']} --input labelled.csv`."
    )
    plot_lines = [f"![{title}]({plots}/{name})" for name, title in PLOTS[task].items()]
    artifacts = "\n".join(
        f"- `{path.relative_to(run.run_dir).as_posix()}`"
        for path in sorted(run.run_dir.rglob("*"))
        if path.is_file() and path.parent.name != "reports"
    )
    sections = [
        f"# Model card: {schema['target']}",
        f"Run `{meta['run_id']}`, trained {meta['started_at'][:19].replace('T', ' ')} UTC.",
        "## Problem",
        f"- **Target:** `{schema['target']}` ({_task_text(schema)})",
        f"- **Unit of analysis:** {problem.get('unit') or 'one row of the feature table'}",
        f"- **Decision enabled:** {problem.get('decision') or 'not stated (pass --decision)'}",
        "## Data",
        f"- **Feature table:** `{dataset['path']}` ({dataset['rows']} rows, sha256 "
        f"`{dataset['sha256']}`)",
        f"- **Forbidden columns:** {', '.join(f'`{c}`' for c in schema['forbidden_columns'])} "
        "(the target; never a model input)",
        f"- **ID columns:** {ids} (carried into predictions, never features)",
        f"- **Left out:** {', '.join(excluded) or 'nothing'}",
        "\n".join(_feature_rows(schema)),
        "## Splits",
        f"- **Holdout strategy:** {_split_description(meta.get('split') or {}, config)}",
        f"- **Rows:** {meta['rows']['train']} training, {meta['rows']['holdout']} holdout "
        f"({meta['rows']['dropped_missing_target']} dropped for a missing target)",
        "## Metrics (holdout)",
        _metric_table(task, holdout),
        "\n\n".join(plot_lines),
        "## Limitations",
        *limitations,
        "## Monitoring sketch",
        *monitoring,
        "## Reproducibility",
        f"- **Run ID:** `{meta['run_id']}`",
        f"- **Git commit:** `{git.get('commit') or 'not a git work tree'}`"
        + (" (uncommitted changes)" if git.get("dirty") else ""),
        "- **Environment:** `env/pip_freeze.txt`, `env/env_meta.json`",
        "- **Versions:** "
        + ", ".join(f"{k} {v}" for k, v in meta["versions"].items() if v is not None),
        "- **Artifacts** (the sha256 of each is in run_meta.json):\n\n" + artifacts,
    ]
    return "\n\n".join(_join_lists(sections)) + "\n"


def eval_summary(run: RunFiles, plots: str) -> str:
    """Return the evaluation summary in Markdown, ending with a ship / don't ship call."""
    meta, schema, holdout, audit = run.meta, run.schema, run.holdout, run.audit
    task = schema.get("task", "binary")
    model_kind = meta["config"].get("model", "logreg")
    verdict, rule = recommendation(task, holdout, audit)
    kinds = {f["kind"] for f in schema["features"]}
    preprocessing = []
    if model_kind == "hgb":
        preprocessing.append("numbers as they are; the trees handle missing values")
        if "categorical" in kinds:
            preprocessing.append("categorical: ordinal codes; rare and unseen levels as missing")
    else:
        if kinds & {"numeric", "boolean", "datetime"}:
            preprocessing.append(
                "numeric, boolean and calendar parts of dates: median imputation, scaling"
            )
        if "categorical" in kinds:
            preprocessing.append(
                "categorical: most-frequent imputation, one-hot encoding (rare and unseen "
                "levels share one column)"
            )
    worst = _worst_lines(run, schema, task)
    slice_lines = _weak_slices(run.slices, task) or [
        "- No categorical slice with at least 20 holdout rows."
    ]
    permutation = run.importance["permutation_importance"]
    importance = [
        f"- `{f['feature']}`: {permutation['scoring']} drops by {f['drop_mean']:.3f} when shuffled"
        for f in permutation["features"][:3]
    ]
    baseline_text = (
        'DummyRegressor(strategy="mean")'
        if task == "regression"
        else 'DummyClassifier(strategy="most_frequent")'
    )
    leakage = _findings(audit, ("leakage", "warning", "strong", "info")) or [
        "- No column predicts the target on its own; no duplicates across the split."
    ]
    fixes = _next_fixes(audit, schema)
    sections = [
        f"# Evaluation summary: {schema['target']}",
        f"Run `{meta['run_id']}` on `{meta['dataset']['path']}`.",
        "## Model family",
        f"Baseline: `{baseline_text}`. Model: `{meta.get('model', 'LogisticRegression')}` "
        "in a scikit-learn pipeline.",
        "## Preprocessing",
        *[f"- {line}" for line in preprocessing],
        "- fit on the training split only (inside the pipeline)",
        "## Baseline vs model (holdout)",
        _metric_table(task, holdout),
        "\n\n".join(f"![{title}]({plots}/{name})" for name, title in PLOTS[task].items()),
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
        *fixes,
        "## Recommendation",
        f"**{verdict.capitalize()}.** Rule: {rule}.",
    ]
    return "\n\n".join(_join_lists(sections)) + "\n"


def _worst_lines(run: RunFiles, schema: dict[str, Any], task: str) -> list[str]:
    rows = run.errors[:5]
    if task == "binary":
        rows += [r for r in run.errors if r["error"] == "false_negative"][:5]
    lines = []
    for row in rows:
        ident = ", ".join(f"{name}={row[name]}" for name in schema["id_columns"])
        values = ", ".join(f"{f['name']}={row[f['name']] or '∅'}" for f in schema["features"])
        said = (
            f"score {float(row['score']):.3f}"
            if task == "binary"
            else (f"predicted {row['prediction']}, actual {row[schema['target']]}")
        )
        lines.append(f"- {row['error'].replace('_', ' ')} ({ident or 'no id'}): {said}; {values}")
    return list(dict.fromkeys(lines))


def _weak_slices(slices: list[dict[str, str]], task: str) -> list[str]:
    """Return the three weakest slices with at least 20 rows, by F1, macro F1 or MAE."""
    key = {"binary": "f1", "multiclass": "f1_macro", "regression": "mae"}[task]
    usable = [s for s in slices if int(s["n"]) >= 20 and s.get(key) not in ("", None)]
    worst_first = sorted(usable, key=lambda s: float(s[key]), reverse=task == "regression")[:3]
    return [
        f"- `{s['feature']}` = {s['value']}: {key} {float(s[key]):.3f} on {s['n']} rows"
        for s in worst_first
    ]


def _next_fixes(audit: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    fixes = [
        f"- Remove or rebuild `{column}` so that it is known before the outcome."
        for column in audit["suspected_leakage"]
    ]
    for f in audit["findings"]:
        if f["check"] == "id_like":
            fixes.append(f"- Declare `{f['column']}` with --id-col, or drop it.")
        if f["check"] == "duplicates" and f["level"] == "warning":
            fixes.append("- Deduplicate repeated records before splitting.")
        if f["check"] == "shared_ids" and f["level"] == "warning":
            column = audit["duplicates"]["id_columns"][0]
            fixes.append(f"- Split by entity: `--split group --group-col {column}`.")
    missing = [f["name"] for f in schema["features"] if f["missing_share"] >= 0.2]
    if missing:
        fixes.append(
            "- Reduce missing values in " + ", ".join(f"`{name}`" for name in missing) + "."
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


def write_documents(run_dir: Path, meta: dict[str, Any], out_dir: Path, plots: str) -> list[Path]:
    """Write model_card.md and eval_summary.md for the run into `out_dir`; return their paths."""
    files = RunFiles.read(run_dir, meta)
    written = []
    for name, render in ((MODEL_CARD, model_card), (EVAL_SUMMARY, eval_summary)):
        path = out_dir / name
        write_bytes_atomic(path, render(files, plots).encode("utf-8"))
        written.append(path)
    return written


def export_report(run_dir: Path, meta: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write a run's two documents and their plots to `out_dir` (e.g. the top-level reports/)
    for sharing; return the files written."""
    plots_out = out_dir / "plots"
    plots_out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PLOTS[meta.get("task", "binary")]:
        source = run_dir / "plots" / name
        if source.is_file():
            write_bytes_atomic(plots_out / name, source.read_bytes())
            written.append(plots_out / name)
    return write_documents(run_dir, meta, out_dir, "plots") + written


if __name__ == "__main__":  # the child process of PlotWorker
    sys.exit(_plot_worker())
