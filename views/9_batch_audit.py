"""Reference: batch audit — evaluate a CSV of cases (one per row) and summarise the recommendations.

Upload limits, template, profile choice, progress, counts, charts, error rows and the results CSV:
see :mod:`ui.batch_view`.
"""

from ui.batch_view import render
from ui.layout import page_footer, page_header

page_header("Batch audit")
render()
page_footer()
