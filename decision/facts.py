"""Facts derived once from a case under a profile: what every rule reads.

Rules read these named facts rather than the raw case, so the clinical meaning of a phrase such
as "cervical insufficiency on examination" is written in exactly one place.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import ga as galib
from .case import Case
from .kb import Profile

CONTRAINDICATION_NAMES = {
    "ruptured": "ruptured membranes",
    "labor": "regular contractions or labor",
    "infection": "signs of intra-amniotic infection",
    "bleeding": "active vaginal bleeding",
    "demise": "fetal demise",
    "lethal": "lethal fetal anomaly",
}
NAN = math.nan
SEED_RISK_NAMES = {
    "prior_ci": "a previous pregnancy with cervical insufficiency",
    "surgery": "cervical surgery (cone, LEEP)",
    "des": "in-utero DES exposure",
    "anomaly": "a congenital uterine or cervical anomaly",
    "trauma": "cervical trauma",
}


# Flat codes for the version-2 categorical inputs (numbers, so the batch can group on them).
CERCLAGE_TYPE_CODES: dict[str | None, int] = {None: 0, "transvaginal": 1, "transabdominal": 2, "unknown": 3}
CERCLAGE_TYPES_BY_CODE = {code: name for name, code in CERCLAGE_TYPE_CODES.items()}
RHD_CODES: dict[bool | None, int] = {None: 0, True: 1, False: 2}
RHD_BY_CODE = {code: value for value, code in RHD_CODES.items()}


class Shortening(NamedTuple):
    first_ga: int
    first_mm: float
    latest_ga: int
    latest_mm: float

    @property
    def drop_mm(self) -> float:
        return self.first_mm - self.latest_mm


class Facts(NamedTuple):
    ga: int
    ga_label: str
    multiple: bool
    plurality: int
    ruptured: bool
    rupture_ga: int | None
    labor: bool
    bleeding: bool
    infection: bool
    demise: bool
    lethal: bool
    contraindications: tuple[str, ...]
    cerclage_in_place: bool
    cerclage_type: str | None
    length: float | None
    dilation: float | None
    funneling: bool
    at_os: bool
    prolapsed: bool
    cervix_open: bool
    exam_ci: bool
    late_diagnosis: bool
    losses: int
    sptb: int
    prior_cerclage: bool
    seed_risks: tuple[str, ...]
    prior_sptb_or_loss: bool
    history_indication: bool
    history_events: int
    short: bool
    shortening: Shortening | None
    delivery_risk: bool
    # version 2
    ci_criteria: bool = False
    ci_without_scan: bool = False
    open_not_ci: bool = False
    closed: bool = True
    very_short: bool = False
    early: bool = False
    early_alert: bool = False
    failing_cerclage: bool = False
    steroids_ga: int | None = None
    steroid_courses: int = 0
    rhd_negative: bool | None = None

    @property
    def any_risk(self) -> bool:
        """A seed risk factor or a prior spontaneous preterm birth before 34 weeks."""
        return bool(self.seed_risks) or self.sptb > 0

    @property
    def risk_text(self) -> str:
        parts = list(self.seed_risks)
        if self.sptb:
            parts.append(f"{self.sptb} prior spontaneous preterm birth(s) before 34 weeks")
        return "; ".join(parts) if parts else "no risk factor"

    @property
    def prior_ci(self) -> bool:
        """A prior cervical-insufficiency pregnancy (spec 3.6)."""
        return self.losses > 0 or self.prior_cerclage

    @property
    def transabdominal(self) -> bool:
        return self.cerclage_in_place and self.cerclage_type == "transabdominal"

    @property
    def vaginal_cerclage(self) -> bool:
        """A cerclage in place that is removed vaginally (transvaginal, or unknown treated as transvaginal)."""
        return self.cerclage_in_place and self.cerclage_type != "transabdominal"

    @property
    def red_flag(self) -> bool:
        return self.labor or self.bleeding or self.infection or self.demise or self.lethal

    @property
    def steroid_days_since(self) -> int | None:
        return None if self.steroids_ga is None else self.ga - self.steroids_ga


@dataclass(frozen=True, slots=True)
class Limits:
    """The numbers a profile's facts are computed against, read once from the profile data."""

    short_mm: float
    short_inclusive: bool
    exam_dilation_min_cm: float
    cerclage_max_dilation_cm: float
    shortening_min_drop_mm: float
    very_short_mm: float
    no_scan_dilation_cm: float
    failing_dilation_cm: float
    exam_ci_start: int
    exam_ci_end: int
    early_before: int
    history_fields: tuple[str, ...]
    history_min_count: int
    prior_cerclage_counts: bool


