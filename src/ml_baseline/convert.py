"""Conversions from an Arrow column (as any reader gives it, at training or at prediction) to
the values the model sees for a feature kind, with the mask of cells that cannot be read as
that kind. Training and scoring share them, so a row converts the same in any file or batch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from ml_baseline.schema import Feature

NUMERIC = "numeric"
BOOLEAN = "boolean"
CATEGORICAL = "categorical"
DATETIME = "datetime"
CALENDAR_PARTS = ("year", "month", "day", "day_of_week")

# Spellings of a boolean in a CSV cell (pyarrow's defaults, case-insensitive).
_TRUE = ("true", "1")
_FALSE = ("false", "0")


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
    bad = np.array([n is NOT_A_VALUE for n in numbers])
    values = [None if n is NOT_A_VALUE else n for n in numbers]
    return pa.chunked_array([pa.array(values, type=pa.float64())]), bad


NOT_A_VALUE = object()


def _parse_number(value: str | None) -> Any:
    import pyarrow as pa

    if value is None:
        return None
    for kind in (pa.float64(), pa.int64()):
        try:
            return float(pa.scalar(value).cast(kind).as_py())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return NOT_A_VALUE


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


def to_datetime(column: pa.ChunkedArray) -> tuple[Any, Any]:
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
            parsed = {value: parse_instant(value) for value in pc.unique(text).to_pylist()}
            instants = [parsed[value] for value in text.to_pylist()]
            bad = np.array([v is NOT_A_VALUE for v in instants])
            seconds = [np.nan if v is None or v is NOT_A_VALUE else v for v in instants]
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


def parse_instant(value: str | None) -> Any:
    import pyarrow as pa

    if value is None:
        return None
    for kind in (pa.timestamp("s"), pa.timestamp("s", tz="UTC")):
        try:
            instant = pa.scalar(value.strip()).cast(kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        return float(instant.cast(pa.timestamp("s")).cast(pa.int64()).as_py())
    return NOT_A_VALUE


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


def convert_column(kind: str, column: pa.ChunkedArray) -> tuple[Any, Any]:
    """Return a column converted to its feature kind, and the mask of unreadable cells; a
    column stored with a type that cannot become that kind (a list, say) is all unreadable."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return CONVERTERS[kind](column)
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        present = pc.is_valid(column).to_numpy(zero_copy_only=False)
        dtype = object if kind == CATEGORICAL else np.float64
        return np.full(len(column), np.nan, dtype=dtype), present


CONVERTERS = {
    NUMERIC: _to_numeric,
    BOOLEAN: _to_boolean,
    CATEGORICAL: _to_categorical,
    DATETIME: to_datetime,
}
