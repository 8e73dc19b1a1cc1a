"""Shared test settings: hypothesis profiles, the project root on sys.path (via pyproject), and the teaching
database on both backends (SQLite, and PostgreSQL in a throwaway cluster started by the tests themselves)."""

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from support import Database, require

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


# --- the teaching database on both backends ---------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """One throwaway PostgreSQL cluster for the test session (tools.pg), on 127.0.0.1."""
    import importlib.util

    from tools import pg

    require(pg.available(), "PostgreSQL is not installed (apt-get install postgresql)")
    require(importlib.util.find_spec("psycopg") is not None, "psycopg is not installed (requirements.txt)")
    with pg.postgres() as cluster:
        yield cluster


_names = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The same test on SQLite (a file) and on PostgreSQL (a database of the session's cluster)."""
    if request.param == "sqlite":
        import sqlite3

        # Another program holds the file locked for longer than the app waits (a test that takes the database
        # down shortens the busy timeout first, so it is quick): the SQLite way of a database that is there
        # but cannot be used.
        path = tmp_path / "var" / "teaching.sqlite3"
        holders: list[sqlite3.Connection] = []

        def lock() -> None:
            holder = sqlite3.connect(path, timeout=5, isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE")
            holders.append(holder)

        yield Database("sqlite", f"sqlite:///{path}", lock)
        for holder in holders:
            holder.rollback()
            holder.close()
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database(f"t{os.getpid()}_{next(_names)}")
    yield Database("postgresql", url, lambda: cluster.stop("immediate"))
    if not cluster.running():  # a test took the server down: the next test gets it back
        cluster.start()
