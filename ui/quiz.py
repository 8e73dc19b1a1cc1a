"""Teaching mode: the quiz (case picker, step-by-step case, options form, feedback) and shared helpers.

Session-state keys (besides widget keys, all prefixed ``quiz.``):

- ``teach.nickname``: the resident's valid nickname, shared with the progress page;
- ``teach.resident``: the :class:`~progress.store.Resident` its passphrase opened (this session only;
  the history is read and saved only through it);
- ``quiz.active``: the case being answered (id, profile, step-by-step flag, steps revealed);
- ``quiz.result``: the scored attempt of the active case;
- ``quiz.session_attempts``: every attempt of this browser session, saved or not (nothing is lost
  when the database is unavailable);
- ``quiz.store_error``: the message of the last database failure (one warning is shown per run).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import streamlit as st

from decision import OPTION_IDS, PROFILES, Assessment, evaluate, knowledge
from decision.plan import one_line_reason
from decision.teaching import (
    DIFFICULTIES,
    TOPICS,
    TeachingCase,
    expected_assessment_statuses,
    expected_statuses,
    load_all,
)
from progress import store
from progress.nickname import NICKNAME_HELP, nickname_problem, validate_nickname
from progress.passphrase import PASSPHRASE_HELP, InvalidPassphrase, passphrase_problem
from progress.scoring import SCORING_HELP, UNSAFE_CAP, AttemptScore, score_attempt
from progress.store import Attempt, Resident, StoreUnavailable, WrongPassphrase

from . import state
from .cards import source_list, sources_text
from .layout import STATUS_LABEL
from .whatif import what_if
from .why import why_markdown, would_change_markdown

ROOT = Path(__file__).resolve().parent.parent
#: The consultation's first page, as an absolute path (works under app.py and under test wrappers).
CONSULTATION_PAGE = str(ROOT / "views" / "1_gestational_age.py")
QUIZ_PAGE = str(ROOT / "views" / "7_quiz.py")

NICKNAME = "teach.nickname"
RESIDENT = "teach.resident"
ACTIVE = "quiz.active"
RESULT = "quiz.result"
SESSION_ATTEMPTS = "quiz.session_attempts"
STORE_ERROR = "quiz.store_error"
SHOW_ANSWER = "quiz.answer_shown"  # the follow-up question has been asked: the feedback is shown
GENERATION = "quiz.generation"
MY_ANSWER = "quiz.my_follow_up_answer"  # the resident's answer to the follow-up question (this session only)

#: The answer boxes, grouped by theme (every option once; the order within a theme is the catalogue's).
OPTION_THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Monitoring and routine care", ("routine_prenatal_care", "serial_cervical_length_surveillance")),
    ("Cerclage", ("history_indicated_cerclage", "ultrasound_indicated_cerclage", "physical_exam_indicated_cerclage",
                  "cerclage_removal")),
    ("Medicines and rest", ("vaginal_progesterone", "trendelenburg_bed_rest", "preterm_birth_preparation")),
    ("Ruptured membranes and birth", ("previable_pprom_counseling", "pprom_expectant_management", "delivery")),
    ("Counseling", ("periviable_birth_counseling", "pregnancy_options_counseling")),
)
#: Words in a case title that name an answer (an option or what it does): such a title is shown only after
#: the answers are submitted; before, a neutral label ("Case 12 · red flags").
ANSWER_WORDS: tuple[str, ...] = (
    "cerclage", "stitch", "progesterone", "bed rest", "trendelenburg", "deliver", "induction", "steroid",
    "corticosteroid", "magnesium", "counsel", "surveillance", "expectant", "removal", "remove", "antibiotic",
    "recommend", "offer", "indicated", "emergency", "rescue", "preventive",
)
#: Why an unsafe choice is dangerous, by the status the engine gives the option.
DANGER_TEXT = {
    "contraindicated": "A hard contraindication is present: doing it here can harm the woman or the pregnancy.",
    "not_recommended": "Guidelines advise against it for this case: its risks are not balanced by a benefit here.",
}

QUIZ_STEPS: tuple[tuple[str, str], ...] = (
    ("dating", "1. Dating"),
    ("history", "2. History"),
    ("cervix", "3. Cervix"),
    ("membranes", "4. Membranes & red flags"),
)
VERDICT_LABEL: dict[str, tuple[str, str, str]] = {
    "unsafe": ("Unsafe", ":material/dangerous:", "red"),
    "missed": ("Missed", ":material/report:", "orange"),
    "unnecessary": ("Unnecessary", ":material/remove_circle:", "violet"),
    "correct": ("Correct", ":material/check_circle:", "green"),
}
#: The badge of an option for which both marks are accepted (progress.scoring.EITHER_ANSWER_OPTIONS).
EITHER_LABEL: tuple[str, str, str] = ("Either answer", ":material/swap_horiz:", "blue")
EITHER_TEXT = ("Guidelines discourage this seed-only option, and the engine marks it *to consider*: offering it and "
               "not offering it are both accepted, with no points either way (clinical spec, section 6). Read the "
               "evidence note.")
_HISTORY_FLAGS = {
    "prior_cerclage_for_painless_dilation": "A cerclage in an earlier pregnancy for painless dilation",
    "cervical_surgery": "Cervical surgery (e.g. cone biopsy or LEEP)",
    "in_utero_des_exposure": "In-utero DES exposure",
    "uterine_or_cervical_anomaly": "A uterine or cervical anomaly",
    "cervical_trauma": "Cervical trauma",
}
_RED_FLAGS = {
    "regular_contractions_or_labor": "regular contractions or labor",
    "vaginal_bleeding": "active vaginal bleeding",
    "signs_of_intraamniotic_infection": "signs of intra-amniotic infection",
    "fetal_demise": "fetal demise",
    "lethal_fetal_anomaly": "a lethal fetal anomaly",
}


# --- pure helpers ------------------------------------------------------------------------------


def _ga(value: dict[str, Any] | None) -> str:
    return f"{value['weeks']}+{value.get('days', 0)}" if value else "unknown"


def step_findings(case: dict[str, Any], step: str) -> list[str]:
    """The findings of one consultation step of a case, as short sentences."""
    if step == "dating":
        return [f"Gestational age today: **{_ga(case.get('gestational_age'))} weeks**."]
    if step == "history":
        plurality = int(case.get("plurality", 1))
        lines = ["Singleton pregnancy." if plurality == 1 else
                 ("Twin pregnancy." if plurality == 2 else f"Multiple pregnancy ({plurality} fetuses).")]
        h = case.get("history") or {}
        losses = int(h.get("second_trimester_losses_painless_dilation") or 0)
        births = int(h.get("spontaneous_preterm_births_before_34w") or 0)
        if losses:
            lines.append(f"{losses} earlier second-trimester loss(es) after painless dilation.")
        if births:
            lines.append(f"{births} earlier spontaneous preterm birth(s) before 34+0 weeks.")
        lines += [f"{label}." for key, label in _HISTORY_FLAGS.items() if h.get(key)]
        if len(lines) == 1:
            lines.append("No relevant obstetric or cervical history.")
        return lines
    if step == "cervix":
        cx = case.get("cervix") or {}
        lines = []
        if cx.get("length_mm") is not None:
            lines.append(f"Transvaginal cervical length: **{cx['length_mm']:g} mm**.")
        if cx.get("dilation_cm") == 0:
            lines.append("Cervix closed on examination (dilation 0 cm).")
        elif cx.get("dilation_cm") is not None:
            lines.append(f"Cervical dilation on examination: **{cx['dilation_cm']:g} cm**.")
        if cx.get("funneling"):
            lines.append("Funneling on ultrasound.")
        if cx.get("membranes_at_or_beyond_external_os"):
            lines.append("Membranes visible at or beyond the external os.")
        if cx.get("membranes_prolapsed_into_vagina"):
            lines.append("Membranes prolapsed into the vagina.")
        serial = case.get("serial_cervical_lengths") or []
        if serial:
            earlier = ", ".join(f"{s['length_mm']:g} mm at {_ga(s.get('gestational_age'))}" for s in serial)
            lines.append(f"Earlier cervical lengths: {earlier}.")
        return lines or ["No cervical length measured and no examination finding recorded."]
    if step == "membranes":
        m = case.get("membranes") or {}
        if m.get("status") == "ruptured":
            rupture = m.get("rupture_gestational_age")
            lines = [f"Membranes **ruptured** (at {_ga(rupture)} weeks)." if rupture else
                     "Membranes **ruptured** (time of rupture unknown)."]
        else:
            lines = ["Membranes intact."]
        flags = [label for key, label in _RED_FLAGS.items() if (case.get("red_flags") or {}).get(key)]
        lines.append("Red flags: " + (", ".join(flags) + "." if flags else "none."))
        if case.get("cerclage_in_place"):
            lines.append("A cerclage is in place.")
        return lines
    raise ValueError(f"unknown step {step!r}")


def title_hints(title: str) -> bool:
    """Whether a case title gives the answer away: it names an option (or what one does) or asks a question."""
    lower = title.lower()
    return "?" in title or any(word in lower for word in ANSWER_WORDS)


def case_number(tc: TeachingCase, cases: dict[str, TeachingCase]) -> int:
    """The case's stable number in the library (1-based, by id)."""
    return sorted(cases).index(tc.id) + 1


