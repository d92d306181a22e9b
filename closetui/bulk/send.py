"""Sending a bulk change: paced, capped, cancellable, one result per row, nothing twice."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pydantic

from closetui.api.errors import ApiError, CloseError
from closetui.bulk.guard import ChunkGuard
from closetui.bulk.pacer import NotStarted, Pacer
from closetui.bulk.plan import Job, Unchanged, replan
from closetui.bulk.results import (
    DEFAULT_CONCURRENCY,
    BulkResult,
    RowResult,
    failure,
    new_batch_id,
    success,
)
from closetui.bulk.settle import Settled, settle_write
from closetui.bulk.stale import fetch_opportunity, stale_change

if TYPE_CHECKING:
    from closetui.api.client import BeforeAttempt, CloseClient
    from closetui.api.exchange import Exchange
    from closetui.api.models import Opportunity
    from closetui.bulk.results import (
        OnRow,
        Outcome,
    )
    from closetui.edits import OrgSchema
    from closetui.state.history import History


@dataclass
class _Run:
    client: CloseClient
    cancel: asyncio.Event
    pacer: Pacer
    batch: str
    guard_stale: bool
    schema: OrgSchema | None
    history: History | None
    reverts: str | None
    on_row: OnRow | None
    chunks: ChunkGuard | None = None
    results: dict[int, RowResult] = field(default_factory=dict)

    async def worker(self, queue: Iterable[tuple[int, Job]]) -> None:
        for index, job in queue:  # one shared iterator: each job goes to one worker
            if self.cancel.is_set():
                row = RowResult(index, job, "not_sent", message="cancelled before it started")
            else:
                row = await self.one(index, job)
            self.results[index] = row
            if self.on_row is not None:
                result = self.on_row(row)
                if inspect.isawaitable(result):
                    await result
            # An in-process transport (the demo sandbox) never suspends: let the UI,
            # and a cancellation, in between rows.
            await asyncio.sleep(0)

    async def one(self, index: int, job: Job) -> RowResult:
        ticket: int | None = None
        last: list[Exchange] = []

        async def before_attempt(attempt: int) -> None:
            nonlocal ticket
            # Only a request that has not begun may be called off; a retry goes on.
            gate = self.cancel.is_set if attempt == 1 else None
            ticket = await self.pacer.acquire(gate)

        def seen(exchange: Exchange) -> None:
            if ticket is not None:
                self.pacer.observe(ticket, exchange)

        def seen_put(exchange: Exchange) -> None:
            seen(exchange)
            last[:] = [exchange]

        before = job.before
        try:
            if self.guard_stale and job.before is not None:
                checked = await self.guard(index, job, before_attempt, seen)
                if isinstance(checked, RowResult):
                    return checked
                before = checked
            request = self.client.build_update_request(job.opportunity_id, job.body)
            data = await self.client.send(
                request, before_attempt=before_attempt, on_exchange=seen_put
            )
        except NotStarted:
            return RowResult(index, job, "not_sent", message="cancelled before it started")
        except CloseError as exc:
            row = failure(index, job, exc, last[0] if last else None)
        else:
            row = success(index, job, data, last[0] if last else None)
        finally:
            self.pacer.settle(ticket)
        if row.outcome == "unknown":
            row = await self.check(row, before)
        return self.record(row, before)

    async def check(self, row: RowResult, before: Opportunity | None) -> RowResult:
        """Re-read a row whose PUT may have landed (paced, never called off: it follows
        a request that went out) and settle it when the re-read can tell."""
        ticket: int | None = None

        async def before_attempt(attempt: int) -> None:
            nonlocal ticket
            ticket = await self.pacer.acquire()

        def observe(exchange: Exchange) -> None:
            if ticket is not None:
                self.pacer.observe(ticket, exchange)

        job = row.job
        try:
            settled = await settle_write(
                self.client,
                job.opportunity_id,
                job.draft,
                self.schema,
                before,
                before_attempt=before_attempt,
                on_exchange=observe,
            )
        finally:
            self.pacer.settle(ticket)
        return settled_row(row, settled)

    async def guard(
        self,
        index: int,
        job: Job,
        before_attempt: BeforeAttempt,
        seen: Callable[[Exchange], None],
    ) -> Opportunity | RowResult:
        """The opportunity as it is now, or the row's result when it must not be sent."""
        if self.chunks is not None and self.chunks.covers(job):
            verdict = await self.chunks.clear(job)
            if verdict == "clear" and job.before is not None:
                return job.before
            if not isinstance(verdict, str):
                stale = stale_change(job.before, verdict, self.schema)
                message = "changed by someone else"
                return RowResult(index, job, "stale", verdict, message=message, stale=stale)
        try:
            fresh = await fetch_opportunity(
                self.client, job.opportunity_id, before_attempt=before_attempt, on_exchange=seen
            )
        except (CloseError, pydantic.ValidationError) as exc:
            # The PUT never went out, whatever happened to the GET: safe to retry.
            status = exc.status if isinstance(exc, ApiError) else None
            message = f"not sent: could not re-read it first ({exc})"
            return RowResult(index, job, "failed", None, status, message)
        stale = stale_change(job.before, fresh, self.schema)
        if stale is not None:
            return RowResult(
                index, job, "stale", fresh, message="changed by someone else", stale=stale
            )
        return fresh

    def record(self, row: RowResult, before: Opportunity | None) -> RowResult:
        """Keep a PUT that went out in the history (when there is one)."""
        if self.history is None or row.exchange is None:
            return row
        try:
            entry = self.history.append(
                row.exchange,
                opportunity_id=row.job.opportunity_id,
                lead_name=row.job.lead_name,
                before=before,
                after=row.opportunity if row.outcome == "ok" else None,
                batch=self.batch,
                reverts=self.reverts,
            )
        except OSError as exc:
            note = f"not kept in history: {exc.strerror or exc}"
            return replace(row, message="; ".join(m for m in (row.message, note) if m))
        return replace(row, history_id=entry.id)


