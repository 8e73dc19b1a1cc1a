"""A throwaway PostgreSQL cluster for tests, benchmarks and the local scale-out script.

``initdb`` into a temporary directory, ``pg_ctl start`` listening on 127.0.0.1 only (a free port) and on
a unix socket inside that directory, ``trust`` authentication for local connections only, stopped and
deleted afterwards. PostgreSQL refuses to run as root: as root, the cluster runs as the ``postgres``
user that Debian's package creates (``runuser``). The binaries are Debian's (``apt-get install
postgresql``), found under ``/usr/lib/postgresql/<version>/bin`` or on ``PATH``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .serve import free_port

RUN_AS = "postgres"


class PostgresMissing(RuntimeError):
    """PostgreSQL's server binaries are not installed (``apt-get install postgresql``)."""


def bindir() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl`` (newest Debian version first, then PATH)."""
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise PostgresMissing("PostgreSQL is not installed: apt-get install postgresql")


def available() -> bool:
    try:
        bindir()
    except PostgresMissing:
        return False
    return os.geteuid() != 0 or _user_exists(RUN_AS)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@dataclass
class Cluster:
    datadir: Path
    port: int
    bindir: Path
    as_user: str | None

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.as_user, "--", *args] if self.as_user else list(args)

    def pg_ctl(self, action: str, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(self._cmd(str(self.bindir / "pg_ctl"), action, "-D", str(self.datadir), *extra),
                              check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.datadir} -c fsync=off"
        self.pg_ctl("start", "-w", "-t", "60", "-o", options, "-l", str(self.datadir / "server.log"))

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate``: like a crash or a pulled cable, no shutdown checkpoint)."""
        self.pg_ctl("stop", "-w", "-t", "60", "-m", mode, check=False)

    def running(self) -> bool:
        return self.pg_ctl("status", check=False).returncode == 0

    def create_database(self, name: str) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def postgres() -> Iterator[Cluster]:
    """A running throwaway cluster on 127.0.0.1; stopped and deleted on exit."""
    bins = bindir()
    as_user = RUN_AS if os.geteuid() == 0 else None
    if as_user and not _user_exists(as_user):
        raise PostgresMissing(f"running as root needs the {as_user!r} user (Debian's postgresql package creates it)")
    tmp = Path(tempfile.mkdtemp(prefix="ci-dss-pg-"))
    datadir = tmp / "data"
    datadir.mkdir()
    if as_user:
        entry = pwd.getpwnam(as_user)
        os.chmod(tmp, 0o755)
        os.chown(datadir, entry.pw_uid, entry.pw_gid)
    os.chmod(datadir, 0o700)
    cluster = Cluster(datadir, free_port(), bins, as_user)
    try:
        subprocess.run(cluster._cmd(str(bins / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust",
                                    "--encoding=UTF8", "--locale=C.UTF-8", "-N"),
                       check=True, capture_output=True, text=True, timeout=120)
        cluster.start()
        deadline = time.monotonic() + 30
        while not cluster.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        yield cluster
    finally:
        cluster.stop("immediate")
        shutil.rmtree(tmp, ignore_errors=True)
