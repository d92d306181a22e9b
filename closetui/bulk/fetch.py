"""Read many opportunities in full (for a bulk plan), paced like the bulk sender."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pydantic

from closetui.api.errors import CloseError
from closetui.bulk.pacer import NotStarted, Pacer
from closetui.bulk.results import DEFAULT_CONCURRENCY
from closetui.bulk.stale import fetch_opportunity

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.exchange import Exchange
    from closetui.api.models import Opportunity


@dataclass
class Fetched:
    """The opportunities read, in the order asked, and why the others could not be."""

    opportunities: list[Opportunity] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    """Why an id could not be read, by id."""
    cancelled: bool = False

    def summary(self) -> str:
        """``Read 48 of 50; 2 failed (first: Not found)``."""
        total = len(self.opportunities) + len(self.failures)
        text = f"Read {len(self.opportunities):,} of {total:,}"
        if self.failures:
            first = next(iter(self.failures.values()))
            text += f"; {len(self.failures):,} failed (first: {first})"
        return text + (" — cancelled" if self.cancelled else "")


async def fetch_many(
    client: CloseClient,
    ids: Sequence[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: asyncio.Event | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_pause: Callable[[float], None] | None = None,
) -> Fetched:
    """``GET`` each id (``concurrency`` at a time, within the advertised rate limit).

    ``on_progress(done, total)`` after each answer. A set ``cancel`` stops new reads.
    """
    cancel = cancel if cancel is not None else asyncio.Event()
    pacer = Pacer(on_pause=on_pause)
    found: dict[str, Opportunity] = {}
    failures: dict[str, str] = {}
    queue = iter(dict.fromkeys(ids))
    done = 0

    async def one(opportunity_id: str) -> None:
        ticket: int | None = None

        async def before_attempt(attempt: int) -> None:
            nonlocal ticket
            ticket = await pacer.acquire(cancel.is_set if attempt == 1 else None)

        def seen(exchange: Exchange) -> None:
            if ticket is not None:
                pacer.observe(ticket, exchange)

        try:
            found[opportunity_id] = await fetch_opportunity(
                client, opportunity_id, before_attempt=before_attempt, on_exchange=seen
            )
        except NotStarted:
            return
        except (CloseError, pydantic.ValidationError) as exc:
            failures[opportunity_id] = str(exc)
        finally:
            pacer.settle(ticket)

    async def worker() -> None:
        nonlocal done
        for opportunity_id in queue:
            if cancel.is_set():
                return
            await one(opportunity_id)
            done += 1
            if on_progress is not None:
                on_progress(done, len(ids))

    workers = [asyncio.create_task(worker()) for _ in range(max(1, min(concurrency, len(ids))))]
    try:
        await asyncio.gather(*workers)
    except asyncio.CancelledError:
        cancel.set()
        pacer.wake()
        await asyncio.wait(workers)
        raise
    ordered = [found[i] for i in dict.fromkeys(ids) if i in found]
    return Fetched(ordered, failures, cancel.is_set())
