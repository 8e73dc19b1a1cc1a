"""The floor for the concurrency figure: the same input (weeks), a metric and one Plotly chart.

Like the app's dating page, the chart is on the page from the start (Plotly's script is loaded
before the timed input), and the metric appears once weeks are entered.
"""

import plotly.graph_objects as go
import streamlit as st

weeks = st.number_input("Weeks (4-42)", min_value=4, max_value=42, value=None, step=1, key="floor.weeks")
if weeks is not None:
    st.metric("Gestational age", f"{weeks}+0")
points = list(range(weeks or 0))
fig = go.Figure(go.Scatter(x=points, y=[w * w for w in points]))
fig.update_layout(title="Floor chart")
st.plotly_chart(fig, width="stretch", key="floor.chart")