_LIMITS: dict[int, tuple[Profile, Limits]] = {}


def limits(profile: Profile) -> Limits:
    """The profile's :class:`Limits`, computed once per profile object."""
    cached = _LIMITS.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached[1]
    result = _limits(profile)
    _LIMITS[id(profile)] = (profile, result)
    return result


def _limits(profile: Profile) -> Limits:
    short = profile.value("short_cervix_mm")
    criterion = profile.history_cerclage
    return Limits(
        short_mm=short.number,
        short_inclusive=bool(short.inclusive),
        exam_dilation_min_cm=profile.value("exam_dilation_min_cm").number,
        cerclage_max_dilation_cm=profile.value("cerclage_max_dilation_cm").number,
        shortening_min_drop_mm=profile.value("shortening_min_drop_mm").number,
        very_short_mm=profile.value("very_short_cervix_mm").number,
        no_scan_dilation_cm=profile.value("exam_dilation_no_tvcl_cm").number,
        failing_dilation_cm=profile.value("failing_cerclage_dilation_cm").number,
        exam_ci_start=profile.window("exam_ci").start_days or 0,
        exam_ci_end=profile.window("exam_ci").end_days,
        early_before=profile.value("early_pregnancy_before").days,
        history_fields=tuple(criterion.count_fields),
        history_min_count=criterion.min_count,
        prior_cerclage_counts=criterion.prior_cerclage_counts,
    )


def is_short(length: Any, lim: Limits) -> Any:
    """Below (or at, if inclusive) the profile's short-cervix threshold; NaN (not measured) is False."""
    return length <= lim.short_mm if lim.short_inclusive else length < lim.short_mm


