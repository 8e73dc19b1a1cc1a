"""The summary as ONE self-contained HTML file: inline CSS (with a print stylesheet) and the
interactive Plotly charts with plotly.js inlined once. Nothing is fetched from the network.
"""

from __future__ import annotations

from html import escape

from figures import alt_text, cervical_length_figure, icon_array

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

_CSS = """
:root { --ink: #1a1a1a; --muted: #555; --line: #d0d0d0; --card: #fff; --bg: #f5f6f8; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 0 0 .75rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
section { background: var(--card); border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0;
          box-shadow: 0 1px 4px rgba(0,0,0,.12); }
.disclaimer { border: 2px solid var(--ink); border-radius: 6px; padding: .5rem .75rem; font-weight: 600; margin: .5rem 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .75rem 0 0; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
table { width: 100%; border-collapse: collapse; margin: .25rem 0 .75rem; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; border: 1px solid var(--line); padding: .35rem .5rem; }
th { background: #eef0f3; }
table.case td:first-child { width: 55%; }
.status { display: inline-block; white-space: nowrap; font-weight: 700; padding: .05rem .45rem; border-radius: 4px;
          border: 1.5px solid currentColor; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
          font-size: .85rem; }
.status-recommended { color: #005a3c; background: #e3f4ec; }
.status-consider { color: #004f80; background: #e4f1fa; }
.status-not_recommended { color: #7a4a00; background: #fdf1dc; }
.status-contraindicated { color: #8f2f00; background: #fbe6dc; }
.status-not_applicable { color: #444; background: #efefef; }
.alert { border-left: 6px solid #8f2f00; background: #fbe6dc; padding: .5rem .75rem; margin: .5rem 0; border-radius: 4px; }
.alert.warning { border-left-color: #7a4a00; background: #fdf1dc; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem; margin: .6rem 0;
        box-shadow: 0 1px 3px rgba(0,0,0,.08); }
.card h3 { margin-top: 0; }
blockquote { margin: .4rem 0; padding: .2rem .75rem; border-left: 4px solid #999; color: #333; font-style: italic; }
.note { background: #f2f2f7; border-radius: 4px; padding: .4rem .6rem; margin: .4rem 0; }
.small, .sources-cell { font-size: .85rem; color: var(--muted); }
figure.chart { margin: 1rem 0 1.5rem; }
figure.chart figcaption { font-size: .9rem; color: #333; margin-top: .3rem; }
ol.sources li { margin: .2rem 0; }
.icons { font-size: 1.1rem; font-weight: 600; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
           clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
ol.plan li { margin: .5rem 0; } .tags { font-weight: 700; font-size: .9rem; color: #444; }
.tags.time-critical { color: #8f2f00; } .reason { margin-top: .1rem; } .or { margin: .4rem 0 0 1.5rem; }
ul.checklist { list-style: none; padding-left: 0; } ul.big { font-size: 1.1rem; }
.field { margin: .6rem 0; } .lines { border-bottom: 1px solid #999; } .lines.l1 { height: 1.8rem; }
.lines.l2 { height: 3.6rem; background: linear-gradient(#fff 1.75rem, #999 1.75rem, #999 1.85rem, #fff 1.85rem); }
.sign { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 1rem; }
.come-in { border: 3px solid #8f2f00; } .come-in li { font-size: 1.1rem; }
footer { font-size: .85rem; color: var(--muted); text-align: center; margin-top: 2rem; }
button.print { float: right; font: inherit; padding: .3rem .8rem; cursor: pointer; }
@page { size: A4; margin: 15mm 12mm 18mm 12mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  * { box-shadow: none !important; text-shadow: none !important; }
  section { border-radius: 0; padding: 0; margin: 0; break-before: page; page-break-before: always; }
  section.first, section.keep { break-before: auto; page-break-before: auto; }
  section.keep { margin-top: 1rem; }
  tr, .card, .alert, figure.chart { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .no-print, .modebar-container { display: none !important; }
  .status { background: none !important; }
  a { color: inherit; text-decoration: none; }
}
"""

_PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def _e(text: object) -> str:
    return escape(" ".join(str(text).split()))


def _status(status: str, text: str) -> str:
    return f'<span class="status status-{escape(status)}">{_e(text)}</span>'


