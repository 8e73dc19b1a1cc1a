"""The app as several replicas behind HAProxy, sharing one PostgreSQL, on this machine (loopback only).

``python -m deploy.cluster`` (or ``deploy/start.sh``) starts, and stops on Ctrl-C:

- PostgreSQL: the one named by ``--database-url`` / ``CI_DSS_DATABASE_URL`` if given, otherwise a throwaway
  cluster (``tools/pg.py``: a temporary data directory, 127.0.0.1, deleted on exit);
- ``--replicas`` Streamlit processes (default 2), each ``streamlit run server.py`` (the app's UI and its HTTP
  routes, as ``./run.sh app`` starts it) on its own 127.0.0.1 port,
  with the same ``CI_DSS_DATABASE_URL`` and the same cookie secret, no file watcher;
- HAProxy (``deploy/haproxy.cfg``) on ``--port`` (default 8500) of 127.0.0.1, with cookie stickiness and
  ``/_stcore/health`` as the health check.

Tests and benchmarks use :func:`deployment` (a context manager) the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from tools.pg import PostgresMissing

ROOT = Path(__file__).resolve().parent.parent
HAPROXY_CFG = Path(__file__).resolve().parent / "haproxy.cfg"
#: What a replica runs: server.py serves app.py's Streamlit UI plus the HTTP API and CDS Hooks routes (webapi).
APP = ROOT / "server.py"
ENV_VAR = "CI_DSS_DATABASE_URL"
COOKIE = "CIDSS"
#: The Streamlit options every replica runs with (production: no file watcher, no usage statistics).
STREAMLIT_FLAGS = ("--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
                   "--server.runOnSave", "false", "--browser.gatherUsageStats", "false")


class MissingPackage(RuntimeError):
    """A Debian package the deployment needs is not installed."""


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if not found:
        raise MissingPackage("HAProxy is not installed: apt-get install haproxy")
    return found


def free_port() -> int:
    from tools.serve import free_port as pick

    return pick()


def wait_healthy(url: str, timeout: float = 90.0, process: subprocess.Popen | None = None) -> None:
    """Until ``url``'s ``/_stcore/health`` answers 200 (HAProxy forwards it to a replica): ``tools.serve``'s."""
    from tools.serve import wait_healthy as wait

    wait(url, timeout, process)


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    from tools.serve import stop

    stop(process, timeout, sig)


@dataclass
class Replica:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None


def start_replica(name: str, port: int, env: dict[str, str], logdir: Path, script: Path = APP) -> Replica:
    log = logdir / f"{name}.log"
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port), *STREAMLIT_FLAGS]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    return Replica(name, port, process, log)


def haproxy_config(bind_port: int, replicas: list[Replica], check_interval: str = "1s") -> str:
    servers = "\n".join(f"    server {r.name} 127.0.0.1:{r.port} check cookie {r.name}" for r in replicas)
    return Template(HAPROXY_CFG.read_text()).substitute(BIND=f"127.0.0.1:{bind_port}", SERVERS=servers,
                                                        CHECK_INTERVAL=check_interval)


@dataclass
class Deployment:
    url: str
    port: int
    replicas: list[Replica]
    haproxy: subprocess.Popen
    database_url: str
    workdir: Path
    pg: object | None = None
    events: list[tuple[float, str]] = field(default_factory=list)

    def replica(self, name: str) -> Replica:
        return next(r for r in self.replicas if r.name == name)

    def stop_replica(self, name: str, sig: int = signal.SIGKILL) -> float:
        """Stop one replica (SIGKILL: a crash, no goodbye to its sessions); returns the time.perf_counter()."""
        replica = self.replica(name)
        at = time.perf_counter()
        _stop(replica.process, sig)
        self.events.append((at, f"stopped {name} ({signal.Signals(sig).name})"))
        return at

    def processes(self) -> list[int]:
        return [r.pid for r in self.replicas if r.alive()]


@contextlib.contextmanager
def deployment(replicas: int = 2, port: int | None = None, database_url: str | None = None,
               workdir: Path | None = None, check_interval: str = "1s", script: Path = APP) -> Iterator[Deployment]:
    """Start PostgreSQL (unless ``database_url``), ``replicas`` app processes and HAProxy; stop all on exit."""
    if not 1 <= replicas <= 8:
        raise ValueError("replicas: 1 to 8")
    haproxy = haproxy_binary()
    with contextlib.ExitStack() as stack:
        own_tmp = workdir is None
        workdir = Path(tempfile.mkdtemp(prefix="ci-dss-deploy-")) if workdir is None else workdir
        workdir.mkdir(parents=True, exist_ok=True)
        if own_tmp:
            stack.callback(shutil.rmtree, workdir, True)
        pg = None
        if not database_url:
            from tools import pg as pgtools

            pg = stack.enter_context(pgtools.postgres())
            database_url = pg.create_database("teaching")
        env = {**os.environ, ENV_VAR: database_url,
               # One secret for all replicas: cookies signed by one (st.login) are read by the others.
               "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
               or secrets.token_hex(32)}
        started: list[Replica] = []
        for i in range(replicas):
            replica = start_replica(f"r{i + 1}", free_port(), env, workdir, script)
            started.append(replica)
            stack.callback(_stop, replica.process)
        for replica in started:
            wait_healthy(replica.url, process=replica.process)
        bind_port = port or free_port()
        cfg = workdir / "haproxy.cfg"
        cfg.write_text(haproxy_config(bind_port, started, check_interval))
        subprocess.run([haproxy, "-c", "-q", "-f", str(cfg)], check=True, capture_output=True, text=True)
        with (workdir / "haproxy.log").open("ab") as out:
            proxy = subprocess.Popen([haproxy, "-f", str(cfg), "-db"], stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        stack.callback(_stop, proxy)
        url = f"http://127.0.0.1:{bind_port}"
        wait_healthy(url, process=proxy)
        yield Deployment(url, bind_port, started, proxy, database_url, workdir, pg)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8500, help="HAProxy's port on 127.0.0.1 (default 8500)")
    parser.add_argument("--database-url", default=os.environ.get(ENV_VAR, ""),
                        help=f"the shared database (default: {ENV_VAR}, else a throwaway local PostgreSQL)")
    parser.add_argument("--workdir", type=Path, help="logs and the filled-in haproxy.cfg (default: a temp dir)")
    args = parser.parse_args(argv)
    stop = False

    def on_signal(_sig: int, _frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        with deployment(args.replicas, args.port, args.database_url or None, args.workdir) as d:
            print(f"app: {d.url} (HAProxy, cookie {COOKIE}); replicas: "
                  + ", ".join(f"{r.name} {r.url} pid {r.pid}" for r in d.replicas), flush=True)
            print(f"database: {'throwaway PostgreSQL' if d.pg else 'from ' + ENV_VAR}; logs: {d.workdir}", flush=True)
            print("Ctrl-C stops everything.", flush=True)
            while not stop:
                time.sleep(0.5)
                for r in d.replicas:
                    if r.alive() is False and (0.0, r.name) not in d.events:
                        print(f"replica {r.name} exited ({r.process.returncode}); HAProxy sends its sessions to the "
                              "others", file=sys.stderr, flush=True)
                        d.events.append((0.0, r.name))
    except (MissingPackage, PostgresMissing) as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
