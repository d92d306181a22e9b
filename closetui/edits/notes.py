"""What the user should know before sending a draft, as data the UI can render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from closetui.edits.values import Cleared, SetTo

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits.draft import Draft
    from closetui.edits.schema import OrgSchema

NoteCode = Literal[
    "won_sets_date_won",
    "won_date_won_cleared",
    "unwon_keeps_date_won",
    "pipeline_change",
    "date_won_not_won",
    "date_won_in_future",
]
"""Stable identifiers of the notes (the UI may style or attach actions by code)."""

NoteAction = Literal["clear_date_won"]
"""An action the UI can offer next to a note."""


@dataclass(frozen=True)
class Note:
    """One thing the server will do (or not do) that the draft alone does not show."""

    code: NoteCode
    field: str
    """The field key the note concerns (``status_id``, ``date_won``)."""
    message: str
    action: NoteAction | None = None
    """An action that resolves the note, e.g. clearing ``date_won``."""


def _as_date(value: object) -> date | None:
    return value if isinstance(value, date) and not isinstance(value, datetime) else None


def notes(opportunity: Opportunity, draft: Draft, schema: OrgSchema) -> list[Note]:
    """Notes for sending ``draft`` to ``opportunity`` (never raises on invalid drafts)."""
    old_status = opportunity.status_id
    status_change = draft.change("status_id")
    new_status = old_status
    if isinstance(status_change, SetTo) and isinstance(status_change.value, str):
        new_status = status_change.value
    old_won = schema.is_won(old_status) or (
        schema.status(old_status) is None and opportunity.status_type == "won"
    )
    moved = new_status != old_status
    new_won = schema.is_won(new_status) if moved else old_won
    date_change = draft.change("date_won")
    old_date = opportunity.date_won
    new_date = old_date
    if isinstance(date_change, SetTo):
        new_date = _as_date(date_change.value)
    elif isinstance(date_change, Cleared):
        new_date = None
    today = f"{schema.today.isoformat()} (today at {schema.offset_label})"
    today_is = f"today is {schema.today.isoformat()} at {schema.offset_label}"
    out: list[Note] = []
    if moved and new_won and new_date is None:
        if old_date is None:
            message = f"The server will set date_won to {today}."
            out.append(Note("won_sets_date_won", "date_won", message))
        else:
            message = (
                f"date_won is cleared in the request that moves to "
                f"{schema.status_name(new_status)}; Close may set it to {today} instead."
            )
            out.append(Note("won_date_won_cleared", "date_won", message))
    if moved and old_won and not new_won and old_date is not None and date_change is None:
        message = (
            f"Leaving {schema.status_name(old_status)} keeps date_won {old_date.isoformat()}; "
            "clear it if the deal is no longer won."
        )
        out.append(Note("unwon_keeps_date_won", "date_won", message, "clear_date_won"))
    old_pipeline = schema.pipeline_of(old_status)
    new_pipeline = schema.pipeline_of(new_status)
    old_pipeline_id = old_pipeline.id if old_pipeline else opportunity.pipeline_id
    old_pipeline_name = old_pipeline.name if old_pipeline else opportunity.pipeline_name
    if moved and new_pipeline and old_pipeline_id and new_pipeline.id != old_pipeline_id:
        message = (
            f"Moves from pipeline {old_pipeline_name or old_pipeline_id} to {new_pipeline.name}."
        )
        out.append(Note("pipeline_change", "status_id", message))
    if isinstance(date_change, SetTo) and new_date is not None and new_date != old_date:
        if not new_won:
            status = schema.status_name(new_status)
            message = f"date_won is set to {new_date.isoformat()} but {status} is not a won status."
            out.append(Note("date_won_not_won", "date_won", message))
        if new_date > schema.today:
            message = f"date_won {new_date.isoformat()} is in the future ({today_is})."
            out.append(Note("date_won_in_future", "date_won", message))
    return out