def _head(s: Summary) -> str:
    if s.audience == "patient":
        return (
            '<section class="first" id="summary">'
            '<button class="print no-print" type="button" onclick="window.print()">Print</button>'
            f"<h1>{_e(s.title)}</h1><p>Printed {_e(s.generated_text)}. Your due date is about "
            f"{_e(format_date(s.edd))}.</p></section>"
        )
    meta = [
        ("Gestational age", s.ga_label),
        ("Estimated due date", s.edd_text),
        ("Guideline profile", s.profile_label),
        ("Knowledge base", f"{s.knowledge_base_version} (last reviewed {s.knowledge_base_reviewed})"),
        ("Generated", s.generated_text),
    ]
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in meta)
    return (
        '<section class="first" id="summary">'
        '<button class="print no-print" type="button" onclick="window.print()">Print</button>'
        f"<h1>{_e(s.title)}</h1>"
        f'<p class="disclaimer" role="note">{_e(s.disclaimer)}</p>'
        f'<dl class="meta">{rows}</dl></section>'
    )


def _findings(s: Summary) -> str:
    items = "".join(f"<li>{_e(line)}</li>" for line in s.findings)
    return (f'<section class="keep" id="findings"><h2>Findings</h2><ul>{items}</ul><p class="small">Everything else '
            "was recorded as absent or not measured: the full case is in the appendix.</p></section>")


def _alerts(s: Summary) -> str:
    if not s.alerts:
        return ""
    body = "".join(
        f'<div class="alert {escape(a.severity)}" role="alert"><strong>{_e(a.marker)}: {_e(a.title)}</strong>. '
        f'{_e(a.message)} <span class="small">(Sources: {_e(", ".join(a.sources))})</span></div>'
        for a in s.alerts
    )
    return f'<section class="keep" id="alerts"><h2>Alerts</h2>{body}</section>'


def _plan(s: Summary) -> str:
    if not s.plan:
        return ('<section class="keep" id="plan"><h2>Plan: offered options, most urgent first</h2>'
                "<p>No option is recommended or to consider for this case.</p></section>")
    items: list[str] = []
    for item in s.plan:
        tags = [t for t in (GROUP_TEXT[item.group], item.deadline_label) if t]
        if item.alternative_to:
            tags.insert(0, f"alternative to {s.option(item.alternative_to).title}")
        tag = f'<div class="tags {escape(item.group)}">{_e(" · ".join(tags))}</div>' if tags else ""
        body = (f'<strong>{_e(item.title)}</strong> {_status(item.status, status_text(item.status))}{tag}'
                f'<div class="reason">{_e(item.one_line_reason)}</div>')
        if item.alternative_to and items:
            items[-1] = items[-1].replace("</li>", f'<div class="or" id="plan-{escape(item.id)}">or: {body}</div></li>')
        else:
            items.append(f'<li id="plan-{escape(item.id)}">{body}</li>')
    counts: dict[str, int] = {}
    for option in s.not_offered:
        counts[option.status_word.lower()] = counts.get(option.status_word.lower(), 0) + 1
    rest = ", ".join(f"{n} {word}" for word, n in counts.items())
    tail = (f'<p class="small">Not offered: {len(s.not_offered)} options ({_e(rest)}); each with its rationale in the '
            "appendix.</p>") if s.not_offered else ""
    return (f'<section class="keep" id="plan"><h2>Plan: offered options, most urgent first</h2>'
            f'<ol class="plan">{"".join(items)}</ol>{tail}</section>')


def _checklist(s: Summary) -> str:
    if not s.offered_assessments:
        body = "<p>No assessment is recommended or to consider for this case.</p>"
    else:
        body = '<ul class="checklist">' + "".join(
            f'<li id="check-{escape(a.id)}"><span class="box" aria-hidden="true">☐</span> <strong>{_e(a.title)}</strong> '
            f"({_e(a.status_text)}): {_e(a.short)}</li>" for a in s.offered_assessments) + "</ul>"
    return f'<section class="keep" id="checks"><h2>Assessments to do</h2>{body}</section>'


def _chart(chart_id: str, title: str, figure: object, first: bool) -> str:
    div = figure.to_html(full_html=False, include_plotlyjs=first, div_id=chart_id,  # type: ignore[attr-defined]
                         config=_PLOTLY_CONFIG, validate=False)
    alt = alt_text(figure)  # type: ignore[arg-type]
    return (f'<figure class="chart" role="group" aria-label="{_e(title)}" aria-describedby="{chart_id}-alt">'
            f'<h3>{_e(title)}</h3>{div}<figcaption class="sr-only" id="{chart_id}-alt">{_e(alt)}</figcaption></figure>')


