"""Entry point: page config, shared state and navigation only (pages render everything)."""

import streamlit as st

from ui import state

st.set_page_config(
    page_title="Cervical insufficiency · decision support",
    page_icon=":material/pregnant_woman:",
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on tablets in portrait, open on desktops
)
state.init_state()

pages = {
    "Consultation": [
        st.Page("pages/1_gestational_age.py", title="1. Gestational age", icon=":material/calendar_month:",
                url_path="dating", default=True),
        st.Page("pages/2_history.py", title="2. History", icon=":material/history:", url_path="history"),
        st.Page("pages/3_cervix.py", title="3. Cervix", icon=":material/straighten:", url_path="cervix"),
        st.Page("pages/4_membranes.py", title="4. Membranes & red flags", icon=":material/warning:",
                url_path="membranes"),
        st.Page("pages/5_options.py", title="5. Options", icon=":material/fact_check:", url_path="options"),
    ],
    "Teaching": [
        st.Page("pages/7_quiz.py", title="Quiz", icon=":material/school:", url_path="quiz"),
        st.Page("pages/8_progress.py", title="Progress", icon=":material/insights:", url_path="progress"),
    ],
    "Reference": [
        st.Page("pages/6_evidence.py", title="Evidence", icon=":material/menu_book:", url_path="evidence"),
        st.Page("pages/9_batch_audit.py", title="Batch audit", icon=":material/table_view:", url_path="batch"),
        st.Page("pages/10_record_integration.py", title="Record integration", icon=":material/hub:",
                url_path="integration"),
    ],
}
st.navigation(pages).run()
