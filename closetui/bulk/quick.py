"""Quick single-key actions on one row ("won today", "lost"): a draft per opportunity."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from closetui.edits import Draft, FieldProblem

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits import OrgSchema

QuickAction = Literal["won", "lost"]
"""The actions offered on the list's current row."""

QUICK_LABELS: dict[QuickAction, str] = {"won": "Won today", "lost": "Lost"}
"""How each action reads in the footer, help and palette."""


def quick_draft(
    action: QuickAction, opportunity: Opportunity, schema: OrgSchema
) -> Draft | FieldProblem:
    """The draft that performs ``action`` on ``opportunity``, or why it can't.

    ``won``: the first won status of the opportunity's own pipeline and ``date_won`` today
    (at the profile's offset), set explicitly so the result does not depend on a date the
    row already had. ``lost``: the first lost status of its pipeline; ``date_won`` stays.
    """
    pipeline_id = schema.pipeline_id_of(opportunity)
    pipeline = next((p for p in schema.pipelines if p.id == pipeline_id), None)
    if pipeline is None:
        return FieldProblem(f"{opportunity.lead_name or opportunity.id}: its pipeline is unknown.")
    wanted = "won" if action == "won" else "lost"
    status = next((s for s in pipeline.statuses if s.type == wanted), None)
    if status is None:
        return FieldProblem(f"Pipeline {pipeline.name} has no {wanted} status.")
    draft = Draft().with_set("status_id", status.id)
    if action == "won":
        draft = draft.with_set("date_won", schema.today)
    return draft


def quick_drafts(
    action: QuickAction, schema: OrgSchema
) -> Callable[[Opportunity], Draft | FieldProblem]:
    """:func:`quick_draft` as a per-row function for :func:`closetui.bulk.plan_bulk`."""
    return lambda opportunity: quick_draft(action, opportunity, schema)
