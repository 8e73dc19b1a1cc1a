"""The plan at a glance: the offered options of an assessment, ranked by urgency and strength.

Pure (no Streamlit, no clock): the same assessment always gives the same plan. Used by the
clinician summary (``reports``) and meant for the options page too.

    for item in rank_plan(assessment, case):
        item.title, item.status, item.one_line_reason, item.deadline_label, item.group

Only offered options (``recommended`` or ``consider``) are in the plan, in this order:

1. ``time-critical``: an emergency (emergency cerclage), a birth that is likely or under way
   (preterm-birth preparation; delivery or cerclage removal when recommended), or a procedure
   whose guideline window closes within :data:`TIME_CRITICAL_DAYS` days. The deadline comes from
   the profile's windows (``window closes 14+6, in 13 days``).
2. ``guideline``: every other offered option that guidelines support (or that is routine care).
3. ``seed-only discouraged``: an option documented only in the practice leaflet (the seed) whose
   evidence note says the guidelines discourage it (head-down bed rest): always after the others.

Within a group, ``recommended`` comes before ``consider``, then the nearest deadline, then the
catalogue order. An option that is an alternative to a higher-ranked offered option (see
:data:`ALTERNATIVES`: "either A or B") follows that option directly, in group ``alternative``,
with ``alternative_to`` naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import ga as galib
from .case import Case
from .engine import Assessment, OptionResult
from .kb import OPTION_IDS, knowledge

__all__ = [
    "ALTERNATIVES", "DEADLINE_WINDOWS", "GROUPS", "TIME_CRITICAL_DAYS", "PlanItem", "one_line_reason",
    "rank_plan", "seed_only_discouraged",
]

OFFERED = ("recommended", "consider")
GROUPS: tuple[str, ...] = ("time-critical", "guideline", "seed-only discouraged", "alternative")
#: A procedure whose window closes within this many days is time-critical (a decision this month).
TIME_CRITICAL_DAYS = 28
#: Options whose timing is set by profile windows (tried in order: the first that has not closed).
#: The verb says what the deadline is for.
DEADLINE_WINDOWS: dict[str, tuple[tuple[str, ...], str]] = {
    "history_indicated_cerclage": (("history_cerclage", "history_cerclage_late"), "window"),
    "ultrasound_indicated_cerclage": (("ultrasound_cerclage",), "window"),
    "physical_exam_indicated_cerclage": (("physical_exam_cerclage",), "window"),
    "vaginal_progesterone": (("progesterone_no_history", "ultrasound_cerclage"), "start"),
    "cerclage_removal": (("cerclage_removal",), "elective removal"),
}
#: Offered whenever they are offered: an emergency, or a birth that is likely.
ALWAYS_TIME_CRITICAL = frozenset({"physical_exam_indicated_cerclage", "preterm_birth_preparation"})
#: Time-critical when recommended (expedite the birth; remove the stitch with labor, infection or rupture).
TIME_CRITICAL_WHEN_RECOMMENDED = frozenset({"delivery", "cerclage_removal"})
#: Pairs of options that are alternatives to each other when both are offered ("either A or B").
ALTERNATIVES: tuple[frozenset[str], ...] = (
    frozenset({"history_indicated_cerclage", "serial_cervical_length_surveillance"}),
    frozenset({"ultrasound_indicated_cerclage", "vaginal_progesterone"}),
    frozenset({"pprom_expectant_management", "delivery"}),
)
MAX_REASON = 160
_GROUP_ORDER = {"time-critical": 0, "guideline": 1, "seed-only discouraged": 2}
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)%])\.\s+(?=[A-Z])")
_PARENTHESIS = re.compile(r"\s\([^()]*\)")


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One offered option in the plan."""

    id: str
    title: str
    status: str  # recommended or consider
    one_line_reason: str
    deadline_label: str | None  # "window closes 14+6, in 13 days"; None when no window applies
    days_left: int | None  # days until the window closes (0: closes today); None without a window
    group: str  # one of GROUPS
    alternative_to: str | None = None  # group "alternative": the option it is an alternative to

    @property
    def time_critical(self) -> bool:
        return self.group == "time-critical"


