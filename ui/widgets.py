"""Widgets bound to a field of the case: initialised from the case, written back after each run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from decision.errors import FieldError
from figures import alt_text

from . import state
from .fields import FIXES, problem_text, step_of


def _key(path: tuple[str, ...], prefix: str = "") -> str:
    return state.wkey(prefix + ".".join(path))


def bound(widget: Callable[..., Any], label: str, path: tuple[str, ...], default: Any = None, *, prefix: str = "",
          **kwargs: Any) -> Any:
    """Render ``widget`` for the case field at ``path`` and store what the user set (``prefix``: a second widget
    for the same field on another page, such as the quick case)."""
    key = _key(path, prefix)
    if key not in st.session_state:
        st.session_state[key] = state.get(path, default)
    value = widget(label, key=key, **kwargs)
    state.put(path, value, default)
    return value


def checkbox(label: str, path: tuple[str, ...], help: str | None = None, **kwargs: Any) -> bool:
    return bool(bound(st.checkbox, label, path, False, help=help, **kwargs))


AT_OS = ("cervix", "membranes_at_or_beyond_external_os")
PROLAPSED = ("cervix", "membranes_prolapsed_into_vagina")


def _prolapsed_changed(prefix: str) -> None:
    """Prolapsed membranes are beyond the os: ticking "prolapsed" ticks "at or beyond the external os" too."""
    if st.session_state.get(_key(PROLAPSED, prefix)):
        st.session_state[_key(AT_OS, prefix)] = True
        state.put(AT_OS, True, False)


def _at_os_changed(prefix: str) -> None:
    """Unticking "at or beyond the external os" unticks "prolapsed" (which needs it)."""
    if not st.session_state.get(_key(AT_OS, prefix)):
        st.session_state[_key(PROLAPSED, prefix)] = False
        state.put(PROLAPSED, False, False)


def membrane_checkboxes(prefix: str = "") -> None:
    """"Membranes at or beyond the external os" and "prolapsed into the vagina", kept consistent: prolapsed
    implies at or beyond the os (ticking it ticks both; unticking the os unticks prolapsed)."""
    checkbox("Membranes at or beyond the external os", AT_OS, prefix=prefix, on_change=_at_os_changed, args=(prefix,),
             help="Membranes visible at or through the external os. Needs an open os (dilation above 0).")
    checkbox("Membranes prolapsed into the vagina (beyond the os)", PROLAPSED, prefix=prefix,
             on_change=_prolapsed_changed, args=(prefix,),
             help="Beyond the os, into the vagina: ticking it ticks 'at or beyond the external os' too.")


def count(label: str, path: tuple[str, ...], help: str | None = None, prefix: str = "") -> int:
    return int(bound(st.number_input, f"{label} (0-20)", path, 0, prefix=prefix, min_value=0, max_value=20, step=1,
                     help=help))


def show_errors(problems: list[FieldError], prefixes: tuple[str, ...]) -> None:
    """Show, next to the fields, the engine's messages for paths starting with one of ``prefixes`` (the field and
    the message in clinical words), with a one-click fix where the entry implies it."""
    for number, problem in enumerate(problems):
        if problem.path.startswith(prefixes):
            st.error(problem_text(problem.path, problem.message), icon=":material/error:")
            fix = FIXES.get(problem.path)
            if fix is not None:
                st.button(fix[0], key=f"fixnear.{number}.{problem.path}", on_click=_fix, args=(fix[1],),
                          icon=":material/build:")


def _fix(changes: dict[str, Any]) -> None:
    for path, value in changes.items():
        state.put(tuple(path.split(".")), value)
        st.session_state.pop(state.wkey(path), None)  # the bound widget shows the fixed value


def show_problems(problems: list[FieldError], link: bool = True) -> None:
    """The options page's list of entry problems: each in clinical words, a one-click fix where the entry
    implies it, and a link to the step where the field is entered. Nothing entered is lost."""
    from .layout import STEPS

    st.error("Some entries conflict or are out of range. Fix them to see the options (nothing you entered is lost):",
             icon=":material/error:")
    for number, problem in enumerate(problems):
        st.markdown(f"- {problem_text(problem.path, problem.message)}")
        with st.container(horizontal=True, wrap=True, gap="small"):
            fix = FIXES.get(problem.path)
            if fix is not None:
                st.button(fix[0], key=f"fix.{number}.{problem.path}", on_click=_fix, args=(fix[1],),
                          icon=":material/build:", type="primary")
            if link:
                step = STEPS[step_of(problem.path)]
                st.page_link(step[2], label=f"Fix on {step[1]}", icon=":material/edit:")


def chart(fig: Any, key: str, container: Any = None) -> None:
    """A Plotly chart with its text alternative as the chart's accessible name (read by screen readers)."""
    target = container if container is not None else st
    target.plotly_chart(fig, width="stretch", key=key, alt=alt_text(fig) or None, config={"displayModeBar": False})

