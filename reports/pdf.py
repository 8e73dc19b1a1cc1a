"""The summary as an A4 PDF (fpdf2, DejaVu Sans embedded from ``reports/fonts``: "≤", "–", "é" print as such).

Two documents:

- **Clinician summary**: the plan on page 1 (positive findings, alerts, the offered options ranked with
  their reasons and deadlines, the assessments, the cervical-length trend where measured), then the
  record of the consultation (discussed, decision, plan and follow-up, clinician, signature); at most
  two pages. The appendix starts on a new page under the heading :data:`APPENDIX_HEADING`: the full
  case, every option with its status, rationale, decided_by and sources, the assessments, the
  timeline, the outcome figures and the references.
- **Patient handout**: at most two pages, large type and plain words (what we found, your choices,
  what the studies found, when to call or come in, the next appointment), from
  :func:`decision.patient_view.patient_view` only: no alert block, codes, source ids, cohort tables
  or file paths.

Charts are drawn natively (no browser, no kaleido); each one's text alternative is PDF alt text (a
tagged /Figure), not printed. Footer on every page: the generation time with its zone and "Page N of M".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from figures import OKABE_ITO, alt_text, cervical_length_figure, timeline_figure
from figures.types import Band

from .summary import (
    APPENDIX_HEADING,
    GROUP_TEXT,
    STATUS_MARKER,
    WHEN_TO_COME_IN_HEADING,
    EvidenceItem,
    Summary,
    format_date,
    patient_status_text,
    when_to_come_in,
)

FONT = "DejaVu"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MARGIN = 15.0
PAGE_W = 210.0
PAGE_H = 297.0
BOTTOM = 16.0
WIDTH = PAGE_W - 2 * MARGIN
_RGB = {name: tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) for name, h in zip(
    ("black", "orange", "sky", "green", "yellow", "blue", "vermilion", "purple"), OKABE_ITO, strict=True)}
_BAND_COLOURS = ("sky", "orange", "green", "yellow", "blue", "purple")
_STATUS_FILL = {
    "recommended": (227, 244, 236),
    "consider": (228, 241, 250),
    "not_recommended": (253, 241, 220),
    "contraindicated": (251, 230, 220),
    "not_applicable": (240, 240, 240),
}
_HEAD = FontFace(emphasis="BOLD", fill_color=(230, 232, 236))


class _Document(FPDF):
    def __init__(self, summary: Summary):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.summary = summary
        for style, name in FONT_FILES.items():
            self.add_font(FONT, style, str(FONT_DIR / name))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_title(f"{summary.title} – {summary.ga_label}")
        self.set_author("Cervical insufficiency decision support")
        self.set_subject(summary.disclaimer)
        self.set_lang("en")
        if summary.audience == "clinician":
            self.set_creator(f"knowledge base {summary.knowledge_base_version}")

    def multi_cell(self, *args, align: str = "L", **kwargs):  # type: ignore[no-untyped-def, override]
        """Left-aligned (ragged right) unless told otherwise: easier to read than justified text."""
        return super().multi_cell(*args, align=align, **kwargs)

    def footer(self) -> None:
        s = self.summary
        self.set_y(-11)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(80, 80, 80)
        self.set_draw_color(180, 180, 180)
        self.line(MARGIN, self.get_y() - 1, PAGE_W - MARGIN, self.get_y() - 1)
        left = f"{s.footer_text} · decision support, not a substitute for clinical judgment" if (
            s.audience == "clinician") else f"{s.footer_text}. This sheet supports your talks with your care team."
        self.cell(WIDTH * 0.84, 4, left, align="L")
        self.cell(WIDTH * 0.16, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # --- building blocks -------------------------------------------------------------------
    def room(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit above the bottom margin."""
        if self.get_y() + height > PAGE_H - BOTTOM:
            self.add_page()

    def heading(self, text: str, size: float = 12, space: float = 20, rule: bool = True) -> None:
        self.room(space)
        self.ln(1.5)
        self.set_font(FONT, "B", size)
        self.multi_cell(WIDTH, size * 0.48, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if rule:
            self.set_draw_color(0, 0, 0)
            self.set_line_width(0.3)
            self.line(MARGIN, self.get_y() + 0.6, PAGE_W - MARGIN, self.get_y() + 0.6)
            self.set_line_width(0.2)
            self.ln(1.8)
        else:
            self.ln(0.8)

    def para(self, text: str, style: str = "", size: float = 9.5, height: float | None = None, indent: float = 0) -> None:
        self.set_font(FONT, style, size)
        self.set_x(MARGIN + indent)
        self.multi_cell(WIDTH - indent, height or size * 0.47, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def labelled(self, label: str, text: str, size: float = 9, indent: float = 0) -> None:
        """``label`` in bold followed by ``text``, wrapped as one paragraph."""
        self.set_font(FONT, "", size)
        self.set_x(MARGIN + indent)
        self.multi_cell(WIDTH - indent, size * 0.47, f"**{_md(label)}** {_md(text)}", markdown=True,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, lines: Sequence[str], size: float = 9.5, bullet: str = "•", gap: float = 0.3) -> None:
        for line in lines:
            self.set_font(FONT, "", size)
            y = self.get_y()
            self.set_xy(MARGIN, y)
            self.cell(5, size * 0.47, bullet)
            self.multi_cell(WIDTH - 5, size * 0.47, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(gap)

    @contextmanager
    def figure(self, alt: str, height: float) -> Iterator[None]:
        """Draw a chart as a tagged figure whose text alternative is PDF alt text (never printed)."""
        self.room(height)
        with self._marked_sequence(alt_text=alt):
            yield


def _md(text: str) -> str:
    """Neutralise fpdf2's markdown markers (** __ --) inside plain text."""
    return text.replace("**", "* *").replace("__", "_ _").replace("--", "- -")


def _ga(days: int) -> str:
    return f"{days // 7}+{days % 7}"


# --- charts ---------------------------------------------------------------------------------------
def _length_chart(pdf: _Document, s: Summary, height: float = 40.0) -> None:
    """Cervical length (mm) against GA (weeks): the points joined, the latest marked, the profile's reference lines
    (30, 25, 20, 10 mm: ``Summary.length_lines``, as on screen)."""
    points = list(s.length_points)
    fig = cervical_length_figure(points[:-1], points[-1], thresholds=s.length_lines)
    with pdf.figure(alt_text(fig), height + 2):
        x0, width = MARGIN + 10, WIDTH * 0.62
        top = pdf.get_y() + 1
        bottom = top + height - 10
        first, last = points[0][0] // 7 - 1, points[-1][0] // 7 + 2
        span = max(last - first, 4)
        y_max = max(50.0, max(mm for _, mm in points) + 5)

        def xy(days: float, mm: float) -> tuple[float, float]:
            return x0 + (days / 7 - first) / span * width, bottom - mm / y_max * (bottom - top)

        pdf.set_draw_color(0, 0, 0)
        pdf.line(x0, bottom, x0 + width, bottom)
        pdf.line(x0, top, x0, bottom)
        pdf.set_font(FONT, "", 6.5)
        for week in range(first, first + span + 1):
            x = x0 + (week - first) / span * width
            pdf.line(x, bottom, x, bottom + 1)
            pdf.text(x - pdf.get_string_width(str(week)) / 2, bottom + 3.6, str(week))
        for mm in range(0, int(y_max) + 1, 10):
            y = xy(first * 7, mm)[1]
            pdf.line(x0 - 1, y, x0, y)
            pdf.text(x0 - 1.8 - pdf.get_string_width(str(mm)), y + 1, str(mm))
        pdf.text(x0 + width / 2 - 14, bottom + 7.5, "Gestational age (weeks)")
        pdf.text(MARGIN, top - 0.8, "mm")
        for (mm, label), colour in zip(s.length_lines, itertools.cycle(("green", "orange", "vermilion", "black")),
                                       strict=False):
            y = xy(first * 7, mm)[1]
            pdf.set_draw_color(*_RGB[colour])
            pdf.set_dash_pattern(dash=1, gap=0.8)
            pdf.line(x0, y, x0 + width, y)
            pdf.set_dash_pattern()
            pdf.set_text_color(0, 0, 0)
            pdf.text(x0 + width + 1.5, y + 1, label)
        pdf.set_draw_color(*_RGB["blue"])
        pdf.set_line_width(0.7)
        for (d0, m0), (d1, m1) in itertools.pairwise(points):
            pdf.line(*xy(d0, m0), *xy(d1, m1))
        pdf.set_line_width(0.2)
        pdf.set_fill_color(*_RGB["blue"])
        for days, mm in points:
            cx, cy = xy(days, mm)
            pdf.circle(cx, cy, 0.9, style="F")
        cx, cy = xy(*points[-1])
        pdf.set_fill_color(*_RGB["vermilion"])
        pdf.polygon([(cx, cy - 1.8), (cx + 1.8, cy), (cx, cy + 1.8), (cx - 1.8, cy)], style="DF")
        pdf.set_font(FONT, "B", 7)
        label = f"Latest: {points[-1][1]:g} mm at {_ga(points[-1][0])}"
        pdf.text(min(cx + 2.5, x0 + width - pdf.get_string_width(label)), cy - 2.5, label)
        pdf.set_draw_color(0, 0, 0)
    pdf.set_y(top + height)


def _timeline(pdf: _Document, s: Summary) -> None:
    bands: Sequence[Band] = [b for b in s.bands if b.end_days is not None]
    row_h = 6.4
    axis_h = 13
    top_h = 9
    x_max = max(42, s.ga_total_days / 7 + 1)
    fig = timeline_figure(s.ga_total_days, list(s.bands), s.rupture_total_days)
    pdf.heading("A.4 Timeline", space=14 + top_h + row_h * len(bands) + axis_h)
    with pdf.figure(alt_text(fig), top_h + row_h * len(bands) + axis_h):
        x0 = MARGIN
        scale = WIDTH / x_max
        top = pdf.get_y() + top_h
        bottom = top + row_h * len(bands)

        def x_of(days: float) -> float:
            return x0 + days / 7 * scale

        pdf.set_draw_color(215, 215, 215)
        pdf.set_line_width(0.15)
        for week in range(0, int(x_max) + 1, 4):
            pdf.line(x0 + week * scale, top, x0 + week * scale, bottom)
        pdf.set_line_width(0.2)
        for i, band in enumerate(bands):
            start = 0 if band.start_days is None else band.start_days
            end = int(band.end_days or 0) + 1
            bx0, bx1 = x_of(start), x_of(end)
            y = top + i * row_h
            pdf.set_fill_color(*_RGB[_BAND_COLOURS[i % len(_BAND_COLOURS)]])
            pdf.set_draw_color(0, 0, 0)
            pdf.rect(bx0, y + 3.2, max(bx1 - bx0, 0.6), 2.6, style="DF")
            pdf.set_font(FONT, "", 6.5)
            label = f"{band.label} ({_ga(start) if band.start_days is not None else 'up to'}–{_ga(end - 1)})"
            width = pdf.get_string_width(label)
            lx = bx0 if bx0 + width <= x0 + WIDTH else (bx1 - width if bx1 - width >= x0 else x0)
            pdf.set_fill_color(255, 255, 255)
            pdf.rect(lx - 0.4, y + 0.3, width + 0.8, 2.9, style="F")
            pdf.text(lx, y + 2.7, label)
        pdf.set_draw_color(0, 0, 0)
        pdf.line(x0, bottom + 0.5, x0 + WIDTH, bottom + 0.5)
        pdf.set_font(FONT, "", 6.5)
        for week in range(0, int(x_max) + 1):
            x = x0 + week * scale
            major = week % 4 == 0
            pdf.line(x, bottom + 0.5, x, bottom + (2.0 if major else 1.1))
            if major:
                pdf.text(x - pdf.get_string_width(str(week)) / 2, bottom + 4.6, str(week))
        pdf.set_font(FONT, "", 7.5)
        title = "Gestational age (weeks)"
        pdf.text(x0 + WIDTH / 2 - pdf.get_string_width(title) / 2, bottom + 8.8, title)
        marks = [(s.ga_total_days, f"Today {_ga(s.ga_total_days)}", _RGB["black"], False)]
        if s.rupture_total_days is not None:
            marks.append((s.rupture_total_days, f"Rupture {_ga(s.rupture_total_days)}", _RGB["vermilion"], True))
        marks.sort(key=lambda m: (m[0], m[1].startswith("Today")))
        for k, (days, text, colour, dashed) in enumerate(marks):
            x = x_of(days)
            pdf.set_draw_color(*colour)
            pdf.set_line_width(0.6)
            if dashed:
                pdf.set_dash_pattern(dash=1.2, gap=0.8)
            pdf.line(x, top - 2.5, x, bottom + 0.5)
            pdf.set_dash_pattern()
            pdf.set_line_width(0.2)
            pdf.set_fill_color(*colour)
            pdf.polygon([(x - 1.3, top - 4.4), (x + 1.3, top - 4.4), (x, top - 2.5)], style="F")
            pdf.set_font(FONT, "B", 7.5)
            pdf.set_text_color(*colour)
            width = pdf.get_string_width(text)
            centred = min(max(x - width / 2, x0), x0 + WIDTH - width)
            lx = (x - width - 1.8 if k == 0 else x + 1.8) if len(marks) == 2 else centred
            pdf.text(max(lx, x0), top - 5.2, text)
            pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(0, 0, 0)
    pdf.set_y(bottom + axis_h)


def _icon_grid(pdf: _Document, x: float, y: float, count: int, step: float = 3.6) -> None:
    radius = step * 0.38
    for k in range(100):
        cx = x + (k % 10) * step + radius
        cy = y + (k // 10) * step + radius
        if k < count:
            pdf.set_fill_color(*_RGB["blue"])
            pdf.set_draw_color(*_RGB["blue"])
            pdf.circle(cx, cy, radius, style="DF")
        else:
            pdf.set_draw_color(150, 150, 150)
            pdf.set_line_width(0.3)
            pdf.circle(cx, cy, radius - 0.15, style="D")
            pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)


# --- clinician summary ------------------------------------------------------------------------------
def _clinician_head(pdf: _Document, s: Summary) -> None:
    pdf.set_font(FONT, "B", 15)
    pdf.cell(WIDTH * 0.75, 7, s.title)
    pdf.set_font(FONT, "B", 15)
    pdf.cell(WIDTH * 0.25, 7, f"{s.ga_label} weeks", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 8.5)
    pdf.multi_cell(WIDTH, 4.2, f"EDD {s.edd_text} · Guideline profile {s.profile_label} · Knowledge base "
                               f"{s.knowledge_base_version} (reviewed {s.knowledge_base_reviewed}) · Generated "
                               f"{s.generated_text}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 8.5)
    pdf.multi_cell(WIDTH, 4.2, f"{s.disclaimer} No patient identifier is recorded (clinical values only).",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _findings(pdf: _Document, s: Summary) -> None:
    pdf.heading("Findings")
    pdf.bullets(s.findings, size=9.5)
    pdf.para("Everything else was recorded as absent or not measured: the full case is in the appendix (A.1).",
             style="I", size=8)


def _alerts(pdf: _Document, s: Summary) -> None:
    if not s.alerts:
        return
    pdf.heading("Alerts")
    for alert in s.alerts:
        critical = alert.severity == "critical"
        pdf.set_fill_color(*((251, 230, 220) if critical else (253, 241, 220)))
        pdf.set_draw_color(143, 47, 0)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(WIDTH, 4.5, f"**{_md(alert.marker)}: {_md(alert.title)}.** {_md(alert.message)}",
                       border=1, fill=True, markdown=True, padding=(1, 1.5), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    pdf.set_draw_color(0, 0, 0)


def _plan(pdf: _Document, s: Summary) -> None:
    pdf.heading("Plan: offered options, most urgent first")
    if not s.plan:
        pdf.para("No option is recommended or to consider for this case.")
    number = 0
    for item in s.plan:
        pdf.room(12)
        alternative = item.group == "alternative"
        if not alternative:
            number += 1
        indent = 12.0 if alternative else 0.0
        y = pdf.get_y()
        pdf.set_xy(MARGIN + indent, y)
        pdf.set_font(FONT, "B", 10)
        lead = "or" if alternative else f"{number}."
        pdf.cell(7, 5.2, lead)
        status = f"{STATUS_MARKER[item.status]} {item.status.replace('_', ' ').capitalize()}"
        pdf.set_fill_color(*_STATUS_FILL[item.status])
        pdf.set_font(FONT, "B", 8.5)
        pdf.cell(pdf.get_string_width(status) + 3, 5.2, status, fill=True, border=1)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(2, 5.2, "")
        pdf.multi_cell(WIDTH - indent - 12 - pdf.get_string_width(status) - 3, 5.2, item.title,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        tags = [t for t in (GROUP_TEXT[item.group], item.deadline_label) if t]
        if alternative:
            tags.insert(0, f"alternative to {s.option(item.alternative_to or '').title}")
        if tags:
            pdf.set_text_color(*((143, 47, 0) if item.group == "time-critical" else (60, 60, 60)))
            pdf.para(" · ".join(tags), style="B", size=8.5, indent=indent + 7)
            pdf.set_text_color(0, 0, 0)
        pdf.para(item.one_line_reason, size=8.8, indent=indent + 7)
        pdf.ln(1.2)
    if s.not_offered:
        counts: dict[str, int] = {}
        for option in s.not_offered:
            counts[option.status_word.lower()] = counts.get(option.status_word.lower(), 0) + 1
        text = ", ".join(f"{n} {word}" for word, n in counts.items())
        pdf.para(f"Not offered: {len(s.not_offered)} options ({text}); each with its rationale in the appendix (A.2).",
                 style="I", size=8)


def _checks(pdf: _Document, s: Summary) -> None:
    pdf.heading("Assessments to do")
    if not s.offered_assessments:
        pdf.para("No assessment is recommended or to consider for this case.", size=9)
        return
    for item in s.offered_assessments:
        pdf.room(9)
        y = pdf.get_y() + 0.6
        pdf.set_draw_color(0, 0, 0)
        pdf.rect(MARGIN, y, 3.2, 3.2)
        pdf.set_xy(MARGIN + 5, pdf.get_y())
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(WIDTH - 5, 4.4, f"**{_md(item.title)}** ({_md(item.status_text)}): {_md(item.short)}",
                       markdown=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.6)


def _trend(pdf: _Document, s: Summary) -> None:
    if not s.length_points:
        return
    pdf.heading("Cervical-length trend", space=52)
    _length_chart(pdf, s)


def _record(pdf: _Document) -> None:
    """Fields for the clinician to complete by hand."""
    pdf.heading("Record of the consultation", space=62)
    fields = (("Discussed with the patient", 2), ("Patient's decision", 2), ("Plan and follow-up", 2))
    for label, lines in fields:
        pdf.set_font(FONT, "B", 9)
        pdf.cell(WIDTH, 4.5, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(150, 150, 150)
        for _ in range(lines):
            y = pdf.get_y() + 6.5
            pdf.line(MARGIN, y, PAGE_W - MARGIN, y)
            pdf.set_y(y)
        pdf.ln(1.5)
    pdf.set_font(FONT, "B", 9)
    y = pdf.get_y() + 5
    for x, label, width in ((MARGIN, "Clinician", 62), (MARGIN + 66, "Signature", 60), (MARGIN + 130, "Date and time", 50)):
        pdf.text(x, y, label)
        pdf.line(x, y + 7, x + width - 4, y + 7)
    pdf.set_y(y + 9)
    pdf.set_draw_color(0, 0, 0)


def _appendix(pdf: _Document, s: Summary) -> None:
    pdf.add_page()
    pdf.start_section(APPENDIX_HEADING)
    pdf.heading(APPENDIX_HEADING, size=13)
    _case(pdf, s)
    _every_option(pdf, s)
    _every_assessment(pdf, s)
    _timeline(pdf, s)
    _studies(pdf, s)
    _outcomes(pdf, s)
    _sources(pdf, s)


def _case(pdf: _Document, s: Summary) -> None:
    pdf.heading("A.1 Case as entered", size=11)
    pdf.set_font(FONT, "", 8)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(170, 170, 170)
    with pdf.table(col_widths=(62, 38), text_align="LEFT", line_height=3.9, headings_style=_HEAD,
                   padding=(0.5, 1.5)) as table:
        head = table.row()
        head.cell("Item")
        head.cell("Value")
        for section in s.case_sections:
            row = table.row()
            row.cell(section.title, colspan=2, style=FontFace(emphasis="BOLD", fill_color=(245, 246, 248)))
            for label, value in section.rows:
                row = table.row()
                row.cell(label)
                row.cell(value)
    pdf.set_draw_color(0, 0, 0)


def _every_option(pdf: _Document, s: Summary) -> None:
    pdf.heading("A.2 Every option: status, rationale, what decided it, sources", size=11)
    for option in s.options:
        pdf.room(18)
        pdf.set_fill_color(*_STATUS_FILL[option.status])
        pdf.set_font(FONT, "B", 9.5)
        pdf.multi_cell(WIDTH, 5, f"{option.title}  {option.status_text}", fill=True, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        pdf.para(option.rationale, size=8.5, indent=2)
        if option.basis_text:
            pdf.labelled("Decided by:", option.basis_text, size=8, indent=2)
        if option.sources:
            pdf.labelled("Sources:", ", ".join(option.sources), size=8, indent=2)
        if option.evidence_note:
            pdf.labelled("Evidence note:", " ".join(option.evidence_note.split()), size=8, indent=2)
        if option.seed_text:
            pdf.para(option.seed_text, style="I", size=8, indent=2)
        pdf.ln(1.2)


def _every_assessment(pdf: _Document, s: Summary) -> None:
    pdf.heading("A.3 Assessments", size=11)
    for item in s.assessments:
        pdf.room(12)
        pdf.labelled(f"{item.title} {item.status_text}:", f"{item.rationale} (Sources: {', '.join(item.sources) or '-'})",
                     size=8.5)
        pdf.ln(0.8)


def _studies(pdf: _Document, s: Summary) -> None:
    pdf.heading("A.5 Study figures that fit this case", size=11)
    if not s.evidence_items:
        pdf.para("No study figure fits an option offered in this case.", size=8.5)
    for item in s.evidence_items:
        pdf.labelled(f"{item.label} (for {item.option_title}):", item.caption, size=8.5)
        pdf.ln(1)


def _outcomes(pdf: _Document, s: Summary) -> None:
    survival = s.survival
    weeks = [int(w) for w in survival["weeks"]]
    cohorts = list(survival.get("cohorts") or [])
    pdf.heading("A.6 Outcomes by gestational age at birth", size=11, space=18 + 6 * (len(cohorts) + 3))
    if s.outcomes_not_applicable:
        pdf.para(f"These figures do not apply to this pregnancy: {s.outcomes_not_applicable}.", style="B", size=9)
    pdf.para(f"Survival (%) by completed week at birth; this pregnancy is at {s.ga_weeks} weeks"
             + (" (column marked ▶)." if s.ga_weeks in weeks else f", outside the {weeks[0]}–{weeks[-1]} weeks shown."),
             size=8.5)
    pdf.set_font(FONT, "", 7.5)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(170, 170, 170)
    first = 70
    rest = (100 - first / WIDTH * 100) / len(weeks)
    highlight = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
    with pdf.table(col_widths=(first / WIDTH * 100, *([rest] * len(weeks))), text_align="LEFT", line_height=3.8,
                   headings_style=_HEAD, padding=(0.6, 1.2)) as table:
        head = table.row()
        head.cell("Cohort (measure, denominator)")
        for w in weeks:
            head.cell(f"▶ {w} wk" if w == s.ga_weeks else f"{w} wk")
        for cohort in cohorts:
            row = table.row()
            row.cell(f"{cohort['label']} ({cohort['measure']}, {cohort['denominator']})")
            for w, value in zip(weeks, cohort["percent"], strict=True):
                text = "not entered here" if value is None else f"{float(value):g}%"
                row.cell(text, style=highlight if w == s.ga_weeks else None)
    pdf.set_draw_color(0, 0, 0)
    von = survival.get("von")
    notes = []
    if von:
        notes.append(f"{von['label']}: " + "; ".join(
            f"{r['week']} weeks {float(r['from_percent']):g}% ({r['from_year']}) to {float(r['to_percent']):g}% ({r['to_year']})"
            for r in von.get("by_week", [])) + ".")
    for key in ("caveat", "denominator_note"):
        if survival.get(key):
            notes.append(str(survival[key]))
    if notes:
        pdf.para(" ".join(notes), size=7.5)


def _sources(pdf: _Document, s: Summary) -> None:
    pdf.heading("A.7 References", size=11)
    for index, src in enumerate(s.sources, start=1):
        pdf.room(8)
        pdf.set_font(FONT, "", 7.8)
        pdf.multi_cell(WIDTH, 3.7, f"{index}. **{_md(src.id)}**: {_md(src.reference)} (last reviewed {src.last_reviewed})",
                       markdown=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.4)


def _clinician(pdf: _Document, s: Summary) -> None:
    _clinician_head(pdf, s)
    _findings(pdf, s)
    _alerts(pdf, s)
    _plan(pdf, s)
    _checks(pdf, s)
    _trend(pdf, s)
    _record(pdf)
    _appendix(pdf, s)


# --- patient handout ------------------------------------------------------------------------------
BODY = 12.0  # large type


def _patient(pdf: _Document, s: Summary) -> None:
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(WIDTH, 9, s.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", BODY - 1)
    pdf.multi_cell(WIDTH, 5.5, f"Printed {s.generated_text}. Your due date is about {format_date(s.edd)}.",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.heading("What we found", size=15, space=24)
    pdf.bullets(s.plain_findings, size=BODY, gap=0.8)
    pdf.heading("Your choices", size=15, space=30)
    if not s.patient_cards:
        pdf.para("Nothing extra is needed today beyond your usual check-ups.", size=BODY)
    for card in s.patient_cards:
        pdf.room(26)
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(WIDTH, 6.2, card.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        status = patient_status_text(card.status)
        pdf.set_font(FONT, "B", 10.5)
        pdf.set_fill_color(*_STATUS_FILL[card.status])
        pdf.cell(pdf.get_string_width(status) + 4, 6, status, fill=True, border=1, new_x=XPos.LMARGIN,
                 new_y=YPos.NEXT)
        pdf.ln(0.8)
        pdf.para(card.text, size=BODY, height=5.6)
        if card.evidence_note:
            pdf.labelled("What the guidelines and studies say:", card.evidence_note, size=10.5)  # already plain
        pdf.ln(2)
    if s.offered_assessments:
        pdf.heading("Checks that go with these", size=13, space=20, rule=False)
        pdf.bullets([a.plain_title for a in s.offered_assessments], size=BODY)
    if s.not_for_now:
        pdf.heading("Options you may have read about that are not right for you now", size=13, space=20, rule=False)
        pdf.bullets([f"{o.plain_title}: {o.patient_status_text.split('] ', 1)[-1].lower()}" for o in s.not_for_now],
                    size=BODY)
    for item in s.evidence_items:
        _patient_evidence(pdf, item)
    if s.show_outcomes and not s.evidence_items:
        pdf.para("Your team can go through what the studies found for babies born at this stage.", size=BODY)
    _when_to_come_in(pdf, s)
    _appointment(pdf)


def _patient_evidence(pdf: _Document, item: EvidenceItem) -> None:
    pdf.heading("What the studies found", size=15, space=62)
    pdf.para("Each circle stands for one person in 100; the filled circles show how many had the outcome.", size=10.5)
    pdf.ln(1.5)
    per_row = 4
    col_w = WIDTH / per_row
    for start in range(0, len(item.icon_arrays), per_row):
        pdf.room(52)
        y = pdf.get_y()
        bottom = y
        for j, icon in enumerate(item.icon_arrays[start:start + per_row]):
            x = MARGIN + j * col_w
            pdf.set_xy(x, y)
            pdf.set_font(FONT, "B", 10)
            pdf.multi_cell(col_w - 3, 4.6, icon.text, new_x=XPos.LEFT, new_y=YPos.NEXT)
            grid_y = max(pdf.get_y() + 1, y + 15)
            _icon_grid(pdf, x, grid_y, icon.count)
            bottom = max(bottom, grid_y + 37)
        pdf.set_y(bottom)
    pdf.para(item.patient_caption, size=9.5)


def _when_to_come_in(pdf: _Document, s: Summary) -> None:
    signs = when_to_come_in(s)
    pdf.set_font(FONT, "", BODY)  # the lines' own font, to count how many rows each wraps to
    rows = sum(len(pdf.multi_cell(WIDTH - 11, 6, line, dry_run=True, output="LINES")) for line in signs)
    height = 12 + 6.2 * rows + 8
    pdf.room(height + 4)
    pdf.ln(2)
    top = pdf.get_y()
    pdf.set_draw_color(143, 47, 0)
    pdf.set_line_width(0.8)
    pdf.set_x(MARGIN + 3)
    pdf.set_font(FONT, "B", 15)
    pdf.ln(2)
    pdf.set_x(MARGIN + 3)
    pdf.cell(WIDTH - 6, 7, WHEN_TO_COME_IN_HEADING, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(MARGIN + 3)
    pdf.set_font(FONT, "", BODY)
    for line in signs:
        pdf.set_x(MARGIN + 3)
        pdf.cell(5, 6, "•")
        pdf.multi_cell(WIDTH - 11, 6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(MARGIN + 3)
    pdf.set_font(FONT, "B", BODY)
    pdf.multi_cell(WIDTH - 6, 6, "Do not wait for your next appointment.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = pdf.get_y() + 2
    pdf.rect(MARGIN, top, WIDTH, bottom - top)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_y(bottom + 2)


def _appointment(pdf: _Document) -> None:
    pdf.room(40)
    pdf.heading("Your next appointment", size=15, space=40)
    pdf.set_draw_color(120, 120, 120)
    for label in ("Date and time", "Where", "Phone number to call, day or night", "Your midwife or doctor"):
        pdf.set_font(FONT, "", BODY)
        y = pdf.get_y() + 7
        pdf.text(MARGIN, y, f"{label}:")
        start = MARGIN + pdf.get_string_width(f"{label}:") + 3
        pdf.line(start, y + 0.8, PAGE_W - MARGIN, y + 0.8)
        pdf.set_y(y + 2)
    pdf.set_draw_color(0, 0, 0)


def to_pdf(summary: Summary) -> bytes:
    """The summary as PDF bytes (A4, "Page N of M" footer with the time and zone)."""
    pdf = _Document(summary)
    pdf.add_page()
    if summary.audience == "patient":
        _patient(pdf, summary)
    else:
        _clinician(pdf, summary)
    return bytes(pdf.output())