def display_title(tc: TeachingCase, number: int, submitted: bool = False) -> str:
    """The title, or before submission a neutral label (``Case 12 · red flags``) when the title hints at the answer."""
    if submitted or not title_hints(tc.title):
        return tc.title
    return f"Case {number} · {tc.topic}"


def case_label(tc: TeachingCase, attempted: set[str], number: int = 0) -> str:
    mark = "✓ " if tc.id in attempted else ""
    title = display_title(tc, number) if number else tc.title
    return f"{mark}{title} · {tc.topic} · {tc.difficulty}"


# --- state ---------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def teaching_cases() -> dict[str, TeachingCase]:
    """The teaching library, loaded once per process: id -> case."""
    return {tc.id: tc for tc in load_all()}


def _init() -> None:
    st.session_state.setdefault(SESSION_ATTEMPTS, [])
    st.session_state.setdefault(GENERATION, 0)


def store_failed(exc: StoreUnavailable) -> None:
    """Remember a database failure (the page shows one warning for it)."""
    st.session_state[STORE_ERROR] = str(exc)


def show_store_warning() -> None:
    """One warning while the database is unavailable in this session."""
    message = st.session_state.get(STORE_ERROR)
    if message:
        st.warning(message, icon=":material/cloud_off:")


def nickname_input(key: str) -> str | None:
    """The nickname field (shared value across pages); returns the valid nickname or None."""
    raw = st.text_input("Your nickname", value=st.session_state.get(NICKNAME, ""), key=key, max_chars=40,
                        help=NICKNAME_HELP, placeholder="e.g. owl_r2")
    raw = (raw or "").strip()
    if not raw:
        st.session_state.pop(NICKNAME, None)
        return None
    problem = nickname_problem(raw)
    if problem:
        st.error(f"Nickname {problem}", icon=":material/badge:")
        return None
    nickname = validate_nickname(raw)
    st.session_state[NICKNAME] = nickname
    return nickname


