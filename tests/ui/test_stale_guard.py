"""The stale-edit guard: someone changed the opportunity after the draft began."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any

import pytest
from textual.pilot import Pilot

from closetui.api import CloseClient, Credential
from closetui.api.models import Opportunity
from closetui.connect import DEMO_BASE_URL, Connection
from closetui.sandbox import DEMO_API_KEY, USER_API_KEY, Fault
from closetui.ui.screens.stale import StaleScreen
from tests.ui.helpers import (
    CloseTUI,
    app_for,
    demo,
    main,
    open_row,
    preview_body,
    replace_text,
    running,
    settle,
    status,
)


def someone_else(connection: Connection) -> CloseClient:
    """Another user of the same sandbox org, with their own key."""
    return CloseClient(
        Credential.api_key(USER_API_KEY),
        base_url=DEMO_BASE_URL,
        tz_offset=0,
        transport=connection.transport,
    )


def stored(connection: Connection, opp_id: str) -> Opportunity:
    return Opportunity.model_validate(connection.sandbox.opportunities[opp_id])


DEMO_AUTH = "Basic " + base64.b64encode(f"{DEMO_API_KEY}:".encode()).decode()
"""The demo key's Authorization header (ours; the other user has their own key)."""


def our_puts(connection: Connection) -> list[Any]:
    """PUTs the app sent (not the other user's)."""
    return [
        r
        for r in connection.sandbox.requests
        if r.method == "PUT" and r.headers.get("authorization") == DEMO_AUTH
    ]


async def draft_then_they_change(pilot: Any, connection: Connection) -> tuple[Opportunity, int]:
    """Open a row, draft confidence and value; then someone else sets the same confidence
    and their own value and note. Returns the opportunity as first opened and the
    draft's value in cents."""
    app = pilot.app
    await open_row(pilot, 3)
    opp: Opportunity = main(app).edit_state.opportunity
    confidence = (opp.confidence + 9) % 100
    await replace_text(pilot, "confidence", str(confidence))
    await replace_text(pilot, "value", "777")
    async with someone_else(connection) as other:
        await other.update_opportunity(
            opp.id, {"confidence": confidence, "value": 12300, "note": "Theirs"}
        )
    return opp, confidence


async def press_send_and_see_their_change(pilot: Any, opp: Opportunity) -> StaleScreen:
    await pilot.press("ctrl+r")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StaleScreen)
    rows = {row.key: row for row in screen.rows}
    assert rows["note"].changed_by_them
    assert rows["note"].theirs == "Theirs"
    assert not rows["note"].conflict
    assert rows["value"].conflict
    assert (rows["value"].theirs, rows["value"].mine) == ("$123", "$777")
    assert rows["confidence"].conflict
    assert set(screen.conflicts) == {"value", "confidence"}
    return screen


@pytest.mark.demo(60)
async def test_cancel_sends_nothing_and_keeps_the_draft(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    opp, confidence = await draft_then_they_change(pilot, connection)
    drafted = preview_body(app)
    await press_send_and_see_their_change(pilot, opp)
    await pilot.press("escape")
    await settle(pilot)
    assert app.screen is main(app)
    assert not our_puts(connection)
    now = stored(connection, opp.id)
    assert (now.value, now.confidence, now.note) == (12300, confidence, "Theirs")
    assert opp.id in main(app).drafts
    assert preview_body(app) == drafted
    assert "draft is kept" in status(app).message


@pytest.mark.demo(60)
async def test_overwrite_sends_the_previewed_body_unchanged(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    opp, confidence = await draft_then_they_change(pilot, connection)
    drafted = preview_body(app)
    assert drafted == {"confidence": confidence, "value": 77700}
    await press_send_and_see_their_change(pilot, opp)
    await pilot.press("o")
    await settle(pilot)
    (put,) = our_puts(connection)
    assert json.loads(put.body) == drafted
    now = stored(connection, opp.id)
    assert (now.value, now.confidence, now.note) == (77700, confidence, "Theirs")
    assert status(app).severity == "success"
    assert opp.id not in main(app).drafts
    entries, _ = main(app).history.load()
    assert entries[0].before is not None
    assert entries[0].before["value"] == 12300  # their version was what we replaced


@pytest.mark.demo(60)
async def test_keep_mine_on_top_rebuilds_the_preview_and_sends_only_when_asked(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    opp, confidence = await draft_then_they_change(pilot, connection)
    await press_send_and_see_their_change(pilot, opp)
    await pilot.press("k")
    await settle(pilot)
    assert app.screen is main(app)
    assert not our_puts(connection)  # nothing sent yet
    state = main(app).edit_state
    assert state is not None
    assert state.opportunity.note == "Theirs"  # the new base is their version
    # They already set this confidence: dropped; the value replaces theirs.
    assert preview_body(app) == {"value": 77700}
    message = status(app).message
    assert "replaces their Value" in message
    assert "dropped Confidence" in message

    await pilot.press("ctrl+r")  # no longer stale: it goes out
    await settle(pilot)
    assert not isinstance(app.screen, StaleScreen)
    (put,) = our_puts(connection)
    assert json.loads(put.body) == {"value": 77700}
    now = stored(connection, opp.id)
    assert (now.value, now.confidence, now.note) == (77700, confidence, "Theirs")


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault(status=500, methods=("GET",)), "could not re-read"),
        (Fault(status=404, methods=("GET",)), "no longer exists"),
    ],
)
@pytest.mark.demo(60)
async def test_a_failing_fresh_read_sends_nothing(
    fault: Fault, expected: str, connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    await open_row(pilot, 1)
    opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
    await replace_text(pilot, "confidence", str((opp.confidence + 3) % 100))
    drafted = preview_body(app)
    connection.sandbox.script_faults(replace(fault, path=opp.id))
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert expected in status(app).message
    assert status(app).severity == "error"
    assert not our_puts(connection)
    assert preview_body(app) == drafted
    assert opp.id in main(app).drafts


async def test_a_restored_draft_is_checked_against_the_version_it_began_from() -> None:
    connection = demo(60)
    first = app_for(connection)
    async with running(first) as pilot:
        await open_row(pilot, 0)
        opp = main(first).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "value", "555")
    # While closetui was closed, someone else changed it.
    async with someone_else(connection) as other:
        await other.update_opportunity(opp.id, {"note": "Changed overnight"})

    app = app_for(connection)
    async with running(app) as pilot:
        await open_row(pilot, 0)
        assert main(app).edit_state.opportunity.note == "Changed overnight"  # type: ignore[union-attr]
        assert preview_body(app) == {"value": 55500}
        await pilot.press("ctrl+r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StaleScreen)
        assert [row.key for row in screen.rows if row.changed_by_them] == ["note"]
        assert screen.conflicts == ()
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        now = stored(connection, opp.id)
        assert (now.value, now.note) == (55500, "Changed overnight")
        assert len(our_puts(connection)) == 1
