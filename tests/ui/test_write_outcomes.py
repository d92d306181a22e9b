"""The app's send (ctrl+r) and quick sends meeting every fault a write can meet: what the
status line says, whether the draft is kept or cleared, and how many PUTs reached the
sandbox; an unclear answer is settled by reading the opportunity again."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from closetui.connect import Connection
from closetui.sandbox import Fault
from closetui.ui.screens.stale import StaleScreen
from tests.ui.helpers import (
    app_for,
    demo,
    listing,
    main,
    open_row,
    preview_body,
    replace_text,
    row_message,
    running,
    settle,
    status,
)

HTML = "<html><body>Gateway says hello</body></html>"
FIELD_ERRORS = json.dumps({"errors": [], "field-errors": {"confidence": "Not today."}})


class TimedOutPuts(httpx.AsyncBaseTransport):
    """Lets a PUT reach the sandbox (it is applied), then times out waiting for its answer,
    as httpx does on a slow link (an in-process transport has no clock of its own)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "PUT":
            await response.aread()
            raise httpx.ReadTimeout("timed out reading the answer", request=request)
        return response


class RefusedPuts(httpx.AsyncBaseTransport):
    """GETs go to the sandbox; a PUT goes to a closed port on 127.0.0.1 (a real refusal)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.socket = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "PUT":
            return await self.inner.handle_async_request(request)
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=9)
        return await self.socket.handle_async_request(request)

    async def aclose(self) -> None:
        await self.socket.aclose()


@dataclass(frozen=True)
class Row:
    """Faults for one send, and what the user must see."""

    faults: tuple[Fault, ...]
    says: str
    """How the status line's message begins."""
    saved: bool
    """Saved (the draft is cleared, the sandbox has the value) or not (the draft is kept)."""
    puts: int = 1
    also: tuple[str, ...] = ()
    """Other fragments of the message."""
    separator: str = ","
    transport: type[httpx.AsyncBaseTransport] | None = None


def put(**fault: Any) -> Fault:
    return Fault(methods=("PUT",), **fault)


CHECKED = "(checked by reading it again after: "
KEPT = "draft kept"
ROWS = {
    "429 RateLimit ','": Row((put(status=429, ratelimit_reset=0),), "Saved", True, 2),
    "429 RateLimit ';'": Row((put(status=429, ratelimit_reset=0),), "Saved", True, 2, (), ";"),
    "429 Retry-After": Row((put(status=429, retry_after=0),), "Saved", True, 2),
    "429 over max wait": Row(
        (put(status=429, retry_after=600),),
        "Not saved: HTTP 429",
        False,
        also=("Close did not apply it", KEPT),
    ),
    "503 every time": Row(
        (put(status=503, count=None),),
        "Not saved: HTTP 503",
        False,
        5,
        ("Close did not apply it", KEPT),
    ),
    "502 applied": Row((put(status=502, after=True),), "Saved", True, also=(CHECKED + "HTTP 502",)),
    "504": Row(
        (put(status=504),),
        "Not saved (HTTP 504",
        False,
        also=("checked: the server still has the old values", KEPT),
    ),
    "timeout applied": Row(
        (),
        "Saved",
        True,
        also=(CHECKED + "timed out after the request went out",),
        transport=TimedOutPuts,
    ),
    "dropped mid-answer": Row(
        (put(drop=True, after=True),),
        "Saved",
        True,
        also=(CHECKED + "connection dropped",),
    ),
    "reset, not applied": Row(
        (put(drop=True),),
        "Not saved (connection dropped",
        False,
        also=("checked: the server still has the old values", KEPT),
    ),
    "connection refused": Row(
        (), "Could not connect", False, 0, ("nothing saved", KEPT), transport=RefusedPuts
    ),
    "non-JSON 200 applied": Row(
        (put(status=200, after=True, body=HTML, content_type="text/html"),),
        "Saved",
        True,
        also=(CHECKED + "HTTP 200 but the answer is not JSON",),
    ),
    "401": Row((put(status=401),), "Not saved: HTTP 401", False, also=(KEPT,)),
    "404": Row((put(status=404),), "Not saved: HTTP 404", False, also=(KEPT,)),
    "400 field errors": Row(
        (put(status=400, body=FIELD_ERRORS),),
        "Refused (400): confidence: Not today.",
        False,
        also=(KEPT,),
    ),
}


def _connection(monkeypatch: pytest.MonkeyPatch, row: Row | None = None) -> Connection:
    """The demo sandbox with short retry waits (and the row's transport, if any)."""
    original = Connection.client

    def client(self: Connection, **options: Any) -> Any:
        options.update(backoff=0.01)
        return original(self, **options)

    monkeypatch.setattr(Connection, "client", client)
    connection = demo(40)
    if row is not None and row.transport is not None:
        return connection.replace(transport=row.transport(connection.transport))  # type: ignore[call-arg]
    return connection


def _puts(connection: Connection, opp_id: str) -> int:
    return sum(1 for r in connection.sandbox.requests if r.method == "PUT" and opp_id in r.path)


