"""Download buttons for the consultation summary (clinician PDF and HTML, patient handout PDF).

The files are built only when a button is clicked (deferred ``data`` callables) and cached on the
case (as JSON), the profile, the audience, the format and today's date (for the EDD), so a rerun
never rebuilds them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from decision import validation_errors


def _case_key(case: dict[str, Any]) -> str:
    return json.dumps(case, sort_keys=True, ensure_ascii=False, default=str)


@st.cache_data(show_spinner=False, max_entries=64)
def _render(case_json: str, profile: str, audience: str, fmt: str, today_iso: str) -> bytes:
    from reports import build_summary, render

    summary = build_summary(json.loads(case_json), profile, audience=audience,  # type: ignore[arg-type]
                            today=date.fromisoformat(today_iso))
    return render(summary, fmt)


def _builder(case_json: str, profile: str, audience: str, fmt: str, today_iso: str) -> Callable[[], bytes]:
    return lambda: _render(case_json, profile, audience, fmt, today_iso)


def _ga_label(case: dict[str, Any]) -> str:
    ga = case.get("gestational_age") or {}
    return f"{int(ga.get('weeks', 0))}+{int(ga.get('days', 0) or 0)}"


def summary_downloads(case: dict, profile: str) -> None:
    """Three download buttons: the consultation summary as PDF and as HTML, and the patient handout (PDF).

    File names carry only the gestational age (``consultation-summary-19+3.pdf``): no identifier.
    """
    if validation_errors(case):
        st.caption("The downloads are available once every entry is valid.")
        return
    case_json = _case_key(case)
    today_iso = date.today().isoformat()
    ga = _ga_label(case)
    buttons = (
        ("dl.pdf", "Summary (PDF)", "clinician", "pdf", f"consultation-summary-{ga}.pdf", "application/pdf",
         ":material/picture_as_pdf:", "Consultation summary for the record: the plan on page 1 (findings, alerts, "
                                      "ranked options, assessments, cervical-length trend, fields to complete), the full "
                                      "case, every option and the references in an appendix."),
        ("dl.html", "Summary (HTML)", "clinician", "html", f"consultation-summary-{ga}.html", "text/html",
         ":material/html:", "The same summary as one self-contained web page with interactive charts (works offline)."),
        ("dl.patient", "Patient handout (PDF)", "patient", "pdf", f"patient-handout-{ga}.pdf", "application/pdf",
         ":material/description:", "Plain-language handout (at most 2 pages): what we found, the choices, when to "
                                     "call or come in, and lines for the next appointment."),
    )
    for key, label, audience, fmt, file_name, mime, icon, help_text in buttons:
        st.download_button(
            label,
            data=_builder(case_json, profile, audience, fmt, today_iso),
            file_name=file_name,
            mime=mime,
            key=key,
            icon=icon,
            help=help_text,
            on_click="ignore",
            width="stretch",
        )


def take_away_panel(case: dict, profile: str) -> None:
    """What the patient and the record take away (the options page's "Take away" popover): the summaries and the
    handout, the link to this case, and for faculty the teaching-case draft."""
    from .authoring import teaching_case_download
    from .links import share_link_box

    st.markdown("**Consultation summary**  \n:gray[No identifier; it states the guideline profile and the "
                "knowledge-base version.]")
    summary_downloads(case, profile)
    share_link_box()
    if st.toggle("For faculty: save as teaching case", key="opt.authoring",
                 help="Download this case as a draft teaching-case file with the engine's answers filled in."):
        teaching_case_download(case)
