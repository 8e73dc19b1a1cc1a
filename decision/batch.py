"""Batch evaluation of a flat CSV (one case per row) into one status column per option.

Speed: rows that the rules cannot tell apart are evaluated once. Every number the rules or the
validation compare against comes from the profile data (windows, thresholds) or the case model's
ranges; two rows whose values fall on the same side of every such number, and agree on every flag,
get the same statuses. Each group's first row is evaluated by the ordinary engine; rows of a group
that fails validation are validated one by one, so every bad row gets its own messages.
A property test checks that this equals evaluating every row on its own.
"""

from __future__ import annotations

import operator
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .batcherrors import flagged_results
from .batcherrors import row_result as _row_errors
from .batchfile import BatchFile, BatchFileError, read_batch
from .case import RANGES, parse_case
from .engine import check_profile
from .errors import CaseValidationError
from .facts import CERCLAGE_TYPE_CODES, core, derive, from_values
from .flat import CHOICES, COLUMNS, FALSE, TRUE, FlatError, parse_serial, to_case
from .inputs import os_problem
from .kb import ASSESSMENT_IDS, OPTION_IDS, PROFILES, STATUSES, Profile, knowledge
from .rules import apply

ITEM_IDS = (*OPTION_IDS, *ASSESSMENT_IDS)  # one status column each (options, then assessments)
_statuses: Callable[[dict[str, str]], tuple[str, ...]] = operator.itemgetter(*ITEM_IDS)  # in ITEM_IDS order
OUTPUT_COLUMNS = ["row", *ITEM_IDS, "errors"]

__all__ = ["OUTPUT_COLUMNS", "BatchFile", "BatchFileError", "BatchOutputError", "BatchResult", "evaluate_rows",
           "read_batch", "run"]


class BatchOutputError(BatchFileError):
    """The results cannot be written (missing folder, a directory, full disk, closed output)."""


def _as_text(column: pd.Series) -> pd.Series:
    """A column as stripped lower-case text; missing cells as ''."""
    return column.where(column.notna(), "").astype(str).str.strip().str.lower()


def _number_column(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values with NaN for missing or unreadable, unreadable mask)."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=float), np.zeros(len(column), dtype=bool)
    text = _as_text(column)
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    return numbers, np.isnan(numbers) & (text != "").to_numpy()


