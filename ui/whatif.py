""""What if": apply one of the engine's would_change edits to a case and compare the assessments.

Used in teaching mode after an answer (issue 10 item 4). The edits come from the engine
(``would_change``, clinical-spec.md section 10), so each gives exactly the status it claims.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from decision import Assessment, evaluate
from decision.explain import apply_set, what_if_rows

from .layout import STATUS_LABEL


def edits(assessment: Assessment) -> list[tuple[str, dict[str, Any]]]:
    """(label, set) for every distinct would_change edit of the options, in option order."""
    seen: set[str] = set()
    out = []
    for option in assessment.options:
        for change in option.would_change:
            key = repr(sorted(change["set"].items()))
            if key in seen:
                continue
            seen.add(key)
            out.append((f"{change['change'].rsplit(':', 1)[0]} (changes {option.title})", change["set"]))
    return out


def what_if(case: dict[str, Any], assessment: Assessment, profile: str, key: str) -> None:
    """A select of single-input edits and, once one is applied, the statuses that change side by side."""
    choices = edits(assessment)
    st.subheader("What if")
    if not choices:
        st.markdown("No single change of an input changes any option in this case.")
        return
    st.caption("Apply one change the engine found to the case and compare the assessment, side by side.")
    labels = [label for label, _ in choices]
    picked = st.selectbox("Change one input", labels, index=None, key=f"{key}.pick",
                          placeholder="Choose a change to try")
    if picked is None:
        return
    edit = choices[labels.index(picked)][1]
    after = evaluate(apply_set(case, edit), profile)
    rows = what_if_rows(assessment, after)
    with st.container(border=True, key=f"{key}.result"):
        st.markdown(f"**{picked}**")
        header = st.columns([3, 1.5, 1.5])
        header[0].markdown("**Option or check**")
        header[1].markdown("**This case**")
        header[2].markdown("**With the change**")
        for _id, title, old, new in rows:
            line = st.columns([3, 1.5, 1.5])
            line[0].markdown(title)
            for col, status in ((line[1], old), (line[2], new)):
                label, icon, colour = STATUS_LABEL[status]
                col.badge(label, icon=icon, color=colour)
        st.caption(f"{len(rows)} status(es) change; everything else stays as it is.")
