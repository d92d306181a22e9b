"""The list's ``/`` filter: keystroke to the filtered list on screen, 100,000 rows loaded vs 1,000.

closetui runs on a pty whose output a pyte screen shows (``tui_common.Terminal``), on a
``closetui sandbox`` of N opportunities in its own process. The app is closetui's own
(``make_app(url_connection(URL))``, built as the CLI builds it), started by a small
wrapper that then hands the list every page from the sandbox, fetched with the list's
own ``source`` and given to its ``page_arrived`` as its scrolling would (scrolling
through 1,000 pages on a terminal takes minutes), and touches a file when all N rows are
in. Then ``/`` opens the prompt and ``--text`` is typed ``--repeats`` times, ``esc``
clearing it in between. Each key is timed from writing it to the pty to reading the
output that shows the list's bar with the typed text and its count of matches (the rows
and the bar are painted by the same widget in the same frame), and sent once nothing has
been written for 50 ms.

Each size runs in its own fresh process, alternating, for ``--rounds`` rounds.
Budget (issue 16): p99 <= 16 ms at 100,000 rows; the 1,000-row figure is the baseline.

    .venv/bin/python bench/tui_filter.py [--text capit] [--repeats 10] [--rounds 2]
                                         [--small 1000] [--large 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tui_common import (
    SANDBOX_KEY,
    Terminal,
    isolated_env,
    ms,
    percentile,
    sandbox_process,
    terminal,
    verdict,
)

HERE = Path(__file__).resolve()
SIZE = (120, 40)
P99_BUDGET = 0.016
ESCAPE = b"\x1b"
QUIET = 0.05
"""Seconds without output before a key: no paint of the last key delays the next one's."""


async def loaded_app(url: str, marker: str) -> None:
    """The child: closetui on this terminal, every page of the list loaded; then
    ``marker`` is created and the app runs until it is quit."""
    import gc

    from closetui.connect import url_connection
    from closetui.ui.app import make_app
    from closetui.ui.list.opportunity_list import OpportunityList

    gc.disable()  # as closetui's CLI builds its app (closetui.cli.tui.run_tui)
    app = make_app(url_connection(url))
    gc.freeze()
    gc.enable()
    running = asyncio.create_task(app.run_async())
    for _ in range(1200):  # up to a minute, until the list shows its first page
        await asyncio.sleep(0.05)
        lists = list(app.screen.query(OpportunityList)) if app.is_running else []
        if lists and lists[0].cache.pages and lists[0].source is not None:
            break
    else:
        raise TimeoutError("the list never showed its first page")
    listing = lists[0]
    cache = listing.cache
    for number in range(1, -(-(cache.total or 0) // cache.page_size)):
        if number not in cache.pages:
            page = await listing.source(listing.order_by, number * cache.page_size, cache.page_size)
            listing.page_arrived(number, page, cache.generation, first=False)
    await asyncio.to_thread(Path(marker).touch)
    await running


def bar_shows(term: Terminal, typed: str) -> bool:
    """True once the list's bar shows the prompt with ``typed`` and its count."""
    pattern = re.compile(r" /" + re.escape(typed) + r" +[\d,]+ of ")
    return any(pattern.match(line) for line in term.lines())


def measure(size: int, text: str, repeats: int, tmp: str) -> list[float]:
    """Seconds per filter key (all repeats) on a sandbox of ``size`` opportunities."""
    marker = os.path.join(tmp, f"loaded-{size}")
    with sandbox_process(size) as url:
        env = isolated_env(tempfile.mkdtemp(dir=tmp), CLOSE_API_KEY=SANDBOX_KEY)
        cmd = [sys.executable, str(HERE), "--child", url, marker]
        with terminal(cmd, env, *SIZE) as term:
            deadline = time.perf_counter() + 600
            while not os.path.exists(marker):
                term.drain(0.2)
                if time.perf_counter() > deadline:
                    raise TimeoutError("the rows never loaded")
            term.settle(1.0)  # the filter indexes pages once they are shown
            times = []
            for _ in range(repeats):
                term.send(b"/")
                term.wait(lambda: any(" /    type to filter" in line for line in term.lines()))
                assert any(f"filter the {size:,} loaded" in line for line in term.lines())
                term.settle(QUIET, limit=5)
                for index in range(1, len(text) + 1):
                    typed = text[:index]
                    times.append(term.press(typed[-1].encode(), lambda t=typed: bar_shows(term, t)))
                    term.settle(QUIET, limit=5)
                term.send(ESCAPE)
                term.settle(0.3)
            os.remove(marker)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--text", default="capit", help="the filter typed, key by key")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(loaded_app(*args.child))
        return

    sizes = (args.small, args.large)
    times: dict[int, list[float]] = {size: [] for size in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for size in sizes:
                times[size] += measure(size, args.text, args.repeats, tmp)
    keys = len(args.text)
    for size in sizes:
        by_key = "; ".join(
            f"{args.text[: i + 1]!r} {ms(statistics.median(times[size][i::keys]))}"
            f"/{ms(max(times[size][i::keys]))}"
            for i in range(keys)
        )
        print(f"  per key at {size:,} rows, median/slowest: {by_key}")
    small, large = times[args.small], times[args.large]
    p99, small_p99 = percentile(large, 0.99), percentile(small, 0.99)
    median, small_median = statistics.median(large), statistics.median(small)
    print(
        f'(filter "{args.text}" typed {args.repeats} times per process, {args.rounds} processes '
        f"per size, {len(large)} keys each; pty + pyte, {SIZE[0]}x{SIZE[1]})"
    )
    print(
        f"filter keystroke median: {args.large:,} rows {ms(median)}, {args.small:,} rows "
        f"{ms(small_median)}, ratio {median / small_median:.2f}"
    )
    print(
        f"filter keystroke p99: {args.large:,} rows {ms(p99)}, {args.small:,} rows "
        f"{ms(small_p99)}, ratio {p99 / small_p99:.2f} "
        f"(budget <= {ms(P99_BUDGET)} at {args.large:,}: {verdict(p99, P99_BUDGET)})"
    )


if __name__ == "__main__":
    main()
