"""The consultation in a real browser (Playwright + Debian Chromium against ``streamlit run app.py``).

Navigation clicks the step indicator or the top menu: ``page.goto`` would start a new Streamlit session and
lose the case. Every wait is an ``expect`` auto-wait on what the page should show. A full screenshot of each
page goes to ``artifacts/screenshots/`` for review.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from decision import knowledge

pytestmark = pytest.mark.browser

# page -> (menu link, page title, the last element the page renders)
PAGES = {
    "dating": ("1. Gestational age", "Gestational age", "Next: History"),
    "history": ("2. History", "History and risk factors", "Next: Cervix"),
    "cervix": ("3. Cervix", "Cervical findings", "Next: Membranes"),
    "membranes": ("4. Membranes & red flags", "Membranes and red flags", "Next: Options"),
    "options": ("5. Options", "Management options", "Back: Membranes"),
    "evidence": ("Evidence", "Evidence and knowledge base", "Seed text"),
}
PPROM_TITLE = "Counseling after previable / periviable rupture of membranes"
TIMEOUT = 30_000
FIRST_LOAD = 90_000  # the first run of a session imports pandas, plotly and the knowledge base


def open_app(page: Page) -> None:
    page.goto("/gestational_age")
    expect(page.get_by_role("heading", name="Gestational age", exact=True, level=1)).to_be_visible(timeout=FIRST_LOAD)
    expect(page.get_by_text("Next: History")).to_be_visible(timeout=TIMEOUT)


STEP_LINKS = {"dating": "1. Dating", "history": "2. History", "cervix": "3. Cervix", "membranes": "4. Membranes",
              "options": "5. Options"}


def menu(page: Page, section: str, link: str) -> None:
    """A page of the top menu: open its section, click its link."""
    page.get_by_test_id("stTopNavSection").filter(has_text=section).click()
    page.get_by_test_id("stTopNavDropdownLink").filter(has_text=link).click()


def go(page: Page, name: str) -> None:
    """Open a page with the step indicator (consultation steps) or the top menu, and wait until it has rendered
    to the end."""
    link, title, last = PAGES[name]
    if name in STEP_LINKS:
        page.locator(".st-key-steps button", has_text=STEP_LINKS[name]).click()
    else:
        menu(page, "Reference", link)
    expect(page.get_by_role("heading", name=title, exact=True, level=1)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("stMain").get_by_text(last).first).to_be_visible(timeout=TIMEOUT)


def sidebar(page: Page) -> Locator:
    """The case so far (under the title: there is no sidebar any more)."""
    return page.locator(".st-key-case_summary")


def enter_number(page: Page, label: str, value: int | float) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")  # commits the value; the caller waits for its effect (the sidebar summary)


def error_alerts(page: Page) -> Locator:
    return page.get_by_test_id("stAlert").filter(has=page.get_by_test_id("stAlertContentError"))


def expect_clean(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(error_alerts(page)).to_have_count(0)


def wait_for_charts(page: Page) -> None:
    """Until every visible Plotly chart is drawn (the chart component loads lazily, behind a skeleton)."""
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT)
    charts = main.get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        if charts.nth(i).is_visible():  # charts on a hidden tab are drawn when the tab opens
            expect(charts.nth(i).locator(".main-svg").first).to_be_attached(timeout=TIMEOUT)
            expect(charts.nth(i).locator(".gtitle").first).to_be_attached(timeout=TIMEOUT)


def snap(page: Page, folder: Path, name: str) -> Path:
    """A screenshot of the whole page: the viewport is made as tall as Streamlit's scrolling main area."""
    wait_for_charts(page)
    size = page.viewport_size or {"width": 1280, "height": 2400}
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    path = folder / f"{name}.png"
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": int(height) + 40})
        wait_for_charts(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def enter_pprom(page: Page, weeks: int = 19, rupture_weeks: int = 19) -> None:
    """GA and rupture GA through the widgets, as a clinician would."""
    open_app(page)
    enter_number(page, "Weeks (4-42)", weeks)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(f"{weeks}+0")
    expect(sidebar(page)).to_contain_text(f"GA {weeks}+0")
    go(page, "membranes")
    page.get_by_test_id("stRadio").get_by_text("Ruptured", exact=True).click()
    enter_number(page, "Rupture: weeks (4-42)", rupture_weeks)
    expect(sidebar(page)).to_contain_text(f"ruptured at {rupture_weeks}+0")


def test_every_page_opens_cleanly_on_an_empty_case(page: Page, screenshots: Path) -> None:
    open_app(page)
    expect_clean(page)
    expect(page.get_by_text("does not replace, clinical judgment")).to_be_visible()
    snap(page, screenshots, "empty_1_dating")
    for number, name in enumerate(["history", "cervix", "membranes", "options", "evidence"], start=2):
        go(page, name)
        expect_clean(page)
        expect(page.get_by_test_id("stMain").get_by_text("does not replace, clinical judgment")).to_be_visible()
        expect(sidebar(page)).to_contain_text("GA not entered")
        snap(page, screenshots, f"empty_{number}_{name}")


def test_pprom_case_entered_through_the_widgets(page: Page, screenshots: Path) -> None:
    enter_pprom(page)
    expect_clean(page)
    snap(page, screenshots, "pprom_4_membranes")
    go(page, "options")
    expect(page.locator(".st-key-plan-options")).to_contain_text(PPROM_TITLE)
    titles = {option.title for option in knowledge().options.values()}
    in_plan = [t for t in page.locator(".st-key-plan-options strong").all_inner_texts() if t in titles]
    assert in_plan[0] == PPROM_TITLE, in_plan  # first in the plan
    counseling = page.locator(".st-key-card-previable_pprom_counseling")
    expect(counseling).to_contain_text("Recommended")
    for option_id in ("history_indicated_cerclage", "ultrasound_indicated_cerclage", "physical_exam_indicated_cerclage"):
        expect(page.locator(f".st-key-card-{option_id}")).to_contain_text("Contraindicated")
    expect(page.get_by_role("heading", name="Contraindicated (3)")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    snap(page, screenshots, "pprom_5_options")
    # The case is still there on the earlier pages (no reload, same session).
    go(page, "dating")
    expect(page.get_by_label("Weeks (4-42)", exact=True)).to_have_value("19")
    go(page, "membranes")
    expect(page.get_by_label("Rupture: weeks (4-42)", exact=True)).to_have_value("19")


def test_patient_mode_has_plain_titles_and_icon_arrays(page: Page, screenshots: Path) -> None:
    enter_pprom(page)
    go(page, "options")
    page.get_by_role("button", name="Show to the patient").click()
    expect(page.get_by_role("button", name="Back to the clinician view")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("stTopNav")).to_have_count(0)  # the menu is hidden in patient mode
    page.get_by_role("tab", name="Your choices").click()
    expect(page.get_by_text("Talking through your choices after the waters broke early").first).to_be_visible()
    page.get_by_role("tab", name="Studies").click()
    icons = page.locator("[class*='st-key-chart-patient-icons-']")
    expect(icons).to_have_count(3)  # UKOSS 2024: born alive, survived to go home, and the mothers' sepsis
    for i in range(3):
        expect(icons.nth(i).locator(".gtitle")).to_contain_text("in 100", timeout=TIMEOUT)
        expect(icons.nth(i).locator(".scatterlayer .point").first).to_be_attached()
    expect(page.get_by_text("babies survived to go home").first).to_be_visible()  # the sentence, as page text
    expect(page.locator(".st-key-card-previable_pprom_counseling")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    snap(page, screenshots, "pprom_patient_mode_studies")
    page.get_by_role("button", name="Back to the clinician view").click()
    expect(page.get_by_role("heading", name="Management options", exact=True, level=1)).to_be_visible()


def test_options_page_fits_a_portrait_tablet(page: Page, screenshots: Path) -> None:
    page.set_viewport_size({"width": 768, "height": 1024})
    open_app(page)
    enter_number(page, "Weeks (4-42)", 20)
    expect(sidebar(page)).to_contain_text("GA 20+0")
    go(page, "cervix")
    enter_number(page, "Dilation (cm, 0-10; empty = not examined)", 2)
    expect(sidebar(page)).to_contain_text("dilation 2 cm")
    go(page, "options")
    expect(page.locator(".st-key-card-physical_exam_indicated_cerclage")).to_contain_text("Consider")
    wait_for_charts(page)
    widths = page.evaluate("""() => {
        const main = document.querySelector('[data-testid=stMain]');
        const block = document.querySelector('[data-testid=stMainBlockContainer]');
        return {doc: document.scrollingElement.scrollWidth, inner: window.innerWidth,
                main: main.scrollWidth, mainClient: main.clientWidth,
                block: block.scrollWidth, blockClient: block.clientWidth};
    }""")
    assert widths["doc"] <= widths["inner"] + 2, widths
    assert widths["main"] <= widths["mainClient"] + 2, widths
    assert widths["block"] <= widths["blockClient"] + 2, widths
    # No label of the profile / compare / patient-view controls cut off ("Co…", "Pati…").
    clipped = page.evaluate("""() => [...document.querySelectorAll(
            '.st-key-opt-profile, .st-key-opt-compare, .st-key-opt-patient_mode')]
        .flatMap(box => [...box.querySelectorAll('p, label, button')])
        .filter(e => e.offsetParent !== null)
        .filter(e => e.scrollWidth > e.clientWidth + 1
                     || e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.textContent.trim())""")
    assert clipped == [], clipped
    # No chart wider than the main block.
    chart_widths = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stPlotlyChart]')]
        .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().right)""")
    assert all(right <= widths["inner"] + 2 for right in chart_widths), (chart_widths, widths)
    snap(page, screenshots, "tablet_5_options")


CHART_TEXT_OUTSIDE = """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stPlotlyChart]')]
    .filter(chart => chart.offsetParent !== null)
    .flatMap(chart => {
        const box = chart.getBoundingClientRect();
        return [...chart.querySelectorAll('text')]
            .filter(t => { const r = t.getBoundingClientRect();
                           return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1); })
            .map(t => t.textContent);
    })"""


def test_tablet_chart_labels_stay_inside_their_charts(page: Page) -> None:
    page.set_viewport_size({"width": 768, "height": 1024})
    open_app(page)
    enter_number(page, "Weeks (4-42)", 20)
    expect(sidebar(page)).to_contain_text("GA 20+0")
    for name in ("dating", "options"):
        go(page, name)
        wait_for_charts(page)
        outside = page.evaluate(CHART_TEXT_OUTSIDE)
        assert outside == [], (name, outside)
