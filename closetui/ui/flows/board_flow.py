"""A card moved on the board and sent at once (the profile's ``board_move = "send"``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closetui.edits import Draft
from closetui.ui.flows.bulk_flow import send_now
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.display.board import BoardStatus
    from closetui.ui.flows.host import FlowHost


def send_move(main: FlowHost, opportunity: Opportunity, target: BoardStatus) -> None:
    """Send ``opportunity``'s move to ``target`` now, as ``W`` / ``L`` send theirs: read it
    again, send only the status, keep it in the history (``u`` undoes it)."""
    status = main.query_one(StatusLine)
    if main.is_sending:
        status.show("Requests are on their way; move it once they have answered.", "warning")
        return
    lead = opportunity.lead_name or opportunity.id
    status.show(f"Moving {lead} → {target.label} …")
    main.run_worker(
        send_now(main, opportunity.id, lead, "Move", Draft().with_set("status_id", target.id)),
        group="bulk",  # counted by SendActions.is_sending: never cut off mid-request
        exit_on_error=False,
    )
