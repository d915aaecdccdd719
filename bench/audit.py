"""The leakage-audit benchmark: the product's audit on real tables, honest and with leaks.

    uv run --group bench python bench/audit.py --quick             # 3 tables, 1 seed
    uv run --group bench python bench/audit.py                     # every table, 5 seeds
    uv run --group bench python bench/audit.py --verdict --write   # the full run
    uv run --group bench python bench/audit.py --corpus check --verdict --write

Builds a corpus of real tables shipped inside Python packages (audit_corpus.py), injects leaks
into each (audit_leaks.py), runs `ml_baseline.training.audit_table` on every variant with
several seeds, and prints what the audit named: per leak, how often the injected column was
named as suspected leakage, only with a lesser finding, or not at all; per honest table, the
false alarms. `--verdict` also trains on the honest tables and counts "don't ship" verdicts
for leakage or a too-good result. Only the audit's public outputs are read (the findings,
`suspected_leakage`, each column's scores, run_meta.json), so the harness keeps working when
the audit's rules change. Tables and runs go to bench/work/audit/ (gitignored), every
column's scores to bench/work/audit/scores.csv; `--write` writes bench/RESULTS-audit.md.
`--corpus check` runs the same on 29 other tables that the audit's lines were not chosen on
(scores to scores-check.csv, results to bench/RESULTS-audit-check.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from audit_corpus import BINARY, CHECK, CORPUS, FRESH, MULTICLASS, QUICK, REGRESSION, Table
from audit_leaks import KINDS, Labels, Variant, in_sample_score, variants
from run import code_state, log, same_code, write_section

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work" / "audit"
RESULTS = BENCH / "RESULTS-audit.md"
CORPORA = {  # --corpus: its tables, results file, scores file, and --quick's tables
    "tuning": (CORPUS, RESULTS, "scores.csv", QUICK),
    "check": (
        CHECK,
        BENCH / "RESULTS-audit-check.md",
        "scores-check.csv",
        ("cowles", "fgl", "tips"),
    ),
    "fresh": (
        FRESH,
        BENCH / "RESULTS-audit-fresh.md",
        "scores-fresh.csv",
        ("cats", "womenlf", "whiteside"),
    ),
}
SEEDS = 5
LEAKAGE = "leakage"  # the audit's level for suspected leakage, as its findings spell it
# The audit's finding levels, most serious first; a level it adds later is shown after them.
LEVELS = (LEAKAGE, "warning", "strong", "info")
MISSED, ERROR = "missed", "error"


@dataclass
class Run:
    """One audit of one variant of one table with one seed, as the audit reported it."""

    table: Table
    seed: int
    kind: str
    strength: str
    column: str | None  # the injected column the audit should name
    check: str | None  # or the check it should report (duplicates)
    seconds: float = 0.0
    audit: dict[str, Any] = field(default_factory=dict)  # AuditResult.to_dict()
    error: str | None = None
    in_sample: float | None = None  # the injected column's own strength

    @property
    def outcome(self) -> str:
        """Return the most serious level at which the audit named the leak, or missed."""
        if self.error is not None:
            return ERROR
        if self.column is not None and self.column in self.audit["suspected_leakage"]:
            return LEAKAGE
        # Copies across the split are a dataset problem, not a column: the audit's most
        # serious word for them is the warning that stops nothing but says "deduplicate".
        findings = self.audit["findings"]
        named = [f for f in findings if self.names_leak(f) and f["level"] in (LEAKAGE, "warning")]
        if self.check is not None and named:
            return LEAKAGE
        levels = [f["level"] for f in self.audit["findings"] if self.names_leak(f)]
        return min(levels, key=level_rank) if levels else MISSED

    def names_leak(self, finding: dict[str, Any]) -> bool:
        if self.column is not None:
            return finding["column"] == self.column
        return finding["column"] is None and finding["check"] == self.check

    def alarms(self) -> list[dict[str, Any]]:
        """Return the leakage-level findings (on an honest table, each is a false alarm)."""
        if self.error is not None:
            return []
        found = [f for f in self.audit["findings"] if f["level"] == LEAKAGE]
        named = {f["column"] for f in found}
        # suspected_leakage is the audit's verdict; list a column there without a finding too
        extra = [
            {"level": LEAKAGE, "check": "?", "column": column, "message": ""}
            for column in self.audit["suspected_leakage"]
            if column not in named
        ]
        return found + extra

    def scores(self, column: str | None) -> dict[str, Any]:
        """Return the audit's scores of one column (whatever keys it reports)."""
        for entry in self.audit.get("columns", []):
            if entry.get("column") == column:
                return {k: v for k, v in entry.items() if k != "column"}
        return {}


