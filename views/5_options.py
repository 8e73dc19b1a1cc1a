"""Step 5: the plan at a glance (alerts, offered options ranked, checks), the options as compact cards, profile
comparison, visual aids and the take-away. Patient mode is its own page (views/0_patient.py)."""

import streamlit as st

from decision import knowledge
from figures.inputs import EVIDENCE_LABELS, current_point, serial_points
from ui import cards, figcache, state
from ui.downloads import take_away_panel
from ui.layout import STATUS_LABEL, STEPS, page_footer, page_header
from ui.plan import plan_at_a_glance
from ui.widgets import chart, show_problems

page_header("Management options", "options")
kb = knowledge()
case = state.case()
if "gestational_age" not in case:
    st.info("Enter the gestational age first: it is the only required entry.", icon=":material/info:")
    st.page_link(STEPS[0][2], label="Go to 1. Gestational age", icon=":material/arrow_forward:")
    page_footer("options")
    st.stop()
problems = state.errors()
if problems:
    show_problems(problems)
    page_footer("options")
    st.stop()

# One wrapping row of controls: profile, compare, patient mode (a wrapping row, not columns, so nothing is cut
# off on a portrait tablet).
controls = st.container(horizontal=True, wrap=True, gap="medium", vertical_alignment="center", key="opt.controls")
labels = {pid: p.label for pid, p in kb.profiles.items()}
chosen = controls.segmented_control("Guideline profile", list(labels), format_func=labels.get,
                                    default=state.profile(), key="opt.profile", label_visibility="collapsed")
st.session_state[state.PROFILE] = chosen or state.profile()
compare = controls.toggle("Compare profiles", key="opt.compare", help="Show only the options whose status differs.")
if controls.button("Show to the patient", key="opt.patient_mode", icon=":material/groups:", type="primary",
                   help="A full-screen view in plain words for turning the screen to the patient: no clinical "
                        "controls; 'Back to the clinician view' returns here."):
    st.session_state[state.PATIENT_MODE] = True
    st.switch_page("views/0_patient.py")
# The take-away (summaries, handout, link, teaching draft) at the top, one click away, built only while open:
# at the foot of the page it cost eleven elements on every rerun (issue 12) and a scroll to reach it.
take_away = controls.popover("Take away", icon=":material/download:", key="opt.take_away", on_change="rerun",
                             help="The consultation summary (PDF, HTML), the patient handout and the link to this "
                                  "case; none carries an identifier.")
assessment = state.assessment()  # cached on (case, profile); the case is valid here
assert assessment is not None
# The knowledge-base version of every answer on the page, linked to what changed in it (the profile is the control
# on its left, the gestational age is in the case summary).
controls.page_link("views/6_evidence.py", label=f"Knowledge base {assessment.knowledge_base_version}: what changed",
                   icon=":material/history:",
                   help="The changes of this knowledge-base version (clinical spec version 2), on the Evidence page.")

plan_at_a_glance(assessment, case)

if compare:
    other = state.assessment("rcog" if assessment.profile == "acog" else "acog")
    assert other is not None
    rows = [(a, b) for a, b in zip(assessment.options, other.options, strict=True) if a.status != b.status]
    st.subheader("Where the profiles differ")
    if not rows:
        st.success("Both profiles give the same status for every option in this case.", icon=":material/check:")
    for mine, theirs in rows:
        with st.container(border=True, key=f"compare.{mine.id}"):
            st.markdown(f"**{mine.title}**")
            note = mine.evidence_note or theirs.evidence_note  # the evidence note travels with the option
            if note:
                st.info(note, icon=":material/balance:")
            left, right = st.columns(2)
            for col, result in ((left, mine), (right, theirs)):
                label, icon, colour = STATUS_LABEL[result.status]
                col.markdown(f"_{kb.profiles[assessment.profile if result is mine else other.profile].label}_")
                col.badge(label, icon=icon, color=colour)
                col.caption(result.rationale)

st.subheader("All options")
cards.grouped_cards(assessment)

st.subheader("Visual aids")
view = cards.patient_view_of(assessment, case=case)  # the studies that fit an offered option and this pregnancy
allowed = list(view.evidence_keys)
measured = bool(serial_points(case)) or current_point(case) is not None
AIDS = {"length": "Cervical length", "timeline": "Timeline", "outcomes": "Outcomes by GA at birth",
        "evidence": "Evidence"}
if not measured:
    AIDS.pop("length")
first_aid = next(iter(AIDS))
aid = st.segmented_control("Visual aid", list(AIDS), format_func=AIDS.get, default=first_aid, key="opt.aid",
                           label_visibility="collapsed") or first_aid
if aid == "length":
    chart(figcache.cervical_length(tuple(serial_points(case)), current_point(case), assessment.profile),
          "chart.options.length")
elif aid == "timeline":
    chart(figcache.case_timeline(case, assessment.profile), "chart.options.timeline")
elif aid == "outcomes":
    chart(figcache.outcomes(assessment.gestational_age["weeks"], view.outcomes_not_applicable),
          "chart.options.outcomes")
else:
    choices = list(EVIDENCE_LABELS)
    first = allowed[0] if allowed else None  # figures.inputs.default_evidence, already computed
    if first is None:
        st.caption("No study figure fits an option offered in this case; the evidence below is for reference.")
    key = st.selectbox("Evidence for the option under discussion", choices,
                       index=choices.index(first) if first in choices else 0, format_func=EVIDENCE_LABELS.get,
                       key="opt.evidence_choice")
    chart(figcache.evidence(key), "chart.options.evidence")
if take_away.open:
    with take_away:
        take_away_panel(case, assessment.profile)
page_footer("options")
