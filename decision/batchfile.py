"""Reading a batch CSV strictly (pure: no Streamlit): every record has the header's number of fields.

pandas alone guesses: a row with one field more than the header makes the first column the index
(``20,18,`` under ``ga_weeks,length_mm`` was read as 18 weeks), and a row with fewer fields is
padded with missing cells. Here the file's structure is checked first, record by record:

- the file's lines are found with NumPy (``\\n``, ``\\r\\n`` or ``\\r``); blank lines are skipped;
- without a double quote in the file, a record is a line and its fields are its commas plus one;
  with one, Python's :mod:`csv` reader walks the records (a quoted cell may hold a comma or span
  lines) and counts their fields;
- a record with more or fewer fields than the header is a row error naming its line
  (``line 3: has 3 fields but the header has 2 ...``); its row is kept, empty, in its place;
- the header and the well-formed records (only) are then parsed by pandas' C reader, with its usual
  type inference, and the unreadable rows are put back in their places.

So row *i* of the frame is always the *i*-th non-blank record under the header, and no cell is
ever moved to another column.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .flat import COLUMNS
from .inputs import os_problem, size_text

__all__ = ["MAX_BATCH_BYTES", "MAX_CELL", "BatchFile", "BatchFileError", "read_batch"]

#: Largest batch file read by the command line (bytes): 100 MB, about 900,000 fully filled rows.
MAX_BATCH_BYTES = 100_000_000
#: Longest cell (characters): a serial list of about 100 measurements fits; a longer cell is a row error.
MAX_CELL = 1_000

_BOM = b"\xef\xbb\xbf"


class BatchFileError(Exception):
    """The file as a whole cannot be read (missing, not CSV, unknown or missing columns)."""


@dataclass(frozen=True)
class BatchFile:
    """A batch CSV read strictly: one row per non-blank record under the header.

    ``parsed``: the well-formed rows only, as pandas' C reader reads them (type inference; empty
    cells, NA and null are missing), in file order; columns named as in the header.
    ``row_errors``: row index -> message, for the records that could not be read.
    ``lines``: the file line on which each row's record starts (1-based, counting the header and
    blank lines). :attr:`frame` is every row, the unreadable ones as missing cells.
    """

    parsed: pd.DataFrame
    row_errors: dict[int, str] = field(default_factory=dict)
    lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def good(self) -> np.ndarray:
        """The row index of each row of :attr:`parsed`."""
        mask = np.ones(len(self), dtype=bool)
        mask[list(self.row_errors)] = False
        return np.flatnonzero(mask)

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """Every row in file order; the unreadable ones hold only missing cells."""
        if not self.row_errors:
            return self.parsed
        frame = self.parsed.set_axis(self.good, axis=0)
        return frame.reindex(pd.RangeIndex(len(self)))


# --- the bytes --------------------------------------------------------------------------------


def _prefix(name: str) -> str:
    return f"{name}: " if name else ""


def _read_at_most(handle: Any, size: int) -> bytes | str:
    """At most ``size`` bytes (or characters) of a handle, read in 1 MiB pieces (no ``size``-long buffer)."""
    pieces = []
    total = 0
    while total < size:
        piece = handle.read(min(2**20, size - total))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
    return pieces[0][:0].join(pieces) if pieces else b""


def _source_bytes(source: Any, limit: int) -> tuple[bytes, str]:
    """(content, name for messages) of a path, bytes, or a text or binary handle, at most ``limit`` bytes."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        content, name = bytes(source), ""  # bytes (an upload): the caller names the file in its message
    elif isinstance(source, (str, Path)):
        name = str(source)
        try:
            if Path(source).is_dir():
                raise IsADirectoryError(name)
            with open(source, "rb") as handle:
                content = _read_at_most(handle, limit + 1)
        except OSError as exc:
            raise BatchFileError(f"{_prefix(name)}{os_problem(exc)}") from None
    else:
        name = str(getattr(source, "name", "(input)"))
        try:
            content = _read_at_most(source, limit + 1)
        except UnicodeDecodeError as exc:
            raise BatchFileError(f"{_prefix(name)}not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8") from None
        except OSError as exc:
            raise BatchFileError(f"{_prefix(name)}{os_problem(exc)}") from None
        if isinstance(content, str):
            try:
                content = content.encode("utf-8")
            except UnicodeEncodeError:
                raise BatchFileError(f"{_prefix(name)}not UTF-8 text") from None
    if len(content) > limit:
        raise BatchFileError(f"{_prefix(name)}larger than {size_text(limit)}, the limit for a batch file "
                             "(split it into smaller files)")
    return content if isinstance(content, bytes) else bytes(content), name


# --- the structure: lines, records, fields ------------------------------------------------------


_WHITESPACE = b" \t\r\n\x0b\x0c"


@dataclass
class _Lines:
    """Every line of the file: where it starts and ends (bytes; end before its line break), blank or not."""

    starts: np.ndarray
    ends: np.ndarray  # exclusive, before the line break
    nexts: np.ndarray  # the start of the following line (after the line break)
    blank: np.ndarray  # nothing but spaces and tabs


