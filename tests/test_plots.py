"""The plot worker: a child process that draws a run's plots while the training goes on."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import tree
from ml_baseline import report
from ml_baseline.report import PlotJob, PlotWorker
from ml_baseline.tasks import get_task

RNG = np.random.default_rng(0)
N = 300
CASES = {
    "binary": (None, RNG.integers(0, 2, N), RNG.random(N), 0.4),
    "multiclass": (["a", 2, True], RNG.integers(0, 3, N), RNG.dirichlet([1, 1, 1], N), None),
    "regression": (None, RNG.normal(size=N), RNG.normal(size=N), None),
}


@pytest.mark.parametrize("task", sorted(CASES))
def test_worker_draws_every_plot_of_the_task_and_leaves_nothing_else(tmp_path: Path, task: str):
    labels, y, out, threshold = CASES[task]
    with PlotWorker() as worker:
        worker.draw(PlotJob(tmp_path / "plots", task, labels, y, out, threshold, 1))
        worker.wait()
    drawn = sorted(p.name for p in (tmp_path / "plots").iterdir())
    assert drawn == sorted(get_task(task).plots)
    assert all((tmp_path / "plots" / name).read_bytes().startswith(b"\x89PNG") for name in drawn)


def test_worker_draws_into_a_folder_with_any_name(tmp_path: Path):
    labels, y, out, threshold = CASES["regression"]
    plots_dir = tmp_path / "runs\nwith a line break, spaces and ü" / "plots"
    with PlotWorker() as worker:
        worker.draw(PlotJob(plots_dir, "regression", labels, y, out, threshold, 1))
        worker.wait()
    assert sorted(p.name for p in plots_dir.iterdir()) == sorted(get_task("regression").plots)


def test_worker_and_this_process_draw_the_same_files(tmp_path: Path):
    labels, y, out, threshold = CASES["binary"]
    with PlotWorker() as worker:
        worker.draw(PlotJob(tmp_path / "worker", "binary", labels, y, out, threshold, 1))
        worker.wait()
    report.write_plots(PlotJob(tmp_path / "here", "binary", labels, y, out, threshold, 1))
    for name in get_task("binary").plots:
        assert (tmp_path / "worker" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()


def test_the_worker_never_makes_again_a_folder_removed_under_it(tmp_path: Path):
    # A SIGKILLed training's worker draws on, orphaned; when `runs gc` removed the staged run
    # meanwhile, its mkdir made the run folder again, a half run found by the next `runs gc`
    # (tests/test_reliability.py, under load). The worker draws only into the folder its
    # parent made.
    labels, y, out, threshold = CASES["regression"]
    gone = tmp_path / "staging" / "run" / "plots"
    job = PlotJob(gone, "regression", labels, y, out, threshold, 1)
    with pytest.raises(OSError):
        report.write_plots(job, create=False)
    assert not (tmp_path / "staging").exists()
    report.write_plots(job)  # drawn in this process, the folder is made
    assert sorted(p.name for p in gone.iterdir()) == sorted(get_task("regression").plots)


def test_a_failing_worker_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    crash = "import sys; sys.stdin.readline(); raise SystemExit('font cache is corrupt')"
    monkeypatch.setattr(report, "_worker_command", lambda: [sys.executable, "-c", crash])
    labels, y, out, threshold = CASES["binary"]
    with PlotWorker() as worker:
        worker.draw(PlotJob(tmp_path / "plots", "binary", labels, y, out, threshold, 1))
        with pytest.raises(
            RuntimeError, match=r"drawing the plots in .* font cache is corrupt"
        ) as raised:
            worker.wait()
    assert "font cache is corrupt" in str(raised.value.__cause__)  # what --debug shows
    assert list((tmp_path / "plots").iterdir()) == []  # its inputs are not left behind


def test_leaving_early_stops_the_worker(tmp_path: Path):
    with pytest.raises(KeyboardInterrupt), PlotWorker() as worker:
        child = worker._child
        raise KeyboardInterrupt
    assert child.returncode is not None  # stopped and reaped, not left running


def test_without_a_worker_process_the_plots_are_drawn_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(report, "_worker_command", lambda: [str(tmp_path / "no-such-python")])
    labels, y, out, threshold = CASES["regression"]
    with PlotWorker() as worker:
        worker.draw(PlotJob(tmp_path / "plots", "regression", labels, y, out, threshold, 1))
        worker.wait()
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == sorted(
        get_task("regression").plots
    )


def _exited(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # a zombie has exited; only its parent's reaping is left


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_worker_exits_by_itself_when_the_training_is_killed():
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\n"
            "from ml_baseline.report import PlotWorker\n"
            "worker = PlotWorker()\n"
            "print(worker._child.pid, flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    with parent:
        worker_pid = int(parent.stdout.readline())
        parent.kill()  # SIGKILL: no clean-up code runs
    deadline = time.monotonic() + 30
    while not _exited(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _exited(worker_pid)


def test_train_with_a_failing_worker_keeps_the_error_contract(
    project: Path, monkeypatch: pytest.MonkeyPatch
):
    from typer.testing import CliRunner

    from ml_baseline.cli import app

    crash = "import sys; sys.stdin.readline(); raise SystemExit('font cache is corrupt')"
    monkeypatch.setattr(report, "_worker_command", lambda: [sys.executable, "-c", crash])
    before = tree(project)
    result = CliRunner().invoke(app, ["train", "--target", "is_high_value"])
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: unexpected RuntimeError: drawing the plots in ")
    assert "font cache is corrupt" in last and "--debug" in last
    assert tree(project) - before <= {"models/registry/history.jsonl"}  # the failure, noted

    debug = CliRunner().invoke(app, ["--debug", "train", "--target", "is_high_value"])
    assert isinstance(debug.exception, RuntimeError)
    assert "font cache is corrupt" in str(debug.exception.__cause__)


# --- the user's matplotlib backend -----------------------------------------------------------

JUPYTER_BACKEND = "module://matplotlib_inline.backend_inline"  # what Jupyter sets


def _train_in_a_process(
    tmp_path: Path, backend: str, *before: str
) -> subprocess.CompletedProcess[str]:
    """Run `train` in a fresh process (matplotlib not yet imported) with MPLBACKEND=backend,
    after the Python statements `before`; it prints MPLBACKEND as it was at the end."""
    from ml_baseline.data import write_sample_data

    write_sample_data(tmp_path / "features.csv", n_users=300)
    code = "\n".join(
        [
            "import os",
            "from ml_baseline import cli, report",
            *before,
            "try:",
            "    cli.main()",
            "finally:",
            "    print('MPLBACKEND at the end:', os.environ.get('MPLBACKEND'))",
        ]
    )
    env = {key: value for key, value in os.environ.items() if key != "ML_BASELINE_DEBUG"}
    env["MPLBACKEND"] = backend
    return subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "train",
            "--target",
            "is_high_value",
            "--features",
            "features.csv",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _drew_every_plot(project: Path) -> bool:
    (run,) = (project / "models" / "runs").iterdir()
    return sorted(p.name for p in (run / "plots").iterdir()) == sorted(get_task("binary").plots)


@pytest.mark.parametrize("backend", [JUPYTER_BACKEND, "no-such-backend"])
def test_train_draws_its_plots_whatever_the_users_backend(tmp_path: Path, backend: str):
    done = _train_in_a_process(tmp_path, backend)
    assert done.returncode == 0, done.stderr
    assert _drew_every_plot(tmp_path)
    assert f"MPLBACKEND at the end: {backend}" in done.stdout  # the user's, untouched


def test_plots_drawn_in_this_process_ignore_the_users_backend_too(tmp_path: Path):
    no_worker = "report._worker_command = lambda: ['/no/such/python']"
    done = _train_in_a_process(tmp_path, JUPYTER_BACKEND, no_worker)
    assert done.returncode == 0, done.stderr
    assert _drew_every_plot(tmp_path)
    assert f"MPLBACKEND at the end: {JUPYTER_BACKEND}" in done.stdout
