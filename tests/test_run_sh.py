"""``./run.sh app`` listens on this machine only unless told otherwise (finding 7 of issue 14)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psutil
import pytest

from tools.serve import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "streamlit").exists(),
                                reason="needs the project's .venv (./run.sh sets it up)")


def _listening_addresses(*extra: str) -> set[str]:
    """Start ``./run.sh app`` with ``extra`` arguments; the addresses its server listens on."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    process = subprocess.Popen(["./run.sh", "app", "--server.port", str(port), "--server.headless", "true",
                                "--browser.gatherUsageStats", "false", *extra],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        host = next((extra[i + 1] for i, a in enumerate(extra) if a == "--server.address"), "127.0.0.1")
        wait_healthy(f"http://{host}:{port}", process=process)
        server = psutil.Process(process.pid)  # run.sh execs streamlit: the same process
        return {c.laddr.ip for c in server.net_connections(kind="inet")
                if c.status == psutil.CONN_LISTEN and c.laddr.port == port}
    finally:
        stop(process)


def test_the_app_binds_to_127_0_0_1_by_default() -> None:
    assert _listening_addresses() == {"127.0.0.1"}


def test_an_address_given_on_the_command_line_wins() -> None:
    assert _listening_addresses("--server.address", "127.0.0.2") == {"127.0.0.2"}