async def send_bulk(
    client: CloseClient,
    jobs: Sequence[Job],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: asyncio.Event | None = None,
    on_row: OnRow | None = None,
    on_pause: Callable[[float], None] | None = None,
    guard_stale: bool = False,
    schema: OrgSchema | None = None,
    history: History | None = None,
    batch: str | None = None,
    reverts: str | None = None,
    guard_since: Mapping[str, datetime] | None = None,
) -> BulkResult:
    """Send every job, at most ``concurrency`` at a time, paced by the rate limit.

    ``cancel`` (an event) stops new jobs from starting; in-flight ones finish and the
    rest come back ``not_sent``. Cancelling the task itself does the same, then
    re-raises (rows already reached ``on_row`` and the history). ``on_row`` gets each
    row as it completes (any order); ``on_pause`` each wait for a rate-limit reset.
    With ``guard_stale``, each job whose ``before`` is known is re-read first and held
    back as ``stale`` when someone changed it (``schema`` names the changed fields).
    ``guard_since`` (the server's time each row was read, by opportunity id: see
    :meth:`~closetui.bulk.fetch.Fetched.guard_since`) guards those rows by chunks, one
    list request each (:class:`~closetui.bulk.guard.ChunkGuard`), not one GET per row.
    With ``history``, every PUT that went out is recorded under ``batch``.
    """
    return await _send(
        client,
        list(enumerate(jobs)),
        concurrency=concurrency,
        cancel=cancel,
        on_row=on_row,
        on_pause=on_pause,
        guard_stale=guard_stale,
        schema=schema,
        history=history,
        batch=batch or new_batch_id(),
        reverts=reverts,
        total=len(jobs),
        previous=(),
        guard_since=guard_since,
    )


async def _send(
    client: CloseClient,
    indexed: list[tuple[int, Job]],
    *,
    concurrency: int,
    cancel: asyncio.Event | None,
    on_row: OnRow | None,
    on_pause: Callable[[float], None] | None,
    guard_stale: bool,
    schema: OrgSchema | None,
    history: History | None,
    batch: str,
    reverts: str | None,
    total: int,
    previous: Sequence[RowResult],
    guard_since: Mapping[str, datetime] | None = None,
) -> BulkResult:
    cancel = cancel if cancel is not None else asyncio.Event()
    pacer = Pacer(on_pause=on_pause)
    run = _Run(client, cancel, pacer, batch, guard_stale, schema, history, reverts, on_row)
    if guard_stale and guard_since:
        run.chunks = ChunkGuard(client, pacer, cancel, (job for _, job in indexed), guard_since)
    started = time.perf_counter()
    queue = iter(indexed)
    workers = [
        asyncio.create_task(run.worker(queue)) for _ in range(max(1, min(concurrency, total)))
    ]

    async def wake_on_cancel() -> None:
        await cancel.wait()
        pacer.wake()

    watcher = asyncio.create_task(wake_on_cancel())
    try:
        await asyncio.wait(workers)
    except asyncio.CancelledError:
        cancel.set()
        await asyncio.wait(workers)  # in-flight requests finish; queued ones stop
        raise
    finally:
        watcher.cancel()
    for task in workers:
        bug = task.exception()
        if bug is not None:
            raise bug  # from a callback (on_row): not a send outcome
    rows: list[RowResult | None] = list(previous) if previous else [None] * total
    for index, job in indexed:
        rows[index] = run.results.get(index) or RowResult(
            index, job, "not_sent", message="cancelled before it started"
        )
    return BulkResult(
        batch,
        tuple(r for r in rows if r is not None),
        cancelled=cancel.is_set(),
        elapsed=time.perf_counter() - started,
        rate_limited=pacer.rate_limited,
        paused=pacer.paused,
    )