def identity(prefix: str) -> tuple[str | None, Resident | None]:
    """Nickname and passphrase fields: (valid nickname or None, the Resident its passphrase opened or None).

    The first passphrase given with a nickname claims it; afterwards only that passphrase opens its
    history (a wrong one opens nothing and says so without telling whether the nickname exists).
    The opened Resident is kept for this browser session only.
    """
    nickname = nickname_input(f"{prefix}.nickname")
    if not nickname:
        st.session_state.pop(RESIDENT, None)
        return None, None
    resident = st.session_state.get(RESIDENT)
    if isinstance(resident, Resident) and resident.nickname == nickname:
        st.caption(f":material/lock_open: The history of **{nickname}** is open in this browser session.")
        return nickname, resident
    st.session_state.pop(RESIDENT, None)
    passphrase = st.text_input("Your passphrase", type="password", key=f"{prefix}.passphrase", max_chars=128,
                               help=PASSPHRASE_HELP, placeholder="at least 8 characters")
    if not passphrase:
        st.caption(":material/lock: Enter your passphrase to open your history (for a new nickname: to claim it). "
                   "Without it, attempts are kept for this browser session only.")
        return nickname, None
    problem = passphrase_problem(passphrase)
    if problem:
        st.error(f"Passphrase {problem}", icon=":material/password:")
        return nickname, None
    try:
        resident = store.unlock(nickname, passphrase)
    except (WrongPassphrase, InvalidPassphrase) as exc:
        st.error(str(exc), icon=":material/lock:")
        return nickname, None
    except StoreUnavailable as exc:
        store_failed(exc)
        return nickname, None
    st.session_state[RESIDENT] = resident
    st.session_state.pop(STORE_ERROR, None)
    st.caption(f":material/lock_open: The history of **{nickname}** is open in this browser session.")
    return nickname, resident


