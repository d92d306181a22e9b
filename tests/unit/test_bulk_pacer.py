"""The pacer's bookkeeping, driven by a fake clock and made-up answers (no server, no sleeps)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from closetui.api import Exchange, RateLimitState, RequestView
from closetui.bulk import NotStarted, Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def answer(
    status: int | None = 200,
    remaining: int | None = None,
    reset: float | None = 1,
    limit: int | None = 10,
    headers: tuple[tuple[str, str], ...] = (),
) -> Exchange:
    state = None if remaining is None else RateLimitState(limit, remaining, reset)
    return Exchange(
        request=RequestView("PUT", "http://x/opportunity/o/", ()),
        started_at=datetime(2026, 1, 1, tzinfo=UTC),
        elapsed=0.01,
        status=status,
        response_headers=headers,
        rate_limit=state,
    )


async def settle_loop() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def grab(pacer: Pacer, n: int) -> list[int]:
    return [await pacer.acquire() for _ in range(n)]


async def test_first_request_is_a_lone_probe() -> None:
    pacer = Pacer(clock=Clock())
    first = await pacer.acquire()
    second = asyncio.ensure_future(pacer.acquire())
    await settle_loop()
    assert not second.done()
    pacer.observe(first, answer(remaining=9))
    assert await second == 1


async def test_budget_is_least_remaining_minus_in_flight() -> None:
    pacer = Pacer(clock=Clock())
    probe = await pacer.acquire()
    pacer.observe(probe, answer(remaining=5))
    tickets = await grab(pacer, 5)
    assert pacer.budget == 0
    blocked = asyncio.ensure_future(pacer.acquire())
    await settle_loop()
    assert not blocked.done()
    # Answers overtake each other: a later ticket reports a lower remaining first.
    pacer.observe(tickets[3], answer(remaining=2))
    assert pacer.budget == 2 - 4
    pacer.observe(tickets[0], answer(remaining=4))  # older news: ignored
    assert pacer.budget == 2 - 3
    for t in (tickets[1], tickets[2], tickets[4]):
        pacer.observe(t, answer(remaining=0))
    assert pacer.budget == 0
    await settle_loop()
    assert not blocked.done()
    blocked.cancel()


async def test_waits_for_the_reset_then_probes_again() -> None:
    clock = Clock()
    pauses: list[float] = []
    pacer = Pacer(clock=clock, on_pause=pauses.append)
    probe = await pacer.acquire()
    pacer.observe(probe, answer(remaining=0, reset=3))
    waiting = [asyncio.ensure_future(pacer.acquire()) for _ in range(3)]
    await settle_loop()
    assert not any(w.done() for w in waiting)
    assert pauses == [3]
    clock.now += 3
    pacer.wake()
    await settle_loop()
    assert [w.done() for w in waiting] == [True, False, False]  # one probe, the rest wait
    pacer.observe(waiting[0].result(), answer(remaining=9))
    await settle_loop()
    assert all(w.done() for w in waiting)
    assert pacer.paused == pytest.approx(3)


async def test_reset_is_the_earliest_of_the_window() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock)
    probe = await pacer.acquire()
    pacer.observe(probe, answer(remaining=2, reset=1))
    a, b = await grab(pacer, 2)
    clock.now += 0.4
    pacer.observe(a, answer(remaining=1, reset=1))
    pacer.observe(b, answer(remaining=0, reset=1))
    assert pacer.reset_at == pytest.approx(1001.0)


async def test_a_429_holds_everyone_until_its_reset() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock)
    probe = await pacer.acquire()
    pacer.observe(probe, answer(remaining=5))
    ticket = await pacer.acquire()
    pacer.observe(ticket, answer(429, remaining=0, headers=(("retry-after", "7"),)))
    assert pacer.rate_limited == 1
    assert pacer.budget == 0
    assert pacer.reset_at == pytest.approx(1007)


async def test_no_rate_limit_header_means_no_pacing() -> None:
    pacer = Pacer(clock=Clock())
    probe = await pacer.acquire()
    pacer.observe(probe, answer(remaining=None))
    assert pacer.unlimited
    assert await grab(pacer, 50) == list(range(1, 51))


async def test_a_transport_failure_teaches_nothing_but_frees_the_slot() -> None:
    pacer = Pacer(clock=Clock())
    probe = await pacer.acquire()
    pacer.observe(probe, answer(status=None))
    assert not pacer.unlimited
    assert await pacer.acquire() == 1  # another probe


async def test_settle_releases_an_unanswered_ticket() -> None:
    pacer = Pacer(clock=Clock())
    probe = await pacer.acquire()
    waiting = asyncio.ensure_future(pacer.acquire())
    await settle_loop()
    pacer.settle(probe)
    assert await waiting == 1


async def test_cancel_stops_a_waiting_first_attempt() -> None:
    pacer = Pacer(clock=Clock())
    cancelled = False
    await pacer.acquire()
    waiting = asyncio.ensure_future(pacer.acquire(lambda: cancelled))
    await settle_loop()
    cancelled = True
    pacer.wake()
    with pytest.raises(NotStarted):
        await waiting
