"""``closetui update`` meeting every fault a write can meet: its exit code, what it says,
and how many PUTs reached the sandbox (loopback; the CLI runs in this process so that a
row may shorten the client's timeout or refuse its PUT's connection)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest

from closetui.cli.exit_codes import EXIT_API, EXIT_NETWORK, EXIT_OK, EXIT_UNKNOWN
from closetui.cli.main import main
from closetui.connect import Connection
from closetui.sandbox import DEMO_API_KEY, Fault, Sandbox, SandboxConfig, ServerThread

HTML = "<html><body>Gateway says hello</body></html>"
FIELD_ERRORS = json.dumps({"errors": [], "field-errors": {"confidence": "Not today."}})


class RefusedPuts(httpx.AsyncBaseTransport):
    """GETs go to the sandbox; a PUT goes to a closed port on 127.0.0.1 (a real refusal)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            request.url = request.url.copy_with(port=9)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass(frozen=True)
class Row:
    """Faults for one update, and what the user must see."""

    faults: tuple[Fault, ...]
    code: int
    says: tuple[str, ...]
    """Fragments stderr must contain."""
    puts: int = 1
    """PUTs that reached the sandbox."""
    applied: bool = False
    separator: str = ","
    timeout: float = 30.0
    refuse: bool = False


def put(**fault: Any) -> Fault:
    return Fault(methods=("PUT",), **fault)


MAY = "the change may have been saved"
ROWS = {
    "429 RateLimit ','": Row((put(status=429, ratelimit_reset=0),), EXIT_OK, (), 2, True),
    "429 RateLimit ';'": Row((put(status=429, ratelimit_reset=0),), EXIT_OK, (), 2, True, ";"),
    "429 Retry-After": Row((put(status=429, retry_after=0),), EXIT_OK, (), 2, True),
    "429 over max wait": Row(
        (put(status=429, retry_after=600),),
        EXIT_API,
        ("not saved: HTTP 429", "nothing changed, try again later"),
    ),
    "503 every time": Row(
        (put(status=503, count=None),),
        EXIT_API,
        ("not saved: HTTP 503", "nothing changed, try again later"),
        puts=5,
    ),
    "502 applied": Row(
        (put(status=502, after=True),),
        EXIT_OK,
        ("no clear answer to the update: HTTP 502", MAY, "checked: it was saved"),
        applied=True,
    ),
    "504": Row(
        (put(status=504),),
        EXIT_API,
        ("HTTP 504", MAY, "checked: it was not saved", "not saved: HTTP 504"),
    ),
    "timeout applied": Row(
        (put(after=True, latency=2.0),),
        EXIT_OK,
        ("timed out after the request went out", MAY, "checked: it was saved"),
        applied=True,
        timeout=0.5,
    ),
    "dropped mid-answer": Row(
        (put(drop=True, after=True),),
        EXIT_OK,
        ("connection dropped after the request went out", "checked: it was saved"),
        applied=True,
    ),
    "reset, not applied": Row(
        (put(drop=True),),
        EXIT_NETWORK,
        ("connection dropped", MAY, "checked: it was not saved", "still has the old values"),
    ),
    "connection refused": Row(
        (), EXIT_NETWORK, ("could not connect", "nothing changed"), puts=0, refuse=True
    ),
    "non-JSON 200 applied": Row(
        (put(status=200, after=True, body=HTML, content_type="text/html"),),
        EXIT_OK,
        ("HTTP 200 but the answer is not JSON", MAY, "checked: it was saved"),
        applied=True,
    ),
    "401": Row((put(status=401),), EXIT_API, ("the API refused the request: HTTP 401",)),
    "404": Row((put(status=404),), EXIT_API, ("the API refused the request: HTTP 404",)),
    "400 field errors": Row(
        (put(status=400, body=FIELD_ERRORS),),
        EXIT_API,
        ("the API refused the request: HTTP 400", "confidence: Not today."),
    ),
}


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Sandbox]]:
    thread = ServerThread(SandboxConfig(opportunities=60))
    with thread as url:
        yield url, thread.sandbox


def _connect(monkeypatch: pytest.MonkeyPatch, row: Row) -> None:
    """Short retry waits (and the row's timeout, or a refusing transport) for the CLI."""
    original = Connection.client

    def client(self: Connection, **options: Any) -> Any:
        options.update(backoff=0.01, timeout=row.timeout)
        if row.refuse:
            self.transport = RefusedPuts()
        return original(self, **options)

    monkeypatch.setattr(Connection, "client", client)


