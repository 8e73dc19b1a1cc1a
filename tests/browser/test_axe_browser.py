"""Accessibility in the real browser: axe-core (bundled by axe-playwright-python; nothing is downloaded) on every
page, in the clinician view and in patient mode (every topic), at 1440x900 and 820x1180, with a case loaded by its
link and, on the options page, every disclosure open.

No serious or critical violation may come from the project's own content. A violation whose element lies inside
one of Streamlit's own widgets (:data:`STREAMLIT_WIDGETS`, matched by ``data-testid``) is not ours to fix: it is
listed by rule id, excluded, and counted, and the count is asserted (:data:`EXPECTED_STREAMLIT`), so a new one is
noticed. Version 2 had 41 contrast failures in captions (4.04:1; at these two sizes, on screen) and, in
Streamlit's sidebar menu, ``list`` and ``listitem`` failures on every page; the theme's text colour fixed the
first (4.7:1), the top menu removed the second. The results go to ``artifacts/screenshots/axe.json``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tools.serve import ROOT, Server

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1440, "height": 900}, "tablet": {"width": 820, "height": 1180}}
LINK = "ga=20+0&dil=2&cl=15"  # the emergency-cerclage case: alerts, a plan, checks, charts
PAGES = {  # url path -> its level-1 heading
    "": "Quick case", "gestational_age": "Gestational age", "history": "History and risk factors",
    "cervix": "Cervical findings", "membranes": "Membranes and red flags", "options": "Management options",
    "evidence": "Evidence and knowledge base", "quiz": "Quiz", "progress": "Progress", "batch_audit": "Batch audit",
    "record_integration": "Record integration", "patient": "Your pregnancy at 20 weeks",
}
SEVERE = ("serious", "critical")
# Streamlit's own widgets and chrome (data-testid): their markup is Streamlit's, not the project's.
STREAMLIT_WIDGETS = (
    "stHeader", "stToolbar", "stTopNav", "stSidebar", "stSidebarNav", "stNumberInput", "stTextInput", "stCheckbox",
    "stToggle", "stRadio", "stSelectbox", "stMultiSelect", "stDateInput", "stButtonGroup", "stSegmentedControl",
    "stDataFrame", "stDataEditor", "stFileUploader", "stDownloadButton", "stBaseButton", "stPopover", "stTabs",
    "stPlotlyChart", "stCode", "stTooltipIcon", "stStatusWidget", "stDecoration",
)
# Serious or critical violations inside Streamlit's widgets, by rule id, summed over every run here (see above).
EXPECTED_STREAMLIT: dict[str, int] = {}
FIRST_LOAD = 90_000

OWNER = """([selector, widgets]) => {
    const e = document.querySelector(selector);
    if (!e) return null;
    for (let n = e; n; n = n.parentElement) {
        const id = n.getAttribute && n.getAttribute('data-testid');
        if (id && widgets.includes(id)) return id;
    }
    return '';
}"""

RESULTS: dict[str, object] = {"own": [], "streamlit": Counter(), "runs": 0}


@pytest.fixture(scope="module")
def axe() -> Iterator[Axe]:
    yield Axe()
    out = ROOT / "artifacts" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    (out / "axe.json").write_text(json.dumps({**RESULTS, "streamlit": dict(RESULTS["streamlit"])}, indent=1),
                                  encoding="utf-8")


def run_axe(page: Page, axe: Axe, options: dict | None = None) -> dict:
    """axe-core on the whole page: the viewport is made as tall as Streamlit's scrolling main area first (axe
    leaves the contrast of text scrolled out of view undecided)."""
    size = page.viewport_size or SIZES["desktop"]
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(int(height) + 40, size["height"]), 12_000)})
    page.wait_for_timeout(400)  # the layout follows the new height
    settle(page)
    try:
        return (axe.run(page, options=options) if options else axe.run(page)).response
    finally:
        page.set_viewport_size(size)


def check(page: Page, axe: Axe, where: str) -> tuple[list[str], Counter]:
    """Run axe-core; return the project's own serious/critical violations and Streamlit's, by rule id."""
    response = run_axe(page, axe)
    RESULTS["runs"] = int(RESULTS["runs"]) + 1  # type: ignore[call-overload]
    own: list[str] = []
    theirs: Counter = Counter()
    for violation in response["violations"]:
        if violation["impact"] not in SEVERE:
            continue
        for node in violation["nodes"]:
            target = node["target"][0] if isinstance(node["target"][0], str) else str(node["target"][0])
            owner = page.evaluate(OWNER, [target, list(STREAMLIT_WIDGETS)])
            if owner:
                theirs[violation["id"]] += 1
            else:
                own.append(f"{where}: {violation['id']} ({violation['impact']}) {node['html'][:160]} — "
                           f"{node.get('failureSummary', '')[:200]}")
    RESULTS["own"] += own  # type: ignore[operator]
    RESULTS["streamlit"].update(theirs)  # type: ignore[union-attr]
    return own, theirs


def settle(page: Page) -> None:
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=30_000)


@pytest.mark.parametrize("size", list(SIZES))
def test_no_serious_or_critical_violation_in_our_content(browser: Browser, app_server: Server, axe: Axe,
                                                         size: str) -> None:
    own: list[str] = []
    theirs: Counter = Counter()
    for path, heading in PAGES.items():
        page = browser.new_page(viewport=SIZES[size], base_url=app_server.url)
        try:
            page.goto(f"/{path}?{LINK}")
            expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=FIRST_LOAD)
            settle(page)
            if path == "options":  # every disclosure open: the why, the evidence, the sources
                summaries = page.get_by_test_id("stMain").locator("[data-testid=stExpander] summary")
                for i in range(summaries.count()):  # each is built when opened: a rerun per click
                    summaries.nth(i).click()
                    settle(page)
            found, counted = check(page, axe, f"{path or 'quick'} {size}")
            own += found
            theirs += counted
            if path == "patient":  # every topic
                tabs = page.get_by_test_id("stMain").get_by_role("tab")
                for i in range(1, tabs.count()):
                    tabs.nth(i).click()
                    expect(tabs.nth(i)).to_have_attribute("aria-selected", "true")
                    settle(page)
                    found, counted = check(page, axe, f"patient topic {i} {size}")
                    own += found
                    theirs += counted
        finally:
            page.close()
    assert own == [], "\n".join(own)
    assert dict(theirs) == EXPECTED_STREAMLIT, dict(theirs)


def test_axe_finds_what_it_should(browser: Browser, app_server: Server, axe: Axe) -> None:
    """The check is live: a caption in version 2's text colour (#1E293B at 60%: 4.04:1) is reported as ours."""
    page = browser.new_page(viewport=SIZES["desktop"], base_url=app_server.url)
    try:
        page.goto(f"/evidence?{LINK}")
        expect(page.get_by_role("heading", name=PAGES["evidence"], level=1)).to_be_visible(timeout=FIRST_LOAD)
        settle(page)
        page.add_style_tag(content="[data-testid=stCaptionContainer], [data-testid=stCaptionContainer] * "
                                   "{ color: rgba(30, 41, 59, 0.6) !important; }")
        response = run_axe(page, axe, {"runOnly": ["color-contrast"]})
        assert any(v["id"] == "color-contrast" for v in response["violations"])
    finally:
        page.close()


def test_every_page_of_the_app_is_checked() -> None:
    """The pages checked are exactly the app's (a renamed url path once left two pages unchecked)."""
    paths = set(re.findall(r'url_path="([^"]*)"', (ROOT / "ui" / "nav.py").read_text(encoding="utf-8")))
    assert paths - {"quick_case"} | {""} == set(PAGES), sorted(paths ^ set(PAGES))
