"""What was found, in a few lines: positive findings for the clinician, plain words for the patient.

Pure: a full case dict (``decision.case_to_dict``) and the profile in, tuples of sentences out. Only
what is present or measured is listed (no row of "No"); the full case stays in the appendix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from decision import ga as galib
from decision import knowledge

__all__ = ["clinician_findings", "length_points", "patient_findings", "short_cervix_text"]

_HISTORY_FLAGS = {
    "prior_cerclage_for_painless_dilation": "Prior cerclage for painless dilation",
    "cervical_surgery": "Cervical surgery (cone biopsy, LEEP)",
    "in_utero_des_exposure": "In-utero DES exposure",
    "uterine_or_cervical_anomaly": "Uterine or cervical anomaly",
    "cervical_trauma": "Cervical trauma",
}
_RED_FLAGS = {
    "regular_contractions_or_labor": "Regular contractions or labor",
    "vaginal_bleeding": "Active vaginal bleeding",
    "signs_of_intraamniotic_infection": "Signs of intra-amniotic infection",
    "fetal_demise": "Fetal demise",
    "lethal_fetal_anomaly": "Lethal fetal anomaly",
}
_PLAIN_HISTORY = {
    "prior_cerclage_for_painless_dilation": "You had a stitch in your cervix in an earlier pregnancy.",
    "cervical_surgery": "You have had surgery on your cervix (such as a cone biopsy or LEEP).",
    "in_utero_des_exposure": "Your mother took a medicine called DES while she was pregnant with you.",
    "uterine_or_cervical_anomaly": "Your womb or cervix has had a different shape since birth.",
    "cervical_trauma": "Your cervix was injured in the past.",
}
_PLAIN_FLAGS = {
    "regular_contractions_or_labor": "You are having regular contractions.",
    "vaginal_bleeding": "You are bleeding from the vagina.",
    "signs_of_intraamniotic_infection": "There are signs of an infection inside the womb.",
    "lethal_fetal_anomaly": "Your baby has been found to have a very serious condition.",
}
_FETUSES = {1: "singleton", 2: "twins", 3: "triplets", 4: "quadruplets"}


def _ga(value: Mapping[str, Any] | None) -> str:
    return "not recorded" if not value else f"{value['weeks']}+{value.get('days', 0)}"


def _mm(value: float) -> str:
    return f"{value:g} mm"


def length_points(case: Mapping[str, Any]) -> tuple[tuple[int, float], ...]:
    """Every cervical length measured, as (GA in days, mm), sorted: the serial table and today's length."""
    points: dict[int, float] = {}
    for item in case.get("serial_cervical_lengths") or ():
        ga = item.get("gestational_age") or {}
        if ga.get("weeks") is not None and item.get("length_mm") is not None:
            points[galib.to_days(int(ga["weeks"]), int(ga.get("days") or 0))] = float(item["length_mm"])
    length = (case.get("cervix") or {}).get("length_mm")
    ga = case.get("gestational_age") or {}
    if length is not None and ga.get("weeks") is not None:
        points[galib.to_days(int(ga["weeks"]), int(ga.get("days") or 0))] = float(length)
    return tuple(sorted(points.items()))


def short_cervix_text(profile: str) -> str:
    """``below 25 mm`` (ACOG) or ``≤ 25 mm`` (RCOG / NICE): the profile's short-cervix threshold."""
    value = knowledge().profiles[profile].value("short_cervix_mm")
    return f"{'≤' if value.inclusive else '<'} {value.number:g} mm"


def _length_class(mm: float, profile: str) -> str:
    prof = knowledge().profiles[profile]
    short = prof.value("short_cervix_mm")
    very_short = prof.value("very_short_cervix_mm").number
    normal = prof.value("normal_cervix_length_mm").number
    is_short = mm <= short.number if short.inclusive else mm < short.number
    if mm < very_short:
        return f"very short: < {very_short:g} mm"
    if is_short:
        return f"short: {short_cervix_text(profile)}"
    if mm > normal:
        return f"normal: > {normal:g} mm"
    return f"not short; normal is > {normal:g} mm"


