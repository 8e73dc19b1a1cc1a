"""The attempts database: SQLAlchemy 2 (typed ORM), SQLite by default, any SQLAlchemy URL by env var.

Where the data lives
    ``CI_DSS_DATABASE_URL`` (any SQLAlchemy URL, for example
    ``postgresql+psycopg://user:pass@host/teaching`` to point several app instances at one
    PostgreSQL) or, when it is unset or empty, the SQLite file ``var/teaching.sqlite3`` under the
    project root; its directory is created on first use (``var/`` is git-ignored).

SQLite connections run in WAL mode with a short ``busy_timeout`` (2 s, set on every connection by
a ``connect`` event): two sessions saving at the same moment both land (a save takes milliseconds),
and a database locked by another program makes a quiz submission fail fast with a clear message
rather than hang. An in-memory SQLite URL (``sqlite://``, ``sqlite:///:memory:``, ``mode=memory``)
is one database shared by every thread (one connection, ``StaticPool``, used by one thread at a
time) rather than an empty database per thread.

Privacy: a history is read and extended only through a :class:`Resident`, which :func:`unlock`
gives for a nickname and its passphrase (the first passphrase given with a nickname claims it; see
:mod:`progress.passphrase`). Each operation checks the resident's key against the stored one
(constant time), so a wrong or forged key sees nothing. A new SQLite file is created readable and
writable by its owner only (0600, in a 0700 directory when the app creates it).

Every database or file-system failure (:class:`~sqlalchemy.exc.SQLAlchemyError`, :class:`OSError`,
and :class:`ImportError` when the URL names a driver that is not installed) is turned into
:class:`StoreUnavailable` at this boundary; callers keep working without saving. Its message is
for the people using the app: it says what is wrong in plain words and never shows a server file
path, host or driver text; those go to ``detail`` and to this module's log, for whoever runs the
app. No Streamlit here.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, Index, Integer, String, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from .nickname import validate_nickname
from .passphrase import derive, hash_new, matches
from .scoring import AttemptScore

__all__ = [
    "BUSY_TIMEOUT_MS", "CSV_COLUMNS", "DATA_DIR", "DEFAULT_DB_PATH", "ENV_VAR", "Attempt", "AttemptRow", "Base",
    "Resident", "ResidentRow", "StoreUnavailable", "WrongPassphrase", "attempted_case_ids", "attempts_csv",
    "attempts_for", "database_url", "dispose_engines", "export_csv", "get_engine", "make_engine", "save_attempt",
    "unlock",
]

#: Environment variable holding the database URL (any SQLAlchemy URL).
ENV_VAR = "CI_DSS_DATABASE_URL"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The data directory (created on first use; git-ignored).
DATA_DIR = PROJECT_ROOT / "var"
#: The default SQLite database file.
DEFAULT_DB_PATH = DATA_DIR / "teaching.sqlite3"
#: How long an SQLite connection waits for another writer before giving up (milliseconds).
BUSY_TIMEOUT_MS = 2_000
#: Instances opening a new SQLite file together: how often, and after what growing pause, a "locked" answer
#: that SQLite gives without waiting (a would-be deadlock) is tried again (at most about 5 s in all).
LOCKED_RETRIES = 12
LOCKED_PAUSE_S = 0.075
#: Connection pool of one app process to a database server (PostgreSQL): bounded, so several replicas
#: sharing one server stay well under its connection limit (100 by default): at most 10 per process.
SERVER_POOL: dict[str, Any] = {"pool_size": 5, "max_overflow": 5, "pool_timeout": 10, "pool_recycle": 1800}
#: Seconds a new connection to a database server may take before the save is given up (and said so).
CONNECT_TIMEOUT_S = 5
#: Columns of the CSV export, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "attempt_id", "created_at_utc", "nickname", "case_id", "topic", "difficulty", "profile", "score", "correct",
    "missed", "unsafe", "unnecessary", "first_choice", "offered_options",
)
_NOT_SAVING = "Quiz attempts are kept for this browser session only and are not saved."
_LOG = logging.getLogger(__name__)


class WrongPassphrase(ValueError):
    """The passphrase does not open this nickname's history (or the nickname is someone else's)."""


class StoreUnavailable(RuntimeError):
    """The progress database cannot be used; ``str(exc)`` is a message for people."""

    def __init__(self, message: str, *, detail: str = ""):
        self.detail = detail
        super().__init__(message)


# --- schema ----------------------------------------------------------------------------------


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always read back timezone-aware (UTC), on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of the progress tables."""


