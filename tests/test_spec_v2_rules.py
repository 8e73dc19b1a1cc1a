"""Decision table for clinical-spec.md version 2, sections 3.0-3.12 (profile ``acog``).

Written from the spec text alone (not from the engine), one row per new or changed bullet,
with both sides of each window edge. A row checks one option or one assessment; its pytest id
starts with the spec section and ends with the target and the expected status. Where the spec
can be read two ways, the row carries an ``# AMBIGUOUS:`` comment with the reading chosen.
"""

from __future__ import annotations

import pytest
from strategies import CONTRAINDICATIONS, case, merge

from decision import ASSESSMENT_IDS, OPTION_IDS, PLACEMENT_OPTIONS, evaluate

P = pytest.param
REC, CON, NREC, CONTRA, NA = "recommended", "consider", "not_recommended", "contraindicated", "not_applicable"
OFFERED = {REC, CON}

LABOR = "regular_contractions_or_labor"
BLEEDING = "vaginal_bleeding"
INFECTION = "signs_of_intraamniotic_infection"
DEMISE = "fetal_demise"
LETHAL = "lethal_fetal_anomaly"

# Short names for the ids of the rows (the target id itself is checked, not this name).
_SHORT = {
    "routine_prenatal_care": "routine",
    "serial_cervical_length_surveillance": "surveillance",
    "history_indicated_cerclage": "hx-cerclage",
    "ultrasound_indicated_cerclage": "us-cerclage",
    "physical_exam_indicated_cerclage": "pe-cerclage",
    "vaginal_progesterone": "progesterone",
    "trendelenburg_bed_rest": "bed-rest",
    "previable_pprom_counseling": "previable-counseling",
    "pprom_expectant_management": "expectant",
    "preterm_birth_preparation": "preparation",
    "delivery": "delivery",
    "cerclage_removal": "removal",
    "periviable_birth_counseling": "periviable-counseling",
    "pregnancy_options_counseling": "options-counseling",
    "infection_assessment": "infection-assessment",
    "speculum_exam": "speculum",
    "placental_assessment": "placental-assessment",
    "preterm_labor_assessment": "ptl-assessment",
    "anti_d_prophylaxis": "anti-d",
    "gbs_prophylaxis": "gbs",
    "vte_assessment": "vte",
}


def rows(prefix: str, data: dict, **expected: str) -> list:
    """One row per ``target=status``: id ``<prefix>-<target>-<status>``."""
    out = []
    for target, status in expected.items():
        assert target in _SHORT, target
        out.append(P(data, target, status, id=f"{prefix}-{_SHORT[target]}-{status.replace('_', '-')}"))
    return out


def result_of(data: dict, target: str, profile: str = "acog"):
    assessment = evaluate(data, profile=profile)
    if target in OPTION_IDS:
        return assessment.option(target)
    assert target in ASSESSMENT_IDS, target
    return assessment.assessment(target)


