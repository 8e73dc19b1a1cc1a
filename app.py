"""Entry point: page config, shared state, `st.navigation` only (pages render everything).

Navigation sits at the top (``position="top"``) and nothing is written to the sidebar, so on a portrait
tablet the content keeps the full width. In patient mode (``ui.state.PATIENT_MODE``) the menu is hidden:
only the patient page runs, whatever the address, until "Back to the clinician view".

Each ``url_path`` is the name Streamlit derives from the file name (``1_gestational_age.py`` -> ``gestational_age``):
after a restart, the first visit to a deep link is resolved against the ``pages/`` folder before this script has
run, and a path of another name would show "page not found" (see ``ui.layout.under_navigation``).
"""

import streamlit as st

from ui import state

st.set_page_config(
    page_title="Cervical insufficiency · decision support",
    page_icon=":material/pregnant_woman:",
    layout="wide",
    initial_sidebar_state="collapsed",
)
state.init_state()

patient = st.Page("pages/0_patient.py", title="Patient mode", icon=":material/groups:", url_path="patient",
                  visibility="hidden")
pages = {
    "Consultation": [
        st.Page("pages/0_quick_case.py", title="Quick case", icon=":material/bolt:", url_path="quick_case", default=True),
        st.Page("pages/1_gestational_age.py", title="1. Gestational age", icon=":material/calendar_month:",
                url_path="gestational_age"),
        st.Page("pages/2_history.py", title="2. History", icon=":material/history:", url_path="history"),
        st.Page("pages/3_cervix.py", title="3. Cervix", icon=":material/straighten:", url_path="cervix"),
        st.Page("pages/4_membranes.py", title="4. Membranes & red flags", icon=":material/warning:",
                url_path="membranes"),
        st.Page("pages/5_options.py", title="5. Options", icon=":material/fact_check:", url_path="options"),
        patient,
    ],
    "Teaching": [
        st.Page("pages/7_quiz.py", title="Quiz", icon=":material/school:", url_path="quiz"),
        st.Page("pages/8_progress.py", title="Progress", icon=":material/insights:", url_path="progress"),
    ],
    "Reference": [
        st.Page("pages/6_evidence.py", title="Evidence", icon=":material/menu_book:", url_path="evidence"),
        st.Page("pages/9_batch_audit.py", title="Batch audit", icon=":material/table_view:", url_path="batch_audit"),
        st.Page("pages/10_record_integration.py", title="Record integration", icon=":material/hub:",
                url_path="record_integration"),
    ],
}
if st.session_state.get(state.PATIENT_MODE):
    page = st.navigation(pages, position="hidden")
    if page.url_path != patient.url_path:  # any address shows the patient page until the clinician returns
        st.switch_page(patient)
    page.run()
else:
    st.navigation(pages, position="top").run()
