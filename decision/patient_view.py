"""What the patient sees: clinical-spec.md section 6, "Patient-view safety" (version 2).

Pure (no Streamlit, no figures): the options page's patient view, ``ui.cards.patient_cards`` and the
patient handout (``reports``) all take their decisions from :func:`patient_view`, so the screen and
the printed handout cannot disagree. The rules, each a test:

- Evidence and icon arrays only for an offered option (``recommended`` or ``consider``), never for a
  ``contraindicated`` or ``not_recommended`` one, and only the study whose population is this case's
  (right study, right population, right GA). When nothing fits, nothing is shown: there is no
  fallback to another study.
- Fetal demise or a lethal fetal anomaly: no survival figure, no outcomes chart, no evidence (every
  study here counts babies' survival or birth), and no "we recommend steroids".
- Survival by week at birth only when a birth before about 26 weeks is under discussion.
- The plain text of ``delivery`` depends on GA: "too young to survive" only before viability (and
  not from 22+0, where some babies survive with intensive care).
- What was found (``findings``) says only what the case records, in plain words; nothing is said about
  what was not examined or measured beyond that (a drawing shows it as unknown).
- The checks suggested (``checks``) are the offered assessments' plain titles; "when to come in straight
  away" (``come_in_now``, from ``data/knowledge/come_in.yaml``, the one list patient mode and the handout
  show) fits the membranes (intact or ruptured), and speaks of the baby's movements only from 24+0 and
  never after a fetal demise.
- An offered option's evidence note is shown in its patient variant (``options.yaml``
  ``patient_evidence_note``: the same facts and sources in plain words); clinicians keep the clinician text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import ga as galib
from .case import Case, parse_case
from .engine import Assessment, OptionResult
from .facts import derive
from .kb import knowledge

OFFERED = ("recommended", "consider")

# outcomes.yaml evidence key -> the option it is evidence for; the order is the display order.
EVIDENCE_OPTION: dict[str, str] = {
    "emergency_cerclage": "physical_exam_indicated_cerclage",
    "twin_emergency_cerclage": "physical_exam_indicated_cerclage",
    "ultrasound_cerclage": "ultrasound_indicated_cerclage",
    "previable_pprom": "previable_pprom_counseling",
    "activity_restriction": "trendelenburg_bed_rest",
}

# Study populations (clinical-spec.md section 7), in days of gestation.
ROMAN_2020_GA = (galib.to_days(16, 0), galib.to_days(23, 6))  # twins, dilation 1-5 cm at 16+0-23+6
UKOSS_2024_RUPTURE_GA = (galib.to_days(16, 0), galib.to_days(22, 6))  # singletons, PPROM at 16+0-22+6
BERGHELLA_2011_LENGTH_BELOW_MM = 25.0  # singleton, prior spontaneous preterm birth, length below 25 mm
BERGHELLA_2011_GA_BEFORE = galib.to_days(24, 0)  # "before 24 weeks"
# Delivery stages that are definitions rather than profile thresholds.
LATE_PRETERM_FROM = galib.to_days(34, 0)
RESUSCITATION_FROM = galib.to_days(22, 0)  # resuscitation or comfort care from 22+0 (spec 3.11, ACOG-OCC6)

STAGES = ("before_viability", "periviable", "preterm", "late_preterm", "term")

# The plain text of `delivery`, by stage (spec section 6). "{weeks}" is the completed week.
DELIVERY_TEXT = {
    "before_viability": (
        "Delivery now would end the pregnancy at a time when the baby is too young to survive. It may be "
        "advised to protect your health, for example with an infection inside the womb; otherwise it is one of "
        "your choices. It is a decision we make together with you, and only with your consent."
    ),
    # Still before viability, but from 22+0 some babies survive with intensive care (section 7): not "too young".
    "before_viability_22": (
        "Delivery now would mean a baby born extremely early, at {weeks} weeks. Many babies born this early do "
        "not survive, and those who do often have serious health problems; care at birth can be full intensive "
        "care or comfort care, and we talk through that choice with you. Delivery may be advised to protect your "
        "health, for example with an infection inside the womb; otherwise it is one of your choices. It is a "
        "decision we make together with you, and only with your consent."
    ),
    "periviable": (
        "Giving birth now would mean a baby born very early, at {weeks} weeks. Some babies born this early "
        "survive with newborn intensive care, and many of those who survive have health problems; we go through "
        "what the studies found for this week with you. Delivery is advised when continuing the pregnancy carries "
        "more risk than the birth, for example with an infection inside the womb. We plan the birth with you and "
        "the newborn team, including the care your baby would have at birth."
    ),
    "preterm": (
        "Giving birth now would mean a baby born early (preterm), at {weeks} weeks. Your baby would be cared "
        "for in a newborn unit; the earlier the birth, the more help a baby usually needs. Delivery is advised "
        "when continuing the pregnancy carries more risk than the birth, for example with an infection inside the "
        "womb or labour that cannot be stopped. We plan the birth with you and the newborn team."
    ),
    "late_preterm": (
        "Giving birth now would mean a baby born a few weeks early, at {weeks} weeks. Babies born at this stage "
        "sometimes need extra help with breathing, feeding or keeping warm. Delivery is often advised at this "
        "stage when the waters have broken, labour has started or there is an infection. We talk through the "
        "timing and the way of giving birth with you."
    ),
    "term": (
        "Your pregnancy is at term ({weeks} weeks). Giving birth now, by starting labour (induction) or letting "
        "labour continue, is the usual advice when the waters have broken or labour has started. We talk through "
        "how and when with you."
    ),
}
DELIVERY_TEXT_DEMISE = (
    "We are so sorry that your baby has died. We talk through when and how the birth happens. Often there is "
    "time to choose; the birth is advised sooner if there is an infection, the waters have broken or there is "
    "bleeding. You will have support now and afterwards."
)
DELIVERY_TEXT_LETHAL = (
    "Your baby's condition means the baby is not expected to survive. Giving birth now, or continuing the "
    "pregnancy for now, are choices we talk through with you; the birth is advised sooner if there is an "
    "infection or bleeding. Whatever you decide, you will have support."
)
# With a lethal anomaly, waiting after rupture has no benefit for the baby (spec 3.3): the usual text's
# "steroid injections to help the lungs" must not appear.
EXPECTANT_TEXT_LETHAL = (
    "We can wait under close watch, with checks for infection. Waiting does not change your baby's condition "
    "and carries a risk of infection for you; it is your choice, and we support it either way."
)
# Options whose patient text speaks of the baby's survival or of steroids: never shown as a card with a
# fetal demise or a lethal anomaly, whatever status the engine gives.
NO_FETAL_BENEFIT_OPTIONS = ("preterm_birth_preparation",)
# Timeline windows (profiles.yaml) the patient's timeline leaves out then: "Antenatal corticosteroids
# recommended", with today's marker inside it, would read as steroid advice.
STEROID_WINDOWS = ("steroids_consider", "steroids_recommended", "late_preterm_steroids", "magnesium")


@dataclass(frozen=True, slots=True)
class PatientCard:
    """One offered option as the patient sees it."""

    option_id: str
    status: str
    title: str  # plain title
    heading: str  # "We recommend" or "Something to talk about"
    text: str  # plain explanation (delivery: by GA)
    evidence_note: str | None  # the note that travels with the option (spec 3.10), in its patient words, when shown
    evidence_sources: tuple[str, ...] = ()  # the source ids the patient's note rests on


@dataclass(frozen=True, slots=True)
class PatientView:
    """Everything the patient view decides (see :func:`patient_view`)."""

    ga_label: str
    ga_days: int
    fetal_demise: bool
    lethal_anomaly: bool
    cards: tuple[PatientCard, ...]
    not_for_now: tuple[str, ...]  # seed options advised against now (ids), listed by plain title only
    evidence_keys: tuple[str, ...]  # outcomes.yaml evidence keys that may be shown, in display order
    evidence_option_ids: tuple[str, ...]  # the offered options those keys are evidence for
    shows_survival_figures: bool
    delivery_stage: str  # one of STAGES
    delivery_text: str
    outcomes_not_applicable: str | None  # why survival figures do not apply (the clinician chart says so)
    timeline_excluded_windows: tuple[str, ...] = ()  # profile windows the patient's timeline leaves out
    findings: tuple[str, ...] = ()  # what was found, in plain words (empty without the case)
    checks: tuple[str, ...] = ()  # the checks suggested (offered assessments), by plain title
    come_in_now: tuple[str, ...] = ()  # when to call or come in straight away

    @property
    def no_steroid_recommendation(self) -> bool:
        """Fetal demise or a lethal anomaly: the patient view never says "we recommend steroids"."""
        return self.fetal_demise or self.lethal_anomaly

    @property
    def shows_evidence(self) -> bool:
        return bool(self.evidence_keys)

    def evidence_option(self, key: str) -> str:
        """The option an evidence key is shown beside."""
        return EVIDENCE_OPTION[key]

    def card(self, option_id: str) -> PatientCard | None:
        return next((c for c in self.cards if c.option_id == option_id), None)


@dataclass(frozen=True, slots=True)
class _Inputs:
    """The case values the section-6 rules read (None: not known)."""

    plurality: int | None
    sptb: int | None
    length_mm: float | None
    ruptured: bool | None
    rupture_days: int | None
    demise: bool
    lethal: bool


def _from_case(case: Mapping[str, Any] | Case, profile: str) -> _Inputs:
    facts = derive(parse_case(case), knowledge().profiles[profile])
    return _Inputs(facts.plurality, facts.sptb, facts.length, facts.ruptured, facts.rupture_ga, facts.demise,
                   facts.lethal)


def _from_assessment(assessment: Assessment) -> _Inputs:
    """Without the case: what the assessment itself records (alerts; inputs in ``decided_by``).
    Anything it does not record stays unknown, and an unknown value never lets evidence through."""
    values: dict[str, Any] = {}
    for item in (*assessment.options, *assessment.assessments):
        for entry in item.decided_by:
            if "input" in entry:
                values.setdefault(str(entry["input"]), entry.get("value"))
    alerts = {a.id for a in assessment.alerts}
    length = values.get("cervix.length_mm")
    if length is None:  # today's length from the serial table ("19+0: 20 mm")
        for item in values.get("serial_cervical_lengths") or ():
            when, _, mm = str(item).partition(":")
            if when.strip() == assessment.gestational_age["label"] and mm.strip().endswith("mm"):
                length = float(mm.strip()[:-2])
    rupture = values.get("membranes.rupture_gestational_age")
    status = values.get("membranes.status")
    plurality, sptb = values.get("plurality"), values.get("history.spontaneous_preterm_births_before_34w")
    return _Inputs(
        plurality=int(plurality) if plurality is not None else None,
        sptb=int(sptb) if sptb is not None else None,
        length_mm=float(length) if length is not None else None,
        ruptured=None if status is None else status == "ruptured",
        rupture_days=galib.parse_label(str(rupture)) if rupture else None,
        demise="fetal_demise" in alerts or bool(values.get("red_flags.fetal_demise")),
        lethal="lethal_fetal_anomaly" in alerts or bool(values.get("red_flags.lethal_fetal_anomaly")),
    )


def _offered(option: OptionResult) -> bool:
    return option.status in OFFERED


def _evidence_fits(key: str, assessment: Assessment, ga: int, x: _Inputs) -> bool:
    """Whether the study behind ``key`` speaks to this case (its option offered, its population this one)."""
    if not _offered(assessment.option(EVIDENCE_OPTION[key])):
        return False
    if key == "emergency_cerclage":  # Ehsanipoor 2015: singletons with painless dilation
        return x.plurality == 1
    if key == "twin_emergency_cerclage":  # Roman 2020: twins, 16+0-23+6
        return x.plurality == 2 and ROMAN_2020_GA[0] <= ga <= ROMAN_2020_GA[1]
    if key == "ultrasound_cerclage":  # Berghella 2011: singleton, prior sPTB, length below 25 mm before 24 weeks
        return (x.plurality == 1 and (x.sptb or 0) >= 1 and x.length_mm is not None
                and x.length_mm < BERGHELLA_2011_LENGTH_BELOW_MM and ga < BERGHELLA_2011_GA_BEFORE)
    if key == "previable_pprom":  # UKOSS 2024: singletons, rupture at 16+0-22+6 (today's GA when not recorded)
        rupture = x.rupture_days if x.rupture_days is not None else ga
        return (x.plurality == 1 and x.ruptured is True
                and UKOSS_2024_RUPTURE_GA[0] <= rupture <= UKOSS_2024_RUPTURE_GA[1])
    if key == "activity_restriction":  # Grobman 2013: singletons with a short cervix; beside bed rest only
        return x.plurality == 1
    return False


def _count(n: int, one: str, many: str) -> str:
    return f"{'one' if n == 1 else n} {one if n == 1 else many}"


def _weeks(days: int) -> str:
    weeks, rest = divmod(days, galib.DAYS_PER_WEEK)
    return f"{weeks} weeks" + (f" and {rest} day{'s' if rest != 1 else ''}" if rest else "")


def plain_findings(case: Case, profile: str = "acog") -> tuple[str, ...]:
    """What was found, in plain words: only what the case records (spec section 6: every sentence true).
    The usual length is the profile's ``normal_cervix_length_mm`` (the cervix drawing marks the same value)."""
    out = [f"You are {_weeks(case.gestational_age.total_days)} pregnant."]
    if case.plurality > 1:
        out.append(f"You are expecting {({2: 'twins', 3: 'triplets', 4: 'quadruplets'})[case.plurality]}.")
    h = case.history
    if h.second_trimester_losses_painless_dilation:
        n = h.second_trimester_losses_painless_dilation
        out.append(f"You have had {_count(n, 'pregnancy loss', 'pregnancy losses')} in the middle months of "
                   "pregnancy, when the cervix opened without pain.")
    if h.spontaneous_preterm_births_before_34w:
        n = h.spontaneous_preterm_births_before_34w
        out.append(f"You have had {_count(n, 'baby', 'babies')} born early, before 34 weeks.")
    if h.prior_cerclage_for_painless_dilation:
        out.append("You have had a stitch in the cervix (a cerclage) in an earlier pregnancy.")
    cx = case.cervix
    earlier = sorted(case.serial_cervical_lengths, key=lambda m: m.gestational_age.total_days)
    today = case.current_length_mm
    if today is not None:
        normal = knowledge().profiles[profile].value("normal_cervix_length_mm").number
        out.append(f"Today's scan measured the neck of the womb (the cervix) at {today:g} mm long. "
                   + (f"That is within the usual length (more than {normal:g} mm)." if today > normal else
                      f"A cervix is usually more than {normal:g} mm long, so yours is shorter than usual."))
    past = [m for m in earlier if m.gestational_age.total_days < case.gestational_age.total_days]
    if past:
        listed = ", ".join(f"{m.length_mm:g} mm at {m.gestational_age.weeks} weeks" for m in past)
        out.append(f"{'Earlier scans' if len(past) > 1 else 'An earlier scan'} measured it at {listed}.")
        if today is not None and today < past[0].length_mm:
            out.append("So the cervix has become shorter over these weeks.")
    if cx.dilation_cm is not None:
        out.append("On examination, the cervix is closed." if cx.dilation_cm == 0 else
                   f"On examination, the cervix has opened {cx.dilation_cm:g} cm.")
    if cx.funneling:
        out.append("The inner end of the cervix has started to open (the scan shows a funnel shape).")
    if cx.membranes_prolapsed_into_vagina:
        out.append("The bag of waters around the baby (the membranes) has come down through the cervix into the "
                   "vagina.")
    elif cx.membranes_at_or_beyond_external_os:
        out.append("The bag of waters around the baby (the membranes) can be seen at the opening of the cervix.")
    if case.membranes.status == "ruptured":
        when = case.membranes.rupture_gestational_age
        out.append("Your waters have broken: the bag of waters around the baby has opened"
                   + (f", at {_weeks(when.total_days)}." if when is not None else "."))
    if case.cerclage_in_place:
        out.append("You have a stitch in the cervix (a cerclage) in this pregnancy.")
    f = case.red_flags
    if f.regular_contractions_or_labor:
        out.append("You are having regular tightenings (contractions).")
    if f.vaginal_bleeding:
        out.append("You are bleeding from the vagina.")
    if f.signs_of_intraamniotic_infection:
        out.append("There are signs of an infection inside the womb.")
    if f.fetal_demise:
        out.append("We are so sorry: your baby has died.")
    elif f.lethal_fetal_anomaly:
        out.append("Your baby has a serious condition that means the baby is not expected to survive.")
    return tuple(out)


