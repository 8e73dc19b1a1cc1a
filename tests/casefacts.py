"""Facts about a contract dict, read from the spec (not from the engine), for property tests.

Each helper reads the case the way clinical-spec.md version 2 defines the term, so an invariant's
precondition can be checked on the generated input itself.
"""

from __future__ import annotations

from typing import Any

from strategies import RED_FLAGS, ga_days

OFFERED = frozenset({"recommended", "consider"})
# Section 3.0 offered-ness order (contraindicated: the least offered of all).
OFFER_RANK = {"recommended": 4, "consider": 3, "not_recommended": 2, "not_applicable": 1, "contraindicated": 0}
PLACEMENT = ("history_indicated_cerclage", "ultrasound_indicated_cerclage", "physical_exam_indicated_cerclage")


def days(data: dict[str, Any]) -> int:
    return ga_days(data["gestational_age"])


def d(label: str) -> int:
    """``"34+0"`` -> total days."""
    weeks, rest = label.split("+")
    return int(weeks) * 7 + int(rest)


def flag(data: dict[str, Any], name: str) -> bool:
    assert name in RED_FLAGS, name
    return bool(data.get("red_flags", {}).get(name))


def ruptured(data: dict[str, Any]) -> bool:
    return data.get("membranes", {}).get("status") == "ruptured"


def contraindications(data: dict[str, Any]) -> set[str]:
    """The 3.1 findings present: ruptured membranes and the five red flags."""
    found = {name for name in RED_FLAGS if flag(data, name)}
    if ruptured(data):
        found.add("ruptured")
    return found


def plurality(data: dict[str, Any]) -> int:
    return data.get("plurality", 1)


def cerclage(data: dict[str, Any]) -> bool:
    return bool(data.get("cerclage_in_place"))


def today_length(data: dict[str, Any]) -> float | None:
    """3.5: ``cervix.length_mm``, else a serial measurement dated at the current GA."""
    length = data.get("cervix", {}).get("length_mm")
    if length is not None:
        return length
    for measurement in data.get("serial_cervical_lengths", []):
        if ga_days(measurement["gestational_age"]) == days(data):
            return measurement["length_mm"]
    return None


def short(length: float | None, profile: str) -> bool:
    if length is None:
        return False
    return length <= 25 if profile == "rcog" else length < 25


def ci_on_exam(data: dict[str, Any], profile: str) -> bool:
    """3.4: cervical insufficiency on examination (intact, no labor, 12+0..33+6)."""
    if ruptured(data) or flag(data, "regular_contractions_or_labor"):
        return False
    if not d("12+0") <= days(data) <= d("33+6"):
        return False
    cervix = data.get("cervix", {})
    dilation = cervix.get("dilation_cm")
    length = today_length(data)
    if cervix.get("membranes_at_or_beyond_external_os"):
        return True
    if dilation is not None and dilation >= 1 and (cervix.get("funneling") or short(length, profile)):
        return True
    return dilation is not None and dilation >= 2 and length is None


def open_cervix(data: dict[str, Any]) -> bool:
    """Any dilation of 1 cm or more, or membranes at or beyond the os (CI or not)."""
    cervix = data.get("cervix", {})
    dilation = cervix.get("dilation_cm")
    return bool(cervix.get("membranes_at_or_beyond_external_os")) or (dilation is not None and dilation >= 1)
