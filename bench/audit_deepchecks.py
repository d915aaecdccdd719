"""deepchecks' leakage check on the leakage-audit benchmark's tables, side by side.

    uv run --group bench python bench/audit_deepchecks.py --setup     # make its venv, once
    uv run --group bench python bench/audit_deepchecks.py --tables iris --seeds 1
    uv run --group bench python bench/audit_deepchecks.py --write     # the full run
    uv run --group bench python bench/audit_deepchecks.py --corpus check --write

Runs deepchecks' `FeatureLabelCorrelation` (the Predictive Power Score of each feature for the
label; its default condition fails a feature at PPS >= 0.8) on the same variants as
bench/audit.py: the corpus's honest tables and the leaks of audit_leaks.py injected into them,
seeds 0..N-1. deepchecks 0.19.1 does not import with the project's numpy, pandas and
scikit-learn, so it runs in a venv of its own (bench/work/deepchecks-venv, made by `--setup`
from bench/deepchecks-requirements.txt): each variant is written to CSV, and this same file,
run by the venv's Python with `--worker`, scores every variant of one table (all seeds) in one
process. A leak is *named* when its injected column has PPS >= 0.8; duplicated rows are not a
column, so not applicable; on an honest table every column at PPS >= 0.8 is a false alarm.
The product's figures on the same variants are read from its results file (bench/
RESULTS-audit.md or RESULTS-audit-check.md), not run here. `--write` writes bench/
RESULTS-audit-deepchecks.md (RESULTS-audit-deepchecks-check.md for `--corpus check`).
"""

# The worker runs this file with the venv's Python, so everything imported at the top must
# import there too: the standard library, pandas, numpy and the bench modules (which import
# nothing else at the top). deepchecks itself is imported only by the worker, pyarrow only by
# audit.write_csv in the project's environment.

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit import CORPORA, SEEDS, leak_groups, markdown_table, share, write_csv
from audit_corpus import Table
from audit_leaks import variants
from run import log

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV = BENCH / "work" / "deepchecks-venv"
REQUIREMENTS = BENCH / "deepchecks-requirements.txt"
RESULTS = {
    "tuning": BENCH / "RESULTS-audit-deepchecks.md",
    "check": BENCH / "RESULTS-audit-deepchecks-check.md",
    "fresh": BENCH / "RESULTS-audit-deepchecks-fresh.md",
}
# The pins hold numpy 1.26, which has no wheel past Python 3.12: prefer an interpreter it has.
SETUP_PYTHONS = ("python3.11", "python3.12", "python3")
PPS_AT = 0.8  # deepchecks' default: add_condition_feature_pps_less_than(0.8)
WORKER = "--worker"
NOT_APPLICABLE = "not applicable"
# Leaks carried by missing values, which PPS drops before scoring a feature.
MISSINGNESS = ("one_class", "half_missing")
# Versions the worker reports, as the distributions are named.
PACKAGES = ("deepchecks", "numpy", "pandas", "scikit-learn", "scipy", "category_encoders")
# The product's leak table: (leak, strength, task) -> (variants, "named at leakage level").
Product = dict[tuple[str, str, str], tuple[int, str]]


@dataclass
class Run:
    """deepchecks' check on one variant of one table with one seed."""

    table: Table
    seed: int
    kind: str
    strength: str
    column: str | None  # the injected column deepchecks should flag
    check: str | None  # set for duplicated rows: no column to flag, so not applicable
    pps: dict[str, float] = field(default_factory=dict)  # every feature's PPS
    condition_passed: bool | None = None  # deepchecks' own verdict of the PPS < 0.8 condition
    seconds: float = 0.0
    error: str | None = None

    @property
    def applicable(self) -> bool:
        return self.check is None

    @property
    def injected_pps(self) -> float | None:
        return self.pps.get(self.column) if self.column is not None else None

    @property
    def named(self) -> bool:
        return self.injected_pps is not None and self.injected_pps >= PPS_AT

    def alarms(self) -> dict[str, float]:
        """Return the table's own columns at PPS >= 0.8 (on an honest table, false alarms)."""
        return {c: v for c, v in self.pps.items() if v >= PPS_AT and c != self.column}


# --- the worker, run by the venv's Python --------------------------------------------------


