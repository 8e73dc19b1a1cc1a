"""The patient view's safety rules (clinical-spec.md section 6, "Patient-view safety"; section 9,
invariants 4 and 7), through the pure function the options page and the patient handout use:
``decision.patient_view.patient_view``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from decision import evaluate, knowledge, validation_errors
from decision.kb import patient_text_problem
from decision.patient_view import EVIDENCE_OPTION, patient_view
from figures.inputs import (
    default_evidence,
    evidence_caption,
    icon_arrays_for,
    patient_evidence,
    patient_evidence_caption,
)
from tests.strategies import case, valid_cases

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ("acog", "rcog")
OFFERED = ("recommended", "consider")
FETAL_SURVIVAL_KEYS = {"emergency_cerclage", "twin_emergency_cerclage", "ultrasound_cerclage", "previable_pprom"}

DEMISE_30 = case("30+0", flags=["fetal_demise"])
PPROM_35 = case("35+0", ruptured=True)
PPROM_19 = case("19+0", rupture_at="19+0")
LOW_RISK_20 = case("20+0")
PREVENTIVE_STITCH_13 = case("13+0", second_trimester_losses_painless_dilation=1)
LETHAL_26 = case("26+0", ruptured=True, flags=["lethal_fetal_anomaly"])
LETHAL_PPROM_20 = case("20+0", rupture_at="19+0", flags=["lethal_fetal_anomaly"])
LETHAL_LABOR_24 = case("24+0", flags=["lethal_fetal_anomaly", "regular_contractions_or_labor"])
EMERGENCY_20 = case("20+0", dilation=2, at_os=True)
TWINS_EMERGENCY_20 = case("20+0", plurality=2, dilation=2, at_os=True)
BED_REST_22 = case("22+0", dilation=5, at_os=True)
ULTRASOUND_18 = case("18+0", length=20, spontaneous_preterm_births_before_34w=1)


def view(data: dict, profile: str = "acog", *, with_case: bool = True):
    assessment = evaluate(data, profile)
    return assessment, patient_view(assessment, data if with_case else None)


def shown_text(pv) -> str:
    return "\n".join([pv.delivery_text, *(c.text for c in pv.cards), *(c.evidence_note or "" for c in pv.cards)])


# --- the interface other tests rely on -------------------------------------------------------------
def test_interface() -> None:
    _a, pv = view(PPROM_19)
    assert isinstance(pv.evidence_option_ids, tuple)
    assert isinstance(pv.shows_survival_figures, bool)
    assert isinstance(pv.evidence_keys, tuple)
    assert pv.evidence_option_ids == ("previable_pprom_counseling",)
    with pytest.raises(AttributeError):
        pv.evidence_keys = ()  # frozen


# --- evidence and icon arrays only for offered options, with the right population ---------------------
@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("data", [DEMISE_30, PPROM_35], ids=["demise_30w", "pprom_35w"])
def test_demise_30w_and_pprom_35w_show_no_emergency_cerclage_figures(data: dict, profile: str) -> None:
    assessment, pv = view(data, profile)
    assert "emergency_cerclage" not in pv.evidence_keys
    assert "physical_exam_indicated_cerclage" not in pv.evidence_option_ids
    assert pv.evidence_keys == ()  # no fallback to another study
    assert patient_evidence(assessment, data) == ()
    assert default_evidence(assessment, data) is None


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("data", [LOW_RISK_20, PREVENTIVE_STITCH_13], ids=["low_risk_20w", "preventive_stitch_13w"])
def test_low_risk_and_preventive_stitch_show_no_emergency_cerclage_icon_arrays(data: dict, profile: str) -> None:
    assessment, pv = view(data, profile)
    assert assessment.option("physical_exam_indicated_cerclage").status not in OFFERED
    assert pv.evidence_keys == ()
    assert pv.shows_survival_figures is False


def test_emergency_cerclage_evidence_when_offered_in_a_singleton() -> None:
    assessment, pv = view(EMERGENCY_20)
    assert assessment.option("physical_exam_indicated_cerclage").status == "consider"
    assert pv.evidence_keys == ("emergency_cerclage",)
    assert pv.evidence_option_ids == ("physical_exam_indicated_cerclage",)


def test_twins_get_roman_2020_not_the_singleton_meta_analysis() -> None:
    assessment, pv = view(TWINS_EMERGENCY_20)
    assert assessment.option("physical_exam_indicated_cerclage").status == "consider"
    assert pv.evidence_keys == ("twin_emergency_cerclage",)
    _a, triplets = view(case("20+0", plurality=3, dilation=2, at_os=True))
    assert triplets.evidence_keys == ()  # Roman 2020 enrolled twins only
    _a, late = view(case("15+0", plurality=2, dilation=2, at_os=True))
    assert late.evidence_keys == ()  # Roman 2020: 16+0-23+6


@pytest.mark.parametrize("profile", PROFILES)
def test_ultrasound_cerclage_evidence_needs_prior_preterm_birth_and_length_below_25(profile: str) -> None:
    _a, pv = view(ULTRASOUND_18, profile)
    assert pv.evidence_keys == ("ultrasound_cerclage",)
    # Offered after a prior loss alone, but Berghella 2011 is about prior preterm birth: no figures.
    assessment, loss = view(case("18+0", length=20, second_trimester_losses_painless_dilation=1), profile)
    if assessment.option("ultrasound_indicated_cerclage").status in OFFERED:
        assert loss.evidence_keys == ()
    # RCOG's 25 mm or less: offered at 25 mm, outside Berghella's "below 25 mm".
    assessment, at_25 = view(case("18+0", length=25, spontaneous_preterm_births_before_34w=1), profile)
    assert "ultrasound_cerclage" not in at_25.evidence_keys
    if profile == "rcog":
        assert assessment.option("ultrasound_indicated_cerclage").status == "consider"


def test_bed_rest_evidence_only_beside_bed_rest_and_said_to_be_observational() -> None:
    kb = knowledge()
    assessment, pv = view(BED_REST_22)
    assert assessment.option("trendelenburg_bed_rest").status == "consider"
    assert pv.evidence_keys == ("activity_restriction",)
    entry = kb.outcomes["evidence"]["activity_restriction"]
    caption = evidence_caption(entry, kb.sources[entry["source"]].short)
    assert "not a randomised trial" in caption
    for data in (EMERGENCY_20, PPROM_19, ULTRASOUND_18, LOW_RISK_20):
        assert "activity_restriction" not in view(data)[1].evidence_keys


def test_observational_evidence_says_so_in_plain_words() -> None:
    kb = knowledge()
    for key, entry in kb.outcomes["evidence"].items():
        if entry.get("design_kind") == "observational" and key != "previable_pprom":  # UKOSS compares no treatment
            caption = evidence_caption(entry, kb.sources[entry["source"]].short)
            assert "not a randomised trial" in caption, key
            assert "compared women" in caption, key


@pytest.mark.parametrize("profile", PROFILES)
def test_previable_pprom_19w_shows_ukoss_with_terminations_and_the_mothers_risks(profile: str) -> None:
    kb = knowledge()
    _a, pv = view(PPROM_19, profile)
    assert pv.evidence_keys == ("previable_pprom",)
    assert pv.shows_survival_figures is True
    entry = kb.outcomes["evidence"]["previable_pprom"]
    caption = evidence_caption(entry, kb.sources[entry["source"]].short)
    assert "terminations are not counted" in caption
    assert "Pregnancies ended by termination for medical reasons are not counted" in caption
    assert "sepsis 12%" in caption
    assert "2 maternal deaths in 364 women" in caption
    arrays = dict((label, percent) for percent, label in icon_arrays_for(entry))
    assert arrays["mothers had sepsis (a serious infection)"] == 12  # the mother's risk beside the baby's
    assert arrays["babies survived to go home"] == 26


def test_every_study_patient_mode_may_show_has_a_plain_caption_of_its_own() -> None:
    """Patient mode and the handout show ``patient_caption``, not the clinicians' caption ("singleton", "16+0",
    "12%"); it is plain by the same check as the patient evidence notes."""
    kb = knowledge()
    for key in EVIDENCE_OPTION:
        entry = kb.outcomes["evidence"][key]
        plain = patient_evidence_caption(entry)
        assert plain and patient_text_problem(plain) is None, key
        assert plain != evidence_caption(entry, kb.sources[entry["source"]].short), key
        assert patient_text_problem(evidence_caption(entry, kb.sources[entry["source"]].short)), key
        if entry.get("design_kind") == "observational" and key != "previable_pprom":
            assert "not a randomised trial" in plain and "compared women" in plain, key
        elif entry.get("design_kind") == "randomised":
            assert "randomised trial" in plain, key


def test_previable_pprom_patient_caption_keeps_the_populations_and_the_mothers_risks() -> None:
    entry = knowledge().outcomes["evidence"]["previable_pprom"]
    plain = patient_evidence_caption(entry)
    assert "waters broke from 16 weeks until just before 23 weeks" in plain  # UKOSS 2024: 16+0-22+6
    assert "women expecting one baby that were not ended by a termination for medical reasons" in plain
    assert "terminations are not counted" in plain
    # The counts as in the clinicians' fields: sepsis among the 326 singletons, deaths among all 364 women.
    assert "39 of 326 women expecting one baby had sepsis" in plain and "(about 12 in 100)" in plain
    assert "39 of 326" in entry["maternal_risks"] and "sepsis 12%" in entry["maternal_risks"]
    assert "2 of all 364 women in the study died" in plain and "includes women expecting twins or more" in plain
    assert "2 maternal deaths in 364 women" in entry["maternal_risks"]
    for word in ("singleton", "PPROM", "UKOSS", "16+0", "%", "maternal"):
        assert word not in plain, word


def test_ukoss_only_for_its_population() -> None:
    # Rupture before 16+0 or at 23+0: counseling offered, but UKOSS enrolled rupture at 16+0-22+6.
    for data in (case("15+0", rupture_at="14+0"), case("23+0", rupture_at="23+0"),
                 case("19+0", plurality=2, rupture_at="19+0")):
        assessment, pv = view(data)
        assert assessment.option("previable_pprom_counseling").status == "recommended"
        assert "previable_pprom" not in pv.evidence_keys


def test_without_the_case_the_view_never_shows_more() -> None:
    for data in (PPROM_19, EMERGENCY_20, TWINS_EMERGENCY_20, BED_REST_22, ULTRASOUND_18, DEMISE_30, LETHAL_26):
        _a, full = view(data)
        _a, bare = view(data, with_case=False)
        assert set(bare.evidence_keys) <= set(full.evidence_keys)
        assert bare.shows_survival_figures == full.shows_survival_figures
        assert bare.delivery_text == full.delivery_text


# --- no survival figures, no steroid advice with demise or a lethal anomaly ---------------------------
@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("data", [DEMISE_30, LETHAL_26, LETHAL_LABOR_24, LETHAL_PPROM_20],
                         ids=["demise_30w", "lethal_pprom_26w", "lethal_labor_24w", "lethal_pprom_20w"])
def test_demise_or_lethal_anomaly_no_survival_figures_no_steroids(data: dict, profile: str) -> None:
    _a, pv = view(data, profile)
    assert pv.shows_survival_figures is False
    assert pv.evidence_keys == ()
    assert pv.no_steroid_recommendation is True
    assert pv.outcomes_not_applicable in ("fetal demise", "a lethal fetal anomaly")
    assert pv.card("preterm_birth_preparation") is None
    text = shown_text(pv)
    assert not re.search(r"steroid", text, re.I), text
    assert not re.search(r"surviv\w* (?:to|in|after)|\d+ ?%", text, re.I), text
    assert pv.not_for_now == ()


def test_lethal_anomaly_at_26w_survival_figures_off() -> None:
    _a, pv = view(LETHAL_26)
    assert pv.shows_survival_figures is False
    assert pv.outcomes_not_applicable == "a lethal fetal anomaly"
    _a, pv = view(LETHAL_LABOR_24)
    assert pv.shows_survival_figures is False
    _a, labour_24 = view(case("24+0", flags=["regular_contractions_or_labor"]))
    assert labour_24.shows_survival_figures is True  # the same case without the anomaly shows them


@pytest.mark.parametrize("data,expected", [
    (PPROM_19, True),  # previable PPROM counseling
    (EMERGENCY_20, True),  # periviable counseling considered beside emergency cerclage
    (BED_REST_22, True),
    (case("24+0", ruptured=True), True),  # periviable counseling from 24+0 with PPROM
    (LOW_RISK_20, False),
    (ULTRASOUND_18, False),
    (PPROM_35, False),
    (case("30+0", ruptured=True), False),
    (case("17+0", flags=["regular_contractions_or_labor"]), False),  # an expected loss before 20+0
], ids=["pprom_19", "emergency_20", "bed_rest_22", "pprom_24", "low_risk_20", "ultrasound_18", "pprom_35",
        "pprom_30", "labor_17"])
def test_survival_figures_only_when_a_birth_before_26_weeks_is_discussed(data: dict, expected: bool) -> None:
    assert view(data)[1].shows_survival_figures is expected


def test_patient_timeline_has_no_steroid_window_after_demise_or_with_a_lethal_anomaly() -> None:
    from figures.inputs import timeline_bands

    profile = knowledge().profiles["acog"]
    for data in (DEMISE_30, LETHAL_26):
        _a, pv = view(data)
        labels = " ".join(b.label for b in timeline_bands(profile, pv.timeline_excluded_windows)).lower()
        assert "corticosteroid" not in labels and "steroid" not in labels
    _a, pv = view(PPROM_19)
    assert pv.timeline_excluded_windows == ()
    assert "corticosteroids" in " ".join(b.label for b in timeline_bands(profile)).lower()


# --- delivery: plain text by GA ---------------------------------------------------------------------
@pytest.mark.parametrize("at,stage", [("19+0", "before_viability"), ("23+0", "before_viability"),
                                      ("24+0", "periviable"), ("25+6", "periviable"), ("26+0", "preterm"),
                                      ("30+0", "preterm"), ("33+6", "preterm"), ("34+0", "late_preterm"),
                                      ("35+0", "late_preterm"), ("36+6", "late_preterm"), ("37+0", "term"),
                                      ("39+0", "term")])
@pytest.mark.parametrize("profile", PROFILES)
def test_delivery_text_by_gestational_age(at: str, stage: str, profile: str) -> None:
    assessment, pv = view(case(at, ruptured=True), profile)
    assert pv.delivery_stage == stage
    card = pv.card("delivery")
    if assessment.option("delivery").status in OFFERED:
        assert card is not None and card.text == pv.delivery_text
    too_young = "too young to survive" in pv.delivery_text
    assert too_young == (at == "19+0"), pv.delivery_text  # only before viability (and before 22+0)
    weeks = at.split("+")[0]
    if at != "19+0":
        assert f"{weeks} weeks" in pv.delivery_text
    words = {"before_viability": "extremely early" if at == "23+0" else "too young", "periviable": "very early",
             "preterm": "preterm", "late_preterm": "a few weeks early", "term": "at term"}
    assert words[stage] in pv.delivery_text


def test_delivery_text_after_demise_and_with_a_lethal_anomaly() -> None:
    _a, demise = view(DEMISE_30)
    assert demise.card("delivery").heading == "We recommend"
    assert "has died" in demise.delivery_text
    assert "too young" not in demise.delivery_text
    _a, lethal = view(LETHAL_26)
    assert "not expected to survive" in lethal.delivery_text
    expectant = lethal.card("pprom_expectant_management")
    assert expectant is not None and "steroid" not in expectant.text.lower()


# --- the evidence note travels with the option --------------------------------------------------------
def test_bed_rest_card_carries_its_evidence_note() -> None:
    """The note travels with the option (spec 3.10), in the patient's words: every fact of 3.10, no codes."""
    assessment, pv = view(BED_REST_22)
    card = pv.card("trendelenburg_bed_rest")
    assert card is not None
    plain = knowledge().options["trendelenburg_bed_rest"].patient_evidence_note
    assert card.evidence_note == " ".join(plain.text.split())
    assert card.evidence_sources == ("SEED", "ACOG-PB142", "RCOG-GTG75", "GROBMAN-2013")
    assert assessment.option("trendelenburg_bed_rest").evidence_note != card.evidence_note  # clinicians keep theirs
    for fact in ("no guideline recommends lying head-down", "have not been shown to work", "after a stitch",
                 "blood clots", "weaker bones", "37 in 100, against 17 in 100", "not a randomised trial",
                 "had shorter cervixes"):
        assert fact in card.evidence_note, fact


