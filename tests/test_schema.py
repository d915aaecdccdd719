"""Tests of ml_baseline.schema: kind inference, conversion of Arrow columns into the model's
feature frame, the problems report, column selection and the JSON round trip."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_baseline.data import NULL_VALUES, iter_batches, read_table
from ml_baseline.errors import MLBaselineError
from ml_baseline.roles import describe_feature, infer_kind
from ml_baseline.schema import (
    BOOLEAN,
    CATEGORICAL,
    DATETIME,
    NUMERIC,
    SCHEMA_VERSION,
    Feature,
    InputReport,
    InputSchema,
    NumberFormat,
)


def make_schema(*features: Feature, id_columns: dict[str, str] | None = None) -> InputSchema:
    return InputSchema(
        target="y",
        labels=[0, 1],
        positive_label=1,
        features=list(features),
        id_columns=id_columns or {},
    )


X = Feature("x", NUMERIC, "double", missing_share=0.0, min=0.0, max=10.0)
FLAG = Feature("flag", BOOLEAN, "bool", missing_share=0.0, min=0.0, max=1.0)
COUNTRY = Feature("country", CATEGORICAL, "string", missing_share=0.0, categories=["AE", "SA"])


def convert_one(feature: Feature, values: list, arrow_type: pa.DataType | None = None):
    """Return the converted values of one column, and the report."""
    report = InputReport("input.csv")
    table = pa.table({feature.name: pa.array(values, arrow_type)})
    frame = make_schema(feature).convert(table, report)
    report.add_rows(table.num_rows)
    return frame[feature.name].to_numpy(), report


# --- kinds --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrow_type", "kind"),
    [
        (pa.int8(), NUMERIC),
        (pa.int64(), NUMERIC),
        (pa.uint32(), NUMERIC),
        (pa.float32(), NUMERIC),
        (pa.float64(), NUMERIC),
        (pa.decimal128(10, 2), NUMERIC),
        (pa.bool_(), BOOLEAN),
        (pa.string(), CATEGORICAL),
        (pa.large_string(), CATEGORICAL),
        (pa.dictionary(pa.int32(), pa.string()), CATEGORICAL),
        (pa.dictionary(pa.int8(), pa.int64()), NUMERIC),
        (pa.null(), CATEGORICAL),
        (pa.timestamp("s"), DATETIME),
        (pa.timestamp("us", tz="UTC"), DATETIME),
        (pa.date32(), DATETIME),
        (pa.binary(), None),
        (pa.list_(pa.int64()), None),
        (pa.struct([("a", pa.int64())]), None),
    ],
    ids=str,
)
def test_infer_kind(arrow_type: pa.DataType, kind: str | None) -> None:
    assert infer_kind(arrow_type) == kind


# --- numbers ------------------------------------------------------------------------------------


def _csv_reader_value(text: str) -> float:
    """What pyarrow's CSV reader, inferring the column's type, makes of `text`, as a float."""
    table = pacsv.read_csv(
        io.BytesIO(f"x\n{text}\n".encode()),
        convert_options=pacsv.ConvertOptions(null_values=NULL_VALUES),
    )
    return float(table.column("x")[0].as_py())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.1", 0.1),
        ("1e-3", 0.001),
        ("-5", -5.0),
        ("+5", 5.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1E3", 1000.0),
        ("-2.5e+2", -250.0),
        ("0.30000000000000004", 0.30000000000000004),
        ("123456789", 123456789.0),
        ("1e-400", 0.0),
        (" 5", 5.0),
        ("5 ", 5.0),
        ("0x10", 16.0),
        ("9007199254740993", 9007199254740992.0),
    ],
)
def test_numeric_text_converts_like_the_csv_reader(
    tmp_path: Path, text: str, expected: float
) -> None:
    """Training reads a CSV with type inference (read_table), prediction reads it as text
    (iter_batches) and convert parses it: a cell must give the same number either way."""
    assert _csv_reader_value(text) == expected
    path = tmp_path / "t.csv"
    path.write_text(f"id,x\n1,{text}\n")
    schema = make_schema(Feature("x", NUMERIC, "double"))
    training, _ = read_table(path)
    (prediction,) = iter_batches(path, ["x"], 10)
    for table in (training, prediction):
        report = InputReport(str(path))
        frame = schema.convert(table, report)
        assert report.error() is None, (table.column("x").type, report.error())
        assert frame["x"].dtype == np.float64
        assert frame["x"].tolist() == [expected], table.column("x").type


@pytest.mark.parametrize(
    "values",
    [["1", "abc", "-3.5"], [1, None, -3], [1.0, None, -3.5], [True, None, False]],
    ids=["string", "int", "float", "bool"],
)
def test_numeric_values_become_float64(values: list) -> None:
    converted, report = convert_one(Feature("x", NUMERIC, "double"), values)
    assert converted.dtype == np.float64
    expected = [np.nan if v in (None, "abc") else float(v) for v in values]
    np.testing.assert_array_equal(converted, expected)
    assert (report.error() is None) == ("abc" not in values)


def test_a_wide_table_converts_to_one_block_per_dtype() -> None:
    # A frame of one block per column makes every row selection of a wide table loop over
    # its columns (the audit's samples, the split, the model's input).
    names = [f"x{j}" for j in range(50)]
    schema = make_schema(*(Feature(n, NUMERIC, "double") for n in names), COUNTRY)
    table = pa.table({**{n: [1.0, 2.0] for n in names}, "country": ["AE", "SA"]})
    frame = schema.convert(table, InputReport("in"))
    assert frame.shape == (2, 51)
    assert frame._mgr.nblocks == 2  # float64 and object


def test_numeric_int64_beyond_float_precision_converts() -> None:
    # A Parquet or inferred-CSV int64 column, e.g. cents or a large count.
    values = [2**53 + 1, -(2**60), 7]
    converted, report = convert_one(Feature("x", NUMERIC, "int64"), values, pa.int64())
    np.testing.assert_array_equal(converted, [float(v) for v in values])
    assert report.error() is None


def test_bad_numeric_values_name_column_count_and_rows_across_batches() -> None:
    schema = make_schema(X, COUNTRY)
    report = InputReport("scores.csv")
    batches = [
        pa.table({"x": ["1", "abc", "2"], "country": ["SA", "AE", "SA"]}),
        pa.table({"x": ["1,5", "3", "inf", "x", "-INF"], "country": ["SA"] * 5}),
    ]
    frames = []
    for batch in batches:
        frames.append(schema.convert(batch, report, first_row=report.rows + 1))
        report.add_rows(batch.num_rows)
    assert report.error() == (
        "scores.csv: column 'x' has 5 value(s) that are not valid for its training type "
        "(row 2 'abc', row 4 '1,5', row 6 'inf', ...), training read it as plain numbers (an "
        "empty cell is missing) (rows counted from 1 after the header, blank lines not "
        "counted); fix or empty those cells"
    )
    assert report.summary()["x"]["invalid"] == 5
    assert report.summary()["x"]["missing"] == 0
    x = pd.concat(frames)["x"].to_numpy()
    np.testing.assert_array_equal(x, [1, np.nan, 2, np.nan, 3, np.nan, np.nan, np.nan])


@pytest.mark.parametrize(
    ("values", "arrow_type", "shown"),
    [
        (["1", "inf"], pa.string(), "row 2 'inf'"),
        (["1e999", "2"], pa.string(), "row 1 '1e999'"),
        ([1.0, float("-inf")], pa.float64(), "row 2 '-inf'"),
        (["1", "abc", None, "2"], pa.string(), "row 2 'abc'"),
    ],
)
def test_infinite_and_unreadable_numbers_are_errors(
    values: list, arrow_type: pa.DataType, shown: str
) -> None:
    converted, report = convert_one(X, values, arrow_type)
    error = report.error()
    assert error is not None
    assert "column 'x' has 1 value(s)" in error
    assert shown in error
    assert not np.isinf(converted).any()


def test_first_row_offsets_the_reported_row() -> None:
    report = InputReport("in.csv")
    make_schema(X).convert(pa.table({"x": ["1", "2", "bad"]}), report, first_row=1001)
    assert "(row 1003 'bad')" in report.error()


# --- booleans -----------------------------------------------------------------------------------


def test_boolean_from_text() -> None:
    values = ["true", "False", "1", "0", None, "TRUE", "false"]
    converted, report = convert_one(FLAG, values)
    assert converted.dtype == np.float64
    np.testing.assert_array_equal(converted, [1, 0, 1, 0, np.nan, 1, 0])
    assert report.error() is None


def test_boolean_from_arrow_booleans() -> None:
    converted, report = convert_one(FLAG, [True, None, False])
    np.testing.assert_array_equal(converted, [1.0, np.nan, 0.0])
    assert report.error() is None


@pytest.mark.parametrize("bad", ["yes", "2", "t", "-1", "0.0"])
def test_boolean_bad_text_is_an_error(bad: str) -> None:
    converted, report = convert_one(FLAG, ["true", bad])
    assert report.error() == (
        f"input.csv: column 'flag' has 1 value(s) that are not valid for its training type "
        f"(row 2 {bad!r}), training read it as true/false (true, false, 1 or 0, any case) "
        "(rows counted from 1 after the header, blank lines not counted); fix or empty those "
        "cells"
    )
    np.testing.assert_array_equal(converted, [1.0, np.nan])


# --- categories ---------------------------------------------------------------------------------


def test_categorical_missing_values_are_float_nan_in_an_object_array() -> None:
    converted, report = convert_one(COUNTRY, ["SA", None, "AE", None])
    assert converted.dtype == object
    assert converted[0] == "SA"
    assert converted[2] == "AE"
    for missing in (converted[1], converted[3]):
        assert type(missing) is float
        assert math.isnan(missing)
    assert report.error() is None


@pytest.mark.parametrize("values", [["SA", None], ["SA", "AE"]], ids=["some-missing", "full"])
def test_categorical_frame_column_is_object_whatever_the_batch(values: list) -> None:
    schema = make_schema(COUNTRY)
    frame = schema.convert(pa.table({"country": pa.array(values, pa.string())}), InputReport("in"))
    assert frame["country"].dtype == object


@pytest.mark.parametrize(
    ("values", "arrow_type", "expected"),
    [
        ([1, None, 22], pa.int64(), ["1", None, "22"]),
        ([True, False], pa.bool_(), ["true", "false"]),
        (["SA", None, "SA"], pa.dictionary(pa.int32(), pa.string()), ["SA", None, "SA"]),
        ([None, None], pa.null(), [None, None]),
    ],
    ids=["int", "bool", "dictionary", "null"],
)
def test_categorical_from_other_types_is_text(
    values: list, arrow_type: pa.DataType, expected: list
) -> None:
    feature = Feature("country", CATEGORICAL, "string")
    table = pa.table({"country": pa.array(values, arrow_type)})
    frame = make_schema(feature).convert(table, InputReport("in"))
    converted = frame["country"].to_numpy()
    assert converted.dtype == object
    for value, want in zip(converted, expected, strict=True):
        if want is None:
            assert type(value) is float
            assert math.isnan(value)
        else:
            assert value == want


def test_warnings_count_missing_unseen_and_out_of_range_over_batches() -> None:
    schema = make_schema(X, COUNTRY)
    report = InputReport("in.csv")
    batches = [
        pa.table({"x": ["-1", "5", None], "country": ["SA", "XX", "YY"]}),
        pa.table({"x": ["11", "20", "10", "0"], "country": ["XX", None, "AE", "ZZ"]}),
    ]
    for batch in batches:
        schema.convert(batch, report, first_row=report.rows + 1)
        report.add_rows(batch.num_rows)
    assert report.error() is None
    assert report.warnings() == [
        "x: 1 of 7 values missing (14.3%; 0.0% in training), imputed as in training",
        "x: 3 value(s) outside the training range",
        "country: 1 of 7 values missing (14.3%; 0.0% in training), imputed as in training",
        "country: 4 value(s) in categories unseen in training ('XX', 'YY', 'ZZ'; training's: "
        "'AE', 'SA'), scored like the rare or unknown categories of training",
    ]
    assert report.summary() == {
        "x": {
            "invalid": 0,
            "missing": 1,
            "unseen_categories": 0,
            "out_of_range": 3,
            "far_outside": 1,
        },
        "country": {
            "invalid": 0,
            "missing": 1,
            "unseen_categories": 4,
            "out_of_range": 0,
            "far_outside": 0,
            "unseen_examples": ["XX", "YY", "ZZ"],
        },
    }
    # -1 is of a sign no training value had; 20 and 11, one width past 10, are not far.
    (far,) = report.far_warnings()
    assert far.startswith("x: 1 value(s) far outside the training range [0, 10] (row 1 '-1')")


def test_unseen_categories_show_three_examples_then_dots() -> None:
    _, report = convert_one(COUNTRY, ["a", "b", "c", "d", "a"])
    (warning,) = report.warnings()
    assert warning == (
        "country: 5 value(s) in categories unseen in training ('a', 'b', 'c', ...; training's: "
        "'AE', 'SA'), scored like the rare or unknown categories of training"
    )


def test_clean_input_has_no_warnings() -> None:
    schema = make_schema(X, FLAG, COUNTRY)
    report = InputReport("in.csv")
    table = pa.table({"x": [0.0, 10.0], "flag": [True, False], "country": ["AE", "SA"]})
    schema.convert(table, report)
    report.add_rows(2)
    assert report.error() is None
    assert report.warnings() == []
    assert report.summary() == {}


# --- columns ------------------------------------------------------------------------------------


def test_columns_to_read_names_every_missing_feature() -> None:
    schema = make_schema(X, FLAG, COUNTRY, id_columns={"user_id": "int64"})
    with pytest.raises(MLBaselineError) as excinfo:
        schema.columns_to_read(["user_id", "y", "x", "other"], "new.csv")
    assert str(excinfo.value) == (
        "new.csv is missing 2 feature column(s) the model needs: flag, country (the table also "
        "has 'other', unknown to the model: renamed ones?); add them (empty cells are allowed)"
    )
    # Without a column the model does not know, nothing to suggest.
    with pytest.raises(MLBaselineError) as excinfo:
        schema.columns_to_read(["user_id", "y", "x"], "new.csv")
    assert str(excinfo.value).endswith("flag, country; add them (empty cells are allowed)")


def test_columns_to_read_notes_target_and_extra_columns() -> None:
    schema = make_schema(X, FLAG, COUNTRY, id_columns={"user_id": "int64", "email": "string"})
    columns, notices = schema.columns_to_read(
        ["extra", "country", "y", "x", "user_id", "flag", "notes"], "new.csv"
    )
    assert columns == ["x", "flag", "country", "user_id"]
    assert notices == [
        "new.csv has the target column 'y': it is ignored",
        "new.csv has no id column 'email' (the run's): the output has no such column; add it "
        "to carry the ids",
        "new.csv: ignoring 2 column(s) the model does not use: extra, notes",
    ]


def test_columns_to_read_without_target_or_extras_has_no_notices() -> None:
    schema = make_schema(X, COUNTRY)
    assert schema.columns_to_read(["country", "x"], "in") == (["x", "country"], [])


def test_columns_to_read_shortens_a_long_list_of_extras() -> None:
    schema = make_schema(X)
    _, notices = schema.columns_to_read(["x", *[f"c{i}" for i in range(7)]], "in")
    assert notices == ["in: ignoring 7 column(s) the model does not use: c0, c1, c2, c3, c4, ..."]


# --- saving -------------------------------------------------------------------------------------


def test_to_dict_from_dict_round_trip_through_json() -> None:
    schema = InputSchema(
        target="churned",
        labels=["no", "yes"],
        positive_label="yes",
        features=[X, FLAG, COUNTRY],
        id_columns={"user_id": "int64"},
        excluded_columns={"signup": "type timestamp[s] is not supported as a feature"},
    )
    data = json.loads(json.dumps(schema.to_dict()))
    assert data["format_version"] == 1  # no number formats: readable by versions before them
    assert "number_format" not in data["features"][0]
    assert data["forbidden_columns"] == ["churned"]
    assert data["features"][2]["categories"] == ["AE", "SA"]
    restored = InputSchema.from_dict(data)
    assert restored == schema
    assert restored.feature_names == ["x", "flag", "country"]


@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, 0, None, "1"])
def test_from_dict_refuses_another_format_version(version: object) -> None:
    data = make_schema(X).to_dict()
    data["format_version"] = version
    with pytest.raises(MLBaselineError, match="format version") as excinfo:
        InputSchema.from_dict(data)
    assert repr(version) in str(excinfo.value)


def test_from_dict_refuses_a_missing_format_version() -> None:
    data = make_schema(X).to_dict()
    del data["format_version"]
    with pytest.raises(MLBaselineError, match="format version None"):
        InputSchema.from_dict(data)


def test_describe_feature() -> None:
    column = pa.chunked_array([["b", None, "a", "b"]])
    frame = pd.DataFrame({"c": np.array(["b", np.nan, "a", "b"], dtype=object)})
    feature = describe_feature(Feature("c", CATEGORICAL, "string"), frame, column)
    assert feature == Feature(
        "c", CATEGORICAL, "string", missing_share=0.25, categories=["a", "b"], n_categories=2
    )
    numeric = describe_feature(
        Feature("n", NUMERIC, "int64"),
        pd.DataFrame({"n": np.array([3, np.nan, -1])}),
        pa.chunked_array([[3, None, -1]]),
    )
    assert (numeric.min, numeric.max, numeric.dtype) == (-1.0, 3.0, "int64")
    assert numeric.missing_share == pytest.approx(1 / 3, abs=1e-6)


def test_predicted_labels_use_the_targets_values() -> None:
    schema = InputSchema(target="y", labels=["no", "yes"], positive_label="yes", features=[X])
    labels = schema.predicted_labels(np.array([0.1, 0.5, 0.9]), 0.5)
    assert labels.to_pylist() == ["no", "yes", "yes"]


def test_id_values_are_kept_as_read() -> None:
    schema = make_schema(X, id_columns={"user_id": "int64", "code": "int64", "absent": "string"})
    table = pa.table({"user_id": ["1", "22", None], "code": ["7", "A7", "9"], "x": ["1"] * 3})
    ids = schema.id_values(table)
    assert list(ids) == ["user_id", "code"]
    # Text stays text, so every batch of a file gives the same output type.
    assert ids["user_id"].to_pylist() == ["1", "22", None]
    assert ids["code"].to_pylist() == ["7", "A7", "9"]


# --- arbitrary input ----------------------------------------------------------------------------

_NUMBERISH = st.sampled_from(
    [
        *("1", "-2.5", "1e3", ".5", "+7", "inf", "-inf", "nan", "NaN", "Infinity", "1e999"),
        *("true", "False", "0", "abc", "", " 5", "1,5", "0x10", "\u0661", "\n", "'", "SA", "AE"),
    ]
)
_TEXT = st.one_of(_NUMBERISH, st.text(max_size=6))
_SAFE_INTS = st.integers(-(2**63), 2**63 - 1)

_COLUMNS = {
    "string": (pa.string(), _TEXT),
    "large_string": (pa.large_string(), _TEXT),
    "dictionary": (pa.dictionary(pa.int32(), pa.string()), _TEXT),
    "int": (pa.int64(), _SAFE_INTS),
    "float": (pa.float64(), st.floats()),
    "bool": (pa.bool_(), st.booleans()),
    "null": (pa.null(), st.none()),
}


@st.composite
def features_and_tables(draw: st.DrawFn) -> tuple[InputSchema, pa.Table]:
    n_rows = draw(st.integers(0, 12))
    n_features = draw(st.integers(1, 4))
    features, columns = [], {}
    for i in range(n_features):
        name = f"f{i}"
        kind = draw(st.sampled_from([NUMERIC, BOOLEAN, CATEGORICAL]))
        feature = Feature(name, kind, "string", missing_share=draw(st.floats(0, 1)))
        if kind == CATEGORICAL:
            feature.categories = draw(st.none() | st.lists(_TEXT, unique=True, max_size=4))
        elif draw(st.booleans()):
            low, high = sorted(draw(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))))
            feature.min, feature.max = low, high
        features.append(feature)
        arrow_type, values = _COLUMNS[draw(st.sampled_from(sorted(_COLUMNS)))]
        cells = draw(st.lists(st.none() | values, min_size=n_rows, max_size=n_rows))
        if pa.types.is_dictionary(arrow_type):
            columns[name] = pa.array(cells, pa.string()).dictionary_encode()
        else:
            columns[name] = pa.array(cells, arrow_type)
    columns["unused"] = pa.array(range(n_rows), pa.int64())
    return make_schema(*features), pa.table(columns)


def assert_frames_equal(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        left.reset_index(drop=True), right.reset_index(drop=True), check_exact=True
    )


@settings(max_examples=100, deadline=None)
@given(features_and_tables(), st.integers(0, 12))
def test_convert_arbitrary_tables(drawn: tuple[InputSchema, pa.Table], split: int) -> None:
    schema, table = drawn
    report = InputReport("in.parquet")
    frame = schema.convert(table, report)
    report.add_rows(table.num_rows)

    assert list(frame.columns) == schema.feature_names
    assert len(frame) == table.num_rows
    for feature in schema.features:
        values = frame[feature.name].to_numpy()
        if feature.kind == CATEGORICAL:
            assert values.dtype == object
            assert frame[feature.name].dtype in (object, "str")
            assert all(isinstance(v, str) or (type(v) is float and math.isnan(v)) for v in values)
        else:
            assert frame[feature.name].dtype == np.float64
            assert not np.isinf(values).any()
            if feature.kind == BOOLEAN:
                assert set(values[~np.isnan(values)]) <= {0.0, 1.0}
    error = report.error()
    if error is not None:
        assert isinstance(error, str)
        assert "\n" not in error and "\r" not in error
        assert error.startswith("in.parquet: column ")
    for warning in report.warnings():
        assert "\n" not in warning
    summary = report.summary()
    assert all(
        counts["invalid"] + counts["missing"] <= table.num_rows for counts in summary.values()
    )

    # The same rows in two batches give the same frame and the same report.
    split = min(split, table.num_rows)
    batched = InputReport("in.parquet")
    parts = []
    for batch in (table.slice(0, split), table.slice(split)):
        parts.append(schema.convert(batch, batched, first_row=batched.rows + 1))
        batched.add_rows(batch.num_rows)
    assert_frames_equal(pd.concat(parts), frame)
    assert batched.error() == error
    assert batched.warnings() == report.warnings()
    assert batched.summary() == summary


def test_calendar_columns_are_named_parts_within_their_range():
    def number(name: str, low: float, high: float) -> Feature:
        return Feature(name, NUMERIC, "double", missing_share=0.0, min=low, max=high)

    schema = make_schema(
        number("birth_month", 1, 12),
        number("Hour", 0, 23),
        number("month2", 1, 12),
        number("weeks", 30, 41),  # a length (a pregnancy's), measured
        number("month", 1, 13),  # 13: no month of the year
        number("day", 1.5, 4),  # not whole
        number("x", 1, 12),
        Feature("when", DATETIME, "timestamp[s]"),
    )
    assert schema.calendar_columns() == {
        "birth_month",
        "Hour",
        "month2",
        "when__month",
        "when__day",
        "when__day_of_week",
    }


def test_categories_written_otherwise_but_for_case_or_spaces_read_as_training() -> None:
    # Ecdat's Housing scored with its yes/no columns written YES/NO: every row's category was
    # unknown to the model and all 137 prices moved; only a drift line said so (probe 53).
    values, report = convert_one(COUNTRY, ["ae", " SA", "AE", None, "Sa ", "XX"])
    assert values.tolist()[:3] == ["AE", "SA", "AE"] and values.tolist()[4:] == ["SA", "XX"]
    (note,) = report.respelled_notes()
    assert note == (
        "country: 3 value(s) written otherwise than training's categories but for case or "
        "spaces, read as them (' SA' as 'SA', 'Sa ' as 'SA', 'ae' as 'AE'); write them as "
        "training did to drop this note"
    )
    assert report.summary()["country"]["respelled"] == 3
    assert report.summary()["country"]["unseen_categories"] == 1  # 'XX' is no category
    # Two training categories alike but for case are two categories: a third spelling is
    # neither, and stays unseen.
    both = Feature("answer", CATEGORICAL, "string", missing_share=0.0, categories=["Yes", "yes"])
    values, report = convert_one(both, ["YES", "yes"])
    assert values.tolist() == ["YES", "yes"] and report.respelled_notes() == []
    assert report.summary()["answer"]["unseen_categories"] == 1


def test_columns_respelled_alike_are_said_on_one_line() -> None:
    features = [
        Feature(name, CATEGORICAL, "string", missing_share=0.0, categories=["no", "yes"])
        for name in ("driveway", "airco")
    ]
    report = InputReport("in.csv")
    table = pa.table({"driveway": ["YES", "NO"], "airco": ["NO", "YES"]})
    make_schema(*features).convert(table, report)
    assert report.respelled_notes() == [
        "driveway, airco: 2 value(s) each written otherwise than training's categories but "
        "for case or spaces, read as them ('NO' as 'no', 'YES' as 'yes'); write them as "
        "training did to drop this note"
    ]


def test_rows_with_no_value_in_any_feature_are_warned_of_once() -> None:
    # ISLR's Credit with 10 empty rows among 100: 13 drift lines, one a column, "missing 0.0%
    # -> 9.1%", and no word on the rows themselves (probe 53).
    schema = make_schema(X, COUNTRY)
    report = InputReport("in.csv")
    batches = [
        pa.table({"x": ["1", None, "2"], "country": ["SA", None, None]}),
        pa.table({"x": [None, "3", None, None], "country": [None, "AE", "SA", None]}),
    ]
    for batch in batches:
        schema.convert(batch, report, first_row=report.rows + 1)
        report.add_rows(batch.num_rows)
    assert report.empty_rows_warnings() == [
        "3 of 7 rows have no value in any feature (rows 2, 4, 7): each is scored as training's "
        "typical row, every value imputed; drop them, or fill them in"
    ]
    full = InputReport("in.csv")
    schema.convert(pa.table({"x": ["1"], "country": [None]}), full)
    assert full.empty_rows_warnings() == []


def test_a_yes_no_category_reads_true_false_answers_as_training() -> None:
    # AER's CPS1988 `parttime` (yes/no in training) scored as TRUE/FALSE: all 5,631 wages
    # moved, and only a drift line said so (probe 53). True/false columns read yes/no the
    # other way round already.
    answer = Feature("parttime", CATEGORICAL, "string", missing_share=0.0, categories=["no", "yes"])
    values, report = convert_one(answer, ["TRUE", "false", "y", "N", "0", "maybe"])
    assert values.tolist() == ["yes", "no", "yes", "no", "no", "maybe"]
    (note,) = report.respelled_notes()
    assert note.startswith("parttime: 5 value(s) written otherwise than training's categories, ")
    assert "'TRUE' as 'yes'" in note and "but for case" not in note
    # Only a column of yes and no: `y` is no answer beside other categories.
    other = Feature("size", CATEGORICAL, "string", missing_share=0.0, categories=["no", "yes", "x"])
    values, _ = convert_one(other, ["y"])
    assert values.tolist() == ["y"]


def test_a_few_training_categories_are_listed_beside_unseen_ones() -> None:
    # vcdExtra's Hoyt scored with M and F for Male and Female: "major drift" only (probe 53).
    sex = Feature("Sex", CATEGORICAL, "string", missing_share=0.0, categories=["Female", "Male"])
    _, report = convert_one(sex, ["M", "F"])
    assert report.unseen_examples()["Sex"] == "'M', 'F'; training's: 'Female', 'Male'"
    many = Feature("c", CATEGORICAL, "string", missing_share=0.0, categories=list("abcdef"))
    _, report = convert_one(many, ["z"])
    assert report.unseen_examples()["c"] == "'z'"


def test_decimals_that_are_whole_numbers_with_a_point_between_thousands_are_warned_of() -> None:
    # ISLR's Credit, limits read with commas in training (3,606): `3.606` scored as 3.606,
    # 250 times under the least limit, and nothing was said (probe 53).
    limit = Feature(
        "Limit",
        NUMERIC,
        "string",
        missing_share=0.0,
        min=886.0,
        max=13913.0,
        number_format=NumberFormat(thousands=","),
    )
    values, report = convert_one(limit, ["3,606", "3.606", "2.5", "12.500", "900"])
    assert values.tolist()[:4] == [3606.0, 3.606, 2.5, 12.5]
    (warning,) = report.thousands_point_warnings()
    assert warning.startswith(
        "Limit: 2 value(s) read as decimals under the training range [886, 13913] "
        "(row 2 '3.606', row 4 '12.500'), where they would lie as whole numbers"
    )
    # A decimal comma's column reads the point otherwise: nothing to say there.
    european = Feature(
        "x",
        NUMERIC,
        "string",
        missing_share=0.0,
        min=886.0,
        max=13913.0,
        number_format=NumberFormat(thousands=".", decimal=","),
    )
    _, report = convert_one(european, ["3,606"])
    assert report.thousands_point_warnings() == []
