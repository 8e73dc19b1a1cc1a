"""Step 1: gestational age, entered directly or computed from LMP, EDD or an earlier scan."""

from datetime import date, timedelta

import streamlit as st

from decision import ga as galib
from decision.dating import DatingError, edd_from_ga, ga_from_edd, ga_from_lmp, ga_from_scan
from ui import ehr, figcache, state
from ui.layout import example_loader, page_footer, page_header
from ui.widgets import chart, show_errors

page_header("Gestational age", "dating")
if not state.case():  # an empty case: offer the examples ("New case", beside the steps, clears a case)
    example_loader()
ehr.fhir_import()
dating = st.session_state[state.DATING]
MODES = {
    "direct": "Enter GA (weeks + days)",
    "lmp": "From last menstrual period",
    "edd": "From estimated due date",
    "scan": "From an earlier ultrasound",
}
mode = st.segmented_control("How do you want to date the pregnancy?", list(MODES), format_func=MODES.get,
                            default=dating.get("mode", "direct"), key=state.wkey("dating.mode"))
dating["mode"] = mode or "direct"
mode = dating["mode"]
today = date.today()
ga_days: int | None = None
dating_failed = False
left, right = st.columns([1, 1])
with left:
    if mode == "direct":
        ga = state.get(("gestational_age",), {}) or {}
        weeks = st.number_input("Weeks (4-42)", min_value=4, max_value=42, step=1, value=ga.get("weeks"),
                                key=state.wkey("gestational_age.weeks"), placeholder="e.g. 19")
        days = st.number_input("Days (0-6)", min_value=0, max_value=6, step=1, value=ga.get("days", 0),
                               key=state.wkey("gestational_age.days"))
        if weeks is not None:
            ga_days = galib.to_days(int(weeks), int(days or 0))
    else:
        st.caption("Dates are used only to compute the gestational age here; they are not saved, exported or shared.")
        on = st.date_input("Today's date", value=dating.get("today", today), key=state.wkey("dating.today"),
                           min_value=today - timedelta(days=3650), max_value=today + timedelta(days=3650))
        dating["today"] = on
        try:
            if mode == "lmp":
                # No bounds tied to "Today's date": moving that date would put a stored value out of
                # range and Streamlit would raise; the dating functions name the field instead.
                lmp = st.date_input("First day of the last menstrual period", value=dating.get("lmp"),
                                    key=state.wkey("dating.lmp"))
                dating["lmp"] = lmp
                ga_days = ga_from_lmp(lmp, on) if lmp else None
            elif mode == "edd":
                edd = st.date_input("Estimated due date", value=dating.get("edd_in"), key=state.wkey("dating.edd"))
                dating["edd_in"] = edd
                ga_days = ga_from_edd(edd, on) if edd else None
            else:
                scan = st.date_input("Date of the earlier ultrasound", value=dating.get("scan"), key=state.wkey("dating.scan"))
                dating["scan"] = scan
                sw = st.number_input("GA at that scan: weeks (4-42)", min_value=4, max_value=42, step=1,
                                     value=dating.get("scan_weeks"), key=state.wkey("dating.scan_weeks"))
                sd = st.number_input("GA at that scan: days (0-6)", min_value=0, max_value=6, step=1,
                                     value=dating.get("scan_days", 0), key=state.wkey("dating.scan_days"))
                dating["scan_weeks"], dating["scan_days"] = sw, sd
                ga_days = ga_from_scan(scan, galib.to_days(int(sw), int(sd or 0)), on) if scan and sw else None
        except DatingError as exc:
            st.error(f"**{exc.field}**: {str(exc).split(': ', 1)[1]}", icon=":material/error:")
            ga_days = None
            dating_failed = True
if ga_days is not None:
    state.put(("gestational_age",), {"weeks": ga_days // 7, "days": ga_days % 7})
elif mode == "direct" or dating_failed:
    # A dating entry that gives no valid GA must not leave an earlier GA in the case.
    state.put(("gestational_age",), None)
on_date = dating.get("today", today) if mode != "direct" else today
with right:
    current = state.get(("gestational_age",))
    if current:
        days_total = galib.to_days(current["weeks"], current.get("days", 0))
        edd = edd_from_ga(days_total, on_date)
        dating["edd"] = edd.isoformat()
        st.metric("Gestational age", galib.label(days_total))
        st.metric("Estimated due date", edd.strftime("%d %b %Y"), help="Naegele: 280 days from the LMP")
    else:
        dating.pop("edd", None)
        st.info("Enter the gestational age to start. It is the only required entry.", icon=":material/info:")
show_errors(state.errors() if state.get(("gestational_age",)) else [], ("gestational_age",))

current = state.get(("gestational_age",))
fig = figcache.timeline(galib.to_days(current["weeks"], current.get("days", 0)) if current else None, state.profile())
chart(fig, "chart.timeline.dating")
page_footer("dating")
