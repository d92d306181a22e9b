"""Filters for listing opportunities, turned into Close's query parameters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

_IN_FIELDS = ("status_id", "status_type", "user_id", "value_period", "status_label")
ORDER_FIELDS: tuple[str, ...] = (
    "date_won",
    "date_updated",
    "date_created",
    "confidence",
    "user_name",
    "value",
    "annualized_value",
    "annualized_expected_value",
)
"""What Close can order opportunities by (``_order_by``; ``-`` prefixed for descending)."""


def check_order_by(text: str) -> str:
    """``text`` if it is one of :data:`ORDER_FIELDS`, maybe ``-`` prefixed; else ValueError."""
    if text.removeprefix("-") not in ORDER_FIELDS:
        raise ValueError(
            "expected one of " + ", ".join(ORDER_FIELDS) + " (prefixed with - for descending)"
        )
    return text


@dataclass(frozen=True, slots=True)
class OpportunityQuery:
    """What to list; ``None`` means no filter. Tuple values use the ``__in`` form."""

    status_id: str | tuple[str, ...] | None = None
    status_type: str | tuple[str, ...] | None = None
    status_label: str | tuple[str, ...] | None = None
    user_id: str | tuple[str, ...] | None = None
    value_period: str | tuple[str, ...] | None = None
    lead_id: str | None = None
    query: str | None = None
    """Close's opportunity search text, e.g. ``note:important``."""
    date_won: date | None = None
    date_won__gt: date | None = None
    date_won__gte: date | None = None
    date_won__lt: date | None = None
    date_won__lte: date | None = None
    date_updated__gt: str | None = None
    """Changed after this moment: an ISO timestamp, offset included, sent as given."""
    order_by: str | None = None
    """A field name, ``-`` prefixed for descending (``-date_updated``)."""

    PARAM_ORDER = (
        "status_id",
        "status_type",
        "status_label",
        "user_id",
        "value_period",
        "lead_id",
        "query",
        "date_won",
        "date_won__gt",
        "date_won__gte",
        "date_won__lt",
        "date_won__lte",
        "date_updated__gt",
        "order_by",
    )
    """The order of the query parameters (the fields' order as declared)."""

    def params(self) -> dict[str, str]:
        """The query parameters for ``GET /opportunity/``."""
        out: dict[str, str] = {}
        for name in self.PARAM_ORDER:
            value = getattr(self, name)
            if value is None:
                continue
            if name == "order_by":
                out["_order_by"] = value
            elif name in _IN_FIELDS and isinstance(value, tuple):
                if len(value) == 1:
                    out[name] = value[0]
                else:
                    out[f"{name}__in"] = ",".join(value)
            elif isinstance(value, date):
                out[name] = value.isoformat()
            else:
                out[name] = str(value)
        return out
