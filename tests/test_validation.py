"""clinical-spec.md section 5: bad input gets a clear error naming the field and the allowed range."""

from __future__ import annotations

import math

import pytest
from strategies import case, merge
from strategies import ga as ga_dict

from decision import CaseValidationError, FieldError, evaluate, parse_case

P = pytest.param


def errors_of(data: object) -> list[FieldError]:
    with pytest.raises(CaseValidationError) as info:
        parse_case(data)
    errors = info.value.errors
    assert errors, "CaseValidationError without errors"
    for error in errors:
        assert isinstance(error, FieldError)
        assert error.path
        assert error.message
    return errors


def the_error(data: object, path: str) -> str:
    """The message of the one error at ``path`` (and no error elsewhere)."""
    errors = errors_of(data)
    assert [e.path for e in errors] == [path], errors
    return errors[0].message


def test_evaluate_raises_the_same_error() -> None:
    with pytest.raises(CaseValidationError) as info:
        evaluate(case("20+0", length=81))
    assert [e.path for e in info.value.errors] == ["cervix.length_mm"]


def test_error_text_is_path_colon_message() -> None:
    with pytest.raises(CaseValidationError) as info:
        parse_case({"gestational_age": {"weeks": 3}})
    assert str(info.value.errors[0]).startswith("gestational_age.weeks: ")
    assert "gestational_age.weeks" in str(info.value)


# ---- GA weeks outside 4..42, days outside 0..6 ------------------------------------------

@pytest.mark.parametrize("weeks", [3, 43, 0, -1, 100], ids=lambda w: f"weeks-{w}")
def test_5_weeks_outside_4_42(weeks: int) -> None:
    message = the_error({"gestational_age": {"weeks": weeks, "days": 0}}, "gestational_age.weeks")
    assert "4" in message
    assert "42" in message
    assert str(weeks) in message


@pytest.mark.parametrize("weeks", [4, 42])
def test_5_weeks_bounds_accepted(weeks: int) -> None:
    assert parse_case({"gestational_age": {"weeks": weeks, "days": 6}}).gestational_age.weeks == weeks


@pytest.mark.parametrize("days", [-1, 7, 10], ids=lambda d: f"days-{d}")
def test_5_days_outside_0_6(days: int) -> None:
    message = the_error({"gestational_age": {"weeks": 20, "days": days}}, "gestational_age.days")
    assert "0" in message
    assert "6" in message


@pytest.mark.parametrize("days", [0, 6])
def test_5_days_bounds_accepted(days: int) -> None:
    assert parse_case({"gestational_age": {"weeks": 20, "days": days}}).gestational_age.days == days


def test_5_serial_measurement_ga_range_checked_too() -> None:
    data = case("20+0", serial=[("16+0", 30)])
    data["serial_cervical_lengths"][0]["gestational_age"]["weeks"] = 2
    message = the_error(data, "serial_cervical_lengths[0].gestational_age.weeks")
    assert "4" in message
    assert "42" in message


# ---- non-numeric values -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "path", "allowed"),
    [
        P({"gestational_age": {"weeks": "nineteen"}}, "gestational_age.weeks", ("4", "42"), id="weeks-text"),
        P({"gestational_age": {"weeks": 19.5}}, "gestational_age.weeks", ("4", "42"), id="weeks-fraction"),
        P({"gestational_age": {"weeks": None}}, "gestational_age.weeks", ("4", "42"), id="weeks-null"),
        P({"gestational_age": {"weeks": [19]}}, "gestational_age.weeks", ("4", "42"), id="weeks-list"),
        P({"gestational_age": {"weeks": 19, "days": "three"}}, "gestational_age.days", ("0", "6"), id="days-text"),
        P(case("20+0", length="short"), "cervix.length_mm", ("0", "80"), id="length-text"),
        P(case("20+0", length=math.nan), "cervix.length_mm", ("0", "80"), id="length-nan"),
        P(case("20+0", length=math.inf), "cervix.length_mm", ("0", "80"), id="length-inf"),
        P(case("20+0", dilation="open"), "cervix.dilation_cm", ("0", "10"), id="dilation-text"),
        P(case("20+0", dilation=math.nan), "cervix.dilation_cm", ("0", "10"), id="dilation-nan"),
        P(case("20+0", plurality="twins"), "plurality", ("1", "4"), id="plurality-text"),
        P(case("20+0", plurality=2.5), "plurality", ("1", "4"), id="plurality-fraction"),
        P(case("20+0", spontaneous_preterm_births_before_34w="two"), "history.spontaneous_preterm_births_before_34w",
          ("0", "20"), id="count-text"),
    ],
)
def test_5_non_numeric_values(data: dict, path: str, allowed: tuple[str, ...]) -> None:
    message = the_error(data, path)
    for bound in allowed:
        assert bound in message


