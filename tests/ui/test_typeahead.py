"""Keys typed ahead of a screen that is opening (or loading) go to that screen, in order.

Over a slow link a burst such as ``b tab tab W o n`` arrives in one read. The keys behind
``b`` used to reach the list while the marked rows were being read: ``W`` sent the row under
the cursor as Won, and the keys typed once the composer was there were lost. Here each
burst is posted to the app before it handles any key (as the driver does for one read),
while the sandbox holds its answers back, and the tests look at what the sandbox received
and where the keys landed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from closetui.connect import Connection
from closetui.ui.app import CloseTUI
from closetui.ui.screens.bulk_edit import BulkEditScreen
from tests.ui.helpers import app_for, demo, listing, settle, status, wait_until


class HeldReads(httpx.AsyncBaseTransport):
    """Holds every read of one opportunity (``GET /opportunity/oppo_…/``) while closed:
    the window in which a slow network is still loading what a screen will show."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gate = asyncio.Event()
        self.gate.set()
        self.waiting = 0

    def close_gate(self) -> None:
        """Hold the reads from now on."""
        self.gate.clear()

    def open_gate(self) -> None:
        """Let the held reads (and every later one) through."""
        self.gate.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and "/opportunity/oppo_" in request.url.path:
            self.waiting += 1
            await self.gate.wait()
            self.waiting -= 1
        return await self.inner.handle_async_request(request)


def held_demo(opportunities: int = 60) -> tuple[Connection, HeldReads]:
    """The demo sandbox behind a :class:`HeldReads`."""
    connection = demo(opportunities)
    assert connection.transport is not None
    held = HeldReads(connection.transport)
    return connection.replace(transport=held), held


def burst(app: CloseTUI, *keys: str) -> None:
    """Post every key before the app handles any (one read from the terminal)."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


def puts(connection: Connection) -> list[str]:
    """The paths of every PUT the sandbox received."""
    return [r.path for r in connection.sandbox.requests if r.method == "PUT"]


async def loading(pilot: Pilot[Any], held: HeldReads) -> None:
    """Let the app run until a read is held (the screen is loading), then a little more."""
    await wait_until(pilot, lambda: held.waiting > 0)
    for _ in range(5):
        await pilot.pause()


async def test_the_issues_burst_goes_to_the_composer_not_to_the_list() -> None:
    connection, held = held_demo()
    app = app_for(connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        await settle(pilot)
        row_four = listing(app).highlighted
        assert row_four is not None
        assert len(listing(app).marked_ids()) == 3
        held.close_gate()
        burst(app, "b", "tab", "tab", "W", "o", "n")
        await loading(pilot, held)
        assert "Reading" in status(app).message
        assert puts(connection) == []  # W did not reach the list
        held.open_gate()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BulkEditScreen)
        value = screen.query_one(".op-value", Input)
        assert app.focused is value
        assert value.value == "Won"
        await settle(pilot)
    assert puts(connection) == []
    assert row_four.id not in {r.path.split("/")[-2] for r in connection.sandbox.requests}
