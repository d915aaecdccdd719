"""One view of a run, computed once from its documents and rendered twice: to the terminal
(cli.py, with rich) and to Markdown (report.py). The printed table, `runs show`, the model card
and the evaluation summary take every number and sentence from here, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ml_baseline.audit import AuditResult
from ml_baseline.records import RunMeta, Verdict
from ml_baseline.splits import blocks_said, groups_said, span_said
from ml_baseline.tasks import Task, get_task
from ml_baseline.verdict import LARGE_METRIC

if TYPE_CHECKING:
    from ml_baseline.registry import RunFolder


@dataclass
class MetricRow:
    """One line of the Baseline-vs-Model table."""

    key: str
    label: str
    baseline: float | None
    model: float | None
    interval: list[float | None] | None  # the model's 95% interval, for interval metrics
    gain: float | None  # model - baseline, for interval metrics
    gain_interval: list[float | None] | None

    def shown(self, value: float | None, signed: bool = False) -> str:
        """Return a value of this row as the table prints it: to 3 decimals, or to 4
        significant digits when every value of the row is below SMALL_METRIC (great_tables'
        reactions: rate constants near 1e-12 printed an MAE of 0.000 everywhere, probe 63) or
        any reaches LARGE_METRIC (great_tables' constants, 1e-36 to 1e50: an MAE of 40 digits
        cut short by the table's width, probe 65)."""
        if value is None:
            return "n/a"
        sign = "+" if signed else ""
        form = ".3e" if self._scientific else ".3f"
        return f"{value + 0.0:{sign}{form}}"  # + 0.0: a gain of -0.0 reads 0, not "-0.000"

    def shown_interval(self, bounds: list[float | None] | None, signed: bool = False) -> str:
        """Return an interval of this row as the table prints it, "" when there is none."""
        if not bounds or bounds[0] is None or bounds[1] is None:
            return ""
        return f"[{self.shown(bounds[0], signed)}, {self.shown(bounds[1], signed)}]"

    @property
    def _scientific(self) -> bool:
        values = [self.baseline, self.model, self.gain]
        values += [*(self.interval or []), *(self.gain_interval or [])]
        sizes = [abs(v) for v in values if v is not None]
        return any(sizes) and not SMALL_METRIC <= max(sizes) < LARGE_METRIC


SMALL_METRIC = 0.01  # a row whose values are all below this prints significant digits
# ... and so does a row with a value of LARGE_METRIC or more, as the verdict says them.


@dataclass
class RunView:
    """What every rendering of a run shows."""

    meta: RunMeta
    task: Task
    schema: dict[str, Any]
    holdout: dict[str, Any]  # metrics/holdout_metrics.json
    audit: AuditResult  # metrics/leakage_audit.json
    metric_rows: list[MetricRow]
    verdict: Verdict

    @classmethod
    def from_documents(
        cls, meta: RunMeta, schema: dict[str, Any], holdout: dict[str, Any], audit: AuditResult
    ) -> RunView:
        from ml_baseline.verdict import recommend

        task = get_task(meta.task)
        # Runs record their verdict; one written before they did gets it computed now.
        verdict = meta.recommendation or recommend(task, holdout, audit)
        return cls(meta, task, schema, holdout, audit, _metric_rows(task, holdout), verdict)

    @classmethod
    def from_run(cls, run: RunFolder) -> RunView:
        from ml_baseline.registry import SCHEMA_FILE

        schema = run.schema()  # validated, then shown as saved
        return cls.from_documents(
            run.meta,
            run.read_json(SCHEMA_FILE) | {"task": schema.task},
            run.holdout_metrics(),
            run.audit(),
        )

    @property
    def target_text(self) -> str:
        """The target and task in words."""
        return self.task.describe_target(
            self.schema.get("labels"), self.schema.get("positive_label")
        )

    @property
    def holdout_title(self) -> str:
        """e.g. "Holdout: 200 rows, 40 positive (is_high_value = 1); trained on 800"."""
        rows, target = self.meta.rows, self.meta.target["name"]
        title = f"Holdout: {rows['holdout']} rows"
        split = self.meta.split
        if split.get("group_column") is not None and "holdout_groups" in split:
            # The groups are the intervals' units: say so where the intervals are printed.
            groups, column = split["holdout_groups"], split["group_column"]
            title += (
                f" in 1 group of {column!r}, one sample, which gives no intervals"
                if groups == 1
                else f" in {groups} groups of {column!r}, resampled whole for the intervals"
            )
        intervals = self.holdout.get("confidence_intervals") or {}
        if isinstance(intervals.get("blocks"), int):
            # After a time split whose errors persist: blocks are the intervals' units.
            title += f" in {blocks_said(intervals)}, resampled whole for the intervals"
        confusion = self.holdout.get("confusion")
        if self.task.has_positive_label and isinstance(confusion, dict):
            positives = confusion["tp"] + confusion["fn"]
            title += f", {positives} positive ({target} = {self.schema['positive_label']!r})"
        elif self.task.classifies:
            title += f", {len(self.schema.get('labels') or [])} classes of {target}"
        else:
            title += f", predicting {target}"
        return title + f"; trained on {rows['train']}"

    @property
    def column_roles(self) -> list[str]:
        """The training table's columns by role, one line per role: "numeric (3): a, b, c"."""
        from ml_baseline.roles import roles_table

        columns = self.meta.dataset.get("columns")
        return roles_table(self.schema, columns if isinstance(columns, list) else None)

    @property
    def split_text(self) -> str:
        """How the holdout was drawn, in words, from run_meta.json's split record."""
        split, config = self.meta.split, self.meta.config
        size = f"test size {config.get('test_size')}, seed {config.get('seed')}"
        if split.get("strategy") == "time":
            train, holdout = split["train_range"], split["holdout_range"]
            return (
                f"time split on {split['time_column']} ({size}): training "
                f"{span_said(train)}, holdout {span_said(holdout)} (strictly later)"
            )
        if split.get("strategy") == "group":
            return f"group split on {split['group_column']} ({size}): {groups_said(split)}"
        kind = "random stratified split" if split.get("stratified") else "random split"
        return f"{kind}, {size}"

    @property
    def holdout_limitation(self) -> str:
        """What one holdout can and cannot tell, for the model card."""
        rows, split = self.meta.rows["holdout"], self.meta.split
        if split.get("strategy") == "group":  # the split always records its holdout's groups
            return (
                f"One holdout of {rows} rows from {split['holdout_groups']} groups unseen in "
                "training: the intervals above resample whole groups, and show how much that "
                "number can move on other groups."
            )
        intervals = self.holdout.get("confidence_intervals") or {}
        if split.get("strategy") == "time" and isinstance(intervals.get("blocks"), int):
            return (
                f"One holdout of the latest {rows} rows, whose errors persist over time: the "
                f"intervals above resample {blocks_said(intervals)} whole, and show how much "
                "that number can move over another stretch of time as long."
            )
        which = "holdout of the latest" if split.get("strategy") == "time" else "random holdout of"
        return f"One {which} {rows} rows: the intervals above show how much that number can move."

    @property
    def threshold_text(self) -> str:
        if self.meta.threshold is None:
            return f"none ({self.task.name} runs have none)"
        return f"{self.meta.threshold:.3f} ({self.meta.config.get('threshold_strategy')})"

    @property
    def key_metric(self) -> tuple[str, float | None, float | None]:
        """(display name, model, baseline) of the task's key metric, as `runs list` shows."""
        spec = self.task.key_metric
        return spec.label, self.holdout.get(spec.key), self.holdout["baseline"].get(spec.key)


def _metric_rows(task: Task, holdout: dict[str, Any]) -> list[MetricRow]:
    baseline = holdout["baseline"]
    intervals = holdout["confidence_intervals"]
    # One group resampled whole is the same sample every time: its "intervals" are points
    # (datasets' morley under --group-col Expt printed [56.797, 56.797]; probe 57).
    one_group = intervals.get("groups") == 1
    rows = []
    for spec in task.metrics:
        model_value, base_value = holdout.get(spec.key), baseline.get(spec.key)
        interval = gain = gain_interval = None
        if spec.interval:
            if not one_group:
                interval = intervals["model"].get(spec.key)
                gain_interval = intervals["model_minus_baseline"].get(spec.key)
            if model_value is not None and base_value is not None:
                gain = model_value - base_value
        rows.append(
            MetricRow(spec.key, spec.label, base_value, model_value, interval, gain, gain_interval)
        )
    return rows


def headline(meta: RunMeta) -> tuple[str, float | None, float | None]:
    """(display name, model, baseline) of a run's key metric from run_meta.json alone."""
    spec = get_task(meta.task).key_metric
    return (
        spec.label,
        meta.metrics.get("model", {}).get(spec.key),
        meta.metrics.get("baseline", {}).get(spec.key),
    )
