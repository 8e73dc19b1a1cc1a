"""Synthetic FHIR R4 Bundles from cases (the round-trip tests' generator), and a site mapping.

``case_to_bundle`` writes what a record system would hold for a case seen on ``today``: the dating
(gestational age, and the due date), today's and earlier cervical lengths, a rupture of membranes,
DES exposure and, with ``site=True``, the site-configured (unverified) codes too. It adds a Patient
with identifiers and identifier-bearing elements on every resource, which the mapping must drop.
"""

from __future__ import annotations

import copy
import itertools
import math
from datetime import date, timedelta
from typing import Any

from integration.mapping import MAPPING_FILE, FhirMapping, load_mapping

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
SITE = "urn:example:site-codes"
PATIENT_NAME = ("Quuxington", "Zelda")
MRN = "MRN-99887766"
BIRTH_DATE = "1987-03-14"
_ids = itertools.count(1)


def site_mapping() -> FhirMapping:
    """The shipped mapping with the unverified entries enabled and given (test) codes."""
    data = load_mapping(MAPPING_FILE).model_dump(mode="json")
    for entry in data["entries"]:
        if entry["id"] == "cerclage":
            entry["codes"] = [{"system": SITE, "code": "cerclage", "display": "Cervical cerclage"}]
        if entry["id"] == "membrane_status":
            entry["codes"] = [{"system": SITE, "code": "membranes", "display": "Membrane status"}]
            entry["answers"] = [{"system": SITE, "code": "ruptured", "value": "ruptured"},
                                {"system": SITE, "code": "intact", "value": "intact"}]
        entry["enabled"] = True
    return FhirMapping.model_validate(data)


def _quantity(value: float, code: str) -> dict[str, Any]:
    return {"value": value, "unit": code, "system": UCUM, "code": code}


def _subject() -> dict[str, Any]:
    return {"reference": "Patient/pat-1", "display": " ".join(reversed(PATIENT_NAME))}


def observation(code: str, when: date | None, *, system: str = LOINC, status: str = "final", **value: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation", "id": f"obs-{next(_ids)}", "status": status,
        "identifier": [{"system": "urn:example:mrn", "value": MRN}],
        "code": {"coding": [{"system": system, "code": code}], "text": "entered by Dr Example"},
        "subject": _subject(), "note": [{"text": f"Patient {PATIENT_NAME[1]} {PATIENT_NAME[0]}, born {BIRTH_DATE}"}],
        **value,
    }
    if when is not None:
        resource["effectiveDateTime"] = when.isoformat()
    return resource


def condition(code: str, *, onset: date | None = None, recorded: date | None = None, system: str = SNOMED,
              verification: str = "confirmed") -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition", "id": f"cond-{next(_ids)}", "subject": _subject(),
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                       "code": "active"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                           "code": verification}]},
        "code": {"coding": [{"system": system, "code": code}]},
    }
    if onset is not None:
        resource["onsetDateTime"] = onset.isoformat()
    if recorded is not None:
        resource["recordedDate"] = recorded.isoformat()
    return resource


def patient() -> dict[str, Any]:
    return {"resourceType": "Patient", "id": "pat-1", "identifier": [{"system": "urn:example:mrn", "value": MRN}],
            "name": [{"family": PATIENT_NAME[0], "given": [PATIENT_NAME[1]]}], "birthDate": BIRTH_DATE}


def bundle(*resources: dict[str, Any], kind: str = "collection") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind, "entry": [{"fullUrl": f"urn:uuid:{next(_ids)}", "resource": r}
                                                              for r in resources]}


def _days(ga: dict[str, int]) -> int:
    return ga["weeks"] * 7 + ga.get("days", 0)


