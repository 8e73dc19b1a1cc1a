"""The results of the batch rows the vector checks flag, column by column (pure: no Streamlit).

A flagged row gets exactly what the ordinary per-case path gives it (:func:`row_result`: the
flat row to a case, :func:`~decision.case.parse_case`, the engine), but the work is done once per
distinct *cell value*, not once per row, so 200,000 bad rows cost about what 200,000 good ones do:

- the case model checks each field on its own (cross-field rules run only once every field is
  valid), so a row's field errors are the errors of each of its *units* (a column, or the
  weeks/days pair of a gestational age) put together in the model's field order;
- each distinct unit value is converted like :func:`~decision.flat.to_case` converts it and checked
  in a minimal case (a valid gestational age and that unit), all of them in one pydantic call;
- a row whose units have no error (a rule between fields, or a row flagged only to be safe) takes
  the ordinary per-case path, once per distinct combination of unit values.

``tests/test_batch.py`` checks that this equals :func:`row_result` row by row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, TypeAdapter, ValidationError

from .case import Case, _message, _path, parse_case
from .engine import decide
from .errors import CaseValidationError
from .flat import COLUMNS, FlatError, column_for, to_case

__all__ = ["flagged_results", "row_result"]

Result = tuple[dict[str, str] | None, str]  # (statuses, '') or (None, 'column: message; ...')


def row_result(row: dict[str, Any], profile: str) -> Result:
    """The ordinary per-case path for one row: (statuses, '') or (None, 'column: message; ...')."""
    try:
        case = parse_case(to_case(row))
    except FlatError as exc:
        return None, str(exc)
    except CaseValidationError as exc:
        return None, "; ".join(f"{column_for(e.path)}: {e.message}" for e in exc.errors)
    return decide(case, profile), ""


def _unit_path(column: str) -> tuple[str, ...]:
    path = COLUMNS[column][0]
    return path[:-1] if path[-1] in ("weeks", "days") else path


def _model_order(path: tuple[str, ...]) -> tuple[int, ...]:
    """Where a field comes in the case model (pydantic reports errors in this order)."""
    order, model = [], Case
    for key in path:
        names = list(model.model_fields)
        order.append(names.index(key))
        annotation = model.model_fields[key].annotation
        inner = [a for a in (annotation, *getattr(annotation, "__args__", ()))
                 if isinstance(a, type) and issubclass(a, BaseModel)]
        model = inner[0] if inner else model
    return tuple(order)


@functools.cache
def _units() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(unit path, its columns), in the model's field order."""
    units: dict[tuple[str, ...], list[str]] = {}
    for column in COLUMNS:
        units.setdefault(_unit_path(column), []).append(column)
    return tuple(sorted(((path, tuple(columns)) for path, columns in units.items()), key=lambda u: _model_order(u[0])))


@functools.cache
def _cases_adapter() -> TypeAdapter[list[Case]]:
    return TypeAdapter(list[Case])


_CHUNK = 5_000  # minimal cases checked per pydantic call
_CONTEXT = ("gestational_age", "weeks", 20)  # a valid gestational age around every other unit


def _minimal_case(unit: tuple[str, ...], columns: tuple[str, ...], cells: list[Any]) -> dict[str, Any]:
    """The case holding one unit's cells (converted like to_case) and a valid gestational age."""
    case = to_case(dict(zip(columns, cells, strict=True)))
    if unit != ("gestational_age",):
        case[_CONTEXT[0]] = {_CONTEXT[1]: _CONTEXT[2]}
    return case


def _cell(factorized: dict[str, tuple[np.ndarray, Any]], column: str, row: int) -> Any:
    """The value of ``column`` in flagged row ``row`` (None when empty or when the file has no such column)."""
    if column not in factorized:
        return None
    codes, uniques = factorized[column]
    code = int(codes[row])
    return None if code < 0 else uniques[code]


def flagged_results(frame: pd.DataFrame, rows: np.ndarray, profile: str,
                    per_row: Callable[[dict[str, Any], str], Result] = row_result) -> list[Result]:
    """The result of each of ``rows`` (indices into ``frame``), equal to ``per_row`` on each row."""
    n = len(rows)
    if not n:
        return []
    columns_all = list(frame.columns)
    factorized: dict[str, tuple[np.ndarray, Any]] = {}  # column -> (code per flagged row, its distinct values)
    for column in columns_all:
        if column in COLUMNS:
            codes, uniques = pd.factorize(frame[column].take(rows), use_na_sentinel=True)
            factorized[column] = (codes, uniques)
    unit_codes: list[np.ndarray] = []
    unit_errors: list[list[list[str]]] = []  # per unit, per distinct value: its "column: message" lines
    flat_errors: dict[int, str] = {}  # serial: distinct value -> the FlatError message (it replaces all others)
    where: list[tuple[int, int, list[Any]]] = []  # (unit, distinct value, its cells) to check
    serial_unit = -1
    for u, (unit, columns) in enumerate(_units()):
        combined = np.zeros(n, dtype=np.int64)
        for column in columns:
            if column in factorized:
                codes, uniques = factorized[column]
                combined = combined * (len(uniques) + 1) + (codes + 1)
        _values, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
        unit_codes.append(inverse.reshape(-1))
        unit_errors.append([[] for _ in range(len(first))])
        if unit == ("serial_cervical_lengths",):
            serial_unit = u
        for k, row in enumerate(first.tolist()):
            where.append((u, k, [_cell(factorized, c, row) for c in columns]))  # a column not in the file: empty
    units = _units()
    for start in range(0, len(where), _CHUNK):  # in chunks: pydantic's error list is large per error
        minimal: list[dict[str, Any]] = []
        checked: list[tuple[int, int]] = []
        for u, k, raw in where[start:start + _CHUNK]:
            try:
                minimal.append(_minimal_case(*units[u], raw))
            except FlatError as exc:  # only the serial column is parsed before the model
                flat_errors[k] = str(exc)
                continue
            checked.append((u, k))
        try:
            _cases_adapter().validate_python(minimal)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                u, k = checked[err["loc"][0]]
                loc = tuple(err["loc"][1:])
                unit_errors[u][k].append(f"{column_for(_path(loc))}: {_message({**err, 'loc': loc})}")
    del where
    out: list[Result] = []
    memo: dict[tuple[int, ...], Result] = {}
    failing = [u for u, errors in enumerate(unit_errors) if any(errors)]
    for i in range(n):
        if serial_unit >= 0 and flat_errors and int(unit_codes[serial_unit][i]) in flat_errors:
            out.append((None, flat_errors[int(unit_codes[serial_unit][i])]))
            continue
        lines = [line for u in failing for line in unit_errors[u][unit_codes[u][i]]]
        if lines:
            out.append((None, "; ".join(lines)))
            continue
        key = tuple(int(codes[i]) for codes in unit_codes)  # equal unit values: equal result
        if key not in memo:
            memo[key] = per_row(dict(zip(columns_all, frame.iloc[int(rows[i])].tolist(), strict=True)), profile)
        out.append(memo[key])
    return out
