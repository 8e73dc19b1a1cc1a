"""Test helpers: the attempts database through a nickname opened with a passphrase (progress.store)."""

from __future__ import annotations

from sqlalchemy import Engine

from progress import store
from progress.store import Attempt, Resident

PASSPHRASE = "correct horse battery"
_OPENED: dict[tuple[str, str], Resident] = {}


def who(nickname: str, engine: Engine | None = None) -> Resident:
    """The Resident of ``nickname`` opened (or claimed) with :data:`PASSPHRASE` (once per database)."""
    where = engine.url.render_as_string(hide_password=False) if engine is not None else store.database_url()
    key = (where, nickname.strip().lower())
    if key not in _OPENED:
        _OPENED[key] = store.unlock(nickname, PASSPHRASE, engine=engine)
    return _OPENED[key]


def save(attempt: Attempt, engine: Engine | None = None) -> Attempt:
    return store.save_attempt(attempt, who(attempt.nickname, engine), engine=engine)


def history(nickname: str, engine: Engine | None = None) -> list[Attempt]:
    return store.attempts_for(who(nickname, engine), engine=engine)


def cases_of(nickname: str, engine: Engine | None = None) -> set[str]:
    return store.attempted_case_ids(who(nickname, engine), engine=engine)


def export(nickname: str, engine: Engine | None = None) -> str:
    return store.export_csv(who(nickname, engine), engine=engine)
