"""The Plotly charts a report embeds (built from the summary with the project's figure builders)."""

from __future__ import annotations

from typing import NamedTuple

import plotly.graph_objects as go

from figures import evidence_figure, icon_array, outcomes_figure, timeline_figure

from .summary import Summary


class Chart(NamedTuple):
    id: str  # the HTML div id
    title: str
    figure: go.Figure


def chart_figures(summary: Summary) -> list[Chart]:
    """Timeline; survival by GA at birth (this week highlighted); the evidence for the option under discussion.

    The patient handout shows the evidence as icon arrays, and survival by week only when a birth
    before or around viability is under discussion.
    """
    charts = [Chart("chart-timeline", "Timeline: guideline windows and this pregnancy",
                    timeline_figure(summary.ga_total_days, list(summary.bands), summary.rupture_total_days))]
    if summary.show_outcomes:
        charts.append(Chart("chart-outcomes", "Outcomes by gestational age at birth",
                            outcomes_figure(summary.survival, summary.ga_weeks)))
    if summary.audience == "clinician":
        charts.append(Chart("chart-evidence", f"Evidence for the option under discussion: {summary.evidence_option_title}",
                            evidence_figure(summary.evidence)))
    else:
        for i, icon in enumerate(summary.icon_arrays):
            charts.append(Chart(f"chart-icons-{i + 1}", icon.text, icon_array(icon.percent, icon.label)))
    return charts