ROWS = [
    # ================================================================ 3.0 status resolution
    # ---- (a) cerclage placement with any 3.1 finding: contraindicated
    # AMBIGUOUS: <12+0 with bleeding 3.2 says cerclage "not_applicable"; 3.0 (a) settles conflicts: contraindicated.
    *rows("3.0-a-11+0-bleeding-prior-loss", case("11+0", flags=[BLEEDING], second_trimester_losses_painless_dilation=1),
          history_indicated_cerclage=CONTRA, physical_exam_indicated_cerclage=CONTRA),
    # AMBIGUOUS: demise: 3.0 (c) "every other option not_applicable" vs (a) (listed first, 3.1 names demise): contraindicated.
    *rows("3.0-a-20w-demise-dilated-2cm", case("20+0", dilation=2, flags=[DEMISE]),
          physical_exam_indicated_cerclage=CONTRA),
    # ---- (b) bed rest: not_applicable below 14+0, from 34+0, with a cerclage; else not_recommended with a 3.1 finding
    *rows("3.0-b-13+6-labor", case("13+6", flags=[LABOR]), trendelenburg_bed_rest=NA),
    *rows("3.0-b-14+0-labor", case("14+0", flags=[LABOR]), trendelenburg_bed_rest=NREC),
    *rows("3.0-b-33+6-labor", case("33+6", flags=[LABOR]), trendelenburg_bed_rest=NREC),
    *rows("3.0-b-34+0-labor", case("34+0", flags=[LABOR]), trendelenburg_bed_rest=NA),
    *rows("3.0-b-20w-cerclage-labor", case("20+0", cerclage=True, flags=[LABOR]), trendelenburg_bed_rest=NA),
    *rows("3.0-b-20w-cerclage-pprom", case("20+0", cerclage=True, ruptured=True), trendelenburg_bed_rest=NA),
    *rows("3.0-b-20w-bleeding-closed-cervix", case("20+0", flags=[BLEEDING]), trendelenburg_bed_rest=NREC),
    *rows("3.0-b-10w-dilated-5cm", case("10+0", dilation=5), trendelenburg_bed_rest=NA),
    # ---- (c) fetal demise: all else not_applicable except delivery and removal of a transvaginal cerclage
    *rows("3.0-c-28w-pprom-demise", case("28+0", rupture_at="27+0", flags=[DEMISE], spontaneous_preterm_births_before_34w=1),
          delivery=REC, pprom_expectant_management=NA, preterm_birth_preparation=NA, previable_pprom_counseling=NA,
          periviable_birth_counseling=NA, pregnancy_options_counseling=NA, serial_cervical_length_surveillance=NA,
          routine_prenatal_care=NA, cerclage_removal=NA, vaginal_progesterone=NA,
          infection_assessment=REC, gbs_prophylaxis=NA, vte_assessment=REC, anti_d_prophylaxis=CON,
          preterm_labor_assessment=NA, placental_assessment=NA),
    *rows("3.0-c-20w-pprom-demise", case("20+0", rupture_at="19+0", flags=[DEMISE]),
          previable_pprom_counseling=NA, delivery=REC, pprom_expectant_management=NA),
    *rows("3.0-c-22w-dilated-5cm-demise", case("22+0", dilation=5, flags=[DEMISE]),
          periviable_birth_counseling=NA, delivery=REC),
    *rows("3.0-c-20w-demise-alone", case("20+0", flags=[DEMISE]),
          infection_assessment=NA, vte_assessment=REC, anti_d_prophylaxis=CON, gbs_prophylaxis=NA,
          placental_assessment=NA, routine_prenatal_care=NA),
    *rows("3.0-c-20w-demise-rhd-negative", case("20+0", flags=[DEMISE], rhd_negative=True), anti_d_prophylaxis=REC),
    *rows("3.0-c-20w-demise-rhd-positive", case("20+0", flags=[DEMISE], rhd_negative=False), anti_d_prophylaxis=NA),
    *rows("3.0-c-20w-demise-infection", case("20+0", flags=[DEMISE, INFECTION]), infection_assessment=REC, delivery=REC),
    *rows("3.0-c-30w-demise-bleeding", case("30+0", flags=[DEMISE, BLEEDING]), placental_assessment=REC, delivery=REC),
    *rows("3.0-c-30w-demise-labor", case("30+0", flags=[DEMISE, LABOR]),
          preterm_labor_assessment=NA, gbs_prophylaxis=NA, delivery=REC, preterm_birth_preparation=NA),
    *rows("3.0-c-20w-demise-cerclage-default-type", case("20+0", cerclage=True, flags=[DEMISE]), cerclage_removal=REC),
    *rows("3.0-c-20w-demise-transvaginal", case("20+0", cerclage=True, cerclage_type="transvaginal", flags=[DEMISE]),
          cerclage_removal=REC),
    *rows("3.0-c-20w-demise-type-unknown", case("20+0", cerclage=True, cerclage_type="unknown", flags=[DEMISE]),
          cerclage_removal=REC),
    *rows("3.0-c-20w-demise-transabdominal", case("20+0", cerclage=True, cerclage_type="transabdominal", flags=[DEMISE]),
          cerclage_removal=NA),
    # ---- (d) lethal fetal anomaly: preterm_birth_preparation not_recommended
    *rows("3.0-d-20w-lethal", case("20+0", flags=[LETHAL]), preterm_birth_preparation=NREC),
    *rows("3.0-d-28w-lethal", case("28+0", flags=[LETHAL]), preterm_birth_preparation=NREC),
    *rows("3.0-d-28w-lethal-labor", case("28+0", flags=[LETHAL, LABOR]), preterm_birth_preparation=NREC),
    *rows("3.0-d-30w-lethal-pprom", case("30+0", ruptured=True, flags=[LETHAL]), preterm_birth_preparation=NREC),
    # ---- (g) routine care only with no red flag, no PPROM, no CI on examination and nothing else offered
    *rows("3.0-g-30w-cerclage-no-finding", case("30+0", cerclage=True), routine_prenatal_care=REC),
    *rows("3.0-g-20w-cerclage-no-finding", case("20+0", cerclage=True, spontaneous_preterm_births_before_34w=1),
          routine_prenatal_care=REC, serial_cervical_length_surveillance=NREC),
    *rows("3.0-g-28w-pprom", case("28+0", ruptured=True), routine_prenatal_care=NA),
    *rows("3.0-g-20w-membranes-at-os", case("20+0", at_os=True), routine_prenatal_care=NA),
    *rows("3.0-g-34w-dilated-3cm-not-ci", case("34+0", dilation=3), routine_prenatal_care=REC),

    # ================================================================ 3.1 bed rest with a hard contraindication
    # AMBIGUOUS: demise: 3.0 (b) and 3.1 (bed rest not_recommended) read as settling bed rest before (c) "not_applicable".
    *[P(merge(case("20+0"), CONTRAINDICATIONS[key][0]), "trendelenburg_bed_rest", NREC,
        id=f"3.1-20w-{key}-closed-cervix-bed-rest-not-recommended") for key in CONTRAINDICATIONS],
    *[P(merge(case("20+0", dilation=2), CONTRAINDICATIONS[key][0]), "trendelenburg_bed_rest", NREC,
        id=f"3.1-20w-{key}-dilated-2cm-bed-rest-not-recommended") for key in CONTRAINDICATIONS],
    *[P(merge(case("26+0", dilation=5), CONTRAINDICATIONS[key][0]), "trendelenburg_bed_rest", NREC,
        id=f"3.1-26w-{key}-dilated-5cm-bed-rest-not-recommended") for key in CONTRAINDICATIONS],

    # ================================================================ 3.2 alerts
    # ---- early pregnancy (below 12+0) with dilation, labor or bleeding
    *rows("3.2-early-11+6-dilated-1cm-prior-loss",
          case("11+6", dilation=1, second_trimester_losses_painless_dilation=1),
          history_indicated_cerclage=NA, ultrasound_indicated_cerclage=NA, physical_exam_indicated_cerclage=NA,
          trendelenburg_bed_rest=NA, speculum_exam=REC),
    *rows("3.2-early-10w-dilated-2cm-short", case("10+0", dilation=2, length=15),
          ultrasound_indicated_cerclage=NA, physical_exam_indicated_cerclage=NA, speculum_exam=REC),
    *rows("3.2-early-11+6-bleeding", case("11+6", flags=[BLEEDING]), speculum_exam=REC, anti_d_prophylaxis=CON),
    *rows("3.2-early-11+6-bleeding-rhd-negative", case("11+6", flags=[BLEEDING], rhd_negative=True), anti_d_prophylaxis=REC),
    *rows("3.2-early-11+6-bleeding-rhd-positive", case("11+6", flags=[BLEEDING], rhd_negative=False), anti_d_prophylaxis=NA),
    *rows("3.2-early-12+0-dilated-2cm-not-early", case("12+0", dilation=2), physical_exam_indicated_cerclage=CON),
    *rows("3.2-early-11+6-no-finding-prior-loss-plan", case("11+6", second_trimester_losses_painless_dilation=1),
          history_indicated_cerclage=REC),
    # ---- signs of intra-amniotic infection
    *rows("3.2-infection-34+0", case("34+0", flags=[INFECTION]), delivery=REC, preterm_birth_preparation=NREC,
          trendelenburg_bed_rest=NA),
    *rows("3.2-infection-38+0", case("38+0", flags=[INFECTION]), delivery=REC),
    *rows("3.2-infection-13+6", case("13+6", flags=[INFECTION]), delivery=REC, trendelenburg_bed_rest=NA),
    *rows("3.2-infection-20w", case("20+0", flags=[INFECTION]), infection_assessment=REC, trendelenburg_bed_rest=NREC,
          pprom_expectant_management=NREC),
    *rows("3.2-infection-20w-cerclage", case("20+0", cerclage=True, flags=[INFECTION]), trendelenburg_bed_rest=NA,
          cerclage_removal=REC),
    *rows("3.2-infection-21+6", case("21+6", flags=[INFECTION]), preterm_birth_preparation=NA),
    *rows("3.2-infection-22+0", case("22+0", flags=[INFECTION]), preterm_birth_preparation=CON),
    *rows("3.2-infection-23+6", case("23+6", flags=[INFECTION]), preterm_birth_preparation=CON),
    *rows("3.2-infection-24+0", case("24+0", flags=[INFECTION]), preterm_birth_preparation=REC),
    *rows("3.2-3.8-infection-alone-28+0", case("28+0", flags=[INFECTION]), preterm_birth_preparation=REC, delivery=REC),
    *rows("3.2-infection-33+6", case("33+6", flags=[INFECTION]), preterm_birth_preparation=REC),
    *rows("3.2-infection-36+6", case("36+6", flags=[INFECTION]), preterm_birth_preparation=NREC),
    *rows("3.2-infection-pprom-28w", case("28+0", ruptured=True, flags=[INFECTION]), pprom_expectant_management=NREC,
          delivery=REC, infection_assessment=REC),
    *rows("3.2-infection-pprom-35w", case("35+0", ruptured=True, flags=[INFECTION]), pprom_expectant_management=NREC,
          preterm_birth_preparation=NREC),
    *rows("3.2-3.11-infection-11+6", case("11+6", flags=[INFECTION]), periviable_birth_counseling=NA),
    *rows("3.2-3.11-infection-12+0", case("12+0", flags=[INFECTION]), periviable_birth_counseling=REC),
    *rows("3.2-3.11-infection-19+6", case("19+6", flags=[INFECTION]), periviable_birth_counseling=REC),
    *rows("3.2-3.11-infection-20+0", case("20+0", flags=[INFECTION]), periviable_birth_counseling=REC),
    *rows("3.2-3.11-infection-25+6", case("25+6", flags=[INFECTION]), periviable_birth_counseling=REC),
    *rows("3.2-3.11-infection-26+0", case("26+0", flags=[INFECTION]), periviable_birth_counseling=NA),
    # ---- labor
    *rows("3.2-labor-28w-intact", case("28+0", flags=[LABOR]), preterm_labor_assessment=REC, gbs_prophylaxis=REC,
          preterm_birth_preparation=REC, periviable_birth_counseling=NA),
    *rows("3.2-labor-19+6-intact", case("19+6", flags=[LABOR]), preterm_labor_assessment=NA,
          periviable_birth_counseling=REC),
    *rows("3.2-labor-20+0-intact", case("20+0", flags=[LABOR]), preterm_labor_assessment=REC,
          periviable_birth_counseling=REC, gbs_prophylaxis=NA),
    *rows("3.2-labor-12+0-intact", case("12+0", flags=[LABOR]), periviable_birth_counseling=REC),
    *rows("3.2-labor-11+6-intact", case("11+6", flags=[LABOR]), periviable_birth_counseling=NA,
          preterm_labor_assessment=NA),
    *rows("3.2-labor-33+6-intact", case("33+6", flags=[LABOR]), preterm_labor_assessment=REC),
    *rows("3.2-labor-34+0-intact", case("34+0", flags=[LABOR]), preterm_labor_assessment=NA, delivery=REC,
          preterm_birth_preparation=CON, gbs_prophylaxis=REC),
    *rows("3.2-labor-33+6-dilated-5cm", case("33+6", dilation=5, flags=[LABOR]), delivery=CON),
    *rows("3.2-labor-34+0-dilated-5cm", case("34+0", dilation=5, flags=[LABOR]), delivery=REC),
    *rows("3.2-labor-28w-dilated-5cm", case("28+0", dilation=5, flags=[LABOR]), delivery=CON),
    *rows("3.2-labor-28w-bleeding", case("28+0", flags=[LABOR, BLEEDING]), delivery=CON),
    *rows("3.2-labor-28w-infection", case("28+0", flags=[LABOR, INFECTION]), delivery=REC),
    *rows("3.2-labor-30w-transabdominal", case("30+0", cerclage=True, cerclage_type="transabdominal", flags=[LABOR]),
          cerclage_removal=NA),
    *rows("3.2-labor-30w-type-unknown", case("30+0", cerclage=True, cerclage_type="unknown", flags=[LABOR]),
          cerclage_removal=REC),
    *rows("3.2-labor-36+6", case("36+6", flags=[LABOR]), preterm_birth_preparation=CON, gbs_prophylaxis=REC),
    *rows("3.2-labor-37+0", case("37+0", flags=[LABOR]), preterm_birth_preparation=NA, gbs_prophylaxis=CON),
    *rows("3.2-labor-twins-35w", case("35+0", plurality=2, flags=[LABOR]), preterm_birth_preparation=NA),
    *rows("3.2-labor-21+6", case("21+6", flags=[LABOR]), gbs_prophylaxis=NA),
    *rows("3.2-labor-22+0", case("22+0", flags=[LABOR]), gbs_prophylaxis=CON),
    *rows("3.2-labor-23+6", case("23+6", flags=[LABOR]), gbs_prophylaxis=CON),
    *rows("3.2-labor-24+0", case("24+0", flags=[LABOR]), gbs_prophylaxis=REC),
    # AMBIGUOUS: preterm_labor_assessment needs "labor and intact membranes"; PPROM in labor read as not_applicable.
    *rows("3.2-labor-pprom-28w", case("28+0", ruptured=True, flags=[LABOR]), preterm_labor_assessment=NA),
    # ---- active bleeding
    *rows("3.2-bleeding-20w", case("20+0", flags=[BLEEDING]), placental_assessment=REC, anti_d_prophylaxis=CON,
          preterm_birth_preparation=NA, routine_prenatal_care=NA),
    *rows("3.2-bleeding-20w-rhd-negative", case("20+0", flags=[BLEEDING], rhd_negative=True), anti_d_prophylaxis=REC),
    *rows("3.2-bleeding-20w-rhd-positive", case("20+0", flags=[BLEEDING], rhd_negative=False), anti_d_prophylaxis=NA),
    *rows("3.2-bleeding-23+6", case("23+6", flags=[BLEEDING]), preterm_birth_preparation=NA),
    *rows("3.2-bleeding-24+0", case("24+0", flags=[BLEEDING]), preterm_birth_preparation=CON),
    *rows("3.2-bleeding-33+6", case("33+6", flags=[BLEEDING]), preterm_birth_preparation=CON, delivery=NA),
    *rows("3.2-3.8-bleeding-34+0", case("34+0", flags=[BLEEDING]), delivery=CON, preterm_birth_preparation=CON),
    *rows("3.2-bleeding-38+0", case("38+0", flags=[BLEEDING]), delivery=CON, preterm_birth_preparation=NA),
    *rows("3.2-3.8-bleeding-twins-35w", case("35+0", plurality=2, flags=[BLEEDING]), preterm_birth_preparation=NA),
    # ---- lethal fetal anomaly
    *rows("3.2-lethal-20w", case("20+0", flags=[LETHAL]), pregnancy_options_counseling=REC, preterm_birth_preparation=NREC,
          trendelenburg_bed_rest=NREC, anti_d_prophylaxis=CON, periviable_birth_counseling=NA),
    *rows("3.2-lethal-30w", case("30+0", flags=[LETHAL]), pregnancy_options_counseling=REC),
    *rows("3.2-lethal-20w-cerclage", case("20+0", cerclage=True, flags=[LETHAL]), cerclage_removal=CON),
    *rows("3.2-lethal-22w-labor", case("22+0", flags=[LETHAL, LABOR]), periviable_birth_counseling=NA),
    *rows("3.2-lethal-20w-rhd-negative", case("20+0", flags=[LETHAL], rhd_negative=True), anti_d_prophylaxis=REC),
    # ---- failing cerclage: cerclage with membranes at/beyond the os, or dilation 2 cm or more
    *rows("3.2-failing-22w-dilated-2cm", case("22+0", cerclage=True, dilation=2), cerclage_removal=CON,
          infection_assessment=REC, periviable_birth_counseling=REC),
    *rows("3.2-failing-28w-membranes-at-os", case("28+0", cerclage=True, at_os=True), cerclage_removal=CON,
          infection_assessment=REC),
    *rows("3.2-not-failing-22w-dilated-1.5cm", case("22+0", cerclage=True, dilation=1.5), cerclage_removal=NA),
    *rows("3.2-failing-28w-labor", case("28+0", cerclage=True, dilation=2, flags=[LABOR]), cerclage_removal=REC),
    *rows("3.2-failing-22w-infection", case("22+0", cerclage=True, dilation=2, flags=[INFECTION]), cerclage_removal=REC),
    *rows("3.2-failing-30w-pprom", case("30+0", cerclage=True, dilation=2, ruptured=True), cerclage_removal=CON),
    *rows("3.2-failing-34+0-pprom", case("34+0", cerclage=True, dilation=2, ruptured=True), cerclage_removal=REC),
    *rows("3.2-3.7-failing-37w", case("37+0", cerclage=True, dilation=2), cerclage_removal=REC),
    # ---- transabdominal cerclage: never removed vaginally
    *rows("3.2-transabdominal-30w-pprom", case("30+0", cerclage=True, cerclage_type="transabdominal", ruptured=True),
          cerclage_removal=NA),
    *rows("3.2-transabdominal-34+0-pprom", case("34+0", cerclage=True, cerclage_type="transabdominal", ruptured=True),
          cerclage_removal=NA),
    # AMBIGUOUS: 3.2 infection "removal if a cerclage is in place" vs 3.7/invariant 12 for transabdominal: not_applicable.
    *rows("3.2-transabdominal-30w-infection",
          case("30+0", cerclage=True, cerclage_type="transabdominal", flags=[INFECTION]), cerclage_removal=NA),

    # ================================================================ 3.3 ruptured membranes
    *rows("3.3-pprom-23+6", case("23+6", ruptured=True), periviable_birth_counseling=NA, vte_assessment=NA,
          gbs_prophylaxis=CON),
    *rows("3.3-pprom-24+0", case("24+0", ruptured=True), periviable_birth_counseling=REC, vte_assessment=REC,
          gbs_prophylaxis=REC, infection_assessment=REC),
    *rows("3.3-pprom-25+6", case("25+6", ruptured=True), periviable_birth_counseling=REC),
    *rows("3.3-pprom-26+0", case("26+0", ruptured=True), periviable_birth_counseling=NA),
    *rows("3.3-pprom-21+6", case("21+6", ruptured=True), gbs_prophylaxis=NA, infection_assessment=REC),
    *rows("3.3-pprom-22+0", case("22+0", ruptured=True), gbs_prophylaxis=CON, periviable_birth_counseling=NA),
    *rows("3.3-pprom-34+0-singleton", case("34+0", ruptured=True), pprom_expectant_management=CON, delivery=REC,
          preterm_birth_preparation=CON, vte_assessment=REC),
    *rows("3.3-pprom-35+0-singleton", case("35+0", ruptured=True, plurality=1), pprom_expectant_management=CON,
          delivery=REC),
    *rows("3.3-pprom-36+6", case("36+6", ruptured=True), pprom_expectant_management=CON, delivery=REC,
          preterm_birth_preparation=CON, gbs_prophylaxis=REC),
    *rows("3.3-pprom-37+0", case("37+0", ruptured=True), pprom_expectant_management=NA, delivery=REC,
          preterm_birth_preparation=NA, gbs_prophylaxis=CON),
    *rows("3.3-pprom-35+0-twins", case("35+0", ruptured=True, plurality=2), pprom_expectant_management=NREC,
          preterm_birth_preparation=NA, vte_assessment=NA),
    *rows("3.3-pprom-35+0-labor", case("35+0", ruptured=True, flags=[LABOR]), pprom_expectant_management=NREC,
          delivery=REC, preterm_birth_preparation=CON),
    *rows("3.3-pprom-30w-labor", case("30+0", ruptured=True, flags=[LABOR]), pprom_expectant_management=NREC,
          delivery=REC, vte_assessment=NA),
    *rows("3.3-pprom-20w-labor", case("20+0", ruptured=True, flags=[LABOR]), pprom_expectant_management=NREC,
          delivery=REC, previable_pprom_counseling=REC),
    *rows("3.3-pprom-28w-bleeding", case("28+0", ruptured=True, flags=[BLEEDING]), delivery=CON,
          placental_assessment=REC),
    *rows("3.3-pprom-20w-bleeding", case("20+0", ruptured=True, flags=[BLEEDING]), delivery=CON),
    *rows("3.3-pprom-28w-lethal", case("28+0", ruptured=True, flags=[LETHAL]), delivery=CON,
          pprom_expectant_management=CON, preterm_birth_preparation=NREC, pregnancy_options_counseling=REC,
          periviable_birth_counseling=NA),
    *rows("3.3-pprom-20w-lethal", case("20+0", ruptured=True, flags=[LETHAL]), delivery=CON,
          pprom_expectant_management=CON, previable_pprom_counseling=REC, pregnancy_options_counseling=REC),
    *rows("3.3-pprom-cerclage-34+0", case("34+0", ruptured=True, cerclage=True), cerclage_removal=REC),
    *rows("3.3-pprom-cerclage-28w-bleeding", case("28+0", ruptured=True, cerclage=True, flags=[BLEEDING]),
          cerclage_removal=REC),
    *rows("3.3-pprom-28w-sptb", case("28+0", ruptured=True, spontaneous_preterm_births_before_34w=1),
          serial_cervical_length_surveillance=NA),

    # ================================================================ 3.4 CI on examination (intact membranes)
    # ---- what counts as CI: an open external os alone is not enough
    *rows("3.4-20w-dilated-1cm-no-tvcl-not-ci", case("20+0", dilation=1), physical_exam_indicated_cerclage=NA,
          trendelenburg_bed_rest=NA),
    *rows("3.4-20w-dilated-1.5cm-funneling", case("20+0", dilation=1.5, funneling=True),
          physical_exam_indicated_cerclage=CON),
    *rows("3.4-20w-dilated-1cm-24.9mm", case("20+0", dilation=1, length=24.9), physical_exam_indicated_cerclage=CON),
    *rows("3.4-20w-dilated-1cm-25mm-not-ci", case("20+0", dilation=1, length=25), physical_exam_indicated_cerclage=NA),
    *rows("3.4-c-20w-dilated-2cm-no-tvcl", case("20+0", dilation=2), physical_exam_indicated_cerclage=CON,
          speculum_exam=REC),
    *rows("3.4-20w-dilated-2cm-32mm-external-os-only", case("20+0", dilation=2, length=32),
          physical_exam_indicated_cerclage=NA, speculum_exam=REC, serial_cervical_length_surveillance=CON,
          routine_prenatal_care=NA, trendelenburg_bed_rest=NA, preterm_labor_assessment=NA),
    *rows("3.4-20w-dilated-1.5cm-30mm-external-os-only", case("20+0", dilation=1.5, length=30),
          physical_exam_indicated_cerclage=NA, speculum_exam=REC),
    *rows("3.4-20w-dilated-2cm-32mm-membranes-at-os", case("20+0", dilation=2, length=32, at_os=True),
          physical_exam_indicated_cerclage=CON),
    *rows("3.4-26w-dilated-2cm-32mm-external-os-only", case("26+0", dilation=2, length=32),
          trendelenburg_bed_rest=NA, preterm_birth_preparation=NA, preterm_labor_assessment=NA),
    # ---- emergency cerclage and its companions
    *rows("3.4-20w-dilated-2cm", case("20+0", dilation=2), infection_assessment=REC, preterm_labor_assessment=REC,
          anti_d_prophylaxis=CON, periviable_birth_counseling=CON, vte_assessment=NA, trendelenburg_bed_rest=NA),
    *rows("3.4-20w-dilated-2cm-rhd-negative", case("20+0", dilation=2, rhd_negative=True), anti_d_prophylaxis=REC),
    *rows("3.4-20w-dilated-2cm-rhd-positive", case("20+0", dilation=2, rhd_negative=False), anti_d_prophylaxis=NA),
    *rows("3.4-19+6-dilated-2cm", case("19+6", dilation=2), preterm_labor_assessment=NA, periviable_birth_counseling=NA,
          infection_assessment=REC),
    *rows("3.4-23+6-dilated-2cm", case("23+6", dilation=2), periviable_birth_counseling=CON),
    *rows("3.4-20w-prolapsed-3cm", case("20+0", dilation=3, prolapsed=True), physical_exam_indicated_cerclage=CON,
          trendelenburg_bed_rest=NA, infection_assessment=REC, periviable_birth_counseling=REC),
    *rows("3.4-20w-prolapsed-4cm", case("20+0", dilation=4, prolapsed=True), physical_exam_indicated_cerclage=CON),
    *rows("3.4-20w-prolapsed-4.5cm", case("20+0", dilation=4.5, prolapsed=True), physical_exam_indicated_cerclage=NREC,
          trendelenburg_bed_rest=CON),
    *rows("3.4-20w-dilated-5cm", case("20+0", dilation=5), physical_exam_indicated_cerclage=NREC,
          trendelenburg_bed_rest=CON, infection_assessment=REC, periviable_birth_counseling=REC, vte_assessment=REC),
    *rows("3.4-3.11-16w-dilated-5cm", case("16+0", dilation=5), periviable_birth_counseling=REC),
    *rows("3.4-3.11-11+6-dilated-5cm", case("11+6", dilation=5), periviable_birth_counseling=NA),
    *rows("3.4-3.11-15w-prolapsed-3cm", case("15+0", dilation=3, prolapsed=True), periviable_birth_counseling=REC),
    *rows("3.4-3.11-21w-dilated-2cm-bleeding", case("21+0", dilation=2, flags=[BLEEDING]),
          periviable_birth_counseling=REC),
    *rows("3.4-twins-20w-dilated-2cm", case("20+0", dilation=2, plurality=2), trendelenburg_bed_rest=NA,
          periviable_birth_counseling=CON),
    *rows("3.4-twins-20w-dilated-5cm", case("20+0", dilation=5, plurality=2), physical_exam_indicated_cerclage=NREC,
          trendelenburg_bed_rest=CON),
    *rows("3.4-12+0-dilated-2cm", case("12+0", dilation=2), trendelenburg_bed_rest=NA),
    *rows("3.4-11+6-dilated-2cm", case("11+6", dilation=2), physical_exam_indicated_cerclage=NA),
    # ---- after the window
    *rows("3.4-24+0-dilated-2cm", case("24+0", dilation=2), preterm_labor_assessment=REC, periviable_birth_counseling=REC),
    *rows("3.4-25+6-dilated-2cm", case("25+6", dilation=2), periviable_birth_counseling=REC),
    *rows("3.4-26+0-dilated-2cm", case("26+0", dilation=2), periviable_birth_counseling=NA, trendelenburg_bed_rest=CON,
          preterm_birth_preparation=REC, preterm_labor_assessment=REC),
    *rows("3.4-27+6-dilated-2cm", case("27+6", dilation=2), physical_exam_indicated_cerclage=NREC),
    *rows("3.4-28+0-dilated-2cm", case("28+0", dilation=2), physical_exam_indicated_cerclage=NA),
    *rows("3.4-33+6-dilated-2cm", case("33+6", dilation=2), preterm_labor_assessment=REC, trendelenburg_bed_rest=CON,
          preterm_birth_preparation=REC),
    *rows("3.4-34+0-dilated-2cm", case("34+0", dilation=2), preterm_labor_assessment=NA, trendelenburg_bed_rest=NA,
          preterm_birth_preparation=NA, routine_prenatal_care=REC, physical_exam_indicated_cerclage=NA),
    *rows("3.4-36w-membranes-at-os", case("36+0", at_os=True), routine_prenatal_care=REC, preterm_birth_preparation=NA),
    # ---- bed rest: consider exactly for CI, cerclage not offered (above 4 cm or past the window), 14+0..33+6
    *rows("3.4-bed-rest-not-offered-at-38w-2cm", case("38+0", dilation=2), trendelenburg_bed_rest=NA),
    *rows("3.4-34+0-dilated-5cm", case("34+0", dilation=5), trendelenburg_bed_rest=NA),
    *rows("3.4-33+6-dilated-5cm", case("33+6", dilation=5), trendelenburg_bed_rest=CON),
    *rows("3.4-14+0-dilated-5cm", case("14+0", dilation=5), trendelenburg_bed_rest=CON),
    *rows("3.4-13+6-dilated-5cm", case("13+6", dilation=5), trendelenburg_bed_rest=NA),
    *rows("3.4-3.7-26w-dilated-5cm-cerclage", case("26+0", dilation=5, cerclage=True), trendelenburg_bed_rest=NA),

    # ================================================================ 3.5 closed cervix, TVCL
    # ---- a serial measurement at today's GA is today's length
    *rows("3.5-20w-serial-today-18mm-sptb", case("20+0", serial=[("20+0", 18)], spontaneous_preterm_births_before_34w=1),
          ultrasound_indicated_cerclage=CON, vaginal_progesterone=CON),
    *rows("3.5-20w-serial-today-18mm-no-history", case("20+0", serial=[("16+0", 30), ("20+0", 18)]),
          vaginal_progesterone=REC),
    *rows("3.5-20w-serial-yesterday-18mm-not-today", case("20+0", serial=[("19+6", 18)]), vaginal_progesterone=NA),
    # ---- history + short cervix: window opens at 14+0 once a length is measured
    *rows("3.5-13+6-sptb-18mm", case("13+6", length=18, spontaneous_preterm_births_before_34w=1),
          ultrasound_indicated_cerclage=NA, vaginal_progesterone=NA),
    *rows("3.5-14+0-sptb-18mm", case("14+0", length=18, spontaneous_preterm_births_before_34w=1),
          ultrasound_indicated_cerclage=CON, vaginal_progesterone=CON),
    *rows("3.5-15+6-sptb-18mm", case("15+6", length=18, spontaneous_preterm_births_before_34w=1),
          ultrasound_indicated_cerclage=CON),
    *rows("3.5-3.6-15+3-prior-loss-18mm", case("15+3", length=18, second_trimester_losses_painless_dilation=1),
          history_indicated_cerclage=CON, ultrasound_indicated_cerclage=CON),
    # ---- no history, 14+0..15+6: repeat the scan
    *rows("3.5-14+0-no-history-12mm", case("14+0", length=12), serial_cervical_length_surveillance=REC,
          speculum_exam=REC, ultrasound_indicated_cerclage=NA, vaginal_progesterone=NA),
    *rows("3.5-14+0-no-history-12mm-closed", case("14+0", length=12, dilation=0), speculum_exam=REC),
    *rows("3.5-14+0-no-history-24.9mm", case("14+0", length=24.9), serial_cervical_length_surveillance=REC),
    *rows("3.5-15+6-no-history-12mm", case("15+6", length=12), serial_cervical_length_surveillance=REC,
          ultrasound_indicated_cerclage=NA, vaginal_progesterone=NA),
    *rows("3.5-15+6-no-history-18mm", case("15+6", length=18), vaginal_progesterone=NA),
    *rows("3.5-16+0-no-history-12mm", case("16+0", length=12), vaginal_progesterone=REC,
          ultrasound_indicated_cerclage=NREC),
    *rows("3.5-23+6-no-history-20mm", case("23+6", length=20), vaginal_progesterone=REC),
    *rows("3.5-24+0-no-history-20mm", case("24+0", length=20), vaginal_progesterone=NA),
    # AMBIGUOUS: "not_recommended for lengths from 10 mm up to 25 mm (SMFM-CS70: 10-25 mm)" is read as inclusive of 25 mm.
    *rows("3.5-20w-no-history-25mm", case("20+0", length=25), ultrasound_indicated_cerclage=NREC),
    # ---- speculum examination
    *rows("3.5-20w-no-history-8mm-closed", case("20+0", length=8, dilation=0), speculum_exam=REC,
          ultrasound_indicated_cerclage=CON),
    *rows("3.5-20w-18mm-closed", case("20+0", length=18, dilation=0), speculum_exam=NA),
    *rows("3.5-20w-18mm-dilation-not-examined", case("20+0", length=18), speculum_exam=REC),
    *rows("3.5-20w-30mm", case("20+0", length=30), speculum_exam=NA),
    # ---- 24+0..33+6 with a length below 10 mm and no dilation
    *rows("3.5-23+6-8mm-closed", case("23+6", length=8, dilation=0), preterm_labor_assessment=NA,
          preterm_birth_preparation=NA),
    *rows("3.5-24+0-8mm-closed", case("24+0", length=8, dilation=0), ultrasound_indicated_cerclage=NA,
          vaginal_progesterone=NA, preterm_labor_assessment=REC, preterm_birth_preparation=CON),
    *rows("3.5-28w-9.9mm-closed", case("28+0", length=9.9, dilation=0), preterm_labor_assessment=REC,
          preterm_birth_preparation=CON),
    *rows("3.5-28w-10mm-closed", case("28+0", length=10, dilation=0), preterm_labor_assessment=NA,
          preterm_birth_preparation=NA),
    *rows("3.5-33+6-8mm-closed", case("33+6", length=8, dilation=0), preterm_labor_assessment=REC,
          preterm_birth_preparation=CON),
    *rows("3.5-34+0-8mm-closed", case("34+0", length=8, dilation=0), preterm_labor_assessment=NA,
          preterm_birth_preparation=NA),
    *rows("3.5-3.9-26w-no-history-15mm", case("26+0", length=15), routine_prenatal_care=REC),
    # ---- cerclage in place, twins, CI on examination
    *rows("3.5-20w-cerclage-15mm", case("20+0", cerclage=True, length=15), vaginal_progesterone=CON,
          ultrasound_indicated_cerclage=NA),
    *rows("3.5-20w-cerclage-30mm", case("20+0", cerclage=True, length=30), vaginal_progesterone=NA),
    *rows("3.5-twins-20w-no-history-8mm", case("20+0", plurality=2, length=8), ultrasound_indicated_cerclage=NREC,
          vaginal_progesterone=NREC),
    *rows("3.5-20w-dilated-2cm-15mm-sptb-ci", case("20+0", dilation=2, length=15, spontaneous_preterm_births_before_34w=1),
          ultrasound_indicated_cerclage=NA, vaginal_progesterone=NA, physical_exam_indicated_cerclage=CON),

    # ================================================================ 3.6 history and risk factors
    *rows("3.6-14+6-prior-loss", case("14+6", second_trimester_losses_painless_dilation=1), history_indicated_cerclage=REC,
          serial_cervical_length_surveillance=CON),
    *rows("3.6-13w-prior-loss", case("13+0", second_trimester_losses_painless_dilation=1),
          serial_cervical_length_surveillance=CON),
    *rows("3.6-15+0-prior-loss", case("15+0", second_trimester_losses_painless_dilation=1),
          history_indicated_cerclage=CON, serial_cervical_length_surveillance=CON),
    *rows("3.6-17+6-prior-loss", case("17+6", second_trimester_losses_painless_dilation=1),
          history_indicated_cerclage=CON),
    *rows("3.6-18+0-prior-loss", case("18+0", second_trimester_losses_painless_dilation=1),
          history_indicated_cerclage=NA, serial_cervical_length_surveillance=REC),
    *rows("3.6-16w-prior-loss-closed-30mm", case("16+0", dilation=0, length=30, second_trimester_losses_painless_dilation=1),
          history_indicated_cerclage=CON),
    *rows("3.6-15+0-prior-cerclage", case("15+0", prior_cerclage_for_painless_dilation=True),
          history_indicated_cerclage=CON),
    *rows("3.6-17+6-prior-cerclage", case("17+6", prior_cerclage_for_painless_dilation=True),
          history_indicated_cerclage=CON),
    *rows("3.6-18+0-prior-cerclage", case("18+0", prior_cerclage_for_painless_dilation=True),
          history_indicated_cerclage=NA),
    # ---- no routine surveillance after rupture, dilation, labor, infection, lethal anomaly or demise; twins; cerclage
    *rows("3.6-20w-sptb-pprom", case("20+0", ruptured=True, spontaneous_preterm_births_before_34w=1),
          serial_cervical_length_surveillance=NA),
    *rows("3.6-20w-sptb-ci", case("20+0", dilation=2, spontaneous_preterm_births_before_34w=1),
          serial_cervical_length_surveillance=NA),
    *[P(case("20+0", flags=[flag], spontaneous_preterm_births_before_34w=1), "serial_cervical_length_surveillance", NA,
        id=f"3.6-20w-sptb-{flag.replace('_', '-')}-surveillance-not-applicable")
      for flag in (LABOR, INFECTION, LETHAL, DEMISE)],
    *rows("3.6-twins-20w-sptb", case("20+0", plurality=2, spontaneous_preterm_births_before_34w=1),
          serial_cervical_length_surveillance=NREC),
    *rows("3.6-twins-13w-cone", case("13+0", plurality=2, cervical_surgery=True), serial_cervical_length_surveillance=NREC),
    *rows("3.6-3.9-30w-prior-loss-windows-passed", case("30+0", second_trimester_losses_painless_dilation=1),
          routine_prenatal_care=REC),

    # ================================================================ 3.7 cerclage in place
    *rows("3.7-30w-cerclage-sptb", case("30+0", cerclage=True, spontaneous_preterm_births_before_34w=1),
          routine_prenatal_care=REC, serial_cervical_length_surveillance=NREC, trendelenburg_bed_rest=NA,
          physical_exam_indicated_cerclage=NA),
    *rows("3.7-35+6-cerclage", case("35+6", cerclage=True), routine_prenatal_care=REC, cerclage_removal=NA),
    *rows("3.7-36+0-cerclage", case("36+0", cerclage=True), cerclage_removal=REC, routine_prenatal_care=NA),
    *rows("3.7-36+0-transvaginal", case("36+0", cerclage=True, cerclage_type="transvaginal"), cerclage_removal=REC),
    *rows("3.7-36+0-type-unknown", case("36+0", cerclage=True, cerclage_type="unknown"), cerclage_removal=REC),
    *rows("3.7-36+0-transabdominal", case("36+0", cerclage=True, cerclage_type="transabdominal"), cerclage_removal=NA),
    *rows("3.7-38+0-transabdominal", case("38+0", cerclage=True, cerclage_type="transabdominal"), cerclage_removal=NA),
    *rows("3.7-20w-transabdominal", case("20+0", cerclage=True, cerclage_type="transabdominal"), cerclage_removal=NA,
          routine_prenatal_care=REC),

    # ================================================================ 3.8 preterm birth preparation
    # ---- late preterm (34+0..36+6): only with PPROM, labor or bleeding; singleton; no prior course; no infection
    *rows("3.8-34+0-dilated-3cm-ci-alone", case("34+0", dilation=3), preterm_birth_preparation=NA),
    *rows("3.8-35w-membranes-at-os-alone", case("35+0", at_os=True), preterm_birth_preparation=NA),
    # AMBIGUOUS: "no prior course ... (then not_recommended)": late preterm after any prior course read as not_recommended.
    *rows("3.8-35w-pprom-prior-course", case("35+0", ruptured=True, steroids_at="30+0", steroid_courses=1),
          preterm_birth_preparation=NREC),
    # AMBIGUOUS: as above, with labor.
    *rows("3.8-34+0-labor-prior-course", case("34+0", flags=[LABOR], steroids_at="28+0", steroid_courses=1),
          preterm_birth_preparation=NREC),
    # ---- a course already given: repeat course
    # AMBIGUOUS: repeat course (>14 days, <34+0, one course) read literally: consider even with no current high-risk finding.
    *rows("3.8-28w-course-21-days-ago", case("28+0", steroids_at="25+0", steroid_courses=1), preterm_birth_preparation=CON),
    *rows("3.8-27+1-course-15-days-ago", case("27+1", steroids_at="25+0", steroid_courses=1), preterm_birth_preparation=CON),
    *rows("3.8-27+0-course-14-days-ago", case("27+0", steroids_at="25+0", steroid_courses=1), preterm_birth_preparation=NA),
    *rows("3.8-28w-two-courses", case("28+0", steroids_at="25+0", steroid_courses=2), preterm_birth_preparation=NA),
    *rows("3.8-33+6-course-at-30w", case("33+6", steroids_at="30+0", steroid_courses=1), preterm_birth_preparation=CON),
    *rows("3.8-34+0-course-at-30w", case("34+0", steroids_at="30+0", steroid_courses=1), preterm_birth_preparation=NA),
    *rows("3.8-30w-labor-course-21-days-ago", case("30+0", flags=[LABOR], steroids_at="27+0", steroid_courses=1),
          preterm_birth_preparation=REC),
    *rows("3.8-30w-labor-course-3-days-ago", case("30+0", flags=[LABOR], steroids_at="29+4", steroid_courses=1),
          preterm_birth_preparation=REC),
    *rows("3.8-30w-labor-two-courses", case("30+0", flags=[LABOR], steroids_at="27+0", steroid_courses=2),
          preterm_birth_preparation=REC),

    # ================================================================ 3.9 / 3.11 nothing found, counseling options
    *rows("3.11-22w-nothing", case("22+0"), periviable_birth_counseling=NA, pregnancy_options_counseling=NA),
    *rows("3.11-22w-bleeding", case("22+0", flags=[BLEEDING]), periviable_birth_counseling=NA),

    # ================================================================ 3.12 assessments
    # ---- anti-D: a trigger, or routine antenatal prophylaxis from 28+0 when RhD-negative
    *rows("3.12-27+6-no-trigger-rhd-negative", case("27+6", rhd_negative=True), anti_d_prophylaxis=NA),
    *rows("3.12-28+0-no-trigger-rhd-negative", case("28+0", rhd_negative=True), anti_d_prophylaxis=CON),
    *rows("3.12-38w-no-trigger-rhd-negative", case("38+0", rhd_negative=True), anti_d_prophylaxis=CON),
    *rows("3.12-28+0-no-trigger-rhd-absent", case("28+0"), anti_d_prophylaxis=NA),
    *rows("3.12-28+0-no-trigger-rhd-positive", case("28+0", rhd_negative=False), anti_d_prophylaxis=NA),
    *rows("3.12-20w-pprom-rhd-absent", case("20+0", ruptured=True), anti_d_prophylaxis=CON),
    *rows("3.12-20w-pprom-rhd-negative", case("20+0", ruptured=True, rhd_negative=True), anti_d_prophylaxis=REC),
    *rows("3.12-26w-pprom-rhd-negative-no-trigger", case("26+0", ruptured=True, rhd_negative=True), anti_d_prophylaxis=NA),
    *rows("3.12-28w-pprom-rhd-negative-no-trigger", case("28+0", ruptured=True, rhd_negative=True), anti_d_prophylaxis=CON),
    *rows("3.12-38w-pprom-rhd-absent", case("38+0", ruptured=True), anti_d_prophylaxis=CON),
    *rows("3.12-35w-pprom-rhd-negative", case("35+0", ruptured=True, rhd_negative=True), anti_d_prophylaxis=REC),
    # ---- other assessments: not applicable without their trigger
    *rows("3.12-30w-nothing", case("30+0"), gbs_prophylaxis=NA, vte_assessment=NA, infection_assessment=NA,
          placental_assessment=NA, speculum_exam=NA, preterm_labor_assessment=NA),
    *rows("3.12-20w-bleeding", case("20+0", flags=[BLEEDING]), infection_assessment=NA),
    *rows("3.12-20w-pprom", case("20+0", ruptured=True), placental_assessment=NA, infection_assessment=REC),
]