def level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


# --- running -------------------------------------------------------------------------------


def audit_variant(table: Table, seed: int, variant: Variant) -> Run:
    """Write the variant to CSV and run the product's audit on it; a table the product
    refuses is recorded as an error, not raised."""
    from ml_baseline.training import audit_table

    path = WORK / "tables" / table.name / f"{variant.name}.csv"
    write_csv(variant.frame, path)
    run = Run(table, seed, variant.kind, variant.strength, variant.column, variant.check)
    if variant.column is not None:
        labels = Labels.of(variant.frame, table)
        run.in_sample = in_sample_score(variant.frame[variant.column], labels)
    start = time.perf_counter()
    try:
        run.audit = audit_table(table.config(path, seed)).to_dict()
    except Exception as exc:  # the product's refusal or its bug: either is a result here
        run.error = f"{type(exc).__name__}: {exc}"
    run.seconds = time.perf_counter() - start
    return run


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as the product reads it: missing values (NaN or None) as empty fields.
    pyarrow: ten times faster than pandas on the 59k-row table."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), path)


def audit_corpus(tables: list[Table], seeds: int, kinds: tuple[str, ...]) -> list[Run]:
    """Return the audit of every variant of every table with every seed."""
    # One untimed audit first: the first one imports scikit-learn and the product's modules.
    audit_variant(tables[0], 0, next(variants(tables[0], 0, ())))
    runs = []
    for number, table in enumerate(tables, 1):
        for seed in range(seeds):
            clock = time.perf_counter()
            done = [audit_variant(table, seed, v) for v in variants(table, seed, kinds)]
            runs += done
            honest = done[0]
            alarms = ", ".join(sorted({str(a["column"]) for a in honest.alarms()})) or "none"
            outcomes = Counter(run.outcome for run in done[1:])
            log(
                f"[{number}/{len(tables)}] {table.name} seed {seed}: {len(done)} variants in "
                f"{time.perf_counter() - clock:.1f} s; honest table's leakage findings: "
                f"{alarms}; leaks: {dict(outcomes)}"
            )
    return runs


@dataclass
class VerdictRun:
    table: Table
    seed: int
    verdict: str = ""  # as run_meta.json records it
    rule: str = ""
    reason: str = ""  # ship, leakage, too good, other, error
    seconds: float = 0.0


def verdicts(tables: list[Table], seeds: int) -> list[VerdictRun]:
    """Train on each honest table with each seed and read back the recommendation."""
    from ml_baseline.training import train

    runs = []
    for table in tables:
        # A models folder per table: both corpora can run at once (one folder for all, cleared
        # at the start, lost a run of the other corpus while it was being written).
        models = WORK / "models" / table.name
        shutil.rmtree(models, ignore_errors=True)
        path = WORK / "tables" / table.name / "honest.csv"
        write_csv(table.honest(), path)
        for seed in range(seeds):
            run = VerdictRun(table, seed)
            config = table.config(path, seed, models_dir=models)
            start = time.perf_counter()
            try:
                folder = train(config).run_dir
                run.verdict, run.rule, run.reason = read_verdict(folder)
            except Exception as exc:
                run.reason, run.rule = ERROR, f"{type(exc).__name__}: {exc}"
            run.seconds = time.perf_counter() - start
            runs.append(run)
            log(f"verdict {table.name} seed {seed}: {run.verdict or run.reason} ({run.rule})")
    return runs


