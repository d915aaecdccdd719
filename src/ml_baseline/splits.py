"""The holdout split: random (stratified for classification), by time, or by group.

Each returns the sorted training and holdout row positions and a record of what the split was
(saved in run_meta.json as "split").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ml_baseline.convert import to_datetime
from ml_baseline.errors import MLBaselineError, spelling_key
from ml_baseline.tasks import AS_A_COUNT

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from ml_baseline.target import Target


class SplitStrategy(StrEnum):
    random = "random"
    time = "time"
    group = "group"


@dataclass(frozen=True)
class SplitOptions:
    """How to split: the strategy, the holdout's share, the seed, and the column ordering or
    grouping the rows (--time-col for time, --group-col for group)."""

    strategy: SplitStrategy = SplitStrategy.random
    test_size: float = 0.2
    seed: int = 42
    time_column: str | None = None
    group_column: str | None = None

    def problem(self) -> str | None:
        """Return what is wrong with these options, or None."""
        needs = {SplitStrategy.time: "time_column", SplitStrategy.group: "group_column"}
        for strategy, attribute in needs.items():
            option = "--" + attribute.replace("_column", "-col")
            if (self.strategy == strategy) != (getattr(self, attribute) is not None):
                return f"--split {strategy} needs {option}, and {option} needs --split {strategy}"
        if not 0.0 < self.test_size < 1.0:
            return f"--test-size must be between 0 and 1, got {self.test_size}"
        return None


def split_rows(
    table: pa.Table, target: Target, options: SplitOptions, source: str
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Return training and holdout row positions, and what the split was (for run_meta)."""
    import numpy as np

    y = target.y
    n = len(y)
    n_holdout = int(np.ceil(options.test_size * n))
    classified = target.task.stratified
    if n_holdout < 2 or n - n_holdout < 2:
        raise MLBaselineError(
            f"{source} has too few rows to split ({n} rows): a holdout needs at least 2 rows "
            "on each side"
        )
    if classified and options.strategy == SplitStrategy.random:
        # Under a time or group split a class of one row is among the classes the sides lack,
        # all said in one error (gibraltar's 22 weathers: its two single rows, dropped, were
        # followed by 5 more classes absent from the last week; probe 63).
        _refuse_a_class_too_small_to_split(target, source)
    if options.strategy == SplitStrategy.time:
        train_rows, holdout_rows, info = _time_split(table, options, source)
    elif options.strategy == SplitStrategy.group:
        train_rows, holdout_rows, info = _group_split(table, options, source)
    else:
        train_rows, holdout_rows = _random_split(y if classified else None, n, options)
        info = {"strategy": "random", "stratified": classified}
    if classified:
        sides = {"holdout": holdout_rows, "training split": train_rows}
        _refuse_sides_without_a_class(target, sides, source, info, options)
    info.setdefault("stratified", False)
    info.update(test_size=options.test_size, seed=options.seed)
    info.update(train_rows=len(train_rows), holdout_rows=len(holdout_rows))
    return np.sort(train_rows), np.sort(holdout_rows), info


# What else to try when a side of the split has no row of a class, by split: a time split
# keeps its order whatever the seed, a group split draws whole groups by the seed, not by class.
_NO_CLASS_ADVICE = {
    "time": "the split keeps time order, so another --seed gives the same sides: try another "
    "--test-size, more data, or leave the class's rows out",
    "group": "whole groups go to one side, drawn by the seed and not by class: try another "
    "--seed or --test-size, or more data",
}
# Of several classes missing: rare classes, a few rows each, cannot be relied on to fall on
# both sides of a split that does not stratify.
_NO_CLASSES_ADVICE = {
    "time": "the split keeps time order, so another --seed gives the same sides: merge rare "
    "classes into coarser ones or leave their rows out, or try another --test-size or more data",
    "group": "whole groups go to one side, drawn by the seed and not by class: merge rare "
    "classes into coarser ones, or try another --seed or --test-size, or more data",
}


