"""The decision rules of clinical-spec.md section 3, one concern per function, in the spec's order.

Each rule reads :class:`~decision.facts.Facts` and the profile's thresholds and writes option
decisions on a :class:`Board`. A rule may *force* a status (sections 3.1 and 3.2): later rules
cannot change a forced status, only add to its rationale. Every decision names a reason id from
``data/knowledge/reasons.yaml``, which carries the rationale text and its source ids.
"""

from __future__ import annotations

from collections.abc import Callable

from .facts import Facts
from .kb import OPTION_IDS, PLACEMENT_OPTIONS, Profile

RECOMMENDED = "recommended"
CONSIDER = "consider"
NOT_RECOMMENDED = "not_recommended"
CONTRAINDICATED = "contraindicated"
NOT_APPLICABLE = "not_applicable"
OFFERED = (RECOMMENDED, CONSIDER)

Reason = tuple[str, dict[str, object]]


_NO_PARAMS: dict[str, object] = {}
_DEFAULTS: dict[str, Reason] = {opt: (f"default.{opt}", _NO_PARAMS) for opt in OPTION_IDS}


class Board:
    """Option decisions being made for one case: status and reasons per option, plus alerts."""

    __slots__ = ("alerts", "locked", "reasons", "status")

    def __init__(self) -> None:
        self.status: dict[str, str] = dict.fromkeys(OPTION_IDS, NOT_APPLICABLE)
        self.reasons: dict[str, list[Reason]] = {opt: [reason] for opt, reason in _DEFAULTS.items()}
        self.locked: set[str] = set()
        self.alerts: list[str] = []

    def set(self, option: str, status: str, reason: str, **params: object) -> None:
        """Decide ``option``; a forced decision keeps its status and gains a reason only if it agrees."""
        if option in self.locked:
            if self.status[option] == status:
                self.add(option, reason, **params)
            return
        self.status[option] = status
        self.reasons[option] = [(reason, params)]

    def force(self, option: str, status: str, reason: str, **params: object) -> None:
        """Decide ``option`` and lock it against later rules (sections 3.1-3.2)."""
        self.set(option, status, reason, **params)
        self.locked.add(option)

    def add(self, option: str, reason: str, **params: object) -> None:
        """Add a reason to ``option`` without changing its status."""
        if self.reasons[option] and self.reasons[option][0][0].startswith("default."):
            self.reasons[option] = []
        self.reasons[option].append((reason, params))

    def alert(self, alert_id: str) -> None:
        if alert_id not in self.alerts:
            self.alerts.append(alert_id)

    def offered(self, option: str) -> bool:
        return self.status[option] in OFFERED


Rule = Callable[[Facts, Profile, Board], None]


def contraindications(f: Facts, p: Profile, b: Board) -> None:
    """3.1 Hard contraindications to placing any cerclage."""
    if f.contraindications:
        which = ", ".join(f.contraindications)
        for option in PLACEMENT_OPTIONS:
            b.force(option, CONTRAINDICATED, "placement.contraindicated", which=which)


def alerts(f: Facts, p: Profile, b: Board) -> None:
    """3.2 Alerts: infection, fetal demise, labor, bleeding (and PPROM, lethal anomaly, prolapse)."""
    if f.infection:
        b.alert("intraamniotic_infection")
        b.force("delivery", RECOMMENDED, "delivery.infection")
        if f.cerclage_in_place:
            b.force("cerclage_removal", RECOMMENDED, "removal.infection")
        b.force("trendelenburg_bed_rest", NOT_RECOMMENDED, "bed_rest.infection")
        b.force("pprom_expectant_management", NOT_RECOMMENDED, "expectant.infection")
    if f.demise:
        b.alert("fetal_demise")
        b.force("delivery", RECOMMENDED, "delivery.demise")
        if f.cerclage_in_place:
            b.force("cerclage_removal", RECOMMENDED, "removal.demise")
        if f.cervix_open and not f.ruptured:
            b.force("trendelenburg_bed_rest", NOT_RECOMMENDED, "bed_rest.demise")
        for option in b.status:
            if option not in b.locked:
                b.force(option, NOT_APPLICABLE, "any.demise")
    if f.labor:
        b.alert("labor")
        if f.cerclage_in_place:
            b.force("cerclage_removal", RECOMMENDED, "removal.labor")
    if f.bleeding:
        b.alert("vaginal_bleeding")
    if f.ruptured:
        b.alert("ruptured_membranes")
    if f.lethal:
        b.alert("lethal_fetal_anomaly")
    if f.prolapsed and not f.ruptured:
        b.alert("prolapsed_membranes")


