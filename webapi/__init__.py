"""The server's own HTTP routes (Starlette), mounted beside the Streamlit UI by ``server.py``.

Thin: each route reads the request, calls a pure function of :mod:`integration` and writes JSON.
No Streamlit import here.
"""
