"""clinical-spec.md version 2, section 9: the safety invariants as property tests, both profiles.

Each invariant has its own strategy that forces the finding it is about (an invariant checked
only on cases where it holds trivially proves nothing): the test asserts the precondition on
every generated case, labels what it drew with ``event()``, and a companion test shows with
``find()`` that the strategy reaches the cases where the invariant has work to do (for example
a contraindication together with an open cervix in the bed-rest window). Invariants 4 (patient
view part) and 7 are in ``test_invariants_patient_view.py``.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from casefacts import (
    OFFER_RANK,
    OFFERED,
    PLACEMENT,
    cerclage,
    contraindications,
    d,
    days,
    flag,
    plurality,
    ruptured,
    today_length,
)
from hypothesis import HealthCheck, event, find, given, settings
from hypothesis import strategies as st
from strategies import RED_FLAGS, ga_days, harmonise_serial, set_length, valid_cases

from decision import ASSESSMENT_IDS, OPTION_IDS, parse_case
from decision import evaluate as evaluate_explained
from decision.engine import evaluate_case


def evaluate(data: dict, profile: str = "acog"):
    """Statuses and rationales without the section-10 what-if search (the invariants read statuses);
    invariant 9 reads the sources of the explained assessment (evaluate_explained)."""
    return evaluate_case(parse_case(data), profile, explain=False)

PROFILES = ("acog", "rcog")
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIND = settings(max_examples=3000, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))
LABOR, BLEEDING, INFECTION = "regular_contractions_or_labor", "vaginal_bleeding", "signs_of_intraamniotic_infection"
DEMISE, LETHAL = "fetal_demise", "lethal_fetal_anomaly"
CONTRA_KEYS = ("ruptured", *RED_FLAGS)


def offered(status: str) -> bool:
    return status in OFFERED


# ---- building blocks: force one finding onto a valid case, keeping section 5 valid ----------

def with_flags(data: dict[str, Any], *names: str) -> dict[str, Any]:
    data["red_flags"] = {**data.get("red_flags", {}), **dict.fromkeys(names, True)}
    return data


def without_flags(data: dict[str, Any], *names: str) -> dict[str, Any]:
    if "red_flags" in data:
        data["red_flags"] = {k: v for k, v in data["red_flags"].items() if k not in names}
    return data


def make_ruptured(data: dict[str, Any]) -> dict[str, Any]:
    data["membranes"] = {"status": "ruptured"}
    return data


def make_intact(data: dict[str, Any]) -> dict[str, Any]:
    data["membranes"] = {"status": "intact"}
    return data


def without_cerclage(data: dict[str, Any]) -> dict[str, Any]:
    data["cerclage_in_place"] = False
    data.pop("cerclage_type", None)
    return data


def replace_cervix(data: dict[str, Any], cervix: dict[str, Any]) -> dict[str, Any]:
    """Set the cervix; without a length, no serial measurement may be today's length either."""
    data["cervix"] = dict(cervix)
    if cervix.get("length_mm") is None:
        now = days(data)
        data["serial_cervical_lengths"] = [m for m in data.get("serial_cervical_lengths", [])
                                           if ga_days(m["gestational_age"]) != now]
    return harmonise_serial(data)


_DILATIONS = st.one_of(st.sampled_from([1, 1.5, 2, 3, 4, 4.5, 5, 6, 8, 10]), st.floats(1, 10, allow_nan=False))
_SHORT = st.sampled_from([0, 5, 9.9, 10, 15, 20, 24.9, 25])
_LONG = st.sampled_from([25.1, 26, 30, 35, 45])


