"""One opportunity being edited: its draft, and what the edits layer says about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from closetui.edits import (
    build_update_body,
    notes,
    unchecked_body,
    validate,
)
from closetui.reference import Clock, Reference, load_reference

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.exchange import RequestView
    from closetui.api.models import Opportunity
    from closetui.edits import (
        Draft,
        Note,
        OrgSchema,
    )

__all__ = ["Clock", "EditState", "Reference", "load_reference"]


@dataclass(frozen=True)
class EditState:
    """A draft against one opportunity and everything derived from it.

    ``request`` is the very ``httpx.Request`` that the send action sends; the preview
    shows ``view`` (its redacted description). Both are None when there is nothing
    to send or the draft has problems.
    """

    opportunity: Opportunity
    draft: Draft
    schema: OrgSchema
    input_problems: dict[str, str] = field(default_factory=dict)
    """Text that did not parse, by field key (that field is left out of the draft)."""
    server_errors: dict[str, str] = field(default_factory=dict)
    """``field-errors`` of the last 400 answer, by field key."""
    problems: dict[str, str] = field(default_factory=dict)
    body: dict[str, object] = field(default_factory=dict)
    request: httpx.Request | None = None
    view: RequestView | None = None
    notes: tuple[Note, ...] = ()

    @classmethod
    def build(
        cls,
        client: CloseClient,
        opportunity: Opportunity,
        draft: Draft,
        schema: OrgSchema,
        *,
        input_problems: dict[str, str] | None = None,
        server_errors: dict[str, str] | None = None,
    ) -> EditState:
        """Validate ``draft`` and build its request (only when it can be sent)."""
        inputs = dict(input_problems or {})
        problems = {**validate(opportunity, draft, schema), **inputs}
        request: httpx.Request | None = None
        view: RequestView | None = None
        if problems:
            body = unchecked_body(opportunity, draft, schema)
        else:
            body = build_update_body(opportunity, draft, schema)
            if body:
                request = client.build_update_request(opportunity.id, body)
                view = client.describe(request)
        if view is None:
            # Still show what the valid part would look like, marked as not sendable.
            view = client.describe(client.build_update_request(opportunity.id, body))
        return cls(
            opportunity=opportunity,
            draft=draft,
            schema=schema,
            input_problems=inputs,
            server_errors=dict(server_errors or {}),
            problems=problems,
            body=body,
            request=request,
            view=view,
            notes=tuple(notes(opportunity, draft, schema)),
        )

    @property
    def sendable(self) -> bool:
        """True when the draft is valid and changes something."""
        return self.request is not None

    def field_message(self, key: str) -> str | None:
        """The message to show under one field: bad input, then validation, then server."""
        return self.input_problems.get(key) or self.problems.get(key) or self.server_errors.get(key)

    def why_not_sendable(self) -> str | None:
        """A sentence saying why send would do nothing, or None when it can send."""
        if self.problems:
            count = len(self.problems)
            return f"{count} field{'s' if count != 1 else ''} to fix before sending."
        if self.request is None:
            return "Nothing to send: the draft changes no field."
        return None
