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


@dataclass(frozen=True, slots=True)
class Limits:
    """The numbers a profile's facts are computed against, read once from the profile data."""

    short_mm: float
    short_inclusive: bool
    exam_dilation_min_cm: float
    cerclage_max_dilation_cm: float
    shortening_min_drop_mm: float
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
    booleans, ``ruptured`` (bool). Written with ``&``, ``|``, ``^`` and comparisons only, so the
    single-case engine and the vectorised batch share this one definition.
    """
    lim = limits(p)
    ruptured = v["ruptured"]
    labor = v["regular_contractions_or_labor"]
    infection = v["signs_of_intraamniotic_infection"]
    bleeding = v["vaginal_bleeding"]
    demise = v["fetal_demise"]
    lethal = v["lethal_fetal_anomaly"]
    dilation = v["dilation_cm"]
    at_os = v["membranes_at_or_beyond_external_os"]
    prolapsed = v["membranes_prolapsed_into_vagina"]
    cervix_open = (dilation >= lim.exam_dilation_min_cm) | at_os  # with or without labor
    losses = v["second_trimester_losses_painless_dilation"]
    sptb = v["spontaneous_preterm_births_before_34w"]
    prior_cerclage = v["prior_cerclage_for_painless_dilation"]
    prior_ci = (losses > 0) | prior_cerclage
    events = 0
    for name in lim.history_fields:
        events = events + v[name]
    return {
        "multiple": v["plurality"] > 1,
        "ruptured": ruptured,
        "contraindicated": ruptured | labor | infection | bleeding | demise | lethal,
        "cervix_open": cervix_open,
        "exam_ci": (ruptured ^ True) & (labor ^ True) & cervix_open,
        "late_diagnosis": prolapsed | (dilation > lim.cerclage_max_dilation_cm),
        "prior_ci": prior_ci,
        "any_risk": prior_ci | v["cervical_surgery"] | v["in_utero_des_exposure"] | v["uterine_or_cervical_anomaly"]
        | v["cervical_trauma"] | (sptb > 0),
        "prior_sptb_or_loss": (sptb > 0) | (losses > 0),
        "history_indication": (events >= lim.history_min_count) | (prior_cerclage & lim.prior_cerclage_counts),
        "short": is_short(v["length_mm"], lim),
        "delivery_risk": labor | ruptured | cervix_open | prolapsed,
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
        "length_mm": NAN if c.length_mm is None else c.length_mm,
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
    }


def _shortening(case: Case, lim: Limits) -> Shortening | None:
    series = [(m.gestational_age.total_days, m.length_mm) for m in case.serial_cervical_lengths]
    if len(series) == 0:
        return None
    if case.cervix.length_mm is not None:
        series.append((case.gestational_age.total_days, case.cervix.length_mm))
    if len(series) < 2:
        return None
    series.sort(key=lambda item: item[0])
    latest_ga, latest = series[-1]
    first_ga, first = max(series[:-1], key=lambda item: item[1])
    if first - latest >= lim.shortening_min_drop_mm and is_short(latest, lim):
        return Shortening(first_ga, first, latest_ga, latest)
    return None


def _optional(value: Any) -> Any:
    return None if value != value else value  # NaN -> None


def from_values(v: Mapping[str, Any], profile: Profile, shortening: Shortening | None = None) -> Facts:
    """Facts from one case's flat values (see :func:`flat_values`); serial trends come separately."""
    b = core(v, profile)
    lim = limits(profile)
    ga = int(v["ga"])
    ruptured = bool(b["ruptured"])
    present = (
        ("ruptured", ruptured),
        ("labor", v["regular_contractions_or_labor"]),
        ("infection", v["signs_of_intraamniotic_infection"]),
        ("bleeding", v["vaginal_bleeding"]),
        ("demise", v["fetal_demise"]),
        ("lethal", v["lethal_fetal_anomaly"]),
    )
    seed = (
        ("prior_ci", b["prior_ci"]),
        ("surgery", v["cervical_surgery"]),
        ("des", v["in_utero_des_exposure"]),
        ("anomaly", v["uterine_or_cervical_anomaly"]),
        ("trauma", v["cervical_trauma"]),
    )
    rupture = _optional(v["rupture_ga"])
    return Facts(
        ga=ga,
        ga_label=galib.label(ga),
        multiple=bool(b["multiple"]),
        plurality=int(v["plurality"]),
        ruptured=ruptured,
        rupture_ga=int(rupture) if (ruptured and rupture is not None) else None,
        labor=bool(v["regular_contractions_or_labor"]),
        bleeding=bool(v["vaginal_bleeding"]),
        infection=bool(v["signs_of_intraamniotic_infection"]),
        demise=bool(v["fetal_demise"]),
        lethal=bool(v["lethal_fetal_anomaly"]),
        contraindications=tuple(CONTRAINDICATION_NAMES[k] for k, present_ in present if present_),
        cerclage_in_place=bool(v["cerclage_in_place"]),
        length=_optional(v["length_mm"]),
        dilation=_optional(v["dilation_cm"]),
        funneling=bool(v["funneling"]),
        at_os=bool(v["membranes_at_or_beyond_external_os"]),
        prolapsed=bool(v["membranes_prolapsed_into_vagina"]),
        cervix_open=bool(b["cervix_open"]),
        exam_ci=bool(b["exam_ci"]),
        late_diagnosis=bool(b["late_diagnosis"]),
        losses=int(v["second_trimester_losses_painless_dilation"]),
        sptb=int(v["spontaneous_preterm_births_before_34w"]),
        prior_cerclage=bool(v["prior_cerclage_for_painless_dilation"]),
        seed_risks=tuple(SEED_RISK_NAMES[k] for k, present_ in seed if present_),
        prior_sptb_or_loss=bool(b["prior_sptb_or_loss"]),
        history_indication=bool(b["history_indication"]),
        history_events=int(sum(v[name] for name in lim.history_fields)),
        short=bool(b["short"]),
        shortening=shortening,
        delivery_risk=bool(b["delivery_risk"]),
    )


def derive(case: Case, profile: Profile) -> Facts:
    """Compute the facts the rules use, for ``case`` under ``profile``."""
    return from_values(flat_values(case), profile, _shortening(case, limits(profile)))