class AttemptRow(Base):
    """One submitted quiz attempt (table ``attempts``)."""

    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_nickname_created_at", "nickname", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    nickname: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[str] = mapped_column(String(80))
    topic: Mapped[str] = mapped_column(String(40))
    difficulty: Mapped[str] = mapped_column(String(20))
    profile: Mapped[str] = mapped_column(String(10))
    score: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
    missed: Mapped[int] = mapped_column(Integer)
    unsafe: Mapped[int] = mapped_column(Integer)
    unnecessary: Mapped[int] = mapped_column(Integer, default=0)
    first_choice: Mapped[str | None] = mapped_column(String(60), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    choices: Mapped[dict[str, bool]] = mapped_column(JSON)


class ResidentRow(Base):
    """A claimed nickname and its salted passphrase hash (table ``residents``); no identifier."""

    __tablename__ = "residents"

    nickname: Mapped[str] = mapped_column(String(32), primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(128))
    n: Mapped[int] = mapped_column(Integer)
    r: Mapped[int] = mapped_column(Integer)
    p: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True, slots=True)
class Resident:
    """A nickname whose passphrase was checked by :func:`unlock`; its history's operations need one."""

    nickname: str
    key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt as the rest of the app sees it (``id`` and ``created_at`` are set when saved)."""

    nickname: str
    case_id: str
    topic: str
    difficulty: str
    profile: str
    score: int
    correct: int
    missed: int
    unsafe: int
    unnecessary: int = 0
    first_choice: str | None = None
    choices: dict[str, bool] = field(default_factory=dict)
    created_at: datetime | None = None
    id: int | None = None

    @classmethod
    def from_score(cls, nickname: str, case_id: str, topic: str, difficulty: str, profile: str, result: AttemptScore,
                   created_at: datetime | None = None) -> Attempt:
        """An attempt from a scored quiz (the choices are taken from the verdicts)."""
        return cls(nickname=nickname, case_id=case_id, topic=topic, difficulty=difficulty, profile=profile,
                   score=result.score, correct=result.correct, missed=result.missed, unsafe=result.unsafe,
                   unnecessary=result.unnecessary, first_choice=result.first_choice,
                   choices={o: v.offered for o, v in result.verdicts.items()}, created_at=created_at)

    @property
    def options_judged(self) -> int:
        return self.correct + self.missed + self.unsafe + self.unnecessary

    @property
    def accuracy(self) -> float:
        """Share of options judged correctly (0-1)."""
        total = self.options_judged
        return self.correct / total if total else 0.0

    def csv_row(self) -> dict[str, Any]:
        return {
            "attempt_id": "" if self.id is None else self.id,
            "created_at_utc": "" if self.created_at is None else self.created_at.astimezone(UTC).isoformat(timespec="seconds"),
            "nickname": self.nickname, "case_id": self.case_id, "topic": self.topic, "difficulty": self.difficulty,
            "profile": self.profile, "score": self.score, "correct": self.correct, "missed": self.missed,
            "unsafe": self.unsafe, "unnecessary": self.unnecessary, "first_choice": self.first_choice or "",
            "offered_options": " ".join(o for o, offered in self.choices.items() if offered),
        }


def _to_attempt(row: AttemptRow) -> Attempt:
    return Attempt(nickname=row.nickname, case_id=row.case_id, topic=row.topic, difficulty=row.difficulty,
                   profile=row.profile, score=row.score, correct=row.correct, missed=row.missed, unsafe=row.unsafe,
                   unnecessary=row.unnecessary, first_choice=row.first_choice, choices=dict(row.choices or {}),
                   created_at=row.created_at, id=row.id)


# --- engine ----------------------------------------------------------------------------------


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """The configured URL: ``CI_DSS_DATABASE_URL`` if set and not empty, else the default SQLite file."""
    env = os.environ if environ is None else environ
    url = (env.get(ENV_VAR) or "").strip()
    return url or f"sqlite:///{DEFAULT_DB_PATH}"


def _kind(url: str) -> str:
    """The kind of database, named for people without its path, host or password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "database"
    if parsed.get_backend_name() == "sqlite":
        return "SQLite database" if parsed.database and parsed.database != ":memory:" else "in-memory SQLite database"
    return f"{parsed.get_backend_name()} database"


