"""The summary as Markdown (GitHub-flavoured tables)."""

from __future__ import annotations

from figures import alt_text

from .charts import chart_figures
from .summary import Summary, patient_status_text


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _head(s: Summary) -> list[str]:
    return [
        f"# {s.title}",
        "",
        f"> **{s.disclaimer}**",
        "",
        f"- Gestational age: **{s.ga_label}**",
        f"- Estimated due date: {s.edd_text}",
        f"- Guideline profile: {s.profile_label}",
        f"- Knowledge base: {s.knowledge_base_version} (last reviewed {s.knowledge_base_reviewed})",
        f"- Generated: {s.generated_text}",
        "",
    ]


def _case(s: Summary) -> list[str]:
    lines = ["## Case as entered", ""]
    for section in s.case_sections:
        lines += [f"### {section.title}", "", *_table(("Item", "Value"), list(section.rows)), ""]
    return lines


def _alerts(s: Summary) -> list[str]:
    lines = ["## Alerts", ""]
    if not s.alerts:
        return [*lines, "No alert for this case.", ""]
    for alert in s.alerts:
        lines.append(f"- **{alert.marker}: {alert.title}**: {alert.message} _(Sources: {', '.join(alert.sources)})_")
    return [*lines, ""]


def _charts(s: Summary) -> list[str]:
    lines = ["## Charts (text descriptions)", ""]
    for chart in chart_figures(s):
        lines += [f"**{chart.title}.** {alt_text(chart.figure)}", ""]
    return lines


def _sources(s: Summary) -> list[str]:
    lines = ["## Sources", ""]
    lines += [f"- **{src.id}**: {src.text}" for src in s.sources]
    return [*lines, ""]


def _assessments(s: Summary) -> list[str]:
    lines = ["## Before or alongside these options (assessments)", ""]
    if not s.offered_assessments:
        return [*lines, "No assessment is recommended or to consider for this case.", ""]
    lines += _table(("Assessment", "Status", "Rationale", "Sources"),
                    [(a.title, a.status_text, a.rationale, ", ".join(a.sources)) for a in s.offered_assessments])
    return [*lines, ""]


def _basis(s: Summary) -> list[str]:
    lines = ["## Basis of each offered option (inputs and thresholds that decided it)", ""]
    for option in s.offered:
        lines += [f"- **{option.title}** ({option.status_text}): {option.basis_text or 'no input recorded.'}"]
    return [*lines, ""]


def _evidence_fit(s: Summary) -> list[str]:
    if s.evidence_items:
        return [f"- **{item.label}** (for {item.option_title}): {item.caption}" for item in s.evidence_items] + [""]
    return ["No study figure fits an option offered in this case.", ""]


def _clinician(s: Summary) -> list[str]:
    lines = [*_head(s), *_alerts(s), *_case(s), "## Management options", ""]
    lines += _table(
        ("Option", "Status", "Rationale", "Sources"),
        [(o.title, o.status_text, o.rationale, ", ".join(o.sources)) for o in s.options],
    )
    lines += ["", *_assessments(s), *_basis(s), "## Evidence notes and the seed", ""]
    for option in s.options:
        if not (option.evidence_note or option.seed_text):
            continue
        lines += [f"### {option.title} ({option.status_text})", ""]
        if option.seed_text:
            lines += [f"- {option.seed_text}"]
        if option.evidence_note:
            lines += [f"- Evidence note: {' '.join(option.evidence_note.split())}"]
        lines.append("")
    lines += ["## Study figures that fit this case", "", *_evidence_fit(s)]
    return [*lines, *_charts(s), *_sources(s)]


def _patient(s: Summary) -> list[str]:
    lines = [*_head(s), *_alerts(s), "## What we suggest", ""]
    if not s.patient_cards:
        lines += ["Nothing extra is needed today beyond your usual care.", ""]
    for card in s.patient_cards:
        lines += [f"### {card.title}", "", f"**{patient_status_text(card.status)}**", "", card.text, ""]
        if card.evidence_note:
            lines += [f"_What the guidelines and studies say:_ {card.evidence_note}", ""]
    if s.offered_assessments:
        lines += ["## Checks that go with these options", ""]
        lines += [f"- **{a.plain_title}**: {a.patient_status_text}" for a in s.offered_assessments]
        lines.append("")
    if s.not_for_now:
        lines += ["## Options you may have read about that are not right for you now", ""]
        lines += [f"- **{o.plain_title}**: {o.patient_status_text}" for o in s.not_for_now]
        lines.append("")
    if s.evidence_items:
        lines += ["## What the studies found", ""]
        for item in s.evidence_items:
            lines += [f"{item.label}:", ""]
            lines += [f"- {icon.text}" for icon in item.icon_arrays]
            lines += ["", f"_{item.caption}_", ""]
    return [*lines, *_case(s), *_charts(s), *_sources(s)]


def to_markdown(summary: Summary) -> str:
    """The summary as one Markdown document (a table row per option for clinicians)."""
    lines = _patient(summary) if summary.audience == "patient" else _clinician(summary)
    lines += ["---", "", f"_{summary.disclaimer} {summary.footer_text}._", ""]
    return "\n".join(lines)
