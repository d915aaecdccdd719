"""The README's Guarantees, shown with real processes and injected faults: concurrent trainings,
trainings and predictions killed with SIGKILL at random moments or stopped with SIGTERM, full
disks, folders where a file should be, interruptions after a commit, models folders that cannot
be written, and a model file modified after training.

Every test works in its own temporary folder; the processes started here are killed by pid and
waited for before the test ends.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ml_baseline import registry
from ml_baseline.cli import app
from ml_baseline.data import sha256_file, write_sample_data

runner = CliRunner()

TARGET = "is_high_value"
ENOSPC = "No space left on device"
KILL_SEED = 20261128
POLL = 0.005  # seconds between looks at the file system while a process runs
PROCESS_TIMEOUT = 300  # generous: the machine is shared; no test asserts a duration


# --- helpers ---------------------------------------------------------------------------------


def invoke(*args: str) -> Any:
    return runner.invoke(app, [str(arg) for arg in args])


def error_line(result: Any) -> str:
    """Return the one `Error: ...` line of a failed command, checking the error contract."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.stderr
    assert result.stderr.splitlines()[-1] == lines[0], result.stderr  # one line, nothing after
    assert "unexpected" not in lines[0], lines[0]  # an error we meant, not a bug report
    return lines[0]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ML_BASELINE_DEBUG"}
    # Two shared cores: one BLAS thread per process keeps six concurrent trainings civil.
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def train_command(features: Path, models: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ml_baseline",
        "train",
        "--target",
        TARGET,
        "--features",
        str(features),
        "--models-dir",
        str(models),
    ]


def predict_command(models: Path, input_path: Path, output: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ml_baseline",
        "predict",
        "--run",
        "latest",
        "--models-dir",
        str(models),
        "--input",
        str(input_path),
        "--output",
        str(output),
        "--batch-size",
        "2000",
    ]


@pytest.fixture
def spawn(tmp_path: Path):
    """Start a command in tmp_path, its output in a log file; every process started is killed
    (by pid) if still running and waited for at teardown."""
    started: list[subprocess.Popen[bytes]] = []

    def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
        with open(log, "wb") as out:
            process = subprocess.Popen(
                command, cwd=tmp_path, env=child_env(), stdout=out, stderr=subprocess.STDOUT
            )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def folders(path: Path) -> set[str]:
    return {p.name for p in path.iterdir() if p.is_dir()} if path.is_dir() else set()


def assert_complete_run(run_dir: Path) -> None:
    """A complete run: run_meta.json says so, and MANIFEST.sha256 records exactly the run's
    other files, each with the sha256 it has now."""
    run = registry.RunFolder.read(run_dir)
    assert run.meta.status == "complete"
    assert run.meta.run_id == run_dir.name
    artifacts = dict(
        reversed(line.split("  ", 1))
        for line in (run_dir / registry.MANIFEST).read_text().splitlines()
    )
    assert registry.MODEL_FILE in artifacts
    assert registry.SCHEMA_FILE in artifacts
    assert registry.RUN_META in artifacts
    files = {p.relative_to(run_dir).as_posix() for p in run_dir.rglob("*") if p.is_file()} - {
        registry.MANIFEST
    }
    assert files == set(artifacts), run_dir
    for relative, digest in artifacts.items():
        assert sha256_file(run_dir / relative) == digest, (run_dir, relative)


def assert_registry_consistent(models: Path) -> set[str]:
    """Check the registry's promises; return the ids of the runs in runs/."""
    runs_dir = models / registry.RUNS_DIR
    entries = list(runs_dir.iterdir()) if runs_dir.is_dir() else []
    assert all(p.is_dir() for p in entries), entries
    run_ids = {p.name for p in entries}
    for run_id in run_ids:
        assert_complete_run(runs_dir / run_id)
    assert {meta.run_id for meta in registry.list_runs(models)[0]} == run_ids
    latest_file = models / registry.REGISTRY_DIR / registry.LATEST_FILE
    if latest_file.exists():
        text = latest_file.read_text(encoding="utf-8")
        assert text.endswith("\n") and text.count("\n") == 1, repr(text)
        assert text.strip() in run_ids, (text, run_ids)
        assert registry.latest_run_id(models) == text.strip()
    history = models / registry.REGISTRY_DIR / registry.HISTORY_FILE
    if history.exists():
        for line in history.read_text(encoding="utf-8").splitlines():
            assert isinstance(json.loads(line), dict), line  # no torn line
    assert not folders(models / registry.STAGING_DIR) & run_ids
    return run_ids


