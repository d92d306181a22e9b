"""History of sends, undo of the last change (single or a whole batch), the history screen."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Label

from closetui.api.models import Opportunity
from closetui.bulk import plan_bulk, send_bulk
from closetui.display.format import money
from closetui.edits import Draft
from closetui.sandbox import DEMO_API_KEY
from closetui.state import History
from closetui.ui.list.rows import ListRow
from closetui.ui.screens.bulk_progress import BulkProgressScreen
from closetui.ui.screens.history import HistoryScreen
from closetui.ui.screens.inspector import InspectorScreen
from closetui.ui.screens.review import ReviewScreen
from tests.ui.helpers import (
    CloseTUI,
    Connection,
    app_for,
    demo,
    listing,
    main,
    notifications,
    open_row,
    replace_text,
    running,
    settle,
    status,
    type_text,
)
from tests.ui.helpers import stored as stored_full


def history_files() -> list[Path]:
    """Every history entry file under the test's data dir."""
    root = Path(os.environ["XDG_DATA_HOME"]) / "closetui" / "history"
    return sorted(p for p in root.rglob("*.json") if p.is_file())


def stored(connection: Any, opp_id: str) -> Opportunity:
    return Opportunity.model_validate(connection.sandbox.opportunities[opp_id])


def list_row(app: Any, opp_id: str) -> ListRow:
    cache = listing(app).cache
    found = cache.row(cache.index_of(opp_id))
    assert found is not None
    return found  # type: ignore[no-any-return]


def table_text(screen: Any, selector: str = "DataTable") -> list[str]:
    """Each row of a screen's table as one line of text."""
    table = screen.query_one(selector, DataTable)
    return [
        " | ".join(str(getattr(cell, "plain", cell)) for cell in table.get_row_at(i))
        for i in range(table.row_count)
    ]


async def send_confidence(pilot: Any, value: int) -> tuple[Opportunity, int]:
    """Set the open opportunity's confidence (``value``, or the next one when it already
    has it) and send it; the opportunity before, and the value sent."""
    app = pilot.app
    opp: Opportunity = main(app).edit_state.opportunity
    value = value if value != opp.confidence else (value + 1) % 100
    await replace_text(pilot, "confidence", str(value))
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert stored(app.connection, opp.id).confidence == value
    return opp, value


