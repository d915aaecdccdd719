"""Leakage and sanity checks on a training set and its result.

Suspected leakage is evidence that one column carries the answer. Each column is scored on its
own by two one-feature models that cannot overfit much, and its score is the better of the two:
its values cut into quantile bins (categories are their own bins, missing values a bin of their
own), each bin predicting the target's mean in the other folds (out-of-fold); and, for numbers,
the raw values taken as they are (ROC AUC of the values as a score, or R2 of a straight line),
which keeps the resolution that bins lose when rows are few or one class is rare. A column is
suspected when that score reaches the task's leakage line; a text or boolean column at a lower
line (a status written after the outcome); when its missing cells, or its filled ones, all fall
in one class where chance would almost never put them; or when its values are exactly the mean
of the target over the rows that share them (a target encoding computed on the whole table,
the holdout's labels included), or of a window of the next rows; when a column of class
labels is the most frequent label of the next rows far more often than of the rows before;
when a column's few values match the classes (or bands of a regression target) one to one on
most rows (the target relabelled: a status written from the outcome); when a column equals,
row by row, the one of several other columns that belongs to the row's class (an attribute of
the option the outcome chose); when a column named as a survival study's follow-up time sits
beside a target named as its event, and the events crowd its shortest times (known only once
the outcome is); when a column and one other give a numeric target to its last written digit
(a rate computed from the target: the target over a size); or when a strong column is,
given the target, unrelated to every other feature (a label with noise). The lines were
chosen on corpora of real tables with injected leaks (bench/audit.py, bench/RESULTS-audit.md,
bench/RESULTS-audit-check.md).

The audit scores the training split, on at most AUDIT_ROWS rows (a stratified sample), so its
cost is bounded whatever the size of the table; the checks in file order (target encodings,
windows, changes from the row before, leads) read every row's target, the holdout's too, for
such a leak spans the split.

Modules, in the order `core.audit` runs them: `scores` (each column on its own, the sample and
folds, the target-only test), `missing` (where empty cells fall), `order` (file order),
`labels` (columns of labels), `marks` (values that mark a class), `formulas` (the target
computed from columns), `events` (survival data by name), `series` (time and the target's own
series), `designs` (a table's layout), `duplicates` (copies and look-alikes); `findings` turns
their figures into what is said; `base` and `values` hold what they share.
"""

from ml_baseline.audit.base import INFO, LEAKAGE, STRONG, WARNING, Finding, Part
from ml_baseline.audit.core import audit
from ml_baseline.audit.findings import AuditResult

__all__ = ["INFO", "LEAKAGE", "STRONG", "WARNING", "AuditResult", "Finding", "Part", "audit"]
