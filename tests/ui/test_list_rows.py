"""The list keeps compact rows from ``_fields`` pages; opening one loads it in full by id."""

from __future__ import annotations

import asyncio
import gc
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from closetui.sandbox import Fault
from closetui.ui.list import opportunity_list
from closetui.ui.list.columns import MARK_WIDTH, layout_columns
from closetui.ui.list.rows import LIST_FIELDS, ListRow
from closetui.ui.widgets.edit_pane import EditPane
from tests.ui.helpers import (
    CloseTUI,
    Connection,
    app_for,
    demo,
    listing,
    main,
    replace_text,
    running,
    settle,
    status,
)


async def test_list_pages_ask_only_for_the_row_fields(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    pages = [
        r
        for r in connection.sandbox.requests
        if r.method == "GET" and r.path.endswith("/v1/opportunity/")
    ]
    assert pages
    for request in pages:
        assert parse_qs(request.query)["_fields"] == [",".join(LIST_FIELDS)]
    row = listing(app).cache.row(0)
    assert isinstance(row, ListRow)
    assert main(app).edit_state is None


class HeldGets(httpx.AsyncBaseTransport):
    """Holds ``GET /opportunity/{id}/`` until the test lets it through."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gate = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.rstrip("/").split("/")[-1].startswith(
            "oppo_"
        ):
            await self.gate.wait()
        return await self.inner.handle_async_request(request)


async def test_opening_a_row_loads_the_full_opportunity_with_a_loading_message() -> None:
    connection = demo()
    held = HeldGets(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=held))
    async with running(app) as pilot:
        row = listing(app).cache.row(2)
        assert row is not None
        stored = connection.sandbox.opportunities[row.id]
        assert stored["note"]
        assert stored["created_by_name"]
        listing(app).go_to(2)
        await pilot.press("enter")
        await pilot.pause()
        assert status(app).message == f"Loading {row.lead_name}…"
        assert main(app).edit_state is None
        held.gate.set()
        await settle(pilot)
        gets = [r.path for r in connection.sandbox.requests if r.method == "GET"]
        assert any(path.endswith(f"/opportunity/{row.id}/") for path in gets)
        state = main(app).edit_state
        assert state is not None
        # Fields the list never asked for are in the editor.
        assert state.opportunity.note == stored["note"]
        summary = str(main(app).query_one(EditPane).query_one("#edit-summary", Static).content)
        assert f"by {stored['created_by_name']}" in summary
        assert main(app).pane == "editor"


async def test_a_failing_get_says_so_and_enter_retries(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    row = listing(app).cache.row(0)
    assert row is not None
    connection.sandbox.script_faults(
        Fault(status=500, methods=("GET",), path=f"/opportunity/{row.id}/")
    )
    await pilot.press("enter")
    await settle(pilot)
    assert status(app).severity == "error"
    assert f"Could not open {row.lead_name}" in status(app).message
    assert "500" in status(app).message
    assert main(app).edit_state is None
    assert main(app).pane == "list"
    assert app.focused is listing(app)
    await pilot.press("enter")  # the fault was used up: this time it opens
    await settle(pilot)
    assert main(app).edit_state is not None
    assert main(app).edit_state.opportunity.id == row.id


async def test_a_sent_update_becomes_the_rows_new_compact_row(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    before = listing(app).cache.row(0)
    assert before is not None
    await pilot.press("enter")
    await settle(pilot)
    confidence = 7 if before.confidence != 7 else 8
    await replace_text(pilot, "confidence", str(confidence))
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert connection.sandbox.opportunities[before.id]["confidence"] == confidence
    index = listing(app).cache.index_of(before.id)
    assert index is not None
    after = listing(app).cache.row(index)
    assert isinstance(after, ListRow)
    assert after.confidence == confidence
    assert after.search == before.search  # lead, status, owner, custom values unchanged


async def test_scrolling_away_from_the_cursor_loads_pages_and_stays_there(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    rows = listing(app)
    rows.scroll_to(y=150, animate=False, immediate=True)  # as the mouse wheel does
    await settle(pilot)
    assert 1 in rows.cache.pages
    assert rows.cursor == 0
    assert round(rows.scroll_y) == 150  # the arriving page did not pull the view back


@pytest.mark.demo(40)
async def test_a_theme_change_repaints_kept_rows_in_the_new_colours(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    """The list keeps painted rows for reuse; a new theme must empty that store, or the
    rows on screen would keep the old theme's colours."""
    rows = listing(app)
    assert app.theme != "closetui-light"
    position = next(
        p
        for p in range(1, rows.rows_visible())
        if (row := rows.model.row_at(p)) is not None and row.status_type == "won"
    )
    region = rows.scrollable_content_region
    x = (
        region.x
        + MARK_WIDTH
        + sum(size + 1 for column, size in layout_columns(region.width) if column.key == "lead")
    )
    y = region.y + 1 + position  # under the header; the cursor is on row 0

    def shown_and_wanted() -> tuple[object, object]:
        wanted = rows.get_component_rich_style("opportunity-list--won").color
        return app.screen.get_style_at(x, y).color, wanted

    before, wanted = shown_and_wanted()
    assert before == wanted
    app.theme = "closetui-light"
    await settle(pilot)
    after, wanted = shown_and_wanted()
    assert after == wanted
    assert after != before


async def test_loaded_rows_are_frozen_out_of_the_cyclic_gcs_reach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every ``FREEZE_EVERY`` rows loaded, the list freezes them (full GC passes would
    scan them all, pausing the app longer with each page)."""
    monkeypatch.setattr(opportunity_list, "FREEZE_EVERY", 150)
    # Counted by call: the count of frozen objects also falls as frozen ones are freed.
    # The app's own freeze after start-up (gc_pauses) is left out: its moment varies.
    from closetui.ui.main_screen import gc_pauses

    monkeypatch.setattr(gc_pauses, "freeze_long_lived", lambda: None)
    freezes: list[int] = []
    freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1) or freeze())
    app = app_for(demo())
    try:
        async with running(app) as pilot:
            rows = listing(app)
            assert list(rows.cache.pages) == [0]  # 100 rows: not yet
            freezes.clear()
            rows.scroll_to(y=150, animate=False, immediate=True)
            await settle(pilot)
            assert 1 in rows.cache.pages
            assert freezes == [1]
    finally:
        gc.unfreeze()  # let the collector have this test's app back