def read_verdict(folder: Path) -> tuple[str, str, str]:
    """Return the verdict, its rule and why, as the run folder records them."""
    meta = json.loads((folder / "run_meta.json").read_text(encoding="utf-8"))
    audit = json.loads((folder / "metrics" / "leakage_audit.json").read_text(encoding="utf-8"))
    recommendation = meta["recommendation"]
    verdict, rule = recommendation["verdict"], recommendation["rule"]
    if verdict == "ship":
        reason = "ship"
    elif meta.get("suspected_leakage"):
        reason = "leakage"
    elif any(f["check"] == "too_good" and f["level"] == "warning" for f in audit["findings"]):
        reason = "too good"  # the warning that blocks; a note on a small holdout does not
    else:
        reason = "other"
    return verdict, rule, reason


# --- reporting -----------------------------------------------------------------------------


def markdown_table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def share(count: int, total: int) -> str:
    return f"{count} ({count / total:.0%})" if total else "0"


def corpus_section(tables: list[Table], runs: list[Run], seeds: int) -> str:
    by_table = defaultdict(list)
    for run in runs:
        by_table[run.table.name].append(run)
    rows = []
    for table in tables:
        done = by_table[table.name]
        honest = table.honest()
        seconds = [run.seconds for run in done]
        flagged = sum(1 for run in done if run.kind == "honest" and run.alarms())
        rows.append(
            [
                table.name,
                table.source.label,
                f"{len(honest):,}",
                honest.shape[1] - 1,
                table.task,
                table.target,
                ", ".join([*table.drop, *table.real_leaks]) or "",
                f"{flagged}/{seeds}",
                f"{statistics.median(seconds):.2f} / {max(seconds):.2f}" if seconds else "",
                table.note,
            ]
        )
    header = [
        "table",
        "source",
        "rows",
        "features",
        "task",
        "target",
        "left out",
        "honest runs with a false alarm",
        "audit s (median / max)",
        "note",
    ]
    return markdown_table(header, rows)


def leak_groups(runs: list[Any]) -> dict[tuple[str, str, str], list[Any]]:
    """Return the leak runs (anything with `kind`, `strength` and `table`, the honest ones left
    out) by (kind, strength, task), in the order of the results tables: by kind, then task,
    then strength in the order the leaks make them (weakest noise first)."""
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for run in runs:
        if run.kind != "honest":
            groups[(run.kind, run.strength, run.table.task)].append(run)
    first_seen = {key: i for i, key in enumerate(groups)}
    kind_order = {kind: i for i, kind in enumerate(KINDS)}
    task_order = {BINARY: 0, MULTICLASS: 1, REGRESSION: 2}

    def order(key: tuple[str, str, str]) -> tuple[int, int, int]:
        kind, _, task = key
        return (kind_order[kind], task_order.get(task, 3), first_seen[key])

    return {key: groups[key] for key in sorted(groups, key=order)}


# Bands of a table's rows (the honest table's) for the leaks named by size: the one-side and
# target-only checks need rows, so a corpus of small tables names fewer.
SIZE_BANDS = (
    (100, "under 100"),
    (300, "100 to 299"),
    (1_000, "300 to 999"),
    (None, "1,000 or more"),
)


def size_band(rows: int) -> str:
    """Return the label of the size band a table of `rows` rows falls in."""
    return next(label for below, label in SIZE_BANDS if below is None or rows < below)


def size_section(runs: list[Run]) -> str:
    """Return the leak variants named at leakage level, by the size of their table."""
    tables = {run.table.name: run.table for run in runs}
    bands = {name: size_band(len(table.honest())) for name, table in tables.items()}
    by_band: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        if run.kind != "honest":
            by_band[bands[run.table.name]].append(run)
    by_band["all"] = [run for group in by_band.values() for run in group]
    rows = []
    for label in [*(label for _, label in SIZE_BANDS), "all"]:
        if group := by_band.get(label):
            named = sum(run.outcome == LEAKAGE for run in group)
            tables = len({run.table.name for run in group})
            rows.append([label, tables, f"{len(group):,}", f"{named:,} ({named / len(group):.1%})"])
    header = ["table rows", "tables", "leak variants", "named at leakage level"]
    return markdown_table(header, rows)


