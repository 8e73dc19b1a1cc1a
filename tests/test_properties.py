"""Property tests: invariants of the engine over generated valid cases, and of validation over
arbitrary input (clinical-spec.md sections 1, 3.1, 3.3, 3.10, 5; contract.md)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import contract_shaped, json_values, mutated_cases, valid_cases

from decision import (
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
    check_clinical_invariants(data, assessment)


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


def check_clinical_invariants(data: dict, assessment: Assessment) -> None:
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
    # 3.4: bed rest is offered only when emergency cerclage is not, for an open cervix with intact
    # membranes; with infection, labor or demise it is not recommended
    cervix = data.get("cervix", {})
    dilation = cervix.get("dilation_cm")
    cervix_open = (dilation is not None and dilation >= 1) or cervix.get("membranes_at_or_beyond_external_os", False)
    flags = data.get("red_flags", {})
    intact = data.get("membranes", {}).get("status", "intact") == "intact"
    stopper = any(flags.get(k) for k in ("signs_of_intraamniotic_infection", "regular_contractions_or_labor",
                                         "fetal_demise"))
    if statuses["trendelenburg_bed_rest"] in OFFERED:
        assert statuses["physical_exam_indicated_cerclage"] not in OFFERED
        assert cervix_open
        assert intact
        assert not stopper
    if cervix_open and intact and stopper:
        assert statuses["trendelenburg_bed_rest"] == "not_recommended"
    if cervix_open and intact and not stopper and statuses["physical_exam_indicated_cerclage"] not in OFFERED:
        assert statuses["trendelenburg_bed_rest"] == "consider"
    # 3.2: fetal demise -> delivery recommended
    if data.get("red_flags", {}).get("fetal_demise"):
        assert statuses["delivery"] == "recommended"
    # 3.2: infection -> delivery recommended, bed rest and expectant management not offered
    if data.get("red_flags", {}).get("signs_of_intraamniotic_infection"):
        assert statuses["delivery"] == "recommended"
        assert statuses["trendelenburg_bed_rest"] == "not_recommended"
        assert statuses["pprom_expectant_management"] == "not_recommended"
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
