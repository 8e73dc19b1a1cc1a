"""One server for the app and its routes: ``streamlit run server.py`` (what ``./run.sh app`` starts).

Streamlit detects the literal ``app = st.App(...)`` assignment below (it reads this file's source) and
serves, in one process: the Streamlit UI of ``app.py`` (which stays the Streamlit entrypoint, and what
AppTest tests) plus the HTTP API and the CDS Hooks service of :mod:`webapi` (thin Starlette routes over
the pure :mod:`integration` package). Routes: see the README, "Server routes".
"""

import streamlit as st

from webapi.middleware import MIDDLEWARE
from webapi.routes import ROUTES, configure_logging

configure_logging()

app = st.App("app.py", routes=ROUTES, middleware=MIDDLEWARE)
