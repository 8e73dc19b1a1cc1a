"""The decision rules of clinical-spec.md (version 2), one function per option and per assessment.

Each function reads :class:`~decision.facts.Facts`, the profile's thresholds and the statuses
already settled for other options, and *proposes* statuses, each with a reason id from
``data/knowledge/reasons.yaml`` (the rationale text and its sources). Section 3.0 then settles
what the option gets when several bullets speak to it: the most offered proposal for the options
in :data:`MOST_OFFERED`, the most restrictive for those in :data:`MOST_RESTRICTIVE`, and the
overrides (a)-(d) and (g). A function's comments name the spec bullet each proposal comes from.

The functions read facts and thresholds through the two arguments ``f`` and ``t``. In plain mode
these are the :class:`Facts` and the :class:`~decision.kb.Profile` themselves; when explanations
are wanted they are recorders that note every fact and threshold read (section 10), so the record
of what decided an option is made by the rules as they run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from .errors import KnowledgeError
from .facts import Facts
from .kb import ASSESSMENT_IDS, OPTION_IDS, PLACEMENT_OPTIONS, Profile, Value, Window

RECOMMENDED = "recommended"
CONSIDER = "consider"
NOT_RECOMMENDED = "not_recommended"
CONTRAINDICATED = "contraindicated"
NOT_APPLICABLE = "not_applicable"
OFFERED = (RECOMMENDED, CONSIDER)
REC, CON, NREC, CONTRA, NA = RECOMMENDED, CONSIDER, NOT_RECOMMENDED, CONTRAINDICATED, NOT_APPLICABLE

# Section 3.0: offered-ness order and restriction order (lower ranks first).
OFFERED_RANK = {REC: 0, CON: 1, NREC: 2, NA: 3, CONTRA: 4}
RESTRICTIVE_RANK = {CONTRA: 0, NREC: 1, NA: 2, CON: 3, REC: 4}
MOST_RESTRICTIVE = frozenset({
    "pprom_expectant_management", "serial_cervical_length_surveillance", "vaginal_progesterone", *PLACEMENT_OPTIONS,
})

Params = dict[str, object]
Proposal = tuple[str, str, Params]  # (status, reason id, text parameters)
_NO: Params = {}


def _p(status: str, reason: str, **params: object) -> Proposal:
    return (status, reason, params or _NO)


def _label(days: int | None) -> str:
    return "unknown" if days is None else f"{days // 7}+{days % 7}"


Statuses = Mapping[str, str]
OptionRule = Callable[[Any, Any, Statuses], list[Proposal]]


# ---------------------------------------------------------------- placement (3.4, 3.5, 3.6, 3.7)

def _placement_blocked(f: Any) -> list[Proposal] | None:
    """3.7 cerclage in place, 3.2 early pregnancy: the placement option does not arise (3.1 is 3.0 (a))."""
    if f.cerclage_in_place:
        return [_p(NA, "placement.in_place")]
    if f.early_alert:
        return [_p(NA, "early.not_applicable")]
    return None


def history_indicated_cerclage(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.6 history-indicated (preventive) cerclage; 4 (rcog criterion and window)."""
    blocked = _placement_blocked(f)
    if blocked:
        return blocked
    window = t.window("history_cerclage")
    if f.multiple:
        return [_p(NREC, "hx.multiple")] if f.ga <= window.end_days else []
    if f.history_indication:
        if f.ga <= window.end_days:
            if window.start_days is not None and f.ga < window.start_days:
                return [_p(REC, "hx.plan")]
            return [_p(REC, "hx.indicated")]
        if t.window("history_cerclage_late").contains(f.ga) and f.closed and not f.ci_criteria:
            return [_p(CON, "hx.late")]
        return [_p(NA, "hx.window_passed")]
    if f.any_risk and (f.ga <= window.end_days or (f.prior_ci and f.closed and not f.ci_criteria
                                                    and t.window("history_cerclage_late").contains(f.ga))):
        return [_p(NREC, "hx.risk_factors_alone")]
    return []


