"""`ml-baseline train` and `predict` on the shapes of tables users have, each against a plain
script doing the same work (bench/floor_shapes.py), measured in the same run.

    uv run python bench/shapes.py              # ~15 minutes; writes bench/RESULTS-shapes.md
    uv run python bench/shapes.py --quick      # 1 repeat, no 1M-row shapes; writes nothing
    uv run python bench/shapes.py --only 1000x2000

Tables are synthetic (float32 normal features, the first ten carry the target; a 3-class or a
continuous target for multiclass and regression), written as Parquet to bench/work/shapes/.
Every case is a whole process; ours and its floor alternate (ours, floor, floor, ours, ...),
the ratio is the median of the per-repeat ratios. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from run import (
    ROOT,
    BenchError,
    Case,
    code_state,
    compile_package,
    log,
    run_process,
    same_code,
)

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work" / "shapes"
RESULTS = BENCH / "RESULTS-shapes.md"


@dataclass(frozen=True)
class Shape:
    task: str
    model: str
    rows: int
    columns: int
    target: float | None = None  # train's wall ratio to the floor, at most

    @property
    def name(self) -> str:
        return f"{self.task}_{self.model}_{self.rows}x{self.columns}"


# The matrix: every task and model at 10k x 10; 100 and 2,000 columns (binary; regression with
# logreg at 2,000); a Caravan-like 6k x 86; 1M rows for binary only (multiclass and regression
# at 1M rows would take the run past 15 minutes; their costs per row are those of 10k rows,
# which the table shows).
SHAPES = [
    *(
        Shape(task, model, 10_000, 10)
        for task in ("binary", "multiclass", "regression")
        for model in ("logreg", "hgb")
    ),
    Shape("binary", "logreg", 10_000, 100),
    Shape("binary", "hgb", 10_000, 100),
    Shape("binary", "hgb", 6_000, 86, target=1.5),
    Shape("binary", "logreg", 1_000, 2_000, target=3.0),
    Shape("binary", "hgb", 1_000, 2_000),
    # A numeric target on a wide table: the audit's formula check looks for a column that is
    # the target and another column combined (25 formulas x 2,000 x 2,000 pairs).
    Shape("regression", "logreg", 1_000, 2_000, target=3.0),
    Shape("binary", "logreg", 1_000_000, 10),
    Shape("binary", "hgb", 1_000_000, 10, target=1.5),
]


def generate(path: Path, task: str, rows: int, columns: int) -> None:
    """Write a synthetic table (run in a child process: this one stays small, see run.py)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    X = rng.standard_normal((rows, columns), dtype=np.float32)
    informative = min(columns, 10)
    signal = X[:, :informative] @ rng.normal(size=informative) / np.sqrt(informative)
    signal += rng.normal(scale=0.7, size=rows)
    if task == "binary":
        target = pa.array((signal > 0.6).astype(np.int64))  # about 30% positives
    elif task == "multiclass":
        target = pa.array(np.array(["low", "mid", "high"])[np.digitize(signal, [-0.5, 0.5])])
    else:
        target = pa.array(signal.astype(np.float64))
    columns_ = {"id": pa.array(np.arange(rows))}
    columns_ |= {f"x{j}": pa.array(X[:, j]) for j in range(columns)}
    columns_["target"] = target
    pq.write_table(pa.table(columns_), path)


