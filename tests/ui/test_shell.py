"""The app shell: the list fills, moves, sorts and fails visibly; help, palette, narrow."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

import closetui
from closetui.api.client import CloseClient
from closetui.api.credentials import Credential
from closetui.connect import Connection
from closetui.sandbox import Fault
from closetui.ui.screens.help import HelpScreen
from closetui.ui.widgets.edit_pane import EditPane
from closetui.ui.widgets.header import AppHeader
from closetui.ui.widgets.request_preview import RequestPreview
from tests.ui.helpers import (
    CloseTUI,
    app_for,
    count_repaints,
    demo,
    listing,
    main,
    open_row,
    preview_body,
    replace_text,
    running,
    settle,
    status,
    type_text,
)


def line_text(app: Any, y: int) -> str:
    """The text of one rendered line of the opportunity list."""
    return "".join(segment.text for segment in listing(app).render_line(y))


async def test_opens_the_demo_and_fills_the_list(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    header = app.main.query_one(AppHeader)
    assert header.query_one("#connection-name").render().plain == "demo"  # type: ignore[attr-defined]
    assert header.query("#badge-demo")
    assert not header.query("#badge-read-only")
    assert "300 opportunities" in header.count
    assert listing(app).total == 300
    first = listing(app).cache.row(0)
    assert first is not None
    assert first.lead_name in line_text(app, 1)
    assert "Lead" in line_text(app, 0)
    assert "Updated" not in line_text(app, 0)
    assert app.focused is listing(app)
    assert "Ready" in status(app).message


class GatedTransport(httpx.AsyncBaseTransport):
    """Answers only when the test opens the gate (to see the loading state)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gate = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.gate.wait()
        return await self.inner.handle_async_request(request)


async def test_list_paints_at_once_with_a_loading_state() -> None:
    connection = demo()
    gated = GatedTransport(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=gated))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert listing(app).total is None
        assert "Loading opportunities" in line_text(app, 1)
        gated.gate.set()
        await settle(pilot)
        assert listing(app).total == 300
        assert "Loading" not in line_text(app, 1)


def failing(status_code: int | None) -> Connection:
    """A connection whose every request fails with ``status_code`` (None: no answer)."""

    def handler(request: httpx.Request) -> httpx.Response:
        if status_code is None:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(status_code, json={"error": "Invalid API key"})

    return FastFailConnection(
        name="broken",
        credential=Credential.api_key("bad_key"),
        base_url="http://close.invalid/api/v1/",
        tz_offset=0,
        transport=httpx.MockTransport(handler),
    )


class FastFailConnection(Connection):
    """No retries, so a failure shows at once."""

    def client(self, **options: Any) -> CloseClient:
        return super().client(max_attempts=1, **options)


@pytest.mark.parametrize(("status_code", "expected"), [(401, "HTTP 401"), (None, "ConnectError")])
async def test_failures_show_as_messages_not_spinners(
    status_code: int | None, expected: str
) -> None:
    app = app_for(failing(status_code))
    async with running(app):
        assert listing(app).total is None
        assert "Could not load opportunities" in line_text(app, 1)
        assert expected in line_text(app, 1)
        assert status(app).severity == "error"
        assert expected in status(app).message


async def test_keys_move_the_cursor_and_open_the_editor(app: CloseTUI, pilot: Pilot[Any]) -> None:
    rows = listing(app)
    await pilot.press("j", "j", "down", "k")
    assert rows.cursor == 2
    await pilot.press("G")
    await settle(pilot)
    assert rows.cursor == 299
    assert rows.highlighted is not None
    await pilot.press("g", "pagedown")
    assert rows.cursor > 20
    await pilot.press("pageup", "home")
    assert rows.cursor == 0
    await pilot.press("j", "e")
    await settle(pilot)
    state = main(app).edit_state
    assert state is not None
    assert state.opportunity.id == rows.cache.row(1).id
    assert main(app).pane == "editor"
    assert app.focused is not None
    assert app.focused in main(app).query_one(EditPane).query("*")
    await pilot.press("escape")
    await pilot.pause()
    assert main(app).pane == "list"
    assert app.focused is rows


