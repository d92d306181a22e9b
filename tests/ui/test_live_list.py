"""The live list: a second user changes, creates and moves opportunities while the app runs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from closetui.api.query import OpportunityQuery
from closetui.connect import DEMO_BASE_URL
from closetui.filters import ActiveFilter
from closetui.sandbox import USER_API_KEY
from closetui.ui.list.render import CHANGED_GLYPH
from tests.ui.helpers import (
    CloseTUI,
    Connection,
    app_for,
    demo,
    listing,
    main,
    open_row,
    replace_text,
    running,
    settle,
    status,
    type_text,
)

POLL = 0.05
"""The tests' interval: small, so that a poll comes soon (no test measures time)."""


@pytest.fixture
def connection() -> Connection:
    return demo(60, poll_seconds=POLL)


@pytest.fixture
async def other(connection: Connection) -> AsyncIterator[httpx.AsyncClient]:
    """A second user of the same organisation, on the same in-process sandbox."""
    async with httpx.AsyncClient(
        transport=connection.transport, base_url=DEMO_BASE_URL, auth=(USER_API_KEY, "")
    ) as client:
        yield client


async def until(pilot: Pilot[Any], done: Callable[[], bool], what: str) -> None:
    """Let the app run until ``done()`` (a bounded number of steps, no clock)."""
    for _ in range(400):
        if done():
            return
        await pilot.pause(POLL / 2)
    raise AssertionError(f"never happened: {what}")


async def polling(pilot: Pilot[Any], app: CloseTUI) -> None:
    """Wait for the poller's cursor (read once the first page is in)."""
    live = main(app).live
    await until(pilot, lambda: live.poller is not None and live.poller.cursor is not None, "cursor")