@pytest.mark.parametrize(("data", "target", "expected"), ROWS)
def test_v2_decision_table(data: dict, target: str, expected: str) -> None:
    result = result_of(data, target)
    assert result.status == expected, result.rationale


def test_rows_have_unique_ids_and_known_targets() -> None:
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for row in ROWS:
        assert row.values[1] in (*OPTION_IDS, *ASSESSMENT_IDS)


# ---- output shape (sections 1 and contract) ------------------------------------------------

def test_1_fourteen_options_and_seven_assessments_in_spec_order() -> None:
    assert OPTION_IDS[-2:] == ("periviable_birth_counseling", "pregnancy_options_counseling")
    assert len(OPTION_IDS) == 14
    assert ASSESSMENT_IDS == ("infection_assessment", "speculum_exam", "placental_assessment",
                              "preterm_labor_assessment", "anti_d_prophylaxis", "gbs_prophylaxis", "vte_assessment")
    assessment = evaluate(case("20+0", dilation=2))
    assert tuple(o.id for o in assessment.options) == OPTION_IDS
    assert tuple(a.id for a in assessment.assessments) == ASSESSMENT_IDS
    out = assessment.to_dict()
    assert [o["id"] for o in out["options"]] == list(OPTION_IDS)
    assert [a["id"] for a in out["assessments"]] == list(ASSESSMENT_IDS)
    assert assessment.assessment_statuses() == {a["id"]: a["status"] for a in out["assessments"]}
    assert assessment.statuses() == {o["id"]: o["status"] for o in out["options"]}


