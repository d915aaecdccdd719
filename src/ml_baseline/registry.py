"""The run registry: run ids, the run folder layout, staging and commit of runs, the `latest`
pointer, resolving and listing runs, and loading a run's model safely.

Layout under the models folder (default `models/`):

    registry/latest.txt     id of the newest complete run
    runs/<run_id>/          complete runs only; each holds run_meta.json and MANIFEST.sha256
    .staging/<run_id>/      runs being written; renamed into runs/ when complete

A run appears in runs/ in one rename, so it is either complete or absent. A complete run is
read through a `RunFolder`: every file is checked against its sha256 in MANIFEST.sha256
(`sha256sum -c` format, so a person can check it by hand) before it is used, and the values
read are validated, so that a damaged or edited folder is one clear error.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
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
from typing import TYPE_CHECKING, Any

from ml_baseline.data import sha256_file, sync_to_disk, try_lock, write_bytes_atomic
from ml_baseline.errors import MLBaselineError
from ml_baseline.records import RUN_NAME, RunMeta
from ml_baseline.schema import InputSchema
from ml_baseline.tasks import Task, get_task

if TYPE_CHECKING:
    import numpy as np

    from ml_baseline.audit import AuditResult
    from ml_baseline.drift import Profile

RUNS_DIR = "runs"
STAGING_DIR = ".staging"
REGISTRY_DIR = "registry"
LATEST_FILE = "latest.txt"
RUN_META = "run_meta.json"
MANIFEST = "MANIFEST.sha256"
MODEL_FILE = "model/model.joblib"
SCHEMA_FILE = "schema/input_schema.json"
HOLDOUT_METRICS = "metrics/holdout_metrics.json"
BASELINE_METRICS = "metrics/baseline_holdout.json"
LEAKAGE_AUDIT = "metrics/leakage_audit.json"
FEATURE_IMPORTANCE = "metrics/feature_importance.json"
REFERENCE_PROFILE = "monitoring/reference_profile.json"  # what drift.py compares inputs with
TRAINING_ROWS = "monitoring/training_rows.parquet"  # a hash per training row, sorted
ERROR_ANALYSIS = "tables/error_analysis.csv"
SLICE_METRICS = "tables/slice_metrics.csv"
PLOTS_DIR = "plots"
REPORTS_DIR = "reports"
# 2: MANIFEST.sha256 lists every file, run_meta.json included. 1: run_meta.json's "artifacts"
# listed the others (still read).
RUN_FORMAT_VERSION = 2

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

    # Reading back what this run wrote (for its documents): nothing to verify yet.

    def read_json(self, relative: str) -> Any:
        return json.loads((self.path / relative).read_text(encoding="utf-8"))

    def read_rows(self, relative: str) -> list[dict[str, str]]:
        with open(self.path / relative, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    def files(self, prefix: str = "") -> list[str]:
        names = (p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file())
        return sorted(name for name in names if name.startswith(prefix))

    def commit(self, meta: RunMeta) -> RunFolder:
        """Write run_meta.json and MANIFEST.sha256 (the sha256 of every file), move the run
        into runs/, point `latest` at it and note both in the history. Returns the run."""
        self.write_json(RUN_META, meta.to_dict())
        manifest = {
            path.relative_to(self.path).as_posix(): sha256_file(path)
            for path in sorted(self.path.rglob("*"))
            if path.is_file() and path.name != MANIFEST
        }
        self.write_text(MANIFEST, "".join(f"{sha}  {name}\n" for name, sha in manifest.items()))
        final = self.models_dir / RUNS_DIR / self.run_id
        final.parent.mkdir(parents=True, exist_ok=True)
        _fsync_tree(self.path)  # the files are on disk before the rename makes them visible
        with registry_lock(self.models_dir):
            # rename() refuses to replace a non-empty folder, so a run is never overwritten.
            os.rename(self.path, final)
            self.path = final
            _append_history(self.models_dir, {"event": "run_committed", "run_id": self.run_id})
            set_latest(self.models_dir, self.run_id)
        return RunFolder(final, meta, manifest)


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
    try:
        yield StagedRun(models_dir, run_id, path)
    except BaseException as exc:
        if not path.exists() and (models_dir / RUNS_DIR / run_id).is_dir():
            # Renamed into runs/: the run is complete, whatever failed after.
            _report_committed(models_dir, run_id, exc)
            raise
        shutil.rmtree(path, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from exc
        raise
    finally:
        (staging / f"{run_id}.lock").unlink(missing_ok=True)
        owner.close()  # releases the lock


def _report_committed(models_dir: Path, run_id: str, exc: BaseException) -> None:
    """Make what is reported of a failure after the run's commit say that the run exists: a
    failed write becomes an error naming the run; an interruption (or a bug) gets a note that
    the CLI prints instead of "nothing was written"."""
    if isinstance(exc, OSError | MLBaselineError):
        raise MLBaselineError(committed_state(models_dir, run_id, _write_failure(exc))) from exc
    exc.add_note(committed_state(models_dir, run_id))


def _write_failure(exc: OSError | MLBaselineError) -> str:
    """Return the system's words for a failed write (an MLBaselineError carries its OSError)."""
    cause = exc if isinstance(exc, OSError) else exc.__cause__
    if isinstance(cause, OSError):
        return cause.strerror or str(cause)
    return str(exc)


