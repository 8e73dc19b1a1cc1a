"""Explanations (clinical-spec.md section 10): what decided each status.

``decided_by`` lists the case inputs (field path and value, ``None`` meaning absent / not
measured) and the profile thresholds (id, value, sources) that the deciding rules read, as
recorded by :mod:`decision.record` while they ran.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import ga as galib
from .case import Case
from .kb import Knowledge, Profile, Value, Window
from .record import CRITERION, POLICY

# Contract field order (contract.md, input): the order inputs are listed and tried in.
INPUT_ORDER: tuple[str, ...] = (
    "gestational_age",
    "plurality",
    "history.second_trimester_losses_painless_dilation",
    "history.spontaneous_preterm_births_before_34w",
    "history.prior_cerclage_for_painless_dilation",
    "history.cervical_surgery",
    "history.in_utero_des_exposure",
    "history.uterine_or_cervical_anomaly",
    "history.cervical_trauma",
    "cervix.length_mm",
    "cervix.dilation_cm",
    "cervix.funneling",
    "cervix.membranes_at_or_beyond_external_os",
    "cervix.membranes_prolapsed_into_vagina",
    "serial_cervical_lengths",
    "membranes.status",
    "membranes.rupture_gestational_age",
    "cerclage_in_place",
    "cerclage_type",
    "treatments.antenatal_corticosteroids_ga",
    "treatments.antenatal_corticosteroid_courses",
    "rhd_negative",
    "red_flags.regular_contractions_or_labor",
    "red_flags.vaginal_bleeding",
    "red_flags.signs_of_intraamniotic_infection",
    "red_flags.fetal_demise",
    "red_flags.lethal_fetal_anomaly",
)
_RANK = {path: i for i, path in enumerate(INPUT_ORDER)}


def input_value(case: Case, path: str) -> Any:
    """The case's value at a contract field path, as JSON (GA as ``W+D``; ``None`` when absent)."""
    node: Any = case
    for part in path.split("."):
        node = getattr(node, part)
    if path == "serial_cervical_lengths":
        return [f"{m.gestational_age.label}: {m.length_mm:g} mm" for m in node] or None
    if hasattr(node, "total_days"):
        return galib.label(node.total_days)
    return node


def _threshold(p: Profile, key: str) -> tuple[Any, tuple[str, ...]]:
    if key == CRITERION:
        return p.history_cerclage.label, tuple(p.history_cerclage.sources)
    if key == POLICY:
        return "ultrasound-indicated cerclage and progesterone policy", tuple(p.ultrasound_cerclage.sources)
    item: Window | Value = p.windows[key] if key in p.windows else p.values[key]
    if isinstance(item, Window):
        return item.text, tuple(item.sources)
    return item.value, tuple(item.sources)


def threshold_sources(p: Profile, key: str) -> tuple[str, ...]:
    return _threshold(p, key)[1]


_OWN: dict[tuple[int, str], tuple[Knowledge, frozenset[str]]] = {}


def _own(profile: str, kb: Knowledge) -> frozenset[str]:
    default = kb.profiles["acog"]
    p = kb.profiles[profile]
    if p is default:
        return frozenset()
    keys = {k for k in p.windows if p.windows[k] != default.windows.get(k)}
    keys |= {k for k in p.values if p.values[k] != default.values.get(k)}
    if p.history_cerclage != default.history_cerclage:
        keys.add(CRITERION)
    if p.ultrasound_cerclage != default.ultrasound_cerclage:
        keys.add(POLICY)
    return frozenset(keys)


def profile_own_thresholds(kb: Knowledge, profile: str) -> frozenset[str]:
    """The thresholds a non-default profile sets differently from ``acog`` (its own sources cite it)."""
    cached = _OWN.get((id(kb), profile))
    if cached is None or cached[0] is not kb:
        cached = (kb, _own(profile, kb))
        _OWN[(id(kb), profile)] = cached
    return cached[1]


_ENTRIES: dict[tuple[int, str], tuple[Profile, Mapping[str, Any]]] = {}


def _threshold_entry(p: Profile, key: str) -> Mapping[str, Any]:
    cached = _ENTRIES.get((id(p), key))
    if cached is None or cached[0] is not p:
        value, sources = _threshold(p, key)
        entry = {"threshold": key, "value": value, "source": sources[0] if sources else None, "sources": list(sources)}
        cached = (p, entry)
        _ENTRIES[(id(p), key)] = cached
    return cached[1]


class DecidedBy:
    """Builds ``decided_by`` entries for one case: input values are read once per case."""

    __slots__ = ("_inputs", "_p")

    def __init__(self, case: Case, p: Profile):
        self._inputs = {path: {"input": path, "value": input_value(case, path)} for path in INPUT_ORDER}
        self._p = p

    def __call__(self, inputs: Iterable[str], thresholds: Iterable[str]) -> tuple[Mapping[str, Any], ...]:
        """Inputs (contract order) then thresholds (by id), each with its value; thresholds with sources."""
        entries = self._inputs
        out: list[Mapping[str, Any]] = [entries[path] for path in sorted(inputs, key=_RANK.__getitem__)]
        out.extend(_threshold_entry(self._p, key) for key in sorted(thresholds))
        return tuple(out)
