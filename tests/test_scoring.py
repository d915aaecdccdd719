"""Batch scoring: exact round trip with training, streaming equals whole-file scoring, input
checks and warnings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from ml_baseline.errors import MLBaselineError
from ml_baseline.scoring import predict


def test_holdout_scores_reproduce_exactly_in_a_fresh_process(project: Path):
    run_id = (project / "models/registry/latest.txt").read_text().strip()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ml_baseline",
            "predict",
            "--run",
            "latest",
            "--input",
            "data/processed/features.csv",
            "--output",
            "outputs/preds.csv",
        ],
        check=True,
        capture_output=True,
    )
    holdout = pd.read_csv(project / "models/runs" / run_id / "tables/holdout_predictions.csv")
    scored = pd.read_csv(project / "outputs/preds.csv").set_index("user_id")
    again = scored.loc[holdout["user_id"]]
    assert again["score"].tolist() == holdout["score"].tolist()  # bit for bit, not approx
    assert again["prediction"].tolist() == holdout["prediction"].tolist()
    # The text in both files is identical too.
    csv_lines = dict(
        line.split(",", 1) for line in (project / "outputs/preds.csv").read_text().splitlines()[1:]
    )
    for line in (
        (project / "models/runs" / run_id / "tables/holdout_predictions.csv")
        .read_text()
        .splitlines()[1:]
    ):
        user_id, _label, score, prediction = line.split(",")
        assert csv_lines[user_id] == f"{score},{prediction}"


# Every size crosses a batch boundary (500: two equal batches of the 1,000-row table); batches
# of one row score the first 120 rows, which keeps that case fast.
@pytest.mark.parametrize(
    ("rows", "batch_size"), [(120, 1), (1000, 7), (1000, 333), (1000, 500), (1000, 999)]
)
def test_streaming_gives_the_same_bytes_as_one_batch(project: Path, rows: int, batch_size: int):
    lines = Path("data/processed/features.csv").read_text().splitlines(keepends=True)
    Path("input.csv").write_text("".join(lines[: rows + 1]))
    predict(Path("input.csv"), Path("whole.csv"), batch_size=10**7)
    predict(Path("input.csv"), Path("batched.csv"), batch_size=batch_size)
    assert Path("batched.csv").read_bytes() == Path("whole.csv").read_bytes()


def test_parquet_input_and_output_score_like_csv(project: Path):
    frame = pd.read_csv("data/processed/features.csv")
    frame.to_parquet("features.parquet", index=False)
    predict(Path("data/processed/features.csv"), Path("from_csv.parquet"))
    predict(Path("features.parquet"), Path("from_parquet.parquet"), batch_size=64)
    from_csv = pq.read_table("from_csv.parquet").to_pandas()
    from_parquet = pq.read_table("from_parquet.parquet").to_pandas()
    # Ids are copied as read: text from a CSV, the stored type from Parquet.
    assert from_csv["user_id"].tolist() == [str(i) for i in frame["user_id"]]
    assert from_parquet["user_id"].tolist() == frame["user_id"].tolist()
    pd.testing.assert_frame_equal(
        from_csv.drop(columns="user_id"), from_parquet.drop(columns="user_id")
    )


def test_ids_that_change_type_mid_file_keep_one_output_type(project: Path):
    frame = pd.read_csv("data/processed/features.csv").head(50)
    frame["user_id"] = frame["user_id"].astype(str)
    frame.loc[40, "user_id"] = "A7"
    frame.to_csv("in.csv", index=False)
    for output in ("out.csv", "out.parquet"):
        predict(Path("in.csv"), Path(output), batch_size=4)
    assert pq.read_table("out.parquet").column("user_id").to_pylist() == frame["user_id"].tolist()
    assert (
        pd.read_csv("out.csv", dtype={"user_id": str})["user_id"].tolist()
        == frame["user_id"].tolist()
    )


def test_empty_fields_are_missing_values_in_every_reader(project: Path):
    frame = pd.read_csv("data/processed/features.csv").head(50)
    frame.loc[[1, 2], "country"] = None
    frame.loc[[3], "avg_amount"] = None
    frame.to_csv("in.csv", index=False)  # pandas writes missing values as empty fields
    frame.to_parquet("in.parquet", index=False)  # and Parquet as real nulls
    predict(Path("in.csv"), Path("a.csv"))
    predict(Path("in.parquet"), Path("b.csv"))
    assert Path("a.csv").read_bytes() == Path("b.csv").read_bytes()


def test_unseen_categories_and_missing_values_are_scored_and_reported(project: Path):
    frame = pd.read_csv("data/processed/features.csv").head(100)
    frame.loc[0:4, "country"] = "ZZ"
    frame.loc[5:6, "country"] = "Atlantis"
    frame.loc[7:9, "n_orders"] = None
    frame.loc[10, "total_amount"] = 10**9
    frame.drop(columns=["is_high_value"]).assign(extra=1).to_csv("in.csv", index=False)
    result = predict(Path("in.csv"), Path("out.csv"), batch_size=3)
    assert result.rows == 100 == len(pd.read_csv("out.csv"))
    # Drift decides what is worth a warning: 7% unseen countries and 3% missing n_orders (none
    # in training) are beyond chance; one value above the training range in 100 rows is not,
    # but a billion is far above it (schema.far_outside), which is warned of however rare.
    assert [warning.split(":")[0] for warning in result.warnings] == [
        "country",
        "n_orders",
        "total_amount",
    ]
    assert "1 value(s) far outside the training range" in result.warnings[2]
    assert "other or unseen categories 0.0% -> 7.0% ('ZZ', 'Atlantis')" in result.warnings[0]
    assert "missing 0.0% -> 3.0%" in result.warnings[1]
    assert result.input_problems["total_amount"]["out_of_range"] == 1
    assert any("ignoring 1 column(s)" in notice and "extra" in notice for notice in result.notices)
    assert result.input_problems["country"]["unseen_categories"] == 7


def test_a_few_unseen_categories_are_warned_about_without_drift(project: Path):
    # ggplot2's diamonds: one `cut` of "Superb" in 53,940 rows is no drift, and was scored
    # like the rare categories without a word.
    frame = pd.read_csv("data/processed/features.csv")
    frame.loc[3, "country"] = "Atlantis"
    frame.drop(columns=["is_high_value"]).to_csv("in.csv", index=False)
    result = predict(Path("in.csv"), Path("out.csv"))
    assert result.drift is not None and not result.drift.drifted
    assert result.warnings == [
        "country: 1 value(s) in categories unseen in training ('Atlantis'), scored like the "
        "rare or unknown categories of training"
    ]
    # A column drifted for another reason (plm's SumHes: one country's share fell) still says
    # which values it has never seen.
    frame.loc[10 : len(frame) // 2, "country"] = frame["country"].mode()[0]
    frame.drop(columns=["is_high_value"]).to_csv("in.csv", index=False)
    result = predict(Path("in.csv"), Path("out2.csv"))
    (drifted,) = [w for w in result.warnings if "drift" in w]
    assert drifted.startswith("country: ") and "unseen" not in drifted
    assert result.warnings[1].startswith(
        "country: 1 value(s) in categories unseen in training ('Atlantis')"
    )


def test_a_few_missing_values_training_never_had_are_warned_about(project: Path):
    # modeldata's concrete: one `age` written NA moved a strength from 48.9 to 22.6, imputed,
    # and the console said only "No drift" (probe 52).
    frame = pd.read_csv("data/processed/features.csv")
    frame.loc[3, "n_orders"] = None
    frame.drop(columns=["is_high_value"]).to_csv("in.csv", index=False)
    result = predict(Path("in.csv"), Path("out.csv"))
    assert result.drift is not None and not result.drift.drifted
    rows = len(frame)
    assert result.warnings == [
        f"n_orders: 1 of {rows} values missing ({1 / rows:.1%}; 0.0% in training), imputed "
        "as in training"
    ]
    # ... also in a column drifted for its values (Ecdat's Cigar, probe 53).
    frame["n_orders"] = frame["n_orders"] + 20
    frame.drop(columns=["is_high_value"]).to_csv("in.csv", index=False)
    result = predict(Path("in.csv"), Path("out2.csv"))
    assert result.warnings[0].startswith("n_orders: ") and "drift" in result.warnings[0]
    assert any(w.startswith("n_orders: 1 of ") for w in result.warnings[1:])


def test_a_category_written_otherwise_but_for_case_is_read_as_training(project: Path):
    # mlmRev's Wage scored with `2. Married ` (a trailing space): every row unknown, and no
    # word said why (probe 52); Ecdat's Housing with YES/NO for yes/no: all 137 prices moved,
    # and only a drift line said so (probe 53). Such a value is the training category.
    frame = pd.read_csv("data/processed/features.csv").head(200)
    known = frame["country"].mode()[0]
    frame.loc[3, "country"] = known
    frame.drop(columns=["is_high_value"]).to_csv("clean.csv", index=False)
    frame.loc[3, "country"] = f" {known.lower()}"
    frame.drop(columns=["is_high_value"]).to_csv("in.csv", index=False)
    result = predict(Path("in.csv"), Path("out.csv"))
    assert result.warnings == []
    assert (
        f"country: 1 value(s) written otherwise than training's categories but for case or "
        f"spaces, read as them (' {known.lower()}' as '{known}'); write them as training did "
        "to drop this note"
    ) in result.notices
    predict(Path("clean.csv"), Path("clean_out.csv"))
    pd.testing.assert_frame_equal(pd.read_csv("out.csv"), pd.read_csv("clean_out.csv"))


def test_an_id_column_missing_from_the_input_is_said(project: Path):
    # concrete, bladder1, hsb2 scored without their id column: the output had no ids, and the
    # run said nothing (probe 52).
    frame = pd.read_csv("data/processed/features.csv").head(40)
    frame.drop(columns=["is_high_value", "user_id"]).to_csv("in.csv", index=False)
    result = predict(Path("in.csv"), Path("out.csv"))
    assert "user_id" not in pd.read_csv("out.csv").columns
    assert (
        "in.csv has no id column 'user_id' (the run's): the output has no such column; add it "
        "to carry the ids"
    ) in result.notices


def test_string_ids_are_kept_as_written(project: Path):
    frame = pd.read_csv("data/processed/features.csv").head(5)
    frame["user_id"] = ["a,1", "b", '"c"', "007", "é"]
    frame.to_csv("in.csv", index=False)
    predict(Path("in.csv"), Path("out.csv"))
    assert (
        pd.read_csv("out.csv", dtype={"user_id": str})["user_id"].tolist()
        == frame["user_id"].tolist()
    )


def test_output_extension_is_checked_before_any_work(project: Path):
    with pytest.raises(MLBaselineError, match=r"unknown table format '\.txt'"):
        predict(Path("data/processed/features.csv"), Path("out.txt"))
    with pytest.raises(MLBaselineError, match="is the input file"):
        predict(Path("data/processed/features.csv"), Path("data/processed/features.csv"))


# --- less work per row, the same bytes ---------------------------------------------------------


def _categorical_model(task: str, kind: str, levels: int):
    """A fitted pipeline on two categorical columns (one with `levels` levels, some rare, some
    cells missing) and a number, and the frame of rows to score: unseen levels and missing
    cells included."""
    import numpy as np
    import pyarrow as pa

    from ml_baseline import models
    from ml_baseline.roles import infer_features
    from ml_baseline.schema import InputReport, InputSchema

    rng = np.random.default_rng(0)
    n = 1_000

    def table(rows: int, unseen: bool) -> pa.Table:
        city = rng.choice([f"city{i}" for i in range(levels)], size=rows).astype(object)
        shade = rng.choice(["light", "dark", "mid"], size=rows).astype(object)
        city[rng.random(rows) < 0.05] = None
        shade[::17] = None
        if unseen:
            city[::13] = "Atlantis"
            shade[5::29] = "ultraviolet"
        return pa.table(
            {
                "x": rng.normal(size=rows),
                "city": pa.array(city, pa.string()),
                "shade": pa.array(shade, pa.string()),
            }
        )

    training = table(n, unseen=False)
    features, *_ = infer_features(training, set(), {})
    assert [f.kind for f in features] == ["numeric", "categorical", "categorical"]
    labels = ["a", "b", "c"] if task == "multiclass" else None
    schema = InputSchema(
        target="y", labels=labels, positive_label=None, task=task, features=features
    )
    X = schema.convert(training, InputReport("t"))
    y = rng.integers(0, 3 if task == "multiclass" else 2, size=n)
    model = models.build_pipeline(schema, kind, seed=0)
    if kind == "hgb":
        model.set_params(model__max_iter=5)  # a few trees say as much here, and fit fast
    models.fit(model, X, y.astype(float) if task == "regression" else y)
    return model, schema.convert(table(500, unseen=True), InputReport("s"))


@pytest.mark.parametrize("levels", [4, 80])  # 80: rare levels, and a sparse one-hot output
@pytest.mark.parametrize("kind", ["logreg", "hgb"])
@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_categories_transformed_per_distinct_value_equal_scikit_learns(
    task: str, kind: str, levels: int
):
    import numpy as np
    from scipy import sparse

    from ml_baseline import models

    model, X = _categorical_model(task, kind, levels)
    ours = models._preprocess(model[:-1], X)
    theirs = model[:-1].transform(X)
    assert sparse.issparse(ours) == sparse.issparse(theirs)
    if kind == "logreg":
        assert sparse.issparse(theirs) == (levels == 80)  # both of the stacking's outputs
    if sparse.issparse(theirs):
        assert (ours.indptr == theirs.indptr).all() and (ours.indices == theirs.indices).all()
        ours, theirs = ours.data, theirs.data
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    assert np.array_equal(ours, theirs, equal_nan=True)


def test_numbers_imputed_and_scaled_by_hand_equal_scikit_learns():
    import warnings

    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from ml_baseline import models

    rng = np.random.default_rng(3)

    def frame(rows: int) -> pd.DataFrame:
        values = {
            "amount": rng.lognormal(3, 1, rows),
            "count": rng.integers(0, 5, rows).astype(float),
            "flag": rng.integers(0, 2, rows).astype(float),
            "constant": np.full(rows, 7.0),  # scale 0: divided by 1
            "empty": np.full(rows, np.nan),  # empty in training: left out
        }
        table = pd.DataFrame(values)
        for name in ("amount", "count", "flag"):
            table.loc[rng.random(rows) < 0.1, name] = np.nan
        return table

    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    steps = Pipeline([("preprocess", ColumnTransformer([("numeric", numeric, list(frame(1)))]))])
    X = frame(300)
    X.loc[::4, "empty"] = 1.5  # filled now, still left out
    for with_mean in (True, False):
        numeric.set_params(scale__with_mean=with_mean)
        with warnings.catch_warnings():  # "Skipping features without any observed values"
            warnings.simplefilter("ignore", UserWarning)
            steps.fit(frame(500))
            theirs = steps.transform(X)
        ours = models._preprocess(steps, X)
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape == (300, 4)
        assert np.array_equal(ours, theirs)  # bit for bit, no NaN left


@pytest.mark.parametrize("output", ["out.csv", "out.parquet"])
def test_predictions_are_the_bytes_scikit_learns_transform_gives(
    project: Path, monkeypatch: pytest.MonkeyPatch, output: str
):
    from ml_baseline import models

    frame = pd.read_csv("data/processed/features.csv").head(300)
    frame.loc[::7, "country"] = "ZZ"  # unseen
    frame.loc[3::11, "country"] = None  # missing
    frame.loc[::5, "n_orders"] = None
    frame.to_csv("in.csv", index=False)
    frame.to_parquet("in.parquet", index=False)
    for source in ("in.csv", "in.parquet"):
        predict(Path(source), Path(output), batch_size=7)
        ours = Path(output).read_bytes()
        with monkeypatch.context() as patched:
            patched.setattr(models, "_transformed_blocks", _blocks_by_scikit_learn)
            predict(Path(source), Path(output), batch_size=7)
        assert ours == Path(output).read_bytes(), source


def _blocks_by_scikit_learn(columns, X):
    """`models._transformed_blocks` done by each transformer's own `transform` on every row."""
    for name, transformer, names in columns.transformers_:
        if transformer != "drop" and len(names):
            yield name, transformer.transform(X[list(names)]), None


