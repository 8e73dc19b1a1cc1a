"""The CDS Hooks 2.0 rules a discovery or service response must satisfy (the specification's tables)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

INDICATORS = {"info", "warning", "critical"}
LINK_TYPES = {"absolute", "smart"}


def check_discovery(body: Any) -> None:
    assert isinstance(body, dict) and isinstance(body.get("services"), list)
    for service in body["services"]:
        for required in ("hook", "description", "id"):
            assert isinstance(service.get(required), str) and service[required], required
        assert isinstance(service.get("title"), str)  # RECOMMENDED
        prefetch = service.get("prefetch", {})
        assert isinstance(prefetch, dict) and all(isinstance(v, str) and v for v in prefetch.values())
        assert set(service) <= {"hook", "title", "description", "id", "prefetch", "usageRequirements", "extension"}


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _coding(coding: Any, display_required: bool) -> None:
    assert isinstance(coding.get("code"), str) and coding["code"]
    assert isinstance(coding.get("system"), str) and coding["system"]
    if display_required:
        assert isinstance(coding.get("display"), str) and coding["display"]


def check_card(card: Any) -> None:
    """One card against the specification's Card, Source, Link and Coding tables."""
    assert isinstance(card, dict)
    assert set(card) <= {"uuid", "summary", "detail", "indicator", "source", "suggestions", "selectionBehavior",
                         "overrideReasons", "links", "extension"}
    assert isinstance(card.get("uuid"), str)
    uuid.UUID(card["uuid"])  # our uuids are real UUIDs
    summary = card.get("summary")
    assert isinstance(summary, str) and summary and len(summary) < 140 and "\n" not in summary
    assert card.get("indicator") in INDICATORS
    source = card.get("source")
    assert isinstance(source, dict) and isinstance(source.get("label"), str) and source["label"]
    if "url" in source:
        assert _absolute(source["url"])
    if "topic" in source:
        _coding(source["topic"], display_required=False)
    if "detail" in card:
        assert isinstance(card["detail"], str) and card["detail"]
    if card.get("suggestions"):
        assert card.get("selectionBehavior") in ("at-most-one", "any")
    for reason in card.get("overrideReasons", []):
        _coding(reason, display_required=True)
    for link in card.get("links", []):
        assert isinstance(link.get("label"), str) and link["label"]
        assert link.get("type") in LINK_TYPES
        assert isinstance(link.get("url"), str)
        if link["type"] == "absolute":
            assert _absolute(link["url"])
            assert "appContext" not in link  # only valid for smart links


def check_response(body: Any) -> None:
    assert isinstance(body, dict) and isinstance(body.get("cards"), list)
    assert set(body) <= {"cards", "systemActions"}
    for card in body["cards"]:
        check_card(card)
    uuids = [c["uuid"] for c in body["cards"]]
    assert len(set(uuids)) == len(uuids)
