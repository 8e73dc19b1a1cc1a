"""Quiz scoring (progress.scoring): the verdict table, the weights, the bounds, the first choice, and the
either-answer rule for a seed-only option that guidelines discourage (clinical-spec.md section 6)."""

import pytest

from decision import OPTION_IDS, knowledge
from progress import scoring
from progress.scoring import (
    EITHER_ANSWER_OPTIONS,
    FIRST_CHOICE_BONUS,
    FIRST_CHOICE_PENALTY,
    MAX_SCORE,
    MISS_PENALTY,
    SCORING_HELP,
    UNNECESSARY_PENALTY,
    UNSAFE_CAP,
    UNSAFE_PENALTY,
    score_attempt,
    verdict_for,
)

# A case shaped like previable PPROM: every status present.
EXPECTED = {
    "routine_prenatal_care": "not_applicable",
    "serial_cervical_length_surveillance": "not_applicable",
    "history_indicated_cerclage": "contraindicated",
    "ultrasound_indicated_cerclage": "contraindicated",
    "physical_exam_indicated_cerclage": "contraindicated",
    "vaginal_progesterone": "not_applicable",
    "trendelenburg_bed_rest": "not_recommended",
    "previable_pprom_counseling": "recommended",
    "pprom_expectant_management": "consider",
    "preterm_birth_preparation": "not_applicable",
    "delivery": "consider",
    "cerclage_removal": "not_applicable",
    "periviable_birth_counseling": "not_applicable",
    "pregnancy_options_counseling": "not_applicable",
}
OFFERED = {o for o, s in EXPECTED.items() if s in ("recommended", "consider")}


def perfect() -> dict[str, bool]:
    return {o: o in OFFERED for o in EXPECTED}


@pytest.mark.parametrize(("status", "offered", "verdict"), [
    ("recommended", True, "correct"),
    ("recommended", False, "missed"),
    ("consider", True, "correct"),
    ("consider", False, "missed"),
    ("not_recommended", True, "unsafe"),
    ("not_recommended", False, "correct"),
    ("contraindicated", True, "unsafe"),
    ("contraindicated", False, "correct"),
    ("not_applicable", True, "unnecessary"),
    ("not_applicable", False, "correct"),
])
def test_verdict_table(status: str, offered: bool, verdict: str) -> None:
    assert verdict_for(offered, status) == verdict
    result = score_attempt({"delivery": offered}, None, {"delivery": status})
    assert result.verdicts["delivery"].verdict == verdict
    assert result.verdicts["delivery"].expected == status
    assert result.verdicts["delivery"].offered is offered


def test_perfect_attempt_scores_100() -> None:
    result = score_attempt(perfect(), None, EXPECTED)
    assert result.score == MAX_SCORE == 100
    assert (result.correct, result.missed, result.unsafe, result.unnecessary) == (14, 0, 0, 0)
    assert result.total == len(OPTION_IDS)


def test_one_unsafe_costs_more_than_one_miss() -> None:
    assert UNSAFE_PENALTY > MISS_PENALTY > UNNECESSARY_PENALTY > 0
    missed = score_attempt({**perfect(), "delivery": False}, None, EXPECTED)
    unsafe = score_attempt({**perfect(), "trendelenburg_bed_rest": True}, None, EXPECTED)
    contraindicated = score_attempt({**perfect(), "history_indicated_cerclage": True}, None, EXPECTED)
    unnecessary = score_attempt({**perfect(), "routine_prenatal_care": True}, None, EXPECTED)
    assert missed.score == 100 - MISS_PENALTY and missed.missed == 1
    assert unsafe.score == min(100 - UNSAFE_PENALTY, UNSAFE_CAP) and unsafe.unsafe == 1 and unsafe.capped
    assert contraindicated.score == unsafe.score
    assert unnecessary.score == 100 - UNNECESSARY_PENALTY and unnecessary.unnecessary == 1
    assert unsafe.score < missed.score < unnecessary.score < 100


def test_penalties_add_up() -> None:
    choices = {**perfect(), "delivery": False, "trendelenburg_bed_rest": True, "routine_prenatal_care": True}
    result = score_attempt(choices, None, EXPECTED)
    assert sum(v.points for v in result.verdicts.values()) == -(MISS_PENALTY + UNSAFE_PENALTY + UNNECESSARY_PENALTY)
    assert result.score == min(100 - MISS_PENALTY - UNSAFE_PENALTY - UNNECESSARY_PENALTY, UNSAFE_CAP)
    safe = score_attempt({**perfect(), "delivery": False, "routine_prenatal_care": True}, None, EXPECTED)
    assert safe.score == 100 - MISS_PENALTY - UNNECESSARY_PENALTY and not safe.capped
    assert sum(v.points for v in safe.verdicts.values()) == safe.score - 100


