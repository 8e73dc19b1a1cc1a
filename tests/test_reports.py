"""Consultation summaries (reports/): Markdown, self-contained HTML, PDF; the ``summary`` CLI; downloads."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from decision import CaseValidationError, evaluate, knowledge
from reports import build_summary, latin1, status_text, to_html, to_markdown, to_pdf

ROOT = Path(__file__).resolve().parent.parent
WHEN = datetime(2026, 11, 30, 10, 15)
TODAY = date(2026, 11, 30)
DISCLAIMER = "Decision support: supports, and does not replace, clinical judgment."

PPROM_19 = {
    "gestational_age": {"weeks": 19, "days": 0},
    "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 19, "days": 0}},
}
EMERGENCY_20 = {
    "gestational_age": {"weeks": 20, "days": 3},
    "history": {"cervical_surgery": True},
    "cervix": {"length_mm": 10, "dilation_cm": 2, "funneling": True, "membranes_at_or_beyond_external_os": True},
    "serial_cervical_lengths": [{"gestational_age": {"weeks": 18, "days": 0}, "length_mm": 24}],
}
INVALID = {"gestational_age": {"weeks": 50}, "cervix": {"lenght_mm": 20}}
CERCLAGE_TITLES = ("History-indicated (preventive) cerclage", "Ultrasound-indicated cerclage",
                   "Emergency (physical-exam-indicated) cerclage")
COUNSELING = "Counseling after previable / periviable rupture of membranes"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, _flat("\n".join(page.extract_text() or "" for page in reader.pages))


def _summary(case: dict, audience: str = "clinician", profile: str = "acog"):
    return build_summary(case, profile, audience=audience, generated_at=WHEN, today=TODAY)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pprom():
    return _summary(PPROM_19)


@pytest.fixture(scope="module")
def pprom_patient():
    return _summary(PPROM_19, "patient")


@pytest.fixture(scope="module")
def emergency():
    return _summary(EMERGENCY_20)


@pytest.fixture(scope="module")
def emergency_pdf(emergency):
    return _pdf_text(to_pdf(emergency))


@pytest.fixture(scope="module")
def emergency_html(emergency):
    return to_html(emergency)


# --- the summary object -------------------------------------------------------------------------
def test_summary_holds_what_a_report_shows(emergency) -> None:
    kb = knowledge()
    assessment = evaluate(EMERGENCY_20)
    assert emergency.disclaimer == DISCLAIMER
    assert emergency.profile_label == kb.profiles["acog"].label
    assert emergency.knowledge_base_version == kb.version
    assert emergency.ga_label == "20+3"
    assert emergency.edd == date(2027, 4, 16)  # 280 - 143 = 137 days after 30 Nov 2026
    assert "EDD computed on 30 November 2026" in emergency.edd_text
    assert emergency.generated_at == WHEN
    assert [o.id for o in emergency.options] == [o.id for o in assessment.options]
    assert [o.status for o in emergency.options] == [o.status for o in assessment.options]
    for option in emergency.options:
        assert option.rationale
        for source_id in option.sources:
            ref = emergency.source(source_id)
            assert ref.reference == kb.sources[source_id].reference
            assert ref.last_reviewed == kb.sources[source_id].last_reviewed
    values = {label: value for section in emergency.case_sections for label, value in section.rows}
    assert values["Cervical length (transvaginal ultrasound)"] == "10 mm"
    assert values["Dilation"] == "2 cm"
    assert values["Cervical surgery (cone biopsy, LEEP)"] == "Yes"
    assert values["At 18+0"] == "24 mm"
    assert emergency.evidence_option_id == "physical_exam_indicated_cerclage"


def test_invalid_case_raises_case_validation_error() -> None:
    with pytest.raises(CaseValidationError) as info:
        build_summary(INVALID)
    assert {e.path for e in info.value.errors} == {"gestational_age.weeks", "cervix.lenght_mm"}


def test_unknown_profile_or_audience_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="profile"):
        build_summary(PPROM_19, "nice")
    with pytest.raises(ValueError, match="audience"):
        build_summary(PPROM_19, audience="family")  # type: ignore[arg-type]


def test_same_inputs_same_report(pprom) -> None:
    assert to_markdown(_summary(PPROM_19)) == to_markdown(pprom)


def test_status_markers_are_text_not_colour() -> None:
    assert status_text("recommended") == "[+] Recommended"
    assert status_text("consider") == "[?] Consider"
    assert status_text("not_recommended") == "[-] Not recommended"
    assert status_text("contraindicated") == "[x] Contraindicated"


def test_latin1_sanitiser() -> None:
    text = latin1("\u201cseed\u201d \u2018a\u2019 16\u201322 \u2014 \u2264 25 mm \u2265 4 cm "
                  "M\u00f6nckeberg \u2026 \u2192 \u0142")
    text.encode("latin-1")
    assert text == "\"seed\" 'a' 16-22 - <= 25 mm >= 4 cm M\u00f6nckeberg ... -> l"


# --- PDF ------------------------------------------------------------------------------------------
def test_pdf_sections_options_statuses_and_footer(emergency, emergency_pdf) -> None:
    reader, text = emergency_pdf
    for heading in ("Case as entered", "Alerts", "Timeline", "Management options", "Evidence notes and the seed",
                    "Outcomes by gestational age at birth", "Sources"):
        assert heading in text, heading
    for option in emergency.options:
        assert f"{option.title} {option.status_text}" in text, option.title
    assert emergency.profile_label in text
    assert DISCLAIMER in text
    assert "EDD computed on 30 November 2026" in text
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        footer = _flat(page.extract_text())
        assert f"Page {number} of {pages}" in footer
        assert f"knowledge base {emergency.knowledge_base_version}" in footer
        assert "30 November 2026" in footer
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_pdf_timeline_is_drawn_natively(emergency_pdf) -> None:
    reader, text = emergency_pdf
    assert "Today 20+3" in text
    assert "Gestational age (weeks)" in text
    assert not any("/Image" in str(page.get("/Resources", {}).get("/XObject", {})) for page in reader.pages)


def test_pdf_lists_full_references_with_last_reviewed(emergency, emergency_pdf) -> None:
    _reader, text = emergency_pdf
    for ref in emergency.sources:
        assert _flat(latin1(ref.reference)) in text, ref.id
    assert "(last reviewed " in text


def test_patient_pdf_has_plain_titles_and_icon_arrays(pprom_patient) -> None:
    _reader, text = _pdf_text(to_pdf(pprom_patient))
    offered = [o for o in pprom_patient.options if o.status in ("recommended", "consider")]
    assert offered
    for option in offered:
        assert _flat(latin1(option.plain_title)) in text
    assert "in 100" in text
    assert "About 44 in 100 babies were born alive" in text  # UKOSS 2024: the evidence that fits previable PPROM
    assert DISCLAIMER in text


# --- HTML -----------------------------------------------------------------------------------------
def test_html_embeds_three_interactive_charts_offline(emergency_html) -> None:
    html = emergency_html
    for div_id in ("chart-timeline", "chart-outcomes", "chart-evidence"):
        assert f'id="{div_id}"' in html
        assert f'id="{div_id}-alt"' in html  # the alt text follows each chart
    assert html.count("Plotly.newPlot") == 3
    assert html.count("plotly.js v") == 1  # plotly.js inlined exactly once
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html, re.I)
    assert "@media print" in html
    assert re.search(r"@media print\s*{[^@]*box-shadow:\s*none", html)
    assert "@page { size: A4" in html
    assert "page-break-before: always" in html


def test_html_shows_every_status_and_the_basics(emergency, emergency_html) -> None:
    html = emergency_html
    for option in emergency.options:
        assert f'id="option-{option.id}"' in html
        assert option.status_text in html
    assert DISCLAIMER in html
    assert emergency.profile_label in html
    assert emergency.knowledge_base_version in html
    assert "This pregnancy: 20 weeks" in html  # outcomes chart highlighted at the patient's week


def test_patient_html_has_plain_titles_and_icon_arrays(pprom_patient) -> None:
    html = to_html(pprom_patient)
    for option in pprom_patient.options:
        if option.status in ("recommended", "consider"):
            assert option.plain_title in html
    assert "in 100" in html
    assert html.count("plotly.js v") == 1


# --- Markdown -------------------------------------------------------------------------------------
def test_markdown_has_a_table_row_per_option(emergency) -> None:
    md = to_markdown(emergency)
    rows = [line for line in md.splitlines() if line.startswith("| ") and line.count(" | ") >= 3]
    for option in emergency.options:
        assert any(row.startswith(f"| {option.title} | {option.status_text} | ") for row in rows), option.id
    assert DISCLAIMER in md
    assert emergency.knowledge_base_version in md


# --- PPROM at 19+0: counseling recommended, cerclage contraindicated, in every format ----------------
def test_pprom_19w_in_all_formats(pprom) -> None:
    assert pprom.option("previable_pprom_counseling").status == "recommended"
    assert {pprom.option(i).status for i in ("history_indicated_cerclage", "ultrasound_indicated_cerclage",
                                             "physical_exam_indicated_cerclage")} == {"contraindicated"}
    md = to_markdown(pprom)
    assert f"| {COUNSELING} | [+] Recommended |" in md
    for title in CERCLAGE_TITLES:
        assert f"| {title} | [x] Contraindicated |" in md
    html = to_html(pprom)
    assert re.search(r'id="option-previable_pprom_counseling">.*?\[\+\] Recommended', html)
    for option_id in ("history_indicated_cerclage", "ultrasound_indicated_cerclage", "physical_exam_indicated_cerclage"):
        assert re.search(rf'id="option-{option_id}">.*?</td><td><span[^>]*>\[x\] Contraindicated', html)
    _reader, text = _pdf_text(to_pdf(pprom))
    assert f"{COUNSELING} [+] Recommended" in text
    for title in CERCLAGE_TITLES:
        assert f"{title} [x] Contraindicated" in text
    assert "Rupture 19+0" in text


# --- CLI ------------------------------------------------------------------------------------------
def _cli(*args: str, stdin: str | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "decision", "summary", *args], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory):
    """Every CLI run started at once (they run in parallel), then collected."""
    folder = tmp_path_factory.mktemp("cli")
    case = folder / "pprom.json"
    case.write_text(json.dumps(PPROM_19), encoding="utf-8")
    yaml_case = folder / "pprom.yaml"
    yaml_case.write_text("gestational_age: {weeks: 19, days: 0}\nmembranes:\n  status: ruptured\n"
                         "  rupture_gestational_age: {weeks: 19, days: 0}\n", encoding="utf-8")
    pdf = folder / "out.pdf"
    jobs = {
        "pdf": (_cli(str(case), "--format", "pdf", "-o", str(pdf)), None),
        "html": (_cli(str(yaml_case), "--format", "html", "-o", "-"), None),
        "md": (_cli("-", "--format", "md", "-o", "-", "--profile", "rcog"), json.dumps(PPROM_19)),
        "invalid": (_cli("-", "--format", "md", "-o", "-"), json.dumps(INVALID)),
        "missing": (_cli(str(folder / "nope.json"), "--format", "pdf", "-o", str(folder / "x.pdf")), None),
        "pdf_stdout": (_cli(str(case), "--format", "pdf", "-o", "-"), None),
    }
    results = {}
    for name, (proc, stdin) in jobs.items():
        out, err = proc.communicate(stdin, timeout=60)
        results[name] = (proc.returncode, out, err)
    results["pdf_file"] = pdf
    return results


def test_cli_pdf(cli_runs) -> None:
    code, _out, err = cli_runs["pdf"]
    assert code == 0, err
    _reader, text = _pdf_text(cli_runs["pdf_file"].read_bytes())
    assert f"{COUNSELING} [+] Recommended" in text
    for title in CERCLAGE_TITLES:
        assert f"{title} [x] Contraindicated" in text


def test_cli_html_from_yaml_to_stdout(cli_runs) -> None:
    code, out, err = cli_runs["html"]
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>")
    assert out.count("Plotly.newPlot") == 3
    assert re.search(r'id="option-previable_pprom_counseling">.*?\[\+\] Recommended', out)


def test_cli_markdown_from_stdin_with_profile(cli_runs) -> None:
    code, out, err = cli_runs["md"]
    assert code == 0, err
    assert knowledge().profiles["rcog"].label in out
    assert f"| {COUNSELING} | [+] Recommended |" in out
    for title in CERCLAGE_TITLES:
        assert f"| {title} | [x] Contraindicated |" in out


def test_cli_invalid_case_exits_2_with_field_paths(cli_runs) -> None:
    code, out, err = cli_runs["invalid"]
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert any(line.startswith("gestational_age.weeks: ") for line in lines)
    assert any(line.startswith("cervix.lenght_mm: ") for line in lines)
    assert "Traceback" not in err


def test_cli_unreadable_file_and_pdf_to_stdout_exit_2(cli_runs) -> None:
    for name in ("missing", "pdf_stdout"):
        code, out, err = cli_runs[name]
        assert code == 2, name
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err
