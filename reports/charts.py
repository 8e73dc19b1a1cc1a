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
    """Timeline; survival by GA at birth (this week highlighted); the evidence that fits an offered option.

    The evidence is only the studies :func:`decision.patient_view.patient_view` lets through (none, and
    no chart, when no study fits). The patient handout shows it as icon arrays, and survival by week only
    when a birth before about 26 weeks is under discussion (never after a fetal demise or with a lethal
    anomaly); the clinician's survival chart then says that the figures do not apply.
    """
    charts = [Chart("chart-timeline", "Timeline: guideline windows and this pregnancy",
                    timeline_figure(summary.ga_total_days, list(summary.bands), summary.rupture_total_days))]
    if summary.show_outcomes:
        charts.append(Chart("chart-outcomes", "Outcomes by gestational age at birth",
                            outcomes_figure(summary.survival, summary.ga_weeks, summary.outcomes_not_applicable,
                                            audience=summary.audience)))
    if summary.audience == "clinician":
        for i, item in enumerate(summary.evidence_items):
            charts.append(Chart("chart-evidence" if i == 0 else f"chart-evidence-{i + 1}",
                                f"Evidence for the option under discussion: {item.option_title}",
                                evidence_figure(item.entry)))
    else:
        for i, icon in enumerate(summary.icon_arrays):
            charts.append(Chart(f"chart-icons-{i + 1}", icon.text, icon_array(icon.percent, icon.label)))
    return charts
