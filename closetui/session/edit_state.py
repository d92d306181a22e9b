"""One opportunity being edited: its draft, and what the edits layer says about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from closetui.edits import (
    build_update_body,
    notes,
    unchecked_body,
    validate,
)
from closetui.reference import Clock, Reference, load_reference

if TYPE_CHECKING:
    import httpx

    from closetui.api.client import CloseClient
    from closetui.api.exchange import RequestView
    from closetui.api.models import Opportunity
    from closetui.edits import (
        Draft,
        Note,
        OrgSchema,
    )

__all__ = ["Clock", "EditState", "Reference", "load_reference"]


class RequestNotPreviewed(Exception):
    """The request to send is not the one the preview showed."""

    def __str__(self) -> str:
        return "The request changed since it was previewed: check the preview, then send again."


@dataclass(frozen=True)
class EditState:
    """A draft against one opportunity and everything derived from it.

    The preview shows ``view``, the redacted description of the request that sending
    builds (:meth:`request`); ``sendable`` is False when there is nothing to send or
    the draft has problems (``view`` then shows the valid part).
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
        """Validate ``draft`` and describe its request (:attr:`view`, always; the
        request itself is built when sending, :meth:`request`)."""
        inputs = dict(input_problems or {})
        problems = {**validate(opportunity, draft, schema), **inputs}
        if problems:  # still show what the valid part would look like, not sendable
            body = unchecked_body(opportunity, draft, schema)
        else:
            body = build_update_body(opportunity, draft, schema)
        return cls(
            opportunity=opportunity,
            draft=draft,
            schema=schema,
            input_problems=inputs,
            server_errors=dict(server_errors or {}),
            problems=problems,
            body=body,
            view=client.describe_update(opportunity.id, body),
            notes=tuple(notes(opportunity, draft, schema)),
        )

    @property
    def sendable(self) -> bool:
        """True when the draft is valid and changes something."""
        return not self.problems and bool(self.body)

    def rebuilt(
        self, client: CloseClient, *, server_errors: dict[str, str] | None = None
    ) -> EditState:
        """The same draft built again by ``client`` (with other ``server_errors``)."""
        return type(self).build(
            client,
            self.opportunity,
            self.draft,
            self.schema,
            input_problems=self.input_problems,
            server_errors=self.server_errors if server_errors is None else server_errors,
        )

    def request(self, client: CloseClient) -> httpx.Request:
        """The request that sends the draft, built now by ``client``.

        :class:`RequestNotPreviewed` when it is not the request :attr:`view` shows
        (the client's settings changed since): nothing is sent that was not previewed.
        """
        request = client.build_update_request(self.opportunity.id, self.body)
        if client.describe(request) != self.view:
            raise RequestNotPreviewed
        return request

    def field_message(self, key: str) -> str | None:
        """The message to show under one field: bad input, then validation, then server."""
        return self.input_problems.get(key) or self.problems.get(key) or self.server_errors.get(key)

    def why_not_sendable(self) -> str | None:
        """A sentence saying why send would do nothing, or None when it can send."""
        if self.problems:
            count = len(self.problems)
            return f"{count} field{'s' if count != 1 else ''} to fix before sending."
        if not self.sendable:
            return "Nothing to send: no field changed."
        return None