def wait_for(condition, process: subprocess.Popen[bytes]) -> float | None:
    """Poll until `condition()` holds (return the monotonic time) or the process ends (None)."""
    while True:
        if condition():
            return time.monotonic()
        if process.poll() is not None:
            return time.monotonic() if condition() else None
        time.sleep(POLL)


def sleep_until(moment: float, process: subprocess.Popen[bytes]) -> None:
    while time.monotonic() < moment and process.poll() is None:
        time.sleep(min(POLL, max(moment - time.monotonic(), 0)))


# --- concurrent trainings --------------------------------------------------------------------


def test_six_concurrent_trainings_give_six_complete_runs(tmp_path: Path, spawn) -> None:
    features, models = tmp_path / "features.csv", tmp_path / "models"
    write_sample_data(features)
    logs = [tmp_path / f"train-{i}.log" for i in range(6)]
    processes = [spawn(train_command(features, models), log) for log in logs]  # all started
    codes = [process.wait(timeout=PROCESS_TIMEOUT) for process in processes]
    outputs = [log.read_text(encoding="utf-8", errors="replace") for log in logs]
    assert codes == [0] * 6, outputs

    run_ids = assert_registry_consistent(models)
    assert len(run_ids) == 6
    printed = [re.search(r"^Run id: +(\S+)$", out, re.MULTILINE) for out in outputs]
    assert all(printed), outputs
    assert {match.group(1) for match in printed} == run_ids  # each process its own id
    assert registry.latest_run_id(models) in run_ids
    assert registry.staging_leftovers(models) == []

    events = registry.read_history(models)
    committed = [e["run_id"] for e in events if e["event"] == "run_committed"]
    assert sorted(committed) == sorted(run_ids)
    # Serialised by the registry lock: each commit is followed by its own move of latest, and
    # the last move is what latest.txt says.
    assert [(e["event"], e["run_id"]) for e in events] == [
        pair
        for run_id in committed
        for pair in (("run_committed", run_id), ("latest_moved", run_id))
    ]
    assert events[-1]["run_id"] == registry.latest_run_id(models)


# --- trainings killed at random moments ------------------------------------------------------


def test_sigkilled_trainings_never_leave_a_visible_half_run(tmp_path: Path, spawn) -> None:
    features, models = tmp_path / "features.csv", tmp_path / "models"
    staging, runs_dir = models / registry.STAGING_DIR, models / registry.RUNS_DIR
    write_sample_data(features)
    rng = random.Random(KILL_SEED)

    # A complete training first: latest.txt exists, and its phases calibrate the kill moments
    # (this machine is shared, so they are measured rather than assumed).
    start = time.monotonic()
    first = spawn(train_command(features, models), tmp_path / "first.log")
    staged_at = wait_for(lambda: bool(folders(staging)), first)
    committed_at = wait_for(lambda: bool(folders(runs_dir)), first)
    assert first.wait(timeout=PROCESS_TIMEOUT) == 0, (tmp_path / "first.log").read_text()
    assert staged_at is not None and committed_at is not None
    before_staging = staged_at - start  # reading, fitting, evaluating: nothing on disk yet
    writing = committed_at - staged_at  # artifacts written in .staging/<id>/, then the rename
    assert_registry_consistent(models)

    # Eight kills spread from "just started" to "nearly done": four while the process imports,
    # reads and fits, four while it writes its staging folder.
    plan = [("early", rng.uniform(i / 4, (i + 1) / 4) * before_staging) for i in range(4)]
    plan += [("writing", rng.uniform(i / 5, (i + 1) / 5) * writing) for i in range(4)]
    rng.shuffle(plan)

    killed_leftovers: set[str] = set()
    outcomes = []
    attempt = 0
    for phase, planned in plan:
        # A shared machine's load changes between the calibration and the kills: a training
        # that finished before its kill is tried again with half the delay (up to 3 times),
        # so the kills land whatever the load does.
        for delay in (planned, planned / 2, planned / 4):
            code = _train_and_kill(
                features,
                models,
                tmp_path / f"kill-{attempt}.log",
                phase,
                delay,
                spawn,
                killed_leftovers,
                outcomes,
            )
            attempt += 1
            if code == -signal.SIGKILL:
                break

    assert sum(code == -signal.SIGKILL for _, _, code, _, _ in outcomes) >= 6, outcomes
    assert killed_leftovers, f"no kill landed while a run was being written: {outcomes}"

    leftovers = registry.staging_leftovers(models)
    assert {item["run_id"] for item in leftovers} == killed_leftovers
    assert not any(item["in_progress"] for item in leftovers)

    # `runs list` shows complete runs only and names the leftovers.
    listed = invoke("runs", "list", "--models-dir", models, "--json")
    assert listed.exit_code == 0, listed.output
    document = json.loads(listed.stdout)
    assert {run["run_id"] for run in document["runs"]} == assert_registry_consistent(models)
    assert {item["run_id"] for item in document["incomplete"]} == killed_leftovers
    warned = invoke("runs", "list", "--models-dir", models)
    assert warned.exit_code == 0, warned.output
    assert all(run_id in warned.stderr for run_id in killed_leftovers), warned.stderr
    assert "runs gc" in warned.stderr

    # `runs gc` removes the killed runs' leftovers, records it, and keeps the complete runs.
    complete = assert_registry_consistent(models)
    gc = invoke("runs", "gc", "--models-dir", models, "--json")
    assert gc.exit_code == 0, gc.output
    assert set(json.loads(gc.stdout)["removed"]) == killed_leftovers
    assert registry.staging_leftovers(models) == []
    assert folders(staging) == set()
    assert assert_registry_consistent(models) == complete
    last = registry.read_history(models)[-1]
    assert last["event"] == "gc" and set(last["removed"]) == killed_leftovers, last
    again = invoke("runs", "gc", "--models-dir", models)
    assert again.exit_code == 0 and "Nothing to remove" in again.stdout, again.output