def _update(
    url: str, sandbox: Sandbox, index: int, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str, str, int]:
    opp_id = sorted(sandbox.opportunities)[index]
    old = sandbox.opportunities[opp_id]["confidence"]
    new = 3 if old != 3 else 4
    args = ["update", "--base-url", url, "--tz-offset", "0", opp_id, "--confidence", str(new)]
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err, opp_id, new


def _puts(sandbox: Sandbox, opp_id: str) -> int:
    return sum(1 for r in sandbox.requests if r.method == "PUT" and opp_id in r.path)


@pytest.mark.parametrize("row", list(ROWS.values()), ids=list(ROWS))
def test_update_says_saved_refused_or_what_a_re_read_found(
    server: tuple[str, Sandbox],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    row: Row,
) -> None:
    url, sandbox = server
    monkeypatch.setenv("CLOSE_API_KEY", DEMO_API_KEY)
    _connect(monkeypatch, row)
    index = list(ROWS.values()).index(row)
    opp_id = sorted(sandbox.opportunities)[index]
    sandbox.rate_limit_separator = row.separator
    sandbox.script_faults(*(replace(fault, path=opp_id) for fault in row.faults))
    code, out, err, opp_id, new = _update(url, sandbox, index, capsys)
    sandbox.clear_faults()
    assert code == row.code, err
    for fragment in row.says:
        assert fragment in err
    assert "Traceback" not in err
    assert _puts(sandbox, opp_id) == row.puts
    assert (sandbox.opportunities[opp_id]["confidence"] == new) == row.applied
    assert ("Updated " in out) == (row.code == EXIT_OK)


def test_when_a_re_read_cannot_tell_the_exit_code_is_unknown(
    server: tuple[str, Sandbox],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, sandbox = server
    monkeypatch.setenv("CLOSE_API_KEY", DEMO_API_KEY)
    _connect(monkeypatch, Row((), EXIT_UNKNOWN, ()))
    index = len(ROWS)
    opp_id = sorted(sandbox.opportunities)[index]
    sandbox.script_faults(
        Fault(path=opp_id, methods=("GET",)),  # the update's own read passes
        Fault(status=502, after=True, path=opp_id, methods=("PUT",)),
        Fault(status=500, path=opp_id, methods=("GET",)),  # the re-read fails
    )
    code, out, err, opp_id, _ = _update(url, sandbox, index, capsys)
    assert code == EXIT_UNKNOWN, err
    assert "checked: could not tell whether it was saved (re-read failed" in err
    assert "unknown: the update may or may not have been saved" in err
    assert f"closetui get {opp_id}" in err
    assert out == ""
    assert _puts(sandbox, opp_id) == 1


def test_the_exit_codes_are_listed_in_update_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["update", "--help"])
    out = capsys.readouterr().out
    assert "exit codes:" in out
    assert "5  unknown" in out


@pytest.mark.parametrize(
    ("command", "body"),
    [
        ("get", json.dumps({"unexpected": True})),
        ("get", HTML),
        ("list", json.dumps({"data": "not a list"})),
        ("list", json.dumps({"data": [{"id": 5}], "has_more": False})),
    ],
)
def test_a_read_answered_with_another_shape_is_said_in_one_line(
    server: tuple[str, Sandbox],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    body: str,
) -> None:
    """A 200 that is not what was asked for (a proxy's page, another API's JSON) is an
    error message and exit 3, never a pydantic traceback."""
    url, sandbox = server
    monkeypatch.setenv("CLOSE_API_KEY", DEMO_API_KEY)
    opp_id = sorted(sandbox.opportunities)[0]
    path = f"/opportunity/{opp_id}/" if command == "get" else "/opportunity/"
    sandbox.script_faults(Fault(status=200, body=body, methods=("GET",), path=path))
    args = [command, "--base-url", url, *([opp_id] if command == "get" else [])]
    code = main(args)
    sandbox.clear_faults()
    _out, err = capsys.readouterr()
    assert code == EXIT_API, err
    assert "HTTP 200 but the answer is not" in err
    assert "Traceback" not in err
    assert "pydantic" not in err
