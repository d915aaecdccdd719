"""Reading and writing tables (CSV and Parquet, whole or in batches), atomic writes, hashing,
and the sample data generator.

The format of every input and output is chosen by its extension. All CSV reading goes through
pyarrow with the same null markers, so that an empty field is a missing value at training and
at prediction time alike.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ml_baseline.errors import MLBaselineError

if TYPE_CHECKING:
    import pyarrow as pa

# Cells that mean "missing" in every CSV we read. pandas' and pyarrow's defaults differ (and
# pyarrow reads an empty string field as "" unless told otherwise), so we say it once here.
NULL_VALUES = ["", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "<NA>"]

CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet", ".pq")

# Small CSV read blocks keep pyarrow's read-ahead (and so peak memory) flat however large the
# file is; measured on 1M-10M rows in issue 6.
CSV_BLOCK_SIZE = 4 << 20

_HASH_CHUNK = 1 << 20


def table_format(path: Path) -> str:
    """Return "csv" or "parquet" from the file extension, or raise a clear error."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise MLBaselineError(
        f"{path}: unknown table format {suffix or '(no extension)'!r}; "
        "use a .csv or .parquet file name"
    )


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader(io.RawIOBase):
    """A read-only file that hashes every byte handed to its reader, so that a file can be
    parsed and hashed in one pass."""

    def __init__(self, raw: io.BufferedReader) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)
        if n:
            self.sha256.update(memoryview(buffer)[:n])
        return n


def _csv_options(n_columns: int, **convert: Any) -> dict[str, Any]:
    """Return the read, parse and convert options every CSV read uses."""
    import pyarrow.csv as pacsv

    return {
        "read_options": pacsv.ReadOptions(block_size=CSV_BLOCK_SIZE),
        "parse_options": pacsv.ParseOptions(
            # Quoted values may hold line breaks (our own writers produce them).
            newlines_in_values=True,
            # In a one-column file an empty line is a row with a missing value; in wider files
            # it is noise (a blank line at the end, say).
            ignore_empty_lines=n_columns > 1,
        ),
        "convert_options": pacsv.ConvertOptions(
            null_values=NULL_VALUES, strings_can_be_null=True, **convert
        ),
    }


def _check_text(table: pa.Table, path: Path) -> None:
    """Refuse columns pyarrow could only read as bytes: the file is not UTF-8."""
    import pyarrow.types as pat

    for field in table.schema:
        if pat.is_binary(field.type) or pat.is_large_binary(field.type):
            raise MLBaselineError(
                f"{path}: column {field.name!r} is not valid UTF-8 text; "
                "save the file with UTF-8 encoding"
            )


def _read_error(path: Path, kind: str, exc: Exception) -> MLBaselineError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return MLBaselineError(f"cannot read {path} as {kind}: {reason}")


def read_table(path: Path) -> tuple[pa.Table, str]:
    """Return the whole table at `path` as an Arrow table, and the file's sha256.

    A CSV is hashed while pyarrow parses it (one pass over the file); a Parquet file needs
    random access, so it is hashed first (it is compact and then in the page cache).
    """
    import pyarrow as pa

    fmt = table_format(path)
    if not path.is_file():
        raise MLBaselineError(f"{path}: no such file")
    try:
        if fmt == "csv":
            import pyarrow.csv as pacsv

            options = _csv_options(len(read_columns(path)))
            with open(path, "rb") as raw:
                hashing = _HashingReader(raw)
                table = pacsv.read_csv(hashing, **options)
                # pyarrow stops at the last newline it needs; hash any trailing bytes too.
                while chunk := raw.read(_HASH_CHUNK):
                    hashing.sha256.update(chunk)
                digest = hashing.sha256.hexdigest()
        else:
            import pyarrow.parquet as pq

            digest = sha256_file(path)
            _check_unique_names(read_columns(path), path)
            table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _read_error(path, fmt.upper() if fmt == "csv" else "Parquet", exc) from exc
    _check_text(table, path)
    return table, digest