def core(v: Mapping[str, Any], p: Profile) -> dict[str, Any]:
    """The boolean facts, from flat values (scalars or NumPy arrays alike).

    ``v`` holds the flat columns of :mod:`decision.flat`: numbers (NaN when not measured),
    booleans, ``ruptured`` (bool). ``length_mm`` is today's length (``cervix.length_mm`` or a
    serial measurement dated today). Written with ``&``, ``|``, ``^`` and comparisons only, so the
    single-case engine and the vectorised batch share this one definition.
    """
    lim = limits(p)
    ga = v["ga"]
    ruptured = v["ruptured"]
    labor = v["regular_contractions_or_labor"]
    infection = v["signs_of_intraamniotic_infection"]
    bleeding = v["vaginal_bleeding"]
    demise = v["fetal_demise"]
    lethal = v["lethal_fetal_anomaly"]
    dilation = v["dilation_cm"]
    length = v["length_mm"]
    at_os = v["membranes_at_or_beyond_external_os"]
    prolapsed = v["membranes_prolapsed_into_vagina"]
    funneling = v["funneling"]
    short = is_short(length, lim)
    no_scan = length != length  # NaN: no cervical length today
    intact_no_labor = (ruptured ^ True) & (labor ^ True)
    dilated = dilation >= lim.exam_dilation_min_cm
    cervix_open = dilated | at_os  # with or without labor
    # 3.4 (a) membranes visible; (b) 1 cm or more with funneling or a short cervix; (c) 2 cm or more, no scan today
    ci_without_scan = (dilation >= lim.no_scan_dilation_cm) & no_scan
    ci_criteria = intact_no_labor & (at_os | (dilated & (funneling | short)) | ci_without_scan)
    in_ci_window = (ga >= lim.exam_ci_start) & (ga <= lim.exam_ci_end)
    losses = v["second_trimester_losses_painless_dilation"]
    sptb = v["spontaneous_preterm_births_before_34w"]
    prior_cerclage = v["prior_cerclage_for_painless_dilation"]
    prior_ci = (losses > 0) | prior_cerclage
    events = 0
    for name in lim.history_fields:
        events = events + v[name]
    exam_ci = ci_criteria & in_ci_window
    early = ga < lim.early_before
    cerclage = v["cerclage_in_place"]
    return {
        "multiple": v["plurality"] > 1,
        "ruptured": ruptured,
        "contraindicated": ruptured | labor | infection | bleeding | demise | lethal,
        "cervix_open": cervix_open,
        "ci_criteria": ci_criteria,
        "ci_without_scan": ci_criteria & ci_without_scan,
        "exam_ci": exam_ci,
        "open_not_ci": intact_no_labor & dilated & (ci_criteria ^ True),
        "closed": (cervix_open ^ True),
        "late_diagnosis": prolapsed | (dilation > lim.cerclage_max_dilation_cm),
        "prior_ci": prior_ci,
        "any_risk": prior_ci | v["cervical_surgery"] | v["in_utero_des_exposure"] | v["uterine_or_cervical_anomaly"]
        | v["cervical_trauma"] | (sptb > 0),
        "prior_sptb_or_loss": (sptb > 0) | (losses > 0),
        "history_indication": (events >= lim.history_min_count) | (prior_cerclage & lim.prior_cerclage_counts),
        "short": short,
        "very_short": length < lim.very_short_mm,
        "early": early,
        "early_alert": early & ((dilation > 0) | at_os | labor | bleeding),
        "failing_cerclage": cerclage & (at_os | (dilation >= lim.failing_dilation_cm)),
        "delivery_risk": labor | ruptured | infection | exam_ci | prolapsed,
    }


def flat_values(case: Case) -> dict[str, Any]:
    """The flat values :func:`core` and :func:`from_values` read, from a validated case."""
    h, c, r = case.history, case.cervix, case.red_flags
    rupture = case.membranes.rupture_gestational_age
    return {
        "ga": case.gestational_age.total_days,
        "rupture_ga": NAN if rupture is None else rupture.total_days,
        "plurality": case.plurality,
        "ruptured": case.membranes.status == "ruptured",
        "cerclage_in_place": case.cerclage_in_place,
        "regular_contractions_or_labor": r.regular_contractions_or_labor,
        "signs_of_intraamniotic_infection": r.signs_of_intraamniotic_infection,
        "vaginal_bleeding": r.vaginal_bleeding,
        "fetal_demise": r.fetal_demise,
        "lethal_fetal_anomaly": r.lethal_fetal_anomaly,
        "dilation_cm": NAN if c.dilation_cm is None else c.dilation_cm,
        "length_mm": NAN if (length := case.current_length_mm) is None else length,
        "funneling": c.funneling,
        "membranes_at_or_beyond_external_os": c.membranes_at_or_beyond_external_os,
        "membranes_prolapsed_into_vagina": c.membranes_prolapsed_into_vagina,
        "second_trimester_losses_painless_dilation": h.second_trimester_losses_painless_dilation,
        "spontaneous_preterm_births_before_34w": h.spontaneous_preterm_births_before_34w,
        "prior_cerclage_for_painless_dilation": h.prior_cerclage_for_painless_dilation,
        "cervical_surgery": h.cervical_surgery,
        "in_utero_des_exposure": h.in_utero_des_exposure,
        "uterine_or_cervical_anomaly": h.uterine_or_cervical_anomaly,
        "cervical_trauma": h.cervical_trauma,
        "cerclage_type": CERCLAGE_TYPE_CODES[case.cerclage_type if case.cerclage_in_place else None],
        "rhd_negative": RHD_CODES[case.rhd_negative],
        "steroids_ga": NAN if (given := case.treatments.antenatal_corticosteroids_ga) is None else given.total_days,
        "steroid_courses": case.treatments.antenatal_corticosteroid_courses or (0 if given is None else 1),
    }


