"""Pacing requests by the server's ``RateLimit`` answers: as fast as allowed, no faster."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Callable

from closetui.api.exchange import Exchange
from closetui.api.ratelimit import retry_delay

DEFAULT_RESET = 1.0
"""Seconds assumed when an answer gives a remaining count but no reset."""


class NotStarted(Exception):
    """Raised by :meth:`Pacer.acquire` when the send was cancelled before it began."""


class Pacer:
    """Hands out one ticket per request attempt, keeping within the advertised budget.

    Each answer's ``RateLimit: remaining=R, reset=S`` says R requests may still be
    counted before the window resets. Answers overtake each other (separate
    connections), so the smallest R seen in a window is the best-informed one, and any
    attempt still unanswered may not be counted yet: the budget is that R minus the
    attempts in flight, which can never over-spend. When it is spent, requests wait
    for the reset; the first request after it is a lone probe whose answer re-opens the
    budget, so a wrong guess about the window costs at most one 429, never a storm.
    With no ``RateLimit`` header at all, only the caller's concurrency cap applies.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_pause: Callable[[float], None] | None = None,
    ) -> None:
        self.clock = clock
        self.on_pause = on_pause
        """Called with the expected seconds of each wait for a rate-limit reset."""
        self.limit: int | None = None
        """The last advertised limit."""
        self.budget = 1
        """Tickets that may be handed out now (the first one is a probe)."""
        self.reset_at: float | None = None
        """Clock time when the current window ends, when known."""
        self.unlimited = False
        """True once an answer came without any rate-limit information."""
        self.rate_limited = 0
        """429 answers observed."""
        self.paused = 0.0
        """Seconds spent waiting for windows to reset."""
        self._next = 0
        self._floor = 0
        """First ticket of the current window; older answers tell of an earlier one."""
        self._least: int | None = None
        """Smallest ``remaining`` answered in the current window."""
        self._open: set[int] = set()
        self._changed = asyncio.Event()
        self._pause_began: float | None = None

    @property
    def in_flight(self) -> int:
        """Attempts handed a ticket and not answered yet."""
        return len(self._open)

    async def acquire(self, cancelled: Callable[[], bool] | None = None) -> int:
        """Wait for a slot; the ticket of this attempt (pass it to :meth:`observe`).

        Raises NotStarted if ``cancelled()`` is true before the slot comes.
        """
        while True:
            if cancelled is not None and cancelled():
                raise NotStarted
            delay = self._take()
            if delay is None:
                ticket = self._next
                self._next += 1
                self._open.add(ticket)
                return ticket
            await self._sleep(delay)

    def _take(self) -> float | None:
        """None when a ticket may go now, else seconds to wait (inf: until an answer)."""
        now = self.clock()
        if self.reset_at is not None and now >= self.reset_at:
            self.budget, self.reset_at, self._floor, self._least = 1, None, self._next, None
            if self._pause_began is not None:
                self.paused += now - self._pause_began
                self._pause_began = None
        if self.unlimited:
            return None
        if self.budget > 0:
            self.budget -= 1
            return None
        if self.reset_at is not None:
            if self._pause_began is None:
                self._pause_began = now
                if self.on_pause is not None:
                    self.on_pause(self.reset_at - now)
            return self.reset_at - now
        if self._open:
            return math.inf
        # Nothing in flight and nothing known (answers without headers): probe again.
        return None

    async def _sleep(self, delay: float) -> None:
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), None if math.isinf(delay) else delay)
        if changed.is_set() and self._changed is changed:
            self._changed = asyncio.Event()

    def wake(self) -> None:
        """Make waiting requests look again (after an answer, or a cancel)."""
        self._changed.set()

    def settle(self, ticket: int | None) -> None:
        """Forget a ticket that will get no answer (its attempt never went out)."""
        if ticket is not None and ticket in self._open:
            self._open.discard(ticket)
            self.wake()

    def observe(self, ticket: int, exchange: Exchange) -> None:
        """Learn from the answer to one ticket's attempt."""
        self._open.discard(ticket)
        try:
            if exchange.status is not None:
                self._learn(ticket, exchange)
        finally:
            self.wake()

    def _learn(self, ticket: int, exchange: Exchange) -> None:
        now = self.clock()
        state = exchange.rate_limit
        if exchange.status == 429:
            self.rate_limited += 1
            self.unlimited = False
            wait = retry_delay(dict(exchange.response_headers))
            until = now + (DEFAULT_RESET if wait is None else wait)
            self.reset_at = until if self.reset_at is None else max(self.reset_at, until)
            self.budget, self._least = 0, 0
            return
        if state is None or state.remaining is None:
            if self.limit is None:
                self.unlimited = True
            return
        self.unlimited = False
        self.limit = state.limit if state.limit is not None else self.limit
        if ticket < self._floor:
            return  # counted in an earlier window
        # A larger remaining than seen is a late answer or a new window: we cannot tell,
        # so only ever lower it; our own reset (then a probe) starts the next window.
        self._least = state.remaining if self._least is None else min(self._least, state.remaining)
        until = now + (state.reset if state.reset is not None else DEFAULT_RESET)
        # Every answer bounds the same reset from above (whole seconds, rounded up).
        self.reset_at = until if self.reset_at is None else min(self.reset_at, until)
        self.budget = self._least - len(self._open)


class Paced:
    """The hooks that pace one call (its retries included) through a :class:`Pacer`:
    pass :meth:`before_attempt` and :meth:`seen` to the client's ``send``, then
    :meth:`settle` in a ``finally``. ``cancelled`` may call off the first attempt only."""

    def __init__(self, pacer: Pacer, cancelled: Callable[[], bool] | None = None) -> None:
        self.pacer = pacer
        self.cancelled = cancelled
        self.ticket: int | None = None
        self.last: Exchange | None = None
        """The call's last exchange (its answer's headers: ``Date``, ``RateLimit``)."""

    async def before_attempt(self, attempt: int) -> None:
        """Wait for a ticket; raises NotStarted when cancelled before the first attempt."""
        self.ticket = await self.pacer.acquire(self.cancelled if attempt == 1 else None)

    def seen(self, exchange: Exchange) -> None:
        """Give the answer to the pacer."""
        self.last = exchange
        if self.ticket is not None:
            self.pacer.observe(self.ticket, exchange)

    def settle(self) -> None:
        """Forget a ticket whose attempt never went out."""
        self.pacer.settle(self.ticket)
