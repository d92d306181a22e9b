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
import threading
from collections.abc import Callable
from typing import Any

import httpx
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from closetui.config import config_path
from closetui.connect import Connection
from closetui.sandbox.faults import Fault
from closetui.ui.app import CloseTUI, make_app
from closetui.ui.screens.bulk_edit import BulkEditScreen
from closetui.ui.screens.filter_bar import FilterBarScreen
from closetui.ui.screens.history import HistoryScreen
from closetui.ui.screens.review import ReviewScreen
from closetui.ui.widgets.picker_screen import PickerScreen
from tests.ui.helpers import (
    SandboxConnector,
    app_for,
    clock,
    demo,
    first_matching,
    listing,
    main,
    open_row,
    preview_body,
    replace_text,
    running,
    sandbox_app,
    settle,
    status,
    wait_until,
    write_config,
)

ALPHA_URL = "http://127.0.0.1:8001/api/v1/"
BETA_URL = "http://127.0.0.1:8002/api/v1/"
TWO_PROFILES = f"""\
[profiles.alpha]
base_url = "{ALPHA_URL}"
api_key = "sandbox_demo_key"

[profiles.beta]
base_url = "{BETA_URL}"
api_key_env = "BETA_KEY"
read_only = true
"""


class HeldReads(httpx.AsyncBaseTransport):
    """Holds every read of full opportunities while closed: one (``GET /opportunity/oppo_…/``)
    or a page of them (``GET /opportunity/`` without ``_fields``, as the bulk composer reads
    the marks): the window in which a slow network is still loading what a screen will show."""

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
        path = request.url.path
        full_page = path.endswith("/opportunity/") and "_fields" not in request.url.params
        if request.method == "GET" and ("/opportunity/oppo_" in path or full_page):
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


async def released(pilot: Pilot[Any], done: Callable[[], bool] = lambda: True) -> None:
    """Let the app settle until the gate holds no keys and ``done()`` holds: on a loaded
    machine the keys that follow a screen change (and the workers they start) may take
    more turns than one :func:`settle` gives."""
    app = pilot.app
    assert isinstance(app, CloseTUI)
    for _ in range(50):
        await settle(pilot)
        if not app.key_gate.holding and done():
            return
    raise AssertionError("the held keys never arrived")


async def test_the_issues_burst_goes_to_the_composer_not_to_the_list() -> None:
    connection, held = held_demo()
    app = app_for(connection)
    async with running(app) as pilot:
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
        await released(pilot)
        screen = app.screen
        assert isinstance(screen, BulkEditScreen)
        value = screen.query_one(".op-value", Input)
        assert app.focused is value
        assert value.value == "Won"
        await settle(pilot)
    assert puts(connection) == []
    assert row_four.id not in {r.path.split("/")[-2] for r in connection.sandbox.requests}


async def test_keys_behind_enter_go_to_the_editor_once_it_is_there() -> None:
    connection, held = held_demo()
    app = app_for(connection)
    async with running(app) as pilot:
        cursor = listing(app).cursor
        held.close_gate()
        # enter, then status -> date_won -> value, and 42 typed into the value
        burst(app, "enter", "tab", "tab", "ctrl+u", "4", "2")
        await loading(pilot, held)
        assert listing(app).cursor == cursor  # the tabs did not reach the list
        assert app.focused is listing(app)
        held.open_gate()
        await released(pilot)
        focused = app.focused
        assert isinstance(focused, Input)
        assert focused.id == "control-value"
        assert focused.value == "42"
        assert preview_body(app) == {"value": 4200}


async def test_keys_behind_s_pick_the_status_then_go_on_in_the_editor() -> None:
    connection, held = held_demo()
    app = app_for(connection)
    async with running(app) as pilot:
        index = first_matching(app, lambda o: o.status_type == "active")
        await pilot.press("g", *["j"] * index)
        await settle(pilot)
        held.close_gate()
        # s, "lost" into the picker, enter picks; then status -> date_won -> value: 42.
        burst(app, "s", "l", "o", "s", "t", "enter", "tab", "tab", "ctrl+u", "4", "2")
        await loading(pilot, held)
        # Nothing reached the list: "o" would have sorted it, "l" "s" "t" nothing visible.
        assert (listing(app).order_by, listing(app).cursor) == ("-date_updated", index)
        held.open_gate()
        await released(pilot, lambda: "value" in (preview_body(app) or {}))
        assert app.screen is main(app)
        body = preview_body(app)
        assert body is not None
        assert main(app).reference is not None
        assert main(app).reference.schema.status_name(body["status_id"]).startswith("Lost")
        assert body["value"] == 4200  # the keys behind the pick reached the editor
    assert puts(connection) == []