@pytest.mark.parametrize(
    ("data", "path"),
    [
        P(case("20+0", plurality=True), "plurality", id="plurality-bool"),
        P(case("20+0", length=True), "cervix.length_mm", id="length-bool"),
    ],
)
def test_5_booleans_are_not_numbers(data: dict, path: str) -> None:
    assert "got True" in the_error(data, path)


def test_5_numeric_strings_and_whole_floats_are_read_as_numbers() -> None:
    parsed = parse_case({"gestational_age": {"weeks": "19", "days": 3.0}, "cervix": {"length_mm": "18.5"}})
    assert (parsed.gestational_age.weeks, parsed.gestational_age.days) == (19, 3)
    assert parsed.cervix.length_mm == 18.5


# ---- cervical length 0..80, dilation 0..10 ------------------------------------------

@pytest.mark.parametrize("length", [-0.1, -5, 80.1, 200], ids=lambda v: f"length-{v}")
def test_5_length_outside_0_80(length: float) -> None:
    message = the_error(case("20+0", length=length), "cervix.length_mm")
    assert "0" in message
    assert "80" in message
    assert "mm" in message


def test_5_serial_length_outside_0_80() -> None:
    message = the_error(case("20+0", serial=[("18+0", 95)]), "serial_cervical_lengths[0].length_mm")
    assert "80" in message


@pytest.mark.parametrize("length", [0, 80, 24.9])
def test_5_length_bounds_accepted(length: float) -> None:
    assert parse_case(case("20+0", length=length)).cervix.length_mm == length


@pytest.mark.parametrize("dilation", [-1, -0.5, 10.5, 11], ids=lambda v: f"dilation-{v}")
def test_5_dilation_outside_0_10(dilation: float) -> None:
    message = the_error(case("20+0", dilation=dilation), "cervix.dilation_cm")
    assert "0" in message
    assert "10" in message
    assert "cm" in message


@pytest.mark.parametrize("dilation", [0, 10])
def test_5_dilation_bounds_accepted(dilation: float) -> None:
    assert parse_case(case("20+0", dilation=dilation)).cervix.dilation_cm == dilation


# ---- counts: negative, above 20; plurality 1..4 ---------------------------------------

COUNTS = ("second_trimester_losses_painless_dilation", "spontaneous_preterm_births_before_34w")


@pytest.mark.parametrize("field", COUNTS)
def test_5_negative_counts(field: str) -> None:
    message = the_error(case("20+0", **{field: -1}), f"history.{field}")
    assert "0" in message
    assert "20" in message


@pytest.mark.parametrize("field", COUNTS)
def test_5_counts_above_20(field: str) -> None:
    message = the_error(case("20+0", **{field: 21}), f"history.{field}")
    assert "0" in message
    assert "20" in message


@pytest.mark.parametrize("field", COUNTS)
def test_5_count_bounds_accepted(field: str) -> None:
    parse_case(case("20+0", **{field: 0}))
    parse_case(case("20+0", **{field: 20}))


@pytest.mark.parametrize("plurality", [0, 5, -1], ids=lambda v: f"plurality-{v}")
def test_5_plurality_outside_1_4(plurality: int) -> None:
    message = the_error(case("20+0", plurality=plurality), "plurality")
    assert "1" in message
    assert "4" in message


@pytest.mark.parametrize("plurality", [1, 4])
def test_5_plurality_bounds_accepted(plurality: int) -> None:
    assert parse_case(case("20+0", plurality=plurality)).plurality == plurality


# ---- rupture GA ----------------------------------------------------------------------

def test_5_rupture_later_than_current_ga() -> None:
    message = the_error(case("20+0", rupture_at="20+1"), "membranes.rupture_gestational_age")
    assert "current gestational age" in message
    assert "20+0" in message
    assert "20+1" in message


def test_5_rupture_same_day_accepted() -> None:
    parsed = parse_case(case("20+0", rupture_at="20+0"))
    assert parsed.membranes.rupture_gestational_age is not None


