"""Reading and writing tables (CSV and Parquet, whole or in batches), atomic writes, hashing,
and the sample data generator.

The format of every input and output is chosen by its extension (a CSV may be compressed:
.csv.gz, .csv.bz2, .csv.zst). How a CSV is laid out (its delimiter, encoding, and any `sep=`
or `#` comment lines above the header) is found from its first lines, or given with
--delimiter and --encoding; see `inspect_table`. All CSV reading goes through pyarrow with the
same null markers, so that an empty field is a missing value at training and at prediction time
alike.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ml_baseline.errors import MLBaselineError

if TYPE_CHECKING:
    import pyarrow as pa

T = TypeVar("T")

# Cells that mean "missing" in every CSV we read. pandas' and pyarrow's defaults differ (and
# pyarrow reads an empty string field as "" unless told otherwise), so we say it once here.
NULL_VALUES = ["", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "<NA>"]

CSV_SUFFIXES = (".csv",)
TSV_SUFFIXES = (".tsv",)
PARQUET_SUFFIXES = (".parquet", ".pq")
# A CSV may be compressed: the last extension names the codec, which pyarrow streams.
COMPRESSION_SUFFIXES = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd", ".zstd": "zstd"}
_SUPPORTED = (
    "use a .csv or .parquet file name (also .tsv, and CSV compressed as .csv.gz, .csv.bz2 or "
    ".csv.zst)"
)
# Files people reach for that are not tables we read, and the conversion that gets them here.
_SPREADSHEET = "use CSV or Parquet (from Excel: File > Save As > CSV UTF-8)"
_JSON = "convert it to CSV or Parquet (e.g. pandas.read_json(path{lines}).to_parquet(...))"
_NOT_READ = {
    ".xlsx": f"Excel workbooks are not supported; {_SPREADSHEET}",
    ".xlsm": f"Excel workbooks are not supported; {_SPREADSHEET}",
    ".xls": f"Excel workbooks are not supported; {_SPREADSHEET}",
    ".ods": f"spreadsheets are not supported; {_SPREADSHEET}",
    ".json": "JSON is not supported; " + _JSON.format(lines=""),
    ".jsonl": "JSON lines are not supported; " + _JSON.format(lines=", lines=True"),
    ".ndjson": "JSON lines are not supported; " + _JSON.format(lines=", lines=True"),
}

# Small CSV read blocks keep pyarrow's read-ahead (and so peak memory) flat however large the
# file is; measured on 1M-10M rows in issue 6.
CSV_BLOCK_SIZE = 4 << 20

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileKind:
    """What a table file's name says it is."""

    format: str  # "csv" or "parquet"
    compression: str | None = None  # pyarrow's codec of a compressed CSV
    delimiter: str = ","  # a CSV's usual delimiter: a tab for .tsv


def file_kind(path: Path) -> FileKind:
    """Return what the extension of `path` says it is, or raise an error that says which file
    names work (and, for a spreadsheet or JSON, which conversion to make)."""
    suffix = path.suffix.lower()
    compression = COMPRESSION_SUFFIXES.get(suffix)
    if compression is not None:
        suffix = Path(path.stem).suffix.lower()  # a.csv.gz -> .csv
    if suffix in CSV_SUFFIXES:
        return FileKind("csv", compression)
    if suffix in TSV_SUFFIXES:
        return FileKind("csv", compression, "\t")
    if suffix in PARQUET_SUFFIXES and compression is None:
        return FileKind("parquet")
    if suffix in PARQUET_SUFFIXES:
        raise MLBaselineError(
            f"{path}: Parquet is compressed inside already; decompress it to a .parquet file"
        )
    if suffix in _NOT_READ:
        raise MLBaselineError(f"{path}: {_NOT_READ[suffix]}")
    shown = path.suffix.lower() if compression is None else suffix + path.suffix.lower()
    raise MLBaselineError(
        f"{path}: unknown table format {shown or '(no extension)'!r}; {_SUPPORTED}"
    )


def companion_path(path: Path, ending: str) -> Path:
    """Return the path of a file written beside the table `path`, named after it:
    outputs/preds.csv.gz with ending ".drift.json" gives outputs/preds.drift.json."""
    name = path.name
    if path.suffix.lower() in COMPRESSION_SUFFIXES:
        name = name[: -len(path.suffix)]
    stem = name[: -len(Path(name).suffix)] if Path(name).suffix else name
    return path.with_name(stem + ending)


def table_format(path: Path) -> str:
    """Return "csv" or "parquet" from the file extension, or raise a clear error."""
    return file_kind(path).format


def check_output_path(path: Path, example: str) -> FileKind:
    """Return the kind of table to write at `path`, refusing a folder first (`--output outputs`
    is an easy slip, and its extension would be reported as unknown)."""
    if path.is_dir():
        raise MLBaselineError(
            f"{path} is a folder; give a file path ending in .csv or .parquet, "
            f"such as {path / example}"
        )
    if path.suffix.lower() in _NOT_READ:  # the input's advice (convert it) is no output's
        raise MLBaselineError(
            f"{path}: predictions are written as CSV or Parquet, not {path.suffix.lower()}; "
            f"give a path ending in .csv or .parquet, such as {path.with_suffix('.csv')}"
        )
    return file_kind(path)


# --- how a CSV is laid out --------------------------------------------------------------------

