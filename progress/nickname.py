"""The nickname a resident chooses to keep their quiz progress (never an identifier).

Rules: 2-32 characters; letters, digits, ``_``, ``-`` and ``.`` only; at least one letter (a
number-only nickname could be a record number, a phone number or a date); nothing that looks like
an e-mail address or a domain name. Nicknames are not case-sensitive: they are stored in lower case.
"""

from __future__ import annotations

import re

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "NICKNAME_HELP", "InvalidNickname", "nickname_problem", "validate_nickname"]

MIN_LENGTH = 2
MAX_LENGTH = 32
_ALLOWED = re.compile(r"^[A-Za-z0-9_.\-]+$")
_LETTER = re.compile(r"[A-Za-z]")
_DOMAIN = re.compile(
    r"\.(?:com|org|net|edu|gov|mil|int|info|biz|io|co|uk|us|de|fr|nl|be|ch|it|es|ca|au|nz|ie|in|nhs)$", re.IGNORECASE)

NICKNAME_HELP = (f"{MIN_LENGTH}-{MAX_LENGTH} characters: letters, digits, _ - . only (for example 'owl_r2'). "
                 "Not your name, e-mail or staff number: the nickname is the only thing that links your attempts.")


class InvalidNickname(ValueError):
    """A nickname that breaks the rules; the message says which rule, in plain words."""


def nickname_problem(nickname: str) -> str | None:
    """What is wrong with ``nickname`` (``None`` when it is acceptable)."""
    text = nickname.strip()
    if "@" in text:
        return "looks like an e-mail address: choose a nickname instead (no identifiers)."
    if len(text) < MIN_LENGTH:
        return f"must have at least {MIN_LENGTH} characters."
    if len(text) > MAX_LENGTH:
        return f"must have at most {MAX_LENGTH} characters (got {len(text)})."
    if not _ALLOWED.match(text):
        bad = sorted({c for c in text if not re.match(r"[A-Za-z0-9_.\-]", c)})
        shown = " ".join("space" if c == " " else repr(c) for c in bad)
        return f"may hold only the letters a-z, digits, _ - and . (not {shown})."
    if not _LETTER.search(text):
        return "must contain at least one letter (numbers only could be a record or phone number)."
    if _DOMAIN.search(text):
        return "looks like an e-mail address or web domain: choose a nickname instead (no identifiers)."
    return None


def validate_nickname(nickname: str) -> str:
    """The nickname, stripped and in lower case; :class:`InvalidNickname` when it breaks a rule."""
    problem = nickname_problem(nickname)
    if problem is not None:
        raise InvalidNickname(f"Nickname {problem}")
    return nickname.strip().lower()