@pytest.mark.parametrize("classes", [2, 3])
def test_linear_outputs_equal_the_estimators_and_do_not_depend_on_the_batch(classes: int):
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from ml_baseline import models
    from ml_baseline.schema import CATEGORICAL, NUMERIC, Feature, InputSchema

    rng = np.random.default_rng(5)
    rows = 400
    # 20 numbers: wider than the columns a row dot sums one by one; the categories are narrow.
    X = pd.DataFrame({f"x{i}": rng.normal(size=rows) for i in range(20)})
    X["city"] = rng.choice(np.array(["a", "b", "c", "d", np.nan], dtype=object), rows)
    X.loc[::9, "x3"] = np.nan
    y = rng.integers(0, classes, rows)
    features = [Feature(f"x{i}", NUMERIC, "double") for i in range(20)]
    features.append(Feature("city", CATEGORICAL, "string"))
    labels = list(range(classes))
    schema = InputSchema(
        "y", labels, labels[-1], features, task="binary" if classes == 2 else "multiclass"
    )
    model = models.build_pipeline(schema)
    model.fit(X, y)
    assert isinstance(model[-1], LogisticRegression)

    raw = models._linear_predictor(model[:-1], X, model[-1])
    theirs = model[-1].decision_function(Pipeline(model.steps[:-1]).transform(X))
    assert np.allclose(raw.squeeze(), theirs, rtol=0, atol=1e-12)
    # Any rows scored alone, or in another order, give the same bits.
    for part in (slice(0, 1), slice(7, 150), np.array([399, 0, 200, 5])):
        alone = models._linear_predictor(model[:-1], X.iloc[part], model[-1])
        assert np.array_equal(alone, raw[part])


