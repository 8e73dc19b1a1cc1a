"""Scoring of one quiz attempt: option-by-option verdicts and a 0-100 score.

The resident marks each option *offer* or *do not offer* and may flag one offered option as the
first choice. Each option is compared with the status the engine gives it (the case's expected
status under the chosen profile):

==========================  ======================  ==========================
expected status             marked *offer*          marked *do not offer*
==========================  ======================  ==========================
``recommended``             correct                 **missed**
``consider``                correct                 **missed**
``not_recommended``         **unsafe**              correct
``contraindicated``         **unsafe**              correct
``not_applicable``          **unnecessary**         correct
==========================  ======================  ==========================

One exception (clinical-spec.md section 6, last paragraph): for a seed-only option that guidelines
discourage (:data:`EITHER_ANSWER_OPTIONS`: head-down bed rest), when the engine marks it ``consider``,
*offer* and *do not offer* are both correct, with no penalty either way; the verdict carries
``either_answer`` so that the feedback can say so and show the evidence note. Offering it when it is
``not_recommended`` or ``contraindicated`` is still unsafe.

The score starts at 100 and loses :data:`UNSAFE_PENALTY` points per unsafe choice,
:data:`MISS_PENALTY` per missed option and :data:`UNNECESSARY_PENALTY` per unnecessary one. A first
choice that is the best the engine offers (a ``recommended`` option, or a ``consider`` option when
nothing is recommended) earns :data:`FIRST_CHOICE_BONUS` points (which can win back points lost
elsewhere, never above 100); a first choice the engine does not offer (``not_recommended``,
``contraindicated`` or ``not_applicable``) costs :data:`FIRST_CHOICE_PENALTY` more points; a
``consider`` first choice while something is ``recommended`` is neutral, and so is an either-answer
option as first choice (never the best: guidelines discourage it). The result is bounded to
0-100. An attempt with any unsafe choice scores at most :data:`UNSAFE_CAP` (50), whatever else it got
right: offering a contraindicated or not-recommended option can harm, and the score must say so.
Pure: no I/O, no clock, no randomness.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal

from decision.kb import STATUSES

__all__ = [
    "EITHER_ANSWER_OPTIONS", "FIRST_CHOICE_BONUS", "FIRST_CHOICE_PENALTY", "MAX_SCORE", "MISS_PENALTY", "OFFERED", "SCORING_HELP",
    "UNNECESSARY_PENALTY", "UNSAFE", "UNSAFE_CAP", "UNSAFE_PENALTY", "VERDICTS", "AttemptScore", "OptionVerdict",
    "accepts_either", "score_attempt", "verdict_for",
]

Verdict = Literal["correct", "missed", "unsafe", "unnecessary"]
FirstChoiceVerdict = Literal["best", "acceptable", "not_offered"]

#: The verdicts, from the worst to the best.
VERDICTS: tuple[str, ...] = ("unsafe", "missed", "unnecessary", "correct")
#: Statuses under which the engine offers an option (to offer: missing one is a miss).
OFFERED: frozenset[str] = frozenset({"recommended", "consider"})
#: Statuses under which offering the option is unsafe.
UNSAFE: frozenset[str] = frozenset({"not_recommended", "contraindicated"})

#: Seed-only options that guidelines discourage: when the engine marks one ``consider``, offering it and
#: not offering it are both accepted (clinical-spec.md section 6, last paragraph; its evidence note is
#: section 3.10). The criteria are data, checked by tests against data/knowledge/options.yaml: the
#: option is documented in the seed, no guideline recommends it, and its evidence note says that the
#: guidelines discourage it. Only head-down (Trendelenburg) bed rest meets them.
EITHER_ANSWER_OPTIONS: frozenset[str] = frozenset({"trendelenburg_bed_rest"})

#: Points for a perfect attempt (the score never exceeds it).
MAX_SCORE = 100
#: Points lost for each option offered although the engine says not_recommended or contraindicated.
UNSAFE_PENALTY = 25
#: The highest score of an attempt with any unsafe choice.
UNSAFE_CAP = 50
#: Points lost for each option the engine offers (recommended or consider) that was not offered.
MISS_PENALTY = 10
#: Points lost for each not_applicable option that was offered (it does not arise for this case).
UNNECESSARY_PENALTY = 5
#: Points won back when the first choice is the best the engine offers (never above MAX_SCORE).
FIRST_CHOICE_BONUS = 5
#: Extra points lost when the first choice is an option the engine does not offer.
FIRST_CHOICE_PENALTY = 10

SCORING_HELP = (
    f"Each option you mark is compared with the engine's status for this case. "
    f"**Correct**: you offer a recommended or to-consider option, or you do not offer the others. "
    f"**Unsafe**: you offer a not-recommended or contraindicated option (−{UNSAFE_PENALTY} points each). "
    f"**Missed**: you do not offer a recommended or to-consider option (−{MISS_PENALTY} points each). "
    f"**Unnecessary**: you offer a not-applicable option (−{UNNECESSARY_PENALTY} points each). "
    f"**Either answer**: head-down bed rest, a seed-only option that guidelines discourage, is accepted offered or not "
    f"when the engine marks it to consider (no points either way); offering it when it is not recommended is unsafe. "
    f"First choice (optional): +{FIRST_CHOICE_BONUS} points if it is the best the engine offers (a recommended option, "
    f"or a to-consider one when nothing is recommended; never above {MAX_SCORE}), −{FIRST_CHOICE_PENALTY} points if the "
    f"engine does not offer it, no change otherwise. The score starts at {MAX_SCORE} and is bounded to 0-{MAX_SCORE}: "
    f"an unsafe choice costs {UNSAFE_PENALTY / MISS_PENALTY:g} times a miss, and **an attempt with any unsafe choice "
    f"scores at most {UNSAFE_CAP}**."
)


@dataclass(frozen=True, slots=True)
class OptionVerdict:
    """One option of an attempt: what the resident chose, what the engine says, and the verdict."""

    option_id: str
    offered: bool
    expected: str
    verdict: Verdict
    points: int
    either_answer: bool = False


@dataclass(frozen=True, slots=True)
class AttemptScore:
    """The scored attempt: per-option verdicts (in the order of ``expected``), counts and the 0-100 score."""

    verdicts: dict[str, OptionVerdict]
    score: int
    first_choice: str | None = None
    first_choice_verdict: FirstChoiceVerdict | None = None
    first_choice_points: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    capped: bool = False  # an unsafe choice held the score at UNSAFE_CAP

    @property
    def correct(self) -> int:
        return self.counts.get("correct", 0)

    @property
    def missed(self) -> int:
        return self.counts.get("missed", 0)

    @property
    def unsafe(self) -> int:
        return self.counts.get("unsafe", 0)

    @property
    def unnecessary(self) -> int:
        return self.counts.get("unnecessary", 0)

    @property
    def total(self) -> int:
        """The number of options judged."""
        return len(self.verdicts)

    def of(self, verdict: str) -> list[OptionVerdict]:
        """The options with this verdict, in order."""
        return [v for v in self.verdicts.values() if v.verdict == verdict]


_PENALTY: dict[str, int] = {"correct": 0, "missed": MISS_PENALTY, "unsafe": UNSAFE_PENALTY,
                            "unnecessary": UNNECESSARY_PENALTY}


def accepts_either(option_id: str, expected: str, either_answer: Collection[str] = EITHER_ANSWER_OPTIONS) -> bool:
    """True when both marks are correct for this option: an either-answer option the engine marks ``consider``."""
    return option_id in either_answer and expected == "consider"


def verdict_for(offered: bool, expected: str, either: bool = False) -> Verdict:
    """The verdict for one option: ``offered`` is the resident's mark, ``expected`` the engine's status;
    ``either`` (see :func:`accepts_either`) makes a ``consider`` option correct whichever the mark."""
    if expected not in STATUSES:
        raise ValueError(f"expected status must be one of {', '.join(STATUSES)} (got {expected!r})")
    if either and expected == "consider":
        return "correct"
    if expected in OFFERED:
        return "correct" if offered else "missed"
    if expected in UNSAFE:
        return "unsafe" if offered else "correct"
    return "unnecessary" if offered else "correct"


def _first_choice(first_choice: str, expected: Mapping[str, str], either: bool) -> tuple[FirstChoiceVerdict, int]:
    status = expected[first_choice]
    best = "recommended" if "recommended" in expected.values() else "consider"
    if status == best and not either:
        return "best", FIRST_CHOICE_BONUS
    if status in OFFERED:
        return "acceptable", 0
    return "not_offered", -FIRST_CHOICE_PENALTY


def score_attempt(choices: Mapping[str, bool], first_choice: str | None, expected: Mapping[str, str],
                  either_answer: Collection[str] = EITHER_ANSWER_OPTIONS) -> AttemptScore:
    """Score one attempt.

    ``choices`` maps option id -> ``True`` (offer) / ``False`` (do not offer); an option absent from it
    counts as *do not offer*. ``expected`` maps every option id of the case to the engine's status.
    ``either_answer``: the options for which both marks are correct when they are ``consider``.
    ``first_choice`` (optional) must be an option marked *offer*. Raises :class:`ValueError` for an
    option id not in ``expected``, an unknown status, or a first choice that is not offered.
    """
    unknown = sorted(set(choices) - set(expected))
    if unknown:
        raise ValueError(f"unknown option id(s) in choices: {', '.join(unknown)}")
    verdicts: dict[str, OptionVerdict] = {}
    for option_id, status in expected.items():
        offered = bool(choices.get(option_id, False))
        either = accepts_either(option_id, status, either_answer)
        verdict = verdict_for(offered, status, either)
        verdicts[option_id] = OptionVerdict(option_id, offered, status, verdict, -_PENALTY[verdict], either)
    counts = {name: sum(1 for v in verdicts.values() if v.verdict == name) for name in VERDICTS}
    points = MAX_SCORE + sum(v.points for v in verdicts.values())
    fc_verdict: FirstChoiceVerdict | None = None
    fc_points = 0
    if first_choice is not None:
        if first_choice not in expected:
            raise ValueError(f"unknown first choice {first_choice!r}")
        if not verdicts[first_choice].offered:
            raise ValueError(f"the first choice {first_choice!r} must be an option marked offer")
        fc_verdict, fc_points = _first_choice(first_choice, expected, verdicts[first_choice].either_answer)
        points += fc_points
    score = max(0, min(MAX_SCORE, points))
    capped = counts["unsafe"] > 0 and score > UNSAFE_CAP
    if capped:
        score = UNSAFE_CAP
    return AttemptScore(verdicts, score, first_choice, fc_verdict, fc_points, counts, capped)