def _explain(url: str, exc: BaseException, action: str) -> StoreUnavailable:
    """A :class:`StoreUnavailable` that says, in plain words, what went wrong and what it means.

    The message names no file path, host or driver text (``detail`` holds the driver's first line,
    which is also logged with the database's address, password hidden).
    """
    raw = getattr(exc, "orig", None) or exc
    detail = (str(raw).splitlines() or [""])[0] or type(exc).__name__
    low = detail.lower()
    kind = _kind(url)
    if isinstance(exc, ImportError):
        driver = getattr(exc, "name", None) or "its driver"
        what = f"The progress database cannot be used: the {kind}'s driver ({driver}) is not installed"
        hint = f"Ask whoever runs the app to install the driver or to change {ENV_VAR}."
    elif "not a database" in low or "malformed" in low or "corrupt" in low:
        what = f"The progress database ({kind}) is damaged or is not a database file"
        hint = "Ask whoever runs the app to move the file aside (the app creates a new one) or restore it from a backup."
    elif isinstance(exc, PermissionError | NotADirectoryError | FileExistsError) or any(
            s in low for s in ("unable to open", "readonly", "read-only", "permission denied", "not a directory")):
        what = f"The progress database ({kind}) cannot be opened for writing"
        hint = f"Ask whoever runs the app to check that its directory exists and is writable, or to set {ENV_VAR}."
    elif "locked" in low or "busy" in low:
        what = f"The progress database ({kind}) is busy (locked by another program)"
        hint = "Try again in a moment."
    elif isinstance(exc, ArgumentError):
        what = f"{ENV_VAR} is not a valid database URL"
        hint = "Use a SQLAlchemy URL such as sqlite:////path/to/teaching.sqlite3."
    else:
        what = f"The progress database ({kind}) is unavailable"
        hint = "Ask whoever runs the app to check the database."
    try:
        where = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        where = "(invalid URL)"
    _LOG.warning("progress database %s: could not %s: %s: %s", where, action, type(exc).__name__, detail)
    return StoreUnavailable(f"{what}: could not {action}. {_NOT_SAVING} {hint}", detail=detail)


@contextlib.contextmanager
def _guard(url: str, action: str) -> Iterator[None]:
    """Turn database and file-system errors into :class:`StoreUnavailable` (the storage boundary)."""
    try:
        yield
    except (StoreUnavailable, WrongPassphrase):
        raise
    except (SQLAlchemyError, OSError, sqlite3.Error, ImportError) as exc:  # ImportError: driver not installed
        raise _explain(url, exc, action) from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL journal and a busy timeout on every new SQLite connection (concurrent writers wait, not fail)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Switching a new file to WAL needs its exclusive lock, and SQLite answers "locked" at once (without
        # the busy timeout) when that would deadlock with another connection: instances starting together
        # lost 2 of 60 trials on a loaded machine. The mode is stored in the file, so waiting for the other
        # connection to finish is enough.
        for attempt in range(LOCKED_RETRIES):
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc).lower() or attempt == LOCKED_RETRIES - 1:
                    raise
                time.sleep(LOCKED_PAUSE_S * (attempt + 1))
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _in_memory(database: str | None) -> bool:
    return not database or database == ":memory:" or (database.startswith("file:") and "mode=memory" in database)


