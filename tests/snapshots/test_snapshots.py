"""SVG snapshots of the main screen, a dirty draft, the inspector and help (80x24, 120x40).

Every snapshot runs the demo sandbox with "today" frozen (tests.ui.helpers.NOW), a fixed
seed, cursor blink and animations off, and the client's clock stubbed so the inspector's
elapsed time is always 0 ms. Update with ``pytest tests/snapshots --snapshot-update`` and
look at the SVGs before committing them.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from textual.pilot import Pilot

import closetui.api.client as client_module
from tests.ui.helpers import (
    app_for,
    demo,
    first_matching,
    open_row,
    pick,
    replace_text,
    settle,
)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def _frozen_elapsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exchanges take 0 ms, so the inspector's timing line never changes."""
    monkeypatch.setattr(client_module, "time", SimpleNamespace(perf_counter=lambda: 0.0))


def _active_sales(opp: Any) -> bool:
    return opp.status_type == "active" and opp.date_won is None and opp.pipeline_name == "Sales"


async def _dirty_draft(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await open_row(pilot, first_matching(pilot.app, _active_sales))
    await pick(pilot, "status_id", "sales won")
    await replace_text(pilot, "value", "2,500")
    await replace_text(pilot, "date_won", "31/12")


async def _sent(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await open_row(pilot, first_matching(pilot.app, _active_sales))
    await pick(pilot, "status_id", "sales won")
    await replace_text(pilot, "confidence", "95")
    await pilot.press("ctrl+r")
    await settle(pilot)
    await pilot.press("ctrl+t")
    await settle(pilot)


async def _help(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("f1")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    """The list filled from the sandbox: header "closetui  demo" with the DEMO badge and
    "300 opportunities · Alex Morgan @ Sandbox Sales Co."; 80 wide: columns Lead, Status,
    Value, Conf, Owner, Won over the whole width; 120 wide: Lead, Status, Value, Conf, Won
    on the left and, on the right, "Nothing open: pick an opportunity…" above the Request
    pane saying "Open an opportunity to see its request.". Won rows green (✓, with their date), lost
    rows red (✗); the cursor on the first row (Falcon Biotech); the status line says
    "Ready…"; the footer lists Edit, Status, Sort, Refresh, Send (dimmed: nothing open),
    Response, Quit, Help (cut short at 80), f9 Profile (120 wide) and ^p Commands."""
    assert snap_compare(app_for(demo()), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_edit_pane_with_a_dirty_draft(snap_compare: Any, size: tuple[int, int]) -> None:
    """Falcon Biotech (Sales · Contract Sent) opened for editing: Status picked as
    "Won (Sales)" with "Contract Sent (Sales) → Won (Sales)" under it, Value
    "$120,000 → $2,500", Date won red with "Date won: '31/12' is not a date; use
    YYYY-MM-DD, …" in place under the field (and the input focused). 80 wide: only the
    editor pane. 120 wide: the list on the left with a dot on the drafted row; the Request
    pane starts with "✗ 1 field to fix before sending.", the date message, "(i) The server
    will set date_won to 2026-11-28 (today at UTC+0).", then the PUT with its redacted
    authorization, x-tz-offset 0 and the body holding status_id and value only."""
    assert snap_compare(app_for(demo()), terminal_size=size, run_before=_dirty_draft)


@pytest.mark.parametrize("size", SIZES)
def test_response_inspector_after_a_send(snap_compare: Any, size: tuple[int, int]) -> None:
    """The inspector after sending status Won + confidence 95: "HTTP 200 in 0 ms" in
    green, the PUT line with X-TZ-Offset 0, "Rate limit: no headers", then "Changes
    (before → after)" with the sent fields first in bold (confidence 90 → 95, status_id
    → the Won id) and the server-derived ones after them (date_won null → 2026-11-28,
    date_updated → 2026-11-28T15:00:00Z, status_label Contract Sent → Won, updated_by…);
    the response headers; the highlighted JSON body with line numbers (120 wide). Old
    values struck through in the diff-removed colour (red), new ones bold in diff-added
    (green). The footer lists Back, Search, Next, Previous, Copy body, Copy curl."""
    assert snap_compare(app_for(demo()), terminal_size=size, run_before=_sent)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    """The Keys modal over the (dimmed) list: "Available now" for the focused list —
    ↑/k, ↓/j, home/g, end/G, pgup, pgdn, ⏎/e Edit, s Status, o Sort, O Reverse sort,
    r Refresh, tab, shift+tab, B Board, ^r/f5 "Send (not now)", ^t/f6 Response, f Filter,
    F Clear filters, v Views, b Bulk edit, W Won today, L Lost, w Open in Close, ^q, f1/?,
    f9 Profile (^p below, scrolled to) — each with its binding id (list.up …, main.open_web);
    120 high: then "Everywhere" (quit, help, app.switch_profile, palette) and "Main screen"
    sections; "Live: off (poll_seconds = 0)" (the tests' demo does not poll) and "esc closes ·
    j/k scroll …" at the bottom of the box, "closetui 0.1.0" on its bottom border."""
    assert snap_compare(app_for(demo()), terminal_size=size, run_before=_help)
