"""Decision table for clinical-spec.md section 3 (profile ``acog``): one row per rule bullet.

Every test id starts with the spec section it checks. Boundaries are tested on both sides.
"""

from __future__ import annotations

import re

import pytest
from strategies import CONTRAINDICATIONS, case, merge

from decision import OPTION_IDS, PLACEMENT_OPTIONS, evaluate

P = pytest.param
REC, CON, NREC, CONTRA, NA = "recommended", "consider", "not_recommended", "contraindicated", "not_applicable"

# A case where, without the contraindication, every placement option would be in play:
# history indication, prior sPTB with a short cervix and painless dilation at 20+0.
_BUSY = case("20+0", dilation=2, length=15, second_trimester_losses_painless_dilation=1,
             spontaneous_preterm_births_before_34w=1)
_EARLY = case("13+0", second_trimester_losses_painless_dilation=1)


def _with(base: dict, contraindication: str) -> dict:
    return merge(base, CONTRAINDICATIONS[contraindication][0])


ROWS = [
    # ---- 3.1 hard contraindications: each alone -> all three placement options contraindicated
    *[
        P(_with(base, key), option, CONTRA, id=f"3.1-{key}-{where}-{option}-contraindicated")
        for key in CONTRAINDICATIONS
        for where, base in (("20w-dilated-short-history", _BUSY), ("13w-history-indication", _EARLY))
        for option in PLACEMENT_OPTIONS
    ],
    # ---- 3.2 alerts
    P(case("20+0", flags=["signs_of_intraamniotic_infection"]), "delivery", REC,
      id="3.2-infection-20w-delivery-recommended"),
    P(case("16+0", flags=["signs_of_intraamniotic_infection"]), "delivery", REC,
      id="3.2-infection-16w-delivery-recommended-any-ga"),
    P(case("20+0", flags=["signs_of_intraamniotic_infection"]), "trendelenburg_bed_rest", NREC,
      id="3.2-infection-bed-rest-not-recommended"),
    P(case("20+0", dilation=5, flags=["signs_of_intraamniotic_infection"]), "trendelenburg_bed_rest", NREC,
      id="3.2-infection-dilated-5cm-bed-rest-not-recommended"),
    P(case("20+0", flags=["signs_of_intraamniotic_infection"]), "pprom_expectant_management", NREC,
      id="3.2-infection-expectant-not-recommended"),
    P(case("20+0", ruptured=True, flags=["signs_of_intraamniotic_infection"]), "pprom_expectant_management", NREC,
      id="3.2-infection-pprom-20w-expectant-not-recommended"),
    P(case("20+0", ruptured=True, flags=["signs_of_intraamniotic_infection"]), "delivery", REC,
      id="3.2-infection-pprom-20w-delivery-recommended-not-consider"),
    P(case("28+0", ruptured=True, flags=["signs_of_intraamniotic_infection"]), "delivery", REC,
      id="3.2-infection-pprom-28w-delivery-recommended"),
    P(case("22+0", cerclage=True, flags=["signs_of_intraamniotic_infection"]), "cerclage_removal", REC,
      id="3.2-infection-cerclage-in-place-removal-recommended"),
    P(case("22+0", flags=["signs_of_intraamniotic_infection"]), "cerclage_removal", NA,
      id="3.2-infection-no-cerclage-removal-not-applicable"),
    P(case("20+0", flags=["fetal_demise"]), "delivery", REC, id="3.2-demise-20w-delivery-recommended"),
    # AMBIGUOUS: v2 demise: 3.0 (b)/3.1 (bed rest not_recommended) read as applying before (c) "all else not_applicable".
    P(case("20+0", dilation=2, flags=["fetal_demise"]), "trendelenburg_bed_rest", NREC,
      id="3.2-3.4-demise-dilated-bed-rest-not-recommended"),
    P(case("20+0", cerclage=True, flags=["fetal_demise"]), "cerclage_removal", REC,
      id="3.2-demise-cerclage-in-place-removal-recommended-project-decision"),
    P(case("28+0", flags=["regular_contractions_or_labor"]), "preterm_birth_preparation", REC,
      id="3.2-3.8-labor-28w-preparation-recommended"),
    P(case("20+0", flags=["regular_contractions_or_labor"]), "preterm_birth_preparation", NA,
      id="3.2-3.8-labor-20w-preparation-not-applicable"),
    P(case("30+0", cerclage=True, flags=["regular_contractions_or_labor"]), "cerclage_removal", REC,
      id="3.2-labor-cerclage-in-place-30w-removal-recommended"),
    P(case("20+0", dilation=2, flags=["regular_contractions_or_labor"]), "trendelenburg_bed_rest", NREC,
      id="3.2-3.4-labor-dilated-bed-rest-not-recommended"),
    # ---- 3.3 ruptured membranes
    P(case("20+0", rupture_at="19+0"), "previable_pprom_counseling", REC, id="3.3-pprom-20w-counseling-recommended"),
    P(case("20+0", rupture_at="19+0"), "delivery", CON, id="3.3-pprom-20w-active-delivery-consider"),
    P(case("20+0", rupture_at="19+0"), "pprom_expectant_management", CON, id="3.3-pprom-20w-expectant-consider"),
    P(case("20+0", rupture_at="19+0"), "trendelenburg_bed_rest", NREC, id="3.3-pprom-20w-bed-rest-not-recommended"),
    P(case("20+0", rupture_at="19+0", dilation=2), "trendelenburg_bed_rest", NREC,
      id="3.3-pprom-20w-dilated-bed-rest-not-recommended"),
    P(case("23+6", ruptured=True), "previable_pprom_counseling", REC, id="3.3-pprom-23+6-counseling-recommended"),
    P(case("23+6", ruptured=True), "delivery", CON, id="3.3-pprom-23+6-delivery-consider"),
    P(case("24+0", ruptured=True), "previable_pprom_counseling", NA, id="3.3-pprom-24+0-counseling-not-applicable"),
    P(case("24+0", ruptured=True), "pprom_expectant_management", REC, id="3.3-pprom-24+0-expectant-recommended"),
    P(case("24+0", ruptured=True), "preterm_birth_preparation", REC, id="3.3-pprom-24+0-preparation-recommended"),
    P(case("24+0", ruptured=True), "delivery", NREC, id="3.3-pprom-24+0-delivery-not-recommended"),
    P(case("33+6", ruptured=True), "delivery", NREC, id="3.3-pprom-33+6-delivery-not-recommended"),
    P(case("33+6", ruptured=True), "pprom_expectant_management", REC, id="3.3-pprom-33+6-expectant-recommended"),
    P(case("33+6", ruptured=True), "preterm_birth_preparation", REC, id="3.3-pprom-33+6-preparation-recommended"),
    P(case("34+0", ruptured=True), "delivery", REC, id="3.3-pprom-34+0-delivery-recommended"),
    # v2 3.8: late-preterm steroids (singleton, PPROM, no prior course, no infection)
    P(case("34+0", ruptured=True), "preterm_birth_preparation", CON, id="3.3-3.8-pprom-34+0-preparation-late-preterm-consider"),
    P(case("38+0", ruptured=True), "delivery", REC, id="3.3-pprom-38w-delivery-recommended"),
    P(case("30+0", ruptured=True, flags=["fetal_demise"]), "delivery", REC,
      id="3.3-pprom-30w-demise-delivery-recommended"),
    # v2 3.3: PPROM with labor at any GA: delivery recommended (allow labor to progress)
    P(case("30+0", ruptured=True, flags=["regular_contractions_or_labor"]), "delivery", REC,
      id="3.3-pprom-30w-labor-delivery-recommended"),
    P(case("20+0", ruptured=True, cerclage=True), "cerclage_removal", CON,
      id="3.3-pprom-cerclage-20w-removal-consider"),
    P(case("33+6", ruptured=True, cerclage=True), "cerclage_removal", CON,
      id="3.3-pprom-cerclage-33+6-removal-consider"),
    P(case("20+0", ruptured=True, cerclage=True, flags=["signs_of_intraamniotic_infection"]), "cerclage_removal", REC,
      id="3.3-pprom-cerclage-infection-removal-recommended"),
    P(case("20+0", ruptured=True, cerclage=True, flags=["regular_contractions_or_labor"]), "cerclage_removal", REC,
      id="3.3-pprom-cerclage-labor-removal-recommended"),
    # ---- 3.4 intact membranes, painless dilation
    P(case("20+0", dilation=2), "physical_exam_indicated_cerclage", CON,
      id="3.4-dilation-2cm-20w-emergency-cerclage-consider"),
    P(case("20+0", dilation=2), "trendelenburg_bed_rest", NA, id="3.4-dilation-2cm-20w-bed-rest-not-applicable"),
    P(case("20+0", dilation=2), "ultrasound_indicated_cerclage", NA,
      id="3.4-dilation-2cm-20w-ultrasound-cerclage-not-applicable"),
    # v2 3.4: 1 cm with no TVCL, no funneling, no visible membranes is not CI on examination
    P(case("20+0", dilation=1), "physical_exam_indicated_cerclage", NA,
      id="3.4-dilation-1cm-no-tvcl-not-ci-not-applicable"),
    P(case("20+0", dilation=0.5), "physical_exam_indicated_cerclage", NA,
      id="3.4-dilation-0.5cm-not-insufficiency-not-applicable"),
    P(case("20+0", at_os=True), "physical_exam_indicated_cerclage", CON,
      id="3.4-membranes-at-os-unexamined-dilation-consider"),
    P(case("20+0", dilation=0.5, at_os=True), "physical_exam_indicated_cerclage", CON,
      id="3.4-membranes-at-os-0.5cm-consider"),
    P(case("14+0", dilation=2), "physical_exam_indicated_cerclage", CON, id="3.4-dilation-14+0-consider"),
    P(case("23+6", dilation=2), "physical_exam_indicated_cerclage", CON, id="3.4-dilation-23+6-consider"),
    P(case("23+6", dilation=2), "trendelenburg_bed_rest", NA, id="3.4-dilation-23+6-bed-rest-not-applicable"),
    P(case("20+0", dilation=4), "physical_exam_indicated_cerclage", CON, id="3.4-dilation-4cm-consider"),
    P(case("20+0", dilation=4), "trendelenburg_bed_rest", NA, id="3.4-dilation-4cm-bed-rest-not-applicable"),
    P(case("20+0", dilation=4.5), "physical_exam_indicated_cerclage", NREC,
      id="3.4-dilation-4.5cm-late-not-recommended"),
    P(case("20+0", dilation=4.5), "trendelenburg_bed_rest", CON, id="3.4-dilation-4.5cm-late-bed-rest-consider"),
    P(case("20+0", dilation=8), "trendelenburg_bed_rest", CON, id="3.4-dilation-8cm-late-bed-rest-consider"),
    # v2 3.4: prolapsed membranes with dilation at most 4 cm: still consider (specialist decision); bed rest n/a
    P(case("20+0", dilation=3, prolapsed=True), "physical_exam_indicated_cerclage", CON,
      id="3.4-prolapsed-membranes-3cm-consider-specialist-decision"),
    P(case("20+0", dilation=3, prolapsed=True), "trendelenburg_bed_rest", NA,
      id="3.4-prolapsed-membranes-3cm-bed-rest-not-applicable"),
    P(case("24+0", dilation=2), "physical_exam_indicated_cerclage", NREC,
      id="3.4-dilation-24+0-after-window-not-recommended"),
    P(case("24+0", dilation=2), "preterm_birth_preparation", REC, id="3.4-dilation-24+0-preparation-recommended"),
    P(case("24+0", dilation=2), "trendelenburg_bed_rest", CON, id="3.4-dilation-24+0-bed-rest-consider"),
    P(case("30+0", dilation=3), "preterm_birth_preparation", REC, id="3.4-dilation-30w-preparation-recommended"),
    P(case("34+0", dilation=3), "preterm_birth_preparation", NA, id="3.4-3.8-dilation-34+0-preparation-not-applicable"),
    P(case("13+6", dilation=2), "physical_exam_indicated_cerclage", CON, id="3.4-dilation-13+6-before-window-consider"),
    P(case("13+6", dilation=2), "trendelenburg_bed_rest", NA, id="3.4-dilation-13+6-bed-rest-not-applicable"),
    P(case("20+0", dilation=2, plurality=2), "physical_exam_indicated_cerclage", CON,
      id="3.4-twins-dilation-2cm-consider"),
    P(case("20+0", dilation=2, plurality=3), "physical_exam_indicated_cerclage", CON,
      id="3.4-triplets-dilation-2cm-consider"),
    # v2 3.0 (b), 3.1: bed rest is never offered with a hard contraindication
    P(case("20+0", dilation=2, flags=["vaginal_bleeding"]), "trendelenburg_bed_rest", NREC,
      id="3.4-bleeding-dilated-bed-rest-not-recommended"),
    P(case("20+0", dilation=2, flags=["lethal_fetal_anomaly"]), "trendelenburg_bed_rest", NREC,
      id="3.4-lethal-anomaly-dilated-bed-rest-not-recommended"),
    P(case("20+0", dilation=2, flags=["signs_of_intraamniotic_infection"]), "trendelenburg_bed_rest", NREC,
      id="3.4-infection-dilated-bed-rest-not-recommended"),
    P(case("20+0", dilation=2, flags=["regular_contractions_or_labor"]), "physical_exam_indicated_cerclage", CONTRA,
      id="3.4-labor-dilated-emergency-cerclage-contraindicated"),
    # ---- 3.5 intact membranes, closed cervix, cervical length
    P(case("20+0", length=18, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", CON,
      id="3.5-prior-sptb-18mm-ultrasound-cerclage-consider"),
    P(case("20+0", length=18, spontaneous_preterm_births_before_34w=1), "vaginal_progesterone", CON,
      id="3.5-prior-sptb-18mm-progesterone-consider"),
    P(case("20+0", length=24.9, second_trimester_losses_painless_dilation=1), "ultrasound_indicated_cerclage", CON,
      id="3.5-prior-loss-24.9mm-ultrasound-cerclage-consider"),
    P(case("20+0", length=24.9, spontaneous_preterm_births_before_34w=1), "vaginal_progesterone", CON,
      id="3.5-prior-sptb-24.9mm-progesterone-consider"),
    P(case("20+0", length=9.9, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", CON,
      id="3.5-prior-sptb-9.9mm-ultrasound-cerclage-consider"),
    P(case("20+0", length=25, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA,
      id="3.5-prior-sptb-25mm-not-short-no-cerclage"),
    P(case("20+0", length=25, spontaneous_preterm_births_before_34w=1), "vaginal_progesterone", NA,
      id="3.5-prior-sptb-25mm-not-short-no-progesterone"),
    P(case("20+0", length=25, spontaneous_preterm_births_before_34w=1), "serial_cervical_length_surveillance", REC,
      id="3.5-3.6-prior-sptb-25mm-continue-surveillance"),
    P(case("16+0", length=18, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", CON,
      id="3.5-prior-sptb-18mm-16+0-consider"),
    # v2 3.5: the ultrasound-indicated window opens at 14+0 once a length is measured
    P(case("15+6", length=18, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", CON,
      id="3.5-prior-sptb-18mm-15+6-window-from-14-consider"),
    P(case("23+6", length=18, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", CON,
      id="3.5-prior-sptb-18mm-23+6-consider"),
    P(case("24+0", length=18, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NA,
      id="3.5-prior-sptb-18mm-24+0-window-passed-not-applicable"),
    P(case("24+0", length=18), "vaginal_progesterone", NA, id="3.5-no-history-18mm-24+0-progesterone-not-applicable"),
    P(case("20+0", length=20), "vaginal_progesterone", REC, id="3.5-no-history-20mm-progesterone-recommended"),
    P(case("20+0", length=9.9), "vaginal_progesterone", REC, id="3.5-no-history-9.9mm-progesterone-recommended"),
    P(case("20+0", length=20.5), "vaginal_progesterone", CON, id="3.5-no-history-20.5mm-progesterone-consider"),
    P(case("20+0", length=21), "vaginal_progesterone", CON, id="3.5-no-history-21mm-progesterone-consider"),
    P(case("20+0", length=24.9), "vaginal_progesterone", CON, id="3.5-no-history-24.9mm-progesterone-consider"),
    P(case("20+0", length=25), "vaginal_progesterone", CON, id="3.5-no-history-25mm-progesterone-consider"),
    P(case("20+0", length=25.1), "vaginal_progesterone", NA, id="3.5-no-history-25.1mm-progesterone-not-applicable"),
    P(case("20+0", length=9.9), "ultrasound_indicated_cerclage", CON, id="3.5-no-history-9.9mm-cerclage-consider"),
    P(case("20+0", length=10), "ultrasound_indicated_cerclage", NREC,
      id="3.5-no-history-10mm-cerclage-not-recommended"),
    P(case("20+0", length=20), "ultrasound_indicated_cerclage", NREC,
      id="3.5-no-history-20mm-cerclage-not-recommended"),
    P(case("20+0", length=24.9), "ultrasound_indicated_cerclage", NREC,
      id="3.5-no-history-24.9mm-cerclage-not-recommended"),
    # AMBIGUOUS: v2 3.5 "not_recommended from 10 mm up to 25 mm (SMFM-CS70: 10-25 mm)" read as inclusive of 25 mm.
    P(case("20+0", length=25), "ultrasound_indicated_cerclage", NREC, id="3.5-no-history-25mm-cerclage-not-recommended"),
    P(case("20+0", length=25.1), "ultrasound_indicated_cerclage", NA, id="3.5-no-history-25.1mm-no-cerclage"),
    P(case("20+0", length=15, plurality=2), "ultrasound_indicated_cerclage", NREC,
      id="3.5-twins-15mm-ultrasound-cerclage-not-recommended"),
    P(case("20+0", length=15, plurality=2), "vaginal_progesterone", NREC,
      id="3.5-twins-15mm-progesterone-not-recommended"),
    P(case("20+0", length=8, plurality=2, spontaneous_preterm_births_before_34w=1), "ultrasound_indicated_cerclage", NREC,
      id="3.5-twins-prior-sptb-8mm-cerclage-not-recommended"),
    P(case("20+0", length=18, flags=["vaginal_bleeding"]), "vaginal_progesterone", NA,
      id="3.5-bleeding-18mm-contraindication-no-progesterone"),
    # ---- 3.6 history and risk factors
    P(case("13+0", second_trimester_losses_painless_dilation=1), "history_indicated_cerclage", REC,
      id="3.6-one-loss-13w-history-cerclage-recommended"),
    P(case("12+0", second_trimester_losses_painless_dilation=1), "history_indicated_cerclage", REC,
      id="3.6-one-loss-12+0-history-cerclage-recommended"),
    P(case("11+6", second_trimester_losses_painless_dilation=1), "history_indicated_cerclage", REC,
      id="3.6-one-loss-11+6-history-cerclage-recommended-plan"),
    P(case("8+0", second_trimester_losses_painless_dilation=2), "history_indicated_cerclage", REC,
      id="3.6-two-losses-8w-history-cerclage-recommended-plan"),
    P(case("14+6", second_trimester_losses_painless_dilation=1), "history_indicated_cerclage", REC,
      id="3.6-one-loss-14+6-history-cerclage-recommended"),
    # v2 3.6: consider at 15+0..17+6 with a closed cervix; surveillance is then the alternative (consider)
    P(case("15+0", second_trimester_losses_painless_dilation=1), "history_indicated_cerclage", CON,
      id="3.6-one-loss-15+0-history-cerclage-consider"),
    P(case("15+0", second_trimester_losses_painless_dilation=1), "serial_cervical_length_surveillance", CON,
      id="3.6-one-loss-15+0-surveillance-consider-alternative"),
    P(case("13+0", prior_cerclage_for_painless_dilation=True), "history_indicated_cerclage", REC,
      id="3.6-prior-cerclage-13w-history-cerclage-recommended"),
    P(case("14+6", prior_cerclage_for_painless_dilation=True), "history_indicated_cerclage", REC,
      id="3.6-prior-cerclage-14+6-history-cerclage-recommended"),
    P(case("15+0", prior_cerclage_for_painless_dilation=True), "history_indicated_cerclage", CON,
      id="3.6-prior-cerclage-15+0-consider"),
    P(case("13+0", cervical_surgery=True), "history_indicated_cerclage", NREC,
      id="3.6-cone-leep-13w-risk-factor-alone-not-recommended"),
    P(case("13+0", in_utero_des_exposure=True), "history_indicated_cerclage", NREC,
      id="3.6-des-13w-risk-factor-alone-not-recommended"),
    P(case("13+0", spontaneous_preterm_births_before_34w=2), "history_indicated_cerclage", NREC,
      id="3.6-prior-sptb-13w-not-an-indication-not-recommended"),
    P(case("13+0", cervical_surgery=True), "serial_cervical_length_surveillance", REC,
      id="3.6-cone-leep-13w-surveillance-recommended-start-16"),
    P(case("15+6", cervical_trauma=True), "serial_cervical_length_surveillance", REC,
      id="3.6-trauma-15+6-surveillance-recommended-start-16"),
    P(case("16+0", uterine_or_cervical_anomaly=True), "serial_cervical_length_surveillance", REC,
      id="3.6-anomaly-16+0-surveillance-recommended"),
    P(case("20+0", in_utero_des_exposure=True), "serial_cervical_length_surveillance", REC,
      id="3.6-des-20w-surveillance-recommended"),
    P(case("23+6", spontaneous_preterm_births_before_34w=1), "serial_cervical_length_surveillance", REC,
      id="3.6-prior-sptb-23+6-surveillance-recommended"),
    P(case("24+0", spontaneous_preterm_births_before_34w=1), "serial_cervical_length_surveillance", NA,
      id="3.6-prior-sptb-24+0-surveillance-not-applicable"),
    P(case("20+0", cervical_surgery=True, cerclage=True), "serial_cervical_length_surveillance", NREC,
      id="3.6-3.7-risk-factor-with-cerclage-surveillance-not-recommended"),
    P(case("20+0"), "serial_cervical_length_surveillance", NA, id="3.6-no-risk-factor-surveillance-not-applicable"),
    P(case("13+0", plurality=2, second_trimester_losses_painless_dilation=1), "history_indicated_cerclage", NREC,
      id="3.6-twins-one-loss-13w-history-cerclage-not-recommended"),
    P(case("12+0", plurality=2, cervical_surgery=True), "history_indicated_cerclage", NREC,
      id="3.6-twins-risk-factor-history-cerclage-not-recommended"),
    # ---- 3.7 cerclage already in place
    *[
        P(case("20+0", cerclage=True, length=15, dilation=2, second_trimester_losses_painless_dilation=1), option, NA,
          id=f"3.7-cerclage-in-place-{option}-not-applicable")
        for option in PLACEMENT_OPTIONS
    ],
    P(case("13+0", cerclage=True, second_trimester_losses_painless_dilation=1), "history_indicated_cerclage", NA,
      id="3.7-cerclage-in-place-13w-history-cerclage-not-applicable"),
    P(case("20+0", cerclage=True, spontaneous_preterm_births_before_34w=1), "serial_cervical_length_surveillance", NREC,
      id="3.7-cerclage-in-place-surveillance-not-recommended"),
    P(case("35+6", cerclage=True), "cerclage_removal", NA, id="3.7-cerclage-35+6-removal-not-yet-not-applicable"),
    P(case("36+0", cerclage=True), "cerclage_removal", REC, id="3.7-cerclage-36+0-removal-recommended"),
    P(case("37+0", cerclage=True), "cerclage_removal", REC, id="3.7-cerclage-37+0-removal-recommended"),
    P(case("38+2", cerclage=True), "cerclage_removal", REC, id="3.7-cerclage-38+2-overdue-removal-recommended"),
    P(case("25+0", cerclage=True, flags=["regular_contractions_or_labor"]), "cerclage_removal", REC,
      id="3.7-cerclage-labor-25w-removal-recommended"),
    P(case("18+0", cerclage=True, flags=["signs_of_intraamniotic_infection"]), "cerclage_removal", REC,
      id="3.7-cerclage-infection-18w-removal-recommended"),
    P(case("28+0", cerclage=True, ruptured=True), "cerclage_removal", CON,
      id="3.7-3.3-cerclage-pprom-28w-removal-consider"),
    # ---- 3.8 preterm birth preparation
    P(case("21+6", flags=["regular_contractions_or_labor"]), "preterm_birth_preparation", NA,
      id="3.8-labor-21+6-not-applicable"),
    P(case("22+0", flags=["regular_contractions_or_labor"]), "preterm_birth_preparation", CON,
      id="3.8-labor-22+0-consider"),
    P(case("23+6", flags=["regular_contractions_or_labor"]), "preterm_birth_preparation", CON,
      id="3.8-labor-23+6-consider"),
    P(case("24+0", flags=["regular_contractions_or_labor"]), "preterm_birth_preparation", REC,
      id="3.8-labor-24+0-recommended"),
    P(case("33+6", flags=["regular_contractions_or_labor"]), "preterm_birth_preparation", REC,
      id="3.8-labor-33+6-recommended"),
    # v2 3.8: late-preterm steroids with labor (singleton, no prior course, no infection)
    P(case("34+0", flags=["regular_contractions_or_labor"]), "preterm_birth_preparation", CON,
      id="3.8-labor-34+0-late-preterm-consider"),
    P(case("21+6", ruptured=True), "preterm_birth_preparation", NA, id="3.8-pprom-21+6-not-applicable"),
    P(case("22+0", ruptured=True), "preterm_birth_preparation", CON, id="3.8-pprom-22+0-consider"),
    P(case("23+6", ruptured=True), "preterm_birth_preparation", CON, id="3.8-pprom-23+6-consider"),
    # v2 3.4: 1 cm with no TVCL is not CI on examination, so not a high delivery risk
    P(case("22+0", dilation=1), "preterm_birth_preparation", NA, id="3.8-dilation-1cm-no-tvcl-22+0-not-ci-not-applicable"),
    P(case("25+0", dilation=1), "preterm_birth_preparation", NA, id="3.8-dilation-1cm-no-tvcl-25w-not-ci-not-applicable"),
    P(case("25+0", dilation=0.5), "preterm_birth_preparation", NA, id="3.8-dilation-0.5cm-25w-not-high-risk"),
    P(case("25+0", dilation=3, prolapsed=True), "preterm_birth_preparation", REC, id="3.8-prolapsed-25w-recommended"),
    P(case("23+0", at_os=True), "preterm_birth_preparation", CON,
      id="3.8-membranes-at-os-23w-consider-project-decision"),
    # v2 3.5: 24+0..33+6 below 10 mm: consider; v2 3.2: bleeding at 24+0..33+6: consider
    P(case("25+0", length=8), "preterm_birth_preparation", CON, id="3.8-3.5-short-cervix-8mm-25w-consider"),
    P(case("28+0", flags=["vaginal_bleeding"]), "preterm_birth_preparation", CON, id="3.8-3.2-bleeding-28w-consider"),
    P(case("28+0", ruptured=True, flags=["fetal_demise"]), "preterm_birth_preparation", NA,
      id="3.8-3.2-pprom-demise-28w-not-applicable"),
    # ---- 3.9 nothing found
    P(case("20+0"), "routine_prenatal_care", REC, id="3.9-nothing-20w-routine-recommended"),
    P(case("20+0", length=30), "routine_prenatal_care", REC, id="3.9-normal-length-30mm-routine-recommended"),
    P(case("20+0", length=38, dilation=0), "routine_prenatal_care", REC,
      id="3.9-normal-length-closed-routine-recommended"),
    P(case("10+0", plurality=1), "routine_prenatal_care", REC, id="3.9-nothing-10w-routine-recommended"),
    P(case("20+0", length=18), "routine_prenatal_care", NA, id="3.9-short-cervix-routine-not-applicable"),
    P(case("20+0", cervical_surgery=True), "routine_prenatal_care", NA,
      id="3.9-risk-factor-surveillance-routine-not-applicable"),
    P(case("20+0", ruptured=True), "routine_prenatal_care", NA, id="3.9-ruptured-routine-not-applicable"),
    P(case("20+0", flags=["vaginal_bleeding"]), "routine_prenatal_care", NA, id="3.9-bleeding-routine-not-applicable"),
    P(case("30+0", cervical_surgery=True), "routine_prenatal_care", REC,
      id="3.9-risk-factor-30w-nothing-to-do-routine-recommended-project-decision"),
]


@pytest.mark.parametrize(("data", "option", "expected"), ROWS)
def test_decision_table(data: dict, option: str, expected: str) -> None:
    assert option in OPTION_IDS
    result = evaluate(data, profile="acog").option(option)
    assert result.status == expected, result.rationale


# ---- 3.1: the rationale names which contraindication --------------------------------------

@pytest.mark.parametrize("key", list(CONTRAINDICATIONS))
def test_3_1_each_contraindication_alone_names_itself(key: str) -> None:
    fragment, name = CONTRAINDICATIONS[key]
    assessment = evaluate(merge(case("20+0"), fragment))
    for option in PLACEMENT_OPTIONS:
        result = assessment.option(option)
        assert result.status == CONTRA
        assert name in result.rationale
        for other_key, (_frag, other) in CONTRAINDICATIONS.items():
            if other_key != key:
                assert other not in result.rationale
        assert "ACOG-PB142" in result.sources


def test_3_1_two_contraindications_are_both_named() -> None:
    data = case("20+0", ruptured=True, flags=["vaginal_bleeding"])
    rationale = evaluate(data).option("ultrasound_indicated_cerclage").rationale
    assert "ruptured membranes" in rationale
    assert "active vaginal bleeding" in rationale


def test_3_1_no_contraindication_no_contraindicated_status() -> None:
    assert CONTRA not in evaluate(_BUSY).statuses().values()


# ---- 3.2 alerts ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "alert_id"),
    [
        P(case("20+0", flags=["signs_of_intraamniotic_infection"]), "intraamniotic_infection",
          id="3.2-infection-alert"),
        P(case("20+0", flags=["fetal_demise"]), "fetal_demise", id="3.2-demise-alert"),
        P(case("20+0", flags=["regular_contractions_or_labor"]), "labor", id="3.2-labor-alert"),
        P(case("20+0", flags=["vaginal_bleeding"]), "vaginal_bleeding", id="3.2-bleeding-alert"),
        P(case("20+0", ruptured=True), "ruptured_membranes", id="3.2-3.3-pprom-alert"),
    ],
)
def test_3_2_alert_shown_as_critical(data: dict, alert_id: str) -> None:
    alerts = {a.id: a for a in evaluate(data).alerts}
    assert alert_id in alerts
    assert alerts[alert_id].severity == "critical"


def test_3_2_bleeding_alert_says_evaluate_abruption_or_previa() -> None:
    (alert,) = [a for a in evaluate(case("20+0", flags=["vaginal_bleeding"])).alerts if a.id == "vaginal_bleeding"]
    assert "abruption" in alert.message
    assert "previa" in alert.message


def test_3_2_nothing_found_no_alert() -> None:
    assert evaluate(case("20+0")).alerts == ()


def test_3_2_demise_everything_else_not_applicable() -> None:
    # A case that would otherwise trigger PPROM counseling, preparation, surveillance and more.
    data = case("22+3", rupture_at="21+0", spontaneous_preterm_births_before_34w=1, cervical_surgery=True,
                flags=["fetal_demise"])
    statuses = evaluate(data).statuses()
    assert statuses["delivery"] == REC
    for option in PLACEMENT_OPTIONS:
        assert statuses[option] == CONTRA
    # AMBIGUOUS: v2 3.0 (b) and 3.1 (bed rest not_recommended with any 3.1 finding) read as applying before (c).
    assert statuses["trendelenburg_bed_rest"] == NREC
    others = {o: s for o, s in statuses.items()
              if o not in {"delivery", "trendelenburg_bed_rest", *PLACEMENT_OPTIONS}}
    assert others == dict.fromkeys(others, NA)


def test_3_2_demise_rationale_counsels_on_mode() -> None:
    result = evaluate(case("20+0", flags=["fetal_demise"])).option("delivery")
    # v2 3.2: "method and timing depend on GA, history and the woman's preference"
    assert "timing" in result.rationale
    assert "20+0" in result.rationale


def test_3_2_infection_rationale_names_antibiotics_and_ga() -> None:
    result = evaluate(case("19+2", flags=["signs_of_intraamniotic_infection"])).option("delivery")
    assert "broad-spectrum antibiotics" in result.rationale
    assert "19+2" in result.rationale


# ---- 3.3 rationales ------------------------------------------------------------------------

def test_3_3_counseling_names_rupture_and_current_ga() -> None:
    result = evaluate(case("21+4", rupture_at="18+2")).option("previable_pprom_counseling")
    assert "18+2" in result.rationale
    assert "21+4" in result.rationale
    assert "24+0" in result.rationale  # the viability threshold


def test_3_3_previable_delivery_requires_consent() -> None:
    assert "consent" in evaluate(case("20+0", ruptured=True)).option("delivery").rationale


def test_3_3_latency_antibiotics_from_20_weeks() -> None:
    before = evaluate(case("19+6", ruptured=True)).option("pprom_expectant_management").rationale
    after = evaluate(case("20+0", ruptured=True)).option("pprom_expectant_management").rationale
    assert "from 20+0" in before
    assert "20+0-33+6" in after


# ---- 3.4 rationales ------------------------------------------------------------------------

def test_3_4_before_window_is_flagged_specialist_decision() -> None:
    rationale = evaluate(case("13+6", dilation=2)).option("physical_exam_indicated_cerclage").rationale
    assert "outside the usual window" in rationale
    assert "specialist decision" in rationale


def test_3_4_twins_note_one_small_trial() -> None:
    rationale = evaluate(case("20+0", dilation=2, plurality=2)).option("physical_exam_indicated_cerclage").rationale
    assert re.search(r"one small (randomi[sz]ed )?trial", rationale)  # v2 3.4: "one small randomised trial"
    assert "2 fetuses" in rationale


def test_3_4_window_rationale_names_dilation_ga_evidence_and_amniocentesis() -> None:
    result = evaluate(case("19+3", dilation=2)).option("physical_exam_indicated_cerclage")
    assert "2 cm" in result.rationale
    assert "19+3" in result.rationale
    assert "71% vs 43%" in result.rationale
    assert "amniocentesis" in result.rationale
    assert {"ACOG-PB142", "EHSANIPOOR-2015", "MONCKEBERG-2019"} <= set(result.sources)


def test_3_4_late_diagnosis_rationale_usually_not_possible() -> None:
    result = evaluate(case("20+0", dilation=4.5)).option("physical_exam_indicated_cerclage")
    assert "4.5 cm" in result.rationale
    assert "usually not possible" in result.rationale


# ---- 3.5 rationales ------------------------------------------------------------------------

def test_3_5_rationale_names_length_and_ga() -> None:
    result = evaluate(case("19+3", length=18, spontaneous_preterm_births_before_34w=1)).option(
        "ultrasound_indicated_cerclage")
    assert "18 mm" in result.rationale
    assert "19+3" in result.rationale
    assert "BERGHELLA-2011" in result.sources


def test_3_5_progesterone_rationale_names_length_and_grade() -> None:
    result = evaluate(case("20+2", length=15)).option("vaginal_progesterone")
    assert "15 mm" in result.rationale
    assert "1A" in result.rationale
    assert "SMFM-CS70" in result.sources


def test_3_5_shortening_on_serial_measurements_is_named() -> None:
    data = case("19+3", length=18, spontaneous_preterm_births_before_34w=1, serial=[("16+0", 31), ("18+0", 24)])
    rationale = evaluate(data).option("ultrasound_indicated_cerclage").rationale
    assert "shortening" in rationale
    assert "31 mm" in rationale
    assert "16+0" in rationale
    assert "18 mm" in rationale


def test_3_5_shortening_named_without_history_too() -> None:
    data = case("20+0", length=22, serial=[("17+0", 30)])
    rationale = evaluate(data).option("ultrasound_indicated_cerclage").rationale
    assert "shortening" in rationale


@pytest.mark.parametrize(
    "data",
    [
        P(case("20+0", length=21, serial=[("18+0", 25)]), id="3.5-fall-4mm-not-shortening"),
        P(case("20+0", length=26, serial=[("17+0", 35)]), id="3.5-latest-26mm-not-short-not-shortening"),
        P(case("20+0", length=18), id="3.5-single-value-not-shortening"),
    ],
)
def test_3_5_no_shortening_claim(data: dict) -> None:
    assert "shortening" not in evaluate(data).option("ultrasound_indicated_cerclage").rationale


# ---- 3.6 rationales ------------------------------------------------------------------------

def test_3_6_below_12_weeks_says_plan() -> None:
    rationale = evaluate(case("11+6", second_trimester_losses_painless_dilation=1)).option(
        "history_indicated_cerclage").rationale
    assert "plan" in rationale
    assert "12+0" in rationale


def test_3_6_in_window_names_history_and_ga_window() -> None:
    rationale = evaluate(case("13+0", second_trimester_losses_painless_dilation=2)).option(
        "history_indicated_cerclage").rationale
    assert "2 second-trimester loss" in rationale
    assert "12+0-14+6" in rationale


def test_3_6_risk_factors_alone_show_seed_position() -> None:
    result = evaluate(case("13+0", cervical_surgery=True)).option("history_indicated_cerclage")
    assert "cervical surgery" in result.rationale
    assert "not an indication" in result.rationale
    assert "most doctors would recommend a preventive cerclage" in result.rationale
    assert "SEED" in result.sources


def test_3_6_surveillance_below_16_says_start_at_16() -> None:
    rationale = evaluate(case("13+0", in_utero_des_exposure=True)).option("serial_cervical_length_surveillance").rationale
    assert "start" in rationale
    assert "16+0" in rationale
    assert "DES" in rationale


# ---- 3.7 / 3.8 rationales ----------------------------------------------------------------

def test_3_7_removal_window_named() -> None:
    rationale = evaluate(case("36+2", cerclage=True)).option("cerclage_removal").rationale
    assert "36+2" in rationale
    assert "36+0-37+0" in rationale


def test_3_8_recommended_rationale_lists_steroids_magnesium_neonatology() -> None:
    rationale = evaluate(case("28+0", flags=["regular_contractions_or_labor"])).option("preterm_birth_preparation").rationale
    assert "corticosteroids" in rationale
    assert "magnesium" in rationale
    assert "32+0" in rationale
    assert "neonatology" in rationale
    assert "labor" in rationale


def test_3_8_periviable_rationale_names_family_decision() -> None:
    rationale = evaluate(case("22+0", ruptured=True)).option("preterm_birth_preparation").rationale
    assert "resuscitation" in rationale


# ---- 3.9 ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "data",
    [
        P(case("20+0"), id="3.9-empty-case"),
        P(case("20+0", length=31, dilation=0, plurality=1), id="3.9-normal-cervix"),
        P({"gestational_age": {"weeks": 20}, "history": {}, "cervix": {}, "red_flags": {}}, id="3.9-empty-sections"),
    ],
)
def test_3_9_nothing_found_routine_only(data: dict) -> None:
    statuses = evaluate(data).statuses()
    assert statuses.pop("routine_prenatal_care") == REC
    assert set(statuses.values()) == {NA}


# ---- 3.10 bed rest evidence note -------------------------------------------------------

@pytest.mark.parametrize(
    "data",
    [
        P(case("20+0", dilation=5), id="3.10-late-diagnosis"),
        P(case("26+0", dilation=2), id="3.10-after-window"),
        P(case("20+0", dilation=5, prolapsed=True), id="3.10-prolapsed-5cm"),
    ],
)
def test_3_10_bed_rest_evidence_note(data: dict) -> None:
    result = evaluate(data).option("trendelenburg_bed_rest")
    assert result.status == CON
    note = result.evidence_note
    assert note
    assert "ACOG-PB142" in note
    assert "not been shown" in note
    assert "discourages" in note
    assert "RCOG" in note
    assert "after cerclage" in note  # v2 3.10: RCOG-GTG75 does not recommend bed rest after cerclage
    for harm in ("thromboembolism", "bone loss", "deconditioning", "psychological"):
        assert harm in note
    assert "Grobman" in note
    assert "37%" in note
    assert "17%" in note
    assert "no guideline recommends the head-down position" in note.lower()
    assert result.documented_in_seed is True
    assert {"SEED", "GROBMAN-2013"} <= set(result.sources)


def test_3_10_bed_rest_rationale_names_why_cerclage_is_not_offered() -> None:
    rationale = evaluate(case("20+0", dilation=5)).option("trendelenburg_bed_rest").rationale
    assert "not recommended" in rationale
    assert "evidence note" in rationale
