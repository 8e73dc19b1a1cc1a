"""``streamlit run server.py`` serves the Streamlit UI and the server's own routes in one process."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from ehrserver import Running, call
from streamlit.web.server.app_discovery import discover_asgi_app

ROOT = Path(__file__).resolve().parents[2]


def test_server_py_is_detected_as_an_st_app() -> None:
    result = discover_asgi_app(ROOT / "server.py")
    assert result.is_asgi_app and result.import_string == "server:app"
    # the assignment is literal at module level (detection reads the source) and points at app.py
    tree = ast.parse((ROOT / "server.py").read_text(encoding="utf-8"))
    calls = [n.value for n in tree.body if isinstance(n, ast.Assign) and [t.id for t in n.targets] == ["app"]]
    assert len(calls) == 1 and isinstance(calls[0], ast.Call)
    assert ast.unparse(calls[0].func) == "st.App" and ast.literal_eval(calls[0].args[0]) == "app.py"


def test_run_sh_app_starts_server_py() -> None:
    run_sh = (ROOT / "run.sh").read_text(encoding="utf-8")
    app_block = run_sh.split("  app)", 1)[1].split("\n    ;;\n", 1)[0]  # the branch's own ;; (inner cases end ";;" too)
    assert "run server.py" in app_block and "run app.py" not in app_block


def test_the_ui_is_still_served(server: Running) -> None:
    reply = call(server.url + "/")
    assert reply.status == 200 and "<html" in reply.text.lower()
    assert call(server.url + "/_stcore/health").text == "ok"


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/nothing/here", "/cds-services/", "/cds-services/unknown/x/y"])
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_unknown_paths_under_the_prefixes_are_404_json(server: Running, path: str, method: str) -> None:
    reply = call(server.url + path, method, body=b"{}" if method == "POST" else None,
                 headers={"Content-Type": "application/json"} if method == "POST" else None)
    assert reply.status == 404, (path, method, reply.status)
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.json()["error"] == "not found"


def test_paths_outside_the_prefixes_are_left_to_streamlit(server: Running) -> None:
    # Streamlit's single-page app answers its own paths (here: a page URL) with its HTML, not our JSON
    for path in ("/options", "/apix", "/cds-servicesx"):
        reply = call(server.url + path)
        assert reply.status == 200 and "<html" in reply.text.lower(), path


def test_cors_on_the_routes_only(server: Running) -> None:
    origin = {"Origin": "https://ehr.example.org"}
    preflight = {**origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"}
    for path in ("/api/health", "/cds-services", "/api/anything"):
        reply = call(server.url + path, "OPTIONS", headers=preflight)
        assert reply.status == 200, path
        assert reply.headers["access-control-allow-origin"] == "*"
        assert "POST" in reply.headers["access-control-allow-methods"]
        assert "authorization" in reply.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in reply.headers
        assert call(server.url + path, headers=origin).headers.get("access-control-allow-origin") == "*"
    # the UI's own paths get no CORS headers
    assert "access-control-allow-origin" not in call(server.url + "/", headers=origin).headers
    assert "access-control-allow-origin" not in call(server.url + "/_stcore/health", headers=origin).headers
