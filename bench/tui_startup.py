"""Start-up of ``closetui --demo`` (and ``--base-url`` on a 100k sandbox) vs a Textual hello world.

Each run is a fresh process: Python start, imports, building the app and running it
headless at 80x24. What is timed is the start of the process to its first populated
paint: the hello world's (one Static) first refresh; closetui's refresh right after its
list stored the first page of rows. closetui then takes one key (down; the time it took
to move the cursor and paint is printed) and exits. The time to each process's exit is
printed too (closetui's includes that key and the models it loads after the first rows).
The app is started by the CLI's own ``main(["--demo"])`` / ``main(["--base-url", URL])``
with ``App.run`` swapped for the headless run; the config and state dirs are isolated.

Runs are interleaved (hello, demo, url, hello, ...) after one untimed warm-up of each;
medians are printed with their ratios to the hello world measured in the same run.
closetui is compiled to ``.pyc`` first, as an install does (``tui_common.precompile``).
The 100k sandbox runs in its own process, started (and seeded) before any timing.

    .venv/bin/python bench/tui_startup.py [--runs 9] [--opportunities 100000] [--no-url]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve()


def child(mode: str, base_url: str | None) -> None:
    """The measured process: run one app headless until its first populated paint.

    Prints ``painted <perf_counter>`` at that paint (the monotonic clock is the parent's
    too). For closetui it is the refresh after its list stored the first page; then it
    also prints ``key <seconds>``: how long the first key took to move the list's cursor
    and be painted (pydantic loads on a thread meanwhile).
    """
    import asyncio

    def painted() -> None:
        print(f"painted {time.perf_counter()!r}", flush=True)

    if mode == "hello":
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Hello(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("Hello, world!")

            def on_mount(self) -> None:
                self.call_after_refresh(lambda: (painted(), self.exit()))

        Hello().run(headless=True, size=(80, 24))
        return

    from textual import events
    from textual.app import App

    def run_headless(app: App[object], *args: object, **kwargs: object) -> None:
        """``App.run`` as the CLI calls it, but headless at 80x24 and exiting once painted."""
        # Imported here, once the CLI has built the app: importing it before main() would
        # load most of closetui ahead of the CLI, in an order the real command never runs.
        from closetui.ui.widgets.opportunity_list import OpportunityList

        shown = asyncio.Event()
        arrived = OpportunityList.page_arrived

        def page_arrived(listing: OpportunityList, *args: Any, **kwargs: Any) -> None:
            arrived(listing, *args, **kwargs)
            if not shown.is_set() and listing.cache.pages:
                # The refresh after the first page was stored paints the first rows.
                app.call_after_refresh(lambda: (painted(), shown.set()))

        OpportunityList.page_arrived = page_arrived  # type: ignore[method-assign]

        async def run() -> None:
            task = asyncio.create_task(app.run_async(headless=True, size=(80, 24)))
            done, _ = await asyncio.wait(
                [task, asyncio.create_task(shown.wait())],
                timeout=60,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if task in done or not shown.is_set():
                raise SystemExit("the list never loaded")
            # Interactive: the first key moves the cursor and is painted.
            listing = app.screen.query_one(OpportunityList)
            before = listing.cursor
            start = time.perf_counter()
            key = events.Key("down", None)
            key.set_sender(app)
            app.post_message(key)
            while listing.cursor == before:
                if time.perf_counter() - start > 60:
                    raise SystemExit("the first key never moved the cursor")
                await asyncio.sleep(0)
            moved = asyncio.Event()
            app.call_after_refresh(moved.set)
            await moved.wait()
            print(f"key {time.perf_counter() - start!r}", flush=True)
            app.exit()
            await task

        asyncio.run(run())

    App.run = run_headless
    from closetui.cli import main as closetui_main

    argv = ["--demo"] if mode == "demo" else ["--base-url", str(base_url)]
    raise SystemExit(closetui_main(argv))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--no-url", action="store_true", help="skip the sandbox measurement")
    parser.add_argument("--child", choices=("hello", "demo", "url"), help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.base_url)
        return

    from contextlib import ExitStack

    from tui_common import (
        SANDBOX_KEY,
        isolated_env,
        median,
        ms,
        precompile,
        run_child,
        sandbox_process,
        verdict,
    )

    precompile()  # .pyc files as an install has them (see tui_common.precompile)

    with ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        env = isolated_env(tmp, CLOSE_API_KEY=SANDBOX_KEY)
        modes = ["hello", "demo"]
        base_url = None
        if not args.no_url:
            base_url = stack.enter_context(sandbox_process(args.opportunities))
            modes.append("url")

        def timed(mode: str) -> Run:
            cmd = [sys.executable, str(HERE), "--child", mode]
            if mode == "url":
                cmd += ["--base-url", str(base_url)]
            start = time.perf_counter()
            out = run_child(cmd, env)
            ended = time.perf_counter() - start
            marks = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
            return Run(float(marks["painted"]) - start, ended, float(marks.get("key", "nan")))

        first = {mode: timed(mode) for mode in modes}  # warm-up: disk caches, .pyc files
        runs: dict[str, list[Run]] = {mode: [] for mode in modes}
        for _ in range(args.runs):
            for mode in modes:
                runs[mode].append(timed(mode))

    def med(mode: str, part: int) -> float:
        return median([run[part] for run in runs[mode]])

    hello, demo = med("hello", 0), med("demo", 0)
    print(f"(medians of {args.runs} interleaved fresh processes, 80x24 headless)")
    print(
        f"startup to the populated list: hello {ms(hello)}, closetui --demo {ms(demo)}, "
        f"ratio {demo / hello:.2f} (target <= 1.6: {verdict(demo / hello, 1.6)})"
    )
    print(
        f"  first key after it (cursor moved and painted): {ms(med('demo', 2))}; "
        f"whole runs to exit: hello {ms(med('hello', 1))}, demo {ms(med('demo', 1))} "
        f"(ratio {med('demo', 1) / med('hello', 1):.2f})"
    )
    if "url" in runs:
        url = med("url", 0)
        print(
            f"startup to the populated list: hello {ms(hello)}, closetui --base-url "
            f"({args.opportunities:,} in the sandbox) {ms(url)}, "
            f"ratio {url / hello:.2f} (target <= 3: {verdict(url / hello, 3.0)})"
        )
        print(
            f"  first --base-url run on the fresh sandbox (its list cache cold): "
            f"{ms(first['url'].painted)}"
        )


class Run(NamedTuple):
    """One measured process: seconds from its start to the populated paint, to its
    exit, and for its first key (NaN for the hello world)."""

    painted: float
    ended: float
    key: float


if __name__ == "__main__":
    main()
