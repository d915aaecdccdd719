"""The audit's vocabulary: the levels of a finding, a Finding, and a Part of the split."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

LEAKAGE = "leakage"
WARNING = "warning"
STRONG = "strong"
INFO = "info"


@dataclass
class Finding:
    """One thing the audit found, with the evidence, for one column or for the whole run."""

    level: str  # LEAKAGE, WARNING, STRONG or INFO
    # single_feature, missingness, target_encoding, target_window, target_relabelled,
    # chosen_option, marks_class, flags_mark_class, follow_up_time, target_formula,
    # target_only, earlier_reading, later_reading, event_status, target_times, panel_entity;
    # for the run:
    # duplicates, look_alikes, shared_ids, too_good
    check: str
    column: str | None
    message: str
    # Which of a check's findings said once for three or more columns this is ("nearly",
    # "spared", "trend", "season": AuditResult.shown_findings groups by it); empty otherwise.
    kind: str = ""


@dataclass
class Part:
    """One side of the split: the model's input frame, the target, and the id columns (None
    when the table has none)."""

    X: pd.DataFrame
    y: np.ndarray
    ids: pd.DataFrame | None = None
    groups: np.ndarray | None = None  # each row's group number, after a group split
    times: np.ndarray | None = None  # each row's time as a number, after a time split


def natural_order(name: str) -> list[Any]:
    """Return a sort key that orders the numbers in names by value: wk2, wk3, ..., wk10 (in
    text order wk10 came before wk4, in a list of 60 weeks, probe 49)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
