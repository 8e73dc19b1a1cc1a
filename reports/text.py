"""Text for the PDF's core fonts (latin-1 only): typographic characters replaced sensibly."""

from __future__ import annotations

import re
import unicodedata

_REPLACEMENTS = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2011": "-", "\u2010": "-", "\u2212": "-",
    "\u2264": "<=", "\u2265": ">=", "\u2260": "!=", "\u2248": "~",
    "\u2026": "...", "\u2022": "-", "\u00b7": "-", "\u2192": "->", "\u2190": "<-", "\u2194": "<->",
    "\u25cb": "o", "\u25b2": "^", "\u25cf": "*", "\u2713": "v", "\u2717": "x", "\u00d7": "x",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
    "\u2122": "(TM)", "\u00ae": "(R)", "\u00a9": "(c)", "\u2030": " per mille",
    "\u03b1": "alpha", "\u03b2": "beta", "\u03bc": "u", "\u0142": "l", "\u0141": "L", "\u0111": "d", "\u0110": "D",
}
_TABLE = str.maketrans(_REPLACEMENTS)
_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")


def latin1(text: object) -> str:
    """``text`` made safe for a latin-1 core font: quotes, dashes, ≤ ≥ and the like spelt in ASCII;
    accented letters kept when latin-1 has them (ö), stripped of the accent otherwise (ł -> l);
    anything else becomes ``?``.
    """
    value = str(text).translate(_TABLE)
    out = []
    for char in value:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
            out.append(base or "?")
    return _SPACES.sub(" ", "".join(out))
