"""Rendering of alerts and option cards (clinician and patient views)."""

from __future__ import annotations

import streamlit as st

from decision import knowledge
from decision.engine import AlertResult, Assessment, AssessmentResult, OptionResult
from decision.patient_view import PatientView, patient_view

from .layout import STATUS_LABEL
from .why import source_names, why_markdown, would_change_markdown

GROUPS = ("recommended", "consider", "not_recommended", "contraindicated")
STATUS_ORDER = {status: rank for rank, status in enumerate((*GROUPS, "not_applicable"))}


def sources_text(source_ids: tuple[str, ...] | list[str]) -> str:
    kb = knowledge()
    return "; ".join(kb.sources[s].short for s in source_ids)


def source_list(source_ids: tuple[str, ...] | list[str]) -> None:
    """Full references with their last-reviewed dates (one element)."""
    kb = knowledge()
    st.markdown("\n".join(f"- **{s}** — {kb.sources[s].reference} _(last reviewed {kb.sources[s].last_reviewed})_"
                           for s in source_ids))


def alerts(items: tuple[AlertResult, ...]) -> None:
    for alert in items:
        text = f"**{alert.id.replace('_', ' ').capitalize()}** — {alert.message}  \n_Sources: {sources_text(alert.sources)}_"
        if alert.severity == "critical":
            st.error(text, icon=":material/emergency:")
        else:
            st.warning(text, icon=":material/warning:")


def explanation(item: OptionResult | AssessmentResult, profile_id: str, expanded: bool | None = None) -> None:
    """"Why this status" (the inputs and thresholds that decided it) and, when the engine found any, "What
    would change it", as compact expanders: open by default unless the item is not applicable. Clinician
    view only (clinical-spec.md section 10)."""
    if expanded is None:
        expanded = item.status != "not_applicable"
    with st.expander("Why this status", icon=":material/rule:", expanded=expanded, type="compact"):
        st.caption(why_markdown(item.decided_by, profile_id))
    if item.would_change:
        with st.expander(f"What would change it ({len(item.would_change)})", icon=":material/alt_route:",
                         expanded=expanded, type="compact"):
            st.caption(would_change_markdown(item.would_change))


def option_card(option: OptionResult, key_prefix: str = "card", profile_id: str = "acog") -> None:
    """One option: title and status (icon + text), rationale, seed, evidence note, why this status, sources."""
    meta = knowledge().options[option.id]
    label, icon, colour = STATUS_LABEL[option.status]
    text = f"#### {option.title}\n:{colour}-badge[{icon} {label}]\n\n{option.rationale}"
    if option.documented_in_seed and meta.seed.quote:
        text += f"\n\n:material/history_edu: **The seed (practice text):** _“{meta.seed.quote}”_"
    with st.container(border=True, key=f"{key_prefix}.{option.id}"):
        st.markdown(text)
        if option.evidence_note:
            st.info(option.evidence_note, icon=":material/balance:")
        explanation(option, profile_id)
        with st.expander(f"Sources ({len(option.sources)})", icon=":material/menu_book:"):
            source_list(option.sources)


def grouped_cards(assessment: Assessment, key_prefix: str = "card") -> None:
    """Cards grouped by status; not-applicable ones collapsed at the end, rendered once opened (each with its
    own "Why this status", collapsed)."""
    for status in GROUPS:
        items = [o for o in assessment.options if o.status == status]
        if not items:
            continue
        label, _icon, _colour = STATUS_LABEL[status]
        st.subheader(f"{label} ({len(items)})")
        for option in items:
            option_card(option, key_prefix, assessment.profile)
    rest = [o for o in assessment.options if o.status == "not_applicable"]
    if rest:
        # Rendered only while open (a lazy expander: opening it reruns the page). Collapsed, which is how
        # it starts, it would otherwise still send six elements per option, up to 70 of the page's ~160:
        # the largest part of the options page's server time per rerun (issue 12).
        folded = st.expander(f"Not applicable to this case ({len(rest)})", icon=":material/remove:",
                             key=f"{key_prefix}.na_open", on_change="rerun")
        with folded:
            if not folded.open:
                return
            for option in rest:
                with st.container(key=f"{key_prefix}-na.{option.id}"):
                    st.markdown(f"**{option.title}** — {option.rationale}")
                    explanation(option, assessment.profile)


def assessment_checklist(assessment: Assessment, key: str = "checklist") -> None:
    """The assessments (clinical-spec.md section 3.12) as a compact checklist: each one that is not
    'not applicable' with its status badge and one-line text, the rationale and its basis on expand; the
    not-applicable ones folded into a count."""
    kb = knowledge()
    shown = sorted((a for a in assessment.assessments if a.status != "not_applicable"),
                   key=lambda a: STATUS_ORDER[a.status])
    folded = [a for a in assessment.assessments if a.status == "not_applicable"]
    with st.container(border=True, key=key):
        st.markdown("##### :material/checklist: Before or alongside these options")
        if not shown:
            st.caption("No additional check arises for this case.")
        for item in shown:
            label, icon, colour = STATUS_LABEL[item.status]
            short = kb.assessments[item.id].short
            with st.container(key=f"check.{item.id}", gap="small"):
                st.markdown(f":{colour}-badge[{icon} {label}] **{item.title}**  \n:gray[{short}]")
                with st.expander("Rationale", icon=":material/notes:", type="compact"):
                    st.markdown(f"{item.rationale}\n\n_Sources: {source_names(item.sources)}_")
                    st.caption(why_markdown(item.decided_by, assessment.profile))
                    if item.would_change:
                        st.caption("**What would change it**\n\n" + would_change_markdown(item.would_change))
        if folded:
            st.caption(f"Not applicable to this case: {len(folded)} other check{'s' if len(folded) != 1 else ''}.",
                       help="; ".join(a.title for a in folded))


def patient_cards(assessment: Assessment, view: PatientView | None = None) -> None:
    """Plain-language explanations of what is offered (recommended or to consider), as
    :func:`decision.patient_view.patient_view` decides them (delivery text by GA; no steroid advice
    after a demise or with a lethal anomaly; the evidence note that travels with the option)."""
    kb = knowledge()
    view = view or patient_view(assessment)
    if not view.cards:
        st.info("Nothing extra is needed today beyond your usual care.", icon=":material/info:")
    for card in view.cards:
        with st.container(border=True, key=f"patient.{card.option_id}"):
            st.markdown(f"#### {card.title}")
            st.caption(card.heading)
            st.write(card.text)
            if card.evidence_note:
                with st.expander("What the guidelines and studies say", icon=":material/balance:"):
                    st.markdown(card.evidence_note)
    if view.not_for_now:
        with st.expander("Options you may have read about that are not right for you now"):
            for option_id in view.not_for_now:
                st.markdown(f"- **{kb.options[option_id].plain_title}**")