async def test_keys_behind_f_are_typed_into_the_filter_bar(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    cursor = listing(app).cursor
    burst(app, "f", "S", "a", "l", "e", "s")
    await settle(pilot)
    assert isinstance(app.screen, FilterBarScreen)
    focused = app.focused
    assert isinstance(focused, Input)
    assert focused.value == "Sales"
    assert listing(app).cursor == cursor


async def test_keys_behind_v_pick_and_apply_a_view() -> None:
    # The picker lists Mine first: enter alone would apply it.
    write_config(config_path(), '[views.Mine]\n\n[views."Lost, by value"]\nstatus_type = "lost"\n')
    app = app_for(demo())
    async with running(app) as pilot:
        burst(app, "v", "l", "o", "s", "t", "enter")
        await settle(pilot)
        assert app.screen is main(app)
        assert main(app).active_filter.view == "Lost, by value"
        assert listing(app).order_by == "-date_updated"  # "o" did not sort the list


async def test_keys_behind_ctrl_p_are_typed_into_the_palette(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    """Textual's palette already took keys typed before its input had the focus: the gate
    must not change that (ctrl+p is a priority key, run as it arrives)."""
    burst(app, "ctrl+p", "h", "e", "l", "p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    assert app.screen.query_one(Input).value == "help"


async def test_keys_behind_f9_are_typed_into_the_profile_picker(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    burst(app, "f9", "d", "e", "m", "o")
    await settle(pilot)
    assert isinstance(app.screen, PickerScreen)
    assert app.screen.query_one(Input).value == "demo"


async def _quick_won(pilot: Pilot[Any], times: int) -> None:
    """Send ``W`` on the first ``times`` rows (each one a request in the history)."""
    await pilot.press("g")
    for _ in range(times):
        await pilot.press("W")
        await settle(pilot)


async def test_keys_behind_H_move_in_the_history_not_in_the_list(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    await _quick_won(pilot, 2)
    assert len(puts(connection)) == 2
    cursor = listing(app).cursor
    burst(app, "H", "j")
    await settle(pilot)
    assert isinstance(app.screen, HistoryScreen)
    assert app.screen.query_one(DataTable).cursor_row == 1
    assert listing(app).cursor == cursor


async def test_ctrl_r_behind_u_confirms_the_undo_and_never_sends_the_open_draft(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    await _quick_won(pilot, 1)
    won = puts(connection)
    assert len(won) == 1
    # A draft is open beside the list: ctrl+r on the main screen would send it.
    await open_row(pilot, 5)
    await replace_text(pilot, "value", "77")
    drafted = main(app).edit_state
    assert drafted is not None
    await pilot.press("escape")
    await settle(pilot)
    assert app.focused is listing(app)
    burst(app, "u", "ctrl+r")
    await settle(pilot)
    # The undo's review took the ctrl+r: the won row is put back, the draft stays.
    assert puts(connection) == [*won, *won]
    assert drafted.opportunity.id in main(app).drafts.ids()


async def test_escape_while_loading_cancels_and_drops_the_keys_typed_for_the_composer() -> None:
    connection, held = held_demo()
    app = app_for(connection)
    async with running(app) as pilot:
        await pilot.press("space", "space", "space")
        await settle(pilot)
        cursor = listing(app).cursor
        held.close_gate()
        burst(app, "b", "tab", "tab", "W", "o", "n")
        await loading(pilot, held)
        burst(app, "escape")
        await wait_until(pilot, lambda: "not opened" in status(app).message)
        held.open_gate()
        await released(pilot)
        assert app.screen is main(app)
        assert puts(connection) == []  # the W typed for the composer went nowhere
        assert (listing(app).order_by, listing(app).cursor) == ("-date_updated", cursor)
        await pilot.press("j")  # the list takes keys again
        await settle(pilot)
        assert listing(app).cursor == cursor + 1


async def test_a_load_that_fails_drops_the_keys_and_says_why() -> None:
    connection = demo(60)
    app = app_for(connection)
    async with running(app) as pilot:
        await pilot.press("space", "space", "space")
        await settle(pilot)
        # Every read of opportunities fails from now on: the marks' pages and each one.
        connection.sandbox.script_faults(
            Fault(status=404, methods=("GET",), path="/opportunity/", count=None)
        )
        cursor = listing(app).cursor
        burst(app, "b", "tab", "tab", "W", "o", "n")
        await settle(pilot)
        assert app.screen is main(app)
        assert status(app).message.startswith("Bulk edit not opened")
        assert status(app).severity == "error"
        burst(app, "enter", "tab", "L")
        await settle(pilot)
        assert status(app).message.startswith("Could not open")
        connection.sandbox.clear_faults()
        assert puts(connection) == []  # neither W nor L reached the list
        assert (listing(app).order_by, listing(app).cursor) == ("-date_updated", cursor)
        assert main(app).edit_state is None


async def test_quit_is_never_held_by_a_load() -> None:
    connection, held = held_demo()
    app = app_for(connection)
    async with running(app) as pilot:
        held.close_gate()
        burst(app, "enter", "ctrl+q")
        await wait_until(pilot, lambda: app.return_code is not None)
        held.open_gate()


def connecting(app: CloseTUI) -> bool:
    """True while the app is connecting to a profile."""
    return any(w.group == "connect" and w.is_running for w in app.workers)


class SlowConnector(SandboxConnector):
    """Connects only once the test lets it (a key command that takes a while)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.let_through = threading.Event()
        self.let_through.set()

    def profile(self, name: str) -> Connection:
        self.let_through.wait(timeout=30)
        return super().profile(name)


async def test_keys_behind_a_profile_pick_wait_for_the_new_connection(monkeypatch: Any) -> None:
    monkeypatch.setenv("BETA_KEY", "sandbox_demo_key")
    write_config(config_path(), TWO_PROFILES)
    connector = SlowConnector(
        sandboxes={ALPHA_URL: sandbox_app(30, seed=1), BETA_URL: sandbox_app(30, seed=2)}
    )
    alpha = connector.sandboxes[ALPHA_URL].state.sandbox
    app = make_app(connector.profile("alpha"), now=clock, connector=connector)
    async with running(app) as pilot:
        connector.let_through.clear()
        burst(app, "f9", "b", "e", "t", "a", "enter")
        await wait_until(pilot, lambda: app.screen is main(app) and connecting(app))
        # Typed while beta connects: on alpha's list W would mark the row Won and send
        # it; it waits for beta's screen, where W does nothing (read-only).
        burst(app, "W")
        for _ in range(20):
            await pilot.pause()
        assert not [r for r in alpha.requests if r.method == "PUT"]
        connector.let_through.set()
        await settle(pilot)
        assert app.connection is not None
        assert app.connection.name == "beta"
        assert app.screen is main(app)
    assert not [r for r in alpha.requests if r.method == "PUT"]


async def test_keys_behind_the_composers_ctrl_r_go_to_the_review() -> None:
    connection = demo(60)
    app = app_for(connection)
    async with running(app) as pilot:
        await pilot.press("space", "space", "space")
        cursor = listing(app).cursor
        burst(app, "b", "tab", "tab", "w", "o", "n")
        await settle(pilot)
        assert isinstance(app.screen, BulkEditScreen)
        # ctrl+r reviews; j moves in the review (on the list it would move the cursor).
        burst(app, "ctrl+r", "j")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(DataTable).cursor_row == 1
        assert listing(app).cursor == cursor
    assert puts(connection) == []


async def test_a_paste_behind_f_lands_in_the_filter_bar_after_the_keys_before_it(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    burst(app, "f", "S")
    app.post_message(events.Paste("ales"))
    await settle(pilot)
    assert isinstance(app.screen, FilterBarScreen)
    focused = app.focused
    assert isinstance(focused, Input)
    assert focused.value == "Sales"


async def test_escape_while_an_opportunity_loads_leaves_the_editor_closed() -> None:
    connection, held = held_demo()
    app = app_for(connection)
    async with running(app) as pilot:
        held.close_gate()
        burst(app, "enter", "tab", "4", "2")
        await loading(pilot, held)
        burst(app, "escape")
        await wait_until(pilot, lambda: status(app).message == "Not opened.")
        held.open_gate()
        await released(pilot)
        assert main(app).edit_state is None
        assert app.focused is listing(app)


async def test_keys_behind_f1_close_the_help_then_move_in_the_list(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    """Held keys keep their order across a screen that opens and closes (this worked
    before the gate too: the list has no text to type into; the gate must keep it)."""
    cursor = listing(app).cursor
    # The first j scrolls the help, escape closes it, the second j moves the list.
    burst(app, "f1", "j", "escape", "j")
    await settle(pilot)
    assert app.screen is main(app)
    assert listing(app).cursor == cursor + 1


async def test_enter_when_the_organisation_failed_to_load_holds_no_key() -> None:
    connection = demo(60)
    connection.sandbox.script_faults(Fault(status=404, path="/me/", count=None))
    app = app_for(connection)
    async with running(app) as pilot:
        assert status(app).message.startswith("Could not load the organisation")
        cursor = listing(app).cursor
        burst(app, "enter", "tab")
        await settle(pilot)
        assert status(app).message == "Loading the organisation's fields…"
        burst(app, "j")  # the gate is open again: the list takes keys
        await settle(pilot)
        assert listing(app).cursor == cursor + 1
        assert app.focused is listing(app)
