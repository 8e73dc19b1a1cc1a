"""Test helpers: a compact case builder for decision tables and hypothesis strategies.

``case()`` builds contract dicts (contract.md, input) from short keyword arguments so a
decision-table row reads like the spec. ``valid_cases()`` generates contract dicts that respect
every range and cross-field rule of clinical-spec.md section 5; ``invalid_inputs()`` generates
JSON-like garbage and valid cases with one field broken.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping
from typing import Any

from hypothesis import strategies as st

RED_FLAGS = (
    "regular_contractions_or_labor",
    "vaginal_bleeding",
    "signs_of_intraamniotic_infection",
    "fetal_demise",
    "lethal_fetal_anomaly",
)
HISTORY_BOOLS = (
    "prior_cerclage_for_painless_dilation",
    "cervical_surgery",
    "in_utero_des_exposure",
    "uterine_or_cervical_anomaly",
    "cervical_trauma",
)
HISTORY_COUNTS = ("second_trimester_losses_painless_dilation", "spontaneous_preterm_births_before_34w")

# The six hard contraindications of spec 3.1: (short key, case fragment, name in the rationale).
CONTRAINDICATIONS: dict[str, tuple[dict[str, Any], str]] = {
    "ruptured": ({"membranes": {"status": "ruptured"}}, "ruptured membranes"),
    "labor": ({"red_flags": {"regular_contractions_or_labor": True}}, "regular contractions or labor"),
    "infection": ({"red_flags": {"signs_of_intraamniotic_infection": True}}, "signs of intra-amniotic infection"),
    "bleeding": ({"red_flags": {"vaginal_bleeding": True}}, "active vaginal bleeding"),
    "demise": ({"red_flags": {"fetal_demise": True}}, "fetal demise"),
    "lethal": ({"red_flags": {"lethal_fetal_anomaly": True}}, "lethal fetal anomaly"),
}


def ga(label: str) -> dict[str, int]:
    """``"19+3"`` -> ``{"weeks": 19, "days": 3}``."""
    weeks, days = label.split("+")
    return {"weeks": int(weeks), "days": int(days)}


def ga_days(value: Mapping[str, int]) -> int:
    return value["weeks"] * 7 + value.get("days", 0)


def case(
    at: str = "20+0",
    *,
    plurality: int | None = None,
    length: float | None = None,
    dilation: float | None = None,
    at_os: bool = False,
    prolapsed: bool = False,
    funneling: bool = False,
    ruptured: bool = False,
    rupture_at: str | None = None,
    cerclage: bool = False,
    flags: Iterable[str] = (),
    serial: Iterable[tuple[str, float]] = (),
    rhd_negative: bool | None = None,
    cerclage_type: str | None = None,
    steroids_at: str | None = None,
    steroid_courses: int | None = None,
    **history: Any,
) -> dict[str, Any]:
    """A contract dict. ``flags`` are red-flag field names; extra keywords are history fields.

    ``prolapsed=True`` implies ``at_os=True`` (section 5 requires it). Version 2 inputs:
    ``rhd_negative`` (True/False; None = absent), ``cerclage_type`` (given as is; it does not
    imply ``cerclage=True``, so validation tests can build the invalid combination),
    ``steroids_at`` (GA label of the first dose of the last corticosteroid course) and
    ``steroid_courses`` (1 or 2); the last two go under ``treatments``.
    """
    out: dict[str, Any] = {"gestational_age": ga(at)}
    if plurality is not None:
        out["plurality"] = plurality
    cervix: dict[str, Any] = {}
    if length is not None:
        cervix["length_mm"] = length
    if dilation is not None:
        cervix["dilation_cm"] = dilation
    if at_os or prolapsed:
        cervix["membranes_at_or_beyond_external_os"] = True
    if prolapsed:
        cervix["membranes_prolapsed_into_vagina"] = True
    if funneling:
        cervix["funneling"] = True
    if cervix:
        out["cervix"] = cervix
    if ruptured or rupture_at:
        out["membranes"] = {"status": "ruptured"}
        if rupture_at:
            out["membranes"]["rupture_gestational_age"] = ga(rupture_at)
    if cerclage:
        out["cerclage_in_place"] = True
    if cerclage_type is not None:
        out["cerclage_type"] = cerclage_type
    if rhd_negative is not None:
        out["rhd_negative"] = rhd_negative
    treatments: dict[str, Any] = {}
    if steroids_at is not None:
        treatments["antenatal_corticosteroids_ga"] = ga(steroids_at)
    if steroid_courses is not None:
        treatments["antenatal_corticosteroid_courses"] = steroid_courses
    if treatments:
        out["treatments"] = treatments
    flags = tuple(flags)
    unknown = set(flags) - set(RED_FLAGS)
    if unknown:
        raise ValueError(f"unknown red flag(s): {sorted(unknown)}")
    if flags:
        out["red_flags"] = dict.fromkeys(flags, True)
    serial = list(serial)
    if serial:
        out["serial_cervical_lengths"] = [{"gestational_age": ga(g), "length_mm": mm} for g, mm in serial]
    if history:
        unknown = set(history) - set(HISTORY_BOOLS) - set(HISTORY_COUNTS)
        if unknown:
            raise ValueError(f"unknown history field(s): {sorted(unknown)}")
        out["history"] = dict(history)
    return out


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``extra`` into a copy of ``base`` (one level of sections)."""
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = copy.deepcopy(value)
    return out