def _bool_column(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(truth, unreadable mask); missing cells are false."""
    if pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=bool), np.zeros(len(column), dtype=bool)
    if pd.api.types.is_numeric_dtype(column):
        numbers = column.to_numpy(dtype=float)
        return numbers == 1, ~(np.isnan(numbers) | (numbers == 0) | (numbers == 1))
    text = _as_text(column)
    truth = text.isin(TRUE).to_numpy()
    return truth, ~(truth | text.isin(FALSE).to_numpy() | (text == "").to_numpy())


def _parsed(frame: pd.DataFrame, profile: Profile) -> tuple[dict[str, Any], np.ndarray]:
    """Flat values as arrays (for :func:`facts.core`) and a mask of rows that need a full check.

    A row is flagged when any cell is unreadable, out of range, or in conflict with another cell:
    flagged rows go through the ordinary per-case path, which gives the exact messages. The mask
    may flag more rows than the case model rejects, never fewer (a property test checks this).
    """
    n = len(frame)
    suspect = np.zeros(n, dtype=bool)
    values: dict[str, Any] = {}
    present: dict[str, np.ndarray] = {}
    for column, (_path, kind) in COLUMNS.items():
        if column not in frame.columns:
            present[column] = np.zeros(n, dtype=bool)
            values[column] = (np.full(n, np.nan) if kind in {"int", "float"} else np.zeros(n, dtype=np.int64)
                              if kind == "tribool" else np.full(n, "", dtype=object) if kind == "text"
                              else np.zeros(n, dtype=bool))
            continue
        cells = frame[column]
        if kind in {"int", "float"}:
            numbers, unreadable = _number_column(cells)
            given = ~np.isnan(numbers) | unreadable
            low, high = RANGES[_RANGE_NAME.get(column, column)]
            bad = unreadable | (given & ~((numbers >= low) & (numbers <= high)))  # inf fails too
            if kind == "int":
                bad |= given & (np.floor(numbers) != numbers)
            suspect |= bad
            present[column] = given
            values[column] = numbers
        elif kind == "bool":
            truth, unreadable = _bool_column(cells)
            suspect |= unreadable
            values[column] = truth
        elif kind == "tribool":  # empty = unknown (code 0), true = 1, false = 2 (facts.RHD_CODES)
            truth, unreadable = _bool_column(cells)
            empty = _as_text(cells).to_numpy() == ""
            suspect |= unreadable
            values[column] = np.where(empty, 0, np.where(truth, 1, 2))
        elif kind == "text":
            text = _as_text(cells)
            suspect |= ~text.isin(["", *CHOICES[column]]).to_numpy()
            values[column] = text.to_numpy()
        else:  # serial measurements: each distinct cell checked once (in this call: no cache outlives it)
            text = cells.where(cells.notna(), "").astype(str).str.strip()
            codes, distinct = pd.factorize(text)
            latest = np.array([_serial_latest(t) for t in distinct], dtype=float)[codes]
            ga_now = _ga_days(values)
            suspect |= ~(latest <= 0) & ~(latest <= ga_now)  # NaN (unreadable) is flagged
            # a measurement dated today may be today's length (or contradict it): the per-case path decides
            suspect |= (latest > 0) & ((latest == ga_now) | ~present["length_mm"])
    ga = _ga_days(values)
    rupture = values["rupture_ga_weeks"] * 7 + np.nan_to_num(values["rupture_ga_days"], nan=0.0)
    ruptured = values.pop("membranes_status", np.full(n, "", dtype=object)) == "ruptured"
    rupture_given = present["rupture_ga_weeks"] | present["rupture_ga_days"]
    suspect |= ~present["ga_weeks"]
    suspect |= rupture_given & (~ruptured | ~present["rupture_ga_weeks"] | (rupture > ga))
    suspect |= values["membranes_at_or_beyond_external_os"] & (values["dilation_cm"] == 0)
    suspect |= values["membranes_prolapsed_into_vagina"] & ~values["membranes_at_or_beyond_external_os"]
    # version-2 inputs: a steroid course given, or a cerclage type without a cerclage, take the per-case path
    suspect |= present["steroids_ga_weeks"] | present["steroids_ga_days"] | present["steroid_courses"]
    cerclage_type = values.pop("cerclage_type")
    suspect |= (cerclage_type != "") & ~values["cerclage_in_place"]
    codes = {name: code for name, code in CERCLAGE_TYPE_CODES.items() if name is not None}
    values["cerclage_type"] = np.array([codes.get(t, 0) for t in cerclage_type], dtype=np.int64) if n else np.zeros(0)
    values["steroids_ga"] = np.full(n, np.nan)
    values["steroid_courses"] = np.zeros(n)
    for column in ("steroids_ga_weeks", "steroids_ga_days"):
        values.pop(column, None)
    for column in ("plurality", "second_trimester_losses_painless_dilation", "spontaneous_preterm_births_before_34w"):
        default = 1.0 if column == "plurality" else 0.0
        values[column] = np.nan_to_num(values[column], nan=default)
    values["ruptured"] = ruptured
    values["ga"] = ga
    values["rupture_ga"] = np.where(rupture_given, rupture, np.nan)
    return values, suspect


def _ga_days(values: dict[str, Any]) -> np.ndarray:
    return values["ga_weeks"] * 7 + np.nan_to_num(values["ga_days"], nan=0.0)


def _serial_latest(text: str) -> float:
    """The latest GA (days) in a serial cell; NaN if any item would fail validation; 0 if empty."""
    if not text:
        return 0.0
    low, high = RANGES["weeks"]
    mm_low, mm_high = RANGES["length_mm"]
    try:
        items = parse_serial(text)
        latest = 0.0
        for item in items:
            weeks = item["gestational_age"]["weeks"]
            length = float(item["length_mm"])
            if not (low <= weeks <= high and mm_low <= length <= mm_high):
                return np.nan
            latest = max(latest, weeks * 7 + item["gestational_age"]["days"])
    except (FlatError, ValueError):
        return np.nan
    return latest


_RANGE_NAME = {"ga_weeks": "weeks", "ga_days": "days", "rupture_ga_weeks": "weeks", "rupture_ga_days": "days",
               "steroids_ga_weeks": "weeks", "steroids_ga_days": "days",
               "steroid_courses": "antenatal_corticosteroid_courses"}
_KEY_FLAGS = ("regular_contractions_or_labor", "signs_of_intraamniotic_infection", "vaginal_bleeding", "fetal_demise",
              "lethal_fetal_anomaly", "cerclage_in_place", "membranes_at_or_beyond_external_os",
              "membranes_prolapsed_into_vagina", "funneling", "cerclage_type", "rhd_negative")


def group_keys(values: dict[str, Any], suspect: np.ndarray, profile: Profile) -> np.ndarray:
    """Valid rows with equal facts (:func:`facts.core`), equal red flags, and gestational age and
    cervical length on the same side of every threshold of the profile share a group; each
    flagged row is a group of its own.
    """
    facts = core(values, profile)
    ga_points = np.array(profile.ga_thresholds(), dtype=float)
    mm_points = np.array(profile.number_thresholds("_mm"), dtype=float)
    columns = [np.asarray(facts[name], dtype=np.int64) for name in sorted(facts)]
    columns += [values[name].astype(np.int64) for name in _KEY_FLAGS]
    columns.append(_bucket(np.nan_to_num(values["ga"], nan=-1.0), ga_points))
    cm_points = np.array(sorted({0.0, *profile.number_thresholds("_cm")}), dtype=float)
    for name, points in (("length_mm", mm_points), ("dilation_cm", cm_points)):
        measured = values[name]
        columns.append(np.where(np.isnan(measured), -1, _bucket(np.nan_to_num(measured, nan=0.0), points)))
    inverse = _combine(columns)
    flagged = np.flatnonzero(suspect)
    inverse[flagged] = inverse.max(initial=0) + 1 + np.arange(len(flagged))
    return inverse


def _combine(columns: list[np.ndarray]) -> np.ndarray:
    """Dense group numbers for rows equal in every column (mixed-radix code, then 1-D unique)."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    capacity = 1
    for column in columns:
        low = int(column.min(initial=0))
        span = int(column.max(initial=0)) - low + 1
        if capacity * span >= 2**62:  # would overflow: fall back to a row-wise unique
            _unique, inverse = np.unique(np.column_stack(columns), axis=0, return_inverse=True)
            return inverse.reshape(-1).astype(np.int64)
        code = code * span + (column - low)
        capacity *= span
    _unique, inverse = np.unique(code, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64)


def _bucket(values: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """A code that fixes the outcome of every <, <=, >, >=, == comparison with ``thresholds``."""
    left = np.searchsorted(thresholds, values, side="left")
    right = np.searchsorted(thresholds, values, side="right")
    return left * (len(thresholds) + 2) + right


def _row_alerts(row: dict[str, Any], profile: str) -> tuple[str, ...]:
    """The alert ids of one valid row, the ordinary way (for flagged rows, whose statuses come by column)."""
    try:
        case = parse_case(to_case(row))
    except (FlatError, CaseValidationError):
        return ()
    prof = knowledge().profiles[profile]
    return tuple(apply(derive(case, prof), prof).alerts)


class BatchResult:
    """Statuses for every row, stored as one status tuple per group plus a group number per row."""

    def __init__(self, group_of_row: np.ndarray, group_status: list[tuple[str, ...]], errors: np.ndarray,
                 group_alerts: list[tuple[str, ...]] | None = None):
        self.group_of_row = group_of_row
        self.group_status = group_status
        self.errors = errors
        self.group_alerts = group_alerts if group_alerts is not None else [() for _ in group_status]

    def alerts(self) -> list[str]:
        """Per row, the alert ids the engine raises (spec 3.2), joined by "; " (empty for a bad row)."""
        joined = ["; ".join(alerts) for alerts in self.group_alerts]
        return [joined[g] for g in self.group_of_row.tolist()]

    def __len__(self) -> int:
        return len(self.group_of_row)

    def with_unreadable(self, rows: int, good: np.ndarray, row_errors: dict[int, str]) -> BatchResult:
        """This result (of the readable rows) placed at ``good`` among ``rows``; the others get their messages."""
        bad = np.fromiter(row_errors, dtype=np.int64, count=len(row_errors))
        group_of_row = np.empty(rows, dtype=np.int64)
        group_of_row[good] = self.group_of_row
        group_of_row[bad] = len(self.group_status)  # one more group: no statuses
        errors = np.empty(rows, dtype=object)
        errors[good] = self.errors
        errors[bad] = np.array(list(row_errors.values()), dtype=object)
        return BatchResult(group_of_row, [*self.group_status, ("",) * len(ITEM_IDS)], errors,
                           [*self.group_alerts, ()])

    @property
    def error_count(self) -> int:
        return int(np.count_nonzero(self.errors != ""))

    def frame(self) -> pd.DataFrame:
        """``row``, one column per option id (categorical), ``errors``."""
        table = np.array(self.group_status, dtype=object).reshape(len(self.group_status), len(ITEM_IDS))
        out = pd.DataFrame({"row": np.arange(1, len(self) + 1)})
        categories = ["", *STATUSES]
        index = {status: i for i, status in enumerate(categories)}
        codes = np.vectorize(index.__getitem__, otypes=[np.int8])(table) if len(table) else table
        for j, option in enumerate(ITEM_IDS):
            out[option] = pd.Categorical.from_codes(codes[self.group_of_row, j], categories=categories)
        out["errors"] = self.errors
        return out

    def write_csv(self, handle: Any) -> None:
        """Write the CSV fast: each group's status cells are joined once, then reused for its rows."""
        import csv
        import io

        cells = [",".join(statuses) for statuses in self.group_status]
        buffer = io.StringIO()
        quoted = csv.writer(buffer, lineterminator="")
        lines = [",".join(OUTPUT_COLUMNS)]
        for i, (group, error) in enumerate(zip(self.group_of_row.tolist(), self.errors.tolist(), strict=True)):
            if error:
                buffer.seek(0)
                buffer.truncate()
                quoted.writerow([error])
                error = buffer.getvalue()
            lines.append(f"{i + 1},{cells[group]},{error}")
        handle.write("\n".join(lines) + "\n")


def evaluate_rows(batch: BatchFile | pd.DataFrame, profile: str = "acog",
                  progress: Callable[[int, int], None] | None = None) -> BatchResult:
    """Evaluate every row of a batch (:func:`read_batch`; a bare frame has no unreadable records).

    Bad rows carry their errors; a record that could not be read carries its ``line N: ...`` message.
    """
    check_profile(profile)
    if isinstance(batch, BatchFile):
        result = evaluate_rows(batch.parsed, profile, progress)
        return result.with_unreadable(len(batch), batch.good, batch.row_errors) if batch.row_errors else result
    frame = batch
    n = len(frame)
    prof = knowledge().profiles[profile]
    values, suspect = _parsed(frame, prof) if n else ({}, np.zeros(0, dtype=bool))
    keys = group_keys(values, suspect, prof) if n else np.zeros(0, dtype=np.int64)
    groups = int(keys.max()) + 1 if n else 0
    first_of_group = np.full(groups, -1, dtype=np.int64)
    first_of_group[keys[::-1]] = np.arange(n - 1, -1, -1)  # the first row of each group
    errors = np.full(n, "", dtype=object)
    names = [k for k, v in values.items() if isinstance(v, np.ndarray) and v.dtype != object]
    # The first row of each group the loop below evaluates (in group order), as plain Python numbers and
    # bools taken out of the arrays at once: the rules then compare Python scalars (several times faster
    # than NumPy scalars; the same results). Flagged rows and unused group numbers take no values.
    used = first_of_group[first_of_group >= 0]
    evaluated = used[~suspect[used]]
    firsts = zip(*(values[k][evaluated].tolist() for k in names), strict=True)
    flagged_rows = np.flatnonzero(suspect)  # groups of one: the per-case path's result, computed by column
    flagged = dict(zip(flagged_rows.tolist(), flagged_results(frame, flagged_rows, profile, _row_errors), strict=True))
    columns = list(frame.columns)
    group_status: list[tuple[str, ...]] = []
    group_alerts: list[tuple[str, ...]] = []
    blank = ("",) * len(ITEM_IDS)
    for g in range(groups):
        first = int(first_of_group[g])
        if first < 0:  # a group number no row uses (its rows were all flagged)
            group_status.append(blank)
            group_alerts.append(())
        elif suspect[first]:
            result, errors[first] = flagged[first]
            group_status.append(blank if result is None else tuple(result[o] for o in ITEM_IDS))
            group_alerts.append(() if result is None else
                                _row_alerts(dict(zip(columns, frame.iloc[first].tolist(), strict=True)), profile))
        else:
            board = apply(from_values(dict(zip(names, next(firsts), strict=True)), prof), prof)
            group_status.append(_statuses(board.status))
            group_alerts.append(tuple(board.alerts))
        if progress is not None and (g % 500 == 0 or g == groups - 1):
            progress(g + 1, groups)
    return BatchResult(keys, group_status, errors, group_alerts)


def _check_output(output: str | Path) -> None:
    """Refuse an output path that cannot be a file before any work is done."""
    path = Path(output)
    if path.is_dir():
        raise BatchOutputError(f"{output}: is a directory: give a file name")
    if not path.parent.is_dir():
        raise BatchOutputError(f"{output}: cannot be written: its folder {path.parent} does not exist")


def run(source: Any, output: Any, profile: str = "acog", show_progress: bool = True) -> BatchResult:
    """Read ``source``, evaluate every row, write the CSV to ``output`` (path or text handle).

    Raises :class:`BatchFileError` when the input cannot be read and :class:`BatchOutputError`
    when the output cannot be written (checked before the work for a path, and while writing).
    """
    if profile not in PROFILES:
        raise BatchFileError(f"--profile: must be one of {', '.join(PROFILES)} (got {profile!r})")
    if isinstance(output, (str, Path)):
        _check_output(output)
    batch = read_batch(source)
    bar = None
    if show_progress and len(batch) >= 1_000:
        from tqdm import tqdm

        bar = tqdm(total=len(batch), desc="cases", unit="case", file=sys.stderr, mininterval=0.5)

    def progress(group: int, groups: int) -> None:
        if bar is not None:
            bar.n = round(len(batch) * group / groups)
            bar.refresh()

    result = evaluate_rows(batch, profile, progress)
    if bar is not None:
        bar.close()
    name = str(output) if isinstance(output, (str, Path)) else str(getattr(output, "name", "(output)"))
    if name == "<stdout>":
        name = "stdout"
    try:
        if isinstance(output, (str, Path)):
            with open(output, "w", encoding="utf-8", newline="") as handle:
                result.write_csv(handle)
        else:
            result.write_csv(output)
            output.flush()
    except OSError as exc:
        raise BatchOutputError(f"{name}: {os_problem(exc, writing=True)}") from None
    return result