def test_5_rupture_ga_with_membranes_intact() -> None:
    data = {"gestational_age": ga_dict("20+0"), "membranes": {"status": "intact", "rupture_gestational_age": ga_dict("19+0")}}
    message = the_error(data, "membranes.rupture_gestational_age")
    assert "membranes.status" in message
    assert "intact" in message


def test_5_rupture_ga_without_status_means_intact_and_is_rejected() -> None:
    data = {"gestational_age": ga_dict("20+0"), "membranes": {"rupture_gestational_age": ga_dict("19+0")}}
    message = the_error(data, "membranes.rupture_gestational_age")
    assert "membranes.status" in message


def test_5_rupture_ga_null_with_intact_membranes_accepted() -> None:
    parse_case({"gestational_age": ga_dict("20+0"), "membranes": {"status": "intact", "rupture_gestational_age": None}})


def test_5_membranes_status_must_be_intact_or_ruptured() -> None:
    message = the_error({"gestational_age": ga_dict("20+0"), "membranes": {"status": "broken"}}, "membranes.status")
    assert "intact" in message
    assert "ruptured" in message


# ---- membranes at / beyond the os ------------------------------------------------------

def test_5_membranes_at_os_with_dilation_0() -> None:
    message = the_error(case("20+0", dilation=0, at_os=True), "cervix.membranes_at_or_beyond_external_os")
    assert "cervix.dilation_cm" in message
    assert "0" in message


def test_5_membranes_at_os_without_dilation_accepted() -> None:
    assert parse_case(case("20+0", at_os=True)).cervix.membranes_at_or_beyond_external_os


def test_5_prolapsed_without_at_or_beyond_os() -> None:
    data = {"gestational_age": ga_dict("20+0"),
            "cervix": {"dilation_cm": 3, "membranes_prolapsed_into_vagina": True}}
    message = the_error(data, "cervix.membranes_prolapsed_into_vagina")
    assert "membranes_at_or_beyond_external_os" in message


def test_5_prolapsed_with_at_os_false_explicit() -> None:
    data = {"gestational_age": ga_dict("20+0"),
            "cervix": {"dilation_cm": 3, "membranes_at_or_beyond_external_os": False,
                       "membranes_prolapsed_into_vagina": True}}
    the_error(data, "cervix.membranes_prolapsed_into_vagina")


# ---- serial measurements after the current GA -------------------------------------------

def test_5_serial_measurement_after_current_ga() -> None:
    data = case("20+0", length=18, serial=[("16+0", 30), ("20+1", 20)])
    message = the_error(data, "serial_cervical_lengths[1].gestational_age")
    assert "current gestational age" in message
    assert "20+1" in message


def test_5_serial_measurement_same_day_accepted() -> None:
    assert len(parse_case(case("20+0", serial=[("20+0", 22)])).serial_cervical_lengths) == 1


# ---- unknown fields ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("extra", "path"),
    [
        P({"gestational_age_weeks": 20}, "gestational_age_weeks", id="top-level"),
        P({"patient_name": "x"}, "patient_name", id="top-level-identifier"),
        P({"cervix": {"lenght_mm": 18}}, "cervix.lenght_mm", id="nested-cervix-misspelled"),
        P({"gestational_age": {"weeks": 20, "day": 3}}, "gestational_age.day", id="nested-ga-misspelled"),
        P({"history": {"prior_preterm_birth": 1}}, "history.prior_preterm_birth", id="nested-history"),
        P({"red_flags": {"bleeding": True}}, "red_flags.bleeding", id="nested-red-flags"),
        P({"membranes": {"status": "intact", "ruptured_at": None}}, "membranes.ruptured_at", id="nested-membranes"),
    ],
)
def test_5_unknown_fields_are_errors(extra: dict, path: str) -> None:
    message = the_error(merge({"gestational_age": ga_dict("20+0")}, extra), path)
    assert "unknown field" in message


def test_5_unknown_field_message_lists_allowed_fields() -> None:
    message = the_error(case("20+0", length=20) | {"cervix": {"lenght_mm": 18}}, "cervix.lenght_mm")
    assert "length_mm" in message


def test_5_unknown_field_in_serial_measurement() -> None:
    data = case("20+0", serial=[("18+0", 24)])
    data["serial_cervical_lengths"][0]["ga"] = "18+0"
    assert "unknown field" in the_error(data, "serial_cervical_lengths[0].ga")


# ---- non-object input ----------------------------------------------------------------------