# --- patient words for every evidence note (review: clinicians' notes in patient mode) ----------------------
PPROM_19 = {"gestational_age": {"weeks": 19, "days": 0},
            "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 19, "days": 0}}}
JARGON = re.compile(r"\b(?:UKOSS|PPROM|TVCL|ACOG|RCOG|SMFM|NICE)\b|\d\+\d|\bseed\b|%|\bsingleton")


def test_previable_pprom_card_speaks_plainly_and_of_one_population() -> None:
    """PPROM at 19+0, a singleton: the card's note is the patient variant, without the study's acronym or
    weeks+days notation, and each mother's figure names its population (326 singletons for sepsis; the two
    deaths among all 364 women, the only count the study gives)."""
    assessment, pv = view(PPROM_19)
    card = pv.card("previable_pprom_counseling")
    assert card is not None and card.evidence_note
    note = card.evidence_note
    assert not JARGON.search(note), JARGON.search(note)
    assert "from 16 weeks until just before 23 weeks" in note  # 16+0-22+6, exactly
    assert "44 in 100" in note and "26 in 100" in note and "18 in 100" in note
    assert "12 in 100 of these 326 women expecting one baby had sepsis" in note
    assert "Two women died among all 364 women in the study, a count that includes women expecting twins or more" in note
    assert "364 women" not in note.replace("all 364 women in the study", "")  # 364 only as the whole study
    assert card.evidence_sources == ("SEED", "UKOSS-2024")
    clinician = " ".join(assessment.option("previable_pprom_counseling").evidence_note.split())
    assert "UKOSS 2024" in clinician and "16+0-22+6" in clinician  # the clinician text is unchanged in kind
    assert "39 of the 326 singleton pregnancies" in clinician and "all 364 women in the study" in clinician


def test_every_evidence_note_has_a_plain_patient_variant_resting_on_its_sources() -> None:
    kb = knowledge()
    for option in kb.options.values():
        plain = option.patient_evidence_note
        assert (plain is None) == (option.evidence_note is None), option.id
        if plain is None:
            continue
        assert not JARGON.search(plain.text), (option.id, JARGON.search(plain.text))
        assert set(plain.sources) <= set(kb.sources), option.id


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=valid_cases(), profile=st.sampled_from(PROFILES))
def test_patient_cards_never_carry_the_clinician_note(data: dict, profile: str) -> None:
    kb = knowledge()
    pv = patient_view(evaluate(data, profile), data)
    for card in pv.cards:
        if card.evidence_note is not None:
            plain = kb.options[card.option_id].patient_evidence_note
            assert card.evidence_note == " ".join(plain.text.split())
            assert not JARGON.search(card.evidence_note)