class _Abandon(Exception):
    pass


def _train_and_kill(
    features: Path,
    models: Path,
    log: Path,
    phase: str,
    delay: float,
    spawn,
    killed_leftovers: set[str],
    outcomes: list,
) -> int:
    """Start a training, SIGKILL it `delay` seconds after it starts ("early") or after its
    staging folder appears ("writing"), check the registry, and return its exit code."""
    staging, runs_dir = models / registry.STAGING_DIR, models / registry.RUNS_DIR
    staging_before, runs_before = folders(staging), folders(runs_dir)
    latest_before = registry.latest_run_id(models)
    started = time.monotonic()
    process = spawn(train_command(features, models), log)
    if phase == "early":
        sleep_until(started + delay, process)
    else:
        appeared = wait_for(lambda old=staging_before: bool(folders(staging) - old), process)
        sleep_until((appeared or started) + delay, process)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    code = process.wait(timeout=PROCESS_TIMEOUT)
    new_staging = folders(staging) - staging_before
    new_runs = folders(runs_dir) - runs_before
    outcomes.append((phase, round(delay, 3), code, sorted(new_staging), sorted(new_runs)))

    if code == -signal.SIGKILL:
        # Killed: at most half a run in .staging, or (killed just after the rename) a
        # complete run; never both.
        assert len(new_staging) + len(new_runs) <= 1, outcomes
        killed_leftovers |= new_staging
    else:
        assert code == 0, log.read_text()  # finished before the kill
        assert len(new_runs) == 1 and not new_staging, outcomes
    run_ids = assert_registry_consistent(models)
    assert registry.latest_run_id(models) in {latest_before, *new_runs}
    assert not killed_leftovers & run_ids
    return code


def test_gc_never_removes_a_run_being_trained(tmp_path: Path) -> None:
    models = tmp_path / "models"
    (models / registry.STAGING_DIR / "killed-run" / "model").mkdir(parents=True)
    (models / registry.STAGING_DIR / "killed-run" / "model" / "model.joblib").write_bytes(b"half")
    with pytest.raises(_Abandon), registry.staged_run(models, "live-run") as live:
        live.write_json("metrics/partial.json", {"written": "so far"})
        leftovers = {
            item["run_id"]: item["in_progress"] for item in registry.staging_leftovers(models)
        }
        assert leftovers == {"killed-run": False, "live-run": True}

        listed = invoke("runs", "list", "--models-dir", models)
        assert listed.exit_code == 0, listed.output
        assert "being trained now: live-run" in listed.stderr

        assert registry.collect_garbage(models) == ["killed-run"]
        assert live.path.is_dir() and (live.path / "metrics/partial.json").is_file()
        assert registry.staging_leftovers(models) == [
            {"run_id": "live-run", "path": str(live.path), "in_progress": True}
        ]
        gc = invoke("runs", "gc", "--models-dir", models, "--json")
        assert gc.exit_code == 0, gc.output
        assert json.loads(gc.stdout) == {"removed": []}
        assert live.path.is_dir()
        raise _Abandon  # the live run fails: its own staging folder goes with it
    assert registry.staging_leftovers(models) == []
    assert registry.list_runs(models) == ([], [])


