"""The organization data editing needs (me, pipelines, users, custom fields), loaded once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from closetui.edits import OrgSchema

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.models import Me

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
"""Symbols for an organisation that reports its currency but not its symbol."""

Clock = Callable[[], datetime]
"""Returns an aware "now"; frozen in tests so "today" is fixed."""


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Reference:
    """The caller, and the org schema that drafts are parsed and validated against."""

    me: Me
    schema: OrgSchema
    currency: str


async def load_reference(client: CloseClient, now: Clock = utc_now) -> Reference:
    """``/me/``, pipelines, users and custom fields, fetched concurrently."""
    me, pipelines, users, fields = await asyncio.gather(
        client.me(), client.list_pipelines(), client.list_users(), client.custom_fields()
    )
    org = me.organizations[0] if me.organizations else None
    currency = (org.currency if org else None) or "USD"
    schema = OrgSchema.at(
        now(),
        pipelines=pipelines,
        custom_fields=fields,
        users=users,
        role=me.role_in(org.id) if org else None,
        tz_offset=client.tz_offset,
        currency=currency,
        currency_symbol=(org.currency_symbol if org else None) or _SYMBOLS.get(currency, ""),
    )
    return Reference(me=me, schema=schema, currency=currency)
