"""Start ``streamlit run`` on a free local port and wait for its health endpoint."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


#: glibc malloc settings for the app server (./run.sh app sets the same): large arrays (a parsed upload, a
#: batch result) are always mmap-ed, so freeing them gives the memory back to the system, and at most two
#: arenas are used by the script threads (each thread arena keeps its freed memory otherwise).
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "131072", "MALLOC_TRIM_THRESHOLD_": "131072", "MALLOC_ARENA_MAX": "2"}


@dataclass
class Server:
    url: str
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url}/_stcore/health did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen, timeout: float = 15, sig: int = signal.SIGTERM) -> None:
    """Stop a server started here: ``sig`` (SIGTERM), ``timeout`` seconds to exit, then SIGKILL; always reaped."""
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def streamlit(script: str | Path = "app.py", env: dict[str, str] | None = None, wait: bool = True,
              args: tuple[str, ...] = ()) -> Iterator[Server]:
    """Run ``streamlit run script`` headless on 127.0.0.1 (``args``: more options) and stop it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--server.runOnSave", "false", *args]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **MALLOC_ENV, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        if wait:
            wait_healthy(url, process=process)
        yield Server(url, process)
    finally:
        stop(process, timeout=10)
