"""Typed records of a run: what run_meta.json holds, and the ship / don't-ship verdict.

Each is written as plain JSON and read back through `from_dict`, which validates the values a
command relies on (a run id that is a plain name, a known task, a threshold in [0, 1]), so an
edited file is a clear error instead of a wrong prediction.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from ml_baseline.tasks import BINARY, TASKS

if TYPE_CHECKING:
    from pathlib import Path

# A run id: no separators, no leading dot, so a name can never reach outside runs/.
RUN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+-]*")
LEGACY_TASK = BINARY  # runs written before tasks were recorded were all binary


@dataclass
class Verdict:
    """Ship or not, and the rule that decided it."""

    ship: bool
    rule: str

    @property
    def text(self) -> str:
        return "ship" if self.ship else "don't ship (yet)"

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.text, "rule": self.rule}

    @classmethod
    def from_dict(cls, data: Any) -> Verdict | None:
        if not isinstance(data, dict) or not isinstance(data.get("rule"), str):
            return None
        return cls(ship=data.get("verdict") == "ship", rule=data["rule"])


@dataclass
class RunMeta:
    """run_meta.json: what was run, on what, where, and the headline results."""

    run_id: str
    task: str
    model: str
    started_at: str
    config: dict[str, Any]
    dataset: dict[str, Any]
    rows: dict[str, int]
    split: dict[str, Any]
    target: dict[str, Any]
    threshold: float | None
    format_version: int = 2
    status: str = "complete"
    finished_at: str | None = None
    duration_seconds: float | None = None
    problem: dict[str, Any] = field(default_factory=dict)
    git: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)  # headline, per model
    suspected_leakage: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the data (cells read as missing)
    recommendation: Verdict | None = None
    timings_seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["recommendation"] = self.recommendation.to_dict() if self.recommendation else None
        return data

    @classmethod
    def from_dict(cls, data: Any, path: Path) -> RunMeta:
        """Return the record of a run_meta.json, or raise `damaged` naming what is wrong."""
        from ml_baseline.registry import damaged

        if not isinstance(data, dict):
            raise damaged(path, "not a JSON object")
        if data.get("status") != "complete":
            raise damaged(path, f"status {data.get('status')!r} is not 'complete'")
        data = {**data, "task": data.get("task", LEGACY_TASK)}
        problem = _problem(data)
        if problem is not None:
            raise damaged(path, problem)
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["recommendation"] = Verdict.from_dict(data.get("recommendation"))
        values.setdefault("split", {"strategy": "random"})
        values.setdefault("model", TASKS[data["task"]].model_name("logreg"))
        for key in ("problem", "git", "versions", "metrics"):
            if not isinstance(values.get(key), dict):
                values[key] = {}
        return cls(**values)


def _problem(data: dict[str, Any]) -> str | None:
    """Return what makes a run_meta.json unusable, or None."""
    run_id = data.get("run_id")
    if not isinstance(run_id, str) or not RUN_NAME.fullmatch(run_id):
        return f"run_id {run_id!r} is not a run id"
    task = data["task"]
    if task not in TASKS:
        return f"unknown task {task!r} (known: {', '.join(TASKS)})"
    for key in ("config", "dataset", "rows", "target"):
        if not isinstance(data.get(key), dict):
            return f"{key} is missing or not an object"
    if not isinstance(data.get("started_at"), str):
        return "started_at is missing"
    split = data.get("split", {"strategy": "random"})
    if not isinstance(split, dict) or split.get("strategy") not in ("random", "time", "group"):
        return "split is not a known split strategy"
    threshold = data.get("threshold")
    if TASKS[task].has_threshold:
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            return f"threshold {threshold!r} is not a number"
        if not 0.0 <= threshold <= 1.0:
            return f"threshold {threshold!r} is not between 0 and 1"
    elif threshold is not None:
        return f"threshold {threshold!r} is set, but a {task} run has none"
    return None