def session_attempts(nickname: str | None = None) -> list[Attempt]:
    """This session's attempts (all, or only those of ``nickname``)."""
    _init()
    items: list[Attempt] = st.session_state[SESSION_ATTEMPTS]
    return [a for a in items if nickname is None or a.nickname == nickname]


def attempted_ids(nickname: str | None, resident: Resident | None = None) -> set[str]:
    """Cases attempted in this session (by this nickname, or without one) and, once opened, in its saved history."""
    done = {a.case_id for a in session_attempts(nickname)}
    if resident is not None:
        try:
            done |= store.attempted_case_ids(resident)
        except StoreUnavailable as exc:
            store_failed(exc)
        except WrongPassphrase:
            st.session_state.pop(RESIDENT, None)
    return done


def start_case(case_id: str, profile: str, stepwise: bool) -> None:
    _init()
    st.session_state[ACTIVE] = {"case_id": case_id, "profile": profile, "stepwise": stepwise,
                                "revealed": 1 if stepwise else len(QUIZ_STEPS)}
    st.session_state.pop(RESULT, None)
    st.session_state[SHOW_ANSWER] = False
    st.session_state.pop(MY_ANSWER, None)
    st.session_state.pop("quiz.follow_up_answer", None)
    st.session_state[GENERATION] += 1


def _save(attempt: Attempt, resident: Resident | None) -> tuple[Attempt, str]:
    """Save when the nickname's history is open: (attempt, 'saved'), else (attempt, why not).

    Why not: 'no_nickname', 'locked' (no or wrong passphrase) or 'store' (database unavailable);
    the attempt is then kept in this session only.
    """
    if not attempt.nickname:
        return attempt, "no_nickname"
    if resident is None or resident.nickname != attempt.nickname:  # not opened: the database is down, or no passphrase
        return attempt, "store" if st.session_state.get(STORE_ERROR) else "locked"
    try:
        saved = store.save_attempt(attempt, resident)
    except StoreUnavailable as exc:
        store_failed(exc)
        return attempt, "store"
    except WrongPassphrase:
        st.session_state.pop(RESIDENT, None)
        return attempt, "locked"
    st.session_state.pop(STORE_ERROR, None)
    return saved, "saved"


# --- rendering -----------------------------------------------------------------------------------


