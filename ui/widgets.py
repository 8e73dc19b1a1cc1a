"""Widgets bound to a field of the case: initialised from the case, written back after each run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from decision.errors import FieldError
from figures import alt_text

from . import state
from .fields import problem_text


def _key(path: tuple[str, ...]) -> str:
    return state.wkey(".".join(path))


def bound(widget: Callable[..., Any], label: str, path: tuple[str, ...], default: Any = None, **kwargs: Any) -> Any:
    """Render ``widget`` for the case field at ``path`` and store what the user set."""
    key = _key(path)
    if key not in st.session_state:
        st.session_state[key] = state.get(path, default)
    value = widget(label, key=key, **kwargs)
    state.put(path, value, default)
    return value


def checkbox(label: str, path: tuple[str, ...], help: str | None = None) -> bool:
    return bool(bound(st.checkbox, label, path, False, help=help))


def count(label: str, path: tuple[str, ...], help: str | None = None) -> int:
    return int(bound(st.number_input, f"{label} (0-20)", path, 0, min_value=0, max_value=20, step=1, help=help))


def show_errors(problems: list[FieldError], prefixes: tuple[str, ...]) -> None:
    """Show, next to the fields, the engine's messages for paths starting with one of ``prefixes`` (the field in
    clinical words first, its path after it)."""
    for problem in problems:
        if problem.path.startswith(prefixes):
            st.error(problem_text(problem.path, problem.message), icon=":material/error:")


def chart(fig: Any, key: str, container: Any = None) -> None:
    """A Plotly chart with its text alternative as the chart's accessible name (read by screen readers)."""
    target = container if container is not None else st
    target.plotly_chart(fig, width="stretch", key=key, alt=alt_text(fig) or None, config={"displayModeBar": False})
