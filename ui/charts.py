"""Data for the figure builders, taken from the knowledge base and the case (no Streamlit here)."""

from __future__ import annotations

from typing import Any

from decision import ga as galib
from decision.kb import Profile
from figures import Band

TIMELINE_WINDOWS = (
    "history_cerclage", "typical_presentation", "surveillance", "ultrasound_cerclage", "physical_exam_cerclage",
    "periviable", "steroids_consider", "steroids_recommended", "cerclage_removal",
)


def timeline_bands(profile: Profile) -> list[Band]:
    """The profile's windows (spec section 2) as timeline bands, each with its sources."""
    return [
        Band(w.label, w.start_days, w.end_days, ", ".join(w.sources))
        for w in (profile.window(key) for key in TIMELINE_WINDOWS)
    ]


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
