"""Partitioned tables: a folder of part files, as Spark and Dask write them, or a glob.

A table given as a folder (or a glob such as `data/scores/*.parquet`) is the concatenation of
its part files in name order, numbers compared as numbers (`part.2` before `part.10`, as Dask
numbers its parts; Spark's zero-padded names sort the same either way). Bookkeeping files are
not parts: `_SUCCESS`, `_metadata`, `_common_metadata` (any name starting with `_`), `.crc`
checksums and hidden files.

This module finds the parts, reads them whole for training (with one sha256 over all of
them), cuts them into pieces for scoring (a piece is a part, or consecutive row groups of a
large Parquet part: one task each), and owns the staging folder a partitioned `predict` writes
into and the final step that puts its output in place.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ml_baseline.data import (
    TableLayout,
    atomic_path,
    file_kind,
    inspect_table,
    read_table,
    rebatch,
    sha256_file,
    table_appender,
    try_lock,
)
from ml_baseline.errors import MLBaselineError

if TYPE_CHECKING:
    import pyarrow as pa

# A Parquet part larger than this is scored as several pieces (consecutive row groups), so that
# one big file still spreads over a cluster; smaller row groups are grouped up to it, so that
# a file of many tiny row groups does not become thousands of tasks.
PIECE_ROWS = 1_000_000
# Staging folders of partitioned predictions start with this; one whose lock is free was left
# by a command that was killed, and the next one removes it.
STAGING_PREFIX = ".ml-baseline-scoring-"
_OWNER_LOCK = "owner.lock"
SUCCESS_MARKER = "_SUCCESS"  # written last into an output folder, as Spark does
_GLOB_CHARS = re.compile(r"[*?\[]")


def is_part_name(name: str) -> bool:
    """Return whether a file name in a partitioned table's folder names a part (not
    `_SUCCESS`, `_metadata`, a `.crc` checksum or a hidden file)."""
    return not name.startswith((".", "_")) and not name.endswith(".crc")


def natural_key(name: str) -> tuple[Any, ...]:
    """Return a sort key that compares the runs of digits in a name as numbers."""
    return tuple(
        (0, int(run), run) if run.isdigit() else (1, 0, run) for run in re.split(r"(\d+)", name)
    )


@dataclass(frozen=True)
class TableInput:
    """What --input or --features names: one file, or the parts of a partitioned table."""

    label: str  # as given, for messages
    files: tuple[Path, ...]
    partitioned: bool  # a folder or a glob (even one that matched a single file)

    @property
    def names(self) -> list[str]:
        return [path.name for path in self.files]


def is_pattern(text: str) -> bool:
    return bool(_GLOB_CHARS.search(text))


def find_input(spec: str | os.PathLike[str]) -> TableInput:
    """Return the file, or the part files in scoring order, that `spec` names: a file, a
    folder of parts, or a glob. Raises an error naming what is wrong (no parts, a file that
    is not a table, parts of two formats, two parts with one name)."""
    text = os.fspath(spec)
    path = Path(text)
    if path.is_file():
        return TableInput(text, (path,), partitioned=False)
    if path.is_dir():
        entries = list(path.iterdir())
        subfolders = sorted(p.name for p in entries if p.is_dir() and is_part_name(p.name))
        if subfolders:
            raise MLBaselineError(
                f"{text} holds folders ({', '.join(subfolders[:3])}"
                f"{', ...' if len(subfolders) > 3 else ''}), not only part files; for a table "
                f"partitioned into folders pass a glob, such as '{path / '*' / '*.parquet'}'"
            )
        files = [p for p in entries if p.is_file() and is_part_name(p.name)]
        where = f"the folder {text}"
    elif is_pattern(text):
        files = [
            Path(found)
            for found in glob.glob(text)
            if Path(found).is_file() and is_part_name(Path(found).name)
        ]
        where = f"the pattern {text!r}"
    else:
        raise MLBaselineError(f"{text}: no such file or folder")
    if not files:
        raise MLBaselineError(f"{where} holds no part files (.csv or .parquet); check the path")
    files.sort(key=lambda p: natural_key(p.name))
    formats = {file_kind(p).format: p for p in files}  # an unknown extension fails here
    if len(formats) > 1:
        shown = " and ".join(f"{fmt} ({p.name})" for fmt, p in formats.items())
        raise MLBaselineError(
            f"{where} mixes {shown} parts; give one format (a glob such as '*.parquet' picks one)"
        )
    seen: dict[str, Path] = {}
    for part in files:
        if part.name in seen:
            raise MLBaselineError(
                f"{where} has two parts named {part.name} ({seen[part.name]} and {part}); "
                "their order and their output names would be ambiguous"
            )
        seen[part.name] = part
    return TableInput(text, tuple(files), partitioned=True)


def parts_sha256(files: Iterable[Path]) -> tuple[str, list[dict[str, str]]]:
    """Return the sha256 of a partitioned table and its parts' [{name, sha256}].

    The table's sha256 is that of its manifest: one line `<sha256>  <name>` per part, in
    scoring order, as `sha256sum` prints them; so renaming, reordering, adding or changing a
    part changes it, and it can be checked by hand.
    """
    parts = [{"name": path.name, "sha256": sha256_file(path)} for path in files]
    manifest = "".join(f"{part['sha256']}  {part['name']}\n" for part in parts)
    return hashlib.sha256(manifest.encode("utf-8")).hexdigest(), parts


def read_parts(
    table_input: TableInput, *, delimiter: str | None = None, encoding: str | None = None
) -> tuple[pa.Table, str, TableLayout, list[dict[str, str]]]:
    """Return a partitioned table read whole (its parts concatenated in order), its sha256
    (see `parts_sha256`), the layout of its first part and its parts' names and sha256s.

    Every part must have the same columns; types that differ only in width (int and float
    columns inferred from different CSV parts, say) are widened.
    """
    import pyarrow as pa

    tables, layouts = [], []
    for path in table_input.files:
        layout = inspect_table(path, delimiter=delimiter, encoding=encoding)
        table, _ = read_table(path, layout)
        if tables and table.column_names != tables[0].column_names:
            raise MLBaselineError(
                f"{path}: its columns ({', '.join(table.column_names)}) differ from those of "
                f"{table_input.files[0]} ({', '.join(tables[0].column_names)}); every part "
                "must have the same columns in the same order"
            )
        tables.append(table)
        layouts.append(layout)
    try:
        whole = pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise MLBaselineError(
            f"the parts of {table_input.label} cannot be put together: {exc}; every part must "
            "hold the same types in each column"
        ) from exc
    sha256, parts = parts_sha256(table_input.files)
    return whole, sha256, layouts[0], parts


# --- pieces: the units of work of a partitioned prediction ---------------------------------


@dataclass(frozen=True)
class Piece:
    """One task of a partitioned prediction: a part file, or consecutive row groups of a
    Parquet part."""

    index: int  # position in the scoring order
    part: int  # index of its part file
    path: Path  # where a worker reads it (absolute on a cluster)
    source: str  # the part as messages name it (as given)
    layout: TableLayout | None  # None: an empty (0-byte) CSV part, which has no header
    columns: tuple[str, ...]
    row_groups: tuple[int, ...] | None = None  # None: the whole file
    first_row: int = 1  # the number of its first row in its part (from 1)
    rows: int | None = None  # known for Parquet


def plan_pieces(
    files: list[Path],
    layouts: list[TableLayout | None],
    columns: list[str],
    piece_rows: int | None = None,
) -> list[Piece]:
    """Return the pieces that cover `files` in order: a CSV part is one piece; a Parquet part
    is cut between row groups into pieces of at least `piece_rows` (PIECE_ROWS) rows."""
    piece_rows = piece_rows or PIECE_ROWS
    pieces: list[Piece] = []
    for part, (path, layout) in enumerate(zip(files, layouts, strict=True)):
        groups = _row_groups(path) if layout is not None and layout.format == "parquet" else []
        if len(groups) <= 1:
            rows = groups[0] if groups else None
            pieces.append(
                Piece(len(pieces), part, path, str(path), layout, tuple(columns), rows=rows)
            )
            continue
        first_row, chosen, rows = 1, [], 0
        for group, group_rows in enumerate(groups):
            chosen.append(group)
            rows += group_rows
            if rows >= piece_rows or group == len(groups) - 1:
                pieces.append(
                    Piece(
                        len(pieces),
                        part,
                        path,
                        str(path),
                        layout,
                        tuple(columns),
                        tuple(chosen),
                        first_row,
                        rows,
                    )
                )
                first_row += rows
                chosen, rows = [], 0
    return pieces


def _row_groups(path: Path) -> list[int]:
    """Return the rows of each row group of a Parquet file ([] when unreadable: reading it
    reports why)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError):
        return []
    return [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]


