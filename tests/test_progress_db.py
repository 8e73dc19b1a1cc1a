"""The attempts database (progress.store): durability, concurrency, failures, CSV export, nicknames.

The tests taking the ``database`` fixture (tests/conftest.py) run twice: on SQLite and on PostgreSQL (a
throwaway cluster the tests start themselves; on CI they never skip)."""

from __future__ import annotations

import csv
import importlib.util
import io
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from residents import cases_of, export, history, save
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session
from support import Database

from progress import store
from progress.nickname import InvalidNickname, nickname_problem, validate_nickname
from progress.passphrase import InvalidPassphrase, derive
from progress.scoring import score_attempt
from progress.store import CSV_COLUMNS, ENV_VAR, Attempt, Resident, StoreUnavailable, WrongPassphrase


def url_for(path: Path) -> str:
    return f"sqlite:///{path}"


def attempt(nickname: str = "owl_r2", case_id: str = "previable_pprom_19w", score: int = 80, **kw) -> Attempt:
    fields = {"topic": "pprom", "difficulty": "intermediate", "profile": "acog", "correct": 10, "missed": 1,
              "unsafe": 0, "unnecessary": 1, "choices": {"delivery": True, "routine_prenatal_care": False}}
    fields.update(kw)
    return Attempt(nickname=nickname, case_id=case_id, score=score, **fields)


@pytest.fixture(autouse=True)
def _no_cached_engines():
    yield
    store.dispose_engines()


def test_round_trip_survives_dispose_and_reopen(database: Database) -> None:
    url = database.url
    engine = store.make_engine(url)
    first = save(attempt(score=55), engine)
    second = save(attempt(case_id="twins_dilation_19w", topic="multiples", score=90), engine)
    save(attempt(nickname="lark", score=10), engine)
    assert first.id is not None and second.id is not None and first.id != second.id
    engine.dispose()
    del engine

    reopened = store.make_engine(url)
    found = history("owl_r2", reopened)
    assert [a.id for a in found] == [first.id, second.id]
    assert [a.score for a in found] == [55, 90]
    assert found[0].choices == {"delivery": True, "routine_prenatal_care": False}
    assert found[1].topic == "multiples"
    assert all(a.created_at is not None and a.created_at.tzinfo is not None and a.created_at.utcoffset() == timedelta(0)
               for a in found)
    assert found[0] == first
    assert cases_of("owl_r2", reopened) == {"previable_pprom_19w", "twins_dilation_19w"}
    assert [a.score for a in history("lark", reopened)] == [10]
    reopened.dispose()


def test_attempt_from_score_keeps_choices_and_counts(database: Database) -> None:
    expected = {"delivery": "recommended", "trendelenburg_bed_rest": "not_recommended", "cerclage_removal": "not_applicable"}
    result = score_attempt({"delivery": True, "trendelenburg_bed_rest": True}, "delivery", expected)
    a = Attempt.from_score("Owl_R2", "c1", "pprom", "advanced", "rcog", result)
    engine = store.make_engine(database.url)
    saved = save(a, engine)
    assert saved.nickname == "owl_r2"  # not case-sensitive
    (back,) = history("OWL_r2", engine)
    assert (back.score, back.correct, back.missed, back.unsafe, back.unnecessary) == (result.score, 2, 0, 1, 0)
    assert back.first_choice == "delivery" and back.profile == "rcog"
    assert back.choices == {"delivery": True, "trendelenburg_bed_rest": True, "cerclage_removal": False}
    engine.dispose()


def test_two_sessions_saving_at_the_same_moment_both_land(database: Database) -> None:
    url = database.url
    store.make_engine(url).dispose()  # schema exists before the race
    per_thread = 25
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        engine = store.make_engine(url)  # like a second app instance: its own engine, its own Sessions
        try:
            barrier.wait(timeout=10)
            for i in range(per_thread):
                save(attempt(nickname=name, case_id=f"case_{i}", score=i), engine)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("alpha", "beta")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    engine = store.make_engine(url)
    for name in ("alpha", "beta"):
        assert sorted(a.score for a in history(name, engine)) == list(range(per_thread))
    engine.dispose()


