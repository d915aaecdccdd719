"""The model card, the evaluation summary and the plots of a run.

Plots are drawn once, at training. The two Markdown documents are rendered from the run
folder's own files (run_meta, schema, metrics, audit, tables), so `ml-baseline report` can
write them again anywhere without retraining, and a person can check every number in them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ml_baseline.data import write_bytes_atomic
from ml_baseline.metrics import METRIC_LABELS

if TYPE_CHECKING:
    import numpy as np

PLOTS = {
    "roc.png": "ROC curve",
    "precision_recall.png": "Precision-recall curve",
    "calibration.png": "Calibration curve",
    "confusion_matrix.png": "Confusion matrix",
    "score_distribution.png": "Score distribution by class",
}
MODEL_CARD = "model_card.md"
EVAL_SUMMARY = "eval_summary.md"
_PLOT_POINTS = 20_000  # enough for smooth curves; a 1M-row holdout draws no faster


# --- plots -----------------------------------------------------------------------------------


def write_plots(
    plots_dir: Path, y: np.ndarray, score: np.ndarray, threshold: float, seed: int
) -> None:
    """Draw the holdout plots (with the baseline where it has a curve) as PNG files."""
    import numpy as np
    from matplotlib.figure import Figure  # not pyplot: no GUI backend, no global state
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import confusion_matrix, precision_recall_curve, roc_curve

    plots_dir.mkdir(parents=True, exist_ok=True)
    prevalence = float(np.mean(y))

    def new(width: float, height: float) -> tuple[Any, Any]:
        fig = Figure(figsize=(width, height))
        fig.subplots_adjust(left=0.16, right=0.95, bottom=0.13, top=0.9)
        return fig, fig.subplots()

    def save(fig: Any, name: str) -> None:
        fig.savefig(plots_dir / name, dpi=100)

    fpr, tpr, _ = roc_curve(y, score)
    fig, ax = new(5, 5)
    ax.plot(fpr, tpr, label="model")
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="baseline (majority class)")
    ax.set(xlabel="False positive rate", ylabel="True positive rate", title=PLOTS["roc.png"])
    ax.legend(loc="lower right")
    save(fig, "roc.png")

    precision, recall, _ = precision_recall_curve(y, score)
    fig, ax = new(5, 5)
    ax.step(recall, precision, where="post", label="model")
    ax.axhline(prevalence, linestyle="--", color="grey", label=f"baseline ({prevalence:.2f})")
    ax.set(xlabel="Recall", ylabel="Precision", title=PLOTS["precision_recall.png"])
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper right")
    save(fig, "precision_recall.png")

    observed, predicted = calibration_curve(y, score, n_bins=10, strategy="quantile")
    fig, ax = new(5, 5)
    ax.plot(predicted, observed, marker="o", label="model")
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    ax.set(xlabel="Mean predicted score", ylabel="Observed positive rate")
    ax.set_title(PLOTS["calibration.png"])
    ax.legend(loc="upper left")
    save(fig, "calibration.png")

    matrix = confusion_matrix(y, (score >= threshold).astype(int), labels=[0, 1])
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
        title=PLOTS["confusion_matrix.png"],
    )
    save(fig, "confusion_matrix.png")

    sample = np.arange(len(y))
    if len(sample) > _PLOT_POINTS:
        sample = np.random.default_rng(seed).choice(sample, _PLOT_POINTS, replace=False)
    fig, ax = new(6, 4)
    bins = np.linspace(0, 1, 41)
    for label, name in ((0, "negative"), (1, "positive")):
        ax.hist(score[sample][y[sample] == label], bins=bins, alpha=0.6, density=True, label=name)
    ax.axvline(threshold, color="black", linestyle=":", label=f"threshold {threshold:.2f}")
    ax.set(xlabel="Score", ylabel="Density", title=PLOTS["score_distribution.png"])
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


def recommendation(holdout: dict[str, Any], audit: dict[str, Any]) -> tuple[str, str]:
    """Return ("ship" or "don't ship (yet)", the rule that decided it)."""
    intervals = holdout["confidence_intervals"]["model_minus_baseline"]
    auc_gain_low = intervals["roc_auc"][0]
    pr_gain_low = intervals["pr_auc"][0]
    if audit["suspected_leakage"]:
        columns = ", ".join(audit["suspected_leakage"])
        return "don't ship (yet)", f"leakage is suspected in {columns}: fix the data and retrain"
    if any(f["check"] == "too_good" for f in audit["findings"]):
        return "don't ship (yet)", "the holdout result is too good to be true: find out why first"
    if auc_gain_low is None or auc_gain_low <= 0 or pr_gain_low is None or pr_gain_low <= 0:
        return (
            "don't ship (yet)",
            "the 95% interval of the model's gain over the baseline (ROC AUC or PR AUC) "
            "reaches 0: there is no evidence it beats predicting the majority class",
        )
    return (
        "ship",
        "no leakage is suspected and the 95% intervals of the model's gain over the baseline "
        f"are above 0 (ROC AUC gain at least {auc_gain_low:+.3f}, PR AUC gain at least "
        f"{pr_gain_low:+.3f}), as a baseline to beat",
    )


def _number(value: Any, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _metric_table(holdout: dict[str, Any]) -> str:
    baseline = holdout["baseline"]
    intervals = holdout["confidence_intervals"]
    lines = [
        "| Metric | Baseline | Model | Model 95% CI | Gain [95% CI] |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key, label in METRIC_LABELS.items():
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


def model_card(run: RunFiles, plots: str) -> str:
    """Return the model card in Markdown, with plots linked under the `plots` prefix."""
    meta, schema, holdout = run.meta, run.schema, run.holdout
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
        "- A linear model on the given columns: interactions and non-linear effects are missed.",
        f"- Threshold {meta['threshold']:.3f} ({config['threshold_strategy']}); other costs of "
        "errors call for another threshold (see tables/threshold_curve.csv).",
    ]
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
    monitoring += [
        f"- Score distribution and predicted positive rate (holdout: "
        f"{holdout['positive_rate']:.1%}).",
        "- Precision and recall on newly labelled data: "
        f"`ml-baseline evaluate --run {meta['run_id']} --input labelled.csv`.",
    ]
    plot_lines = [f"![{title}]({plots}/{name})" for name, title in PLOTS.items()]
    artifacts = "\n".join(
        f"- `{path.relative_to(run.run_dir).as_posix()}`"
        for path in sorted(run.run_dir.rglob("*"))
        if path.is_file() and path.parent.name != "reports"
    )
    sections = [
        f"# Model card: {schema['target']}",
        f"Run `{meta['run_id']}`, trained {meta['started_at'][:19].replace('T', ' ')} UTC.",
        "## Problem",
        f"- **Target:** `{schema['target']}` (binary classification; positive label "
        f"`{schema['positive_label']!r}`)",
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
        _metric_table(holdout),
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
    verdict, rule = recommendation(holdout, audit)
    kinds = {f["kind"] for f in schema["features"]}
    preprocessing = []
    if kinds & {"numeric", "boolean"}:
        preprocessing.append("numeric and boolean: median imputation, standard scaling")
    if "categorical" in kinds:
        preprocessing.append(
            "categorical: most-frequent imputation, one-hot encoding (unseen categories ignored)"
        )
    worst = []
    for row in run.errors[:5] + [r for r in run.errors if r["error"] == "false_negative"][:5]:
        ident = ", ".join(f"{name}={row[name]}" for name in schema["id_columns"])
        values = ", ".join(f"{f['name']}={row[f['name']] or '∅'}" for f in schema["features"])
        worst.append(
            f"- {row['error'].replace('_', ' ')} ({ident or 'no id'}): score "
            f"{float(row['score']):.3f}; {values}"
        )
    worst = list(dict.fromkeys(worst))
    weak_slices = sorted(
        (s for s in run.slices if int(s["n"]) >= 20 and s["f1"] not in ("", None)),
        key=lambda s: float(s["f1"]),
    )[:3]
    slice_lines = [
        f"- `{s['feature']}` = {s['value']}: F1 {float(s['f1']):.3f} on {s['n']} rows "
        f"(prevalence {float(s['prevalence']):.1%})"
        for s in weak_slices
    ] or ["- No categorical slice with at least 20 holdout rows."]
    top_features = run.importance["permutation_importance"]["features"][:3]
    importance = [
        f"- `{f['feature']}`: ROC AUC drops by {f['roc_auc_drop_mean']:.3f} when shuffled"
        for f in top_features
    ]
    leakage = _findings(audit, ("leakage", "warning", "strong", "info")) or [
        "- No column predicts the target on its own; no duplicates across the split."
    ]
    fixes = _next_fixes(audit, schema)
    sections = [
        f"# Evaluation summary: {schema['target']}",
        f"Run `{meta['run_id']}` on `{meta['dataset']['path']}`.",
        "## Model family",
        'Baseline: `DummyClassifier(strategy="most_frequent")`. Model: `LogisticRegression` '
        "in a scikit-learn pipeline.",
        "## Preprocessing",
        *[f"- {line}" for line in preprocessing],
        "- fit on the training split only (inside the pipeline)",
        "## Baseline vs model (holdout)",
        _metric_table(holdout),
        f"![ROC curve]({plots}/roc.png)",
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
    for name in PLOTS:
        source = run_dir / "plots" / name
        if source.is_file():
            write_bytes_atomic(plots_out / name, source.read_bytes())
            written.append(plots_out / name)
    return write_documents(run_dir, meta, out_dir, "plots") + written