def _shortening(case: Case, lim: Limits) -> Shortening | None:
    series = [(m.gestational_age.total_days, m.length_mm) for m in case.serial_cervical_lengths]
    if len(series) == 0:
        return None
    today = case.gestational_age.total_days
    if case.cervix.length_mm is not None and all(ga != today for ga, _mm in series):
        series.append((today, case.cervix.length_mm))
    if len(series) < 2:
        return None
    series.sort(key=lambda item: item[0])
    latest_ga, latest = series[-1]
    first_ga, first = max(series[:-1], key=lambda item: item[1])
    if first - latest >= lim.shortening_min_drop_mm and is_short(latest, lim):
        return Shortening(first_ga, first, latest_ga, latest)
    return None


_new = tuple.__new__
CONTRAINDICATION_ORDER = ("ruptured", "labor", "infection", "bleeding", "demise", "lethal")
SEED_RISK_ORDER = ("prior_ci", "surgery", "des", "anomaly", "trauma")
_CONTRAINDICATION_TEXTS = tuple(CONTRAINDICATION_NAMES[k] for k in CONTRAINDICATION_ORDER)
_SEED_RISK_TEXTS = tuple(SEED_RISK_NAMES[k] for k in SEED_RISK_ORDER)


def from_values(v: Mapping[str, Any], profile: Profile, shortening: Shortening | None = None) -> Facts:
    """Facts from one case's flat values (see :func:`flat_values`); serial trends come separately.

    The values are plain Python scalars (bools as bools; the batch takes its arrays' values with
    ``tolist``), so the facts :func:`core` computes from them are bools already; the counts and
    codes, which the batch holds as floats, are made ints here."""
    b = core(v, profile)
    ga = int(v["ga"])
    ruptured = b["ruptured"]
    labor = v["regular_contractions_or_labor"]
    bleeding = v["vaginal_bleeding"]
    infection = v["signs_of_intraamniotic_infection"]
    demise = v["fetal_demise"]
    lethal = v["lethal_fetal_anomaly"]
    cerclage = v["cerclage_in_place"]
    rupture = v["rupture_ga"]
    length = v["length_mm"]
    dilation = v["dilation_cm"]
    steroids = v["steroids_ga"]
    present = (ruptured, labor, infection, bleeding, demise, lethal)
    seed = (b["prior_ci"], v["cervical_surgery"], v["in_utero_des_exposure"], v["uterine_or_cervical_anomaly"],
            v["cervical_trauma"])
    events = 0
    for name in limits(profile).history_fields:
        events += v[name]
    # positional, in the order of Facts' fields, each named in its comment (tests/test_engine_speed.py
    # checks the names against Facts._fields): keyword arguments to a NamedTuple this size cost more
    # than everything else here
    return _new(Facts, (
        ga,  # ga
        galib.label(ga),  # ga_label
        b["multiple"],  # multiple
        int(v["plurality"]),  # plurality
        ruptured,  # ruptured
        int(rupture) if (ruptured and rupture == rupture) else None,  # rupture_ga (NaN: not recorded)
        labor,  # labor
        bleeding,  # bleeding
        infection,  # infection
        demise,  # demise
        lethal,  # lethal
        tuple([text for text, here in zip(_CONTRAINDICATION_TEXTS, present, strict=True) if here]),  # contraindications
        cerclage,  # cerclage_in_place
        (CERCLAGE_TYPES_BY_CODE[int(v["cerclage_type"])] or "transvaginal") if cerclage else None,  # cerclage_type
        None if length != length else length,  # length
        None if dilation != dilation else dilation,  # dilation
        v["funneling"],  # funneling
        v["membranes_at_or_beyond_external_os"],  # at_os
        v["membranes_prolapsed_into_vagina"],  # prolapsed
        b["cervix_open"],  # cervix_open
        b["exam_ci"],  # exam_ci
        b["late_diagnosis"],  # late_diagnosis
        int(v["second_trimester_losses_painless_dilation"]),  # losses
        int(v["spontaneous_preterm_births_before_34w"]),  # sptb
        v["prior_cerclage_for_painless_dilation"],  # prior_cerclage
        tuple([text for text, here in zip(_SEED_RISK_TEXTS, seed, strict=True) if here]),  # seed_risks
        b["prior_sptb_or_loss"],  # prior_sptb_or_loss
        b["history_indication"],  # history_indication
        int(events),  # history_events
        b["short"],  # short
        shortening,  # shortening
        b["delivery_risk"],  # delivery_risk
        b["ci_criteria"],  # ci_criteria
        b["ci_without_scan"],  # ci_without_scan
        b["open_not_ci"],  # open_not_ci
        b["closed"],  # closed
        b["very_short"],  # very_short
        b["early"],  # early
        b["early_alert"],  # early_alert
        b["failing_cerclage"],  # failing_cerclage
        None if steroids != steroids else int(steroids),  # steroids_ga
        int(v["steroid_courses"]),  # steroid_courses
        RHD_BY_CODE[int(v["rhd_negative"])],  # rhd_negative
    ))


