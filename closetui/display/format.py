"""How values look on screen: money, dates, confidence, status kinds (pure functions)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol


class HasStatus(Protocol):
    """Anything carrying an opportunity's status: a full opportunity or a list row."""

    @property
    def status_id(self) -> str: ...
    @property
    def status_label(self) -> str | None: ...
    @property
    def status_type(self) -> str | None: ...


_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$"}
_PERIODS = {"one_time": "", "monthly": "/mo", "annual": "/yr"}
_PERIOD_NAMES = {"one_time": "one-time", "monthly": "monthly", "annual": "annual"}


def money(cents: int | None, currency: str | None = "USD", period: str | None = None) -> str:
    """``$1,250`` / ``$99.50/mo`` from minor units; empty for no value."""
    if cents is None:
        return ""
    symbol = _SYMBOLS.get(currency or "USD", f"{currency} ")
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    amount = f"{whole:,}" if rest == 0 else f"{whole:,}.{rest:02d}"
    return f"{sign}{symbol}{amount}{_PERIODS.get(period or '', '')}"


def period_name(period: str | None) -> str:
    """``one-time`` / ``monthly`` / ``annual``."""
    return _PERIOD_NAMES.get(period or "", period or "")


def short_date(value: date | datetime | str | None) -> str:
    """``2026-06-19`` (dates, datetimes and ISO text alike); empty for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:10]
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat()


def confidence(value: int | None) -> str:
    """``80%``; empty for None."""
    return "" if value is None else f"{value}%"


def status_kind(opportunity: HasStatus) -> str:
    """``active`` / ``won`` / ``lost`` (active when the API did not say)."""
    return opportunity.status_type or "active"


def status_text(opportunity: HasStatus) -> str:
    """The status label as the list shows it, with a mark for won and lost."""
    display_name = getattr(opportunity, "status_display_name", None)
    label = opportunity.status_label or display_name or opportunity.status_id
    kind = status_kind(opportunity)
    mark = {"won": "✓ ", "lost": "✗ "}.get(kind, "")
    return f"{mark}{label}"


def display(value: Any) -> str:
    """Any field value as one short line (lists joined by commas, None as a dash)."""
    if value is None or value == "" or value == () or value == []:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(display(item) for item in value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def one_line(text: str | None, limit: int = 200) -> str:
    """Text on one line (newlines as spaces), cut to ``limit`` characters."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
