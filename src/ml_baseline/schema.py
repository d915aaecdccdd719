"""The input schema: inferred at training, saved as JSON, checked and aligned at prediction time.

One function, `InputSchema.convert`, turns an Arrow table (from any reader, at training or at
prediction time) into the feature frame the pipeline sees. Because training and scoring share
it, a row scores the same whichever file format or batch it arrives in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ml_baseline.errors import MLBaselineError
from ml_baseline.tasks import BINARY, TASKS

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

SCHEMA_VERSION = 1

NUMERIC = "numeric"
BOOLEAN = "boolean"
CATEGORICAL = "categorical"
DATETIME = "datetime"

# Column roles decided at training.
ID_LIKE_SHARE = 0.95  # share of distinct values from which text or a dense integer range is an id
ID_LIKE_MIN_ROWS = 20
MAX_CATEGORIES = 50  # one-hot columns per categorical feature; rarer levels share one column
MIN_CATEGORY_ROWS = 5  # a level seen fewer times in training joins the rare group
MAX_STORED_CATEGORIES = 1000  # levels listed in the schema (for unseen-category warnings)
CALENDAR_PARTS = ("year", "month", "day", "day_of_week")
_OTHER_DATE_FORMS = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}( .*)?$"

# Spellings of a boolean in a CSV cell (pyarrow's defaults, case-insensitive).
_TRUE = ("true", "1")
_FALSE = ("false", "0")
_EXAMPLES_KEPT = 3


@dataclass
class Feature:
    """One input column the model uses, as it was seen on the training split."""

    name: str
    kind: str  # NUMERIC, BOOLEAN, CATEGORICAL or DATETIME
    dtype: str  # the Arrow type it was read with at training, for people
    missing_share: float = 0.0
    min: float | str | None = None  # numbers; ISO text for dates
    max: float | str | None = None
    categories: list[str] | None = None  # CATEGORICAL: the values seen in training, sorted
    n_categories: int | None = None  # CATEGORICAL: how many; `categories` lists them all if
    # there are at most MAX_STORED_CATEGORIES, else the most frequent ones
    parts: list[str] | None = None  # DATETIME: the calendar features made from it

    @property
    def model_columns(self) -> list[str]:
        """The columns this feature becomes in the model's input frame."""
        if self.kind == DATETIME:
            return [f"{self.name}__{part}" for part in self.parts or CALENDAR_PARTS]
        return [self.name]

    @property
    def all_categories_known(self) -> bool:
        if self.categories is None:
            return False
        return self.n_categories is None or len(self.categories) == self.n_categories


