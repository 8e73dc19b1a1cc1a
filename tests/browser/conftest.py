"""Fixtures for the real-browser tests: one Streamlit server per session, Debian Chromium for Playwright.

``playwright install`` is not used: pytest-playwright launches the system Chromium (``tools.serve.CHROMIUM``).
Without it the tests are skipped locally and fail on CI (``CI`` set), so a CI run never passes silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tools.serve import CHROMIUM, CHROMIUM_ARGS, ROOT, Server, streamlit

# expect() waits 5 s by default; a CI machine running a Streamlit server and Chromium on two cores
# can take longer for the first page of a session.
expect.set_options(timeout=30_000)

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 2400}  # tall: Streamlit scrolls inside its own container
PLUGIN_FIXTURES = {"playwright", "browser_type", "browser", "context", "page", "new_context"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the tests that use pytest-playwright's fixtures last.

    The plugin's session-wide Playwright keeps an asyncio loop running in the main thread until the
    session ends, so a test that starts its own ``sync_playwright()`` after it fails with "using
    Playwright Sync API inside the asyncio loop". Such tests (if any) therefore run first; the sort is
    stable, so the order is otherwise unchanged.
    """
    items.sort(key=lambda item: bool(PLUGIN_FIXTURES & set(getattr(item, "fixturenames", ()))))


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (set CHROMIUM_PATH or apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """Override pytest-playwright: launch the system Chromium with the sandbox-free arguments."""
    _require_chromium()
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def app_server() -> Iterator[Server]:
    """``streamlit run app.py`` on a free port, healthy before the first test."""
    _require_chromium()
    with streamlit() as server:
        yield server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, app_server: Server) -> dict:
    return {**browser_context_args, "base_url": app_server.url, "viewport": DESKTOP}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
