"""Step 4: membranes (with GA at rupture), red flags and a cerclage in place."""

import streamlit as st

from ui import state
from ui.layout import page_footer, page_header
from ui.widgets import bound, checkbox, show_errors

page_header("Membranes and red flags", "membranes")
left, right = st.columns(2)
with left:
    st.subheader("Membranes")
    status = bound(st.radio, "Membranes", ("membranes", "status"), "intact", options=["intact", "ruptured"],
                   format_func=str.capitalize, horizontal=True)
    if status == "ruptured":
        st.markdown("**GA at rupture** (leave weeks empty if unknown)")
        rupture = state.get(("membranes", "rupture_gestational_age"), {}) or {}
        rw = st.number_input("Rupture: weeks (4-42)", min_value=4, max_value=42, step=1, value=rupture.get("weeks"),
                             key=state.wkey("rupture.weeks"), placeholder="unknown")
        rd = st.number_input("Rupture: days (0-6)", min_value=0, max_value=6, step=1, value=rupture.get("days", 0),
                             key=state.wkey("rupture.days"))
        state.put(("membranes", "rupture_gestational_age"), {"weeks": int(rw), "days": int(rd or 0)} if rw else None)
    elif state.get(("membranes", "rupture_gestational_age")) is not None:
        kept = state.get(("membranes", "rupture_gestational_age"))
        st.warning(f"A GA at rupture ({kept['weeks']}+{kept.get('days', 0)}) is still entered while the membranes are "
                   "marked intact. Mark them ruptured, or clear it.", icon=":material/info:")
        if st.button("Clear the GA at rupture", key="ci.clear_rupture"):
            state.put(("membranes", "rupture_gestational_age"), None)
            st.rerun()
    st.subheader("Cerclage")
    checkbox("Cerclage in place", ("cerclage_in_place",))
with right:
    st.subheader("Red flags")
    checkbox("Regular contractions or labor", ("red_flags", "regular_contractions_or_labor"))
    checkbox("Active vaginal bleeding", ("red_flags", "vaginal_bleeding"))
    checkbox("Signs of intra-amniotic infection (chorioamnionitis)", ("red_flags", "signs_of_intraamniotic_infection"),
             help="Maternal fever, uterine tenderness, fetal tachycardia, purulent discharge.")
    checkbox("Fetal demise", ("red_flags", "fetal_demise"))
    checkbox("Lethal fetal anomaly", ("red_flags", "lethal_fetal_anomaly"))
show_errors(state.errors(), ("membranes", "red_flags", "cerclage_in_place"))
page_footer("membranes")
