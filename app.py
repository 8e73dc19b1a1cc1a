"""Entry point: page config, shared state, `st.navigation` only (pages render everything).

Navigation sits at the top (``position="top"``) and nothing is written to the sidebar, so on a portrait
tablet the content keeps the full width. In patient mode (``ui.state.PATIENT_MODE``) the menu is hidden:
only the patient page runs, whatever the address, until "Back to the clinician view".

The pages and their url paths are in ``ui/nav.py``.
"""

import streamlit as st

from ui import nav, state

st.set_page_config(
    page_title="Cervical insufficiency · decision support",
    page_icon=":material/pregnant_woman:",
    layout="wide",
    initial_sidebar_state="collapsed",
)
state.init_state()

patient, pages = nav.pages()  # built once per process (ui/nav.py)
if st.session_state.get(state.PATIENT_MODE):
    page = st.navigation(pages, position="hidden")
    if page.url_path != patient.url_path:  # any address shows the patient page until the clinician returns
        st.switch_page(patient)
    page.run()
else:
    st.navigation(pages, position="top").run()
