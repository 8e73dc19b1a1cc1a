"""clinical-spec.md section 4: the ``rcog`` profile, each difference paired with the ``acog`` result.

Each row gives one case and one option with the status under both profiles, so a difference (or
an intended sameness next to a boundary) is visible in the table itself.
"""

from __future__ import annotations

import pytest
from strategies import case

from decision import evaluate

P = pytest.param
REC, CON, NREC, CONTRA, NA = "recommended", "consider", "not_recommended", "contraindicated", "not_applicable"

ROWS = [
    # ---- history-indicated cerclage: three or more preterm births / losses; window 11+0..14+6
    P(case("13+0", second_trimester_losses_painless_dilation=2), "history_indicated_cerclage", REC, NREC,
      id="4-hx-2-losses-13+0-acog-recommended-rcog-not-recommended"),
    # v2 3.6: while a history-indicated cerclage is offered (acog), surveillance is the alternative: consider
    P(case("13+0", second_trimester_losses_painless_dilation=2), "serial_cervical_length_surveillance", CON, REC,
      id="4-hx-2-losses-13+0-surveillance-acog-alternative-rcog-instead"),
    P(case("13+0", second_trimester_losses_painless_dilation=1), "history_indicated_cerclage", REC, NREC,
      id="4-hx-1-loss-13+0-acog-recommended-rcog-not-recommended"),
    P(case("13+0", second_trimester_losses_painless_dilation=1, spontaneous_preterm_births_before_34w=1),
      "history_indicated_cerclage", REC, NREC, id="4-hx-2-events-mixed-rcog-not-recommended"),
    P(case("13+0", second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", REC, REC,
      id="4-hx-3-losses-13+0-both-recommended"),
    P(case("13+0", second_trimester_losses_painless_dilation=1, spontaneous_preterm_births_before_34w=2),
      "history_indicated_cerclage", REC, REC, id="4-hx-3-events-mixed-both-recommended"),
    P(case("13+0", spontaneous_preterm_births_before_34w=3), "history_indicated_cerclage", NREC, REC,
      id="4-hx-3-preterm-births-acog-not-recommended-rcog-recommended"),
    P(case("13+0", prior_cerclage_for_painless_dilation=True), "history_indicated_cerclage", REC, NREC,
      id="4-hx-prior-cerclage-only-acog-recommended-rcog-not-recommended"),
    P(case("11+3", second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", REC, REC,
      id="4-hx-3-losses-11+3-acog-plan-rcog-now"),
    P(case("14+6", second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", REC, REC,
      id="4-hx-3-losses-14+6-both-recommended"),
    # AMBIGUOUS: v2 3.6 (consider at 15+0..17+6, EXPERT) read as applying under rcog to women who qualify.
    P(case("15+0", second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", CON, CON,
      id="4-hx-3-losses-15+0-both-consider"),
    P(case("13+0", plurality=2, second_trimester_losses_painless_dilation=3), "history_indicated_cerclage", NREC, NREC,
      id="4-hx-twins-3-losses-both-not-recommended"),
    # ---- short cervix: 25 mm or less; history + short: both consider; either factor alone: progesterone
    P(case("20+0", length=25, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA, CON,
      id="4-us-prior-sptb-25mm-acog-not-applicable-rcog-consider"),
    P(case("20+0", length=25, spontaneous_preterm_births_before_34w=1), "vaginal_progesterone", NA, CON,
      id="4-us-prior-sptb-25mm-progesterone-acog-not-applicable-rcog-consider"),
    P(case("20+0", length=25.1, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA, NA,
      id="4-us-prior-sptb-25.1mm-both-not-short"),
    P(case("20+0", length=18, second_trimester_losses_painless_dilation=1), "ultrasound_indicated_cerclage", CON, CON,
      id="4-us-prior-loss-18mm-both-consider"),
    P(case("20+0", length=18, second_trimester_losses_painless_dilation=1), "vaginal_progesterone", CON, CON,
      id="4-us-prior-loss-18mm-progesterone-both-consider"),
    P(case("24+0", length=20, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA, CON,
      id="4-us-prior-sptb-24+0-acog-window-passed-rcog-consider"),
    P(case("24+0", length=20, spontaneous_preterm_births_before_34w=1), "vaginal_progesterone", NA, CON,
      id="4-us-prior-sptb-24+0-progesterone-acog-window-passed-rcog-consider"),
    P(case("24+1", length=20, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA, NA,
      id="4-us-prior-sptb-24+1-both-window-passed"),
    # v2 3.5: acog window opens at 14+0; AMBIGUOUS: rcog keeps NICE's 16+0..24+0 scan window.
    P(case("15+6", length=20, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", CON, NA,
      id="4-us-prior-sptb-15+6-acog-consider-rcog-before-window"),
    P(case("20+0", length=15), "vaginal_progesterone", REC, CON,
      id="4-us-no-history-15mm-progesterone-acog-recommended-rcog-consider"),
    P(case("20+0", length=25), "vaginal_progesterone", CON, CON, id="4-us-no-history-25mm-progesterone-both-consider"),
    P(case("20+0", length=25.1), "vaginal_progesterone", NA, NA, id="4-us-no-history-25.1mm-progesterone-neither"),
    # AMBIGUOUS: v2 3.5 "not_recommended from 10 mm up to 25 mm (SMFM-CS70: 10-25 mm)" read as inclusive of 25 mm.
    P(case("20+0", length=25), "ultrasound_indicated_cerclage", NREC, NREC,
      id="4-us-no-history-25mm-cerclage-both-not-recommended"),
    # v2 4: no history and below 10 mm: no cerclage under rcog (RCOG-GTG75)
    P(case("20+0", length=9.9), "ultrasound_indicated_cerclage", CON, NREC,
      id="4-us-no-history-9.9mm-cerclage-acog-consider-rcog-not-recommended"),
    P(case("20+0", length=30, spontaneous_preterm_births_before_34w=1), "vaginal_progesterone", NA, CON,
      id="4-us-history-alone-30mm-progesterone-acog-not-applicable-rcog-consider"),
    P(case("20+0", spontaneous_preterm_births_before_34w=1), "vaginal_progesterone", NA, CON,
      id="4-us-history-alone-unmeasured-progesterone-acog-not-applicable-rcog-consider"),
    P(case("20+0", length=30, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA, NA,
      id="4-us-history-alone-30mm-cerclage-neither"),
    P(case("20+0", length=15, plurality=2), "vaginal_progesterone", NREC, NREC,
      id="4-us-twins-15mm-progesterone-both-not-recommended"),
    # ---- physical-exam-indicated cerclage up to 27+6
    P(case("23+6", dilation=2), "physical_exam_indicated_cerclage", CON, CON, id="4-pe-23+6-both-consider"),
    P(case("24+0", dilation=2), "physical_exam_indicated_cerclage", NREC, CON,
      id="4-pe-24+0-acog-not-recommended-rcog-consider"),
    P(case("26+0", dilation=2), "physical_exam_indicated_cerclage", NREC, CON,
      id="4-pe-26+0-acog-not-recommended-rcog-consider"),
    P(case("26+0", dilation=2), "trendelenburg_bed_rest", CON, NA,
      id="4-pe-26+0-bed-rest-acog-consider-rcog-not-applicable"),
    P(case("27+6", dilation=2), "physical_exam_indicated_cerclage", NREC, CON, id="4-pe-27+6-rcog-consider"),
    # v2 3.4: from 28+0 not_applicable; AMBIGUOUS: rcog past its 27+6 limit read the same.
    P(case("28+0", dilation=2), "physical_exam_indicated_cerclage", NA, NA, id="4-pe-28+0-both-not-applicable"),
    P(case("26+0", dilation=5), "physical_exam_indicated_cerclage", NREC, NREC,
      id="4-pe-26+0-5cm-both-not-recommended"),
    P(case("26+0", dilation=2), "preterm_birth_preparation", REC, REC, id="4-pe-26+0-preparation-both-recommended"),
    # ---- corticosteroids: discuss 23+0..23+6, offer 24+0..33+6
    P(case("21+6", ruptured=True), "preterm_birth_preparation", NA, NA, id="4-prep-pprom-21+6-neither"),
    # AMBIGUOUS: v2 4 asks whether NICE 2022 moved "discuss" to 22+0; encoded as written (23+0..23+6).
    P(case("22+0", ruptured=True), "preterm_birth_preparation", CON, NA,
      id="4-prep-pprom-22+0-acog-consider-rcog-not-applicable"),
    P(case("22+3", ruptured=True), "preterm_birth_preparation", CON, NA,
      id="4-prep-pprom-22+3-acog-consider-rcog-not-applicable"),
    P(case("22+6", ruptured=True), "preterm_birth_preparation", CON, NA,
      id="4-prep-pprom-22+6-acog-consider-rcog-not-applicable"),
    P(case("23+0", ruptured=True), "preterm_birth_preparation", CON, CON, id="4-prep-pprom-23+0-both-consider"),
    P(case("23+2", ruptured=True), "preterm_birth_preparation", CON, CON, id="4-prep-pprom-23+2-both-consider"),
    P(case("24+0", ruptured=True), "preterm_birth_preparation", REC, REC, id="4-prep-pprom-24+0-both-recommended"),
    P(case("33+6", flags=["regular_contractions_or_labor"]), "preterm_birth_preparation", REC, REC,
      id="4-prep-labor-33+6-both-recommended"),
    # v2 3.8 (acog late preterm) and 4 (rcog consider 34+0..35+6)
    P(case("34+0", flags=["regular_contractions_or_labor"]), "preterm_birth_preparation", CON, CON,
      id="4-prep-labor-34+0-both-consider"),
    # ---- everything not listed in section 4 is the same
    P(case("20+0", ruptured=True), "previable_pprom_counseling", REC, REC, id="4-same-pprom-20w-counseling"),
    P(case("34+0", ruptured=True), "delivery", REC, REC, id="4-same-pprom-34+0-delivery"),
    P(case("20+0", flags=["vaginal_bleeding"]), "ultrasound_indicated_cerclage", CONTRA, CONTRA,
      id="4-same-bleeding-contraindicated"),
    P(case("36+0", cerclage=True), "cerclage_removal", REC, REC, id="4-same-cerclage-36+0-removal"),
    P(case("20+0"), "routine_prenatal_care", REC, REC, id="4-same-nothing-found-routine"),
]


@pytest.mark.parametrize(("data", "option", "acog", "rcog"), ROWS)
def test_profiles_side_by_side(data: dict, option: str, acog: str, rcog: str) -> None:
    got_acog = evaluate(data, profile="acog").option(option)
    got_rcog = evaluate(data, profile="rcog").option(option)
    assert (got_acog.status, got_rcog.status) == (acog, rcog), (got_acog.rationale, got_rcog.rationale)


def test_default_profile_is_acog() -> None:
    data = case("13+0", second_trimester_losses_painless_dilation=2)
    assert evaluate(data).to_dict() == evaluate(data, profile="acog").to_dict()
    assert evaluate(data, profile="rcog").profile == "rcog"


def test_unknown_profile_is_rejected() -> None:
    with pytest.raises(ValueError, match="acog"):
        evaluate(case("20+0"), profile="nice")


def test_4_history_plan_vs_now_at_11_3() -> None:
    data = case("11+3", second_trimester_losses_painless_dilation=3)
    acog = evaluate(data, profile="acog").option("history_indicated_cerclage").rationale
    rcog = evaluate(data, profile="rcog").option("history_indicated_cerclage").rationale
    assert "plan" in acog
    assert "12+0-14+6" in acog
    assert "recommended now" in rcog
    assert "11+0-14+6" in rcog


def test_4_history_rcog_rationale_names_criterion() -> None:
    data = case("13+0", second_trimester_losses_painless_dilation=2)
    result = evaluate(data, profile="rcog").option("history_indicated_cerclage")
    assert "Three or more" in result.rationale
    assert "RCOG-GTG75" in result.sources


def test_4_rcog_3_events_rationale_counts_both_kinds() -> None:
    data = case("13+0", second_trimester_losses_painless_dilation=1, spontaneous_preterm_births_before_34w=2)
    rationale = evaluate(data, profile="rcog").option("history_indicated_cerclage").rationale
    assert "1 second-trimester loss" in rationale
    assert "2 spontaneous preterm birth" in rationale


def test_4_short_cervix_threshold_named_per_profile() -> None:
    data = case("20+0", length=24, spontaneous_preterm_births_before_34w=1)
    acog = evaluate(data, profile="acog").option("ultrasound_indicated_cerclage").rationale
    rcog = evaluate(data, profile="rcog").option("ultrasound_indicated_cerclage").rationale
    assert "below 25 mm" in acog
    assert "at or below 25 mm" in rcog
    assert "24 mm" in acog
    assert "24 mm" in rcog


def test_4_magnesium_and_steroid_windows_named_per_profile() -> None:
    data = case("25+0", flags=["regular_contractions_or_labor"])
    acog = evaluate(data, profile="acog").option("preterm_birth_preparation").rationale
    rcog = evaluate(data, profile="rcog").option("preterm_birth_preparation").rationale
    assert "before 32+0" in acog
    assert "24+0-29+6" in rcog
    assert "23+0-23+6" in rcog
    assert "24 hours" in rcog


def test_4_rcog_pe_window_named() -> None:
    rationale = evaluate(case("26+0", dilation=2), profile="rcog").option("physical_exam_indicated_cerclage").rationale
    assert "27+6" in rationale
    assert "26+0" in rationale


def test_4_rcog_periviable_steroids_window_named() -> None:
    rationale = evaluate(case("23+2", ruptured=True), profile="rcog").option("preterm_birth_preparation").rationale
    assert "23+0-23+6" in rationale


def test_4_profiles_differ_only_in_listed_options_for_a_plain_case() -> None:
    # A PPROM case at 28+0 touches none of the section 4 differences.
    data = case("28+0", rupture_at="27+0", cerclage=True)
    assert evaluate(data, profile="acog").statuses() == evaluate(data, profile="rcog").statuses()