def test_one_engine_shared_by_two_threads(database: Database) -> None:
    engine = store.make_engine(database.url)
    barrier = threading.Barrier(2)
    results: list[Attempt] = []

    def worker(name: str) -> None:
        barrier.wait(timeout=10)
        results.append(save(attempt(nickname=name), engine))

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("alpha", "beta")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 2
    assert len(history("alpha", engine)) == len(history("beta", engine)) == 1
    engine.dispose()


def test_sqlite_connections_use_wal_and_busy_timeout(tmp_path: Path) -> None:
    engine = store.make_engine(url_for(tmp_path / "wal.sqlite3"))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == store.BUSY_TIMEOUT_MS
    engine.dispose()


def test_directory_is_created_on_first_use(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "var" / "teaching.sqlite3"
    engine = store.make_engine(url_for(target))
    assert target.parent.is_dir() and target.exists()
    engine.dispose()


def test_database_url_from_env_or_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    default = store.database_url()
    assert default == f"sqlite:///{store.PROJECT_ROOT / 'var' / 'teaching.sqlite3'}"
    monkeypatch.setenv(ENV_VAR, "   ")
    assert store.database_url() == default
    monkeypatch.setenv(ENV_VAR, url_for(tmp_path / "env.sqlite3"))
    assert store.database_url() == url_for(tmp_path / "env.sqlite3")
    save(attempt())  # the cached engine follows the env var
    assert (tmp_path / "env.sqlite3").exists()
    assert store.database_url({ENV_VAR: "postgresql+psycopg://u:p@db/teaching"}) == "postgresql+psycopg://u:p@db/teaching"


def test_directory_that_is_a_file_raises_store_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a file where a directory should be")
    with pytest.raises(StoreUnavailable) as info:
        store.make_engine(url_for(blocker / "var" / "teaching.sqlite3"))
    message = str(info.value)
    assert "cannot be opened for writing" in message
    assert "not saved" in message and ENV_VAR in message
    assert str(tmp_path) not in message  # the server's path is for its log, not for users


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_raises_store_unavailable(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreUnavailable, match="cannot be opened for writing"):
            store.make_engine(url_for(locked / "teaching.sqlite3"))
    finally:
        locked.chmod(0o700)


def test_corrupt_file_raises_store_unavailable(tmp_path: Path) -> None:
    bad = tmp_path / "teaching.sqlite3"
    bad.write_bytes(os.urandom(64) + b"this is not a database" * 300)
    with pytest.raises(StoreUnavailable) as info:
        store.make_engine(url_for(bad))
    assert "damaged or is not a database file" in str(info.value)
    assert str(bad) not in str(info.value) and str(tmp_path) not in str(info.value)  # no server path for users
    assert "file is not a database" in info.value.detail


def test_file_corrupted_after_opening_fails_on_save_and_read(tmp_path: Path) -> None:
    path = tmp_path / "teaching.sqlite3"
    engine = store.make_engine(url_for(path))
    save(attempt(), engine)
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(StoreUnavailable, match="damaged"):
        save(attempt(), engine)
    with pytest.raises(StoreUnavailable, match="damaged"):
        history("owl_r2", engine)
    engine.dispose()


@pytest.mark.parametrize(("url", "driver"), [("mysql+mysqldb://u:secret@127.0.0.1/x", "MySQLdb"),
                                           ("postgresql+pg8000://u:secret@db.internal/teaching", "pg8000")])
def test_missing_driver_raises_store_unavailable_at_the_boundary(url: str, driver: str,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    """Finding 3 of issue 14: create_engine's ModuleNotFoundError used to escape and break the quiz."""
    if importlib.util.find_spec(driver) is not None:
        pytest.skip(f"{driver} is installed here: this test needs a driver that is not")
    with pytest.raises(StoreUnavailable) as info:
        store.make_engine(url)
    message = str(info.value)
    backend = url.split("+")[0]
    assert f"the {backend} database's driver ({driver}) is not installed" in message
    assert "not saved" in message and ENV_VAR in message
    for hidden in ("secret", "127.0.0.1", "db.internal"):
        assert hidden not in message
    assert "No module named" in info.value.detail
    assert "secret" not in caplog.text and "could not open it" in caplog.text
    with pytest.raises(StoreUnavailable):
        store.get_engine(url)  # not cached: tried again, refused again
    assert url not in store._ENGINES


def test_bad_url_raises_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable, match="not a valid database URL"):
        store.make_engine("not a url at all")


def test_failed_engine_is_not_cached(tmp_path: Path) -> None:
    path = tmp_path / "later.sqlite3"
    path.write_bytes(b"garbage" * 100)
    with pytest.raises(StoreUnavailable):
        store.get_engine(url_for(path))
    path.unlink()
    assert store.get_engine(url_for(path)) is store.get_engine(url_for(path))


def test_export_csv_header_and_rows(database: Database) -> None:
    engine = store.make_engine(database.url)
    t0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    save(attempt(score=40, created_at=t0, first_choice="delivery"), engine)
    save(attempt(case_id="twins_dilation_19w", score=95, created_at=t0 + timedelta(days=1)), engine)
    save(attempt(nickname="someone_else"), engine)
    text_csv = export("owl_r2", engine)
    assert text_csv.splitlines()[0] == ",".join(CSV_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text_csv)))
    assert len(rows) == 2
    assert [r["score"] for r in rows] == ["40", "95"]
    assert rows[0]["created_at_utc"] == "2026-03-01T09:30:00+00:00"
    assert rows[0]["first_choice"] == "delivery" and rows[1]["first_choice"] == ""
    assert rows[0]["offered_options"] == "delivery"
    assert {r["nickname"] for r in rows} == {"owl_r2"}
    assert export("nobody", engine).strip() == ",".join(CSV_COLUMNS)
    engine.dispose()


