"""Rendering of alerts and option cards (clinician and patient views)."""

from __future__ import annotations

import streamlit as st

from decision import knowledge
from decision.engine import AlertResult, Assessment, AssessmentResult, OptionResult
from decision.patient_view import PatientView, patient_view
from decision.plan import one_line_reason

from .layout import STATUS_LABEL
from .memo import by_identity
from .why import source_names, why_markdown, would_change_markdown

GROUPS = ("recommended", "consider", "not_recommended", "contraindicated")
STATUS_ORDER = {status: rank for rank, status in enumerate((*GROUPS, "not_applicable"))}


def sources_text(source_ids: tuple[str, ...] | list[str]) -> str:
    kb = knowledge()
    return "; ".join(kb.sources[s].short for s in source_ids)


def source_list_markdown(source_ids: tuple[str, ...] | list[str]) -> str:
    """Full references with their last-reviewed dates, one list item each."""
    kb = knowledge()
    return "\n".join(f"- **{s}** — {kb.sources[s].reference} _(last reviewed {kb.sources[s].last_reviewed})_"
                     for s in source_ids)


def source_list(source_ids: tuple[str, ...] | list[str]) -> None:
    """Full references with their last-reviewed dates (one element)."""
    st.markdown(source_list_markdown(source_ids))


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


def _no_html(text: str) -> str:
    """Text for a Markdown element that allows the ``<details>`` disclosure: a ``<`` in a text ("<34 weeks")
    must never open an HTML tag, so it is written as an entity (shown as ``<``)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;")


def explanation_markdown(item: OptionResult | AssessmentResult, profile_id: str) -> str:
    """"Why this status" (the inputs and thresholds that decided it) and, when the engine found any, "What
    would change it". Clinician view only (clinical-spec.md section 10)."""
    text = "**Why this status**\n\n" + why_markdown(item.decided_by, profile_id)
    if item.would_change:
        text += (f"\n\n**What would change it ({len(item.would_change)})**\n\n"
                 + would_change_markdown(item.would_change))
    return text


def details_markdown(option: OptionResult, profile_id: str) -> str:
    """Everything behind an option's disclosure: rationale, evidence note, why this status, what would change
    it, what the practice leaflet (the seed) says, and the sources with their last-reviewed dates."""
    meta = knowledge().options[option.id]
    parts = [option.rationale]
    if option.evidence_note:
        parts.append(f":material/balance: **Evidence note:** {option.evidence_note}")
    parts.append(explanation_markdown(option, profile_id))
    if option.documented_in_seed and meta.seed.quote:
        parts.append(f":material/history_edu: **{SEED_LABEL}:** _“{meta.seed.quote}”_")
    parts.append(f"**Sources ({len(option.sources)})**\n\n" + source_list_markdown(option.sources))
    return "\n\n".join(parts)


def disclosure_markdown(summary: str, body: str) -> str:
    """A native disclosure (``<details>``) inside a Markdown element: it opens in the browser without a rerun,
    and costs the page no element of its own (issue 12). ``body`` is Markdown; render with
    ``unsafe_allow_html=True`` (every text in it passed through :func:`_no_html`)."""
    return f'<details class="ci-why"><summary>{_no_html(summary)}</summary>\n\n{_no_html(body)}\n\n</details>'


def option_card(option: OptionResult, key_prefix: str = "card", profile_id: str = "acog") -> None:
    """One option, compact: title, status (icon and word) and a one-line reason; the rest behind one disclosure,
    all in one element."""
    with st.container(border=True, key=f"{key_prefix}.{option.id}", gap="small"):
        st.markdown(card_markdown(option, profile_id), unsafe_allow_html=True)


@by_identity
def card_markdown(option: OptionResult, profile_id: str) -> str:
    """An offered or not-recommended option's card: title, status, one-line reason (and evidence note), and its
    details behind a native disclosure (HTML-safe: render with ``unsafe_allow_html``)."""
    label, icon, colour = STATUS_LABEL[option.status]
    text = f"##### {option.title}\n:{colour}-badge[{icon} {label}] {one_line_reason(option.rationale)}"
    if option.evidence_note and option.status in ("recommended", "consider"):
        # the evidence note travels with an offered option (spec 3.10), one line here, in full below; small
        # text in the body colour (captions' is fainter)
        text += f"\n\n:small[:material/balance: {one_line_reason(option.evidence_note)}]"
    return _no_html(text) + "\n\n" + disclosure_markdown(DISCLOSURE, details_markdown(option, profile_id))


def folded_option(option: OptionResult, key_prefix: str, profile_id: str) -> None:
    """A contraindicated or not-applicable option on one line (title, status, reason); details in a disclosure."""
    with st.container(key=f"{key_prefix}.{option.id}", gap="xxsmall"):
        st.markdown(folded_markdown(option, profile_id), unsafe_allow_html=True)


@by_identity
def folded_markdown(option: OptionResult, profile_id: str) -> str:
    label, icon, colour = STATUS_LABEL[option.status]
    reason = one_line_reason(option.rationale)
    said = reason.lower().startswith(label.lower())  # "Contraindicated: ruptured membranes."
    line = f":{colour}[{icon}] **{option.title}** — {reason if said else f'{label.lower()}: {reason}'}"
    return _no_html(line) + "\n\n" + disclosure_markdown("Why", details_markdown(option, profile_id))


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
    'not applicable' with its status badge and one-line text, their rationales and what decided them behind one
    native disclosure, and the not-applicable ones folded into a count (their titles behind another): one
    element."""
    with st.container(border=True, key=key):
        st.markdown(checklist_text(assessment), unsafe_allow_html=True)


@by_identity
def checklist_text(assessment: Assessment) -> str:
    """The checklist's one element (HTML-safe: render with ``unsafe_allow_html``)."""
    shown = shown_checks(assessment)
    folded = [a for a in assessment.assessments if a.status == "not_applicable"]
    text = _no_html(checklist_markdown(shown))
    if shown:
        text += "\n\n" + disclosure_markdown("Rationale for these checks",
                                              check_rationales_markdown(shown, assessment.profile))
    if folded:
        names = "; ".join(a.title for a in folded)
        text += "\n\n" + disclosure_markdown(
            f"Not applicable to this case: {len(folded)} other check{'s' if len(folded) != 1 else ''}", names)
    return text


def check_rationales_markdown(items: list[AssessmentResult], profile_id: str) -> str:
    """Each shown check: its rationale and sources, what decided it and what would change it."""
    parts = []
    for item in items:
        part = (f"**{item.title}** — {item.rationale}\n\n_Sources: {source_names(item.sources)}_\n\n"
                + why_markdown(item.decided_by, profile_id))
        if item.would_change:
            part += "\n\n**What would change it**\n\n" + would_change_markdown(item.would_change)
        parts.append(part)
    return "\n\n---\n\n".join(parts)


@by_identity
def patient_view_of(assessment: Assessment, *, case: dict) -> PatientView:
    """:func:`decision.patient_view.patient_view` of the case that produced ``assessment``, once per assessment."""
    return patient_view(assessment, case)


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
