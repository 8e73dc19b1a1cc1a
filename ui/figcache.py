"""Figures for the pages, memoised on their (hashable) inputs.

A rerun that does not change a chart's inputs (a toggle elsewhere on the page, a page revisit)
reuses the figure instead of rebuilding it. Figures hold only clinical values, never identifiers,
and ``st.plotly_chart`` does not modify them, so one cache serves every session. They are
:class:`figures.SpecFigure` objects: the builders' plain specs, never turned into a full ``go.Figure``.
"""

from __future__ import annotations

import functools
import json

from decision import evaluate, knowledge
from figures import (
    SpecFigure,
    cervical_length_figure,
    cervix_diagram,
    evidence_figure,
    icon_array,
    outcomes_figure,
    timeline_figure,
)
from figures.cervix import cervix_known
from figures.inputs import case_bands, ga_days, length_thresholds, rupture_days, timeline_bands


@functools.lru_cache(maxsize=512)
def timeline(ga_days: int | None, profile: str, rupture_days: int | None = None,
             exclude: tuple[str, ...] = ()) -> SpecFigure:
    """``exclude``: window keys left out (the patient view's, from decision.patient_view)."""
    bands = timeline_bands(knowledge().profiles[profile], exclude)
    return SpecFigure(timeline_figure.spec(ga_days, bands, rupture_days))


@functools.lru_cache(maxsize=512)
def cervical_length(points: tuple[tuple[int, float], ...], current: tuple[int, float] | None,
                    profile: str) -> SpecFigure:
    """The reference lines are the profile's values (``figures.inputs.length_thresholds``)."""
    thresholds = length_thresholds(knowledge().profiles[profile])
    return SpecFigure(cervical_length_figure.spec(list(points), current, thresholds=thresholds))


@functools.lru_cache(maxsize=512)
def cervix(length_mm: float | None, dilation_cm: float | None, funneling: bool, at_os: bool, prolapsed: bool,
           ruptured: bool = False) -> SpecFigure:
    return SpecFigure(cervix_diagram.spec(length_mm, dilation_cm, funneling, at_os, prolapsed, ruptured))


@functools.lru_cache(maxsize=256)
def _case_timeline(ga_days: int, profile: str, rupture_days: int | None, case_json: str) -> SpecFigure:
    case = json.loads(case_json)
    bands = case_bands(evaluate(case, profile), knowledge().profiles[profile])
    return SpecFigure(timeline_figure.spec(ga_days, bands, rupture_days, title="This pregnancy's windows"))


def case_timeline(case: dict, profile: str) -> SpecFigure:
    """The timeline of this case: only the windows of the options offered, each with its status and days left."""
    return _case_timeline(ga_days(case), profile, rupture_days(case), json.dumps(case, sort_keys=True, default=str))


@functools.lru_cache(maxsize=64)
def outcomes(highlight_week: int | None, not_applicable: str | None = None, audience: str = "clinician") -> SpecFigure:
    """Survival by week at birth; ``not_applicable`` (demise, lethal anomaly) says the figures do not apply.
    ``audience="patient"``: patient mode's chart, in the plain words of outcomes.yaml's ``patient_*`` texts."""
    return SpecFigure(outcomes_figure.spec(knowledge().outcomes["survival_by_week"], highlight_week, not_applicable,
                                           audience=audience))


@functools.lru_cache(maxsize=16)
def evidence(key: str) -> SpecFigure:
    return SpecFigure(evidence_figure.spec(knowledge().outcomes["evidence"][key]))


@functools.lru_cache(maxsize=256)
def icons(percent: float, label: str, compact: bool = False) -> SpecFigure:
    """``compact``: the patient page's array, its sentence written as page text above it."""
    return SpecFigure(icon_array.spec(percent, label, compact=compact))


def cervix_for(case: dict) -> SpecFigure | None:
    """The cervix diagram for the case's findings (not examined drawn hatched, ruptured membranes drawn broken), or
    None when nothing about the cervix is known (no drawing then)."""
    cx = case.get("cervix", {}) or {}
    dilation = cx.get("dilation_cm")
    findings = (cx.get("length_mm"), None if dilation is None else float(dilation), bool(cx.get("funneling")),
                bool(cx.get("membranes_at_or_beyond_external_os")), bool(cx.get("membranes_prolapsed_into_vagina")))
    if not cervix_known(*findings):
        return None
    ruptured = (case.get("membranes") or {}).get("status") == "ruptured"
    return cervix(*findings, ruptured)
