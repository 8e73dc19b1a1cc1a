"""The consultation at a glance in a real browser (issue 13): the five cases of the issue at 1440x900 (desktop)
and 820x1180 (portrait tablet), each opened with its shareable link.

For each case and size: the first offered option's title lies within the first screen of the options page; no
sidebar narrows the content; no visible text element of the options page, patient mode (every topic) or the
cervix page is truncated (wider than its box, or cut with an ellipsis; text hidden for screen readers excluded)
and no chart title is clipped. Screenshots go to ``artifacts/screenshots/glance/`` and the first option's y and
the options page's height to ``artifacts/screenshots/glance/metrics.json``. One browser for the module
(pytest-playwright's), one page per test.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from decision import evaluate
from decision.plan import rank_plan
from decision.querystring import read_link
from tools.serve import Server, streamlit

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
FIRST_LOAD = 90_000
SIZES = {"desktop": {"width": 1440, "height": 900}, "tablet": {"width": 820, "height": 1180}}
CASES = {
    "emergency_20w": "ga=20+0&dil=2&cl=15",
    "pprom_19w": "ga=19+0&mem=r&rga=19+0",
    "one_loss_13w": "ga=13+0&loss=1",
    "sptb_short_21w": "ga=21+0&sptb=1&cl=22&serial=16+0:34;18+0:27",
    "prolapse_22w": "ga=22+0&dil=3&os=1&prol=1",
}

# Visible text elements whose content is wider than their box (clipped, or spilling over its neighbours) or cut
# with an ellipsis. Text kept only for screen readers (clipped to 1 px) and chart internals are left out.
TRUNCATED = """(selector) => {
    const root = document.querySelector(selector) || document.body;
    const hiddenForA11y = e => {
        for (let n = e; n && n !== root; n = n.parentElement) {
            const cs = getComputedStyle(n), r = n.getBoundingClientRect();
            if ((cs.position === 'absolute' || cs.position === 'fixed') && (r.width <= 1 || r.height <= 1)) return true;
            if (cs.clip && cs.clip !== 'auto') return true;
            if (cs.clipPath && cs.clipPath.startsWith('inset(50%')) return true;
        }
        return false;
    };
    const ownText = e => [...e.childNodes].some(c => c.nodeType === 3 && c.textContent.trim());
    return [...root.querySelectorAll('*')]
        .filter(e => ownText(e) && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .filter(e => !e.closest('[data-testid=stPlotlyChart], [data-testid=stDataFrame], svg, script, style'))
        .filter(e => getComputedStyle(e).display !== 'inline')
        .filter(e => !hiddenForA11y(e))
        .filter(e => {
            const cs = getComputedStyle(e);
            const wider = e.scrollWidth > e.clientWidth + 1;
            return wider || (cs.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth);
        })
        .map(e => `${e.tagName.toLowerCase()}: ${e.textContent.trim().slice(0, 80)} (${e.scrollWidth} > ${e.clientWidth})`);
}"""

# Chart titles (and every other text of a visible chart) inside the chart's own box.
CHART_TEXT_CLIPPED = """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stPlotlyChart]')]
    .filter(chart => chart.getClientRects().length && chart.offsetParent !== null)
    .flatMap(chart => {
        const box = chart.getBoundingClientRect();
        const titles = [...chart.querySelectorAll('.gtitle')];
        const missing = titles.length ? [] : ['(no title) ' + (chart.getAttribute('aria-label') || '').slice(0, 60)];
        return missing.concat([...chart.querySelectorAll('text')]
            .filter(t => { const r = t.getBoundingClientRect();
                           return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1
                                                  || r.top < box.top - 1); })
            .map(t => t.textContent));
    })"""

METRICS: dict[str, dict] = {}


def first_offered(link: str) -> tuple[str, str]:
    case, _profile, ignored = read_link({k: [v] for k, v in (p.split("=", 1) for p in link.split("&"))})
    assert not ignored, ignored
    item = rank_plan(evaluate(case, "acog"), case)[0]
    return item.id, item.title


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    from tools.serve import ROOT

    path = ROOT / "artifacts" / "screenshots" / "glance"
    path.mkdir(parents=True, exist_ok=True)
    yield path
    (path / "metrics.json").write_text(json.dumps(METRICS, indent=1, sort_keys=True), encoding="utf-8")


def new_page(browser: Browser, server: Server, size: str) -> Page:
    page = browser.new_page(viewport=SIZES[size], base_url=server.url)
    page.set_default_timeout(TIMEOUT)
    return page


def wait_for_charts(page: Page) -> None:
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT)
    charts = main.get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        if charts.nth(i).is_visible():
            expect(charts.nth(i).locator(".gtitle").first).to_be_attached(timeout=TIMEOUT)


def settled(page: Page) -> None:
    """The script run is over (no "running" indicator) and the charts are drawn."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT)
    wait_for_charts(page)


