"""Partitioned input and output (parts.py) and the Dask engine (scaleout.py): the same bytes
as the local engine and as one whole file, one report over all parts, and nothing written
when a part is bad or the command fails.

The Dask tests share one LocalCluster of two worker processes, started once for the module
and reached through its scheduler address (`--scheduler`), as a real cluster would be; one
test lets the command start and stop a cluster of its own."""

from __future__ import annotations

import itertools
import json
import os
import signal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from distributed.diagnostics.plugin import WorkerPlugin
from typer.testing import CliRunner

from conftest import assert_error, tree
from ml_baseline import parts
from ml_baseline.cli import app
from ml_baseline.errors import MLBaselineError
from ml_baseline.parts import find_input, natural_key, parts_sha256
from ml_baseline.schema import InputReport
from ml_baseline.scoring import load_run, predict

runner = CliRunner()
FEATURES = "data/processed/features.csv"


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def scheduler() -> str:
    """The address of a two-worker Dask cluster shared by this module's tests."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


def _split(n_parts: int, folder: str, fmt: str, *, names: str = "part-{i:05d}") -> list[Path]:
    """Write the sample table as `n_parts` parts of uneven sizes into `folder`."""
    table = pacsv.read_csv(FEATURES, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    Path(folder).mkdir()
    cuts = [*[0, 7, 150, 151, 420, 700][:n_parts], table.num_rows]
    written = []
    for i, (start, end) in enumerate(itertools.pairwise(cuts)):
        path = Path(folder) / (names.format(i=i) + f".{fmt}")
        part = table.slice(start, end - start)
        if fmt == "parquet":
            pq.write_table(part, path)
        else:
            pacsv.write_csv(part, path)
        written.append(path)
    (Path(folder) / "_SUCCESS").touch()  # bookkeeping files Spark leaves are not parts
    (Path(folder) / f".{written[0].name}.crc").write_bytes(b"crc")
    return written


# --- finding parts ----------------------------------------------------------------------------


def test_parts_are_ordered_by_name_with_numbers_as_numbers_and_bookkeeping_skipped(
    tmp_path: Path,
):
    for name in ("part.10.parquet", "part.2.parquet", "part.1.parquet", "_SUCCESS", "_metadata"):
        (tmp_path / name).touch()
    (tmp_path / ".part.1.parquet.crc").touch()
    (tmp_path / "part.1.parquet.crc").touch()
    found = find_input(tmp_path)
    assert found.partitioned
    assert found.names == ["part.1.parquet", "part.2.parquet", "part.10.parquet"]
    assert find_input(str(tmp_path / "part.1*")).names == ["part.1.parquet", "part.10.parquet"]
    assert sorted(["b10", "b9", "a"], key=natural_key) == ["a", "b9", "b10"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "holds no part files"),
        (["a.parquet", "b.csv"], "mixes parquet (a.parquet) and csv (b.csv) parts"),
        (["a.parquet", "notes.txt"], "notes.txt: unknown table format '.txt'"),
    ],
)
def test_a_folder_that_is_not_one_table_is_refused(tmp_path: Path, files, message):
    for name in files:
        (tmp_path / name).touch()
    with pytest.raises(MLBaselineError) as raised:
        find_input(tmp_path)
    assert message in str(raised.value)


def test_the_sha256_of_a_partitioned_table_is_that_of_its_manifest(tmp_path: Path):
    import hashlib

    (tmp_path / "p1.csv").write_text("a\n1\n")
    (tmp_path / "p2.csv").write_text("a\n2\n")
    digest, listed = parts_sha256(find_input(tmp_path).files)
    lines = "".join(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n"
        for p in (tmp_path / "p1.csv", tmp_path / "p2.csv")
    )
    assert digest == hashlib.sha256(lines.encode()).hexdigest()  # `sha256sum p* | sha256sum`
    assert [p["name"] for p in listed] == ["p1.csv", "p2.csv"]


# --- reports merge like one pass ----------------------------------------------------------------


def test_reports_and_drift_counts_of_parts_merge_into_those_of_one_pass(project: Path):
    from ml_baseline.drift import DriftCounter
    from ml_baseline.models import outputs

    loaded = load_run(Path("models"), "latest")
    names = loaded.schema.feature_names
    options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True
    )
    table = pacsv.read_csv(FEATURES, convert_options=options).select(names)
    columns = {name: table.column(name).to_pylist() for name in names}
    for row, value in ((3, "ZZ"), (400, "YY"), (401, "XX"), (900, "WW"), (950, "ZZ")):
        columns["country"][row] = value  # unseen categories, spread over the parts
    for row in (5, 6, 600, 601, 990):
        columns["n_orders"][row] = "lots"
    table = pa.table(columns)

    def count(pieces: list[tuple[int, int]], source: str) -> tuple[InputReport, DriftCounter]:
        report, counter = InputReport(source), DriftCounter(loaded.run.reference_profile())
        for start, stop in pieces:
            part = InputReport(source)
            part_counter = DriftCounter(counter.profile)
            X = loaded.schema.convert(table.slice(start, stop - start), part, first_row=start + 1)
            part.add_rows(stop - start)
            out = outputs(loaded.model, X, loaded.task)
            part_counter.add(X, out, loaded.task, loaded.schema.labels)
            report.merge(part)
            counter.merge(part_counter)
        return report, counter

    whole, whole_counts = count([(0, 1000)], "t.csv")
    merged, merged_counts = count([(0, 4), (4, 401), (401, 700), (700, 1000)], "t.csv")
    assert merged.error() == whole.error()
    assert "row 6 'lots', row 7 'lots', row 601 'lots'" in whole.error()
    assert merged.summary() == whole.summary()
    assert merged.warnings() == whole.warnings()
    assert merged.unseen_examples() == whole.unseen_examples()
    assert whole.unseen_examples() == {"country": "'ZZ', 'YY', 'XX', ..."}
    assert merged_counts.rows == whole_counts.rows == 1000
    for column in whole_counts.profile.columns:
        merged_bins = merged_counts.counts(column).tolist()
        assert merged_bins == whole_counts.counts(column).tolist()


# --- the local engine -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_partitioned_input_scores_like_the_whole_file(project: Path, fmt: str):
    written = _split(5, "parts", fmt)
    if fmt == "parquet":
        whole = pa.concat_tables([pq.read_table(p) for p in written])
        pq.write_table(whole, "whole.parquet")
        predict(Path("whole.parquet"), Path("whole.csv"), batch_size=64)
    else:
        predict(Path(FEATURES), Path("whole.csv"), batch_size=64)
    result = predict(Path("parts"), Path("parts.csv"), batch_size=64)
    assert result.rows == 1000
    assert Path("parts.csv").read_bytes() == Path("whole.csv").read_bytes()
    predict(Path(f"parts/*.{fmt}"), Path("glob.csv"), batch_size=64)
    assert Path("glob.csv").read_bytes() == Path("whole.csv").read_bytes()


def test_folder_output_has_one_part_per_input_part_and_success_last(project: Path):
    written = _split(4, "parts", "parquet", names="part.{i}")
    result = invoke("predict", "--input", "parts", "--output", "scored/", "-q")
    assert result.exit_code == 0, result.output
    # The parts are named: "Wrote scored" named no file (probe 53).
    shown = ", ".join(p.name for p in written[:3])
    assert f"Wrote 4 part(s) into scored/ ({shown}, ...) and _SUCCESS" in result.stdout
    names = sorted(p.name for p in Path("scored").iterdir())
    assert names == sorted([*(p.name for p in written), "_SUCCESS"])
    for part in written:
        scored = pq.read_table(Path("scored") / part.name)
        assert (
            scored.column("user_id").to_pylist()
            == pq.read_table(part).column("user_id").to_pylist()
        )
    assert not list(Path().glob(".ml-baseline-scoring-*"))  # the staging folder is gone
    # An existing folder is written into: same names replaced, other files left alone.
    Path("scored/keep.txt").write_text("mine")
    result = invoke("predict", "--input", "parts", "--output", "scored", "-q")
    assert result.exit_code == 0, result.output
    assert Path("scored/keep.txt").read_text() == "mine"


def test_empty_parts_are_scored_as_no_rows(project: Path):
    written = _split(3, "parts", "csv")
    Path("parts/part-00003.csv").write_bytes(b"")  # Spark's empty partition: no header at all
    Path("parts/part-00004.csv").write_text(written[0].read_text().splitlines()[0] + "\n")
    result = invoke("predict", "--input", "parts", "--output", "scored/", "-q")
    assert result.exit_code == 0, result.output
    assert "Scored 1000 rows" in result.stdout
    assert Path("scored/part-00004.csv").read_text() == "user_id,score,prediction\n"
    assert Path("scored/part-00003.csv").read_text() == "user_id,score,prediction\n"


def test_training_on_parts_reads_them_all_and_hashes_the_manifest(project: Path):
    _split(4, "parts", "csv")
    result = invoke("train", "--target", "is_high_value", "--features", "parts", "--json", "-q")
    assert result.exit_code == 0, result.output
    run_dir = Path(json.loads(result.stdout)["run_dir"])
    meta = json.loads((run_dir / "run_meta.json").read_text())
    assert meta["dataset"]["rows"] == 1000
    assert [p["name"] for p in meta["dataset"]["parts"]] == [f"part-{i:05d}.csv" for i in range(4)]
    assert meta["dataset"]["sha256"] == parts_sha256(find_input(Path("parts")).files)[0]
    # The same rows as the whole file: the same holdout scores.
    first_run = sorted(Path("models/runs").iterdir())[0]
    assert first_run != run_dir
    holdout = "tables/holdout_predictions.csv"
    assert (run_dir / holdout).read_bytes() == (first_run / holdout).read_bytes()


# --- errors: named by part, nothing written ------------------------------------------------


def _engine_args(engine: str, scheduler: str | None) -> list[str]:
    return ["--engine", "dask", "--scheduler", scheduler] if engine == "dask" else []


@pytest.fixture(params=["local", "dask"])
def engine(request: pytest.FixtureRequest) -> list[str]:
    if request.param == "local":
        return []
    return _engine_args("dask", request.getfixturevalue("scheduler"))


def test_bad_values_in_a_late_part_name_the_part_and_row(project: Path, engine: list[str]):
    written = _split(6, "parts", "csv")
    _set_cell(written[4], 3, "n_orders", "lots")
    before = tree(project)
    result = invoke("predict", "--input", "parts", "--output", "out.csv", *engine)
    assert_error(
        result,
        1,
        "parts/part-00004.csv: column 'n_orders' has 1 value(s)",
        "(row 3 'lots')",
        "rows counted from 1 after the header",
    )
    assert tree(project) == before
    # Bad values in two parts: each example names its part.
    _set_cell(written[1], 1, "n_orders", "many")
    result = invoke("predict", "--input", "parts", "--output", "scored/", *engine)
    assert_error(
        result,
        1,
        "parts: column 'n_orders' has 2 value(s)",
        "(part-00001.csv row 1 'many', part-00004.csv row 3 'lots')",
        "after the header in each part",
    )
    assert tree(project) == before


def _set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Write `value` into a cell of a CSV part (rows counted from 1 after the header)."""
    lines = path.read_text().splitlines(keepends=True)
    position = [name.strip('"') for name in lines[0].strip().split(",")].index(column)
    fields = lines[row].rstrip("\n").split(",")
    fields[position] = value
    lines[row] = ",".join(fields) + "\n"
    path.write_text("".join(lines))


