"""Shareable links (decision/querystring.py): round trip per field, each kind of ignored parameter,
and random query strings that never break and never lose a parameter silently."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as hst
from strategies import case, contract_shaped, merge, valid_cases

from decision import parse_case, querystring
from decision.querystring import (
    KNOWN,
    MAX_LINK,
    MAX_VALUE,
    PARAMS,
    PROFILE_PARAM,
    Ignored,
    case_to_params,
    compact_case,
    has_known,
    link_length,
    params_to_case,
    params_to_profile,
    parse_value,
    query_string,
    read_link,
)

# (parameter under test, case, its link parameters)
FIELDS: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("ga", case("19+3"), {"ga": "19+3"}),
    ("n", case("20+0", plurality=2), {"ga": "20+0", "n": "2"}),
    ("loss", case("13+0", second_trimester_losses_painless_dilation=1), {"ga": "13+0", "loss": "1"}),
    ("sptb", case("20+0", spontaneous_preterm_births_before_34w=2), {"ga": "20+0", "sptb": "2"}),
    ("pcerc", case("13+0", prior_cerclage_for_painless_dilation=True), {"ga": "13+0", "pcerc": "1"}),
    ("surg", case("20+0", cervical_surgery=True), {"ga": "20+0", "surg": "1"}),
    ("des", case("20+0", in_utero_des_exposure=True), {"ga": "20+0", "des": "1"}),
    ("anom", case("20+0", uterine_or_cervical_anomaly=True), {"ga": "20+0", "anom": "1"}),
    ("trauma", case("20+0", cervical_trauma=True), {"ga": "20+0", "trauma": "1"}),
    ("cl", case("19+3", length=18), {"ga": "19+3", "cl": "18"}),
    ("cl", case("19+3", length=24.9), {"ga": "19+3", "cl": "24.9"}),
    ("dil", case("21+0", dilation=2), {"ga": "21+0", "dil": "2"}),
    ("dil", case("21+0", dilation=0), {"ga": "21+0", "dil": "0"}),
    ("fun", case("20+0", funneling=True), {"ga": "20+0", "fun": "1"}),
    ("os", case("21+0", dilation=2, at_os=True), {"ga": "21+0", "dil": "2", "os": "1"}),
    ("prol", case("21+0", dilation=4, prolapsed=True), {"ga": "21+0", "dil": "4", "os": "1", "prol": "1"}),
    ("mem", case("19+3", ruptured=True), {"ga": "19+3", "mem": "r"}),
    ("rga", case("19+3", rupture_at="19+0"), {"ga": "19+3", "mem": "r", "rga": "19+0"}),
    ("cerc", case("20+0", cerclage=True), {"ga": "20+0", "cerc": "1"}),
    ("labor", case("20+0", flags=["regular_contractions_or_labor"]), {"ga": "20+0", "labor": "1"}),
    ("bleed", case("20+0", flags=["vaginal_bleeding"]), {"ga": "20+0", "bleed": "1"}),
    ("inf", case("20+0", flags=["signs_of_intraamniotic_infection"]), {"ga": "20+0", "inf": "1"}),
    ("demise", case("20+0", flags=["fetal_demise"]), {"ga": "20+0", "demise": "1"}),
    ("lethal", case("20+0", flags=["lethal_fetal_anomaly"]), {"ga": "20+0", "lethal": "1"}),
    ("serial", case("20+0", length=20, serial=[("16+0", 31), ("18+0", 24.5)]),
     {"ga": "20+0", "cl": "20", "serial": "16+0:31;18+0:24.5"}),
    # version 2 inputs
    ("ctype", merge(case("30+0", cerclage=True), {"cerclage_type": "transabdominal"}),
     {"ga": "30+0", "cerc": "1", "ctype": "ta"}),
    ("ctype", merge(case("30+0", cerclage=True), {"cerclage_type": "transvaginal"}),
     {"ga": "30+0", "cerc": "1", "ctype": "tv"}),
    ("ctype", merge(case("30+0", cerclage=True), {"cerclage_type": "unknown"}),
     {"ga": "30+0", "cerc": "1", "ctype": "unk"}),
    ("acs", merge(case("26+0"), {"treatments": {"antenatal_corticosteroids_ga": {"weeks": 23, "days": 2}}}),
     {"ga": "26+0", "acs": "23+2"}),
    ("acsn", merge(case("30+0"), {"treatments": {"antenatal_corticosteroids_ga": {"weeks": 24, "days": 0},
                                                 "antenatal_corticosteroid_courses": 2}}),
     {"ga": "30+0", "acs": "24+0", "acsn": "2"}),
    ("rh", merge(case("20+0", flags=["vaginal_bleeding"]), {"rhd_negative": True}),
     {"ga": "20+0", "rh": "neg", "bleed": "1"}),
    ("rh", merge(case("20+0"), {"rhd_negative": False}), {"ga": "20+0", "rh": "pos"}),
]


def test_every_parameter_has_a_round_trip_case():
    assert {name for name, _case, _params in FIELDS} == set(PARAMS)


@pytest.mark.parametrize(("name", "given_case", "params"), FIELDS, ids=[f"{n}-{i}" for i, (n, _c, _p) in enumerate(FIELDS)])
def test_round_trip_per_field(name, given_case, params):
    assert case_to_params(given_case) == params
    back, ignored = params_to_case(params)
    assert ignored == []
    assert back == compact_case(given_case)
    parse_case(back)


def test_defaults_are_left_out():
    full = {"gestational_age": {"weeks": 20, "days": 0}, "plurality": 1,
            "history": {"second_trimester_losses_painless_dilation": 0, "cervical_surgery": False},
            "cervix": {"length_mm": None, "funneling": False}, "membranes": {"status": "intact"},
            "cerclage_in_place": False, "red_flags": {"fetal_demise": False}, "serial_cervical_lengths": []}
    assert case_to_params(full) == {"ga": "20+0"}
    assert params_to_case({"ga": "20+0"}) == ({"gestational_age": {"weeks": 20, "days": 0}}, [])


def test_version_2_link_round_trip_with_every_new_parameter():
    given_case = {"gestational_age": {"weeks": 27, "days": 3}, "cerclage_in_place": True,
                  "cerclage_type": "transabdominal", "rhd_negative": True,
                  "treatments": {"antenatal_corticosteroids_ga": {"weeks": 23, "days": 2},
                                 "antenatal_corticosteroid_courses": 1},
                  "red_flags": {"vaginal_bleeding": True}}
    params = case_to_params(given_case, "rcog")
    link = query_string(params)
    assert link == "?ga=27+3&cerc=1&ctype=ta&acs=23+2&acsn=1&rh=neg&bleed=1&p=rcog"
    case_read, profile, ignored = read_link(parse_qs(link[1:], keep_blank_values=True))  # "+" back as a space
    assert (case_read, profile, ignored) == (given_case, "rcog", [])
    parse_case(case_read)


def test_version_1_links_read_exactly_as_before():
    params = {"ga": "19+3", "cl": "18", "dil": "2", "os": "1", "serial": "16+0:31;18+0:24", "cerc": "1", "bleed": "1"}
    case_read, ignored = params_to_case(params)
    assert ignored == []
    assert not {"treatments", "rhd_negative", "cerclage_type"} & set(case_read)
    assert case_to_params(case_read) == params


@pytest.mark.parametrize(("params", "values"), [
    ({"rh": "NEG"}, {"rhd_negative": True}),
    ({"rh": "negative"}, {"rhd_negative": True}),
    ({"rh": "Positive"}, {"rhd_negative": False}),
    ({"rh": "unk"}, {}),
    ({"rh": "unknown"}, {}),
    ({"cerc": "1", "ctype": "Transabdominal"}, {"cerclage_in_place": True, "cerclage_type": "transabdominal"}),
    ({"cerc": "1", "ctype": "TV"}, {"cerclage_in_place": True, "cerclage_type": "transvaginal"}),
    ({"acs": "23 2"}, {"treatments": {"antenatal_corticosteroids_ga": {"weeks": 23, "days": 2}}}),
    ({"acs": "24"}, {"treatments": {"antenatal_corticosteroids_ga": {"weeks": 24, "days": 0}}}),
])
def test_version_2_lenient_spellings(params, values):
    case_read, ignored = params_to_case({"ga": "28+0", **params})
    assert ignored == []
    assert case_read == {"gestational_age": {"weeks": 28, "days": 0}, **values}


@pytest.mark.parametrize(("params", "dropped", "kept", "reason"), [
    # malformed
    ({"rh": "maybe"}, ["rh"], {}, "expected neg (RhD-negative), pos (RhD-positive) or unk (unknown)"),
    ({"rh": "1"}, ["rh"], {}, "expected neg (RhD-negative)"),
    ({"cerc": "1", "ctype": "vaginal"}, ["ctype"], {"cerclage_in_place": True}, "expected tv (transvaginal)"),
    ({"acs": "last week"}, ["acs"], {}, "expected weeks+days such as 19+3"),
    ({"acs": "24+0", "acsn": "two"}, ["acsn"],
     {"treatments": {"antenatal_corticosteroids_ga": {"weeks": 24, "days": 0}}}, "expected a whole number"),
    # out of range
    ({"acs": "21+6"}, ["acs"], {}, "must be from 22+0 up to the current gestational age 28+0 (got 21+6)"),
    ({"acs": "24+9"}, ["acs"], {}, "must be a whole number from 0 to 6 days"),
    ({"acs": "24+0", "acsn": "3"}, ["acsn"],
     {"treatments": {"antenatal_corticosteroids_ga": {"weeks": 24, "days": 0}}},
     "must be a whole number from 1 to 2 courses (got 3)"),
    # in conflict with another parameter
    ({"acs": "28+1"}, ["acs"], {}, "must be from 22+0 up to the current gestational age 28+0 (got 28+1)"),
    ({"acsn": "1"}, ["acsn"], {}, "requires treatments.antenatal_corticosteroids_ga"),
    ({"acs": "29+0", "acsn": "2"}, ["acs", "acsn"], {}, "must be from 22+0 up to the current gestational age"),
    ({"ctype": "ta"}, ["ctype"], {}, "must be empty unless cerclage_in_place is true"),
])
def test_version_2_bad_parameters_are_ignored_with_the_reason(params, dropped, kept, reason):
    case_read, ignored = _ignored({"ga": "28+0", "bleed": "1", **params})
    assert case_read == {"gestational_age": {"weeks": 28, "days": 0}, "red_flags": {"vaginal_bleeding": True}, **kept}
    assert sorted(ignored) == sorted(dropped)
    assert reason in ignored[dropped[0]][0].reason
    parse_case(case_read)


def test_version_2_link_problems_are_listed_in_the_app():
    at = _link_test({"ga": "28+0", "acs": "29+0", "acsn": "2", "rh": "maybe", "ctype": "ta", "cerc": "0"})
    assert at.session_state["ci.case"] == {"gestational_age": {"weeks": 28, "days": 0}}
    warning = at.warning[0].value
    assert "4 of its parameters could not be used" in warning
    for param in ("acs=29", "acsn=2", "rh=maybe", "ctype=ta"):
        assert f"**{param}" in warning.replace("\\", ""), (param, warning)


@hst.composite
def _v2_cases(draw):
    """A valid case with the version 2 inputs added (cerclage type only with a cerclage, a steroid
    course dated 22+0..today, courses only with its date, RhD status)."""
    base = draw(valid_cases())
    now = base["gestational_age"]["weeks"] * 7 + base["gestational_age"].get("days", 0)
    base.pop("cerclage_type", None)
    base.pop("treatments", None)
    base.pop("rhd_negative", None)
    length = base.get("cervix", {}).get("length_mm")
    for item in base.get("serial_cervical_lengths", []):  # section 5: a length dated today equals today's length
        if length is not None and item["gestational_age"] == {"weeks": now // 7, "days": now % 7}:
            item["length_mm"] = length
    if base.get("cerclage_in_place") and draw(hst.booleans()):
        base["cerclage_type"] = draw(hst.sampled_from(["transvaginal", "transabdominal", "unknown"]))
    if now >= 22 * 7 and draw(hst.booleans()):
        given = draw(hst.integers(22 * 7, now))
        treatments = {"antenatal_corticosteroids_ga": {"weeks": given // 7, "days": given % 7}}
        if draw(hst.booleans()):
            treatments["antenatal_corticosteroid_courses"] = draw(hst.sampled_from([1, 2]))
        base["treatments"] = treatments
    rh = draw(hst.sampled_from([None, True, False]))
    if rh is not None:
        base["rhd_negative"] = rh
    return base


@given(_v2_cases(), hst.sampled_from(["acog", "rcog"]))
def test_round_trip_of_valid_cases_with_the_version_2_inputs(given_case, profile):
    params = case_to_params(given_case, profile)
    case_read, profile_read, ignored = read_link(params)
    assert ignored == []
    assert profile_read == (None if profile == "acog" else profile)
    assert case_read == compact_case(given_case)
    for field in ("cerclage_type", "treatments", "rhd_negative"):
        assert case_read.get(field) == compact_case(given_case).get(field)
    assert read_link(parse_qs(query_string(params)[1:], keep_blank_values=True))[0] == case_read


def test_profile_parameter():
    assert case_to_params(case("20+0"), "rcog") == {"ga": "20+0", "p": "rcog"}
    assert case_to_params(case("20+0"), "acog") == {"ga": "20+0"}  # the default
    assert read_link({"ga": "20+0", "p": "RCOG"}) == ({"gestational_age": {"weeks": 20, "days": 0}}, "rcog", [])
    profile, ignored = params_to_profile({"p": "nice"})
    assert profile is None
    assert ignored == [Ignored("p", "nice", "must be one of acog, rcog")]
    assert params_to_profile({}) == (None, [])


def test_example_link_and_query_string():
    params = {"ga": "19+3", "cl": "18", "dil": "2", "os": "1", "serial": "16+0:31;18+0:24", "p": "rcog"}
    link = query_string(params)
    assert link == "?ga=19+3&cl=18&dil=2&os=1&serial=16+0:31;18+0:24&p=rcog"
    assert query_string({}) == ""
    # The server reads "+" as a space: the link still opens the same case.
    parsed = parse_qs(link[1:], keep_blank_values=True)
    assert parsed["ga"] == ["19 3"]
    case_read, profile, ignored = read_link(parsed)
    assert ignored == []
    assert profile == "rcog"
    assert case_read == params_to_case(params)[0]
    assert case_read["serial_cervical_lengths"][1] == {"gestational_age": {"weeks": 18, "days": 0}, "length_mm": 24.0}


@given(valid_cases(), hst.sampled_from(["acog", "rcog"]))
def test_round_trip_of_valid_cases(given_case, profile):
    params = case_to_params(given_case, profile)
    assert set(params) <= KNOWN
    case_read, profile_read, ignored = read_link(params)
    assert ignored == []
    assert case_read == compact_case(given_case)
    assert profile_read == (profile if profile != "acog" else None)
    # and through a real query string, where "+" comes back as a space
    assert read_link(parse_qs(query_string(params)[1:], keep_blank_values=True))[0] == case_read


@given(hst.one_of(contract_shaped, valid_cases()))
def test_case_to_params_never_raises_on_a_case_being_entered(anything):
    params = case_to_params(anything, "rcog")
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in params.items())
    params_to_case(params)  # and reading it back never raises either


# --- ignored parameters, one kind at a time ------------------------------------------------

def _ignored(params: dict[str, Any]) -> tuple[dict, dict[str, list[Ignored]]]:
    case_read, ignored = params_to_case(params)
    by_param: dict[str, list[Ignored]] = {}
    for item in ignored:
        assert item.reason
        by_param.setdefault(item.param, []).append(item)
    return case_read, by_param


def test_unknown_parameters_are_ignored():
    case_read, ignored = _ignored({"ga": "20+0", "foo": "1", "GA": "19+0", "name": "x"})
    assert case_read == {"gestational_age": {"weeks": 20, "days": 0}}
    assert set(ignored) == {"foo", "GA", "name"}
    assert all(i.reason == "unknown parameter" for items in ignored.values() for i in items)


@pytest.mark.parametrize(("param", "value", "reason"), [
    ("cl", "short", "expected a number"),
    ("cl", "nan", "expected a number"),
    ("dil", "1,5", "expected a number"),
    ("n", "twins", "expected a whole number"),
    ("labor", "maybe", "expected 1 (yes) or 0 (no)"),
    ("mem", "broken", "expected r (ruptured) or i (intact)"),
    ("rga", "yesterday", "expected weeks+days"),
    ("serial", "16+0", "expected an item such as 16+0:31"),
    ("serial", "16+9:30", "must be a whole number from 0 to 6 days"),
    ("cl", "", "empty value"),
])
def test_malformed_values_are_ignored_and_the_rest_kept(param, value, reason):
    case_read, ignored = _ignored({"ga": "22+0", "sptb": "1", param: value})
    assert case_read == {"gestational_age": {"weeks": 22, "days": 0},
                         "history": {"spontaneous_preterm_births_before_34w": 1}}
    assert [i.value for i in ignored[param]] == [value]
    assert reason in ignored[param][0].reason


def test_malformed_ga_loads_nothing_and_says_why():
    case_read, ignored = _ignored({"ga": "abc", "cl": "18", "fun": "1"})
    assert case_read == {}
    assert "expected weeks+days such as 19+3" in ignored["ga"][0].reason
    assert "gestational age (ga)" in ignored["cl"][0].reason
    assert "gestational age (ga)" in ignored["fun"][0].reason


def test_a_link_without_ga_is_empty():
    assert params_to_case({}) == ({}, [])
    case_read, ignored = _ignored({"cl": "18"})
    assert case_read == {}
    assert list(ignored) == ["cl"]


@pytest.mark.parametrize(("param", "value", "reason"), [
    ("cl", "90", "must be a number from 0 to 80 mm (got 90.0)"),
    ("cl", "-1", "must be a number from 0 to 80 mm"),
    ("dil", "11", "must be a number from 0 to 10 cm"),
    ("n", "5", "must be a whole number from 1 to 4 fetuses (got 5)"),
    ("n", "2.5", "must be a whole number from 1 to 4"),
    ("loss", "21", "must be a whole number from 0 to 20"),
    ("sptb", "1e400", "must be a whole number from 0 to 20"),
    ("sptb", "99999999999999999999999", "must be a whole number from 0 to 20 (got 99999999999999999999999)"),
    ("rga", "3+0", "must be a whole number from 4 to 42 weeks"),
    ("serial", "16+0:95", "must be a number from 0 to 80 mm"),
])
def test_out_of_range_values_are_ignored_with_the_range(param, value, reason):
    params = {"ga": "22+0", "fun": "1", param: value}
    if param == "rga":
        params["mem"] = "r"
    case_read, ignored = _ignored(params)
    assert case_read["cervix"] == {"funneling": True}
    assert reason in ignored[param][0].reason
    parse_case(case_read)


def test_out_of_range_ga_loads_nothing():
    case_read, ignored = _ignored({"ga": "43+0", "cl": "18"})
    assert case_read == {}
    assert "from 4 to 42 weeks" in ignored["ga"][0].reason


@pytest.mark.parametrize(("params", "dropped", "kept", "reason"), [
    ({"ga": "19+3", "mem": "r", "rga": "20+0"}, "rga", {"membranes": {"status": "ruptured"}},
     "must not be later than the current gestational age 19+3"),
    ({"ga": "19+3", "rga": "19+0"}, "rga", {}, "must be empty while membranes.status is 'intact'"),
    ({"ga": "21+0", "dil": "0", "os": "1"}, "os", {"cervix": {"dilation_cm": 0.0}}, "cannot be true with cervix.dilation_cm 0"),
    ({"ga": "21+0", "dil": "2", "prol": "1"}, "prol", {"cervix": {"dilation_cm": 2.0}},
     "requires cervix.membranes_at_or_beyond_external_os"),
    ({"ga": "18+0", "serial": "16+0:31;19+0:24"}, "serial",
     {"serial_cervical_lengths": [{"gestational_age": {"weeks": 16, "days": 0}, "length_mm": 31.0}]},
     "must not be later than the current gestational age 18+0"),
])
def test_conflicting_parameters_are_ignored_one_by_one(params, dropped, kept, reason):
    case_read, ignored = _ignored(params)
    weeks, days = (int(part) for part in params["ga"].split("+"))
    assert case_read == {"gestational_age": {"weeks": weeks, "days": days}, **kept}
    assert list(ignored) == [dropped]
    assert reason in ignored[dropped][0].reason
    parse_case(case_read)


def test_os_and_prolapse_both_go_when_the_os_is_closed():
    case_read, ignored = _ignored({"ga": "21+0", "dil": "0", "os": "1", "prol": "1", "cl": "10"})
    assert case_read == {"gestational_age": {"weeks": 21, "days": 0}, "cervix": {"length_mm": 10.0, "dilation_cm": 0.0}}
    assert set(ignored) == {"os", "prol"}


def test_repeated_parameters_use_the_last_value():
    case_read, ignored = _ignored({"ga": ["18+0", "19+3"], "cl": ["15", "abc"]})
    assert case_read == {"gestational_age": {"weeks": 19, "days": 3}}
    assert [(i.value, "repeated" in i.reason) for i in ignored["ga"]] == [("18+0", True)]
    assert [i.value for i in ignored["cl"]] == ["15", "abc"]
    case_read, ignored = _ignored({"ga": "20+0", "cl": []})
    assert ignored["cl"][0].reason == "no value"


def test_lenient_spellings():
    params = {"ga": " 19 3 ", "cl": "18.50", "dil": ".5", "os": "yes", "fun": "TRUE", "mem": "Ruptured", "n": "2.0",
              "serial": "16+0:31, 18+0:24;"}
    case_read, ignored = params_to_case(params)
    assert ignored == []
    assert case_read == {
        "gestational_age": {"weeks": 19, "days": 3}, "plurality": 2,
        "cervix": {"length_mm": 18.5, "dilation_cm": 0.5, "funneling": True, "membranes_at_or_beyond_external_os": True},
        "serial_cervical_lengths": [{"gestational_age": {"weeks": 16, "days": 0}, "length_mm": 31.0},
                                    {"gestational_age": {"weeks": 18, "days": 0}, "length_mm": 24.0}],
        "membranes": {"status": "ruptured"},
    }


def test_long_values_are_shortened_in_the_ignored_list():
    _case, ignored = _ignored({"ga": "20+0", "x" * 500: "y" * 500, "cl": "9" * 400, "dil": "8" * 501})
    assert all(len(i.param) <= 60 and len(i.value) <= 60 for items in ignored.values() for i in items)
    assert "must be a number from 0 to 80 mm" in ignored["cl"][0].reason
    assert ignored["dil"][0].reason == f"too long (501 characters): a value may have at most {MAX_VALUE} characters"


def test_has_known():
    assert has_known(["foo", "ga"])
    assert has_known(["p"])
    assert not has_known(["foo", "embed"])


# --- random query strings --------------------------------------------------------------------

_KEYS = hst.one_of(hst.sampled_from(sorted(KNOWN)), hst.sampled_from(sorted(KNOWN)), hst.text(max_size=8))
_VALUE = hst.one_of(
    hst.text(max_size=24),
    hst.sampled_from(["", " ", "nan", "NaN", "inf", "-inf", "1e400", "-1", "0", "1", "2", "true", "no", "r", "i",
                      "19+3", "19 3", "4+0", "42+6", "43+0", "19+7", "١٩+3", "16+0:31;18+0:24", "20+0:90", "25+0:20",
                      "99999999999999999999", "1" * 400, "18.5", "0.0", "-0", ".5", "1_0", "0x10", "²"]),
    hst.integers(min_value=-(10**30), max_value=10**30).map(str),
    hst.floats().map(str),
    hst.lists(hst.sampled_from(["16+0", "18+3", "22+0", "x"]), max_size=3).flatmap(
        lambda gas: hst.just(";".join(f"{g}:{n}" for n, g in enumerate(gas, start=10)))),
)
_RAW = hst.one_of(_VALUE, _VALUE, hst.lists(_VALUE, max_size=3))
_QUERIES = hst.dictionaries(_KEYS, _RAW, max_size=12)


def _is_default(name: str, text: str) -> bool:
    try:
        return parse_value(name, text) == PARAMS[name].default
    except (ValueError, OverflowError):
        return False


@given(_QUERIES)
def test_random_query_strings_never_break_and_drop_nothing_silently(params):
    case_read, profile, ignored = read_link(params)
    if link_length(params) > MAX_LINK:  # refused as a whole (see the hostile-link tests below)
        assert (case_read, profile, [i.param for i in ignored]) == ({}, None, ["(link)"])
        return
    # the case validates, or is empty
    if case_read:
        parse_case(case_read)
        assert compact_case(case_read) == case_read
    assert profile in (None, "acog", "rcog")
    assert all(isinstance(i, Ignored) and i.reason.strip() for i in ignored)
    counted: dict[str, int] = {}
    for item in ignored:
        counted[item.param] = counted.get(item.param, 0) + 1
    used = case_to_params(case_read, profile)
    for key, raw in params.items():
        values = [raw] if isinstance(raw, str) else list(raw)
        if key not in KNOWN:
            assert counted.get(key[:60] if len(key) <= 60 else key[:59] + "…", 0) >= max(len(values), 1)
            continue
        if not values:
            assert counted.get(key, 0) == 1
            continue
        assert counted.get(key, 0) >= len(values) - 1  # earlier values of a repeated parameter
        last = values[-1]
        if counted.get(key, 0) >= len(values):
            continue  # the last value (or, for serial, some of its items) was ignored with a reason
        if key == PROFILE_PARAM:
            assert profile == last.strip().lower()
            continue
        if key in used:  # used: the link says what the parameter said
            if key != "serial":
                assert parse_value(key, used[key]) == parse_value(key, last)
        else:  # neither used nor ignored: only a default value may vanish (e.g. fun=0, n=1, mem=i)
            assert _is_default(key, last), (key, last)


# --- ui/links.py under AppTest ---------------------------------------------------------------

def _link_app():
    import streamlit as st

    from ui import links, state

    links.apply_query_params()
    links.show_link_problems()
    st.json(state.case(), expanded=True)
    st.text(f"profile={state.profile()}")
    if st.button("Set length 12", key="test.set_length"):
        state.put(("cervix", "length_mm"), 12.0)
    links.sync_query_params()
    links.share_link_box()


def _link_test(query: dict[str, Any]):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_link_app, default_timeout=30)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    return at


def test_link_opens_the_case_and_profile_and_canonicalises_the_address():
    at = _link_test({"ga": "19 3", "cl": "18.0", "p": "rcog"})
    assert at.session_state["ci.case"] == {"gestational_age": {"weeks": 19, "days": 3}, "cervix": {"length_mm": 18.0}}
    assert at.text[0].value == "profile=rcog"
    assert not at.warning
    assert at.query_params == {"ga": "19+3", "cl": "18", "p": "rcog"}
    assert at.code[0].value == "?ga=19+3&cl=18&p=rcog"
    assert any("Clinical values only" in m.value for m in at.markdown)


def test_link_problems_are_listed_and_can_be_dismissed():
    at = _link_test({"ga": "19+3", "cl": "90", "dil": "0", "os": "1", "foo": "bar*"})
    assert at.session_state["ci.case"] == {"gestational_age": {"weeks": 19, "days": 3}, "cervix": {"dilation_cm": 0.0}}
    warning = at.warning[0].value
    assert "The link opened, but 3 of its parameters could not be used" in warning
    assert r"**cl=90**: must be a number from 0 to 80 mm" in warning
    assert r"**foo=bar\***: unknown parameter" in warning
    assert "**os=1**: cannot be true" in warning
    at.button(key="ci.link_dismiss").click().run()
    assert not at.warning
    assert at.query_params == {"ga": "19+3", "dil": "0"}


def test_link_is_applied_once_per_session_and_follows_the_case():
    at = _link_test({"ga": "20+0"})
    at.button(key="test.set_length").click().run()
    assert at.session_state["ci.case"]["cervix"] == {"length_mm": 12.0}
    at.run()  # a rerun must not reload the link over what was entered
    assert at.session_state["ci.case"]["cervix"] == {"length_mm": 12.0}
    assert at.query_params == {"ga": "20+0", "cl": "12"}


def test_no_link_parameters_leave_the_session_alone():
    at = _link_test({"embed": "true", "utm": "x"})
    assert at.session_state["ci.case"] == {}
    assert not at.warning
    assert any("Nothing entered yet" in m.value for m in at.markdown)


def test_ignored_ga_values_are_shown_as_written_in_the_link():
    _case, ignored = _ignored({"ga": "19 3", "rga": "20 0", "serial": "21 0:30"})
    assert [i.value for i in ignored["rga"]] == ["20+0"]
    assert [i.value for i in ignored["serial"]] == ["21+0:30"]


# --- hostile links: length caps before any value is read (finding 1 of issue 14) --------------

_HOSTILE_CHUNK = hst.sampled_from(["1", "9", " ", "+", ".", "e", "-", ":", ";", ",", "x", "١", "\t", "0"])
_HOSTILE_VALUE = hst.one_of(
    # long runs that made the former patterns backtrack: digits, spaces, "+" and a bad tail
    hst.tuples(_HOSTILE_CHUNK, hst.integers(0, 2 * MAX_VALUE), _HOSTILE_CHUNK, hst.integers(0, 3), _HOSTILE_CHUNK).map(
        lambda t: t[0] * t[1] + t[2] * t[3] + t[4]),
    hst.lists(_HOSTILE_CHUNK, max_size=40).map("".join),
    hst.integers(MAX_VALUE - 2, MAX_VALUE + 2).map(lambda n: ("16+0:31;" * n)[:n]),
    _VALUE,
)
_HOSTILE_QUERIES = hst.dictionaries(hst.one_of(hst.sampled_from(sorted(KNOWN)), hst.text(max_size=8)),
                                    hst.one_of(_HOSTILE_VALUE, hst.lists(_HOSTILE_VALUE, max_size=3)), max_size=8)


_READERS = ("parse_value", "_parse_serial_item", "_parse_ga", "_parse_number", "_serial_chunks")


def _spy_on_readers(mp: pytest.MonkeyPatch) -> list[int]:
    """Fail if a value longer than MAX_VALUE ever reaches a reader (the cap must come first); the lengths seen."""
    seen: list[int] = []
    for name in _READERS:
        original = getattr(querystring, name)

        def spy(*args, _original=original, **kwargs):
            text = [a for a in args if isinstance(a, str)][-1]  # the value (parse_value's first argument is its name)
            seen.append(len(text))
            assert len(text) <= MAX_VALUE, f"a {len(text)}-character value reached a reader"
            return _original(*args, **kwargs)

        mp.setattr(querystring, name, spy)
    return seen


@pytest.fixture
def readers_see_only_capped_values(monkeypatch):
    return _spy_on_readers(monkeypatch)


def _reasons(ignored: list[Ignored]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in ignored:
        out.setdefault(item.param, []).append(item.reason)
    return out


def test_a_1_mb_value_is_refused_for_its_length_before_it_is_read(readers_see_only_capped_values):
    for name in ("cl", "ga", "serial", "n", "fun", "mem", "rga"):
        hostile = "1" * 1_000_000 + "x"
        case_read, ignored = params_to_case({"ga": "19+3", name: hostile} if name != "ga" else {"ga": hostile})
        # The whole link is over the cap: refused with that reason, nothing loaded, nothing read.
        assert case_read == {}
        assert ignored == [Ignored("(link)", "", f"the link is too long (over {MAX_LINK:,} characters of parameters): "
                                                "nothing was loaded; open the case again from a shorter link")]
    assert readers_see_only_capped_values == []
    _profile, more = params_to_profile({"p": "r" * 1_000_000})
    assert more == []  # reported once, by params_to_case
    assert read_link({"p": "r" * 1_000_000})[2][0].param == "(link)"


def test_a_value_over_the_cap_is_ignored_alone_and_the_rest_is_kept(readers_see_only_capped_values):
    hostile = "1" * (MAX_VALUE + 1) + "x"
    case_read, ignored = params_to_case({"ga": "19+3", "cl": hostile, "dil": "2"})
    assert case_read == {"gestational_age": {"weeks": 19, "days": 3}, "cervix": {"dilation_cm": 2.0}}
    assert _reasons(ignored) == {"cl": [f"too long ({MAX_VALUE + 2} characters): a value may have at most "
                                        f"{MAX_VALUE} characters"]}
    assert len(ignored[0].value) <= 60
    assert max(readers_see_only_capped_values) <= MAX_VALUE


def test_a_value_at_the_cap_is_read():
    serial = ";".join(["16+0:31"] * 62)  # 62 items, 495 characters
    assert len(serial) <= MAX_VALUE
    case_read, ignored = params_to_case({"ga": "20+0", "serial": serial})
    assert ignored == []
    assert len(case_read["serial_cervical_lengths"]) == 62


@given(_HOSTILE_QUERIES)
def test_hostile_query_strings_are_capped_first_and_every_accepted_one_parses(params):
    with pytest.MonkeyPatch.context() as mp:
        seen = _spy_on_readers(mp)
        case_read, profile, ignored = read_link(params)
    reasons = _reasons(ignored)
    if link_length(params) > MAX_LINK:
        assert (case_read, profile, list(reasons)) == ({}, None, ["(link)"])
        assert "too long" in reasons["(link)"][0]
        assert seen == []
        return
    # not refused as a whole (a parameter literally named "(link)" is only an unknown parameter)
    assert not any(r.startswith("the link") for r in reasons.get("(link)", []))
    if case_read:  # every accepted link gives a valid case that reads back the same
        parse_case(case_read)
        assert compact_case(case_read) == case_read
        assert params_to_case(case_to_params(case_read)) == (case_read, [])
    for key, raw in params.items():
        values = [raw] if isinstance(raw, str) else list(raw)
        if key in PARAMS and values and len(values[-1]) > MAX_VALUE:
            assert any(r.startswith(f"too long ({len(values[-1]):,} characters)") for r in reasons[key])
    assert all(r.strip() for rs in reasons.values() for r in rs)


_OLD_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"  # the former patterns: the scanners' specification
_OLD_GA = r"(\d+)(?:\s*[+ ]\s*(\d+))?"


@given(hst.text(alphabet="0123456789+- .eE\t\n١_x", max_size=12))
def test_the_scanners_accept_exactly_what_the_former_patterns_accepted(text):
    import re

    assert querystring._is_number(text) == bool(re.fullmatch(_OLD_NUMBER, text, re.ASCII))
    match = re.fullmatch(_OLD_GA, text, re.ASCII)
    assert querystring._split_ga(text) == (None if match is None else (match.group(1), match.group(2) or ""))


def test_a_24_kb_link_opens_the_app_with_a_notice():
    """The link of finding 1 (froze the server for 44 s): refused for its length, the page still works."""
    at = _link_test({"ga": "19+3", "cl": "1" * 24_000 + "x"})
    assert at.session_state["ci.case"] == {}
    warning = at.warning[0].value
    assert "could not be used" in warning
    assert "the link is too long" in warning
    assert f"over {MAX_LINK:,} characters" in warning.replace("\\", "")
    assert any("Nothing entered yet" in m.value for m in at.markdown)