def picker(cases: dict[str, TeachingCase], nickname: str | None, resident: Resident | None = None) -> None:
    """Filters by topic and difficulty, a case list, and Start / Random buttons."""
    kb = knowledge()
    topics = [t for t in TOPICS if any(tc.topic == t for tc in cases.values())]
    f1, f2, f3 = st.columns([2, 2, 1.4])
    chosen_topics = f1.multiselect("Topic", topics, key="quiz.topics", placeholder="All topics")
    chosen_levels = f2.multiselect("Difficulty", list(DIFFICULTIES), key="quiz.difficulties",
                                   placeholder="All difficulties")
    profile = f3.radio("Guideline profile", list(PROFILES), format_func=lambda p: kb.profiles[p].label,
                       key="quiz.profile", help="The expected answers follow this profile's guidelines.")
    matching = [tc for tc in cases.values() if (not chosen_topics or tc.topic in chosen_topics)
                and (not chosen_levels or tc.difficulty in chosen_levels)]
    if not matching:
        st.info("No teaching case matches these filters.", icon=":material/filter_alt_off:")
        return
    done = attempted_ids(nickname, resident)
    fresh = [tc for tc in matching if tc.id not in done]
    who = f"by **{nickname}**" if nickname else "in this session"
    st.caption(f"{len(matching)} case(s) match; {len(matching) - len(fresh)} already attempted {who} (marked ✓).")
    choice = st.selectbox("Case", [tc.id for tc in matching], key="quiz.case_choice",
                          format_func=lambda cid: case_label(cases[cid], done, case_number(cases[cid], cases)))
    stepwise = st.toggle("Reveal the findings one step at a time", key="quiz.stepwise",
                         help="Dating, then history, cervix and membranes, as in the consultation.")
    b1, b2, _ = st.columns([1, 1.3, 1])
    if b1.button("Start this case", key="quiz.start", icon=":material/play_arrow:", type="primary"):
        start_case(choice, profile or "acog", stepwise)
        st.rerun()
    if b2.button("Random case not yet attempted", key="quiz.random", icon=":material/casino:"):
        pool = fresh or matching
        if not fresh:
            st.toast("Every matching case has been attempted: picking from all of them.", icon=":material/info:")
        start_case(random.choice(pool).id, profile or "acog", stepwise)
        st.rerun()


def _case_view(tc: TeachingCase, active: dict[str, Any], submitted: bool = False) -> bool:
    """The case, step by step; returns True when every step is revealed. The title stays neutral until the
    answers are submitted when it hints at the answer."""
    kb = knowledge()
    st.subheader(display_title(tc, case_number(tc, teaching_cases()), submitted))
    c1, c2, c3 = st.columns([1, 1, 2])
    c1.badge(tc.topic, icon=":material/label:", color="blue")
    c2.badge(tc.difficulty, icon=":material/signal_cellular_alt:", color="gray")
    c3.badge(kb.profiles[active["profile"]].label, icon=":material/policy:", color="violet")
    revealed = int(active["revealed"])
    complete = revealed >= len(QUIZ_STEPS)
    if complete:
        st.markdown(f"> {tc.vignette}")
    for index, (step, label) in enumerate(QUIZ_STEPS):
        if index >= revealed:
            break
        with st.container(border=True, key=f"quiz.step.{step}"):
            st.markdown(f"**{label}**")
            st.markdown("\n".join(f"- {line}" for line in step_findings(tc.case, step)))
    if not complete:
        nxt = QUIZ_STEPS[revealed][1]
        if st.button(f"Reveal the next step: {nxt}", key="quiz.reveal", icon=":material/visibility:"):
            active["revealed"] = revealed + 1
            st.rerun()
    return complete


