"""Sending: success lands in the sandbox and the inspector; failures keep the draft."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from closetui.sandbox import Fault
from closetui.ui.screens.inspector import InspectorScreen
from closetui.ui.widgets.status_line import StatusLine
from tests.ui.helpers import (
    CloseTUI,
    Connection,
    Opportunity,
    app_for,
    demo,
    first_matching,
    main,
    open_row,
    pick,
    preview_body,
    replace_text,
    row_message,
    running,
    settle,
    status,
    type_text,
)


def active_sales(opp: Any) -> bool:
    return opp.status_type == "active" and opp.date_won is None and opp.pipeline_name == "Sales"


async def test_send_stores_the_change_and_the_inspector_shows_the_diff(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    await open_row(pilot, first_matching(app, active_sales))
    opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
    await pick(pilot, "status_id", "sales won")
    await replace_text(pilot, "confidence", "95")
    sent_body = preview_body(app)
    await pilot.press("ctrl+r")
    await settle(pilot)

    stored = connection.sandbox.opportunities[opp.id]
    won = connection.sandbox.status_id("Sales", "Won")
    assert stored["status_id"] == won
    assert stored["confidence"] == 95
    assert stored["date_won"] == "2026-11-28"
    puts = [r for r in connection.sandbox.requests if r.method == "PUT"]
    assert len(puts) == 1
    assert json.loads(puts[0].body) == sent_body
    assert puts[0].headers["x-tz-offset"] == "0"

    assert status(app).severity == "success"
    assert main(app).edit_state.draft.is_empty  # type: ignore[union-attr]
    assert preview_body(app) == {}
    assert opp.id not in main(app).drafts
    updated = (
        main(app)
        .query_one("#list")
        .cache.row(  # type: ignore[attr-defined]
            main(app).query_one("#list").cache.index_of(opp.id)  # type: ignore[attr-defined]
        )
    )
    assert updated.status_type == "won"

    await pilot.press("ctrl+t")
    await pilot.pause()
    inspector = app.screen
    assert isinstance(inspector, InspectorScreen)
    assert inspector.exchange.status == 200
    assert inspector.exchange.request.method == "PUT"
    diff = {key: (old, new) for key, old, new in inspector.diff_rows()}
    assert diff["status_id"] == (opp.status_id, won)
    assert diff["confidence"] == (opp.confidence, 95)
    assert diff["date_won"] == (None, "2026-11-28")
    assert "HTTP 200" in str(inspector.query_one("#inspector-status").content)  # type: ignore[attr-defined]

    await pilot.press("slash")
    await type_text(pilot, "date_won")
    await pilot.press("enter")
    await pilot.pause()
    assert inspector.matches
    first = inspector.current
    await pilot.press("n")
    assert inspector.current == (first + 1) % len(inspector.matches)
    await pilot.press("N")
    assert inspector.current == first

    await pilot.press("c")
    assert json.loads(app.clipboard)["id"] == opp.id
    await pilot.press("y")
    assert app.clipboard.startswith("curl -X PUT")
    assert "$CLOSE_API_KEY" in app.clipboard
    assert "sandbox_demo_key" not in app.clipboard
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is main(app)


async def test_a_400_lands_on_its_field_and_keeps_the_draft(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    await replace_text(pilot, "contact_id", "cont_notonthislead")
    assert preview_body(app) == {"contact_id": "cont_notonthislead"}
    await pilot.press("f5")
    await settle(pilot)
    assert "Not a contact" in row_message(app, "contact_id")
    assert status(app).severity == "error"
    assert "400" in status(app).message
    assert main(app).edit_state.draft.change("contact_id") is not None  # type: ignore[union-attr]
    assert opened.id in main(app).drafts
    assert connection.sandbox.opportunities[opened.id]["contact_id"] == opened.contact_id
    assert app.focused is not None
    assert app.focused.id == "control-contact_id"
    await pilot.press("ctrl+t")
    await pilot.pause()
    assert app.screen.exchange.status == 400  # type: ignore[attr-defined]
    assert app.screen.after is None  # type: ignore[attr-defined]


class FailingPuts(httpx.AsyncBaseTransport):
    """Passes GETs to the sandbox; every PUT dies mid-flight (no HTTP answer)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            raise httpx.RemoteProtocolError("peer closed connection", request=request)
        return await self.inner.handle_async_request(request)


