"""The run registry: run ids, the run folder layout, staging and commit of runs, the `latest`
pointer, resolving and listing runs, and loading a run's model safely.

Layout under the models folder (default `models/`):

    registry/latest.txt     id of the newest complete run
    runs/<run_id>/          complete runs only; each holds run_meta.json
    .staging/<run_id>/      runs being written; renamed into runs/ when complete

A run appears in runs/ in one rename, so it is either complete or absent.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ml_baseline.data import sha256_file, write_bytes_atomic
from ml_baseline.errors import MLBaselineError

RUNS_DIR = "runs"
STAGING_DIR = ".staging"
REGISTRY_DIR = "registry"
LATEST_FILE = "latest.txt"
RUN_META = "run_meta.json"
MODEL_FILE = "model/model.joblib"
SCHEMA_FILE = "schema/input_schema.json"
RUN_FORMAT_VERSION = 1

# What a run id may look like when given by name: no separators, no leading dot, so a name can
# never reach outside runs/.
_RUN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+-]*")
_KEY_PACKAGES = ("ml-baseline", "scikit-learn", "pandas", "numpy", "pyarrow", "joblib", "typer")


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def base_run_id(started: datetime, task: str, seed: int) -> str:
    """Return the id of a run started at `started`: 2026-01-01T17-27-09Z__classification__seed42."""
    return f"{started:%Y-%m-%dT%H-%M-%SZ}__{task}__seed{seed}"


def dumps_json(data: Any) -> str:
    """Return indented JSON with a final newline: how every JSON file of a run is written."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


class StagedRun:
    """A run folder being written in the staging area; `commit` moves it into runs/."""

    def __init__(self, models_dir: Path, run_id: str, path: Path) -> None:
        self.models_dir = models_dir
        self.run_id = run_id
        self.path = path

    def file(self, relative: str) -> Path:
        """Return the staging path of an artifact, creating its folder."""
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_json(self, relative: str, data: Any) -> None:
        self.file(relative).write_text(dumps_json(data), encoding="utf-8")

    def write_text(self, relative: str, text: str) -> None:
        self.file(relative).write_text(text, encoding="utf-8")

    def commit(self, meta: dict[str, Any]) -> Path:
        """Record every artifact's sha256 in run_meta.json, move the run into runs/, point
        `latest` at it and note both in the history. Returns the final run folder."""
        meta["artifacts"] = {
            path.relative_to(self.path).as_posix(): sha256_file(path)
            for path in sorted(self.path.rglob("*"))
            if path.is_file()
        }
        self.write_json(RUN_META, meta)
        final = self.models_dir / RUNS_DIR / self.run_id
        final.parent.mkdir(parents=True, exist_ok=True)
        _fsync_tree(self.path)  # the files are on disk before the rename makes them visible
        with registry_lock(self.models_dir):
            # rename() refuses to replace a non-empty folder, so a run is never overwritten.
            os.rename(self.path, final)
            self.path = final
            _append_history(self.models_dir, {"event": "run_committed", "run_id": self.run_id})
            set_latest(self.models_dir, self.run_id)
        return final


