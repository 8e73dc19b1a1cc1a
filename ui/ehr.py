"""The record-integration parts of the UI: the service page (status, feedback counts per card).

Pure logic lives in :mod:`integration`; this module only renders it.
"""

from __future__ import annotations

import streamlit as st

from integration import config, security
from integration.cards import card_title
from integration.cds import HOOK, SERVICE_ID
from integration.mapping import mapping
from integration.store import StoreUnavailable, card_counts

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
