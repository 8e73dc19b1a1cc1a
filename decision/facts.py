"""Facts derived once from a case under a profile: what every rule reads.

Rules read these named facts rather than the raw case, so the clinical meaning of a phrase such
as "cervical insufficiency on examination" is written in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import ga as galib
from .case import Case
from .knowledge import Profile

CONTRAINDICATION_NAMES = {
    "ruptured": "ruptured membranes",
    "labor": "regular contractions or labor",
    "infection": "signs of intra-amniotic infection",
    "bleeding": "active vaginal bleeding",
    "demise": "fetal demise",
    "lethal": "lethal fetal anomaly",
}
SEED_RISK_NAMES = {
    "prior_ci": "a previous pregnancy with cervical insufficiency",
    "surgery": "cervical surgery (cone, LEEP)",
    "des": "in-utero DES exposure",
    "anomaly": "a congenital uterine or cervical anomaly",
    "trauma": "cervical trauma",
}


@dataclass(frozen=True, slots=True)
class Shortening:
    first_ga: int
    first_mm: float
    latest_ga: int
    latest_mm: float

    @property
    def drop_mm(self) -> float:
        return self.first_mm - self.latest_mm


@dataclass(frozen=True, slots=True)
class Facts:
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


def is_short(length: float, profile: Profile) -> bool:
    threshold = profile.value("short_cervix_mm")
    return length <= threshold.number if threshold.inclusive else length < threshold.number


def _shortening(case: Case, profile: Profile) -> Shortening | None:
    series = [(m.gestational_age.total_days, m.length_mm) for m in case.serial_cervical_lengths]
    if case.cervix.length_mm is not None:
        series.append((case.gestational_age.total_days, case.cervix.length_mm))
    if len(series) < 2:
        return None
    series.sort(key=lambda item: item[0])
    latest_ga, latest = series[-1]
    first_ga, first = max(series[:-1], key=lambda item: item[1])
    if first - latest >= profile.value("shortening_min_drop_mm").number and is_short(latest, profile):
        return Shortening(first_ga, first, latest_ga, latest)
    return None


def derive(case: Case, profile: Profile) -> Facts:
    """Compute the facts the rules use, for ``case`` under ``profile``."""
    ga = case.gestational_age.total_days
    flags = case.red_flags
    history = case.history
    cervix = case.cervix
    ruptured = case.membranes.status == "ruptured"
    present = {
        "ruptured": ruptured,
        "labor": flags.regular_contractions_or_labor,
        "infection": flags.signs_of_intraamniotic_infection,
        "bleeding": flags.vaginal_bleeding,
        "demise": flags.fetal_demise,
        "lethal": flags.lethal_fetal_anomaly,
    }
    contraindications = tuple(CONTRAINDICATION_NAMES[k] for k, v in present.items() if v)
    dilation = cervix.dilation_cm
    dilated = dilation is not None and dilation >= profile.value("exam_dilation_min_cm").number
    exam_ci = (not ruptured) and not flags.regular_contractions_or_labor and (
        dilated or cervix.membranes_at_or_beyond_external_os
    )
    late = cervix.membranes_prolapsed_into_vagina or (
        dilation is not None and dilation > profile.value("cerclage_max_dilation_cm").number
    )
    losses = history.second_trimester_losses_painless_dilation
    sptb = history.spontaneous_preterm_births_before_34w
    seed = {
        "prior_ci": losses > 0 or history.prior_cerclage_for_painless_dilation,
        "surgery": history.cervical_surgery,
        "des": history.in_utero_des_exposure,
        "anomaly": history.uterine_or_cervical_anomaly,
        "trauma": history.cervical_trauma,
    }
    criterion = profile.history_cerclage
    counts = {"second_trimester_losses_painless_dilation": losses, "spontaneous_preterm_births_before_34w": sptb}
    events = sum(counts[name] for name in criterion.count_fields)
    indication = events >= criterion.min_count or (
        criterion.prior_cerclage_counts and history.prior_cerclage_for_painless_dilation
    )
    length = cervix.length_mm
    rupture = case.membranes.rupture_gestational_age
    return Facts(
        ga=ga,
        ga_label=galib.label(ga),
        multiple=case.plurality > 1,
        plurality=case.plurality,
        ruptured=ruptured,
        rupture_ga=rupture.total_days if (ruptured and rupture is not None) else None,
        labor=flags.regular_contractions_or_labor,
        bleeding=flags.vaginal_bleeding,
        infection=flags.signs_of_intraamniotic_infection,
        demise=flags.fetal_demise,
        lethal=flags.lethal_fetal_anomaly,
        contraindications=contraindications,
        cerclage_in_place=case.cerclage_in_place,
        length=length,
        dilation=dilation,
        funneling=cervix.funneling,
        at_os=cervix.membranes_at_or_beyond_external_os,
        prolapsed=cervix.membranes_prolapsed_into_vagina,
        exam_ci=exam_ci,
        late_diagnosis=late,
        losses=losses,
        sptb=sptb,
        prior_cerclage=history.prior_cerclage_for_painless_dilation,
        seed_risks=tuple(SEED_RISK_NAMES[k] for k, v in seed.items() if v),
        prior_sptb_or_loss=sptb > 0 or losses > 0,
        history_indication=indication,
        history_events=events,
        short=length is not None and is_short(length, profile),
        shortening=_shortening(case, profile),
        delivery_risk=flags.regular_contractions_or_labor or ruptured or dilated
        or cervix.membranes_at_or_beyond_external_os or cervix.membranes_prolapsed_into_vagina,
    )
