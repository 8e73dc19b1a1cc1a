"""decision.plan.rank_plan: the offered options ranked by urgency and strength (pure)."""

from __future__ import annotations

import pytest

from decision import evaluate
from decision.plan import GROUPS, TIME_CRITICAL_DAYS, one_line_reason, rank_plan, seed_only_discouraged

ONE_LOSS_13 = {"gestational_age": {"weeks": 13, "days": 0},
               "history": {"second_trimester_losses_painless_dilation": 1}}
EMERGENCY_20 = {"gestational_age": {"weeks": 20, "days": 0}, "cervix": {"length_mm": 15, "dilation_cm": 2}}
PPROM_19 = {"gestational_age": {"weeks": 19, "days": 0},
            "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 19, "days": 0}}}
SPTB_SHORT_21 = {"gestational_age": {"weeks": 21, "days": 0},
                 "history": {"spontaneous_preterm_births_before_34w": 1}, "cervix": {"length_mm": 22},
                 "serial_cervical_lengths": [{"gestational_age": {"weeks": 16, "days": 0}, "length_mm": 34},
                                             {"gestational_age": {"weeks": 18, "days": 0}, "length_mm": 27}]}
PROLAPSE_22 = {"gestational_age": {"weeks": 22, "days": 0},
               "cervix": {"dilation_cm": 3, "membranes_at_or_beyond_external_os": True,
                          "membranes_prolapsed_into_vagina": True}}
BED_REST_22 = {"gestational_age": {"weeks": 22, "days": 0},
               "cervix": {"dilation_cm": 5, "membranes_at_or_beyond_external_os": True}}
FIVE = {"one_loss": ONE_LOSS_13, "emergency": EMERGENCY_20, "pprom": PPROM_19, "sptb_short": SPTB_SHORT_21,
        "prolapse": PROLAPSE_22, "bed_rest": BED_REST_22}


def _plan(case: dict, profile: str = "acog"):
    return rank_plan(evaluate(case, profile), case)


@pytest.mark.parametrize("profile", ["acog", "rcog"])
@pytest.mark.parametrize("name", sorted(FIVE))
def test_plan_holds_exactly_the_offered_options_once(name: str, profile: str) -> None:
    assessment = evaluate(FIVE[name], profile)
    plan = rank_plan(assessment, FIVE[name])
    offered = {o.id for o in assessment.options if o.status in ("recommended", "consider")}
    assert [p.id for p in plan] and len({p.id for p in plan}) == len(plan)
    assert {p.id for p in plan} == offered
    for item in plan:
        option = assessment.option(item.id)
        assert (item.title, item.status) == (option.title, option.status)
        assert item.group in GROUPS
        assert item.one_line_reason and len(item.one_line_reason) <= 162
        assert (item.alternative_to is not None) is (item.group == "alternative")
    assert plan == rank_plan(assessment)  # the case is optional; the same plan either way


def test_preventive_stitch_is_time_critical_and_first_with_its_deadline() -> None:
    """13+0, one painless loss: the window closes at 14+6, in 13 days; surveillance is its alternative."""
    plan = _plan(ONE_LOSS_13)
    first = plan[0]
    assert first.id == "history_indicated_cerclage" and first.group == "time-critical"
    assert first.deadline_label == "window closes 14+6, in 13 days" and first.days_left == 13
    second = plan[1]
    assert second.id == "serial_cervical_length_surveillance"
    assert second.group == "alternative" and second.alternative_to == "history_indicated_cerclage"


def test_emergency_cerclage_is_time_critical_with_an_urgency_cue() -> None:
    plan = _plan(EMERGENCY_20)
    assert plan[0].id == "physical_exam_indicated_cerclage" and plan[0].time_critical
    assert plan[0].deadline_label == "emergency; window closes 23+6, in 27 days"
    assert [p.id for p in plan[1:]] == ["periviable_birth_counseling"]
    rcog = _plan(EMERGENCY_20, "rcog")
    assert rcog[0].deadline_label == "emergency; window closes 27+6, in 55 days"


def test_time_critical_options_come_first() -> None:
    for case in FIVE.values():
        for profile in ("acog", "rcog"):
            groups = [p.group for p in _plan(case, profile) if p.group != "alternative"]
            critical = [g == "time-critical" for g in groups]
            assert critical == sorted(critical, reverse=True), (case, profile, groups)


def test_short_cervix_after_preterm_birth_cerclage_or_progesterone_before_surveillance() -> None:
    plan = _plan(SPTB_SHORT_21)
    assert [p.id for p in plan] == ["ultrasound_indicated_cerclage", "vaginal_progesterone",
                                    "serial_cervical_length_surveillance"]
    assert plan[0].deadline_label == "window closes 23+6, in 20 days"
    assert plan[1].group == "alternative" and plan[1].deadline_label == "start by 23+6, in 20 days"
    assert plan[2].group == "guideline" and plan[2].deadline_label is None


def test_pprom_counseling_then_either_expectant_management_or_delivery() -> None:
    plan = _plan(PPROM_19)
    assert [p.id for p in plan] == ["previable_pprom_counseling", "pprom_expectant_management", "delivery"]
    assert plan[0].status == "recommended"
    assert plan[2].group == "alternative" and plan[2].alternative_to == "pprom_expectant_management"
    assert all(p.deadline_label is None for p in plan)


def test_bed_rest_comes_after_the_guideline_options() -> None:
    assert seed_only_discouraged() == {"trendelenburg_bed_rest"}
    plan = _plan(BED_REST_22)
    ids = [p.id for p in plan]
    assert "trendelenburg_bed_rest" in ids and len(ids) > 1
    assert ids[-1] == "trendelenburg_bed_rest"
    assert plan[-1].group == "seed-only discouraged"
    assert all(p.group != "seed-only discouraged" for p in plan[:-1])


def test_a_window_far_away_is_not_time_critical_but_keeps_its_label() -> None:
    early = {"gestational_age": {"weeks": 10, "days": 2},
             "history": {"prior_cerclage_for_painless_dilation": True}}
    (item,) = [p for p in _plan(early) if p.id == "history_indicated_cerclage"]
    assert item.deadline_label == "window 12+0–14+6, opens in 12 days"
    assert item.days_left == 32 > TIME_CRITICAL_DAYS
    assert item.group == "guideline"


def test_one_line_reason_is_the_first_sentence_shortened() -> None:
    assert one_line_reason("Short. Then more.") == "Short."
    long = ("Membranes ruptured at 19+0, now 19+0, before the viability threshold of 24+0 (a long aside that goes on "
            "and on): counsel the parents on active delivery versus expectant management, with the outcomes for this "
            "gestational age and the mother's risks (UKOSS 2024). Second sentence.")
    short = one_line_reason(long)
    assert len(short) <= 162 and "aside" not in short and short.endswith("…")
    assert "Second sentence" not in short