def committed_state(models_dir: Path, run_id: str, failure: str | None = None) -> str:
    """Return what exists once run `run_id` is in runs/, for the line that reports a failure or
    an interruption after that moment: the run, and whether `latest` names it (a failed write
    `failure` is why not)."""
    where = models_dir / RUNS_DIR / run_id
    try:
        is_latest = latest_run_id(models_dir) == run_id
    except (OSError, ValueError):
        is_latest = False
    if is_latest:  # then only the history's line can have failed
        said = f"run {run_id} is complete in {where} and is the latest run"
        return said + (f", but {HISTORY_FILE} could not be written: {failure}" if failure else "")
    not_updated = f"could not be updated: {failure}" if failure else "was not updated"
    return (
        f"run {run_id} is complete in {where}, but {LATEST_FILE} {not_updated}; use --run {run_id}"
    )


def _reserve(models_dir: Path, base_id: str) -> tuple[Any, str, Path]:
    staging, runs = models_dir / STAGING_DIR, models_dir / RUNS_DIR
    for attempt in range(1, 10_000):
        run_id = base_id if attempt == 1 else f"{base_id}-{attempt}"
        lock = staging / f"{run_id}.lock"
        owner = try_lock(lock)
        if owner is None:
            continue  # another live run holds this id
        path = staging / run_id
        made = False
        try:
            try:
                path.mkdir()
                made = True
            except FileExistsError:  # a killed run's leftovers: keep them for runs gc
                owner.close()
                continue
            if (runs / run_id).exists():
                path.rmdir()
                owner.close()
                continue
            return owner, run_id, path
        except BaseException:
            # Ctrl-C or SIGTERM between taking the id and handing it over: nothing else
            # would remove what was made for it.
            if made:
                shutil.rmtree(path, ignore_errors=True)
            lock.unlink(missing_ok=True)
            owner.close()
            raise
    raise MLBaselineError(f"could not find a free run id for {base_id} in {runs}")


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
            sync_to_disk(path)


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
        in_progress = _is_locked(staging / f"{path.name}.lock")
        found.append({"run_id": path.name, "path": str(path), "in_progress": in_progress})
    return found


def _is_locked(path: Path) -> bool:
    """Return whether a live process holds the lock at `path`, creating and changing nothing:
    reading commands must work in a models folder the user may only read (flock needs no write
    access), and leave it as it was."""
    import fcntl

    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, which releases the probe
    except FileNotFoundError:
        return False  # an owner holds its lock file until it has removed its staging folder
    except OSError:
        return False  # cannot tell: shown as left over; `runs gc` locks before removing
    with handle:
        try:
            # Shared: two readers probing at once do not see each other as a live run.
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False


def collect_garbage(models_dir: Path) -> list[str]:
    """Remove the staging folders of runs that were killed; return their ids. Runs still
    being written are left alone."""
    staging = models_dir / STAGING_DIR
    removed = []
    try:
        with registry_lock(models_dir):
            for leftover in staging_leftovers(models_dir):
                lock_path = staging / f"{leftover['run_id']}.lock"
                owner = try_lock(lock_path)
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
    except OSError as exc:  # a models folder this user may only read, say
        done = f" (removed before that: {', '.join(removed)})" if removed else ""
        raise MLBaselineError(
            f"cannot remove the leftovers in {staging}: {exc.filename or models_dir}: "
            f"{exc.strerror or exc}{done}; `runs gc` needs write access to the models folder"
        ) from exc
    return removed


