"""The floor for `ml-baseline train`: plain scikit-learn, the same model, nothing else.

Reads the whole table with pyarrow, makes the same stratified holdout (20%, seed 42), fits the
same pipeline (median impute + scale for numbers, most-frequent impute + one-hot for `country`,
LogisticRegression), scores the holdout and prints its ROC AUC. No bootstrap, no run folder.

    python bench/floor_train.py FEATURES    (.csv or .parquet, by extension)
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

TARGET = "is_high_value"
NUMERIC = ["n_orders", "avg_amount", "total_amount"]
CATEGORICAL = ["country"]


def main(path: Path) -> None:
    if path.suffix == ".csv":
        convert = pacsv.ConvertOptions(strings_can_be_null=True)
        table = pacsv.read_csv(path, convert_options=convert)
    else:
        table = pq.read_table(path)
    frame = table.select([*NUMERIC, *CATEGORICAL, TARGET]).to_pandas()
    X, y = frame[NUMERIC + CATEGORICAL], frame[TARGET].to_numpy()
    X_train, X_holdout, y_train, y_holdout = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=42
    )
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    categorical = Pipeline(
        [
            ("impute", SimpleImputer(strategy="most_frequent")),
            ("onehot", OneHotEncoder(handle_unknown="ignore")),
        ]
    )
    model = Pipeline(
        [
            (
                "preprocess",
                ColumnTransformer(
                    [("numeric", numeric, NUMERIC), ("categorical", categorical, CATEGORICAL)]
                ),
            ),
            ("model", LogisticRegression(max_iter=1000)),
        ]
    )
    model.fit(X_train, y_train)
    score = model.predict_proba(X_holdout)[:, 1]
    print(f"roc_auc {roc_auc_score(y_holdout, score):.6f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