def assert_nothing_cut(page: Page, where: str) -> None:
    settled(page)
    cut = page.evaluate(TRUNCATED, "[data-testid=stMain]")
    assert cut == [], (where, cut)
    # A chart that is being redrawn (its aid just switched) has no title for a moment: look again for up to 5 s;
    # text that is really clipped stays clipped.
    deadline = time.monotonic() + 5
    clipped = page.evaluate(CHART_TEXT_CLIPPED)
    while clipped and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        wait_for_charts(page)
        clipped = page.evaluate(CHART_TEXT_CLIPPED)
    assert clipped == [], (where, clipped)


def assert_full_width(page: Page, size: str) -> None:
    """No sidebar (open or collapsed) takes width from the content."""
    geometry = page.evaluate("""() => {
        const main = document.querySelector('[data-testid=stMain]').getBoundingClientRect();
        const side = document.querySelector('[data-testid=stSidebar]');
        return {left: main.left, width: main.width, sidebar: side ? side.getBoundingClientRect().width : 0,
                inner: window.innerWidth, doc: document.scrollingElement.scrollWidth};
    }""")
    assert geometry["sidebar"] == 0 and geometry["left"] == 0, (size, geometry)
    assert geometry["width"] >= geometry["inner"] - 20, (size, geometry)  # a scroll bar at most
    assert geometry["doc"] <= geometry["inner"] + 1, (size, geometry)  # nothing wider than the screen


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(CASES))
def test_case_at_a_glance(browser: Browser, app_server: Server, folder: Path, name: str, size: str) -> None:
    link = CASES[name]
    option_id, title = first_offered(link)
    page = new_page(browser, app_server, size)
    try:
        # --- the options page, opened with the case's link ---------------------------------------------------
        page.goto(f"/options?{link}")
        expect(page.get_by_role("heading", name="Management options", level=1)).to_be_visible(timeout=FIRST_LOAD)
        row = page.locator(".st-key-plan-options")  # the plan at a glance: one line per offered option
        expect(row).to_contain_text(title)
        settled(page)
        page.get_by_test_id("stMain").evaluate("main => main.scrollTo(0, 0)")
        box = row.locator("strong", has_text=title).first.bounding_box()
        assert box is not None
        height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
        METRICS[f"{name}@{size}"] = {"first_option": option_id, "y": round(box["y"]), "page_height": height}
        assert box["y"] + box["height"] <= SIZES[size]["height"], (name, size, box)  # within the first screen
        assert_full_width(page, size)
        assert_nothing_cut(page, f"options {name} {size}")
        page.screenshot(path=str(folder / f"{name}_{size}_options_first_screen.png"))
        # every visual aid: no chart title clipped
        aids = page.locator(".st-key-opt-aid button")
        for i in range(aids.count()):
            if aids.nth(i).get_attribute("aria-checked") != "true":  # the first is shown already
                aids.nth(i).click()
                expect(aids.nth(i)).to_have_attribute("aria-checked", "true")
            assert_nothing_cut(page, f"options {name} {size} aid {i}")
        # --- patient mode: every topic ---------------------------------------------------------------------
        page.get_by_role("button", name="Show to the patient").click()
        expect(page.get_by_role("button", name="Back to the clinician view")).to_be_visible()
        assert page.get_by_test_id("stSidebar").count() == 0 or page.get_by_test_id("stSidebar").bounding_box() is None
        expect(page.get_by_text("Guideline profile")).to_have_count(0)
        expect(page.get_by_test_id("stDownloadButton")).to_have_count(0)
        assert_full_width(page, size)
        tabs = page.get_by_test_id("stMain").get_by_role("tab")
        for i in range(tabs.count()):
            tabs.nth(i).click()
            expect(tabs.nth(i)).to_have_attribute("aria-selected", "true")
            assert_nothing_cut(page, f"patient {name} {size} topic {i}")
            page.screenshot(path=str(folder / f"{name}_{size}_patient_{i}.png"), full_page=True)
        page.get_by_role("button", name="Back to the clinician view").click()
        expect(page.get_by_role("heading", name="Management options", level=1)).to_be_visible()
        # --- the cervix page ---------------------------------------------------------------------------------
        page.locator(".st-key-steps button", has_text="3. Cervix").click()
        expect(page.get_by_role("heading", name="Cervical findings", level=1)).to_be_visible()
        assert_full_width(page, size)
        assert_nothing_cut(page, f"cervix {name} {size}")
        page.screenshot(path=str(folder / f"{name}_{size}_cervix.png"), full_page=True)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        page.close()


def test_a_deep_link_after_a_restart_runs_under_the_navigation(browser: Browser) -> None:
    """A fresh server whose first visit is a deep link: still the top menu, full width, no file-name sidebar (a
    ``pages/`` folder beside app.py would switch Streamlit to old-style pages: the page files are in ``views/``)."""
    with streamlit() as server:
        page = new_page(browser, server, "tablet")
        try:
            page.goto(f"/options?{CASES['emergency_20w']}")
            expect(page.get_by_role("heading", name="Management options", level=1)).to_be_visible(timeout=FIRST_LOAD)
            expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
            expect(page.locator(".st-key-plan-options")).to_contain_text("Emergency (physical-exam-indicated) cerclage")
            assert_full_width(page, "tablet")
        finally:
            page.close()
