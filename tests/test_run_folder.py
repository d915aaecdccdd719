"""A run folder is checked before it is used: it carries a MANIFEST.sha256 of its files, and a
damaged or edited run (a file changed, deleted, or holding a value no run can have) is one
clear error from every command that reads it, never an unexpected failure or a wrong result.

The error contract for a damaged run: exit 1, exactly one stderr line
`Error: the run folder is damaged: ...` naming the file (its path relative to the run folder),
no "unexpected", and nothing written at --output / --out.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import assert_error, tree
from ml_baseline.cli import app

runner = CliRunner()

MANIFEST = "MANIFEST.sha256"
DAMAGED = "Error: the run folder is damaged: "
MANIFEST_LINE = re.compile(r"([0-9a-f]{64})  (\S.*)")


def invoke(*args: str | Path):
    return runner.invoke(app, [str(arg) for arg in args])


def assert_damaged(result, *fragments: str) -> None:
    """A damaged run: the error contract, with the line that says so."""
    assert_error(result, 1, *fragments)
    line = next(line for line in result.stderr.splitlines() if line.startswith("Error: "))
    assert line.startswith(DAMAGED), line
    assert "unexpected" not in result.output, result.output


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_dir(project: Path) -> Path:
    run_id = (project / "models/registry/latest.txt").read_text().strip()
    return project / "models/runs" / run_id


# --- the manifest ----------------------------------------------------------------------------


def test_manifest_lists_every_file_with_its_sha256(project: Path):
    run = run_dir(project)
    manifest = run / MANIFEST
    assert manifest.is_file(), sorted(tree(run))  # fails today: there is no manifest
    lines = manifest.read_text(encoding="utf-8").splitlines()
    parsed = [MANIFEST_LINE.fullmatch(line) for line in lines]
    assert all(parsed), [line for line, match in zip(lines, parsed, strict=True) if not match]
    paths = [match[2] for match in parsed if match]
    assert paths == sorted(paths)
    assert set(paths) == tree(run) - {MANIFEST}
    assert "run_meta.json" in paths and "model/model.joblib" in paths
    for match in parsed:
        assert match and sha256(run / match[2]) == match[1], match


def test_manifest_is_checked_by_sha256sum(project: Path):
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not on PATH")
    run = run_dir(project)
    assert (run / MANIFEST).is_file()  # fails today: there is no manifest
    done = subprocess.run(
        ["sha256sum", "-c", MANIFEST], cwd=run, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- a changed or deleted file --------------------------------------------------------------


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _rename_labels(path: Path) -> None:
    schema = json.loads(path.read_text())
    schema["labels"] = ["REJECT", "APPROVE"]
    schema["positive_label"] = "APPROVE"
    path.write_text(json.dumps(schema, indent=2) + "\n")


def _threshold_5(path: Path) -> None:
    meta = json.loads(path.read_text())
    meta["threshold"] = 5
    path.write_text(json.dumps(meta, indent=2) + "\n")


def _append_byte(path: Path) -> None:
    with path.open("ab") as f:
        f.write(b"\0")


def _delete(path: Path) -> None:
    path.unlink()


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("metrics/holdout_metrics.json", _truncate),
    ("schema/input_schema.json", _rename_labels),
    ("run_meta.json", _threshold_5),
    ("model/model.joblib", _append_byte),
    ("metrics/holdout_metrics.json", _delete),
    ("schema/input_schema.json", _delete),
    ("run_meta.json", _delete),
    ("model/model.joblib", _delete),
]

# Every command that reads a run, and where it would write (None: it writes nothing).
COMMANDS: dict[str, tuple[list[str], str | None]] = {
    "predict": (
        ["predict", "--input", "data/processed/features.csv", "--output", "outputs/p.csv"],
        "outputs/p.csv",
    ),
    "evaluate": (["evaluate", "--input", "data/processed/features.csv"], None),
    "report": (["report", "--out", "shared"], "shared"),
    "runs-show": (["runs", "show"], None),
    "runs-compare": (["runs", "compare", "{run_id}", "latest"], None),
}


def assert_damage_reported(project: Path, command: str, *fragments: str):
    """Run `command` on the project's damaged run: the damage is reported (see
    assert_damaged) and nothing is written. Returns the result."""
    args, output = COMMANDS[command]
    run_id = run_dir(project).name
    before = tree(project)
    result = invoke(*(arg.format(run_id=run_id) for arg in args))
    assert_damaged(result, *fragments)
    if output is not None:
        assert not (project / output).exists(), output
    assert tree(project) == before
    return result


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(
    ("relative", "edit"),
    EDITS,
    ids=[f"{relative}-{edit.__name__.strip('_')}" for relative, edit in EDITS],
)
def test_a_changed_or_deleted_file_is_one_clear_error(
    project: Path, relative: str, edit: Callable[[Path], None], command: str
):
    edit(run_dir(project) / relative)
    assert_damage_reported(project, command, relative)


def test_an_intact_run_works_with_every_command(project: Path):
    """The control: the same commands succeed on the run as trained (and write where asked)."""
    for command in COMMANDS:
        args, output = COMMANDS[command]
        run_id = run_dir(project).name
        result = invoke(*(arg.format(run_id=run_id) for arg in args))
        assert result.exit_code == 0, (command, result.output)
        if output is not None:
            assert (project / output).exists(), output


# --- values no run can have, with a consistent manifest --------------------------------------


def edit_json(run: Path, relative: str, change: Callable[[Any], None]) -> None:
    """Edit a JSON file of the run and make every record of its sha256 agree again (the
    artifact list in run_meta.json, if any, and the manifest line), as a careful hand edit or
    a bug in a writer would: then only the values themselves can show the damage."""
    path = run / relative
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    changed = [relative]
    meta_path = run / "run_meta.json"
    if relative != "run_meta.json":
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if relative in (meta.get("artifacts") or {}):
            meta["artifacts"][relative] = sha256(path)
            meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
            changed.append("run_meta.json")
    manifest = run / MANIFEST
    if manifest.is_file():
        lines = manifest.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            match = MANIFEST_LINE.fullmatch(line)
            if match and match[2] in changed:
                lines[i] = f"{sha256(run / match[2])}  {match[2]}"
        manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.__setitem__(key, value)


def _drop_feature(schema: dict[str, Any]) -> None:
    schema["features"] = [f for f in schema["features"] if f["name"] != "n_orders"]


def _weird_kind(schema: dict[str, Any]) -> None:
    next(f for f in schema["features"] if f["name"] == "n_orders")["kind"] = "weird"


VALUE_EDITS: dict[str, tuple[str, Callable[[Any], None], tuple[str, ...]]] = {
    "threshold-5": ("run_meta.json", _set("threshold", 5), ("threshold",)),
    "threshold-null": ("run_meta.json", _set("threshold", None), ()),
    "run_id-escapes": ("run_meta.json", _set("run_id", "../../etc"), ()),
    "task-foo": ("run_meta.json", _set("task", "foo"), ()),
    "feature-removed": ("schema/input_schema.json", _drop_feature, ()),
    "kind-weird": ("schema/input_schema.json", _weird_kind, ()),
    "audit-findings": ("metrics/leakage_audit.json", _set("findings", "none"), ()),
    "holdout-intervals": ("metrics/holdout_metrics.json", _set("confidence_intervals", 3), ()),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(VALUE_EDITS))
def test_impossible_values_are_damage_even_with_a_consistent_manifest(
    project: Path, case: str, command: str
):
    relative, change, fragments = VALUE_EDITS[case]
    edit_json(run_dir(project), relative, change)
    result = assert_damage_reported(project, command, *fragments)
    line = next(line for line in result.stderr.splitlines() if line.startswith("Error: "))
    if case == "feature-removed":
        assert "n_orders" in line or "schema" in line, line


# --- runs list is not stopped by one damaged run ---------------------------------------------


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory, trained_project) -> tuple[Path, str, str]:
    """A project with two runs of the sample table: (root, older run id, newer run id)."""
    root = tmp_path_factory.mktemp("two_runs") / "project"
    shutil.copytree(trained_project[0], root)
    older = (root / "models/registry/latest.txt").read_text().strip()
    result = invoke(
        "train",
        "--target",
        "is_high_value",
        "--features",
        root / "data/processed/features.csv",
        "--models-dir",
        root / "models",
        "--test-size",
        "0.3",
        "--json",
    )
    assert result.exit_code == 0, result.output
    return root, older, json.loads(result.stdout)["run_id"]


@pytest.mark.parametrize(("relative", "edit"), EDITS[:4], ids=[r for r, _ in EDITS[:4]])
def test_runs_list_shows_the_good_run_next_to_a_damaged_one(
    two_runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: str, edit
):
    root = tmp_path / "project"
    shutil.copytree(two_runs[0], root)
    monkeypatch.chdir(root)
    damaged, good = two_runs[1], two_runs[2]
    edit(root / "models/runs" / damaged / relative)
    listed = invoke("runs", "list")
    assert listed.exit_code == 0, listed.output
    assert good in listed.stdout
    assert "unexpected" not in listed.output
    as_json = invoke("runs", "list", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert good in [run["run_id"] for run in json.loads(as_json.stdout)["runs"]]


def _damage_run_meta(two_runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit) -> None:
    """Copy the two-run project, make it the current folder, and damage the first run's
    run_meta.json with `edit`."""
    root = tmp_path / "project"
    shutil.copytree(two_runs[0], root)
    monkeypatch.chdir(root)
    edit(root / "models/runs" / two_runs[1] / "run_meta.json")


@pytest.mark.parametrize("edit", [_truncate, _delete], ids=["truncated", "deleted"])
def test_runs_list_shows_the_good_run_when_a_run_meta_is_unreadable(
    two_runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit
):
    _damage_run_meta(two_runs, tmp_path, monkeypatch, edit)
    listed = invoke("runs", "list")
    assert listed.exit_code == 0, listed.output
    assert two_runs[2] in listed.stdout
    assert "unexpected" not in listed.output


@pytest.mark.parametrize("edit", [_truncate, _delete], ids=["truncated", "deleted"])
def test_runs_list_names_the_damaged_run(
    two_runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit
):
    _damage_run_meta(two_runs, tmp_path, monkeypatch, edit)
    listed = invoke("runs", "list", "--json")
    assert listed.exit_code == 0, listed.output
    document = json.loads(listed.stdout)
    assert [run["run_id"] for run in document["runs"]] == [two_runs[2]]
    assert len(document["damaged"]) == 1 and two_runs[1] in document["damaged"][0]
    assert two_runs[1] in listed.stderr  # and a warning says so