def read_columns(path: Path) -> list[str]:
    """Return the column names of a table without reading its rows."""
    fmt = table_format(path)
    if not path.is_file():
        raise MLBaselineError(f"{path}: no such file")
    try:
        if fmt == "csv":
            with open(path, encoding="utf-8-sig", newline="") as f:
                header = next(csv.reader(f), None)
            if not header:
                raise MLBaselineError(f"{path}: the file is empty (no header row)")
        else:
            import pyarrow.parquet as pq

            header = list(pq.read_schema(path).names)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError) as exc:
        # pyarrow's errors are OSError (ArrowIOError) or ValueError (ArrowInvalid) subclasses.
        raise _read_error(path, fmt.upper() if fmt == "csv" else "Parquet", exc) from exc
    _check_unique_names(header, path)
    return header


def _check_unique_names(names: list[str], path: Path) -> None:
    """Refuse a table whose header names a column twice: which one would be meant?"""
    seen: set[str] = set()
    repeated = [name for name in names if name in seen or seen.add(name)]
    if repeated:
        shown = ", ".join(repr(name) for name in dict.fromkeys(repeated))
        raise MLBaselineError(
            f"{path}: column name(s) {shown} appear more than once in the header; "
            "rename them so that each column has its own name"
        )


def count_rows(path: Path) -> int | None:
    """Return the number of rows when the file records it (Parquet), else None (CSV)."""
    if table_format(path) != "parquet":
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (pa.ArrowException, OSError):  # unreadable: iter_batches reports it properly
        return None


def iter_batches(path: Path, columns: list[str], batch_size: int) -> Iterator[pa.Table]:
    """Yield `columns` of the table at `path` in order, `batch_size` rows at a time.

    CSV columns are read as strings (the caller converts them against a schema, so that a bad
    value in row 9,000,000 is reported rather than breaking type inference); Parquet columns keep
    their stored types. Memory stays bounded by the batch size, not the file size.
    """
    import pyarrow as pa

    fmt = table_format(path)
    try:
        if fmt == "csv":
            import pyarrow.csv as pacsv

            options = _csv_options(
                len(read_columns(path)),
                include_columns=columns,
                column_types={name: pa.string() for name in columns},
            )
            reader = pacsv.open_csv(path, **options)
            blocks: Iterator[pa.RecordBatch] = iter(reader)
        else:
            import pyarrow.parquet as pq

            # pre_buffer reads whole row groups ahead: memory would grow with the file.
            parquet = pq.ParquetFile(path, pre_buffer=False)
            blocks = parquet.iter_batches(batch_size=batch_size, columns=columns)
        yield from _rebatch(blocks, batch_size)
    except (pa.ArrowException, OSError) as exc:
        raise _read_error(path, fmt.upper() if fmt == "csv" else "Parquet", exc) from exc


