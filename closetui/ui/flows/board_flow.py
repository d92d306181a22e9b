"""A card moved on the board and sent at once (the profile's ``board_move = "send"``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closetui.api.errors import CloseError
from closetui.bulk import plan_bulk, send_bulk
from closetui.edits import Draft
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
        _send_move(main, opportunity.id, lead, target),
        group="bulk",  # counted by SendActions.is_sending: never cut off mid-request
        exit_on_error=False,
    )


async def _send_move(main: FlowHost, opp_id: str, lead: str, target: BoardStatus) -> None:
    status = main.query_one(StatusLine)
    assert main.reference is not None
    schema = main.reference.schema
    try:
        current = await main.tui.client.get_opportunity(opp_id)
    except CloseError as exc:
        status.show(f"Could not read {lead}: {exc}. Nothing sent.", "error")
        return
    plan = plan_bulk([current], lambda _: Draft().with_set("status_id", target.id), schema)
    if plan.invalid:
        status.show(f"{lead}: {plan.invalid[0].message}", "error")
        return
    if not plan.jobs:
        status.show(f"{lead} is already in {target.label}; nothing sent.")
        main.show_newer(current)
        return
    result = await send_bulk(
        main.tui.client, plan.jobs, history=main.history.history, schema=schema
    )
    (row,) = result.rows
    if row.outcome == "ok" and row.opportunity is not None:
        main.show_newer(row.opportunity)
        after = row.opportunity
        won = f", date_won {after.date_won.isoformat()}" if after.date_won else ""
        status.show(
            f"Moved {lead} → {schema.status_name(after.status_id)}{won} · u undoes", "success"
        )
    elif row.outcome == "unknown":
        status.show(f"{lead}: unknown whether it was saved: {row.message}", "error")
    else:
        status.show(f"{lead} not saved: {row.message or row.outcome}", "error")
