"""Figures for the pages, memoised on their (hashable) inputs.

A rerun that does not change a chart's inputs (a toggle elsewhere on the page, a page revisit)
reuses the figure instead of rebuilding it. Figures hold only clinical values, never identifiers,
and ``st.plotly_chart`` does not modify them, so one cache serves every session. They are
:class:`figures.SpecFigure` objects: the builders' plain specs, never turned into a full ``go.Figure``.
"""

from __future__ import annotations

import functools

from decision import knowledge
from figures import (
    SpecFigure,
    cervical_length_figure,
    cervix_diagram,
    evidence_figure,
    icon_array,
    outcomes_figure,
    timeline_figure,
)
from figures.inputs import timeline_bands


@functools.lru_cache(maxsize=512)
def timeline(ga_days: int | None, profile: str, rupture_days: int | None = None,
             exclude: tuple[str, ...] = ()) -> SpecFigure:
    """``exclude``: window keys left out (the patient view's, from decision.patient_view)."""
    bands = timeline_bands(knowledge().profiles[profile], exclude)
    return SpecFigure(timeline_figure.spec(ga_days, bands, rupture_days))


@functools.lru_cache(maxsize=512)
def cervical_length(points: tuple[tuple[int, float], ...], current: tuple[int, float] | None) -> SpecFigure:
    return SpecFigure(cervical_length_figure.spec(list(points), current))


@functools.lru_cache(maxsize=512)
def cervix(length_mm: float | None, dilation_cm: float, funneling: bool, at_os: bool, prolapsed: bool) -> SpecFigure:
    return SpecFigure(cervix_diagram.spec(length_mm, dilation_cm, funneling, at_os, prolapsed))


@functools.lru_cache(maxsize=64)
def outcomes(highlight_week: int | None, not_applicable: str | None = None) -> SpecFigure:
    """Survival by week at birth; ``not_applicable`` (demise, lethal anomaly) says the figures do not apply."""
    return SpecFigure(outcomes_figure.spec(knowledge().outcomes["survival_by_week"], highlight_week, not_applicable))


@functools.lru_cache(maxsize=16)
def evidence(key: str) -> SpecFigure:
    return SpecFigure(evidence_figure.spec(knowledge().outcomes["evidence"][key]))


@functools.lru_cache(maxsize=256)
def icons(percent: float, label: str) -> SpecFigure:
    return SpecFigure(icon_array.spec(percent, label))


def cervix_for(case: dict) -> SpecFigure:
    """The cervix diagram for the case's cervical findings."""
    cx = case.get("cervix", {})
    return cervix(cx.get("length_mm"), float(cx.get("dilation_cm") or 0.0), bool(cx.get("funneling")),
                  bool(cx.get("membranes_at_or_beyond_external_os")), bool(cx.get("membranes_prolapsed_into_vagina")))