def latest_run_id(models_dir: Path) -> str | None:
    """Return the id in latest.txt, or None when no run was committed yet."""
    if models_dir.exists() and not models_dir.is_dir():
        raise MLBaselineError(f"--models-dir {models_dir} is a file, not a models folder")
    pointer = models_dir / REGISTRY_DIR / LATEST_FILE
    try:
        text = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = "it is a folder" if pointer.is_dir() else f"{type(exc).__name__}: {exc}"
        raise MLBaselineError(
            f"cannot read {pointer} ({reason}); it should hold one run id: write the id of a "
            "run from `ml-baseline runs list` into it, or pass --run RUN_ID"
        ) from exc
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
        if not RUN_NAME.fullmatch(run_id):
            raise MLBaselineError(
                f"{models_dir / REGISTRY_DIR / LATEST_FILE} holds {run_id!r}, which is not a "
                "run id; train again or pass --run RUN_ID"
            )
        return _existing_run(models_dir / RUNS_DIR / run_id, f"latest run {run_id!r}")
    if ".." in Path(ref).parts:
        # DESIGN: no path tricks through `..`; the same folder by its absolute path is fine.
        raise MLBaselineError(
            f"--run {ref!r} contains '..'; pass latest, a run id, or the run folder's path "
            f"without '..' (here: --run {Path(ref).resolve()})"
        )
    if RUN_NAME.fullmatch(ref):
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
    if path.is_file():  # a run's run_meta.json, or its model (probe 26)
        raise MLBaselineError(
            f"{what} is a file, not a run folder; pass the folder that holds it "
            f"(--run {path.parent})"
        )
    if not path.is_dir():
        raise MLBaselineError(f"{what} not found at {path}; `ml-baseline runs list` shows the runs")
    if (path / MANIFEST).is_file() and not (path / RUN_META).is_file():
        raise damaged(path / RUN_META, "missing")
    if not (path / RUN_META).is_file():
        raise MLBaselineError(
            f"{path} is not a complete run folder (no {RUN_META}); pass another run"
        )
    return path


def damaged(path: Path, what: str) -> MLBaselineError:
    """Return the one error for a run folder file that is missing, edited or malformed."""
    return MLBaselineError(
        f"the run folder is damaged: {path}: {what}; retrain, or restore the folder from a copy"
    )


def open_run(models_dir: Path, ref: str) -> RunFolder:
    """Return the run named by `ref` ("latest", a run id or a run folder path), after checking
    every file against MANIFEST.sha256 and validating its schema: a damaged run is not used,
    whichever of its files a command reads."""
    run = RunFolder.read(resolve_run(models_dir, ref))
    run.check()
    return run


