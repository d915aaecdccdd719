"""The model pipeline (preprocessing and the task's estimator) and its outputs row by row.

Models: "logreg" (a linear model: LogisticRegression, or Ridge for regression) and "hgb"
(HistGradientBoosting); the task (tasks.py) supplies the estimator and turns its raw output
into scores, probabilities or values. All preprocessing lives inside the pipeline, so it is
fit on the rows the pipeline is fit on.
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
from ml_baseline.tasks import MAX_ITER, Task, get_task

if TYPE_CHECKING:
    import numpy as np


class ModelKind(StrEnum):
    logreg = "logreg"
    hgb = "hgb"


def build_pipeline(schema: InputSchema, kind: str = ModelKind.logreg, seed: int = 0) -> Any:
    """Return the unfitted model pipeline for the schema's task and features."""
    from sklearn.pipeline import Pipeline

    task = get_task(schema.task)
    if kind == ModelKind.hgb:
        # The trees take numbers as they are and categories as ordinal codes, flagged.
        n_numeric = len(schema.model_columns((NUMERIC, BOOLEAN)))
        n_categorical = len(schema.model_columns((CATEGORICAL,)))
        categorical = [False] * n_numeric + [True] * n_categorical
        estimator = task.build_estimator(kind, categorical, seed)
        return Pipeline([("preprocess", _tree_preprocessing(schema)), ("model", estimator)])
    estimator = task.build_estimator(kind, [], seed)
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


def outputs(model: Any, X: Any, task: Task | str) -> np.ndarray:
    """Return what the model says about each row: the positive-class probability (binary),
    one probability per class (multiclass), or the predicted value (regression).

    Linear models are evaluated row by row: a matrix product lets BLAS pick kernels (and so
    summation orders) by the batch's shape, which would make a row's output depend on which
    rows share its batch. Here it never does, so streaming scores equal whole-file scores and
    the holdout scores of training, bit for bit. (Tree ensembles already sum per row.)
    """
    import numpy as np

    task = get_task(task) if isinstance(task, str) else task
    estimator = model[-1]
    if not hasattr(estimator, "coef_"):
        return task.from_estimator(model, X)
    transformed = model[:-1].transform(X)
    coef = np.atleast_2d(estimator.coef_)
    intercept = np.atleast_1d(estimator.intercept_)
    return task.from_linear(
        np.column_stack([_row_dot(transformed, row) for row in coef]) + intercept
    )


def _row_dot(transformed: Any, weights: np.ndarray) -> np.ndarray:
    import numpy as np
    from scipy import sparse

    if sparse.issparse(transformed):
        return np.asarray(sparse.csr_matrix(transformed).multiply(weights).sum(axis=1)).ravel()
    return (np.asarray(transformed, dtype=np.float64) * weights).sum(axis=1)


def fit(model: Any, X: Any, y: np.ndarray) -> list[str]:
    """Fit `model` and return notices: one per distinct warning the fit raised (a linear model
    that did not converge, say), so that none is lost and none floods the terminal."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    notices = []
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            notice = (
                f"{type(model[-1]).__name__} did not converge in {MAX_ITER} iterations; "
                "its outputs may be slightly off"
            )
        else:
            notice = f"while fitting: {warning.category.__name__}: {warning.message}"
        notices.append(notice)
    return list(dict.fromkeys(notices))
