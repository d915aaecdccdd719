"""Leakage and sanity checks on a training set and its result.

Suspected leakage is evidence that one column carries the answer: on its own, out of fold, it
predicts the target (near-)perfectly, by its values or by whether it is missing. Each column is
scored by a one-feature model that cannot overfit much: its values are cut into quantile bins
(categories are their own bins, missing values a bin of their own), each bin predicts the
positive rate it had in the other folds, and the out-of-fold ROC AUC of that prediction is the
column's score. The same is done with the column's missingness alone, which the common check
(a one-feature tree on complete rows) never sees.

The audit runs on the training split only, on at most AUDIT_ROWS rows (a stratified sample),
so its cost is bounded whatever the size of the table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ml_baseline.schema import BOOLEAN, CATEGORICAL, DATETIME, NUMERIC, InputSchema
from ml_baseline.tasks import Task, get_task

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

ID_LIKE_SHARE = 0.95  # share of distinct values above which a column looks like an id
DUPLICATE_WARNING_SHARE = 0.10
AUDIT_ROWS = 50_000
FOLDS = 5
_MAX_BINS = 256
_ROWS_PER_BIN = 20
_SMOOTHING = 2.0  # pseudo-rows at the overall positive rate, for sparse bins

LEAKAGE = "leakage"
WARNING = "warning"
STRONG = "strong"
INFO = "info"


@dataclass
class Finding:
    """One thing the audit found, with the evidence, for one column or for the whole run."""

    level: str  # LEAKAGE, WARNING, STRONG or INFO
    check: str  # single_feature, missingness, id_like, duplicates, too_good
    column: str | None
    message: str


@dataclass
class Part:
    """One side of the split: the model's input frame, the target, and the id columns (None
    when the table has none)."""

    X: pd.DataFrame
    y: np.ndarray
    ids: pd.DataFrame | None = None


@dataclass
class AuditResult:
    """The audit of a run, saved as metrics/leakage_audit.json."""

    method: dict[str, Any]  # how it was computed: rows, folds, seed, score and its lines
    suspected_leakage: list[str]  # the columns named as suspected leakage
    findings: list[Finding]  # most serious first
    columns: list[dict[str, Any]]  # each column's single-column scores
    duplicates: dict[str, Any]  # copies and ids shared across the split
    holdout_score: dict[str, Any]  # the holdout metric checked for "too good"

    def has(self, check: str, level: str | None = None) -> bool:
        """Return whether a finding of this check (and level) was made."""
        return any(f.check == check and level in (None, f.level) for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> AuditResult:
        """Return the audit of a leakage_audit.json; ValueError names what is malformed."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        try:
            findings = [Finding(**finding) for finding in data["findings"]]
            result = cls(
                method=dict(data["method"]),
                suspected_leakage=[str(column) for column in data["suspected_leakage"]],
                findings=findings,
                columns=list(data.get("columns", [])),
                duplicates=dict(data.get("duplicates", {})),
                holdout_score=dict(data.get("holdout_score", {})),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed ({type(exc).__name__}: {exc})") from exc
        unknown = {f.level for f in findings} - {LEAKAGE, WARNING, STRONG, INFO}
        if unknown:
            raise ValueError(f"unknown finding level(s) {', '.join(sorted(unknown))}")
        return result


def audit(
    schema: InputSchema,
    training: Part,
    holdout: Part,
    holdout_metrics: dict[str, Any],
    seed: int,
    split: str = "random",
) -> AuditResult:
    """Return the leakage audit of a training run.
    `holdout_metrics` are the model's (the task says which one can be too good); `split` is
    the split strategy (random, time or group)."""
    task = get_task(schema.task)
    X_train, y_train = training.X, training.y
    lines = task.audit_lines
    holdout_score = holdout_metrics.get(lines.holdout_metric)
    strata = task.strata(y_train)
    sample = _stratified_sample(strata, AUDIT_ROWS, seed)
    X_sample, y_sample = X_train.iloc[sample], y_train[sample]
    folds = _fold_ids(strata[sample], seed)

    columns = []
    findings: list[Finding] = []
    for feature in schema.features:
        kind = NUMERIC if feature.kind == DATETIME else feature.kind
        for name in feature.model_columns:  # a date is audited by its calendar parts
            values = X_sample[name].to_numpy()
            scores = single_feature_scores(values, kind, y_sample, folds, task)
            columns.append({"column": name, "kind": kind, **scores})
            findings.extend(_column_findings(name, scores, len(y_sample), task))
            if feature.kind != DATETIME:
                findings.extend(_id_like(name, kind, values))

    duplicates = _duplicates(training, holdout, split == "time")
    findings.extend(duplicates.pop("findings"))
    findings.extend(_too_good(holdout_score, columns, task))

    order = {LEAKAGE: 0, WARNING: 1, STRONG: 2, INFO: 3}
    findings.sort(key=lambda f: order[f.level])
    return AuditResult(
        method={
            "rows_audited": len(y_sample),
            "training_rows": len(y_train),
            "folds": FOLDS,
            "seed": seed,
            "score": lines.score_name,
            "leakage_at": lines.leakage,
            "strong_at": lines.strong,
            "too_good_at": lines.too_good,
            "single_feature_model": "out-of-fold mean target per quantile bin "
            "(categories and missing values are bins of their own)",
        },
        suspected_leakage=sorted({f.column for f in findings if f.level == LEAKAGE and f.column}),
        findings=findings,
        columns=columns,
        duplicates=duplicates,
        holdout_score={
            "metric": task.metric(lines.holdout_metric).label,
            "value": holdout_score,
        },
    )


def single_feature_scores(
    values: np.ndarray, kind: str, y: np.ndarray, folds: np.ndarray, task: Task
) -> dict[str, float | None]:
    """Return the out-of-fold score (ROC AUC, macro ROC AUC or R2, by task) of one column on
    its own, by its values and by its missingness (None when never or always missing)."""
    import numpy as np
    import pandas as pd

    missing = pd.isna(values)
    codes = _bin_codes(values, kind, missing, len(y))
    missing_score = None
    if 0 < missing.sum() < len(missing):
        missing_score = _out_of_fold_score(missing.astype(np.int64), 2, y, folds, task)
    return {
        "value_score": _out_of_fold_score(codes, int(codes.max()) + 1, y, folds, task),
        "missingness_score": missing_score,
        "missing_share": float(missing.mean()),
    }


def _bin_codes(values: np.ndarray, kind: str, missing: np.ndarray, n: int) -> np.ndarray:
    """Return a small integer code per row: its quantile bin, category, or the missing bin."""
    import numpy as np
    import pandas as pd

    codes = np.zeros(n, dtype=np.int64)
    present = ~missing
    if kind in (CATEGORICAL, BOOLEAN):
        codes[present] = pd.factorize(values[present])[0] + 1
        return codes
    numbers = values[present].astype(np.float64)
    n_bins = int(min(_MAX_BINS, max(2, n // _ROWS_PER_BIN)))
    if len(numbers):
        edges = np.unique(np.quantile(numbers, np.linspace(0, 1, n_bins + 1)[1:-1]))
        codes[present] = np.searchsorted(edges, numbers, side="right") + 1
    return codes


def _out_of_fold_score(
    codes: np.ndarray, n_codes: int, y: np.ndarray, folds: np.ndarray, task: Task
) -> float:
    """Each code (bin) predicts the mean target it had in the other folds; return how well
    those predictions score, as the task scores a single column."""
    import numpy as np

    def out_of_fold(target: np.ndarray) -> np.ndarray:
        prior = float(target.mean())
        predicted = np.empty(len(target), dtype=np.float64)
        for fold in range(FOLDS):
            held = folds == fold
            sums = np.bincount(codes[~held], weights=target[~held], minlength=n_codes)
            counts = np.bincount(codes[~held], minlength=n_codes)
            predicted[held] = ((sums + _SMOOTHING * prior) / (counts + _SMOOTHING))[codes[held]]
        return predicted

    return task.single_column_score(y, out_of_fold)


def _column_findings(column: str, scores: dict[str, Any], rows: int, task: Task) -> list[Finding]:
    lines = task.audit_lines
    value, missing = scores["value_score"], scores["missingness_score"]
    how = f"{FOLDS}-fold out-of-fold {lines.score_name} on {rows} training rows"
    if missing is not None and missing >= lines.leakage:
        return [
            Finding(
                LEAKAGE,
                "missingness",
                column,
                f"{column}: whether it is missing alone predicts the target "
                f"({lines.score_name} {missing:.3f}, {how}); it is probably filled in because of "
                "the outcome: drop it or fix how it is produced",
            )
        ]
    if value >= lines.leakage:
        return [
            Finding(
                LEAKAGE,
                "single_feature",
                column,
                f"{column}: on its own it predicts the target almost perfectly "
                f"({lines.score_name} {value:.3f}, {how}); it probably encodes the answer: "
                "check how it is computed, and drop it if it is known only after the outcome",
            )
        ]
    if value >= lines.strong:
        return [
            Finding(
                STRONG,
                "single_feature",
                column,
                f"{column}: a strong single feature ({lines.score_name} {value:.3f} on its own, "
                f"{how}), plausible but worth a look",
            )
        ]
    return []


def _id_like(column: str, kind: str, values: np.ndarray) -> list[Finding]:
    import numpy as np
    import pandas as pd

    present = values[~pd.isna(values)]
    if len(present) < 20 or kind == BOOLEAN:
        return []
    if kind != CATEGORICAL and not np.all(np.mod(present.astype(np.float64), 1) == 0):
        return []  # measurements are often all distinct; only whole numbers and text look like ids
    distinct = len(pd.unique(present))
    share = distinct / len(present)
    if share < ID_LIKE_SHARE:
        return []
    return [
        Finding(
            WARNING,
            "id_like",
            column,
            f"{column}: looks like an id ({distinct} distinct of {len(present)} values) and is "
            f"used as a feature; pass --id-col {column} if it identifies rows",
        )
    ]


def _duplicates(training: Part, holdout: Part, split_by_time: bool) -> dict[str, Any]:
    """Count holdout rows with an exact copy (features and label) in the training split and,
    when the table has id columns, holdout rows whose id is also in the training split.

    Ids tell the two apart: an id on both sides is the same entity seen twice, so the holdout
    measures memory of it rather than prediction for new ones; equal rows under different ids
    are different entities that look alike, as many do when the features are few and coarse.
    After a time split, the same entities seen later are what the model will score: a note.
    """
    n = len(holdout.y)
    copies = _rows_in(
        holdout.X.assign(__label__=holdout.y), training.X.assign(__label__=training.y)
    )
    ids_train, ids_holdout = training.ids, holdout.ids
    result: dict[str, Any] = {"holdout_rows_in_training": copies, "share": copies / n if n else 0.0}
    findings = []
    other_ids = None  # the id columns, when copies are under other ids: entities that look alike
    if ids_train is not None and ids_holdout is not None:
        columns = list(map(str, ids_holdout.columns))
        shared = _rows_in(ids_holdout.dropna(), ids_train.dropna())
        share = shared / n if n else 0.0
        result |= {"id_columns": columns, "holdout_ids_in_training": shared, "id_share": share}
        findings += _shared_ids_findings(shared, share, columns, split_by_time)
        if share < DUPLICATE_WARNING_SHARE:
            other_ids = columns
    if copies:
        findings.append(_copies_finding(copies, result["share"], other_ids))
    return result | {"findings": findings}


def _shared_ids_findings(
    shared: int, share: float, columns: list[str], split_by_time: bool
) -> list[Finding]:
    if not shared:
        return []
    counted = f"{shared} holdout row(s) ({share:.1%}) share an id ({', '.join(columns)}) with"
    if split_by_time:
        return [
            Finding(
                INFO,
                "shared_ids",
                None,
                f"{counted} earlier training rows: the holdout measures performance on entities "
                "already seen, as when the model scores the same ones later",
            )
        ]
    return [
        Finding(
            WARNING if share >= DUPLICATE_WARNING_SHARE else INFO,
            "shared_ids",
            None,
            f"{counted} training rows: the same entities are on both sides, so the holdout "
            "overstates performance on new ones; split by entity with --split group "
            f"--group-col {columns[0]}",
        )
    ]


def _copies_finding(copies: int, share: float, other_ids: list[str] | None) -> Finding:
    message = (
        f"{copies} holdout row(s) ({share:.1%}) have an exact copy (features and label) in the "
        "training split"
    )
    if other_ids:
        return Finding(
            INFO,
            "duplicates",
            None,
            f"{message}, under other ids ({', '.join(other_ids)}): different entities with "
            "equal values, common when the features are few and coarse",
        )
    if share >= DUPLICATE_WARNING_SHARE:
        return Finding(
            WARNING,
            "duplicates",
            None,
            f"{message}: if they are repeated records of the same entities, the holdout "
            "overstates performance on new ones; deduplicate or split by entity",
        )
    return Finding(INFO, "duplicates", None, message)


def _rows_in(rows: pd.DataFrame, others: pd.DataFrame) -> int:
    """Return how many of `rows` are equal to some row of `others` (same columns)."""
    import pandas as pd

    def hashes(frame: pd.DataFrame) -> Any:
        return pd.util.hash_pandas_object(frame, index=False)

    # pandas' hash-table isin: np.isin sorts, and took 5.9 s for 1M rows against 4M.
    return int(hashes(rows).isin(hashes(others).to_numpy()).sum())


def _too_good(score: float | None, columns: list[dict[str, Any]], task: Task) -> list[Finding]:
    lines = task.audit_lines
    if score is None or score < lines.too_good or not columns:
        return []

    def strength(column: dict[str, Any]) -> float:
        missingness = column["missingness_score"]
        return max(column["value_score"], -1.0 if missingness is None else missingness)

    best = max(columns, key=strength)
    if strength(best) >= lines.leakage:
        culprit = (
            f"likely culprit: {best['column']} ({lines.score_name} {strength(best):.3f} on its own)"
        )
    else:
        culprit = (
            f"no single column explains it (the strongest, {best['column']}, scores "
            f"{strength(best):.3f} on its own): check how these features are produced"
        )
    return [
        Finding(
            WARNING,
            "too_good",
            None,
            f"holdout {task.metric(lines.holdout_metric).label} {score:.3f} is too good to be "
            f"true; {culprit}",
        )
    ]


def _stratified_sample(y: np.ndarray, size: int, seed: int) -> np.ndarray:
    """Return sorted row positions: all rows if there are at most `size`, else a stratified
    random sample of `size` rows."""
    import numpy as np

    if len(y) <= size:
        return np.arange(len(y))
    rng = np.random.default_rng(seed)
    chosen = []
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        take = max(FOLDS, round(size * len(rows) / len(y)))
        chosen.append(rng.choice(rows, size=min(take, len(rows)), replace=False))
    return np.sort(np.concatenate(chosen))


def _fold_ids(y: np.ndarray, seed: int) -> np.ndarray:
    """Return a stratified fold number (0..FOLDS-1) for each row."""
    import numpy as np

    rng = np.random.default_rng(seed)
    folds = np.empty(len(y), dtype=np.int64)
    for label in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == label))
        folds[rows] = np.arange(len(rows)) % FOLDS
    return folds