# ---- 3.0 (c) fetal demise: everything else not applicable ------------------------------------

def test_3_0_c_demise_all_other_options_not_applicable() -> None:
    # A case that would otherwise trigger PPROM counseling, preparation, surveillance and more.
    data = case("22+3", rupture_at="21+0", spontaneous_preterm_births_before_34w=1, cervical_surgery=True,
                flags=[DEMISE])
    statuses = evaluate(data).statuses()
    assert statuses["delivery"] == REC
    for option in PLACEMENT_OPTIONS:
        # AMBIGUOUS: (a) before (c): placement contraindicated, bed rest not_recommended (3.0 (b), 3.1).
        assert statuses[option] == CONTRA
    assert statuses["trendelenburg_bed_rest"] == NREC
    others = {o: s for o, s in statuses.items()
              if o not in {"delivery", "trendelenburg_bed_rest", *PLACEMENT_OPTIONS}}
    assert others == dict.fromkeys(others, NA)


# ---- 3.9 / section 9 (1): nothing found; no dead ends ---------------------------------------

def test_3_9_nothing_found_routine_only_and_no_assessment() -> None:
    assessment = evaluate(case("20+0", length=35, dilation=0))
    statuses = assessment.statuses()
    assert statuses.pop("routine_prenatal_care") == REC
    assert set(statuses.values()) == {NA}
    assert set(assessment.assessment_statuses().values()) == {NA}