@st.composite
def open_cervices(draw: st.DrawFn) -> dict[str, Any]:
    """A cervix that is open: each way 3.4 names CI, and the external-os-only pattern that is not CI."""
    kind = draw(st.sampled_from(["at_os", "prolapsed", "no_tvcl", "funneling", "short", "long_os_only"]))
    dilation = draw(_DILATIONS)
    cervix: dict[str, Any] = {"dilation_cm": dilation}
    if kind in {"at_os", "prolapsed"}:
        cervix["membranes_at_or_beyond_external_os"] = True
        if draw(st.booleans()):
            cervix.pop("dilation_cm")  # not examined: still open
        if kind == "prolapsed":
            cervix["membranes_prolapsed_into_vagina"] = True
    elif kind == "no_tvcl":
        cervix["dilation_cm"] = max(dilation, 2)
    elif kind == "funneling":
        cervix["funneling"] = True
        cervix["length_mm"] = draw(st.one_of(_SHORT, _LONG))
    elif kind == "short":
        cervix["length_mm"] = draw(_SHORT)
    else:
        cervix["length_mm"] = draw(_LONG)
    return cervix


def forced(base: st.SearchStrategy[dict[str, Any]], *steps) -> st.SearchStrategy[dict[str, Any]]:
    """``base`` with each step applied: a step is ``fn(data, draw)``."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        data = copy.deepcopy(draw(base))
        for step in steps:
            data = step(data, draw)
        return data

    return build()


def maybe_open_cervix(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    return replace_cervix(data, draw(open_cervices())) if draw(st.booleans()) else data


def some_contraindications(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(CONTRA_KEYS), min_size=1, max_size=3, unique=True))
    for key in chosen:
        data = make_ruptured(data) if key == "ruptured" else with_flags(data, key)
    return data


def any_ga(low: str, high: str) -> st.SearchStrategy[int]:
    return st.integers(d(low), d(high))


# ---- invariant 1: no dead ends --------------------------------------------------------------

@st.composite
def single_finding_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A bare case with at most one finding: where an empty screen is most likely."""
    now = draw(st.integers(d("4+0"), d("42+6")))
    data: dict[str, Any] = {"gestational_age": {"weeks": now // 7, "days": now % 7}}
    finding = draw(st.sampled_from(["none", "flag", "ruptured", "cerclage", "twins", "history", "length", "open",
                                    "rhd", "steroids"]))
    if finding == "flag":
        with_flags(data, draw(st.sampled_from(RED_FLAGS)))
    elif finding == "ruptured":
        make_ruptured(data)
    elif finding == "cerclage":
        data["cerclage_in_place"] = True
        data["cerclage_type"] = draw(st.sampled_from(["transvaginal", "transabdominal", "unknown"]))
    elif finding == "twins":
        data["plurality"] = draw(st.integers(2, 4))
    elif finding == "history":
        field = draw(st.sampled_from(["second_trimester_losses_painless_dilation", "spontaneous_preterm_births_before_34w",
                                      "cervical_surgery", "prior_cerclage_for_painless_dilation"]))
        data["history"] = {field: 1 if field.startswith(("second", "spont")) else True}
    elif finding == "length":
        data["cervix"] = {"length_mm": draw(st.sampled_from([0, 5, 9.9, 10, 15, 20, 25, 30]))}
    elif finding == "open":
        replace_cervix(data, draw(open_cervices()))
    elif finding == "rhd":
        data["rhd_negative"] = draw(st.booleans())
    elif finding == "steroids" and now >= d("22+0"):
        given_at = draw(st.integers(d("22+0"), now))
        data["treatments"] = {"antenatal_corticosteroids_ga": {"weeks": given_at // 7, "days": given_at % 7},
                              "antenatal_corticosteroid_courses": draw(st.sampled_from([1, 2]))}
    return data


def no_dead_end(assessment) -> bool:
    return any(offered(s) for s in (*assessment.statuses().values(), *assessment.assessment_statuses().values()))


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=st.one_of(valid_cases(), single_finding_cases()))
def test_9_1_no_dead_ends(profile: str, data: dict) -> None:
    event(f"contraindications: {len(contraindications(data))}")
    assessment = evaluate(data, profile=profile)
    assert no_dead_end(assessment), (assessment.statuses(), assessment.assessment_statuses())


_SWEEP_FINDINGS = {
    "nothing": {},
    **{flag_name: {"red_flags": {flag_name: True}} for flag_name in RED_FLAGS},
    "ruptured": {"membranes": {"status": "ruptured"}},
    "cerclage": {"cerclage_in_place": True},
    "transabdominal": {"cerclage_in_place": True, "cerclage_type": "transabdominal"},
    "twins": {"plurality": 2},
    "prior_loss": {"history": {"second_trimester_losses_painless_dilation": 1}},
    "length_8": {"cervix": {"length_mm": 8}},
    "length_18": {"cervix": {"length_mm": 18}},
    "dilated_2": {"cervix": {"dilation_cm": 2}},
    "dilated_5": {"cervix": {"dilation_cm": 5}},
    "os_only": {"cervix": {"dilation_cm": 2, "length_mm": 35}},
    "rhd_negative": {"rhd_negative": True},
}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("finding", list(_SWEEP_FINDINGS))
def test_9_1_no_dead_end_every_day_4_to_42_weeks(profile: str, finding: str) -> None:
    """Deterministic companion: each single finding on every day from 4+0 to 42+6."""
    dead = []
    for total in range(d("4+0"), d("42+6") + 1):
        data = {"gestational_age": {"weeks": total // 7, "days": total % 7}, **copy.deepcopy(_SWEEP_FINDINGS[finding])}
        if not no_dead_end(evaluate(data, profile=profile)):
            dead.append(f"{total // 7}+{total % 7}")
    assert not dead, f"{finding}: dead end at {dead[:10]} ({len(dead)} days)"


# ---- invariant 2: any 3.1 contraindication: no cerclage placement and no bed rest offered -----

contraindicated_cases = forced(valid_cases(), some_contraindications, maybe_open_cervix)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=contraindicated_cases)
def test_9_2_contraindication_no_placement_no_bed_rest(profile: str, data: dict) -> None:
    found = contraindications(data)
    assert found  # the strategy forces one
    for name in sorted(found):
        event(f"3.1 finding: {name}")
    statuses = evaluate(data, profile=profile).statuses()
    for option in PLACEMENT:
        assert not offered(statuses[option]), (option, statuses[option])
    assert not offered(statuses["trendelenburg_bed_rest"])


def test_9_2_strategy_reaches_open_cervix_in_bed_rest_window() -> None:
    """A flag (membranes intact) with CI above 4 cm at 14+0..33+6 and no cerclage: bed rest would otherwise be consider."""
    example = find(contraindicated_cases, lambda c: (
        not ruptured(c) and not cerclage(c) and d("14+0") <= days(c) <= d("33+6")
        and (c.get("cervix", {}).get("dilation_cm") or 0) > 4 and c["cervix"].get("membranes_at_or_beyond_external_os")
        and (flag(c, BLEEDING) or flag(c, LETHAL))), settings=FIND)
    assert contraindications(example)


# ---- invariant 3: from 34+0, bed rest is never offered --------------------------------------

late_cases = forced(valid_cases(days=any_ga("34+0", "42+6")), maybe_open_cervix)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=late_cases)
def test_9_3_no_bed_rest_from_34_weeks(profile: str, data: dict) -> None:
    assert days(data) >= d("34+0")
    event(f"open cervix: {bool(data.get('cervix', {}).get('dilation_cm'))}")
    assert not offered(evaluate(data, profile=profile).option("trendelenburg_bed_rest").status)


def test_9_3_strategy_reaches_late_dilation_without_flags() -> None:
    example = find(late_cases, lambda c: (
        not contraindications(c) and not cerclage(c) and (c.get("cervix", {}).get("dilation_cm") or 0) > 4), settings=FIND)
    assert days(example) >= d("34+0")


# ---- invariant 4 (engine part): lethal anomaly or demise: preparation never offered ------------

def lethal_or_demise(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    return with_flags(data, *draw(st.sampled_from([(LETHAL,), (DEMISE,), (LETHAL, DEMISE)])))


def maybe_labor_or_pprom(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    choice = draw(st.sampled_from(["none", "labor", "pprom", "both", "infection", "bleeding"]))
    if choice in {"labor", "both"}:
        with_flags(data, LABOR)
    if choice in {"pprom", "both"}:
        make_ruptured(data)
    if choice == "infection":
        with_flags(data, INFECTION)
    if choice == "bleeding":
        with_flags(data, BLEEDING)
    return data


no_fetal_benefit_cases = forced(st.one_of(valid_cases(), valid_cases(days=any_ga("22+0", "36+6"))),
                                lethal_or_demise, maybe_labor_or_pprom, maybe_open_cervix)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=no_fetal_benefit_cases)
def test_9_4_lethal_or_demise_no_preterm_birth_preparation(profile: str, data: dict) -> None:
    assert flag(data, LETHAL) or flag(data, DEMISE)
    event("lethal" if flag(data, LETHAL) else "demise")
    status = evaluate(data, profile=profile).option("preterm_birth_preparation").status
    assert not offered(status), status


def test_9_4_strategy_reaches_labor_or_pprom_in_steroid_window() -> None:
    example = find(no_fetal_benefit_cases, lambda c: (
        d("24+0") <= days(c) <= d("33+6") and (ruptured(c) or flag(c, LABOR)) and flag(c, LETHAL)
        and not flag(c, DEMISE)), settings=FIND)
    assert flag(example, LETHAL)


# ---- invariant 5: infection: delivery recommended, expectant management not offered ------------

infection_cases = forced(st.one_of(valid_cases(), valid_cases(days=any_ga("20+0", "36+6"))),
                         lambda c, draw: with_flags(c, INFECTION), maybe_labor_or_pprom, maybe_open_cervix)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=infection_cases)
def test_9_5_infection_delivery_recommended_no_expectant(profile: str, data: dict) -> None:
    assert flag(data, INFECTION)
    event(f"ruptured: {ruptured(data)}")
    statuses = evaluate(data, profile=profile).statuses()
    assert statuses["delivery"] == "recommended"
    assert not offered(statuses["pprom_expectant_management"])


def test_9_5_strategy_reaches_pprom_where_expectant_would_be_recommended() -> None:
    example = find(infection_cases, lambda c: (
        ruptured(c) and d("24+0") <= days(c) <= d("33+6") and plurality(c) == 1 and not flag(c, LABOR)), settings=FIND)
    assert flag(example, INFECTION)


# ---- invariant 6: PPROM with labor: expectant management not offered --------------------------

pprom_labor_cases = forced(st.one_of(valid_cases(), valid_cases(days=any_ga("16+0", "36+6"))),
                           lambda c, draw: with_flags(make_ruptured(c), LABOR))


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=pprom_labor_cases)
def test_9_6_pprom_with_labor_no_expectant_management(profile: str, data: dict) -> None:
    assert ruptured(data)
    assert flag(data, LABOR)
    event(f"weeks {days(data) // 7 // 4 * 4}+")
    assert not offered(evaluate(data, profile=profile).option("pprom_expectant_management").status)


def test_9_6_strategy_reaches_24_to_36_weeks_without_infection() -> None:
    example = find(pprom_labor_cases, lambda c: (
        d("24+0") <= days(c) <= d("36+6") and not flag(c, INFECTION) and not flag(c, DEMISE)
        and not flag(c, LETHAL) and plurality(c) == 1), settings=FIND)
    assert ruptured(example)


# ---- invariant 8: twins or more: no US/history cerclage, progesterone or routine surveillance ------

def multiples(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    data["plurality"] = draw(st.integers(2, 4))
    if draw(st.booleans()):
        data["history"] = {**data.get("history", {}),
                           draw(st.sampled_from(["second_trimester_losses_painless_dilation",
                                                 "spontaneous_preterm_births_before_34w"])): draw(st.integers(1, 4))}
    if draw(st.booleans()):
        set_length(data, draw(_SHORT))
        if "dilation_cm" in data["cervix"] and data["cervix"]["dilation_cm"] != 0:
            data["cervix"]["dilation_cm"] = 0
            data["cervix"].pop("membranes_at_or_beyond_external_os", None)
            data["cervix"].pop("membranes_prolapsed_into_vagina", None)
    return data


twin_cases = forced(st.one_of(valid_cases(), valid_cases(days=any_ga("10+0", "24+0"))), multiples)
TWIN_NOT_OFFERED = ("ultrasound_indicated_cerclage", "vaginal_progesterone", "history_indicated_cerclage",
                    "serial_cervical_length_surveillance")


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=twin_cases)
def test_9_8_multiples_no_singleton_prevention(profile: str, data: dict) -> None:
    assert plurality(data) >= 2
    event(f"short cervix: {today_length(data) is not None and today_length(data) < 25}")
    statuses = evaluate(data, profile=profile).statuses()
    for option in TWIN_NOT_OFFERED:
        assert not offered(statuses[option]), (option, statuses[option])


@pytest.mark.parametrize(
    "condition",
    [
        pytest.param(lambda c: (d("12+0") <= days(c) <= d("14+6") and not contraindications(c) and not cerclage(c)
                                and c.get("history", {}).get("second_trimester_losses_painless_dilation", 0) >= 1),
                     id="history-cerclage-window"),
        pytest.param(lambda c: (d("16+0") <= days(c) <= d("23+6") and not contraindications(c) and not cerclage(c)
                                and c.get("history", {}).get("spontaneous_preterm_births_before_34w", 0) >= 1
                                and today_length(c) is not None and today_length(c) < 25),
                     id="short-cervix-with-history"),
    ],
)
def test_9_8_strategy_reaches_singleton_indications(condition) -> None:
    assert plurality(find(twin_cases, condition, settings=FIND)) >= 2


# ---- invariant 9: under rcog, every status that differs from acog cites RCOG or NICE ----------

@st.composite
def rcog_sensitive_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Cases near the section 4 differences: history counts, 25 mm, 24+0, 27+6, 22+0-23+6, 34+0-36+6."""
    kind = draw(st.sampled_from(["history", "length", "late_ci", "steroids"]))
    if kind == "history":
        data = draw(valid_cases(days=any_ga("10+0", "18+0")))
        data["history"] = {"second_trimester_losses_painless_dilation": draw(st.integers(0, 4)),
                           "spontaneous_preterm_births_before_34w": draw(st.integers(0, 4))}
    elif kind == "length":
        data = draw(valid_cases(days=any_ga("14+0", "25+0")))
        set_length(data, draw(st.sampled_from([5, 9.9, 10, 20, 24.9, 25, 25.1, 30])))
    elif kind == "late_ci":
        data = replace_cervix(draw(valid_cases(days=any_ga("22+0", "29+0"))), draw(open_cervices()))
    else:
        data = maybe_labor_or_pprom(draw(valid_cases(days=any_ga("21+0", "37+0"))), draw)
    return data


RCOG_OR_NICE = ("RCOG-", "NICE-")


@SETTINGS
@given(data=st.one_of(valid_cases(), rcog_sensitive_cases()))
def test_9_9_rcog_differences_cite_rcog_or_nice(data: dict) -> None:
    acog = evaluate_explained(data, profile="acog")
    rcog = evaluate_explained(data, profile="rcog")
    differing = 0
    for target in (*OPTION_IDS, *ASSESSMENT_IDS):
        a = acog.option(target) if target in OPTION_IDS else acog.assessment(target)
        r = rcog.option(target) if target in OPTION_IDS else rcog.assessment(target)
        if a.status != r.status:
            differing += 1
            assert any(s.startswith(RCOG_OR_NICE) for s in r.sources), (target, a.status, r.status, r.sources)
    event(f"differing statuses: {min(differing, 3)}")


def test_9_9_strategy_reaches_profile_differences() -> None:
    def differs(c: dict) -> bool:
        return evaluate(c, profile="acog").statuses() != evaluate(c, profile="rcog").statuses()

    assert differs(find(rcog_sensitive_cases(), differs, settings=FIND))


# ---- invariant 10: a shorter cervix never makes cerclage or progesterone less offered ----------

MONOTONE_OPTIONS = (*PLACEMENT, "vaginal_progesterone")
_PAIR_LENGTHS = st.one_of(st.sampled_from([0, 5, 9.9, 10, 15, 19.9, 20, 20.1, 24.9, 25, 25.1, 29.9, 30, 40]),
                          st.floats(0, 45, allow_nan=False))


@st.composite
def length_pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    base = draw(st.one_of(valid_cases(days=any_ga("11+0", "34+6")), valid_cases(days=any_ga("13+0", "25+0"))))
    if draw(st.booleans()):  # often a history, the indication that needs a length
        base["history"] = {**base.get("history", {}),
                           draw(st.sampled_from(["second_trimester_losses_painless_dilation",
                                                 "spontaneous_preterm_births_before_34w"])): 1}
    first, second = draw(_PAIR_LENGTHS), draw(_PAIR_LENGTHS)
    shorter, longer = sorted((first, second))
    return set_length(copy.deepcopy(base), shorter), set_length(copy.deepcopy(base), longer)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(pair=length_pairs())
def test_9_10_shorter_cervix_never_less_offered(profile: str, pair: tuple[dict, dict]) -> None:
    shorter, longer = pair
    assert today_length(shorter) <= today_length(longer)
    s = evaluate(shorter, profile=profile).statuses()
    l_ = evaluate(longer, profile=profile).statuses()
    for option in MONOTONE_OPTIONS:
        assert OFFER_RANK[s[option]] >= OFFER_RANK[l_[option]], (option, today_length(shorter), s[option],
                                                                  today_length(longer), l_[option])
    event("strictly more offered" if any(OFFER_RANK[s[o]] > OFFER_RANK[l_[o]] for o in MONOTONE_OPTIONS) else "same")


@pytest.mark.parametrize("profile", PROFILES)
def test_9_10_strategy_reaches_pairs_that_differ(profile: str) -> None:
    def differs(pair: tuple[dict, dict]) -> bool:
        s = evaluate(pair[0], profile=profile).statuses()
        l_ = evaluate(pair[1], profile=profile).statuses()
        return any(s[o] != l_[o] for o in MONOTONE_OPTIONS)

    assert differs(find(length_pairs(), differs, settings=FIND))


# ---- invariant 11: below 12+0 no placement (planning apart) nor bed rest; PTL assessment 20+0..33+6 --

def early_findings(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    data = maybe_open_cervix(data, draw)
    if draw(st.booleans()):
        data = with_flags(data, draw(st.sampled_from([LABOR, BLEEDING])))
    if draw(st.booleans()):
        data["history"] = {**data.get("history", {}), "second_trimester_losses_painless_dilation": draw(st.integers(1, 3))}
    return data


early_cases = forced(valid_cases(days=any_ga("4+0", "11+6")), early_findings)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=early_cases)
def test_9_11_below_12_weeks_no_placement_no_bed_rest(profile: str, data: dict) -> None:
    assert days(data) < d("12+0")
    event(f"open: {bool(data.get('cervix', {}).get('dilation_cm'))}")
    statuses = evaluate(data, profile=profile).statuses()
    for option in ("ultrasound_indicated_cerclage", "physical_exam_indicated_cerclage", "trendelenburg_bed_rest"):
        assert not offered(statuses[option]), (option, statuses[option])


def test_9_11_strategy_reaches_early_dilation_with_history() -> None:
    example = find(early_cases, lambda c: (
        (c.get("cervix", {}).get("dilation_cm") or 0) >= 2 and not contraindications(c)
        and c.get("history", {}).get("second_trimester_losses_painless_dilation", 0) >= 1), settings=FIND)
    assert days(example) < d("12+0")


def ptl_findings(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    choice = draw(st.sampled_from(["labor", "ci", "short"]))
    if choice == "labor":
        return with_flags(make_intact(data), LABOR)
    if choice == "ci":
        return replace_cervix(make_intact(data), draw(open_cervices()))
    return set_length(data, draw(st.sampled_from([0, 5, 9.9])))


outside_ptl_cases = forced(st.one_of(valid_cases(days=any_ga("4+0", "19+6")), valid_cases(days=any_ga("34+0", "42+6"))),
                           ptl_findings)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=outside_ptl_cases)
def test_9_11_preterm_labor_assessment_only_at_20_to_33_weeks(profile: str, data: dict) -> None:
    assert not d("20+0") <= days(data) <= d("33+6")
    event("before 20+0" if days(data) < d("20+0") else "from 34+0")
    status = evaluate(data, profile=profile).assessment("preterm_labor_assessment").status
    assert not offered(status), status


def test_9_11_strategy_reaches_labor_just_outside_the_window() -> None:
    for low, high in (("19+0", "19+6"), ("34+0", "34+6")):
        example = find(outside_ptl_cases, lambda c, lo=low, hi=high: (
            d(lo) <= days(c) <= d(hi) and flag(c, LABOR) and not ruptured(c)), settings=FIND)
        assert flag(example, LABOR)


# ---- invariant 12: a transabdominal cerclage is never removal recommended ---------------------

def transabdominal(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    data["cerclage_in_place"] = True
    data["cerclage_type"] = "transabdominal"
    return maybe_labor_or_pprom(data, draw) if draw(st.booleans()) else data


transabdominal_cases = forced(st.one_of(valid_cases(), valid_cases(days=any_ga("30+0", "42+6"))), transabdominal,
                              maybe_open_cervix)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=transabdominal_cases)
def test_9_12_transabdominal_never_removal_recommended(profile: str, data: dict) -> None:
    assert cerclage(data)
    assert data["cerclage_type"] == "transabdominal"
    event(", ".join(sorted(contraindications(data))) or "no 3.1 finding")
    assert evaluate(data, profile=profile).option("cerclage_removal").status != "recommended"


@pytest.mark.parametrize(
    "condition",
    [
        pytest.param(lambda c: days(c) >= d("36+0") and not contraindications(c), id="36-weeks"),
        pytest.param(lambda c: flag(c, LABOR), id="labor"),
        pytest.param(lambda c: flag(c, INFECTION), id="infection"),
        pytest.param(lambda c: ruptured(c) and days(c) >= d("34+0"), id="pprom-34-weeks"),
        pytest.param(lambda c: flag(c, DEMISE), id="demise"),
        pytest.param(lambda c: (c.get("cervix", {}).get("dilation_cm") or 0) >= 2, id="failing"),
    ],
)
def test_9_12_strategy_reaches_removal_triggers(condition) -> None:
    assert find(transabdominal_cases, condition, settings=FIND)["cerclage_type"] == "transabdominal"


# ---- invariant 13: from 34+0, CI on examination alone never offers preterm-birth preparation ----

def ci_alone(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    data = without_cerclage(without_flags(make_intact(data), *RED_FLAGS))
    cervix = draw(open_cervices())
    return replace_cervix(data, cervix)


late_ci_cases = forced(valid_cases(days=any_ga("34+0", "37+6")), ci_alone)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=late_ci_cases)
def test_9_13_late_ci_alone_no_preparation(profile: str, data: dict) -> None:
    assert days(data) >= d("34+0")
    assert not contraindications(data)
    assert not cerclage(data)
    event("pattern: " + ", ".join(sorted(k for k, v in data["cervix"].items() if v is True)) or "dilation only")
    status = evaluate(data, profile=profile).option("preterm_birth_preparation").status
    assert not offered(status), status


def test_9_13_strategy_reaches_each_ci_pattern() -> None:
    for key in ("membranes_prolapsed_into_vagina", "funneling"):
        assert find(late_ci_cases, lambda c, k=key: bool(c["cervix"].get(k)), settings=FIND)
    assert find(late_ci_cases, lambda c: (c["cervix"].get("dilation_cm") or 0) >= 2 and today_length(c) is None,
                settings=FIND)