def _lines(data: bytes, buf: np.ndarray, commas: np.ndarray) -> _Lines:
    newlines = np.flatnonzero(buf == 0x0A)
    if b"\r" not in data:  # the usual case: "\n" ends every line
        breaks, ends = newlines, newlines
    else:  # "\r\n" or a lone "\r" end a line too
        crs = np.flatnonzero(buf == 0x0D)
        lone = crs[(crs + 1 >= len(buf)) | (buf[np.minimum(crs + 1, len(buf) - 1)] != 0x0A)]
        breaks = np.union1d(newlines, lone)
        before = breaks - 1
        ends = np.where((breaks > 0) & (buf[np.maximum(before, 0)] == 0x0D) & (buf[breaks] == 0x0A), before, breaks)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((ends, [len(buf)]))
    nexts = np.concatenate((breaks + 1, [len(buf)]))
    if len(starts) > 1 and starts[-1] == len(buf):  # the file ends with a line break: no last, empty line
        starts, ends, nexts = starts[:-1], ends[:-1], nexts[:-1]
    blank = ends == starts
    # A line with a comma is never blank; only the others can hold nothing but white space.
    without = np.flatnonzero(~blank & (np.searchsorted(commas, starts) == np.searchsorted(commas, ends)))
    for i in without.tolist():
        blank[i] = not data[starts[i]:ends[i]].strip(_WHITESPACE)
    return _Lines(starts, ends, nexts, blank)


