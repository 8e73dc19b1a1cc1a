"""Rendering of alerts and option cards (clinician and patient views)."""

from __future__ import annotations

import streamlit as st

from decision import knowledge
from decision.engine import AlertResult, Assessment, OptionResult
from decision.patient_view import PatientView, patient_view

from .layout import STATUS_LABEL

GROUPS = ("recommended", "consider", "not_recommended", "contraindicated")


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


def option_card(option: OptionResult, key_prefix: str = "card") -> None:
    """One option: title and status (icon + text), rationale, seed, evidence note, sources."""
    meta = knowledge().options[option.id]
    label, icon, colour = STATUS_LABEL[option.status]
    text = f"#### {option.title}\n:{colour}-badge[{icon} {label}]\n\n{option.rationale}"
    if option.documented_in_seed and meta.seed.quote:
        text += f"\n\n:material/history_edu: **The seed (practice text):** _“{meta.seed.quote}”_"
    with st.container(border=True, key=f"{key_prefix}.{option.id}"):
        st.markdown(text)
        if option.evidence_note:
            st.info(option.evidence_note, icon=":material/balance:")
        with st.expander(f"Sources ({len(option.sources)})", icon=":material/menu_book:"):
            source_list(option.sources)


def grouped_cards(assessment: Assessment, key_prefix: str = "card") -> None:
    """Cards grouped by status; not-applicable ones collapsed at the end."""
    for status in GROUPS:
        items = [o for o in assessment.options if o.status == status]
        if not items:
            continue
        label, _icon, _colour = STATUS_LABEL[status]
        st.subheader(f"{label} ({len(items)})")
        for option in items:
            option_card(option, key_prefix)
    rest = [o for o in assessment.options if o.status == "not_applicable"]
    if rest:
        with st.expander(f"Not applicable to this case ({len(rest)})", icon=":material/remove:"):
            st.markdown("\n\n".join(f"**{option.title}** — {option.rationale}" for option in rest))


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