def _rebatch(blocks: Iterator[pa.RecordBatch], batch_size: int) -> Iterator[pa.Table]:
    """Regroup record batches of any size into tables of exactly `batch_size` rows (the last
    may be shorter)."""
    import pyarrow as pa

    pending: list[pa.RecordBatch] = []
    pending_rows = 0
    for block in blocks:
        pending.append(block)
        pending_rows += block.num_rows
        while pending_rows >= batch_size:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, batch_size)
            rest = table.slice(batch_size)
            pending = rest.to_batches()
            pending_rows = rest.num_rows
    if pending_rows:
        yield pa.Table.from_batches(pending)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path` in one rename.

    On failure the temporary file is removed and whatever was at `path` is left untouched.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())  # on disk before the rename makes it visible
        # mkstemp creates files readable by their owner only: give the usual mode instead.
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from exc
        raise


def _file_mode(path: Path) -> int:
    """Return the mode for a file written at `path`: that of the file it replaces, else what
    the umask gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_error(path: Path, exc: OSError) -> MLBaselineError:
    reason = exc.strerror or str(exc)
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        reason = "it is a folder; give a file name"
    return MLBaselineError(f"cannot write {path}: {reason}; nothing was written there")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def table_to_bytes(table: pa.Table, fmt: str, *, plain_csv: bool = False) -> bytes:
    """Serialise an Arrow table as CSV or Parquet bytes.

    `plain_csv` writes no quotes at all; only for tables whose strings we made ourselves.
    """
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    _write_whole(table, sink, fmt, plain_csv=plain_csv)
    return sink.getvalue().to_pybytes()


def write_table(table: pa.Table, path: Path) -> None:
    """Write an Arrow table to `path` (CSV or Parquet by extension), atomically."""
    fmt = table_format(path)
    with atomic_path(path) as tmp:
        _write_whole(table, tmp, fmt)


def _write_whole(table: pa.Table, where: Any, fmt: str, *, plain_csv: bool = False) -> None:
    if fmt == "csv":
        import pyarrow.csv as pacsv

        plain = plain_csv or not _needs_quotes(table)
        with _csv_sink(where, table.schema.names) as sink:
            pacsv.write_csv(table, sink, write_options=_csv_write_options(plain))
    else:
        import pyarrow.parquet as pq

        pq.write_table(table, where)


def _needs_quotes(table: pa.Table) -> bool:
    """Return whether any text cell holds a comma, quote or line break (CSV must quote it)."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    for column in table.columns:
        kind = column.type.value_type if pat.is_dictionary(column.type) else column.type
        if not (pat.is_string(kind) or pat.is_large_string(kind)):
            continue
        if pat.is_dictionary(column.type):
            column = column.cast(kind)
        if pc.any(pc.match_substring_regex(column, r'[",\r\n]')).as_py():
            return True
    return False


def _csv_write_options(plain: bool = False) -> Any:
    import pyarrow.csv as pacsv

    # pyarrow quotes every string, header included; the header is written by us (below).
    return pacsv.WriteOptions(include_header=False, quoting_style="none" if plain else "needed")


@contextlib.contextmanager
def _csv_sink(where: Any, names: list[str]) -> Iterator[Any]:
    """Yield a binary stream at `where` (a path or a stream) that starts with a CSV header
    quoted only where needed, as people and spreadsheets expect."""
    import pyarrow as pa

    header = (",".join(_csv_field(name) for name in names) + "\n").encode()
    if isinstance(where, pa.NativeFile):
        where.write(header)
        yield where
        return
    with open(where, "wb") as f:
        f.write(header)
        yield f


def _csv_field(text: str) -> str:
    """Return `text` as one CSV field, quoted only when it must be."""
    if any(char in text for char in ',"\r\n') or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


@contextlib.contextmanager
def table_appender(path: Path) -> Iterator[Callable[[pa.Table], None]]:
    """Yield a function that appends Arrow tables, all with the same schema, to `path`.

    The file appears, complete, only when the block exits without error; until then the rows
    go to a temporary file beside it.
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    fmt = table_format(path)
    with atomic_path(path) as tmp, contextlib.ExitStack() as stack:
        schema: Any = None
        sink: Any = None

        def append(table: pa.Table) -> None:
            nonlocal schema, sink
            if schema is None:
                schema = table.schema
                if fmt == "csv":
                    sink = stack.enter_context(_csv_sink(tmp, table.schema.names))
                else:
                    sink = pq.ParquetWriter(tmp, table.schema)
                    stack.callback(sink.close)
            elif not table.schema.equals(schema):
                raise ValueError(f"batch schema {table.schema} differs from {schema}")
            if fmt == "csv":
                # Quote only the batches that need it, so plain ids stay plain.
                options = _csv_write_options(plain=not _needs_quotes(table))
                pacsv.write_csv(table, sink, write_options=options)
            else:
                sink.write_table(table)

        yield append


# --- sample data -----------------------------------------------------------------------------

SAMPLE_COUNTRIES = ("SA", "AE", "EG", "KW", "QA", "JO", "US", "GB")
_COUNTRY_WEIGHTS = (0.30, 0.18, 0.14, 0.09, 0.08, 0.07, 0.08, 0.06)
# Spending propensity per country, applied to next quarter's spend in the realistic target.
_COUNTRY_EFFECT = (1.00, 1.25, 0.70, 1.20, 1.30, 0.85, 1.10, 1.05)
_MISSING_COUNTRY_SHARE = 0.02
HIGH_VALUE_SHARE = 0.20
LEAKY_THRESHOLD = 80.0


def make_sample_features(n_users: int = 1000, seed: int = 42, leaky: bool = False) -> pa.Table:
    """Return the demo feature table: one row per user, deterministic for (n_users, seed).

    Columns: user_id, country, n_orders, avg_amount, total_amount, is_high_value. Users with no
    orders have no average amount (a missing value). By default `is_high_value` marks the top
    20% of next quarter's spend, which follows the features through noise, so a model beats the
    baseline without being perfect. `leaky=True` uses the seed project's definition,
    `total_amount >= 80`, which hands the answer to the model.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if n_users < 1:
        raise MLBaselineError(f"--n-users must be at least 1, got {n_users}")
    rng = np.random.default_rng(seed)
    country_index = rng.choice(len(SAMPLE_COUNTRIES), size=n_users, p=_COUNTRY_WEIGHTS)
    n_orders = rng.poisson(3.0, size=n_users)
    avg_amount = np.round(rng.lognormal(mean=np.log(16.0), sigma=0.55, size=n_users), 2)
    total_amount = np.round(n_orders * avg_amount, 2)
    no_orders = n_orders == 0
    country_missing = rng.random(n_users) < _MISSING_COUNTRY_SHARE
    noise = rng.lognormal(mean=0.0, sigma=0.6, size=n_users)

    if leaky:
        is_high_value = total_amount >= LEAKY_THRESHOLD
    else:
        effect = np.asarray(_COUNTRY_EFFECT)[country_index]
        next_quarter_spend = (total_amount + 5.0) * effect * noise
        cutoff = np.quantile(next_quarter_spend, 1.0 - HIGH_VALUE_SHARE)
        is_high_value = next_quarter_spend > cutoff

    countries = pa.array(np.asarray(SAMPLE_COUNTRIES)[country_index], type=pa.string())
    return pa.table(
        {
            "user_id": pa.array(np.arange(1, n_users + 1), type=pa.int64()),
            "country": pc.if_else(pa.array(country_missing), None, countries),
            "n_orders": pa.array(n_orders, type=pa.int64()),
            "avg_amount": pa.array(avg_amount, mask=no_orders, type=pa.float64()),
            "total_amount": pa.array(total_amount, type=pa.float64()),
            "is_high_value": pa.array(is_high_value.astype(np.int64), type=pa.int64()),
        }
    )


def write_sample_data(
    path: Path, *, n_users: int = 1000, seed: int = 42, leaky: bool = False, force: bool = False
) -> str:
    """Write the sample feature table to `path`; return "written", "replaced" or "unchanged".

    An existing file with other contents is only replaced with `force`.
    """
    fmt = table_format(path)
    content = table_to_bytes(make_sample_features(n_users, seed, leaky), fmt, plain_csv=True)
    if path.is_dir():
        raise MLBaselineError(f"{path} is a folder; pass a file name ending in .csv or .parquet")
    existed = path.exists()
    if existed:
        if path.read_bytes() == content:
            return "unchanged"
        if not force:
            raise MLBaselineError(
                f"{path} already exists and differs from the sample data these options make; "
                "pass --force to replace it, or --output another path"
            )
    write_bytes_atomic(path, content)
    return "replaced" if existed else "written"
