"""The plan at a glance: alerts, the offered options ranked, then the checks (top of the options page and the
quick case).

The ranking is :func:`decision.plan.rank_plan` (shared with the clinician summary); :func:`plan_rows` only says
it in one line per option (pure, no Streamlit: tested without an app), and :func:`plan_at_a_glance` renders it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from decision.engine import Assessment
from decision.plan import PlanItem, rank_plan

from .layout import STATUS_LABEL
from .memo import by_identity

# The words of each group, shown once before its first option.
GROUP_HEADING = {
    "time-critical": ":material/timer: Time-critical",
    "guideline": ":material/verified: Guideline-supported",
    "seed-only discouraged": ":material/history_edu: Practice leaflet only; guidelines discourage it",
}


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One offered option of the plan, as one line."""

    item: PlanItem
    heading: str | None  # the group's words before its first row (None: same group as the row above)
    lead: str  # "Either" (an option with an alternative below it), "or" (the alternative), ""
    markdown: str  # status (icon and word), title, deadline, one-line reason


def _line(item: PlanItem, lead: str) -> str:
    label, icon, colour = STATUS_LABEL[item.status]
    parts = [f"**{lead}**" if lead else "", f":{colour}-badge[{icon} {label}]", f"**{item.title}**"]
    if item.deadline_label:
        parts.append(f":red[**{item.deadline_label}**]" if item.time_critical else f"**{item.deadline_label}**")
    text = " ".join(p for p in parts if p)
    return f"{text} — {item.one_line_reason}"


def plan_rows(assessment: Assessment, case: Mapping[str, Any] | None = None) -> list[PlanRow]:
    """The ranked plan (:func:`decision.plan.rank_plan`) as rows: a heading where the group changes, "Either" /
    "or" for an option and its alternative, and one Markdown line each."""
    items = rank_plan(assessment, case)
    has_alternative = {item.alternative_to for item in items if item.group == "alternative"}
    rows: list[PlanRow] = []
    group = None
    for item in items:
        heading = None
        if item.group != "alternative" and item.group != group:
            heading = GROUP_HEADING[item.group]
            group = item.group
        lead = "or" if item.group == "alternative" else ("Either" if item.id in has_alternative else "")
        rows.append(PlanRow(item, heading, lead, _line(item, lead)))
    return rows


PLAN_HEADING = "##### :material/format_list_numbered: Plan at a glance"
NOTHING_OFFERED = "No option is offered for this case; see the checks and the alerts."


def plan_markdown(rows: list[PlanRow]) -> str:
    """The heading, then the rows, one paragraph each; each group's words (small, bold, once) open its first row."""
    parts = [PLAN_HEADING]
    if not rows:
        parts.append(NOTHING_OFFERED)
    for row in rows:
        # The group's words in small type on the line above its first row (same paragraph): the options lead.
        parts.append(f":small[**{row.heading}**]  \n{row.markdown}" if row.heading else row.markdown)
    return "\n\n".join(parts)


@by_identity
def _plan_text(assessment: Assessment, *, case: Mapping[str, Any]) -> str:
    return plan_markdown(plan_rows(assessment, case))


def plan_at_a_glance(assessment: Assessment, case: Mapping[str, Any], *, checklist: bool = True,
                     key: str = "plan") -> None:
    """Alerts, then the offered options ranked (one line each), then the checks that go with them."""
    import streamlit as st

    from . import cards

    with st.container(key=key):
        cards.alerts(assessment.alerts, compact=True)
        ranked, checks = (st.columns([3, 2], gap="medium") if checklist else (st.container(), None))
        with ranked, st.container(border=True, key=f"{key}.options"):
            # One element for the heading and every row: a rerun costs Streamlit about the same for each element
            # whatever its size, and this list is redrawn on every rerun of the options page (issue 12).
            st.markdown(_plan_text(assessment, case=case))
        if checks is not None:
            with checks:
                cards.assessment_checklist(assessment)