def make_engine(url: str | None = None) -> Engine:
    """A new engine for ``url`` (default: :func:`database_url`), with the schema created if missing.

    Connects once, so a damaged file, an unwritable directory, a bad URL or a missing driver
    raises :class:`StoreUnavailable` here rather than at the first save. A new SQLite file is
    created readable and writable by its owner only.
    """
    url = url or database_url()
    with _guard(url, "open it"):
        parsed = make_url(url)
        kwargs: dict[str, Any] = {}
        sqlite = parsed.get_backend_name() == "sqlite"
        memory = sqlite and _in_memory(parsed.database)
        if sqlite:
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
            if memory:  # one database for every thread, not an empty one per connection
                kwargs["poolclass"] = StaticPool
                kwargs["connect_args"]["check_same_thread"] = False
            elif parsed.database and not parsed.database.startswith("file:"):
                _create_private(Path(parsed.database).expanduser())
        else:
            kwargs["pool_pre_ping"] = True
            kwargs.update(SERVER_POOL)
            if parsed.get_driver_name() in ("psycopg", "psycopg2"):  # a dead server fails a save fast
                kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
        engine = create_engine(parsed, **kwargs)
        if sqlite:
            event.listen(engine, "connect", _sqlite_pragmas)
        if memory:
            _SERIAL[engine] = threading.Lock()
        try:
            _create_schema(engine)
        except BaseException:
            engine.dispose()
            raise
    return engine


#: Engines whose one connection is shared (in-memory SQLite): their operations take turns.
_SERIAL: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def _turn(engine: Engine) -> contextlib.AbstractContextManager[Any]:
    lock = _SERIAL.get(engine)
    return lock if lock is not None else contextlib.nullcontext()


def _create_private(path: Path) -> None:
    """Create the SQLite file (and its directory) readable and writable by the app's user only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # a new data directory: the app's user only
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _create_schema(engine: Engine) -> None:
    # Another instance may create a table or index between create_all's check and its CREATE: look again. Each
    # round loses at most to one object made by another instance, so a round per object of the schema suffices
    # (one retry was not: six instances starting together lost twice in 15 of 60 trials on a loaded machine).
    # On SQLite, a schema check holding a read lock while another instance writes is answered "database is
    # locked" at once (a deadlock SQLite will not wait out): pause and look again, a bounded number of times.
    rounds = len(Base.metadata.tables) + sum(len(t.indexes) for t in Base.metadata.tables.values()) + 1
    lost, locked = 0, 0
    while True:
        try:
            Base.metadata.create_all(engine)
            return
        except SQLAlchemyError as exc:
            message = str(exc).lower()
            if "already exists" in message and lost < rounds - 1:
                lost += 1
            elif "database is locked" in message and locked < LOCKED_RETRIES - 1:
                locked += 1
                time.sleep(LOCKED_PAUSE_S * locked)
            else:
                raise


_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (made on first use; a failure is not cached, so it is retried)."""
    url = url or database_url()
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = make_engine(url)
            _ENGINES[url] = engine
        return engine


def dispose_engines() -> None:
    """Close and forget every cached engine (tests; before a URL change)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


def _engine_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


# --- operations ------------------------------------------------------------------------------


def unlock(nickname: str, passphrase: str, *, engine: Engine | None = None) -> Resident:
    """The :class:`Resident` for ``nickname`` if ``passphrase`` opens its history.

    A nickname nobody has claimed yet is claimed with this passphrase (its earlier attempts, from
    before passphrases, come with it). Raises :class:`~progress.nickname.InvalidNickname`,
    :class:`~progress.passphrase.InvalidPassphrase`, :class:`WrongPassphrase` (taken, or the wrong
    passphrase: the message does not say which) and :class:`StoreUnavailable`.
    """
    nickname = validate_nickname(nickname)
    engine = engine or get_engine()
    url = _engine_url(engine)
    for _attempt in range(2):  # a second try when another session claimed the nickname at the same moment
        with _guard(url, "check the passphrase"), _turn(engine), Session(engine) as session:
            row = session.get(ResidentRow, nickname)
            if row is not None:
                key = derive(passphrase, row.salt, row.n, row.r, row.p)
                if not matches(key, row.key):
                    raise WrongPassphrase(f"The passphrase does not open the history of {nickname!r}: check it, or "
                                          "choose another nickname if this one is not yours.")
                return Resident(nickname, key)
            hashed = hash_new(passphrase)
            session.add(ResidentRow(nickname=nickname, salt=hashed.salt, key=hashed.key, n=hashed.n, r=hashed.r,
                                    p=hashed.p, created_at=datetime.now(UTC)))
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                continue
            return Resident(nickname, hashed.key)
    raise WrongPassphrase(f"The nickname {nickname!r} was just claimed by someone else: choose another one.")


def _checked(session: Session, resident: Resident) -> str:
    """The resident's nickname after checking its key against the stored one (WrongPassphrase otherwise)."""
    if not isinstance(resident, Resident):
        raise TypeError("a Resident from unlock() is needed to read or extend a history")
    row = session.get(ResidentRow, resident.nickname)
    if row is None or not matches(resident.key, row.key):
        raise WrongPassphrase(f"The passphrase does not open the history of {resident.nickname!r}.")
    return resident.nickname


