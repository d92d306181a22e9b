"""What a send left behind, and how its failures read (pure, no textual)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from closetui.api.errors import ApiError, TransportError, ValidationError

if TYPE_CHECKING:
    from closetui.api.client import Wait
    from closetui.api.exchange import Exchange
    from closetui.api.models import Opportunity
    from closetui.api.outcome import WriteFailure
    from closetui.bulk.settle import Settled
    from closetui.edits import OrgSchema

WAIT_REASONS = {
    "rate_limited": "Rate limited by Close",
    "unavailable": "Close is unavailable (503)",
    "bad_gateway": "Bad gateway",
    "connect_failed": "Could not connect",
}
"""How each kind of retry wait is announced."""


@dataclass(frozen=True, slots=True)
class SendRecord:
    """The last send: what went out, what came back, and the opportunity before/after."""

    exchange: Exchange | None
    before: Opportunity
    after: Opportunity | None
    """None when the update was not accepted."""


def wait_message(wait: Wait) -> str:
    """``Rate limited by Close on PUT (attempt 1)``: the countdown's text."""
    reason = WAIT_REASONS.get(wait.reason, wait.reason)
    return f"{reason} on {wait.method} (attempt {wait.attempt})"


def map_field_errors(schema: OrgSchema, errors: dict[str, str]) -> dict[str, str]:
    """Close's ``field-errors`` keyed by our field keys (``cf_x`` -> ``custom.cf_x``)."""
    mapped: dict[str, str] = {}
    for key, message in errors.items():
        name = key.removesuffix(".add").removesuffix(".remove")
        for candidate in (name, "custom." + name, name + "_id"):
            if schema.spec_for_key(candidate) is not None:
                name = candidate
                break
        mapped[name] = message
    return mapped


def failure_message(exc: Exception, field_errors: dict[str, str] | None = None) -> str:
    """One line saying why a send failed, and that the draft is kept."""
    if isinstance(exc, ValidationError):
        general = "; ".join(exc.errors)
        detail = "; ".join(f"{k}: {v}" for k, v in (field_errors or {}).items())
        return f"Refused (400): {general or detail or 'bad request'} — draft kept."
    if isinstance(exc, ApiError) and exc.status in (429, 503):
        return f"Not saved: {exc} — Close did not apply it; draft kept, ctrl+r tries again."
    if isinstance(exc, ApiError):
        return f"Not saved: {exc} — draft kept (ctrl+t shows the answer)."
    if isinstance(exc, TransportError):
        if exc.connect:  # no connection was made: Close never saw the request
            return f"Could not connect: {exc} — nothing saved, draft kept."
        return (
            f"Network failure: {exc} — the change may have been saved; draft kept. "
            "Refresh (r) before sending again."
        )
    return f"Not saved: {type(exc).__name__}: {exc} — draft kept."


def unsettled_message(verdict: WriteFailure, settled: Settled) -> str:
    """One line for a send whose answer was lost, once a re-read did not find it saved."""
    if settled.found == "not_saved":
        return (
            f"Not saved ({verdict.reason}; checked: the server still has the old values) "
            "— draft kept, ctrl+r sends again."
        )
    return (
        f"Unknown whether it was saved ({verdict.reason}; {settled.text}) — draft kept. "
        "Refresh (r) and compare before sending again."
    )