def pprom(f: Facts, p: Profile, b: Board) -> None:
    """3.3 Ruptured membranes."""
    if not f.ruptured:
        return
    viability = p.value("viability_threshold").days
    deliver_from = p.value("pprom_delivery_from").days
    rupture = f"at {_label(f.rupture_ga)}" if f.rupture_ga is not None else "(rupture GA not recorded)"
    b.set("trendelenburg_bed_rest", NOT_RECOMMENDED, "bed_rest.pprom")
    if f.ga < viability:
        b.set("previable_pprom_counseling", RECOMMENDED, "counseling.previable", rupture=rupture)
        b.set("delivery", CONSIDER, "delivery.previable_consent")
        antibiotics = p.window("latency_antibiotics")
        reason = "expectant.previable_antibiotics" if antibiotics.contains(f.ga) else "expectant.previable"
        b.set("pprom_expectant_management", CONSIDER, reason, rupture=rupture)
    elif f.ga < deliver_from:
        b.set("previable_pprom_counseling", NOT_APPLICABLE, "counseling.viable")
        b.set("pprom_expectant_management", RECOMMENDED, "expectant.viable", rupture=rupture)
        if f.labor:
            b.set("delivery", CONSIDER, "delivery.pprom_labor")
        else:
            b.set("delivery", NOT_RECOMMENDED, "delivery.pprom_expectant")
    else:
        b.set("previable_pprom_counseling", NOT_APPLICABLE, "counseling.viable")
        b.set("pprom_expectant_management", NOT_RECOMMENDED, "expectant.after_34")
        b.set("delivery", RECOMMENDED, "delivery.pprom_34")


def exam_findings(f: Facts, p: Profile, b: Board) -> None:
    """3.4 Intact membranes with painless dilation on examination (emergency cerclage)."""
    if not f.exam_ci:
        return
    window = p.window("physical_exam_cerclage")
    option = "physical_exam_indicated_cerclage"
    b.set("ultrasound_indicated_cerclage", NOT_APPLICABLE, "us.dilated")
    if f.ga > window.end_days:
        b.set(option, NOT_RECOMMENDED, "pe.after_window")
    elif f.late_diagnosis:
        b.set(option, NOT_RECOMMENDED, "pe.late")
    elif window.start_days is not None and f.ga < window.start_days:
        b.set(option, CONSIDER, "pe.before_window")
    elif f.multiple:
        b.set(option, CONSIDER, "pe.multiple")
    else:
        b.set(option, CONSIDER, "pe.window")


