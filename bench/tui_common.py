"""Helpers shared by the ``bench/tui_*.py`` scripts (not a benchmark itself)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

SANDBOX_KEY = "sandbox_demo_key"
"""The sandbox's demo API key (``closetui.sandbox.DEMO_API_KEY``, without importing it)."""


def precompile() -> None:
    """Compile closetui's modules to ``.pyc``, as pip does when it installs a package.

    Python writes these caches itself on a first import unless ``PYTHONDONTWRITEBYTECODE``
    is set, as it is on the development machines: there every start compiled all of
    closetui from source (~120 ms) while the libraries it is compared with (Textual,
    httpx) load from the ``.pyc`` files their install wrote. Timed runs must not pay that.
    """
    import compileall
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "closetui"
    if not compileall.compile_dir(package, quiet=1):
        raise RuntimeError(f"could not compile {package}")


def ms(seconds: float) -> str:
    """Seconds as whole milliseconds, for the printed lines."""
    return f"{seconds * 1000:.0f} ms"


def median(values: list[float]) -> float:
    """The median (the runs are few and the machine noisy)."""
    return statistics.median(values)


def steal_seconds() -> float | None:
    """CPU seconds the host has taken from this machine since boot (``steal`` in
    ``/proc/stat``, all CPUs), or None where there is no such count.

    On a shared virtual machine a neighbour's load shows up here: while it grows, wall
    times stretch with no more work done, and only the CPU-time ratios stay comparable.
    """
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def verdict(ratio: float, target: float) -> str:
    """``met`` / ``MISSED`` for a ratio that should be at most ``target``."""
    return "met" if ratio <= target else "MISSED"


@contextmanager
def sandbox_process(opportunities: int, *options: str, timeout: float = 120.0) -> Iterator[str]:
    """``closetui sandbox [options]`` in its own process (so it does not share our GIL);
    yields its base URL once it serves."""
    cmd = [sys.executable, "-m", "closetui", "sandbox", "--port", "0"]
    proc = subprocess.Popen(
        [*cmd, "--opportunities", str(opportunities), *options], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + timeout
        for line in proc.stdout:
            if "base URL:" in line:
                yield line.split("base URL:")[1].strip()
                return
            if time.monotonic() > deadline:
                break
        raise RuntimeError("the sandbox did not start")
    finally:
        proc.terminate()
        proc.wait(10)


def isolated_env(tmp: str, **extra: str) -> dict[str, str]:
    """The environment for a child app: no real config, profile or state is read."""
    env = dict(os.environ)
    env.update(
        CLOSETUI_CONFIG=os.path.join(tmp, "config.toml"),
        XDG_CONFIG_HOME=os.path.join(tmp, "config"),
        XDG_STATE_HOME=os.path.join(tmp, "state"),
        XDG_DATA_HOME=os.path.join(tmp, "data"),
        XDG_CACHE_HOME=os.path.join(tmp, "cache"),
        **extra,
    )
    return env


def opportunity_list(app: Any) -> Any | None:
    """The ``OpportunityList`` of the app's current screen once it is up, else None."""
    from closetui.ui.widgets.opportunity_list import OpportunityList

    if not app.is_running or not app.screen_stack:
        return None
    return next(iter(app.screen.query(OpportunityList)), None)


def rows_loaded(app: Any) -> bool:
    """True once the list holds its first page of rows."""
    listing = opportunity_list(app)
    return listing is not None and listing.cache.total is not None and bool(listing.cache.pages)


async def wait_for(pilot: Any, condition: Callable[[], bool], limit: float = 120.0) -> None:
    """Let the app run (Pilot pauses) until ``condition()`` holds (``limit`` seconds)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app never reached the awaited state")
        await pilot.pause()


async def listed(pilot: Any, app: Any) -> Any:
    """Wait until the first page is listed and every start-up worker is done; the list."""
    await wait_for(pilot, lambda: rows_loaded(app))
    await app.workers.wait_for_complete()
    await pilot.pause()
    listing = opportunity_list(app)
    assert listing is not None
    return listing


def run_child(cmd: list[str], env: dict[str, str] | None = None) -> str:
    """Run a child process to completion; its stdout (stderr shown when it fails)."""
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise RuntimeError(f"{cmd[1:]} exited with {done.returncode}")
    return done.stdout


async def press_until(pilot: Any, key: str, done: Callable[[], bool], limit: float = 30.0) -> float:
    """Press one key, let the app run until ``done()``, then paint; the wall seconds taken.

    Pilot's own ``press``/``pause`` wait for the process to look idle in fixed 20 ms sleeps
    (at least ~60 ms per key), and its queue drain posts a callback to every widget, a
    cost that grows with the widget count: either would swamp what is measured. Here the
    loop just runs (``sleep(0)``) until ``done()``, then the screen's pending layout and
    paint run at once. Work the key queued that is still pending then runs during the
    next key, so time a series of keys and finish it with :func:`drain`.
    """
    import asyncio

    from textual import events

    app = pilot.app
    start = time.perf_counter()
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    app.post_message(event)
    while not done():
        if time.perf_counter() - start > limit:
            raise TimeoutError(f"key {key!r} never took effect")
        await asyncio.sleep(0)
    app.screen._on_timer_update()  # layout and paint now rather than on the next frame
    return time.perf_counter() - start


def _busy(app: Any) -> bool:
    """True while any node of the app has a message waiting, is handling one (or its idle
    work after one), or has callbacks queued: a node is at rest only when its message
    loop is parked waiting for the next message."""
    for node in (app, *app._registry):
        queue = node._message_queue
        if queue.values or node._next_callbacks:
            return True
        running = node._task is not None and not node._closed
        if running and not queue.ready_event._waiters:
            return True
    return False


async def drain(pilot: Any, limit: float = 60.0) -> None:
    """Finish what the last keys started: workers, every message, then paint.

    Done when no worker runs and every node's message loop has been at rest (parked
    waiting for its next message, nothing queued) for two turns of the loop in a row. Not
    Pilot's ``_wait_for_screen``, which posts a callback to every widget and waits for
    each: on closetui's main screen (~130 widgets) that alone took ~17 ms with nothing
    pending (~2 ms on the bare app), a cost of the widget count, not of the keys.
    """
    import asyncio

    app = pilot.app
    settled, start = 0, time.perf_counter()
    while settled < 2:
        if time.perf_counter() - start > limit:
            raise TimeoutError("the app never came to rest")
        await app.workers.wait_for_complete()
        await asyncio.sleep(0)
        settled = 0 if _busy(app) or any(w.is_running for w in app.workers) else settled + 1
    app.screen._on_timer_update()
