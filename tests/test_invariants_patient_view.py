"""clinical-spec.md version 2, section 9 invariants 4 (patient-view part) and 7, and section 6.

Written against an assumed pure function ``decision.patient_view.patient_view(assessment)``
returning an object with ``evidence_option_ids`` (the option ids for which evidence or icon
arrays are shown) and ``shows_survival_figures`` (bool). Skipped until that module exists; the
lead may adapt the names.
"""

from __future__ import annotations

import copy

import pytest
from casefacts import OFFERED
from hypothesis import HealthCheck, event, find, given, settings
from hypothesis import strategies as st
from strategies import case, valid_cases

from decision import evaluate

patient_view_module = pytest.importorskip("decision.patient_view")
patient_view = patient_view_module.patient_view

PROFILES = ("acog", "rcog")
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIND = settings(max_examples=3000, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))
LETHAL, DEMISE = "lethal_fetal_anomaly", "fetal_demise"


@st.composite
def no_fetal_benefit_cases(draw: st.DrawFn) -> dict:
    """Valid cases with a lethal anomaly or a demise, often in the weeks where survival figures exist."""
    data = copy.deepcopy(draw(st.one_of(valid_cases(), valid_cases(days=st.integers(20 * 7, 27 * 7 + 6)))))
    flags = draw(st.sampled_from([(LETHAL,), (DEMISE,), (LETHAL, DEMISE)]))
    data["red_flags"] = {**data.get("red_flags", {}), **dict.fromkeys(flags, True)}
    if draw(st.booleans()):
        data["membranes"] = {"status": "ruptured"}
    return data


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=no_fetal_benefit_cases())
def test_9_4_lethal_or_demise_patient_view_no_survival_figures(profile: str, data: dict) -> None:
    flags = data["red_flags"]
    assert flags.get(LETHAL) or flags.get(DEMISE)
    event("lethal" if flags.get(LETHAL) else "demise")
    view = patient_view(evaluate(data, profile=profile))
    assert view.shows_survival_figures is False


def test_9_4_strategy_reaches_periviable_weeks() -> None:
    example = find(no_fetal_benefit_cases(), lambda c: 22 <= c["gestational_age"]["weeks"] <= 25
                   and c.get("membranes", {}).get("status") == "ruptured" and not c["red_flags"].get(DEMISE),
                   settings=FIND)
    assert example["red_flags"][LETHAL]


@st.composite
def cases_with_discouraged_options(draw: st.DrawFn) -> dict:
    """Valid cases, plus cases where an option with evidence is contraindicated or not recommended."""
    kind = draw(st.sampled_from(["any", "contraindicated_cerclage", "late_dilation", "bleeding_open"]))
    if kind == "any":
        return draw(valid_cases())
    weeks = draw(st.integers(14, 23))
    if kind == "contraindicated_cerclage":
        return case(f"{weeks}+0", dilation=draw(st.sampled_from([1.5, 2, 3])), at_os=True,
                    flags=[draw(st.sampled_from(["vaginal_bleeding", "lethal_fetal_anomaly", "fetal_demise"]))])
    if kind == "late_dilation":
        return case(f"{weeks}+0", dilation=draw(st.sampled_from([4.5, 5, 8])))
    return case(f"{weeks}+0", dilation=2, flags=["vaginal_bleeding"])


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=cases_with_discouraged_options())
def test_9_7_patient_view_evidence_only_for_offered_options(profile: str, data: dict) -> None:
    assessment = evaluate(data, profile=profile)
    statuses = assessment.statuses()
    not_offered = {o for o, s in statuses.items() if s not in OFFERED}
    event(f"options not offered: {min(len(not_offered), 13)}")
    shown = set(patient_view(assessment).evidence_option_ids)
    assert shown <= {o for o, s in statuses.items() if s in OFFERED}, {o: statuses[o] for o in shown}


def test_9_7_contraindicated_emergency_cerclage_has_no_evidence_shown() -> None:
    assessment = evaluate(case("20+0", dilation=2, flags=["vaginal_bleeding"]))
    assert assessment.option("physical_exam_indicated_cerclage").status == "contraindicated"
    assert "physical_exam_indicated_cerclage" not in patient_view(assessment).evidence_option_ids


def test_9_7_not_recommended_emergency_cerclage_has_no_evidence_shown() -> None:
    assessment = evaluate(case("20+0", dilation=5))
    assert assessment.option("physical_exam_indicated_cerclage").status == "not_recommended"
    assert "physical_exam_indicated_cerclage" not in patient_view(assessment).evidence_option_ids
