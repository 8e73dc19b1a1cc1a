"""The case model (contract.md, input) and its validation (clinical-spec.md section 5).

``parse_case`` turns a mapping (from JSON, YAML, a CSV row or the UI) into a frozen
:class:`Case`, or raises :class:`CaseValidationError` listing every problem as
``field.path: message`` with the allowed range. No other exception escapes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from . import ga as galib
from .errors import CaseValidationError, FieldError, shown_value

# Allowed ranges (clinical-spec.md section 5), by field name. Used for the models and for
# the messages, so the message always states the range the model enforces.
RANGES: dict[str, tuple[float, float]] = {
    "weeks": (4, 42),
    "days": (0, 6),
    "length_mm": (0, 80),
    "dilation_cm": (0, 10),
    "second_trimester_losses_painless_dilation": (0, 20),
    "spontaneous_preterm_births_before_34w": (0, 20),
    "plurality": (1, 4),
    "antenatal_corticosteroid_courses": (1, 2),
}
UNITS = {"weeks": "weeks", "days": "days", "length_mm": "mm", "dilation_cm": "cm", "plurality": "fetuses",
         "antenatal_corticosteroid_courses": "courses"}
WHOLE_NUMBERS = {"weeks", "days", "plurality", "second_trimester_losses_painless_dilation",
                 "spontaneous_preterm_births_before_34w", "antenatal_corticosteroid_courses"}
# Version 2 (clinical-spec.md section 5): the earliest GA a steroid course counts from.
STEROIDS_EARLIEST_DAYS = 22 * 7
CERCLAGE_TYPES = ("transvaginal", "transabdominal", "unknown")


def _not_bool(value: Any) -> Any:
    """true/false is not a number (pydantic would read it as 1/0)."""
    if isinstance(value, bool):
        raise ValueError("a number, not true/false")
    return value


Int = Annotated[int, BeforeValidator(_not_bool)]
Float = Annotated[float, BeforeValidator(_not_bool)]


def _range(name: str) -> dict[str, float]:
    low, high = RANGES[name]
    return {"ge": low, "le": high}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GestationalAge(_Strict):
    """Completed weeks and days (0-6)."""

    weeks: Int = Field(**_range("weeks"))
    days: Int = Field(0, **_range("days"))

    @property
    def total_days(self) -> int:
        return galib.to_days(self.weeks, self.days)

    @property
    def label(self) -> str:
        return f"{self.weeks}+{self.days}"


class History(_Strict):
    second_trimester_losses_painless_dilation: Int = Field(0, **_range("second_trimester_losses_painless_dilation"))
    spontaneous_preterm_births_before_34w: Int = Field(0, **_range("spontaneous_preterm_births_before_34w"))
    prior_cerclage_for_painless_dilation: bool = False
    cervical_surgery: bool = False
    in_utero_des_exposure: bool = False
    uterine_or_cervical_anomaly: bool = False
    cervical_trauma: bool = False


class Cervix(_Strict):
    length_mm: Float | None = Field(None, **_range("length_mm"))
    dilation_cm: Float | None = Field(None, **_range("dilation_cm"))
    funneling: bool = False
    membranes_at_or_beyond_external_os: bool = False
    membranes_prolapsed_into_vagina: bool = False


class SerialLength(_Strict):
    gestational_age: GestationalAge
    length_mm: Float = Field(**_range("length_mm"))


class Membranes(_Strict):
    status: Literal["intact", "ruptured"] = "intact"
    rupture_gestational_age: GestationalAge | None = None


class RedFlags(_Strict):
    regular_contractions_or_labor: bool = False
    vaginal_bleeding: bool = False
    signs_of_intraamniotic_infection: bool = False
    fetal_demise: bool = False
    lethal_fetal_anomaly: bool = False


class Treatments(_Strict):
    """Version 2: antenatal corticosteroids already given (GA of the first dose of the most recent course)."""

    antenatal_corticosteroids_ga: GestationalAge | None = None
    antenatal_corticosteroid_courses: Int | None = Field(None, **_range("antenatal_corticosteroid_courses"))


class Case(_Strict):
    """One pregnancy at one visit. Only ``gestational_age`` is required."""

    gestational_age: GestationalAge
    plurality: Int = Field(1, **_range("plurality"))
    history: History = History()
    cervix: Cervix = Cervix()
    serial_cervical_lengths: tuple[SerialLength, ...] = ()
    membranes: Membranes = Membranes()
    cerclage_in_place: bool = False
    cerclage_type: Literal["transvaginal", "transabdominal", "unknown"] | None = None
    treatments: Treatments = Treatments()
    rhd_negative: bool | None = None
    red_flags: RedFlags = RedFlags()

    @property
    def current_length_mm(self) -> float | None:
        """Today's cervical length: ``cervix.length_mm``, else a serial measurement dated today (spec 3.5)."""
        if self.cervix.length_mm is not None:
            return self.cervix.length_mm
        today = self.gestational_age.total_days
        for item in self.serial_cervical_lengths:
            if item.gestational_age.total_days == today:
                return item.length_mm
        return None


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(case)"


