"""What the charts are fed: bands from the knowledge base, points from the case, and which evidence fits.

Pure (no Streamlit): used by the pages (through ``ui``) and by the reports.
"""

from __future__ import annotations

from typing import Any

from decision import ga as galib
from decision.engine import Assessment
from decision.kb import Profile
from decision.patient_view import patient_view
from decision.plan import rank_plan

from .types import Band

TIMELINE_WINDOWS = (
    "history_cerclage", "typical_presentation", "surveillance", "ultrasound_cerclage", "physical_exam_cerclage",
    "periviable", "steroids_consider", "steroids_recommended", "cerclage_removal",
)


# option id -> the profile windows that time it, in order (the case timeline shows those not yet closed).
OPTION_WINDOWS: dict[str, tuple[str, ...]] = {
    "history_indicated_cerclage": ("history_cerclage", "history_cerclage_late"),
    "serial_cervical_length_surveillance": ("surveillance",),
    "ultrasound_indicated_cerclage": ("ultrasound_cerclage",),
    "physical_exam_indicated_cerclage": ("physical_exam_specialist", "physical_exam_cerclage"),
    "vaginal_progesterone": ("progesterone_no_history",),
    "trendelenburg_bed_rest": ("bed_rest",),
    "pprom_expectant_management": ("latency_antibiotics",),
    "preterm_birth_preparation": ("steroids_consider", "steroids_recommended", "late_preterm_steroids"),
    "cerclage_removal": ("cerclage_removal",),
}
# Windows that time a part of an option (named by the window: "Latency antibiotics after PPROM"), and context
# windows shown, without a status, when one of these options is offered.
PART_WINDOWS = ("pprom_expectant_management", "preterm_birth_preparation")
CONTEXT_WINDOWS: dict[str, tuple[str, ...]] = {
    "periviable": ("periviable_birth_counseling", "previable_pprom_counseling", "preterm_birth_preparation"),
}
STATUS_WORDS = {"recommended": "recommended", "consider": "consider", "not_recommended": "not recommended",
                "contraindicated": "contraindicated", "not_applicable": "not applicable"}


def days_text(ga: int, start: int | None, end: int) -> str:
    """"closes 23+6, in 27 days", "opens 24+0, in 14 days", "closes today"."""
    def when(days: int) -> str:
        return "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")

    if start is not None and ga < start:
        return f"opens {galib.label(start)}, {when(start - ga)}"
    return f"closes {galib.label(end)}, {when(end - ga)}"


def case_bands(assessment: Assessment, profile: Profile) -> list[Band]:
    """The windows of this case's offered options (not yet closed), each labelled with the option, its status in
    this case and the days left: "Emergency (physical-exam-indicated) cerclage: consider · closes 23+6, in 27 days"."""
    ga = galib.to_days(int(assessment.gestational_age["weeks"]), int(assessment.gestational_age["days"]))
    bands: list[Band] = []
    seen: set[str] = set()
    for item in rank_plan(assessment):  # the plan's order: time-critical first
        option = assessment.option(item.id)
        for key in OPTION_WINDOWS.get(option.id, ()):
            if key not in profile.windows or key in seen:
                continue
            window = profile.window(key)
            if window.end_days < ga:
                continue  # closed: not what this case is deciding
            seen.add(key)
            name = window.label if option.id in PART_WINDOWS else option.title
            label = f"{name}: {STATUS_WORDS[option.status]} · {days_text(ga, window.start_days, window.end_days)}"
            bands.append(Band(label, window.start_days, window.end_days, ", ".join(window.sources), option.status))
            if option.id != "preterm_birth_preparation":
                break  # one window per option: the one that decides now
    offered = {o.id for o in assessment.options if o.status in ("recommended", "consider")}
    for key, options in CONTEXT_WINDOWS.items():
        if key in profile.windows and key not in seen and offered & set(options):
            window = profile.window(key)
            if window.end_days >= ga:
                bands.append(Band(f"{window.label}: {days_text(ga, window.start_days, window.end_days)}",
                                  window.start_days, window.end_days, ", ".join(window.sources)))
    return bands


def timeline_bands(profile: Profile, exclude: tuple[str, ...] = ()) -> list[Band]:
    """The profile's windows (spec section 2) as timeline bands, each with its sources; ``exclude`` (window
    keys) leaves some out (the patient's timeline after a demise or with a lethal anomaly: no steroid window)."""
    return [
        Band(w.label, w.start_days, w.end_days, ", ".join(w.sources))
        for w in (profile.window(key) for key in TIMELINE_WINDOWS if key not in exclude)
    ]


# The cervical-length chart's reference lines (spec section 6, item 2: lines at 30, 25, 20 and 10 mm): profile
# values and how each is labelled. normal_cervix_length_mm (SEED: more than 30 mm) and short_cervix_mm (ACOG-PB142:
# below 25 mm; rcog: 25 mm or less, NICE-NG25, RCOG-GTG75) are spec section 2's rows; progesterone_recommended_max_mm
# (SMFM-CS70: 20 mm or less) is section 3.5's; very_short_cervix_mm (SMFM-CS70: below 10 mm) is section 2's.
LENGTH_LINES: tuple[str, ...] = (
    "normal_cervix_length_mm", "short_cervix_mm", "progesterone_recommended_max_mm", "very_short_cervix_mm",
)


