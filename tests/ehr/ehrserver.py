"""``streamlit run server.py`` on a free loopback port, its stderr in a file, and a tiny HTTP client.

Used by the tests under ``tests/ehr`` that go through the real server (not an ASGI test client).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tools.serve import ROOT, free_port, stop, wait_healthy

START_TIMEOUT = 90.0  # seconds; two shared cores can make the first start slow
REQUEST_TIMEOUT = 30.0


@dataclass
class Running:
    url: str
    log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serve(env: Mapping[str, str], log: Path, script: str = "server.py") -> Iterator[Running]:
    """Run ``streamlit run script`` headless on 127.0.0.1 with ``env`` added; stop it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    with open(log, "wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, timeout=START_TIMEOUT, process=process)
        yield Running(url, log, process)
    finally:
        stop(process)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def call(url: str, method: str = "GET", body: bytes | str | Any = None, headers: Mapping[str, str] | None = None) -> Reply:
    """One HTTP request (a fresh connection, bounded by a timeout); ``body`` other than bytes/str is sent as JSON."""
    parts = urlsplit(url)
    sent_headers = dict(headers or {})
    if body is not None and not isinstance(body, bytes | str):
        body = json.dumps(body)
        sent_headers.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode("utf-8")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target or "/", body=body, headers=sent_headers)
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()
