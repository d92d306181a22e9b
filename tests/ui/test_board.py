"""The pipeline board on the demo: columns, keys, a card moved into won, sent and undone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot

from closetui.display.board import annualized
from closetui.ui.board.board import PipelineBoard
from closetui.ui.screens.bulk_progress import BulkProgressScreen
from closetui.ui.screens.review import ReviewScreen
from tests.ui.helpers import (
    CloseTUI,
    app_for,
    demo,
    main,
    preview_body,
    settle,
    status,
    stored,
    wait_until,
)

AT_PLUS_TEN = date(2026, 11, 29)
"""The frozen now (28 November, 15:00 UTC) at UTC+10: the day the server sets date_won."""


def board_of(app: CloseTUI) -> PipelineBoard:
    board = main(app).board
    assert board is not None
    return board


async def open_board(pilot: Pilot[Any]) -> PipelineBoard:
    await pilot.press("B")
    board = board_of(pilot.app)  # type: ignore[arg-type]
    await wait_until(
        pilot, lambda: bool(board.columns) and board.columns[0].cache.total is not None
    )
    await settle(pilot)
    return board


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_card_moved_into_won_is_sent_counted_and_undone(size: tuple[int, int]) -> None:
    app = app_for(demo(tz_offset=10.0))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        board = await open_board(pilot)
        assert app.focused is board
        types = [c.status.type for c in board.columns]
        assert types == sorted(types, key=["active", "won", "lost"].index)  # active, won, lost
        assert board.screen_layout().shown == 3  # 3 columns of >= 22 cells at both sizes
        won = types.index("won")
        source, target = board.columns[won - 1], board.columns[won]
        for _ in range(won):  # to the won column: its first page is read once on screen
            await pilot.press("l")
        assert board.screen_layout().first > 0  # scrolled with the cursor
        await wait_until(pilot, lambda: target.count > 0)
        await pilot.press("h")  # back to the last active status
        assert board.column == won - 1
        await wait_until(pilot, lambda: board.highlighted is not None)
        await settle(pilot)
        row = board.highlighted
        assert row is not None
        counts = (source.count, target.count)
        sums = (source.sums.value, target.sums.value)
        assert not source.sums.partial  # the sandbox sends Close's aggregates

        await pilot.press("L")  # a draft, as picking the status would make
        await wait_until(pilot, lambda: main(app).edit_state is not None)
        state = main(app).edit_state
        assert state is not None
        assert state.opportunity.id == row.id
        assert preview_body(app) == {"status_id": target.status.id}
        assert any(AT_PLUS_TEN.isoformat() in note.message for note in state.notes)
        assert app.focused is board  # the keys stay on the board
        assert stored(app, row.id).status_id == source.status.id  # nothing sent yet

        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: stored(app, row.id).status_id == target.status.id)
        assert stored(app, row.id).date_won == AT_PLUS_TEN
        await wait_until(
            pilot, lambda: (source.count, target.count) == (counts[0] - 1, counts[1] + 1)
        )
        worth = annualized(row.value, row.value_period)
        assert (source.sums.value, target.sums.value) == (sums[0] - worth, sums[1] + worth)
        assert "Saved" in status(app).message

        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, BulkProgressScreen))
        undo = app.screen
        assert isinstance(undo, BulkProgressScreen)
        await wait_until(pilot, lambda: undo.result is not None and not undo.running)
        await pilot.press("escape")
        await settle(pilot)
        assert stored(app, row.id).status_id == source.status.id
        assert stored(app, row.id).date_won is None
        await wait_until(pilot, lambda: (source.count, target.count) == counts)
        assert (source.sums.value, target.sums.value) == sums


async def test_keys_move_the_cursor_and_enter_opens_the_card() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board = await open_board(pilot)
        first = board.columns[0]
        await pilot.press("j", "j")
        assert first.cursor == 2
        await pilot.press("G")
        assert first.cursor == first.count - 1
        await pilot.press("g", "l", "right", "h")
        assert (board.column, first.cursor) == (1, 0)
        await wait_until(pilot, lambda: board.highlighted is not None)
        row = board.highlighted
        assert row is not None
        await pilot.press("enter")
        await wait_until(pilot, lambda: main(app).edit_state is not None)
        state = main(app).edit_state
        assert state is not None
        assert state.opportunity.id == row.id
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is board
        await pilot.press("B")  # back to the list
        await settle(pilot)
        assert not main(app).board_shown


async def test_board_move_send_sends_at_once() -> None:
    app = app_for(demo().replace(board_move="send"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board = await open_board(pilot)
        await wait_until(pilot, lambda: board.highlighted is not None)
        row = board.highlighted
        assert row is not None
        second = board.columns[1].status.id
        await pilot.press("L")
        await wait_until(pilot, lambda: stored(app, row.id).status_id == second)
        await settle(pilot)
        assert "u undoes" in status(app).message
        assert main(app).drafts.get(row.id) is None  # nothing left to send