def worker(jobs_path: Path) -> int:
    """Score every job of a jobs file; write the results and the versions beside it."""
    import warnings
    from importlib.metadata import version

    # deepchecks warns on import (pkg_resources) and on every Dataset; the results say enough.
    warnings.filterwarnings("ignore")
    jobs = json.loads(jobs_path.read_text(encoding="utf-8"))
    out = {
        "python": platform.python_version(),
        "versions": {name: version(name) for name in PACKAGES},
        "results": [score_variant(job) for job in jobs],
    }
    jobs_path.with_suffix(".out.json").write_text(json.dumps(out), encoding="utf-8")
    return 0


def score_variant(job: dict[str, Any]) -> dict[str, Any]:
    """Run FeatureLabelCorrelation on one CSV as a deepchecks user would: the label and its
    task declared, the text columns declared categorical; an error is a result, not raised."""
    import pandas as pd
    from deepchecks.tabular import Dataset
    from deepchecks.tabular.checks import FeatureLabelCorrelation

    start = time.perf_counter()
    try:
        frame = pd.read_csv(job["path"], low_memory=False)
        label = job["target"]
        categorical = [
            name
            for name in frame.columns
            if name != label
            and (
                not pd.api.types.is_numeric_dtype(frame[name])
                or pd.api.types.is_bool_dtype(frame[name])
            )
        ]
        dataset = Dataset(frame, label=label, cat_features=categorical, label_type=job["task"])
        # random_state: PPS shuffles and samples rows; the seed makes each run repeatable.
        check = FeatureLabelCorrelation(random_state=job["seed"])
        result = check.add_condition_feature_pps_less_than(PPS_AT).run(dataset, with_display=False)
        return {
            "pps": {str(name): float(value) for name, value in result.value.items()},
            "condition_passed": bool(result.conditions_results[0].is_pass()),
            "seconds": time.perf_counter() - start,
        }
    except Exception as exc:  # deepchecks' refusal or its bug: either is a result here
        return {"error": f"{type(exc).__name__}: {exc}", "seconds": time.perf_counter() - start}


# --- the venv --------------------------------------------------------------------------------


def venv_python() -> Path:
    return VENV / "bin" / "python"


