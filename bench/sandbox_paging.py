"""Time per ``GET /opportunity/`` page on a 100,000-opportunity sandbox vs a ``GET /me/``.

``closetui sandbox --opportunities N`` runs in its own process; a bare httpx client pages
through the list as the TUI does (``_skip``/``_limit=100``/``_order_by``) and prints, per
order: the first page (the sandbox filters, sorts and totals the whole query), the
median of the following pages (served from its listing cache), and the first page after
a write (a PUT empties the cache). The baseline is the median ``GET /me/`` round trip
measured in the same run; each figure is also printed as a ratio to it.

    .venv/bin/python bench/sandbox_paging.py [--opportunities 100000] [--pages 30]
"""

from __future__ import annotations

import argparse
import statistics
import time

import httpx
from tui_common import SANDBOX_KEY, sandbox_process

ORDERS = ("-date_updated", "-date_won", "user_name", "-value")


def timed(client: httpx.Client, path: str, **params: str | int) -> float:
    start = time.perf_counter()
    response = client.get(path, params=params)
    response.raise_for_status()
    response.json()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    with (
        sandbox_process(args.opportunities) as base_url,
        httpx.Client(base_url=base_url, auth=(SANDBOX_KEY, "")) as client,
    ):
        for _ in range(5):
            timed(client, "me/")  # warm-up: connection, first-request costs
        me = statistics.median(timed(client, "me/") for _ in range(30))
        print(f"(sandbox with {args.opportunities:,} opportunities; 100 per page)")
        print(f"baseline GET /me/: {me * 1000:.2f} ms")
        for order in ORDERS:
            first = timed(client, "opportunity/", _skip=0, _limit=100, _order_by=order)
            step = max(100, args.opportunities // args.pages // 100 * 100)
            rest = statistics.median(
                timed(client, "opportunity/", _skip=skip, _limit=100, _order_by=order)
                for skip in range(100, args.opportunities, step)
            )
            page = client.get("opportunity/", params={"_limit": 1, "_order_by": order})
            opp_id = page.json()["data"][0]["id"]
            client.put(f"opportunity/{opp_id}/", json={"confidence": 42}).raise_for_status()
            after = timed(client, "opportunity/", _skip=100, _limit=100, _order_by=order)
            again = timed(client, "opportunity/", _skip=200, _limit=100, _order_by=order)
            print(
                f"{order:>14}: first page {first * 1000:6.1f} ms ({first / me:5.1f}x), "
                f"next pages {rest * 1000:5.1f} ms ({rest / me:4.1f}x), "
                f"after a PUT {after * 1000:6.1f} ms then {again * 1000:5.1f} ms "
                f"({again / me:4.1f}x)"
            )


if __name__ == "__main__":
    main()
