"""The app's "Import from a FHIR Bundle" as pure functions: bytes in, a preview out, the case merged.

Nothing of the file is kept but the :class:`~integration.mapping.MappedRecord` (clinical values, their
provenance, refusals and hints): identifiers are dropped by the mapping on entry.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from .cards import FIELD_WORDS, value_text
from .httpjson import BodyError, parse_json
from .mapping import FhirMapping, MappedRecord, Refusal, map_bundle, mapping

#: Largest Bundle file read by the app (bytes).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def read_bundle_bytes(data: bytes, today: date, spec: FhirMapping | None = None) -> MappedRecord:
    """An uploaded file to a :class:`MappedRecord` (a file that is too large or not JSON is one refusal)."""
    spec = spec or mapping()
    if len(data) > MAX_UPLOAD_BYTES:
        record = MappedRecord(mapping_version=spec.version)
        record.refusals.append(Refusal("invalid", f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."))
        return record
    try:
        document = parse_json(data)
    except BodyError as exc:
        record = MappedRecord(mapping_version=spec.version)
        record.refusals.append(Refusal("invalid", f"The file is not a FHIR JSON Bundle: {exc.errors[0]['message']}."))
        return record
    return map_bundle(document, today, spec)


def merge(case: Mapping[str, Any], record: MappedRecord) -> dict[str, Any]:
    """``case`` with every field the record filled replaced by the record's value (the rest kept)."""
    out = copy.deepcopy(dict(case))
    for path in record.fields:
        keys = path.split(".")
        node = out
        for key in keys[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = {}
                node[key] = child
            node = child
        node[keys[-1]] = copy.deepcopy(record.value(path))
    return out


def preview_rows(record: MappedRecord) -> list[dict[str, str]]:
    """One row per filled field: the field in words, its value, and where it came from."""
    return [{"Field": FIELD_WORDS.get(path, path), "Value": value_text(path, record.value(path)),
             "From the record": "; ".join(s.label() for s in sources)}
            for path, sources in record.provenance.items()]


def same_value(a: Any, b: Any) -> bool:
    """Equal as clinical values (15 == 15.0; dicts and lists compared item by item)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return a == b
