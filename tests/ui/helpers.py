"""Helpers for the Pilot tests: a frozen clock, the app factory, waiting and typing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import httpx
import pytest
from textual import messages
from textual.command import CommandPalette
from textual.message import Message
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from closetui.api.models import Opportunity
from closetui.connect import Connection, Connector, demo_connection
from closetui.sandbox import DEMO_API_KEY, SandboxConfig, create_app
from closetui.sandbox.config import SEED_ANCHOR
from closetui.ui.app import CloseTUI, make_app
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.main_screen.screen import MainScreen
from closetui.ui.widgets.edit_pane import EditPane
from closetui.ui.widgets.field_rows import FieldRow
from closetui.ui.widgets.status_line import StatusLine

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
"""The frozen "now" of every UI test: 28 November 2026, 15:00 UTC."""


def clock() -> datetime:
    """The frozen clock."""
    return NOW


def demo(opportunities: int = 300, **options: Any) -> Connection:
    """The in-process sandbox with the frozen clock, at UTC (X-TZ-Offset: 0), its data
    seeded at the fixed SEED_ANCHOR (not at the clock's day): snapshots stay as they are."""
    options.setdefault("tz_offset", 0.0)
    options.setdefault("anchor", SEED_ANCHOR)
    # No live polling unless a test asks: its requests would join the ones tests count.
    options.setdefault("poll_seconds", 0.0)
    return demo_connection(opportunities=opportunities, now=clock, **options)


def app_for(connection: Connection) -> CloseTUI:
    """The app exactly as the CLI makes it, with "today" frozen."""
    return make_app(connection, now=clock)


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, workers and refreshes run until nothing is pending."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


SIZE = (120, 40)
"""The terminal every Pilot test runs in unless it says otherwise."""


@asynccontextmanager
async def running(app: CloseTUI) -> AsyncIterator[Pilot[Any]]:
    """``app`` running at :data:`SIZE` under Pilot, its first page loaded and settled."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        yield pilot


def count_repaints(widget: Widget) -> list[dict[str, Any]]:
    """Record every ``refresh`` call on ``widget`` (its keyword arguments), from now on."""
    calls: list[dict[str, Any]] = []
    original = widget.refresh

    def counted(*regions: Any, **options: Any) -> Any:
        calls.append(options)
        return original(*regions, **options)

    widget.refresh = counted  # type: ignore[method-assign]
    return calls


class Layouts:
    """A ``run_test(message_hook=...)`` recording each time the screen is asked to arrange
    its widgets again: a layout (``Layout``, naming the widget) or a scroll update."""

    def __init__(self) -> None:
        self.asked: list[Message] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, messages.Layout | messages.UpdateScroll):
            self.asked.append(message)


def main(app: CloseTUI) -> MainScreen:
    """The main screen."""
    return app.main


def listing(app: CloseTUI) -> OpportunityList:
    """The opportunity list."""
    return app.main.query_one(OpportunityList)


def status(app: CloseTUI) -> StatusLine:
    """The status line."""
    return app.main.query_one(StatusLine)


def row(app: CloseTUI, key: str) -> FieldRow:
    """The editor row of a field key (``status_id``, ``custom.cf_...``)."""
    return app.main.query_one(EditPane).query_one("#field-" + key.replace(".", "-"), FieldRow)


def row_message(app: CloseTUI, key: str) -> str:
    """The message shown under a field (empty when none)."""
    field = row(app, key)
    label = field.query_one(".field-message", Static)
    return str(label.content) if field.has_class("-invalid") else ""


def row_diff(app: CloseTUI, key: str) -> str:
    """The ``old -> new`` line of a field (empty when untouched)."""
    field = row(app, key)
    return (
        str(field.query_one(".field-diff", Static).content) if field.has_class("-changed") else ""
    )


KEY_NAMES = {
    "-": "minus",
    "+": "plus",
    ",": "comma",
    ".": "full_stop",
    " ": "space",
    ":": "colon",
    "/": "slash",
    "$": "dollar_sign",
    "%": "percent_sign",
    "_": "underscore",
}


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` key by key into whatever has focus."""
    await pilot.press(*[KEY_NAMES.get(ch, ch) for ch in text])


async def focus_control(pilot: Pilot[Any], key: str) -> None:
    """Focus a field's control, as tab would."""
    control = row(pilot.app, key).query_one("#control-" + key.replace(".", "-"))  # type: ignore[arg-type]
    control.focus()
    await pilot.pause()


async def replace_text(pilot: Pilot[Any], key: str, text: str) -> None:
    """Focus a text field, empty it (ctrl+u) and type ``text``."""
    await focus_control(pilot, key)
    control = pilot.app.focused
    assert isinstance(control, Input), control
    control.action_end()
    await pilot.press("ctrl+u")
    await type_text(pilot, text)
    await settle(pilot)


async def open_row(pilot: Pilot[Any], index: int) -> None:
    """Move the list cursor to ``index`` with j and open it with enter."""
    app = pilot.app
    listing(app).focus()  # type: ignore[arg-type]
    await pilot.press("g")
    for _ in range(index):
        await pilot.press("j")
    await pilot.press("enter")
    await settle(pilot)


def preview_body(app: CloseTUI) -> dict[str, Any] | None:
    """The JSON body the preview shows (None when nothing is open)."""
    state = app.main.edit_state
    if state is None or state.view is None:
        return None
    body: dict[str, Any] = state.view.json_body()
    return body


def stored(app: CloseTUI, opportunity_id: str) -> Opportunity:
    """The full opportunity as the in-process sandbox stores it now."""
    sandbox = app.main.connection.sandbox
    assert sandbox is not None, "only for sandbox connections"
    return Opportunity.model_validate(sandbox.opportunities[opportunity_id])


def first_matching(app: CloseTUI, predicate: Callable[[Any], bool]) -> int:
    """The index of the first loaded row whose full opportunity (as the sandbox stores
    it: the list keeps only a few fields) satisfies ``predicate``."""
    for index, row in listing(app).cache.loaded():
        if predicate(stored(app, row.id)):
            return index
    raise AssertionError("no loaded row matches")


async def pick(pilot: Pilot[Any], key: str, text: str) -> None:
    """Open a field's picker (enter), filter it with ``text`` and pick the first match."""
    await focus_control(pilot, key)
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, text)
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