def come_in_now(ruptured: bool, ga_days: int, fetal_demise: bool = False,
                lethal_anomaly: bool = False) -> tuple[str, ...]:
    """When to call or come in straight away, for these membranes, this stage of pregnancy and these red
    flags: the lines of ``come_in.yaml`` that apply, in their order. Patient mode and the handout both show
    this list."""
    return tuple(line.text for line in knowledge().come_in
                 if line.applies(ruptured=ruptured, ga_days=ga_days, fetal_demise=fetal_demise,
                                 lethal_anomaly=lethal_anomaly))


def come_in_text(line_id: str) -> str:
    """The words of one line of ``come_in.yaml`` (``movements``, ``fluid_change``, ...)."""
    return next(line.text for line in knowledge().come_in if line.id == line_id)


def delivery_stage(ga_days: int, profile: str = "acog") -> str:
    """``before_viability`` (below the viability threshold, 24+0), ``periviable`` (to the end of the
    periviable window, 25+6), ``preterm`` (to 33+6), ``late_preterm`` (34+0-36+6) or ``term``."""
    prof = knowledge().profiles[profile]
    if ga_days < prof.value("viability_threshold").days:
        return "before_viability"
    if ga_days <= prof.window("periviable").end_days:
        return "periviable"
    if ga_days < LATE_PRETERM_FROM:
        return "preterm"
    if ga_days < prof.value("term_from").days:
        return "late_preterm"
    return "term"


