"""Read many opportunities in full (for a bulk plan), paced like the bulk sender."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import pydantic

from closetui.api.errors import CloseError
from closetui.bulk.pacer import NotStarted, Paced, Pacer
from closetui.bulk.results import DEFAULT_CONCURRENCY
from closetui.bulk.stale import fetch_opportunity, list_page, server_time

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.models import Opportunity
    from closetui.api.query import OpportunityQuery

OnReadProgress = Callable[[int, int, str], None]
"""``(done, total, unit)`` with unit ``pages`` (list pages) or ``opportunities`` (one GET each)."""


@dataclass
class Fetched:
    """The opportunities read, in the order asked, and why the others could not be."""

    opportunities: list[Opportunity] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    """Why an id could not be read, by id."""
    cancelled: bool = False
    read_at: datetime | None = None
    """The server's time (its ``Date``) of the earliest list page read; None when none was."""
    listed: frozenset[str] = frozenset()
    """Ids read from list pages: what the chunked stale guard may cover."""

    def summary(self) -> str:
        """``Read 48 of 50; 2 failed (first: Not found)``."""
        total = len(self.opportunities) + len(self.failures)
        text = f"Read {len(self.opportunities):,} of {total:,}"
        if self.failures:
            first = next(iter(self.failures.values()))
            text += f"; {len(self.failures):,} failed (first: {first})"
        return text + (" — cancelled" if self.cancelled else "")

    @classmethod
    def joined(cls, parts: Sequence[Fetched], ids: Sequence[str]) -> Fetched:
        """Several reads as one, in the order of ``ids`` (the board's columns, read each
        with its own query). Its read time is the earliest, when every part has one."""
        found = {o.id: o for part in parts for o in part.opportunities}
        failures = {k: v for part in parts for k, v in part.failures.items()}
        listed = frozenset().union(*(part.listed for part in parts))
        times = [part.read_at for part in parts if part.listed]
        dated = [t for t in times if t is not None]
        return cls(
            [found[i] for i in dict.fromkeys(ids) if i in found],
            failures,
            any(part.cancelled for part in parts),
            min(dated) if dated and len(dated) == len(times) else None,
            listed,
        )

    def guard_since(self) -> dict[str, datetime]:
        """:func:`~closetui.bulk.send_bulk`'s ``guard_since``: the read time of each row
        read from a list page (rows read one by one are guarded one by one)."""
        if self.read_at is None:
            return {}
        return dict.fromkeys(self.listed, self.read_at)


async def _each(
    items: Iterable[object],
    one: Callable[[object], Awaitable[None]],
    concurrency: int,
    cancel: asyncio.Event,
    pacer: Pacer,
) -> None:
    """``one(item)`` for each item, ``concurrency`` at a time, until ``cancel`` is set."""
    queue = iter(items)

    async def worker() -> None:
        for item in queue:  # one shared iterator: each item goes to one worker
            if cancel.is_set():
                return
            await one(item)

    workers = [asyncio.create_task(worker()) for _ in range(max(1, concurrency))]
    try:
        await asyncio.gather(*workers)
    except asyncio.CancelledError:
        cancel.set()
        pacer.wake()
        await asyncio.wait(workers)
        raise


async def _read_ids(
    client: CloseClient,
    ids: Sequence[str],
    found: dict[str, Opportunity],
    failures: dict[str, str],
    *,
    pacer: Pacer,
    concurrency: int,
    cancel: asyncio.Event,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    """``GET`` each of ``ids`` into ``found`` (or ``failures``)."""
    done = 0

    async def one(item: object) -> None:
        nonlocal done
        opportunity_id = str(item)
        paced = Paced(pacer, cancel.is_set)
        try:
            found[opportunity_id] = await fetch_opportunity(
                client,
                opportunity_id,
                before_attempt=paced.before_attempt,
                on_exchange=paced.seen,
            )
        except NotStarted:
            return
        except (CloseError, pydantic.ValidationError) as exc:
            failures[opportunity_id] = str(exc)
        finally:
            paced.settle()
        done += 1
        if on_progress is not None:
            on_progress(done, len(ids))

    await _each(ids, one, min(concurrency, len(ids)), cancel, pacer)


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
    found: dict[str, Opportunity] = {}
    failures: dict[str, str] = {}
    unique = list(dict.fromkeys(ids))
    await _read_ids(
        client,
        unique,
        found,
        failures,
        pacer=Pacer(on_pause=on_pause),
        concurrency=concurrency,
        cancel=cancel,
        on_progress=on_progress,
    )
    ordered = [found[i] for i in unique if i in found]
    return Fetched(ordered, failures, cancel.is_set())


async def fetch_listed(
    client: CloseClient,
    ids: Sequence[str],
    query: OpportunityQuery,
    pages: Iterable[int],
    *,
    page_size: int = 100,
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: asyncio.Event | None = None,
    on_progress: OnReadProgress | None = None,
    on_pause: Callable[[float], None] | None = None,
) -> Fetched:
    """Read ``ids`` from the list pages that hold them, then ``GET`` only those not found.

    ``query`` (with its ``order_by``) and ``page_size`` must be the list's own, and
    ``pages`` the page numbers of its cache that hold marked ids: one request reads a
    page of full opportunities. An id not on those pages (marked under another filter,
    or moved since) is read on its own. The order of ``ids`` is kept; ``read_at`` is
    the server's time of the earliest page answer (for the chunked stale guard).
    """
    cancel = cancel if cancel is not None else asyncio.Event()
    pacer = Pacer(on_pause=on_pause)
    wanted = list(dict.fromkeys(ids))
    wanted_set = set(wanted)
    numbers = sorted(set(pages))
    found: dict[str, Opportunity] = {}
    failures: dict[str, str] = {}
    times: list[datetime | None] = []
    read = 0

    async def one(item: object) -> None:
        nonlocal read
        number = int(str(item))
        params = {**query.params(), "_skip": str(number * page_size), "_limit": str(page_size)}
        paced = Paced(pacer, cancel.is_set)
        try:
            page = await list_page(
                client, params, before_attempt=paced.before_attempt, on_exchange=paced.seen
            )
        except NotStarted:
            return
        except (CloseError, pydantic.ValidationError):
            page = None  # its rows are read one by one below
        finally:
            paced.settle()
        if page is not None:
            times.append(server_time(paced.last))
            for opportunity in page.data:
                if opportunity.id in wanted_set:
                    found.setdefault(opportunity.id, opportunity)
        read += 1
        if on_progress is not None:
            on_progress(read, len(numbers), "pages")

    await _each(numbers, one, min(concurrency, len(numbers)), cancel, pacer)
    listed = frozenset(found)
    missing = [i for i in wanted if i not in found]
    if missing and not cancel.is_set():

        def progress(done: int, total: int) -> None:
            if on_progress is not None:
                on_progress(done, total, "opportunities")

        await _read_ids(
            client,
            missing,
            found,
            failures,
            pacer=pacer,
            concurrency=concurrency,
            cancel=cancel,
            on_progress=progress,
        )
    ordered = [found[i] for i in wanted if i in found]
    # Any page read at an unknown time: its rows could have changed unseen before it.
    dated = [t for t in times if t is not None]
    read_at = min(dated) if listed and len(dated) == len(times) else None
    return Fetched(ordered, failures, cancel.is_set(), read_at, listed)