def test_save_rejects_a_bad_nickname_and_naive_time(database: Database) -> None:
    engine = store.make_engine(database.url)
    with pytest.raises(InvalidNickname):
        save(attempt(nickname="jane@example.org"), engine)
    with pytest.raises(ValueError, match="timezone"):
        save(attempt(created_at=datetime(2026, 1, 1)), engine)
    assert history("owl_r2", engine) == []
    engine.dispose()


# --- the same on both backends: schema, many writers, the database going away -------------------------


def test_schema_is_created_once_by_instances_starting_together(database: Database) -> None:
    """Replicas starting at the same moment each create the schema if missing: none of them fails."""
    barrier = threading.Barrier(6)
    engines: list = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            barrier.wait(timeout=10)
            engines.append(store.make_engine(database.url))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    inspector = inspect(engines[0])
    assert {"attempts", "residents"} <= set(inspector.get_table_names())
    assert "ix_attempts_nickname_created_at" in {ix["name"] for ix in inspector.get_indexes("attempts")}
    for engine in engines:
        engine.dispose()


def test_many_threads_saving_at_once_all_land(database: Database) -> None:
    """Twelve sessions on one process-wide engine and two more instances with their own, all saving at once."""
    shared = store.make_engine(database.url)
    others = [store.make_engine(database.url) for _ in range(2)]
    per_thread, threads_n = 15, 14
    for n in range(threads_n):  # each resident's nickname claimed (its passphrase hashed) before the race
        history(f"res{n}", shared)
    barrier = threading.Barrier(threads_n)
    saved: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        engine = others[n % 2] if n >= 12 else shared
        try:
            barrier.wait(timeout=10)
            for i in range(per_thread):
                row = save(attempt(nickname=f"res{n}", case_id=f"case_{i}", score=i), engine)
                with lock:
                    saved.append(row.id)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(saved) == len(set(saved)) == per_thread * threads_n
    for n in range(threads_n):
        assert sorted(a.score for a in history(f"res{n}", shared)) == list(range(per_thread))
    for engine in (shared, *others):
        engine.dispose()


QUIZ = str(Path(__file__).resolve().parent.parent / "views" / "7_quiz.py")
PPROM = "previable_pprom_19w"


def _quiz_attempt(at, offered: set[str]) -> None:
    from decision import OPTION_IDS

    at.selectbox(key="quiz.case_choice").select(PPROM).run()
    at.button(key="quiz.start").click().run()
    gen = at.session_state["quiz.generation"]
    for option in OPTION_IDS:
        at.checkbox(key=f"quiz.g{gen}.offer.{option}").set_value(option in offered)
    at.button(key="quiz.submit").click().run()
    if any(b.key == "quiz.show_feedback" for b in at.button):
        at.button(key="quiz.show_feedback").click().run()
    assert not at.exception, at.exception


