"""The editable table of earlier cervical-length measurements, kept across pages and reruns.

Rows live under our own key as entered (a bad GA stays visible, nothing is lost); the valid rows
are written to the case. Edits are applied in the editor's on_change callback, then the editor
gets a fresh key so its pending edits are never applied twice.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from decision import ga as galib
from decision.querystring import _parse_serial_item, _serial_chunks

from . import state

ROWS = state.SERIAL_ROWS  # cleared when a case is loaded
VERSION = "ci.serial_version"
FRAME = "ci.serial_frame"
LINE_PROBLEMS = "ci.serial_line_problems"
GA_COL, LEN_COL = "GA (W+D)", "Length (mm)"
LINE_HELP = ("Every earlier scan on one line, as in the link: GA:length in mm, separated by ';' — for example "
             "16+0:34; 18+0:27. Replaces the table below.")


def _rows() -> list[dict[str, Any]]:
    if ROWS not in st.session_state:
        st.session_state[ROWS] = [
            {GA_COL: f"{m['gestational_age']['weeks']}+{m['gestational_age'].get('days', 0)}", LEN_COL: m["length_mm"]}
            for m in state.get(("serial_cervical_lengths",), []) or []
        ]
    return st.session_state[ROWS]


def _editor_key() -> str:
    return state.wkey(f"serial_editor.{st.session_state.get(VERSION, 0)}")


def _apply_edits() -> None:
    delta = st.session_state.get(_editor_key(), {})
    rows = [dict(r) for r in _rows()]
    for index, change in delta.get("edited_rows", {}).items():
        rows[int(index)].update(change)
    rows.extend({GA_COL: r.get(GA_COL), LEN_COL: r.get(LEN_COL)} for r in delta.get("added_rows", []))
    for index in sorted((int(i) for i in delta.get("deleted_rows", [])), reverse=True):
        rows.pop(index)
    st.session_state[ROWS] = rows
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1
    st.session_state[LINE_PROBLEMS] = None  # the one-line field shows the table again


def _missing(value: Any) -> bool:
    return value is None or value == "" or value != value  # None, empty or NaN


def _parse_row(number: int, row: dict[str, Any]) -> tuple[int, float] | str | None:
    """A row of the grid: (GA in days, length) when usable, the problem in words when not, None when empty."""
    text, length = row.get(GA_COL), row.get(LEN_COL)
    if _missing(text) and _missing(length):
        return None
    try:
        days = galib.parse_label(str(text))
    except ValueError:
        return f"row {number}, {GA_COL}: must look like 16+3 (weeks+days, days 0-6); got {text!r}"
    if _missing(length):
        return f"row {number}, {LEN_COL}: enter the length, 0 to 80 mm"
    return days, float(length)


def sync_to_case() -> list[str]:
    """Write the valid rows to the case; return a message per row that cannot be used."""
    problems, valid = [], []
    for number, row in enumerate(_rows(), start=1):
        parsed = _parse_row(number, row)
        if isinstance(parsed, str):
            problems.append(parsed)
        elif parsed is not None:
            days, length = parsed
            valid.append({"gestational_age": {"weeks": days // 7, "days": days % 7}, "length_mm": length})
    valid.sort(key=lambda m: (m["gestational_age"]["weeks"], m["gestational_age"]["days"]))
    state.put(("serial_cervical_lengths",), valid or None)
    return problems


def _number(value: float) -> str:
    return f"{float(value):g}"


def line_text(rows: list[dict[str, Any]]) -> str:
    """The rows as one line, in the link's own format (``16+0:34; 18+0:27``); rows that are not usable are left
    out (they stay in the table, with their problem)."""
    usable = [parsed for number, row in enumerate(rows, start=1)
              if isinstance(parsed := _parse_row(number, row), tuple)]
    return "; ".join(f"{galib.label(days)}:{_number(length)}" for days, length in sorted(usable))


def parse_line(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """``16+0:34; 18+0:27`` (``;`` or ``,`` between items, an optional ``mm``) -> table rows, sorted by GA, and a
    message per item that could not be read (then no row is taken)."""
    rows, problems = [], []
    for number, chunk in enumerate(_serial_chunks(str(text)), start=1):
        cleaned = chunk.strip()
        if cleaned.lower().endswith("mm"):
            cleaned = cleaned[:-2].strip()
        try:
            item = _parse_serial_item(cleaned.replace(" ", ""))
        except ValueError as exc:
            problems.append(f"item {number} ({chunk.strip()!r}): {exc}")
            continue
        ga = item["gestational_age"]
        label = f"{ga['weeks']}+{ga.get('days', 0)}"
        try:
            galib.parse_label(label)
        except ValueError as exc:
            problems.append(f"item {number} ({chunk.strip()!r}): {exc}")
            continue
        rows.append({GA_COL: label, LEN_COL: float(item["length_mm"])})
    rows.sort(key=lambda r: galib.parse_label(r[GA_COL]))
    return rows, problems


def _line_key() -> str:
    return state.wkey("serial_line")


def _apply_line() -> None:
    rows, problems = parse_line(st.session_state.get(_line_key(), "") or "")
    if problems:
        st.session_state[LINE_PROBLEMS] = problems
        return
    st.session_state[LINE_PROBLEMS] = None
    st.session_state[ROWS] = rows
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def line_editor() -> list[str]:
    """The one-line field beside the table (the link's format): typing a line replaces the table's rows; the
    table's rows are shown in it otherwise. Returns the problems of a line that could not be read."""
    problems = st.session_state.get(LINE_PROBLEMS)
    if not problems:
        st.session_state[_line_key()] = line_text(_rows())
    st.text_input("Earlier lengths in one line (GA:mm; …)", key=_line_key(), on_change=_apply_line,
                  placeholder="16+0:34; 18+0:27", help=LINE_HELP)
    return [f"Earlier lengths, {p}" for p in problems or []]


def _frame() -> pd.DataFrame:
    """The table's base frame, rebuilt only when the rows change (an edit or a loaded case)."""
    rows = _rows()
    cached = st.session_state.get(FRAME)
    if cached is not None and cached[0] is rows:
        return cached[1]
    frame = pd.DataFrame({
        GA_COL: pd.array([r.get(GA_COL) for r in rows], dtype="string"),
        LEN_COL: pd.to_numeric(pd.Series([r.get(LEN_COL) for r in rows], dtype=object), errors="coerce"),
    })
    st.session_state[FRAME] = (rows, frame)
    return frame


def editor() -> list[str]:
    """Render the table; return the problems with rows that were not used."""
    frame = _frame()
    st.data_editor(
        frame,
        key=_editor_key(),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        on_change=_apply_edits,
        column_config={
            GA_COL: st.column_config.TextColumn(GA_COL, help="Gestational age at the scan, e.g. 16+3", required=True),
            LEN_COL: st.column_config.NumberColumn(LEN_COL, min_value=0, max_value=80, step=0.5, format="%g",
                                                   help="Transvaginal cervical length, 0-80 mm", required=True),
        },
    )
    return sync_to_case()
