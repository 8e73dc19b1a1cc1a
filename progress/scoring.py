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

The score starts at 100 and loses :data:`UNSAFE_PENALTY` points per unsafe choice,
:data:`MISS_PENALTY` per missed option and :data:`UNNECESSARY_PENALTY` per unnecessary one. A first
choice that is the best the engine offers (a ``recommended`` option, or a ``consider`` option when
nothing is recommended) earns :data:`FIRST_CHOICE_BONUS` points (which can win back points lost
elsewhere, never above 100); a first choice the engine does not offer (``not_recommended``,
``contraindicated`` or ``not_applicable``) costs :data:`FIRST_CHOICE_PENALTY` more points; a
``consider`` first choice while something is ``recommended`` is neutral. The result is bounded to
0-100. Pure: no I/O, no clock, no randomness.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from decision.kb import STATUSES

__all__ = [
    "FIRST_CHOICE_BONUS", "FIRST_CHOICE_PENALTY", "MAX_SCORE", "MISS_PENALTY", "OFFERED", "SCORING_HELP",
    "UNNECESSARY_PENALTY", "UNSAFE", "UNSAFE_PENALTY", "VERDICTS", "AttemptScore", "OptionVerdict", "score_attempt",
    "verdict_for",
]

Verdict = Literal["correct", "missed", "unsafe", "unnecessary"]
FirstChoiceVerdict = Literal["best", "acceptable", "not_offered"]

#: The verdicts, from the worst to the best.
VERDICTS: tuple[str, ...] = ("unsafe", "missed", "unnecessary", "correct")
#: Statuses under which the engine offers an option (to offer: missing one is a miss).
OFFERED: frozenset[str] = frozenset({"recommended", "consider"})
#: Statuses under which offering the option is unsafe.
UNSAFE: frozenset[str] = frozenset({"not_recommended", "contraindicated"})

#: Points for a perfect attempt (the score never exceeds it).
MAX_SCORE = 100
#: Points lost for each option offered although the engine says not_recommended or contraindicated.
UNSAFE_PENALTY = 25
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
    f"First choice (optional): +{FIRST_CHOICE_BONUS} points if it is the best the engine offers (a recommended option, "
    f"or a to-consider one when nothing is recommended; never above {MAX_SCORE}), −{FIRST_CHOICE_PENALTY} points if the "
    f"engine does not offer it, no change otherwise. The score starts at {MAX_SCORE} and is bounded to 0-{MAX_SCORE}: "
    f"an unsafe choice costs {UNSAFE_PENALTY / MISS_PENALTY:g} times a miss."
)


@dataclass(frozen=True, slots=True)
class OptionVerdict:
    """One option of an attempt: what the resident chose, what the engine says, and the verdict."""

    option_id: str
    offered: bool
    expected: str
    verdict: Verdict
    points: int


@dataclass(frozen=True, slots=True)
class AttemptScore:
    """The scored attempt: per-option verdicts (in the order of ``expected``), counts and the 0-100 score."""

    verdicts: dict[str, OptionVerdict]
    score: int
    first_choice: str | None = None
    first_choice_verdict: FirstChoiceVerdict | None = None
    first_choice_points: int = 0
    counts: dict[str, int] = field(default_factory=dict)

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


def verdict_for(offered: bool, expected: str) -> Verdict:
    """The verdict for one option: ``offered`` is the resident's mark, ``expected`` the engine's status."""
    if expected not in STATUSES:
        raise ValueError(f"expected status must be one of {', '.join(STATUSES)} (got {expected!r})")
    if expected in OFFERED:
        return "correct" if offered else "missed"
    if expected in UNSAFE:
        return "unsafe" if offered else "correct"
    return "unnecessary" if offered else "correct"


def _first_choice(first_choice: str, expected: Mapping[str, str]) -> tuple[FirstChoiceVerdict, int]:
    status = expected[first_choice]
    best = "recommended" if "recommended" in expected.values() else "consider"
    if status == best:
        return "best", FIRST_CHOICE_BONUS
    if status in OFFERED:
        return "acceptable", 0
    return "not_offered", -FIRST_CHOICE_PENALTY


def score_attempt(choices: Mapping[str, bool], first_choice: str | None, expected: Mapping[str, str]) -> AttemptScore:
    """Score one attempt.

    ``choices`` maps option id -> ``True`` (offer) / ``False`` (do not offer); an option absent from it
    counts as *do not offer*. ``expected`` maps every option id of the case to the engine's status.
    ``first_choice`` (optional) must be an option marked *offer*. Raises :class:`ValueError` for an
    option id not in ``expected``, an unknown status, or a first choice that is not offered.
    """
    unknown = sorted(set(choices) - set(expected))
    if unknown:
        raise ValueError(f"unknown option id(s) in choices: {', '.join(unknown)}")
    verdicts: dict[str, OptionVerdict] = {}
    for option_id, status in expected.items():
        offered = bool(choices.get(option_id, False))
        verdict = verdict_for(offered, status)
        verdicts[option_id] = OptionVerdict(option_id, offered, status, verdict, -_PENALTY[verdict])
    counts = {name: sum(1 for v in verdicts.values() if v.verdict == name) for name in VERDICTS}
    points = MAX_SCORE + sum(v.points for v in verdicts.values())
    fc_verdict: FirstChoiceVerdict | None = None
    fc_points = 0
    if first_choice is not None:
        if first_choice not in expected:
            raise ValueError(f"unknown first choice {first_choice!r}")
        if not verdicts[first_choice].offered:
            raise ValueError(f"the first choice {first_choice!r} must be an option marked offer")
        fc_verdict, fc_points = _first_choice(first_choice, expected)
        points += fc_points
    score = max(0, min(MAX_SCORE, points))
    return AttemptScore(verdicts, score, first_choice, fc_verdict, fc_points, counts)
