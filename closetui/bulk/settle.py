"""Settling a write of unknown outcome: read the opportunity again and compare it with the draft."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pydantic

from closetui.api.errors import CloseError
from closetui.bulk.stale import fetch_opportunity
from closetui.edits import current_value, same, unchecked_body

if TYPE_CHECKING:
    from closetui.api.client import BeforeAttempt, CloseClient
    from closetui.api.exchange import OnExchange
    from closetui.api.models import Opportunity
    from closetui.edits import Draft, OrgSchema

Found = Literal["saved", "not_saved", "unclear"]
"""``saved``: the server has the draft's values; ``not_saved``: it still has the values
the draft was made from; ``unclear``: the re-read failed, or the server has something else."""

FOUND_TEXT: dict[Found, str] = {
    "saved": "it was saved",
    "not_saved": "it was not saved",
    "unclear": "could not tell whether it was saved",
}
"""How each finding reads after "checked:"."""


@dataclass(frozen=True, slots=True)
class Settled:
    """What a re-read found about a write whose answer was lost or unreadable."""

    found: Found
    current: Opportunity | None = None
    """The opportunity as the re-read returned it (None when the re-read failed)."""
    problem: str = ""
    """Why it could not tell (the re-read's error, or what differs)."""

    @property
    def text(self) -> str:
        """``it was saved`` / ``it was not saved`` / ``could not tell …``."""
        detail = f" ({self.problem})" if self.problem else ""
        return FOUND_TEXT[self.found] + detail


def compare(
    current: Opportunity,
    draft: Draft | None,
    schema: OrgSchema | None,
    before: Opportunity | None,
) -> Found:
    """Does ``current`` (re-read) hold the draft's values, the ones it was made from
    (``before``), or something else? Without a draft only an untouched ``before`` can
    say anything ("not saved")."""
    if draft is not None and schema is not None and not unchecked_body(current, draft, schema):
        return "saved"  # it has every value of the draft
    if before is not None and current.date_updated == before.date_updated:
        return "not_saved"  # nobody wrote to it at all since the draft's base
    if draft is None or schema is None or before is None:
        return "unclear"
    for key in draft.changes:
        spec = schema.spec_for_key(key)
        if spec is None or not same(current_value(current, spec), current_value(before, spec)):
            return "unclear"
    return "not_saved"


async def settle_write(
    client: CloseClient,
    opportunity_id: str,
    draft: Draft | None,
    schema: OrgSchema | None,
    before: Opportunity | None,
    *,
    before_attempt: BeforeAttempt | None = None,
    on_exchange: OnExchange | None = None,
) -> Settled:
    """GET the opportunity again and say whether the lost write was saved (the hooks
    are :meth:`~closetui.api.client.CloseClient.send`'s: a bulk send's pacing)."""
    try:
        current = await fetch_opportunity(
            client, opportunity_id, before_attempt=before_attempt, on_exchange=on_exchange
        )
    except (CloseError, pydantic.ValidationError) as exc:
        return Settled("unclear", problem=f"re-read failed: {exc}")
    found = compare(current, draft, schema, before)
    problem = "it has other values than both your change and before" if found == "unclear" else ""
    return Settled(found, current, problem)