def leaks_section(runs: list[Run]) -> str:
    groups = leak_groups(runs)
    seen = {run.outcome for group in groups.values() for run in group}
    levels = sorted(
        (seen | {LEAKAGE, "warning"}) - {MISSED, ERROR}, key=lambda lv: (level_rank(lv), lv)
    )
    rows = []
    for (kind, strength, task), group in groups.items():
        counts = Counter(run.outcome for run in group)
        strengths = [run.in_sample for run in group if run.in_sample is not None]
        rows.append(
            [
                kind,
                strength,
                task,
                len(group),
                share(counts[LEAKAGE], len(group)),
                *(counts[level] for level in levels[1:]),
                share(counts[MISSED], len(group)),
                counts[ERROR],
                f"{statistics.median(strengths):.3f}" if strengths else "",
            ]
        )
    header = [
        "leak",
        "strength",
        "task",
        "variants",
        f"named at {LEAKAGE} level",
        *(f"only {level}" for level in levels[1:]),
        MISSED,
        "errors",
        "leak's own score (median)",
    ]
    return markdown_table(header, rows)


def false_alarms_section(runs: list[Run], seeds: int) -> str:
    honest = [run for run in runs if run.kind == "honest"]
    alarms: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for run in honest:
        for finding in run.alarms():
            scores = ", ".join(
                f"{key} {value:.3f}"
                for key, value in run.scores(finding["column"]).items()
                if isinstance(value, float)
            )
            key = (run.table.name, str(finding["column"]), finding["check"])
            alarms[key].append(f"seed {run.seed}: {scores or finding['message']}")
    flagged_tables = {name for name, _, _ in alarms}
    flagged_runs = sum(1 for run in honest if run.alarms())
    lines = [
        f"{len(flagged_tables)} of {len({run.table.name for run in honest})} honest tables have "
        f"a {LEAKAGE}-level finding in at least one of {seeds} seeds; {flagged_runs} of "
        f"{len(honest)} honest runs do.",
    ]
    if alarms:
        rows = [
            [table, column, check, len(found), "; ".join(found)]
            for (table, column, check), found in sorted(alarms.items())
        ]
        lines += ["", markdown_table(["table", "column", "check", "seeds", "scores"], rows)]
    return "\n".join(
        [*lines, "", honest_columns_in_leak_variants(runs), "", lesser_findings(honest)]
    )


def honest_columns_named(runs: list[Run]) -> tuple[int, Counter[tuple[str, str, str]]]:
    """Return the leak variants in which the audit also named an honest column (one of the
    table's own), and how often each (table, column, check) was named."""
    named: Counter[tuple[str, str, str]] = Counter()
    flagged = 0
    for run in (run for run in runs if run.kind != "honest"):
        honest = [f for f in run.alarms() if f["column"] is not None and f["column"] != run.column]
        flagged += bool(honest)
        for finding in honest:
            named[(run.table.name, str(finding["column"]), finding["check"])] += 1
    return flagged, named


def honest_columns_in_leak_variants(runs: list[Run]) -> str:
    """Return a line counting the leak variants in which the audit also named an honest
    column: false alarms too, though on a table with a leak."""
    flagged, named = honest_columns_named(runs)
    leaky = sum(run.kind != "honest" for run in runs)
    listed = "; ".join(f"{t} `{c}` ({k}) {n}" for (t, c, k), n in sorted(named.items()))
    return (
        f"Honest columns named at {LEAKAGE} level in the leak variants: in {flagged} of "
        f"{leaky:,} runs" + (f" ({listed})." if listed else ".")
    )


# The targets for the audit, which each corpus's summary in bench/RESULTS.md is read
# against: the share of leak variants named, and none of the rest missed or false.
TARGET_NAMED = 0.95