def seed_only_discouraged() -> frozenset[str]:
    """Options documented in the seed that no guideline recommends and the guidelines discourage
    (decided by the knowledge base: the same criteria as the quiz's either-answer options)."""
    return frozenset(
        o.id for o in knowledge().options.values()
        if o.seed.documented and o.evidence_note
        and "discourage" in o.evidence_note and "no guideline recommends" in o.evidence_note
    )


def one_line_reason(rationale: str, limit: int = MAX_REASON) -> str:
    """The first sentence of a rationale; asides in parentheses dropped, then clauses, until it fits ``limit``."""
    text = " ".join(rationale.split())
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".")
    while len(sentence) > limit and _PARENTHESIS.search(sentence):
        sentence = _PARENTHESIS.sub("", sentence, count=1)
    if len(sentence) > limit:
        cut = max(sentence.rfind(", ", 0, limit), sentence.rfind("; ", 0, limit))
        sentence = (sentence[:cut] if cut > limit // 2 else sentence[:limit].rsplit(" ", 1)[0]) + " …"
        return sentence
    return sentence + "."


def _deadline(option_id: str, ga: int, profile: str) -> tuple[str | None, int | None]:
    spec = DEADLINE_WINDOWS.get(option_id)
    if spec is None:
        return None, None
    keys, verb = spec
    prof = knowledge().profiles[profile]
    windows = [prof.window(k) for k in keys if k in prof.windows]
    window = next((w for w in windows if w.contains(ga)), None) or next(
        (w for w in windows if w.start_days is not None and ga < w.start_days), None)
    if window is None:
        return None, None
    end = galib.label(window.end_days)
    days = window.end_days - ga
    when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
    if window.start_days is not None and ga < window.start_days:
        opens = window.start_days - ga
        start = galib.label(window.start_days)
        return f"{verb} {start}–{end}, opens in {opens} day{'s' if opens != 1 else ''}", days
    if verb == "window":
        return f"window closes {end}, {when}", days
    if verb == "start":
        return f"start by {end}, {when}", days
    return f"{verb} by {end}, {when}", days


def _group(option: OptionResult, days_left: int | None, discouraged: frozenset[str]) -> str:
    if option.id in discouraged:
        return "seed-only discouraged"
    if option.id in ALWAYS_TIME_CRITICAL:
        return "time-critical"
    if option.id in TIME_CRITICAL_WHEN_RECOMMENDED and option.status == "recommended":
        return "time-critical"
    if days_left is not None and days_left <= TIME_CRITICAL_DAYS and option.id != "cerclage_removal":
        return "time-critical"
    return "guideline"


def rank_plan(assessment: Assessment, case: Mapping[str, Any] | Case | None = None) -> list[PlanItem]:
    """The offered options of ``assessment``, ranked (see the module docstring).

    ``case`` is accepted for symmetry with :func:`decision.patient_view.patient_view`; the ranking reads
    only the assessment (its gestational age, profile, statuses and rationales), so it is the same with
    or without it.
    """
    del case  # everything the ranking needs is in the assessment
    ga = galib.to_days(int(assessment.gestational_age["weeks"]), int(assessment.gestational_age["days"]))
    discouraged = seed_only_discouraged()
    items: list[PlanItem] = []
    for option in assessment.options:
        if option.status not in OFFERED:
            continue
        label, days = _deadline(option.id, ga, assessment.profile)
        if option.id == "physical_exam_indicated_cerclage" and label:
            label = f"emergency; {label}"
        items.append(PlanItem(option.id, option.title, option.status, one_line_reason(option.rationale), label, days,
                              _group(option, days, discouraged)))
    catalogue = {o: i for i, o in enumerate(OPTION_IDS)}
    items.sort(key=lambda p: (_GROUP_ORDER[p.group], OFFERED.index(p.status),
                              p.days_left if p.days_left is not None else 10_000, catalogue[p.id]))
    ranked: list[PlanItem] = []
    placed: set[str] = set()
    for item in items:
        if item.id in placed:
            continue
        ranked.append(item)
        placed.add(item.id)
        for pair in ALTERNATIVES:
            if item.id not in pair:
                continue
            (other,) = pair - {item.id}
            alt = next((p for p in items if p.id == other and p.id not in placed), None)
            if alt is not None and alt.group != "seed-only discouraged":
                ranked.append(PlanItem(alt.id, alt.title, alt.status, alt.one_line_reason, alt.deadline_label,
                                       alt.days_left, "alternative", item.id))
                placed.add(alt.id)
    return ranked