@pytest.mark.demo(60)
async def test_a_single_send_is_kept_in_history_and_opens_in_the_inspector(
    app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    opp, new = await send_confidence(pilot, 37)

    (path,) = history_files()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    raw = path.read_bytes()
    for secret in (DEMO_API_KEY.encode(), base64.b64encode(f"{DEMO_API_KEY}:".encode())):
        assert secret not in raw
    entry = json.loads(raw)
    assert (entry["method"], entry["status"]) == ("PUT", 200)
    assert entry["opportunity_id"] == opp.id
    assert json.loads(entry["request_body"]) == {"confidence": new}
    assert entry["before"]["confidence"] == opp.confidence
    assert entry["after"]["confidence"] == new

    await pilot.press("f8")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    (line,) = table_text(screen)
    assert opp.lead_name in line
    assert "PUT 200" in line
    assert "Confidence" in line
    await pilot.press("enter")
    await settle(pilot)
    inspector = app.screen
    assert isinstance(inspector, InspectorScreen)
    assert inspector.exchange.status == 200
    assert inspector.exchange.request.method == "PUT"
    assert "sandbox_demo_key" not in inspector.exchange.request.to_text()
    diff = {key: (old, after) for key, old, after in inspector.diff_rows()}
    assert diff["confidence"] == (opp.confidence, new)
    await pilot.press("escape", "escape")
    await settle(pilot)
    assert app.screen is main(app)


@pytest.mark.demo(60)
async def test_a_failed_send_is_kept_too_and_is_not_undone(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    await replace_text(pilot, "contact_id", "cont_notonthislead")
    await pilot.press("ctrl+r")
    await settle(pilot)
    (path,) = history_files()
    assert json.loads(path.read_bytes())["status"] == 400
    listing(app).focus()
    await pilot.press("u")
    await settle(pilot)
    assert app.screen is main(app)
    assert status(app).message.startswith("Nothing to undo")
    assert not [r for r in connection.sandbox.requests if r.method == "PUT"][1:]


@pytest.mark.demo(60)
async def test_undo_puts_a_single_change_back_in_the_sandbox_list_and_editor(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    await open_row(pilot, 2)
    first = main(app).edit_state.opportunity  # type: ignore[union-attr]
    await replace_text(pilot, "value", "4321.50")
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert stored(connection, first.id).value == 432150

    listing(app).focus()
    await pilot.press("u")
    await settle(pilot)
    review = app.screen
    assert isinstance(review, ReviewScreen)
    assert review.title_text == "Undo: 1 request"
    (change,) = review.changes_for(0)
    assert (change.label, change.old) == ("Value", "$4,321.50")
    assert change.new == (money(first.value) or "—")
    view = review.view_for(0)
    assert (view.method, view.json_body()) == ("PUT", {"value": first.value})
    assert view.url.endswith(f"/opportunity/{first.id}/")
    assert "sandbox_demo_key" not in view.to_text()
    await pilot.press("ctrl+r")
    await settle(pilot)
    progress = app.screen
    assert isinstance(progress, BulkProgressScreen)
    assert progress.result is not None
    assert [r.outcome for r in progress.result.rows] == ["ok"]
    await pilot.press("escape")
    await settle(pilot)

    assert app.screen is main(app)
    assert stored(connection, first.id).value == first.value
    assert list_row(app, first.id).value == first.value
    assert main(app).edit_state.opportunity.value == first.value  # type: ignore[union-attr]
    assert status(app).severity == "success"
    entries, _ = main(app).history.load()
    assert entries[0].reverts == entries[1].id

    # Undone already: the next u has nothing left.
    await pilot.press("u")
    await settle(pilot)
    assert app.screen is main(app)
    assert status(app).message.startswith("Nothing to undo")


@pytest.mark.demo(60)
async def test_undo_of_a_bulk_change_restores_every_row_as_one_batch(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    schema = main(app).reference.schema  # type: ignore[union-attr]
    opps = [stored_full(app, row.id) for _, row in listing(app).cache.loaded()][:4]
    draft = Draft().with_set("confidence", 42).with_set("note", "Bulk note")
    plan = plan_bulk(opps, draft, schema)
    assert len(plan.jobs) == 4
    result = await send_bulk(app.client, plan.jobs, history=main(app).history.history)
    assert [r.outcome for r in result.rows] == ["ok"] * 4
    for opp in opps:
        assert stored(connection, opp.id).note == "Bulk note"
    puts_before = len([r for r in connection.sandbox.requests if r.method == "PUT"])

    await pilot.press("u")
    await settle(pilot)
    review = app.screen
    assert isinstance(review, ReviewScreen)
    assert review.title_text.startswith("Undo: 4 requests")
    assert len(table_text(review)) == 4
    await pilot.press("j", "j")
    assert review.selected == 2
    await pilot.press("ctrl+r")
    await settle(pilot)
    progress = app.screen
    assert isinstance(progress, BulkProgressScreen)
    assert "4 saved" in str(progress.query_one("#bulk-summary", Label).content)
    await pilot.press("escape")
    await settle(pilot)

    for opp in opps:
        now = stored(connection, opp.id)
        assert (now.confidence, now.note) == (opp.confidence, opp.note)
        assert list_row(app, opp.id).confidence == opp.confidence  # rows keep no note
    puts = [r for r in connection.sandbox.requests if r.method == "PUT"]
    assert len(puts) - puts_before == 4  # one request per row
    entries, _ = main(app).history.load()
    undo = [e for e in entries if e.reverts is not None]
    assert len(undo) == 4
    assert {e.reverts for e in undo} == {result.batch}
    assert len({e.batch for e in undo}) == 1


@pytest.mark.demo(60)
async def test_the_history_screen_undoes_one_entry_and_marks_it(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    older, _ = await send_confidence(pilot, 11)
    await open_row(pilot, 1)
    newer, sent = await send_confidence(pilot, 12)
    await pilot.press("f8")
    await settle(pilot)
    history = app.screen
    assert isinstance(history, HistoryScreen)
    assert [e.opportunity_id for e in history.entries] == [newer.id, older.id]
    await pilot.press("j", "u")
    await settle(pilot)
    assert isinstance(app.screen, ReviewScreen)
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert isinstance(app.screen, BulkProgressScreen)
    await pilot.press("escape")
    await settle(pilot)
    assert app.screen is history
    assert stored(connection, older.id).confidence == older.confidence
    assert stored(connection, newer.id).confidence == sent  # the other one is untouched
    lines = table_text(history)
    assert len(lines) == 3
    assert "undo" in lines[0]
    assert "reverted" in lines[2]
    assert "reverted" not in lines[1]


async def test_a_read_only_connection_browses_history_but_cannot_undo() -> None:
    connection = demo(60)
    app = app_for(connection)
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp, sent = await send_confidence(pilot, 23)

    read_only = connection.replace(read_only=True)
    app = app_for(read_only)
    async with running(app) as pilot:
        bindings = {b.binding.id for b in app.screen.active_bindings.values()}
        assert "main.undo" not in bindings
        assert "main.history" in bindings
        await pilot.press("u")
        await settle(pilot)
        assert app.screen is main(app)
        await pilot.press("f8")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert len(history.entries) == 1
        bindings = {b.binding.id for b in history.active_bindings.values()}
        assert "history.revert" not in bindings
        assert "history.revert_batch" not in bindings
        await pilot.press("u", "r", "b")
        await settle(pilot)
        assert app.screen is history
        assert stored(connection, opp.id).confidence == sent


async def test_a_history_write_failure_warns_but_the_send_stands(monkeypatch: Any) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(History, "append", broken)
    connection = demo(60)
    app = app_for(connection)
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp, _ = await send_confidence(pilot, 44)
        assert status(app).severity == "success"
        assert opp.id not in main(app).drafts
        assert any("not kept in history: No space left" in n for n in notifications(app))


@pytest.mark.demo(60)
async def test_the_palette_offers_history_and_undo(app: CloseTUI, pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, "history")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, HistoryScreen)
    assert "No request sent" in str(app.screen.query_one("#history-hint", Label).content)
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, "undo last change")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert status(app).message.startswith("Nothing to undo")