def case_resources(case: dict[str, Any], today: date, *, length_unit: str = "cm", ga_unit: str = "wk",
                   due_date: bool = True, site: bool = False) -> list[dict[str, Any]]:
    """The resources a record would hold for ``case`` on ``today`` (identifier-bearing elements included)."""
    now = _days(case["gestational_age"])
    start = today - timedelta(days=now)
    out: list[dict[str, Any]] = [patient()]
    ga_value = round(now / 7, 6) if ga_unit == "wk" else now
    out.append(observation("49051-6", today, valueQuantity=_quantity(ga_value, ga_unit)))
    if due_date:
        out.append(observation("11778-8", today - timedelta(days=now % 5),
                               valueDateTime=(start + timedelta(days=280)).isoformat()))

    def length(mm: float, when: date, unit: str) -> dict[str, Any]:
        factor = {"cm": 10, "m": 1000}.get(unit, 1)
        value = mm / factor
        if not math.isclose(value * factor, mm, rel_tol=1e-12, abs_tol=0.0):  # a float too small to write in cm or m
            value, unit = mm, "mm"
        return observation("11961-0", when, valueQuantity=_quantity(value, unit))

    cervix = case.get("cervix") or {}
    units = itertools.cycle(["mm", "cm"] if length_unit == "mixed" else [length_unit])
    if cervix.get("length_mm") is not None:
        out.append(length(cervix["length_mm"], today, next(units)))
    for item in case.get("serial_cervical_lengths") or []:
        out.append(length(item["length_mm"], start + timedelta(days=_days(item["gestational_age"])), next(units)))
    membranes = case.get("membranes") or {}
    if membranes.get("status") == "ruptured":
        rupture = membranes.get("rupture_gestational_age")
        if rupture:
            out.append(condition("44223004", onset=start + timedelta(days=_days(rupture))))
        else:
            out.append(condition("44223004", recorded=today))
    if (case.get("history") or {}).get("in_utero_des_exposure"):
        out.append(condition("413340008", recorded=date(2001, 1, 1)))
    if site:
        out.append(observation("11878-6", start + timedelta(days=min(now, 70)), valueInteger=case.get("plurality", 1)))
        if cervix.get("dilation_cm") is not None:
            out.append(observation("11786-1", today, valueQuantity=_quantity(cervix["dilation_cm"], "cm")))
        out.append(observation("membranes", today, system=SITE,
                               valueCodeableConcept={"coding": [{"system": SITE, "code": membranes.get("status", "intact")}]}))
        if case.get("cerclage_in_place"):
            out.append({"resourceType": "Procedure", "id": "proc-1", "status": "completed", "subject": _subject(),
                        "code": {"coding": [{"system": SITE, "code": "cerclage"}]},
                        "performedDateTime": today.isoformat()})
    return out


def case_to_bundle(case: dict[str, Any], today: date, **options: Any) -> dict[str, Any]:
    return bundle(*case_resources(copy.deepcopy(case), today, **options))


PREFETCH_OF_CODE = {"49051-6": "pregnancyDating", "11884-4": "pregnancyDating", "18185-9": "pregnancyDating",
                    "11778-8": "pregnancyDating", "11961-0": "cervixLength", "11637-6": "obstetricHistory",
                    "11878-6": "examination", "11786-1": "examination", "membranes": "examination"}
REQUIRED_KEYS = ("pregnancyDating", "cervixLength", "conditions")


def case_prefetch(case: dict[str, Any], today: date, *, with_patient: bool = False, **options: Any) -> dict[str, Any]:
    """A CDS Hooks prefetch for ``case``: one searchset Bundle per key (null when the record has nothing)."""
    keys: dict[str, list[dict[str, Any]]] = {key: [] for key in REQUIRED_KEYS}
    for resource in case_resources(copy.deepcopy(case), today, **options):
        kind = resource["resourceType"]
        if kind == "Patient":
            if with_patient:  # as if _include'd into a search: the mapping must drop it
                keys["pregnancyDating"].append(resource)
            continue
        if kind == "Condition":
            key = "conditions"
        elif kind == "Procedure":
            key = "procedures"
        else:
            key = PREFETCH_OF_CODE[resource["code"]["coding"][0]["code"]]
        keys.setdefault(key, []).append(resource)
    return {key: (bundle(*resources, kind="searchset") if resources else None) for key, resources in keys.items()}


def hook_request(prefetch: dict[str, Any] | None, **context: Any) -> dict[str, Any]:
    """A ``patient-view`` request body (context ids are identifiers the service must never echo or store)."""
    body: dict[str, Any] = {
        "hook": "patient-view", "hookInstance": f"d1577c69-dfbe-44ad-ba6d-{next(_ids):012d}",
        "fhirServer": "https://ehr.test.invalid/fhir",
        "context": {"userId": "Practitioner/dr-example-42", "patientId": "pat-ZQ-5566", **context},
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body
