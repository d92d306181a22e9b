"""No draft is lost: quitting asks while one is in memory only, unreadable draft files are
moved aside (never deleted or written over), bad state files never crash, restores say how old."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from closetui.edits import Draft
from closetui.state import DraftStore, History, StateProblem
from closetui.ui.screens.history import HistoryScreen
from tests.ui.helpers import (
    CloseTUI,
    Opportunity,
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
    wait_until,
)


def block_state_dir() -> None:
    """Make the state dir unwritable, for root too: a file where its folder should be."""
    (Path(os.environ["XDG_STATE_HOME"]) / "closetui").write_text("not a folder")


async def first_row_id() -> str:
    """The id of the demo list's first row (an app run that leaves no state behind)."""
    app = app_for(demo(60))
    async with running(app):
        row = listing(app).cache.row(0)
        assert row is not None
        return str(row.id)


def warned(app: object, text: str) -> bool:
    return any(text in n for n in notifications(app))  # type: ignore[arg-type]


async def test_quitting_with_a_draft_kept_in_memory_only_asks_first() -> None:
    block_state_dir()
    app = app_for(demo(60))
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "77")
        app.drafts.flush()
        await settle(pilot)
        assert "kept in memory only" in status(app).message

        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: warned(app, "not saved to disk"))
        assert app.return_code is None
        said = f"1 unsent draft is not saved to disk ({opp.lead_name}) and would be lost"
        assert warned(app, said)
        assert warned(app, "^q again quits anyway (the draft is lost)")

        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 0


async def test_drafts_safely_on_disk_quit_at_once_and_come_back_with_their_age() -> None:
    connection = demo(60)
    app = app_for(connection)
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "77")
        await pilot.press("ctrl+q")  # the draft is on disk: nothing to ask
        await wait_until(pilot, lambda: app.return_code is not None)
        assert not warned(app, "not saved to disk")

    # As after kill -9: the file is what the last write left; it was written 3 min ago.
    path = DraftStore("@demo").path_for(opp.id)
    data = json.loads(path.read_text())
    data["saved_at"] = (datetime.now(UTC) - timedelta(minutes=3, seconds=5)).isoformat()
    path.write_text(json.dumps(data))

    again = app_for(connection)
    async with running(again) as pilot:
        assert warned(again, f"Restored 1 unsent draft: {opp.lead_name} (saved 3 min ago)")
        # A quick action on the row sends its own change only, never the restored one.
        rows = listing(again)
        rows.focus()
        rows.go_to(0)
        await pilot.pause()
        await pilot.press("L")
        await settle(pilot)
        puts = [r for r in connection.sandbox.requests if r.method == "PUT"]
        assert puts
        assert all("confidence" not in json.loads(r.body or b"{}") for r in puts)
        assert opp.id in again.drafts.drafts_for(connection)
        # Opening it shows the restored draft before anything can send it.
        await open_row(pilot, 0)
        assert main(again).edit_state.opportunity.id == opp.id  # type: ignore[union-attr]
        assert preview_body(again) is not None
        assert preview_body(again)["confidence"] == 77  # type: ignore[index]
        # L changed it on the server since: the draft's note says so, and how old it is.
        assert f"Restored draft for {opp.lead_name} (saved 3 min ago)" in status(again).message
        assert len([r for r in connection.sandbox.requests if r.method == "PUT"]) == len(puts)


async def test_a_draft_of_a_newer_closetui_is_moved_aside_and_survives_open_and_close() -> None:
    opp_id = await first_row_id()
    store = DraftStore("@demo")
    store.folder.mkdir(parents=True)
    newer = store.path_for(opp_id)
    content = '{"version": 2, "changes": {"confidence": {"set": {"int": 5}}}}'
    newer.write_text(content)

    app = app_for(demo(60))
    async with running(app) as pilot:
        (moved,) = store.folder.glob("*.corrupt-*")
        assert moved.read_text() == content
        assert not newer.exists()
        assert warned(app, "written by a newer closetui")
        assert warned(app, f"moved aside to {moved}")  # says where
        await open_row(pilot, 0)
        await pilot.press("escape")  # opened and closed: nothing to delete
        await settle(pilot)
        await open_row(pilot, 0)
        await replace_text(pilot, "confidence", "12")  # a new draft gets its own file
        assert app.drafts.flush()
    assert moved.read_text() == content
    assert "12" in newer.read_text()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 file")
