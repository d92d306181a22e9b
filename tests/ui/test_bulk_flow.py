"""Acting on many from the list: mark, bulk edit, review, send, undo; quick row actions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from closetui.api.models import Opportunity
from closetui.connect import Connection
from closetui.sandbox import Fault
from closetui.ui.screens.bulk_edit import BulkEditScreen
from closetui.ui.screens.bulk_progress import BulkProgressScreen
from closetui.ui.screens.review import ReviewScreen
from tests.ui.helpers import (
    CloseTUI,
    app_for,
    demo,
    listing,
    main,
    running,
    settle,
    status,
    type_text,
    wait_until,
)

TODAY = date(2026, 11, 28)


def stored(connection: Connection, opp_id: str) -> Opportunity:
    return Opportunity.model_validate(connection.sandbox.opportunities[opp_id])


def puts(connection: Connection) -> list[str]:
    return [
        r.path.rstrip("/").rsplit("/", 1)[-1]
        for r in connection.sandbox.requests
        if r.method == "PUT"
    ]


def not_won_rows(pilot: Any, count: int) -> list[int]:
    """Indexes of the first loaded rows whose status is not won."""
    found = []
    rows = listing(pilot.app)
    index = 0
    while len(found) < count:
        row = rows.cache.row(index)
        assert row is not None
        if row.status_type != "won":
            found.append(index)
        index += 1
    return found


async def mark_rows(pilot: Any, indexes: list[int]) -> list[str]:
    """Mark rows by moving there and pressing space; their ids."""
    rows = listing(pilot.app)
    rows.focus()
    ids = []
    for index in indexes:
        rows.go_to(index)
        await pilot.pause()
        await pilot.press("space")
        row = rows.cache.row(index)
        assert row is not None
        ids.append(row.id)
    await settle(pilot)
    return ids


async def compose_won(pilot: Any) -> BulkEditScreen:
    await pilot.press("b")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BulkEditScreen)
    screen.query_one(".op-value", Input).focus()
    await type_text(pilot, "won")
    await settle(pilot)
    return screen


async def send_reviewed(pilot: Any) -> BulkProgressScreen:
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))
    await settle(pilot)
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkProgressScreen))
    screen = pilot.app.screen
    assert isinstance(screen, BulkProgressScreen)
    await wait_until(pilot, lambda: screen.result is not None and not screen.running)
    return screen


async def test_bulk_won_over_marked_rows_then_undo_as_one_batch() -> None:
    connection = demo(60)
    sandbox = connection.sandbox
    app = app_for(connection)
    async with running(app) as pilot:
        ids = await mark_rows(pilot, not_won_rows(pilot, 3))
        assert set(listing(app).marked_ids()) == set(ids)
        before = {i: stored(connection, i) for i in ids}
        screen = await compose_won(pilot)
        assert "3 to send" in str(screen.query_one("#bulk-summary").render())
        progress = await send_reviewed(pilot)
        assert progress.result is not None
        assert [r.outcome for r in progress.result.rows] == ["ok"] * 3
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is main(app)
        for opp_id in ids:
            now = stored(connection, opp_id)
            pipeline = before[opp_id].pipeline_name
            assert now.status_id == sandbox.status_id(pipeline, "Won")
            assert now.date_won == (before[opp_id].date_won or TODAY)
            row = next(r for _, r in listing(app).cache.loaded() if r.id == opp_id)
            assert row.status_type == "won"  # the list shows what the server answered
        assert listing(app).marked_ids() == ()
        assert "u undoes it as one batch" in status(app).message
        assert sorted(puts(connection)) == sorted(ids)  # each sent once

        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await settle(pilot)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, BulkProgressScreen))
        undo = app.screen
        assert isinstance(undo, BulkProgressScreen)
        await wait_until(pilot, lambda: undo.result is not None and not undo.running)
        await pilot.press("escape")
        await settle(pilot)
        for opp_id in ids:
            now = stored(connection, opp_id)
            assert now.status_id == before[opp_id].status_id
            assert now.date_won == before[opp_id].date_won


@pytest.mark.demo(60)
async def test_rows_that_failed_stay_marked(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    ids = await mark_rows(pilot, not_won_rows(pilot, 3))
    connection.sandbox.script_faults(Fault(status=400, path=ids[1], methods=("PUT",)))
    await compose_won(pilot)
    progress = await send_reviewed(pilot)
    assert progress.result is not None
    assert sorted(r.outcome for r in progress.result.rows) == ["failed", "ok", "ok"]
    await pilot.press("escape")
    await settle(pilot)
    assert listing(app).marked_ids() == (ids[1],)
    assert "stay marked" in status(app).message


async def test_b_without_marks_says_how_to_mark() -> None:
    async with app_for(demo(30)).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listing(pilot.app).focus()
        await pilot.press("b")
        await settle(pilot)
        assert "space marks a row" in status(pilot.app).message
        assert pilot.app.screen is main(pilot.app)


async def test_quick_won_saves_the_row_and_moves_on() -> None:
    connection = demo(60)
    sandbox = connection.sandbox
    app = app_for(connection)
    async with running(app) as pilot:
        first, second = not_won_rows(pilot, 2)
        rows = listing(app)
        rows.focus()
        rows.go_to(first)
        await pilot.pause()
        target = rows.cache.row(first)
        assert target is not None
        await pilot.press("W")
        assert rows.cursor == first + 1  # moved on before the answer came
        await settle(pilot)
        now = stored(connection, target.id)
        assert now.status_id == sandbox.status_id(now.pipeline_name, "Won")
        assert now.date_won == TODAY
        assert "u undoes" in status(app).message
        entries, _ = main(app).history.load()
        assert entries[0].opportunity_id == target.id

        rows.go_to(second)
        await pilot.pause()
        lost = rows.cache.row(second)
        assert lost is not None
        await pilot.press("L")
        await settle(pilot)
        assert stored(connection, lost.id).status_type == "lost"

        await pilot.press("u")  # undo works on a quick action like on any send
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, BulkProgressScreen))
        undo = app.screen
        assert isinstance(undo, BulkProgressScreen)
        await wait_until(pilot, lambda: undo.result is not None and not undo.running)
        assert stored(connection, lost.id).status_type != "lost"


async def test_quick_actions_do_not_exist_on_a_read_only_connection() -> None:
    connection = demo(30).replace(read_only=True)
    async with app_for(connection).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing(pilot.app).focus()
        await pilot.press("W")
        await pilot.press("b")
        await settle(pilot)
        assert puts(connection) == []
        assert pilot.app.screen is main(pilot.app)