def sandbox_app(opportunities: int = 30, *, seed: int = 0, api_key: str = DEMO_API_KEY) -> Any:
    """An in-process sandbox (ASGI app) with the frozen clock; ``.state.sandbox`` is its org."""
    config = SandboxConfig(opportunities=opportunities, seed=seed, api_key=api_key, now=clock)
    return create_app(config)


class SandboxConnector(Connector):
    """Profiles exactly as the config file says (key sources included), but every base URL
    is answered by an in-process sandbox; "today" is frozen and X-TZ-Offset is 0."""

    def __init__(
        self,
        config: str | Path | None = None,
        tz_offset: float | None = None,
        sandboxes: dict[str, Any] | None = None,
        opened: list[str] | None = None,
    ) -> None:
        super().__init__(config, tz_offset)
        self.sandboxes: dict[str, Any] = {} if sandboxes is None else sandboxes
        """ASGI sandbox apps by the base URL the profiles use."""
        self.opened: list[str] = [] if opened is None else opened
        """The profiles connected to, in order."""

    def profile(self, name: str) -> Connection:
        connection = super().profile(name)
        app = self.sandboxes[connection.base_url]
        self.opened.append(name)
        return connection.replace(
            transport=httpx.ASGITransport(app=app),
            sandbox=app.state.sandbox,
            now=clock,
            tz_offset=0.0,
        )

    def demo(self) -> Connection:
        if self._demo is None:
            self._demo = demo(60)
        return self._demo


def write_config(path: Path, text: str) -> Path:
    """A config file (mode 0600) with ``text``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)
    return path


_shown: WeakKeyDictionary[CloseTUI, list[str]] = WeakKeyDictionary()
"""Every app's notifications, as ``title: message``, in the order they were asked for."""


def record_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, keep what every app passes to ``notify`` (Textual's public method,
    still called) for :func:`notifications`."""
    show = CloseTUI.notify

    def recorded(app: CloseTUI, message: str, *, title: str = "", **options: Any) -> None:
        _shown.setdefault(app, []).append(f"{title}: {message}")
        show(app, message, title=title, **options)

    monkeypatch.setattr(CloseTUI, "notify", recorded)


def notifications(app: CloseTUI) -> list[str]:
    """Every notification asked for so far (title and message)."""
    return list(_shown.get(app, ()))


async def wait_until(pilot: Pilot[Any], done: Callable[[], bool], *, tries: int = 500) -> None:
    """Let the app run (no sleeping) until ``done()`` holds; fail after ``tries`` turns."""
    for _ in range(tries):
        if done():
            return
        await pilot.pause()
    raise AssertionError("the app never got there")


class HeldPuts(httpx.AsyncBaseTransport):
    """Holds every PUT until the test lets them through; counts the ones waiting."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gate = asyncio.Event()
        self.waiting = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and not self.gate.is_set():
            self.waiting += 1
            await self.gate.wait()
        return await self.inner.handle_async_request(request)


async def palette_commands(pilot: Pilot[Any], query: str) -> list[str]:
    """The palette's hits for ``query`` (the palette is closed again)."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    await type_text(pilot, query)
    await settle(pilot)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    options = palette.query_one("CommandList")
    hits = [
        str(options.get_option_at_index(i).prompt).split("\n")[0]  # type: ignore[attr-defined]
        for i in range(options.option_count)  # type: ignore[attr-defined]
    ]
    await pilot.press("escape")
    await settle(pilot)
    return hits