@dataclass
class InputSchema:
    """What a table must hold to be scored by a run, and what training saw in it."""

    target: str
    labels: list[Any] | None  # classification: the labels (binary: [negative, positive])
    positive_label: Any  # binary only
    features: list[Feature]
    task: str = BINARY  # a task of tasks.py; schemas written before tasks existed are binary
    id_columns: dict[str, str] = field(default_factory=dict)  # name -> Arrow type at training
    excluded_columns: dict[str, str] = field(default_factory=dict)  # name -> why not a feature
    format_version: int = SCHEMA_VERSION

    @property
    def feature_names(self) -> list[str]:
        return [f.name for f in self.features]

    @property
    def forbidden_columns(self) -> list[str]:
        """Columns that must never be model inputs: the target."""
        return [self.target]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["forbidden_columns"] = self.forbidden_columns
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InputSchema:
        version = data.get("format_version")
        if version != SCHEMA_VERSION:
            raise MLBaselineError(
                f"input schema format version {version!r} is not supported by this "
                f"ml-baseline (expects {SCHEMA_VERSION}); retrain the run or use a matching version"
            )
        fields = {k: v for k, v in data.items() if k != "forbidden_columns"}
        fields["features"] = [Feature(**f) for f in data["features"]]
        schema = cls(**fields)
        problem = schema._problem()
        if problem is not None:
            raise ValueError(problem)
        return schema

    def _problem(self) -> str | None:
        """Return what makes a schema read from a file unusable, or None."""
        if self.task not in TASKS:
            return f"unknown task {self.task!r}"
        if not self.features:
            return "no features"
        for feature in self.features:
            if feature.kind not in _CONVERTERS:
                return f"feature {feature.name!r} has an unknown kind {feature.kind!r}"
        classes = self.labels if isinstance(self.labels, list) else []
        if TASKS[self.task].has_positive_label and (
            len(classes) != 2 or self.positive_label not in classes
        ):
            return f"labels {self.labels!r} and positive label {self.positive_label!r} do not fit"
        if TASKS[self.task].classifies and len(classes) < 2:
            return f"labels {self.labels!r} are not the classes of a {self.task} target"
        return None

    def columns_to_read(
        self, available: list[str], source: str, *, with_target: bool = False
    ) -> tuple[list[str], list[str]]:
        """Return the columns to read from a table with `available` columns, and notices.

        Raises a clear error naming every feature column the table lacks (and the target, when
        `with_target` asks for the true labels).
        """
        present = set(available)
        missing = [name for name in self.feature_names if name not in present]
        if missing:
            raise MLBaselineError(
                f"{source} is missing {len(missing)} feature column(s) the model needs: "
                f"{', '.join(missing)}; add them (empty cells are allowed)"
            )
        notices = []
        if with_target and self.target not in present:
            raise MLBaselineError(
                f"{source} has no target column {self.target!r}: evaluating needs the true "
                "labels (to score unlabelled rows, use predict)"
            )
        if self.target in present and not with_target:
            notices.append(f"{source} has the target column {self.target!r}: it is ignored")
        wanted = set(self.feature_names) | set(self.id_columns)
        extra = [name for name in available if name not in wanted and name != self.target]
        if extra:
            shown = ", ".join(extra[:5]) + (", ..." if len(extra) > 5 else "")
            notices.append(
                f"{source}: ignoring {len(extra)} column(s) the model does not use: {shown}"
            )
        ids = [name for name in self.id_columns if name in present]
        return self.feature_names + ids + ([self.target] if with_target else []), notices

    def convert(self, table: pa.Table, report: InputReport, first_row: int = 1) -> pd.DataFrame:
        """Return the model's feature frame for `table`, noting problems in `report`.

        Numeric and boolean features become float64, categorical ones object arrays of str with
        NaN for missing. `first_row` is the 1-based row number of the table's first row in its
        file, so that problems are reported by the row a person can find.
        """
        import pandas as pd

        columns = {}
        for feature in self.features:
            values, bad = _convert(feature.kind, table.column(feature.name))
            report.note_column(feature, table.column(feature.name), values, bad, first_row)
            if feature.kind == DATETIME:
                columns.update(calendar_parts(values, feature))
            else:
                # object, not pandas' str dtype: the same dtype whatever values a batch holds.
                columns[feature.name] = pd.Series(values, dtype=values.dtype, copy=False)
        return pd.DataFrame(columns, copy=False)

    def model_columns(self, kinds: tuple[str, ...]) -> list[str]:
        """Return the model input columns made from features of these kinds (dates' calendar
        parts are numeric)."""
        return [
            column
            for f in self.features
            for column in f.model_columns
            if (NUMERIC if f.kind == DATETIME else f.kind) in kinds
        ]

    def id_values(self, table: pa.Table) -> dict[str, pa.ChunkedArray]:
        """Return the id columns present in `table`, as they were read (text from a CSV)."""
        return {name: table.column(name) for name in self.id_columns if name in table.column_names}

    def encode_target(self, column: pa.ChunkedArray) -> tuple[Any, Any]:
        """Return (y, unknown) for a target column read from any file: y is the value
        (regression), the class index (multiclass) or 1 for the positive label (binary), as
        float with NaN where the cell is empty; `unknown` marks cells that are not a number
        (regression) or not one of the labels. Labels match by value: 1, "1" and "1.0" are
        the same label."""
        from ml_baseline.tasks import get_task

        return get_task(self.task).encode_labels(column.to_pandas(), self.labels)

    def predicted_labels(self, score: Any, threshold: float) -> pa.Array:
        """Return the predicted label, in the target's own values, for each positive-class score."""
        from ml_baseline.tasks import get_task

        return get_task(self.task).output_columns(self.labels, score, threshold)["prediction"]


def check_id_columns(table: pa.Table, names: Iterable[str], source: str) -> None:
    """Refuse id columns that cannot be written to a CSV cell (lists, structs, maps)."""
    import pyarrow.types as pat

    for name in names:
        if name in table.column_names and pat.is_nested(table.column(name).type):
            raise MLBaselineError(
                f"id column {name!r} of {source} holds {table.column(name).type} values; ids "
                "must be numbers or text"
            )