@pytest.mark.parametrize(
    "data",
    [
        *[P(case(at, flags=[BLEEDING]), id=f"3.9-bleeding-alone-{at}")
          for at in ("11+0", "16+0", "20+0", "28+0", "36+0", "39+0")],
        *[P(case(at, flags=[LETHAL]), id=f"3.9-lethal-alone-{at}") for at in ("11+0", "14+0", "20+0", "30+0", "38+0")],
        *[P(case(at, flags=[DEMISE]), id=f"3.9-demise-alone-{at}") for at in ("11+0", "20+0", "39+0")],
        P(case("20+0", plurality=2), id="3.9-twins-nothing-else"),
        P(case("26+0", length=15), id="3.9-short-cervix-after-window"),
        P(case("40+0", dilation=3), id="3.9-term-dilated"),
    ],
)
def test_3_9_no_dead_end(data: dict) -> None:
    assessment = evaluate(data)
    statuses = assessment.statuses()
    assert set(statuses.values()) != {NA}, "every option not_applicable"
    offered = [s for s in (*statuses.values(), *assessment.assessment_statuses().values()) if s in OFFERED]
    assert offered, (statuses, assessment.assessment_statuses())


def test_3_2_bleeding_alone_assessments_carry_the_case() -> None:
    assessment = evaluate(case("20+0", flags=[BLEEDING]))
    assert assessment.assessment("placental_assessment").status == REC
    assert assessment.option("routine_prenatal_care").status == NA
    for option in PLACEMENT_OPTIONS:
        assert assessment.option(option).status == CONTRA