async def test_sort_key_requeries_the_server(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    await pilot.press("o")
    await settle(pilot)
    rows = listing(app)
    assert rows.order_by == "-value"
    values = [opp.value or 0 for _, opp in rows.cache.loaded()][:50]
    assert values == sorted(values, reverse=True)
    assert "Value▼" in line_text(app, 0)
    await pilot.press("O")
    await settle(pilot)
    assert rows.order_by == "value"
    seen = [r.query for r in connection.sandbox.requests if r.method == "GET"]
    assert any("_order_by=value" in str(q) for q in seen)


async def test_a_hundred_thousand_rows_stay_instant() -> None:
    app = app_for(demo(100_000))
    async with running(app) as pilot:
        rows = listing(app)
        assert rows.total == 100_000
        assert rows.virtual_size.height == 100_001
        await pilot.press("G")
        await settle(pilot)
        assert rows.cursor == 99_999
        assert rows.highlighted is not None
        # Only the first page and the last one were fetched, not the 998 in between.
        assert sorted(rows.cache.pages) == [0, 999]


async def test_help_is_built_from_the_live_bindings(app: CloseTUI, pilot: Pilot[Any]) -> None:
    app.set_keymap({"main.send": "f9"})
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    entries = app.screen.entries()
    now = {ident: keys for section, keys, _, ident in entries if section == "Available now"}
    assert now["main.send"] == "f9"
    listed = {ident: keys for section, keys, _, ident in entries if section == "Main screen"}
    assert listed["main.send"] == "f9"  # every context's keys follow the keymap too
    assert "list.open" in now
    assert "list.sort" in now
    sections = {section for section, *_ in entries}
    assert {"Everywhere", "Main screen", "Opportunity list", "Request preview"} <= sections
    listed = {ident for *_, ident in entries}
    assert {"app.palette", "app.help", "main.inspect", "list.refresh"} <= listed
    box = app.screen.query_one("#help-box")
    assert box.border_subtitle == f"closetui {closetui.__version__}"  # what a bug report needs
    await pilot.press("escape")
    await pilot.pause()
    assert not isinstance(app.screen, HelpScreen)


async def test_palette_jumps_to_an_opportunity_by_lead_name(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    target = listing(app).cache.row(7)
    assert target is not None
    assert target.lead_name
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, f"go to {target.lead_name}")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    state = main(app).edit_state
    assert state is not None
    assert state.opportunity.lead_name == target.lead_name


async def test_palette_lists_the_app_commands(app: CloseTUI, pilot: Pilot[Any]) -> None:
    from closetui.ui.palette import CloseCommands

    provider = CloseCommands(app.screen)
    names = [hit.text async for hit in provider.discover()]
    for wanted in (
        "Send update",
        "Refresh list",
        "Copy request as curl",
        "Open response inspector",
        "Switch theme: textual-light",
    ):
        assert wanted in names


async def test_narrow_terminal_shows_one_pane_at_a_time() -> None:
    app = app_for(demo())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main(app)
        assert screen.has_class("-narrow")
        editor, preview = screen.query_one(EditPane), screen.query_one(RequestPreview)
        assert listing(app).display
        assert listing(app).region.width > 70
        assert editor.region.width == 0
        await open_row(pilot, 0)
        assert listing(app).region.width == 0
        assert editor.region.width > 70
        await pilot.press("f2")
        await pilot.pause()
        assert preview.region.height > 10
        assert editor.region.width == 0
        assert app.focused is preview
        await pilot.press("escape")
        await pilot.pause()
        assert editor.region.width > 70
        await pilot.press("escape")
        await pilot.pause()
        assert listing(app).region.width > 70
        assert app.focused is listing(app)


async def test_read_only_connection_refuses_to_send() -> None:
    connection = demo().replace(read_only=True)
    app = app_for(connection)
    async with running(app) as pilot:
        assert app.main.query("#badge-read-only")
        await open_row(pilot, 0)
        before = status(app).message
        await pilot.press("ctrl+r")  # not bound at all on a read-only connection
        await settle(pilot)
        assert status(app).message == before
        assert not [r for r in connection.sandbox.requests if r.method == "PUT"]
        main(app).action_send()  # even called directly, nothing goes out
        await settle(pilot)
        assert "Read-only" in status(app).message
        assert status(app).severity == "error"
        assert not [r for r in connection.sandbox.requests if r.method == "PUT"]


async def test_one_pooled_client_opens_on_mount_and_closes_on_exit() -> None:
    app = app_for(demo())
    async with running(app):
        client = app.client
        assert not client._http.is_closed
        assert len(client.exchanges) >= 5  # me, pipelines, users, fields, the first page
    assert client._http.is_closed


async def test_inspector_shows_the_last_exchange_before_any_send(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    await pilot.press("ctrl+t")
    await pilot.pause()
    from closetui.ui.screens.inspector import InspectorScreen

    assert isinstance(app.screen, InspectorScreen)
    assert app.screen.exchange.request.method == "GET"
    assert app.screen.diff_rows() == []
    await pilot.press("escape")


async def test_keymap_and_theme_from_the_connection_apply() -> None:
    connection = demo().replace(keymap={"main.send": "f9"}, theme="textual-light")
    app = app_for(connection)
    async with running(app) as pilot:
        assert app.theme == "textual-light"
        await open_row(pilot, 0)
        await replace_text(pilot, "confidence", "3")
        await pilot.press("f9")
        await settle(pilot)
        assert (
            connection.sandbox.opportunities[main(app).edit_state.opportunity.id]["confidence"] == 3
        )  # type: ignore[union-attr]


class Recording(httpx.AsyncBaseTransport):
    """Passes every request on, noting its path; ``me_body`` replaces ``/me/``'s answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport, me_body: object = None) -> None:
        self.inner = inner
        self.paths: list[str] = []
        self.me_body = me_body

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if self.me_body is not None and request.url.path.endswith("/me/"):
            return httpx.Response(200, json=self.me_body)
        return await self.inner.handle_async_request(request)


async def test_the_organisation_loads_after_the_first_rows() -> None:
    """The list's first page goes first: the organisation's models (pydantic) load after
    the rows are on screen, so they never hold the list up."""
    connection = demo()
    recording = Recording(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=recording))
    async with running(app):
        assert main(app).reference is not None
        assert recording.paths[0].endswith("/opportunity/")
        later = recording.paths[1:]
        assert any(path.endswith("/me/") for path in later)
        assert any(path.endswith("/pipeline/") for path in later)


async def test_an_organisation_the_models_refuse_is_a_message_not_a_spinner() -> None:
    connection = demo()
    refused = Recording(connection.transport, me_body={"id": 5})  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=refused))
    async with running(app):
        assert main(app).reference is None
        assert status(app).severity == "error"
        assert (
            "Could not load the organisation: HTTP 200 but the answer is not a valid Me object"
            in status(app).message
        )
        assert listing(app).total == 300  # the list works all the same


async def test_a_long_message_wraps_on_the_status_line_at_80_columns() -> None:
    """At 80 columns a failure's reason is read in full, not cut at the edge."""
    app = app_for(demo())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = status(app)
        assert line.size.height == 1
        long = (
            "Not sent: could not re-read Acme Corp to check nobody changed it "
            "(ConnectError: connection refused). Draft kept; ctrl+r tries again."
        )
        line.show(long, "error")
        await pilot.pause()
        shown = " ".join(
            "".join(segment.text for segment in line.render_line(y)).strip()
            for y in range(line.size.height)
        )
        assert line.size.height == 2
        assert "ctrl+r tries again." in shown
        line.show("Ready.")
        await pilot.pause()
        assert line.size.height == 1


class FailingMeOnce(httpx.AsyncBaseTransport):
    """``/me/`` fails to connect the first time; everything else goes through."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.failed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/me/") and not self.failed:
            self.failed = True
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


async def test_r_tries_the_organisation_again_after_it_failed() -> None:
    connection = demo()
    flaky = FailingMeOnce(connection.transport)  # type: ignore[arg-type]
    app = app_for(FastFailConnection(**vars(connection)).replace(transport=flaky))
    async with running(app) as pilot:
        assert main(app).reference is None
        assert "Could not load the organisation" in status(app).message
        assert "r tries again" in status(app).message
        assert listing(app).total == 300
        await pilot.press("r")
        await settle(pilot)
        assert main(app).reference is not None
        assert "Ready" in status(app).message


async def test_the_same_text_again_repaints_nothing() -> None:
    """The header shows its labels again on every resize and watcher: a label whose text
    did not change is not drawn again (nor laid out)."""
    from textual.widgets import Label

    from closetui.ui.widgets.in_place import update_in_place

    app = app_for(demo())
    async with running(app) as pilot:
        who = app.main.query_one("#who", Label)
        repaints = count_repaints(who)
        update_in_place(who, str(who.content))
        app.main.query_one(AppHeader).on_resize()  # shows its labels again, unchanged
        await settle(pilot)
        assert repaints == []
        update_in_place(who, "someone else")
        assert repaints
        assert str(who.content) == "someone else"


async def test_the_editor_and_preview_come_after_the_first_rows_or_when_asked_for() -> None:
    """They are mounted once the first rows are shown; the palette's "Show request
    preview" before that (the list still loading) mounts them at once."""
    connection = demo(30)
    connection.sandbox.script_faults(Fault(latency=0.5, path="/opportunity/", methods=("GET",)))
    app = app_for(connection)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main(app)
        assert not screen.query(EditPane)
        assert not screen.query(RequestPreview)
        screen.action_preview()  # what the palette's command calls
        await pilot.pause()
        assert screen.pane == "preview"
        assert screen.query_one(RequestPreview).display
        await pilot.press("escape")
        await settle(pilot)
        assert listing(app).total == 30
        assert len(screen.query(EditPane)) == 1
        assert len(screen.query(RequestPreview)) == 1

    app = app_for(demo(30))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main(app)
        assert len(screen.query(EditPane)) == 1
        assert len(screen.query(RequestPreview)) == 1


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_back_from_the_preview_the_field_typed_in_has_the_focus(
    size: tuple[int, int],
) -> None:
    app = app_for(demo(40))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_row(pilot, 0)
        await replace_text(pilot, "confidence", "4")
        control = app.focused
        for keys in (("f2", "f2"), ("f2", "escape")):  # the preview, then back to the editor
            await pilot.press(*keys)
            await settle(pilot)
            assert app.focused is control, keys
        await type_text(pilot, "2")
        await settle(pilot)
        assert preview_body(app) == {"confidence": 42}
