"""Bulk edit through the app: marks read from the list's pages, the send guarded by chunks."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl

from textual.widgets import Input

from closetui.sandbox import USER_API_KEY, Sandbox
from closetui.ui.screens.bulk_edit import BulkEditScreen
from closetui.ui.screens.bulk_progress import BulkProgressScreen
from closetui.ui.screens.review import ReviewScreen
from tests.ui.helpers import (
    app_for,
    demo,
    listing,
    running,
    settle,
    type_text,
    wait_until,
)


def kinds(sandbox: Sandbox, start: int) -> Counter[str]:
    """API requests since ``start``: ``list`` (full rows), ``rows`` (the list's own,
    ``_fields``), ``one`` (GET by id), ``put``, ``other``."""
    seen: Counter[str] = Counter()
    for request in sandbox.requests[start:]:
        if request.method == "PUT":
            seen["put"] += 1
        elif request.path.rstrip("/") == "/api/v1/opportunity":
            seen["rows" if "_fields" in dict(parse_qsl(request.query)) else "list"] += 1
        elif request.path.startswith("/api/v1/opportunity/"):
            seen["one"] += 1
        else:
            seen["other"] += 1
    return seen


def not_won(pilot: Any, count: int) -> list[int]:
    """Indexes of the first loaded rows whose status is not won (won changes them)."""
    cache = listing(pilot.app).cache
    return [i for i, row in cache.loaded() if row.status_type != "won"][:count]


async def open_composer(pilot: Any) -> BulkEditScreen:
    await pilot.press("b")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BulkEditScreen)
    return screen


async def test_the_composer_reads_marks_from_loaded_pages_in_a_request_a_page() -> None:
    connection = demo(300)
    sandbox = connection.sandbox
    app = app_for(connection)
    async with running(app) as pilot:
        rows = listing(app)
        rows.focus()
        rows.go_to(250)  # loads the page that holds row 250 (page 0 is there already)
        await wait_until(pilot, lambda: rows.cache.row(250) is not None)
        await settle(pilot)
        loaded = len(rows.cache.loaded())
        await pilot.press("asterisk")
        await settle(pilot)
        marked = rows.marked_ids()
        assert len(marked) == loaded >= 200
        start = len(sandbox.requests)
        screen = await open_composer(pilot)
        assert [o.id for o in screen.opportunities] == list(marked)
        made = kinds(sandbox, start)
        assert sum(made.values()) <= math.ceil(len(marked) / 100) + 2
        assert made["one"] == 0


async def test_a_row_changed_after_the_composer_opened_is_held_back_without_a_get() -> None:
    connection = demo(60)
    sandbox = connection.sandbox
    app = app_for(connection)
    async with running(app) as pilot:
        rows = listing(app)
        rows.focus()
        for index in not_won(pilot, 4):
            rows.go_to(index)
            await pilot.pause()
            await pilot.press("space")
        await settle(pilot)
        ids = rows.marked_ids()
        assert len(ids) == 4
        start = len(sandbox.requests)
        screen = await open_composer(pilot)
        assert kinds(sandbox, start) == Counter(list=1)
        screen.query_one(".op-value", Input).focus()
        await type_text(pilot, "won")
        await settle(pilot)
        # Someone else changes one of them while the change is composed.
        sandbox.update_opportunity(ids[2], {"confidence": 7}, sandbox.keys[USER_API_KEY])
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))
        await settle(pilot)
        start = len(sandbox.requests)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkProgressScreen))
        progress = pilot.app.screen
        assert isinstance(progress, BulkProgressScreen)
        await wait_until(pilot, lambda: progress.result is not None and not progress.running)
        assert progress.result is not None
        outcomes = {r.job.opportunity_id: r.outcome for r in progress.result.rows}
        assert outcomes[ids[2]] == "stale"
        assert sandbox.opportunities[ids[2]]["confidence"] == 7
        assert [outcomes[i] for i in ids if i != ids[2]] == ["ok"] * 3
        made = kinds(sandbox, start)
        assert made["one"] == 0
        assert made["list"] == 1
        assert made["put"] == 3


async def test_marked_cards_are_read_from_their_columns_pages_without_a_get_each() -> None:
    """The board's marks: a request per column page that holds marks (each column's own
    query), none per card; a card not on a loaded page still comes, with one GET."""
    from tests.ui.helpers import main

    connection = demo(300)
    sandbox = connection.sandbox
    app = app_for(connection)
    async with running(app) as pilot:
        await pilot.press("B")
        board = main(app).board
        assert board is not None
        await wait_until(pilot, lambda: board.highlighted is not None)
        await settle(pilot)
        marked: list[str] = []
        for _ in range(2):  # three cards in each of the first two columns
            for _ in range(3):
                card = board.highlighted
                assert card is not None
                marked.append(card.id)
                await pilot.press("space")
            await pilot.press("l")
            await wait_until(pilot, lambda: board.highlighted is not None)
        elsewhere = board.columns[-1].status.id  # a card of a column never loaded
        stranger = next(
            o["id"] for o in sandbox.opportunities.values() if o["status_id"] == elsewhere
        )
        board.mark([stranger])
        rested = board.highlighted
        assert rested is not None
        await wait_until(  # the card the cursor rests on is read in full (0.2 s): done
            pilot, lambda: any(r.path.endswith(f"/{rested.id}/") for r in sandbox.requests)
        )
        await settle(pilot)
        assert set(board.marked_ids()) == {*marked, stranger}
        start = len(sandbox.requests)
        screen = await open_composer(pilot)
        assert {o.id for o in screen.opportunities} == {*marked, stranger}
        assert kinds(sandbox, start) == Counter(list=2, one=1)