@pytest.mark.parametrize(
    "values",
    [
        ["1", "22", "abc", None],
        ["a,1", "b"],
        ['"c"', "d"],
        ["line\nbreak"],
        ["cr\r"],
        ["", "x"],
        ["é", "x"],
        ["with space"],
        [None, None],
    ],
)
def test_the_quoting_check_agrees_with_the_pattern(values: list[str | None]):
    import re

    import pyarrow as pa

    from ml_baseline.data import _needs_quotes

    expected = any(v is not None and re.search(r'[",\r\n]', v) for v in values)
    assert _needs_quotes(pa.table({"id": pa.array(values, pa.string())})) == expected


def test_a_model_that_fails_to_load_writes_nothing(project: Path, monkeypatch: pytest.MonkeyPatch):
    from ml_baseline import registry

    def broken(self, schema):
        raise MLBaselineError("model/model.joblib: not loaded")

    monkeypatch.setattr(registry.RunFolder, "model", broken)
    with pytest.raises(MLBaselineError, match="not loaded"):
        predict(Path("data/processed/features.csv"), Path("o.csv"))
    assert not Path("o.csv").exists()
    assert not any(Path().glob(".o.csv.*"))


def test_accents_written_decomposed_score_as_training_wrote_them(tmp_path: Path):
    # Probe 26: `Île-de-France` with its accents decomposed (as some macOS tools write text)
    # was scored as a category never seen on 74% of a table's rows, the warning naming
    # values identical to the eye.
    import unicodedata

    import numpy as np

    from ml_baseline.training import TrainConfig, train

    rng = np.random.default_rng(3)
    regions = np.array(["Île-de-France", "Côte d'Azur", "Zürich", "Bern"])
    region = rng.choice(regions, size=400)
    label = (np.isin(region, regions[:2]) ^ (rng.random(400) < 0.1)).astype(int)
    frame = pd.DataFrame({"region": region, "x": rng.normal(size=400), "label": label})
    frame.to_csv(tmp_path / "t.csv", index=False)
    train(TrainConfig("label", features=tmp_path / "t.csv", models_dir=tmp_path / "m"))
    decomposed = frame.assign(region=[unicodedata.normalize("NFD", r) for r in region])
    decomposed.to_csv(tmp_path / "nfd.csv", index=False)
    composed = predict(tmp_path / "t.csv", tmp_path / "a.csv", models_dir=tmp_path / "m")
    scored = predict(tmp_path / "nfd.csv", tmp_path / "b.csv", models_dir=tmp_path / "m")
    a, b = pd.read_csv(tmp_path / "a.csv"), pd.read_csv(tmp_path / "b.csv")
    assert a["score"].tolist() == b["score"].tolist()
    assert not any("region" in warning for warning in scored.warnings), scored.warnings
    assert composed.rows == scored.rows == 400


