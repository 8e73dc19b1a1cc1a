"""Step 2: obstetric history, the seed's risk factors, and plurality."""

import streamlit as st

from ui import state
from ui.layout import page_footer, page_header
from ui.widgets import bound, checkbox, count, show_errors

page_header("History and risk factors", "history")
left, right = st.columns(2)
with left:
    st.subheader("Obstetric history")
    count("Second-trimester losses from painless dilation", ("history", "second_trimester_losses_painless_dilation"),
          help="Losses from painless cervical dilation, not from labor or abruption.")
    count("Spontaneous preterm births before 34+0", ("history", "spontaneous_preterm_births_before_34w"))
    checkbox("Prior cerclage placed for painless dilation", ("history", "prior_cerclage_for_painless_dilation"))
    bound(st.selectbox, "Plurality (number of fetuses, 1-4)", ("plurality",), 1, options=[1, 2, 3, 4],
          format_func=lambda n: {1: "Singleton", 2: "Twins", 3: "Triplets", 4: "Quadruplets"}[n])
with right:
    st.subheader("Risk factors (seed)")
    st.caption("The seed's risk factors for an incompetent cervix. Most cases occur without any risk factor.")
    checkbox("Cervical surgery (cone biopsy, LEEP)", ("history", "cervical_surgery"))
    checkbox("In-utero DES exposure", ("history", "in_utero_des_exposure"))
    checkbox("Congenital uterine or cervical anomaly", ("history", "uterine_or_cervical_anomaly"))
    checkbox("Cervical trauma (birth or other)", ("history", "cervical_trauma"))
    st.caption("A previous pregnancy with cervical insufficiency is entered as a second-trimester loss from painless "
               "dilation or a prior cerclage (left).")
show_errors(state.errors(), ("history", "plurality"))
page_footer("history")
