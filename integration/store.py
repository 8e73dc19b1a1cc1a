"""The CDS service's tables, in the teaching-progress database (same engine and URL: :mod:`progress.store`).

- ``cds_jti``: the JWT ids already seen (a hash of issuer and jti, and when the token expires), so that
  a replayed token is refused by every replica sharing the database. Expired rows are pruned.
- ``cds_cards``: each card issued (its random uuid, what it was about, the profile, the knowledge-base
  version and the day), so that feedback, which names only the card's uuid, can be counted per card.
- ``cds_feedback``: each outcome (accepted or overridden) with our own override-reason code, and the day.

No identifier is stored: no patient, user or encounter id, no hookInstance, no FHIR server, no free
text (the clinician's ``userComment`` can hold anything and is dropped), no time of day.
Failures become :class:`~progress.store.StoreUnavailable`. No Streamlit here.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, Engine, Index, Integer, String, delete, func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from progress.store import StoreUnavailable, UTCDateTime, get_engine

__all__ = ["CardCounts", "StoreUnavailable", "card_counts", "ensure_schema", "record_cards", "record_feedback",
           "remember_jti", "service_engine"]

PRUNE_EVERY = 200  # jti inserts between two deletions of expired rows


class CDSBase(DeclarativeBase):
    """Declarative base of the CDS service's tables (created beside the progress tables)."""


class JtiRow(CDSBase):
    __tablename__ = "cds_jti"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256(iss NUL jti)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class CardRow(CDSBase):
    __tablename__ = "cds_cards"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    card_key: Mapped[str] = mapped_column(String(80), index=True)
    summary: Mapped[str] = mapped_column(String(160))
    profile: Mapped[str] = mapped_column(String(10))
    kb_version: Mapped[str] = mapped_column(String(20))
    issued_on: Mapped[date] = mapped_column(Date)


class FeedbackRow(CDSBase):
    __tablename__ = "cds_feedback"
    __table_args__ = (Index("ix_cds_feedback_card_key", "card_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_uuid: Mapped[str | None] = mapped_column(String(36), nullable=True)
    card_key: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(12))
    reason_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    received_on: Mapped[date] = mapped_column(Date)


_READY: set[int] = set()
_READY_LOCK = threading.Lock()
_PRUNE_COUNTER = [0]


def ensure_schema(engine: Engine) -> None:
    """Create the CDS tables on ``engine`` once per process (idempotent; another replica may race us)."""
    with _READY_LOCK:
        if id(engine) in _READY:
            return
        with _guard("create the CDS tables"):
            try:
                CDSBase.metadata.create_all(engine)
            except SQLAlchemyError as exc:
                if "already exists" not in str(exc).lower():
                    raise
                CDSBase.metadata.create_all(engine)
        _READY.add(id(engine))


def service_engine(url: str | None = None) -> Engine:
    """The shared engine (``CI_DSS_DATABASE_URL`` or the default SQLite file) with the CDS tables present."""
    engine = get_engine(url)
    ensure_schema(engine)
    return engine


@contextlib.contextmanager
def _guard(action: str) -> Iterator[None]:
    try:
        yield
    except StoreUnavailable:
        raise
    except (SQLAlchemyError, OSError, sqlite3.Error) as exc:
        raise StoreUnavailable(f"The database is unavailable: could not {action}.",
                               detail=type(exc).__name__) from exc


def _jti_key(issuer: str, jti: str) -> str:
    return hashlib.sha256(f"{issuer}\0{jti}".encode()).hexdigest()


def remember_jti(issuer: str, jti: str, expires_at: datetime, now: datetime, *, engine: Engine | None = None) -> bool:
    """Record a token id; False if it was already recorded (a replay). Raises StoreUnavailable."""
    engine = engine or service_engine()
    key = _jti_key(issuer, jti)
    with _guard("check the token id"):
        try:
            with Session(engine) as session, session.begin():
                session.add(JtiRow(key=key, expires_at=expires_at.astimezone(UTC)))
        except IntegrityError:
            return False
        _PRUNE_COUNTER[0] += 1
        if _PRUNE_COUNTER[0] % PRUNE_EVERY == 0:
            with Session(engine) as session, session.begin():
                session.execute(delete(JtiRow).where(JtiRow.expires_at < now.astimezone(UTC)))
    return True


def record_cards(cards: Iterable[tuple[str, str, str]], profile: str, kb_version: str, on: date, *,
                 engine: Engine | None = None) -> None:
    """Store issued cards as (uuid, card key, summary)."""
    rows = [CardRow(uuid=u, card_key=k[:80], summary=s[:160], profile=profile, kb_version=kb_version, issued_on=on)
            for u, k, s in cards]
    if not rows:
        return
    engine = engine or service_engine()
    with _guard("record the cards"), Session(engine) as session, session.begin():
        session.add_all(rows)


def record_feedback(items: Iterable[tuple[str, str, str | None]], on: date, *, engine: Engine | None = None) -> dict[str, int]:
    """Store feedback as (card uuid, outcome, our reason code or None); cards we never issued are counted, not stored."""
    engine = engine or service_engine()
    stored = unknown = 0
    with _guard("record the feedback"), Session(engine) as session, session.begin():
        for card_uuid, outcome, reason in items:
            card = session.get(CardRow, card_uuid)
            if card is None:
                unknown += 1
                continue
            session.add(FeedbackRow(card_uuid=card_uuid, card_key=card.card_key, outcome=outcome, reason_code=reason,
                                    received_on=on))
            stored += 1
    return {"stored": stored, "unknown_cards": unknown}


@dataclass
class CardCounts:
    """How often one kind of card was shown, accepted and overridden (with the reasons)."""

    card_key: str
    summary: str
    shown: int = 0
    accepted: int = 0
    overridden: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        return {"card": self.card_key, "example summary": self.summary, "shown": self.shown,
                "accepted": self.accepted, "overridden": self.overridden,
                "override reasons": "; ".join(f"{k}: {v}" for k, v in sorted(self.reasons.items()))}


def card_counts(*, engine: Engine | None = None) -> list[CardCounts]:
    """Counts per card key, most shown first."""
    engine = engine or service_engine()
    with _guard("read the feedback counts"), Session(engine) as session:
        shown = session.execute(select(CardRow.card_key, func.count(), func.max(CardRow.summary))
                                .group_by(CardRow.card_key)).all()
        outcomes = session.execute(select(FeedbackRow.card_key, FeedbackRow.outcome, FeedbackRow.reason_code, func.count())
                                   .group_by(FeedbackRow.card_key, FeedbackRow.outcome, FeedbackRow.reason_code)).all()
    counts = {key: CardCounts(key, summary or "", shown=n) for key, n, summary in shown}
    for key, outcome, reason, n in outcomes:
        row = counts.setdefault(key, CardCounts(key, ""))
        if outcome == "accepted":
            row.accepted += n
        else:
            row.overridden += n
            if reason:
                row.reasons[reason] = row.reasons.get(reason, 0) + n
    return sorted(counts.values(), key=lambda c: (-c.shown, c.card_key))