# Delimiters recognised from a header line, besides the file's usual one; --delimiter takes any.
_OTHER_DELIMITERS = (";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_DELIMITER_WORDS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Excel writes `sep=;` on a first line of its own to say which delimiter follows.
_SEP_LINE = re.compile(r"sep=([^\r\n])(\r\n|\r|\n)?", re.IGNORECASE)
_LINE = re.compile(r"[^\r\n]*(\r\n|\r|\n|$)")
_HEAD_CHUNK = 1 << 16
_MAX_HEAD = 64 << 20  # a header line longer than this is read as far as it goes


def normalize_delimiter(value: str) -> str:
    """Return the delimiter an option value means ("tab" and "\\t" mean a tab), or raise."""
    delimiter = _DELIMITER_WORDS.get(value.lower(), value)
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise MLBaselineError(
            f"--delimiter must be one character, such as ';' or '|', or the word tab; got {value!r}"
        )
    return delimiter


def normalize_encoding(value: str) -> str:
    """Return Python's name of a text encoding (latin-1 -> iso8859-1), or raise."""
    try:
        info = codecs.lookup(value)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise MLBaselineError(
            f"--encoding {value!r} is not a text encoding Python knows; "
            "try utf-8, latin-1, cp1252 or utf-16"
        )
    # A UTF-8 byte order mark is skipped whatever the option says; plain UTF-8 is read natively.
    return "utf-8" if info.name == "utf-8-sig" else info.name


def _delimiter_option(delimiter: str) -> str:
    """Return the --delimiter option that selects `delimiter`, as a person types it."""
    return "--delimiter tab" if delimiter == "\t" else f"--delimiter {delimiter!r}"


def _encoding_name(codec: str) -> str:
    for family in ("utf-8", "utf-16", "utf-32"):
        if codec.startswith(family):
            return family.upper()
    return codec


@dataclass(frozen=True)
class TableLayout:
    """How to read one table file: its kind and, for a CSV, what its first lines showed (or the
    options said): the delimiter, the encoding, the bytes before the header (a byte order mark,
    a `sep=` line, `#` comment lines) and the column names, with a note for each finding a
    person should know about."""

    kind: FileKind
    header: tuple[str, ...] = ()  # a CSV's column names
    delimiter: str = ","
    encoding: str = "utf-8"  # Python's codec name
    skip_bytes: int = 0  # bytes before the header (of the decompressed file)
    header_line: int = 1  # the header's line number in the file, for error messages
    notes: tuple[str, ...] = ()

    @property
    def format(self) -> str:
        return self.kind.format

    def reading(self) -> dict[str, str | None]:
        """Return the delimiter and encoding a CSV was read with (None for Parquet), as
        run_meta.json records them."""
        if self.format != "csv":
            return {"delimiter": None, "encoding": None}
        return {"delimiter": self.delimiter, "encoding": self.encoding}


def inspect_table(
    path: Path, *, delimiter: str | None = None, encoding: str | None = None
) -> TableLayout:
    """Return how to read the table at `path`, looking only at the first lines of a CSV.

    A CSV's delimiter is `delimiter` if given, else that of a leading `sep=` line, else the
    file's usual one (a comma; a tab for .tsv) unless its header line clearly uses another
    (no comma, but semicolons, tabs or pipes: read with a note); when the header mixes them,
    the error says which --delimiter to pass. Its encoding is that of a byte order mark (UTF-8
    or UTF-16), else `encoding`, else UTF-8. `#` comment lines above the header are skipped
    with a note.
    """
    kind = file_kind(path)
    if not path.is_file():
        raise MLBaselineError(f"{path}: no such file")
    if delimiter is not None:
        delimiter = normalize_delimiter(delimiter)
    if encoding is not None:
        encoding = normalize_encoding(encoding)
    if kind.format != "csv":
        given = [o for o, v in (("--delimiter", delimiter), ("--encoding", encoding)) if v]
        if not given:
            return TableLayout(kind)
        said = f"{path} is Parquet: {' and '.join(given)} only apply to CSV files; ignored"
        return TableLayout(kind, notes=(said,))
    import pyarrow as pa

    try:
        with _input_stream(path, kind.compression) as stream:
            head, size = b"", _HEAD_CHUNK
            while True:
                chunk = stream.read(size)
                head, size = head + chunk, size * 2  # a long header costs O(its length)
                at_end = not chunk or len(head) >= _MAX_HEAD
                layout = _csv_layout(path, kind, head, at_end, delimiter, encoding)
                if layout is not None:
                    return layout
    except (pa.ArrowException, OSError, EOFError) as exc:  # a damaged .gz, say
        raise _read_error(path, "CSV", exc) from exc


@contextlib.contextmanager
def _input_stream(path: Path, compression: str | None, skip: int = 0) -> Iterator[Any]:
    """Yield a pyarrow stream of the file's (decompressed) bytes, `skip` bytes in."""
    import pyarrow as pa

    with pa.input_stream(str(path), compression=compression) as stream:
        _skip(stream, skip)
        yield stream


def _skip(stream: Any, n: int) -> None:
    """Read and drop `n` bytes (a read may return fewer than asked)."""
    while n > 0:
        chunk = stream.read(min(n, _HASH_CHUNK))
        if not chunk:
            return
        n -= len(chunk)


def _csv_layout(
    path: Path,
    kind: FileKind,
    head: bytes,
    at_end: bool,
    delimiter: str | None,
    encoding: str | None,
) -> TableLayout | None:
    """Return the layout of a CSV from its first bytes `head`, or None when the header line
    goes on past them (and the file does too)."""
    if not head.strip():
        raise MLBaselineError(f"{path}: the file is empty (no header row)")
    codec, bom, notes = _text_encoding(path, head, encoding)
    try:
        text = codecs.getincrementaldecoder(codec)("surrogateescape").decode(head[bom:], at_end)
    except UnicodeDecodeError as exc:  # UTF-16 and the like: no byte can be kept aside
        raise _encoding_error(path, codec, _undecodable_at(head[bom:], codec, exc)) from exc
    except UnicodeError as exc:  # `--encoding utf-16` without a byte order mark (probe 26)
        name = _encoding_name(codec)
        raise MLBaselineError(
            f"cannot read {path} as {name} text: it has no {name} byte order mark, so its "
            f"byte order is unknown; if it is {name}, pass --encoding {codec}-le or "
            f"--encoding {codec}-be, else the encoding it is in (none for UTF-8)"
        ) from exc
    found = _header_position(path, text, at_end, delimiter, kind.delimiter)
    if found is None:
        return None
    start, end, line, chosen, said = found
    notes.extend(said)
    fields = next(csv.reader(io.StringIO(text[start:end], newline=""), delimiter=chosen), [])
    if not fields:
        raise MLBaselineError(
            f"{path}: line {line}, where the column names should be, is empty; "
            "remove the blank lines above them"
        )
    for field in fields:
        if bad := re.search("[\udc80-\udcff]", field):
            byte = ord(bad.group()) - 0xDC00
            raise _encoding_error(path, codec, (line, byte), where="the header")
    skip = bom + len(text[:start].encode(codec, "surrogateescape"))
    return TableLayout(kind, tuple(fields), chosen, codec, skip, line, tuple(notes))


def _text_encoding(path: Path, head: bytes, requested: str | None) -> tuple[str, int, list[str]]:
    """Return the codec to read a CSV with, the length of its byte order mark, and notes."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            notes = []
            if codec != "utf-8":
                notes.append(f"{path} is UTF-16 text (it starts with a UTF-16 byte order mark)")
            if requested is not None and _encoding_name(requested) != _encoding_name(codec):
                notes.append(
                    f"--encoding {requested} ignored: {path} starts with a "
                    f"{_encoding_name(codec)} byte order mark"
                )
            return codec, len(bom), notes
    if requested is not None:
        return requested, 0, []
    sample = head[:4096]
    if sample.count(0) * 3 > len(sample):  # ASCII text in UTF-16: every other byte is 0
        guess = "utf-16-le" if sample[1::2].count(0) > sample[::2].count(0) else "utf-16-be"
        raise MLBaselineError(
            f"{path} looks like UTF-16 text without a byte order mark; pass --encoding "
            f"{guess}, or save it as UTF-8"
        )
    return "utf-8", 0, []


def _header_position(
    path: Path, text: str, at_end: bool, requested: str | None, usual: str
) -> tuple[int, int, int, str, list[str]] | None:
    """Return where the header record starts and ends in `text`, its line number, the
    delimiter and notes; or None when the header goes on past `text`.

    Skips a first line `sep=X` (X is then the delimiter, unless --delimiter says otherwise) and
    `#` comment lines. A single `#` line with as many fields as the line after it is the header
    itself (a first column named "#").
    """
    notes: list[str] = []
    lines = [m.group() for m in _LINE.finditer(text) if m.group()]
    if not at_end and lines and not lines[-1].endswith(("\n", "\r")):
        lines.pop()  # cut short by the end of `text`
    if not at_end and lines and lines[-1].endswith("\r"):
        lines.pop()  # maybe the first half of \r\n
    first = 0
    sep = None
    if lines and (match := _SEP_LINE.fullmatch(lines[0])):
        sep, first = match.group(1), 1
        said = "" if requested else f", which says the delimiter is {sep!r}"
        notes.append(f"{path}: skipped its first line {lines[0].strip()!r}{said}")
    comments = first
    while comments < len(lines) and lines[comments].startswith("#"):
        comments += 1
    if comments == len(lines) and not at_end:
        return None
    header = comments if comments < len(lines) else first  # only `#` lines: the first is all
    start = sum(len(line) for line in lines[:header])
    scanned = _scan_record(text, start, at_end)
    if scanned is None:
        return None
    end, counts = scanned
    delimiter = requested or sep or _sniffed(path, counts, usual, notes)
    if comments - first == 1 and header == comments:
        _, comment_counts = _scan_record(lines[first], 0, True) or (0, counts)
        if comment_counts[delimiter] == counts[delimiter] > 0:
            header = first  # "#,name,score" over "1,Bob,3": a header, not a comment
            start = sum(len(line) for line in lines[:header])
            end, _ = _scan_record(text, start, at_end) or (len(text), counts)
    if header > first:
        notes.append(
            f"{path}: skipped {header - first} comment line(s) starting with '#' above the header"
        )
    return start, end, header + 1, delimiter, notes


def _scan_record(text: str, start: int, at_end: bool) -> tuple[int, dict[str, int]] | None:
    """Return where the CSV record starting at `start` ends, and how many of each candidate
    delimiter it has outside quoted fields; or None when it goes on past `text`.

    A quote opens a quoted field only at the start of a field, as CSV readers have it, so that
    `5" screen` is plain text.
    """
    counts = dict.fromkeys((",", *_OTHER_DELIMITERS), 0)
    quoted, field_start, i = False, True, start
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"':
                if i + 1 == len(text) and not at_end:
                    return None  # a closing quote, or the first of two
                if text[i + 1 : i + 2] == '"':
                    i += 1
                else:
                    quoted = False
        elif char == '"' and field_start:
            quoted = True
        elif char in "\r\n":
            return i, counts
        elif char in counts:
            counts[char] += 1
            field_start = True
            i += 1
            continue
        field_start = False
        i += 1
    return (len(text), counts) if at_end else None


def _sniffed(path: Path, counts: dict[str, int], usual: str, notes: list[str]) -> str:
    """Return the delimiter a header line uses: the usual one unless the line clearly uses
    another (none of the usual one, and one other); mixed lines are an error that says which
    --delimiter to pass."""
    others = {d: n for d, n in counts.items() if d != usual and n}
    if not others:
        return usual
    likely = max(others, key=lambda d: others[d])
    if counts[usual] >= others[likely]:
        return usual
    by_count = sorted((d for d in counts if counts[d]), key=lambda d: -counts[d])
    shown = " and ".join(f"{counts[d]} {'tab' if d == chr(9) else repr(d)}" for d in by_count)
    name = _DELIMITER_NAMES[likely]
    if not counts[usual] and len(others) == 1:
        notes.append(
            f"{path}: read as a {name}-separated file (its header line has {shown}); "
            f"pass {_delimiter_option(usual)} if that is wrong"
        )
        return likely
    raise MLBaselineError(
        f"{path} looks like a {name}-separated file (its header line has {shown}): pass "
        f"{_delimiter_option(likely)} (or {_delimiter_option(usual)} if "
        f"{_DELIMITER_NAMES[usual]}s separate its columns)"
    )


# --- encoding errors ----------------------------------------------------------------------------


def _encoding_error(
    path: Path,
    codec: str,
    found: tuple[int, int] | None,
    column: str | None = None,
    where: str | None = None,
) -> MLBaselineError:
    """Return the error for text that is not in `codec`, naming the line (and column) and the
    first byte that is not, and the --encoding to try."""
    name = _encoding_name(codec)
    place = [] if found is None else [f"line {found[0]}"]
    if where is not None:
        place = [f"{where} ({place[0]})" if place else where]
    if column is not None:
        place.append(f"column {column}")
    what = f"byte 0x{found[1]:02x}" if found is not None else "bytes"
    said = f"{', '.join(place)} has {what}" if place else f"it has {what}"
    if name == "UTF-8":
        hint = (
            "if the file was saved as Latin-1 or Windows-1252 (Excel on Windows does), pass "
            "--encoding latin-1 (or --encoding cp1252); otherwise save it as UTF-8"
        )
    else:
        hint = f"check that the file is {name} (--encoding), or save it as UTF-8"
    return MLBaselineError(
        f"cannot read {path} as {name} text: {said}, which is not {name}; {hint}"
    )


def _undecodable_at(data: bytes, codec: str, exc: UnicodeDecodeError) -> tuple[int, int]:
    """Return (line, byte) of a decoding error in the first bytes of a file."""
    line_end = "\n".encode(codec)
    return data.count(line_end, 0, exc.start) + 1, data[exc.start]


def _first_undecodable(path: Path, layout: TableLayout) -> tuple[int, int] | None:
    """Return the line number and value of the first byte after the header's start that is not
    text in the layout's encoding; None if there is none or lines cannot be cut in bytes
    (UTF-16). Only called for an error message: it reads the whole file."""
    if "\n".encode(layout.encoding) != b"\n":
        return None
    line = layout.header_line
    with _input_stream(path, layout.kind.compression, layout.skip_bytes) as stream:
        pending = b""
        while True:
            chunk = stream.read(_HASH_CHUNK)
            data = pending + chunk
            cut = data.rfind(b"\n") + 1 if chunk else len(data)  # whole lines only
            block, pending = data[:cut], data[cut:]
            try:
                block.decode(layout.encoding)
            except UnicodeDecodeError as exc:
                return line + block.count(b"\n", 0, exc.start), block[exc.start]
            line += block.count(b"\n")
            if not chunk:
                return None


def column_label(name: str, position: int) -> str:
    """Return a column's name as messages show it: "(unnamed column N)" (N counts from 1) for a
    name that is empty or blank, which a person could neither read nor type."""
    return name if name.strip() else f"(unnamed column {position})"


def quoted_column(name: str, position: int) -> str:
    """Return a column's name quoted for a message, or "(unnamed column N)"."""
    return repr(name) if name.strip() else column_label(name, position)


# --- reading ------------------------------------------------------------------------------------


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


def _csv_options(layout: TableLayout, **convert: Any) -> dict[str, Any]:
    """Return the read, parse and convert options every CSV read uses."""
    import pyarrow.csv as pacsv

    return {
        "read_options": pacsv.ReadOptions(block_size=CSV_BLOCK_SIZE, encoding=layout.encoding),
        "parse_options": pacsv.ParseOptions(
            delimiter=layout.delimiter,
            # Quoted values may hold line breaks (our own writers produce them).
            newlines_in_values=True,
            # In a one-column file an empty line is a row with a missing value; in wider files
            # it is noise (a blank line at the end, say).
            ignore_empty_lines=len(layout.header) > 1,
        ),
        "convert_options": pacsv.ConvertOptions(
            null_values=NULL_VALUES, strings_can_be_null=True, **convert
        ),
    }


def _check_text(table: pa.Table, path: Path, layout: TableLayout) -> None:
    """Refuse CSV columns pyarrow could only read as bytes: the file is not in its encoding.
    A Parquet file's bytes are a type of their own (`binary`), which the roles leave out as
    they do lists and structs: it refused the whole training, with CSV's advice (probe 69)."""
    import pyarrow.types as pat

    if layout.format != "csv":
        return
    for position, field in enumerate(table.schema, 1):
        if pat.is_binary(field.type) or pat.is_large_binary(field.type):
            found = _first_undecodable(path, layout)
            column = quoted_column(field.name, position)
            raise _encoding_error(path, layout.encoding, found, column)


def _read_error(path: Path, kind: str, exc: Exception) -> MLBaselineError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return MLBaselineError(f"cannot read {path} as {kind}: {reason}")


def _csv_read_error(path: Path, layout: TableLayout, exc: Exception) -> MLBaselineError:
    """Return the error for a CSV pyarrow could not read, naming a column pyarrow only numbers
    ("In CSV column #1") and, for text not in the file's encoding, the line."""
    numbered = re.search(r"In CSV column #(\d+)", str(exc))
    column = None
    if numbered and int(numbered.group(1)) < len(layout.header):
        position = int(numbered.group(1))
        column = quoted_column(layout.header[position], position + 1)
    if isinstance(exc, UnicodeDecodeError) or "invalid UTF8" in str(exc):
        return _encoding_error(path, layout.encoding, _first_undecodable(path, layout), column)
    if "Expected" in str(exc) and "columns, got" in str(exc):
        ragged = _ragged_line(path, layout)
        if ragged is not None:
            return MLBaselineError(f"cannot read {path} as CSV: {ragged}")
    error = _read_error(path, "CSV", exc)
    if numbered and column is not None:
        return MLBaselineError(str(error).replace(numbered.group(), f"in column {column}"))
    return error


def _ragged_line(path: Path, layout: TableLayout) -> str | None:
    """Return what is wrong with the first record whose field count differs from the
    header's, with its line number (pyarrow's message gives the text, not where it is).
    Only called after a parse error, so reading the file again costs nothing in the usual
    case."""
    try:
        with _input_stream(path, layout.kind.compression, layout.skip_bytes) as stream:
            text = io.TextIOWrapper(stream, encoding=layout.encoding, newline="")
            reader = csv.reader(text, delimiter=layout.delimiter)
            next(reader, None)  # the header
            start = layout.header_line
            for record in reader:
                # pyarrow skips empty lines: a table's last line, then an empty one and a
                # footnote, was said to fail at the empty line (probe 67).
                if len(record) == len(layout.header) or not record:
                    continue
                line = start + reader.line_num - 1
                if len(record) <= 1 and not "".join(record).strip():
                    return f"line {line} is blank (only spaces); delete it"
                if (inside := _bare_carriage_return(path, layout)) is not None:
                    return (
                        f"line {inside} holds a carriage return (\\r) inside its text, which "
                        "ends a row there: remove it, or quote that field"
                    )
                shown_text = layout.delimiter.join(record)
                shown_text = shown_text if len(shown_text) <= 60 else shown_text[:57] + "..."
                return (
                    f"line {line} has {len(record)} fields where the header has "
                    f"{len(layout.header)} ({shown_text!r}); fix or delete that line"
                )
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def _bare_carriage_return(path: Path, layout: TableLayout) -> int | None:
    """Return the number of the first line (lines end at "\\n", as an editor counts them)
    holding a carriage return that does not end it, or None. pandas writes one unquoted
    inside text: dslabs' trump_tweets had 7, each read as the end of a row, and the error
    named a line that looked whole in an editor (probe 60)."""
    with _input_stream(path, layout.kind.compression, layout.skip_bytes) as stream:
        text = io.TextIOWrapper(stream, encoding=layout.encoding, newline="\n")
        for number, line in enumerate(text, start=layout.header_line):
            if "\r" in line.rstrip("\r\n"):
                return number
    return None


def read_table(path: Path, layout: TableLayout | None = None) -> tuple[pa.Table, str]:
    """Return the whole table at `path` as an Arrow table, and the file's sha256.

    `layout` is what `inspect_table` found (it is looked for when not given). A CSV is hashed
    while pyarrow parses it (one pass over the file, compressed or not); a Parquet file needs
    random access, so it is hashed first (it is compact and then in the page cache).
    """
    import pyarrow as pa

    layout = layout or inspect_table(path)
    try:
        if layout.format == "csv":
            _check_unique_names(list(layout.header), path)
            table, digest = _read_csv_hashed(path, layout)
        else:
            import pyarrow.parquet as pq

            digest = sha256_file(path)
            _check_unique_names(read_columns(path, layout), path)
            table = plain_text(pq.read_table(path))
    except (pa.ArrowException, OSError, ValueError) as exc:
        # UnicodeDecodeError (a ValueError) comes from decoding with --encoding.
        if layout.format == "csv":
            raise _csv_read_error(path, layout, exc) from exc
        raise _read_error(path, "Parquet", exc) from exc
    _check_text(table, path, layout)
    return table, digest


# Field metadata marking a column the file stores as categories (plain_text).
TYPED_CATEGORY = {b"ml_baseline.category": b"1"}


def plain_text(table: pa.Table) -> pa.Table:
    """Return `table` with its text columns as Arrow's plain `string`, dictionaries (pandas'
    `category`) decoded and half-precision floats as `float32`.
    pandas 3 writes text to Parquet as `large_string`, which some of pyarrow's text kernels
    refuse beside `string` literals: mosaicData's BirthsSSA and fpp3's aus_arrivals, quarters
    written '1981 Q1', stopped train with "unexpected ArrowNotImplementedError", and predict
    called every such cell invalid (probe 24). A chunk of over 2 GiB of text stays as it is."""
    import pyarrow as pa
    import pyarrow.types as pat

    def plain(kind: pa.DataType) -> pa.DataType:
        if pat.is_large_string(kind) or pat.is_string_view(kind):
            return pa.string()
        if pat.is_dictionary(kind):
            # Decoded: pyarrow's kernels that count or compare values (count_distinct, sum)
            # have none for dictionaries, and a pandas `category` id or --group-col stopped
            # train with "unexpected ArrowNotImplementedError" (probe 69). Its rows hold
            # the same values either way.
            return plain(kind.value_type)
        if pat.is_float16(kind):  # numpy's float16: pyarrow has no kernels for it either
            return pa.float32()
        return kind

    # Columns stored as categories (pandas' `category`) stay categories, as the file says,
    # numbers included (roles.typed_category): Arrow reads Categorical([1, 2, 3]) back as
    # plain numbers, and only pandas' own metadata still calls it categorical.
    described = (table.schema.pandas_metadata or {}).get("columns", [])
    categories = {c.get("name") for c in described if c.get("pandas_type") == "categorical"}

    def plain_field(field: pa.Field) -> pa.Field:
        made = field.with_type(plain(field.type))
        if field.name in categories:
            made = made.with_metadata({**(field.metadata or {}), **TYPED_CATEGORY})
        return made

    schema = pa.schema([plain_field(field) for field in table.schema])
    if schema.equals(table.schema, check_metadata=True):
        return table
    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # offsets past 2 GiB
        return table


def _read_csv_hashed(path: Path, layout: TableLayout) -> tuple[pa.Table, str]:
    """Return a CSV read whole, and the sha256 of the file's bytes as stored."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with open(path, "rb") as raw:
        hashing = _HashingReader(raw)
        stream: Any = hashing
        if layout.kind.compression is not None:
            stream = pa.CompressedInputStream(
                pa.PythonFile(hashing, mode="r"), layout.kind.compression
            )
        with contextlib.closing(stream):
            _skip(stream, layout.skip_bytes)
            table = pacsv.read_csv(stream, **_csv_options(layout))
        # pyarrow stops at the last newline it needs; hash any trailing bytes too.
        while chunk := raw.read(_HASH_CHUNK):
            hashing.sha256.update(chunk)
    return table, hashing.sha256.hexdigest()


# A spreadsheet's totals row exported with its data: each number the sum of the rows above.
# ISLR's Carseats with one such row at its end trained on it, and one row 400 times the others
# made every numeric column "predict the target almost perfectly" (Population named as
# leakage, R2 0.999) and the run said don't ship for it (probe 67). A row is one when most of
# its numbers (two or more) are the sums of the other rows', to TOTALS_TOLERANCE (sums are
# shown rounded); a spreadsheet may average some columns, and leave others empty.
TOTALS_TOLERANCE = 1e-3
TOTALS_MIN_ROWS = 10  # on fewer, small counts sum to another row's by chance (0, 1, 1)
_TOTALS_WORDS = re.compile(r"^\s*(grand\s+)?(sub)?totals?\b|^\s*(sum|all)\s*$", re.IGNORECASE)


def totals_row(table: pa.Table) -> tuple[int, list[str], str | None] | None:
    """Return the first or last row of `table` whose numbers are mostly the sums of the other
    rows' (see above): its row number (from 1), the columns that sum, and a text column that
    says so ("ShelveLoc says 'Total'"), or None."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    n = table.num_rows
    if n < TOTALS_MIN_ROWS:
        return None
    numeric = [
        name
        for name in table.column_names
        if pat.is_integer(table[name].type) or pat.is_floating(table[name].type)
    ]
    totals = {name: pc.sum(table[name]).as_py() for name in numeric}
    for row in (n - 1, 0):
        filled, summed = 0, []
        for name in numeric:
            value = table[name][row].as_py()
            if value is None or value != value:  # empty, or NaN
                continue
            filled += 1
            others = totals[name] - value
            if others != 0 and abs(value - others) <= TOTALS_TOLERANCE * abs(others):
                summed.append(name)
        if len(summed) >= 2 and 2 * len(summed) >= filled:
            return row + 1, summed, _totals_word(table, row)
    return None


def header_rows(table: pa.Table) -> list[int]:
    """Return the rows (from 1) that repeat the header, each cell its column's name in half
    the columns or more (two at least): two exports joined into one file. Carseats so joined
    read its target as text and said "its values are numbers, but for 'Sales' (1): empty
    those cells", which would leave the row in every feature (probe 67)."""
    import numpy as np
    import pyarrow.compute as pc
    import pyarrow.types as pat

    named = np.zeros(table.num_rows, dtype=np.int64)
    for name in table.column_names:
        column = table[name]
        if pat.is_string(column.type) or pat.is_large_string(column.type):
            said = pc.equal(pc.utf8_trim_whitespace(column), name.strip())
            named += pc.fill_null(said, False).to_numpy(zero_copy_only=False)
    least = max(2, (table.num_columns + 1) // 2)
    return [int(row) + 1 for row in np.flatnonzero(named >= least)]


def _totals_word(table: pa.Table, row: int) -> str | None:
    """Return "C says 'Total'" for the first text cell of `row` that says a total, or None."""
    import pyarrow.types as pat

    for name in table.column_names:
        column = table[name]
        if pat.is_string(column.type) or pat.is_large_string(column.type):
            value = column[row].as_py()
            if value is not None and _TOTALS_WORDS.search(value):
                return f"{name} says {value!r}"
    return None


def read_text_columns(
    path: Path, layout: TableLayout, columns: list[str], first_block: bool = False
) -> pa.Table:
    """Return `columns` of a CSV read again, as the text of their cells: what pyarrow's type
    inference read as numbers is sometimes text (5.914, a thousands point; 01001, a code;
    roles.py). `first_block` reads only the file's first block of rows (CSV_BLOCK_SIZE)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    options = _csv_options(
        layout, include_columns=columns, column_types={name: pa.string() for name in columns}
    )
    try:
        with _input_stream(path, layout.kind.compression, layout.skip_bytes) as stream:
            if not first_block:
                return pacsv.read_csv(stream, **options)
            with contextlib.closing(pacsv.open_csv(stream, **options)) as reader:
                return pa.Table.from_batches([reader.read_next_batch()])
    except StopIteration:  # no row: nothing to look at
        return pa.table({name: pa.array([], pa.string()) for name in columns})
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _csv_read_error(path, layout, exc) from exc


def read_columns(path: Path, layout: TableLayout | None = None) -> list[str]:
    """Return the column names of a table without reading its rows."""
    layout = layout or inspect_table(path)
    if layout.format == "csv":
        header = list(layout.header)
    else:
        import pyarrow.parquet as pq

        try:
            header = list(pq.read_schema(path).names)
        except (OSError, ValueError) as exc:
            # pyarrow's errors are OSError (ArrowIOError) or ValueError (ArrowInvalid) subclasses.
            raise _read_error(path, "Parquet", exc) from exc
    _check_unique_names(header, path)
    return header


def _check_unique_names(names: list[str], path: Path) -> None:
    """Refuse a table whose header names a column twice: which one would be meant? A header
    of one name and empty fields is a report's title above the table, as spreadsheets export
    it (`Carseats sales report Q1 2024,,,,`): said so, not as '' named twice (probe 67)."""
    if len(names) > 2 and names[0].strip() and not any(name.strip() for name in names[1:]):
        raise MLBaselineError(
            f"{path}: its header line looks like a title, not column names: one name "
            f"({names[0]!r}) and {len(names) - 1} empty fields; delete the lines above the "
            "header"
        )
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


def iter_batches(
    path: Path,
    columns: list[str],
    batch_size: int,
    layout: TableLayout | None = None,
    row_groups: list[int] | None = None,
) -> Iterator[pa.Table]:
    """Yield `columns` of the table at `path` in order, `batch_size` rows at a time.

    CSV columns are read as strings (the caller converts them against a schema, so that a bad
    value in row 9,000,000 is reported rather than breaking type inference); Parquet columns keep
    their stored types. Memory stays bounded by the batch size, not the file size. `layout` is
    what `inspect_table` found (it is looked for when not given). `row_groups` reads only those
    row groups of a Parquet file (a piece of it, parts.py).
    """
    import pyarrow as pa

    layout = layout or inspect_table(path)
    try:
        if layout.format == "csv":
            import pyarrow.csv as pacsv

            options = _csv_options(
                layout,
                include_columns=columns,
                column_types={name: pa.string() for name in columns},
            )
            with _input_stream(path, layout.kind.compression, layout.skip_bytes) as stream:
                yield from rebatch(iter(pacsv.open_csv(stream, **options)), batch_size)
        else:
            import pyarrow.parquet as pq

            # pre_buffer reads whole row groups ahead: memory would grow with the file.
            parquet = pq.ParquetFile(path, pre_buffer=False)
            blocks = parquet.iter_batches(
                batch_size=batch_size, columns=columns, row_groups=row_groups
            )
            yield from (plain_text(table) for table in rebatch(blocks, batch_size))
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        # UnicodeDecodeError comes from decoding with --encoding.
        if layout.format == "csv":
            raise _csv_read_error(path, layout, exc) from exc
        raise _read_error(path, "Parquet", exc) from exc


def read_ahead(items: Iterator[T]) -> Iterator[T]:
    """Yield the items of `items` in order while a thread reads the next one.

    pyarrow parses CSV and decodes Parquet without holding the GIL, so reading the next batch
    runs on a second core while the caller works on this one (predict also converts it here:
    `items` may do any work). One item is read ahead at most, so memory still grows with the
    batch size, not the file. An error while reading is raised here, where its item would have
    come; when the caller stops early the thread stops after the item it is reading, and
    `items` is closed (its file too).
    """
    import queue
    import threading

    ready: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(entry: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            with contextlib.suppress(queue.Full):
                ready.put(entry, timeout=0.05)
                return True
        return False

    def read() -> None:
        try:
            for item in items:
                if not put((False, item)):
                    return
            put((True, None))
        except BaseException as exc:  # handed to the caller, raised there
            put((True, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    reader = threading.Thread(target=read, name="ml-baseline-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            finished, value = ready.get()
            if finished:
                if value is not None:
                    raise value
                return
            yield value
    finally:
        stop.set()
        reader.join()


def rebatch(blocks: Iterator[pa.RecordBatch], batch_size: int) -> Iterator[pa.Table]:
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


# --- writing ------------------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path` in one rename.

    On failure the temporary file is removed and whatever was at `path` is left untouched. A
    symbolic link is written through, as a shell's `>` does: its target is replaced and the link
    kept (replacing the link itself would leave the file it points to stale).
    """
    if path.is_symlink():
        path = path.resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        sync_to_disk(tmp)  # on disk before the rename makes it visible
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


def try_lock(path: Path) -> Any:
    """Return the open file holding an exclusive lock on `path` (created if need be), or None
    if a live process holds it or its folder is gone. The kernel releases a lock when its
    process dies, so a killed command never leaves a stale one."""
    import fcntl

    try:
        handle = open(path, "a+b")  # noqa: SIM115 - the caller owns the handle (and the lock)
    except FileNotFoundError:  # the folder was removed meanwhile
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def table_to_bytes(table: pa.Table, kind: FileKind, *, plain_csv: bool = False) -> bytes:
    """Serialise an Arrow table as the bytes of a file of `kind` (CSV, maybe compressed, or
    Parquet).

    `plain_csv` writes no quotes at all; only for tables whose strings we made ourselves.
    """
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    _write_whole(table, sink, kind, plain_csv=plain_csv)
    return sink.getvalue().to_pybytes()


def write_table(table: pa.Table, path: Path) -> None:
    """Write an Arrow table to `path` (CSV or Parquet by extension), atomically."""
    kind = file_kind(path)
    with atomic_path(path) as tmp:
        _write_whole(table, tmp, kind)


def _write_whole(table: pa.Table, where: Any, kind: FileKind, *, plain_csv: bool = False) -> None:
    if kind.format == "csv":
        import pyarrow.csv as pacsv

        plain = plain_csv or not _needs_quotes(table, kind.delimiter)
        with _csv_sink(where, table.schema.names, kind) as sink:
            pacsv.write_csv(table, sink, write_options=_csv_write_options(plain, kind.delimiter))
    else:
        import pyarrow.parquet as pq

        pq.write_table(table, where)


def _needs_quotes(table: pa.Table, delimiter: str = ",") -> bool:
    """Return whether any text cell holds the delimiter, a quote or a line break (CSV must
    quote it)."""
    import pyarrow.compute as pc
    import pyarrow.types as pat

    pattern = f'["{re.escape(delimiter)}\\r\\n]'
    for column in table.columns:
        kind = column.type.value_type if pat.is_dictionary(column.type) else column.type
        if not (pat.is_string(kind) or pat.is_large_string(kind)):
            continue
        if pat.is_dictionary(column.type):
            column = column.cast(kind)
        if not delimiter.isalnum() and pc.all(pc.ascii_is_alnum(column)).as_py():
            continue  # letters and digits only (ids, mostly): a tenth of the regex's time
        if pc.any(pc.match_substring_regex(column, pattern)).as_py():
            return True
    return False


def _csv_write_options(plain: bool = False, delimiter: str = ",") -> Any:
    import pyarrow.csv as pacsv

    # pyarrow quotes every string, header included; the header is written by us (below).
    return pacsv.WriteOptions(
        include_header=False, delimiter=delimiter, quoting_style="none" if plain else "needed"
    )


@contextlib.contextmanager
def _csv_sink(where: Any, names: list[str], kind: FileKind) -> Iterator[Any]:
    """Yield a binary stream at `where` (a path or a stream), compressed if `kind` says so,
    that starts with a CSV header quoted only where needed, as people and spreadsheets
    expect."""
    import pyarrow as pa

    delimiter = kind.delimiter
    header = (delimiter.join(_csv_field(name, delimiter) for name in names) + "\n").encode()
    with contextlib.ExitStack() as stack:
        # Arrow's own file, not Python's: a Python file takes the GIL for every chunk that
        # pyarrow writes, and a writer thread then waits on the thread scoring (5M rows: the
        # writes took 2.6 s instead of 0.9 s).
        sink = (
            where
            if isinstance(where, pa.NativeFile)
            else stack.enter_context(pa.OSFile(str(where), "wb"))
        )
        if kind.compression is not None:
            sink = stack.enter_context(pa.CompressedOutputStream(sink, kind.compression))
        sink.write(header)
        yield sink


def _csv_field(text: str, delimiter: str = ",") -> str:
    """Return `text` as one header field, quoted only when it must be, or when it holds a
    delimiter that `inspect_table` looks for (a quoted one is not counted): a file we write
    must read back with the delimiter it was written with."""
    special = '"\r\n,' + "".join(_OTHER_DELIMITERS) + delimiter
    if any(char in text for char in special) or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


@contextlib.contextmanager
def table_appender(path: Path) -> Iterator[Callable[[pa.Table], None]]:
    """Yield a function that appends Arrow tables, all with the same schema, to `path`.

    The file appears, complete, only when the block exits without error; until then the rows
    go to a temporary file beside it. The tables are written by a background thread, in the
    order given, while the caller reads and scores the next batch: Arrow's writers release the
    GIL, so on two cores writing costs almost no wall time. At most `_WRITES_QUEUED` tables
    wait, so memory stays bounded; a failed write is raised at the next append or at the end.
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    kind = file_kind(path)
    with atomic_path(path) as tmp, contextlib.ExitStack() as stack:
        schema: Any = None
        sink: Any = None
        flushed = 0  # the temporary file's size when it was last flushed to disk

        def write(table: pa.Table) -> None:
            nonlocal schema, sink, flushed
            if schema is None:
                schema = table.schema
                if kind.format == "csv":
                    sink = stack.enter_context(_csv_sink(tmp, table.schema.names, kind))
                else:
                    sink = pq.ParquetWriter(tmp, table.schema)
                    stack.callback(sink.close)
            elif not table.schema.equals(schema):
                raise ValueError(f"batch schema {table.schema} differs from {schema}")
            if kind.format == "csv":
                # Quote only the batches that need it, so plain ids stay plain.
                plain = not _needs_quotes(table, kind.delimiter)
                options = _csv_write_options(plain, kind.delimiter)
                pacsv.write_csv(table, sink, write_options=options)
            else:
                sink.write_table(table)
            flushed = _flush_to_disk(tmp, flushed)

        writer = _BackgroundWriter(write)
        try:
            yield writer.append
        except BaseException:
            writer.close(abandon=True)  # the file is abandoned: stop writing it now
            raise
        writer.close(abandon=False)  # every table written, or the writer's error raised


_WRITES_QUEUED = 2
_FLUSH_BYTES = 8 * 1024 * 1024
_STOP = object()


def _flush_to_disk(path: Path, flushed: int) -> int:
    """Flush the file at `path` to disk when `_FLUSH_BYTES` more were written since its
    last flush at size `flushed`; return its size at its last flush. The writer thread calls
    it: the disk then writes while the rows are scored, and the fsync that makes the file
    durable before `atomic_path` renames it (it waited 0.6 s for 5M rows) finds little left."""
    size = path.stat().st_size
    if size - flushed < _FLUSH_BYTES:
        return flushed
    sync_to_disk(path)
    return size


def sync_to_disk(path: Path) -> None:
    """Wait until what was written to the file at `path` is on disk (through any descriptor of
    a file, fsync flushes all of it)."""
    with open(path, "rb") as written:
        os.fsync(written.fileno())


class _BackgroundWriter:
    """Runs `write` on each appended table, in order, in a thread of its own."""

    def __init__(self, write: Callable[[Any], None]) -> None:
        import queue
        import threading

        self._write = write
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=_WRITES_QUEUED)
        self._error: BaseException | None = None
        self._abandon = False
        self._thread = threading.Thread(target=self._run, name="ml-baseline-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (table := self._queue.get()) is not _STOP:
            if self._error is None and not self._abandon:
                try:
                    self._write(table)
                except BaseException as exc:  # raised in the caller's thread, see append/close
                    self._error = exc

    def append(self, table: Any) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(table)

    def close(self, *, abandon: bool) -> None:
        """Wait until the queued tables are written (or, abandoning, until the write under way
        ends), then raise the writer's error if there was one."""
        self._abandon = abandon
        self._queue.put(_STOP)
        self._thread.join()
        if self._error is not None and not abandon:
            raise self._error


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
    path: Path,
    *,
    n_users: int = 1000,
    seed: int = 42,
    leaky: bool = False,
    force: bool = False,
    elsewhere: str = "--output another path",
) -> str:
    """Write the sample feature table to `path`; return "written", "replaced" or "unchanged".

    An existing file with other contents is only replaced with `force`; the error's advice
    ends with `elsewhere`, what the calling command offers instead.
    """
    kind = check_output_path(path, "features.csv")
    content = table_to_bytes(make_sample_features(n_users, seed, leaky), kind, plain_csv=True)
    existed = path.exists()
    if existed:
        if path.read_bytes() == content:
            return "unchanged"
        if not force:
            raise MLBaselineError(
                f"{path} already exists and differs from the sample data these options make; "
                f"pass --force to replace it, or {elsewhere}"
            )
    write_bytes_atomic(path, content)
    return "replaced" if existed else "written"
