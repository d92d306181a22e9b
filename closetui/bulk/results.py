"""Per-row outcomes of a bulk send and the run's summary; which failures are safe to retry."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import pydantic

from closetui.api.errors import ApiError, CloseError, TransportError, ValidationError
from closetui.api.exchange import Exchange
from closetui.api.models import Opportunity
from closetui.api.outcome import classify_write_error
from closetui.bulk.plan import Job
from closetui.bulk.stale import StaleChange

Outcome = Literal["ok", "failed", "unknown", "not_sent", "stale"]
"""``ok`` saved; ``failed`` refused or never reached the server (safe to retry);
``unknown`` may or may not have been saved (check before retrying); ``not_sent``
cancelled before it started; ``stale`` not sent: someone changed the row meanwhile."""

UNKNOWN_HINT = "it may have been saved — check before retrying"
"""What an ``unknown`` row's message ends with."""

DEFAULT_CONCURRENCY = 6
"""Requests in flight at most (httpx slows down past about 8)."""

OnRow = Callable[["RowResult"], Awaitable[None] | None]
"""Called with each row's result as it completes (may be a coroutine function)."""


@dataclass(frozen=True)
class RowResult:
    """What happened to one job."""

    index: int
    """Position of the job in the list given to :func:`send_bulk`."""
    job: Job
    outcome: Outcome
    opportunity: Opportunity | None = None
    """The updated opportunity (ok), or the current one (stale, or checked unknown)."""
    status: int | None = None
    message: str = ""
    """Why it failed / is unknown / was not sent, as one line for the user."""
    errors: tuple[str, ...] = ()
    field_errors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Close's ``field-errors`` of a 400, by the key Close used."""
    exchange: Exchange | None = field(default=None, repr=False)
    """The last attempt of the PUT (None when it never went out)."""
    stale: StaleChange | None = None
    history_id: str | None = None
    """The history entry of this row's PUT, when a history was given."""


@dataclass(frozen=True)
class BulkResult:
    """Every row's result (in job order) and how the run went."""

    batch: str
    """Id shared by the run, its retries and their history entries."""
    rows: tuple[RowResult, ...]
    cancelled: bool = False
    elapsed: float = 0.0
    rate_limited: int = 0
    """429 answers seen (each waited out and retried by the client)."""
    paused: float = 0.0
    """Seconds the pacer held requests back to stay within the rate limit."""

    def having(self, *outcomes: Outcome) -> list[RowResult]:
        """The rows with one of these outcomes."""
        return [row for row in self.rows if row.outcome in outcomes]

    @property
    def ok(self) -> list[RowResult]:
        """Rows saved."""
        return self.having("ok")

    @property
    def failed(self) -> list[RowResult]:
        """Rows refused or not reached: what :func:`retry_failed` sends again."""
        return self.having("failed")

    @property
    def unknown(self) -> list[RowResult]:
        """Rows that may have been saved: see :func:`verify_unknown`."""
        return self.having("unknown")

    @property
    def not_sent(self) -> list[RowResult]:
        """Rows cancelled before they started."""
        return self.having("not_sent")

    @property
    def stale(self) -> list[RowResult]:
        """Rows held back because someone else changed them."""
        return self.having("stale")

    def reasons(self) -> Counter[str]:
        """How often each failure message occurred."""
        return Counter(row.message for row in self.failed)

    def summary(self) -> str:
        """``18 saved, 1 failed (HTTP 400: ... x1), 2 not sent``: the closing line."""
        parts = [f"{len(self.ok)} saved"]
        if self.failed:
            why = "; ".join(f"{m} x{n}" for m, n in self.reasons().most_common(3))
            parts.append(f"{len(self.failed)} failed ({why})")
        if self.unknown:
            parts.append(f"{len(self.unknown)} unknown — check before retrying")
        if self.stale:
            parts.append(f"{len(self.stale)} changed by someone else (not sent)")
        if self.not_sent:
            parts.append(f"{len(self.not_sent)} not sent")
        if self.rate_limited:
            parts.append(f"{self.rate_limited} rate-limit answers waited out")
        return ", ".join(parts)


def new_batch_id() -> str:
    """A fresh batch id (``batch_`` and 12 hex digits)."""
    return "batch_" + secrets.token_hex(6)


def success(index: int, job: Job, data: Any, exchange: Exchange | None) -> RowResult:
    """The row of a 2xx answer: saved when it is an opportunity; otherwise ``unknown``
    (a proxy's page or a cut-off body says nothing about the write)."""
    status = exchange.status if exchange else None
    try:
        opportunity = Opportunity.model_validate(data)
    except pydantic.ValidationError:
        message = f"HTTP {status} but the answer is not an opportunity: {UNKNOWN_HINT}"
        return RowResult(index, job, "unknown", None, status, message, exchange=exchange)
    return RowResult(index, job, "ok", opportunity, status, exchange=exchange)


def failure(index: int, job: Job, exc: CloseError, exchange: Exchange | None) -> RowResult:
    """The row of an error: refused or never reached (``failed``, safe to send again)
    versus maybe saved (``unknown``: a PUT is never retried after a lost answer)."""
    verdict = classify_write_error(exc)
    if verdict.unknown:
        message = f"{verdict.reason}: {UNKNOWN_HINT}"
        return RowResult(index, job, "unknown", None, verdict.status, message, exchange=exchange)
    if isinstance(exc, TransportError):
        return RowResult(index, job, "failed", message=f"not sent: {exc}", exchange=exchange)
    status = exc.status if isinstance(exc, ApiError) else None
    if isinstance(exc, ValidationError):
        return RowResult(
            index,
            job,
            "failed",
            None,
            status,
            str(exc),
            tuple(exc.errors),
            MappingProxyType(dict(exc.field_errors)),
            exchange,
        )
    return RowResult(index, job, "failed", None, status, str(exc), exchange=exchange)
