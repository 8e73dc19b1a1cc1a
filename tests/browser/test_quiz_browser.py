"""Real browser (Debian Chromium through pytest-playwright): one quiz case from the sidebar link to the feedback.

Runs its own server (``tools.serve.streamlit``) with ``CI_DSS_DATABASE_URL`` on a temporary SQLite file,
against app.py (the Teaching section of its navigation).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from decision import OPTION_IDS, knowledge
from decision.teaching import CASES_DIR, expected_statuses, load_case_file
from progress import store
from tools.serve import streamlit

pytestmark = pytest.mark.browser

CASE_ID = "previable_pprom_19w"
NICKNAME = "owl_browser"
PASSPHRASE = "browser passphrase"
TIMEOUT_MS = 30_000


def app_script() -> str:
    """The real app: the quiz is registered in app.py's Teaching section."""
    return "app.py"


def test_quiz_case_from_start_to_feedback(tmp_path: Path, browser: Browser) -> None:
    """Menu link "Quiz", nickname and passphrase, pick a case, reveal the steps, answer, submit, feedback, saved."""

    url = f"sqlite:///{tmp_path / 'var' / 'teaching.sqlite3'}"
    tc = load_case_file(CASES_DIR / f"{CASE_ID}.yaml")
    expected = expected_statuses(tc, "acog")
    offered = [o for o in OPTION_IDS if expected[o] in ("recommended", "consider")]
    titles = {o: knowledge().options[o].title for o in OPTION_IDS}
    with streamlit(app_script(), env={store.ENV_VAR: url}) as server:
        page = browser.new_page(viewport={"width": 1366, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(server.url)
        expect(page.get_by_role("heading", name="Quick case", exact=True)).to_be_visible()  # app loaded
        page.get_by_test_id("stTopNavSection").filter(has_text="Teaching").click()  # the top menu
        page.get_by_test_id("stTopNavDropdownLink").filter(has_text="Quiz").click()
        expect(page.get_by_role("heading", name="Quiz", exact=True)).to_be_visible()

        nickname = page.get_by_role("textbox", name="Your nickname")
        nickname.fill(NICKNAME)
        nickname.press("Enter")
        passphrase = page.locator("input[type=password]")  # the field (its label also names the show button)
        passphrase.fill(PASSPHRASE)
        passphrase.press("Enter")
        expect(page.get_by_text(f"The history of {NICKNAME} is open in this browser session")).to_be_visible()
        expect(page.get_by_text(f"already attempted by {NICKNAME}", exact=False)).to_be_visible()

        case_box = page.get_by_role("combobox", name="Case", exact=True)
        case_box.click()
        case_box.fill(tc.title)
        page.get_by_role("option", name=re.compile(re.escape(tc.title))).click()
        expect(case_box).to_have_value(re.compile(re.escape(tc.title)))
        page.get_by_text("Reveal the findings one step at a time", exact=True).click()
        page.get_by_role("button", name="Start this case").click()

        expect(page.get_by_text("1. Dating")).to_be_visible()
        for step in ("2. History", "3. Cervix", "4. Membranes & red flags"):
            page.get_by_role("button", name=f"Reveal the next step: {step}").click()
            expect(page.get_by_text(step, exact=True)).to_be_visible()
        expect(page.get_by_text("Membranes ruptured (at 19+2 weeks).")).to_be_visible()

        for option in offered:
            page.get_by_text(f"Offer: {titles[option]}", exact=True).click()
        for option in offered:
            expect(page.get_by_role("checkbox", name=f"Offer: {titles[option]}")).to_be_checked()
        page.get_by_role("button", name="Submit answers").click()

        # the follow-up question comes before the feedback that answers it
        expect(page.get_by_role("heading", name="Before the feedback: a follow-up question")).to_be_visible()
        expect(page.get_by_text(tc.follow_up.question)).to_be_visible()
        expect(page.get_by_role("heading", name="Feedback", exact=True)).to_have_count(0)
        page.get_by_role("textbox", name="Your answer (optional; not scored or saved)").fill("Counsel on both paths.")
        page.get_by_role("button", name="Show the feedback").click()

        expect(page.get_by_role("heading", name="Feedback", exact=True)).to_be_visible()
        expect(page.get_by_test_id("stMetric").filter(has_text="Score")).to_contain_text("100 / 100")
        expect(page.get_by_text(f"Saved to the progress of {NICKNAME}")).to_be_visible()
        expect(page.get_by_text(tc.teaching_points[0].text[:60])).to_be_visible()
        expect(page.get_by_text(tc.follow_up.question)).to_be_visible()
        expect(page.get_by_text(tc.follow_up.answer[:50])).to_be_visible()
        expect(page.get_by_text("options correctly not offered")).to_be_visible()  # the not-applicable ones fold away
        expect(page.get_by_role("button", name="Open this case in the consultation")).to_be_visible()
        page.close()

    engine = store.make_engine(url)
    try:
        (saved,) = store.attempts_for(store.unlock(NICKNAME, PASSPHRASE, engine=engine), engine=engine)
        assert (saved.case_id, saved.score, saved.missed, saved.unsafe) == (CASE_ID, 100, 0, 0)
    finally:
        engine.dispose()
