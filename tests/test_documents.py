"""The clinician summary and the patient handout as PDFs (pypdf), for the five consultation cases of issue 13.

Clinician summary: the plan on page 1 (the first offered option's title there), at most two pages before
the appendix heading. Handout: at most two pages, the when-to-come-in text, no source id, alert block,
cohort table or file path. Unicode survives ("≤", "–", "→", "°"; never "<=").
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from pypdf import PdfReader

from decision import evaluate
from decision.plan import rank_plan
from reports import build_summary, to_pdf
from reports.summary import APPENDIX_HEADING, WHEN_TO_COME_IN_HEADING, when_to_come_in

WHEN = datetime(2026, 12, 1, 10, 42, tzinfo=timezone(timedelta(hours=1), "CET"))
CASES = {
    "emergency_20w": {"gestational_age": {"weeks": 20, "days": 0}, "cervix": {"length_mm": 15, "dilation_cm": 2}},
    "pprom_19w": {"gestational_age": {"weeks": 19, "days": 0},
                  "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 19, "days": 0}}},
    "one_loss_13w": {"gestational_age": {"weeks": 13, "days": 0},
                     "history": {"second_trimester_losses_painless_dilation": 1}},
    "sptb_shortening_21w": {
        "gestational_age": {"weeks": 21, "days": 0}, "history": {"spontaneous_preterm_births_before_34w": 1},
        "cervix": {"length_mm": 22},
        "serial_cervical_lengths": [{"gestational_age": {"weeks": 16, "days": 0}, "length_mm": 34},
                                    {"gestational_age": {"weeks": 18, "days": 0}, "length_mm": 27}]},
    "prolapse_22w": {"gestational_age": {"weeks": 22, "days": 0},
                     "cervix": {"dilation_cm": 3, "membranes_at_or_beyond_external_os": True,
                                "membranes_prolapsed_into_vagina": True}},
}
SOURCE_ID_PREFIXES = ("ACOG-", "RCOG-", "SMFM-", "NICE-")
FILE_PATH = re.compile(r"\.(?:md|ya?ml|py|json|csv|txt)\b|(?:^|\s)/[a-z]|\bdata/|\bknowledge/", re.I)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(data: bytes) -> list[str]:
    return [_flat(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module", params=sorted(CASES))
def documents(request):
    name = request.param
    case = CASES[name]
    clinician = build_summary(case, "acog", generated_at=WHEN)
    patient = build_summary(case, "acog", audience="patient", generated_at=WHEN)
    return name, clinician, _pages(to_pdf(clinician)), patient, _pages(to_pdf(patient))


def test_clinician_summary_plan_on_page_one_and_at_most_two_pages_before_the_appendix(documents) -> None:
    name, summary, pages, _patient, _handout = documents
    appendix = [i for i, text in enumerate(pages) if APPENDIX_HEADING in text]
    assert appendix, "the appendix starts with its heading"
    before = appendix[0]
    assert 1 <= before <= 2, (name, before, len(pages))
    plan = rank_plan(evaluate(CASES[name]), CASES[name])
    assert [p.id for p in summary.plan] == [p.id for p in plan]
    assert plan[0].title in pages[0], (name, plan[0].title)
    assert "Plan: offered options, most urgent first" in pages[0]
    assert "Findings" in pages[0]
    front = " ".join(pages[:before])
    for field in ("Discussed with the patient", "Patient's decision", "Plan and follow-up", "Clinician", "Signature"):
        assert field in front, field
    assert "A.1 Case as entered" in " ".join(pages[before:]) and "A.7 References" in pages[-1] + pages[-2]
    # positive findings only: the front pages carry no table of "No"
    assert front.count(" No ") <= 2
    assert "1 Dec 2026 10:42 CET" in pages[0]


def test_clinician_summary_time_critical_deadlines(documents) -> None:
    name, _summary, pages, _patient, _handout = documents
    if name == "one_loss_13w":
        assert "window closes 14+6, in 13 days" in pages[0]
        assert "TIME-CRITICAL" in pages[0]
    if name == "emergency_20w":
        assert "emergency; window closes 23+6, in 27 days" in pages[0]


def test_handout_two_pages_plain_and_when_to_come_in(documents) -> None:
    name, _summary, _pages_c, patient, handout = documents
    assert len(handout) <= 2, (name, len(handout))
    text = " ".join(handout)
    assert WHEN_TO_COME_IN_HEADING in text
    for word in ("Bleeding", "fever", "Contractions", "Pressure"):
        assert word in text, word
    assert "leak" in text  # fluid leak (after rupture: a change in the fluid)
    for line in when_to_come_in(patient):  # every line is printed whole
        assert _flat(line) in text, (name, line)
    assert "Your next appointment" in text and "Phone number to call" in text
    for prefix in SOURCE_ID_PREFIXES:
        assert prefix not in text, (name, prefix)
    assert not FILE_PATH.search(text), FILE_PATH.search(text)
    # no clinician alert block, cohort table or codes
    assert "[!]" not in text and "Alerts" not in text
    for alert in evaluate(CASES[name]).alerts:
        assert _flat(alert.message)[:40] not in text
    assert "Cohort" not in text and "NICHD" not in text and "denominator" not in text
    assert "38 °C" in text  # Unicode survives
    assert "<=" not in text


def test_unicode_survives_in_the_clinician_summary(documents) -> None:
    name, _summary, pages, _patient, _handout = documents
    text = " ".join(pages)
    assert "<=" not in text and ">=" not in text
    assert "–" in text  # en dash of the timeline's windows (12+0–14+6)
    assert "·" in text
    if name == "sptb_shortening_21w":
        assert "34 mm at 16+0 → 27 mm at 18+0 → 22 mm at 21+0" in text
    if name == "emergency_20w":
        assert "Mönckeberg" in text  # from the knowledge base, not "Monckeberg"


def test_rcog_short_cervix_threshold_prints_less_than_or_equal() -> None:
    case = CASES["sptb_shortening_21w"]
    pages = _pages(to_pdf(build_summary(case, "rcog", generated_at=WHEN)))
    assert "short: ≤ 25 mm" in pages[0]
    assert "Short ≤ 25 mm" in pages[0]  # the cervical-length chart's threshold line