def test_database_going_away_mid_session_quiz_keeps_scoring_and_says_not_saved(
        database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved while the database is there; after it goes away (SQLite locked by another program, PostgreSQL
    server down) the quiz still scores, keeps the attempt for the session and says it was not saved."""
    from residents import PASSPHRASE
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv(ENV_VAR, database.url)
    if database.kind == "sqlite":  # the lock below is waited for this long
        monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 300)
    at = AppTest.from_file(QUIZ, default_timeout=60).run()
    at.text_input(key="quiz.nickname").input("owl_r2").run()
    at.text_input(key="quiz.passphrase").input(PASSPHRASE).run()
    offered = {"previable_pprom_counseling", "delivery", "pprom_expectant_management"}
    _quiz_attempt(at, offered)
    assert not at.warning, [w.value for w in at.warning]
    assert any("Saved to the progress of" in str(c.value) for c in at.caption)
    (first,) = history("owl_r2")
    assert first.score == 100

    database.take_down()
    at.button(key="quiz.another").click().run()  # back to the case list, same session
    _quiz_attempt(at, offered)
    assert {m.label: m.value for m in at.metric}["Score"] == "100 / 100"
    shown = [str(c.value) for c in at.caption] + [w.value for w in at.warning]
    assert any("Not saved" in t or "not saved" in t for t in shown), shown
    assert not any(hidden in t for t in shown for hidden in ("127.0.0.1", "postgres@", str(Path(database.url).parent)))
    kept = at.session_state["quiz.session_attempts"]
    assert [a.score for a in kept] == [100, 100]
    assert kept[0].id == first.id and kept[1].id is None


def test_postgresql_saves_resume_after_the_server_restarts(pg_cluster) -> None:
    """A restarted database server: the save during the outage says so (no host in the message), the next works."""
    engine = store.make_engine(pg_cluster.create_database("restart"))
    save(attempt(score=1), engine)
    pg_cluster.stop("immediate")
    try:
        with pytest.raises(StoreUnavailable) as info:
            save(attempt(score=2), engine)
        assert "unavailable" in str(info.value) and "not saved" in str(info.value)
        assert "127.0.0.1" not in str(info.value) and str(pg_cluster.port) not in str(info.value)
    finally:
        pg_cluster.start()
    save(attempt(score=3), engine)
    assert [a.score for a in history("owl_r2", engine)] == [1, 3]
    engine.dispose()


@pytest.mark.parametrize("nickname", ["ab", "owl_r2", "Dr-Who.2", "x" * 32, "a1", "night.owl"])
def test_good_nicknames(nickname: str) -> None:
    assert nickname_problem(nickname) is None
    assert validate_nickname(f" {nickname} ") == nickname.lower()


@pytest.mark.parametrize(("nickname", "why"), [
    ("a", "at least 2"),
    ("x" * 33, "at most 32"),
    ("jane@example.org", "e-mail"),
    ("jane.doe.example.com", "e-mail address or web domain"),
    ("12345678", "at least one letter"),
    ("555-1234", "at least one letter"),
    ("01.02.1990", "at least one letter"),
    ("jane doe", "only the letters a-z"),
    ("émilie", "only the letters a-z"),
    ("", "at least 2"),
])
def test_bad_nicknames(nickname: str, why: str) -> None:
    problem = nickname_problem(nickname)
    assert problem is not None and why in problem
    with pytest.raises(InvalidNickname, match="Nickname"):
        validate_nickname(nickname)


# --- finding 7 of issue 14: in-memory URL, locked database ---------------------------------------


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_sqlite_is_one_database_for_every_thread(url: str) -> None:
    """Each thread used to get its own, empty in-memory database (attempts vanished between pages)."""
    engine = store.make_engine(url)
    try:
        save(attempt(nickname="main"), engine)
        seen: list[int] = []
        errors: list[BaseException] = []

        def worker(name: str) -> None:
            try:
                for _ in range(5):
                    save(attempt(nickname=name), engine)
                seen.append(len(history("main", engine)))
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(f"t{i}x",)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert errors == [] and seen == [1, 1, 1, 1]
        assert [len(history(f"t{i}x", engine)) for i in range(4)] == [5, 5, 5, 5]
    finally:
        engine.dispose()


def test_a_locked_database_fails_fast_with_a_busy_message(tmp_path: Path) -> None:
    """A database locked by another program made a quiz submission wait 15 s before failing."""
    import sqlite3

    path = tmp_path / "locked.sqlite3"
    engine = store.make_engine(url_for(path))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == store.BUSY_TIMEOUT_MS == 2_000
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable) as info:
            save(attempt(nickname="lark"), engine)
        assert "busy (locked by another program)" in str(info.value) and "Try again in a moment" in str(info.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert save(attempt(nickname="lark"), engine).id is not None  # free again: saved
    engine.dispose()


# --- finding 5 of issue 14: a history opens only with its passphrase; the file is private ---------------


def test_a_wrong_passphrase_opens_nothing_and_a_forged_key_reads_nothing(database: Database) -> None:
    engine = store.make_engine(database.url)
    owner = store.unlock("owl_r2", "first passphrase", engine=engine)  # claims the nickname
    store.save_attempt(attempt(score=77), owner, engine=engine)
    with pytest.raises(WrongPassphrase) as info:
        store.unlock("OWL_R2", "second passphrase", engine=engine)
    assert "does not open the history" in str(info.value)
    last = "1" if owner.key.endswith("0") else "0"  # the real key with its last digit changed
    for forged in (Resident("owl_r2", "00" * 32), Resident("owl_r2", owner.key[:-1] + last)):
        with pytest.raises(WrongPassphrase):
            store.attempts_for(forged, engine=engine)
        with pytest.raises(WrongPassphrase):
            store.save_attempt(attempt(), forged, engine=engine)
    with pytest.raises(ValueError, match="not 'lark'"):
        store.save_attempt(attempt(nickname="owl_r2"), store.unlock("lark", "lark passphrase", engine=engine),
                           engine=engine)
    again = store.unlock("owl_r2", "first passphrase", engine=engine)
    assert [a.score for a in store.attempts_for(again, engine=engine)] == [77]
    engine.dispose()


def test_passphrases_are_stored_as_salted_scrypt_hashes(tmp_path: Path) -> None:
    engine = store.make_engine(url_for(tmp_path / "h.sqlite3"))
    for name in ("owl_r2", "lark"):
        store.unlock(name, "the same passphrase", engine=engine)
    with Session(engine) as session:
        rows = {r.nickname: r for r in session.scalars(select(store.ResidentRow))}
    assert set(rows) == {"owl_r2", "lark"}
    owl, lark = rows["owl_r2"], rows["lark"]
    assert owl.salt != lark.salt and owl.key != lark.key  # salted: the same passphrase, different hashes
    assert len(bytes.fromhex(owl.salt)) == 16 and len(bytes.fromhex(owl.key)) == 32
    assert owl.key == derive("the same passphrase", owl.salt, owl.n, owl.r, owl.p) and owl.n >= 2**14
    raw = (tmp_path / "h.sqlite3").read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("h.sqlite3-*"))
    assert b"the same passphrase" not in raw
    engine.dispose()


@pytest.mark.parametrize("passphrase", ["short", " " * 12, "x" * 129])
def test_passphrase_rules(tmp_path: Path, passphrase: str) -> None:
    engine = store.make_engine(url_for(tmp_path / "r.sqlite3"))
    with pytest.raises(InvalidPassphrase, match="Passphrase must"):
        store.unlock("owl_r2", passphrase, engine=engine)
    engine.dispose()


def test_two_sessions_claiming_one_new_nickname_at_once_give_it_to_one(database: Database) -> None:
    url = database.url
    store.make_engine(url).dispose()
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def claim(passphrase: str) -> None:
        engine = store.make_engine(url)
        try:
            barrier.wait(timeout=10)
            store.unlock("newcomer", passphrase, engine=engine)
            outcome[passphrase] = "opened"
        except WrongPassphrase:
            outcome[passphrase] = "refused"
        finally:
            engine.dispose()

    threads = [threading.Thread(target=claim, args=(p,)) for p in ("passphrase one", "passphrase two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcome.values()) == ["opened", "refused"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_sqlite_file_and_its_directory_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask: files would be world-readable (0644)
    try:
        path = tmp_path / "var" / "teaching.sqlite3"
        engine = store.make_engine(url_for(path))
        store.save_attempt(attempt(), store.unlock("owl_r2", "a passphrase", engine=engine), engine=engine)
        files = [path, *(p for p in path.parent.glob("teaching.sqlite3-*"))]
        assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == {p.name: "0o600" for p in files}
        assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
        engine.dispose()
    finally:
        os.umask(old)