def _options_form(tc: TeachingCase, active: dict[str, Any], nickname: str | None, resident: Resident | None) -> None:
    kb = knowledge()
    gen = st.session_state[GENERATION]
    with st.expander("How the score works", icon=":material/calculate:"):
        st.markdown(SCORING_HELP)
    with st.form(f"quiz.form.{gen}", border=True):
        st.markdown("**Which options would you offer?** Tick *Offer* for each option you would offer or discuss; "
                    "leave it unticked for *do not offer*.")
        for theme, options in OPTION_THEMES:
            st.markdown(f"**{theme}**")
            cols = st.columns(2)
            for i, option in enumerate(options):
                cols[i % 2].checkbox(f"Offer: {kb.options[option].title}", key=f"quiz.g{gen}.offer.{option}")
        first = st.selectbox("First choice (optional)", [None, *OPTION_IDS], key=f"quiz.g{gen}.first",
                             format_func=lambda o: "— none —" if o is None else kb.options[o].title,
                             help="Flag the option you would put first; it must be one you offer.")
        submitted = st.form_submit_button("Submit answers", type="primary", icon=":material/send:",
                                          key="quiz.submit", help=SCORING_HELP)
    if not submitted:
        return
    choices = {o: bool(st.session_state.get(f"quiz.g{gen}.offer.{o}")) for o in OPTION_IDS}
    if first is not None and not choices[first]:
        st.error(f"Your first choice ({kb.options[first].title}) is not ticked *Offer*: tick it, or choose another "
                 "first choice.", icon=":material/error:")
        return
    result = score_attempt(choices, first, expected_statuses(tc, active["profile"]))
    attempt = Attempt.from_score(nickname or "", tc.id, tc.topic, tc.difficulty, active["profile"], result,
                                 created_at=datetime.now(UTC))
    attempt, outcome = _save(attempt, resident)
    st.session_state[SESSION_ATTEMPTS].append(attempt)
    st.session_state[RESULT] = {"case_id": tc.id, "profile": active["profile"], "score": result,
                                "saved": outcome == "saved", "why": outcome}
    st.session_state[SHOW_ANSWER] = False  # the follow-up question comes first, then the feedback
    st.rerun()


def _follow_up_first(tc: TeachingCase) -> None:
    """The follow-up question, asked after the answers are submitted and before the feedback that answers it."""
    st.subheader("Before the feedback: a follow-up question")
    st.caption("Your answers are in. Think this through first; the feedback and the model answer come next.")
    with st.container(border=True, key="quiz.follow_up"):
        st.markdown(tc.follow_up.question)
        st.text_area("Your answer (optional; not scored or saved)", key="quiz.follow_up_answer", height=100)
    if st.button("Show the feedback", key="quiz.show_feedback", icon=":material/fact_check:", type="primary"):
        st.session_state[SHOW_ANSWER] = True
        st.session_state[MY_ANSWER] = (st.session_state.get("quiz.follow_up_answer") or "").strip()
        st.rerun()


def _feedback(tc: TeachingCase, result: dict[str, Any], nickname: str | None) -> None:
    kb = knowledge()
    score: AttemptScore = result["score"]
    profile = result["profile"]
    assessment = evaluate(tc.case, profile)
    st.subheader("Feedback")
    _unsafe_banner(score, assessment)
    m = st.columns(5)
    m[0].metric("Score", f"{score.score} / 100", help=SCORING_HELP)
    for col, verdict in zip(m[1:], ("correct", "missed", "unsafe", "unnecessary"), strict=True):
        col.metric(VERDICT_LABEL[verdict][0], getattr(score, verdict))
    why = result.get("why", "saved" if result["saved"] else "store")
    if result["saved"]:
        st.caption(f":material/cloud_done: Saved to the progress of **{nickname}**.")
    elif why == "no_nickname" or not nickname:
        st.caption(":material/info: Not saved: enter a nickname to keep your progress. Kept for this session.")
    elif why == "locked":
        st.caption(":material/lock: Not saved: the nickname's history is not open (enter its passphrase). "
                   "Kept for this session.")
    else:
        st.caption(":material/cloud_off: Not saved (the database is unavailable); kept for this session.")
    if score.first_choice:
        title = kb.options[score.first_choice].title
        text = {"best": f"First choice **{title}**: the best the engine offers (+{score.first_choice_points}).",
                "acceptable": f"First choice **{title}**: offered, but another option is recommended (no change).",
                "not_offered": f"First choice **{title}**: the engine does not offer it ({score.first_choice_points})."}
        st.markdown(text[score.first_choice_verdict or "acceptable"])
    order = {"unsafe": 0, "missed": 1, "unnecessary": 2, "correct": 3}
    ranked = sorted(score.verdicts.values(), key=lambda v: (order[v.verdict], OPTION_IDS.index(v.option_id)))
    folded = [v for v in ranked if folds_away(v)]
    for verdict in ranked:
        if not folds_away(verdict):
            _verdict_box(tc, assessment, verdict, profile)
    if folded:
        with st.expander(f"{len(folded)} options correctly not offered: they do not apply to this case",
                         icon=":material/check_circle:", key="quiz.folded"):
            for verdict in folded:
                _verdict_box(tc, assessment, verdict, profile, compact=True)
    _checks(tc, assessment, profile)
    what_if(dict(tc.case), assessment, profile, "quiz.whatif")
    st.subheader("Teaching points")
    for point in tc.teaching_points:
        st.markdown(f"- {point.text}  \n  _Sources: {sources_text(point.sources)}_")
    st.subheader("Follow-up question")
    st.markdown(tc.follow_up.question)
    mine = st.session_state.get(MY_ANSWER) or ""
    if mine:
        st.markdown(f"Your answer: _{mine}_")
    st.success(f"{tc.follow_up.answer}  \n_Sources: {sources_text(tc.follow_up.sources)}_",
               icon=":material/lightbulb:")
    st.divider()
    a, b, _ = st.columns([1.6, 1, 1])
    if a.button("Open this case in the consultation", key="quiz.open_consultation", icon=":material/open_in_new:",
                help="Loads the case into the consultation stepper (replaces the current consultation case)."):
        state.load(dict(tc.case))
        st.session_state[state.PROFILE] = profile
        st.switch_page(CONSULTATION_PAGE)
    if b.button("Another case", key="quiz.another", icon=":material/skip_next:"):
        st.session_state.pop(ACTIVE, None)
        st.session_state.pop(RESULT, None)
        st.rerun()