def infer_kind(arrow_type: pa.DataType) -> str | None:
    """Return the feature kind for a column read with `arrow_type`, or None if unsupported."""
    import pyarrow as pa
    import pyarrow.types as pat

    if pat.is_boolean(arrow_type):
        return BOOLEAN
    if pat.is_integer(arrow_type) or pat.is_floating(arrow_type) or pat.is_decimal(arrow_type):
        return NUMERIC
    if pat.is_dictionary(arrow_type):
        return infer_kind(arrow_type.value_type)
    if pat.is_timestamp(arrow_type) or pat.is_date(arrow_type):
        return DATETIME
    if pat.is_string(arrow_type) or pat.is_large_string(arrow_type) or arrow_type == pa.null():
        return CATEGORICAL
    return None


def infer_features(
    table: pa.Table, skip: set[str], dropped: list[str]
) -> tuple[list[Feature], dict[str, str], list[str]]:
    """Return the features of a training table, the columns left out with the reason, and one
    notice per decision a person should know about.

    Left out: columns in `dropped` (--drop-col), unsupported types, constant or always-empty
    columns, and id-like ones (text with nearly all values distinct; whole numbers with nearly
    all values distinct that form a dense range or a column named like an id). Text columns of
    ISO 8601 dates become calendar features; dates in other forms are left out.
    """
    features, excluded, notices = [], {}, []

    def leave_out(name: str, why: str) -> None:
        excluded[name] = why
        notices.append(f"left out column {name!r}: {why}")

    for name in table.column_names:
        if name in skip:
            continue
        if name in dropped:
            leave_out(name, "dropped by --drop-col")
            continue
        column = _decoded(table.column(name))
        kind = infer_kind(column.type)
        if kind is None:
            leave_out(name, f"type {column.type} is not supported as a feature")
            continue
        if kind == CATEGORICAL and _parses_as_dates(column):
            kind = DATETIME
        why = _not_a_feature(name, column, kind)
        if why:
            leave_out(name, why)
            continue
        dtype = str(table.column(name).type)
        if kind == DATETIME:
            parts = _calendar_parts_for(column)
            notices.append(f"column {name!r} holds dates: used as {', '.join(parts)}")
            features.append(Feature(name=name, kind=kind, dtype=dtype, parts=parts))
            continue
        features.append(Feature(name=name, kind=kind, dtype=dtype))
    return features, excluded, notices


