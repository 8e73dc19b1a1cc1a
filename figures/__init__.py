"""Plotly figures for the cervical-insufficiency app (pure: no Streamlit).

Every builder takes plain Python data and returns a ``plotly.graph_objects.Figure``
with a title, axis units, an Okabe-Ito palette and a text alternative that
``alt_text(fig)`` returns.
"""

from ._style import OKABE_ITO, Spec, SpecFigure, alt_text
from .cervical_length import cervical_length_figure
from .cervix import cervix_diagram, normal_length_mm
from .evidence import evidence_figure
from .icon_array import icon_array, icon_count
from .outcomes import outcomes_figure
from .timeline import timeline_figure
from .types import Band, bands_from_windows, days_to_weeks, format_ga, parse_ga

__all__ = [
    "OKABE_ITO",
    "Band",
    "Spec",
    "SpecFigure",
    "alt_text",
    "bands_from_windows",
    "cervical_length_figure",
    "cervix_diagram",
    "days_to_weeks",
    "evidence_figure",
    "format_ga",
    "icon_array",
    "icon_count",
    "normal_length_mm",
    "outcomes_figure",
    "parse_ga",
    "timeline_figure",
]
