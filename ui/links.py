"""Shareable links: open a case from the address bar, keep the address bar in step with the case.

The link format (short parameter names, clinical values only) is :mod:`decision.querystring`.
Call :func:`apply_query_params` at the start of every page (before any widget is created),
:func:`show_link_problems` where the page wants the notice, and :func:`sync_query_params` at the
end of every page, after the widgets wrote back to the case.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from decision.querystring import Ignored, case_to_params, has_known, query_string, read_link

from . import state
from .plain import plain

APPLIED = "ci.link_applied"
IGNORED = "ci.link_ignored"
SHOWN_VALUE = 40  # characters of a parameter value shown in the notice

def _escape(text: str) -> str:
    """Plain text safe inside Streamlit markdown (no formatting, links, LaTeX or emoji shortcodes)."""
    return plain(text)


def _current_params() -> dict[str, list[str]]:
    return {str(key): list(st.query_params.get_all(key)) for key in st.query_params}


def apply_query_params() -> None:
    """On the first run of a session only: open the case (and profile) the address bar describes.

    Does nothing when no link parameter is present. Parameters that could not be used are kept in
    ``st.session_state["ci.link_ignored"]`` as ``(param, value, reason)`` for :func:`show_link_problems`.
    """
    if st.session_state.get(APPLIED):
        return
    st.session_state[APPLIED] = True
    try:
        params = _current_params()
    except Exception:  # the address bar must never break the app
        return
    if not has_known(params):
        return
    case, profile, ignored = read_link(params)
    state.load(case)
    if profile is not None:
        st.session_state[state.PROFILE] = profile
    st.session_state[IGNORED] = [tuple(item) for item in ignored]


def link_problems() -> list[Ignored]:
    """The parameters of the opening link that were not used (empty once dismissed)."""
    return [Ignored(*item) for item in st.session_state.get(IGNORED, []) or []]


def _dismiss() -> None:
    st.session_state[IGNORED] = []


def show_link_problems() -> None:
    """A warning listing ``param=value: reason`` for each unused link parameter, with a dismiss button."""
    problems = link_problems()
    if not problems:
        return
    with st.container(key="ci.link_problems"):
        lines = []
        for item in problems:
            value = item.value if len(item.value) <= SHOWN_VALUE else item.value[: SHOWN_VALUE - 1] + "…"
            lines.append(f"- **{_escape(item.param)}={_escape(value)}**: {_escape(item.reason)}")
        st.warning(
            f"The link opened, but {len(problems)} of its parameters could not be used and were left out. "
            "Check these entries:\n\n" + "\n".join(lines),
            icon=":material/link_off:",
        )
        st.button("Dismiss", key="ci.link_dismiss", on_click=_dismiss, icon=":material/close:")


def wanted_params() -> dict[str, str]:
    """The link parameters of the current case and profile."""
    return case_to_params(state.case(), state.profile())


def sync_query_params() -> None:
    """Write the current case and profile to the address bar (all keys replaced), only when they changed."""
    wanted = wanted_params()
    try:
        if _current_params() != {key: [value] for key, value in wanted.items()}:
            st.query_params.from_dict(wanted)
    except Exception:  # e.g. a parameter bound to a widget elsewhere: the link is a convenience only
        return


def share_link_box(**container: Any) -> None:
    """The relative link (query string) of the current case, ready to copy."""
    link = query_string(wanted_params())
    with st.container(key="ci.share_link", **container):
        if link:
            st.markdown("**Link to this case**  \n:gray[Clinical values only (no name, record number or date). "
                        "Append it to the app's address to reopen this case and profile.]")
            st.code(link, language=None, wrap_lines=True)
        else:
            st.markdown("**Link to this case**  \n:gray[Nothing entered yet: the link appears once a value is "
                        "entered.]")
