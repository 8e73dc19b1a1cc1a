"""The errors the engine raises: every one names a field path and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one field of a case: ``path`` is dotted (``cervix.length_mm``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class CaseValidationError(ValueError):
    """A case that does not satisfy the contract; ``errors`` lists every problem found."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class KnowledgeError(RuntimeError):
    """A malformed knowledge-base file: the message names the file and the field."""


#: Characters of a given value echoed in a message (a longer value is cut, with its length).
ECHO_LIMIT = 80


def shown_value(value: object, limit: int = ECHO_LIMIT) -> str:
    """``repr(value)`` for a message, never longer than about ``limit`` characters.

    A long text is cut (``'1111…' (5,000,000 characters)``); a huge whole number is described
    by its digit count (``repr`` itself refuses more than 4,300 digits); lists and mappings by
    their type. Cheap for any size: a long text is cut before ``repr`` sees it.
    """
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 3 * limit:
            return f"a whole number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
        text = repr(value)
    elif isinstance(value, (str, bytes)):
        if len(value) > limit:
            return f"{repr(value[:limit])[:-1]}…{repr(value[:1])[-1]} ({len(value):,} characters)"
        return repr(value)
    elif isinstance(value, (dict, list, tuple, set)):
        return type(value).__name__
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