def test_a_part_missing_a_column_is_named(project: Path, engine: list[str]):
    written = _split(4, "parts", "parquet")
    pq.write_table(pq.read_table(written[2]).drop_columns(["avg_amount"]), written[2])
    before = tree(project)
    result = invoke("predict", "--input", "parts", "--output", "out.csv", *engine)
    assert_error(result, 1, "parts/part-00002.parquet is missing 1 feature column(s)", "avg_amount")
    assert tree(project) == before


def test_leftovers_of_a_killed_prediction_are_removed_by_the_next(project: Path):
    _split(2, "parts", "csv")
    leftover = Path(".ml-baseline-scoring-killed")
    leftover.mkdir()
    (leftover / "000000.parquet").write_bytes(b"half")
    result = invoke("predict", "--input", "parts", "--output", "out.csv", "-q")
    assert result.exit_code == 0, result.output
    assert not leftover.exists()
    assert "removed .ml-baseline-scoring-killed, left by a prediction that was killed" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler and --workers apply to --engine dask"),
        (["--engine", "dask", "--scheduler", "x", "--workers", "2"], "not with --scheduler"),
        (["--engine", "spark"], "'spark' is not one of"),
    ],
)
def test_engine_options_misused_are_usage_errors(project: Path, args, message):
    result = invoke("predict", "--input", FEATURES, "--output", "out.csv", *args)
    assert_error(result, 2, message)


