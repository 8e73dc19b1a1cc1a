"""The summary as an A4 PDF (fpdf2, core Helvetica font, text sanitised to latin-1).

The timeline and icon arrays are drawn natively (rectangles, lines, circles and text): no
browser, no kaleido. Footer on every page: "Page N of M", the generation date and the
knowledge-base version.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from figures import OKABE_ITO, alt_text, timeline_figure
from figures.types import Band

from .summary import EvidenceItem, Summary, patient_status_text
from .text import latin1

FONT = "Helvetica"
MARGIN = 15.0
PAGE_W = 210.0
PAGE_H = 297.0
BOTTOM = 18.0
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
_X_MAX_WEEKS = 42


class _Document(FPDF):
    def __init__(self, summary: Summary):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.summary = summary
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_title(latin1(f"{summary.title} - {summary.ga_label}"))
        self.set_author("Cervical insufficiency decision support")
        self.set_subject(latin1(summary.disclaimer))
        self.set_creator(f"knowledge base {summary.knowledge_base_version}")

    def multi_cell(self, *args, align: str = "L", **kwargs):  # type: ignore[no-untyped-def, override]
        """Left-aligned (ragged right) unless told otherwise: easier to read than justified text."""
        return super().multi_cell(*args, align=align, **kwargs)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(80, 80, 80)
        self.set_draw_color(180, 180, 180)
        self.line(MARGIN, self.get_y() - 1, PAGE_W - MARGIN, self.get_y() - 1)
        self.cell(WIDTH * 0.75, 5, latin1(self.summary.footer_text), align="L")
        self.cell(WIDTH * 0.25, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # --- building blocks -------------------------------------------------------------------
    def room(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit above the bottom margin."""
        if self.get_y() + height > PAGE_H - BOTTOM:
            self.add_page()

    def heading(self, text: str, size: float = 14, space: float = 32) -> None:
        self.room(space)
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.multi_cell(WIDTH, size * 0.5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if size >= 13:
            self.set_draw_color(0, 0, 0)
            self.set_line_width(0.4)
            self.line(MARGIN, self.get_y() + 0.8, PAGE_W - MARGIN, self.get_y() + 0.8)
            self.set_line_width(0.2)
            self.ln(2.5)
        else:
            self.ln(1)

    def para(self, text: str, style: str = "", size: float = 10, height: float = 5) -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(WIDTH, height, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def labelled(self, label: str, text: str, size: float = 9.5) -> None:
        """``label`` in bold followed by ``text``, wrapped as one paragraph."""
        self.set_font(FONT, "", size)
        self.multi_cell(WIDTH, size * 0.5, f"**{_md(latin1(label))}** {_md(latin1(text))}", markdown=True,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _md(text: str) -> str:
    """Neutralise fpdf2's markdown markers (** __ --) inside plain text."""
    return text.replace("**", "* *").replace("__", "_ _").replace("--", "- -")


# --- sections -------------------------------------------------------------------------------
def _title(pdf: _Document, s: Summary) -> None:
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(WIDTH, 8, latin1(s.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font(FONT, "", 10)
    for label, value in (
        ("Gestational age:", s.ga_label),
        ("Estimated due date:", s.edd_text),
        ("Guideline profile:", s.profile_label),
        ("Knowledge base:", f"{s.knowledge_base_version} (last reviewed {s.knowledge_base_reviewed})"),
        ("Generated:", s.generated_text),
    ):
        pdf.set_font(FONT, "B", 10)
        pdf.cell(40, 5.2, latin1(label))
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(WIDTH - 40, 5.2, latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_line_width(0.6)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(WIDTH, 7, latin1(s.disclaimer), border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                   padding=(1.5, 2))
    pdf.set_line_width(0.2)
    pdf.set_font(FONT, "", 8.5)
    pdf.multi_cell(WIDTH, 4.5, "No patient identifier is recorded in this summary (clinical values only).",
                   align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _alerts(pdf: _Document, s: Summary) -> None:
    pdf.heading("Alerts")
    if not s.alerts:
        pdf.para("No alert for this case.")
        return
    for alert in s.alerts:
        pdf.set_fill_color(251, 230, 220) if alert.severity == "critical" else pdf.set_fill_color(253, 241, 220)
        pdf.set_draw_color(143, 47, 0)
        pdf.set_font(FONT, "", 10)
        text = (f"**{_md(latin1(alert.marker))}: {_md(latin1(alert.title))}.** {_md(latin1(alert.message))} "
                f"(Sources: {_md(latin1(', '.join(alert.sources)))})")
        pdf.multi_cell(WIDTH, 5, text, border=1, fill=True, markdown=True, padding=(1.5, 2),
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    pdf.set_draw_color(0, 0, 0)


def _case(pdf: _Document, s: Summary) -> None:
    pdf.heading("Case as entered")
    pdf.set_font(FONT, "", 9)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(170, 170, 170)
    with pdf.table(col_widths=(62, 38), text_align="LEFT", line_height=4.6, headings_style=_HEAD,
                   padding=(0.8, 1.5)) as table:
        head = table.row()
        head.cell("Item")
        head.cell("Value")
        for section in s.case_sections:
            row = table.row()
            row.cell(latin1(section.title), colspan=2, style=FontFace(emphasis="BOLD", fill_color=(245, 246, 248)))
            for label, value in section.rows:
                row = table.row()
                row.cell(latin1(label))
                row.cell(latin1(value))
    pdf.set_draw_color(0, 0, 0)


def _timeline(pdf: _Document, s: Summary) -> None:
    bands: Sequence[Band] = [b for b in s.bands if b.end_days is not None]
    row_h = 7.2
    axis_h = 14
    top_h = 9
    pdf.heading("Timeline", space=18 + top_h + row_h * len(bands) + axis_h)
    x0 = MARGIN
    x_max = max(_X_MAX_WEEKS, s.ga_total_days / 7 + 1)
    scale = WIDTH / x_max
    top = pdf.get_y() + top_h
    height = row_h * len(bands)
    bottom = top + height

    def x_of(days: float) -> float:
        return x0 + days / 7 * scale

    # grid every 4 weeks
    pdf.set_draw_color(215, 215, 215)
    pdf.set_line_width(0.15)
    for week in range(0, int(x_max) + 1, 4):
        pdf.line(x0 + week * scale, top, x0 + week * scale, bottom)
    # bands: the label above, the bar below, inside each row
    pdf.set_line_width(0.2)
    for i, band in enumerate(bands):
        start = 0 if band.start_days is None else band.start_days
        end = int(band.end_days or 0) + 1
        bx0, bx1 = x_of(start), x_of(end)
        y = top + i * row_h
        pdf.set_fill_color(*_RGB[_BAND_COLOURS[i % len(_BAND_COLOURS)]])
        pdf.set_draw_color(0, 0, 0)
        pdf.rect(bx0, y + 3.6, max(bx1 - bx0, 0.6), 3.0, style="DF")
        pdf.set_font(FONT, "", 7.5)
        label = latin1(f"{band.label} ({_ga(start) if band.start_days is not None else 'up to'}-{_ga(end - 1)})")
        width = pdf.get_string_width(label)
        if bx0 + width <= x0 + WIDTH:
            lx = bx0
        elif bx1 - width >= x0:
            lx = bx1 - width
        else:
            lx = x0
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(lx - 0.4, y + 0.4, width + 0.8, 3.2, style="F")
        pdf.text(lx, y + 3.0, label)
    # axis
    pdf.set_draw_color(0, 0, 0)
    pdf.line(x0, bottom + 0.5, x0 + WIDTH, bottom + 0.5)
    pdf.set_font(FONT, "", 7.5)
    for week in range(0, int(x_max) + 1):
        x = x0 + week * scale
        major = week % 4 == 0
        pdf.line(x, bottom + 0.5, x, bottom + (2.0 if major else 1.1))
        if major:
            label = str(week)
            pdf.text(x - pdf.get_string_width(label) / 2, bottom + 5, label)
    pdf.set_font(FONT, "", 8.5)
    title = "Gestational age (weeks)"
    pdf.text(x0 + WIDTH / 2 - pdf.get_string_width(title) / 2, bottom + 9.5, title)
    # markers: today (solid black) and rupture (dashed vermilion), with labels above the rows
    marks = [(s.ga_total_days, f"Today {_ga(s.ga_total_days)}", _RGB["black"], False)]
    if s.rupture_total_days is not None:
        marks.append((s.rupture_total_days, f"Rupture {_ga(s.rupture_total_days)}", _RGB["vermilion"], True))
    marks.sort(key=lambda m: (m[0], m[1].startswith("Today")))
    for k, (days, text, colour, dashed) in enumerate(marks):
        x = x_of(days)
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.7)
        if dashed:
            pdf.set_dash_pattern(dash=1.2, gap=0.8)
        pdf.line(x, top - 2.5, x, bottom + 0.5)
        pdf.set_dash_pattern()
        pdf.set_line_width(0.2)
        pdf.set_fill_color(*colour)
        pdf.polygon([(x - 1.3, top - 4.4), (x + 1.3, top - 4.4), (x, top - 2.5)], style="F")
        pdf.set_font(FONT, "B", 8.5)
        pdf.set_text_color(*colour)
        width = pdf.get_string_width(text)
        centred = min(max(x - width / 2, x0), x0 + WIDTH - width)
        lx = (x - width - 1.8 if k == 0 else x + 1.8) if len(marks) == 2 else centred
        pdf.text(max(lx, x0), top - 5.2, latin1(text))
        pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_y(bottom + axis_h)
    fig = timeline_figure(s.ga_total_days, list(s.bands), s.rupture_total_days)
    pdf.set_font(FONT, "I", 8)
    pdf.multi_cell(WIDTH, 4, latin1(f"Text alternative: {alt_text(fig)}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _ga(days: int) -> str:
    return f"{days // 7}+{days % 7}"


def _options(pdf: _Document, s: Summary) -> None:
    pdf.heading("Management options")
    pdf.set_font(FONT, "", 8.5)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(170, 170, 170)
    with pdf.table(col_widths=(41, 33, 77, 29), text_align="LEFT", line_height=4.2, headings_style=_HEAD,
                   padding=(1, 1.5)) as table:
        head = table.row()
        for text in ("Option", "Status", "Rationale", "Sources"):
            head.cell(text)
        for option in s.options:
            row = table.row()
            row.cell(latin1(option.title), style=FontFace(emphasis="BOLD"))
            row.cell(latin1(option.status_text), style=FontFace(emphasis="BOLD", fill_color=_STATUS_FILL[option.status]))
            row.cell(latin1(option.rationale))
            row.cell(latin1(", ".join(option.sources)), style=FontFace(size_pt=7.5))
    pdf.set_draw_color(0, 0, 0)


def _assessments(pdf: _Document, s: Summary) -> None:
    pdf.heading("Before or alongside these options (assessments)")
    if not s.offered_assessments:
        pdf.para("No assessment is recommended or to consider for this case.")
        return
    pdf.set_font(FONT, "", 8.5)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(170, 170, 170)
    with pdf.table(col_widths=(41, 33, 77, 29), text_align="LEFT", line_height=4.2, headings_style=_HEAD,
                   padding=(1, 1.5)) as table:
        head = table.row()
        for text in ("Assessment", "Status", "Rationale", "Sources"):
            head.cell(text)
        for item in s.offered_assessments:
            row = table.row()
            row.cell(latin1(item.title), style=FontFace(emphasis="BOLD"))
            row.cell(latin1(item.status_text), style=FontFace(emphasis="BOLD", fill_color=_STATUS_FILL[item.status]))
            row.cell(latin1(item.rationale))
            row.cell(latin1(", ".join(item.sources)), style=FontFace(size_pt=7.5))
    pdf.set_draw_color(0, 0, 0)


def _basis(pdf: _Document, s: Summary) -> None:
    pdf.heading("Basis of each offered option")
    pdf.para("The inputs and thresholds that decided each status (with the thresholds' sources).", size=9,
             height=4.5)
    for option in s.offered:
        pdf.room(16)
        pdf.ln(1)
        pdf.labelled(f"{option.title} ({option.status_text}):", option.basis_text or "no input recorded.", size=8.5)


def _notes(pdf: _Document, s: Summary) -> None:
    pdf.heading("Evidence notes and the seed")
    for option in s.options:
        if not (option.evidence_note or option.seed_text):
            continue
        pdf.room(22)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(WIDTH, 5, latin1(f"{option.title}  {option.status_text}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if option.seed_text:
            pdf.set_font(FONT, "I", 9)
            pdf.set_x(MARGIN + 3)
            pdf.multi_cell(WIDTH - 3, 4.4, latin1(option.seed_text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if option.evidence_note:
            pdf.set_x(MARGIN + 3)
            pdf.set_font(FONT, "", 9)
            pdf.multi_cell(WIDTH - 3, 4.4, f"**Evidence note:** {_md(latin1(' '.join(option.evidence_note.split())))}",
                           markdown=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    pdf.heading("Study figures that fit this case", size=11)
    if not s.evidence_items:
        pdf.para("No study figure fits an option offered in this case.", size=9, height=4.5)
    for item in s.evidence_items:
        pdf.labelled(f"{item.label} (for {item.option_title}):", item.caption, size=9)
        pdf.ln(1)


def _outcomes(pdf: _Document, s: Summary) -> None:
    survival = s.survival
    weeks = [int(w) for w in survival["weeks"]]
    cohorts = list(survival.get("cohorts") or [])
    pdf.heading("Outcomes by gestational age at birth", space=18 + 6 * (len(cohorts) + 3))
    if s.outcomes_not_applicable:
        pdf.para(f"These figures do not apply to this pregnancy: {s.outcomes_not_applicable}.", style="B", size=10)
    pdf.para(f"Survival (%) by completed week at birth; this pregnancy is at {s.ga_weeks} weeks"
             + (" (column marked >>)." if s.ga_weeks in weeks else f", outside the {weeks[0]}-{weeks[-1]} weeks shown."),
             size=9, height=4.5)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(170, 170, 170)
    first = 70
    rest = (100 - first / WIDTH * 100) / len(weeks)
    highlight = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
    with pdf.table(col_widths=(first / WIDTH * 100, *([rest] * len(weeks))), text_align="LEFT", line_height=4.2,
                   headings_style=_HEAD, padding=(0.8, 1.5)) as table:
        head = table.row()
        head.cell("Cohort (measure, denominator)")
        for w in weeks:
            head.cell(f">> {w} wk" if w == s.ga_weeks else f"{w} wk")
        for cohort in cohorts:
            row = table.row()
            row.cell(latin1(f"{cohort['label']} ({cohort['measure']}, {cohort['denominator']})"))
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
    if survival.get("caveat"):
        notes.append(str(survival["caveat"]))
    if survival.get("denominator_note"):
        notes.append(str(survival["denominator_note"]))
    if notes:
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(WIDTH, 4.2, latin1(" ".join(notes)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _icon_grid(pdf: _Document, x: float, y: float, count: int) -> None:
    step, radius = 4.2, 1.6
    for k in range(100):
        cx = x + (k % 10) * step + radius
        cy = y + (k // 10) * step + radius
        if k < count:
            pdf.set_fill_color(*_RGB["blue"])
            pdf.set_draw_color(*_RGB["blue"])
            pdf.circle(cx, cy, radius, style="DF")
        else:
            pdf.set_draw_color(150, 150, 150)
            pdf.set_line_width(0.35)
            pdf.circle(cx, cy, radius - 0.2, style="D")
            pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)


def _patient_options(pdf: _Document, s: Summary) -> None:
    pdf.heading("What we suggest")
    if not s.patient_cards:
        pdf.para("Nothing extra is needed today beyond your usual care.")
    for card in s.patient_cards:
        pdf.room(24)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(WIDTH, 6, latin1(card.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "B", 9.5)
        pdf.set_fill_color(*_STATUS_FILL[card.status])
        status = latin1(patient_status_text(card.status))
        pdf.cell(pdf.get_string_width(status) + 4, 5.5, status, fill=True, border=1, new_x=XPos.LMARGIN,
                 new_y=YPos.NEXT)
        pdf.ln(1)
        pdf.para(card.text, size=10.5, height=5.3)
        if card.evidence_note:
            pdf.labelled("What the guidelines and studies say:", card.evidence_note, size=9)
        pdf.ln(2)
    if s.offered_assessments:
        pdf.heading("Checks that go with these options", size=11)
        for item in s.offered_assessments:
            pdf.labelled(f"- {item.plain_title}:", item.patient_status_text, size=10)
    if s.not_for_now:
        pdf.heading("Options you may have read about that are not right for you now", size=11)
        for option in s.not_for_now:
            pdf.labelled(f"- {option.plain_title}:", option.patient_status_text, size=10)
    for item in s.evidence_items:
        _patient_evidence(pdf, item)


def _patient_evidence(pdf: _Document, item: EvidenceItem) -> None:
    pdf.heading("What the studies found", space=70)
    pdf.para(f"Each circle stands for one person in 100. Filled circles show how many had the outcome. "
             f"{item.label}.", size=10)
    pdf.ln(2)
    col_w = WIDTH / 2
    for start in range(0, len(item.icon_arrays), 2):
        pdf.room(60)
        y = pdf.get_y()
        bottom = y
        for j, icon in enumerate(item.icon_arrays[start:start + 2]):
            x = MARGIN + j * col_w
            pdf.set_xy(x, y)
            pdf.set_font(FONT, "B", 10)
            pdf.multi_cell(col_w - 4, 5, latin1(icon.text), new_x=XPos.LEFT, new_y=YPos.NEXT)
            grid_y = max(pdf.get_y() + 1, y + 11)
            _icon_grid(pdf, x, grid_y, icon.count)
            bottom = max(bottom, grid_y + 43)
        pdf.set_y(bottom)
    pdf.set_font(FONT, "", 8.5)
    pdf.multi_cell(WIDTH, 4.2, latin1(item.caption), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _sources(pdf: _Document, s: Summary) -> None:
    pdf.heading("Sources")
    for index, src in enumerate(s.sources, start=1):
        pdf.room(10)
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(WIDTH, 4.3, f"{index}. **{_md(latin1(src.id))}**: {_md(latin1(src.reference))} "
                                   f"(last reviewed {src.last_reviewed})",
                       markdown=True, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.6)


def to_pdf(summary: Summary) -> bytes:
    """The summary as PDF bytes (A4, "Page N of M" footer with the date and knowledge-base version)."""
    pdf = _Document(summary)
    pdf.add_page()
    _title(pdf, summary)
    _alerts(pdf, summary)
    if summary.audience == "patient":
        _patient_options(pdf, summary)
        _timeline(pdf, summary)
        if summary.show_outcomes:
            _outcomes(pdf, summary)
        _case(pdf, summary)
    else:
        _case(pdf, summary)
        _timeline(pdf, summary)
        _options(pdf, summary)
        _assessments(pdf, summary)
        _basis(pdf, summary)
        _notes(pdf, summary)
        _outcomes(pdf, summary)
    _sources(pdf, summary)
    return bytes(pdf.output())
