"""The summary as Markdown (GitHub-flavoured tables)."""

from __future__ import annotations

from figures import alt_text, cervical_length_figure

from .charts import chart_figures
from .summary import (
    APPENDIX_HEADING,
    GROUP_TEXT,
    WHEN_TO_COME_IN_HEADING,
    Summary,
    format_date,
    patient_status_text,
    status_text,
    when_to_come_in,
)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _head(s: Summary) -> list[str]:
    if s.audience == "patient":
        return [f"# {s.title}", "", f"Printed {s.generated_text}. Your due date is about {format_date(s.edd)}.", ""]
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
    lines = ["## A.1 Case as entered", ""]
    for section in s.case_sections:
        lines += [f"### {section.title}", "", *_table(("Item", "Value"), list(section.rows)), ""]
    return lines


def _findings(s: Summary) -> list[str]:
    return ["## Findings", "", *[f"- {line}" for line in s.findings], "",
            "_Everything else was recorded as absent or not measured: the full case is in the appendix._", ""]


def _alerts(s: Summary) -> list[str]:
    if not s.alerts:
        return []
    lines = ["## Alerts", ""]
    for alert in s.alerts:
        lines.append(f"- **{alert.marker}: {alert.title}**: {alert.message} _(Sources: {', '.join(alert.sources)})_")
    return [*lines, ""]


def _plan(s: Summary) -> list[str]:
    lines = ["## Plan: offered options, most urgent first", ""]
    if not s.plan:
        return [*lines, "No option is recommended or to consider for this case.", ""]
    number = 0
    for item in s.plan:
        tags = [t for t in (GROUP_TEXT[item.group], item.deadline_label) if t]
        tag = f" — _{' · '.join(tags)}_" if tags else ""
        if item.alternative_to:
            lines.append(f"   - or **{item.title}** ({status_text(item.status)}; alternative to "
                         f"{s.option(item.alternative_to).title}){tag}: {item.one_line_reason}")
        else:
            number += 1
            lines.append(f"{number}. **{item.title}** ({status_text(item.status)}){tag}: {item.one_line_reason}")
    if s.not_offered:
        lines += ["", f"_Not offered: {len(s.not_offered)} options; each with its rationale in the appendix._"]
    return [*lines, ""]


def _checklist(s: Summary) -> list[str]:
    lines = ["## Assessments to do", ""]
    if not s.offered_assessments:
        return [*lines, "No assessment is recommended or to consider for this case.", ""]
    lines += [f"- [ ] **{a.title}** ({a.status_text}): {a.short}" for a in s.offered_assessments]
    return [*lines, ""]


def _trend(s: Summary) -> list[str]:
    if not s.length_points:
        return []
    points = list(s.length_points)
    fig = cervical_length_figure(points[:-1], points[-1], thresholds=s.length_lines)
    return ["## Cervical-length trend", "", alt_text(fig), ""]


def _record() -> list[str]:
    return ["## Record of the consultation", "", "- Discussed with the patient: ", "- Patient's decision: ",
            "- Plan and follow-up: ", "- Clinician: ", "- Signature: ", "- Date and time: ", ""]


def _charts(s: Summary) -> list[str]:
    lines = ["## A.4 Charts (text descriptions)", ""]
    for chart in chart_figures(s):
        lines += [f"**{chart.title}.** {alt_text(chart.figure)}", ""]
    return lines


def _sources(s: Summary) -> list[str]:
    lines = ["## A.6 References", ""]
    lines += [f"- **{src.id}**: {src.text}" for src in s.sources]
    return [*lines, ""]


def _assessments(s: Summary) -> list[str]:
    lines = ["## A.3 Assessments", ""]
    lines += _table(("Assessment", "Status", "Rationale", "Sources"),
                    [(a.title, a.status_text, a.rationale, ", ".join(a.sources)) for a in s.assessments])
    return [*lines, ""]


def _evidence_fit(s: Summary) -> list[str]:
    if s.evidence_items:
        return [f"- **{item.label}** (for {item.option_title}): {item.caption}" for item in s.evidence_items] + [""]
    return ["No study figure fits an option offered in this case.", ""]


def _clinician(s: Summary) -> list[str]:
    lines = [*_head(s), *_findings(s), *_alerts(s), *_plan(s), *_checklist(s), *_trend(s), *_record(),
             f"# {APPENDIX_HEADING}", "", *_case(s), "## A.2 Every option: status, rationale, what decided it, sources", ""]
    lines += _table(
        ("Option", "Status", "Rationale", "Decided by", "Sources"),
        [(o.title, o.status_text, o.rationale, o.basis_text, ", ".join(o.sources)) for o in s.options],
    )
    lines += ["", "### Evidence notes and what the practice leaflet says", ""]
    for option in s.options:
        if not (option.evidence_note or option.seed_text):
            continue
        lines += [f"#### {option.title} ({option.status_text})", ""]
        if option.evidence_note:
            lines += [f"- Evidence note: {' '.join(option.evidence_note.split())}"]
        if option.seed_text:
            lines += [f"- {option.seed_text}"]
        lines.append("")
    lines += [*_assessments(s), "## A.5 Study figures that fit this case", "", *_evidence_fit(s)]
    return [*lines, *_charts(s), *_sources(s)]


def _patient(s: Summary) -> list[str]:
    lines = [*_head(s), "## What we found", "", *[f"- {line}" for line in s.plain_findings], "", "## Your choices", ""]
    if not s.patient_cards:
        lines += ["Nothing extra is needed today beyond your usual check-ups.", ""]
    for card in s.patient_cards:
        lines += [f"### {card.title}", "", f"**{patient_status_text(card.status)}**", "", card.text, ""]
        if card.evidence_note:
            lines += [f"_What the guidelines and studies say:_ {card.evidence_note}", ""]  # already in plain words
    if s.offered_assessments:
        lines += ["## Checks that go with these", ""]
        lines += [f"- {a.plain_title}" for a in s.offered_assessments]
        lines.append("")
    if s.not_for_now:
        lines += ["## Options you may have read about that are not right for you now", ""]
        lines += [f"- **{o.plain_title}**: {o.patient_status_text}" for o in s.not_for_now]
        lines.append("")
    if s.evidence_items:
        lines += ["## What the studies found", ""]
        for item in s.evidence_items:
            lines += [f"{item.plain_option_title}:", ""]
            lines += [f"- {icon.text}" for icon in item.icon_arrays]
            lines += ["", f"_{item.patient_caption}_", ""]
    elif s.show_outcomes:
        lines += ["Your team can go through what the studies found for babies born at this stage.", ""]
    lines += [f"## {WHEN_TO_COME_IN_HEADING}", "", *[f"- {line}" for line in when_to_come_in(s)], "",
              "**Do not wait for your next appointment.**", "", "## Your next appointment", "",
              "- Date and time: ", "- Where: ", "- Phone number to call, day or night: ", "- Your midwife or doctor: ", ""]
    return lines


def to_markdown(summary: Summary) -> str:
    """The summary as one Markdown document (a table row per option for clinicians)."""
    lines = _patient(summary) if summary.audience == "patient" else _clinician(summary)
    if summary.audience == "patient":
        lines += ["---", "", f"_{summary.footer_text}. This sheet supports your talks with your care team._", ""]
    else:
        lines += ["---", "", f"_{summary.disclaimer} {summary.footer_text}._", ""]
    return "\n".join(lines)
