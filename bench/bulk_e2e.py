"""Bulk edit end to end through the real app, at the rate limit: send key to "N saved".

closetui (``make_app(url_connection(URL))``, as the CLI builds it) runs headless under
Textual's Pilot against ``closetui sandbox --rate-limit R`` in its own process. For each
N: mark N rows from loaded pages (space for N <= 100; for more, load the pages that hold
them, then ``*``), ``b``, pick the field ``confidence`` and type a value none of them has,
``ctrl+r`` (review), ``ctrl+r`` (send). Timed from that last key to the progress
screen's done state. Printed, with the bounds (issue 19) marked PASS/FAIL:

- send key -> done as a ratio to (jobs)/R (bound 1.1);
- requests the composer's open made vs ceil(N/100) + 2;
- the send's requests by kind (GET list / GET one / PUT), from the sandbox's own log
  (``/_sandbox/requests``), 429 answers the app saw, and PUTs per id (lost / twice).

A fresh sandbox (and app) for each N. Nothing fails the run but an error.

    .venv/bin/python bench/bulk_e2e.py [--sizes 40,500] [--rate 10] [--opportunities 1200]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
from tui_common import SANDBOX_KEY, isolated_env, sandbox_process, verdict

SIZE = (120, 40)
BOUND = 1.1


async def until(pilot: Any, done: Callable[[], bool], limit: float = 300.0) -> None:
    """Let the app run until ``done()`` holds (fail after ``limit`` seconds)."""
    deadline = time.perf_counter() + limit
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app never got there")
        await pilot.pause(0.005)


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def requests_log(root: str) -> list[tuple[str, str]]:
    """Every ``(method, path)`` the sandbox received so far (its admin route: unlimited)."""
    answer = httpx.get(root + "_sandbox/requests", auth=(SANDBOX_KEY, ""), timeout=30)
    answer.raise_for_status()
    return [(m, p) for m, p in answer.json()["requests"]]


def by_kind(seen: list[tuple[str, str]]) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for method, path in seen:
        if method == "PUT":
            kinds["PUT"] += 1
        elif path.rstrip("/") == "/api/v1/opportunity":
            kinds["GET list"] += 1
        elif path.startswith("/api/v1/opportunity/"):
            kinds["GET one"] += 1
        else:
            kinds["other"] += 1
    return kinds


async def mark(pilot: Any, n: int) -> tuple[str, ...]:
    """Mark the first ``n`` rows: space for a page's worth, else load pages and ``*``."""
    from closetui.ui.list.opportunity_list import OpportunityList

    rows = pilot.app.main.query_one(OpportunityList)
    rows.focus()
    size = rows.cache.page_size
    if n <= size:
        for _ in range(n):
            await pilot.press("space")
    else:
        assert n % size == 0, "more than a page: whole pages only"
        for number in range(1, n // size):
            rows.go_to(number * size + size // 2)
            await until(pilot, lambda number=number: number in rows.cache.pages)
        rows.go_to(0)
        await settle(pilot)
        await pilot.press("asterisk")
    await settle(pilot)
    marked: tuple[str, ...] = rows.marked_ids()
    return marked


async def compose(pilot: Any) -> int:
    """Pick ``confidence`` and a value none of the marked rows has; the jobs planned."""
    from textual.widgets import Input

    from closetui.ui.screens.bulk_edit import BulkEditScreen

    screen = pilot.app.screen
    assert isinstance(screen, BulkEditScreen)
    taken = {o.confidence for o in screen.opportunities}
    value = next((v for v in range(100, -1, -1) if v not in taken), 37)
    screen.query("PickButton").first().focus()
    await pilot.press("enter")
    await settle(pilot)
    for key in "confidence":
        await pilot.press(key)
    await pilot.press("enter")
    await settle(pilot)
    assert screen.ops[0].key == "confidence", screen.ops
    screen.query_one(".op-value", Input).focus()
    for key in str(value):
        await pilot.press(key)
    await settle(pilot)
    return sum(1 for o in screen.opportunities if o.confidence != value)


async def one_size(url: str, n: int, rate: float) -> None:
    from closetui.connect import url_connection
    from closetui.ui.app import make_app
    from closetui.ui.screens.bulk_edit import BulkEditScreen
    from closetui.ui.screens.bulk_progress import BulkProgressScreen
    from closetui.ui.screens.review import ReviewScreen

    root = url.removesuffix("api/v1/")
    app = make_app(url_connection(url))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.main_screen is not None and app.main.reference is not None)
        await settle(pilot)
        statuses: Counter[int | None] = Counter()
        chained = app.client.on_exchange

        def count(exchange: Any) -> None:
            statuses[exchange.status] += 1
            if chained is not None:
                chained(exchange)

        app.client.on_exchange = count
        marked = await mark(pilot, n)
        before_open = len(requests_log(root))
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, BulkEditScreen))
        opened = by_kind(requests_log(root)[before_open:])
        await settle(pilot)
        jobs = await compose(pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await settle(pilot)
        await asyncio.sleep(1.1)  # the window the composer's reads used is over
        statuses.clear()
        before_send = len(requests_log(root))
        started = time.perf_counter()
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, BulkProgressScreen))
        progress = app.screen
        assert isinstance(progress, BulkProgressScreen)
        await until(pilot, lambda: progress.result is not None and not progress.running)
        elapsed = time.perf_counter() - started
        result = progress.result
        assert result is not None
        sent = requests_log(root)[before_send:]
    puts = Counter(path for method, path in sent if method == "PUT")
    twice = sum(1 for count in puts.values() if count > 1)
    planned = {r.job.opportunity_id for r in result.rows}
    lost = [i for i in planned if not any(p.rstrip("/").endswith(i) for p in puts)]
    ideal = jobs / rate
    open_requests = sum(opened.values())
    open_bound = math.ceil(len(marked) / 100) + 2
    kinds = by_kind(sent)
    print(f"N = {len(marked)} marked, {jobs} jobs, R = {rate:g}/s")
    print(
        f"  send key -> done: {elapsed:6.2f} s = {elapsed / ideal:.3f} x {jobs}/R "
        f"(bound {BOUND}) {verdict(elapsed / ideal, BOUND)}; summary: {result.summary()}"
    )
    print(
        f"  composer open: {open_requests} requests ({dict(opened)}) vs ceil(N/100)+2 = "
        f"{open_bound} {verdict(open_requests, open_bound)}"
    )
    print(
        f"  send requests: GET list {kinds['GET list']}, GET one {kinds['GET one']}, "
        f"PUT {kinds['PUT']}, other {kinds['other']}; total {sum(kinds.values())} = "
        f"{sum(kinds.values()) / max(jobs, 1):.3f} x jobs"
    )
    print(
        f"  429 answers: {statuses.get(429, 0)} {verdict(statuses.get(429, 0), 0)}; "
        f"rows lost {len(lost)}, written twice {twice} "
        f"{verdict(len(lost) + twice, 0)}; ok {len(result.ok)}, paced waits {result.paused:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="40,500", help="marked rows per run (N), comma list")
    parser.add_argument("--rate", type=float, default=10.0, help="sandbox limit R (req/s)")
    parser.add_argument("--opportunities", type=int, default=1200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(isolated_env(tmp, CLOSE_API_KEY=SANDBOX_KEY))
        for n in (int(s) for s in args.sizes.split(",")):
            with sandbox_process(args.opportunities, "--rate-limit", f"{args.rate:g}") as url:
                asyncio.run(one_size(url, n, args.rate))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