def test_all_wrong_is_bounded_at_zero() -> None:
    wrong = {o: o not in OFFERED for o in EXPECTED}
    result = score_attempt(wrong, None, EXPECTED)
    assert result.score == 0
    assert result.correct == 0
    assert result.unsafe == 4 and result.missed == 3 and result.unnecessary == 7
    with_penalty = score_attempt(wrong, "trendelenburg_bed_rest", EXPECTED)
    assert with_penalty.score == 0


def test_missing_options_count_as_do_not_offer() -> None:
    result = score_attempt({}, None, EXPECTED)
    assert result.missed == 3 and result.unsafe == 0
    assert result.score == 100 - 3 * MISS_PENALTY


def test_first_choice_best_gives_bonus_never_above_100() -> None:
    assert score_attempt(perfect(), "previable_pprom_counseling", EXPECTED).score == 100
    choices = {**perfect(), "delivery": False}
    result = score_attempt(choices, "previable_pprom_counseling", EXPECTED)
    assert result.first_choice_verdict == "best"
    assert result.first_choice_points == FIRST_CHOICE_BONUS
    assert result.score == 100 - MISS_PENALTY + FIRST_CHOICE_BONUS


def test_first_choice_consider_is_best_only_when_nothing_is_recommended() -> None:
    choices = {**perfect(), "delivery": False}
    neutral = score_attempt(choices, "pprom_expectant_management", EXPECTED)
    assert neutral.first_choice_verdict == "acceptable" and neutral.first_choice_points == 0
    assert neutral.score == 100 - MISS_PENALTY
    no_recommended = {**EXPECTED, "previable_pprom_counseling": "not_applicable"}
    best = score_attempt({**choices, "previable_pprom_counseling": False}, "pprom_expectant_management", no_recommended)
    assert best.first_choice_verdict == "best"


def test_first_choice_not_offered_by_engine_is_penalised() -> None:
    choices = {**perfect(), "trendelenburg_bed_rest": True}
    result = score_attempt(choices, "trendelenburg_bed_rest", EXPECTED)
    assert result.first_choice_verdict == "not_offered"
    assert result.first_choice_points == -FIRST_CHOICE_PENALTY
    assert result.score == min(100 - UNSAFE_PENALTY - FIRST_CHOICE_PENALTY, UNSAFE_CAP)


def test_invalid_inputs_raise() -> None:
    with pytest.raises(ValueError, match="unknown option"):
        score_attempt({"bogus": True}, None, EXPECTED)
    with pytest.raises(ValueError, match="must be an option marked offer"):
        score_attempt(perfect(), "routine_prenatal_care", EXPECTED)
    with pytest.raises(ValueError, match="unknown first choice"):
        score_attempt(perfect(), "bogus", EXPECTED)
    with pytest.raises(ValueError, match="expected status"):
        score_attempt({}, None, {"delivery": "maybe"})


def test_help_text_states_the_weights() -> None:
    for value in (UNSAFE_PENALTY, MISS_PENALTY, UNNECESSARY_PENALTY, FIRST_CHOICE_BONUS, FIRST_CHOICE_PENALTY):
        assert f"{value} points" in SCORING_HELP
    for word in ("Unsafe", "Missed", "Unnecessary", "Correct", "First choice"):
        assert word in SCORING_HELP
    assert scoring.__doc__ and "not_applicable" in scoring.__doc__


def test_every_teaching_case_perfect_answer_scores_100() -> None:
    from decision.teaching import expected_statuses, load_all

    for tc in load_all():
        for profile in ("acog", "rcog"):
            expected = expected_statuses(tc, profile)
            choices = {o: s in ("recommended", "consider") for o, s in expected.items()}
            assert score_attempt(choices, None, expected).score == 100, tc.id


# --- either answer: a seed-only option that guidelines discourage (spec section 6, 3.10) -----------

# A case shaped like membranes prolapsed at 21 weeks: bed rest is "consider" (spec 3.4), with the note.
BED_REST_CONSIDER = {**EXPECTED, "trendelenburg_bed_rest": "consider", "history_indicated_cerclage": "not_applicable",
                     "ultrasound_indicated_cerclage": "not_applicable",
                     "physical_exam_indicated_cerclage": "not_recommended", "previable_pprom_counseling": "not_applicable",
                     "pprom_expectant_management": "not_applicable", "delivery": "not_applicable",
                     "periviable_birth_counseling": "recommended"}


def _perfect(expected: dict[str, str]) -> dict[str, bool]:
    return {o: s in ("recommended", "consider") for o, s in expected.items()}