def _decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return a dictionary-encoded (Parquet categorical) column as plain values."""
    import pyarrow.types as pat

    return column.cast(column.type.value_type) if pat.is_dictionary(column.type) else column


def _not_a_feature(name: str, column: pa.ChunkedArray, kind: str) -> str | None:
    """Return why a column should not be a feature, or None."""
    import re

    import pyarrow.compute as pc
    import pyarrow.types as pat

    present = len(column) - column.null_count
    if present == 0:
        return "always empty"
    distinct = pc.count_distinct(column).as_py()
    if distinct == 1:
        value = pc.drop_null(column)[0].as_py()
        return f"constant ({value!r} in every row that has a value)"
    if present < ID_LIKE_MIN_ROWS or distinct < ID_LIKE_SHARE * present:
        if kind == CATEGORICAL and _looks_like_other_dates(column):
            return (
                "looks like dates in a form other than ISO 8601 (2024-01-31); convert them to "
                "that form to use them as dates"
            )
        return None
    hint = f"pass --id-col {name} to carry it into predictions"
    if kind == CATEGORICAL:
        if _looks_like_other_dates(column):
            return "looks like dates in a form other than ISO 8601 (2024-01-31)"
        return f"looks like an id ({distinct} distinct of {present} values); {hint}"
    if kind == NUMERIC and pat.is_integer(column.type):
        low, high = pc.min_max(column).values()
        dense = high.as_py() - low.as_py() + 1 <= 2 * distinct
        named = re.search(r"(^|_|\b)id$|_id$|^id_|number$|_no$", name, flags=re.IGNORECASE)
        if dense or named:
            return f"looks like an id ({distinct} distinct of {present} whole numbers); {hint}"
    return None


def _parses_as_dates(column: pa.ChunkedArray) -> bool:
    """Return whether a text column holds ISO 8601 dates (all non-empty cells parse)."""
    import pyarrow.compute as pc

    values = pc.drop_null(column)
    if len(values) == 0:
        return False
    sample = values.slice(0, 1000)
    if not all(_parse_instant(v) is not _NOT_A_NUMBER for v in pc.unique(sample).to_pylist()):
        return False  # cheap refusal of ordinary text
    _, bad = _to_datetime(values)
    return bad is None or not bad.any()


def _looks_like_other_dates(column: pa.ChunkedArray) -> bool:
    import pyarrow.compute as pc

    sample = pc.drop_null(column).slice(0, 200)
    if len(sample) == 0:
        return False
    text = sample.cast("string") if sample.type != "string" else sample
    return bool(pc.all(pc.match_substring_regex(text, _OTHER_DATE_FORMS)).as_py())


def _calendar_parts_for(column: pa.ChunkedArray) -> list[str]:
    """Return the calendar parts to make from a date column: with hours if times vary."""
    import numpy as np

    values, _ = _to_datetime(column)
    present = values[~np.isnan(values)]
    has_time = bool(len(present)) and bool(np.any(np.mod(present, 86_400) != 0))
    return [*CALENDAR_PARTS, "hour"] if has_time else list(CALENDAR_PARTS)


def describe_feature(feature: Feature, X: pd.DataFrame, column: pa.ChunkedArray) -> Feature:
    """Return the Feature with what the training split shows of it: missing share, range or
    categories. `X` holds the training rows of the model's input frame, `column` the same rows
    of the raw column."""
    import numpy as np
    import pandas as pd

    n = len(X)
    if feature.kind == DATETIME:
        values, _ = _to_datetime(column)
        missing = np.isnan(values)
    else:
        values = X[feature.name].to_numpy()
        missing = pd.isna(values)
    feature.missing_share = round(float(missing.sum()) / n, 6) if n else 0.0
    present = values[~missing]
    if feature.kind == CATEGORICAL:
        counts = pd.Series(present).value_counts()
        feature.n_categories = len(counts)
        feature.categories = sorted(counts.index[:MAX_STORED_CATEGORIES].tolist())
    elif feature.kind == DATETIME and len(present):
        low, high = (pd.Timestamp(v, unit="s").isoformat() for v in (present.min(), present.max()))
        feature.min, feature.max = low, high
    elif len(present):
        feature.min = float(np.min(present))
        feature.max = float(np.max(present))
    return feature


# --- conversions: Arrow column -> (values for the model, mask of unreadable cells) -----------


def _to_numeric(column: pa.ChunkedArray) -> tuple[Any, Any]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    bad = None
    if pat.is_dictionary(column.type):
        column = pc.cast(column, column.type.value_type)
    if pat.is_string(column.type) or pat.is_large_string(column.type):
        column, bad = _parse_numbers(column)
    # unsafe: integers beyond 2**53 become the nearest float, as in any float64 column.
    values = pc.cast(column, pa.float64(), safe=False).to_numpy(zero_copy_only=False)
    infinite = np.isinf(values)
    if infinite.any():
        bad = infinite if bad is None else bad | infinite
        values = np.where(infinite, np.nan, values)
    return values, bad


def _parse_numbers(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, Any]:
    """Return text cells parsed as numbers the way pyarrow's CSV reader parses them at
    training (surrounding spaces ignored, integers in any form it accepts), and the mask of
    cells that are not numbers."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(column)
    try:
        return pc.cast(text, pa.float64()), None
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    # Slow path, only for a batch with bad cells: parse each distinct value once.
    parsed = {}
    for value in pc.unique(text).to_pylist():
        parsed[value] = _parse_number(value)
    numbers = [parsed[value] for value in text.to_pylist()]
    bad = np.array([n is _NOT_A_NUMBER for n in numbers])
    values = [None if n is _NOT_A_NUMBER else n for n in numbers]
    return pa.chunked_array([pa.array(values, type=pa.float64())]), bad


_NOT_A_NUMBER = object()


def _parse_number(value: str | None) -> Any:
    import pyarrow as pa

    if value is None:
        return None
    for kind in (pa.float64(), pa.int64()):
        try:
            return float(pa.scalar(value).cast(kind).as_py())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return _NOT_A_NUMBER


def _to_boolean(column: pa.ChunkedArray) -> tuple[Any, Any]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if pat.is_boolean(column.type):
        return pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), None
    text = pc.utf8_lower(pc.cast(column, pa.string()))
    is_true = pc.fill_null(pc.is_in(text, pa.array(_TRUE)), False).to_numpy(zero_copy_only=False)
    is_false = pc.fill_null(pc.is_in(text, pa.array(_FALSE)), False).to_numpy(zero_copy_only=False)
    present = pc.is_valid(text).to_numpy(zero_copy_only=False)
    values = np.where(is_true, 1.0, np.where(is_false, 0.0, np.nan))
    return values, present & ~is_true & ~is_false


