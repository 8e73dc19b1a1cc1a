"""FHIR R4 -> case (integration.mapping): round trips, units, refusals by name, provenance, no identifiers."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from typing import Any

import pytest
from casefiles import teaching_cases
from fhirgen import (
    BIRTH_DATE,
    MRN,
    PATIENT_NAME,
    SITE,
    bundle,
    case_to_bundle,
    condition,
    observation,
    patient,
    site_mapping,
)
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import valid_cases

from decision import case_to_dict, parse_case
from integration.mapping import MAPPING_FILE, load_mapping, map_bundle, map_prefetch, mapping

TODAY = date(2026, 6, 15)
UCUM = "http://unitsofmeasure.org"
SHIPPED = mapping()
SITE_MAPPING = site_mapping()


def _days(ga: dict[str, int]) -> int:
    return ga["weeks"] * 7 + ga.get("days", 0)


def covered(case: dict[str, Any], site: bool = False) -> dict[str, Any]:
    """The fields the mapping covers, as the engine reads them (today's length from the serial table too)."""
    full = case_to_dict(parse_case(case))
    now = _days(full["gestational_age"])
    serial = {(_days(m["gestational_age"]), m["length_mm"]) for m in full["serial_cervical_lengths"]}
    today = [mm for days, mm in serial if days == now]
    current = full["cervix"]["length_mm"] if full["cervix"]["length_mm"] is not None else (today[0] if today else None)
    out = {
        "gestational_age": full["gestational_age"],
        "cervix.length_mm": current,
        "serial": sorted((days, mm) for days, mm in serial if days != now),
        "membranes": full["membranes"],
        "history.in_utero_des_exposure": full["history"]["in_utero_des_exposure"],
    }
    if site:
        out.update({"plurality": full["plurality"], "cerclage_in_place": full["cerclage_in_place"],
                    "cervix.dilation_cm": full["cervix"]["dilation_cm"]})
    return out


def expressible(case: dict[str, Any], within: int = 7) -> bool:
    """False for what a record cannot say apart: no length today but one in the last ``within`` days, or two
    different lengths on one day (the mapping takes the first as today's and refuses the second)."""
    full = case_to_dict(parse_case(case))
    now = _days(full["gestational_age"])
    days = [(_days(m["gestational_age"]), m["length_mm"]) for m in full["serial_cervical_lengths"]]
    if full["cervix"]["length_mm"] is None and not any(d == now for d, _ in days) and \
            any(now - within <= d < now for d, _ in days):
        return False
    by_day: dict[int, set[float]] = {}
    for d, mm in days:
        by_day.setdefault(d, set()).add(mm)
    return all(len(v) == 1 for v in by_day.values())


def round_trip(case: dict[str, Any], site: bool = False, **options: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    record = map_bundle(case_to_bundle(case, TODAY, site=site, **options), TODAY, SITE_MAPPING if site else SHIPPED)
    return covered(case, site), covered(record.case, site)


def assert_same(expected: dict[str, Any], got: dict[str, Any]) -> None:
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        if key == "serial":
            assert [d for d, _ in got[key]] == [d for d, _ in value]
            assert [mm for _, mm in got[key]] == pytest.approx([mm for _, mm in value], rel=1e-9, abs=1e-9)
        elif isinstance(value, float):
            assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key
        else:
            assert got[key] == value, key


# --- round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("case_id", "case"), sorted(teaching_cases().items()))
def test_every_teaching_case_round_trips(case_id: str, case: dict[str, Any]) -> None:
    assert expressible(case), f"{case_id}: the round trip would need a rule the mapping does not have"
    for options in ({}, {"length_unit": "mm", "ga_unit": "d"}, {"length_unit": "mixed", "due_date": False}):
        assert_same(*round_trip(case, **options))
    assert_same(*round_trip(case, site=True))


@given(case=valid_cases(), length_unit=st.sampled_from(["cm", "mm", "m", "mixed"]), ga_unit=st.sampled_from(["wk", "d"]),
       due_date=st.booleans(), site=st.booleans())
def test_round_trip_property(case: dict[str, Any], length_unit: str, ga_unit: str, due_date: bool, site: bool) -> None:
    assume(expressible(case))
    assert_same(*round_trip(case, site=site, length_unit=length_unit, ga_unit=ga_unit, due_date=due_date))


@given(case=valid_cases(), name=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=10,
                                         max_size=20))
def test_identifiers_never_reach_the_result(case: dict[str, Any], name: str) -> None:
    resources = case_to_bundle(case, TODAY, site=True)["entry"]
    for entry in resources:
        resource = entry["resource"]
        resource["text"] = {"status": "generated", "div": f"<div>{name}</div>"}
        if resource["resourceType"] == "Patient":
            resource["name"][0]["family"] = name
        if "subject" in resource:
            resource["subject"]["display"] = name
    resources.append({"resource": {"resourceType": "Observation", "status": "final", "subject": {"display": name},
                                   "code": {"coding": [{"system": "http://loinc.org", "code": "11961-0"}]},
                                   "valueQuantity": {"value": name}}})
    text = json.dumps(map_bundle({"resourceType": "Bundle", "type": "collection", "entry": resources}, TODAY,
                                 SITE_MAPPING).to_dict())
    for secret in (name, MRN, BIRTH_DATE, *PATIENT_NAME, "pat-1", "obs-", "Dr Example"):
        assert secret not in text


def test_provenance_names_resource_code_and_date() -> None:
    case = {"gestational_age": {"weeks": 20, "days": 0}, "cervix": {"length_mm": 15},
            "serial_cervical_lengths": [{"gestational_age": {"weeks": 16, "days": 0}, "length_mm": 31}]}
    record = map_bundle(case_to_bundle(case, TODAY), TODAY, SHIPPED)
    assert record.fields == ["gestational_age", "cervix.length_mm", "serial_cervical_lengths"]
    length = record.provenance["cervix.length_mm"][0]
    assert (length.resource, length.code, length.display, length.date) == \
        ("Observation", "LOINC 11961-0", "Cervix [Length] by US", TODAY)
    dating = {s.code for s in record.provenance["gestational_age"]}
    assert dating == {"LOINC 49051-6", "LOINC 11778-8"}  # both dating observations agree
    assert record.provenance["serial_cervical_lengths"][0].date == TODAY - timedelta(days=28)
    # the Patient was dropped on entry, and said so
    assert [r.kind for r in record.refusals] == ["not_used"]
    assert "Patient" in record.refusals[0].message


# --- units ------------------------------------------------------------------------------------------


def length_record(value: Any, code: str | None, *, system: str | None = UCUM, when: date = TODAY, unit: str | None = None):
    quantity = {"value": value}
    if code is not None:
        quantity["code"] = code
    if system is not None:
        quantity["system"] = system
    if unit is not None:
        quantity["unit"] = unit
    return map_bundle(bundle(observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
                             observation("11961-0", when, valueQuantity=quantity)), TODAY, SHIPPED)


@pytest.mark.parametrize(("value", "code", "mm"), [(1.5, "cm", 15.0), (2.35, "cm", 23.5), (15, "mm", 15.0),
                                                    (23.5, "mm", 23.5), (0.018, "m", 18.0), (0, "cm", 0.0)])
def test_cervical_length_units_are_converted_to_mm(value: float, code: str, mm: float) -> None:
    record = length_record(value, code)
    assert record.case["cervix"]["length_mm"] == pytest.approx(mm)
    assert not record.refusals


def test_a_unit_given_only_as_text_is_read_when_it_is_a_known_ucum_code() -> None:
    assert length_record(1.8, None, system=None, unit="cm").case["cervix"]["length_mm"] == pytest.approx(18.0)


@pytest.mark.parametrize(("value", "unit"), [(30, "wk"), (20.0, "wk"), (140, "d"), (20.142857, "wk")])
def test_gestational_age_in_weeks_or_days(value: float, unit: str) -> None:
    record = map_bundle(bundle(observation("18185-9", TODAY, valueQuantity={"value": value, "code": unit, "system": UCUM})),
                        TODAY, SHIPPED)
    expected = round(value * 7) if unit == "wk" else value
    assert _days(record.case["gestational_age"]) == expected


def test_a_due_date_dates_the_pregnancy() -> None:
    edd = TODAY + timedelta(days=280 - 141)
    record = map_bundle(bundle(observation("11778-8", TODAY - timedelta(days=30), valueDateTime=edd.isoformat())),
                        TODAY, SHIPPED)
    assert record.case["gestational_age"] == {"weeks": 20, "days": 1}


# --- refusals, each by name --------------------------------------------------------------------------


def kinds(record) -> list[str]:
    return [r.kind for r in record.refusals]


@pytest.mark.parametrize(("code", "system"), [("[in_i]", UCUM), ("inches", UCUM), (None, UCUM), ("cm", "urn:other")])
def test_unknown_unit(code: str | None, system: str) -> None:
    record = length_record(3, code, system=system)
    assert kinds(record) == ["unknown_unit"]
    assert "cervix" not in record.case
    assert record.refusals[0].field == "cervix.length_mm"
    assert "unit" in record.refusals[0].message


def test_unknown_code() -> None:
    record = map_bundle(bundle(observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
                               observation("8302-2", TODAY, valueQuantity={"value": 160, "code": "cm", "system": UCUM})),
                        TODAY, SHIPPED)
    assert kinds(record) == ["unknown_code"]
    assert "LOINC 8302-2" in record.refusals[0].message


def test_unverified_codes_are_not_read_by_the_shipped_mapping() -> None:
    resources = bundle(observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
                       observation("11878-6", TODAY, valueInteger=2))
    assert kinds(map_bundle(resources, TODAY, SHIPPED)) == ["unknown_code"]
    assert map_bundle(resources, TODAY, SITE_MAPPING).case["plurality"] == 2


@pytest.mark.parametrize(("value", "code"), [(9, "cm"), (95, "mm"), (-1, "mm")])
def test_value_out_of_range(value: float, code: str) -> None:
    record = length_record(value, code)
    assert kinds(record) == ["out_of_range"]
    assert "allowed 0-80 mm" in record.refusals[0].message


def test_gestational_age_out_of_range() -> None:
    record = map_bundle(bundle(observation("49051-6", TODAY, valueQuantity={"value": 2, "code": "wk", "system": UCUM})),
                        TODAY, SHIPPED)
    assert kinds(record) == ["out_of_range"] and "gestational_age" not in record.case


def test_conflicting_values_on_one_day() -> None:
    record = map_bundle(bundle(observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
                               observation("11961-0", TODAY, valueQuantity={"value": 1.5, "code": "cm", "system": UCUM}),
                               observation("11961-0", TODAY, valueQuantity={"value": 22, "code": "mm", "system": UCUM})),
                        TODAY, SHIPPED)
    assert kinds(record) == ["conflict"]
    assert "cervix" not in record.case and "15 and 22" in record.refusals[0].message


def test_the_same_value_twice_is_not_a_conflict() -> None:
    record = map_bundle(bundle(observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
                               observation("11961-0", TODAY, valueQuantity={"value": 1.5, "code": "cm", "system": UCUM}),
                               observation("11961-0", TODAY, valueQuantity={"value": 15, "code": "mm", "system": UCUM})),
                        TODAY, SHIPPED)
    assert not record.refusals and record.case["cervix"]["length_mm"] == 15
    assert len(record.provenance["cervix.length_mm"]) == 2


def test_conflicting_dating_refuses_the_gestational_age() -> None:
    record = map_bundle(bundle(
        observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
        observation("11778-8", TODAY - timedelta(days=10), valueDateTime=(TODAY + timedelta(days=100)).isoformat()),
        observation("11961-0", TODAY, valueQuantity={"value": 1.5, "code": "cm", "system": UCUM})), TODAY, SHIPPED)
    assert "gestational_age" not in record.case
    assert kinds(record) == ["conflict", "no_dating"]  # and the length cannot be placed in a pregnancy


def test_conflicting_sources_for_one_field() -> None:
    """The rupture condition says ruptured, the (site) membrane-status observation says intact."""
    record = map_bundle(bundle(
        observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
        condition("44223004", onset=TODAY - timedelta(days=3)),
        observation("membranes", TODAY, system=SITE, valueCodeableConcept={"coding": [{"system": SITE, "code": "intact"}]}),
    ), TODAY, SITE_MAPPING)
    assert kinds(record) == ["conflict"] and "membranes" not in record.case


def test_earlier_pregnancy() -> None:
    start = TODAY - timedelta(days=140)
    record = map_bundle(bundle(
        observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
        observation("11961-0", start - timedelta(days=200), valueQuantity={"value": 1.2, "code": "cm", "system": UCUM}),
        condition("44223004", onset=start - timedelta(days=400)),
        observation("49051-6", start - timedelta(days=300), valueQuantity={"value": 30, "code": "wk", "system": UCUM}),
    ), TODAY, SHIPPED)
    assert kinds(record) == ["earlier_pregnancy"] * 3
    assert record.case == {"gestational_age": {"weeks": 20, "days": 0}}
    assert all("earlier pregnancy" in r.message for r in record.refusals)


def test_only_an_earlier_pregnancy_in_the_record() -> None:
    record = map_bundle(bundle(
        observation("11778-8", date(2024, 1, 10), valueDateTime="2024-06-01"),
        observation("11961-0", date(2024, 2, 1), valueQuantity={"value": 3, "code": "cm", "system": UCUM})), TODAY, SHIPPED)
    assert kinds(record) == ["earlier_pregnancy", "no_dating"] and record.case == {}


@pytest.mark.parametrize(("status", "kind"), [("preliminary", "status"), ("entered-in-error", "status"),
                                               ("final", None), ("amended", None)])
def test_observation_status(status: str, kind: str | None) -> None:
    record = map_bundle(bundle(observation("49051-6", TODAY, status=status,
                                           valueQuantity={"value": 20, "code": "wk", "system": UCUM})), TODAY, SHIPPED)
    assert kinds(record) == ([kind] if kind else [])


def test_refuted_conditions_are_not_used() -> None:
    record = map_bundle(bundle(condition("413340008", verification="refuted")), TODAY, SHIPPED)
    assert kinds(record) == ["status"] and record.case == {}


def test_dated_after_today_no_date_and_not_a_resource() -> None:
    record = map_bundle(bundle(
        observation("49051-6", TODAY + timedelta(days=2), valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
        observation("11884-4", None, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
    ), TODAY, SHIPPED)
    assert kinds(record) == ["future", "no_date"]
    assert kinds(map_bundle({"resourceType": "Bundle", "entry": [{"resource": "x"}, {}]}, TODAY, SHIPPED)) == \
        ["invalid", "invalid"]
    assert kinds(map_bundle(["not", "a", "bundle"], TODAY, SHIPPED)) == ["invalid"]


def test_an_invalid_resource_is_named_without_its_content() -> None:
    record = map_bundle(bundle(observation("11961-0", TODAY, valueQuantity={"value": "Zelda Quuxington"})), TODAY,
                        SHIPPED)
    assert kinds(record) == ["invalid"]
    assert "valueQuantity.value" in record.refusals[0].message and "Zelda" not in record.refusals[0].message


def test_hints_are_shown_never_mapped() -> None:
    record = map_bundle(bundle(observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
                               observation("11637-6", date(2024, 1, 1), valueInteger=2),
                               condition("17382005", recorded=date(2023, 5, 1))), TODAY, SHIPPED)
    assert record.case == {"gestational_age": {"weeks": 20, "days": 0}}
    assert [h.field for h in record.hints] == ["history.spontaneous_preterm_births_before_34w",
                                               "history.second_trimester_losses_painless_dilation"]
    assert "2 preterm birth(s)" in record.hints[0].message and "not" in record.hints[0].message
    assert record.hints[0].source.code == "LOINC 11637-6"


def test_prom_sets_ruptured_and_the_rupture_gestational_age() -> None:
    record = map_bundle(bundle(observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
                               condition("44223004", onset=TODAY - timedelta(days=9))), TODAY, SHIPPED)
    assert record.case["membranes"] == {"status": "ruptured", "rupture_gestational_age": {"weeks": 18, "days": 5}}


def test_prefetch_values_may_be_bundles_resources_or_null() -> None:
    prefetch = {
        "pregnancyDating": bundle(observation("49051-6", TODAY, valueQuantity={"value": 20, "code": "wk", "system": UCUM}),
                                  kind="searchset"),
        "cervixLength": observation("11961-0", TODAY, valueQuantity={"value": 1.5, "code": "cm", "system": UCUM}),
        "conditions": None,
        "patient": patient(),
    }
    record = map_prefetch(prefetch, TODAY, SHIPPED)
    assert record.case == {"gestational_age": {"weeks": 20, "days": 0}, "cervix": {"length_mm": 15.0}}
    assert kinds(record) == ["not_used"]


def test_the_mapping_file_lists_the_verified_codes() -> None:
    spec = load_mapping(MAPPING_FILE)
    verified = {(c.system.rsplit("/", 1)[-1], c.code) for e in spec.entries if e.verified for c in e.codes}
    assert verified == {("loinc.org", "11961-0"), ("loinc.org", "49051-6"), ("loinc.org", "11884-4"),
                        ("loinc.org", "18185-9"), ("loinc.org", "11778-8"), ("loinc.org", "11637-6"),
                        ("sct", "17382005"), ("sct", "44223004"), ("sct", "413340008")}
    assert all(not e.enabled for e in spec.entries if not e.verified)
    units = next(e.units for e in spec.entries if e.id == "cervical_length")
    assert dict(units) == {"mm": 1, "cm": 10, "m": 1000}


def test_a_broken_mapping_file_is_named(tmp_path) -> None:
    broken = tmp_path / "mapping.yaml"
    broken.write_text("version: x\nentries:\n  - {id: a, role: measure, resource: Observation}\n")
    with pytest.raises(ValueError, match="field is required"):
        load_mapping(broken)


def test_the_integration_package_does_not_import_streamlit() -> None:
    code = ("import sys, integration.mapping, integration.api, integration.config, integration.httpjson; "
            "print('streamlit' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "False"