@pytest.mark.parametrize("row", list(ROWS.values()), ids=list(ROWS))
async def test_a_send_says_saved_refused_or_what_a_re_read_found(
    monkeypatch: pytest.MonkeyPatch, row: Row
) -> None:
    connection = _connection(monkeypatch, row)
    app = app_for(connection)
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        new = 3 if opp.confidence != 3 else 4
        await replace_text(pilot, "confidence", str(new))
        connection.sandbox.rate_limit_separator = row.separator
        connection.sandbox.script_faults(*(replace(f, path=opp.id) for f in row.faults))
        await pilot.press("ctrl+r")
        await settle(pilot)
        message = status(app).message
        assert message.startswith(row.says), message
        for fragment in row.also:
            assert fragment in message
        assert status(app).severity == ("success" if row.saved else "error")
        assert _puts(connection, opp.id) == row.puts
        stored = connection.sandbox.opportunities[opp.id]["confidence"]
        assert (stored == new) == row.saved
        if row.saved:
            assert preview_body(app) == {}
            assert opp.id not in main(app).drafts
            entries, _ = main(app).history.load()
            assert entries[0].ok  # kept as a save: undo (u) offers it
        else:
            assert preview_body(app) == {"confidence": new}
            assert opp.id in main(app).drafts
        if "field errors" in str(row.faults):
            assert "Not today." in row_message(app, "confidence")


async def _saved_through_an_applied_502(pilot: Pilot[Any], connection: Connection) -> Any:
    """Open the first row, change its confidence and send it through a 502 that was applied:
    the re-read finds it saved. Returns the opportunity as it was opened."""
    app = pilot.app
    await open_row(pilot, 0)
    opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
    connection.sandbox.script_faults(put(status=502, after=True, path=opp.id))
    await replace_text(pilot, "confidence", "3" if opp.confidence != 3 else "4")
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert status(app).message.startswith("Saved")
    return opp


async def test_after_a_502_that_was_applied_the_next_send_is_not_someone_elses_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connection = _connection(monkeypatch)
    app = app_for(connection)
    async with running(app) as pilot:
        opp = await _saved_through_an_applied_502(pilot, connection)
        await replace_text(pilot, "confidence", "61")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not isinstance(app.screen, StaleScreen)
        assert "Someone changed" not in status(app).message
        assert status(app).message.startswith("Saved")
        assert connection.sandbox.opportunities[opp.id]["confidence"] == 61
        assert _puts(connection, opp.id) == 2


async def test_when_the_re_read_fails_the_app_says_it_cannot_tell_and_keeps_the_draft(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connection = _connection(monkeypatch)
    app = app_for(connection)
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "3" if opp.confidence != 3 else "4")
        body = preview_body(app)
        connection.sandbox.script_faults(
            Fault(path=opp.id, methods=("GET",)),  # the stale guard's read passes
            put(status=502, after=True, path=opp.id),
            Fault(status=500, path=opp.id, methods=("GET",)),  # the re-read fails
        )
        await pilot.press("ctrl+r")
        await settle(pilot)
        message = status(app).message
        assert message.startswith("Unknown whether it was saved (HTTP 502"), message
        assert "could not tell whether it was saved (re-read failed" in message
        assert "draft kept" in message
        assert preview_body(app) == body
        assert opp.id in main(app).drafts
        assert _puts(connection, opp.id) == 1


@pytest.mark.parametrize(
    ("faults", "says", "saved"),
    [
        ((put(status=502, after=True),), "saved (checked)", True),
        ((put(status=504),), "not saved (checked)", False),
        (
            (
                put(status=502, after=True),
                Fault(status=500, methods=("GET",)),
            ),
            "unknown whether it was saved",
            True,
        ),
    ],
    ids=["502 applied", "504", "re-read fails"],
)
async def test_a_quick_won_with_an_unclear_answer_is_settled_by_a_re_read(
    monkeypatch: pytest.MonkeyPatch, faults: tuple[Fault, ...], says: str, saved: bool
) -> None:
    connection = _connection(monkeypatch)
    app = app_for(connection)
    async with running(app) as pilot:
        row = next(r for _, r in listing(app).cache.loaded() if r.status_type == "active")
        index = listing(app).cache.index_of(row.id)
        listing(app).focus()
        await pilot.press("g")
        for _ in range(index or 0):
            await pilot.press("j")
        # The quick action reads the row first: that read passes.
        connection.sandbox.script_faults(
            Fault(path=row.id, methods=("GET",)), *(replace(f, path=row.id) for f in faults)
        )
        await pilot.press("W")
        await settle(pilot)
        assert says in status(app).message, status(app).message
        assert _puts(connection, row.id) == 1
        stored = connection.sandbox.opportunities[row.id]["status_type"]
        assert (stored == "won") == saved


async def test_a_change_found_saved_after_a_502_can_be_undone_through_another_502(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from closetui.ui.screens.bulk_progress import BulkProgressScreen
    from closetui.ui.screens.review import ReviewScreen

    connection = _connection(monkeypatch)
    app = app_for(connection)
    async with running(app) as pilot:
        opp = await _saved_through_an_applied_502(pilot, connection)

        connection.sandbox.script_faults(put(status=502, after=True, path=opp.id))
        listing(app).focus()
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BulkProgressScreen)
        assert progress.result is not None
        (row,) = progress.result.rows
        assert (row.outcome, row.message) == ("ok", "saved (checked)")
        await pilot.press("escape")
        await settle(pilot)
        assert status(app).message.startswith("Undo: 1 saved")
        assert connection.sandbox.opportunities[opp.id]["confidence"] == opp.confidence
        assert _puts(connection, opp.id) == 2