def _trend(s: Summary) -> str:
    if not s.length_points:
        return ""
    points = list(s.length_points)
    fig = cervical_length_figure(points[:-1], points[-1], thresholds=s.length_lines)
    return (f'<section class="keep" id="trend"><h2>Cervical-length trend</h2>'
            f'{_chart("chart-length", "Cervical length by gestational age", fig, True)}</section>')


def _record() -> str:
    fields = "".join(f'<div class="field"><strong>{_e(label)}</strong><div class="lines l{n}"></div></div>'
                     for label, n in (("Discussed with the patient", 2), ("Patient's decision", 2),
                                      ("Plan and follow-up", 2)))
    sign = "".join(f'<div><strong>{_e(label)}</strong><div class="lines l1"></div></div>'
                   for label in ("Clinician", "Signature", "Date and time"))
    return (f'<section class="keep" id="record"><h2>Record of the consultation</h2>{fields}'
            f'<div class="sign">{sign}</div></section>')


def _case(s: Summary) -> str:
    parts = ['<section id="case"><h2 id="appendix">' + _e(APPENDIX_HEADING) + "</h2><h2>A.1 Case as entered</h2>"]
    for section in s.case_sections:
        rows = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in section.rows)
        parts.append(f'<h3>{_e(section.title)}</h3><table class="case"><thead><tr><th scope="col">Item</th>'
                     f'<th scope="col">Value</th></tr></thead><tbody>{rows}</tbody></table>')
    parts.append("</section>")
    return "".join(parts)


def _options(s: Summary) -> str:
    rows = "".join(
        f'<tr id="option-{escape(o.id)}"><td><strong>{_e(o.title)}</strong></td><td>{_status(o.status, o.status_text)}</td>'
        f'<td>{_e(o.rationale)}<div class="small basis">{_e(o.basis_text)}</div></td>'
        f'<td class="sources-cell">{_e(", ".join(o.sources))}</td></tr>'
        for o in s.options
    )
    table = ('<table class="options"><thead><tr><th scope="col">Option</th><th scope="col">Status</th>'
             f'<th scope="col">Rationale and what decided it</th><th scope="col">Sources</th></tr></thead>'
             f"<tbody>{rows}</tbody></table>")
    cards = []
    for o in s.options:
        if not (o.evidence_note or o.seed_text):
            continue
        body = f"<h3>{_e(o.title)} {_status(o.status, o.status_text)}</h3>"
        if o.evidence_note:
            body += f'<p class="note"><strong>Evidence note:</strong> {_e(o.evidence_note)}</p>'
        if o.seed_text:
            body += f"<blockquote>{_e(o.seed_text)}</blockquote>"
        cards.append(f'<div class="card">{body}</div>')
    fits = "".join(f'<li><strong>{_e(i.label)}</strong> (for {_e(i.option_title)}): {_e(i.caption)}</li>'
                   for i in s.evidence_items)
    fits = f"<ul>{fits}</ul>" if fits else "<p>No study figure fits an option offered in this case.</p>"
    return (f'<section id="options"><h2>A.2 Every option: status, rationale, what decided it, sources</h2>{table}'
            f'<h3>Evidence notes and what the practice leaflet says</h3>{"".join(cards)}</section>'
            f"{_assessments(s)}"
            f'<section id="evidence-fit"><h2>A.5 Study figures that fit this case</h2>{fits}</section>')


def _assessments(s: Summary) -> str:
    rows = "".join(
        f'<tr id="assessment-{escape(a.id)}"><td><strong>{_e(a.title)}</strong></td>'
        f"<td>{_status(a.status, a.status_text)}</td><td>{_e(a.rationale)}</td>"
        f'<td class="sources-cell">{_e(", ".join(a.sources))}</td></tr>'
        for a in s.assessments
    )
    body = ('<table class="assessments"><thead><tr><th scope="col">Assessment</th><th scope="col">Status</th>'
            f'<th scope="col">Rationale</th><th scope="col">Sources</th></tr></thead><tbody>{rows}</tbody></table>')
    return f'<section id="assessments"><h2>A.3 Assessments</h2>{body}</section>'


def _patient_findings(s: Summary) -> str:
    items = "".join(f"<li>{_e(line)}</li>" for line in s.plain_findings)
    return f'<section class="keep" id="findings"><h2>What we found</h2><ul class="big">{items}</ul></section>'


