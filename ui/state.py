"""The consultation's state in ``st.session_state`` under the app's own keys.

The case lives as a contract dict under ``CASE``; widgets are bound to it (see :mod:`ui.widgets`),
so values survive page switches even though Streamlit drops widget state then.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

import streamlit as st

from decision import CaseValidationError, evaluate, knowledge, validation_errors
from decision.engine import Assessment, decide, parse_case
from decision.errors import FieldError

CASE = "ci.case"
PROFILE = "ci.profile"
PATIENT_VIEW = "ci.patient_view"
PATIENT_MODE = "ci.patient_mode"  # the full-screen patient page, menu hidden (app.py)
DATING = "ci.dating"
WIDGET_PREFIX = "w"
GENERATION = "ci.widget_generation"
SERIAL_ROWS = "ci.serial_rows"


def init_state() -> None:
    """Set the app's keys once per session (an empty case, ACOG profile, clinician view)."""
    st.session_state.setdefault(CASE, {})
    st.session_state.setdefault(PROFILE, "acog")
    st.session_state.setdefault(PATIENT_VIEW, False)
    st.session_state.setdefault(PATIENT_MODE, False)
    st.session_state.setdefault(DATING, {"mode": "direct"})


def case() -> dict[str, Any]:
    """The case being entered (a contract dict). Session-state reads are not free: one lookup."""
    try:
        return st.session_state[CASE]
    except KeyError:
        init_state()
        return st.session_state[CASE]


def get(path: tuple[str, ...], default: Any = None) -> Any:
    node: Any = case()
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


def put(path: tuple[str, ...], value: Any, default: Any = None) -> None:
    """Set a field of the case; a value equal to ``default`` (or None) removes it, and empty sections go."""
    root = case()
    nodes = [root]
    for key in path[:-1]:
        child = nodes[-1].get(key)
        if not isinstance(child, dict):
            child = {}
            nodes[-1][key] = child
        nodes.append(child)
    if value is None or (value == default and type(value) is type(default)):
        nodes[-1].pop(path[-1], None)
    else:
        nodes[-1][path[-1]] = value
    for depth in range(len(path) - 1, 0, -1):
        if not nodes[depth]:
            nodes[depth - 1].pop(path[depth - 1], None)


def wkey(name: str) -> str:
    """The key of a widget bound to the case. Loading a case moves every such widget to a new key,
    so the browser shows the loaded values (a deleted key would keep the browser's old value)."""
    return f"{WIDGET_PREFIX}{st.session_state.get(GENERATION, 0)}.{name}"


def _forget_widgets() -> None:
    old = f"{WIDGET_PREFIX}{st.session_state.get(GENERATION, 0)}."
    for key in [k for k in st.session_state if str(k).startswith(old)]:
        del st.session_state[key]
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.session_state.pop(SERIAL_ROWS, None)
    st.session_state.pop("ci.serial_line_problems", None)  # ui.serial.LINE_PROBLEMS


def load(new_case: dict[str, Any]) -> None:
    """Replace the case (example, teaching case or link) and refresh every bound widget."""
    st.session_state[CASE] = copy.deepcopy(new_case)
    st.session_state[DATING] = {"mode": "direct"}
    _forget_widgets()


def clear() -> None:
    """New case: everything entered is cleared."""
    load({})


def profile() -> str:
    try:
        return st.session_state[PROFILE]
    except KeyError:
        init_state()
        return st.session_state[PROFILE]


def case_key(data: dict[str, Any]) -> str:
    """The case as canonical JSON: equal cases, equal keys (the key of the caches below)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


# A rerun reads the assessment several times (the page, the sidebar headline, the profile comparison)
# and most reruns do not change the case (a toggle, a visual aid, a page switch). The engine is pure and
# its results are immutable (tuples and frozen records), so one process-wide cache on (case, profile)
# serves every session; it holds clinical values only, never an identifier. Profiled under the protocol
# load test, evaluating with explanations (would_change re-evaluates the case's edits) was a third of the
# options page's server CPU per rerun before this cache.
@functools.lru_cache(maxsize=512)
def _assessment(key: str, profile_id: str) -> Assessment:
    return evaluate(json.loads(key), profile_id)


@functools.lru_cache(maxsize=512)
def _option_counts(key: str, profile_id: str) -> tuple[int, int]:
    statuses = decide(parse_case(json.loads(key)), profile_id)
    options = knowledge().options
    return (sum(1 for i, s in statuses.items() if i in options and s == "recommended"),
            sum(1 for i, s in statuses.items() if i in options and s == "consider"))


@functools.lru_cache(maxsize=512)
def _errors(key: str) -> tuple[FieldError, ...]:
    return tuple(validation_errors(json.loads(key)))


def errors() -> list[FieldError]:
    """Validation problems of the case as entered (empty when valid)."""
    return list(_errors(case_key(case())))


def assessment(profile_id: str | None = None) -> Assessment | None:
    """The engine's assessment of the current case (cached on the case and profile), or None while the case
    is invalid."""
    try:
        return _assessment(case_key(case()), profile_id or profile())
    except CaseValidationError:
        return None


def option_counts(profile_id: str | None = None) -> tuple[int, int] | None:
    """(recommended, to consider) among the options of the current case, or None while the case is invalid: the
    statuses only (``decide``), for the case summary of every step page, where the case changes on most reruns
    and the explained assessment (``would_change`` re-evaluates the case's edits, ~4 ms) would be wasted."""
    try:
        return _option_counts(case_key(case()), profile_id or profile())
    except CaseValidationError:
        return None


def has_data(step: str) -> bool:
    """Whether a step of the consultation has any value entered (for the step indicator)."""
    c = case()
    if step == "dating":
        return "gestational_age" in c
    if step == "history":
        return bool(c.get("history")) or c.get("plurality", 1) != 1
    if step == "cervix":
        return bool(c.get("cervix")) or bool(c.get("serial_cervical_lengths"))
    if step == "membranes":
        return (bool(c.get("membranes")) or bool(c.get("red_flags")) or bool(c.get("cerclage_in_place"))
                or bool(c.get("treatments")) or c.get("rhd_negative") is not None)
    if step == "options":
        return "gestational_age" in c and not errors()
    return False