async def test_a_network_failure_keeps_the_draft() -> None:
    connection = demo()
    app = app_for(connection.replace(transport=FailingPuts(connection.transport)))  # type: ignore[arg-type]
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "12")
        await pilot.press("ctrl+r")
        await settle(pilot)
        # The PUT never reached the sandbox: the re-read finds the old values.
        assert status(app).message.startswith("Not saved (connection dropped")
        assert "checked: the server still has the old values" in status(app).message
        assert "draft kept" in status(app).message
        assert preview_body(app) == {"confidence": 12}
        assert opp.id in main(app).drafts
        assert connection.sandbox.opportunities[opp.id]["confidence"] == opp.confidence


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault(status=500, methods=("PUT",)), "HTTP 500"),
        (Fault(drop=True, methods=("PUT",)), "draft kept"),
    ],
)
async def test_other_failures_show_status_and_message(
    fault: Fault,
    expected: str,
    connection: Connection,
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
) -> None:
    await replace_text(pilot, "confidence", "13")
    connection.sandbox.script_faults(fault)
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert status(app).severity == "error"
    assert expected in status(app).message
    assert preview_body(app) == {"confidence": 13}


async def test_rate_limit_waits_show_a_countdown(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, float]] = []
    original = StatusLine.countdown

    def countdown(self: StatusLine, message: str, seconds: float) -> None:
        shown.append((message, seconds))
        original(self, message, seconds)

    monkeypatch.setattr(StatusLine, "countdown", countdown)
    connection = demo()
    app = app_for(connection)
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "14")
        connection.sandbox.script_faults(Fault(status=429, retry_after=0, methods=("PUT",)))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert shown
        assert shown[0][0].startswith("Rate limited by Close on PUT")
        assert connection.sandbox.opportunities[opp.id]["confidence"] == 14
        assert status(app).severity == "success"


async def test_the_palette_sends_too(
    connection: Connection, pilot: Pilot[Any], opened: Opportunity
) -> None:
    await replace_text(pilot, "confidence", "66")
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, "send update")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert connection.sandbox.opportunities[opened.id]["confidence"] == 66


class HeldPuts(httpx.AsyncBaseTransport):
    """Holds every PUT until the test lets it through."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gate = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            await self.gate.wait()
        return await self.inner.handle_async_request(request)


async def test_the_ui_stays_live_while_sending_and_never_sends_twice() -> None:
    connection = demo()
    held = HeldPuts(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=held))
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "21")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert status(app).message.startswith("Sending")
        await pilot.press("escape", "j", "j")
        assert main(app).query_one("#list").cursor == 2  # type: ignore[attr-defined]
        await pilot.press("ctrl+r")
        assert "Already sending" in status(app).message
        held.gate.set()
        await settle(pilot)
        assert connection.sandbox.opportunities[opp.id]["confidence"] == 21
        assert len([r for r in connection.sandbox.requests if r.method == "PUT"]) == 1


async def test_a_request_that_is_not_the_previewed_one_is_not_sent(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    await replace_text(pilot, "confidence", "12")
    assert main(app).edit_state.view.header("X-TZ-Offset") == "0"  # type: ignore[union-attr]
    app.client.tz_offset = 5.5  # the request built now would differ from the preview
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert "changed since it was previewed" in status(app).message
    assert connection.sandbox.opportunities[opened.id]["confidence"] == opened.confidence
    state = main(app).edit_state
    assert state is not None
    assert state.view is not None
    assert state.view.header("X-TZ-Offset") == "5.5"  # the preview shows what goes now
    assert preview_body(app) == {"confidence": 12}
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert connection.sandbox.opportunities[opened.id]["confidence"] == 12
