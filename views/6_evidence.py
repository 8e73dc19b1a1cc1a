"""Reference: the knowledge base, browsable — sources, thresholds per profile, disagreements, seed text."""

from pathlib import Path

import pandas as pd
import streamlit as st
import yaml

from decision import knowledge
from decision.kb import KNOWLEDGE_DIR
from ui.layout import page_footer, page_header


@st.cache_data(show_spinner=False)
def kb_changes() -> tuple[list[str], list[tuple[str, str, list[str]]]]:
    """``meta.yaml``'s ``changes`` (this knowledge-base version) and ``earlier`` (version, title, changes), newest
    first (kb.py does not keep them)."""
    try:
        meta = yaml.safe_load((KNOWLEDGE_DIR / "meta.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return [], []
    if not isinstance(meta, dict):
        return [], []

    def items(value: object) -> list[str]:
        return [str(item) for item in value] if isinstance(value, list) else []

    earlier = [(str(e.get("version", "")), str(e.get("title", "")), items(e.get("changes")))
               for e in meta.get("earlier") or [] if isinstance(e, dict)]
    return items(meta.get("changes")), earlier


page_header("Evidence and knowledge base")
kb = knowledge()
st.markdown(f"Knowledge base **{kb.version}**, last reviewed **{kb.last_reviewed}**. Every rule in the engine cites "
            "one of these sources; thresholds are data, not code.")
changes, earlier = kb_changes()
with st.expander(f"What changed in knowledge base {kb.version}", icon=":material/history:"):
    text = "\n".join(f"- {item}" for item in changes) or "No list of changes is recorded for this version."
    for version, title, items in earlier:
        text += f"\n\n**Knowledge base {version}** ({title})\n\n" + "\n".join(f"- {item}" for item in items)
    st.markdown(text)
    st.caption("Numbers in brackets are sections of the clinical specification (version 2).")
SECTIONS = {"sources": "Sources", "thresholds": "Thresholds by profile",
            "disagree": "Where guidelines and the seed disagree", "seed": "Seed text"}
section = st.segmented_control("Section", list(SECTIONS), format_func=SECTIONS.get, default="sources",
                               key="ev.section", label_visibility="collapsed") or "sources"
if section == "sources":
    frame = pd.DataFrame([{"Id": s.id, "Kind": s.kind_label, "Year": "" if s.year is None else str(s.year),
                           "Reference": s.reference, "Last reviewed": s.last_reviewed} for s in kb.sources.values()])
    st.dataframe(frame, hide_index=True, width="stretch", key="table.sources", row_height=60,
                 column_config={"Reference": st.column_config.TextColumn("Reference", width="large"),
                                "Last reviewed": st.column_config.TextColumn("Reviewed", width="small")})
elif section == "thresholds":
    acog, rcog = kb.profiles["acog"], kb.profiles["rcog"]
    rows = []
    for key in dict.fromkeys([*acog.windows, *rcog.windows]):
        a, r = acog.windows[key], rcog.windows[key]
        rows.append({"Window": a.label, "ACOG / SMFM": a.text, "RCOG / NICE": r.text,
                     "Differs": "⚠ differs" if a.text != r.text else "", "Sources": ", ".join(dict.fromkeys([*a.sources,
                                                                                                     *r.sources]))})
    for key in dict.fromkeys([*acog.values, *rcog.values]):
        a, r = acog.values[key], rcog.values[key]
        shown = [f"{'≤' if v.inclusive else '<' if v.inclusive is False else ''}{v.value}" for v in (a, r)]
        rows.append({"Window": a.label, "ACOG / SMFM": shown[0], "RCOG / NICE": shown[1],
                     "Differs": "⚠ differs" if shown[0] != shown[1] or a.label != r.label else "",
                     "Sources": ", ".join(dict.fromkeys([*a.sources, *r.sources]))})
    rows.append({"Window": "History-indicated cerclage criterion", "ACOG / SMFM": acog.history_cerclage.label,
                 "RCOG / NICE": rcog.history_cerclage.label, "Differs": "⚠ differs",
                 "Sources": ", ".join([*acog.history_cerclage.sources, *rcog.history_cerclage.sources])})
    table = pd.DataFrame(rows)
    only = st.toggle("Only the differences", key="ev.thresholds_only_diff")
    if only:
        table = table[table["Differs"] != ""]
    st.dataframe(table, hide_index=True, width="stretch", key="table.thresholds",
                 column_order=["Differs", "Window", "ACOG / SMFM", "RCOG / NICE", "Sources"])
elif section == "disagree":
    for option in kb.options.values():
        if option.evidence_note:
            seed = f"\n\n_Seed:_ “{option.seed.quote}”" if option.seed.quote else ""
            where = "documented in the seed" if option.seed.documented else "not in the seed"
            st.markdown(f"#### {option.title}\n_{where}_{seed}\n\n> :material/balance: {option.evidence_note}")
else:
    st.markdown(Path(KNOWLEDGE_DIR / "seed.md").read_text(encoding="utf-8"))
page_footer()
