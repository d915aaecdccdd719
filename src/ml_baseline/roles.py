"""Column roles, decided at training: which columns become features and of which kind (numeric,
boolean, categorical, dates), which are left out and why (constant, always empty, id-like,
dates in another form, unsupported types, --drop-col), and what the training split shows of
each feature (missing share, range, categories), recorded in the schema."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ml_baseline.convert import NOT_A_VALUE, parse_instant, to_datetime
from ml_baseline.data import quoted_column
from ml_baseline.schema import (
    BOOLEAN,
    CALENDAR_PARTS,
    CATEGORICAL,
    DATETIME,
    NUMERIC,
    Feature,
)

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

ID_LIKE_SHARE = 0.95  # share of distinct values from which text or a dense integer range is an id
ID_LIKE_MIN_ROWS = 20
MAX_STORED_CATEGORIES = 1000  # levels listed in the schema (for unseen-category warnings)
_OTHER_DATE_FORMS = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}( .*)?$"
_PANDAS_UNNAMED = re.compile(r"Unnamed: \d+(_level_\d+)?")


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

    Left out: columns in `dropped` (--drop-col), columns that look like a saved row index (no
    name, or pandas' "Unnamed: 0"), unsupported types, constant or always-empty columns, and
    id-like ones (text with nearly all values distinct; whole numbers with nearly all values
    distinct that form a dense range or a column named like an id). Text columns of ISO 8601
    dates become calendar features; dates in other forms are left out.
    """
    features, excluded, notices = [], {}, []

    def leave_out(name: str, why: str) -> None:
        excluded[name] = why
        shown = quoted_column(name, table.column_names.index(name) + 1)  # names are unique
        notices.append(f"left out column {shown}: {why}")

    for name in table.column_names:
        if name in skip:
            continue
        if name in dropped:
            leave_out(name, "dropped by --drop-col")
            continue
        if (why := _saved_index(name)) is not None:
            leave_out(name, why)
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
    _check_calendar_names(features)
    return features, excluded, notices


def _check_calendar_names(features: list[Feature]) -> None:
    """Refuse a feature named like a calendar part made from a date column (`signup__year`
    beside `signup`): the model's inputs would have two columns of that name."""
    from ml_baseline.errors import MLBaselineError

    columns = {f.name for f in features if f.kind != DATETIME}
    for feature in features:
        if feature.kind != DATETIME:
            continue
        taken = [column for column in feature.model_columns if column in columns]
        if taken:
            raise MLBaselineError(
                f"column {taken[0]!r} has the name of a calendar feature made from the date "
                f"column {feature.name!r}; rename it, or leave one of them out with --drop-col"
            )


def _saved_index(name: str) -> str | None:
    """Return why a column looks like a row index saved with the table rather than data, or
    None. pandas' to_csv writes its index as a first column with no name, and reading such a
    file back and saving it again names it "Unnamed: 0"; as a feature it would only number the
    rows."""
    if not name.strip():
        said = "it has no name"
    elif _PANDAS_UNNAMED.fullmatch(name):
        said = "its name is how pandas names a column that had none"
    else:
        return None
    return (
        f"{said}, so it looks like a row index saved with the table, not data (pandas writes "
        "one unless told to_csv(..., index=False))"
    )


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
    if not all(parse_instant(v) is not NOT_A_VALUE for v in pc.unique(sample).to_pylist()):
        return False  # cheap refusal of ordinary text
    _, bad = to_datetime(values)
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

    values, _ = to_datetime(column)
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
        values, _ = to_datetime(column)
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