def delivery_text(ga_days: int, profile: str = "acog", *, fetal_demise: bool = False,
                  lethal_anomaly: bool = False) -> str:
    """The plain text of ``delivery`` for this GA (after a demise or with a lethal anomaly: its own words)."""
    if fetal_demise:
        return DELIVERY_TEXT_DEMISE
    if lethal_anomaly:
        return DELIVERY_TEXT_LETHAL
    stage = delivery_stage(ga_days, profile)
    if stage == "before_viability" and ga_days >= RESUSCITATION_FROM:
        stage = "before_viability_22"
    return DELIVERY_TEXT[stage].format(weeks=ga_days // galib.DAYS_PER_WEEK)


def patient_view(assessment: Assessment, case: Mapping[str, Any] | Case | None = None) -> PatientView:
    """Decide what the patient view shows for ``assessment`` (of ``case``; see the module docstring).

    Pass the case whenever it is at hand: without it only what the assessment records is known
    (alerts, ``decided_by`` inputs), and evidence whose population cannot be confirmed is not shown.
    """
    kb = knowledge()
    ga = galib.to_days(int(assessment.gestational_age["weeks"]), int(assessment.gestational_age["days"]))
    x = _from_case(case, assessment.profile) if case is not None else _from_assessment(assessment)
    no_fetal_figures = x.demise or x.lethal

    keys: tuple[str, ...] = ()
    if not no_fetal_figures:
        keys = tuple(k for k in EVIDENCE_OPTION if _evidence_fits(k, assessment, ga, x))
    option_ids = tuple(dict.fromkeys(EVIDENCE_OPTION[k] for k in keys))

    periviable_from = kb.profiles[assessment.profile].window("periviable").start_days or 0
    survival_relevant = _offered(assessment.option("previable_pprom_counseling")) or (
        _offered(assessment.option("periviable_birth_counseling")) and ga >= periviable_from)
    shows_survival = survival_relevant and not no_fetal_figures

    stage = delivery_stage(ga, assessment.profile)
    delivery = delivery_text(ga, assessment.profile, fetal_demise=x.demise, lethal_anomaly=x.lethal)

    cards = []
    for option in assessment.options:
        if not _offered(option) or (no_fetal_figures and option.id in NO_FETAL_BENEFIT_OPTIONS):
            continue
        meta = kb.options[option.id]
        text = " ".join(meta.plain_explanation.split())
        if option.id == "delivery":
            text = delivery
        elif option.id == "pprom_expectant_management" and no_fetal_figures:
            text = EXPECTANT_TEXT_LETHAL
        # The note travels with the option (spec 3.10), in its patient words (the knowledge base refuses a note
        # without them), except after a demise or with a lethal anomaly: the notes weigh evidence of benefit to
        # the baby (survival figures, steroids). Bed rest, whose note must always travel, is never offered then.
        plain = meta.patient_evidence_note if option.evidence_note and not no_fetal_figures else None
        cards.append(PatientCard(option.id, option.status, meta.plain_title,
                                 "We recommend" if option.status == "recommended" else "Something to talk about",
                                 text, " ".join(plain.text.split()) if plain else None,
                                 plain.sources if plain else ()))
    # The seed's options a woman may have read about, advised against now; not listed after a demise or with
    # a lethal anomaly, where a stitch or bed rest is not the question (and "not safe" would be the wrong reason).
    not_for_now = () if no_fetal_figures else tuple(
        o.id for o in assessment.options if o.status in ("not_recommended", "contraindicated") and o.documented_in_seed)

    reason = "fetal demise" if x.demise else ("a lethal fetal anomaly" if x.lethal else None)
    parsed = parse_case(case) if case is not None else None
    checks = tuple(kb.assessments[a.id].plain_title
                   for status in OFFERED for a in assessment.assessments if a.status == status)
    return PatientView(
        ga_label=str(assessment.gestational_age["label"]),
        ga_days=ga,
        fetal_demise=x.demise,
        lethal_anomaly=x.lethal,
        cards=tuple(cards),
        not_for_now=not_for_now,
        evidence_keys=keys,
        evidence_option_ids=option_ids,
        shows_survival_figures=shows_survival,
        delivery_stage=stage,
        delivery_text=delivery,
        outcomes_not_applicable=reason,
        timeline_excluded_windows=STEROID_WINDOWS if no_fetal_figures else (),
        findings=plain_findings(parsed, assessment.profile) if parsed is not None else (),
        checks=checks,
        come_in_now=come_in_now(x.ruptured is True, ga, x.demise, x.lethal),
    )