@pytest.mark.parametrize("data", [None, [], [1, 2], "19+3", 19, 19.5, True, b"{}"], ids=repr)
def test_5_non_object_input(data: object) -> None:
    (error,) = errors_of(data)
    assert error.path == "(case)"
    assert "object" in error.message


@pytest.mark.parametrize(
    ("data", "path"),
    [
        P({"gestational_age": "19+3"}, "gestational_age", id="ga-string"),
        P({"gestational_age": {"weeks": 20}, "cervix": [1]}, "cervix", id="cervix-list"),
        P({"gestational_age": {"weeks": 20}, "history": "none"}, "history", id="history-string"),
        P({"gestational_age": {"weeks": 20}, "serial_cervical_lengths": {"a": 1}}, "serial_cervical_lengths",
          id="serial-object"),
    ],
)
def test_5_non_object_sections(data: dict, path: str) -> None:
    assert the_error(data, path)


# ---- several problems are all reported -----------------------------------------------

def test_5_every_problem_is_listed() -> None:
    data = {"gestational_age": {"weeks": 50, "days": 9}, "plurality": 7, "cervix": {"length_mm": 90}, "oops": 1}
    paths = {e.path for e in errors_of(data)}
    assert {"gestational_age.weeks", "gestational_age.days", "plurality", "cervix.length_mm", "oops"} <= paths


# ---- missing optional fields ---------------------------------------------------------

def test_5_only_gestational_age_is_required() -> None:
    assert the_error({}, "gestational_age") == "required"
    assert the_error({"plurality": 1}, "gestational_age") == "required"
    assert the_error({"gestational_age": {"days": 3}}, "gestational_age.weeks") == "required"


def test_5_missing_optional_fields_are_absent_or_not_measured() -> None:
    parsed = parse_case({"gestational_age": {"weeks": 20}})
    assert parsed.gestational_age.days == 0
    assert parsed.plurality == 1
    assert parsed.cervix.length_mm is None
    assert parsed.cervix.dilation_cm is None
    assert parsed.membranes.status == "intact"
    assert parsed.membranes.rupture_gestational_age is None
    assert parsed.serial_cervical_lengths == ()
    assert parsed.cerclage_in_place is False
    assert not any(parsed.red_flags.model_dump().values())
    assert not any(parsed.history.model_dump().values())


@pytest.mark.parametrize(
    "data",
    [
        P({"gestational_age": {"weeks": 20}, "history": {}, "cervix": {}, "membranes": {}, "red_flags": {}},
          id="empty-sections"),
        P({"gestational_age": {"weeks": 20}, "cervix": {"length_mm": None, "dilation_cm": None}}, id="null-measurements"),
        P({"gestational_age": {"weeks": 20}, "serial_cervical_lengths": []}, id="empty-serial"),
        P({"gestational_age": {"weeks": 20}, "membranes": {"status": "ruptured"}}, id="rupture-ga-unknown"),
        P({"gestational_age": {"weeks": 20}, "history": {"cervical_surgery": True}}, id="one-history-field"),
    ],
)
def test_5_partial_sections_accepted(data: dict) -> None:
    parse_case(data)
    assert evaluate(data).options


def test_5_contract_example_is_valid() -> None:
    example = {
        "gestational_age": {"weeks": 19, "days": 3},
        "plurality": 1,
        "history": {
            "second_trimester_losses_painless_dilation": 0, "spontaneous_preterm_births_before_34w": 0,
            "prior_cerclage_for_painless_dilation": False, "cervical_surgery": False, "in_utero_des_exposure": False,
            "uterine_or_cervical_anomaly": False, "cervical_trauma": False,
        },
        "cervix": {"length_mm": 18, "dilation_cm": 0, "funneling": False, "membranes_at_or_beyond_external_os": False,
                   "membranes_prolapsed_into_vagina": False},
        "serial_cervical_lengths": [
            {"gestational_age": {"weeks": 16, "days": 0}, "length_mm": 31},
            {"gestational_age": {"weeks": 18, "days": 0}, "length_mm": 24},
        ],
        "membranes": {"status": "intact", "rupture_gestational_age": None},
        "cerclage_in_place": False,
        "red_flags": {"regular_contractions_or_labor": False, "vaginal_bleeding": False,
                      "signs_of_intraamniotic_infection": False, "fetal_demise": False, "lethal_fetal_anomaly": False},
    }
    assert parse_case(example).gestational_age.label == "19+3"

