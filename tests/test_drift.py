"""Drift measured while scoring: the reference profile saved at training, counting in the
streaming pass, the judgement (PSI and a Holm-corrected test) and what users get from it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import assert_error, tree
from ml_baseline.cli import app
from ml_baseline.data import make_sample_features
from ml_baseline.drift import (
    NOTABLE_PSI,
    DriftCounter,
    Profile,
    build_profile,
    holm,
    homogeneity_p,
    judge,
    population_stability,
)
from ml_baseline.registry import MANIFEST, REFERENCE_PROFILE, SCHEMA_FILE, TRAINING_ROWS
from ml_baseline.schema import CATEGORICAL, NUMERIC, Feature, InputSchema
from ml_baseline.scoring import evaluate, predict
from ml_baseline.tasks import get_task
from ml_baseline.training import TrainConfig, train

runner = CliRunner()


def fresh_sample(rows: int, seed: int, path: str = "in.csv") -> pd.DataFrame:
    frame = make_sample_features(rows, seed).to_pandas()
    frame.to_csv(path, index=False)
    return frame


# --- the statistics ----------------------------------------------------------------------------


def test_holm_adjusts_step_down_and_keeps_the_order():
    assert holm([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert holm([]) == []


def test_psi_is_zero_for_equal_shares_and_grows_with_the_shift():
    same = population_stability(np.array([10.0, 20, 70]), np.array([100.0, 200, 700]))
    assert same == pytest.approx(0.0)
    # 50/50 -> 30/70: (0.2 ln(0.7/0.5)) + (-0.2 ln(0.3/0.5)) = 0.1695
    shift = population_stability(np.array([50.0, 50]), np.array([30.0, 70]))
    assert shift == pytest.approx(0.2 * np.log(0.7 / 0.5) - 0.2 * np.log(0.3 / 0.5))


def test_the_test_holds_its_level_on_samples_of_one_distribution():
    rng = np.random.default_rng(0)
    shares = np.array([0.3, 0.2, 0.2, 0.15, 0.1, 0.04, 0.01])
    p_values = [
        homogeneity_p(
            rng.multinomial(800, shares).astype(float), rng.multinomial(300, shares).astype(float)
        )
        for _ in range(400)
    ]
    # Valid p-values are uniform: about 5% fall under 0.05 (the 1% bin makes some tables
    # sparse, so both the chi-square and the Monte Carlo path are exercised).
    assert 0.02 <= np.mean(np.array(p_values) < 0.05) <= 0.08


def test_a_few_unseen_categories_in_a_small_input_are_beyond_chance():
    # 7 of 100 rows in a bin that had 0 of 800: the chi-square approximation fails here (an
    # expected count under 1), the Monte Carlo p-value does not.
    reference = np.array([400.0, 300, 100, 0])
    observed = np.array([50.0, 33, 10, 7])
    assert homogeneity_p(reference, observed) < 0.001
    assert homogeneity_p(reference, np.array([50.0, 38, 12, 0])) > 0.5


# --- the profile -----------------------------------------------------------------------------


def _schema(*features: Feature) -> InputSchema:
    return InputSchema(
        target="y", task="regression", labels=None, positive_label=None, features=list(features)
    )


def test_profile_bins_all_hold_training_rows_and_round_trip():
    few_valued = np.array([0.0] * 70 + [1.0] * 30 + [np.nan] * 5)
    skewed = np.concatenate([np.zeros(80), np.linspace(1, 100, 20)])
    colors = np.array(["red"] * 50 + ["blue"] * 46 + ["green"] * 3 + [np.nan] * 6, dtype=object)
    X = pd.DataFrame({"flag": few_valued, "amount": np.resize(skewed, 105), "color": colors})
    schema = _schema(
        Feature("flag", NUMERIC, "int64"),
        Feature("amount", NUMERIC, "double"),
        Feature("color", CATEGORICAL, "string"),
    )
    task = get_task("regression")
    profile = build_profile(schema, X, task, np.linspace(0, 1, 50), None)
    by_name = {column.name: column for column in profile.columns}
    assert by_name["flag"].counts == [70, 30, 5]  # 0, 1, missing: no empty bin
    assert all(count > 0 for count in by_name["amount"].counts[:-1])
    # green (3 rows, fewer than the model's 5) is "other", with categories never seen
    assert by_name["color"].categories == ["red", "blue"]
    assert by_name["color"].counts == [50, 46, 3, 6]
    assert by_name["prediction"].role == "output"
    assert Profile.from_dict(json.loads(json.dumps(profile.to_dict()))) == profile


def test_counting_in_batches_equals_counting_at_once():
    rng = np.random.default_rng(1)
    X = pd.DataFrame(
        {
            "x": np.where(rng.random(1000) < 0.1, np.nan, rng.normal(size=1000)),
            "c": rng.choice(np.array(["a", "b", "c", "new", np.nan], dtype=object), 1000),
        }
    )
    schema = _schema(Feature("x", NUMERIC, "double"), Feature("c", CATEGORICAL, "string"))
    task = get_task("regression")
    profile = build_profile(schema, X.iloc[:500], task, rng.normal(size=100), None)
    out = rng.normal(size=1000)
    whole, batched = DriftCounter(profile), DriftCounter(profile)
    whole.add(X, out, task, None)
    for start in range(0, 1000, 37):
        batched.add(X.iloc[start : start + 37], out[start : start + 37], task, None)
    for column in profile.columns:
        assert whole.counts(column).tolist() == batched.counts(column).tolist()
        assert sum(whole.counts(column)) == 1000
    assert judge(whole).to_dict() == judge(batched).to_dict()


def test_a_spread_that_keeps_the_mean_is_told_by_the_range_that_moved():
    # ames sold after 2008: fewer houses built in 2005-2006, more after, the same mean; the
    # change read "mean 1971 -> 1971".
    rng = np.random.default_rng(3)
    training = pd.DataFrame({"age": rng.normal(50, 5, 4000)})
    middle = training["age"].mean()
    scored = pd.DataFrame({"age": middle + (training["age"] - middle) * 2.0})
    task = get_task("regression")
    schema = _schema(Feature("age", NUMERIC, "double"))
    counter = DriftCounter(build_profile(schema, training, task, np.zeros(10), None))
    counter.add(scored, np.zeros(len(scored)), task, None)
    (age,) = [c for c in judge(counter).to_dict()["columns"] if c["name"] == "age"]
    assert age["drifted"]
    # Twice the spread fills both outer bins: said as a spread, not as a range or a mean that
    # barely moved ("mean -0.04286 -> 0.08298" for values three times as spread; probe 68).
    assert age["change"].startswith("spread wider (20.0% -> ")
    assert age["change"].endswith(
        f"of rows in the lowest and highest bins); mean {middle:.4g} in both"
    )
    # Values that gather towards the middle from both sides, the tails as they were: the
    # range that moved most.
    ages = training["age"]
    tenths = np.quantile(ages, [0.2, 0.3, 0.7, 0.8])
    inner = ages.between(tenths[0], tenths[1]) | ages.between(tenths[2], tenths[3])
    moved = training.assign(age=ages.where(~inner, middle + (ages - middle) / 4))
    counter = DriftCounter(build_profile(schema, training, task, np.zeros(10), None))
    counter.add(moved, np.zeros(len(moved)), task, None)
    (age,) = [c for c in judge(counter).to_dict()["columns"] if c["name"] == "age"]
    assert age["drifted"], age
    assert age["change"].endswith(f"% (mean {middle:.4g} in both)"), age["change"]
    assert not age["change"].startswith("spread")
    # A mean that moves is said as before.
    shifted = DriftCounter(build_profile(schema, training, task, np.zeros(10), None))
    shifted.add(training + 5, np.zeros(len(training)), task, None)
    (age,) = [c for c in judge(shifted).to_dict()["columns"] if c["name"] == "age"]
    assert age["change"] == f"mean {middle:.4g} -> {middle + 5:.4g}"


def _ages(seed: int, rows: int) -> pd.DataFrame:
    return pd.DataFrame({"age": np.random.default_rng(seed).uniform(20, 70, rows)})


def _outside_counter(training: pd.DataFrame, scored: pd.DataFrame) -> DriftCounter:
    task = get_task("regression")
    holdout_out = np.zeros(10)
    profile = build_profile(
        _schema(Feature("age", NUMERIC, "double")), training, task, holdout_out, None
    )
    counter = DriftCounter(profile)
    counter.add(scored, np.zeros(len(scored)), task, None)
    return counter


def test_rows_outside_the_training_range_are_noted_beyond_chance():
    training = _ages(0, 800)
    low, high = training["age"].min(), training["age"].max()
    # Two ages of 95 and 150 among five applicants: a training sample of 800 leaves 2 in 801
    # of the distribution outside its range, so two of five is far beyond chance.
    applicants = pd.DataFrame({"age": [25.0, 95.0, 150.0, 40.0, np.nan]})
    report = judge(_outside_counter(training, applicants))
    (age,) = report.features
    assert age.outside == {
        "below": 0,
        "above": 2,
        "training_range": [low, high],
        "training_rows": 800,
        "input_range": [25.0, 150.0],
    }
    (note,) = report.notes()
    assert note.startswith(
        f"age: 2 of 5 rows (40.0%) are outside the training range [{low:.4g}, {high:.4g}] "
        "(up to 150), more than chance leaves outside 800 training rows: the model extrapolates"
    )
    assert report.to_dict()["columns"][0]["outside_training_range"]["beyond_chance"] is True
    # Fresh rows from the training distribution fall outside too, as often as chance says:
    # recorded, not noted, however many rows are scored.
    for seed, rows in ((1, 5), (2, 10_000), (3, 200_000)):
        fresh = judge(_outside_counter(training, _ages(seed, rows)))
        assert fresh.notes() == [], (rows, fresh.features[0].outside)
    # 3% of 10,000 rows beyond it is more than 800 training rows leave outside.
    shifted = _ages(4, 10_000)
    shifted.loc[:299, "age"] = high + 1.0
    assert judge(_outside_counter(training, shifted)).notes()[0].startswith("age: 3")


def test_profiles_written_before_the_training_range_was_kept_note_nothing():
    training = _ages(0, 800)
    counter = _outside_counter(training, pd.DataFrame({"age": [150.0] * 5}))
    document = counter.profile.to_dict()
    for column in document["columns"]:
        column.pop("low", None)
        column.pop("high", None)
    older = DriftCounter(Profile.from_dict(document))
    older.add(pd.DataFrame({"age": [150.0] * 5}), np.zeros(5), get_task("regression"), None)
    assert judge(older).features[0].outside is None and judge(older).notes() == []


# --- predict and evaluate ----------------------------------------------------------------------


def test_the_run_folder_keeps_a_small_reference_profile(project: Path):
    run = Path("models/runs") / Path("models/registry/latest.txt").read_text().strip()
    profile = run / REFERENCE_PROFILE
    assert REFERENCE_PROFILE in (run / MANIFEST).read_text()
    assert profile.stat().st_size < 20_000
    document = json.loads(profile.read_text())
    names = [column["name"] for column in document["columns"]]
    assert names == ["country", "n_orders", "avg_amount", "total_amount", "score"]
    assert 0 < document["positive_rate"] < 1


def test_fresh_data_like_training_reports_no_drift(project: Path):
    fresh_sample(3000, 7)
    result = runner.invoke(app, ["predict", "--input", "in.csv", "--output", "out/p.csv"])
    assert result.exit_code == 0, result.output
    assert "No drift: 4 feature(s) and the score look like training (3000 rows)" in result.stderr
    assert "Warning" not in result.stderr
    assert "Wrote out/p.drift.json" in result.stdout
    report = json.loads(Path("out/p.drift.json").read_text())
    assert report["drifted"] == [] and report["rows"] == 3000
    assert not Path("out/p.drift.png").exists()  # no drift, no picture (and no matplotlib)
    assert report["output_reference"] == "training"  # the holdout, drawn from the same rows
    assert {c["name"] for c in report["columns"]} == {
        "country",
        "n_orders",
        "avg_amount",
        "total_amount",
        "score",
    }


def test_a_shifted_feature_is_named_with_its_change_and_fails_a_pipeline(project: Path):
    frame = fresh_sample(3000, 8)
    frame["avg_amount"] += 0.5 * frame["avg_amount"].std()
    frame.to_csv("in.csv", index=False)
    result = runner.invoke(
        app,
        ["predict", "--input", "in.csv", "--output", "p.parquet", "--fail-on-drift", "--json"],
    )
    assert_error(result, 1, "drift in avg_amount", "--fail-on-drift", "p.drift.json")
    # Everything was written before failing: the scores, the report, the JSON document.
    assert len(pd.read_parquet("p.parquet")) == 3000
    document = json.loads(result.stdout)
    assert document["drift"]["drifted"] == ["avg_amount", "score"]
    assert "Drift in 1 of 4 features: avg_amount (PSI" in result.stderr
    warning = next(line for line in result.stderr.splitlines() if "avg_amount:" in line)
    assert "drift (PSI" in warning and "mean " in warning
    assert any(
        line.startswith("Warning: the model's score: ") for line in result.stderr.splitlines()
    )
    column = next(c for c in document["drift"]["columns"] if c["name"] == "avg_amount")
    assert column["psi"] >= NOTABLE_PSI and column["p_holm"] < 0.05
    # A picture of the drifted feature and the score, beside the report.
    assert document["drift"]["plot"] == "p.drift.png"
    assert Path("p.drift.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Scored again without drift, to the same path: the old picture would contradict the new
    # report beside it (probe 53), so it goes.
    fresh_sample(3000, 8)
    again = runner.invoke(app, ["predict", "--input", "in.csv", "--output", "p.parquet"])
    assert again.exit_code == 0, again.output
    assert "No drift" in again.stderr and not Path("p.drift.png").exists()


def test_a_changed_category_mix_and_missing_share_are_named(project: Path):
    frame = fresh_sample(3000, 9)
    frame.loc[frame.index[:600], "country"] = None  # 2% missing in training, now about 22%
    frame.to_csv("in.csv", index=False)
    result = predict(Path("in.csv"), Path("p.csv"), drift_report=Path("reports/drift.json"))
    assert result.drift is not None and result.drift_path == Path("reports/drift.json")
    assert [c.name for c in result.drift.drifted if c.role == "feature"] == ["country"]
    assert "missing 2.1% -> 21.7%" in result.warnings[0]
    assert not Path("p.drift.json").exists() and Path("reports/drift.json").is_file()


def test_evaluate_measures_drift_in_the_same_pass(project: Path):
    fresh_sample(2000, 10)
    result = evaluate(Path("in.csv"), drift_report=Path("ev.drift.json"))
    assert result.drift is not None and result.drift.rows == 2000
    assert json.loads(Path("ev.drift.json").read_text())["drifted"] == []
    cli = runner.invoke(app, ["evaluate", "--input", "in.csv", "--json"])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.stdout)["drift"]["report"] is None  # no file unless asked


def test_a_failed_scoring_writes_no_drift_report(project: Path):
    frame = fresh_sample(50, 11).astype({"n_orders": object})
    frame.loc[3, "n_orders"] = "many"
    frame.to_csv("in.csv", index=False)
    before = tree(project)
    result = runner.invoke(app, ["predict", "--input", "in.csv", "--output", "p.csv"])
    assert_error(result, 1, "n_orders")
    assert tree(project) == before


def test_drift_report_may_not_replace_the_input(project: Path):
    fresh_sample(50, 12)
    result = runner.invoke(
        app, ["predict", "--input", "in.csv", "--output", "p.csv", "--drift-report", "in.csv"]
    )
    assert_error(result, 1, "--drift-report in.csv is the input or the output")


def test_a_run_without_a_profile_still_scores_and_says_drift_is_not_measured(project: Path):
    run = Path("models/runs") / Path("models/registry/latest.txt").read_text().strip()
    (run / REFERENCE_PROFILE).unlink()
    manifest = run / MANIFEST
    lines = [line for line in manifest.read_text().splitlines() if REFERENCE_PROFILE not in line]
    manifest.write_text("\n".join(lines) + "\n")
    fresh_sample(100, 13)
    result = runner.invoke(app, ["predict", "--input", "in.csv", "--output", "p.csv"])
    assert result.exit_code == 0, result.output
    assert "drift not measured" in result.stderr and "train again" in result.stderr
    assert not Path("p.drift.json").exists()


@pytest.mark.parametrize("task", ["multiclass", "regression"])
def test_every_task_profiles_its_output(tmp_path: Path, task: str):
    frame = make_sample_features(600, 3).to_pandas()
    target = {"multiclass": "country", "regression": "total_amount"}[task]
    frame = frame.dropna(subset=[target]).drop(columns=["is_high_value"])
    frame.to_csv(tmp_path / "t.csv", index=False)
    models = tmp_path / "models"
    train(TrainConfig(target=target, features=tmp_path / "t.csv", task=task, models_dir=models))
    result = predict(tmp_path / "t.csv", tmp_path / "p.csv", models_dir=models)
    assert result.drift is not None
    output = result.drift.output
    assert output is not None and output.name == "prediction"
    assert output.kind == ("categorical" if task == "multiclass" else "numeric")
    assert result.drift.drifted == []


# --- evaluate: rows seen in training, champion vs challenger ---------------------------------


def test_evaluating_on_the_training_file_says_those_rows_measure_nothing(project: Path):
    run = Path("models/runs") / Path("models/registry/latest.txt").read_text().strip()
    hashes = pd.read_parquet(run / TRAINING_ROWS)["fingerprint"]
    assert hashes.is_monotonic_increasing and hashes.is_unique and len(hashes) <= 800
    result = evaluate(Path("data/processed/features.csv"))
    # The 800 training rows, and the 11 holdout rows equal to one (the audit counts them).
    [seen] = result.training_rows.values()
    assert seen == 800 + 11
    warning = next(w for w in result.warnings if "trained on" in w)
    assert f"{seen} of 1000 labelled rows" in warning and "say nothing about new data" in warning


def test_fresh_rows_that_look_like_training_rows_by_chance_are_a_note(project: Path):
    fresh_sample(3000, 21)
    result = evaluate(Path("in.csv"))
    [seen] = result.training_rows.values()
    assert 0 < seen < 0.1 * 3000  # coarse features: a few rows equal training rows by chance
    assert not any("trained on" in w for w in result.warnings)
    assert any("look alike" in note for note in result.notices)


def _second_run(project: Path, *extra: str) -> str:
    config = TrainConfig(
        target="is_high_value",
        features=Path("data/processed/features.csv"),
        seed=7,
        models_dir=Path("models"),
    )
    if extra:
        frame = pd.read_csv("data/processed/features.csv")
        frame[list(extra)] = np.random.default_rng(0).normal(size=(len(frame), len(extra)))
        frame.to_csv("wider.csv", index=False)
        config.features = Path("wider.csv")
    return train(config).run_id


def test_a_challenger_is_compared_on_the_same_rows_with_paired_intervals(project: Path):
    champion = Path("models/registry/latest.txt").read_text().strip()
    challenger = _second_run(project)
    fresh_sample(3000, 22)
    result = runner.invoke(
        app,
        ["evaluate", "--input", "in.csv", "--run", champion, "--against", challenger, "--json"],
    )
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.stdout)["comparison"]
    assert (comparison["champion"], comparison["challenger"]) == (champion, challenger)
    assert comparison["rows"] == 3000
    rows = {row["metric"]: row for row in comparison["metrics"]}
    auc = rows["roc_auc"]
    assert auc["deciding"] and auc["difference"] == pytest.approx(
        auc["challenger"] - auc["champion"]
    )
    low, high = auc["interval"]
    assert low <= auc["difference"] <= high
    # The same model family on the same data with another split seed: no real difference.
    assert comparison["verdict"] in {"no detectable difference", "better", "worse", "mixed"}
    assert "ROC AUC gain [" in comparison["rule"]
    table = runner.invoke(
        app, ["evaluate", "--input", "in.csv", "--run", champion, "--against", challenger]
    )
    assert "Challenger: " + comparison["verdict"] in table.stdout
    assert "B - A [95% CI]" in table.stdout
    # Whether A held up against its own holdout names it, beside a challenger.
    assert f"On these rows run {champion} (A) " in table.stdout


def test_a_clearly_better_challenger_wins(project: Path):
    fresh_sample(3000, 23)
    frame = pd.read_csv("in.csv")
    # A champion that only knows n_orders (others empty) against the full model.
    weak = pd.read_csv("data/processed/features.csv").assign(avg_amount=np.nan, country=None)
    weak["total_amount"] = np.nan
    weak.to_csv("weak.csv", index=False)
    champion = train(
        TrainConfig(target="is_high_value", features=Path("weak.csv"), models_dir=Path("models"))
    ).run_id
    challenger = _second_run(project)
    frame.to_csv("in.csv", index=False)
    result = evaluate(Path("in.csv"), run=champion, against=challenger)
    assert result.comparison is not None and result.comparison["verdict"] == "better"


def test_labelled_rows_without_a_positive_leave_the_threshold_metrics_undefined(project: Path):
    # ISLR's Default, a batch of 40 rows all 'No', scored perfectly: precision, recall and F1
    # printed 0.000 [0.000, 0.000], a collapse, beside ROC AUC "n/a" (probe 68). They are 0/0.
    champion = Path("models/registry/latest.txt").read_text().strip()
    challenger = _second_run(project)
    frame = pd.read_csv("data/processed/features.csv")
    frame[frame["is_high_value"] == 0].head(60).to_csv("zeros.csv", index=False)
    result = evaluate(Path("zeros.csv"), run=champion, against=challenger)
    assert result.notices[0] == (
        "the labelled rows hold no positive row: ROC AUC, PR AUC, precision, recall and F1 "
        "are undefined"
    )
    for metric in ("precision", "recall", "f1"):
        assert result.metrics[metric] is None and result.intervals[metric] == [None, None]
    assert result.metrics["accuracy"] is not None and result.intervals["accuracy"][0] is not None


def test_labelled_rows_of_one_class_have_no_ranking_intervals_and_no_verdict(project: Path):
    # ISLR's Credit labelled all 'yes': PR AUC "n/a" beside a 95% interval [0.929, 1.000], a
    # warning of "0 negative rows" under the note that said so, and a challenger verdict on
    # the intervals of the undefined metrics (probe 53).
    champion = Path("models/registry/latest.txt").read_text().strip()
    challenger = _second_run(project)
    frame = pd.read_csv("data/processed/features.csv")
    frame[frame["is_high_value"] == 1].head(60).to_csv("ones.csv", index=False)
    result = evaluate(Path("ones.csv"), run=champion, against=challenger)
    assert "the labelled rows hold one class only: ROC AUC and PR AUC are undefined" in (
        result.notices
    )
    assert result.intervals["roc_auc"] == [None, None] == result.intervals["pr_auc"]
    assert result.intervals["accuracy"][0] is not None
    assert not [w for w in result.warnings if "negative rows" in w]
    assert result.comparison is not None and result.comparison["verdict"] == "undecided"
    assert result.comparison["rule"] == (
        "every deciding metric is undefined on these rows (ROC AUC and PR AUC)"
    )


def test_a_challenger_whose_training_suspected_leakage_is_said_so(project: Path):
    # ISLR's Wage with `logwage` kept: "Challenger: better" (MAE 24.46 to 6.43) beside its own
    # training's "don't ship: leakage" (probe 68). The labelled rows carry the leaked column.
    champion = Path("models/registry/latest.txt").read_text().strip()
    frame = pd.read_csv("data/processed/features.csv")
    frame["outcome_code"] = frame["is_high_value"] * 2 + 1
    frame.to_csv("leaky.csv", index=False)
    config = TrainConfig(
        target="is_high_value", features=Path("leaky.csv"), models_dir=Path("models")
    )
    challenger = train(config).run_id
    new = fresh_sample(600, 23)
    new.assign(outcome_code=new["is_high_value"] * 2 + 1).to_csv("in.csv", index=False)
    result = evaluate(Path("in.csv"), run=champion, against=challenger)
    assert result.comparison is not None
    assert result.comparison["rule"].endswith(
        "; but the challenger's training suspected leakage in outcome_code: a leaked column "
        "scores as well on labelled rows that carry it, and is no gain on rows scored before "
        "the outcome"
    )


def test_a_challenger_that_needs_another_column_is_named(project: Path):
    challenger = _second_run(project, "extra_signal")
    fresh_sample(200, 24)
    result = runner.invoke(app, ["evaluate", "--input", "in.csv", "--against", challenger])
    assert_error(result, 1, f"(for run {challenger})", "extra_signal")


def test_runs_of_different_targets_cannot_be_compared(project: Path):
    champion = Path("models/registry/latest.txt").read_text().strip()
    regression = train(
        TrainConfig(
            target="total_amount",
            features=Path("data/processed/features.csv"),
            task="regression",
            models_dir=Path("models"),
        )
    ).run_id
    command = ["evaluate", "--input", "data/processed/features.csv", "--run", champion]
    result = runner.invoke(app, [*command, "--against", regression])
    assert_error(result, 1, "cannot be compared on one table", "'total_amount' (regression")


def test_a_feature_named_like_the_models_output_is_profiled_apart(tmp_path: Path):
    frame = make_sample_features(600, 4).to_pandas().rename(columns={"n_orders": "score"})
    frame.to_csv(tmp_path / "t.csv", index=False)
    models = tmp_path / "models"
    train(TrainConfig(target="is_high_value", features=tmp_path / "t.csv", models_dir=models))
    result = predict(tmp_path / "t.csv", tmp_path / "p.csv", models_dir=models)
    assert result.drift is not None
    roles = [(c.role, c.name) for c in result.drift.columns if c.name == "score"]
    assert roles == [("feature", "score"), ("output", "score")]


def _train_split_by_date(days: pd.DatetimeIndex, rng: np.random.Generator) -> pd.DataFrame:
    """Train, in the current folder, a run split by time on a daily `date` (x predicts y)
    and return its table."""
    x = rng.normal(size=len(days))
    frame = pd.DataFrame(
        {"date": days.strftime("%Y-%m-%d"), "x": x, "y": x + rng.normal(size=len(days))}
    )
    frame.to_csv("t.csv", index=False)
    trained = runner.invoke(
        app,
        ["train", "--features", "t.csv", "--target", "y", "--split", "time", "--time-col", "date"],
    )
    assert trained.exit_code == 0, trained.output
    return frame


def test_after_a_time_split_only_the_time_moving_on_is_expected(tmp_path: Path, monkeypatch):
    # HistData's Hawks split by `Date`: a file of weekend captures only had its weekday at PSI
    # 7.78 "later than training as expected", and rows of 1990 scored by a run trained on
    # 1985 to 1993 (AER's abortion) were "later than training" too (probe 52).
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(52)
    frame = _train_split_by_date(pd.date_range("2000-01-01", "2009-12-31", freq="D"), rng)
    later = pd.date_range("2011-01-01", "2011-12-31", freq="D")
    weekend = later[later.day_of_week >= 5]
    new = pd.DataFrame({"date": weekend.strftime("%Y-%m-%d"), "x": rng.normal(size=len(weekend))})
    new.to_csv("weekend.csv", index=False)
    result = runner.invoke(
        app, ["predict", "--input", "weekend.csv", "--output", "p.csv", "--fail-on-drift"]
    )
    assert_error(result, 1, "drift in date__day_of_week")
    assert "date__year: " in result.stderr and "later than training as expected" in result.stderr
    # Rows of a year inside the training range are said to be so.
    inside = frame[frame["date"].str.startswith("2003")].drop(columns="y")
    inside.to_csv("inside.csv", index=False)
    result = runner.invoke(app, ["predict", "--input", "inside.csv", "--output", "q.csv"])
    assert result.exit_code == 0, result.output
    assert "within its training range, in other proportions after a time split" in result.stderr


def test_the_time_column_of_a_time_split_moving_on_is_not_drift(tmp_path: Path, monkeypatch):
    # statsmodels' grunfeld, trained on 1935-1950 by year: every later year scored was "major
    # drift" by construction, so --fail-on-drift could never pass for a time-split model.
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(4)
    years = np.repeat(np.arange(1990, 2010), 100)
    x = rng.normal(size=len(years))
    frame = pd.DataFrame({"year": years, "x": x, "y": 2 * x + rng.normal(size=len(years))})
    frame.to_csv("t.csv", index=False)
    trained = runner.invoke(
        app,
        ["train", "--features", "t.csv", "--target", "y", "--split", "time", "--time-col", "year"],
    )
    assert trained.exit_code == 0, trained.output
    later = pd.DataFrame({"year": 2012, "x": rng.normal(size=500)})
    later.to_csv("later.csv", index=False)
    result = runner.invoke(
        app,
        ["predict", "--input", "later.csv", "--output", "p.csv", "--fail-on-drift", "--json"],
    )
    assert result.exit_code == 0, result.output
    assert "year: mean " in result.stderr and "later than training as expected" in result.stderr
    assert "Warning: year" not in result.stderr
    column = next(c for c in json.loads(result.stdout)["drift"]["columns"] if c["name"] == "year")
    assert column["expected"] and not column["drifted"]
    # Any other column that moves is still drift.
    later.assign(x=later["x"] + 3).to_csv("shifted.csv", index=False)
    shifted = runner.invoke(
        app, ["predict", "--input", "shifted.csv", "--output", "q.csv", "--fail-on-drift"]
    )
    assert_error(shifted, 1, "drift in x", "--fail-on-drift")


def test_after_a_time_split_the_score_is_judged_against_the_holdouts(tmp_path: Path):
    # Ecdat's Computers split by `trend`: the training rows scored again were "major drift"
    # of the score (its reference is the model's outputs on the holdout, a later period) and
    # the holdout's rows "score like training" (probe 53). The reference is now named.
    rng = np.random.default_rng(53)
    years = np.repeat(np.arange(1990, 2010), 100)
    x = rng.normal(size=len(years)) + 0.3 * (years - 1990)
    frame = pd.DataFrame({"year": years, "x": x, "y": 2 * x + rng.normal(size=len(years))})
    frame.to_csv(tmp_path / "t.csv", index=False)
    models = tmp_path / "models"
    train(
        TrainConfig(
            "y", features=tmp_path / "t.csv", split="time", time_column="year", models_dir=models
        )
    )
    old = frame[frame["year"] < 2000].drop(columns="y")
    old.to_csv(tmp_path / "old.csv", index=False)
    report = tmp_path / "old.drift.json"
    result = predict(
        tmp_path / "old.csv", tmp_path / "p.csv", models_dir=models, drift_report=report
    )
    assert result.drift is not None and result.drift.output_reference == "holdout"
    assert json.loads(report.read_text())["output_reference"] == "holdout"
    # Rows of training's period differ from the holdout's latest rows by the time alone: a
    # note, not drift (plotly's gapminder split by year and scored whole: "major drift" of
    # its prediction, PSI 0.75, beside its year's shift noted as expected; probe 65).
    summary = result.drift.summary()
    assert "score" not in summary  # a regression's output is its prediction
    assert "prediction unlike the holdout's, as rows of training's period are" in summary
    assert not [w for w in result.drift.warnings() if w.startswith("the model's prediction")]
    (note,) = [n for n in result.drift.notes() if n.startswith("the model's prediction")]
    assert "from its predictions on the holdout, the latest rows; 1,000 of the 1,000 input " in (
        note
    )
    assert note.endswith("not counted as drift (score the later rows alone to check them)")
    # Later rows shifted from the holdout's are drift, named against the holdout.
    later = frame[frame["year"] >= 2006].drop(columns="y")
    later = later.assign(x=later["x"] + 4)
    later.to_csv(tmp_path / "later.csv", index=False)
    result = predict(tmp_path / "later.csv", tmp_path / "q.csv", models_dir=models)
    assert "; prediction: PSI " in result.drift.summary()
    assert "from the holdout's" in result.drift.summary()
    (warning,) = [w for w in result.drift.warnings() if w.startswith("the model's prediction")]
    assert "drift from its predictions on the holdout (PSI" in warning


def test_a_value_far_outside_the_training_range_is_warned_of_however_few(project: Path):
    # ISLR's Credit: one limit written 100 times too big turned a "no" into a "yes", and a
    # rating of -259 (none negative in training) moved its score, while the console said
    # "No drift" (one row is within chance of landing outside the range; probe 53).
    frame = fresh_sample(500, 53)
    training = json.loads(next(Path("models/runs").glob(f"*/{SCHEMA_FILE}")).read_text())
    amount = next(f for f in training["features"] if f["name"] == "avg_amount")
    frame.loc[4, "avg_amount"] = 100 * amount["max"]
    frame.loc[7, "n_orders"] = -3
    frame.loc[9, "avg_amount"] = amount["max"] * 1.5  # outside, not far: one width is fine
    frame.to_csv("in.csv", index=False)
    result = runner.invoke(
        app, ["predict", "--input", "in.csv", "--output", "p.csv", "--fail-on-drift", "--json"]
    )
    assert result.exit_code == 0, result.output  # a warning, not drift
    assert "No drift" in result.stderr
    far = sorted(line for line in result.stderr.splitlines() if "far outside" in line)
    assert len(far) == 2
    assert far[0].startswith("Warning: avg_amount: 1 value(s) far outside the training range [")
    assert "(row 5 '" in far[0] and "check it is no unit slip or typo" in far[0]
    assert far[1].startswith("Warning: n_orders: 1 value(s) far outside the training range [0, ")
    assert "(row 8 '-3')" in far[1]
    problems = json.loads(result.stdout)["input_problems"]
    assert (
        problems["avg_amount"]["far_outside"] == 1 and problems["avg_amount"]["out_of_range"] >= 2
    )
    assert problems["n_orders"]["far_outside"] == 1


def test_far_outside_is_beyond_three_widths_or_of_a_new_sign():
    from ml_baseline.schema import far_outside

    values = np.array([5.0, 10.0, 39.0, 41.0, -21.0, -0.5, np.nan])
    assert far_outside(values, 0.0, 10.0).tolist() == [False, False, False, True, True, True, False]
    # Training values of both signs: only the distance counts.
    assert far_outside(np.array([-5.0, -32.0]), -1.0, 9.0).tolist() == [False, True]


def test_a_date_far_past_a_time_split_is_drift_not_expected(tmp_path: Path, monkeypatch):
    # Ecdat's HHSCyberSecurityBreaches trained on 2009 to 2013 and scored with dates 50 years
    # on: "later than training as expected ... not counted as drift", every row "yes"; and
    # rows 20 years before training were excused the same way (probe 53).
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(53)
    days = pd.date_range("2009-01-01", "2013-12-31", freq="D")
    _train_split_by_date(days, rng)
    for shift, said in ((50, "2063-"), (-20, "1993-")):
        later = (days[-300:] + pd.DateOffset(years=shift)).strftime("%Y-%m-%d")
        pd.DataFrame({"date": later, "x": rng.normal(size=300)}).to_csv("far.csv", index=False)
        result = runner.invoke(
            app, ["predict", "--input", "far.csv", "--output", "p.csv", "--fail-on-drift"]
        )
        assert_error(result, 1, "drift in date__year", "--fail-on-drift")
        assert "as expected" not in result.stderr
        assert "Warning: date: 300 value(s) far outside the training range [2009-01-01, " in (
            result.stderr
        )
        assert f"(row 1 '{said}" in result.stderr
    # The next year is what the split expects.
    nxt = (days[-300:] + pd.DateOffset(years=1)).strftime("%Y-%m-%d")
    pd.DataFrame({"date": nxt, "x": rng.normal(size=300)}).to_csv("next.csv", index=False)
    result = runner.invoke(app, ["predict", "--input", "next.csv", "--output", "q.csv", "--json"])
    assert result.exit_code == 0, result.output
    assert "later than training as expected" in result.stderr and "far outside" not in result.stderr
    # A date's rows outside the training range are counted, as a number's are.
    problems = json.loads(result.stdout)["input_problems"]["date"]
    assert problems["out_of_range"] == 300 and problems["far_outside"] == 0


def test_a_year_beside_the_date_of_a_time_split_moving_on_is_not_drift(tmp_path: Path):
    # pydataset's Prostitutes: split on its `date`, whose year was expected to move on, while
    # `Year`, the same year in a column of its own, was "major drift" and failed a pipeline.
    rng = np.random.default_rng(5)
    dates = pd.date_range("1970-01-01", periods=480, freq="MS")
    x = rng.normal(size=480)
    frame = pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "Year": dates.year, "x": x})
    frame["y"] = 3 * x + rng.normal(size=480)
    frame.to_csv(tmp_path / "t.csv", index=False)
    config = TrainConfig(
        target="y",
        features=tmp_path / "t.csv",
        split="time",
        time_column="date",
        models_dir=tmp_path / "models",
    )
    train(config)
    later = pd.DataFrame({"date": "2012-06-01", "Year": 2012, "x": rng.normal(size=300)})
    later.to_csv(tmp_path / "later.csv", index=False)
    result = predict(tmp_path / "later.csv", tmp_path / "p.csv", models_dir=tmp_path / "models")
    assert result.drift is not None
    assert not {"Year", "date__year"} & {c.name for c in result.drift.drifted}
    expected = {c.name for c in result.drift.columns if c.expected}
    assert {"Year", "date__year"} <= expected


def test_a_class_written_as_a_number_is_quoted_in_the_drift_line():
    # mlmRev's GSSvocab: "prediction: PSI 2.27, 5 12.5% -> 0.0%" read as arithmetic (probe 52).
    from types import SimpleNamespace

    from ml_baseline.drift import _change

    classes = SimpleNamespace(kind="categorical", bin_labels=["4", "5", "6"], mean=None)
    said = _change(classes, np.array([0.5, 0.125, 0.375]), np.array([0.6, 0.0, 0.4]), None)
    assert said == "'5' 12.5% -> 0.0%"
    words = SimpleNamespace(kind="categorical", bin_labels=["US", "FR"], mean=None)
    assert _change(words, np.array([0.5, 0.5]), np.array([0.9, 0.1]), None).startswith("FR ")


def _panel(people: int, first: int, seed: int) -> pd.DataFrame:
    """People on 8 yearly rows each: their education the same on every row."""
    rng = np.random.default_rng(seed)
    educ = np.repeat(rng.normal(12, 2, people), 8)
    year = np.tile(np.arange(8), people)
    return pd.DataFrame(
        {
            "person": np.repeat(np.arange(first, first + people), 8),
            "educ": educ,
            "year": year,
            "wage": 0.1 * educ + 0.02 * year + rng.normal(0, 0.2, people * 8),
        }
    )


def _trained_on_panel(tmp_path: Path, people: int) -> Path:
    """Train, split by person, on a panel of `people`; return the models folder."""
    from ml_baseline.training import TrainConfig, train

    _panel(people, 0, 3).to_csv(tmp_path / "panel.csv", index=False)
    models = tmp_path / "models"
    config = TrainConfig(
        target="wage", features=tmp_path / "panel.csv", models_dir=models, id_columns=[],
        split="group", group_column="person",
    )  # fmt: skip
    train(config)
    return models


def test_drift_after_a_group_split_counts_groups(tmp_path: Path):
    # Wooldridge's wagepan split by man: 145 new men on 1,160 rows were "notable drift" of
    # the prediction from the holdout's 80 (p = 9e-05), a person's rows being alike (probe
    # 68). Counted as rows, these 60 new people from the same population drifted in `educ`
    # (p 1e-11) and in the prediction (p 0.003).
    from ml_baseline.scoring import predict

    models = _trained_on_panel(tmp_path, people=200)
    _panel(60, 1000, 103).drop(columns="wage").to_csv(tmp_path / "new.csv", index=False)
    result = predict(tmp_path / "new.csv", tmp_path / "out.csv", models_dir=models)
    assert result.drift is not None and not result.drift.drifted, result.drift.summary()
    assert result.drift.units == {
        "column": "person", "training": 160, "holdout": 40, "training_rows": 1280, "input": 60
    }  # fmt: skip
    assert (
        "drift tests count whole groups of 'person', as the run's intervals do: 60 in the "
        "input, 160 in training, 40 in the holdout" in " ".join(result.notices)
    )
    # Without the group column, as many rows a group as training's are taken: counted as
    # rows, 6 of 9 real panels so scored drifted (probe 70).
    _panel(60, 1000, 103).drop(columns=["wage", "person"]).to_csv(
        tmp_path / "bare.csv", index=False
    )
    result = predict(tmp_path / "bare.csv", tmp_path / "out1.csv", models_dir=models)
    assert result.drift is not None and not result.drift.drifted, result.drift.summary()
    assert result.drift.units is not None and result.drift.units["input"] == 60
    assert "the input has no 'person', so they take it to hold 8 rows a group as training did" in (
        " ".join(result.notices)
    )
    # A batch of new people whose education moved is still drift.
    moved = _panel(60, 1000, 103).drop(columns="wage").assign(educ=lambda f: f["educ"] + 3)
    moved.to_csv(tmp_path / "moved.csv", index=False)
    result = predict(tmp_path / "moved.csv", tmp_path / "out2.csv", models_dir=models)
    assert result.drift is not None
    assert {c.name for c in result.drift.drifted} == {"educ", "prediction"}


def test_held_up_is_undecided_on_a_holdout_of_too_few_groups(tmp_path: Path):
    # A panel's holdout of 6 groups, which train warns is too few for its intervals: new
    # groups of the same panel were said to have fallen on that interval (probe 70).
    from ml_baseline.scoring import evaluate

    models = _trained_on_panel(tmp_path, people=25)
    _panel(60, 1000, 103).to_csv(tmp_path / "new.csv", index=False)
    result = evaluate(tmp_path / "new.csv", models_dir=models)
    assert result.held_up is not None
    verdict, rule = result.held_up
    assert verdict == "undecided"
    assert "the holdout has 5 groups" in rule and "so the change cannot be judged" in rule


def test_a_mean_is_said_with_the_digits_its_change_needs():
    # ISLR's Smarket by year: 2001.5 -> 2004.5 read "mean 2002 -> 2004", a shift of 3 years
    # said as 2 (probe 70).
    rng = np.random.default_rng(70)
    training = pd.DataFrame({"Year": rng.choice([2001, 2002], 2000)})
    scored = pd.DataFrame({"Year": rng.choice([2004, 2005], 500)})
    task = get_task("regression")
    schema = _schema(Feature("Year", NUMERIC, "int64"))
    counter = DriftCounter(build_profile(schema, training, task, np.zeros(10), None))
    counter.add(scored, np.zeros(len(scored)), task, None)
    (year,) = [c for c in judge(counter).to_dict()["columns"] if c["name"] == "Year"]
    before, after = training["Year"].mean(), scored["Year"].mean()
    assert f"mean {before:.5g} -> {after:.5g}" in year["change"], year["change"]
