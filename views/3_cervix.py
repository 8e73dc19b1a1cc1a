"""Step 3: cervical findings (TVCL, serial measurements, examination) with the chart and diagram."""

import streamlit as st

from figures.inputs import current_point, serial_points
from ui import figcache, state
from ui.layout import page_footer, page_header
from ui.serial import editor, line_editor
from ui.widgets import bound, chart, checkbox, membrane_checkboxes, show_errors

page_header("Cervical findings", "cervix")
ultrasound, exam = st.columns(2)
with ultrasound:
    st.subheader("Transvaginal ultrasound")
    bound(st.number_input, "Cervical length today (mm, 0-80; empty = not measured)", ("cervix", "length_mm"), None,
          min_value=0.0, max_value=80.0, step=1.0, placeholder="not measured", format="%g")
    problems = line_editor()
    st.markdown("**Earlier measurements** — one line above, or a row per scan here (GA as weeks+days).")
    problems += editor()
    for problem in problems:
        st.error(problem, icon=":material/error:")
with exam:
    st.subheader("Examination")
    bound(st.number_input, "Dilation (cm, 0-10; empty = not examined)", ("cervix", "dilation_cm"), None,
          min_value=0.0, max_value=10.0, step=0.5, placeholder="not examined", format="%g")
    checkbox("Funneling", ("cervix", "funneling"))
    membrane_checkboxes()
show_errors(state.errors(), ("cervix", "serial_cervical_lengths"))
case = state.case()
with st.container(key="cervix.charts"):
    length_fig = figcache.cervical_length(tuple(serial_points(case)), current_point(case), state.profile())
    chart(length_fig, "chart.cervical_length")
    diagram = figcache.cervix_for(case)
    if diagram is not None:
        chart(diagram, "chart.cervix_diagram")
    else:
        st.caption("The cervix drawing appears once a length, an examination or a membrane finding is entered.")
page_footer("cervix")
