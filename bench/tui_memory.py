"""Memory the app holds per listed opportunity, with 100,000 opportunities loaded in the list.

The sandbox runs in its own process (``closetui sandbox --opportunities N``), so only the
app's memory is counted. In process with Pilot (``app.run_test(size=(100, 30))``):

1. idle: the list shows its first page; ``gc.collect()``; RSS read.
2. the list is driven down (``go_to`` -> scroll -> the list's own page fetches) through
   every page but the last ``--traced-pages``; ``gc.collect()``; RSS read again:
   (RSS - idle RSS) / rows added is the figure compared with the target.
3. the last pages load under tracemalloc (too slow for all 1,000 pages): Python bytes per
   row kept (the client's bounded response history is emptied before and after, as
   tracemalloc cannot see old blocks freed) and the top allocation sites.

Also prints the deep size of one listed row as the list keeps it, and of one response
in the client's exchange history.

    .venv/bin/python bench/tui_memory.py [--opportunities 100000] [--traced-pages 30]
                                         [--frames 8] [--top 8]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from typing import Any

TARGET = 2048
"""Bytes per opportunity above the idle footprint (issues 4 and 16)."""


def rss() -> int:
    """Resident set size of this process, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def deep_size(obj: Any, seen: set[int] | None = None) -> int:
    """Bytes of ``obj`` and everything it references (shared objects counted once)."""
    seen = set() if seen is None else seen
    if id(obj) in seen or obj is None or (isinstance(obj, (bool, int)) and -5 <= obj <= 256):
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in obj.items())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        size += sum(deep_size(item, seen) for item in obj)
    elif hasattr(obj, "__dict__"):
        size += deep_size(vars(obj), seen)
    else:  # a __slots__ class (a slotted dataclass and the like)
        for cls in type(obj).__mro__:
            for name in cls.__dict__.get("__slots__", ()):
                size += deep_size(getattr(obj, name, None), seen)
    if hasattr(obj, "__pydantic_extra__"):
        size += deep_size(obj.__pydantic_extra__, seen)
        size += deep_size(getattr(obj, "__pydantic_fields_set__", None), seen)
    return size


def _short(filename: str) -> str:
    return filename.split("/closetui/", 1)[-1] if "/closetui/" in filename else filename