async def put(other: httpx.AsyncClient, opp_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await other.put(f"opportunity/{opp_id}/", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def shown_ids(app: CloseTUI) -> list[str]:
    return [row.id for _, row in listing(app).cache.loaded()]


async def test_changes_by_another_user_show_in_place_with_who(
    connection: Connection, app: CloseTUI, other: httpx.AsyncClient
) -> None:
    async with running(app) as pilot:
        await polling(pilot, app)
        rows = listing(app)
        target, cursor_row, marked = (rows.cache.row(i) for i in (3, 5, 7))
        assert target
        assert cursor_row
        assert marked
        rows.mark([marked.id])
        rows.go_to(5)
        order = shown_ids(app)
        before = main(app).live.polls
        saved = await put(other, target.id, {"confidence": 3})
        await until(pilot, lambda: target.id in rows.changed_by, "the change shown")
        # within one interval: the first poll after the change (or the one under way)
        assert main(app).live.polls <= before + 2
        assert rows.cache.row(3) is not None
        assert rows.cache.row(3).confidence == 3  # type: ignore[union-attr]
        assert rows.changed_by[target.id] == saved["updated_by_name"]
        assert shown_ids(app) == order  # in place
        assert rows.highlighted == cursor_row
        assert rows.marked_ids() == (marked.id,)
        await settle(pilot)
        assert CHANGED_GLYPH in str(rows.render_line(1 + 3 - round(rows.scroll_y)).text)
        rows.go_to(3)
        await pilot.pause()
        assert f"changed by {saved['updated_by_name']}" in status(app).message


async def test_a_new_opportunity_is_added_on_top_and_the_cursor_stays(
    connection: Connection, app: CloseTUI, other: httpx.AsyncClient
) -> None:
    async with running(app) as pilot:
        await polling(pilot, app)
        rows = listing(app)
        total = rows.total
        assert total is not None
        rows.go_to(4)
        kept = rows.highlighted
        assert kept is not None
        rows.mark([kept.id])
        lead = next(iter(connection.sandbox.opportunities.values()))["lead_id"]
        response = await other.post("opportunity/", json={"lead_id": lead, "confidence": 1})
        assert response.status_code == 200, response.text
        new_id = response.json()["id"]
        await until(pilot, lambda: rows.total == total + 1, "the new row counted")
        assert shown_ids(app)[0] == new_id
        assert rows.highlighted == kept
        assert rows.cursor == 5
        assert rows.marked_ids() == (kept.id,)


async def test_a_row_moved_out_of_the_filter_is_dropped(
    connection: Connection, app: CloseTUI, other: httpx.AsyncClient
) -> None:
    sandbox = connection.sandbox
    lost = next(
        o["status_id"] for o in sandbox.opportunities.values() if o["status_type"] == "lost"
    )
    async with running(app) as pilot:
        query = OpportunityQuery(status_type="active")
        main(app).set_filter(ActiveFilter(query=query, parts=("type: active",)))
        await settle(pilot)
        rows = listing(app)
        live = main(app).live
        await until(
            pilot,
            lambda: live.poller is not None and live.poller.query == query and live.poller.cursor,
            "a poller for the filter",
        )
        total = rows.total
        assert total is not None
        leaving = rows.cache.row(1)
        rows.go_to(2)
        kept = rows.highlighted
        assert leaving
        assert kept
        await put(other, leaving.id, {"status_id": lost})
        await until(pilot, lambda: leaving.id not in shown_ids(app), "the row dropped")
        assert rows.total == total - 1
        assert rows.highlighted == kept
        assert rows.cursor == 1


async def test_the_client_side_filter_applies_to_added_rows(
    connection: Connection, app: CloseTUI, other: httpx.AsyncClient
) -> None:
    async with running(app) as pilot:
        await polling(pilot, app)
        rows = listing(app)
        rows.set_filter("zzqx")
        await pilot.pause()
        assert rows.shown == 0
        lead = next(iter(connection.sandbox.opportunities.values()))["lead_id"]
        response = await other.post("opportunity/", json={"lead_id": lead, "note": "x"})
        assert response.status_code == 200
        created = response.json()
        await until(pilot, lambda: created["id"] in shown_ids(app), "the new row loaded")
        assert rows.shown == 0  # it does not match "zzqx"
        rows.set_filter(created["lead_name"].lower())
        await pilot.pause()
        assert created["id"] in {rows.model.row_at(p).id for p in range(rows.shown or 0)}  # type: ignore[union-attr]


async def test_an_open_draft_is_flagged_in_the_edit_pane(
    connection: Connection, app: CloseTUI, other: httpx.AsyncClient
) -> None:
    from closetui.ui.widgets.edit_pane import EditPane
    from closetui.ui.widgets.their_change import TheirChange

    async with running(app) as pilot:
        await polling(pilot, app)
        await open_row(pilot, 0)
        state = main(app).edit_state
        assert state is not None
        opp = state.opportunity
        mine = (opp.confidence or 0) % 90 + 5
        await replace_text(pilot, "confidence", str(mine))
        focused = app.focused
        assert focused is not None
        await put(other, opp.id, {"value": 123400})
        editor = main(app).query_one(EditPane)
        await until(pilot, lambda: isinstance(editor.notice, TheirChange), "the notice")
        assert isinstance(editor.notice, TheirChange)
        assert editor.notice.heading == "Someone changed this since your draft began"
        assert not app.screen.is_modal  # no dialog: typed keys stay in the field
        assert app.focused is focused
        assert "f12" in status(app).message
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.focused, TheirChange)
        await pilot.press("k")  # keep mine on top of theirs
        await settle(pilot)
        after = main(app).edit_state
        assert after is not None
        assert after.opportunity.value == 123400
        assert after.draft.change("confidence") is not None
        assert editor.notice is None
        await type_text(pilot, "1")  # typing goes on in the field, not into a dialog
        await settle(pilot)
        assert not app.screen.is_modal


def poll_requests(connection: Connection) -> list[int]:
    """Places in the sandbox's log of the poll's requests (its ``date_updated`` queries)."""
    return [
        at
        for at, r in enumerate(connection.sandbox.requests)
        if r.method == "GET" and "date_updated" in r.query and "_fields=" in r.query
    ]


async def test_polls_spend_at_most_five_percent_of_the_rate_limit(
    connection: Connection, app: CloseTUI
) -> None:
    connection.sandbox.set_rate_limit(10)
    async with running(app) as pilot:
        await polling(pilot, app)
        live = main(app).live
        started, first = time.monotonic(), len(poll_requests(connection))
        await until(pilot, lambda: live.polls >= 2, "two polls")
        spent = len(poll_requests(connection)) - first
        span = time.monotonic() - started
        assert live.poller is not None
        assert live.poller.limit == 10
        assert live.poller.interval() >= 2  # one request per poll, 5% of 10/s
        # the budget over the span, plus the one poll that may open it
        assert spent <= 0.05 * 10 * span + 1


async def test_no_poll_goes_out_while_a_send_waits_on_a_429(
    connection: Connection, app: CloseTUI
) -> None:
    from closetui.sandbox.faults import Fault

    async with running(app) as pilot:
        await polling(pilot, app)
        live = main(app).live
        row = listing(app).cache.row(2)
        assert row is not None
        await until(pilot, lambda: live.polls >= 1, "a first poll")
        connection.sandbox.script_faults(
            Fault(status=429, retry_after=1, methods=("GET",), path=f"/opportunity/{row.id}")
        )
        await open_row(pilot, 2)
        log = connection.sandbox.requests
        reads = [at for at, r in enumerate(log) if r.path.rstrip("/").endswith(row.id)]
        assert len(reads) == 2  # the 429, then the retry
        # A poll already on its way when the 429 came may land after it; none starts during
        # the 1 s wait (unpaused, a 0.05 s poll would send about twenty).
        assert len([at for at in poll_requests(connection) if reads[0] < at < reads[1]]) <= 1
        polls = live.polls
        await until(pilot, lambda: live.polls > polls, "polling again after the wait")


@pytest.mark.parametrize(("seconds", "said"), [(POLL, "every 0.05 s (poll_seconds)"), (0, "off")])
async def test_help_says_how_often_the_list_checks(seconds: float, said: str) -> None:
    from textual.widgets import Label

    from closetui.ui.screens.help import HelpScreen

    async with running(app_for(demo(30, poll_seconds=seconds))) as pilot:
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        text = str(pilot.app.screen.query_one("#help-live", Label).content)
        assert text.startswith("Live: ")
        assert said in text


async def test_a_draft_changed_while_another_was_open_is_flagged_on_opening(
    connection: Connection, app: CloseTUI, other: httpx.AsyncClient
) -> None:
    from closetui.ui.widgets.edit_pane import EditPane
    from closetui.ui.widgets.their_change import TheirChange

    async with running(app) as pilot:
        await polling(pilot, app)
        await open_row(pilot, 1)
        state = main(app).edit_state
        assert state is not None
        drafted = state.opportunity
        await replace_text(pilot, "confidence", str((drafted.confidence or 0) % 90 + 5))
        await open_row(pilot, 4)  # another one open now; the draft stays
        saved = await put(other, drafted.id, {"value": 55500})
        rows = listing(app)
        await until(pilot, lambda: drafted.id in rows.changed_by, "the drafted row marked")
        editor = main(app).query_one(EditPane)
        assert editor.notice is None  # not the open one
        await open_row(pilot, 1)
        await until(pilot, lambda: isinstance(editor.notice, TheirChange), "the notice")
        assert f"changed by {saved['updated_by_name']}" in status(app).message
        editor.focus()
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("t")  # take theirs: my draft goes
        await settle(pilot)
        after = main(app).edit_state
        assert after is not None
        assert after.opportunity.value == 55500
        assert after.draft.is_empty
        assert drafted.id not in main(app).drafts.ids()
        assert editor.notice is None


async def test_later_hides_the_notice_and_the_send_still_checks(
    connection: Connection, app: CloseTUI, other: httpx.AsyncClient
) -> None:
    from closetui.ui.screens.stale import StaleScreen
    from closetui.ui.widgets.edit_pane import EditPane
    from closetui.ui.widgets.their_change import TheirChange

    async with running(app) as pilot:
        await polling(pilot, app)
        await open_row(pilot, 2)
        state = main(app).edit_state
        assert state is not None
        await replace_text(pilot, "confidence", str((state.opportunity.confidence or 0) % 90 + 5))
        await put(other, state.opportunity.id, {"value": 4200})
        editor = main(app).query_one(EditPane)
        await until(pilot, lambda: isinstance(editor.notice, TheirChange), "the notice")
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("l")
        await settle(pilot)
        assert editor.notice is None
        assert not main(app).edit_state.draft.is_empty  # type: ignore[union-attr]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, StaleScreen)  # the guard before the PUT, as ever


@pytest.mark.parametrize("connection", [demo(250, poll_seconds=POLL)])
async def test_an_unloaded_row_waits_for_its_page_unless_sorted_by_change(
    connection: Connection, app: CloseTUI, other: httpx.AsyncClient
) -> None:
    """Sorted by value, a changed row on a page not loaded is not put on top (its page
    brings it, in its place: on top as well it would show twice)."""
    async with running(app) as pilot:
        rows = listing(app)
        rows.order_by = "-value"
        await settle(pilot)
        await polling(pilot, app)
        total = rows.total
        assert total == 250
        assert len(rows.cache.loaded()) < total
        loaded = set(shown_ids(app))
        away = next(i for i in connection.sandbox.opportunities if i not in loaded)
        polls = main(app).live.polls
        await put(other, away, {"confidence": 2})
        await until(pilot, lambda: main(app).live.polls >= polls + 2, "two polls")
        assert away not in shown_ids(app)
        assert rows.total == total
        rows.order_by = "-date_updated"  # sorted by change: the top is its place
        await settle(pilot)
        await until(pilot, lambda: rows.total == total, "the list again")
        loaded = set(shown_ids(app))
        # another row: the demo's clock is frozen, so a second change to the same row would
        # carry the same date_updated (Close's always moves on)
        later = next(i for i in connection.sandbox.opportunities if i not in loaded)
        await put(other, later, {"confidence": 4})
        await until(pilot, lambda: later in rows.changed_by, "the row on top")
        assert shown_ids(app)[0] == later
        assert rows.total == total + 1  # counted as new until a page tells the true total


async def test_an_open_opportunity_without_a_draft_shows_theirs_unless_in_the_editor(
    connection: Connection, app: CloseTUI, other: httpx.AsyncClient
) -> None:
    from closetui.ui.widgets.edit_pane import EditPane
    from closetui.ui.widgets.their_change import TheirChange

    async with running(app) as pilot:
        await polling(pilot, app)
        await open_row(pilot, 3)
        state = main(app).edit_state
        assert state is not None
        opp_id = state.opportunity.id
        editor = main(app).query_one(EditPane)
        assert app.focused is not None
        assert editor in app.focused.ancestors  # in a field, nothing typed yet
        await put(other, opp_id, {"value": 31400})
        await until(pilot, lambda: isinstance(editor.notice, TheirChange), "the notice")
        assert isinstance(editor.notice, TheirChange)
        assert editor.notice.heading == "Someone changed this since you opened it"  # no draft
        await pilot.press("l")  # the notice is not focused: "l" is no choice here
        assert editor.notice is not None
        # another row (the demo's clock is frozen: a second change to the same row would
        # carry the same date_updated), opened, then back in the list: it just shows
        await open_row(pilot, 6)
        other_id = main(app).edit_state.opportunity.id  # type: ignore[union-attr]
        listing(app).focus()
        await pilot.pause()
        await put(other, other_id, {"value": 27100})
        await until(
            pilot,
            lambda: (
                main(app).edit_state is not None and main(app).edit_state.opportunity.value == 27100
            ),
            "their version in the editor",
        )
        assert editor.notice is None
        assert "changed by" in status(app).message  # the list's line, or the editor's
        await settle(pilot)


async def test_the_board_follows_another_users_move_and_value_change(
    connection: Connection, app: CloseTUI, other: httpx.AsyncClient
) -> None:
    async with running(app) as pilot:
        await polling(pilot, app)
        await pilot.press("B")
        board = main(app).board
        assert board is not None
        await until(pilot, lambda: board.highlighted is not None, "the board's first cards")
        await settle(pilot)
        first, second = board.columns[0], board.columns[1]
        card = first.cache.row(0)
        assert card is not None
        counts = (first.count, second.count)
        await put(other, card.id, {"status_id": second.status.id})
        await until(
            pilot,
            lambda: (
                (first.count, second.count) == (counts[0] - 1, counts[1] + 1)
                and second.cache.index_of(card.id) is not None
            ),
            "the card in its new column, both counts changed",
        )
        assert first.cache.index_of(card.id) is None
        assert first.server_sums
        assert second.server_sums

        # (another card: the frozen clock gives a second change of one card the same stamp)
        await until(pilot, lambda: first.cache.row(0) is not None, "the column read again")
        kept = first.cache.row(0)
        assert kept is not None
        before = first.sums
        await put(other, kept.id, {"value": (kept.value or 0) + 100_000})
        await until(pilot, lambda: first.sums != before, "the column's sums read again")
        assert first.sums.value > before.value
        assert first.count == counts[0] - 1