def summary(
    corpus: str, runs: list[Run], verdict_runs: list[VerdictRun] | None, header: dict
) -> str:
    """Return a corpus's headline figures against the targets, for bench/RESULTS.md."""
    leaks = [run for run in runs if run.kind != "honest"]
    honest = [run for run in runs if run.kind == "honest"]
    rows = {run.table.name: len(run.table.honest()) for run in runs}
    large = [run for run in leaks if rows[run.table.name] >= 300]
    real = [run for run in leaks if run.kind == "real"]
    named, named_large, real_named = (
        sum(run.outcome == LEAKAGE for run in group) for group in (leaks, large, real)
    )
    alarmed = sum(bool(run.alarms()) for run in honest)
    in_leaky, _ = honest_columns_named(runs)
    verdict = (
        f"{sum(r.reason in ('leakage', 'too good') for r in verdict_runs)} of {len(verdict_runs)}"
        if verdict_runs is not None
        else "not run"
    )
    missed = [
        f"leak variants named {named / len(leaks):.1%}"
        if named < TARGET_NAMED * len(leaks)
        else "",
        f"{alarmed} honest runs with a false alarm" if alarmed else "",
        f"real leaks {real_named} of {len(real)} runs" if real_named < len(real) else "",
    ]
    met = "; ".join(m for m in missed if m)
    row = [
        len({run.table.name for run in runs}),
        f"{named:,} of {len(leaks):,} ({named / len(leaks):.1%})",
        f"{named_large:,} of {len(large):,} ({named_large / max(len(large), 1):.1%})",
        f"{alarmed} of {len(honest)}",
        f"{in_leaky} of {len(leaks):,}",
        verdict,
        f"{real_named} of {len(real)}",
        "yes" if not met else f"no: {met}",
    ]
    columns = [
        "tables",
        "leak variants named",
        "on tables of 300 rows or more",
        "honest runs with a false alarm",
        "leak variants with an honest column named",
        'honest trainings "don\'t ship" for leakage or too good',
        "real leaks named (runs)",
        f"targets met ({TARGET_NAMED:.0%} named, no false alarm, every real leak)?",
    ]
    results = CORPORA[corpus][1].name
    return "\n".join(
        [
            f"## Leakage audit: {corpus} corpus",
            "",
            f"From [{results}]({results}): `{header['command']}`, {header['started']}, "
            f"{header['code']}. See bench/README.md.",
            "",
            markdown_table(columns, [row]),
        ]
    )


def lesser_findings(honest: list[Run]) -> str:
    """Return a line counting the honest runs' findings below leakage level, by level and
    check, with the tables they were made on: not false alarms, but what a user reads."""
    tables: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: Counter[tuple[str, str]] = Counter()
    for run in honest:
        for finding in run.audit.get("findings", []) if run.error is None else []:
            if finding["level"] != LEAKAGE:
                key = (finding["level"], finding["check"])
                counts[key] += 1
                tables[key].add(run.table.name)
    if not counts:
        return "The honest runs have no finding below leakage level either."
    shown = []
    for key in sorted(counts, key=lambda k: (level_rank(k[0]), k)):
        names = sorted(tables[key])
        listed = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        shown.append(f"{key[0]} `{key[1]}` {counts[key]} ({listed})")
    return "Findings below leakage level on the honest runs (findings, tables): " + "; ".join(shown)


def errors_section(runs: list[Run]) -> str:
    failed = [run for run in runs if run.error is not None]
    if not failed:
        return "None: the audit ran on every variant."
    counted = Counter((run.table.name, run.kind, run.strength, run.error) for run in failed)
    return "\n".join(
        f"- {table} {kind} {strength} ({count} seeds): {error}"
        for (table, kind, strength, error), count in sorted(counted.items())
    )


