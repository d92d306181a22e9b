"""Export rows… (palette): marked rows, else every row shown; never overwrites unasked."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Input

from closetui.export import COLUMNS
from closetui.ui.app import CloseTUI
from closetui.ui.screens.export_prompt import ExportScreen
from tests.ui.helpers import app_for, demo, listing, running, settle, status, type_text, wait_until


async def _open_export(pilot: Pilot[Any]) -> ExportScreen:
    await pilot.press("ctrl+p")
    await settle(pilot)
    await type_text(pilot, "export rows")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    return screen


async def _export_to(pilot: Pilot[Any], path: Path) -> ExportScreen:
    screen = await _open_export(pilot)
    screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await settle(pilot)
    return screen


def _hint(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-hint").render())


async def test_every_row_is_loaded_then_written_as_csv(tmp_path: Path) -> None:
    app = app_for(demo(300))
    async with running(app) as pilot:
        rows = listing(app)
        assert len(rows.cache.loaded()) < 300  # only what the screen needed so far
        await _export_to(pilot, tmp_path / "all.csv")
        await wait_until(pilot, lambda: "Exported" in status(app).message)
        written = list(csv.DictReader((tmp_path / "all.csv").open(encoding="utf-8")))
        assert tuple(written[0]) == COLUMNS
        assert [r["id"] for r in written] == [row.id for _, row in rows.cache.loaded()]
        assert len(written) == 300
        assert status(app).message == f"Exported 300 rows to {tmp_path / 'all.csv'}"
        sandbox = rows.app.main_screen.connection.sandbox  # type: ignore[attr-defined]
        first = sandbox.opportunities[written[0]["id"]]
        assert written[0]["lead_name"] == first["lead_name"]
        assert written[0]["value"] == str(first["value"] or "")


async def test_the_filtered_rows_go_out_as_ndjson(tmp_path: Path) -> None:
    app = app_for(demo(300))
    async with running(app) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "won")
        await pilot.press("enter")
        await settle(pilot)
        await _export_to(pilot, tmp_path / "won.ndjson")
        await wait_until(pilot, lambda: "Exported" in status(app).message)
        lines = (tmp_path / "won.ndjson").read_text(encoding="utf-8").splitlines()
        objects = [json.loads(line) for line in lines]
        rows = listing(app)
        hits = [rows.cache.row(i) for i in rows.model.filter.hits]
        assert [o["id"] for o in objects] == [row.id for row in hits if row is not None]
        assert len(rows.cache.loaded()) == 300  # the filter ran over every row
        assert 0 < len(objects) < 300
        assert all("won" in row.search for row in hits if row is not None)
        assert set(objects[0]) == set(COLUMNS)


async def test_marked_rows_win_and_go_out_as_json(tmp_path: Path) -> None:
    app = app_for(demo(300))
    async with running(app) as pilot:
        listing(app).focus()
        await pilot.press("space", "j", "space", "j", "j", "space")
        await settle(pilot)
        marked = list(listing(app).marked_ids())
        screen = await _open_export(pilot)
        assert "the 3 marked rows" in str(screen.query_one("#export-what").render())
        screen.query_one(Input).value = str(tmp_path / "marked.json")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Exported" in status(app).message)
        objects = json.loads((tmp_path / "marked.json").read_text(encoding="utf-8"))
        assert [o["id"] for o in objects] == marked
        assert status(app).message.startswith("Exported 3 rows to ")


async def test_an_existing_file_is_replaced_only_after_a_second_enter(tmp_path: Path) -> None:
    target = tmp_path / "kept.csv"
    target.write_text("mine\n")
    app = app_for(demo(30))
    async with running(app) as pilot:
        screen = await _export_to(pilot, target)
        assert "exists" in _hint(screen)
        assert target.read_text() == "mine\n"
        await pilot.press("escape")
        await settle(pilot)
        assert target.read_text() == "mine\n"
        assert "cancelled" in status(app).message
        screen = await _export_to(pilot, target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Exported" in status(app).message)
        assert len(target.read_text().splitlines()) == 31


async def test_a_name_without_a_known_extension_is_refused(tmp_path: Path) -> None:
    app = app_for(demo(30))
    async with running(app) as pilot:
        screen = await _export_to(pilot, tmp_path / "rows.txt")
        assert app.screen is screen
        assert ".csv" in _hint(screen)
        assert not (tmp_path / "rows.txt").exists()


class HeldPages(httpx.AsyncBaseTransport):
    """Holds every list page after the first until the test lets them through."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gate = asyncio.Event()
        self.waiting = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        later_page = request.url.params.get("_skip", "0") != "0"
        if request.url.path.endswith("/opportunity/") and later_page and not self.gate.is_set():
            self.waiting += 1
            await self.gate.wait()
        return await self.inner.handle_async_request(request)


async def test_escape_stops_loading_and_writes_nothing(tmp_path: Path) -> None:
    connection = demo(300)
    held = HeldPages(connection.transport)  # type: ignore[arg-type]
    app: CloseTUI = app_for(connection.replace(transport=held))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: listing(app).total == 300)
        screen = await _open_export(pilot)
        screen.query_one(Input).value = str(tmp_path / "stopped.csv")
        await pilot.press("enter")
        await wait_until(pilot, lambda: held.waiting > 0 and "Loading rows" in _hint(screen))
        assert "of 300" in _hint(screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is not screen)
        held.gate.set()
        await settle(pilot)
        assert "cancelled" in status(app).message
        assert not (tmp_path / "stopped.csv").exists()
        listing(app).focus()
        # Down to the page the export was loading (rows 100-199): the list fetches it now.
        await pilot.press(*["pagedown"] * 5)
        await wait_until(pilot, lambda: listing(app).cache.row(150) is not None)