def test_dask_engine_without_dask_says_how_to_install_it(project: Path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    result = invoke("predict", "--input", FEATURES, "--output", "out.csv", "--engine", "dask")
    assert_error(result, 1, "--engine dask needs Dask", "uv sync --extra dask")
    assert not Path("out.csv").exists()


# --- the Dask engine --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("output", ["out.parquet", "out.csv", "scored/"])
def test_dask_output_is_byte_for_byte_the_local_output(
    project: Path, scheduler: str, fmt: str, output: str
):
    _split(6, "parts", fmt)
    local = invoke("predict", "--input", "parts", "--output", "local-" + output, "--json", "-q")
    assert local.exit_code == 0, local.output
    dask = invoke(
        "predict", "--input", "parts", "--output", "dask-" + output, "--json", "-q",
        "--engine", "dask", "--scheduler", scheduler,
    )  # fmt: skip
    assert dask.exit_code == 0, dask.output
    assert _files("local-" + output) == _files("dask-" + output)
    local_json, dask_json = json.loads(local.stdout), json.loads(dask.stdout)
    for key in ("rows", "predictions", "input_problems", "drift", "warnings", "notices"):
        if key == "drift":
            local_json[key].pop("report"), dask_json[key].pop("report")
        assert local_json[key] == dask_json[key], key


def _files(output: str) -> dict[str, bytes]:
    path = Path(output)
    if path.is_dir():
        return {p.name: p.read_bytes() for p in path.iterdir()}
    return {path.name.split("-", 1)[1]: path.read_bytes()}


def test_row_groups_of_one_big_file_are_pieces_counted_in_the_file(
    project: Path, scheduler: str, monkeypatch
):
    monkeypatch.setattr(parts, "PIECE_ROWS", 200)
    table = pacsv.read_csv(FEATURES, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    pq.write_table(table, "big.parquet", row_group_size=100)  # 10 row groups: 5 pieces
    local = invoke("predict", "--input", "big.parquet", "--output", "local.csv", "-q")
    dask = invoke(
        "predict", "--input", "big.parquet", "--output", "dask.csv", "-q",
        "--engine", "dask", "--scheduler", scheduler,
    )  # fmt: skip
    assert local.exit_code == 0 and dask.exit_code == 0, local.output + dask.output
    assert Path("dask.csv").read_bytes() == Path("local.csv").read_bytes()
    orders = table.column("n_orders").cast(pa.string()).to_pylist()
    orders[456] = "lots"  # row 457 of the file, in its fifth row group
    pq.write_table(table.set_column(2, "n_orders", [orders]), "big.parquet", row_group_size=100)
    result = invoke(
        "predict", "--input", "big.parquet", "--output", "dask2.csv",
        "--engine", "dask", "--scheduler", scheduler,
    )  # fmt: skip
    assert_error(result, 1, "big.parquet: column 'n_orders'", "(row 457 'lots')")
    assert not Path("dask2.csv").exists()


class KillFirstAttempt(WorkerPlugin):
    """A worker plugin that kills its worker (SIGKILL) when it starts the task of piece 1 for
    the first time, as a machine lost mid-run would."""

    name = "kill-first-attempt"

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def setup(self, worker) -> None:
        pass

    def teardown(self, worker) -> None:
        pass

    def transition(self, key, start, finish, **kwargs) -> None:
        first_attempt = not os.path.exists(self.marker)
        if finish == "executing" and str(key).startswith("ml-baseline-piece-1-") and first_attempt:
            Path(self.marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_mid_run_is_retried_and_the_output_is_whole(project: Path, scheduler: str):
    from distributed import Client

    _split(6, "parts", "parquet")
    assert invoke("predict", "--input", "parts", "--output", "local.csv", "-q").exit_code == 0
    marker = project / "killed"
    with Client(scheduler) as client:
        client.register_plugin(KillFirstAttempt(str(marker)))
        try:
            result = invoke(
                "predict", "--input", "parts", "--output", "dask.csv", "-q",
                "--engine", "dask", "--scheduler", scheduler,
            )  # fmt: skip
        finally:
            client.unregister_worker_plugin(KillFirstAttempt.name)
        client.wait_for_workers(2, timeout=60)  # the nanny restarts the one that was killed
    assert marker.exists(), "the worker was not killed: the test did not test the retry"
    assert result.exit_code == 0, result.output
    assert Path("dask.csv").read_bytes() == Path("local.csv").read_bytes()


def test_a_command_started_cluster_scores_and_stops(project: Path):
    _split(3, "parts", "csv")
    result = invoke(
        "predict", "--input", "parts", "--output", "out.csv", "--engine", "dask",
        "--workers", "1", "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Scored 1000 rows" in result.stdout


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_command_stops_the_cluster_it_started(project: Path, signum: int):
    import subprocess
    import sys
    import time

    import psutil

    table = pacsv.read_csv(FEATURES, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    Path("parts").mkdir()
    for i in range(40):  # enough parts that the command is still scoring when stopped
        pq.write_table(table, f"parts/part-{i:05d}.parquet")
    process = subprocess.Popen(
        [sys.executable, "-m", "ml_baseline", "predict", "--input", "parts",
         "--output", "out.csv", "--engine", "dask", "--workers", "1", "-q", "--batch-size", "50"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A shell starts background jobs with SIGINT ignored, and Python keeps it ignored:
        # give the command the default handling a terminal's Ctrl-C meets.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    command = psutil.Process(process.pid)
    deadline = time.monotonic() + 120
    workers: list[psutil.Process] = []
    # Stopped mid-run, once the first part is scored (during the cluster's own start-up Dask
    # may print messages of its own).
    while not list(Path().glob(".ml-baseline-scoring-*/0*")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    workers = [p for p in command.children() if "spawn_main" in " ".join(p.cmdline())]
    assert workers, "no worker process was started"
    os.kill(process.pid, signum)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signum, stderr
    assert "nothing was written" in stderr.splitlines()[-1]
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, "a worker of the command's cluster outlived it"
    assert not Path("out.csv").exists()
    assert not list(Path().glob(".ml-baseline-scoring-*"))