def cervical_length(f: Facts, p: Profile, b: Board) -> None:
    """3.5 Intact membranes, closed cervix, transvaginal cervical length."""
    if f.ruptured or f.exam_ci:
        return
    window = p.window("ultrasound_cerclage")
    policy = p.ultrasound_cerclage
    in_window = window.contains(f.ga)
    if f.length is None:
        if (policy.history_alone_progesterone and f.prior_sptb_or_loss and in_window and not f.multiple
                and not f.contraindications):
            b.set("vaginal_progesterone", CONSIDER, "progesterone.history_alone")
        return
    if not in_window:
        if f.short:
            after = f.ga > window.end_days
            b.set("ultrasound_indicated_cerclage", NOT_APPLICABLE, "us.after_window" if after else "us.before_window")
            b.set("vaginal_progesterone", NOT_APPLICABLE, "progesterone.after_window" if after else "progesterone.before_window")
        return
    if f.contraindications:
        return
    if f.multiple:
        if f.short:
            b.set("ultrasound_indicated_cerclage", NOT_RECOMMENDED, "us.multiple")
            b.set("vaginal_progesterone", NOT_RECOMMENDED, "progesterone.multiple")
        return
    very_short = f.length < p.value("very_short_cervix_mm").number
    if f.prior_sptb_or_loss:
        if f.short:
            b.set("ultrasound_indicated_cerclage", CONSIDER, "us.history_short")
            b.set("vaginal_progesterone", policy.history_short_progesterone, "progesterone.history_short")
        else:
            b.set("ultrasound_indicated_cerclage", NOT_APPLICABLE, "us.not_short")
            if policy.history_alone_progesterone:
                b.set("vaginal_progesterone", CONSIDER, "progesterone.history_alone")
    else:
        if policy.no_history_progesterone_by_length:
            if f.length <= p.value("progesterone_recommended_max_mm").number:
                b.set("vaginal_progesterone", RECOMMENDED, "progesterone.le_20")
            elif f.length <= p.value("progesterone_consider_max_mm").number:
                b.set("vaginal_progesterone", CONSIDER, "progesterone.21_25")
        elif f.short:
            b.set("vaginal_progesterone", CONSIDER, "progesterone.short_alone")
        if very_short:
            b.set("ultrasound_indicated_cerclage", CONSIDER, "us.no_history_very_short")
        elif f.short:
            b.set("ultrasound_indicated_cerclage", NOT_RECOMMENDED, "us.no_history_short")
        else:
            b.set("ultrasound_indicated_cerclage", NOT_APPLICABLE, "us.not_short")
    if f.shortening is not None:
        s = f.shortening
        b.add("ultrasound_indicated_cerclage", "us.shortening", first=f"{s.first_mm:g}", first_ga=_label(s.first_ga),
              latest=f"{s.latest_mm:g}", drop=f"{s.drop_mm:g}")


def history(f: Facts, p: Profile, b: Board) -> None:
    """3.6 History and risk factors: history-indicated cerclage and surveillance."""
    window = p.window("history_cerclage")
    option = "history_indicated_cerclage"
    if not f.cerclage_in_place:
        if f.multiple:
            if f.ga <= window.end_days:
                b.set(option, NOT_RECOMMENDED, "hx.multiple")
        elif f.history_indication:
            if f.ga > window.end_days:
                b.set(option, NOT_APPLICABLE, "hx.window_passed")
            elif window.start_days is not None and f.ga < window.start_days:
                b.set(option, RECOMMENDED, "hx.plan")
            else:
                b.set(option, RECOMMENDED, "hx.indicated")
        elif f.any_risk and f.ga <= window.end_days:
            b.set(option, NOT_RECOMMENDED, "hx.risk_factors_alone")
    surveillance = p.window("surveillance")
    blocked = f.ruptured or f.labor or f.infection or f.demise or f.lethal or f.exam_ci
    if f.any_risk and not f.cerclage_in_place and not blocked:
        if f.ga > surveillance.end_days:
            b.set("serial_cervical_length_surveillance", NOT_APPLICABLE, "surveillance.after_window")
        elif surveillance.start_days is not None and f.ga < surveillance.start_days:
            b.set("serial_cervical_length_surveillance", RECOMMENDED, "surveillance.start_later")
        else:
            b.set("serial_cervical_length_surveillance", RECOMMENDED, "surveillance.now")


