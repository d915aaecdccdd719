"""The run registry: unique ids, staging and atomic commit, the latest pointer, resolving runs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ml_baseline import registry
from ml_baseline.errors import MLBaselineError
from ml_baseline.records import RunMeta

BASE = registry.base_run_id(datetime(2026, 1, 1, 17, 27, 9, tzinfo=UTC), "classification", 42)


def _meta(run_id: str) -> RunMeta:
    return RunMeta(
        run_id=run_id,
        task="binary",
        model="LogisticRegression",
        started_at="2026-01-01T17:27:09.000000Z",
        config={},
        dataset={},
        rows={},
        split={"strategy": "random"},
        target={},
        threshold=0.5,
    )


def _commit(models: Path, base: str = BASE) -> Path:
    with registry.staged_run(models, base) as run:
        run.write_json("metrics/x.json", {"a": 1})
        return run.commit(_meta(run.run_id)).path


def test_run_id_format():
    assert BASE == "2026-01-01T17-27-09Z__classification__seed42"


def test_runs_in_the_same_second_get_distinct_ids(tmp_path: Path):
    first, second, third = (_commit(tmp_path) for _ in range(3))
    assert [p.name for p in (first, second, third)] == [BASE, f"{BASE}-2", f"{BASE}-3"]
    assert registry.latest_run_id(tmp_path) == f"{BASE}-3"


def test_concurrent_reservations_are_distinct(tmp_path: Path):
    with registry.staged_run(tmp_path, BASE) as a, registry.staged_run(tmp_path, BASE) as b:
        assert a.run_id != b.run_id


def test_failed_run_leaves_nothing_and_keeps_latest(tmp_path: Path):
    _commit(tmp_path)
    with pytest.raises(RuntimeError), registry.staged_run(tmp_path, "other") as run:
        run.write_json("half.json", {})
        raise RuntimeError("disk full")
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [BASE]
    assert list((tmp_path / ".staging").iterdir()) == []
    assert registry.latest_run_id(tmp_path) == BASE


def test_commit_records_artifact_hashes(tmp_path: Path):
    run_dir = _commit(tmp_path)
    lines = (run_dir / registry.MANIFEST).read_text().splitlines()
    assert lines == [
        f"{registry.sha256_file(run_dir / name)}  {name}"
        for name in ("metrics/x.json", registry.RUN_META)
    ]
    assert registry.RunFolder.read(run_dir).read_json("metrics/x.json") == {"a": 1}


def test_list_runs_skips_staging_and_broken_folders(tmp_path: Path):
    _commit(tmp_path)
    (tmp_path / "runs" / "not-a-run").mkdir()
    (tmp_path / ".staging" / "killed-run").mkdir(parents=True)
    metas, unreadable = registry.list_runs(tmp_path)
    assert [meta.run_id for meta in metas] == [BASE]
    assert len(unreadable) == 0  # not-a-run has no run_meta.json: not a run at all


def test_resolve_run(tmp_path: Path, monkeypatch):
    run_dir = _commit(tmp_path)
    assert registry.resolve_run(tmp_path, "latest") == run_dir
    assert registry.resolve_run(tmp_path, BASE) == run_dir
    assert registry.resolve_run(tmp_path, str(run_dir)) == run_dir
    monkeypatch.chdir(tmp_path)
    assert registry.resolve_run(Path("."), f"runs/{BASE}") == Path(f"runs/{BASE}")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("nope", "unknown run 'nope'"),
        ("../etc", "contains '..'"),
        (f"runs/../runs/{BASE}", "contains '..'"),
        ("/", "not a complete run folder"),
    ],
)
def test_resolve_run_refuses(tmp_path: Path, ref: str, message: str):
    _commit(tmp_path)
    with pytest.raises(MLBaselineError, match=message.replace(".", r"\.")):
        registry.resolve_run(tmp_path, ref)


def test_latest_pointing_at_garbage(tmp_path: Path):
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry/latest.txt").write_text("../../etc/passwd\n")
    with pytest.raises(MLBaselineError, match="is not a run id"):
        registry.resolve_run(tmp_path, "latest")


def test_no_runs_yet(tmp_path: Path):
    with pytest.raises(MLBaselineError, match="no trained run"):
        registry.resolve_run(tmp_path, "latest")
    assert registry.list_runs(tmp_path) == ([], [])


def test_reading_refuses_modified_or_unrecorded_files(tmp_path: Path):
    run_dir = _commit(tmp_path)
    (run_dir / "model").mkdir()
    (run_dir / registry.MODEL_FILE).write_bytes(b"not a pickle")
    run = registry.RunFolder.read(run_dir)
    with pytest.raises(MLBaselineError, match=r"damaged: .*model.joblib: not listed in MANIFEST"):
        run.verified_bytes(registry.MODEL_FILE)
    (run_dir / "metrics/x.json").write_text('{"a": 2}')
    with pytest.raises(MLBaselineError, match=r"damaged: .*x.json: does not match the sha256"):
        run.read_json("metrics/x.json")


def test_installed_distributions_without_pip():
    from importlib import metadata

    freeze = registry.installed_distributions()
    assert any(line.startswith("numpy==") for line in freeze)
    assert freeze == sorted(freeze, key=str.lower)
    # The header read gives what the full metadata parser gives, for every installed package.
    parsed = {f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()}
    assert set(freeze) == parsed


def test_distribution_name_and_version_come_from_the_metadata_header():
    class Dist:
        def __init__(self, files: dict[str, str]) -> None:
            self.files = files

        def read_text(self, name: str) -> str | None:
            return self.files.get(name)

    header = "Metadata-Version: 2.1\nName: Foo-Bar\nVersion: 1.2.3\nSummary: x\n\n"
    body = "Name: not this one\nVersion: 9\n"
    assert registry._name_and_version(Dist({"METADATA": header + body})) == ("Foo-Bar", "1.2.3")
    assert registry._name_and_version(Dist({"PKG-INFO": header})) == ("Foo-Bar", "1.2.3")
    assert registry._name_and_version(Dist({})) == (None, None)


def test_a_path_with_dots_is_refused_with_its_absolute_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    run_dir = _commit(tmp_path)
    monkeypatch.chdir(tmp_path / "runs")
    with pytest.raises(MLBaselineError) as refused:
        registry.resolve_run(tmp_path, f"../runs/{BASE}")
    absolute = str(refused.value).rsplit("--run ", 1)[1].rstrip(")")
    assert registry.resolve_run(tmp_path, absolute) == run_dir