@contextlib.contextmanager
def staged_run(models_dir: Path, base_id: str) -> Iterator[StagedRun]:
    """Yield a StagedRun with a fresh, unique run id; remove it if the block fails.

    The id is reserved by locking `<id>.lock` and creating the `<id>` folder in the staging
    area, so two runs started in the same second get distinct ids: base_id, base_id-2, ...
    The lock is held until the block ends: a staging folder whose lock is free belongs to a
    run that was killed, which `runs gc` may remove.
    """
    staging = models_dir / STAGING_DIR
    try:
        staging.mkdir(parents=True, exist_ok=True)
        owner, run_id, path = _reserve(models_dir, base_id)
    except OSError as exc:
        raise _write_error(staging, exc) from exc
    run = StagedRun(models_dir, run_id, path)
    try:
        yield run
    except BaseException as exc:
        shutil.rmtree(path, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from exc
        raise
    finally:
        (staging / f"{run_id}.lock").unlink(missing_ok=True)
        owner.close()  # releases the lock


def _reserve(models_dir: Path, base_id: str) -> tuple[Any, str, Path]:
    staging, runs = models_dir / STAGING_DIR, models_dir / RUNS_DIR
    for attempt in range(1, 10_000):
        run_id = base_id if attempt == 1 else f"{base_id}-{attempt}"
        owner = _try_lock(staging / f"{run_id}.lock")
        if owner is None:
            continue  # another live run holds this id
        path = staging / run_id
        try:
            path.mkdir()
        except FileExistsError:  # a killed run's leftovers: keep them for runs gc
            owner.close()
            continue
        if (runs / run_id).exists():
            path.rmdir()
            owner.close()
            continue
        return owner, run_id, path
    raise MLBaselineError(f"could not find a free run id for {base_id} in {runs}")


def _try_lock(path: Path) -> Any:
    """Return the open file holding an exclusive lock on `path`, or None if another process
    holds it. The lock dies with the process, so a killed run never leaves a stale one."""
    import fcntl

    handle = open(path, "a+b")  # noqa: SIM115 - the caller owns the handle (and the lock)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


@contextlib.contextmanager
def registry_lock(models_dir: Path) -> Iterator[None]:
    """Hold the registry's lock: commits, `latest` moves, history lines and gc are serialised.
    Held only for moments (no training happens under it), so waiting for it is short."""
    import fcntl

    lock_path = models_dir / REGISTRY_DIR / ".lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())


def _write_error(path: Path, exc: OSError) -> MLBaselineError:
    where = exc.filename or path
    return MLBaselineError(f"cannot write {where}: {exc.strerror or exc}; nothing was saved")


def set_latest(models_dir: Path, run_id: str) -> None:
    """Point models/registry/latest.txt at `run_id`, atomically, and note it in the history."""
    write_bytes_atomic(models_dir / REGISTRY_DIR / LATEST_FILE, f"{run_id}\n".encode())
    _append_history(models_dir, {"event": "latest_moved", "run_id": run_id})


# --- history ---------------------------------------------------------------------------------

HISTORY_FILE = "history.jsonl"


def _append_history(models_dir: Path, event: dict[str, Any]) -> None:
    """Append one event to models/registry/history.jsonl (call with the registry lock held)."""
    line = json.dumps({"time": iso(utc_now()), **event}, default=str, ensure_ascii=False)
    path = models_dir / REGISTRY_DIR / HISTORY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def record_failure(models_dir: Path, reason: str, config: dict[str, Any]) -> None:
    """Note a failed training in the history, so that it can be debugged afterwards.

    Only in an existing models folder: a typo in --models-dir must not create a registry."""
    if not models_dir.is_dir():
        return
    with contextlib.suppress(OSError), registry_lock(models_dir):
        _append_history(models_dir, {"event": "train_failed", "reason": reason, "config": config})


def read_history(models_dir: Path) -> list[dict[str, Any]]:
    """Return the registry's history events, oldest first (unreadable lines are skipped)."""
    path = models_dir / REGISTRY_DIR / HISTORY_FILE
    if not path.is_file():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError):
            events.append(json.loads(line))
    return events


# --- leftovers of killed runs ------------------------------------------------------------------


def staging_leftovers(models_dir: Path) -> list[dict[str, Any]]:
    """Return the staging folders: {"run_id", "path", "in_progress"}. A folder whose owner
    lock is free belongs to a run that was killed (or crashed) before it completed."""
    staging = models_dir / STAGING_DIR
    if not staging.is_dir():
        return []
    found = []
    for path in sorted(p for p in staging.iterdir() if p.is_dir()):
        owner = _try_lock(staging / f"{path.name}.lock")
        found.append({"run_id": path.name, "path": str(path), "in_progress": owner is None})
        if owner is not None:
            owner.close()
    return found