# --- staging and putting the output in place ------------------------------------------------


@contextlib.contextmanager
def scoring_staging(where: Path) -> Iterator[tuple[Path, list[str]]]:
    """Yield a new staging folder in `where` and the leftovers of killed predictions that were
    removed from there first; the folder is removed when the block ends, whatever happens.

    The folder holds a lock for as long as its command runs, so a folder whose lock is free
    was left by a command that was killed (SIGKILL, a lost machine) and can go.
    """
    try:
        where.mkdir(parents=True, exist_ok=True)
        removed = remove_leftovers(where)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=where))
        owner = try_lock(staging / _OWNER_LOCK)
    except OSError as exc:
        raise MLBaselineError(
            f"cannot write in {where}: {exc.strerror or exc}; nothing was written there"
        ) from exc
    try:
        yield staging, removed
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if owner is not None:
            owner.close()


def remove_leftovers(where: Path) -> list[str]:
    """Remove the staging folders in `where` of predictions that were killed; return them."""
    removed = []
    for path in sorted(where.glob(STAGING_PREFIX + "*")):
        if not path.is_dir():
            continue
        owner = try_lock(path / _OWNER_LOCK)
        if owner is None:
            continue  # a prediction still running
        try:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(str(path))
        finally:
            owner.close()
    return removed