def cerclage_in_place(f: Facts, p: Profile, b: Board) -> None:
    """3.7 Cerclage already in place (removal, and no further placement or routine TVCL)."""
    if not f.cerclage_in_place:
        return
    for option in PLACEMENT_OPTIONS:
        b.set(option, NOT_APPLICABLE, "placement.in_place")
    b.set("serial_cervical_length_surveillance", NOT_RECOMMENDED, "surveillance.after_cerclage")
    removal = p.window("cerclage_removal")
    if f.ruptured:
        if f.ga >= p.value("pprom_delivery_from").days:
            b.set("cerclage_removal", RECOMMENDED, "removal.pprom_delivery")
        else:
            b.set("cerclage_removal", CONSIDER, "removal.pprom")
    elif removal.start_days is not None and f.ga >= removal.start_days:
        b.set("cerclage_removal", RECOMMENDED, "removal.overdue" if f.ga > removal.end_days else "removal.term")
    else:
        b.set("cerclage_removal", NOT_APPLICABLE, "removal.not_yet")


def bed_rest(f: Facts, p: Profile, b: Board) -> None:
    """3.4 (general) Head-down bed rest exactly when emergency cerclage is not offered.

    Dilation with labor is not cervical insufficiency on examination (it needs no labor), but the
    spec's "with infection, labor or demise it is not_recommended" still applies to it.
    """
    if f.ruptured or not f.cervix_open:
        return
    option = "trendelenburg_bed_rest"
    if f.infection or f.labor or f.demise:
        b.set(option, NOT_RECOMMENDED, "bed_rest.infection_labor_demise")
    elif b.offered("physical_exam_indicated_cerclage"):
        b.set(option, NOT_APPLICABLE, "bed_rest.cerclage_offered")
    else:
        b.set(option, CONSIDER, "bed_rest.cerclage_not_possible",
              pe_status=b.status["physical_exam_indicated_cerclage"].replace("_", " "))


def preterm_birth_preparation(f: Facts, p: Profile, b: Board) -> None:
    """3.8 Steroids, magnesium and neonatology when delivery risk is high."""
    if not f.delivery_risk:
        return
    option = "preterm_birth_preparation"
    if p.window("steroids_recommended").contains(f.ga):
        b.set(option, RECOMMENDED, "prep.recommended")
    elif p.window("steroids_consider").contains(f.ga):
        b.set(option, CONSIDER, "prep.periviable")
    elif f.ga > p.window("steroids_recommended").end_days:
        b.set(option, NOT_APPLICABLE, "prep.after_34")
    else:
        b.set(option, NOT_APPLICABLE, "prep.before_window")


def nothing_found(f: Facts, p: Profile, b: Board) -> None:
    """3.9 No finding and nothing else to offer: routine prenatal care."""
    finding = (f.ruptured or f.contraindications or f.exam_ci or f.short or f.cerclage_in_place
               or f.prolapsed or f.at_os)
    if finding or any(b.offered(o) for o in OPTION_IDS if o != "routine_prenatal_care"):
        b.set("routine_prenatal_care", NOT_APPLICABLE, "routine.other_actions")
    elif f.any_risk:
        b.set("routine_prenatal_care", RECOMMENDED, "routine.risk_but_nothing_now")
    else:
        b.set("routine_prenatal_care", RECOMMENDED, "routine.nothing_found")


RULES: tuple[tuple[str, Rule], ...] = (
    ("3.1", contraindications),
    ("3.2", alerts),
    ("3.3", pprom),
    ("3.4", exam_findings),
    ("3.5", cervical_length),
    ("3.6", history),
    ("3.7", cerclage_in_place),
    ("3.4", bed_rest),
    ("3.8", preterm_birth_preparation),
    ("3.9", nothing_found),
)


def _label(days: int | None) -> str:
    if days is None:
        return "unknown"
    return f"{days // 7}+{days % 7}"


def apply(f: Facts, p: Profile) -> Board:
    """Run every rule in order and return the board of decisions."""
    board = Board()
    for _section, rule in RULES:
        rule(f, p, board)
    return board