def test_3_2_lethal_alone_not_every_option_not_applicable() -> None:
    statuses = evaluate(case("20+0", flags=[LETHAL])).statuses()
    assert statuses["pregnancy_options_counseling"] == REC
    assert statuses["preterm_birth_preparation"] == NREC


# ---- 3.2 alerts ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "alert_id", "present"),
    [
        P(case("11+6", dilation=1), "early_pregnancy", True, id="3.2-early-11+6-dilated-alert"),
        P(case("11+6", flags=[BLEEDING]), "early_pregnancy", True, id="3.2-early-11+6-bleeding-alert"),
        P(case("10+0", flags=[LABOR]), "early_pregnancy", True, id="3.2-early-10w-labor-alert"),
        P(case("12+0", dilation=1), "early_pregnancy", False, id="3.2-early-12+0-dilated-no-alert"),
        P(case("11+6", dilation=0, second_trimester_losses_painless_dilation=1), "early_pregnancy", False,
          id="3.2-early-11+6-closed-no-alert"),
        P(case("11+6"), "early_pregnancy", False, id="3.2-early-11+6-nothing-no-alert"),
        P(case("22+0", cerclage=True, dilation=2), "failing_cerclage", True, id="3.2-failing-dilated-2cm-alert"),
        P(case("28+0", cerclage=True, at_os=True), "failing_cerclage", True, id="3.2-failing-membranes-at-os-alert"),
        P(case("22+0", cerclage=True, dilation=1.5), "failing_cerclage", False, id="3.2-failing-1.5cm-no-alert"),
        P(case("22+0", dilation=2), "failing_cerclage", False, id="3.2-failing-no-cerclage-no-alert"),
        P(case("30+0", cerclage=True, cerclage_type="transabdominal", flags=[LABOR]), "transabdominal_cerclage", True,
          id="3.2-transabdominal-labor-alert"),
        P(case("20+0", cerclage=True, cerclage_type="transabdominal", flags=[DEMISE]), "transabdominal_cerclage", True,
          id="3.2-transabdominal-demise-alert"),
        P(case("30+0", cerclage=True, cerclage_type="transabdominal", ruptured=True), "transabdominal_cerclage", True,
          id="3.2-transabdominal-pprom-alert"),
        P(case("30+0", cerclage=True, cerclage_type="transabdominal"), "transabdominal_cerclage", False,
          id="3.2-transabdominal-no-event-no-alert"),
        P(case("30+0", cerclage=True, cerclage_type="transvaginal", flags=[LABOR]), "transabdominal_cerclage", False,
          id="3.2-transvaginal-labor-no-transabdominal-alert"),
        P(case("20+0", flags=[LETHAL]), "lethal_fetal_anomaly", True, id="3.2-lethal-alert"),
    ],
)
def test_3_2_alerts(data: dict, alert_id: str, present: bool) -> None:
    ids = {a.id for a in evaluate(data).alerts}
    assert (alert_id in ids) is present, ids


