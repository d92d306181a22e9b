"""Requests/second through CloseClient vs a bare httpx loop, against ``closetui sandbox``.

Prints each figure and the ratio client/bare measured in the same run (machines are
shared and noisy, so only the ratio means much). Usage:

    .venv/bin/python bench/client_throughput.py [--requests 400] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
from tui_common import sandbox_process

from closetui.api import CloseClient, Credential
from closetui.sandbox import DEMO_API_KEY


async def _run(n: int, concurrency: int, call: Callable[[int], Awaitable[object]]) -> float:
    """Seconds to make ``n`` calls with at most ``concurrency`` in flight."""
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with gate:
            await call(i)

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    return time.perf_counter() - start


async def measure(base_url: str, ids: list[str], n: int, concurrency: int) -> tuple[float, float]:
    """(bare httpx seconds, CloseClient seconds) for the same n updates."""
    auth = httpx.BasicAuth(DEMO_API_KEY, "")
    async with httpx.AsyncClient(base_url=base_url, auth=auth) as bare:

        async def bare_call(i: int) -> object:
            r = await bare.put(f"opportunity/{ids[i % len(ids)]}/", json={"confidence": i % 100})
            r.raise_for_status()
            return r.json()

        bare_s = await _run(n, concurrency, bare_call)
    async with CloseClient(Credential.api_key(DEMO_API_KEY), base_url=base_url) as close:

        async def client_call(i: int) -> object:
            return await close.update_opportunity(ids[i % len(ids)], {"confidence": i % 100})

        client_s = await _run(n, concurrency, client_call)
    return bare_s, client_s


async def _ids(base_url: str) -> list[str]:
    async with CloseClient(Credential.api_key(DEMO_API_KEY), base_url=base_url) as close:
        return [o.id for o in (await close.list_opportunities(limit=200)).data]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with sandbox_process(200) as base_url:
        ids = asyncio.run(_ids(base_url))
        for label, conc in (
            ("sequential", 1),
            (f"concurrent x{args.concurrency}", args.concurrency),
        ):
            asyncio.run(measure(base_url, ids, 40, conc))  # warm-up
            bare_s, client_s = asyncio.run(measure(base_url, ids, args.requests, conc))
            print(
                f"{label:>16}: bare httpx {args.requests / bare_s:7.0f} req/s, "
                f"CloseClient {args.requests / client_s:7.0f} req/s, "
                f"ratio client/bare {bare_s / client_s:.2f}"
            )


if __name__ == "__main__":
    main()