def save_attempt(attempt: Attempt, resident: Resident, *, engine: Engine | None = None) -> Attempt:
    """Store one attempt of ``resident`` in its own transaction; return it with ``id`` and ``created_at`` (UTC).

    Raises :class:`WrongPassphrase` when the resident's key does not match, ValueError when the
    attempt is another nickname's, and :class:`StoreUnavailable` when the database cannot be written.
    """
    if validate_nickname(attempt.nickname) != resident.nickname:
        raise ValueError(f"the attempt is {attempt.nickname!r}'s, not {resident.nickname!r}'s")
    created = attempt.created_at or datetime.now(UTC)
    if created.tzinfo is None:
        raise ValueError("created_at must be timezone-aware (UTC)")
    engine = engine or get_engine()
    url = _engine_url(engine)
    with _guard(url, "save the attempt"), _turn(engine), Session(engine, expire_on_commit=False) as session, \
            session.begin():
        nickname = _checked(session, resident)
        row = AttemptRow(nickname=nickname, case_id=attempt.case_id, topic=attempt.topic,
                         difficulty=attempt.difficulty, profile=attempt.profile, score=int(attempt.score),
                         correct=int(attempt.correct), missed=int(attempt.missed), unsafe=int(attempt.unsafe),
                         unnecessary=int(attempt.unnecessary), first_choice=attempt.first_choice,
                         created_at=created.astimezone(UTC), choices={k: bool(v) for k, v in attempt.choices.items()})
        session.add(row)
        session.flush()
        saved_id = row.id
    return replace(attempt, nickname=nickname, id=saved_id, created_at=created.astimezone(UTC))


def attempts_for(resident: Resident, *, engine: Engine | None = None) -> list[Attempt]:
    """Every attempt of ``resident``, oldest first (:class:`WrongPassphrase` when its key does not match)."""
    engine = engine or get_engine()
    with _guard(_engine_url(engine), "read the attempts"), _turn(engine), Session(engine) as session:
        nickname = _checked(session, resident)
        rows = session.scalars(select(AttemptRow).where(AttemptRow.nickname == nickname)
                               .order_by(AttemptRow.created_at, AttemptRow.id)).all()
        return [_to_attempt(row) for row in rows]


def attempted_case_ids(resident: Resident, *, engine: Engine | None = None) -> set[str]:
    """The ids of the cases ``resident`` has attempted at least once."""
    engine = engine or get_engine()
    with _guard(_engine_url(engine), "read the attempts"), _turn(engine), Session(engine) as session:
        nickname = _checked(session, resident)
        return set(session.scalars(select(AttemptRow.case_id).where(AttemptRow.nickname == nickname).distinct()))


def attempts_csv(attempts: Iterable[Attempt]) -> str:
    """The attempts as CSV text: a header row (:data:`CSV_COLUMNS`) and one row per attempt."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for attempt in attempts:
        writer.writerow(attempt.csv_row())
    return out.getvalue()


def export_csv(resident: Resident, *, engine: Engine | None = None) -> str:
    """The history of ``resident`` as CSV (header + one row per attempt, oldest first)."""
    return attempts_csv(attempts_for(resident, engine=engine))
