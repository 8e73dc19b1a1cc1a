"""Consultation summaries: one case to Markdown, a self-contained HTML file or an A4 PDF (pure: no Streamlit).

    summary = build_summary(case, "acog", audience="clinician")   # CaseValidationError if invalid
    to_markdown(summary); to_html(summary); to_pdf(summary)
"""

from .html import to_html
from .markdown import to_markdown
from .summary import (
    DISCLAIMER,
    STATUS_MARKER,
    STATUS_WORD,
    AlertItem,
    AssessmentItem,
    Audience,
    CaseSection,
    EvidenceItem,
    IconArrayItem,
    OptionItem,
    SourceRef,
    Summary,
    build_summary,
    status_text,
)

FORMATS = ("pdf", "html", "md")
MIME_TYPES = {"pdf": "application/pdf", "html": "text/html", "md": "text/markdown"}


def to_pdf(summary: Summary) -> bytes:
    """The summary as an A4 PDF (see :mod:`reports.pdf`; fpdf2 is imported only when a PDF is made)."""
    from .pdf import to_pdf as render_pdf

    return render_pdf(summary)


def render(summary: Summary, fmt: str) -> bytes:
    """The summary in ``fmt`` (pdf, html or md) as bytes (UTF-8 for the text formats)."""
    if fmt == "pdf":
        return to_pdf(summary)
    if fmt == "html":
        return to_html(summary).encode("utf-8")
    if fmt == "md":
        return to_markdown(summary).encode("utf-8")
    raise ValueError(f"format: must be one of {', '.join(FORMATS)} (got {fmt!r})")


__all__ = [
    "DISCLAIMER", "FORMATS", "MIME_TYPES", "STATUS_MARKER", "STATUS_WORD", "AlertItem", "AssessmentItem", "Audience",
    "CaseSection", "EvidenceItem", "IconArrayItem", "OptionItem", "SourceRef", "Summary", "build_summary",
    "render", "status_text", "to_html", "to_markdown", "to_pdf",
]