def folds_away(verdict: Any) -> bool:
    """A correct answer for an option that does not apply (not offered, engine: not applicable) folds away."""
    return verdict.verdict == "correct" and verdict.expected == "not_applicable" and not verdict.offered


def unsafe_lines(score: AttemptScore, assessment: Assessment) -> list[str]:
    """One line per unsafe choice: the option, its status, why it is dangerous, and the engine's reason."""
    lines = []
    for verdict in score.of("unsafe"):
        option = assessment.option(verdict.option_id)
        word = STATUS_LABEL[verdict.expected][0].lower()
        lines.append(f"**You offered {option.title}, which is {word} here.** {DANGER_TEXT[verdict.expected]} "
                     f"{one_line_reason(option.rationale)}")
    return lines


def _unsafe_banner(score: AttemptScore, assessment: Assessment) -> None:
    """A red banner for an unsafe choice: why it is dangerous, and the score cap."""
    if not score.unsafe:
        return
    lines = unsafe_lines(score, assessment)
    st.error(f"**Unsafe choice: the score is capped at {UNSAFE_CAP}.**\n\n" + "\n\n".join(lines),
             icon=":material/dangerous:")


def _verdict_box(tc: TeachingCase, assessment: Assessment, verdict: Any, profile: str, compact: bool = False) -> None:
    option = assessment.option(verdict.option_id)
    label, icon, colour = EITHER_LABEL if verdict.either_answer else VERDICT_LABEL[verdict.verdict]
    status_label, status_icon, status_colour = STATUS_LABEL[verdict.expected]
    with st.container(border=True, key=f"quiz.fb.{verdict.option_id}"):
        head, badge = st.columns([4, 1.3])
        head.markdown(f"**{option.title}**")
        badge.badge(label, icon=icon, color=colour)
        you = "offer" if verdict.offered else "do not offer"
        line = st.columns([1.2, 2.8])
        line[0].markdown(f"You: **{you}**")
        known = tc.disagreement(verdict.option_id, profile)
        who = "Expected (spec)" if known is not None and known.engine == option.status else "Engine"
        line[1].badge(f"{who}: {status_label}", icon=status_icon, color=status_colour)
        if verdict.either_answer:
            st.markdown(EITHER_TEXT)
        _disagreement_note(tc, verdict.option_id, profile, option.status)
        st.markdown(option.rationale)
        if option.evidence_note:  # spec 3.10: the evidence note travels with the option, here too
            st.info(f"**Evidence note.** {option.evidence_note}", icon=":material/balance:")
        if option.sources and compact:  # inside the folded list: no expander within an expander
            st.caption(f"Sources: {sources_text(option.sources)}")
        elif option.sources:
            with st.expander(f"Sources: {sources_text(option.sources)}", icon=":material/menu_book:"):
                source_list(option.sources)
        if not compact:  # issue 10 item 4: what decided it, and what would change it
            with st.expander("Why this status, and what would change it", icon=":material/help:"):
                st.markdown(why_markdown(option.decided_by, profile))
                if option.would_change:
                    st.markdown(would_change_markdown(option.would_change))


