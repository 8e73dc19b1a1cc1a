"""Fixtures of the record-system integration tests: one real server per session (``streamlit run server.py``).

The server gets its own SQLite database, an issuer allow-list holding a test key (ES384) and a log file,
so tests can look at all three.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from ehrserver import Running, serve
from signingkeys import TEST_ISSUER, SigningKeys, make_keys


@pytest.fixture(scope="session")
def keys() -> SigningKeys:
    return make_keys()


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ehr_server")


@pytest.fixture(scope="session")
def server(server_dir: Path, keys: SigningKeys) -> Iterator[Running]:
    """The real server: UI + routes, a fresh database, the test issuer allow-listed."""
    issuers = server_dir / "issuers.json"
    issuers.write_text(json.dumps({"issuers": [{"iss": TEST_ISSUER, "jwks": keys.jwks}]}), encoding="utf-8")
    env = {
        "CI_DSS_DATABASE_URL": f"sqlite:///{server_dir / 'shared.sqlite3'}",
        "CI_DSS_CDS_ISSUERS_FILE": str(issuers),
        "CI_DSS_CDS_ALLOW_UNSIGNED": "",
        "CI_DSS_PUBLIC_URL": "",
        "CI_DSS_CDS_ISSUERS": "",
        "CI_DSS_FHIR_MAPPING": "",
    }
    with serve(env, server_dir / "server.log") as running:
        yield running


@pytest.fixture(scope="session")
def db_path(server: Running, server_dir: Path) -> Path:
    return server_dir / "shared.sqlite3"


@pytest.fixture(scope="session")
def signed(keys: SigningKeys):
    """``signed(url)``: headers carrying a fresh valid JWT whose audience is ``url`` (the endpoint called)."""

    def headers(url: str, **claims) -> dict[str, str]:
        return {"Authorization": f"Bearer {keys.token(url, **claims)}", "Content-Type": "application/json"}

    return headers