# --- predict killed mid-way ------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.csv"
    write_sample_data(path, n_users=300_000)
    return path


@pytest.mark.parametrize(
    ("name", "existing"),
    [("preds.csv", b"user_id,score,prediction\n7,0.25,0\n"), ("preds.parquet", None)],
    ids=["csv-over-existing-file", "parquet-new-file"],
)
def test_sigkilled_predict_leaves_the_output_untouched(
    tmp_path: Path,
    spawn,
    trained_project,
    big_input: Path,
    name: str,
    existing: bytes | None,
) -> None:
    models = trained_project[0] / "models"
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    output = out_dir / name
    if existing is not None:
        output.write_bytes(existing)
    rng = random.Random(f"{KILL_SEED}-{name}")

    def scoring_started() -> bool:  # the first batch's rows are in the hidden temporary file
        return any(p.stat().st_size > 0 for p in out_dir.glob(f".{name}.*.tmp"))

    log = tmp_path / "predict.log"
    process = spawn(predict_command(models, big_input, output), log)
    assert wait_for(scoring_started, process) is not None, log.read_text()
    time.sleep(rng.uniform(0.0, 0.1))
    assert process.poll() is None, f"predict finished before the kill: {log.read_text()}"
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=PROCESS_TIMEOUT) == -signal.SIGKILL

    if existing is None:
        assert not output.exists()
    else:
        assert output.read_bytes() == existing
    # Only hidden temporary files may be left beside it, never a partial file by another name.
    assert {p.name for p in out_dir.iterdir() if not p.name.startswith(".")} == (
        set() if existing is None else {name}
    )


# --- injected write failures -----------------------------------------------------------------


def _disk_full(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, ENOSPC)


def _plot_worker_with_full_disk() -> list[str]:
    """The plot worker's command, in a process whose PNG files cannot be written."""
    code = (
        "import errno, sys\n"
        "from matplotlib.figure import Figure\n"
        "def savefig(self, path, **kwargs):\n"
        "    raise OSError(errno.ENOSPC, 'No space left on device', str(path))\n"
        "Figure.savefig = savefig\n"
        "from ml_baseline import report\n"
        "sys.exit(report._plot_worker())\n"
    )
    return [sys.executable, "-c", code]


def _joblib_dump_half_then_fail(value: Any, filename: Any, *args: Any, **kwargs: Any) -> None:
    Path(filename).write_bytes(b"half a pickle")
    raise OSError(errno.ENOSPC, ENOSPC)


def _write_whole_half_then_fail(table: Any, where: Any, fmt: str, **kwargs: Any) -> None:
    if isinstance(where, str | os.PathLike):
        Path(where).write_bytes(b"half a table")
    raise OSError(errno.ENOSPC, ENOSPC)


@pytest.mark.parametrize(
    ("target", "replacement"),
    [
        ("joblib.dump", _joblib_dump_half_then_fail),
        ("ml_baseline.data._write_whole", _write_whole_half_then_fail),
        ("ml_baseline.report._worker_command", _plot_worker_with_full_disk),
        ("ml_baseline.report.write_plots", _disk_full),  # drawn here: no worker process
        ("ml_baseline.registry._fsync_tree", _disk_full),
    ],
    ids=["model", "tables", "plots", "plots-in-process", "fsync-before-commit"],
)
def test_disk_full_during_train(
    project: Path, monkeypatch: pytest.MonkeyPatch, target: str, replacement: Any
) -> None:
    models = project / "models"
    latest_file = models / registry.REGISTRY_DIR / registry.LATEST_FILE
    runs_before = folders(models / registry.RUNS_DIR)
    latest_before = latest_file.read_bytes()
    history_before = registry.read_history(models)
    monkeypatch.setattr(target, replacement)
    if target == "ml_baseline.report.write_plots":  # a plot worker that cannot be started
        monkeypatch.setattr("ml_baseline.report._worker_command", lambda: ["/no/such/python"])

    result = invoke(
        "train",
        "--target",
        TARGET,
        "--features",
        "data/processed/features.csv",
        "--models-dir",
        "models",
    )
    line = error_line(result)
    match = re.fullmatch(
        rf"Error: cannot write (.+?): {ENOSPC}; nothing was (saved|written there)", line
    )
    assert match, line
    assert Path(match.group(1)).is_relative_to(Path("models")), line  # names a path it wrote

    assert folders(models / registry.RUNS_DIR) == runs_before
    assert list((models / registry.STAGING_DIR).iterdir()) == []  # no folder, no lock file
    assert latest_file.read_bytes() == latest_before
    assert_registry_consistent(models)
    history = registry.read_history(models)
    assert history[: len(history_before)] == history_before
    (failure,) = history[len(history_before) :]
    assert failure["event"] == "train_failed"
    assert failure["reason"] == line.removeprefix("Error: ")
    assert failure["config"]["target"] == TARGET


