"""The floor for the concurrency figure: the same input (weeks), a metric and one Plotly chart."""

import plotly.graph_objects as go
import streamlit as st

weeks = st.number_input("Weeks (4-42)", min_value=4, max_value=42, value=None, step=1, key="floor.weeks")
if weeks is not None:
    st.metric("Gestational age", f"{weeks}+0")
    fig = go.Figure(go.Scatter(x=list(range(weeks)), y=[w * w for w in range(weeks)]))
    fig.update_layout(title="Floor chart")
    st.plotly_chart(fig, width="stretch", key="floor.chart")
