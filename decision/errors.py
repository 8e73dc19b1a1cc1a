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
