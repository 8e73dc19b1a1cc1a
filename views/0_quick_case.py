"""Quick case: the first screen for the common emergencies. The few entries that decide them (GA, dilation,
membranes at the os or prolapsed, ruptured, history counts, cervical length, earlier lengths on one line) with
the plan beside them. The step pages stay for a full work-up; both edit the same case."""

import streamlit as st

from decision import ga as galib
from ui import state
from ui.layout import STEPS, example_loader, page_footer, page_header
from ui.plan import plan_at_a_glance
from ui.serial import line_editor, sync_to_case
from ui.widgets import bound, checkbox, count, membrane_checkboxes, show_errors, show_problems

Q = "quick."  # widget keys of their own (the step pages have theirs)


def _ga_inputs() -> None:
    ga = state.get(("gestational_age",), {}) or {}
    weeks_col, days_col = st.columns(2)
    weeks = weeks_col.number_input("GA weeks (4-42)", min_value=4, max_value=42, step=1, value=ga.get("weeks"),
                                   key=state.wkey(Q + "gestational_age.weeks"), placeholder="e.g. 20")
    days = days_col.number_input("GA days (0-6)", min_value=0, max_value=6, step=1, value=ga.get("days", 0),
                                 key=state.wkey(Q + "gestational_age.days"))
    state.put(("gestational_age",), {"weeks": int(weeks), "days": int(days or 0)} if weeks is not None else None)


def _rupture_inputs() -> None:
    ruptured = st.checkbox("Membranes ruptured (PPROM)", value=state.get(("membranes", "status")) == "ruptured",
                           key=state.wkey(Q + "membranes.status"))
    if not ruptured:
        if state.get(("membranes", "status")) == "ruptured":
            state.put(("membranes",), None)
        return
    state.put(("membranes", "status"), "ruptured")
    rupture = state.get(("membranes", "rupture_gestational_age"))
    shown = f"{rupture['weeks']}+{rupture.get('days', 0)}" if rupture else ""
    text = st.text_input("GA at rupture (W+D; empty = unknown)", value=shown, key=state.wkey(Q + "rupture"),
                         placeholder="e.g. 19+0")
    if not text.strip():
        state.put(("membranes", "rupture_gestational_age"), None)
        return
    try:
        days = galib.parse_label(text.strip().replace(" ", "+"))
    except ValueError:
        st.error("GA at rupture: weeks+days such as 19+0 (days 0-6).", icon=":material/error:")
        return
    state.put(("membranes", "rupture_gestational_age"), {"weeks": days // 7, "days": days % 7})


page_header("Quick case")
if not state.case():
    example_loader()
entry, plan = st.columns([2, 3], gap="large")
with entry:
    st.subheader("The case")
    _ga_inputs()
    left, right = st.columns(2)
    with left:
        bound(st.number_input, "Dilation (cm; empty = not examined)", ("cervix", "dilation_cm"), None, prefix=Q,
              min_value=0.0, max_value=10.0, step=0.5, placeholder="not examined", format="%g")
    with right:
        bound(st.number_input, "Cervical length (mm; empty = not measured)", ("cervix", "length_mm"), None,
              prefix=Q, min_value=0.0, max_value=80.0, step=1.0, placeholder="not measured", format="%g")
    membrane_checkboxes(prefix=Q)
    _rupture_inputs()
    left, right = st.columns(2)
    with left:
        count("Second-trimester losses", ("history", "second_trimester_losses_painless_dilation"), prefix=Q,
              help="Losses from painless cervical dilation, not from labor or abruption.")
    with right:
        count("Preterm births before 34+0", ("history", "spontaneous_preterm_births_before_34w"), prefix=Q,
              help="Spontaneous preterm births before 34+0.")
    for problem in line_editor():
        st.error(problem, icon=":material/error:")
    sync_to_case()
    checkbox("Funneling", ("cervix", "funneling"), prefix=Q)
    st.caption("Red flags, a cerclage in place, steroids given and RhD status: on the step pages (Consultation, in "
               "the menu above), for a full work-up.")
    st.page_link(STEPS[3][2], label="4. Membranes & red flags", icon=":material/warning:")
    show_errors(state.errors() if state.get(("gestational_age",)) else [], ("gestational_age", "membranes"))
with plan:
    case = state.case()
    if "gestational_age" not in case:
        st.info("Enter the gestational age: the plan appears here as you type.", icon=":material/info:")
    elif state.errors():
        show_problems(state.errors())
    else:
        assessment = state.assessment()
        with st.container(horizontal=True, wrap=True, gap="small", key="quick.actions"):
            st.page_link("views/5_options.py", label="All options, evidence and downloads",
                         icon=":material/fact_check:")
            if st.button("Show to the patient", key="quick.patient_mode", icon=":material/groups:", type="primary"):
                st.session_state[state.PATIENT_MODE] = True
                st.switch_page("views/0_patient.py")
        plan_at_a_glance(assessment, case, checklist=False, key="quickplan")
        from ui.cards import assessment_checklist

        assessment_checklist(assessment, key="quick.checklist")
page_footer()