class RunFolder:
    """A complete run, read through one policy: each file is checked against its sha256 in
    MANIFEST.sha256 before use, and a missing, edited or malformed file is `damaged()`."""

    def __init__(self, path: Path, meta: RunMeta, manifest: dict[str, str]) -> None:
        self.path = path
        self.meta = meta
        self._manifest = manifest
        self._verified: dict[str, bytes] = {}  # files read and checked, kept for their use

    @property
    def run_id(self) -> str:
        return self.meta.run_id

    @property
    def task(self) -> Task:
        return get_task(self.meta.task)

    @classmethod
    def read(cls, path: Path) -> RunFolder:
        """Return the run in `path`, with its manifest and validated run_meta.json."""
        manifest_path = path / MANIFEST
        if manifest_path.is_file():
            manifest = _parse_manifest(manifest_path)
            meta_data = _parse_json(path / RUN_META, _verified_bytes(path, RUN_META, manifest))
        else:  # format 1: run_meta.json lists the other files' sha256, and is not itself listed
            meta_data = _parse_json(path / RUN_META, _read_bytes(path / RUN_META))
            if not isinstance(meta_data, dict) or meta_data.get("format_version") != 1:
                raise damaged(manifest_path, "missing")
            manifest = meta_data.get("artifacts")
            if not isinstance(manifest, dict):
                raise damaged(path / RUN_META, "no sha256 of the run's files (artifacts)")
        return cls(path, RunMeta.from_dict(meta_data, path / RUN_META), manifest)

    def check(self) -> None:
        """Check every recorded file against its sha256 (as `sha256sum -c` does), and
        validate the schema (against run_meta.json), the holdout metrics and the audit."""
        for relative in self._manifest:
            if relative == RUN_META:
                continue
            if relative.startswith(_UNREAD_BY_COMMANDS):
                self._check_file(relative)  # hashed in blocks, never held in memory
            else:
                self.verified_bytes(relative)  # read once: kept for the command that uses it
        # The documents every command may read are validated too: a damaged run is not used.
        self.schema()
        self.holdout_metrics()
        self.audit()

    def check_present(self) -> None:
        """Check, without reading them, that every recorded file is there and that the folder
        bears its run's id (what listing runs can afford): a copy of a run with its model
        deleted, put beside the runs under another name, was listed as a second healthy run
        under the first one's id (probe 52)."""
        if self.path.name != self.run_id:
            raise damaged(
                self.path / RUN_META,
                f"it records run {self.run_id!r}, not the folder's name (a copy, or a folder "
                "renamed): name the folder after its run, or remove it",
            )
        for relative in self._manifest:
            if not (self.path / relative).is_file():
                raise damaged(self.path / relative, "missing")

    def _check_file(self, relative: str) -> None:
        path = self.path / relative
        if not path.is_file():
            raise damaged(path, "missing")
        actual = sha256_file(path)
        if actual != self._manifest[relative]:
            raise _mismatch(path, actual, self._manifest[relative])

    def verified_bytes(self, relative: str) -> bytes:
        """Return a file of the run, after checking it against its recorded sha256; each file
        is read and hashed once (the bytes checked are the bytes used)."""
        if relative not in self._verified:
            self._verified[relative] = _verified_bytes(self.path, relative, self._manifest)
        return self._verified[relative]

    def read_json(self, relative: str) -> Any:
        return _parse_json(self.path / relative, self.verified_bytes(relative))

    def read_json_object(self, relative: str, *keys: str) -> dict[str, Any]:
        """Return a JSON file that must hold an object with these keys."""
        data = self.read_json(relative)
        if not isinstance(data, dict):
            raise damaged(self.path / relative, "not a JSON object")
        missing = [key for key in keys if key not in data]
        if missing:
            raise damaged(self.path / relative, f"no {', '.join(missing)}")
        return data

    def read_rows(self, relative: str) -> list[dict[str, str]]:
        """Return the rows of a CSV table of the run, as text."""
        text = self.verified_bytes(relative).decode("utf-8", errors="replace")
        return list(csv.DictReader(io.StringIO(text, newline="")))

    def has(self, relative: str) -> bool:
        return relative in self._manifest

    def files(self, prefix: str = "") -> list[str]:
        """Return the run's recorded files under `prefix`, sorted."""
        return sorted(name for name in self._manifest if name.startswith(prefix))

    def schema(self) -> InputSchema:
        """Return the run's input schema, validated against the run's task."""
        path = self.path / SCHEMA_FILE
        data = self.read_json(SCHEMA_FILE)
        try:
            schema = InputSchema.from_dict(data)
        except MLBaselineError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise damaged(path, f"malformed ({type(exc).__name__}: {exc})") from exc
        if schema.task != self.meta.task:
            raise damaged(path, f"task {schema.task!r} differs from run_meta.json's")
        # Every column of the training table has one role: target, id, feature or left out.
        columns = self.meta.dataset.get("columns")
        if isinstance(columns, list):
            roles = {schema.target, *schema.id_columns, *schema.excluded_columns}
            roles.update(schema.feature_names)
            if roles != set(columns):
                unexplained = sorted(set(columns) ^ roles, key=str)
                raise damaged(
                    path,
                    f"the columns {', '.join(map(str, unexplained[:5]))} of the training table "
                    "have no role in the schema (a feature, id, target or left-out column)",
                )
        return schema

    def holdout_metrics(self) -> dict[str, Any]:
        """Return metrics/holdout_metrics.json: the model's metrics, intervals, the baseline's."""
        holdout = self.read_json_object(HOLDOUT_METRICS, "baseline", "confidence_intervals")
        intervals = holdout["confidence_intervals"]
        if not isinstance(intervals, dict) or not all(
            isinstance(intervals.get(key), dict) for key in ("model", "model_minus_baseline")
        ):
            raise damaged(self.path / HOLDOUT_METRICS, "malformed confidence_intervals")
        return holdout

    def audit(self) -> AuditResult:
        """Return metrics/leakage_audit.json."""
        from ml_baseline.audit import AuditResult

        try:
            return AuditResult.from_dict(self.read_json(LEAKAGE_AUDIT))
        except ValueError as exc:
            raise damaged(self.path / LEAKAGE_AUDIT, str(exc)) from exc

    def reference_profile(self) -> Profile | None:
        """Return monitoring/reference_profile.json, or None for a run trained before
        ml-baseline saved one."""
        from ml_baseline.drift import Profile

        if not self.has(REFERENCE_PROFILE):
            return None
        try:
            return Profile.from_dict(self.read_json(REFERENCE_PROFILE))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise damaged(self.path / REFERENCE_PROFILE, f"malformed ({exc})") from exc

    def training_fingerprints(self) -> np.ndarray | None:
        """Return the sorted hashes of the training split's rows (drift.row_fingerprints), or
        None for a run trained before ml-baseline saved them."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.has(TRAINING_ROWS):
            return None
        try:
            column = pq.read_table(pa.BufferReader(self.verified_bytes(TRAINING_ROWS)))
            return column.column("fingerprint").to_numpy().astype(np.uint64)
        except (pa.ArrowException, KeyError) as exc:
            raise damaged(self.path / TRAINING_ROWS, f"malformed ({exc})") from exc

    def model(self, schema: InputSchema) -> Any:
        """Return the fitted pipeline, after checking it against its sha256 and the schema.

        joblib files are pickles, which can run code when loaded: a file that differs from
        what training wrote is refused before it is unpickled.
        """
        import joblib

        raw = self.verified_bytes(MODEL_FILE)
        del self._verified[MODEL_FILE]  # the loaded model replaces its bytes in memory
        path = self.path / MODEL_FILE
        try:
            model = joblib.load(io.BytesIO(raw))
        except Exception as exc:  # an unpicklable file is damage, whatever the library says
            raise damaged(path, f"cannot be loaded ({type(exc).__name__}: {exc})") from exc
        expected = [column for f in schema.features for column in f.model_columns]
        seen = list(getattr(model, "feature_names_in_", expected))
        if seen != expected:
            raise damaged(
                self.path / SCHEMA_FILE,
                f"its features ({', '.join(expected)}) are not the model's ({', '.join(seen)})",
            )
        return model


# Files no command reads back (the holdout predictions can be large): checked, not kept.
_UNREAD_BY_COMMANDS = ("tables/holdout_predictions.", "env/", f"{REPORTS_DIR}/")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise damaged(path, "missing") from None
    except OSError as exc:
        raise damaged(path, f"unreadable ({exc.strerror or exc})") from exc


def _verified_bytes(run_dir: Path, relative: str, manifest: dict[str, str]) -> bytes:
    expected = manifest.get(relative)
    path = run_dir / relative
    if expected is None:
        raise damaged(path, f"not listed in {MANIFEST}")
    raw = _read_bytes(path)
    actual = hashlib.sha256(raw).hexdigest()
    if actual != expected:
        raise _mismatch(path, actual, expected)
    return raw


def _mismatch(path: Path, actual: str, expected: str) -> MLBaselineError:
    return damaged(
        path,
        f"does not match the sha256 recorded at training ({actual[:12]}... != "
        f"{expected[:12]}...): it was modified, so it is not loaded",
    )


def _parse_json(path: Path, raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise damaged(path, f"not valid JSON ({exc})") from exc


_MANIFEST_LINE = re.compile(r"([0-9a-f]{64})  (.+)")


def _parse_manifest(path: Path) -> dict[str, str]:
    """Return {relative path: sha256} from a `sha256sum` file."""
    manifest = {}
    text = _read_bytes(path).decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        match = _MANIFEST_LINE.fullmatch(line)
        if match is None or ".." in Path(match[2]).parts or match[2].startswith("/"):
            raise damaged(path, f"line {number} is not '<sha256>  <file>'")
        manifest[match[2]] = match[1]
    if RUN_META not in manifest:
        raise damaged(path, f"{RUN_META} is not listed")
    return manifest


def list_runs(models_dir: Path) -> tuple[list[RunMeta], list[str]]:
    """Return the meta of every readable complete run, oldest first, and one line for each
    run folder that could not be read."""
    if models_dir.exists() and not models_dir.is_dir():
        raise MLBaselineError(f"--models-dir {models_dir} is a file, not a models folder")
    runs_dir = models_dir / RUNS_DIR
    if not runs_dir.is_dir():
        return [], []
    metas, problems = [], []
    for path in sorted(runs_dir.iterdir()):
        # A folder with neither file is not a run (runs are committed with both).
        is_run = (path / RUN_META).is_file() or (path / MANIFEST).is_file()
        if path.is_dir() and not path.name.startswith(".") and is_run:
            try:
                run = RunFolder.read(path)
                run.check_present()
                metas.append(run.meta)
            except MLBaselineError as exc:
                problems.append(str(exc))
    return sorted(metas, key=lambda meta: (meta.started_at, meta.run_id)), problems


# --- what a run records about where it ran ----------------------------------------------------


def installed_distributions() -> list[str]:
    """Return "name==version" for every installed distribution, sorted: a pip freeze that also
    works in a uv environment, which has no pip."""
    from importlib import metadata

    seen = {}
    for dist in metadata.distributions():
        name, version = _name_and_version(dist)
        if name:
            seen[name.lower()] = f"{name}=={version}"
    return [seen[key] for key in sorted(seen)]


def _name_and_version(dist: Any) -> tuple[str | None, str | None]:
    """Return a distribution's Name and Version from the header of its metadata file. Ten
    times faster than `dist.metadata`, which parses every file in full as an email (0.1 s
    of each training for 60 packages); both fields are single header lines."""
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    fields = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, colon, value = line.partition(":")
        if colon and key in ("Name", "Version"):
            fields.setdefault(key, value.strip())
    return fields.get("Name"), fields.get("Version")


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


def compare_runs(
    run_a: RunFolder, run_b: RunFolder, *, show_all: bool = False
) -> list[dict[str, Any]]:
    """Return rows {field, a, b, delta} comparing two runs' config, data and holdout metrics
    (those of each run's task); only the fields that differ unless `show_all`. delta is b - a
    for numbers."""
    flat_a, flat_b = _comparable(run_a), _comparable(run_b)
    apart = different_questions(run_a, run_b) is not None
    rows = []
    for field in dict.fromkeys([*flat_a, *flat_b]):
        a, b = flat_a.get(field), flat_b.get(field)
        if a == b and not show_all:
            continue
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
        scored = field.startswith(("model.", "baseline.")) or field == "threshold"
        delta = b - a if numbers and not (apart and scored) else None
        rows.append({"field": field, "a": a, "b": b, "delta": delta})
    return rows


def different_questions(run_a: RunFolder, run_b: RunFolder) -> str | None:
    """Return why two runs' metrics cannot be compared (they predict different targets, or
    for different tasks), or None. ISLR's Default beside survival's pbc printed
    "model.accuracy -0.1557" as if one model were worse than the other (probe 68)."""
    a, b = run_a.meta, run_b.meta
    target_a, target_b = a.target.get("name"), b.target.get("name")
    if (target_a, a.task) == (target_b, b.task):
        return None
    return (
        f"A predicts {target_a!r} ({a.task}), B {target_b!r} ({b.task}): their metrics answer "
        "different questions, and no difference of them is shown"
    )


def _comparable(run: RunFolder) -> dict[str, Any]:
    """Return the facts of a run worth comparing, flattened to "section.name" keys."""
    meta, holdout = run.meta, run.holdout_metrics()
    # The model fitted, beside the option that chose it (`config.model`, "logreg" for a
    # Ridge regression too, which read as if a regression run were a logistic one; probe 52).
    flat: dict[str, Any] = {"task": meta.task, "model": meta.model}
    for key, value in meta.config.items():
        if key not in ("models_dir",):
            flat[f"config.{key}"] = ", ".join(value) if isinstance(value, list) else value
    for key in ("path", "sha256", "rows"):
        flat[f"dataset.{key}"] = meta.dataset.get(key)
    for key, value in meta.rows.items():
        flat[f"rows.{key}"] = value
    flat["threshold"] = meta.threshold
    for name, values in (("model", holdout), ("baseline", holdout["baseline"])):
        for spec in run.task.metrics:
            flat[f"{name}.{spec.key}"] = values.get(spec.key)
    flat["suspected_leakage"] = ", ".join(meta.suspected_leakage) or None
    flat["git.commit"] = meta.git.get("commit")
    flat["git.dirty"] = meta.git.get("dirty")
    for key, value in meta.versions.items():
        flat[f"versions.{key}"] = value
    return flat
