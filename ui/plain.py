"""Text that the user supplied (a file name, a link value, a message that echoes a cell), shown as plain text.

Streamlit renders alerts, captions and markdown as Markdown: a file named ``[x](http://…).csv`` or
``**urgent**.csv`` would become a link or bold text. :func:`plain` escapes every Markdown, LaTeX
and emoji-shortcode character and turns line breaks into spaces, so the text shows as written.
"""

from __future__ import annotations

_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]<>()#+-.!|$~:")


def plain(text: object) -> str:
    """``text`` escaped for Streamlit Markdown: it renders exactly as written, on one line."""
    flat = " ".join(str(text).splitlines())
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in flat)
