"""The chunked stale guard: one list request per chunk of jobs finds every row changed since."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

import pydantic

from closetui.api.errors import CloseError
from closetui.bulk.pacer import Paced, Pacer
from closetui.bulk.stale import list_page

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.models import Opportunity, OpportunityPage
    from closetui.bulk.plan import Job

GUARD_OVERLAP = timedelta(seconds=2)
"""Taken off every ``since``: ``Date`` has whole seconds, and a write that began earlier
may commit later."""
GUARD_MAX_PAGES = 3
"""List pages one guard reads at most; past them the send re-reads row by row."""
GUARD_PAGE_SIZE = 100
CHUNK_MIN = 20
CHUNK_MAX = 100

Verdict = Literal["clear", "reread"]
"""``clear``: unchanged since it was read, send it; ``reread``: GET it first (the guard
could not tell)."""


def chunk_size(limit: int | None) -> int:
    """Jobs sent per guard: two windows of the advertised ``limit``, within 20..100."""
    return max(CHUNK_MIN, min(CHUNK_MAX, 2 * limit)) if limit else CHUNK_MIN


class ChunkGuard:
    """Holds back rows someone else changed, asking the server once per chunk of jobs.

    Before each chunk, one ``GET /opportunity/?date_updated__gt=<since>&_order_by=
    -date_updated`` (paged) lists every opportunity changed in the org since ``since``;
    any pending job whose opportunity comes back with another ``date_updated`` than its
    ``before`` is stale, with that listed version as the current one (no GET).

    - No list filters on the guard query: a change that moves a row out of the list's
      filter would otherwise go unseen and be overwritten.
    - The first ``since`` is the server's time of the read the jobs were planned from
      (minus :data:`GUARD_OVERLAP`), not the rows' own ``date_updated``, which may be old.
    - Later guards start from the newest ``date_updated`` the previous one saw, minus the
      overlap; rows this send wrote come back then, and are not pending, so are ignored.
    - A guard that needs more than :data:`GUARD_MAX_PAGES` pages (a very busy org) turns
      the guard off for the rest of the send: its ``since`` could not move past what it
      did not see, so every later guard would overflow too. Rows are then re-read one by
      one, as without it; so are the rows of a chunk whose list request failed.
    """

    def __init__(
        self,
        client: CloseClient,
        pacer: Pacer,
        cancel: asyncio.Event,
        jobs: Iterable[Job],
        since: Mapping[str, datetime],
    ) -> None:
        self.client = client
        self.pacer = pacer
        self.cancel = cancel
        self.pending: dict[str, Job] = {
            job.opportunity_id: job
            for job in jobs
            if job.before is not None and job.opportunity_id in since
        }
        """Jobs this guard covers that have not been let through or held back yet."""
        read = [since[i] for i in self.pending]
        self.since: datetime | None = min(read) - GUARD_OVERLAP if read else None
        self.changed: dict[str, Opportunity] = {}
        """The newest listed version of each pending opportunity someone else changed."""
        self.left = 0
        """Jobs the last guard still lets through."""
        self.reread = False
        """The last guard failed: its chunk is re-read row by row."""
        self.overflowed = False
        self._check: asyncio.Task[None] | None = None

    def covers(self, job: Job) -> bool:
        """True when this guard decides about ``job`` (call :meth:`clear` once for it)."""
        return job.opportunity_id in self.pending

    async def clear(self, job: Job) -> Verdict | Opportunity:
        """``clear``, ``reread``, or the current version when someone else changed it.

        Runs the next chunk's guard when the last one's chunk is used up (the jobs that
        come meanwhile wait for it). Raises NotStarted when the send is cancelled first.
        """
        try:
            while True:
                current = self.changed.get(job.opportunity_id)
                if current is not None:
                    return current
                if self.overflowed:
                    return "reread"
                if self.left > 0:
                    self.left -= 1
                    return "reread" if self.reread else "clear"
                if self._check is None or self._check.done():
                    self._check = asyncio.create_task(self._list_changes())
                # Shielded: a worker cancelled while waiting must not stop the others' guard.
                await asyncio.shield(self._check)
        finally:
            self.pending.pop(job.opportunity_id, None)

    async def _list_changes(self) -> None:
        """One guard: list what changed since ``since`` and note the pending rows among it."""
        size = chunk_size(self.pacer.limit)
        listed: list[Opportunity] = []
        for number in range(GUARD_MAX_PAGES):
            try:
                page = await self._page(number)
            except (CloseError, pydantic.ValidationError):
                self.left, self.reread = size, True
                return
            listed += page.data
            if not page.has_more or not page.data:
                break
        else:
            self.overflowed = True
        for opportunity in reversed(listed):  # newest last: it is the one kept
            job = self.pending.get(opportunity.id)
            before = job.before if job is not None else None
            if before is not None and opportunity.date_updated != before.date_updated:
                self.changed[opportunity.id] = opportunity
        if listed and not self.overflowed:
            newest = max(o.date_updated for o in listed) - GUARD_OVERLAP
            self.since = newest if self.since is None else max(self.since, newest)
        self.left, self.reread = size, False

    async def _page(self, number: int) -> OpportunityPage:
        assert self.since is not None
        params = {
            "date_updated__gt": self.since.isoformat(),
            "_order_by": "-date_updated",
            "_skip": str(number * GUARD_PAGE_SIZE),
            "_limit": str(GUARD_PAGE_SIZE),
        }
        paced = Paced(self.pacer, self.cancel.is_set)
        try:
            return await list_page(
                self.client, params, before_attempt=paced.before_attempt, on_exchange=paced.seen
            )
        finally:
            paced.settle()