async def test_a_draft_file_that_cannot_be_opened_is_moved_aside() -> None:
    opp_id = await first_row_id()
    store = DraftStore("@demo")
    store.save(opp_id, Draft().with_set("confidence", 5), None)
    store.path_for(opp_id).chmod(0)
    app = app_for(demo(60))
    async with running(app) as pilot:
        (moved,) = store.folder.glob("*.corrupt-*")
        assert warned(app, f"moved aside to {moved}")
        await open_row(pilot, 0)
        await pilot.press("escape")
        await settle(pilot)
        assert app.drafts.flush()
    assert moved.exists()


async def test_a_file_that_can_be_neither_read_nor_moved_is_never_written_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opp_id = await first_row_id()
    store = DraftStore("@demo")
    store.folder.mkdir(parents=True)
    newer = store.path_for(opp_id)
    newer.write_text('{"version": 2}')

    def not_moved(path: Path, message: str) -> StateProblem:
        return StateProblem(path, message)  # as in a folder that refuses renames

    monkeypatch.setattr("closetui.state.drafts.move_aside", not_moved)
    app = app_for(demo(60))
    async with running(app) as pilot:
        assert warned(app, "will not write over or remove it")
        await open_row(pilot, 0)
        await replace_text(pilot, "confidence", "12")
        assert app.drafts.flush()
        assert "kept in memory only" in status(app).message
        await pilot.press("ctrl+q")  # that draft is in memory only
        await wait_until(pilot, lambda: warned(app, "not saved to disk"))
        assert app.return_code is None
        main(app).discard_draft()  # dropping it leaves the file as it was found
        assert app.drafts.flush()
        assert newer.read_text() == '{"version": 2}'
        await pilot.press("ctrl+q")  # nothing in memory only now: quits at once
        await wait_until(pilot, lambda: app.return_code is not None)
    assert newer.read_text() == '{"version": 2}'


async def test_a_deeply_nested_draft_file_is_moved_aside_and_the_app_starts() -> None:
    store = DraftStore("@demo")
    store.folder.mkdir(parents=True)
    deep = store.folder / "oppo_deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    app = app_for(demo(60))
    async with running(app) as pilot:
        assert app.is_running
        assert warned(app, "nested more than")
        assert not deep.exists()
        await open_row(pilot, 0)
        await replace_text(pilot, "confidence", "5")
        assert preview_body(app) == {"confidence": 5}


@pytest.mark.demo(60)
async def test_bad_history_files_are_reported_never_a_crash_of_h_or_u(
    app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    await replace_text(pilot, "confidence", "61")
    await pilot.press("ctrl+r")
    await settle(pilot)
    folder = History("@demo").folder
    (sent,) = folder.glob("*.json")
    entry = json.loads(sent.read_text())
    entry["status"] = "200"  # the wrong shape: text where a number belongs
    sent.write_text(json.dumps(entry))
    deep = folder / "00000000000000000001-aaaaaa.json"
    deep.write_text("{" * 50_000)

    listing(app).focus()
    await pilot.press("u")
    await settle(pilot)
    assert app.is_running
    assert status(app).message.startswith("Nothing to undo")
    assert warned(app, "not a history entry (status is a str)")
    assert warned(app, "nested more than")
    assert sorted(p.name.split(".json")[0] for p in folder.glob("*.corrupt-*")) == sorted(
        [sent.stem, deep.stem]
    )

    deep.write_text("[" * 50_000)
    await pilot.press("H")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    assert any("nested more than" in problem for problem in screen.problems)


async def test_a_drafts_folder_that_cannot_be_listed_is_never_written_into(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = DraftStore("@demo")
    store.folder.mkdir(parents=True)

    def unlisted(_: DraftStore) -> None:
        raise PermissionError(13, "Permission denied")  # as a folder of mode 0300

    monkeypatch.setattr(DraftStore, "load_all", unlisted)
    app = app_for(demo(60))
    async with running(app) as pilot:
        assert warned(app, "drafts are kept in memory only")
        await open_row(pilot, 0)
        await replace_text(pilot, "confidence", "12")
        assert app.drafts.flush()
        assert list(store.folder.iterdir()) == []
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: warned(app, "not saved to disk"))
        assert app.return_code is None