def test_3_2_failing_cerclage_is_a_warning() -> None:
    (alert,) = [a for a in evaluate(case("22+0", cerclage=True, dilation=2)).alerts if a.id == "failing_cerclage"]
    assert alert.severity == "warning"


def test_3_2_early_pregnancy_alert_says_assess_for_miscarriage() -> None:
    (alert,) = [a for a in evaluate(case("11+0", dilation=2)).alerts if a.id == "early_pregnancy"]
    assert "miscarriage" in alert.message


# ---- rationales the spec words explicitly ---------------------------------------------------

def test_3_2_demise_delivery_rationale_timing_and_preference() -> None:
    rationale = evaluate(case("20+0", flags=[DEMISE])).option("delivery").rationale
    assert "timing" in rationale
    assert "preference" in rationale


@pytest.mark.parametrize(
    ("data", "option"),
    [
        P(case("20+0", ruptured=True), "previable_pprom_counseling", id="3.3-previable-counseling"),
        P(case("20+0", ruptured=True), "pprom_expectant_management", id="3.3-expectant-20w"),
        P(case("28+0", ruptured=True), "pprom_expectant_management", id="3.3-expectant-28w"),
    ],
)
def test_3_3_pprom_rationale_speculum_no_digital_exam(data: dict, option: str) -> None:
    rationale = evaluate(data).option(option).rationale
    assert "speculum" in rationale
    assert "digital" in rationale


