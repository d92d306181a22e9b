"""Start-up of ``closetui --demo`` (and ``--base-url`` on a 100k sandbox) vs a Textual hello world.

Each run is a fresh process: Python start, imports, building the app and running it
headless at 80x24 until the first populated paint, then exit. The hello world (one Static)
exits right after its first refresh; closetui exits right after the refresh that follows
the arrival of the list's first page of rows (the list is focused and takes keys then).
The app is started by the CLI's own ``main(["--demo"])`` / ``main(["--base-url", URL])``
with ``App.run`` swapped for a headless run that exits once painted; the config and
state dirs are isolated.

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

HERE = Path(__file__).resolve()


def child(mode: str, base_url: str | None) -> None:
    """The measured process: run one app headless until its first populated paint."""
    import asyncio

    if mode == "hello":
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Hello(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("Hello, world!")

            def on_mount(self) -> None:
                self.call_after_refresh(self.exit)

        Hello().run(headless=True, size=(80, 24))
        return

    from textual.app import App

    def rows_loaded(app: App[object]) -> bool:  # not tui_common's: its imports would count
        if not app.is_running or not app.screen_stack:
            return False
        # Imported here, once the CLI has imported it: importing it before main() would
        # load most of closetui ahead of the CLI, in an order the real command never runs.
        from closetui.ui.widgets.opportunity_list import OpportunityList

        listing = next(iter(app.screen.query(OpportunityList)), None)
        return listing is not None and listing.cache.total is not None and bool(listing.cache.pages)

    def run_headless(app: App[object], *args: object, **kwargs: object) -> None:
        """``App.run`` as the CLI calls it, but headless at 80x24 and exiting once painted."""

        async def run() -> None:
            task = asyncio.create_task(app.run_async(headless=True, size=(80, 24)))
            deadline = time.monotonic() + 60
            while not rows_loaded(app):
                if task.done() or time.monotonic() > deadline:
                    raise SystemExit("the list never loaded")
                await asyncio.sleep(0.001)
            app.call_after_refresh(app.exit)
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

        def timed(mode: str) -> float:
            cmd = [sys.executable, str(HERE), "--child", mode]
            if mode == "url":
                cmd += ["--base-url", str(base_url)]
            start = time.perf_counter()
            run_child(cmd, env)
            return time.perf_counter() - start

        first = {mode: timed(mode) for mode in modes}  # warm-up: disk caches, .pyc files
        times: dict[str, list[float]] = {mode: [] for mode in modes}
        for _ in range(args.runs):
            for mode in modes:
                times[mode].append(timed(mode))

    hello, demo = median(times["hello"]), median(times["demo"])
    print(f"(medians of {args.runs} interleaved fresh processes, 80x24 headless)")
    print(
        f"startup: hello {ms(hello)}, closetui --demo {ms(demo)}, "
        f"ratio {demo / hello:.2f} (target <= 1.6: {verdict(demo / hello, 1.6)})"
    )
    if "url" in times:
        url = median(times["url"])
        print(
            f"startup: hello {ms(hello)}, closetui --base-url "
            f"({args.opportunities:,} in the sandbox) {ms(url)}, "
            f"ratio {url / hello:.2f} (target <= 3: {verdict(url / hello, 3.0)})"
        )
        print(
            f"  first --base-url run on the fresh sandbox (its list cache cold): {ms(first['url'])}"
        )


if __name__ == "__main__":
    main()
