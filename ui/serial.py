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

from . import state

ROWS = state.SERIAL_ROWS  # cleared when a case is loaded
VERSION = "ci.serial_version"
FRAME = "ci.serial_frame"
GA_COL, LEN_COL = "GA (W+D)", "Length (mm)"


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


def _missing(value: Any) -> bool:
    return value is None or value == "" or value != value  # None, empty or NaN


def sync_to_case() -> list[str]:
    """Write the valid rows to the case; return a message per row that cannot be used."""
    problems, valid = [], []
    for number, row in enumerate(_rows(), start=1):
        text, length = row.get(GA_COL), row.get(LEN_COL)
        if _missing(text) and _missing(length):
            continue
        try:
            days = galib.parse_label(str(text))
        except ValueError:
            problems.append(f"row {number}, {GA_COL}: must look like 16+3 (weeks+days, days 0-6); got {text!r}")
            continue
        if _missing(length):
            problems.append(f"row {number}, {LEN_COL}: enter the length, 0 to 80 mm")
            continue
        valid.append({"gestational_age": {"weeks": days // 7, "days": days % 7}, "length_mm": float(length)})
    valid.sort(key=lambda m: (m["gestational_age"]["weeks"], m["gestational_age"]["days"]))
    state.put(("serial_cervical_lengths",), valid or None)
    return problems


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
            LEN_COL: st.column_config.NumberColumn(LEN_COL, min_value=0, max_value=80, step=0.5, format="%.1f",
                                                   help="Transvaginal cervical length, 0-80 mm", required=True),
        },
    )
    return sync_to_case()