def _to_categorical(column: pa.ChunkedArray) -> tuple[Any, Any]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    # Through a dictionary: one Python string per distinct value, not one per row.
    encoded = pc.dictionary_encode(pc.cast(column, pa.string()).combine_chunks())
    # scikit-learn's imputer recognises NaN, not None, as missing in object arrays.
    lookup = np.append(encoded.dictionary.to_numpy(zero_copy_only=False), np.nan)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return lookup[codes], None


def _to_datetime(column: pa.ChunkedArray) -> tuple[Any, Any]:
    """Return seconds since 1970 (NaN where missing) and the mask of unreadable cells. Time
    zones are converted to UTC; text must be ISO 8601."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    bad = None
    if pat.is_dictionary(column.type):
        column = pc.cast(column, column.type.value_type)
    if pat.is_string(column.type) or pat.is_large_string(column.type):
        text = pc.utf8_trim_whitespace(column)
        for kind in (pa.timestamp("s"), pa.timestamp("s", tz="UTC")):
            try:
                column = pc.cast(text, kind)
                break
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
        else:
            # Mixed forms or bad cells: parse each distinct value once.
            parsed = {value: _parse_instant(value) for value in pc.unique(text).to_pylist()}
            instants = [parsed[value] for value in text.to_pylist()]
            bad = np.array([v is _NOT_A_NUMBER for v in instants])
            seconds = [np.nan if v is None or v is _NOT_A_NUMBER else v for v in instants]
            return np.array(seconds, dtype=np.float64), bad
    if pat.is_date(column.type):
        column = pc.cast(column, pa.timestamp("s"))
    if pat.is_timestamp(column.type):
        if column.type.tz is not None:
            column = pc.cast(column, pa.timestamp(column.type.unit, tz="UTC"))
        column = pc.cast(column, pa.timestamp("s", tz=column.type.tz), safe=False)
        seconds = pc.cast(pc.cast(column, pa.timestamp("s")).cast(pa.int64()), pa.float64())
        return seconds.to_numpy(zero_copy_only=False), bad
    # Any other type at prediction time cannot be a date.
    present = pc.is_valid(column).to_numpy(zero_copy_only=False)
    return np.full(len(column), np.nan), present


def instant_seconds(column: pa.ChunkedArray) -> tuple[Any, Any]:
    """Return a date or ISO 8601 text column as seconds since 1970 (UTC), and the mask of
    cells that are not dates (None when all are)."""
    return _to_datetime(column)


def _parse_instant(value: str | None) -> Any:
    import pyarrow as pa

    if value is None:
        return None
    for kind in (pa.timestamp("s"), pa.timestamp("s", tz="UTC")):
        try:
            instant = pa.scalar(value.strip()).cast(kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        return float(instant.cast(pa.timestamp("s")).cast(pa.int64()).as_py())
    return _NOT_A_NUMBER


def calendar_parts(seconds: Any, feature: Feature) -> dict[str, Any]:
    """Return the calendar columns of a date feature from seconds since 1970 (NaN missing)."""
    import numpy as np
    import pandas as pd

    moments = pd.to_datetime(pd.Series(seconds), unit="s")
    parts = {
        "year": moments.dt.year,
        "month": moments.dt.month,
        "day": moments.dt.day,
        "day_of_week": moments.dt.day_of_week,
        "hour": moments.dt.hour,
    }
    return {
        f"{feature.name}__{part}": parts[part].to_numpy(dtype=np.float64, na_value=np.nan)
        for part in feature.parts or CALENDAR_PARTS
    }


def _convert(kind: str, column: pa.ChunkedArray) -> tuple[Any, Any]:
    """Return a column converted to its feature kind, and the mask of unreadable cells; a
    column stored with a type that cannot become that kind (a list, say) is all unreadable."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return _CONVERTERS[kind](column)
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        present = pc.is_valid(column).to_numpy(zero_copy_only=False)
        dtype = object if kind == CATEGORICAL else np.float64
        return np.full(len(column), np.nan, dtype=dtype), present


_CONVERTERS = {
    NUMERIC: _to_numeric,
    BOOLEAN: _to_boolean,
    CATEGORICAL: _to_categorical,
    DATETIME: _to_datetime,
}


# --- what the check found, over all batches of one input ------------------------------------