def collect_garbage(models_dir: Path) -> list[str]:
    """Remove the staging folders of runs that were killed; return their ids. Runs still
    being written are left alone."""
    staging = models_dir / STAGING_DIR
    removed = []
    with registry_lock(models_dir):
        for leftover in staging_leftovers(models_dir):
            lock_path = staging / f"{leftover['run_id']}.lock"
            owner = _try_lock(lock_path)
            if owner is None:
                continue
            try:
                shutil.rmtree(leftover["path"])
                lock_path.unlink(missing_ok=True)
                removed.append(leftover["run_id"])
            finally:
                owner.close()
        if removed:
            _append_history(models_dir, {"event": "gc", "removed": removed})
    return removed


def latest_run_id(models_dir: Path) -> str | None:
    """Return the id in latest.txt, or None when no run was committed yet."""
    pointer = models_dir / REGISTRY_DIR / LATEST_FILE
    try:
        text = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return text or None


def resolve_run(models_dir: Path, ref: str) -> Path:
    """Return the folder of the run named by `ref`: "latest", a run id, or a run folder path."""
    if ref == "latest":
        run_id = latest_run_id(models_dir)
        if run_id is None:
            raise MLBaselineError(
                f"no trained run in {models_dir}/ yet; train one with "
                "`ml-baseline train --target COLUMN` (or pass --models-dir)"
            )
        if not _RUN_NAME.fullmatch(run_id):
            raise MLBaselineError(
                f"{models_dir / REGISTRY_DIR / LATEST_FILE} holds {run_id!r}, which is not a "
                "run id; train again or pass --run RUN_ID"
            )
        return _existing_run(models_dir / RUNS_DIR / run_id, f"latest run {run_id!r}")
    if ".." in Path(ref).parts:
        raise MLBaselineError(
            f"--run {ref!r} contains '..'; pass latest, a run id, or the path of a run folder"
        )
    if _RUN_NAME.fullmatch(ref):
        candidate = models_dir / RUNS_DIR / ref
        if candidate.is_dir():
            return _existing_run(candidate, f"run {ref!r}")
        if not Path(ref).is_dir():
            raise MLBaselineError(
                f"unknown run {ref!r} in {models_dir / RUNS_DIR}; "
                "`ml-baseline runs list` shows the runs"
            )
    return _existing_run(Path(ref), f"run folder {ref!r}")


def _existing_run(path: Path, what: str) -> Path:
    if not path.is_dir():
        raise MLBaselineError(f"{what} not found at {path}; `ml-baseline runs list` shows the runs")
    if not (path / RUN_META).is_file():
        raise MLBaselineError(
            f"{path} is not a complete run folder (no {RUN_META}); pass another run"
        )
    return path


def load_run_meta(run_dir: Path) -> dict[str, Any]:
    """Return a run's run_meta.json, or raise a clear error if it is unreadable."""
    path = run_dir / RUN_META
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MLBaselineError(f"{run_dir} has no {RUN_META}; it is not a complete run") from exc
    except (OSError, ValueError) as exc:
        raise MLBaselineError(f"cannot read {path}: {exc}; the run folder is damaged") from exc
    if not isinstance(meta, dict) or meta.get("status") != "complete":
        raise MLBaselineError(f"{path} does not describe a complete run; pass another run")
    return meta


def load_model(run_dir: Path, meta: dict[str, Any]) -> Any:
    """Return the run's fitted pipeline, after checking model.joblib against its recorded sha256.

    joblib files are pickles, which can run code when loaded: a file that differs from what
    training wrote is refused before it is unpickled.
    """
    path = run_dir / MODEL_FILE
    expected = meta.get("artifacts", {}).get(MODEL_FILE)
    if not path.is_file():
        raise MLBaselineError(f"{path} is missing; the run folder is incomplete, retrain")
    if not expected:
        raise MLBaselineError(
            f"{run_dir / RUN_META} records no sha256 for {MODEL_FILE}; refusing to load it"
        )
    actual = sha256_file(path)
    if actual != expected:
        raise MLBaselineError(
            f"{path} does not match the sha256 recorded at training ({actual[:12]}... != "
            f"{expected[:12]}...); it was modified, so it is not loaded; retrain or restore it"
        )
    import joblib

    return joblib.load(path)


