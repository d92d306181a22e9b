"""The board's other keys: marks and bulk edit, a remapped key, read-only, one column."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from closetui.api.query import OpportunityQuery
from closetui.connect import Connection
from closetui.filters import ActiveFilter
from closetui.ui.board.board import PipelineBoard
from closetui.ui.screens.bulk_edit import BulkEditScreen
from closetui.ui.screens.help import binding_rows
from tests.ui.helpers import app_for, demo, main, settle, status, stored, wait_until


async def shown_board(pilot: Pilot[Any]) -> PipelineBoard:
    await settle(pilot)
    await pilot.press("B")
    board = main(pilot.app).board  # type: ignore[arg-type]
    assert board is not None
    await wait_until(pilot, lambda: board.highlighted is not None)
    await settle(pilot)
    return board


async def test_marked_cards_open_the_bulk_composer_on_them() -> None:
    async with app_for(demo()).run_test(size=(120, 40)) as pilot:
        board = await shown_board(pilot)
        first = board.highlighted
        await pilot.press("space")  # marks, then moves down
        second = board.highlighted
        await pilot.press("space", "l")
        await wait_until(pilot, lambda: board.highlighted is not None)
        third = board.highlighted
        await pilot.press("space")
        assert first is not None
        assert second is not None
        assert third is not None
        assert set(board.marked_ids()) == {first.id, second.id, third.id}
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkEditScreen))
        screen = pilot.app.screen
        assert isinstance(screen, BulkEditScreen)
        assert {o.id for o in screen.opportunities} == {first.id, second.id, third.id}


async def test_a_remapped_key_moves_the_card_and_help_lists_it() -> None:
    connection = demo().replace(keymap={"board.move_right": "m"})
    app = app_for(connection)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await shown_board(pilot)
        row = board.highlighted
        assert row is not None
        await pilot.press("m")
        await wait_until(pilot, lambda: main(app).edit_state is not None)
        state = main(app).edit_state
        assert state is not None
        assert state.draft.change("status_id") is not None
        sections = dict(binding_rows(main(app)))
        keys = {ident: key for key, _, ident in sections["Pipeline board"]}
        assert keys["board.move_right"] == "m"
        assert {"board.left", "board.right", "board.open", "board.mark"} <= set(keys)


async def test_cards_do_not_move_on_a_read_only_connection() -> None:
    connection: Connection = demo().replace(read_only=True)
    app = app_for(connection)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await shown_board(pilot)
        row = board.highlighted
        assert row is not None
        await pilot.press("L")
        await settle(pilot)
        assert main(app).edit_state is None
        assert stored(app, row.id).status_id == row.status_id
        ids = {ident for _, rows in binding_rows(main(app)) for _, _, ident in rows}
        assert "board.move_right" not in ids


async def test_a_narrow_terminal_shows_one_column_and_scrolls_with_the_cursor() -> None:
    async with app_for(demo()).run_test(size=(40, 24)) as pilot:
        board = await shown_board(pilot)
        assert board.screen_layout().shown == 1
        await pilot.press("l", "l")
        found = board.screen_layout()
        assert (found.first, found.shown, board.column) == (2, 1, 2)
        assert "Board:" in status(pilot.app).message  # type: ignore[arg-type]


async def test_the_lists_server_filter_applies_to_the_board() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        board = await shown_board(pilot)
        first = board.columns[0]
        everyone = first.count
        owner = first.highlighted
        assert owner is not None
        user_id = app.main.connection.sandbox.opportunities[owner.id]["user_id"]
        query = OpportunityQuery(user_id=user_id)
        await pilot.press("B")  # back to the list: the board reads nothing while hidden
        await settle(pilot)
        main(app).set_filter(ActiveFilter(query=query, parts=("owner: someone",)))
        await settle(pilot)
        assert first.cache.total is None
        await pilot.press("B")  # shown again: read with the list's new filter
        await wait_until(pilot, lambda: first.cache.total is not None)
        await settle(pilot)
        stored_ones = app.main.connection.sandbox.opportunities.values()
        mine = [o for o in stored_ones if o["status_id"] == first.status.id]
        assert first.count == sum(1 for o in mine if o["user_id"] == user_id) < everyone
        assert all(row.user_name == owner.user_name for _, row in first.cache.loaded())


async def test_the_editor_beside_the_board_is_narrower_only_when_wide() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        await shown_board(pilot)
        side = main(app).query_one("#side")
        assert side.outer_size.width == 48  # three columns of cards fit beside it
        await pilot.press("enter")
        await wait_until(pilot, lambda: main(app).edit_state is not None)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert side.outer_size.width == 80  # narrow: the editor is a pane of its own
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert side.outer_size.width == 48
        await pilot.press("escape", "B")  # back to the list: the editor's own width again
        await settle(pilot)
        assert side.outer_size.width == 54  # 45% of 120


async def test_P_picks_a_pipeline_by_name_and_shows_its_board() -> None:
    from closetui.ui.widgets.picker_screen import PickerScreen

    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main(app)
        pipelines = screen.pipelines()
        assert len(pipelines) >= 2
        target = pipelines[-1]
        await pilot.press("P")  # from the list: the board opens on the one picked
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))
        for char in target.name:
            await pilot.press(char if char != " " else "space")
        await pilot.press("enter")
        await settle(pilot)
        board = screen.board
        assert board is not None
        assert screen.board_shown
        assert board.pipeline_id == target.id
        assert board.columns
        await pilot.press("P", "escape")  # nothing picked: the board stays
        await settle(pilot)
        assert board.pipeline_id == target.id
