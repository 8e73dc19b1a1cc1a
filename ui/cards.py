"""Rendering of alerts and option cards (clinician and patient views)."""

from __future__ import annotations

import streamlit as st

from decision import knowledge
from decision.engine import AlertResult, Assessment, AssessmentResult, OptionResult
from decision.patient_view import PatientView, patient_view
from decision.plan import one_line_reason

from .layout import STATUS_LABEL
from .why import source_names, why_markdown, would_change_markdown
from .widgets import disclosure

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


def alerts(items: tuple[AlertResult, ...], compact: bool = False) -> None:
    """Each alert as a banner: its name and message, then its sources (on the same line when ``compact``)."""
    for alert in items:
        sep = " " if compact else "  \n"
        text = (f"**{alert.id.replace('_', ' ').capitalize()}** — {alert.message}{sep}"
                f"_Sources: {sources_text(alert.sources)}_")
        if alert.severity == "critical":
            st.error(text, icon=":material/emergency:")
        else:
            st.warning(text, icon=":material/warning:")


SEED_LABEL = "Practice leaflet says"
DISCLOSURE = "Why / evidence / sources / practice leaflet"


def explanation(item: OptionResult | AssessmentResult, profile_id: str) -> None:
    """"Why this status" (the inputs and thresholds that decided it) and, when the engine found any, "What
    would change it", as captions inside the caller's disclosure. Clinician view only (clinical-spec.md
    section 10)."""
    st.caption("**Why this status**\n\n" + why_markdown(item.decided_by, profile_id))
    if item.would_change:  # Markdown, not a caption: a status badge in a caption's faded text fails contrast (2.8:1)
        st.markdown(f"**What would change it ({len(item.would_change)})**\n\n" + would_change_markdown(item.would_change))


def details(option: OptionResult, profile_id: str) -> None:
    """Everything behind an option's disclosure: rationale, evidence note, why this status, what would change
    it, what the practice leaflet (the seed) says, and the sources with their last-reviewed dates."""
    meta = knowledge().options[option.id]
    st.markdown(option.rationale)
    if option.evidence_note:
        st.info(option.evidence_note, icon=":material/balance:")
    explanation(option, profile_id)
    if option.documented_in_seed and meta.seed.quote:
        st.markdown(f":material/history_edu: **{SEED_LABEL}:** _“{meta.seed.quote}”_")
    st.markdown(f"**Sources ({len(option.sources)})**")
    source_list(option.sources)


def option_card(option: OptionResult, key_prefix: str = "card", profile_id: str = "acog") -> None:
    """One option, compact: title, status (icon and word) and a one-line reason; the rest behind one disclosure."""
    label, icon, colour = STATUS_LABEL[option.status]
    with st.container(border=True, key=f"{key_prefix}.{option.id}", gap="small"):
        text = f"##### {option.title}\n:{colour}-badge[{icon} {label}] {one_line_reason(option.rationale)}"
        if option.evidence_note and option.status in ("recommended", "consider"):
            # the evidence note travels with an offered option (spec 3.10), one line here, in full below; in the
            # same element (one element per rerun fewer), small text in the body colour (captions' is fainter)
            text += f"\n\n:small[:material/balance: {one_line_reason(option.evidence_note)}]"
        st.markdown(text)
        disclosure(DISCLOSURE, f"why.{key_prefix}.{option.id}", lambda: details(option, profile_id),
                   icon=":material/info:", type="compact")


def folded_option(option: OptionResult, key_prefix: str, profile_id: str) -> None:
    """A contraindicated or not-applicable option on one line (title, status, reason); details on expand."""
    label, icon, colour = STATUS_LABEL[option.status]
    with st.container(key=f"{key_prefix}.{option.id}", gap="xxsmall"):
        reason = one_line_reason(option.rationale)
        said = reason.lower().startswith(label.lower())  # "Contraindicated: ruptured membranes."
        st.markdown(f":{colour}[{icon}] **{option.title}** — {reason if said else f'{label.lower()}: {reason}'}")
        disclosure("Why", f"why.{key_prefix}.{option.id}", lambda: details(option, profile_id), type="compact")


def grouped_cards(assessment: Assessment, key_prefix: str = "card") -> None:
    """Offered and not-recommended options as compact cards (by status), then the contraindicated ones and the
    not-applicable ones folded to one line each."""
    # Each card carries its status badge, most offered first: no heading per status (one element fewer each).
    for status in ("recommended", "consider", "not_recommended"):
        for option in (o for o in assessment.options if o.status == status):
            option_card(option, key_prefix, assessment.profile)
    contraindicated = [o for o in assessment.options if o.status == "contraindicated"]
    if contraindicated:
        st.subheader(f"Contraindicated ({len(contraindicated)})")
        for option in contraindicated:
            folded_option(option, key_prefix, assessment.profile)
    rest = [o for o in assessment.options if o.status == "not_applicable"]
    if rest:
        # Rendered only while open (a lazy expander: opening it reruns the page). Collapsed, which is how it
        # starts, it would otherwise still send each option's line and its folded details on every rerun: a
        # dozen options in a typical case, the largest part of the options page's messages (issue 12).
        folded = st.expander(f"Not applicable to this case ({len(rest)})", icon=":material/remove:",
                             key=f"{key_prefix}.na_open", on_change="rerun")
        with folded:
            if not folded.open:
                return
            for option in rest:
                folded_option(option, f"{key_prefix}-na", assessment.profile)


def checklist_markdown(shown: list[AssessmentResult]) -> str:
    """The heading and, one paragraph each, the checks ``shown`` (:func:`shown_checks`): status badge, title and
    its one-line text."""
    kb = knowledge()
    lines = ["##### :material/checklist: Before or alongside these options"]
    if not shown:
        lines.append("No additional check arises for this case.")
    for item in shown:
        label, icon, colour = STATUS_LABEL[item.status]
        lines.append(f":{colour}-badge[{icon} {label}] **{item.title}**  \n:gray[{kb.assessments[item.id].short}]")
    return "\n\n".join(lines)


def shown_checks(assessment: Assessment) -> list[AssessmentResult]:
    return sorted((a for a in assessment.assessments if a.status != "not_applicable"),
                  key=lambda a: STATUS_ORDER[a.status])


def assessment_checklist(assessment: Assessment, key: str = "checklist") -> None:
    """The assessments (clinical-spec.md section 3.12) as a compact checklist: each one that is not
    'not applicable' with its status badge and one-line text in one element; their rationales and what decided
    them behind one disclosure (built only when opened); the not-applicable ones folded into a count."""
    shown = shown_checks(assessment)
    folded = [a for a in assessment.assessments if a.status == "not_applicable"]
    with st.container(border=True, key=key):
        st.markdown(checklist_markdown(shown))
        if shown:
            disclosure("Rationale for these checks", f"why.{key}",
                       lambda: _check_rationales(shown, assessment.profile), icon=":material/notes:", type="compact")
        if folded:
            st.caption(f"Not applicable to this case: {len(folded)} other check{'s' if len(folded) != 1 else ''}.",
                       help="; ".join(a.title for a in folded))


def _check_rationales(items: list[AssessmentResult], profile_id: str) -> None:
    for item in items:
        with st.container(key=f"check.{item.id}", gap="xxsmall"):
            st.markdown(f"**{item.title}** — {item.rationale}\n\n_Sources: {source_names(item.sources)}_")
            st.caption(why_markdown(item.decided_by, profile_id))
            if item.would_change:  # Markdown: a badge in a caption fails contrast
                st.markdown("**What would change it**\n\n" + would_change_markdown(item.would_change))


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