def clinician_findings(case: Mapping[str, Any], profile: str) -> tuple[str, ...]:
    """The positive findings, one short line each (the first line: GA, fetuses, membranes)."""
    cervix = case["cervix"]
    membranes = case["membranes"]
    plurality = int(case.get("plurality") or 1)
    first = [f"{_ga(case['gestational_age'])} weeks", _FETUSES.get(plurality, f"{plurality} fetuses")]
    if membranes["status"] == "ruptured":
        rupture = membranes.get("rupture_gestational_age")
        first.append(f"membranes ruptured{'' if not rupture else ' at ' + _ga(rupture)}")
    else:
        first.append("membranes intact")
    lines = [" · ".join(first)]
    history = case["history"]
    losses = int(history["second_trimester_losses_painless_dilation"])
    births = int(history["spontaneous_preterm_births_before_34w"])
    if losses:
        lines.append(f"{losses} second-trimester loss{'es' if losses > 1 else ''} from painless dilation")
    if births:
        lines.append(f"{births} spontaneous preterm birth{'s' if births > 1 else ''} before 34 weeks")
    lines += [label for key, label in _HISTORY_FLAGS.items() if history.get(key)]
    if cervix.get("length_mm") is not None:
        lines.append(f"Cervical length {_mm(cervix['length_mm'])} ({_length_class(float(cervix['length_mm']), profile)})")
    points = length_points(case)
    if len(points) > 1:
        trend = " → ".join(f"{_mm(mm)} at {galib.label(days)}" for days, mm in points)
        change = points[-1][1] - points[0][1]
        word = "fall" if change < 0 else "rise"
        lines.append(f"Serial lengths: {trend}" + (f" ({word} of {abs(change):g} mm)" if change else " (unchanged)"))
    dilation = cervix.get("dilation_cm")
    if dilation == 0:
        lines.append("Cervix closed on examination")
    elif dilation is not None:
        lines.append(f"Dilation {dilation:g} cm")
    if cervix.get("funneling"):
        lines.append("Funneling")
    if cervix.get("membranes_prolapsed_into_vagina"):
        lines.append("Membranes prolapsed into the vagina")
    elif cervix.get("membranes_at_or_beyond_external_os"):
        lines.append("Membranes at or beyond the external os")
    if case.get("cerclage_in_place"):
        kind = case.get("cerclage_type") or "transvaginal"
        lines.append(f"Cerclage in place ({kind})")
    lines += [label for key, label in _RED_FLAGS.items() if case["red_flags"].get(key)]
    treatments = case.get("treatments") or {}
    if treatments.get("antenatal_corticosteroids_ga"):
        courses = treatments.get("antenatal_corticosteroid_courses") or 1
        lines.append(f"Antenatal corticosteroids: {courses} course{'s' if courses > 1 else ''}, "
                     f"the last from {_ga(treatments['antenatal_corticosteroids_ga'])}")
    if case.get("rhd_negative") is True:
        lines.append("RhD-negative")
    elif case.get("rhd_negative") is False:
        lines.append("RhD-positive")
    if len(lines) == 1:
        lines.append("No other finding recorded")
    return tuple(lines)


def _weeks(days: int) -> str:
    weeks, rest = divmod(days, 7)
    return f"{weeks} weeks" + (f" and {rest} day{'s' if rest > 1 else ''}" if rest else "")


def patient_findings(case: Mapping[str, Any], profile: str) -> tuple[str, ...]:
    """What was found, in plain words (no codes or abbreviations), for the handout."""
    ga = case["gestational_age"]
    lines = [f"You are {_weeks(galib.to_days(int(ga['weeks']), int(ga.get('days') or 0)))} pregnant."]
    plurality = int(case.get("plurality") or 1)
    if plurality > 1:
        lines.append(f"You are expecting {_FETUSES.get(plurality, f'{plurality} babies')}.")
    flags = case["red_flags"]
    if flags.get("fetal_demise"):
        lines.append("We are very sorry: the scan showed that your baby has died.")
    history = case["history"]
    if int(history["second_trimester_losses_painless_dilation"]):
        lines.append("In an earlier pregnancy, you lost a baby in the middle months after the cervix opened without pain.")
    if int(history["spontaneous_preterm_births_before_34w"]):
        lines.append("You have had a baby born early (before 34 weeks) after labour started on its own.")
    lines += [text for key, text in _PLAIN_HISTORY.items() if history.get(key)]
    cervix = case["cervix"]
    length = cervix.get("length_mm")
    if length is not None:
        prof = knowledge().profiles[profile]
        normal = prof.value("normal_cervix_length_mm").number
        short = "short" in _length_class(float(length), profile)
        verdict = ("which is shorter than usual" if short else
                   "which is a usual length" if float(length) > normal else "which is a little shorter than usual")
        lines.append(f"The scan measured your cervix (the neck of the womb) at {length:g} mm, {verdict}; "
                     f"a usual length at this stage is more than {normal:g} mm.")
    points = length_points(case)
    if len(points) > 1:
        earlier = ", then ".join(f"{mm:g} mm at {days // 7} weeks" for days, mm in points[:-1])
        change = points[-1][1] - points[0][1]
        trend = "it has been getting shorter" if change < 0 else ("it has not changed" if change == 0 else
                                                                  "it has not got shorter")
        lines.append(f"Earlier scans measured {earlier}: {trend}.")
    dilation = cervix.get("dilation_cm")
    if dilation == 0:
        lines.append("On examination, your cervix was closed.")
    elif dilation is not None:
        lines.append(f"On examination, your cervix had opened {dilation:g} cm.")
    if cervix.get("membranes_prolapsed_into_vagina"):
        lines.append("The bag of waters around the baby has come down into the vagina.")
    elif cervix.get("membranes_at_or_beyond_external_os"):
        lines.append("The bag of waters around the baby can be seen at the opening of the cervix.")
    membranes = case["membranes"]
    if membranes["status"] == "ruptured":
        rupture = membranes.get("rupture_gestational_age")
        when = f" at {rupture['weeks']} weeks" if rupture else ""
        lines.append(f"Your waters have broken{when}.")
    if case.get("cerclage_in_place"):
        lines.append("You have a stitch in your cervix.")
    lines += [text for key, text in _PLAIN_FLAGS.items() if flags.get(key)]
    if len(lines) == 1:
        lines.append("Nothing we found today points to a weak cervix.")
    return tuple(lines)