async def retry_failed(
    client: CloseClient,
    result: BulkResult,
    *,
    include_not_sent: bool = False,
    **options: Any,
) -> BulkResult:
    """Send again only the ``failed`` rows (and ``not_sent`` ones if asked), in the same
    batch; saved, unknown and stale rows are never re-sent. Returns the whole result with
    those rows replaced. ``options`` are :func:`send_bulk`'s keyword arguments."""
    wanted: tuple[Outcome, ...] = ("failed", "not_sent") if include_not_sent else ("failed",)
    indexed = [(row.index, row.job) for row in result.rows if row.outcome in wanted]
    options.setdefault("concurrency", DEFAULT_CONCURRENCY)
    for key in ("cancel", "on_row", "on_pause", "schema", "history", "reverts"):
        options.setdefault(key, None)
    options.setdefault("guard_stale", False)
    return await _send(
        client,
        indexed,
        batch=result.batch,
        total=len(result.rows),
        previous=result.rows,
        **options,
    )


async def send_stale_anew(
    client: CloseClient, result: BulkResult, schema: OrgSchema, **options: Any
) -> BulkResult:
    """Apply each ``stale`` row's draft to the version someone else saved (the one the
    stale check read) and send it, in the same batch, guarded again. A row their change
    already settled comes back ``ok`` with nothing sent; one the draft no longer fits
    comes back ``failed`` with the reason. Rows without a draft stay ``stale``.
    ``options`` are :func:`send_bulk`'s keyword arguments."""
    stale = [row for row in result.stale if row.stale is not None and row.job.draft is not None]
    fresh = {row.job.opportunity_id: row.stale.current for row in stale if row.stale}
    plan = replan([row.job for row in stale], fresh, schema)
    rows = list(result.rows)
    indexed: list[tuple[int, Job]] = []
    for row, planned in zip(stale, plan.rows, strict=True):
        if isinstance(planned, Job):
            indexed.append((row.index, planned))
        elif isinstance(planned, Unchanged):
            message = "nothing left to send: their change already did it"
            rows[row.index] = replace(
                row, outcome="ok", opportunity=planned.opportunity, message=message
            )
        else:  # a retry (r) would re-send the old body: the stale guard holds it back again
            message = f"their version does not take the edit: {planned.message}"
            rows[row.index] = replace(
                row, outcome="failed", opportunity=planned.opportunity, message=message
            )
    options.setdefault("concurrency", DEFAULT_CONCURRENCY)
    for key in ("cancel", "on_row", "on_pause", "history", "reverts"):
        options.setdefault(key, None)
    return await _send(
        client,
        indexed,
        batch=result.batch,
        total=len(rows),
        previous=tuple(rows),
        guard_stale=True,
        schema=schema,
        **options,
    )


async def verify_unknown(
    client: CloseClient, result: BulkResult, schema: OrgSchema | None = None
) -> BulkResult:
    """Re-read each ``unknown`` row and settle it (:func:`~closetui.bulk.settle.settle_write`):
    ``ok`` when the opportunity already has what the job's draft asks for, ``failed``
    (then :func:`retry_failed` may send it) when it still has what the job was planned
    against; otherwise (the re-read failed, or it holds something else) it stays ``unknown``.

    Call it after a moment, not at once: a server that is still working on a request
    whose answer was lost would make "not saved" a guess. Bodies are idempotent (values,
    not increments; ``.add``/``.remove`` of an item present/absent change nothing), so
    even then a resend would not apply a change twice.
    """
    rows = list(result.rows)
    for row in result.unknown:
        job = row.job
        settled = await settle_write(client, job.opportunity_id, job.draft, schema, job.before)
        rows[row.index] = settled_row(row, settled)
    return replace(result, rows=tuple(rows))


def settled_row(row: RowResult, settled: Settled) -> RowResult:
    """An ``unknown`` row after a re-read: ``ok`` when it was saved, ``failed`` (safe to
    retry) when it was not, still ``unknown`` (saying why) when the re-read cannot tell."""
    said = row.message.split("; checked: ")[0]
    if settled.found == "saved":
        return replace(row, outcome="ok", opportunity=settled.current, message="saved (checked)")
    if settled.found == "not_saved":
        message = "not saved (checked): safe to retry"
        return replace(row, outcome="failed", opportunity=settled.current, message=message)
    return replace(row, message=f"{said}; checked: {settled.text}")