def derive(case: Case, profile: Profile) -> Facts:
    """Compute the facts the rules use, for ``case`` under ``profile``."""
    return from_values(flat_values(case), profile, _shortening(case, limits(profile)))


# ---------------------------------------------------------------- explanations (spec section 10)
# Which case inputs (contract field paths) and which profile thresholds each fact is computed from.
# The rules' reads of facts are recorded as they run; these maps turn a fact read into the inputs
# and thresholds behind it. A property test checks they are complete: changing an input that a
# decision's record does not list never changes that decision.
_GA = ("gestational_age",)
_LENGTH = ("cervix.length_mm", "serial_cervical_lengths", "gestational_age")
_FLAGS = tuple(f"red_flags.{name}" for name in (
    "regular_contractions_or_labor", "vaginal_bleeding", "signs_of_intraamniotic_infection", "fetal_demise",
    "lethal_fetal_anomaly"))
_SEED = ("history.second_trimester_losses_painless_dilation", "history.prior_cerclage_for_painless_dilation",
         "history.cervical_surgery", "history.in_utero_des_exposure", "history.uterine_or_cervical_anomaly",
         "history.cervical_trauma")
_CI = ("membranes.status", "red_flags.regular_contractions_or_labor", "cervix.membranes_at_or_beyond_external_os",
       "cervix.dilation_cm", "cervix.funneling", *_LENGTH)
