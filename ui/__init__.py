"""Streamlit shell: session state, shared layout and widget binding. Pages import from here."""
