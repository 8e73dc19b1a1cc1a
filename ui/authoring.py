"""Case authoring: "save as teaching case" turns the consultation's case into a draft case file."""

from __future__ import annotations

import copy
import re

import streamlit as st

from decision import validation_errors
from decision.teaching import DRAFT_PLACEHOLDER, draft_case_yaml

_ID = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


def _suggested_id(case: dict) -> str:
    ga = case.get("gestational_age") or {}
    return f"new_case_{ga['weeks']}w" if ga.get("weeks") else "new_case"


def teaching_case_download(case: dict) -> None:
    """A bordered box with a case-id field and a download button (key ``dl.teaching_case``) for the draft YAML.

    The draft holds the case and the engine's current answers as the expected ones (ACOG, plus the
    RCOG differences), with placeholders for faculty (vignette, title, teaching points, follow-up).
    Shows a note instead of the button while the case is incomplete or invalid.
    """
    with st.container(border=True, key="authoring.box"):
        st.markdown(f"**Save as teaching case**  \n:gray[A draft case file for faculty: this case with the engine's "
                    f"current answers as the expected ones. Faculty write the texts marked “{DRAFT_PLACEHOLDER}” "
                    f"and add it to data/cases/.]")
        if not case.get("gestational_age"):
            st.caption("Enter the gestational age first.")
            return
        case_id = st.text_input("Case id (file name)", value=_suggested_id(case), key="authoring.case_id", max_chars=60,
                                help="snake_case: lower-case letters, digits and underscores; the file is <id>.yaml.")
        case_id = (case_id or "").strip()
        if not _ID.match(case_id):
            st.error("The case id must be snake_case: lower-case letters, digits and underscores (e.g. pprom_19w).",
                     icon=":material/error:")
            return
        if validation_errors(case):
            st.caption("Fix the entry problems of the case first.")
            return
        frozen = copy.deepcopy(case)  # the draft is built only when the button is clicked
        st.download_button("Download the teaching-case draft (YAML)", data=lambda: draft_case_yaml(frozen, case_id),
                           file_name=f"{case_id}.yaml",
                           mime="application/x-yaml", key="dl.teaching_case", icon=":material/school:",
                           on_click="ignore")
