"""Step 5: the assessment — alerts, option cards by status, profile comparison, visual aids."""

import streamlit as st

from decision import knowledge
from decision.patient_view import patient_view
from figures.inputs import EVIDENCE_LABELS, evidence_caption, ga_days, icon_arrays_for, rupture_days
from ui import cards, fields, figcache, state
from ui.authoring import teaching_case_download
from ui.downloads import summary_downloads
from ui.layout import STATUS_LABEL, STEPS, page_footer, page_header
from ui.links import share_link_box
from ui.widgets import chart

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
    st.error("Some entries conflict or are out of range. Fix them to see the options (nothing you entered is lost):",
             icon=":material/error:")
    for problem in problems:  # the field in clinical words, and the step where it is entered
        step = STEPS[fields.step_of(problem.path)]
        st.markdown(f"- {fields.problem_text(problem.path, problem.message)}")
        st.page_link(step[2], label=f"Fix on {step[1]}", icon=":material/edit:")
    page_footer("options")
    st.stop()

# A wrapping row, not columns: on a portrait tablet with the sidebar open, fixed columns clipped the
# profile buttons and cut the toggle labels to "Co…" and "Pati…".
controls = st.container(horizontal=True, wrap=True, gap="medium", vertical_alignment="bottom")
labels = {pid: p.label for pid, p in kb.profiles.items()}
chosen = controls.segmented_control("Guideline profile", list(labels), format_func=labels.get,
                                    default=state.profile(), key="opt.profile")
st.session_state[state.PROFILE] = chosen or state.profile()
compare = controls.toggle("Compare profiles", key="opt.compare", help="Show only the options whose status differs.")
patient = controls.toggle("Patient view", value=st.session_state[state.PATIENT_VIEW], key="opt.patient_view",
                          help="Plain language for counseling, with the cervix diagram and icon arrays.")
st.session_state[state.PATIENT_VIEW] = patient
assessment = state.assessment()  # cached on (case, profile); the case is valid here
assert assessment is not None
ga_label = assessment.gestational_age["label"]
with st.container(horizontal=True, wrap=True, gap="small", vertical_alignment="center", key="opt.caption"):
    st.caption(f"{kb.profiles[assessment.profile].label} · GA {ga_label} · knowledge base "
               f"{assessment.knowledge_base_version}", width="content")
    st.page_link("pages/6_evidence.py", label="What changed in this version", icon=":material/history:",
                 help="The changes of this knowledge-base version (clinical spec version 2), on the Evidence page.")

if patient and assessment.alerts:
    with st.expander(f"Clinical alerts for the clinician ({len(assessment.alerts)})", icon=":material/warning:"):
        cards.alerts(assessment.alerts)
else:
    cards.alerts(assessment.alerts)

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

evidence_keys = list(EVIDENCE_LABELS)
view = patient_view(assessment, case)  # what the patient may see (spec section 6)
allowed = list(view.evidence_keys)  # only the studies that fit an offered option and this pregnancy
if patient:
    st.subheader(f"What this means for you, at {ga_label} weeks")
    cards.patient_cards(assessment, view)
    diagram = figcache.cervix_for(case)
    chart(diagram, "chart.patient.cervix")
    # None (nothing shown, never another study), one (no selector) or a choice.
    if allowed:
        if len(allowed) == 1:
            key = allowed[0]
            st.markdown(f"**What the studies found:** {EVIDENCE_LABELS[key]}")
        else:
            key = st.selectbox("What the studies found", allowed, format_func=EVIDENCE_LABELS.get,
                               key="opt.patient_evidence")
        entry = kb.outcomes["evidence"][key]
        arrays = st.columns(2)
        for i, (percent, label) in enumerate(icon_arrays_for(entry)):
            fig = figcache.icons(percent, label)
            chart(fig, f"chart.patient.icons.{i}", arrays[i % 2])
        st.caption(evidence_caption(entry, kb.sources[entry["source"]].short))
else:
    # The checks that go with the options (spec 3.12), as a compact checklist beside the option cards.
    options_col, checklist_col = st.columns([3, 2], gap="medium")
    with options_col:
        cards.grouped_cards(assessment)
    with checklist_col:
        cards.assessment_checklist(assessment)

st.subheader("Visual aids")
AIDS = {"timeline": "Timeline", "outcomes": "Outcomes by GA at birth", "evidence": "Evidence"}
if patient:  # no survival figures or evidence the patient view does not allow (spec section 6)
    AIDS = {k: v for k, v in AIDS.items()
            if k == "timeline" or (k == "outcomes" and view.shows_survival_figures) or (k == "evidence" and allowed)}
aid = st.segmented_control("Visual aid", list(AIDS), format_func=AIDS.get, default="timeline", key="opt.aid",
                           label_visibility="collapsed") or "timeline"
if aid == "timeline":
    chart(figcache.timeline(ga_days(case), assessment.profile, rupture_days(case),
                            view.timeline_excluded_windows if patient else ()), "chart.options.timeline")
elif aid == "outcomes":
    chart(figcache.outcomes(assessment.gestational_age["weeks"], view.outcomes_not_applicable),
          "chart.options.outcomes")
else:
    choices = allowed if patient else evidence_keys
    first = allowed[0] if allowed else None  # figures.inputs.default_evidence, already computed
    if first is None:
        st.caption("No study figure fits an option offered in this case; the evidence below is for reference.")
    key = st.selectbox("Evidence for the option under discussion", choices,
                       index=choices.index(first) if first in choices else 0, format_func=EVIDENCE_LABELS.get,
                       key="opt.evidence_choice")
    chart(figcache.evidence(key), "chart.options.evidence")
st.subheader("Take away")
summary_col, share_col = st.columns(2)
with summary_col:
    st.markdown("**Consultation summary** (no identifiers; includes the profile and knowledge-base version)")
    summary_downloads(case, assessment.profile)
with share_col:
    share_link_box()
    if st.toggle("For faculty: save as teaching case", key="opt.authoring",
                 help="Download this case as a draft teaching-case file with the engine's answers filled in."):
        teaching_case_download(case)
page_footer("options")
