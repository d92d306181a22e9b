"""SVG snapshots of server-side filtering at 80x24: the filtered header, the filter bar.

Demo sandbox, "today" frozen (tests.ui.helpers.NOW), X-TZ-Offset 0. Update with
``pytest tests/snapshots --snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.ui.helpers import app_for, demo, settle, type_text


async def _fill(pilot: Pilot[Any], owner: str) -> None:
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    await pilot.press("tab", "tab")
    await type_text(pilot, "won")
    await pilot.press("tab")
    await type_text(pilot, owner)
    await pilot.press("tab")
    await type_text(pilot, "2026-01-01")
    await pilot.press("enter")
    await settle(pilot)


async def _filtered(pilot: Pilot[Any]) -> None:
    await _fill(pilot, "Emery Okafor")


async def _bad_owner(pilot: Pilot[Any]) -> None:
    await _fill(pilot, "Ada")


def test_main_screen_with_a_filter(snap_compare: Any) -> None:
    """The header after filtering won deals of Emery Okafor won since 2026-01-01: "closetui
    demo DEMO", then "» type: won · owner: Emery Okafor ·…" cut with an ellipsis, then
    "3 opportunities" (the signed-in user left out to make room); the list holds only
    those three ✓ Won rows of Emery Okafor; the status line says "Filter applied · f
    changes it · F clears it"."""
    assert snap_compare(app_for(demo()), terminal_size=(80, 24), run_before=_filtered)


def test_filter_bar_with_an_unknown_owner(snap_compare: Any) -> None:
    """The filter bar over the unfiltered list: title "Filter (server-side)", the lines
    Pipeline and Status empty (grey placeholders), Status type "won", Owner "Ada" with
    "'Ada' is not a user for Owner." in the error colour under it (and the focus), Won
    from "2026-01-01", Won to / Query placeholders, "Save as view", then the key hint
    "enter applies · tab ↑↓ move · f2 picks · ^r saves as view · f8 clears all · esc
    cancels"; the header still says 300 opportunities with no filter."""
    assert snap_compare(app_for(demo()), terminal_size=(80, 24), run_before=_bad_owner)
