"""The floor page (benchmarks/floor_app.py) with the app's heap treatment (ui/heap.py): long-lived objects frozen,
so Streamlit's post-run garbage collection walks only what the rerun made. Reported beside the floor, to show
what the options page costs beyond a trivial page that gets the same treatment."""

import gc
import sys

import plotly.graph_objects as go
import streamlit as st

if getattr(sys, "_ci_dss_floor_frozen", 0) < len(sys.modules):
    gc.collect()
    gc.freeze()
    sys._ci_dss_floor_frozen = len(sys.modules)  # type: ignore[attr-defined]

weeks = st.slider("Weeks", 4, 42, 20, key="floor.slider")
fig = go.Figure(go.Scatter(x=list(range(weeks)), y=[w * w for w in range(weeks)]))
fig.update_layout(title="Floor chart")
st.plotly_chart(fig, width="stretch", key="floor.chart")
