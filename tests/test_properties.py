"""Property tests: invariants of the engine over generated valid cases, and of validation over
arbitrary input (clinical-spec.md sections 1, 3.0, 3.1, 3.3, 3.4, 3.10, 5; contract.md).

Version 2: the bed-rest checks follow 3.0 (b) and the "exactly when" rule of 3.4; the output
contract includes the assessments. The section 9 invariants are in ``test_invariants.py``.
"""

from __future__ import annotations

import json

import pytest
from casefacts import ci_on_exam, d, days
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import contract_shaped, json_values, mutated_cases, valid_cases

from decision import (
    ASSESSMENT_IDS,
    OPTION_IDS,
    PLACEMENT_OPTIONS,
    STATUSES,
    Assessment,
    CaseValidationError,
    evaluate,
    knowledge,
    parse_case,
)

PROFILES = ("acog", "rcog")
OFFERED = {"recommended", "consider"}
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _any_contraindication(data: dict) -> bool:
    flags = data.get("red_flags", {})
    ruptured = data.get("membranes", {}).get("status") == "ruptured"
    return ruptured or any(flags.get(name) for name in (
        "regular_contractions_or_labor", "vaginal_bleeding", "signs_of_intraamniotic_infection", "fetal_demise",
        "lethal_fetal_anomaly"))


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=valid_cases())
def test_valid_case_invariants(profile: str, data: dict) -> None:
    """One generated case checked for the output contract and the clinical invariants."""
    parse_case(data)  # the generator respects every section 5 rule
    assessment = evaluate(data, profile=profile)
    check_output_contract(data, profile, assessment)
    check_clinical_invariants(data, assessment, profile)


def check_output_contract(data: dict, profile: str, assessment: Assessment) -> None:
    kb = knowledge()
    # every option, in OPTION_IDS order, with one of the five statuses and a rationale
    assert tuple(o.id for o in assessment.options) == OPTION_IDS
    for option in assessment.options:
        assert option.status in STATUSES
        assert option.rationale.strip()
        assert "{" not in option.rationale  # no unfilled placeholder
        assert option.sources
        for source in option.sources:
            assert source in kb.sources
        assert option.title
    # version 2: every assessment, in ASSESSMENT_IDS order, with one of the five statuses
    assert tuple(a.id for a in assessment.assessments) == ASSESSMENT_IDS
    for item in assessment.assessments:
        assert item.status in STATUSES
        assert item.rationale.strip()
        assert "{" not in item.rationale
        for source in item.sources:
            assert source in kb.sources
    assert assessment.assessment_statuses() == {a.id: a.status for a in assessment.assessments}
    assert assessment.profile == profile
    for alert in assessment.alerts:
        assert alert.message
        for source in alert.sources:
            assert source in kb.sources
    assert len({a.id for a in assessment.alerts}) == len(assessment.alerts)
    # JSON-serialisable, and the same JSON for the same input (no clock, no randomness)
    first = assessment.to_dict()
    text = json.dumps(first, allow_nan=False)
    assert json.loads(text) == first
    assert evaluate(data, profile=profile).to_dict() == first


