"""The record-integration parts of the UI: FHIR import on the first step, the sidebar's "from the record"
list, the development-switch banner and the service page (status, feedback counts per card).

Pure logic lives in :mod:`integration`; this module only renders it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from integration import config, security
from integration.cards import FIELD_WORDS, card_title
from integration.cds import HOOK, SERVICE_ID
from integration.imports import MAX_UPLOAD_BYTES, merge, preview_rows, read_bundle_bytes, same_value
from integration.mapping import MappedRecord, mapping
from integration.store import StoreUnavailable, card_counts

from . import state

PREVIEW = "ci.fhir_preview"  # (uploaded file id, MappedRecord): clinical values only
FROM_RECORD = "ci.from_record"  # {"generation": n, "fields": {path: {"value": ..., "sources": [...]}}}
UPLOADER_GENERATION = "ci.fhir_upload_generation"
APPLIED = "ci.fhir_applied"

DEV_MODE_WARNING = (
    "Development mode: the CDS Hooks service accepts requests without a signed token "
    f"({config.ALLOW_UNSIGNED} is on). Never use it with real patient data."
)


def dev_mode_banner() -> None:
    """On every page while the development switch is on: say so."""
    if config.unsigned_allowed():
        st.warning(DEV_MODE_WARNING, icon=":material/lock_open:")


def integration_page() -> None:
    """Service status and the feedback the record systems sent, counted per card."""
    st.markdown(
        f"The server answers CDS Hooks calls from record systems: discovery at **/cds-services**, the "
        f"**{HOOK}** service at **/cds-services/{SERVICE_ID}** and its feedback endpoint below it. Cards link "
        "back into this app with the case filled in. The README explains how to register the service.")
    spec = mapping()
    cols = st.columns(3)
    cols[0].metric("Guideline profile", config.cds_profile().upper())
    cols[1].metric("FHIR mapping", spec.version, help="data/fhir/mapping.yaml, or the file in CI_DSS_FHIR_MAPPING")
    cols[2].metric("Prefetch templates", len(spec.prefetch_templates()))
    if config.unsigned_allowed():
        st.error("Requests are **not** authenticated (development switch on).", icon=":material/lock_open:")
    else:
        try:
            issuers = security.load_issuers()
        except security.IssuerConfigError as exc:
            st.error(f"The issuer allow-list cannot be used, so every request is refused: {exc}", icon=":material/key_off:")
        else:
            if issuers:
                st.markdown("Record systems allowed to call the service (JWT issuers): "
                            + ", ".join(f"`{iss}`" for iss in issuers))
            else:
                st.warning(f"No record system is allowed yet: set {config.ISSUERS_FILE} or {config.ISSUERS} "
                           "(see the README).", icon=":material/key_off:")
    st.subheader("Feedback per card")
    st.caption("How often each kind of card was shown in a record system, accepted or overridden, with the override "
               "reasons chosen. Nothing about the patient, the clinician or the visit is stored.")
    try:
        counts = card_counts()
    except StoreUnavailable as exc:
        st.warning(str(exc), icon=":material/database:")
        return
    if not counts:
        st.info("No card has been issued yet.", icon=":material/info:")
        return
    st.dataframe(
        [{"Card": card_title(c.card_key), "Shown": c.shown, "Accepted": c.accepted, "Overridden": c.overridden,
          "Override reasons": "; ".join(f"{k}: {v}" for k, v in sorted(c.reasons.items()))} for c in counts],
        hide_index=True, width="stretch", key="integration.counts")


# --- FHIR import (first step) -------------------------------------------------------------------------


def _show_preview(record: MappedRecord) -> None:
    rows = preview_rows(record)
    if rows:
        st.markdown("**Values found** (they replace what is entered for these fields; nothing else changes)")
        st.dataframe(rows, hide_index=True, width="stretch", key="ci.fhir_fields")
    else:
        st.info("Nothing in this file could be used for the case. The reasons are listed below.", icon=":material/info:")
    for hint in record.hints:
        st.info(f"**To confirm**: {hint.message} ({hint.source.label()})", icon=":material/help:")
    if record.refusals:
        lines = "\n".join(f"- {r.message}" for r in record.refusals)
        st.warning(f"**Not used from the file ({len(record.refusals)})**\n\n{lines}", icon=":material/block:")


def _use(record: MappedRecord) -> None:
    state.load(merge(state.case(), record))
    st.session_state[FROM_RECORD] = {
        "generation": st.session_state.get(state.GENERATION, 0),
        "fields": {path: {"value": record.value(path), "sources": [s.label() for s in sources]}
                   for path, sources in record.provenance.items()},
    }
    st.session_state[APPLIED] = len(record.provenance)
    st.session_state.pop(PREVIEW, None)
    st.session_state[UPLOADER_GENERATION] = st.session_state.get(UPLOADER_GENERATION, 0) + 1  # drops the file


def fhir_import() -> None:
    """"Import from a FHIR Bundle": upload, preview with provenance and refusals, then "Use these values"."""
    applied = st.session_state.pop(APPLIED, None)
    if applied:
        st.success(f"{applied} value(s) taken from the record; the sidebar lists them. Check the other steps.",
                   icon=":material/cloud_done:")
    preview = st.session_state.get(PREVIEW)
    with st.expander("Import from a FHIR Bundle", icon=":material/upload_file:", expanded=preview is not None):
        st.caption("A FHIR R4 Bundle (JSON) exported from the record. Only clinical values are read (gestational age "
                   "or due date, cervical lengths, rupture of membranes, history codes; data/fhir/mapping.yaml). "
                   "Names, record numbers and birth dates are dropped on reading and never kept or shown.")
        upload = st.file_uploader(f"FHIR Bundle (JSON, up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB)", type=["json"],
                                  key=f"ci.fhir_upload.{st.session_state.get(UPLOADER_GENERATION, 0)}",
                                  max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024))
        if upload is None:
            st.session_state.pop(PREVIEW, None)
            return
        if preview is None or preview[0] != upload.file_id:
            record = read_bundle_bytes(upload.getvalue(), date.today())
            st.session_state[PREVIEW] = (upload.file_id, record)
        record = st.session_state[PREVIEW][1]
        _show_preview(record)
        if record.provenance:
            st.button("Use these values", key="ci.fhir_use", type="primary", icon=":material/input:",
                      on_click=_use, args=(record,))


def record_fields() -> list[tuple[str, dict[str, Any]]]:
    """The imported fields that still hold the record's value (an edited or newly loaded value is not listed)."""
    info = st.session_state.get(FROM_RECORD)
    if not info or info.get("generation") != st.session_state.get(state.GENERATION, 0):
        return []
    return [(path, item) for path, item in info["fields"].items()
            if same_value(state.get(tuple(path.split("."))), item["value"])]


def record_note() -> None:
    """Beside the case summary: which values came from the record (with their source)."""
    fields = record_fields()
    if not fields:
        return
    lines = [f"- {FIELD_WORDS.get(path, path)}  \n  :gray[{item['sources'][0]}"
             + (f" +{len(item['sources']) - 1}" if len(item["sources"]) > 1 else "") + "]"
             for path, item in fields]
    st.markdown(":blue[:material/cloud_download: **From the record**]\n\n" + "\n".join(lines))