@pytest.mark.parametrize("offered", [True, False])
def test_bed_rest_to_consider_accepts_either_answer(offered: bool) -> None:
    choices = {**_perfect(BED_REST_CONSIDER), "trendelenburg_bed_rest": offered}
    result = score_attempt(choices, None, BED_REST_CONSIDER)
    verdict = result.verdicts["trendelenburg_bed_rest"]
    assert verdict.verdict == "correct" and verdict.points == 0 and verdict.either_answer
    assert verdict.offered is offered
    assert result.score == 100 and result.missed == 0 and result.unsafe == 0
    assert verdict_for(offered, "consider", either=True) == "correct"


def test_either_answer_applies_only_to_the_listed_options_when_consider() -> None:
    assert verdict_for(False, "consider") == "missed"
    other = score_attempt({**_perfect(BED_REST_CONSIDER), "periviable_birth_counseling": False}, None, BED_REST_CONSIDER)
    assert other.verdicts["periviable_birth_counseling"].verdict == "missed"
    assert not other.verdicts["periviable_birth_counseling"].either_answer
    nothing_either = score_attempt({**_perfect(BED_REST_CONSIDER), "trendelenburg_bed_rest": False}, None,
                                   BED_REST_CONSIDER, either_answer=())
    assert nothing_either.verdicts["trendelenburg_bed_rest"].verdict == "missed"
    assert nothing_either.score == 100 - MISS_PENALTY


@pytest.mark.parametrize(("status", "verdict", "penalty"), [
    ("not_recommended", "unsafe", UNSAFE_PENALTY),
    ("contraindicated", "unsafe", UNSAFE_PENALTY),
    ("not_applicable", "unnecessary", UNNECESSARY_PENALTY),
])
def test_offering_bed_rest_when_not_offered_is_still_penalised(status: str, verdict: str, penalty: int) -> None:
    expected = {**BED_REST_CONSIDER, "trendelenburg_bed_rest": status}
    result = score_attempt({**_perfect(expected), "trendelenburg_bed_rest": True}, None, expected)
    assert result.verdicts["trendelenburg_bed_rest"].verdict == verdict
    assert not result.verdicts["trendelenburg_bed_rest"].either_answer
    assert result.score == (min(100 - penalty, UNSAFE_CAP) if verdict == "unsafe" else 100 - penalty)
    declined = score_attempt(_perfect(expected), None, expected)
    assert declined.verdicts["trendelenburg_bed_rest"].verdict == "correct" and declined.score == 100


def test_either_answer_option_is_never_the_best_first_choice() -> None:
    only_consider = {o: ("consider" if o == "trendelenburg_bed_rest" else s)
                     for o, s in BED_REST_CONSIDER.items() if s != "recommended"}
    only_consider["periviable_birth_counseling"] = "not_applicable"
    result = score_attempt(_perfect(only_consider), "trendelenburg_bed_rest", only_consider)
    assert result.first_choice_verdict == "acceptable" and result.first_choice_points == 0
    assert score_attempt(_perfect(BED_REST_CONSIDER), "trendelenburg_bed_rest", BED_REST_CONSIDER).first_choice_points == 0


def test_either_answer_set_is_decided_by_the_knowledge_base() -> None:
    """Spec section 6: a seed-only option (documented in the seed, recommended by no guideline) whose
    evidence note says the guidelines discourage it. The set in progress.scoring is exactly that."""
    options = knowledge().options
    from_data = {o.id for o in options.values() if o.seed.documented and o.evidence_note
                 and "discourage" in o.evidence_note and "no guideline recommends" in o.evidence_note}
    assert EITHER_ANSWER_OPTIONS == from_data == {"trendelenburg_bed_rest"}
    assert "Either answer" in SCORING_HELP


def test_any_unsafe_choice_caps_the_score_at_50() -> None:
    """Issue 13: offering a contraindicated option (a cerclage after rupture) scored 75; now at most 50."""
    assert UNSAFE_CAP == 50
    contraindicated = score_attempt({**perfect(), "physical_exam_indicated_cerclage": True},
                                    "previable_pprom_counseling", EXPECTED)
    assert contraindicated.unsafe == 1 and contraindicated.correct == 13
    assert contraindicated.score == 50 and contraindicated.capped
    two = score_attempt({**perfect(), "physical_exam_indicated_cerclage": True, "trendelenburg_bed_rest": True},
                        None, EXPECTED)
    assert two.score == 50  # 100 - 2 x 25 = 50: the cap does not add anything
    worse = score_attempt({**perfect(), "physical_exam_indicated_cerclage": True, "trendelenburg_bed_rest": True,
                           "delivery": False}, None, EXPECTED)
    assert worse.score == 40 and not worse.capped  # below the cap, the penalties still count
    assert score_attempt(perfect(), None, EXPECTED).capped is False
    assert f"at most {UNSAFE_CAP}" in SCORING_HELP