# --- no absolute safety claims ----------------------------------------------------------------------
ABSOLUTE = re.compile(r"\b(?:is|are|completely|totally|perfectly|entirely) safe\b|\bsafe for (?:you|the baby)\b|"
                      r"\bno risks?\b|\bharmless\b|\bguarantee", re.I)


def test_patient_view_texts_make_no_absolute_safety_claims() -> None:
    from decision import patient_view as module

    texts = [v for v in vars(module).values() if isinstance(v, str)]
    texts += list(module.DELIVERY_TEXT.values())
    outcomes = knowledge().outcomes["evidence"]
    texts += [str(v) for entry in outcomes.values() for v in entry.values() if isinstance(v, str)]
    for text in texts:
        assert not ABSOLUTE.search(text), text


def test_option_plain_explanations_make_no_absolute_safety_claims() -> None:
    data = yaml.safe_load((ROOT / "data/knowledge/options.yaml").read_text(encoding="utf-8"))
    found = {o["id"]: o["plain_explanation"] for o in data["options"] if ABSOLUTE.search(o["plain_explanation"])}
    assert found == {}


# --- properties over generated cases (spec section 9, invariants 4 and 7) ------------------------------
# A third of the generated cases carry a demise or a lethal anomaly (forced, so the invariant is not
# tested only where it holds trivially); the named cases above cover offered evidence.
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_cases(), st.sampled_from([None, "fetal_demise", "lethal_fetal_anomaly"]))
def test_property_evidence_only_for_offered_options_and_never_with_demise_or_lethal(data: dict, flag: str | None) -> None:
    if flag:
        data = {**data, "red_flags": {**data.get("red_flags", {}), flag: True}}
    assume(not validation_errors(data))  # valid_cases() can still draw a serial length at today's GA that differs
    for profile in PROFILES:
        assessment = evaluate(data, profile)
        for pv in (patient_view(assessment, data), patient_view(assessment)):
            for key in pv.evidence_keys:
                assert assessment.option(EVIDENCE_OPTION[key]).status in OFFERED, key
            assert {EVIDENCE_OPTION[k] for k in pv.evidence_keys} == set(pv.evidence_option_ids)
            for card in pv.cards:
                assert assessment.option(card.option_id).status in OFFERED
            flags = data.get("red_flags", {})
            if flags.get("fetal_demise") or flags.get("lethal_fetal_anomaly"):
                assert pv.no_steroid_recommendation
                assert pv.shows_survival_figures is False
                assert not set(pv.evidence_keys) & FETAL_SURVIVAL_KEYS
                assert pv.card("preterm_birth_preparation") is None
                assert "steroid" not in shown_text(pv).lower()