# --- hypothesis: valid cases ---------------------------------------------------------------

# Every gestational-age boundary of sections 2-4 (both profiles), as total days, so the
# generator hits both sides of each window often.
_BOUNDARY_LABELS = ("11+0", "12+0", "14+0", "15+0", "16+0", "20+0", "22+0", "23+0", "24+0", "24+1", "28+0",
                    "30+0", "32+0", "34+0", "36+0", "37+1")
_GA_BOUNDARIES = sorted({ga_days(ga(b)) + shift for b in _BOUNDARY_LABELS for shift in (-1, 0)})
_MIN_DAYS, _MAX_DAYS = 4 * 7, 42 * 7 + 6

# Mostly the weeks where the rules act (10+0..37+6), the boundaries, and now and then anything.
_total_days = st.one_of(
    st.sampled_from(_GA_BOUNDARIES), st.integers(70, 265), st.integers(112, 175), st.integers(_MIN_DAYS, _MAX_DAYS)
)
_lengths = st.one_of(
    st.sampled_from([0, 5, 9.9, 10, 15, 20, 20.5, 21, 24.9, 25, 25.1, 30, 45, 80]),
    st.floats(0, 35, allow_nan=False, allow_infinity=False),
    st.integers(0, 80),
)
_dilations = st.one_of(
    st.sampled_from([0, 0.5, 1, 2, 4, 4.5, 6, 10]),
    st.floats(0, 10, allow_nan=False, allow_infinity=False),
)


