"""Bulk sends against ``closetui sandbox`` on loopback: paced at a rate limit, and unlimited.

1. With the sandbox limited to R requests/second, N updates through ``send_bulk`` should
   take about N/R seconds (fixed one-second windows: N/R - 1 plus the last burst) and at
   most 1.1x that, with no failed row and no 429 left unhandled (ideally no 429 at all).
2. With no limit, ``send_bulk`` (concurrency C) against a bare sequential loop of
   ``CloseClient.update_opportunity`` calls, measured in the same run; the ratio is what
   matters on a shared, noisy machine.

Usage: .venv/bin/python bench/bulk_send.py [--requests 500] [--rate 10] [--concurrency 6]
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
from tui_common import sandbox_process

from closetui.api import CloseClient, Credential, Exchange
from closetui.bulk import Job, send_bulk
from closetui.sandbox import DEMO_API_KEY


def client(base_url: str, seen: list[Exchange] | None = None) -> CloseClient:
    """A client that keeps every exchange in ``seen`` (to count 429 answers)."""
    return CloseClient(
        Credential.api_key(DEMO_API_KEY),
        base_url=base_url,
        tz_offset=0,
        on_exchange=seen.append if seen is not None else None,
    )


def jobs_for(ids: list[str], n: int) -> list[Job]:
    """``n`` one-field updates spread over the opportunities."""
    return [Job(ids[i % len(ids)], {"confidence": i % 100}) for i in range(n)]


async def set_rate_limit(base_url: str, rps: float | None) -> None:
    """Switch the sandbox's limit through its admin route (not rate limited itself)."""
    admin = base_url.split("/api/v1/")[0] + "/_sandbox/rate_limit"
    async with httpx.AsyncClient(auth=httpx.BasicAuth(DEMO_API_KEY, "")) as http:
        (await http.post(admin, json={"rps": rps})).raise_for_status()


async def limited(base_url: str, ids: list[str], n: int, rate: float, conc: int) -> None:
    """Part 1: paced bulk send under the limit."""
    await set_rate_limit(base_url, rate)
    await asyncio.sleep(1.1)  # a fresh window
    seen: list[Exchange] = []
    async with client(base_url, seen) as close:
        result = await send_bulk(close, jobs_for(ids, n), concurrency=conc)
    ideal = n / rate
    answered_429 = sum(1 for e in seen if e.status == 429)
    unhandled = sum(1 for r in result.failed if r.status == 429)
    print(
        f"limited {rate:g}/s, {n} jobs: {result.elapsed:6.2f} s, "
        f"ratio to {n}/{rate:g} = {result.elapsed / ideal:.3f} "
        f"(bound 1.1), ok {len(result.ok)}, failed {len(result.failed)}, "
        f"unknown {len(result.unknown)}, 429 answers {answered_429} "
        f"(unhandled {unhandled}), paced waits {result.paused:.1f} s"
    )


async def unlimited(base_url: str, ids: list[str], n: int, conc: int) -> None:
    """Part 2: bulk send against a bare sequential client loop, no limit."""
    await set_rate_limit(base_url, None)
    jobs = jobs_for(ids, n)
    async with client(base_url) as close:
        for job in jobs[:40]:  # warm-up
            await close.update_opportunity(job.opportunity_id, job.body)
        start = time.perf_counter()
        for job in jobs:
            await close.update_opportunity(job.opportunity_id, job.body)
        bare = time.perf_counter() - start
        result = await send_bulk(close, jobs, concurrency=conc)
    print(
        f"unlimited, {n} jobs: bare sequential loop {bare:5.2f} s ({n / bare:5.0f} req/s), "
        f"send_bulk x{conc} {result.elapsed:5.2f} s ({n / result.elapsed:5.0f} req/s), "
        f"ratio bulk/bare {result.elapsed / bare:.2f}, failed {len(result.failed)}"
    )


async def _ids(base_url: str) -> list[str]:
    async with client(base_url) as close:
        return [o.id for o in (await close.list_opportunities(limit=200)).data]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500, help="jobs per run (N)")
    parser.add_argument("--rate", type=float, default=10.0, help="sandbox limit R (req/s)")
    parser.add_argument("--concurrency", type=int, default=6)
    args = parser.parse_args()
    with sandbox_process(200, "--rate-limit", f"{args.rate:g}") as base_url:
        ids = asyncio.run(_ids(base_url))
        asyncio.run(limited(base_url, ids, args.requests, args.rate, args.concurrency))
        asyncio.run(unlimited(base_url, ids, args.requests, args.concurrency))


if __name__ == "__main__":
    main()