def _refuse_sides_without_a_class(
    target: Target,
    sides: dict[str, np.ndarray],
    source: str,
    info: dict[str, Any],
    options: SplitOptions,
) -> None:
    """Refuse a split whose holdout or training split lacks a class, naming every class each
    side lacks and its rows: seattlepets' 6 pigs, none after 2018-09-15 under a time split,
    were "one class" (probe 48); gibraltar's weathers were said one side's first five at a
    time, after its single rows in an error of their own (probe 63)."""
    import numpy as np

    labels = target.labels or []
    every = np.bincount(target.y, minlength=len(labels))
    lacking = {
        part: np.flatnonzero(np.bincount(target.y[rows], minlength=len(labels)) == 0)
        for part, rows in sides.items()
    }
    said = []
    for part, missing in lacking.items():
        if not len(missing):
            continue
        counts = [f"{every[i]:,} row{'s' if every[i] > 1 else ''}" for i in missing[:5]]
        where = f"the {part}"
        if not said:  # the first side says where and of how many rows
            where += f" of {source}"
            counts[0] += f" of the table's {len(target.y):,}"
        shown = ", ".join(f"{labels[i]!r} ({n})" for i, n in zip(missing, counts, strict=False))
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        said.append(f"{where} has no rows of class {shown}{more}")
    if not said:
        return
    missing = np.unique(np.concatenate(list(lacking.values())))
    advice = (_NO_CLASS_ADVICE if len(missing) == 1 else _NO_CLASSES_ADVICE).get(
        info["strategy"], "use more data or another --test-size"
    )
    if alike := _spelled_alike([labels[i] for i in missing if every[i] == 1], labels):
        advice = f"{alike}: fix the spelling in the file; or {advice}"
    if target.numbers_as_classes and len(labels) > 2:
        # pscl's prussian, deaths by horse kicks 0 to 4 split by year: "no rows of class 4",
        # and no word that the count was taken for classes (probe 54).
        advice += (
            f"; the target's whole numbers were taken as {len(labels)} classes: pass --task "
            f"{AS_A_COUNT}"
        )
    raise MLBaselineError(
        f"{'; '.join(said)}: {info['strategy']} split, test size {options.test_size}; {advice}"
    )


def _refuse_a_class_too_small_to_split(target: Target, source: str) -> None:
    """Refuse a class of a single row: it cannot be on both sides of the split. Name it, and
    for numbers taken as classes by default (goals 0-12), the task that fits a count; of two
    classes, only more rows help."""
    import numpy as np

    counts = np.bincount(target.y, minlength=len(target.labels or []))
    single = [target.labels[i] for i in np.flatnonzero(counts < 2)] if target.labels else []
    if not single:
        return
    shown = ", ".join(repr(label) for label in single[:5]) + (", ..." if len(single) > 5 else "")
    if len(target.labels or []) == 2:
        # a 0/1 item with one positive (pingouin's cronbach_wide_missing): no other task or
        # merge helps; only more rows of that class do
        fix = "add rows of that class, or predict another target"
    elif target.numbers_as_classes:
        fix = f"pass --task {AS_A_COUNT}, or drop those rows"
    else:
        fix = "drop those rows or merge their class with another"
    if alike := _spelled_alike(single, target.labels or []):
        fix = f"{alike}: fix the spelling in the file, or {fix}"
    raise MLBaselineError(
        f"{source}: {len(single)} class(es) of the target have a single row ({shown}; "
        f"{target.task.name}, {target.reason}), and each class needs a row on each side of "
        f"the split: {fix}"
    )


def _spelled_alike(single: list[Any], labels: list[Any]) -> str:
    """Return which of the `single` labels differ from another label only in case or
    surrounding spaces ("'Yes ' is 'yes' but for case or spaces"), most likely a typo."""
    said = []
    for label in single:
        if isinstance(label, str):
            same = [other for other in labels if isinstance(other, str) and other != label]
            if other := next((o for o in same if spelling_key(o) == spelling_key(label)), None):
                said.append(f"{label!r} is {other!r} but for case or spaces")
    return "; ".join(said[:5])


def _random_split(
    classes: np.ndarray | None, n: int, options: SplitOptions
) -> tuple[np.ndarray, np.ndarray]:
    """Return a random holdout of `test_size` of the rows; stratified when `classes` are given:
    each class is split in that proportion (at least one row on each side). O(n), unlike
    scikit-learn's train_test_split, which took 3.6 s on 5M rows."""
    import numpy as np

    rng = np.random.default_rng(options.seed)
    groups = (
        [np.arange(n)]
        if classes is None
        else [np.flatnonzero(classes == label) for label in range(int(classes.max()) + 1)]
    )
    holdout = []
    for rows in groups:
        size = round(len(rows) * options.test_size)
        size = min(max(size, 1), len(rows) - 1)
        holdout.append(rng.permutation(rows)[:size])
    holdout_rows = np.sort(np.concatenate(holdout))
    train_mask = np.ones(n, dtype=bool)
    train_mask[holdout_rows] = False
    return np.flatnonzero(train_mask), holdout_rows


def _split_column(table: pa.Table, name: str, option: str, source: str) -> pa.ChunkedArray:
    """Return the column ordering or grouping the rows (training checked that it exists)."""
    column = table.column(name)
    if column.null_count:
        raise MLBaselineError(
            f"{option} {name!r} is empty in {column.null_count} row(s) of {source}; every row "
            "needs a value to be placed on one side of the split"
        )
    return column