def _ga_dict(total: int) -> dict[str, int]:
    return {"weeks": total // 7, "days": total % 7}


_STEROID_MIN_DAYS = 22 * 7  # section 5: a course is dated 22+0 or later, and not after today
CERCLAGE_TYPES = ("transvaginal", "transabdominal", "unknown")


def set_length(data: dict[str, Any], mm: float | None) -> dict[str, Any]:
    """Set ``cervix.length_mm`` (None: not measured) and keep the serial measurements valid.

    Section 5: a serial measurement dated at the current GA must equal ``cervix.length_mm``, so
    those entries take the new value. Works on ``data`` in place and returns it.
    """
    cervix = data.setdefault("cervix", {})
    if mm is None:
        cervix.pop("length_mm", None)
    else:
        cervix["length_mm"] = mm
    return harmonise_serial(data)


def harmonise_serial(data: dict[str, Any]) -> dict[str, Any]:
    """Make every serial measurement dated at the current GA agree with today's length (section 5)."""
    now = ga_days(data["gestational_age"])
    today = [m for m in data.get("serial_cervical_lengths", []) if ga_days(m["gestational_age"]) == now]
    if not today:
        return data
    length = data.get("cervix", {}).get("length_mm")
    value = length if length is not None else today[0]["length_mm"]
    for measurement in today:
        measurement["length_mm"] = value
    return data


@st.composite
def valid_cases(draw: st.DrawFn, days: st.SearchStrategy[int] | None = None) -> dict[str, Any]:
    """A contract dict that satisfies every range and cross-field rule; optional parts omitted at random.

    ``days``: a strategy for the current GA in total days (default: mostly the weeks where the
    rules act, every window edge, and now and then anything in 4+0..42+6).
    """
    now = draw(days if days is not None else _total_days)
    out: dict[str, Any] = {"gestational_age": _ga_dict(now)}
    if draw(st.booleans()) and now % 7 == 0:
        out["gestational_age"] = {"weeks": now // 7}  # days may be omitted
    if draw(st.booleans()):
        out["plurality"] = draw(st.sampled_from([1, 1, 1, 2, 3, 4]))
    if draw(st.booleans()):
        history: dict[str, Any] = {}
        for name in HISTORY_COUNTS:
            if draw(st.booleans()):
                history[name] = draw(st.one_of(st.sampled_from([0, 1, 2, 3]), st.integers(0, 20)))
        for name in HISTORY_BOOLS:
            if draw(st.booleans()):
                history[name] = draw(st.booleans())
        out["history"] = history
    if draw(st.integers(0, 3)):  # three times in four
        cervix: dict[str, Any] = {}
        if draw(st.integers(0, 3)):
            cervix["length_mm"] = draw(st.one_of(st.none(), _lengths, _lengths))
        if draw(st.booleans()):
            cervix["dilation_cm"] = draw(st.one_of(st.none(), st.just(0), st.just(0.5), _dilations))
        if draw(st.booleans()):
            cervix["funneling"] = draw(st.booleans())
        at_os = draw(st.integers(0, 3)) == 0 and cervix.get("dilation_cm") != 0
        if at_os or draw(st.booleans()):
            cervix["membranes_at_or_beyond_external_os"] = at_os
        if at_os and draw(st.booleans()):
            cervix["membranes_prolapsed_into_vagina"] = draw(st.booleans())
        out["cervix"] = cervix
    if draw(st.booleans()):
        earlier = st.one_of(st.integers(_MIN_DAYS, now), st.just(now))  # today's date is a section 5 case
        out["serial_cervical_lengths"] = [
            {"gestational_age": _ga_dict(day), "length_mm": mm}
            for day, mm in draw(st.lists(st.tuples(earlier, _lengths), max_size=4))
        ]
    if draw(st.booleans()):
        status = draw(st.sampled_from(["intact", "intact", "ruptured"]))
        membranes: dict[str, Any] = {"status": status}
        if status == "ruptured" and draw(st.booleans()):
            membranes["rupture_gestational_age"] = _ga_dict(draw(st.integers(_MIN_DAYS, now)))
        elif draw(st.booleans()):
            membranes["rupture_gestational_age"] = None
        out["membranes"] = membranes
    if draw(st.booleans()):
        out["cerclage_in_place"] = draw(st.sampled_from([False, False, True]))
    # version 2: cerclage type only with a cerclage in place (null is "absent" and always allowed)
    if out.get("cerclage_in_place") and draw(st.booleans()):
        out["cerclage_type"] = draw(st.sampled_from([*CERCLAGE_TYPES, "transabdominal", None]))
    elif draw(st.integers(0, 7)) == 0:
        out["cerclage_type"] = None
    # version 2: RhD status (absent = unknown)
    if draw(st.booleans()):
        out["rhd_negative"] = draw(st.sampled_from([True, False, None]))
    # version 2: a corticosteroid course dated 22+0..today; courses 1..2 only with its GA
    if draw(st.integers(0, 3)) == 0:
        treatments: dict[str, Any] = {}
        if now >= _STEROID_MIN_DAYS and draw(st.integers(0, 5)):
            given = draw(st.one_of(st.integers(_STEROID_MIN_DAYS, now), st.integers(max(_STEROID_MIN_DAYS, now - 21), now)))
            treatments["antenatal_corticosteroids_ga"] = _ga_dict(given)
            if draw(st.booleans()):
                treatments["antenatal_corticosteroid_courses"] = draw(st.sampled_from([1, 1, 2]))
        out["treatments"] = treatments
    if draw(st.booleans()):
        # Mostly no red flag, sometimes one, now and then two.
        how_many = (0, 0, 0, 1, 1, 2)[draw(st.integers(0, 5))]
        chosen = draw(st.lists(st.sampled_from(RED_FLAGS), min_size=how_many, max_size=how_many, unique=True))
        out["red_flags"] = {name: name in chosen for name in draw(st.sets(st.sampled_from(RED_FLAGS)))}
        out["red_flags"].update(dict.fromkeys(chosen, True))
    return harmonise_serial(out)


# --- hypothesis: invalid (or arbitrary) input ---------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["19+3", "abc", "", "NaN", "1e400", "ruptured", "intact", "true"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=8,
)
_SECTIONS = ("gestational_age", "plurality", "history", "cervix", "serial_cervical_lengths", "membranes",
             "cerclage_in_place", "red_flags", "cerclage_type", "rhd_negative", "treatments")

# Contract-shaped dicts whose values are arbitrary JSON: reaches the nested validators.
contract_shaped = st.dictionaries(st.sampled_from(_SECTIONS), json_values, max_size=5)

# (path in the case, out-of-range or wrong-typed values) for single-field mutations.
_BAD_VALUES: dict[tuple[str, ...], list[Any]] = {
    ("gestational_age", "weeks"): [3, 43, -1, 2.5, "nineteen", None, math.nan, math.inf],
    ("gestational_age", "days"): [-1, 7, 3.5, "x", math.nan],
    ("plurality",): [0, 5, -2, 1.5, "twins", math.inf],
    ("history", "second_trimester_losses_painless_dilation"): [-1, 21, 0.5, "two"],
    ("history", "spontaneous_preterm_births_before_34w"): [-3, 100, "", math.nan],
    ("history", "cervical_surgery"): ["maybe", 7, [], {}],
    ("cervix", "length_mm"): [-0.1, 80.5, 1000, "short", math.nan, -math.inf],
    ("cervix", "dilation_cm"): [-1, 10.1, 11, "open", math.inf],
    ("membranes", "status"): ["broken", "", 1, None],
    ("cerclage_in_place",): ["yes please", 2, []],
    ("red_flags", "fetal_demise"): ["perhaps", {}, 3],
    # version 2 fields
    ("rhd_negative",): ["negative", "perhaps", 2, [], {}],
    ("cerclage_type",): ["vaginal", "TAC", "", 1, []],
    ("treatments", "antenatal_corticosteroid_courses"): [0, 3, -1, 1.5, "two"],
    ("treatments", "antenatal_corticosteroids_ga"): ["23+2", 23, []],
}


@st.composite
def mutated_cases(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A valid case with exactly one thing broken; returns (case, what was broken)."""
    base = draw(valid_cases())
    kind = draw(st.sampled_from(["bad_value", "unknown_top", "unknown_nested", "cross_field"]))
    if kind == "bad_value":
        path = draw(st.sampled_from(sorted(_BAD_VALUES)))
        value = draw(st.sampled_from(_BAD_VALUES[path]))
        node = base
        for part in path[:-1]:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[path[-1]] = value
        return base, "value " + ".".join(path)
    if kind == "unknown_top":
        name = draw(st.sampled_from(["gestational_age_weeks", "plurallity", "notes", "patient_name", "GA"]))
        base[name] = draw(json_values)
        return base, "unknown " + name
    if kind == "unknown_nested":
        section = draw(st.sampled_from(["gestational_age", "history", "cervix", "membranes", "red_flags", "treatments"]))
        name = draw(st.sampled_from(["lenght_mm", "extra", "weeks_", "bleeding", "Status"]))
        if not isinstance(base.get(section), dict):
            base[section] = {}
        base[section][name] = draw(json_values)
        return base, f"unknown {section}.{name}"
    # cross-field: one of the section 5 rules between fields
    now = ga_days(base["gestational_age"])
    rule = draw(st.sampled_from(["rupture_later", "rupture_intact", "os_closed", "prolapsed_alone", "serial_later",
                                 "steroids_later", "steroids_before_22", "courses_without_ga", "type_without_cerclage",
                                 "serial_today_differs"]))
    if rule == "steroids_later" and now < _MAX_DAYS:
        base["treatments"] = {"antenatal_corticosteroids_ga": _ga_dict(draw(st.integers(now + 1, _MAX_DAYS)))}
    elif rule in {"steroids_before_22", "steroids_later"}:
        base["treatments"] = {"antenatal_corticosteroids_ga": _ga_dict(draw(st.integers(_MIN_DAYS, _STEROID_MIN_DAYS - 1)))}
    elif rule == "courses_without_ga":
        base["treatments"] = {"antenatal_corticosteroid_courses": draw(st.sampled_from([1, 2]))}
    elif rule == "type_without_cerclage":
        base["cerclage_in_place"] = draw(st.sampled_from([False, None]))
        if base["cerclage_in_place"] is None:
            del base["cerclage_in_place"]
        base["cerclage_type"] = draw(st.sampled_from(CERCLAGE_TYPES))
    elif rule == "serial_today_differs":
        length = draw(st.integers(0, 79))
        base["cervix"] = {**base.get("cervix", {}), "length_mm": length}
        base["serial_cervical_lengths"] = [
            *[m for m in base.get("serial_cervical_lengths", []) if ga_days(m["gestational_age"]) != now],
            {"gestational_age": _ga_dict(now), "length_mm": length + 1},
        ]
    elif rule == "rupture_later" and now < _MAX_DAYS:
        base["membranes"] = {"status": "ruptured", "rupture_gestational_age": _ga_dict(draw(st.integers(now + 1, _MAX_DAYS)))}
    elif rule == "rupture_intact" or rule == "rupture_later":
        base["membranes"] = {"status": "intact", "rupture_gestational_age": _ga_dict(draw(st.integers(_MIN_DAYS, now)))}
    elif rule == "os_closed":
        base["cervix"] = {**base.get("cervix", {}), "dilation_cm": 0, "membranes_at_or_beyond_external_os": True}
    elif rule == "prolapsed_alone":
        base["cervix"] = {**base.get("cervix", {}), "membranes_at_or_beyond_external_os": False,
                          "membranes_prolapsed_into_vagina": True}
    elif now < _MAX_DAYS:
        later = draw(st.integers(now + 1, _MAX_DAYS))
        base["serial_cervical_lengths"] = [*base.get("serial_cervical_lengths", []),
                                           {"gestational_age": _ga_dict(later), "length_mm": 20}]
    else:  # nothing can be later than 42+6: use another rule
        base["membranes"] = {"status": "intact", "rupture_gestational_age": _ga_dict(now)}
    return base, "cross " + rule
