"""The floors of bench/shapes.py: the least code that trains, or scores with, the same model.

    python bench/floor_shapes.py train TABLE TASK MODEL     # prints the holdout score
    python bench/floor_shapes.py predict RUN_DIR TABLE OUTPUT

train: pyarrow read, a 20% holdout (stratified for classes, seed 42), the plain model (median
impute + scale + LogisticRegression(max_iter=1000), or Ridge for regression; or
HistGradientBoosting as it comes), fit, outputs on the holdout, one score. No baseline,
intervals, audit, importance, plots or run folder. predict: joblib.load of the run's model,
read the whole table, outputs for every row, write id and outputs with pyarrow.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

TARGET = "target"
ID = "id"


def outputs(model, X):
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(X)
        return proba[:, 1] if proba.shape[1] == 2 else proba
    return model.predict(X)


def train(table_path: Path, task: str, kind: str) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    frame = pq.read_table(table_path).to_pandas()
    y = frame.pop(TARGET).to_numpy()
    X = frame.drop(columns=[ID])
    stratify = None if task == "regression" else y
    X_train, X_holdout, y_train, y_holdout = train_test_split(
        X, y, test_size=0.2, stratify=stratify, random_state=42
    )
    if kind == "hgb":
        model = (
            HistGradientBoostingRegressor(random_state=42)
            if task == "regression"
            else HistGradientBoostingClassifier(random_state=42)
        )
    else:
        estimator = Ridge() if task == "regression" else LogisticRegression(max_iter=1000)
        model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), estimator)
    model.fit(X_train, y_train)
    out = outputs(model, X_holdout)
    if task == "binary":
        print(f"roc_auc {roc_auc_score(y_holdout, out):.6f}")
    elif task == "multiclass":
        print(f"accuracy {accuracy_score(y_holdout, model.classes_[out.argmax(axis=1)]):.6f}")
    else:
        print(f"r2 {r2_score(y_holdout, out):.6f}")


def predict(run_dir: Path, table_path: Path, output: Path) -> None:
    import joblib

    model = joblib.load(run_dir / "model" / "model.joblib")
    table = pq.read_table(table_path)
    features = [name for name in table.column_names if name not in (ID, TARGET)]
    out = np.asarray(outputs(model, table.select(features).to_pandas()))
    columns = {ID: table.column(ID)}
    if out.ndim == 1:
        columns["output"] = pa.array(out)
    else:
        columns.update({f"proba_{k}": pa.array(out[:, k]) for k in range(out.shape[1])})
    pq.write_table(pa.table(columns), output)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "train":
        train(Path(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == "predict":
        predict(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        sys.exit(__doc__)
