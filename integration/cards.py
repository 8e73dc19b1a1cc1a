"""CDS Hooks 2.0 cards from an assessment and the record values it used (pure).

One ``critical`` card per critical alert (``warning`` for the others), one card per recommended
option, one card summarising the options to consider, or, when the record has no usable gestational
age, one card saying so. Every card has a ``uuid``, a ``summary`` under 140 characters, an
``indicator``, a ``source`` whose label names the tool, the guideline profile and the knowledge-base
version (the specification's source object has no version field), a Markdown ``detail`` with the
rationale, the sources and the record values used, override reasons, and an ``absolute`` link into
the app with the case in the shareable-link query string.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from decision import knowledge
from decision.querystring import case_to_params, query_string

from .mapping import MappedRecord

TOOL = "Cervical insufficiency decision support"
SUMMARY_MAX = 139  # the specification: "<140-character summary"
INDICATORS = ("info", "warning", "critical")
OVERRIDE_SYSTEM = "urn:ci-dss:cds:override-reason"
#: The override reasons offered on every card (code -> display); feedback stores only these codes.
OVERRIDE_REASONS: dict[str, str] = {
    "clinical-judgment": "Clinical judgment differs",
    "record-incomplete": "Record data incomplete or out of date",
    "patient-preference": "Patient's informed preference",
    "already-addressed": "Already addressed",
    "not-relevant": "Not relevant to this visit",
}
TOPIC = {"system": "urn:ci-dss:cds:topic", "code": "cervical-insufficiency", "display": "Cervical insufficiency"}
#: Case fields the engine reads, in words, for the "not in the record" list.
FIELD_WORDS: dict[str, str] = {
    "gestational_age": "gestational age",
    "plurality": "number of fetuses",
    "history.second_trimester_losses_painless_dilation": "second-trimester losses with painless dilation",
    "history.spontaneous_preterm_births_before_34w": "spontaneous preterm births before 34+0",
    "history.prior_cerclage_for_painless_dilation": "prior cerclage for painless dilation",
    "history.cervical_surgery": "cervical surgery",
    "history.in_utero_des_exposure": "DES exposure",
    "history.uterine_or_cervical_anomaly": "uterine or cervical anomaly",
    "history.cervical_trauma": "cervical trauma",
    "cervix.length_mm": "cervical length",
    "serial_cervical_lengths": "earlier cervical lengths",
    "cervix.dilation_cm": "dilation",
    "cervix.funneling": "funneling",
    "cervix.membranes_at_or_beyond_external_os": "membranes at the external os",
    "cervix.membranes_prolapsed_into_vagina": "membranes prolapsed into the vagina",
    "membranes.status": "membrane status",
    "membranes.rupture_gestational_age": "gestational age at rupture",
    "cerclage_in_place": "cerclage in place",
    "red_flags.regular_contractions_or_labor": "contractions or labor",
    "red_flags.vaginal_bleeding": "vaginal bleeding",
    "red_flags.signs_of_intraamniotic_infection": "signs of intra-amniotic infection",
    "red_flags.fetal_demise": "fetal demise",
    "red_flags.lethal_fetal_anomaly": "lethal fetal anomaly",
}


@dataclass(frozen=True)
class IssuedCard:
    """A card and what it is about (``key``, stored with its uuid for the feedback counts)."""

    key: str
    card: dict[str, Any]

    @property
    def uuid(self) -> str:
        return self.card["uuid"]

    @property
    def summary(self) -> str:
        return self.card["summary"]


def clip(text: str, limit: int = SUMMARY_MAX) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis to at most ``limit`` characters."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.") + "…"


def source_label(profile: str) -> str:
    kb = knowledge()
    return f"{TOOL} · {kb.profiles[profile].label} · knowledge base {kb.version}"


def _source(profile: str, app_url: str) -> dict[str, Any]:
    return {"label": source_label(profile), "url": app_url + "/evidence", "topic": dict(TOPIC)}


def _reasons() -> list[dict[str, str]]:
    return [{"system": OVERRIDE_SYSTEM, "code": code, "display": display} for code, display in OVERRIDE_REASONS.items()]


def app_link(app_url: str, case: dict[str, Any] | None, profile: str) -> dict[str, str]:
    """An ``absolute`` link to the app: the options page with the case in the query string (the first step without one)."""
    if case and "gestational_age" in case:
        url = f"{app_url}/options{query_string(case_to_params(case, profile))}"
        label = "Open this case in the cervical-insufficiency app"
    else:
        url = f"{app_url}/"
        label = "Open the cervical-insufficiency app to enter the values"
    return {"label": label, "url": url, "type": "absolute"}


def value_text(path: str, value: Any) -> str:
    if path == "gestational_age" or path.endswith("rupture_gestational_age"):
        return f"{value['weeks']}+{value.get('days', 0)}"
    if path == "serial_cervical_lengths":
        return ", ".join(f"{m['length_mm']:g} mm at {m['gestational_age']['weeks']}+{m['gestational_age']['days']}"
                         for m in value)
    if path == "cervix.length_mm":
        return f"{value:g} mm"
    if path == "cervix.dilation_cm":
        return f"{value:g} cm"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _escape(text: str) -> str:
    """Markdown-safe text (the values come from our mapping and numbers, but stay literal anyway)."""
    return "".join("\\" + ch if ch in "\\`*_[]<>|#" else ch for ch in text)


def record_section(record: MappedRecord) -> str:
    """Markdown: the values read from the record (with provenance), what was not used, what to confirm, what is missing."""
    lines = ["**From the record**"]
    for path, sources in record.provenance.items():
        where = "; ".join(s.label() for s in sources[:3]) + (f" (+{len(sources) - 3} more)" if len(sources) > 3 else "")
        lines.append(f"- {FIELD_WORDS.get(path, path)}: {_escape(value_text(path, record.value(path)))} "
                     f"({_escape(where)})")
    if not record.provenance:
        lines.append("- nothing usable")
    missing = [words for path, words in FIELD_WORDS.items()
               if path not in record.provenance and path != "membranes.rupture_gestational_age"]
    lines.append("")
    lines.append("**Not in the record** (taken as absent or not measured; check them in the app): " + ", ".join(missing) + ".")
    if record.hints:
        lines.append("")
        lines.append("**To confirm**")
        lines += [f"- {_escape(h.message)} ({_escape(h.source.label())})" for h in record.hints]
    if record.refusals:
        lines.append("")
        lines.append(f"**Not used from the record** ({len(record.refusals)})")
        lines += [f"- {_escape(r.message)}" for r in record.refusals[:10]]
        if len(record.refusals) > 10:
            lines.append(f"- … and {len(record.refusals) - 10} more")
    return "\n".join(lines)


def _sources_text(ids: Iterable[str]) -> str:
    kb = knowledge()
    parts = []
    for source_id in ids:
        source = kb.sources.get(source_id)
        parts.append(f"{source_id} ({_escape(source.short)})" if source else source_id)
    return "; ".join(parts)


FOOTER = "_Decision support: it supports, and does not replace, clinical judgment._"


def _card(key: str, summary: str, indicator: str, detail: str, profile: str, app_url: str, link: dict[str, str],
          new_uuid: Callable[[], str]) -> IssuedCard:
    assert indicator in INDICATORS
    return IssuedCard(key, {
        "uuid": new_uuid(),
        "summary": clip(summary),
        "indicator": indicator,
        "detail": detail,
        "source": _source(profile, app_url),
        "overrideReasons": _reasons(),
        "links": [dict(link)],
    })


def build_cards(record: MappedRecord, assessment: dict[str, Any] | None, app_url: str, profile: str,
                new_uuid: Callable[[], str] | None = None) -> list[IssuedCard]:
    """The cards for one ``patient-view`` call (``assessment`` is None when the record gives no usable case)."""
    make_uuid = new_uuid or (lambda: str(uuid.uuid4()))
    kb = knowledge()
    profile_label = kb.profiles[profile].label
    section = record_section(record)
    if assessment is None:
        link = app_link(app_url, None, profile)
        detail = ("The cervical-insufficiency tool needs the gestational age. The record gave no usable gestational "
                  "age or due date for the current pregnancy, so no options were evaluated.\n\n"
                  f"{section}\n\n{FOOTER}")
        return [_card("missing:gestational_age", "Cervical insufficiency: no usable gestational age in the record; "
                      "enter it in the app", "info", detail, profile, app_url, link, make_uuid)]
    link = app_link(app_url, record.case, profile)
    ga = assessment["gestational_age"]["label"]
    cards: list[IssuedCard] = []
    for alert in assessment["alerts"]:
        indicator = "critical" if alert["severity"] == "critical" else ("warning" if alert["severity"] == "warning"
                                                                         else "info")
        detail = (f"**Alert at {ga}** ({profile_label})\n\n{_escape(alert['message'])}\n\n"
                  f"**Sources:** {_sources_text(alert['sources'])}\n\n{section}\n\n{FOOTER}")
        cards.append(_card(f"alert:{alert['id']}", alert["message"], indicator, detail, profile, app_url, link, make_uuid))
    for option in assessment["options"]:
        if option["status"] != "recommended":
            continue
        indicator = "info" if option["id"] == "routine_prenatal_care" else "warning"
        note = f"\n\n*Evidence note:* {_escape(option['evidence_note'])}" if option.get("evidence_note") else ""
        detail = (f"**Recommended at {ga}** ({profile_label}): {_escape(option['title'])}\n\n"
                  f"{_escape(option['rationale'])}{note}\n\n**Sources:** {_sources_text(option['sources'])}\n\n"
                  f"{section}\n\n{FOOTER}")
        cards.append(_card(f"option:{option['id']}", f"Recommended ({profile_label}): {option['title']}", indicator,
                           detail, profile, app_url, link, make_uuid))
    consider = [o for o in assessment["options"] if o["status"] == "consider"]
    checks = [a["title"] for a in assessment.get("assessments", []) if a["status"] == "recommended"]
    checks_text = "**Recommended checks:** " + "; ".join(_escape(c) for c in checks) + "." if checks else ""
    if consider:
        titles = "; ".join(o["title"] for o in consider)
        parts = [f"**To consider at {ga}** ({profile_label})"]
        for option in consider:
            note = f" *Evidence note:* {_escape(option['evidence_note'])}" if option.get("evidence_note") else ""
            parts.append(f"- **{_escape(option['title'])}**: {_escape(option['rationale'])}{note} "
                         f"(Sources: {_sources_text(option['sources'])})")
        if checks_text:
            parts += ["", checks_text]
        detail = "\n".join(parts) + f"\n\n{section}\n\n{FOOTER}"
        cards.append(_card("summary:consider", f"To consider ({profile_label}): {titles}", "info", detail, profile,
                           app_url, link, make_uuid))
    if not cards:
        detail = (f"**No option recommended or to consider at {ga}** ({profile_label}).\n\n{checks_text}\n\n"
                  f"{section}\n\n{FOOTER}")
        cards.append(_card("summary:none", f"Cervical insufficiency ({profile_label}): no option recommended or to "
                           f"consider at {ga}", "info", detail, profile, app_url, link, make_uuid))
    return cards


def card_title(key: str) -> str:
    """A stored card key in words (for the feedback counts)."""
    kind, _, name = key.partition(":")
    kb = knowledge()
    if kind == "option":
        option = kb.options.get(name)
        return f"Recommended: {option.title if option else name}"
    if kind == "alert":
        return f"Alert: {name.replace('_', ' ')}"
    return {"summary:consider": "Options to consider (summary card)",
            "summary:none": "No option recommended or to consider",
            "missing:gestational_age": "No usable gestational age in the record"}.get(key, key)