def setup() -> None:
    """Create the venv afresh and install the pinned requirements into it."""
    python = next((found for name in SETUP_PYTHONS if (found := shutil.which(name))), None)
    if python is None:
        raise SystemExit(f"no Python to make the venv with (looked for {SETUP_PYTHONS})")
    log(f"creating {VENV.relative_to(ROOT)} with {python}")
    subprocess.run([python, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    log("deepchecks installed; run without --setup to benchmark it")


# --- running -------------------------------------------------------------------------------


def check_table(table: Table, seeds: int, folder: Path) -> tuple[list[Run], dict[str, Any]]:
    """Return deepchecks' runs on every variant of one table with every seed, and what the
    worker reports about its environment. The CSVs go to `folder`."""
    runs, jobs = [], []
    for seed in range(seeds):
        for variant in variants(table, seed):
            run = Run(table, seed, variant.kind, variant.strength, variant.column, variant.check)
            runs.append(run)
            if not run.applicable:  # duplicated rows: nothing for a per-column score to flag
                continue
            path = folder / f"seed{seed}" / f"{variant.name}.csv"
            write_csv(variant.frame, path)
            job = {"path": str(path), "target": table.target, "task": table.task, "seed": seed}
            jobs.append({"run": len(runs) - 1, **job})
    out = call_worker(jobs, folder / "jobs.json")
    for job, result in zip(jobs, out["results"], strict=True):
        run = runs[job["run"]]
        run.pps = result.get("pps", {})
        run.condition_passed = result.get("condition_passed")
        run.seconds = result["seconds"]
        run.error = result.get("error")
    return runs, out


def call_worker(jobs: list[dict[str, Any]], path: Path) -> dict[str, Any]:
    """Run the worker on `jobs` in the venv and return what it wrote."""
    path.write_text(json.dumps(jobs), encoding="utf-8")
    done = subprocess.run(
        [str(venv_python()), str(Path(__file__).resolve()), WORKER, str(path)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the deepchecks worker failed ({done.returncode}):\n{done.stderr}")
    return json.loads(path.with_suffix(".out.json").read_text(encoding="utf-8"))


def check_corpus(tables: list[Table], seeds: int) -> tuple[list[Run], dict[str, Any]]:
    """Return deepchecks' runs on every table, and the worker's environment."""
    runs: list[Run] = []
    environment: dict[str, Any] = {}
    for number, table in enumerate(tables, 1):
        clock = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=f"deepchecks-{table.name}-") as folder:
            done, environment = check_table(table, seeds, Path(folder))
        runs += done
        honest = [run for run in done if run.kind == "honest"]
        alarms = sorted({column for run in honest for column in run.alarms()}) or ["none"]
        leaks = [run for run in done if run.column is not None]
        log(
            f"[{number}/{len(tables)}] {table.name}: {len(done)} variants ({seeds} seeds) in "
            f"{time.perf_counter() - clock:.1f} s; honest columns at PPS >= {PPS_AT}: "
            f"{', '.join(alarms)}; leaks named {sum(run.named for run in leaks)}/{len(leaks)}"
        )
    return runs, environment


# --- the product's figures, read from its results file ----------------------------------------


def product_leaks(results: Path) -> Product:
    """Return the product's leak table from its results file: (leak, strength, task) ->
    (variants, "named at leakage level" cell). Empty if the file or the table is missing."""
    if not results.exists():
        return {}
    rows: Product = {}
    header: list[str] = []
    in_section = False
    for line in results.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):  # its subsections (by size of table) are other tables
            in_section = line == "## Injected and real leaks"
        if not in_section or not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if not header:
            header = cells
            continue
        row = dict(zip(header, cells, strict=False))
        key = (row.get("leak", ""), row.get("strength", ""), row.get("task", ""))
        rows[key] = (int(row.get("variants", "0") or 0), row.get("named at leakage level", ""))
    return rows


def product_line(results: Path, *parts: str) -> str:
    """Return the first line of the product's results file that holds all of `parts`."""
    if results.exists():
        for line in results.read_text(encoding="utf-8").splitlines():
            if all(part in line for part in parts):
                return line
    return ""


def named_count(cell: str) -> int:
    """Return the count of a "70 (100%)" cell."""
    return int(cell.split()[0]) if cell and cell.split()[0].isdigit() else 0


# --- reporting -----------------------------------------------------------------------------


def leaks_section(runs: list[Run], product: Product) -> str:
    """Return the table of leaks named by deepchecks, beside the product's figure, and the
    totals over the column leaks."""
    groups = leak_groups(runs)
    rows = [
        leak_row(key, group, product_cell(product, key, group)) for key, group in groups.items()
    ]
    header = [
        "leak",
        "strength",
        "task",
        "variants",
        f"named by deepchecks (PPS >= {PPS_AT})",
        "injected column's PPS (median)",
        "product: named at leakage level",
        "deepchecks errors",
    ]
    lines = [markdown_table(header, rows), ""]
    lines += totals(groups, product, "Column leaks named", lambda kind: True)
    lines += totals(
        groups,
        product,
        f"Without the leaks carried by missing values ({', '.join(MISSINGNESS)})",
        lambda kind: kind not in MISSINGNESS,
    )
    duplicated = sum(len(group) for group in groups.values() if not group[0].applicable)
    if duplicated:
        lines.append(
            f"- Duplicated rows ({duplicated} variants): {NOT_APPLICABLE}, as PPS scores "
            "columns one by one; deepchecks has other checks for duplicates (DataDuplicates, "
            "TrainTestSamplesMix), not run here."
        )
    return "\n".join(lines)


def product_cell(product: Product, key: tuple[str, str, str], group: list[Run]) -> str:
    """Return the product's "named at leakage level" cell, if it counts the same variants."""
    count, cell = product.get(key, (0, ""))
    return cell if count == len(group) else ""


def leak_row(key: tuple[str, str, str], group: list[Run], product: str) -> list[Any]:
    kind, strength, task = key
    if not group[0].applicable:
        return [kind, strength, task, len(group), NOT_APPLICABLE, "", product, ""]
    scored = [run for run in group if run.error is None]
    values = [run.injected_pps for run in scored if run.injected_pps is not None]
    return [
        kind,
        strength,
        task,
        len(group),
        share(sum(run.named for run in scored), len(group)),
        f"{statistics.median(values):.3f}" if values else "",
        product,
        len(group) - len(scored),
    ]


def totals(
    groups: dict[tuple[str, str, str], list[Run]],
    product: Product,
    label: str,
    keep: Callable[[str], bool],
) -> list[str]:
    """Return one line of totals over the column leaks of the kinds `keep` accepts: named by
    deepchecks, and by the product over the rows where its results file has the figure."""
    ours = theirs = total = compared = 0
    for key, group in groups.items():
        if not group[0].applicable or not keep(key[0]):
            continue
        ours, total = ours + sum(run.named for run in group), total + len(group)
        if cell := product_cell(product, key, group):
            theirs, compared = theirs + named_count(cell), compared + len(group)
    line = f"- {label}: deepchecks {share(ours, total)} of {total:,} variants"
    if compared:
        line += f"; the product {share(theirs, compared)} of {compared:,}"
    return [line + "."]


def false_alarms_section(runs: list[Run], seeds: int, product_alarms: str) -> str:
    """Return the honest tables' columns at PPS >= 0.8, with their PPS in each seed."""
    honest = [run for run in runs if run.kind == "honest" and run.error is None]
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for run in honest:
        for column, value in run.alarms().items():
            found[(run.table.name, column)].append(f"seed {run.seed}: {value:.3f}")
    flagged_tables = {table for table, _ in found}
    flagged_runs = sum(1 for run in honest if run.alarms())
    lines = [
        f"deepchecks: {len(flagged_tables)} of {len({run.table.name for run in honest})} honest "
        f"tables have a column at PPS >= {PPS_AT} in at least one of {seeds} seeds; "
        f"{flagged_runs} of {len(honest)} honest runs do.",
    ]
    if product_alarms:
        lines += ["", f"The product (from its results file): {product_alarms}"]
    if found:
        rows = [
            [table, column, len(values), "; ".join(values)]
            for (table, column), values in sorted(found.items())
        ]
        lines += ["", markdown_table(["table", "column", "seeds", "PPS"], rows)]
    return "\n".join(lines)


def corpus_section(tables: list[Table], runs: list[Run], seeds: int) -> str:
    """Return one row per table: its size, its honest runs with a false alarm, the time."""
    by_table: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        by_table[run.table.name].append(run)
    rows = []
    for table in tables:
        done = by_table[table.name]
        honest = table.honest()
        seconds = [run.seconds for run in done if run.applicable]
        flagged = sum(1 for run in done if run.kind == "honest" and run.alarms())
        rows.append(
            [
                table.name,
                f"{len(honest):,}",
                honest.shape[1] - 1,
                table.task,
                table.target,
                f"{flagged}/{seeds}",
                f"{statistics.median(seconds):.2f} / {max(seconds):.2f}" if seconds else "",
            ]
        )
    header = ["table", "rows", "features", "task", "target", "honest runs with a false alarm"]
    return markdown_table([*header, "deepchecks s (median / max)"], rows)


def errors_section(runs: list[Run]) -> str:
    """Return deepchecks' errors, and any run where its condition disagrees with PPS >= 0.8."""
    failed = Counter(
        (run.table.name, run.kind, run.strength, run.error) for run in runs if run.error
    )
    lines = [
        f"- {table} {kind} {strength} ({count} seeds): {error}"
        for (table, kind, strength, error), count in sorted(failed.items())
    ]
    # The counts use PPS >= 0.8 directly; deepchecks' condition must fail on the same runs.
    disagree = [
        run
        for run in runs
        if run.condition_passed is not None
        and run.condition_passed == any(value >= PPS_AT for value in run.pps.values())
    ]
    lines += [
        f"- deepchecks' condition disagrees with PPS >= {PPS_AT}: {run.table.name} {run.kind} "
        f"{run.strength} seed {run.seed}"
        for run in disagree
    ]
    return "\n".join(lines) or "None: deepchecks ran on every variant it applies to."


def report(
    runs: list[Run],
    tables: list[Table],
    seeds: int,
    environment: dict[str, Any],
    product_file: Path,
    header: dict[str, str],
) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in environment.get("versions", {}).items())
    generated = product_line(product_file, "Generated by")
    # The product's false-alarm line counts its whole corpus: shown only for the same tables
    # and seeds.
    alarms = product_line(product_file, f"of {len(tables)} honest tables", f"of {seeds} seeds")
    sections = [
        "# Leakage-audit benchmark: deepchecks side by side",
        "",
        f"Generated by `{header['command']}` on {header['started']}; the whole run took "
        f"{header['minutes']} min.",
        "",
        f"- Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}; load "
        f"average (1 min) at start / end {header['load']}.",
        f"- deepchecks' venv ({VENV.relative_to(ROOT)}, from "
        f"{REQUIREMENTS.relative_to(ROOT)}): Python {environment.get('python', '?')}, "
        f"{versions}.",
        f"- The product's figures: {product_file.relative_to(ROOT)}, "
        + (generated[0].lower() + generated[1:] if generated else "missing")
        + " They are not rerun here.",
        "",
        "The variants are bench/audit.py's (audit_leaks.variants: the same tables, seeds, "
        "leaks and random draws). Each is written to CSV, read back with pandas, and given to "
        "deepchecks' `FeatureLabelCorrelation` as a `Dataset` with the label, its task "
        "(binary, multiclass, regression) and the text columns as categorical features, "
        "`random_state` the seed. The check's value is each feature's Predictive Power Score: "
        "a decision tree on that feature alone, 4-fold cross-validated on at most 5,000 rows "
        "(ppscore's own sample; no table is cut here), its weighted F1 (classification) or "
        "MAE (regression) scaled between a naive baseline (0) and perfect (1). A leak is "
        f"*named* when its injected column has PPS >= {PPS_AT}, where deepchecks' default "
        "condition `add_condition_feature_pps_less_than(0.8)` fails. PPS drops the rows "
        "where the feature is missing before scoring it, so a column filled in for one class "
        "only (one_class) leaves a target with one class, which PPS scores 0 by definition; "
        "missingness carries no signal to PPS (half_missing, next_rows' last row). The "
        "product's column is its *named at leakage level*, copied from its results file for "
        "the same variants (shown only where it counts the same number). Time per variant "
        "includes reading the CSV.",
        "",
        "## Injected and real leaks",
        "",
        leaks_section(runs, product_leaks(product_file)),
        "",
        "## False alarms on the honest tables",
        "",
        false_alarms_section(runs, seeds, alarms),
        "",
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


# --- command line --------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setup", action="store_true", help="create deepchecks' venv and exit")
    parser.add_argument("--seeds", type=int, default=SEEDS, help=f"seeds 0..N-1 ({SEEDS})")
    parser.add_argument("--tables", help="comma-separated table names (default: all)")
    parser.add_argument("--corpus", choices=list(CORPORA), default="tuning")
    parser.add_argument("--write", action="store_true", help="write the results file")
    args = parser.parse_args()
    corpus, args.product_results, _, _ = CORPORA[args.corpus]
    args.results = RESULTS[args.corpus]
    names = {table.name for table in corpus}
    wanted = args.tables.split(",") if args.tables else None
    if wanted and (unknown := set(wanted) - names):
        parser.error(f"unknown table(s) {', '.join(sorted(unknown))}; known: {sorted(names)}")
    args.tables = [t for t in corpus if wanted is None or t.name in wanted]
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    return args


def main() -> int:
    args = parse_args()
    if args.setup:
        setup()
        return 0
    if not venv_python().exists():
        print(
            f"deepchecks' venv {VENV.relative_to(ROOT)} is missing: run with --setup first",
            file=sys.stderr,
        )
        return 2
    started = datetime.now(UTC)
    clock = time.perf_counter()
    load_start = f"{os.getloadavg()[0]:.2f}"

    runs, environment = check_corpus(args.tables, args.seeds)

    header = {
        "command": " ".join(
            ["uv run --group bench python bench/audit_deepchecks.py", *sys.argv[1:]]
        ),
        "started": f"{started:%Y-%m-%d %H:%M} UTC",
        "minutes": f"{(time.perf_counter() - clock) / 60:.1f}",
        "load": f"{load_start} / {os.getloadavg()[0]:.2f}",
    }
    text = report(runs, args.tables, args.seeds, environment, args.product_results, header)
    print(text)
    if args.write:
        args.results.write_text(text, encoding="utf-8")
        log(f"wrote {args.results.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(worker(Path(sys.argv[2])) if sys.argv[1:2] == [WORKER] else main())