_CI_LIMITS = ("exam_dilation_min_cm", "short_cervix_mm", "exam_dilation_no_tvcl_cm")
FACT_INPUTS: dict[str, tuple[str, ...]] = {
    "ga": _GA, "ga_label": _GA, "early": _GA,
    "multiple": ("plurality",), "plurality": ("plurality",),
    "ruptured": ("membranes.status",),
    "rupture_ga": ("membranes.status", "membranes.rupture_gestational_age"),
    "labor": ("red_flags.regular_contractions_or_labor",),
    "bleeding": ("red_flags.vaginal_bleeding",),
    "infection": ("red_flags.signs_of_intraamniotic_infection",),
    "demise": ("red_flags.fetal_demise",),
    "lethal": ("red_flags.lethal_fetal_anomaly",),
    "red_flag": _FLAGS,
    "contraindications": ("membranes.status", *_FLAGS),
    "cerclage_in_place": ("cerclage_in_place",),
    "cerclage_type": ("cerclage_in_place", "cerclage_type"),
    "transabdominal": ("cerclage_in_place", "cerclage_type"),
    "vaginal_cerclage": ("cerclage_in_place", "cerclage_type"),
    "length": _LENGTH, "short": _LENGTH, "very_short": _LENGTH,
    "dilation": ("cervix.dilation_cm",),
    "funneling": ("cervix.funneling",),
    "at_os": ("cervix.membranes_at_or_beyond_external_os",),
    "prolapsed": ("cervix.membranes_prolapsed_into_vagina",),
    "cervix_open": ("cervix.dilation_cm", "cervix.membranes_at_or_beyond_external_os"),
    "closed": ("cervix.dilation_cm", "cervix.membranes_at_or_beyond_external_os"),
    "ci_criteria": _CI, "ci_without_scan": _CI, "open_not_ci": _CI,
    "exam_ci": (*_CI, "gestational_age"),
    "late_diagnosis": ("cervix.membranes_prolapsed_into_vagina", "cervix.dilation_cm"),
    "losses": ("history.second_trimester_losses_painless_dilation",),
    "sptb": ("history.spontaneous_preterm_births_before_34w",),
    "prior_cerclage": ("history.prior_cerclage_for_painless_dilation",),
    "seed_risks": _SEED,
    "prior_ci": ("history.second_trimester_losses_painless_dilation", "history.prior_cerclage_for_painless_dilation"),
    "any_risk": (*_SEED, "history.spontaneous_preterm_births_before_34w"),
    "risk_text": (*_SEED, "history.spontaneous_preterm_births_before_34w"),
    "prior_sptb_or_loss": ("history.spontaneous_preterm_births_before_34w",
                           "history.second_trimester_losses_painless_dilation"),
    "history_indication": ("history.second_trimester_losses_painless_dilation",
                           "history.spontaneous_preterm_births_before_34w", "history.prior_cerclage_for_painless_dilation"),
    "history_events": ("history.second_trimester_losses_painless_dilation", "history.spontaneous_preterm_births_before_34w"),
    "shortening": _LENGTH,
    "delivery_risk": (*_CI, "gestational_age", "red_flags.signs_of_intraamniotic_infection",
                      "cervix.membranes_prolapsed_into_vagina"),
    "early_alert": (*_GA, "cervix.dilation_cm", "cervix.membranes_at_or_beyond_external_os",
                    "red_flags.regular_contractions_or_labor", "red_flags.vaginal_bleeding"),
    "failing_cerclage": ("cerclage_in_place", "cervix.membranes_at_or_beyond_external_os", "cervix.dilation_cm"),
    "steroids_ga": ("treatments.antenatal_corticosteroids_ga",),
    "steroid_courses": ("treatments.antenatal_corticosteroids_ga", "treatments.antenatal_corticosteroid_courses"),
    "steroid_days_since": ("gestational_age", "treatments.antenatal_corticosteroids_ga"),
    "rhd_negative": ("rhd_negative",),
}
FACT_THRESHOLDS: dict[str, tuple[str, ...]] = {
    "short": ("short_cervix_mm",), "very_short": ("very_short_cervix_mm",),
    "cervix_open": ("exam_dilation_min_cm",), "closed": ("exam_dilation_min_cm",),
    "ci_criteria": _CI_LIMITS, "ci_without_scan": _CI_LIMITS, "open_not_ci": _CI_LIMITS,
    "exam_ci": (*_CI_LIMITS, "exam_ci"), "delivery_risk": (*_CI_LIMITS, "exam_ci"),
    "late_diagnosis": ("cerclage_max_dilation_cm",),
    "history_indication": ("history_cerclage_criterion",),
    "early": ("early_pregnancy_before",), "early_alert": ("early_pregnancy_before",),
    "failing_cerclage": ("failing_cerclage_dilation_cm",),
    "shortening": ("shortening_min_drop_mm", "short_cervix_mm"),
}