def _patient_options(s: Summary) -> str:
    parts = ['<section class="keep" id="options"><h2>Your choices</h2>']
    if not s.patient_cards:
        parts.append("<p>Nothing extra is needed today beyond your usual check-ups.</p>")
    for c in s.patient_cards:
        note = (f'<p class="note"><strong>What the guidelines and studies say:</strong> {_e(c.evidence_note)}'
                "</p>" if c.evidence_note else "")
        parts.append(f'<div class="card" id="patient-{escape(c.option_id)}"><h3>{_e(c.title)}</h3>'
                     f"<p>{_status(c.status, patient_status_text(c.status))}</p><p>{_e(c.text)}</p>{note}</div>")
    if s.offered_assessments:
        items = "".join(f"<li>{_e(a.plain_title)}</li>" for a in s.offered_assessments)
        parts.append(f"<h3>Checks that go with these</h3><ul>{items}</ul>")
    if s.not_for_now:
        items = "".join(f"<li><strong>{_e(o.plain_title)}</strong>: {_status(o.status, o.patient_status_text)}</li>"
                        for o in s.not_for_now)
        parts.append(f"<h3>Options you may have read about that are not right for you now</h3><ul>{items}</ul>")
    first = True
    for item in s.evidence_items:
        icons = "".join(f"<li>{_e(i.text)}</li>" for i in item.icon_arrays)
        parts.append(f"<h3>What the studies found</h3><p>{_e(item.plain_option_title)}:</p>"
                     f'<ul class="icons">{icons}</ul><p class="small">{_e(item.patient_caption)}</p>')
        for k, icon in enumerate(item.icon_arrays):
            parts.append(_chart(f"chart-icons-{item.key}-{k + 1}", icon.text, icon_array(icon.percent, icon.label), first))
            first = False
    if s.show_outcomes and not s.evidence_items:
        parts.append("<p>Your team can go through what the studies found for babies born at this stage.</p>")
    parts.append("</section>")
    return "".join(parts)


def _when_to_come_in(s: Summary) -> str:
    items = "".join(f"<li>{_e(line)}</li>" for line in when_to_come_in(s))
    return (f'<section class="keep come-in" id="when-to-come-in"><h2>{_e(WHEN_TO_COME_IN_HEADING)}</h2>'
            f"<ul>{items}</ul><p><strong>Do not wait for your next appointment.</strong></p></section>")


def _appointment() -> str:
    fields = "".join(f'<div class="field"><strong>{_e(label)}:</strong><div class="lines l1"></div></div>'
                     for label in ("Date and time", "Where", "Phone number to call, day or night",
                                   "Your midwife or doctor"))
    return f'<section class="keep" id="appointment"><h2>Your next appointment</h2>{fields}</section>'


def _charts(s: Summary) -> str:
    parts = ['<section id="charts"><h2>A.4 Charts</h2>']
    first = not s.length_points
    for chart in chart_figures(s):
        parts.append(_chart(chart.id, chart.title, chart.figure, first))
        first = False
    parts.append("</section>")
    return "".join(parts)


def _sources(s: Summary) -> str:
    items = "".join(f"<li><strong>{_e(src.id)}</strong>: {_e(src.reference)} "
                    f'<span class="small">(last reviewed {_e(src.last_reviewed)})</span></li>' for src in s.sources)
    return f'<section id="sources"><h2>A.6 References</h2><ol class="sources">{items}</ol></section>'


def to_html(summary: Summary) -> str:
    """One self-contained HTML document (plotly.js inlined once; no external resource)."""
    s = summary
    if s.audience == "patient":
        body = (_head(s) + _patient_findings(s) + _patient_options(s) + _when_to_come_in(s) + _appointment())
        footer = (f"<footer>{_e(s.footer_text)}. This sheet supports your talks with your care team; it does not "
                  "replace them.</footer>")
    else:
        body = (_head(s) + _findings(s) + _alerts(s) + _plan(s) + _checklist(s) + _trend(s) + _record()
                + _case(s) + _options(s) + _charts(s) + _sources(s))
        footer = f"<footer>{_e(s.disclaimer)} {_e(s.footer_text)}. No patient identifier is recorded.</footer>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(s.title)} - {_e(s.ga_label)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}{footer}</main></body></html>\n"
    )