def verdict_section(runs: list[VerdictRun]) -> str:
    by_table: dict[str, list[VerdictRun]] = defaultdict(list)
    for run in runs:
        by_table[run.table.name].append(run)
    reasons = ("ship", "leakage", "too good", "other", ERROR)
    rows = []
    for name, group in by_table.items():
        counts = Counter(run.reason for run in group)
        rows.append(
            [name, group[0].table.task, len(group), *(counts[reason] for reason in reasons)]
        )
    false_alarms = [run for run in runs if run.reason in ("leakage", "too good")]
    header = ["table", "task", "runs", "ship", "don't ship: leakage", "don't ship: too good"]
    header += ["don't ship: other rule", "errors"]
    lines = [
        f'{len(false_alarms)} of {len(runs)} trainings on honest tables end in "don\'t ship" '
        "because of leakage or a too-good result (false alarms of the verdict); "
        f"{sum(r.reason == 'other' for r in runs)} for another rule (no evidence of a gain, "
        "or too few holdout rows, or rows of a class, for the intervals to hold).",
        "",
        markdown_table(header, rows),
    ]
    if false_alarms:
        lines += ["", "The false alarms:", ""]
        lines += [f"- {r.table.name} seed {r.seed}: {r.rule}" for r in false_alarms]
    errors = [run for run in runs if run.reason == ERROR]
    lines += [f"- {r.table.name} seed {r.seed}: error: {r.rule}" for r in errors]
    seconds = [run.seconds for run in runs]
    lines += [
        "",
        f"Training time per run: median {statistics.median(seconds):.1f} s, "
        f"max {max(seconds):.1f} s.",
    ]
    return "\n".join(lines)


def audit_method(runs: list[Run]) -> str:
    """Return how the audit describes its own method (its scalar settings), from a run."""
    for run in runs:
        method = run.audit.get("method") if run.error is None else None
        if method:
            shown = [f"{k} {v}" for k, v in method.items() if isinstance(v, int | float | str)]
            return "; ".join(shown)
    return "unknown"


def report(
    runs: list[Run],
    verdict_runs: list[VerdictRun] | None,
    tables: list[Table],
    seeds: int,
    header: dict[str, str],
) -> str:
    sections = [
        "# Leakage-audit benchmark",
        "",
        f"Generated by `{header['command']}` on {header['started']}; the whole run took "
        f"{header['minutes']} min.",
        "",
        f"- Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()}; load average (1 min) at start / end "
        f"{header['load']}.",
        f"- Code: {header['code']}.",
        f"- The audit's method, as it reports it: {audit_method(runs)}.",
        "",
        "Each variant is audited with `ml_baseline.training.audit_table` (the audit of "
        "`train`, without fitting a model), once per seed; the seed changes the split, the "
        "audit's folds and the leak's random draw. A leak is *named at leakage level* when its "
        "column is in `suspected_leakage` (for duplicated rows: a `duplicates` warning, the "
        "audit's word for copies, which are not a column), "
        "*only warning/strong/info* when the most serious finding naming it is of that "
        "level, *missed* otherwise. *Leak's own score* is the injected column's in-sample "
        "score on its own (20 quantile bins, each predicting its mean target; ROC AUC, macro "
        "ROC AUC or R2), independent of the audit's rules: a leak that scores low there "
        "carries little of the target. Audit time includes reading the CSV. See "
        "bench/README.md.",
        "",
        "## Injected and real leaks",
        "",
        leaks_section(runs),
        "",
        "### By the size of the table",
        "",
        size_section(runs),
        "",
        "## False alarms on the honest tables",
        "",
        false_alarms_section(runs, seeds),
        "",
    ]
    if verdict_runs is not None:
        sections += [
            "## Verdict of a full training on the honest tables",
            "",
            "`ml_baseline.training.train` with the default model (logistic regression, Ridge "
            "for regression), one run per seed; the verdict and its rule as run_meta.json "
            "records them.",
            "",
            verdict_section(verdict_runs),
            "",
        ]
    sections += [
        "## Corpus",
        "",
        corpus_section(tables, runs, seeds),
        "",
        "## Errors",
        "",
        errors_section(runs),
        "",
    ]
    return "\n".join(sections)


