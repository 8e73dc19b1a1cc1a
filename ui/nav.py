"""The app's pages, built once per process (``st.Page`` resolves each file's real path on the disk: thirteen pages
cost about 2 ms on every rerun of every session) and handed to each run as shallow copies, because
``st.navigation`` marks the page it returns as callable for that run (``_can_be_called``) and concurrent sessions
must not share that flag.

The page files live in ``views/``, not ``pages/``: beside the entry script a ``pages/`` folder makes Streamlit run
old-style multipage apps (every rerun globbed the folder and built a page per file before ``app.py`` ran, and the
first deep link after a restart ran the page alone, without the menu).
"""

from __future__ import annotations

import copy
import functools

import streamlit as st


@functools.cache
def _prototypes() -> tuple[st.Page, dict[str, list[st.Page]]]:
    patient = st.Page("views/0_patient.py", title="Patient mode", icon=":material/groups:", url_path="patient",
                      visibility="hidden")
    pages = {
        "Consultation": [
            st.Page("views/0_quick_case.py", title="Quick case", icon=":material/bolt:", url_path="quick_case",
                    default=True),
            st.Page("views/1_gestational_age.py", title="1. Gestational age", icon=":material/calendar_month:",
                    url_path="gestational_age"),
            st.Page("views/2_history.py", title="2. History", icon=":material/history:", url_path="history"),
            st.Page("views/3_cervix.py", title="3. Cervix", icon=":material/straighten:", url_path="cervix"),
            st.Page("views/4_membranes.py", title="4. Membranes & red flags", icon=":material/warning:",
                    url_path="membranes"),
            st.Page("views/5_options.py", title="5. Options", icon=":material/fact_check:", url_path="options"),
            patient,
        ],
        "Teaching": [
            st.Page("views/7_quiz.py", title="Quiz", icon=":material/school:", url_path="quiz"),
            st.Page("views/8_progress.py", title="Progress", icon=":material/insights:", url_path="progress"),
        ],
        "Reference": [
            st.Page("views/6_evidence.py", title="Evidence", icon=":material/menu_book:", url_path="evidence"),
            st.Page("views/9_batch_audit.py", title="Batch audit", icon=":material/table_view:",
                    url_path="batch_audit"),
            st.Page("views/10_record_integration.py", title="Record integration", icon=":material/hub:",
                    url_path="record_integration"),
        ],
    }
    return patient, pages


def pages() -> tuple[st.Page, dict[str, list[st.Page]]]:
    """(the patient page, the menu's sections) for this run: copies of the process's pages."""
    patient, sections = _prototypes()
    copies = {id(page): copy.copy(page) for section in sections.values() for page in section}
    return copies[id(patient)], {name: [copies[id(page)] for page in section] for name, section in sections.items()}