def length_thresholds(profile: Profile) -> tuple[tuple[float, str], ...]:
    """``(mm, label)`` for the cervical-length chart, from ``profile``'s values: "Normal > 30 mm", "Short < 25 mm"
    (RCOG: "Short ≤ 25 mm", its threshold being inclusive), "20 mm", "10 mm"."""
    def mm(key: str) -> float:
        return profile.value(key).number

    short = profile.value("short_cervix_mm")
    labels = {
        "normal_cervix_length_mm": f"Normal > {mm('normal_cervix_length_mm'):g} mm",
        "short_cervix_mm": f"Short {'≤' if short.inclusive else '<'} {short.number:g} mm",
        "progesterone_recommended_max_mm": f"{mm('progesterone_recommended_max_mm'):g} mm",
        "very_short_cervix_mm": f"{mm('very_short_cervix_mm'):g} mm",
    }
    return tuple((mm(key), labels[key]) for key in LENGTH_LINES)


def ga_days(case: dict[str, Any]) -> int | None:
    ga = case.get("gestational_age")
    if not ga or ga.get("weeks") is None:
        return None
    return galib.to_days(int(ga["weeks"]), int(ga.get("days", 0) or 0))


def rupture_days(case: dict[str, Any]) -> int | None:
    membranes = case.get("membranes", {})
    rupture = membranes.get("rupture_gestational_age")
    if membranes.get("status") != "ruptured" or not rupture:
        return None
    return galib.to_days(int(rupture["weeks"]), int(rupture.get("days", 0) or 0))


def serial_points(case: dict[str, Any]) -> list[tuple[int, float]]:
    """Earlier measurements as (GA days, mm), skipping incomplete rows."""
    points = []
    for item in case.get("serial_cervical_lengths", []) or []:
        ga = item.get("gestational_age") or {}
        if ga.get("weeks") is None or item.get("length_mm") is None:
            continue
        points.append((galib.to_days(int(ga["weeks"]), int(ga.get("days", 0) or 0)), float(item["length_mm"])))
    return points


def current_point(case: dict[str, Any]) -> tuple[int, float] | None:
    days = ga_days(case)
    length = case.get("cervix", {}).get("length_mm")
    return (days, float(length)) if days is not None and length is not None else None


# option id -> evidence entry in outcomes.yaml (the clinician's evidence chart; for twins the engine's and
# the patient view's choice is ``twin_emergency_cerclage``: see decision.patient_view.EVIDENCE_OPTION).
EVIDENCE_FOR_OPTION = {
    "physical_exam_indicated_cerclage": "emergency_cerclage",
    "ultrasound_indicated_cerclage": "ultrasound_cerclage",
    "previable_pprom_counseling": "previable_pprom",
    "trendelenburg_bed_rest": "activity_restriction",
}
EVIDENCE_LABELS = {
    "emergency_cerclage": "Emergency cerclage vs expectant management",
    "twin_emergency_cerclage": "Emergency cerclage in twins (Roman 2020)",
    "ultrasound_cerclage": "Ultrasound-indicated cerclage (prior preterm birth, short cervix)",
    "previable_pprom": "Previable rupture of membranes (UKOSS)",
    "activity_restriction": "Activity restriction / bed rest",
}


def patient_evidence(assessment: Assessment, case: dict[str, Any] | None = None) -> tuple[str, ...]:
    """The evidence keys the patient view may show (spec section 6; possibly none: then nothing is shown)."""
    return patient_view(assessment, case).evidence_keys


def default_evidence(assessment: Assessment, case: dict[str, Any] | None = None) -> str | None:
    """The evidence the clinician's chart opens on: the first that fits the case (the patient view's own,
    :func:`decision.patient_view.patient_view`), else None (no study fits an offered option; the clinician
    may still browse). Never a fallback study for the patient: the patient view uses only
    :func:`patient_evidence`."""
    keys = patient_evidence(assessment, case)
    return keys[0] if keys else None


def evidence_caption(evidence: dict, source_short: str) -> str:
    """The clinician's words that go with an evidence entry (the options page's evidence chart, the clinician
    summary): source, denominator, how the evidence was gathered (observational evidence says so in plain
    words), who is not counted and the mother's risks. Patient mode and the handout show
    :func:`patient_evidence_caption` instead."""
    denominator = str(evidence.get("denominator") or "").strip()
    parts = [f"Source: {source_short}."]
    if denominator:
        parts.append(f"{denominator[:1].upper()}{denominator[1:]}.")
    parts += [str(evidence[k]) for k in ("design", "termination_note", "maternal_risks") if evidence.get(k)]
    return " ".join(parts)


def patient_evidence_caption(evidence: dict) -> str:
    """The patient's words under an evidence entry's icon arrays (patient mode, the patient handout): its
    ``patient_caption``, the same facts as :func:`evidence_caption` in plain words (the knowledge base checks
    them when loaded and refuses an entry without one)."""
    return " ".join(str(evidence["patient_caption"]).split())


def icon_arrays_for(evidence: dict) -> list[tuple[float, str]]:
    """(percent, phrase) pairs for patient icon arrays: the phrase completes "About N in 100 …".

    Every measure or arm with a patient phrase, so the previable-PPROM figures give the mother's sepsis
    beside the babies' (the maternal deaths, fewer than 1 in 100, are in the captions).
    Which evidence may be shown at all is :func:`patient_evidence`'s decision, not this one's.
    """
    if "arms" in evidence:
        return [(arm["percent"], arm["patient"]) for arm in evidence["arms"]]
    first = evidence["measures"][0]
    if "cerclage" in first:
        return [(first["cerclage"], first["patient_cerclage"]), (first["no_cerclage"], first["patient_no_cerclage"])]
    return [(m["percent"], m["patient"]) for m in evidence["measures"] if m.get("patient")]
