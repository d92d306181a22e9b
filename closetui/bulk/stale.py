"""The stale-edit guard: did someone change the opportunity since the draft began?"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from closetui.api.ids import opportunity_path
from closetui.api.models import Opportunity, OpportunityPage
from closetui.edits import (
    Draft,
    MultiEdit,
    apply_change,
    current_value,
    same,
    validate,
)

if TYPE_CHECKING:
    from closetui.api.client import BeforeAttempt, CloseClient
    from closetui.api.exchange import Exchange, OnExchange
    from closetui.edits import (
        OrgSchema,
    )

_BOOKKEEPING = frozenset({"date_updated", "updated_by", "updated_by_name"})


@dataclass(frozen=True)
class StaleChange:
    """The opportunity moved on since the draft was based on it."""

    current: Opportunity
    """As it is now on the server."""
    changed_fields: tuple[str, ...]
    """Field keys someone else changed (empty when only a ``date_updated`` was known)."""
    based_on: datetime | None
    """The ``date_updated`` the draft was based on."""

    def conflicts(self, draft: Draft) -> tuple[str, ...]:
        """Changed fields the draft also touches: sending would replace their value."""
        return tuple(key for key in self.changed_fields if key in draft.changes)


def changed_fields(
    old: Opportunity, new: Opportunity, schema: OrgSchema | None = None
) -> tuple[str, ...]:
    """Keys whose value differs: schema fields (built-ins, then custom) when a schema is
    given, else every JSON key except ``date_updated``/``updated_by*``."""
    if schema is not None:
        return tuple(
            spec.key
            for spec in schema.specs()
            if not same(current_value(old, spec), current_value(new, spec))
        )
    a, b = old.model_dump(mode="json"), new.model_dump(mode="json")
    keys = [k for k in {**a, **b} if k not in _BOOKKEEPING]
    return tuple(sorted(k for k in keys if a.get(k) != b.get(k)))


def stale_change(
    based_on: Opportunity | datetime | None,
    current: Opportunity,
    schema: OrgSchema | None = None,
) -> StaleChange | None:
    """None when ``current`` is still the version the draft was based on."""
    if based_on is None:
        return None
    stamp = based_on.date_updated if isinstance(based_on, Opportunity) else based_on
    if current.date_updated == stamp:
        return None
    fields = changed_fields(based_on, current, schema) if isinstance(based_on, Opportunity) else ()
    return StaleChange(current, fields, stamp)


async def fetch_opportunity(
    client: CloseClient,
    opportunity_id: str,
    *,
    before_attempt: BeforeAttempt | None = None,
    on_exchange: OnExchange | None = None,
) -> Opportunity:
    """``GET /opportunity/{id}/`` with optional per-call hooks (the bulk pacer's)."""
    request = client.build_request("GET", opportunity_path(opportunity_id))
    data: Any = await client.send(request, before_attempt=before_attempt, on_exchange=on_exchange)
    return Opportunity.model_validate(data)


async def list_page(
    client: CloseClient,
    params: Mapping[str, str],
    *,
    before_attempt: BeforeAttempt | None = None,
    on_exchange: OnExchange | None = None,
) -> OpportunityPage:
    """``GET /opportunity/`` with ``params`` (full objects: no ``_fields``), with hooks."""
    request = client.build_request("GET", "opportunity/", params=params)
    data: Any = await client.send(request, before_attempt=before_attempt, on_exchange=on_exchange)
    return OpportunityPage.model_validate(data)


def server_time(exchange: Exchange | None) -> datetime | None:
    """The answer's ``Date`` (whole seconds, aware), or None when absent or unreadable."""
    if exchange is None or exchange.status is None:
        return None
    for name, value in exchange.response_headers:
        if name.lower() == "date":
            try:
                moment = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            return moment if moment.tzinfo is not None else None
    return None


async def check_stale(
    client: CloseClient,
    opportunity_id: str,
    based_on: Opportunity | datetime | None,
    schema: OrgSchema | None = None,
) -> StaleChange | None:
    """A fresh GET just before sending: None when nobody changed the opportunity since
    ``based_on`` (the opportunity the draft began from, or its ``date_updated``), else
    what changed. Raises the client's errors (e.g. NotFound when it was deleted)."""
    return stale_change(based_on, await client.get_opportunity(opportunity_id), schema)


@dataclass(frozen=True)
class Rebased:
    """A draft moved onto a newer version of its opportunity."""

    draft: Draft
    """The user's changes that still change something, against the new version."""
    dropped: tuple[str, ...]
    """Keys whose change the new version already has (someone made the same edit)."""
    overwrites: tuple[str, ...]
    """Keys the draft sets (or clears) that someone else also changed: their value will be
    replaced. Multi-value additions/removals merge with theirs, so they are not listed."""
    problems: Mapping[str, str]
    """Validation of :attr:`draft` against the new version (empty: ready to send)."""


def rebase(draft: Draft, old: Opportunity | None, new: Opportunity, schema: OrgSchema) -> Rebased:
    """Keep the user's changes on top of ``new``: the draft is already a set of changes,
    so this re-validates it against ``new`` and drops the ones that became no-ops.

    Multi-value additions/removals apply to the new list, so someone else's items stay.
    ``old`` (the version the draft began from) only serves to name ``overwrites``.
    """
    kept = Draft()
    dropped: list[str] = []
    for key, change in draft.changes.items():
        spec = schema.spec_for_key(key)
        if spec is not None:
            now = current_value(new, spec)
            if same(apply_change(spec, now, change), now):
                dropped.append(key)
                continue
        kept = kept.with_change(key, change)
    overwrites: tuple[str, ...] = ()
    if old is not None:
        touched = set(changed_fields(old, new, schema))
        overwrites = tuple(
            key
            for key, change in kept.changes.items()
            if key in touched and not isinstance(change, MultiEdit)  # additions merge
        )
    return Rebased(kept, tuple(dropped), overwrites, validate(new, kept, schema))
