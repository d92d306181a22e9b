"""SVG snapshots of the pipeline board at 80x24 and 120x40.

Demo sandbox, "today" frozen (tests.ui.helpers.NOW), X-TZ-Offset 0, data seeded at the
fixed anchor. Update with ``pytest tests/snapshots --snapshot-update`` and look at the
SVGs before committing them.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.ui.helpers import app_for, demo, settle


async def _board(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("B")
    await settle(pilot)
    await pilot.press("j")
    await settle(pilot)


async def _moved(pilot: Pilot[Any]) -> None:
    await _board(pilot)
    await pilot.press("L")
    await settle(pilot)


def test_board_at_80x24(snap_compare: Any) -> None:
    """The Sales board alone: three columns (Qualified 33, Demo Completed 43, Proposal
    Sent 40), each header with its count on the right, "$… value" and "$… expected" from
    the server's aggregates and a rule (heavy under the cursor's column); cards of three
    lines (lead in bold, value · confidence, owner); the cursor on the second card of
    Qualified; the status line "Board: Sales · h/l columns · H/L move a card · [ ]
    pipelines · B list"."""
    assert snap_compare(app_for(demo()), terminal_size=(80, 24), run_before=_board)


def test_board_at_120x40_after_a_move(snap_compare: Any) -> None:
    """The board (three columns) beside the editor and the preview after L on the second
    card of Qualified: the card shows a draft dot and "→ Demo Completed" in the warning
    colour, the editor shows Status Qualified (Sales) → Demo Completed (Sales), the
    preview a PUT with {"status_id": …}; the status line "… → Demo Completed (draft) ·
    ctrl+r sends"."""
    assert snap_compare(app_for(demo()), terminal_size=(120, 40), run_before=_moved)
