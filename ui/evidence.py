"""Which evidence and outcome figures fit a case (pure: no Streamlit)."""

from __future__ import annotations

from decision.engine import Assessment

# option id -> evidence entry in outcomes.yaml
EVIDENCE_FOR_OPTION = {
    "physical_exam_indicated_cerclage": "emergency_cerclage",
    "ultrasound_indicated_cerclage": "ultrasound_cerclage",
    "previable_pprom_counseling": "previable_pprom",
    "trendelenburg_bed_rest": "activity_restriction",
}
EVIDENCE_LABELS = {
    "emergency_cerclage": "Emergency cerclage vs expectant management",
    "ultrasound_cerclage": "Ultrasound-indicated cerclage (prior preterm birth, short cervix)",
    "previable_pprom": "Previable rupture of membranes (UKOSS)",
    "activity_restriction": "Activity restriction / bed rest",
}


def default_evidence(assessment: Assessment) -> str:
    """The evidence for the first option under discussion (offered, in the seed's order of concern)."""
    for option_id, key in EVIDENCE_FOR_OPTION.items():
        if assessment.option(option_id).status in ("recommended", "consider"):
            return key
    for option_id, key in EVIDENCE_FOR_OPTION.items():
        if assessment.option(option_id).status != "not_applicable":
            return key
    return "emergency_cerclage"


def icon_arrays_for(evidence: dict) -> list[tuple[float, str]]:
    """(percent, phrase) pairs for patient icon arrays: the phrase completes "About N in 100 …"."""
    if "arms" in evidence:
        return [(arm["percent"], arm["patient"]) for arm in evidence["arms"]]
    first = evidence["measures"][0]
    if "cerclage" in first:
        return [(first["cerclage"], first["patient_cerclage"]), (first["no_cerclage"], first["patient_no_cerclage"])]
    return [(m["percent"], m["patient"]) for m in evidence["measures"][:2]]