@dataclass
class _ColumnProblems:
    bad_count: int = 0
    bad_examples: list[tuple[int, str]] = field(default_factory=list)
    missing: int = 0
    unseen_count: int = 0
    unseen_examples: list[str] = field(default_factory=list)
    unseen_more: bool = False  # distinct unseen values beyond the examples kept
    out_of_range: int = 0


class InputReport:
    """Problems found in an input table, aggregated over its batches and reported once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.rows = 0
        self._columns: dict[str, _ColumnProblems] = {}
        self._features: dict[str, Feature] = {}

    def note_column(
        self, feature: Feature, raw: pa.ChunkedArray, values: Any, bad: Any, first_row: int
    ) -> None:
        import numpy as np
        import pandas as pd

        problems = self._columns.setdefault(feature.name, _ColumnProblems())
        self._features[feature.name] = feature
        if bad is not None and bad.any():
            positions = np.flatnonzero(bad)
            problems.bad_count += len(positions)
            room = _EXAMPLES_KEPT - len(problems.bad_examples)
            for position in positions[: max(room, 0)]:
                problems.bad_examples.append((first_row + int(position), str(raw[int(position)])))
        if feature.kind == CATEGORICAL:
            self._note_categories(feature, problems, raw)
            return
        missing = pd.isna(values)
        problems.missing += int(missing.sum()) - (0 if bad is None else int(bad.sum()))
        if feature.kind == DATETIME:
            return
        if feature.min is not None and feature.max is not None:
            present = values[~missing]
            problems.out_of_range += int(((present < feature.min) | (present > feature.max)).sum())

    @staticmethod
    def _note_categories(feature: Feature, problems: _ColumnProblems, raw: pa.ChunkedArray) -> None:
        """Count missing values and values unseen in training, from the distinct values."""
        import pyarrow as pa
        import pyarrow.compute as pc

        problems.missing += raw.null_count
        if not feature.all_categories_known:
            return
        known = set(feature.categories or ())
        try:
            distinct = pc.value_counts(pc.cast(raw, pa.string())).to_pylist()
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            return  # not text at all: every cell is already reported as unreadable
        for item in distinct:
            value = item["values"]
            if value is None or value in known:
                continue
            problems.unseen_count += item["counts"]
            if value in problems.unseen_examples:
                continue
            if len(problems.unseen_examples) < _EXAMPLES_KEPT:
                problems.unseen_examples.append(value)
            else:
                problems.unseen_more = True

    def add_rows(self, n: int) -> None:
        self.rows += n

    @property
    def has_errors(self) -> bool:
        return any(p.bad_count for p in self._columns.values())

    def error(self) -> str | None:
        """Return the one-line error for unreadable values, if any column had some."""
        parts = []
        for name, problems in self._columns.items():
            if problems.bad_count:
                examples = ", ".join(f"row {row} {value!r}" for row, value in problems.bad_examples)
                parts.append(
                    f"column {name!r} has {problems.bad_count} value(s) that are not valid "
                    f"for its training type ({examples}{', ...' if problems.bad_count > 3 else ''})"
                )
        if not parts:
            return None
        return (
            f"{self.source}: "
            + "; ".join(parts)
            + " (rows counted from 1 after the header); fix or empty those cells"
        )

    def warnings(self) -> list[str]:
        """Return one warning per column with missing, unseen or out-of-range values."""
        notes = []
        for name, p in self._columns.items():
            if p.missing:
                share = p.missing / self.rows if self.rows else 0.0
                trained = self._features[name].missing_share
                notes.append(
                    f"{name}: {p.missing} of {self.rows} values missing ({share:.1%}; "
                    f"{trained:.1%} in training), imputed as in training"
                )
            if p.unseen_count:
                shown = ", ".join(repr(v) for v in p.unseen_examples)
                notes.append(
                    f"{name}: {p.unseen_count} value(s) in categories unseen in training "
                    f"({shown}{', ...' if p.unseen_more else ''}), "
                    "scored like the rare or unknown categories of training"
                )
            if p.out_of_range:
                notes.append(f"{name}: {p.out_of_range} value(s) outside the training range")
        return notes

    def summary(self) -> dict[str, dict[str, int]]:
        """Return counts per column, for JSON output."""
        return {
            name: {
                "invalid": p.bad_count,
                "missing": p.missing,
                "unseen_categories": p.unseen_count,
                "out_of_range": p.out_of_range,
            }
            for name, p in self._columns.items()
            if p.bad_count or p.missing or p.unseen_count or p.out_of_range
        }