def staged_tables(staged: Iterable[Path | None], batch_size: int) -> Iterator[pa.Table]:
    """Yield the rows of the staged outputs, in order, as tables of exactly `batch_size` rows
    (the last may be shorter): the chunks a single-file prediction appends, so the output file
    is the same byte for byte whichever way the pieces were scored."""
    import pyarrow.parquet as pq

    def blocks() -> Iterator[Any]:
        for path in staged:
            if path is not None:
                yield from pq.ParquetFile(path).iter_batches(batch_size=batch_size)

    yield from rebatch(blocks(), batch_size)


def output_schema(staged: list[Path | None], names: list[str]) -> pa.Schema:
    """Return the schema shared by the staged outputs; an error names a part whose id columns
    came in another type (one output file cannot hold both)."""
    import pyarrow.parquet as pq

    schemas = [(name, pq.read_schema(p)) for name, p in zip(names, staged, strict=True) if p]
    first_name, first = schemas[0]
    for name, schema in schemas[1:]:
        if not schema.equals(first):
            differ = [
                f"{field.name!r} is {field.type} there but {first.field(field.name).type} in "
                f"{first_name}"
                for field in schema
                if field.name in first.names and field.type != first.field(field.name).type
            ]
            raise MLBaselineError(
                f"part {name}: id column {'; '.join(differ) or 'names differ'}; one output "
                "file needs one type per column: write the parts with one schema, or pass "
                "--output FOLDER/ for one output part per input part"
            )
    return first


def write_output_file(
    staged: list[Path | None], names: list[str], output: Path, batch_size: int
) -> None:
    """Write the staged outputs, in order, to one table at `output`, atomically."""
    output_schema(staged, names)  # a clear error before anything is written
    with table_appender(output) as append:
        for table in staged_tables(staged, batch_size):
            append(table)


def write_output_folder(
    staged_by_part: list[list[Path]],
    names: list[str],
    folder: Path,
    ready: Path,
    batch_size: int,
    schema: pa.Schema,
) -> None:
    """Complete the output parts in `ready` and put them in place as `folder`.

    A part scored as one piece was written into `ready` by its task, under its final name; a
    part scored as several pieces is written here from their staged outputs, and a part
    with no rows as an empty table of `schema` (a header, for CSV). `_SUCCESS` comes last, as
    Spark writes it. A new folder then appears in one rename; into an existing one the parts
    are renamed one by one (replacing files of the same names, leaving other files alone),
    its old `_SUCCESS` removed first and the new one moved in last, so a reader that waits
    for it sees whole output.
    """
    import pyarrow as pa

    for name, paths in zip(names, staged_by_part, strict=True):
        if (ready / name).exists():
            continue  # written by its task
        with table_appender(ready / name) as append:
            wrote = False
            for table in staged_tables(paths, batch_size):
                append(table)
                wrote = True
            if not wrote:  # an empty part: an empty table, with its header or schema
                append(pa.Table.from_batches([], schema=schema))
    for stray in ready.glob(".*.tmp"):
        stray.unlink()  # left by a task whose worker died while writing (it was run again)
    with atomic_path(ready / SUCCESS_MARKER):
        pass
    try:
        if not folder.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            os.rename(ready, folder)
            return
        (folder / SUCCESS_MARKER).unlink(missing_ok=True)  # incomplete while parts move in
        for name in [*names, SUCCESS_MARKER]:
            os.replace(ready / name, folder / name)
    except OSError as exc:
        raise MLBaselineError(
            f"cannot write {folder}: {exc.strerror or exc}; without its {SUCCESS_MARKER} "
            "marker its parts are not complete"
        ) from exc