def _fail_on_third_call(original: Any, partial: bytes | None) -> Any:
    calls = []

    def replacement(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            if partial is not None:
                args[1].write(partial)  # a torn batch reaches the file before the disk fills
            raise OSError(errno.ENOSPC, ENOSPC)
        return original(*args, **kwargs)

    return replacement


@pytest.mark.parametrize("name", ["preds.csv", "preds.parquet"])
@pytest.mark.parametrize("existing", [True, False], ids=["existing-output", "new-output"])
def test_disk_full_during_predict(
    project: Path, monkeypatch: pytest.MonkeyPatch, name: str, existing: bool
) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if name.endswith(".csv"):
        monkeypatch.setattr(pacsv, "write_csv", _fail_on_third_call(pacsv.write_csv, b"1,0.5"))
    else:
        original = pq.ParquetWriter.write_table
        monkeypatch.setattr(pq.ParquetWriter, "write_table", _fail_on_third_call(original, None))
    out_dir = project / "outputs" / "scored"
    out_dir.mkdir(parents=True)
    output = out_dir / name
    if existing:
        output.write_bytes(b"yesterday's scores\n")

    result = invoke(
        "predict",
        "--input",
        "data/processed/features.csv",
        "--output",
        output.relative_to(project),
        "--batch-size",
        "100",
    )
    line = error_line(result)
    assert line == (
        f"Error: cannot write {output.relative_to(project)}: {ENOSPC}; nothing was written there"
    )
    assert sorted(p.name for p in out_dir.iterdir()) == ([name] if existing else [])
    if existing:
        assert output.read_bytes() == b"yesterday's scores\n"


@pytest.mark.parametrize("output", ["outputs/scored", "outputs/scored.csv"])
def test_predict_output_that_is_a_folder(project: Path, output: str) -> None:
    folder = project / output
    folder.mkdir(parents=True)
    (folder / "keep.txt").write_text("mine")
    result = invoke("predict", "--input", "data/processed/features.csv", "--output", output)
    line = error_line(result)
    assert output in line, line
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]
    assert (folder / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in folder.parent.iterdir()) == [Path(output).name]  # no temp file