def test_3_3_late_preterm_expectant_rationale_names_gbs() -> None:
    rationale = evaluate(case("35+0", ruptured=True)).option("pprom_expectant_management").rationale
    assert "GBS" in rationale
    assert "ACOG-PB217" in evaluate(case("35+0", ruptured=True)).option("pprom_expectant_management").sources


def test_3_4_prolapsed_emergency_cerclage_specialist_decision() -> None:
    rationale = evaluate(case("20+0", dilation=3, prolapsed=True)).option("physical_exam_indicated_cerclage").rationale
    assert "specialist decision" in rationale


def test_3_4_twins_emergency_cerclage_cites_roman_2020() -> None:
    result = evaluate(case("20+0", dilation=2, plurality=2)).option("physical_exam_indicated_cerclage")
    assert "ROMAN-2020" in result.sources


def test_3_6_after_windows_history_is_named_not_nothing_points() -> None:
    rationale = evaluate(case("30+0", second_trimester_losses_painless_dilation=1)).option("routine_prenatal_care").rationale
    assert "next pregnancy" in rationale
    assert "nothing points" not in rationale.lower()


def test_3_7_unknown_type_asks_to_confirm() -> None:
    rationale = evaluate(case("36+0", cerclage=True, cerclage_type="unknown")).option("cerclage_removal").rationale
    assert "confirm" in rationale


def test_3_7_transabdominal_removal_at_caesarean() -> None:
    rationale = evaluate(case("36+0", cerclage=True, cerclage_type="transabdominal")).option("cerclage_removal").rationale
    assert "caesarean" in rationale.lower() or "cesarean" in rationale.lower()


def test_3_9_routine_rationale_never_points_to_missing_options() -> None:
    for data in (case("26+0", length=15), case("30+0", cerclage=True), case("34+0", dilation=3)):
        result = evaluate(data).option("routine_prenatal_care")
        assert result.status == REC
        assert "see the options above" not in result.rationale.lower()
    assert "15 mm" in evaluate(case("26+0", length=15)).option("routine_prenatal_care").rationale


def test_3_10_bed_rest_consider_carries_note_and_vte() -> None:
    assessment = evaluate(case("26+0", dilation=2))
    bed_rest = assessment.option("trendelenburg_bed_rest")
    assert bed_rest.status == CON
    assert bed_rest.evidence_note
    assert "Grobman" in bed_rest.evidence_note
    assert "after cerclage" in bed_rest.evidence_note
    assert assessment.assessment("vte_assessment").status == REC


def test_3_12_preterm_labor_rationale_no_tocolysis_before_22() -> None:
    result = evaluate(case("21+0", flags=[LABOR])).assessment("preterm_labor_assessment")
    assert result.status == REC
    assert "tocolysis" in result.rationale
    assert "22+0" in result.rationale


def test_3_12_anti_d_unknown_status_says_check() -> None:
    rationale = evaluate(case("20+0", flags=[BLEEDING])).assessment("anti_d_prophylaxis").rationale
    assert "RhD status" in rationale


@pytest.mark.parametrize(
    ("data", "target", "source"),
    [
        P(case("20+0", flags=[LETHAL]), "pregnancy_options_counseling", "ACOG-CO786", id="3.11-options-co786"),
        P(case("24+0", ruptured=True), "periviable_birth_counseling", "ACOG-OCC6", id="3.11-periviable-occ6"),
        P(case("28+0", ruptured=True), "gbs_prophylaxis", "ACOG-CO797", id="3.12-gbs-co797"),
        P(case("20+0", flags=[BLEEDING]), "anti_d_prophylaxis", "ACOG-PB181", id="3.12-anti-d-pb181"),
        P(case("20+0", flags=[BLEEDING]), "placental_assessment", "RCOG-GTG63", id="3.12-placental-gtg63"),
        P(case("28+0", ruptured=True), "vte_assessment", "ACOG-PB196", id="3.12-vte-pb196"),
        P(case("20+0", dilation=2), "infection_assessment", "MONCKEBERG-2019", id="3.12-infection-monckeberg"),
        P(case("21+0", flags=[LABOR]), "preterm_labor_assessment", "ACOG-PB171", id="3.12-ptl-pb171"),
        P(case("35+0", ruptured=True), "preterm_birth_preparation", "ALPS-2016", id="3.8-late-preterm-alps"),
    ],
)
def test_sources(data: dict, target: str, source: str) -> None:
    result = result_of(data, target)
    assert result.status in OFFERED
    assert source in result.sources