def _field_name(loc: tuple[Any, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return ""


def _range_text(name: str) -> str:
    low, high = RANGES[name]
    unit = f" {UNITS[name]}" if name in UNITS else ""
    kind = "a whole number" if name in WHOLE_NUMBERS else "a number"
    return f"must be {kind} from {low:g} to {high:g}{unit}"


def allowed_fields(root: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """The field names allowed where an unknown field was found under ``root`` (empty when not a model)."""
    model: type[BaseModel] = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return ""
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        found = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not found:
            return ""
        model = found[0]
    return ", ".join(model.model_fields)


def _message(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    name = _field_name(loc)
    given = err.get("input")
    shown = shown_value(given)
    if kind == "extra_forbidden":
        allowed = allowed_fields(Case, loc)
        return "unknown field" + (f" (allowed here: {allowed})" if allowed else "")
    if kind == "missing":
        return "required"
    if name in RANGES and kind in {
        "greater_than_equal", "less_than_equal", "int_parsing", "int_from_float", "float_parsing",
        "int_type", "float_type", "finite_number", "value_error",
    }:
        return f"{_range_text(name)} (got {shown})"
    if kind in {"bool_parsing", "bool_type"}:
        return f"must be true or false (got {shown})"
    if kind == "literal_error":
        return f"must be one of {err.get('ctx', {}).get('expected', '')} (got {shown})"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"must be an object with named fields (got {shown})"
    if kind in {"tuple_type", "list_type"}:
        return f"must be a list (got {shown})"
    return f"{err.get('msg', 'invalid value')} (got {shown})"


def _cross_field_errors(case: Case) -> list[FieldError]:
    """Rules between fields (clinical-spec.md section 5)."""
    errors: list[FieldError] = []
    current = case.gestational_age
    rupture = case.membranes.rupture_gestational_age
    if rupture is not None:
        if case.membranes.status == "intact":
            errors.append(FieldError(
                "membranes.rupture_gestational_age",
                "must be empty while membranes.status is 'intact' (set the status to 'ruptured' or clear the rupture date)",
            ))
        elif rupture.total_days > current.total_days:
            errors.append(FieldError(
                "membranes.rupture_gestational_age",
                f"must not be later than the current gestational age {current.label} (got {rupture.label})",
            ))
    cervix = case.cervix
    if cervix.membranes_at_or_beyond_external_os and cervix.dilation_cm == 0:
        errors.append(FieldError(
            "cervix.membranes_at_or_beyond_external_os",
            "cannot be true with cervix.dilation_cm 0: the os cannot be closed if membranes are at or beyond it "
            "(enter the dilation, or leave it empty if not examined)",
        ))
    if cervix.membranes_prolapsed_into_vagina and not cervix.membranes_at_or_beyond_external_os:
        errors.append(FieldError(
            "cervix.membranes_prolapsed_into_vagina",
            "requires cervix.membranes_at_or_beyond_external_os to be true (prolapsed membranes are beyond the os)",
        ))
    for index, item in enumerate(case.serial_cervical_lengths):
        if item.gestational_age.total_days > current.total_days:
            errors.append(FieldError(
                f"serial_cervical_lengths[{index}].gestational_age",
                f"must not be later than the current gestational age {current.label} "
                f"(got {item.gestational_age.label})",
            ))
        elif (item.gestational_age.total_days == current.total_days and cervix.length_mm is not None
              and item.length_mm != cervix.length_mm):
            errors.append(FieldError(
                f"serial_cervical_lengths[{index}].length_mm",
                f"a measurement dated today ({current.label}) must equal cervix.length_mm {cervix.length_mm:g} mm "
                f"(got {item.length_mm:g} mm); correct one of them, or leave cervix.length_mm empty",
            ))
    treatments = case.treatments
    steroids = treatments.antenatal_corticosteroids_ga
    if steroids is not None:
        earliest = galib.label(STEROIDS_EARLIEST_DAYS)
        if steroids.total_days > current.total_days or steroids.total_days < STEROIDS_EARLIEST_DAYS:
            errors.append(FieldError(
                "treatments.antenatal_corticosteroids_ga",
                f"must be from {earliest} up to the current gestational age {current.label} (got {steroids.label})",
            ))
    elif treatments.antenatal_corticosteroid_courses is not None:
        errors.append(FieldError(
            "treatments.antenatal_corticosteroid_courses",
            "requires treatments.antenatal_corticosteroids_ga (the GA of the first dose of the most recent course)",
        ))
    if case.cerclage_type is not None and not case.cerclage_in_place:
        errors.append(FieldError(
            "cerclage_type",
            f"must be empty unless cerclage_in_place is true (one of {', '.join(CERCLAGE_TYPES)} with a cerclage in place)",
        ))
    return errors


def _raw_cross_field_errors(data: Mapping[str, Any]) -> list[FieldError]:
    """The version-2 cross-field rules that can be checked on raw input when the model fails, so a
    case with a type error elsewhere still lists every problem (clinical-spec.md section 5)."""
    errors: list[FieldError] = []
    if data.get("cerclage_type") is not None and data.get("cerclage_in_place") is not True:
        errors.append(FieldError(
            "cerclage_type",
            f"must be empty unless cerclage_in_place is true (one of {', '.join(CERCLAGE_TYPES)} with a cerclage in place)",
        ))
    treatments = data.get("treatments")
    if (isinstance(treatments, Mapping) and treatments.get("antenatal_corticosteroid_courses") is not None
            and treatments.get("antenatal_corticosteroids_ga") is None):
        errors.append(FieldError(
            "treatments.antenatal_corticosteroid_courses",
            "requires treatments.antenatal_corticosteroids_ga (the GA of the first dose of the most recent course)",
        ))
    return errors


def parse_case(data: Any) -> Case:
    """Validate ``data`` into a :class:`Case`; raise :class:`CaseValidationError` otherwise."""
    if isinstance(data, Case):
        return data
    if not isinstance(data, Mapping):
        raise CaseValidationError([FieldError("(case)", f"must be an object with named fields (got {type(data).__name__})")])
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        errors = [FieldError(_path(tuple(e["loc"])), _message(e)) for e in exc.errors(include_url=False)]
        listed = {e.path for e in errors}
        raise CaseValidationError(errors + [e for e in _raw_cross_field_errors(data) if e.path not in listed]) from None
    except (TypeError, ValueError, RecursionError) as exc:  # defensive: never leak another exception
        raise CaseValidationError([FieldError("(case)", f"could not be read: {exc}")]) from None
    problems = _cross_field_errors(case)
    if problems:
        raise CaseValidationError(problems)
    return case


def case_to_dict(case: Case) -> dict[str, Any]:
    """The case as contract JSON (all fields, defaults filled in)."""
    return case.model_dump(mode="json")
