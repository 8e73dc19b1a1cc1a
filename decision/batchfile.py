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

__all__ = ["MAX_BATCH_BYTES", "BatchFile", "BatchFileError", "read_batch"]

#: Largest batch file read by the command line (bytes): 100 MB, about 900,000 fully filled rows.
MAX_BATCH_BYTES = 100_000_000

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


def _source_bytes(source: Any, limit: int) -> tuple[bytes, str]:
    """(content, name for messages) of a path, bytes, or a text or binary handle, at most ``limit`` bytes."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        content, name = bytes(source), "(upload)"
    elif isinstance(source, (str, Path)):
        name = str(source)
        try:
            if Path(source).is_dir():
                raise IsADirectoryError(name)
            with open(source, "rb") as handle:
                content = handle.read(limit + 1)
        except OSError as exc:
            raise BatchFileError(f"{name}: {os_problem(exc)}") from None
    else:
        name = str(getattr(source, "name", "(input)"))
        try:
            content = source.read(limit + 1)
        except UnicodeDecodeError as exc:
            raise BatchFileError(f"{name}: not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8") from None
        except OSError as exc:
            raise BatchFileError(f"{name}: {os_problem(exc)}") from None
        if isinstance(content, str):
            try:
                content = content.encode("utf-8")
            except UnicodeEncodeError:
                raise BatchFileError(f"{name}: not UTF-8 text") from None
    if len(content) > limit:
        raise BatchFileError(f"{name}: larger than {size_text(limit)}, the limit for a batch file "
                             "(split it into smaller files)")
    return bytes(content), name


# --- the structure: lines, records, fields ------------------------------------------------------


_WHITESPACE = b" \t\r\n\x0b\x0c"


@dataclass
class _Lines:
    """Every line of the file: where it starts and ends (bytes; end before its line break), blank or not."""

    starts: np.ndarray
    ends: np.ndarray  # exclusive, before the line break
    nexts: np.ndarray  # the start of the following line (after the line break)
    blank: np.ndarray  # nothing but spaces and tabs


def _lines(buf: np.ndarray) -> _Lines:
    newline, cr = buf == 0x0A, buf == 0x0D
    cr_of_crlf = np.zeros(len(buf), dtype=bool)
    cr_of_crlf[:-1] = cr[:-1] & newline[1:]
    breaks = np.flatnonzero(newline | (cr & ~cr_of_crlf))
    before = breaks - 1
    ends = np.where((breaks > 0) & cr_of_crlf[np.maximum(before, 0)], before, breaks)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((ends, [len(buf)]))
    nexts = np.concatenate((breaks + 1, [len(buf)]))
    if len(starts) > 1 and starts[-1] == len(buf):  # the file ends with a line break: no last, empty line
        starts, ends, nexts = starts[:-1], ends[:-1], nexts[:-1]
    blank = ends == starts
    # A line with a comma is never blank; only the others can hold nothing but white space.
    commas = np.flatnonzero(buf == 0x2C)
    without = np.flatnonzero(~blank & (np.searchsorted(commas, starts) == np.searchsorted(commas, ends)))
    data = buf.tobytes() if len(without) else b""
    for i in without.tolist():
        blank[i] = not data[starts[i]:ends[i]].strip(_WHITESPACE)
    return _Lines(starts, ends, nexts, blank)


def _plain_records(buf: np.ndarray, lines: _Lines) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first line, last line, fields) of every non-blank record, when no cell is quoted: one line each."""
    commas = np.flatnonzero(buf == 0x2C)
    index = np.flatnonzero(~lines.blank)
    fields = np.searchsorted(commas, lines.ends[index]) - np.searchsorted(commas, lines.starts[index]) + 1
    return index, index, fields


def _quoted_records(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, str]]:
    """(first line, last line, fields) of every non-blank record, read by :mod:`csv`; and its reading errors."""
    reader = csv.reader(io.StringIO(text, newline=None), skipinitialspace=True)  # \r, \r\n and \n end a line
    firsts: list[int] = []
    lasts: list[int] = []
    fields: list[int] = []
    problems: dict[int, str] = {}
    while True:
        first = reader.line_num
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems[len(firsts)] = str(exc)
            record = None
        if record is not None and (not record or (len(record) == 1 and not record[0].strip(_WHITESPACE.decode()))):
            continue  # a blank line
        firsts.append(first)
        lasts.append(reader.line_num - 1)
        fields.append(-1 if record is None else len(record))
    return (np.asarray(firsts, dtype=np.int64), np.asarray(lasts, dtype=np.int64), np.asarray(fields, dtype=np.int64),
            problems)


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


def read_batch(source: Any, max_bytes: int = MAX_BATCH_BYTES) -> BatchFile:
    """Read a batch CSV (a path, bytes, or a text or binary handle) strictly; see the module docstring.

    Raises :class:`BatchFileError` (``name: reason``) when the file as a whole cannot be read:
    missing, a directory, larger than ``max_bytes`` (the limit is stated), not UTF-8, empty, a
    header with an unnamed, repeated or unknown column, or no ``ga_weeks`` column.
    """
    data, name = _source_bytes(source, max_bytes)
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BatchFileError(f"{name}: not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8") from None
    buf = np.frombuffer(data, dtype=np.uint8)
    lines = _lines(buf)
    problems: dict[int, str] = {}
    if b'"' in data:
        firsts, lasts, fields, problems = _quoted_records(text)
    else:
        firsts, lasts, fields = _plain_records(buf, lines)
    del text
    if not len(firsts):
        raise BatchFileError(f"{name}: empty file (expected a header row, then one case per row)")
    if 0 in problems:
        raise BatchFileError(f"{name}: line {firsts[0] + 1}: the header cannot be read ({problems[0]})")
    header = _header(buf, lines, int(firsts[0]), int(lasts[0]))
    _check_header(header, int(firsts[0]) + 1)
    width = len(header)
    good = fields[1:] == width
    row_errors: dict[int, str] = {}
    for row in np.flatnonzero(~good).tolist():
        line = int(firsts[row + 1]) + 1
        problem = problems.get(row + 1)
        row_errors[row] = (f"line {line}: cannot be read as CSV ({problem}); the row was not evaluated" if problem
                           else _field_message(line, int(fields[row + 1]), width))
    kept = np.concatenate(([0], np.flatnonzero(good) + 1))  # the header and the well-formed records
    frame = _parse(buf, lines, firsts[kept], lasts[kept], name)
    if len(frame) != len(kept) - 1 or [str(c).strip() for c in frame.columns] != header:
        raise BatchFileError(f"{name}: could not be read consistently ({len(frame)} rows parsed, "
                             f"{len(kept) - 1} expected); check the quoting of its cells")
    frame.columns = header
    return BatchFile(frame, row_errors, firsts[1:] + 1)


def _parse(buf: np.ndarray, lines: _Lines, firsts: np.ndarray, lasts: np.ndarray, name: str) -> pd.DataFrame:
    """pandas' C reader over the given records only (their lines, line breaks included)."""
    if len(firsts) == int(np.count_nonzero(~lines.blank)) and len(firsts) == len(lines.starts):
        kept = buf.tobytes()  # every line is kept: no copy to make
    else:
        delta = np.zeros(len(buf) + 1, dtype=np.int32)
        delta[lines.starts[firsts]] += 1
        delta[lines.nexts[lasts]] -= 1
        kept = buf[np.cumsum(delta[:-1]) > 0].tobytes()
    try:
        return pd.read_csv(io.BytesIO(kept), skipinitialspace=True, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BatchFileError(f"{name}: not a readable CSV file ({reason[:200]})") from None