def ultrasound_indicated_cerclage(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.5 ultrasound-indicated cerclage; 4 (rcog: no cerclage for an incidental very short cervix)."""
    blocked = _placement_blocked(f)
    if blocked:
        return blocked
    if f.ruptured:
        return []
    if f.ci_criteria or not f.closed:  # 3.5 is for a closed cervix; with an open os 3.4 decides
        return [_p(NA, "us.dilated")]
    if f.length is None:
        return []
    window = t.window("ultrasound_cerclage")
    if f.ga > window.end_days:
        return [_p(NA, "us.after_window")] if f.short else [_p(NA, "us.not_short")]
    if window.start_days is not None and f.ga < window.start_days:
        return [_p(NA, "us.before_window")] if f.short else []
    # 3.5: without a history, SMFM's 10-25 mm (25 inclusive) applies under both profiles
    no_history_short = (not f.prior_sptb_or_loss and not f.multiple
                        and f.length <= t.value("progesterone_consider_max_mm").number)
    if not f.short and not no_history_short:
        return [_p(NA, "us.not_short")]
    if f.multiple:
        return [_p(NREC, "us.multiple_very_short" if f.very_short else "us.multiple")]
    if f.prior_sptb_or_loss:
        decided = _p(CON, "us.history_short")
    elif not t.window("progesterone_no_history").contains(f.ga):  # no history: confirm the length from 16+0
        return [_p(NA, "us.recheck")]
    elif f.very_short:
        decided = _p(t.ultrasound_cerclage.no_history_very_short_cerclage, "us.no_history_very_short")
    else:
        decided = _p(NREC, "us.no_history_short")
    s_ = f.shortening
    if s_ is None:
        return [decided]
    # 3.5: shortening on serial measurements is said in the rationale (the seed's "evidence that the cervix is shortening")
    return [decided, _p(decided[0], "us.shortening", first=f"{s_.first_mm:g}", first_ga=_label(s_.first_ga),
                        latest=f"{s_.latest_mm:g}", drop=f"{s_.drop_mm:g}")]


def physical_exam_indicated_cerclage(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.4 emergency (physical-exam-indicated) cerclage; 4 (rcog: up to 27+6)."""
    blocked = _placement_blocked(f)
    if blocked:
        return blocked
    if not f.exam_ci:
        if f.ci_criteria and f.ga > t.window("exam_ci").end_days:
            return [_p(NA, "pe.after_34")]
        return []
    window = t.window("physical_exam_cerclage")
    if f.ga > window.end_days:
        if t.window("physical_exam_late").contains(f.ga):
            return [_p(NREC, "pe.after_window")]
        return [_p(NA, "pe.window_passed")]
    if f.dilation is not None and f.dilation > t.value("cerclage_max_dilation_cm").number:
        return [_p(NREC, "pe.late")]
    if window.start_days is not None and f.ga < window.start_days:
        return [_p(CON, "pe.before_window")]
    if f.multiple:
        return [_p(CON, "pe.multiple")]
    if f.prolapsed:
        return [_p(CON, "pe.prolapsed")]
    return [_p(CON, "pe.window")]


# ---------------------------------------------------------------- progesterone and surveillance

def vaginal_progesterone(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.5 vaginal progesterone (SMFM-CS70); 4 (NICE-NG25: either factor alone)."""
    if f.early_alert:
        return [_p(NA, "early.not_applicable")]
    if f.ruptured or f.contraindications:
        return []
    if f.ci_criteria or not f.closed:  # 3.5 is for a closed cervix; with an open os 3.4 decides
        return [_p(NA, "progesterone.dilated")]
    us_window = t.window("ultrasound_cerclage")
    in_us_window = us_window.contains(f.ga)
    policy = t.ultrasound_cerclage
    if f.multiple:
        return [_p(NREC, "progesterone.multiple")] if (f.short and in_us_window) else []
    if f.cerclage_in_place:
        return [_p(CON, "progesterone.cerclage")] if (f.short and in_us_window) else []
    if f.length is None:
        if policy.history_alone_progesterone and f.prior_sptb_or_loss and in_us_window:
            return [_p(CON, "progesterone.history_alone")]
        return []
    if f.prior_sptb_or_loss:
        if in_us_window:
            if f.short:
                return [_p(policy.history_short_progesterone, "progesterone.history_short")]
            if policy.history_alone_progesterone:
                return [_p(CON, "progesterone.history_alone")]
            return []
    elif t.window("progesterone_no_history").contains(f.ga):
        if policy.no_history_progesterone_by_length:
            if f.length <= t.value("progesterone_recommended_max_mm").number:
                return [_p(REC, "progesterone.le_20")]
            if f.length <= t.value("progesterone_consider_max_mm").number:
                return [_p(CON, "progesterone.21_25")]
            return []
        return [_p(CON, "progesterone.short_alone")] if f.short else []
    if not f.short:
        return []
    if f.ga > us_window.end_days or f.ga > t.window("progesterone_no_history").end_days:
        return [_p(NA, "progesterone.after_window")]
    return [_p(NA, "progesterone.before_window")]


def serial_cervical_length_surveillance(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.6 surveillance; 3.4 (open external os with a long cervix); 3.5 (short before 16+0); 3.7."""
    # 3.0 (f): every bullet that applies proposes; the most restrictive wins
    out: list[Proposal] = []
    if f.ruptured or f.labor or f.infection or f.demise or f.lethal or f.ci_criteria:
        out.append(_p(NA, "surveillance.blocked"))
    if f.early_alert:
        out.append(_p(NA, "early.not_applicable"))
    if f.multiple and (f.any_risk or f.short or f.open_not_ci):
        out.append(_p(NREC, "surveillance.multiple"))
    if f.cerclage_in_place:
        out.append(_p(NREC, "surveillance.after_cerclage"))
    if out:
        return out
    if f.multiple:
        return out
    window = t.window("surveillance")
    if f.any_risk:
        if f.ga > window.end_days:
            out.append(_p(NA, "surveillance.after_window"))
        elif window.start_days is not None and f.ga < window.start_days:
            out.append(_p(REC, "surveillance.start_later"))
        else:
            out.append(_p(REC, "surveillance.now"))
        if s["history_indicated_cerclage"] in OFFERED and f.ga <= window.end_days:
            out.append(_p(CON, "surveillance.alternative"))
    elif f.short and not f.prior_sptb_or_loss and t.window("short_cervix_recheck").contains(f.ga):
        out.append(_p(REC, "surveillance.recheck"))
    elif f.open_not_ci and t.window("ultrasound_cerclage").contains(f.ga):
        out.append(_p(CON, "surveillance.open_os"))
    return out


# ---------------------------------------------------------------- PPROM (3.3) and counseling (3.11)

def previable_pprom_counseling(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.3 counseling after rupture before viability (the seed's dilemma)."""
    if not f.ruptured:
        return []
    if f.ga < t.value("viability_threshold").days:
        return [_p(REC, "counseling.previable", rupture=_rupture(f))]
    return [_p(NA, "counseling.viable")]


def _rupture(f: Any) -> str:
    return f"at {_label(f.rupture_ga)}" if f.rupture_ga is not None else "(rupture GA not recorded)"


def pprom_expectant_management(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.3 expectant management; 3.2 (infection); 3.3 (labor, lethal anomaly)."""
    out: list[Proposal] = []
    if f.infection:
        out.append(_p(NREC, "expectant.infection"))
    if not f.ruptured:
        return out
    if f.labor:
        out.append(_p(NREC, "expectant.labor"))
    if f.lethal:
        out.append(_p(CON, "expectant.lethal"))
    viability = t.value("viability_threshold").days
    deliver_from = t.value("pprom_delivery_from").days
    if f.ga < viability:
        if t.window("latency_antibiotics").contains(f.ga):
            out.append(_p(CON, "expectant.previable_antibiotics", rupture=_rupture(f)))
        else:
            out.append(_p(CON, "expectant.previable", rupture=_rupture(f)))
    elif f.ga < deliver_from:
        out.append(_p(REC, "expectant.viable", rupture=_rupture(f)))
    elif f.ga < t.value("term_from").days:
        if f.multiple:
            out.append(_p(NREC, "expectant.late_preterm_multiple"))
        else:
            out.append(_p(CON, "expectant.late_preterm"))
    else:
        out.append(_p(NA, "expectant.term"))
    return out


def delivery(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.2 (infection, demise, labor, bleeding) and 3.3 (PPROM): the most offered applies."""
    out: list[Proposal] = []
    if f.infection:
        out.append(_p(REC, "delivery.infection"))
    if f.demise:
        out.append(_p(REC, "delivery.demise"))
    late_preterm = f.ga >= t.value("pprom_delivery_from").days
    if f.ruptured:
        if f.ga < t.value("viability_threshold").days:
            out.append(_p(CON, "delivery.previable_consent"))
        elif not late_preterm:
            out.append(_p(NREC, "delivery.pprom_expectant"))
        else:
            out.append(_p(REC, "delivery.pprom_34"))
        if f.labor:
            out.append(_p(REC, "delivery.pprom_labor"))
        if f.bleeding:
            out.append(_p(CON, "delivery.pprom_bleeding"))
        if f.lethal:
            out.append(_p(CON, "delivery.pprom_lethal"))
    elif f.labor:
        if late_preterm:
            out.append(_p(REC, "delivery.labor_34"))
        elif t.window("preterm_labor").contains(f.ga) and (
                f.bleeding or (f.dilation is not None and f.dilation > t.value("cerclage_max_dilation_cm").number)):
            out.append(_p(CON, "delivery.labor_no_tocolysis"))
    if f.bleeding and not f.ruptured and late_preterm:
        out.append(_p(CON, "delivery.bleeding_34"))
    return out


def preterm_birth_preparation(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.8 steroids, magnesium, neonatology; 3.2 (bleeding, infection); 3.0 (d) lethal anomaly."""
    if f.lethal:
        return [_p(NREC, "prep.lethal")]
    out: list[Proposal] = []
    recommended = t.window("steroids_recommended")
    periviable = t.window("steroids_consider")
    if f.delivery_risk or f.bleeding:
        if recommended.contains(f.ga):
            if not f.delivery_risk:
                out.append(_p(CON, "prep.bleeding"))
            else:
                out.append(_prior_course(f, t))
        elif periviable.contains(f.ga) and f.delivery_risk:
            out.append(_p(CON, "prep.periviable"))
        elif f.delivery_risk and periviable.start_days is not None and f.ga < periviable.start_days:
            out.append(_p(NA, "prep.before_window"))
    if (f.very_short and not f.ruptured and not f.ci_criteria and not f.contraindications
            and f.ga > t.window("ultrasound_cerclage").end_days and recommended.contains(f.ga)):
        out.append(_p(CON, "prep.very_short"))  # 3.5: steroids if delivery within 7 days is judged likely
    if (not f.delivery_risk and f.steroid_courses == 1 and f.ga < recommended.end_days + 1
            and f.steroid_days_since > t.value("repeat_steroids_after_days").number):
        out.append(_p(CON, "prep.repeat_course_if_likely", steroids_given=_label(f.steroids_ga),
                      steroid_days=f.steroid_days_since))  # 3.8: a single repeat course if delivery becomes likely
    late = t.window("late_preterm_steroids")
    if f.ga > recommended.end_days:
        if late.contains(f.ga) and (f.ruptured or f.labor or (f.bleeding and s["delivery"] in OFFERED)):
            if f.multiple:
                out.append(_p(NA, "prep.late_preterm_multiple"))
            elif f.infection:
                out.append(_p(NREC, "prep.late_preterm_infection"))
            elif f.steroid_courses:
                out.append(_p(NREC, "prep.late_preterm_prior_course", steroids_given=_label(f.steroids_ga)))
            else:
                out.append(_p(CON, "prep.late_preterm"))
        elif f.infection:
            out.append(_p(NREC, "prep.infection_34"))
        elif f.delivery_risk or f.ci_criteria or f.bleeding:
            out.append(_p(NA, "prep.after_34"))
    return out


def _prior_course(f: Any, t: Any) -> Proposal:
    """3.8 a course already given: repeat (more than 14 days), rescue (7-14 days), none (under 7 days)."""
    if not f.steroid_courses:
        return _p(REC, "prep.recommended")
    since = f.steroid_days_since
    given, courses = _label(f.steroids_ga), f.steroid_courses
    if courses >= t.value("max_steroid_courses").number:
        reason = "prep.courses_done"
    elif since > t.value("repeat_steroids_after_days").number:
        reason = "prep.repeat_course"
    elif since >= t.value("rescue_steroids_after_days").number:
        reason = "prep.rescue_possible"
    else:
        reason = "prep.course_recent"
    return _p(REC, reason, steroids_given=given, steroid_days=since, courses=courses)


def cerclage_removal(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.7 removal; 3.2 (infection, labor, demise, lethal anomaly, failing cerclage); 3.3 (PPROM)."""
    if not f.cerclage_in_place:
        return []
    if f.transabdominal:
        return [_p(NA, "removal.transabdominal")]
    out: list[Proposal] = []
    if f.infection:
        out.append(_p(REC, "removal.infection"))
    if f.labor:
        out.append(_p(REC, "removal.labor"))
    if f.demise:
        out.append(_p(REC, "removal.demise"))
    if f.ruptured:
        if f.ga >= t.value("pprom_delivery_from").days:
            out.append(_p(REC, "removal.pprom_delivery"))
        elif f.bleeding:
            out.append(_p(REC, "removal.pprom_bleeding"))
        else:
            out.append(_p(CON, "removal.pprom"))
    if f.failing_cerclage:
        out.append(_p(CON, "removal.failing"))
    if f.lethal:
        out.append(_p(CON, "removal.lethal"))
    window = t.window("cerclage_removal")
    if window.start_days is not None and f.ga >= window.start_days:
        out.append(_p(REC, "removal.overdue" if f.ga > window.end_days else "removal.term"))
    elif not out:
        out.append(_p(NA, "removal.not_yet"))
    return out


def pregnancy_options_counseling(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.11 with a lethal fetal anomaly (ACOG-CO786)."""
    return [_p(REC, "options.lethal")] if f.lethal else []


# ---------------------------------------------------------------- after placement is settled

def trendelenburg_bed_rest(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.4 (general), 3.10, 3.0 (b): consider exactly when CI is found and emergency cerclage is not offered."""
    window = t.window("bed_rest")
    if f.ga < (window.start_days or 0):
        return [_p(NA, "bed_rest.before_14")] if (f.cervix_open or f.ruptured) else []
    if f.ga > window.end_days:
        return [_p(NA, "bed_rest.after_34")] if (f.cervix_open or f.ruptured) else []
    if f.cerclage_in_place:
        return [_p(NA, "bed_rest.cerclage_in_place")] if (f.cervix_open or f.ruptured) else []
    if f.contraindications:
        return [_p(NREC, "bed_rest.contraindicated", which=", ".join(f.contraindications))]
    if not f.exam_ci:
        return []
    if s["physical_exam_indicated_cerclage"] in OFFERED:
        return [_p(NA, "bed_rest.cerclage_offered")]
    return [_p(CON, "bed_rest.cerclage_not_possible",
               pe_status=s["physical_exam_indicated_cerclage"].replace("_", " "))]


def periviable_birth_counseling(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.11: birth likely at 20+0..25+6, or an expected loss at 12+0..19+6."""
    if f.lethal or f.demise:
        return []
    if f.ruptured and f.ga < t.value("viability_threshold").days:
        return []  # the previable PPROM counseling covers it
    pe_offered = s["physical_exam_indicated_cerclage"] in OFFERED
    likely = (f.labor or f.infection or f.ruptured or f.late_diagnosis or f.failing_cerclage
              or (f.exam_ci and not pe_offered))
    if t.window("periviable").contains(f.ga):
        if likely:
            return [_p(REC, "periviable.likely")]
        if pe_offered:
            return [_p(CON, "periviable.before_cerclage")]
        return []
    if t.window("expected_loss_counseling").contains(f.ga) and (f.labor or f.infection or f.late_diagnosis):
        return [_p(REC, "periviable.expected_loss")]
    return []


_OTHER_OPTIONS = tuple(o for o in OPTION_IDS if o != "routine_prenatal_care")
_OFFERED_SET = frozenset(OFFERED)


def routine_prenatal_care(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.0 (g), 3.9: routine care only with no red flag, PPROM or CI and nothing else offered; no dead ends."""
    others = not _OFFERED_SET.isdisjoint(tuple(map(s.get, _OTHER_OPTIONS)))  # reads every other option's status
    if f.red_flag or f.ruptured or f.exam_ci or others:
        return [_p(NA, "routine.other_actions" if others else "routine.assessments")]
    if f.early_alert:
        return [_p(REC, "routine.early")]
    if f.cerclage_in_place:
        return [_p(REC, "routine.cerclage")]
    if f.ci_criteria or f.open_not_ci or (f.cervix_open and f.ga > t.window("exam_ci").end_days):
        return [_p(REC, "routine.dilation_after_34" if f.ga > t.window("exam_ci").end_days else "routine.open_os")]
    if f.short:
        return [_p(REC, "routine.short_no_option")]
    if f.prior_ci or f.any_risk:
        return [_p(REC, "routine.history_after_windows" if f.prior_ci else "routine.risk_but_nothing_now")]
    return [_p(REC, "routine.nothing_found")]


# ---------------------------------------------------------------- assessments (3.12)

def infection_assessment(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.12: emergency cerclage offered, dilation above 4 cm or prolapse, PPROM, failing cerclage, infection."""
    if f.demise and not (f.ruptured or f.infection):
        return []
    out: list[Proposal] = []
    if f.infection:
        out.append(_p(REC, "infection.signs"))
    if f.ruptured:
        out.append(_p(REC, "infection.pprom"))
    if s["physical_exam_indicated_cerclage"] in OFFERED:
        out.append(_p(REC, "infection.before_cerclage"))
    if f.late_diagnosis and not f.ruptured:
        out.append(_p(REC, "infection.late"))
    if f.failing_cerclage:
        out.append(_p(REC, "infection.failing_cerclage"))
    return out


def speculum_exam(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.12 (EXPERT): very short or unexamined short cervix, open external os, 3.4 (c), early pregnancy."""
    if f.demise:
        return []
    out: list[Proposal] = []
    if f.early_alert:
        out.append(_p(REC, "speculum.early"))
    if f.ruptured:
        return out
    if f.very_short:
        out.append(_p(REC, "speculum.very_short"))
    elif f.short and f.dilation is None:
        out.append(_p(REC, "speculum.short_not_examined"))
    if f.open_not_ci and not f.early_alert:
        out.append(_p(REC, "speculum.open_os"))
    if f.ci_without_scan and f.exam_ci:
        out.append(_p(REC, "speculum.no_scan"))
    if (f.short and not f.prior_sptb_or_loss and not f.multiple and not f.cerclage_in_place
            and t.window("short_cervix_recheck").contains(f.ga)):
        out.append(_p(REC, "speculum.recheck"))
    return out


def placental_assessment(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.12: active bleeding (RCOG-GTG63)."""
    return [_p(REC, "placental.bleeding")] if f.bleeding else []


def preterm_labor_assessment(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.12: at 20+0-33+6 only, labor with intact membranes, CI on examination, or under 10 mm from 24+0."""
    if f.demise:
        return []
    window = t.window("preterm_labor")
    if not window.contains(f.ga):
        return []
    out: list[Proposal] = []
    if f.labor and not f.ruptured:
        out.append(_p(REC, "preterm_labor.labor"))
    if f.exam_ci:
        out.append(_p(REC, "preterm_labor.exam"))
    if (f.very_short and not f.ruptured and not f.ci_criteria
            and f.ga > t.window("ultrasound_cerclage").end_days):
        out.append(_p(REC, "preterm_labor.very_short"))
    return out


def anti_d_prophylaxis(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.12: a sensitising event or procedure, by RhD status; routine prophylaxis from 28+0 (ACOG-PB181)."""
    trigger = (f.bleeding or f.demise or s["physical_exam_indicated_cerclage"] in OFFERED
               or s["delivery"] in OFFERED or s["pregnancy_options_counseling"] == REC)
    if trigger:
        if f.rhd_negative is None:
            return [_p(CON, "anti_d.check")]
        return [_p(REC, "anti_d.event")] if f.rhd_negative else [_p(NA, "anti_d.positive")]
    if f.rhd_negative and f.ga >= t.value("anti_d_routine_from").days:
        return [_p(CON, "anti_d.routine")]
    return []


def gbs_prophylaxis(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.12: PPROM or labor, by gestational age; not with fetal demise (ACOG-CO797)."""
    if f.demise or not (f.ruptured or f.labor):
        return []
    if t.window("gbs_prophylaxis").contains(f.ga):
        return [_p(REC, "gbs.recommended")]
    if t.window("gbs_periviable").contains(f.ga):
        return [_p(CON, "gbs.periviable")]
    if f.ga >= t.value("term_from").days:
        return [_p(CON, "gbs.term")]
    return [_p(NA, "gbs.before_22")]


def vte_assessment(f: Any, t: Any, s: Statuses) -> list[Proposal]:
    """3.12: bed rest to consider, admission for expectant management from 24+0, fetal demise."""
    out: list[Proposal] = []
    if s["trendelenburg_bed_rest"] == CON:
        out.append(_p(REC, "vte.bed_rest"))
    if s["pprom_expectant_management"] in OFFERED and f.ga >= t.value("viability_threshold").days:
        out.append(_p(REC, "vte.admission"))
    if f.demise:
        out.append(_p(REC, "vte.demise"))
    return out


# Evaluation order: each option is settled before any option that reads its status.
OPTION_RULES: tuple[tuple[str, OptionRule], ...] = (
    ("history_indicated_cerclage", history_indicated_cerclage),
    ("ultrasound_indicated_cerclage", ultrasound_indicated_cerclage),
    ("physical_exam_indicated_cerclage", physical_exam_indicated_cerclage),
    ("vaginal_progesterone", vaginal_progesterone),
    ("serial_cervical_length_surveillance", serial_cervical_length_surveillance),
    ("previable_pprom_counseling", previable_pprom_counseling),
    ("pprom_expectant_management", pprom_expectant_management),
    ("delivery", delivery),
    ("preterm_birth_preparation", preterm_birth_preparation),
    ("cerclage_removal", cerclage_removal),
    ("pregnancy_options_counseling", pregnancy_options_counseling),
    ("trendelenburg_bed_rest", trendelenburg_bed_rest),
    ("periviable_birth_counseling", periviable_birth_counseling),
    ("routine_prenatal_care", routine_prenatal_care),
)
ASSESSMENT_RULES: tuple[tuple[str, OptionRule], ...] = (
    ("infection_assessment", infection_assessment),
    ("speculum_exam", speculum_exam),
    ("placental_assessment", placental_assessment),
    ("preterm_labor_assessment", preterm_labor_assessment),
    ("anti_d_prophylaxis", anti_d_prophylaxis),
    ("gbs_prophylaxis", gbs_prophylaxis),
    ("vte_assessment", vte_assessment),
)
assert {o for o, _ in OPTION_RULES} == set(OPTION_IDS)
assert tuple(a for a, _ in ASSESSMENT_RULES) == ASSESSMENT_IDS
ALL_RULES = (*OPTION_RULES, *ASSESSMENT_RULES)
_PLACEMENT = frozenset(PLACEMENT_OPTIONS)
_DEMISE_KEEPS = frozenset({"delivery", "cerclage_removal", "trendelenburg_bed_rest", *ASSESSMENT_IDS})


def resolve(item: str, proposals: list[Proposal], f: Any) -> tuple[str, list[Proposal]]:
    """Section 3.0: the status ``item`` gets, and the proposals that gave it (the rationale).

    Overrides first, in the spec's order: (a) placement with a 3.1 finding is contraindicated;
    (b) bed rest is settled by its own rule (not applicable outside 14+0-33+6 or with a cerclage,
    otherwise not recommended with a 3.1 finding); (c) with fetal demise every other option but
    delivery and removal of a vaginal cerclage does not arise; then (e) the most
    offered or (f) the most restrictive proposal. No proposal: ``not_applicable`` (default reason).
    """
    if item in _PLACEMENT and f.contraindications:
        return CONTRA, [_p(CONTRA, "placement.contraindicated", which=", ".join(f.contraindications))]
    if f.demise and item not in _DEMISE_KEEPS:
        return NA, [_p(NA, "any.demise")]  # (c); bed rest follows (b), which comes first
    if not proposals:
        return NA, [_p(NA, f"default.{item}")]
    if len(proposals) == 1:
        return proposals[0][0], proposals
    rank = RESTRICTIVE_RANK if item in MOST_RESTRICTIVE else OFFERED_RANK
    status = min((p[0] for p in proposals), key=rank.__getitem__)
    return status, [p for p in proposals if p[0] == status]


def alerts(f: Any) -> list[str]:
    """3.2 and 3.3: the banners shown first (ids in alerts.yaml), in order of urgency."""
    out: list[str] = []
    if f.early_alert:
        out.append("early_pregnancy")
    if f.infection:
        out.append("intraamniotic_infection")
    if f.demise:
        out.append("fetal_demise")
    if f.labor:
        out.append("labor")
    if f.bleeding:
        out.append("vaginal_bleeding")
    if f.ruptured:
        out.append("ruptured_membranes")
    if f.transabdominal and (f.labor or f.demise or f.ruptured or f.infection):
        out.append("transabdominal_cerclage")
    if f.failing_cerclage:
        out.append("failing_cerclage")
    if f.lethal:
        out.append("lethal_fetal_anomaly")
    if f.prolapsed and not f.ruptured:
        out.append("prolapsed_membranes")
    return out


class _Value:
    """A profile value with ``days`` and ``number`` read once (plain attributes); anything else, and
    a ``days`` or ``number`` the value does not have (its KnowledgeError), comes from the value itself."""

    __slots__ = ("_value", "days", "number")

    def __init__(self, value: Value) -> None:
        self._value = value
        for name in ("days", "number"):
            with contextlib.suppress(KnowledgeError):
                setattr(self, name, getattr(value, name))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._value, name)


class Thresholds:
    """A profile's thresholds as the rules read them (``window``, ``value``, the two policies), with
    ``window`` and ``value`` bound straight to mappings made once: the plain path's ``t``."""

    __slots__ = ("history_cerclage", "profile", "ultrasound_cerclage", "value", "window")

    def __init__(self, p: Profile) -> None:
        self.profile = p
        self.window: Callable[[str], Window] = dict(p.windows).__getitem__
        self.value: Callable[[str], Any] = {key: _Value(v) for key, v in p.values.items()}.__getitem__
        self.ultrasound_cerclage = p.ultrasound_cerclage
        self.history_cerclage = p.history_cerclage


_THRESHOLDS: dict[int, Thresholds] = {}


def thresholds(p: Profile) -> Thresholds:
    """The profile's :class:`Thresholds`, made once per profile object."""
    cached = _THRESHOLDS.get(id(p))
    if cached is None or cached.profile is not p:
        cached = _THRESHOLDS[id(p)] = Thresholds(p)
    return cached


class Board:
    """The settled statuses (options then assessments) and the proposals behind each, for one case."""

    __slots__ = ("alerts", "reasons", "status")

    def __init__(self) -> None:
        self.status: dict[str, str] = {}
        self.reasons: dict[str, list[Proposal]] = {}
        self.alerts: list[str] = []


def apply(f: Facts, p: Profile, f_reader: Any = None, t_reader: Any = None,
          on_item: Callable[[str], None] | None = None,
          status_view: Callable[[dict[str, str]], Statuses] | None = None) -> Board:
    """Run every rule in order and settle each status (section 3.0).

    ``f_reader`` / ``t_reader`` (optional) read facts and thresholds in place of ``f`` and ``p``,
    and ``status_view`` wraps the settled statuses the rules read (the explanation recorders);
    ``on_item`` is called before each option or assessment is decided.
    """
    fr = f if f_reader is None else f_reader
    tr = p if t_reader is None else t_reader
    board = Board()
    status = board.status
    reasons = board.reasons
    if on_item is None and status_view is None:  # the plain path (batch, what-if searches)
        if f_reader is None:
            return _apply_plain(f, thresholds(p) if t_reader is None else t_reader, board)
        for item, rule in ALL_RULES:
            status[item], reasons[item] = resolve(item, rule(fr, tr, status), fr)
        board.alerts = alerts(f)
        return board
    view = status if status_view is None else status_view(status)
    for item, rule in ALL_RULES:
        if on_item is not None:
            on_item(item)
        status[item], reasons[item] = resolve(item, rule(fr, tr, view), fr)
    board.alerts = alerts(f)
    return board


# The plain path's plan: per item its rule, whether override (a) or (c) can apply, its default reason
# and its section 3.0 rank, fixed once (the rules and these tables do not change at run time).
_DEMISE_REASON: list[Proposal] = [_p(NA, "any.demise")]
_PLAN: tuple[tuple[str, OptionRule, bool, bool, list[Proposal], Mapping[str, int]], ...] = tuple(
    (item, rule, item in _PLACEMENT, item not in _DEMISE_KEEPS, [_p(NA, f"default.{item}")],
     RESTRICTIVE_RANK if item in MOST_RESTRICTIVE else OFFERED_RANK)
    for item, rule in ALL_RULES
)


def _apply_plain(f: Facts, t: Any, board: Board) -> Board:
    """:func:`apply` without recorders: :func:`resolve` inlined, and a rule whose result an override
    (a) or (c) would discard is not run (the rules are pure functions, so the board is the same)."""
    status = board.status
    reasons = board.reasons
    contra = f.contraindications
    demise = f.demise
    blocked = [_p(CONTRA, "placement.contraindicated", which=", ".join(contra))] if contra else None
    for item, rule, placement, demise_overrides, default, rank in _PLAN:
        if placement and blocked is not None:
            status[item] = CONTRA
            reasons[item] = blocked
        elif demise and demise_overrides:
            status[item] = NA
            reasons[item] = _DEMISE_REASON
        else:
            proposals = rule(f, t, status)
            if not proposals:
                status[item] = NA
                reasons[item] = default
            elif len(proposals) == 1:
                status[item] = proposals[0][0]
                reasons[item] = proposals
            else:
                best = min((p[0] for p in proposals), key=rank.__getitem__)
                status[item] = best
                reasons[item] = [p for p in proposals if p[0] == best]
    board.alerts = alerts(f)
    return board
