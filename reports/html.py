"""The summary as ONE self-contained HTML file: inline CSS (with a print stylesheet) and the
interactive Plotly charts with plotly.js inlined once. Nothing is fetched from the network.
"""

from __future__ import annotations

from html import escape

from figures import alt_text

from .charts import chart_figures
from .summary import Summary, patient_status_text

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


def _alerts(s: Summary) -> str:
    if not s.alerts:
        body = "<p>No alert for this case.</p>"
    else:
        body = "".join(
            f'<div class="alert {escape(a.severity)}" role="alert"><strong>{_e(a.marker)}: {_e(a.title)}</strong>. '
            f'{_e(a.message)} <span class="small">(Sources: {_e(", ".join(a.sources))})</span></div>'
            for a in s.alerts
        )
    return f'<section class="keep" id="alerts"><h2>Alerts</h2>{body}</section>'


def _case(s: Summary) -> str:
    parts = ['<section id="case"><h2>Case as entered</h2>']
    for section in s.case_sections:
        rows = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in section.rows)
        parts.append(f'<h3>{_e(section.title)}</h3><table class="case"><thead><tr><th scope="col">Item</th>'
                     f'<th scope="col">Value</th></tr></thead><tbody>{rows}</tbody></table>')
    parts.append("</section>")
    return "".join(parts)


def _options(s: Summary) -> str:
    rows = "".join(
        f'<tr id="option-{escape(o.id)}"><td><strong>{_e(o.title)}</strong></td><td>{_status(o.status, o.status_text)}</td>'
        f'<td>{_e(o.rationale)}</td><td class="sources-cell">{_e(", ".join(o.sources))}</td></tr>'
        for o in s.options
    )
    table = ('<table class="options"><thead><tr><th scope="col">Option</th><th scope="col">Status</th>'
             f'<th scope="col">Rationale</th><th scope="col">Sources</th></tr></thead><tbody>{rows}</tbody></table>')
    cards = []
    for o in s.options:
        if not (o.evidence_note or o.seed_text):
            continue
        body = f"<h3>{_e(o.title)} {_status(o.status, o.status_text)}</h3>"
        if o.seed_text:
            body += f"<blockquote>{_e(o.seed_text)}</blockquote>"
        if o.evidence_note:
            body += f'<p class="note"><strong>Evidence note:</strong> {_e(o.evidence_note)}</p>'
        cards.append(f'<div class="card">{body}</div>')
    fits = "".join(f'<li><strong>{_e(i.label)}</strong> (for {_e(i.option_title)}): {_e(i.caption)}</li>'
                   for i in s.evidence_items)
    fits = f"<ul>{fits}</ul>" if fits else "<p>No study figure fits an option offered in this case.</p>"
    return (f'<section id="options"><h2>Management options</h2>{table}</section>'
            f"{_assessments(s)}{_basis(s)}"
            f'<section id="evidence-notes"><h2>Evidence notes and the seed</h2>{"".join(cards)}'
            f"<h3>Study figures that fit this case</h3>{fits}</section>")


def _assessments(s: Summary) -> str:
    if not s.offered_assessments:
        body = "<p>No assessment is recommended or to consider for this case.</p>"
    else:
        rows = "".join(
            f'<tr id="assessment-{escape(a.id)}"><td><strong>{_e(a.title)}</strong></td>'
            f"<td>{_status(a.status, a.status_text)}</td><td>{_e(a.rationale)}</td>"
            f'<td class="sources-cell">{_e(", ".join(a.sources))}</td></tr>'
            for a in s.offered_assessments
        )
        body = ('<table class="assessments"><thead><tr><th scope="col">Assessment</th><th scope="col">Status</th>'
                f'<th scope="col">Rationale</th><th scope="col">Sources</th></tr></thead><tbody>{rows}</tbody></table>')
    return f'<section id="assessments"><h2>Before or alongside these options (assessments)</h2>{body}</section>'