def check_clinical_invariants(data: dict, assessment: Assessment, profile: str) -> None:
    statuses = assessment.statuses()
    # 3.1: no placement option is offered with a hard contraindication; they are contraindicated
    if _any_contraindication(data):
        for option in PLACEMENT_OPTIONS:
            assert statuses[option] == "contraindicated"
    else:
        assert "contraindicated" not in statuses.values()
    # 3.3: after rupture, never head-down bed rest
    if data.get("membranes", {}).get("status") == "ruptured":
        assert statuses["trendelenburg_bed_rest"] not in OFFERED
    # 3.10: offered bed rest always carries the evidence note
    if statuses["trendelenburg_bed_rest"] in OFFERED:
        note = assessment.option("trendelenburg_bed_rest").evidence_note
        assert note
        assert note.strip()
        assert "Grobman" in note
    # v2 3.4 and 3.0 (b): bed rest is consider exactly when CI on examination is present, emergency
    # cerclage is not offered because of dilation above 4 cm or because GA is past the cerclage
    # window (acog 23+6, rcog 27+6), GA is 14+0..33+6, no cerclage is in place and no 3.1 finding;
    # otherwise not_applicable below 14+0, from 34+0 or with a cerclage, not_recommended with a
    # 3.1 finding, and not_applicable in every other case.
    dilation = data.get("cervix", {}).get("dilation_cm")
    now = days(data)
    in_window = d("14+0") <= now <= d("33+6")
    past_cerclage_window = now > (d("27+6") if profile == "rcog" else d("23+6"))
    bed_rest = statuses["trendelenburg_bed_rest"]
    if not in_window or data.get("cerclage_in_place"):
        assert bed_rest == "not_applicable"
    elif _any_contraindication(data):
        assert bed_rest == "not_recommended"
    elif ci_on_exam(data, profile) and ((dilation is not None and dilation > 4) or past_cerclage_window):
        assert bed_rest == "consider"
        assert statuses["physical_exam_indicated_cerclage"] not in OFFERED
    else:
        assert bed_rest == "not_applicable"
    # 3.2: fetal demise -> delivery recommended
    if data.get("red_flags", {}).get("fetal_demise"):
        assert statuses["delivery"] == "recommended"
    # 3.2: infection -> delivery recommended, bed rest and expectant management not offered
    # (v2 3.0 (b): bed rest not_applicable below 14+0, from 34+0 and with a cerclage)
    if data.get("red_flags", {}).get("signs_of_intraamniotic_infection"):
        assert statuses["delivery"] == "recommended"
        assert statuses["trendelenburg_bed_rest"] in {"not_recommended", "not_applicable"}
        # not_recommended, or not_applicable with fetal demise (3.0 (c)); never offered (invariant 5)
        assert statuses["pprom_expectant_management"] == (
            "not_applicable" if data.get("red_flags", {}).get("fetal_demise") else "not_recommended")
    # 3.7: a cerclage in place is never placed again
    if data.get("cerclage_in_place"):
        for option in PLACEMENT_OPTIONS:
            assert statuses[option] in {"not_applicable", "contraindicated"}
    else:
        assert statuses["cerclage_removal"] == "not_applicable"
    # 3.9 (generalised): routine care exactly when nothing else is offered and nothing is found
    others_offered = any(s in OFFERED for o, s in statuses.items() if o != "routine_prenatal_care")
    if others_offered:
        assert statuses["routine_prenatal_care"] == "not_applicable"
    assert statuses["routine_prenatal_care"] in {"recommended", "not_applicable"}
    # v2 3.0 (g): never routine care with a red flag, PPROM or CI on examination
    if _any_contraindication(data) or ci_on_exam(data, profile):
        assert statuses["routine_prenatal_care"] == "not_applicable"
    # the seed's five options are always shown, and flagged as documented by the seed
    for seed_option in ("serial_cervical_length_surveillance", "history_indicated_cerclage",
                        "physical_exam_indicated_cerclage", "trendelenburg_bed_rest", "previable_pprom_counseling"):
        assert assessment.option(seed_option).documented_in_seed


# ---- invalid input: CaseValidationError or success, nothing else -----------------------------

def _parse_outcome(data: object) -> CaseValidationError | None:
    try:
        parse_case(data)
    except CaseValidationError as exc:
        assert exc.errors
        for error in exc.errors:
            assert isinstance(error.path, str)
            assert error.path  # an unknown key " " gives the path " ": non-empty, as the contract asks
            assert isinstance(error.message, str)
            assert error.message.strip()
        return exc
    return None


@SETTINGS
@given(data=json_values)
def test_arbitrary_json_never_crashes(data: object) -> None:
    _parse_outcome(data)


_GARBAGE_GA = st.dictionaries(st.sampled_from(["weeks", "days", "x"]), json_values, max_size=3).map(
    lambda ga: {"gestational_age": ga})


@SETTINGS
@given(data=st.one_of(contract_shaped, _GARBAGE_GA))
def test_contract_shaped_garbage_never_crashes(data: dict) -> None:
    outcome = _parse_outcome(data)
    if "gestational_age" not in data:
        assert outcome is not None


@SETTINGS
@given(mutation=mutated_cases(), profile=st.sampled_from(PROFILES))
def test_one_broken_field_is_always_reported(mutation: tuple[dict, str], profile: str) -> None:
    data, what = mutation
    error = _parse_outcome(data)
    assert error is not None, f"accepted a case with {what}"
    if what.startswith("unknown "):
        name = what.removeprefix("unknown ")
        assert any(e.path == name and "unknown field" in e.message for e in error.errors), error.errors
    with pytest.raises(CaseValidationError):
        evaluate(data, profile=profile)
