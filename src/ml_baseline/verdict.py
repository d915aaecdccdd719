"""The recommendation: ship the model as a baseline to beat, or not yet, and the rule why.

Computed once at training, recorded in run_meta.json, and shown as recorded by every view of
the run (the terminal, `runs show`, the evaluation summary).
"""

from __future__ import annotations

from typing import Any

from ml_baseline.audit import WARNING, AuditResult
from ml_baseline.records import Verdict
from ml_baseline.tasks import Task


def recommend(task: Task, holdout: dict[str, Any], audit: AuditResult) -> Verdict:
    """Return the verdict for a run from its holdout metrics document and leakage audit."""
    if audit.suspected_leakage:
        columns = ", ".join(audit.suspected_leakage)
        return Verdict(False, f"leakage is suspected in {columns}: fix the data and retrain")
    if audit.has("too_good", WARNING):
        return Verdict(False, "the holdout result is too good to be true: find out why first")
    if audit.has("shared_ids", WARNING):
        shared = audit.duplicates["id_share"]
        column = audit.duplicates["id_columns"][0]
        return Verdict(
            False,
            f"{shared:.0%} of the holdout rows share an id with training rows, so its metrics "
            f"overstate performance on new entities: retrain with --split group --group-col "
            f"{column} (or --split time)",
        )
    gains = []
    for spec in task.deciding_metrics:
        low, high = holdout["confidence_intervals"]["model_minus_baseline"][spec.key]
        # The gain is model - baseline, or baseline - model for an error such as MAE.
        gain = low if spec.higher_is_better else (None if high is None else -high)
        gains.append((spec.label, gain))
    names = " or ".join(name for name, _ in gains)
    if any(gain is None or gain <= 0 for _, gain in gains):
        return Verdict(
            False,
            f"the 95% interval of the model's gain over the baseline ({names}) reaches 0: "
            "there is no evidence it beats the baseline",
        )
    shown = ", ".join(f"{name} gain at least {gain:+.3f}" for name, gain in gains)
    return Verdict(
        True,
        "no leakage is suspected and the 95% intervals of the model's gain over the baseline "
        f"are above 0 ({shown}), as a baseline to beat",
    )
