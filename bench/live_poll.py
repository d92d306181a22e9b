"""The live list's share of the rate limit, and how soon another user's change shows.

``closetui sandbox`` runs in its own process on loopback, limited to R requests/second per
key. The real app (headless, under Textual's test driver, in this process) polls it for
about D seconds while a second user (another API key, so another budget) changes a loaded
row every few seconds. Printed: the poll's requests, the budget (R per window), their share
(bound 5%), and for each change the delay until its row showed it, against the interval.

Usage: .venv/bin/python bench/live_poll.py [--rate 10] [--seconds 30] [--poll 2]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx
from tui_common import sandbox_process

from closetui.api import Credential
from closetui.connect import Connection
from closetui.sandbox import DEMO_API_KEY, USER_API_KEY
from closetui.ui.app import make_app
from closetui.ui.list.opportunity_list import OpportunityList


async def set_rate_limit(base_url: str, rps: float | None) -> None:
    """Switch the sandbox's limit through its admin route (not rate limited itself)."""
    admin = base_url.split("/api/v1/")[0] + "/_sandbox/rate_limit"
    async with httpx.AsyncClient(auth=httpx.BasicAuth(DEMO_API_KEY, "")) as http:
        (await http.post(admin, json={"rps": rps})).raise_for_status()


async def run(base_url: str, rate: float, seconds: float, poll: float) -> None:
    await set_rate_limit(base_url, rate)
    connection = Connection(
        "bench",
        Credential.api_key(DEMO_API_KEY),
        base_url=base_url,
        tz_offset=0,
        poll_seconds=poll,
    )
    app = make_app(connection)
    delays: list[float] = []
    async with (
        app.run_test(size=(120, 40)) as pilot,
        httpx.AsyncClient(base_url=base_url, auth=(USER_API_KEY, "")) as other,
    ):
        listing = app.main.query_one(OpportunityList)
        live = app.main.live
        while live.poller is None or live.poller.cursor is None:
            await pilot.pause(0.05)
        poller = live.poller
        start_requests, start_polls = poller.requests, live.polls
        started = time.monotonic()
        step = 0
        while time.monotonic() - started < seconds:
            step += 1
            row = listing.cache.row(step % 50)
            if row is None:
                await pilot.pause(0.1)
                continue
            confidence = (row.confidence or 0) % 97 + 1
            response = await other.put(f"opportunity/{row.id}/", json={"confidence": confidence})
            response.raise_for_status()
            changed = time.monotonic()
            while True:
                now_row = listing.cache.row(listing.cache.index_of(row.id) or 0)
                if (
                    now_row is not None
                    and now_row.id == row.id
                    and now_row.confidence == confidence
                ):
                    delays.append(time.monotonic() - changed)
                    break
                if time.monotonic() - changed > 4 * max(poll, poller.interval()):
                    print(f"change {step}: not shown after 4 intervals")
                    break
                await pilot.pause(0.02)
            await pilot.pause(1.0)  # a pause between changes
        span = time.monotonic() - started
        spent = poller.requests - start_requests
        polls = live.polls - start_polls
        window = poller.window
        limit = poller.limit or 0
    budget = limit / window * span if limit else 0.0
    share = spent / budget if budget else 0.0
    print(
        f"rate limit {limit}/{window:g} s, {span:.1f} s polled: {polls} polls, "
        f"{spent} requests; budget {budget:.0f} requests; share {share:.2%} (bound 5%)"
    )
    print(
        f"interval: poll_seconds {poll:g} s, effective {poller.interval():.2f} s; "
        f"{len(delays)} changes shown, delay mean {statistics.mean(delays):.2f} s, "
        f"max {max(delays):.2f} s (bound: one interval + a poll)"
        if delays
        else "no change shown"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--poll", type=float, default=2.0)
    parser.add_argument("--opportunities", type=int, default=300)
    args = parser.parse_args()
    with sandbox_process(args.opportunities) as base_url:
        asyncio.run(run(base_url, args.rate, args.seconds, args.poll))


if __name__ == "__main__":
    main()
