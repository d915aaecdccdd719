"""The models of each task: the baseline, the model pipeline, and their outputs row by row.

Tasks: "binary" and "multiclass" classification, "regression". Models: "logreg" (a linear
model: LogisticRegression, or Ridge for regression) and "hgb" (HistGradientBoosting). All
preprocessing lives inside the pipeline, so it is fit on the rows the pipeline is fit on.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ml_baseline.schema import (
    BOOLEAN,
    CATEGORICAL,
    MAX_CATEGORIES,
    MIN_CATEGORY_ROWS,
    NUMERIC,
    InputSchema,
)

if TYPE_CHECKING:
    import numpy as np

BINARY = "binary"
MULTICLASS = "multiclass"
REGRESSION = "regression"
MAX_ITER = 1000


class ModelKind(StrEnum):
    logreg = "logreg"
    hgb = "hgb"


def describe(task: str, kind: str) -> str:
    """Return the model family in words, for people."""
    if kind == ModelKind.hgb:
        return "HistGradientBoosting" + ("Regressor" if task == REGRESSION else "Classifier")
    return "Ridge" if task == REGRESSION else "LogisticRegression"


def build_baseline(task: str) -> Any:
    """Return the unfitted baseline: the majority class, or the mean for regression."""
    from sklearn.dummy import DummyClassifier, DummyRegressor

    if task == REGRESSION:
        return DummyRegressor(strategy="mean")
    return DummyClassifier(strategy="most_frequent")


def build_pipeline(schema: InputSchema, kind: str = ModelKind.logreg, seed: int = 0) -> Any:
    """Return the unfitted model pipeline for the schema's task and features."""
    from sklearn.pipeline import Pipeline

    if kind == ModelKind.hgb:
        return Pipeline(
            [("preprocess", _tree_preprocessing(schema)), ("model", _hgb(schema, seed))]
        )
    from sklearn.linear_model import LogisticRegression, Ridge

    estimator = Ridge() if schema.task == REGRESSION else LogisticRegression(max_iter=MAX_ITER)
    return Pipeline([("preprocess", _linear_preprocessing(schema)), ("model", estimator)])


def _linear_preprocessing(schema: InputSchema) -> Any:
    """Median imputation and scaling for numbers; most-frequent imputation and one-hot
    encoding, with rare levels grouped, for categories."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = schema.model_columns((NUMERIC, BOOLEAN))
    categorical = schema.model_columns((CATEGORICAL,))
    steps = []
    if numeric:
        numeric_steps = Pipeline(
            [("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]
        )
        steps.append(("numeric", numeric_steps, numeric))
    if categorical:
        categorical_steps = Pipeline(
            [
                ("impute", SimpleImputer(strategy="most_frequent")),
                (
                    "onehot",
                    # Rare levels share one column, so a high-cardinality column stays small;
                    # unseen levels join that column (or none, if all levels were frequent).
                    OneHotEncoder(
                        handle_unknown="infrequent_if_exist",
                        min_frequency=MIN_CATEGORY_ROWS,
                        max_categories=MAX_CATEGORIES,
                    ),
                ),
            ]
        )
        steps.append(("categorical", categorical_steps, categorical))
    return ColumnTransformer(steps)


def _tree_preprocessing(schema: InputSchema) -> Any:
    """Numbers as they are (the trees handle missing values); categories as ordinal codes,
    with unseen and rare levels as missing."""
    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OrdinalEncoder

    numeric = schema.model_columns((NUMERIC, BOOLEAN))
    categorical = schema.model_columns((CATEGORICAL,))
    steps: list[tuple[str, Any, list[str]]] = []
    if numeric:
        steps.append(("numeric", "passthrough", numeric))
    if categorical:
        encoder = OrdinalEncoder(
            handle_unknown="use_encoded_value",
            unknown_value=np.nan,
            encoded_missing_value=np.nan,
            min_frequency=MIN_CATEGORY_ROWS,
            max_categories=MAX_CATEGORIES,
        )
        steps.append(("categorical", encoder, categorical))
    return ColumnTransformer(steps)


def _hgb(schema: InputSchema, seed: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    n_numeric = len(schema.model_columns((NUMERIC, BOOLEAN)))
    n_categorical = len(schema.model_columns((CATEGORICAL,)))
    categorical = [False] * n_numeric + [True] * n_categorical
    if schema.task == REGRESSION:
        return HistGradientBoostingRegressor(categorical_features=categorical, random_state=seed)
    return HistGradientBoostingClassifier(categorical_features=categorical, random_state=seed)


def outputs(model: Any, X: Any, task: str) -> np.ndarray:
    """Return what the model says about each row: the positive-class probability (binary),
    one probability per class (multiclass), or the predicted value (regression).

    Linear models are evaluated row by row: a matrix product lets BLAS pick kernels (and so
    summation orders) by the batch's shape, which would make a row's output depend on which
    rows share its batch. Here it never does, so streaming scores equal whole-file scores and
    the holdout scores of training, bit for bit. (Tree ensembles already sum per row.)
    """
    import numpy as np
    from scipy.special import expit, softmax

    estimator = model[-1]
    if not hasattr(estimator, "coef_"):
        if task == REGRESSION:
            return estimator.predict(model[:-1].transform(X))
        proba = model.predict_proba(X)
        return proba[:, 1] if task == BINARY else proba
    transformed = model[:-1].transform(X)
    coef = np.atleast_2d(estimator.coef_)
    intercept = np.atleast_1d(estimator.intercept_)
    logits = np.column_stack([_row_dot(transformed, row) for row in coef]) + intercept
    if task == REGRESSION:
        return logits[:, 0]
    if task == BINARY:
        return expit(logits[:, 0])
    return softmax(logits, axis=1)


def output_columns(schema: InputSchema, out: np.ndarray, threshold: float | None) -> dict[str, Any]:
    """Return the prediction columns of an output file for model outputs `out`:
    binary: score (probability of the positive label) and prediction; multiclass: one
    probability column per class (proba_<label>) and prediction; regression: prediction."""
    import numpy as np
    import pyarrow as pa

    if schema.task == REGRESSION:
        return {"prediction": pa.array(out, type=pa.float64())}
    if schema.task == BINARY:
        return {
            "score": pa.array(out, type=pa.float64()),
            "prediction": schema.predicted_labels(out, threshold),
        }
    columns: dict[str, Any] = {
        f"proba_{label}": pa.array(out[:, i], type=pa.float64())
        for i, label in enumerate(schema.labels)
    }
    columns["prediction"] = pa.array(schema.label_array()[np.argmax(out, axis=1)])
    return columns


def _row_dot(transformed: Any, weights: np.ndarray) -> np.ndarray:
    import numpy as np
    from scipy import sparse

    if sparse.issparse(transformed):
        return np.asarray(sparse.csr_matrix(transformed).multiply(weights).sum(axis=1)).ravel()
    return (np.asarray(transformed, dtype=np.float64) * weights).sum(axis=1)


def fit(model: Any, X: Any, y: np.ndarray) -> list[str]:
    """Fit `model` and return notices (a linear model that did not converge, say)."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(X, y)
    return [
        f"{type(model[-1]).__name__} did not converge in {MAX_ITER} iterations; "
        "its outputs may be slightly off"
        for w in caught
        if issubclass(w.category, ConvergenceWarning)
    ][:1]