@pytest.mark.parametrize("written", ["int", "float"])
def test_a_code_written_as_numbers_scores_as_the_category_it_was(tmp_path: Path, written: str):
    # Wooldridge's meap01: `dcode`, the district of each school, is read as categories
    # (probe 32). Written `1010.0` in a CSV (predict reads a categorical column as text), or
    # as floats in a Parquet file with an empty cell, it is still category 1010 of training.
    import numpy as np

    from ml_baseline.training import TrainConfig, train

    rng = np.random.default_rng(32)
    district = rng.choice([1010, 2070, 63010, 82010], size=400)
    label = (np.isin(district, [1010, 63010]) ^ (rng.random(400) < 0.1)).astype(int)
    codes = district.astype(float) if written == "float" else district
    frame = pd.DataFrame({"dcode": codes, "x": rng.normal(size=400), "label": label})
    frame.to_csv(tmp_path / "t.csv", index=False)
    result = train(TrainConfig("label", features=tmp_path / "t.csv", models_dir=tmp_path / "m"))
    (feature,) = [f for f in result.schema.features if f.name == "dcode"]
    assert feature.kind == "categorical"
    assert set(feature.categories) == {"1010", "2070", "63010", "82010"}
    plain = predict(tmp_path / "t.csv", tmp_path / "a.csv", models_dir=tmp_path / "m")
    as_floats = frame.assign(dcode=frame["dcode"].astype(float))
    as_floats.loc[0, "dcode"] = np.nan
    as_floats.to_parquet(tmp_path / "f.parquet")
    scored = predict(tmp_path / "f.parquet", tmp_path / "b.csv", models_dir=tmp_path / "m")
    a, b = pd.read_csv(tmp_path / "a.csv"), pd.read_csv(tmp_path / "b.csv")
    assert a["score"].iloc[1:].tolist() == b["score"].iloc[1:].tolist()
    assert not any("unseen" in warning for warning in plain.warnings + scored.warnings)
