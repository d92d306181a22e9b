"""Compact list rows: only what the opportunity list shows and filters on (pure, no textual)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from closetui.api.pages import CUSTOM_PREFIX, DictPage

if TYPE_CHECKING:
    from closetui.api.models import Opportunity

LIST_FIELDS: tuple[str, ...] = (
    "id",
    "lead_id",
    "lead_name",
    "status_id",
    "status_label",
    "status_type",
    "value",
    "value_currency",
    "value_period",
    "confidence",
    "user_name",
    "date_won",
    "date_updated",
    "custom",
)
"""The ``_fields`` of a list page. ``custom`` asks for every ``custom.cf_...`` value (the
sandbox honours it; Close documents it for leads) — their text feeds the filter only."""

CUSTOM_TEXT_LIMIT = 80
"""Characters of one custom value kept for the filter (a long text is cut here)."""

_OBJECT_ID = re.compile(r"[a-z]{4}_[A-Za-z0-9]{12,}")
"""``user_…``, ``cont_…``: references to other objects, not text a user types."""
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T")


class ListRow(NamedTuple):
    """One opportunity as the list keeps it: a few shared strings, no model.

    Strings that repeat across rows (statuses, owners, currencies, dates) are interned,
    so 100,000 rows cost a few hundred bytes each, and each row is one object for the
    garbage collector to walk. Open the full opportunity with ``GET /opportunity/{id}/``.
    """

    id: str
    lead_name: str
    """The lead's name (its id when the API gave no name)."""
    status_id: str
    status_label: str
    status_type: str | None
    """``active`` / ``won`` / ``lost`` (None when the API did not say)."""
    value: int | None
    """Minor units (cents)."""
    value_currency: str | None
    value_period: str | None
    confidence: int | None
    user_name: str | None
    date_won: str | None
    """``YYYY-MM-DD``."""
    date_updated: str | None
    """The date part of ``date_updated`` (``YYYY-MM-DD``)."""
    search: str
    """Lowercase text the filter matches: lead, status, owner and custom values,
    one per line."""


@dataclass(frozen=True, slots=True)
class RowPage:
    """One fetched page of rows."""

    rows: list[ListRow]
    has_more: bool = False
    total_results: int | None = None

    @classmethod
    def from_page(cls, page: DictPage) -> RowPage:
        """Rows from a ``_fields`` page (see :data:`LIST_FIELDS`)."""
        return cls([row_from_json(item) for item in page.data], page.has_more, page.total_results)


def _shared(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


def _day(value: object) -> str | None:
    """The ``YYYY-MM-DD`` of an ISO date or datetime (as given, no zone change)."""
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return sys.intern(text[:10])


def _int(value: object, name: str) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"{name} is not a whole number: {value!r}")


def _custom_texts(value: Any) -> Iterator[str]:
    """The words a custom value contributes to the filter: text, numbers and dates;
    references to other objects (user / contact ids) and flags contribute nothing."""
    if isinstance(value, list | tuple):
        for item in value:
            yield from _custom_texts(item)
    elif isinstance(value, str):
        if _ISO_MOMENT.match(value):
            yield value[:10]
        elif value and not _OBJECT_ID.fullmatch(value):
            yield " ".join(value.split())[:CUSTOM_TEXT_LIMIT]
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield str(value)


def search_text(
    lead_name: str, status_label: str, user_name: str | None, custom_values: Iterable[Any]
) -> str:
    """The lowercase text the filter matches for one opportunity, one part per line."""
    parts = [lead_name, status_label, user_name or ""]
    for value in custom_values:
        parts.extend(_custom_texts(value))
    return "\n".join(parts).lower()


def _row(raw: Mapping[str, Any], custom_values: Iterable[Any]) -> ListRow:
    opportunity_id = raw.get("id")
    if not isinstance(opportunity_id, str):
        raise ValueError(f"a listed opportunity has no id: {dict(raw)!r:.80}")
    lead = raw.get("lead_name") or raw.get("lead_id") or ""
    status_id = raw.get("status_id") or ""
    label = raw.get("status_label") or raw.get("status_display_name") or status_id
    owner = raw.get("user_name")
    return ListRow(
        id=opportunity_id,
        lead_name=str(lead),
        status_id=sys.intern(str(status_id)),
        status_label=sys.intern(str(label)),
        status_type=_shared(raw.get("status_type")),
        value=_int(raw.get("value"), "value"),
        value_currency=_shared(raw.get("value_currency")),
        value_period=_shared(raw.get("value_period")),
        confidence=_int(raw.get("confidence"), "confidence"),
        user_name=_shared(owner),
        date_won=_day(raw.get("date_won")),
        date_updated=_day(raw.get("date_updated")),
        search=search_text(str(lead), str(label), owner, custom_values),
    )


def row_from_json(item: Mapping[str, Any]) -> ListRow:
    """A row from one opportunity of a list page (JSON as the API sent it)."""
    customs = (v for k, v in item.items() if k.startswith(CUSTOM_PREFIX) and v is not None)
    return _row(item, customs)


def row_from_opportunity(opportunity: Opportunity) -> ListRow:
    """A row from a full opportunity (a GET or an update's answer)."""
    raw = {
        "id": opportunity.id,
        "lead_id": opportunity.lead_id,
        "lead_name": opportunity.lead_name,
        "status_id": opportunity.status_id,
        "status_label": opportunity.status_label,
        "status_display_name": opportunity.status_display_name,
        "status_type": opportunity.status_type,
        "value": opportunity.value,
        "value_currency": opportunity.value_currency,
        "value_period": opportunity.value_period,
        "confidence": opportunity.confidence,
        "user_name": opportunity.user_name,
        "date_won": opportunity.date_won,
        "date_updated": opportunity.date_updated,
    }
    return _row(raw, opportunity.custom.values())