class ShapeBench:
    def __init__(self, shapes: list[Shape], repeats: int) -> None:
        self.shapes = shapes
        self.repeats = repeats
        self.python = sys.executable
        self.cli = str(Path(sys.executable).parent / "ml-baseline")
        self.rows: list[dict[str, str]] = []
        self.failures: list[str] = []

    def table(self, shape: Shape) -> Path:
        return WORK / f"{shape.task}_{shape.rows}x{shape.columns}.parquet"

    def measure(self, shape: Shape) -> None:
        table = self.table(shape)
        if not table.exists():
            log(f"generating {table.name}")
            sizes = [str(shape.rows), str(shape.columns)]
            generate = [self.python, __file__, "--generate", str(table), shape.task, *sizes]
            done = subprocess.run(generate, cwd=ROOT)
            if done.returncode != 0:
                raise BenchError(f"generating {table} failed")
        models = WORK / f"models_{shape.name}"
        subprocess.run(["rm", "-rf", str(models)], check=True)
        train = [self.cli, "train", "--target", "target", "--features", str(table)]
        train += ["--id-col", "id", "--model", shape.model, "--models-dir", str(models)]
        floor_train = [self.python, str(BENCH / "floor_shapes.py"), "train", str(table)]
        floor_train += [shape.task, shape.model]
        ours, floor = self.paired(shape, "train", train, floor_train)
        metas = [json.loads(p.read_text()) for p in models.glob("runs/*/run_meta.json")]
        importance = statistics.median(
            m["timings_seconds"].get("importance", 0) / m["duration_seconds"] for m in metas
        )
        self.add(shape, "train", ours, floor, f"importance {importance:.0%} of the run")

        run_dir = next(models.glob("runs/*"))
        out, floor_out = WORK / f"predict_{shape.name}.parquet", WORK / f"floor_{shape.name}.pq"
        predict = [self.cli, "predict", "--run", str(run_dir), "--input", str(table)]
        predict += ["--output", str(out)]
        floor_predict = [self.python, str(BENCH / "floor_shapes.py"), "predict", str(run_dir)]
        floor_predict += [str(table), str(floor_out)]
        ours, floor = self.paired(shape, "predict", predict, floor_predict)
        self.add(shape, "predict", ours, floor, "")

    def paired(
        self, shape: Shape, command: str, ours_argv: list[str], floor_argv: list[str]
    ) -> tuple[Case, Case]:
        ours, floor = Case(command, shape.rows), Case("floor", shape.rows)
        ours.floor = floor
        for i in range(self.repeats):
            order = [(ours, ours_argv), (floor, floor_argv)]
            for case, argv in order if i % 2 == 0 else order[::-1]:
                log_path = WORK / "logs" / f"{shape.name}_{command}_{case.name}_{i}.log"
                case.samples.append(run_process(argv, log_path))
                log(f"  {shape.name} {command} {case.name}: {case.samples[-1].wall:.2f} s")
        return ours, floor

    def add(self, shape: Shape, command: str, ours: Case, floor: Case, note: str) -> None:
        ratio = (ours.ratios() or (0.0, 0.0))[0]
        target, met = "", ""
        if command == "train" and shape.target is not None:
            target, met = f"<= {shape.target}x", "yes" if ratio <= shape.target else "no"
        self.rows.append(
            {
                "task": shape.task,
                "model": shape.model,
                "rows x columns": f"{shape.rows:,} x {shape.columns:,}",
                "command": command,
                "ours s": f"{ours.wall:.2f}",
                "floor s": f"{floor.wall:.2f}",
                "ours/floor": f"{ratio:.2f}",
                "rows/s": f"{shape.rows / ours.wall:,.0f}",
                "peak RSS MiB (floor)": f"{ours.rss:.0f} ({floor.rss:.0f})",
                "target": target,
                "met?": met,
                "notes": note,
            }
        )

    def markdown(self) -> str:
        header = list(self.rows[0]) if self.rows else []
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row.values()) + " |" for row in self.rows]
        return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 repeat, no 1M rows, no file")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--only", help="shapes whose name contains one of these (a,b,...)")
    parser.add_argument("--generate", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        path, task, rows, columns = args.generate
        generate(Path(path), task, int(rows), int(columns))
        return 0
    shapes = [s for s in SHAPES if not args.quick or s.rows < 1_000_000]
    if args.only:
        wanted = args.only.split(",")
        shapes = [s for s in shapes if any(part in s.name for part in wanted)]
    repeats = args.repeats or (1 if args.quick else 3)
    WORK.mkdir(parents=True, exist_ok=True)
    started, clock = datetime.now(UTC), time.perf_counter()
    load_start, code_start = f"{os.getloadavg()[0]:.2f}", code_state()
    bench = ShapeBench(shapes, repeats)
    compile_package()
    for shape in shapes:
        log(f"{shape.name}, x{repeats}")
        try:
            bench.measure(shape)
        except BenchError as exc:
            log(f"FAILED: {exc}")
            bench.failures.append(f"{shape.name}: {exc}")
    minutes = (time.perf_counter() - clock) / 60
    table = bench.markdown()
    print(table)
    print(f"\nTotal {minutes:.1f} min.")
    if bench.failures:
        print("\nFailed:\n" + "\n".join(f"- {failure}" for failure in bench.failures))
    if args.quick or bench.failures:
        return 1 if bench.failures else 0
    code_end = code_state()
    code = code_start
    if not same_code(code_start, code_end):
        code = f"**changed during the run**: {code_start}"
    RESULTS.write_text(
        "\n".join(
            [
                "# Shapes benchmark results",
                "",
                f"Generated by `uv run python bench/shapes.py` on {started:%Y-%m-%d %H:%M} UTC "
                f"in {minutes:.1f} min; {os.cpu_count()} CPUs, shared; load average (1 min) "
                f"{load_start} at start, {os.getloadavg()[0]:.2f} at end. Code: {code}.",
                "",
                f"Shapes: {', '.join(s.name for s in shapes)}. "
                f"Whole processes, median of {repeats} runs; ours and the floor "
                "(bench/floor_shapes.py) alternate and the ratio is the median of the "
                "per-repeat ratios. train includes the baseline, intervals, audit, importance, "
                "plots and run folder; its floor only fits and scores the holdout. predict scores "
                "the training table with the run; its floor loads the model and scores it whole. "
                "Multiclass and regression at 1M rows are not run (they would take the run past "
                "15 minutes).",
                "",
                table,
                "",
            ]
        ),
        encoding="utf-8",
    )
    print(f"Wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
