"""Teaching-mode progress: quiz scoring, nickname rules, the attempts database and the charts.

Pure Python (no Streamlit): :mod:`progress.scoring` scores one quiz attempt, :mod:`progress.nickname`
validates the nickname a resident chooses, :mod:`progress.store` keeps attempts in a SQL database
through SQLAlchemy 2 and :mod:`progress.charts` draws the progress figures with Plotly.
"""