def list_runs(models_dir: Path) -> list[dict[str, Any]]:
    """Return the run_meta of every complete run in the registry, oldest first."""
    runs_dir = models_dir / RUNS_DIR
    if not runs_dir.is_dir():
        return []
    metas = []
    for path in runs_dir.iterdir():
        if path.is_dir() and not path.name.startswith("."):
            with contextlib.suppress(MLBaselineError):
                metas.append(load_run_meta(path))
    return sorted(metas, key=lambda meta: (meta.get("started_at", ""), meta.get("run_id", "")))


# --- what a run records about where it ran ----------------------------------------------------


def installed_distributions() -> list[str]:
    """Return "name==version" for every installed distribution, sorted: a pip freeze that also
    works in a uv environment, which has no pip."""
    from importlib import metadata

    seen = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            seen[name.lower()] = f"{name}=={dist.version}"
    return [seen[key] for key in sorted(seen)]


def package_versions() -> dict[str, str | None]:
    """Return the versions of the packages that decide what a run computes."""
    from importlib import metadata

    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in _KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def environment() -> dict[str, Any]:
    """Return the machine and interpreter facts saved as env/env_meta.json."""
    return {
        "python": sys.version,
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "executable": sys.executable,
        "packages": package_versions(),
    }


def git_state(where: Path) -> dict[str, Any]:
    """Return {"commit", "dirty"} of the git work tree at `where`, or nulls outside one."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=where, capture_output=True, text=True, timeout=10
        )
        if commit.returncode != 0:
            return {"commit": None, "dirty": None}
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=where, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    dirty = bool(status.stdout.strip()) if status.returncode == 0 else None
    return {"commit": commit.stdout.strip(), "dirty": dirty}


# --- comparing runs ---------------------------------------------------------------------------

_COMPARED_METRICS = ("roc_auc", "pr_auc", "accuracy", "precision", "recall", "f1", "log_loss")
_COMPARED_METRICS += ("brier", "positive_rate")


def compare_runs(run_a: Path, run_b: Path, *, show_all: bool = False) -> list[dict[str, Any]]:
    """Return rows {field, a, b, delta} comparing two runs' config, data and holdout metrics;
    only the fields that differ unless `show_all`. delta is b - a for numbers."""
    flat_a, flat_b = _comparable(run_a), _comparable(run_b)
    rows = []
    for field in dict.fromkeys([*flat_a, *flat_b]):
        a, b = flat_a.get(field), flat_b.get(field)
        if a == b and not show_all:
            continue
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
        rows.append({"field": field, "a": a, "b": b, "delta": b - a if numbers else None})
    return rows


def _comparable(run_dir: Path) -> dict[str, Any]:
    """Return the facts of a run worth comparing, flattened to "section.name" keys."""
    meta = load_run_meta(run_dir)
    try:
        holdout = json.loads((run_dir / "metrics/holdout_metrics.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise MLBaselineError(f"cannot read the holdout metrics of {run_dir}: {exc}") from exc
    flat: dict[str, Any] = {}
    for key, value in meta.get("config", {}).items():
        if key not in ("models_dir",):
            flat[f"config.{key}"] = ", ".join(value) if isinstance(value, list) else value
    dataset = meta.get("dataset", {})
    for key in ("path", "sha256", "rows"):
        flat[f"dataset.{key}"] = dataset.get(key)
    for key, value in meta.get("rows", {}).items():
        flat[f"rows.{key}"] = value
    flat["threshold"] = meta.get("threshold")
    for key in _COMPARED_METRICS:
        flat[f"model.{key}"] = holdout.get(key)
    for key in _COMPARED_METRICS:
        flat[f"baseline.{key}"] = holdout.get("baseline", {}).get(key)
    flat["suspected_leakage"] = ", ".join(meta.get("suspected_leakage", [])) or None
    flat["git.commit"] = (meta.get("git") or {}).get("commit")
    flat["git.dirty"] = (meta.get("git") or {}).get("dirty")
    for key, value in meta.get("versions", {}).items():
        flat[f"versions.{key}"] = value
    return flat