def _text_moments(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Return the moments of a text time column and its cells that are not moments: numbers
    when most cells are numbers (years read as text because one cell is `1941?`), else ISO
    8601 dates."""
    import numpy as np
    import pandas as pd

    numbers = pd.to_numeric(column.to_pandas(), errors="coerce").to_numpy(np.float64)
    is_number = ~np.isnan(numbers)
    if is_number.mean() > 0.5:
        return numbers, ~is_number
    return to_datetime(column)


def time_moments(
    column: pa.ChunkedArray, name: str | None = None
) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """Return a time column's moments as numbers (seconds for dates), its cells that are
    not moments (None for a numeric column), and whether they are plain numbers (years,
    periods) rather than dates. Whole numbers that are all dates written yyyymmdd or yymmdd
    (Ecdat's Garch, 800102) are dates: shown as dates, and ordered as dates across a century
    (991231 before 000103); so is text of dates in one other form (`Jan 1 2000`, vega's
    stocks), and whole numbers `name`d as a timestamp that count seconds since 1970, as
    features read them (roles.date_format_of)."""
    import numpy as np
    import pyarrow.types as pat

    from ml_baseline.convert import in_hundred_years, two_digit_years_from
    from ml_baseline.roles import date_format_of

    if (date_format := date_format_of(column, name)) is not None:
        moments, _ = to_datetime(column, date_format)
        moments = in_hundred_years(moments, two_digit_years_from(moments, date_format))
        return np.asarray(moments, dtype=np.float64), None, False
    if pat.is_integer(column.type) or pat.is_floating(column.type):
        return column.to_numpy().astype(np.float64), None, True
    if pat.is_timestamp(column.type) or pat.is_date(column.type):
        # Typed moments (a Parquet timestamp) went through the text path, whose numbers were
        # the timestamp's nanoseconds read as seconds: "year 51970 is out of range" (probe 69).
        moments, bad = to_datetime(column)
        return moments, bad, False
    moments, bad = _text_moments(column)
    return moments, bad, False


def time_blocks_record(blocks: Any, time_column: str) -> dict[str, Any]:
    """Return what holdout_metrics.json records of a time split's bootstrap blocks
    (metrics.TimeBlocks): how many, how long, in rows or in distinct times, and whose errors
    set the length."""
    return {
        "blocks": blocks.count,
        "block_length": blocks.length,
        "block_unit": "times" if blocks.tied else "rows",
        "block_errors": blocks.source,
        "time_column": time_column,
    }


def blocks_said(record: dict[str, Any]) -> str:
    """Return a time split's bootstrap blocks in words, from their record: "7 blocks of 14
    consecutive rows by 'date' (the baseline's errors persist)"."""
    unit = record.get("block_unit", "rows")
    by = "by" if unit == "rows" else "of"
    whose = f"the {record['block_errors']}'s errors" if record.get("block_errors") else "errors"
    return (
        f"{record['blocks']} blocks of {record['block_length']} consecutive {unit} {by} "
        f"{record['time_column']!r} ({whose} persist)"
    )


def groups_said(record: dict[str, Any], asked: float | None = None) -> str:
    """Return how a group split parted the groups, from its record: "52 groups in training,
    13 other groups in the holdout"; with the --test-size `asked`, the holdout's share of the
    rows too when whole groups made it far larger (nlme's Assay, 2 blocks: 50% for 0.2, and
    the run said nothing; probe 57)."""
    train, holdout = record["train_groups"], record["holdout_groups"]
    said = (
        f"{train} group{'' if train == 1 else 's'} in training, {holdout} other "
        f"group{'' if holdout == 1 else 's'} in the holdout"
    )
    share = record.get("holdout_share")
    if asked is not None and share is not None and share > max(1.5 * asked, asked + 0.05):
        said += f" ({share:.0%} of the rows, not {asked:.0%}: the holdout takes whole groups)"
    return said


def span_said(bounds: list[Any]) -> str:
    """Return a split side's first and last time in words: "2003 to 2007", or "1988" when
    the side holds one time (a holdout of the last year)."""
    first, last = bounds
    return str(first) if first == last else f"{first} to {last}"


def _time_split(
    table: pa.Table, options: SplitOptions, source: str
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """The latest `test_size` share of rows by the time column is the holdout; rows tied at
    the cut go to the holdout, so every holdout row is strictly later than every training row."""
    import numpy as np

    column = _split_column(table, options.time_column, "--time-col", source)
    moments, bad, is_number = time_moments(column, options.time_column)
    if bad is not None and bad.any():
        from ml_baseline.roles import unread_dates_said

        cells = column.to_pylist()
        shown = ", ".join(f"row {row + 1} {cells[row]!r}" for row in np.flatnonzero(bad)[:3])
        if (said := unread_dates_said(column)) is not None:
            raise MLBaselineError(
                f"--time-col {options.time_column!r} in {source} {said} ({shown}); write the "
                "dates in ISO 8601 (2024-01-31), or choose another column"
            )
        raise MLBaselineError(
            f"--time-col {options.time_column!r} in {source} holds {int(bad.sum())} value(s) "
            f"that are neither numbers nor dates ({shown}); write every cell as a number or a "
            "date in one form (ISO 8601 such as 2024-01-31, or one of the forms the README "
            "lists: 2024/01/31, Jan 31 2024, 2024-01, 2024 Jan, 2024Q1...), or choose another "
            "column"
        )
    order = np.sort(moments)
    cut = order[len(order) - int(np.ceil(options.test_size * len(order)))]
    holdout_rows = np.flatnonzero(moments >= cut)
    train_rows = np.flatnonzero(moments < cut)
    if len(train_rows) == 0:
        # Grunfeld's 20 years with --test-size 0.99: the holdout took them all (probe 27).
        times = len(np.unique(moments))
        raise MLBaselineError(
            f"--time-col {options.time_column!r} in {source} holds {times} distinct time(s), "
            f"and a holdout of --test-size {options.test_size:g} takes from the latest of them "
            "on, leaving no earlier rows for training; pass a smaller --test-size, a finer "
            "time column, or --split random"
        )

    # Dates without a time of day print as dates (1985-11-26, not 1985-11-26T00:00:00).
    whole_days = not is_number and bool(np.all(np.mod(moments, 86_400) == 0))

    def shown(value: float) -> Any:
        if not is_number:
            return _iso(value)[:10] if whole_days else _iso(value)
        # 1935, not 1935.0; AirPassengers' months as years to 6 digits, 1958.58, not
        # 1958.58333333334.
        return int(value) if float(value).is_integer() else float(f"{value:.6g}")

    info = {
        "strategy": "time",
        "time_column": options.time_column,
        "train_range": [shown(moments[train_rows].min()), shown(moments[train_rows].max())],
        "holdout_range": [shown(moments[holdout_rows].min()), shown(moments[holdout_rows].max())],
        "holdout_share": len(holdout_rows) / len(moments),
    }
    return train_rows, holdout_rows, info


def _iso(seconds: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def group_numbers(values: Any) -> np.ndarray:
    """Return a group number per row for a group column's values (pandas), the units the
    bootstrap resamples after a group split: a missing value is one group, as the split takes
    it (its factorized code -1 is one group to GroupShuffleSplit)."""
    import pandas as pd

    return pd.factorize(values, use_na_sentinel=False)[0]


def class_groups_record(y: np.ndarray, groups: np.ndarray, labels: list[Any]) -> dict[str, Any]:
    """Return, for class codes `y` whose rows fall in `groups` (group numbers), the class held
    by the fewest groups and how many (`class_groups`, `class_groups_label`): after a group
    split the groups are the bootstrap's units, so a class's rows from 9 people are 9 units,
    however many rows they are (Males' occupations split by person: 18 holdout rows of a class
    from 9 men, and the run shipped on a balanced accuracy its interval could not hold; probe
    27). Empty when `y` holds no class."""
    import numpy as np

    counts = {int(code): len(np.unique(groups[y == code])) for code in np.unique(y)}
    if not counts:
        return {}
    code = min(counts, key=counts.__getitem__)
    label = labels[code] if code < len(labels) else code
    return {"class_groups": counts[code], "class_groups_label": label}


def _group_split(
    table: pa.Table, options: SplitOptions, source: str
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Whole groups go to one side: no value of the group column is on both sides."""
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import GroupShuffleSplit

    column = _split_column(table, options.group_column, "--group-col", source)
    groups = pd.factorize(column.to_pandas())[0]
    n_groups = int(groups.max()) + 1
    if n_groups < 2:
        raise MLBaselineError(
            f"--group-col {options.group_column!r} in {source} has a single group; a group "
            "split needs at least two"
        )
    splitter = GroupShuffleSplit(n_splits=1, test_size=options.test_size, random_state=options.seed)
    train_rows, holdout_rows = next(splitter.split(np.zeros(len(groups)), groups=groups))
    info = {
        "strategy": "group",
        "group_column": options.group_column,
        # Counted from the factorized codes: np.unique of many distinct integers takes
        # seconds per million rows under numpy 2.4 (floats or a sort take milliseconds).
        "train_groups": int(np.count_nonzero(np.bincount(groups[train_rows]))),
        "holdout_groups": int(np.count_nonzero(np.bincount(groups[holdout_rows]))),
        "holdout_share": len(holdout_rows) / len(groups),
    }
    return train_rows, holdout_rows, info
