"""AppTest of the teaching pages (quiz, progress), the authoring button, the charts and the case draft.

The pages are run directly (``views/7_quiz.py``, ``views/8_progress.py``) and, for the jump to the
consultation, through ``app.py`` (whose navigation has the Teaching section).
Every test points ``CI_DSS_DATABASE_URL`` at its own temporary SQLite file before the app runs.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from residents import PASSPHRASE, history, save
from streamlit.testing.v1 import AppTest

from decision import ASSESSMENT_IDS, OPTION_IDS, evaluate, knowledge
from decision.explain import apply_set, what_if_rows
from decision.teaching import (
    DRAFT_PLACEHOLDER,
    TeachingCaseError,
    draft_case_yaml,
    engine_mismatches,
    expected_assessment_statuses,
    expected_statuses,
    load_all,
    load_case_file,
)
from progress import store
from progress.charts import (
    integer_dtick,
    scores_by_attempt_figure,
    scores_over_time_figure,
    topic_accuracy,
    topic_accuracy_figure,
)
from progress.scoring import SCORING_HELP, score_attempt
from progress.store import ENV_VAR, Attempt
from ui.quiz import DANGER_TEXT, OPTION_THEMES, display_title, title_hints

ROOT = Path(__file__).resolve().parent.parent
QUIZ = str(ROOT / "views" / "7_quiz.py")
PROGRESS = str(ROOT / "views" / "8_progress.py")
APP = str(ROOT / "app.py")
CASES = {tc.id: tc for tc in load_all()}
PPROM = "previable_pprom_19w"
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'var' / 'teaching.sqlite3'}"
    monkeypatch.setenv(ENV_VAR, url)
    yield url
    store.dispose_engines()


@pytest.fixture
def broken_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data directory should be")
    url = f"sqlite:///{blocker / 'var' / 'teaching.sqlite3'}"
    monkeypatch.setenv(ENV_VAR, url)
    yield url
    store.dispose_engines()


@pytest.fixture
def missing_driver(monkeypatch: pytest.MonkeyPatch) -> str:
    """A URL whose driver is not installed (MySQLdb is not a dependency)."""
    url = "mysql+mysqldb://u:p@127.0.0.1/x"
    monkeypatch.setenv(ENV_VAR, url)
    yield url
    store.dispose_engines()


def app(path: str = QUIZ) -> AppTest:
    at = AppTest.from_file(path, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, page: str, nickname: str, passphrase: str | None = PASSPHRASE) -> None:
    """Type the nickname and (unless None) the passphrase on the quiz or progress page."""
    at.text_input(key=f"{page}.nickname").input(nickname).run()
    if passphrase is not None:
        at.text_input(key=f"{page}.passphrase").input(passphrase).run()
    assert not at.exception, at.exception


def start(at: AppTest, case_id: str, nickname: str | None = "owl_r2", stepwise: bool = False,
          passphrase: str | None = PASSPHRASE) -> None:
    if nickname:
        sign_in(at, "quiz", nickname, passphrase)
    at.selectbox(key="quiz.case_choice").select(case_id).run()
    if stepwise:
        at.toggle(key="quiz.stepwise").set_value(True).run()
    at.button(key="quiz.start").click().run()
    assert not at.exception, at.exception


def answer(at: AppTest, offered: set[str], first: str | None = None, feedback: bool = True) -> None:
    """Tick the options and submit; then (``feedback``) pass the follow-up question to the feedback."""
    gen = at.session_state["quiz.generation"]
    for option in OPTION_IDS:
        at.checkbox(key=f"quiz.g{gen}.offer.{option}").set_value(option in offered)
    if first:
        at.selectbox(key=f"quiz.g{gen}.first").select(first)
    at.button(key="quiz.submit").click().run()
    assert not at.exception, at.exception
    if feedback and any(b.key == "quiz.show_feedback" for b in at.button):
        at.button(key="quiz.show_feedback").click().run()
        assert not at.exception, at.exception


def box_sources(box) -> bool:
    """The sources line of a feedback box: an expander, or a caption inside the folded list."""
    return bool(box.expander and box.expander[0].label.startswith("Sources:")) or any(
        str(c.value).startswith("Sources:") for c in box.caption)


def markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def test_quiz_pick_answer_submit_feedback(db_url: str) -> None:
    at = app()
    at.multiselect(key="quiz.topics").select("pprom").run()
    assert PPROM in at.selectbox(key="quiz.case_choice").options or any(
        CASES[PPROM].title in o for o in at.selectbox(key="quiz.case_choice").options)
    start(at, PPROM)
    text = markdown(at)
    for label in ("1. Dating", "2. History", "3. Cervix", "4. Membranes & red flags"):
        assert label in text
    assert "Membranes **ruptured** (at 19+2 weeks)" in text
    assert CASES[PPROM].vignette[:40] in text
    # counseling (recommended) and delivery (consider) offered; expectant management missed; bed rest unsafe
    offered = {"previable_pprom_counseling", "delivery", "trendelenburg_bed_rest"}
    answer(at, offered, first="previable_pprom_counseling", feedback=False)
    # the follow-up question is asked before the feedback that answers it
    assert CASES[PPROM].follow_up.question in markdown(at)
    assert not at.metric and not any(h.value == "Feedback" for h in at.subheader)
    at.text_area(key="quiz.follow_up_answer").input("Counsel on both paths; watch for infection.").run()
    at.button(key="quiz.show_feedback").click().run()
    assert not at.exception
    expected = expected_statuses(CASES[PPROM], "acog")
    result = score_attempt({o: o in offered for o in OPTION_IDS}, "previable_pprom_counseling", expected)
    assert result.unsafe == 1 and result.missed == 1 and result.score == 50
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Score"] == f"{result.score} / 100"
    assert (metrics["Correct"], metrics["Missed"], metrics["Unsafe"], metrics["Unnecessary"]) == ("12", "1", "1", "0")
    assert at.metric[0].help == SCORING_HELP
    assessment = evaluate(CASES[PPROM].case, "acog")
    for option in OPTION_IDS:
        box = at.get_by_key(f"quiz.fb.{option}")
        box_text = "\n".join(str(m.value) for m in box.markdown)
        verdict = result.verdicts[option].verdict
        assert f"{verdict.capitalize()}]" in box_text, (option, verdict)
        assert assessment.option(option).rationale in box_text
        note = assessment.option(option).evidence_note
        if note:  # spec 3.10: the evidence note travels with the option into the quiz feedback
            assert any(note in str(i.value) for i in box.info), option
        if assessment.option(option).sources:
            assert box_sources(box), option
    text = markdown(at)
    for point in CASES[PPROM].teaching_points:
        assert point.text in text
    assert CASES[PPROM].follow_up.question in text
    assert "Counsel on both paths; watch for infection." in text  # the resident's own answer, beside the model one
    assert any(CASES[PPROM].follow_up.answer in s.value for s in at.success)
    assert at.button(key="quiz.open_consultation")
    assert not at.warning
    (saved,) = history("owl_r2")
    assert (saved.case_id, saved.score, saved.unsafe, saved.missed) == (PPROM, result.score, 1, 1)
    assert saved.first_choice == "previable_pprom_counseling"
    assert saved.choices["trendelenburg_bed_rest"] is True


BED_REST_CASE = "prolapsed_membranes_21w"


@pytest.mark.parametrize("offer_bed_rest", [True, False])
def test_bed_rest_either_answer_and_its_evidence_note(db_url: str, offer_bed_rest: bool) -> None:
    """Spec section 6: bed rest to consider is accepted offered or not; the feedback shows its evidence note."""
    tc = CASES[BED_REST_CASE]
    expected = expected_statuses(tc, "acog")
    assert expected["trendelenburg_bed_rest"] == "consider"
    offered = {o for o, s in expected.items() if s in ("recommended", "consider")}
    if not offer_bed_rest:
        offered.discard("trendelenburg_bed_rest")
    at = app()
    start(at, BED_REST_CASE)
    answer(at, offered)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Score"] == "100 / 100" and metrics["Missed"] == "0" and metrics["Unsafe"] == "0"
    box = at.get_by_key("quiz.fb.trendelenburg_bed_rest")
    box_text = "\n".join(str(m.value) for m in box.markdown)
    assert "Either answer]" in box_text
    assert "both accepted" in box_text
    note = knowledge().options["trendelenburg_bed_rest"].evidence_note
    assert note and "Grobman 2013" in note
    assert [i.value for i in box.info] == [f"**Evidence note.** {note}"]
    (saved,) = history("owl_r2")
    assert saved.choices["trendelenburg_bed_rest"] is offer_bed_rest and saved.missed == 0


def test_bed_rest_not_recommended_is_still_unsafe_and_shows_the_note(db_url: str) -> None:
    tc = CASES[PPROM]
    assert expected_statuses(tc, "acog")["trendelenburg_bed_rest"] == "not_recommended"
    at = app()
    start(at, PPROM)
    answer(at, {"previable_pprom_counseling", "delivery", "pprom_expectant_management", "trendelenburg_bed_rest"})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Unsafe"] == "1" and metrics["Score"] == "50 / 100"  # capped: any unsafe choice
    box = at.get_by_key("quiz.fb.trendelenburg_bed_rest")
    assert "Unsafe]" in "\n".join(str(m.value) for m in box.markdown)
    assert any("Evidence note." in str(i.value) for i in box.info)


@pytest.mark.parametrize("case_id", ["pprom_bleeding_30w", "emergency_cerclage_20w", "routine_low_risk_anatomy_scan"])
def test_feedback_lists_the_offered_checks_unscored(db_url: str, case_id: str) -> None:
    tc = CASES[case_id]
    expected = expected_assessment_statuses(tc, "acog")
    offered = [a for a, s in expected.items() if s in ("recommended", "consider")]
    at = app()
    start(at, case_id)
    answer(at, {o for o, s in expected_statuses(tc, "acog").items() if s in ("recommended", "consider")})
    assert {m.label: m.value for m in at.metric}["Score"] == "100 / 100"
    assert any(h.value == "Checks that go with the options" for h in at.subheader)
    assert any("Not scored" in str(c.value) for c in at.caption)
    box_text = "\n".join(str(m.value) for m in at.get_by_key("quiz.checks").markdown)
    titles = {a.id: a.title for a in knowledge().assessments.values()}
    assessment = evaluate(tc.case, "acog")
    for check in ASSESSMENT_IDS:
        shown = f"**{titles[check]}**" in box_text
        assert shown is (check in offered), check
        if shown:
            assert assessment.assessment(check).rationale in box_text
    if not offered:
        assert "No check is called for in this case." in box_text
    assert not at.checkbox, "checks are not answered (not scored)"


def test_score_help_text_is_on_the_page(db_url: str) -> None:
    at = app()
    start(at, PPROM)
    assert any(SCORING_HELP in str(m.value) for m in at.markdown)
    assert at.button(key="quiz.submit").help == SCORING_HELP


def test_step_by_step_reveal(db_url: str) -> None:
    at = app()
    start(at, "emergency_cerclage_20w", stepwise=True)
    text = markdown(at)
    assert "1. Dating" in text and "2. History" not in text
    assert CASES["emergency_cerclage_20w"].vignette[:40] not in text
    assert not at.checkbox
    for step in ("2. History", "3. Cervix", "4. Membranes & red flags"):
        assert step in at.button(key="quiz.reveal").label
        at.button(key="quiz.reveal").click().run()
        assert step in markdown(at)
    assert CASES["emergency_cerclage_20w"].vignette[:40] in markdown(at)
    assert len(at.checkbox) == len(OPTION_IDS)
    answer(at, {"physical_exam_indicated_cerclage", "periviable_birth_counseling"},
           first="physical_exam_indicated_cerclage")
    assert {m.label: m.value for m in at.metric}["Score"] == "100 / 100"


def test_random_picks_a_case_not_yet_attempted(db_url: str) -> None:
    twins = sorted(cid for cid, tc in CASES.items() if tc.topic == "multiples")
    assert len(twins) >= 2
    for cid in twins[:-1]:
        tc = CASES[cid]
        save(Attempt("owl_r2", cid, tc.topic, tc.difficulty, "acog", 50, 9, 2, 1))
    for _ in range(3):
        at = app()
        sign_in(at, "quiz", "owl_r2")
        at.multiselect(key="quiz.topics").select("multiples").run()
        assert "✓" in at.selectbox(key="quiz.case_choice").format_func(twins[0])
        at.button(key="quiz.random").click().run()
        assert at.session_state["quiz.active"]["case_id"] == twins[-1]


def test_first_choice_must_be_offered(db_url: str) -> None:
    at = app()
    start(at, PPROM)
    answer(at, {"previable_pprom_counseling"}, first="delivery")
    assert any("first choice" in e.value for e in at.error)
    assert not at.metric
    assert history("owl_r2") == []


def test_invalid_nickname_is_refused_and_nothing_saved(db_url: str) -> None:
    at = app()
    at.text_input(key="quiz.nickname").input("jane.doe@example.org").run()
    assert any("e-mail" in e.value for e in at.error)
    start(at, PPROM, nickname=None)
    answer(at, {"previable_pprom_counseling"})
    assert at.metric
    assert any("Not saved" in c.value for c in at.caption)
    assert len(at.session_state["quiz.session_attempts"]) == 1
    assert history("jane") == []


def test_unwritable_database_still_gives_feedback_with_one_warning(broken_db: str) -> None:
    at = app()
    start(at, PPROM)
    answer(at, {"previable_pprom_counseling", "delivery", "pprom_expectant_management"})
    assert {m.label: m.value for m in at.metric}["Score"] == "100 / 100"
    assert len(at.warning) == 1
    assert "cannot be opened for writing" in at.warning[0].value
    assert "not saved" in at.warning[0].value
    (kept,) = at.session_state["quiz.session_attempts"]
    assert kept.score == 100 and kept.id is None and kept.created_at is not None
    assert any(CASES[PPROM].teaching_points[0].text in str(m.value) for m in at.markdown)


def test_corrupt_database_still_gives_feedback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "teaching.sqlite3"
    bad.write_bytes(b"\x13garbage bytes, not SQLite" * 200)
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{bad}")
    try:
        at = app()
        start(at, PPROM)
        answer(at, {"previable_pprom_counseling"})
        assert at.metric
        assert len(at.warning) == 1 and "damaged" in at.warning[0].value
    finally:
        store.dispose_engines()


def test_quiz_with_a_missing_database_driver_still_scores_and_says_not_saved(missing_driver: str) -> None:
    """Finding 3 of issue 14: the quiz broke once a nickname was typed (ModuleNotFoundError)."""
    with pytest.raises(ImportError):
        __import__("MySQLdb")  # the premise: the driver really is missing
    at = app()
    start(at, PPROM, nickname="owl_r2")
    answer(at, {"previable_pprom_counseling", "delivery", "pprom_expectant_management"})
    assert {m.label: m.value for m in at.metric}["Score"] == "100 / 100"
    assert len(at.warning) == 1
    warning = at.warning[0].value
    assert "driver (MySQLdb) is not installed" in warning and "not saved" in warning
    assert "127.0.0.1" not in warning and ":p@" not in warning
    assert any("Not saved (the database is unavailable)" in str(c.value) for c in at.caption)
    (kept,) = at.session_state["quiz.session_attempts"]
    assert kept.score == 100 and kept.id is None


def test_progress_with_a_missing_database_driver_shows_this_sessions_attempts(missing_driver: str) -> None:
    at = AppTest.from_file(PROGRESS, default_timeout=60)
    at.session_state["quiz.session_attempts"] = [
        Attempt("owl_r2", PPROM, "pprom", "intermediate", "acog", 75, 10, 1, 0, 1, created_at=datetime.now(UTC))]
    at.run()
    sign_in(at, "progress", "owl_r2")
    assert not at.exception, at.exception
    assert len(at.warning) == 1 and "is not installed" in at.warning[0].value
    assert "127.0.0.1" not in at.warning[0].value
    assert any("this browser session's attempts only" in str(c.value) for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Attempts"] == "1"


def test_another_case_keeps_filters(db_url: str) -> None:
    at = app()
    at.multiselect(key="quiz.topics").select("pprom").run()
    start(at, PPROM)
    answer(at, {"previable_pprom_counseling"})
    at.button(key="quiz.another").click().run()
    assert at.multiselect(key="quiz.topics").value == ["pprom"]
    assert "✓" in at.selectbox(key="quiz.case_choice").format_func(PPROM)


def test_open_case_in_consultation(db_url: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/7_quiz.py").run()
    assert [t.value for t in at.title] == ["Quiz"]
    start(at, "emergency_cerclage_20w")
    answer(at, {"physical_exam_indicated_cerclage"})
    at.button(key="quiz.open_consultation").click().run()
    assert at.session_state["ci.case"] == CASES["emergency_cerclage_20w"].case
    assert at.session_state["ci.profile"] == "acog"
    assert [t.value for t in at.title] == ["Gestational age"]


# --- teaching fixes (issue 13): order, unsafe banner, folding, neutral titles, themes --------------


def test_follow_up_question_comes_before_the_feedback(db_url: str) -> None:
    tc = CASES["emergency_cerclage_20w"]
    at = app()
    start(at, tc.id)
    answer(at, {"physical_exam_indicated_cerclage", "periviable_birth_counseling"}, feedback=False)
    subheaders = [h.value for h in at.subheader]
    assert "Before the feedback: a follow-up question" in subheaders and "Feedback" not in subheaders
    assert tc.follow_up.question in markdown(at)
    assert not at.metric and not at.success and not at.error
    assert history("owl_r2")  # saved at submission
    at.button(key="quiz.show_feedback").click().run()
    subheaders = [h.value for h in at.subheader]
    assert "Feedback" in subheaders
    assert subheaders.index("Feedback") < subheaders.index("Follow-up question")
    assert any(tc.follow_up.answer in s.value for s in at.success)


@pytest.mark.parametrize(("case_id", "unsafe_option", "word"), [
    ("previable_pprom_19w", "physical_exam_indicated_cerclage", "contraindicated"),
    ("fetal_demise_20w", "physical_exam_indicated_cerclage", None),
])
def test_unsafe_choice_red_banner_and_score_capped_at_50(db_url: str, case_id: str, unsafe_option: str,
                                                         word: str | None) -> None:
    tc = CASES[case_id]
    expected = expected_statuses(tc, "acog")
    assert expected[unsafe_option] in ("contraindicated", "not_recommended")
    offered = {o for o, s in expected.items() if s in ("recommended", "consider")} | {unsafe_option}
    at = app()
    start(at, case_id)
    answer(at, offered)
    assert {m.label: m.value for m in at.metric}["Score"] == "50 / 100"  # 75 before the cap
    (banner,) = at.error
    title = knowledge().options[unsafe_option].title
    assert "Unsafe choice: the score is capped at 50" in banner.value
    assert f"You offered {title}, which is {word or expected[unsafe_option].replace('_', ' ')} here" in banner.value
    assert DANGER_TEXT[expected[unsafe_option]] in banner.value
    assert banner.proto.icon == ":material/dangerous:"
    (saved,) = history("owl_r2")
    assert saved.score == 50 and saved.unsafe == 1


def test_no_banner_without_an_unsafe_choice(db_url: str) -> None:
    at = app()
    start(at, PPROM)
    answer(at, {"previable_pprom_counseling", "delivery", "pprom_expectant_management"})
    assert not at.error


def test_correct_not_applicable_answers_fold_away(db_url: str) -> None:
    tc = CASES[PPROM]
    expected = expected_statuses(tc, "acog")
    offered = {o for o, s in expected.items() if s in ("recommended", "consider")} | {"routine_prenatal_care"}
    at = app()
    start(at, PPROM)
    answer(at, offered)
    folds = [o for o, s in expected.items() if s == "not_applicable" and o not in offered]
    assert folds and expected["routine_prenatal_care"] == "not_applicable"
    folded = at.get_by_key("quiz.folded")
    assert folded.label.startswith(f"{len(folds)} options correctly not offered")
    folded_text = "\n".join(str(m.value) for m in folded.markdown)
    for option in folds:
        assert f"**{knowledge().options[option].title}**" in folded_text
    # the unnecessary one (offered although not applicable) and the offered ones stay open
    for option in ("routine_prenatal_care", "previable_pprom_counseling"):
        assert f"**{knowledge().options[option].title}**" not in folded_text


def test_case_titles_are_neutral_until_submitted() -> None:
    for number, cid in enumerate(sorted(CASES), start=1):
        tc = CASES[cid]
        before = display_title(tc, number)
        # the title when it names no answer; otherwise a number and the topic (shown as a badge anyway)
        assert (before == tc.title and not title_hints(tc.title)) or before == f"Case {number} · {tc.topic}", cid
        assert display_title(tc, number, submitted=True) == tc.title
    hinting = [cid for cid in sorted(CASES) if title_hints(CASES[cid].title)]
    assert "routine_booking_no_risk_12w" in hinting  # "... is a preventive stitch needed?"


def test_a_hinting_title_shows_a_neutral_label_in_the_quiz(db_url: str) -> None:
    cid = "routine_booking_no_risk_12w"
    tc = CASES[cid]
    number = sorted(CASES).index(cid) + 1
    at = app()
    assert f"Case {number} · {tc.topic}" in at.selectbox(key="quiz.case_choice").format_func(cid)
    assert tc.title not in at.selectbox(key="quiz.case_choice").format_func(cid)
    start(at, cid)
    assert next(h.value for h in at.subheader) == f"Case {number} · {tc.topic}"
    answer(at, {o for o, s in expected_statuses(tc, "acog").items() if s in ("recommended", "consider")})
    assert tc.title in [h.value for h in at.subheader]


def test_answer_boxes_grouped_by_theme(db_url: str) -> None:
    grouped = [o for _theme, options in OPTION_THEMES for o in options]
    assert sorted(grouped) == sorted(OPTION_IDS) and len(grouped) == len(OPTION_IDS)
    at = app()
    start(at, PPROM)
    text = markdown(at)
    for theme, _options in OPTION_THEMES:
        assert f"**{theme}**" in text
    assert len(at.checkbox) == len(OPTION_IDS)


# --- progress page --------------------------------------------------------------------------------


def seed_attempts(nickname: str = "owl_r2") -> list[Attempt]:
    t0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    rows = [("previable_pprom_19w", 60, 1), ("twins_dilation_19w", 85, 0), ("emergency_cerclage_20w", 100, 0)]
    out = []
    for i, (cid, score, unsafe) in enumerate(rows):
        tc = CASES[cid]
        out.append(save(Attempt(nickname, cid, tc.topic, tc.difficulty, "acog", score, 12 - unsafe - 1,
                                1, unsafe, created_at=t0 + timedelta(days=i))))
    return out


def test_progress_page_shows_charts_and_csv(db_url: str) -> None:
    seed_attempts()
    at = app(PROGRESS)
    assert not at.get("plotly_chart")
    sign_in(at, "progress", "owl_r2")
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    specs = [json.loads(c.proto.spec) for c in charts]
    assert specs[0]["layout"]["title"]["text"].startswith("Quiz scores by attempt")
    assert specs[0]["layout"]["yaxis"]["title"]["text"] == "Score (points out of 100)"
    assert specs[0]["layout"]["xaxis"]["title"]["text"] == "Attempt (1 = first)"  # not a date axis
    assert specs[0]["data"][0]["x"] == [1, 2, 3]
    assert specs[1]["layout"]["title"]["text"] == "Accuracy per topic"
    assert "%" in specs[1]["layout"]["xaxis"]["title"]["text"]
    assert all(c.proto.alt for c in charts)
    assert any("3 quiz score(s)" in str(c.value) for c in at.caption)
    download = at.download_button(key="progress.csv")
    assert download.label.startswith("Download")
    assert download.proto.url.endswith(".csv")
    assert {m.label: m.value for m in at.metric}["Attempts"] == "3"


def test_progress_page_without_attempts(db_url: str) -> None:
    at = app(PROGRESS)
    sign_in(at, "progress", "new_resident")
    assert any("No attempts yet" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_progress_page_with_unavailable_database_shows_session_attempts(broken_db: str) -> None:
    at = AppTest.from_file(PROGRESS, default_timeout=60)
    at.session_state["quiz.session_attempts"] = [
        Attempt("owl_r2", PPROM, "pprom", "intermediate", "acog", 75, 10, 1, 0, 1, created_at=datetime.now(UTC))]
    at.session_state["teach.nickname"] = "owl_r2"
    at.run()
    at.text_input(key="progress.passphrase").input(PASSPHRASE).run()
    assert not at.exception
    assert len(at.warning) == 1
    assert len(at.get("plotly_chart")) == 2
    assert at.download_button(key="progress.csv")


# --- privacy (finding 5 of issue 14) ----------------------------------------------------------------


def _all_text(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "error", "warning", "success", "metric")
             for e in getattr(at, kind)]
    return "\n".join(parts) + "\n".join(json.dumps(json.loads(c.proto.spec)) for c in at.get("plotly_chart"))


def test_a_second_session_with_the_same_nickname_and_a_wrong_passphrase_sees_nothing(db_url: str) -> None:
    owner = app()
    start(owner, PPROM, nickname="owl_r2", passphrase="owl's own passphrase")
    answer(owner, {"previable_pprom_counseling", "delivery", "pprom_expectant_management"})
    assert any("Saved to the progress of" in str(c.value) for c in owner.caption)

    other = app(PROGRESS)  # another browser session
    sign_in(other, "progress", "owl_r2", "a guessed passphrase")
    assert any("does not open the history" in e.value for e in other.error)
    assert not other.metric and not other.get("plotly_chart") and not other.dataframe
    with pytest.raises(KeyError):
        other.download_button(key="progress.csv")
    assert PPROM not in _all_text(other) and CASES[PPROM].topic not in _all_text(other)

    quiz = app()  # nor on the quiz page: no ✓ from the owner's history, and nothing added to it
    sign_in(quiz, "quiz", "owl_r2", "a guessed passphrase")
    assert "✓" not in quiz.selectbox(key="quiz.case_choice").format_func(PPROM)
    start(quiz, PPROM, nickname=None)
    answer(quiz, {"previable_pprom_counseling"})
    assert any("Not saved: the nickname's history is not open" in str(c.value) for c in quiz.caption)
    assert [a.score for a in store.attempts_for(store.unlock("owl_r2", "owl's own passphrase"))] == [100]


def test_without_a_passphrase_the_progress_page_shows_nothing_saved(db_url: str) -> None:
    seed_attempts()
    at = app(PROGRESS)
    sign_in(at, "progress", "owl_r2", passphrase=None)
    assert any("Enter your passphrase" in str(c.value) for c in at.caption)
    assert not at.metric and not at.get("plotly_chart")


# --- charts -------------------------------------------------------------------------------------------


def test_charts_use_okabe_ito_and_carry_alt_text(db_url: str) -> None:
    attempts = seed_attempts()
    fig = scores_over_time_figure(attempts)
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    colours = {t.marker.color for t in fig.data}
    assert colours <= OKABE_ITO
    assert "3 quiz score(s)" in fig.layout.meta["alt"] and "1 attempt(s) included an unsafe choice" in fig.layout.meta["alt"]
    bars = topic_accuracy_figure(attempts)
    assert {t.marker.color for t in bars.data} <= OKABE_ITO
    assert "pprom" in bars.layout.meta["alt"]
    rows = {r.topic: r for r in topic_accuracy(attempts)}
    assert rows["pprom"].correct == 10 and rows["pprom"].judged == 12
    assert round(rows["pprom"].percent) == 83
    assert "no attempts yet" in scores_over_time_figure([]).layout.meta["alt"]


def test_progress_chart_by_attempt_number_with_unsafe_attempts_marked() -> None:
    """Issue 13: nine attempts in one sitting were one vertical smear on a date axis."""
    t0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    attempts = [Attempt("owl_r2", PPROM, "pprom", "intermediate", "acog", score, 12, 1, unsafe,
                        created_at=t0 + timedelta(minutes=3 * i))
                for i, (score, unsafe) in enumerate([(50, 1), (80, 0), (90, 0), (50, 2), (100, 0), (95, 0), (40, 1),
                                                     (100, 0), (100, 0)])]
    fig = scores_by_attempt_figure(list(reversed(attempts)))  # any order in, by time out
    line, crosses = fig.data
    assert list(line.x) == list(range(1, 10)) and list(line.y) == [50, 80, 90, 50, 100, 95, 40, 100, 100]
    assert list(crosses.x) == [1, 4, 7] and crosses.visible is True
    axis = fig.layout.xaxis
    assert axis.type != "date" and axis.dtick == 1 and axis.tickformat == "d"
    assert "attempts 1, 4, 7" in fig.layout.meta["alt"]
    assert integer_dtick(9) == 1 and integer_dtick(40) == 5 and integer_dtick(3) == 1


# --- authoring ------------------------------------------------------------------------------------------


def fill_placeholders(draft: str) -> str:
    filled = "A 30-year-old G2P1 seen in clinic; the findings are those of the structured case, written by faculty."
    return re.sub(r'"' + DRAFT_PLACEHOLDER + r':[^"]*"', json.dumps(filled), draft)


@pytest.mark.parametrize("case_id", ["emergency_cerclage_20w", "previable_pprom_19w", "three_preterm_births_profiles_13w",
                                     "twins_short_cervix_20w", "cerclage_pprom_infection_23w"])
def test_draft_case_yaml_loads_back_once_filled(tmp_path: Path, case_id: str) -> None:
    source = CASES[case_id]
    draft = draft_case_yaml(dict(source.case), "draft_case")
    assert draft.count(DRAFT_PLACEHOLDER) >= 6
    unfilled = tmp_path / "draft_case.yaml"
    unfilled.write_text(draft, encoding="utf-8")
    with pytest.raises(TeachingCaseError, match="vignette"):
        load_case_file(unfilled)
    path = tmp_path / "filled" / "draft_case.yaml"
    path.parent.mkdir()
    path.write_text(fill_placeholders(draft), encoding="utf-8")
    tc = load_case_file(path)
    assert f'"{DRAFT_PLACEHOLDER}:' not in path.read_text(encoding="utf-8")
    assert tc.id == "draft_case" and tc.case == source.case
    for profile in ("acog", "rcog"):  # the draft holds the engine's answers; the source case the spec's
        engine = {o: (d.engine if (d := source.disagreement(o, profile)) else s)
                  for o, s in expected_statuses(source, profile).items()}
        assert expected_statuses(tc, profile) == engine
        assert expected_assessment_statuses(tc, profile) == expected_assessment_statuses(source, profile)
    assert engine_mismatches(tc) == []
    if not source.engine_disagreements:
        assert yaml.safe_load(draft)["expected"]["rcog"] == dict(source.expected.rcog)
    assert yaml.safe_load(draft)["expected_assessments"]["rcog"] == dict(source.expected_assessments.rcog)


def test_draft_case_yaml_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="snake_case"):
        draft_case_yaml({"gestational_age": {"weeks": 20}}, "Bad Id")
    from decision import CaseValidationError

    with pytest.raises(CaseValidationError):
        draft_case_yaml({"gestational_age": {"weeks": 99}})


def _authoring_app() -> None:
    import streamlit as st

    from ui.authoring import teaching_case_download

    teaching_case_download(st.session_state["test.case"])


def test_teaching_case_download_button() -> None:
    at = AppTest.from_function(_authoring_app, default_timeout=60)
    at.session_state["test.case"] = dict(CASES["emergency_cerclage_20w"].case)
    at.run()
    assert not at.exception
    button = at.download_button(key="dl.teaching_case")
    assert button.label == "Download the teaching-case draft (YAML)"
    assert button.proto.deferred_file_id, "the draft is built only when clicked (deferred download)"
    assert at.text_input(key="authoring.case_id").value == "new_case_20w"
    at.text_input(key="authoring.case_id").input("Not Snake").run()
    assert at.error and not at.download_button
    at.session_state["test.case"] = {}
    at.text_input(key="authoring.case_id").input("x_1").run()
    assert not at.download_button
    assert any("gestational age" in c.value for c in at.caption)


def test_feedback_explains_each_option_and_the_what_if_compares_side_by_side(db_url: str) -> None:
    """Issue 10 item 4: after an answer, why and what would change it per option; a 'what if' control
    applies one of the engine's edits and shows the assessment with the change beside the case's."""
    at = app()
    start(at, "emergency_cerclage_20w")
    answer(at, {"physical_exam_indicated_cerclage"})
    why = [e for e in at.expander if e.label == "Why this status, and what would change it"]
    assert why  # one per option not folded away (correct not-applicable answers fold to one list)
    text = "\n".join(str(m.value) for e in why for m in e.markdown)
    assert "dilation 2 cm" in text and "4 cm" in text
    pick = at.selectbox(key="quiz.whatif.pick")
    change = next(o for o in pick.options if o.startswith("dilation above 4 cm"))
    pick.select(change).run()
    assert not at.exception, at.exception
    box = at.get_by_key("quiz.whatif.result")
    shown = "\n".join(str(m.value) for m in box.markdown)
    assert "Emergency (physical-exam-indicated) cerclage" in shown
    # the side-by-side rows are exactly the statuses the engine changes with that edit
    before = evaluate(CASES["emergency_cerclage_20w"].case, "acog")
    edit = next(w["set"] for w in before.option("physical_exam_indicated_cerclage").would_change
                if w["change"].startswith("dilation above 4 cm"))
    after = evaluate(apply_set(CASES["emergency_cerclage_20w"].case, edit), "acog")
    rows = what_if_rows(before, after)
    assert ("physical_exam_indicated_cerclage", "consider", "not_recommended") in [(r[0], r[2], r[3]) for r in rows]
    for _id, title, _old, _new in rows:
        assert title in shown
