"""Drafts survive the app: every change is on disk, and a new app restores it with a notice."""

from __future__ import annotations

import stat

from closetui.api.errors import TransportError
from closetui.display.sending import failure_message
from closetui.sandbox import DEMO_API_KEY
from closetui.state import DraftStore
from tests.ui.helpers import (
    app_for,
    demo,
    listing,
    main,
    notifications,
    open_row,
    preview_body,
    replace_text,
    running,
    settle,
    status,
)


async def test_an_edited_draft_is_on_disk_and_a_new_app_restores_it() -> None:
    connection = demo()
    app = app_for(connection)
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "77")
        path = DraftStore("@demo").path_for(opp.id)
        assert app.drafts.flush()  # written at once (on the writer thread), not at quit
        assert path.exists()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        text = path.read_text()
        assert DEMO_API_KEY not in text
        assert "77" in text

    again = app_for(connection)  # a new app on the same connection: as after a crash
    async with running(again) as pilot:
        shown = notifications(again)
        assert any("Restored 1 unsent draft" in n and (opp.lead_name or "") in n for n in shown)
        assert opp.id in listing(again).drafted
        await open_row(pilot, 0)
        assert main(again).edit_state.opportunity.id == opp.id  # type: ignore[union-attr]
        assert preview_body(again) == {"confidence": 77}
        assert "Restored" in status(again).message


async def test_sending_or_discarding_removes_the_saved_draft() -> None:
    connection = demo()
    app = app_for(connection)
    async with running(app) as pilot:
        await open_row(pilot, 0)
        sent = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "61")
        assert app.drafts.flush()
        assert DraftStore("@demo").path_for(sent.id).exists()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert status(app).severity == "success"
        assert app.drafts.flush()
        assert not DraftStore("@demo").path_for(sent.id).exists()

        await pilot.press("escape")
        await open_row(pilot, 1)
        dropped = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "62")
        assert app.drafts.flush()
        assert DraftStore("@demo").path_for(dropped.id).exists()
        main(app).discard_draft()
        await settle(pilot)
        assert app.drafts.flush()
        assert not DraftStore("@demo").path_for(dropped.id).exists()
    assert DraftStore("@demo").load_all().drafts == {}


async def test_a_restored_draft_says_when_the_opportunity_changed_on_the_server() -> None:
    connection = demo()
    app = app_for(connection)
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "33")
    # Someone else changes the opportunity meanwhile.
    connection.sandbox.opportunities[opp.id]["date_updated"] = "2026-11-28T14:00:00.000000+00:00"

    again = app_for(connection)
    async with running(again) as pilot:
        await open_row(pilot, 0)
        assert preview_body(again) == {"confidence": 33}
        assert "changed on the server" in status(again).message
        assert status(again).severity == "warning"


async def test_a_corrupt_draft_file_is_reported_once_and_never_crashes() -> None:
    store = DraftStore("@demo")
    store.folder.mkdir(parents=True)
    (store.folder / "oppo_broken.json").write_text("{not json")
    app = app_for(demo())
    async with running(app) as pilot:
        problems = [n for n in notifications(app) if "could not be restored" in n]
        assert len(problems) == 1
        assert "oppo_broken.json" in problems[0]
        await open_row(pilot, 0)
        await replace_text(pilot, "confidence", "5")
        assert preview_body(app) == {"confidence": 5}
    assert not (store.folder / "oppo_broken.json").exists()  # moved aside, not lost


def test_a_failed_connection_says_nothing_was_saved_but_a_dropped_one_may_have() -> None:
    refused = failure_message(TransportError("connection refused", connect=True))
    assert "nothing saved" in refused
    dropped = failure_message(TransportError("peer closed connection"))
    assert "nothing saved" not in dropped
    assert "may have been saved" in dropped
    assert "Refresh" in dropped