def _disagreement_note(tc: TeachingCase, item: str, profile: str, engine_status: str) -> None:
    """Say so when the case keeps the spec's answer where the engine differs (``engine_disagreements``)."""
    known = tc.disagreement(item, profile)
    if known is not None and engine_status == known.engine:
        st.caption(f":material/rule: The expected answer follows the clinical spec (section {known.section}); the engine "
                   f"currently says *{STATUS_LABEL[engine_status][0]}*, and its rationale below is the engine's.")


def offered_checks(tc: TeachingCase, profile: str) -> list[str]:
    """The assessments (spec 3.12) this case offers under ``profile`` (recommended or consider), in order."""
    expected = expected_assessment_statuses(tc, profile)
    return [a for a, status in expected.items() if status in ("recommended", "consider")]


def _checks(tc: TeachingCase, assessment: Assessment, profile: str) -> None:
    """The checks that go with the options: listed for learning, not scored."""
    st.subheader("Checks that go with the options")
    st.caption("Not scored: the assessments the case calls for, before or alongside the options.")
    expected = expected_assessment_statuses(tc, profile)
    offered = offered_checks(tc, profile)
    with st.container(border=True, key="quiz.checks"):
        if not offered:
            st.markdown("No check is called for in this case.")
        for check_id in offered:
            check = assessment.assessment(check_id)
            status_label, status_icon, status_colour = STATUS_LABEL[expected[check_id]]
            head, badge = st.columns([4, 1.3])
            head.markdown(f"**{check.title}**")
            badge.badge(status_label, icon=status_icon, color=status_colour)
            _disagreement_note(tc, check_id, profile, check.status)
            st.markdown(check.rationale)


KEPT_WIDGETS: tuple[str, ...] = ("quiz.topics", "quiz.difficulties", "quiz.profile", "quiz.stepwise", "quiz.case_choice")


def quiz() -> None:
    """The whole quiz page body (between page_header and page_footer)."""
    _init()
    for key in KEPT_WIDGETS:  # keep the picker's choices while a case is open (its widgets are not drawn then)
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    cases = teaching_cases()
    st.caption("Teaching mode with invented cases: mark the options you would offer, submit, then compare with the "
               "engine option by option. Unsafe choices cost more than misses (see *How the score works*).")
    nickname, resident = identity("quiz")
    if not nickname:
        st.caption("Without a nickname, attempts are kept for this browser session only.")
    warning_slot = st.empty()
    try:
        _body(cases, nickname, resident)
    finally:
        with warning_slot:
            show_store_warning()


def _body(cases: dict[str, TeachingCase], nickname: str | None, resident: Resident | None) -> None:
    active = st.session_state.get(ACTIVE)
    if active is None or active["case_id"] not in cases:
        picker(cases, nickname, resident)
        return
    tc = cases[active["case_id"]]
    result = st.session_state.get(RESULT)
    if st.button("Back to the case list", key="quiz.back", icon=":material/list:"):
        st.session_state.pop(ACTIVE, None)
        st.session_state.pop(RESULT, None)
        st.rerun()
    submitted = result is not None and result["case_id"] == tc.id
    complete = _case_view(tc, active, submitted)
    if submitted and not st.session_state.get(SHOW_ANSWER):
        _follow_up_first(tc)
    elif submitted:
        _feedback(tc, result, nickname)
    elif complete:
        _options_form(tc, active, nickname, resident)