def scores_frame(runs: list[Run]) -> pd.DataFrame:
    """Return every column score of every run, one row per column, for tuning rules offline."""
    rows = []
    for run in runs:
        if run.error is not None:
            continue
        levels: dict[str | None, str] = {}
        for finding in run.audit["findings"]:
            column = finding["column"]
            if column not in levels or level_rank(finding["level"]) < level_rank(levels[column]):
                levels[column] = finding["level"]
        for entry in run.audit.get("columns", []):
            column = entry.get("column")
            rows.append(
                {
                    "table": run.table.name,
                    "task": run.table.task,
                    "seed": run.seed,
                    "variant": "-".join(p for p in (run.kind, run.strength) if p),
                    "column": column,
                    "injected": column == run.column,
                    "finding_level": levels.get(column, ""),
                    "in_leakage": column in run.audit["suspected_leakage"],
                    **{k: v for k, v in entry.items() if k != "column"},
                    "leak_own_score": run.in_sample if column == run.column else None,
                }
            )
    return pd.DataFrame(rows)


# --- command line --------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, help=f"seeds 0..N-1 (default {SEEDS})")
    parser.add_argument("--tables", help="comma-separated table names (default: all)")
    parser.add_argument("--kinds", help=f"comma-separated leak kinds of {', '.join(KINDS)}")
    parser.add_argument("--quick", action="store_true", help="3 small tables, 1 seed")
    parser.add_argument("--verdict", action="store_true", help="also train on honest tables")
    parser.add_argument(
        "--corpus",
        choices=list(CORPORA),
        default="tuning",
        help="tuning: the tables the lines were chosen on; check: 29 tables that then moved "
        "some lines; fresh: 33 tables no line was chosen on",
    )
    parser.add_argument("--write", action="store_true", help="write the results file")
    args = parser.parse_args()
    corpus, args.results, args.scores, quick = CORPORA[args.corpus]
    names = {table.name for table in corpus}
    wanted = args.tables.split(",") if args.tables else list(quick) if args.quick else None
    if wanted and (unknown := set(wanted) - names):
        parser.error(f"unknown table(s) {', '.join(sorted(unknown))}; known: {sorted(names)}")
    args.tables = [t for t in corpus if wanted is None or t.name in wanted]
    args.kinds = tuple(args.kinds.split(",")) if args.kinds else KINDS
    if unknown := set(args.kinds) - set(KINDS):
        parser.error(f"unknown kind(s) {', '.join(sorted(unknown))}; known: {', '.join(KINDS)}")
    args.seeds = args.seeds or (1 if args.quick else SEEDS)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    return args


def main() -> int:
    args = parse_args()
    started = datetime.now(UTC)
    clock = time.perf_counter()
    load_start, code_start = f"{os.getloadavg()[0]:.2f}", code_state()
    WORK.mkdir(parents=True, exist_ok=True)

    runs = audit_corpus(args.tables, args.seeds, args.kinds)
    verdict_runs = verdicts(args.tables, args.seeds) if args.verdict else None

    code_end = code_state()
    if not same_code(code_start, code_end):
        log(f"warning: src/ changed during the run ({code_start} -> {code_end})")
    header = {
        "command": " ".join(["uv run --group bench python bench/audit.py", *sys.argv[1:]]),
        "started": f"{started:%Y-%m-%d %H:%M} UTC",
        "minutes": f"{(time.perf_counter() - clock) / 60:.1f}",
        "load": f"{load_start} / {os.getloadavg()[0]:.2f}",
        "code": code_start
        if same_code(code_start, code_end)
        else f"**src/ changed during the run** ({code_start} -> {code_end})",
    }
    text = report(runs, verdict_runs, args.tables, args.seeds, header)
    print(text)
    scores = WORK / args.scores
    scores_frame(runs).to_csv(scores, index=False)
    log(f"wrote {scores.relative_to(ROOT)}")
    if args.write:
        args.results.write_text(text, encoding="utf-8")
        log(f"wrote {args.results.relative_to(ROOT)}")
        write_section(f"audit-{args.corpus}", summary(args.corpus, runs, verdict_runs, header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