def _basis(s: Summary) -> str:
    items = "".join(
        f'<li id="basis-{escape(o.id)}"><strong>{_e(o.title)}</strong> {_status(o.status, o.status_text)}: '
        f"{_e(o.basis_text or 'no input recorded.')}</li>"
        for o in s.offered
    )
    return (f'<section id="basis"><h2>Basis of each offered option</h2><p class="small">The inputs and thresholds '
            f"that decided each status (with the thresholds' sources).</p><ul>{items}</ul></section>")


def _patient_options(s: Summary) -> str:
    parts = ['<section id="options"><h2>What we suggest</h2>']
    if not s.patient_cards:
        parts.append("<p>Nothing extra is needed today beyond your usual care.</p>")
    for c in s.patient_cards:
        note = (f'<p class="note"><strong>What the guidelines and studies say:</strong> {_e(c.evidence_note)}</p>'
                if c.evidence_note else "")
        parts.append(f'<div class="card" id="patient-{escape(c.option_id)}"><h3>{_e(c.title)}</h3>'
                     f"<p>{_status(c.status, patient_status_text(c.status))}</p><p>{_e(c.text)}</p>{note}</div>")
    if s.offered_assessments:
        items = "".join(f"<li><strong>{_e(a.plain_title)}</strong>: {_status(a.status, a.patient_status_text)}</li>"
                        for a in s.offered_assessments)
        parts.append(f"<h3>Checks that go with these options</h3><ul>{items}</ul>")
    if s.not_for_now:
        items = "".join(f"<li><strong>{_e(o.plain_title)}</strong>: {_status(o.status, o.patient_status_text)}</li>"
                        for o in s.not_for_now)
        parts.append(f"<h3>Options you may have read about that are not right for you now</h3><ul>{items}</ul>")
    for item in s.evidence_items:
        icons = "".join(f"<li>{_e(i.text)}</li>" for i in item.icon_arrays)
        parts.append(f"<h3>What the studies found</h3><p>{_e(item.label)}:</p>"
                     f'<ul class="icons">{icons}</ul><p class="small">{_e(item.caption)}</p>')
    parts.append("</section>")
    return "".join(parts)


def _charts(s: Summary) -> str:
    parts = ['<section id="charts"><h2>Charts</h2>']
    for index, chart in enumerate(chart_figures(s)):
        div = chart.figure.to_html(full_html=False, include_plotlyjs=index == 0, div_id=chart.id,
                                   config=_PLOTLY_CONFIG, validate=False)
        alt = alt_text(chart.figure)
        parts.append(
            f'<figure class="chart" role="group" aria-label="{_e(chart.title)}" aria-describedby="{chart.id}-alt">'
            f"<h3>{_e(chart.title)}</h3>{div}"
            f'<figcaption id="{chart.id}-alt"><strong>Text alternative:</strong> {_e(alt)}</figcaption></figure>'
        )
    parts.append("</section>")
    return "".join(parts)


def _sources(s: Summary) -> str:
    items = "".join(f"<li><strong>{_e(src.id)}</strong>: {_e(src.reference)} "
                    f'<span class="small">(last reviewed {_e(src.last_reviewed)})</span></li>' for src in s.sources)
    return f'<section id="sources"><h2>Sources</h2><ol class="sources">{items}</ol></section>'


def to_html(summary: Summary) -> str:
    """One self-contained HTML document (plotly.js inlined once; no external resource)."""
    s = summary
    if s.audience == "patient":
        body = _head(s) + _alerts(s) + _patient_options(s) + _charts(s) + _case(s) + _sources(s)
    else:
        body = _head(s) + _alerts(s) + _case(s) + _options(s) + _charts(s) + _sources(s)
    footer = f"<footer>{_e(s.disclaimer)} {_e(s.footer_text)}. No patient identifier is recorded.</footer>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(s.title)} - {_e(s.ga_label)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}{footer}</main></body></html>\n"
    )