def test_predict_output_keeps_the_usual_file_mode(project: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        existing = project / "outputs" / "existing.csv"
        existing.parent.mkdir(parents=True, exist_ok=True)
        existing.write_text("old\n")
        existing.chmod(0o644)
        for output in ("outputs/new.csv", "outputs/existing.csv"):
            result = invoke("predict", "--input", "data/processed/features.csv", "--output", output)
            assert result.exit_code == 0, result.output
            mode = stat.S_IMODE((project / output).stat().st_mode)
            assert mode == 0o644, f"{output}: {mode:o}"
    finally:
        os.umask(old_umask)


# --- a modified model file is never unpickled ------------------------------------------------


@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_byte_appended_to_model_is_refused_before_unpickling(
    project: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    import joblib

    run_id = registry.latest_run_id(project / "models")
    model = project / "models" / registry.RUNS_DIR / run_id / registry.MODEL_FILE
    with open(model, "ab") as f:
        f.write(b"\x00")
    loads: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        loads.append(args)
        pytest.fail("joblib.load was called on a modified model file")

    monkeypatch.setattr(joblib, "load", refuse)
    args = ["--input", "data/processed/features.csv"]
    if command == "predict":
        args += ["--output", "outputs/preds.csv"]
    result = invoke(command, *args)
    line = error_line(result)
    assert str(Path("models") / registry.RUNS_DIR / run_id / registry.MODEL_FILE) in line, line
    assert "does not match the sha256" in line, line
    assert loads == []
    assert not (project / "outputs" / "preds.csv").exists()


# --- SIGTERM: timeout, CI cancellation, docker stop ------------------------------------------

TERMINATED = "Terminated; nothing was written."


def _plot_workers(cwd: Path) -> list[int]:
    """Return the pids of the live plot workers whose current folder is `cwd` (those of this
    test's processes; a zombie has no command line and does not count)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
            folder = Path(os.readlink(proc / "cwd"))
        except OSError:
            continue
        if b"ml_baseline.report" in command and folder == cwd.resolve():
            pids.append(int(proc.name))
    return pids


@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="reads /proc")
def test_sigterm_during_train_cleans_up_records_it_and_exits_143(tmp_path: Path, spawn) -> None:
    features, models = tmp_path / "features.csv", tmp_path / "models"
    staging = models / registry.STAGING_DIR
    write_sample_data(features)
    log = tmp_path / "train.log"
    process = spawn(train_command(features, models), log)

    # Terminated while the run is being written, its plots being drawn by the worker.
    writing = wait_for(lambda: bool(folders(staging)) and bool(_plot_workers(tmp_path)), process)
    assert writing is not None, log.read_text()
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=PROCESS_TIMEOUT) == 128 + signal.SIGTERM, log.read_text()

    assert log.read_text().splitlines() == [TERMINATED]
    assert list(staging.iterdir()) == []  # no staging folder, no lock file
    assert folders(models / registry.RUNS_DIR) == set()
    assert registry.latest_run_id(models) is None
    assert _plot_workers(tmp_path) == []  # stopped, not left drawing
    (failure,) = registry.read_history(models)
    assert failure["event"] == "train_failed"
    assert failure["reason"] == "terminated"
    assert failure["config"]["target"] == TARGET


def test_sigterm_during_predict_removes_its_temporary_file(
    tmp_path: Path, spawn, trained_project, big_input: Path
) -> None:
    models = trained_project[0] / "models"
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    output = out_dir / "preds.csv"
    output.write_bytes(b"user_id,score,prediction\n7,0.25,0\n")

    def scoring_started() -> bool:
        return any(p.stat().st_size > 0 for p in out_dir.glob(".preds.csv.*.tmp"))

    log = tmp_path / "predict.log"
    # Small batches: the first one reaches the temporary file after 1/300 of the work, so the
    # signal always lands while scoring goes on (with 100k-row batches it could land after).
    command = [*predict_command(models, big_input, output), "--batch-size", "1000"]
    process = spawn(command, log)
    assert wait_for(scoring_started, process) is not None, log.read_text()
    assert process.poll() is None, f"predict finished before SIGTERM: {log.read_text()}"
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=PROCESS_TIMEOUT) == 128 + signal.SIGTERM, log.read_text()

    assert log.read_text().splitlines() == [TERMINATED]
    assert [p.name for p in out_dir.iterdir()] == ["preds.csv"]  # no hidden temporary file
    assert output.read_bytes() == b"user_id,score,prediction\n7,0.25,0\n"


# --- after the commit: say what exists -------------------------------------------------------


def _latest_on_a_full_disk(path: Path, data: bytes) -> None:
    """registry.write_bytes_atomic, on a disk that fills up as latest.txt is written."""
    from ml_baseline.data import write_bytes_atomic

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "write_bytes", _disk_full)
        write_bytes_atomic(path, data)


@pytest.mark.parametrize(
    ("target", "replacement"),
    [
        ("ml_baseline.registry.set_latest", _disk_full),
        ("ml_baseline.registry.write_bytes_atomic", _latest_on_a_full_disk),
    ],
    ids=["set-latest", "latest-txt"],
)
def test_latest_not_updated_after_the_commit_names_the_complete_run(
    project: Path, monkeypatch: pytest.MonkeyPatch, target: str, replacement: Any
) -> None:
    models = project / "models"
    runs_before = folders(models / registry.RUNS_DIR)
    latest_before = registry.latest_run_id(models)
    with monkeypatch.context() as patch:
        patch.setattr(target, replacement)
        line = error_line(invoke("train", "--target", TARGET, "--models-dir", "models"))
    (run_id,) = folders(models / registry.RUNS_DIR) - runs_before
    where = Path("models") / registry.RUNS_DIR / run_id
    assert line == (
        f"Error: run {run_id} is complete in {where}, but latest.txt could not be updated: "
        f"{ENOSPC}; use --run {run_id}"
    )
    assert_registry_consistent(models)
    assert registry.latest_run_id(models) == latest_before
    failure = registry.read_history(models)[-1]
    assert failure["event"] == "train_failed"
    assert failure["reason"] == line.removeprefix("Error: ")

    # What the message says works.
    scored = invoke("predict", "--run", run_id, "--input", "data/processed/features.csv")
    assert scored.exit_code == 0, scored.output
    assert f"with run {run_id}" in scored.stdout


def _interrupt(*args: Any, **kwargs: Any) -> None:
    raise KeyboardInterrupt


def _commit_then_interrupt(original: Any) -> Any:
    def commit(self: Any, meta: Any) -> Any:
        original(self, meta)
        raise KeyboardInterrupt

    return commit


@pytest.mark.parametrize(
    "moment", ["before-latest-moves", "after-the-commit", "while-printing-the-results"]
)
def test_ctrl_c_after_the_commit_says_what_exists(
    project: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    models = project / "models"
    runs_before = folders(models / registry.RUNS_DIR)
    if moment == "before-latest-moves":
        monkeypatch.setattr("ml_baseline.registry.set_latest", _interrupt)
    elif moment == "after-the-commit":
        commit = _commit_then_interrupt(registry.StagedRun.commit)
        monkeypatch.setattr(registry.StagedRun, "commit", commit)
    else:
        monkeypatch.setattr("ml_baseline.cli._print_metrics", _interrupt)

    result = invoke("train", "--target", TARGET, "--models-dir", "models")
    assert result.exit_code == 130, result.output
    (run_id,) = folders(models / registry.RUNS_DIR) - runs_before
    where = Path("models") / registry.RUNS_DIR / run_id
    if moment == "before-latest-moves":
        said = f"run {run_id} is complete in {where}, but latest.txt was not updated; "
        said += f"use --run {run_id}"
    else:
        said = f"run {run_id} is complete in {where} and is the latest run"
    assert result.stderr.splitlines()[-1] == f"Interrupted; {said}."
    assert "nothing was written" not in result.stderr
    assert_registry_consistent(models)


def test_ctrl_c_after_predict_wrote_its_output_says_so(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ml_baseline.cli._print_predict", _interrupt)
    result = invoke("predict", "--input", "data/processed/features.csv", "--output", "p.csv")
    assert result.exit_code == 130, result.output
    assert result.stderr.splitlines()[-1] == "Interrupted; the predictions are complete in p.csv."
    assert (project / "p.csv").is_file()


def test_ctrl_c_after_make_sample_data_and_report_wrote_says_so(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer

    echo = typer.echo

    def interrupt_stdout(*args: Any, err: bool = False, **kwargs: Any) -> None:
        if not err:
            raise KeyboardInterrupt
        echo(*args, err=err, **kwargs)

    monkeypatch.setattr("typer.echo", interrupt_stdout)
    made = invoke("make-sample-data", "--output", "sample.csv")
    assert made.exit_code == 130, made.output
    assert made.stderr.splitlines()[-1] == "Interrupted; sample.csv is complete."
    assert (project / "sample.csv").is_file()

    shared = invoke("report", "--out", "shared")
    assert shared.exit_code == 130, shared.output
    assert shared.stderr.splitlines()[-1].startswith("Interrupted; the ")
    assert "report files are complete in shared" in shared.stderr


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        ("ml_baseline.cli._print_train", "is the latest run; the sample data is complete"),
        ("ml_baseline.cli._print_predict", "the predictions are complete in outputs/preds.csv"),
    ],
)
def test_ctrl_c_during_the_demo_says_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str, said: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(moment, _interrupt)
    result = invoke("demo")
    assert result.exit_code == 130, result.output
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Interrupted; ") and said in last, last
    assert "nothing was written" not in result.stderr
    assert (tmp_path / "data/processed/features.csv").is_file()


# --- reading a models folder one cannot write ------------------------------------------------

READING_COMMANDS = {
    "runs-list": ["runs", "list"],
    "runs-list-json": ["runs", "list", "--json"],
    "runs-show": ["runs", "show"],
    "runs-compare": ["runs", "compare", "latest", "latest"],
    "predict": ["predict", "--input", "data/processed/features.csv", "--output", "out/p.csv"],
    "evaluate": ["evaluate", "--input", "data/processed/features.csv"],
    "report": ["report", "--out", "shared"],
}
KILLED = ("2026-01-01T00-00-00Z__classification__seed1", "2026-01-01T00-00-00Z__regression__seed2")


def _leave_killed_runs(models: Path) -> None:
    """Leave what killed trainings leave in the staging area: a half-written run with its lock
    file (SIGKILL) and one without (killed while cleaning up)."""
    staging = models / registry.STAGING_DIR
    for run_id in KILLED:
        (staging / run_id / "model").mkdir(parents=True)
        (staging / run_id / "model" / "model.joblib").write_bytes(b"half a pickle")
    (staging / f"{KILLED[0]}.lock").touch()


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Return every path under `root`, folders included, with its mtime and size."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in [root, *root.rglob("*")]
    }


def _check_read(command: str, result: Any) -> None:
    assert result.exit_code == 0, result.output
    if command == "runs-list":  # the leftovers are still reported, as killed runs
        assert "2 incomplete run(s)" in result.stderr, result.stderr
    if command == "runs-list-json":
        incomplete = json.loads(result.stdout)["incomplete"]
        assert [(item["run_id"], item["in_progress"]) for item in incomplete] == [
            (run_id, False) for run_id in KILLED
        ]


@pytest.mark.parametrize("command", sorted(READING_COMMANDS))
def test_reading_commands_create_or_modify_nothing_in_the_models_folder(
    project: Path, command: str
) -> None:
    models = project / "models"
    _leave_killed_runs(models)
    before = _snapshot(models)
    _check_read(command, invoke(*READING_COMMANDS[command]))
    assert _snapshot(models) == before


def _refuse_writes_under(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every write under `root` fail as in a folder the user may only read."""
    import builtins
    import io

    def inside(path: Any) -> bool:
        return not isinstance(path, int) and Path(os.path.abspath(path)).is_relative_to(root)

    def refuse(path: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    real_open, real_os_open = builtins.open, os.open

    def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if inside(file) and any(flag in mode for flag in "wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
        if inside(path) and flags & writes:
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io, "open", open_)
    monkeypatch.setattr(os, "open", os_open)
    for name in ("mkdir", "rename", "replace", "unlink", "rmdir"):
        real = getattr(os, name)

        def changes(path: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            if inside(path):
                refuse(path)
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, changes)


@pytest.mark.parametrize("command", sorted(READING_COMMANDS))
def test_reading_commands_work_in_a_models_folder_they_cannot_write(
    project: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    models = project / "models"
    _leave_killed_runs(models)
    _refuse_writes_under(models.resolve(), monkeypatch)
    _check_read(command, invoke(*READING_COMMANDS[command]))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write whatever the modes say")
def test_reading_commands_work_in_a_read_only_models_folder(project: Path) -> None:
    models = project / "models"
    _leave_killed_runs(models)
    paths = [models, *models.rglob("*")]
    for path in paths:
        path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)
    try:
        for command, args in sorted(READING_COMMANDS.items()):
            _check_read(command, invoke(*args))
    finally:
        for path in paths:
            path.chmod(stat.S_IMODE(path.stat().st_mode) | 0o200)


def test_gc_in_a_models_folder_it_cannot_write_is_one_clear_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = project / "models"
    _leave_killed_runs(models)
    before = _snapshot(models)
    _refuse_writes_under(models.resolve(), monkeypatch)
    line = error_line(invoke("runs", "gc"))
    assert line.startswith(f"Error: cannot remove the leftovers in {Path('models/.staging')}: ")
    assert "Permission denied" in line and "needs write access" in line, line
    monkeypatch.undo()
    assert _snapshot(models) == before


@pytest.mark.parametrize(
    ("stop", "code", "line"),
    [
        ("Terminated", 128 + signal.SIGTERM, "Terminated; nothing was written."),
        ("KeyboardInterrupt", 128 + signal.SIGINT, "Interrupted; nothing was written."),
    ],
)
def test_a_signal_while_options_are_parsed_is_reported_like_one_during_the_command(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stop: str,
    code: int,
    line: str,
) -> None:
    # The signal lands before any command code runs: Typer alone would exit 130 silently.
    import typer.core

    from ml_baseline import cli, errors

    def stopped(*args: Any, **kwargs: Any) -> Any:
        raise errors.Terminated() if stop == "Terminated" else KeyboardInterrupt()

    monkeypatch.setattr(typer.core.TyperGroup, "parse_args", stopped)
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)  # keep pytest's handlers
    monkeypatch.setattr(cli.gc, "freeze", lambda: None)  # keep pytest's objects collectable
    monkeypatch.setattr(cli.gc, "set_threshold", lambda *args: None)
    monkeypatch.setattr(sys, "argv", ["ml-baseline", "runs", "list"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == code
    assert capsys.readouterr().err.splitlines()[-1] == line
