"""The floor for page timings: one slider and one Plotly chart."""

import plotly.graph_objects as go
import streamlit as st

weeks = st.slider("Weeks", 4, 42, 20, key="floor.slider")
fig = go.Figure(go.Scatter(x=list(range(weeks)), y=[w * w for w in range(weeks)]))
fig.update_layout(title="Floor chart")
st.plotly_chart(fig, width="stretch", key="floor.chart")