async def wait_for(pilot: Any, condition: Any, limit: float = 120.0) -> None:
    """Let the app run (Pilot pauses) until ``condition()`` holds (``limit`` seconds)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app never reached the awaited state")
        await pilot.pause()


async def listed(pilot: Any, app: Any) -> Any:
    """Wait until the list shows its first page and the start-up workers are done."""
    from closetui.ui.list.opportunity_list import OpportunityList

    def first_page() -> Any:
        lists = list(app.screen.query(OpportunityList)) if app.is_running else []
        return lists[0] if lists and lists[0].cache.pages else None

    await wait_for(pilot, lambda: first_page() is not None)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return first_page()


async def load_pages(pilot: Any, listing: Any, numbers: range) -> None:
    """Drive the list over pages ``numbers`` (cursor -> scroll -> its own page fetches)."""
    cache = listing.cache
    for number in numbers:
        if number in cache.pages:
            continue
        listing.go_to(number * cache.page_size + cache.page_size // 2)
        await wait_for(pilot, lambda n=number: n in cache.pages or n in cache.errors)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert not cache.errors, cache.errors


def loaded_rows(listing: Any) -> int:
    return sum(len(rows) for rows in listing.cache.pages.values())


async def measure(base_url: str, top: int, frames: int, traced_pages: int) -> None:
    from closetui.connect import url_connection
    from closetui.ui.app import make_app

    app = make_app(url_connection(base_url))
    async with app.run_test(size=(100, 30)) as pilot:
        listing = await listed(pilot, app)
        cache = listing.cache
        pages = -(-cache.total // cache.page_size)
        # At least half the pages load untraced: the RSS figure needs rows beyond idle.
        traced_pages = min(traced_pages, (pages - 1) // 2) if frames else 0
        idle_rows = loaded_rows(listing)
        gc.collect()
        idle_rss = rss()

        started = time.perf_counter()
        await load_pages(pilot, listing, range(pages - traced_pages))
        seconds = time.perf_counter() - started
        gc.collect()
        untraced_rows, resident = loaded_rows(listing), rss()

        history = getattr(app.client, "exchanges", None)
        history_len = len(history) if history is not None else 0
        history_bytes = sum(deep_size(e) for e in list(history or ())[-10:]) / 10
        stats: list[tracemalloc.StatisticDiff] = []
        if traced_pages:
            # tracemalloc cannot see the frees of blocks allocated before it started, so
            # the full (bounded) response history would look like growth as it rotates:
            # empty it before and after, and count only what the rows keep.
            if history is not None:
                history.clear()
            gc.collect()
            tracemalloc.start(frames)
            before = tracemalloc.take_snapshot()
            traced_from = tracemalloc.get_traced_memory()[0]
            await load_pages(pilot, listing, range(pages - traced_pages, pages))
            if history is not None:
                history.clear()
            gc.collect()
            traced = tracemalloc.get_traced_memory()[0] - traced_from
            stats = tracemalloc.take_snapshot().compare_to(before, "traceback")
            tracemalloc.stop()
        rows = loaded_rows(listing)
        assert rows == cache.total, (rows, cache.total)
        search = getattr(getattr(listing, "model", None), "filter", None)
        index_bytes = 0
        if search is not None:  # the filter's piece index: arrays of row numbers
            index_bytes = sum(sys.getsizeof(a) for a in search.index.values())
            index_bytes += sys.getsizeof(search.texts)
        seen: set[int] = set()
        numbers = sorted(cache.pages)
        sample = [row for number in (numbers[10:20] or numbers) for row in cache.pages[number]]
        row_bytes = sum(deep_size(row, seen) for row in sample) / len(sample)
        one = sample[0]
        row_type = f"{type(one).__module__}.{type(one).__qualname__}"

    per_rss = (resident - idle_rss) / max(1, untraced_rows - idle_rows)
    print(
        f"(idle: {idle_rows} rows listed, RSS {idle_rss / 2**20:.0f} MiB; "
        f"{untraced_rows:,} rows: RSS {resident / 2**20:.0f} MiB, loaded in {seconds:.1f} s)"
    )
    if traced_pages:
        added = rows - untraced_rows
        # The filter's index arrays existed before tracing began: growing one reallocates
        # it, which tracemalloc counts in full while never seeing the old block freed.
        # Their growth is measured directly instead (index size per row, below).
        grown = sum(
            stat.size_diff
            for stat in stats
            if any(f.filename.endswith("list_filter.py") for f in stat.traceback)
        )
        print(
            f"memory per opportunity: {(traced - grown) / added:,.0f} B traced (Python "
            f"allocations the list keeps, the filter index's reallocations left out) over the "
            f"last {added:,} rows loaded"
        )
    if index_bytes:
        print(
            f"filter index (search texts list + 1-3 character piece arrays): "
            f"{index_bytes / rows:,.0f} B per opportunity (in the RSS figure)"
        )
    print(
        f"one listed row: {row_type}, {row_bytes:,.0f} B deep size "
        f"(mean of {len(sample)} rows, objects shared between them counted once)"
    )
    print(
        f"response history: {history_len} exchanges kept by the client (bounded), "
        f"{history_bytes / 1024:,.0f} KiB each (a page's response): "
        f"{history_len * history_bytes / 2**20:,.0f} MiB in the RSS figure"
    )
    if stats:
        added = rows - untraced_rows
        print(f"top {top} allocation sites of that growth (tracemalloc, {frames} frames):")
        for stat in stats[:top]:
            frames_ = [f for f in stat.traceback if "/closetui/" in f.filename]  # oldest first
            frame = (frames_ or list(stat.traceback))[-1]
            deepest = stat.traceback[-1]
            realloc = frame.filename.endswith("list_filter.py")
            print(
                f"  {stat.size_diff / added:8,.0f} B/opp {stat.count_diff / added:6.1f} blocks/opp"
                f"  {_short(frame.filename)}:{frame.lineno}"
                f"  (allocated in {os.path.basename(deepest.filename)}:{deepest.lineno})"
                + ("  [index arrays reallocated whole; not growth]" if realloc else "")
            )
    print(
        f"memory per opportunity: {per_rss:,.0f} B RSS above the idle app (RSS "
        f"{idle_rss / 2**20:.0f} MiB, {idle_rows} rows listed) over {untraced_rows - idle_rows:,} "
        f"rows (budget <= {TARGET:,} B: {'PASS' if per_rss <= TARGET else 'FAIL'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--frames", type=int, default=8, help="tracemalloc frames (0: off)")
    parser.add_argument(
        "--traced-pages", type=int, default=30, help="last pages loaded under tracemalloc"
    )
    args = parser.parse_args()

    from tui_common import SANDBOX_KEY, isolated_env, sandbox_process

    with tempfile.TemporaryDirectory() as tmp, sandbox_process(args.opportunities) as url:
        os.environ.update(isolated_env(tmp, CLOSE_API_KEY=SANDBOX_KEY))
        asyncio.run(measure(url, args.top, args.frames, args.traced_pages))


if __name__ == "__main__":
    main()