def _plain_records(lines: _Lines, commas: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first line, last line, fields) of every non-blank record, when no cell is quoted: one line each."""
    index = np.flatnonzero(~lines.blank)
    fields = np.searchsorted(commas, lines.ends[index]) - np.searchsorted(commas, lines.starts[index]) + 1
    return index, index, fields


def _quoted_records(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, str], dict[int, tuple[int, int]]]:
    """(first line, last line, fields) of every non-blank record, read by :mod:`csv`; its reading errors
    (record -> reason); its cells longer than :data:`MAX_CELL` (record -> (column index, length))."""
    reader = csv.reader(io.StringIO(text, newline=None), skipinitialspace=True)  # \r, \r\n and \n end a line
    firsts: list[int] = []
    lasts: list[int] = []
    fields: list[int] = []
    problems: dict[int, str] = {}
    oversize: dict[int, tuple[int, int]] = {}
    while True:
        first = reader.line_num
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            too_long = "field larger than field limit" in str(exc)
            problems[len(firsts)] = (f"a cell is longer than {MAX_CELL:,} characters, the limit" if too_long
                                     else f"cannot be read as CSV ({exc})")
            record = None
        if record is not None and (not record or (len(record) == 1 and not record[0].strip(_WHITESPACE.decode()))):
            continue  # a blank line
        if record is not None:
            longest = max(record, key=len)
            if len(longest) > MAX_CELL:
                oversize[len(firsts)] = (record.index(longest), len(longest))
        firsts.append(first)
        lasts.append(reader.line_num - 1)
        fields.append(-1 if record is None else len(record))
    return (np.asarray(firsts, dtype=np.int64), np.asarray(lasts, dtype=np.int64), np.asarray(fields, dtype=np.int64),
            problems, oversize)


def _plain_oversize(data: bytes, lines: _Lines, firsts: np.ndarray, commas: np.ndarray) -> dict[int, tuple[int, int]]:
    """Records (one line each) with a cell longer than :data:`MAX_CELL` -> (column index, length)."""
    out: dict[int, tuple[int, int]] = {}
    long_lines = np.flatnonzero(lines.ends[firsts] - lines.starts[firsts] > MAX_CELL)
    for record in long_lines.tolist():
        line = int(firsts[record])
        start, end = int(lines.starts[line]), int(lines.ends[line])
        inner = commas[np.searchsorted(commas, start):np.searchsorted(commas, end)]
        bounds = np.concatenate(([start - 1], inner, [end]))
        for index in np.flatnonzero(np.diff(bounds) - 1 > MAX_CELL).tolist():
            cell = data[int(bounds[index]) + 1:int(bounds[index + 1])]
            length = len(cell) if cell.isascii() else len(cell.decode("utf-8", errors="replace"))
            if length > MAX_CELL:
                out[record] = (index, length)
                break
    return out


def _header(buf: np.ndarray, lines: _Lines, first: int, last: int) -> list[str]:
    text = buf[lines.starts[first]:lines.ends[last]].tobytes().decode("utf-8", errors="replace")
    try:
        cells = next(csv.reader(io.StringIO(text, newline=None), skipinitialspace=True))
    except (csv.Error, StopIteration):
        cells = []
    return [cell.strip() for cell in cells]


def _check_header(header: list[str], line: int) -> None:
    where = f"header (line {line})"
    unnamed = [str(i + 1) for i, column in enumerate(header) if not column]
    if unnamed:
        raise BatchFileError(f"{where}: column {', '.join(unnamed)} has no name (a trailing comma in the header?)")
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        raise BatchFileError(f"{where}: column(s) named more than once: {', '.join(repeated)}")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise BatchFileError(f"unknown column(s): {', '.join(unknown)} (allowed: {', '.join(COLUMNS)})")
    if "ga_weeks" not in header:
        raise BatchFileError("column ga_weeks is required (gestational age is the only required field)")


def _field_message(line: int, fields: int, width: int) -> str:
    hint = "a trailing comma or an extra separator?" if fields > width else "a missing cell or separator?"
    return (f"line {line}: has {fields} field{'s' if fields != 1 else ''} but the header has {width} ({hint}); "
            "the row was not evaluated")


# --- the reader -------------------------------------------------------------------------------


def read_batch(source: Any, max_bytes: int = MAX_BATCH_BYTES, max_rows: int | None = None) -> BatchFile:
    """Read a batch CSV (a path, bytes, or a text or binary handle) strictly; see the module docstring.

    Raises :class:`BatchFileError` (``name: reason``) when the file as a whole cannot be read:
    missing, a directory, larger than ``max_bytes`` (the limit is stated), not UTF-8, empty, a
    header with an unnamed, repeated or unknown column, no ``ga_weeks`` column, or more than
    ``max_rows`` rows (counted before any cell is parsed).
    """
    data, name = _source_bytes(source, max_bytes)
    name = f"{name}: " if name else ""
    data = data.removeprefix(_BOM)
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BatchFileError(f"{name}not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8") from None
    buf = np.frombuffer(data, dtype=np.uint8)
    commas = np.flatnonzero(buf == 0x2C)
    lines = _lines(data, buf, commas)
    problems: dict[int, str] = {}
    if b'"' in data:
        firsts, lasts, fields, problems, oversize = _quoted_records(data.decode("utf-8"))
    else:
        firsts, lasts, fields = _plain_records(lines, commas)
        oversize = _plain_oversize(data, lines, firsts, commas)
    del commas
    if not len(firsts):
        raise BatchFileError(f"{name}empty file (expected a header row, then one case per row)")
    if 0 in problems or 0 in oversize:
        reason = problems.get(0) or f"a cell is longer than {MAX_CELL:,} characters, the limit"
        raise BatchFileError(f"{name}line {firsts[0] + 1}: the header cannot be read ({reason})")
    header = _header(buf, lines, int(firsts[0]), int(lasts[0]))
    _check_header(header, int(firsts[0]) + 1)
    if max_rows is not None and len(firsts) - 1 > max_rows:
        raise BatchFileError(f"{name}has {len(firsts) - 1:,} rows: the limit is {max_rows:,} rows per file; "
                             "split it into smaller files")
    width = len(header)
    good = fields[1:] == width
    if oversize:
        good[np.fromiter(oversize, dtype=np.int64) - 1] = False
    row_errors: dict[int, str] = {}
    for row in np.flatnonzero(~good).tolist():
        line = int(firsts[row + 1]) + 1
        if row + 1 in problems:
            row_errors[row] = f"line {line}: {problems[row + 1]}; the row was not evaluated"
        elif fields[row + 1] != width:
            row_errors[row] = _field_message(line, int(fields[row + 1]), width)
        else:
            index, length = oversize[row + 1]
            row_errors[row] = (f"line {line}: {header[index]}: {length:,} characters, but a cell may have at most "
                               f"{MAX_CELL:,}; the row was not evaluated")
    kept = np.concatenate(([0], np.flatnonzero(good) + 1))  # the header and the well-formed records
    frame = _parse(data, lines, firsts[kept], lasts[kept], name)
    if len(frame) != len(kept) - 1 or [str(c).strip() for c in frame.columns] != header:
        raise BatchFileError(f"{name}could not be read consistently ({len(frame)} rows parsed, "
                             f"{len(kept) - 1} expected); check the quoting of its cells")
    frame.columns = header
    return BatchFile(frame, row_errors, firsts[1:] + 1)


def _parse(data: bytes, lines: _Lines, firsts: np.ndarray, lasts: np.ndarray, name: str) -> pd.DataFrame:
    """pandas' C reader over the given records only (their lines, line breaks included)."""
    starts, ends = lines.starts[firsts], lines.nexts[lasts]
    cuts = np.flatnonzero(starts[1:] != ends[:-1]) + 1  # where a left-out line interrupts the kept ones
    runs = zip(starts[np.concatenate(([0], cuts))].tolist(), ends[np.concatenate((cuts - 1, [len(ends) - 1]))].tolist(),
               strict=True)
    kept = b"".join(data[start:end] for start, end in runs)
    try:
        return pd.read_csv(io.BytesIO(kept), skipinitialspace=True, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BatchFileError(f"{name}not a readable CSV file ({reason[:200]})") from None
