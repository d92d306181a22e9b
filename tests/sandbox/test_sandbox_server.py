"""The sandbox over a real loopback socket: uvicorn thread, dropped connections, serve()."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import closeio_api
import httpx
import pytest

from closetui.sandbox import DEMO_API_KEY, Fault, SandboxConfig, ServerThread, serve
from closetui.sandbox.server import bind_loopback


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    thread = ServerThread(SandboxConfig(opportunities=40))
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture(autouse=True)
def _clean(server: ServerThread) -> None:
    server.sandbox.reset()


def test_base_url_and_basic_requests(server: ServerThread) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}/api/v1/"
    with httpx.Client(base_url=server.base_url, auth=(DEMO_API_KEY, "")) as client:
        me = client.get("me/")
        assert me.status_code == 200
        assert me.json()["id"] == server.sandbox.keys[DEMO_API_KEY]
        assert len(client.get("opportunity/").json()["data"]) == 40
        assert client.get("me/", auth=("nope", "")).status_code == 401


def test_dropped_connection_is_a_transport_error(
    server: ServerThread, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    server.sandbox.script_faults(Fault(drop=True))
    with (
        caplog.at_level(logging.DEBUG),
        httpx.Client(base_url=server.base_url, auth=(DEMO_API_KEY, "")) as client,
    ):
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            client.get("opportunity/")
        assert client.get("me/").status_code == 200  # the next connection works
    assert not [
        r for r in caplog.records if r.name.startswith("uvicorn") and r.levelno >= logging.ERROR
    ]
    assert "Traceback" not in capfd.readouterr().err


def test_faults_over_the_wire(server: ServerThread) -> None:
    server.sandbox.script_faults(
        Fault(status=500, body="<html>oops</html>", content_type="text/html"),
        Fault(status=429, retry_after=1, ratelimit_reset=1),
    )
    with httpx.Client(base_url=server.base_url, auth=(DEMO_API_KEY, "")) as client:
        assert client.get("me/").text == "<html>oops</html>"
        limited = client.get("me/")
        assert limited.status_code == 429
        assert limited.headers["RateLimit"] == "limit=60, remaining=0, reset=1"


def test_admin_routes_over_http(server: ServerThread) -> None:
    with httpx.Client(base_url=server.root_url, auth=(DEMO_API_KEY, "")) as admin:
        queued = admin.post(
            "_sandbox/faults", json=[{"status": 503, "methods": ["GET"], "count": 1}]
        )
        assert queued.json() == {"queued": 1}
        assert admin.get("api/v1/me/").status_code == 503
        assert admin.get("api/v1/me/").status_code == 200
        assert admin.get("_sandbox/requests").json()["requests"] == [["GET", "/api/v1/me/"]] * 2
        assert admin.post("_sandbox/reset").status_code == 200
        assert server.sandbox.requests_seen == []


def test_official_client_works_unchanged(server: ServerThread) -> None:
    """closeio 2.1 (requests-based) against the sandbox, incl. a 429 it must wait out.

    The official client appends the trailing slash itself (``api.get("me")``).
    """
    api = closeio_api.API(server.base_url, api_key=DEMO_API_KEY, tz_offset=5.5)
    me = api.get("me")
    assert me["organizations"][0]["pipelines"]
    opp_id = api.get("opportunity", params={"_limit": 1})["data"][0]["id"]
    server.sandbox.script_faults(Fault(status=429, ratelimit_reset=1))
    started = time.monotonic()
    updated = api.put(f"opportunity/{opp_id}", data={"confidence": 42})
    assert time.monotonic() - started >= 1.0
    assert updated["confidence"] == 42
    with pytest.raises(closeio_api.ValidationError) as caught:
        api.put(f"opportunity/{opp_id}", data={"confidence": 420})
    assert "confidence" in caught.value.field_errors
    assert api.delete(f"opportunity/{opp_id}") == {}


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", ""])
def test_only_loopback_hosts(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        serve(SandboxConfig(opportunities=0), host=host)
    with pytest.raises(ValueError, match="loopback"):
        bind_loopback(host)


def test_server_thread_as_context_manager() -> None:
    thread = ServerThread(SandboxConfig(opportunities=3))
    with thread as url:
        assert httpx.get(url + "pipeline/", auth=(DEMO_API_KEY, "")).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "pipeline/", auth=(DEMO_API_KEY, ""), timeout=2)


def test_serve_reports_its_url_and_stops_on_ctrl_c() -> None:
    code = (
        "from closetui.sandbox import SandboxConfig, serve\n"
        "serve(SandboxConfig(opportunities=5, api_key='cli_key'), port=0,"
        " ready=lambda url: print(url, flush=True))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/api/v1/")
        assert httpx.get(url + "me/", auth=("cli_key", "")).status_code == 200
        os.kill(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        assert proc.stdout.read() == ""  # serve itself prints nothing
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_timeout_after_the_write_was_applied(server: ServerThread) -> None:
    """The ambiguous case: the client times out, yet the write took effect."""
    opp_id = next(iter(server.sandbox.opportunities))
    server.sandbox.script_faults(Fault(latency=0.5, after=True, methods=("PUT",)))
    with httpx.Client(base_url=server.base_url, auth=(DEMO_API_KEY, "")) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.put(f"opportunity/{opp_id}/", json={"confidence": 63}, timeout=0.2)
        assert server.sandbox.opportunities[opp_id]["confidence"] == 63


def test_dropped_connection_after_the_write(server: ServerThread) -> None:
    opp_id = next(iter(server.sandbox.opportunities))
    server.sandbox.script_faults(Fault(drop=True, after=True))
    with (
        httpx.Client(base_url=server.base_url, auth=(DEMO_API_KEY, "")) as client,
        pytest.raises(httpx.TransportError),
    ):
        client.put(f"opportunity/{opp_id}/", json={"confidence": 64})
    assert server.sandbox.opportunities[opp_id]["confidence"] == 64
