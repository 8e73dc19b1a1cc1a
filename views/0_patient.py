"""Patient mode: a full-screen view for turning the screen to the patient.

No menu (app.py hides it), no sidebar, no clinical controls or downloads; large type; one topic at a time.
Everything shown comes from :func:`decision.patient_view.patient_view` (spec section 6), never more: the
plain findings, the offered options' plain cards, only the studies it allows (as sentences that wrap, with
their icon arrays), the checks suggested, and when to come in straight away. "Back to the clinician view"
returns to the options page.
"""

import streamlit as st

from decision import knowledge
from decision.patient_view import patient_view
from figures.icon_array import icon_headline
from figures.inputs import icon_arrays_for, patient_evidence_caption
from ui import figcache, links, state
from ui.widgets import chart

# Large type for reading across a desk. An array is 400 px wide: three side by side on a desktop, stacked on a
# portrait tablet (below ~900 px two no longer fit).
STYLE = """<style>
.st-key-patient-mode p, .st-key-patient-mode li { font-size: 1.3rem; line-height: 1.55; }
.st-key-patient-mode [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
.st-key-patient-mode button[role="tab"] p { font-size: 1.15rem; }
</style>"""


state.init_state()
links.apply_query_params()  # a link to this page opens its case
if not st.session_state.get(state.PATIENT_MODE):  # opened by its address: hide the menu too
    st.session_state[state.PATIENT_MODE] = True
    st.rerun()
case = state.case()
assessment = state.assessment() if case.get("gestational_age") else None
st.html(STYLE)
with st.container(key="patient-mode"):
    with st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="medium", key="patient.top"):
        if assessment is not None:
            st.title(f"Your pregnancy at {assessment.gestational_age['weeks']} weeks", width="stretch")
        else:
            st.title("Your pregnancy", width="stretch")
        if st.button("Back to the clinician view", key="patient.back", icon=":material/arrow_back:", type="primary"):
            st.session_state[state.PATIENT_MODE] = False  # here, not in a callback: this run is still patient mode
            st.switch_page("views/5_options.py")
    if assessment is None:
        st.info("Nothing to show yet: the clinician enters the findings first.", icon=":material/info:")
        st.stop()

    kb = knowledge()
    view = patient_view(assessment, case)
    # Short tab labels (they must fit a portrait tablet on one line); each topic's full title heads its tab.
    topics = {"found": "What we found", "choices": "Your choices"}
    if view.evidence_keys or view.shows_survival_figures:
        topics["studies"] = "Studies"
    topics |= {"next": "What happens next", "come_in": "When to come in"}
    tabs = dict(zip(topics, st.tabs(list(topics.values()), key="patient.topic"), strict=True))

    with tabs["found"]:
        st.subheader("What we found")
        st.markdown("\n".join(f"- {line}" for line in view.findings))
        drawing = figcache.cervix_for(case)
        if drawing is not None:
            cx = case.get("cervix") or {}
            unknown = cx.get("length_mm") is None or cx.get("dilation_cm") is None
            st.caption("A drawing of the neck of the womb (the cervix) as it was found today."
                       + (" Hatched parts were not measured or examined." if unknown else ""))
            chart(drawing, "chart.patient.cervix")

    with tabs["choices"]:
        st.subheader("Your choices")
        if not view.cards:
            st.markdown("Nothing extra is needed today beyond your usual care.")
        for card in view.cards:
            with st.container(border=True, key=f"patient.{card.option_id}"):
                st.markdown(f"### {card.title}\n**{card.heading}.** {card.text}")
                if card.evidence_note:
                    st.caption(card.evidence_note)
        if view.not_for_now:
            st.markdown("**Options you may have read about that are not right for you now:** "
                        + "; ".join(kb.options[option_id].plain_title for option_id in view.not_for_now) + ".")

    if "studies" in tabs:
        with tabs["studies"]:
            st.subheader("What studies found")
            for key in view.evidence_keys:  # only the studies that fit an offered option and this pregnancy
                entry = kb.outcomes["evidence"][key]
                option = kb.options[view.evidence_option(key)]
                st.markdown(f"### {option.plain_title}")
                with st.container(horizontal=True, wrap=True, gap="large", key=f"patient.arrays.{key}"):
                    for i, (percent, phrase) in enumerate(icon_arrays_for(entry)):
                        with st.container(width=400, key=f"patient.array.{key}.{i}"):
                            fig = figcache.icons(percent, phrase, compact=True)
                            st.markdown(f"**{icon_headline(percent, phrase)}**")  # page text: it wraps
                            chart(fig, f"chart.patient.icons.{key}.{i}")
                st.caption(patient_evidence_caption(entry))  # plain words; clinicians keep evidence_caption
            if view.shows_survival_figures:
                st.markdown("### Babies born very early: how many survived")
                st.markdown(f"In large studies of babies born alive at 22 to 26 weeks: each bar is one study. "
                            f"Your pregnancy is at {view.ga_label.split('+')[0]} weeks.")
                chart(figcache.outcomes(assessment.gestational_age["weeks"], view.outcomes_not_applicable,
                                        audience="patient"), "chart.patient.outcomes")

    with tabs["next"]:
        st.subheader("What happens next")
        if view.checks:
            st.markdown("**The checks we suggest:**\n" + "\n".join(f"- {check}" for check in view.checks))
        st.markdown("We go through your choices together, and you can ask anything. You can have a printed sheet "
                    "of this information to take home.")

    with tabs["come_in"]:
        st.subheader("When to come in straight away")
        st.markdown("**Call the hospital or come in straight away if you have:**\n"
                    + "\n".join(f"- {item}" for item in view.come_in_now))
