"""clinical-spec.md version 2, section 4: the ``rcog`` profile, each row with the ``acog`` contrast.

Written from the spec text alone. A row is one case and one option or assessment with its status
under ``acog`` and under ``rcog``; ids start with ``4-``. Where the spec leaves a point open the
row carries an ``# AMBIGUOUS:`` comment with the reading chosen.
"""

from __future__ import annotations

import pytest
from strategies import case

from decision import ASSESSMENT_IDS, OPTION_IDS, evaluate

P = pytest.param
REC, CON, NREC, CONTRA, NA = "recommended", "consider", "not_recommended", "contraindicated", "not_applicable"
LABOR = "regular_contractions_or_labor"
RCOG_OR_NICE = ("RCOG-", "NICE-")


def _result(data: dict, target: str, profile: str):
    assessment = evaluate(data, profile=profile)
    if target in OPTION_IDS:
        return assessment.option(target)
    assert target in ASSESSMENT_IDS, target
    return assessment.assessment(target)


ROWS = [
    # ---- history-indicated cerclage: three or more preterm births and second-trimester losses in total
    P(case("13+0", second_trimester_losses_painless_dilation=1), "history_indicated_cerclage", REC, NREC,
      id="4-hx-13w-1-loss-acog-rec-rcog-nrec"),
    P(case("13+0", second_trimester_losses_painless_dilation=1), "serial_cervical_length_surveillance", CON, REC,
      id="4-hx-13w-1-loss-surveillance-acog-alternative-rcog-instead"),
    P(case("13+0", second_trimester_losses_painless_dilation=2), "history_indicated_cerclage", REC, NREC,
      id="4-hx-13w-2-losses-acog-rec-rcog-nrec"),
    P(case("13+0", second_trimester_losses_painless_dilation=2), "serial_cervical_length_surveillance", CON, REC,
      id="4-hx-13w-2-losses-surveillance-acog-con-rcog-rec"),
    P(case("13+0", second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", REC, REC,
      id="4-hx-13w-3-losses-both-rec"),
    P(case("13+0", second_trimester_losses_painless_dilation=3), "serial_cervical_length_surveillance", CON, CON,
      id="4-hx-13w-3-losses-surveillance-both-con"),
    P(case("13+0", second_trimester_losses_painless_dilation=1, spontaneous_preterm_births_before_34w=2),
      "history_indicated_cerclage", REC, REC, id="4-hx-13w-1-loss-2-sptb-total-3-both-rec"),
    # AMBIGUOUS: section 4 asks to check whether RCOG counts preterm births with losses; the text as written counts both.
    P(case("13+0", spontaneous_preterm_births_before_34w=3), "history_indicated_cerclage", NREC, REC,
      id="4-hx-13w-3-sptb-acog-nrec-rcog-rec"),
    P(case("13+0", spontaneous_preterm_births_before_34w=2), "history_indicated_cerclage", NREC, NREC,
      id="4-hx-13w-2-sptb-both-nrec"),
    P(case("11+0", second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", REC, REC,
      id="4-hx-11+0-3-losses-acog-plan-rcog-window-open"),
    # AMBIGUOUS: the 3.6 EXPERT extension (consider at 15+0..17+6) is read as applying under rcog to women who qualify.
    P(case("15+0", second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", CON, CON,
      id="4-hx-15+0-3-losses-both-con"),
    # AMBIGUOUS: one loss under rcog at 15+0: "surveillance instead" still holds: not_recommended.
    P(case("15+0", second_trimester_losses_painless_dilation=1), "history_indicated_cerclage", CON, NREC,
      id="4-hx-15+0-1-loss-acog-con-rcog-nrec"),
    P(case("18+0", second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", NA, NA,
      id="4-hx-18+0-3-losses-both-na"),
    P(case("13+0", plurality=2, second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", NREC, NREC,
      id="4-hx-twins-3-losses-both-nrec"),
    # ---- short cervix: 25 mm or less; history + short at 16+0..24+0: choice of progesterone or cerclage
    P(case("20+0", length=25, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA, CON,
      id="4-us-20w-sptb-25mm-acog-na-rcog-con"),
    P(case("20+0", length=25, spontaneous_preterm_births_before_34w=1), "vaginal_progesterone", NA, CON,
      id="4-us-20w-sptb-25mm-progesterone-acog-na-rcog-con"),
    P(case("20+0", length=25.1, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA, NA,
      id="4-us-20w-sptb-25.1mm-both-na"),
    P(case("16+0", length=25, second_trimester_losses_painless_dilation=1), "ultrasound_indicated_cerclage", NA, CON,
      id="4-us-16+0-loss-25mm-acog-na-rcog-con"),
    # AMBIGUOUS: rcog's scan window is 16+0..24+0 (NICE); acog's opens at 14+0: at 15+6 rcog is read as not_applicable.
    P(case("15+6", length=20, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", CON, NA,
      id="4-us-15+6-sptb-20mm-acog-con-rcog-na"),
    P(case("24+0", length=20, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA, CON,
      id="4-us-24+0-sptb-20mm-acog-na-rcog-con"),
    P(case("24+0", length=20, spontaneous_preterm_births_before_34w=1), "vaginal_progesterone", NA, CON,
      id="4-us-24+0-sptb-20mm-progesterone-acog-na-rcog-con"),
    P(case("24+1", length=20, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA, NA,
      id="4-us-24+1-sptb-20mm-both-na"),
    # AMBIGUOUS: 3.5's "24+0..33+6 below 10 mm: no cerclage" vs rcog's window to 24+0; invariant 10 (monotone) decides: consider.
    P(case("24+0", length=8, dilation=0, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA, CON,
      id="4-us-24+0-sptb-8mm-acog-na-rcog-con"),
    P(case("20+0", length=8, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", CON, CON,
      id="4-us-20w-sptb-8mm-both-con"),
    P(case("20+0", length=15), "vaginal_progesterone", REC, CON, id="4-us-20w-no-history-15mm-progesterone-acog-rec-rcog-con"),
    P(case("24+0", length=20), "vaginal_progesterone", NA, CON, id="4-us-24+0-no-history-20mm-progesterone-acog-na-rcog-con"),
    P(case("24+1", length=20), "vaginal_progesterone", NA, NA, id="4-us-24+1-no-history-20mm-progesterone-both-na"),
    P(case("20+0", length=30, spontaneous_preterm_births_before_34w=1), "vaginal_progesterone", NA, CON,
      id="4-us-20w-history-alone-30mm-progesterone-acog-na-rcog-con"),
    P(case("20+0", length=15, plurality=2), "vaginal_progesterone", NREC, NREC, id="4-us-twins-15mm-progesterone-both-nrec"),
    # ---- no history and a very short cervix: no cerclage under rcog
    P(case("20+0", length=9.9), "ultrasound_indicated_cerclage", CON, NREC, id="4-us-20w-no-history-9.9mm-acog-con-rcog-nrec"),
    P(case("20+0", length=5), "ultrasound_indicated_cerclage", CON, NREC, id="4-us-20w-no-history-5mm-acog-con-rcog-nrec"),
    P(case("20+0", length=9.9), "vaginal_progesterone", REC, CON, id="4-us-20w-no-history-9.9mm-progesterone-acog-rec-rcog-con"),
    P(case("20+0", length=10), "ultrasound_indicated_cerclage", NREC, NREC, id="4-us-20w-no-history-10mm-both-nrec"),
    # ---- surveillance window 16+0..24+0 (NICE wording)
    P(case("23+6", spontaneous_preterm_births_before_34w=1), "serial_cervical_length_surveillance", REC, REC,
      id="4-surveillance-23+6-sptb-both-rec"),
    P(case("24+0", spontaneous_preterm_births_before_34w=1), "serial_cervical_length_surveillance", NA, REC,
      id="4-surveillance-24+0-sptb-acog-na-rcog-rec"),
    P(case("24+1", spontaneous_preterm_births_before_34w=1), "serial_cervical_length_surveillance", NA, NA,
      id="4-surveillance-24+1-sptb-both-na"),
    # ---- CI on examination uses the profile's short-cervix threshold (3.4 (b))
    P(case("20+0", dilation=1, length=25), "physical_exam_indicated_cerclage", NA, CON,
      id="4-ci-20w-1cm-25mm-acog-not-ci-rcog-con"),
    P(case("20+0", dilation=1, length=25.1), "physical_exam_indicated_cerclage", NA, NA, id="4-ci-20w-1cm-25.1mm-both-na"),
    # ---- physical-exam-indicated cerclage up to 27+6, including membranes exposed in the vagina
    P(case("23+6", dilation=2), "physical_exam_indicated_cerclage", CON, CON, id="4-pe-23+6-both-con"),
    P(case("24+0", dilation=2), "physical_exam_indicated_cerclage", NREC, CON, id="4-pe-24+0-acog-nrec-rcog-con"),
    P(case("27+6", dilation=2), "physical_exam_indicated_cerclage", NREC, CON, id="4-pe-27+6-acog-nrec-rcog-con"),
    # AMBIGUOUS: past rcog's 27+6 limit, rcog is read like acog past its window: not_applicable.
    P(case("28+0", dilation=2), "physical_exam_indicated_cerclage", NA, NA, id="4-pe-28+0-both-na"),
    P(case("26+0", dilation=2), "trendelenburg_bed_rest", CON, NA, id="4-pe-26w-bed-rest-acog-con-rcog-na"),
    P(case("26+0", dilation=3, prolapsed=True), "physical_exam_indicated_cerclage", NREC, CON,
      id="4-pe-26w-prolapsed-3cm-acog-nrec-rcog-con"),
    P(case("26+0", dilation=3, prolapsed=True), "trendelenburg_bed_rest", CON, NA,
      id="4-pe-26w-prolapsed-3cm-bed-rest-acog-con-rcog-na"),
    P(case("20+0", dilation=3, prolapsed=True), "physical_exam_indicated_cerclage", CON, CON,
      id="4-pe-20w-prolapsed-3cm-both-con"),
    P(case("26+0", dilation=5), "physical_exam_indicated_cerclage", NREC, NREC, id="4-pe-26w-5cm-both-nrec"),
    P(case("20+0", dilation=2), "infection_assessment", REC, REC, id="4-pe-20w-infection-assessment-both-rec"),
    # ---- corticosteroids: discuss 23+0..23+6, offer 24+0..33+6, consider 34+0..35+6
    # AMBIGUOUS: section 4 asks whether NICE's 2022 update moved "discuss" to 22+0; encoded as written (23+0).
    P(case("22+0", ruptured=True), "preterm_birth_preparation", CON, NA, id="4-prep-22+0-pprom-acog-con-rcog-na"),
    # AMBIGUOUS: as above.
    P(case("22+6", ruptured=True), "preterm_birth_preparation", CON, NA, id="4-prep-22+6-pprom-acog-con-rcog-na"),
    P(case("23+0", ruptured=True), "preterm_birth_preparation", CON, CON, id="4-prep-23+0-pprom-both-con"),
    P(case("24+0", ruptured=True), "preterm_birth_preparation", REC, REC, id="4-prep-24+0-pprom-both-rec"),
    P(case("33+6", flags=[LABOR]), "preterm_birth_preparation", REC, REC, id="4-prep-33+6-labor-both-rec"),
    P(case("34+0", flags=[LABOR]), "preterm_birth_preparation", CON, CON, id="4-prep-34+0-labor-both-con"),
    P(case("35+6", ruptured=True), "preterm_birth_preparation", CON, CON, id="4-prep-35+6-pprom-both-con"),
    P(case("36+0", ruptured=True), "preterm_birth_preparation", CON, NA, id="4-prep-36+0-pprom-acog-con-rcog-na"),
    P(case("37+0", flags=[LABOR]), "preterm_birth_preparation", NA, NA, id="4-prep-37+0-labor-both-na"),
    # ---- everything section 4 does not list is the same
    P(case("35+0", ruptured=True), "pprom_expectant_management", CON, CON, id="4-same-35w-pprom-expectant"),
    P(case("20+0", flags=["lethal_fetal_anomaly"]), "pregnancy_options_counseling", REC, REC,
      id="4-same-lethal-options-counseling"),
    P(case("36+0", cerclage=True, cerclage_type="transabdominal"), "cerclage_removal", NA, NA,
      id="4-same-36w-transabdominal-removal"),
    P(case("36+0", cerclage=True), "cerclage_removal", REC, REC, id="4-same-36w-cerclage-removal"),
    P(case("20+0", flags=["vaginal_bleeding"]), "placental_assessment", REC, REC, id="4-same-bleeding-placental"),
    P(case("30+0", flags=[LABOR]), "gbs_prophylaxis", REC, REC, id="4-same-30w-labor-gbs"),
    P(case("20+0"), "routine_prenatal_care", REC, REC, id="4-same-nothing-routine"),
]


@pytest.mark.parametrize(("data", "target", "acog", "rcog"), ROWS)
def test_v2_profiles_side_by_side(data: dict, target: str, acog: str, rcog: str) -> None:
    got_acog = _result(data, target, "acog")
    got_rcog = _result(data, target, "rcog")
    assert (got_acog.status, got_rcog.status) == (acog, rcog), (got_acog.rationale, got_rcog.rationale)


@pytest.mark.parametrize(("data", "target", "acog", "rcog"), [row for row in ROWS if row.values[2] != row.values[3]])
def test_v2_rcog_difference_cites_rcog_or_nice(data: dict, target: str, acog: str, rcog: str) -> None:
    """Section 4 and invariant 9: a status that differs from acog cites RCOG or NICE."""
    sources = _result(data, target, "rcog").sources
    assert any(s.startswith(RCOG_OR_NICE) for s in sources), sources


def test_4_amniocentesis_not_routine_under_rcog() -> None:
    data = case("20+0", dilation=2)
    acog = _result(data, "infection_assessment", "acog")
    rcog = _result(data, "infection_assessment", "rcog")
    assert "amniocentesis" in acog.rationale
    assert "MONCKEBERG-2019" in acog.sources
    assert "amniocentesis" in rcog.rationale
    assert "routine" in rcog.rationale
    assert "RCOG-GTG75" in rcog.sources


def test_4_rcog_history_criterion_cites_rcog() -> None:
    result = _result(case("13+0", second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", "rcog")
    assert result.status == REC
    assert "RCOG-GTG75" in result.sources


def test_4_rcog_short_cervix_choice_cites_nice() -> None:
    for target in ("ultrasound_indicated_cerclage", "vaginal_progesterone"):
        result = _result(case("20+0", length=25, spontaneous_preterm_births_before_34w=1), target, "rcog")
        assert "NICE-NG25" in result.sources, (target, result.sources)


def test_4_3_11_rcog_rescue_cerclage_offered_at_25w_periviable_counseling_consider() -> None:
    """docs/spec-v2-decisions.md row 13: under rcog rescue cerclage is offered to 27+6, so at 25+0 the
    periviable counseling is 'consider' (before the decision), as 3.11 says for 20+0-23+6 under acog."""
    data = case("25+0", dilation=2, length=15)
    assert evaluate(data, "acog").option("periviable_birth_counseling").status == "recommended"
    rcog = evaluate(data, "rcog")
    assert rcog.option("physical_exam_indicated_cerclage").status == "consider"
    counseling = rcog.option("periviable_birth_counseling")
    assert counseling.status == "consider"
    assert any(s.startswith(("RCOG", "NICE")) for s in counseling.sources)


def test_3_6_risk_factors_alone_after_the_window_not_applicable() -> None:
    """docs/spec-v2-decisions.md row 15: a cone biopsy alone at 15+0-17+6 (acog)."""
    for at in ("15+0", "17+6"):
        assert evaluate(case(at, cervical_surgery=True)).option("history_indicated_cerclage").status == "not_applicable"
    assert evaluate(case("14+6", cervical_surgery=True)).option("history_indicated_cerclage").status == "not_recommended"
