"""Batch audit in a real browser: upload a small CSV with a bad row through the page's file input."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tools import serve

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
CSV = (
    "ga_weeks,ga_days,length_mm,membranes_status,vaginal_bleeding\n"
    "20,1,18,,\n"
    "21,0,90,,\n"  # bad: cervical length out of range
    "22,0,,ruptured,true\n"
)


def _entry_point() -> Path:
    """The real app (the batch page is in its Reference section)."""
    return serve.ROOT / "app.py"


@pytest.fixture(scope="module")
def chromium():
    if not Path(serve.CHROMIUM).exists():
        message = f"Chromium not found at {serve.CHROMIUM}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=serve.CHROMIUM, args=serve.CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_upload_with_a_bad_row_shows_the_reason_and_the_results_download(chromium, tmp_path):
    from playwright.sync_api import expect

    upload = tmp_path / "clinic.csv"
    upload.write_text(CSV, encoding="utf-8")
    with serve.streamlit(_entry_point()) as server:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        page.goto(server.url)
        expect(page.get_by_role("heading", name="Quick case", exact=True)).to_be_visible()  # app loaded
        page.get_by_test_id("stTopNavSection").filter(has_text="Reference").click()  # the top menu
        page.get_by_test_id("stTopNavDropdownLink").filter(has_text="Batch audit").click()
        expect(page).to_have_url(re.compile(r"/batch"))
        expect(page.get_by_role("heading", name="Batch audit")).to_be_visible()
        expect(page.get_by_text("up to 25 MiB and 200,000 rows").first).to_be_visible()

        page.locator(".st-key-batch-upload input[type=file]").set_input_files(str(upload))

        expect(page.get_by_text("With errors", exact=True)).to_be_visible()
        expect(page.get_by_test_id("stMetricValue")).to_have_text(["3", "2", "1"])
        # the error row and its reason, in the errors table (a canvas grid: read the cells it mirrors for screen readers)
        errors = page.locator(".st-key-batch-error_rows").get_by_test_id("stDataFrame")
        expect(errors).to_be_visible()
        expect(errors.locator("td[role=gridcell][aria-colindex='1']")).to_have_text(["2"])
        expect(errors.locator("td[role=gridcell][aria-colindex='3']")).to_have_text(
            [re.compile(r"^length_mm: must be a number from 0 to 80 mm \(got 90(\.0)?\)$")])
        download = page.locator(".st-key-batch-results").get_by_role("button", name="Download the results (CSV)")
        expect(download).to_be_visible()
        with page.expect_download() as event:
            download.click()
        saved = tmp_path / "results.csv"
        event.value.save_as(saved)
        lines = saved.read_text(encoding="utf-8").splitlines()
        # the page's results echo the key inputs, then one status per option and assessment, alerts, errors
        assert lines[0].startswith("row,ga,length_mm,dilation_cm,membranes_status,flags,routine_prenatal_care,")
        assert lines[0].endswith(",vte_assessment,alerts,errors")
        assert len(lines) == 4
        assert "length_mm: must be a number from 0 to 80 mm" in lines[2]
        expect(page.locator(".stPlotlyChart, [data-testid=stPlotlyChart]")).to_have_count(2)
        assert not page.get_by_test_id("stException").count()
        page.close()
