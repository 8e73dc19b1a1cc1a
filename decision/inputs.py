"""One bounded reader for the documents the command line takes (a case, a teaching case): pure, no Streamlit.

Every way a document can fail becomes :class:`InputError`, whose ``problems`` are
:class:`~decision.errors.FieldError` lines: ``(input)`` with ``file: reason`` for the file as a
whole, or the field's path (``gestational_age.weeks``) for one value. Nothing else escapes.

Bounds and rules:

- size: at most :data:`MAX_DOCUMENT_BYTES` (100 kB; a case is under 1 kB): a larger file, or a
  device such as ``/dev/zero``, is refused after reading one byte more than the limit;
- text: UTF-8 (a byte-order mark is allowed);
- nesting: at most :data:`MAX_DEPTH` levels; deeper documents are refused, never a ``RecursionError``;
- JSON is tried first; a document that is not JSON is read as YAML;
- duplicate keys are refused (JSON and YAML), naming the field;
- YAML numbers are plain decimals only: ``030`` (YAML 1.1 octal, read as 24), ``1:30`` (base 60,
  read as 90), ``0x1e``, ``0b11`` or ``1_000`` are refused, naming the field;
- whole numbers have at most :data:`MAX_INT_DIGITS` digits (Python would refuse 4,300 with a
  message naming no field);
- YAML anchors and aliases, merge keys (``<<``) and several documents in one file are refused;
- a YAML syntax error is reported at its own line and column, with its reason.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import FieldError, shown_value

__all__ = ["MAX_DEPTH", "MAX_DOCUMENT_BYTES", "MAX_INT_DIGITS", "InputError", "decode", "load_document", "os_problem",
           "read_bytes", "read_document", "size_text"]

#: Largest document read (bytes): 100 kB.
MAX_DOCUMENT_BYTES = 100_000
#: Deepest nesting of objects and lists accepted (a case needs 3).
MAX_DEPTH = 20
#: Most digits in a whole number.
MAX_INT_DIGITS = 100

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_DIGITS = frozenset("0123456789")


class InputError(ValueError):
    """A document that cannot be used; ``problems`` are its ``path: message`` lines."""

    def __init__(self, problems: list[FieldError]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _file_error(name: str, message: str) -> InputError:
    return InputError([FieldError("(input)", f"{name}: {message}")])


def size_text(limit: int) -> str:
    """A byte limit for people, in decimal units (1 MB = 1,000,000 bytes)."""
    return f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit / 1000:g} kB"


def os_problem(exc: OSError, writing: bool = False) -> str:
    """Why a file could not be read (or written), in words: no errno number, no traceback."""
    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        return "closed before all the output was written (broken pipe)"
    if isinstance(exc, FileNotFoundError):
        return "cannot be written: its folder does not exist" if writing else "file not found"
    if isinstance(exc, IsADirectoryError):
        return "is a directory: give a file name" if writing else "is a directory, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ENOSPC:
        return "cannot be written: the disk is full"
    if exc.errno == errno.EBADF:
        return "is closed"
    return f"cannot be {'written' if writing else 'read'} ({exc.strerror or type(exc).__name__})"


def read_bytes(source: str | Path, limit: int = MAX_DOCUMENT_BYTES, stdin: BinaryIO | None = None,
               name: str | None = None) -> tuple[bytes, str]:
    """(content, name) of a path or ``-`` (standard input), reading at most ``limit`` bytes.

    ``name`` is how messages call the file (default: the path as given, or ``stdin``).

    Raises :class:`InputError` naming the file: missing, a directory, unreadable, or larger than
    ``limit`` (the limit is stated). Standard input is read as bytes, so no decoding error escapes.
    """
    if str(source) == "-":
        name = name or "stdin"
        stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise _file_error(name, "standard input is closed")
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            raise _file_error(name, os_problem(exc)) from None
    else:
        name = name or str(source)
        try:
            if os.path.isdir(source):
                raise IsADirectoryError(name)
            with open(source, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise _file_error(name, os_problem(exc)) from None
    if len(data) > limit:
        raise _file_error(name, f"larger than {size_text(limit)}, the limit for this input (is it the right file?)")
    return data, name


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); :class:`InputError` naming the file otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _file_error(name, f"not UTF-8 text (byte {exc.start + 1}); save it as UTF-8") from None


# --- building the value, with every problem's path ---------------------------------------------


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _at(path: str) -> str:
    return path or "(case)"


def _plain_int(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    return bool(body) and all(ch in _DIGITS for ch in body) and (body == "0" or body[0] != "0")


class _Builder:
    """Builds the Python value of a parsed document and collects every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[FieldError] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(FieldError(_at(path), message))

    def deep(self, path: str, depth: int) -> bool:
        if depth > MAX_DEPTH:
            self.problem(path, f"nested too deeply (more than {MAX_DEPTH} levels of objects and lists)")
            return True
        return False

    # JSON (parsed with hooks that keep duplicate keys and long integers visible)

    def json_value(self, value: Any, path: str = "", depth: int = 0) -> Any:
        if isinstance(value, (_Pairs, list)) and self.deep(path, depth):
            return None
        if isinstance(value, _Pairs):
            out: dict[str, Any] = {}
            for key, item in value.pairs:
                if key in out:
                    self.problem(_join(path, key), "given more than once: each field may appear only once")
                    continue
                out[key] = self.json_value(item, _join(path, key), depth + 1)
            return out
        if isinstance(value, list):
            return [self.json_value(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
        if isinstance(value, _LongInt):
            self.problem(path, f"a whole number of {value.digits:,} digits is too long (at most {MAX_INT_DIGITS})")
            return None
        return value

    # YAML (composed into nodes, then built here rather than by PyYAML's constructor)

    def yaml_value(self, loader: yaml.SafeLoader, node: Node, path: str = "", depth: int = 0,
                   seen: set[int] | None = None) -> Any:
        seen = set() if seen is None else seen
        if id(node) in seen:
            self.problem(path, "repeats an earlier value with a YAML alias (*name): write the value out instead")
            return None
        seen.add(id(node))
        if isinstance(node, (MappingNode, SequenceNode)) and self.deep(path, depth):
            return None
        line = f"line {node.start_mark.line + 1}"
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.problem(path, f"{line}: a key must be a plain name, not a list or an object")
                    continue
                if key_node.tag == _MERGE:
                    self.problem(path, f"{line}: merge keys (<<) are not allowed: write the fields out")
                    continue
                key = key_node.value  # the key as written ("on", "yes", "1" stay names)
                if key in out:
                    self.problem(_join(path, key), f"line {key_node.start_mark.line + 1}: given more than once: "
                                                   "each field may appear only once")
                    continue
                out[key] = self.yaml_value(loader, value_node, _join(path, key), depth + 1, seen)
            return out
        if isinstance(node, SequenceNode):
            return [self.yaml_value(loader, item, f"{path}[{i}]", depth + 1, seen) for i, item in enumerate(node.value)]
        text = node.value
        if node.tag == _INT:
            digits = sum(ch in _DIGITS for ch in text)
            if digits > MAX_INT_DIGITS:
                self.problem(path, f"a whole number of {digits:,} digits is too long (at most {MAX_INT_DIGITS})")
                return None
            if not _plain_int(text):
                self.problem(path, f"{shown_value(text)} is not a plain decimal number: YAML reads a leading zero as "
                                   "octal (030 is 24), a colon as base 60 (1:30 is 90), 0x as hexadecimal; write the "
                                   "number in decimal digits without a leading zero (e.g. 30)")
                return None
        if node.tag == _FLOAT and (":" in text or "_" in text):
            self.problem(path, f"{shown_value(text)} is not a plain decimal number (YAML reads a colon as base 60); "
                               "write it in decimal digits (e.g. 18.5)")
            return None
        try:
            return loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.problem(path, f"{line}: {getattr(exc, 'problem', None) or exc}")
            return None


class _Pairs:
    """A JSON object as its (key, value) pairs, in order, duplicates kept."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, Any]]):
        self.pairs = pairs


class _LongInt:
    __slots__ = ("digits",)

    def __init__(self, text: str):
        self.digits = len(text.lstrip("-"))


def _json_int(text: str) -> int | _LongInt:
    return int(text) if len(text.lstrip("-")) <= MAX_INT_DIGITS else _LongInt(text)


def _yaml_error(name: str, exc: yaml.YAMLError) -> InputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    return _file_error(name, f"not valid YAML{at}: {reason}" + (f" ({context})" if context else ""))


def load_document(text: str, name: str) -> Any:
    """The value of a JSON or YAML document (see the module docstring); :class:`InputError` otherwise."""
    if not text.strip():
        raise _file_error(name, "empty input (expected a JSON or YAML document)")
    builder = _Builder()
    try:
        parsed = json.loads(text, object_pairs_hook=_Pairs, parse_int=_json_int)
    except RecursionError:
        raise _file_error(name, f"nested too deeply (more than {MAX_DEPTH} levels of objects and lists)") from None
    except json.JSONDecodeError as json_error:
        value = _load_yaml(text, name, builder, json_error)
    else:
        value = builder.json_value(parsed)
    if builder.problems:
        raise InputError(builder.problems)
    return value


def _load_yaml(text: str, name: str, builder: _Builder, json_error: json.JSONDecodeError) -> Any:
    loader = yaml.SafeLoader(text)  # the pure-Python parser: its recursion is bounded by Python's
    try:
        node = loader.get_single_node()
        if node is None:
            raise _file_error(name, "empty input (expected a JSON or YAML document)")
        return builder.yaml_value(loader, node)
    except RecursionError:
        raise _file_error(name, f"nested too deeply (more than {MAX_DEPTH} levels of objects and lists)") from None
    except yaml.YAMLError as exc:
        if text.lstrip()[:1] in ("{", "["):  # meant as JSON: the JSON parser's own position and reason
            raise _file_error(name, f"not valid JSON at line {json_error.lineno}, column {json_error.colno}: "
                                    f"{json_error.msg}") from None
        raise _yaml_error(name, exc) from None
    finally:
        loader.dispose()


def read_document(source: str | Path, limit: int = MAX_DOCUMENT_BYTES, stdin: BinaryIO | None = None) -> Any:
    """Read (bounded), decode and load one JSON or YAML document from a path or ``-``."""
    data, name = read_bytes(source, limit, stdin)
    return load_document(decode(data, name), name)
