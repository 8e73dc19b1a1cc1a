"""Step 4: membranes (with GA at rupture), red flags, a cerclage in place (and its type), steroids given, RhD."""

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import state
from ui.layout import page_footer, page_header
from ui.widgets import bound, checkbox, show_errors

CERCLAGE_TYPES = {"transvaginal": "Transvaginal", "transabdominal": "Transabdominal", "unknown": "Unknown"}
RHD = {"unknown": None, "negative": True, "positive": False}
RHD_LABELS = {"unknown": "Unknown", "negative": "RhD-negative", "positive": "RhD-positive"}


def seeded(name: str, initial: object) -> str:
    """The key of a widget seeded from the case. Its ``value`` stays None, so it can be cleared: a number
    input created with ``value=23`` reads a cleared box as 23 again (after a page switch, say)."""
    key = state.wkey(name)
    if key not in st.session_state:
        st.session_state[key] = initial
    return key


def implied(widget: Callable[..., Any], label: str, path: tuple[str, ...], implied_value: Any, **kwargs: Any) -> Any:
    """A choice whose absence means ``implied_value`` (cerclage type transvaginal, one steroid course): shown
    selected, but written to the case only once chosen, so a loaded case or link is not rewritten by a visit."""
    current = state.get(path)
    shown = current if current in kwargs["options"] else implied_value
    value = widget(label, key=seeded(".".join(path), shown), **kwargs)
    if not (current is None and value == implied_value):
        state.put(path, value)
    return value


page_header("Membranes and red flags", "membranes")
left, right = st.columns(2)
with left:
    st.subheader("Membranes")
    status = bound(st.radio, "Membranes", ("membranes", "status"), "intact", options=["intact", "ruptured"],
                   format_func=str.capitalize, horizontal=True)
    if status == "ruptured":
        st.markdown("**GA at rupture** (leave weeks empty if unknown)")
        rupture = state.get(("membranes", "rupture_gestational_age"), {}) or {}
        rw = st.number_input("Rupture: weeks (4-42)", min_value=4, max_value=42, step=1, value=None,
                             key=seeded("rupture.weeks", rupture.get("weeks")), placeholder="unknown")
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
    if checkbox("Cerclage in place", ("cerclage_in_place",)):
        implied(st.radio, "Cerclage type", ("cerclage_type",), "transvaginal", options=list(CERCLAGE_TYPES),
              format_func=CERCLAGE_TYPES.get, horizontal=True,
              help="A transabdominal cerclage stays in place (birth by caesarean); 'Unknown' is treated as "
                   "transvaginal until it is confirmed.")
    elif state.get(("cerclage_type",)) is not None:
        state.put(("cerclage_type",), None)  # a type only goes with a cerclage in place
    st.subheader("Antenatal corticosteroids")
    st.caption("The most recent course already given, if any: GA of its first dose (22+0 up to today). "
               "Leave weeks empty if none was given.")
    given = state.get(("treatments", "antenatal_corticosteroids_ga"), {}) or {}
    weeks_col, days_col = st.columns(2)
    sw = weeks_col.number_input("Course GA: weeks (22-42)", min_value=4, max_value=42, step=1, value=None,
                                key=seeded("steroids.weeks", given.get("weeks")), placeholder="none given")
    sd = days_col.number_input("Course GA: days (0-6)", min_value=0, max_value=6, step=1,
                               value=given.get("days", 0), key=state.wkey("steroids.days"))
    state.put(("treatments", "antenatal_corticosteroids_ga"), {"weeks": int(sw), "days": int(sd or 0)} if sw else None)
    if sw:
        implied(st.radio, "Courses given, this one included", ("treatments", "antenatal_corticosteroid_courses"), 1,
              options=[1, 2], format_func=lambda n: "1 course" if n == 1 else "2 courses (a repeat course given)",
              horizontal=True)
    elif state.get(("treatments", "antenatal_corticosteroid_courses")) is not None:
        state.put(("treatments", "antenatal_corticosteroid_courses"), None)  # the number goes with the GA
with right:
    st.subheader("Red flags")
    checkbox("Regular contractions or labor", ("red_flags", "regular_contractions_or_labor"))
    checkbox("Active bleeding, more than spotting or a bloody show", ("red_flags", "vaginal_bleeding"))
    checkbox("Signs of intra-amniotic infection (chorioamnionitis)", ("red_flags", "signs_of_intraamniotic_infection"),
             help="Maternal fever, uterine tenderness, fetal tachycardia, purulent discharge.")
    checkbox("Fetal demise", ("red_flags", "fetal_demise"))
    checkbox("Lethal fetal anomaly", ("red_flags", "lethal_fetal_anomaly"))
    st.subheader("Blood group")
    rh_key = state.wkey("rhd_negative")
    if rh_key not in st.session_state:
        st.session_state[rh_key] = {None: "unknown", True: "negative", False: "positive"}.get(
            state.get(("rhd_negative",)), "unknown")
    rh = st.radio("RhD status", list(RHD), format_func=RHD_LABELS.get, key=rh_key, horizontal=True,
                  help="Anti-D prophylaxis after bleeding and other sensitising events depends on it. "
                       "Leave 'Unknown' if it has not been checked.")
    state.put(("rhd_negative",), RHD[rh])
show_errors(state.errors(), ("membranes", "red_flags", "cerclage_in_place", "cerclage_type", "treatments",
                             "rhd_negative"))
page_footer("membranes")
